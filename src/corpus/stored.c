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
 * counts in two ways only: the IDF of its term vectors, and the lines it sets
 * aside as furniture by frequency (linecount.c). So the index stores with each
 * document its packed features (doc_features.c) and what its furniture is
 * decided from besides the counts: each line's hash, tokens and kind by the
 * built-in rules, and whether the text is hard-wrapped, with the kinds
 * decided then. A later run decides the furniture again from these facts and
 * its own counts (rpi_furniture_kinds_of, no text needed); when every line
 * keeps its kind, the article text is the same and the stored features are
 * what pass 2 would compute, but for the IDF of the term vectors, weighed
 * again with the run's counts (rpi_features_adopt): byte for byte (the test
 * hook REPRINT_TEST_STORED_CHECK computes both and compares). When a line
 * changed kind (a line that became furniture as more documents carried it),
 * the document is computed again, as before. The IDF of the stored term
 * vectors is left 0: it is the run's that counts.
 *
 * A blob is taken only for the text it was made of (its length and the hash
 * of its token sequence, which pass 1 computes of every text) and by the
 * build that made it (the reprint version and RPI_FEATURES_VERSION), and
 * only after its parts are checked to be consistent (rpi_features_check): it
 * comes from a file others may have written.
 *
 * Layout, each part 8-byte aligned: a header (magic, lines, tokens, wrapped,
 * bytes of packed features, text bytes, text hash, build), the packed
 * features, then per line with words its start and end (bytes), tokens,
 * kinds by the rules and decided (uint32, uint32, uint32, uint8, uint8, 2
 * bytes of zeros) and hash (uint64).
 */
#include "doc_features.h"

#include <stdlib.h>
#include <string.h>

#define STORED_MAGIC 0x33465052u /* "RPF3": the layout below */

/*
 * What pass 2 computes of a text, in this build: change it with any change to
 * the tokenizer, the stems, the furniture rules, the specifics, figures or
 * days, or the packed layout (doc_features.c), so that features stored by
 * another computation are computed again. Releases change rp_version(),
 * which the build stamp holds too.
 */
#define RPI_FEATURES_VERSION 4 /* 2: figures read with a sentence's signs, decimal commas; 3:
                                * figures and dates in the digits of any script; 4: the
                                * words a figure counts in any script's letters */

typedef struct header {
    uint32_t magic, nlines, ntok, wrapped;
    uint64_t npacked, text_len, thash[2], build;
} header;

enum { LINE = 24 }; /* bytes of a stored line */

#define PAD8(n) (((n) + 7) & ~(size_t)7)

/* The build stamp: the reprint version and RPI_FEATURES_VERSION. */
static uint64_t build_stamp(void)
{
    const char *v = rp_version();
    return rpi_hash64(v, strlen(v), 0x66656174 + RPI_FEATURES_VERSION);
}

