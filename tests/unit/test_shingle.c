/* SPDX-License-Identifier: MIT */
/*
 * test_shingle.c -- unit tests of stage 3 (src/shingle): golden vectors of
 * token, shingle and text hashes, the shingle count rule (a document shorter
 * than n words gets one shingle), sorted-set helpers, and the on-disk spill
 * store of shingle sets.
 */
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>
#include <xxhash.h>

#include "normalize.h"
#include "shingle.h"

static const char SENTENCE[] = "The quick brown fox jumps over the lazy dog";

/* Tokens of s (must tokenize cleanly). */
static void tokens_of(rpi_tokctx *ctx, const char *s)
{
    size_t bad = 0;
    assert_int_equal(rpi_tokenize(ctx, s, strlen(s), &bad), RP_OK);
}

/*
 * GOLDEN VECTORS. These values are part of reprint's format: token hashes
 * feed shingle hashes, which feed MinHash signatures, LSH band keys and any
 * stored index. If one of these tests fails, every stored index is broken;
 * change a literal only together with a deliberate, documented format
 * version change.
 */
/* The token hash as documented in normalize.h, written out independently. */
static uint64_t token_hash_def(const char *w)
{
    size_t n = strlen(w);
    if (n > 16)
        return XXH3_64bits_withSeed(w, n, 0x72657072696e7431ULL);
    unsigned char b[16] = {0};
    memcpy(b, w, n);
    return XXH3_64bits_withSeed(b, 16, 0x72657072696e7431ULL + n);
}

static void test_golden_token_hashes(void **state)
{
    (void)state;
    /* Changing these breaks stored indexes: see the note above. */
    static const uint64_t want[4] = {
        0xa309a5d39534756dULL, /* "the" */
        0x73b0d6597a747c65ULL, /* "quick" */
        0x05fd3ed1944347f9ULL, /* "uncharacteristic": 16 bytes, the longest padded form */
        0x5f05464c4a2ea210ULL, /* "internationalization": 20 bytes, hashed as is */
    };
    static const char *const words[4] = {"the", "quick", "uncharacteristic",
                                         "internationalization"};
    rpi_tokctx ctx = {0};
    tokens_of(&ctx, SENTENCE);
    assert_int_equal(ctx.ntok, 9);
    assert_int_equal(ctx.tok[0].hash, want[0]);
    assert_int_equal(ctx.tok[1].hash, want[1]);
    assert_int_equal(ctx.tok[6].hash, want[0]); /* "the" again */
    tokens_of(&ctx, "Uncharacteristic INTERNATIONALIZATION");
    assert_int_equal(ctx.ntok, 2);
    assert_int_equal(ctx.tok[0].hash, want[2]);
    assert_int_equal(ctx.tok[1].hash, want[3]);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(rpi_token_hash(words[i], strlen(words[i])), want[i]);
        assert_int_equal(token_hash_def(words[i]), want[i]);
    }
    rpi_tokctx_free(&ctx);
}

static void test_golden_shingle_hashes(void **state)
{
    (void)state;
    /* Changing these breaks stored indexes: see the note above. */
    static const uint64_t want5[5] = {
        0x1a7579368a0e45a6ULL, 0xe32ef2ad8f90bf7eULL, 0xef3070a41c478d57ULL,
        0x580beafb668531c2ULL, 0x219fb621760fec93ULL,
    };
    static const uint64_t want3[7] = {
        0x00c65a3b0b96044fULL, 0x90af3750ffe9459dULL, 0x82ec6dc166018c58ULL,
        0x25f6d763cf9a377aULL, 0x2541b3b34f35b3d7ULL, 0x62fda00a72f972d3ULL,
        0xfefce9ddee201843ULL,
    };
    rpi_tokctx ctx = {0};
    tokens_of(&ctx, SENTENCE);
    uint64_t sh[9];
    assert_int_equal(rpi_shingles(ctx.tok, ctx.ntok, 5, sh), 5);
    assert_memory_equal(sh, want5, sizeof want5);
    assert_int_equal(rpi_shingles(ctx.tok, ctx.ntok, 3, sh), 7);
    assert_memory_equal(sh, want3, sizeof want3);
    /* The definition: XXH3-64 of the n token hashes, seeded "shingle1". */
    for (size_t i = 0; i < 7; i++) {
        uint64_t win[3] = {ctx.tok[i].hash, ctx.tok[i + 1].hash, ctx.tok[i + 2].hash};
        assert_int_equal(XXH3_64bits_withSeed(win, sizeof win, 0x7368696e676c6531ULL),
                         want3[i]);
    }
    rpi_tokctx_free(&ctx);
}

