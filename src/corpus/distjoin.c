/* SPDX-License-Identifier: MIT */
/*
 * distjoin.c -- stories and timelines joined on the ranks (issue 13), after
 * rank 0 collected the listed pairs (distpairs.c).
 *
 * The joins (rpi_stories, rpi_timelines_build) link documents through their
 * related pairs (up to same-topic) and their copy clusters only, and what
 * they make of a connected component of those links depends on the
 * component alone: no rule weighs a link of another component, every tie is
 * broken by document numbers, and a numbering that keeps the documents'
 * order gives the same choices (story.c numbers its units so already). So:
 *
 *   deal     rank 0 finds the components (union-find over the pairs and
 *            the clusters: a few words a document in a pair) and deals
 *            them to the ranks by their first document, each rank taking
 *            its share of the pairs left (a component larger than a share
 *            is one rank's: on the news corpus one holds 77% of the pairs,
 *            so the join is divided only that far), and numbers each
 *            part's documents 0.. in their order; each rank gets its
 *            part's documents, its pairs with what the joins read of them
 *            (the part's numbers, relation, event and specifics
 *            similarities, and the why that makes a pair a veto or a
 *            support: written to a temporary file as they come, and
 *            mapped) and its clusters, in rounds of a 32nd of --memory;
 *   vectors  each rank asks the story vectors its join weighs of the ranks
 *            holding the documents (their features are still there);
 *   run      each rank joins stories and timelines on its part as one
 *            process does, and
 *            sends rank 0 its stories (members) and timelines (events);
 *            rank 0 builds the stories from them with its preference for
 *            the representative (the documents' records are its), numbers
 *            the timelines by their first document and dates and orders
 *            their events (rpi_timelines_date), as one process does.
 *
 * Rank 0 still holds every listed pair (in files it maps: its outputs write
 * them), but it no longer joins them all: each rank joins its part.
 */
#include "distrib.h"
#include "pairs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { JOIN_SHARE = 32, JOIN_ROUNDS = 64 };

/* The pairs the joins read: related (up to same-topic), of two documents. */
static int joined(const rp_pair *p)
{
    return p->relation <= RP_REL_SAME_TOPIC && p->a != p->b;
}

/* What makes a pair a veto or a support of the joins (rpi_story_veto, then
 * rpi_story_support_why: static strings that give the same answer read
 * again), or "" for neither. */
static const char *join_why(const rp_pair *p)
{
    const char *w = rpi_story_veto(p);
    if (!w)
        w = rpi_story_support_why(p);
    return w ? w : "";
}

/* What a pair takes in a part, at most (its whole why, not what join_why keeps). */
static size_t pair_bytes(const rp_pair *p)
{
    return 5 * 4 + 4 + (p->why ? strlen(p->why) : 0);
}

/* ---- rank 0: the components, dealt ---------------------------------------------------- */

/*
 * The documents in a joined pair or a cluster, as a set over the run's
 * documents: a bit each, and the count of those before each word of 64, so
 * that a document's place among them (its rank in the set) is one popcount
 * (a sorted list and a binary search per pair end took as long as a third
 * of the join itself: 0.086 s for 159,518 pairs on 200,000 generated
 * documents, against 0.39 s for the whole join in one process). 1.5 bits a
 * document of the run, as story.c's bit per document.
 */
typedef struct dealer {
    uint64_t *bits;
    uint32_t *before; /* [w]: members in words 0 .. w-1 */
    size_t k; /* members */
    uint32_t *parent; /* union-find over the members' places (a root is its set's first) */
    uint32_t *owner; /* at a root: the rank joining its component (first its
                        pairs: fewer than 2^32, 446 GB of them in rank 0's files) */
    uint32_t *num; /* a member's number in its rank's part (its place among the part's) */
} dealer;

static void dealer_free(dealer *x)
{
    rpi_free(x->bits);
    rpi_free(x->before);
    rpi_free(x->parent);
    rpi_free(x->owner);
    rpi_free(x->num);
}

