/* SPDX-License-Identifier: MIT */
/*
 * test_io.c -- unit tests of stage 1 (src/io): date keys, JSON string
 * escaping, the input list (folders in name order, hidden entries skipped),
 * the record reader over plain, JSONL, gzip and zstd inputs (line numbers,
 * offsets, blank lines, CRLF, size limit, truncation), and parsing records
 * into documents with exact error messages.
 */
#include "unit.h"

#include <zlib.h>
#include <zstd.h>

#include "io.h"

/* ---- dates ------------------------------------------------------------------ */

static int64_t dk(const char *s)
{
    return rpi_date_key(s, strlen(s));
}

static void test_date_key(void **state)
{
    (void)state;
    assert_int_equal(dk("2025-03-22"), 20250322000000LL);
    assert_int_equal(dk("2025-03-22T10:11:12Z"), 20250322101112LL);
    assert_int_equal(dk("2025-03-22T10:11:12.250Z"), 20250322101112LL);
    assert_int_equal(dk("2025-03-22T10:11:12+02:00"), 20250322081112LL); /* to UTC */
    assert_int_equal(dk("2025-03-22T01:00:00+0200"), 20250321230000LL); /* the day before */
    assert_int_equal(dk("2025-03-22T23:30-05"), 20250323043000LL); /* the day after */
    assert_int_equal(dk("2025-03-22 10:00"), 20250322100000LL);
    assert_int_equal(dk("2025-03-22 10:00 UTC"), 20250322100000LL);
    assert_int_equal(dk("2025-03-22T23:59"), 20250322235900LL);
    assert_int_equal(dk("2025/03/22"), 20250322000000LL);
    assert_int_equal(dk("  1999-12-31  "), 19991231000000LL); /* spaces around */
    assert_int_equal(dk("2024-02-29"), 20240229000000LL); /* a leap day */
    assert_int_equal(dk("Fri, 21 Mar 2025 10:00:00 +0900"), 20250321010000LL); /* RFC 2822 */
    assert_int_equal(dk("21 Mar 2025"), 20250321000000LL);
    assert_int_equal(dk("26-FEB-1987 15:01:01.79"), 19870226150101LL);
    assert_int_equal(dk("26-feb-1987"), 19870226000000LL);
    assert_int_equal(dk("5-MAR-1987 09:05:00.00"), 19870305090500LL); /* one-digit day */
    assert_int_equal(dk("31-DEC-1987"), 19871231000000LL);
    assert_int_equal(dk("3-MAR-1987  09:15:05.40"), 19870303091505LL); /* two spaces */
    assert_int_equal(dk("27-MAR-1987 00:02:59.13&#5;&#5;RM"), 19870327000259LL); /* residue */
    assert_int_equal(dk("2025-03-22 (corrected)"), 20250322000000LL);
    assert_int_equal(dk("\n2025-03-22\r\n"), 20250322000000LL);
    assert_int_equal(dk("Fri, 21 Mar 2025 22:00:00 EST"), 20250322030000LL);
    assert_int_equal(dk("21 Mar 2025 22:00 PDT"), 20250322050000LL);
    assert_int_equal(dk("2025-03-22+09:00"), 20250322000000LL); /* no time: that day */
    /* Sort order follows time. */
    assert_true(dk("26-FEB-1987 15:01:01.79") < dk("1987-02-26T15:01:02"));
    assert_true(dk("2025-03-22") < dk("2025-03-22 00:00:01"));
    /* Not dates: never read as some other date. */
    static const char *const bad[] = {
        "",           "yesterday",   "2025-13-01",  "2025-00-10",  "2025-03-32",
        "2025-03/22", "2025-3-22",   "20250322",    "26-XYZ-1987", "26-FEB-87",
        "-FEB-1987",  "March 3, 2025", "2025-02-30", "2023-02-29", "2025-04-31",
        "2025-03-22T25:00", "2025-03-22T10:61", "2025-03-22T10", "2025-03-22 10:00:1", "2025-03-21 11:30 PM -0500",
        "2025-03-22 Sat 01:00 +0900", "2025-03-22 10:00 CET", "2025-03-22 junk",
        "2025-03-22T10:00+15:00", "2025-03-22T10:00:00.Z", "Fri, 21 Mar 25"};
    for (size_t i = 0; i < UT_ARRAY_LEN(bad); i++) {
        assert_int_equal(dk(bad[i]), INT64_MAX);
    }
    /* The length is respected: a prefix is not a date. */
    assert_int_equal(rpi_date_key("2025-03-22", 7), INT64_MAX);
    /* The future starts after tomorrow. */
    assert_true(rpi_date_limit() > dk("2026-01-01"));
    assert_true(rpi_date_limit() < dk("2999-01-01"));
}