static void test_golden_text_hash(void **state)
{
    (void)state;
    /* Changing these breaks stored indexes: see the note above. */
    static const uint64_t want[2] = {0x622de237e57eaf0dULL, 0x267160eda5c750c8ULL};
    rpi_tokctx ctx = {0};
    tokens_of(&ctx, SENTENCE);
    uint64_t sh[9], h[2], h2[2];
    size_t n = rpi_shingles(ctx.tok, ctx.ntok, 5, sh);
    rpi_text_hash(sh, n, h);
    assert_memory_equal(h, want, sizeof want);
    /* The same text once normalised hashes the same ... */
    tokens_of(&ctx, "the QUICK brown fox -- jumps over the \xe2\x80\x9clazy\xe2\x80\x9d dog!");
    n = rpi_shingles(ctx.tok, ctx.ntok, 5, sh);
    rpi_text_hash(sh, n, h2);
    assert_memory_equal(h2, want, sizeof want);
    /* ... and a text with two words swapped does not. */
    tokens_of(&ctx, "The quick brown fox jumps over the dog lazy");
    n = rpi_shingles(ctx.tok, ctx.ntok, 5, sh);
    rpi_text_hash(sh, n, h2);
    assert_true(h2[0] != want[0] || h2[1] != want[1]);
    rpi_tokctx_free(&ctx);
}

static void test_shingle_count(void **state)
{
    (void)state;
    assert_int_equal(rpi_shingle_count(0, 5), 0);
    assert_int_equal(rpi_shingle_count(1, 5), 1);
    assert_int_equal(rpi_shingle_count(4, 5), 1);
    assert_int_equal(rpi_shingle_count(5, 5), 1);
    assert_int_equal(rpi_shingle_count(6, 5), 2);
    assert_int_equal(rpi_shingle_count(9, 5), 5);
    assert_int_equal(rpi_shingle_count(1000, 5), 996);
    assert_int_equal(rpi_shingle_count(0, 1), 0);
    assert_int_equal(rpi_shingle_count(7, 1), 7);
    assert_int_equal(rpi_shingle_count(64, 64), 1);
    assert_int_equal(rpi_shingle_count(3, 64), 1);
}

static void test_short_document_gets_one_shingle(void **state)
{
    (void)state;
    rpi_tokctx ctx = {0};
    tokens_of(&ctx, "The quick brown");
    assert_int_equal(ctx.ntok, 3);
    uint64_t sh[2] = {0, 0xdeadbeef};
    assert_int_equal(rpi_shingles(ctx.tok, ctx.ntok, 5, sh), 1);
    /* One shingle made of all 3 tokens: the first 3-gram of SENTENCE. */
    assert_int_equal(sh[0], 0x00c65a3b0b96044fULL);
    assert_int_equal(sh[1], 0xdeadbeef); /* nothing written past the count */
    /* Exactly n tokens: also one shingle, of all of them. */
    uint64_t sh3[1];
    assert_int_equal(rpi_shingles(ctx.tok, ctx.ntok, 3, sh3), 1);
    assert_int_equal(sh3[0], sh[0]);
    /* One word. */
    tokens_of(&ctx, "Hello");
    assert_int_equal(rpi_shingles(ctx.tok, ctx.ntok, 5, sh), 1);
    uint64_t h = token_hash_def("hello");
    assert_int_equal(sh[0], XXH3_64bits_withSeed(&h, sizeof h, RPI_SHINGLE_SEED));
    /* No tokens: no shingles. */
    assert_int_equal(rpi_shingles(ctx.tok, 0, 5, sh), 0);
    rpi_tokctx_free(&ctx);
}

