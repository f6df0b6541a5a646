/* SPDX-License-Identifier: MIT */
/*
 * lookup.c -- reading the index: a document, its related pairs with their
 * passages and differing figures, the members of a cluster or a story, and a
 * story's timeline (what `reprint serve` answers, on the public API).
 */
#include "index_int.h"

#include <stdlib.h>
#include <string.h>

/* Columns of a document row, from column 0: doc, id, date, source, url, title,
 * cluster, story, then optionally text. */
#define DOC_COLUMNS "doc, id, date, source, url, title, cluster, story"

/* Copy the row of st (DOC_COLUMNS, text at column 8 when with_text) into
 * x->scratch from offset *at, and point d into it. */
static int load_doc(rp_index *x, sqlite3_stmt *st, int with_text, rp_indexed *d)
{
    size_t off[6];
    static const int col[6] = {1, 2, 3, 4, 5, 8};
    for (int k = 0; k < 6; k++) {
        off[k] = SIZE_MAX;
        if (k == 5 && !with_text)
            continue;
        const char *v = (const char *)sqlite3_column_text(st, col[k]);
        if (!v)
            continue;
        off[k] = x->scratch.len;
        RP_TRY(rpi_buf_append(&x->scratch, v, (size_t)sqlite3_column_bytes(st, col[k])));
        RP_TRY(rpi_buf_putc(&x->scratch, 0));
    }
    memset(d, 0, sizeof *d);
    d->number = sqlite3_column_int64(st, 0);
    d->cluster = sqlite3_column_int64(st, 6);
    d->story = sqlite3_column_int64(st, 7);
    /* Pointers are set by fix_doc once the scratch buffer stops moving. */
    const char **p[6] = {&d->id, &d->date, &d->source, &d->url, &d->title, &d->text};
    for (int k = 0; k < 6; k++)
        *p[k] = off[k] == SIZE_MAX ? NULL : (const char *)(uintptr_t)(off[k] + 1);
    if (with_text && off[5] != SIZE_MAX)
        d->text_len = (size_t)sqlite3_column_bytes(st, 8);
    return RP_OK;
}

/* Turn the offsets load_doc left (offset + 1) into pointers into x->scratch. */
static void fix_doc(const rp_index *x, rp_indexed *d)
{
    const char **p[6] = {&d->id, &d->date, &d->source, &d->url, &d->title, &d->text};
    for (int k = 0; k < 6; k++)
        if (*p[k])
            *p[k] = x->scratch.data + ((uintptr_t)*p[k] - 1);
}

int rp_index_get(rp_index *x, const char *id, int64_t number, rp_indexed *out)
{
    x->err[0] = 0;
    x->scratch.len = 0;
    sqlite3_stmt *st;
    RP_TRY(rpi_index_prepare(x, id ? "SELECT " DOC_COLUMNS ", text FROM docs WHERE id = ?"
                                   : "SELECT " DOC_COLUMNS ", text FROM docs WHERE doc = ?",
                             &st));
    if (id)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    else
        sqlite3_bind_int64(st, 1, number);
    int r = sqlite3_step(st), rc;
    if (r == SQLITE_ROW) {
        rc = load_doc(x, st, 1, out);
        if (rc == RP_OK) {
            fix_doc(x, out);
            rc = 1;
        }
    } else {
        rc = r == SQLITE_DONE ? 0 : rpi_index_dberr(x, NULL);
    }
    rpi_index_finish(x, st);
    return rc;
}

/* A stored pair, as read. */
typedef struct row {
    int64_t a, b; /* a < b */
    rp_pair p; /* figures as stored (a's and b's) */
    size_t why; /* offset + 1 of why in scratch, 0 when none */
} row;