static void mark(dealer *x, uint32_t doc)
{
    x->bits[doc / 64] |= (uint64_t)1 << doc % 64;
}

static uint32_t place_of(const dealer *x, uint32_t doc)
{
    uint64_t below = x->bits[doc / 64] & (((uint64_t)1 << doc % 64) - 1);
    return x->before[doc / 64] + (uint32_t)__builtin_popcountll(below);
}

static uint32_t root_of(dealer *x, uint32_t doc)
{
    return rpi_uf_find(x->parent, place_of(x, doc));
}

static void unite(dealer *x, uint32_t a, uint32_t b)
{
    uint32_t ra = root_of(x, a), rb = root_of(x, b);
    if (ra != rb)
        x->parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
}

/* The components of rank 0's pairs and clusters, and their ranks. */
static int deal(dist *d, dealer *x)
{
    rp_corpus *c = d->c;
    const rpi_clusters *cl = &c->cl;
    const size_t nw = c->ndocs / 64 + 1;
    x->bits = rpi_calloc(nw, sizeof *x->bits);
    x->before = rpi_malloc(nw * sizeof *x->before);
    if (!x->bits || !x->before)
        return RP_ENOMEM;
    for (size_t i = 0; i < c->npairs; i++)
        if (joined(&c->pairs[i])) {
            mark(x, c->pairs[i].a);
            mark(x, c->pairs[i].b);
        }
    for (size_t i = 0; cl->n && i < cl->start[cl->n]; i++)
        mark(x, cl->members[i]);
    for (size_t w = 0; w < nw; w++) {
        x->before[w] = (uint32_t)x->k;
        x->k += (size_t)__builtin_popcountll(x->bits[w]);
    }
    x->parent = rpi_malloc(x->k * sizeof *x->parent + 1);
    x->owner = rpi_calloc(x->k + 1, sizeof *x->owner);
    if (!x->parent || !x->owner)
        return RP_ENOMEM;
    for (size_t u = 0; u < x->k; u++)
        x->parent[u] = (uint32_t)u;
    for (size_t i = 0; i < c->npairs; i++)
        if (joined(&c->pairs[i]))
            unite(x, c->pairs[i].a, c->pairs[i].b);
    for (size_t s = 0; s < cl->n; s++)
        for (size_t i = cl->start[s] + 1; i < cl->start[s + 1]; i++)
            unite(x, cl->members[cl->start[s]], cl->members[i]);
    /* Every member straight to its root (a root is its set's first place,
     * so the roots before u are final when u is reached). */
    for (size_t u = 0; u < x->k; u++)
        x->parent[u] = x->parent[x->parent[u]];
    /* Each component's pairs counted at its root (a join's time goes with
     * its pairs: 2.5-3.8 microseconds each), then the components in the
     * order of their first document to the ranks from the last (rank 0,
     * which also deals and gathers, last), each rank taking them until it
     * has its share of what is left: a component is joined whole, so one
     * larger than a share is a rank's alone (on the news corpus one holds
     * 28,685 of the 37,430 pairs), and the others share the rest. */
    uint64_t total = 0;
    for (size_t i = 0; i < c->npairs; i++)
        if (joined(&c->pairs[i])) {
            x->owner[root_of(x, c->pairs[i].a)]++;
            total++;
        }
    uint64_t left = total, own = 0;
    uint32_t r = (uint32_t)d->size - 1;
    for (size_t u = 0; u < x->k; u++) {
        if (x->parent[u] != u)
            continue;
        own += x->owner[u];
        x->owner[u] = r;
        if (r > 0 && own * (r + 1) >= left) { /* (its share: left / the ranks left) */
            left -= own;
            own = 0;
            r--;
        }
    }
    /* Each document's number in its part, in order: rank 0 numbers the
     * parts, so that a rank writes its part once, as it comes. */
    uint32_t *next = rpi_calloc((size_t)d->size, sizeof *next);
    x->num = rpi_malloc(x->k * sizeof *x->num + 1);
    if (!next || !x->num) {
        rpi_free(next);
        return RP_ENOMEM;
    }
    for (size_t u = 0; u < x->k; u++)
        x->num[u] = next[x->owner[x->parent[u]]]++;
    rpi_free(next);
    return RP_OK;
}

