/* SPDX-License-Identifier: MIT */
/*
 * test_api.c -- the public API (include/reprint.h) end to end on small
 * files written by the test: options and their checks, pairs with exact
 * Jaccard and containment, passages, coverage and relations, copies and story
 * clusters and dedup decisions under each keep policy, the fast path
 * (rp_options.fast), the writers' exact output, independence from the thread count,
 * bad documents with and without skip_bad, inputs an rp_read_fn supplies,
 * rp_corpus_interrupt, and fault injection (every
 * allocation failing in turn gives RP_ENOMEM cleanly, never a crash or leak).
 */
#include "unit.h"

#include "common.h" /* rpi_fail_alloc_after, rpi_malloc: the test hooks */
#include "reprint.h"

/*
 * Four documents: b is a copy of a in other case (a duplicate once
 * normalised); c is a with its last word changed; d is unrelated. a has 32
 * words, so 28 distinct 5-word shingles; c shares the first 27 of them:
 * Jaccard(a, c) = 27 / 29, containment 27 / 28 both ways. Aligned, a and c share
 * one passage of their first 31 words (coverage 31 / 32 both ways), which ends
 * before " conditions" / " soil": bytes [0, 196) of both texts.
 */
#define TEXT_A                                                                                    \
    "Harbour officials confirmed on Monday that the new bridge across the river will open to "   \
    "traffic next spring after three years of delays caused by funding disputes and "            \
    "unexpectedly difficult ground conditions"
#define TEXT_B                                                                                    \
    "HARBOUR OFFICIALS confirmed on MONDAY that the new bridge across the river will open to "   \
    "traffic next spring after three years of delays caused by funding disputes and "            \
    "unexpectedly difficult ground conditions"
#define TEXT_C                                                                                    \
    "Harbour officials confirmed on Monday that the new bridge across the river will open to "   \
    "traffic next spring after three years of delays caused by funding disputes and "            \
    "unexpectedly difficult ground soil"
#define TEXT_D                                                                                    \
    "The city library will extend its opening hours during the winter months so that "           \
    "students have a warm quiet place to study in the evenings"

/* The words a and b share with c: all but the last. */
#define TEXT_AC_SHARED                                                                            \
    "Harbour officials confirmed on Monday that the new bridge across the river will open to "   \
    "traffic next spring after three years of delays caused by funding disputes and "            \
    "unexpectedly difficult ground"
#define TEXT_BC_SHARED                                                                            \
    "HARBOUR OFFICIALS confirmed on MONDAY that the new bridge across the river will open to "   \
    "traffic next spring after three years of delays caused by funding disputes and "            \
    "unexpectedly difficult ground"

#define LINE_A "{\"id\":\"a\",\"date\":\"2025-03-22\",\"text\":\"" TEXT_A "\"}"
#define LINE_B "{\"id\":\"b\",\"date\":\"2025-03-21\",\"text\":\"" TEXT_B "\"}"
#define LINE_C "{\"id\":\"c\",\"date\":\"26-FEB-1987 15:01:01.79\",\"text\":\"" TEXT_C "\"}"
#define LINE_D "{\"id\":\"d\",\"text\":\"" TEXT_D "\"}"
static const char DOCS[] = LINE_A "\n" LINE_B "\n" LINE_C "\n" LINE_D "\n";

#define WHY_DUP "same text once normalised"
#define WHY_NEAR "shingle jaccard at or above the threshold"
static const char WANT_TSV[] =
    "a\tb\trelation\tjaccard\tcontainment_a\tcontainment_b\tpassages\tcoverage_a\tcoverage_b\twhy\tdifferences\tevent\tspecifics\n"
    "a\tb\tduplicate\t1.0000\t1.0000\t1.0000\t1\t1.0000\t1.0000\t" WHY_DUP "\t0\t1.0000\t0.5380\n"
    "a\tc\tnear-duplicate\t0.9310\t0.9642\t0.9642\t1\t0.9687\t0.9687\t" WHY_NEAR
    "\t0\t0.9183\t1.0000\n"
    "b\tc\tnear-duplicate\t0.9310\t0.9642\t0.9642\t1\t0.9687\t0.9687\t" WHY_NEAR
    "\t0\t0.9183\t0.5380\n";

/* The same pairs on the fast path: copies only, nothing aligned. */
static const char WANT_TSV_FAST[] =
    "a\tb\trelation\tjaccard\tcontainment_a\tcontainment_b\tpassages\tcoverage_a\tcoverage_b\twhy\tdifferences\tevent\tspecifics\n"
    "a\tb\tduplicate\t1.0000\t1.0000\t1.0000\t0\t0.0000\t0.0000\t" WHY_DUP "\t0\t0.0000\t0.0000\n"
    "a\tc\tnear-duplicate\t0.9310\t0.9642\t0.9642\t0\t0.0000\t0.0000\t" WHY_NEAR "\t0\t0.0000\t0.0000\n"
    "b\tc\tnear-duplicate\t0.9310\t0.9642\t0.9642\t0\t0.0000\t0.0000\t" WHY_NEAR "\t0\t0.0000\t0.0000\n";

/* Bytes of TEXT_A (and TEXT_C) before " conditions" (" soil"). */
#define SHARED_END 196

typedef struct fixture {
    char dir[4096]; /* temporary folder */
    char docs[4200]; /* path of docs.jsonl */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    ut_tmpdir(fx->dir, sizeof fx->dir);
    ut_write_in(fx->dir, "docs.jsonl", DOCS, fx->docs, sizeof fx->docs);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ut_rmtree(fx->dir);
    free(fx);
    return 0;
}

static rp_corpus *run_on(const char *path, int threads, rp_keep keep)
{
    rp_options opt;
    rp_options_init(&opt);
    opt.threads = threads;
    opt.keep = keep;
    rp_corpus *c = NULL;
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_input(c, path), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_OK);
    assert_string_equal(rp_errmsg(c), "");
    return c;
}

/* Everything a run produced, as text: pairs (TSV), clusters (copies and
 * stories), removed, passages (with their texts). */
static char *results_text(rp_corpus *c)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(rp_corpus_write_pairs(c, f, RP_FORMAT_TSV), RP_OK);
    assert_int_equal(rp_corpus_write_clusters(c, f), RP_OK);
    assert_int_equal(rp_corpus_write_removed(c, f), RP_OK);
    assert_int_equal(rp_corpus_write_passages(c, f), RP_OK);
    char *s = ut_slurp(f, NULL);
    fclose(f);
    return s;
}

/* An rp_read_fn over a string, handing out at most step bytes a call. */
typedef struct strsrc {
    const char *p;
    size_t left, step;
    int fail_at; /* calls before a failure (-1: never) */
    int calls;
} strsrc;

static ptrdiff_t read_str(void *user, char *buf, size_t cap)
{
    strsrc *s = user;
    if (s->fail_at >= 0 && s->calls++ == s->fail_at)
        return -1;
    size_t n = s->left < cap ? s->left : cap;
    if (n > s->step)
        n = s->step;
    memcpy(buf, s->p, n);
    s->p += n;
    s->left -= n;
    return (ptrdiff_t)n;
}

/* A growing byte buffer. */
typedef struct tbuf {
    char *p;
    size_t n, cap;
} tbuf;

