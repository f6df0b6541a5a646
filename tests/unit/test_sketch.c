/* SPDX-License-Identifier: MIT */
/*
 * test_sketch.c -- unit tests of stage 4 (src/sketch): golden MinHash
 * signatures (OPH and k hash functions) and LSH band keys, invariance to
 * order and repeats, the banding parameters chosen for a threshold, an
 * empirical check that OPH estimates Jaccard without bias, and the candidate
 * pairs found by bucketing band keys; the count tables (src/common/counter.c)
 * behind rare-word and furniture statistics.
 */
#include "unit.h"

#include <xxhash.h>

#include "shingle.h" /* rpi_sort_unique */
#include "sketch.h"

enum { K = 128 };

/* The fixed shingle set of the golden vectors: ut_mix64(1000 + i), i < n. */
static void golden_set(uint64_t *sh, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sh[i] = ut_mix64(1000 + (uint64_t)i);
}

/*
 * GOLDEN VECTORS. MinHash values and band keys are part of reprint's format
 * (stored signatures and indexes hold them). If one of these tests fails,
 * every stored index is broken; change a literal only together with a
 * deliberate, documented format version change.
 */
static void test_golden_oph(void **state)
{
    (void)state;
    static const uint32_t want500[8] = {0x0c82a7efU, 0x044a4744U, 0x14bc6521U, 0x00b8eaaeU,
                                        0x876c4a81U, 0xf70796beU, 0x0fc8f793U, 0x1d6404c3U};
    /* 20 shingles in 128 bins: most values come from densification. */
    static const uint32_t want20[8] = {0x56fb174cU, 0xf961ea45U, 0x38d4ff44U, 0xf906fdceU,
                                       0x56fb174cU, 0x17b1014fU, 0x9e7d0985U, 0x38d4ff44U};
    uint64_t sh[500];
    uint32_t sig[K];
    golden_set(sh, 500);
    rpi_minhash(RP_SKETCH_OPH, sh, 500, K, sig);
    assert_memory_equal(sig, want500, sizeof want500);
    rpi_minhash(RP_SKETCH_OPH, sh, 20, K, sig);
    assert_memory_equal(sig, want20, sizeof want20);
}

static void test_golden_kperm(void **state)
{
    (void)state;
    static const uint32_t want500[8] = {0x000efc43U, 0x000fefa5U, 0x0056b137U, 0x01758177U,
                                        0x00a4a94dU, 0x0088ce43U, 0x008f4c78U, 0x004a0041U};
    static const uint32_t want20[8] = {0x05d74342U, 0x0d73cbecU, 0x08cb7ba5U, 0x14ec9f5aU,
                                       0x15a25e11U, 0x1474597dU, 0x14122341U, 0x00e4df03U};
    uint64_t sh[500];
    uint32_t sig[K];
    golden_set(sh, 500);
    rpi_minhash(RP_SKETCH_KPERM, sh, 500, K, sig);
    assert_memory_equal(sig, want500, sizeof want500);
    rpi_minhash(RP_SKETCH_KPERM, sh, 20, K, sig);
    assert_memory_equal(sig, want20, sizeof want20);
}

static void test_golden_lsh_keys(void **state)
{
    (void)state;
    static const uint64_t want[4] = {0x1d3c3b6ca5491890ULL, 0x1bfecba306a1b39dULL,
                                     0x32ca51925511fd44ULL, 0xb14f29801621e4c5ULL};
    uint64_t sh[500], keys[K];
    uint32_t sig[K];
    golden_set(sh, 500);
    rpi_minhash(RP_SKETCH_OPH, sh, 500, K, sig);
    int rows, bands;
    rpi_lsh_params(0.8, K, &rows, &bands);
    assert_int_equal(rows, 6);
    assert_int_equal(bands, 21);
    rpi_lsh_keys(sig, rows, bands, keys);
    assert_memory_equal(keys, want, sizeof want);
    /* The definition: XXH3-64 of the band's r values (u32), seeded by the band number. */
    for (int b = 0; b < bands; b++)
        assert_int_equal(keys[b], XXH3_64bits_withSeed(sig + b * rows, 6 * sizeof *sig,
                                                       (uint64_t)b));
}

