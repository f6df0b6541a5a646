/* SPDX-License-Identifier: MIT */
/*
 * place.c -- adding a batch of documents to the index (rp_index_add).
 *
 * A batch runs the scan's own pipeline twice, on a part of the collection,
 * with the statistics of the whole collection (rpi_hooks):
 *
 *  1. The new documents alone (run A). Their counting keys, band keys,
 *     sampled n-grams and key terms are captured; the counts they are
 *     weighed with are the index's plus their own.
 *  2. Their candidates are looked up in the index: the documents sharing a
 *     band key (copies), two sampled n-grams (passages) or two key terms (a
 *     story without shared wording), as the scan pairs them, with the same
 *     caps on keys too common to be evidence.
 *  3. The candidates and the new documents together (run C): only the pairs
 *     of a new document are compared. What the scan would say of those pairs
 *     in a collection holding the index and the batch, this says, except
 *     where a later document changes the statistics (README "The index").
 *
 * Each new document is then placed in input order, as if added one at a
 * time: its strongest relation to a document before it, its copy cluster
 * (the copies' clusters join), its story (the story rule of story.c for one
 * new unit: it joins the story more than half of whose units it is a story
 * pair of). Everything is written in one transaction, under the write lock
 * taken before the candidates are looked up (a large batch writes its
 * postings and counts meanwhile: ahead_start), so that a batch is all there
 * or not at all, and a query reads a snapshot without blocking the writer.
 */
#include "index_int.h"

#include "doc_features.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

/* The scan's caps (pairs.c): keys in more documents are no evidence of reuse. */
#define RPI_GRAM_CAP 100
#define RPI_TERM_CAP 50

/* Runs of at most this many documents, or inputs of at most this many bytes,
 * use one thread (a query, a single add): they are done before a second
 * thread would have started. */
#define RPI_SMALL_RUN 64
#define RPI_SMALL_BYTES 65536



/* ---- statistics of the whole collection --------------------------------------- */

/* A slot of a count table, by its key as SQLite orders it (signed). */
typedef struct keyslot {
    int64_t key;
    rpi_counter_slot *slot;
} keyslot;

static int cmp_keyslot(const void *x, const void *y)
{
    const keyslot *p = x, *q = y;
    return (p->key > q->key) - (p->key < q->key);
}

/* The used slots of t, in table order; free *out with rpi_free. */
static int used_slots(const rpi_counts *t, keyslot **out, size_t *nout)
{
    size_t n = 0;
    for (int s = 0; s < RPI_SHARDS; s++)
        n += t->shard[s].slot ? t->shard[s].used : 0;
    keyslot *ks = *out = rpi_malloc(n * sizeof *ks + 1);
    if (!ks)
        return RP_ENOMEM;
    size_t m = 0;
    for (int s = 0; s < RPI_SHARDS; s++) {
        const rpi_counter *ct = &t->shard[s];
        for (size_t i = 0; ct->slot && i <= ct->mask && m < n; i++)
            if (ct->slot[i].key)
                ks[m++] = (keyslot){(int64_t)ct->slot[i].key, &ct->slot[i]};
    }
    *nout = m;
    return RP_OK;
}

/* The used slots of t, by key as SQLite orders keys; free *out with rpi_free. */
static int sorted_slots(const rpi_counts *t, keyslot **out, size_t *nout)
{
    RP_TRY(used_slots(t, out, nout));
    qsort(*out, *nout, sizeof **out, cmp_keyslot);
    return RP_OK;
}

/* Set a slot's count to the collection's: c in the index, plus the new
 * documents' (counted by this run itself in run A; in own for run C). */
static void set_count(const batch *bt, const rpi_counts *own, keyslot *k, uint64_t c)
{
    c += bt->run == 0 ? k->slot->count : rpi_counts_get(own, (uint64_t)k->key);
    k->slot->count = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* The index's count of key (q: its statement, line or term counts) into *c. */
static int index_count(const batch *bt, sqlite3_stmt *q, int64_t key, uint64_t *c)
{
    sqlite3_bind_int64(q, 1, key);
    int r = sqlite3_step(q);
    *c = r == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(q, 0) : 0;
    /* Reset at once: a statement left on its row keeps the connection reading
     * its snapshot past the commit, where no checkpoint can copy the log and
     * the log grew without end (128,000 pages in bench_index's batches). */
    sqlite3_reset(q);
    return r == SQLITE_ROW || r == SQLITE_DONE ? RP_OK : rpi_index_dberr(bt->x, NULL);
}

/* Set each count of t to the collection's. Keys the cache holds are set at
 * once; the others are looked up in the order of the index's B-tree, so that
 * its pages are read once, not once a key (sorting every key of a query, most
 * of them cached, was 7% of its time). A hit or a miss gives the same count:
 * the cache follows every write (rpi_countcache_add, rpi_index_check_cache). */
static int set_counts(batch *bt, sqlite3_stmt *q, rpi_counts *t, const rpi_counts *own,
                      rpi_countcache *cache)
{
    keyslot *ks;
    size_t m, nmiss = 0;
    RP_TRY(used_slots(t, &ks, &m));
    for (size_t i = 0; i < m; i++) {
        uint32_t cached;
        if (rpi_countcache_get(cache, (uint64_t)ks[i].key, &cached))
            set_count(bt, own, &ks[i], cached);
        else
            ks[nmiss++] = ks[i];
    }
    qsort(ks, nmiss, sizeof *ks, cmp_keyslot);
    int rc = RP_OK;
    for (size_t i = 0; rc == RP_OK && i < nmiss; i++) {
        uint64_t c;
        if ((rc = index_count(bt, q, ks[i].key, &c)) != RP_OK)
            break;
        rc = rpi_countcache_put(cache, (uint64_t)ks[i].key,
                                c > UINT32_MAX ? UINT32_MAX : (uint32_t)c);
        set_count(bt, own, &ks[i], c);
    }
    rpi_free(ks);
    return rc;
}

/* The collection's count of a key a run's table kept outside (rpi_count_fn):
 * the index's, plus the new documents' (count itself in run A; own in run C). */
typedef struct outside_count {
    batch *bt;
    sqlite3_stmt *q; /* the key's count in the index */
    const rpi_counts *own;
    int rc; /* a failed look-up */
} outside_count;

static uint32_t count_outside(void *ctx, uint64_t key, uint32_t count)
{
    outside_count *o = ctx;
    uint64_t c;
    if (o->rc != RP_OK || (o->rc = index_count(o->bt, o->q, (int64_t)key, &c)) != RP_OK)
        return count;
    c += o->bt->run == 0 ? count : rpi_counts_get(o->own, key);
    return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* The collection's counts in table t: its slots (set_counts), then the keys
 * a batch of more than about 140,000 documents leaves outside its tables
 * (rpi_counter_settle), as a scan settles them. */
static int collection_counts(batch *bt, rp_corpus *c, sqlite3_stmt *q, rpi_counts *t,
                             const rpi_counts *own, rpi_countcache *cache)
{
    RP_TRY(set_counts(bt, q, t, own, cache));
    outside_count o = {bt, q, own, RP_OK};
    int rc = rpi_features_counts_settle(c, t, count_outside, &o);
    return rc != RP_OK ? rc : o.rc;
}

/* The collection's count of a key a small run reads (rpi_counter.resolve),
 * as set_count gives it: the index's (the cache's, or looked up), plus the
 * new documents'. */
static uint32_t resolve_count(void *ctx, uint64_t key, uint32_t count)
{
    rpi_lazy_count *l = ctx;
    uint32_t cached;
    uint64_t c;
    if (l->rc != RP_OK)
        return count;
    if (rpi_countcache_get(l->cache, key, &cached)) {
        c = cached;
    } else {
        if ((l->rc = index_count(l->bt, l->q, (int64_t)key, &c)) != RP_OK)
            return count;
        l->rc = rpi_countcache_put(l->cache, key, c > UINT32_MAX ? UINT32_MAX : (uint32_t)c);
    }
    c += l->bt->run == 0 ? count : rpi_counts_get(l->own, key);
    return c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
}

/* Is the count of a line key certainly below min without looking it up
 * (rpi_counter.below)? Not listed as frequent, it is in at most
 * RPI_LINE_FREQUENT - 1 indexed documents, plus the new documents'. */
static int line_below(void *ctx, uint64_t key, uint32_t count, uint32_t min)
{
    rpi_lazy_count *l = ctx;
    const rp_index *x = l->bt->x;
    uint64_t own = l->bt->run == 0 ? count : rpi_counts_get(l->own, key);
    size_t lo = 0, hi = x->nfreq;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->freq[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < x->nfreq && x->freq[lo] == key)
        return 0;
    return RPI_LINE_FREQUENT - 1 + own < min;
}

/*
 * A run asks the index for the counts of the keys it reads, as it reads them:
 * a line's neighbour and source keys are read only for a line frequent
 * enough to be furniture, and the words of furniture not at all. Setting
 * every key of the run at once (set_counts) read 51 line keys a document,
 * most of them in none of the cache's pages: at 100,000 documents 1.6 ms of
 * a query, where its candidates' reading and features took 0.6 ms. A run of
 * several threads takes bt->lock for each look-up (one thread at a time may
 * use the connection); it reads line counts this way only when the index
 * lists its frequent lines (line_below: otherwise every line key would be
 * looked up one by one, where set_counts reads them in the B-tree's order).
 * A table past its size is settled at once.
 */
static int lazy_counts(batch *bt, rp_corpus *c, int k, sqlite3_stmt *q, rpi_counts *t,
                       const rpi_counts *own, rpi_countcache *cache, int *done)
{
    *done = 0;
    int listed = bt->x->freq_state > 0;
    if (c->nthreads != 1 && k == 0 && !listed)
        return RP_OK;
    for (int s = 0; s < RPI_SHARDS; s++)
        if (rpi_counter_spilled(&t->shard[s]) || t->shard[s].err)
            return RP_OK; /* (settled: a lost key's error surfaces there) */
    bt->lazy[k] = (rpi_lazy_count){bt, q, own, cache, RP_OK};
    for (int s = 0; s < RPI_SHARDS; s++) {
        t->shard[s].resolve = resolve_count;
        t->shard[s].resolve_ctx = &bt->lazy[k];
        t->shard[s].resolve_lock = c->nthreads != 1 ? &bt->lock : NULL;
        t->shard[s].below = k == 0 && listed ? line_below : NULL;
    }
    *done = 1;
    return RP_OK;
}

static int stats_hook(void *ctx, rp_corpus *c)
{
    batch *bt = ctx;
    double t0 = rpi_now();
    c->hooks.ndocs = (uint64_t)bt->nindexed + (bt->run == 0 ? c->ndocs : bt->n);
    rpi_counts *t[2] = {&c->lines, &c->terms};
    const rpi_counts *own[2] = {&bt->own, &bt->own_terms};
    sqlite3_stmt *q[2] = {bt->q_line, bt->q_term};
    int rc = RP_OK;
    for (int k = 0; rc == RP_OK && k < 2; k++) {
        int lazy;
        rc = lazy_counts(bt, c, k, q[k], t[k], own[k], &bt->x->cache[k], &lazy);
        if (rc == RP_OK && !lazy && c->hooks.resolved_counts) {
            /* (it counted no key: every count would read 0) */
            rpi_fmt(bt->x->err, sizeof bt->x->err, "internal error: the counts of a run are not read");
            rc = RP_EINTERNAL;
        }
        if (rc == RP_OK && !lazy)
            rc = collection_counts(bt, c, q[k], t[k], own[k], &bt->x->cache[k]);
    }
    if (bt->run == 1)
        bt->t_counts += rpi_now() - t0;
    return rc;
}

/* A look-up that failed in a small run (resolve_count): the run's error. */
static int lazy_failed(const batch *bt)
{
    for (int k = 0; k < 2; k++)
        if (bt->lazy[k].bt && bt->lazy[k].rc != RP_OK)
            return bt->lazy[k].rc;
    return RP_OK;
}

/* ---- run A and the candidates -------------------------------------------------- */

/* Are the inputs a few regular files of a few KB in all (a query, a single add)? */
static int small_inputs(const char *const *inputs, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(inputs[i], &st) != 0 || !S_ISREG(st.st_mode))
            return 0;
        total += (uint64_t)st.st_size;
    }
    return total <= RPI_SMALL_BYTES;
}

