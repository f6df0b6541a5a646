/* SPDX-License-Identifier: MIT */
/*
 * verify.c -- exact Jaccard of candidate pairs from the spill store (or from
 * memory, or computed again from the input: the caller's loader).
 *
 * Candidates arrive sorted by their first document, so a worker loads the
 * first set once for all its partners in a chunk. Nothing estimated leaves
 * this file: every figure printed is computed on the full shingle sets.
 */
#include "relate.h"

#include <string.h>

/*
 * An open-addressing set of shingle hashes (linear probing, at most half
 * full). Shingle hashes are XXH3 outputs, so their low bits index directly.
 * Building a set is O(n); sorting both sets for a merge (the first version)
 * took 8% of a whole benchmark run in qsort.
 */
typedef struct hset {
    uint64_t *slot; /* 0 = empty */
    size_t cap; /* power of two */
    int has_zero; /* the value 0 is in the set */
    size_t n; /* distinct values */
} hset;

static int hset_reset(hset *h, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    if (cap > h->cap) {
        rpi_free(h->slot);
        h->slot = rpi_malloc(cap * sizeof *h->slot);
        if (!h->slot) {
            h->cap = 0;
            return RP_ENOMEM;
        }
        h->cap = cap;
    }
    memset(h->slot, 0, h->cap * sizeof *h->slot);
    h->has_zero = 0;
    h->n = 0;
    return RP_OK;
}

/* Insert x; returns 1 when it was new. */
static int hset_add(hset *h, uint64_t x)
{
    if (x == 0) {
        int isnew = !h->has_zero;
        h->has_zero = 1;
        h->n += (size_t)isnew;
        return isnew;
    }
    size_t m = h->cap - 1, i = (size_t)x & m;
    while (h->slot[i]) {
        if (h->slot[i] == x)
            return 0;
        i = (i + 1) & m;
    }
    h->slot[i] = x;
    h->n++;
    return 1;
}

static int hset_has(const hset *h, uint64_t x)
{
    if (x == 0)
        return h->has_zero;
    size_t m = h->cap - 1, i = (size_t)x & m;
    while (h->slot[i]) {
        if (h->slot[i] == x)
            return 1;
        i = (i + 1) & m;
    }
    return 0;
}

typedef struct vworker {
    uint64_t *raw; /* shingles read from the spill store */
    size_t capraw; /* its capacity */
    const uint64_t *view; /* the set read last: raw, or in mem */
    hset a, b; /* the first document's set; the second's */
    uint32_t cur; /* document held in a, or UINT32_MAX */
} vworker;

typedef struct vctx {
    const rpi_spill *sp; /* spill store */
    const rpi_setref *ref; /* per document */
    const uint64_t *mem; /* sets of refs with file RPI_SETREF_MEM */
    rpi_set_load_fn load; /* sets of refs with file RPI_SETREF_INPUT */
    void *load_ctx; /* its context */
    const uint64_t *cand; /* candidate codes */
    uint32_t *inter, *na, *nb; /* results per candidate */
    vworker *w; /* one per thread */
} vctx;

static int read_set(const vctx *c, vworker *w, int wid, uint32_t d)
{
    const rpi_setref *r = &c->ref[d];
    if (r->file == RPI_SETREF_MEM) {
        w->view = c->mem + r->off;
        return RP_OK;
    }
    if (r->file == RPI_SETREF_INPUT)
        return c->load ? c->load(c->load_ctx, wid, d, &w->view) : RP_EINVAL;
    RP_TRY(rpi_grow((void **)&w->raw, &w->capraw, r->n, sizeof *w->raw));
    w->view = w->raw;
    return rpi_spill_read(c->sp, (int)r->file, r->off, r->n, w->raw);
}

static int verify_range(void *p, int wid, size_t begin, size_t end)
{
    vctx *c = p;
    vworker *w = &c->w[wid];
    for (size_t i = begin; i < end; i++) {
        uint32_t a = (uint32_t)(c->cand[i] >> 32), b = (uint32_t)c->cand[i];
        if (w->cur != a) {
            w->cur = UINT32_MAX;
            RP_TRY(read_set(c, w, wid, a));
            RP_TRY(hset_reset(&w->a, c->ref[a].n));
            for (size_t k = 0; k < c->ref[a].n; k++)
                hset_add(&w->a, w->view[k]);
            w->cur = a;
        }
        RP_TRY(read_set(c, w, wid, b));
        RP_TRY(hset_reset(&w->b, c->ref[b].n));
        uint32_t inter = 0;
        for (size_t k = 0; k < c->ref[b].n; k++)
            if (hset_add(&w->b, w->view[k]))
                inter += (uint32_t)hset_has(&w->a, w->view[k]);
        c->inter[i] = inter;
        c->na[i] = (uint32_t)w->a.n;
        c->nb[i] = (uint32_t)w->b.n;
    }
    return RP_OK;
}

int rpi_verify(const rpi_spill *sp, const rpi_setref *ref, const uint64_t *mem,
               rpi_set_load_fn load, void *load_ctx, const uint64_t *cand, size_t n,
               int nthreads, uint32_t *inter, uint32_t *na, uint32_t *nb)
{
    if (nthreads < 1)
        nthreads = 1;
    vctx c = {sp,  ref, mem, load, load_ctx, cand, inter, na, nb,
              rpi_calloc((size_t)nthreads, sizeof(vworker))};
    if (!c.w)
        return RP_ENOMEM;
    for (int i = 0; i < nthreads; i++)
        c.w[i].cur = UINT32_MAX;
    /* Prefetch every set that will be read, once each, in candidate order. */
    uint32_t maxdoc = 0;
    for (size_t i = 0; i < n; i++)
        maxdoc = (uint32_t)c.cand[i] > maxdoc ? (uint32_t)c.cand[i] : maxdoc;
    uint8_t *seen = n ? rpi_calloc((size_t)maxdoc / 8 + 1, 1) : NULL;
    for (size_t i = 0; seen && i < n; i++) {
        uint32_t d[2] = {(uint32_t)(cand[i] >> 32), (uint32_t)cand[i]};
        for (int k = 0; k < 2; k++) {
            if (seen[d[k] / 8] & (1u << (d[k] % 8)))
                continue;
            seen[d[k] / 8] |= (uint8_t)(1u << (d[k] % 8));
            if (ref[d[k]].file != RPI_SETREF_MEM && ref[d[k]].file != RPI_SETREF_INPUT)
                rpi_spill_prefetch(sp, (int)ref[d[k]].file, ref[d[k]].off, ref[d[k]].n);
        }
    }
    rpi_free(seen);
    int rc = rpi_parallel_for(nthreads, n, 256, verify_range, &c);
    for (int i = 0; i < nthreads; i++) {
        rpi_free(c.w[i].raw);
        rpi_free(c.w[i].a.slot);
        rpi_free(c.w[i].b.slot);
    }
    rpi_free(c.w);
    return rc;
}
