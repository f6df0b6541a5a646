/* SPDX-License-Identifier: MIT */
/*
 * distpairs.c -- passes 2 and 3 of the default scan divided among ranks,
 * after the copies (distrib.c). Every step is the one-process code of
 * pairs.c on a rank's part, so rank 0 ends with what one process holds:
 *
 *   counts     the count keys of pass 1 (lines, words) go to the rank owning
 *              them, which sums them and sends each rank the whole run's
 *              counts of its own keys: pass 2 decides furniture and weighs
 *              words by them
 *   pass 2     each rank on its own documents (furniture, features kept);
 *              the sampled n-grams and key terms go to their owners, which
 *              pair the documents sharing one (rpi_postings_pairs) and send
 *              each pair to the rank comparing it, one of its two documents'
 *              (pair_rank); rank 0 sends the fast path's copies the same way
 *   pass 3     one rank runs the one-process passes; on several, each
 *              compares its pairs, ordered by the document of another rank
 *              they need (by_remote), in rounds of such documents within a
 *              quarter of --memory, whose text, shingles, furniture and
 *              packed features it fetches from their rank for the round
 *   collect    the listed pairs, their passages and differences, and the
 *              furniture go to rank 0 in rounds by document range, which
 *              collects them as one process does into temporary files that
 *              it maps (collect_results); the stories and timelines are
 *              joined on the ranks, by component (distjoin.c); rank 0
 *              fetches the texts its outputs
 *              show (those of passages and differences; every text for the
 *              report or the furniture list, rp_transport.all_texts;
 *              none when no output shows one, rp_transport.no_texts)
 *
 * From the first exchange on every rank makes every call, passing on its
 * status, so that all stop at the same exchange with the same message.
 */
#define _POSIX_C_SOURCE 200809L
#include "distrib.h"
#include "pairs.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Documents of other ranks fetched for one round of pass 3: what the stores
 * left of rp_options.memory for them (1/RPI_ROUND_SHARE) over
 * RPI_ROUND_BYTES, at least RPI_ROUND_MIN. A generated article of about 2.3
 * KB, with its shingles and features (about 5 KB sent), raised a rank's peak
 * by about 23 KB a document of the round (sent, received, and the
 * comparisons' views and scratch): 8,192 a round added 190 MB. Every round
 * ends with an exchange that every rank waits for, so the ranks' rounds take
 * as long as the slowest one's, and rounds should be few (4,096 documents a
 * round on two ranks of the news corpus: a first round of 0.6 s on rank 0
 * beside 0.1 s on rank 1, then 0.35 s on rank 1 alone; 16,384: one round
 * each).
 */
#define RPI_ROUND_BYTES ((size_t)24 << 10)
#define RPI_ROUND_MIN 1024

/* The rank owning a key (count keys, posting keys): a hash of it. */
static int owner_of(const dist *d, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ULL;
    return (int)((h >> 32) % (uint64_t)d->size);
}

/*
 * The rank that compares pair code (a << 32 | b): one of the two holding its
 * documents, chosen by a hash of the pair, so that the pairs across two ranks
 * are shared between them (the rank of a alone would take all of them: on
 * two ranks, rank 0 would compare every pair across the two).
 */
static int pair_rank(const dist *d, uint64_t code)
{
    int ra = dx_rank_of(d, code >> 32), rb = dx_rank_of(d, (uint32_t)code);
    if (ra == rb)
        return ra;
    uint64_t h = code * 0x9E3779B97F4A7C15ULL;
    return h >> 63 ? ra : rb;
}

/* Is document g (global number) this rank's? */
static int is_mine(const dist *d, uint64_t g)
{
    return g >= d->base[d->rank] && g < d->base[d->rank + 1];
}

/* ---- counts ------------------------------------------------------------------- */

typedef struct keycount {
    uint64_t key;
    uint32_t count; /* this rank's, then the sum */
    uint32_t at; /* its place in what was received */
} keycount;

static int cmp_keycount(const void *x, const void *y)
{
    const keycount *p = x, *q = y;
    return (p->key > q->key) - (p->key < q->key);
}

/* The owner's side: sum the counts received (12 bytes each) and answer each
 * rank with the sums of its keys, in the order it sent them. */
static int sum_received(dist *d)
{
    size_t n = d->recv.len / 12;
    if (d->recv.len % 12)
        return dx_garbled(d);
    keycount *e = rpi_malloc(n * sizeof *e + 1);
    uint32_t *sum = rpi_malloc(n * sizeof *sum + 1);
    int rc = e && sum ? RP_OK : RP_ENOMEM;
    cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
    for (size_t i = 0; i < n && rc == RP_OK; i++) {
        e[i].key = dx_take64(&k);
        e[i].count = dx_take32(&k);
        e[i].at = (uint32_t)i;
    }
    if (rc == RP_OK) {
        qsort(e, n, sizeof *e, cmp_keycount);
        for (size_t i = 0; i < n;) {
            size_t j = i;
            uint64_t s = 0;
            while (j < n && e[j].key == e[i].key)
                s += e[j++].count;
            for (; i < j; i++)
                sum[e[i].at] = s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
        }
        size_t at = 0;
        for (int r = 0; r < d->size && rc == RP_OK; r++) {
            size_t nr = (size_t)(d->sin[r] / 12);
            rc = dx_put(&d->parts[r], sum + at, nr * sizeof *sum);
            at += nr;
        }
    }
    rpi_free(e);
    rpi_free(sum);
    return rc;
}

/* The sums of one rank, as they come back: where each owner's next is. */
typedef struct sums_at {
    dist *d;
    uint64_t *at, *end; /* per owner: next sum, end of its sums in d->recv */
    int bad; /* more keys than sums */
} sums_at;

/* The next sum of key's owner (rpi_count_fn). */
static uint32_t next_sum(void *ctx, uint64_t key, uint32_t count)
{
    sums_at *a = ctx;
    int o = owner_of(a->d, key);
    if (a->at[o] + 4 > a->end[o]) {
        a->bad = 1;
        return count;
    }
    memcpy(&count, a->d->recv.data + a->at[o], 4);
    a->at[o] += 4;
    return count;
}

/*
 * The count exchange goes in rounds, each of the keys in one slice of the
 * key space (in key order), so that what a rank holds at once for it stays
 * within the quarter of --memory set aside for rounds: a key costs about
 * ROUND_KEY bytes on its way (12 sent and 12 received, 16 sorted by its
 * owner, 4 for its sum in each direction, and slack). Before, every key went
 * at once: at a million generated documents a rank (51 million keys), a
 * rank peaked at 3.7 GB with --memory 1G.
 */
enum { ROUND_KEY = 64, ROUND_MIN = 1 << 12 /* keys a round at least: 256 KB */, ROUND_MAX = 256 };

static uint64_t slice_of(uint64_t key, uint64_t nrounds)
{
    return nrounds > 1 ? key / (UINT64_MAX / nrounds + 1) : 0;
}

/* The keys past the tables (their runs), each shard's merge open across the rounds. */
typedef struct runs {
    rpi_counter_merge *m[RPI_SHARDS];
    int more[RPI_SHARDS]; /* a key waits in key[] (read, of a later round) */
    uint64_t key[RPI_SHARDS];
    uint32_t n[RPI_SHARDS];
    uint32_t *sums[RPI_SHARDS]; /* the run keys' sums, in key order, for the settling */
    size_t nsums[RPI_SHARDS], capsums[RPI_SHARDS];
    int s; /* the settling's place: shard, then index */
    size_t i;
} runs;

/* The sums of the run keys in the order rpi_counter_settle reads them (rpi_count_fn). */
static uint32_t run_sum(void *ctx, uint64_t key, uint32_t count)
{
    runs *u = ctx;
    (void)key;
    while (u->s < RPI_SHARDS && u->i >= u->nsums[u->s]) {
        u->s++;
        u->i = 0;
    }
    return u->s < RPI_SHARDS ? u->sums[u->s][u->i++] : count;
}

/* Send this rank's keys of round q (table, then runs) with their counts to their owners;
 * the run keys sent are listed in rk, in order. */
static int send_round(dist *d, rpi_counts *t, runs *u, uint64_t q, uint64_t nq, rpi_vec *rk)
{
    int rc = RP_OK;
    rk->n = 0;
    for (int s = 0; s < RPI_SHARDS && rc == RP_OK; s++) {
        const rpi_counter *ct = &t->shard[s];
        for (size_t i = 0; ct->slot && i <= ct->mask && rc == RP_OK; i++)
            if (ct->slot[i].key && slice_of(ct->slot[i].key, nq) == q) {
                rpi_buf *b = &d->parts[owner_of(d, ct->slot[i].key)];
                rc = dx_put64(b, ct->slot[i].key);
                if (rc == RP_OK)
                    rc = dx_put32(b, ct->slot[i].count);
            }
    }
    for (int s = 0; s < RPI_SHARDS && rc == RP_OK; s++) {
        if (!u->m[s])
            continue;
        for (;;) {
            if (!u->more[s]) {
                int got = rpi_counter_merge_next(u->m[s], &u->key[s], &u->n[s]);
                if (got < 0) {
                    rc = got;
                    rpi_features_counts_errmsg(d->c, &t->shard[s], rc);
                    break;
                }
                if (got == 0)
                    break;
                u->more[s] = 1;
            }
            if (slice_of(u->key[s], nq) != q)
                break; /* a later round's */
            u->more[s] = 0;
            rpi_buf *b = &d->parts[owner_of(d, u->key[s])];
            rc = dx_put64(b, u->key[s]);
            if (rc == RP_OK)
                rc = dx_put32(b, u->n[s]);
            if (rc == RP_OK)
                rc = rpi_vec_push(rk, u->key[s]);
            if (rc == RP_OK)
                rc = rpi_grow((void **)&u->sums[s], &u->capsums[s], u->nsums[s] + 1,
                              sizeof *u->sums[s]);
            if (rc == RP_OK)
                u->sums[s][u->nsums[s]++] = 0; /* its sum, below */
            if (rc != RP_OK)
                break;
        }
    }
    return dx_nomem(d, rc);
}

