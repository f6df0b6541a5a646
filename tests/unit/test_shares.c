/* SPDX-License-Identifier: MIT */
/*
 * test_shares.c -- unit tests of a reader reading one share of the inputs
 * (src/io/reader.c, for the ranks of a distributed run): skipped inputs, and
 * byte ranges of a JSONL file cut at every byte, whose records put together
 * must be exactly those of a whole read (bytes, input, line, offset, bad
 * records and their messages); and the helpers a run divides its inputs
 * with, rpi_count_newlines and rpi_file_compressed.
 */
#include "unit.h"

#include <errno.h>
#include <zlib.h>
#include <zstd.h>

#include "io.h"

enum { MAX_RECORD = 200 }; /* lines longer than this are bad records */

typedef struct srec {
    uint32_t input;
    uint64_t line, offset;
    int bad, io;
    char msg[160];
    char *data; /* copy of the record's bytes */
    size_t len;
    int parse_rc; /* rpi_record_parse of a record the reader accepted */
    char parse_msg[256];
} srec;

typedef struct srecs {
    srec *v;
    size_t n;
} srecs;

/* Append every record a reader over in gives (batches of about target bytes). */
static void read_into(rpi_inputs *in, size_t target, srecs *g)
{
    rpi_reader *r = NULL;
    rpi_batch b = {0};
    assert_int_equal(rpi_reader_open(&r, in, MAX_RECORD, 0), RP_OK);
    uint64_t seq = 0;
    for (;;) {
        assert_int_equal(rpi_reader_next(r, &b, target), RP_OK);
        if (b.n == 0)
            break;
        assert_int_equal(b.first_seq, seq); /* numbered by this reader */
        seq += b.n;
        g->v = realloc(g->v, (g->n + b.n) * sizeof *g->v);
        assert_non_null(g->v);
        for (size_t i = 0; i < b.n; i++) {
            const rpi_record *rec = &b.rec[i];
            srec *x = &g->v[g->n++];
            memset(x, 0, sizeof *x);
            x->input = rec->input;
            x->line = rec->line;
            x->offset = rec->offset;
            x->bad = rec->bad;
            x->io = rec->io;
            snprintf(x->msg, sizeof x->msg, "%s", rec->msg);
            x->len = rec->len;
            x->data = malloc(rec->len + 1);
            assert_non_null(x->data);
            if (rec->len) /* a bad record may have no bytes, and the batch none at all */
                memcpy(x->data, b.data.data + rec->data_off, rec->len);
            x->data[rec->len] = 0;
            if (!rec->bad) {
                rpi_doc_fields f = {0};
                x->parse_rc = rpi_record_parse(in, rec, b.data.data + rec->data_off, "id",
                                               "text", &f, x->parse_msg, sizeof x->parse_msg);
                rpi_doc_fields_free(&f);
            }
        }
    }
    /* Progress ends at the total: a share counts its range, however far it read. */
    assert_int_equal(rpi_reader_consumed(r), rpi_reader_total(r));
    rpi_batch_free(&b);
    rpi_reader_close(r);
}

static void srecs_free(srecs *g)
{
    for (size_t i = 0; i < g->n; i++)
        free(g->v[i].data);
    free(g->v);
    memset(g, 0, sizeof *g);
}

/* want and got hold the same records; else fail naming the cut (ctx). */
static void same(const srecs *want, const srecs *got, const char *ctx)
{
    size_t i = 0;
    for (; i < want->n && i < got->n; i++) {
        const srec *a = &want->v[i], *b = &got->v[i];
        if (a->input != b->input || a->line != b->line || a->offset != b->offset ||
            a->bad != b->bad || a->io != b->io || strcmp(a->msg, b->msg) != 0 ||
            a->len != b->len || memcmp(a->data, b->data, a->len) != 0 ||
            a->parse_rc != b->parse_rc || strcmp(a->parse_msg, b->parse_msg) != 0)
            break;
    }
    if (i == want->n && i == got->n)
        return;
    print_error("%s: record %zu of %zu (got %zu) differs\n", ctx, i, want->n, got->n);
    if (i < want->n)
        print_error("  want input %u line %llu offset %llu len %zu bad %d \"%s\"\n",
                    want->v[i].input, (unsigned long long)want->v[i].line,
                    (unsigned long long)want->v[i].offset, want->v[i].len, want->v[i].bad,
                    want->v[i].msg);
    if (i < got->n)
        print_error("  got  input %u line %llu offset %llu len %zu bad %d \"%s\"\n",
                    got->v[i].input, (unsigned long long)got->v[i].line,
                    (unsigned long long)got->v[i].offset, got->v[i].len, got->v[i].bad,
                    got->v[i].msg);
    fail();
}

