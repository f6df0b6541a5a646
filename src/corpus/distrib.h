/* SPDX-License-Identifier: MIT */
/*
 * distrib.h -- a run divided among ranks: the state every stage shares and
 * the exchange helpers (distrib.c: shares, merge, copies; distpairs.c: passes
 * 2 and 3 of the default scan; distjoin.c: its stories and timelines).
 */
#ifndef RP_DISTRIB_H
#define RP_DISTRIB_H

#include "corpus_int.h"
#include "pairs.h"

/* A document whose id an earlier one has, as the rank owning the id's hash
 * found it: its number on its rank after pass 1, and where the id was first
 * seen (that document's rank, its input in that rank's numbers, its line). */
typedef struct dupid {
    uint64_t line;
    uint32_t doc, rank, input;
} dupid;

/*
 * Rank 0: the bytes from from of one of its arrays (the other ranks'
 * records, or their strings) in a file of the record store, written (and
 * mapped in place, when map) as each rank's records are merged: byte x of
 * the array at x - at in the file, at being the first page boundary from
 * from; the bytes before it, in the page of rank 0's own, are kept in edge.
 */
typedef struct stored_part {
    int fd; /* the file (unlinked), or -1 */
    size_t from, at, done, end; /* bytes of the array: [at, done) written; end: all (once final) */
    char *edge; /* [from, at), once final */
    int map; /* mapped as written (the array is a mapping of its own: rpi_huge_mapped) */
} stored_part;

typedef struct dist {
    rp_corpus *c; /* the corpus */
    int rank, size; /* this rank, ranks */
    uint64_t *out, *in; /* [size] counts of dx_agree() */
    uint64_t *sout, *sin; /* [size] byte counts of dx_xchg() */
    char *msgs, *got; /* [size * sizeof c->err] messages of failing ranks */
    uint64_t *base; /* [size + 1] global number of each rank's first document */
    size_t nlocal; /* documents of this rank (rank 0: before the merge) */
    rpi_buf warn; /* warnings of pass 1, each ending in a NUL */
    rpi_buf *parts; /* [size] what goes to each rank */
    rpi_buf recv; /* what came: sin[i] bytes from each rank i, in rank order */
    int local; /* each rank reads inputs of its own (rp_transport.local_inputs) */
    uint64_t *inbase; /* [size] rank 0, local inputs: where rank r's inputs start in c->in */
    dupid *dups; /* this rank's documents whose id came before (ascending doc) */
    size_t ndups;
    uint64_t *dropped; /* local inputs: this rank's pass-1 documents dropped (ascending) */
    size_t ndropped;
    uint64_t strings0; /* rank 0: where the ids and metadata of other ranks' documents begin in
                          c->strings (they come last, in the merge) */
    uint64_t packed_strings; /* ranks but 0: bytes of the ids and metadata sent to rank 0 */
    size_t nstored; /* rank 0: the other ranks' documents in the record store (0: none) */
    stored_part sdocs, sstrings; /* their records (c->docs) and strings (c->strings) there */
    int parked; /* between rpi_dist_park and rpi_dist_unpark */
    uint64_t strings_end; /* rank 0: c->strings.len before rpi_dist_park */
} dist;

/* A reader over received bytes; a short read sets bad (a bug or a bad peer). */
typedef struct cursor {
    const char *p, *end;
    int bad;
} cursor;

/* "rank R: the exchange between ranks failed" (RP_EIO). */
int dx_tp_failed(dist *d);
/* Agree on the status: every rank returns the code and message of the lowest failing rank. */
int dx_agree(dist *d, int rc);
/* Send d->parts[i] to rank i (given back) and receive into d->recv, when every rank is well
 * (rc: this rank's status); what: the exchange (RPI_X_*), for the statistics. */
int dx_xchg(dist *d, int rc, int what);
/* The same from one buffer, send: d->sout[i] bytes for each rank i, in rank order
 * (all zero when rc is not RP_OK). */
