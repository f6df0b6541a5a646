/* SPDX-License-Identifier: MIT */
/*
 * distrib.c -- one run divided among the ranks of a job
 * (rp_corpus_set_transport; reprint-mpi moves the bytes).
 *
 *   start      the ranks agree on an input one could not add, on having the
 *              same inputs, and on rank 0's clock
 *   shares     every rank takes a contiguous stretch of the input bytes, in
 *              input order: byte ranges of uncompressed JSONL files, whole
 *              files otherwise; line numbers from the newlines counted by
 *              the ranks before it
 *   pass 1     each rank on its share (corpus.c), warnings collected with
 *              their record numbers, ids not checked
 *   merge      every id goes to the rank owning its hash, which enters
 *              them in rank order (input order) and sends each repeat back
 *              to its rank with where the id was first seen; rank 0 takes
 *              every rank's records (id, place, dates, text hash: about 80
 *              bytes and the id) one rank at a time, in rank order, gives
 *              the warnings and the first failure in input order, numbers
 *              the documents and sends each rank its first number, and
 *              puts the other ranks' records in its record store (mapped)
 *              as they come; each rank drops its repeats
 *   groups     each text hash goes to the rank owning it, which groups
 *              exact duplicates, tells each rank which of its documents are
 *              not first in their group, and sends rank 0 every group of
 *              more than one document
 *   LSH        band keys of the leaders go to the rank owning their bucket,
 *              4 bands a round, which pairs the documents sharing a key
 *              (rpi_lsh_band; the keep policy's facts fetched only for a
 *              bucket over RPI_BUCKET_CAP)
 *   verify     each candidate goes to the rank holding its first document,
 *              which fetches the second one's signature and shingle set from
 *              its rank, filters and verifies exactly (rpi_verify)
 *   finish     verified pairs go to rank 0, which expands them to every
 *              duplicate and builds clusters (rpi_copies_finish)
 *
 * Every step is the single-process code on another part of the data, so
 * rank 0 ends with exactly the single-process results. Before each exchange
 * the ranks agree on their status: a rank that fails makes every rank stop
 * with the message of the lowest failing rank (the first in input order).
 */
#define _POSIX_C_SOURCE 200809L
#include "distrib.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc_features.h"
#include "sketch.h"


int dx_tp_failed(dist *d)
{
    rpi_fmt(d->c->err, sizeof d->c->err,
            "rank %d: the exchange between ranks failed (did a rank stop?)", d->rank);
    return RP_EIO;
}

/*
 * Agree on the status: every rank gives its code; when one failed, all
 * return the code and message of the lowest failing rank (the first in
 * input order).
 */
int dx_agree(dist *d, int rc)
{
    rp_corpus *c = d->c;
    uint64_t len = rc == RP_OK ? 0 : strlen(c->err) + 1;
    for (int i = 0; i < d->size; i++)
        d->out[i] = rc == RP_OK ? 0 : (uint64_t)(uint32_t)(-rc) << 32 | len;
    if (c->tp.counts(c->tp.user, d->out, d->in))
        return dx_tp_failed(d);
    int first = -1;
    for (int i = 0; i < d->size && first < 0; i++)
        if (d->in[i])
            first = i;
    if (first < 0)
        return RP_OK;
    int code = -(int)(d->in[first] >> 32);
    uint64_t at = 0;
    for (int i = 0; i < d->size; i++) {
        memcpy(d->msgs + (size_t)i * len, c->err, (size_t)len);
        d->out[i] = len;
        d->in[i] &= 0xffffffffu;
        if (i < first)
            at += d->in[i];
    }
    if (c->tp.exchange(c->tp.user, d->msgs, d->out, d->got, d->in))
        return dx_tp_failed(d);
    /* A failure of one rank's own (its disk, its memory, a file only it
     * cannot open) names the rank; bad input reads as one process says it. */
    if (first != 0 && code != RP_EBADINPUT)
        rpi_fmt(c->err, sizeof c->err, "rank %d: %s", first, d->got + at);
    else
        rpi_fmt(c->err, sizeof c->err, "%s", d->got + at);
    return code;
}

/*
 * Send d->parts[i] to rank i (given back once sent) and receive into
 * d->recv. rc is this rank's status so far: the bytes move only when every
 * rank is well, else every rank returns the first failure.
 */
int dx_xchg_raw(dist *d, int rc, const char *send, int what)
{
    rp_corpus *c = d->c;
    for (int i = 0; i < d->size; i++)
        if (i != d->rank)
            c->dist_sent[what] += d->sout[i];
    rc = dx_agree(d, rc);
    if (rc == RP_OK && c->tp.counts(c->tp.user, d->sout, d->sin))
        rc = dx_tp_failed(d);
    if (rc != RP_OK)
        return rc;
    uint64_t total = 0;
    for (int i = 0; i < d->size; i++)
        total += d->sin[i];
    d->recv.len = 0;
    rc = dx_nomem(d, rpi_grow((void **)&d->recv.data, &d->recv.cap, (size_t)total + 1, 1));
    rc = dx_agree(d, rc);
    if (rc == RP_OK && c->tp.exchange(c->tp.user, send, d->sout, d->recv.data, d->sin))
        rc = dx_tp_failed(d);
    if (rc == RP_OK)
        d->recv.len = (size_t)total;
    return rc;
}

int dx_xchg(dist *d, int rc, int what)
{
    rpi_buf send = {0};
    const char *from = ""; /* (no bytes: a transport may still read from it) */
    int nonempty = 0;
    for (int i = 0; i < d->size; i++)
        if (d->parts[i].len) {
            nonempty++;
            from = d->parts[i].data;
        }
    /* The parts one after another; a part alone is sent where it is (the
     * records to rank 0: a copy of 46 MB on 2 ranks of a million documents). */
    for (int i = 0; i < d->size && rc == RP_OK && nonempty > 1; i++)
        rc = dx_nomem(d, rpi_buf_append(&send, d->parts[i].data, d->parts[i].len));
    if (nonempty > 1)
        from = send.data;
    for (int i = 0; i < d->size; i++)
        d->sout[i] = d->parts[i].len;
    rc = dx_xchg_raw(d, rc, from, what);
    rpi_buf_free(&send);
    /* Sent: the parts are given back, not kept for the next exchange (the
     * records, ids, hashes, count keys and postings of the largest ones
     * stayed to the end of the run). */
    for (int i = 0; i < d->size; i++)
        rpi_buf_free(&d->parts[i]);
    return rc;
}

/* ---- packing ---------------------------------------------------------------- */

int dx_put(rpi_buf *b, const void *p, size_t n)
{
    return rpi_buf_append(b, p, n);
}

int dx_put64(rpi_buf *b, uint64_t v)
{
    return dx_put(b, &v, sizeof v);
}

int dx_put32(rpi_buf *b, uint32_t v)
{
    return dx_put(b, &v, sizeof v);
}


void dx_take(cursor *k, void *dst, size_t n)
{
    if ((size_t)(k->end - k->p) < n) {
        k->bad = 1;
        memset(dst, 0, n); /* (callers check a length from the bytes before taking it) */
        return;
    }
    memcpy(dst, k->p, n);
    k->p += n;
}

uint64_t dx_take64(cursor *k)
{
    uint64_t v = 0;
    dx_take(k, &v, sizeof v);
    return v;
}

uint32_t dx_take32(cursor *k)
{
    uint32_t v = 0;
    dx_take(k, &v, sizeof v);
    return v;
}

const char *dx_skip(cursor *k, size_t n)
{
    const char *p = k->p;
    if ((size_t)(k->end - k->p) < n) {
        k->bad = 1;
        return NULL;
    }
    k->p += n;
    return p;
}

int dx_nomem(dist *d, int rc)
{
    if (rc == RP_ENOMEM)
        rpi_fmt(d->c->err, sizeof d->c->err, "out of memory");
    return rc;
}

int dx_garbled(dist *d)
{
    /* (the agreement names a rank other than rank 0: not twice) */
    rpi_fmt(d->c->err, sizeof d->c->err, "%sgarbled data from another rank",
            d->rank == 0 ? "rank 0: " : "");
    return RP_EIO;
}

int dx_most_rounds(dist *d, uint64_t mine, uint64_t *nq)
{
    rp_corpus *c = d->c;
    for (int r = 0; r < d->size; r++)
        d->out[r] = mine;
    if (c->tp.counts(c->tp.user, d->out, d->in))
        return dx_tp_failed(d);
    *nq = 1;
    for (int r = 0; r < d->size; r++)
        if (d->in[r] > *nq)
            *nq = d->in[r];
    return RP_OK;
}

/* ---- spools ------------------------------------------------------------------ */

#define SPOOL_BUF ((size_t)1 << 20)

int dx_spool_error(dist *d, const char *what)
{
    rpi_fmt(d->c->err, sizeof d->c->err, "cannot %s the temporary results in %s: %s", what,
            rpi_tmpdir(), strerror(errno ? errno : EIO));
    return RP_EIO;
}

static int spool_flush(dist *d, dx_spool *s)
{
    if (!s->buf.len)
        return RP_OK;
    if (rpi_pwrite_all(s->fd, s->buf.data, s->buf.len, s->written) != RP_OK)
        return dx_spool_error(d, "write");
    s->written += s->buf.len;
    d->c->dist_spooled += s->buf.len;
    s->buf.len = 0;
    return RP_OK;
}

int dx_spool_put(dist *d, dx_spool *s, const void *p, size_t n)
{
    RP_TRY(rpi_buf_append(&s->buf, p, n * s->sz));
    s->n += n;
    return s->buf.len >= SPOOL_BUF ? spool_flush(d, s) : RP_OK;
}

int dx_spool_map(dist *d, dx_spool *s, void **out)
{
    *out = NULL;
    RP_TRY(spool_flush(d, s));
    rpi_buf_free(&s->buf); /* (nothing more is put) */
    if (!s->written)
        return RP_OK;
    *out = rpi_map_file(s->fd, (size_t)s->written);
    if (!*out)
        return errno == ENOMEM ? RP_ENOMEM : dx_spool_error(d, "map");
    return RP_OK;
}

void dx_spool_close(dx_spool *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    rpi_buf_free(&s->buf);
}