/* Can the inputs be read again (files and folders, not standard input or a
 * pipe)? An add that reads on a snapshot may have to (add). */
static int rereadable(const char *const *inputs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(inputs[i], "-") == 0 || stat(inputs[i], &st) != 0 ||
            !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
            return 0;
    }
    return 1;
}

static int run_a(batch *bt, const char *const *inputs, size_t ninputs, const char *name)
{
    rp_index *x = bt->x;
    rp_options o = x->opt;
    if (bt->again)
        o.warn = NULL; /* (the first reading gave them) */
    o.fast = 0;
    o.all_pairs = 0;
    o.reworded = 0; /* the index stores what scan reports by default */
    o.reread = 0;
    o.progress = NULL;
    if (bt->mem ? bt->memlen <= RPI_SMALL_BYTES : small_inputs(inputs, ninputs))
        o.threads = 1;
    int rc = rp_corpus_open(&bt->a, &o);
    rpi_memsrc src;
    if (rc == RP_OK && bt->mem)
        rc = rpi_corpus_add_memory(bt->a, name, bt->mem, bt->memlen, &src);
    for (size_t i = 0; rc == RP_OK && !bt->mem && i < ninputs; i++)
        rc = name ? rpi_corpus_add_named(bt->a, inputs[i], name)
                  : rp_corpus_add_input(bt->a, inputs[i]);
    if (rc == RP_OK) {
        /* (an add keeps what pass 2 computes of its documents, stored.c: for
         * the index, and for run C, which takes it instead of computing it
         * again. A query does not: most have no candidate and no run C, 58%
         * at 99,200 generated documents, where it cost 0.12 ms a query.) */
        rpi_hooks h = {.ctx = bt, .stats = stats_hook, .capture = 1, .store = !bt->query,
                       .vectors = 1};
        rpi_corpus_hooks(bt->a, &h);
        bt->run = 0;
        rc = rp_corpus_run(bt->a);
        if (rc == RP_OK)
            rc = lazy_failed(bt);
    }
    if (rc != RP_OK && bt->a && !x->err[0])
        rpi_fmt(x->err, sizeof x->err, "%s", rp_errmsg(bt->a));
    if (rc == RP_OK)
        bt->n = rp_corpus_ndocs(bt->a);
    return rc;
}

/* The counting keys of indexed document g (keys depend on its text and source
 * only): the pipeline's first pass run on it again, into *keys. */
static int keys_of(rp_index *x, int64_t g, rpi_vec *keys)
{
    sqlite3_stmt *q = NULL;
    rp_corpus *c = NULL;
    RP_TRY(rpi_index_prepare(x, "SELECT id, text, date, source, url, title FROM docs "
                                "WHERE doc = ?", &q));
    sqlite3_bind_int64(q, 1, g);
    rpi_hooks h = {.capture = 1};
    int rc = rpi_index_run_rows(x, q, 0, &h, 1, &c);
    if (rc == RP_OK && !c)
        rc = rpi_index_dberr(x, "a replaced document is missing");
    for (size_t i = 0; rc == RP_OK && i < c->cap_keys.n; i++)
        rc = rpi_vec_push(keys, c->cap_keys.v[i]);
    rp_corpus_close(c);
    return rc;
}

/* Remove indexed document g: its counts, postings, relations and row. */
static int delete_doc(rp_index *x, int64_t g)
{
    static const char *const sql[] = {
        "SELECT postings FROM docs WHERE doc = ?1",
        "UPDATE line_counts SET n = n - 1 WHERE key = ?1",
        "UPDATE term_counts SET n = n - 1 WHERE key = ?1",
        "DELETE FROM bands WHERE key = ?1 AND doc = ?2",
        "DELETE FROM grams WHERE key = ?1 AND doc = ?2",
        "DELETE FROM terms WHERE key = ?1 AND doc = ?2",
        "DELETE FROM relations WHERE a = ?1 OR b = ?1",
        "DELETE FROM passages WHERE a = ?1 OR b = ?1",
        "DELETE FROM differences WHERE a = ?1 OR b = ?1",
        "DELETE FROM vectors WHERE doc = ?1",
        "DELETE FROM docs WHERE doc = ?1"};
    enum { NSQL = sizeof sql / sizeof *sql };
    sqlite3_stmt *st[NSQL] = {NULL};
    rpi_vec keys = {0};
    int rc = keys_of(x, g, &keys);
    for (int k = 0; rc == RP_OK && k < NSQL; k++)
        rc = rpi_index_prepare(x, sql[k], &st[k]);
    /* Counting keys: the number of line keys, the line keys, the word keys. */
    for (size_t i = 1; rc == RP_OK && i < keys.n; i++) {
        sqlite3_stmt *u = i <= keys.v[0] ? st[1] : st[2];
        sqlite3_bind_int64(u, 1, (int64_t)keys.v[i]);
        rc = sqlite3_step(u) == SQLITE_DONE ? RP_OK : rpi_index_dberr(x, NULL);
        sqlite3_reset(u);
    }
    if (rc == RP_OK) {
        sqlite3_bind_int64(st[0], 1, g);
        if (sqlite3_step(st[0]) != SQLITE_ROW)
            rc = rpi_index_dberr(x, "a replaced document is missing");
    }
    if (rc == RP_OK) {
        /* Postings: (table, key) pairs (copied out: a blob need not be aligned). */
        const char *p = sqlite3_column_blob(st[0], 0);
        size_t np = (size_t)sqlite3_column_bytes(st[0], 0) / (2 * sizeof(uint64_t));
        for (size_t i = 0; rc == RP_OK && i < np; i++) {
            uint64_t tk[2];
            memcpy(tk, p + 2 * i * sizeof(uint64_t), sizeof tk);
            sqlite3_stmt *u = st[3 + (tk[0] % 3)];
            sqlite3_bind_int64(u, 1, (int64_t)tk[1]);
            sqlite3_bind_int64(u, 2, g);
            rc = sqlite3_step(u) == SQLITE_DONE ? RP_OK : rpi_index_dberr(x, NULL);
            sqlite3_reset(u);
        }
    }
    for (int k = 6; rc == RP_OK && k < NSQL; k++) {
        sqlite3_bind_int64(st[k], 1, g);
        rc = sqlite3_step(st[k]) == SQLITE_DONE ? RP_OK : rpi_index_dberr(x, NULL);
    }
    for (int k = 0; k < NSQL; k++)
        rpi_index_finish(x, st[k]);
    if (rc == RP_OK && x->features > 0) { /* (an add made the table: rpi_index_make_features) */
        sqlite3_stmt *df = NULL;
        rc = rpi_index_prepare(x, "DELETE FROM features WHERE doc = ?", &df);
        if (rc == RP_OK) {
            sqlite3_bind_int64(df, 1, g);
            rc = sqlite3_step(df) == SQLITE_DONE ? RP_OK : rpi_index_dberr(x, NULL);
        }
        rpi_index_finish(x, df);
    }
    rpi_free(keys.v);
    return rc;
}

/* After indexed document g left cluster oc and story os: the rest of its
 * cluster is split into what its copy pairs still join (each part numbered by
 * its first document), and the rest of its story is recomputed with the
 * batch's stories (bt->reseed). */
static int regroup_after(batch *bt, int64_t oc, int64_t os)
{
    rp_index *x = bt->x;
    sqlite3_stmt *qm = NULL, *qp = NULL, *up = NULL, *qs = NULL;
    rpi_vec m = {0};
    uint32_t *parent = NULL;
    int rc = rpi_index_prepare(x, "SELECT doc FROM docs WHERE cluster = ? ORDER BY doc", &qm);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "SELECT b FROM relations WHERE a = ? AND relation IN "
                                  "('duplicate', 'near-duplicate')", &qp);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "UPDATE docs SET cluster = ? WHERE doc = ?", &up);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "SELECT doc FROM docs WHERE story = ?", &qs);
    int r = SQLITE_DONE;
    if (rc == RP_OK) {
        sqlite3_bind_int64(qm, 1, oc);
        while (rc == RP_OK && (r = sqlite3_step(qm)) == SQLITE_ROW)
            rc = rpi_vec_push(&m, (uint64_t)sqlite3_column_int64(qm, 0));
        if (rc == RP_OK && r != SQLITE_DONE)
            rc = rpi_index_dberr(x, NULL);
    }
    parent = rpi_malloc(m.n * sizeof *parent + 1);
    if (rc == RP_OK && !parent)
        rc = RP_ENOMEM;
    for (size_t i = 0; rc == RP_OK && i < m.n; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; rc == RP_OK && i < m.n; i++) {
        sqlite3_reset(qp);
        sqlite3_bind_int64(qp, 1, (int64_t)m.v[i]);
        while ((r = sqlite3_step(qp)) == SQLITE_ROW) {
            uint64_t o = (uint64_t)sqlite3_column_int64(qp, 0);
            for (size_t j = i + 1; j < m.n; j++) /* members are few: a copy cluster */
                if (m.v[j] == o) {
                    uint32_t ri = rpi_uf_find(parent, (uint32_t)i), rj = rpi_uf_find(parent, (uint32_t)j);
                    parent[ri > rj ? ri : rj] = ri < rj ? ri : rj;
                }
        }
        if (r != SQLITE_DONE)
            rc = rpi_index_dberr(x, NULL);
    }
    for (size_t i = 0; rc == RP_OK && i < m.n; i++) {
        int64_t label = (int64_t)m.v[rpi_uf_find(parent, (uint32_t)i)];
        if (label == oc)
            continue;
        sqlite3_reset(up);
        sqlite3_bind_int64(up, 1, label);
        sqlite3_bind_int64(up, 2, (int64_t)m.v[i]);
        rc = sqlite3_step(up) == SQLITE_DONE ? RP_OK : rpi_index_dberr(x, NULL);
    }
    if (rc == RP_OK) {
        sqlite3_bind_int64(qs, 1, os);
        while (rc == RP_OK && (r = sqlite3_step(qs)) == SQLITE_ROW)
            rc = rpi_vec_push(&bt->reseed, (uint64_t)sqlite3_column_int64(qs, 0));
        if (rc == RP_OK && r != SQLITE_DONE)
            rc = rpi_index_dberr(x, NULL);
    }
    rpi_index_finish(bt->x, qm);
    rpi_index_finish(bt->x, qp);
    rpi_index_finish(bt->x, up);
    rpi_index_finish(bt->x, qs);
    rpi_free(m.v);
    rpi_free(parent);
    return rc;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Ids already indexed: an error, or with replace the indexed document goes. */
