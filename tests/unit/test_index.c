/* SPDX-License-Identifier: MIT */
/*
 * test_index.c -- unit tests of the persistent index through the public API
 * (rp_index_*): create and open (settings stored, a file that exists, a
 * missing file, another format version), adding from memory and the
 * placement of each document, a query that changes nothing, the lookups a
 * server answers with (a document, its related pairs oriented from it with
 * passages and differences, the members of a cluster and a story, a story's
 * timeline), and counts that a handle keeps: when another handle adds, the
 * first one answers as a fresh one would; a handle adding batch after batch
 * keeps the write-ahead log short; the features stored with each document are
 * the ones a query takes, and what it would compute; the stories stored after
 * documents come one at a time are what the story join makes of the stored
 * pairs.
 */
#include "unit.h"
#include <pthread.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "doc_features.h"
#include "index_int.h"
#include "relate.h"
#include "reprint.h"

/* Three short reports: a and b tell one event with shared wording, c is b's copy. */
static const char docs_ab[] =
    "{\"id\":\"a\",\"date\":\"2025-03-21\",\"text\":\"The harbour board of Port Ellis approved "
    "the new ferry timetable on Monday after a long meeting. Ferries will leave every forty "
    "minutes from the north pier, the chair Maria Okafor said. The old timetable had boats "
    "every hour. Residents had asked for more crossings for years.\"}\n"
    "{\"id\":\"b\",\"date\":\"2025-03-21\",\"text\":\"Port Ellis ferries will run more often. "
    "Ferries will leave every forty minutes from the north pier, the chair Maria Okafor said. "
    "The harbour board approved the timetable on Monday. Residents had asked for more "
    "crossings for years, and the board agreed.\"}\n";
static const char doc_c[] =
    "{\"id\":\"c\",\"date\":\"2025-03-22\",\"text\":\"Port Ellis ferries will run more often. "
    "Ferries will leave every forty minutes from the north pier, the chair Maria Okafor said. "
    "The harbour board approved the timetable on Monday. Residents had asked for more "
    "crossings for years, and the board agreed.\"}\n";

typedef struct placed {
    char id[8][16];
    rp_relation rel[8];
    char closest[8][16];
    int64_t cluster[8], story[8];
    int new_cluster[8], new_story[8];
    int n;
} placed;

static void on_placement(void *user, const rp_placement *p)
{
    placed *pl = user;
    int i = pl->n++;
    snprintf(pl->id[i], sizeof pl->id[i], "%s", p->id);
    pl->rel[i] = p->relation;
    snprintf(pl->closest[i], sizeof pl->closest[i], "%s", p->closest ? p->closest : "-");
    pl->cluster[i] = p->cluster;
    pl->story[i] = p->story;
    pl->new_cluster[i] = p->new_cluster;
    pl->new_story[i] = p->new_story;
}

static void path_in(char *dst, size_t cap, const char *dir)
{
    ut_join(dst, cap, dir, "t.db");
}

/* A new index with the default settings in a new folder (dir[4096]; remove it
 * with ut_rmtree), at db[4200]. */
static rp_index *fresh_index(char *dir, char *db)
{
    ut_tmpdir(dir, 4096);
    path_in(db, 4200, dir);
    rp_index *x = NULL;
    assert_int_equal(rp_index_create(&x, db, NULL), RP_OK);
    return x;
}

static void test_create_open_errors(void **state)
{
    (void)state;
    char dir[4096], db[4200];
    ut_tmpdir(dir, sizeof dir);
    path_in(db, sizeof db, dir);
    rp_options o;
    rp_options_init(&o);
    o.ngram = 4;
    o.threshold = 0.9;
    rp_index *x = NULL;
    assert_int_equal(rp_index_create(&x, db, &o), RP_OK);
    rp_index_close(x);
    /* Created once. */
    assert_int_equal(rp_index_create(&x, db, &o), RP_EINVAL);
    assert_non_null(strstr(rp_index_errmsg(x), "already exists"));
    rp_index_close(x);
    /* The stored settings win over the caller's. */
    rp_options other;
    rp_options_init(&other);
    assert_int_equal(rp_index_open(&x, db, &other, 1), RP_OK);
    rp_index_info st;
    assert_int_equal(rp_index_stats(x, &st), RP_OK);
    assert_int_equal(st.ngram, 4);
    assert_true(st.threshold == 0.9);
    assert_int_equal(st.ndocs, 0);
    assert_int_equal(st.format, RP_INDEX_FORMAT);
    /* A read-only handle does not add. */
    assert_int_equal(rp_index_add_buffer(x, docs_ab, strlen(docs_ab), "body", 0, NULL, NULL),
                     RP_EINVAL);
    rp_index_close(x);
    /* No such file. */
    char missing[4300];
    ut_join(missing, sizeof missing, dir, "none.db");
    assert_int_equal(rp_index_open(&x, missing, NULL, 0), RP_EIO);
    assert_non_null(strstr(rp_index_errmsg(x), "index create"));
    rp_index_close(x);
    /* Another format version: refused, both versions named. */
    sqlite3 *db3;
    char sql[100], other_format[40], this_format[40];
    snprintf(sql, sizeof sql, "UPDATE meta SET value = '%d' WHERE key = 'format'",
             RP_INDEX_FORMAT + 1);
    snprintf(other_format, sizeof other_format, "index format %d", RP_INDEX_FORMAT + 1);
    snprintf(this_format, sizeof this_format, "reads format %d only", RP_INDEX_FORMAT);
    assert_int_equal(sqlite3_open(db, &db3), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db3, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db3);
    assert_int_equal(rp_index_open(&x, db, NULL, 0), RP_EINVAL);
    assert_non_null(strstr(rp_index_errmsg(x), other_format));
    assert_non_null(strstr(rp_index_errmsg(x), this_format));
    rp_index_close(x);
    ut_rmtree(dir);
}

static void on_member(void *user, const rp_indexed *d)
{
    char *ids = user;
    strcat(ids, d->id);
}

static void on_related(void *user, const rp_index_pair *p)
{
    char *out = user;
    char line[256];
    snprintf(line, sizeof line, "%s-%s %s %zu;", p->a->id, p->b->id,
             rp_relation_name(p->pair.relation), p->npassages);
    strcat(out, line);
    /* Passages are oriented: a_* into the text of the document asked about. */
    for (size_t i = 0; i < p->npassages; i++)
        assert_true(p->passages[i].a_start < p->passages[i].a_end &&
                    p->passages[i].b_start < p->passages[i].b_end);
}

static void on_event(void *user, const rp_index_event *e)
{
    char *out = user;
    char line[64];
    snprintf(line, sizeof line, "%lld:%lld:%s:%d;", (long long)e->story, (long long)e->size,
             e->first, e->self);
    strcat(out, line);
}

