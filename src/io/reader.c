/* SPDX-License-Identifier: MIT */
/*
 * reader.c -- decompressing streams and the record cutter.
 *
 * Compression is recognised by content (gzip 1f 8b, zstd 28 b5 2f fd), not
 * by file name, so a mislabelled file still reads. Concatenated gzip members
 * and zstd frames are read through. A stream that ends before its compressed
 * data does is an error ("truncated"), never a silent short read.
 */
#define _POSIX_C_SOURCE 200809L
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

enum { CHUNK = 1 << 20 };
enum { KIND_RAW, KIND_GZIP, KIND_ZSTD };

typedef struct stream {
    int fd; /* file descriptor read */
    int own_fd; /* close fd at the end */
    int kind; /* KIND_* */
    z_stream z; /* gzip state */
    ZSTD_DStream *zs; /* zstd state */
    size_t zret; /* last ZSTD_decompressStream hint: 0 at a frame end */
    int zended; /* gzip: the last member ended */
    unsigned char *in; /* compressed bytes read from fd */
    size_t in_len; /* bytes valid in in */
    size_t in_pos; /* bytes of in consumed */
    int in_eof; /* fd is at end of file */
    uint64_t consumed; /* bytes read from fd */
    FILE *spool; /* copy of every byte read from fd, or NULL */
    rp_read_fn fn; /* read through the application's function instead of fd, or NULL */
    void *fn_user; /* its argument */
    char pending[200]; /* corrupt data met after some output: reported on the next read */
} stream;

struct rpi_reader {
    rpi_inputs *in; /* the inputs */
    size_t cur; /* index of the input being read */
    stream *s; /* open stream of input cur, or NULL */
    int jsonl; /* how input cur is cut */
    unsigned char *buf; /* decompressed bytes */
    size_t buf_len; /* bytes valid in buf */
    size_t buf_pos; /* bytes of buf consumed */
    uint64_t off; /* decompressed offset of buf[buf_pos] in input cur */
    uint64_t line; /* lines started in input cur */
    size_t max_record; /* longest record accepted */
    int spool; /* copy non-seekable inputs to their spool */
    uint64_t seq; /* records returned so far */
    uint64_t nrec_input; /* records returned from input cur */
    uint64_t done_bytes; /* bytes consumed by closed inputs */
    uint64_t total; /* sum of known input sizes */
    char err[512]; /* message of the last error */
};

static void stream_close(stream *s)
{
    if (!s)
        return;
    if (s->kind == KIND_GZIP)
        inflateEnd(&s->z);
    ZSTD_freeDStream(s->zs);
    if (s->own_fd && s->fd >= 0)
        close(s->fd);
    rpi_free(s->in);
    rpi_free(s);
}

/* read() up to cap bytes into dst (copying them to the spool); sets in_eof at the end. */
static int read_fd(stream *s, unsigned char *dst, size_t cap, size_t *got, char *err,
                   size_t errcap)
{
    ssize_t k;
    if (s->fn) {
        ptrdiff_t m = s->fn(s->fn_user, (char *)dst, cap);
        if (m < 0 || (size_t)m > cap) {
            rpi_fmt(err, errcap, "%s", m < 0 ? "interrupted by the application's reader"
                                             : "the application's reader overran its buffer");
            return m < 0 ? RP_EINTR : RP_EINTERNAL;
        }
        k = (ssize_t)m;
    } else {
        do
            k = read(s->fd, dst, cap);
        while (k < 0 && errno == EINTR);
    }
    if (k < 0) {
        rpi_fmt(err, errcap, "read error: %s", strerror(errno));
        return RP_EIO;
    }
    if (k == 0)
        s->in_eof = 1;
    if (k > 0 && s->spool && fwrite(dst, 1, (size_t)k, s->spool) != (size_t)k) {
        rpi_fmt(err, errcap, "cannot copy to a temporary file: %s", strerror(errno));
        return RP_EIO;
    }
    s->consumed += (uint64_t)k;
    *got = (size_t)k;
    return RP_OK;
}

/* Refill s->in from the fd when it is used up. */
static int fill_in(stream *s, char *err, size_t errcap)
{
    if (s->in_pos < s->in_len || s->in_eof)
        return RP_OK;
    RP_TRY(read_fd(s, s->in, CHUNK, &s->in_len, err, errcap));
    s->in_pos = 0;
    return RP_OK;
}

