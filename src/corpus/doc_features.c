/* SPDX-License-Identifier: MIT */
/*
 * doc_features.c -- document features (see doc_features.h): counting keys in pass 1,
 * the article view of pass 2, the packed format of the kept features and their
 * loading in pass 3.
 */
#include "doc_features.h"

#include <assert.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"

/*
 * Counter tables: one slot (16 bytes) per 32 bytes of input for lines, per
 * 64 for words, between 2^16 and 2^23 slots (128 MiB). Sized to the input
 * because every lookup is a cache miss once the table outgrows the cache:
 * on the 50 MB evaluation corpus a fixed 2^23-slot table made lookups 16% of
 * all CPU time. Inputs of unknown size (pipes) get the largest tables.
 * Small inputs need a slot for nearly every key (few repeat): a word is
 * about 7 bytes and a line about 60, so a slot per 4 bytes for words and per
 * 16 for lines, from 4,096 slots (less than 2^16 from 256 KiB on). The index
 * runs the pipeline on a few documents per query; a 2^16-slot table (1 MiB,
 * cleared and scanned) was a tenth of a query's time, and a slot per 2 bytes
 * for both tables (1 MiB for a query with 20 candidates) was 256 fresh pages,
 * 31% of a query's page faults at 100,000 indexed documents.
 */
#define RPI_SLOTS_MIN ((size_t)1 << 16)
#define RPI_SLOTS_SMALL ((size_t)1 << 12)
#define RPI_SLOTS_MAX ((size_t)1 << 23)


/* The starting size of a count table: a slot per per bytes, a slot per small
 * bytes for small inputs (it grows to RPI_SLOTS_MAX as keys come: the size
 * changes speed and memory, not results). */
static size_t slots_for(uint64_t bytes, unsigned per, unsigned small)
{
    if (!bytes)
        return RPI_SLOTS_MIN; /* unknown (a pipe, an application's reader) */
    uint64_t n = bytes / per, min = bytes / small;
    if (min > RPI_SLOTS_MIN)
        min = RPI_SLOTS_MIN;
    if (min < RPI_SLOTS_SMALL)
        min = RPI_SLOTS_SMALL;
    return n < min ? (size_t)min : n > RPI_SLOTS_MAX ? RPI_SLOTS_MAX : (size_t)n;
}

/*
 * The largest size of a count table while pass 1 counts: RPI_SLOTS_MAX, or
 * fewer slots with the test hook REPRINT_TEST_COUNT_SLOTS=N (tests make the
 * tables spill on a small corpus: tests/cli/scan_counts_spill.sh).
 */
static size_t pass1_slots_max(void)
{
    const char *e = getenv("REPRINT_TEST_COUNT_SLOTS");
    long long n = e && *e ? atoll(e) : 0;
    return n > 0 && (size_t)n < RPI_SLOTS_MAX ? (size_t)n : RPI_SLOTS_MAX;
}

int rpi_features_counts_open(rp_corpus *c, uint64_t input_bytes)
{
    size_t max = pass1_slots_max(), lines = slots_for(input_bytes, 32, 16),
           terms = slots_for(input_bytes, 64, 4);
    RP_TRY(rpi_counts_init(&c->lines, lines < max ? lines : max, max));
    return rpi_counts_init(&c->terms, terms < max ? terms : max, max);
}

void rpi_features_counts_errmsg(rp_corpus *c, const rpi_counter *t, int rc)
{
    if (rc != RP_EIO)
        return;
    const char *dir = getenv("TMPDIR");
    rpi_fmt(c->err, sizeof c->err, "cannot %s the temporary counts in %s: %s",
            t->err == RP_EIO ? "write" : "read", dir && *dir ? dir : "/tmp",
            t->errnum ? strerror(t->errnum) : "I/O error");
}

int rpi_features_counts_settle(rp_corpus *c, rpi_counts *t, rpi_count_fn fn, void *ctx)
{
    for (int k = 0; k < RPI_SHARDS; k++) {
        int rc = rpi_counter_settle(&t->shard[k], RPI_SLOTS_MAX / RPI_SHARDS, fn, ctx);
        if (rc != RP_OK) {
            rpi_features_counts_errmsg(c, &t->shard[k], rc);
            return rc;
        }
    }
    return RP_OK;
}

void rpi_linescratch_free(rpi_linescratch *ls)
{
    rpi_free(ls->lines);
    rpi_free(ls->keys);
    rpi_free(ls->tmp.v);
    memset(ls, 0, sizeof *ls);
}

/* Can the token be a specific (a figure, or a name wherever it stands)? */
static int maybe_specific(const char *text, const rpi_token *t)
{
    return rpi_has_digit(text, t) || rpi_starts_upper(text, t);
}

/*
 * The keys a document contributes to the counts, appended to out (one
 * uint64 count of line keys, then the line keys, then the word keys, each
 * list without repeats). Workers compute them; rpi_features_count adds them in
 * input order, so that the counts, and which keys a full table refuses, do
 * not depend on thread timing.
 */
int rpi_features_keys(rpi_linescratch *ls, const char *text, size_t len, const rpi_token *tok,
                   size_t ntok, uint64_t srckey, rpi_buf *out, size_t *nkeys)
{
    rpi_line *ln = ls->lines;
    size_t nl = 0;
    int rc = rpi_lines(text, len, tok, ntok, &ln, &nl, &ls->caplines);
    ls->lines = ln;
    RP_TRY(rc);
    size_t nk = 0;
    RP_TRY(rpi_grow((void **)&ls->keys, &ls->capkeys, 4 * nl + 2 + 2 * ntok, sizeof *ls->keys));
    RP_TRY(rpi_furniture_keys(ln, nl, srckey, ls->keys, &nk, &ls->tmp.v, &ls->tmp.cap));
    /* Content words, once per document, and the words that may be specifics
     * (names and figures, rpi_specific_kind; whether a capitalised word
     * opens its sentence is decided later): their IDF weighs the evidence. */
    size_t nw = 0;
    uint64_t *w = ls->keys + nk;
    for (size_t i = 0; i < ntok; i++) {
        if (rpi_content_key(text, tok, ntok, i, &w[nw]))
            nw++;
        if (maybe_specific(text, &tok[i]))
            w[nw++] = tok[i].hash;
    }
    RP_TRY(rpi_sort_distinct(w, nw, &ls->tmp.v, &ls->tmp.cap, &nw));
    uint64_t head = nk;
    RP_TRY(rpi_buf_append(out, &head, sizeof head));
    RP_TRY(rpi_buf_append(out, ls->keys, (nk + nw) * sizeof *ls->keys));
    *nkeys = 1 + nk + nw;
    return RP_OK;
}

/* Add the keys of one shard of counting keys (rpi_features_keys) to a table. */
static void count_shard(rpi_counter *t, const uint64_t *k, size_t n, size_t shard)
{
    /* Each addition is a cache miss in a large table: ask for the slots a few
     * keys ahead (the one thread that added spent 6% of a scan waiting). */
    enum { AHEAD = 8 };
    for (size_t i = 0; i < n; i++) {
        if (rpi_counts_shard(k[i]) != shard)
            continue;
        if (i + AHEAD < n && rpi_counts_shard(k[i + AHEAD]) == shard)
            rpi_counter_prefetch(t, k[i + AHEAD]);
        rpi_counter_add(t, k[i], 1);
    }
}

void rpi_features_count(rp_corpus *c, const uint64_t *keys, size_t nkeys, size_t shard)
{
    if (!nkeys)
        return;
    size_t nl = (size_t)keys[0];
    count_shard(&c->lines.shard[shard], keys + 1, nl, shard);
    count_shard(&c->terms.shard[shard], keys + 1 + nl, nkeys - 1 - nl, shard);
}