static void test_add_query_lookups(void **state)
{
    (void)state;
    char dir[4096], db[4200];
    rp_index *x = fresh_index(dir, db);
    placed pl = {0};
    assert_int_equal(rp_index_add_buffer(x, docs_ab, strlen(docs_ab), "body", 0, on_placement, &pl),
                     RP_OK);
    assert_int_equal(pl.n, 2);
    assert_string_equal(pl.id[0], "a");
    assert_int_equal(pl.rel[0], RP_REL_UNRELATED);
    assert_string_equal(pl.closest[0], "-");
    assert_true(pl.new_cluster[0] && pl.new_story[0]);
    assert_string_equal(pl.id[1], "b");
    assert_string_equal(pl.closest[1], "a");
    assert_true(pl.rel[1] <= RP_REL_SAME_STORY);
    assert_int_equal(pl.story[1], 1); /* it joined a's story, numbered by a */
    /* A query answers as an add would and adds nothing. */
    placed q = {0};
    assert_int_equal(rp_index_add_buffer(x, doc_c, strlen(doc_c), "body", RP_INDEX_QUERY,
                                         on_placement, &q),
                     RP_OK);
    assert_int_equal(q.n, 1);
    assert_int_equal(q.rel[0], RP_REL_DUPLICATE);
    assert_string_equal(q.closest[0], "b");
    assert_int_equal(q.cluster[0], 2); /* b's cluster */
    rp_index_info st;
    assert_int_equal(rp_index_stats(x, &st), RP_OK);
    assert_int_equal(st.ndocs, 2);
    placed c = {0};
    assert_int_equal(rp_index_add_buffer(x, doc_c, strlen(doc_c), "body", 0, on_placement, &c),
                     RP_OK);
    assert_int_equal(c.rel[0], q.rel[0]);
    assert_int_equal(c.cluster[0], q.cluster[0]);
    assert_int_equal(c.story[0], 1);
    /* The same id again: an error naming the body's line, nothing added. */
    assert_int_equal(rp_index_add_buffer(x, doc_c, strlen(doc_c), "body", 0, NULL, NULL),
                     RP_EBADINPUT);
    assert_non_null(strstr(rp_index_errmsg(x), "body:1: document \"c\" is already in the index"));
    /* Lookups. */
    rp_indexed d;
    assert_int_equal(rp_index_get(x, "b", 0, &d), 1);
    assert_int_equal(d.number, 2);
    assert_string_equal(d.date, "2025-03-21");
    assert_null(d.source);
    assert_non_null(strstr(d.text, "forty minutes"));
    assert_int_equal(d.text_len, strlen(d.text));
    assert_int_equal(rp_index_get(x, NULL, 3, &d), 1);
    assert_string_equal(d.id, "c");
    assert_int_equal(rp_index_get(x, "../etc/passwd", 0, &d), 0);
    char rel[1024] = "";
    assert_int_equal(rp_index_related(x, 2, on_related, rel), 2);
    /* b's pairs, from b: its copy c first (duplicate), then a. */
    assert_non_null(strstr(rel, "b-c duplicate"));
    assert_true(strstr(rel, "b-c") < strstr(rel, "b-a"));
    char ids[64] = "";
    assert_int_equal(rp_index_members(x, 0, 2, on_member, ids), 2);
    assert_string_equal(ids, "bc");
    ids[0] = 0;
    assert_int_equal(rp_index_members(x, 1, 1, on_member, ids), 3);
    assert_string_equal(ids, "abc");
    assert_int_equal(rp_index_members(x, 1, 99, on_member, ids), 0);
    char ev[256] = "";
    assert_int_equal(rp_index_timeline(x, 1, on_event, ev), 1);
    assert_string_equal(ev, "1:3:2025-03-21:1;");
    assert_int_equal(rp_index_timeline(x, 42, on_event, ev), 0);
    rp_index_close(x);
    ut_rmtree(dir);
}

static void on_scores(void *user, const rp_index_pair *p)
{
    double *v = user;
    v[0] += p->pair.event;
    v[1] += p->pair.specifics;
    v[2] += p->pair.similarity;
}

/* Build an index in dir/name: a and b, six m documents sharing c's words, then
 * c. With warm, the handle that adds c first queries c (reading, and keeping,
 * the counts c is weighed with) and the m documents are added by another handle
 * (warm 1) or by itself (warm 2); with warm 0 each step has a fresh handle.
 * The sum of c's pair scores goes to scores. */
static void build(const char *dir, const char *name, int warm, double *scores)
{
    char db[4200];
    ut_join(db, sizeof db, dir, name);
    rp_index *x = NULL, *y = NULL;
    assert_int_equal(rp_index_create(&x, db, NULL), RP_OK);
    assert_int_equal(rp_index_add_buffer(x, docs_ab, strlen(docs_ab), "body", 0, NULL, NULL),
                     RP_OK);
    if (warm)
        assert_int_equal(rp_index_add_buffer(x, doc_c, strlen(doc_c), "body", RP_INDEX_QUERY,
                                             NULL, NULL),
                         RP_OK);
    else
        rp_index_close(x);
    char more[4096] = "";
    for (int i = 0; i < 6; i++) {
        char line[512];
        snprintf(line, sizeof line,
                 "{\"id\":\"m%d\",\"text\":\"Ferries will leave every forty minutes from the "
                 "north pier of town %d, the chair Maria Okafor said on day %d.\"}\n",
                 i, i, i);
        strcat(more, line);
    }
    if (warm == 2) {
        assert_int_equal(rp_index_add_buffer(x, more, strlen(more), "more", 0, NULL, NULL),
                         RP_OK);
    } else {
        assert_int_equal(rp_index_open(&y, db, NULL, 0), RP_OK);
        assert_int_equal(rp_index_add_buffer(y, more, strlen(more), "more", 0, NULL, NULL),
                         RP_OK);
        rp_index_close(y);
    }
    if (!warm)
        assert_int_equal(rp_index_open(&x, db, NULL, 0), RP_OK);
    assert_int_equal(rp_index_add_buffer(x, doc_c, strlen(doc_c), "body", 0, NULL, NULL), RP_OK);
    memset(scores, 0, 3 * sizeof *scores);
    assert_true(rp_index_related(x, 9, on_scores, scores) >= 2); /* c is document 9 */
    rp_index_close(x);
}

/* A handle keeps the counts it read; neither another handle's adds nor its own
 * may leave it weighing words with stale ones: it stores a fresh handle's scores. */
static void test_counts_follow_other_writers(void **state)
{
    (void)state;
    char dir[4096];
    ut_tmpdir(dir, sizeof dir);
    double other[3], self[3], fresh[3];
    build(dir, "other.db", 1, other);
    build(dir, "self.db", 2, self);
    build(dir, "fresh.db", 0, fresh);
    for (int k = 0; k < 3; k++) {
        assert_true(other[k] == fresh[k]);
        assert_true(self[k] == fresh[k]);
    }
    ut_rmtree(dir);
}

/* Pages in the write-ahead log file of db (its size: the log is reused from
 * its start after a checkpoint, so the size is the most it has held), and
 * how many times it started again (the header's checkpoint sequence). */
static long wal_pages(const char *db, unsigned *restarts)
{
    char wal[4300];
    snprintf(wal, sizeof wal, "%s-wal", db);
    struct stat sb;
    if (stat(wal, &sb) != 0)
        return 0;
    unsigned char h[16] = {0};
    FILE *f = fopen(wal, "rb");
    assert_non_null(f);
    assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
    fclose(f);
    *restarts = (unsigned)h[12] << 24 | (unsigned)h[13] << 16 | (unsigned)h[14] << 8 | h[15];
    return (long)(sb.st_size / (4096 + 24));
}

/* Document i: two of twelve sentences, on lines of their own. Once the
 * first twelve are in, every line and word of a later one is in the index,
 * so each look-up of a batch's counts finds its row. */
static void numbered_docs(char *buf, size_t cap, int first, int n)
{
    static const char *const sentence[12] = {
        "The council met on Monday.", "Ferries will leave every forty minutes.",
        "Residents had asked for more crossings.", "The harbour board approved the plan.",
        "The chair Maria Okafor spoke first.", "Tickets will cost two euros.",
        "The north pier opens in May.", "Fishermen asked for a quieter berth.",
        "The mayor thanked the volunteers.", "Rain delayed the ceremony.",
        "A new cafe opened by the quay.", "The old timetable had hourly boats."};
    size_t len = 0;
    buf[0] = '\0';
    for (int i = first; i < first + n; i++) {
        len += (size_t)snprintf(buf + len, cap - len, "{\"id\":\"n%d\",\"text\":\"%s\\n%s\"}\n",
                                i, sentence[i % 12], sentence[(i / 12 + i + 1) % 12]);
        assert_true(len < cap);
    }
}

