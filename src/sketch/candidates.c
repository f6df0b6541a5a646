/* SPDX-License-Identifier: MIT */
/*
 * candidates.c -- LSH bucketing: pairs of documents sharing a band key.
 *
 * Each band is bucketed by sorting (key, doc) entries: a stable counting
 * sort on the top bits of the key (up to 16: 65,536 buckets, a handful of
 * entries each at a million documents), then insertion sort inside each
 * bucket: linear in the number of documents.
 */
#include "sketch.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
    uint64_t key; /* band key */
    uint32_t doc; /* document number */
} entry;

typedef struct worker {
    entry *a, *b; /* scratch: entries and their sorted copy */
    uint32_t *count; /* 65,536 + 1 bucket counters */
    uint64_t *pairs; /* pair codes found by this worker */
    size_t npairs, cap; /* used, capacity */
    uint32_t *run; /* documents of one run of equal keys */
    size_t caprun; /* its capacity */
} worker;

typedef struct ctx {
    const uint64_t *keys; /* keys of every document */
    int bands; /* keys per document */
    const uint32_t *docs; /* documents bucketed */
    size_t n; /* their number */
    rpi_lsh_prefer_fn prefer; /* keep preference, for oversized buckets */
    void *pctx; /* its context */
    worker *w; /* one per thread */
} ctx;

static int add(uint64_t **v, size_t *n, size_t *cap, uint32_t a, uint32_t b)
{
    if (*n == *cap)
        RP_TRY(rpi_grow((void **)v, cap, *n + 1, sizeof **v));
    (*v)[(*n)++] = (uint64_t)a << 32 | b;
    return RP_OK;
}

/*
 * The pairs of one run of documents sharing a band key, docs[0..n)
 * ascending: every pair. A run longer than RPI_BUCKET_CAP (a template shared
 * by a whole site) pairs each document with the run's most preferred one
 * (best, which dedup will keep) and with its successor only, keeping the work
 * linear.
 */
static int lsh_run(const uint32_t *docs, size_t n, uint32_t best, uint64_t **out, size_t *nout,
                   size_t *cap)
{
    if (n > RPI_BUCKET_CAP) {
        for (size_t x = 0; x < n; x++) {
            uint32_t d = docs[x];
            if (d != best)
                RP_TRY(add(out, nout, cap, d < best ? d : best, d < best ? best : d));
            if (x + 1 < n)
                RP_TRY(add(out, nout, cap, d, docs[x + 1]));
        }
        return RP_OK;
    }
    for (size_t x = 0; x < n; x++)
        for (size_t y = x + 1; y < n; y++)
            RP_TRY(add(out, nout, cap, docs[x], docs[y]));
    return RP_OK;
}

/* Scratch for n entries. */
static int worker_alloc(worker *w, size_t n)
{
    if (!w->a) {
        w->a = rpi_malloc(n * sizeof *w->a + 1);
        w->b = rpi_malloc(n * sizeof *w->b + 1);
        w->count = rpi_malloc((65536 + 1) * sizeof *w->count);
        if (!w->a || !w->b || !w->count)
            return RP_ENOMEM;
    }
    return RP_OK;
}