static void test_repeated_shingles(void **state)
{
    (void)state;
    rpi_tokctx ctx = {0};
    tokens_of(&ctx, "a b a b a b");
    uint64_t sh[5];
    assert_int_equal(rpi_shingles(ctx.tok, ctx.ntok, 2, sh), 5);
    assert_int_equal(sh[0], sh[2]);
    assert_int_equal(sh[0], sh[4]);
    assert_int_equal(sh[1], sh[3]);
    assert_true(sh[0] != sh[1]);
    assert_int_equal(rpi_sort_unique(sh, 5), 2);
    assert_true(sh[0] < sh[1]);
    rpi_tokctx_free(&ctx);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* rpi_sort_unique on n values drawn from a universe of u values, against qsort + unique. */
static void sort_unique_vs_reference(size_t n, uint64_t u, uint64_t seed)
{
    uint64_t *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = ut_rand(&seed) % u;
        a[i] = b[i] = r == 0 ? 0 : r == 1 ? UINT64_MAX : ut_mix64(r); /* extremes included */
    }
    qsort(b, n, sizeof *b, cmp_u64);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || b[m - 1] != b[i])
            b[m++] = b[i];
    assert_int_equal(rpi_sort_unique(a, n), m);
    if (m)
        assert_memory_equal(a, b, m * sizeof *a);
    free(a);
    free(b);
}

static void test_sort_unique(void **state)
{
    (void)state;
    uint64_t none[1] = {42};
    assert_int_equal(rpi_sort_unique(none, 0), 0);
    uint64_t one[1] = {7};
    assert_int_equal(rpi_sort_unique(one, 1), 1);
    assert_int_equal(one[0], 7);
    uint64_t v[] = {5, 3, UINT64_MAX, 3, 0, 5, 5, 1, 0};
    assert_int_equal(rpi_sort_unique(v, UT_ARRAY_LEN(v)), 5);
    static const uint64_t want[] = {0, 1, 3, 5, UINT64_MAX};
    assert_memory_equal(v, want, sizeof want);
    uint64_t same[100];
    for (size_t i = 0; i < 100; i++)
        same[i] = 9;
    assert_int_equal(rpi_sort_unique(same, 100), 1);
    assert_int_equal(same[0], 9);
    /* Around the switches (insertion sort below 24, quicksort below 1,024, then qsort). */
    const size_t sizes[] = {2, 17, 23, 24, 25, 63, 64, 65, 1000, 1023, 1024, 1025, 20000};
    for (size_t i = 0; i < UT_ARRAY_LEN(sizes); i++) {
        sort_unique_vs_reference(sizes[i], sizes[i] / 2 + 2, 100 + i);
        sort_unique_vs_reference(sizes[i], UINT64_MAX, 200 + i);
    }
}

/* rpi_sort_u64 (src/common): insertion sort, quicksort, bucket sort and radix sort against
 * qsort, on random values, many repeats, sorted, reversed and constant input, values
 * under a common high prefix, and the two ends of the range, around each switch. */
static void test_sort_u64(void **state)
{
    (void)state;
    const size_t sizes[] = {0,    1,    2,    23,    24,    25,    31,    32,   33,
                            100,  1023, 1024, 1025,  5000,  65535, 65536, 65537};
    uint64_t *tmp = NULL;
    size_t captmp = 0;
    uint64_t x = 12345;
    for (size_t i = 0; i < UT_ARRAY_LEN(sizes); i++)
        for (int kind = 0; kind < 7; kind++) {
            size_t n = sizes[i];
            uint64_t *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
            assert_non_null(a);
            assert_non_null(b);
            for (size_t k = 0; k < n; k++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                a[k] = kind == 0   ? x
                       : kind == 1 ? x % 7
                       : kind == 2 ? k
                       : kind == 3 ? n - k
                       : kind == 4 ? 5
                       : kind == 5 ? 1ULL << 60 | (x >> 48) /* a kind tag above */
                                   : (x & 1 ? UINT64_MAX - (x >> 60) : x >> 60);
            }
            memcpy(b, a, n * sizeof *a);
            assert_int_equal(rpi_sort_u64(a, n, &tmp, &captmp), RP_OK);
            qsort(b, n, sizeof *b, cmp_u64);
            if (n)
                assert_memory_equal(a, b, n * sizeof *a);
            free(a);
            free(b);
        }
    free(tmp);
}

