/* SPDX-License-Identifier: MIT */
/*
 * stories.c -- the stories of a batch added to the index.
 *
 * The scan joins documents into stories with rpi_stories_join (story.c):
 * average link over story pairs (same-topic pairs where nothing tells the
 * events apart support a join but never start one), copies counting once,
 * strongest links first. Its result on a collection is the union of its results on the
 * connected parts of the story-pair graph, each taken alone, with the
 * documents in input order. So the index recomputes, for each batch, the
 * part a new document touches -- the documents linked to a new one by a
 * chain of story pairs, stored or new -- with the same function, in the
 * order documents were added: the stories are what the scan would make of
 * the stored pairs. A story is named by its first document, so it keeps its
 * number while documents join it.
 */
#include "index_int.h"

#include <stdlib.h>
#include <string.h>

/* A story pair between two index numbers. */
typedef struct spair {
    int64_t a, b; /* a < b */
    uint32_t rel; /* rp_relation */
    float event; /* event similarity, the order links are taken in */
} spair;

static int cmp_spair(const void *x, const void *y)
{
    const spair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

static int push_pair(spair **v, size_t *n, size_t *cap, int64_t a, int64_t b, uint32_t rel,
                     float event)
{
    RP_TRY(rpi_grow((void **)v, cap, *n + 1, sizeof **v));
    (*v)[(*n)++] = (spair){a < b ? a : b, a < b ? b : a, rel, event};
    return RP_OK;
}

static uint32_t relation_of(const char *name)
{
    for (uint32_t r = 0; r < RP_REL_UNRELATED; r++)
        if (strcmp(name, rp_relation_name((rp_relation)r)) == 0)
            return r;
    return RP_REL_UNRELATED;
}

/* Position of g in v[0..n), sorted as rpi_sort_u64 sorts (ids are positive), or n. */
static size_t find(const int64_t *v, size_t n, int64_t g)
{
    size_t k = rpi_lower_bound_u64((const uint64_t *)v, n, (uint64_t)g);
    return k < n && v[k] == g ? k : n;
}

int rpi_batch_stories(batch *bt)
{
    rp_index *x = bt->x;
    const rp_corpus *m = bt->m;
    spair *pairs = NULL;
    size_t np = 0, capp = 0;
    rpi_vec comp = {0}, frontier = {0}, found = {0};
    rpi_sortbuf tmp = {0};
    sqlite3_stmt *qp = NULL, *qw = NULL;
    int64_t *cur_story = NULL;
    uint32_t *unit = NULL;
    rp_pair *lp = NULL, *star = NULL;
    uint32_t *parent = NULL;
    size_t nstar = 0;
    int rc = rpi_index_prepare(
        x,
        "SELECT b, relation, event FROM relations WHERE a = ?1 AND (relation IN ('duplicate',"
        " 'near-duplicate', 'reprint', 'same-story') OR why IN (?2, ?3, ?4, ?5)) UNION ALL"
        " SELECT a, relation, event FROM relations WHERE b = ?1 AND (relation IN ('duplicate',"
        " 'near-duplicate', 'reprint', 'same-story') OR why IN (?2, ?3, ?4, ?5))",
        &qp);
    /* (the whys of the support pairs: rpi_why_supports) */
    _Static_assert(RPI_WHY_SUPPORTS == 4, "the query above binds four whys");
    for (int k = 0; rc == RP_OK && k < RPI_WHY_SUPPORTS; k++)
        sqlite3_bind_text(qp, 2 + k, rpi_why_supports[k], -1, SQLITE_STATIC);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "SELECT cluster, story FROM docs WHERE doc = ?", &qw);
    /* The batch's story pairs, and the new documents to start from. */
    for (size_t i = 0; rc == RP_OK && i < rp_corpus_npairs(m); i++) {
        const rp_pair *p = &m->pairs[i];
        if (rpi_story_support(p))
            rc = push_pair(&pairs, &np, &capp, rpi_batch_number(bt, p->a),
                           rpi_batch_number(bt, p->b), p->relation, (float)p->event);
    }
    for (size_t i = 0; rc == RP_OK && i < bt->n; i++)
        rc = rpi_vec_push(&frontier, (uint64_t)(bt->next + (int64_t)i));
    for (size_t i = 0; rc == RP_OK && i < bt->reseed.n; i++)
        rc = rpi_vec_push(&frontier, bt->reseed.v[i]);
    for (size_t i = 0; rc == RP_OK && i < np; i++) {
        if (pairs[i].rel > RP_REL_SAME_STORY)
            continue; /* support: counted between documents met, never followed */
        rc = rpi_vec_push(&frontier, (uint64_t)pairs[i].a);
        if (rc == RP_OK)
            rc = rpi_vec_push(&frontier, (uint64_t)pairs[i].b);
    }
    /* Breadth first over stored story pairs, one round per step of the chain. */
    while (rc == RP_OK && frontier.n) {
        rc = rpi_sort_distinct(frontier.v, frontier.n, &tmp.v, &tmp.cap, &frontier.n);
        /* Keep what is not in comp yet, and add it. */
        size_t k = 0;
        for (size_t i = 0; rc == RP_OK && i < frontier.n; i++)
            if (find((const int64_t *)comp.v, comp.n, (int64_t)frontier.v[i]) == comp.n)
                frontier.v[k++] = frontier.v[i];
        frontier.n = k;
        for (size_t i = 0; rc == RP_OK && i < frontier.n; i++)
            rc = rpi_vec_push(&comp, frontier.v[i]);
        if (rc == RP_OK)
            rc = rpi_sort_u64(comp.v, comp.n, &tmp.v, &tmp.cap);
        found.n = 0;
        for (size_t i = 0; rc == RP_OK && i < frontier.n; i++) {
            int64_t g = (int64_t)frontier.v[i];
            if (g >= bt->next)
                continue; /* a new document: its pairs are the batch's */
            sqlite3_reset(qp);
            sqlite3_bind_int64(qp, 1, g);
            int r;
            while (rc == RP_OK && (r = sqlite3_step(qp)) == SQLITE_ROW) {
                int64_t o = sqlite3_column_int64(qp, 0);
                uint32_t rel = relation_of((const char *)sqlite3_column_text(qp, 1));
                rc = push_pair(&pairs, &np, &capp, g, o, rel, (float)sqlite3_column_double(qp, 2));
                if (rc == RP_OK && rel <= RP_REL_SAME_STORY)
                    rc = rpi_vec_push(&found, (uint64_t)o);
            }
            if (rc == RP_OK && r != SQLITE_DONE)
                rc = rpi_index_dberr(x, NULL);
        }
        rpi_vec t = frontier;
        frontier = found;
        found = t;
    }
    if (rc != RP_OK)
        goto done;
    /* Each stored pair was met from both ends: once each. A support pair
     * counts only between documents of the part (the scan's join gives a
     * document met by support alone no story). */
    if (np > 1)
        qsort(pairs, np, sizeof *pairs, cmp_spair);
    size_t k = 0;
    for (size_t i = 0; i < np; i++)
        if ((k == 0 || pairs[k - 1].a != pairs[i].a || pairs[k - 1].b != pairs[i].b) &&
            find((const int64_t *)comp.v, comp.n, pairs[i].a) < comp.n &&
            find((const int64_t *)comp.v, comp.n, pairs[i].b) < comp.n)
            pairs[k++] = pairs[i];
    np = k;
    /* Local numbers: positions in comp, which is in the order documents were added. */
    size_t nc = comp.n;
    const int64_t *cg = (const int64_t *)comp.v;
    cur_story = rpi_malloc(nc * sizeof *cur_story + 1);
    unit = rpi_malloc(nc * sizeof *unit + 1);
    lp = rpi_malloc(np * sizeof *lp + 1);
    parent = rpi_malloc(nc * sizeof *parent + 1);
    if (!cur_story || !unit || !lp || !parent) {
        rc = RP_ENOMEM;
        goto done;
    }
    /* Units: the copy clusters (whose members all are in comp: copies are story pairs). */
    int64_t *cl = (int64_t *)(void *)found.v; /* scratch: cluster of each */
    found.n = 0;
    for (size_t i = 0; rc == RP_OK && i < nc; i++) {
        int64_t c, st = 0;
        if (cg[i] >= bt->next) {
            c = bt->cluster[cg[i] - bt->next];
        } else {
            sqlite3_reset(qw);
            sqlite3_bind_int64(qw, 1, cg[i]);
            if (sqlite3_step(qw) != SQLITE_ROW) {
                rc = rpi_index_dberr(x, "a document of a story is missing");
                break;
            }
            c = sqlite3_column_int64(qw, 0);
            st = sqlite3_column_int64(qw, 1);
        }
        cur_story[i] = st;
        rc = rpi_vec_push(&found, (uint64_t)rpi_batch_cluster(bt, c));
        cl = (int64_t *)(void *)found.v;
    }
    /* Each document's unit: the first member of its cluster (cluster << 32 | position,
     * sorted, gives each cluster's members in order). */
    for (size_t i = 0; rc == RP_OK && i < nc; i++)
        found.v[i] = (uint64_t)cl[i] << 32 | i;
    if (rc == RP_OK)
        rc = rpi_sort_u64(found.v, nc, &tmp.v, &tmp.cap);
    for (size_t i = 0, first = 0; rc == RP_OK && i < nc; i++) {
        if (found.v[i] >> 32 != found.v[first] >> 32)
            first = i;
        unit[(uint32_t)found.v[i]] = (uint32_t)found.v[first];
    }
    for (size_t i = 0; i < np; i++)
        lp[i] = (rp_pair){.a = (uint32_t)find(cg, nc, pairs[i].a),
                          .b = (uint32_t)find(cg, nc, pairs[i].b),
                          .relation = (rp_relation)pairs[i].rel,
                          .event = pairs[i].event};
    if (rc == RP_OK)
        rc = rpi_stories_join(nc, lp, np, unit, RP_REL_SAME_STORY, &star, &nstar);
    if (rc != RP_OK)
        goto done;
    /* Each story: its first document's number (star pairs run from it). */
    for (size_t i = 0; i < nc; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; i < nstar; i++)
        parent[star[i].b] = star[i].a;
    for (size_t i = 0; rc == RP_OK && i < nc; i++) {
        int64_t st = cg[parent[i]];
        if (cg[i] >= bt->next) {
            bt->story[cg[i] - bt->next] = st;
        } else if (st != cur_story[i]) {
            rc = rpi_grow((void **)&bt->restory, &bt->caprestory, 2 * bt->nrestory + 2,
                          sizeof *bt->restory);
            if (rc == RP_OK) {
                bt->restory[2 * bt->nrestory] = cg[i];
                bt->restory[2 * bt->nrestory + 1] = st;
                bt->nrestory++;
            }
        }
    }
done:
    rpi_index_finish(bt->x, qp);
    rpi_index_finish(bt->x, qw);
    rpi_free(pairs);
    rpi_free(comp.v);
    rpi_free(frontier.v);
    rpi_free(found.v);
    rpi_free(tmp.v);
    rpi_free(cur_story);
    rpi_free(unit);
    rpi_free(lp);
    rpi_free(star);
    rpi_free(parent);
    return rc;
}