static int check_ids(batch *bt, int replace)
{
    rp_index *x = bt->x;
    sqlite3_stmt *q;
    RP_TRY(rpi_index_prepare(x, "SELECT doc FROM docs WHERE id = ?", &q));
    int rc = RP_OK;
    rpi_vec gone = {0}; /* the replaced documents' numbers */
    for (uint32_t d = 0; rc == RP_OK && d < bt->n; d++) {
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, rp_doc_id(bt->a, d), -1, SQLITE_STATIC);
        int r = sqlite3_step(q);
        if (r == SQLITE_ROW && replace) {
            int64_t g = sqlite3_column_int64(q, 0);
            sqlite3_reset(q);
            rp_indexed old;
            rc = rp_index_get(x, NULL, g, &old) == 1 ? RP_OK : rpi_index_dberr(x, "a replaced document is missing");
            int64_t oc = old.cluster, os = old.story;
            if (rc == RP_OK)
                rc = delete_doc(x, g);
            if (rc == RP_OK)
                rc = regroup_after(bt, oc, os);
            if (rc == RP_OK)
                rc = rpi_vec_push(&gone, (uint64_t)g);
            bt->nindexed--;
            bt->nreplaced++;
        } else if (r == SQLITE_ROW) {
            char place[600];
            rpi_doc_place(bt->a, d, place, sizeof place);
            rpi_fmt(x->err, sizeof x->err,
                    "%s: document \"%s\" is already in the index %s (as number %lld); "
                    "'reprint index add --replace' replaces it",
                    place, rp_doc_id(bt->a, d), x->path, (long long)sqlite3_column_int64(q, 0));
            rc = RP_EBADINPUT;
        } else if (r != SQLITE_DONE) {
            rc = rpi_index_dberr(x, NULL);
        }
    }
    /* A story regrouped after one replaced document may hold another one replaced
     * later in the batch: only documents still indexed are reseeded. */
    size_t k = 0;
    if (gone.n > 1)
        qsort(gone.v, gone.n, sizeof *gone.v, cmp_u64);
    for (size_t i = 0; rc == RP_OK && i < bt->reseed.n; i++)
        if (!gone.n || !bsearch(&bt->reseed.v[i], gone.v, gone.n, sizeof *gone.v, cmp_u64))
            bt->reseed.v[k++] = bt->reseed.v[i];
    if (rc == RP_OK)
        bt->reseed.n = k;
    rpi_free(gone.v);
    rpi_index_finish(bt->x, q);
    return rc;
}

/* The new documents' own counts, for run C (the index does not hold them yet). */
static int own_counts(batch *bt)
{
    rp_corpus *a = bt->a;
    size_t nkeys = a->cap_keys.n;
    RP_TRY(rpi_counts_init(&bt->own, 2 * nkeys + 1024, 2 * nkeys + 1024));
    RP_TRY(rpi_counts_init(&bt->own_terms, 2 * nkeys + 1024, 2 * nkeys + 1024));
    size_t k = 0;
    for (size_t d = 0; d < bt->n; d++) {
        size_t end = a->cap_keys_end[d];
        if (k == end)
            continue;
        size_t nl = (size_t)a->cap_keys.v[k];
        for (size_t i = k + 1; i < end; i++) {
            rpi_counts *t = i <= k + nl ? &bt->own : &bt->own_terms;
            rpi_counter_add(&t->shard[rpi_counts_shard(a->cap_keys.v[i])], a->cap_keys.v[i], 1);
        }
        k = end;
    }
    return RP_OK;
}

/* Documents of table (grams or terms) holding key, into hits, when at most cap do. */
static int lookup(rp_index *x, sqlite3_stmt *q, uint64_t key, int cap, rpi_vec *hits)
{
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, (int64_t)key);
    sqlite3_bind_int(q, 2, cap + 1);
    size_t n0 = hits->n;
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW)
        RP_TRY(rpi_vec_push(hits, (uint64_t)sqlite3_column_int64(q, 0)));
    if (r != SQLITE_DONE)
        return rpi_index_dberr(x, NULL);
    if (hits->n - n0 > (size_t)cap)
        hits->n = n0; /* too common */
    return RP_OK;
}

/* A new document and an indexed one holding one of its keys. */
typedef struct hit {
    uint32_t d; /* the new document */
    int64_t g; /* the indexed one */
} hit;

static int cmp_hit(const void *x, const void *y)
{
    const hit *p = x, *q = y;
    if (p->d != q->d)
        return p->d < q->d ? -1 : 1;
    return (p->g > q->g) - (p->g < q->g);
}

/* v[0..n) in the order SQLite keeps them (signed). */
static int sort_signed(uint64_t *v, size_t n, rpi_sortbuf *tmp)
{
    for (size_t i = 0; i < n; i++)
        v[i] ^= (uint64_t)1 << 63;
    RP_TRY(rpi_sort_u64(v, n, &tmp->v, &tmp->cap));
    for (size_t i = 0; i < n; i++)
        v[i] ^= (uint64_t)1 << 63;
    return RP_OK;
}

/* Hits held at once by find_candidates: 128 MB at most. */
#define RPI_HITS_MAX ((size_t)1 << 23)

/*
 * The indexed documents holding two of the keys of a new document, for the
 * postings p[0..n) (doc << 32 | key >> 32, whole documents), appended to
 * all: each key looked up once, in key order.
 */
static int group_hits(rp_index *x, sqlite3_stmt *q, int cap, const uint64_t *p, size_t n,
                      rpi_vec *keys, rpi_vec *found, hit **hits, size_t *caphits, rpi_vec *all,
                      rpi_sortbuf *tmp)
{
    keys->n = 0;
    for (size_t i = 0; i < n; i++)
        RP_TRY(rpi_vec_push(keys, p[i] << 32 | p[i] >> 32)); /* key | doc */
    RP_TRY(sort_signed(keys->v, keys->n, tmp));
    size_t nhits = 0;
    for (size_t i = 0; i < keys->n;) {
        const uint64_t key = keys->v[i] & 0xFFFFFFFF00000000ULL;
        size_t j = i;
        while (j < keys->n && (keys->v[j] & 0xFFFFFFFF00000000ULL) == key)
            j++;
        found->n = 0;
        RP_TRY(lookup(x, q, key, cap, found));
        for (size_t t = i; t < j; t++)
            for (size_t h = 0; h < found->n; h++) {
                RP_TRY(rpi_grow((void **)hits, caphits, nhits + 1, sizeof **hits));
                (*hits)[nhits++] = (hit){(uint32_t)keys->v[t], (int64_t)found->v[h]};
            }
        i = j;
    }
    if (nhits > 1)
        qsort(*hits, nhits, sizeof **hits, cmp_hit);
    for (size_t i = 0; i < nhits;) {
        size_t j = i;
        while (j < nhits && (*hits)[j].d == (*hits)[i].d && (*hits)[j].g == (*hits)[i].g)
            j++;
        if (j - i >= 2)
            RP_TRY(rpi_vec_push(all, (uint64_t)(*hits)[i].g));
        i = j;
    }
    return RP_OK;
}

/*
 * Look-ups go in the order of the tables' B-trees, each key once: a batch's
 * keys fall all over a table, and looked up document by document each one
 * read a page far from the last (at 99,200 generated documents, 14% of a
 * batch of 5,000 was these look-ups).
 */
static int find_candidates(batch *bt)
{
    rp_index *x = bt->x;
    rp_corpus *a = bt->a;
    sqlite3_stmt *qb = NULL, *qg = NULL, *qt = NULL;
    rpi_vec keys = {0}, all = {0}, found = {0}, byd = {0};
    rpi_sortbuf tmp = {0};
    hit *hits = NULL;
    size_t caphits = 0;
    int rc = rpi_index_prepare(x, "SELECT doc FROM bands WHERE key = ? LIMIT ?", &qb);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "SELECT doc FROM grams WHERE key = ? LIMIT ?", &qg);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "SELECT doc FROM terms WHERE key = ? LIMIT ?", &qt);
    if (rc != RP_OK)
        goto done;
    /* Band keys: any shared one makes a candidate (the scan verifies them all,
     * up to RPI_GROUP_CAP documents a key). */
    size_t nb = bt->n * (size_t)a->bands;
    for (size_t i = 0; rc == RP_OK && i < nb; i++)
        rc = rpi_vec_push(&keys, a->cap_bands[i]);
    if (rc == RP_OK)
        rc = sort_signed(keys.v, keys.n, &tmp);
    for (size_t i = 0; rc == RP_OK && i < keys.n; i++)
        if (i == 0 || keys.v[i] != keys.v[i - 1])
            rc = lookup(x, qb, keys.v[i], RPI_GROUP_CAP, &all);
    /* Sampled n-grams and key terms: two shared ones, per new document. */
    const rpi_vec *post[2] = {&a->cap_grams, &a->cap_terms};
    sqlite3_stmt *q[2] = {qg, qt};
    const int cap[2] = {RPI_GRAM_CAP, RPI_TERM_CAP};
    for (int k = 0; rc == RP_OK && k < 2; k++) {
        /* Postings are key << 32 | doc: by document, then key. */
        byd.n = 0;
        for (size_t i = 0; rc == RP_OK && i < post[k]->n; i++)
            rc = rpi_vec_push(&byd, post[k]->v[i] << 32 | post[k]->v[i] >> 32);
        if (rc == RP_OK)
            rc = rpi_sort_u64(byd.v, byd.n, &tmp.v, &tmp.cap);
        for (size_t g0 = 0; rc == RP_OK && g0 < byd.n;) {
            /* The documents of a group: their hits are held at once, at most
             * RPI_HITS_MAX (each key's documents are cut at cap[k]), but for a
             * document of more postings than that alone (a group never
             * splits one: as before, its hits are held together). */
            size_t g1 = g0;
            while (g1 < byd.n && (g1 == g0 || (g1 - g0) * (size_t)cap[k] < RPI_HITS_MAX ||
                                  byd.v[g1] >> 32 == byd.v[g1 - 1] >> 32))
                g1++;
            rc = group_hits(x, q[k], cap[k], byd.v + g0, g1 - g0, &keys, &found, &hits,
                            &caphits, &all, &tmp);
            g0 = g1;
        }
    }
    if (rc == RP_OK)
        rc = rpi_sort_distinct(all.v, all.n, &tmp.v, &tmp.cap, &all.n);
    if (rc == RP_OK) {
        bt->cand = (int64_t *)all.v;
        bt->ncand = all.n;
        all.v = NULL;
    }
