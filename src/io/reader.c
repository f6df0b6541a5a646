/* SPDX-License-Identifier: MIT */
/*
 * reader.c -- decompressing streams and the record cutter.
 *
 * Compression is recognised by content (gzip 1f 8b, zstd 28 b5 2f fd), not
 * by file name, so a mislabelled file still reads. Concatenated gzip members
 * and zstd frames are read through. A stream that ends before its compressed
 * data does is an error ("truncated"), never a silent short read.
 *
 * A reader may read a share of the inputs (one rank of a distributed run):
 * skipped inputs are passed over, and of a ranged input (a byte range of an
 * uncompressed JSONL file) only the lines that start in the range are read.
 * Lines belong to the range holding their start, so the shares of a file
 * need no agreement beyond the cut points: each share looks at the byte
 * before its start (a newline there means a line starts at the cut, else the
 * line under way is the previous share's) and reads on past its end to
 * finish its last line. The reader seeks to the byte before the range and
 * counts lines from line_base, so places come out as a whole read gives them.
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
    int buf_map; /* buf is rpi_calloc_map's (a large input), not malloc's */
    size_t buf_len; /* bytes valid in buf */
    size_t buf_pos; /* bytes of buf consumed */
    uint64_t off; /* decompressed offset of buf[buf_pos] in input cur */
    uint64_t line; /* lines started in input cur */
    size_t max_record; /* longest record accepted */
    int spool; /* copy non-seekable inputs to their spool */
    uint64_t seq; /* records returned so far */
    uint64_t nrec_input; /* records returned from input cur */
    uint64_t done_bytes; /* bytes consumed by closed inputs */
    uint64_t total; /* sum of known input sizes (of ranges, for ranged inputs) */
    int range_first; /* input cur is a share starting the file: its first line is read
                        whatever its offset (a byte order mark may put it past range_end) */
    int range_done; /* input cur is a share with no line left to read */
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

/* KIND_* of a stream starting with the n bytes m (compression by content). */
static int magic_kind(const unsigned char *m, size_t n)
{
    if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
        return KIND_GZIP;
    if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
        return KIND_ZSTD;
    return KIND_RAW;
}

/* Bytes of a ranged input's share (its part of the progress total). */
static uint64_t range_len(const rpi_input *x)
{
    return x->range_end > x->range_start ? x->range_end - x->range_start : 0;
}

/*
 * Open the stream of input x, from byte at of a regular file (0 for all
 * others). raw: take the bytes as they are, without looking for a magic
 * number (a share of an uncompressed file, whose bytes may look like one).
 */
static int stream_open(stream **out, const rpi_input *x, FILE *spool_from, FILE *spool_to,
                       uint64_t at, int raw, char *err, size_t errcap)
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
    if ((s->fd < 0 && !s->fn) || (at > 0 && lseek(s->fd, (off_t)at, SEEK_SET) < 0)) {
        rpi_fmt(err, errcap, "%s", strerror(errno));
        stream_close(s);
        return RP_EIO;
    }
    /* The magic numbers need 4 bytes; a pipe may deliver fewer at first. */
    int rc = fill_in(s, err, errcap);
    while (rc == RP_OK && !raw && s->in_len < 4 && !s->in_eof) {
        size_t got;
        rc = read_fd(s, s->in + s->in_len, CHUNK - s->in_len, &got, err, errcap);
        s->in_len += got;
    }
    if (rc != RP_OK) {
        stream_close(s);
        return rc;
    }
    int kind = raw ? KIND_RAW : magic_kind(s->in, s->in_len);
    if (kind == KIND_GZIP) {
        s->kind = KIND_GZIP;
        if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
            s->kind = KIND_RAW;
            stream_close(s);
            return RP_ENOMEM;
        }
    } else if (kind == KIND_ZSTD) {
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
    for (size_t i = 0; i < in->n; i++)
        if (!in->v[i].skip)
            r->total += in->v[i].range_end > 0 ? range_len(&in->v[i]) : in->v[i].size;
    /* An input that fills the buffer gets huge pages (one fault, not 256 on
     * the thread every other waits for); a small one (an index query) keeps
     * malloc's, to not clear 2 MiB for a few KB. */
    r->buf_map = r->total >= CHUNK;
    r->buf = r->buf_map ? rpi_calloc_map(CHUNK) : rpi_malloc(CHUNK);
    if (!r->buf) {
        rpi_free(r);
        return RP_ENOMEM;
    }
    r->in = in;
    r->max_record = max_record;
    r->spool = spool;
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
    if (r->buf_map)
        rpi_free_map(r->buf, CHUNK);
    else
        rpi_free(r->buf);
    rpi_free(r);
}

