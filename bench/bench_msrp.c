/* SPDX-License-Identifier: MIT */
/*
 * bench_msrp.c -- where passage alignment of reworded sentences starts and
 * stops, on the Microsoft Research Paraphrase Corpus.
 *
 *   build/bench/bench_msrp [DIR]     (DIR defaults to ../shared/evaldata/msrp)
 *
 * Reads DIR/docs.jsonl ({"id", "text"}) and DIR/pairs.jsonl ({"a", "b",
 * "paraphrase": 0/1}), tokenizes each sentence, and twice, with the aligner
 * alone and with rpi_align_reworded() after it (IDF over the sentences, the
 * scan's passage edges and significance rule applied), prints for the
 * paraphrase pairs, the first sentence of each pair against a random other
 * one, and the non-paraphrase pairs: how many get at least one passage, and
 * the distribution (mean, quartiles) of the min-side coverage (bytes in
 * passages over text bytes, the smaller of the two sides) over all pairs
 * and over pairs with a passage, plus the same for the passage score; then
 * each paraphrase pair spliced between 3 unrelated sentences a side, with
 * byte recall and precision of the passages against the pair's own bytes.
 * MSRP sentences are about 20 words, so this shows how much rewording one
 * sentence can take before it is no longer called shared. A measurement,
 * never a test.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "furniture.h"
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

/* One text as the scan sees it: tokens, sentence numbers, content keys. */
typedef struct text {
    char *s;
    size_t len;
    rpi_token *tok;
    size_t ntok;
    uint32_t *sent;
    uint64_t *key;
    float *w; /* IDF of each content word over the MSRP sentences */
} text;

/* Document frequency of content words over the sentences: an open-addressing table. */
#define DF_SLOTS (1u << 18)
static uint64_t df_key[DF_SLOTS];
static uint32_t df_n[DF_SLOTS];