/* Rank holding global document g. */
int dx_rank_of(const dist *d, uint64_t g)
{
    int lo = 0, hi = d->size - 1; /* largest r with base[r] <= g */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (d->base[mid] <= g)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* ---- shares ----------------------------------------------------------------- */

/* Rank 0's clock, for dates in the future, on every rank. */
static int date_limit(dist *d)
{
    rp_corpus *c = d->c;
    for (int i = 0; i < d->size; i++)
        d->out[i] = (uint64_t)rpi_date_limit();
    if (c->tp.counts(c->tp.user, d->out, d->in))
        return dx_tp_failed(d);
    c->date_limit = (int64_t)d->in[0];
    return RP_OK;
}

/* Append an input named name that this rank does not read (another rank's own). */
static int add_foreign(rpi_inputs *in, const char *name, size_t len, int jsonl)
{
    RP_TRY(rpi_grow((void **)&in->v, &in->cap, in->n + 1, sizeof *in->v));
    rpi_input *x = &in->v[in->n];
    memset(x, 0, sizeof *x);
    x->path = rpi_malloc(len + 1);
    x->name = rpi_malloc(len + 1);
    if (!x->path || !x->name) {
        rpi_free(x->path);
        rpi_free(x->name);
        return RP_ENOMEM;
    }
    memcpy(x->path, name, len);
    x->path[len] = 0;
    memcpy(x->name, name, len);
    x->name[len] = 0;
    x->jsonl = jsonl;
    x->skip = 1;
    in->n++;
    return RP_OK;
}

/*
 * Local inputs: the job holds at least one input; rank 0 learns the names of
 * every rank's inputs (its messages name other ranks' documents by file and
 * line) and appends them, not to be read, after its own, in rank order; and
 * the others' bytes, for its memory budget.
 */
static int local_start(dist *d)
{
    rp_corpus *c = d->c;
    uint64_t mine = c->in.n + c->nskip_inputs;
    for (int i = 0; i < d->size; i++)
        d->out[i] = mine;
    if (c->tp.counts(c->tp.user, d->out, d->in))
        return dx_tp_failed(d);
    uint64_t all = 0;
    for (int i = 0; i < d->size; i++)
        all += d->in[i];
    if (all == 0) {
        rpi_fmt(c->err, sizeof c->err, "no input given");
        return RP_EINVAL;
    }
    /* Part: the inputs it skipped (count, messages), then its inputs. */
    int rc = RP_OK;
    if (d->rank != 0) {
        rc = dx_put64(&d->parts[0], c->nskip_inputs);
        if (rc == RP_OK)
            rc = dx_put64(&d->parts[0], c->skipped_in.len);
        if (rc == RP_OK)
            rc = dx_put(&d->parts[0], c->skipped_in.data, c->skipped_in.len);
    }
    for (size_t i = 0; i < c->in.n && rc == RP_OK; i++) {
        const rpi_input *x = &c->in.v[i];
        if (d->rank == 0)
            continue;
        size_t len = strlen(x->name);
        rc = dx_put32(&d->parts[0], (uint32_t)x->jsonl);
        if (rc == RP_OK)
            rc = dx_put64(&d->parts[0], x->size);
        if (rc == RP_OK)
            rc = dx_put64(&d->parts[0], len);
        if (rc == RP_OK)
            rc = dx_put(&d->parts[0], x->name, len);
    }
    RP_TRY(dx_xchg(d, rc, RPI_X_INPUTS));
    if (d->rank == 0) {
        d->inbase = rpi_calloc((size_t)d->size, sizeof *d->inbase);
        rc = d->inbase ? RP_OK : RP_ENOMEM;
        cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
        for (int r = 1; r < d->size && rc == RP_OK; r++) {
            const char *end = k.p + d->sin[r];
            d->inbase[r] = c->in.n;
            /* its skipped inputs, warned as one process warns them: in input order,
             * before anything is read */
            c->nskip_inputs += dx_take64(&k);
            uint64_t mlen = dx_take64(&k);
            const char *m = dx_skip(&k, (size_t)mlen);
            for (const char *q = m; q && !k.bad && q < m + mlen;) {
                size_t ql = strnlen(q, (size_t)(m + mlen - q));
                if (ql == (size_t)(m + mlen - q)) {
                    k.bad = 1; /* each message ends in a NUL */
                    break;
                }
                rpi_warn_skipped_as(c, q);
                q += ql + 1;
            }
            while (k.p < end && !k.bad && rc == RP_OK) {
                int jsonl = (int)dx_take32(&k);
                c->foreign_bytes += dx_take64(&k);
                uint64_t len = dx_take64(&k);
                const char *name = dx_skip(&k, (size_t)len);
                if (!k.bad)
                    rc = add_foreign(&c->in, name, (size_t)len, jsonl);
            }
        }
        if (k.bad)
            rc = dx_garbled(d);
    }
    RP_TRY(dx_agree(d, rc));
    return date_limit(d);
}

/*
 * Before anything, the ranks agree: on an input one of them could not add
 * (the CLI runs anyway on ranks, so that all learn it here), on inputs
 * that must be files, on being given the same inputs (names, sizes: a file
 * missing on one host or still growing would give shares that overlap or
 * leave a gap), and on rank 0's clock for dates in the future.
 */
static int start(dist *d)
{
    rp_corpus *c = d->c;
    /* The options that decide the run, and the local flag in the lowest bit: ranks
     * given others (Open MPI's MPMD form gives each its own arguments) would make
     * other exchanges, and wait for each other for ever. (Not no_texts: only rank
     * 0 asks for texts, so the outputs rank 0 alone writes may differ.) */
    const rp_options *o = &c->opt;
    uint64_t th;
    memcpy(&th, &o->threshold, sizeof th);
    uint64_t v[] = {(uint64_t)o->ngram, (uint64_t)o->perm,  th,
                    (uint64_t)o->sketch, (uint64_t)o->keep, (uint64_t)o->fast,
                    (uint64_t)o->max_doc_bytes, (uint64_t)o->skip_bad, (uint64_t)o->force_jsonl,
                    (uint64_t)o->all_pairs, (uint64_t)o->keep_furniture, (uint64_t)o->reworded,
                    (uint64_t)o->list_furniture, (uint64_t)c->tp.all_texts};
    uint64_t h = rpi_hash64(v, sizeof v, 0x6f7074);
    h = rpi_hash64(o->id_field, strlen(o->id_field), h);
    h = rpi_hash64(o->text_field, strlen(o->text_field), h);
    for (int i = 0; i < d->size; i++)
        d->out[i] = (h & ~(uint64_t)1) | (uint64_t)d->local;
    if (c->tp.counts(c->tp.user, d->out, d->in))
        return dx_tp_failed(d);
    for (int r = 1; r < d->size; r++) {
        /* every rank sees every rank's value: all stop here with this message */
        if ((d->in[r] & 1) != (d->in[0] & 1)) {
            rpi_fmt(c->err, sizeof c->err,
                    "rank %d reads %s and rank 0 %s (--local-inputs given to some ranks only?)", r,
                    d->in[r] & 1 ? "inputs of its own" : "the inputs every rank reads",
                    d->in[0] & 1 ? "inputs of its own" : "the inputs every rank reads");
            return RP_EINVAL;
        }
        if (d->in[r] != d->in[0]) {
            rpi_fmt(c->err, sizeof c->err, "rank %d was given other options than rank 0", r);
            return RP_EINVAL;
        }
    }
    int rc = c->add_rc;
    if (rc == RP_OK && c->in.n == 0 && c->nskip_inputs == 0 && !d->local) {
        rpi_fmt(c->err, sizeof c->err, "no input given");
        rc = RP_EINVAL;
    }
    if (d->local) { /* a rank may hold no input; the job must hold one */
        RP_TRY(dx_agree(d, rc));
        return local_start(d);
    }
    rpi_buf fp = {0};
    for (size_t i = 0; i < c->in.n && rc == RP_OK; i++) {
        const rpi_input *x = &c->in.v[i];
        if (!x->seekable || x->fn || strcmp(x->path, "-") == 0) {
            rpi_fmt(c->err, sizeof c->err,
                    "%s: a run divided among ranks reads files every rank can open, not "
                    "standard input, a pipe or an application's reader",
                    x->name);
            rc = RP_EINVAL;
            break;
        }
        rc = dx_put(&fp, x->name, strlen(x->name) + 1);
        if (rc == RP_OK)
            rc = dx_put64(&fp, x->size);
        if (rc == RP_OK)
            rc = dx_put64(&fp, (uint64_t)x->jsonl);
    }
    if (rc == RP_OK)
        rc = dx_put64(&fp, c->nskip_inputs);
    uint64_t mine = rpi_hash64(fp.data, fp.len, 0x696e70);
    rpi_buf_free(&fp);
    RP_TRY(dx_agree(d, rc));
    for (int i = 0; i < d->size; i++)
        d->out[i] = mine;
    if (c->tp.counts(c->tp.user, d->out, d->in))
        return dx_tp_failed(d);
    for (int r = 1; r < d->size; r++)
        if (d->in[r] != d->in[0]) {
            rpi_fmt(c->err, sizeof c->err,
                    "rank %d was given other inputs than rank 0 (a file missing, different "
                    "or still being written on its host?)",
                    r);
            return RP_EINVAL;
        }
    return date_limit(d);
}

/* Start of rank r's stretch of the total bytes t. */
static uint64_t stretch(uint64_t t, int size, int r)
{
    return t / (uint64_t)size * (uint64_t)r + t % (uint64_t)size * (uint64_t)r / (uint64_t)size;
}

static int shares(dist *d)
{
    rp_corpus *c = d->c;
    if (d->local) /* every input whole to its own rank: lines are its own */
        return dx_xchg(d, RP_OK, RPI_X_LINES);
    uint64_t total = 0;
    for (size_t i = 0; i < c->in.n; i++)
        total += c->in.v[i].size;
    uint64_t lo = stretch(total, d->size, d->rank), hi = stretch(total, d->size, d->rank + 1);
    if (d->rank == 0) /* its memory budget counts the records it will hold for them */
        c->foreign_bytes = total - (hi - lo);
    uint64_t at = 0;
    for (size_t i = 0; i < c->in.n; i++) {
        rpi_input *x = &c->in.v[i];
        uint64_t start = at, end = at + x->size;
        at = end;
        int compressed = 1;
        if (x->jsonl && x->size > 0 && rpi_file_compressed(x->path, &compressed) != RP_OK)
            compressed = 1; /* whole, to one rank: its reader reports the error */
        if (x->jsonl && x->size > 0 && !compressed) {
            uint64_t s = start > lo ? start : lo, e = end < hi ? end : hi;
            if (s >= e) {
                x->skip = 1;
            } else if (s > start || e < end) {
                x->range_start = s - start;
                x->range_end = e - start;
            }
            continue;
        }
        /* Whole, to the rank whose stretch holds its first byte. */
        int owner = d->size - 1;
        for (int r = 0; r < d->size; r++)
            if (start < stretch(total, d->size, r + 1)) {
                owner = r;
                break;
            }
        x->skip = owner != d->rank;
    }
    /* Line numbers: each rank counts the newlines of its ranges; a range's
     * first line follows those of the ranks before it. */
    int rc = RP_OK;
    for (size_t i = 0; i < c->in.n && rc == RP_OK; i++) {
        rpi_input *x = &c->in.v[i];
        if (x->skip || !x->range_end)
            continue;
        uint64_t n = 0;
        if (rpi_count_newlines(x->path, x->range_start, x->range_end, &n, c->err,
                               sizeof c->err) != RP_OK)
            n = 0; /* the reader meets the same failure and reports it */
        c->err[0] = 0;
        for (int r = 0; r < d->size && rc == RP_OK; r++) {
            rc = dx_put64(&d->parts[r], i);
            if (rc == RP_OK)
                rc = dx_put64(&d->parts[r], n);
        }
    }
    RP_TRY(dx_xchg(d, rc, RPI_X_LINES));
    cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
    for (int r = 0; r < d->rank; r++) {
        const char *end = k.p + d->sin[r];
        while (k.p < end && !k.bad) {
            uint64_t i = dx_take64(&k), n = dx_take64(&k);
            if (i < c->in.n && c->in.v[i].range_end && !c->in.v[i].skip)
                c->in.v[i].line_base += n;
        }
    }
    return k.bad ? dx_garbled(d) : RP_OK;
}

/* ---- rank 0's records of other ranks: in the record store from the merge on -------- */

/*
 * Rank 0 holds the record of every document of the run (96 bytes, and its id
 * and metadata) to write the outputs, but reads few of the other ranks'
 * before: the copies read those of documents in a group of exact copies,
 * passes 2 and 3 none (rank 0 takes the other ranks' documents of each round
 * in the slots after its own, as every rank does). So as each rank's come
 * in the merge they go to the record store, two temporary files (records,
 * strings) mapped in their place (rpi_map_over): a page takes memory only
 * once read or written, and until written it is clean, so the kernel may
 * drop it again (unless $TMPDIR is a tmpfs, which holds the files in
 * memory); the merge holds one rank's records at a time. Where an array is
 * not a mapping (small, or not Linux), its records stay in memory, and in
 * the default scan are read back from the store after pass 3, whose slots
 * wrote over them.
 */

static int store_error(dist *d, const char *what)
{
    rpi_fmt(d->c->err, sizeof d->c->err, "cannot %s the temporary record store in %s: %s", what,
            rpi_tmpdir(), strerror(errno ? errno : EIO));
    return RP_EIO;
}

/* A part from byte from of its array, and its file. */
static int part_open(dist *d, stored_part *sp, int map, size_t from)
{
    const size_t page = rpi_page_bytes(), at = (from + page - 1) / page * page;
    *sp = (stored_part){.fd = rpi_tmpfile(), .from = from, .at = at, .done = at, .map = map};
    return sp->fd < 0 ? store_error(d, "write") : RP_OK;
}

/* Write (and map) what the array at base holds up to end: whole pages, or
 * when final all of it, and keep the edge. */
static int part_put(dist *d, stored_part *sp, char *base, size_t end, int final)
{
    if (sp->fd < 0)
        return RP_OK;
    const size_t page = rpi_page_bytes();
    size_t upto = end / page * page;
    if (final) {
        if (end < sp->at)
            sp->at = sp->done = end; /* (all in the first page: edge only) */
        sp->end = end;
        sp->edge = rpi_malloc(sp->at - sp->from + 1);
        if (!sp->edge)
            return RP_ENOMEM;
        memcpy(sp->edge, base + sp->from, sp->at - sp->from);
        if (sp->at == end)
            return RP_OK;
        upto = sp->map ? (end + page - 1) / page * page : end;
    }
    if (upto <= sp->done || (!sp->map && !final))
        return RP_OK;
    if (rpi_pwrite_all(sp->fd, base + sp->done, upto - sp->done, sp->done - sp->at) != RP_OK)
        return store_error(d, "write");
    d->c->dist_stored += upto - sp->done;
    if (sp->map && rpi_map_over(base + sp->done, upto - sp->done, sp->fd, sp->done - sp->at) != RP_OK)
        return store_error(d, "map"); /* (what was there may be gone: the run cannot go on) */
    d->c->dist_mapped += sp->map ? upto - sp->done : 0;
    sp->done = upto;
    return RP_OK;
}

/* Bytes of a document's metadata, "date\0source\0url\0title\0". */
static size_t meta_len(const rp_corpus *c, const rpi_doc *x)
{
    size_t n = 0;
    for (int f = 0; f < RPI_NMETA; f++)
        n += strlen(c->strings.data + x->meta_off + n) + 1;
    return n;
}

/*
 * Every rank, once rank 0 has merged its own: rank 0 learns how many records and string
 * bytes the others send, and makes room for all at once (a mapping cannot
 * grow once a file is mapped in it), then whether and how they are stored.
 * The fast path stores them only where they leave memory, and when they
 * weigh: a 16th of --memory (64 MiB, about 500,000 documents, at the
 * default); writing them took 0.64 s for 1.5 million on 4 ranks of 2
 * million generated documents, a few percent of a small run. Passes 2 and 3
 * write over the records, not the strings: the default scan always stores
 * the records, and the strings where they leave memory.
 */
static int store_open(dist *d, int rc)
{
    rp_corpus *c = d->c;
    uint64_t want[2] = {0, 0}, sum[2] = {0, 0};
    if (d->rank != 0 && rc == RP_OK) {
        want[0] = c->ndocs;
        want[1] = d->packed_strings;
    }
    for (int k = 0; k < 2; k++) {
        for (int r = 0; r < d->size; r++)
            d->out[r] = r == 0 ? want[k] : 0;
        if (c->tp.counts(c->tp.user, d->out, d->in))
            return dx_tp_failed(d);
        for (int r = 0; r < d->size; r++)
            sum[k] += d->in[r];
    }
    if (d->rank != 0 || rc != RP_OK || !sum[0])
        return rc;
    RP_TRY(dx_nomem(d, rpi_grow_huge((void **)&c->docs, &c->capdocs,
                                     (size_t)(c->ndocs + sum[0] + 1), sizeof *c->docs)));
    RP_TRY(dx_nomem(d, rpi_grow_huge((void **)&c->strings.data, &c->strings.cap,
                                     (size_t)(c->strings.len + sum[1] + 1), 1)));
    int mdocs = rpi_huge_mapped(c->capdocs, sizeof *c->docs),
        mstr = rpi_huge_mapped(c->strings.cap, 1);
    if (c->opt.fast && sum[0] * sizeof *c->docs + sum[1] < c->opt.memory / 16)
        return RP_OK;
    /* (the others' come after rank 0's own) */
    if (mdocs || !c->opt.fast)
        RP_TRY(part_open(d, &d->sdocs, mdocs, d->nlocal * sizeof *c->docs));
    return mstr ? part_open(d, &d->sstrings, 1, (size_t)d->strings0) : RP_OK;
}

/* Rank 0, after merging a rank's records (final: the last rank's). */
static int store_more(dist *d, int final)
{
    rp_corpus *c = d->c;
    if (d->sdocs.fd < 0 && d->sstrings.fd < 0)
        return RP_OK;
    RP_TRY(part_put(d, &d->sdocs, (char *)c->docs, c->ndocs * sizeof *c->docs, final));
    RP_TRY(part_put(d, &d->sstrings, c->strings.data, c->strings.len, final));
    if (final)
        d->nstored = c->ndocs - d->nlocal;
    return RP_OK;
}

/* Put a part's bytes back: the file's pages again (where the kernel will
 * not drop them, locked memory, read from the file), or read from it. */
static int part_restore(dist *d, const stored_part *sp, char *base)
{
    if (sp->fd < 0)
        return RP_OK;
    if ((!sp->map || rpi_drop_pages(base + sp->at, sp->done - sp->at) != 0) &&
        sp->end > sp->at && rpi_pread_all(sp->fd, base + sp->at, sp->end - sp->at, 0) != RP_OK)
        return store_error(d, "read");
    memcpy(base + sp->from, sp->edge, sp->at - sp->from);
    return RP_OK;
}

static void store_close(dist *d)
{
    stored_part *p[2] = {&d->sdocs, &d->sstrings};
    for (int i = 0; i < 2; i++) {
        if (p[i]->fd >= 0)
            close(p[i]->fd); /* (what it mapped stays, the file with it) */
        rpi_free(p[i]->edge);
        *p[i] = (stored_part){.fd = -1};
    }
}

int rpi_dist_park(dist *d)
{
    rp_corpus *c = d->c;
    if (!d->nstored)
        return RP_OK;
    /* Unparking brings back what the merge stored: nothing may have
     * changed since (no record, no string, nor their number). */
    if (c->ndocs != d->nlocal + d->nstored ||
        (d->sstrings.fd >= 0 && c->strings.len != d->sstrings.end)) {
        rpi_fmt(c->err, sizeof c->err, "internal error: rank 0's records changed after the merge");
        return RP_EINTERNAL;
    }
    d->parked = 1;
    d->strings_end = c->strings.len;
    c->ndocs = d->nlocal;
    c->strings.len = (size_t)d->strings0;
    rpi_release_huge(c->docs, c->capdocs, sizeof *c->docs, c->ndocs);
    rpi_release_huge(c->strings.data, c->strings.cap, 1, c->strings.len);
    return RP_OK;
}

int rpi_dist_unpark(dist *d, int rc)
{
    rp_corpus *c = d->c;
    if (!d->parked)
        return rc;
    const size_t n = d->nstored, total = d->nlocal + n;
    d->parked = 0;
    /* Passes 2 and 3 add no document and no string, and the arrays keep the
     * capacity the merge gave them (rpi_release_huge). */
    if (rc == RP_OK && (c->ndocs != d->nlocal || c->strings.len != d->strings0 ||
                        c->capdocs <= total))
        rc = RP_EINTERNAL;
    /* The features' arrays have an entry for every document (none here). */
    if (rc == RP_OK && c->feat) {
        char **feat = rpi_realloc(c->feat, (total + 1) * sizeof *feat);
        uint8_t *own = feat ? rpi_realloc(c->feat_own, total + 1) : NULL;
        if (feat)
            c->feat = feat;
        if (own)
            c->feat_own = own;
        if (!feat || !own)
            rc = RP_ENOMEM;
        else {
            memset(c->feat + d->nlocal, 0, (n + 1) * sizeof *feat);
            memset(c->feat_own + d->nlocal, 0, n + 1);
        }
    }
    if (rc == RP_OK)
        rc = part_restore(d, &d->sdocs, (char *)c->docs);
    if (rc == RP_OK)
        rc = part_restore(d, &d->sstrings, c->strings.data);
    if (rc == RP_OK) {
        c->strings.len = (size_t)d->strings_end;
        c->ndocs = total;
    }
    if (rc == RP_EINTERNAL && !c->err[0])
        rpi_fmt(c->err, sizeof c->err, "internal error: rank 0's records changed in passes 2 and 3");
    return rc;
}

/* ---- pass 1 and the merge on rank 0 ------------------------------------------ */

/* Warnings of pass 1, each after the number of the record it is about. */
static void collect(void *user, const char *msg)
{
    dist *d = user;
    /* A warning that cannot be kept for lack of memory is lost, not the run. */
    if (dx_put64(&d->warn, d->c->warn_seq) == RP_OK)
        dx_put(&d->warn, msg, strlen(msg) + 1);
}

/*
 * Ids are checked by the rank owning their hash: each rank sends it, for
 * each document, its number, input, line and id (20 bytes and the id); the
 * owner enters them in rank order, which is input order, and sends each
 * repeat back to its rank with where the id was first seen (DUP bytes).
 */
enum { DUP = 20 };

static int owner_of_id(const dist *d, uint64_t h)
{
    return (int)(h % (uint64_t)d->size);
}

static int by_doc(const void *a, const void *b)
{
    uint32_t x = ((const dupid *)a)->doc, y = ((const dupid *)b)->doc;
    return (x > y) - (x < y);
}

/* An id entered by an owner, against one held: entries are at offs in recv. */
typedef struct id_entries {
    const char *data;
    const uint64_t *off;
    const char *id;
    uint32_t len;
} id_entries;

static int same_entry(const void *ctx, uint32_t held)
{
    const id_entries *t = ctx;
    const char *e = t->data + t->off[held];
    uint32_t len;
    memcpy(&len, e + 16, sizeof len);
    return len == t->len && memcmp(e + 20, t->id, len) == 0;
}

/* The owner: enter the ids received in rank order; repeats to their ranks. */
static int owner_ids(dist *d)
{
    cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
    size_t n = 0, cap = 1024;
    while (k.p < k.end && !k.bad) {
        dx_skip(&k, 16);
        dx_skip(&k, dx_take32(&k));
        n++;
    }
    if (k.bad || n >= UINT32_MAX)
        return dx_garbled(d);
    while (cap < 2 * n)
        cap *= 2;
    rpi_idslot *tab = rpi_calloc_map(cap * sizeof *tab);
    uint64_t *off = rpi_malloc((n + 1) * sizeof *off);
    uint64_t *start = rpi_malloc(((size_t)d->size + 1) * sizeof *start); /* of each rank's ids */
    int rc = tab && off && start ? RP_OK : RP_ENOMEM;
    id_entries t = {d->recv.data, off, NULL, 0};
    uint32_t e = 0;
    k = (cursor){d->recv.data, d->recv.data + d->recv.len, 0};
    for (int r = 0; r < d->size && rc == RP_OK; r++) {
        start[r] = (uint64_t)(k.p - d->recv.data);
        const char *end = k.p + d->sin[r];
        while (k.p < end && rc == RP_OK) {
            off[e] = (uint64_t)(k.p - d->recv.data);
            uint32_t doc = dx_take32(&k);
            dx_skip(&k, 12);
            t.len = dx_take32(&k);
            t.id = dx_skip(&k, t.len);
            if (k.bad || k.p > end) {
                rc = dx_garbled(d);
                break;
            }
            uint32_t hash = (uint32_t)(rpi_id_hash(t.id, t.len) >> 32);
            uint32_t held = rpi_idtab_enter(tab, cap, hash, e, same_entry, &t);
            if (held != e) { /* a repeat: the first one's rank, input and line */
                const char *f = d->recv.data + off[held];
                int fr = r;
                while (fr > 0 && start[fr] > off[held])
                    fr--;
                rpi_buf *b = &d->parts[r];
                rc = dx_put32(b, doc);
                if (rc == RP_OK)
                    rc = dx_put32(b, (uint32_t)fr);
                if (rc == RP_OK)
                    rc = dx_put(b, f + 4, 12); /* its input and line */
            }
            e++;
        }
    }
    rpi_free_map(tab, cap * sizeof *tab);
    rpi_free(off);
    rpi_free(start);
    return rc;
}

/* Every rank: its documents whose id came before, in d->dups (ascending). */
static int check_ids(dist *d)
{
    rp_corpus *c = d->c;
    int rc = RP_OK;
    for (size_t i = 0; i < c->ndocs && rc == RP_OK; i++) {
        const rpi_doc *x = &c->docs[i];
        const char *id = c->strings.data + x->id_off;
        size_t len = strlen(id);
        rpi_buf *b = &d->parts[owner_of_id(d, rpi_id_hash(id, len))];
        rc = dx_put32(b, (uint32_t)i);
        if (rc == RP_OK)
            rc = dx_put32(b, x->input);
        if (rc == RP_OK)
            rc = dx_put64(b, x->line);
        if (rc == RP_OK)
            rc = dx_put32(b, (uint32_t)len);
        if (rc == RP_OK)
            rc = dx_put(b, id, len);
    }
    RP_TRY(dx_xchg(d, dx_nomem(d, rc), RPI_X_IDS));
    RP_TRY(dx_xchg(d, dx_nomem(d, owner_ids(d)), RPI_X_DUPS));
    size_t n = d->recv.len / DUP;
    d->dups = rpi_malloc((n + 1) * sizeof *d->dups);
    if (!d->dups) {
        rpi_fmt(c->err, sizeof c->err, "out of memory");
        return RP_ENOMEM;
    }
    cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
    for (size_t i = 0; i < n; i++) {
        dupid *u = &d->dups[i];
        u->doc = dx_take32(&k);
        u->rank = dx_take32(&k);
        u->input = dx_take32(&k);
        u->line = dx_take64(&k);
        if (u->doc >= c->ndocs || u->rank > (uint32_t)d->rank)
            k.bad = 1;
    }
    if (k.bad || k.p != k.end)
        return dx_garbled(d);
    qsort(d->dups, n, sizeof *d->dups, by_doc);
    d->ndups = n;
    return RP_OK;
}

/* What rank 0 learns of a rank after pass 1 (and of each document). */
static int pack_pass1(dist *d, int rc1)
{
    rp_corpus *c = d->c;
    rpi_buf *b = &d->parts[0];
    size_t mlen = rc1 == RP_OK ? 0 : strlen(c->err) + 1;
    RP_TRY(dx_put64(b, (uint64_t)(int64_t)rc1));
    RP_TRY(dx_put64(b, mlen));
    RP_TRY(dx_put(b, c->err, mlen));
    RP_TRY(dx_put64(b, c->nrecords));
    RP_TRY(dx_put64(b, c->ndocs));
    RP_TRY(dx_put64(b, c->nbad));
    RP_TRY(dx_put64(b, d->warn.len));
    RP_TRY(dx_put64(b, d->ndups));
    RP_TRY(dx_put(b, c->bad_seq, c->nbad * sizeof *c->bad_seq));
    RP_TRY(dx_put(b, d->warn.data, d->warn.len));
    for (size_t i = 0; i < d->ndups; i++) {
        RP_TRY(dx_put32(b, d->dups[i].doc));
        RP_TRY(dx_put32(b, d->dups[i].rank));
        RP_TRY(dx_put32(b, d->dups[i].input));
        RP_TRY(dx_put64(b, d->dups[i].line));
    }
    if (d->rank == 0)
        return RP_OK; /* rank 0 has its own documents */
    for (size_t i = 0; i < c->ndocs; i++) {
        const rpi_doc *x = &c->docs[i];
        const char *id = c->strings.data + x->id_off;
        size_t idlen = strlen(id), metalen = x->meta_off != UINT64_MAX ? meta_len(c, x) : 0;
        /* (what rank 0's arena takes of them, with their NULs: store_open) */
        d->packed_strings += idlen + 1 + (x->meta_off != UINT64_MAX ? metalen + 1 : 0);
        uint64_t w[6] = {(uint64_t)x->date_key, x->line, x->rec_len, x->thash[0], x->thash[1],
                         c->dseq[i]};
        uint32_t h[4] = {x->input, x->text_len, (uint32_t)idlen,
                         x->meta_off == UINT64_MAX ? UINT32_MAX : (uint32_t)metalen};
        RP_TRY(dx_put(b, w, sizeof w));
        RP_TRY(dx_put(b, h, sizeof h));
        RP_TRY(dx_put(b, id, idlen));
        RP_TRY(dx_put(b, c->strings.data + (x->meta_off == UINT64_MAX ? 0 : x->meta_off), metalen));
    }
    return RP_OK;
}

/* A rank's warnings of pass 1, read in record order. */
typedef struct warns {
    const char *p, *end;
} warns;

enum { BEFORE, THROUGH, SKIP_SEQ };

/* Give the caller's warn the warnings of records before seq (BEFORE), of
 * records up to seq (THROUGH), or those before seq and not those of seq
 * (SKIP_SEQ). */
static void emit(const rp_corpus *c, warns *w, uint64_t seq, int mode)
{
    while (w->p && w->end - w->p > 8) {
        uint64_t at;
        memcpy(&at, w->p, sizeof at);
        if (at > seq || (at == seq && mode == BEFORE))
            break;
        const char *msg = w->p + 8;
        size_t len = strnlen(msg, (size_t)(w->end - msg));
        if (c->opt.warn && !(at == seq && mode == SKIP_SEQ))
            c->opt.warn(c->opt.user, msg);
        w->p = len < (size_t)(w->end - msg) ? msg + len + 1 : w->end;
    }
}

/* Rank 0's merge so far: the records skipped (in run numbers) and the next rank's first. */
typedef struct merged {
    rpi_vec bad;
    uint64_t seqbase;
} merged;

/*
 * Rank 0: take rank r's documents (in d->recv; rank 0's own in place), the
 * repeated ids among them as their owners found them, number them after
 * those of the ranks before; the first failure in input order (a repeated
 * id, or the rank's own pass-1 failure) is the run's, and the warnings of
 * pass 1 are given in input order up to it, as one process gives them.
 * Rank 0's own arrays are compacted in place.
 */
static int merge_rank(dist *d, merged *m, int r, const char *p, size_t len)
{
    rp_corpus *c = d->c;
    int rc = RP_OK;
    const size_t nb = (size_t)c->bands;
    cursor k = {p, p + len, 0};
    int rc1 = (int)(int64_t)dx_take64(&k);
    uint64_t mlen = dx_take64(&k);
    const char *msg = dx_skip(&k, (size_t)mlen);
    uint64_t nrec = dx_take64(&k), ndocs = dx_take64(&k), nbad = dx_take64(&k), nwarn = dx_take64(&k),
             ndups = dx_take64(&k);
    for (uint64_t i = 0; i < nbad && !k.bad && rc == RP_OK; i++)
        rc = rpi_vec_push(&m->bad, m->seqbase + dx_take64(&k));
    warns w = {dx_skip(&k, (size_t)nwarn), NULL};
    w.end = w.p ? w.p + nwarn : NULL;
    const char *dp = ndups <= len / DUP ? dx_skip(&k, (size_t)ndups * DUP) : NULL;
    cursor dk = {dp, dp ? dp + ndups * DUP : NULL, !dp};
    uint64_t next = dp && ndups ? dx_take32(&dk) : UINT64_MAX; /* the next repeat */
    if (k.bad || dk.bad || rc != RP_OK || (r == 0 && ndocs != d->nlocal))
        return rc == RP_OK ? dx_garbled(d) : rc;
    if (r == 0)
        c->ndocs = 0;
    for (uint64_t i = 0; i < ndocs && rc == RP_OK; i++) {
        if (c->ndocs >= UINT32_MAX - 1) {
            rpi_fmt(c->err, sizeof c->err, "more than 4294967294 documents");
            return RP_EBADINPUT;
        }
        RP_TRY(rpi_grow_huge((void **)&c->docs, &c->capdocs, c->ndocs + 1, sizeof *c->docs));
        rpi_doc *x = &c->docs[c->ndocs];
        uint64_t seq;
        const char *meta = NULL;
        uint32_t metalen = UINT32_MAX;
        if (r == 0) { /* rank 0's own, moved down over the dropped ones */
            seq = c->dseq[i];
            if (c->ndocs != i) {
                *x = c->docs[i];
                memmove(c->keys + c->ndocs * nb, c->keys + i * nb, nb * sizeof *c->keys);
                memmove(c->sig8 + c->ndocs * RPI_SIG8, c->sig8 + i * RPI_SIG8, RPI_SIG8);
            }
        } else {
            uint64_t f[6] = {0};
            uint32_t h[4] = {0};
            dx_take(&k, f, sizeof f);
            dx_take(&k, h, sizeof h);
            memset(x, 0, sizeof *x);
            x->date_key = (int64_t)f[0];
            x->line = f[1];
            x->rec_len = f[2];
            x->thash[0] = f[3];
            x->thash[1] = f[4];
            seq = f[5];
            x->input = h[0];
            if (d->local) /* its own inputs follow rank 0's in c->in */
                x->input += (uint32_t)d->inbase[r];
            x->text_len = h[1];
            /* No text or shingles here (fetch_texts brings those the
             * outputs show): rank 0 reads no other record of theirs until
             * then, and the record store keeps this. */
            x->set = (rpi_setref){0, 0, RPI_SETREF_MEM};
            x->text_off = UINT64_MAX;
            uint32_t idlen = h[2];
            metalen = h[3];
            const char *id = dx_skip(&k, idlen);
            meta = dx_skip(&k, metalen == UINT32_MAX ? 0 : metalen);
            if (k.bad)
                break;
            RP_TRY(rpi_arena_add(&c->strings, id, idlen, &x->id_off));
        }
        if (x->input >= c->in.n) {
            k.bad = 1;
            break;
        }
        emit(c, &w, seq, BEFORE);
        if (next == i) { /* its id came before, where the owner says */
            rpi_record first = {0};
            uint32_t fr = dx_take32(&dk);
            first.input = dx_take32(&dk);
            first.line = dx_take64(&dk);
            if (fr > (uint32_t)r) {
                k.bad = 1;
                break;
            }
            if (d->local)
                first.input += (uint32_t)d->inbase[fr];
            if (dk.bad || first.input >= c->in.n) {
                k.bad = 1;
                break;
            }
            next = dk.p < dk.end ? dx_take32(&dk) : UINT64_MAX;
            char place[600], where[600], why[1400];
            rpi_doc_place(c, (uint32_t)c->ndocs, place, sizeof place);
            rpi_record_place(&c->in, &first, where, sizeof where);
            rpi_fmt(why, sizeof why, "duplicate id \"%s\" (first seen at %s)",
                    c->strings.data + x->id_off, where);
            rpi_fmt(c->err, sizeof c->err, "%s: %s", place, why);
            if (r > 0)
                c->strings.len = x->id_off;
            if (!c->opt.skip_bad)
                return RP_EBADINPUT;
            rpi_warn_skipped(c);
            c->err[0] = 0;
            if (r == 0 && !c->opt.fast) { /* one process counts no word of it */
                c->ndocs++; /* (its metadata is read while it is a document) */
                rc = rpi_features_uncount(c, (uint32_t)c->ndocs - 1);
                c->ndocs--;
                if (rc != RP_OK)
                    break;
            }
            emit(c, &w, seq, SKIP_SEQ); /* one process reads no date of a duplicate */
            rc = rpi_vec_push(&m->bad, m->seqbase + seq);
            continue;
        }
        emit(c, &w, seq, THROUGH);
        if (metalen != UINT32_MAX) {
            rc = rpi_arena_add(&c->strings, meta, metalen, &x->meta_off);
            if (rc == RP_OK)
                x->src = rpi_meta_source(c->strings.data + x->meta_off);
        } else if (r > 0) {
            x->meta_off = UINT64_MAX;
        }
        c->ndocs++;
    }
    if (rc != RP_OK)
        return rc;
    if (k.bad || k.p != k.end || next != UINT64_MAX)
        return dx_garbled(d);
    emit(c, &w, UINT64_MAX, THROUGH);
    if (rc1 != RP_OK) { /* this rank's own failure comes next in input order */
        if (r != 0 && rc1 != RP_EBADINPUT)
            rpi_fmt(c->err, sizeof c->err, "rank %d: %s", r, msg ? msg : "");
        else
            rpi_fmt(c->err, sizeof c->err, "%s", msg ? msg : "");
        return rc1;
    }
    m->seqbase += nrec;
    d->base[r + 1] = c->ndocs;
    if (r == 0)
        d->nlocal = c->ndocs;
    return RP_OK;
}

/* Rank 0, after the last rank: the records skipped, as one process lists them. */
static int merge_end(dist *d, merged *m)
{
    rp_corpus *c = d->c;
    c->nbad = 0;
    RP_TRY(rpi_grow((void **)&c->bad_seq, &c->capbad, m->bad.n + 1, sizeof *c->bad_seq));
    if (m->bad.n)
        memcpy(c->bad_seq, m->bad.v, m->bad.n * sizeof *m->bad.v);
    c->nbad = rpi_sort_unique(c->bad_seq, m->bad.n);
    return RP_OK;
}

/*
 * Every rank: ids checked by their owners; then rank 0 takes each rank's
 * records in turn (one rank's at a time: on 4 ranks of a million generated
 * documents, all at once held 70 MB more), and gives every rank the run's
 * first number of each rank; each rank drops its repeats.
 */
static int merge_records(dist *d, int rc1)
{
    rp_corpus *c = d->c;
    merged m = {0};
    /* Every rank makes every exchange: a failure of its own goes into the
     * next one, and from there every rank carries the first failure. */
    int rc = check_ids(d);
    d->base[0] = 0;
    /* Every rank packs its records at once (no rank waits for another's
     * packing); rank 0 takes its own meanwhile, then each rank's in turn. */
    if (rc == RP_OK) {
        rc = pack_pass1(d, rc1);
        if (rc != RP_OK)
            rpi_fmt(c->err, sizeof c->err, "out of memory");
    }
    rpi_buf mine = d->parts[0];
    d->parts[0] = (rpi_buf){0};
    if (rc == RP_OK && d->rank == 0)
        rc = merge_rank(d, &m, 0, mine.data, mine.len);
    d->strings0 = c->strings.len; /* (rank 0: the other ranks' strings come after) */
    rc = store_open(d, rc);
    for (int r = 1; r < d->size; r++) {
        if (d->rank == r)
            d->parts[0] = mine;
        rc = dx_xchg(d, rc, RPI_X_DOCS); /* rank 0's failure too: the first in input order */
        if (d->rank == r) /* (sent and given back by dx_xchg) */
            mine = (rpi_buf){0};
        if (rc == RP_OK && d->rank == 0)
            rc = merge_rank(d, &m, r, d->recv.data, d->recv.len);
        if (rc == RP_OK && d->rank == 0)
            rc = store_more(d, r == d->size - 1);
    }
    rpi_buf_free(&mine); /* rank 0's */
    if (rc == RP_OK && d->rank == 0)
        rc = merge_end(d, &m);
    rpi_free(m.bad.v);
    for (int r = 0; d->rank == 0 && rc == RP_OK && r < d->size; r++)
        rc = dx_put(&d->parts[r], d->base, (size_t)(d->size + 1) * sizeof *d->base);
    if (rc == RP_ENOMEM && !c->err[0])
        rpi_fmt(c->err, sizeof c->err, "out of memory");
    RP_TRY(dx_xchg(d, rc, RPI_X_NUMBERS));
    if (d->recv.len != (size_t)(d->size + 1) * sizeof *d->base)
        return dx_garbled(d); /* rpi_dist_run agrees on it before the next exchange */
    memcpy(d->base, d->recv.data, d->recv.len);
    for (int r = 0; r < d->size; r++)
        if (d->base[r + 1] < d->base[r] || d->base[r + 1] >= UINT32_MAX)
            return dx_garbled(d);
    if (d->local) { /* to tell the kept documents of its own inputs at the end */
        d->dropped = rpi_malloc((d->ndups + 1) * sizeof *d->dropped);
        if (!d->dropped) {
            rpi_fmt(c->err, sizeof c->err, "out of memory");
            return RP_ENOMEM;
        }
        for (size_t j = 0; j < d->ndups; j++)
            d->dropped[j] = d->dups[j].doc;
        d->ndropped = d->ndups;
    }
    if (d->rank == 0)
        return RP_OK;
    /* Drop the repeats (ascending local numbers), and their words from the
     * counts, which one process does not count. */
    for (size_t j = 0; j < d->ndups && !c->opt.fast; j++)
        RP_TRY(rpi_features_uncount(c, d->dups[j].doc));
    size_t nb = (size_t)c->bands, m2 = 0, j = 0;
    for (size_t i = 0; i < c->ndocs; i++) {
        if (j < d->ndups && d->dups[j].doc == i) {
            j++;
            continue;
        }
        c->docs[m2] = c->docs[i];
        memmove(c->keys + m2 * nb, c->keys + i * nb, nb * sizeof *c->keys);
        memmove(c->sig8 + m2 * RPI_SIG8, c->sig8 + i * RPI_SIG8, RPI_SIG8);
        m2++;
    }
    c->ndocs = m2;
    d->nlocal = m2;
    if (d->base[d->rank + 1] - d->base[d->rank] != m2)
        return dx_garbled(d);
    return RP_OK;
}

/*
 * merge_records, then give back what only it needed: the records received
 * (rank 0: one rank's, about 93 bytes a document), the repeats and the
 * record numbers of pass 1. At a million generated documents on 4 ranks
 * (bench_mpi -r 1 -m 64M, fast path), rank 0 peaked at 355 MB against
 * 189-209 MB for the others before the records received and the id table
 * were given back here; ids are no longer entered on rank 0 at all.
 */
static int merge(dist *d, int rc1)
{
    rp_corpus *c = d->c;
    int rc = merge_records(d, rc1);
    rpi_buf_free(&d->recv);
    rpi_free(d->dups);
    d->dups = NULL;
    d->ndups = 0;
    rpi_free(c->dseq);
    c->dseq = NULL;
    c->capdseq = 0;
    return rc;
}

/* ---- copies: groups, LSH, verification, finish -------------------------------- */

/*
 * Band keys travel to the rank owning their bucket, a few bands per round:
 * each part is the number of entries of each band of the round, then the
 * entries (key, document: 12 bytes), band by band. A round holds its entries
 * sent, received and gathered for bucketing, about three times what a rank
 * sends, which stays within a 32nd of --memory (BAND_SHARE) on the rank
 * that needs the most rounds: at a million documents a rank and 1 GiB, 2
 * bands a round. (All 21 bands at once held 504 MB there; 4 a round, as
 * before, raised rank 0 by 142 MiB in LSH, which with every document's
 * record was its peak: 1,031-1,037 MiB at 2 million documents on 2 ranks.)
 */
enum { ENTRY = 12, FACT = 16, BAND_SHARE = 32 };

/* Bands a round, the same on every rank: the rounds of the rank that needs
 * the most, each within a BAND_SHARE of its --memory for its leaders' keys. */
static int bands_per_round(dist *d, size_t nleaders, size_t *per)
{
    const uint64_t nb = (uint64_t)d->c->bands;
    uint64_t w = d->c->opt.memory / BAND_SHARE / (ENTRY * (nleaders ? nleaders : 1)), nq;
    w = w < 1 ? 1 : w > nb ? nb : w;
    RP_TRY(dx_most_rounds(d, (nb + w - 1) / w, &nq));
    *per = (size_t)((nb + nq - 1) / nq);
    return RP_OK;
}

static int owner_of_key(const dist *d, uint64_t key, int band)
{
    uint64_t h = key ^ ((uint64_t)band * 0x9E3779B97F4A7C15ULL);
    h ^= h >> 31;
    return (int)(h % (uint64_t)d->size);
}

/* Send the keys of bands [b0, b1) of this rank's leaders to their owners. */
static int send_bands(dist *d, int rc, const uint32_t *leaders, size_t nleaders, size_t b0,
                      size_t b1)
{
    rp_corpus *c = d->c;
    const size_t nb = (size_t)c->bands, ns = (size_t)d->size, w = b1 - b0;
    const uint64_t mine = d->base[d->rank];
    uint64_t *cnt = rpi_calloc(ns * w + 1, sizeof *cnt), *at = rpi_calloc(ns * w + 1, sizeof *at);
    char *send = NULL;
    if (!cnt || !at)
        rc = RP_ENOMEM;
    for (size_t i = 0; i < nleaders && rc == RP_OK; i++) {
        const uint64_t *k = c->keys + (leaders[i] - mine) * nb;
        for (size_t bd = b0; bd < b1; bd++)
            cnt[(size_t)owner_of_key(d, k[bd], (int)bd) * w + bd - b0]++;
    }
    uint64_t total = 0;
    for (size_t o = 0; o < ns && rc == RP_OK; o++) {
        uint64_t start = total;
        total += 8 * w;
        for (size_t x = 0; x < w; x++) {
            at[o * w + x] = total;
            total += ENTRY * cnt[o * w + x];
        }
        d->sout[o] = total - start;
    }
    if (rc == RP_OK && !(send = rpi_malloc((size_t)total + 1)))
        rc = RP_ENOMEM;
    for (size_t o = 0, off = 0; o < ns && rc == RP_OK; off += d->sout[o], o++)
        memcpy(send + off, cnt + o * w, 8 * w);
    for (size_t i = 0; i < nleaders && rc == RP_OK; i++) {
        const uint64_t *k = c->keys + (leaders[i] - mine) * nb;
        for (size_t bd = b0; bd < b1; bd++) {
            uint64_t *p = &at[(size_t)owner_of_key(d, k[bd], (int)bd) * w + bd - b0];
            memcpy(send + *p, &k[bd], 8);
            memcpy(send + *p + 8, &leaders[i], 4);
            *p += ENTRY;
        }
    }
    if (rc != RP_OK)
        for (size_t o = 0; o < ns; o++)
            d->sout[o] = 0;
    rc = dx_xchg_raw(d, rc, send, RPI_X_BANDS);
    rpi_free(send);
    rpi_free(cnt);
    rpi_free(at);
    return rc;
}

/*
 * The keep policy's facts (length, date) of the documents of buckets over
 * RPI_BUCKET_CAP, which pair their members with the preferred one: a band
 * is first bucketed with probe() as its preference, which only notes the
 * documents; a band that needed it is bucketed again once the facts of
 * those documents came from their ranks (usually none: two small exchanges).
 */
typedef struct facts {
    rp_keep keep;
    int probing; /* noting documents, not deciding */
    int needed; /* a bucket over the cap was met while probing */
    rpi_vec want; /* documents noted */
    const char *fact; /* FACT bytes each (document, length, date), ascending documents */
    size_t n;
} facts;

static void fact_of(const facts *f, uint32_t doc, uint32_t *len, int64_t *date)
{
    size_t lo = 0, hi = f->n;
    *len = 0;
    *date = INT64_MAX;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t x;
        memcpy(&x, f->fact + mid * FACT, sizeof x);
        if (x < doc) {
            lo = mid + 1;
        } else if (x > doc) {
            hi = mid;
        } else {
            memcpy(len, f->fact + mid * FACT + 4, sizeof *len);
            memcpy(date, f->fact + mid * FACT + 8, sizeof *date);
            return;
        }
    }
}