/* The pairs of one band whose n entries are in w->a (docs ascending). */
static int bucket(worker *w, size_t n, rpi_lsh_prefer_fn prefer, void *pctx)
{
    /* About one entry per bucket: 2^4 .. 2^16 buckets by the top key bits. */
    int bits = 4;
    while (bits < 16 && ((size_t)1 << bits) < n)
        bits++;
    const size_t nbk = (size_t)1 << bits;
    const int shift = 64 - bits;
    memset(w->count, 0, (nbk + 1) * sizeof *w->count);
    for (size_t i = 0; i < n; i++)
        w->count[(w->a[i].key >> shift) + 1]++;
    for (size_t i = 0; i < nbk; i++)
        w->count[i + 1] += w->count[i];
    for (size_t i = 0; i < n; i++)
        w->b[w->count[w->a[i].key >> shift]++] = w->a[i];
    /* count[i] is now the end of bucket i */
    size_t s = 0;
    for (size_t bk = 0; bk < nbk; bk++) {
        size_t e = w->count[bk];
        for (size_t i = s + 1; i < e; i++) {
            entry x = w->b[i];
            size_t j = i;
            while (j > s && w->b[j - 1].key > x.key) {
                w->b[j] = w->b[j - 1];
                j--;
            }
            w->b[j] = x;
        }
        /* Runs of equal keys: docs ascend inside a run (stable sorts). */
        for (size_t i = s; i < e;) {
            size_t j = i + 1;
            while (j < e && w->b[j].key == w->b[i].key)
                j++;
            if (j - i > 1) {
                RP_TRY(rpi_grow((void **)&w->run, &w->caprun, j - i, sizeof *w->run));
                uint32_t best = w->b[i].doc;
                for (size_t x = i; x < j; x++) {
                    w->run[x - i] = w->b[x].doc;
                    if (j - i > RPI_BUCKET_CAP && prefer(pctx, w->b[x].doc, best) < 0)
                        best = w->b[x].doc;
                }
                RP_TRY(lsh_run(w->run, j - i, best, &w->pairs, &w->npairs, &w->cap));
            }
            i = j;
        }
        s = e;
    }
    return RP_OK;
}

static int band(void *p, int wid, size_t begin, size_t end)
{
    ctx *c = p;
    worker *w = &c->w[wid];
    RP_TRY(worker_alloc(w, c->n));
    for (size_t bd = begin; bd < end; bd++) {
        for (size_t i = 0; i < c->n; i++) {
            uint32_t d = c->docs[i];
            w->a[i] = (entry){c->keys[(size_t)d * (size_t)c->bands + bd], d};
        }
        RP_TRY(bucket(w, c->n, c->prefer, c->pctx));
    }
    return RP_OK;
}

int rpi_lsh_band(const uint64_t *keys, const uint32_t *docs, size_t n, rpi_lsh_prefer_fn prefer,
                 void *pctx, uint64_t **out, size_t *nout, size_t *cap)
{
    worker w = {0};
    w.pairs = *out;
    w.npairs = *nout;
    w.cap = *cap;
    int rc = worker_alloc(&w, n);
    for (size_t i = 0; i < n && rc == RP_OK; i++)
        w.a[i] = (entry){keys[i], docs[i]};
    if (rc == RP_OK)
        rc = bucket(&w, n, prefer, pctx);
    *out = w.pairs;
    *nout = w.npairs;
    *cap = w.cap;
    rpi_free(w.a);
    rpi_free(w.b);
    rpi_free(w.count);
    rpi_free(w.run);
    return rc;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

int rpi_lsh_candidates(const uint64_t *keys, int bands, const uint32_t *docs, size_t n,
                       int nthreads, rpi_lsh_prefer_fn prefer, void *pctx, uint64_t **out,
                       size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (nthreads < 1)
        nthreads = 1;
    ctx c = {keys, bands, docs, n, prefer, pctx, rpi_calloc((size_t)nthreads, sizeof(worker))};
    if (!c.w)
        return RP_ENOMEM;
    int rc = rpi_parallel_for(nthreads, (size_t)bands, 1, band, &c);
    size_t total = 0;
    for (int i = 0; i < nthreads; i++)
        total += c.w[i].npairs;
    uint64_t *all = NULL;
    if (rc == RP_OK) {
        all = rpi_malloc(total * sizeof *all + 1);
        if (!all)
            rc = RP_ENOMEM;
    }
    if (rc == RP_OK) {
        size_t m = 0;
        for (int i = 0; i < nthreads; i++) {
            if (c.w[i].npairs)
                memcpy(all + m, c.w[i].pairs, c.w[i].npairs * sizeof *all);
            m += c.w[i].npairs;
        }
        if (m)
            qsort(all, m, sizeof *all, cmp_u64);
        size_t u = 0;
        for (size_t i = 0; i < m; i++)
            if (u == 0 || all[u - 1] != all[i])
                all[u++] = all[i];
        *out = all;
        *nout = u;
    }
    for (int i = 0; i < nthreads; i++) {
        rpi_free(c.w[i].a);
        rpi_free(c.w[i].b);
        rpi_free(c.w[i].count);
        rpi_free(c.w[i].pairs);
        rpi_free(c.w[i].run);
    }
    rpi_free(c.w);
    return rc;
}
