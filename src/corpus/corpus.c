/* SPDX-License-Identifier: MIT */
/*
 * corpus.c -- the pipeline driver behind rp_corpus_run().
 *
 * Pass 1 (streaming, threaded): the calling thread reads batches of raw
 * records (io) and hands them to workers, which parse, tokenize, shingle and
 * sketch each document, spill its shingles to disk and keep only its band
 * keys. Batches are committed in input order by the calling thread, so ids,
 * numbering and errors never depend on the thread count.
 * Then: exact duplicates are grouped by the hash of their normalised text,
 * one document per group enters LSH, candidates are verified exactly from
 * the spill store, pairs are expanded back to every member, and clusters
 * and dedup decisions are built.
 */
#define _POSIX_C_SOURCE 200809L
#include "doc_features.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include "normalize.h"
#include "sketch.h"
#include "furniture.h"

/* ---- options, handle ---------------------------------------------------- */

void rp_options_init(rp_options *o)
{
    memset(o, 0, sizeof *o);
    o->ngram = 5;
    o->perm = 128;
    o->threshold = 0.8;
    o->threads = 0;
    o->keep = RP_KEEP_LONGEST;
    o->sketch = RP_SKETCH_OPH;
    o->id_field = "id";
    o->text_field = "text";
    o->max_doc_bytes = (size_t)64 << 20;
    o->reread = 1;
    o->memory = rpi_default_memory();
}

const char *rp_strerror(int code)
{
    switch (code) {
    case RP_OK: return "success";
    case RP_ENOMEM: return "out of memory";
    case RP_EINVAL: return "invalid argument";
    case RP_EBADINPUT: return "bad input";
    case RP_EIO: return "input/output error";
    case RP_EINTERNAL: return "internal error";
    case RP_EINTR: return "interrupted";
    default: return "unknown error";
    }
}

const char *rp_version(void)
{
    return RP_VERSION_STRING;
}

static int check_options(rp_corpus *c)
{
    const rp_options *o = &c->opt;
    if (o->ngram < 1 || o->ngram > 64)
        rpi_fmt(c->err, sizeof c->err, "n-gram size %d out of range (1..64)", o->ngram);
    else if (o->perm < 8 || o->perm > 1024)
        rpi_fmt(c->err, sizeof c->err, "permutations %d out of range (8..1024)", o->perm);
    else if (!(o->threshold > 0 && o->threshold <= 1))
        rpi_fmt(c->err, sizeof c->err, "threshold %g out of range (0..1]", o->threshold);
    else if (o->threads < 0 || o->threads > 256)
        rpi_fmt(c->err, sizeof c->err, "threads %d out of range (0..256)", o->threads);
    else if ((unsigned)o->keep > RP_KEEP_EARLIEST || (unsigned)o->sketch > RP_SKETCH_KPERM)
        rpi_fmt(c->err, sizeof c->err, "unknown keep policy or sketch kind");
    else if (!o->id_field || !*o->id_field || !o->text_field || !*o->text_field)
        rpi_fmt(c->err, sizeof c->err, "id and text field names must not be empty");
    else if (o->max_doc_bytes < 1 || o->max_doc_bytes > UINT32_MAX)
        rpi_fmt(c->err, sizeof c->err, "document size limit out of range (1..4294967295)");
    else
        return RP_OK;
    return RP_EINVAL;
}

int rp_corpus_open(rp_corpus **out, const rp_options *opt)
{
    *out = NULL;
    rp_corpus *c = rpi_calloc(1, sizeof *c);
    if (!c)
        return RP_ENOMEM;
    if (opt)
        c->opt = *opt;
    else
        rp_options_init(&c->opt);
    *out = c;
    RP_TRY(check_options(c));
    c->nthreads = c->opt.threads ? c->opt.threads : rpi_ncpu();
    if (c->nthreads > 256)
        c->nthreads = 256; /* the most the pool has room for */
    rpi_lsh_params(c->opt.threshold, c->opt.perm, &c->rows, &c->bands);
    if (rpi_lsh_prob(c->opt.threshold, c->rows, c->bands) < RPI_LSH_TARGET_RECALL) {
        /* Even one value per band misses too many pairs: more values needed. */
        double need = ceil(log(1 - RPI_LSH_TARGET_RECALL) / log(1 - c->opt.threshold));
        if (need <= 1024)
            rpi_fmt(c->err, sizeof c->err,
                    "threshold %g needs at least %.0f MinHash values (--perm) to find 99.5%% "
                    "of the pairs, not %d",
                    c->opt.threshold, need, c->opt.perm);
        else
            rpi_fmt(c->err, sizeof c->err,
                    "threshold %g is too low to find 99.5%% of the pairs even with 1024 MinHash "
                    "values (--perm); the lowest is %.3f",
                    c->opt.threshold, 1 - pow(1 - RPI_LSH_TARGET_RECALL, 1.0 / 1024));
        return RP_EINVAL;
    }
    c->nsig8 = c->opt.perm < RPI_SIG8 ? c->opt.perm : RPI_SIG8;
    return RP_OK;
}

void rp_corpus_close(rp_corpus *c)
{
    if (!c)
        return;
    rpi_inputs_free(&c->in);
    rpi_arena_free(&c->strings);
    rpi_free_huge(c->docs, c->capdocs, sizeof *c->docs);
    rpi_free_huge(c->keys, c->capkeys, sizeof *c->keys);
    rpi_free_huge(c->sig8, c->capsig8, 1);
    rpi_free_map(c->idtab, c->idcap * sizeof *c->idtab);
    rpi_free(c->bad_seq);
    rpi_buf_free(&c->skipped_in);
    rpi_free(c->lk.keep);
    rpi_free(c->lk.rec_len);
    rpi_free(c->lk.input);
    rpi_free(c->lk.bad_seq);
    rpi_free(c->dseq);
    rpi_spill_close(&c->spill);
    rpi_buf_free(&c->foreign);
    rpi_spill_close(&c->texts);
    rpi_free(c->fetched);
    rpi_free(c->fetched_off);
    for (size_t i = 0; i < c->ninterned; i++)
        rpi_free(c->interned[i]);
    rpi_free(c->interned);
    rpi_free_result(c, c->pairs);
    rpi_clusters_free(&c->cl);
    rpi_pairs_free(c);
    rpi_free(c->cap_keys.v);
    rpi_free(c->cap_keys_end);
    rpi_free_huge(c->cap_bands, c->capcap_bands, sizeof *c->cap_bands);
    rpi_free(c->cap_grams.v);
    rpi_free(c->cap_terms.v);
    rpi_free(c->cap_terms_all.v);
    for (size_t d = 0; c->stored_out && d < c->ndocs; d++)
        rpi_free(c->stored_out[d]);
    rpi_free(c->stored_out);
    rpi_free(c->stored_out_len);
    for (size_t d = 0; c->vec_out && d < c->ndocs; d++)
        rpi_free(c->vec_out[d]);
    rpi_free(c->vec_out);
    rpi_free(c->vec_out_len);
    rpi_free(c);
}

int rp_corpus_set_transport(rp_corpus *c, const rp_transport *t)
{
    if (c->ran) {
        rpi_fmt(c->err, sizeof c->err, "the transport must be set before rp_corpus_run");
        return RP_EINVAL;
    }
    if (!t || t->size < 1 || t->rank < 0 || t->rank >= t->size || !t->counts || !t->exchange) {
        rpi_fmt(c->err, sizeof c->err, "invalid transport (rank %d of %d)", t ? t->rank : -1,
                t ? t->size : 0);
        return RP_EINVAL;
    }
    if (t->all_texts && t->no_texts) {
        rpi_fmt(c->err, sizeof c->err, "invalid transport: all_texts and no_texts both set");
        return RP_EINVAL;
    }
    c->tp = *t;
    return RP_OK;
}

