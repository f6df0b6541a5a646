/* SPDX-License-Identifier: MIT */
/*
 * bench_index.c -- the persistent index: how fast documents go in, how fast a
 * query is answered, how large the file grows.
 *
 *   build/bench/bench_index [-n N] [-b BATCH] [-s SINGLES] [-q QUERIES] [-d DIR] CORPUS.jsonl
 *
 * Builds an index in DIR (default $TMPDIR) of the first N documents of the
 * corpus (default: all but what the later steps take) in batches of BATCH
 * (default 1000), each one durable transaction; then adds SINGLES documents
 * one at a time (default 200: a newsroom's stream, each its own transaction
 * and fsync); then queries QUERIES documents not in it (default 200), each on
 * its own. Prints documents per second of the batches and of the single adds
 * (with the split of a bsize's time by step), the latency of single adds and
 * of queries (p50, p99, in process: what `reprint serve` adds to it is HTTP),
 * and the bytes on disk per document. Issue 11 asks for at least 2,000
 * documents/s for news-sized documents and a query p99 under 5 ms for a 2 KB
 * document. Never a test: timings vary with the machine and its load.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index_int.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *m, const rp_index *x)
{
    fprintf(stderr, "bench_index: %s%s%s\n", m, x ? ": " : "", x ? rp_index_errmsg(x) : "");
    exit(1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t k = (size_t)(p * (double)(n - 1) + 0.5);
    return n ? v[k] : 0;
}

/* The corpus's lines. */
typedef struct lines {
    char **v;
    size_t *len;
    size_t n;
} lines;

static lines read_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot read the corpus", NULL);
    lines l = {0};
    size_t cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    while ((got = getline(&line, &lcap, f)) > 0) {
        if (l.n == cap) {
            cap = cap ? 2 * cap : 1024;
            l.v = realloc(l.v, cap * sizeof *l.v);
            l.len = realloc(l.len, cap * sizeof *l.len);
            if (!l.v || !l.len)
                die("out of memory", NULL);
        }
        l.v[l.n] = malloc((size_t)got + 1);
        if (!l.v[l.n])
            die("out of memory", NULL);
        memcpy(l.v[l.n], line, (size_t)got + 1);
        l.len[l.n++] = (size_t)got;
    }
    free(line);
    fclose(f);
    return l;
}

/* Lines [from, to) as one buffer. */
static char *join(const lines *l, size_t from, size_t to, size_t *n)
{
    size_t total = 0;
    for (size_t i = from; i < to; i++)
        total += l->len[i];
    char *b = malloc(total + 1), *p = b;
    if (!b)
        die("out of memory", NULL);
    for (size_t i = from; i < to; i++) {
        memcpy(p, l->v[i], l->len[i]);
        p += l->len[i];
    }
    *n = total;
    return b;
}

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : 0;
}

