/* SPDX-License-Identifier: MIT */
/*
 * fuzz_align.c -- libFuzzer target for the passage aligner (src/align/).
 *
 * The last byte of the input (a control value) picks where the payload is
 * cut into two documents A and B: at the first NUL byte when there is one,
 * else at that fraction of the payload. Both are tokenized (inputs that are
 * not valid UTF-8 are skipped) and aligned both ways, and each with itself.
 * Invariants checked on every result:
 *   - the status is RP_OK;
 *   - every passage has 0 <= a0 < a1 <= na and 0 <= b0 < b1 <= nb;
 *     passages are sorted by a0 and disjoint on both sides;
 *   - byte ranges are tok[a0].start .. tok[a1-1].end (and likewise for B);
 *   - a passage starts and ends on a matching token pair;
 *   - 1 <= matches <= min(a1-a0, b1-b0), score = 2 matches / (lengths) in (0, 1];
 *   - align(b, a) is the mirror image of align(a, b);
 *   - a text aligned with itself gives one passage covering all of it with
 *     score 1 when no n-gram of it repeats and it has at least 8 tokens
 *     (otherwise passages may be fewer, but never invalid).
 */
#include <string.h>

#include "align.h"
#include "fuzz_helpers.h"
#include "normalize.h"

/* Tokens of one document, copied out of the tokenizer. */
typedef struct fdoc {
    rpi_token *tok; /* malloc'ed */
    size_t n; /* tokens */
} fdoc;

static int tokenize(const uint8_t *p, size_t len, fdoc *d)
{
    rpi_tokctx tc;
    memset(&tc, 0, sizeof tc);
    size_t bad = 0;
    int rc = rpi_tokenize(&tc, (const char *)p, len, &bad);
    FUZZ_ASSERT(rc == RP_OK || rc == RP_EBADINPUT);
    d->n = rc == RP_OK ? tc.ntok : 0;
    d->tok = malloc(d->n * sizeof *d->tok + 1);
    FUZZ_ASSERT(d->tok != NULL);
    if (d->n)
        memcpy(d->tok, tc.tok, d->n * sizeof *d->tok);
    rpi_tokctx_free(&tc);
    return rc == RP_OK;
}

static void check(const rpi_alignctx *ctx, const fdoc *a, const fdoc *b)
{
    for (size_t k = 0; k < ctx->npass; k++) {
        const rpi_passage *p = &ctx->pass[k];
        FUZZ_ASSERT_MSG(p->a0 < p->a1 && p->a1 <= a->n, "A range out of bounds");
        FUZZ_ASSERT_MSG(p->b0 < p->b1 && p->b1 <= b->n, "B range out of bounds");
        FUZZ_ASSERT_MSG(p->a_start == a->tok[p->a0].start && p->a_end == a->tok[p->a1 - 1].end,
                        "A byte range does not match the token range");
        FUZZ_ASSERT_MSG(p->b_start == b->tok[p->b0].start && p->b_end == b->tok[p->b1 - 1].end,
                        "B byte range does not match the token range");
        FUZZ_ASSERT_MSG(a->tok[p->a0].hash == b->tok[p->b0].hash &&
                            a->tok[p->a1 - 1].hash == b->tok[p->b1 - 1].hash,
                        "passage does not start and end on matching tokens");
        uint32_t la = p->a1 - p->a0, lb = p->b1 - p->b0;
        FUZZ_ASSERT_MSG(p->matches >= 1 && p->matches <= (la < lb ? la : lb), "bad match count");
        FUZZ_ASSERT_MSG(p->score > 0 && p->score <= 1 &&
                            p->score == 2.0 * p->matches / (double)(la + lb),
                        "bad score");
        if (k > 0)
            FUZZ_ASSERT_MSG(ctx->pass[k - 1].a1 <= p->a0, "passages unsorted or overlapping in A");
        for (size_t m = 0; m < k; m++) {
            const rpi_passage *q = &ctx->pass[m];
            FUZZ_ASSERT_MSG(q->b1 <= p->b0 || p->b1 <= q->b0, "passages overlapping in B");
        }
    }
}

