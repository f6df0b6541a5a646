/* SPDX-License-Identifier: MIT */
/*
 * cluster.c -- union-find clusters, representatives, dedup decisions.
 */
#include "relate.h"

#include <stdlib.h>
#include <string.h>

uint32_t rpi_uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]]; /* path halving */
        x = parent[x];
    }
    return x;
}

/* Stable merge sort by preference (clusters can be large: O(n log n)). */
static void sort_by_preference(uint32_t *v, uint32_t *tmp, size_t n, rpi_prefer_fn prefer,
                               void *ctx)
{
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] = prefer(ctx, v[j], v[i]) < 0 ? v[j++] : v[i++];
            while (i < mid)
                tmp[k++] = v[i++];
            while (j < hi)
                tmp[k++] = v[j++];
        }
        memcpy(v, tmp, n * sizeof *v);
    }
}

static int by_doc(const void *x, const void *y)
{
    uint32_t a = ((const rpi_removal *)x)->doc, b = ((const rpi_removal *)y)->doc;
    return (a > b) - (a < b);
}

/*
 * Union-find, clusters and the greedy decisions run over the documents in
 * a pair only, numbered in document order (so every choice is the one a
 * table over all documents made). Tables over every document took 41
 * bytes each while building and kept 12 (41 and 12 MB at a million
 * documents, computed), on rank 0 of an MPI job for every document of the
 * run; now a document in a pair takes about 50 while building and 16 if
 * removed (computed), one in no pair a bit.
 */
