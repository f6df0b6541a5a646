/* SPDX-License-Identifier: MIT */
/*
 * differences.c -- stage 6: the figures on which two related texts differ
 * (see relate.h), from the figures facts.c reads sentence by sentence.
 */
#include "relate.h"

#include <stdlib.h>
#include <string.h>

/*
 * Differing figures of a related pair. "The same thing" is said by two
 * sentences that share content words: at least RPI_SAME_WORDS of them and
 * RPI_SAME_SHARE of the shorter sentence's (a passage aligned with light
 * edits always passes; so does a rewritten sentence that keeps its subject,
 * verb and object), or at least RPI_SAME_MIN_WORDS when the two figures say
 * what they count with the same word ("troops") or share an end of a range
 * ("about 1,000 to 3,000" / "around 3,000"). Inside such a pair of
 * sentences, figures are paired by that word or, failing it, when each
 * sentence holds just one figure of the kind; dates, weekdays and months
 * only by what they are the time of ("in Pyongyang on Friday" and "in
 * Pyongyang on Wednesday", not "state media reported Thursday"). A pair
 * whose values differ
 * (by value: "10,000-12,000" = "10,000 to 12,000", but not "about 10,000 to
 * 12,000" nor "up to 12,000") is a difference.
 */
#define RPI_SAME_WORDS 5
#define RPI_SAME_SHARE 0.35
#define RPI_SAME_MIN_WORDS 3


static size_t shared_words(const uint64_t *x, size_t nx, const uint64_t *y, size_t ny)
{
    size_t n = 0;
    for (size_t i = 0, j = 0; i < nx && j < ny;) {
        if (x[i] < y[j])
            i++;
        else if (y[j] < x[i])
            j++;
        else {
            n++;
            i++;
            j++;
        }
    }
    return n;
}

static int sentence_info(rpi_diffscratch *w, const rpi_factside *v, size_t base, size_t *nw,
                         size_t *nf)
{
    size_t nsent = v->nart ? (size_t)v->sent[v->nart - 1] + 1 : 0;
    RP_TRY(rpi_grow((void **)&w->sents, &w->capsents, base + nsent + 1, sizeof *w->sents));
    for (size_t t = 0; t < v->nart;) {
        uint32_t sid = v->sent[t];
        size_t t1 = t;
        while (t1 < v->nart && v->sent[t1] == sid)
            t1++;
        rpi_sent *se = &w->sents[base + sid];
        se->w0 = (uint32_t)*nw;
        RP_TRY(rpi_grow((void **)&w->words, &w->capwords, *nw + (t1 - t) + 1, sizeof *w->words));
        for (size_t k = t; k < t1; k++)
            if (v->content[k])
                w->words[(*nw)++] = v->art[k].hash;
        size_t m;
        RP_TRY(rpi_sort_distinct(w->words + se->w0, *nw - se->w0, &w->tmp, &w->captmp, &m));
        *nw = se->w0 + m;
        se->nw = (uint32_t)m;
        se->f0 = (uint32_t)*nf;
        size_t nfig = v->sentfig[sid + 1] - v->sentfig[sid];
        RP_TRY(rpi_grow((void **)&w->figs, &w->capfigs, *nf + nfig + 1, sizeof *w->figs));
        if (nfig)
            memcpy(w->figs + *nf, v->figs + v->sentfig[sid], nfig * sizeof *w->figs);
        *nf += nfig;
        se->nf = (uint32_t)nfig;
        t = t1;
    }
    return RP_OK;
}

static int ends_meet(const rpi_figure *x, const rpi_figure *y)
{
    return x->lo == y->lo || x->lo == y->hi || x->hi == y->lo || x->hi == y->hi;
}

/* Figures of sentence se comparable with f. */
static size_t count_comparable(const rpi_diffscratch *w, const rpi_sent *se, const rpi_figure *f)
{
    size_t n = 0;
    for (uint32_t k = 0; k < se->nf; k++)
        n += rpi_figures_comparable(&w->figs[se->f0 + k], f);
    return n;
}

