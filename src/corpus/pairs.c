/* SPDX-License-Identifier: MIT */
/*
 * pairs.c -- passes 2 and 3 of the default scan: their sequencing, the
 * candidate pairs, the comparison of each pair and the results. Runs after
 * the fast path (corpus.c) unless rp_options.fast is set.
 *
 * Pass 1 (corpus.c, with doc_features.c) counts in how many documents each
 * line and each content word occurs. Pass 2, in parallel over documents,
 * reads each text back once: its furniture is decided (linecount.c), its
 * features are computed and stored (doc_features.c), and it contributes a
 * 1-in-8 sample of its word n-grams and its 16 key terms to two inverted
 * indexes, whose shared keys give the candidate pairs (postings.c), with
 * the copies of the fast path. Pass 3 compares the candidates in parallel:
 * exact shingle Jaccard, alignment when they share an n-gram (align.c,
 * edges.c), content and event similarity, a relation named by relation.c,
 * the figures that differ (differences.c). Stories come last (story.c).
 */
#include "pairs.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "align.h"
#include "sketch.h"
#include "furniture.h"

/* ---- pass 2: furniture list and the two indexes ------------------------------- */


static int cmp_scored(const void *x, const void *y)
{
    const scored *p = x, *q = y;
    if (p->w != q->w)
        return p->w > q->w ? -1 : 1;
    return (p->term > q->term) - (p->term < q->term);
}

static void wstate_free(wstate *w)
{
    rpi_view_free(&w->v);
    rpi_view_free(&w->v2);
    for (int k = 0; k < RPI_VIEW_CACHE; k++)
        rpi_view_free(&w->cache[k]);
    rpi_alignctx_free(&w->al);
    rpi_free(w->sh);
    rpi_free(w->shw);
    rpi_free(w->ta);
    rpi_free(w->tb);
    rpi_free(w->sc);
    rpi_free(w->mask);
    rpi_free(w->wa);
    rpi_free(w->wb);
    rpi_free(w->tmp.v);
    rpi_free(w->inside.v);
    for (int k = 0; k < RPI_PARTS; k++)
        rpi_free(w->ngram[k].v);
    rpi_free(w->term.v);
    rpi_free(w->term_all.v);
    rpi_free(w->furn);
    rpi_free(w->pass);
    rpi_free(w->diff);
    rpi_diffscratch_free(&w->ds);
    rpi_free(w->diff_pair);
    rpi_free(w->pass_pair);
    rpi_free(w->pack);
}

/* Forget which documents the views hold (their memory is kept). */
static void wstate_reset(wstate *w)
{
    w->v.doc = w->v2.doc = UINT32_MAX;
    for (int k = 0; k < RPI_VIEW_CACHE; k++)
        w->cache[k].doc = UINT32_MAX;
}

/* The worker's furniture line i (or its end): NULL while it found none,
 * since NULL + 0 is undefined. */
static const rpi_furn *furn_at(const wstate *w, size_t i)
{
    return w->furn ? w->furn + i : NULL;
}

/*
 * Test hook (REPRINT_TEST_STORED_CHECK=1): document d's pass 2 from what the
 * index stored of it (its furniture lines from first on in w->furn, its kept
 * features) equals pass 2 computed again, byte for byte; else RP_EINTERNAL.
 */
static int check_stored(reuse *r, wstate *w, uint32_t d, size_t first)
{
    rp_corpus *c = r->c;
    rpi_view *v = &w->v2;
    RP_TRY(rpi_view_read(c, v, d));
    size_t k = first;
    int same = 1;
    for (size_t i = 0; i < v->nlines; i++)
        if (v->kind[i] != RPI_FURN_NONE) {
            same = same && k < w->nfurn && w->furn[k].start == v->lines[i].start &&
                   w->furn[k].end == v->lines[i].end && w->furn[k].kind == v->kind[i];
            k++;
        }
    same = same && k == w->nfurn;
    size_t size = 0;
    if (same) {
        RP_TRY(rpi_view_article(c, v, furn_at(w, first), furn_at(w, w->nfurn), &w->tmp, 1));
        RP_TRY(rpi_features_pack(v, &w->pack, &w->cappack, &size));
        same = size == rpi_features_packed_size(c->feat[d], size) &&
               memcmp(w->pack, c->feat[d], size) == 0;
    }
    v->doc = UINT32_MAX;
    if (same)
        return RP_OK;
    rpi_fmt(c->err, sizeof c->err,
            "internal error: the stored features of document \"%s\" are not those computed "
            "again", c->strings.data + c->docs[d].id_off);
    return RP_EINTERNAL;
}

/*
 * Pass 2 of document d from what the index stored of it (rpi_hooks.stored),
 * when that is what pass 2 would compute (stored.c): its furniture lines into
 * w->furn, its article tokens into w->v, its features kept. *used is 0 when
 * they must be computed.
 */
static int stored_doc(reuse *r, int worker, uint32_t d, int *used)
{
    wstate *w = &r->ws[worker];
    rp_corpus *c = r->c;
    rpi_stored st;
    *used = 0;
    if (!c->hooks.stored || d >= c->hooks.nstored || !c->hooks.stored[d] ||
        !rpi_stored_parse(c->hooks.stored[d], c->hooks.stored_len[d], &st) ||
        !rpi_features_room(c, worker))
        return RP_OK;
    size_t first = w->nfurn;
    int same;
    RP_TRY(rpi_stored_furniture(c, &st, d, &w->v, &w->furn, &w->nfurn, &w->capfurn, &same));
    if (!same)
        return RP_OK; /* (a line changed kind: computed again) */
    RP_TRY(rpi_view_masked(c, &w->v, d, w->furn + first, w->furn + w->nfurn));
    if (w->v.nart != rpi_features_nart(st.packed)) {
        w->nfurn = first; /* (not this text's: computed again) */
        return RP_OK;
    }
    RP_TRY(rpi_features_adopt(c, worker, d, st.packed, st.npacked, &w->v));
    *used = 1;
    __atomic_add_fetch(&c->nstored_used, 1, __ATOMIC_RELAXED);
    const char *check = getenv("REPRINT_TEST_STORED_CHECK");
    return check && *check == '1' ? check_stored(r, w, d, first) : RP_OK;
}