void rpi_corpus_hooks(rp_corpus *c, const rpi_hooks *h)
{
    c->hooks = *h;
}

const char *rp_errmsg(const rp_corpus *c)
{
    return c ? c->err : "no corpus";
}

/* Report the bad document or input in c->err as skipped (skip_bad). */
void rpi_warn_skipped_as(rp_corpus *c, const char *why)
{
    char msg[sizeof c->err + 16];
    rpi_fmt(msg, sizeof msg, "skipped: %s", why);
    if (c->opt.warn)
        c->opt.warn(c->opt.user, msg);
}

void rpi_warn_skipped(rp_corpus *c)
{
    rpi_warn_skipped_as(c, c->err);
}

int rp_corpus_add_input(rp_corpus *c, const char *path)
{
    if (c->ran) {
        rpi_fmt(c->err, sizeof c->err, "inputs must be added before rp_corpus_run");
        return RP_EINVAL;
    }
    int rc = rpi_inputs_add(&c->in, path, c->opt.force_jsonl, c->err, sizeof c->err);
    if (rc == RP_ENOMEM)
        rpi_fmt(c->err, sizeof c->err, "out of memory");
    if (rc == RP_EIO && c->opt.skip_bad) {
        /* A missing or unlistable input is skipped like a bad document. */
        rpi_warn_skipped(c);
        rc = rpi_buf_append(&c->skipped_in, c->err, strlen(c->err) + 1);
        c->err[0] = 0;
        c->nskip_inputs++;
        if (rc != RP_OK && !c->add_rc) {
            rpi_fmt(c->err, sizeof c->err, "out of memory");
            c->add_rc = rc;
        }
        return rc;
    }
    if (rc != RP_OK && !c->add_rc)
        c->add_rc = rc; /* a divided run tells the other ranks (distrib.c) */
    return rc;
}

static int add_reader(rp_corpus *c, const char *what, const char *name, rp_read_fn fn,
                      void *user, int framed)
{
    if (c->ran || !fn || !name) {
        if (c->ran)
            rpi_fmt(c->err, sizeof c->err, "inputs must be added before rp_corpus_run");
        else
            rpi_fmt(c->err, sizeof c->err, "%s: no function or name", what);
        return RP_EINVAL;
    }
    int rc = rpi_inputs_add_reader(&c->in, name, fn, user, framed);
    if (rc == RP_ENOMEM)
        rpi_fmt(c->err, sizeof c->err, "out of memory");
    return rc;
}

int rp_corpus_add_reader(rp_corpus *c, const char *name, rp_read_fn fn, void *user)
{
    return add_reader(c, "rp_corpus_add_reader", name, fn, user, 0);
}

int rp_corpus_add_records(rp_corpus *c, const char *name, rp_read_fn fn, void *user)
{
    return add_reader(c, "rp_corpus_add_records", name, fn, user, 1);
}

int rp_corpus_add_records_fetch(rp_corpus *c, const char *name, rp_read_fn fn,
                                rp_fetch_fn fetch, void *user)
{
    if (!fetch) {
        rpi_fmt(c->err, sizeof c->err, "rp_corpus_add_records_fetch: no fetch function");
        return RP_EINVAL;
    }
    RP_TRY(add_reader(c, "rp_corpus_add_records_fetch", name, fn, user, 1));
    c->in.v[c->in.n - 1].fetch = fetch;
    return RP_OK;
}

int rpi_corpus_add_named(rp_corpus *c, const char *path, const char *name)
{
    int rc = rpi_inputs_add_named(&c->in, path, name);
    if (rc != RP_OK)
        rpi_fmt(c->err, sizeof c->err, "%s", rc == RP_ENOMEM ? "out of memory" : "cannot read a temporary file");
    return rc;
}

static ptrdiff_t read_memory(void *user, char *buf, size_t cap)
{
    rpi_memsrc *m = user;
    size_t n = m->left < cap ? m->left : cap;
    memcpy(buf, m->p, n);
    m->p += n;
    m->left -= n;
    return (ptrdiff_t)n;
}

int rpi_corpus_add_memory(rp_corpus *c, const char *name, const char *data, size_t len,
                          rpi_memsrc *src)
{
    *src = (rpi_memsrc){data, len};
    RP_TRY(rp_corpus_add_reader(c, name, read_memory, src));
    c->in.v[c->in.n - 1].size = len;
    c->in.v[c->in.n - 1].sized = 1;
    return RP_OK;
}

/* ---- pass 1: workers ------------------------------------------------------ */

/* What a worker found for one record. */
typedef struct result {
    int bad; /* nonzero: msg says why */
    char msg[200]; /* reason, without the place */
    uint64_t id_off, id_len; /* id in the slot's string buffer */
    uint64_t meta_off, meta_len; /* packed metadata there (see commit_slot), 0 when none */
    uint32_t text_len; /* bytes of text */
    uint64_t thash[2]; /* normalised text hash */
    rpi_setref set; /* spilled shingles */
    uint64_t text_off; /* spilled text (not in fast mode) */
    size_t keys_off, nkeys; /* its count keys in the slot's ckeys (not in fast mode) */
} result;

enum { SLOT_FREE, SLOT_QUEUED, SLOT_BUSY, SLOT_DONE };

typedef struct slot {
    rpi_batch batch; /* records */
    result *res; /* one per record */
    size_t capres; /* capacity of res */
    uint64_t *keys; /* bands keys per record */
    size_t capkeys; /* capacity of keys */
    uint8_t *sig8; /* RPI_SIG8 signature bytes per record */
    size_t capsig8; /* capacity of sig8 */
    rpi_buf str; /* ids and dates of the batch */
    rpi_buf ckeys; /* count keys of the batch (doc_features.c), uint64 each */
    int state; /* SLOT_* */
    int rc; /* worker status (RP_ENOMEM, RP_EIO) */
} slot;

/* The count keys of result r of slot s (NULL when none: a batch of
 * documents without keys has no buffer, and NULL + 0 is undefined). */
static const uint64_t *slot_keys(const slot *s, const result *r)
{
    return r->nkeys ? (const uint64_t *)s->ckeys.data + r->keys_off : NULL;
}

/* Bytes of input a batch of pass 1 reads (and a worker then takes at once). */
#define RPI_BATCH_BYTES ((size_t)1 << 20)
#define RPI_SLOT_BYTES ((size_t)2 << 20) /* a slot's bytes reserved: RPI_BATCH_BYTES and more */

typedef struct wscratch {
    rpi_tokctx tok; /* tokenizer scratch */
    uint64_t *sh; /* shingles */
    size_t capsh; /* capacity of sh */
    uint32_t sig[1024]; /* MinHash signature */
    rpi_linescratch ls; /* line and word counting (doc_features.c) */
    uint64_t *sorttmp; /* sort scratch */
    size_t capsorttmp; /* its capacity */
    rpi_doc_fields fields; /* the record's fields; their buffer kept from record to record */
} wscratch;

