/* SPDX-License-Identifier: MIT */
/*
 * test_relate.c -- unit tests of stage 6 (src/relate): clusters from
 * verified pairs, representatives and dedup decisions under a preference
 * order (no document is removed in favour of one it was not compared with),
 * exact verification of candidate pairs from the spill store, stories that
 * do not chain, and the event evidence (names, figures, days, templates).
 */
#include "unit.h"

#include "normalize.h"
#include "relate.h"

#include <math.h>

#define NONE UINT32_MAX

/* Preference by rank (lower first), ties by document number. */
static int by_rank(void *ctx, uint32_t a, uint32_t b)
{
    const int *rank = ctx;
    if (rank[a] != rank[b])
        return rank[a] < rank[b] ? -1 : 1;
    return (a > b) - (a < b);
}

static rp_pair P(uint32_t a, uint32_t b, double j)
{
    rp_pair p = {.a = a, .b = b, .relation = RP_REL_NEAR_DUPLICATE, .jaccard = j, .containment_a = j,
                 .containment_b = j};
    return p;
}

/* Expected clusters: members of all clusters concatenated, with start offsets. */
typedef struct want_clusters {
    size_t n;
    const size_t *start;
    const uint32_t *members;
    const uint32_t *rep;
    const uint32_t *kept_by; /* per document */
    const double *kept_jaccard; /* per document */
} want_clusters;

static void build_and_check(size_t ndocs, const rp_pair *pairs, size_t npairs, int *rank,
                            const want_clusters *w)
{
    rpi_clusters cl;
    assert_int_equal(rpi_clusters_build(ndocs, pairs, npairs, by_rank, rank, &cl), RP_OK);
    assert_int_equal(cl.n, w->n);
    for (size_t k = 0; k <= w->n; k++)
        assert_int_equal(cl.start[k], w->start[k]);
    for (size_t i = 0; i < w->start[w->n]; i++)
        assert_int_equal(cl.members[i], w->members[i]);
    for (size_t k = 0; k < w->n; k++)
        assert_int_equal(cl.rep[k], w->rep[k]);
    size_t nremoved = 0;
    for (size_t d = 0; d < ndocs; d++) {
        const rpi_removal *r = rpi_clusters_removal(&cl, (uint32_t)d);
        assert_int_equal(r ? r->kept_by : NONE, w->kept_by[d]);
        assert_float_equal((r ? r->jaccard : 0), w->kept_jaccard[d], 0);
        nremoved += r != NULL;
    }
    assert_int_equal(cl.nremoved, nremoved);
    rpi_clusters_free(&cl);
    assert_null(cl.start);
    rpi_clusters_free(&cl); /* twice is harmless */
}

/* A~B, B~C, not A~C, A preferred: A and C are kept, B yields to A. */
static void test_no_chaining(void **state)
{
    (void)state;
    const rp_pair pairs[] = {P(0, 1, 0.85), P(1, 2, 0.9)}; /* A=0, B=1, C=2 */
    int rank[] = {0, 1, 2};
    static const size_t start[] = {0, 3};
    static const uint32_t members[] = {0, 1, 2}, rep[] = {0};
    static const uint32_t kept_by[] = {NONE, 0, NONE};
    static const double kj[] = {0, 0.85, 0};
    const want_clusters w = {1, start, members, rep, kept_by, kj};
    build_and_check(3, pairs, 2, rank, &w);

    /* The same with A as document 2, B as 0, C as 1 (preference not input order). */
    const rp_pair pairs2[] = {P(0, 1, 0.9), P(0, 2, 0.85)};
    int rank2[] = {1, 2, 0};
    static const uint32_t rep2[] = {2};
    static const uint32_t kept_by2[] = {2, NONE, NONE};
    static const double kj2[] = {0.85, 0, 0};
    const want_clusters w2 = {1, start, members, rep2, kept_by2, kj2};
    build_and_check(3, pairs2, 2, rank2, &w2);

    /* B preferred: A and C both yield to B. */
    int rank3[] = {1, 0, 2};
    static const uint32_t rep3[] = {1};
    static const uint32_t kept_by3[] = {1, NONE, 1};
    static const double kj3[] = {0.85, 0, 0.9};
    const want_clusters w3 = {1, start, members, rep3, kept_by3, kj3};
    build_and_check(3, pairs, 2, rank3, &w3);
}

/* A path 0-1-2-3-4 in input order: every other document is kept. */
static void test_chain_keeps_every_other(void **state)
{
    (void)state;
    const rp_pair pairs[] = {P(2, 3, 0.83), P(0, 1, 0.81), P(3, 4, 0.84), P(1, 2, 0.82)};
    int rank[] = {0, 0, 0, 0, 0};
    static const size_t start[] = {0, 5};
    static const uint32_t members[] = {0, 1, 2, 3, 4}, rep[] = {0};
    static const uint32_t kept_by[] = {NONE, 0, NONE, 2, NONE};
    static const double kj[] = {0, 0.81, 0, 0.83, 0};
    const want_clusters w = {1, start, members, rep, kept_by, kj};
    build_and_check(5, pairs, 4, rank, &w);
}

/*
 * Two clusters among 8 documents, pairs in no particular order: numbered by
 * first member, members ascending, singletons (0, 2, 4) in no cluster, the
 * representative by preference, and a removed document yields to the most
 * preferred of its kept neighbours (3 has kept neighbours 1 and 6; 6 wins).
 */
static void test_clusters_numbering_and_representatives(void **state)
{
    (void)state;
    const rp_pair pairs[] = {P(5, 7, 0.81), P(3, 6, 0.9), P(1, 3, 0.95)};
    int rank[] = {5, 5, 5, 5, 5, 5, 0, 1};
    static const size_t start[] = {0, 3, 5};
    static const uint32_t members[] = {1, 3, 6, 5, 7}, rep[] = {6, 7};
    static const uint32_t kept_by[] = {NONE, NONE, NONE, 6, NONE, 7, NONE, NONE};
    static const double kj[] = {0, 0, 0, 0.9, 0, 0.81, 0, 0};
    const want_clusters w = {2, start, members, rep, kept_by, kj};
    build_and_check(8, pairs, 3, rank, &w);

    /* In input order instead: 1 kept, 3 yields to 1, 6 kept (its only neighbour 3 is gone). */
    int rank2[] = {0, 0, 0, 0, 0, 0, 0, 0};
    static const uint32_t rep2[] = {1, 5};
    static const uint32_t kept_by2[] = {NONE, NONE, NONE, 1, NONE, NONE, NONE, 5};
    static const double kj2[] = {0, 0, 0, 0.95, 0, 0, 0, 0.81};
    const want_clusters w2 = {2, start, members, rep2, kept_by2, kj2};
    build_and_check(8, pairs, 3, rank2, &w2);
}

static void test_no_pairs(void **state)
{
    (void)state;
    int rank[] = {0, 0, 0, 0};
    static const size_t start[] = {0};
    static const uint32_t kept_by[] = {NONE, NONE, NONE, NONE};
    static const double kj[] = {0, 0, 0, 0};
    const want_clusters w = {0, start, NULL, NULL, kept_by, kj};
    build_and_check(4, NULL, 0, rank, &w);
    build_and_check(0, NULL, 0, rank, &w);
}

/* Every allocation failure gives RP_ENOMEM and an empty result, never a crash. */
static void test_clusters_out_of_memory(void **state)
{
    (void)state;
    const rp_pair pairs[] = {P(5, 7, 0.81), P(3, 6, 0.9), P(1, 3, 0.95)};
    int rank[] = {0, 0, 0, 0, 0, 0, 0, 0};
    int failures = 0;
    for (long n = 1; n < 100; n++) {
        rpi_clusters cl;
        rpi_fail_alloc_after(n);
        int rc = rpi_clusters_build(8, pairs, 3, by_rank, rank, &cl);
        rpi_fail_alloc_after(0);
        if (rc == RP_OK) {
            assert_int_equal(cl.n, 2);
            rpi_clusters_free(&cl);
            break;
        }
        assert_int_equal(rc, RP_ENOMEM);
        assert_null(cl.start);
        assert_null(cl.removed);
        failures++;
    }
    assert_true(failures >= 5);
}

/* Write each set to spill file (i % 2) and fill its reference. */
static void spill_sets(rpi_spill *sp, const uint64_t *const *sets, const size_t *sizes,
                       size_t n, rpi_setref *ref)
{
    char err[256];
    assert_int_equal(rpi_spill_open(sp, 2, err, sizeof err), RP_OK);
    for (size_t i = 0; i < n; i++) {
        ref[i].file = (uint32_t)(i % 2);
        ref[i].n = (uint32_t)sizes[i];
        assert_int_equal(rpi_spill_write(sp, (int)(i % 2), sets[i], sizes[i], &ref[i].off),
                         RP_OK);
    }
    assert_int_equal(rpi_spill_flush(sp), RP_OK);
}

static void test_verify_known_sets(void **state)
{
    (void)state;
    static const uint64_t s0[] = {5, 1, 4, 1, 2, 3, 2, 1}; /* {1,2,3,4,5} with repeats */
    static const uint64_t s1[] = {6, 5, 4, 4}; /* {4,5,6} */
    static const uint64_t s2[] = {3, 2, 1, 5, 4}; /* the same set as s0 */
    static const uint64_t s3[] = {100};
    static const uint64_t s4[] = {12, 10, 8, 6, 4, 2};
    const uint64_t *const sets[] = {s0, s1, s2, s3, s4};
    const size_t sizes[] = {8, 4, 5, 1, 6};
    rpi_spill sp;
    rpi_setref ref[5];
    spill_sets(&sp, sets, sizes, 5, ref);
#define C(a, b) ((uint64_t)(a) << 32 | (b))
    static const uint64_t cand[] = {C(0, 1), C(0, 2), C(0, 3), C(0, 4),
                                    C(1, 2), C(1, 4), C(2, 3), C(3, 4)};
#undef C
    static const uint32_t want_i[] = {2, 5, 0, 2, 2, 2, 0, 0};
    static const uint32_t want_a[] = {5, 5, 5, 5, 3, 3, 5, 1};
    static const uint32_t want_b[] = {3, 5, 1, 6, 5, 6, 1, 6};
    for (int t = 1; t <= 3; t += 2) {
        uint32_t inter[8], na[8], nb[8];
        assert_int_equal(rpi_verify(&sp, ref, NULL, NULL, NULL, cand, 8, t, inter, na, nb), RP_OK);
        assert_memory_equal(inter, want_i, sizeof inter);
        assert_memory_equal(na, want_a, sizeof na);
        assert_memory_equal(nb, want_b, sizeof nb);
    }
    /* A reference past the end of its file is an I/O error. */
    rpi_setref bad[5];
    memcpy(bad, ref, sizeof bad);
    bad[3].off = 4096;
    uint32_t inter[8], na[8], nb[8];
    assert_int_equal(rpi_verify(&sp, bad, NULL, NULL, NULL, cand, 8, 1, inter, na, nb), RP_EIO);
    rpi_spill_close(&sp);
}

/* Many random sets, every pair, against brute force; 1 and 3 threads. */
static void test_verify_random(void **state)
{
    (void)state;
    enum { ND = 40, MAXS = 80 };
    static uint64_t data[ND][MAXS];
    const uint64_t *sets[ND];
    size_t sizes[ND];
    uint64_t st = 777;
    for (size_t d = 0; d < ND; d++) {
        sizes[d] = 10 + ut_rand(&st) % (MAXS - 10);
        for (size_t i = 0; i < sizes[d]; i++)
            data[d][i] = ut_mix64(ut_rand(&st) % 200);
        sets[d] = data[d];
    }
    rpi_spill sp;
    rpi_setref ref[ND];
    spill_sets(&sp, sets, sizes, ND, ref);
    size_t nc = ND * (ND - 1) / 2, c = 0;
    uint64_t *cand = malloc(nc * sizeof *cand);
    uint32_t *want = malloc(3 * nc * sizeof *want), *got = malloc(3 * nc * sizeof *got);
    assert_non_null(cand);
    assert_non_null(want);
    assert_non_null(got);
    for (uint32_t a = 0; a < ND; a++)
        for (uint32_t b = a + 1; b < ND; b++, c++) {
            cand[c] = (uint64_t)a << 32 | b;
            size_t i = 0, na = 0, nb = 0;
            for (size_t x = 0; x < sizes[a]; x++) { /* distinct members of a, and in b */
                int seen = 0, inb = 0;
                for (size_t y = 0; y < x; y++)
                    seen |= data[a][y] == data[a][x];
                if (seen)
                    continue;
                na++;
                for (size_t y = 0; y < sizes[b]; y++)
                    inb |= data[b][y] == data[a][x];
                i += (size_t)inb;
            }
            for (size_t x = 0; x < sizes[b]; x++) {
                int seen = 0;
                for (size_t y = 0; y < x; y++)
                    seen |= data[b][y] == data[b][x];
                nb += (size_t)!seen;
            }
            want[c] = (uint32_t)i;
            want[nc + c] = (uint32_t)na;
            want[2 * nc + c] = (uint32_t)nb;
        }
    for (int t = 1; t <= 3; t += 2) {
        memset(got, 0xff, 3 * nc * sizeof *got);
        assert_int_equal(rpi_verify(&sp, ref, NULL, NULL, NULL, cand, nc, t, got, got + nc,
                                    got + 2 * nc),
                         RP_OK);
        assert_memory_equal(got, want, 3 * nc * sizeof *got);
    }
    rpi_spill_close(&sp);
    free(cand);
    free(want);
    free(got);
}

/* ---- figures (facts.c) --------------------------------------------------------- */

/* The one figure of text s (asserted), with its wording into w. */
static rpi_figure one_figure(const char *s, char *w, size_t cap)
{
    rpi_figure f[8];
    size_t n = rpi_figures(s, 0, strlen(s), f, 8);
    if (n != 1)
        fail_msg("\"%s\": %zu figures, expected 1", s, n);
    snprintf(w, cap, "%.*s", (int)(f[0].end - f[0].start), s + f[0].start);
    return f[0];
}