static int index_doc(reuse *r, int worker, uint32_t d)
{
    wstate *w = &r->ws[worker];
    rp_corpus *c = r->c;
    rpi_view *v = &w->v;
    int stored;
    RP_TRY(stored_doc(r, worker, d, &stored));
    if (!stored) {
        RP_TRY(rpi_view_read(c, v, d));
        size_t first = w->nfurn;
        for (size_t i = 0; i < v->nlines; i++)
            if (v->kind[i] != RPI_FURN_NONE) {
                RP_TRY(rpi_grow((void **)&w->furn, &w->capfurn, w->nfurn + 1, sizeof *w->furn));
                w->furn[w->nfurn++] =
                    (rpi_furn){d, v->lines[i].start, v->lines[i].end, v->kind[i]};
            }
        /* The document's features for pass 3, once, kept while they fit (none
         * when the index captures postings: it compares in a run of its own).
         * What the index stores of them (stored.c) is made within the same
         * room, which it takes until the index writes them, and not of texts
         * over 1 MiB (their features run to tens of MB): those are computed
         * from their text when compared. */
        int keep = !c->hooks.capture && rpi_features_room(c, worker);
        int store = c->hooks.store && c->docs[d].text_len <= RPI_CACHE_MAX_BYTES &&
                    rpi_features_room(c, worker);
        RP_TRY(rpi_view_article(c, v, furn_at(w, first), furn_at(w, w->nfurn), &w->tmp,
                                keep || store || c->hooks.vectors));
        if (c->hooks.vectors) /* (every document's, whatever the budget) */
            RP_TRY(rpi_story_vector_make(v, d, &c->vec_out[d], &c->vec_out_len[d]));
        if (keep)
            RP_TRY(rpi_features_put(c, worker, d, v, &w->pack, &w->cappack));
        if (store) {
            RP_TRY(rpi_stored_make(c, v, d, &c->stored_out[d], &c->stored_out_len[d]));
            c->feat_used[worker] += c->stored_out_len[d];
        }
    }
    if (r->nall <= RPI_ALLPAIRS_MAX && c->opt.all_pairs)
        return RP_OK; /* every pair is compared: no index needed */
    const uint64_t g = d + r->base; /* its number in the whole run */
    /* Sampled n-grams of the article text. */
    size_t n = v->nart;
    size_t nsh = rpi_shingle_count(n, c->opt.ngram), m = 0;
    RP_TRY(rpi_grow((void **)&w->sh, &w->capsh, (nsh > n ? nsh : n) + 1, sizeof *w->sh));
    if (n) {
        rpi_shingles(v->art, n, c->opt.ngram, w->sh);
        for (size_t i = 0; i < nsh; i++)
            if (w->sh[i] >> (64 - RPI_SAMPLE_BITS) == 0)
                w->sh[m++] = (w->sh[i] & 0xFFFFFFFF00000000ULL) | g;
    }
    RP_TRY(rpi_sort_distinct(w->sh, m, &w->tmp.v, &w->tmp.cap, &m));
    for (size_t i = 0; i < m; i++)
        RP_TRY(rpi_vec_push(&w->ngram[(w->sh[i] >> 56) & (RPI_PARTS - 1)], w->sh[i]));
    /* Key terms: the article's content words (view_article), whose document
     * frequencies terms_of kept. */
    RP_TRY(rpi_grow((void **)&w->sc, &w->capsc, v->nterms + 1, sizeof *w->sc));
    size_t ns = 0;
    for (size_t i = 0; i < v->nterms; i++) {
        uint32_t df = v->tdf[i];
        if (df >= 2 && df <= RPI_TERM_DF_CAP)
            w->sc[ns++] = (scored){rpi_tf_weight(v->terms[i].tf) * rpi_idf_of(c, df), v->terms[i].hash};
    }
    if (ns > 1)
        qsort(w->sc, ns, sizeof *w->sc, cmp_scored);
    for (size_t i = 0; i < ns && i < RPI_KEY_TERMS; i++)
        RP_TRY(rpi_vec_push(&w->term, (w->sc[i].term & 0xFFFFFFFF00000000ULL) | g));
    if (c->hooks.capture) {
        /* The index stores these key terms, and as many chosen among the words
         * no other document has yet: the documents that will share them come
         * later, and with them those words would be key terms here. */
        for (size_t i = 0; i < ns && i < RPI_KEY_TERMS; i++)
            RP_TRY(rpi_vec_push(&w->term_all, (w->sc[i].term & 0xFFFFFFFF00000000ULL) | g));
        ns = 0;
        for (size_t i = 0; i < v->nterms; i++)
            if (v->tdf[i] <= 1)
                w->sc[ns++] = (scored){rpi_tf_weight(v->terms[i].tf), v->terms[i].hash};
        if (ns > 1)
            qsort(w->sc, ns, sizeof *w->sc, cmp_scored);
        for (size_t i = 0; i < ns && i < RPI_KEY_TERMS; i++)
            RP_TRY(rpi_vec_push(&w->term_all, (w->sc[i].term & 0xFFFFFFFF00000000ULL) | g));
    }
    return RP_OK;
}

static int index_range(void *ctx, int worker, size_t begin, size_t end)
{
    reuse *r = ctx;
    for (size_t d = begin; d < end && d < begin + RPI_PREFETCH; d++)
        rpi_view_prefetch(r->c, (uint32_t)d, 0);
    for (size_t d = begin; d < end; d++) {
        if (d + RPI_PREFETCH < end)
            rpi_view_prefetch(r->c, (uint32_t)(d + RPI_PREFETCH), 0);
        RP_TRY(index_doc(r, worker, (uint32_t)d));
    }
    return RP_OK;
}

/* Concatenate the workers' postings of one kind (a rpi_vec at offset off of wstate) into one
 * array, freeing theirs. */
static int gather(reuse *r, size_t off, rpi_vec *all)
{
    for (int i = 0; i < r->nw; i++) {
        rpi_vec *w = (rpi_vec *)((char *)&r->ws[i] + off);
        RP_TRY(rpi_grow((void **)&all->v, &all->cap, all->n + w->n + 1, sizeof *all->v));
        if (w->n)
            memcpy(all->v + all->n, w->v, w->n * sizeof *w->v);
        all->n += w->n;
        rpi_free(w->v);
        memset(w, 0, sizeof *w);
    }
    return RP_OK;
}

void rpi_reuse_extra_budget(reuse *r)
{
    rp_corpus *c = r->c;
    c->feat_extra_budget = 0;
    for (int k = 0; k < r->nw; k++) {
        for (int part = 0; part < RPI_PARTS; part++)
            c->feat_extra_budget += r->ws[k].ngram[part].cap * sizeof(uint64_t);
        c->feat_extra_budget += r->ws[k].term.cap * sizeof(uint64_t);
    }
    if (c->feat_extra_budget > c->opt.memory)
        c->feat_extra_budget = c->opt.memory;
}

