/* SPDX-License-Identifier: MIT */
/*
 * spill.c -- temporary on-disk store of shingle hashes (see shingle.h).
 * Files live in $TMPDIR (default /tmp) and are unlinked at once, so they
 * vanish with the process whatever happens.
 */
#define _GNU_SOURCE /* O_DIRECT */
#include "shingle.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Blocks are 2 MiB. A writer's first block has plain pages; the next ones are
 * one transparent huge page each (aligned, MADV_HUGEPAGE: rpi_malloc_huge).
 * Filled once and dropped whole, a large run's blocks gained nothing from
 * 4 KiB pages but a fault each: with 1 MiB blocks of 4 KiB pages, 73% of the
 * page faults of `scan --fast` were these writes (19,700 faults on 20,000
 * planted-copy articles, 45 MB); with huge pages the run takes 5,300 and its
 * wall time went 0.237 to 0.149 s, best of five side by side (news corpus:
 * 0.202 to 0.153 s). But a huge page is cleared whole when first touched,
 * and a small run (an index query: a few KB) touches a page or two of its
 * first block: with every block huge, queries went p50 0.7 to 1.1 ms and
 * single adds 3.5 to 4.1 ms (`bench_index -n 6000`). Hence the first block
 * plain, unless the input is known to fill several blocks a writer (or is of
 * unknown size: a pipe, an application's documents): there the first blocks
 * were 1,100 of the 4,000 page faults left of `scan --fast` on those 20,000
 * articles (rpi_spill_expect).
 */
enum { SPILL_BUF = 1 << 21, ALIGN = 4096 /* O_DIRECT: the last block is padded to this */, NSPARE = 3 };

/* A full block on its way to the disk. */
typedef struct job {
    int w; /* writer (file) */
    char *buf; /* the block */
    uint64_t at; /* file offset */
} job;

struct rpi_spill_io {
    pthread_t thread; /* the writer thread */
    pthread_mutex_t mu; /* guards everything below */
    pthread_cond_t cv; /* any change */
    job *queue; /* ring of pending jobs, capacity qcap */
    int qcap, qhead, qlen; /* ring capacity, first, length */
    int busy; /* a job is being written */
    char **spare; /* per writer: NSPARE free blocks (NULL where taken) */
    int stop; /* the thread exits when the queue is empty */
    int started; /* the thread exists (started with the files) */
    int files; /* the files exist: 1, or -1 when they could not be made */
    int err; /* RP_EIO once a write failed */
};

static void *writer_main(void *arg)
{
    rpi_spill *s = arg;
    rpi_spill_io *io = s->io;
    rpi_thread_block_signals();
    pthread_mutex_lock(&io->mu);
    for (;;) {
        while (!io->stop && io->qlen == 0)
            pthread_cond_wait(&io->cv, &io->mu);
        if (io->qlen == 0)
            break;
        job j = io->queue[io->qhead];
        io->qhead = (io->qhead + 1) % io->qcap;
        io->qlen--;
        io->busy = 1;
        pthread_mutex_unlock(&io->mu);
        int rc = rpi_pwrite_all(s->fd[j.w], j.buf, SPILL_BUF, j.at);
        int errnum = errno;
        pthread_mutex_lock(&io->mu);
        if (rc != RP_OK && !io->err) {
            io->err = rc;
            s->errnum = errnum;
        }
        int kept = 0;
        for (int k = 0; k < NSPARE && !kept; k++)
            if (!io->spare[j.w * NSPARE + k]) {
                io->spare[j.w * NSPARE + k] = j.buf;
                kept = 1;
            }
        if (!kept)
            free(j.buf);
        io->busy = 0;
        pthread_cond_broadcast(&io->cv);
    }
    pthread_mutex_unlock(&io->mu);
    return NULL;
}

/* A block of the store: plain pages for a writer's first (huge = 0), a huge
 * page for the next ones. */
static void *aligned_block(int huge)
{
    if (huge)
        return rpi_malloc_huge(SPILL_BUF);
    void *b = NULL;
    return posix_memalign(&b, ALIGN, SPILL_BUF) == 0 ? b : NULL;
}

static void go_direct(rpi_spill *s, int i);

/* The writer thread's state (its thread, files and spare blocks come with
 * the first block that goes to disk: a run that fits in memory makes none). */
static int io_init(rpi_spill *s)
{
    rpi_spill_io *io = rpi_calloc(1, sizeof *io);
    if (!io)
        return RP_ENOMEM;
    s->io = io;
    /* Every block a writer owns (its current one and NSPARE spares) can be
     * queued at once while the disk is slow. */
    io->qcap = s->n * (NSPARE + 1);
    io->queue = rpi_calloc((size_t)io->qcap, sizeof *io->queue);
    io->spare = rpi_calloc((size_t)s->n * NSPARE, sizeof *io->spare);
    if (!io->queue || !io->spare)
        return RP_ENOMEM;
    pthread_mutex_init(&io->mu, NULL);
    pthread_cond_init(&io->cv, NULL);
    return RP_OK;
}

/*
 * Make the files, the spare blocks and the writer thread, once (any writer
 * may come first). Under io->mu. A failure is the store's write error.
 */
static int io_files(rpi_spill *s)
{
    rpi_spill_io *io = s->io;
    if (io->files)
        return io->files > 0 ? RP_OK : RP_EIO;
    io->files = -1;
    for (int i = 0; i < s->n; i++) {
        int fd = rpi_tmpfile();
        if (fd < 0) {
            s->errnum = errno;
            return RP_EIO;
        }
        s->fd[i] = fd;
        go_direct(s, i);
    }
    for (int k = 0; k < s->n * NSPARE; k++)
        if (!(io->spare[k] = aligned_block(1)))
            return RP_ENOMEM;
    if (pthread_create(&io->thread, NULL, writer_main, s) != 0)
        return RP_ENOMEM;
    io->started = 1;
    io->files = 1;
    return RP_OK;
}

const char *rpi_tmpdir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

int rpi_tmpfile(void)
{
    char path[4096];
    rpi_fmt(path, sizeof path, "%s/reprint-spill-XXXXXX", rpi_tmpdir());
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

/* Wait until every queued block is on disk. Caller holds no lock. */
static int io_drain(rpi_spill_io *io)
{
    pthread_mutex_lock(&io->mu);
    while (io->qlen || io->busy)
        pthread_cond_wait(&io->cv, &io->mu);
    int rc = io->err;
    pthread_mutex_unlock(&io->mu);
    return rc;
}

static void io_stop(rpi_spill *s)
{
    rpi_spill_io *io = s->io;
    if (!io)
        return;
    if (io->started) {
        pthread_mutex_lock(&io->mu);
        io->stop = 1;
        pthread_cond_broadcast(&io->cv);
        pthread_mutex_unlock(&io->mu);
        pthread_join(io->thread, NULL);
    }
    if (io->queue && io->spare) { /* io_init got past its allocations */
        pthread_mutex_destroy(&io->mu);
        pthread_cond_destroy(&io->cv);
    }
    if (io->spare)
        for (int k = 0; k < s->n * NSPARE; k++)
            free(io->spare[k]);
    rpi_free(io->spare);
    rpi_free(io->queue);
    rpi_free(io);
    s->io = NULL;
}

/* Hand the full block of writer w to the thread; take a spare one. */
static int io_submit(rpi_spill *s, int w)
{
    rpi_spill_io *io = s->io;
    pthread_mutex_lock(&io->mu);
    if (!io->err)
        io->err = io_files(s);
    if (io->err) { /* the disk failed: keep the block, queue nothing more */
        int rc = io->err;
        pthread_mutex_unlock(&io->mu);
        s->nbuf[w] = 0;
        return rc;
    }
    assert(io->qlen < io->qcap);
    io->queue[(io->qhead + io->qlen) % io->qcap] = (job){w, s->buf[w], s->size[w] - SPILL_BUF};
    io->qlen++;
    pthread_cond_broadcast(&io->cv);
    char *next = NULL;
    while (!next && !io->err) {
        for (int k = 0; k < NSPARE && !next; k++)
            if (io->spare[w * NSPARE + k]) {
                next = io->spare[w * NSPARE + k];
                io->spare[w * NSPARE + k] = NULL;
            }
        if (!next && !io->err)
            pthread_cond_wait(&io->cv, &io->mu);
    }
    int rc = io->err;
    pthread_mutex_unlock(&io->mu);
    /* Without a spare (the disk failed meanwhile), a fresh block is allocated
     * by the caller; the queued one comes back to a spare slot. */
    s->buf[w] = next;
    s->nbuf[w] = 0;
    return rc;
}

void rpi_spill_keep(rpi_spill *s, size_t bytes)
{
    s->keep = bytes;
}

void rpi_spill_expect(rpi_spill *s, uint64_t bytes)
{
    s->huge_first = bytes == 0 || bytes >= (uint64_t)4 * SPILL_BUF * (uint64_t)s->n;
}

size_t rpi_spill_kept(const rpi_spill *s)
{
    return s->kept;
}

/*
 * Keep the current block of writer w (block number blk) in memory when the
 * allowance has room for it; 1 when kept (the writer then needs a new block).
 */
static int keep_block(rpi_spill *s, int w, uint64_t blk)
{
    if (!s->keep)
        return 0;
    int room = 0;
    pthread_mutex_lock(&s->io->mu);
    if (s->kept + SPILL_BUF <= s->keep) {
        s->kept += SPILL_BUF;
        room = 1;
    }
    pthread_mutex_unlock(&s->io->mu);
    if (!room)
        return 0;
    size_t n = s->nmem[w];
    if (rpi_grow((void **)&s->mem[w], &s->capmem[w], (size_t)blk + 1, sizeof *s->mem[w]) !=
        RP_OK) {
        pthread_mutex_lock(&s->io->mu);
        s->kept -= SPILL_BUF;
        pthread_mutex_unlock(&s->io->mu);
        return 0;
    }
    for (; n < blk; n++)
        s->mem[w][n] = NULL;
    s->mem[w][blk] = s->buf[w];
    s->nmem[w] = (size_t)blk + 1;
    s->buf[w] = NULL;
    s->nbuf[w] = 0;
    return 1;
}

/* The kept block holding byte off of writer w, or NULL when it is on disk. */
static const char *mem_block(const rpi_spill *s, int w, uint64_t off)
{
    uint64_t blk = off / SPILL_BUF;
    return blk < s->nmem[w] ? s->mem[w][blk] : NULL;
}

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
    s->mem = rpi_calloc((size_t)nwriters, sizeof *s->mem);
    s->nmem = rpi_calloc((size_t)nwriters, sizeof *s->nmem);
    s->capmem = rpi_calloc((size_t)nwriters, sizeof *s->capmem);
    if (!s->fd || !s->rfd || !s->size || !s->buf || !s->nbuf || !s->mem || !s->nmem ||
        !s->capmem) {
        rpi_spill_close(s);
        return RP_ENOMEM;
    }
    for (int i = 0; i < nwriters; i++)
        s->fd[i] = s->rfd[i] = -1;
    s->n = nwriters;
    /* The files are made when a block first goes to disk; a directory
     * where none could be made is named now, before any work. */
    const char *dir = rpi_tmpdir();
    if (access(dir, W_OK | X_OK) != 0) {
        rpi_fmt(err, errcap, "cannot create a temporary file in %s: %s", dir, strerror(errno));
        rpi_spill_close(s);
        return RP_EIO;
    }
    int rc = io_init(s);
    if (rc != RP_OK)
        rpi_spill_close(s);
    return rc;
}

/*
 * Keep the partly filled block of writer w in memory, or write it at its
 * place in the file (a multiple of the block size), padded with zeros to
 * whole 4 KiB blocks.
 */
static int flush_partial(rpi_spill *s, int w)
{
    if (!s->buf[w])
        return RP_OK;
    size_t n = s->nbuf[w];
    if (n == 0)
        return RP_OK;
    if (keep_block(s, w, (s->size[w] - n) / SPILL_BUF))
        return RP_OK;
    pthread_mutex_lock(&s->io->mu);
    int rc = io_files(s);
    pthread_mutex_unlock(&s->io->mu);
    if (rc != RP_OK)
        return rc;
    size_t padded = (n + ALIGN - 1) / ALIGN * ALIGN;
    memset(s->buf[w] + n, 0, padded - n);
    __atomic_store_n(&s->ondisk, 1, __ATOMIC_RELAXED); /* any writer, same value */
    return rpi_pwrite_all(s->fd[w], s->buf[w], padded, s->size[w] - n);
}

int rpi_spill_write(rpi_spill *s, int w, const uint64_t *sh, size_t n, uint64_t *off)
{
    return rpi_spill_write_bytes(s, w, sh, n * sizeof *sh, off);
}

int rpi_spill_write_bytes(rpi_spill *s, int w, const void *data, size_t nbytes, uint64_t *off)
{
    static const char zero[8];
    const char *p = data;
    size_t left = nbytes;
    assert(!s->sealed);
    *off = s->size[w];
    if (!s->buf[w] && !(s->buf[w] = aligned_block(s->huge_first || s->size[w] >= SPILL_BUF)))
        return RP_ENOMEM;
    while (left) {
        size_t k = SPILL_BUF - s->nbuf[w];
        k = k < left ? k : left;
        memcpy(s->buf[w] + s->nbuf[w], p, k);
        s->nbuf[w] += k;
        s->size[w] += k;
        p += k;
        left -= k;
        if (s->nbuf[w] == SPILL_BUF) {
            if (keep_block(s, w, s->size[w] / SPILL_BUF - 1)) {
                if (!(s->buf[w] = aligned_block(1)))
                    return RP_ENOMEM;
                continue;
            }
            __atomic_store_n(&s->ondisk, 1, __ATOMIC_RELAXED);
            RP_TRY(io_submit(s, w));
            if (!s->buf[w] && !(s->buf[w] = aligned_block(1)))
                return RP_ENOMEM;
        }
        if (!left && p != zero + 8 && (s->size[w] & 7)) {
            /* Pad to 8 bytes, so that hash arrays written next stay aligned. */
            left = 8 - (s->size[w] & 7);
            p = zero + 8 - left;
        }
    }
    return RP_OK;
}

int rpi_spill_flush(rpi_spill *s)
{
    s->sealed = 1;
    if (s->io)
        RP_TRY(io_drain(s->io));
    for (int w = 0; w < s->n; w++)
        if (flush_partial(s, w) != RP_OK) {
            if (!s->errnum)
                s->errnum = errno;
            return RP_EIO;
        }
    return RP_OK;
}

void rpi_spill_prefetch(const rpi_spill *s, int w, uint64_t off, size_t n)
{
    /* The writes bypassed the page cache, so a read goes to the disk: asking
     * for every needed range first lets the disk work on many at once. */
    if (!s->ondisk || (mem_block(s, w, off) && mem_block(s, w, off + n * sizeof(uint64_t))))
        return;
    (void)posix_fadvise(s->rfd[w], (off_t)off, (off_t)(n * sizeof(uint64_t)),
                        POSIX_FADV_WILLNEED);
}

void rpi_spill_prefetch_all(const rpi_spill *s)
{
    if (!s->ondisk)
        return; /* all in memory */
    for (int w = 0; w < s->n; w++)
        (void)posix_fadvise(s->rfd[w], 0, (off_t)s->size[w], POSIX_FADV_WILLNEED);
}

void rpi_spill_errmsg(const rpi_spill *s, const char *what, char *dst, size_t cap)
{
    rpi_fmt(dst, cap, "cannot %s the temporary %s in %s: %s", what, s->name ? s->name : "store",
            rpi_tmpdir(), s->errnum ? strerror(s->errnum) : "I/O error");
}

int rpi_spill_read(const rpi_spill *s, int w, uint64_t off, size_t n, uint64_t *out)
{
    return rpi_spill_read_bytes(s, w, off, n * sizeof *out, out);
}

int rpi_spill_read_bytes(const rpi_spill *s, int w, uint64_t off, size_t nbytes, void *out)
{
    char *p = out;
    size_t left = nbytes;
    if (off > s->size[w] || left > s->size[w] - off)
        return RP_EIO; /* beyond what was written (the padding is not data) */
    while (left) {
        const char *m = mem_block(s, w, off);
        size_t in = (size_t)(off % SPILL_BUF), part = SPILL_BUF - in;
        if (part > left)
            part = left;
        if (m)
            memcpy(p, m + in, part);
        else
            RP_TRY(rpi_pread_all(s->rfd[w], p, part, off));
        p += part;
        left -= part;
        off += part;
    }
    return RP_OK;
}

void rpi_spill_close(rpi_spill *s)
{
    io_stop(s);
    for (int i = 0; i < s->n; i++) {
        if (s->rfd[i] != s->fd[i])
            close(s->rfd[i]);
        if (s->fd[i] >= 0)
            close(s->fd[i]);
        free(s->buf[i]); /* from posix_memalign */
        for (size_t k = 0; k < s->nmem[i]; k++)
            free(s->mem[i][k]);
        rpi_free(s->mem[i]);
    }
    rpi_free(s->rfd);
    rpi_free(s->mem);
    rpi_free(s->nmem);
    rpi_free(s->capmem);
    rpi_free(s->buf);
    rpi_free(s->nbuf);
    rpi_free(s->fd);
    rpi_free(s->size);
    memset(s, 0, sizeof *s);
}
