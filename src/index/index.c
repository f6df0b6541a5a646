/* SPDX-License-Identifier: MIT */
/*
 * index.c -- stage 8: the persistent index, a SQLite database (one file, WAL
 * mode) that a user can open with the sqlite3 shell. This file holds the
 * schema, opening and creating, the stored settings and format version,
 * statistics and export; place.c adds documents.
 *
 * The schema (README "The index" documents it for users):
 *
 *   meta         key, value: format version, reprint version, settings
 *   docs         doc (index number, 1, 2, ... in the order added), id, text,
 *                date, source, url, title, cluster, story (the index number of
 *                the first document of each), postings (its keys in bands,
 *                grams and terms, as (table, key) pairs, for --replace)
 *   line_counts  documents per line key (page furniture by frequency)
 *   term_counts  documents per content word (IDF)
 *   bands        LSH band keys of each document (copies)
 *   grams        sampled word n-grams of each document's article text (passages)
 *   terms        key terms of each document (stories without shared wording)
 *   relations    one row per related pair a < b, with the scan's columns
 *   passages     aligned passages of each pair (byte offsets, as scan writes them)
 *   differences  figures on which the two texts of a pair differ
 *
 * Keys are 64-bit hashes stored as SQLite integers (two's complement).
 */
#include "index_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The line keys frequent enough to be looked up (RPI_LINE_FREQUENT). The bound
 * is in the index's name: a file whose index has another bound does not have this one
 * (INDEXED BY on it would fail), and gets it at its next add. */
#define FREQUENT_SQL                                                                               \
    "CREATE INDEX IF NOT EXISTS line_counts_ge4 ON line_counts(n) WHERE n >= 4"
_Static_assert(RPI_LINE_FREQUENT == 4, "FREQUENT_SQL says 4");

/* Each document's features as pass 2 computes them (src/corpus/stored.c),
 * for the runs that compare it again. An index made before the table gets it
 * at its first add (its documents until then have none: computed again). */
#define FEATURES_SQL "CREATE TABLE IF NOT EXISTS features(doc INTEGER PRIMARY KEY, blob BLOB NOT NULL)"