int rpi_clusters_build(size_t ndocs, const rp_pair *pairs, size_t npairs, rpi_prefer_fn prefer,
                       void *ctx, rpi_clusters *out)
{
    int rc = RP_ENOMEM;
    memset(out, 0, sizeof *out);
    size_t m = 0;
    uint8_t *in = rpi_calloc(ndocs / 8 + 1, 1); /* a bit per document: in a pair */
    uint32_t *docs = NULL, *pa = NULL, *pb = NULL, *parent = NULL, *cid = NULL, *adj = NULL;
    uint32_t *order = NULL, *tmp = NULL;
    size_t *adj_start = NULL;
    uint8_t *kept = NULL;
    if (!in)
        goto fail;
    for (size_t i = 0; i < npairs; i++) {
        in[pairs[i].a / 8] |= (uint8_t)(1u << pairs[i].a % 8);
        in[pairs[i].b / 8] |= (uint8_t)(1u << pairs[i].b % 8);
    }
    for (size_t d = 0; d < ndocs; d++)
        m += in[d / 8] >> d % 8 & 1;
    docs = rpi_malloc(m * sizeof *docs + 1);
    pa = rpi_malloc(npairs * sizeof *pa + 1);
    pb = rpi_malloc(npairs * sizeof *pb + 1);
    parent = rpi_malloc(m * sizeof *parent + 1);
    cid = rpi_malloc(m * sizeof *cid + 1); /* cluster of a root, or UINT32_MAX */
    adj_start = rpi_calloc(m + 1, sizeof *adj_start);
    adj = rpi_malloc(2 * npairs * sizeof *adj + 1); /* pair index per neighbour slot */
    kept = rpi_calloc(m + 1, 1);
    out->removed = rpi_malloc(m * sizeof *out->removed + 1);
    if (!docs || !pa || !pb || !parent || !cid || !adj_start || !adj || !kept || !out->removed)
        goto fail;
    for (size_t d = 0, i = 0; d < ndocs; d++)
        if (in[d / 8] >> d % 8 & 1)
            docs[i++] = (uint32_t)d;
    rpi_free(in);
    in = NULL;
    for (size_t i = 0; i < m; i++) {
        parent[i] = (uint32_t)i;
        cid[i] = UINT32_MAX;
    }
    for (size_t i = 0; i < npairs; i++) {
        pa[i] = (uint32_t)rpi_find_u32(docs, m, pairs[i].a);
        pb[i] = (uint32_t)rpi_find_u32(docs, m, pairs[i].b);
        uint32_t ra = rpi_uf_find(parent, pa[i]), rb = rpi_uf_find(parent, pb[i]);
        if (ra != rb)
            parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
        adj_start[pa[i] + 1]++;
        adj_start[pb[i] + 1]++;
    }
    for (size_t i = 0; i < m; i++)
        adj_start[i + 1] += adj_start[i];
    {
        size_t *fill = rpi_malloc(m * sizeof *fill + 1);
        if (!fill)
            goto fail;
        memcpy(fill, adj_start, m * sizeof *fill);
        for (size_t i = 0; i < npairs; i++) {
            adj[fill[pa[i]]++] = (uint32_t)i;
            adj[fill[pb[i]]++] = (uint32_t)i;
        }
        rpi_free(fill);
    }
    /* Number clusters by first member. */
    for (size_t i = 0; i < m; i++) {
        uint32_t r = rpi_uf_find(parent, (uint32_t)i);
        if (cid[r] == UINT32_MAX)
            cid[r] = (uint32_t)out->n++;
    }
    out->start = rpi_calloc(out->n + 1, sizeof *out->start);
    out->members = rpi_malloc(m * sizeof *out->members + 1);
    out->rep = rpi_malloc(out->n * sizeof *out->rep + 1);
    order = rpi_malloc(m * sizeof *order + 1);
    tmp = rpi_malloc(m * sizeof *tmp + 1);
    if (!out->start || !out->members || !out->rep || !order || !tmp)
        goto fail;
    for (size_t i = 0; i < m; i++)
        out->start[cid[rpi_uf_find(parent, (uint32_t)i)] + 1]++;
    for (size_t k = 0; k < out->n; k++)
        out->start[k + 1] += out->start[k];
    {
        size_t *fill = rpi_malloc(out->n * sizeof *fill + 1);
        if (!fill)
            goto fail;
        memcpy(fill, out->start, out->n * sizeof *fill);
        for (size_t i = 0; i < m; i++)
            out->members[fill[cid[rpi_uf_find(parent, (uint32_t)i)]]++] = docs[i];
        rpi_free(fill);
    }
    /* Greedy dedup inside each cluster, in order of preference. */
    for (size_t k = 0; k < out->n; k++) {
        size_t s = out->start[k], n = out->start[k + 1] - s;
        memcpy(order, out->members + s, n * sizeof *order);
        sort_by_preference(order, tmp, n, prefer, ctx);
        out->rep[k] = order[0];
        for (size_t i = 0; i < n; i++) {
            uint32_t d = order[i], x = (uint32_t)rpi_find_u32(docs, m, d), best = UINT32_MAX;
            double bestj = 0;
            for (size_t e = adj_start[x]; e < adj_start[x + 1]; e++) {
                const rp_pair *p = &pairs[adj[e]];
                uint32_t v = p->a == d ? p->b : p->a, vx = p->a == d ? pb[adj[e]] : pa[adj[e]];
                if (kept[vx] && (best == UINT32_MAX || prefer(ctx, v, best) < 0)) {
                    best = v;
                    bestj = p->jaccard;
                }
            }
            if (best == UINT32_MAX)
                kept[x] = 1;
            else
                out->removed[out->nremoved++] = (rpi_removal){d, best, bestj};
        }
    }
    if (out->nremoved > 1)
        qsort(out->removed, out->nremoved, sizeof *out->removed, by_doc);
    rpi_removal *fit = rpi_realloc(out->removed, out->nremoved * sizeof *fit + 1);
    if (fit) /* (else the larger block stays) */
        out->removed = fit;
    rc = RP_OK;
fail:
    rpi_free(in);
    rpi_free(docs);
    rpi_free(pa);
    rpi_free(pb);
    rpi_free(parent);
    rpi_free(cid);
    rpi_free(adj_start);
    rpi_free(adj);
    rpi_free(kept);
    rpi_free(order);
    rpi_free(tmp);
    if (rc != RP_OK)
        rpi_clusters_free(out);
    return rc;
}

const rpi_removal *rpi_clusters_removal(const rpi_clusters *cl, uint32_t doc)
{
    size_t lo = 0, hi = cl->nremoved;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cl->removed[mid].doc < doc)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cl->nremoved && cl->removed[lo].doc == doc ? &cl->removed[lo] : NULL;
}

int rpi_clusters_add_removals(rpi_clusters *cl, const rpi_removal *add, size_t n)
{
    if (!n)
        return RP_OK;
    rpi_removal *r = rpi_realloc(cl->removed, (cl->nremoved + n) * sizeof *r);
    if (!r)
        return RP_ENOMEM;
    memcpy(r + cl->nremoved, add, n * sizeof *add);
    cl->removed = r;
    cl->nremoved += n;
    qsort(cl->removed, cl->nremoved, sizeof *cl->removed, by_doc);
    return RP_OK;
}

void rpi_clusters_free(rpi_clusters *cl)
{
    rpi_free(cl->start);
    rpi_free(cl->members);
    rpi_free(cl->rep);
    rpi_free(cl->removed);
    memset(cl, 0, sizeof *cl);
}
