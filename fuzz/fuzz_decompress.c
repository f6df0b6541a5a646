/* SPDX-License-Identifier: MIT */
/*
 * fuzz_decompress.c -- libFuzzer target for the input reader (src/io/reader.c):
 * decompression (gzip and zstd, recognised by content) and record cutting.
 *
 * The input is written to a file and read to the end four times through
 * rpi_reader: as one plain document and as JSONL, each with a 1 MiB record
 * limit and with a tiny one. Invariants checked:
 *   - every call returns RP_OK, RP_EBADINPUT or RP_EIO, with a message on
 *     failure, and all four readings end with the same status; a file that
 *     does not start with a gzip or zstd magic number always reads cleanly;
 *   - every record lies inside its batch's bytes, records come in input
 *     order, a rejected record has no bytes and a reason, none is longer
 *     than the limit;
 *   - plain: exactly one record, at offset 0, holding the whole decompressed
 *     stream (the file itself when it is not compressed);
 *   - JSONL: the records are exactly the non-blank lines of that stream
 *     (blank: only spaces, tabs and CRs), with their 1-based line numbers and
 *     byte offsets; a line over the limit is a rejected record (or skipped,
 *     when it is also blank); with no such record at all, the input is one
 *     rejected record at line 0 (an empty JSONL file is bad input).
 */
#include <string.h>

#include "fuzz_helpers.h"
#include "io.h"

enum { BIG = 1 << 20, TINY = 8 };

/* Everything one reading produced. */
typedef struct reading {
    int rc; /* final status */
    rpi_record *rec; /* all records, data_off rebased into data */
    size_t n, cap; /* count, capacity */
    rpi_buf data; /* bytes of all records */
} reading;

static int compressed(const uint8_t *d, size_t n)
{
    return (n >= 2 && d[0] == 0x1f && d[1] == 0x8b) ||
           (n >= 4 && d[0] == 0x28 && d[1] == 0xb5 && d[2] == 0x2f && d[3] == 0xfd);
}

static void read_all(const char *path, int jsonl, size_t max, size_t target, reading *out)
{
    rpi_inputs in;
    memset(&in, 0, sizeof in);
    memset(out, 0, sizeof *out);
    char err[512];
    FUZZ_ASSERT(rpi_inputs_add(&in, path, jsonl, err, sizeof err) == RP_OK);
    FUZZ_ASSERT(in.n == 1 && in.v[0].jsonl == jsonl);
    rpi_reader *r = NULL;
    FUZZ_ASSERT(rpi_reader_open(&r, &in, max, 0) == RP_OK);
    rpi_batch b;
    memset(&b, 0, sizeof b);
    uint64_t seq = 0, last_off = 0;
    for (;;) {
        int rc = rpi_reader_next(r, &b, target);
        FUZZ_ASSERT(rc == RP_OK || rc == RP_EBADINPUT || rc == RP_EIO);
        if (rc != RP_OK) {
            FUZZ_ASSERT_MSG(rpi_reader_errmsg(r)[0] != 0, "error without a message");
            out->rc = rc;
            break;
        }
        if (b.n == 0)
            break;
        FUZZ_ASSERT_MSG(b.first_seq == seq, "batches are not numbered consecutively");
        seq += b.n;
        for (size_t i = 0; i < b.n; i++) {
            const rpi_record *rec = &b.rec[i];
            FUZZ_ASSERT(rec->input == 0);
            FUZZ_ASSERT_MSG(rec->data_off <= b.data.len && rec->len <= b.data.len - rec->data_off,
                            "record outside its batch");
            FUZZ_ASSERT_MSG(rec->len <= max, "record over the limit");
            FUZZ_ASSERT_MSG(!rec->bad || (rec->len == 0 && rec->msg[0] != 0),
                            "rejected record with bytes or without a reason");
            FUZZ_ASSERT_MSG(out->n == 0 || rec->offset > last_off, "records out of order");
            last_off = rec->offset;
            FUZZ_ASSERT(rpi_grow((void **)&out->rec, &out->cap, out->n + 1, sizeof *out->rec) ==
                        RP_OK);
            rpi_record *copy = &out->rec[out->n++];
            *copy = *rec;
            copy->data_off = out->data.len;
            if (rec->len) /* b.data.data may be NULL when no record has bytes */
                FUZZ_ASSERT(rpi_buf_append(&out->data, b.data.data + rec->data_off,
                                           rec->len) == RP_OK);
        }
    }
    rpi_batch_free(&b);
    rpi_reader_close(r);
    rpi_inputs_free(&in);
}

