/* SPDX-License-Identifier: MIT */
/*
 * timeline.c -- stage 6, after stories: events on one subject over time.
 *
 * A story is one event. A reader following a subject also wants the line
 * of its events: the earlier meeting of the same two men, the meeting, the
 * later one that reuses its background. Stories and the documents in no
 * story are the events here; the pairs that link two of them are the
 * related pairs across them: same-topic (the same subject, another event),
 * shares-passages (another event reusing background), and any story pair
 * the story stage did not join.
 *
 * The join is the story stage's own (rpi_stories_join, average link with
 * the links counted): a group of events joins another only when most pairs
 * of events across them are related. One round-up naming two subjects does
 * not chain them, and a subject is not everything that shares a country's
 * name: two timelines that each hold several events stay apart unless
 * their events relate to one another as a whole.
 */
#include "relate.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void rpi_timelines_free(rpi_timelines *t)
{
    rpi_free(t->start);
    rpi_free(t->ev);
    memset(t, 0, sizeof *t);
}

/* Events of a timeline by date: earliest first, undated last, then by their
 * first document. */
static int cmp_event(const void *x, const void *y)
{
    const rpi_event *p = x, *q = y;
    if (p->first != q->first)
        return p->first < q->first ? -1 : 1;
    return (p->doc > q->doc) - (p->doc < q->doc);
}

/* The story whose first member is document d, or UINT32_MAX (lead: the
 * stories' first members << 32 | their number, ascending). */
static uint32_t story_led_by(const uint64_t *lead, size_t n, uint32_t d)
{
    size_t at = rpi_lower_bound_u64(lead, n, (uint64_t)d << 32);
    return at < n && lead[at] >> 32 == d ? (uint32_t)lead[at] : UINT32_MAX;
}

/*
 * The tables below index the units in a link only (numbered in document
 * order, so every choice is the one a table over every document made): a
 * unit in none is an event alone, in no timeline. Tables over every
 * document took 20 bytes each, and a copy of the pairs linked 104 each (on
 * rank 0 of an MPI job, for every document of the run).
 */