/* A new index at dir/name (db[4200]), opened again for writing with
 * checkpoints from `pages` pages (REPRINT_TEST_CKPT_PAGES), as the log tests
 * want it. */
static rp_index *log_index(char *dir, char *db, const char *name, const char *pages)
{
    ut_tmpdir(dir, 4096);
    ut_join(db, 4200, dir, name);
    setenv("REPRINT_TEST_CKPT_PAGES", pages, 1);
    rp_index *x = NULL;
    assert_int_equal(rp_index_create(&x, db, NULL), RP_OK);
    rp_index_close(x);
    assert_int_equal(rp_index_open(&x, db, NULL, 0), RP_OK);
    return x;
}

/* The end of a log test: every document is there once the handle (and its
 * thread) closed. */
static void log_index_done(rp_index *x, char *dir, const char *db, uint64_t ndocs)
{
    rp_index_close(x);
    unsetenv("REPRINT_TEST_CKPT_PAGES");
    assert_int_equal(rp_index_open(&x, db, NULL, 1), RP_OK);
    rp_index_info st;
    assert_int_equal(rp_index_stats(x, &st), RP_OK);
    assert_int_equal(st.ndocs, ndocs);
    rp_index_close(x);
    ut_rmtree(dir);
}

/* A handle that adds batch after batch keeps the log short: its commits are
 * checkpointed (by its thread for small ones), and the log starts again from
 * its beginning. A statement left on its row across a commit kept the
 * connection on its old snapshot, where no checkpoint could restart the log:
 * it grew by every page written (128,000 pages for the news corpus in
 * bench_index's batches of 1,000). With checkpoints from 50 pages
 * (REPRINT_TEST_CKPT_PAGES) the log holds at most 4 x 50 pages and a batch. */
static void test_log_stays_short(void **state)
{
    (void)state;
    char dir[4096], db[4200], buf[40 * 512];
    rp_index *x = log_index(dir, db, "log.db", "50");
    long most = 0;
    int next = 0;
    unsigned restarts = 0;
    /* Batches by two handles in turn: each finds the other's counts in the
     * index, not in its cache, so its look-ups find rows. */
    rp_index *y = NULL;
    assert_int_equal(rp_index_open(&y, db, NULL, 0), RP_OK);
    for (int b = 0; b < 30; b++, next += 10) {
        numbered_docs(buf, sizeof buf, next, 10);
        assert_int_equal(rp_index_add_buffer(b % 2 ? y : x, buf, strlen(buf), "batch", 0, NULL,
                                             NULL),
                         RP_OK);
        long p = wal_pages(db, &restarts);
        most = p > most ? p : most;
    }
    rp_index_close(y);
    for (int i = 0; i < 60; i++, next++) { /* single adds */
        numbered_docs(buf, sizeof buf, next, 1);
        assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "one", 0, NULL, NULL), RP_OK);
        long p = wal_pages(db, &restarts);
        most = p > most ? p : most;
    }
    /* Measured: at most 221 pages, 9 restarts; 2,410 pages and none before. */
    assert_true(most > 0);
    assert_true(most < 4 * 50 + 50); /* a batch here writes fewer than 50 pages */
    assert_true(restarts >= 5);
    log_index_done(x, dir, db, (uint64_t)next);
}

/*
 * Batches larger than the checkpoint mark (REPRINT_TEST_CKPT_PAGES=4: every
 * batch here writes more): each is copied into the database by the handle's
 * thread while the next one reads (a split add, wal_hook says why), and the
 * next write starts the log again, so the log holds about one batch.
 */
static void test_log_restarts_after_large_batches(void **state)
{
    (void)state;
    char dir[4096], db[4200], buf[40 * 512];
    rp_index *x = log_index(dir, db, "log.db", "4");
    long most = 0;
    unsigned restarts = 0, restarts0 = 0;
    int next = 0;
    for (int b = 0; b < 20; b++, next += 10) {
        numbered_docs(buf, sizeof buf, next, 10);
        assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
        long p = wal_pages(db, &restarts);
        if (b == 0)
            restarts0 = restarts;
        most = p > most ? p : most;
    }
    /* Measured: batches of 16 to 37 pages, the log at most 37 pages, 19
     * restarts in 19 batches (as when large batches were copied inline). */
    assert_true(most > 4);
    assert_true(most < 64);
    assert_true(restarts - restarts0 >= 18);
    assert_int_equal(x->nretries, 0);
    rp_index_close(x);
    /* Batches over the mark of 40 pages, each followed by single adds under
     * it, which do not wait for the batch's copy: the log still restarts at
     * the next batch, and stays within 4 x 40 pages and two batches. */
    setenv("REPRINT_TEST_CKPT_PAGES", "40", 1);
    assert_int_equal(rp_index_open(&x, db, NULL, 0), RP_OK);
    most = 0;
    for (int b = 0; b < 8; b++) {
        numbered_docs(buf, sizeof buf, next, 30);
        next += 30;
        assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
        for (int i = 0; i < 5; i++, next++) {
            numbered_docs(buf, sizeof buf, next, 1);
            assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "one", 0, NULL, NULL),
                             RP_OK);
            long p = wal_pages(db, &restarts);
            if (b == 0 && i == 0)
                restarts0 = restarts;
            most = p > most ? p : most;
        }
    }
    /* Measured: a batch of 30 documents writes about 70 pages, a single add
     * 5 to 30; the log at most 224 to 282 pages, 9 restarts in 8 batches and
     * 40 single adds (it restarts after a batch's copy, at a single add or at
     * the next batch). The log (a new one: the close before removed it) is
     * measured from the first single add. */
    assert_true(most < 4 * 40 + 2 * 128);
    assert_true(restarts - restarts0 >= 6);
    log_index_done(x, dir, db, (uint64_t)next);
}

/* A checkpointing thread that cannot open its connection (the test hook
 * REPRINT_TEST_CKPT_FAIL; out of file descriptors, say) leaves the copies to
 * the commits: the add after a large batch does not wait for it (it waited
 * for ever), and the log still restarts. */
static void test_ckpt_thread_fails(void **state)
{
    (void)state;
    char dir[4096], db[4200], buf[40 * 512];
    setenv("REPRINT_TEST_CKPT_FAIL", "1", 1);
    rp_index *x = log_index(dir, db, "fail.db", "4");
    unsigned restarts = 0, restarts0 = 0;
    alarm(60); /* (a hang ends the test binary) */
    for (int b = 0; b < 6; b++) {
        numbered_docs(buf, sizeof buf, 10 * b, 10);
        assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
        wal_pages(db, &restarts);
        if (b == 0)
            restarts0 = restarts;
    }
    alarm(0);
    assert_true(x->ckpt.failed);
    assert_true(restarts - restarts0 >= 4);
    unsetenv("REPRINT_TEST_CKPT_FAIL");
    log_index_done(x, dir, db, 60);
}

/* Another handle adds a and b while x, split, is between reading and writing
 * c (b's copy). */
typedef struct between {
    rp_index *y;
    int calls;
} between;

static void add_between(rp_index *x, void *ctx)
{
    (void)x;
    between *b = ctx;
    if (b->calls++ == 0)
        assert_int_equal(rp_index_add_buffer(b->y, docs_ab, strlen(docs_ab), "y", 0, NULL, NULL),
                         RP_OK);
}

/*
 * A split add reads on a snapshot and takes the write lock only to write.
 * When another handle commits in between, what it read is out of date: it
 * reads again under the write lock, and so c is placed as b's copy, as if the
 * two adds had come one after the other. When nothing came in between, it
 * writes what it read.
 */