static int prefer_fact(void *ctx, uint32_t a, uint32_t b)
{
    facts *f = ctx;
    if (f->probing) {
        f->needed = 1;
        if (rpi_vec_push(&f->want, a) != RP_OK || rpi_vec_push(&f->want, b) != RP_OK)
            f->needed = 2; /* out of memory: reported after the band */
        return (a > b) - (a < b);
    }
    uint32_t la, lb;
    int64_t da, db;
    fact_of(f, a, &la, &da);
    fact_of(f, b, &lb, &db);
    return rpi_prefer_keys(f->keep, a, la, da, b, lb, db);
}

/* Fetch the facts of f->want from their ranks (every rank takes part). */
static int fetch_facts(dist *d, int rc, facts *f, rpi_buf *store)
{
    rp_corpus *c = d->c;
    const uint64_t mine = d->base[d->rank], next = d->base[d->rank + 1];
    if (rc == RP_OK)
        f->want.n = rpi_sort_unique(f->want.v, f->want.n);
    for (size_t i = 0; i < f->want.n && rc == RP_OK; i++)
        rc = dx_put32(&d->parts[dx_rank_of(d, f->want.v[i])], (uint32_t)f->want.v[i]);
    RP_TRY(dx_xchg(d, rc, RPI_X_FACT_REQUESTS));
    cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
    for (int r = 0; r < d->size && rc == RP_OK; r++) {
        for (uint64_t i = 0; i < d->sin[r] / 4 && rc == RP_OK; i++) {
            uint32_t g = dx_take32(&k);
            if (g < mine || g >= next) {
                rc = dx_garbled(d);
                break;
            }
            const rpi_doc *x = &c->docs[g - mine];
            rc = dx_put32(&d->parts[r], g);
            if (rc == RP_OK)
                rc = dx_put32(&d->parts[r], x->text_len);
            if (rc == RP_OK)
                rc = dx_put(&d->parts[r], &x->date_key, sizeof x->date_key);
        }
    }
    RP_TRY(dx_xchg(d, rc, RPI_X_FACTS));
    store->len = 0;
    RP_TRY(dx_put(store, d->recv.data, d->recv.len)); /* in rank order: ascending */
    f->fact = store->data;
    f->n = store->len / FACT;
    return RP_OK;
}

