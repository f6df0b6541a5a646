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

int rpi_timelines_build(size_t ndocs, const rp_pair *pairs, size_t npairs,
                        const rpi_clusters *stories, const int64_t *date, rpi_timelines *out)
{
    int rc = RP_ENOMEM;
    memset(out, 0, sizeof *out);
    rp_pair *links = rpi_malloc(npairs * sizeof *links + 1), *star = NULL;
    uint32_t *unit = rpi_malloc(ndocs * sizeof *unit + 1);
    uint32_t *story = rpi_malloc(ndocs * sizeof *story + 1); /* story of each document */
    uint32_t *parent = rpi_malloc(ndocs * sizeof *parent + 1);
    uint32_t *slot = rpi_malloc(ndocs * sizeof *slot + 1); /* per root: its timeline, or max */
    uint32_t *evof = rpi_malloc(ndocs * sizeof *evof + 1); /* per unit: its event, or max */
    size_t nstar = 0, nl = 0;
    if (!links || !unit || !story || !parent || !slot || !evof)
        goto fail;
    for (size_t d = 0; d < ndocs; d++) {
        unit[d] = (uint32_t)d;
        story[d] = UINT32_MAX;
        parent[d] = (uint32_t)d;
        slot[d] = UINT32_MAX;
        evof[d] = UINT32_MAX;
    }
    for (size_t k = 0; k < stories->n; k++)
        for (size_t i = stories->start[k]; i < stories->start[k + 1]; i++) {
            unit[stories->members[i]] = stories->members[stories->start[k]];
            story[stories->members[i]] = (uint32_t)k;
        }
    for (size_t i = 0; i < npairs; i++)
        if (pairs[i].relation <= RP_REL_SAME_TOPIC && unit[pairs[i].a] != unit[pairs[i].b])
            links[nl++] = pairs[i];
    RP_CHECK(rpi_stories_join(ndocs, links, nl, unit, RP_REL_SAME_TOPIC, &star, &nstar, NULL,
                              NULL, NULL));
    /* The timeline of each unit: star pairs join units (first unit of a group
     * with each other unit of it; the members of a unit are not in them). */
    for (size_t i = 0; i < nstar; i++) {
        uint32_t ra = rpi_uf_find(parent, star[i].a), rb = rpi_uf_find(parent, star[i].b);
        if (ra != rb)
            parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
    }
    size_t nt = 0, nev = 0;
    /* Count units per root (a root with one unit is no timeline). */
    uint32_t *nunits = slot; /* reuse: per root, units seen */
    for (size_t d = 0; d < ndocs; d++)
        nunits[d] = 0;
    for (size_t d = 0; d < ndocs; d++)
        if (unit[d] == d)
            nunits[rpi_uf_find(parent, (uint32_t)d)]++;
    /* Timeline numbers: roots with 2+ units, by their smallest document (a
     * root is the smallest unit of its group, and a unit its first member). */
    uint32_t *tl = evof; /* reuse: per root, timeline number */
    for (size_t d = 0; d < ndocs; d++)
        tl[d] = UINT32_MAX;
    for (size_t d = 0; d < ndocs; d++)
        if (unit[d] == d) {
            uint32_t r = rpi_uf_find(parent, (uint32_t)d);
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
    for (size_t d = 0; d < ndocs; d++)
        if (unit[d] == d && tl[rpi_uf_find(parent, (uint32_t)d)] != UINT32_MAX)
            out->start[tl[rpi_uf_find(parent, (uint32_t)d)] + 2]++;
    for (size_t k = 0; k < nt; k++)
        out->start[k + 2] += out->start[k + 1];
    /* Fill: out->start[k + 1] runs as the fill pointer of timeline k. */
    for (size_t d = 0; d < ndocs; d++) {
        if (unit[d] != d)
            continue;
        uint32_t k = tl[rpi_uf_find(parent, (uint32_t)d)];
        if (k == UINT32_MAX)
            continue;
        out->ev[out->start[k + 1]++] =
            (rpi_event){story[d], (uint32_t)d, INT64_MAX, INT64_MAX};
    }
    out->n = nt;
    /* Dates of each event, from its members. */
    for (size_t k = 0; k < nt; k++)
        for (size_t e = out->start[k]; e < out->start[k + 1]; e++) {
            rpi_event *ev = &out->ev[e];
            size_t lo = ev->story == UINT32_MAX ? 0 : stories->start[ev->story];
            size_t hi = ev->story == UINT32_MAX ? 1 : stories->start[ev->story + 1];
            for (size_t i = lo; i < hi; i++) {
                uint32_t m = ev->story == UINT32_MAX ? ev->doc : stories->members[i];
                if (date[m] == INT64_MAX)
                    continue;
                if (ev->first == INT64_MAX || date[m] < ev->first)
                    ev->first = date[m];
                if (ev->last == INT64_MAX || date[m] > ev->last)
                    ev->last = date[m];
            }
        }
    for (size_t k = 0; k < nt; k++)
        qsort(out->ev + out->start[k], out->start[k + 1] - out->start[k], sizeof *out->ev,
              cmp_event);
    rc = RP_OK;
fail:
    if (rc != RP_OK)
        rpi_timelines_free(out);
    rpi_free(links);
    rpi_free(star);
    rpi_free(unit);
    rpi_free(story);
    rpi_free(parent);
    rpi_free(slot);
    rpi_free(evof);
    return rc;
}