void rpi_view_free(rpi_view *v)
{
    rpi_free(v->text);
    rpi_tokctx_free(&v->tok);
    rpi_free(v->lines);
    rpi_free(v->kind);
    rpi_free(v->lkey);
    rpi_free(v->art);
    rpi_free(v->sent);
    rpi_free(v->sentlen);
    rpi_free(v->set);
    rpi_free(v->sorttmp.v);
    rpi_free(v->content);
    rpi_free(v->stem);
    rpi_free(v->terms);
    rpi_free(v->tdf);
    rpi_free(v->specs);
    rpi_free(v->spec);
    rpi_free(v->head);
    rpi_free(v->eterms);
    rpi_free(v->headterms);
    rpi_free(v->figkey);
    rpi_free(v->runkey);
    rpi_free(v->valkey);
    rpi_free(v->lead);
    rpi_free(v->hl);
    rpi_free(v->figs);
    rpi_free(v->sentfig);
    rpi_free(v->scratch.v);
    rpi_free(v->pack);
    memset(v, 0, sizeof *v);
}

uint64_t rpi_doc_source(const rp_corpus *c, uint32_t d)
{
    return c->docs[d].src;
}

static int read_text(rp_corpus *c, uint32_t d, char **buf, size_t *cap)
{
    size_t n = c->docs[d].text_len;
    RP_TRY(rpi_grow((void **)buf, cap, n + 1, 1));
    if (rpi_doc_read_text(c, d, *buf) != RP_OK)
        return RP_EIO;
    (*buf)[n] = 0;
    return RP_OK;
}

/* Is the gap between tokens a and b the point inside a number ("11.30pm",
 * "1.12", German and Turkish "10.000")? It ends no sentence: split there, the
 * figure after it would be read as two, the first closing a sentence. */
static int number_point(const char *text, const rpi_token *a, const rpi_token *b)
{
    return b->start == a->end + 1 && text[a->end] == '.' && text[a->end - 1] >= '0' &&
           text[a->end - 1] <= '9' && text[b->start] >= '0' && text[b->start] <= '9';
}

/* Number the sentences of the article tokens: a sentence ends at sentence
 * punctuation or a line break between two tokens (not at a number's point). */
static int sentences(rpi_view *v)
{
    RP_TRY(rpi_grow((void **)&v->sent, &v->capsent, v->nart + 1, sizeof *v->sent));
    RP_TRY(rpi_grow((void **)&v->sentlen, &v->capsentlen, v->nart + 1, sizeof *v->sentlen));
    uint32_t k = 0;
    for (size_t i = 0; i < v->nart; i++) {
        if (i > 0 && rpi_ends_sentence(v->text + v->art[i - 1].end, v->text + v->art[i].start) &&
            !number_point(v->text, &v->art[i - 1], &v->art[i]))
            k++;
        if (i == 0 || v->sent[i - 1] != k)
            v->sentlen[k] = 0;
        v->sent[i] = k;
        v->sentlen[k]++;
    }
    return RP_OK;
}

/* The shingle set of document d (stored sorted, without repeats, unless fast). */
static int load_set(rp_corpus *c, rpi_view *v, uint32_t d)
{
    const rpi_setref *r = &c->docs[d].set;
    RP_TRY(rpi_grow((void **)&v->set, &v->capset, (size_t)r->n + 1, sizeof *v->set));
    if (rpi_doc_read_set(c, d, v->set) != RP_OK)
        return RP_EIO;
    v->nset = r->n;
    return RP_OK;
}

/* rpi_idf(c->ndocs, df), from a table for the common small counts, each
 * computed the first time it is read (filling the table when the features
 * were opened took 1,024 logarithms a run, 2% of an index query's time).
 * Threads may compute one entry at once: they store the same bits. */
double rpi_idf_of(const rp_corpus *c, uint32_t df)
{
    uint64_t n = c->hooks.ndocs ? c->hooks.ndocs : c->ndocs;
    if (df >= RPI_IDF_TABLE || !c->idf)
        return rpi_idf(n, df);
    uint64_t *slot = &c->idf[df], bits = __atomic_load_n(slot, __ATOMIC_RELAXED);
    double v;
    if (bits) {
        memcpy(&v, &bits, sizeof v);
        return v;
    }
    v = rpi_idf(n, df); /* >= 1: its bits are never 0 */
    memcpy(&bits, &v, sizeof bits);
    __atomic_store_n(slot, bits, __ATOMIC_RELAXED);
    return v;
}

/* Weigh the terms t[0..n) with the run's document frequencies, the
 * frequencies into df when not NULL: terms_of for the terms of a text,
 * rpi_features_adopt for those of features computed before. */
static void reweigh(const rp_corpus *c, rpi_term *t, size_t n, uint32_t *df)
{
    for (size_t i = 0; i < n && i < 8; i++)
        rpi_counts_prefetch(&c->terms, t[i].hash);
    for (size_t i = 0; i < n; i++) {
        if (i + 8 < n)
            rpi_counts_prefetch(&c->terms, t[i + 8].hash);
        uint32_t f = rpi_counts_get(&c->terms, t[i].hash);
        if (df)
            df[i] = f;
        t[i].idf = (float)rpi_idf_of(c, f);
    }
}

/*
 * Term vector of the word hashes h[0..n) (sorted here): distinct words with
 * their frequency and IDF, into *out.
 */
static int terms_of(const rp_corpus *c, uint64_t *h, size_t n, rpi_term **out, size_t *nout,
                    size_t *cap, rpi_sortbuf *tmp, uint32_t **dfs, size_t *capdfs)
{
    RP_TRY(rpi_sort_u64(h, n, &tmp->v, &tmp->cap));
    size_t m = n > 0;
    for (size_t i = 1; i < n; i++)
        m += h[i] != h[i - 1];
    /* Sized to the distinct words: a long text has far fewer than words. */
    if (dfs)
        RP_TRY(rpi_grow((void **)dfs, capdfs, m + 1, sizeof **dfs));
    RP_TRY(rpi_grow((void **)out, cap, m + 1, sizeof **out));
    m = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && h[j] == h[i])
            j++;
        (*out)[m++] = (rpi_term){h[i], (uint32_t)(j - i), 0};
        i = j;
    }
    reweigh(c, *out, m, dfs ? *dfs : NULL);
    *nout = m;
    return RP_OK;
}

/* v->eterms: the article's terms with the headline's words added (only those
 * need their document frequency looked up). */
static int merge_headline(rpi_view *v)
{
    size_t nht = v->nheadterms;
    RP_TRY(rpi_grow((void **)&v->eterms, &v->capeterms, v->nterms + nht + 1, sizeof *v->eterms));
    const rpi_term *ht = v->headterms;
    size_t i = 0, j = 0, m = 0;
    while (i < v->nterms || j < nht) {
        if (j == nht || (i < v->nterms && v->terms[i].hash < ht[j].hash)) {
            v->eterms[m++] = v->terms[i++];
        } else if (i == v->nterms || ht[j].hash < v->terms[i].hash) {
            v->eterms[m++] = ht[j++];
        } else {
            v->eterms[m] = v->terms[i++];
            v->eterms[m++].tf += ht[j++].tf;
        }
    }
    v->neterms = m;
    return RP_OK;
}

static int with_headline(const rp_corpus *c, rpi_view *v)
{
    RP_TRY(terms_of(c, v->head, v->nhead, &v->headterms, &v->nheadterms, &v->capheadterms,
                    &v->sorttmp, NULL, NULL));
    return merge_headline(v);
}

/* Specifics (names and figures) of v's article text: which tokens, and their term vector. */
static int specifics(const rp_corpus *c, rpi_view *v, rpi_sortbuf *tmp)
{
    RP_TRY(rpi_grow((void **)&v->spec, &v->capspec, v->nart + 1, 1));
    RP_TRY(rpi_grow((void **)&tmp->v, &tmp->cap, v->nart + 1, sizeof *tmp->v));
    size_t nh = 0;
    v->nnames = v->nfigtok = 0;
    for (size_t t = 0; t < v->nart;) {
        size_t t1 = t;
        int lower = 0;
        for (; t1 < v->nart && v->sent[t1] == v->sent[t]; t1++)
            lower = lower || rpi_has_lower(v->text, &v->art[t1]);
        for (size_t i = t; i < t1; i++) {
            int k = rpi_specific_kind(v->text, v->art, v->sent, i, !lower);
            v->spec[i] = (uint8_t)k;
            v->nnames += k == RPI_SPEC_NAME;
            v->nfigtok += k == RPI_SPEC_FIGURE;
            if (k != RPI_SPEC_NONE)
                tmp->v[nh++] = v->art[i].hash;
        }
        t = t1;
    }
    RP_TRY(rpi_grow((void **)&v->runkey, &v->caprunkey, v->nart + 1, sizeof *v->runkey));
    memset(v->runkey, 0, v->nart * sizeof *v->runkey);
    for (size_t i = 0; i < v->nart;)
        if (v->spec[i] == RPI_SPEC_FIGURE)
            i = rpi_figure_run(v->text, v->art, v->spec, v->nart, i, &v->runkey[i]);
        else
            i++;
    v->facts = v->figsread = 0;
    return terms_of(c, tmp->v, nh, &v->specs, &v->nspecs, &v->capspecs, &v->sorttmp, NULL,
                    NULL);
}