static void test_intersect_count(void **state)
{
    (void)state;
    static const uint64_t a[] = {1, 3, 5, 7, 9, UINT64_MAX};
    static const uint64_t b[] = {0, 3, 4, 9, 10, UINT64_MAX};
    static const uint64_t c[] = {2, 4, 6};
    static const uint64_t d[] = {5};
    assert_int_equal(rpi_intersect_count(a, 6, b, 6), 3);
    assert_int_equal(rpi_intersect_count(b, 6, a, 6), 3);
    assert_int_equal(rpi_intersect_count(a, 6, a, 6), 6);
    assert_int_equal(rpi_intersect_count(a, 6, c, 3), 0);
    assert_int_equal(rpi_intersect_count(a, 6, d, 1), 1);
    assert_int_equal(rpi_intersect_count(d, 1, a, 6), 1);
    assert_int_equal(rpi_intersect_count(a, 0, b, 6), 0);
    assert_int_equal(rpi_intersect_count(a, 6, b, 0), 0);
    assert_int_equal(rpi_intersect_count(b, 4, c, 3), 1); /* {4} */
}

/* Saved $TMPDIR, restored after the spill tests. */
static void set_tmpdir(const char *dir, char *saved, size_t cap, int *had)
{
    const char *old = getenv("TMPDIR");
    *had = old != NULL;
    if (old)
        snprintf(saved, cap, "%s", old);
    assert_int_equal(setenv("TMPDIR", dir, 1), 0);
}

static void restore_tmpdir(const char *saved, int had)
{
    if (had)
        assert_int_equal(setenv("TMPDIR", saved, 1), 0);
    else
        assert_int_equal(unsetenv("TMPDIR"), 0);
}

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}


/* Bytes written to the temporary file of writer w (-1: no file was made). */
static off_t file_bytes(const rpi_spill *sp, int w)
{
    struct stat st;
    if (sp->fd[w] < 0)
        return -1;
    assert_int_equal(fstat(sp->fd[w], &st), 0);
    return st.st_size;
}

/*
 * Writes and reads back, with keep bytes of blocks allowed in memory: none
 * (all on disk), one block (writer 0's first block in memory, the rest on
 * disk, so a read crosses from memory to disk) or all.
 */