static int stream_open(stream **out, const rpi_input *x, FILE *spool_from, FILE *spool_to,
                       char *err, size_t errcap)
{
    stream *s = rpi_calloc(1, sizeof *s);
    if (!s)
        return RP_ENOMEM;
    s->fd = -1;
    s->in = rpi_malloc(CHUNK);
    if (!s->in) {
        rpi_free(s);
        return RP_ENOMEM;
    }
    const char *path = x->path;
    if (spool_from) {
        s->fd = dup(fileno(spool_from));
        s->own_fd = 1;
        if (s->fd >= 0 && lseek(s->fd, 0, SEEK_SET) != 0) {
            close(s->fd);
            s->fd = -1;
        }
    } else if (x->fn) {
        s->fn = x->fn;
        s->fn_user = x->fn_user;
        s->spool = spool_to;
    } else if (strcmp(path, "-") == 0) {
        s->fd = 0;
        s->spool = spool_to;
    } else {
        s->fd = open(path, O_RDONLY);
        s->own_fd = 1;
        s->spool = spool_to;
    }
    if (s->fd < 0 && !s->fn) {
        rpi_fmt(err, errcap, "%s", strerror(errno));
        stream_close(s);
        return RP_EIO;
    }
    /* The magic numbers need 4 bytes; a pipe may deliver fewer at first. */
    int rc = fill_in(s, err, errcap);
    while (rc == RP_OK && s->in_len < 4 && !s->in_eof) {
        size_t got;
        rc = read_fd(s, s->in + s->in_len, CHUNK - s->in_len, &got, err, errcap);
        s->in_len += got;
    }
    if (rc != RP_OK) {
        stream_close(s);
        return rc;
    }
    const unsigned char *m = s->in;
    if (s->in_len >= 2 && m[0] == 0x1f && m[1] == 0x8b) {
        s->kind = KIND_GZIP;
        if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
            s->kind = KIND_RAW;
            stream_close(s);
            return RP_ENOMEM;
        }
    } else if (s->in_len >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) {
        s->kind = KIND_ZSTD;
        s->zs = ZSTD_createDStream();
        if (!s->zs) {
            stream_close(s);
            return RP_ENOMEM;
        }
        s->zret = 1;
    }
    *out = s;
    return RP_OK;
}

/* Read up to cap decompressed bytes; *got = 0 at the end of the stream. */
static int stream_read(stream *s, unsigned char *dst, size_t cap, size_t *got, char *err,
                       size_t errcap)
{
    *got = 0;
    if (s->pending[0]) { /* the damage found on the previous call */
        rpi_fmt(err, errcap, "%s", s->pending);
        return RP_EBADINPUT;
    }
    while (*got == 0) {
        if (s->kind == KIND_RAW && s->in_pos == s->in_len) {
            /* Plain input is read straight into the caller's buffer. */
            if (s->in_eof)
                return RP_OK;
            RP_TRY(read_fd(s, dst, cap, got, err, errcap));
            if (*got == 0)
                return RP_OK;
            continue;
        }
        RP_TRY(fill_in(s, err, errcap));
        size_t avail = s->in_len - s->in_pos;
        if (s->kind == KIND_RAW) {
            if (avail == 0)
                return RP_OK; /* end of file */
            size_t n = avail < cap ? avail : cap;
            memcpy(dst, s->in + s->in_pos, n);
            s->in_pos += n;
            *got = n;
        } else if (s->kind == KIND_GZIP) {
            if (avail == 0) {
                if (!s->zended) {
                    rpi_fmt(err, errcap,
                            "truncated gzip stream (input ends at byte %llu before the "
                            "compressed data does)",
                            (unsigned long long)s->consumed);
                    return RP_EBADINPUT;
                }
                return RP_OK;
            }
            if (s->zended) { /* another gzip member follows */
                inflateReset(&s->z);
                s->zended = 0;
            }
            s->z.next_in = s->in + s->in_pos;
            s->z.avail_in = (uInt)avail;
            s->z.next_out = dst;
            s->z.avail_out = (uInt)cap;
            int zr = inflate(&s->z, Z_NO_FLUSH);
            if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
                uint64_t at = s->consumed - avail + (avail - s->z.avail_in);
                rpi_fmt(s->pending, sizeof s->pending, "corrupt gzip data near byte %llu: %s",
                        (unsigned long long)at, s->z.msg ? s->z.msg : "inflate failed");
                *got = cap - s->z.avail_out;
                if (*got)
                    return RP_OK; /* what came out before the damage; the error next time */
                rpi_fmt(err, errcap, "%s", s->pending);
                return RP_EBADINPUT;
            }
            s->in_pos += avail - s->z.avail_in;
            *got = cap - s->z.avail_out;
            if (zr == Z_STREAM_END)
                s->zended = 1;
        } else {
            if (avail == 0) {
                if (s->zret != 0) {
                    rpi_fmt(err, errcap,
                            "truncated zstd stream (input ends at byte %llu inside a frame)",
                            (unsigned long long)s->consumed);
                    return RP_EBADINPUT;
                }
                return RP_OK;
            }
            ZSTD_inBuffer ib = {s->in + s->in_pos, avail, 0};
            ZSTD_outBuffer ob = {dst, cap, 0};
            size_t zr = ZSTD_decompressStream(s->zs, &ob, &ib);
            if (ZSTD_isError(zr)) {
                rpi_fmt(err, errcap, "corrupt zstd data near byte %llu: %s",
                        (unsigned long long)(s->consumed - avail + ib.pos), ZSTD_getErrorName(zr));
                return RP_EBADINPUT;
            }
            s->zret = zr;
            s->in_pos += ib.pos;
            *got = ob.pos;
        }
    }
    return RP_OK;
}