typedef struct pool {
    rp_corpus *c; /* corpus */
    slot *slots; /* ring of batch slots */
    int nslots; /* ring size */
    pthread_mutex_t mu; /* guards states and the queue */
    pthread_cond_t cv_work; /* a slot was queued, or stop */
    pthread_cond_t cv_done; /* a slot was finished */
    int queue_head; /* next slot index a worker takes (in order) */
    int queued; /* slots queued and not yet taken */
    int stop; /* workers exit */
    /* Counting (default scan): the keys of each committed batch are added to
     * the count tables by the counting threads, each shard by one thread in
     * commit order (so the counts never depend on the thread count), while
     * the committing thread goes on; a slot is reused once every shard has
     * counted its batch (batch b is in slot b % nslots). */
    uint64_t ncommitted; /* batches committed */
    uint64_t counted[RPI_SHARDS]; /* per shard: batches counted */
    pthread_cond_t cv_count; /* a batch was committed, or the counting threads must stop */
    pthread_cond_t cv_counted; /* a shard counted a batch */
    int count_stop; /* 1: exit when all is counted; 2: exit now (failure) */
} pool;

typedef struct carg {
    pool *p; /* the pool */
    int first, step; /* its shards: first, first + step, ... */
} carg;

typedef struct warg {
    pool *p; /* the pool */
    int id; /* worker number = spill file */
} warg;

static void bad(result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof r->msg, fmt, ap);
    va_end(ap);
    r->bad = 1;
}

static int only_space(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r' && p[i] != '\f' &&
            p[i] != '\v')
            return 0;
    return 1;
}

int rpi_doc_shingles(const rp_corpus *c, rpi_tokctx *tok, const char *text, size_t len,
                     uint64_t **sh, size_t *capsh, size_t *nsh, size_t *bad_off)
{
    RP_TRY(rpi_tokenize(tok, text, len, bad_off));
    if (tok->ntok == 0) {
        /* No words at all (only punctuation or symbols): the raw text is the
         * one token, so such documents match only their exact copies. */
        RP_TRY(rpi_grow((void **)&tok->tok, &tok->captok, 1, sizeof *tok->tok));
        tok->tok[0] = (rpi_token){rpi_token_hash(text, len), 0, (uint32_t)len};
        tok->ntok = 1;
    }
    *nsh = rpi_shingle_count(tok->ntok, c->opt.ngram);
    RP_TRY(rpi_grow((void **)sh, capsh, *nsh, sizeof **sh));
    rpi_shingles(tok->tok, tok->ntok, c->opt.ngram, *sh);
    return RP_OK;
}

static int process_record(rp_corpus *c, int wid, wscratch *ws, slot *s, size_t i)
{
    const rpi_record *rec = &s->batch.rec[i];
    result *r = &s->res[i];
    memset(r, 0, sizeof *r);
    if (rec->bad) {
        bad(r, "%s", rec->msg);
        return RP_OK;
    }
    rpi_doc_fields *f = &ws->fields;
    const char *data = s->batch.data.data + rec->data_off;
    int rc = rpi_record_parse(&c->in, rec, data, c->opt.id_field, c->opt.text_field, f, r->msg,
                              sizeof r->msg);
    if (rc != RP_OK) {
        r->bad = rc == RP_EBADINPUT;
        return rc == RP_EBADINPUT ? RP_OK : rc;
    }
    if (only_space(f->text, f->text_len)) {
        bad(r, f->text_len ? "document holds only white space" : "empty document");
        goto done;
    }
    size_t bad_off = 0, nsh;
    rc = rpi_doc_shingles(c, &ws->tok, f->text, f->text_len, &ws->sh, &ws->capsh, &nsh, &bad_off);
    if (rc == RP_EBADINPUT) {
        rc = RP_OK;
        if (f->text[bad_off] == 0)
            bad(r, "NUL byte at byte %zu of the text (binary file?)", bad_off);
        else
            bad(r, "invalid UTF-8 at byte %zu of the text", bad_off);
        goto done;
    }
    if (rc != RP_OK)
        goto done;
    rpi_minhash(c->opt.sketch, ws->sh, nsh, c->opt.perm, ws->sig);
    rpi_lsh_keys(ws->sig, c->rows, c->bands, s->keys + i * (size_t)c->bands);
    for (int k = 0; k < c->nsig8; k++)
        s->sig8[i * RPI_SIG8 + (size_t)k] = (uint8_t)ws->sig[k];
    rpi_text_hash(ws->sh, nsh, r->thash);
    if (!c->opt.fast) {
        /* Stored as a sorted set: pass 3 reads each set many times. */
        rc = rpi_sort_u64(ws->sh, nsh, &ws->sorttmp, &ws->capsorttmp);
        if (rc != RP_OK)
            goto done;
        size_t m = nsh ? 1 : 0;
        for (size_t k = 1; k < nsh; k++)
            if (ws->sh[k] != ws->sh[m - 1])
                ws->sh[m++] = ws->sh[k];
        nsh = m;
    }
    r->text_len = (uint32_t)f->text_len;
    r->set.n = (uint32_t)nsh;
    r->set.file = (uint32_t)wid;
    if (c->reread_sets && c->in.v[rec->input].direct) {
        /* Not stored: verification reads the record again (reread.c). */
        r->set.file = RPI_SETREF_INPUT;
        r->text_off = rec->offset;
    } else {
        rc = rpi_spill_write(&c->spill, wid, ws->sh, nsh, &r->set.off);
    }
    if (rc == RP_OK && !c->opt.fast) {
        /* The text is kept for alignment, and lines and words are counted. */
        rc = rpi_spill_write_bytes(&c->spill, wid, f->text, f->text_len, &r->text_off);
        if (rc == RP_OK && !c->hooks.resolved_counts) {
            r->keys_off = s->ckeys.len / sizeof(uint64_t);
            rc = rpi_features_keys(&ws->ls, f->text, f->text_len, ws->tok.tok, ws->tok.ntok,
                                rpi_source_key(f->meta[1], f->meta_len[1], f->meta[2],
                                               f->meta_len[2]),
                                &s->ckeys, &r->nkeys);
        }
    }
    if (rc != RP_OK)
        goto done;
    r->id_off = s->str.len;
    r->id_len = f->id_len;
    rc = rpi_buf_append(&s->str, f->id, f->id_len);
    /* Metadata, packed as "date\0source\0url\0title\0" (empty when absent). */
    int any = 0;
    for (int k = 0; k < RPI_NMETA; k++)
        any |= f->meta[k] != NULL;
    if (rc == RP_OK && any) {
        r->meta_off = s->str.len;
        for (int k = 0; k < RPI_NMETA && rc == RP_OK; k++) {
            if (f->meta[k] && memchr(f->meta[k], 0, f->meta_len[k])) {
                bad(r, "field \"%s\" holds a NUL character", rpi_meta_names[k]);
                goto done;
            }
            rc = rpi_buf_append(&s->str, f->meta[k] ? f->meta[k] : "", f->meta[k] ? f->meta_len[k] : 0);
            if (rc == RP_OK)
                rc = rpi_buf_putc(&s->str, 0);
        }
        r->meta_len = s->str.len - r->meta_off;
    }
done:
    return rc;
}

static int process_slot(rp_corpus *c, int wid, wscratch *ws, slot *s)
{
    size_t n = s->batch.n;
    s->str.len = 0;
    s->ckeys.len = 0;
    RP_TRY(rpi_grow_huge((void **)&s->res, &s->capres, n, sizeof *s->res));
    RP_TRY(rpi_grow_huge((void **)&s->keys, &s->capkeys, n * (size_t)c->bands, sizeof *s->keys));
    RP_TRY(rpi_grow_huge((void **)&s->sig8, &s->capsig8, n * RPI_SIG8, 1));
    for (size_t i = 0; i < n; i++)
        RP_TRY(process_record(c, wid, ws, s, i));
    return RP_OK;
}

