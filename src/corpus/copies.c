/* SPDX-License-Identifier: MIT */
/*
 * copies.c -- after pass 1: exact duplicates, LSH candidates, exact
 * verification, clusters (the whole of the fast path after reading).
 *
 * Exact duplicates are grouped by the hash of their normalised text; one
 * document per group (its leader) enters LSH; candidates are filtered on
 * their 8-bit signatures, verified exactly from the spill store, expanded
 * back to every member of both groups, and clusters and dedup decisions are
 * built. The steps are separate functions because a distributed run
 * (distrib.c) does the middle ones on its ranks and the first and last on
 * rank 0.
 */
#include "corpus_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sketch.h"

int rpi_prefer_keys(rp_keep keep, uint32_t a, uint32_t len_a, int64_t date_a, uint32_t b,
                    uint32_t len_b, int64_t date_b)
{
    if (keep == RP_KEEP_LONGEST && len_a != len_b)
        return len_a > len_b ? -1 : 1;
    if (keep == RP_KEEP_EARLIEST && date_a != date_b)
        return date_a < date_b ? -1 : 1;
    return (a > b) - (a < b);
}

int rpi_prefer(void *ctx, uint32_t a, uint32_t b)
{
    const rp_corpus *c = ctx;
    const rpi_doc *x = &c->docs[a], *y = &c->docs[b];
    return rpi_prefer_keys(c->opt.keep, a, x->text_len, x->date_key, b, y->text_len,
                           y->date_key);
}

int rpi_group_hashes(const char *base, size_t stride, size_t n, uint32_t *leaders,
                     size_t *nleaders, uint32_t *next)
{
    size_t cap = 1024;
    while (cap < 2 * n)
        cap *= 2;
    uint32_t *tab = rpi_calloc(cap, sizeof *tab); /* entry+1 of a group's leader */
    uint32_t *tail = rpi_malloc(n * sizeof *tail + 1); /* last member, per leader */
    if (!tab || !tail) {
        rpi_free(tab);
        rpi_free(tail);
        return RP_ENOMEM;
    }
    *nleaders = 0;
    for (uint32_t d = 0; d < n; d++) {
        uint64_t h[2];
        memcpy(h, base + d * stride, sizeof h);
        size_t i = (size_t)h[0] & (cap - 1);
        next[d] = UINT32_MAX;
        int found = 0;
        while (tab[i] && !found) {
            uint32_t l = tab[i] - 1;
            if (memcmp(base + l * stride, h, sizeof h) == 0) {
                next[tail[l]] = d;
                tail[l] = d;
                found = 1;
            }
            i = (i + 1) & (cap - 1);
        }
        if (!found) {
            tab[i] = d + 1;
            tail[d] = d;
            leaders[(*nleaders)++] = d;
        }
    }
    rpi_free(tab);
    rpi_free(tail);
    return RP_OK;
}

static int add_pair(rp_corpus *c, rpi_groups *g, uint32_t a, uint32_t b, rp_relation rel,
                    double j, double ca, double cb)
{
    RP_TRY(rpi_grow((void **)&c->pairs, &g->cappairs, c->npairs + 1, sizeof *c->pairs));
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
        double x = ca;
        ca = cb;
        cb = x;
    }
    c->pairs[c->npairs++] = (rp_pair){.a = a,
                                      .b = b,
                                      .relation = rel,
                                      .jaccard = j,
                                      .containment_a = ca,
                                      .containment_b = cb,
                                      .why = rel == RP_REL_DUPLICATE
                                                 ? "same text once normalised"
                                                 : "shingle jaccard at or above the threshold"};
    return RP_OK;
}

