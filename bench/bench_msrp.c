/* SPDX-License-Identifier: MIT */
/*
 * bench_msrp.c -- where passage alignment of reworded sentences starts and
 * stops, on the Microsoft Research Paraphrase Corpus.
 *
 *   build/bench/bench_msrp [DIR]     (DIR defaults to ../shared/evaldata/msrp)
 *
 * Reads DIR/docs.jsonl ({"id", "text"}) and DIR/pairs.jsonl ({"a", "b",
 * "paraphrase": 0/1}), tokenizes each sentence, aligns every pair with
 * rpi_align() and prints, separately for paraphrase and non-paraphrase
 * pairs: how many get at least one passage, and the distribution (mean,
 * quartiles) of the min-side coverage (bytes in passages over text bytes,
 * the smaller of the two sides) over all pairs and over pairs with a
 * passage, plus the same for the passage score. MSRP sentences are about 20
 * words, so this shows how much rewording one sentence can take before the
 * aligner no longer calls it shared. A measurement, never a test.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "normalize.h"

static void die(const char *m)
{
    fprintf(stderr, "bench_msrp: %s\n", m);
    exit(1);
}

/* One sentence. */
typedef struct sent {
    char *id; /* MSRP id */
    char *text; /* the sentence */
    size_t len; /* its bytes */
    rpi_token *tok; /* its tokens */
    size_t ntok; /* their number */
} sent;

static sent *sents;
static size_t nsent, capsent;

static int cmp_sent(const void *x, const void *y)
{
    return strcmp(((const sent *)x)->id, ((const sent *)y)->id);
}

static sent *find(const char *id)
{
    sent key = {0};
    key.id = (char *)(uintptr_t)id;
    return bsearch(&key, sents, nsent, sizeof *sents, cmp_sent);
}

/* Read a JSONL file line by line, calling fn on each object. */
static void each_line(const char *path, void (*fn)(json_t *, void *), void *arg)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "bench_msrp: cannot open %s\n", path);
        exit(1);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) > 0) {
        json_error_t err;
        json_t *o = json_loadb(line, (size_t)got, 0, &err);
        if (!json_is_object(o))
            die("bad JSON line");
        fn(o, arg);
        json_decref(o);
    }
    free(line);
    fclose(f);
}

static void add_doc(json_t *o, void *arg)
{
    rpi_tokctx *tc = arg;
    const char *id = json_string_value(json_object_get(o, "id"));
    json_t *t = json_object_get(o, "text");
    if (!id || !json_is_string(t))
        die("doc without id or text");
    if (nsent == capsent) {
        capsent = capsent ? 2 * capsent : 1024;
        sents = realloc(sents, capsent * sizeof *sents);
        if (!sents)
            die("out of memory");
    }
    sent *s = &sents[nsent++];
    s->id = strdup(id);
    s->len = json_string_length(t);
    s->text = malloc(s->len + 1);
    if (!s->id || !s->text)
        die("out of memory");
    memcpy(s->text, json_string_value(t), s->len + 1);
    size_t bad;
    if (rpi_tokenize(tc, s->text, s->len, &bad) != RP_OK)
        die("tokenize failed");
    s->ntok = tc->ntok;
    s->tok = malloc((tc->ntok + 1) * sizeof *s->tok);
    if (!s->tok)
        die("out of memory");
    memcpy(s->tok, tc->tok, tc->ntok * sizeof *s->tok);
}

/* Figures of one class of pairs. */
typedef struct stats {
    size_t n, with; /* pairs, pairs with a passage */
    double *cov; /* min-side coverage of each pair */
    double *covw; /* the same, pairs with a passage only */
    double *score; /* best passage score of pairs with a passage */
} stats;

typedef struct run {
    rpi_alignctx ctx; /* aligner scratch */
    stats st[2]; /* [paraphrase] */
} run;

static void add_pair(json_t *o, void *arg)
{
    run *r = arg;
    sent *a = find(json_string_value(json_object_get(o, "a")));
    sent *b = find(json_string_value(json_object_get(o, "b")));
    json_t *lab = json_object_get(o, "paraphrase");
    if (!a || !b || !json_is_integer(lab))
        die("pair with an unknown sentence or no label");
    stats *st = &r->st[json_integer_value(lab) != 0];
    if (rpi_align(&r->ctx, a->tok, a->ntok, b->tok, b->ntok) != RP_OK)
        die("rpi_align failed");
    size_t ba = 0, bb = 0;
    double best = 0;
    for (size_t k = 0; k < r->ctx.npass; k++) {
        const rpi_passage *p = &r->ctx.pass[k];
        ba += p->a_end - p->a_start;
        bb += p->b_end - p->b_start;
        best = p->score > best ? p->score : best;
    }
    double ca = a->len ? (double)ba / (double)a->len : 0;
    double cb = b->len ? (double)bb / (double)b->len : 0;
    double c = ca < cb ? ca : cb;
    st->cov = realloc(st->cov, (st->n + 1) * sizeof *st->cov);
    st->covw = realloc(st->covw, (st->with + 1) * sizeof *st->covw);
    st->score = realloc(st->score, (st->with + 1) * sizeof *st->score);
    if (!st->cov || !st->covw || !st->score)
        die("out of memory");
    st->cov[st->n++] = c;
    if (r->ctx.npass) {
        st->covw[st->with] = c;
        st->score[st->with++] = best;
    }
}

static int cmp_double(const void *x, const void *y)
{
    double p = *(const double *)x, q = *(const double *)y;
    return p < q ? -1 : p > q;
}

/* "mean 0.52  q1 0.30  median 0.55  q3 0.74" of v[0..n). */
static void dist(const char *what, double *v, size_t n)
{
    if (n == 0) {
        printf("    %-28s (none)\n", what);
        return;
    }
    qsort(v, n, sizeof *v, cmp_double);
    double sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += v[k];
    printf("    %-28s mean %.3f  q1 %.3f  median %.3f  q3 %.3f  (n=%zu)\n", what, sum / (double)n,
           v[n / 4], v[n / 2], v[(3 * n) / 4], n);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "../shared/evaldata/msrp";
    char path[4096];
    rpi_tokctx tc = {0};
    snprintf(path, sizeof path, "%s/docs.jsonl", dir);
    each_line(path, add_doc, &tc);
    qsort(sents, nsent, sizeof *sents, cmp_sent);
    run r;
    memset(&r, 0, sizeof r);
    snprintf(path, sizeof path, "%s/pairs.jsonl", dir);
    each_line(path, add_pair, &r);
    printf("MSRP: %zu sentences, %zu pairs\n", nsent, r.st[0].n + r.st[1].n);
    static const char *name[2] = {"non-paraphrase", "paraphrase"};
    for (int k = 1; k >= 0; k--) {
        stats *st = &r.st[k];
        printf("  %s pairs: %zu, with a passage: %zu (%.1f%%)\n", name[k], st->n, st->with,
               st->n ? 100.0 * (double)st->with / (double)st->n : 0.0);
        dist("min-side coverage, all", st->cov, st->n);
        dist("min-side coverage, aligned", st->covw, st->with);
        dist("best passage score", st->score, st->with);
        free(st->cov);
        free(st->covw);
        free(st->score);
    }
    for (size_t k = 0; k < nsent; k++) {
        free(sents[k].id);
        free(sents[k].text);
        free(sents[k].tok);
    }
    free(sents);
    rpi_alignctx_free(&r.ctx);
    rpi_tokctx_free(&tc);
    return 0;
}