int rpi_reuse_candidates(reuse *r)
{
    rp_corpus *c = r->c;
    rpi_vec all = {0}, pn = {0}, pt = {0}, cand = {0};
    rpi_sortbuf tmp = {0};
    int rc = RP_OK;
    rpi_reuse_extra_budget(r);
    if (r->nall <= RPI_ALLPAIRS_MAX && c->opt.all_pairs) {
        for (uint64_t a = 0; a < r->nall; a++)
            for (uint64_t b = a + 1; b < r->nall; b++)
                RP_CHECK(rpi_vec_push(&cand, a << 32 | b));
    } else {
        /* One part of the n-gram postings at a time: sorting needs scratch
         * as large as what it sorts, and the postings are the largest thing
         * reprint holds (8 bytes per 8 words of text). */
        for (int k = 0; k < RPI_PARTS; k++) {
            all.n = 0;
            RP_CHECK(gather(r, offsetof(wstate, ngram) + (size_t)k * sizeof(rpi_vec), &all));
            for (size_t i = 0; c->hooks.capture && i < all.n; i++)
                RP_CHECK(rpi_vec_push(&c->cap_grams, all.v[i]));
            RP_CHECK(rpi_postings_pairs(all.v, all.n, RPI_NGRAM_DF_CAP, &pn, &tmp.v, &tmp.cap));
            /* A report (rate-limited) between parts: an interrupt is seen here too. */
            RP_CHECK(rpi_report(c, RPI_PH_INDEX, c->ndocs, c->ndocs, 0));
        }
        all.n = 0;
        RP_CHECK(gather(r, offsetof(wstate, term), &all));
        for (size_t i = 0; c->hooks.capture && i < all.n; i++)
            RP_CHECK(rpi_vec_push(&c->cap_terms, all.v[i]));
        RP_CHECK(rpi_postings_pairs(all.v, all.n, RPI_TERM_DF_CAP, &pt, &tmp.v, &tmp.cap));
        RP_CHECK(rpi_report(c, RPI_PH_INDEX, c->ndocs, c->ndocs, 0));
        if (c->hooks.capture) {
            all.n = 0;
            RP_CHECK(gather(r, offsetof(wstate, term_all), &all));
            for (size_t i = 0; i < all.n; i++)
                RP_CHECK(rpi_vec_push(&c->cap_terms_all, all.v[i]));
        }
        rpi_free(all.v);
        all.v = NULL;
        RP_CHECK(rpi_keep_repeated(&pn, RPI_MIN_SHARED_NGRAMS, &tmp.v, &tmp.cap));
        RP_CHECK(rpi_keep_repeated(&pt, RPI_MIN_SHARED_TERMS, &tmp.v, &tmp.cap));
        for (size_t i = 0; i < pn.n; i++)
            RP_CHECK(rpi_vec_push(&cand, pn.v[i]));
        for (size_t i = 0; i < pt.n; i++)
            RP_CHECK(rpi_vec_push(&cand, pt.v[i]));
    }
    /* The copies of the fast path are aligned too (their passages are listed). */
    for (size_t i = 0; i < c->npairs; i++)
        RP_CHECK(rpi_vec_push(&cand, (uint64_t)c->pairs[i].a << 32 | c->pairs[i].b));
    RP_CHECK(rpi_keep_repeated(&cand, 1, &tmp.v, &tmp.cap));
    if (c->hooks.focus) { /* the index compares the pairs of its new documents only */
        size_t m = 0;
        for (size_t i = 0; i < cand.n; i++)
            if ((uint32_t)cand.v[i] >= c->hooks.focus)
                cand.v[m++] = cand.v[i];
        cand.n = m;
    }
    r->cand = cand.v;
    r->ncand = cand.n;
    cand.v = NULL;
    RP_CHECK(rpi_reuse_copies(r));
    r->copyrel = rpi_malloc(r->ncand + 1);
    if (!r->copyrel) {
        rc = RP_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < r->ncand; i++)
        r->copyrel[i] = (int8_t)(r->copy[i] >= 0 ? (int)c->pairs[r->copy[i]].relation : -1);
fail:
    rpi_free(tmp.v);
    rpi_free(all.v);
    rpi_free(pn.v);
    rpi_free(pt.v);
    rpi_free(cand.v);
    return rc;
}

int rpi_reuse_copies(reuse *r)
{
    const rp_corpus *c = r->c;
    rpi_free(r->copy);
    r->copy = rpi_malloc(r->ncand * sizeof *r->copy + 1);
    if (!r->copy)
        return RP_ENOMEM;
    /* c->pairs is sorted by (a, b), as is cand. */
    for (size_t i = 0, k = 0; i < r->ncand; i++) {
        uint64_t key = 0;
        while (k < c->npairs && (key = (uint64_t)c->pairs[k].a << 32 | c->pairs[k].b) < r->cand[i])
            k++;
        r->copy[i] = k < c->npairs && key == r->cand[i] ? (int32_t)k : -1;
    }
    return RP_OK;
}

/* ---- pass 3: align and name each candidate pair -------------------------------- */

/*
 * Content words of v outside the passages (mask: 1 inside): its term vector
 * minus the words inside, into out (capacity v->nterms).
 */
static int rest_terms(const rpi_view *v, const uint8_t *mask, rpi_term *out, size_t *nout,
                      wstate *w)
{
    size_t n = 0;
    for (size_t i = 0; i < v->nart; i++)
        n += mask[i] && v->content[i];
    if (n == 0) {
        memcpy(out, v->terms, v->nterms * sizeof *out);
        *nout = v->nterms;
        return RP_OK;
    }
    RP_TRY(rpi_grow((void **)&w->inside.v, &w->inside.cap, n + 1, sizeof *w->inside.v));
    uint64_t *h = w->inside.v;
    n = 0;
    for (size_t i = 0; i < v->nart; i++)
        if (mask[i] && v->content[i])
            h[n++] = v->stem[i];
    RP_TRY(rpi_sort_u64(h, n, &w->tmp.v, &w->tmp.cap));
    size_t m = 0, j = 0;
    for (size_t i = 0; i < v->nterms; i++) {
        uint32_t tf = v->terms[i].tf;
        while (j < n && h[j] < v->terms[i].hash)
            j++;
        while (j < n && h[j] == v->terms[i].hash) {
            tf--;
            j++;
        }
        if (tf > 0) {
            out[m] = v->terms[i];
            out[m++].tf = tf;
        }
    }
    *nout = m;
    return RP_OK;
}

/* The IDF of hash h in the term vector t[0..n) (sorted by hash), or none. */
static float term_idf(const rpi_term *t, size_t n, uint64_t h, float none)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && t[lo].hash == h ? t[lo].idf : none;
}

/* The IDF of token t of v as a specific: its entry in v->specs (by token hash), 1 if none. */
static float specific_idf(const rpi_view *v, uint32_t t)
{
    return term_idf(v->specs, v->nspecs, v->art[t].hash, 1);
}

/* The key of token t of v as a specific in a slot (names by stem, low bit
 * clear; figure runs as written, low bit set), 0 for other tokens. */
static uint64_t slot_key(const rpi_view *v, uint32_t t)
{
    if (v->spec[t] == RPI_SPEC_NAME)
        return rpi_stem_hash(v->text, v->art[t].start, v->art[t].end) & ~1ULL;
    return v->runkey[t] ? v->runkey[t] | 1 : 0;
}

