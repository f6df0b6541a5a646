/* SPDX-License-Identifier: MIT */
/*
 * test_align.c -- unit tests of stage 4 (src/align): identical texts give one
 * passage covering everything, unrelated texts none; a lightly edited
 * passage spliced into unrelated text (a changed word, "Mr" added, "said"
 * for "says", a sentence dropped) gives exactly that passage on both sides;
 * passages in swapped order or far apart give separate passages; degenerate
 * input (one word repeated, empty or tiny texts) ends with a sane result;
 * every result satisfies the invariants documented in align.h; allocation
 * failures are clean errors; and the seed articles (../shared/seeds, when
 * present) share long passages where they should.
 */
#include "unit.h"

#include "align.h"
#include "normalize.h"

/* Tokens of one text, copied out of the tokenizer context. */
typedef struct doc {
    const char *text; /* the text (borrowed) */
    size_t len; /* its bytes */
    rpi_token *tok; /* its tokens (malloc'ed) */
    size_t ntok; /* their number */
} doc;

static void doc_init(doc *d, const char *text, size_t len)
{
    rpi_tokctx tc = {0};
    size_t bad = 0;
    assert_int_equal(rpi_tokenize(&tc, text, len, &bad), RP_OK);
    d->text = text;
    d->len = len;
    d->ntok = tc.ntok;
    d->tok = malloc((tc.ntok + 1) * sizeof *d->tok);
    assert_non_null(d->tok);
    if (tc.ntok)
        memcpy(d->tok, tc.tok, tc.ntok * sizeof *d->tok);
    rpi_tokctx_free(&tc);
}

static void doc_str(doc *d, const char *text)
{
    doc_init(d, text, strlen(text));
}

static void doc_free(doc *d)
{
    free(d->tok);
}

/* Every invariant align.h documents, on the last result of ctx. */
static void check_invariants(const rpi_alignctx *ctx, const doc *a, const doc *b)
{
    for (size_t k = 0; k < ctx->npass; k++) {
        const rpi_passage *p = &ctx->pass[k];
        assert_true(p->a0 < p->a1 && p->a1 <= a->ntok);
        assert_true(p->b0 < p->b1 && p->b1 <= b->ntok);
        assert_int_equal(p->a_start, a->tok[p->a0].start);
        assert_int_equal(p->a_end, a->tok[p->a1 - 1].end);
        assert_int_equal(p->b_start, b->tok[p->b0].start);
        assert_int_equal(p->b_end, b->tok[p->b1 - 1].end);
        /* Passages start and end on matching tokens. */
        assert_true(a->tok[p->a0].hash == b->tok[p->b0].hash);
        assert_true(a->tok[p->a1 - 1].hash == b->tok[p->b1 - 1].hash);
        uint32_t la = p->a1 - p->a0, lb = p->b1 - p->b0;
        assert_true(p->matches >= 1 && p->matches <= (la < lb ? la : lb));
        double want = 2.0 * p->matches / (double)(la + lb);
        assert_true(p->score > 0 && p->score <= 1.0);
        assert_true(p->score == want);
        if (k > 0) {
            const rpi_passage *q = &ctx->pass[k - 1];
            assert_true(q->a1 <= p->a0); /* sorted by a0, disjoint in A */
        }
        for (size_t m = 0; m < k; m++) { /* disjoint in B */
            const rpi_passage *q = &ctx->pass[m];
            assert_true(q->b1 <= p->b0 || p->b1 <= q->b0);
        }
    }
}

static void align_ok(rpi_alignctx *ctx, const doc *a, const doc *b)
{
    assert_int_equal(rpi_align(ctx, a->tok, a->ntok, b->tok, b->ntok), RP_OK);
    check_invariants(ctx, a, b);
}

/* Our own short texts: a flood report (the source) and a council report (the host). */
static const char pre_a[] = "Heavy rain swept across the northern valley on Tuesday, forcing "
                            "hundreds of families to leave their homes. ";
static const char s1[] = "The mayor of the river town, John Hale, said the water rose faster than "
                         "any forecast had predicted and warned residents to stay away from the "
                         "banks.";
static const char s2[] = " Engineers worked through the night to reinforce the old stone levee "
                         "near the railway bridge, which was built more than a century ago. ";