/* Candidates from the band keys of this rank's leaders; sorted codes out. */
static int lsh(dist *d, int rc, const uint32_t *leaders, size_t nleaders, uint64_t **cand,
               size_t *ncand)
{
    rp_corpus *c = d->c;
    const size_t nb = (size_t)c->bands, ns = (size_t)d->size;
    uint64_t *pairs = NULL, *keys = NULL;
    uint32_t *docs = NULL;
    size_t npairs = 0, cap = 0, capkd = 0;
    size_t per = 1;
    int trc = bands_per_round(d, nleaders, &per);
    if (trc != RP_OK)
        return trc; /* the transport failed: no exchange can agree */
    uint64_t *cnt = rpi_calloc(ns * per + 1, sizeof *cnt);
    size_t *start = rpi_malloc((per + 1) * sizeof *start);
    int *redo = rpi_malloc(per * sizeof *redo);
    facts f = {.keep = c->opt.keep};
    rpi_buf store = {0};
    if (!cnt || !start || !redo)
        rc = RP_ENOMEM;
    /* Every rank makes the same rounds (bands_per_round). */
    for (size_t b0 = 0; b0 < nb; b0 += per) {
        size_t b1 = b0 + per < nb ? b0 + per : nb, w = b1 - b0;
        rc = send_bands(d, rc, leaders, nleaders, b0, b1);
        if (rc != RP_OK)
            break; /* agreed: every rank stops here */
        /* The buckets this rank owns: each band's documents are the parts'
         * segments in rank order, so they ascend (leaders in order). */
        cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
        const char **ent = rpi_calloc(ns, sizeof *ent);
        size_t m = 0;
        if (!ent)
            rc = RP_ENOMEM;
        for (size_t r = 0; r < ns && rc == RP_OK; r++) {
            const char *end = k.p + d->sin[r];
            uint64_t n = 0;
            dx_take(&k, cnt + r * w, 8 * w);
            for (size_t x = 0; x < w; x++)
                n += cnt[r * w + x];
            ent[r] = n <= d->recv.len / ENTRY ? dx_skip(&k, ENTRY * n) : NULL;
            m += n;
            if (k.bad || !ent[r] || k.p != end)
                rc = dx_garbled(d);
        }
        if (rc == RP_OK)
            rc = rpi_grow((void **)&keys, &capkd, m + 1, sizeof *keys);
        if (rc == RP_OK) {
            uint32_t *nd = rpi_realloc(docs, capkd * sizeof *docs);
            if (nd)
                docs = nd;
            else
                rc = RP_ENOMEM;
        }
        /* Gather each band's entries, in rank order. */
        size_t at = 0;
        for (size_t x = 0; x < w && rc == RP_OK; x++) {
            start[x] = at;
            for (size_t r = 0; r < ns; r++) {
                const char *p = ent[r];
                for (size_t y = 0; y < x; y++)
                    p += ENTRY * cnt[r * w + y];
                for (uint64_t j = 0; j < cnt[r * w + x]; j++, at++) {
                    memcpy(&keys[at], p + ENTRY * j, 8);
                    memcpy(&docs[at], p + ENTRY * j + 8, 4);
                }
            }
        }
        start[w] = at;
        rpi_free(ent);
        f.probing = 1;
        f.want.n = 0;
        for (size_t x = 0; x < w && rc == RP_OK; x++) {
            size_t first = npairs;
            f.needed = 0;
            rc = rpi_lsh_band(keys + start[x], docs + start[x], start[x + 1] - start[x],
                              prefer_fact, &f, &pairs, &npairs, &cap);
            if (f.needed == 2)
                rc = RP_ENOMEM;
            redo[x] = f.needed;
            if (f.needed)
                npairs = first; /* decided without the facts: again below */
        }
        rc = fetch_facts(d, rc, &f, &store);
        if (rc != RP_OK)
            break; /* agreed */
        f.probing = 0;
        for (size_t x = 0; x < w && rc == RP_OK; x++)
            if (redo[x])
                rc = rpi_lsh_band(keys + start[x], docs + start[x], start[x + 1] - start[x],
                                  prefer_fact, &f, &pairs, &npairs, &cap);
    }
    rpi_free(keys);
    rpi_free(docs);
    rpi_free(cnt);
    rpi_free(start);
    rpi_free(redo);
    rpi_free(f.want.v);
    rpi_buf_free(&store);
    rpi_buf_free(&d->recv); /* the largest exchanges are over: give their memory back */
    if (rc == RP_OK)
        npairs = rpi_sort_unique(pairs, npairs);
    for (size_t i = 0; i < npairs && rc == RP_OK; i++)
        rc = dx_put64(&d->parts[dx_rank_of(d, pairs[i] >> 32)], pairs[i]);
    rpi_free(pairs);
    RP_TRY(dx_xchg(d, rc, RPI_X_CANDIDATES));
    size_t n = d->recv.len / sizeof(uint64_t);
    *cand = rpi_malloc(n * sizeof **cand + 1);
    if (!*cand)
        return RP_ENOMEM; /* verify() tells the other ranks */
    memcpy(*cand, d->recv.data, n * sizeof **cand);
    *ncand = rpi_sort_unique(*cand, n);
    return RP_OK;
}