/* Is the figure run at token i a year standing alone ("in 2018", "since
 * 2017"): one token of four digits from 1800 to 2100, as facts.c reads a
 * year? Reports of one event cite other years of their background; a year
 * fills no slot of the event (the values compared, figures_of, leave years
 * out too). */
static int year_alone(const rpi_view *v, size_t i)
{
    const rpi_token *t = &v->art[i];
    if (t->end - t->start != 4 || (i + 1 < v->nart && v->spec[i + 1] == RPI_SPEC_FIGURE &&
                                   v->art[i + 1].start == t->end + 1 && v->text[t->end] &&
                                   strchr(".,/-:", v->text[t->end])))
        return 0;
    unsigned y = 0;
    for (uint32_t k = t->start; k < t->end; k++) {
        if (v->text[k] < '0' || v->text[k] > '9')
            return 0;
        y = y * 10 + (unsigned)(v->text[k] - '0');
    }
    return y >= 1800 && y <= 2100;
}

/*
 * A news text names its event in its headline and its lede (the first
 * sentences: who, what, where): the headline's words and the names and
 * figures of its first RPI_LEAD_SENTENCES sentences, the headline counted
 * (set apart or written as the text's first line: the title and two
 * sentences), and of its first RPI_LEAD_WORDS words whatever the sentences
 * (an abbreviation, "U.S.", or a hard-wrapped wire line cuts a sentence
 * short; a lede runs 25 to 40 words). Two reports of one event name one of
 * its actors, places or figures there; two events on one subject lead with
 * their own.
 */
#define RPI_LEAD_SENTENCES 3
#define RPI_LEAD_WORDS 50

static int in_lead(const rpi_view *v, size_t i)
{
    return v->sent[i] + (v->nhead > 0) < RPI_LEAD_SENTENCES || i < RPI_LEAD_WORDS;
}

/* Is token i a day of the month written beside its month ("April 9", "9 April")? */
static int date_day(const rpi_view *v, size_t i)
{
    return v->spec[i] == RPI_SPEC_FIGURE &&
           ((i > 0 && rpi_day_word(v->text, &v->art[i - 1]) == RPI_DAY_MONTH) ||
            (i + 1 < v->nart && rpi_day_word(v->text, &v->art[i + 1]) == RPI_DAY_MONTH));
}

/* v->lead: the specifics of v's headline and lede, names and words by stem
 * (low bit clear), figure runs as written (low bit set; years left out, as
 * from the slots), sorted, distinct. A headline's words all count: they are
 * few and chosen. Weekdays and dates do not: other reports of the same day
 * share them whatever their event, and the days are evidence of their own. */
static int lead_specifics(rpi_view *v, const size_t place[2])
{
    size_t nlede = 0; /* the lede's tokens: [0, nlede) */
    while (nlede < v->nart && in_lead(v, nlede))
        nlede++;
    RP_TRY(rpi_grow((void **)&v->lead, &v->caplead, v->nheadterms + nlede + 1, sizeof *v->lead));
    size_t n = 0;
    for (size_t i = 0; i < v->nheadterms; i++)
        v->lead[n++] = v->headterms[i].hash & ~1ULL;
    for (size_t t = 0; t < nlede;) {
        /* A sentence in capitals (a wire headline) has no names: its content words count. */
        size_t t1 = t;
        int lower = 0;
        for (; t1 < v->nart && v->sent[t1] == v->sent[t]; t1++)
            lower = lower || rpi_has_lower(v->text, &v->art[t1]);
        for (size_t i = t; i < t1 && i < nlede; i++)
            if (rpi_day_word(v->text, &v->art[i]) || date_day(v, i))
                continue; /* the day is the days' evidence: "LONDON, April 9 -" */
            else if (i >= place[0] && i < place[1])
                continue; /* so is the dateline's place: every report of that desk names it */
            else if (v->spec[i] == RPI_SPEC_NAME || (!lower && v->stem[i]))
                v->lead[n++] = rpi_stem_hash(v->text, v->art[i].start, v->art[i].end) & ~1ULL;
            else if (v->runkey[i] && !year_alone(v, i))
                v->lead[n++] = v->runkey[i] | 1;
        t = t1;
    }
    return rpi_sort_distinct(v->lead, n, &v->sorttmp.v, &v->sorttmp.cap, &v->nlead);
}

/*
 * v->hl: the content stems of v's headline, which names its event in a few
 * chosen words: the headline set apart above the article (v->head) or else
 * the article's first line, when it is short (a title line: wire copy, most
 * web text) and more follows, or else its first sentences, whole, up to
 * RPI_HEADLINE_MIN words at least (a title run into the text; a title of two
 * sentences, "Efekt Trzaskowskiego. Poparcie dla Dudy spada"). Weekdays and
 * months are left out of those: every report of that day or month may name
 * them (a headline set apart keeps its words: v->head holds only their
 * stems, which the event's terms use as they are).
 */
#define RPI_HEADLINE_WORDS 30
#define RPI_HEADLINE_MIN 15

static int headline_stems(rpi_view *v)
{
    size_t n = 0, e = 0; /* the article's headline tokens: [0, e) */
    if (!v->nhead && v->nart) {
        e = 1; /* the first line's */
        while (e < v->nart && !memchr(v->text + v->art[e - 1].end, '\n',
                                      v->art[e].start - v->art[e - 1].end))
            e++;
        if (e > RPI_HEADLINE_WORDS || e == v->nart)
            for (e = 1; e < v->nart && (v->sent[e] == v->sent[e - 1] || e < RPI_HEADLINE_MIN); e++)
                ;
    }
    RP_TRY(rpi_grow((void **)&v->hl, &v->caphl, v->nheadterms + e + 1, sizeof *v->hl));
    if (v->nhead) {
        for (size_t i = 0; i < v->nheadterms; i++)
            v->hl[n++] = v->headterms[i].hash;
    } else {
        for (size_t i = 0; i < e; i++)
            if (v->stem[i] && !rpi_day_word(v->text, &v->art[i]))
                v->hl[n++] = v->stem[i];
    }
    return rpi_sort_distinct(v->hl, n, &v->sorttmp.v, &v->sorttmp.cap, &v->nhl);
}

/* The days v names and the figures it states as written (keys of figure
 * runs); once per loaded view, and only for the pairs whose relation depends
 * on them. Figures by value: figures_of. */
int rpi_view_facts(rpi_view *v)
{
    if (v->facts)
        return RP_OK;
    rpi_when_read(v->text, v->art, v->nart, &v->when);
    size_t place[2];
    v->dateline = rpi_dateline(v->text, v->len, v->art, v->nart, place);
    v->nfigkey = 0;
    for (size_t i = 0; i < v->nart; i++)
        if (v->runkey[i] && !year_alone(v, i)) {
            RP_TRY(rpi_grow((void **)&v->figkey, &v->capfigkey, v->nfigkey + 1,
                            sizeof *v->figkey));
            v->figkey[v->nfigkey++] = v->runkey[i];
        }
    RP_TRY(rpi_sort_distinct(v->figkey, v->nfigkey, &v->sorttmp.v, &v->sorttmp.cap, &v->nfigkey));
    RP_TRY(lead_specifics(v, place));
    RP_TRY(headline_stems(v));
    v->facts = 1;
    return RP_OK;
}