/* Copy of the passages of ctx, mirrored (a and b swapped), sorted by a0 of the mirror. */
static int cmp_a0(const void *x, const void *y)
{
    const rpi_passage *p = x, *q = y;
    return p->a0 < q->a0 ? -1 : p->a0 > q->a0;
}

static void check_mirror(const rpi_alignctx *ab, const rpi_alignctx *ba)
{
    FUZZ_ASSERT_MSG(ab->npass == ba->npass, "align(a, b) and align(b, a) differ in count");
    rpi_passage *m = malloc(ab->npass * sizeof *m + 1);
    FUZZ_ASSERT(m != NULL);
    for (size_t k = 0; k < ab->npass; k++) {
        const rpi_passage *p = &ab->pass[k];
        m[k] = *p;
        m[k].a0 = p->b0, m[k].a1 = p->b1, m[k].b0 = p->a0, m[k].b1 = p->a1;
        m[k].a_start = p->b_start, m[k].a_end = p->b_end;
        m[k].b_start = p->a_start, m[k].b_end = p->a_end;
    }
    qsort(m, ab->npass, sizeof *m, cmp_a0);
    for (size_t k = 0; k < ab->npass; k++) {
        const rpi_passage *p = &ba->pass[k], *q = &m[k];
        FUZZ_ASSERT_MSG(p->a0 == q->a0 && p->a1 == q->a1 && p->b0 == q->b0 && p->b1 == q->b1 &&
                            p->matches == q->matches && p->score == q->score,
                        "align(b, a) is not the mirror image of align(a, b)");
    }
    free(m);
}

/* Does any n-gram (n = 3, the aligner's) of d repeat? Quadratic: inputs are small. */
static int has_repeat(const fdoc *d)
{
    if (d->n > 2000)
        return 1; /* do not spend the time: skip the strong self check */
    for (size_t i = 0; i + 3 <= d->n; i++)
        for (size_t j = i + 1; j + 3 <= d->n; j++)
            if (d->tok[i].hash == d->tok[j].hash && d->tok[i + 1].hash == d->tok[j + 1].hash &&
                d->tok[i + 2].hash == d->tok[j + 2].hash)
                return 1;
    return 0;
}

static void check_self(rpi_alignctx *ctx, const fdoc *d)
{
    FUZZ_ASSERT(rpi_align(ctx, d->tok, d->n, d->tok, d->n) == RP_OK);
    check(ctx, d, d);
    if (d->n >= 8 && !has_repeat(d)) {
        FUZZ_ASSERT_MSG(ctx->npass == 1, "a text with itself: not one passage");
        const rpi_passage *p = &ctx->pass[0];
        FUZZ_ASSERT_MSG(p->a0 == 0 && p->a1 == d->n && p->b0 == 0 && p->b1 == d->n &&
                            p->score == 1.0,
                        "a text with itself: the passage does not cover it");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_producer fp = fuzz_producer_init(data, size);
    uint32_t cut = fuzz_producer_range(&fp, 0, 255);
    size_t n = fuzz_producer_remaining(&fp);
    const uint8_t *nul = memchr(data, 0, n);
    size_t la = nul ? (size_t)(nul - data) : n * cut / 255;
    size_t lb0 = nul ? la + 1 : la;
    fdoc a, b;
    int oka = tokenize(data, la, &a), okb = tokenize(data + lb0, n - lb0, &b);
    if (oka && okb) {
        rpi_alignctx ab, ba;
        memset(&ab, 0, sizeof ab);
        memset(&ba, 0, sizeof ba);
        FUZZ_ASSERT(rpi_align(&ab, a.tok, a.n, b.tok, b.n) == RP_OK);
        check(&ab, &a, &b);
        FUZZ_ASSERT(rpi_align(&ba, b.tok, b.n, a.tok, a.n) == RP_OK);
        check(&ba, &b, &a);
        check_mirror(&ab, &ba);
        check_self(&ab, &a);
        check_self(&ba, &b);
        rpi_alignctx_free(&ab);
        rpi_alignctx_free(&ba);
    }
    free(a.tok);
    free(b.tok);
    return 0;
}