static void test_split_add_reads_again(void **state)
{
    (void)state;
    char dir[4096], db[4200];
    rp_index *x = fresh_index(dir, db), *y = NULL;
    assert_int_equal(rp_index_open(&y, db, NULL, 0), RP_OK);
    between b = {y, 0};
    x->test_between = add_between;
    x->test_between_ctx = &b;
    placed pl = {0};
    assert_int_equal(rp_index_add_buffer(x, doc_c, strlen(doc_c), "x", 0, on_placement, &pl),
                     RP_OK);
    assert_int_equal(b.calls, 1); /* (done again with the write lock from the start) */
    assert_int_equal(x->nretries, 1);
    assert_int_equal(pl.n, 1);
    assert_string_equal(pl.id[0], "c");
    assert_int_equal(pl.rel[0], RP_REL_DUPLICATE);
    assert_string_equal(pl.closest[0], "b");
    /* Nothing in between: written as read. */
    static const char doc_d[] =
        "{\"id\":\"d\",\"text\":\"The harbour board of Port Ellis approved the new ferry "
        "timetable on Monday after a long meeting. Ferries will leave every forty minutes from "
        "the north pier, the chair Maria Okafor said. The old timetable had boats every hour. "
        "Residents had asked for more crossings for years.\"}\n";
    memset(&pl, 0, sizeof pl);
    assert_int_equal(rp_index_add_buffer(x, doc_d, strlen(doc_d), "x", 0, on_placement, &pl),
                     RP_OK);
    assert_int_equal(b.calls, 2);
    assert_int_equal(x->nretries, 1);
    assert_int_equal(pl.rel[0], RP_REL_DUPLICATE);
    assert_string_equal(pl.closest[0], "a");
    rp_index_info st;
    assert_int_equal(rp_index_stats(x, &st), RP_OK);
    assert_int_equal(st.ndocs, 4);
    rp_index_close(y);
    rp_index_close(x);
    ut_rmtree(dir);
}

/* The one integer sql (a count) gives on db. */
static long sql_count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long n = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The rows of table t in the database attached as a and not in b. */
static long rows_not_in(sqlite3 *db, const char *t, const char *a, const char *b)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT * FROM %s.%s EXCEPT SELECT * FROM %s.%s)",
             a, t, b, t);
    return sql_count(db, sql);
}

/* Document i of a collection where documents share runs of sentences (of
 * 24) and each has two of its own: passages, copies, key terms. */
static void report_docs(char *buf, size_t cap, int first, int n)
{
    static const char *const town[6] = {"Port Ellis", "Karvik", "Lennox Bay", "Dunmore",
                                        "Saltcote", "Brannock"};
    size_t len = 0;
    buf[0] = '\0';
    for (int i = first; i < first + n; i++) {
        len += (size_t)snprintf(buf + len, cap - len, "{\"id\":\"r%d\",\"text\":\"", i);
        for (int j = 0; j < 6; j++) {
            int k = (i / 3 + j) % 24;
            len += (size_t)snprintf(buf + len, cap - len,
                                    "The board of %s voted %d to %d on the plan for pier %d, "
                                    "which had been delayed since the storm of week %d. ",
                                    town[k % 6], 4 + k % 5, k % 4, k, 10 + k);
        }
        static const char *const syl[8] = {"ka", "lo", "mi", "ren", "sa", "to", "vi", "dun"};
        int g = i / 3; /* (three documents share a name) */
        len += (size_t)snprintf(buf + len, cap - len,
                                "Clerk %s%s%s filed report %d for ward %d on Tuesday.\"}\n",
                                syl[g % 8], syl[g / 8 % 8], syl[g / 64 % 8], i * 7, i % 13);
        assert_true(len < cap);
    }
}

/* The rows of table t in the database attached as a. */
static long table_rows(sqlite3 *db, const char *a, const char *t)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s.%s", a, t);
    return sql_count(db, sql);
}

/* The index at db opened for writing, its runs on `threads` threads. */
static rp_index *open_threads(const char *db, int threads)
{
    rp_options o;
    rp_options_init(&o);
    o.threads = threads;
    rp_index *x = NULL;
    assert_int_equal(rp_index_open(&x, db, &o, 0), RP_OK);
    return x;
}

/* An index at dir/name built on `threads` threads from batches of 100, 100
 * and 80 documents (report_docs: copies, shared passages, candidates); how
 * many batches wrote ahead into *ahead. */
static void ahead_index(const char *dir, const char *name, int threads, char *db, size_t *ahead)
{
    ut_join(db, 4200, dir, name);
    rp_index *x = NULL;
    assert_int_equal(rp_index_create(&x, db, NULL), RP_OK);
    rp_index_close(x);
    x = open_threads(db, threads);
    static char buf[100 * 1024];
    const int first[3] = {0, 100, 200}, n[3] = {100, 100, 80};
    for (int b = 0; b < 3; b++) {
        report_docs(buf, sizeof buf, first[b], n[b]);
        assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
    }
    *ahead = x->nahead;
    rp_index_close(x);
}

/*
 * A batch of more than 64 documents on several threads writes its postings
 * and counts on a thread of its own while it reads its candidates on a
 * second connection (place.c, ahead_start). Every table holds the same rows
 * as when one thread does all in turn.
 */
static void test_write_ahead_same_rows(void **state)
{
    (void)state;
    char dir[4096], one[4200], two[4200];
    size_t ahead1, ahead2;
    ut_tmpdir(dir, sizeof dir);
    ahead_index(dir, "one.db", 1, one, &ahead1);
    ahead_index(dir, "two.db", 2, two, &ahead2);
    assert_int_equal(ahead1, 0);
    assert_int_equal(ahead2, 3);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(one, &db), SQLITE_OK);
    char sql[4300];
    snprintf(sql, sizeof sql, "ATTACH '%s' AS two", two);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    static const char *const table[] = {"docs", "line_counts", "term_counts", "bands",
                                        "grams", "terms", "relations", "passages",
                                        "differences", "vectors", "features"};
    for (size_t t = 0; t < sizeof table / sizeof *table; t++) {
        assert_int_equal(rows_not_in(db, table[t], "main", "two"), 0);
        assert_int_equal(rows_not_in(db, table[t], "two", "main"), 0);
        /* (EXCEPT compares sets: a row written twice would not show) */
        assert_int_equal(table_rows(db, "main", table[t]), table_rows(db, "two", table[t]));
    }
    /* (and every table has rows to compare: 280 documents, 5,880 band keys,
     * 3,931 n-grams, 280 key terms, 18,227 pairs, 347 differences) */
    assert_int_equal(table_rows(db, "main", "docs"), 280);
    assert_int_equal(table_rows(db, "main", "bands"), 280 * 21);
    assert_true(table_rows(db, "main", "grams") > 1000);
    assert_true(table_rows(db, "main", "terms") >= 280);
    assert_true(table_rows(db, "main", "relations") > 10000);
    assert_true(table_rows(db, "main", "differences") > 100);
    sqlite3_close(db);
    ut_rmtree(dir);
}

/* The postings and counts of the index at db: rows of bands, grams, terms,
 * line_counts, term_counts, into n[5]. */
static void key_rows(const char *db, long n[5])
{
    static const char *const table[5] = {"bands", "grams", "terms", "line_counts",
                                         "term_counts"};
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    for (int t = 0; t < 5; t++)
        n[t] = table_rows(raw, "main", table[t]);
    sqlite3_close(raw);
}

/*
 * The thread writing ahead fails (here a trigger refuses its last rows, the
 * word counts, only while the batch's documents are not written: the thread
 * writes before them, an add writing in turn after them; a full disk would
 * fail it too): the add fails with SQLite's message, the index holds what it
 * held before, postings and counts the thread wrote included, and the next
 * add, once the cause is gone, succeeds, with its second connection's read
 * ended.
 */
