/* SPDX-License-Identifier: MIT */
/*
 * stories.c -- the stories of a batch added to the index.
 *
 * The scan joins documents into stories with rpi_stories_join (story.c):
 * first the groups the related pairs make (average link over story pairs;
 * same-topic pairs where nothing tells the events apart support a join but
 * never start one), copies counting once, strongest links first; then each
 * document the pairs left alone joins the group it fits as a whole (average
 * link on similarity over the group's units; or the group's centroid, from
 * the story vectors the index keeps of each document, table vectors, as it
 * keeps the pairs: computed when the document was added). The groups are
 * the union of the join's results on the connected parts of the graph of
 * story and support pairs, each taken alone; a document left alone is
 * weighed against the groups of the documents it relates to. So the index
 * recomputes, for each batch:
 *
 *   - the part a new document touches: the documents linked to a new one by
 *     a chain of story or support pairs (two stories whose every pair across
 *     is one of the two are one), stored or new (comp);
 *   - the documents related to comp by any pair (N1), each with its own
 *     part, since one left alone may join or leave a group of comp;
 *   - for those of N1 the pairs leave alone, the parts of the documents
 *     they relate to, the groups they choose among;
 *
 * with the same function, in the order documents were added, and writes the
 * stories of comp and of the documents of N1 left alone: the stories are
 * what the scan would make of the stored pairs. A story is named by the
 * first document of the group its pairs made, so it keeps its number while
 * documents join it.
 */
#include "doc_features.h"
#include "index_int.h"

#include <stdlib.h>
#include <string.h>

/* A related pair between two index numbers. */
typedef struct spair {
    int64_t a, b; /* a < b */
    uint32_t rel; /* rp_relation */
    float event; /* event similarity, the order links are taken in */
    float specifics; /* similarity of the specifics */
    const char *why; /* a support or veto pair's why as relate keeps it (static), else NULL */
} spair;

/* Push the pair (a, b) when the story join reads it (relation up to
 * same-topic), with its why when it supports a story or tells two events
 * apart. */
static int push_pair(spair **v, size_t *n, size_t *cap, int64_t a, int64_t b, uint32_t rel,
                     float event, float specifics, const char *why)
{
    if (rel > RP_REL_SAME_TOPIC)
        return RP_OK;
    rp_pair p = {.relation = (rp_relation)rel, .why = why};
    const char *keep = rpi_story_veto(&p);
    if (!keep)
        keep = rpi_story_support_why(&p);
    RP_TRY(rpi_grow((void **)v, cap, *n + 1, sizeof **v));
    (*v)[(*n)++] = (spair){a < b ? a : b, a < b ? b : a, rel, event, specifics, keep};
    return RP_OK;
}

/* Does the join follow a pair of relation rel and why why from one group to
 * another: a story or support pair, rpi_story_support (two stories whose
 * every pair across is one of the two are one)? */