/* Make in's input 0 the share [start, end) of its file, as a run would. */
static void set_share(rpi_inputs *in, uint64_t start, uint64_t end)
{
    rpi_input *x = &in->v[0];
    x->skip = end == 0; /* [0, 0): nothing to read (range_end 0 would mean all) */
    x->range_start = start;
    x->range_end = end;
    x->line_base = 0;
    if (end > 0) {
        char err[512];
        assert_int_equal(rpi_count_newlines(x->path, 0, start, &x->line_base, err, sizeof err),
                         RP_OK);
    }
}

/* Read the file at path cut at the points cut[0..ncut) (ascending, within [0, size]). */
static void read_cut(const char *path, const uint64_t *cut, size_t ncut, size_t target,
                     srecs *g)
{
    rpi_inputs in = {0};
    char err[512];
    assert_int_equal(rpi_inputs_add(&in, path, 1, err, sizeof err), RP_OK);
    uint64_t size = in.v[0].size, from = 0;
    for (size_t i = 0; i <= ncut; i++) {
        uint64_t to = i < ncut ? cut[i] : size;
        set_share(&in, from, to);
        read_into(&in, target, g);
        from = to;
    }
    rpi_inputs_free(&in);
}

/* Every cut in two, and a sample of cuts in three, give the whole read's records. */
static void check_cuts(const char *dir, const char *name, const char *text, size_t size,
                       size_t min_records)
{
    char path[4200], ctx[300];
    ut_join(path, sizeof path, dir, name);
    ut_write(path, text, size);
    srecs whole = {0};
    rpi_inputs in = {0};
    assert_int_equal(rpi_inputs_add(&in, path, 1, ctx, sizeof ctx), RP_OK);
    read_into(&in, 1 << 20, &whole);
    rpi_inputs_free(&in);
    assert_true(whole.n >= min_records);
    /* One share of the whole file is the whole read too. */
    srecs g = {0};
    read_cut(path, NULL, 0, 1 << 20, &g);
    snprintf(ctx, sizeof ctx, "%s [0,%zu)", name, size);
    same(&whole, &g, ctx);
    srecs_free(&g);
    for (uint64_t p = 0; p <= size; p++) {
        read_cut(path, &p, 1, p % 2 ? 1 : 1 << 20, &g); /* batches of one record, or all */
        snprintf(ctx, sizeof ctx, "%s cut at %llu", name, (unsigned long long)p);
        same(&whole, &g, ctx);
        srecs_free(&g);
    }
    uint64_t st = 7;
    for (int k = 0; k < 600; k++) {
        uint64_t cut[2] = {ut_rand(&st) % (size + 1), ut_rand(&st) % (size + 1)};
        if (k % 8 == 0) { /* two cuts close together */
            uint64_t d = ut_rand(&st) % 4;
            cut[1] = cut[0] + d > size ? size : cut[0] + d;
        }
        if (cut[0] > cut[1]) {
            uint64_t t = cut[0];
            cut[0] = cut[1];
            cut[1] = t;
        }
        read_cut(path, cut, 2, 1 << 20, &g);
        snprintf(ctx, sizeof ctx, "%s cut at %llu and %llu", name,
                 (unsigned long long)cut[0], (unsigned long long)cut[1]);
        same(&whole, &g, ctx);
        srecs_free(&g);
    }
    srecs_free(&whole);
}

/* A JSONL text with all kinds of lines; the buffer is the caller's to free. */
static char *varied_jsonl(size_t *size)
{
    size_t cap = 8192, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
#define ADD(str) (n += (size_t)snprintf(s + n, cap - n, "%s", (str)))
    ADD("{\"id\":\"a\",\"text\":\"short one\"}\n");
    ADD("{\"id\":\"b\",\"text\":\"");
    for (int i = 0; i < 30; i++) /* long, within the limit */
        ADD("word ");
    ADD("\"}\n");
    ADD("\n"); /* empty */
    ADD("{\"id\":\"c\",\"text\":\"carriage return\"}\r\n"); /* CRLF */
    ADD("   \t\r\n"); /* white space only */
    ADD("{\"id\":\"d\",\"text\":}\n"); /* bad JSON */
    ADD("{\"id\":\"e\",\"text\":\""); /* longer than the limit: a bad record */
    for (int i = 0; i < 60; i++)
        ADD("long ");
    ADD("\"}\n");
    ADD("\n\n");
    ADD("\x1f\x8b not gzip, inside a file\n"); /* magic numbers at line starts */
    ADD("\x28\xb5\x2f\xfd not zstd either\n");
    ADD("{\"id\":\"f\",\"text\":\"x\"}\n");
    ADD("{\"text\":\"no id\"}\n");
    ADD("x\n"); /* one-byte lines */
    ADD("y\n");
    ADD("{\"id\":\"g\",\"text\":\"last, no newline\"}");
#undef ADD
    assert_true(n < cap);
    *size = n;
    return s;
}

