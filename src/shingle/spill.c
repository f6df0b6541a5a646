/* SPDX-License-Identifier: MIT */
/*
 * spill.c -- temporary on-disk store of shingle hashes (see shingle.h).
 * Files live in $TMPDIR (default /tmp) and are unlinked at once, so they
 * vanish with the process whatever happens.
 */
#define _POSIX_C_SOURCE 200809L
#include "shingle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int rpi_spill_open(rpi_spill *s, int nwriters, char *err, size_t errcap)
{
    memset(s, 0, sizeof *s);
    s->fd = rpi_malloc((size_t)nwriters * sizeof *s->fd);
    s->size = rpi_calloc((size_t)nwriters, sizeof *s->size);
    s->buf = rpi_calloc((size_t)nwriters, sizeof *s->buf);
    s->nbuf = rpi_calloc((size_t)nwriters, sizeof *s->nbuf);
    if (!s->fd || !s->size || !s->buf || !s->nbuf) {
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
        s->fd[s->n++] = fd;
    }
    return RP_OK;
}

enum { SPILL_BUF = 1 << 20 };

static int write_all(int fd, const char *p, size_t left)
{
    while (left) {
        ssize_t k = write(fd, p, left);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return RP_EIO;
        p += k;
        left -= (size_t)k;
    }
    return RP_OK;
}

int rpi_spill_write(rpi_spill *s, int w, const uint64_t *sh, size_t n, uint64_t *off)
{
    size_t bytes = n * sizeof *sh;
    *off = s->size[w];
    s->size[w] += bytes;
    if (!s->buf[w] && !(s->buf[w] = rpi_malloc(SPILL_BUF)))
        return RP_ENOMEM;
    if (s->nbuf[w] + bytes > SPILL_BUF) {
        RP_TRY(write_all(s->fd[w], s->buf[w], s->nbuf[w]));
        s->nbuf[w] = 0;
    }
    if (bytes > SPILL_BUF)
        return write_all(s->fd[w], (const char *)sh, bytes);
    memcpy(s->buf[w] + s->nbuf[w], sh, bytes);
    s->nbuf[w] += bytes;
    return RP_OK;
}

int rpi_spill_flush(rpi_spill *s)
{
    for (int w = 0; w < s->n; w++) {
        if (s->nbuf[w])
            RP_TRY(write_all(s->fd[w], s->buf[w], s->nbuf[w]));
        s->nbuf[w] = 0;
    }
    return RP_OK;
}

int rpi_spill_read(const rpi_spill *s, int w, uint64_t off, size_t n, uint64_t *out)
{
    char *p = (char *)out;
    size_t left = n * sizeof *out;
    while (left) {
        ssize_t k = pread(s->fd[w], p, left, (off_t)off);
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
        close(s->fd[i]);
        if (s->buf)
            rpi_free(s->buf[i]);
    }
    rpi_free(s->buf);
    rpi_free(s->nbuf);
    rpi_free(s->fd);
    rpi_free(s->size);
    memset(s, 0, sizeof *s);
}