static void tb_append(tbuf *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = 2 * (b->n + n) + 64;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

/* Append a framed record of type 'F' (rp_corpus_add_records): id, text, date
 * (NULL: absent), and no source, url, title. */
static void frame_f(tbuf *b, const char *id, size_t idlen, const char *text,
                    const char *date)
{
    const char *v[6] = {id, text, date, NULL, NULL, NULL};
    size_t n[6] = {idlen, text ? strlen(text) : 0, date ? strlen(date) : 0, 0, 0, 0};
    size_t len = 0;
    for (int k = 0; k < 6; k++)
        len += 4 + (v[k] ? n[k] : 0);
    unsigned char h[5] = {'F', (unsigned char)len, (unsigned char)(len >> 8),
                          (unsigned char)(len >> 16), (unsigned char)(len >> 24)};
    tb_append(b, h, 5);
    for (int k = 0; k < 6; k++) {
        uint32_t l = v[k] ? (uint32_t)n[k] : UINT32_MAX;
        unsigned char le[4] = {(unsigned char)l, (unsigned char)(l >> 8),
                               (unsigned char)(l >> 16), (unsigned char)(l >> 24)};
        tb_append(b, le, 4);
        if (v[k])
            tb_append(b, v[k], n[k]);
    }
}

/* Append a framed record of type 'J' holding one JSON object. */
static void frame_j(tbuf *b, const char *json)
{
    size_t len = strlen(json);
    unsigned char h[5] = {'J', (unsigned char)len, (unsigned char)(len >> 8),
                          (unsigned char)(len >> 16), (unsigned char)(len >> 24)};
    tb_append(b, h, 5);
    tb_append(b, json, len);
}

/* Run framed records given step bytes a call; the run's result. */
static int run_framed(const tbuf *b, size_t step, rp_corpus **c)
{
    rp_options opt;
    rp_options_init(&opt);
    opt.threads = 2;
    static strsrc s;
    s = (strsrc){b->p, b->n, step, -1, 0};
    assert_int_equal(rp_corpus_open(c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_records(*c, "documents", read_str, &s), RP_OK);
    return rp_corpus_run(*c);
}

/* Framed records give what the same documents as JSON lines give, whatever the
 * reads' sizes; a record of type 'J' is a JSON line; 'S' keeps a place; each
 * fault is named by its record. */
static void test_framed_records(void **state)
{
    fixture *fx = *state;
    rp_corpus *file = run_on(fx->docs, 2, RP_KEEP_LONGEST);
    char *want = results_text(file);
    rp_corpus_close(file);
    tbuf b = {0};
    frame_f(&b, "a", 1, TEXT_A, "2025-03-22");
    frame_f(&b, "b", 1, TEXT_B, "2025-03-21");
    frame_j(&b, LINE_C);
    frame_f(&b, "d", 1, TEXT_D, NULL);
    for (size_t step = 1; step <= 4096; step *= 64) {
        rp_corpus *c = NULL;
        assert_int_equal(run_framed(&b, step, &c), RP_OK);
        char *got = results_text(c);
        assert_string_equal(got, want);
        free(got);
        assert_string_equal(rp_doc_date(c, 1), "2025-03-21");
        FILE *out = tmpfile();
        size_t nk, nr;
        assert_int_equal(rp_corpus_write_kept(c, out, &nk, &nr), RP_EINVAL);
        assert_string_equal(rp_errmsg(c), "documents: framed records cannot be written back as "
                                          "JSON lines (rp_corpus_add_records)");
        fclose(out);
        rp_corpus_close(c);
    }
    free(want);
    free(b.p);

    static const struct {
        int kind; /* 0: an 'F' record with the id given; 1: bytes as they are */
        const char *id, *text, *bytes;
        size_t nbytes;
        const char *msg;
    } bad[] = {
        {0, "", TEXT_D, NULL, 0, "documents:3: field \"id\" is empty"},
        {0, "x\xff", TEXT_D, NULL, 0,
         "documents:3: field \"id\": invalid UTF-8 or NUL at byte 1"},
        {0, "x", NULL, NULL, 0, "documents:3: no \"text\" field"},
        {0, "x", "caf\xc3", NULL, 0, "documents:3: invalid UTF-8 at byte 3 of the text"},
        {1, NULL, NULL, "F\x03\0\0\0abc", 8, "documents:3: framed record cut short in its field 1"},
        {1, NULL, NULL, "F\x10\0\0\0abc", 8, "documents: record 3 (byte %zu) cut short: 3 of "
                                               "its 16 bytes; records after 2 are lost"},
        {1, NULL, NULL, "Qabcd", 5, "documents: record 3 (byte %zu) is not a framed record; "
                                    "records after 2 are lost"},
        {1, NULL, NULL, "F\0", 2, "documents: record 3 (byte %zu) cut short in its header; "
                                   "records after 2 are lost"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        tbuf e = {0};
        frame_f(&e, "a", 1, TEXT_A, NULL);
        static const unsigned char skip[5] = {'S', 0, 0, 0, 0};
        tb_append(&e, skip, 5); /* record 2: a place kept */
        size_t at = e.n; /* where record 3 starts */
        if (bad[k].kind == 0)
            frame_f(&e, bad[k].id, strlen(bad[k].id), bad[k].text, NULL);
        else
            tb_append(&e, bad[k].bytes, bad[k].nbytes);
        rp_corpus *c = NULL;
        assert_int_equal(run_framed(&e, 4096, &c), RP_EBADINPUT);
        char msg[256]; /* the message, with its "%zu" the byte where record 3 starts */
        const char *z = strstr(bad[k].msg, "%zu");
        if (z)
            snprintf(msg, sizeof msg, "%.*s%zu%s", (int)(z - bad[k].msg), bad[k].msg, at, z + 3);
        else
            snprintf(msg, sizeof msg, "%s", bad[k].msg);
        assert_string_equal(rp_errmsg(c), msg);
        rp_corpus_close(c);
        free(e.p);
    }
}

/* Framed records read through read_str that rp_fetch_fn gives again: those
 * of b, by number. */
typedef struct fetchsrc {
    strsrc s; /* (first: read_str reads it) */
    const tbuf *b;
    const char *change; /* with it, a record given again has these bytes at the start
                           of its text (the input changed) */
    int fail; /* give nothing: stop the run */
    int calls; /* records given again */
} fetchsrc;

static size_t le32_at(const unsigned char *p)
{
    return p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

static ptrdiff_t fetch_str(void *user, uint64_t number, char *buf, size_t cap)
{
    fetchsrc *f = user;
    if (f->fail)
        return -1;
    const unsigned char *p = (const unsigned char *)f->b->p;
    size_t at = 0;
    for (uint64_t k = 1; k < number; k++)
        at += 5 + le32_at(p + at + 1);
    size_t len = le32_at(p + at + 1);
    __atomic_fetch_add(&f->calls, 1, __ATOMIC_RELAXED);
    if (len + 1 > cap)
        return (ptrdiff_t)(len + 1);
    buf[0] = (char)p[at];
    memcpy(buf + 1, p + at + 5, len);
    if (f->change) /* past the type, the id's length and bytes, and the text's length */
        memcpy(buf + 1 + 4 + le32_at(p + at + 5) + 4, f->change, strlen(f->change));
    return (ptrdiff_t)(len + 1);
}

/* Run the framed records of b, given again by fetch_str, on the fast path. */
static int run_fetched(fetchsrc *f, const tbuf *b, rp_corpus **c)
{
    rp_options opt;
    rp_options_init(&opt);
    opt.threads = 2;
    opt.fast = 1;
    f->s = (strsrc){b->p, b->n, 4096, -1, 0};
    f->b = b;
    assert_int_equal(rp_corpus_open(c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_records_fetch(*c, "documents", read_str, fetch_str, f), RP_OK);
    return rp_corpus_run(*c);
}

/* The fast path over records the application gives again (a list in Python)
 * keeps no shingles and computes those of the candidate pairs again from the
 * records, with the results of records read once; a record given back
 * changed is an error naming it, and a failed fetch stops the run. */
static void test_fetched_records(void **state)
{
    (void)state;
    tbuf b = {0};
    frame_f(&b, "a", 1, TEXT_A, "2025-03-22");
    frame_f(&b, "b", 1, TEXT_B, "2025-03-21");
    frame_f(&b, "c", 1, TEXT_C, NULL);
    frame_f(&b, "d", 1, TEXT_D, NULL);
    rp_options opt;
    rp_options_init(&opt);
    opt.threads = 2;
    opt.fast = 1;
    strsrc s = {b.p, b.n, 4096, -1, 0};
    rp_corpus *c = NULL;
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_records(c, "documents", read_str, &s), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_OK);
    char *want = results_text(c);
    rp_corpus_close(c);
    assert_non_null(strstr(want, "near-duplicate"));

    fetchsrc f = {0};
    assert_int_equal(run_fetched(&f, &b, &c), RP_OK);
    char *got = results_text(c);
    assert_string_equal(got, want);
    assert_true(f.calls >= 2); /* (the candidate pair's two records, at least) */
    free(got);
    free(want);
    rp_corpus_close(c);

    f = (fetchsrc){.change = "Xq"};
    assert_int_equal(run_fetched(&f, &b, &c), RP_EBADINPUT);
    assert_non_null(strstr(rp_errmsg(c), "documents:"));
    assert_non_null(strstr(rp_errmsg(c), ": the input changed while reprint was reading it"));
    rp_corpus_close(c);

    f = (fetchsrc){.fail = 1};
    assert_int_equal(run_fetched(&f, &b, &c), RP_EINTR);
    assert_string_equal(rp_errmsg(c), "documents: stopped while giving a record again");
    rp_corpus_close(c);

    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_records_fetch(c, "documents", read_str, NULL, NULL), RP_EINVAL);
    assert_string_equal(rp_errmsg(c), "rp_corpus_add_records_fetch: no fetch function");
    rp_corpus_close(c);
    free(b.p);
}

/* A reader input gives what the same bytes in a file give; messages use its name. */
static void test_reader_input(void **state)
{
    fixture *fx = *state;
    rp_corpus *file = run_on(fx->docs, 2, RP_KEEP_LONGEST);
    char *want = results_text(file);
    rp_corpus_close(file);
    for (size_t step = 1; step <= 4096; step *= 64) {
        rp_options opt;
        rp_options_init(&opt);
        opt.threads = 2;
        rp_corpus *c = NULL;
        strsrc s = {DOCS, sizeof DOCS - 1, step, -1, 0};
        assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
        assert_int_equal(rp_corpus_add_reader(c, "mem", read_str, &s), RP_OK);
        assert_int_equal(rp_corpus_run(c), RP_OK);
        char *got = results_text(c);
        assert_string_equal(got, want);
        free(got);
        /* Read once and not copied (reread 1 would copy it): no second reading. */
        rp_corpus_close(c);
    }
    free(want);

    /* A bad record is named by the reader's name and its line. */
    static const char BAD[] = LINE_A "\n{\"id\":\"x\",\"text\":7}\n";
    rp_options opt;
    rp_options_init(&opt);
    rp_corpus *c = NULL;
    strsrc s = {BAD, sizeof BAD - 1, 1 << 20, -1, 0};
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_reader(c, "documents", read_str, &s), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_EBADINPUT);
    assert_string_equal(rp_errmsg(c), "documents:2: field \"text\" is an integer, not a string");
    rp_corpus_close(c);

    /* A failing reader stops the run with RP_EINTR, whatever skip_bad says. */
    opt.skip_bad = 1;
    strsrc f = {DOCS, sizeof DOCS - 1, 64, 3, 0};
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_reader(c, "documents", read_str, &f), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_EINTR);
    assert_string_equal(rp_errmsg(c), "interrupted by the application's reader");
    assert_string_equal(rp_strerror(RP_EINTR), "interrupted");
    assert_int_equal(rp_corpus_add_reader(c, "late", read_str, &f), RP_EINVAL);
    rp_corpus_close(c);

    /* Kept records are written back from the copy a rereading run makes. */
    opt.skip_bad = 0;
    opt.reread = 1;
    strsrc k = {DOCS, sizeof DOCS - 1, 100, -1, 0};
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_reader(c, "documents", read_str, &k), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_OK);
    FILE *out = tmpfile();
    size_t nkept = 0, nremoved = 0;
    assert_int_equal(rp_corpus_write_kept(c, out, &nkept, &nremoved), RP_OK);
    char *kept = ut_slurp(out, NULL);
    fclose(out);
    assert_string_equal(kept, LINE_A "\n" LINE_D "\n"); /* b and c are copies of a */
    assert_int_equal(nkept, 2);
    assert_int_equal(nremoved, 2);
    free(kept);
    rp_corpus_close(c);
}

