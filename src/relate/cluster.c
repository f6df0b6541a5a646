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

int rpi_clusters_build(size_t ndocs, const rp_pair *pairs, size_t npairs, rpi_prefer_fn prefer,
                       void *ctx, rpi_clusters *out)
{
    int rc = RP_ENOMEM;
    memset(out, 0, sizeof *out);
    uint32_t *parent = rpi_malloc(ndocs * sizeof *parent);
    uint32_t *cid = rpi_malloc(ndocs * sizeof *cid); /* cluster of a root, or UINT32_MAX */
    size_t *adj_start = rpi_calloc(ndocs + 1, sizeof *adj_start);
    uint32_t *adj = rpi_malloc(2 * npairs * sizeof *adj + 1); /* pair index per neighbour slot */
    uint8_t *kept = rpi_calloc(ndocs, 1);
    uint32_t *order = NULL, *tmp = NULL;
    out->kept_by = rpi_malloc(ndocs * sizeof *out->kept_by);
    out->kept_jaccard = rpi_calloc(ndocs, sizeof *out->kept_jaccard);
    if (!parent || !cid || !adj_start || !adj || !kept || !out->kept_by || !out->kept_jaccard)
        goto fail;
    for (size_t i = 0; i < ndocs; i++) {
        parent[i] = (uint32_t)i;
        cid[i] = UINT32_MAX;
        out->kept_by[i] = UINT32_MAX;
    }
    for (size_t i = 0; i < npairs; i++) {
        uint32_t ra = rpi_uf_find(parent, pairs[i].a), rb = rpi_uf_find(parent, pairs[i].b);
        if (ra != rb)
            parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
        adj_start[pairs[i].a + 1]++;
        adj_start[pairs[i].b + 1]++;
    }
    for (size_t i = 0; i < ndocs; i++)
        adj_start[i + 1] += adj_start[i];
    {
        size_t *fill = rpi_malloc(ndocs * sizeof *fill + 1);
        if (!fill)
            goto fail;
        memcpy(fill, adj_start, ndocs * sizeof *fill);
        for (size_t i = 0; i < npairs; i++) {
            adj[fill[pairs[i].a]++] = (uint32_t)i;
            adj[fill[pairs[i].b]++] = (uint32_t)i;
        }
        rpi_free(fill);
    }
    /* Number clusters by first member; count members. */
    size_t nmem = 0;
    for (size_t d = 0; d < ndocs; d++) {
        if (adj_start[d + 1] == adj_start[d])
            continue; /* in no pair: a cluster of one */
        uint32_t r = rpi_uf_find(parent, (uint32_t)d);
        if (cid[r] == UINT32_MAX)
            cid[r] = (uint32_t)out->n++;
        nmem++;
    }
    out->start = rpi_calloc(out->n + 1, sizeof *out->start);
    out->members = rpi_malloc(nmem * sizeof *out->members + 1);
    out->rep = rpi_malloc(out->n * sizeof *out->rep + 1);
    order = rpi_malloc(nmem * sizeof *order + 1);
    tmp = rpi_malloc(nmem * sizeof *tmp + 1);
    if (!out->start || !out->members || !out->rep || !order || !tmp)
        goto fail;
    for (size_t d = 0; d < ndocs; d++)
        if (adj_start[d + 1] != adj_start[d])
            out->start[cid[rpi_uf_find(parent, (uint32_t)d)] + 1]++;
    for (size_t k = 0; k < out->n; k++)
        out->start[k + 1] += out->start[k];
    {
        size_t *fill = rpi_malloc(out->n * sizeof *fill + 1);
        if (!fill)
            goto fail;
        memcpy(fill, out->start, out->n * sizeof *fill);
        for (size_t d = 0; d < ndocs; d++)
            if (adj_start[d + 1] != adj_start[d])
                out->members[fill[cid[rpi_uf_find(parent, (uint32_t)d)]]++] = (uint32_t)d;
        rpi_free(fill);
    }
    /* Greedy dedup inside each cluster, in order of preference. */
    for (size_t k = 0; k < out->n; k++) {
        size_t s = out->start[k], m = out->start[k + 1] - s;
        memcpy(order, out->members + s, m * sizeof *order);
        sort_by_preference(order, tmp, m, prefer, ctx);
        out->rep[k] = order[0];
        for (size_t i = 0; i < m; i++) {
            uint32_t d = order[i], best = UINT32_MAX;
            double bestj = 0;
            for (size_t e = adj_start[d]; e < adj_start[d + 1]; e++) {
                const rp_pair *p = &pairs[adj[e]];
                uint32_t v = p->a == d ? p->b : p->a;
                if (kept[v] && (best == UINT32_MAX || prefer(ctx, v, best) < 0)) {
                    best = v;
                    bestj = p->jaccard;
                }
            }
            if (best == UINT32_MAX) {
                kept[d] = 1;
            } else {
                out->kept_by[d] = best;
                out->kept_jaccard[d] = bestj;
            }
        }
    }
    rc = RP_OK;
fail:
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

void rpi_clusters_free(rpi_clusters *cl)
{
    rpi_free(cl->start);
    rpi_free(cl->members);
    rpi_free(cl->rep);
    rpi_free(cl->kept_by);
    rpi_free(cl->kept_jaccard);
    memset(cl, 0, sizeof *cl);
}