/* OPH bins as documented: bin from the high 32 bits, value the low 32 bits. */
static void test_oph_definition(void **state)
{
    (void)state;
    uint64_t sh[20];
    uint32_t sig[K], ref[K];
    int filled[K] = {0};
    golden_set(sh, 20);
    rpi_minhash(RP_SKETCH_OPH, sh, 20, K, sig);
    for (int i = 0; i < K; i++)
        ref[i] = UINT32_MAX;
    for (size_t i = 0; i < 20; i++) {
        uint32_t bin = (uint32_t)(((sh[i] >> 32) * K) >> 32), v = (uint32_t)sh[i];
        if (v <= ref[bin])
            ref[bin] = v;
        filled[bin] = 1;
    }
    int nfilled = 0;
    for (int i = 0; i < K; i++) {
        nfilled += filled[i];
        if (filled[i]) {
            assert_int_equal(sig[i], ref[i]); /* the minimum of the bin */
        } else {
            int found = 0; /* densified: a copy of some filled bin */
            for (int j = 0; j < K; j++)
                found |= filled[j] && ref[j] == sig[i];
            assert_true(found);
        }
    }
    assert_true(nfilled < K); /* densification really happened */
    /* One shingle: every bin holds its low 32 bits. */
    uint64_t one = 0x0123456789abcdefULL;
    rpi_minhash(RP_SKETCH_OPH, &one, 1, K, sig);
    for (int i = 0; i < K; i++)
        assert_int_equal(sig[i], 0x89abcdefU);
}

/*
 * The densification of oph, written out as its definition (the probe
 * sequence computed for each empty bin, values taken from the original bins
 * only): the library's table of first probes must give the same signature for
 * every size, with k changing between calls on one thread, and past the
 * table's probes (a few shingles in 1,024 bins).
 */
static uint64_t ref_splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static void ref_oph(const uint64_t *sh, size_t n, int k, uint32_t *sig)
{
    uint32_t orig[1024];
    for (int i = 0; i < k; i++)
        orig[i] = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        uint32_t bin = (uint32_t)(((sh[i] >> 32) * (uint64_t)k) >> 32), v = (uint32_t)sh[i];
        orig[bin] = v < orig[bin] ? v : orig[bin];
    }
    for (int i = 0; i < k; i++) {
        sig[i] = orig[i];
        for (uint64_t t = 1; sig[i] == UINT32_MAX && n; t++) {
            uint32_t j = (uint32_t)((ref_splitmix64(((uint64_t)i << 32) | t) >> 32) *
                                        (uint64_t)k >> 32);
            sig[i] = orig[j];
        }
    }
}

static void test_oph_densification_table(void **state)
{
    (void)state;
    static const int ks[] = {8, 128, 1024, 64, 128, 1000, 8};
    static const size_t ns[] = {1, 2, 3, 7, 20, 90, 130, 400, 3000};
    uint64_t st = 99;
    uint64_t *sh = malloc(3000 * sizeof *sh);
    uint32_t sig[1024], ref[1024];
    assert_non_null(sh);
    for (size_t ki = 0; ki < UT_ARRAY_LEN(ks); ki++)
        for (size_t ni = 0; ni < UT_ARRAY_LEN(ns); ni++) {
            for (size_t i = 0; i < ns[ni]; i++)
                sh[i] = ut_rand(&st);
            rpi_minhash(RP_SKETCH_OPH, sh, ns[ni], ks[ki], sig);
            ref_oph(sh, ns[ni], ks[ki], ref);
            assert_memory_equal(sig, ref, (size_t)ks[ki] * sizeof *sig);
        }
    free(sh);
}

static void test_order_and_repeats_do_not_matter(void **state)
{
    (void)state;
    enum { N = 300 };
    static const int ks[] = {8, 128, 1024};
    uint64_t a[N], b[3 * N];
    golden_set(a, N);
    /* b: a shuffled, with every value repeated up to three times. */
    size_t nb = 0;
    uint64_t st = 99;
    for (size_t i = 0; i < N; i++) {
        size_t reps = 1 + ut_rand(&st) % 3;
        for (size_t r = 0; r < reps; r++)
            b[nb++] = a[i];
    }
    for (size_t i = nb - 1; i > 0; i--) {
        size_t j = ut_rand(&st) % (i + 1);
        uint64_t t = b[i];
        b[i] = b[j];
        b[j] = t;
    }
    for (int kind = 0; kind < 2; kind++)
        for (size_t ki = 0; ki < UT_ARRAY_LEN(ks); ki++) {
            uint32_t sa[1024], sb[1024], sc[1024];
            rpi_minhash((rp_sketch_kind)kind, a, N, ks[ki], sa);
            rpi_minhash((rp_sketch_kind)kind, b, nb, ks[ki], sb);
            rpi_minhash((rp_sketch_kind)kind, a, N, ks[ki], sc);
            assert_memory_equal(sa, sb, (size_t)ks[ki] * sizeof *sa);
            assert_memory_equal(sa, sc, (size_t)ks[ki] * sizeof *sa); /* identical sets */
        }
}