/* Interrupted from the progress callback: the run stops with RP_EINTR. */
static rp_corpus *g_stop;

static void interrupt_on_progress(void *user, const rp_progress *p)
{
    (void)user;
    (void)p;
    rp_corpus_interrupt(g_stop);
}

static void test_interrupt(void **state)
{
    fixture *fx = *state;
    for (int fast = 0; fast <= 1; fast++) {
        rp_options opt;
        rp_options_init(&opt);
        opt.fast = fast;
        rp_corpus *c = NULL;
        assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
        assert_int_equal(rp_corpus_add_input(c, fx->docs), RP_OK);
        rp_corpus_interrupt(c); /* before the run: it stops at the first check */
        assert_int_equal(rp_corpus_run(c), RP_EINTR);
        assert_string_equal(rp_errmsg(c), "interrupted");
        rp_corpus_close(c);

        opt.progress = interrupt_on_progress; /* at the first report, the end of reading */
        assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
        g_stop = c;
        assert_int_equal(rp_corpus_add_input(c, fx->docs), RP_OK);
        assert_int_equal(rp_corpus_run(c), RP_EINTR);
        assert_string_equal(rp_errmsg(c), "interrupted");
        assert_int_equal(rp_corpus_npairs(c), 0);
        rp_corpus_close(c);
    }
    rp_corpus_interrupt(NULL); /* accepted */
}

/*
 * The fast path reads its candidates' records again from an uncompressed
 * file instead of storing every document's shingles (reread.c). A file
 * changed between the reading and the verifying (a word of c replaced by one
 * of the same length, or the file cut after b) is an error naming c's line,
 * never a figure computed on other text; unchanged, the pairs are those of
 * the whole run (WANT_TSV_FAST).
 */
typedef struct spoiler {
    const char *path; /* the input to change */
    const char *with; /* its new content */
    int done; /* changed already */
} spoiler;

static void spoil_on_verify(void *user, const rp_progress *p)
{
    spoiler *sp = user;
    if (!sp->done && strcmp(p->phase, "verifying") == 0) {
        if (!sp->with) {
            assert_int_equal(unlink(sp->path), 0);
        } else {
            FILE *f = fopen(sp->path, "w");
            assert_non_null(f);
            fputs(sp->with, f);
            fclose(f);
        }
        sp->done = 1;
    }
}

