/* SPDX-License-Identifier: MIT */
/*
 * index_int.h -- the persistent index (stage 8): the rp_index handle, shared
 * by index.c (the database: schema, opening, settings, statistics, export)
 * and place.c (adding a batch: candidates, comparison, clusters, stories).
 */
#ifndef RP_INDEX_INT_H
#define RP_INDEX_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "corpus_int.h"

/* How long a writer waits for another one to finish its batch. */
#define RPI_INDEX_BUSY_MS 10000

/*
 * Counts read from the index, kept by the handle (a long-lived one, as
 * `reprint serve` holds, reads each key once): a map of key to count,
 * open addressing. It is emptied when another connection has written
 * (PRAGMA data_version) and kept up to date with the handle's own adds.
 */
typedef struct rpi_countcache {
    uint64_t *key; /* 0: empty slot (the key 0 is never cached) */
    uint32_t *count;
    size_t cap, n; /* slots (a power of two, or 0), entries */
} rpi_countcache;

/* Entries kept at most per table (about 16 bytes each with the free slots):
 * 8 MB a table; a server keeps a few handles. */
#define RPI_COUNTCACHE_MAX ((size_t)1 << 19)

/*
 * The write-ahead log is copied into the database (a checkpoint) by a thread
 * of the handle's own, once a commit leaves RPI_INDEX_CKPT_PAGES pages in it
 * (SQLite's own default), so that a single add does not wait for it: inline,
 * the add that crossed the mark paid for the copy and its fsync. Large commits
 * and a log past RPI_INDEX_CKPT_INLINE times as many pages still checkpoint inline
 * (wal_hook, index.c, says why).
 */
#define RPI_INDEX_CKPT_PAGES 1000
#define RPI_INDEX_CKPT_INLINE 4 /* times RPI_INDEX_CKPT_PAGES */
typedef struct rpi_ckpt {
    pthread_t thread;
    pthread_mutex_t mu; /* guards the flags below but pages */
    pthread_cond_t cv;
    int started; /* the thread runs (joined by rp_index_close) */
    int pending; /* a commit asked for a checkpoint the thread has not begun */
    int running; /* the thread is making one */
    int stop; /* rp_index_close asks it to end */
    int failed; /* it could not start or open its connection: commits checkpoint inline */
    uint64_t bigseq; /* large commits given to the thread (the next large write waits for their copy) */
    uint64_t bigdone; /* of them, those it has copied (or that were copied inline) */
    int bigpages; /* pages in the log after the last of them */
    int written; /* pages the handle had written to the log at its last commit */
    int pages; /* pages in the log after it (0 after a checkpoint made inline) */
    int mark; /* RPI_INDEX_CKPT_PAGES, or fewer for a test */
} rpi_ckpt;

/* Steps of a batch, timed for bench/bench_index. */
enum { RPI_TC_PASS1, RPI_TC_PASS2, RPI_TC_PASS3, RPI_TC_COUNTS, RPI_TC_ROWS, RPI_TC_REST,
       RPI_TC_N };
enum { RPI_T_RUNA, RPI_T_IDS, RPI_T_COUNTS, RPI_T_CANDIDATES, RPI_T_RUNC, RPI_T_PLACE,
       RPI_T_WRITE, RPI_T_COMMIT, RPI_T_N };

/*
 * Statements stay prepared across calls: a query prepared 13 of them
 * each time, 7% of its time. A handle is used by one thread at a time (the
 * service lends one to each request), so the cache needs no lock. It holds
 * the statements of both of the handle's connections (a batch writing ahead
 * reads on the second: place.c).
 */
#define RPI_STMT_CACHE 64
typedef struct rpi_stmt {
    sqlite3 *db; /* its connection */
    const char *sql; /* its text */
    sqlite3_stmt *st;
    int busy; /* handed out, not yet given back with rpi_index_finish */
} rpi_stmt;