static void test_write_ahead_fails(void **state)
{
    (void)state;
    char dir[4096], db[4200];
    rp_index *x = fresh_index(dir, db);
    rp_index_close(x);
    x = open_threads(db, 2);
    static char buf[100 * 1024];
    report_docs(buf, sizeof buf, 0, 100);
    assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
    long before[5], after[5];
    key_rows(db, before);
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "CREATE TRIGGER refuse BEFORE INSERT ON term_counts "
                                       "WHEN NOT EXISTS (SELECT 1 FROM docs WHERE doc > 100) "
                                       "BEGIN SELECT RAISE(ABORT, 'no room for counts'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    report_docs(buf, sizeof buf, 100, 100);
    assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_EIO);
    assert_non_null(strstr(rp_index_errmsg(x), "no room for counts"));
    assert_non_null(strstr(rp_index_errmsg(x), db));
    assert_int_equal(x->nahead, 2);
    key_rows(db, after);
    for (int t = 0; t < 5; t++)
        assert_int_equal(after[t], before[t]);
    rp_index_info st;
    assert_int_equal(rp_index_stats(x, &st), RP_OK);
    assert_int_equal(st.ndocs, 100);
    /* On one thread the batch writes in turn, its documents first: the
     * trigger lets it through. */
    x->opt.threads = 1;
    report_docs(buf, sizeof buf, 200, 70);
    assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
    assert_int_equal(x->nahead, 2);
    x->opt.threads = 2;
    assert_int_equal(sqlite3_exec(raw, "DROP TRIGGER refuse", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    report_docs(buf, sizeof buf, 100, 100);
    assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
    assert_int_equal(x->nahead, 3);
    assert_true(sqlite3_get_autocommit(x->rdb));
    assert_int_equal(rp_index_stats(x, &st), RP_OK);
    assert_int_equal(st.ndocs, 270);
    rp_index_close(x);
    ut_rmtree(dir);
}

/*
 * An index made by an older build, without the features table and the list
 * of frequent lines: a large batch grows its schema in its own transaction,
 * which the second connection would not see, so it writes in turn; the next
 * one, on the grown schema, writes ahead.
 */
static void test_write_ahead_old_schema(void **state)
{
    (void)state;
    char dir[4096], db[4200];
    rp_index *x = fresh_index(dir, db);
    rp_index_close(x);
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "DROP TABLE features; DROP INDEX line_counts_ge4",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    x = open_threads(db, 2);
    static char buf[100 * 1024];
    report_docs(buf, sizeof buf, 0, 100);
    assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
    assert_int_equal(x->nahead, 0);
    report_docs(buf, sizeof buf, 100, 100);
    assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
    assert_int_equal(x->nahead, 1);
    rp_index_close(x);
    assert_int_equal(sql_count(raw, "SELECT count(*) FROM features"), 200);
    assert_int_equal(sql_count(raw, "SELECT count(*) FROM sqlite_master WHERE name = "
                                    "'line_counts_ge4'"), 1);
    assert_int_equal(sql_count(raw, "SELECT count(*) FROM docs"), 200);
    sqlite3_close(raw);
    ut_rmtree(dir);
}

/*
 * Batches that write ahead, split (each reads its documents while the
 * thread copies the batch before it): another handle's add between the
 * reading and the write lock makes the batch read again (RETRY_READ), and
 * it then writes ahead from the start. The log restarts at every batch as
 * it does for batches written in turn (test_log_restarts_after_large_batches),
 * so the second connection's reads hold no snapshot back.
 */
static void test_write_ahead_split(void **state)
{
    (void)state;
    char dir[4096], db[4200];
    rp_index *x = log_index(dir, db, "ahead.db", "40"), *y = NULL;
    x->opt.threads = 2;
    assert_int_equal(rp_index_open(&y, db, NULL, 0), RP_OK);
    static char buf[100 * 1024];
    long most = 0;
    unsigned restarts = 0, restarts0 = 0;
    between bw = {y, 0};
    for (int b = 0; b < 8; b++) {
        report_docs(buf, sizeof buf, 100 * b, 100);
        assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
        assert_true(sqlite3_get_autocommit(x->rdb));
        long p = wal_pages(db, &restarts);
        if (b == 0)
            restarts0 = restarts;
        most = p > most ? p : most;
        if (b == 0) { /* (the next batch is split: another add comes in between) */
            /* A large commit, given to the thread to copy (whether the copy
             * is over by now depends on the scheduler: under a loaded
             * machine and ASan it was, and rpi_index_ckpt_big said no). */
            pthread_mutex_lock(&x->ckpt.mu);
            assert_true(x->ckpt.bigseq > 0);
            pthread_mutex_unlock(&x->ckpt.mu);
            x->test_between = add_between;
            x->test_between_ctx = &bw;
        }
    }
    /* Measured: 7 restarts in 7 batches; the log at most 1,355 pages, the
     * largest batch (batches of 366 to about 1,300 pages: later ones relate
     * to more documents). Not restarting, it would hold them all. */
    assert_true(restarts - restarts0 >= 6);
    assert_true(most < 2000);
    assert_int_equal(bw.calls, 7);
    assert_int_equal(x->nretries, 1);
    assert_int_equal(x->nahead, 8); /* (the batch read again wrote ahead the second time) */
    x->test_between = NULL;
    rp_index_close(y);
    log_index_done(x, dir, db, 802);
}

/*
 * An index opened by a relative path, then the process changes directory:
 * the second connection of a batch writing ahead and the checkpointing
 * thread open the file the handle has open, not the path again (which now
 * names no file, or another index).
 */
static void test_index_after_chdir(void **state)
{
    (void)state;
    char dir[4096], cwd[4096];
    ut_tmpdir(dir, sizeof dir);
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    setenv("REPRINT_TEST_CKPT_PAGES", "40", 1);
    rp_index *x = NULL;
    assert_int_equal(rp_index_create(&x, "t.db", NULL), RP_OK);
    rp_index_close(x);
    x = open_threads("t.db", 2);
    assert_int_equal(chdir("/"), 0);
    static char buf[100 * 1024];
    for (int b = 0; b < 3; b++) {
        report_docs(buf, sizeof buf, 100 * b, 100);
        assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "batch", 0, NULL, NULL), RP_OK);
    }
    assert_int_equal(x->nahead, 3); /* (the second connection opened) */
    assert_true(x->ckpt.started);
    assert_false(x->ckpt.failed); /* (the thread's connection opened) */
    rp_index_info st;
    assert_int_equal(rp_index_stats(x, &st), RP_OK);
    assert_int_equal(st.ndocs, 300);
    rp_index_close(x);
    unsetenv("REPRINT_TEST_CKPT_PAGES");
    assert_int_equal(chdir(cwd), 0);
    ut_rmtree(dir);
}

/* Writes doc_c into a pipe (the path in arg), as a producer on standard input. */
static void *feed_pipe(void *arg)
{
    FILE *f = fopen(arg, "w");
    if (f) {
        fputs(doc_c, f);
        fclose(f);
    }
    return NULL;
}

/* An add from a pipe is not split: it could not read its input again, should
 * another writer come in between (it then failed, or with skip_bad added
 * nothing and said it was done). */