static void test_lsh_params(void **state)
{
    (void)state;
    static const struct {
        double t;
        int rows, bands;
    } want[] = {{0.5, 3, 42}, {0.8, 6, 21}, {0.9, 9, 14}};
    for (size_t i = 0; i < UT_ARRAY_LEN(want); i++) {
        int rows, bands;
        rpi_lsh_params(want[i].t, K, &rows, &bands);
        assert_int_equal(rows, want[i].rows);
        assert_int_equal(bands, want[i].bands);
        assert_true(rows * bands <= K);
        assert_true(rpi_lsh_prob(want[i].t, rows, bands) >= RPI_LSH_TARGET_RECALL);
        /* rows is the largest that meets the target: wider bands fall below it. */
        assert_true(rpi_lsh_prob(want[i].t, rows + 1, K / (rows + 1)) < RPI_LSH_TARGET_RECALL);
        for (int r = rows + 1; r <= K; r++)
            assert_true(rpi_lsh_prob(want[i].t, r, K / r) < RPI_LSH_TARGET_RECALL);
    }
    /* The probability formula itself. */
    assert_float_equal(rpi_lsh_prob(0.5, 2, 3), 1.0 - 0.75 * 0.75 * 0.75, 1e-12);
    assert_float_equal(rpi_lsh_prob(1.0, 6, 21), 1.0, 1e-12);
    assert_float_equal(rpi_lsh_prob(0.0, 6, 21), 0.0, 1e-12);
    /* Threshold 1: one band of every value. */
    int rows, bands;
    rpi_lsh_params(1.0, K, &rows, &bands);
    assert_int_equal(rows, K);
    assert_int_equal(bands, 1);
}

/*
 * Two sets sharing `shared` shingles with `uniq` more each: Jaccard
 * shared / (shared + 2 uniq). Over many seeds, the mean share of equal
 * signature positions must be within 0.03 of it, and the band keys of the
 * threshold 0.8 must catch nearly every pair.
 */
static void estimate(rp_sketch_kind kind, size_t shared, size_t uniq, double *mean_est,
                     double *recall)
{
    enum { SEEDS = 200, MAXN = 1000 };
    uint64_t a[MAXN], b[MAXN], ka[K], kb[K];
    uint32_t sa[K], sb[K];
    int rows, bands;
    rpi_lsh_params(0.8, K, &rows, &bands);
    double sum = 0;
    int caught = 0;
    assert_true(shared + uniq <= MAXN);
    for (uint64_t seed = 0; seed < SEEDS; seed++) {
        uint64_t st = seed * 1000003;
        for (size_t i = 0; i < shared; i++)
            a[i] = b[i] = ut_rand(&st);
        for (size_t i = 0; i < uniq; i++) {
            a[shared + i] = ut_rand(&st);
            b[shared + i] = ut_rand(&st);
        }
        rpi_minhash(kind, a, shared + uniq, K, sa);
        rpi_minhash(kind, b, shared + uniq, K, sb);
        int eq = 0;
        for (int i = 0; i < K; i++)
            eq += sa[i] == sb[i];
        sum += (double)eq / K;
        rpi_lsh_keys(sa, rows, bands, ka);
        rpi_lsh_keys(sb, rows, bands, kb);
        int hit = 0;
        for (int i = 0; i < bands; i++)
            hit |= ka[i] == kb[i];
        caught += hit;
    }
    *mean_est = sum / SEEDS;
    *recall = (double)caught / SEEDS;
}