/* The distinct specifics of tokens [t0, t1) of v, sorted, appended to w->sh
 * from *n, with their weights in w->shw: a name its IDF (the highest of its
 * forms), a figure 1. */
static int specifics_in(wstate *w, const rpi_view *v, uint32_t t0, uint32_t t1, size_t *n)
{
    RP_TRY(rpi_grow((void **)&w->sh, &w->capsh, *n + (t1 - t0) + 1, sizeof *w->sh));
    RP_TRY(rpi_grow((void **)&w->shw, &w->capshw, *n + (t1 - t0) + 1, sizeof *w->shw));
    size_t n0 = *n, m;
    for (uint32_t t = t0; t < t1; t++) {
        uint64_t k = slot_key(v, t);
        if (k)
            w->sh[(*n)++] = k;
    }
    RP_TRY(rpi_sort_distinct(w->sh + n0, *n - n0, &w->tmp.v, &w->tmp.cap, &m));
    *n = n0 + m;
    const uint64_t *s = w->sh + n0;
    float *wt = w->shw + n0;
    for (size_t i = 0; i < m; i++)
        wt[i] = (s[i] & 1) ? 1 : 0;
    for (uint32_t t = t0; t < t1; t++) {
        if (v->spec[t] != RPI_SPEC_NAME)
            continue;
        uint64_t k = slot_key(v, t);
        size_t lo = rpi_lower_bound_u64(s, m, k);
        float idf = specific_idf(v, t);
        if (lo < m && s[lo] == k && idf > wt[lo])
            wt[lo] = idf;
    }
    return RP_OK;
}

/* Is passage p shared template wording: do its two sides fill slots
 * differently, names weighed by their IDF? */
static int is_template(wstate *w, const rpi_view *va, const rpi_view *vb, const rpi_passage *p, int *tpl)
{
    size_t na = 0, nb;
    RP_TRY(specifics_in(w, va, p->a0, p->a1, &na));
    nb = na;
    RP_TRY(specifics_in(w, vb, p->b0, p->b1, &nb));
    *tpl = rpi_slots_differ(w->sh, w->shw, na, w->sh + na, w->shw + na, nb - na, 2);
    return RP_OK;
}

static int cmp_passage_a0(const void *x, const void *y)
{
    const rpi_passage *p = x, *q = y;
    return p->a0 < q->a0 ? -1 : p->a0 > q->a0;
}

/* Per article token of v, the IDF of its content word (0 for other tokens) into *out. */
static int token_weights(const rpi_view *v, float **out, size_t *cap)
{
    RP_TRY(rpi_grow((void **)out, cap, v->nart + 1, sizeof **out));
    for (size_t i = 0; i < v->nart; i++)
        (*out)[i] = v->stem[i] ? term_idf(v->terms, v->nterms, v->stem[i], 0) : 0;
    return RP_OK;
}

/*
 * The passages of a related pair as reported: the aligner's np passages
 * (w->al.pass[0..np)) and, when on (rp_options.reworded), the sentences around
 * and between them that say the same in other words (rpi_align_reworded), in
 * order of a0, into w->al.pass[0..*nout). The ntemplate template passages,
 * parked by compare_pair after the aligner's (at w->al.pass[w->al.npass..]),
 * hold their words so that no reworded sentence claims them, and are dropped. Only the report sees reworded sentences: the
 * relation counts words reused in order (a rewording is not a reprint).
 */
static int reworded(wstate *w, int on, const rpi_side *sa, const rpi_view *va,
                    const rpi_side *sb, const rpi_view *vb, size_t np, size_t ntemplate,
                    size_t *nout)
{
    *nout = np;
    if (!on)
        return RP_OK;
    rpi_passage *p = w->al.pass;
    memmove(p + np, p + w->al.npass, ntemplate * sizeof *p);
    w->al.npass = np + ntemplate;
    qsort(p, w->al.npass, sizeof *p, cmp_passage_a0);
    RP_TRY(token_weights(va, &w->wa, &w->capwa));
    RP_TRY(token_weights(vb, &w->wb, &w->capwb));
    RP_TRY(rpi_align_reworded(&w->al, sa, va->stem, w->wa, sb, vb->stem, w->wb));
    p = w->al.pass;
    size_t n = 0;
    for (size_t k = 0; k < w->al.npass; k++) {
        if (p[k].mark)
            continue;
        if (p[k].reworded == RPI_REWORDED_SENTENCES) {
            /* Template sentences ("Conoco last changed its crude postings on May 21"
             * against Phillips on Sept 9) say the same of other actors. */
            int tpl;
            RP_TRY(is_template(w, va, vb, &p[k], &tpl));
            if (tpl)
                continue;
        }
        if (p[k].reworded)
            rpi_passage_edges(sa, sb, &p[k]);
        p[n++] = p[k];
    }
    *nout = n;
    return RP_OK;
}