static void test_split_add_not_from_pipe(void **state)
{
    (void)state;
    char dir[4096], db[4200], fifo[4200];
    rp_index *x = fresh_index(dir, db), *y = NULL;
    assert_int_equal(rp_index_open(&y, db, NULL, 0), RP_OK);
    ut_join(fifo, sizeof fifo, dir, "pipe.jsonl");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    between b = {y, 0};
    x->test_between = add_between;
    x->test_between_ctx = &b;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, feed_pipe, fifo), 0);
    const char *in[] = {fifo};
    placed pl = {0};
    alarm(60); /* (read again, the pipe would be waited on for ever) */
    assert_int_equal(rp_index_add(x, in, 1, 0, on_placement, &pl), RP_OK);
    alarm(0);
    pthread_join(t, NULL);
    assert_int_equal(b.calls, 0);
    assert_int_equal(x->nretries, 0);
    assert_int_equal(pl.n, 1);
    assert_string_equal(pl.id[0], "c");
    rp_index_close(y);
    rp_index_close(x);
    ut_rmtree(dir);
}

/*
 * The footer reports of tests/cli/index_furniture.sh: eight short items of a local paper,
 * each ending with one footer line, furniture from 5 documents on. A handle keeps the
 * list of line keys the index holds 4 times or more, so that it need not look up the
 * others; it must read it again after its own add and after another handle's, or it
 * misses the footer reaching 4 and answers as if it were not furniture.
 */
static const char *const footer_bodies[] = {
    "The council voted on Monday to repair the old stone pier at Kelby Point. Work starts in "
    "May and will take four months, the harbour master said.",
    "A grey seal pup was found asleep on the slipway by the lifeboat station. Volunteers kept "
    "walkers away until the tide came in and the pup swam off.",
    "The ferry to Holm Island will run a winter timetable from next week, with two crossings a "
    "day instead of five.",
    "Pupils at Westgate school planted three hundred oak saplings along the river bank on "
    "Friday.",
    "The lighthouse keeper's cottage has been sold at auction for a sum the auctioneer would "
    "not disclose.",
    "Heavy rain flooded the lower market square on Thursday night and closed two shops.",
    "A brass band from the mining villages will play on the promenade every Sunday in "
    "August.",
};

static void footer_doc(char *buf, size_t cap, int k)
{
    snprintf(buf, cap,
             "{\"id\":\"d%d\",\"text\":\"%s\\nHarbour Times brings you the news from the "
             "coast of Portvik every day since 1901.\\n\"}\n",
             k + 1, footer_bodies[k]);
}

/* Add (or with flags RP_INDEX_QUERY, query) footer report k on x: its relation. */
static rp_relation footer_add(rp_index *x, int k, unsigned flags)
{
    char buf[512];
    placed pl = {0};
    footer_doc(buf, sizeof buf, k);
    assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "footer", flags, on_placement,
                                         &pl),
                     RP_OK);
    assert_int_equal(pl.n, 1);
    return pl.rel[0];
}

static void test_frequent_lines_follow_adds(void **state)
{
    (void)state;
    char dir[256], db[300];
    ut_tmpdir(dir, sizeof dir);
    path_in(db, sizeof db, dir);
    rp_options o;
    rp_options_init(&o);
    rp_index *x, *y;
    assert_int_equal(rp_index_create(&x, db, &o), RP_OK);
    assert_int_equal(rp_index_open(&y, db, &o, 1), RP_OK);
    for (int k = 0; k < 3; k++)
        footer_add(x, k, 0);
    /* Both handles read the list: the footer is held 3 times, not listed. */
    assert_int_equal(footer_add(x, 6, RP_INDEX_QUERY), RP_REL_SHARES_PASSAGES);
    assert_int_equal(footer_add(y, 6, RP_INDEX_QUERY), RP_REL_SHARES_PASSAGES);
    /* The fourth: now listed. A fifth is furniture for x (its own add) and for y
     * (another handle's). */
    assert_int_equal(footer_add(x, 3, 0), RP_REL_SHARES_PASSAGES);
    assert_int_equal(footer_add(x, 4, RP_INDEX_QUERY), RP_REL_UNRELATED);
    assert_int_equal(footer_add(y, 4, RP_INDEX_QUERY), RP_REL_UNRELATED);
    rp_index_close(x);
    rp_index_close(y);
    ut_rmtree(dir);
}

/* Change the last byte of the packed features stored for document g (stored.c:
 * a zstd frame of a 56-byte header, whose bytes 16-23 give the packed bytes that
 * follow it). */
static void tamper_features(const char *db, int g)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT blob FROM features WHERE doc = ?", -1, &st,
                                        NULL), SQLITE_OK);
    sqlite3_bind_int(st, 1, g);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const void *z = sqlite3_column_blob(st, 0);
    size_t nz = (size_t)sqlite3_column_bytes(st, 0);
    unsigned long long n = ZSTD_getFrameContentSize(z, nz);
    assert_true(n > 56 && n < (1u << 24));
    char *raw = malloc((size_t)n), *back = malloc(ZSTD_compressBound((size_t)n));
    assert_non_null(raw);
    assert_non_null(back);
    assert_int_equal(ZSTD_decompress(raw, (size_t)n, z, nz), n);
    sqlite3_finalize(st);
    assert_memory_equal(raw, "RPF3", 4);
    uint64_t npacked;
    memcpy(&npacked, raw + 16, 8);
    assert_true(56 + npacked <= n);
    raw[56 + npacked - 1] ^= 0x5a;
    size_t m = ZSTD_compress(back, ZSTD_compressBound((size_t)n), raw, (size_t)n, 1);
    assert_false(ZSTD_isError(m));
    assert_int_equal(sqlite3_prepare_v2(h, "UPDATE features SET blob = ? WHERE doc = ?", -1, &st,
                                        NULL), SQLITE_OK);
    sqlite3_bind_blob(st, 1, back, (int)m, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, g);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(h);
    free(raw);
    free(back);
}

/*
 * The features stored with each document (README "Stored features") are what
 * a later query takes for its candidates: with the test hook
 * REPRINT_TEST_STORED_CHECK=1 a query computes them again too and compares,
 * and stored features changed behind the index's back are an internal error
 * naming the document (the hook sees a difference, so the stored ones are the
 * ones taken); without the hook the query takes them as they are.
 */
static void test_stored_features_checked(void **state)
{
    (void)state;
    char dir[4096], db[4200];
    rp_index *x = fresh_index(dir, db);
    assert_int_equal(rp_index_add_buffer(x, docs_ab, strlen(docs_ab), "ab", 0, NULL, NULL),
                     RP_OK);
    setenv("REPRINT_TEST_STORED_CHECK", "1", 1);
    placed pl = {0};
    assert_int_equal(rp_index_add_buffer(x, doc_c, strlen(doc_c), "c", RP_INDEX_QUERY,
                                         on_placement, &pl), RP_OK);
    assert_int_equal(pl.rel[0], RP_REL_DUPLICATE);
    assert_string_equal(pl.closest[0], "b");
    tamper_features(db, 1);
    tamper_features(db, 2);
    assert_int_equal(rp_index_add_buffer(x, doc_c, strlen(doc_c), "c", RP_INDEX_QUERY, NULL,
                                         NULL), RP_EINTERNAL);
    assert_non_null(strstr(rp_index_errmsg(x), "the stored features of document \""));
    unsetenv("REPRINT_TEST_STORED_CHECK");
    memset(&pl, 0, sizeof pl);
    assert_int_equal(rp_index_add_buffer(x, doc_c, strlen(doc_c), "c", RP_INDEX_QUERY,
                                         on_placement, &pl), RP_OK);
    assert_int_equal(pl.rel[0], RP_REL_DUPLICATE);
    rp_index_close(x);
    ut_rmtree(dir);
}

/* Report k of a local paper: its own first sentence, then a paragraph of wire
 * copy all of them carry (so each is a candidate of the others), on one line,
 * then the paper's footer. */