done:
    rpi_index_finish(bt->x, qb);
    rpi_index_finish(bt->x, qg);
    rpi_index_finish(bt->x, qt);
    rpi_free(keys.v);
    rpi_free(found.v);
    rpi_free(byd.v);
    rpi_free(hits);
    rpi_free(all.v);
    rpi_free(tmp.v);
    return rc;
}

/* ---- run C: the candidates and the new documents -------------------------------- */

/* The new documents as JSONL records, after the candidates. */
static int write_new(batch *bt, FILE *f)
{
    rpi_buf b = {0};
    int rc = RP_OK;
    static const char *const meta[] = {"date", "source", "url", "title"};
    for (uint32_t d = 0; rc == RP_OK && d < bt->n; d++) {
        char *text = NULL;
        size_t len = 0;
        b.len = 0;
        rc = rp_doc_text(bt->a, d, &text, &len);
        if (rc == RP_OK)
            rc = rpi_buf_append(&b, "{\"id\":", 6);
        if (rc == RP_OK)
            rc = rpi_json_escape(&b, rp_doc_id(bt->a, d), strlen(rp_doc_id(bt->a, d)));
        if (rc == RP_OK)
            rc = rpi_buf_append(&b, ",\"text\":", 8);
        if (rc == RP_OK)
            rc = rpi_json_escape(&b, text, len);
        for (int k = 0; rc == RP_OK && k < 4; k++) {
            const char *v = rp_doc_meta(bt->a, d, meta[k]);
            if (!v)
                continue;
            rc = rpi_buf_printf(&b, ",\"%s\":", meta[k]);
            if (rc == RP_OK)
                rc = rpi_json_escape(&b, v, strlen(v));
        }
        if (rc == RP_OK)
            rc = rpi_buf_append(&b, "}\n", 2);
        if (rc == RP_OK && fwrite(b.data, 1, b.len, f) != b.len)
            rc = RP_EIO;
        rp_free(text);
    }
    rpi_buf_free(&b);
    return rc;
}

/* ---- features as zstd frames, on the handle's threads ---------------------- */

/*
 * A batch's features are compressed before they are written and its
 * candidates' decompressed when they are read, on the run's threads: on one
 * thread (the writer's), zstd took 4% of a batch's CPU samples compressing
 * and its candidates' features took 4.3 s of 57 s to read at 100,000
 * documents (bench_index).
 */
typedef struct zjob {
    const char *const *in; /* frames or raw features; NULL: none */
    const size_t *inlen;
    char **out; /* what each became (the caller frees it) */
    size_t *outlen; /* its size */
    ZSTD_CCtx **cz; /* one a worker, compressing */
    ZSTD_DCtx **dz; /* one a worker, decompressing */
    rpi_buf *scratch; /* one a worker: a frame before it is copied to its size */
    size_t *zerr; /* one a worker: the first zstd error it met, or 0 */
} zjob;

/* The threads the handle's runs use (rp_options.threads; 0: every core). */
static int index_threads(const rp_index *x)
{
    return x->opt.threads > 0 ? x->opt.threads : rpi_ncpu();
}

/* Threads for n items: one for a few (a query's candidates), where starting
 * threads would cost more than it saves. */
static int zthreads(const rp_index *x, size_t n)
{
    enum { FEW = 256, MAXT = 256 };
    int t = index_threads(x);
    return n < FEW ? 1 : t > MAXT ? MAXT : t;
}

static int compress_range(void *ctx, int worker, size_t begin, size_t end)
{
    zjob *j = ctx;
    rpi_buf *b = &j->scratch[worker];
    for (size_t d = begin; d < end; d++) {
        if (!j->in[d])
            continue;
        size_t bound = ZSTD_compressBound(j->inlen[d]);
        RP_TRY(rpi_grow((void **)&b->data, &b->cap, bound, 1));
        size_t z = ZSTD_compress2(j->cz[worker], b->data, bound, j->in[d], j->inlen[d]);
        if (ZSTD_isError(z)) {
            j->zerr[worker] = z;
            return RP_ENOMEM;
        }
        if (!(j->out[d] = rpi_malloc(z + 1)))
            return RP_ENOMEM;
        memcpy(j->out[d], b->data, z);
        j->outlen[d] = z;
    }
    return RP_OK;
}

static int decompress_range(void *ctx, int worker, size_t begin, size_t end)
{
    zjob *j = ctx;
    for (size_t i = begin; i < end; i++) {
        if (!j->in[i])
            continue;
        /* (out[i] holds outlen[i] bytes, the frame's content size; the
         * checksum is verified) */
        size_t got = ZSTD_decompressDCtx(j->dz[worker], j->out[i], j->outlen[i], j->in[i],
                                         j->inlen[i]);
        if (ZSTD_isError(got) || got != j->outlen[i]) {
            rpi_free(j->out[i]);
            j->out[i] = NULL; /* left out: the document is computed again */
            j->outlen[i] = 0;
        }
    }
    return RP_OK;
}

/*
 * Compress in[0..n) (lengths inlen; NULL entries skipped) into zstd frames
 * with their checksums, level 1, into out/outlen (calloc'ed by the caller;
 * the caller frees them, also on failure).
 */
static int compress_all(rp_index *x, const char *const *in, const size_t *inlen, size_t n,
                        char **out, size_t *outlen)
{
    int nt = zthreads(x, n), rc = RP_OK;
    ZSTD_CCtx *cz[256] = {NULL};
    rpi_buf scratch[256] = {{0}};
    size_t zerr[256] = {0};
    for (int k = 0; k < nt && rc == RP_OK; k++)
        if (!(cz[k] = ZSTD_createCCtx()) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(cz[k], ZSTD_c_compressionLevel, 1)) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(cz[k], ZSTD_c_checksumFlag, 1)))
            rc = RP_ENOMEM;
    zjob j = {.in = in, .inlen = inlen, .out = out, .outlen = outlen, .cz = cz,
              .scratch = scratch, .zerr = zerr};
    if (rc == RP_OK)
        rc = rpi_parallel_for(nt, n, 64, compress_range, &j);
    for (int k = 0; k < nt; k++) {
        if (zerr[k] && !x->err[0])
            rpi_fmt(x->err, sizeof x->err, "cannot compress a document's features: %s",
                    ZSTD_getErrorName(zerr[k]));
        ZSTD_freeCCtx(cz[k]);
        rpi_buf_free(&scratch[k]);
    }
    return rc;
}

/* Decompress the frames in[i] (NULL: none) into out[i], allocated by the
 * caller with outlen[i] bytes, the frame's content size. One that does not
 * decompress to that is freed and left NULL. */
static int decompress_all(rp_index *x, const char *const *in, const size_t *inlen, size_t n,
                          char **out, size_t *outlen)
{
    int nt = zthreads(x, n), rc = RP_OK;
    ZSTD_DCtx *dz[256] = {NULL};
    for (int k = 0; k < nt && rc == RP_OK; k++)
        if (!(dz[k] = ZSTD_createDCtx()))
            rc = RP_ENOMEM;
    zjob j = {.in = in, .inlen = inlen, .out = out, .outlen = outlen, .dz = dz};
    if (rc == RP_OK)
        rc = rpi_parallel_for(nt, n, 64, decompress_range, &j);
    for (int k = 0; k < nt; k++)
        ZSTD_freeDCtx(dz[k]);
    return rc;
}

/* The stored features of the candidates (bt->stored), for run C's pass 2,
 * while they take at most a quarter of rp_options.memory (as a divided scan
 * sets a quarter aside for the documents it fetches); the others are computed
 * from their text. */
static int stored_features(batch *bt)
{
    rp_index *x = bt->x;
    sqlite3_stmt *q = NULL;
    bt->stored = rpi_calloc(bt->ncand + bt->n + 1, sizeof *bt->stored);
    bt->stored_len = rpi_calloc(bt->ncand + bt->n + 1, sizeof *bt->stored_len);
    if (!bt->stored || !bt->stored_len)
        return RP_ENOMEM;
    /* The new documents': run A's (borrowed), computed with the same counts. */
    for (size_t i = 0; bt->a->stored_out && i < bt->n; i++) {
        bt->stored[bt->ncand + i] = bt->a->stored_out[i];
        bt->stored_len[bt->ncand + i] = bt->a->stored_out_len[i];
    }
    if (x->features <= 0)
        return RP_OK;
    size_t room = x->opt.memory / 4;
    char **frame = rpi_calloc(bt->ncand + 1, sizeof *frame);
    size_t *framelen = rpi_calloc(bt->ncand + 1, sizeof *framelen);
    int rc = frame && framelen ? RP_OK : RP_ENOMEM;
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "SELECT blob FROM features WHERE doc = ?", &q);
    for (size_t i = 0; rc == RP_OK && i < bt->ncand; i++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, bt->cand[i]);
        int r = sqlite3_step(q);
        if (r == SQLITE_DONE)
            continue; /* none stored: computed again */
        if (r != SQLITE_ROW) {
            rc = rpi_index_dberr(x, NULL);
            break;
        }
        /* A zstd frame (write_docs), to be decompressed into memory of its own
         * (8-byte aligned, as stored.c reads it), while the room lasts. */
        size_t n = (size_t)sqlite3_column_bytes(q, 0);
        const void *p = sqlite3_column_blob(q, 0);
        unsigned long long m = p ? ZSTD_getFrameContentSize(p, n) : ZSTD_CONTENTSIZE_ERROR;
        if (m == ZSTD_CONTENTSIZE_ERROR || m == ZSTD_CONTENTSIZE_UNKNOWN || m > room)
            continue;
        if (!(bt->stored[i] = rpi_malloc((size_t)m + 1)) || !(frame[i] = rpi_malloc(n))) {
            rc = RP_ENOMEM;
            break;
        }
        memcpy(frame[i], p, n);
        framelen[i] = n;
        bt->stored_len[i] = (size_t)m;
        room -= (size_t)m;
    }
    rpi_index_finish(x, q);
    if (rc == RP_OK)
        rc = decompress_all(x, (const char *const *)frame, framelen, bt->ncand, bt->stored,
                            bt->stored_len);
    for (size_t i = 0; frame && i < bt->ncand; i++)
        rpi_free(frame[i]);
    rpi_free(frame);
    rpi_free(framelen);
    return rc;
}