static const char s3[] = "Volunteers filled more than ten thousand sandbags before dawn, and the "
                         "local school opened its gym as a shelter for families who had nowhere "
                         "else to go.";
static const char post_a[] = " Forecasters expect the rain to ease by the weekend, although rivers "
                             "further south may not peak until Monday.";
/* s1 and s3 lightly edited: "Mr" added, "said" -> "says", "dawn" -> "sunrise". */
static const char s1e[] = "The mayor of the river town, Mr John Hale, says the water rose faster "
                          "than any forecast had predicted and warned residents to stay away from "
                          "the banks.";
static const char s3e[] = "Volunteers filled more than ten thousand sandbags before sunrise, and "
                          "the local school opened its gym as a shelter for families who had "
                          "nowhere else to go.";
static const char pre_b[] = "The city council approved a revised budget on Monday after months of "
                            "debate over library funding and road repairs. Several members argued "
                            "that the proposed cuts would fall hardest on neighbourhoods that "
                            "already lack basic services. ";
static const char post_b[] = " The finance committee will publish a detailed breakdown of the "
                             "spending plan next month, and a public hearing is planned for the "
                             "spring.";

/* Concatenation of the strings part[] (NULL ends the list) into buf; its length. */
static size_t cat_(char *buf, size_t cap, const char *const *part)
{
    size_t n = 0;
    buf[0] = 0;
    for (int k = 0; part[k]; k++) {
        size_t l = strlen(part[k]);
        assert_true(n + l < cap);
        memcpy(buf + n, part[k], l + 1);
        n += l;
    }
    return n;
}

#define CAT(buf, ...) cat_((buf), sizeof(buf), (const char *const[]){__VA_ARGS__, NULL})

static void test_identical(void **state)
{
    (void)state;
    char t[2048];
    CAT(t, pre_a, s1, s2, s3, post_a);
    doc a;
    doc_str(&a, t);
    rpi_alignctx ctx = {0};
    align_ok(&ctx, &a, &a);
    assert_int_equal(ctx.npass, 1);
    const rpi_passage *p = &ctx.pass[0];
    assert_int_equal(p->a0, 0);
    assert_int_equal(p->a1, a.ntok);
    assert_int_equal(p->b0, 0);
    assert_int_equal(p->b1, a.ntok);
    assert_int_equal(p->a_start, 0);
    assert_int_equal(p->a_end, strlen(t) - 1); /* the final full stop is no token */
    assert_int_equal(p->matches, a.ntok);
    assert_true(p->score == 1.0);
    rpi_alignctx_free(&ctx);
    doc_free(&a);
}

static void test_unrelated(void **state)
{
    (void)state;
    char ta[2048], tb[2048];
    CAT(ta, pre_a, s1, s2, s3, post_a);
    CAT(tb, pre_b, post_b);
    doc a, b;
    doc_str(&a, ta);
    doc_str(&b, tb);
    rpi_alignctx ctx = {0};
    align_ok(&ctx, &a, &b);
    assert_int_equal(ctx.npass, 0);
    align_ok(&ctx, &b, &a);
    assert_int_equal(ctx.npass, 0);
    rpi_alignctx_free(&ctx);
    doc_free(&a);
    doc_free(&b);
}

/* s1 s2 s3 of A, spliced as s1e s3e into B: one passage, exactly the spliced region. */
static void test_spliced_edited(void **state)
{
    (void)state;
    char ta[2048], tb[2048], mid[1024];
    CAT(ta, pre_a, s1, s2, s3, post_a);
    CAT(mid, s1e, " ", s3e);
    CAT(tb, pre_b, mid, post_b);
    doc a, b;
    doc_str(&a, ta);
    doc_str(&b, tb);
    size_t ra0 = strlen(pre_a), ra1 = ra0 + strlen(s1) + strlen(s2) + strlen(s3) - 1;
    size_t rb0 = strlen(pre_b), rb1 = rb0 + strlen(mid) - 1; /* without the final "." */
    rpi_alignctx ctx = {0};
    for (int swap = 0; swap < 2; swap++) {
        if (!swap)
            align_ok(&ctx, &a, &b);
        else
            align_ok(&ctx, &b, &a);
        assert_int_equal(ctx.npass, 1);
        const rpi_passage *p = &ctx.pass[0];
        assert_int_equal(swap ? p->b_start : p->a_start, ra0);
        assert_int_equal(swap ? p->b_end : p->a_end, ra1);
        assert_int_equal(swap ? p->a_start : p->b_start, rb0);
        assert_int_equal(swap ? p->a_end : p->b_end, rb1);
        assert_true(p->score > 0.6 && p->score < 1.0);
    }
    rpi_alignctx_free(&ctx);
    doc_free(&a);
    doc_free(&b);
}

