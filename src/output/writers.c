/* SPDX-License-Identifier: MIT */
/*
 * writers.c -- stage 7: results as TSV, CSV, JSONL, and the deduplicated
 * corpus written by reading the inputs a second time.
 *
 * Scores are printed with four decimals rounded *down*, so a printed value
 * never reaches a threshold the exact value does not reach.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "corpus_int.h"

static double floor4(double x)
{
    return floor(x * 10000.0 + 1e-9) / 10000.0;
}

/* TSV field: backslash escapes for tab, newline, carriage return, backslash. */
static int tsv_field(rpi_buf *b, const char *s)
{
    for (; *s; s++) {
        const char *e = *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : *s == '\r' ? "\\r"
                        : *s == '\\' ? "\\\\" : NULL;
        RP_TRY(e ? rpi_buf_append(b, e, 2) : rpi_buf_putc(b, *s));
    }
    return RP_OK;
}

/* CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
static int csv_field(rpi_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return rpi_buf_append(b, s, strlen(s));
    RP_TRY(rpi_buf_putc(b, '"'));
    for (; *s; s++) {
        if (*s == '"')
            RP_TRY(rpi_buf_putc(b, '"'));
        RP_TRY(rpi_buf_putc(b, *s));
    }
    return rpi_buf_putc(b, '"');
}

static int json_str(rpi_buf *b, const char *s)
{
    return rpi_json_escape(b, s, strlen(s));
}

static int flush(rpi_buf *b, FILE *f, int force)
{
    if (b->len < (1 << 16) && !force)
        return RP_OK;
    if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
        return RP_EIO;
    b->len = 0;
    return RP_OK;
}

static int pair_row(rpi_buf *b, const rp_corpus *c, const rp_pair *p, rp_format fmt)
{
    const char *a = rp_doc_id(c, p->a), *bb = rp_doc_id(c, p->b);
    const char *rel = rp_relation_name(p->relation);
    double v[3] = {floor4(p->jaccard), floor4(p->containment_a), floor4(p->containment_b)};
    if (fmt == RP_FORMAT_JSONL) {
        RP_TRY(rpi_buf_append(b, "{\"a\":", 5));
        RP_TRY(json_str(b, a));
        RP_TRY(rpi_buf_append(b, ",\"b\":", 5));
        RP_TRY(json_str(b, bb));
        return rpi_buf_printf(b,
                              ",\"relation\":\"%s\",\"jaccard\":%.4f,\"containment_a\":%.4f,"
                              "\"containment_b\":%.4f}\n",
                              rel, v[0], v[1], v[2]);
    }
    int (*field)(rpi_buf *, const char *) = fmt == RP_FORMAT_CSV ? csv_field : tsv_field;
    char sep = fmt == RP_FORMAT_CSV ? ',' : '\t';
    RP_TRY(field(b, a));
    RP_TRY(rpi_buf_putc(b, sep));
    RP_TRY(field(b, bb));
    return rpi_buf_printf(b, "%c%s%c%.4f%c%.4f%c%.4f\n", sep, rel, sep, v[0], sep, v[1], sep,
                          v[2]);
}

int rp_corpus_write_pairs(rp_corpus *c, FILE *f, rp_format fmt)
{
    rpi_buf b = {0};
    int rc = RP_OK;
    if (fmt == RP_FORMAT_TSV)
        rc = rpi_buf_printf(&b, "a\tb\trelation\tjaccard\tcontainment_a\tcontainment_b\n");
    else if (fmt == RP_FORMAT_CSV)
        rc = rpi_buf_printf(&b, "a,b,relation,jaccard,containment_a,containment_b\n");
    for (size_t i = 0; rc == RP_OK && i < c->npairs; i++) {
        rc = pair_row(&b, c, &c->pairs[i], fmt);
        if (rc == RP_OK)
            rc = flush(&b, f, 0);
    }
    if (rc == RP_OK)
        rc = flush(&b, f, 1);
    rpi_buf_free(&b);
    return rc;
}

int rp_corpus_write_clusters(rp_corpus *c, FILE *f)
{
    rpi_buf b = {0};
    int rc = RP_OK;
    for (size_t k = 0; rc == RP_OK && k < c->cl.n; k++) {
        rc = rpi_buf_printf(&b, "{\"id\":%zu,\"members\":[", k + 1);
        for (size_t i = c->cl.start[k]; rc == RP_OK && i < c->cl.start[k + 1]; i++) {
            if (i > c->cl.start[k])
                rc = rpi_buf_putc(&b, ',');
            if (rc == RP_OK)
                rc = json_str(&b, rp_doc_id(c, c->cl.members[i]));
        }
        if (rc == RP_OK)
            rc = rpi_buf_append(&b, "],\"representative\":", 19);
        if (rc == RP_OK)
            rc = json_str(&b, rp_doc_id(c, c->cl.rep[k]));
        if (rc == RP_OK)
            rc = rpi_buf_append(&b, "}\n", 2);
        if (rc == RP_OK)
            rc = flush(&b, f, 0);
    }
    if (rc == RP_OK)
        rc = flush(&b, f, 1);
    rpi_buf_free(&b);
    return rc;
}

int rp_corpus_write_removed(rp_corpus *c, FILE *f)
{
    rpi_buf b = {0};
    int rc = RP_OK;
    for (uint32_t d = 0; rc == RP_OK && d < c->ndocs; d++) {
        uint32_t k;
        double j;
        if (rp_doc_removed(c, d, &k, &j) != 1)
            continue;
        rc = rpi_buf_append(&b, "{\"id\":", 6);
        if (rc == RP_OK)
            rc = json_str(&b, rp_doc_id(c, d));
        if (rc == RP_OK)
            rc = rpi_buf_append(&b, ",\"kept\":", 8);
        if (rc == RP_OK)
            rc = json_str(&b, rp_doc_id(c, k));
        if (rc == RP_OK)
            rc = rpi_buf_printf(&b, ",\"jaccard\":%.4f}\n", floor4(j));
        if (rc == RP_OK)
            rc = flush(&b, f, 0);
    }
    if (rc == RP_OK)
        rc = flush(&b, f, 1);
    rpi_buf_free(&b);
    return rc;
}

/* Write one kept record: a JSONL line as it was, a plain file as a new record. */
static int kept_record(rp_corpus *c, const rpi_record *rec, const char *data, rpi_buf *b)
{
    const rpi_input *x = &c->in.v[rec->input];
    if (x->jsonl) {
        RP_TRY(rpi_buf_append(b, data, rec->len));
        return rpi_buf_putc(b, '\n');
    }
    RP_TRY(rpi_buf_putc(b, '{'));
    RP_TRY(json_str(b, c->opt.id_field));
    RP_TRY(rpi_buf_putc(b, ':'));
    RP_TRY(json_str(b, x->name));
    RP_TRY(rpi_buf_putc(b, ','));
    RP_TRY(json_str(b, c->opt.text_field));
    RP_TRY(rpi_buf_putc(b, ':'));
    RP_TRY(rpi_json_escape(b, data, rec->len));
    return rpi_buf_append(b, "}\n", 2);
}