/* The sums of round q, as they came back, into the table and the run keys' sums. */
static int take_round(dist *d, rpi_counts *t, runs *u, uint64_t q, uint64_t nq, const rpi_vec *rk,
                      size_t *first)
{
    uint64_t *at = rpi_malloc((size_t)(2 * d->size) * sizeof *at + 1);
    if (!at)
        return dx_nomem(d, RP_ENOMEM);
    sums_at a = {d, at, at + d->size, 0};
    for (int r = 0; r < d->size; r++) {
        at[r] = r ? a.end[r - 1] : 0;
        a.end[r] = at[r] + d->sin[r];
    }
    for (int s = 0; s < RPI_SHARDS; s++) {
        rpi_counter *ct = &t->shard[s];
        for (size_t i = 0; ct->slot && i <= ct->mask; i++)
            if (ct->slot[i].key && slice_of(ct->slot[i].key, nq) == q)
                ct->slot[i].count = next_sum(&a, ct->slot[i].key, 0);
    }
    /* The run keys of this round, shard by shard, as sent: first[s] is where
     * this round's begin in the shard's sums. */
    size_t j = 0;
    for (int s = 0; s < RPI_SHARDS; s++)
        for (size_t i = first[s]; i < u->nsums[s]; i++, j++)
            u->sums[s][i] = j < rk->n ? next_sum(&a, rk->v[j], 0) : (a.bad = 1, 0);
    for (int s = 0; s < RPI_SHARDS; s++)
        first[s] = u->nsums[s];
    int rc = RP_OK;
    for (int r = 0; r < d->size; r++)
        if (a.bad || j != rk->n || at[r] != a.end[r])
            rc = dx_garbled(d);
    rpi_free(at);
    return rc;
}

/* The rounds of the count exchange: those of the rank with the most keys. */
static int count_rounds(dist *d, rpi_counts *t, uint64_t *nq)
{
    uint64_t keys = 0, per = d->c->opt.memory / RPI_ROUND_SHARE / ROUND_KEY;
    for (int s = 0; s < RPI_SHARDS; s++)
        keys += t->shard[s].used + t->shard[s].overflow; /* (additions past the table: at most) */
    if (per < ROUND_MIN)
        per = ROUND_MIN;
    uint64_t mine = keys / per + 1;
    if (mine > ROUND_MAX) /* (each round reads the tables through: not without end) */
        mine = ROUND_MAX;
    return dx_most_rounds(d, mine, nq);
}

/*
 * Make the counts of table t (this rank's keys) the whole run's: each key
 * goes with this rank's count to its owner, which answers with the sum. The
 * keys a full table kept outside (its runs) go too, after the table's, and
 * the table settles with their sums (rpi_counter_settle), as one process
 * settles with its counts: the same counts for any number of ranks and of
 * rounds.
 */
static int sum_counts(dist *d, int rc, rpi_counts *t)
{
    runs u = {0};
    rpi_vec rk = {0};
    size_t first[RPI_SHARDS] = {0};
    uint64_t nq = 1;
    int trc = count_rounds(d, t, &nq);
    if (trc != RP_OK)
        return trc; /* the transport failed: no exchange can agree */
    for (int s = 0; s < RPI_SHARDS && rc == RP_OK; s++)
        if (rpi_counter_spilled(&t->shard[s]) || t->shard[s].err) {
            rc = rpi_counter_merge_open(&t->shard[s], &u.m[s]);
            if (rc != RP_OK)
                rpi_features_counts_errmsg(d->c, &t->shard[s], rc);
        }
    for (uint64_t q = 0; q < nq; q++) {
        if (rc == RP_OK)
            rc = send_round(d, t, &u, q, nq, &rk);
        rc = dx_xchg(d, rc, RPI_X_COUNTS);
        if (rc == RP_OK)
            rc = dx_nomem(d, sum_received(d));
        rc = dx_xchg(d, rc, RPI_X_SUMS);
        if (rc == RP_OK)
            rc = take_round(d, t, &u, q, nq, &rk, first);
    }
    for (int s = 0; s < RPI_SHARDS; s++)
        rpi_counter_merge_close(u.m[s]);
    if (rc == RP_OK)
        rc = rpi_features_counts_settle(d->c, t, run_sum, &u);
    for (int s = 0; s < RPI_SHARDS; s++)
        rpi_free(u.sums[s]);
    rpi_free(rk.v);
    rpi_buf_free(&d->recv);
    return rc;
}

/* ---- candidates ----------------------------------------------------------------- */

/* The workers' postings vector of part p (wstate's vectors at offset off). */
static rpi_vec *posting_part(reuse *r, int w, size_t off, int p)
{
    return (rpi_vec *)(void *)((char *)&r->ws[w] + off + (size_t)p * sizeof(rpi_vec));
}

/*
 * Send the postings of parts [p0, p1) to the owners of their keys, laid out
 * by owner in one buffer of their size (appended to one buffer per owner,
 * then copied into one, they took 2.4 times their bytes on the way), and
 * give their vectors back.
 */
static int send_postings(dist *d, reuse *r, int rc, size_t off, int p0, int p1)
{
    uint64_t *at = rpi_calloc((size_t)d->size + 1, sizeof *at);
    char *send = NULL;
    if (!at)
        rc = dx_nomem(d, RP_ENOMEM);
    for (int o = 0; o < d->size; o++)
        d->sout[o] = 0;
    for (int w = 0; w < r->nw && rc == RP_OK; w++)
        for (int p = p0; p < p1; p++) {
            const rpi_vec *v = posting_part(r, w, off, p);
            for (size_t i = 0; i < v->n; i++)
                d->sout[owner_of(d, v->v[i] >> 32)] += 8;
        }
    uint64_t total = 0;
    for (int o = 0; o < d->size && rc == RP_OK; o++) {
        at[o] = total;
        total += d->sout[o];
    }
    if (rc == RP_OK && !(send = rpi_malloc((size_t)total + 1)))
        rc = dx_nomem(d, RP_ENOMEM);
    for (int w = 0; w < r->nw; w++)
        for (int p = p0; p < p1; p++) {
            rpi_vec *v = posting_part(r, w, off, p);
            for (size_t i = 0; i < v->n && rc == RP_OK; i++) {
                uint64_t *to = &at[owner_of(d, v->v[i] >> 32)];
                memcpy(send + *to, &v->v[i], 8);
                *to += 8;
            }
            rpi_free(v->v);
            memset(v, 0, sizeof *v);
        }
    if (rc != RP_OK)
        for (int o = 0; o < d->size; o++)
            d->sout[o] = 0;
    rc = dx_xchg_raw(d, rc, send ? send : "", RPI_X_POSTINGS);
    rpi_free(send);
    rpi_free(at);
    return rc;
}

/*
 * The postings in the workers' vectors at offset off of wstate (nparts of
 * them, freed) go to the owners of their keys; each owner pairs the
 * documents sharing a key held by at most cap documents, and each pair goes
 * to the rank that compares it (pair_rank): *out receives this rank's.
 *
 * A key's postings are all in one part, so the parts go in rounds, each
 * paired where it was received and given back before the next: a round
 * holds its bytes three times (sent, received, and the sort's scratch),
 * within the quarter of --memory set aside for rounds. In one round, a
 * million generated documents on 2 ranks peaked at 640 MB a rank for the
 * postings alone, the largest part of the run's peak.
 */