static void test_oph_estimates_jaccard(void **state)
{
    (void)state;
    double est, recall;
    /* 400 shared + 50 unique each: J = 400 / 500 = 0.8 exactly. */
    estimate(RP_SKETCH_OPH, 400, 50, &est, &recall);
    assert_float_equal(est, 0.8, 0.03);
    assert_true(recall >= 0.97);
    estimate(RP_SKETCH_KPERM, 400, 50, &est, &recall);
    assert_float_equal(est, 0.8, 0.03);
    assert_true(recall >= 0.97);
    /* 40 shared + 5 unique each: J = 40 / 50 = 0.8, most OPH bins densified. */
    estimate(RP_SKETCH_OPH, 40, 5, &est, &recall);
    assert_float_equal(est, 0.8, 0.03);
    /* 300 shared + 150 unique each: J = 300 / 600 = 0.5. */
    estimate(RP_SKETCH_OPH, 300, 150, &est, &recall);
    assert_float_equal(est, 0.5, 0.03);
}

/* Pair code of documents a < b. */
#define PC(a, b) ((uint64_t)(a) << 32 | (uint64_t)(b))

/* Preference by rank (lower first) when ctx is a rank array, else by document number. */
static int prefer(void *ctx, uint32_t a, uint32_t b)
{
    const int *rank = ctx;
    if (rank && rank[a] != rank[b])
        return rank[a] < rank[b] ? -1 : 1;
    return (a > b) - (a < b);
}

static void candidates_pref(const uint64_t *keys, int bands, const uint32_t *docs, size_t n,
                            int nthreads, int *rank, const uint64_t *want, size_t nwant)
{
    uint64_t *out = NULL;
    size_t nout = 12345;
    assert_int_equal(rpi_lsh_candidates(keys, bands, docs, n, nthreads, prefer, rank, &out,
                                        &nout),
                     RP_OK);
    assert_non_null(out);
    assert_int_equal(nout, nwant);
    if (nwant)
        assert_memory_equal(out, want, nwant * sizeof *want);
    rpi_free(out);
}

static void candidates(const uint64_t *keys, int bands, const uint32_t *docs, size_t n,
                       int nthreads, const uint64_t *want, size_t nwant)
{
    candidates_pref(keys, bands, docs, n, nthreads, NULL, want, nwant);
}

static void test_lsh_candidates_tiny(void **state)
{
    (void)state;
    /* 6 documents, 3 bands; keys[d * 3 + band]. The keys ...9 and ...1 fall
     * into one 16-bit bucket without being equal. */
    static const uint64_t keys[6 * 3] = {
        100, 200, 300, /* doc 0 */
        100, 201, 300, /* doc 1 */
        100, 202, 302, /* doc 2 */
        0xABCD000000000009ULL, 202, 303, /* doc 3 */
        0xABCD000000000009ULL, 204, 304, /* doc 4 */
        0xABCD000000000001ULL, 300, 304, /* doc 5: 300 in band 1 is not doc 0's band 2 */
    };
    static const uint32_t all[] = {0, 1, 2, 3, 4, 5};
    static const uint64_t want[] = {PC(0, 1), PC(0, 2), PC(1, 2), PC(2, 3), PC(3, 4), PC(4, 5)};
    static const uint32_t some[] = {0, 2, 3, 5};
    static const uint64_t want_some[] = {PC(0, 2), PC(2, 3)};
    static const int threads[] = {1, 3};
    for (size_t t = 0; t < UT_ARRAY_LEN(threads); t++) {
        candidates(keys, 3, all, 6, threads[t], want, UT_ARRAY_LEN(want));
        candidates(keys, 3, some, 4, threads[t], want_some, UT_ARRAY_LEN(want_some));
        candidates(keys, 3, all, 0, threads[t], NULL, 0);
        candidates(keys, 3, all, 1, threads[t], NULL, 0);
    }
}

/* Against brute force, on many colliding keys, with 1 and 3 threads. */
static void test_lsh_candidates_random(void **state)
{
    (void)state;
    enum { ND = 300, NB = 8 };
    uint64_t *keys = malloc(ND * NB * sizeof *keys);
    uint64_t *want = malloc(ND * ND * sizeof *want);
    uint32_t docs[ND];
    assert_non_null(keys);
    assert_non_null(want);
    uint64_t st = 4242;
    for (size_t d = 0; d < ND; d++)
        for (size_t b = 0; b < NB; b++) /* 60 values per band: about 5 documents each */
            keys[d * NB + b] = ut_mix64((uint64_t)b << 32 | (ut_rand(&st) % 60));
    for (int every = 1; every <= 3; every += 2) {
        size_t n = 0;
        for (uint32_t d = 0; d < ND; d += (uint32_t)every)
            docs[n++] = d;
        size_t nwant = 0;
        for (size_t x = 0; x < n; x++)
            for (size_t y = x + 1; y < n; y++) {
                int hit = 0;
                for (size_t b = 0; b < NB; b++)
                    hit |= keys[docs[x] * NB + b] == keys[docs[y] * NB + b];
                if (hit)
                    want[nwant++] = PC(docs[x], docs[y]);
            }
        assert_true(nwant > 500);
        candidates(keys, NB, docs, n, 1, want, nwant);
        candidates(keys, NB, docs, n, 3, want, nwant);
    }
    free(keys);
    free(want);
}

