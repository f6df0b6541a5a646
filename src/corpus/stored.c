/* SPDX-License-Identifier: MIT */
/*
 * stored.c -- the features the index stores with each document, and their
 * use in pass 2 of a later run instead of computing them again.
 *
 * A query of the index runs the pipeline on the new document and its
 * candidates (src/index/place.c, run C), and pass 2 read, tokenised, set
 * furniture aside and computed every candidate's features again: 40% of a
 * query's CPU samples at 99,400 indexed documents, most of it for the
 * candidates. What pass 2 computes of a text depends on the collection's
 * counts in two ways only: the IDF of its term vectors, and the lines it
 * sets aside as furniture by frequency (a line key in at least 5 documents:
 * linecount.c). So the index stores a document's packed features
 * (doc_features.c) with its furniture lines and the count keys of its
 * lines, when none of its lines was in enough documents to be furniture by
 * frequency (then its furniture is what the built-in rules and its shape
 * made of it, whatever the counts); a later run takes them while that still
 * holds and weighs their term vectors with its own counts
 * (rpi_features_adopt): what pass 2 would have computed, byte for byte (the
 * test hook REPRINT_TEST_STORED_CHECK computes both and compares). A
 * document with a line that is furniture by frequency (a wire's sign-off
 * line in thousands of documents) is computed again, as before.
 *
 * Layout, each part 8-byte aligned: a header (magic, furniture lines, line
 * keys, bytes of packed features), the packed features, the furniture lines
 * (start, end, kind: 3 x uint32), the line keys (uint64).
 */
#include "doc_features.h"

#include <stdlib.h>
#include <string.h>

#define STORED_MAGIC 0x31465052u /* "RPF1" */

typedef struct header {
    uint32_t magic, nfurn, nkeys, pad;
    uint64_t npacked;
} header;

#define PAD8(n) (((n) + 7) & ~(size_t)7)

int rpi_stored_make(rp_corpus *c, rpi_view *v, const rpi_furn *f, const rpi_furn *fend,
                    char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    size_t nkeys = 0;
    if (!c->opt.keep_furniture)
        for (size_t i = 0; i < v->nlines; i++) {
            if (v->lines[i].t1 == v->lines[i].t0)
                continue; /* (no words: no count key) */
            if (rpi_furniture_by_counts(&c->lines, v->lkey[i]))
                return RP_OK; /* its furniture depends on the counts: not stored */
            nkeys++;
        }
    size_t npacked;
    RP_TRY(rpi_features_pack(v, &v->pack, &v->cappack, &npacked));
    size_t nfurn = (size_t)(fend - f);
    size_t bytes = PAD8(sizeof(header)) + PAD8(npacked) + PAD8(nfurn * 12) + nkeys * 8;
    char *p = rpi_calloc(1, bytes);
    if (!p)
        return RP_ENOMEM;
    header h = {STORED_MAGIC, (uint32_t)nfurn, (uint32_t)nkeys, 0, npacked};
    memcpy(p, &h, sizeof h);
    char *q = p + PAD8(sizeof h);
    memcpy(q, v->pack, npacked);
    q += PAD8(npacked);
    for (const rpi_furn *x = f; x < fend; x++, q += 12) {
        uint32_t t[3] = {x->start, x->end, x->kind};
        memcpy(q, t, sizeof t);
    }
    q = p + PAD8(sizeof h) + PAD8(npacked) + PAD8(nfurn * 12);
    for (size_t i = 0; i < v->nlines && nkeys; i++)
        if (v->lines[i].t1 > v->lines[i].t0) {
            memcpy(q, &v->lkey[i], 8);
            q += 8;
        }
    *out = p;
    *len = bytes;
    return RP_OK;
}

int rpi_stored_parse(const char *blob, size_t len, rpi_stored *st)
{
    header h;
    if (!blob || len < PAD8(sizeof h))
        return 0;
    memcpy(&h, blob, sizeof h);
    if (h.magic != STORED_MAGIC || h.npacked > len || h.nfurn > len / 12 || h.nkeys > len / 8)
        return 0;
    size_t at = PAD8(sizeof h);
    size_t end = at + PAD8((size_t)h.npacked) + PAD8((size_t)h.nfurn * 12) + (size_t)h.nkeys * 8;
    if (end != len || rpi_features_packed_size(blob + at, (size_t)h.npacked) != h.npacked)
        return 0;
    st->packed = blob + at;
    st->npacked = (size_t)h.npacked;
    st->furn = st->packed + PAD8(st->npacked);
    st->nfurn = h.nfurn;
    st->keys = st->furn + PAD8((size_t)h.nfurn * 12);
    st->nkeys = h.nkeys;
    return 1;
}

int rpi_stored_valid(const rp_corpus *c, const rpi_stored *st)
{
    for (uint32_t k = 0; k < st->nkeys; k++) {
        uint64_t key;
        memcpy(&key, st->keys + 8 * (size_t)k, sizeof key);
        if (rpi_furniture_by_counts(&c->lines, key))
            return 0;
    }
    return 1;
}

rpi_furn rpi_stored_furn(const rpi_stored *st, uint32_t k, uint32_t d)
{
    uint32_t t[3];
    memcpy(t, st->furn + 12 * (size_t)k, sizeof t);
    return (rpi_furn){d, t[0], t[1], t[2]};
}