/* A = s1 (filler) s3, B = s3 (filler) s1: two passages, crossing. */
static void test_swapped_order(void **state)
{
    (void)state;
    char ta[2048], tb[2048];
    CAT(ta, s1, " ", pre_b, s3);
    CAT(tb, s3, " ", post_b, " ", s1);
    doc a, b;
    doc_str(&a, ta);
    doc_str(&b, tb);
    rpi_alignctx ctx = {0};
    align_ok(&ctx, &a, &b);
    assert_int_equal(ctx.npass, 2);
    const rpi_passage *p = &ctx.pass[0], *q = &ctx.pass[1];
    size_t l1 = strlen(s1) - 1, l3 = strlen(s3) - 1;
    assert_int_equal(p->a_start, 0); /* s1 */
    assert_int_equal(p->a_end, l1);
    assert_int_equal(p->b_start, strlen(tb) - strlen(s1));
    assert_int_equal(p->b_end, strlen(tb) - 1);
    assert_int_equal(q->a_start, strlen(ta) - strlen(s3)); /* s3 */
    assert_int_equal(q->a_end, strlen(ta) - 1);
    assert_int_equal(q->b_start, 0);
    assert_int_equal(q->b_end, l3);
    assert_true(p->score == 1.0 && q->score == 1.0);
    rpi_alignctx_free(&ctx);
    doc_free(&a);
    doc_free(&b);
}

/* Shared sentences separated by a paragraph of unrelated text on both sides stay apart. */
static void test_apart(void **state)
{
    (void)state;
    char ta[4096], tb[4096];
    CAT(ta, s1, " ", pre_a, post_a, " ", s3);
    CAT(tb, s1, " ", pre_b, post_b, " ", s3);
    doc a, b;
    doc_str(&a, ta);
    doc_str(&b, tb);
    rpi_alignctx ctx = {0};
    align_ok(&ctx, &a, &b);
    assert_int_equal(ctx.npass, 2);
    assert_int_equal(ctx.pass[0].a_start, 0);
    assert_int_equal(ctx.pass[0].a_end, strlen(s1) - 1);
    assert_int_equal(ctx.pass[0].b_end, strlen(s1) - 1);
    assert_int_equal(ctx.pass[1].a_start, strlen(ta) - strlen(s3));
    assert_int_equal(ctx.pass[1].b_start, strlen(tb) - strlen(s3));
    rpi_alignctx_free(&ctx);
    doc_free(&a);
    doc_free(&b);
}

/* One word repeated: no n-gram is rare, so nothing anchors, and it ends. */
static void test_repeated_word(void **state)
{
    (void)state;
    size_t n = 100000;
    char *t = malloc(n * 5 + 1);
    assert_non_null(t);
    for (size_t k = 0; k < n; k++)
        memcpy(t + 5 * k, "news ", 5);
    t[5 * n] = 0;
    char tn[2048];
    CAT(tn, pre_a, s1, s2, s3, post_a);
    doc a, b;
    doc_init(&a, t, 5 * n);
    doc_str(&b, tn);
    assert_int_equal(a.ntok, n);
    rpi_alignctx ctx = {0};
    align_ok(&ctx, &a, &a);
    assert_int_equal(ctx.npass, 0);
    align_ok(&ctx, &a, &b);
    assert_int_equal(ctx.npass, 0);
    align_ok(&ctx, &b, &a);
    assert_int_equal(ctx.npass, 0);
    /* The normal text spliced into the repetition is still found, whole. */
    size_t at = 5 * (n / 2), lb = strlen(tn);
    char *t2 = malloc(5 * n + lb + 2);
    assert_non_null(t2);
    memcpy(t2, t, at);
    memcpy(t2 + at, tn, lb);
    t2[at + lb] = ' ';
    memcpy(t2 + at + lb + 1, t + at, 5 * n - at);
    doc c;
    doc_init(&c, t2, 5 * n + lb + 1);
    align_ok(&ctx, &c, &b);
    assert_int_equal(ctx.npass, 1);
    assert_int_equal(ctx.pass[0].a_start, at);
    assert_int_equal(ctx.pass[0].a_end, at + lb - 1);
    assert_int_equal(ctx.pass[0].b0, 0);
    assert_int_equal(ctx.pass[0].b1, b.ntok);
    rpi_alignctx_free(&ctx);
    doc_free(&a);
    doc_free(&b);
    doc_free(&c);
    free(t);
    free(t2);
}