/* A posting of a new document: its table (0 bands, 1 grams, 2 terms) and key. */
typedef struct posting {
    uint32_t doc, table;
    uint64_t key;
} posting;

static int cmp_posting(const void *x, const void *y)
{
    const posting *p = x, *q = y;
    if (p->doc != q->doc)
        return p->doc < q->doc ? -1 : 1;
    if (p->table != q->table)
        return p->table < q->table ? -1 : 1;
    return (p->key > q->key) - (p->key < q->key);
}

/* Postings by table, then key as SQLite orders keys (signed), then document. */
static int cmp_posting_key(const void *x, const void *y)
{
    const posting *p = x, *q = y;
    if (p->table != q->table)
        return p->table < q->table ? -1 : 1;
    if (p->key != q->key)
        return (int64_t)p->key < (int64_t)q->key ? -1 : 1;
    return (p->doc > q->doc) - (p->doc < q->doc);
}

/* Every posting of the new documents, in the order of cmp (cmp_posting: by
 * document; cmp_posting_key: by table and key). */
static int postings_of(const batch *bt, int (*cmp)(const void *, const void *), posting **out,
                       size_t *nout)
{
    const rp_corpus *a = bt->a;
    size_t nb = bt->n * (size_t)a->bands, n = nb + a->cap_grams.n + a->cap_terms_all.n;
    posting *p = rpi_malloc(n * sizeof *p + 1);
    if (!p)
        return RP_ENOMEM;
    for (size_t i = 0; i < nb; i++)
        p[i] = (posting){(uint32_t)(i / (size_t)a->bands), 0, a->cap_bands[i]};
    size_t k = nb;
    const rpi_vec *post[2] = {&a->cap_grams, &a->cap_terms_all};
    for (uint32_t t = 0; t < 2; t++)
        for (size_t i = 0; i < post[t]->n; i++)
            p[k++] = (posting){(uint32_t)post[t]->v[i], t + 1,
                               post[t]->v[i] & 0xFFFFFFFF00000000ULL};
    qsort(p, n, sizeof *p, cmp);
    *out = p;
    *nout = n;
    return RP_OK;
}

/* A batch's rows that are known after run A: its postings and its counts. */
static const char *const key_sql[5] = {
    "INSERT OR IGNORE INTO bands(key, doc) VALUES(?, ?)",
    "INSERT OR IGNORE INTO grams(key, doc) VALUES(?, ?)",
    "INSERT OR IGNORE INTO terms(key, doc) VALUES(?, ?)",
    ("INSERT INTO line_counts(key, n) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET "
     "n = n + excluded.n"),
    ("INSERT INTO term_counts(key, n) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET "
     "n = n + excluded.n")};

/*
 * Write the postings p[0..np) (by key: cmp_posting_key) and the batch's
 * counts, each key once, in the order of the tables' B-trees (pages written
 * once), with st (key_sql's, on connection db). *dberr says whether a
 * failure is db's (its message is sqlite3_errmsg's).
 */
static int write_keys(const batch *bt, sqlite3 *db, sqlite3_stmt *const st[5], const posting *p,
                      size_t np, int *dberr)
{
    *dberr = 0;
    int r = SQLITE_DONE;
    for (size_t i = 0; r == SQLITE_DONE && i < np; i++) {
        sqlite3_stmt *ins = st[p[i].table];
        sqlite3_bind_int64(ins, 1, (int64_t)p[i].key);
        sqlite3_bind_int64(ins, 2, bt->next + p[i].doc);
        r = sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    const rpi_counts *own[2] = {&bt->own, &bt->own_terms};
    for (int t = 0; r == SQLITE_DONE && t < 2; t++) {
        keyslot *ks = NULL;
        size_t m = 0;
        RP_TRY(sorted_slots(own[t], &ks, &m));
        for (size_t i = 0; r == SQLITE_DONE && i < m; i++) {
            sqlite3_bind_int64(st[3 + t], 1, ks[i].key);
            sqlite3_bind_int64(st[3 + t], 2, ks[i].slot->count);
            r = sqlite3_step(st[3 + t]);
            sqlite3_reset(st[3 + t]);
        }
        rpi_free(ks);
    }
    if (r == SQLITE_DONE)
        return RP_OK;
    *dberr = 1;
    return sqlite3_errcode(db) == SQLITE_NOMEM ? RP_ENOMEM : RP_EIO;
}

/*
 * Writing ahead. A batch's postings and counts are known after run A, and
 * nothing the batch reads afterwards (its candidates, their rows, features
 * and counts, the placement) reads them as the batch leaves them: they are
 * written by a thread of their own while the batch reads on the handle's
 * second connection (x->rdb, swapped in as x->db), in a read transaction
 * that sees what the writing connection saw when it took the write lock
 * (nothing written yet: the batch does not replace documents, and a schema
 * it grew shows in PRAGMA schema_version; no other writer can commit
 * meanwhile). At 100,000 generated
 * documents, a batch of 5,000 wrote about 365,000 postings and the counts
 * of its distinct keys in 0.78 s of its 2.8 s on the writer's one thread
 * (bench_index, 2026-12-06), while the look-ups and the candidates' rows
 * (0.48 s a batch) ran on one thread too: batches of 2,116-2,158
 * documents/s against 1,738-1,793 written in turn (2026-12-07). Sharing
 * one connection between the two threads under a lock did not work: the
 * SQLite work of either waits for the other's (the candidates' rows took
 * 11.0 s against 4.0 s).
 */
typedef struct rpi_ahead {
    batch *bt;
    sqlite3 *db; /* the writing connection: the thread's until ahead_end */
    sqlite3_stmt *st[5]; /* key_sql's, on db */
    sqlite3_stmt *q_line, *q_term; /* the batch's count statements on db, set aside */
    pthread_t thread;
    int started, swapped;
    int rc; /* the thread's: RP_OK, or its failure, which err says */
    char err[sizeof ((rp_index *)0)->err];
} rpi_ahead;

static void *ahead_main(void *arg)
{
    rpi_thread_block_signals();
    rpi_ahead *w = arg;
    posting *p = NULL;
    size_t np = 0;
    int dberr = 0;
    w->rc = postings_of(w->bt, cmp_posting_key, &p, &np);
    if (w->rc == RP_OK)
        w->rc = write_keys(w->bt, w->db, w->st, p, np, &dberr);
    if (dberr)
        rpi_fmt(w->err, sizeof w->err, "%s: %s", w->bt->x->path, sqlite3_errmsg(w->db));
    rpi_free(p);
    return NULL;
}

/* Point the run's lazy count look-ups (lazy_counts) at the batch's statements. */
static void lazy_statements(batch *bt)
{
    for (int k = 0; k < 2; k++)
        if (bt->lazy[k].bt)
            bt->lazy[k].q = k ? bt->q_term : bt->q_line;
}

/* Start writing ahead: the thread on the writing connection, the batch's
 * reads on the second. ahead_end ends it; when this fails, ahead_try undoes
 * it with ahead_end. */
static int ahead_start(batch *bt)
{
    rp_index *x = bt->x;
    rpi_ahead *w = bt->ahead = rpi_calloc(1, sizeof *w);
    if (!w)
        return RP_ENOMEM;
    w->bt = bt;
    w->db = x->db;
    for (int t = 0; t < 5; t++)
        RP_TRY(rpi_index_prepare(x, key_sql[t], &w->st[t]));
    int64_t schema, read_schema;
    RP_TRY(rpi_index_int(x, "PRAGMA schema_version", &schema));
    RP_TRY(rpi_index_reader(x));
    w->q_line = bt->q_line;
    w->q_term = bt->q_term;
    bt->q_line = bt->q_term = NULL;
    x->db = x->rdb;
    w->swapped = 1;
    RP_TRY(rpi_index_exec(x, "BEGIN"));
    /* A schema grown in this transaction (an index of an older build) is not
     * the reader's: the batch writes in turn (ahead_try). */
    RP_TRY(rpi_index_int(x, "PRAGMA schema_version", &read_schema));
    if (read_schema != schema)
        return RP_EINVAL;
    RP_TRY(rpi_index_prepare(x, "SELECT n FROM line_counts WHERE key = ?", &bt->q_line));
    RP_TRY(rpi_index_prepare(x, "SELECT n FROM term_counts WHERE key = ?", &bt->q_term));
    lazy_statements(bt);
    /* (a thread that cannot start leaves the rows to write_docs) */
    w->started = pthread_create(&w->thread, NULL, ahead_main, w) == 0;
    x->nahead += (size_t)w->started;
    return RP_OK;
}

/* Wait for the thread, end the read, give the writing connection back; rc is
 * the batch's so far, and the thread's failure if it failed alone. */
static int ahead_end(batch *bt, int rc)
{
    rpi_ahead *w = bt->ahead;
    rp_index *x = bt->x;
    if (!w)
        return rc;
    if (w->started) {
        pthread_join(w->thread, NULL);
        bt->posted = w->rc == RP_OK;
        if (rc == RP_OK && w->rc != RP_OK) {
            rc = w->rc;
            if (w->err[0])
                memcpy(x->err, w->err, sizeof x->err);
        }
    }
    if (w->swapped) {
        rpi_index_finish(x, bt->q_line);
        rpi_index_finish(x, bt->q_term);
        if (!sqlite3_get_autocommit(x->rdb))
            sqlite3_exec(x->rdb, "ROLLBACK", NULL, NULL, NULL); /* (it only read) */
        x->db = w->db;
        bt->q_line = w->q_line;
        bt->q_term = w->q_term;
        lazy_statements(bt);
    }
    for (int t = 0; t < 5; t++)
        rpi_index_finish(x, w->st[t]);
    rpi_free(w);
    bt->ahead = NULL;
    return rc;
}

/* Write ahead if the batch can (ahead_start); if it cannot (the second
 * connection does not open, out of file descriptors say, or the batch grew
 * the schema), it writes in turn. */
static int ahead_try(batch *bt)
{
    if (ahead_start(bt) != RP_OK) {
        ahead_end(bt, RP_OK); /* (undone: no thread started, nothing was written) */
        bt->x->err[0] = 0;
    }
    return RP_OK;
}

static int run_c(batch *bt)
{
    rp_index *x = bt->x;
    /* The candidates and the new documents, as JSONL: in memory for a small
     * run (a temporary file and its removal were 7% of a query's time), in a
     * temporary file for a batch, whose texts may be more than memory holds. */
    int small = bt->ncand + bt->n <= RPI_SMALL_RUN;
    char tmp[4096] = "";
    FILE *f = small ? open_memstream(&bt->cbuf, &bt->clen) : rpi_index_tmpfile(x, tmp, sizeof tmp);
    if (!f) {
        if (small)
            rpi_fmt(x->err, sizeof x->err, "out of memory");
        return small ? RP_ENOMEM : RP_EIO;
    }
    sqlite3_stmt *q = NULL;
    double t0 = rpi_now();
    int rc = rpi_index_prepare(
        x, "SELECT id, text, date, source, url, title FROM docs WHERE doc = ?", &q);
    for (size_t i = 0; rc == RP_OK && i < bt->ncand; i++) {
        uint64_t one;
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, bt->cand[i]);
        rc = rpi_index_write_rows(x, q, f, &one);
    }
    rpi_index_finish(bt->x, q);
    if (rc == RP_OK)
        rc = stored_features(bt);
    bt->t_rows = rpi_now() - t0;
    if (rc == RP_OK)
        rc = write_new(bt, f);
    if (fclose(f) != 0 && rc == RP_OK)
        rc = small ? RP_ENOMEM : RP_EIO; /* a stream in memory fails only for want of it */
    if (rc == RP_ENOMEM && !x->err[0])
        rpi_fmt(x->err, sizeof x->err, "out of memory");
    if (rc == RP_EIO && !x->err[0])
        rpi_fmt(x->err, sizeof x->err, "cannot write the temporary file %s", tmp);
    if (rc == RP_OK) {
        /* Dates were reported when each document was added. */
        rp_options o = rpi_index_run_options(x, 0);
        /* A few documents are done before a second thread would have started. */
        if (small)
            o.threads = 1;
        rc = rp_corpus_open(&bt->m, &o);
        rpi_memsrc src;
        if (rc == RP_OK)
            rc = small ? rpi_corpus_add_memory(bt->m, "candidates", bt->cbuf, bt->clen, &src)
                       : rp_corpus_add_input(bt->m, tmp);
        if (rc == RP_OK) {
            /* Run C's counts are the collection's and the batch's (resolve_count),
             * not its own. A small run (one thread) reads each of them as it reads
             * it (lazy_counts), so it adds no key of its own: computing them was
             * 12% of a query's CPU samples at 20,000 indexed documents. A key the
             * run's table lacks is asked for at every read, so a large run (a
             * batch) keeps its keys: on two threads, under the connection's
             * lock, its run C took 5.3 s against 4.2-5.0 s without the change. */
            rpi_hooks h = {.ctx = bt, .stats = stats_hook, .focus = (uint32_t)bt->ncand,
                           .resolved_counts = small,
                           .stored = (const char *const *)bt->stored,
                           .stored_len = bt->stored_len,
                           .nstored = bt->stored ? bt->ncand + bt->n : 0};
            rpi_corpus_hooks(bt->m, &h);
            bt->run = 1;
            rc = rp_corpus_run(bt->m);
            if (rc == RP_OK)
                rc = lazy_failed(bt);
        }
        if (rc != RP_OK && bt->m && !x->err[0])
            rpi_fmt(x->err, sizeof x->err, "%s", rp_errmsg(bt->m));
        if (rc == RP_OK && rp_corpus_ndocs(bt->m) != bt->ncand + bt->n) {
            rpi_fmt(x->err, sizeof x->err, "internal error: %zu documents read back of %zu",
                    rp_corpus_ndocs(bt->m), bt->ncand + bt->n);
            rc = RP_EINTERNAL;
        }
    }
    if (tmp[0])
        unlink(tmp);
    return rc;
}