/*
 * Packed features: what pass 3 needs of a document's view, computed once in
 * pass 2 and kept in memory within what rp_options.memory leaves, so that a
 * document in many pairs is not tokenised, stemmed, weighed and read for
 * days and figures for each. The layout, every part 8-byte aligned: this
 * header, the term vectors (article, headline, specifics), the figure keys
 * and values, the lead's specifics (the light part ends here), the figures
 * by value, the first figure and the length of each sentence, the figure runs
 * (keys, then token numbers), the term of each content word (its number in
 * the article's term vector), the per-token content and specific flags. The
 * text stays in the shingle store, and the article tokens are found again in
 * it (tokenising costs less than keeping 16 bytes a token).
 */
typedef struct packed {
    uint32_t nart, nterms, nheadterms, nspecs, nhead, ncontent, nruns, nnames, nfigtok;
    uint32_t nfigkey, nfigs, nvalkey, nsent, nlead, nhl;
    uint64_t dateline;
    rpi_when when;
} packed;

/* Bytes of a content word's term number: 2 while the article has at most
 * 65,536 terms (always, but for pathological texts), else 4. */
static size_t index_bytes(const packed *h)
{
    return h->nterms <= 65536 ? 2 : 4;
}

#define PAD8(n) (((n) + 7) & ~(size_t)7)

/* Where the parts after the light ones lie in packed features blob (header h):
 * unpack_full reads them, rpi_features_check checks them. */
typedef struct full_parts {
    const char *figs; /* rpi_figure [nfigs] */
    const char *sentfig; /* uint32 [nsent + 1]: each sentence's first figure */
    const char *sentlen; /* uint32 [nsent]: each sentence's tokens */
    const char *runkey; /* uint64 [nruns]: figure runs' keys */
    const char *runtok; /* uint32 [nruns]: the tokens they start at */
    const char *term; /* [ncontent] of index_bytes: each content word's term */
    const char *content; /* uint8 [nart]: content word flags */
    const char *spec; /* uint8 [nart]: specific flags */
} full_parts;

static full_parts parts_of(const packed *h, const char *blob)
{
    full_parts p;
    p.figs = blob + PAD8(sizeof *h) +
             PAD8(((size_t)h->nterms + h->nheadterms + h->nspecs) * sizeof(rpi_term)) +
             PAD8(((size_t)h->nfigkey + h->nvalkey) * sizeof(uint64_t)) +
             PAD8((size_t)h->nlead * sizeof(uint64_t)) + PAD8((size_t)h->nhl * sizeof(uint64_t));
    p.sentfig = p.figs + PAD8((size_t)h->nfigs * sizeof(rpi_figure));
    p.sentlen = p.sentfig + PAD8(((size_t)h->nsent + 1) * 4);
    p.runkey = p.sentlen + PAD8((size_t)h->nsent * 4);
    p.runtok = p.runkey + (size_t)h->nruns * 8;
    p.term = p.runtok + PAD8((size_t)h->nruns * 4);
    p.content = p.term + PAD8((size_t)h->ncontent * index_bytes(h));
    p.spec = p.content + PAD8(h->nart);
    return p;
}

/* Content word k's term number in parts p. */
static uint32_t term_of(const full_parts *p, const packed *h, size_t k)
{
    if (index_bytes(h) == 2) {
        uint16_t y;
        memcpy(&y, p->term + 2 * k, 2);
        return y;
    }
    uint32_t x;
    memcpy(&x, p->term + 4 * k, 4);
    return x;
}

static size_t packed_size(const packed *h)
{
    return PAD8(sizeof *h) + ((size_t)h->nterms + h->nheadterms + h->nspecs) * sizeof(rpi_term) +
           ((size_t)h->nruns + h->nfigkey + h->nvalkey + h->nlead + h->nhl) * sizeof(uint64_t) +
           (size_t)h->nfigs * sizeof(rpi_figure) + PAD8(((size_t)h->nsent + 1) * 4) +
           PAD8((size_t)h->nsent * 4) +
           PAD8((size_t)h->nruns * 4) + PAD8((size_t)h->ncontent * index_bytes(h)) +
           2 * PAD8(h->nart);
}

static char *put_part(char *q, const void *src, size_t bytes)
{
    if (bytes)
        memcpy(q, src, bytes);
    return q + PAD8(bytes);
}

static const char *get_part(void *dst, const char *q, size_t bytes)
{
    if (bytes)
        memcpy(dst, q, bytes);
    return q + PAD8(bytes);
}

/* The number of the term of hash x in t[0..n) (sorted by hash; it is there). */
static uint32_t term_index(const rpi_term *t, size_t n, uint64_t x)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid].hash <= x)
            lo = mid;
        else
            hi = mid;
    }
    assert(lo < n && t[lo].hash == x);
    return (uint32_t)lo;
}

/* Pack v's pass-3 features into (*buf, *cap); *size receives their bytes. */
static int features_pack(const rpi_view *v, char **buf, size_t *cap, size_t *size)
{
    /* Every byte defined, padding too: the index stores them, and the test
     * hook of stored.c compares them. */
    packed h;
    memset(&h, 0, sizeof h);
    h.nart = (uint32_t)v->nart;
    h.nterms = (uint32_t)v->nterms;
    h.nheadterms = (uint32_t)v->nheadterms;
    h.nspecs = (uint32_t)v->nspecs;
    h.nhead = (uint32_t)v->nhead;
    h.nnames = (uint32_t)v->nnames;
    h.nfigtok = (uint32_t)v->nfigtok;
    h.nfigkey = (uint32_t)v->nfigkey;
    h.nfigs = (uint32_t)v->nfigs;
    h.nvalkey = (uint32_t)v->nvalkey;
    h.nsent = v->nart ? v->sent[v->nart - 1] + 1 : 0;
    h.nlead = (uint32_t)v->nlead;
    h.nhl = (uint32_t)v->nhl;
    h.dateline = v->dateline;
    h.when = v->when;
    assert(v->facts && v->figsread);
    for (size_t i = 0; i < v->nart; i++) {
        h.ncontent += v->content[i] != 0;
        h.nruns += v->runkey[i] != 0;
    }
    *size = packed_size(&h);
    RP_TRY(rpi_grow((void **)buf, cap, *size, 1));
    char *q = *buf;
    memset(q, 0, *size);
    memcpy(q, &h, sizeof h);
    q += PAD8(sizeof h);
    q = put_part(q, v->terms, h.nterms * sizeof *v->terms);
    q = put_part(q, v->headterms, h.nheadterms * sizeof *v->headterms);
    q = put_part(q, v->specs, h.nspecs * sizeof *v->specs);
    q = put_part(q, v->figkey, h.nfigkey * sizeof *v->figkey);
    q = put_part(q, v->valkey, h.nvalkey * sizeof *v->valkey);
    q = put_part(q, v->lead, h.nlead * sizeof *v->lead);
    q = put_part(q, v->hl, h.nhl * sizeof *v->hl);
    rpi_figure *fg = (rpi_figure *)(void *)q;
    q = put_part(q, v->figs, h.nfigs * sizeof *v->figs);
    for (size_t k = 0; k < h.nfigs; k++) /* (the bytes between qual and lo) */
        memset(&fg[k].qual + 1, 0, offsetof(rpi_figure, lo) - offsetof(rpi_figure, qual) - 1);
    q = put_part(q, v->sentfig, ((size_t)h.nsent + 1) * sizeof *v->sentfig);
    q = put_part(q, v->sentlen, (size_t)h.nsent * sizeof *v->sentlen);
    uint64_t *rk = (uint64_t *)(void *)q;
    uint32_t *ri = (uint32_t *)(void *)(rk + h.nruns);
    char *ti = (char *)ri + PAD8((size_t)h.nruns * 4);
    size_t ib = index_bytes(&h);
    for (size_t i = 0, k = 0, m = 0; i < v->nart; i++) {
        if (v->content[i]) {
            uint32_t x = term_index(v->terms, v->nterms, v->stem[i]);
            if (ib == 2) {
                uint16_t y = (uint16_t)x;
                memcpy(ti + 2 * k++, &y, 2);
            } else {
                memcpy(ti + 4 * k++, &x, 4);
            }
        }
        if (v->runkey[i]) {
            rk[m] = v->runkey[i];
            ri[m++] = (uint32_t)i;
        }
    }
    q = ti + PAD8((size_t)h.ncontent * ib);
    memset(q, 0, 2 * PAD8(h.nart)); /* the padding too: no byte left undefined */
    memcpy(q, v->content, h.nart);
    q += PAD8(h.nart);
    memcpy(q, v->spec, h.nart);
    return RP_OK;
}