static void test_empty_and_tiny(void **state)
{
    (void)state;
    doc e, one, w, s;
    doc_str(&e, "");
    doc_str(&one, "word");
    doc_str(&w, "a short line of six words");
    char t[2048];
    CAT(t, pre_a, s1);
    doc_str(&s, t);
    rpi_alignctx ctx = {0};
    assert_int_equal(rpi_align(&ctx, NULL, 0, NULL, 0), RP_OK);
    assert_int_equal(ctx.npass, 0);
    align_ok(&ctx, &e, &s);
    assert_int_equal(ctx.npass, 0);
    align_ok(&ctx, &s, &e);
    assert_int_equal(ctx.npass, 0);
    align_ok(&ctx, &one, &one);
    assert_int_equal(ctx.npass, 0);
    /* Six shared words are a phrase, not a passage (fewer than 8 matches). */
    align_ok(&ctx, &w, &w);
    assert_int_equal(ctx.npass, 0);
    align_ok(&ctx, &s, &s);
    assert_int_equal(ctx.npass, 1);
    /* The context is reused: a call after a non-empty result resets it. */
    align_ok(&ctx, &e, &e);
    assert_int_equal(ctx.npass, 0);
    rpi_alignctx_free(&ctx);
    rpi_alignctx_free(&ctx); /* freeing twice is harmless */
    doc_free(&e);
    doc_free(&one);
    doc_free(&w);
    doc_free(&s);
}

/* Random texts over a small vocabulary, with shared stretches: invariants only. */
static void test_random_invariants(void **state)
{
    (void)state;
    static const char *vocab[] = {"the", "a", "river", "town", "mayor", "said", "says", "water",
                                  "rose", "council", "budget", "of", "to", "and", "night",
                                  "levee", "bridge", "crews", "rain", "school", "gym", "mr"};
    uint64_t st = 42;
    rpi_alignctx ctx = {0};
    for (int round = 0; round < 200; round++) {
        char ta[8192], tb[8192];
        size_t na = 0, nb = 0;
        size_t nv = 4 + ut_rand(&st) % (UT_ARRAY_LEN(vocab) - 3); /* 4 .. all words */
        size_t words = 20 + ut_rand(&st) % 300;
        for (size_t k = 0; k < words; k++) {
            const char *v = vocab[ut_rand(&st) % nv];
            na += (size_t)snprintf(ta + na, sizeof ta - na, "%s ", v);
            /* B copies A with edits, or writes its own words. */
            uint64_t r = ut_rand(&st) % 16;
            if (r == 0)
                continue;
            const char *vb = r == 1 ? vocab[ut_rand(&st) % nv] : v;
            nb += (size_t)snprintf(tb + nb, sizeof tb - nb, "%s ", vb);
        }
        doc a, b;
        doc_init(&a, ta, na);
        doc_init(&b, tb, nb);
        align_ok(&ctx, &a, &b);
        align_ok(&ctx, &b, &a);
        align_ok(&ctx, &a, &a);
        doc_free(&a);
        doc_free(&b);
    }
    rpi_alignctx_free(&ctx);
}