struct rp_index {
    sqlite3 *db; /* the database (for a batch's reads while it writes beside them: rdb) */
    sqlite3 *rdb; /* a second connection, reading only, opened at the first batch that
                     writes beside its reading (rpi_index_reader; place.c, ahead_start) */
    char *path; /* its path, for messages */
    char *file; /* the file x->db opened, by its full name (the second connection and the
                   checkpointing thread's open it: not path, which a chdir since may move) */
    rp_options opt; /* the caller's options with the index's settings */
    int readonly; /* opened for reading */
    char err[1024]; /* last error */
    rpi_buf scratch; /* strings handed out by the lookups (lookup.c) */
    double t_add[RPI_T_N]; /* seconds per step of the last rp_index_add (bench/) */
    size_t ncandidates; /* candidates of the last batch (bench/) */
    /* Run C of the last batch (bench/): pass 1, pass 2, pass 3, the
     * collection's counts of its keys, the candidates' rows read, the rest. */
    double t_runc[RPI_TC_N];
    size_t nretries; /* split adds done again: another connection wrote in between */
    size_t nahead; /* batches that wrote their postings and counts ahead (place.c) */
    /* Test hook: when set, every add that may is split (add, place.c), and this
     * runs between its reading and its writing. */
    void (*test_between)(rp_index *x, void *ctx);
    void *test_between_ctx;
    size_t nrunc, nrunc_stored; /* run C of the last batch: documents, and of them those whose
                                   stored features it took (bench/) */
    rpi_countcache cache[2]; /* counts of line keys (0) and words (1) */
    int64_t data_version; /* PRAGMA data_version when the caches were checked */
    int64_t ndocs; /* documents in the index as of data_version; -1: not known */
    /* The line keys in RPI_LINE_FREQUENT documents or more (sorted), as of
     * data_version: freq_state 1 when read, 0 when to be read, -1 when the
     * index has no line_counts_ge4 (an index made before it, not yet
     * added to). */
    uint64_t *freq;
    size_t nfreq;
    int freq_state;
    /* The features table (stored.c): 1 there, -1 not (an index made before
     * it, not yet added to), 0 not known yet. */
    int features;
    rpi_stmt stmts[RPI_STMT_CACHE]; /* statements kept prepared (rpi_index_prepare) */
    int nstmts;
    rpi_ckpt ckpt; /* checkpoints of a handle that writes */
};

/* Look key up in c: 1 and *count when cached, else 0. */
int rpi_countcache_get(const rpi_countcache *c, uint64_t key, uint32_t *count);
/* Cache key's count (emptied first when full). */
int rpi_countcache_put(rpi_countcache *c, uint64_t key, uint32_t count);
/* Add n to key's count when cached. */
void rpi_countcache_add(rpi_countcache *c, uint64_t key, uint32_t n);
void rpi_countcache_clear(rpi_countcache *c);
void rpi_countcache_free(rpi_countcache *c);
/* Empty the caches when another connection wrote since the last check. */
int rpi_index_check_cache(rp_index *x);
/* Is the thread copying a large commit (rpi_ckpt.bigseq past bigdone)? */
int rpi_index_ckpt_big(rp_index *x);
/* Wait until the thread has copied the large commit it was given, if any. */
void rpi_index_ckpt_wait(rp_index *x);
/* Does the index have its features table (rp_index.features)? In a write
 * transaction, make it (rpi_index_make_features). */
int rpi_index_has_features(rp_index *x);
int rpi_index_make_features(rp_index *x);
/* Read the frequent line keys (rp_index.freq) when they are to be read. */
int rpi_index_frequent(rp_index *x);
/* Does the index have line_counts_ge4? In a write transaction, make it. */
int rpi_index_make_frequent(rp_index *x);

/* A batch being added (place.c; its stories: stories.c). */
/* The collection's counts of the keys a small run reads, asked as it reads
 * them (rpi_counter.resolve; place.c). */
/*
 * Line keys in at least this many documents of an index are listed by the
 * partial index line_counts_ge4 (and read into rp_index.freq): a line
 * key not listed is in at most 3, so with at most one new document carrying
 * it (a query, a single add) it is in fewer than 5, below every bound of
 * furniture by frequency (linecount.c), and its count need not be looked up.
 * At 100,000 documents 1,385 of 5,056,104 line keys are listed.
 */
#define RPI_LINE_FREQUENT 4

typedef struct rpi_lazy_count {
    struct batch *bt;
    sqlite3_stmt *q; /* the key's count in the index */
    const rpi_counts *own; /* the new documents' counts (run C) */
    rpi_countcache *cache;
    int rc; /* a failed look-up: the run's result is not used */
} rpi_lazy_count;