static int compare_pair(reuse *r, wstate *w, size_t i)
{
    rp_corpus *c = r->c;
    uint32_t a = (uint32_t)(r->cand[i] >> 32), b = (uint32_t)r->cand[i];
    /* A document is in many pairs: keep its view in a small cache (texts
     * over 1 MiB go through the two scratch views, to bound memory). */
    rpi_view *va = c->docs[a].text_len <= RPI_CACHE_MAX_BYTES ? &w->cache[a % RPI_VIEW_CACHE] : &w->v;
    rpi_view *vb = c->docs[b].text_len <= RPI_CACHE_MAX_BYTES ? &w->cache[b % RPI_VIEW_CACHE] : &w->v2;
    if (va == vb)
        vb = &w->v2;
    w->nloads += (va->doc != a) + (vb->doc != b);
    RP_TRY(rpi_view_features(c, va, a, 0));
    RP_TRY(rpi_view_features(c, vb, b, 0));
    uint32_t inter = (uint32_t)rpi_intersect_count(va->set, va->nset, vb->set, vb->nset);
    /* Texts that share no word n-gram at all (most pairs found through rare
     * words) have no passage worth reporting: skip the alignment, and the
     * loading of their texts. */
    w->al.npass = 0;
    if (inter > 0 || c->opt.reworded) { /* (reworded sentences may share no n-gram) */
        RP_TRY(rpi_view_features(c, va, a, 1));
        RP_TRY(rpi_view_features(c, vb, b, 1));
    }
    /* (Passages only where both views are full: inter > 0, or reworded on.) */
    const rpi_side sa = {va->text, va->len, va->art, va->nart, va->sent};
    const rpi_side sb = {vb->text, vb->len, vb->art, vb->nart, vb->sent};
    if (inter > 0)
        RP_TRY(rpi_align(&w->al, va->art, va->nart, vb->art, vb->nart));
    /* With reworded, the template passages are parked after the others (see reworded). */
    if (c->opt.reworded)
        RP_TRY(rpi_grow((void **)&w->al.pass, &w->al.cappass, 2 * w->al.npass + 1,
                        sizeof *w->al.pass));
    rpi_passage *p = w->al.pass;
    size_t np = 0, ntemplate = 0;
    for (size_t k = 0; k < w->al.npass; k++) {
        rpi_passage_edges(&sa, &sb, &p[k]);
        if (!rpi_passage_significant(&sa, &sb, &p[k]))
            continue;
        int tpl;
        RP_TRY(is_template(w, va, vb, &p[k], &tpl));
        p[k].mark = (uint8_t)tpl;
        if (!tpl)
            p[np++] = p[k];
        else if (c->opt.reworded)
            p[w->al.npass + ntemplate++] = p[k];
        else
            ntemplate++;
    }
    int lead = 0;
    for (size_t k = 0; k < np; k++)
        lead |= 2 * (size_t)p[k].a0 < va->nart && 2 * (size_t)p[k].b0 < vb->nart;
    rpi_features f = {.copy = r->copyrel[i],
                      .npass = (uint32_t)np,
                      .ntemplate = (uint32_t)ntemplate,
                      .lead = lead,
                      .event = rpi_cosine(va->nhead ? va->eterms : va->terms,
                                          va->nhead ? va->neterms : va->nterms,
                                          vb->nhead ? vb->eterms : vb->terms,
                                          vb->nhead ? vb->neterms : vb->nterms),
                      .specifics = rpi_cosine(va->specs, va->nspecs, vb->specs, vb->nspecs),
                      .named = va->nnames > 0 && vb->nnames > 0,
                      .tables = RPI_TABLE_SHARE * va->nfigtok >= va->nart &&
                                RPI_TABLE_SHARE * vb->nfigtok >= vb->nart,
                      .days_apart = -1,
                      .same_source = c->docs[a].src && c->docs[a].src == c->docs[b].src};
    if (c->docs[a].date_key != INT64_MAX && c->docs[b].date_key != INT64_MAX)
        f.days_apart =
            llabs(rpi_date_days(c->docs[a].date_key) - rpi_date_days(c->docs[b].date_key));
    /* (from a shared topic up: a same-topic pair supports a story only when
     * none of this evidence tells the events apart) */
    if (np > 0 || f.event >= RPI_TOPIC_SIM) {
        RP_TRY(rpi_view_facts(va));
        RP_TRY(rpi_view_facts(vb));
        f.other_day = rpi_when_conflict(&va->when, &vb->when, f.days_apart == 1);
        f.days_adjacent =
            f.other_day && f.days_apart < 0 && rpi_when_neighbours(&va->when, &vb->when);
        f.figure_slots =
            rpi_slots_differ(va->figkey, NULL, va->nfigkey, vb->figkey, NULL, vb->nfigkey, 1);
        /* (as the specifics, only where both texts have names: a script with case) */
        f.other_lead = f.named && va->nlead > 0 && vb->nlead > 0 &&
                       rpi_intersect_count(va->lead, va->nlead, vb->lead, vb->nlead) == 0;
        f.other_headline = va->nhl > 0 && vb->nhl > 0 &&
                           rpi_intersect_count(va->hl, va->nhl, vb->hl, vb->nhl) == 0;
        f.other_figures = rpi_figures_disjoint(va->valkey, va->nvalkey, vb->valkey, vb->nvalkey);
        f.other_place = va->dateline && vb->dateline && va->dateline != vb->dateline;
    }
    uint64_t ta = 0, tb = 0;
    for (size_t k = 0; k < np; k++) {
        ta += p[k].a1 - p[k].a0;
        tb += p[k].b1 - p[k].b0;
        f.matched += p[k].matches;
    }
    /* b's passages may overlap one another on side b only if the aligner allowed it; it
     * does not (align.h), so the sums are coverages. */
    f.cov_a = va->nart ? (double)ta / va->nart : 0;
    f.cov_b = vb->nart ? (double)tb / vb->nart : 0;
    if (np == 0) {
        f.sim_rest = rpi_cosine(va->terms, va->nterms, vb->terms, vb->nterms);
    } else {
        RP_TRY(rpi_grow((void **)&w->ta, &w->capta, va->nterms + 1, sizeof *w->ta));
        RP_TRY(rpi_grow((void **)&w->tb, &w->captb, vb->nterms + 1, sizeof *w->tb));
        RP_TRY(rpi_grow((void **)&w->mask, &w->capmask, va->nart + vb->nart + 1, 1));
        uint8_t *ma = w->mask, *mb = w->mask + va->nart;
        memset(w->mask, 0, va->nart + vb->nart);
        for (size_t k = 0; k < np; k++) {
            memset(ma + p[k].a0, 1, p[k].a1 - p[k].a0);
            memset(mb + p[k].b0, 1, p[k].b1 - p[k].b0);
        }
        size_t na, nb;
        RP_TRY(rest_terms(va, ma, w->ta, &na, w));
        RP_TRY(rest_terms(vb, mb, w->tb, &nb, w));
        f.sim_rest = rpi_cosine(w->ta, na, w->tb, nb);
    }
    const char *why;
    rp_relation rel = rpi_relation_name(&f, &why);
    r->rel[i] = (uint8_t)rel;
    r->why[i] = why;
    r->cov_a[i] = (float)f.cov_a;
    r->cov_b[i] = (float)f.cov_b;
    r->sim[i] = (float)f.sim_rest;
    r->event[i] = (float)f.event;
    r->specifics[i] = (float)f.specifics;
    r->npass[i] = (uint32_t)np;
    r->jac[i] = inter ? (float)((double)inter / ((double)va->nset + vb->nset - inter)) : 0;
    r->con_a[i] = va->nset ? (float)((double)inter / va->nset) : 0;
    r->con_b[i] = vb->nset ? (float)((double)inter / vb->nset) : 0;
    if (rel == RP_REL_UNRELATED && !c->opt.all_pairs)
        return RP_OK;
    if (rel == RP_REL_REPRINT || rel == RP_REL_SAME_STORY || rel == RP_REL_SHARES_PASSAGES) {
        size_t before = w->ndiff;
        RP_TRY(rpi_view_features(c, va, a, 1));
        RP_TRY(rpi_view_features(c, vb, b, 1));
        const rpi_factside fa = {va->art, va->nart, va->sent, va->content, va->figs, va->sentfig};
        const rpi_factside fb = {vb->art, vb->nart, vb->sent, vb->content, vb->figs, vb->sentfig};
        RP_TRY(rpi_differences(&w->ds, &fa, &fb, a, b, &w->diff, &w->ndiff, &w->capdiff));
        RP_TRY(rpi_grow((void **)&w->diff_pair, &w->capdp, w->ndiff + 1, sizeof *w->diff_pair));
        for (size_t k = before; k < w->ndiff; k++)
            w->diff_pair[k] = i;
        r->ndiff[i] = (uint32_t)(w->ndiff - before);
    }
    RP_TRY(reworded(w, c->opt.reworded, &sa, va, &sb, vb, np, ntemplate, &np));
    p = w->al.pass; /* rpi_align_reworded may have moved it */
    RP_TRY(rpi_grow((void **)&w->pass, &w->cappass, w->npass + np + 1, sizeof *w->pass));
    RP_TRY(rpi_grow((void **)&w->pass_pair, &w->cappp, w->npass + np + 1, sizeof *w->pass_pair));
    for (size_t k = 0; k < np; k++) {
        w->pass[w->npass] = (rp_passage){a, b, p[k].a_start, p[k].a_end, p[k].b_start, p[k].b_end,
                                         p[k].score};
        w->pass_pair[w->npass++] = i;
    }
    return RP_OK;
}