static void test_fast_input_changed(void **state)
{
    fixture *fx = *state;
    static const char *const spoiled[] = {
        LINE_A "\n" LINE_B "\n" LINE_C "\n" LINE_D "\n", /* unchanged */
        LINE_A "\n" LINE_B "\n" "{\"id\":\"c\",\"date\":\"26-FEB-1987 15:01:01.79\",\"text\":\""
        "Harbour officials confirmed on Monday that the new bridge across the river will open to "
        "traffic next spring after three years of delays caused by funding disputes and "
        "unexpectedly difficult ground sand\"}\n" LINE_D "\n",
        LINE_A "\n" LINE_B "\n",
        NULL, /* deleted */
    };
    for (int k = 0; k < 4; k++) {
        for (int threads = 1; threads <= 2; threads++) {
            ut_write_in(fx->dir, "docs.jsonl", DOCS, fx->docs, sizeof fx->docs);
            spoiler sp = {fx->docs, spoiled[k], 0};
            rp_options opt;
            rp_options_init(&opt);
            opt.fast = 1;
            opt.threads = threads;
            opt.progress = spoil_on_verify;
            opt.user = &sp;
            rp_corpus *c = NULL;
            assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
            assert_int_equal(rp_corpus_add_input(c, fx->docs), RP_OK);
            int rc = rp_corpus_run(c);
            assert_int_equal(sp.done, 1);
            if (k == 0) {
                assert_int_equal(rc, RP_OK);
                char *got = results_text(c);
                assert_non_null(strstr(got, WANT_TSV_FAST));
                free(got);
            } else if (!spoiled[k]) {
                char want[4400];
                snprintf(want, sizeof want,
                         "%s: the input changed while reprint was reading it: cannot open "
                         "again: No such file or directory",
                         fx->docs);
                assert_int_equal(rc, RP_EBADINPUT);
                assert_string_equal(rp_errmsg(c), want);
            } else {
                char want[4400];
                snprintf(want, sizeof want,
                         "%s:3: the input changed while reprint was reading it", fx->docs);
                assert_int_equal(rc, RP_EBADINPUT);
                assert_string_equal(rp_errmsg(c), want);
            }
            rp_corpus_close(c);
        }
    }
}

static void test_options_defaults(void **state)
{
    (void)state;
    rp_options o;
    memset(&o, 0x5a, sizeof o);
    rp_options_init(&o);
    assert_int_equal(o.ngram, 5);
    assert_int_equal(o.perm, 128);
    assert_float_equal(o.threshold, 0.8, 0);
    assert_int_equal(o.threads, 0);
    assert_int_equal(o.keep, RP_KEEP_LONGEST);
    assert_int_equal(o.sketch, RP_SKETCH_OPH);
    assert_string_equal(o.id_field, "id");
    assert_string_equal(o.text_field, "text");
    assert_int_equal(o.max_doc_bytes, (size_t)64 << 20);
    assert_int_equal(o.skip_bad, 0);
    assert_int_equal(o.force_jsonl, 0);
    assert_null(o.warn);
    assert_null(o.progress);
    assert_null(o.user);
    assert_string_equal(rp_version(), RP_VERSION_STRING);
    assert_string_equal(rp_strerror(RP_OK), "success");
    assert_string_equal(rp_strerror(RP_ENOMEM), "out of memory");
    assert_string_equal(rp_strerror(RP_EBADINPUT), "bad input");
    assert_string_equal(rp_relation_name(RP_REL_DUPLICATE), "duplicate");
    assert_string_equal(rp_relation_name(RP_REL_NEAR_DUPLICATE), "near-duplicate");
    assert_string_equal(rp_relation_name(RP_REL_REPRINT), "reprint");
    assert_string_equal(rp_relation_name(RP_REL_SAME_STORY), "same-story");
    assert_string_equal(rp_relation_name(RP_REL_SHARES_PASSAGES), "shares-passages");
    assert_string_equal(rp_relation_name(RP_REL_SAME_TOPIC), "same-topic");
    assert_string_equal(rp_relation_name(RP_REL_UNRELATED), "unrelated");
    assert_int_equal(o.fast, 0);
    assert_int_equal(o.keep_furniture, 0);
    assert_int_equal(o.list_furniture, 0);
    assert_int_equal(o.all_pairs, 0);
}

static void test_bad_options(void **state)
{
    (void)state;
    static const struct {
        int field; /* which option to spoil */
        const char *msg; /* expected message */
    } cases[] = {
        {0, "n-gram size 0 out of range (1..64)"},
        {1, "n-gram size 65 out of range (1..64)"},
        {2, "permutations 4 out of range (8..1024)"},
        {3, "permutations 2048 out of range (8..1024)"},
        {4, "threshold 0 out of range (0..1]"},
        {5, "threshold 1.5 out of range (0..1]"},
        {6, "threads -1 out of range (0..256)"},
        {7, "id and text field names must not be empty"},
        {8, "id and text field names must not be empty"},
        {9, "unknown keep policy or sketch kind"},
    };
    for (size_t i = 0; i < UT_ARRAY_LEN(cases); i++) {
        rp_options o;
        rp_options_init(&o);
        switch (cases[i].field) {
        case 0: o.ngram = 0; break;
        case 1: o.ngram = 65; break;
        case 2: o.perm = 4; break;
        case 3: o.perm = 2048; break;
        case 4: o.threshold = 0; break;
        case 5: o.threshold = 1.5; break;
        case 6: o.threads = -1; break;
        case 7: o.id_field = ""; break;
        case 8: o.text_field = NULL; break;
        default: o.keep = (rp_keep)7; break;
        }
        rp_corpus *c = NULL;
        assert_int_equal(rp_corpus_open(&c, &o), RP_EINVAL);
        assert_non_null(c); /* created so that the message can be read */
        assert_string_equal(rp_errmsg(c), cases[i].msg);
        rp_corpus_close(c);
    }
    /* NULL options are the defaults; NULL corpus closes. */
    rp_corpus *c = NULL;
    assert_int_equal(rp_corpus_open(&c, NULL), RP_OK);
    assert_non_null(c);
    assert_string_equal(rp_errmsg(c), "");
    assert_int_equal(rp_corpus_run(c), RP_EINVAL);
    assert_string_equal(rp_errmsg(c), "no input given");
    rp_corpus_close(c);
    rp_corpus_close(NULL);
}