static void block_give(char *b);

void rpi_features_free(rp_corpus *c)
{
    if (c->feat && c->feat_own)
        for (size_t d = 0; d < c->ndocs; d++)
            if (c->feat_own[d])
                rpi_free(c->feat[d]);
    for (int w = 0; c->feat_blk && w < c->feat_nblk; w++) {
        for (size_t k = 0; k < c->feat_blk[w].nblk; k++)
            block_give(c->feat_blk[w].blk[k]);
        rpi_free(c->feat_blk[w].blk);
    }
    rpi_free(c->feat_blk);
    c->feat_blk = NULL;
    c->feat_nblk = 0;
    rpi_free(c->idf);
    c->idf = NULL;
    rpi_free(c->feat);
    c->feat = NULL;
    rpi_free(c->feat_own);
    c->feat_own = NULL;
    rpi_free(c->feat_used);
    c->feat_used = NULL;
}

void rpi_features_drop_again(rp_corpus *c)
{
    for (size_t d = 0; c->feat && c->feat_own && d < c->ndocs; d++)
        if (c->feat_own[d] == 2) {
            rpi_free(c->feat[d]);
            c->feat[d] = NULL;
            c->feat_own[d] = 0;
        }
    c->feat_extra_budget = c->feat_extra_used = 0;
}

/* Tokenise v's text (loaded) and keep its article tokens: those outside the
 * furniture lines f[0..fend) (by offset), as view_article chose them in pass 2. */
static int mask_tokens(rpi_view *v, const rpi_furn *f, const rpi_furn *fend)
{
    size_t bad_off;
    int rc = rpi_tokenize(&v->tok, v->text, v->len, &bad_off);
    if (rc == RP_EBADINPUT)
        return RP_EINTERNAL; /* it was valid in pass 1 */
    RP_TRY(rc);
    const rpi_token *tok = v->tok.tok;
    size_t ntok = v->tok.ntok;
    RP_TRY(rpi_grow((void **)&v->art, &v->capart, ntok + 1, sizeof *v->art));
    v->nart = 0;
    for (size_t t = 0; t < ntok; t++) {
        while (f < fend && f->end <= tok[t].start)
            f++;
        if (!(f < fend && f->start <= tok[t].start))
            v->art[v->nart++] = tok[t];
    }
    return RP_OK;
}

/* The same with the furniture pass 2 decided for document d (c->furn). */
static int article_tokens(rp_corpus *c, rpi_view *v, uint32_t d)
{
    return mask_tokens(v, c->furn + c->furn_first[d], c->furn + c->furn_first[d + 1]);
}

int rpi_view_masked(rp_corpus *c, rpi_view *v, uint32_t d, const rpi_furn *f,
                    const rpi_furn *fend)
{
    v->doc = UINT32_MAX;
    RP_TRY(read_text(c, d, &v->text, &v->captext));
    v->len = c->docs[d].text_len;
    return mask_tokens(v, f, fend);
}

/*
 * Load v with the light part of packed features, blob: the term vectors, the
 * figures' keys and values and the days it names, which is all that a pair
 * sharing no n-gram needs (most pairs: the same-topic ones).
 */
static int unpack_light(rpi_view *v, const char *blob)
{
    packed h;
    memcpy(&h, blob, sizeof h);
    const char *q = blob + PAD8(sizeof h);
    RP_TRY(rpi_grow((void **)&v->terms, &v->capterms, (size_t)h.nterms + 1, sizeof *v->terms));
    RP_TRY(rpi_grow((void **)&v->headterms, &v->capheadterms, (size_t)h.nheadterms + 1,
                    sizeof *v->headterms));
    RP_TRY(rpi_grow((void **)&v->specs, &v->capspecs, (size_t)h.nspecs + 1, sizeof *v->specs));
    RP_TRY(rpi_grow((void **)&v->figkey, &v->capfigkey, (size_t)h.nfigkey + 1,
                    sizeof *v->figkey));
    RP_TRY(rpi_grow((void **)&v->valkey, &v->capvalkey, (size_t)h.nvalkey + 1,
                    sizeof *v->valkey));
    RP_TRY(rpi_grow((void **)&v->lead, &v->caplead, (size_t)h.nlead + 1, sizeof *v->lead));
    RP_TRY(rpi_grow((void **)&v->hl, &v->caphl, (size_t)h.nhl + 1, sizeof *v->hl));
    q = get_part(v->terms, q, h.nterms * sizeof *v->terms);
    q = get_part(v->headterms, q, h.nheadterms * sizeof *v->headterms);
    q = get_part(v->specs, q, h.nspecs * sizeof *v->specs);
    q = get_part(v->figkey, q, h.nfigkey * sizeof *v->figkey);
    q = get_part(v->valkey, q, h.nvalkey * sizeof *v->valkey);
    q = get_part(v->lead, q, h.nlead * sizeof *v->lead);
    get_part(v->hl, q, h.nhl * sizeof *v->hl);
    v->nart = h.nart;
    v->nterms = h.nterms;
    v->nheadterms = h.nheadterms;
    v->nhead = h.nhead;
    v->neterms = 0;
    if (v->nhead)
        RP_TRY(merge_headline(v));
    v->nspecs = h.nspecs;
    v->nnames = h.nnames;
    v->nfigtok = h.nfigtok;
    v->nfigkey = h.nfigkey;
    v->nvalkey = h.nvalkey;
    v->nlead = h.nlead;
    v->nhl = h.nhl;
    v->when = h.when;
    v->dateline = h.dateline;
    v->facts = 1;
    v->figsread = 0;
    return RP_OK;
}

/*
 * Load the rest of document d's packed features, blob, into v (after
 * unpack_light): its text (from the shingle store) and article tokens, the
 * per-token flags, stems and figure runs, sentences and figures by value.
 */
static int unpack_full(rp_corpus *c, rpi_view *v, uint32_t d, const char *blob)
{
    packed h;
    memcpy(&h, blob, sizeof h);
    const full_parts p = parts_of(&h, blob);
    size_t n = h.nart;
    RP_TRY(read_text(c, d, &v->text, &v->captext));
    v->len = c->docs[d].text_len;
    RP_TRY(article_tokens(c, v, d));
    assert(v->nart == n);
    RP_TRY(rpi_grow((void **)&v->content, &v->capcontent, n + 1, 1));
    RP_TRY(rpi_grow((void **)&v->stem, &v->capstem, n + 1, sizeof *v->stem));
    RP_TRY(rpi_grow((void **)&v->spec, &v->capspec, n + 1, 1));
    RP_TRY(rpi_grow((void **)&v->runkey, &v->caprunkey, n + 1, sizeof *v->runkey));
    RP_TRY(rpi_grow((void **)&v->figs, &v->capfigs, (size_t)h.nfigs + 1, sizeof *v->figs));
    RP_TRY(rpi_grow((void **)&v->sentfig, &v->capsentfig, (size_t)h.nsent + 2,
                    sizeof *v->sentfig));
    RP_TRY(rpi_grow((void **)&v->sent, &v->capsent, n + 1, sizeof *v->sent));
    RP_TRY(rpi_grow((void **)&v->sentlen, &v->capsentlen, (size_t)h.nsent + 1,
                    sizeof *v->sentlen));
    get_part(v->figs, p.figs, h.nfigs * sizeof *v->figs);
    get_part(v->sentfig, p.sentfig, ((size_t)h.nsent + 1) * sizeof *v->sentfig);
    get_part(v->sentlen, p.sentlen, (size_t)h.nsent * sizeof *v->sentlen);
    for (size_t k = 0, i = 0; k < h.nsent; k++)
        for (uint32_t j = 0; j < v->sentlen[k]; j++)
            v->sent[i++] = (uint32_t)k;
    memcpy(v->content, p.content, n);
    memcpy(v->spec, p.spec, n);
    memset(v->runkey, 0, n * sizeof *v->runkey);
    for (size_t m = 0; m < h.nruns; m++) {
        uint64_t key;
        uint32_t tok;
        memcpy(&key, p.runkey + 8 * m, 8);
        memcpy(&tok, p.runtok + 4 * m, 4);
        v->runkey[tok] = key;
    }
    for (size_t i = 0, k = 0; i < n; i++)
        v->stem[i] = v->content[i] ? v->terms[term_of(&p, &h, k++)].hash : 0;
    v->nfigs = h.nfigs;
    v->figsread = 1;
    return RP_OK;
}