/* ---- JSON escaping ------------------------------------------------------------ */

static void escape_is(const char *s, size_t n, const char *want)
{
    rpi_buf b = {0};
    assert_int_equal(rpi_json_escape(&b, s, n), RP_OK);
    assert_int_equal(b.len, strlen(want));
    assert_string_equal(b.data, want);
    rpi_buf_free(&b);
}

static void test_json_escape(void **state)
{
    (void)state;
    escape_is("", 0, "\"\"");
    escape_is("plain", 5, "\"plain\"");
    escape_is("a\"b\\c/d", 7, "\"a\\\"b\\\\c/d\"");
    escape_is("l1\nl2\ttab\r\b\f", 12, "\"l1\\nl2\\ttab\\r\\b\\f\"");
    escape_is("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
    escape_is("a\0b", 3, "\"a\\u0000b\"");
    escape_is("caf\xc3\xa9 \xe4\xb8\xad", 9, "\"caf\xc3\xa9 \xe4\xb8\xad\""); /* UTF-8 as is */
    escape_is("x\x1b[0m", 5, "\"x\\u001b[0m\"");
    /* Appends to what the buffer holds. */
    rpi_buf b = {0};
    assert_int_equal(rpi_buf_append(&b, "k=", 2), RP_OK);
    assert_int_equal(rpi_json_escape(&b, "v\n", 2), RP_OK);
    assert_string_equal(b.data, "k=\"v\\n\"");
    rpi_buf_free(&b);
}

/* ---- a temporary folder per test, removed even when the test fails ---------------- */


/* ---- inputs ---------------------------------------------------------------------- */

static void test_inputs_folder(void **state)
{
    const char *dir = *state;
    char sub[4096];
    ut_write_in(dir, "b.txt", "bee", NULL, 0);
    ut_write_in(dir, "a.jsonl", "{}\n", NULL, 0);
    ut_write_in(dir, "Z.txt", "zed!", NULL, 0);
    ut_write_in(dir, ".hidden", "no", NULL, 0);
    ut_mkdir_in(dir, ".git");
    ut_mkdir_in(dir, "empty");
    ut_mkdir_in(dir, "sub");
    ut_join(sub, sizeof sub, dir, ".git");
    ut_write_in(sub, "config", "no", NULL, 0);
    ut_join(sub, sizeof sub, dir, "sub");
    ut_write_in(sub, "d.txt", "d", NULL, 0);
    ut_write_in(sub, "c.ndjson.gz", "12345", NULL, 0);
    ut_write_in(sub, ".secret", "no", NULL, 0);

    static const char *const names[] = {"Z.txt", "a.jsonl", "b.txt", "sub/c.ndjson.gz",
                                        "sub/d.txt"};
    static const int jsonl[] = {0, 1, 0, 1, 0};
    static const uint64_t size[] = {4, 3, 3, 5, 1};
    for (int variant = 0; variant < 3; variant++) {
        char arg[4200];
        snprintf(arg, sizeof arg, variant == 1 ? "%s//" : "%s", dir); /* trailing slashes */
        rpi_inputs in = {0};
        char err[512] = "";
        assert_int_equal(rpi_inputs_add(&in, arg, variant == 2, err, sizeof err), RP_OK);
        assert_int_equal(in.n, 5);
        for (size_t i = 0; i < 5; i++) {
            char path[4200];
            ut_join(path, sizeof path, dir, names[i]);
            assert_string_equal(in.v[i].name, names[i]);
            assert_string_equal(in.v[i].path, path);
            assert_int_equal(in.v[i].jsonl, variant == 2 ? 1 : jsonl[i]);
            assert_int_equal(in.v[i].size, size[i]);
        }
        rpi_inputs_free(&in);
        assert_int_equal(in.n, 0);
        rpi_inputs_free(&in);
    }

    /* A single file is named by its path as given. */
    rpi_inputs in = {0};
    char err[512] = "", path[4200];
    ut_join(path, sizeof path, sub, "d.txt");
    assert_int_equal(rpi_inputs_add(&in, path, 0, err, sizeof err), RP_OK);
    assert_int_equal(in.n, 1);
    assert_string_equal(in.v[0].name, path);
    assert_int_equal(in.v[0].jsonl, 0);

    /* An empty folder is an error. */
    ut_join(path, sizeof path, dir, "empty");
    assert_int_equal(rpi_inputs_add(&in, path, 0, err, sizeof err), RP_EIO);
    assert_non_null(strstr(err, "folder holds no files"));
    assert_non_null(strstr(err, path));
    assert_int_equal(in.n, 1);

    /* Standard input at most once. */
    assert_int_equal(rpi_inputs_add(&in, "-", 0, err, sizeof err), RP_OK);
    assert_int_equal(in.n, 2);
    assert_string_equal(in.v[1].name, "-");
    assert_int_equal(in.v[1].jsonl, -1);
    assert_int_equal(rpi_inputs_add(&in, "-", 0, err, sizeof err), RP_EINVAL);
    assert_non_null(strstr(err, "twice"));
    rpi_inputs_free(&in);
}

static void test_inputs_missing_path(void **state)
{
    (void)state;
    rpi_inputs in = {0};
    char err[512] = "";
    const char *p = "/nonexistent-reprint/missing.jsonl";
    assert_int_equal(rpi_inputs_add(&in, p, 0, err, sizeof err), RP_EIO);
    assert_string_equal(err, "/nonexistent-reprint/missing.jsonl: No such file or directory");
    assert_int_equal(in.n, 0);
    rpi_inputs_free(&in);
}

/* ---- reader --------------------------------------------------------------------- */

typedef struct got_rec {
    uint32_t input;
    uint64_t line, offset;
    int bad;
    char msg[160];
    char *data; /* copy of the record's bytes */
    size_t len;
} got_rec;

typedef struct got {
    got_rec *v;
    size_t n;
    int rc;
    char err[512];
} got;

/* Read every record of in (batches of about `target` bytes). */
static void read_all(rpi_inputs *in, size_t max_record, size_t target, got *g)
{
    rpi_reader *r = NULL;
    rpi_batch b = {0};
    memset(g, 0, sizeof *g);
    assert_int_equal(rpi_reader_open(&r, in, max_record, 0), RP_OK);
    uint64_t seq = 0;
    for (;;) {
        g->rc = rpi_reader_next(r, &b, target);
        if (g->rc != RP_OK) {
            snprintf(g->err, sizeof g->err, "%s", rpi_reader_errmsg(r));
            break;
        }
        if (b.n == 0)
            break;
        assert_int_equal(b.first_seq, seq);
        seq += b.n;
        g->v = realloc(g->v, (g->n + b.n) * sizeof *g->v);
        assert_non_null(g->v);
        for (size_t i = 0; i < b.n; i++) {
            got_rec *x = &g->v[g->n++];
            const rpi_record *rec = &b.rec[i];
            x->input = rec->input;
            x->line = rec->line;
            x->offset = rec->offset;
            x->bad = rec->bad;
            snprintf(x->msg, sizeof x->msg, "%s", rec->msg);
            x->len = rec->len;
            x->data = malloc(rec->len + 1);
            assert_non_null(x->data);
            memcpy(x->data, b.data.data + rec->data_off, rec->len);
            x->data[rec->len] = 0;
        }
    }
    rpi_batch_free(&b);
    rpi_reader_close(r);
}

static void got_free(got *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i].data);
    free(g->v);
    memset(g, 0, sizeof *g);
}