static void test_run_pairs_clusters_removed(void **state)
{
    fixture *fx = *state;
    rp_corpus *c = run_on(fx->docs, 1, RP_KEEP_LONGEST);
    assert_int_equal(rp_corpus_ndocs(c), 4);
    assert_int_equal(rp_corpus_nskipped(c), 0);
    assert_string_equal(rp_doc_id(c, 0), "a");
    assert_string_equal(rp_doc_id(c, 3), "d");
    assert_null(rp_doc_id(c, 4));
    assert_string_equal(rp_doc_date(c, 2), "26-FEB-1987 15:01:01.79");
    assert_null(rp_doc_date(c, 3));
    assert_null(rp_doc_date(c, 9));

    assert_int_equal(rp_corpus_npairs(c), 3);
    static const struct {
        uint32_t a, b;
        rp_relation rel;
        double j, ca, cb, cov; /* cov: coverage of both sides */
        uint32_t end; /* end of the one passage, both sides */
        const char *why;
    } want[] = {{0, 1, RP_REL_DUPLICATE, 1.0, 1.0, 1.0, 1.0, sizeof TEXT_A - 1, WHY_DUP},
                {0, 2, RP_REL_NEAR_DUPLICATE, 27.0 / 29.0, 27.0 / 28.0, 27.0 / 28.0, 31.0 / 32.0,
                 SHARED_END, WHY_NEAR},
                {1, 2, RP_REL_NEAR_DUPLICATE, 27.0 / 29.0, 27.0 / 28.0, 27.0 / 28.0, 31.0 / 32.0,
                 SHARED_END, WHY_NEAR}};
    assert_int_equal(rp_corpus_npassages(c), 3);
    for (size_t i = 0; i < 3; i++) {
        rp_pair p;
        assert_int_equal(rp_corpus_pair(c, i, &p), RP_OK);
        assert_int_equal(p.a, want[i].a);
        assert_int_equal(p.b, want[i].b);
        assert_int_equal(p.relation, want[i].rel);
        assert_float_equal(p.jaccard, want[i].j, 1e-12);
        assert_float_equal(p.containment_a, want[i].ca, 1e-12);
        assert_float_equal(p.containment_b, want[i].cb, 1e-12);
        assert_int_equal(p.npassages, 1);
        assert_float_equal(p.coverage_a, want[i].cov, 1e-6); /* stored as float */
        assert_float_equal(p.coverage_b, want[i].cov, 1e-6);
        assert_string_equal(p.why, want[i].why);
        /* The pair's one passage: from the start of both texts, exact words. */
        size_t first = 99, n = 99;
        assert_int_equal(rp_pair_passages(c, i, &first, &n), RP_OK);
        assert_int_equal(first, i);
        assert_int_equal(n, 1);
        rp_passage ps;
        assert_int_equal(rp_corpus_passage(c, first, &ps), RP_OK);
        assert_int_equal(ps.a, want[i].a);
        assert_int_equal(ps.b, want[i].b);
        assert_int_equal(ps.a_start, 0);
        assert_int_equal(ps.b_start, 0);
        assert_int_equal(ps.a_end, want[i].end);
        assert_int_equal(ps.b_end, want[i].end);
        assert_float_equal(ps.score, 1.0, 1e-6); /* case aside, every word matches */
    }
    rp_pair p;
    assert_int_equal(rp_corpus_pair(c, 3, &p), RP_EINVAL);
    rp_passage ps;
    assert_int_equal(rp_corpus_passage(c, 3, &ps), RP_EINVAL);
    size_t first, n;
    assert_int_equal(rp_pair_passages(c, 3, &first, &n), RP_EINVAL);

    /* Texts are read back from the temporary store as they were given. */
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(rp_doc_text(c, 2, &text, &len), RP_OK);
    assert_int_equal(len, sizeof TEXT_C - 1);
    assert_string_equal(text, TEXT_C);
    rp_free(text);
    assert_int_equal(rp_doc_text(c, 4, &text, &len), RP_EINVAL);
    rp_free(NULL);

    /* One story: a, b, c (copies are a story); d alone is none. Its
     * representative is the most complete text: a and b tie on length and b is
     * dated earlier. */
    assert_int_equal(rp_corpus_nstories(c), 1);
    {
        const uint32_t *sm;
        size_t ns;
        uint32_t srep;
        assert_int_equal(rp_corpus_story(c, 0, &sm, &ns, &srep), RP_OK);
        assert_int_equal(ns, 3);
        assert_int_equal(sm[0], 0);
        assert_int_equal(sm[2], 2);
        assert_int_equal(srep, 1);
        assert_int_equal(rp_corpus_story(c, 1, &sm, &ns, &srep), RP_EINVAL);
    }
    /* No furniture asked for (list_furniture is off). */
    assert_int_equal(rp_corpus_nfurniture(c), 0);
    {
        uint32_t fd, fs, fe;
        const char *fw;
        assert_int_equal(rp_corpus_furniture(c, 0, &fd, &fs, &fe, &fw), RP_EINVAL);
    }

    assert_int_equal(rp_corpus_nclusters(c), 1);
    const uint32_t *m;
    size_t nm;
    uint32_t rep;
    assert_int_equal(rp_corpus_cluster(c, 0, &m, &nm, &rep), RP_OK);
    assert_int_equal(nm, 3);
    assert_int_equal(m[0], 0);
    assert_int_equal(m[1], 1);
    assert_int_equal(m[2], 2);
    assert_int_equal(rep, 0); /* a and b are longest (a tie): the earlier one */
    assert_int_equal(rp_corpus_cluster(c, 1, &m, &nm, &rep), RP_EINVAL);

    uint32_t by = 99;
    double j = -1;
    assert_int_equal(rp_doc_removed(c, 0, &by, &j), 0);
    assert_int_equal(rp_doc_removed(c, 1, &by, &j), 1);
    assert_int_equal(by, 0);
    assert_float_equal(j, 1.0, 0);
    assert_int_equal(rp_doc_removed(c, 2, &by, &j), 1);
    assert_int_equal(by, 0);
    assert_float_equal(j, 27.0 / 29.0, 1e-12);
    assert_int_equal(rp_doc_removed(c, 3, NULL, NULL), 0);
    assert_int_equal(rp_doc_removed(c, 4, NULL, NULL), RP_EINVAL);

    /* Writers: exact text. */
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(rp_corpus_write_pairs(c, f, RP_FORMAT_TSV), RP_OK);
    char *s = ut_slurp(f, NULL);
    assert_string_equal(s, WANT_TSV);
    free(s);
    fclose(f);
    f = tmpfile();
    assert_int_equal(rp_corpus_write_pairs(c, f, RP_FORMAT_CSV), RP_OK);
    s = ut_slurp(f, NULL);
    assert_string_equal(s, "a,b,relation,jaccard,containment_a,containment_b,passages,"
                           "coverage_a,coverage_b,why,differences,event,specifics\n"
                           "a,b,duplicate,1.0000,1.0000,1.0000,1,1.0000,1.0000," WHY_DUP
                           ",0,1.0000,0.5380\n"
                           "a,c,near-duplicate,0.9310,0.9642,0.9642,1,0.9687,0.9687," WHY_NEAR
                           ",0,0.9183,1.0000\n"
                           "b,c,near-duplicate,0.9310,0.9642,0.9642,1,0.9687,0.9687," WHY_NEAR
                           ",0,0.9183,0.5380\n");
    free(s);
    fclose(f);
    f = tmpfile();
    assert_int_equal(rp_corpus_write_pairs(c, f, RP_FORMAT_JSONL), RP_OK);
    s = ut_slurp(f, NULL);
    /* similarity: the content words outside the passages; there are none. event: the
     * whole texts; specifics: their names and figures (the case of b differs). */
    assert_string_equal(s, "{\"a\":\"a\",\"b\":\"b\",\"relation\":\"duplicate\",\"jaccard\":1.0000,"
                           "\"containment_a\":1.0000,\"containment_b\":1.0000,\"passages\":1,"
                           "\"coverage_a\":1.0000,\"coverage_b\":1.0000,\"why\":\"" WHY_DUP "\","
                           "\"similarity\":0.0000,\"differences\":0,\"event\":1.0000,"
                           "\"specifics\":0.5380}\n"
                           "{\"a\":\"a\",\"b\":\"c\",\"relation\":\"near-duplicate\","
                           "\"jaccard\":0.9310,\"containment_a\":0.9642,\"containment_b\":0.9642,"
                           "\"passages\":1,\"coverage_a\":0.9687,\"coverage_b\":0.9687,"
                           "\"why\":\"" WHY_NEAR "\",\"similarity\":0.0000,\"differences\":0,"
                           "\"event\":0.9183,\"specifics\":1.0000}\n"
                           "{\"a\":\"b\",\"b\":\"c\",\"relation\":\"near-duplicate\","
                           "\"jaccard\":0.9310,\"containment_a\":0.9642,\"containment_b\":0.9642,"
                           "\"passages\":1,\"coverage_a\":0.9687,\"coverage_b\":0.9687,"
                           "\"why\":\"" WHY_NEAR "\",\"similarity\":0.0000,\"differences\":0,"
                           "\"event\":0.9183,\"specifics\":0.5380}\n");
    free(s);
    fclose(f);
    f = tmpfile();
    assert_int_equal(rp_corpus_write_clusters(c, f), RP_OK);
    assert_int_equal(rp_corpus_write_removed(c, f), RP_OK);
    s = ut_slurp(f, NULL);
    assert_string_equal(s, "{\"id\":1,\"level\":\"copies\",\"members\":[\"a\",\"b\",\"c\"],"
                           "\"representative\":\"a\"}\n"
                           "{\"id\":1,\"level\":\"story\",\"members\":[\"a\",\"b\",\"c\"],"
                           "\"representative\":\"b\"}\n"
                           "{\"id\":\"b\",\"kept\":\"a\",\"jaccard\":1.0000}\n"
                           "{\"id\":\"c\",\"kept\":\"a\",\"jaccard\":0.9310}\n");
    free(s);
    fclose(f);
    f = tmpfile();
    assert_int_equal(rp_corpus_write_stories(c, f), RP_OK);
    s = ut_slurp(f, NULL);
    assert_string_equal(s, "{\"id\":1,\"level\":\"story\",\"members\":[\"a\",\"b\",\"c\"],"
                           "\"representative\":\"b\"}\n");
    free(s);
    fclose(f);
    f = tmpfile();
    assert_int_equal(rp_corpus_write_passages(c, f), RP_OK);
    s = ut_slurp(f, NULL);
    assert_string_equal(s, "{\"a\":\"a\",\"b\":\"b\",\"a_start\":0,\"a_end\":207,\"b_start\":0,"
                           "\"b_end\":207,\"score\":1.0000,\"text_a\":\"" TEXT_A "\",\"text_b\":\""
                           TEXT_B "\"}\n"
                           "{\"a\":\"a\",\"b\":\"c\",\"a_start\":0,\"a_end\":196,\"b_start\":0,"
                           "\"b_end\":196,\"score\":1.0000,\"text_a\":\"" TEXT_AC_SHARED "\","
                           "\"text_b\":\"" TEXT_AC_SHARED "\"}\n"
                           "{\"a\":\"b\",\"b\":\"c\",\"a_start\":0,\"a_end\":196,\"b_start\":0,"
                           "\"b_end\":196,\"score\":1.0000,\"text_a\":\"" TEXT_BC_SHARED "\","
                           "\"text_b\":\"" TEXT_AC_SHARED "\"}\n");
    free(s);
    fclose(f);
    f = tmpfile();
    size_t nkept = 0, nremoved = 0;
    assert_int_equal(rp_corpus_write_kept(c, f, &nkept, &nremoved), RP_OK);
    assert_int_equal(nkept, 2);
    assert_int_equal(nremoved, 2);
    s = ut_slurp(f, NULL);
    assert_string_equal(s, LINE_A "\n" LINE_D "\n");
    free(s);
    fclose(f);

    /* Once only. */
    assert_int_equal(rp_corpus_run(c), RP_EINVAL);
    assert_int_equal(rp_corpus_add_input(c, fx->docs), RP_EINVAL);
    rp_corpus_close(c);
}