/* Document doc's number in its part (doc in a joined pair or a cluster). */
static uint32_t num_of(const dealer *x, uint32_t doc)
{
    return x->num[place_of(x, doc)];
}

/* Round q of nq of rank 0's documents (by place), pairs and clusters (by
 * index) to their ranks, the pairs and clusters in the parts' numbers. */
static int deal_round(dist *d, dealer *x, uint64_t q, uint64_t nq)
{
    rp_corpus *c = d->c;
    const rpi_clusters *cl = &c->cl;
    const size_t u0 = (size_t)(x->k * q / nq), u1 = (size_t)(x->k * (q + 1) / nq);
    const size_t p0 = (size_t)(c->npairs * q / nq), p1 = (size_t)(c->npairs * (q + 1) / nq);
    const size_t s0 = (size_t)(cl->n * q / nq), s1 = (size_t)(cl->n * (q + 1) / nq);
    const size_t nw = c->ndocs / 64 + 1;
    /* Each part: its documents', pairs' and clusters' counts, then them. */
    uint64_t *head = rpi_calloc(3 * (size_t)d->size + 1, sizeof *head);
    if (!head)
        return RP_ENOMEM;
    for (size_t u = u0; u < u1; u++)
        head[3 * x->owner[x->parent[u]]]++;
    for (size_t i = p0; i < p1; i++)
        if (joined(&c->pairs[i]))
            head[3 * x->owner[root_of(x, c->pairs[i].a)] + 1]++;
    for (size_t s = s0; s < s1; s++)
        head[3 * x->owner[root_of(x, cl->members[cl->start[s]])] + 2]++;
    int rc = RP_OK;
    for (int r = 0; rc == RP_OK && r < d->size; r++)
        rc = dx_put(&d->parts[r], &head[3 * r], 3 * sizeof *head);
    rpi_free(head);
    /* The documents at places u0 .. u1, ascending, from the word holding
     * u0 (the last whose count before it is at most u0). */
    size_t w0 = 0;
    for (size_t lo = 0, hi = nw; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->before[mid] <= u0)
            w0 = mid, lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t w = w0; rc == RP_OK && w < nw && x->before[w] < u1; w++) {
        uint64_t bits = x->bits[w];
        for (size_t u = x->before[w]; rc == RP_OK && bits; u++, bits &= bits - 1)
            if (u >= u0 && u < u1)
                rc = dx_put32(&d->parts[x->owner[x->parent[u]]],
                              (uint32_t)(64 * w + (size_t)__builtin_ctzll(bits)));
    }
    for (size_t i = p0; rc == RP_OK && i < p1; i++) {
        const rp_pair *p = &c->pairs[i];
        if (!joined(p))
            continue;
        rpi_buf *b = &d->parts[x->owner[root_of(x, p->a)]];
        const char *why = join_why(p);
        uint32_t v[3] = {num_of(x, p->a), num_of(x, p->b), (uint32_t)p->relation};
        float f[2] = {(float)p->event, (float)p->specifics};
        uint32_t len = (uint32_t)strlen(why);
        if ((rc = dx_put(b, v, sizeof v)) != RP_OK || (rc = dx_put(b, f, sizeof f)) != RP_OK ||
            (rc = dx_put32(b, len)) != RP_OK)
            break;
        rc = dx_put(b, why, len);
    }
    for (size_t s = s0; rc == RP_OK && s < s1; s++) {
        rpi_buf *b = &d->parts[x->owner[root_of(x, cl->members[cl->start[s]])]];
        rc = dx_put32(b, (uint32_t)(cl->start[s + 1] - cl->start[s]));
        for (size_t i = cl->start[s]; rc == RP_OK && i < cl->start[s + 1]; i++)
            rc = dx_put32(b, num_of(x, cl->members[i]));
    }
    return rc;
}