static void rec_is(const got_rec *x, uint32_t input, uint64_t line, uint64_t offset,
                   const char *data)
{
    assert_int_equal(x->input, input);
    assert_int_equal(x->line, line);
    assert_int_equal(x->offset, offset);
    assert_int_equal(x->bad, 0);
    assert_int_equal(x->len, strlen(data));
    assert_string_equal(x->data, data);
}

static void write_gz(const char *path, const char *mode, const void *data, size_t n)
{
    gzFile z = gzopen(path, mode);
    assert_non_null(z);
    assert_int_equal(gzwrite(z, data, (unsigned)n), (int)n);
    assert_int_equal(gzclose(z), Z_OK);
}

static const char JSONL[] = "{\"id\":\"a\",\"text\":\"one\"}\r\n" /* line 1 at 0, CRLF */
                            "\r\n" /* line 2 at 25: blank */
                            "\n" /* line 3 at 27: empty */
                            "{\"id\":\"b\",\"text\":\"two\"}\n" /* line 4 at 28 */
                            "   \t\n" /* line 5 at 52: white space only */
                            "{\"id\":\"c\",\"text\":\"three\"}"; /* line 6 at 57, no newline */

static void test_reader_jsonl_plain_gzip(void **state)
{
    const char *dir = *state;
    char p1[4200], p2[4200], p3[4200];
    ut_write_in(dir, "docs.jsonl", JSONL, p1, sizeof p1);
    ut_join(p2, sizeof p2, dir, "more.jsonl.gz");
    /* Two gzip members, read through as one stream. */
    const char *m1 = "{\"id\":\"g1\",\"text\":\"gz one\"}\n";
    const char *m2 = "{\"id\":\"g2\",\"text\":\"gz two\"}\n";
    write_gz(p2, "wb", m1, strlen(m1));
    write_gz(p2, "ab", m2, strlen(m2));
    ut_write_in(dir, "plain.txt", "Plain text\r\nwith two lines\n\n", p3, sizeof p3);

    rpi_inputs in = {0};
    char err[512];
    assert_int_equal(rpi_inputs_add(&in, p1, 0, err, sizeof err), RP_OK);
    assert_int_equal(rpi_inputs_add(&in, p2, 0, err, sizeof err), RP_OK);
    assert_int_equal(rpi_inputs_add(&in, p3, 0, err, sizeof err), RP_OK);
    static const size_t targets[] = {1, 1 << 20};
    for (size_t t = 0; t < UT_ARRAY_LEN(targets); t++) {
        got g;
        read_all(&in, 1 << 20, targets[t], &g);
        assert_int_equal(g.rc, RP_OK);
        assert_int_equal(g.n, 6);
        rec_is(&g.v[0], 0, 1, 0, "{\"id\":\"a\",\"text\":\"one\"}\r"); /* the CR is kept */
        rec_is(&g.v[1], 0, 4, 28, "{\"id\":\"b\",\"text\":\"two\"}");
        rec_is(&g.v[2], 0, 6, 57, "{\"id\":\"c\",\"text\":\"three\"}");
        rec_is(&g.v[3], 1, 1, 0, "{\"id\":\"g1\",\"text\":\"gz one\"}");
        rec_is(&g.v[4], 1, 2, strlen(m1), "{\"id\":\"g2\",\"text\":\"gz two\"}");
        rec_is(&g.v[5], 2, 0, 0, "Plain text\r\nwith two lines\n\n"); /* a whole file */
        got_free(&g);
    }
    rpi_inputs_free(&in);
}