static void prefetch_pair(const reuse *r, size_t i)
{
    uint32_t a = (uint32_t)(r->cand[i] >> 32), b = (uint32_t)r->cand[i];
    if (i == 0 || (uint32_t)(r->cand[i - 1] >> 32) != a)
        rpi_view_prefetch(r->c, a, 1);
    rpi_view_prefetch(r->c, b, 1);
}

static int compare_range(void *ctx, int worker, size_t begin, size_t end)
{
    reuse *r = ctx;
    begin += r->cfirst;
    end += r->cfirst;
    for (size_t i = begin; i < end && i < begin + RPI_PREFETCH; i++)
        prefetch_pair(r, i);
    for (size_t i = begin; i < end; i++) {
        if (i + RPI_PREFETCH < end)
            prefetch_pair(r, i + RPI_PREFETCH);
        RP_TRY(compare_pair(r, &r->ws[worker], i));
    }
    return RP_OK;
}

/* ---- results ------------------------------------------------------------------- */

typedef struct tagged {
    size_t cand; /* candidate index */
    rp_passage p; /* the passage */
} tagged;

static int cmp_tagged(const void *x, const void *y)
{
    const tagged *p = x, *q = y;
    if (p->cand != q->cand)
        return p->cand < q->cand ? -1 : 1;
    return (p->p.a_start > q->p.a_start) - (p->p.a_start < q->p.a_start);
}

static int cmp_furn(const void *x, const void *y)
{
    const rpi_furn *p = x, *q = y;
    if (p->doc != q->doc)
        return p->doc < q->doc ? -1 : 1;
    return (p->start > q->start) - (p->start < q->start);
}

int rpi_prefer_story(void *ctx, uint32_t a, uint32_t b)
{
    const rp_corpus *c = ctx;
    const rpi_doc *x = &c->docs[a], *y = &c->docs[b];
    if (x->text_len != y->text_len)
        return x->text_len > y->text_len ? -1 : 1;
    if (x->date_key != y->date_key)
        return x->date_key < y->date_key ? -1 : 1;
    return (a > b) - (a < b);
}

/* Furniture lines of all documents in document order, and where each document's begin. */
static int gather_furniture(reuse *r)
{
    rp_corpus *c = r->c;
    for (int k = 0; k < r->nw; k++) {
        wstate *w = &r->ws[k];
        RP_TRY(rpi_grow((void **)&c->furn, &c->capfurn, c->nfurn + w->nfurn + 1, sizeof *c->furn));
        if (w->nfurn)
            memcpy(c->furn + c->nfurn, w->furn, w->nfurn * sizeof *w->furn);
        c->nfurn += w->nfurn;
        rpi_free(w->furn);
        w->furn = NULL;
        w->nfurn = w->capfurn = 0;
    }
    return rpi_furniture_index(c, c->ndocs);
}

int rpi_furniture_index(rp_corpus *c, size_t ndocs)
{
    /* (sorted already, the lines are only read: a divided run's rank 0
     * maps them from a file, and a sort would copy every page) */
    size_t i = 1;
    while (i < c->nfurn && cmp_furn(&c->furn[i - 1], &c->furn[i]) <= 0)
        i++;
    if (i < c->nfurn)
        qsort(c->furn, c->nfurn, sizeof *c->furn, cmp_furn);
    rpi_free(c->furn_first);
    c->furn_first = rpi_malloc((ndocs + 1) * sizeof *c->furn_first);
    if (!c->furn_first)
        return RP_ENOMEM;
    size_t k = 0;
    for (size_t d = 0; d <= ndocs; d++) {
        while (k < c->nfurn && c->furn[k].doc < d)
            k++;
        c->furn_first[d] = k;
    }
    return RP_OK;
}

typedef struct dtagged {
    size_t cand; /* candidate index */
    rp_difference d; /* the difference */
} dtagged;

static int cmp_dtagged(const void *x, const void *y)
{
    const dtagged *p = x, *q = y;
    if (p->cand != q->cand)
        return p->cand < q->cand ? -1 : 1;
    return (p->d.a_start > q->d.a_start) - (p->d.a_start < q->d.a_start);
}

/* Differences of all listed pairs, by pair then a_start, and each pair's first. */
static int collect_differences(reuse *r, rpi_results *out)
{
    rp_corpus *c = r->c;
    size_t n = 0;
    for (int k = 0; k < r->nw; k++)
        n += r->ws[k].ndiff;
    dtagged *tag = rpi_malloc(n * sizeof *tag + 1);
    out->diff = rpi_malloc(n * sizeof *out->diff + 1);
    out->pair_diff = rpi_malloc((out->npairs + 1) * sizeof *out->pair_diff);
    if (!tag || !out->diff || !out->pair_diff) {
        rpi_free(tag);
        return RP_ENOMEM;
    }
    n = 0;
    for (int k = 0; k < r->nw; k++)
        for (size_t i = 0; i < r->ws[k].ndiff; i++)
            tag[n++] = (dtagged){r->ws[k].diff_pair[i], r->ws[k].diff[i]};
    if (n > 1)
        qsort(tag, n, sizeof *tag, cmp_dtagged);
    size_t t = 0, np = 0;
    for (size_t i = 0; i < r->ncand; i++) {
        int listed = !((rp_relation)r->rel[i] == RP_REL_UNRELATED && !c->opt.all_pairs);
        if (listed)
            out->pair_diff[np++] = t;
        while (t < n && tag[t].cand == i) {
            out->diff[t] = tag[t].d; /* differences exist for listed pairs only */
            t++;
        }
    }
    assert(np == out->npairs && t == n);
    out->pair_diff[np] = n;
    out->ndiff = n;
    rpi_free(tag);
    return RP_OK;
}

/* A document's story vectors (rpi_vector_fn), from its features (a
 * divided run's ranks read those they fetched: distjoin.c). */
typedef struct storyvec {
    rp_corpus *c;
    rpi_view v;
} storyvec;

