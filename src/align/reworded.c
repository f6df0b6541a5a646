/* SPDX-License-Identifier: MIT */
/*
 * reworded.c -- stage 4, after the aligner: sentences that say the same
 * thing in other words (see align.h).
 *
 * The aligner finds reuse by words in order: a sentence rewritten with its
 * clauses turned round, or with half its words changed, has too few of them
 * in a row to anchor or to pay for its gaps (on the MSRP paraphrase pairs a
 * third of the paraphrases get no passage). What is left of such a sentence
 * is its content words: a rewording keeps most of what it speaks of (the
 * actors, the things, the acts) and changes the words around them.
 *
 * So the sentences that no passage touches are compared as sets of content
 * words (rpi_content_key: stems of words of 4 characters or more, character
 * pairs in scripts without spaces):
 *
 *  1. Each text's sentences not touched by a passage, with at least
 *     RW_MIN_SHARED distinct content words, give (word, sentence) entries;
 *     a word in more than RW_MAXOCC sentences of one text is left out (it is
 *     what the whole text is about, not what one sentence says, and it would
 *     make the pairs counted below grow with the square of the text).
 *  2. Entries of both texts meet by word; each meeting counts one shared
 *     word for a pair of sentences (a sorted list of pairs, so memory follows
 *     the meetings, not the product of the sentence counts).
 *  3. A pair says the same thing when at least half of the two sentences'
 *     content words are shared (Dice >= 1/2: 4 shared >= both counts added)
 *     and at least RW_MIN_SHARED. Pairs are taken greedily, the highest
 *     share first, each sentence once; pairs that follow each other on both
 *     sides become one passage.
 *
 * Why these values: between unrelated news sentences the share is small
 * (on random pairs of MSRP sentences, all from news of the same weeks, the
 * 99th percentile of Dice is 0.16, and 0.03% reach 1/2 with four shared
 * words, nearly all of them copies of one sentence), while a rewording keeps
 * it high (92% of the MSRP paraphrase pairs reach it). Four words: two
 * sentences on one subject share its two or three names by course ("the
 * minister said on Tuesday"), which is not saying the same thing.
 */
#include "align.h"
#include "shingle.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define RW_MIN_SHARED 4
#define RW_MAXOCC 16

/* Scratch of rpi_align_reworded, in ctx->rw (kept apart from align.c's); each slot
 * holds one element type, since rpi_grow counts capacity in elements. */
enum { R_OCC, R_SENT, R_ENT, R_MEET, R_CAND, R_HASH, R_UNIT, R_WORDS, R_N };
_Static_assert(R_N <= sizeof ((rpi_alignctx *)0)->rw / sizeof(void *), "rw scratch");

static int scratch(rpi_alignctx *ctx, int k, size_t n, size_t size)
{
    return rpi_grow(&ctx->rw[k], &ctx->caprw[k], n + 1, size);
}

/*
 * Does the text between two tokens, p[0..end - p), end a sentence? Sentence
 * punctuation (. ! ?) followed, after any closing quotes and brackets, by a
 * space ("4.12", "U.S." and "Mo., where" are not ends); the ideographic and
 * full-width forms; a blank line. A single line break does not: wire copy is
 * wrapped at a fixed width, and a wrapped line is no unit of meaning (on
 * Reuters copy, line "sentences" of five content words paired by the dozen:
 * "MELBOURNE, April 8 - Western Mining Corp Holdings Ltd" against the same on
 * April 13). next_lower: the next token starts with a lower-case letter, so
 * no sentence starts there ("U.S. troops", "Mr. ...
 * said").
 */