static int cmp_row(const void *x, const void *y)
{
    const row *p = x, *q = y;
    if (p->p.relation != q->p.relation)
        return p->p.relation < q->p.relation ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

static rp_relation relation_named(const char *name)
{
    for (int r = 0; r < RP_REL_UNRELATED; r++)
        if (name && strcmp(name, rp_relation_name((rp_relation)r)) == 0)
            return (rp_relation)r;
    return RP_REL_UNRELATED;
}

int64_t rp_index_related(rp_index *x, int64_t number,
                         void (*fn)(void *user, const rp_index_pair *p), void *user)
{
    x->err[0] = 0;
    x->scratch.len = 0;
    static const char *const sql[] = {
        ("SELECT a, b, relation, jaccard, containment_a, containment_b, passages, coverage_a,"
         " coverage_b, why, differences, event, specifics, similarity FROM relations WHERE a = ?1"
         " UNION ALL SELECT a, b, relation, jaccard, containment_a, containment_b, passages,"
         " coverage_a, coverage_b, why, differences, event, specifics, similarity FROM relations"
         " WHERE b = ?1"),
        "SELECT " DOC_COLUMNS " FROM docs WHERE doc = ?",
        ("SELECT a_start, a_end, b_start, b_end, score FROM passages WHERE a = ? AND b = ?"
         " ORDER BY a_start, b_start"),
        ("SELECT a_start, a_end, b_start, b_end, kind FROM differences WHERE a = ? AND b = ?"
         " ORDER BY a_start, b_start")};
    enum { NSQL = sizeof sql / sizeof *sql };
    sqlite3_stmt *st[NSQL] = {NULL};
    row *rows = NULL;
    size_t nrows = 0, caprows = 0, cappas = 0, capdif = 0;
    rp_passage *pas = NULL;
    rp_difference *dif = NULL;
    int64_t rc = RP_OK;
    for (int k = 0; rc == RP_OK && k < NSQL; k++)
        rc = rpi_index_prepare(x, sql[k], &st[k]);
    if (rc == RP_OK)
        sqlite3_bind_int64(st[0], 1, number);
    int r = SQLITE_DONE;
    while (rc == RP_OK && (r = sqlite3_step(st[0])) == SQLITE_ROW) {
        rc = rpi_grow((void **)&rows, &caprows, nrows + 1, sizeof *rows);
        if (rc != RP_OK)
            break;
        row *w = &rows[nrows++];
        memset(w, 0, sizeof *w);
        w->a = sqlite3_column_int64(st[0], 0);
        w->b = sqlite3_column_int64(st[0], 1);
        w->p.relation = relation_named((const char *)sqlite3_column_text(st[0], 2));
        w->p.jaccard = sqlite3_column_double(st[0], 3);
        w->p.containment_a = sqlite3_column_double(st[0], 4);
        w->p.containment_b = sqlite3_column_double(st[0], 5);
        w->p.npassages = (uint32_t)sqlite3_column_int64(st[0], 6);
        w->p.coverage_a = sqlite3_column_double(st[0], 7);
        w->p.coverage_b = sqlite3_column_double(st[0], 8);
        const char *why = (const char *)sqlite3_column_text(st[0], 9);
        if (why) {
            w->why = x->scratch.len + 1;
            rc = rpi_buf_append(&x->scratch, why, strlen(why) + 1);
        }
        w->p.ndifferences = (uint32_t)sqlite3_column_int64(st[0], 10);
        w->p.event = sqlite3_column_double(st[0], 11);
        w->p.specifics = sqlite3_column_double(st[0], 12);
        w->p.similarity = sqlite3_column_double(st[0], 13);
    }
    if (rc == RP_OK && r != SQLITE_DONE)
        rc = rpi_index_dberr(x, NULL);
    if (rc == RP_OK && nrows > 1)
        qsort(rows, nrows, sizeof *rows, cmp_row);
    size_t base = x->scratch.len; /* the whys stay; documents go after them, per pair */
    for (size_t i = 0; rc == RP_OK && i < nrows; i++) {
        row *w = &rows[i];
        int flip = w->b == number; /* orient from the document asked about */
        int64_t other = flip ? w->a : w->b;
        rp_indexed da, db;
        x->scratch.len = base;
        for (int side = 0; rc == RP_OK && side < 2; side++) {
            sqlite3_reset(st[1]);
            sqlite3_bind_int64(st[1], 1, side ? other : number);
            if (sqlite3_step(st[1]) != SQLITE_ROW)
                rc = rpi_index_dberr(x, "a document of a pair is missing");
            else
                rc = load_doc(x, st[1], 0, side ? &db : &da);
        }
        size_t np = 0, nd = 0;
        for (int k = 2; rc == RP_OK && k < 4; k++) {
            sqlite3_reset(st[k]);
            sqlite3_bind_int64(st[k], 1, w->a);
            sqlite3_bind_int64(st[k], 2, w->b);
            while (rc == RP_OK && (r = sqlite3_step(st[k])) == SQLITE_ROW) {
                uint32_t v[4];
                for (int c = 0; c < 4; c++)
                    v[c] = (uint32_t)sqlite3_column_int64(st[k], c);
                uint32_t as = flip ? v[2] : v[0], ae = flip ? v[3] : v[1];
                uint32_t bs = flip ? v[0] : v[2], be = flip ? v[1] : v[3];
                if (k == 2) {
                    rc = rpi_grow((void **)&pas, &cappas, np + 1, sizeof *pas);
                    if (rc == RP_OK)
                        pas[np++] = (rp_passage){0, 1, as, ae, bs, be,
                                                 sqlite3_column_double(st[k], 4)};
                } else {
                    const char *kind = (const char *)sqlite3_column_text(st[k], 4);
                    size_t at = x->scratch.len;
                    rc = rpi_grow((void **)&dif, &capdif, nd + 1, sizeof *dif);
                    if (rc == RP_OK)
                        rc = rpi_buf_append(&x->scratch, kind ? kind : "", strlen(kind ? kind : "") + 1);
                    if (rc == RP_OK)
                        dif[nd++] = (rp_difference){0, 1, as, ae, bs, be,
                                                    (const char *)(uintptr_t)(at + 1)};
                }
            }
            if (rc == RP_OK && r != SQLITE_DONE)
                rc = rpi_index_dberr(x, NULL);
        }
        if (rc != RP_OK)
            break;
        fix_doc(x, &da);
        fix_doc(x, &db);
        for (size_t k = 0; k < nd; k++)
            dif[k].kind = x->scratch.data + ((uintptr_t)dif[k].kind - 1);
        rp_pair p = w->p;
        p.a = 0;
        p.b = 1;
        p.why = w->why ? x->scratch.data + w->why - 1 : NULL;
        if (flip) {
            p.containment_a = w->p.containment_b;
            p.containment_b = w->p.containment_a;
            p.coverage_a = w->p.coverage_b;
            p.coverage_b = w->p.coverage_a;
        }
        rp_index_pair ip = {&da, &db, p, pas, np, dif, nd};
        if (fn)
            fn(user, &ip);
    }
    for (int k = 0; k < NSQL; k++)
        rpi_index_finish(x, st[k]);
    rpi_free(rows);
    rpi_free(pas);
    rpi_free(dif);
    return rc == RP_OK ? (int64_t)nrows : rc;
}

int64_t rp_index_members(rp_index *x, int story, int64_t id,
                         void (*fn)(void *user, const rp_indexed *d), void *user)
{
    x->err[0] = 0;
    sqlite3_stmt *st;
    RP_TRY(rpi_index_prepare(x, story ? "SELECT " DOC_COLUMNS " FROM docs WHERE story = ? ORDER BY doc"
                                      : "SELECT " DOC_COLUMNS " FROM docs WHERE cluster = ? ORDER BY doc",
                             &st));
    sqlite3_bind_int64(st, 1, id);
    int64_t n = 0;
    int rc = RP_OK, r;
    while (rc == RP_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        rp_indexed d;
        x->scratch.len = 0;
        rc = load_doc(x, st, 0, &d);
        if (rc == RP_OK) {
            fix_doc(x, &d);
            if (fn)
                fn(user, &d);
            n++;
        }
    }
    if (rc == RP_OK && r != SQLITE_DONE)
        rc = rpi_index_dberr(x, NULL);
    rpi_index_finish(x, st);
    return rc == RP_OK ? n : rc;
}

/* An event while it is gathered. */
typedef struct ev {
    int64_t story, size;
    int64_t first, last; /* date keys, INT64_MAX unknown */
    int self;
} ev;

static int cmp_ev(const void *x, const void *y)
{
    const ev *p = x, *q = y;
    if (p->first != q->first)
        return p->first < q->first ? -1 : 1;
    return (p->story > q->story) - (p->story < q->story);
}

int64_t rp_index_timeline(rp_index *x, int64_t id,
                          void (*fn)(void *user, const rp_index_event *e), void *user)
{
    x->err[0] = 0;
    static const char *const sql[] = {
        "SELECT doc FROM docs WHERE story = ?",
        ("SELECT d.story FROM relations r JOIN docs d ON d.doc = r.b WHERE r.a = ?1 UNION"
         " SELECT d.story FROM relations r JOIN docs d ON d.doc = r.a WHERE r.b = ?1"),
        "SELECT count(*) FROM docs WHERE story = ?",
        "SELECT date FROM docs WHERE story = ? AND date IS NOT NULL"};
    enum { NSQL = sizeof sql / sizeof *sql };
    sqlite3_stmt *st[NSQL] = {NULL};
    rpi_vec stories = {0};
    rpi_sortbuf tmp = {0};
    ev *evs = NULL;
    size_t nev = 0;
    int rc = RP_OK, r = SQLITE_DONE;
    for (int k = 0; rc == RP_OK && k < NSQL; k++)
        rc = rpi_index_prepare(x, sql[k], &st[k]);
    /* The stories its members relate to (any stored pair across stories: the
     * story rule left them apart, so they are other events on its subject). */
    rpi_vec members = {0};
    if (rc == RP_OK) {
        sqlite3_bind_int64(st[0], 1, id);
        while (rc == RP_OK && (r = sqlite3_step(st[0])) == SQLITE_ROW)
            rc = rpi_vec_push(&members, (uint64_t)sqlite3_column_int64(st[0], 0));
        if (rc == RP_OK && r != SQLITE_DONE)
            rc = rpi_index_dberr(x, NULL);
    }
    if (rc == RP_OK && members.n)
        rc = rpi_vec_push(&stories, (uint64_t)id);
    for (size_t i = 0; rc == RP_OK && i < members.n; i++) {
        sqlite3_reset(st[1]);
        sqlite3_bind_int64(st[1], 1, (int64_t)members.v[i]);
        while (rc == RP_OK && (r = sqlite3_step(st[1])) == SQLITE_ROW)
            rc = rpi_vec_push(&stories, (uint64_t)sqlite3_column_int64(st[1], 0));
        if (rc == RP_OK && r != SQLITE_DONE)
            rc = rpi_index_dberr(x, NULL);
    }
    if (rc == RP_OK)
        rc = rpi_sort_distinct(stories.v, stories.n, &tmp.v, &tmp.cap, &stories.n);
    if (rc == RP_OK && stories.n)
        evs = rpi_malloc(stories.n * sizeof *evs);
    if (rc == RP_OK && stories.n && !evs)
        rc = RP_ENOMEM;
    for (size_t i = 0; rc == RP_OK && i < stories.n; i++) {
        ev *e = &evs[nev++];
        *e = (ev){(int64_t)stories.v[i], 0, INT64_MAX, INT64_MAX, (int64_t)stories.v[i] == id};
        sqlite3_reset(st[2]);
        sqlite3_bind_int64(st[2], 1, e->story);
        if (sqlite3_step(st[2]) == SQLITE_ROW)
            e->size = sqlite3_column_int64(st[2], 0);
        sqlite3_reset(st[3]);
        sqlite3_bind_int64(st[3], 1, e->story);
        while ((r = sqlite3_step(st[3])) == SQLITE_ROW) {
            const char *d = (const char *)sqlite3_column_text(st[3], 0);
            int64_t k = d ? rpi_date_key(d, strlen(d)) : INT64_MAX;
            if (k == INT64_MAX)
                continue;
            if (e->first == INT64_MAX || k < e->first)
                e->first = k;
            if (e->last == INT64_MAX || k > e->last)
                e->last = k;
        }
        if (r != SQLITE_DONE)
            rc = rpi_index_dberr(x, NULL);
    }
    if (rc == RP_OK && nev > 1)
        qsort(evs, nev, sizeof *evs, cmp_ev);
    for (size_t i = 0; rc == RP_OK && fn && i < nev; i++) {
        rp_index_event e = {evs[i].story, evs[i].size, "", "", evs[i].self};
        rpi_date_day(evs[i].first, e.first);
        rpi_date_day(evs[i].last, e.last);
        fn(user, &e);
    }
    for (int k = 0; k < NSQL; k++)
        rpi_index_finish(x, st[k]);
    rpi_free(members.v);
    rpi_free(stories.v);
    rpi_free(tmp.v);
    rpi_free(evs);
    return rc == RP_OK ? (int64_t)nev : rc;
}