static void wscratch_free(wscratch *ws)
{
    if (!ws)
        return;
    rpi_tokctx_free(&ws->tok);
    rpi_linescratch_free(&ws->ls);
    rpi_free(ws->sorttmp);
    rpi_free(ws->sh);
    rpi_doc_fields_free(&ws->fields);
    rpi_free(ws);
}

static void *worker_main(void *arg)
{
    warg *wa = arg;
    pool *p = wa->p;
    rpi_thread_block_signals();
    wscratch *ws = rpi_calloc(1, sizeof *ws);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->queued == 0)
            pthread_cond_wait(&p->cv_work, &p->mu);
        if (p->stop && p->queued == 0) {
            pthread_mutex_unlock(&p->mu);
            break;
        }
        slot *s = &p->slots[p->queue_head];
        p->queue_head = (p->queue_head + 1) % p->nslots;
        p->queued--;
        s->state = SLOT_BUSY;
        pthread_mutex_unlock(&p->mu);

        int rc = ws ? process_slot(p->c, wa->id, ws, s) : RP_ENOMEM;

        pthread_mutex_lock(&p->mu);
        s->rc = rc;
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&p->cv_done);
        pthread_mutex_unlock(&p->mu);
    }
    wscratch_free(ws);
    return NULL;
}

/* ---- pass 1: commit in input order ----------------------------------------- */

uint64_t rpi_id_hash(const char *s, size_t n)
{
    return rpi_hash64(s, n, 0x6964);
}

/* The first slot of a hash in a table of cap slots (a power of two): the
 * hash's low bits, spread again, since cap may pass 2^32 only in theory. */
static size_t id_slot(uint32_t hash, size_t cap)
{
    return (size_t)(hash * 0x9E3779B97F4A7C15ull >> 32) & (cap - 1);
}

uint32_t rpi_idtab_enter(rpi_idslot *tab, size_t cap, uint32_t hash, uint32_t e,
                         int (*same)(const void *ctx, uint32_t held), const void *ctx)
{
    size_t h = id_slot(hash, cap);
    while (tab[h].doc) {
        if (tab[h].hash == hash && same(ctx, tab[h].doc - 1))
            return tab[h].doc - 1;
        h = (h + 1) & (cap - 1);
    }
    tab[h] = (rpi_idslot){e + 1, hash};
    return e;
}

static const char *doc_id(const rp_corpus *c, uint32_t d)
{
    return c->strings.data + c->docs[d].id_off;
}

/* The id being entered by rpi_id_insert, against a held document's. */
typedef struct id_probe {
    const rp_corpus *c;
    const char *id;
} id_probe;

static int same_id(const void *ctx, uint32_t held)
{
    const id_probe *p = ctx;
    return strcmp(doc_id(p->c, held), p->id) == 0;
}

/*
 * Find the document with this id, or insert doc d; returns the holder. A slot
 * holds doc+1 and the high 32 bits of the id's hash: a probe compares ids
 * only when the hashes agree, and the table grows without reading an id
 * (each comparison read a record and an id at random: 13% of the reading
 * thread's time in a --fast scan of the news corpus, 2026-12-04).
 */
int rpi_id_insert(rp_corpus *c, uint32_t d, uint32_t *holder)
{
    if (2 * (c->ndocs + 1) > c->idcap) {
        size_t ncap = c->idcap ? 2 * c->idcap : 1024;
        rpi_idslot *t = rpi_calloc_map(ncap * sizeof *t);
        if (!t)
            return RP_ENOMEM;
        for (size_t i = 0; i < c->idcap; i++) {
            rpi_idslot v = c->idtab[i];
            if (!v.doc)
                continue;
            size_t h = id_slot(v.hash, ncap);
            while (t[h].doc)
                h = (h + 1) & (ncap - 1);
            t[h] = v;
        }
        rpi_free_map(c->idtab, c->idcap * sizeof *c->idtab);
        c->idtab = t;
        c->idcap = ncap;
    }
    id_probe p = {c, doc_id(c, d)};
    uint32_t hash = (uint32_t)(rpi_id_hash(p.id, strlen(p.id)) >> 32);
    *holder = rpi_idtab_enter(c->idtab, c->idcap, hash, d, same_id, &p);
    return RP_OK;
}

void rpi_doc_place(const rp_corpus *c, uint32_t d, char *dst, size_t cap)
{
    rpi_record r = {0};
    r.input = c->docs[d].input;
    r.line = c->docs[d].line;
    rpi_record_place(&c->in, &r, dst, cap);
}

uint64_t rpi_meta_source(const char *meta)
{
    const char *s = meta + strlen(meta) + 1; /* "date\0source\0url\0title\0" */
    const char *u = s + strlen(s) + 1;
    return rpi_source_key(s, strlen(s), u, strlen(u));
}

/*
 * The publication date of document d: a date that cannot be read, in the
 * future or before RPI_DATE_MIN is reported (through warn) and taken as
 * unknown, never as another date: dates decide relations.
 */
static int read_date(rp_corpus *c, rpi_doc *d, const rpi_record *rec, const char *date)
{
    int64_t key = rpi_date_key(date, strlen(date));
    const char *why = key == INT64_MAX      ? "cannot be read (ISO 8601, RFC 2822 or DD-MON-YYYY)"
                      : key < RPI_DATE_MIN  ? "is before 1800"
                      : key > c->date_limit ? "is in the future"
                                            : NULL;
    if (!why) {
        d->date_key = key;
        return RP_OK;
    }
    char place[600], msg[1024];
    rpi_record_place(&c->in, rec, place, sizeof place);
    rpi_fmt(msg, sizeof msg, "%s: document \"%.200s\": date \"%.200s\" %s; taken as unknown",
            place, c->strings.data + d->id_off, date, why);
    if (c->opt.warn)
        c->opt.warn(c->opt.user, msg);
    return RP_OK;
}

/* A bad record: stop with the message, or report and skip it. */
static int reject(rp_corpus *c, uint64_t seq, const rpi_record *rec, const char *why)
{
    char place[600];
    rpi_record_place(&c->in, rec, place, sizeof place);
    rpi_fmt(c->err, sizeof c->err, "%s: %s", place, why);
    if (!c->opt.skip_bad)
        return rec->io ? RP_EIO : RP_EBADINPUT;
    rpi_warn_skipped(c);
    c->err[0] = 0;
    RP_TRY(rpi_grow((void **)&c->bad_seq, &c->capbad, c->nbad + 1, sizeof *c->bad_seq));
    c->bad_seq[c->nbad++] = seq;
    return RP_OK;
}