static void test_shares_every_cut(void **state)
{
    size_t size;
    char *text = varied_jsonl(&size);
    check_cuts(*state, "varied.jsonl", text, size, 12);
    free(text);
}

/* A file of a few MiB: lines and cuts across the reader's 1 MiB buffers, and
 * a partial line to skip longer than a buffer. */
static void test_shares_big(void **state)
{
    const char *dir = *state;
    size_t cap = 5u << 19, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    uint64_t st = 3;
    while (n < cap - 1000) {
        if (n > (1u << 20) && n < (3u << 19)) { /* a line of 1.2 MiB: a bad record */
            memset(text + n, 'z', (6u << 20) / 5);
            n += (6u << 20) / 5;
            text[n++] = '\n';
            continue;
        }
        n += (size_t)snprintf(text + n, cap - n, "{\"id\":\"%zu\",\"text\":\"%.*s\"}\n", n,
                              (int)(ut_rand(&st) % 150), "");
        if (ut_rand(&st) % 50 == 0)
            text[n++] = '\n';
    }
    char path[4200];
    ut_join(path, sizeof path, dir, "big.jsonl");
    ut_write(path, text, n);
    srecs whole = {0}, g = {0};
    rpi_inputs in = {0};
    char err[512];
    assert_int_equal(rpi_inputs_add(&in, path, 1, err, sizeof err), RP_OK);
    read_into(&in, 1 << 16, &whole);
    rpi_inputs_free(&in);
    assert_true(whole.n > 10000);
    const uint64_t mib = 1u << 20;
    uint64_t cuts[][3] = {
        {1, mib, mib + 1},        {mib - 1, mib + 17, 2 * mib},
        {mib + 5000, mib + 300000, 2 * mib + 300000}, /* inside the long line */
        {n / 4, n / 2, 3 * (uint64_t)n / 4},          {5, 6, n - 1},
    };
    for (size_t i = 0; i < UT_ARRAY_LEN(cuts); i++) {
        read_cut(path, cuts[i], 3, 1 << 16, &g);
        char ctx[200];
        snprintf(ctx, sizeof ctx, "big.jsonl cut %zu", i);
        same(&whole, &g, ctx);
        srecs_free(&g);
    }
    srecs_free(&whole);
    free(text);
}

/* A byte order mark (skipped by a whole read: line 1 starts at 0, its record at 3). */
static void test_shares_byte_order_mark(void **state)
{
    static const char text[] = "\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"bom\"}\n"
                               "{\"id\":\"b\",\"text\":\"two\"}\n";
    check_cuts(*state, "bom.jsonl", text, sizeof text - 1, 2);
}

/*
 * Files without a document: the whole read gives one bad record, "empty
 * file"; the share reaching the end of the file gives it once, and only when
 * no other share holds a record (a blank line over the limit is one).
 */
static void test_shares_empty_file(void **state)
{
    static const char *const texts[] = {
        "\n  \n\t\r\n",
        "\n \n   ",
        "\xEF\xBB\xBF\n\n",
        "\xEF\xBB\xBF",
        " ",
    };
    char name[32];
    for (size_t i = 0; i < UT_ARRAY_LEN(texts); i++) {
        snprintf(name, sizeof name, "empty%zu.jsonl", i);
        check_cuts(*state, name, texts[i], strlen(texts[i]), 1);
    }
    /* White space only, but one line of it is over the limit: a bad record,
     * so the file is not empty. */
    size_t cap = 4 * MAX_RECORD, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    s[n++] = '\n';
    memset(s + n, ' ', MAX_RECORD + 5);
    n += MAX_RECORD + 5;
    s[n++] = '\n';
    memcpy(s + n, " \t\n\n ", 5);
    n += 5;
    check_cuts(*state, "longblank.jsonl", s, n, 1);
    free(s);
}