/* A big input: lines cross the 1 MiB buffer boundaries; raw, gzip and zstd agree. */
static void test_reader_big_compressed(void **state)
{
    const char *dir = *state;
    enum { LINES = 4000 };
    char praw[4200], pgz[4200], pzst[4200];
    size_t cap = (size_t)LINES * 600, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    uint64_t st = 1;
    for (int i = 0; i < LINES; i++) {
        n += (size_t)snprintf(text + n, cap - n, "{\"id\":\"d%d\",\"text\":\"", i);
        size_t words = 20 + ut_rand(&st) % 70;
        for (size_t w = 0; w < words; w++)
            n += (size_t)snprintf(text + n, cap - n, "w%llu ",
                                  (unsigned long long)(ut_rand(&st) % 100000));
        n += (size_t)snprintf(text + n, cap - n, "\"}\n");
    }
    assert_true(n > (3u << 20) / 2);
    ut_join(praw, sizeof praw, dir, "big.jsonl");
    ut_write(praw, text, n);
    ut_join(pgz, sizeof pgz, dir, "big.jsonl.gz");
    write_gz(pgz, "wb", text, n);
    ut_join(pzst, sizeof pzst, dir, "big.jsonl.zst");
    size_t zcap = ZSTD_compressBound(n);
    char *z = malloc(zcap);
    assert_non_null(z);
    size_t zn = ZSTD_compress(z, zcap, text, n, 3);
    assert_false(ZSTD_isError(zn));
    ut_write(pzst, z, zn);

    const char *paths[] = {praw, pgz, pzst};
    for (size_t k = 0; k < 3; k++) {
        rpi_inputs in = {0};
        char err[512];
        assert_int_equal(rpi_inputs_add(&in, paths[k], 0, err, sizeof err), RP_OK);
        got g;
        read_all(&in, 1 << 20, 1 << 16, &g);
        assert_int_equal(g.rc, RP_OK);
        assert_int_equal(g.n, LINES);
        size_t off = 0;
        for (size_t i = 0; i < LINES; i++) {
            const char *nl = memchr(text + off, '\n', n - off);
            assert_non_null(nl);
            size_t len = (size_t)(nl - (text + off));
            assert_int_equal(g.v[i].line, i + 1);
            assert_int_equal(g.v[i].offset, off);
            assert_int_equal(g.v[i].len, len);
            assert_memory_equal(g.v[i].data, text + off, len);
            off += len + 1;
        }
        got_free(&g);
        rpi_inputs_free(&in);
    }

    /* Truncated gzip and zstd streams are errors naming the file, not short reads. */
    write_gz(pgz, "wb", text, n);
    struct stat sb;
    assert_int_equal(stat(pgz, &sb), 0);
    assert_int_equal(truncate(pgz, sb.st_size / 2), 0);
    ut_write(pzst, z, zn / 2);
    static const char *const what[] = {"truncated gzip stream", "truncated zstd stream"};
    const char *tpaths[] = {pgz, pzst};
    for (size_t k = 0; k < 2; k++) {
        rpi_inputs in = {0};
        char err[512];
        assert_int_equal(rpi_inputs_add(&in, tpaths[k], 0, err, sizeof err), RP_OK);
        got g;
        read_all(&in, 1 << 20, 1 << 16, &g);
        /* A corrupt stream ends in one bad record standing for the rest of
         * the input (the place, added by the caller, names the file). */
        assert_int_equal(g.rc, RP_OK);
        assert_true(g.n >= 1);
        assert_int_equal(g.v[g.n - 1].bad, 1);
        assert_int_equal(g.v[g.n - 1].line, 0);
        assert_int_equal(g.v[g.n - 1].len, 0);
        assert_non_null(strstr(g.v[g.n - 1].msg, what[k]));
        for (size_t i = 0; i + 1 < g.n; i++)
            assert_int_equal(g.v[i].bad, 0);
        got_free(&g);
        rpi_inputs_free(&in);
    }
    free(z);
    free(text);
}