/*
 * Verify this rank's candidates (first document local): the second
 * document's signature and set come from its rank when it is not local.
 * Verified pairs at or above the threshold go to rank 0 as (a, b, inter,
 * na, nb), with the counts of candidates and of those filtered out.
 */
static int verify(dist *d, int rc, uint64_t *cand, size_t ncand)
{
    rp_corpus *c = d->c;
    const uint64_t mine = d->base[d->rank], next = d->base[d->rank + 1];
    uint64_t *remote = rc == RP_OK ? rpi_malloc(ncand * sizeof *remote + 1) : NULL;
    size_t nremote = 0;
    if (!remote && rc == RP_OK)
        rc = RP_ENOMEM;
    for (size_t i = 0; i < ncand && rc == RP_OK; i++)
        if ((uint32_t)cand[i] >= next)
            remote[nremote++] = (uint32_t)cand[i];
    if (rc == RP_OK)
        nremote = rpi_sort_unique(remote, nremote);
    for (size_t i = 0; i < nremote && rc == RP_OK; i++)
        rc = dx_put32(&d->parts[dx_rank_of(d, remote[i])], (uint32_t)remote[i]);
    rc = dx_xchg(d, rc, RPI_X_REQUESTS);
    if (rc != RP_OK) {
        rpi_free(remote);
        return rc;
    }
    /* Serve the requests: signature bytes and the shingles, as stored. */
    uint64_t *sh = NULL;
    size_t capsh = 0;
    size_t nreq = d->recv.len / sizeof(uint32_t);
    uint32_t *req = rpi_malloc(d->recv.len + 1);
    if (!req)
        rc = RP_ENOMEM;
    else
        memcpy(req, d->recv.data, d->recv.len);
    size_t at = 0;
    for (int r = 0; r < d->size && rc == RP_OK; r++) {
        size_t nr = (size_t)(d->sin[r] / sizeof(uint32_t));
        for (size_t i = 0; i < nr && rc == RP_OK; i++) {
            uint32_t g = req[at + i];
            if (g < mine || g >= next) {
                rc = dx_garbled(d);
                break;
            }
            const rpi_doc *x = &c->docs[g - mine];
            rc = rpi_grow((void **)&sh, &capsh, x->set.n + 1, sizeof *sh);
            if (rc == RP_OK)
                rc = rpi_spill_read(&c->spill, (int)x->set.file, x->set.off, x->set.n, sh);
            if (rc == RP_EIO)
                rpi_spill_errmsg(&c->spill, "read", c->err, sizeof c->err);
            if (rc == RP_OK)
                rc = dx_put32(&d->parts[r], g);
            if (rc == RP_OK)
                rc = dx_put32(&d->parts[r], x->set.n);
            if (rc == RP_OK)
                rc = dx_put(&d->parts[r], c->sig8 + (g - mine) * RPI_SIG8, RPI_SIG8);
            if (rc == RP_OK)
                rc = dx_put(&d->parts[r], sh, x->set.n * sizeof *sh);
        }
        at += nr;
    }
    if (rc == RP_OK && at != nreq)
        rc = dx_garbled(d);
    rpi_free(req);
    rpi_free(sh);
    rc = dx_xchg(d, rc, RPI_X_SETS);
    if (rc != RP_OK) {
        rpi_free(remote);
        return rc;
    }
    /* The view: local documents, then the remote ones in the order asked.
     * Their signatures go after the local ones in c->sig8, which nothing
     * reads past them later (a copy of every local one, 128 bytes a
     * document, raised each rank by 122 MiB here at 2 million documents on
     * 2 ranks). */
    size_t nl = d->nlocal, nv = nl + nremote, nmem = 0;
    rpi_setref *refs = rpi_malloc(nv * sizeof *refs + 1);
    uint64_t *mem = rpi_malloc(d->recv.len + 1);
    uint32_t *inter = rpi_malloc(ncand * sizeof *inter + 1);
    uint32_t *na = rpi_malloc(ncand * sizeof *na + 1);
    uint32_t *nb = rpi_malloc(ncand * sizeof *nb + 1);
    if (!refs || !mem || !inter || !na || !nb)
        rc = RP_ENOMEM;
    if (rc == RP_OK)
        rc = rpi_grow_huge((void **)&c->sig8, &c->capsig8, nv * RPI_SIG8 + 1, 1);
    cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
    for (size_t i = 0; i < nl && rc == RP_OK; i++)
        refs[i] = c->docs[i].set;
    for (size_t i = 0; i < nremote && rc == RP_OK; i++) {
        uint32_t g = dx_take32(&k), n = dx_take32(&k);
        dx_take(&k, c->sig8 + (nl + i) * RPI_SIG8, RPI_SIG8);
        if (n > (size_t)(k.end - k.p) / sizeof *mem)
            k.bad = 1; /* (mem holds what was received: not more) */
        else
            dx_take(&k, mem + nmem, (size_t)n * sizeof *mem);
        if (k.bad || g != remote[i]) {
            rc = dx_garbled(d);
            break;
        }
        refs[nl + i] = (rpi_setref){nmem, n, RPI_SETREF_MEM};
        nmem += n;
    }
    /* Candidates in view numbers (a local, so the order is kept). */
    for (size_t i = 0; i < ncand && rc == RP_OK; i++) {
        uint64_t a = cand[i] >> 32, b = (uint32_t)cand[i];
        if (a < mine || a >= next || b <= a) {
            rc = dx_garbled(d);
            break;
        }
        if (b >= next) {
            size_t lo = 0, hi = nremote - 1;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (remote[mid] < b)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            b = nl + lo;
        } else {
            b -= mine;
        }
        cand[i] = (a - mine) << 32 | b;
    }
    size_t n = 0;
    if (rc == RP_OK) {
        n = rpi_prefilter(c, refs, c->sig8, cand, ncand);
        c->ncandidates = n;
        rc = rpi_verify(&c->spill, refs, mem, NULL, NULL, cand, n, c->nthreads, inter, na, nb);
        if (rc == RP_EIO)
            rpi_spill_errmsg(&c->spill, "read", c->err, sizeof c->err);
    }
    rpi_buf *b0 = &d->parts[0];
    if (rc == RP_OK)
        rc = dx_put64(b0, c->ncandidates);
    if (rc == RP_OK)
        rc = dx_put64(b0, c->nprefiltered);
    for (size_t i = 0; i < n && rc == RP_OK; i++) {
        double uni = (double)na[i] + nb[i] - inter[i];
        if ((uni > 0 ? inter[i] / uni : 0) < c->opt.threshold)
            continue;
        uint64_t a = (cand[i] >> 32) + mine, bv = (uint32_t)cand[i];
        uint64_t b = bv < nl ? bv + mine : remote[bv - nl];
        uint32_t v[5] = {(uint32_t)a, (uint32_t)b, inter[i], na[i], nb[i]};
        rc = dx_put(b0, v, sizeof v);
    }
    rpi_free(remote);
    rpi_free(refs);
    rpi_free(mem);
    rpi_free(inter);
    rpi_free(na);
    rpi_free(nb);
    return dx_xchg(d, rc, RPI_X_VERIFIED);
}

