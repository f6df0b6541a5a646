/* SPDX-License-Identifier: MIT */
/*
 * cli_common.c -- argument parsing, messages, progress line and atomic
 * (optionally compressed) output files shared by the subcommands.
 */
#define _GNU_SOURCE /* fopencookie */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "cli.h"

const rp_transport *cli_transport;
int cli_silent;

/* A silent rank's last message, for cli_ranks_agree: a failure is the last thing
 * said before it (what came before, "skipped ...", is not why it failed). */
static char silent_msg[1024];

void cli_error(const char *fmt, ...)
{
    va_list ap;
    if (cli_silent) {
        va_start(ap, fmt);
        vsnprintf(silent_msg, sizeof silent_msg, fmt, ap);
        va_end(ap);
        return;
    }
    va_start(ap, fmt);
    fputs("reprint: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cli_exit_code(int rc)
{
    switch (rc) {
    case RP_OK: return EXIT_OK;
    case RP_EBADINPUT: return EXIT_BADINPUT;
    case RP_EINVAL: return EXIT_USAGE;
    case RP_EIO: return EXIT_IO;
    default: return EXIT_INTERNAL;
    }
}

/* ---- progress line ------------------------------------------------------------ */

typedef struct progress {
    struct timespec t0; /* start */
    int shown; /* a line is on the terminal */
    const char *phase; /* phase of the last report */
    double phase_t0; /* when that phase was first reported, seconds since t0 */
} progress;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* One line, rewritten in place: the phase, done of total, its rate, the time
 * so far and the library's estimate for the whole run. */
static void on_progress(void *user, const rp_progress *r)
{
    progress *p = user;
    double el = since(&p->t0);
    if (strcmp(r->unit, "bytes") == 0) {
        fprintf(stderr, "\r\033[Kreprint: %s %llu docs", r->phase, (unsigned long long)r->ndocs);
        if (r->total)
            fprintf(stderr, " (%.0f%%)", 100.0 * (double)r->done / (double)r->total);
        fprintf(stderr, "  %.1f MB/s", el > 0 ? r->done / 1e6 / el : 0);
    } else {
        if (p->phase != r->phase) {
            p->phase = r->phase;
            p->phase_t0 = el;
        }
        double pel = el - p->phase_t0;
        fprintf(stderr, "\r\033[Kreprint: %s %llu/%llu %s", r->phase,
                (unsigned long long)r->done, (unsigned long long)r->total, r->unit);
        if (pel > 0 && r->done)
            fprintf(stderr, "  %.0f/s", (double)r->done / pel);
    }
    fprintf(stderr, "  %.1f s", el);
    if (r->eta >= 0)
        fprintf(stderr, "  ETA %.0f s", r->eta);
    p->shown = 1;
}

static void on_warn(void *user, const char *msg)
{
    progress *p = user;
    if (p->shown) {
        fputs("\r\033[K", stderr);
        p->shown = 0;
    }
    cli_error("%s", msg);
}

int cli_ranks_agree(int ex)
{
    const rp_transport *t = cli_transport;
    size_t n = (size_t)t->size, len = ex != EXIT_OK ? strlen(silent_msg) : 0;
    uint64_t *out = calloc(4 * n, sizeof *out), *in = out + n, *bout = in + n, *bin = bout + n;
    char *recv = NULL;
    int code = EXIT_INTERNAL;
    if (!out)
        return EXIT_INTERNAL; /* the job cannot go on: mpirun ends it */
    for (size_t i = 0; i < n; i++)
        out[i] = (uint64_t)(uint32_t)ex << 32 | (i == 0 ? len : 0);
    if (t->counts(t->user, out, in) != 0)
        goto done;
    size_t total = 0, first = n;
    for (size_t i = 0; i < n; i++) {
        bout[i] = i == 0 ? len : 0;
        bin[i] = in[i] & 0xFFFFFFFF;
        total += (size_t)bin[i];
        if (first == n && in[i] >> 32)
            first = i;
    }
    recv = malloc(total + 1);
    if (!recv || t->exchange(t->user, silent_msg, bout, recv, bin) != 0)
        goto done;
    code = first == n ? EXIT_OK : (int)(in[first] >> 32);
    if (first > 0 && first < n && t->rank == 0 && bin[first]) { /* rank 0 printed its own */
        size_t at = 0;
        for (size_t i = 0; i < first; i++)
            at += (size_t)bin[i];
        fprintf(stderr, "reprint: rank %zu: %.*s\n", first, (int)bin[first], recv + at);
    }
done:
    silent_msg[0] = 0;
    free(recv);
    free(out);
    return code;
}

int cli_run_corpus(cli_opts *o, rp_corpus **out)
{
    static progress p;
    clock_gettime(CLOCK_MONOTONIC, &p.t0);
    p.shown = 0;
    p.phase = NULL;
    o->lib.user = &p;
    o->lib.warn = on_warn;
    if (!o->quiet && !cli_silent && isatty(STDERR_FILENO))
        o->lib.progress = on_progress;
    if (o->local_inputs && !cli_transport) {
        cli_error("--local-inputs is for reprint-mpi (each rank reads the inputs given to it)");
        return EXIT_USAGE;
    }
    rp_corpus *c = NULL;
    int rc = rp_corpus_open(&c, &o->lib);
    if (rc == RP_OK && cli_transport) {
        rp_transport t = *cli_transport;
        t.local_inputs = o->local_inputs;
        t.all_texts = o->html != NULL || o->lib.list_furniture; /* outputs showing every text */
        t.no_texts = !t.all_texts && !o->passages && !o->differences; /* or none */
        rc = rp_corpus_set_transport(c, &t);
    }
    int opened = rc == RP_OK;
    for (int i = 0; rc == RP_OK && i < o->ninputs; i++)
        rc = rp_corpus_add_input(c, o->inputs[i]);
    /* On ranks, an input that one rank cannot open fails the run on every
     * rank: the run is where they learn it (else the others would wait). */
    if (rc == RP_OK || (opened && cli_transport))
        rc = rp_corpus_run(c);
    if (p.shown)
        fputs("\r\033[K", stderr);
    if (rc == RP_OK && rp_corpus_nskipped(c))
        cli_error("skipped %zu bad document%s (listed above)", rp_corpus_nskipped(c),
                  rp_corpus_nskipped(c) == 1 ? "" : "s");
    if (rc != RP_OK) {
        const char *m = c ? rp_errmsg(c) : "";
        cli_error("%s", *m ? m : rp_strerror(rc));
        rp_corpus_close(c);
        return cli_exit_code(rc);
    }
    *out = c;
    return EXIT_OK;
}

/* ---- temporary files removed on a fatal signal ------------------------------- */

/*
 * The temporary names of the outputs being written. The handler of the
 * signals that end the process only reads these and calls unlink() (which is
 * async-signal-safe), then dies of the same signal. A slot is filled once its
 * file exists and emptied only after the file was renamed or removed, so a
 * signal at any moment leaves no temporary file behind.
 */
enum { MAX_LIVE = 8 };
static char *volatile live_tmp[MAX_LIVE];
static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

static void on_fatal_signal(int sig)
{
    int saved = errno;
    for (int i = 0; i < MAX_LIVE; i++) {
        char *p = live_tmp[i];
        if (p)
            unlink(p);
    }
    errno = saved;
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns: the process dies of sig */
}

/* Install on_fatal_signal once, except for the signals this process was started
 * with ignored (nohup, a background job): those stay ignored. */
static void catch_fatal_signals(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
        sigaddset(&sa.sa_mask, fatal_signals[i]);
    for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++) {
        struct sigaction old;
        if (sigaction(fatal_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(fatal_signals[i], &sa, NULL);
    }
}

/* Block (or unblock) the fatal signals in this thread around a registry change. */
static void hold_fatal_signals(int hold, sigset_t *old)
{
    if (hold) {
        sigset_t set;
        sigemptyset(&set);
        for (size_t i = 0; i < sizeof fatal_signals / sizeof *fatal_signals; i++)
            sigaddset(&set, fatal_signals[i]);
        pthread_sigmask(SIG_BLOCK, &set, old);
    } else {
        pthread_sigmask(SIG_SETMASK, old, NULL);
    }
}

static void live_add(char *tmp)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (!live_tmp[i]) {
            live_tmp[i] = tmp;
            return;
        }
}

static void live_remove(const char *tmp)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (live_tmp[i] == tmp)
            live_tmp[i] = NULL;
}

/* The mode of a new file: 0666 minus the umask, as open() would give it. */
static mode_t new_file_mode(void)
{
    static int known;
    static mode_t mask;
    if (!known) {
        mask = umask(0);
        umask(mask);
        known = 1;
    }
    return (mode_t)0666 & ~mask;
}

/* ---- output files ------------------------------------------------------------- */

enum { OUT_PLAIN, OUT_GZIP, OUT_ZSTD };

struct cli_out {
    char *path; /* final name */
    char *tmp; /* temporary name, or NULL when written in place or to stdout */
    FILE *raw; /* the file written to (temporary or in place); NULL for stdout */
    FILE *f; /* what the caller writes to (raw, or a compressing cookie stream) */
    int kind; /* OUT_* */
    z_stream z; /* gzip state */
    ZSTD_CStream *zs; /* zstd state */
    int failed; /* a write failed */
    int finished; /* cli_out_finish succeeded: only the rename is left */
};

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Compress buf (or finish the stream when end) into h->raw. */
static int compress_out(cli_out *h, const char *buf, size_t n, int end)
{
    unsigned char tmp[1 << 16];
    if (h->kind == OUT_GZIP) {
        h->z.next_in = (unsigned char *)(uintptr_t)buf;
        h->z.avail_in = (uInt)n;
        int zr;
        do {
            h->z.next_out = tmp;
            h->z.avail_out = sizeof tmp;
            zr = deflate(&h->z, end ? Z_FINISH : Z_NO_FLUSH);
            size_t got = sizeof tmp - h->z.avail_out;
            if (got && fwrite(tmp, 1, got, h->raw) != got)
                return -1;
        } while (h->z.avail_out == 0 || (end && zr != Z_STREAM_END));
        return 0;
    }
    ZSTD_inBuffer ib = {buf, n, 0};
    for (;;) {
        ZSTD_outBuffer ob = {tmp, sizeof tmp, 0};
        size_t left = ZSTD_compressStream2(h->zs, &ob, &ib, end ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(left))
            return -1;
        if (ob.pos && fwrite(tmp, 1, ob.pos, h->raw) != ob.pos)
            return -1;
        if (end ? left == 0 : ib.pos == ib.size)
            return 0;
    }
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
    cli_out *h = cookie;
    if (compress_out(h, buf, n, 0) != 0) {
        h->failed = 1;
        return -1;
    }
    return (ssize_t)n;
}

/*
 * A new name, or an existing regular file, is written to PATH.tmp-XXXXXX and
 * renamed over PATH when complete. A symbolic link to a regular file
 * (link.jsonl -> data.jsonl) is resolved, and the same is done next to its
 * target, so the link stays and an input behind it is never truncated while
 * it is still being read. Anything else -- a device, a FIFO, a link into
 * /dev or /proc (/dev/stdout -> /proc/self/fd/1), a dangling link -- is
 * opened and written in place: renaming over it would replace the device
 * node, or the file that standard output already has open.
 */
static int write_in_place(const char *path, char **resolved)
{
    struct stat st;
    *resolved = NULL;
    if (lstat(path, &st) != 0)
        return 0; /* a new file */
    if (S_ISREG(st.st_mode))
        return 0;
    if (!S_ISLNK(st.st_mode))
        return 1;
    char to[4096];
    ssize_t k = readlink(path, to, sizeof to - 1);
    if (k < 0)
        return 1;
    to[k] = 0;
    if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0 ||
        strncmp(to, "/dev/", 5) == 0 || strncmp(to, "/proc/", 6) == 0)
        return 1;
    char *real = realpath(path, NULL);
    if (!real || stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
        free(real);
        return 1;
    }
    *resolved = real;
    return 0;
}