static uint32_t *df_slot(uint64_t k)
{
    size_t i = (size_t)(k ^ (k >> 29)) & (DF_SLOTS - 1);
    while (df_key[i] && df_key[i] != k)
        i = (i + 1) & (DF_SLOTS - 1);
    df_key[i] = k;
    return &df_n[i];
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

/* Tokenize s[0..len) (taken over) and number its sentences as the scan does. */
static void text_of(rpi_tokctx *tc, char *s, size_t len, text *t)
{
    size_t bad;
    if (rpi_tokenize(tc, s, len, &bad) != RP_OK)
        die("tokenize failed");
    t->s = s;
    t->len = len;
    t->ntok = tc->ntok;
    t->tok = xmalloc((t->ntok + 1) * sizeof *t->tok);
    memcpy(t->tok, tc->tok, t->ntok * sizeof *t->tok);
    t->sent = xmalloc((t->ntok + 1) * sizeof *t->sent);
    t->key = xmalloc((t->ntok + 1) * sizeof *t->key);
    t->w = xmalloc((t->ntok + 1) * sizeof *t->w);
    uint32_t k = 0;
    for (size_t i = 0; i < t->ntok; i++) {
        if (i > 0 && rpi_ends_sentence(s + t->tok[i - 1].end, s + t->tok[i].start))
            k++;
        t->sent[i] = k;
        if (!rpi_content_key(s, t->tok, t->ntok, i, &t->key[i]))
            t->key[i] = 0;
        /* IDF as the scan weighs it (ln N / df), df at least 1. */
        uint32_t df = t->key[i] ? *df_slot(t->key[i]) : 0;
        t->w[i] = t->key[i] ? (float)log((double)nsent / (df ? df : 1)) : 0;
    }
}

static void text_free(text *t)
{
    free(t->s);
    free(t->tok);
    free(t->sent);
    free(t->key);
    free(t->w);
}

/*
 * Passages of a and b as the scan reports them: the aligner, then (when
 * reworded) the reworded sentences, each passage's edges, and only those
 * worth reporting. Returns their number; the passages stay in ctx->pass.
 */
static size_t passages(rpi_alignctx *ctx, const text *a, const text *b, int reworded)
{
    if (rpi_align(ctx, a->tok, a->ntok, b->tok, b->ntok) != RP_OK)
        die("rpi_align failed");
    const rpi_side sa = {a->s, a->len, a->tok, a->ntok, a->sent};
    const rpi_side sb = {b->s, b->len, b->tok, b->ntok, b->sent};
    if (reworded && rpi_align_reworded(ctx, &sa, a->key, a->w, &sb, b->key, b->w) != RP_OK)
        die("rpi_align_reworded failed");
    size_t n = 0;
    for (size_t k = 0; k < ctx->npass; k++) {
        rpi_passage_edges(&sa, &sb, &ctx->pass[k]);
        if (rpi_passage_significant(&sa, &sb, &ctx->pass[k]))
            ctx->pass[n++] = ctx->pass[k];
    }
    ctx->npass = n;
    return n;
}

typedef struct run {
    rpi_alignctx ctx; /* aligner scratch */
    rpi_tokctx tc; /* tokenizer scratch */
    int reworded; /* with rpi_align_reworded */
    stats st[3]; /* [paraphrase], [2]: random pairs */
    /* Composite documents: bytes of truth, of passages, of passages inside the truth. */
    uint64_t truth, found, inside;
    uint64_t seed; /* of the random choices */
} run;

static char *dup_text(const sent *s)
{
    char *p = xmalloc(s->len + 1);
    memcpy(p, s->text, s->len + 1);
    return p;
}

static void add_stats(stats *st, const rpi_alignctx *ctx, size_t lena, size_t lenb)
{
    size_t ba = 0, bb = 0;
    double best = 0;
    for (size_t k = 0; k < ctx->npass; k++) {
        const rpi_passage *p = &ctx->pass[k];
        ba += p->a_end - p->a_start;
        bb += p->b_end - p->b_start;
        best = p->score > best ? p->score : best;
    }
    double ca = lena ? (double)ba / (double)lena : 0;
    double cb = lenb ? (double)bb / (double)lenb : 0;
    double c = ca < cb ? ca : cb;
    st->cov = realloc(st->cov, (st->n + 1) * sizeof *st->cov);
    st->covw = realloc(st->covw, (st->with + 1) * sizeof *st->covw);
    st->score = realloc(st->score, (st->with + 1) * sizeof *st->score);
    if (!st->cov || !st->covw || !st->score)
        die("out of memory");
    st->cov[st->n++] = c;
    if (ctx->npass) {
        st->covw[st->with] = c;
        st->score[st->with++] = best;
    }
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* A sentence other than x and y, at random. */
static const sent *other(run *r, const sent *x, const sent *y)
{
    for (;;) {
        const sent *s = &sents[next_rand(&r->seed) % nsent];
        if (s != x && s != y)
            return s;
    }
}

#define FILLER 3 /* unrelated sentences before and after the pair's own */

/*
 * One side of a composite: FILLER unrelated sentences, the sentence s, FILLER
 * more, as paragraphs. *t0, *t1: the bytes of s in it.
 */
static char *composite(run *r, const sent *s, const sent *pa, const sent *pb, size_t *len,
                       size_t *t0, size_t *t1)
{
    const sent *parts[2 * FILLER + 1];
    size_t total = 0;
    for (int k = 0; k < 2 * FILLER + 1; k++) {
        parts[k] = k == FILLER ? s : other(r, pa, pb);
        total += parts[k]->len + 2;
    }
    char *p = xmalloc(total + 1);
    size_t n = 0;
    for (int k = 0; k < 2 * FILLER + 1; k++) {
        if (k == FILLER)
            *t0 = n;
        memcpy(p + n, parts[k]->text, parts[k]->len);
        n += parts[k]->len;
        if (k == FILLER)
            *t1 = n;
        p[n++] = '\n';
        p[n++] = '\n';
    }
    p[n] = 0;
    *len = n;
    return p;
}

/* Bytes of [s, e) inside [t0, t1). */
static uint64_t inside(uint32_t s, uint32_t e, size_t t0, size_t t1)
{
    size_t lo = s > t0 ? s : t0, hi = e < t1 ? e : t1;
    return hi > lo ? hi - lo : 0;
}

static void add_pair(json_t *o, void *arg)
{
    run *r = arg;
    sent *a = find(json_string_value(json_object_get(o, "a")));
    sent *b = find(json_string_value(json_object_get(o, "b")));
    json_t *lab = json_object_get(o, "paraphrase");
    if (!a || !b || !json_is_integer(lab))
        die("pair with an unknown sentence or no label");
    int para = json_integer_value(lab) != 0;
    text ta, tb;
    text_of(&r->tc, dup_text(a), a->len, &ta);
    text_of(&r->tc, dup_text(b), b->len, &tb);
    passages(&r->ctx, &ta, &tb, r->reworded);
    add_stats(&r->st[para], &r->ctx, a->len, b->len);
    text_free(&tb);
    /* The first sentence against a random other one. */
    const sent *c = other(r, a, b);
    text_of(&r->tc, dup_text(c), c->len, &tb);
    passages(&r->ctx, &ta, &tb, r->reworded);
    add_stats(&r->st[2], &r->ctx, a->len, c->len);
    text_free(&ta);
    text_free(&tb);
    if (!para)
        return;
    /* The paraphrase pair inside unrelated text on both sides. */
    size_t la, lb, a0, a1, b0, b1;
    char *ca = composite(r, a, a, b, &la, &a0, &a1);
    char *cb = composite(r, b, a, b, &lb, &b0, &b1);
    text_of(&r->tc, ca, la, &ta);
    text_of(&r->tc, cb, lb, &tb);
    passages(&r->ctx, &ta, &tb, r->reworded);
    r->truth += (a1 - a0) + (b1 - b0);
    for (size_t k = 0; k < r->ctx.npass; k++) {
        const rpi_passage *p = &r->ctx.pass[k];
        r->found += (p->a_end - p->a_start) + (p->b_end - p->b_start);
        r->inside += inside(p->a_start, p->a_end, a0, a1) + inside(p->b_start, p->b_end, b0, b1);
    }
    text_free(&ta);
    text_free(&tb);
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
    for (size_t k = 0; k < nsent; k++) { /* document frequencies of content words */
        uint64_t *seen = xmalloc((sents[k].ntok + 1) * sizeof *seen);
        size_t ns = 0;
        for (size_t i = 0; i < sents[k].ntok; i++) {
            uint64_t key;
            if (!rpi_content_key(sents[k].text, sents[k].tok, sents[k].ntok, i, &key))
                continue;
            size_t j = 0;
            while (j < ns && seen[j] != key)
                j++;
            if (j == ns) {
                seen[ns++] = key;
                (*df_slot(key))++;
            }
        }
        free(seen);
    }
    snprintf(path, sizeof path, "%s/pairs.jsonl", dir);
    static const char *name[3] = {"non-paraphrase", "paraphrase", "random"};
    static const char *mode[2] = {"the aligner alone (words in order)",
                                  "the aligner, then reworded sentences (what scan reports)"};
    for (int rw = 0; rw < 2; rw++) {
        run r;
        memset(&r, 0, sizeof r);
        r.reworded = rw;
        r.seed = 0x9E3779B97F4A7C15ULL;
        each_line(path, add_pair, &r);
        printf("MSRP: %zu sentences, %zu pairs; %s\n", nsent, r.st[0].n + r.st[1].n, mode[rw]);
        int order[3] = {1, 0, 2};
        for (int q = 0; q < 3; q++) {
            stats *st = &r.st[order[q]];
            printf("  %s pairs: %zu, with a passage: %zu (%.1f%%)\n", name[order[q]], st->n,
                   st->with, st->n ? 100.0 * (double)st->with / (double)st->n : 0.0);
            dist("min-side coverage, all", st->cov, st->n);
            dist("min-side coverage, aligned", st->covw, st->with);
            dist("best passage score", st->score, st->with);
            free(st->cov);
            free(st->covw);
            free(st->score);
        }
        printf("  composites (each paraphrase pair between %d unrelated sentences a side):\n"
               "    byte recall %.3f  precision %.3f  (truth %llu bytes, passages %llu)\n",
               FILLER, r.truth ? (double)r.inside / (double)r.truth : 0.0,
               r.found ? (double)r.inside / (double)r.found : 0.0, (unsigned long long)r.truth,
               (unsigned long long)r.found);
        rpi_alignctx_free(&r.ctx);
        rpi_tokctx_free(&r.tc);
    }
    for (size_t k = 0; k < nsent; k++) {
        free(sents[k].id);
        free(sents[k].text);
        free(sents[k].tok);
    }
    free(sents);
    rpi_tokctx_free(&tc);
    return 0;
}