/* ---- every rank: its part ------------------------------------------------------------- */

/* Take a round of this rank's part from rank 0: its documents (global
 * numbers, ascending), appended; its pairs and clusters (the part's
 * numbers), the pairs onto the spool. Checked as far as a round can be. */
static int take_part(dist *d, rpi_djoin *j)
{
    rp_corpus *c = d->c;
    const uint64_t total = d->base[d->size];
    for (int r = 1; r < d->size; r++)
        if (d->sin[r])
            return dx_garbled(d); /* (only rank 0 deals) */
    cursor k = {d->recv.data, d->recv.data + d->sin[0], 0};
    if (!d->sin[0])
        return RP_OK;
    uint64_t head[3];
    dx_take(&k, head, sizeof head);
    if (k.bad || head[0] > d->sin[0] / 4 || head[1] > d->sin[0] / 24 || head[2] > d->sin[0] / 12)
        return dx_garbled(d);
    if (j->ndocs + head[0] > j->capdocs)
        RP_TRY(rpi_grow((void **)&j->docs, &j->capdocs, j->ndocs + (size_t)head[0],
                        sizeof *j->docs));
    for (uint64_t i = 0; i < head[0]; i++) {
        uint32_t g = dx_take32(&k);
        if (k.bad || g >= total || (j->ndocs && g <= j->docs[j->ndocs - 1]))
            return dx_garbled(d);
        j->docs[j->ndocs++] = g;
    }
    if (head[1] && j->spool.fd < 0 && (j->spool.fd = rpi_tmpfile()) < 0)
        return dx_spool_error(d, "write");
    for (uint64_t i = 0; i < head[1]; i++) {
        uint32_t v[3];
        float f[2];
        dx_take(&k, v, sizeof v);
        dx_take(&k, f, sizeof f);
        uint32_t len = dx_take32(&k);
        const char *why = dx_skip(&k, len);
        if (k.bad || v[0] >= v[1] || v[2] > RP_REL_SAME_TOPIC)
            return dx_garbled(d);
        rp_pair p;
        memset(&p, 0, sizeof p); /* (its padding too: the bytes go to a file) */
        p.a = v[0];
        p.b = v[1];
        p.relation = (rp_relation)v[2];
        p.event = f[0];
        p.specifics = f[1];
        p.why = "";
        if (len)
            RP_TRY(rpi_intern(c, why, len, &p.why));
        RP_TRY(dx_spool_put(d, &j->spool, &p, 1));
    }
    for (uint64_t s = 0; s < head[2]; s++) {
        uint32_t n = dx_take32(&k);
        const char *m = dx_skip(&k, (size_t)n * 4);
        if (k.bad || n < 2)
            return dx_garbled(d);
        if (j->ncl + 2 > j->capstart)
            RP_TRY(rpi_grow((void **)&j->start, &j->capstart, j->ncl + 2, sizeof *j->start));
        if (j->nmem + n > j->capmem)
            RP_TRY(rpi_grow((void **)&j->mem, &j->capmem, j->nmem + n, sizeof *j->mem));
        memcpy(j->mem + j->nmem, m, (size_t)n * 4);
        for (uint32_t i = 1; i < n; i++)
            if (j->mem[j->nmem + i] <= j->mem[j->nmem + i - 1])
                return dx_garbled(d);
        j->start[j->ncl] = j->nmem;
        j->nmem += n;
        j->start[++j->ncl] = j->nmem;
    }
    return k.p == k.end ? RP_OK : dx_garbled(d);
}

/* The part's pairs mapped from the spool (an array of memory written once
 * would be 104 bytes a pair on the rank joining a large component), and
 * its numbers checked against its documents. */
