/* SPDX-License-Identifier: MIT */
/*
 * bench_mpi.c -- what a run divided among ranks costs, per phase and rank,
 * and what it sends (issue 13): run by every rank of an MPI job,
 *
 *     mpirun -np N build/bench/bench_mpi [-d] [-l] [-n] [-j THREADS] [-m MEMORY] [-r RUNS] INPUT...
 *
 * runs the fast path (as reprint-mpi scan --fast), or with -d the default
 * scan (pass 2, candidates, comparison, collection on rank 0, the joins of
 * stories and timelines on it and the texts it fetches added to the phases;
 * with -n it fetches none, as for outputs that show no text), RUNS times
 * (default 3) and
 * prints, for the best run (least wall time on rank 0): the wall time; each
 * rank's seconds in pass 1 (reading its share), the merge on rank 0 (and the
 * waiting for it), LSH (band keys to their owners, bucketing, candidates to
 * their ranks) and verification (sets fetched, exact Jaccard), and rank 0's
 * finish; and the bytes each exchange sent between ranks per document, with
 * the largest share one rank sent; and each rank's peak memory (the whole
 * process over every run: with -r 1 and a small -m MEMORY, rp_options.memory,
 * the stores spill and what a rank holds beyond its budget shows, as rank
 * 0's records and pairs). bench/bench_mpi.sh runs it for 1, 2, 4
 * and 8 ranks beside one process of ./reprint. A benchmark, never a test.
 */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "corpus_int.h"
#include "mpi_transport.h"

static const char *const xname[RPI_X_N] = {
    "line counts", "ids to owners", "repeated ids", "documents to rank 0", "numbers from rank 0", "text hashes", "groups", "band keys",
    "fact requests", "facts", "candidates", "set requests", "sets", "verified pairs",
    "input names", "kept flags", "count keys", "count sums", "postings", "posting pairs",
    "copies", "doc requests", "docs for pairs", "results to rank 0", "text requests",
    "texts to rank 0", "vector requests", "vectors", "join parts", "joined to rank 0"};

enum { P_WALL, P_PASS1, P_MERGE, P_LSH, P_VERIFY, P_FINISH, P_INDEX, P_CANDS, P_COMPARE,
       P_COLLECT, P_JOIN, P_TEXTS, P_N };
static const char *const pname[P_N] = {"wall",   "pass 1",  "merge",   "LSH",  "verify",
                                       "finish", "pass 2",  "cands",   "compare",
                                       "collect", "join", "texts"};

/* The peak of this process's anonymous memory (RssAnon, KB), sampled every
 * 10 ms by a thread: the kernel keeps a peak of the whole resident set only
 * (ru_maxrss), which counts the clean pages of rank 0's mapped record store
 * that the kernel could drop. */
static volatile long anon_peak;
static volatile int anon_stop;