static int postings(dist *d, reuse *r, int rc, size_t off, int nparts, size_t cap, rpi_vec *out)
{
    uint64_t bytes = 0, nq = 1, *tmp = NULL;
    size_t captmp = 0;
    for (int w = 0; w < r->nw; w++)
        for (int p = 0; p < nparts; p++)
            bytes += posting_part(r, w, off, p)->n * 8;
    uint64_t per = d->c->opt.memory / RPI_ROUND_SHARE / 3 + 1;
    uint64_t mine = bytes / per + 1;
    int trc = dx_most_rounds(d, mine < (uint64_t)nparts ? mine : (uint64_t)nparts, &nq);
    if (trc != RP_OK)
        return trc; /* the transport failed: no exchange can agree */
    rpi_vec pairs = {0};
    for (uint64_t q = 0; q < nq; q++) {
        rc = send_postings(d, r, rc, off, (int)(q * (uint64_t)nparts / nq),
                           (int)((q + 1) * (uint64_t)nparts / nq));
        if (rc == RP_OK && d->recv.len % 8)
            rc = dx_garbled(d);
        if (rc == RP_OK)
            rc = dx_nomem(d, rpi_postings_pairs((uint64_t *)(void *)d->recv.data,
                                                d->recv.len / 8, cap, &pairs, &tmp, &captmp));
        rpi_buf_free(&d->recv);
        rpi_free(tmp);
        tmp = NULL;
        captmp = 0;
    }
    for (size_t i = 0; i < pairs.n && rc == RP_OK; i++)
        rc = dx_nomem(d, dx_put64(&d->parts[pair_rank(d, pairs.v[i])], pairs.v[i]));
    rpi_free(pairs.v);
    rc = dx_xchg(d, rc, RPI_X_PAIRS);
    if (rc == RP_OK && d->recv.len % 8)
        rc = dx_garbled(d);
    if (rc == RP_OK)
        rc = rpi_grow((void **)&out->v, &out->cap, d->recv.len / 8 + 1, sizeof *out->v);
    if (rc == RP_OK) {
        memcpy(out->v, d->recv.data, d->recv.len);
        out->n = d->recv.len / 8;
    }
    rpi_buf_free(&d->recv);
    return rc;
}

typedef struct bykey {
    uint64_t remote; /* the pair's document of another rank + 1, or 0 */
    uint64_t code; /* the pair */
    int8_t copyrel; /* its copy relation */
} bykey;

static int cmp_bykey(const void *x, const void *y)
{
    const bykey *p = x, *q = y;
    if (p->remote != q->remote)
        return p->remote < q->remote ? -1 : 1;
    return (p->code > q->code) - (p->code < q->code);
}

/*
 * Order this rank's candidates by the document of another rank they need (a
 * pair needs at most one: it is compared on the rank of one of its two), those
 * needing none first: each such document is then fetched in one round only,
 * with all its pairs. (In pair order, a document fetched for a pair of one
 * round was fetched again for its pairs in later rounds: on 200,000
 * generated documents 5.0 KB were fetched a document against 3.8 KB in one
 * round.) Rank 0 orders what it collects, so the order here is free.
 */
static int by_remote(const dist *d, reuse *r)
{
    bykey *k = rpi_malloc(r->ncand * sizeof *k + 1);
    if (!k)
        return RP_ENOMEM;
    for (size_t i = 0; i < r->ncand; i++) {
        uint64_t a = r->cand[i] >> 32, b = (uint32_t)r->cand[i];
        uint64_t remote = !is_mine(d, a) ? a + 1 : !is_mine(d, b) ? b + 1 : 0;
        k[i] = (bykey){remote, r->cand[i], r->copyrel[i]};
    }
    qsort(k, r->ncand, sizeof *k, cmp_bykey);
    for (size_t i = 0; i < r->ncand; i++) {
        r->cand[i] = k[i].code;
        r->copyrel[i] = k[i].copyrel;
    }
    rpi_free(k);
    return RP_OK;
}

/* The candidates this rank compares (global numbers) into r->cand, in the
 * order of by_remote, and the relation of those the fast path found (r->copyrel). */
static int candidates(dist *d, reuse *r, int rc)
{
    rp_corpus *c = d->c;
    rpi_vec pn = {0}, pt = {0}, cand = {0};
    uint64_t *tmp = NULL;
    size_t captmp = 0;
    rpi_reuse_extra_budget(r);
    if (r->nall <= RPI_ALLPAIRS_MAX && c->opt.all_pairs) {
        for (uint64_t a = 0; a < r->nall && rc == RP_OK; a++)
            for (uint64_t b = a + 1; b < r->nall && rc == RP_OK; b++)
                if (pair_rank(d, a << 32 | b) == d->rank)
                    rc = rpi_vec_push(&cand, a << 32 | b);
    } else {
        rc = postings(d, r, rc, offsetof(wstate, ngram), RPI_PARTS, RPI_NGRAM_DF_CAP, &pn);
        rc = postings(d, r, rc, offsetof(wstate, term), 1, RPI_TERM_DF_CAP, &pt);
        if (rc == RP_OK)
            rc = rpi_keep_repeated(&pn, RPI_MIN_SHARED_NGRAMS, &tmp, &captmp);
        if (rc == RP_OK)
            rc = rpi_keep_repeated(&pt, RPI_MIN_SHARED_TERMS, &tmp, &captmp);
        for (size_t i = 0; i < pn.n && rc == RP_OK; i++)
            rc = rpi_vec_push(&cand, pn.v[i]);
        for (size_t i = 0; i < pt.n && rc == RP_OK; i++)
            rc = rpi_vec_push(&cand, pt.v[i]);
    }
    rpi_free(pn.v);
    rpi_free(pt.v);
    /* The copies of the fast path (rank 0's) are compared too. */
    if (d->rank == 0)
        for (size_t i = 0; i < c->npairs && rc == RP_OK; i++) {
            uint32_t v[3] = {c->pairs[i].a, c->pairs[i].b, (uint32_t)c->pairs[i].relation};
            rc = dx_put(&d->parts[pair_rank(d, (uint64_t)v[0] << 32 | v[1])], v, sizeof v);
        }
    rc = dx_xchg(d, rc, RPI_X_COPIES);
    size_t ncopies = d->recv.len / 12;
    if (rc == RP_OK && d->recv.len % 12)
        rc = dx_garbled(d);
    const uint32_t *copies = (const uint32_t *)(const void *)d->recv.data;
    for (size_t i = 0; i < ncopies && rc == RP_OK; i++)
        rc = rpi_vec_push(&cand, (uint64_t)copies[3 * i] << 32 | copies[3 * i + 1]);
    if (rc == RP_OK)
        rc = rpi_keep_repeated(&cand, 1, &tmp, &captmp);
    for (size_t i = 0; i < cand.n && rc == RP_OK; i++)
        if (pair_rank(d, cand.v[i]) != d->rank || (uint32_t)cand.v[i] <= cand.v[i] >> 32 ||
            (uint32_t)cand.v[i] >= r->nall)
            rc = dx_garbled(d);
    rpi_free(tmp);
    r->cand = cand.v;
    r->ncand = cand.n;
    if (rc != RP_OK)
        return rc;
    r->copyrel = rpi_malloc(r->ncand + 1);
    if (!r->copyrel)
        return RP_ENOMEM;
    /* Both sorted by (a, b): the copies came in rank 0's order. */
    for (size_t i = 0, k = 0; i < r->ncand; i++) {
        uint64_t key = 0;
        while (k < ncopies && (key = (uint64_t)copies[3 * k] << 32 | copies[3 * k + 1]) < r->cand[i])
            k++;
        r->copyrel[i] = (int8_t)(k < ncopies && key == r->cand[i] ? (int)copies[3 * k + 2] : -1);
    }
    return by_remote(d, r);
}

/* ---- pass 3: rounds of documents from other ranks ---------------------------------- */

typedef struct round {
    uint64_t *remote; /* other ranks' documents of the round, ascending */
    size_t nremote;
    uint8_t *mark; /* per document of the run: in this round's remote */
    size_t nfurn; /* this rank's own furniture lines (c->furn before the round's) */
    rpi_view v; /* scratch of the features served */
    char *text; /* scratch of a text served */
    size_t captext;
    uint64_t *set; /* scratch of a shingle set served */
    size_t capset;
    rpi_buf out; /* what is served, rank after rank (d->sout[r] bytes for rank r) */
} round;

/* Number in this rank's arrays of remote document j of the round. */
static uint32_t slot_of(const dist *d, size_t j)
{
    return (uint32_t)(d->nlocal + j);
}

/* Number in this rank's arrays of document g (global number) during the round. */
static uint32_t local_of(const dist *d, const round *rd, uint64_t g)
{
    if (is_mine(d, g))
        return (uint32_t)(g - d->base[d->rank]);
    size_t lo = 0, hi = rd->nremote - 1; /* it is there */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (rd->remote[mid] < g)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)(d->nlocal + lo);
}

/* Global number of a document numbered x in this rank's arrays during the round. */
static uint32_t global_of(const dist *d, const round *rd, uint32_t x)
{
    return x < d->nlocal ? (uint32_t)(x + d->base[d->rank]) : (uint32_t)rd->remote[x - d->nlocal];
}

/* Append n bytes, then zeros up to a multiple of 8 bytes of b: the pieces a
 * round's documents are read from in place stay aligned. */
static int put_padded(rpi_buf *b, const void *p, size_t n)
{
    static const char zero[8] = {0};
    RP_TRY(dx_put(b, p, n));
    return dx_put(b, zero, (8 - b->len % 8) % 8);
}

/* Answer the requests received: per document, its date, text, shingles,
 * furniture lines and packed features, each piece 8-byte aligned, into
 * rd->out, rank after rank (sent as it is: the round's largest buffer is not
 * copied again). */
