/* SPDX-License-Identifier: MIT */
/*
 * verify.c -- exact Jaccard of candidate pairs from the spill store.
 *
 * Candidates arrive sorted by their first document, so a worker loads the
 * first set once for all its partners in a chunk. Nothing estimated leaves
 * this file: every figure printed is computed on the full shingle sets.
 */
#include "relate.h"

#include <string.h>

typedef struct vworker {
    uint64_t *a, *b; /* set buffers */
    size_t capa, capb; /* their capacities */
    uint32_t cur; /* document held in a, or UINT32_MAX */
    size_t na; /* distinct shingles in a */
} vworker;

typedef struct vctx {
    const rpi_spill *sp; /* spill store */
    const rpi_setref *ref; /* per document */
    const uint64_t *cand; /* candidate codes */
    uint32_t *inter, *na, *nb; /* results per candidate */
    vworker *w; /* one per thread */
} vctx;

static int load(const vctx *c, uint32_t d, uint64_t **buf, size_t *cap, size_t *n)
{
    const rpi_setref *r = &c->ref[d];
    RP_TRY(rpi_grow((void **)buf, cap, r->n, sizeof **buf));
    RP_TRY(rpi_spill_read(c->sp, (int)r->file, r->off, r->n, *buf));
    *n = rpi_sort_unique(*buf, r->n);
    return RP_OK;
}

static int verify_range(void *p, int wid, size_t begin, size_t end)
{
    vctx *c = p;
    vworker *w = &c->w[wid];
    for (size_t i = begin; i < end; i++) {
        uint32_t a = (uint32_t)(c->cand[i] >> 32), b = (uint32_t)c->cand[i];
        if (w->cur != a) {
            RP_TRY(load(c, a, &w->a, &w->capa, &w->na));
            w->cur = a;
        }
        size_t nb;
        RP_TRY(load(c, b, &w->b, &w->capb, &nb));
        c->inter[i] = (uint32_t)rpi_intersect_count(w->a, w->na, w->b, nb);
        c->na[i] = (uint32_t)w->na;
        c->nb[i] = (uint32_t)nb;
    }
    return RP_OK;
}

int rpi_verify(const rpi_spill *sp, const rpi_setref *ref, const uint64_t *cand, size_t n,
               int nthreads, uint32_t *inter, uint32_t *na, uint32_t *nb)
{
    if (nthreads < 1)
        nthreads = 1;
    vctx c = {sp, ref, cand, inter, na, nb, rpi_calloc((size_t)nthreads, sizeof(vworker))};
    if (!c.w)
        return RP_ENOMEM;
    for (int i = 0; i < nthreads; i++)
        c.w[i].cur = UINT32_MAX;
    int rc = rpi_parallel_for(nthreads, n, 256, verify_range, &c);
    for (int i = 0; i < nthreads; i++) {
        rpi_free(c.w[i].a);
        rpi_free(c.w[i].b);
    }
    rpi_free(c.w);
    return rc;
}