static int commit_slot(rp_corpus *c, slot *s)
{
    if (s->rc != RP_OK) {
        if (s->rc == RP_EIO)
            rpi_spill_errmsg(&c->spill, "write", c->err, sizeof c->err);
        return s->rc;
    }
    const size_t nb = (size_t)c->bands;
    c->nrecords += s->batch.n;
    for (size_t i = 0; i < s->batch.n; i++) {
        const rpi_record *rec = &s->batch.rec[i];
        result *r = &s->res[i];
        uint64_t seq = s->batch.first_seq + i;
        c->warn_seq = seq; /* a divided run orders the warnings by it (distrib.c) */
        if (r->bad) {
            r->nkeys = 0; /* not counted */
            RP_TRY(reject(c, seq, rec, r->msg));
            continue;
        }
        if (c->ndocs >= UINT32_MAX - 1) {
            char place[600];
            rpi_record_place(&c->in, rec, place, sizeof place);
            rpi_fmt(c->err, sizeof c->err, "%s: more than 4294967294 documents", place);
            return RP_EBADINPUT;
        }
        RP_TRY(rpi_grow_huge((void **)&c->docs, &c->capdocs, c->ndocs + 1, sizeof *c->docs));
        RP_TRY(rpi_grow_huge((void **)&c->keys, &c->capkeys, (c->ndocs + 1) * nb, sizeof *c->keys));
        RP_TRY(rpi_grow_huge((void **)&c->sig8, &c->capsig8, (c->ndocs + 1) * RPI_SIG8, 1));
        rpi_doc *d = &c->docs[c->ndocs];
        RP_TRY(rpi_arena_add(&c->strings, s->str.data + r->id_off, r->id_len, &d->id_off));
        if (memchr(c->strings.data + d->id_off, 0, r->id_len)) {
            c->strings.len = d->id_off;
            RP_TRY(reject(c, seq, rec, "id holds a NUL character"));
            continue;
        }
        uint32_t holder = (uint32_t)c->ndocs;
        if (!c->tp.size) /* a divided run checks ids on their owners (distrib.c) */
            RP_TRY(rpi_id_insert(c, (uint32_t)c->ndocs, &holder));
        if (holder != c->ndocs) {
            char first[600], why[1400];
            rpi_doc_place(c, holder, first, sizeof first);
            rpi_fmt(why, sizeof why, "duplicate id \"%s\" (first seen at %s)",
                    doc_id(c, holder), first);
            c->strings.len = d->id_off;
            r->nkeys = 0; /* not counted */
            RP_TRY(reject(c, seq, rec, why));
            continue;
        }
        d->meta_off = UINT64_MAX;
        d->date_key = INT64_MAX;
        d->src = 0;
        if (r->meta_len) {
            /* The block ends in a NUL already; the arena adds one more. */
            RP_TRY(rpi_arena_add(&c->strings, s->str.data + r->meta_off, r->meta_len,
                                 &d->meta_off));
            d->src = rpi_meta_source(c->strings.data + d->meta_off);
            const char *date = s->str.data + r->meta_off;
            if (*date) /* packed empty when absent */
                RP_TRY(read_date(c, d, rec, date));
        }
        d->line = rec->line;
        d->input = rec->input;
        d->rec_len = rec->len;
        d->thash[0] = r->thash[0];
        d->thash[1] = r->thash[1];
        d->set = r->set;
        d->text_off = r->text_off;
        d->text_len = r->text_len;
        if (c->hooks.capture) {
            const uint64_t *k = slot_keys(s, r);
            RP_TRY(rpi_grow((void **)&c->cap_keys_end, &c->capcapkeys, c->ndocs + 1,
                            sizeof *c->cap_keys_end));
            for (size_t j = 0; j < r->nkeys; j++)
                RP_TRY(rpi_vec_push(&c->cap_keys, k[j]));
            c->cap_keys_end[c->ndocs] = c->cap_keys.n;
        }
        if (c->tp.size) {
            RP_TRY(rpi_grow((void **)&c->dseq, &c->capdseq, c->ndocs + 1, sizeof *c->dseq));
            c->dseq[c->ndocs] = seq;
        }
        memcpy(c->keys + c->ndocs * nb, s->keys + i * nb, nb * sizeof *c->keys);
        memcpy(c->sig8 + c->ndocs * RPI_SIG8, s->sig8 + i * RPI_SIG8, RPI_SIG8);
        c->ndocs++;
    }
    return RP_OK;
}

double rpi_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/*
 * Progress. The ETA is for the whole run: the fraction of it done is the
 * phases finished plus the part done of the current one, each weighed by
 * its share of a run's time as bench/bench_full measures it (the default
 * scan of the news corpus and of 100,000 generated documents: reading
 * 19-22%, verifying about 1%, indexing 34-49%, comparing 26-40%; the fast
 * path is nearly all reading).
 */
static const double phase_weight[2][RPI_NPHASES] = {
    {0.20, 0.02, 0.42, 0.36}, /* default scan */
    {0.95, 0.05, 0, 0}, /* fast path */
};
static const char *const phase_name[RPI_NPHASES] = {"reading", "verifying", "indexing",
                                                    "comparing"};
static const char *const phase_unit[RPI_NPHASES] = {"bytes", "pairs", "documents", "pairs"};

int rpi_interrupted(rp_corpus *c)
{
    if (!__atomic_load_n(&c->interrupted, __ATOMIC_RELAXED))
        return RP_OK;
    rpi_fmt(c->err, sizeof c->err, "interrupted");
    return RP_EINTR;
}

void rp_corpus_interrupt(rp_corpus *c)
{
    if (c)
        __atomic_store_n(&c->interrupted, 1, __ATOMIC_RELAXED);
}

int rpi_report(rp_corpus *c, int phase, uint64_t done, uint64_t total, int force)
{
    if (!c->opt.progress)
        return rpi_interrupted(c);
    double t = rpi_now();
    if (!force && t - c->t_report < 0.1)
        return rpi_interrupted(c);
    c->t_report = t;
    const double *w = phase_weight[c->opt.fast ? 1 : 0];
    double f = 0;
    for (int k = 0; k < phase; k++)
        f += w[k];
    if (total)
        f += w[phase] * (double)(done < total ? done : total) / (double)total;
    double el = t - c->t_start;
    rp_progress p = {phase_name[phase], phase_unit[phase], done, total, c->ndocs + c->nbad, el,
                     total && f >= 0.01 ? el * (1 - f) / f : -1};
    c->opt.progress(c->opt.user, &p);
    return rpi_interrupted(c);
}

/*
 * The memory budget (rp_options.memory) bounds the run as a whole: the stores
 * keep in memory what is left of it after what the run holds anyway at its
 * peak, the count tables and about 0.4 bytes per input byte (per-document
 * records, band keys, signatures, the n-gram and term postings of pass 2:
 * measured 930 MB for the 2.28 GB of a million generated documents, where the
 * stores kept nothing). Inputs of unknown size (pipes) count as empty here.
 */
#define RPI_HELD_PER_BYTE 0.4

size_t rpi_store_budget(const rp_corpus *c)
{
    /* Rank 0 of a divided run also holds the record of every other rank's
     * document (about 200 of the 400 bytes a document costs a run: no band
     * keys or signature), so half the rule for the other ranks' bytes. */
    double h = RPI_HELD_PER_BYTE * ((double)c->input_bytes + (double)c->foreign_bytes / 2);
    size_t held = h < (double)(SIZE_MAX / 2) ? (size_t)h : SIZE_MAX / 2;
    held += rpi_counts_bytes(&c->lines) + rpi_counts_bytes(&c->terms);
    if (c->tp.size > 1 && !c->opt.fast) /* pass 3's rounds of other ranks' documents */
        held += c->opt.memory / RPI_ROUND_SHARE;
    return c->opt.memory > held ? c->opt.memory - held : 0;
}

int rpi_tick(void *tctx, size_t done, size_t n)
{
    rpi_ticker *t = tctx;
    return rpi_report(t->c, t->phase, done, n, 0);
}