static int follows(uint32_t rel, const char *why)
{
    return rpi_story_support(&(rp_pair){.relation = (rp_relation)rel, .why = why});
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

static int in(const rpi_vec *v, uint64_t g)
{
    return find((const int64_t *)v->v, v->n, (int64_t)g) < v->n;
}

/* The state of one recomputation. */
typedef struct part {
    batch *bt;
    sqlite3_stmt *qp; /* the related pairs of a document */
    spair *pairs;
    size_t np, capp;
    rpi_vec docs; /* every document met, sorted */
    rpi_sortbuf tmp;
} part;

/*
 * Add to pt->docs the documents of frontier and those linked to them by a
 * chain of story pairs, stored or new, with the pairs of each stored one
 * (a new document's pairs are the batch's). frontier is used up.
 */
static int add_parts(part *pt, rpi_vec *frontier)
{
    batch *bt = pt->bt;
    rpi_vec found = {0};
    int rc = RP_OK;
    while (rc == RP_OK && frontier->n) {
        rc = rpi_sort_distinct(frontier->v, frontier->n, &pt->tmp.v, &pt->tmp.cap, &frontier->n);
        /* Keep what is not met yet, and add it. */
        size_t k = 0;
        for (size_t i = 0; rc == RP_OK && i < frontier->n; i++)
            if (!in(&pt->docs, frontier->v[i]))
                frontier->v[k++] = frontier->v[i];
        frontier->n = k;
        for (size_t i = 0; rc == RP_OK && i < frontier->n; i++)
            rc = rpi_vec_push(&pt->docs, frontier->v[i]);
        if (rc == RP_OK)
            rc = rpi_sort_u64(pt->docs.v, pt->docs.n, &pt->tmp.v, &pt->tmp.cap);
        found.n = 0;
        for (size_t i = 0; rc == RP_OK && i < frontier->n; i++) {
            int64_t g = (int64_t)frontier->v[i];
            if (g >= bt->next)
                continue; /* a new document: its pairs are the batch's */
            sqlite3_reset(pt->qp);
            sqlite3_bind_int64(pt->qp, 1, g);
            int r;
            while (rc == RP_OK && (r = sqlite3_step(pt->qp)) == SQLITE_ROW) {
                int64_t o = sqlite3_column_int64(pt->qp, 0);
                uint32_t rel = relation_of((const char *)sqlite3_column_text(pt->qp, 1));
                rc = push_pair(&pt->pairs, &pt->np, &pt->capp, g, o, rel,
                               (float)sqlite3_column_double(pt->qp, 2),
                               (float)sqlite3_column_double(pt->qp, 3),
                               (const char *)sqlite3_column_text(pt->qp, 4));
                if (rc == RP_OK && follows(rel, (const char *)sqlite3_column_text(pt->qp, 4)))
                    rc = rpi_vec_push(&found, (uint64_t)o);
            }
            if (rc == RP_OK && r != SQLITE_DONE)
                rc = rpi_index_dberr(bt->x, NULL);
        }
        rpi_vec t = *frontier;
        *frontier = found;
        found = t;
    }
    rpi_free(found.v);
    return rc;
}

/* Into out, the documents related by a pair to one of the documents of from
 * (sorted) that are not met yet. */
static int neighbours(part *pt, const rpi_vec *from, rpi_vec *out)
{
    out->n = 0;
    for (size_t i = 0; i < pt->np; i++) {
        int fa = in(from, (uint64_t)pt->pairs[i].a), fb = in(from, (uint64_t)pt->pairs[i].b);
        int64_t o = fa && !fb ? pt->pairs[i].b : fb && !fa ? pt->pairs[i].a : -1;
        if (o >= 0 && !in(&pt->docs, (uint64_t)o))
            RP_TRY(rpi_vec_push(out, (uint64_t)o));
    }
    return RP_OK;
}

int rpi_batch_vectors(batch *bt)
{
    rp_corpus *a = bt->a;
    bt->vec.len = 0;
    rpi_free(bt->vec_at);
    bt->vec_at = rpi_malloc((bt->n + 1) * sizeof *bt->vec_at);
    if (!bt->vec_at)
        return RP_ENOMEM;
    for (size_t i = 0; i < bt->n; i++) {
        bt->vec_at[i] = bt->vec.len;
        if (!a->vec_out || !a->vec_out[i] || a->vec_out_len[i] < sizeof(uint32_t)) {
            /* (run A makes every document's) */
            rpi_fmt(bt->x->err, sizeof bt->x->err,
                    "internal error: no story vectors for new document %zu", i + 1);
            return RP_EINTERNAL;
        }
        /* (numbered as the index numbers it) */
        uint32_t g = (uint32_t)(bt->next + (int64_t)i);
        RP_TRY(rpi_buf_append(&bt->vec, &g, sizeof g));
        RP_TRY(rpi_buf_append(&bt->vec, a->vec_out[i] + sizeof g, a->vec_out_len[i] - sizeof g));
    }
    bt->vec_at[bt->n] = bt->vec.len;
    return RP_OK;
}

/* The story vectors of the documents met (rpi_vector_fn): a new document's
 * from the batch, an indexed one's as the index keeps them. */
typedef struct partvec {
    part *pt;
    sqlite3_stmt *q; /* a document's vectors */
    char *rec; /* the record read, of document recdoc (-1: none) */
    size_t lenrec, caprec;
    int64_t recdoc;
    rpi_term *t; /* a vector, aligned */
    size_t capt;
} partvec;

static int part_vector(void *ctx, uint32_t doc, int which, const rpi_term **t, size_t *n)
{
    partvec *pv = ctx;
    batch *bt = pv->pt->bt;
    int64_t g = (int64_t)pv->pt->docs.v[doc];
    *t = NULL;
    *n = 0;
    if (g >= bt->next) {
        size_t i = (size_t)(g - bt->next);
        return rpi_story_vector_get(bt->vec.data + bt->vec_at[i],
                                    bt->vec_at[i + 1] - bt->vec_at[i], which, &pv->t, &pv->capt,
                                    t, n);
    }
    if (pv->recdoc != g) { /* (a lone unit's two vectors are asked for in turn) */
        sqlite3_reset(pv->q);
        sqlite3_bind_int64(pv->q, 1, g);
        int r = sqlite3_step(pv->q);
        if (r == SQLITE_DONE)
            return RP_OK; /* (none kept: it weighs nothing) */
        if (r != SQLITE_ROW)
            return rpi_index_dberr(bt->x, NULL);
        pv->lenrec = (size_t)sqlite3_column_bytes(pv->q, 0);
        const void *p = sqlite3_column_blob(pv->q, 0);
        RP_TRY(rpi_grow((void **)&pv->rec, &pv->caprec, pv->lenrec + 1, 1));
        if (pv->lenrec)
            memcpy(pv->rec, p, pv->lenrec);
        sqlite3_reset(pv->q);
        pv->recdoc = g;
    }
    if (rpi_story_vector_get(pv->rec, pv->lenrec, which, &pv->t, &pv->capt, t, n) == RP_OK)
        return RP_OK;
    rpi_fmt(bt->x->err, sizeof bt->x->err, "%s: the story vectors of document %lld are damaged",
            bt->x->path, (long long)g);
    return RP_EIO;
}

/* The join over every document met: per document its story's first
 * document (local numbers) into story, and whether the pairs left it alone. */
static int join_part(part *pt, const uint32_t *unit, uint32_t *story, uint8_t *alone)
{
    size_t nc = pt->docs.n;
    const int64_t *cg = (const int64_t *)pt->docs.v;
    rp_pair *lp = rpi_malloc(pt->np * sizeof *lp + 1), *star = NULL;
    size_t nlp = 0, nstar = 0;
    if (!lp)
        return RP_ENOMEM;
    for (size_t i = 0; i < pt->np; i++) {
        size_t a = find(cg, nc, pt->pairs[i].a), b = find(cg, nc, pt->pairs[i].b);
        if (a < nc && b < nc) /* (a pair to a document not met counts nowhere) */
            lp[nlp++] = (rp_pair){.a = (uint32_t)a,
                                  .b = (uint32_t)b,
                                  .relation = (rp_relation)pt->pairs[i].rel,
                                  .event = pt->pairs[i].event,
                                  .specifics = pt->pairs[i].specifics,
                                  .why = pt->pairs[i].why};
    }
    partvec pv = {.pt = pt, .recdoc = -1};
    int rc = rpi_index_prepare(pt->bt->x, "SELECT blob FROM vectors WHERE doc = ?", &pv.q);
    if (rc == RP_OK)
        rc = rpi_stories_join(nc, lp, nlp, unit, RP_REL_SAME_STORY, &star, &nstar, alone,
                              part_vector, &pv);
    rpi_index_finish(pt->bt->x, pv.q);
    rpi_free(pv.rec);
    rpi_free(pv.t);
    if (rc == RP_OK) {
        for (size_t i = 0; i < nc; i++)
            story[i] = (uint32_t)i;
        for (size_t i = 0; i < nstar; i++)
            story[star[i].b] = star[i].a;
    }
    rpi_free(lp);
    rpi_free(star);
    return rc;
}

int rpi_batch_stories(batch *bt)
{
    rp_index *x = bt->x;
    const rp_corpus *m = bt->m;
    part pt = {.bt = bt};
    rpi_vec comp = {0}, frontier = {0}, n1 = {0}, n2 = {0}, lone1 = {0}, scratch = {0};
    sqlite3_stmt *qw = NULL;
    int64_t *cur_story = NULL;
    uint32_t *unit = NULL, *story = NULL;
    uint8_t *alone = NULL, *of_n1 = NULL; /* per document: its unit holds a document of N1 */
    int rc = bt->vec_at ? RP_OK : rpi_batch_vectors(bt);
    if (rc == RP_OK)
        rc = rpi_index_prepare(
            x,
            "SELECT b, relation, event, specifics, why FROM relations WHERE a = ?1 UNION ALL"
            " SELECT a, relation, event, specifics, why FROM relations WHERE b = ?1",
            &pt.qp);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "SELECT cluster, story FROM docs WHERE doc = ?", &qw);
    /* The batch's pairs, and the new documents to start from. */
    for (size_t i = 0; rc == RP_OK && i < rp_corpus_npairs(m); i++) {
        const rp_pair *p = &m->pairs[i];
        rc = push_pair(&pt.pairs, &pt.np, &pt.capp, rpi_batch_number(bt, p->a),
                       rpi_batch_number(bt, p->b), p->relation, (float)p->event,
                       (float)p->specifics, p->why);
    }
    for (size_t i = 0; rc == RP_OK && i < bt->n; i++)
        rc = rpi_vec_push(&frontier, (uint64_t)(bt->next + (int64_t)i));
    for (size_t i = 0; rc == RP_OK && i < bt->reseed.n; i++)
        rc = rpi_vec_push(&frontier, bt->reseed.v[i]);
    for (size_t i = 0; rc == RP_OK && i < pt.np; i++) {
        if (!follows(pt.pairs[i].rel, pt.pairs[i].why))
            continue; /* veto, other: counted between documents met, never followed */
        rc = rpi_vec_push(&frontier, (uint64_t)pt.pairs[i].a);
        if (rc == RP_OK)
            rc = rpi_vec_push(&frontier, (uint64_t)pt.pairs[i].b);
    }
    /* comp, then the parts of the documents related to it (N1). */
    if (rc == RP_OK)
        rc = add_parts(&pt, &frontier);
    for (size_t i = 0; rc == RP_OK && i < pt.docs.n; i++)
        rc = rpi_vec_push(&comp, pt.docs.v[i]);
    if (rc == RP_OK)
        rc = neighbours(&pt, &comp, &n1);
    if (rc == RP_OK) {
        for (size_t i = 0; rc == RP_OK && i < n1.n; i++)
            rc = rpi_vec_push(&frontier, n1.v[i]);
        if (rc == RP_OK)
            rc = rpi_sort_distinct(n1.v, n1.n, &pt.tmp.v, &pt.tmp.cap, &n1.n);
        if (rc == RP_OK)
            rc = add_parts(&pt, &frontier);
    }
    /* Units and the stories stored, then the join; the documents of N1 it
     * leaves alone choose among the groups of the documents they relate to:
     * their parts too, and the join again. */
    for (int round = 0; rc == RP_OK && round < 2; round++) {
        size_t nc = pt.docs.n;
        const int64_t *cg = (const int64_t *)pt.docs.v;
        rpi_free(cur_story);
        rpi_free(unit);
        rpi_free(story);
        rpi_free(alone);
        rpi_free(of_n1);
        cur_story = rpi_malloc(nc * sizeof *cur_story + 1);
        unit = rpi_malloc(nc * sizeof *unit + 1);
        story = rpi_malloc(nc * sizeof *story + 1);
        alone = rpi_malloc(nc + 1);
        of_n1 = rpi_calloc(nc + 1, 1);
        if (!cur_story || !unit || !story || !alone || !of_n1) {
            rc = RP_ENOMEM;
            break;
        }
        /* Units: the copy clusters (whose members all are met: copies are story
         * pairs). Each document's unit is the first member of its cluster
         * (cluster << 32 | position, sorted, gives each cluster's members in order). */
        scratch.n = 0;
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
            rc = rpi_vec_push(&scratch, (uint64_t)rpi_batch_cluster(bt, c) << 32 | i);
        }
        if (rc == RP_OK)
            rc = rpi_sort_u64(scratch.v, nc, &pt.tmp.v, &pt.tmp.cap);
        for (size_t i = 0, first = 0; rc == RP_OK && i < nc; i++) {
            if (scratch.v[i] >> 32 != scratch.v[first] >> 32)
                first = i;
            unit[(uint32_t)scratch.v[i]] = (uint32_t)scratch.v[first];
        }
        /* (a unit is decided whole: its copies not related to comp are of N1 too) */
        for (size_t i = 0; rc == RP_OK && i < nc; i++)
            if (in(&n1, (uint64_t)cg[i]))
                of_n1[unit[i]] = 1;
        for (size_t i = 0; rc == RP_OK && i < nc; i++)
            of_n1[i] = of_n1[unit[i]];
        if (rc == RP_OK)
            rc = join_part(&pt, unit, story, alone);
        if (rc != RP_OK || round == 1)
            break;
        lone1.n = 0;
        for (size_t i = 0; rc == RP_OK && i < nc; i++)
            if (of_n1[i] && alone[i])
                rc = rpi_vec_push(&lone1, (uint64_t)cg[i]);
        if (rc == RP_OK)
            rc = neighbours(&pt, &lone1, &n2);
        if (rc != RP_OK || n2.n == 0)
            break;
        for (size_t i = 0; rc == RP_OK && i < n2.n; i++)
            rc = rpi_vec_push(&frontier, n2.v[i]);
        if (rc == RP_OK)
            rc = add_parts(&pt, &frontier);
    }
    /* The stories of comp and of the documents of N1 left alone. */
    for (size_t i = 0; rc == RP_OK && i < pt.docs.n; i++) {
        const int64_t *cg = (const int64_t *)pt.docs.v;
        if (!in(&comp, (uint64_t)cg[i]) && !(of_n1[i] && alone[i]))
            continue;
        int64_t st = cg[story[i]];
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
    rpi_index_finish(bt->x, pt.qp);
    rpi_index_finish(bt->x, qw);
    rpi_free(pt.pairs);
    rpi_free(pt.docs.v);
    rpi_free(pt.tmp.v);
    rpi_free(comp.v);
    rpi_free(frontier.v);
    rpi_free(n1.v);
    rpi_free(n2.v);
    rpi_free(lone1.v);
    rpi_free(scratch.v);
    rpi_free(cur_story);
    rpi_free(unit);
    rpi_free(story);
    rpi_free(alone);
    rpi_free(of_n1);
    return rc;
}