static int story_vector(void *ctx, uint32_t doc, int which, const rpi_term **t, size_t *n)
{
    storyvec *sv = ctx;
    RP_TRY(rpi_view_features(sv->c, &sv->v, doc, 0));
    rpi_story_vector_of(&sv->v, which, t, n);
    return RP_OK;
}

int rpi_reuse_listed(reuse *r, rpi_results *out)
{
    rp_corpus *c = r->c;
    *out = (rpi_results){0};
    int rc = RP_OK;
    /* Passages, by candidate (= by (a, b)) then a_start. */
    size_t ntag = 0;
    for (int k = 0; k < r->nw; k++)
        ntag += r->ws[k].npass;
    tagged *tag = rpi_malloc(ntag * sizeof *tag + 1);
    rp_pair *pairs = NULL;
    size_t npairs = 0, cappairs = 0;
    if (!tag)
        return RP_ENOMEM;
    ntag = 0;
    for (int k = 0; k < r->nw; k++)
        for (size_t i = 0; i < r->ws[k].npass; i++)
            tag[ntag++] = (tagged){r->ws[k].pass_pair[i], r->ws[k].pass[i]};
    if (ntag > 1)
        qsort(tag, ntag, sizeof *tag, cmp_tagged);
    out->pass = rpi_malloc(ntag * sizeof *out->pass + 1);
    if (!out->pass) {
        rc = RP_ENOMEM;
        goto fail;
    }
    /* Pairs: every candidate that is related (or all, with all_pairs). The
     * fast path's pairs not among the candidates (none: they all are) stay. */
    size_t t = 0;
    for (size_t i = 0; i < r->ncand; i++) {
        rp_relation rel = (rp_relation)r->rel[i];
        if (rel == RP_REL_UNRELATED && !c->opt.all_pairs)
            continue;
        rp_pair p = {0};
        if (r->copy[i] >= 0) {
            p = c->pairs[r->copy[i]];
        } else {
            p.jaccard = r->jac[i];
            p.containment_a = r->con_a[i];
            p.containment_b = r->con_b[i];
        }
        p.a = (uint32_t)(r->cand[i] >> 32);
        p.b = (uint32_t)r->cand[i];
        p.relation = rel;
        p.npassages = r->npass[i];
        p.coverage_a = r->cov_a[i];
        p.coverage_b = r->cov_b[i];
        p.similarity = r->sim[i];
        p.event = r->event[i];
        p.specifics = r->specifics[i];
        p.why = r->why[i];
        p.ndifferences = r->ndiff[i];
        RP_CHECK(rpi_grow((void **)&pairs, &cappairs, npairs + 1, sizeof *pairs));
        pairs[npairs++] = p;
    }
    out->pair_pass = rpi_malloc((npairs + 1) * sizeof *out->pair_pass);
    if (!out->pair_pass) {
        rc = RP_ENOMEM;
        goto fail;
    }
    /* Passage index per pair (pairs and tags are both in candidate order). */
    {
        size_t k = 0, np = 0;
        for (size_t i = 0; i < r->ncand; i++) {
            rp_relation rel = (rp_relation)r->rel[i];
            int listed = !(rel == RP_REL_UNRELATED && !c->opt.all_pairs);
            if (listed)
                out->pair_pass[np] = k;
            while (t < ntag && tag[t].cand == i) {
                if (listed)
                    out->pass[k++] = tag[t].p;
                t++;
            }
            np += listed;
        }
        out->pair_pass[np] = k;
        out->npass = k;
    }
    out->pairs = pairs;
    out->npairs = npairs;
    pairs = NULL;
    RP_CHECK(collect_differences(r, out));
fail:
    rpi_free(tag);
    rpi_free(pairs);
    if (rc != RP_OK)
        rpi_results_free(out);
    return rc;
}

void rpi_results_free(rpi_results *x)
{
    rpi_free(x->pairs);
    rpi_free(x->pass);
    rpi_free(x->pair_pass);
    rpi_free(x->diff);
    rpi_free(x->pair_diff);
    *x = (rpi_results){0};
}

void rpi_results_install(rp_corpus *c, rpi_results *x)
{
    rpi_free_result(c, c->pairs);
    rpi_free_result(c, c->pass);
    rpi_free_result(c, c->pair_pass);
    rpi_free_result(c, c->diff);
    rpi_free_result(c, c->pair_diff);
    c->pairs = x->pairs;
    c->npairs = x->npairs;
    c->pass = x->pass;
    c->pair_pass = x->pair_pass;
    c->npass = x->npass;
    c->diff = x->diff;
    c->pair_diff = x->pair_diff;
    c->ndiff = x->ndiff;
    *x = (rpi_results){0};
}

int rpi_reuse_collect(reuse *r)
{
    rpi_results out;
    RP_TRY(rpi_reuse_listed(r, &out));
    rpi_results_install(r->c, &out);
    return RP_OK;
}

int64_t rpi_date_of(void *ctx, uint32_t doc)
{
    return ((const rp_corpus *)ctx)->docs[doc].date_key;
}

int rpi_reuse_stories(reuse *r)
{
    rp_corpus *c = r->c;
    /* Stories: documents joined by copies, reprints and same-story pairs. */
    storyvec sv = {.c = c, .v = {.doc = UINT32_MAX}};
    int rc = rpi_stories(c->ndocs, c->pairs, c->npairs, &c->cl, rpi_prefer_story, c,
                         r->vectors ? story_vector : NULL, &sv, &c->st);
    rpi_view_free(&sv.v);
    if (rc != RP_OK)
        return rc;
    /* Timelines: stories and lone documents on one subject. */
    rc = rpi_timelines_build(c->ndocs, c->pairs, c->npairs, &c->st, rpi_date_of, c, &c->tl);
    return rc;
}


int rpi_reuse_open(reuse *r)
{
    rp_corpus *c = r->c;
    r->nw = c->nthreads;
    r->ws = rpi_calloc((size_t)r->nw, sizeof *r->ws);
    if (!r->ws)
        return RP_ENOMEM;
    for (int k = 0; k < r->nw; k++)
        wstate_reset(&r->ws[k]);
    rpi_spill_prefetch_all(&c->spill);
    return rpi_features_open(c, r->nw);
}