/* Rank 0: the verified pairs of every rank to pairs of every member, clusters. */
static int finish0(dist *d, rpi_groups *g)
{
    rp_corpus *c = d->c;
    size_t cap = d->recv.len / (5 * sizeof(uint32_t)) + 1, n = 0;
    uint64_t *cand = rpi_malloc(cap * sizeof *cand);
    uint32_t *inter = rpi_malloc(cap * sizeof *inter), *na = rpi_malloc(cap * sizeof *na),
             *nb = rpi_malloc(cap * sizeof *nb);
    int rc = cand && inter && na && nb ? RP_OK : RP_ENOMEM;
    cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
    c->ncandidates = c->nprefiltered = 0;
    for (int r = 0; r < d->size && rc == RP_OK; r++) {
        const char *end = k.p + d->sin[r];
        c->ncandidates += dx_take64(&k);
        c->nprefiltered += dx_take64(&k);
        while (k.p < end && !k.bad) {
            uint32_t v[5];
            dx_take(&k, v, sizeof v);
            cand[n] = (uint64_t)v[0] << 32 | v[1];
            inter[n] = v[2];
            na[n] = v[3];
            nb[n] = v[4];
            n++;
        }
        if (k.bad)
            rc = dx_garbled(d);
    }
    if (rc == RP_OK)
        rc = rpi_copies_finish(c, g, cand, n, inter, na, nb);
    rpi_free(cand);
    rpi_free(inter);
    rpi_free(na);
    rpi_free(nb);
    return rc;
}