static void spill_round_trip(const char *dir, size_t keep, int huge_first)
{
    char saved[4096];
    int had;
    set_tmpdir(dir, saved, sizeof saved, &had);

    rpi_spill sp;
    char err[256] = "";
    assert_int_equal(rpi_spill_open(&sp, 2, err, sizeof err), RP_OK);
    rpi_spill_keep(&sp, keep);
    rpi_spill_expect(&sp, huge_first ? 0 : 4096); /* 0: unknown, every block huge */
    assert_int_equal(sp.huge_first, huge_first);
    assert_int_equal(sp.n, 2);
    assert_int_equal(count_entries(dir), 0); /* the files are unlinked at once */

    static const uint64_t A[] = {1, 2, UINT64_MAX};
    static const uint64_t B[] = {10, 20, 30, 40, 50};
    static const uint64_t C[] = {0, 7};
    enum { ND = 400000 }; /* 3.2 MB: more than the 2 MiB block */
    uint64_t *D = malloc(ND * sizeof *D), *got = malloc(ND * sizeof *got);
    assert_non_null(D);
    assert_non_null(got);
    uint64_t st = 5;
    for (size_t i = 0; i < ND; i++)
        D[i] = ut_rand(&st);

    uint64_t offA, offB, offC, offE, offD;
    assert_int_equal(rpi_spill_write(&sp, 0, A, 3, &offA), RP_OK);
    assert_int_equal(rpi_spill_write(&sp, 1, B, 5, &offB), RP_OK);
    assert_int_equal(rpi_spill_write(&sp, 0, C, 2, &offC), RP_OK);
    assert_int_equal(rpi_spill_write(&sp, 1, C, 0, &offE), RP_OK);
    assert_int_equal(rpi_spill_write(&sp, 0, D, ND, &offD), RP_OK);
    uint64_t offA2;
    assert_int_equal(rpi_spill_write(&sp, 0, A, 3, &offA2), RP_OK);
    assert_int_equal(rpi_spill_flush(&sp), RP_OK);
    assert_int_equal(offA, 0);
    assert_int_equal(offB, 0);
    assert_int_equal(offC, 3 * sizeof(uint64_t));
    assert_int_equal(offE, 5 * sizeof(uint64_t));
    assert_int_equal(offD, 5 * sizeof(uint64_t));
    assert_int_equal(offA2, (5 + ND) * sizeof(uint64_t));
    assert_int_equal(sp.size[0], (8 + ND) * sizeof(uint64_t));
    assert_int_equal(sp.size[1], 5 * sizeof(uint64_t));
    if (keep == 0) {
        assert_int_equal(rpi_spill_kept(&sp), 0);
        assert_true(file_bytes(&sp, 0) >= (off_t)sp.size[0]);
    } else if (keep == (size_t)2 << 20) {
        /* Writer 0's first full block stays; its partial second one and
         * writer 1's block find no room and go to the files. */
        assert_int_equal(rpi_spill_kept(&sp), (size_t)2 << 20);
        assert_true(file_bytes(&sp, 0) >= (off_t)sp.size[0]);
        assert_true(file_bytes(&sp, 1) >= (off_t)sp.size[1]);
    } else {
        assert_int_equal(rpi_spill_kept(&sp), (size_t)6 << 20); /* 2 blocks + 1, 2 MiB each */
        /* Nothing went to disk: no file was even made. */
        assert_int_equal(file_bytes(&sp, 0), -1);
        assert_int_equal(file_bytes(&sp, 1), -1);
    }

    assert_int_equal(rpi_spill_read(&sp, 1, offB, 5, got), RP_OK);
    assert_memory_equal(got, B, sizeof B);
    assert_int_equal(rpi_spill_read(&sp, 0, offA, 3, got), RP_OK);
    assert_memory_equal(got, A, sizeof A);
    assert_int_equal(rpi_spill_read(&sp, 0, offD, ND, got), RP_OK);
    assert_memory_equal(got, D, ND * sizeof *D);
    assert_int_equal(rpi_spill_read(&sp, 0, offC, 2, got), RP_OK);
    assert_memory_equal(got, C, sizeof C);
    assert_int_equal(rpi_spill_read(&sp, 0, offA2, 3, got), RP_OK);
    assert_memory_equal(got, A, sizeof A);
    /* A read across two sets, and an empty read. */
    assert_int_equal(rpi_spill_read(&sp, 0, 2 * sizeof(uint64_t), 2, got), RP_OK);
    assert_int_equal(got[0], UINT64_MAX);
    assert_int_equal(got[1], 0);
    assert_int_equal(rpi_spill_read(&sp, 1, offE, 0, got), RP_OK);
    /* Reading past the end of a file is an I/O error, not a short read. */
    assert_int_equal(rpi_spill_read(&sp, 1, offB, 6, got), RP_EIO);
    assert_int_equal(rpi_spill_read(&sp, 1, 1000, 1, got), RP_EIO);

    rpi_spill_close(&sp);
    assert_int_equal(sp.n, 0);
    assert_null(sp.fd);
    rpi_spill_close(&sp); /* closing twice is harmless */
    free(D);
    free(got);
    restore_tmpdir(saved, had);
    assert_int_equal(count_entries(dir), 0);
}