static int cmp_pair(const void *x, const void *y)
{
    const rp_pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

void rpi_groups_free(rpi_groups *g)
{
    rpi_free(g->next);
    rpi_free(g->leaders);
    rpi_free(g->gsize);
    rpi_free(g->center);
    rpi_free(g->doc);
    memset(g, 0, sizeof *g);
}

size_t rpi_group_slot(const rpi_groups *g, uint32_t d)
{
    if (!g->doc)
        return d;
    size_t i = rpi_find_u32(g->doc, g->ndoc, d);
    return i < g->ndoc ? i : SIZE_MAX;
}

/* The member of x's group after x, or UINT32_MAX. */
static uint32_t next_of(const rpi_groups *g, uint32_t x)
{
    size_t s = rpi_group_slot(g, x);
    return s == SIZE_MAX ? UINT32_MAX : g->next[s];
}

/* The size and the centre of leader l's group. */
static uint32_t size_of(const rpi_groups *g, uint32_t l)
{
    size_t s = rpi_group_slot(g, l);
    return s == SIZE_MAX ? 1 : g->gsize[s];
}

static uint32_t center_of(const rpi_groups *g, uint32_t l)
{
    size_t s = rpi_group_slot(g, l);
    return s == SIZE_MAX ? l : g->center[s];
}

/* Tables of n slots, every document alone (n of them: a slot per document). */
static int groups_tables(rpi_groups *g, size_t n)
{
    g->next = rpi_malloc(n * sizeof *g->next + 1);
    g->leaders = rpi_malloc(n * sizeof *g->leaders + 1);
    g->gsize = rpi_malloc(n * sizeof *g->gsize + 1); /* per leader */
    g->center = rpi_malloc(n * sizeof *g->center + 1); /* per leader */
    if (!g->next || !g->leaders || !g->gsize || !g->center)
        return RP_ENOMEM;
    for (size_t s = 0; s < n; s++) {
        g->next[s] = UINT32_MAX;
        g->gsize[s] = 1;
        g->center[s] = g->doc ? g->doc[s] : (uint32_t)s;
    }
    return RP_OK;
}

/*
 * (A slot per document of a group of two or more: rank 0 of an MPI job
 * holds the groups of every document of the run, and tables over all of
 * them took 16 bytes each, measured: 16.4 MB at a million generated
 * documents.)
 */
int rpi_groups_alloc(rpi_groups *g, uint32_t *doc, size_t n)
{
    memset(g, 0, sizeof *g);
    g->doc = doc;
    g->ndoc = n;
    if (!g->doc)
        g->doc = rpi_malloc(1);
    if (!g->doc)
        return RP_ENOMEM;
    return groups_tables(g, n);
}

int rpi_groups_finish(rp_corpus *c, rpi_groups *g)
{
    /* Group sizes and centres (the member the keep policy prefers). */
    for (size_t i = 0; i < g->nleaders; i++) {
        uint32_t l = g->leaders[i], n = 0, best = l;
        for (uint32_t x = l; x != UINT32_MAX; x = next_of(g, x)) {
            n++;
            if (rpi_prefer(c, x, best) < 0)
                best = x;
        }
        size_t s = rpi_group_slot(g, l);
        g->gsize[s] = n;
        g->center[s] = best;
    }
    /* Every pair inside a group of exact duplicates; a group larger than
     * RPI_GROUP_CAP gives only the pairs with its centre, so that a page
     * copied a million times costs a million rows, not 5e11. */
    for (size_t i = 0; i < g->nleaders; i++) {
        uint32_t l = g->leaders[i], size = size_of(g, l), ctr = center_of(g, l);
        for (uint32_t x = l; x != UINT32_MAX; x = next_of(g, x)) {
            if (size > RPI_GROUP_CAP) {
                if (x != ctr)
                    RP_TRY(add_pair(c, g, ctr, x, RP_REL_DUPLICATE, 1, 1, 1));
                continue;
            }
            for (uint32_t y = next_of(g, x); y != UINT32_MAX; y = next_of(g, y))
                RP_TRY(add_pair(c, g, x, y, RP_REL_DUPLICATE, 1, 1, 1));
        }
    }
    return RP_OK;
}

int rpi_groups_build(rp_corpus *c, rpi_groups *g)
{
    memset(g, 0, sizeof *g);
    RP_TRY(groups_tables(g, c->ndocs));
    if (c->ndocs)
        RP_TRY(rpi_group_hashes((const char *)c->docs[0].thash, sizeof *c->docs, c->ndocs,
                                g->leaders, &g->nleaders, g->next));
    return rpi_groups_finish(c, g);
}

/*
 * Drop candidates whose MinHash agreement is so far below the threshold that
 * a pair at the threshold would show it with probability about 1e-9 (six
 * standard deviations of the estimate from k values). Only documents with at
 * least k shingles are judged this way: for shorter ones the densified
 * signature is too coarse, and they always go to exact verification. Nothing
 * estimated is ever reported: this only saves reading shingle sets.
 */
size_t rpi_prefilter(rp_corpus *c, const rpi_setref *refs, const uint8_t *sig8, uint64_t *cand,
                     size_t n)
{
    const int k = c->nsig8;
    const double t = c->opt.threshold;
    /* 8-bit values also agree by chance (1/256) when the full ones differ. */
    const double p = t + (1 - t) / 256.0;
    const double cut = (p - 6 * sqrt(p * (1 - p) / k)) * k;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = (uint32_t)(cand[i] >> 32), b = (uint32_t)cand[i];
        if (refs[a].n >= (uint32_t)k && refs[b].n >= (uint32_t)k) {
            const uint8_t *x = sig8 + (size_t)a * RPI_SIG8, *y = sig8 + (size_t)b * RPI_SIG8;
            int same = 0;
            for (int j = 0; j < k; j++)
                same += x[j] == y[j];
            if (same < cut) {
                c->nprefiltered++;
                continue;
            }
        }
        cand[m++] = cand[i];
    }
    return m;
}

