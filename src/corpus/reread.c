/* SPDX-License-Identifier: MIT */
/*
 * reread.c -- the fast path's shingles, computed again from the input.
 *
 * The fast path compares only its candidate pairs, a few documents in a
 * hundred on news, so storing every document's shingles (8 bytes a word: 1.3
 * bytes per input byte) for them costs more than reading the few back. A
 * document of an uncompressed regular file (rpi_input.direct) keeps only the
 * offset and length of its record; when a candidate pair needs its set, its
 * record is read again with pread (or, from an application that holds its
 * documents, given again by number: rp_corpus_add_records_fetch), parsed and
 * shingled as pass 1 did it. The
 * result must be the sequence pass 1 hashed: its length and its 128-bit hash
 * (rpi_text_hash) are checked, and an input that changed under the run is an
 * error naming the record, never a wrong figure.
 *
 * Measured side by side (2-core virtual machine, where every fresh page costs
 * a fault and its clearing): the fast path on the news corpus (23,802
 * articles, 27 MB) 0.09 to 0.08 s and 106 to 75 MB peak; on 1,000,000
 * generated documents (2.25 GB), whose shingles no longer go to temporary
 * files past the memory budget, see the README (Benchmarks).
 */
#include "corpus_int.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

typedef struct rr_worker {
    rpi_tokctx tok; /* tokenizer scratch */
    uint64_t *sh; /* the shingles computed */
    size_t capsh; /* capacity of sh */
    char *rec; /* the record's bytes */
    size_t caprec; /* capacity of rec */
    int fd; /* the input open, or -1 */
    uint32_t input; /* which (with fd >= 0) */
    int rc; /* the first failure */
    char err[1024]; /* its message */
} rr_worker;

struct rpi_reread {
    rp_corpus *c; /* corpus */
    rr_worker *w; /* per worker */
    int n; /* workers */
};

int rpi_reread_open(rp_corpus *c, int nthreads, rpi_reread **out)
{
    rpi_reread *r = rpi_calloc(1, sizeof *r);
    if (r)
        r->w = rpi_calloc((size_t)nthreads, sizeof *r->w);
    if (!r || !r->w) {
        rpi_free(r);
        return RP_ENOMEM;
    }
    for (int i = 0; i < nthreads; i++)
        r->w[i].fd = -1;
    r->c = c;
    r->n = nthreads;
    *out = r;
    return RP_OK;
}

static int fail(rr_worker *w, int rc, const char *place, const char *what)
{
    rpi_fmt(w->err, sizeof w->err, "%s: %s", place, what);
    w->rc = rc;
    return rc;
}

/* read_record: the file is shorter than the record now (the caller names it). */
#define RR_SHORT 1

/* Record number of x given again by the application (rpi_input.fetch) into
 * w->rec: RP_OK, RR_SHORT when it is not len bytes now, or an error with its
 * message in w. */
static int fetch_record(rr_worker *w, const rpi_input *x, uint64_t number, size_t len)
{
    RP_TRY(rpi_grow((void **)&w->rec, &w->caprec, len + 1, 1));
    ptrdiff_t got = x->fetch(x->fn_user, number, w->rec, len + 1);
    if (got < 0)
        return fail(w, RP_EINTR, x->name, "stopped while giving a record again");
    return (size_t)got == len ? RP_OK : RR_SHORT;
}

/* Read len bytes at off of the input's file into w->rec: RP_OK, RR_SHORT, or
 * an error with its message in w. */
static int read_record(rr_worker *w, const rpi_input *x, uint32_t input, uint64_t off,
                       size_t len)
{
    if (w->fd < 0 || w->input != input) {
        if (w->fd >= 0)
            close(w->fd);
        w->fd = open(x->path, O_RDONLY | O_CLOEXEC);
        if (w->fd < 0) {
            /* Deleted or renamed since pass 1: changed input, as a rewrite is
             * (exit 1); the file there but unreadable is an I/O error. */
            int gone = errno == ENOENT;
            char why[512];
            rpi_fmt(why, sizeof why, "%scannot open again: %s",
                    gone ? "the input changed while reprint was reading it: " : "",
                    strerror(errno));
            return fail(w, gone ? RP_EBADINPUT : RP_EIO, x->name, why);
        }
        w->input = input;
    }
    RP_TRY(rpi_grow((void **)&w->rec, &w->caprec, len + 1, 1));
    size_t got = 0;
    while (got < len) {
        ssize_t k = pread(w->fd, w->rec + got, len - got, (off_t)(off + got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            char why[512];
            rpi_fmt(why, sizeof why, "cannot read again: %s", strerror(errno));
            return fail(w, RP_EIO, x->name, why);
        }
        if (k == 0)
            return RR_SHORT;
        got += (size_t)k;
    }
    return RP_OK;
}

int rpi_reread_load(void *ctx, int wid, uint32_t doc, const uint64_t **set)
{
    rpi_reread *r = ctx;
    rp_corpus *c = r->c;
    rr_worker *w = &r->w[wid];
    const rpi_doc *d = &c->docs[doc];
    rpi_record rec = {.input = d->input, .line = d->line, .offset = d->text_off,
                      .len = (size_t)d->rec_len};
    char place[600];
    const rpi_input *x = &c->in.v[d->input];
    int rc = x->fetch ? fetch_record(w, x, d->line, rec.len)
                      : read_record(w, x, d->input, d->text_off, rec.len);
    if (rc != RP_OK && rc != RR_SHORT)
        return rc;
    size_t nsh = 0;
    if (rc == RP_OK) {
        rpi_doc_fields f = {0};
        char msg[160];
        rc = rpi_record_parse(&c->in, &rec, w->rec, c->opt.id_field, c->opt.text_field, &f, msg,
                              sizeof msg);
        if (rc == RP_OK) {
            size_t bad_off;
            rc = rpi_doc_shingles(c, &w->tok, f.text, f.text_len, &w->sh, &w->capsh, &nsh,
                                  &bad_off);
            rpi_doc_fields_free(&f);
        }
        if (rc == RP_ENOMEM)
            return rc;
    }
    uint64_t h[2] = {0, 0};
    if (rc == RP_OK)
        rpi_text_hash(w->sh, nsh, h);
    if (rc != RP_OK || nsh != d->set.n || h[0] != d->thash[0] || h[1] != d->thash[1]) {
        rpi_record_place(&c->in, &rec, place, sizeof place);
        return fail(w, RP_EBADINPUT, place, "the input changed while reprint was reading it");
    }
    *set = w->sh;
    return RP_OK;
}

int rpi_reread_close(rpi_reread *r, char *err, size_t errcap)
{
    if (!r)
        return RP_OK;
    int said = RP_OK;
    for (int i = 0; i < r->n; i++) {
        rr_worker *w = &r->w[i];
        if (w->rc != RP_OK && said == RP_OK) {
            if (err)
                rpi_fmt(err, errcap, "%s", w->err);
            said = w->rc;
        }
        if (w->fd >= 0)
            close(w->fd);
        rpi_tokctx_free(&w->tok);
        rpi_free(w->sh);
        rpi_free(w->rec);
    }
    rpi_free(r->w);
    rpi_free(r);
    return said;
}