const char *rpi_reader_errmsg(const rpi_reader *r)
{
    return r->err;
}

uint64_t rpi_reader_consumed(const rpi_reader *r)
{
    if (!r->s)
        return r->done_bytes;
    const rpi_input *x = &r->in->v[r->cur];
    uint64_t c = r->s->consumed;
    if (x->range_end > 0 && c > range_len(x))
        c = range_len(x); /* read on past its end to finish the last line */
    return r->done_bytes + c;
}

uint64_t rpi_reader_total(const rpi_reader *r)
{
    for (size_t i = 0; i < r->in->n; i++)
        if (!r->in->v[i].seekable && !r->in->v[i].sized && !r->in->v[i].skip)
            return 0;
    return r->total;
}

void rpi_batch_free(rpi_batch *b)
{
    rpi_free_huge(b->rec, b->cap, sizeof *b->rec);
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

/*
 * Open a ranged input at the start of its first line: the byte before the
 * range is read too; unless it is a newline (or the range starts the file),
 * the line under way at range_start is the previous share's and is skipped.
 * A share holding no line start gets range_done.
 */
static int open_range(rpi_reader *r, const rpi_input *x)
{
    uint64_t at = x->range_start > 0 ? x->range_start - 1 : 0;
    RP_TRY(stream_open(&r->s, x, NULL, NULL, at, 1, r->err, sizeof r->err));
    r->buf_len = r->buf_pos = 0;
    r->off = at;
    r->line = x->line_base;
    r->nrec_input = 0;
    r->jsonl = 1;
    r->range_first = x->range_start == 0;
    r->range_done = x->range_start >= x->range_end;
    if (r->range_done)
        return RP_OK;
    if (r->range_first) { /* as a whole read: a byte order mark is skipped */
        RP_TRY(peek(r, 3));
        if (r->buf_len - r->buf_pos >= 3 && memcmp(r->buf + r->buf_pos, "\xEF\xBB\xBF", 3) == 0) {
            r->buf_pos += 3;
            r->off += 3;
        }
        return RP_OK;
    }
    int more, cut = 1;
    RP_TRY(refill(r, &more));
    if (more) {
        cut = r->buf[r->buf_pos] != '\n';
        r->buf_pos++;
        r->off++;
    }
    while (more && cut) {
        RP_TRY(refill(r, &more));
        if (!more)
            break;
        const unsigned char *p = r->buf + r->buf_pos;
        size_t avail = r->buf_len - r->buf_pos;
        const unsigned char *nl = memchr(p, '\n', avail);
        size_t n = nl ? (size_t)(nl - p) + 1 : avail;
        r->buf_pos += n;
        r->off += n;
        if (nl) {
            r->line++; /* the skipped line's newline */
            cut = 0;
        }
    }
    r->range_done = !more; /* the file ends before a line starts in the range */
    return RP_OK;
}

/*
 * Does the ranged input cur go on with a line at r->off? It stops at the
 * first line starting at or after range_end, which is the next share's. The
 * one exception is the end of the file right at range_end, after a newline:
 * a whole read looks there for a last line (and, finding none in a file
 * without documents, reports the empty file), and only the last share of the
 * file (the one ending at its end) may do the same.
 */
static int range_goes_on(rpi_reader *r, int *go)
{
    const rpi_input *x = &r->in->v[r->cur];
    *go = 0;
    if (r->range_done)
        return RP_OK;
    if (!r->range_first && r->off >= x->range_end) {
        if (r->off > x->range_end)
            return RP_OK;
        RP_TRY(peek(r, 1));
        if (r->buf_len > r->buf_pos)
            return RP_OK; /* a line starts at range_end */
    }
    r->range_first = 0;
    *go = 1;
    return RP_OK;
}

/*
 * Does [0, end) of ranged input cur hold a record of a whole read? That is a
 * line with a byte other than white space, or a line longer than max_record
 * (a bad record even when blank). Asked only when a share without records
 * reaches the end of a file, to tell whether the file is empty; the scan runs
 * backwards from end, so it stops at the first line with text before it.
 */
static int records_before(rpi_reader *r, uint64_t end, int *any)
{
    int fd = r->s->fd;
    unsigned char *buf = rpi_malloc(CHUNK);
    if (!buf)
        return RP_ENOMEM;
    int rc = RP_OK;
    uint64_t from = 0, run = 0; /* run: bytes of the line being scanned, after its '\n' */
    *any = 0;
    if (end >= 3) { /* a byte order mark is not part of line 1 */
        ssize_t k = pread(fd, buf, 3, 0);
        if (k == 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
            from = 3;
    }
    for (uint64_t hi = end; hi > from && !*any;) {
        size_t n = hi - from < CHUNK ? (size_t)(hi - from) : CHUNK;
        uint64_t lo = hi - n;
        for (size_t got = 0; got < n;) {
            ssize_t k = pread(fd, buf + got, n - got, (off_t)(lo + got));
            if (k <= 0 && !(k < 0 && errno == EINTR)) {
                rpi_fmt(r->err, sizeof r->err, "read error: %s",
                        k < 0 ? strerror(errno) : "the file shrank while being read");
                rc = RP_EIO;
                goto fail;
            }
            if (k > 0)
                got += (size_t)k;
        }
        for (size_t i = n; i-- > 0;) {
            unsigned char c = buf[i];
            if (c == '\n') {
                if (run > r->max_record)
                    break;
                run = 0;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                run++;
            } else {
                *any = 1;
                break;
            }
        }
        if (run > r->max_record)
            *any = 1;
        hi = lo;
    }
fail:
    rpi_free(buf);
    return rc;
}

static int open_current(rpi_reader *r)
{
    rpi_input *x = &r->in->v[r->cur];
    r->line = 0; /* an input that cannot be opened has lost no lines */
    if (x->range_end > 0)
        return open_range(r, x);
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
    /* (Framed records are never compressed: their bytes are taken as they are.) */
    RP_TRY(stream_open(&r->s, x, from, to, 0, x->framed, r->err, sizeof r->err));
    x->direct = (x->seekable && !from && !x->fn && !x->framed && r->s->kind == KIND_RAW &&
                 strcmp(x->path, "-") != 0) ||
                x->fetch != NULL;
    r->buf_len = r->buf_pos = 0;
    r->off = 0;
    r->line = 0;
    r->nrec_input = 0;
    r->jsonl = x->jsonl;
    if (r->jsonl == 0 || x->framed)
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
    const rpi_input *x = &r->in->v[r->cur];
    r->done_bytes += x->range_end > 0 ? range_len(x) : r->s->consumed;
    stream_close(r->s);
    r->s = NULL;
    r->cur++;
    return RP_OK;
}

static int new_record(rpi_reader *r, rpi_batch *b, rpi_record **out)
{
    RP_TRY(rpi_grow_huge((void **)&b->rec, &b->cap, b->n + 1, sizeof *b->rec));
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
        if (r->in->v[r->cur].range_end > 0) { /* other shares may hold records */
            int any;
            RP_TRY(records_before(r, rec->offset, &any));
            if (any)
                return RP_OK;
        }
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

/* A little-endian 32-bit length. */
static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Read one framed record (rp_corpus_add_records): its type byte, kept as the
 * first byte of the record's data, then the bytes its length gives. *done = 1
 * at the end of the input. A record cut short ends the input with a bad
 * record naming the byte (RP_EBADINPUT, as a corrupt stream).
 */
static int read_frame(rpi_reader *r, rpi_batch *b, int *done)
{
    *done = 0;
    RP_TRY(peek(r, 5));
    size_t avail = r->buf_len - r->buf_pos;
    if (avail == 0) {
        *done = 1;
        return RP_OK;
    }
    const unsigned char *h = r->buf + r->buf_pos;
    if (avail < 5 || (h[0] != 'F' && h[0] != 'J' && h[0] != 'S') ||
        (h[0] == 'S' && le32(h + 1) != 0)) {
        r->line++; /* (the record begun is the one lost first) */
        rpi_fmt(r->err, sizeof r->err, "record %llu (byte %llu) %s",
                (unsigned long long)r->line, (unsigned long long)r->off,
                avail < 5 ? "cut short in its header" : "is not a framed record");
        return RP_EBADINPUT;
    }
    if (h[0] == 'S') { /* a place kept: no document */
        r->line++;
        r->buf_pos += 5;
        r->off += 5;
        return RP_OK;
    }
    rpi_record *rec;
    RP_TRY(new_record(r, b, &rec));
    rec->line = ++r->line;
    size_t want = le32(h + 1), total = 0;
    int big = want > r->max_record;
    if (big) {
        rec->bad = 1;
        rpi_fmt(rec->msg, sizeof rec->msg, "record longer than the %zu-byte limit (--max-bytes)",
                r->max_record);
    } else {
        RP_TRY(rpi_buf_append(&b->data, h, 1));
    }
    r->buf_pos += 5;
    r->off += 5;
    while (total < want) {
        int more;
        RP_TRY(refill(r, &more));
        if (!more) {
            b->data.len = rec->data_off;
            rpi_fmt(r->err, sizeof r->err, "record %llu (byte %llu) cut short: %zu of its %zu "
                    "bytes", (unsigned long long)rec->line, (unsigned long long)rec->offset,
                    total, want);
            return RP_EBADINPUT; /* (stream_failed drops the record begun) */
        }
        size_t n = r->buf_len - r->buf_pos;
        if (n > want - total)
            n = want - total;
        if (!big)
            RP_TRY(rpi_buf_append(&b->data, r->buf + r->buf_pos, n));
        total += n;
        r->buf_pos += n;
        r->off += n;
    }
    rec->len = big ? 0 : want + 1;
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
        rpi_fmt(rec->msg, sizeof rec->msg, "%s; %s after %llu are lost", r->err,
                r->in->v[r->cur].framed ? "records" : "lines", (unsigned long long)(r->line - 1));
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
            if (r->in->v[r->cur].skip) { /* another reader's share */
                r->cur++;
                continue;
            }
            rc = open_current(r);
        }
        if (rc == RP_OK && r->jsonl) {
            int go = 1;
            if (r->in->v[r->cur].range_end > 0)
                rc = range_goes_on(r, &go);
            if (rc == RP_OK && go)
                rc = r->in->v[r->cur].framed ? read_frame(r, b, &done) : read_line(r, b, &done);
            if (rc == RP_OK && (done || !go))
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

int rpi_count_newlines(const char *path, uint64_t start, uint64_t end, uint64_t *n, char *err,
                       size_t errcap)
{
    *n = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        rpi_fmt(err, errcap, "%s: %s", path, strerror(errno));
        return RP_EIO;
    }
    char *buf = rpi_malloc(CHUNK);
    if (!buf) {
        close(fd);
        return RP_ENOMEM;
    }
    int rc = RP_OK;
    uint64_t count = 0;
    for (uint64_t at = start; at < end;) {
        size_t want = end - at < CHUNK ? (size_t)(end - at) : CHUNK;
        ssize_t k = pread(fd, buf, want, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k < 0)
                rpi_fmt(err, errcap, "%s: read error: %s", path, strerror(errno));
            else
                rpi_fmt(err, errcap, "%s: the file ends at byte %llu, before byte %llu", path,
                        (unsigned long long)at, (unsigned long long)end);
            rc = RP_EIO;
            break;
        }
        for (const char *p = buf, *e = buf + k; (p = memchr(p, '\n', (size_t)(e - p))) != NULL;
             p++)
            count++;
        at += (uint64_t)k;
    }
    rpi_free(buf);
    close(fd);
    if (rc == RP_OK)
        *n = count;
    return rc;
}

int rpi_file_compressed(const char *path, int *compressed)
{
    *compressed = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return RP_EIO;
    unsigned char m[4];
    size_t len = 0;
    while (len < sizeof m) {
        ssize_t k = read(fd, m + len, sizeof m - len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return RP_EIO;
        }
        if (k == 0)
            break;
        len += (size_t)k;
    }
    close(fd);
    *compressed = magic_kind(m, len) != KIND_RAW;
    return RP_OK;
}