static void test_figures_by_value(void **state)
{
    (void)state;
    char w[128];
    /* One range, however it is written. */
    const char *same[] = {"sent 10,000-12,000 troops to", "sent 10,000 to 12,000 troops to",
                          "sent 10000 to 12000 troops to",
                          "sent between 10,000 and 12,000 troops to",
                          ("sent 10,000\xE2\x80\x93" "12,000 troops to")};
    rpi_figure f0 = one_figure(same[0], w, sizeof w);
    assert_string_equal(w, "10,000-12,000 troops");
    assert_int_equal(f0.kind, RPI_FIG_RANGE);
    for (size_t i = 1; i < UT_ARRAY_LEN(same); i++) {
        rpi_figure f = one_figure(same[i], w, sizeof w);
        assert_true(rpi_figures_equal(&f0, &f));
        assert_true(f.unit == f0.unit);
    }
    /* A bound is another value; an approximation word hedges the same one. */
    rpi_figure up = one_figure("has sent up to 12,000 troops to support", w, sizeof w);
    assert_string_equal(w, "up to 12,000 troops");
    assert_int_equal(up.qual, RPI_QUAL_MAX);
    rpi_figure about = one_figure("it sent about 10,000 to 12,000 troops to Russia", w, sizeof w);
    assert_string_equal(w, "about 10,000 to 12,000 troops");
    assert_int_equal(about.qual, RPI_QUAL_APPROX);
    assert_false(rpi_figures_equal(&up, &about));
    assert_true(rpi_figures_equal(&f0, &about)); /* "about" hedges the same range */
    assert_true(rpi_figures_comparable(&up, &about));
    rpi_figure around = one_figure("sent around 3,000 additional troops to", w, sizeof w);
    assert_string_equal(w, "around 3,000 additional troops");
    rpi_figure more = one_figure("more than 3,000 people", w, sizeof w);
    assert_int_equal(more.qual, RPI_QUAL_MIN);
    assert_false(rpi_figures_equal(&around, &more));
    rpi_figure three = one_figure("sent 3,000 additional troops to", w, sizeof w);
    assert_true(rpi_figures_equal(&around, &three));
    rpi_figure least = one_figure("at least 3,000 additional troops", w, sizeof w);
    assert_false(rpi_figures_equal(&three, &least));
    /* Amounts and percentages by value, whatever the spelling. */
    rpi_figure m1 = one_figure("profit of $1.5 million in", w, sizeof w);
    rpi_figure m2 = one_figure("profit of 1.5 mln dlrs in", w, sizeof w);
    assert_int_equal(m1.kind, RPI_FIG_AMOUNT);
    assert_true(rpi_figures_equal(&m1, &m2));
    rpi_figure p1 = one_figure("rose 5% last", w, sizeof w), p2 = one_figure("rose 5 pct last", w, sizeof w);
    assert_int_equal(p1.kind, RPI_FIG_PERCENT);
    assert_true(rpi_figures_equal(&p1, &p2));
    assert_false(rpi_figures_comparable(&p1, &m1));
    /* A decimal comma: one or two digits after it are no thousands group. */
    rpi_figure c1 = one_figure("mit 37,5 Prozent und", w, sizeof w);
    assert_true(c1.lo == 37.5);
    rpi_figure c2 = one_figure("seulement 33,35 % contre", w, sizeof w);
    assert_int_equal(c2.kind, RPI_FIG_PERCENT);
    assert_true(fabs(c2.lo - 33.35) < 1e-9);
    rpi_figure c3 = one_figure("shares at 2,29 dlrs each", w, sizeof w);
    rpi_figure c4 = one_figure("shares at 2.29 dlrs each", w, sizeof w);
    assert_true(rpi_figures_equal(&c3, &c4));
    assert_true(one_figure("sold 1,200 cars", w, sizeof w).lo == 1200);
    /* Percent in words of several languages, and before the figure. */
    const char *pct[] = {"rose 12 per cent in", "subió un 12 por ciento en", "hausse de 12 pour cent",
                         "o 12 proc. więcej", "um 12 Prozent", "yüzde 12 arttı", "arttı %12 oranında",
                         "Yüzde 12 arttı"};
    rpi_figure twelve = one_figure("rose 12% in", w, sizeof w);
    for (size_t i = 0; i < UT_ARRAY_LEN(pct); i++) {
        rpi_figure f = one_figure(pct[i], w, sizeof w);
        if (f.kind != RPI_FIG_PERCENT)
            fail_msg("\"%s\": not a percentage", pct[i]);
        assert_true(rpi_figure_key(&f) == rpi_figure_key(&twelve));
    }
    assert_int_equal(one_figure("12 per person", w, sizeof w).kind, RPI_FIG_NUMBER);
    assert_int_equal(one_figure("the 12 cent coin", w, sizeof w).kind, RPI_FIG_NUMBER);
    rpi_figure list[4];
    assert_int_equal(rpi_figures("rooms 1,2,3 and", 0, 15, list, 4), 3); /* a list: three */
    /* Dates, weekdays and months, and what they are the time of. */
    rpi_figure d1 = one_figure("signed on March 7 the", w, sizeof w);
    rpi_figure d2 = one_figure("signed on 7 March the", w, sizeof w);
    assert_int_equal(d1.kind, RPI_FIG_DATE);
    assert_true(rpi_figures_equal(&d1, &d2));
    rpi_figure fri = one_figure("met in Pyongyang on Friday and", w, sizeof w);
    rpi_figure wed = one_figure("a meeting in Pyongyang on Wednesday, Kim", w, sizeof w);
    rpi_figure thu = one_figure("state media reported Thursday the", w, sizeof w);
    assert_int_equal(fri.kind, RPI_FIG_WEEKDAY);
    assert_true(fri.unit == wed.unit && fri.unit != thu.unit);
    assert_false(rpi_figures_equal(&fri, &wed));
    rpi_figure iso = one_figure("date 2025-03-22 Seoul", w, sizeof w);
    assert_int_equal(iso.kind, RPI_FIG_DATE);
    assert_string_equal(w, "2025-03-22");
}

/* The only figure of t[lo..hi) (a sentence's words) once rpi_figures_span
 * has taken in its signs. */
static rpi_figure span_figure(const char *t, size_t lo, size_t hi)
{
    rpi_figure f[4];
    rpi_figures_span(t, strlen(t), &lo, &hi);
    assert_int_equal(rpi_figures(t, lo, hi, f, 4), 1);
    return f[0];
}

/* A sentence's figures take in the signs outside its words: "5.75%." closing
 * a sentence is a percentage (its words end at "5.75"), "$10 million"
 * opening one an amount; the same figure as "5.75 percent". */
static void test_figures_span(void **state)
{
    (void)state;
    const char *t = "The rate rose to 5.75%. $10 million was paid. Es sind 12\xC2\xA0% mehr.";
    size_t end1 = (size_t)(strstr(t, "%.") - t); /* the first sentence's words end at "5.75" */
    rpi_figure pct = span_figure(t, 0, end1);
    assert_int_equal(pct.kind, RPI_FIG_PERCENT);
    assert_true(pct.lo == 5.75);
    size_t lo = (size_t)(strstr(t, "10 million") - t), hi = (size_t)(strstr(t, " was") - t);
    size_t lo2 = lo, hi2 = hi;
    rpi_figures_span(t, strlen(t), &lo2, &hi2);
    assert_int_equal(lo2, lo - 1); /* the "$" */
    assert_int_equal(hi2, hi); /* nothing after */
    rpi_figure amount = span_figure(t, lo, hi);
    assert_int_equal(amount.kind, RPI_FIG_AMOUNT);
    assert_true(amount.lo == 10e6);
    size_t end3 = (size_t)(strstr(t, "\xC2\xA0%") - t); /* a no-break space before "%" */
    rpi_figure de = span_figure(t, (size_t)(strstr(t, "Es") - t), end3);
    assert_int_equal(de.kind, RPI_FIG_PERCENT);
    assert_true(de.lo == 12);
    const char *tr = "Fiyatlar %12 arttı. %7 oranında.";
    size_t lo7 = (size_t)(strstr(tr, "7") - tr);
    rpi_figure seven = span_figure(tr, lo7, lo7 + 1); /* (a sentence opening with "%7") */
    assert_int_equal(seven.kind, RPI_FIG_PERCENT);
    char w[64];
    rpi_figure words = one_figure("rose to 5.75 percent on", w, sizeof w);
    assert_true(rpi_figure_key(&pct) == rpi_figure_key(&words));
    /* Read without the span, as before: a plain number, another figure. */
    rpi_figure bare[2];
    assert_int_equal(rpi_figures(t, 0, end1, bare, 2), 1);
    assert_int_equal(bare[0].kind, RPI_FIG_NUMBER);
    assert_true(rpi_figure_key(&bare[0]) != rpi_figure_key(&words));
}

/* What a figure counts is read in the letters of any script, lower-cased, and
 * one word of it (the function words are English): "14 شخصا" and "16 شخصا"
 * count one thing, "14 جريحا" another. */
static void test_figures_unit_any_script(void **state)
{
    (void)state;
    /* Each text's one figure, its wording (NULL: not checked), and a row whose
     * unit it has (same) or has not (other), -1 for none. */
    static const struct {
        const char *text, *wording;
        int same, other;
    } cases[] = {
        {"قتل 14 شخصا في القرية", "14 شخصا", -1, -1},
        {"قتل 16 شخصا وأصيب آخرون", "16 شخصا", 0, -1},
        {"أصيب 14 جريحا", NULL, -1, 0},
        {"Погибли 14 Человек.", "14 Человек", -1, -1},
        {"погибли 16 человек", NULL, 3, -1},
        {"to 233 szliśmy dalej", "233 szliśmy", -1, -1}, /* (a cut word "szli" before) */
        {"hay 14 víctimas mortales", "14 víctimas", -1, -1},
        {"sent 3,000 additional troops to", "3,000 additional troops", -1, -1}, /* ASCII: two */
        {"sent 3,000 troops", NULL, 7, -1},
        /* A second word beyond ASCII is not read: it may be a function word. */
        {"starben 14 Menschen über die", "14 Menschen", -1, -1},
        {"starben 16 Menschen", NULL, 9, -1},
        {"killed 14 people في القرية", "14 people", -1, -1},
        {"נהרגו 14 בני אדם", "14 בני", -1, -1},
        /* A zero-width non-joiner inside a word is passed over; a word of a
         * script without spaces is one character, as its tokens are. */
        {"14 کشته\u200cشده در", "14 کشته\u200cشده", -1, -1},
        {"16 کشته\u200cشده", NULL, 13, -1},
        {"地震造成14人死亡", "14人", -1, -1},
        {"14 \u00a9people", "14", -1, -1}, /* a symbol is no word */
    };
    enum { N = sizeof cases / sizeof *cases };
    uint64_t unit[N];
    char w[64];
    for (int i = 0; i < N; i++) {
        unit[i] = one_figure(cases[i].text, w, sizeof w).unit;
        if (cases[i].wording)
            assert_string_equal(w, cases[i].wording);
        if (cases[i].same >= 0) {
            assert_true(unit[i] != 0);
            assert_true(unit[i] == unit[cases[i].same]);
        }
        if (cases[i].other >= 0)
            assert_true(unit[i] != unit[cases[i].other]);
    }
    /* A word longer than the unit's buffer is read whole, its unit from its
     * first characters. */
    char longw[200] = "14 ";
    for (int r = 0; r < 40; r++)
        strcat(longw, "\u0634"); /* 80 bytes of one Arabic letter */
    char lw[200];
    rpi_figure l = one_figure(longw, lw, sizeof lw);
    assert_string_equal(lw, longw);
    assert_true(l.unit != 0);
}

/* Figures written in the digits of any script read as in ASCII digits, with
 * their offsets into the text: Arabic-Indic with the Arabic separators and
 * percent sign, Persian, Devanagari. */