int dx_xchg_raw(dist *d, int rc, const char *send, int what);
int dx_put(rpi_buf *b, const void *p, size_t n);
int dx_put64(rpi_buf *b, uint64_t v);
int dx_put32(rpi_buf *b, uint32_t v);
void dx_take(cursor *k, void *dst, size_t n);
uint64_t dx_take64(cursor *k);
uint32_t dx_take32(cursor *k);
/* n bytes at the cursor (NULL and bad when fewer are left). */
const char *dx_skip(cursor *k, size_t n);
/* rc, with "out of memory" as this rank's message when rc is RP_ENOMEM. */
int dx_nomem(dist *d, int rc);
/* "rank R: garbled data from another rank" (RP_EIO). */
int dx_garbled(dist *d);
/* Every rank's number of rounds, mine for this rank: the most any rank needs
 * (at least 1), in *nq on every rank; fails only when the transport does. */
int dx_most_rounds(dist *d, uint64_t mine, uint64_t *nq);
/* The rank holding document g (global number). */
int dx_rank_of(const dist *d, uint64_t g);

/* An array written once in order to an unlinked temporary file (fd; -1:
 * none), and mapped once whole: what a rank collects beyond a round, out of
 * its memory (rank 0's results, a rank's part of the joins). */
typedef struct dx_spool {
    int fd;
    size_t sz; /* bytes of an element */
    uint64_t n; /* elements put */
    uint64_t written; /* bytes in the file (c->dist_spooled counts them) */
    rpi_buf buf; /* bytes not yet written */
} dx_spool;
/* "cannot WHAT the temporary results in $TMPDIR: ..." (RP_EIO). */
int dx_spool_error(dist *d, const char *what);
int dx_spool_put(dist *d, dx_spool *s, const void *p, size_t n);
/* What was put, mapped in *out (MAP_PRIVATE, its s->written bytes); *out
 * NULL when nothing was. Nothing more may be put. */
int dx_spool_map(dist *d, dx_spool *s, void **out);
/* The file closed and the buffer freed (a mapping stays, the file with it). */
void dx_spool_close(dx_spool *s);
/* Rank 0, through passes 2 and 3: c->ndocs its own documents, as on every
 * rank, whose slots take a round's documents over the others' records (in
 * the record store since the merge: their mapped pages given back); and
 * back, rc kept. No-ops where nothing was stored. */
int rpi_dist_park(dist *d);
int rpi_dist_unpark(dist *d, int rc);
/* Passes 2 and 3 of the default scan on the ranks, after the copies (distpairs.c). */
int rpi_dist_pairs(dist *d);

/* A rank's part of the story and timeline joins (distjoin.c): the pairs
 * and copy clusters of the components rank 0 dealt it, in the part's own
 * numbers (docs[i]: the global number of its document i, ascending), and
 * the story vectors its join weighs. Set spool.fd to -1 before the deal. */
typedef struct rpi_djoin {
    dx_spool spool; /* the pairs as they come (rp_pair) */
    rp_pair *pairs; /* then mapped from it */
    size_t npairs;
    size_t *start; /* copy clusters: members mem[start[k] .. start[k+1]) */
    uint32_t *mem;
    size_t ncl, capstart, nmem, capmem;
    rpi_clusters copies; /* (start, mem) as clusters, once all came */
    uint32_t *docs;
    size_t ndocs, capdocs;
    rpi_buf vbuf; /* the vectors fetched */
    rpi_vecstore vs;
} rpi_djoin;
/* Every rank, after rank 0 collected the listed pairs and before the
 * features are freed: rank 0 deals the components of its pairs and copy
 * clusters to the ranks, each takes its part and fetches its story vectors.
 * rc: this rank's status (passed on; every rank makes every exchange). */
int rpi_dist_join_deal(dist *d, rpi_djoin *j, int rc);
/* Then (the features may be freed): each rank joins its part, and rank 0
 * builds c->st and c->tl from every rank's, as one process does. */
int rpi_dist_join_run(dist *d, rpi_djoin *j, int rc);
void rpi_dist_join_free(rpi_djoin *j);

#endif /* RP_DISTRIB_H */