/* Index number of document d of run C. */
int64_t rpi_batch_number(const batch *bt, uint32_t d)
{
    return d < bt->ncand ? bt->cand[d] : bt->next + (int64_t)(d - bt->ncand);
}

/* ---- placement ----------------------------------------------------------------- */

/* A cluster after the joins of this batch. */
int64_t rpi_batch_cluster(const batch *bt, int64_t k)
{
    for (int moved = 1; moved;) {
        moved = 0;
        for (size_t i = 0; i < bt->nrelabel; i++)
            if (bt->relabel[2 * i] == k) {
                k = bt->relabel[2 * i + 1];
                moved = 1;
            }
    }
    return k;
}

/* Cluster and story of an indexed document (index number g < bt->next), or of a
 * new one placed before. */
static int where(batch *bt, sqlite3_stmt *q, int64_t g, int64_t *cluster, int64_t *story)
{
    if (g >= bt->next) {
        *cluster = rpi_batch_cluster(bt, bt->cluster[g - bt->next]);
        *story = bt->story[g - bt->next];
        return RP_OK;
    }
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, g);
    if (sqlite3_step(q) != SQLITE_ROW)
        return rpi_index_dberr(bt->x, "a candidate is missing");
    *cluster = rpi_batch_cluster(bt, sqlite3_column_int64(q, 0));
    *story = sqlite3_column_int64(q, 1);
    return RP_OK;
}

typedef struct partner {
    int64_t g; /* its index number */
    int64_t cluster, story; /* where it is */
    const rp_pair *p; /* the pair */
} partner;

/* Is pair p stronger than q (for the closest document)? */
static int stronger(const rp_pair *p, int64_t gp, const rp_pair *q, int64_t gq)
{
    if (p->relation != q->relation)
        return p->relation < q->relation;
    if (p->jaccard != q->jaccard)
        return p->jaccard > q->jaccard;
    if (p->event != q->event)
        return p->event > q->event;
    return gp < gq;
}

static int place(batch *bt)
{
    rp_index *x = bt->x;
    rp_corpus *m = bt->m;
    sqlite3_stmt *qw = NULL;
    partner *pt = NULL;
    size_t cappt = 0;
    int rc = rpi_index_prepare(x, "SELECT cluster, story FROM docs WHERE doc = ?", &qw);
    bt->cluster = rpi_calloc(bt->n + 1, sizeof *bt->cluster);
    bt->story = rpi_calloc(bt->n + 1, sizeof *bt->story);
    bt->pl = rpi_calloc(bt->n + 1, sizeof *bt->pl);
    if (rc == RP_OK && (!bt->cluster || !bt->story || !bt->pl))
        rc = RP_ENOMEM;
    /* Pairs are by (a, b): a new document's pairs with the documents before it
     * have it as b. Their indexes, by b (a counting sort). */
    size_t np = rp_corpus_npairs(m);
    size_t *byb = rpi_malloc((np + 1) * sizeof *byb), *start = rpi_calloc(bt->n + 2, sizeof *start);
    if (rc == RP_OK && (!byb || !start))
        rc = RP_ENOMEM;
    for (size_t k = 0; rc == RP_OK && k < np; k++)
        start[m->pairs[k].b - bt->ncand + 2]++; /* run C pairs all have b >= ncand */
    for (size_t i = 0; rc == RP_OK && i < bt->n; i++)
        start[i + 2] += start[i + 1];
    for (size_t k = 0; rc == RP_OK && k < np; k++)
        byb[start[m->pairs[k].b - bt->ncand + 1]++] = k;
    for (size_t i = 0; rc == RP_OK && i < bt->n; i++) {
        uint32_t d = (uint32_t)(bt->ncand + i);
        int64_t g = bt->next + (int64_t)i;
        size_t n = 0;
        const rp_pair *best = NULL;
        int64_t bestg = 0;
        for (size_t e = start[i]; rc == RP_OK && e < start[i + 1]; e++) {
            const rp_pair *p = &m->pairs[byb[e]];
            rc = rpi_grow((void **)&pt, &cappt, n + 1, sizeof *pt);
            if (rc != RP_OK)
                break;
            pt[n].g = rpi_batch_number(bt, p->a);
            pt[n].p = p;
            rc = where(bt, qw, pt[n].g, &pt[n].cluster, &pt[n].story);
            if (!best || stronger(p, pt[n].g, best, bestg)) {
                best = p;
                bestg = pt[n].g;
            }
            n++;
        }
        if (rc != RP_OK)
            break;
        /* Copy cluster: the copies' clusters join into the earliest. */
        int64_t cl = g;
        for (size_t k = 0; k < n; k++)
            if (pt[k].p->relation <= RP_REL_NEAR_DUPLICATE && pt[k].cluster < cl)
                cl = pt[k].cluster;
        for (size_t k = 0; rc == RP_OK && k < n; k++)
            if (pt[k].p->relation <= RP_REL_NEAR_DUPLICATE && pt[k].cluster != cl &&
                rpi_batch_cluster(bt, pt[k].cluster) != cl) {
                rc = rpi_grow((void **)&bt->relabel, &bt->caprelabel, 2 * bt->nrelabel + 2,
                              sizeof *bt->relabel);
                if (rc == RP_OK) {
                    bt->relabel[2 * bt->nrelabel] = rpi_batch_cluster(bt, pt[k].cluster);
                    bt->relabel[2 * bt->nrelabel + 1] = cl;
                    bt->nrelabel++;
                }
            }
        bt->cluster[i] = cl;
        rp_placement *pl = &bt->pl[i];
        pl->id = rp_doc_id(m, d);
        pl->relation = best ? best->relation : RP_REL_UNRELATED;
        pl->closest = best ? rp_doc_id(m, best->a) : NULL;
    }
    if (rc == RP_OK)
        rc = rpi_batch_stories(bt);
    for (size_t i = 0; rc == RP_OK && i < bt->n; i++) {
        bt->pl[i].cluster = rpi_batch_cluster(bt, bt->cluster[i]);
        bt->pl[i].new_cluster = bt->pl[i].cluster == bt->next + (int64_t)i;
        bt->pl[i].story = bt->story[i];
        bt->pl[i].new_story = bt->story[i] == bt->next + (int64_t)i;
    }
    rpi_index_finish(bt->x, qw);
    rpi_free(byb);
    rpi_free(start);
    rpi_free(pt);
    return rc;
}

/* ---- writing the batch ------------------------------------------------------------ */

static int step_done(rp_index *x, sqlite3_stmt *st)
{
    int r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? RP_OK : rpi_index_dberr(x, NULL);
}

static int bind_opt_text(sqlite3_stmt *st, int col, const char *v)
{
    return v ? sqlite3_bind_text(st, col, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, col);
}

/* The new documents' features as zstd frames for write_docs (bt->zf, bt->zn),
 * made before the write lock is taken. */
static int compress_features(batch *bt)
{
    rp_corpus *a = bt->a;
    if (bt->x->features <= 0 || !a->stored_out)
        return RP_OK;
    bt->zf = rpi_calloc(bt->n + 1, sizeof *bt->zf);
    bt->zn = rpi_calloc(bt->n + 1, sizeof *bt->zn);
    if (!bt->zf || !bt->zn)
        return RP_ENOMEM;
    return compress_all(bt->x, (const char *const *)a->stored_out, a->stored_out_len, bt->n,
                        bt->zf, bt->zn);
}