static int serve(dist *d, round *rd)
{
    rp_corpus *c = d->c;
    const uint64_t mine = d->base[d->rank], next = d->base[d->rank + 1];
    size_t nreq = d->recv.len / 4;
    if (d->recv.len % 4)
        return dx_garbled(d);
    uint32_t *req = rpi_malloc(d->recv.len + 1);
    if (!req)
        return RP_ENOMEM;
    memcpy(req, d->recv.data, d->recv.len);
    int rc = RP_OK;
    size_t at = 0;
    rd->out.len = 0;
    for (int r = 0; r < d->size && rc == RP_OK; r++) {
        rpi_buf *b = &rd->out;
        size_t start = b->len;
        for (size_t i = 0; i < d->sin[r] / 4 && rc == RP_OK; i++) {
            uint32_t g = req[at + i];
            if (g < mine || g >= next) {
                rc = dx_garbled(d);
                break;
            }
            uint32_t l = (uint32_t)(g - mine);
            const rpi_doc *x = &c->docs[l];
            const char *blob = NULL;
            size_t size = 0;
            size_t f0 = c->furn_first[l], f1 = c->furn_first[l + 1];
            rc = rpi_grow((void **)&rd->text, &rd->captext, x->text_len + 1, 1);
            if (rc == RP_OK)
                rc = rpi_grow((void **)&rd->set, &rd->capset, (size_t)x->set.n + 1, sizeof *rd->set);
            if (rc == RP_OK && (rpi_doc_read_text(c, l, rd->text) != RP_OK ||
                                rpi_doc_read_set(c, l, rd->set) != RP_OK))
                rc = RP_EIO;
            if (rc == RP_OK)
                rc = rpi_features_blob(c, &rd->v, l, &blob, &size);
            uint64_t head[4] = {(uint64_t)g | (uint64_t)x->text_len << 32, (uint64_t)x->date_key,
                                (uint64_t)x->set.n | (uint64_t)(f1 - f0) << 32, x->src};
            if (rc == RP_OK)
                rc = dx_put(b, head, sizeof head);
            if (rc == RP_OK)
                rc = dx_put64(b, size);
            if (rc == RP_OK)
                rc = put_padded(b, rd->text, x->text_len);
            if (rc == RP_OK)
                rc = dx_put(b, rd->set, (size_t)x->set.n * sizeof *rd->set);
            for (size_t f = f0; f < f1 && rc == RP_OK; f++) {
                uint32_t v[3] = {c->furn[f].start, c->furn[f].end, c->furn[f].kind};
                rc = dx_put(b, v, sizeof v);
            }
            if (rc == RP_OK)
                rc = put_padded(b, NULL, 0); /* (after the furniture lines) */
            if (rc == RP_OK)
                rc = put_padded(b, blob, size);
        }
        d->sout[r] = b->len - start;
        at += (size_t)(d->sin[r] / 4);
    }
    if (rc == RP_OK && at != nreq)
        rc = dx_garbled(d);
    rpi_free(req);
    return rc;
}

/* Skip n bytes and the padding after them (put_padded), counted from base. */
static const char *skip_padded(cursor *k, const char *base, size_t n)
{
    const char *p = dx_skip(k, n);
    if (p)
        dx_skip(k, (8 - (size_t)(k->p - base) % 8) % 8);
    return p;
}

/*
 * Install the documents received in this rank's arrays for the round: the
 * received bytes become c->foreign, and texts, shingles and features are read
 * from them in place (features: c->feat points into them; not freed).
 */
static int install(dist *d, round *rd)
{
    rp_corpus *c = d->c;
    const size_t nl = d->nlocal;
    rpi_buf_free(&c->foreign);
    c->foreign = d->recv;
    memset(&d->recv, 0, sizeof d->recv);
    const char *base = c->foreign.data;
    cursor k = {base, base + c->foreign.len, 0};
    RP_TRY(rpi_grow_huge((void **)&c->docs, &c->capdocs, nl + rd->nremote + 1, sizeof *c->docs));
    char **feat = rpi_realloc(c->feat, (nl + rd->nremote + 1) * sizeof *feat);
    if (!feat)
        return RP_ENOMEM;
    c->feat = feat;
    memset(c->feat + nl, 0, (rd->nremote + 1) * sizeof *feat);
    uint8_t *own = rpi_realloc(c->feat_own, nl + rd->nremote + 1);
    if (!own)
        return RP_ENOMEM;
    c->feat_own = own;
    memset(c->feat_own + nl, 0, rd->nremote + 1); /* (received: not freed) */
    c->ndocs = nl + rd->nremote;
    for (size_t j = 0; j < rd->nremote; j++) {
        uint64_t head[4], size;
        dx_take(&k, head, sizeof head);
        size = dx_take64(&k);
        uint32_t g = (uint32_t)head[0], len = (uint32_t)(head[0] >> 32);
        uint32_t nset = (uint32_t)head[2], nfurn = (uint32_t)(head[2] >> 32);
        const char *text = skip_padded(&k, base, len);
        const char *set = dx_skip(&k, (size_t)nset * 8);
        const char *furn = skip_padded(&k, base, (size_t)nfurn * 12);
        const char *blob = skip_padded(&k, base, (size_t)size);
        if (k.bad || g != rd->remote[j] || (size_t)(blob - base) % 8)
            return dx_garbled(d);
        uint32_t x = slot_of(d, j);
        rpi_doc *doc = &c->docs[x];
        memset(doc, 0, sizeof *doc);
        doc->date_key = (int64_t)head[1];
        doc->text_len = len;
        doc->src = head[3];
        doc->text_off = (uint64_t)(text - base);
        doc->set = (rpi_setref){(uint64_t)(set - base), nset, RPI_SETREF_MEM};
        c->feat[x] = (char *)(uintptr_t)blob; /* read only; uninstall forgets it */
        RP_TRY(rpi_grow((void **)&c->furn, &c->capfurn, c->nfurn + nfurn + 1, sizeof *c->furn));
        for (uint32_t f = 0; f < nfurn; f++) {
            uint32_t v[3];
            memcpy(v, furn + 12 * (size_t)f, sizeof v);
            c->furn[c->nfurn++] = (rpi_furn){x, v[0], v[1], v[2]};
        }
    }
    if (k.p != k.end)
        return dx_garbled(d);
    /* The round's lines come after this rank's own, in document order. */
    return rpi_furniture_index(c, c->ndocs);
}

/* Forget the round's documents (their features, texts, furniture). */
static void uninstall(dist *d, round *rd)
{
    rp_corpus *c = d->c;
    for (size_t j = 0; c->feat && j < rd->nremote; j++) {
        uint32_t x = slot_of(d, j);
        if (x < c->ndocs)
            c->feat[x] = NULL; /* in c->foreign */
    }
    for (size_t j = 0; j < rd->nremote; j++)
        rd->mark[rd->remote[j]] = 0;
    rpi_buf_free(&c->foreign);
    c->nfurn = rd->nfurn;
    c->ndocs = d->nlocal;
    rd->nremote = 0;
}

/* Does any rank have candidates left (i0 < ncand on it)? Every rank's status first. */
static int any_left(dist *d, int rc, int left, int *any)
{
    *any = 0;
    rc = dx_agree(d, rc);
    if (rc != RP_OK)
        return rc;
    for (int i = 0; i < d->size; i++)
        d->out[i] = (uint64_t)left;
    if (d->c->tp.counts(d->c->tp.user, d->out, d->in))
        return dx_tp_failed(d);
    for (int i = 0; i < d->size; i++)
        *any |= d->in[i] != 0;
    return RP_OK;
}