/*
 * Exact copies are grouped by the rank owning their text hash: each rank
 * sends it (hash, document: HASHED bytes) for each of its documents; the
 * owner groups them (in rank order, so each group's first document is its
 * first in input order) and sends each rank the documents of its own that
 * are not first in their group (followers), and rank 0 every group of more
 * than one document (its size, its members ascending). Each rank's leaders
 * (the documents that enter LSH) are its documents but the followers.
 */
enum { HASHED = 20 };

/* The owner: group what it received; followers to their ranks, groups to rank 0. */
static int owner_groups(dist *d)
{
    size_t n = d->recv.len / HASHED, nl = 0;
    for (int r = 0; r < d->size; r++)
        if (d->sin[r] % HASHED)
            return dx_garbled(d);
    uint32_t *lead = rpi_malloc(n * sizeof *lead + 1), *next = rpi_malloc(n * sizeof *next + 1);
    rpi_buf grp = {0};
    int rc = lead && next ? RP_OK : RP_ENOMEM;
    for (int r = 0; r < d->size && rc == RP_OK; r++)
        rc = dx_put64(&d->parts[r], 0); /* the number of followers, set below */
    if (rc == RP_OK)
        rc = rpi_group_hashes(d->recv.data, HASHED, n, lead, &nl, next);
    for (size_t i = 0; i < nl && rc == RP_OK; i++) {
        if (next[lead[i]] == UINT32_MAX)
            continue; /* alone */
        uint32_t m = 0, doc;
        for (uint32_t x = lead[i]; x != UINT32_MAX; x = next[x])
            m++;
        rc = dx_put32(&grp, m);
        for (uint32_t x = lead[i]; x != UINT32_MAX && rc == RP_OK; x = next[x]) {
            memcpy(&doc, d->recv.data + (size_t)x * HASHED + 16, sizeof doc);
            rc = dx_put32(&grp, doc);
            if (rc == RP_OK && x != lead[i]) {
                rpi_buf *b = &d->parts[dx_rank_of(d, doc)];
                rc = dx_put32(b, doc);
                uint64_t nf;
                memcpy(&nf, b->data, sizeof nf);
                nf++;
                memcpy(b->data, &nf, sizeof nf);
            }
        }
    }
    if (rc == RP_OK)
        rc = dx_put(&d->parts[0], grp.data, grp.len);
    rpi_buf_free(&grp);
    rpi_free(lead);
    rpi_free(next);
    return rc;
}

/*
 * Rank 0: the groups of more than one document, from their owners (seg[r]
 * .. seg[r + 1] of d->recv: each group's size and its members, ascending),
 * in g: the members' slots first (rpi_groups_alloc), then their chains.
 */
static int take_groups(dist *d, const char *const *seg, rpi_groups *g)
{
    rp_corpus *c = d->c;
    uint32_t *doc = NULL;
    size_t n = 0, cap = 0;
    int rc = RP_OK;
    for (int pass = 0; pass < 2 && rc == RP_OK; pass++) {
        for (int r = 0; r < d->size && rc == RP_OK; r++) {
            cursor k = {seg[2 * r], seg[2 * r + 1], 0};
            while (k.p < k.end && !k.bad && rc == RP_OK) {
                uint32_t m = dx_take32(&k), prev = UINT32_MAX;
                if (m < 2 || m > (size_t)(k.end - k.p) / 4)
                    k.bad = 1;
                for (uint32_t j = 0; j < m && !k.bad && rc == RP_OK; j++) {
                    uint32_t x = dx_take32(&k);
                    if (pass == 0 && (x >= c->ndocs || (j && x <= prev)))
                        k.bad = 1;
                    else if (pass == 0 && (rc = rpi_grow((void **)&doc, &cap, n + 1,
                                                         sizeof *doc)) == RP_OK)
                        doc[n++] = x;
                    else if (pass == 1 && j)
                        g->next[rpi_group_slot(g, prev)] = x;
                    else if (pass == 1)
                        g->leaders[g->nleaders++] = x;
                    prev = x;
                }
            }
            if (k.bad)
                rc = dx_garbled(d);
        }
        if (pass == 1 || rc != RP_OK)
            continue;
        /* Every member once: in one group, of one owner. */
        if (rpi_sort_unique_u32(doc, n) != n)
            rc = dx_garbled(d);
        if (rc == RP_OK) {
            rc = rpi_groups_alloc(g, doc, n);
            doc = NULL; /* (g's, freed with it) */
        }
    }
    rpi_free(doc);
    return dx_nomem(d, rc);
}