static int write_docs(batch *bt)
{
    rp_index *x = bt->x;
    rp_corpus *a = bt->a;
    static const char *const sql[] = {
        ("INSERT INTO docs(doc, id, text, date, source, url, title, cluster, story, postings) "
         "VALUES(?,?,?,?,?,?,?,?,?,?)")};
    /* (and the vectors' and features' statements: prepared when used) */
    enum { NSQL = sizeof sql / sizeof *sql + 2 };
    sqlite3_stmt *st[NSQL] = {NULL};
    posting *p = NULL;
    size_t np = 0, e = 0;
    rpi_vec blob = {0};
    char **zf = bt->zf; /* each document's features, compressed (compress_features) */
    size_t *zn = bt->zn;
    int rc = postings_of(bt, cmp_posting, &p, &np);
    for (int i = 0; rc == RP_OK && i < NSQL - 2; i++)
        rc = rpi_index_prepare(x, sql[i], &st[i]);
    for (uint32_t d = 0; rc == RP_OK && d < bt->n; d++) {
        int64_t g = bt->next + d;
        /* The list of its postings, for a later --replace. */
        blob.n = 0;
        for (; rc == RP_OK && e < np && p[e].doc == d; e++) {
            rc = rpi_vec_push(&blob, p[e].table);
            if (rc == RP_OK)
                rc = rpi_vec_push(&blob, p[e].key);
        }
        char *text = NULL;
        size_t len;
        if (rc == RP_OK)
            rc = rp_doc_text(a, d, &text, &len);
        if (rc != RP_OK)
            break;
        sqlite3_stmt *ins = st[0];
        sqlite3_bind_int64(ins, 1, g);
        sqlite3_bind_text(ins, 2, rp_doc_id(a, d), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, text, (int)len, SQLITE_STATIC);
        bind_opt_text(ins, 4, rp_doc_meta(a, d, "date"));
        bind_opt_text(ins, 5, rp_doc_meta(a, d, "source"));
        bind_opt_text(ins, 6, rp_doc_meta(a, d, "url"));
        bind_opt_text(ins, 7, rp_doc_meta(a, d, "title"));
        sqlite3_bind_int64(ins, 8, rpi_batch_cluster(bt, bt->cluster[d]));
        sqlite3_bind_int64(ins, 9, bt->story[d]);
        sqlite3_bind_blob(ins, 10, blob.v, (int)(blob.n * sizeof(uint64_t)), SQLITE_STATIC);
        rc = step_done(x, ins);
        rp_free(text);
        /* Its story vectors, as the story join weighed them (rpi_batch_vectors). */
        if (rc == RP_OK && !st[NSQL - 2])
            rc = rpi_index_prepare(x, "INSERT INTO vectors(doc, blob) VALUES(?, ?)",
                                   &st[NSQL - 2]);
        if (rc == RP_OK) {
            size_t end = bt->vec_at[d + 1];
            sqlite3_bind_int64(st[NSQL - 2], 1, g);
            sqlite3_bind_blob(st[NSQL - 2], 2, bt->vec.data + bt->vec_at[d],
                              (int)(end - bt->vec_at[d]), SQLITE_STATIC);
            rc = step_done(x, st[NSQL - 2]);
        }
        /* Its features (stored.c), as a zstd frame with its checksum: 3.4 KB
         * a news article raw, 1.5 compressed (the IDF left 0 helps). A row
         * left by a build that did not know the table is replaced. */
        if (rc == RP_OK && zf && zf[d]) {
            if (!st[NSQL - 1])
                rc = rpi_index_prepare(
                    x, "INSERT OR REPLACE INTO features(doc, blob) VALUES(?, ?)", &st[NSQL - 1]);
            if (rc != RP_OK)
                break;
            sqlite3_bind_int64(st[NSQL - 1], 1, g);
            sqlite3_bind_blob(st[NSQL - 1], 2, zf[d], (int)zn[d], SQLITE_STATIC);
            rc = step_done(x, st[NSQL - 1]);
        }
    }
    /* The postings and counts, unless written ahead (ahead_start). */
    sqlite3_stmt *kst[5] = {NULL};
    for (int t = 0; rc == RP_OK && !bt->posted && t < 5; t++)
        rc = rpi_index_prepare(x, key_sql[t], &kst[t]);
    if (rc == RP_OK && !bt->posted) {
        int dberr;
        qsort(p, np, sizeof *p, cmp_posting_key);
        rc = write_keys(bt, x->db, kst, p, np, &dberr);
        if (dberr)
            rc = rpi_index_dberr(x, NULL);
    }
    for (int t = 0; t < 5; t++)
        rpi_index_finish(x, kst[t]);
    for (int i = 0; i < NSQL; i++)
        rpi_index_finish(bt->x, st[i]);
    rpi_free(p);
    rpi_free(blob.v);
    return rc;
}

/* Columns 1-6 of a passage or difference row: the pair and the two ranges. */
static void bind_range(sqlite3_stmt *st, int64_t ga, int64_t gb, uint32_t as, uint32_t ae,
                       uint32_t bs, uint32_t be)
{
    sqlite3_bind_int64(st, 1, ga);
    sqlite3_bind_int64(st, 2, gb);
    sqlite3_bind_int64(st, 3, as);
    sqlite3_bind_int64(st, 4, ae);
    sqlite3_bind_int64(st, 5, bs);
    sqlite3_bind_int64(st, 6, be);
}