int rpi_reader_open(rpi_reader **out, rpi_inputs *in, size_t max_record, int spool)
{
    *out = NULL;
    rpi_reader *r = rpi_calloc(1, sizeof *r);
    if (!r)
        return RP_ENOMEM;
    r->buf = rpi_malloc(CHUNK);
    if (!r->buf) {
        rpi_free(r);
        return RP_ENOMEM;
    }
    r->in = in;
    r->max_record = max_record;
    r->spool = spool;
    for (size_t i = 0; i < in->n; i++)
        r->total += in->v[i].size;
    *out = r;
    return RP_OK;
}

/* An unlinked temporary file in $TMPDIR (tmpfile() ignores TMPDIR). */
static FILE *temp_file(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    rpi_fmt(path, sizeof path, "%s/reprint-input-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    unlink(path);
    FILE *f = fdopen(fd, "w+");
    if (!f)
        close(fd);
    return f;
}

void rpi_reader_close(rpi_reader *r)
{
    if (!r)
        return;
    stream_close(r->s);
    rpi_free(r->buf);
    rpi_free(r);
}

const char *rpi_reader_errmsg(const rpi_reader *r)
{
    return r->err;
}

uint64_t rpi_reader_consumed(const rpi_reader *r)
{
    return r->done_bytes + (r->s ? r->s->consumed : 0);
}

uint64_t rpi_reader_total(const rpi_reader *r)
{
    for (size_t i = 0; i < r->in->n; i++)
        if (!r->in->v[i].seekable)
            return 0;
    return r->total;
}

void rpi_batch_free(rpi_batch *b)
{
    rpi_free(b->rec);
    rpi_buf_free(&b->data);
    memset(b, 0, sizeof *b);
}

/* Make buf hold unread bytes; returns 0 at the end of the input. */
static int refill(rpi_reader *r, int *more)
{
    *more = 1;
    if (r->buf_pos < r->buf_len)
        return RP_OK;
    size_t got;
    RP_TRY(stream_read(r->s, r->buf, CHUNK, &got, r->err, sizeof r->err));
    r->buf_len = got;
    r->buf_pos = 0;
    *more = got > 0;
    return RP_OK;
}

/*
 * Make at least want decompressed bytes available at buf_pos (fewer only at
 * the end of the input), reading on where a pipe delivered less.
 */
static int peek(rpi_reader *r, size_t want)
{
    if (r->buf_pos > 0 && r->buf_len - r->buf_pos < want) {
        memmove(r->buf, r->buf + r->buf_pos, r->buf_len - r->buf_pos);
        r->buf_len -= r->buf_pos;
        r->buf_pos = 0;
    }
    while (r->buf_len - r->buf_pos < want && r->buf_len < CHUNK) {
        size_t got;
        RP_TRY(stream_read(r->s, r->buf + r->buf_len, CHUNK - r->buf_len, &got, r->err,
                           sizeof r->err));
        if (got == 0)
            break;
        r->buf_len += got;
    }
    return RP_OK;
}

static int open_current(rpi_reader *r)
{
    rpi_input *x = &r->in->v[r->cur];
    FILE *from = NULL, *to = NULL;
    if (!x->seekable && r->spool) {
        if (x->spool)
            fclose(x->spool); /* a first pass run again starts its copy afresh */
        if (!(x->spool = temp_file())) {
            rpi_fmt(r->err, sizeof r->err, "cannot create a temporary file: %s",
                    strerror(errno));
            return RP_EIO;
        }
        to = x->spool;
    } else if (!x->seekable && x->spool) {
        from = x->spool;
    }
    RP_TRY(stream_open(&r->s, x, from, to, r->err, sizeof r->err));
    r->buf_len = r->buf_pos = 0;
    r->off = 0;
    r->line = 0;
    r->nrec_input = 0;
    r->jsonl = x->jsonl;
    if (r->jsonl == 0)
        return RP_OK;
    /* A UTF-8 byte order mark (Windows tools write one) before the first
     * JSON line is skipped; in a plain document it is a separator anyway. */
    RP_TRY(peek(r, 3));
    size_t i = r->buf_pos;
    if (r->buf_len - i >= 3 && memcmp(r->buf + i, "\xEF\xBB\xBF", 3) == 0)
        i += 3;
    if (r->jsonl < 0) { /* standard input: JSONL when it starts with '{' */
        size_t j = i;
        for (;;) {
            while (j < r->buf_len && (r->buf[j] == ' ' || r->buf[j] == '\n' ||
                                      r->buf[j] == '\r' || r->buf[j] == '\t'))
                j++;
            if (j < r->buf_len || r->buf_len == CHUNK)
                break;
            size_t had = r->buf_len;
            RP_TRY(peek(r, r->buf_len - r->buf_pos + 1)); /* only white space so far */
            if (r->buf_len == had)
                break; /* end of input */
        }
        r->jsonl = j < r->buf_len && r->buf[j] == '{';
        x->jsonl = r->jsonl;
        if (!r->jsonl)
            return RP_OK; /* a plain document keeps its bytes */
    }
    r->off += i - r->buf_pos;
    r->buf_pos = i;
    return RP_OK;
}

static int close_current(rpi_reader *r)
{
    if (r->s->spool && fflush(r->s->spool) != 0) {
        rpi_fmt(r->err, sizeof r->err, "cannot copy to a temporary file: %s",
                strerror(errno));
        return RP_EIO;
    }
    r->done_bytes += r->s->consumed;
    stream_close(r->s);
    r->s = NULL;
    r->cur++;
    return RP_OK;
}

static int new_record(rpi_reader *r, rpi_batch *b, rpi_record **out)
{
    RP_TRY(rpi_grow((void **)&b->rec, &b->cap, b->n + 1, sizeof *b->rec));
    rpi_record *rec = &b->rec[b->n];
    rec->input = (uint32_t)r->cur;
    rec->line = 0;
    rec->offset = r->off;
    rec->data_off = b->data.len;
    rec->len = 0;
    rec->bad = 0;
    rec->io = 0;
    rec->msg[0] = 0;
    *out = rec;
    return RP_OK;
}

/* Read a whole plain file as one record. */
static int read_plain(rpi_reader *r, rpi_batch *b)
{
    rpi_record *rec;
    RP_TRY(new_record(r, b, &rec));
    size_t total = 0;
    int more;
    for (;;) {
        RP_TRY(refill(r, &more));
        if (!more)
            break;
        size_t n = r->buf_len - r->buf_pos;
        if (!rec->bad && total + n > r->max_record) {
            rec->bad = 1;
            rpi_fmt(rec->msg, sizeof rec->msg, "document larger than the %zu-byte limit "
                    "(--max-bytes)", r->max_record);
            b->data.len = rec->data_off;
        }
        if (!rec->bad)
            RP_TRY(rpi_buf_append(&b->data, r->buf + r->buf_pos, n));
        total += n;
        r->buf_pos += n;
        r->off += n;
    }
    rec->len = rec->bad ? 0 : total;
    b->n++;
    return RP_OK;
}

static int blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return 0;
    return 1;
}