/*
 * A run of equal keys longer than RPI_BUCKET_CAP pairs each document with the
 * run's most preferred one and with its successor only; a run of exactly
 * RPI_BUCKET_CAP documents still lists every pair.
 */
static void test_lsh_candidates_oversized_bucket(void **state)
{
    (void)state;
    enum { ND = RPI_BUCKET_CAP + 1, NB = 2, BEST = 500 };
    uint64_t *keys = malloc(ND * NB * sizeof *keys);
    uint64_t *want = malloc((size_t)ND * ND / 2 * sizeof *want);
    uint32_t *docs = malloc(ND * sizeof *docs);
    int *rank = malloc(ND * sizeof *rank);
    assert_non_null(keys);
    assert_non_null(want);
    assert_non_null(docs);
    assert_non_null(rank);
    for (uint32_t d = 0; d < ND; d++) {
        keys[d * NB] = 0x5555; /* band 0: one key for all */
        keys[d * NB + 1] = ut_mix64(d); /* band 1: all distinct */
        docs[d] = d;
        rank[d] = d == BEST ? 0 : 1;
    }
    size_t nwant = 0;
    for (uint32_t d = 0; d < ND; d++) {
        if (d != BEST)
            want[nwant++] = d < BEST ? PC(d, BEST) : PC(BEST, d);
        if (d + 1 < ND)
            want[nwant++] = PC(d, d + 1);
    }
    nwant = rpi_sort_unique(want, nwant);
    assert_int_equal(nwant, 2 * (ND - 1) - 2); /* (499,500) and (500,501) counted once */
    candidates_pref(keys, NB, docs, ND, 1, rank, want, nwant);
    candidates_pref(keys, NB, docs, ND, 3, rank, want, nwant);
    /* RPI_BUCKET_CAP documents: all pairs. */
    nwant = 0;
    for (uint32_t a = 0; a < ND - 1; a++)
        for (uint32_t b = a + 1; b < ND - 1; b++)
            want[nwant++] = PC(a, b);
    assert_int_equal(nwant, (size_t)RPI_BUCKET_CAP * (RPI_BUCKET_CAP - 1) / 2);
    candidates_pref(keys, NB, docs, ND - 1, 3, rank, want, nwant);
    free(keys);
    free(want);
    free(docs);
    free(rank);
}

/* A count table grows as keys come: what it admits does not depend on its
 * starting size; at its largest size, later new keys are refused in order. */
static void test_counter_grows(void **state)
{
    (void)state;
    enum { N = 50000 };
    rpi_counter small, big, capped;
    assert_int_equal(rpi_counter_init(&small, 1, 1 << 20), RP_OK);
    assert_int_equal(rpi_counter_init(&big, 1 << 17, 1 << 20), RP_OK);
    assert_int_equal(rpi_counter_init(&capped, 1024, 4096), RP_OK);
    for (uint64_t i = 0; i < N; i++) {
        uint64_t k = ut_mix64(i % (N / 2)); /* every key twice */
        rpi_counter_add(&small, k, 1);
        rpi_counter_add(&big, k, 1);
        rpi_counter_add(&capped, k, 1);
    }
    assert_int_equal(small.overflow, 0);
    assert_int_equal(big.overflow, 0);
    assert_true(small.mask + 1 >= N / 2 * 8 / 7);
    for (uint64_t i = 0; i < N / 2; i++) {
        assert_int_equal(rpi_counter_get(&small, ut_mix64(i)), 2);
        assert_int_equal(rpi_counter_get(&big, ut_mix64(i)), 2);
    }
    /* 4096 slots admit 3584 keys: the first 3584 met, counted fully on
     * their second round too; the rest read as 0. */
    assert_int_equal(capped.mask + 1, 4096);
    assert_int_equal(capped.used, 3584);
    assert_int_equal(rpi_counter_get(&capped, ut_mix64(0)), 2);
    assert_int_equal(rpi_counter_get(&capped, ut_mix64(3583)), 2);
    assert_int_equal(rpi_counter_get(&capped, ut_mix64(3584)), 0);
    assert_int_equal(capped.overflow, 2 * (N / 2 - 3584));
    rpi_counter_free(&small);
    rpi_counter_free(&big);
    rpi_counter_free(&capped);
}