static void test_reader_size_limit(void **state)
{
    const char *dir = *state;
    char p[4200], q[4200];
    ut_write_in(dir, "x.jsonl",
                "{\"id\":\"a\",\"text\":\"ok\"}\n"
                "{\"id\":\"b\",\"text\":\"this line is far too long\"}\n"
                "{\"id\":\"c\",\"text\":\"ok\"}\n",
                p, sizeof p);
    ut_write_in(dir, "big.txt", "a plain file longer than thirty bytes", q, sizeof q);
    rpi_inputs in = {0};
    char err[512];
    assert_int_equal(rpi_inputs_add(&in, p, 0, err, sizeof err), RP_OK);
    assert_int_equal(rpi_inputs_add(&in, q, 0, err, sizeof err), RP_OK);
    got g;
    read_all(&in, 30, 1 << 20, &g);
    assert_int_equal(g.rc, RP_OK);
    assert_int_equal(g.n, 4);
    rec_is(&g.v[0], 0, 1, 0, "{\"id\":\"a\",\"text\":\"ok\"}");
    assert_int_equal(g.v[1].bad, 1);
    assert_int_equal(g.v[1].line, 2);
    assert_int_equal(g.v[1].offset, 23);
    assert_int_equal(g.v[1].len, 0);
    assert_string_equal(g.v[1].msg, "line longer than the 30-byte limit (--max-bytes)");
    rec_is(&g.v[2], 0, 3, 69, "{\"id\":\"c\",\"text\":\"ok\"}");
    assert_int_equal(g.v[3].bad, 1);
    assert_int_equal(g.v[3].input, 1);
    assert_string_equal(g.v[3].msg, "document larger than the 30-byte limit (--max-bytes)");
    got_free(&g);
    rpi_inputs_free(&in);
}