/*
 * Bounds that keep the work linear in the texts' lengths (two long related
 * texts, such as two editions of a report, have thousands of sentences each:
 * comparing every sentence of one with every sentence of the other, once
 * for each figure, took a minute for two texts of 40,000 sentences and
 * grew with the square). Two sentences are compared only when they share a
 * word that is in at most RPI_DIFF_WORD_SENTS sentences of each text; then
 * every word they share counts, as before. A word every sentence uses does
 * not single out the sentence that says the same thing, and in the news
 * corpus, the development half and the seeds no related text uses one
 * content word in more than 57 sentences, so there every pair of sentences
 * sharing a word is compared, as before. A "sentence" of more than
 * RPI_DIFF_SENT_FIGS figures or RPI_DIFF_SENT_WORDS content words is a table
 * or text without sentence ends, not a statement: its figures are not
 * paired (the most in those corpora: 17 figures, and 64 in a generated
 * table). Texts whose sentence pairs number more than RPI_DIFF_DIRECT find
 * the sentences to compare through those words, not by trying every pair:
 * the same sentences, fewer steps. Short texts try every pair: through the
 * words for every pair (sorting each pair's postings), the default scan of
 * the 20,000 planted-copy documents took 10% more CPU (16.1-16.7 s against
 * 14.8-15.0 s), the news corpus the same.
 */
#define RPI_DIFF_WORD_SENTS 64
#define RPI_DIFF_SENT_FIGS 128
#define RPI_DIFF_SENT_WORDS 512
#define RPI_DIFF_DIRECT ((size_t)1 << 16)

/* Can sentence se hold a difference? */
static int statement(const rpi_sent *se)
{
    return se->nf > 0 && se->nf <= RPI_DIFF_SENT_FIGS && se->nw <= RPI_DIFF_SENT_WORDS;
}

/*
 * The words of sentences s[0..n) that are in at most RPI_DIFF_WORD_SENTS of
 * them: each sentence's list (r0, nr), which is its whole list (w0, nw)
 * unless some word is in more (only a text of more sentences can have one;
 * the shorter lists are then added after the others in w->words). *some is
 * set when a word was left out.
 */
static int rare_words(rpi_diffscratch *w, rpi_sent *s, size_t n, size_t *nw, int *some)
{
    for (size_t k = 0; k < n; k++) {
        s[k].r0 = s[k].w0;
        s[k].nr = s[k].nw;
    }
    if (n <= RPI_DIFF_WORD_SENTS)
        return RP_OK;
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += s[k].nw;
    RP_TRY(rpi_grow((void **)&w->common, &w->capcommon, total + 1, sizeof *w->common));
    size_t m = 0;
    for (size_t k = 0; k < n; k++) /* (each list is distinct: a word's count is its sentences) */
        for (uint32_t i = 0; i < s[k].nw; i++)
            w->common[m++] = w->words[s[k].w0 + i];
    RP_TRY(rpi_sort_u64(w->common, m, &w->tmp, &w->captmp));
    size_t nc = 0;
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i; j < m && w->common[j] == w->common[i]; j++)
            ;
        if (j - i > RPI_DIFF_WORD_SENTS)
            w->common[nc++] = w->common[i];
    }
    if (nc == 0)
        return RP_OK;
    *some = 1;
    RP_TRY(rpi_grow((void **)&w->words, &w->capwords, *nw + total + 1, sizeof *w->words));
    for (size_t k = 0; k < n; k++) {
        const uint64_t *x = w->words + s[k].w0;
        s[k].r0 = (uint32_t)*nw;
        size_t c = 0;
        for (uint32_t i = 0; i < s[k].nw; i++) {
            while (c < nc && w->common[c] < x[i])
                c++;
            if (c == nc || w->common[c] != x[i])
                w->words[(*nw)++] = x[i];
        }
        s[k].nr = (uint32_t)(*nw - s[k].r0);
    }
    return RP_OK;
}

static int cmp_posting(const void *x, const void *y)
{
    const rpi_diffposting *p = x, *q = y;
    if (p->word != q->word)
        return p->word < q->word ? -1 : 1;
    return (p->sent > q->sent) - (p->sent < q->sent);
}