static void wire_doc(char *buf, size_t cap, int k)
{
    snprintf(buf, cap,
             "{\"id\":\"w%d\",\"text\":\"%s The regional water board said on Tuesday that "
             "the reservoir at Glen Arrow had fallen to its lowest level in thirty years, and "
             "asked households across the valley to stop using hosepipes until the autumn rains "
             "return.\\nHarbour Times brings you the news from the coast of Portvik every day "
             "since 1901.\\n\"}\n",
             k + 1, footer_bodies[k]);
}

/* Add (or query) wire report k; *taken receives how many of run C's documents
 * had their stored features taken, *nrun how many run C compared. */
static void wire_add(rp_index *x, int k, unsigned flags, size_t *taken, size_t *nrun)
{
    char buf[1024];
    wire_doc(buf, sizeof buf, k);
    assert_int_equal(rp_index_add_buffer(x, buf, strlen(buf), "wire", flags, NULL, NULL),
                     RP_OK);
    *taken = x->nrunc_stored;
    *nrun = x->nrunc;
}

/*
 * Stored features are taken while the furniture they were made with holds.
 * Each report is a candidate of the ones before it (the shared paragraph).
 * The footer is article text until 5 documents carry it (linecount.c): the
 * fourth add takes the stored features of the three before it and run A's of
 * itself (4 of 4); from the fifth the footer is furniture, so the first four
 * reports' stored features no longer hold and are computed again, while the
 * fifth's and sixth's (made with the footer as furniture) are taken. A query
 * keeps no features of its own document. The test hook checks every document
 * taken against the one computed again.
 */
static void test_stored_features_follow_furniture(void **state)
{
    (void)state;
    char dir[4096], db[4200];
    rp_index *x = fresh_index(dir, db);
    setenv("REPRINT_TEST_STORED_CHECK", "1", 1);
    size_t taken, nrun;
    for (int k = 0; k < 3; k++)
        wire_add(x, k, 0, &taken, &nrun);
    wire_add(x, 3, 0, &taken, &nrun);
    assert_int_equal(nrun, 4);
    assert_int_equal(taken, 4);
    wire_add(x, 4, 0, &taken, &nrun);
    assert_int_equal(nrun, 5);
    assert_int_equal(taken, 1); /* only the fifth's own, from run A */
    wire_add(x, 5, 0, &taken, &nrun);
    assert_int_equal(nrun, 6);
    assert_int_equal(taken, 2); /* the fifth's and the sixth's own */
    wire_add(x, 6, RP_INDEX_QUERY, &taken, &nrun);
    assert_int_equal(nrun, 7);
    assert_int_equal(taken, 2); /* the fifth's and the sixth's */
    unsetenv("REPRINT_TEST_STORED_CHECK");
    rp_index_close(x);
    ut_rmtree(dir);
}

/* ---- stories against the stored pairs ------------------------------------------- */

/* The related pairs stored in db, by index order of documents (doc - 1), with
 * their whys copied into whys (freed by the caller); the unit of each document
 * (first of its copy cluster) into unit, its story into story. */
static size_t stored_pairs(const char *db, rp_pair **pairs, char ***whys, uint32_t *unit,
                           int64_t *story, size_t ndocs)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *q = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(h, "SELECT doc, cluster, story FROM docs ORDER BY doc", -1, &q, NULL),
        SQLITE_OK);
    size_t n = 0;
    int64_t cluster_first[4096];
    int64_t *cl = calloc(ndocs, sizeof *cl);
    assert_non_null(cl);
    while (sqlite3_step(q) == SQLITE_ROW) {
        assert_true(n < ndocs);
        assert_int_equal(sqlite3_column_int64(q, 0), (int64_t)n + 1);
        cl[n] = sqlite3_column_int64(q, 1);
        story[n] = sqlite3_column_int64(q, 2);
        n++;
    }
    assert_int_equal(n, ndocs);
    sqlite3_finalize(q);
    for (size_t i = 0; i < 4096; i++)
        cluster_first[i] = -1;
    for (size_t i = 0; i < ndocs; i++) {
        assert_true(cl[i] > 0 && cl[i] < 4096);
        if (cluster_first[cl[i]] < 0)
            cluster_first[cl[i]] = (int64_t)i;
        unit[i] = (uint32_t)cluster_first[cl[i]];
    }
    free(cl);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT a, b, relation, why, event, specifics FROM "
                                        "relations ORDER BY a, b",
                                        -1, &q, NULL),
                     SQLITE_OK);
    size_t np = 0, cap = 64;
    *pairs = malloc(cap * sizeof **pairs);
    *whys = malloc(cap * sizeof **whys);
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (np == cap) {
            cap *= 2;
            *pairs = realloc(*pairs, cap * sizeof **pairs);
            *whys = realloc(*whys, cap * sizeof **whys);
        }
        rp_relation rel = RP_REL_UNRELATED;
        const char *name = (const char *)sqlite3_column_text(q, 2);
        for (int r = 0; r < RP_REL_UNRELATED; r++)
            if (strcmp(name, rp_relation_name((rp_relation)r)) == 0)
                rel = (rp_relation)r;
        const char *why = (const char *)sqlite3_column_text(q, 3);
        (*whys)[np] = strdup(why ? why : "");
        (*pairs)[np] = (rp_pair){.a = (uint32_t)(sqlite3_column_int64(q, 0) - 1),
                                 .b = (uint32_t)(sqlite3_column_int64(q, 1) - 1),
                                 .relation = rel,
                                 .why = (*whys)[np],
                                 .event = sqlite3_column_double(q, 4),
                                 .specifics = sqlite3_column_double(q, 5)};
        np++;
    }
    sqlite3_finalize(q);
    sqlite3_close(h);
    return np;
}

/* The story vectors the index keeps (table vectors), by index order. */
typedef struct storedvec {
    char **rec;
    size_t *len;
    rpi_term *t;
    size_t capt;
} storedvec;

static void stored_vectors(const char *db, storedvec *sv, size_t ndocs)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *q = NULL;
    sv->rec = calloc(ndocs, sizeof *sv->rec);
    sv->len = calloc(ndocs, sizeof *sv->len);
    assert_true(sv->rec && sv->len);
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, "SELECT doc, blob FROM vectors", -1, &q, NULL),
                     SQLITE_OK);
    size_t n = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        int64_t doc = sqlite3_column_int64(q, 0);
        assert_true(doc >= 1 && (size_t)doc <= ndocs);
        size_t len = (size_t)sqlite3_column_bytes(q, 1);
        sv->rec[doc - 1] = malloc(len + 1);
        memcpy(sv->rec[doc - 1], sqlite3_column_blob(q, 1), len);
        sv->len[doc - 1] = len;
        n++;
    }
    assert_int_equal(n, ndocs); /* (every document has its vectors) */
    sqlite3_finalize(q);
    sqlite3_close(h);
}

static int stored_vector(void *ctx, uint32_t doc, int which, const rpi_term **t, size_t *n)
{
    storedvec *sv = ctx;
    return rpi_story_vector_get(sv->rec[doc], sv->len[doc], which, &sv->t, &sv->capt, t, n);
}

static void on_story(void *user, const rp_placement *p)
{
    *(int64_t *)user = p->story;
}

static void on_count(void *user, const rp_placement *p)
{
    (void)p;
    ++*(size_t *)user;
}

/* Check that each of the ndocs documents' stored story in db is the story
 * the join makes of the stored pairs and vectors, named by its first
 * document. *joined counts the documents the pairs left alone that joined a
 * story; *by_centroid, the documents in stories that are not without the
 * vectors. */