/* ---- records to documents -------------------------------------------------------- */

static char NAME_JSONL[] = "docs.jsonl", PATH_JSONL[] = "/x/docs.jsonl";
static char NAME_PLAIN[] = "notes/plain.txt", PATH_PLAIN[] = "/x/notes/plain.txt";
static char NAME_STDIN[] = "-", PATH_STDIN[] = "-";

static rpi_input g_inputs[3];
static rpi_inputs g_in;

static void init_inputs(void)
{
    g_inputs[0] = (rpi_input){.path = PATH_JSONL, .name = NAME_JSONL, .jsonl = 1, .seekable = 1};
    g_inputs[1] = (rpi_input){.path = PATH_PLAIN, .name = NAME_PLAIN, .jsonl = 0, .seekable = 1};
    g_inputs[2] = (rpi_input){.path = PATH_STDIN, .name = NAME_STDIN, .jsonl = 1, .seekable = 0};
    g_in = (rpi_inputs){.v = g_inputs, .n = 3, .cap = 3, .stdin_used = 1};
}

/* Parse data as line 7 of docs.jsonl with the given field names. */
static int parse_as(const char *data, const char *idf, const char *textf, rpi_doc_fields *f,
                    char *msg, size_t cap)
{
    init_inputs();
    rpi_record rec = {0};
    rec.input = 0;
    rec.line = 7;
    rec.len = strlen(data);
    msg[0] = 0;
    return rpi_record_parse(&g_in, &rec, data, idf, textf, f, msg, cap);
}

static void parse_ok(const char *data, const char *id, const char *text, const char *date)
{
    rpi_doc_fields f = {0};
    char msg[200];
    assert_int_equal(parse_as(data, "id", "text", &f, msg, sizeof msg), RP_OK);
    assert_int_equal(f.id_len, strlen(id));
    assert_memory_equal(f.id, id, f.id_len);
    assert_int_equal(f.text_len, strlen(text));
    assert_memory_equal(f.text, text, f.text_len);
    if (date) {
        assert_non_null(f.date);
        assert_int_equal(f.date_len, strlen(date));
        assert_memory_equal(f.date, date, f.date_len);
    } else {
        assert_null(f.date);
    }
    rpi_doc_fields_free(&f);
}