static int settle_part(dist *d, rpi_djoin *j)
{
    void *m;
    RP_TRY(dx_spool_map(d, &j->spool, &m));
    j->pairs = m;
    j->npairs = (size_t)j->spool.n;
    dx_spool_close(&j->spool); /* (the mapping stays; s->written its length) */
    for (size_t i = 0; i < j->npairs; i++)
        if (j->pairs[i].b >= j->ndocs)
            return dx_garbled(d);
    for (size_t i = 0; i < j->nmem; i++)
        if (j->mem[i] >= j->ndocs)
            return dx_garbled(d);
    j->copies = (rpi_clusters){.n = j->ncl, .start = j->start, .members = j->mem};
    return RP_OK;
}

/*
 * The story vectors of the documents this rank's join weighs
 * (rpi_stories_vectors_needed), from the ranks holding them (its own
 * computed here; every rank's features are still there), into j->vs.
 */
static int fetch_vectors(dist *d, rpi_djoin *j, int rc)
{
    rp_corpus *c = d->c;
    const uint64_t mine = d->base[d->rank], next = d->base[d->rank + 1];
    uint32_t *need = NULL;
    size_t nneed = 0;
    rpi_buf own = {0};
    rpi_view v = {.doc = UINT32_MAX};
    if (rc == RP_OK)
        rc = dx_nomem(d, rpi_stories_vectors_needed(j->ndocs, j->pairs, j->npairs, &j->copies,
                                                    &need, &nneed));
    for (size_t i = 0; rc == RP_OK && i < nneed; i++) {
        uint32_t g = need[i] = j->docs[need[i]]; /* (ascending still) */
        if (g >= mine && g < next)
            rc = dx_nomem(d, rpi_story_vector_put(c, &v, (uint32_t)(g - mine), g, &own));
        else
            rc = dx_nomem(d, dx_put32(&d->parts[dx_rank_of(d, g)], g));
    }
    rc = dx_xchg(d, rc, RPI_X_VECTOR_REQUESTS);
    size_t at = 0;
    for (int r = 0; rc == RP_OK && r < d->size; at += (size_t)d->sin[r], r++) {
        if (d->sin[r] % 4)
            rc = dx_garbled(d);
        for (size_t i = 0; rc == RP_OK && i < d->sin[r] / 4; i++) {
            uint32_t g;
            memcpy(&g, d->recv.data + at + 4 * i, 4);
            if (g < mine || g >= next)
                rc = dx_garbled(d);
            else
                rc = dx_nomem(d, rpi_story_vector_put(c, &v, (uint32_t)(g - mine), g,
                                                      &d->parts[r]));
        }
    }
    rpi_view_free(&v);
    rc = dx_xchg(d, rc, RPI_X_VECTORS);
    /* The others' received, then this rank's own, in one store: each record
     * found by its document among those asked. */
    if (rc == RP_OK)
        rc = dx_nomem(d, rpi_buf_append(&d->recv, own.data, own.len));
    rpi_buf_free(&own);
    if (rc == RP_OK) {
        j->vbuf = d->recv;
        d->recv = (rpi_buf){0};
        j->vs.doc = need;
        j->vs.n = nneed;
        need = NULL;
        j->vs.at = rpi_malloc(j->vs.n * sizeof *j->vs.at + 1);
        if (!j->vs.at)
            rc = dx_nomem(d, RP_ENOMEM);
    }
    for (size_t i = 0; rc == RP_OK && i < j->vs.n; i++)
        j->vs.at[i] = SIZE_MAX;
    size_t got = 0;
    for (size_t off = 0, end; rc == RP_OK && off < j->vbuf.len; off = end, got++) {
        uint32_t g;
        if (!rpi_story_vector_check(j->vbuf.data, j->vbuf.len, off, &end))
            rc = dx_garbled(d);
        else {
            memcpy(&g, j->vbuf.data + off, 4);
            size_t i = rpi_find_u32(j->vs.doc, j->vs.n, g);
            if (i == j->vs.n || j->vs.at[i] != SIZE_MAX)
                rc = dx_garbled(d); /* not asked, or twice */
            else
                j->vs.at[i] = off;
        }
    }
    if (rc == RP_OK && got != j->vs.n)
        rc = dx_garbled(d);
    if (rc == RP_OK) {
        j->vs.data = j->vbuf.data;
        j->vs.len = j->vbuf.len;
    }
    rpi_free(need);
    return rc;
}