static void check_stored_stories(const char *db, size_t nl, size_t *joined, size_t *by_centroid)
{
    rp_pair *pairs = NULL, *star = NULL, *star2 = NULL;
    char **whys = NULL;
    uint32_t *unit = malloc(nl * sizeof *unit);
    int64_t *story = malloc(nl * sizeof *story), *want = malloc(nl * sizeof *want);
    uint8_t *alone = malloc(nl), *alone2 = malloc(nl);
    assert_true(unit && story && want && alone && alone2);
    size_t np = stored_pairs(db, &pairs, &whys, unit, story, nl), nstar = 0, nstar2 = 0;
    storedvec sv = {0};
    stored_vectors(db, &sv, nl);
    assert_int_equal(rpi_stories_join(nl, pairs, np, unit, RP_REL_SAME_STORY, &star, &nstar, alone,
                                      stored_vector, &sv),
                     RP_OK);
    for (size_t i = 0; i < nl; i++)
        want[i] = (int64_t)i + 1; /* a document in no story is a story of its own */
    for (size_t i = 0; i < nstar; i++)
        want[star[i].b] = (int64_t)star[i].a + 1;
    /* The same pairs without the vectors: the centroid join must have had work. */
    assert_int_equal(rpi_stories_join(nl, pairs, np, unit, RP_REL_SAME_STORY, &star2, &nstar2,
                                      alone2, NULL, NULL),
                     RP_OK);
    *by_centroid = nstar > nstar2 ? nstar - nstar2 : 0;
    *joined = 0;
    for (size_t i = 0; i < nl; i++) {
        if (story[i] != want[i])
            print_error("document %zu: story %lld stored, %lld from the stored pairs\n", i + 1,
                        (long long)story[i], (long long)want[i]);
        assert_int_equal(story[i], want[i]);
        *joined += alone[i] && want[i] != (int64_t)unit[i] + 1; /* (alone, yet in a story) */
    }
    rpi_free(star);
    rpi_free(star2);
    for (size_t i = 0; i < nl; i++)
        free(sv.rec[i]);
    free(sv.rec);
    free(sv.len);
    rpi_free(sv.t);
    for (size_t i = 0; i < np; i++)
        free(whys[i]);
    free(whys);
    free(pairs);
    free(unit);
    free(story);
    free(want);
    free(alone);
    free(alone2);
}

/* Add the lines of files one at a time (reverse: last first), each queried
 * first (the same story as its add); into *nl the documents indexed. */
static void add_one_at_a_time(rp_index *x, const char *const *files, int nfiles, int reverse,
                              size_t *nl)
{
    char *lines[128];
    size_t n = 0;
    for (int f = 0; f < nfiles; f++) {
        FILE *in = fopen(files[f], "r");
        assert_non_null(in);
        char buf[8192];
        while (fgets(buf, sizeof buf, in)) {
            assert_true(n < 128);
            lines[n++] = strdup(buf);
        }
        fclose(in);
    }
    for (size_t i = 0; i < n; i++) {
        const char *line = lines[reverse ? n - 1 - i : i];
        int64_t asked = -1, added = -2;
        assert_int_equal(rp_index_add_buffer(x, line, strlen(line), "planted", RP_INDEX_QUERY,
                                             on_story, &asked),
                         RP_OK);
        assert_int_equal(rp_index_add_buffer(x, line, strlen(line), "planted", 0, on_story,
                                             &added),
                         RP_OK);
        assert_int_equal(asked, added);
        free(lines[reverse ? n - 1 - i : i]);
    }
    *nl = n;
}

/* The planted stories c and d, one at a time. */
static void stories_one_at_a_time(int reverse, size_t *joined, size_t *by_centroid)
{
    static const char *const files[] = {"bench/stories/planted_c.jsonl",
                                        "bench/stories/planted_d.jsonl"};
    char dir[4096], db[4200];
    rp_index *x = fresh_index(dir, db);
    size_t nl;
    add_one_at_a_time(x, files, 2, reverse, &nl);
    rp_index_close(x);
    check_stored_stories(db, nl, joined, by_centroid);
    ut_rmtree(dir);
}

/*
 * Documents added one at a time: the stories stored are what the story join
 * (story.c, as scan runs it) makes of the pairs stored, in either order of
 * adding, including documents the pairs leave alone that join the story they
 * fit as a whole (there must be some, or the test says nothing of them).
 */
static void test_stories_follow_stored_pairs(void **state)
{
    (void)state;
    size_t joined_fwd, joined_back, centroid_fwd, centroid_back;
    stories_one_at_a_time(0, &joined_fwd, &centroid_fwd);
    stories_one_at_a_time(1, &joined_back, &centroid_back);
    assert_true(joined_fwd + joined_back > 0);
    assert_true(centroid_fwd > 0 && centroid_back > 0);
}

/*
 * Two stories whose every pair across is a support pair are one (story.c):
 * the index follows support pairs as it follows story pairs when it
 * recomputes the stories a new document touches. The SemEval development
 * documents, then planted set d but one report, then that report: in each of
 * the eight cases the pairs stored make support merges (4 or 5 stories
 * change without them, counted 2026-12-07), and the stories stored are what
 * the join makes of the stored pairs; without the index following support
 * pairs they were not (checked).
 */
static void test_stories_follow_support_pairs(void **state)
{
    (void)state;
    const char *dev = "../shared/evaldata/semeval_dev/docs.jsonl";
    FILE *in = fopen(dev, "r");
    if (!in) {
        print_message("%s not found: test skipped\n", dev);
        skip();
    }
    char *base = NULL;
    size_t baselen = 0;
    FILE *b = open_memstream(&base, &baselen);
    char buf[1 << 16];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, k, b);
    fclose(in);
    fclose(b);
    char *lines[32];
    size_t n = 0;
    in = fopen("bench/stories/planted_d.jsonl", "r");
    assert_non_null(in);
    while (n < 32 && fgets(buf, sizeof buf, in))
        lines[n++] = strdup(buf);
    fclose(in);
    for (size_t last = 0; last < 8; last++) {
        char dir[4096], db[4200];
        rp_index *x = fresh_index(dir, db);
        size_t nl = 0, joined, by_centroid;
        assert_int_equal(rp_index_add_buffer(x, base, baselen, "dev", 0, on_count, &nl), RP_OK);
        char *rest = NULL;
        size_t blen = 0;
        FILE *m = open_memstream(&rest, &blen);
        for (size_t i = 0; i < n; i++)
            if (i != last)
                fputs(lines[i], m);
        fclose(m);
        assert_int_equal(rp_index_add_buffer(x, rest, blen, "planted", 0, on_count, &nl), RP_OK);
        assert_int_equal(rp_index_add_buffer(x, lines[last], strlen(lines[last]), "planted", 0,
                                             on_count, &nl),
                         RP_OK);
        free(rest);
        rp_index_close(x);
        check_stored_stories(db, nl, &joined, &by_centroid);
        ut_rmtree(dir);
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_open_errors),
        cmocka_unit_test(test_add_query_lookups),
        cmocka_unit_test(test_counts_follow_other_writers),
        cmocka_unit_test(test_log_stays_short),
        cmocka_unit_test(test_log_restarts_after_large_batches),
        cmocka_unit_test(test_split_add_reads_again),
        cmocka_unit_test(test_ckpt_thread_fails),
        cmocka_unit_test(test_split_add_not_from_pipe),
        cmocka_unit_test(test_write_ahead_same_rows),
        cmocka_unit_test(test_write_ahead_fails),
        cmocka_unit_test(test_write_ahead_old_schema),
        cmocka_unit_test(test_write_ahead_split),
        cmocka_unit_test(test_index_after_chdir),
        cmocka_unit_test(test_frequent_lines_follow_adds),
        cmocka_unit_test(test_stored_features_checked),
        cmocka_unit_test(test_stored_features_follow_furniture),
        cmocka_unit_test(test_stories_follow_stored_pairs),
        cmocka_unit_test(test_stories_follow_support_pairs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
