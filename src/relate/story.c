/* SPDX-License-Identifier: MIT */
/*
 * story.c -- stage 6: documents into stories, one event each, without
 * chaining.
 *
 * Joining every story pair (single link) chains events: one round-up that
 * mentions two earthquakes joins the two stories, and the longer a
 * collection grows, the more such links it has. Here a group of documents
 * joins another only when most of the pairs across them are story pairs:
 * with A and B a story and C a story pair with B alone, C stays out (one of
 * two pairs); with C a story pair with both, it joins. This is average-link
 * agglomeration with the links counted, not weighed: the rule is the plain
 * reading of "fits the story as a whole", and it needs no second threshold.
 *
 * Copies of one text (duplicates and near-duplicates, clustered before) are
 * one unit: a wire story carried 40 times counts once, not 40 times, when a
 * rewrite is measured against the story.
 *
 * Links are taken strongest first (duplicate, near-duplicate, reprint,
 * same-story; then the higher content similarity; then input order) and
 * passes repeat until nothing merges, so the result depends only on the
 * pairs, not on thread timing or on the order pairs were found in.
 */
#include "relate.h"

#include <stdlib.h>
#include <string.h>

typedef struct link {
    uint32_t u, v; /* units, u < v */
    uint32_t rank; /* relation: lower is stronger */
    float sim; /* content similarity: higher is stronger */
} link;

static int cmp_units(const void *x, const void *y)
{
    const link *p = x, *q = y;
    if (p->u != q->u)
        return p->u < q->u ? -1 : 1;
    if (p->v != q->v)
        return p->v < q->v ? -1 : 1;
    if (p->rank != q->rank)
        return p->rank < q->rank ? -1 : 1;
    return (p->sim < q->sim) - (p->sim > q->sim);
}

static int cmp_strength(const void *x, const void *y)
{
    const link *p = x, *q = y;
    if (p->rank != q->rank)
        return p->rank < q->rank ? -1 : 1;
    if (p->sim != q->sim)
        return p->sim > q->sim ? -1 : 1;
    if (p->u != q->u)
        return p->u < q->u ? -1 : 1;
    return (p->v > q->v) - (p->v < q->v);
}

int rpi_story_support(const rp_pair *p)
{
    if (p->relation <= RP_REL_SAME_STORY)
        return 1;
    if (p->relation != RP_REL_SAME_TOPIC || !p->why)
        return 0;
    /* (by text too: pairs gathered from other ranks or read from an index carry copies) */
    for (int k = 0; k < RPI_WHY_SUPPORTS; k++)
        if (p->why == rpi_why_supports[k] || strcmp(p->why, rpi_why_supports[k]) == 0)
            return 1;
    return 0;
}