static void parse_bad(const char *data, const char *want_msg, int exact)
{
    rpi_doc_fields f = {0};
    char msg[200];
    assert_int_equal(parse_as(data, "id", "text", &f, msg, sizeof msg), RP_EBADINPUT);
    if (exact)
        assert_string_equal(msg, want_msg);
    else
        assert_non_null(strstr(msg, want_msg));
    rpi_doc_fields_free(&f);
}

static void test_record_parse(void **state)
{
    (void)state;
    parse_ok("{\"id\":\"x\",\"text\":\"hello\",\"date\":\"2025-03-22\"}", "x", "hello",
             "2025-03-22");
    parse_ok("{\"text\":\"t\",\"id\":42}", "42", "t", NULL); /* integer id */
    parse_ok("{\"id\":-7,\"text\":\"\"}", "-7", "", NULL);
    parse_ok(" { \"id\" : \"s p\" , \"text\" : \"a\" , \"n\":[1,{\"x\":null}] } ", "s p", "a",
             NULL);
    parse_ok("{\"id\":\"a\\\"b\",\"text\":\"line\\nbreak \\u00e9\\ud83d\\ude00\"}", "a\"b",
             "line\nbreak \xc3\xa9\xf0\x9f\x98\x80", NULL);
    parse_ok("{\"id\":\"x\",\"text\":\"t\",\"date\":5}", "x", "t", NULL); /* non-string date */
    /* One f for several records (as a worker parses them): its buffer is
     * emptied and reused, each record's strings whole. */
    {
        rpi_doc_fields r = {0};
        char m[200];
        const char *recs[] = {"{\"id\":\"a\\tb\",\"text\":\"one\\ntwo\\nthree \\u00e9\"}",
                              "{\"id\":\"c\",\"text\":\"x\\\\y\",\"title\":\"T\\/U\"}",
                              "{\"id\":\"d\",\"text\":\"plain\"}"};
        const char *want_text[] = {"one\ntwo\nthree \xc3\xa9", "x\\y", "plain"};
        const char *want_id[] = {"a\tb", "c", "d"};
        for (int k = 0; k < 3; k++) {
            assert_int_equal(parse_as(recs[k], "id", "text", &r, m, sizeof m), RP_OK);
            assert_int_equal(r.text_len, strlen(want_text[k]));
            assert_memory_equal(r.text, want_text[k], r.text_len);
            assert_int_equal(r.id_len, strlen(want_id[k]));
            assert_memory_equal(r.id, want_id[k], r.id_len);
        }
        assert_null(r.meta[3]); /* the title of the record before is gone */
        rpi_doc_fields_free(&r);
    }

    parse_bad("{\"id\":\"x\"}", "no \"text\" field", 1);
    parse_bad("{\"id\":\"x\",\"text\":5}", "field \"text\" is an integer, not a string", 1);
    parse_bad("{\"id\":\"x\",\"text\":null}", "field \"text\" is null, not a string", 1);
    parse_bad("{\"id\":\"x\",\"text\":[\"a\"]}", "field \"text\" is an array, not a string", 1);
    parse_bad("{\"text\":\"t\"}", "no \"id\" field", 1);
    parse_bad("{\"id\":true,\"text\":\"t\"}",
              "field \"id\" is a boolean, not a string or integer", 1);
    parse_bad("{\"id\":1.5,\"text\":\"t\"}", "field \"id\" is a number, not a string or integer",
              1);
    parse_bad("{\"id\":\"\",\"text\":\"t\"}", "field \"id\" is empty", 1);
    parse_bad("[1,2]", "JSON line is an array, not an object", 1);
    parse_bad("\"just a string\"", "JSON line is a string, not an object", 1);
    parse_bad("{\"id\":", "invalid JSON", 0);
    parse_bad("{\"id\":\"x\",\"text\":\"t\"} trailing", "invalid JSON", 0);
    parse_bad("{\"id\":\"x\",\"text\":\"t\",}", "invalid JSON", 0);
    parse_bad("{'id':'x'}", "invalid JSON", 0);
    parse_bad("", "invalid JSON", 0);

    /* Other field names. */
    rpi_doc_fields f = {0};
    char msg[200];
    assert_int_equal(parse_as("{\"doc\":\"d1\",\"body\":\"b\",\"id\":1}", "doc", "body", &f, msg,
                              sizeof msg),
                     RP_OK);
    assert_int_equal(f.id_len, 2);
    assert_memory_equal(f.id, "d1", 2);
    assert_memory_equal(f.text, "b", 1);
    rpi_doc_fields_free(&f);
    assert_int_equal(parse_as("{\"id\":\"d1\",\"text\":\"b\"}", "doc", "body", &f, msg,
                              sizeof msg),
                     RP_EBADINPUT);
    assert_string_equal(msg, "no \"body\" field");
    rpi_doc_fields_free(&f);

    /* A plain file: named by its input, the whole record is the text. */
    rpi_record rec = {0};
    rec.input = 1;
    rec.len = 5;
    assert_int_equal(rpi_record_parse(&g_in, &rec, "hello world", "id", "text", &f, msg,
                                      sizeof msg),
                     RP_OK);
    assert_string_equal(f.id, "notes/plain.txt");
    assert_int_equal(f.text_len, 5);
    assert_memory_equal(f.text, "hello", 5);
    rpi_doc_fields_free(&f);
}

