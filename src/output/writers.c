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
    const char *why = p->why ? p->why : "";
    double v[5] = {floor4(p->jaccard), floor4(p->containment_a), floor4(p->containment_b),
                   floor4(p->coverage_a), floor4(p->coverage_b)};
    if (fmt == RP_FORMAT_JSONL) {
        RP_TRY(rpi_buf_append(b, "{\"a\":", 5));
        RP_TRY(json_str(b, a));
        RP_TRY(rpi_buf_append(b, ",\"b\":", 5));
        RP_TRY(json_str(b, bb));
        RP_TRY(rpi_buf_printf(b,
                              ",\"relation\":\"%s\",\"jaccard\":%.4f,\"containment_a\":%.4f,"
                              "\"containment_b\":%.4f,\"passages\":%u,\"coverage_a\":%.4f,"
                              "\"coverage_b\":%.4f,\"why\":",
                              rel, v[0], v[1], v[2], p->npassages, v[3], v[4]));
        RP_TRY(json_str(b, why));
        return rpi_buf_printf(b,
                              ",\"similarity\":%.4f,\"differences\":%u,\"event\":%.4f,"
                              "\"specifics\":%.4f}\n",
                              floor4(p->similarity), p->ndifferences, floor4(p->event),
                              floor4(p->specifics));
    }
    int (*field)(rpi_buf *, const char *) = fmt == RP_FORMAT_CSV ? csv_field : tsv_field;
    char sep = fmt == RP_FORMAT_CSV ? ',' : '\t';
    RP_TRY(field(b, a));
    RP_TRY(rpi_buf_putc(b, sep));
    RP_TRY(field(b, bb));
    RP_TRY(rpi_buf_printf(b, "%c%s%c%.4f%c%.4f%c%.4f%c%u%c%.4f%c%.4f%c", sep, rel, sep, v[0], sep,
                          v[1], sep, v[2], sep, p->npassages, sep, v[3], sep, v[4], sep));
    RP_TRY(field(b, why));
    return rpi_buf_printf(b, "%c%u%c%.4f%c%.4f\n", sep, p->ndifferences, sep, floor4(p->event),
                          sep, floor4(p->specifics));
}