/* Keys past a table's largest size go to sorted runs; settling makes every
 * count exact: the table keeps the keys on two documents or more, a key it
 * lacks reads as 1; keys taken away (UINT32_MAX) come off the runs too; a
 * function may replace the runs' counts (a divided run's sums). */
static uint32_t times_ten(void *ctx, uint64_t key, uint32_t count)
{
    (void)key;
    (*(size_t *)ctx)++;
    return 10 * count;
}

static void test_counter_spills(void **state)
{
    (void)state;
    enum { N = 200000 };
    rpi_counter t, u;
    assert_int_equal(rpi_counter_init(&t, 1024, 4096), RP_OK);
    assert_int_equal(rpi_counter_init(&u, 1024, 4096), RP_OK);
    /* key i (i < N) added 1 + i % 3 times, spread over the input */
    for (int round = 0; round < 3; round++)
        for (uint64_t i = 0; i < N; i++)
            if (round <= (int)(i % 3)) {
                rpi_counter_add(&t, ut_mix64(i), 1);
                rpi_counter_add(&u, ut_mix64(i), 1);
            }
    assert_true(rpi_counter_spilled(&t));
    assert_int_equal(t.used, 3584);
    /* take one away from every key i % 7 == 0: in the table and in the runs */
    for (uint64_t i = 0; i < N; i += 7)
        rpi_counter_add(&t, ut_mix64(i), UINT32_MAX);
    assert_int_equal(rpi_counter_get(&t, ut_mix64(N - 1)), 0); /* not settled: not admitted */
    assert_int_equal(rpi_counter_settle(&t, 1 << 20, NULL, NULL), RP_OK);
    assert_false(rpi_counter_spilled(&t));
    assert_int_equal(t.overflow, 0);
    size_t two = 0;
    for (uint64_t i = 0; i < N; i++) {
        uint32_t want = 1 + (uint32_t)(i % 3) - (i % 7 == 0);
        two += want >= 2;
        assert_int_equal(rpi_counter_get(&t, ut_mix64(i)), want ? want : 1);
    }
    assert_int_equal(t.used, two); /* the keys on one document (or none) are left out */
    /* A function gives the runs' keys other counts; the table's stay. */
    size_t calls = 0;
    assert_int_equal(rpi_counter_settle(&u, 1 << 20, times_ten, &calls), RP_OK);
    assert_int_equal(calls, N - 3584);
    assert_int_equal(rpi_counter_get(&u, ut_mix64(0)), 1);
    assert_int_equal(rpi_counter_get(&u, ut_mix64(2)), 3);
    assert_int_equal(rpi_counter_get(&u, ut_mix64(N - 1)), 10 * (1 + (N - 1) % 3));
    assert_int_equal(rpi_counter_get(&u, ut_mix64(N - 3)), 10 * (1 + (N - 3) % 3));
    /* Settled again: nothing to do. */
    assert_int_equal(rpi_counter_settle(&u, 1 << 20, NULL, NULL), RP_OK);
    assert_int_equal(rpi_counter_get(&u, ut_mix64(N - 1)), 10 * (1 + (N - 1) % 3));
    /* A settled table too small for the keys on two documents: the rest read as 1. */
    rpi_counter v;
    assert_int_equal(rpi_counter_init(&v, 1024, 4096), RP_OK);
    for (int round = 0; round < 2; round++)
        for (uint64_t i = 0; i < N; i++)
            rpi_counter_add(&v, ut_mix64(i), 1);
    assert_int_equal(rpi_counter_settle(&v, 8192, NULL, NULL), RP_OK);
    assert_int_equal(v.used, 7168);
    assert_int_equal(v.overflow, N - 7168);
    assert_int_equal(rpi_counter_get(&v, ut_mix64(0)), 2);
    size_t ones = 0;
    for (uint64_t i = 0; i < N; i++)
        ones += rpi_counter_get(&v, ut_mix64(i)) == 1;
    assert_int_equal(ones, N - 7168);
    rpi_counter_free(&t);
    rpi_counter_free(&u);
    rpi_counter_free(&v);
}