/* The rare words of b's statements (sentences sb of w->sents[na..na + nb)), by word. */
static int postings_of_b(rpi_diffscratch *w, size_t na, size_t nb, size_t *npost)
{
    size_t n = 0;
    for (size_t sb = 0; sb < nb; sb++)
        if (statement(&w->sents[na + sb]))
            n += w->sents[na + sb].nr;
    RP_TRY(rpi_grow((void **)&w->post, &w->cappost, n + 1, sizeof *w->post));
    n = 0;
    for (size_t sb = 0; sb < nb; sb++) {
        const rpi_sent *xb = &w->sents[na + sb];
        if (statement(xb))
            for (uint32_t i = 0; i < xb->nr; i++)
                w->post[n++] = (rpi_diffposting){w->words[xb->r0 + i], (uint32_t)sb};
    }
    qsort(w->post, n, sizeof *w->post, cmp_posting);
    *npost = n;
    return RP_OK;
}

/* Words shared by sentences x and y (all of them), when they share a rare one. */
static size_t shared_of(const rpi_diffscratch *w, const rpi_sent *x, const rpi_sent *y,
                        int some_common)
{
    size_t sh = shared_words(w->words + x->w0, x->nw, w->words + y->w0, y->nw);
    if (some_common && sh >= RPI_SAME_MIN_WORDS &&
        shared_words(w->words + x->r0, x->nr, w->words + y->r0, y->nr) == 0)
        return 0;
    return sh;
}

/* The statements of b sharing RPI_SAME_MIN_WORDS words or more with sentence xa
 * (one of them rare), ascending, into w->cand[0..*ncand), their shared words in
 * w->shared[sb]. */
static int sentences_sharing(rpi_diffscratch *w, const rpi_sent *xa, size_t na, size_t nb,
                             int direct, int some_common, size_t npost, size_t *ncand)
{
    size_t n = 0;
    RP_TRY(rpi_grow((void **)&w->cand, &w->capcand, nb + 1, sizeof *w->cand));
    if (direct) {
        for (size_t sb = 0; sb < nb; sb++) {
            const rpi_sent *xb = &w->sents[na + sb];
            if (!statement(xb))
                continue;
            w->shared[sb] = (uint32_t)shared_of(w, xa, xb, some_common);
            if (w->shared[sb] >= RPI_SAME_MIN_WORDS)
                w->cand[n++] = (uint32_t)sb;
        }
        *ncand = n;
        return RP_OK;
    }
    /* The statements sharing a rare word with xa (a rare word is in at most
     * RPI_DIFF_WORD_SENTS of them), marked in w->shared while gathered. */
    size_t touched = 0;
    for (uint32_t i = 0; i < xa->nr; i++) {
        uint64_t x = w->words[xa->r0 + i];
        size_t lo = 0, hi = npost;
        while (lo < hi) { /* the first posting of x */
            size_t mid = lo + (hi - lo) / 2;
            if (w->post[mid].word < x)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < npost && w->post[lo].word == x; lo++) {
            uint32_t sb = w->post[lo].sent;
            if (!w->shared[sb]) {
                w->shared[sb] = 1;
                w->cand[touched++] = sb;
            }
        }
    }
    for (size_t k = 0; k < touched; k++) {
        uint32_t sb = w->cand[k];
        const rpi_sent *xb = &w->sents[na + sb];
        size_t sh = shared_words(w->words + xa->w0, xa->nw, w->words + xb->w0, xb->nw);
        w->shared[sb] = (uint32_t)sh;
        if (sh >= RPI_SAME_MIN_WORDS)
            w->cand[n++] = sb;
        else
            w->shared[sb] = 0;
    }
    qsort(w->cand, n, sizeof *w->cand, rpi_cmp_u32);
    *ncand = n;
    return RP_OK;
}