int rpi_dist_join_deal(dist *d, rpi_djoin *j, int rc)
{
    rp_corpus *c = d->c;
    dealer x = {0};
    uint64_t bytes = 0, nq = 1;
    if (d->rank == 0 && rc == RP_OK) {
        rc = dx_nomem(d, deal(d, &x));
        for (size_t i = 0; rc == RP_OK && i < c->npairs; i++)
            bytes += joined(&c->pairs[i]) ? pair_bytes(&c->pairs[i]) : 0;
        bytes += 4 * (x.k + c->cl.n + (c->cl.n ? c->cl.start[c->cl.n] : 0));
    }
    /* Rounds of a 32nd of --memory (rank 0 holds a round's parts once, a
     * rank its part as received and parsed), at most JOIN_ROUNDS: each is an
     * exchange every rank waits for. */
    const uint64_t per = c->opt.memory / JOIN_SHARE + 1, want = bytes / per + 1;
    int trc = dx_most_rounds(d, want < JOIN_ROUNDS ? want : JOIN_ROUNDS, &nq);
    if (trc != RP_OK) {
        dealer_free(&x);
        return trc;
    }
    for (uint64_t q = 0; q < nq; q++) {
        if (d->rank == 0 && rc == RP_OK)
            rc = dx_nomem(d, deal_round(d, &x, q, nq));
        rc = dx_xchg(d, rc, RPI_X_JOIN_PARTS);
        if (rc == RP_OK)
            rc = dx_nomem(d, take_part(d, j));
    }
    dealer_free(&x);
    rpi_buf_free(&d->recv);
    if (rc == RP_OK)
        rc = dx_nomem(d, settle_part(d, j));
    return fetch_vectors(d, j, rc);
}

/* ---- every rank: the joins; rank 0: their results -------------------------------------- */

/* A document's story vectors (rpi_vector_fn) from those fetched, by the
 * part's own numbers. */
typedef struct partvec {
    rp_corpus *c;
    const rpi_djoin *j;
    rpi_term *t; /* a fetched vector, aligned */
    size_t capt;
} partvec;

static int part_vector(void *ctx, uint32_t doc, int which, const rpi_term **t, size_t *n)
{
    partvec *pv = ctx;
    const rpi_vecstore *vs = &pv->j->vs;
    size_t i = rpi_find_u32(vs->doc, vs->n, pv->j->docs[doc]);
    if (i == vs->n) { /* (the join asks for those rpi_stories_vectors_needed named) */
        rpi_fmt(pv->c->err, sizeof pv->c->err,
                "internal error: the story vectors of document %u were not fetched",
                pv->j->docs[doc]);
        return RP_EINTERNAL;
    }
    return rpi_story_vector_get(vs->data + vs->at[i], vs->len - vs->at[i], which, &pv->t,
                                &pv->capt, t, n);
}

/* Any order will do where only the members count (the part's stories). */
static int prefer_first(void *ctx, uint32_t a, uint32_t b)
{
    (void)ctx;
    return (a > b) - (a < b);
}

/* No date: a part's timelines are dated on rank 0, which holds the records. */
static int64_t date_none(void *ctx, uint32_t doc)
{
    (void)ctx;
    (void)doc;
    return INT64_MAX;
}