/* A resolver gives a key's count the first time it is read, once, from the
 * count the table holds; a key not in the table is asked for at every read. */
static void test_counter_resolves(void **state)
{
    (void)state;
    rpi_counter t;
    size_t asked = 0;
    assert_int_equal(rpi_counter_init(&t, 1024, 4096), RP_OK);
    rpi_counter_add(&t, ut_mix64(1), 1);
    rpi_counter_add(&t, ut_mix64(2), 1);
    rpi_counter_add(&t, ut_mix64(2), 1);
    t.resolve = times_ten;
    t.resolve_ctx = &asked;
    assert_int_equal(rpi_counter_get(&t, ut_mix64(2)), 20);
    assert_int_equal(asked, 1);
    assert_int_equal(rpi_counter_get(&t, ut_mix64(2)), 20);
    assert_int_equal(asked, 1);
    /* A key the table lacks is resolved from t.ones (0 here) at every read,
     * and the table is not written. */
    assert_int_equal(rpi_counter_get(&t, ut_mix64(3)), 0);
    assert_int_equal(asked, 2);
    t.ones = 1;
    assert_int_equal(rpi_counter_get(&t, ut_mix64(3)), 10);
    assert_int_equal(asked, 3);
    assert_int_equal(t.used, 2);
    assert_int_equal(rpi_counter_get(&t, ut_mix64(1)), 10);
    assert_int_equal(asked, 4);
    rpi_counter_free(&t);
}

/* A count the table holds below 10 is known to be below any bound above it. */
static int below_ten(void *ctx, uint64_t key, uint32_t count, uint32_t min)
{
    (void)ctx;
    (void)key;
    return count < 10 && count < min;
}

/* With a below hook, rpi_counter_get_min answers 0 for a count known to be below
 * the bound, without resolving it (so a later exact read still resolves it), and
 * resolves the others as rpi_counter_get does. */
static void test_counter_get_min(void **state)
{
    (void)state;
    rpi_counter t;
    size_t asked = 0;
    assert_int_equal(rpi_counter_init(&t, 1024, 4096), RP_OK);
    rpi_counter_add(&t, ut_mix64(1), 1);
    rpi_counter_add(&t, ut_mix64(2), 12);
    t.resolve = times_ten;
    t.resolve_ctx = &asked;
    assert_int_equal(rpi_counter_get_min(&t, ut_mix64(1), 5), 10); /* no hook: resolved */
    assert_int_equal(asked, 1);
    t.below = below_ten;
    assert_int_equal(rpi_counter_get_min(&t, ut_mix64(1), 5), 10); /* resolved before */
    rpi_counter_add(&t, ut_mix64(3), 2);
    assert_int_equal(rpi_counter_get_min(&t, ut_mix64(3), 5), 0); /* below: not asked */
    assert_int_equal(asked, 1);
    assert_int_equal(rpi_counter_get_min(&t, ut_mix64(3), 2), 20); /* 2 is not below 2 */
    assert_int_equal(asked, 2);
    assert_int_equal(rpi_counter_get_min(&t, ut_mix64(2), 5), 120); /* the hook says no */
    assert_int_equal(asked, 3);
    /* Not in the table: the hook is asked with t.ones (0), and says below. */
    assert_int_equal(rpi_counter_get_min(&t, ut_mix64(4), 5), 0);
    assert_int_equal(asked, 3);
    t.ones = 12; /* the hook says no: resolved */
    assert_int_equal(rpi_counter_get_min(&t, ut_mix64(4), 5), 120);
    assert_int_equal(asked, 4);
    rpi_counter_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_oph),
        cmocka_unit_test(test_golden_kperm),
        cmocka_unit_test(test_golden_lsh_keys),
        cmocka_unit_test(test_oph_definition),
        cmocka_unit_test(test_oph_densification_table),
        cmocka_unit_test(test_order_and_repeats_do_not_matter),
        cmocka_unit_test(test_lsh_params),
        cmocka_unit_test(test_oph_estimates_jaccard),
        cmocka_unit_test(test_lsh_candidates_tiny),
        cmocka_unit_test(test_lsh_candidates_random),
        cmocka_unit_test(test_lsh_candidates_oversized_bucket),
        cmocka_unit_test(test_counter_grows),
        cmocka_unit_test(test_counter_spills),
        cmocka_unit_test(test_counter_resolves),
        cmocka_unit_test(test_counter_get_min),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