int rpi_stored_make(rp_corpus *c, rpi_view *v, uint32_t d, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    size_t nlines = 0;
    if (!c->opt.keep_furniture) /* (else no line is furniture, whatever the counts) */
        for (size_t i = 0; i < v->nlines; i++)
            nlines += v->lines[i].t1 > v->lines[i].t0;
    size_t npacked;
    RP_TRY(rpi_features_pack(v, &v->pack, &v->cappack, &npacked));
    size_t bytes = PAD8(sizeof(header)) + PAD8(npacked) + nlines * LINE;
    char *p = rpi_calloc(1, bytes);
    if (!p)
        return RP_ENOMEM;
    const rpi_token *tok = v->tok.tok;
    const rpi_doc *x = &c->docs[d];
    header h = {STORED_MAGIC, (uint32_t)nlines, (uint32_t)v->tok.ntok,
                nlines ? (uint32_t)rpi_furniture_wrapped(v->text, tok, v->lines, v->nlines) : 0,
                npacked, x->text_len, {x->thash[0], x->thash[1]}, build_stamp()};
    memcpy(p, &h, sizeof h);
    memcpy(p + PAD8(sizeof h), v->pack, npacked);
    rpi_features_unweigh(p + PAD8(sizeof h)); /* (weighed again when used) */
    char *q = p + PAD8(sizeof h) + PAD8(npacked);
    for (size_t i = 0; i < v->nlines && nlines; i++) {
        const rpi_line *ln = &v->lines[i];
        if (ln->t1 == ln->t0)
            continue;
        uint32_t t[3] = {ln->start, ln->end, ln->t1 - ln->t0};
        uint8_t k[2] = {(uint8_t)rpi_furniture_line(v->text + ln->start, ln->end - ln->start,
                                                    ln->t1 - ln->t0),
                        v->kind[i]};
        memcpy(q, t, sizeof t);
        memcpy(q + 12, k, sizeof k);
        memcpy(q + 16, &ln->hash, 8);
        q += LINE;
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
    if (h.magic != STORED_MAGIC || h.build != build_stamp() || h.npacked > len ||
        h.nlines > len / LINE || h.text_len > UINT32_MAX)
        return 0;
    size_t at = PAD8(sizeof h);
    if (at + PAD8((size_t)h.npacked) + (size_t)h.nlines * LINE != len ||
        !rpi_features_check(blob + at, (size_t)h.npacked, (size_t)h.text_len))
        return 0;
    for (uint32_t i = 0; i < h.nlines; i++) { /* (lines within the text, kinds that are) */
        const char *q = blob + at + PAD8((size_t)h.npacked) + (size_t)i * LINE;
        uint32_t t[3];
        memcpy(t, q, sizeof t);
        if (t[0] > t[1] || t[1] > h.text_len || t[2] > h.ntok ||
            (uint8_t)q[12] > RPI_FURN_SOURCE || (uint8_t)q[13] > RPI_FURN_SOURCE)
            return 0;
    }
    st->packed = blob + at;
    st->npacked = (size_t)h.npacked;
    st->lines = st->packed + PAD8(st->npacked);
    st->nlines = h.nlines;
    st->ntok = h.ntok;
    st->wrapped = h.wrapped != 0;
    st->text_len = h.text_len;
    st->thash[0] = h.thash[0];
    st->thash[1] = h.thash[1];
    return 1;
}

int rpi_stored_furniture(const rp_corpus *c, const rpi_stored *st, uint32_t d, rpi_view *v,
                         rpi_furn **furn, size_t *nfurn, size_t *capfurn, int *same)
{
    size_t n = st->nlines;
    const rpi_doc *x = &c->docs[d];
    /* (the blob of another text: a document number used again by a build
     * that did not know the table, say) */
    *same = st->text_len == x->text_len && st->thash[0] == x->thash[0] &&
            st->thash[1] == x->thash[1];
    if (!n || !*same)
        return RP_OK;
    RP_TRY(rpi_grow((void **)&v->lines, &v->caplines, n + 1, sizeof *v->lines));
    RP_TRY(rpi_grow((void **)&v->kind, &v->capkind, 2 * n + 1, 1)); /* kinds, then rules */
    RP_TRY(rpi_grow((void **)&v->lkey, &v->caplkey, n + 1, sizeof *v->lkey));
    uint8_t *rule = v->kind + n;
    for (size_t i = 0; i < n; i++) {
        const char *q = st->lines + i * LINE;
        uint32_t t[3];
        memcpy(t, q, sizeof t);
        rule[i] = (uint8_t)q[12];
        v->lines[i] = (rpi_line){t[0], t[1], 0, t[2], 0};
        memcpy(&v->lines[i].hash, q + 16, 8);
    }
    v->nlines = n;
    v->doc = UINT32_MAX; /* (its arrays hold no document now) */
    rpi_furniture_kinds_of(&c->lines, v->lines, n, rule, st->wrapped, st->ntok,
                           rpi_doc_source(c, d), v->kind, v->lkey);
    for (size_t i = 0; i < n && *same; i++)
        *same = v->kind[i] == (uint8_t)st->lines[i * LINE + 13];
    if (!*same)
        return RP_OK;
    for (size_t i = 0; i < n; i++)
        if (v->kind[i] != RPI_FURN_NONE) {
            RP_TRY(rpi_grow((void **)furn, capfurn, *nfurn + 1, sizeof **furn));
            (*furn)[(*nfurn)++] = (rpi_furn){d, v->lines[i].start, v->lines[i].end, v->kind[i]};
        }
    return RP_OK;
}