/* This rank's stories and timelines, to rank 0 (global numbers). */
static int join_part(dist *d, rpi_djoin *j)
{
    rpi_clusters st = {0};
    rpi_timelines tl = {0};
    partvec pv = {.c = d->c, .j = j};
    rpi_buf *b = &d->parts[0];
    int rc = rpi_stories(j->ndocs, j->pairs, j->npairs, &j->copies, prefer_first, NULL,
                         part_vector, &pv, &st);
    if (rc == RP_OK)
        rc = rpi_timelines_build(j->ndocs, j->pairs, j->npairs, &st, date_none, NULL, &tl);
    uint64_t head[2] = {st.n, tl.n};
    if (rc == RP_OK)
        rc = dx_put(b, head, sizeof head);
    for (size_t s = 0; rc == RP_OK && s < st.n; s++) {
        rc = dx_put32(b, (uint32_t)(st.start[s + 1] - st.start[s]));
        for (size_t i = st.start[s]; rc == RP_OK && i < st.start[s + 1]; i++)
            rc = dx_put32(b, j->docs[st.members[i]]);
    }
    for (size_t t = 0; rc == RP_OK && t < tl.n; t++) {
        rc = dx_put32(b, (uint32_t)(tl.start[t + 1] - tl.start[t]));
        for (size_t e = tl.start[t]; rc == RP_OK && e < tl.start[t + 1]; e++) {
            uint32_t v[2] = {j->docs[tl.ev[e].doc], tl.ev[e].story != UINT32_MAX};
            rc = dx_put(b, v, sizeof v);
        }
    }
    rpi_free(pv.t);
    rpi_clusters_free(&st);
    rpi_timelines_free(&tl);
    return rc;
}

/* A timeline as a rank sent it: its events at [at, at + n) of the received
 * bytes, its first document. */
typedef struct tline {
    uint32_t first;
    size_t at, n;
} tline;

static int cmp_tline(const void *x, const void *y)
{
    const tline *p = x, *q = y;
    return (p->first > q->first) - (p->first < q->first);
}