int rpi_reuse_index(reuse *r)
{
    rp_corpus *c = r->c;
    double t1 = rpi_now();
    rpi_ticker tk = {c, RPI_PH_INDEX};
    if (c->hooks.store && !c->stored_out) {
        c->stored_out = rpi_calloc(c->ndocs + 1, sizeof *c->stored_out);
        c->stored_out_len = rpi_calloc(c->ndocs + 1, sizeof *c->stored_out_len);
        if (!c->stored_out || !c->stored_out_len)
            return RP_ENOMEM;
    }
    if (c->hooks.vectors && !c->vec_out) {
        c->vec_out = rpi_calloc(c->ndocs + 1, sizeof *c->vec_out);
        c->vec_out_len = rpi_calloc(c->ndocs + 1, sizeof *c->vec_out_len);
        if (!c->vec_out || !c->vec_out_len)
            return RP_ENOMEM;
    }
    RP_TRY(rpi_report(c, RPI_PH_INDEX, 0, r->nindex, 1));
    RP_TRY(rpi_parallel_for_ticks(r->nw, r->nindex, 256, index_range, r, rpi_tick, &tk));
    RP_TRY(rpi_report(c, RPI_PH_INDEX, r->nindex, r->nindex, 1));
    /* A view that held a text over RPI_CACHE_MAX_BYTES gives its memory back,
     * and so do the n-grams taken of it: pass 3 loads such a text into a
     * scratch view of whichever worker compares it, and the two copies
     * doubled what a 50 MB document costs. */
    for (int k = 0; k < r->nw; k++) {
        wstate *w = &r->ws[k];
        if (w->v.captext > RPI_CACHE_MAX_BYTES + 1) {
            rpi_view_free(&w->v);
            w->v.doc = UINT32_MAX;
        }
        if (w->capsh * sizeof *w->sh > RPI_CACHE_MAX_BYTES) {
            rpi_free(w->sh);
            w->sh = NULL;
            w->capsh = 0;
        }
    }
    RP_TRY(gather_furniture(r));
    rpi_counts_free(&c->lines); /* furniture is decided: the line counts are done */
    rpi_features_seal(c, r->nw);
    c->t_index = rpi_now() - t1;
    return RP_OK;
}

int rpi_reuse_results(reuse *r)
{
    size_t n = r->ncand + 1;
    r->rel = rpi_malloc(n);
    r->why = rpi_malloc(n * sizeof *r->why);
    r->cov_a = rpi_malloc(n * sizeof *r->cov_a);
    r->cov_b = rpi_malloc(n * sizeof *r->cov_b);
    r->sim = rpi_malloc(n * sizeof *r->sim);
    r->event = rpi_malloc(n * sizeof *r->event);
    r->specifics = rpi_malloc(n * sizeof *r->specifics);
    r->npass = rpi_malloc(n * sizeof *r->npass);
    r->jac = rpi_malloc(n * sizeof *r->jac);
    r->con_a = rpi_malloc(n * sizeof *r->con_a);
    r->con_b = rpi_malloc(n * sizeof *r->con_b);
    r->ndiff = rpi_calloc(n, sizeof *r->ndiff);
    if (!r->rel || !r->why || !r->cov_a || !r->cov_b || !r->sim || !r->event || !r->specifics ||
        !r->npass || !r->jac || !r->con_a || !r->con_b || !r->ndiff)
        return RP_ENOMEM;
    return RP_OK;
}

int rpi_reuse_compare(reuse *r, size_t i0, size_t i1)
{
    rp_corpus *c = r->c;
    rpi_ticker tk = {c, RPI_PH_COMPARE};
    for (int k = 0; k < r->nw; k++)
        wstate_reset(&r->ws[k]);
    r->cfirst = i0;
    return rpi_parallel_for_ticks(r->nw, i1 - i0, 128, compare_range, r, rpi_tick, &tk);
}

void rpi_reuse_close(reuse *r)
{
    for (int k = 0; r->ws && k < r->nw; k++)
        wstate_free(&r->ws[k]);
    rpi_free(r->ws);
    rpi_free(r->cand);
    rpi_free(r->copy);
    rpi_free(r->copyrel);
    rpi_free(r->rel);
    rpi_free(r->why);
    rpi_free(r->cov_a);
    rpi_free(r->cov_b);
    rpi_free(r->sim);
    rpi_free(r->event);
    rpi_free(r->specifics);
    rpi_free(r->npass);
    rpi_free(r->jac);
    rpi_free(r->con_a);
    rpi_free(r->con_b);
    rpi_free(r->ndiff);
    memset(r, 0, sizeof *r);
}

int rpi_pairs_run(rp_corpus *c)
{
    double t0 = rpi_now();
    reuse r = {.c = c, .nindex = c->ndocs, .nall = c->ndocs};
    int rc = RP_OK;
    if (!c->hooks.stats) { /* (the index sets the counts of its whole collection) */
        RP_CHECK(rpi_features_counts_settle(c, &c->lines, NULL, NULL));
        RP_CHECK(rpi_features_counts_settle(c, &c->terms, NULL, NULL));
    }
    RP_CHECK(rpi_reuse_open(&r));
    RP_CHECK(rpi_reuse_index(&r));
    double t1 = rpi_now();
    RP_CHECK(rpi_reuse_candidates(&r));
    c->t_cands = rpi_now() - t1;
    if (c->hooks.capture)
        goto fail; /* (the postings are captured: rpi_hooks) */
    RP_CHECK(rpi_reuse_results(&r));
    c->ncompared = r.ncand;
    t1 = rpi_now();
    RP_CHECK(rpi_report(c, RPI_PH_COMPARE, 0, r.ncand, 1));
    RP_CHECK(rpi_reuse_compare(&r, 0, r.ncand));
    RP_CHECK(rpi_report(c, RPI_PH_COMPARE, r.ncand, r.ncand, 1));
    c->t_compare = rpi_now() - t1;
    for (int k = 0; k < r.nw; k++)
        c->nloads += r.ws[k].nloads;
    t1 = rpi_now();
    r.vectors = !c->hooks.stats; /* (the index joins its stories itself: stories.c) */
    RP_CHECK(rpi_reuse_collect(&r));
    RP_CHECK(rpi_reuse_stories(&r));
    c->t_collect = rpi_now() - t1;
fail:
    rpi_pairs_failed(c, rc);
    rpi_reuse_close(&r);
    rpi_features_free(c);
    c->t_reuse = rpi_now() - t0;
    return rc;
}

/* The message of an I/O failure or a changed text in passes 2 and 3. */
void rpi_pairs_failed(rp_corpus *c, int rc)
{
    if (rc == RP_EIO && !c->err[0])
        rpi_spill_errmsg(&c->spill, "read", c->err, sizeof c->err);
    if (rc == RP_EINTERNAL && !c->err[0]) /* (else a message of its own: check_stored) */
        rpi_fmt(c->err, sizeof c->err, "internal error: a text read back differs from pass 1");
}

void rpi_pairs_free(rp_corpus *c)
{
    rpi_counts_free(&c->lines);
    rpi_counts_free(&c->terms);
    rpi_free_result(c, c->pass);
    rpi_free_result(c, c->pair_pass);
    rpi_free_result(c, c->furn);
    rpi_free(c->furn_first);
    rpi_free_result(c, c->diff);
    rpi_free_result(c, c->pair_diff);
    rpi_clusters_free(&c->st);
    rpi_timelines_free(&c->tl);
}