/* Pass 3: the candidates of this rank's documents, round by round. */
static int compare(dist *d, reuse *r, const uint64_t *gcand, int rc)
{
    rp_corpus *c = d->c;
    const uint64_t total = d->base[d->size];
    round rd = {0};
    size_t maxdocs = c->opt.memory / RPI_ROUND_SHARE / RPI_ROUND_BYTES;
    if (maxdocs < RPI_ROUND_MIN)
        maxdocs = RPI_ROUND_MIN;
    rd.remote = rpi_malloc(maxdocs * sizeof *rd.remote);
    rd.mark = rpi_calloc((size_t)total + 1, 1);
    rd.nfurn = c->nfurn;
    /* per worker: its passages and differences before the round (to renumber the round's) */
    size_t *np0 = rpi_malloc((size_t)r->nw * sizeof *np0);
    size_t *nd0 = rpi_malloc((size_t)r->nw * sizeof *nd0);
    if (rc == RP_OK && (!rd.remote || !rd.mark || !np0 || !nd0))
        rc = RP_ENOMEM;
    size_t i0 = 0;
    rpi_ticker tk = {c, RPI_PH_COMPARE};
    if (rc == RP_OK)
        rc = rpi_report(c, RPI_PH_COMPARE, 0, r->ncand, 1);
    for (;;) {
        int any;
        rc = any_left(d, rc, rc == RP_OK && i0 < r->ncand, &any);
        if (rc != RP_OK || !any)
            break;
        /* This round: candidates from i0 while their documents of other ranks fit. */
        size_t i1 = i0;
        for (; rc == RP_OK && i1 < r->ncand; i1++) {
            uint32_t x[2] = {(uint32_t)(gcand[i1] >> 32), (uint32_t)gcand[i1]};
            if ((is_mine(d, x[0]) || rd.mark[x[0]]) && (is_mine(d, x[1]) || rd.mark[x[1]]))
                continue;
            if (rd.nremote + 2 > maxdocs)
                break;
            for (int k = 0; k < 2; k++)
                if (!is_mine(d, x[k]) && !rd.mark[x[k]]) {
                    rd.mark[x[k]] = 1;
                    rd.remote[rd.nremote++] = x[k];
                }
        }
        if (rc == RP_OK)
            rd.nremote = rpi_sort_unique(rd.remote, rd.nremote);
        for (size_t j = 0; j < rd.nremote && rc == RP_OK; j++)
            rc = dx_put32(&d->parts[dx_rank_of(d, rd.remote[j])], (uint32_t)rd.remote[j]);
        rc = dx_xchg(d, rc, RPI_X_DOC_REQUESTS);
        if (rc == RP_OK)
            rc = serve(d, &rd);
        if (rc != RP_OK)
            memset(d->sout, 0, (size_t)d->size * sizeof *d->sout);
        rc = dx_xchg_raw(d, rc, rd.out.data, RPI_X_DOC_FEATURES);
        /* What was served is sent: give its memory back now. */
        rpi_buf_free(&rd.out);
        if (rc == RP_OK)
            rc = install(d, &rd);
        /* The round's candidates in this rank's numbers. */
        for (size_t i = i0; i < i1 && rc == RP_OK; i++)
            r->cand[i] = (uint64_t)local_of(d, &rd, gcand[i] >> 32) << 32 |
                         local_of(d, &rd, (uint32_t)gcand[i]);
        for (int w = 0; w < r->nw && rc == RP_OK; w++) {
            np0[w] = r->ws[w].npass;
            nd0[w] = r->ws[w].ndiff;
        }
        if (rc == RP_OK)
            rc = rpi_reuse_compare(r, i0, i1);
        /* Passages and differences in the run's numbers. */
        for (int w = 0; w < r->nw && rc == RP_OK; w++) {
            wstate *ws = &r->ws[w];
            for (size_t k = np0[w]; k < ws->npass; k++) {
                ws->pass[k].a = global_of(d, &rd, ws->pass[k].a);
                ws->pass[k].b = global_of(d, &rd, ws->pass[k].b);
            }
            for (size_t k = nd0[w]; k < ws->ndiff; k++) {
                ws->diff[k].a = global_of(d, &rd, ws->diff[k].a);
                ws->diff[k].b = global_of(d, &rd, ws->diff[k].b);
            }
        }
        for (size_t i = i0; i < i1; i++)
            r->cand[i] = gcand[i];
        uninstall(d, &rd);
        if (rc == RP_OK)
            rc = rpi_tick(&tk, i1, r->ncand);
        i0 = i1;
    }
    if (rc == RP_OK)
        rc = rpi_report(c, RPI_PH_COMPARE, r->ncand, r->ncand, 1);
    rpi_view_free(&rd.v);
    rpi_free(rd.remote);
    rpi_free(rd.mark);
    rpi_free(rd.text);
    rpi_free(rd.set);
    rpi_buf_free(&rd.out);
    rpi_free(np0);
    rpi_free(nd0);
    return rc;
}

/* ---- results on rank 0 ---------------------------------------------------------------- */

static int listed(const rp_corpus *c, const reuse *r, size_t i)
{
    return !((rp_relation)r->rel[i] == RP_REL_UNRELATED && !c->opt.all_pairs);
}

static int put_str(rpi_buf *b, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    RP_TRY(dx_put32(b, n));
    return dx_put(b, s, n);
}

/*
 * Rank 0 collects every listed pair with its passages and differences, and
 * every furniture line, in rounds by the range of the first document
 * (RESULT_BUCKETS ranges of the run's documents: a round takes those that
 * fit in a 32nd of --memory), so that what it
 * receives and sorts at a time is bounded; each round's results, in the
 * order one process gives them, are appended to temporary files (spool),
 * mapped at the end as c->pairs, c->pass... (c->mapped): pages that take
 * memory only while read, and that the kernel may drop again (they are
 * clean). Before, rank 0 received and held every listed pair at once
 * (about 160 bytes one with a passage, counted; 117,112 on a million
 * generated documents on 9 ranks).
 */
#define RESULT_BUCKETS 1024
/* At most about RESULT_ROUNDS rounds, each an exchange every rank waits for
 * (as TEXT_ROUNDS: a budget too small is overrun instead). */
#define RESULT_ROUNDS 64
/* A round's bytes: 1/RESULT_SHARE of --memory (8 MB at 256 MiB). */
#define RESULT_SHARE 32

/* A rank's results as they go out in rounds. */
typedef struct outbox {
    uint32_t *ridx; /* per candidate: its number among the round's listed pairs, or UINT32_MAX */
    uint64_t *bnd; /* [nq + 1]: each round's first bucket; bnd[nq] = RESULT_BUCKETS */
    uint64_t nq; /* rounds */
    int came; /* the plan's exchange went well (on every rank) */
} outbox;

/* The bucket of document g (of the run's total). */
static uint64_t bucket_of(uint64_t g, uint64_t total)
{
    return g * RESULT_BUCKETS / total;
}

/* Whether document g (of total) is in round q's buckets; the rounds past
 * this rank's own (o->nq) have none. */
static int in_round(const outbox *o, uint64_t q, uint64_t g, uint64_t total)
{
    if (q >= o->nq || g >= total)
        return 0;
    uint64_t b = bucket_of(g, total);
    return b >= o->bnd[q] && b < o->bnd[q + 1];
}

static size_t pair_bytes(const reuse *r, size_t i)
{
    return 5 * 4 + 8 * 4 + 4 + strlen(r->why[i]);
}

#define PASSAGE_BYTES (7 * 4 + 8)
#define FURN_BYTES (4 * 4)

/*
 * Every rank: the rounds agreed. Each rank sends every rank what it has to
 * send by bucket, and every rank sums them and cuts the same rounds; rank 0
 * also takes the run's counts (compared pairs, loads).
 */
static int plan_results(dist *d, reuse *r, outbox *o, int rc)
{
    rp_corpus *c = d->c;
    const uint64_t total = d->base[d->size];
    /* (rank 0 holds a round's bytes about three times while it takes them:
     * as received, parsed, and sorted as the corpus holds them) */
    uint64_t per = c->opt.memory / RESULT_SHARE + 1;
    uint64_t *hist = rpi_calloc(RESULT_BUCKETS + 2, sizeof *hist); /* [2]: compared, loads */
    o->ridx = rpi_malloc(r->ncand * sizeof *o->ridx + 1);
    if (rc == RP_OK && (!hist || !o->ridx))
        rc = RP_ENOMEM;
    for (size_t i = 0; rc == RP_OK && i < r->ncand; i++) {
        if (listed(c, r, i))
            hist[2 + bucket_of(r->cand[i] >> 32, total)] += pair_bytes(r, i);
    }
    for (int w = 0; w < r->nw && rc == RP_OK; w++) {
        for (size_t k = 0; k < r->ws[w].npass; k++)
            hist[2 + bucket_of(r->cand[r->ws[w].pass_pair[k]] >> 32, total)] += PASSAGE_BYTES;
        for (size_t k = 0; k < r->ws[w].ndiff; k++)
            hist[2 + bucket_of(r->cand[r->ws[w].diff_pair[k]] >> 32, total)] +=
                7 * 4 + 4 + strlen(r->ws[w].diff[k].kind);
        hist[1] += r->ws[w].nloads;
    }
    hist[0] = r->ncand;
    for (size_t f = 0; rc == RP_OK && f < c->nfurn; f++)
        if (c->furn[f].doc < d->nlocal)
            hist[2 + bucket_of(c->furn[f].doc + d->base[d->rank], total)] += FURN_BYTES;
    for (int q = 0; q < d->size && rc == RP_OK; q++)
        rc = dx_put(&d->parts[q], hist, (RESULT_BUCKETS + 2) * sizeof *hist);
    rc = dx_xchg(d, dx_nomem(d, rc), RPI_X_RESULTS);
    o->came = rc == RP_OK; /* (on every rank alike: the exchange agreed) */
    if (rc == RP_OK && d->recv.len != (size_t)d->size * (RESULT_BUCKETS + 2) * sizeof *hist)
        rc = dx_garbled(d);
    if (rc == RP_OK) {
        memset(hist, 0, (RESULT_BUCKETS + 2) * sizeof *hist);
        for (int q = 0; q < d->size; q++) {
            uint64_t h[RESULT_BUCKETS + 2];
            memcpy(h, d->recv.data + (size_t)q * sizeof h, sizeof h);
            for (size_t k = 0; k < RESULT_BUCKETS + 2; k++)
                hist[k] += h[k];
        }
        c->ncompared = hist[0];
        c->nloads = hist[1];
        o->bnd = rpi_malloc((RESULT_BUCKETS + 1) * sizeof *o->bnd);
        if (!o->bnd)
            rc = RP_ENOMEM;
    }
    if (rc == RP_OK) {
        uint64_t all = 0, acc = 0;
        for (size_t k = 0; k < RESULT_BUCKETS; k++)
            all += hist[2 + k];
        if (per < all / (RESULT_ROUNDS / 2) + 1)
            per = all / (RESULT_ROUNDS / 2) + 1;
        o->bnd[o->nq = 0] = 0;
        for (size_t k = 0; k < RESULT_BUCKETS; k++) {
            if (acc && acc + hist[2 + k] > per) {
                o->bnd[++o->nq] = k;
                acc = 0;
            }
            acc += hist[2 + k];
        }
        o->bnd[++o->nq] = RESULT_BUCKETS;
    }
    rpi_free(hist);
    return dx_nomem(d, rc);
}