FILE *cli_out_open(const char *path, cli_out **hp)
{
    *hp = NULL;
    cli_out *h = calloc(1, sizeof *h);
    if (!h) {
        cli_error("out of memory");
        return NULL;
    }
    if (strcmp(path, "-") == 0) {
        h->f = stdout;
        *hp = h;
        return stdout;
    }
    h->kind = ends_with(path, ".gz") ? OUT_GZIP : ends_with(path, ".zst") ? OUT_ZSTD : OUT_PLAIN;
    char *resolved;
    int in_place = write_in_place(path, &resolved);
    if (resolved)
        path = resolved; /* a link to a regular file: replace the target */
    size_t n = strlen(path);
    h->path = strdup(path);
    free(resolved);
    if (!h->path)
        goto nomem;
    path = h->path;
    if (in_place) {
        h->raw = fopen(path, "w");
        if (!h->raw) {
            cli_error("%s: cannot open: %s", path, strerror(errno));
            goto fail;
        }
    } else {
        h->tmp = malloc(n + 16);
        if (!h->tmp)
            goto nomem;
        snprintf(h->tmp, n + 16, "%s.tmp-XXXXXX", path);
        mode_t mode = new_file_mode();
        catch_fatal_signals();
        sigset_t held;
        hold_fatal_signals(1, &held);
        int fd = mkstemp(h->tmp);
        if (fd >= 0)
            live_add(h->tmp);
        hold_fatal_signals(0, &held);
        if (fd < 0) {
            cli_error("%s: cannot create: %s", path, strerror(errno));
            free(h->tmp);
            h->tmp = NULL;
            goto fail;
        }
        /* mkstemp creates the file 0600; give it the mode open() would have. */
        if (fchmod(fd, mode) != 0 || !(h->raw = fdopen(fd, "w"))) {
            cli_error("%s: cannot create: %s", path, strerror(errno));
            close(fd);
            goto fail;
        }
    }
    if (h->kind == OUT_PLAIN) {
        h->f = h->raw;
    } else {
        if (h->kind == OUT_GZIP && deflateInit2(&h->z, 6, Z_DEFLATED, 15 + 16, 8,
                                                Z_DEFAULT_STRATEGY) != Z_OK)
            goto nomem;
        if (h->kind == OUT_ZSTD && !(h->zs = ZSTD_createCStream()))
            goto nomem;
        cookie_io_functions_t io = {NULL, cookie_write, NULL, NULL};
        h->f = fopencookie(h, "w", io);
        if (!h->f)
            goto nomem;
    }
    *hp = h;
    return h->f;
nomem:
    cli_error("out of memory");
fail:
    cli_out_abort(h);
    return NULL;
}