/*
 * The article view of v (text and tokens loaded) given the furniture lines of
 * its document, f[0..nf) by offset: article tokens with their content words
 * and stems, headline words, term vectors, sentences and specifics. Pass 2
 * computes it once per document, from the furniture it decides.
 */
int rpi_view_article(rp_corpus *c, rpi_view *v, const rpi_furn *f, const rpi_furn *fend,
                     rpi_sortbuf *tmp, int all)
{
    const rpi_token *tok = v->tok.tok;
    size_t ntok = v->tok.ntok;
    RP_TRY(rpi_grow((void **)&v->art, &v->capart, ntok + 1, sizeof *v->art));
    RP_TRY(rpi_grow((void **)&v->content, &v->capcontent, ntok + 1, 1));
    RP_TRY(rpi_grow((void **)&v->stem, &v->capstem, ntok + 1, sizeof *v->stem));
    RP_TRY(rpi_grow((void **)&tmp->v, &tmp->cap, ntok + 1, sizeof *tmp->v));
    uint64_t *h = tmp->v; /* content word hashes; sorted below */
    size_t nh = 0;
    v->nart = 0;
    v->nhead = 0;
    for (size_t t = 0; t < ntok; t++) {
        while (f < fend && f->end <= tok[t].start)
            f++;
        if (f < fend && f->start <= tok[t].start) {
            /* A headline (shape furniture above the article text) names its event. */
            uint64_t key;
            if (v->nart == 0 && f->kind == RPI_FURN_SHAPE &&
                rpi_content_key(v->text, tok, ntok, t, &key)) {
                RP_TRY(rpi_grow((void **)&v->head, &v->caphead, v->nhead + 1, sizeof *v->head));
                v->head[v->nhead++] = key;
            }
            continue;
        }
        uint64_t key = 0;
        v->content[v->nart] = (uint8_t)rpi_content_key(v->text, tok, ntok, t, &key);
        v->stem[v->nart] = v->content[v->nart] ? key : 0; /* the reworded sentences read it */
        if (v->content[v->nart])
            h[nh++] = v->stem[v->nart];
        v->art[v->nart++] = tok[t];
    }
    RP_TRY(terms_of(c, h, nh, &v->terms, &v->nterms, &v->capterms, &v->sorttmp, &v->tdf,
                    &v->captdf));
    v->neterms = v->nheadterms = 0;
    if (!all)
        return RP_OK;
    if (v->nhead)
        RP_TRY(with_headline(c, v));
    RP_TRY(sentences(v));
    return specifics(c, v, tmp);
}

/*
 * The features of document d computed again, as pass 2 computed them, when
 * they were not kept (beyond rp_options.memory): text, tokens, the article
 * view from the furniture pass 2 decided (c->furn), days and figures.
 */
static int view_again(rp_corpus *c, rpi_view *v, uint32_t d)
{
    RP_TRY(read_text(c, d, &v->text, &v->captext));
    size_t bad_off;
    v->len = c->docs[d].text_len;
    int rc = rpi_tokenize(&v->tok, v->text, v->len, &bad_off);
    if (rc == RP_EBADINPUT)
        return RP_EINTERNAL; /* it was valid in pass 1 */
    RP_TRY(rc);
    RP_TRY(rpi_view_article(c, v, c->furn + c->furn_first[d], c->furn + c->furn_first[d + 1],
                            &v->scratch, 1));
    RP_TRY(rpi_view_facts(v));
    return rpi_view_figures(v);
}

/*
 * Load document d into v in pass 3: its light features and shingle set, and
 * with full, the rest (text, tokens, sentences, figures); all of them at once
 * when they were not kept. A view keeps what it loaded while it holds the
 * same document.
 */
/*
 * Keep the features of document d, computed again in pass 3 (view v), while
 * the memory that the postings of pass 2 gave back lasts (c->feat_extra_budget):
 * the next pair that needs them loads them instead. Workers race for it; the
 * first to publish wins, the others drop their copy. Out of memory here only
 * means they are not kept.
 */
static void keep_again(rp_corpus *c, rpi_view *v, uint32_t d)
{
    if (__atomic_load_n(&c->feat_extra_used, __ATOMIC_RELAXED) >= c->feat_extra_budget)
        return;
    size_t size;
    if (features_pack(v, &v->pack, &v->cappack, &size) != RP_OK)
        return;
    size_t used = __atomic_add_fetch(&c->feat_extra_used, size, __ATOMIC_RELAXED);
    char *p = used <= c->feat_extra_budget ? rpi_malloc(size) : NULL, *none = NULL;
    if (p) {
        memcpy(p, v->pack, size);
        if (__atomic_compare_exchange_n(&c->feat[d], &none, p, 0, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED)) {
            c->feat_own[d] = 2; /* (this thread's document: no other writes its byte) */
            return;
        }
        rpi_free(p);
    }
    __atomic_sub_fetch(&c->feat_extra_used, size, __ATOMIC_RELAXED);
}

int rpi_view_features(rp_corpus *c, rpi_view *v, uint32_t d, int full)
{
    if (v->doc != d) {
        v->doc = UINT32_MAX;
        const char *blob = __atomic_load_n(&c->feat[d], __ATOMIC_ACQUIRE);
        if (blob) {
            RP_TRY(unpack_light(v, blob));
            v->full = 0;
        } else {
            RP_TRY(view_again(c, v, d));
            keep_again(c, v, d);
            v->full = 1;
        }
        RP_TRY(load_set(c, v, d));
        v->doc = d;
    }
    if (full && !v->full) {
        RP_TRY(unpack_full(c, v, d, __atomic_load_n(&c->feat[d], __ATOMIC_ACQUIRE)));
        v->full = 1;
    }
    return RP_OK;
}

/* Load document d into v (pass 2): text, tokens, lines and their furniture
 * kinds, decided from the counts (index_doc then calls view_article). */
int rpi_view_read(rp_corpus *c, rpi_view *v, uint32_t d)
{
    v->doc = UINT32_MAX;
    RP_TRY(read_text(c, d, &v->text, &v->captext));
    size_t len = c->docs[d].text_len, bad_off;
    v->len = len;
    int rc = rpi_tokenize(&v->tok, v->text, len, &bad_off);
    if (rc == RP_EBADINPUT)
        return RP_EINTERNAL; /* it was valid in pass 1 */
    RP_TRY(rc);
    const rpi_token *tok = v->tok.tok;
    size_t ntok = v->tok.ntok;
    RP_TRY(rpi_lines(v->text, len, tok, ntok, &v->lines, &v->nlines, &v->caplines));
    RP_TRY(rpi_grow((void **)&v->kind, &v->capkind, v->nlines + 1, 1));
    RP_TRY(rpi_grow((void **)&v->lkey, &v->caplkey, v->nlines + 1, sizeof *v->lkey));
    if (c->opt.keep_furniture)
        memset(v->kind, RPI_FURN_NONE, v->nlines);
    else
        rpi_furniture_kinds(&c->lines, v->text, tok, ntok, v->lines, v->nlines, rpi_doc_source(c, d),
                            v->kind, v->lkey);
    v->doc = d;
    return RP_OK;
}

#define RPI_MAX_FIGS 64 /* figures read per sentence */
/*
 * The figures of v's article text by value (facts.c), sentence by sentence
 * (at most RPI_MAX_FIGS a sentence), and their keys (rpi_figure_key, sorted,
 * distinct): read once per document in pass 2 when its features are kept,
 * else when a pair needs them. Needs the article view (text, tokens,
 * sentences): never call it on a light view of pass 3 (rpi_view_features
 * with full == 0), whose arrays may hold another document.
 */