/* Read one JSONL line as a record; *done = 1 at the end of the input. */
static int read_line(rpi_reader *r, rpi_batch *b, int *done)
{
    rpi_record *rec;
    RP_TRY(new_record(r, b, &rec));
    rec->line = ++r->line;
    size_t total = 0;
    int more, saw_eol = 0;
    *done = 0;
    while (!saw_eol) {
        RP_TRY(refill(r, &more));
        if (!more) {
            *done = 1;
            break;
        }
        const unsigned char *p = r->buf + r->buf_pos;
        size_t avail = r->buf_len - r->buf_pos;
        const unsigned char *nl = memchr(p, '\n', avail);
        size_t n = nl ? (size_t)(nl - p) : avail;
        if (!rec->bad && total + n > r->max_record) {
            rec->bad = 1;
            rpi_fmt(rec->msg, sizeof rec->msg,
                    "line longer than the %zu-byte limit (--max-bytes)", r->max_record);
            b->data.len = rec->data_off;
        }
        if (!rec->bad)
            RP_TRY(rpi_buf_append(&b->data, p, n));
        total += n;
        r->buf_pos += n + (nl != NULL);
        r->off += n + (nl != NULL);
        saw_eol = nl != NULL;
    }
    rec->len = rec->bad ? 0 : total;
    if (!rec->bad && (rec->len == 0 || blank(b->data.data + rec->data_off, rec->len))) {
        b->data.len = rec->data_off; /* an empty line is not a document */
        if (!*done || r->nrec_input > 0 || r->in->v[r->cur].fn)
            return RP_OK;
        /* A JSONL file without a single document is an empty file (an input
         * an application supplies may hold none: it gives no document). */
        rec->line = 0;
        rec->bad = 1;
        rec->len = 0;
        rpi_fmt(rec->msg, sizeof rec->msg, "empty file (no JSON lines)");
    }
    b->n++;
    r->nrec_input++;
    return RP_OK;
}