int rpi_differences(rpi_diffscratch *w, const rpi_factside *va, const rpi_factside *vb, uint32_t a,
                    uint32_t b, rp_difference **out, size_t *nout, size_t *cap)
{
    size_t nw = 0, nf = 0;
    size_t na = va->nart ? (size_t)va->sent[va->nart - 1] + 1 : 0;
    size_t nb = vb->nart ? (size_t)vb->sent[vb->nart - 1] + 1 : 0;
    RP_TRY(sentence_info(w, va, 0, &nw, &nf));
    RP_TRY(sentence_info(w, vb, na, &nw, &nf));
    int some_common = 0;
    RP_TRY(rare_words(w, w->sents, na, &nw, &some_common));
    RP_TRY(rare_words(w, w->sents + na, nb, &nw, &some_common));
    RP_TRY(rpi_grow((void **)&w->mask, &w->capmask, nf + 1, 1));
    RP_TRY(rpi_grow((void **)&w->shared, &w->capshared, nb + 1, sizeof *w->shared));
    memset(w->mask, 0, nf); /* figures already paired */
    memset(w->shared, 0, nb * sizeof *w->shared);
    int direct = na * nb <= RPI_DIFF_DIRECT;
    size_t npost = 0;
    if (!direct)
        RP_TRY(postings_of_b(w, na, nb, &npost));
    /* What does not depend on the figure is found once: the statements of b
     * sharing words with a sentence of a once per sentence, whether a figure
     * is alone of its kind in its sentence once per figure, and in a
     * sentence of b once per figure and sentence. */
    for (size_t sa = 0; sa < na; sa++) {
        const rpi_sent *xa = &w->sents[sa];
        if (!statement(xa))
            continue;
        size_t ncand;
        RP_TRY(sentences_sharing(w, xa, na, nb, direct, some_common, npost, &ncand));
        for (uint32_t ka = 0; ka < xa->nf && ncand; ka++) {
            const rpi_figure *fa = &w->figs[xa->f0 + ka];
            size_t best = SIZE_MAX, bestshared = 0;
            int alone = count_comparable(w, xa, fa) == 1;
            int numeric = fa->kind <= RPI_FIG_PERCENT;
            for (size_t q = 0; q < ncand; q++) {
                size_t sb = w->cand[q];
                const rpi_sent *xb = &w->sents[na + sb];
                size_t sh = w->shared[sb];
                if (sh <= bestshared)
                    continue;
                size_t mn = xa->nw < xb->nw ? xa->nw : xb->nw;
                int strong = sh >= RPI_SAME_WORDS && sh >= RPI_SAME_SHARE * (double)mn;
                int alone_b = -1; /* fa's kind alone in xb: found when first asked */
                for (uint32_t kb = 0; kb < xb->nf; kb++) {
                    size_t idx = xb->f0 + kb;
                    const rpi_figure *fb = &w->figs[idx];
                    if (w->mask[idx] || !rpi_figures_comparable(fa, fb))
                        continue;
                    int unit = fa->unit && fa->unit == fb->unit;
                    /* A time is paired only by what it is the time of. */
                    if (numeric && alone && alone_b < 0)
                        alone_b = count_comparable(w, xb, fa) == 1;
                    int one = numeric && alone && alone_b == 1;
                    if ((strong && (unit || one)) || unit || (numeric && one && ends_meet(fa, fb))) {
                        best = idx;
                        bestshared = sh;
                        break;
                    }
                }
            }
            if (best == SIZE_MAX)
                continue;
            w->mask[best] = 1;
            const rpi_figure *fb = &w->figs[best];
            if (rpi_figures_equal(fa, fb))
                continue;
            RP_TRY(rpi_grow((void **)out, cap, *nout + 1, sizeof **out));
            int kind = fa->kind;
            if (kind <= RPI_FIG_PERCENT && fb->kind != fa->kind)
                kind = fa->kind == RPI_FIG_RANGE || fb->kind == RPI_FIG_RANGE ? RPI_FIG_RANGE
                                                                               : RPI_FIG_NUMBER;
            (*out)[(*nout)++] = (rp_difference){a, b, fa->start, fa->end, fb->start, fb->end,
                                                rpi_figure_kind_name(kind)};
        }
        if (!direct) /* (the direct way sets every statement's count afresh) */
            for (size_t q = 0; q < ncand; q++)
                w->shared[w->cand[q]] = 0;
    }
    return RP_OK;
}

void rpi_diffscratch_free(rpi_diffscratch *w)
{
    rpi_free(w->sents);
    rpi_free(w->words);
    rpi_free(w->figs);
    rpi_free(w->mask);
    rpi_free(w->tmp);
    rpi_free(w->shared);
    rpi_free(w->common);
    rpi_free(w->post);
    rpi_free(w->cand);
    memset(w, 0, sizeof *w);
}