int rpi_view_figures(rpi_view *v)
{
    if (v->figsread)
        return RP_OK;
    size_t nsent = v->nart ? (size_t)v->sent[v->nart - 1] + 1 : 0, nf = 0;
    RP_TRY(rpi_grow((void **)&v->sentfig, &v->capsentfig, nsent + 1, sizeof *v->sentfig));
    for (size_t t = 0; t < v->nart;) {
        uint32_t sid = v->sent[t];
        size_t t1 = t;
        while (t1 < v->nart && v->sent[t1] == sid)
            t1++;
        RP_TRY(rpi_grow((void **)&v->figs, &v->capfigs, nf + RPI_MAX_FIGS + 1, sizeof *v->figs));
        size_t lo = v->art[t].start, hi = rpi_close_marks(v->text, v->len, v->art[t1 - 1].end);
        rpi_figures_span(v->text, v->len, &lo, &hi);
        size_t n;
        RP_TRY(rpi_figures_read(v->text, lo, hi, v->figs + nf, RPI_MAX_FIGS, &n));
        v->sentfig[sid] = (uint32_t)nf;
        nf += n > RPI_MAX_FIGS ? RPI_MAX_FIGS : n;
        t = t1;
    }
    v->sentfig[nsent] = (uint32_t)nf;
    v->nfigs = nf;
    RP_TRY(rpi_grow((void **)&v->valkey, &v->capvalkey, nf + 1, sizeof *v->valkey));
    v->nvalkey = 0;
    for (size_t k = 0; k < nf; k++) {
        uint64_t key = rpi_figure_key(&v->figs[k]);
        if (key)
            v->valkey[v->nvalkey++] = key;
    }
    RP_TRY(rpi_sort_distinct(v->valkey, v->nvalkey, &v->sorttmp.v, &v->sorttmp.cap, &v->nvalkey));
    v->figsread = 1;
    return RP_OK;
}


void rpi_view_prefetch(const rp_corpus *c, uint32_t d, int with_set)
{
    const rpi_doc *x = &c->docs[d];
    if (x->set.file == RPI_SETREF_MEM)
        return; /* another rank's, in memory */
    rpi_spill_prefetch(&c->spill, (int)x->set.file, x->text_off, (x->text_len + 7) / 8);
    if (with_set)
        rpi_spill_prefetch(&c->spill, (int)x->set.file, x->set.off, x->set.n);
}

int rpi_features_blob(rp_corpus *c, rpi_view *v, uint32_t d, const char **blob, size_t *size)
{
    const char *p = c->feat[d];
    if (!p) {
        v->doc = UINT32_MAX;
        RP_TRY(view_again(c, v, d));
        RP_TRY(features_pack(v, &v->pack, &v->cappack, size));
        *blob = v->pack;
        return RP_OK;
    }
    packed h;
    memcpy(&h, p, sizeof h);
    *size = packed_size(&h);
    *blob = p;
    return RP_OK;
}

int rpi_features_uncount(rp_corpus *c, uint32_t d)
{
    rpi_view v = {0};
    rpi_linescratch ls = {0};
    rpi_buf keys = {0};
    size_t nk = 0, bad_off;
    int rc = read_text(c, d, &v.text, &v.captext);
    if (rc == RP_OK)
        rc = rpi_tokenize(&v.tok, v.text, c->docs[d].text_len, &bad_off);
    if (rc == RP_OK)
        rc = rpi_features_keys(&ls, v.text, c->docs[d].text_len, v.tok.tok, v.tok.ntok,
                               rpi_doc_source(c, d), &keys, &nk);
    if (rc == RP_OK && nk) {
        const uint64_t *k = (const uint64_t *)(const void *)keys.data;
        size_t nl = (size_t)k[0];
        /* (adding UINT32_MAX to an unsigned count takes one away) */
        for (size_t i = 1; i < nk; i++)
            rpi_counter_add(&(i <= nl ? &c->lines : &c->terms)->shard[rpi_counts_shard(k[i])],
                            k[i], UINT32_MAX);
    }
    rpi_view_free(&v);
    rpi_linescratch_free(&ls);
    rpi_buf_free(&keys);
    return rc == RP_EBADINPUT ? RP_EINTERNAL : rc;
}

int rpi_features_open(rp_corpus *c, int nworkers)
{
    c->feat = rpi_calloc(c->ndocs + 1, sizeof *c->feat);
    c->feat_own = rpi_calloc(c->ndocs + 1, 1);
    c->feat_used = rpi_calloc((size_t)nworkers, sizeof *c->feat_used);
    c->feat_blk = rpi_calloc((size_t)nworkers, sizeof *c->feat_blk);
    c->idf = rpi_calloc(RPI_IDF_TABLE, sizeof *c->idf); /* (rpi_idf_of fills it) */
    if (!c->feat || !c->feat_own || !c->feat_used || !c->feat_blk || !c->idf)
        return RP_ENOMEM;
    c->feat_nblk = nworkers;
    /* The features keep in memory what the shingle store left of the budget. */
    size_t budget = rpi_store_budget(c), kept = rpi_spill_kept(&c->spill);
    c->feat_budget = (budget > kept ? budget - kept : 0) / (size_t)nworkers;
    return RP_OK;
}

int rpi_features_room(const rp_corpus *c, int worker)
{
    return c->feat_used[worker] < c->feat_budget;
}

/*
 * Room for size bytes of document d's features, kept by worker: in the
 * worker's current block, else a new one. Blocks are 2 MiB of huge pages:
 * a block of its own for each document (malloc's) was a page fault every
 * 4 KiB of fresh heap, 15,000 of the 33,000 of a default scan of the news
 * corpus (63 MB of features). A document larger than a block gets its own.
 */
#define RPI_FEAT_BLOCK ((size_t)2 << 20)

/*
 * Blocks of runs that ended, kept for the next run of the process (at most
 * RPI_FEAT_SPARE): a query of the index is a run or two of a few documents,
 * and the kernel cleared its fresh block's huge page at every query, 5.7% of
 * a query's CPU samples at 20,000 indexed documents. A block is written
 * before it is read (features_pack clears what it packs), so one used before
 * serves as well as a fresh one. They stay with the process (8 MiB at most,
 * outside rp_options.memory).
 */
#define RPI_FEAT_SPARE 4
static pthread_mutex_t spare_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static char *spare[RPI_FEAT_SPARE];
static int nspare;

/* A child forked while another thread held the lock would wait for it forever. */
static void spare_child(void)
{
    pthread_mutex_init(&spare_mu, NULL);
}

static void spare_init(void)
{
    (void)pthread_atfork(NULL, NULL, spare_child);
}

static char *block_take(void)
{
    char *b = NULL;
    pthread_once(&spare_once, spare_init);
    pthread_mutex_lock(&spare_mu);
    if (nspare > 0)
        b = spare[--nspare];
    pthread_mutex_unlock(&spare_mu);
    return b ? b : rpi_malloc_huge(RPI_FEAT_BLOCK);
}

static void block_give(char *b)
{
    pthread_once(&spare_once, spare_init);
    pthread_mutex_lock(&spare_mu);
    if (nspare < RPI_FEAT_SPARE) {
        spare[nspare++] = b;
        b = NULL;
    }
    pthread_mutex_unlock(&spare_mu);
    rpi_free(b);
}

static int feat_alloc(rp_corpus *c, int worker, uint32_t d, size_t size, char **out)
{
    rpi_feat_blocks *b = &c->feat_blk[worker];
    size = (size + 15) & ~(size_t)15; /* (the next document's features 16-byte aligned) */
    if (size > RPI_FEAT_BLOCK / 4) {
        if (!(*out = rpi_malloc(size)))
            return RP_ENOMEM;
        c->feat_own[d] = 1;
        return RP_OK;
    }
    if (b->nblk == 0 || b->used + size > RPI_FEAT_BLOCK) {
        RP_TRY(rpi_grow((void **)&b->blk, &b->capblk, b->nblk + 1, sizeof *b->blk));
        if (!(b->blk[b->nblk] = block_take()))
            return RP_ENOMEM;
        b->nblk++;
        b->used = 0;
    }
    *out = b->blk[b->nblk - 1] + b->used;
    b->used += size;
    return RP_OK;
}