/* This rank's part of round q to rank 0: its listed pairs whose first
 * document is in the round's buckets, their passages and differences, and
 * the furniture of its documents there. */
static int send_part(dist *d, reuse *r, outbox *o, uint64_t q)
{
    rp_corpus *c = d->c;
    const uint64_t total = d->base[d->size];
    rpi_buf *b = &d->parts[0];
    /* (the rounds are as many on every rank, the most any cut: garbled
     * bytes could make one rank's fewer) */
#define IN_ROUND(g) in_round(o, q, (g), total)
    uint64_t head[4] = {0, 0, 0, 0};
    /* (a rank's candidates are in the order it compared them, not by
     * document: the round's listed pairs are numbered here, in that order) */
    for (size_t i = 0; i < r->ncand; i++)
        o->ridx[i] = listed(c, r, i) && IN_ROUND(r->cand[i] >> 32) ? (uint32_t)head[0]++ : UINT32_MAX;
    for (int w = 0; w < r->nw; w++) {
        for (size_t k = 0; k < r->ws[w].npass; k++)
            head[1] += IN_ROUND(r->cand[r->ws[w].pass_pair[k]] >> 32);
        for (size_t k = 0; k < r->ws[w].ndiff; k++)
            head[2] += IN_ROUND(r->cand[r->ws[w].diff_pair[k]] >> 32);
    }
    for (size_t f = 0; f < c->nfurn; f++)
        head[3] += c->furn[f].doc < d->nlocal && IN_ROUND(c->furn[f].doc + d->base[d->rank]);
    RP_TRY(dx_put(b, head, sizeof head));
    for (size_t i = 0; i < r->ncand; i++) {
        if (o->ridx[i] == UINT32_MAX)
            continue;
        uint32_t v[5] = {(uint32_t)(r->cand[i] >> 32), (uint32_t)r->cand[i], r->rel[i],
                         r->npass[i], r->ndiff[i]};
        float f[8] = {r->cov_a[i], r->cov_b[i], r->sim[i],   r->event[i],
                      r->specifics[i], r->jac[i], r->con_a[i], r->con_b[i]};
        RP_TRY(dx_put(b, v, sizeof v));
        RP_TRY(dx_put(b, f, sizeof f));
        RP_TRY(put_str(b, r->why[i]));
    }
    /* (a passage or difference is of a listed pair: ridx of its pair) */
    for (int w = 0; w < r->nw; w++)
        for (size_t k = 0; k < r->ws[w].npass; k++) {
            size_t i = r->ws[w].pass_pair[k];
            if (!IN_ROUND(r->cand[i] >> 32))
                continue;
            const rp_passage *p = &r->ws[w].pass[k];
            uint32_t v[7] = {o->ridx[i], p->a, p->b, p->a_start, p->a_end, p->b_start,
                             p->b_end};
            RP_TRY(dx_put(b, v, sizeof v));
            RP_TRY(dx_put(b, &p->score, sizeof p->score));
        }
    for (int w = 0; w < r->nw; w++)
        for (size_t k = 0; k < r->ws[w].ndiff; k++) {
            size_t i = r->ws[w].diff_pair[k];
            if (!IN_ROUND(r->cand[i] >> 32))
                continue;
            const rp_difference *x = &r->ws[w].diff[k];
            uint32_t v[7] = {o->ridx[i], x->a, x->b, x->a_start, x->a_end, x->b_start,
                             x->b_end};
            RP_TRY(dx_put(b, v, sizeof v));
            RP_TRY(put_str(b, x->kind));
        }
    for (size_t f = 0; f < c->nfurn; f++)
        if (c->furn[f].doc < d->nlocal && IN_ROUND(c->furn[f].doc + d->base[d->rank])) {
            uint32_t v[4] = {(uint32_t)(c->furn[f].doc + d->base[d->rank]), c->furn[f].start,
                             c->furn[f].end, c->furn[f].kind};
            RP_TRY(dx_put(b, v, sizeof v));
        }
#undef IN_ROUND
    return RP_OK;
}

/* A string sent by put_str, interned in the corpus. */
static int take_str(rp_corpus *c, cursor *k, const char **out)
{
    uint32_t n = dx_take32(k);
    const char *s = dx_skip(k, n);
    if (!s)
        return RP_OK; /* k->bad tells */
    return rpi_intern(c, s, n, out);
}

typedef struct coded {
    uint64_t code; /* a << 32 | b */
    size_t at; /* its place as received */
} coded;

static int cmp_coded(const void *x, const void *y)
{
    const coded *p = x, *q = y;
    return (p->code > q->code) - (p->code < q->code);
}

/* Reorder the n elements of size bytes at arr as perm says (new i holds old perm[i]). */
static void permute(void *arr, size_t size, const coded *perm, size_t n, char *tmp)
{
    for (size_t i = 0; i < n; i++)
        memcpy(tmp + i * size, (char *)arr + perm[i].at * size, size);
    if (n)
        memcpy(arr, tmp, n * size);
}

/* r0's candidates in order, as one process has them (each rank sent its own in
 * order; the ranks' lists interleave), with their passages and differences. */