/* Out of memory while decoding escaped names or values is RP_ENOMEM, never a bad document. */
static void test_record_parse_out_of_memory(void **state)
{
    (void)state;
    const char *data = "{\"te\\u0078t\":\"a\\nb\",\"i\\u0064\":\"x\\ty\",\"date\":\"2\\/3\"}";
    int failures = 0;
    for (long n = 1; n < 100; n++) {
        rpi_doc_fields f = {0};
        char msg[200];
        rpi_fail_alloc_after(n);
        int rc = parse_as(data, "id", "text", &f, msg, sizeof msg);
        rpi_fail_alloc_after(0);
        if (rc == RP_OK) {
            assert_int_equal(f.id_len, 3);
            assert_memory_equal(f.id, "x\ty", 3);
            assert_int_equal(f.text_len, 3);
            assert_memory_equal(f.text, "a\nb", 3);
            assert_int_equal(f.date_len, 3);
            assert_memory_equal(f.date, "2/3", 3);
            rpi_doc_fields_free(&f);
            break;
        }
        assert_int_equal(rc, RP_ENOMEM);
        rpi_doc_fields_free(&f);
        failures++;
    }
    assert_true(failures >= 1);
}

static void test_record_place(void **state)
{
    (void)state;
    init_inputs();
    rpi_record rec = {0};
    char buf[100];
    rec.line = 3;
    rpi_record_place(&g_in, &rec, buf, sizeof buf);
    assert_string_equal(buf, "/x/docs.jsonl:3");
    rec.input = 1;
    rec.line = 0;
    rpi_record_place(&g_in, &rec, buf, sizeof buf);
    assert_string_equal(buf, "/x/notes/plain.txt");
    rec.input = 2;
    rec.line = 12;
    rpi_record_place(&g_in, &rec, buf, sizeof buf);
    assert_string_equal(buf, "<stdin>:12");
}

#define IN_DIR(t) cmocka_unit_test_setup_teardown(t, ut_dir_setup, ut_dir_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_key),
        cmocka_unit_test(test_json_escape),
        IN_DIR(test_inputs_folder),
        cmocka_unit_test(test_inputs_missing_path),
        IN_DIR(test_reader_jsonl_plain_gzip),
        IN_DIR(test_reader_big_compressed),
        IN_DIR(test_reader_size_limit),
        cmocka_unit_test(test_record_parse),
        cmocka_unit_test(test_record_parse_out_of_memory),
        cmocka_unit_test(test_record_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