int rpi_copies_finish(rp_corpus *c, rpi_groups *g, const uint64_t *cand, size_t n,
                      const uint32_t *inter, const uint32_t *na, const uint32_t *nb)
{
    /* Verified near-duplicates, expanded to every member of both groups (to
     * the centre alone of a group larger than RPI_GROUP_CAP). */
    for (size_t i = 0; i < n; i++) {
        double uni = (double)na[i] + nb[i] - inter[i];
        double j = uni > 0 ? inter[i] / uni : 0;
        if (j < c->opt.threshold)
            continue;
        double ca = na[i] ? (double)inter[i] / na[i] : 0, cb = nb[i] ? (double)inter[i] / nb[i] : 0;
        uint32_t la = (uint32_t)(cand[i] >> 32), lb = (uint32_t)cand[i];
        int biga = size_of(g, la) > RPI_GROUP_CAP, bigb = size_of(g, lb) > RPI_GROUP_CAP;
        for (uint32_t x = biga ? center_of(g, la) : la; x != UINT32_MAX;
             x = biga ? UINT32_MAX : next_of(g, x))
            for (uint32_t y = bigb ? center_of(g, lb) : lb; y != UINT32_MAX;
                 y = bigb ? UINT32_MAX : next_of(g, y))
                RP_TRY(add_pair(c, g, x, y, RP_REL_NEAR_DUPLICATE, j, ca, cb));
    }
    if (c->npairs)
        qsort(c->pairs, c->npairs, sizeof *c->pairs, cmp_pair);
    RP_TRY(rpi_clusters_build(c->ndocs, c->pairs, c->npairs, rpi_prefer, c, &c->cl));
    /* A member of a group over RPI_GROUP_CAP is paired with its centre only.
     * Its shingle set is the centre's, so when the centre yields to a kept
     * document K, so does the member, with the same exact Jaccard. */
    rpi_removal *add = NULL;
    size_t nadd = 0, capadd = 0;
    int rc = RP_OK;
    for (size_t i = 0; i < g->nleaders && rc == RP_OK; i++) {
        uint32_t l = g->leaders[i], ctr = center_of(g, l);
        const rpi_removal *cr = size_of(g, l) > RPI_GROUP_CAP ? rpi_clusters_removal(&c->cl, ctr)
                                                              : NULL;
        for (uint32_t x = l; cr && x != UINT32_MAX && rc == RP_OK; x = next_of(g, x))
            if (x != ctr && !rpi_clusters_removal(&c->cl, x)) {
                rc = rpi_grow((void **)&add, &capadd, nadd + 1, sizeof *add);
                if (rc == RP_OK)
                    add[nadd++] = (rpi_removal){x, cr->kept_by, cr->jaccard};
            }
    }
    if (rc == RP_OK)
        rc = rpi_clusters_add_removals(&c->cl, add, nadd);
    rpi_free(add);
    return rc;
}