static void reading_free(reading *g)
{
    rpi_free(g->rec);
    rpi_buf_free(&g->data);
}

static int blank(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

/* A plain reading is one record holding all of d[0..n) (or rejected when over max). */
static void check_plain(const reading *g, const uint8_t *d, size_t n, size_t max)
{
    FUZZ_ASSERT_MSG(g->n == 1, "a plain file is not exactly one record");
    const rpi_record *rec = &g->rec[0];
    FUZZ_ASSERT(rec->line == 0 && rec->offset == 0);
    FUZZ_ASSERT_MSG(rec->bad == (n > max), "plain record over the limit not rejected");
    if (!rec->bad)
        FUZZ_ASSERT_MSG(rec->len == n && (n == 0 || memcmp(g->data.data, d, n) == 0),
                        "plain record differs from the stream");
}

/* A JSONL reading holds the non-blank lines of d[0..n) in order (after a
 * UTF-8 byte order mark at the very start, which the reader skips). */
static void check_lines(const reading *g, const uint8_t *d, size_t n, size_t max)
{
    size_t k = 0; /* next record */
    uint64_t line = 0;
    size_t off = n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (off < n) {
        const uint8_t *nl = memchr(d + off, '\n', n - off);
        size_t len = nl ? (size_t)(nl - (d + off)) : n - off;
        line++;
        int is_blank = blank(d + off, len);
        int have = k < g->n && g->rec[k].line == line;
        if (len > max && is_blank) {
            if (have) /* either way is right for a long blank line */
                FUZZ_ASSERT(g->rec[k].bad && g->rec[k].offset == off);
            k += (size_t)have;
        } else if (!is_blank) {
            FUZZ_ASSERT_MSG(have, "a non-blank line has no record");
            const rpi_record *rec = &g->rec[k++];
            FUZZ_ASSERT_MSG(rec->offset == off, "record offset is not the line's offset");
            FUZZ_ASSERT_MSG(rec->bad == (len > max), "line over the limit not rejected");
            if (!rec->bad)
                FUZZ_ASSERT_MSG(rec->len == len &&
                                    memcmp(g->data.data + rec->data_off, d + off, len) == 0,
                                "record differs from its line");
        } else {
            FUZZ_ASSERT_MSG(!have, "a blank line became a record");
        }
        off += len + (nl != NULL);
    }
    if (k == 0) /* no line made a record: the input is one rejected "empty file" record */
        FUZZ_ASSERT_MSG(g->n == 1 && g->rec[0].bad && g->rec[0].line == 0,
                        "an input without a JSON line is not one rejected record");
    else
        FUZZ_ASSERT_MSG(k == g->n, "records left over after the last line");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_temp t;
    fuzz_temp_write(&t, "input", data, size);

    reading plain, plain_tiny, lines, lines_tiny;
    read_all(t.path, 0, BIG, (size_t)1 << 20, &plain);
    read_all(t.path, 0, TINY, 1, &plain_tiny);
    read_all(t.path, 1, BIG, (size_t)1 << 20, &lines);
    read_all(t.path, 1, TINY, 1, &lines_tiny);
    fuzz_temp_remove(&t);

    if (!compressed(data, size))
        FUZZ_ASSERT_MSG(plain.rc == RP_OK, "an uncompressed file failed to read");
    FUZZ_ASSERT_MSG(plain_tiny.rc == plain.rc && lines.rc == plain.rc && lines_tiny.rc == plain.rc,
                    "readings of one file end differently");

    if (plain.rc == RP_OK && plain.n == 1 && !plain.rec[0].bad) {
        const uint8_t *d = (const uint8_t *)plain.data.data;
        size_t n = plain.rec[0].len;
        if (!compressed(data, size))
            FUZZ_ASSERT_MSG(n == size && (n == 0 || memcmp(d, data, n) == 0),
                            "uncompressed file read back differently");
        check_plain(&plain, d, n, BIG);
        check_plain(&plain_tiny, d, n, TINY);
        check_lines(&lines, d, n, BIG);
        check_lines(&lines_tiny, d, n, TINY);
    }
    reading_free(&plain);
    reading_free(&plain_tiny);
    reading_free(&lines);
    reading_free(&lines_tiny);
    return 0;
}