/*
 * The fast path (rp_options.fast): the same copies with the same scores, but
 * nothing aligned (0 passages, coverage 0), no story clusters, no text kept.
 */
static void test_fast_mode(void **state)
{
    fixture *fx = *state;
    rp_options opt;
    rp_options_init(&opt);
    opt.threads = 2;
    opt.fast = 1;
    rp_corpus *c = NULL;
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_input(c, fx->docs), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_OK);
    assert_int_equal(rp_corpus_npairs(c), 3);
    assert_int_equal(rp_corpus_npassages(c), 0);
    assert_int_equal(rp_corpus_nclusters(c), 1);
    assert_int_equal(rp_corpus_nstories(c), 0);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(rp_doc_text(c, 0, &text, &len), RP_EINVAL);
    assert_null(text);
    char *s = results_text(c);
    assert_string_equal(s, "a\tb\trelation\tjaccard\tcontainment_a\tcontainment_b\tpassages\t"
                           "coverage_a\tcoverage_b\twhy\tdifferences\tevent\tspecifics\n"
                           "a\tb\tduplicate\t1.0000\t1.0000\t1.0000\t0\t0.0000\t0.0000\t" WHY_DUP
                           "\t0\t0.0000\t0.0000\n"
                           "a\tc\tnear-duplicate\t0.9310\t0.9642\t0.9642\t0\t0.0000\t0.0000\t"
                           WHY_NEAR "\t0\t0.0000\t0.0000\n"
                           "b\tc\tnear-duplicate\t0.9310\t0.9642\t0.9642\t0\t0.0000\t0.0000\t"
                           WHY_NEAR "\t0\t0.0000\t0.0000\n"
                           "{\"id\":1,\"level\":\"copies\",\"members\":[\"a\",\"b\",\"c\"],"
                           "\"representative\":\"a\"}\n"
                           "{\"id\":\"b\",\"kept\":\"a\",\"jaccard\":1.0000}\n"
                           "{\"id\":\"c\",\"kept\":\"a\",\"jaccard\":0.9310}\n");
    free(s);
    rp_corpus_close(c);
}

/*
 * all_pairs: the pairs with d, compared and found unrelated (no passage, hardly
 * a content word in common), are listed too, with their rule; the related pairs
 * and clusters are unchanged.
 */
static void test_all_pairs(void **state)
{
    fixture *fx = *state;
    rp_options opt;
    rp_options_init(&opt);
    opt.threads = 2;
    opt.all_pairs = 1;
    rp_corpus *c = NULL;
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_input(c, fx->docs), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_OK);
    assert_int_equal(rp_corpus_npairs(c), 6);
    static const uint32_t want_a[] = {0, 0, 0, 1, 1, 2}, want_b[] = {1, 2, 3, 2, 3, 3};
    for (size_t i = 0; i < 6; i++) {
        rp_pair p;
        assert_int_equal(rp_corpus_pair(c, i, &p), RP_OK);
        assert_int_equal(p.a, want_a[i]);
        assert_int_equal(p.b, want_b[i]);
        if (p.b != 3)
            continue;
        assert_int_equal(p.relation, RP_REL_UNRELATED);
        assert_string_equal(p.why, "no passage shared, content words differ");
        assert_int_equal(p.npassages, 0);
        assert_float_equal(p.jaccard, 0, 0);
        assert_float_equal(p.coverage_a, 0, 0);
        assert_true(p.similarity < 0.2); /* below the same-topic cosine (a few common words) */
    }
    assert_int_equal(rp_corpus_npassages(c), 3);
    assert_int_equal(rp_corpus_nclusters(c), 1);
    assert_int_equal(rp_corpus_nstories(c), 1);
    rp_corpus_close(c);
}

