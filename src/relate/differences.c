/* SPDX-License-Identifier: MIT */
/*
 * differences.c -- stage 6: the figures on which two related texts differ
 * (see relate.h), from the figures facts.c reads sentence by sentence.
 */
#include "relate.h"

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

int rpi_differences(rpi_diffscratch *w, const rpi_factside *va, const rpi_factside *vb, uint32_t a,
                    uint32_t b, rp_difference **out, size_t *nout, size_t *cap)
{
    size_t nw = 0, nf = 0;
    size_t na = va->nart ? (size_t)va->sent[va->nart - 1] + 1 : 0;
    size_t nb = vb->nart ? (size_t)vb->sent[vb->nart - 1] + 1 : 0;
    RP_TRY(sentence_info(w, va, 0, &nw, &nf));
    size_t nfa = nf;
    RP_TRY(sentence_info(w, vb, na, &nw, &nf));
    RP_TRY(rpi_grow((void **)&w->mask, &w->capmask, nf + 1, 1));
    memset(w->mask, 0, nf); /* figures already paired */
    for (size_t sa = 0; sa < na; sa++) {
        const rpi_sent *xa = &w->sents[sa];
        for (uint32_t ka = 0; ka < xa->nf; ka++) {
            const rpi_figure *fa = &w->figs[xa->f0 + ka];
            size_t best = SIZE_MAX, bestshared = 0;
            for (size_t sb = 0; sb < nb; sb++) {
                const rpi_sent *xb = &w->sents[na + sb];
                if (!xb->nf)
                    continue;
                size_t sh = shared_words(w->words + xa->w0, xa->nw, w->words + xb->w0, xb->nw);
                if (sh < RPI_SAME_MIN_WORDS || sh <= bestshared)
                    continue;
                size_t mn = xa->nw < xb->nw ? xa->nw : xb->nw;
                int strong = sh >= RPI_SAME_WORDS && sh >= RPI_SAME_SHARE * (double)mn;
                int alone = count_comparable(w, xa, fa) == 1;
                for (uint32_t kb = 0; kb < xb->nf; kb++) {
                    size_t idx = xb->f0 + kb;
                    const rpi_figure *fb = &w->figs[idx];
                    if (w->mask[idx] || !rpi_figures_comparable(fa, fb))
                        continue;
                    int unit = fa->unit && fa->unit == fb->unit;
                    int numeric = fa->kind <= RPI_FIG_PERCENT;
                    /* A time is paired only by what it is the time of. */
                    int one = numeric && alone && count_comparable(w, xb, fa) == 1;
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
    }
    (void)nfa;
    return RP_OK;
}

void rpi_diffscratch_free(rpi_diffscratch *w)
{
    rpi_free(w->sents);
    rpi_free(w->words);
    rpi_free(w->figs);
    rpi_free(w->mask);
    rpi_free(w->tmp);
    memset(w, 0, sizeof *w);
}