/* A skipped input gives nothing; the others keep their own input numbers. */
static void test_shares_skip(void **state)
{
    const char *dir = *state;
    char p[3][4200], err[512];
    ut_write_in(dir, "a.jsonl", "{\"id\":\"a1\",\"text\":\"x\"}\n{\"id\":\"a2\",\"text\":\"y\"}\n",
                p[0], sizeof p[0]);
    ut_write_in(dir, "b.jsonl", "{\"id\":\"b1\",\"text\":\"z\"}\n", p[1], sizeof p[1]);
    ut_write_in(dir, "c.txt", "a plain document", p[2], sizeof p[2]);
    rpi_inputs in = {0};
    for (int i = 0; i < 3; i++)
        assert_int_equal(rpi_inputs_add(&in, p[i], 0, err, sizeof err), RP_OK);
    srecs whole = {0}, part = {0}, want = {0};
    read_into(&in, 1 << 20, &whole);
    assert_int_equal(whole.n, 4);
    in.v[1].skip = 1;
    rpi_reader *r;
    assert_int_equal(rpi_reader_open(&r, &in, MAX_RECORD, 0), RP_OK);
    assert_int_equal(rpi_reader_total(r), in.v[0].size + in.v[2].size);
    rpi_reader_close(r);
    read_into(&in, 1, &part);
    want.v = malloc(whole.n * sizeof *want.v);
    assert_non_null(want.v);
    for (size_t i = 0; i < whole.n; i++)
        if (whole.v[i].input != 1)
            want.v[want.n++] = whole.v[i];
    assert_int_equal(want.n, 3);
    same(&want, &part, "b.jsonl skipped");
    assert_int_equal(part.v[2].input, 2);
    /* Every input skipped: nothing, and a total of 0. */
    in.v[0].skip = in.v[2].skip = 1;
    srecs none = {0};
    read_into(&in, 1 << 20, &none);
    assert_int_equal(none.n, 0);
    free(want.v); /* its records' bytes belong to whole */
    srecs_free(&whole);
    srecs_free(&part);
    rpi_inputs_free(&in);
}

static void test_count_newlines_compressed(void **state)
{
    const char *dir = *state;
    char plain[4200], gz[4200], zst[4200], empty[4200], one[4200], missing[4200], err[512];
    const char *text = "one\ntwo\n\nthree\r\nfour";
    ut_write_in(dir, "plain.jsonl", text, plain, sizeof plain);
    ut_join(gz, sizeof gz, dir, "plain.jsonl.gz");
    gzFile z = gzopen(gz, "wb");
    assert_non_null(z);
    assert_int_equal(gzwrite(z, text, (unsigned)strlen(text)), (int)strlen(text));
    assert_int_equal(gzclose(z), Z_OK);
    ut_join(zst, sizeof zst, dir, "plain.jsonl.zst");
    char zbuf[256];
    size_t zn = ZSTD_compress(zbuf, sizeof zbuf, text, strlen(text), 3);
    assert_false(ZSTD_isError(zn));
    ut_write(zst, zbuf, zn);
    ut_write_in(dir, "empty.jsonl", "", empty, sizeof empty);
    ut_write_in(dir, "one.jsonl", "\x1f", one, sizeof one); /* half a magic number */
    ut_join(missing, sizeof missing, dir, "missing.jsonl");

    /* Every range of the plain file against a count by hand. */
    size_t size = strlen(text);
    for (size_t a = 0; a <= size; a++)
        for (size_t b = a; b <= size; b++) {
            uint64_t n = 99, want = 0;
            for (size_t i = a; i < b; i++)
                want += text[i] == '\n';
            assert_int_equal(rpi_count_newlines(plain, a, b, &n, err, sizeof err), RP_OK);
            assert_int_equal(n, want);
        }
    uint64_t n = 99;
    assert_int_equal(rpi_count_newlines(empty, 0, 0, &n, err, sizeof err), RP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rpi_count_newlines(missing, 0, 10, &n, err, sizeof err), RP_EIO);
    char want[4400];
    snprintf(want, sizeof want, "%s: No such file or directory", missing);
    assert_string_equal(err, want);
    assert_int_equal(rpi_count_newlines(plain, 0, size + 1, &n, err, sizeof err), RP_EIO);
    snprintf(want, sizeof want, "%s: the file ends at byte %zu, before byte %zu", plain, size,
             size + 1);
    assert_string_equal(err, want);

    int c = -1;
    assert_int_equal(rpi_file_compressed(plain, &c), RP_OK);
    assert_int_equal(c, 0);
    assert_int_equal(rpi_file_compressed(gz, &c), RP_OK);
    assert_int_equal(c, 1);
    assert_int_equal(rpi_file_compressed(zst, &c), RP_OK);
    assert_int_equal(c, 1);
    assert_int_equal(rpi_file_compressed(empty, &c), RP_OK);
    assert_int_equal(c, 0);
    assert_int_equal(rpi_file_compressed(one, &c), RP_OK);
    assert_int_equal(c, 0);
    errno = 0;
    assert_int_equal(rpi_file_compressed(missing, &c), RP_EIO);
    assert_int_equal(errno, ENOENT);
    assert_string_equal(strerror(errno), "No such file or directory");
}

#define IN_DIR(t) cmocka_unit_test_setup_teardown(t, ut_dir_setup, ut_dir_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        IN_DIR(test_shares_every_cut),
        IN_DIR(test_shares_big),
        IN_DIR(test_shares_byte_order_mark),
        IN_DIR(test_shares_empty_file),
        IN_DIR(test_shares_skip),
        IN_DIR(test_count_newlines_compressed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
