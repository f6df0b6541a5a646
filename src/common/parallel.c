/* SPDX-License-Identifier: MIT */
/*
 * parallel.c -- a minimal fork-join loop over an index range (pthreads).
 */
#include "common.h"

#include <pthread.h>

typedef struct job {
    rpi_range_fn fn; /* work function */
    void *ctx; /* its context */
    size_t n; /* items */
    size_t chunk; /* items per grab */
    size_t next; /* next unclaimed item (atomic) */
    int rc; /* first failure (atomic compare-exchange from RP_OK) */
    size_t done; /* items finished (atomic) */
    rpi_tick_fn tick; /* called by worker 0 (the caller's thread) after each of its chunks */
    void *tctx; /* its context */
} job;

typedef struct worker_arg {
    job *j; /* shared job */
    int id; /* worker number */
} worker_arg;

static void *run(void *p)
{
    worker_arg *w = p;
    job *j = w->j;
    if (w->id != 0)
        rpi_thread_block_signals(); /* a thread of ours (id 0 is the caller's) */
    for (;;) {
        if (__atomic_load_n(&j->rc, __ATOMIC_RELAXED) != RP_OK)
            break;
        size_t b = __atomic_fetch_add(&j->next, j->chunk, __ATOMIC_RELAXED);
        if (b >= j->n)
            break;
        size_t e = b + j->chunk < j->n ? b + j->chunk : j->n;
        int rc = j->fn(j->ctx, w->id, b, e);
        if (rc != RP_OK) {
            int expect = RP_OK;
            __atomic_compare_exchange_n(&j->rc, &expect, rc, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST);
        }
        size_t done = __atomic_add_fetch(&j->done, e - b, __ATOMIC_RELAXED);
        if (w->id == 0 && j->tick && (rc = j->tick(j->tctx, done, j->n)) != RP_OK) {
            int expect = RP_OK;
            __atomic_compare_exchange_n(&j->rc, &expect, rc, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST);
        }
    }
    return NULL;
}

int rpi_parallel_for(int nthreads, size_t n, size_t chunk, rpi_range_fn fn, void *ctx)
{
    return rpi_parallel_for_ticks(nthreads, n, chunk, fn, ctx, NULL, NULL);
}

int rpi_parallel_for_ticks(int nthreads, size_t n, size_t chunk, rpi_range_fn fn, void *ctx,
                           rpi_tick_fn tick, void *tctx)
{
    job j = {fn, ctx, n, chunk ? chunk : 1, 0, RP_OK, 0, tick, tctx};
    enum { MAXT = 256 };
    pthread_t tid[MAXT];
    worker_arg args[MAXT];
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > MAXT)
        nthreads = MAXT;
    int started = 0;
    for (int i = 1; i < nthreads; i++) {
        args[i] = (worker_arg){&j, i};
        if (pthread_create(&tid[i], NULL, run, &args[i]) != 0)
            break; /* fewer threads: same result, only slower */
        started = i;
    }
    args[0] = (worker_arg){&j, 0};
    run(&args[0]);
    for (int i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
    return j.rc;
}