/* keep = earliest: c (1987) represents the cluster and both others yield to it. */
static void test_keep_earliest(void **state)
{
    fixture *fx = *state;
    rp_corpus *c = run_on(fx->docs, 2, RP_KEEP_EARLIEST);
    const uint32_t *m;
    size_t nm;
    uint32_t rep, by;
    double j;
    assert_int_equal(rp_corpus_cluster(c, 0, &m, &nm, &rep), RP_OK);
    assert_int_equal(rep, 2);
    assert_int_equal(rp_doc_removed(c, 0, &by, &j), 1);
    assert_int_equal(by, 2);
    assert_float_equal(j, 27.0 / 29.0, 1e-12);
    assert_int_equal(rp_doc_removed(c, 1, &by, &j), 1);
    assert_int_equal(by, 2);
    assert_int_equal(rp_doc_removed(c, 2, NULL, NULL), 0);
    assert_int_equal(rp_doc_removed(c, 3, NULL, NULL), 0);
    rp_corpus_close(c);
    /* keep = first: a. */
    c = run_on(fx->docs, 2, RP_KEEP_FIRST);
    assert_int_equal(rp_corpus_cluster(c, 0, &m, &nm, &rep), RP_OK);
    assert_int_equal(rep, 0);
    rp_corpus_close(c);
}

static void test_metadata(void **state)
{
    fixture *fx = *state;
    char path[4300];
    static const char meta[] =
        "{\"id\":\"m1\",\"text\":\"one two\",\"source\":\"Wire\",\"url\":\"http://x/1\","
        "\"title\":\"T\\u00e9\",\"date\":\"2025-03-22\"}\n"
        "{\"id\":\"m2\",\"text\":\"three four\",\"source\":7,\"title\":\"\"}\n";
    ut_write_in(fx->dir, "meta.jsonl", meta, path, sizeof path);
    rp_corpus *c = run_on(path, 1, RP_KEEP_LONGEST);
    assert_string_equal(rp_doc_meta(c, 0, "source"), "Wire");
    assert_string_equal(rp_doc_meta(c, 0, "url"), "http://x/1");
    assert_string_equal(rp_doc_meta(c, 0, "title"), "T\xc3\xa9");
    assert_string_equal(rp_doc_meta(c, 0, "date"), "2025-03-22");
    assert_string_equal(rp_doc_date(c, 0), "2025-03-22");
    assert_null(rp_doc_meta(c, 0, "author"));
    assert_null(rp_doc_meta(c, 0, NULL));
    assert_null(rp_doc_meta(c, 1, "source")); /* not a string: not kept */
    assert_null(rp_doc_meta(c, 1, "title")); /* empty */
    assert_null(rp_doc_meta(c, 1, "date"));
    assert_null(rp_doc_meta(c, 2, "date"));
    rp_corpus_close(c);
}

static void test_same_results_any_thread_count(void **state)
{
    fixture *fx = *state;
    /* More documents so that work really spreads: 60 copies of the four with new ids. */
    char path[4200];
    ut_join(path, sizeof path, fx->dir, "many.jsonl");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    const char *texts[] = {TEXT_A, TEXT_B, TEXT_C, TEXT_D};
    for (int i = 0; i < 240; i++)
        fprintf(f, "{\"id\":\"n%d\",\"text\":\"%s %d\"}\n", i, texts[i % 4], i % 8 < 4 ? 0 : i);
    assert_int_equal(fclose(f), 0);
    for (int k = 0; k < 2; k++) {
        const char *p = k ? path : fx->docs;
        rp_corpus *c1 = run_on(p, 1, RP_KEEP_LONGEST);
        rp_corpus *c3 = run_on(p, 3, RP_KEEP_LONGEST);
        char *s1 = results_text(c1), *s3 = results_text(c3);
        assert_string_equal(s1, s3);
        if (!k)
            assert_memory_equal(s1, WANT_TSV, strlen(WANT_TSV));
        else
            assert_true(rp_corpus_npairs(c1) > 1000);
        free(s1);
        free(s3);
        rp_corpus_close(c1);
        rp_corpus_close(c3);
    }
}

static void test_plain_files_folder(void **state)
{
    fixture *fx = *state;
    char sub[4200];
    ut_mkdir_in(fx->dir, "plain");
    ut_join(sub, sizeof sub, fx->dir, "plain");
    ut_write_in(sub, "x.txt", TEXT_D "\n", NULL, 0);
    ut_write_in(sub, "y.txt", "\xe2\x80\x9c" TEXT_D "\xe2\x80\x9d", NULL, 0);
    ut_write_in(sub, "z.txt", TEXT_A, NULL, 0);
    rp_corpus *c = run_on(sub, 2, RP_KEEP_LONGEST);
    assert_int_equal(rp_corpus_ndocs(c), 3);
    assert_string_equal(rp_doc_id(c, 0), "x.txt");
    assert_string_equal(rp_doc_id(c, 2), "z.txt");
    FILE *f = tmpfile();
    assert_int_equal(rp_corpus_write_pairs(c, f, RP_FORMAT_TSV), RP_OK);
    char *s = ut_slurp(f, NULL);
    assert_string_equal(s, "a\tb\trelation\tjaccard\tcontainment_a\tcontainment_b\tpassages\t"
                           "coverage_a\tcoverage_b\twhy\tdifferences\tevent\tspecifics\n"
                           "x.txt\ty.txt\tduplicate\t1.0000\t1.0000\t1.0000\t1\t1.0000\t1.0000\t"
                           WHY_DUP "\t0\t1.0000\t0.0000\n");
    free(s);
    fclose(f);
    uint32_t by;
    assert_int_equal(rp_doc_removed(c, 0, &by, NULL), 1); /* y.txt is longer */
    assert_int_equal(by, 1);
    rp_corpus_close(c);
}

/* Write n copies of TEXT_D (copy `longer` with extra white space) as JSONL; run. */
static rp_corpus *run_copies(const char *dir, int n, int longer)
{
    char path[4200];
    ut_join(path, sizeof path, dir, "copies.jsonl");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < n; i++)
        fprintf(f, "{\"id\":\"c%d\",\"text\":\"%s%s\"}\n", i, TEXT_D, i == longer ? "  " : "");
    assert_int_equal(fclose(f), 0);
    return run_on(path, 2, RP_KEEP_LONGEST);
}

/*
 * A group of more than 1,000 exact copies is paired through its preferred
 * member only (README "Limits"); 1,000 copies still give every pair.
 */
static void test_huge_duplicate_group(void **state)
{
    fixture *fx = *state;
    rp_corpus *c = run_copies(fx->dir, 1001, 7);
    assert_int_equal(rp_corpus_ndocs(c), 1001);
    assert_int_equal(rp_corpus_npairs(c), 1000);
    for (size_t i = 0; i < 1000; i++) {
        rp_pair p;
        assert_int_equal(rp_corpus_pair(c, i, &p), RP_OK);
        uint32_t other = i < 7 ? (uint32_t)i : (uint32_t)i + 1;
        assert_int_equal(p.a, other < 7 ? other : 7);
        assert_int_equal(p.b, other < 7 ? 7 : other);
        assert_int_equal(p.relation, RP_REL_DUPLICATE);
    }
    assert_int_equal(rp_corpus_nclusters(c), 1);
    const uint32_t *m;
    size_t nm;
    uint32_t rep, by;
    assert_int_equal(rp_corpus_cluster(c, 0, &m, &nm, &rep), RP_OK);
    assert_int_equal(nm, 1001);
    assert_int_equal(rep, 7);
    for (uint32_t d = 0; d < 1001; d++) {
        if (d == 7) {
            assert_int_equal(rp_doc_removed(c, d, &by, NULL), 0);
            continue;
        }
        assert_int_equal(rp_doc_removed(c, d, &by, NULL), 1);
        assert_int_equal(by, 7);
    }
    rp_corpus_close(c);
    c = run_copies(fx->dir, 1000, 7);
    assert_int_equal(rp_corpus_npairs(c), 1000 * 999 / 2);
    rp_corpus_close(c);
}