/*
 * The current input's compressed stream is corrupt or truncated (r->err says
 * how): the record being read is dropped and one bad record, naming the
 * input and the byte, stands for the rest of it. The caller stops there or,
 * skipping bad documents, goes on with the next input.
 */
static int stream_failed(rpi_reader *r, rpi_batch *b, size_t mark, int io)
{
    rpi_record *rec;
    b->data.len = mark;
    RP_TRY(new_record(r, b, &rec));
    rec->bad = 1;
    rec->io = io;
    if (r->jsonl > 0 && r->line > 1)
        rpi_fmt(rec->msg, sizeof rec->msg, "%s; lines after %llu are lost", r->err,
                (unsigned long long)(r->line - 1));
    else
        rpi_fmt(rec->msg, sizeof rec->msg, "%s", r->err);
    b->n++;
    if (r->s)
        return close_current(r);
    r->cur++;
    return RP_OK;
}

int rpi_reader_next(rpi_reader *r, rpi_batch *b, size_t target)
{
    b->n = 0;
    b->data.len = 0;
    b->first_seq = r->seq;
    while (b->data.len < target && b->n < 4096) {
        size_t mark = b->data.len;
        int rc = RP_OK, done = 0;
        if (!r->s) {
            if (r->cur >= r->in->n)
                break;
            rc = open_current(r);
        }
        if (rc == RP_OK && r->jsonl) {
            rc = read_line(r, b, &done);
            if (rc == RP_OK && done)
                rc = close_current(r);
        } else if (rc == RP_OK) {
            rc = read_plain(r, b);
            if (rc == RP_OK)
                rc = close_current(r);
        }
        if (rc == RP_EBADINPUT || rc == RP_EIO)
            rc = stream_failed(r, b, mark, rc == RP_EIO);
        RP_TRY(rc);
    }
    r->seq += b->n;
    return RP_OK;
}