/* The n-th allocation fails: RP_ENOMEM, no leak, and the context still works. */
static void test_alloc_failure(void **state)
{
    (void)state;
    char ta[2048], tb[2048], mid[1024];
    CAT(ta, pre_a, s1, s2, s3, post_a);
    CAT(mid, s1e, " ", s3e);
    CAT(tb, pre_b, mid, post_b);
    doc a, b;
    doc_str(&a, ta);
    doc_str(&b, tb);
    int ok = 0;
    for (long n = 1; n < 100 && !ok; n++) {
        rpi_alignctx ctx = {0};
        rpi_fail_alloc_after(n);
        int rc = rpi_align(&ctx, a.tok, a.ntok, b.tok, b.ntok);
        rpi_fail_alloc_after(0);
        assert_true(rc == RP_OK || rc == RP_ENOMEM);
        if (rc == RP_OK) {
            ok = 1;
            assert_int_equal(ctx.npass, 1);
        } else {
            assert_int_equal(rpi_align(&ctx, a.tok, a.ntok, b.tok, b.ntok), RP_OK);
            assert_int_equal(ctx.npass, 1);
        }
        rpi_alignctx_free(&ctx);
    }
    assert_true(ok);
    doc_free(&a);
    doc_free(&b);
}

/* Read ../shared/seeds/name whole (NULL when absent). */
static char *read_seed(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "../shared/seeds/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *s = ut_slurp(f, len);
    fclose(f);
    return s;
}

/* Matched bytes of each side, over the text bytes. */
static void coverage(const rpi_alignctx *ctx, const doc *a, const doc *b, double *ca, double *cb)
{
    size_t sa = 0, sb = 0;
    for (size_t k = 0; k < ctx->npass; k++) {
        sa += ctx->pass[k].a_end - ctx->pass[k].a_start;
        sb += ctx->pass[k].b_end - ctx->pass[k].b_start;
    }
    *ca = (double)sa / (double)a->len;
    *cb = (double)sb / (double)b->len;
}

static void test_seeds(void **state)
{
    (void)state;
    static const char *names[] = {"000_c49c771218197d27.txt", "001_811c8e1ff850ec4f.txt",
                                  "002_781ff10bc3527234.txt", "003_6881012dfa7ffe4d.txt",
                                  "004_ff225e932b193173.txt"};
    char *text[5];
    doc d[5];
    for (int k = 0; k < 5; k++) {
        size_t len = 0;
        text[k] = read_seed(names[k], &len);
        if (!text[k]) {
            for (int m = 0; m < k; m++) {
                doc_free(&d[m]);
                free(text[m]);
            }
            print_message("../shared/seeds not found: seed test skipped\n");
            skip();
        }
        doc_init(&d[k], text[k], len);
    }
    rpi_alignctx ctx = {0};
    double ca, cb;
    /* 001 and 002 are both the AP copy: long passages, most of 001 covered. */
    align_ok(&ctx, &d[1], &d[2]);
    assert_true(ctx.npass >= 1);
    uint32_t longest = 0;
    for (size_t k = 0; k < ctx.npass; k++)
        longest = ctx.pass[k].matches > longest ? ctx.pass[k].matches : longest;
    assert_true(longest >= 100);
    coverage(&ctx, &d[1], &d[2], &ca, &cb);
    assert_true(ca >= 0.7);
    /* Every pair and its mirror image: invariants, and mirror results agree. */
    for (int x = 0; x < 5; x++)
        for (int y = 0; y < 5; y++) {
            align_ok(&ctx, &d[x], &d[y]);
            size_t n1 = ctx.npass;
            if (x == y) {
                assert_int_equal(n1, 1);
                assert_int_equal(ctx.pass[0].a1, d[x].ntok);
            }
            double c1a, c1b, c2a, c2b;
            coverage(&ctx, &d[x], &d[y], &c1a, &c1b);
            align_ok(&ctx, &d[y], &d[x]);
            coverage(&ctx, &d[y], &d[x], &c2b, &c2a);
            assert_int_equal(ctx.npass, n1);
            assert_true(c1a == c2a && c1b == c2b);
        }
    /* Same topic, different event: at most a shared phrase. */
    align_ok(&ctx, &d[0], &d[3]);
    coverage(&ctx, &d[0], &d[3], &ca, &cb);
    assert_true(ca < 0.05 && cb < 0.05);
    rpi_alignctx_free(&ctx);
    for (int k = 0; k < 5; k++) {
        doc_free(&d[k]);
        free(text[k]);
    }
}

/* A side for rpi_align_reworded: sentence numbers (unused by it) and content keys. */
static void reworded_side(const doc *d, rpi_side *s, uint32_t *sent, uint64_t *key)
{
    for (size_t i = 0; i < d->ntok; i++) {
        sent[i] = 0;
        if (!rpi_content_key(d->text, d->tok, d->ntok, i, &key[i]))
            key[i] = 0;
    }
    *s = (rpi_side){d->text, d->len, d->tok, d->ntok, sent};
}

