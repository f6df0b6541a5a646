/* SPDX-License-Identifier: MIT */
/*
 * mpi_transport.c -- the library's two collective calls (rp_transport) on
 * MPI_COMM_WORLD: counts as one MPI_Alltoall, exchange as one MPI_Alltoallv
 * or, past int counts, pairwise MPI_Sendrecv in chunks.
 */
#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdlib.h>

#include "mpi_transport.h"

/* MPI counts are int: parts of at most this many bytes in the pairwise exchange. */
#define CHUNK_MAX ((uint64_t)1 << 30)

/* The job as the transport sees it; the arrays (size entries each) are made once. */
typedef struct world {
    int rank; /* this process */
    int size; /* processes in the job */
    uint64_t chunk; /* largest message of the pairwise exchange, bytes */
    int pairwise; /* test hook: always exchange pairwise */
    int die; /* test hook: abort() at the first transport call after die_after */
    unsigned long die_after, calls; /* calls to let pass, calls made */
    int *scount, *sdispl; /* MPI_Alltoallv: bytes to each rank, where they start */
    int *rcount, *rdispl; /* bytes from each rank, where they go */
    uint64_t *soff, *roff; /* pairwise: where each rank's part starts in send, recv */
} world;

/* The test hooks REPRINT_MPI_TEST_DIE_RANK and _DIE_AFTER (see main). */
static void maybe_die(world *w)
{
    if (w->die && w->calls++ >= w->die_after)
        abort();
}

static int mpi_counts(void *user, const uint64_t *out, uint64_t *in)
{
    maybe_die(user);
    return MPI_Alltoall(out, 1, MPI_UINT64_T, in, 1, MPI_UINT64_T, MPI_COMM_WORLD) !=
           MPI_SUCCESS;
}

/* Offsets of the parts (prefix sums of n); 1 when a count or offset is past INT_MAX. */
static int offsets(const uint64_t *n, int size, uint64_t *off)
{
    uint64_t at = 0;
    int big = 0;
    for (int i = 0; i < size; i++) {
        off[i] = at;
        big |= n[i] > INT_MAX || at > INT_MAX;
        at += n[i];
    }
    return big;
}

/*
 * Step s sends to rank + s and receives from rank - s, so every rank is paired
 * with one sender and one receiver per step and no step waits on two. A part
 * larger than the chunk goes in several messages; a side with nothing left
 * sends to (or receives from) MPI_PROC_NULL, so the k-th message of a part meets
 * the k-th receive of its receiver however the two sides' sizes differ.
 */
static int pairwise(world *w, const char *send, const uint64_t *out, char *recv,
                    const uint64_t *in)
{
    for (int s = 0; s < w->size; s++) {
        int to = (w->rank + s) % w->size, from = (w->rank - s + w->size) % w->size;
        uint64_t sent = 0, got = 0;
        while (sent < out[to] || got < in[from]) {
            uint64_t ns = out[to] - sent, nr = in[from] - got;
            ns = ns < w->chunk ? ns : w->chunk;
            nr = nr < w->chunk ? nr : w->chunk;
            const char *sb = ns ? send + w->soff[to] + sent : NULL;
            char *rb = nr ? recv + w->roff[from] + got : NULL;
            MPI_Status st;
            int n = 0;
            if (MPI_Sendrecv(sb, (int)ns, MPI_BYTE, ns ? to : MPI_PROC_NULL, 0, rb, (int)nr,
                             MPI_BYTE, nr ? from : MPI_PROC_NULL, 0, MPI_COMM_WORLD,
                             &st) != MPI_SUCCESS)
                return 1;
            if (nr && (MPI_Get_count(&st, MPI_BYTE, &n) != MPI_SUCCESS || (uint64_t)n != nr))
                return 1;
            sent += ns;
            got += nr;
        }
    }
    return 0;
}

/* One MPI_Alltoallv when every count and offset fits an int on every rank (the
 * ranks agree on that first: all must take the same path), else pairwise. */
static int mpi_exchange(void *user, const void *send, const uint64_t *out, void *recv,
                        const uint64_t *in)
{
    world *w = user;
    maybe_die(w);
    int big = offsets(out, w->size, w->soff) | offsets(in, w->size, w->roff) | w->pairwise;
    int anybig = 0;
    if (MPI_Allreduce(&big, &anybig, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD) != MPI_SUCCESS)
        return 1;
    if (anybig)
        return pairwise(w, send, out, recv, in);
    for (int i = 0; i < w->size; i++) {
        w->scount[i] = (int)out[i];
        w->sdispl[i] = (int)w->soff[i];
        w->rcount[i] = (int)in[i];
        w->rdispl[i] = (int)w->roff[i];
    }
    return MPI_Alltoallv(send, w->scount, w->sdispl, MPI_BYTE, recv, w->rcount, w->rdispl,
                         MPI_BYTE, MPI_COMM_WORLD) != MPI_SUCCESS;
}

int cli_mpi_transport(rp_transport *t)
{
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    world *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    MPI_Comm_rank(MPI_COMM_WORLD, &w->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &w->size);
    w->chunk = CHUNK_MAX;
    size_t n = (size_t)w->size;
    w->scount = malloc(4 * n * sizeof(int));
    w->soff = malloc(2 * n * sizeof(uint64_t));
    if (!w->scount || !w->soff) {
        free(w->scount);
        free(w->soff);
        free(w);
        return -1;
    }
    w->sdispl = w->scount + n;
    w->rcount = w->scount + 2 * n;
    w->rdispl = w->scount + 3 * n;
    w->roff = w->soff + n;
    /*
     * Test hooks, read only by the CLI cases tests/cli/mpi_*.sh; not for use:
     *   REPRINT_MPI_TEST_DIE_RANK=R   rank R calls abort() at its first transport
     *                                 call, in the middle of the run (mpi_kill),
     *   REPRINT_MPI_TEST_DIE_AFTER=N  or after N calls (later stages);
     *   REPRINT_MPI_TEST_CHUNK=N      always exchange pairwise, in messages of at
     *                                 most N bytes (the path of parts past 2 GiB).
     */
    const char *e = getenv("REPRINT_MPI_TEST_DIE_RANK");
    w->die = e && *e && atoi(e) == w->rank;
    e = getenv("REPRINT_MPI_TEST_DIE_AFTER");
    w->die_after = e && atol(e) > 0 ? (unsigned long)atol(e) : 0;
    e = getenv("REPRINT_MPI_TEST_CHUNK");
    if (e && atoll(e) > 0) {
        w->pairwise = 1;
        w->chunk = (uint64_t)atoll(e) < CHUNK_MAX ? (uint64_t)atoll(e) : CHUNK_MAX;
    }
    *t = (rp_transport){.rank = w->rank, .size = w->size, .user = w, .counts = mpi_counts,
                        .exchange = mpi_exchange};
    return 0;
}

void cli_mpi_transport_free(rp_transport *t)
{
    world *w = t->user;
    if (!w)
        return;
    free(w->scount);
    free(w->soff);
    free(w);
    t->user = NULL;
}