int rpi_features_put(rp_corpus *c, int worker, uint32_t d, rpi_view *v, char **buf,
                     size_t *cap)
{
    RP_TRY(rpi_view_facts(v));
    RP_TRY(rpi_view_figures(v));
    size_t size;
    RP_TRY(features_pack(v, buf, cap, &size));
    char *p;
    RP_TRY(feat_alloc(c, worker, d, size, &p));
    memcpy(p, *buf, size);
    c->feat[d] = p;
    c->feat_used[worker] += size;
    return RP_OK;
}

int rpi_features_pack(rpi_view *v, char **buf, size_t *cap, size_t *size)
{
    RP_TRY(rpi_view_facts(v));
    RP_TRY(rpi_view_figures(v));
    return features_pack(v, buf, cap, size);
}

int rpi_features_check(const char *blob, size_t len, size_t text_len)
{
    packed h;
    if (rpi_features_packed_size(blob, len) != len || !len)
        return 0;
    memcpy(&h, blob, sizeof h);
    if ((h.nart == 0) != (h.nsent == 0) || h.nsent > h.nart || h.nruns > h.nart ||
        h.ncontent > h.nart || h.nnames > h.nart || h.nfigtok > h.nart)
        return 0;
    const full_parts p = parts_of(&h, blob);
    for (size_t k = 0; k < h.nfigs; k++) {
        rpi_figure f;
        memcpy(&f, p.figs + k * sizeof f, sizeof f);
        if (f.start > f.end || f.end > text_len)
            return 0;
    }
    uint32_t prev = 0, x;
    for (size_t k = 0; k <= h.nsent; k++) { /* each sentence's first figure */
        memcpy(&x, p.sentfig + 4 * k, 4);
        if (x < prev || x > h.nfigs || (k == h.nsent && x != h.nfigs))
            return 0;
        prev = x;
    }
    uint64_t sum = 0;
    for (size_t k = 0; k < h.nsent; k++) { /* each sentence's tokens */
        memcpy(&x, p.sentlen + 4 * k, 4);
        if (x == 0)
            return 0;
        sum += x;
    }
    if (sum != h.nart)
        return 0;
    for (size_t m = 0; m < h.nruns; m++) { /* the tokens starting figure runs, ascending */
        memcpy(&x, p.runtok + 4 * m, 4);
        if (x >= h.nart || (m > 0 && x <= prev))
            return 0;
        prev = x;
    }
    for (size_t k = 0; k < h.ncontent; k++) /* each content word's term */
        if (term_of(&p, &h, k) >= h.nterms)
            return 0;
    size_t ncontent = 0;
    for (size_t i = 0; i < h.nart; i++)
        ncontent += p.content[i] != 0;
    return ncontent == h.ncontent;
}

uint32_t rpi_features_nart(const char *blob)
{
    packed h;
    memcpy(&h, blob, sizeof h);
    return h.nart;
}

size_t rpi_features_packed_size(const char *blob, size_t len)
{
    packed h;
    if (len < sizeof h)
        return 0;
    memcpy(&h, blob, sizeof h);
    /* (bounds first: a size computed from garbage must not overflow) */
    if (h.nart > len || h.nterms > len || h.nheadterms > len || h.nspecs > len ||
        h.nruns > len || h.nfigkey > len || h.nvalkey > len || h.nlead > len || h.nhl > len ||
        h.nfigs > len || h.nsent > len || h.ncontent > len)
        return 0;
    size_t n = packed_size(&h);
    return n <= len ? n : 0;
}

void rpi_features_unweigh(char *blob)
{
    packed h;
    memcpy(&h, blob, sizeof h);
    rpi_term *t = (rpi_term *)(void *)(blob + PAD8(sizeof h));
    for (size_t i = 0; i < (size_t)h.nterms + h.nheadterms + h.nspecs; i++)
        t[i].idf = 0;
}

int rpi_features_adopt(rp_corpus *c, int worker, uint32_t d, const char *blob, size_t size,
                       rpi_view *v)
{
    packed h;
    memcpy(&h, blob, sizeof h);
    RP_TRY(rpi_grow((void **)&v->tdf, &v->captdf, (size_t)h.nterms + 1, sizeof *v->tdf));
    RP_TRY(rpi_grow((void **)&v->terms, &v->capterms, (size_t)h.nterms + 1, sizeof *v->terms));
    char *p;
    RP_TRY(feat_alloc(c, worker, d, size, &p));
    memcpy(p, blob, size);
    /* The term vectors (article, headline, specifics) follow the header, one
     * array of rpi_term: their IDF is the run's, not the one they were stored with. */
    rpi_term *t = (rpi_term *)(void *)(p + PAD8(sizeof h));
    reweigh(c, t, h.nterms, v->tdf);
    reweigh(c, t + h.nterms, (size_t)h.nheadterms + h.nspecs, NULL);
    memcpy(v->terms, t, h.nterms * sizeof *t);
    v->nterms = h.nterms;
    c->feat[d] = p;
    c->feat_used[worker] += size;
    return RP_OK;
}

void rpi_features_seal(rp_corpus *c, int nworkers)
{
    c->feat_bytes = 0;
    for (int w = 0; w < nworkers; w++)
        c->feat_bytes += c->feat_used[w];
    c->feat_docs = 0;
    for (size_t d = 0; d < c->ndocs; d++)
        c->feat_docs += c->feat[d] != NULL;
}

/* ---- story vectors ------------------------------------------------------------------------ */

void rpi_story_vector_of(const rpi_view *v, int which, const rpi_term **t, size_t *n)
{
    if (which) {
        *t = v->specs;
        *n = v->nnames ? v->nspecs : 0;
        return;
    }
    *t = v->nhead ? v->eterms : v->terms;
    *n = v->nhead ? v->neterms : v->nterms;
}

static int vector_record(const rpi_view *v, uint32_t g, rpi_buf *b)
{
    const rpi_term *t, *s;
    size_t nt, ns;
    rpi_story_vector_of(v, 0, &t, &nt);
    rpi_story_vector_of(v, 1, &s, &ns);
    uint32_t h[3] = {g, (uint32_t)nt, (uint32_t)ns};
    RP_TRY(rpi_buf_append(b, h, sizeof h));
    RP_TRY(rpi_buf_append(b, t, nt * sizeof *t));
    return rpi_buf_append(b, s, ns * sizeof *s);
}

int rpi_story_vector_put(rp_corpus *c, rpi_view *v, uint32_t d, uint32_t g, rpi_buf *b)
{
    RP_TRY(rpi_view_features(c, v, d, 0));
    return vector_record(v, g, b);
}

int rpi_story_vector_make(const rpi_view *v, uint32_t g, char **out, size_t *len)
{
    rpi_buf b = {0};
    int rc = vector_record(v, g, &b);
    if (rc != RP_OK) {
        rpi_buf_free(&b);
        return rc;
    }
    *out = b.data;
    *len = b.len;
    return RP_OK;
}

int rpi_story_vector_check(const char *data, size_t len, size_t off, size_t *end)
{
    uint32_t h[3];
    if (off > len || len - off < sizeof h)
        return 0;
    memcpy(h, data + off, sizeof h);
    size_t need = ((size_t)h[1] + h[2]) * sizeof(rpi_term);
    if (len - off - sizeof h < need)
        return 0;
    *end = off + sizeof h + need;
    return 1;
}

int rpi_story_vector_get(const char *rec, size_t len, int which, rpi_term **buf, size_t *cap,
                         const rpi_term **t, size_t *n)
{
    uint32_t h[3];
    size_t end;
    *t = NULL;
    *n = 0;
    if (!rpi_story_vector_check(rec, len, 0, &end))
        return RP_EINTERNAL;
    memcpy(h, rec, sizeof h);
    size_t k = which ? h[2] : h[1];
    RP_TRY(rpi_grow((void **)buf, cap, k + 1, sizeof **buf));
    memcpy(*buf, rec + sizeof h + (which ? (size_t)h[1] * sizeof **buf : 0), k * sizeof **buf);
    *t = *buf;
    *n = k;
    return RP_OK;
}