int rpi_stories_join(size_t ndocs, const rp_pair *pairs, size_t npairs, const uint32_t *unit,
                     rp_relation start_max, rp_pair **star, size_t *nstar)
{
    int rc = RP_ENOMEM;
    link *ln = rpi_malloc(npairs * sizeof *ln + 1);
    uint32_t *parent = rpi_malloc(ndocs * sizeof *parent + 1);
    uint32_t *size = rpi_malloc(ndocs * sizeof *size + 1);
    uint32_t *next = rpi_malloc(ndocs * sizeof *next + 1); /* circular list of a group's units */
    size_t *adj_start = rpi_calloc(ndocs + 1, sizeof *adj_start);
    uint32_t *adj = NULL, *first = NULL;
    uint8_t *adj_start_rank = NULL; /* per adjacency: 1 when the link may start a merge */
    *star = NULL;
    *nstar = 0;
    if (!ln || !parent || !size || !next || !adj_start)
        goto fail;
    size_t n = 0;
    for (size_t i = 0; i < npairs; i++) {
        uint32_t u = unit[pairs[i].a], v = unit[pairs[i].b];
        if (u == v)
            continue;
        ln[n++] = (link){u < v ? u : v, u < v ? v : u, (uint32_t)pairs[i].relation,
                         (float)pairs[i].event};
    }
    /* One link per pair of units, its strongest. */
    if (n > 1)
        qsort(ln, n, sizeof *ln, cmp_units);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || ln[m - 1].u != ln[i].u || ln[m - 1].v != ln[i].v)
            ln[m++] = ln[i];
    n = m;
    adj = rpi_malloc(2 * n * sizeof *adj + 1);
    adj_start_rank = rpi_malloc(2 * n + 1);
    if (!adj || !adj_start_rank)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        adj_start[ln[i].u + 1]++;
        adj_start[ln[i].v + 1]++;
    }
    for (size_t d = 0; d < ndocs; d++)
        adj_start[d + 1] += adj_start[d];
    {
        size_t *fill = rpi_malloc(ndocs * sizeof *fill + 1);
        if (!fill)
            goto fail;
        memcpy(fill, adj_start, ndocs * sizeof *fill);
        for (size_t i = 0; i < n; i++) {
            uint8_t st = ln[i].rank <= (uint32_t)start_max;
            adj_start_rank[fill[ln[i].u]] = st;
            adj[fill[ln[i].u]++] = ln[i].v;
            adj_start_rank[fill[ln[i].v]] = st;
            adj[fill[ln[i].v]++] = ln[i].u;
        }
        rpi_free(fill);
    }
    if (n > 1)
        qsort(ln, n, sizeof *ln, cmp_strength);
    for (size_t d = 0; d < ndocs; d++) {
        parent[d] = (uint32_t)d;
        size[d] = 1;
        next[d] = (uint32_t)d;
    }
    for (int merged = 1; merged;) {
        merged = 0;
        for (size_t i = 0; i < n && ln[i].rank <= (uint32_t)start_max; i++) {
            uint32_t ru = rpi_uf_find(parent, ln[i].u), rv = rpi_uf_find(parent, ln[i].v);
            if (ru == rv)
                continue;
            /* Links across the two groups, counted from the smaller one. */
            uint32_t small = size[ru] <= size[rv] ? ru : rv, other = small == ru ? rv : ru;
            uint64_t strong = 0, across = 0, x = small;
            do {
                for (size_t e = adj_start[x]; e < adj_start[x + 1]; e++)
                    if (rpi_uf_find(parent, adj[e]) == other) {
                        across++;
                        strong += adj_start_rank[e];
                    }
                x = next[x];
            } while (x != small);
            uint64_t all = (uint64_t)size[ru] * size[rv];
            if (2 * strong <= all && across < all)
                continue;
            uint32_t root = ru < rv ? ru : rv, child = root == ru ? rv : ru;
            parent[child] = root;
            size[root] += size[child];
            uint32_t t = next[root];
            next[root] = next[child];
            next[child] = t;
            merged = 1;
        }
    }
    /* A star of pairs per story: its first document with each other one. */
    first = rpi_malloc(ndocs * sizeof *first + 1);
    *star = rpi_malloc(ndocs * sizeof **star + 1);
    if (!first || !*star)
        goto fail;
    for (size_t d = 0; d < ndocs; d++)
        first[d] = UINT32_MAX;
    for (size_t d = 0; d < ndocs; d++) {
        uint32_t r = rpi_uf_find(parent, unit[d]);
        if (first[r] == UINT32_MAX)
            first[r] = (uint32_t)d;
        else
            (*star)[(*nstar)++] = (rp_pair){.a = first[r], .b = (uint32_t)d};
    }
    rc = RP_OK;
fail:
    if (rc != RP_OK) {
        rpi_free(*star);
        *star = NULL;
        *nstar = 0;
    }
    rpi_free(ln);
    rpi_free(parent);
    rpi_free(size);
    rpi_free(next);
    rpi_free(adj_start);
    rpi_free(adj);
    rpi_free(adj_start_rank);
    rpi_free(first);
    return rc;
}

int rpi_stories(size_t ndocs, const rp_pair *pairs, size_t npairs, const rpi_clusters *copies,
                rpi_prefer_fn prefer, void *ctx, rpi_clusters *out)
{
    rp_pair *sp = rpi_malloc(npairs * sizeof *sp + 1), *star = NULL;
    uint32_t *unit = rpi_malloc(ndocs * sizeof *unit + 1);
    size_t ns = 0, nstar = 0;
    int rc = RP_ENOMEM;
    if (!sp || !unit)
        goto fail;
    for (size_t i = 0; i < npairs; i++)
        if (rpi_story_support(&pairs[i]))
            sp[ns++] = pairs[i];
    for (size_t d = 0; d < ndocs; d++)
        unit[d] = (uint32_t)d;
    for (size_t k = 0; k < copies->n; k++)
        for (size_t i = copies->start[k]; i < copies->start[k + 1]; i++)
            unit[copies->members[i]] = copies->members[copies->start[k]];
    rc = rpi_stories_join(ndocs, sp, ns, unit, RP_REL_SAME_STORY, &star, &nstar);
    if (rc == RP_OK)
        rc = rpi_clusters_build(ndocs, star, nstar, prefer, ctx, out);
fail:
    rpi_free(unit);
    rpi_free(star);
    rpi_free(sp);
    return rc;
}