/* Add the count keys of a committed batch that fall in shard k. */
static void count_slot(rp_corpus *c, const slot *s, int k)
{
    for (size_t i = 0; i < s->batch.n; i++)
        rpi_features_count(c, slot_keys(s, &s->res[i]),
                           s->res[i].nkeys, (size_t)k);
}

static void *count_main(void *arg)
{
    carg *a = arg;
    pool *p = a->p;
    rpi_thread_block_signals();
    pthread_mutex_lock(&p->mu);
    while (p->count_stop != 2) {
        int did = 0;
        for (int k = a->first; k < RPI_SHARDS && p->count_stop != 2; k += a->step)
            if (p->counted[k] < p->ncommitted) {
                const slot *s = &p->slots[p->counted[k] % (uint64_t)p->nslots];
                pthread_mutex_unlock(&p->mu);
                count_slot(p->c, s, k);
                pthread_mutex_lock(&p->mu);
                p->counted[k]++;
                pthread_cond_broadcast(&p->cv_counted);
                did = 1;
            }
        if (!did) {
            if (p->count_stop == 1)
                break;
            pthread_cond_wait(&p->cv_count, &p->mu);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Has every shard counted batch b (or is counting not done at all)? Under p->mu. */
static int counted_all(const pool *p, uint64_t b)
{
    for (int k = 0; k < RPI_SHARDS; k++)
        if (p->counted[k] <= b)
            return 0;
    return 1;
}

/*
 * Pass 1 in the calling thread, batch after batch: read, process, commit,
 * count (the order the threads keep, so the same results).
 */
static int pass1_inline(rp_corpus *c, rpi_reader *rd, slot *s)
{
    wscratch *ws = rpi_calloc(1, sizeof *ws);
    if (!ws)
        return RP_ENOMEM;
    int rc;
    for (;;) {
        rc = rpi_reader_next(rd, &s->batch, RPI_BATCH_BYTES);
        if (rc != RP_OK) {
            rpi_fmt(c->err, sizeof c->err, "%s", rpi_reader_errmsg(rd));
            break;
        }
        if (s->batch.n == 0)
            break;
        s->rc = process_slot(c, 0, ws, s);
        rc = commit_slot(c, s);
        if (rc != RP_OK)
            break;
        for (int k = 0; k < RPI_SHARDS && !c->opt.fast; k++)
            count_slot(c, s, k);
        rc = rpi_report(c, RPI_PH_READ, rpi_reader_consumed(rd), rpi_reader_total(rd), 0);
        if (rc != RP_OK)
            break;
    }
    wscratch_free(ws);
    return rc;
}

int rpi_pass1(rp_corpus *c)
{
    int rc = RP_OK;
    rpi_reader *rd = NULL;
    pool p = {0};
    pthread_t tid[256], ctid[RPI_SHARDS];
    warg args[256];
    carg cargs[RPI_SHARDS];
    int nstarted = 0, ncstarted = 0;

    RP_CHECK(rpi_spill_open(&c->spill, c->nthreads, c->err, sizeof c->err));
    c->spill.name = "shingle store";
    c->reread_sets = c->opt.fast && !c->tp.size && !c->hooks.capture;
    RP_CHECK(rpi_reader_open(&rd, &c->in, c->opt.max_doc_bytes, c->opt.reread));
    c->input_bytes = rpi_reader_total(rd);
    if (!c->opt.fast)
        RP_CHECK(rpi_features_counts_open(c, c->input_bytes));
    /* The default scan keeps half of the stores' memory for the document features. */
    rpi_spill_keep(&c->spill, c->opt.fast ? rpi_store_budget(c) : rpi_store_budget(c) / 2);
    rpi_spill_expect(&c->spill, c->input_bytes);
    p.c = c;
    p.nslots = 2 * c->nthreads + 1;
    p.slots = rpi_calloc((size_t)p.nslots, sizeof *p.slots);
    if (!p.slots) {
        rc = RP_ENOMEM;
        goto fail;
    }
    if (!(c->input_bytes && c->input_bytes <= RPI_BATCH_BYTES))
        for (int i = 0; i < p.nslots; i++) {
            /* Each slot's bytes in one huge page where the system gives one
             * (a batch and the record that ends it): as 4 KiB pages, the
             * ring's first round was 1,280 page faults (20% of the fast
             * path's, 2.5% of its time on 20,000 documents); grown as any
             * buffer past it. */
            rpi_buf *b = &p.slots[i].batch.data;
            if ((b->data = rpi_malloc_huge(RPI_SLOT_BYTES)) != NULL)
                b->cap = RPI_SLOT_BYTES;
        }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv_work, NULL);
    pthread_cond_init(&p.cv_done, NULL);
    pthread_cond_init(&p.cv_count, NULL);
    pthread_cond_init(&p.cv_counted, NULL);
    int ncount = 0;
    if (c->input_bytes && c->input_bytes <= RPI_BATCH_BYTES) {
        /* One batch: nothing to overlap, so no thread (an index query runs
         * two such passes; starting their threads was 15% of its time). */
        rc = pass1_inline(c, rd, &p.slots[0]);
        if (rc != RP_OK)
            goto stop;
        goto read_all;
    }
    for (int i = 0; i < c->nthreads; i++) {
        args[i] = (warg){&p, i};
        if (pthread_create(&tid[i], NULL, worker_main, &args[i]) != 0)
            break;
        nstarted++;
    }
    /* Counting threads: min(shards, threads), each with every step-th shard. */
    ncount = c->opt.fast ? 0 : c->nthreads < RPI_SHARDS ? c->nthreads : RPI_SHARDS;
    for (int i = 0; i < ncount; i++) {
        cargs[i] = (carg){&p, i, ncount};
        if (pthread_create(&ctid[i], NULL, count_main, &cargs[i]) != 0)
            break;
        ncstarted++;
    }
    if (nstarted == 0 || ncstarted < ncount) {
        rpi_fmt(c->err, sizeof c->err, "cannot start a thread");
        rc = RP_ENOMEM;
        goto stop;
    }

    /* Ring: slots [commit, submit) are in flight, in input order. */
    int submit = 0, commit = 0, inflight = 0, eof = 0;
    uint64_t nsubmitted = 0;
    for (;;) {
        while (!eof && inflight < p.nslots) {
            slot *s = &p.slots[submit];
            if (ncount && nsubmitted >= (uint64_t)p.nslots) {
                /* The batch that last used this slot must be counted. */
                pthread_mutex_lock(&p.mu);
                while (!counted_all(&p, nsubmitted - (uint64_t)p.nslots))
                    pthread_cond_wait(&p.cv_counted, &p.mu);
                pthread_mutex_unlock(&p.mu);
            }
            rc = rpi_reader_next(rd, &s->batch, RPI_BATCH_BYTES);
            if (rc != RP_OK) {
                rpi_fmt(c->err, sizeof c->err, "%s", rpi_reader_errmsg(rd));
                goto stop;
            }
            if (s->batch.n == 0) {
                eof = 1;
                break;
            }
            pthread_mutex_lock(&p.mu);
            s->state = SLOT_QUEUED;
            p.queued++;
            pthread_cond_signal(&p.cv_work);
            pthread_mutex_unlock(&p.mu);
            submit = (submit + 1) % p.nslots;
            inflight++;
            nsubmitted++;
        }
        if (inflight == 0)
            break;
        slot *s = &p.slots[commit];
        pthread_mutex_lock(&p.mu);
        while (s->state != SLOT_DONE)
            pthread_cond_wait(&p.cv_done, &p.mu);
        pthread_mutex_unlock(&p.mu);
        rc = commit_slot(c, s);
        s->state = SLOT_FREE;
        if (rc != RP_OK)
            goto stop;
        if (ncount) {
            pthread_mutex_lock(&p.mu);
            p.ncommitted++;
            pthread_cond_broadcast(&p.cv_count);
            pthread_mutex_unlock(&p.mu);
        }
        commit = (commit + 1) % p.nslots;
        inflight--;
        rc = rpi_report(c, RPI_PH_READ, rpi_reader_consumed(rd), rpi_reader_total(rd), 0);
        if (rc != RP_OK)
            goto stop;
    }
read_all:
    rc = rpi_report(c, RPI_PH_READ, rpi_reader_consumed(rd), rpi_reader_total(rd), 1);
    if (rc != RP_OK)
        goto stop;
    if (ncount) { /* every batch counted */
        pthread_mutex_lock(&p.mu);
        while (p.ncommitted && !counted_all(&p, p.ncommitted - 1))
            pthread_cond_wait(&p.cv_counted, &p.mu);
        pthread_mutex_unlock(&p.mu);
    }
    rc = rpi_spill_flush(&c->spill);
    if (rc != RP_OK)
        rpi_spill_errmsg(&c->spill, "write", c->err, sizeof c->err);
stop:
    pthread_mutex_lock(&p.mu);
    p.stop = 1;
    p.queued = 0; /* on failure, queued slots are abandoned */
    pthread_cond_broadcast(&p.cv_work);
    p.count_stop = rc == RP_OK ? 1 : 2;
    pthread_cond_broadcast(&p.cv_count);
    pthread_mutex_unlock(&p.mu);
    for (int i = 0; i < nstarted; i++)
        pthread_join(tid[i], NULL);
    for (int i = 0; i < ncstarted; i++)
        pthread_join(ctid[i], NULL);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv_work);
    pthread_cond_destroy(&p.cv_done);
    pthread_cond_destroy(&p.cv_count);
    pthread_cond_destroy(&p.cv_counted);
fail:
    if (p.slots) {
        for (int i = 0; i < p.nslots; i++) {
            rpi_batch_free(&p.slots[i].batch);
            rpi_free_huge(p.slots[i].res, p.slots[i].capres, sizeof *p.slots[i].res);
            rpi_free_huge(p.slots[i].keys, p.slots[i].capkeys, sizeof *p.slots[i].keys);
            rpi_free_huge(p.slots[i].sig8, p.slots[i].capsig8, 1);
            rpi_buf_free(&p.slots[i].str);
            rpi_buf_free(&p.slots[i].ckeys);
        }
        rpi_free(p.slots);
    }
    rpi_reader_close(rd);
    return rc;
}

void rpi_sketches_free(rp_corpus *c)
{
    rpi_free_huge(c->sig8, c->capsig8, 1);
    c->sig8 = NULL;
    c->capsig8 = 0;
    if (c->hooks.capture && c->keys) { /* (a second call has none to hand over) */
        c->cap_bands = c->keys; /* the index stores them */
        c->capcap_bands = c->capkeys;
    } else {
        rpi_free_huge(c->keys, c->capkeys, sizeof *c->keys);
    }
    c->keys = NULL;
    c->capkeys = 0;
}

int rp_corpus_run(rp_corpus *c)
{
    if (c->ran) {
        rpi_fmt(c->err, sizeof c->err, "rp_corpus_run may be called only once");
        return RP_EINVAL;
    }
    c->ran = 1;
    RP_TRY(check_options(c));
    if (c->tp.size) /* every rank must take part, even one that has failed */
        return rpi_dist_run(c);
    if (c->in.n == 0 && c->nskip_inputs == 0) {
        rpi_fmt(c->err, sizeof c->err, "no input given");
        return RP_EINVAL;
    }
    c->date_limit = rpi_date_limit();
    double t0 = rpi_now();
    c->t_start = c->t_report = t0;
    int rc = rpi_pass1(c);
    c->t_pass1 = rpi_now() - t0;
    if (rc == RP_OK && c->hooks.stats && !c->opt.fast)
        rc = c->hooks.stats(c->hooks.ctx, c);
    if (rc == RP_OK)
        rc = rpi_interrupted(c);
    if (rc == RP_OK && !c->hooks.capture)
        rc = rpi_copies_run(c);
    rpi_sketches_free(c);
    if (rc == RP_OK)
        rc = rpi_interrupted(c);
    if (rc == RP_OK && !c->opt.fast)
        rc = rpi_pairs_run(c);
    if (rc == RP_OK)
        rc = rpi_interrupted(c);
    if (rc == RP_ENOMEM && !c->err[0])
        rpi_fmt(c->err, sizeof c->err, "out of memory");
    return rc;
}

/* ---- accessors -------------------------------------------------------------- */

size_t rp_corpus_ndocs(const rp_corpus *c)
{
    return c->ndocs;
}

size_t rp_corpus_nskipped(const rp_corpus *c)
{
    return c->nbad + c->nskip_inputs;
}

const char *rp_doc_id(const rp_corpus *c, uint32_t doc)
{
    return doc < c->ndocs ? doc_id(c, doc) : NULL;
}

const char *rp_doc_meta(const rp_corpus *c, uint32_t doc, const char *field)
{
    if (doc >= c->ndocs || c->docs[doc].meta_off == UINT64_MAX || !field)
        return NULL;
    const char *p = c->strings.data + c->docs[doc].meta_off;
    for (int k = 0; k < RPI_NMETA; k++) {
        if (strcmp(field, rpi_meta_names[k]) == 0)
            return *p ? p : NULL;
        p += strlen(p) + 1;
    }
    return NULL;
}

const char *rp_doc_date(const rp_corpus *c, uint32_t doc)
{
    return rp_doc_meta(c, doc, "date");
}

size_t rp_corpus_npairs(const rp_corpus *c)
{
    return c->npairs;
}

int rp_corpus_pair(const rp_corpus *c, size_t i, rp_pair *out)
{
    if (i >= c->npairs)
        return RP_EINVAL;
    *out = c->pairs[i];
    return RP_OK;
}

size_t rp_corpus_nclusters(const rp_corpus *c)
{
    return c->cl.n;
}

static int cluster_get(const rpi_clusters *cl, size_t k, const uint32_t **members,
                       size_t *nmembers, uint32_t *rep)
{
    if (k >= cl->n)
        return RP_EINVAL;
    *members = cl->members + cl->start[k];
    *nmembers = cl->start[k + 1] - cl->start[k];
    *rep = cl->rep[k];
    return RP_OK;
}

int rp_corpus_cluster(const rp_corpus *c, size_t k, const uint32_t **members, size_t *nmembers,
                      uint32_t *rep)
{
    return cluster_get(&c->cl, k, members, nmembers, rep);
}

int rp_doc_removed(const rp_corpus *c, uint32_t doc, uint32_t *kept_by, double *jaccard)
{
    if (doc >= c->ndocs)
        return RP_EINVAL;
    const rpi_removal *r = rpi_clusters_removal(&c->cl, doc);
    if (!r)
        return 0;
    if (kept_by)
        *kept_by = r->kept_by;
    if (jaccard)
        *jaccard = r->jaccard;
    return 1;
}

const char *rp_relation_name(rp_relation r)
{
    switch (r) {
    case RP_REL_DUPLICATE: return "duplicate";
    case RP_REL_NEAR_DUPLICATE: return "near-duplicate";
    case RP_REL_REPRINT: return "reprint";
    case RP_REL_SAME_STORY: return "same-story";
    case RP_REL_SHARES_PASSAGES: return "shares-passages";
    case RP_REL_SAME_TOPIC: return "same-topic";
    case RP_REL_UNRELATED: return "unrelated";
    default: return "unknown";
    }
}

size_t rp_corpus_nstories(const rp_corpus *c)
{
    return c->st.n;
}

int rp_corpus_story(const rp_corpus *c, size_t k, const uint32_t **members, size_t *nmembers,
                    uint32_t *rep)
{
    return cluster_get(&c->st, k, members, nmembers, rep);
}

size_t rp_corpus_ntimelines(const rp_corpus *c)
{
    return c->tl.n;
}

int rp_corpus_timeline(const rp_corpus *c, size_t k, size_t *nevents)
{
    if (k >= c->tl.n)
        return RP_EINVAL;
    *nevents = c->tl.start[k + 1] - c->tl.start[k];
    return RP_OK;
}

int rp_corpus_event(const rp_corpus *c, size_t k, size_t i, rp_event *out)
{
    if (k >= c->tl.n || i >= c->tl.start[k + 1] - c->tl.start[k])
        return RP_EINVAL;
    const rpi_event *e = &c->tl.ev[c->tl.start[k] + i];
    out->story = e->story == UINT32_MAX ? RP_NO_STORY : e->story;
    out->doc = e->doc;
    rpi_date_day(e->first, out->first);
    rpi_date_day(e->last, out->last);
    return RP_OK;
}

size_t rp_corpus_npassages(const rp_corpus *c)
{
    return c->npass;
}

int rp_corpus_passage(const rp_corpus *c, size_t i, rp_passage *out)
{
    if (i >= c->npass)
        return RP_EINVAL;
    *out = c->pass[i];
    return RP_OK;
}

int rp_pair_passages(const rp_corpus *c, size_t pair, size_t *first, size_t *n)
{
    if (pair >= c->npairs)
        return RP_EINVAL;
    if (!c->pair_pass) {
        *first = *n = 0;
        return RP_OK;
    }
    *first = c->pair_pass[pair];
    *n = c->pair_pass[pair + 1] - c->pair_pass[pair];
    return RP_OK;
}

int rp_doc_text(rp_corpus *c, uint32_t doc, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    if (doc >= c->ndocs || c->opt.fast) {
        rpi_fmt(c->err, sizeof c->err, "no text kept for document %u", doc);
        return RP_EINVAL;
    }
    size_t n = c->docs[doc].text_len;
    char *t = rpi_malloc(n + 1);
    if (!t)
        return RP_ENOMEM;
    int rc = rpi_doc_read_text(c, doc, t);
    if (rc == RP_EINVAL) {
        rpi_free(t);
        rpi_fmt(c->err, sizeof c->err, "no text kept for document %u (another rank's)", doc);
        return RP_EINVAL;
    }
    if (rc != RP_OK) {
        rpi_free(t);
        rpi_spill_errmsg(rpi_find_u32(c->fetched, c->nfetched, doc) < c->nfetched ? &c->texts
                                                                                  : &c->spill,
                         "read", c->err, sizeof c->err);
        return RP_EIO;
    }
    t[n] = 0;
    *text = t;
    *len = n;
    return RP_OK;
}

int rpi_doc_read_text(const rp_corpus *c, uint32_t d, char *out)
{
    const rpi_doc *x = &c->docs[d];
    if (x->set.file == RPI_SETREF_INPUT)
        return RP_EINVAL; /* the fast path keeps no text */
    if (x->set.file == RPI_SETREF_MEM && x->text_off == UINT64_MAX) { /* another rank's */
        size_t i = rpi_find_u32(c->fetched, c->nfetched, d);
        if (i == c->nfetched)
            return RP_EINVAL; /* not fetched */
        return rpi_spill_read_bytes(&c->texts, 0, c->fetched_off[i], x->text_len, out);
    }
    if (x->set.file != RPI_SETREF_MEM)
        return rpi_spill_read_bytes(&c->spill, (int)x->set.file, x->text_off, x->text_len, out);
    if (x->text_off > c->foreign.len || x->text_len > c->foreign.len - x->text_off)
        return RP_EINVAL; /* another rank's document, whose text rank 0 did not fetch */
    if (x->text_len)
        memcpy(out, c->foreign.data + x->text_off, x->text_len);
    return RP_OK;
}

int rpi_doc_read_set(const rp_corpus *c, uint32_t d, uint64_t *out)
{
    const rpi_doc *x = &c->docs[d];
    if (x->set.file == RPI_SETREF_INPUT)
        return RP_EINVAL; /* not stored: rpi_reread_load computes it */
    if (x->set.file != RPI_SETREF_MEM)
        return rpi_spill_read(&c->spill, (int)x->set.file, x->set.off, x->set.n, out);
    if (x->set.off > c->foreign.len || x->set.n > (c->foreign.len - x->set.off) / sizeof *out)
        return RP_EINVAL;
    if (x->set.n)
        memcpy(out, c->foreign.data + x->set.off, x->set.n * sizeof *out);
    return RP_OK;
}

int rpi_intern(rp_corpus *c, const char *s, size_t n, const char **out)
{
    for (size_t i = 0; i < c->ninterned; i++)
        if (strlen(c->interned[i]) == n && memcmp(c->interned[i], s, n) == 0) {
            *out = c->interned[i];
            return RP_OK;
        }
    RP_TRY(rpi_grow((void **)&c->interned, &c->capinterned, c->ninterned + 1,
                    sizeof *c->interned));
    char *p = rpi_malloc(n + 1);
    if (!p)
        return RP_ENOMEM;
    memcpy(p, s, n);
    p[n] = 0;
    c->interned[c->ninterned++] = p;
    *out = p;
    return RP_OK;
}

void rpi_free_result(rp_corpus *c, void *p)
{
    for (int i = 0; p && i < c->nmapped; i++)
        if (c->mapped[i].p == p) {
            rpi_unmap(p, c->mapped[i].bytes);
            c->mapped[i] = c->mapped[--c->nmapped];
            return;
        }
    rpi_free(p);
}

void rp_free(void *p)
{
    rpi_free(p);
}

size_t rp_corpus_nfurniture(const rp_corpus *c)
{
    return c->nfurn;
}

int rp_corpus_furniture(const rp_corpus *c, size_t i, uint32_t *doc, uint32_t *start,
                        uint32_t *end, const char **why)
{
    if (i >= c->nfurn)
        return RP_EINVAL;
    *doc = c->furn[i].doc;
    *start = c->furn[i].start;
    *end = c->furn[i].end;
    *why = rpi_furn_name((rpi_furn_kind)c->furn[i].kind);
    return RP_OK;
}

size_t rp_corpus_ndifferences(const rp_corpus *c)
{
    return c->ndiff;
}

int rp_corpus_difference(const rp_corpus *c, size_t i, rp_difference *out)
{
    if (i >= c->ndiff)
        return RP_EINVAL;
    *out = c->diff[i];
    return RP_OK;
}

int rp_pair_differences(const rp_corpus *c, size_t pair, size_t *first, size_t *n)
{
    if (pair >= c->npairs)
        return RP_EINVAL;
    if (!c->pair_diff) {
        *first = *n = 0;
        return RP_OK;
    }
    *first = c->pair_diff[pair];
    *n = c->pair_diff[pair + 1] - c->pair_diff[pair];
    return RP_OK;
}