static void test_spill_round_trip(void **state)
{
    spill_round_trip(*state, 0, 0);
}

static void test_spill_round_trip_memory_and_disk(void **state)
{
    spill_round_trip(*state, (size_t)2 << 20, 0);
}

static void test_spill_round_trip_in_memory(void **state)
{
    spill_round_trip(*state, (size_t)64 << 20, 0);
}

/* A large or unknown input: writers' first blocks in huge pages too, the same bytes back. */
static void test_spill_round_trip_huge_first(void **state)
{
    spill_round_trip(*state, 0, 1);
    spill_round_trip(*state, (size_t)64 << 20, 1);
}

/* An array grown past 2 MiB moves to huge pages with its contents. */
static void test_grow_huge_keeps_contents(void **state)
{
    (void)state;
    uint32_t *a = NULL;
    size_t cap = 0;
    enum { N = 1500000 }; /* 6 MB: two moves past 2 MiB */
    for (uint32_t i = 0; i < N; i++) {
        assert_int_equal(rpi_grow_huge((void **)&a, &cap, (size_t)i + 1, sizeof *a), RP_OK);
        a[i] = i * 2654435761u;
    }
    assert_true(cap >= N);
    for (uint32_t i = 0; i < N; i++)
        if (a[i] != i * 2654435761u)
            fail_msg("element %u changed", i);
    rpi_free_huge(a, cap, sizeof *a);
}

/* A file mapped over part of an array of rpi_grow_huge's (the record store
 * of rank 0) reads as the file, takes writes, and is the file's again once
 * released; the array before it and its capacity are untouched. */
static void test_map_over_and_release(void **state)
{
    (void)state;
    uint64_t *a = NULL;
    size_t cap = 0;
    enum { N = 200000 }; /* 1.6 MB: a mapping of its own */
    assert_int_equal(rpi_grow_huge((void **)&a, &cap, N, sizeof *a), RP_OK);
    if (!rpi_huge_mapped(cap, sizeof *a)) {
        rpi_free_huge(a, cap, sizeof *a);
        skip(); /* (not Linux) */
    }
    for (size_t i = 0; i < N; i++)
        a[i] = i;
    const size_t page = rpi_page_bytes(), from = 3 * page, bytes = 5 * page + 8;
    char path[] = "/tmp/reprint-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    char *file = malloc(page + bytes);
    assert_non_null(file);
    for (size_t i = 0; i < page + bytes; i++)
        file[i] = (char)(i * 7 + 1);
    assert_int_equal(rpi_pwrite_all(fd, file, page + bytes, 0), RP_OK);
    assert_int_equal(rpi_map_over((char *)a + from, bytes, fd, page), RP_OK);
    close(fd); /* (the mapping keeps the file) */
    const char *p = (const char *)a;
    assert_memory_equal(p + from, file + page, bytes);
    for (size_t i = 0; i < from / sizeof *a; i++)
        if (a[i] != i)
            fail_msg("element %zu before the mapping changed", i);
    memset((char *)a + from + page, 0, 2 * page); /* (as pass 3's slots write) */
    a[N - 1] = 42; /* past the mapping: the array's own */
    rpi_release_huge(a, cap, sizeof *a, from / sizeof *a);
    assert_memory_equal(p + from, file + page, bytes);
    for (size_t i = 0; i < from / sizeof *a; i++)
        if (a[i] != i)
            fail_msg("element %zu before the mapping released", i);
    assert_int_equal(a[N - 1], 0); /* (released: zeros) */
    free(file);
    rpi_free_huge(a, cap, sizeof *a);
}

/* A table from rpi_calloc_map is zeroed, small (calloc's) or large (a mapping), and
 * writable to its end; a failed allocation is NULL. */