int main(int argc, char **argv)
{
    size_t n = 0, bsize = 1000, singles = 200, queries = 200;
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    int opt;
    while ((opt = getopt(argc, argv, "n:b:s:q:d:")) != -1) {
        switch (opt) {
        case 'n': n = strtoul(optarg, NULL, 10); break;
        case 'b': bsize = strtoul(optarg, NULL, 10); break;
        case 's': singles = strtoul(optarg, NULL, 10); break;
        case 'q': queries = strtoul(optarg, NULL, 10); break;
        case 'd': dir = optarg; break;
        default:
            fprintf(stderr, "usage: bench_index [-n N] [-b BATCH] [-s SINGLES] [-q QUERIES] "
                            "[-d DIR] CORPUS.jsonl\n");
            return 2;
        }
    }
    if (optind != argc - 1 || !bsize)
        die("usage: bench_index [-n N] [-b BATCH] [-s SINGLES] [-q QUERIES] [-d DIR] CORPUS.jsonl",
            NULL);
    lines l = read_lines(argv[optind]);
    if (!n || n + singles + queries > l.n)
        n = l.n > singles + queries ? l.n - singles - queries : 0;
    if (!n)
        die("the corpus is too small", NULL);
    char db[4096];
    snprintf(db, sizeof db, "%s/bench-index-%ld.db", dir, (long)getpid());
    rp_options o;
    rp_options_init(&o);
    rp_index *x = NULL;
    if (rp_index_create(&x, db, &o) != RP_OK)
        die("create", x);
    /* Batches. */
    double steps[RPI_T_N] = {0}, brunc[RPI_TC_N] = {0}, t0 = now();
    size_t bytes = 0, ncand = 0, nrunc = 0, nstored = 0;
    for (size_t i = 0; i < n; i += bsize) {
        size_t to = i + bsize < n ? i + bsize : n, len;
        char *b = join(&l, i, to, &len);
        bytes += len;
        if (rp_index_add_buffer(x, b, len, "batch", 0, NULL, NULL) != RP_OK)
            die("add", x);
        for (int k = 0; k < RPI_T_N; k++)
            steps[k] += x->t_add[k];
        for (int k = 0; k < RPI_TC_N; k++)
            brunc[k] += x->t_runc[k];
        ncand += x->ncandidates;
        nrunc += x->nrunc;
        nstored += x->nrunc_stored;
        free(b);
    }
    double tb = now() - t0;
    static const char *const runc_name[RPI_TC_N] = {
        "pass 1 (read, shingles)", "pass 2 (features)", "pass 3 (compare)",
        "the collection's counts", "the candidates' rows", "setup, the rest"};
    static const char *const step_name[RPI_T_N] = {
        "run A (new documents)", "ids", "counts", "candidates", "run C (with candidates)",
        "placement", "writing", "commit"};
    printf("index of %zu documents (%.1f MB), batches of %zu: %.2f s, %.0f documents/s, "
           "%.1f candidates a document\n",
           n, (double)bytes / 1e6, bsize, tb, (double)n / tb, (double)ncand / (double)n);
    for (int k = 0; k < RPI_T_N; k++)
        printf("  %-26s %6.2f s  %4.1f%%\n", step_name[k], steps[k], 100 * steps[k] / tb);
    for (int k = 0; k < RPI_TC_N; k++)
        printf("    run C %-22s %6.2f s\n", runc_name[k], brunc[k]);
    printf("  run C took the stored features of %.1f%% of its documents (README \"Stored "
           "features\"); batches done again: %zu; batches that wrote their postings and "
           "counts ahead: %zu\n",
           nrunc ? 100.0 * (double)nstored / (double)nrunc : 0.0, x->nretries, x->nahead);
    /* One at a time. */
    double *lat = malloc((singles + queries + 1) * sizeof *lat);
    if (!lat)
        die("out of memory", NULL);
    t0 = now();
    for (size_t i = 0; i < singles; i++) {
        double t = now();
        if (rp_index_add_buffer(x, l.v[n + i], l.len[n + i], "single", 0, NULL, NULL) != RP_OK)
            die("add one", x);
        lat[i] = 1e3 * (now() - t);
    }
    double ts = now() - t0;
    if (singles)
        printf("single adds (each durable): %.0f documents/s, latency p50 %.1f ms, p99 %.1f ms, "
               "max %.1f ms\n", (double)singles / ts, pct(lat, singles, 0.5),
               pct(lat, singles, 0.99), pct(lat, singles, 1.0));
    /* Queries. */
    size_t qbytes = 0;
    double qsteps[RPI_T_N] = {0}, qrunc[RPI_TC_N] = {0};
    size_t *qcand = calloc(queries + 1, sizeof *qcand), qrun = 0, qstored = 0;
    double *glat = calloc(queries + 1, sizeof *glat);
    if (!qcand || !glat)
        die("memory", NULL);
    for (size_t i = 0; i < queries; i++) {
        const char *line = l.v[n + singles + i];
        qbytes += l.len[n + singles + i];
        double t = now();
        if (rp_index_add_buffer(x, line, l.len[n + singles + i], "query", RP_INDEX_QUERY, NULL,
                                NULL) != RP_OK)
            die("query", x);
        lat[i] = 1e3 * (now() - t);
        qcand[i] = x->ncandidates;
        qrun += x->nrunc;
        qstored += x->nrunc_stored;
        for (int k = 0; k < RPI_T_N; k++)
            qsteps[k] += x->t_add[k];
        for (int k = 0; k < RPI_TC_N; k++)
            qrunc[k] += x->t_runc[k];
    }
    /* The tail: a query costs in proportion to its candidates (run C). */
    static const size_t edge[] = {0, 1, 3, 10, 30, SIZE_MAX};
    size_t gm[5] = {0};
    double g50[5] = {0}, g99[5] = {0};
    char hi[32];
    for (int g = 0; g < 5; g++) {
        for (size_t i = 0; i < queries; i++)
            if (qcand[i] >= edge[g] && qcand[i] < edge[g + 1])
                glat[gm[g]++] = lat[i];
        if (gm[g]) {
            g50[g] = pct(glat, gm[g], 0.5);
            g99[g] = pct(glat, gm[g], 0.99);
        }
    }
    free(qcand);
    free(glat);
    double qp99 = queries ? pct(lat, queries, 0.99) : 0;
    if (queries)
        printf("queries (documents of %.1f KB on average): p50 %.1f ms, p99 %.1f ms\n",
               (double)qbytes / (double)queries / 1e3, pct(lat, queries, 0.5), qp99);
    for (int k = 0; queries && k < RPI_T_N; k++)
        if (qsteps[k] > 0)
            printf("  %-26s %6.2f ms a query\n", step_name[k], 1e3 * qsteps[k] / (double)queries);
    for (int g = 0; g < 5; g++)
        if (gm[g])
            printf("    %2zu-%-3s candidates: %5.1f%% of queries, p50 %5.1f ms, p99 %5.1f ms\n",
                   edge[g], g < 4 ? (snprintf(hi, sizeof hi, "%zu", edge[g + 1] - 1), hi) : "",
                   100.0 * (double)gm[g] / (double)queries, g50[g], g99[g]);
    for (int k = 0; queries && k < RPI_TC_N; k++)
        printf("    run C %-22s %6.2f ms a query\n", runc_name[k], 1e3 * qrunc[k] / (double)queries);
    if (qrun)
        printf("    run C took the stored features of %.1f%% of its documents\n",
               100.0 * (double)qstored / (double)qrun);
    rp_index_info st;
    rp_index_stats(x, &st);
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", db);
    rp_index_close(x);
    x = NULL;
    printf("on disk (closed): %.1f MB, %.0f bytes a document (%.2f per input byte); %llu pairs, %llu "
           "stories\n",
           (double)(file_size(db) + file_size(wal)) / 1e6,
           (double)(file_size(db) + file_size(wal)) / (double)st.ndocs,
           (double)(file_size(db) + file_size(wal)) / (double)bytes,
           (unsigned long long)st.npairs, (unsigned long long)st.nstories);
    printf("goals (issue 11): >= 2,000 documents/s added: %s; query p99 < 5 ms: %s\n",
           (double)n / tb >= 2000 ? "met" : "not met", qp99 < 5 ? "met" : "not met");
    unlink(db);
    unlink(wal);
    char shm[4200];
    snprintf(shm, sizeof shm, "%s-shm", db);
    unlink(shm);
    free(lat);
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i]);
    free(l.v);
    free(l.len);
    return 0;
}