/* Rank 0: the stories and timelines every rank sent, into c->st and c->tl. */
static int gather(dist *d)
{
    rp_corpus *c = d->c;
    const uint64_t total = d->base[d->size];
    rp_pair *star = NULL;
    size_t nstar = 0, capstar = 0, nt = 0, captl = 0, nev = 0;
    tline *tls = NULL;
    uint64_t *lead = NULL;
    int rc = RP_OK;
    /* The stories as stars (a story's first member with each other one),
     * built into stories as one process builds them (its representative:
     * rpi_prefer_story); the timelines' places. (One process's star starts
     * from the first document of the group the pairs made, which a unit
     * that joined alone may precede: the same members and representative,
     * but rpi_clusters_build's dedup decisions, c->st.removed, may differ.
     * No output reads them.) */
    size_t at = 0;
    for (int r = 0; rc == RP_OK && r < d->size; at += (size_t)d->sin[r], r++) {
        cursor k = {d->recv.data + at, d->recv.data + at + d->sin[r], 0};
        uint64_t head[2] = {0, 0};
        if (d->sin[r])
            dx_take(&k, head, sizeof head);
        if (k.bad || head[0] > d->sin[r] / 12 || head[1] > d->sin[r] / 12) {
            rc = dx_garbled(d);
            break;
        }
        for (uint64_t s = 0; rc == RP_OK && s < head[0]; s++) {
            uint32_t n = dx_take32(&k), first = 0, last = 0;
            if (k.bad || n < 2 || n > (size_t)(k.end - k.p) / 4) {
                rc = dx_garbled(d);
                break;
            }
            if (nstar + n > capstar)
                rc = dx_nomem(d, rpi_grow((void **)&star, &capstar, nstar + n, sizeof *star));
            for (uint32_t i = 0; rc == RP_OK && i < n; i++) {
                uint32_t m = dx_take32(&k);
                if (m >= total || (i && m <= last))
                    rc = dx_garbled(d); /* (members ascending) */
                else if (!i)
                    first = m;
                else
                    star[nstar++] = (rp_pair){.a = first, .b = m};
                last = m;
            }
        }
        for (uint64_t t = 0; rc == RP_OK && t < head[1]; t++) {
            uint32_t n = dx_take32(&k);
            const char *ev = dx_skip(&k, (size_t)n * 8);
            if (k.bad || n < 2) {
                rc = dx_garbled(d);
                break;
            }
            if (nt == captl)
                rc = dx_nomem(d, rpi_grow((void **)&tls, &captl, nt + 1, sizeof *tls));
            if (rc != RP_OK)
                break;
            tline *x = &tls[nt++];
            *x = (tline){UINT32_MAX, (size_t)(ev - d->recv.data), n};
            for (uint32_t e = 0; e < n; e++) {
                uint32_t v[2];
                memcpy(v, ev + 8 * (size_t)e, sizeof v);
                if (v[0] >= total || v[1] > 1)
                    rc = dx_garbled(d);
                x->first = v[0] < x->first ? v[0] : x->first;
            }
            nev += n;
        }
        if (rc == RP_OK && k.p != k.end)
            rc = dx_garbled(d);
    }
    if (rc == RP_OK)
        rc = dx_nomem(d, rpi_clusters_build(c->ndocs, star, nstar, rpi_prefer_story, c, &c->st));
    rpi_free(star);
    /* The timelines by their first document (as one process numbers them),
     * each event's story found by its first member. */
    rpi_timelines *tl = &c->tl;
    if (rc == RP_OK) {
        if (nt > 1)
            qsort(tls, nt, sizeof *tls, cmp_tline);
        lead = rpi_malloc(c->st.n * sizeof *lead + 1);
        tl->start = rpi_calloc(nt + 1, sizeof *tl->start);
        tl->ev = rpi_malloc(nev * sizeof *tl->ev + 1);
        if (!lead || !tl->start || !tl->ev)
            rc = dx_nomem(d, RP_ENOMEM);
    }
    if (rc == RP_OK) {
        for (size_t s = 0; s < c->st.n; s++)
            lead[s] = (uint64_t)c->st.members[c->st.start[s]] << 32 | s;
        uint64_t *tmp = NULL;
        size_t captmp = 0;
        rc = dx_nomem(d, rpi_sort_u64(lead, c->st.n, &tmp, &captmp));
        rpi_free(tmp);
    }
    for (size_t t = 0, e = 0; rc == RP_OK && t < nt; t++) {
        for (size_t i = 0; i < tls[t].n; i++) {
            uint32_t v[2];
            memcpy(v, d->recv.data + tls[t].at + 8 * i, sizeof v);
            uint32_t story = UINT32_MAX;
            if (v[1]) {
                size_t l = rpi_lower_bound_u64(lead, c->st.n, (uint64_t)v[0] << 32);
                if (l == c->st.n || lead[l] >> 32 != v[0]) {
                    rc = dx_garbled(d); /* (a story no rank sent) */
                    break;
                }
                story = (uint32_t)lead[l];
            }
            tl->ev[e++] = (rpi_event){story, v[0], INT64_MAX, INT64_MAX};
        }
        tl->start[t + 1] = e;
    }
    if (rc == RP_OK) {
        tl->n = nt;
        rpi_timelines_date(tl, &c->st, rpi_date_of, c);
    }
    rpi_free(tls);
    rpi_free(lead);
    return rc;
}

int rpi_dist_join_run(dist *d, rpi_djoin *j, int rc)
{
    if (rc == RP_OK)
        rc = dx_nomem(d, join_part(d, j));
    rc = dx_xchg(d, rc, RPI_X_JOINED);
    if (rc == RP_OK && d->rank == 0)
        rc = gather(d);
    rpi_buf_free(&d->recv);
    return rc;
}

void rpi_dist_join_free(rpi_djoin *j)
{
    if (j->pairs)
        munmap(j->pairs, (size_t)j->spool.written);
    dx_spool_close(&j->spool);
    rpi_free(j->start);
    rpi_free(j->mem);
    rpi_free(j->docs);
    rpi_free(j->vs.doc);
    rpi_free(j->vs.at);
    rpi_buf_free(&j->vbuf);
    memset(j, 0, sizeof *j);
}