static void test_figures_any_script(void **state)
{
    (void)state;
    const char *t = "ارتفع التضخم إلى ٣٫٥٪ وقتل ١٢ شخصا";
    rpi_figure f[4];
    size_t lo = 0, hi = strlen(t), n = 0;
    rpi_figures_span(t, strlen(t), &lo, &hi);
    assert_int_equal(rpi_figures_read(t, lo, hi, f, 4, &n), RP_OK);
    assert_int_equal(n, 2);
    assert_int_equal(f[0].kind, RPI_FIG_PERCENT);
    assert_true(f[0].lo == 3.5);
    const char *pct = strstr(t, "٣");
    assert_int_equal(f[0].start, (uint32_t)(pct - t));
    assert_true(f[0].end >= (uint32_t)(strstr(t, "٪") - t) + 2); /* the sign, whole */
    assert_true(f[1].lo == 12);
    assert_int_equal(f[1].start, (uint32_t)(strstr(t, "١٢") - t));
    /* The same figures in ASCII digits have the same keys. */
    const char *a = "ارتفع التضخم إلى 3.5% وقتل 12 شخصا";
    rpi_figure g[4];
    size_t m = 0;
    assert_int_equal(rpi_figures_read(a, 0, strlen(a), g, 4, &m), RP_OK);
    assert_int_equal(m, 2);
    assert_true(rpi_figure_key(&f[0]) == rpi_figure_key(&g[0]));
    assert_true(rpi_figure_key(&f[1]) == rpi_figure_key(&g[1]));
    /* Persian digits with a thousands separator; Devanagari. */
    const char *fa = "۱٬۲۰۰ نفر";
    assert_int_equal(rpi_figures_read(fa, 0, strlen(fa), f, 4, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_true(f[0].lo == 1200);
    assert_int_equal(f[0].start, 0);
    const char *hi_ = "कुल १३५९ लोग";
    assert_int_equal(rpi_figures_read(hi_, 0, strlen(hi_), f, 4, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_true(f[0].lo == 1359);
    /* The Arabic thousands separator groups; it is never a decimal comma. */
    const char *th = "١٬٢٣ شخصا";
    assert_int_equal(rpi_figures_read(th, 0, strlen(th), f, 4, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_true(f[0].lo == 123);
    /* Mathematical digits (five runs of ten in one block). */
    const char *md = "𝟙𝟚 troops and 𝟘𝟙𝟘 more";
    assert_int_equal(rpi_figures_read(md, 0, strlen(md), f, 4, &n), RP_OK);
    assert_int_equal(n, 2);
    assert_true(f[0].lo == 12);
    assert_true(f[1].lo == 10);
    /* The Arabic percent sign just after a sentence's last word is the
     * sentence's (rpi_figures_span), as "%" is. */
    const char *ps = "ارتفع التضخم إلى ٧٪";
    size_t plo = 0, phi = (size_t)(strstr(ps, "٪") - ps);
    rpi_figures_span(ps, strlen(ps), &plo, &phi);
    assert_int_equal(phi, strlen(ps));
    assert_int_equal(rpi_figures_read(ps, plo, phi, f, 4, &n), RP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(f[0].kind, RPI_FIG_PERCENT);
    /* ASCII text reads as rpi_figures reads it. */
    const char *en = "about 10,000 to 12,000 troops";
    assert_int_equal(rpi_figures_read(en, 0, strlen(en), f, 4, &n), RP_OK);
    assert_int_equal(n, rpi_figures(en, 0, strlen(en), g, 4));
    assert_true(rpi_figures_equal(&f[0], &g[0]));
}

static void test_figures_not_figures(void **state)
{
    (void)state;
    rpi_figure f[8];
    /* Seasons and relative time, names with digits, the verb "may": no figure. */
    const char *none[] = {"last fall it sent", "last autumn it sent", "Hwasong-11 missiles",
                          "it may rain", "the G7 summit", "the 3rd time"};
    for (size_t i = 0; i < UT_ARRAY_LEN(none); i++) {
        size_t n = rpi_figures(none[i], 0, strlen(none[i]), f, 8);
        if (n != 0)
            fail_msg("\"%s\": %zu figures, expected none", none[i], n);
    }
    /* A year, and a sentence with several figures in text order. */
    const char *s = "In June 2024, 50 missiles hit six regions; by March 14, 7,000 containers.";
    size_t n = rpi_figures(s, 0, strlen(s), f, 8);
    assert_int_equal(n, 5);
    assert_int_equal(f[0].kind, RPI_FIG_MONTH);
    assert_int_equal(f[1].kind, RPI_FIG_YEAR);
    assert_int_equal(f[2].kind, RPI_FIG_NUMBER);
    assert_int_equal(f[3].kind, RPI_FIG_DATE);
    assert_int_equal(f[4].kind, RPI_FIG_NUMBER);
    assert_true(f[4].lo == 7000);
    /* Bounded: more figures than room are counted, only cap are written. */
    char many[4096] = {0};
    for (int i = 0; i < 300; i++)
        snprintf(many + strlen(many), sizeof many - strlen(many), "%d ", i + 1);
    assert_int_equal(rpi_figures(many, 0, strlen(many), f, 8), 300);
    assert_string_equal(rpi_figure_kind_name(RPI_FIG_WEEKDAY), "weekday");
}

/* ---- timelines (timeline.c) ---------------------------------------------------- */

static rp_pair R(uint32_t a, uint32_t b, rp_relation rel)
{
    return (rp_pair){.a = a, .b = b, .relation = rel, .event = 0.3};
}

/* The date keys of an array (an rpi_date_fn). */
static int64_t date_in(void *ctx, uint32_t doc)
{
    return ((const int64_t *)ctx)[doc];
}

/* The seeds' shape: a story of three (0, 1, 2; 1-2 a reprint), an earlier
 * event (3) and a later one (4) on the same subject; dates as given. */
static void test_timeline_events_by_date(void **state)
{
    (void)state;
    rp_pair p[] = {R(0, 1, RP_REL_SAME_STORY), R(0, 2, RP_REL_SAME_STORY), R(1, 2, RP_REL_REPRINT),
                   R(0, 3, RP_REL_SAME_TOPIC), R(0, 4, RP_REL_SAME_TOPIC),
                   R(1, 3, RP_REL_SAME_TOPIC), R(1, 4, RP_REL_SHARES_PASSAGES),
                   R(2, 3, RP_REL_SAME_TOPIC), R(2, 4, RP_REL_SHARES_PASSAGES),
                   R(3, 4, RP_REL_SAME_TOPIC)};
    size_t start[] = {0, 3};
    uint32_t members[] = {0, 1, 2}, rep[] = {0};
    rpi_clusters st = {.n = 1, .start = start, .members = members, .rep = rep};
    int64_t date[] = {20250321000000, 20250322031000, 20250321000000, 20240913000000,
                      20250618000000};
    rpi_timelines tl;
    assert_int_equal(rpi_timelines_build(5, p, 10, &st, date_in, date, &tl), RP_OK);
    assert_int_equal(tl.n, 1);
    assert_int_equal(tl.start[1], 3);
    /* 3 (September 2024), the story (March 2025), 4 (June 2025). */
    assert_int_equal(tl.ev[0].story, UINT32_MAX);
    assert_int_equal(tl.ev[0].doc, 3);
    assert_int_equal(tl.ev[1].story, 0);
    assert_int_equal(tl.ev[1].doc, 0);
    assert_true(tl.ev[1].first == 20250321000000 && tl.ev[1].last == 20250322031000);
    assert_int_equal(tl.ev[2].doc, 4);
    rpi_timelines_free(&tl);
    /* Undated: the story keeps no dates and goes last; the rest by date. */
    date[0] = date[1] = date[2] = INT64_MAX;
    assert_int_equal(rpi_timelines_build(5, p, 10, &st, date_in, date, &tl), RP_OK);
    assert_int_equal(tl.ev[0].doc, 3);
    assert_int_equal(tl.ev[1].doc, 4);
    assert_int_equal(tl.ev[2].story, 0);
    assert_true(tl.ev[2].first == INT64_MAX && tl.ev[2].last == INT64_MAX);
    rpi_timelines_free(&tl);
}

/* Every allocation of the timelines failing in turn: out of memory, or the
 * one timeline of three events related two by two; never success without
 * it (an allocation after the join once failed into RP_OK and no timeline). */
static void test_timeline_out_of_memory(void **state)
{
    (void)state;
    rp_pair p[] = {R(0, 1, RP_REL_SAME_TOPIC), R(0, 2, RP_REL_SAME_TOPIC),
                   R(1, 2, RP_REL_SAME_TOPIC)};
    rpi_clusters none = {0};
    int64_t date[3] = {INT64_MAX, INT64_MAX, INT64_MAX};
    int ok = 0, failed = 0;
    for (long n = 1; n < 200 && !ok; n++) {
        rpi_timelines tl;
        rpi_fail_alloc_after(n);
        int rc = rpi_timelines_build(3, p, 3, &none, date_in, date, &tl);
        rpi_fail_alloc_after(0);
        if (rc == RP_OK) {
            ok = 1;
            assert_int_equal(tl.n, 1);
            assert_int_equal(tl.start[1], 3);
            rpi_timelines_free(&tl);
        } else {
            assert_int_equal(rc, RP_ENOMEM);
            failed++;
        }
    }
    assert_true(ok && failed > 5);
}

/* A chain of subjects does not make one timeline: 0-1 and 2-3 are two
 * subjects, each two related events; one round-up (1-2) links them. More
 * than half the pairs of events across two groups must relate. Unrelated
 * pairs (all_pairs) link nothing, and a lone event is no timeline. */
static void test_timeline_no_chaining(void **state)
{
    (void)state;
    rp_pair p[] = {R(0, 1, RP_REL_SAME_TOPIC), R(1, 2, RP_REL_SAME_TOPIC),
                   R(2, 3, RP_REL_SHARES_PASSAGES), R(4, 5, RP_REL_UNRELATED)};
    rpi_clusters none = {0};
    int64_t date[6] = {INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX};
    rpi_timelines tl;
    assert_int_equal(rpi_timelines_build(6, p, 4, &none, date_in, date, &tl), RP_OK);
    assert_int_equal(tl.n, 2);
    assert_int_equal(tl.start[1], 2);
    assert_int_equal(tl.start[2], 4);
    assert_int_equal(tl.ev[0].doc, 0);
    assert_int_equal(tl.ev[1].doc, 1);
    assert_int_equal(tl.ev[2].doc, 2);
    assert_int_equal(tl.ev[3].doc, 3);
    rpi_timelines_free(&tl);
    /* When 0 and 3 relate too, 2 of the 4 pairs across do: still not more than half. */
    rp_pair q[] = {R(0, 1, RP_REL_SAME_TOPIC), R(1, 2, RP_REL_SAME_TOPIC),
                   R(2, 3, RP_REL_SHARES_PASSAGES), R(0, 3, RP_REL_SAME_TOPIC),
                   R(0, 2, RP_REL_SAME_TOPIC)};
    assert_int_equal(rpi_timelines_build(4, q, 5, &none, date_in, date, &tl), RP_OK);
    /* With 0-2 as well, 3 of 4: one subject. */
    assert_int_equal(tl.n, 1);
    assert_int_equal(tl.start[1], 4);
    rpi_timelines_free(&tl);
    assert_int_equal(rpi_timelines_build(4, q, 4, &none, date_in, date, &tl), RP_OK);
    assert_int_equal(tl.n, 2);
    rpi_timelines_free(&tl);
}

/* ---- stories (story.c) -------------------------------------------------------- */

static rp_pair S(uint32_t a, uint32_t b, rp_relation rel, double event)
{
    rp_pair p = {.a = a, .b = b, .relation = rel, .event = event};
    return p;
}

/* The story of each document: the number of the document naming its story (the
 * first of the group the pairs made), from the star. */
static void stories_of(size_t ndocs, const rp_pair *pairs, size_t npairs, const uint32_t *unit,
                       uint32_t *story)
{
    rp_pair *star = NULL;
    size_t nstar = 0;
    assert_int_equal(
        rpi_stories_join(ndocs, pairs, npairs, unit, RP_REL_SAME_STORY, &star, &nstar, NULL,
                         NULL, NULL),
        RP_OK);
    for (size_t d = 0; d < ndocs; d++)
        story[d] = (uint32_t)d;
    for (size_t i = 0; i < nstar; i++) {
        assert_true(star[i].a != star[i].b);
        story[star[i].b] = star[i].a;
    }
    rpi_free(star);
}

/* stories_of with the pairs in reverse order (the order pairs come in never
 * matters). */
static void stories_of_reversed(size_t ndocs, const rp_pair *pairs, size_t npairs,
                                const uint32_t *unit, uint32_t *story)
{
    rp_pair *r = malloc(npairs * sizeof *r + 1);
    assert_non_null(r);
    for (size_t i = 0; i < npairs; i++)
        r[i] = pairs[npairs - 1 - i];
    stories_of(ndocs, r, npairs, unit, story);
    free(r);
}

static void test_story_chain_does_not_merge(void **state)
{
    (void)state;
    /* A~B and B~C, A and C not a story pair: C fits one of two, so it stays out. A and B
     * (the stronger link) join first. */
    uint32_t unit[3] = {0, 1, 2}, st[3];
    rp_pair p[] = {S(0, 1, RP_REL_SAME_STORY, 0.6), S(1, 2, RP_REL_SAME_STORY, 0.4)};
    stories_of(3, p, 2, unit, st);
    assert_int_equal(st[0], 0);
    assert_int_equal(st[1], 0);
    assert_int_equal(st[2], 2);
    /* The other link stronger: B joins C, and A stays out. */
    p[1].event = 0.9;
    stories_of(3, p, 2, unit, st);
    assert_int_equal(st[0], 0);
    assert_int_equal(st[1], 1);
    assert_int_equal(st[2], 1);
    /* A long chain 0~1~2~3~4~5 gives pairs, never one story. */
    uint32_t unit6[6] = {0, 1, 2, 3, 4, 5}, st6[6];
    rp_pair chain[5];
    for (uint32_t i = 0; i < 5; i++)
        chain[i] = S(i, i + 1, RP_REL_SAME_STORY, 0.5 - 0.01 * i);
    stories_of(6, chain, 5, unit6, st6);
    static const uint32_t want6[6] = {0, 0, 2, 2, 4, 4};
    assert_memory_equal(st6, want6, sizeof want6);
}

/* The documents a vector function was asked for (up to 8). */
typedef struct asked {
    uint32_t doc[8];
    size_t n;
} asked;

static int note_doc(void *ctx, uint32_t doc, int which, const rpi_term **t, size_t *n)
{
    (void)which;
    asked *a = ctx;
    if (a->n < 8)
        a->doc[a->n] = doc;
    a->n++;
    *t = NULL;
    *n = 0;
    return RP_OK;
}

/* test_story_alone_joins's documents spread over a million (3, 400000,
 * 400001), and a copy cluster {10, 20} in no pair: the join indexes the
 * units in a pair only and gives what tables over every document gave. */
static void test_story_join_sparse(void **state)
{
    (void)state;
    const size_t ndocs = 1000000;
    uint32_t *unit = malloc(ndocs * sizeof *unit);
    uint8_t *alone = malloc(ndocs);
    assert_true(unit && alone);
    for (size_t d = 0; d < ndocs; d++)
        unit[d] = (uint32_t)d;
    unit[20] = 10;
    rp_pair p[3] = {S(400000, 400001, RP_REL_SAME_STORY, 0.5),
                    S(3, 400000, RP_REL_SAME_TOPIC, 0.35), S(3, 400001, RP_REL_SAME_TOPIC, 0.25)};
    p[1].why = p[2].why = "no passage shared, similar content words";
    p[0].specifics = 0.5;
    p[1].specifics = p[2].specifics = 0.3;
    rp_pair *star = NULL;
    size_t nstar = 0;
    asked a = {{0}, 0};
    assert_int_equal(rpi_stories_join(ndocs, p, 3, unit, RP_REL_SAME_STORY, &star, &nstar, alone,
                                      note_doc, &a),
                     RP_OK);
    /* 3 joins the story of 400000 by the mean; the copies stay a group
     * (star pairs come in the order of their second documents). */
    assert_int_equal(nstar, 3);
    assert_true(star[0].a == 400000 && star[0].b == 3);
    assert_true(star[1].a == 10 && star[1].b == 20);
    assert_true(star[2].a == 400000 && star[2].b == 400001);
    rpi_free(star);
    assert_int_equal(a.n, 0); /* (joined by the mean: no centroid asked) */
    size_t nalone = 0;
    for (size_t d = 0; d < ndocs; d++)
        nalone += alone[d];
    assert_int_equal(nalone, ndocs - 2);
    assert_true(!alone[400000] && !alone[400001] && alone[3] && alone[10] && alone[20]);
    /* Below the story's similarity on average: its centroid is asked, with
     * the documents' own numbers (3, then the story's: 400000, 400001). */
    p[2].event = 0.1;
    assert_int_equal(rpi_stories_join(ndocs, p, 3, unit, RP_REL_SAME_STORY, &star, &nstar, NULL,
                                      note_doc, &a),
                     RP_OK);
    assert_int_equal(nstar, 2);
    assert_true(star[0].a == 10 && star[0].b == 20);
    assert_true(star[1].a == 400000 && star[1].b == 400001);
    rpi_free(star);
    assert_true(a.n >= 3);
    for (size_t i = 0; i < a.n && i < 8; i++)
        assert_true(a.doc[i] == 3 || a.doc[i] == 400000 || a.doc[i] == 400001);
    free(unit);
    free(alone);
}

static void test_story_that_must_merge(void **state)
{
    (void)state;
    /* A triangle is one story; a fourth document linked to two of its three joins it. */
    uint32_t unit[5] = {0, 1, 2, 3, 4}, st[5];
    rp_pair p[] = {S(0, 1, RP_REL_SAME_STORY, 0.5), S(0, 2, RP_REL_SAME_STORY, 0.4),
                   S(1, 2, RP_REL_REPRINT, 0.3), S(2, 3, RP_REL_SAME_STORY, 0.3),
                   S(1, 3, RP_REL_SAME_STORY, 0.3), S(3, 4, RP_REL_SAME_STORY, 0.2)};
    stories_of(5, p, 6, unit, st);
    static const uint32_t want[5] = {0, 0, 0, 0, 4};
    assert_memory_equal(st, want, sizeof want);
    /* The same pairs in another order give the same stories. */
    stories_of_reversed(5, p, 6, unit, st);
    assert_memory_equal(st, want, sizeof want);
}

static void test_story_alone_joins(void **state)
{
    (void)state;
    /* 1 and 2 a story; 0 (added first) relates to both, same-topic, at a mean event
     * of 0.3 and specifics of 0.3: it fits the story as a whole and joins it. The
     * story is still named by its first document of the pairs' group (1), and
     * 0 was left alone by the pairs. */
    uint32_t unit[4] = {0, 1, 2, 3}, st[4];
    uint8_t alone[4];
    rp_pair p[5] = {S(1, 2, RP_REL_SAME_STORY, 0.5), S(0, 1, RP_REL_SAME_TOPIC, 0.35),
                    S(0, 2, RP_REL_SAME_TOPIC, 0.25)};
    p[1].why = p[2].why = "no passage shared, similar content words";
    p[0].specifics = 0.5;
    p[1].specifics = p[2].specifics = 0.3;
    rp_pair *star = NULL;
    size_t nstar = 0;
    assert_int_equal(rpi_stories_join(4, p, 3, unit, RP_REL_SAME_STORY, &star, &nstar, alone,
                                      NULL, NULL),
                     RP_OK);
    assert_int_equal(nstar, 2);
    for (size_t i = 0; i < nstar; i++)
        assert_int_equal(star[i].a, 1);
    rpi_free(star);
    static const uint8_t was_alone[4] = {1, 0, 0, 1};
    assert_memory_equal(alone, was_alone, sizeof was_alone);
    stories_of(4, p, 3, unit, st);
    static const uint32_t joined[4] = {1, 1, 1, 3};
    assert_memory_equal(st, joined, sizeof joined);
    /* Below the story's similarity on average: alone. */
    p[2].event = 0.1;
    stories_of(4, p, 3, unit, st);
    static const uint32_t apart[4] = {0, 1, 1, 3};
    assert_memory_equal(st, apart, sizeof apart);
    p[2].event = 0.25;
    /* Specifics below the story's on average: alone. */
    p[1].specifics = p[2].specifics = 0.1;
    stories_of(4, p, 3, unit, st);
    assert_memory_equal(st, apart, sizeof apart);
    p[1].specifics = p[2].specifics = 0.3;
    /* Related to one of the two only (the chain A~B~C), however close (its means
     * over the two would pass): alone. */
    p[1].event = 0.9;
    p[1].specifics = 0.9;
    stories_of(4, p, 2, unit, st);
    assert_memory_equal(st, apart, sizeof apart);
    p[1].event = 0.35;
    p[1].specifics = 0.3;
    /* A pair across telling another event (other days; shared background): alone. */
    p[2].why = "no passage shared, same subject, other days named";
    stories_of(4, p, 3, unit, st);
    assert_memory_equal(st, apart, sizeof apart);
    p[2].relation = RP_REL_SHARES_PASSAGES;
    p[2].why = "passages shared in the later parts only (background)";
    stories_of(4, p, 3, unit, st);
    assert_memory_equal(st, apart, sizeof apart);
    /* Figures alone are no veto: it joins. */
    p[2].relation = RP_REL_SAME_TOPIC;
    p[2].why = rpi_why_figures_only;
    stories_of(4, p, 3, unit, st);
    assert_memory_equal(st, joined, sizeof joined);
    /* Nor are two outlets' headlines or ledes (their angle): it joins. One
     * source's texts whose headlines share no word are two pieces of news: alone. */
    static const char *const angle[] = {
        "no passage shared, same subject, the headlines share no word",
        "no passage shared, same subject, the ledes name nothing in common"};
    for (int k = 0; k < 2; k++) {
        p[2].why = angle[k];
        assert_null(rpi_story_veto(&p[2]));
        assert_false(rpi_story_support(&p[2]));
        stories_of(4, p, 3, unit, st);
        assert_memory_equal(st, joined, sizeof joined);
    }
    p[2].why = "no passage shared, same subject, one source's texts whose headlines share no "
               "word";
    assert_non_null(rpi_story_veto(&p[2]));
    stories_of(4, p, 3, unit, st);
    assert_memory_equal(st, apart, sizeof apart);
    p[2].why = rpi_why_figures_only;
    /* A copy cluster is one unit: 3, a copy of 0, joins with it; and a pair of the
     * copy telling another event vetoes the unit's join, in any order of pairs. */
    uint32_t unitc[4] = {0, 1, 2, 0};
    rp_pair c[5] = {p[0], p[1], p[2], S(0, 3, RP_REL_DUPLICATE, 1)};
    stories_of(4, c, 4, unitc, st);
    static const uint32_t with_copy[4] = {1, 1, 1, 1};
    assert_memory_equal(st, with_copy, sizeof with_copy);
    c[4] = S(2, 3, RP_REL_SAME_TOPIC, 0.3);
    c[4].why = "no passage shared, same subject, other days named";
    stories_of(4, c, 5, unitc, st);
    static const uint32_t copy_apart[4] = {0, 1, 1, 0};
    assert_memory_equal(st, copy_apart, sizeof copy_apart);
    stories_of_reversed(4, c, 5, unitc, st);
    assert_memory_equal(st, copy_apart, sizeof copy_apart);
    /* Two stories it fits: the one it meets at the higher mean. */
    uint32_t unit5[5] = {0, 1, 2, 3, 4}, st5[5];
    rp_pair q[6] = {S(1, 2, RP_REL_SAME_STORY, 0.5), S(3, 4, RP_REL_SAME_STORY, 0.5),
                    S(0, 1, RP_REL_SAME_TOPIC, 0.3), S(0, 2, RP_REL_SAME_TOPIC, 0.3),
                    S(0, 3, RP_REL_SAME_TOPIC, 0.4), S(0, 4, RP_REL_SAME_TOPIC, 0.4)};
    for (int i = 0; i < 6; i++)
        q[i].specifics = 0.4;
    stories_of(5, q, 6, unit5, st5);
    static const uint32_t higher[5] = {3, 1, 1, 3, 3};
    assert_memory_equal(st5, higher, sizeof higher);
}

static void test_story_copies_count_once(void **state)
{
    (void)state;
    /* Documents 0, 1 and 2 are copies of one text (one unit); 3 is a rewrite linked to
     * copy 2 only. Counted by documents, 3 would fit one of three; by units, one of one. */
    uint32_t unit[4] = {0, 0, 0, 3}, st[4];
    rp_pair p[] = {S(0, 1, RP_REL_DUPLICATE, 1), S(0, 2, RP_REL_DUPLICATE, 1),
                   S(1, 2, RP_REL_DUPLICATE, 1), S(2, 3, RP_REL_SAME_STORY, 0.3)};
    stories_of(4, p, 4, unit, st);
    static const uint32_t want[4] = {0, 0, 0, 0};
    assert_memory_equal(st, want, sizeof want);
}

static void test_story_support(void **state)
{
    (void)state;
    rp_pair sup = {.relation = RP_REL_SAME_TOPIC, .event = 0.22, .why = rpi_why_support};
    /* A~B a story; C a story pair with A and a support pair with B: it fits the
     * story as a whole and contradicts none of it, so it joins. */
    uint32_t unit[4] = {0, 1, 2, 3}, st[4];
    rp_pair p[] = {S(0, 1, RP_REL_SAME_STORY, 0.6), S(0, 2, RP_REL_SAME_STORY, 0.4), sup};
    p[2].a = 1;
    p[2].b = 2;
    assert_true(rpi_story_support(&p[2]));
    stories_of(3, p, 3, unit, st);
    static const uint32_t joined[3] = {0, 0, 0};
    assert_memory_equal(st, joined, sizeof joined);
    /* Without the support pair, C fits one of two and stays out. */
    stories_of(3, p, 2, unit, st);
    static const uint32_t apart[3] = {0, 0, 2};
    assert_memory_equal(st, apart, sizeof apart);
    /* A same-topic pair with evidence of another event supports nothing. */
    rp_pair other = p[2];
    other.why = "no passage shared, similar content words";
    assert_false(rpi_story_support(&other));
    /* Support never starts a story: two documents with a support pair alone are no
     * story. Two stories (started by story pairs) whose every pair across is a
     * support pair are one; with one pair across missing, or telling another
     * event, they stay apart. */
    rp_pair q[6] = {S(0, 1, RP_REL_SAME_STORY, 0.6), S(2, 3, RP_REL_SAME_STORY, 0.6)};
    for (int i = 0; i < 4; i++) {
        q[2 + i] = sup;
        q[2 + i].a = (uint32_t)(i / 2);
        q[2 + i].b = (uint32_t)(2 + i % 2);
    }
    stories_of(4, q + 2, 1, unit, st);
    static const uint32_t none[4] = {0, 1, 2, 3};
    assert_memory_equal(st, none, sizeof none);
    stories_of(4, q, 6, unit, st);
    static const uint32_t one[4] = {0, 0, 0, 0}, two[4] = {0, 0, 2, 2};
    assert_memory_equal(st, one, sizeof one);
    stories_of(4, q, 5, unit, st);
    assert_memory_equal(st, two, sizeof two);
    q[5].why = "no passage shared, same subject, other days named";
    stories_of(4, q, 6, unit, st);
    assert_memory_equal(st, two, sizeof two);
}

static void test_story_majority_of_support(void **state)
{
    (void)state;
    /* Two stories, {0,1} and {2,3}, linked by a story pair 0~2; of the four pairs
     * across, 0~3 and 1~2 are support pairs and 1~3 is not listed: three of four
     * are story or support pairs, none tells another event, so they merge. Reports
     * of one event told by many outlets are rarely all compared. */
    rp_pair sup = {.relation = RP_REL_SAME_TOPIC, .event = 0.22, .why = rpi_why_support};
    uint32_t unit[4] = {0, 1, 2, 3}, st[4];
    rp_pair p[5] = {S(0, 1, RP_REL_SAME_STORY, 0.6), S(2, 3, RP_REL_SAME_STORY, 0.6),
                    S(0, 2, RP_REL_SAME_STORY, 0.3), sup, sup};
    p[3].a = 0;
    p[3].b = 3;
    p[4].a = 1;
    p[4].b = 2;
    stories_of(4, p, 5, unit, st);
    static const uint32_t one[4] = {0, 0, 0, 0};
    assert_memory_equal(st, one, sizeof one);
    /* In any order of pairs. */
    stories_of_reversed(4, p, 5, unit, st);
    assert_memory_equal(st, one, sizeof one);
    /* Two of four (half) are not most: apart. */
    static const uint32_t two[4] = {0, 0, 2, 2};
    stories_of(4, p, 4, unit, st);
    assert_memory_equal(st, two, sizeof two);
    /* The pair not listed tells another event (other days): apart, though three of
     * four pairs are story or support pairs. */
    rp_pair r[6];
    memcpy(r, p, sizeof p);
    r[5] = (rp_pair){.a = 1, .b = 3, .relation = RP_REL_SAME_TOPIC, .event = 0.3,
                     .why = "no passage shared, same subject, other days named"};
    stories_of(4, r, 6, unit, st);
    assert_memory_equal(st, two, sizeof two);
}

/* Vectors for the centroid join: per document its event terms and specifics. */
typedef struct testvec {
    rpi_term ev[3][3], sp[3][3];
    size_t nev[3], nsp[3];
    int calls;
} testvec;

static int test_vector(void *ctx, uint32_t doc, int which, const rpi_term **t, size_t *n)
{
    testvec *tv = ctx;
    tv->calls++;
    assert_true(doc < 3);
    *t = which ? tv->sp[doc] : tv->ev[doc];
    *n = which ? tv->nsp[doc] : tv->nev[doc];
    return RP_OK;
}

static void centroid_stories(const rp_pair *p, size_t np, testvec *tv, uint32_t *st)
{
    uint32_t unit[3] = {0, 1, 2};
    rp_pair *star = NULL;
    size_t nstar = 0;
    assert_int_equal(rpi_stories_join(3, p, np, unit, RP_REL_SAME_STORY, &star, &nstar, NULL,
                                      tv ? test_vector : NULL, tv),
                     RP_OK);
    for (uint32_t d = 0; d < 3; d++)
        st[d] = d;
    for (size_t i = 0; i < nstar; i++)
        st[star[i].b] = star[i].a;
    rpi_free(star);
}

static void test_story_centroid_join(void **state)
{
    (void)state;
    /* 1 and 2 a story (words a b, a c); 0 (words b c) has a pair with 1 only, below
     * the mean rule (one of two units, specifics low). Against the story's centroid,
     * the sum of its two vectors of length 1, its cosine is 1/sqrt(3) = 0.577, over
     * 0.316: it joins. */
    testvec tv = {.ev = {{{2, 1, 1}, {3, 1, 1}}, {{1, 1, 1}, {2, 1, 1}}, {{1, 1, 1}, {3, 1, 1}}},
                  .nev = {2, 2, 2}};
    rp_pair p[2] = {S(1, 2, RP_REL_SAME_STORY, 0.5), S(0, 1, RP_REL_SAME_TOPIC, 0.5)};
    p[1].why = "no passage shared, similar content words";
    p[1].specifics = 0.1;
    uint32_t st[3];
    static const uint32_t apart[3] = {0, 1, 1}, joined[3] = {1, 1, 1};
    centroid_stories(p, 2, NULL, st); /* without vectors: the mean rule alone */
    assert_memory_equal(st, apart, sizeof apart);
    centroid_stories(p, 2, &tv, st);
    assert_memory_equal(st, joined, sizeof joined);
    assert_true(tv.calls > 0);
    /* Words b and d: 0.5 / sqrt(3) = 0.289 with the centroid, under 0.316: alone. */
    tv.ev[0][1].hash = 4;
    centroid_stories(p, 2, &tv, st);
    assert_memory_equal(st, apart, sizeof apart);
    tv.ev[0][1].hash = 3;
    /* A pair across telling another event: alone. */
    rp_pair q[3] = {p[0], p[1], S(0, 2, RP_REL_SAME_TOPIC, 0.3)};
    q[2].why = "no passage shared, same subject, other days named";
    centroid_stories(q, 3, &tv, st);
    assert_memory_equal(st, apart, sizeof apart);
    /* Names: its specifics (x, y) against the story's (y, z in both: cosine 0.5 with
     * their centroid), over 2 x 0.2 / sqrt(2.4) = 0.258: it joins; with x, w (none in
     * common): alone. */
    tv.sp[0][0] = (rpi_term){10, 1, 1};
    tv.sp[0][1] = (rpi_term){11, 1, 1};
    tv.sp[1][0] = (rpi_term){11, 1, 1};
    tv.sp[1][1] = (rpi_term){12, 1, 1};
    tv.sp[2][0] = (rpi_term){11, 1, 1};
    tv.sp[2][1] = (rpi_term){12, 1, 1};
    tv.nsp[0] = tv.nsp[1] = tv.nsp[2] = 2;
    centroid_stories(p, 2, &tv, st);
    assert_memory_equal(st, joined, sizeof joined);
    tv.sp[0][1].hash = 13;
    centroid_stories(p, 2, &tv, st);
    assert_memory_equal(st, apart, sizeof apart);
}

/* ---- relation rules (relation.c) -------------------------------------------------- */

static rp_relation named_as(const rpi_features *f, const char *why_part)
{
    const char *why = NULL;
    rp_relation r = rpi_relation_name(f, &why);
    assert_non_null(why);
    if (why_part && !strstr(why, why_part)) {
        print_error("why \"%s\" lacks \"%s\"\n", why, why_part);
        fail();
    }
    return r;
}

static const char *rp_test_why(const rpi_features *f)
{
    const char *why = NULL;
    rpi_relation_name(f, &why);
    assert_non_null(why);
    return why;
}

/* Two texts of one source (README "One source"): dated on other days, two
 * events; undated, one event only as a copy, else two (a veto, however alike);
 * the same day, the rule for two outlets. */
static void test_relation_one_source(void **state)
{
    (void)state;
    rpi_features f = {.copy = -1, .event = 0.40, .sim_rest = 0.40, .specifics = 0.50,
                      .named = 1, .days_apart = -1};
    assert_int_equal(named_as(&f, "the same names, figures"), RP_REL_SAME_STORY);
    f.same_source = 1;
    assert_int_equal(named_as(&f, "one source's undated texts on one subject"),
                     RP_REL_SAME_TOPIC);
    rp_pair p = {.relation = RP_REL_SAME_TOPIC, .why = rp_test_why(&f)};
    assert_false(rpi_story_support(&p));
    assert_non_null(rpi_story_veto(&p)); /* two events: kept out of one story */
    f.event = f.sim_rest = 0.90; /* undated, nothing but content: a saga's steps alike */
    assert_int_equal(named_as(&f, "one source's undated texts on one subject"),
                     RP_REL_SAME_TOPIC);
    f.event = 0.22; /* (a topic: no support) */
    p.why = rp_test_why(&f);
    assert_false(rpi_story_support(&p));
    assert_non_null(rpi_story_veto(&p));
    f.event = f.sim_rest = 0.40;
    f.other_figures = 1; /* other figures: no weak evidence, a veto */
    p.why = rp_test_why(&f);
    assert_false(rpi_story_support(&p));
    assert_non_null(rpi_story_veto(&p));
    f.other_figures = 0;
    f.other_headline = 1; /* however its undated texts lead: one source's, a veto */
    assert_int_equal(named_as(&f, "one source's undated texts on one subject"),
                     RP_REL_SAME_TOPIC);
    f.other_headline = 0;
    f.days_apart = 0; /* dated the same day: the rule for two outlets */
    assert_int_equal(named_as(&f, "the same names, figures"), RP_REL_SAME_STORY);
    /* but its headlines and ledes are its own: two pieces of news, a veto (two
     * outlets' are their angle: no veto) */
    f.other_headline = 1;
    assert_int_equal(named_as(&f, "one source's texts whose headlines share no word"),
                     RP_REL_SAME_TOPIC);
    p.why = rp_test_why(&f);
    assert_non_null(rpi_story_veto(&p));
    f.other_lead = 1;
    assert_int_equal(named_as(&f, "one source's texts whose ledes name nothing in common"),
                     RP_REL_SAME_TOPIC);
    p.why = rp_test_why(&f);
    assert_non_null(rpi_story_veto(&p));
    f.same_source = 0;
    assert_int_equal(named_as(&f, "same subject, the ledes name nothing in common"),
                     RP_REL_SAME_TOPIC);
    p.why = rp_test_why(&f);
    assert_null(rpi_story_veto(&p));
    assert_false(rpi_story_support(&p));
    f.other_lead = f.other_headline = 0;
    f.same_source = 1;
    f.days_apart = 1; /* the next day: another event, whatever the content */
    f.event = f.sim_rest = 0.90;
    assert_int_equal(named_as(&f, "one source's texts of other days"), RP_REL_SAME_TOPIC);
    p.why = rp_test_why(&f);
    assert_non_null(rpi_story_veto(&p));
    f.other_figures = 1; /* and two days with other figures: no support either */
    f.days_apart = 2;
    assert_int_equal(named_as(&f, "other figures"), RP_REL_SAME_TOPIC);
    p.why = rp_test_why(&f);
    assert_false(rpi_story_support(&p));
    f.same_source = 0; /* two outlets: the day after is the event's, two days weak */
    assert_ptr_not_equal(strstr(rp_test_why(&f), "nothing else"), NULL);
    f.other_figures = 0;
    f.days_apart = 1;
    assert_int_equal(named_as(&f, "the same names, figures"), RP_REL_SAME_STORY);
    /* One source's texts of one day whose figures fill slots differently: its
     * next report of the day (a market's close after its midsession), a veto;
     * between two outlets, or without such figures, still one event. */
    f.days_apart = 0;
    f.figure_slots = 1;
    assert_int_equal(named_as(&f, "the same names, figures"), RP_REL_SAME_STORY);
    f.same_source = 1;
    assert_int_equal(named_as(&f, "one source's texts of one day whose figures fill slots"),
                     RP_REL_SAME_TOPIC);
    p.why = rp_test_why(&f);
    assert_non_null(rpi_story_veto(&p));
    assert_false(rpi_story_support(&p));
    f.figure_slots = 0;
    assert_int_equal(named_as(&f, "the same names, figures"), RP_REL_SAME_STORY);
    f.same_source = 0;
    f.days_apart = 1;
    /* Passages shared, undated: one source's texts are one event only as a copy. */
    rpi_features g = {.copy = -1, .npass = 1, .matched = 20, .cov_a = 0.2, .cov_b = 0.2,
                      .event = 0.45, .sim_rest = 0.70, .specifics = 0.5, .named = 1,
                      .days_apart = -1};
    assert_int_equal(named_as(&g, "passages shared in the later parts, the same"),
                     RP_REL_SAME_STORY);
    g.same_source = 1;
    assert_int_equal(named_as(&g, "background"), RP_REL_SHARES_PASSAGES);
    g.lead = 1;
    assert_int_equal(named_as(&g, "passages shared near the top, one source's undated texts"),
                     RP_REL_SHARES_PASSAGES);
    g.same_source = 0; /* two outlets: a passage near the top and the rest alike */
    g.sim_rest = 0.25;
    assert_int_equal(named_as(&g, "near the top"), RP_REL_SAME_STORY);
    g.same_source = 1;
    g.days_apart = 0; /* one source the same day: as two outlets */
    assert_int_equal(named_as(&g, "near the top"), RP_REL_SAME_STORY);
    g.days_apart = 1; /* one source's passage of another day: shared, not one event */
    assert_int_equal(named_as(&g, "one source's texts of other days"), RP_REL_SHARES_PASSAGES);
    g.cov_a = 0.9; /* a copy stays a copy */
    g.matched = 60;
    assert_int_equal(named_as(&g, "cover most of one text"), RP_REL_REPRINT);
    /* A topic (event below the story's 0.25): the same names for its headlines. */
    rpi_features t = {.copy = -1, .event = 0.22, .sim_rest = 0.30, .specifics = 0.50,
                      .named = 1, .days_apart = 0, .same_source = 1, .other_headline = 1};
    assert_int_equal(named_as(&t, "one source's texts whose headlines share no word"),
                     RP_REL_SAME_TOPIC);
    rp_pair tp = {.relation = RP_REL_SAME_TOPIC, .why = rp_test_why(&t)};
    assert_non_null(rpi_story_veto(&tp));
    t.days_apart = -1;
    assert_int_equal(named_as(&t, "one source's undated texts on one subject"),
                     RP_REL_SAME_TOPIC);
    t.same_source = 0; /* two outlets: their angle, no veto */
    assert_int_equal(named_as(&t, "same subject, the headlines share no word"),
                     RP_REL_SAME_TOPIC);
    tp.why = rp_test_why(&t);
    assert_null(rpi_story_veto(&tp));
    t.days_apart = 2; /* two days apart besides: neither support nor veto */
    assert_int_equal(named_as(&t, "dated two days apart, other ledes or headlines"),
                     RP_REL_SAME_TOPIC);
    tp.why = rp_test_why(&t);
    assert_null(rpi_story_veto(&tp));
    assert_false(rpi_story_support(&tp));
}

static void test_relation_rules(void **state)
{
    (void)state;
    /* Two independent reports of one event: no passage, the same content and specifics. */
    rpi_features f = {.copy = -1, .event = 0.40, .sim_rest = 0.40, .specifics = 0.50,
                      .named = 1, .days_apart = -1};
    assert_int_equal(named_as(&f, "the same names, figures"), RP_REL_SAME_STORY);
    /* Each piece of evidence of another event makes it same-topic. */
    rpi_features g = f;
    g.specifics = 0.19;
    assert_int_equal(named_as(&g, "other names"), RP_REL_SAME_TOPIC);
    g.named = 0; /* no names (a script without case): the content decides */
    assert_int_equal(named_as(&g, "the same names, figures"), RP_REL_SAME_STORY);
    g = f;
    g.other_day = 1;
    assert_int_equal(named_as(&g, "other days"), RP_REL_SAME_TOPIC);
    g = f;
    g.other_place = 1; /* datelines of other places */
    assert_int_equal(named_as(&g, "filed from other places"), RP_REL_SAME_TOPIC);
    g.other_day = 1; /* days are named first */
    assert_int_equal(named_as(&g, "other days"), RP_REL_SAME_TOPIC);
    g = f;
    g.other_figures = 1;
    assert_int_equal(named_as(&g, "other figures"), RP_REL_SAME_TOPIC);
    /* The figures alone tell the events apart: a same-topic pair that supports a story. */
    assert_ptr_equal(rp_test_why(&g), rpi_why_figures_only);
    rp_pair sp = {.relation = RP_REL_SAME_TOPIC, .why = rp_test_why(&g)};
    assert_true(rpi_story_support(&sp));
    char copy[200]; /* (pairs gathered from other ranks or read from an index carry copies) */
    snprintf(copy, sizeof copy, "%s", rpi_why_figures_only);
    sp.why = copy;
    assert_true(rpi_story_support(&sp));
    g.other_headline = 1; /* and other evidence besides: no support */
    assert_int_equal(named_as(&g, "other figures"), RP_REL_SAME_TOPIC);
    assert_ptr_not_equal(rp_test_why(&g), rpi_why_figures_only);
    sp.why = rp_test_why(&g);
    assert_false(rpi_story_support(&sp));
    g.other_headline = 0;
    g.days_apart = 2;
    assert_ptr_not_equal(rp_test_why(&g), rpi_why_figures_only);
    g = f;
    g.tables = 1;
    g.other_figures = 1; /* in tables the figures are the content: no support */
    assert_int_equal(named_as(&g, "other figures"), RP_REL_SAME_TOPIC);
    assert_ptr_not_equal(rp_test_why(&g), rpi_why_figures_only);
    g = f;
    g.figure_slots = 1; /* figures filling slots differently count only in tables */
    assert_int_equal(named_as(&g, "the same names, figures"), RP_REL_SAME_STORY);
    g.tables = 1;
    assert_int_equal(named_as(&g, "other figures"), RP_REL_SAME_TOPIC);
    g = f;
    g.days_apart = 1;
    assert_int_equal(named_as(&g, "the same names, figures"), RP_REL_SAME_STORY);
    g.days_apart = 2; /* a follow-up two days on, nothing else against: supports a story */
    assert_int_equal(named_as(&g, "dated two days apart, nothing else"), RP_REL_SAME_TOPIC);
    rp_pair dp = {.relation = RP_REL_SAME_TOPIC, .why = rp_test_why(&g)};
    assert_true(rpi_story_support(&dp));
    g.other_figures = 1; /* and other figures: still only weak evidence */
    assert_int_equal(named_as(&g, "other figures stated, dated two days apart, nothing"),
                     RP_REL_SAME_TOPIC);
    dp.why = rp_test_why(&g);
    assert_true(rpi_story_support(&dp));
    g.other_figures = 0;
    g.days_apart = 3;
    assert_int_equal(named_as(&g, "two days or more"), RP_REL_SAME_TOPIC);
    dp.why = rp_test_why(&g);
    assert_false(rpi_story_support(&dp));
    /* Texts not both dated naming days a day apart (a day's report and the next
     * day's may): weak evidence, a support when nothing else tells the events
     * apart; with other figures still; with other ledes besides, a veto, as
     * other days are; and days further apart, a veto. */
    g = f;
    g.other_day = g.days_adjacent = 1;
    assert_int_equal(named_as(&g, "not both dated, days named a day apart, nothing else"),
                     RP_REL_SAME_TOPIC);
    rp_pair ap = {.relation = RP_REL_SAME_TOPIC, .why = rp_test_why(&g)};
    assert_true(rpi_story_support(&ap));
    assert_null(rpi_story_veto(&ap));
    snprintf(copy, sizeof copy, "%s", ap.why); /* (read from an index, gathered from a rank) */
    ap.why = copy;
    assert_true(rpi_story_support(&ap));
    g.other_figures = 1;
    assert_int_equal(named_as(&g, "other figures stated, not both dated, days named a day apart, "
                                  "nothing else"),
                     RP_REL_SAME_TOPIC);
    ap.why = rp_test_why(&g);
    assert_true(rpi_story_support(&ap));
    g.other_lead = 1;
    assert_int_equal(named_as(&g, "same subject, other days named"), RP_REL_SAME_TOPIC);
    ap.why = rp_test_why(&g);
    assert_false(rpi_story_support(&ap));
    assert_non_null(rpi_story_veto(&ap));
    g.other_lead = g.other_figures = 0;
    g.specifics = 0.19; /* other names besides: a veto */
    assert_int_equal(named_as(&g, "other names"), RP_REL_SAME_TOPIC);
    g.specifics = f.specifics;
    g.days_adjacent = 0; /* days further apart */
    assert_int_equal(named_as(&g, "same subject, other days named"), RP_REL_SAME_TOPIC);
    ap.why = rp_test_why(&g);
    assert_non_null(rpi_story_veto(&ap));
    g.days_adjacent = 1;
    g.same_source = 1; /* one source's undated texts: two events already */
    ap.why = rp_test_why(&g);
    assert_false(rpi_story_support(&ap));
    g = f;
    g.ntemplate = 1;
    assert_int_equal(named_as(&g, "template"), RP_REL_SAME_TOPIC);
    g = f;
    g.other_lead = 1; /* headlines and ledes name nothing in common */
    assert_int_equal(named_as(&g, "the ledes name nothing"), RP_REL_SAME_TOPIC);
    g.other_day = 1; /* the plainer evidence is named first */
    assert_int_equal(named_as(&g, "other days"), RP_REL_SAME_TOPIC);
    g = f;
    g.other_headline = 1; /* the headlines share no content word */
    assert_int_equal(named_as(&g, "the headlines share no word"), RP_REL_SAME_TOPIC);
    g.other_lead = 1; /* the ledes are named before the headlines */
    assert_int_equal(named_as(&g, "the ledes name nothing"), RP_REL_SAME_TOPIC);
    /* Other figures besides two outlets' other ledes: weak evidence and an
     * angle, neither support nor veto; of one source, a veto. */
    g.other_figures = 1;
    assert_int_equal(named_as(&g, "other figures stated, other ledes or headlines"),
                     RP_REL_SAME_TOPIC);
    rp_pair fa = {.relation = RP_REL_SAME_TOPIC, .why = rp_test_why(&g)};
    assert_null(rpi_story_veto(&fa));
    assert_false(rpi_story_support(&fa));
    g.days_apart = 2;
    assert_int_equal(named_as(&g, "other figures stated, dated two days apart, other ledes"),
                     RP_REL_SAME_TOPIC);
    g.same_source = 1;
    g.days_apart = 0;
    fa.why = rp_test_why(&g);
    assert_int_equal(named_as(&g, "same subject, other figures stated"), RP_REL_SAME_TOPIC);
    assert_null(strstr(fa.why, "ledes or headlines"));
    assert_non_null(rpi_story_veto(&fa));
    g.same_source = 0;
    g.other_figures = 0;
    g = f;
    g.event = 0.24; /* below the story threshold: a topic that supports a story */
    assert_int_equal(named_as(&g, "nothing tells the events apart"), RP_REL_SAME_TOPIC);
    g.other_day = 1; /* evidence of another event: a topic only, and named */
    assert_int_equal(named_as(&g, "same subject, other days named"), RP_REL_SAME_TOPIC);
    assert_null(strstr(rp_test_why(&g), "nothing tells"));
    g.other_day = 0;
    g.other_figures = 1; /* weak evidence alone: a topic that supports a story */
    assert_ptr_equal(rp_test_why(&g), rpi_why_figures_only);
    g.other_figures = 0;
    g.event = 0.19; /* below the topic's similarity, the whole texts: no evidence read */
    g.other_day = 1;
    assert_int_equal(named_as(&g, "similar content words"), RP_REL_SAME_TOPIC);
    g.event = 0.24;
    g.other_day = 0;
    g.event = 0.19; /* the whole texts below a topic's similarity: no support */
    assert_null(strstr(rp_test_why(&g), "nothing tells"));
    g.event = 0.24;
    g.sim_rest = 0.19;
    assert_int_equal(named_as(&g, "content words differ"), RP_REL_UNRELATED);
    /* Shared passages near the top: a story, unless the figures fill slots differently. */
    rpi_features p = {.copy = -1, .npass = 1, .matched = 20, .lead = 1, .cov_a = 0.3,
                      .cov_b = 0.3, .sim_rest = 0.3, .days_apart = -1};
    assert_int_equal(named_as(&p, "near the top"), RP_REL_SAME_STORY);
    p.other_headline = 1; /* wording shared near the top says more than headlines */
    assert_int_equal(named_as(&p, "near the top"), RP_REL_SAME_STORY);
    p.other_headline = 0;
    p.other_place = 1;
    assert_int_equal(named_as(&p, "filed from other places"), RP_REL_SHARES_PASSAGES);
    p.other_place = 0;
    p.figure_slots = 1;
    assert_int_equal(named_as(&p, "other figures"), RP_REL_SHARES_PASSAGES);
    /* Passages in the later parts only: background, unless the rest tells one
     * event as independent reports would (the no-passage evidence). */
    rpi_features q = {.copy = -1, .npass = 1, .matched = 20, .lead = 0, .cov_a = 0.2,
                      .cov_b = 0.2, .sim_rest = 0.3, .event = 0.40, .specifics = 0.50,
                      .named = 1, .days_apart = -1};
    assert_int_equal(named_as(&q, "later parts, the same names"), RP_REL_SAME_STORY);
    rpi_features h = q;
    h.sim_rest = 0.24; /* the rest, without the shared paragraph, is what tells */
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h.event = 0.60; /* however close the whole texts are with it */
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h = q;
    h.event = 0.24; /* the whole texts below the story threshold, the rest above it */
    assert_int_equal(named_as(&h, "later parts, the same names"), RP_REL_SAME_STORY);
    h = q;
    h.specifics = 0.19;
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h = q;
    h.other_figures = 1;
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h = q;
    h.figure_slots = 1;
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h = q;
    h.other_day = 1;
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h = q;
    h.days_apart = 2;
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h = q;
    h.other_place = 1;
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h = q;
    h.other_lead = 1;
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h = q;
    h.other_headline = 1;
    assert_int_equal(named_as(&h, "background"), RP_REL_SHARES_PASSAGES);
    h = q;
    h.days_apart = 7;
    assert_int_equal(named_as(&h, "a week or more"), RP_REL_SHARES_PASSAGES);
    /* A reprint whose figures fill slots differently is a template. */
    rpi_features r = {.copy = -1, .npass = 1, .matched = 60, .lead = 1, .cov_a = 0.8,
                      .cov_b = 0.7, .sim_rest = 0.1, .days_apart = -1};
    assert_int_equal(named_as(&r, "cover most"), RP_REL_REPRINT);
    r.other_place = 1; /* the same copy filed from another place stays a reprint */
    assert_int_equal(named_as(&r, "cover most"), RP_REL_REPRINT);
    r.figure_slots = 1;
    assert_int_equal(named_as(&r, "a template"), RP_REL_SHARES_PASSAGES);
    /* Copies stay copies whatever else holds. */
    r.copy = RP_REL_NEAR_DUPLICATE;
    assert_int_equal(named_as(&r, NULL), RP_REL_NEAR_DUPLICATE);
}

/* ---- event evidence (event.c) --------------------------------------------------- */

/* Tokens, sentences and specifics of s (one sentence per line or full stop). */
typedef struct evtext {
    rpi_tokctx ctx;
    uint32_t sent[256];
    uint8_t kind[256];
} evtext;

static void ev_load(evtext *e, const char *s)
{
    size_t bad = 0;
    assert_int_equal(rpi_tokenize(&e->ctx, s, strlen(s), &bad), RP_OK); /* reuses e->ctx */
    assert_true(e->ctx.ntok < 256);
    uint32_t k = 0;
    for (size_t i = 0; i < e->ctx.ntok; i++) {
        /* A sentence ends at a full stop or a line break between two tokens. */
        for (uint32_t p = i ? e->ctx.tok[i - 1].end : 0; i && p < e->ctx.tok[i].start; p++)
            if (s[p] == '.' || s[p] == '\n') {
                k++;
                break;
            }
        e->sent[i] = k;
    }
    for (size_t i = 0; i < e->ctx.ntok; i++)
        e->kind[i] = (uint8_t)rpi_specific_kind(s, e->ctx.tok, e->sent, i, 0);
}

/* Is the token, as written in s, one of the words list[0..n)? */
static int token_in(const char *s, const rpi_token *t, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (strlen(list[k]) == t->end - t->start && !memcmp(s + t->start, list[k], strlen(list[k])))
            return 1;
    return 0;
}

static void test_specifics_names_and_figures(void **state)
{
    (void)state;
    evtext e = {0};
    const char *s = "Officials in Ankara said 1,200 people left. The Governor of Izmir, "
                    "Mehmet Öz, agreed. Öğrenciler İstanbul'da 3,5 milyon lira topladı. "
                    "وقال محمد إن ٣٠٠ شخص غادروا.";
    ev_load(&e, s);
    const char *name[] = {"Ankara", "Governor", "Izmir", "Mehmet", "Öz", "İstanbul"};
    const char *fig[] = {"1", "200", "3", "5", "٣٠٠"};
    const char *none[] = {"Officials", "said", "people", "The", "of", "Öğrenciler", "وقال", "محمد"};
    size_t checked = 0;
    for (size_t i = 0; i < e.ctx.ntok; i++) {
        const rpi_token *t = &e.ctx.tok[i];
        int want = token_in(s, t, name, UT_ARRAY_LEN(name))   ? RPI_SPEC_NAME
                   : token_in(s, t, fig, UT_ARRAY_LEN(fig))   ? RPI_SPEC_FIGURE
                   : token_in(s, t, none, UT_ARRAY_LEN(none)) ? RPI_SPEC_NONE
                                                              : -1;
        if (want >= 0) {
            assert_int_equal(e.kind[i], want);
            checked++;
        }
    }
    /* Every listed word occurs once in s, so every one was checked. */
    assert_int_equal(checked, UT_ARRAY_LEN(name) + UT_ARRAY_LEN(fig) + UT_ARRAY_LEN(none));
    /* A headline in capitals names nothing: every word starts upper. */
    assert_int_equal(rpi_specific_kind("X MONEY MARKET", (rpi_token[]){{0, 0, 1}, {0, 2, 7}}, (uint32_t[]){0, 0}, 1, 1),
                     RPI_SPEC_NONE);
    /* Figures as written: "7-3/4" and "1.12" are one figure each, "10,000 to 12,000" two. */
    const char *f = "paying 7-3/4 pct, 1.12 billion, 10,000 to 12,000 troops";
    ev_load(&e, f);
    size_t nrun = 0;
    for (size_t i = 0; i < e.ctx.ntok;) {
        if (e.kind[i] != RPI_SPEC_FIGURE) {
            i++;
            continue;
        }
        uint64_t key;
        size_t j = rpi_figure_run(f, e.ctx.tok, e.kind, e.ctx.ntok, i, &key);
        assert_true(j > i);
        nrun++;
        i = j;
    }
    assert_int_equal(nrun, 4);
    rpi_tokctx_free(&e.ctx);
}

static void when_of(const char *s, rpi_when *w)
{
    rpi_tokctx ctx = {0};
    size_t bad = 0;
    assert_int_equal(rpi_tokenize(&ctx, s, strlen(s), &bad), RP_OK);
    rpi_when_read(s, ctx.tok, ctx.ntok, w);
    rpi_tokctx_free(&ctx);
}

static uint64_t dateline_of(const char *s)
{
    rpi_tokctx ctx = {0};
    size_t bad = 0;
    assert_int_equal(rpi_tokenize(&ctx, s, strlen(s), &bad), RP_OK);
    uint64_t k = rpi_dateline(s, strlen(s), ctx.tok, ctx.ntok, NULL);
    rpi_tokctx_free(&ctx);
    return k;
}

/* The place of a dateline: Reuters' and the agencies' forms, any case, one
 * place whatever its case or the day; no dateline in running text, past the
 * first lines, or without the dash. */
static void test_dateline_places(void **state)
{
    (void)state;
    uint64_t peoria = dateline_of("PEORIA HOGS UP 1.00 DLR - USDA\npeoria, april 7 - barrow and "
                                  "gilt prices rose 1.00 dlr");
    assert_int_not_equal(peoria, 0);
    assert_int_equal(dateline_of("PEORIA STEERS STEADY\nPEORIA, March 9 - Steers were steady"),
                     peoria);
    uint64_t stpaul = dateline_of("FLASH ST PAUL HOGS UP\nst paul, april 7 - barrow and gilt");
    assert_int_not_equal(stpaul, 0);
    assert_int_not_equal(stpaul, peoria);
    assert_int_equal(dateline_of("Title\n    ST. PAUL, April 7, 1987 - Prices rose."), stpaul);
    uint64_t wash = dateline_of("U.S. and Japan\nWASHINGTON (Reuters) - The talks ended.");
    assert_int_not_equal(wash, 0);
    assert_int_equal(dateline_of("Talks end\nWashington, Oct. 20 \xe2\x80\x94 The talks ended."),
                     wash);
    assert_int_equal(dateline_of("Talks end\nWASHINGTON (AP) \xe2\x80\x93 The talks ended."), wash);
    assert_int_not_equal(dateline_of("KANSAS CITY, April 7 - Hogs"), 0);
    assert_int_not_equal(dateline_of("KANSAS CITY, April 7 - Hogs"), dateline_of("KANSAS, April 7 - Hogs"));
    /* Not datelines. */
    assert_int_equal(dateline_of("Title\nThe ministers met in Peoria, April 7 - and left."), 0);
    assert_int_equal(dateline_of("Title\nPEORIA, April 7 prices rose"), 0);
    assert_int_equal(dateline_of("Title\nPEORIA, said the report, April 7 - hogs"), 0);
    assert_int_not_equal(dateline_of("Title\nLine two\nPEORIA, April 7 - x"), 0);
    assert_int_equal(dateline_of("Title\nLine two\nLine three\nPEORIA, April 7 - x"), 0);
    assert_int_equal(dateline_of("Title\n20 MILES OUT, April 7 - x"), 0);
    assert_int_equal(dateline_of(""), 0);
    /* The place's tokens, the agency's with them (the lede leaves them out). */
    const char *s = "Title\nWASHINGTON (Reuters) - The talks ended.";
    rpi_tokctx ctx = {0};
    size_t bad = 0, place[2] = {9, 9};
    assert_int_equal(rpi_tokenize(&ctx, s, strlen(s), &bad), RP_OK);
    assert_int_equal(rpi_dateline(s, strlen(s), ctx.tok, ctx.ntok, place), wash);
    assert_int_equal(place[0], 1); /* "washington" */
    assert_int_equal(place[1], 3); /* "reuters" included, "the" not */
    const char *t = "Title\nNo dateline here.";
    assert_int_equal(rpi_tokenize(&ctx, t, strlen(t), &bad), RP_OK);
    assert_int_equal(rpi_dateline(t, strlen(t), ctx.tok, ctx.ntok, place), 0);
    assert_int_equal(place[0], 0);
    assert_int_equal(place[1], 0);
    rpi_tokctx_free(&ctx);
}

static void test_days_in_several_languages(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int weekday; /* Monday = 0, -1: none */
        int date; /* month * 100 + day (+ RPI_WHEN_YEAR written with a year), 0: none */
    } cases[] = {
        {"The ministers met in Pyongyang on Friday.", 4, 0},
        {"Die Minister trafen sich am Freitagabend in Berlin.", 4, 0},
        {"Los ministros se reunieron el miércoles 18 de marzo.", 2, 318},
        {"Les ministres se sont réunis jeudi 21 mars.", 3, 321},
        {"Ministrowie spotkali się w środę 4 czerwca.", 2, 604},
        {"Bakanlar Salı günü 11 Mayıs tarihinde bir araya geldi.", 1, 511},
        {"اجتمع الوزراء يوم الأربعاء في القاهرة", 2, 0},
        {"Talks resumed on March 21 in Geneva.", -1, 321},
        {"Published 2025-03-22, updated 22.03.2025.", -1, RPI_WHEN_YEAR + 322},
        {"hallaron el 29 de noviembre del 2014 los cuerpos", -1, RPI_WHEN_YEAR + 1129},
        {"It opened on November 29, 2014 in Paris", -1, RPI_WHEN_YEAR + 1129},
        {"am 29. November 2014 eröffnet", -1, RPI_WHEN_YEAR + 1129},
        {"on 29 November 200 guests came", -1, 1129},
        {"the ceasefire ends on 21 March 2300 GMT", -1, 321},
        {"the ceasefire ends on 21 March 1930 GMT", -1, 321},
        {"polls close on 21 March 1900 local time", -1, 321},
        {"The company may 3 percent of its staff", -1, 0},
        {"Shares rose 5 on May 3 in early trade", -1, 503},
        {"Some 40 in March 3 votes", -1, 303},
        {"the 21st of March", -1, 0},
        {"el 21 de marzo", -1, 321},
        {"Mar a Lago and the pazar are not days.", -1, 0},
    };
    for (size_t i = 0; i < UT_ARRAY_LEN(cases); i++) {
        rpi_when w;
        when_of(cases[i].text, &w);
        if (cases[i].weekday >= 0)
            assert_int_equal(w.weekdays, 1u << cases[i].weekday);
        else
            assert_int_equal(w.weekdays, 0);
        if (cases[i].date) {
            assert_int_equal(w.ndates, 1);
            assert_int_equal(w.dates[0], cases[i].date);
        } else {
            assert_int_equal(w.ndates, 0);
        }
    }
    /* Other days: weekdays with none in common; dates likewise; one day in common is enough. */
    rpi_when a, b;
    when_of("met on Friday, after talks on Thursday", &a);
    when_of("met on Wednesday, state media said on Thursday", &b);
    assert_false(rpi_when_conflict(&a, &b, 0));
    when_of("met on Wednesday", &b);
    assert_true(rpi_when_conflict(&a, &b, 0));
    /* Dated one day apart, the next day is the same event's: Sunday's report of
     * Saturday's raid names Sunday's arrest. Monday and Sunday are neighbours. */
    assert_false(rpi_when_conflict(&a, &b, 1));
    when_of("police said on Tuesday", &b);
    assert_true(rpi_when_conflict(&a, &b, 1));
    when_of("struck on Monday", &a);
    when_of("rescuers on Sunday", &b);
    assert_true(rpi_when_conflict(&a, &b, 0));
    assert_false(rpi_when_conflict(&a, &b, 1));
    when_of("met on Friday, after talks on Thursday", &a);
    when_of("no day at all", &b);
    assert_false(rpi_when_conflict(&a, &b, 0));
    when_of("on 21 March and on 22 March", &a);
    when_of("am 22. März", &b);
    assert_false(rpi_when_conflict(&a, &b, 0));
    when_of("am 23. März", &b);
    assert_true(rpi_when_conflict(&a, &b, 0));
    /* A date written with its year (news style: another year's) and one
     * without are not held against each other; two of either kind are. */
    when_of("donde el 29 de noviembre del 2014 hallaron los cuerpos", &a);
    when_of("padre de una victima de la masacre del 4 de noviembre", &b);
    assert_false(rpi_when_conflict(&a, &b, 0));
    when_of("the quake struck on 20 May 2008", &a);
    when_of("the quake struck on 14 August 2012", &b);
    assert_true(rpi_when_conflict(&a, &b, 0));
    when_of("the quake struck on 14 August", &a);
    assert_false(rpi_when_conflict(&a, &b, 0));
    when_of("on 21 March 2014 and on 3 May", &a);
    when_of("talks on March 21", &b);
    assert_false(rpi_when_conflict(&a, &b, 0));
    when_of("talks on March 22", &b);
    assert_true(rpi_when_conflict(&a, &b, 0));
    /* Arabic months as the Maghreb and the Levant name them are the same months. */
    when_of("الشهيد الحافظ 15 ماي 2020 (واص)", &a);
    when_of("الشهيد الحافظ، 18 يونيو 2020 (واص)", &b);
    assert_true(rpi_when_conflict(&a, &b, 0));
    when_of("في 15 مايو 2020", &b);
    assert_false(rpi_when_conflict(&a, &b, 0));
    when_of("في 15 أيار 2020", &b);
    assert_false(rpi_when_conflict(&a, &b, 0));
    when_of("في 18 حزيران 2020", &b);
    assert_true(rpi_when_conflict(&a, &b, 0));
    /* Dates written in Arabic-Indic or Persian digits are the same dates. */
    when_of("في ١٥ مايو ٢٠٢٠", &b);
    assert_int_equal(b.ndates, 1);
    assert_int_equal(b.dates[0], RPI_WHEN_YEAR + 515);
    assert_false(rpi_when_conflict(&a, &b, 0));
    when_of("في ۱۸ يونيو ۲۰۲۰", &b);
    assert_int_equal(b.dates[0], RPI_WHEN_YEAR + 618);
    assert_true(rpi_when_conflict(&a, &b, 0));
    when_of("في ١٢٣٤٥ مايو", &b); /* (no day of a month) */
    assert_int_equal(b.ndates, 0);
    when_of("on 15 May 02020", &b); /* (five digits: no year) */
    assert_int_equal(b.ndates, 1);
    assert_int_equal(b.dates[0], 515);
    when_of("on 15 May 𝟚𝟘𝟚𝟘", &b); /* mathematical digits: a run of 50 code points */
    assert_int_equal(b.dates[0], RPI_WHEN_YEAR + 515);
    /* Undated, one weekday each and the two neighbours: a day's report and
     * the next day's may be so (rpi_features.days_adjacent); a text naming
     * more days must have each next to one of the other's. */
    when_of("struck on Tuesday", &a);
    when_of("rescuers on Wednesday", &b);
    assert_true(rpi_when_conflict(&a, &b, 0));
    assert_true(rpi_when_neighbours(&a, &b));
    assert_true(rpi_when_neighbours(&b, &a));
    when_of("talks on Sunday", &a);
    when_of("talks on Monday", &b); /* (the week's ends are neighbours) */
    assert_true(rpi_when_neighbours(&a, &b));
    when_of("met on Friday", &a); /* the seeds' 003 against 004: two meetings */
    when_of("on Wednesday; reported Thursday; on Saturday", &b);
    assert_false(rpi_when_neighbours(&a, &b));
    when_of("struck on Tuesday", &a);
    when_of("on Wednesday and Thursday", &b);
    assert_false(rpi_when_neighbours(&a, &b));
    when_of("struck on Tuesday", &a);
    when_of("on Thursday", &b);
    assert_false(rpi_when_neighbours(&a, &b));
    when_of("struck on Tuesday 3 March", &a);
    when_of("on Wednesday 11 March", &b); /* dates that disagree */
    assert_false(rpi_when_neighbours(&a, &b));
    when_of("no day at all", &b);
    assert_false(rpi_when_neighbours(&a, &b));
    /* Day words one at a time, as the ledes leave them out. */
    static const struct {
        const char *word;
        int kind;
    } words[] = {{"Friday", RPI_DAY_WEEKDAY}, {"Freitagabend", RPI_DAY_WEEKDAY},
                 {"March", RPI_DAY_MONTH},    {"marzo", RPI_DAY_MONTH},
                 {"May", RPI_DAY_MONTH},      {"may", 0},
                 {"Madrid", 0},               {"week", 0}};
    for (size_t i = 0; i < UT_ARRAY_LEN(words); i++) {
        rpi_tokctx ctx = {0};
        size_t bad = 0;
        assert_int_equal(rpi_tokenize(&ctx, words[i].word, strlen(words[i].word), &bad), RP_OK);
        assert_int_equal(ctx.ntok, 1);
        assert_int_equal(rpi_day_word(words[i].word, &ctx.tok[0]), words[i].kind);
        rpi_tokctx_free(&ctx);
    }
}

static uint64_t fig_key(int kind, double lo, double hi)
{
    rpi_figure f = {.kind = (uint8_t)kind, .qual = RPI_QUAL_EXACT, .lo = lo, .hi = hi};
    return rpi_figure_key(&f);
}

/* rpi_figures_disjoint of two texts stating two figures each, the keys
 * sorted first, as the function takes them. */
static int disjoint2(const uint64_t a[2], const uint64_t b[2])
{
    uint64_t x[2] = {a[0] < a[1] ? a[0] : a[1], a[0] < a[1] ? a[1] : a[0]};
    uint64_t y[2] = {b[0] < b[1] ? b[0] : b[1], b[0] < b[1] ? b[1] : b[0]};
    return rpi_figures_disjoint(x, 2, y, 2);
}

static void test_slots_and_templates(void **state)
{
    (void)state;
    /* Names (even) and figures (odd) counted apart. Two figures each side lacks, none
     * shared: slots filled differently. */
    uint64_t a[] = {2, 4, 11, 13}, b[] = {2, 4, 15, 17};
    assert_true(rpi_slots_differ(a, NULL, 4, b, NULL, 4, 2));
    /* As many shared figures as differing ones: still a template (slots >= shared). */
    uint64_t a2[] = {11, 13, 21, 23}, b2[] = {15, 17, 21, 23};
    assert_true(rpi_slots_differ(a2, NULL, 4, b2, NULL, 4, 2));
    /* One figure changed among three shared: an edit, not a template. */
    uint64_t a3[] = {11, 21, 23, 25}, b3[] = {15, 21, 23, 25};
    assert_false(rpi_slots_differ(a3, NULL, 4, b3, NULL, 4, 2));
    /* Figures on one side only (a condensed copy) fill no slot. */
    uint64_t a4[] = {11, 13, 15, 21}, b4[] = {21};
    assert_false(rpi_slots_differ(a4, NULL, 4, b4, NULL, 1, 2));
    /* Kinds apart: two names differ (slots), figures agree. */
    uint64_t a5[] = {2, 4, 6, 11}, b5[] = {6, 8, 10, 11};
    assert_true(rpi_slots_differ(a5, NULL, 4, b5, NULL, 4, 2));
    /* Names weighed by IDF: three common names shared ("Ltd", "Luxembourg",
     * "London", IDF 2), two rare ones differing (the issuer and the lead
     * manager, IDF 9): outnumbered (2 < 3) but outweighing (18 >= 6), a template. */
    uint64_t a6[] = {2, 4, 6, 8, 10}, b6[] = {2, 4, 6, 12, 14};
    float wa6[] = {2, 2, 2, 9, 9}, wb6[] = {2, 2, 2, 9, 9};
    assert_false(rpi_slots_differ(a6, NULL, 5, b6, NULL, 5, 2));
    assert_true(rpi_slots_differ(a6, wa6, 5, b6, wb6, 5, 2));
    /* Three rare names shared, two common ones differing (a month, a weekday):
     * outweighed (4 < 27) and outnumbered: one report, two edits. */
    float wa7[] = {9, 9, 9, 2, 2}, wb7[] = {9, 9, 9, 2, 2};
    assert_false(rpi_slots_differ(a6, wa7, 5, b6, wb7, 5, 2));
    /* Two common names differing, one rare name shared: counted, a template
     * (a monthly report: "January" against "February"), whatever the weights. */
    uint64_t a8[] = {2, 4, 6}, b8[] = {2, 8, 10};
    float wa8[] = {9, 2, 2}, wb8[] = {9, 2, 2};
    assert_true(rpi_slots_differ(a8, wa8, 3, b8, wb8, 3, 2));
    /* A shared name weighs as the lighter of its two sides' forms (3 against
     * 10, not 27). */
    float wa9[] = {9, 9, 9, 5, 5}, wb9[] = {1, 1, 1, 5, 5};
    assert_true(rpi_slots_differ(a6, wa9, 5, b6, wb9, 5, 2));
    assert_false(rpi_slots_differ(a6, wa9, 5, b6, wa9, 5, 2));
    /* Figure values: two texts stating two figures each and none in common. */
    uint64_t f1[] = {fig_key(RPI_FIG_NUMBER, 310, 310), fig_key(RPI_FIG_AMOUNT, 1.4e9, 1.4e9)};
    uint64_t f2[] = {fig_key(RPI_FIG_NUMBER, 23, 23), fig_key(RPI_FIG_AMOUNT, 9e6, 9e6)};
    uint64_t f3[] = {fig_key(RPI_FIG_NUMBER, 23, 23), fig_key(RPI_FIG_AMOUNT, 1.4e9, 1.4e9)};
    assert_true(disjoint2(f1, f2));
    assert_false(disjoint2(f1, f3));
    assert_false(rpi_figures_disjoint(f1, 1, f2, 2)); /* one figure is no evidence */
    /* One figure at two precisions ("roughly 305 kilometres", "1.35 billion"
     * against "310 km", "1.4 billion") is in common; 5.8 against 6.2 (two
     * earthquakes' magnitudes) is not; nor 1.4 billion dollars against 1.4
     * billion people (an amount, a count); nor 60 against 100 (one digit). */
    uint64_t f4[] = {fig_key(RPI_FIG_NUMBER, 23, 23), fig_key(RPI_FIG_NUMBER, 305, 305)};
    uint64_t f5[] = {fig_key(RPI_FIG_NUMBER, 9, 9), fig_key(RPI_FIG_AMOUNT, 1.35e9, 1.35e9)};
    assert_false(disjoint2(f1, f4));
    assert_false(disjoint2(f5, f1));
    uint64_t f6[] = {fig_key(RPI_FIG_NUMBER, 5.8, 5.8), fig_key(RPI_FIG_NUMBER, 9, 9)};
    uint64_t f7[] = {fig_key(RPI_FIG_NUMBER, 6.2, 6.2), fig_key(RPI_FIG_NUMBER, 23, 23)};
    assert_true(disjoint2(f6, f7));
    uint64_t f8[] = {fig_key(RPI_FIG_NUMBER, 1.4e9, 1.4e9), fig_key(RPI_FIG_NUMBER, 12, 12)};
    assert_true(disjoint2(f8, f2));
    uint64_t g1[] = {fig_key(RPI_FIG_NUMBER, 60, 60), fig_key(RPI_FIG_PERCENT, 7.8, 7.8)};
    uint64_t g2[] = {fig_key(RPI_FIG_NUMBER, 100, 100), fig_key(RPI_FIG_PERCENT, 7.9, 7.9)};
    uint64_t g3[] = {fig_key(RPI_FIG_NUMBER, 100, 100), fig_key(RPI_FIG_PERCENT, 7.75, 7.75)};
    assert_true(disjoint2(g1, g2));
    assert_true(disjoint2(g2, g1));
    assert_false(disjoint2(g1, g3)); /* 7.75% is 7.8% rounded */
    assert_false(disjoint2(g3, g1));
    /* Ranges by both ends: "10,500-12,000" is "11,000 to 12,000" at two digits,
     * "10,000 to 15,000" is not. */
    uint64_t r1[] = {fig_key(RPI_FIG_RANGE, 1.05e4, 1.2e4), fig_key(RPI_FIG_NUMBER, 23, 23)};
    uint64_t r2[] = {fig_key(RPI_FIG_RANGE, 1.1e4, 1.2e4), fig_key(RPI_FIG_NUMBER, 40, 40)};
    uint64_t r3[] = {fig_key(RPI_FIG_RANGE, 1e4, 1.5e4), fig_key(RPI_FIG_NUMBER, 40, 40)};
    assert_false(disjoint2(r1, r2));
    assert_true(disjoint2(r1, r3));
    /* Values past a float's range (a fuzzer's "1e39 dlrs") compare without
     * rounding: both come back infinite, one value; a small one is another. */
    uint64_t h1[] = {fig_key(RPI_FIG_NUMBER, 5, 5), fig_key(RPI_FIG_NUMBER, 1e39, 1e39)};
    uint64_t h2[] = {fig_key(RPI_FIG_NUMBER, 7, 7), fig_key(RPI_FIG_NUMBER, 3e39, 3e39)};
    uint64_t h3[] = {fig_key(RPI_FIG_NUMBER, 7, 7), fig_key(RPI_FIG_NUMBER, 8, 8)};
    assert_false(disjoint2(h1, h2));
    assert_true(disjoint2(h1, h3));
    assert_true(disjoint2(h3, h1));
}

/* ---- differing figures (differences.c) ----------------------------------------- */

/* A text as rpi_differences reads it: tokens, sentences ended by ". " or a
 * final ".", content words (4 bytes or more, no digit), figures by sentence. */
typedef struct ftext {
    rpi_tokctx ctx;
    uint32_t *sent;
    uint8_t *content;
    rpi_figure *figs;
    uint32_t *sentfig;
    rpi_factside side;
} ftext;

static void ftext_make(ftext *t, const char *s)
{
    memset(t, 0, sizeof *t);
    size_t bad = 0, len = strlen(s);
    assert_int_equal(rpi_tokenize(&t->ctx, s, len, &bad), RP_OK);
    size_t n = t->ctx.ntok;
    t->sent = calloc(n + 1, sizeof *t->sent);
    t->content = calloc(n + 1, 1);
    t->figs = calloc(len + 1, sizeof *t->figs);
    t->sentfig = calloc(n + 2, sizeof *t->sentfig);
    assert_non_null(t->sent);
    assert_non_null(t->content);
    assert_non_null(t->figs);
    assert_non_null(t->sentfig);
    uint32_t k = 0, lo = 0;
    size_t nf = 0;
    for (size_t i = 0; i < n; i++) {
        const rpi_token *x = &t->ctx.tok[i];
        if (i > 0 && memchr(s + t->ctx.tok[i - 1].end, '.', x->start - t->ctx.tok[i - 1].end)) {
            /* the sentence before ends: its figures */
            nf += rpi_figures(s, lo, t->ctx.tok[i - 1].end, t->figs + nf, len - nf);
            t->sentfig[++k] = (uint32_t)nf;
            lo = x->start;
        }
        t->sent[i] = k;
        int digit = 0;
        for (uint32_t b = x->start; b < x->end; b++)
            digit |= s[b] >= '0' && s[b] <= '9';
        t->content[i] = x->end - x->start >= 4 && !digit;
    }
    if (n) {
        nf += rpi_figures(s, lo, t->ctx.tok[n - 1].end, t->figs + nf, len - nf);
        t->sentfig[k + 1] = (uint32_t)nf;
    }
    t->side = (rpi_factside){t->ctx.tok, n, t->sent, t->content, t->figs, t->sentfig};
}

static void ftext_free(ftext *t)
{
    rpi_tokctx_free(&t->ctx);
    free(t->sent);
    free(t->content);
    free(t->figs);
    free(t->sentfig);
}

/* n sentences "The <w>ard mill said output rose to <f> tonnes at <w>ville."
 * (figures from 10,000 on: a figure from 1800 to 2100 could be a year)
 * (own words: two, made from the sentence's number, when own; else none),
 * every tenth figure plus add. */
static char *mill_text(size_t n, int own, int add)
{
    size_t cap = n * 80 + 1, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        char w[8] = "";
        if (own)
            snprintf(w, sizeof w, "%c%c%c", 'a' + (int)(i % 26), 'a' + (int)(i / 26 % 26),
                     'a' + (int)(i / 676 % 26));
        len += (size_t)snprintf(s + len, cap - len, "The %sard mill said output rose to %zu "
                                "tonnes at %sville. ", w, 10000 + 3 * i + (i % 10 == 9 ? (size_t)add : 0), w);
    }
    return s;
}

/* Differences of texts a and b (figures of a's text against b's). */
static size_t differences_of(const char *a, const char *b, rp_difference **out)
{
    ftext ta, tb;
    ftext_make(&ta, a);
    ftext_make(&tb, b);
    rpi_diffscratch w = {0};
    size_t n = 0, cap = 0;
    *out = NULL;
    assert_int_equal(rpi_differences(&w, &ta.side, &tb.side, 0, 1, out, &n, &cap), RP_OK);
    rpi_diffscratch_free(&w);
    ftext_free(&ta);
    ftext_free(&tb);
    return n;
}

/* Two texts saying the same sentence by sentence, every tenth figure other:
 * each sentence finds its twin, whether the sentences are compared one pair
 * at a time (few sentences) or found through their words (texts of more than
 * 65,536 sentence pairs); the differences come in a's order. */
static void test_differences_sentence_by_sentence(void **state)
{
    (void)state;
    const size_t sizes[] = {60, 200, 300, 1000};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        char *a = mill_text(sizes[k], 1, 0), *b = mill_text(sizes[k], 1, 7);
        rp_difference *d;
        size_t n = differences_of(a, b, &d);
        assert_int_equal(n, sizes[k] / 10);
        for (size_t i = 0; i < n; i++) {
            char x[32], y[32];
            snprintf(x, sizeof x, "%zu tonnes", 10000 + 3 * (10 * i + 9));
            snprintf(y, sizeof y, "%zu tonnes", 10000 + 3 * (10 * i + 9) + 7);
            assert_int_equal(d[i].a_end - d[i].a_start, strlen(x));
            assert_memory_equal(a + d[i].a_start, x, strlen(x));
            assert_memory_equal(b + d[i].b_start, y, strlen(y));
            assert_string_equal(d[i].kind, "number");
        }
        free(d);
        free(a);
        free(b);
    }
}

/* The differences of two mill_text(n, own) texts, the second's figures plus 7. */
static size_t mill_differences(size_t n, int own)
{
    char *a = mill_text(n, own, 0), *b = mill_text(n, own, 7);
    rp_difference *d;
    size_t k = differences_of(a, b, &d);
    free(d);
    free(a);
    free(b);
    return k;
}

/* Sentences sharing only words that more than 64 sentences of their text
 * use are not compared: with 60 such sentences each figure still finds its
 * place (in order), with 70 none does; a word of their own makes them
 * comparable again. */
static void test_differences_common_words(void **state)
{
    (void)state;
    assert_int_equal(mill_differences(60, 0), 6);
    assert_int_equal(mill_differences(70, 0), 0);
    assert_int_equal(mill_differences(70, 1), 7);
}

/* A "sentence" of more than 128 figures is a table, not a statement: its
 * figures are not paired. */
static void test_differences_tables(void **state)
{
    (void)state;
    const size_t sizes[] = {120, 130};
    const size_t want[] = {12, 0};
    for (size_t k = 0; k < 2; k++) {
        char *x[2];
        for (int side = 0; side < 2; side++) {
            size_t cap = sizes[k] * 24 + 64, len = 0;
            x[side] = malloc(cap);
            assert_non_null(x[side]);
            len += (size_t)snprintf(x[side], cap, "Shipments by port in the week were");
            for (size_t i = 1; i <= sizes[k]; i++)
                len += (size_t)snprintf(x[side] + len, cap - len, " %zu tonnes,",
                                        10000 + 7 * i + (side && i % 10 == 0 ? 3 : 0));
            snprintf(x[side] + len, cap - len, " all told.");
        }
        ftext t;
        ftext_make(&t, x[0]);
        assert_int_equal(t.sentfig[1], sizes[k]); /* (one sentence, every figure read) */
        ftext_free(&t);
        rp_difference *d;
        assert_int_equal(differences_of(x[0], x[1], &d), want[k]);
        free(d);
        free(x[0]);
        free(x[1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures_by_value),
        cmocka_unit_test(test_differences_sentence_by_sentence),
        cmocka_unit_test(test_differences_common_words),
        cmocka_unit_test(test_differences_tables),
        cmocka_unit_test(test_figures_span),
        cmocka_unit_test(test_figures_any_script),
        cmocka_unit_test(test_figures_unit_any_script),
        cmocka_unit_test(test_figures_not_figures),
        cmocka_unit_test(test_no_chaining),
        cmocka_unit_test(test_story_chain_does_not_merge),
        cmocka_unit_test(test_story_alone_joins),
        cmocka_unit_test(test_story_join_sparse),
        cmocka_unit_test(test_story_that_must_merge),
        cmocka_unit_test(test_story_copies_count_once),
        cmocka_unit_test(test_story_support),
        cmocka_unit_test(test_story_majority_of_support),
        cmocka_unit_test(test_story_centroid_join),
        cmocka_unit_test(test_timeline_events_by_date),
        cmocka_unit_test(test_timeline_no_chaining),
        cmocka_unit_test(test_timeline_out_of_memory),
        cmocka_unit_test(test_specifics_names_and_figures),
        cmocka_unit_test(test_days_in_several_languages),
        cmocka_unit_test(test_dateline_places),
        cmocka_unit_test(test_slots_and_templates),
        cmocka_unit_test(test_relation_rules),
        cmocka_unit_test(test_relation_one_source),
        cmocka_unit_test(test_chain_keeps_every_other),
        cmocka_unit_test(test_clusters_numbering_and_representatives),
        cmocka_unit_test(test_no_pairs),
        cmocka_unit_test(test_clusters_out_of_memory),
        cmocka_unit_test(test_verify_known_sets),
        cmocka_unit_test(test_verify_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