static int sort_candidates(reuse *r0)
{
    size_t n = r0->ncand;
    coded *perm = rpi_malloc(n * sizeof *perm + 1);
    char *tmp = rpi_malloc(n * sizeof(uint64_t) + 1);
    size_t *inv = rpi_malloc(n * sizeof *inv + 1);
    if (!perm || !tmp || !inv) {
        rpi_free(perm);
        rpi_free(tmp);
        rpi_free(inv);
        return RP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = (coded){r0->cand[i], i};
    qsort(perm, n, sizeof *perm, cmp_coded);
    for (size_t i = 0; i < n; i++)
        inv[perm[i].at] = i;
    permute(r0->cand, sizeof *r0->cand, perm, n, tmp);
    permute(r0->rel, sizeof *r0->rel, perm, n, tmp);
    permute((void *)r0->why, sizeof *r0->why, perm, n, tmp);
    float *f[] = {r0->cov_a, r0->cov_b, r0->sim, r0->event, r0->specifics, r0->jac, r0->con_a,
                  r0->con_b};
    for (size_t k = 0; k < sizeof f / sizeof *f; k++)
        permute(f[k], sizeof *f[k], perm, n, tmp);
    permute(r0->npass, sizeof *r0->npass, perm, n, tmp);
    permute(r0->ndiff, sizeof *r0->ndiff, perm, n, tmp);
    wstate *w = &r0->ws[0];
    for (size_t i = 0; i < w->npass; i++)
        w->pass_pair[i] = inv[w->pass_pair[i]];
    for (size_t i = 0; i < w->ndiff; i++)
        w->diff_pair[i] = inv[w->diff_pair[i]];
    rpi_free(perm);
    rpi_free(tmp);
    rpi_free(inv);
    return RP_OK;
}

enum { SP_PAIRS, SP_PAIR_PASS, SP_PASS, SP_PAIR_DIFF, SP_DIFF, SP_FURN, NSPOOLS };

/* The spooled array mapped in *out (c->mapped: rpi_free_result), or for
 * none an element of memory. */
static int spool_map(dist *d, dx_spool *s, void **out)
{
    rp_corpus *c = d->c;
    RP_TRY(dx_spool_map(d, s, out));
    if (!s->written) {
        *out = rpi_calloc(1, s->sz);
        return *out ? RP_OK : RP_ENOMEM;
    }
    assert(c->nmapped < RPI_NMAPPED);
    c->mapped[c->nmapped++] = (struct rpi_mapped){*out, (size_t)s->written};
    return RP_OK;
}

static void spools_close(dx_spool *sp)
{
    for (int k = 0; k < NSPOOLS; k++)
        dx_spool_close(&sp[k]); /* (what it mapped stays, the file with it) */
}

/* A round's results, as one process sorts them (rpi_reuse_listed), onto the spools. */
static int spool_results(dist *d, dx_spool *sp, rpi_results *x)
{
    RP_TRY(dx_spool_put(d, &sp[SP_PAIRS], x->pairs, x->npairs));
    for (size_t i = 0; i < x->npairs; i++) {
        size_t at[2] = {sp[SP_PASS].n + x->pair_pass[i], sp[SP_DIFF].n + x->pair_diff[i]};
        RP_TRY(dx_spool_put(d, &sp[SP_PAIR_PASS], &at[0], 1));
        RP_TRY(dx_spool_put(d, &sp[SP_PAIR_DIFF], &at[1], 1));
    }
    RP_TRY(dx_spool_put(d, &sp[SP_PASS], x->pass, x->npass));
    return dx_spool_put(d, &sp[SP_DIFF], x->diff, x->ndiff);
}

/* Rank 0: every rank's part of round q (d->recv) into r0 (one worker), and
 * what one process makes of them onto the spools. Garbled bytes are found
 * (a count past what came, a document outside the round), not written past
 * the arrays or out of order. */
static int take_part(dist *d, const outbox *o, uint64_t q, reuse *r0, dx_spool *sp)
{
    rp_corpus *c = d->c;
    const uint64_t ndocs = d->base[d->size];
#define IN_ROUND(g) in_round(o, q, (g), ndocs)
    uint64_t head[4], total[4] = {0};
    size_t at = 0;
    for (int r = 0; r < d->size; r++) { /* the totals first, to size the arrays */
        cursor h = {d->recv.data + at, d->recv.data + at + d->sin[r], 0};
        dx_take(&h, head, sizeof head);
        /* (each record at least 16 bytes) */
        if (h.bad || head[0] + head[1] + head[2] + head[3] > d->sin[r] / 16)
            return dx_garbled(d);
        for (int x = 0; x < 4; x++)
            total[x] += head[x];
        at += (size_t)d->sin[r];
    }
    *r0 = (reuse){.c = c, .nw = 1};
    r0->ncand = (size_t)total[0];
    r0->ws = rpi_calloc(1, sizeof *r0->ws);
    r0->cand = rpi_malloc((r0->ncand + 1) * sizeof *r0->cand);
    if (!r0->ws || !r0->cand)
        return RP_ENOMEM;
    RP_TRY(rpi_reuse_results(r0));
    wstate *w = &r0->ws[0];
    RP_TRY(rpi_grow((void **)&w->pass, &w->cappass, (size_t)total[1] + 1, sizeof *w->pass));
    RP_TRY(rpi_grow((void **)&w->pass_pair, &w->cappp, (size_t)total[1] + 1, sizeof *w->pass_pair));
    RP_TRY(rpi_grow((void **)&w->diff, &w->capdiff, (size_t)total[2] + 1, sizeof *w->diff));
    RP_TRY(rpi_grow((void **)&w->diff_pair, &w->capdp, (size_t)total[2] + 1, sizeof *w->diff_pair));
    size_t base = 0;
    at = 0;
    for (int r = 0; r < d->size; r++) {
        cursor k = {d->recv.data + at, d->recv.data + at + d->sin[r], 0};
        at += (size_t)d->sin[r];
        dx_take(&k, head, sizeof head);
        for (uint64_t i = 0; i < head[0] && !k.bad; i++) {
            size_t x = base + (size_t)i;
            uint32_t v[5];
            float f[8];
            dx_take(&k, v, sizeof v);
            dx_take(&k, f, sizeof f);
            if (!IN_ROUND(v[0]) || v[1] <= v[0] || v[1] >= ndocs)
                return dx_garbled(d);
            r0->cand[x] = (uint64_t)v[0] << 32 | v[1];
            r0->rel[x] = (uint8_t)v[2];
            r0->npass[x] = v[3];
            r0->ndiff[x] = v[4];
            r0->cov_a[x] = f[0];
            r0->cov_b[x] = f[1];
            r0->sim[x] = f[2];
            r0->event[x] = f[3];
            r0->specifics[x] = f[4];
            r0->jac[x] = f[5];
            r0->con_a[x] = f[6];
            r0->con_b[x] = f[7];
            r0->why[x] = "";
            RP_TRY(take_str(c, &k, &r0->why[x]));
        }
        for (uint64_t i = 0; i < head[1] && !k.bad; i++) {
            uint32_t v[7];
            double score;
            dx_take(&k, v, sizeof v);
            dx_take(&k, &score, sizeof score);
            if (v[0] >= head[0])
                return dx_garbled(d);
            w->pass_pair[w->npass] = base + v[0];
            w->pass[w->npass++] = (rp_passage){v[1], v[2], v[3], v[4], v[5], v[6], score};
        }
        for (uint64_t i = 0; i < head[2] && !k.bad; i++) {
            uint32_t v[7];
            dx_take(&k, v, sizeof v);
            const char *kind = "";
            RP_TRY(take_str(c, &k, &kind));
            if (v[0] >= head[0])
                return dx_garbled(d);
            w->diff_pair[w->ndiff] = base + v[0];
            w->diff[w->ndiff++] = (rp_difference){v[1], v[2], v[3], v[4], v[5], v[6], kind};
        }
        for (uint64_t i = 0; i < head[3] && !k.bad; i++) {
            uint32_t v[4];
            dx_take(&k, v, sizeof v);
            if (!IN_ROUND(v[0]))
                return dx_garbled(d);
            rpi_furn fu = {v[0], v[1], v[2], v[3]};
            RP_TRY(dx_spool_put(d, &sp[SP_FURN], &fu, 1));
        }
        if (k.bad || k.p != k.end)
            return dx_garbled(d);
        base += (size_t)head[0];
    }
#undef IN_ROUND
    RP_TRY(sort_candidates(r0));
    RP_TRY(rpi_reuse_copies(r0));
    rpi_results x;
    RP_TRY(rpi_reuse_listed(r0, &x));
    int rc = spool_results(d, sp, &x);
    rpi_results_free(&x);
    return rc;
}

/* Rank 0: the spools mapped as c's results (c->pairs, c->pass, c->furn...). */
static int install_results(dist *d, dx_spool *sp)
{
    rp_corpus *c = d->c;
    size_t end[2] = {sp[SP_PASS].n, sp[SP_DIFF].n};
    RP_TRY(dx_spool_put(d, &sp[SP_PAIR_PASS], &end[0], 1));
    RP_TRY(dx_spool_put(d, &sp[SP_PAIR_DIFF], &end[1], 1));
    void *m[NSPOOLS] = {NULL};
    int rc = RP_OK;
    for (int k = 0; k < NSPOOLS && rc == RP_OK; k++)
        rc = spool_map(d, &sp[k], &m[k]);
    if (rc != RP_OK) {
        for (int k = 0; k < NSPOOLS; k++)
            rpi_free_result(c, m[k]);
        return rc;
    }
    rpi_results x = {m[SP_PAIRS], (size_t)sp[SP_PAIRS].n, m[SP_PASS], m[SP_PAIR_PASS],
                     (size_t)sp[SP_PASS].n, m[SP_DIFF], m[SP_PAIR_DIFF], (size_t)sp[SP_DIFF].n};
    rpi_results_install(c, &x);
    rpi_free_result(c, c->furn); /* (rank 0's own, sent with the others') */
    c->furn = m[SP_FURN];
    c->nfurn = c->capfurn = (size_t)sp[SP_FURN].n;
    /* (indexed for rank 0's own documents: their story vectors are the
     * only views made after this; the outputs read c->furn in order) */
    return rpi_furniture_index(c, d->nlocal);
}

/* Every rank: its results to rank 0, in rounds (plan_results); rank 0 ends
 * with them all as one process has them. */
static int collect_results(dist *d, reuse *r, int rc)
{
    outbox o = {0};
    dx_spool sp[NSPOOLS];
    static const size_t sz[NSPOOLS] = {sizeof(rp_pair),    sizeof(size_t),        sizeof(rp_passage),
                                       sizeof(size_t),     sizeof(rp_difference), sizeof(rpi_furn)};
    for (int k = 0; k < NSPOOLS; k++)
        sp[k] = (dx_spool){.fd = -1, .sz = sz[k]};
    for (int k = 0; k < NSPOOLS && d->rank == 0 && rc == RP_OK; k++)
        if ((sp[k].fd = rpi_tmpfile()) < 0)
            rc = dx_spool_error(d, "write");
    rc = plan_results(d, r, &o, rc);
    uint64_t nq = 0;
    if (o.came) { /* (every rank makes the same calls from here) */
        int trc = dx_most_rounds(d, o.nq ? o.nq : 1, &nq);
        if (trc != RP_OK)
            nq = 0, rc = trc;
    }
    for (uint64_t q = 0; q < nq; q++) {
        if (rc == RP_OK)
            rc = dx_nomem(d, send_part(d, r, &o, q));
        rc = dx_xchg(d, rc, RPI_X_RESULTS);
        if (rc != RP_OK)
            break; /* (on every rank: the exchange agreed) */
        if (d->rank == 0) {
            reuse r0 = {0};
            rc = dx_nomem(d, take_part(d, &o, q, &r0, sp));
            rpi_reuse_close(&r0);
        }
        rpi_buf_free(&d->recv);
    }
    if (rc == RP_OK && d->rank == 0)
        rc = dx_nomem(d, install_results(d, sp));
    spools_close(sp);
    rpi_free(o.ridx);
    rpi_free(o.bnd);
    return rc;
}

/* ---- texts for rank 0's outputs -------------------------------------------------------- */

enum { TEXT_ROUNDS = 64 };

/* Rank 0: ask for the texts of round q of nq, the needed documents from *g
 * on (the last round takes all that are left). */
static int ask_texts(dist *d, const uint8_t *need, uint64_t bytes, uint64_t q, uint64_t nq,
                     size_t *g, uint64_t *sent)
{
    rp_corpus *c = d->c;
    const uint64_t upto = q + 1 < nq ? bytes / nq * (q + 1) : UINT64_MAX;
    for (; *g < c->ndocs && *sent < upto; ++*g)
        if (need[*g]) {
            RP_TRY(dx_put32(&d->parts[dx_rank_of(d, *g)], (uint32_t)*g));
            *sent += c->docs[*g].text_len + 8;
        }
    return RP_OK;
}

/* The texts asked of this rank (in d->recv) to rank 0. */
static int serve_texts(dist *d, int rc)
{
    rp_corpus *c = d->c;
    const uint64_t mine = d->base[d->rank], next = d->base[d->rank + 1];
    if (rc == RP_OK && d->recv.len % 4)
        rc = dx_garbled(d);
    char *text = NULL;
    size_t captext = 0;
    for (size_t i = 0; rc == RP_OK && i < d->recv.len / 4; i++) {
        uint32_t g;
        memcpy(&g, d->recv.data + 4 * i, 4);
        if (g < mine || g >= next) {
            rc = dx_garbled(d);
            break;
        }
        const rpi_doc *x = &c->docs[g - mine];
        rc = rpi_grow((void **)&text, &captext, x->text_len + 1, 1);
        if (rc == RP_OK && rpi_doc_read_text(c, (uint32_t)(g - mine), text) != RP_OK)
            rc = RP_EIO;
        uint32_t v[2] = {g, x->text_len};
        if (rc == RP_OK)
            rc = dx_put(&d->parts[0], v, sizeof v);
        if (rc == RP_OK)
            rc = dx_put(&d->parts[0], text, x->text_len);
    }
    rpi_free(text);
    return dx_xchg(d, rc, RPI_X_TEXTS);
}

/* Rank 0: the texts received into the text store. */
static int store_texts(dist *d)
{
    rp_corpus *c = d->c;
    int rc = RP_OK;
    cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
    while (k.p < k.end && rc == RP_OK) {
        uint32_t v[2];
        dx_take(&k, v, sizeof v);
        const char *t = dx_skip(&k, v[1]);
        if (k.bad || v[0] < d->nlocal || v[0] >= c->ndocs || c->docs[v[0]].text_len != v[1] ||
            (c->nfetched && v[0] <= c->fetched[c->nfetched - 1]))
            return dx_garbled(d); /* (asked in order: they come in order) */
        uint64_t off = 0;
        rc = rpi_spill_write_bytes(&c->texts, 0, t, v[1], &off);
        if (rc == RP_OK)
            rc = rpi_grow((void **)&c->fetched, &c->capfetched, c->nfetched + 1,
                          sizeof *c->fetched);
        if (rc == RP_OK)
            rc = rpi_grow((void **)&c->fetched_off, &c->capfetched_off, c->nfetched + 1,
                          sizeof *c->fetched_off);
        if (rc == RP_OK) {
            c->fetched[c->nfetched] = v[0];
            c->fetched_off[c->nfetched++] = off;
        }
    }
    rpi_buf_free(&d->recv);
    if (rc == RP_EIO)
        rpi_spill_errmsg(&c->texts, "write", c->err, sizeof c->err);
    return rc;
}

/*
 * The texts rank 0's outputs show (those of passages and differences; every
 * text with the report or the furniture list, rp_transport.all_texts; none
 * with rp_transport.no_texts, for outputs that show no text) come
 * from their ranks into a store of rank 0's own: in memory within an eighth
 * of --memory, beyond it in temporary files. They come in rounds of about an
 * eighth of --memory each, which rank 0 plans from the lengths it knows (all
 * at once, 2 million generated documents on 2 ranks sent rank 0 450 MB of
 * text in one exchange, and the report every text).
 */
static int fetch_texts(dist *d, int rc)
{
    rp_corpus *c = d->c;
    const uint64_t per = c->opt.memory / RPI_ROUND_SHARE / 2 + 1;
    uint64_t bytes = 0, sent = 0, nq = 1;
    size_t g = d->nlocal;
    uint8_t *need = NULL;
    if (d->rank == 0 && rc == RP_OK) {
        /* (Other ranks' documents have no text here until fetched: the
         * merge gave them none, and writing that again here would copy
         * every page of the record store: rpi_dist_park.) */
        need = rpi_calloc(c->ndocs + 1, 1);
        if (!need)
            rc = dx_nomem(d, RP_ENOMEM);
        const int shown = !c->tp.no_texts; /* (no output shows a text: none is asked) */
        for (size_t i = 0; rc == RP_OK && shown && i < c->npass; i++)
            need[c->pass[i].a] = need[c->pass[i].b] = 1;
        for (size_t i = 0; rc == RP_OK && shown && i < c->ndiff; i++)
            need[c->diff[i].a] = need[c->diff[i].b] = 1;
        for (size_t x = d->nlocal; rc == RP_OK && x < c->ndocs; x++) {
            need[x] |= c->tp.all_texts != 0;
            bytes += need[x] ? c->docs[x].text_len + 8 : 0;
        }
        if (rc == RP_OK)
            rc = rpi_spill_open(&c->texts, 1, c->err, sizeof c->err);
        if (rc == RP_OK) {
            c->texts.name = "text store";
            rpi_spill_keep(&c->texts, (size_t)per);
        }
    }
    /* At most TEXT_ROUNDS rounds: each is two exchanges that every rank
     * waits for, and --memory 0 made one a text (about 1,300 rounds, one for
     * each of the other ranks' texts, on 2,000 articles with the report on 3
     * ranks: mpi_scan went past the sanitizer run's 300 s);
     * a budget too small for the texts is overrun instead. */
    uint64_t mine = d->rank == 0 ? bytes / per + 1 : 1;
    int trc = dx_most_rounds(d, mine < TEXT_ROUNDS ? mine : TEXT_ROUNDS, &nq);
    if (trc != RP_OK) {
        rpi_free(need);
        return trc; /* the transport failed: no exchange can agree */
    }
    for (uint64_t q = 0; q < nq; q++) {
        if (d->rank == 0 && rc == RP_OK)
            rc = dx_nomem(d, ask_texts(d, need, bytes, q, nq, &g, &sent));
        rc = dx_xchg(d, rc, RPI_X_TEXT_REQUESTS);
        rc = serve_texts(d, rc);
        if (rc == RP_OK && d->rank == 0)
            rc = store_texts(d);
    }
    rpi_free(need);
    rpi_buf_free(&d->recv);
    if (rc == RP_OK && d->rank == 0 && (rc = rpi_spill_flush(&c->texts)) == RP_EIO)
        rpi_spill_errmsg(&c->texts, "write", c->err, sizeof c->err);
    return rc; /* (a failure of the flush is agreed on by the caller) */
}

/* ---- the run ------------------------------------------------------------------------- */

int rpi_dist_pairs(dist *d)
{
    rp_corpus *c = d->c;
    double t0 = rpi_now();
    const uint64_t total = d->base[d->size];
    reuse r = {.c = c, .nindex = d->nlocal, .nall = (size_t)total,
               .base = (uint32_t)d->base[d->rank]};
    uint64_t *gcand = NULL;
    if (d->size == 1) /* one rank holds everything: the one-process passes, without exchanges */
        return dx_agree(d, rpi_pairs_run(c));
    c->hooks.ndocs = total; /* IDF over the whole run */
    int rc = rpi_dist_park(d);
    rc = sum_counts(d, rc, &c->lines);
    rc = sum_counts(d, rc, &c->terms);
    if (rc == RP_OK)
        rc = rpi_reuse_open(&r);
    if (rc == RP_OK)
        rc = rpi_reuse_index(&r);
    double t1 = rpi_now();
    rc = candidates(d, &r, rc);
    rpi_trim(); /* (the postings) */
    c->t_cands = rpi_now() - t1;
    if (rc == RP_OK)
        rc = rpi_reuse_results(&r);
    if (rc == RP_OK) {
        gcand = rpi_malloc((r.ncand + 1) * sizeof *gcand);
        if (!gcand)
            rc = RP_ENOMEM;
        else if (r.ncand)
            memcpy(gcand, r.cand, r.ncand * sizeof *gcand);
    }
    t1 = rpi_now();
    rc = compare(d, &r, gcand, rc);
    c->t_compare = rpi_now() - t1;
    rpi_free(gcand);
    /* What pass 3 kept of the features it computed again (within what the
     * postings gave back) serves no more comparison: given back before rank
     * 0 collects, where it was the largest part of rank 0's peak (540 MB of
     * 1.29 GB of heap at 2 million generated documents on 2 ranks). The few
     * story vectors asked of those documents are computed again. */
    rpi_features_drop_again(c);
    rpi_trim(); /* (the rounds' buffers, the features computed again) */
    if (rc != RP_OK)
        rpi_pairs_failed(c, rc);
    rc = rpi_dist_unpark(d, rc); /* (rank 0: every document's record, for the outputs) */
    t1 = rpi_now();
    rc = collect_results(d, &r, rc);
    rpi_trim();
    c->t_collect = rpi_now() - t1;
    t1 = rpi_now();
    /* (every rank: the vectors come from the features, freed after) */
    rpi_djoin j = {.spool = {.fd = -1, .sz = sizeof(rp_pair)}};
    rc = rpi_dist_join_deal(d, &j, rc);
    rpi_reuse_close(&r);
    rpi_features_free(c);
    rpi_trim();
    rc = rpi_dist_join_run(d, &j, rc);
    rpi_dist_join_free(&j);
    rpi_trim(); /* (the vectors, the joins' tables) */
    c->t_join = rpi_now() - t1;
    t1 = rpi_now();
    rc = fetch_texts(d, rc);
    c->t_texts = rpi_now() - t1;
    c->t_reuse = rpi_now() - t0;
    return dx_agree(d, rc);
}