int rp_corpus_write_pairs(rp_corpus *c, FILE *f, rp_format fmt)
{
    rpi_buf b = {0};
    int rc = RP_OK;
    static const char cols[] =
        "a,b,relation,jaccard,containment_a,containment_b,passages,coverage_a,coverage_b,why,"
        "differences,event,specifics\n";
    if (fmt == RP_FORMAT_TSV) {
        rc = rpi_buf_append(&b, cols, sizeof cols - 1);
        for (size_t i = 0; i < b.len; i++)
            if (b.data[i] == ',')
                b.data[i] = '\t';
    } else if (fmt == RP_FORMAT_CSV) {
        rc = rpi_buf_append(&b, cols, sizeof cols - 1);
    }
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

/* One JSONL line per cluster of cl, with its level. */
static int write_level(rp_corpus *c, const rpi_clusters *cl, const char *level, rpi_buf *b,
                       FILE *f)
{
    int rc = RP_OK;
    for (size_t k = 0; rc == RP_OK && k < cl->n; k++) {
        rc = rpi_buf_printf(b, "{\"id\":%zu,\"level\":\"%s\",\"members\":[", k + 1, level);
        for (size_t i = cl->start[k]; rc == RP_OK && i < cl->start[k + 1]; i++) {
            if (i > cl->start[k])
                rc = rpi_buf_putc(b, ',');
            if (rc == RP_OK)
                rc = json_str(b, rp_doc_id(c, cl->members[i]));
        }
        if (rc == RP_OK)
            rc = rpi_buf_append(b, "],\"representative\":", 19);
        if (rc == RP_OK)
            rc = json_str(b, rp_doc_id(c, cl->rep[k]));
        if (rc == RP_OK)
            rc = rpi_buf_append(b, "}\n", 2);
        if (rc == RP_OK)
            rc = flush(b, f, 0);
    }
    if (rc == RP_OK)
        rc = flush(b, f, 1);
    return rc;
}

int rp_corpus_write_clusters(rp_corpus *c, FILE *f)
{
    rpi_buf b = {0};
    int rc = write_level(c, &c->cl, "copies", &b, f);
    if (rc == RP_OK)
        rc = write_level(c, &c->st, "story", &b, f);
    rpi_buf_free(&b);
    return rc;
}

int rp_corpus_write_stories(rp_corpus *c, FILE *f)
{
    rpi_buf b = {0};
    int rc = write_level(c, &c->st, "story", &b, f);
    rpi_buf_free(&b);
    return rc;
}

int rp_corpus_write_timelines(rp_corpus *c, FILE *f)
{
    rpi_buf b = {0};
    int rc = RP_OK;
    for (size_t k = 0; rc == RP_OK && k < c->tl.n; k++) {
        rc = rpi_buf_printf(&b, "{\"id\":%zu,\"events\":[", k + 1);
        for (size_t i = 0; rc == RP_OK && i < c->tl.start[k + 1] - c->tl.start[k]; i++) {
            rp_event e;
            rp_corpus_event(c, k, i, &e);
            if (e.story == RP_NO_STORY)
                rc = rpi_buf_printf(&b, "%s{\"story\":null,\"members\":[", i ? "," : "");
            else
                rc = rpi_buf_printf(&b, "%s{\"story\":%zu,\"members\":[", i ? "," : "",
                                    e.story + 1);
            const uint32_t *m = &e.doc;
            size_t nm = 1;
            uint32_t rep;
            if (e.story != RP_NO_STORY)
                rp_corpus_story(c, e.story, &m, &nm, &rep);
            for (size_t j = 0; rc == RP_OK && j < nm; j++) {
                if (j)
                    rc = rpi_buf_putc(&b, ',');
                if (rc == RP_OK)
                    rc = json_str(&b, rp_doc_id(c, m[j]));
            }
            if (rc == RP_OK)
                rc = e.first[0] ? rpi_buf_printf(&b, "],\"first\":\"%s\",\"last\":\"%s\"}",
                                                 e.first, e.last)
                                : rpi_buf_printf(&b, "],\"first\":null,\"last\":null}");
        }
        if (rc == RP_OK)
            rc = rpi_buf_append(&b, "]}\n", 3);
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
    for (size_t i = 0; i < c->in.n; i++)
        if (c->in.v[i].framed) {
            rpi_fmt(c->err, sizeof c->err, "%s: framed records cannot be written back as "
                    "JSON lines (rp_corpus_add_records)", c->in.v[i].name);
            return RP_EINVAL;
        }
    const char *once = rpi_inputs_unrereadable(&c->in);
    if (once) {
        rpi_fmt(c->err, sizeof c->err, "%s cannot be read a second time (no copy was kept)",
                once);
        return RP_EINVAL;
    }
    /* A divided run with local inputs: this rank's own documents, by pass-1 numbers. */
    const int local = c->lk.on;
    const size_t ndocs = local ? c->lk.ndocs : c->ndocs, nbad = local ? c->lk.nbad : c->nbad;
    const uint64_t *bad_seq = local ? c->lk.bad_seq : c->bad_seq;
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
            if (bi < nbad && bad_seq[bi] == seq) {
                bi++;
                continue;
            }
            if (d >= ndocs ||
                (local ? c->lk.rec_len[d] : c->docs[d].rec_len) != batch.rec[i].len ||
                (local ? c->lk.input[d] : c->docs[d].input) != batch.rec[i].input) {
                char place[600];
                rpi_record_place(&c->in, &batch.rec[i], place, sizeof place);
                rpi_fmt(c->err, sizeof c->err,
                        "%s: the input changed while reprint was reading it", place);
                rc = RP_EBADINPUT;
                break;
            }
            if (local ? !c->lk.keep[d] : rp_doc_removed(c, d, NULL, NULL) == 1) {
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
    if (rc == RP_OK && d != ndocs)
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


/*
 * Passages and differences are both a pair of byte ranges in two documents,
 * written with the bytes they cover: one writer serves both, reading each
 * text back once per run of rows with the same document.
 */
typedef struct span_row {
    uint32_t a, b; /* documents */
    uint32_t a_start, a_end, b_start, b_end; /* bytes */
    double score; /* passages: score; differences: unused */
    const char *kind; /* differences: kind; passages: NULL */
} span_row;

static int write_spans(rp_corpus *c, FILE *f, size_t n, void (*get)(const rp_corpus *, size_t,
                                                                   span_row *))
{
    rpi_buf b = {0};
    char *t[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    uint32_t doc[2] = {UINT32_MAX, UINT32_MAX};
    int rc = RP_OK;
    for (size_t i = 0; rc == RP_OK && i < n; i++) {
        span_row r;
        get(c, i, &r);
        const uint32_t want[2] = {r.a, r.b};
        for (int k = 0; k < 2; k++)
            if (want[k] != doc[k]) {
                rp_free(t[k]);
                t[k] = NULL;
                doc[k] = UINT32_MAX;
                RP_CHECK(rp_doc_text(c, want[k], &t[k], &len[k]));
                doc[k] = want[k];
            }
        if (r.a_end > len[0] || r.b_end > len[1] || r.a_start > r.a_end || r.b_start > r.b_end) {
            rc = RP_EINTERNAL;
            goto fail;
        }
        RP_CHECK(rpi_buf_append(&b, "{\"a\":", 5));
        RP_CHECK(json_str(&b, rp_doc_id(c, r.a)));
        RP_CHECK(rpi_buf_append(&b, ",\"b\":", 5));
        RP_CHECK(json_str(&b, rp_doc_id(c, r.b)));
        RP_CHECK(rpi_buf_printf(&b, ",\"a_start\":%u,\"a_end\":%u,\"b_start\":%u,\"b_end\":%u,",
                                r.a_start, r.a_end, r.b_start, r.b_end));
        if (!r.kind)
            RP_CHECK(rpi_buf_printf(&b, "\"score\":%.4f,", floor4(r.score)));
        RP_CHECK(rpi_buf_append(&b, r.kind ? "\"a_text\":" : "\"text_a\":", 9));
        RP_CHECK(rpi_json_escape(&b, t[0] + r.a_start, r.a_end - r.a_start));
        RP_CHECK(rpi_buf_append(&b, r.kind ? ",\"b_text\":" : ",\"text_b\":", 10));
        RP_CHECK(rpi_json_escape(&b, t[1] + r.b_start, r.b_end - r.b_start));
        if (r.kind)
            RP_CHECK(rpi_buf_printf(&b, ",\"kind\":\"%s\"", r.kind));
        RP_CHECK(rpi_buf_append(&b, "}\n", 2));
        RP_CHECK(flush(&b, f, 0));
    }
    rc = flush(&b, f, 1);
fail:
    rp_free(t[0]);
    rp_free(t[1]);
    rpi_buf_free(&b);
    return rc;
}

static void passage_row(const rp_corpus *c, size_t i, span_row *r)
{
    const rp_passage *p = &c->pass[i];
    *r = (span_row){p->a, p->b, p->a_start, p->a_end, p->b_start, p->b_end, p->score, NULL};
}

static void difference_row(const rp_corpus *c, size_t i, span_row *r)
{
    const rp_difference *d = &c->diff[i];
    *r = (span_row){d->a, d->b, d->a_start, d->a_end, d->b_start, d->b_end, 0, d->kind};
}

int rp_corpus_write_passages(rp_corpus *c, FILE *f)
{
    return write_spans(c, f, c->npass, passage_row);
}

int rp_corpus_write_differences(rp_corpus *c, FILE *f)
{
    return write_spans(c, f, c->ndiff, difference_row);
}