int rpi_copies_run(rp_corpus *c)
{
    int rc = RP_OK;
    rpi_groups g;
    rpi_setref *refs = rpi_malloc(c->ndocs * sizeof *refs + 1);
    uint64_t *cand = NULL;
    uint32_t *inter = NULL, *na = NULL, *nb = NULL;
    size_t ncand = 0;
    rpi_reread *rr = NULL;
    RP_CHECK(rpi_groups_build(c, &g));
    if (!refs) {
        rc = RP_ENOMEM;
        goto fail;
    }
    for (uint32_t d = 0; d < c->ndocs; d++)
        refs[d] = c->docs[d].set;
    double t0 = rpi_now();
    RP_CHECK(rpi_lsh_candidates(c->keys, c->bands, g.leaders, g.nleaders, c->nthreads,
                                rpi_prefer, c, &cand, &ncand));
    c->t_lsh = rpi_now() - t0;
    RP_CHECK(rpi_report(c, RPI_PH_VERIFY, 0, 0, 0)); /* rate-limited: interrupts are seen */
    t0 = rpi_now();
    ncand = rpi_prefilter(c, refs, c->sig8, cand, ncand);
    c->ncandidates = ncand;
    inter = rpi_malloc(ncand * sizeof *inter + 1);
    na = rpi_malloc(ncand * sizeof *na + 1);
    nb = rpi_malloc(ncand * sizeof *nb + 1);
    if (!inter || !na || !nb) {
        rc = RP_ENOMEM;
        goto fail;
    }
    rc = rpi_report(c, RPI_PH_VERIFY, 0, ncand, 1);
    if (rc == RP_OK && c->reread_sets)
        rc = rpi_reread_open(c, c->nthreads, &rr);
    if (rc == RP_OK)
        rc = rpi_verify(&c->spill, refs, NULL, rr ? rpi_reread_load : NULL, rr, cand, ncand,
                        c->nthreads, inter, na, nb);
    if (rc == RP_OK)
        rc = rpi_report(c, RPI_PH_VERIFY, ncand, ncand, 1);
    char why[1024] = "";
    int rrc = rpi_reread_close(rr, why, sizeof why);
    rr = NULL;
    if (rc != RP_OK && rrc != RP_OK) {
        /* (a reading thread's failure, with its message, over another
         * thread's of another kind: the code goes with the message) */
        rpi_fmt(c->err, sizeof c->err, "%s", why);
        rc = rrc;
    } else if (rc == RP_EIO)
        rpi_spill_errmsg(&c->spill, "read", c->err, sizeof c->err);
    if (rc != RP_OK)
        goto fail;
    c->t_verify = rpi_now() - t0;
    t0 = rpi_now();
    rc = rpi_copies_finish(c, &g, cand, ncand, inter, na, nb);
    c->t_cluster = rpi_now() - t0;
fail:
    rpi_groups_free(&g);
    rpi_free(refs);
    rpi_free(cand);
    rpi_free(inter);
    rpi_free(na);
    rpi_free(nb);
    return rc;
}