static int ends_unit(const char *p, const char *end, int next_lower)
{
    int lines = 0, stop = 0;
    for (; p < end; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '\n' && ++lines == 2)
            return 1;
        if (ch == '.' || ch == '!' || ch == '?') {
            stop = 1;
            continue;
        }
        if (stop && (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r'))
            return !next_lower;
        if (end - p >= 3 && ch == 0xE3 && (unsigned char)p[1] == 0x80 &&
            (unsigned char)p[2] == 0x82)
            return 1; /* U+3002 ideographic full stop */
        if (end - p >= 3 && ch == 0xEF && (unsigned char)p[1] == 0xBC &&
            ((unsigned char)p[2] == 0x81 || (unsigned char)p[2] == 0x9F))
            return 1; /* U+FF01, U+FF1F full-width ! and ? */
        if (ch == '"' || ch == '\'' || ch == ')' || ch == ']' || ch >= 0x80)
            continue; /* closing marks (and the bytes of ’ ” »): the stop holds */
        stop = 0;
    }
    return 0;
}

/* Does token t of v start with a lower-case letter? */
static int starts_lower(const rpi_side *v, const rpi_token *t)
{
    int32_t cp;
    if (utf8proc_iterate((const uint8_t *)v->text + t->start, (utf8proc_ssize_t)(t->end - t->start),
                         &cp) <= 0)
        return 0;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/*
 * Number the sentences of side v's tokens into u[0..v->nart), and put the
 * first token of sentence k into first[k] (first[nsentences] = v->nart), so
 * that the sentence of a token is found at once.
 */
static void units(const rpi_side *v, uint32_t *u, uint32_t *first)
{
    uint32_t k = 0;
    for (size_t i = 0; i < v->nart; i++) {
        if (i > 0 && ends_unit(v->text + v->art[i - 1].end, v->text + v->art[i].start,
                               starts_lower(v, &v->art[i])))
            k++;
        if (i == 0 || k != u[i - 1])
            first[k] = (uint32_t)i;
        u[i] = k;
    }
    first[v->nart ? k + 1 : 0] = (uint32_t)v->nart;
}

/* A sentence of one text: its tokens [t0, t1) and distinct content words. */
typedef struct sentence {
    uint32_t t0, t1;
    uint32_t nwords; /* distinct content words */
    uint32_t weight; /* their weights added (units of 1/16) */
    uint32_t number; /* its sentence number */
} sentence;

/*
 * A content word with its weight, as 40 bits: the high 32 bits of its key,
 * then the weight in 1/16 (1 to 255; 16 when no weights are given). Within
 * one pair of texts 32 bits of a word's hash tell words apart.
 */
static uint64_t word_of(const uint64_t *key, const float *w, size_t t)
{
    double q = w ? w[t] * 16.0 + 0.5 : 16.0;
    uint64_t v = q < 1 ? 1 : q > 255 ? 255 : (uint64_t)q;
    return (key[t] >> 32) << 8 | v;
}

/* A text's content words and their weights, per token. */
typedef struct side_words {
    const uint64_t *key;
    const float *w;
} side_words;

/* A pair of sentences. */
typedef struct rwcand {
    uint32_t sa, sb; /* sentence indexes */
    uint32_t shared; /* weight of the content words shared */
    uint32_t total; /* weight of the content words of both */
} rwcand;

/* Higher share first (shared / total, compared exactly), then by position. */
static int cmp_rwcand(const void *x, const void *y)
{
    const rwcand *p = x, *q = y;
    uint64_t l = (uint64_t)p->shared * q->total, r = (uint64_t)q->shared * p->total;
    if (l != r)
        return l > r ? -1 : 1;
    if (p->sa != q->sa)
        return p->sa < q->sa ? -1 : 1;
    return p->sb < q->sb ? -1 : p->sb > q->sb;
}

static int cmp_rwcand_sa(const void *x, const void *y)
{
    const rwcand *p = x, *q = y;
    return p->sa < q->sa ? -1 : p->sa > q->sa;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return p < q ? -1 : p > q;
}

/* Distinct content words of key[t0..t1) (word_of), sorted, into *out. */
static int words_of(const uint64_t *key, const float *w, uint32_t t0, uint32_t t1,
                    uint64_t **out, size_t *cap, size_t *n)
{
    RP_TRY(rpi_grow((void **)out, cap, (size_t)(t1 - t0) + 1, sizeof **out));
    size_t m = 0;
    for (uint32_t t = t0; t < t1; t++)
        if (key[t])
            (*out)[m++] = word_of(key, w, t);
    qsort(*out, m, sizeof **out, cmp_u64);
    size_t d = 0;
    for (size_t k = 0; k < m; k++)
        if (k == 0 || (*out)[k] != (*out)[k - 1])
            (*out)[d++] = (*out)[k];
    *n = d;
    return RP_OK;
}

/*
 * The sentences of side v not touched by a passage (occ marks covered
 * tokens), into *out (n), and their (word, sentence) entries appended to
 * ent: word in the high 40 bits, the side (0, 1) and sentence in the low 24,
 * for a and b alike. Sentences past 2^23 are not compared.
 */
static int side_entries(const rpi_side *v, const uint32_t *unit, const uint64_t *key,
                        const float *w, const uint8_t *occ,
                        sentence **out, size_t *n, size_t *cap, uint64_t **ent, size_t *nent,
                        size_t *capent, int side, uint64_t **tmp, size_t *captmp)
{
    size_t ns = 0;
    for (size_t i = 0; i < v->nart;) {
        size_t e = i + 1;
        while (e < v->nart && unit[e] == unit[i])
            e++;
        int touched = 0;
        size_t nw = 0;
        for (size_t t = i; t < e; t++) {
            touched |= occ[t];
            nw += key[t] != 0;
        }
        if (!touched && nw >= RW_MIN_SHARED && ns < (1u << 23)) {
            size_t d;
            RP_TRY(words_of(key, w, (uint32_t)i, (uint32_t)e, tmp, captmp, &d));
            if (d >= RW_MIN_SHARED) {
                uint32_t sum = 0;
                for (size_t k = 0; k < d; k++)
                    sum += (uint32_t)((*tmp)[k] & 0xFF);
                RP_TRY(rpi_grow((void **)out, cap, ns + 1, sizeof **out));
                (*out)[ns] = (sentence){(uint32_t)i, (uint32_t)e, (uint32_t)d, sum, unit[i]};
                RP_TRY(rpi_grow((void **)ent, capent, *nent + d + 1, sizeof **ent));
                for (size_t k = 0; k < d; k++)
                    (*ent)[(*nent)++] = (*tmp)[k] << 24 | (uint64_t)side << 23 | ns;
                ns++;
            }
        }
        i = e;
    }
    *n = ns;
    return RP_OK;
}

/* Token pairs of a[a0..a1) and b[b0..b1) with equal hashes, as a multiset overlap. */
static int overlap(rpi_alignctx *ctx, const rpi_side *a, uint32_t a0, uint32_t a1,
                   const rpi_side *b, uint32_t b0, uint32_t b1, uint32_t *out)
{
    size_t na = a1 - a0, nb = b1 - b0;
    RP_TRY(scratch(ctx, R_HASH, na + nb, sizeof(uint64_t)));
    uint64_t *h = ctx->rw[R_HASH], *g = h + na;
    for (size_t i = 0; i < na; i++)
        h[i] = a->art[a0 + i].hash;
    for (size_t j = 0; j < nb; j++)
        g[j] = b->art[b0 + j].hash;
    qsort(h, na, sizeof *h, cmp_u64);
    qsort(g, nb, sizeof *g, cmp_u64);
    *out = (uint32_t)rpi_intersect_count(h, na, g, nb);
    return RP_OK;
}

/* The tokens [*s0, *s1) of the sentence of token t of side v. */
static void sentence_at(const uint32_t *unit, const uint32_t *first, uint32_t t, uint32_t *s0,
                        uint32_t *s1)
{
    *s0 = first[unit[t]];
    *s1 = first[unit[t] + 1];
}

/* Do sentences a[a0..a1) and b[b0..b1) share half the weight of their content words,
 * and at least RW_MIN_SHARED of them? */
static int same_saying(rpi_alignctx *ctx, const side_words *a, uint32_t a0, uint32_t a1,
                       const side_words *b, uint32_t b0, uint32_t b1, int *yes)
{
    size_t na, nb;
    RP_TRY(words_of(a->key, a->w, a0, a1, (uint64_t **)&ctx->rw[R_HASH], &ctx->caprw[R_HASH],
                    &na));
    RP_TRY(words_of(b->key, b->w, b0, b1, (uint64_t **)&ctx->rw[R_WORDS], &ctx->caprw[R_WORDS],
                    &nb));
    const uint64_t *x = ctx->rw[R_HASH], *y = ctx->rw[R_WORDS];
    uint64_t shared = 0, wshared = 0, total = 0;
    for (size_t i = 0; i < na; i++)
        total += x[i] & 0xFF;
    for (size_t j = 0; j < nb; j++)
        total += y[j] & 0xFF;
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        if (x[i] < y[j])
            i++;
        else if (x[i] > y[j])
            j++;
        else {
            shared++;
            wshared += x[i] & 0xFF;
            i++;
            j++;
        }
    }
    *yes = shared >= RW_MIN_SHARED && 4 * wshared >= total;
    return RP_OK;
}

/* Is any token of occ[t0..t1) set? */
static int any_set(const uint8_t *occ, uint32_t t0, uint32_t t1)
{
    for (uint32_t t = t0; t < t1; t++)
        if (occ[t])
            return 1;
    return 0;
}

/*
 * Step 0. A passage that starts (ends) inside a sentence on either side,
 * where the two sentences it starts (ends) in say the same thing, starts
 * (ends) with those sentences, when no other passage holds their rest: the
 * aligner stops at the last words in order, a reader at the sentence.
 */
static int complete(rpi_alignctx *ctx, const rpi_side *a, const uint32_t *ua,
                    const uint32_t *fa, const side_words *wa, const rpi_side *b,
                    const uint32_t *ub, const uint32_t *fb, const side_words *wb, uint8_t *occa,
                    uint8_t *occb)
{
    for (size_t k = 0; k < ctx->npass; k++) {
        rpi_passage *p = &ctx->pass[k];
        uint32_t sa0, sa1, sb0, sb1;
        int yes;
        sentence_at(ua, fa, p->a0, &sa0, &sa1);
        sentence_at(ub, fb, p->b0, &sb0, &sb1);
        if ((sa0 < p->a0 || sb0 < p->b0) && !any_set(occa, sa0, p->a0) &&
            !any_set(occb, sb0, p->b0)) {
            RP_TRY(same_saying(ctx, wa, sa0, sa1, wb, sb0, sb1, &yes));
            if (yes) {
                memset(occa + sa0, 1, p->a0 - sa0);
                memset(occb + sb0, 1, p->b0 - sb0);
                p->a0 = sa0;
                p->b0 = sb0;
                p->reworded = RPI_REWORDED_EDGES;
            }
        }
        sentence_at(ua, fa, p->a1 - 1, &sa0, &sa1);
        sentence_at(ub, fb, p->b1 - 1, &sb0, &sb1);
        if ((sa1 > p->a1 || sb1 > p->b1) && !any_set(occa, p->a1, sa1) &&
            !any_set(occb, p->b1, sb1)) {
            RP_TRY(same_saying(ctx, wa, sa0, sa1, wb, sb0, sb1, &yes));
            if (yes) {
                memset(occa + p->a1, 1, sa1 - p->a1);
                memset(occb + p->b1, 1, sb1 - p->b1);
                p->a1 = sa1;
                p->b1 = sb1;
                p->reworded = RPI_REWORDED_EDGES;
            }
        }
        if (p->reworded == RPI_REWORDED_EDGES)
            RP_TRY(overlap(ctx, a, p->a0, p->a1, b, p->b0, p->b1, &p->matches));
    }
    return RP_OK;
}

int rpi_align_reworded(rpi_alignctx *ctx, const rpi_side *a, const uint64_t *akey,
                       const float *aw, const rpi_side *b, const uint64_t *bkey, const float *bw)
{
    const side_words wa = {akey, aw}, wb = {bkey, bw};
    size_t nbefore = ctx->npass;
    if (a->nart == 0 || b->nart == 0)
        return RP_OK;
    if (a->nart >= UINT32_MAX || b->nart >= UINT32_MAX)
        return RP_EINVAL;
    /* Tokens the aligner's passages cover. */
    RP_TRY(scratch(ctx, R_OCC, a->nart + b->nart, 1));
    uint8_t *occa = ctx->rw[R_OCC], *occb = occa + a->nart;
    memset(occa, 0, a->nart + b->nart);
    for (size_t k = 0; k < ctx->npass; k++) {
        const rpi_passage *p = &ctx->pass[k];
        memset(occa + p->a0, 1, p->a1 - p->a0);
        memset(occb + p->b0, 1, p->b1 - p->b0);
    }
    /* Sentence numbers and first tokens, both sides: 2 (na + nb) + 2 numbers. */
    RP_TRY(scratch(ctx, R_UNIT, 2 * (a->nart + b->nart) + 2, sizeof(uint32_t)));
    uint32_t *ua = ctx->rw[R_UNIT], *ub = ua + a->nart, *fa = ub + b->nart, *fb = fa + a->nart + 1;
    units(a, ua, fa);
    units(b, ub, fb);
    RP_TRY(complete(ctx, a, ua, fa, &wa, b, ub, fb, &wb, occa, occb));
    /* Step 1: sentences and their (word, sentence) entries. */
    sentence *sa = NULL, *sb = NULL;
    size_t nsa = 0, nsb = 0, capsa = 0, capsb = 0, nent = 0;
    int rc = RP_OK;
    uint64_t *tmp = NULL;
    size_t captmp = 0;
    RP_CHECK(side_entries(a, ua, akey, aw, occa, &sa, &nsa, &capsa, (uint64_t **)&ctx->rw[R_ENT], &nent,
                          &ctx->caprw[R_ENT], 0, &tmp, &captmp));
    if (nsa == 0)
        goto fail;
    RP_CHECK(side_entries(b, ub, bkey, bw, occb, &sb, &nsb, &capsb, (uint64_t **)&ctx->rw[R_ENT], &nent,
                          &ctx->caprw[R_ENT], 1, &tmp, &captmp));
    if (nsb == 0)
        goto fail;
    uint64_t *ent = ctx->rw[R_ENT];
    RP_CHECK(rpi_sort_u64(ent, nent, &tmp, &captmp));
    /* Step 2: meetings of a word's sentences in a and in b. */
    size_t nmeet = 0;
    for (size_t i = 0; i < nent;) {
        size_t e = i, mid;
        while (e < nent && ent[e] >> 24 == ent[i] >> 24)
            e++;
        mid = i;
        while (mid < e && !(ent[mid] >> 23 & 1))
            mid++;
        size_t ka = mid - i, kb = e - mid;
        if (ka && kb && ka <= RW_MAXOCC && kb <= RW_MAXOCC) {
            RP_CHECK(scratch(ctx, R_MEET, nmeet + ka * kb, sizeof(uint64_t)));
            uint64_t *meet = ctx->rw[R_MEET];
            for (size_t x = i; x < mid; x++)
                for (size_t y = mid; y < e; y++)
                    meet[nmeet++] = (ent[x] & 0x7FFFFF) << 31 | (ent[y] & 0x7FFFFF) << 8 |
                                    (ent[x] >> 24 & 0xFF);
        }
        i = e;
    }
    if (nmeet == 0)
        goto fail;
    uint64_t *meet = ctx->rw[R_MEET];
    RP_CHECK(rpi_sort_u64(meet, nmeet, &tmp, &captmp));
    /* Step 3: pairs that share half their words, greedily. */
    size_t ncand = 0;
    for (size_t i = 0; i < nmeet;) {
        size_t e = i + 1;
        uint32_t wshared = 0;
        while (e < nmeet && meet[e] >> 8 == meet[i] >> 8)
            e++;
        for (size_t k = i; k < e; k++)
            wshared += (uint32_t)(meet[k] & 0xFF);
        uint32_t x = (uint32_t)(meet[i] >> 31), y = (uint32_t)(meet[i] >> 8 & 0x7FFFFF);
        uint32_t total = sa[x].weight + sb[y].weight;
        if (e - i >= RW_MIN_SHARED && 4 * (uint64_t)wshared >= total) {
            RP_CHECK(scratch(ctx, R_CAND, ncand + 1, sizeof(rwcand)));
            ((rwcand *)ctx->rw[R_CAND])[ncand++] = (rwcand){x, y, wshared, total};
        }
        i = e;
    }
    rwcand *cd = ctx->rw[R_CAND];
    if (ncand > 1)
        qsort(cd, ncand, sizeof *cd, cmp_rwcand);
    /* a's and b's sentences taken, as flags. */
    RP_CHECK(scratch(ctx, R_SENT, nsa + nsb, 1));
    uint8_t *taken = ctx->rw[R_SENT];
    memset(taken, 0, nsa + nsb);
    size_t nacc = 0;
    for (size_t k = 0; k < ncand; k++)
        if (!taken[cd[k].sa] && !taken[nsa + cd[k].sb]) {
            taken[cd[k].sa] = taken[nsa + cd[k].sb] = 1;
            cd[nacc++] = cd[k];
        }
    /* In a's order (each a sentence is in one pair); pairs following each other on
     * both sides join. */
    if (nacc > 1)
        qsort(cd, nacc, sizeof *cd, cmp_rwcand_sa);
    for (size_t k = 0; k < nacc;) {
        size_t e = k + 1;
        while (e < nacc && cd[e].sa == cd[e - 1].sa + 1 && cd[e].sb == cd[e - 1].sb + 1 &&
               sa[cd[e].sa].number == sa[cd[e - 1].sa].number + 1 &&
               sb[cd[e].sb].number == sb[cd[e - 1].sb].number + 1)
            e++;
        rpi_passage p = {0};
        p.a0 = sa[cd[k].sa].t0;
        p.a1 = sa[cd[e - 1].sa].t1;
        p.b0 = sb[cd[k].sb].t0;
        p.b1 = sb[cd[e - 1].sb].t1;
        p.reworded = RPI_REWORDED_SENTENCES;
        RP_CHECK(overlap(ctx, a, p.a0, p.a1, b, p.b0, p.b1, &p.matches));
        RP_CHECK(rpi_grow((void **)&ctx->pass, &ctx->cappass, ctx->npass + 1, sizeof *ctx->pass));
        ctx->pass[ctx->npass++] = p;
        k = e;
    }
    /* Merge into a0 order with the aligner's passages (both sorted). */
    if (ctx->npass > nbefore) {
        size_t n = ctx->npass;
        RP_CHECK(rpi_grow((void **)&ctx->pass, &ctx->cappass, n + n, sizeof *ctx->pass));
        rpi_passage *all = ctx->pass, *out = all + n;
        size_t i = 0, j = nbefore, o = 0;
        while (i < nbefore || j < n)
            out[o++] = j >= n || (i < nbefore && all[i].a0 < all[j].a0) ? all[i++] : all[j++];
        memcpy(all, out, n * sizeof *all);
    }
fail:
    if (rc != RP_OK)
        ctx->npass = nbefore;
    rpi_free(tmp);
    rpi_free(sa);
    rpi_free(sb);
    return rc;
}