int rp_corpus_write_kept(rp_corpus *c, FILE *f, size_t *nkept, size_t *nremoved)
{
    rpi_reader *rd = NULL;
    rpi_batch batch = {0};
    rpi_buf b = {0};
    size_t kept = 0, removed = 0, bi = 0;
    uint32_t d = 0;
    if (!c->ran) {
        rpi_fmt(c->err, sizeof c->err, "rp_corpus_write_kept needs rp_corpus_run first");
        return RP_EINVAL;
    }
    const char *once = rpi_inputs_unrereadable(&c->in);
    if (once) {
        rpi_fmt(c->err, sizeof c->err, "%s cannot be read a second time (no copy was kept)",
                once);
        return RP_EINVAL;
    }
    int rc = rpi_reader_open(&rd, &c->in, c->opt.max_doc_bytes, 0);
    while (rc == RP_OK) {
        rc = rpi_reader_next(rd, &batch, (size_t)1 << 20);
        if (rc != RP_OK) {
            rpi_fmt(c->err, sizeof c->err, "%s", rpi_reader_errmsg(rd));
            break;
        }
        if (batch.n == 0)
            break;
        for (size_t i = 0; rc == RP_OK && i < batch.n; i++) {
            uint64_t seq = batch.first_seq + i;
            if (bi < c->nbad && c->bad_seq[bi] == seq) {
                bi++;
                continue;
            }
            if (d >= c->ndocs || c->docs[d].rec_len != batch.rec[i].len ||
                c->docs[d].input != batch.rec[i].input) {
                char place[600];
                rpi_record_place(&c->in, &batch.rec[i], place, sizeof place);
                rpi_fmt(c->err, sizeof c->err,
                        "%s: the input changed while reprint was reading it", place);
                rc = RP_EBADINPUT;
                break;
            }
            if (rp_doc_removed(c, d, NULL, NULL) == 1) {
                removed++;
            } else {
                kept++;
                rc = kept_record(c, &batch.rec[i], batch.data.data + batch.rec[i].data_off, &b);
                if (rc == RP_OK)
                    rc = flush(&b, f, 0);
            }
            d++;
        }
    }
    if (rc == RP_OK && d != c->ndocs)
        rc = RP_EBADINPUT;
    if (rc == RP_EBADINPUT && !c->err[0])
        rpi_fmt(c->err, sizeof c->err,
                "an input changed while reprint was reading it (fewer documents the second time)");
    if (rc == RP_OK)
        rc = flush(&b, f, 1);
    int saved = errno; /* callers may name the file with strerror(errno) */
    if (rc == RP_EIO && !c->err[0])
        rpi_fmt(c->err, sizeof c->err, "write error: %s", strerror(errno));
    rpi_reader_close(rd);
    rpi_batch_free(&batch);
    rpi_buf_free(&b);
    errno = saved;
    if (nkept)
        *nkept = kept;
    if (nremoved)
        *nremoved = removed;
    return rc;
}