static int g_nwarn;
static char g_warn[1024];
static uint64_t g_prog[3];

static void on_warn(void *user, const char *msg)
{
    assert_ptr_equal(user, &g_nwarn);
    g_nwarn++;
    snprintf(g_warn, sizeof g_warn, "%s", msg);
}

/* The last report of the reading phase, and the phases in the order first seen. */
static char g_phases[128];
static double g_last_eta;

static void on_progress(void *user, const rp_progress *p)
{
    (void)user;
    if (strcmp(p->phase, "reading") == 0) {
        assert_string_equal(p->unit, "bytes");
        g_prog[0] = p->ndocs;
        g_prog[1] = p->done;
        g_prog[2] = p->total;
    }
    size_t n = strlen(g_phases), k = strlen(p->phase);
    if (n < k || strcmp(g_phases + n - k, p->phase) != 0)
        snprintf(g_phases + n, sizeof g_phases - n, "%s%s", n ? " " : "", p->phase);
    assert_true(p->done <= p->total || p->total == 0);
    assert_true(p->elapsed >= 0);
    g_last_eta = p->eta;
}

static void test_bad_documents(void **state)
{
    fixture *fx = *state;
    char path[4200], want[8600];
    ut_write_in(fx->dir, "bad.jsonl", LINE_A "\n{\"id\":\"x\",\"text\":\"broken\"\n" LINE_D "\n",
                path, sizeof path);
    rp_options opt;
    rp_options_init(&opt);
    opt.threads = 2;
    rp_corpus *c;
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_input(c, path), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_EBADINPUT);
    snprintf(want, sizeof want, "%s:2: invalid JSON", path);
    assert_memory_equal(rp_errmsg(c), want, strlen(want));
    rp_corpus_close(c);

    /* skip_bad: reported through warn, counted, the others read. */
    opt.skip_bad = 1;
    opt.warn = on_warn;
    opt.progress = on_progress;
    opt.user = &g_nwarn;
    g_nwarn = 0;
    memset(g_prog, 0, sizeof g_prog);
    g_phases[0] = 0;
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_input(c, path), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_OK);
    assert_int_equal(g_nwarn, 1);
    assert_memory_equal(g_warn, "skipped: ", 9);
    assert_memory_equal(g_warn + 9, want, strlen(want));
    assert_int_equal(rp_corpus_ndocs(c), 2);
    assert_int_equal(rp_corpus_nskipped(c), 1);
    assert_string_equal(rp_doc_id(c, 1), "d");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(g_prog[0], 3); /* documents read, skipped ones included */
    assert_int_equal(g_prog[1], (uint64_t)st.st_size);
    assert_int_equal(g_prog[2], (uint64_t)st.st_size);
    /* Every phase reports, in order; at the end nothing is left to wait for. */
    assert_string_equal(g_phases, "reading verifying indexing comparing");
    assert_true(g_last_eta >= 0 && g_last_eta < 1e-6);
    FILE *f = tmpfile();
    size_t nkept = 0, nremoved = 9;
    assert_int_equal(rp_corpus_write_kept(c, f, &nkept, &nremoved), RP_OK);
    char *s = ut_slurp(f, NULL);
    assert_string_equal(s, LINE_A "\n" LINE_D "\n");
    assert_int_equal(nkept, 2);
    assert_int_equal(nremoved, 0);
    free(s);
    fclose(f);
    rp_corpus_close(c);

    /* A duplicate id names both places. */
    ut_write_in(fx->dir, "dupid.jsonl", LINE_A "\n" LINE_A "\n", path, sizeof path);
    opt.skip_bad = 0;
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_input(c, path), RP_OK);
    assert_int_equal(rp_corpus_run(c), RP_EBADINPUT);
    snprintf(want, sizeof want, "%s:2: duplicate id \"a\" (first seen at %s:1)", path, path);
    assert_string_equal(rp_errmsg(c), want);
    rp_corpus_close(c);

    /* A missing input. */
    assert_int_equal(rp_corpus_open(&c, &opt), RP_OK);
    assert_int_equal(rp_corpus_add_input(c, "/nonexistent-reprint/in.jsonl"), RP_EIO);
    assert_string_equal(rp_errmsg(c), "/nonexistent-reprint/in.jsonl: No such file or directory");
    rp_corpus_close(c);
}

/*
 * After a run with rpi_fail_alloc_after(n) armed: did the n-th allocation
 * happen during the run? If not, the countdown is still pending and one of
 * the next n allocations fails; this probe consumes it.
 */
static int fault_fired(long n)
{
    for (long i = 0; i < n; i++) {
        void *p = rpi_malloc(1);
        if (!p)
            return 0;
        rpi_free(p);
    }
    return 1;
}

static void fault_loop(const char *path, int threads, int fast)
{
    long n;
    int failures = 0;
    for (n = 1; n < 100000; n++) {
        rp_options opt;
        rp_options_init(&opt);
        opt.threads = threads;
        opt.fast = fast;
        rp_corpus *c = NULL;
        rpi_fail_alloc_after(n);
        int rc = rp_corpus_open(&c, &opt);
        if (rc == RP_OK)
            rc = rp_corpus_add_input(c, path);
        if (rc == RP_OK)
            rc = rp_corpus_run(c);
        int fired = fault_fired(n);
        rpi_fail_alloc_after(0);
        if (rc != RP_OK) {
            char msg[1100];
            snprintf(msg, sizeof msg, "%s", c ? rp_errmsg(c) : "out of memory");
            rp_corpus_close(c); /* first, so that a failed check leaks nothing */
            assert_int_equal(rc, RP_ENOMEM);
            assert_true(fired);
            assert_string_equal(msg, "out of memory");
            failures++;
            continue;
        }
        /* A run that succeeds is complete and right. */
        assert_int_equal(rp_corpus_ndocs(c), 4);
        assert_int_equal(rp_corpus_npairs(c), 3);
        assert_int_equal(rp_corpus_nclusters(c), 1);
        char *s = results_text(c);
        const char *want = fast ? WANT_TSV_FAST : WANT_TSV;
        assert_memory_equal(s, want, strlen(want));
        free(s);
        rp_corpus_close(c);
        if (!fired)
            break; /* n is past the last allocation of a whole run */
    }
    assert_true(n < 100000);
    assert_true(failures >= 20);
}

static void test_fault_injection(void **state)
{
    fixture *fx = *state;
    fault_loop(fx->docs, 1, 0);
    fault_loop(fx->docs, 2, 0);
    fault_loop(fx->docs, 1, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_defaults),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test_setup_teardown(test_run_pairs_clusters_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fast_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keep_earliest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_results_any_thread_count, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plain_files_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_huge_duplicate_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fault_injection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_framed_records, setup, teardown),
        cmocka_unit_test(test_fetched_records),
        cmocka_unit_test_setup_teardown(test_interrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fast_input_changed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
