/* SPDX-License-Identifier: MIT */
/*
 * spill.c -- temporary on-disk store of shingle hashes (see shingle.h).
 * Files live in $TMPDIR (default /tmp) and are unlinked at once, so they
 * vanish with the process whatever happens.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include "shingle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SPILL_BUF = 1 << 20, ALIGN = 4096 };

/*
 * Try to switch fd to O_DIRECT, with a second, buffered descriptor for
 * reading. Where the file system refuses (tmpfs), both are plain.
 */
static void go_direct(rpi_spill *s, int i)
{
    char self[64];
    s->rfd[i] = s->fd[i];
#ifdef O_DIRECT
    rpi_fmt(self, sizeof self, "/proc/self/fd/%d", s->fd[i]);
    int r = open(self, O_RDONLY);
    if (r < 0)
        return;
    int fl = fcntl(s->fd[i], F_GETFL);
    if (fl < 0 || fcntl(s->fd[i], F_SETFL, fl | O_DIRECT) != 0) {
        close(r);
        return;
    }
    s->rfd[i] = r;
#else
    (void)self;
#endif
}

int rpi_spill_open(rpi_spill *s, int nwriters, char *err, size_t errcap)
{
    memset(s, 0, sizeof *s);
    s->fd = rpi_malloc((size_t)nwriters * sizeof *s->fd);
    s->rfd = rpi_malloc((size_t)nwriters * sizeof *s->rfd);
    s->size = rpi_calloc((size_t)nwriters, sizeof *s->size);
    s->buf = rpi_calloc((size_t)nwriters, sizeof *s->buf);
    s->nbuf = rpi_calloc((size_t)nwriters, sizeof *s->nbuf);
    if (!s->fd || !s->rfd || !s->size || !s->buf || !s->nbuf) {
        rpi_spill_close(s);
        return RP_ENOMEM;
    }
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    for (int i = 0; i < nwriters; i++) {
        char path[4096];
        rpi_fmt(path, sizeof path, "%s/reprint-spill-XXXXXX", dir);
        int fd = mkstemp(path);
        if (fd < 0) {
            rpi_fmt(err, errcap, "cannot create a temporary file in %s: %s", dir,
                    strerror(errno));
            rpi_spill_close(s);
            return RP_EIO;
        }
        unlink(path);
        s->fd[s->n] = fd;
        go_direct(s, s->n);
        s->n++;
    }
    return RP_OK;
}

/*
 * Write the buffer of writer w at its place in the file (a multiple of the
 * buffer size): all of it when full, else padded with zeros to whole 4 KiB
 * blocks and kept, so that later writes still append to it and a later
 * flush writes the block again.
 */
static int flush_one(rpi_spill *s, int w, int full)
{
    size_t n = s->nbuf[w];
    if (n == 0)
        return RP_OK;
    size_t padded = (n + ALIGN - 1) / ALIGN * ALIGN;
    memset(s->buf[w] + n, 0, padded - n);
    uint64_t at = s->size[w] - n; /* the logical offset of buf[0] */
    const char *p = s->buf[w];
    size_t left = padded;
    while (left) {
        ssize_t k = pwrite(s->fd[w], p, left, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return RP_EIO;
        p += k;
        left -= (size_t)k;
        at += (uint64_t)k;
    }
    if (full)
        s->nbuf[w] = 0;
    return RP_OK;
}

int rpi_spill_write(rpi_spill *s, int w, const uint64_t *sh, size_t n, uint64_t *off)
{
    const char *p = (const char *)sh;
    size_t left = n * sizeof *sh;
    *off = s->size[w];
    if (!s->buf[w]) {
        void *b = NULL;
        if (posix_memalign(&b, ALIGN, SPILL_BUF) != 0)
            return RP_ENOMEM;
        s->buf[w] = b;
    }
    while (left) {
        size_t k = SPILL_BUF - s->nbuf[w];
        k = k < left ? k : left;
        memcpy(s->buf[w] + s->nbuf[w], p, k);
        s->nbuf[w] += k;
        s->size[w] += k;
        p += k;
        left -= k;
        if (s->nbuf[w] == SPILL_BUF)
            RP_TRY(flush_one(s, w, 1));
    }
    return RP_OK;
}

int rpi_spill_flush(rpi_spill *s)
{
    for (int w = 0; w < s->n; w++)
        RP_TRY(flush_one(s, w, 0));
    return RP_OK;
}

void rpi_spill_prefetch(const rpi_spill *s, int w, uint64_t off, size_t n)
{
    /* The writes bypassed the page cache, so a read goes to the disk: asking
     * for every needed range first lets the disk work on many at once. */
    (void)posix_fadvise(s->rfd[w], (off_t)off, (off_t)(n * sizeof(uint64_t)),
                        POSIX_FADV_WILLNEED);
}

int rpi_spill_read(const rpi_spill *s, int w, uint64_t off, size_t n, uint64_t *out)
{
    char *p = (char *)out;
    size_t left = n * sizeof *out;
    if (off > s->size[w] || left > s->size[w] - off)
        return RP_EIO; /* beyond what was written (the padding is not data) */
    while (left) {
        ssize_t k = pread(s->rfd[w], p, left, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return RP_EIO;
        p += k;
        left -= (size_t)k;
        off += (uint64_t)k;
    }
    return RP_OK;
}

void rpi_spill_close(rpi_spill *s)
{
    for (int i = 0; i < s->n; i++) {
        if (s->rfd[i] != s->fd[i])
            close(s->rfd[i]);
        close(s->fd[i]);
        free(s->buf[i]); /* from posix_memalign */
    }
    rpi_free(s->rfd);
    rpi_free(s->buf);
    rpi_free(s->nbuf);
    rpi_free(s->fd);
    rpi_free(s->size);
    memset(s, 0, sizeof *s);
}