/* This rank's leaders (ascending global numbers); rank 0 also the groups, g. */
static int groups(dist *d, rpi_groups *g, uint32_t **leaders, size_t *nleaders)
{
    rp_corpus *c = d->c;
    const uint64_t mine = d->base[d->rank];
    const size_t nl = (size_t)(d->base[d->rank + 1] - mine); /* (rank 0 holds every record) */
    int rc = RP_OK;
    for (size_t i = 0; i < nl && rc == RP_OK; i++) {
        const rpi_doc *x = &c->docs[i];
        uint32_t doc = (uint32_t)(mine + i);
        /* (the owner by the second word: the owner's table goes by the first) */
        rpi_buf *b = &d->parts[(int)(x->thash[1] % (uint64_t)d->size)];
        rc = dx_put(b, x->thash, sizeof x->thash);
        if (rc == RP_OK)
            rc = dx_put32(b, doc);
    }
    RP_TRY(dx_xchg(d, dx_nomem(d, rc), RPI_X_HASHES));
    RP_TRY(dx_xchg(d, dx_nomem(d, owner_groups(d)), RPI_X_GROUPS));
    uint32_t *fol = rpi_malloc(d->recv.len + 1);
    size_t nf = 0;
    *leaders = rpi_malloc(nl * sizeof **leaders + 1);
    const char **seg = rpi_malloc(2 * (size_t)d->size * sizeof *seg); /* (rank 0's groups) */
    if (!fol || !*leaders || !seg) {
        rpi_free(fol);
        rpi_free(seg);
        rpi_fmt(c->err, sizeof c->err, "out of memory");
        return RP_ENOMEM; /* lsh() tells the other ranks */
    }
    cursor k = {d->recv.data, d->recv.data + d->recv.len, 0};
    for (int r = 0; r < d->size && rc == RP_OK; r++) {
        const char *end = k.p + d->sin[r];
        uint64_t n = dx_take64(&k);
        if (k.bad || n > (uint64_t)(end - k.p) / 4) {
            rc = dx_garbled(d);
            break;
        }
        dx_take(&k, fol + nf, (size_t)n * 4);
        nf += (size_t)n;
        seg[2 * r] = k.p;
        seg[2 * r + 1] = k.p = end;
        if (d->rank != 0 && seg[2 * r] != end)
            rc = dx_garbled(d);
    }
    if (rc == RP_OK && d->rank == 0)
        rc = take_groups(d, seg, g);
    rpi_free(seg);
    if (rc == RP_OK) {
        qsort(fol, nf, sizeof *fol, rpi_cmp_u32);
        size_t j = 0;
        *nleaders = 0;
        for (size_t i = 0; i < nl; i++) {
            uint32_t doc = (uint32_t)(mine + i);
            if (j < nf && fol[j] == doc)
                j++;
            else
                (*leaders)[(*nleaders)++] = doc;
        }
        if (j != nf)
            rc = dx_garbled(d); /* a follower not of this rank, or twice */
    }
    rpi_free(fol);
    if (rc == RP_OK && d->rank == 0) {
        qsort(g->leaders, g->nleaders, sizeof *g->leaders, rpi_cmp_u32);
        rc = dx_nomem(d, rpi_groups_finish(c, g));
    }
    return rc;
}

static int copies(dist *d)
{
    rp_corpus *c = d->c;
    rpi_groups g = {0};
    uint64_t *cand = NULL;
    size_t ncand = 0;
    int rc = RP_OK;
    double t0 = rpi_now();
    uint32_t *leaders = NULL;
    size_t nleaders = 0;
    /* Every rank makes every call, passing on its status: each exchange
     * begins with an agreement, so all stop at the same one. */
    rc = groups(d, &g, &leaders, &nleaders);
    rc = lsh(d, rc, leaders, nleaders, &cand, &ncand);
    rpi_free(leaders);
    c->t_lsh = rpi_now() - t0;
    t0 = rpi_now();
    rc = verify(d, rc, cand, ncand);
    c->t_verify = rpi_now() - t0;
    t0 = rpi_now();
    if (rc == RP_OK && d->rank == 0)
        rc = finish0(d, &g);
    c->t_cluster = rpi_now() - t0;
    rc = dx_agree(d, rc); /* rank 0's finish, for every rank's code */
    rpi_groups_free(&g);
    rpi_free(cand);
    return rc;
}

/* ---- local inputs: the kept documents of each rank's own inputs --------------------- */

/* After pass 1: what rp_corpus_write_kept needs of this rank's documents. */
static int local_docs(dist *d, int rc1)
{
    rp_corpus *c = d->c;
    if (rc1 != RP_OK)
        return rc1;
    size_t n = c->ndocs;
    c->lk.keep = rpi_calloc(n + 1, 1);
    c->lk.rec_len = rpi_malloc((n + 1) * sizeof *c->lk.rec_len);
    c->lk.input = rpi_malloc((n + 1) * sizeof *c->lk.input);
    c->lk.bad_seq = rpi_malloc((c->nbad + 1) * sizeof *c->lk.bad_seq);
    if (!c->lk.keep || !c->lk.rec_len || !c->lk.input || !c->lk.bad_seq) {
        rpi_fmt(c->err, sizeof c->err, "out of memory");
        return RP_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        c->lk.rec_len[i] = c->docs[i].rec_len;
        c->lk.input[i] = c->docs[i].input;
    }
    if (c->nbad)
        memcpy(c->lk.bad_seq, c->bad_seq, c->nbad * sizeof *c->bad_seq);
    c->lk.nbad = c->nbad;
    c->lk.ndocs = n;
    return RP_OK;
}

/*
 * After the copies: rank 0 tells each rank which of its documents stay (one
 * byte each, in its numbers after the merge); each rank marks its pass-1
 * documents kept but those dropped in the merge and those removed as copies.
 */
static int local_keep(dist *d)
{
    rp_corpus *c = d->c;
    int rc = RP_OK;
    if (d->rank == 0)
        for (int r = 0; r < d->size && rc == RP_OK; r++)
            for (uint64_t g = d->base[r]; g < d->base[r + 1] && rc == RP_OK; g++)
                rc = rpi_buf_putc(&d->parts[r], (char)(rp_doc_removed(c, (uint32_t)g, NULL,
                                                                      NULL) != 1));
    rc = dx_xchg(d, rc, RPI_X_KEEP);
    if (rc != RP_OK)
        return rc;
    const uint8_t *stay = (const uint8_t *)d->recv.data;
    size_t j = 0, s = 0;
    for (size_t i = 0; i < c->lk.ndocs; i++) {
        if (j < d->ndropped && d->dropped[j] == i) {
            j++;
            continue; /* a repeated id, skipped */
        }
        if (s >= d->recv.len)
            return dx_garbled(d);
        c->lk.keep[i] = stay[s++];
    }
    if (s != d->recv.len)
        return dx_garbled(d);
    c->lk.on = 1;
    return RP_OK;
}

/* ---- the run ------------------------------------------------------------------ */

int rpi_dist_run(rp_corpus *c)
{
    dist d = {.c = c, .rank = c->tp.rank, .size = c->tp.size, .local = c->tp.local_inputs != 0,
              .sdocs.fd = -1, .sstrings.fd = -1};
    size_t n = (size_t)d.size;
    d.out = rpi_calloc(n, sizeof *d.out);
    d.in = rpi_calloc(n, sizeof *d.in);
    d.sout = rpi_calloc(n, sizeof *d.sout);
    d.sin = rpi_calloc(n, sizeof *d.sin);
    d.msgs = rpi_malloc(n * sizeof c->err);
    d.got = rpi_malloc(n * sizeof c->err);
    d.base = rpi_calloc(n + 1, sizeof *d.base);
    d.parts = rpi_calloc(n, sizeof *d.parts);
    int rc = RP_OK;
    if (!d.out || !d.in || !d.sout || !d.sin || !d.msgs || !d.got || !d.base || !d.parts) {
        rc = RP_ENOMEM; /* a few words per rank: the job cannot go on */
        rpi_fmt(c->err, sizeof c->err, "out of memory");
        goto done;
    }
    double t0 = rpi_now();
    c->t_start = c->t_report = t0;
    rc = start(&d);
    if (rc == RP_OK)
        rc = shares(&d);
    rc = dx_agree(&d, rc);
    if (rc != RP_OK)
        goto done;
    rp_warn_fn warn = c->opt.warn;
    void *user = c->opt.user;
    c->opt.warn = collect;
    c->opt.user = &d;
    int rc1 = rpi_pass1(c);
    c->opt.warn = warn;
    c->opt.user = user;
    c->t_pass1 = rpi_now() - t0;
    if (d.local)
        rc1 = local_docs(&d, rc1);
    else if (d.rank == 0) /* rank 0 reads every input again to write the kept records */
        for (size_t i = 0; i < c->in.n; i++) {
            c->in.v[i].skip = 0;
            c->in.v[i].range_start = c->in.v[i].range_end = c->in.v[i].line_base = 0;
        }
    d.nlocal = c->ndocs;
    t0 = rpi_now();
    rc = merge(&d, rc1);
    rc = dx_agree(&d, rc);
    c->t_merge = rpi_now() - t0;
    if (rc == RP_OK)
        rc = copies(&d);
    /* Band keys and signatures serve the copies only: given back before the
     * default scan's passes, as one process does (kept to the end, they held
     * 296 bytes a document of the rank's through passes 2 and 3 at the
     * defaults: 21 band keys and 128 signature bytes). */
    rpi_sketches_free(c);
    rpi_trim(); /* (and the blocks the merge and the copies freed) */
    if (rc == RP_OK && !c->opt.fast)
        rc = rpi_dist_pairs(&d);
    if (d.local && rc == RP_OK)
        rc = dx_agree(&d, local_keep(&d));
done:
    rpi_sketches_free(c);
    if (d.rank != 0) { /* the results are rank 0's */
        c->ndocs = 0;
        c->npairs = 0;
        c->nbad = 0;
        c->nfurn = 0;
    }
    if (rc == RP_ENOMEM && !c->err[0])
        rpi_fmt(c->err, sizeof c->err, "out of memory");
    rpi_free(d.out);
    rpi_free(d.in);
    rpi_free(d.sout);
    rpi_free(d.sin);
    rpi_free(d.msgs);
    rpi_free(d.got);
    rpi_free(d.base);
    rpi_free(d.inbase);
    rpi_free(d.dropped);
    store_close(&d);
    for (size_t i = 0; d.parts && i < n; i++)
        rpi_buf_free(&d.parts[i]);
    rpi_free(d.parts);
    rpi_buf_free(&d.recv);
    rpi_buf_free(&d.warn);
    return rc;
}