static long anon_now(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "RssAnon: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

static void *anon_main(void *arg)
{
    (void)arg;
    while (!anon_stop) {
        long kb = anon_now();
        if (kb > anon_peak)
            anon_peak = kb;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    return NULL;
}

/* The memory budget a run has when none is given. */
static size_t o_default_memory(void)
{
    rp_options o;
    rp_options_init(&o);
    return o.memory;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, size, threads = 1, runs = 3, opt, full = 0, local = 0, notexts = 0;
    size_t memory = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    while ((opt = getopt(argc, argv, "dlnj:m:r:")) != -1) {
        if (opt == 'd')
            full = 1;
        else if (opt == 'n')
            notexts = 1;
        else if (opt == 'l')
            local = 1;
        else if (opt == 'm') {
            char *end;
            memory = (size_t)strtoull(optarg, &end, 10);
            memory <<= *end == 'G' ? 30 : *end == 'M' ? 20 : *end == 'K' ? 10 : 0;
            if (memory == 0)
                goto usage;
        }
        else if (opt == 'j')
            threads = atoi(optarg);
        else if (opt == 'r')
            runs = atoi(optarg);
        else
            goto usage;
    }
    if (optind >= argc || runs < 1 || threads < 1)
        goto usage;
    rp_transport tp;
    if (cli_mpi_transport(&tp) != 0) {
        fprintf(stderr, "bench_mpi: cannot set up the transport\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    tp.local_inputs = local;
    tp.no_texts = notexts;
    double best[P_N] = {0}, *all = malloc(sizeof(double) * P_N * (size_t)size);
    uint64_t sent[RPI_X_N], sentall[RPI_X_N], sentmax[RPI_X_N];
    size_t ndocs = 0, npairs = 0;
    double bestwall = -1;
    uint64_t stored = 0;
    pthread_t sampler;
    int sampling = pthread_create(&sampler, NULL, anon_main, NULL) == 0;
    for (int run = 0; run < runs; run++) {
        rp_options o;
        rp_options_init(&o);
        o.fast = !full;
        o.threads = threads;
        if (memory)
            o.memory = memory;
        rp_corpus *c;
        if (rp_corpus_open(&c, &o) != RP_OK)
            MPI_Abort(MPI_COMM_WORLD, 1);
        for (int i = optind; i < argc; i++)
            if (rp_corpus_add_input(c, argv[i]) != RP_OK) {
                fprintf(stderr, "bench_mpi: %s\n", rp_errmsg(c));
                MPI_Abort(MPI_COMM_WORLD, 1);
            }
        rp_corpus_set_transport(c, &tp);
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = rpi_now();
        int rc = rp_corpus_run(c);
        double wall = rpi_now() - t0;
        if (rc != RP_OK) {
            if (rank == 0)
                fprintf(stderr, "bench_mpi: %s\n", rp_errmsg(c));
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        double mine[P_N] = {wall,       c->t_pass1, c->t_merge,   c->t_lsh,     c->t_verify,
                            c->t_cluster, c->t_index, c->t_cands, c->t_compare, c->t_collect,
                            c->t_join,  c->t_texts};
        double w0 = wall;
        MPI_Bcast(&w0, 1, MPI_DOUBLE, 0, MPI_COMM_WORLD);
        if (bestwall < 0 || w0 < bestwall) {
            bestwall = w0;
            memcpy(best, mine, sizeof best);
            memcpy(sent, c->dist_sent, sizeof sent);
            stored = c->dist_stored;
            if (rank == 0) {
                ndocs = rp_corpus_ndocs(c);
                npairs = rp_corpus_npairs(c);
            }
        }
        rp_corpus_close(c);
    }
    MPI_Gather(best, P_N, MPI_DOUBLE, all, P_N, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    anon_stop = 1;
    if (sampling)
        pthread_join(sampler, NULL);
    long peak[2] = {ru.ru_maxrss, anon_peak}, *peaks = malloc(sizeof *peaks * 2 * (size_t)size); /* KB */
    MPI_Gather(peak, 2, MPI_LONG, peaks, 2, MPI_LONG, 0, MPI_COMM_WORLD);
    MPI_Reduce(sent, sentall, RPI_X_N, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(sent, sentmax, RPI_X_N, MPI_UINT64_T, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        printf("%d rank(s), %d thread(s) each, best of %d: %.2f s wall, %zu documents "
               "(%.0f docs/s), %zu pairs\n",
               size, threads, runs, bestwall, ndocs, ndocs / bestwall, npairs);
        printf("  seconds per rank:  ");
        const int np = full ? P_N : P_INDEX;
        for (int p = 1; p < np; p++)
            printf(" %9s", pname[p]);
        printf("\n");
        for (int r = 0; r < size; r++) {
            printf("    rank %-3d         ", r);
            for (int p = 1; p < np; p++)
                printf(" %9.3f", all[r * P_N + p]);
            printf("\n");
        }
        printf("  bytes sent between ranks, per document (all ranks; the most one rank sent):\n");
        uint64_t total = 0;
        for (int x = 0; x < RPI_X_N; x++) {
            total += sentall[x];
            if (!sentall[x])
                continue;
            printf("    %-22s %10.1f  (%.1f)\n", xname[x],
                   ndocs ? (double)sentall[x] / (double)ndocs : 0.0,
                   ndocs ? (double)sentmax[x] / (double)ndocs : 0.0);
        }
        printf("    %-22s %10.1f\n", "total", ndocs ? (double)total / (double)ndocs : 0.0);
        printf("  peak memory per rank (whole process, every run; memory %.0f MB a rank; "
               "anonymous: sampled every 10 ms):\n",
               (double)(memory ? memory : o_default_memory()) / 1048576.0);
        for (int r = 0; r < size; r++)
            printf("    rank %-3d %8.1f MB  (anonymous %.1f MB)\n", r,
                   (double)peaks[2 * r] / 1024.0, (double)peaks[2 * r + 1] / 1024.0);
        printf("  rank 0's record store: %.1f bytes a document written\n",
               ndocs ? (double)stored / (double)ndocs : 0.0);
    }
    free(peaks);
    free(all);
    MPI_Finalize();
    return 0;
usage:
    if (rank == 0)
        fprintf(stderr, "usage: mpirun -np N bench_mpi [-d] [-l] [-n] [-j THREADS] [-m MEMORY] [-r RUNS] "
                        "INPUT...\n"
                        "  -d  the default scan (else scan --fast)\n"
                        "  -n  outputs that show no text: rank 0 fetches none\n"
                        "      (rp_transport.no_texts; else those of passages and differences)\n"
                        "  -l  each rank its own inputs (--local-inputs; give each rank\n"
                        "      its own INPUT with mpirun's colon syntax)\n"
                        "  -m  memory a rank may use (rp_options.memory), e.g. 64M\n");
    MPI_Finalize();
    return 2;
}