static int write_pairs(batch *bt)
{
    rp_index *x = bt->x;
    rp_corpus *m = bt->m;
    sqlite3_stmt *rel = NULL, *pas = NULL, *dif = NULL, *rl = NULL, *rs = NULL;
    int rc = rpi_index_prepare(x, "INSERT INTO relations VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                               &rel);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "INSERT INTO passages VALUES(?,?,?,?,?,?,?)", &pas);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "INSERT INTO differences VALUES(?,?,?,?,?,?,?)", &dif);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "UPDATE docs SET cluster = ? WHERE cluster = ?", &rl);
    if (rc == RP_OK)
        rc = rpi_index_prepare(x, "UPDATE docs SET story = ? WHERE doc = ?", &rs);
    for (size_t i = 0; rc == RP_OK && i < rp_corpus_npairs(m); i++) {
        rp_pair p;
        rp_corpus_pair(m, i, &p);
        int64_t ga = rpi_batch_number(bt, p.a), gb = rpi_batch_number(bt, p.b);
        sqlite3_bind_int64(rel, 1, ga);
        sqlite3_bind_int64(rel, 2, gb);
        sqlite3_bind_text(rel, 3, rp_relation_name(p.relation), -1, SQLITE_STATIC);
        sqlite3_bind_double(rel, 4, p.jaccard);
        sqlite3_bind_double(rel, 5, p.containment_a);
        sqlite3_bind_double(rel, 6, p.containment_b);
        sqlite3_bind_int64(rel, 7, p.npassages);
        sqlite3_bind_double(rel, 8, p.coverage_a);
        sqlite3_bind_double(rel, 9, p.coverage_b);
        bind_opt_text(rel, 10, p.why);
        sqlite3_bind_int64(rel, 11, p.ndifferences);
        sqlite3_bind_double(rel, 12, p.event);
        sqlite3_bind_double(rel, 13, p.specifics);
        sqlite3_bind_double(rel, 14, p.similarity);
        rc = step_done(x, rel);
        size_t first, n;
        rp_pair_passages(m, i, &first, &n);
        for (size_t k = first; rc == RP_OK && k < first + n; k++) {
            rp_passage s;
            rp_corpus_passage(m, k, &s);
            bind_range(pas, ga, gb, s.a_start, s.a_end, s.b_start, s.b_end);
            sqlite3_bind_double(pas, 7, s.score);
            rc = step_done(x, pas);
        }
        rp_pair_differences(m, i, &first, &n);
        for (size_t k = first; rc == RP_OK && k < first + n; k++) {
            rp_difference s;
            rp_corpus_difference(m, k, &s);
            bind_range(dif, ga, gb, s.a_start, s.a_end, s.b_start, s.b_end);
            bind_opt_text(dif, 7, s.kind);
            rc = step_done(x, dif);
        }
    }
    for (size_t i = 0; rc == RP_OK && i < bt->nrelabel; i++) {
        sqlite3_bind_int64(rl, 1, rpi_batch_cluster(bt, bt->relabel[2 * i + 1]));
        sqlite3_bind_int64(rl, 2, bt->relabel[2 * i]);
        rc = step_done(x, rl);
    }
    for (size_t i = 0; rc == RP_OK && i < bt->nrestory; i++) {
        sqlite3_bind_int64(rs, 1, bt->restory[2 * i + 1]);
        sqlite3_bind_int64(rs, 2, bt->restory[2 * i]);
        rc = step_done(x, rs);
    }
    rpi_index_finish(bt->x, rel);
    rpi_index_finish(bt->x, pas);
    rpi_index_finish(bt->x, dif);
    rpi_index_finish(bt->x, rl);
    rpi_index_finish(bt->x, rs);
    return rc;
}

/* Run one step of the batch, timed into x->t_add[k]. */
#define STEP(k, call)                                                                              \
    do {                                                                                           \
        double t0_ = rpi_now();                                                                    \
        RP_CHECK(call);                                                                            \
        x->t_add[k] += rpi_now() - t0_;                                                            \
    } while (0)

/* add_once's answers when a split add must be done again, holding the write
 * lock from the start: the schema must grow first (RETRY, before anything is
 * read), or what it read changed before it could write (RETRY_READ). */
#define RETRY 1
#define RETRY_READ 2

/* Take the write lock (another writer waits, then fails with "database is
 * locked"), once the thread has copied a large commit into the database
 * when wait is set. */
static int begin_write(rp_index *x, int wait)
{
    if (wait)
        rpi_index_ckpt_wait(x);
    int rc = rpi_index_exec(x, "BEGIN IMMEDIATE");
    if (rc != RP_OK && sqlite3_errcode(x->db) == SQLITE_BUSY)
        rpi_fmt(x->err, sizeof x->err, "%s: another process is adding to the index "
                "(waited %d s); try again when it is done", x->path, RPI_INDEX_BUSY_MS / 1000);
    return rc;
}

/*
 * From reading to writing (a split add of n documents): end the read
 * transaction, wait for the thread's checkpoint when the add is large too
 * (a document writes 2 to 4 pages: n documents at least half the mark;
 * smaller adds go to the log after the pages being copied, and the log
 * restarts at a later batch: a single add waited 300 ms after a batch of
 * 5,000 at 100,000 documents), take the write lock, and check that no other
 * connection changed the index since the read began (PRAGMA data_version,
 * which does not see this handle's own commits nor checkpoints): RETRY then.
 */
static int read_to_write(rp_index *x, size_t n)
{
    /* (no statement may keep the old snapshot: the log would not restart) */
    for (sqlite3_stmt *st = sqlite3_next_stmt(x->db, NULL); st; st = sqlite3_next_stmt(x->db, st))
        if (sqlite3_stmt_busy(st))
            sqlite3_reset(st);
    RP_TRY(rpi_index_exec(x, "COMMIT"));
    if (x->test_between)
        x->test_between(x, x->test_between_ctx);
    RP_TRY(begin_write(x, 2 * n >= (size_t)x->ckpt.mark));
    int64_t v;
    RP_TRY(rpi_index_int(x, "PRAGMA data_version", &v));
    if (v != x->data_version) {
        x->nretries++;
        return RETRY_READ;
    }
    return RP_OK;
}

/* Add the documents of the files inputs[0..ninputs), or of the buffer mem[0..memlen)
 * when mem is not NULL; with split, read them on a snapshot and take the write
 * lock once they are read, or (not writing ahead) only to write (RETRY when
 * the index changed in between, or needs a change of its schema first). */
static int add_once(rp_index *x, const char *const *inputs, size_t ninputs, const char *mem,
                    size_t memlen, const char *name, unsigned flags, rp_placement_fn fn,
                    void *user, int split, int again)
{
    int query = (flags & RP_INDEX_QUERY) != 0;
    x->err[0] = 0;
    if (!query && x->readonly) {
        rpi_fmt(x->err, sizeof x->err, "%s: opened for reading only", x->path);
        return RP_EINVAL;
    }
    if (ninputs == 0 && !mem) {
        rpi_fmt(x->err, sizeof x->err, "no input given");
        return RP_EINVAL;
    }
    batch bt = {.x = x, .mem = mem, .memlen = memlen, .again = again,
                .lock = PTHREAD_MUTEX_INITIALIZER};
    memset(x->t_add, 0, sizeof x->t_add);
    /* A writer takes the write lock first, or when split, once it has read
     * its documents (read_to_write); a query reads one snapshot. */
    int rc = query || split ? rpi_index_exec(x, "BEGIN") : begin_write(x, 1);
    if (rc != RP_OK) {
        pthread_mutex_destroy(&bt.lock);
        return rc;
    }
    int64_t maxdoc = 0;
    /* (a rollback takes back a table made here; rpi_index_check_cache never
     * sets x->features above 0) */
    int had_features = x->features > 0;
    RP_CHECK(rpi_index_check_cache(x));
    if (!query && !split) {
        RP_CHECK(rpi_index_make_frequent(x));
        RP_CHECK(rpi_index_make_features(x));
    }
    RP_CHECK(rpi_index_frequent(x));
    RP_CHECK(rpi_index_has_features(x));
    if (split && (x->freq_state < 0 || x->features < 0)) {
        rc = RETRY; /* (an index made by an older build: its schema grows first) */
        goto fail;
    }
    bt.query = query;
    /* The count of documents walks a whole B-tree (4% of a query at 100,000
     * documents): it is read again only after another handle's change (this
     * handle's own adds keep it, below) or a failed add. */
    if (x->ndocs < 0)
        RP_CHECK(rpi_index_int(x, "SELECT count(*) FROM docs", &x->ndocs));
    bt.nindexed = x->ndocs;
    RP_CHECK(rpi_index_int(x, "SELECT coalesce(max(doc), 0) FROM docs", &maxdoc));
    bt.next = maxdoc + 1;
    RP_CHECK(rpi_index_prepare(x, "SELECT n FROM line_counts WHERE key = ?", &bt.q_line));
    RP_CHECK(rpi_index_prepare(x, "SELECT n FROM term_counts WHERE key = ?", &bt.q_term));
    STEP(RPI_T_RUNA, run_a(&bt, inputs, ninputs, name));
    STEP(RPI_T_IDS, check_ids(&bt, (flags & RP_INDEX_REPLACE) != 0));
    if (bt.nreplaced) {
        /* The replaced documents' counts are gone: weigh the batch again without them. */
        rpi_countcache_clear(&x->cache[0]);
        rpi_countcache_clear(&x->cache[1]);
        rp_corpus_close(bt.a);
        bt.a = NULL;
        STEP(RPI_T_RUNA, run_a(&bt, inputs, ninputs, name));
    }
    if (bt.n == 0)
        goto fail; /* every document was skipped as bad */
    STEP(RPI_T_COUNTS, own_counts(&bt));
    /* A large batch writes its postings and counts while it reads the rest
     * (ahead_start): when split, it takes the write lock for that now; an add
     * that does not write ahead reads all on its snapshot, for the copy of
     * the last batch to overlap it, and takes the lock only to write. */
    int ahead = !query && !(flags & RP_INDEX_REPLACE) && bt.n > RPI_SMALL_RUN &&
                index_threads(x) != 1;
    if (split && ahead)
        STEP(RPI_T_COMMIT, read_to_write(x, bt.n));
    if (ahead)
        STEP(RPI_T_CANDIDATES, ahead_try(&bt));
    STEP(RPI_T_CANDIDATES, find_candidates(&bt));
    x->ncandidates = bt.ncand;
    memset(x->t_runc, 0, sizeof x->t_runc);
    x->nrunc = x->nrunc_stored = 0;
    if (bt.n == 1 && bt.ncand == 0 && rp_corpus_npairs(bt.a) == 0) {
        /* One document and no candidate: there is no pair to compare, and run
         * C would only read it again (58% of the queries at 100,000 generated
         * documents). Run A stands for it: the same document, no pair. */
        bt.m = bt.a;
    } else {
        STEP(RPI_T_RUNC, run_c(&bt));
        x->nrunc = bt.ncand + bt.n;
        x->nrunc_stored = (size_t)bt.m->nstored_used;
        x->t_runc[RPI_TC_PASS1] = bt.m->t_pass1;
        x->t_runc[RPI_TC_PASS2] = bt.m->t_index;
        x->t_runc[RPI_TC_PASS3] = bt.m->t_compare;
        x->t_runc[RPI_TC_COUNTS] = bt.t_counts;
        x->t_runc[RPI_TC_ROWS] = bt.t_rows;
        x->t_runc[RPI_TC_REST] = x->t_add[RPI_T_RUNC] - bt.m->t_pass1 - bt.m->t_index -
                                 bt.m->t_compare - bt.t_counts - bt.t_rows;
    }
    STEP(RPI_T_PLACE, place(&bt));
    if (!query)
        STEP(RPI_T_WRITE, compress_features(&bt));
    STEP(RPI_T_WRITE, ahead_end(&bt, RP_OK));
    if (split && !ahead)
        STEP(RPI_T_COMMIT, read_to_write(x, bt.n));
    if (!query) {
        STEP(RPI_T_WRITE, write_docs(&bt));
        STEP(RPI_T_WRITE, write_pairs(&bt));
        STEP(RPI_T_COMMIT, rpi_index_exec(x, "COMMIT"));
        x->ndocs = bt.nindexed + (int64_t)bt.n; /* (the replaced ones were taken off) */
        /* The cached counts follow the batch (a replaced document's are gone: start afresh). */
        const rpi_counts *own[2] = {&bt.own, &bt.own_terms};
        for (int t = 0; t < 2; t++) {
            if (flags & RP_INDEX_REPLACE) {
                rpi_countcache_clear(&x->cache[t]);
                continue;
            }
            for (int sh = 0; sh < RPI_SHARDS; sh++) {
                const rpi_counter *ct = &own[t]->shard[sh];
                for (size_t i = 0; ct->slot && i <= ct->mask; i++)
                    if (ct->slot[i].key)
                        rpi_countcache_add(&x->cache[t], ct->slot[i].key, ct->slot[i].count);
            }
        }
    }
    if (fn)
        for (size_t i = 0; i < bt.n; i++)
            fn(user, &bt.pl[i]);
fail:
    rc = ahead_end(&bt, rc);
    if (sqlite3_get_autocommit(x->db) == 0) {
        sqlite3_exec(x->db, "ROLLBACK", NULL, NULL, NULL);
        if (!had_features)
            x->features = 0; /* (made in the transaction rolled back, perhaps) */
    }
    if (!query) { /* (data_version does not see this handle's own commits) */
        if (rc != RP_OK)
            x->ndocs = -1;
        if (x->freq_state > 0)
            x->freq_state = 0;
    }
    if (rc != RP_OK || (query && bt.nreplaced)) {
        /* Counts read inside a transaction rolled back may be of rows that are not. */
        rpi_countcache_clear(&x->cache[0]);
        rpi_countcache_clear(&x->cache[1]);
    }
    pthread_mutex_destroy(&bt.lock);
    rpi_free(bt.reseed.v);
    rpi_index_finish(x, bt.q_line);
    rpi_index_finish(x, bt.q_term);
    if (bt.m != bt.a)
        rp_corpus_close(bt.m);
    rp_corpus_close(bt.a);
    free(bt.cbuf); /* open_memstream's */
    rpi_counts_free(&bt.own);
    rpi_counts_free(&bt.own_terms);
    for (size_t i = 0; bt.stored && i < bt.ncand; i++) /* (the new documents' are run A's) */
        rpi_free(bt.stored[i]);
    rpi_free(bt.stored);
    rpi_free(bt.stored_len);
    for (size_t d = 0; bt.zf && d < bt.n; d++)
        rpi_free(bt.zf[d]);
    rpi_free(bt.zf);
    rpi_free(bt.zn);
    rpi_free(bt.cand);
    rpi_free(bt.cluster);
    rpi_free(bt.story);
    rpi_buf_free(&bt.vec);
    rpi_free(bt.vec_at);
    rpi_free(bt.relabel);
    rpi_free(bt.restory);
    rpi_free(bt.pl);
    if (rc == RP_ENOMEM && !x->err[0])
        rpi_fmt(x->err, sizeof x->err, "out of memory");
    return rc;
}

/* rp_index_add, with the inputs called name in messages when name is given. A
 * writer reads its documents (and, not writing ahead, its candidates) on a
 * snapshot while the thread copies the last batch into the database
 * (rpi_index_ckpt_big, wal_hook says why), unless it replaces
 * documents (which writes before it reads) or its inputs cannot be read again
 * (standard input, a pipe), should another writer come in between. */
static int add(rp_index *x, const char *const *inputs, size_t ninputs, const char *mem,
               size_t memlen, const char *name, unsigned flags, rp_placement_fn fn, void *user)
{
    int split = !(flags & (RP_INDEX_QUERY | RP_INDEX_REPLACE)) && !x->readonly &&
                (x->test_between || rpi_index_ckpt_big(x)) &&
                (mem || rereadable(inputs, ninputs));
    int rc = add_once(x, inputs, ninputs, mem, memlen, name, flags, fn, user, split, 0);
    if (rc == RETRY || rc == RETRY_READ)
        rc = add_once(x, inputs, ninputs, mem, memlen, name, flags, fn, user, 0,
                      rc == RETRY_READ);
    return rc;
}

int rp_index_add(rp_index *x, const char *const *inputs, size_t ninputs, unsigned flags,
                 rp_placement_fn fn, void *user)
{
    return add(x, inputs, ninputs, NULL, 0, NULL, flags, fn, user);
}

int rp_index_add_buffer(rp_index *x, const char *data, size_t len, const char *name,
                        unsigned flags, rp_placement_fn fn, void *user)
{
    x->err[0] = 0;
    return add(x, NULL, 0, data, len, name ? name : "buffer", flags, fn, user);
}