/* Remove the temporary file (if any) and forget it. */
static void drop_tmp(cli_out *h)
{
    if (h->tmp) {
        unlink(h->tmp);
        live_remove(h->tmp);
    }
}

static void out_free(cli_out *h)
{
    if (h->kind == OUT_GZIP)
        deflateEnd(&h->z);
    ZSTD_freeCStream(h->zs);
    free(h->path);
    free(h->tmp);
    free(h);
}

int cli_out_finish(cli_out *h)
{
    if (h->finished)
        return EXIT_OK;
    if (!h->tmp && !h->raw) { /* standard output */
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_error("cannot write to standard output: %s", strerror(errno));
            return EXIT_IO;
        }
        h->finished = 1;
        return EXIT_OK;
    }
    int bad = 0;
    if (h->f != h->raw) {
        bad |= fclose(h->f) != 0 || h->failed;
        h->f = NULL;
        bad |= compress_out(h, NULL, 0, 1) != 0;
    }
    bad |= fflush(h->raw) != 0 || ferror(h->raw);
    if (h->tmp)
        bad |= fsync(fileno(h->raw)) != 0;
    bad |= fclose(h->raw) != 0;
    h->raw = NULL;
    h->f = NULL;
    if (bad) {
        cli_error("%s: cannot write: %s", h->path, strerror(errno));
        return EXIT_IO;
    }
    h->finished = 1;
    return EXIT_OK;
}

int cli_out_commit(cli_out *h)
{
    if (cli_out_finish(h) != EXIT_OK) {
        cli_out_abort(h);
        return EXIT_IO;
    }
    if (h->tmp) {
        if (rename(h->tmp, h->path) != 0) {
            cli_error("%s: cannot write: %s", h->path, strerror(errno));
            cli_out_abort(h);
            return EXIT_IO;
        }
        live_remove(h->tmp); /* renamed: a signal from now on must not touch it */
    }
    out_free(h);
    return EXIT_OK;
}

void cli_out_abort(cli_out *h)
{
    if (!h)
        return;
    if (h->f && h->f != h->raw && h->f != stdout)
        fclose(h->f);
    if (h->raw)
        fclose(h->raw);
    drop_tmp(h);
    out_free(h);
}