static const char schema[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE docs(doc INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL,"
    " date TEXT, source TEXT, url TEXT, title TEXT, cluster INTEGER NOT NULL,"
    " story INTEGER NOT NULL, postings BLOB);"
    "CREATE INDEX docs_cluster ON docs(cluster);"
    "CREATE INDEX docs_story ON docs(story);"
    "CREATE TABLE line_counts(key INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE term_counts(key INTEGER PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
    FREQUENT_SQL ";"
    "CREATE TABLE bands(key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(key, doc))"
    " WITHOUT ROWID;"
    "CREATE TABLE grams(key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(key, doc))"
    " WITHOUT ROWID;"
    "CREATE TABLE terms(key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY(key, doc))"
    " WITHOUT ROWID;"
    "CREATE TABLE relations(a INTEGER NOT NULL, b INTEGER NOT NULL, relation TEXT NOT NULL,"
    " jaccard REAL, containment_a REAL, containment_b REAL, passages INTEGER, coverage_a REAL,"
    " coverage_b REAL, why TEXT, differences INTEGER, event REAL, specifics REAL,"
    " similarity REAL, PRIMARY KEY(a, b)) WITHOUT ROWID;"
    "CREATE INDEX relations_b ON relations(b);"
    "CREATE TABLE passages(a INTEGER NOT NULL, b INTEGER NOT NULL, a_start INTEGER,"
    " a_end INTEGER, b_start INTEGER, b_end INTEGER, score REAL);"
    "CREATE INDEX passages_ab ON passages(a, b);"
    "CREATE INDEX passages_b ON passages(b);"
    "CREATE TABLE differences(a INTEGER NOT NULL, b INTEGER NOT NULL, a_start INTEGER,"
    " a_end INTEGER, b_start INTEGER, b_end INTEGER, kind TEXT);"
    "CREATE INDEX differences_ab ON differences(a, b);"
    "CREATE INDEX differences_b ON differences(b);"
    "CREATE TABLE vectors(doc INTEGER PRIMARY KEY, blob BLOB NOT NULL);"
    FEATURES_SQL ";";

int rpi_index_dberr(rp_index *x, const char *what)
{
    int code = sqlite3_errcode(x->db);
    rpi_fmt(x->err, sizeof x->err, "%s: %s%s%s", x->path, what ? what : "",
            what ? ": " : "", sqlite3_errmsg(x->db));
    return code == SQLITE_NOMEM ? RP_ENOMEM : RP_EIO;
}

int rpi_index_exec(rp_index *x, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(x->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        rpi_fmt(x->err, sizeof x->err, "%s: %s", x->path, msg ? msg : "database error");
        int code = sqlite3_errcode(x->db);
        sqlite3_free(msg);
        return code == SQLITE_NOMEM ? RP_ENOMEM : RP_EIO;
    }
    return RP_OK;
}

int rpi_index_prepare(rp_index *x, const char *sql, sqlite3_stmt **st)
{
    for (int i = 0; i < x->nstmts; i++)
        if (!x->stmts[i].busy && x->stmts[i].db == x->db && strcmp(x->stmts[i].sql, sql) == 0) {
            x->stmts[i].busy = 1;
            *st = x->stmts[i].st;
            return RP_OK;
        }
    int keep = x->nstmts < RPI_STMT_CACHE;
    if (sqlite3_prepare_v3(x->db, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, st, NULL) !=
        SQLITE_OK)
        return rpi_index_dberr(x, NULL);
    if (keep)
        x->stmts[x->nstmts++] = (rpi_stmt){x->db, sql, *st, 1};
    return RP_OK;
}

void rpi_index_finish(rp_index *x, sqlite3_stmt *st)
{
    if (!st)
        return;
    for (int i = 0; i < x->nstmts; i++)
        if (x->stmts[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            x->stmts[i].busy = 0;
            return;
        }
    sqlite3_finalize(st);
}

/* Finalise the kept statements (before the database closes). */
static void drop_stmts(rp_index *x)
{
    for (int i = 0; i < x->nstmts; i++)
        sqlite3_finalize(x->stmts[i].st);
    x->nstmts = 0;
}

int rpi_index_int(rp_index *x, const char *sql, int64_t *out)
{
    sqlite3_stmt *st;
    RP_TRY(rpi_index_prepare(x, sql, &st));
    int r = sqlite3_step(st);
    *out = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    rpi_index_finish(x, st);
    return r == SQLITE_ROW || r == SQLITE_DONE ? RP_OK : rpi_index_dberr(x, NULL);
}

static int put_meta(rp_index *x, sqlite3_stmt *st, const char *key, const char *value)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    return sqlite3_step(st) == SQLITE_DONE ? RP_OK : rpi_index_dberr(x, NULL);
}

static rp_index *handle(const char *path, const rp_options *opt)
{
    rp_index *x = rpi_calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->ndocs = -1;
    x->path = rpi_malloc(strlen(path) + 1);
    if (!x->path) {
        rpi_free(x);
        return NULL;
    }
    strcpy(x->path, path);
    /* Tests make checkpoints with a few pages (the test hook
     * REPRINT_TEST_CKPT_PAGES=N), so that a short test shows the log kept short. */
    const char *e = getenv("REPRINT_TEST_CKPT_PAGES");
    x->ckpt.mark = e && atoi(e) > 0 ? atoi(e) : RPI_INDEX_CKPT_PAGES;
    pthread_mutex_init(&x->ckpt.mu, NULL);
    pthread_cond_init(&x->ckpt.cv, NULL);
    if (opt)
        x->opt = *opt;
    else
        rp_options_init(&x->opt);
    return x;
}

/* The checkpointing thread (RPI_INDEX_CKPT_PAGES): on a connection of its
 * own, it copies the log into the database each time a commit of the handle
 * asks, without blocking the handle's readers or writers (PASSIVE). */
static void *ckpt_main(void *arg)
{
    rp_index *x = arg;
    rpi_ckpt *c = &x->ckpt;
    sqlite3 *db = NULL;
    rpi_thread_block_signals();
    int ok = sqlite3_open_v2(x->file ? x->file : x->path, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK;
    /* A connection finds the log only once it has read the database. */
    ok = ok && sqlite3_exec(db, "PRAGMA journal_mode", NULL, NULL, NULL) == SQLITE_OK;
    /* (test hook: as when it cannot open its connection, out of descriptors) */
    const char *fail = getenv("REPRINT_TEST_CKPT_FAIL");
    ok = ok && !(fail && *fail == '1');
    pthread_mutex_lock(&c->mu);
    c->failed = !ok;
    if (!ok) { /* (commits checkpoint inline from now on; nobody waits for this thread) */
        c->pending = 0;
        c->bigdone = c->bigseq;
        pthread_cond_broadcast(&c->cv);
    }
    while (ok) {
        while (!c->pending && !c->stop)
            pthread_cond_wait(&c->cv, &c->mu);
        if (!c->pending)
            break;
        /* A checkpoint asked for before the handle closed is still made: the
         * handle's close makes one only when it is the last connection. */
        c->pending = 0;
        c->running = 1;
        uint64_t big = c->bigseq; /* the large commits this copy covers */
        pthread_mutex_unlock(&c->mu);
        sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_lock(&c->mu);
        c->running = 0;
        c->bigdone = big;
        pthread_cond_broadcast(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    sqlite3_close(db);
    return NULL;
}

/* Is the thread copying a large commit? (c->mu held) */
static int copying_big(const rpi_ckpt *c)
{
    return c->bigdone != c->bigseq && !c->failed;
}

/*
 * SQLite calls this after each commit of the handle with the pages in the
 * log (it replaces the automatic checkpoint of the commit). The log restarts
 * from its beginning only when a write begins after a checkpoint that copied
 * all of it, and only on a snapshot read after that checkpoint, so:
 *
 * - A small commit (a single add) leaves the checkpoint to the thread; once
 *   the log grew by the mark since the handle's last commit (other handles'
 *   adds between), or holds RPI_INDEX_CKPT_INLINE times the mark, a commit
 *   makes it here: a thread racing with back-to-back adds never sees the
 *   whole log copied (the log grew to 128,000 pages in bench_index's
 *   batches). The thread has by then copied all but the last adds' pages, so
 *   what is left here is short (2-9 ms, against 280-310 ms for a whole log).
 * - A large commit (a batch that wrote the mark itself: its own pages,
 *   SQLITE_DBSTATUS_CACHE_WRITE) leaves it to the thread too (bigseq), and the
 *   handle's next write waits for it before its write transaction
 *   (rpi_index_ckpt_wait), so the log restarts there. A batch reads its
 *   documents on a snapshot of its own while the thread copies (add,
 *   place.c): the copy and its fsync, 11% of a batch's time at 100,000
 *   documents when made here, overlap the next batch's work. When the log
 *   did not restart (another handle wrote in between), it is made here.
 */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    rp_index *x = arg;
    rpi_ckpt *c = &x->ckpt;
    /* The pages this handle wrote since its last commit (own), and those the
     * log grew by since then, another handle's included (grew) */
    int written = 0, hi = 0;
    sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_WRITE, &written, &hi, 0);
    int own = written - c->written;
    int grew = pages > c->pages ? pages - c->pages : pages;
    c->written = written;
    c->pages = pages;
    if (pages < c->mark)
        return SQLITE_OK;
    int large = own >= c->mark;
    pthread_mutex_lock(&c->mu);
    /* While the thread copies a batch, a small add does not wait for it, up
     * to the same bound past the batch's pages. */
    int copying = copying_big(c);
    int here = large     ? pages - own >= RPI_INDEX_CKPT_INLINE * c->mark
               : copying ? pages - c->bigpages >= RPI_INDEX_CKPT_INLINE * c->mark
                         : grew >= c->mark || pages >= RPI_INDEX_CKPT_INLINE * c->mark;
    if (!here && !c->started && !c->failed) {
        if (pthread_create(&c->thread, NULL, ckpt_main, x) == 0)
            c->started = 1;
        else
            c->failed = 1;
    }
    here = here || c->failed;
    if (here) {
        while (c->running || c->pending) /* one checkpoint at a time, or this one finds it busy */
            if (c->pending)
                c->pending = 0;
            else
                pthread_cond_wait(&c->cv, &c->mu);
        c->bigdone = c->bigseq; /* (copied below) */
    } else {
        if (large) {
            c->bigseq++;
            c->bigpages = pages;
        }
        c->pending = 1;
        pthread_cond_signal(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    if (here) {
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        c->pages = 0;
    }
    return SQLITE_OK;
}

int rpi_index_ckpt_big(rp_index *x)
{
    rpi_ckpt *c = &x->ckpt;
    pthread_mutex_lock(&c->mu);
    int big = copying_big(c);
    pthread_mutex_unlock(&c->mu);
    return big;
}

void rpi_index_ckpt_wait(rp_index *x)
{
    rpi_ckpt *c = &x->ckpt;
    pthread_mutex_lock(&c->mu);
    while (copying_big(c))
        pthread_cond_wait(&c->cv, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

/* End the checkpointing thread, after the checkpoint it was asked for. */
static void ckpt_stop(rp_index *x)
{
    rpi_ckpt *c = &x->ckpt;
    if (!c->started)
        return;
    pthread_mutex_lock(&c->mu);
    c->stop = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    c->started = 0;
}

/* A connection's settings: foreign writers waited for, 32 MB of page cache
 * (the default is 2 MB: a batch looks up and writes keys all over the count
 * and postings tables), SQLite's primary result codes. */
static void tune_db(sqlite3 *db)
{
    sqlite3_busy_timeout(db, RPI_INDEX_BUSY_MS);
    sqlite3_exec(db, "PRAGMA cache_size = -32768", NULL, NULL, NULL);
    sqlite3_extended_result_codes(db, 0);
}

/* Open the database file with flags; WAL, foreign writers waited for. */
static int open_db(rp_index *x, int flags)
{
    if (sqlite3_open_v2(x->path, &x->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        if (!x->db)
            return RP_ENOMEM;
        return rpi_index_dberr(x, "cannot open");
    }
    tune_db(x->db);
    const char *file = sqlite3_db_filename(x->db, "main");
    rpi_free(x->file);
    x->file = file && *file ? rpi_strndup(file, strlen(file)) : NULL; /* (NULL: x->path) */
    /* A large batch grows the write-ahead log; after a checkpoint it is cut back. */
    sqlite3_exec(x->db, "PRAGMA journal_size_limit = 67108864", NULL, NULL, NULL);
    if (flags & SQLITE_OPEN_READWRITE)
        sqlite3_wal_hook(x->db, wal_hook, x);
    return RP_OK;
}

int rpi_index_reader(rp_index *x)
{
    if (x->rdb)
        return RP_OK;
    if (sqlite3_open_v2(x->file ? x->file : x->path, &x->rdb,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rpi_fmt(x->err, sizeof x->err, "%s: cannot open for reading: %s", x->path,
                x->rdb ? sqlite3_errmsg(x->rdb) : "out of memory");
        sqlite3_close(x->rdb);
        x->rdb = NULL;
        return RP_EIO;
    }
    tune_db(x->rdb);
    return RP_OK;
}

int rp_index_create(rp_index **out, const char *path, const rp_options *opt)
{
    rp_index *x = *out = handle(path, opt);
    if (!x)
        return RP_ENOMEM;
    /* Check the settings as a scan would, with a corpus that is never run. */
    rp_corpus *c = NULL;
    int rc = rp_corpus_open(&c, &x->opt);
    if (rc != RP_OK) {
        rpi_fmt(x->err, sizeof x->err, "%s", c ? rp_errmsg(c) : "out of memory");
        rp_corpus_close(c);
        return rc;
    }
    rp_corpus_close(c);
    /* The file is made here, exclusively: of two creates on one path, one
     * fails, and a failed create removes only the file it made. */
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0666);
    if (fd < 0) {
        if (errno == EEXIST) {
            rpi_fmt(x->err, sizeof x->err, "%s: already exists (an index is created once; add "
                    "to it with 'reprint index add')", path);
            return RP_EINVAL;
        }
        rpi_fmt(x->err, sizeof x->err, "%s: cannot create: %s", path, strerror(errno));
        return RP_EIO;
    }
    close(fd);
    sqlite3_stmt *st = NULL;
    char v[64];
    RP_CHECK(open_db(x, SQLITE_OPEN_READWRITE));
    RP_CHECK(rpi_index_exec(x, "PRAGMA journal_mode=WAL"));
    RP_CHECK(rpi_index_exec(x, "BEGIN IMMEDIATE"));
    RP_CHECK(rpi_index_exec(x, schema));
    RP_CHECK(rpi_index_prepare(x, "INSERT INTO meta(key, value) VALUES(?, ?)", &st));
    snprintf(v, sizeof v, "%d", RP_INDEX_FORMAT);
    RP_CHECK(put_meta(x, st, "format", v));
    RP_CHECK(put_meta(x, st, "version", rp_version()));
    snprintf(v, sizeof v, "%d", x->opt.ngram);
    RP_CHECK(put_meta(x, st, "ngram", v));
    snprintf(v, sizeof v, "%d", x->opt.perm);
    RP_CHECK(put_meta(x, st, "perm", v));
    snprintf(v, sizeof v, "%.17g", x->opt.threshold);
    RP_CHECK(put_meta(x, st, "threshold", v));
    RP_CHECK(put_meta(x, st, "sketch", x->opt.sketch == RP_SKETCH_KPERM ? "kperm" : "oph"));
    RP_CHECK(put_meta(x, st, "keep_furniture", x->opt.keep_furniture ? "1" : "0"));
    RP_CHECK(rpi_index_exec(x, "COMMIT"));
fail:
    rpi_index_finish(x, st);
    if (rc != RP_OK) {
        drop_stmts(x);
        ckpt_stop(x);
        sqlite3_close(x->db);
        x->db = NULL;
        char side[4200];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
    }
    return rc;
}

/* The stored settings into x->opt; the format version checked. */
static int read_meta(rp_index *x)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(x->db, "SELECT key, value FROM meta", -1, &st, NULL) != SQLITE_OK) {
        rpi_fmt(x->err, sizeof x->err, "%s: not a reprint index (%s)", x->path,
                sqlite3_errmsg(x->db));
        return RP_EIO;
    }
    int format = 0, r;
    char version[32] = "unknown";
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || !v)
            continue;
        if (strcmp(k, "format") == 0)
            format = atoi(v);
        else if (strcmp(k, "version") == 0)
            snprintf(version, sizeof version, "%s", v);
        else if (strcmp(k, "ngram") == 0)
            x->opt.ngram = atoi(v);
        else if (strcmp(k, "perm") == 0)
            x->opt.perm = atoi(v);
        else if (strcmp(k, "threshold") == 0)
            x->opt.threshold = strtod(v, NULL);
        else if (strcmp(k, "sketch") == 0)
            x->opt.sketch = strcmp(v, "kperm") == 0 ? RP_SKETCH_KPERM : RP_SKETCH_OPH;
        else if (strcmp(k, "keep_furniture") == 0)
            x->opt.keep_furniture = atoi(v);
    }
    sqlite3_finalize(st);
    if (r != SQLITE_DONE)
        return rpi_index_dberr(x, NULL);
    if (format == 0) {
        rpi_fmt(x->err, sizeof x->err, "%s: not a reprint index (no format version)", x->path);
        return RP_EIO;
    }
    if (format != RP_INDEX_FORMAT) {
        rpi_fmt(x->err, sizeof x->err,
                "%s: index format %d (written by reprint %s); this reprint (%s) reads format %d "
                "only: export it with the reprint that wrote it and build a new index",
                x->path, format, version, rp_version(), RP_INDEX_FORMAT);
        return RP_EINVAL;
    }
    return RP_OK;
}

int rp_index_open(rp_index **out, const char *path, const rp_options *opt, int readonly)
{
    rp_index *x = *out = handle(path, opt);
    if (!x)
        return RP_ENOMEM;
    x->readonly = readonly;
    struct stat sb;
    if (stat(path, &sb) != 0) {
        rpi_fmt(x->err, sizeof x->err, "%s: %s (create it with 'reprint index create')", path,
                strerror(errno));
        return RP_EIO;
    }
    RP_TRY(open_db(x, readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE));
    return read_meta(x);
}

void rp_index_close(rp_index *x)
{
    if (!x)
        return;
    drop_stmts(x);
    ckpt_stop(x);
    sqlite3_close(x->rdb);
    sqlite3_close(x->db);
    pthread_mutex_destroy(&x->ckpt.mu);
    pthread_cond_destroy(&x->ckpt.cv);
    rpi_countcache_free(&x->cache[0]);
    rpi_countcache_free(&x->cache[1]);
    rpi_free(x->freq);
    rpi_buf_free(&x->scratch);
    rpi_free(x->file);
    rpi_free(x->path);
    rpi_free(x);
}

const char *rp_index_errmsg(const rp_index *x)
{
    return x ? x->err : "no index";
}

int rp_index_stats(rp_index *x, rp_index_info *st)
{
    memset(st, 0, sizeof *st);
    int64_t v;
    RP_TRY(rpi_index_int(x, "SELECT count(*) FROM docs", &v));
    st->ndocs = (uint64_t)v;
    RP_TRY(rpi_index_int(x, "SELECT count(*) FROM (SELECT cluster FROM docs GROUP BY cluster "
                            "HAVING count(*) > 1)", &v));
    st->nclusters = (uint64_t)v;
    RP_TRY(rpi_index_int(x, "SELECT count(*) FROM (SELECT story FROM docs GROUP BY story "
                            "HAVING count(*) > 1)", &v));
    st->nstories = (uint64_t)v;
    RP_TRY(rpi_index_int(x, "SELECT count(*) FROM relations", &v));
    st->npairs = (uint64_t)v;
    int64_t pages, size;
    RP_TRY(rpi_index_int(x, "PRAGMA page_count", &pages));
    RP_TRY(rpi_index_int(x, "PRAGMA page_size", &size));
    st->bytes = (uint64_t)(pages * size);
    st->format = RP_INDEX_FORMAT;
    sqlite3_stmt *q;
    RP_TRY(rpi_index_prepare(x, "SELECT value FROM meta WHERE key = 'version'", &q));
    if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
        snprintf(st->version, sizeof st->version, "%s", (const char *)sqlite3_column_text(q, 0));
    rpi_index_finish(x, q);
    st->ngram = x->opt.ngram;
    st->perm = x->opt.perm;
    st->threshold = x->opt.threshold;
    st->sketch = x->opt.sketch;
    st->keep_furniture = x->opt.keep_furniture;
    return RP_OK;
}

FILE *rpi_index_tmpfile(rp_index *x, char *path, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    snprintf(path, cap, "%s/reprint-index-XXXXXX", dir);
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        rpi_fmt(x->err, sizeof x->err, "cannot write a temporary file in %s: %s", dir,
                strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
    }
    return f;
}

int rpi_index_write_rows(rp_index *x, sqlite3_stmt *st, FILE *f, uint64_t *n)
{
    static const char *const names[] = {"id", "text", "date", "source", "url", "title"};
    rpi_buf b = {0};
    int rc = RP_OK, r;
    *n = 0;
    while (rc == RP_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        b.len = 0;
        for (int k = 0; rc == RP_OK && k < 6; k++) {
            const char *v = (const char *)sqlite3_column_text(st, k);
            if (!v)
                continue;
            rc = rpi_buf_printf(&b, "%s\"%s\":", k ? "," : "{", names[k]);
            if (rc == RP_OK)
                rc = rpi_json_escape(&b, v, (size_t)sqlite3_column_bytes(st, k));
        }
        if (rc == RP_OK)
            rc = rpi_buf_append(&b, "}\n", 2);
        if (rc == RP_OK && fwrite(b.data, 1, b.len, f) != b.len) {
            rpi_fmt(x->err, sizeof x->err, "cannot write a temporary file: %s", strerror(errno));
            rc = RP_EIO;
        }
        (*n)++;
    }
    if (rc == RP_OK && r != SQLITE_DONE)
        rc = rpi_index_dberr(x, NULL);
    rpi_buf_free(&b);
    return rc;
}

rp_options rpi_index_run_options(const rp_index *x, int report)
{
    rp_options o = x->opt;
    o.id_field = "id";
    o.text_field = "text";
    o.force_jsonl = 1;
    o.fast = 0;
    o.all_pairs = 0;
    o.reworded = 0; /* the index stores what scan reports by default */
    o.reread = 0;
    o.skip_bad = 0;
    o.progress = NULL;
    /* A stored document was accepted once: read back as a JSONL line (escaped,
     * with its id and metadata) it may pass the caller's --max-bytes. */
    o.max_doc_bytes = UINT32_MAX;
    if (!report)
        o.warn = NULL;
    return o;
}

int rpi_index_run_rows(rp_index *x, sqlite3_stmt *st, int report, const rpi_hooks *h,
                       int threads, rp_corpus **out)
{
    *out = NULL;
    char tmp[4096];
    FILE *f = rpi_index_tmpfile(x, tmp, sizeof tmp);
    if (!f) {
        rpi_index_finish(x, st);
        return RP_EIO;
    }
    uint64_t n = 0;
    int rc = rpi_index_write_rows(x, st, f, &n);
    rpi_index_finish(x, st);
    if (fclose(f) != 0 && rc == RP_OK) {
        rpi_fmt(x->err, sizeof x->err, "cannot write a temporary file: %s", strerror(errno));
        rc = RP_EIO;
    }
    if (rc == RP_OK && n > 0) {
        rp_options o = rpi_index_run_options(x, report);
        if (threads)
            o.threads = threads;
        rc = rp_corpus_open(out, &o);
        if (rc == RP_OK)
            rc = rp_corpus_add_input(*out, tmp);
        if (rc == RP_OK && h)
            rpi_corpus_hooks(*out, h);
        if (rc == RP_OK)
            rc = rp_corpus_run(*out);
        if (rc != RP_OK)
            rpi_fmt(x->err, sizeof x->err, "%s", *out ? rp_errmsg(*out) : "out of memory");
    }
    unlink(tmp);
    return rc;
}

int rp_index_export(rp_index *x, rp_corpus **out)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    RP_TRY(rpi_index_prepare(x, "SELECT id, text, date, source, url, title FROM docs ORDER BY doc",
                             &st));
    RP_TRY(rpi_index_run_rows(x, st, 1, NULL, 0, out));
    if (!*out) {
        rpi_fmt(x->err, sizeof x->err, "%s: the index holds no document", x->path);
        return RP_EINVAL;
    }
    return RP_OK;
}

/* ---- the count cache ------------------------------------------------------------- */

static size_t slot_of(const rpi_countcache *c, uint64_t key)
{
    size_t i = (size_t)(key ^ (key >> 31)) & (c->cap - 1);
    while (c->key[i] && c->key[i] != key)
        i = (i + 1) & (c->cap - 1);
    return i;
}

int rpi_countcache_get(const rpi_countcache *c, uint64_t key, uint32_t *count)
{
    if (!c->cap || !key)
        return 0;
    size_t i = slot_of(c, key);
    if (!c->key[i])
        return 0;
    *count = c->count[i];
    return 1;
}

void rpi_countcache_clear(rpi_countcache *c)
{
    if (c->cap)
        memset(c->key, 0, c->cap * sizeof *c->key);
    c->n = 0;
}

void rpi_countcache_free(rpi_countcache *c)
{
    rpi_free(c->key);
    rpi_free(c->count);
    memset(c, 0, sizeof *c);
}

static int grow(rpi_countcache *c)
{
    size_t cap = c->cap ? 2 * c->cap : 4096;
    uint64_t *k = rpi_calloc_huge(cap, sizeof *k); /* read at random, as count tables */
    uint32_t *v = rpi_calloc_huge(cap, sizeof *v);
    if (!k || !v) {
        rpi_free(k);
        rpi_free(v);
        return RP_ENOMEM;
    }
    rpi_countcache old = *c;
    c->key = k;
    c->count = v;
    c->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.key[i]) {
            size_t j = slot_of(c, old.key[i]);
            c->key[j] = old.key[i];
            c->count[j] = old.count[i];
        }
    rpi_free(old.key);
    rpi_free(old.count);
    return RP_OK;
}

int rpi_countcache_put(rpi_countcache *c, uint64_t key, uint32_t count)
{
    if (!key)
        return RP_OK;
    if (c->n >= RPI_COUNTCACHE_MAX)
        rpi_countcache_clear(c);
    if (4 * (c->n + 1) > 3 * c->cap)
        RP_TRY(grow(c));
    size_t i = slot_of(c, key);
    if (!c->key[i]) {
        c->key[i] = key;
        c->n++;
    }
    c->count[i] = count;
    return RP_OK;
}

void rpi_countcache_add(rpi_countcache *c, uint64_t key, uint32_t n)
{
    if (!c->cap || !key)
        return;
    size_t i = slot_of(c, key);
    if (c->key[i])
        c->count[i] += n;
}

int rpi_index_check_cache(rp_index *x)
{
    int64_t v;
    RP_TRY(rpi_index_int(x, "PRAGMA data_version", &v));
    if (v != x->data_version) {
        rpi_countcache_clear(&x->cache[0]);
        rpi_countcache_clear(&x->cache[1]);
        x->ndocs = -1;
        x->freq_state = 0; /* (another process may have added line_counts_ge4 too) */
        if (x->features < 0)
            x->features = 0; /* (and the features table) */
        x->data_version = v;
    }
    return RP_OK;
}

int rpi_index_make_frequent(rp_index *x)
{
    if (x->freq_state > 0)
        return RP_OK;
    /* (An index made before line_counts_ge4 gets it at its first add:
     * one pass over line_counts.) */
    RP_TRY(rpi_index_exec(x, FREQUENT_SQL));
    x->freq_state = 0;
    return RP_OK;
}

int rpi_index_make_features(rp_index *x)
{
    if (x->features > 0)
        return RP_OK;
    RP_TRY(rpi_index_exec(x, FEATURES_SQL));
    x->features = 1;
    return RP_OK;
}

/* Does the database hold the schema object (type, name)? 1 or -1 into *state. */
static int schema_has(rp_index *x, const char *type, const char *name, int *state)
{
    sqlite3_stmt *st;
    RP_TRY(rpi_index_prepare(x, "SELECT count(*) FROM sqlite_master WHERE type = ? AND name = ?",
                             &st));
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    int r = sqlite3_step(st);
    *state = r == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0 ? 1 : -1;
    int rc = r == SQLITE_ROW ? RP_OK : rpi_index_dberr(x, NULL);
    rpi_index_finish(x, st);
    return rc;
}

int rpi_index_has_features(rp_index *x)
{
    return x->features != 0 ? RP_OK : schema_has(x, "table", "features", &x->features);
}

int rpi_index_frequent(rp_index *x)
{
    if (x->freq_state != 0)
        return RP_OK;
    int has;
    RP_TRY(schema_has(x, "index", "line_counts_ge4", &has));
    if (has < 0) {
        x->freq_state = -1;
        return RP_OK;
    }
    sqlite3_stmt *st;
    RP_TRY(rpi_index_prepare(x, "SELECT key FROM line_counts INDEXED BY line_counts_ge4 "
                                "WHERE n >= 4", &st));
    size_t cap = 0;
    int r, rc = RP_OK;
    x->nfreq = 0;
    while (rc == RP_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        rc = rpi_grow((void **)&x->freq, &cap, x->nfreq + 1, sizeof *x->freq);
        if (rc == RP_OK)
            x->freq[x->nfreq++] = (uint64_t)sqlite3_column_int64(st, 0);
    }
    if (rc == RP_OK && r != SQLITE_DONE)
        rc = rpi_index_dberr(x, NULL);
    rpi_index_finish(x, st);
    if (rc == RP_OK) {
        uint64_t *tmp = NULL;
        size_t captmp = 0;
        rc = rpi_sort_u64(x->freq, x->nfreq, &tmp, &captmp);
        rpi_free(tmp);
    }
    if (rc == RP_OK)
        x->freq_state = 1;
    return rc;
}