typedef struct batch {
    rp_index *x;
    int again; /* read again after a split add found the index changed (warnings given) */
    char **zf; /* the new documents' features as zstd frames (compress_features) */
    size_t *zn;
    rp_corpus *a; /* run A: the new documents */
    rp_corpus *m; /* run C: candidates, then the new documents */
    const char *mem; /* the documents to add, when a buffer (rp_index_add_buffer) */
    size_t memlen;
    char *cbuf; /* run C's input (JSONL, open_memstream), freed with the batch */
    size_t clen;
    int64_t nindexed; /* documents in the index before the batch */
    int64_t next; /* index number of the first new document */
    size_t n; /* new documents */
    int64_t *cand; /* candidates' index numbers, ascending */
    size_t ncand;
    int query; /* answered, not added (RP_INDEX_QUERY) */
    char **stored; /* run C: per document, its stored features (rpi_stored_make), or NULL:
                      the candidates' from the index (owned), the new ones' run A's */
    size_t *stored_len; /* their bytes */
    rpi_counts own; /* counts of the new documents' keys: lines (0) and terms (1) */
    rpi_counts own_terms;
    int run; /* which run the stats hook serves: 0 = A, 1 = C */
    double t_counts, t_rows; /* run C: the stats hook's time, the candidates' rows' */
    rpi_lazy_count lazy[2]; /* line and term counts read as a run reads them (lazy_counts) */
    pthread_mutex_t lock; /* held for a look-up by a run of several threads */
    struct rpi_ahead *ahead; /* the postings and counts written beside the reading (place.c) */
    int posted; /* they are written */
    sqlite3_stmt *q_line, *q_term; /* count of a key */
    /* Placement. */
    int64_t *cluster, *story; /* per new document */
    rpi_buf vec; /* the new documents' story vectors (rpi_batch_vectors), one record each */
    size_t *vec_at; /* per new document its record's offset in vec; [n] = vec.len */
    int64_t *relabel; /* pairs (from, to) of clusters joined in this batch */
    size_t nrelabel, caprelabel;
    size_t nreplaced; /* indexed documents replaced (removed) by this batch */
    rpi_vec reseed; /* indexed documents whose story is recomputed (a replaced one's) */
    int64_t *restory; /* pairs (document, story) of indexed documents whose story changes */
    size_t nrestory, caprestory;
    rp_placement *pl; /* per new document */
} batch;

/* Index number of document d of run C (candidates first, then the new documents). */
int64_t rpi_batch_number(const batch *bt, uint32_t d);

/* A cluster after the joins of this batch. */
int64_t rpi_batch_cluster(const batch *bt, int64_t k);

/*
 * The stories of the batch's documents, by the scan's own rule (story.c) on the
 * part of the collection it touches: the documents linked to a new one by a
 * chain of story pairs (stored, and the batch's). A story is numbered by its
 * first document, so it keeps its number as documents join it. Sets
 * bt->story, and bt->restory for the indexed documents whose story changes.
 */
int rpi_batch_stories(batch *bt);
/*
 * The new documents' story vectors (doc_features.h) into bt->vec, as run A's
 * pass 2 made them (hooks.vectors), weighed with the collection's counts as
 * the batch is added: every document's, whatever its size or the memory
 * budget. The index keeps them (table vectors) as it keeps the pairs: the
 * story join of a later batch reads what was computed when each document
 * was added.
 */
int rpi_batch_vectors(batch *bt);

/* "path: sqlite's message", into x->err; returns RP_EIO (RP_ENOMEM when sqlite says so). */
int rpi_index_dberr(rp_index *x, const char *what);

/* Open x->rdb, the handle's second connection (reading only), if not open. */
int rpi_index_reader(rp_index *x);

/* Run one statement without results. */
int rpi_index_exec(rp_index *x, const char *sql);

/* Prepare sql into *st (or take it, reset, from the handle's statements);
 * give it back with rpi_index_finish. */
int rpi_index_prepare(rp_index *x, const char *sql, sqlite3_stmt **st);
/* Give back a statement of rpi_index_prepare (NULL is allowed). */
void rpi_index_finish(rp_index *x, sqlite3_stmt *st);

/* One integer from a query without parameters (0 when no row). */
int rpi_index_int(rp_index *x, const char *sql, int64_t *out);

/*
 * Write documents as JSONL records (id, text, and the metadata date, source,
 * url, title when present) to f, from the rows of st (columns: id, text,
 * date, source, url, title), with the index's field names.
 */
int rpi_index_write_rows(rp_index *x, sqlite3_stmt *st, FILE *f, uint64_t *n);

/* Options of a run over documents the index wrote as JSONL (rpi_index_write_rows):
 * its settings, its field names; warnings only when report is set. */
rp_options rpi_index_run_options(const rp_index *x, int report);

/*
 * Run the pipeline on the documents of the rows of st (prepared and bound,
 * columns as rpi_index_write_rows takes them; finalized here): written as
 * JSONL to a temporary file and read with rpi_index_run_options(x, report),
 * the hooks h (or none) and threads (0: the index's). *out is the corpus run,
 * or NULL when st gave no row.
 */
int rpi_index_run_rows(rp_index *x, sqlite3_stmt *st, int report, const rpi_hooks *h,
                       int threads, rp_corpus **out);

/* A temporary file in $TMPDIR (unlinked by the caller): its path into path. */
FILE *rpi_index_tmpfile(rp_index *x, char *path, size_t cap);

#endif /* RP_INDEX_INT_H */