/*
 * Reworded sentences: the pair that shares most of its content words (in
 * another order, no three words in a row) becomes one passage of whole
 * sentences; "4.12" and "U.S. officials" do not end a sentence; sentences sharing only a few
 * words stay apart; an aligner's passage stopping inside two such sentences
 * is taken to their ends; the result is in order of a0 without overlaps.
 */
static void test_reworded(void **state)
{
    (void)state;
    const char *ta = "Unrelated opening words about gardens and cats. "
                     "The quake struck at 4.12 am near the harbour town of Selwick and cut power "
                     "to ten thousand homes, U.S. officials said. Schools will stay shut.";
    const char *tb = "Ten thousand homes in Selwick lost power when the quake hit the harbour "
                     "town at 4.12 am. Markets in the capital were calm.";
    doc a, b;
    doc_str(&a, ta);
    doc_str(&b, tb);
    uint32_t sa_[64], sb_[64];
    uint64_t ka[64], kb[64];
    assert_true(a.ntok < 64 && b.ntok < 64);
    rpi_side sa, sb;
    reworded_side(&a, &sa, sa_, ka);
    reworded_side(&b, &sb, sb_, kb);
    rpi_alignctx ctx = {0};
    assert_int_equal(rpi_align(&ctx, a.tok, a.ntok, b.tok, b.ntok), RP_OK);
    assert_int_equal(ctx.npass, 0);
    assert_int_equal(rpi_align_reworded(&ctx, &sa, ka, NULL, &sb, kb, NULL), RP_OK);
    assert_int_equal(ctx.npass, 1);
    const rpi_passage *p = &ctx.pass[0];
    assert_int_equal(p->reworded, RPI_REWORDED_SENTENCES);
    /* Whole sentences: from "The" to "homes", and all of b's first sentence. */
    assert_string_equal(ta + a.tok[p->a0].start, strstr(ta, "The quake"));
    assert_int_equal(a.tok[p->a1 - 1].end, (uint32_t)(strstr(ta, "said.") - ta) + 4);
    assert_int_equal(p->b0, 0);
    assert_int_equal(b.tok[p->b1 - 1].end, (uint32_t)(strstr(tb, "am.") - tb) + 2);
    assert_true(p->matches >= 10);
    /* The mirror image: the same sentences. */
    uint32_t a0 = p->a0, a1 = p->a1;
    ctx.npass = 0;
    assert_int_equal(rpi_align_reworded(&ctx, &sb, kb, NULL, &sa, ka, NULL), RP_OK);
    assert_int_equal(ctx.npass, 1);
    assert_int_equal(ctx.pass[0].b0, a0);
    assert_int_equal(ctx.pass[0].b1, a1);
    doc_free(&a);
    doc_free(&b);

    /* Taken to the sentences' ends: a passage of the aligner inside two sentences that
     * say the same. */
    const char *tc = "Officials said the old stone bridge over the river will be closed for "
                     "repairs from Monday until the end of the summer season.";
    const char *td = "From Monday the old stone bridge over the river will be closed for repairs, "
                     "officials said, and it reopens when summer ends.";
    doc c, d;
    doc_str(&c, tc);
    doc_str(&d, td);
    rpi_side sc, sd;
    reworded_side(&c, &sc, sa_, ka);
    reworded_side(&d, &sd, sb_, kb);
    assert_int_equal(rpi_align(&ctx, c.tok, c.ntok, d.tok, d.ntok), RP_OK);
    assert_int_equal(ctx.npass, 1);
    assert_true(ctx.pass[0].a0 > 0 && ctx.pass[0].b0 > 0);
    assert_int_equal(rpi_align_reworded(&ctx, &sc, ka, NULL, &sd, kb, NULL), RP_OK);
    assert_int_equal(ctx.npass, 1);
    assert_int_equal(ctx.pass[0].reworded, RPI_REWORDED_EDGES);
    assert_int_equal(ctx.pass[0].a0, 0);
    assert_int_equal(ctx.pass[0].a1, c.ntok);
    assert_int_equal(ctx.pass[0].b0, 0);
    assert_int_equal(ctx.pass[0].b1, d.ntok);
    doc_free(&c);
    doc_free(&d);

    /* Many pairs after a passage taken to its sentences' ends: twelve reworded
     * sentences between unrelated ones, each its own passage (the scratch of both
     * steps and ctx->pass grow past their first sizes: run under ASan). */
    char big_a[4096], big_b[4096];
    size_t la = (size_t)snprintf(big_a, sizeof big_a, "%s",
                                 "The harbour master said the old crane at pier four will be "
                                 "removed next spring after years of disuse and rust. ");
    size_t lb = (size_t)snprintf(big_b, sizeof big_b, "%s",
                                 "The harbour master said the old crane at pier four will be "
                                 "removed next spring, ending years of rust and disuse. ");
    for (int i = 1; i <= 12; i++) {
        la += (size_t)snprintf(big_a + la, sizeof big_a - la,
                               "Alpha%d beta gamma delta epsilon zeta theta iota kappa. The "
                               "council of town%d approved funding for harbour repairs and new "
                               "lighting along the quay.\n\n",
                               i, i);
        lb += (size_t)snprintf(big_b + lb, sizeof big_b - lb,
                               "Orange%d lemon grape melon peach plum cherry apple. Funding for "
                               "harbour repairs and new quay lighting was approved by the "
                               "town%d council.\n\n",
                               i, i);
    }
    assert_true(la < sizeof big_a - 1 && lb < sizeof big_b - 1);
    doc g, hh;
    doc_str(&g, big_a);
    doc_str(&hh, big_b);
    uint32_t *sg = calloc(g.ntok + 1, sizeof *sg), *sh = calloc(hh.ntok + 1, sizeof *sh);
    uint64_t *kg = calloc(g.ntok + 1, sizeof *kg), *kh = calloc(hh.ntok + 1, sizeof *kh);
    assert_non_null(sg);
    assert_non_null(sh);
    assert_non_null(kg);
    assert_non_null(kh);
    rpi_side sgs, shs;
    reworded_side(&g, &sgs, sg, kg);
    reworded_side(&hh, &shs, sh, kh);
    assert_int_equal(rpi_align(&ctx, g.tok, g.ntok, hh.tok, hh.ntok), RP_OK);
    assert_true(ctx.npass >= 1);
    assert_int_equal(rpi_align_reworded(&ctx, &sgs, kg, NULL, &shs, kh, NULL), RP_OK);
    assert_int_equal(ctx.npass, 13);
    assert_int_equal(ctx.pass[0].reworded, RPI_REWORDED_EDGES); /* the crane, whole */
    assert_int_equal(ctx.pass[0].a0, 0);
    for (size_t k = 1; k < ctx.npass; k++) {
        assert_int_equal(ctx.pass[k].reworded, RPI_REWORDED_SENTENCES);
        assert_true(ctx.pass[k].a0 >= ctx.pass[k - 1].a1); /* in order, apart */
    }
    free(sg);
    free(sh);
    free(kg);
    free(kh);
    doc_free(&g);
    doc_free(&hh);

    /* Sentences sharing three content words only stay apart. */
    const char *te = "The council met on Tuesday to discuss the harbour budget and new parking rules.";
    const char *tf = "On Tuesday the harbour festival opened with music, food stalls and fireworks.";
    doc e, f;
    doc_str(&e, te);
    doc_str(&f, tf);
    rpi_side se, sf;
    reworded_side(&e, &se, sa_, ka);
    reworded_side(&f, &sf, sb_, kb);
    ctx.npass = 0;
    assert_int_equal(rpi_align_reworded(&ctx, &se, ka, NULL, &sf, kb, NULL), RP_OK);
    assert_int_equal(ctx.npass, 0);
    doc_free(&e);
    doc_free(&f);
    rpi_alignctx_free(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical),         cmocka_unit_test(test_unrelated),
        cmocka_unit_test(test_spliced_edited),    cmocka_unit_test(test_swapped_order),
        cmocka_unit_test(test_apart),             cmocka_unit_test(test_repeated_word),
        cmocka_unit_test(test_empty_and_tiny),    cmocka_unit_test(test_random_invariants),
        cmocka_unit_test(test_alloc_failure),     cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_reworded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