static void test_calloc_map_zeroed(void **state)
{
    (void)state;
    const size_t sizes[] = {16, (size_t)256 << 10, ((size_t)3 << 20) + 8};
    for (size_t k = 0; k < 3; k++) {
        unsigned char *p = rpi_calloc_map(sizes[k]);
        assert_non_null(p);
        for (size_t i = 0; i < sizes[k]; i++)
            if (p[i])
                fail_msg("byte %zu of %zu not zero", i, sizes[k]);
        memset(p, 0xab, sizes[k]);
        rpi_free_map(p, sizes[k]);
    }
    rpi_fail_alloc_after(1);
    assert_null(rpi_calloc_map((size_t)1 << 20));
    rpi_fail_alloc_after(0);
}

static void test_spill_open_fails_cleanly(void **state)
{
    (void)state;
    char saved[4096];
    int had;
    set_tmpdir("/nonexistent-reprint-dir/sub", saved, sizeof saved, &had);
    rpi_spill sp;
    char err[256] = "";
    assert_int_equal(rpi_spill_open(&sp, 2, err, sizeof err), RP_EIO);
    assert_non_null(strstr(err, "cannot create a temporary file in /nonexistent-reprint-dir/sub"));
    assert_int_equal(sp.n, 0);
    rpi_spill_close(&sp);
    restore_tmpdir(saved, had);
}

/*
 * The files are made when the first block goes to disk: a directory that is
 * gone by then fails that write, and the message names the store, the
 * directory and the cause. Nothing is made before (a run that fits in memory
 * makes no file).
 */
static void test_spill_files_fail_at_first_block(void **state)
{
    char dir[4096], saved[4096];
    int had;
    snprintf(dir, sizeof dir, "%s/gone", (const char *)*state);
    assert_int_equal(mkdir(dir, 0700), 0);
    set_tmpdir(dir, saved, sizeof saved, &had);
    rpi_spill sp;
    char err[256] = "";
    assert_int_equal(rpi_spill_open(&sp, 1, err, sizeof err), RP_OK);
    sp.name = "shingle store";
    assert_int_equal(sp.fd[0], -1);
    assert_int_equal(rmdir(dir), 0); /* empty: nothing was made in it */
    enum { N = (2 << 20) / sizeof(uint64_t) + 1 }; /* one block and a word */
    uint64_t *v = calloc(N, sizeof *v), off;
    assert_non_null(v);
    assert_int_equal(rpi_spill_write(&sp, 0, v, N, &off), RP_EIO);
    rpi_spill_errmsg(&sp, "write", err, sizeof err);
    char want[4200];
    snprintf(want, sizeof want,
             "cannot write the temporary shingle store in %s: No such file or directory", dir);
    assert_string_equal(err, want);
    rpi_spill_close(&sp);
    free(v);
    restore_tmpdir(saved, had);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_token_hashes),
        cmocka_unit_test(test_golden_shingle_hashes),
        cmocka_unit_test(test_golden_text_hash),
        cmocka_unit_test(test_shingle_count),
        cmocka_unit_test(test_short_document_gets_one_shingle),
        cmocka_unit_test(test_repeated_shingles),
        cmocka_unit_test(test_sort_unique),
        cmocka_unit_test(test_sort_u64),
        cmocka_unit_test(test_intersect_count),
        cmocka_unit_test_setup_teardown(test_spill_round_trip, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_spill_round_trip_memory_and_disk, ut_dir_setup,
                                        ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_spill_round_trip_huge_first, ut_dir_setup,
                                        ut_dir_teardown),
        cmocka_unit_test(test_grow_huge_keeps_contents),
        cmocka_unit_test(test_map_over_and_release),
        cmocka_unit_test(test_calloc_map_zeroed),
        cmocka_unit_test_setup_teardown(test_spill_round_trip_in_memory, ut_dir_setup,
                                        ut_dir_teardown),
        cmocka_unit_test(test_spill_open_fails_cleanly),
        cmocka_unit_test_setup_teardown(test_spill_files_fail_at_first_block, ut_dir_setup,
                                        ut_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