int rpi_timelines_build(size_t ndocs, const rp_pair *pairs, size_t npairs,
                        const rpi_clusters *stories, rpi_date_fn date, void *dctx,
                        rpi_timelines *out)
{
    int rc = RP_ENOMEM;
    memset(out, 0, sizeof *out);
    rp_pair *star = NULL;
    uint32_t *unit = rpi_malloc(ndocs * sizeof *unit + 1);
    uint64_t *lead = rpi_malloc(stories->n * sizeof *lead + 1);
    uint32_t *ids = NULL, *parent = NULL, *nunits = NULL, *tl = NULL;
    size_t nstar = 0, k = 0;
    if (!unit || !lead)
        goto fail;
    for (size_t d = 0; d < ndocs; d++)
        unit[d] = (uint32_t)d;
    for (size_t s = 0; s < stories->n; s++) {
        uint32_t first = stories->members[stories->start[s]];
        lead[s] = (uint64_t)first << 32 | s;
        for (size_t i = stories->start[s]; i < stories->start[s + 1]; i++)
            unit[stories->members[i]] = first;
    }
    {
        uint64_t *tmp = NULL;
        size_t captmp = 0;
        rc = rpi_sort_u64(lead, stories->n, &tmp, &captmp);
        rpi_free(tmp);
        if (rc != RP_OK)
            goto fail;
        rc = RP_ENOMEM;
    }
    /* (the join passes over pairs past same-topic and within a unit, as the
     * units in a link below) */
    RP_CHECK(rpi_stories_join(ndocs, pairs, npairs, unit, RP_REL_SAME_TOPIC, &star, &nstar, NULL,
                              NULL, NULL));
    rc = RP_ENOMEM; /* (for the allocations below) */
    for (size_t i = 0; i < npairs; i++)
        k += pairs[i].relation <= RP_REL_SAME_TOPIC && unit[pairs[i].a] != unit[pairs[i].b];
    ids = rpi_malloc(2 * k * sizeof *ids + 1);
    if (!ids)
        goto fail;
    k = 0;
    for (size_t i = 0; i < npairs; i++)
        if (pairs[i].relation <= RP_REL_SAME_TOPIC && unit[pairs[i].a] != unit[pairs[i].b]) {
            ids[k++] = unit[pairs[i].a];
            ids[k++] = unit[pairs[i].b];
        }
    k = rpi_sort_unique_u32(ids, k);
    parent = rpi_malloc(k * sizeof *parent + 1);
    nunits = rpi_calloc(k + 1, sizeof *nunits); /* per root: its units */
    tl = rpi_malloc(k * sizeof *tl + 1); /* per root: its timeline, or max */
    if (!parent || !nunits || !tl)
        goto fail;
    for (size_t u = 0; u < k; u++) {
        parent[u] = (uint32_t)u;
        tl[u] = UINT32_MAX;
    }
    /* The timeline of each unit: star pairs join units (the first document
     * of a group with each other one; those of one unit join nothing). */
    for (size_t i = 0; i < nstar; i++) {
        uint32_t ua = unit[star[i].a], ub = unit[star[i].b];
        if (ua == ub)
            continue;
        size_t ia = rpi_find_u32(ids, k, ua), ib = rpi_find_u32(ids, k, ub);
        assert(ia < k && ib < k); /* (two units a star joins are in a link) */
        uint32_t ra = rpi_uf_find(parent, (uint32_t)ia), rb = rpi_uf_find(parent, (uint32_t)ib);
        if (ra != rb)
            parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
    }
    size_t nt = 0, nev = 0;
    for (size_t u = 0; u < k; u++)
        nunits[rpi_uf_find(parent, (uint32_t)u)]++;
    /* Timeline numbers: roots with 2+ units, by their smallest document (a
     * root is the smallest unit of its group, and a unit its first member). */
    for (size_t u = 0; u < k; u++) {
        uint32_t r = rpi_uf_find(parent, (uint32_t)u);
        if (nunits[r] >= 2) {
            if (tl[r] == UINT32_MAX)
                tl[r] = (uint32_t)nt++;
            nev++;
        }
    }
    out->start = rpi_calloc(nt + 2, sizeof *out->start);
    out->ev = rpi_malloc(nev * sizeof *out->ev + 1);
    rc = RP_ENOMEM;
    if (!out->start || !out->ev)
        goto fail;
    for (size_t u = 0; u < k; u++)
        if (tl[rpi_uf_find(parent, (uint32_t)u)] != UINT32_MAX)
            out->start[tl[rpi_uf_find(parent, (uint32_t)u)] + 2]++;
    for (size_t t = 0; t < nt; t++)
        out->start[t + 2] += out->start[t + 1];
    /* Fill: out->start[t + 1] runs as the fill pointer of timeline t. */
    for (size_t u = 0; u < k; u++) {
        uint32_t t = tl[rpi_uf_find(parent, (uint32_t)u)];
        if (t != UINT32_MAX)
            out->ev[out->start[t + 1]++] = (rpi_event){story_led_by(lead, stories->n, ids[u]),
                                                       ids[u], INT64_MAX, INT64_MAX};
    }
    out->n = nt;
    rpi_timelines_date(out, stories, date, dctx);
    rc = RP_OK;
fail:
    if (rc != RP_OK)
        rpi_timelines_free(out);
    rpi_free(star);
    rpi_free(unit);
    rpi_free(lead);
    rpi_free(ids);
    rpi_free(parent);
    rpi_free(nunits);
    rpi_free(tl);
    return rc;
}

void rpi_timelines_date(rpi_timelines *out, const rpi_clusters *stories, rpi_date_fn date,
                        void *dctx)
{
    const size_t nt = out->n;
    /* Dates of each event, from its members. */
    for (size_t t = 0; t < nt; t++)
        for (size_t e = out->start[t]; e < out->start[t + 1]; e++) {
            rpi_event *ev = &out->ev[e];
            size_t lo = ev->story == UINT32_MAX ? 0 : stories->start[ev->story];
            size_t hi = ev->story == UINT32_MAX ? 1 : stories->start[ev->story + 1];
            for (size_t i = lo; i < hi; i++) {
                uint32_t mem = ev->story == UINT32_MAX ? ev->doc : stories->members[i];
                int64_t when = date(dctx, mem);
                if (when == INT64_MAX)
                    continue;
                if (ev->first == INT64_MAX || when < ev->first)
                    ev->first = when;
                if (ev->last == INT64_MAX || when > ev->last)
                    ev->last = when;
            }
        }
    for (size_t t = 0; t < nt; t++)
        qsort(out->ev + out->start[t], out->start[t + 1] - out->start[t], sizeof *out->ev,
              cmp_event);
}
