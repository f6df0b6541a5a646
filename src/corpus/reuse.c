/* SPDX-License-Identifier: MIT */
/*
 * reuse.c -- partial reuse: page furniture, candidate pairs from rare shared
 * n-grams and rare terms, passage alignment and relation naming. Runs after
 * the fast path (corpus.c) unless rp_options.fast is set.
 *
 * Pass 1 (corpus.c) spills every document's text and counts in how many
 * documents each line and each content word occurs (rpi_reuse_keys in the
 * workers, rpi_reuse_commit in input order). Then, in parallel over
 * documents (pass 2), each text is read back, its furniture lines are
 * marked, and it contributes a
 * 1-in-8 sample of its word n-grams and its few rarest content words to two
 * inverted indexes; n-grams or words in more than a cap of documents are
 * dropped there, so skewed collections stay bounded. Pairs sharing at least
 * two sampled n-grams or two rare words, plus the copies of the fast path,
 * are compared in parallel (pass 3): exact shingle Jaccard, alignment when
 * they share a word n-gram, content similarity outside the passages, and a
 * relation named by relation.c. Stories come last (story.c).
 */
#include "corpus_int.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "align.h"
#include "furniture.h"

/* n-grams enter the index with probability 1/8 (hash-chosen, so two texts
 * sample the same n-grams). A shared passage of three sentences (about 60
 * words) then has about 7 sampled n-grams in common; requiring 2 misses it
 * with probability e^-7 * 8 = 0.7%. */
#define RPI_SAMPLE_BITS 3
#define RPI_MIN_SHARED_NGRAMS 2

/* An n-gram or a word in more documents than this is too common to be
 * evidence of reuse between two of them (boilerplate, stock phrases), and the
 * pairs it would give grow with the square of the count. */
#define RPI_NGRAM_DF_CAP 100
#define RPI_TERM_DF_CAP 50

/* Each document is indexed by its 16 content terms of highest TF-IDF among
 * those in 2..RPI_TERM_DF_CAP documents; two documents sharing 2 of them are
 * compared. Reports of one event written independently share little beyond
 * the event's names and facts: on the development half of the SemEval pairs,
 * 8 terms brought 82 of 100 same-story pairs to a comparison, 16 brought 94. */
#define RPI_KEY_TERMS 16
#define RPI_MIN_SHARED_TERMS 2

/* The n-gram postings are sorted in this many parts (by hash bits). */
#define RPI_PARTS 16

/* Views of compared documents kept per worker, and the largest text cached:
 * on the benchmark corpus a document is in about 18 pairs. */
#define RPI_VIEW_CACHE 64
#define RPI_CACHE_MAX_BYTES ((size_t)1 << 20)

/* With all_pairs, collections this small compare every pair (500k pairs). */
#define RPI_ALLPAIRS_MAX 1000

/*
 * Counter tables: one slot (16 bytes) per 32 bytes of input for lines, per
 * 64 for words, between 2^16 and 2^23 slots (128 MiB). Sized to the input
 * because every lookup is a cache miss once the table outgrows the cache:
 * on the 50 MB evaluation corpus a fixed 2^23-slot table made lookups 16% of
 * all CPU time. Inputs of unknown size (pipes) get the largest tables.
 */
#define RPI_SLOTS_MIN ((size_t)1 << 16)
#define RPI_SLOTS_MAX ((size_t)1 << 23)


static size_t slots_for(uint64_t bytes, unsigned per)
{
    if (!bytes)
        return RPI_SLOTS_MAX;
    uint64_t n = bytes / per;
    return n < RPI_SLOTS_MIN ? RPI_SLOTS_MIN : n > RPI_SLOTS_MAX ? RPI_SLOTS_MAX : (size_t)n;
}

int rpi_reuse_open(rp_corpus *c, uint64_t input_bytes)
{
    RP_TRY(rpi_counter_init(&c->lines, slots_for(input_bytes, 32)));
    return rpi_counter_init(&c->terms, slots_for(input_bytes, 64));
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
 * list without repeats). Workers compute them; rpi_reuse_commit adds them in
 * input order, so that the counts, and which keys a full table refuses, do
 * not depend on thread timing.
 */
int rpi_reuse_keys(rpi_linescratch *ls, const char *text, size_t len, const rpi_token *tok,
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

void rpi_reuse_commit(rp_corpus *c, const uint64_t *keys, size_t nkeys)
{
    if (!nkeys)
        return;
    /* Each addition is a cache miss in a large table: ask for the slots a few
     * keys ahead (the one thread that adds spent 6% of a scan waiting). */
    enum { AHEAD = 8 };
    size_t nl = (size_t)keys[0];
    for (size_t i = 1; i <= nl; i++) {
        if (i + AHEAD <= nl)
            rpi_counter_prefetch(&c->lines, keys[i + AHEAD]);
        rpi_counter_add(&c->lines, keys[i], 1);
    }
    for (size_t i = 1 + nl; i < nkeys; i++) {
        if (i + AHEAD < nkeys)
            rpi_counter_prefetch(&c->terms, keys[i + AHEAD]);
        rpi_counter_add(&c->terms, keys[i], 1);
    }
}

/* ---- one document, ready for alignment ------------------------------------------ */

typedef struct view {
    uint32_t doc; /* loaded document, UINT32_MAX when none */
    char *text; /* its text, NUL-terminated */
    size_t len; /* bytes of text */
    size_t captext; /* capacity of text */
    rpi_tokctx tok; /* all its tokens */
    rpi_line *lines; /* its lines */
    size_t nlines, caplines; /* used, capacity */
    uint8_t *kind; /* rpi_furn_kind of each line */
    size_t capkind; /* capacity of kind */
    uint64_t *lkey; /* the count key of each line (pass 2) */
    size_t caplkey; /* capacity */
    rpi_token *art; /* tokens of article text (furniture removed) */
    size_t nart, capart; /* used, capacity */
    uint32_t *sent; /* per article token: its sentence number */
    uint32_t *sentlen; /* per sentence: its number of article tokens */
    size_t capsent, capsentlen; /* capacities */
    rpi_sortbuf sorttmp; /* sort scratch */
    uint64_t *set; /* shingle set, sorted, without repeats (pass 3 only) */
    size_t nset, capset; /* used, capacity */
    uint8_t *content; /* per article token: 1 when a content word (pass 3 only) */
    size_t capcontent; /* capacity */
    uint64_t *stem; /* per content word among the article tokens: rpi_stem_hash (pass 3) */
    size_t capstem; /* capacity */
    rpi_term *terms; /* content words of the article text, by hash */
    size_t nterms, capterms; /* used, capacity */
    uint32_t *tdf; /* per term: documents it is in (pass 2 only) */
    size_t captdf; /* capacity */
    rpi_term *specs; /* specifics (names, figures) of the article text, by hash (pass 3) */
    size_t nspecs, capspecs; /* used, capacity */
    uint64_t *head; /* content words of the headline, then of the article (pass 3) */
    size_t nhead, caphead; /* headline words (0: none), capacity */
    rpi_term *headterms; /* content words of the headline (pass 3) */
    size_t nheadterms, capheadterms; /* used, capacity */
    rpi_term *eterms; /* content words of headline and article, when nhead (pass 3) */
    size_t neterms, capeterms; /* used, capacity */
    uint8_t *spec; /* per article token: RPI_SPEC_* (pass 3 only) */
    size_t capspec; /* capacity */
    size_t nnames; /* names among the article tokens (pass 3 only) */
    size_t nfigtok; /* figure tokens among the article tokens (pass 3 only) */
    int facts; /* when and figkey are read (facts_of) */
    int figsread; /* figs, sentfig and valkey are read (figures_of) */
    rpi_when when; /* days it names (pass 3 only) */
    uint64_t *runkey; /* per article token: key of the figure run it starts, or 0 (pass 3) */
    size_t caprunkey; /* capacity */
    uint64_t *figkey; /* keys of the figure runs it states, sorted, distinct (pass 3 only) */
    size_t nfigkey, capfigkey; /* used, capacity */
    uint64_t *valkey; /* keys of the figure values it states, sorted, distinct (pass 3) */
    size_t nvalkey, capvalkey; /* used, capacity */
    rpi_figure *figs; /* figures by value, by sentence (figures_of) */
    size_t nfigs, capfigs; /* used, capacity */
    uint32_t *sentfig; /* per sentence: its first figure in figs; [nsent] = nfigs */
    size_t capsentfig; /* capacity */
    char *blob; /* packed features read from the store (pass 3) */
    size_t capblob; /* capacity */
    int full; /* all of the document's features are loaded, not only the light ones */
} view;

static void view_free(view *v)
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
    rpi_free(v->figs);
    rpi_free(v->sentfig);
    rpi_free(v->blob);
    memset(v, 0, sizeof *v);
}

static uint64_t doc_source(const rp_corpus *c, uint32_t d)
{
    const char *s = rp_doc_meta(c, d, "source"), *u = rp_doc_meta(c, d, "url");
    return rpi_source_key(s, s ? strlen(s) : 0, u, u ? strlen(u) : 0);
}

static int read_text(rp_corpus *c, uint32_t d, char **buf, size_t *cap)
{
    size_t n = c->docs[d].text_len;
    RP_TRY(rpi_grow((void **)buf, cap, n + 1, 1));
    if (rpi_spill_read_bytes(&c->spill, (int)c->docs[d].set.file, c->docs[d].text_off, n, *buf) !=
        RP_OK)
        return RP_EIO;
    (*buf)[n] = 0;
    return RP_OK;
}

/* Number the sentences of the article tokens: a sentence ends at sentence
 * punctuation or a line break between two tokens. */
static int sentences(view *v)
{
    RP_TRY(rpi_grow((void **)&v->sent, &v->capsent, v->nart + 1, sizeof *v->sent));
    RP_TRY(rpi_grow((void **)&v->sentlen, &v->capsentlen, v->nart + 1, sizeof *v->sentlen));
    uint32_t k = 0;
    for (size_t i = 0; i < v->nart; i++) {
        if (i > 0 && rpi_ends_sentence(v->text + v->art[i - 1].end, v->text + v->art[i].start))
            k++;
        if (i == 0 || v->sent[i - 1] != k)
            v->sentlen[k] = 0;
        v->sent[i] = k;
        v->sentlen[k]++;
    }
    return RP_OK;
}

/* The shingle set of document d (stored sorted, without repeats, unless fast). */
static int load_set(rp_corpus *c, view *v, uint32_t d)
{
    const rpi_setref *r = &c->docs[d].set;
    RP_TRY(rpi_grow((void **)&v->set, &v->capset, (size_t)r->n + 1, sizeof *v->set));
    if (rpi_spill_read(&c->spill, (int)r->file, r->off, r->n, v->set) != RP_OK)
        return RP_EIO;
    v->nset = r->n;
    return RP_OK;
}

/* rpi_idf(c->ndocs, df), from a table for the common small counts. */
static double idf_of(const rp_corpus *c, uint32_t df)
{
    return df < RPI_IDF_TABLE ? c->idf[df] : rpi_idf(c->ndocs, df);
}

/*
 * Term vector of the word hashes h[0..n) (sorted here): distinct words with
 * their frequency and IDF, into *out.
 */
static int terms_of(const rp_corpus *c, uint64_t *h, size_t n, rpi_term **out, size_t *nout,
                    size_t *cap, rpi_sortbuf *tmp, uint32_t **dfs, size_t *capdfs)
{
    if (dfs)
        RP_TRY(rpi_grow((void **)dfs, capdfs, n + 1, sizeof **dfs));
    RP_TRY(rpi_sort_u64(h, n, &tmp->v, &tmp->cap));
    RP_TRY(rpi_grow((void **)out, cap, n + 1, sizeof **out));
    size_t m = 0;
    for (size_t i = 0; i < n && i < 8; i++)
        rpi_counter_prefetch(&c->terms, h[i]);
    for (size_t i = 0; i < n;) {
        if (i + 8 < n)
            rpi_counter_prefetch(&c->terms, h[i + 8]);
        size_t j = i;
        while (j < n && h[j] == h[i])
            j++;
        uint32_t df = rpi_counter_get(&c->terms, h[i]);
        if (dfs)
            (*dfs)[m] = df;
        (*out)[m++] = (rpi_term){h[i], (uint32_t)(j - i), (float)idf_of(c, df)};
        i = j;
    }
    *nout = m;
    return RP_OK;
}

/* v->eterms: the article's terms with the headline's words added (only those
 * need their document frequency looked up). */
static int merge_headline(view *v)
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

static int with_headline(const rp_corpus *c, view *v)
{
    RP_TRY(terms_of(c, v->head, v->nhead, &v->headterms, &v->nheadterms, &v->capheadterms,
                    &v->sorttmp, NULL, NULL));
    return merge_headline(v);
}

/* Specifics (names and figures) of v's article text: which tokens, and their term vector. */
static int specifics(const rp_corpus *c, view *v, rpi_sortbuf *tmp)
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

/* The days v names and the figures it states as written (keys of figure
 * runs); once per loaded view, and only for the pairs whose relation depends
 * on them. Figures by value: figures_of. */
static int facts_of(view *v)
{
    if (v->facts)
        return RP_OK;
    rpi_when_read(v->text, v->art, v->nart, &v->when);
    RP_TRY(rpi_grow((void **)&v->figkey, &v->capfigkey, v->nart + 1, sizeof *v->figkey));
    v->nfigkey = 0;
    for (size_t i = 0; i < v->nart; i++)
        if (v->runkey[i])
            v->figkey[v->nfigkey++] = v->runkey[i];
    RP_TRY(rpi_sort_distinct(v->figkey, v->nfigkey, &v->sorttmp.v, &v->sorttmp.cap, &v->nfigkey));
    v->facts = 1;
    return RP_OK;
}

/*
 * Packed features: what pass 3 needs of a document's view, computed once in
 * pass 2 and kept in the feature store (a second rpi_spill: in memory within
 * what rp_options.memory leaves, in temporary files beyond), so that a
 * document in many pairs is not tokenised, stemmed, weighed and read for
 * days and figures for each. The layout, every part 8-byte aligned: this
 * header, the article tokens, the term vectors (article, headline and
 * article, specifics), the figure keys, values and figures, the first figure
 * of each sentence, the figure runs (keys, then token numbers), the term of
 * each content word (its number in the article's term vector), the
 * per-token content and specific flags. The text stays in the shingle store,
 * and the article tokens are found again in it (tokenising costs less than
 * reading 16 bytes a token back from a disk).
 */
typedef struct packed {
    uint32_t nart, nterms, nheadterms, nspecs, nhead, ncontent, nruns, nnames, nfigtok;
    uint32_t nfigkey, nfigs, nvalkey, nsent;
    rpi_when when;
} packed;

/* Bytes of a content word's term number: 2 while the article has at most
 * 65,536 terms (always, but for pathological texts), else 4. */
static size_t index_bytes(const packed *h)
{
    return h->nterms <= 65536 ? 2 : 4;
}

#define PAD8(n) (((n) + 7) & ~(size_t)7)

static size_t packed_size(const packed *h)
{
    return PAD8(sizeof *h) + ((size_t)h->nterms + h->nheadterms + h->nspecs) * sizeof(rpi_term) +
           ((size_t)h->nruns + h->nfigkey + h->nvalkey) * sizeof(uint64_t) +
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
static int features_pack(const view *v, char **buf, size_t *cap, size_t *size)
{
    packed h = {(uint32_t)v->nart, (uint32_t)v->nterms, (uint32_t)v->nheadterms,
                (uint32_t)v->nspecs, (uint32_t)v->nhead, 0, 0, (uint32_t)v->nnames,
                (uint32_t)v->nfigtok, (uint32_t)v->nfigkey, (uint32_t)v->nfigs,
                (uint32_t)v->nvalkey, v->nart ? v->sent[v->nart - 1] + 1 : 0, v->when};
    assert(v->facts && v->figsread);
    for (size_t i = 0; i < v->nart; i++) {
        h.ncontent += v->content[i] != 0;
        h.nruns += v->runkey[i] != 0;
    }
    *size = packed_size(&h);
    RP_TRY(rpi_grow((void **)buf, cap, *size, 1));
    char *q = *buf;
    memcpy(q, &h, sizeof h);
    q += PAD8(sizeof h);
    q = put_part(q, v->terms, h.nterms * sizeof *v->terms);
    q = put_part(q, v->headterms, h.nheadterms * sizeof *v->headterms);
    q = put_part(q, v->specs, h.nspecs * sizeof *v->specs);
    q = put_part(q, v->figkey, h.nfigkey * sizeof *v->figkey);
    q = put_part(q, v->valkey, h.nvalkey * sizeof *v->valkey);
    q = put_part(q, v->figs, h.nfigs * sizeof *v->figs);
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
    memset(q, 0, 2 * PAD8(h.nart)); /* the padding too: the store is written to disk */
    memcpy(q, v->content, h.nart);
    q += PAD8(h.nart);
    memcpy(q, v->spec, h.nart);
    return RP_OK;
}

static int sentences(view *v);
static int facts_of(view *v);
static int figures_of(view *v);
static int read_text(rp_corpus *c, uint32_t d, char **buf, size_t *cap);

/* Tokenise v's text (loaded) and keep its article tokens: those outside the
 * furniture lines of document d, as view_article chose them in pass 2. */
static int article_tokens(rp_corpus *c, view *v, uint32_t d)
{
    size_t bad_off;
    int rc = rpi_tokenize(&v->tok, v->text, v->len, &bad_off);
    if (rc == RP_EBADINPUT)
        return RP_EINTERNAL; /* it was valid in pass 1 */
    RP_TRY(rc);
    const rpi_token *tok = v->tok.tok;
    size_t ntok = v->tok.ntok;
    const rpi_furn *f = c->furn + c->furn_first[d], *fend = c->furn + c->furn_first[d + 1];
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

/*
 * Load v with the light part of packed features, blob: the term vectors, the
 * figures' keys and values and the days it names, which is all that a pair
 * sharing no n-gram needs (most pairs: the same-topic ones).
 */
static int unpack_light(view *v, const char *blob)
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
    q = get_part(v->terms, q, h.nterms * sizeof *v->terms);
    q = get_part(v->headterms, q, h.nheadterms * sizeof *v->headterms);
    q = get_part(v->specs, q, h.nspecs * sizeof *v->specs);
    q = get_part(v->figkey, q, h.nfigkey * sizeof *v->figkey);
    get_part(v->valkey, q, h.nvalkey * sizeof *v->valkey);
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
    v->when = h.when;
    v->facts = 1;
    v->figsread = 0;
    return RP_OK;
}

/*
 * Load the rest of document d's packed features, blob, into v (after
 * unpack_light): its text (from the shingle store) and article tokens, the
 * per-token flags, stems and figure runs, sentences and figures by value.
 */
static int unpack_full(rp_corpus *c, view *v, uint32_t d, const char *blob)
{
    packed h;
    memcpy(&h, blob, sizeof h);
    const char *q = blob + PAD8(sizeof h) +
                    PAD8(((size_t)h.nterms + h.nheadterms + h.nspecs) * sizeof(rpi_term)) +
                    PAD8(((size_t)h.nfigkey + h.nvalkey) * sizeof(uint64_t));
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
    q = get_part(v->figs, q, h.nfigs * sizeof *v->figs);
    q = get_part(v->sentfig, q, ((size_t)h.nsent + 1) * sizeof *v->sentfig);
    q = get_part(v->sentlen, q, (size_t)h.nsent * sizeof *v->sentlen);
    for (size_t k = 0, i = 0; k < h.nsent; k++)
        for (uint32_t j = 0; j < v->sentlen[k]; j++)
            v->sent[i++] = (uint32_t)k;
    const uint64_t *rk = (const uint64_t *)(const void *)q;
    const uint32_t *ri = (const uint32_t *)(const void *)(rk + h.nruns);
    const char *ti = (const char *)ri + PAD8((size_t)h.nruns * 4);
    size_t ib = index_bytes(&h);
    q = ti + PAD8((size_t)h.ncontent * ib);
    memcpy(v->content, q, n);
    q += PAD8(n);
    memcpy(v->spec, q, n);
    memset(v->runkey, 0, n * sizeof *v->runkey);
    for (size_t m = 0; m < h.nruns; m++)
        v->runkey[ri[m]] = rk[m];
    for (size_t i = 0, k = 0; i < n; i++) {
        uint32_t x = 0;
        if (v->content[i]) {
            if (ib == 2) {
                uint16_t y;
                memcpy(&y, ti + 2 * k++, 2);
                x = y;
            } else {
                memcpy(&x, ti + 4 * k++, 4);
            }
        }
        v->stem[i] = v->content[i] ? v->terms[x].hash : 0;
    }
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
static int view_article(rp_corpus *c, view *v, const rpi_furn *f, const rpi_furn *fend,
                        rpi_sortbuf *tmp)
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
        v->content[v->nart] = (uint8_t)rpi_content_key(v->text, tok, ntok, t, &v->stem[v->nart]);
        if (v->content[v->nart])
            h[nh++] = v->stem[v->nart];
        v->art[v->nart++] = tok[t];
    }
    RP_TRY(terms_of(c, h, nh, &v->terms, &v->nterms, &v->capterms, &v->sorttmp, &v->tdf,
                    &v->captdf));
    v->neterms = v->nheadterms = 0;
    if (v->nhead)
        RP_TRY(with_headline(c, v));
    RP_TRY(sentences(v));
    return specifics(c, v, tmp);
}

static void features_free(rp_corpus *c)
{
    rpi_spill_close(&c->fstore);
    rpi_free(c->feat);
    c->feat = NULL;
}

/*
 * Load document d into v from the feature store (pass 3): its light features
 * and shingle set, and with full, the rest (text, tokens, sentences, figures).
 * A view keeps what it loaded while it holds the same document.
 */
static int view_features(rp_corpus *c, view *v, uint32_t d, int full)
{
    if (v->doc != d) {
        v->doc = UINT32_MAX;
        const rpi_featref *f = &c->feat[d];
        RP_TRY(rpi_grow((void **)&v->blob, &v->capblob, (size_t)f->size + 1, 1));
        if (rpi_spill_read_bytes(&c->fstore, (int)f->file, f->off, f->size, v->blob) != RP_OK)
            return RP_EIO;
        RP_TRY(unpack_light(v, v->blob));
        RP_TRY(load_set(c, v, d));
        v->full = 0;
        v->doc = d;
    }
    if (full && !v->full) {
        RP_TRY(unpack_full(c, v, d, v->blob));
        v->full = 1;
    }
    return RP_OK;
}

/* Load document d into v (pass 2): text, tokens, lines and their furniture
 * kinds, decided from the counts (index_doc then calls view_article). */
static int view_read(rp_corpus *c, view *v, uint32_t d)
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
        rpi_furniture_kinds(&c->lines, v->text, tok, ntok, v->lines, v->nlines, doc_source(c, d),
                            v->kind, v->lkey);
    v->doc = d;
    return RP_OK;
}

/* ---- pass 2: furniture list and the two indexes ------------------------------- */

typedef struct wvec {
    uint64_t *v; /* values */
    size_t n, cap; /* used, capacity */
} wvec;

static int wvec_push(wvec *w, uint64_t x)
{
    RP_TRY(rpi_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v));
    w->v[w->n++] = x;
    return RP_OK;
}

/* A scored term, for choosing a document's key terms. */
typedef struct scored {
    double w; /* TF-IDF weight */
    uint64_t term; /* term hash */
} scored;

static int cmp_scored(const void *x, const void *y)
{
    const scored *p = x, *q = y;
    if (p->w != q->w)
        return p->w > q->w ? -1 : 1;
    return (p->term > q->term) - (p->term < q->term);
}

/* A sentence of a view, for finding differing figures. */
typedef struct rpi_sent {
    uint32_t w0, nw; /* its content words in wstate.words */
    uint32_t f0, nf; /* its figures in wstate.figs */
} rpi_sent;

typedef struct wstate {
    view v; /* document being read */
    view v2; /* second document when the cache cannot hold it (pass 3) */
    view cache[RPI_VIEW_CACHE]; /* recently compared documents, by doc % size (pass 3) */
    rpi_alignctx al; /* aligner scratch (pass 3) */
    uint64_t *sh; /* n-gram hashes or term hashes */
    size_t capsh; /* capacity of sh */
    rpi_term *ta, *tb; /* content words outside the passages, each side (pass 3) */
    size_t capta, captb; /* capacities */
    rpi_sortbuf tmp; /* sort scratch */
    rpi_sortbuf inside; /* content words inside passages (pass 3) */
    uint8_t *mask; /* tokens inside passages, both sides (pass 3) */
    size_t capmask; /* capacity */
    scored *sc; /* scored terms */
    size_t capsc; /* capacity */
    wvec ngram[RPI_PARTS]; /* postings key << 32 | doc, by bits 56..59 of the posting */
    wvec term; /* postings: key << 32 | doc */
    rpi_furn *furn; /* furniture lines found */
    size_t nfurn, capfurn; /* used, capacity */
    rp_difference *diff; /* differences found (pass 3) */
    size_t *diff_pair; /* candidate of each difference */
    size_t ndiff, capdiff, capdp; /* used, capacities */
    rpi_figure *figs; /* figures of both texts (pass 3) */
    size_t capfigs; /* capacity */
    rpi_sent *sents; /* sentences of both texts (pass 3) */
    size_t capsents; /* capacity */
    uint64_t *words; /* content words of the sentences, sorted per sentence */
    size_t capwords; /* capacity */
    rp_passage *pass; /* passages found (pass 3) */
    size_t *pass_pair; /* pair of each passage */
    size_t npass, cappass, cappp; /* used, capacities */
    uint64_t nloads; /* documents loaded (pass 3) */
    char *pack; /* packed features of one document (pass 2) */
    size_t cappack; /* capacity */
} wstate;

typedef struct reuse {
    rp_corpus *c; /* the corpus */
    wstate *ws; /* per worker */
    int nw; /* workers */
    uint64_t *cand; /* candidate pairs a << 32 | b, sorted */
    int32_t *copy; /* per candidate: index of its fast-path pair, or -1 */
    size_t ncand; /* their number */
    /* Per candidate results of pass 3. */
    uint8_t *rel; /* rp_relation */
    const char **why; /* rule */
    float *cov_a, *cov_b, *sim, *event, *specifics; /* features */
    float *jac, *con_a, *con_b; /* exact shingle Jaccard and containments */
    uint32_t *npass; /* passages */
    uint32_t *ndiff; /* differences */
} reuse;

static void wstate_free(wstate *w)
{
    view_free(&w->v);
    view_free(&w->v2);
    for (int k = 0; k < RPI_VIEW_CACHE; k++)
        view_free(&w->cache[k]);
    rpi_alignctx_free(&w->al);
    rpi_free(w->sh);
    rpi_free(w->ta);
    rpi_free(w->tb);
    rpi_free(w->sc);
    rpi_free(w->mask);
    rpi_free(w->tmp.v);
    rpi_free(w->inside.v);
    for (int k = 0; k < RPI_PARTS; k++)
        rpi_free(w->ngram[k].v);
    rpi_free(w->term.v);
    rpi_free(w->furn);
    rpi_free(w->pass);
    rpi_free(w->diff);
    rpi_free(w->diff_pair);
    rpi_free(w->figs);
    rpi_free(w->sents);
    rpi_free(w->words);
    rpi_free(w->pass_pair);
    rpi_free(w->pack);
}

/* Forget which documents the views hold (their memory is kept). */
static void wstate_reset(wstate *w)
{
    w->v.doc = w->v2.doc = UINT32_MAX;
    for (int k = 0; k < RPI_VIEW_CACHE; k++)
        w->cache[k].doc = UINT32_MAX;
}

static int index_doc(reuse *r, int worker, uint32_t d)
{
    wstate *w = &r->ws[worker];
    rp_corpus *c = r->c;
    view *v = &w->v;
    RP_TRY(view_read(c, v, d));
    size_t first = w->nfurn;
    for (size_t i = 0; i < v->nlines; i++)
        if (v->kind[i] != RPI_FURN_NONE) {
            RP_TRY(rpi_grow((void **)&w->furn, &w->capfurn, w->nfurn + 1, sizeof *w->furn));
            w->furn[w->nfurn++] = (rpi_furn){d, v->lines[i].start, v->lines[i].end, v->kind[i]};
        }
    /* The document's features for pass 3, once, to the feature store. */
    RP_TRY(view_article(c, v, w->furn + first, w->furn + w->nfurn, &w->tmp));
    RP_TRY(facts_of(v));
    RP_TRY(figures_of(v));
    size_t size;
    RP_TRY(features_pack(v, &w->pack, &w->cappack, &size));
    rpi_featref *f = &c->feat[d];
    f->file = (uint32_t)worker;
    f->size = (uint32_t)size;
    RP_TRY(rpi_spill_write_bytes(&c->fstore, worker, w->pack, size, &f->off));
    if (c->ndocs <= RPI_ALLPAIRS_MAX && c->opt.all_pairs)
        return RP_OK; /* every pair is compared: no index needed */
    /* Sampled n-grams of the article text. */
    size_t n = v->nart;
    size_t nsh = rpi_shingle_count(n, c->opt.ngram), m = 0;
    RP_TRY(rpi_grow((void **)&w->sh, &w->capsh, (nsh > n ? nsh : n) + 1, sizeof *w->sh));
    if (n) {
        rpi_shingles(v->art, n, c->opt.ngram, w->sh);
        for (size_t i = 0; i < nsh; i++)
            if (w->sh[i] >> (64 - RPI_SAMPLE_BITS) == 0)
                w->sh[m++] = (w->sh[i] & 0xFFFFFFFF00000000ULL) | d;
    }
    RP_TRY(rpi_sort_distinct(w->sh, m, &w->tmp.v, &w->tmp.cap, &m));
    for (size_t i = 0; i < m; i++)
        RP_TRY(wvec_push(&w->ngram[(w->sh[i] >> 56) & (RPI_PARTS - 1)], w->sh[i]));
    /* Key terms: the article's content words (view_article), whose document
     * frequencies terms_of kept. */
    RP_TRY(rpi_grow((void **)&w->sc, &w->capsc, v->nterms + 1, sizeof *w->sc));
    size_t ns = 0;
    for (size_t i = 0; i < v->nterms; i++) {
        uint32_t df = v->tdf[i];
        if (df >= 2 && df <= RPI_TERM_DF_CAP)
            w->sc[ns++] = (scored){rpi_tf_weight(v->terms[i].tf) * idf_of(c, df), v->terms[i].hash};
    }
    if (ns > 1)
        qsort(w->sc, ns, sizeof *w->sc, cmp_scored);
    for (size_t i = 0; i < ns && i < RPI_KEY_TERMS; i++)
        RP_TRY(wvec_push(&w->term, (w->sc[i].term & 0xFFFFFFFF00000000ULL) | d));
    return RP_OK;
}

/*
 * The spill store was written past the page cache, so every text read back
 * is a disk read: asking for the next ones first lets the disk serve many at
 * once (on the 50 MB evaluation corpus, waiting on these reads was half of
 * the wall-clock time before).
 */
#define RPI_PREFETCH 16

static void prefetch_doc(const rp_corpus *c, uint32_t d, int with_set)
{
    const rpi_doc *x = &c->docs[d];
    rpi_spill_prefetch(&c->spill, (int)x->set.file, x->text_off, (x->text_len + 7) / 8);
    if (with_set) {
        const rpi_featref *f = &c->feat[d];
        rpi_spill_prefetch(&c->spill, (int)x->set.file, x->set.off, x->set.n);
        rpi_spill_prefetch(&c->fstore, (int)f->file, f->off, (f->size + 7) / 8);
    }
}

static int index_range(void *ctx, int worker, size_t begin, size_t end)
{
    reuse *r = ctx;
    for (size_t d = begin; d < end && d < begin + RPI_PREFETCH; d++)
        prefetch_doc(r->c, (uint32_t)d, 0);
    for (size_t d = begin; d < end; d++) {
        if (d + RPI_PREFETCH < end)
            prefetch_doc(r->c, (uint32_t)(d + RPI_PREFETCH), 0);
        RP_TRY(index_doc(r, worker, (uint32_t)d));
    }
    return RP_OK;
}

/* Pairs (a << 32 | b, a < b) of documents sharing a key, from sorted postings; keys in more
 * than cap documents are skipped. */
static int pairs_of(uint64_t *post, size_t n, size_t cap, wvec *out, rpi_sortbuf *tmp)
{
    RP_TRY(rpi_sort_u64(post, n, &tmp->v, &tmp->cap));
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && post[j] >> 32 == post[i] >> 32)
            j++;
        if (j - i >= 2 && j - i <= cap)
            for (size_t x = i; x < j; x++)
                for (size_t y = x + 1; y < j; y++)
                    RP_TRY(wvec_push(out, (post[x] << 32) | (uint32_t)post[y]));
        i = j;
    }
    return RP_OK;
}

/* Keep the pairs of v listed at least k times; sorted, unique. */
static int keep_repeated(wvec *v, size_t k, rpi_sortbuf *tmp)
{
    RP_TRY(rpi_sort_u64(v->v, v->n, &tmp->v, &tmp->cap));
    size_t m = 0;
    for (size_t i = 0; i < v->n;) {
        size_t j = i;
        while (j < v->n && v->v[j] == v->v[i])
            j++;
        if (j - i >= k)
            v->v[m++] = v->v[i];
        i = j;
    }
    v->n = m;
    return RP_OK;
}

/* Concatenate the workers' postings of one kind (a wvec at offset off of wstate) into one
 * array, freeing theirs. */
static int gather(reuse *r, size_t off, wvec *all)
{
    for (int i = 0; i < r->nw; i++) {
        wvec *w = (wvec *)((char *)&r->ws[i] + off);
        RP_TRY(rpi_grow((void **)&all->v, &all->cap, all->n + w->n + 1, sizeof *all->v));
        if (w->n)
            memcpy(all->v + all->n, w->v, w->n * sizeof *w->v);
        all->n += w->n;
        rpi_free(w->v);
        memset(w, 0, sizeof *w);
    }
    return RP_OK;
}

static int candidates(reuse *r)
{
    rp_corpus *c = r->c;
    wvec all = {0}, pn = {0}, pt = {0}, cand = {0};
    rpi_sortbuf tmp = {0};
    int rc = RP_OK;
    if (c->ndocs <= RPI_ALLPAIRS_MAX && c->opt.all_pairs) {
        for (uint64_t a = 0; a < c->ndocs; a++)
            for (uint64_t b = a + 1; b < c->ndocs; b++)
                RP_CHECK(wvec_push(&cand, a << 32 | b));
    } else {
        /* One part of the n-gram postings at a time: sorting needs scratch
         * as large as what it sorts, and the postings are the largest thing
         * reprint holds (8 bytes per 8 words of text). */
        for (int k = 0; k < RPI_PARTS; k++) {
            all.n = 0;
            RP_CHECK(gather(r, offsetof(wstate, ngram) + (size_t)k * sizeof(wvec), &all));
            RP_CHECK(pairs_of(all.v, all.n, RPI_NGRAM_DF_CAP, &pn, &tmp));
        }
        all.n = 0;
        RP_CHECK(gather(r, offsetof(wstate, term), &all));
        RP_CHECK(pairs_of(all.v, all.n, RPI_TERM_DF_CAP, &pt, &tmp));
        rpi_free(all.v);
        all.v = NULL;
        RP_CHECK(keep_repeated(&pn, RPI_MIN_SHARED_NGRAMS, &tmp));
        RP_CHECK(keep_repeated(&pt, RPI_MIN_SHARED_TERMS, &tmp));
        for (size_t i = 0; i < pn.n; i++)
            RP_CHECK(wvec_push(&cand, pn.v[i]));
        for (size_t i = 0; i < pt.n; i++)
            RP_CHECK(wvec_push(&cand, pt.v[i]));
    }
    /* The copies of the fast path are aligned too (their passages are listed). */
    for (size_t i = 0; i < c->npairs; i++)
        RP_CHECK(wvec_push(&cand, (uint64_t)c->pairs[i].a << 32 | c->pairs[i].b));
    RP_CHECK(keep_repeated(&cand, 1, &tmp));
    r->cand = cand.v;
    r->ncand = cand.n;
    cand.v = NULL;
    r->copy = rpi_malloc(r->ncand * sizeof *r->copy + 1);
    if (!r->copy) {
        rc = RP_ENOMEM;
        goto fail;
    }
    /* c->pairs is sorted by (a, b), as is cand. */
    for (size_t i = 0, k = 0; i < r->ncand; i++) {
        uint64_t key = 0;
        while (k < c->npairs && (key = (uint64_t)c->pairs[k].a << 32 | c->pairs[k].b) < r->cand[i])
            k++;
        r->copy[i] = k < c->npairs && key == r->cand[i] ? (int32_t)k : -1;
    }
fail:
    rpi_free(tmp.v);
    rpi_free(all.v);
    rpi_free(pn.v);
    rpi_free(pt.v);
    rpi_free(cand.v);
    return rc;
}

/* ---- pass 3: align and name each candidate pair -------------------------------- */

/*
 * Content words of v outside the passages (mask: 1 inside): its term vector
 * minus the words inside, into out (capacity v->nterms).
 */
static int rest_terms(const view *v, const uint8_t *mask, rpi_term *out, size_t *nout,
                      wstate *w)
{
    size_t n = 0;
    for (size_t i = 0; i < v->nart; i++)
        n += mask[i] && v->content[i];
    if (n == 0) {
        memcpy(out, v->terms, v->nterms * sizeof *out);
        *nout = v->nterms;
        return RP_OK;
    }
    RP_TRY(rpi_grow((void **)&w->inside.v, &w->inside.cap, n + 1, sizeof *w->inside.v));
    uint64_t *h = w->inside.v;
    n = 0;
    for (size_t i = 0; i < v->nart; i++)
        if (mask[i] && v->content[i])
            h[n++] = v->stem[i];
    RP_TRY(rpi_sort_u64(h, n, &w->tmp.v, &w->tmp.cap));
    size_t m = 0, j = 0;
    for (size_t i = 0; i < v->nterms; i++) {
        uint32_t tf = v->terms[i].tf;
        while (j < n && h[j] < v->terms[i].hash)
            j++;
        while (j < n && h[j] == v->terms[i].hash) {
            tf--;
            j++;
        }
        if (tf > 0) {
            out[m] = v->terms[i];
            out[m++].tf = tf;
        }
    }
    *nout = m;
    return RP_OK;
}

/*
 * Differing figures of a related pair. "The same thing" is said by two
 * sentences that share content words: at least RPI_SAME_WORDS of them and
 * RPI_SAME_SHARE of the shorter sentence's (a passage aligned with light
 * edits always passes; so does a rewritten sentence that keeps its subject,
 * verb and object), or at least RPI_SAME_MIN_WORDS when the two figures say
 * what they count with the same word ("troops") or share an end of a range
 * ("about 1,000 to 3,000" / "around 3,000"). Inside such a pair of
 * sentences, figures are paired by that word or, failing it, when each
 * sentence holds just one figure of the kind; dates, weekdays and months
 * only by what they are the time of ("in Pyongyang on Friday" and "in
 * Pyongyang on Wednesday", not "state media reported Thursday"). A pair
 * whose values differ
 * (by value: "10,000-12,000" = "10,000 to 12,000", but not "about 10,000 to
 * 12,000" nor "up to 12,000") is a difference.
 */
#define RPI_SAME_WORDS 5
#define RPI_SAME_SHARE 0.35
#define RPI_SAME_MIN_WORDS 3
#define RPI_MAX_FIGS 64 /* figures read per sentence */

static size_t shared_words(const uint64_t *x, size_t nx, const uint64_t *y, size_t ny)
{
    size_t n = 0;
    for (size_t i = 0, j = 0; i < nx && j < ny;) {
        if (x[i] < y[j])
            i++;
        else if (y[j] < x[i])
            j++;
        else {
            n++;
            i++;
            j++;
        }
    }
    return n;
}

/*
 * The figures of v's article text by value (facts.c), sentence by sentence
 * (at most RPI_MAX_FIGS a sentence), and their keys (rpi_figure_key, sorted,
 * distinct): read once per loaded view, for the differences of a related
 * pair and for the figures of two texts sharing no passage (reading figures
 * is the costliest evidence of a view).
 */
static int figures_of(view *v)
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
        size_t n = rpi_figures(v->text, v->art[t].start, rpi_close_marks(v->text, v->len, v->art[t1 - 1].end),
                               v->figs + nf, RPI_MAX_FIGS);
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

static int sentence_info(wstate *w, view *v, size_t base, size_t *nw, size_t *nf)
{
    size_t nsent = v->nart ? (size_t)v->sent[v->nart - 1] + 1 : 0;
    RP_TRY(figures_of(v));
    RP_TRY(rpi_grow((void **)&w->sents, &w->capsents, base + nsent + 1, sizeof *w->sents));
    for (size_t t = 0; t < v->nart;) {
        uint32_t sid = v->sent[t];
        size_t t1 = t;
        while (t1 < v->nart && v->sent[t1] == sid)
            t1++;
        rpi_sent *se = &w->sents[base + sid];
        se->w0 = (uint32_t)*nw;
        RP_TRY(rpi_grow((void **)&w->words, &w->capwords, *nw + (t1 - t) + 1, sizeof *w->words));
        for (size_t k = t; k < t1; k++)
            if (v->content[k])
                w->words[(*nw)++] = v->art[k].hash;
        size_t m;
        RP_TRY(rpi_sort_distinct(w->words + se->w0, *nw - se->w0, &w->tmp.v, &w->tmp.cap, &m));
        *nw = se->w0 + m;
        se->nw = (uint32_t)m;
        se->f0 = (uint32_t)*nf;
        size_t nfig = v->sentfig[sid + 1] - v->sentfig[sid];
        RP_TRY(rpi_grow((void **)&w->figs, &w->capfigs, *nf + nfig + 1, sizeof *w->figs));
        if (nfig)
            memcpy(w->figs + *nf, v->figs + v->sentfig[sid], nfig * sizeof *w->figs);
        *nf += nfig;
        se->nf = (uint32_t)nfig;
        t = t1;
    }
    return RP_OK;
}

static int ends_meet(const rpi_figure *x, const rpi_figure *y)
{
    return x->lo == y->lo || x->lo == y->hi || x->hi == y->lo || x->hi == y->hi;
}

/* Figures of sentence se comparable with f. */
static size_t count_comparable(const wstate *w, const rpi_sent *se, const rpi_figure *f)
{
    size_t n = 0;
    for (uint32_t k = 0; k < se->nf; k++)
        n += rpi_figures_comparable(&w->figs[se->f0 + k], f);
    return n;
}

static int find_differences(wstate *w, size_t cand, uint32_t a, uint32_t b, view *va,
                            view *vb)
{
    size_t nw = 0, nf = 0;
    size_t na = va->nart ? (size_t)va->sent[va->nart - 1] + 1 : 0;
    size_t nb = vb->nart ? (size_t)vb->sent[vb->nart - 1] + 1 : 0;
    RP_TRY(sentence_info(w, va, 0, &nw, &nf));
    size_t nfa = nf;
    RP_TRY(sentence_info(w, vb, na, &nw, &nf));
    RP_TRY(rpi_grow((void **)&w->mask, &w->capmask, nf + 1, 1));
    memset(w->mask, 0, nf); /* figures already paired */
    for (size_t sa = 0; sa < na; sa++) {
        const rpi_sent *xa = &w->sents[sa];
        for (uint32_t ka = 0; ka < xa->nf; ka++) {
            const rpi_figure *fa = &w->figs[xa->f0 + ka];
            size_t best = SIZE_MAX, bestshared = 0;
            for (size_t sb = 0; sb < nb; sb++) {
                const rpi_sent *xb = &w->sents[na + sb];
                if (!xb->nf)
                    continue;
                size_t sh = shared_words(w->words + xa->w0, xa->nw, w->words + xb->w0, xb->nw);
                if (sh < RPI_SAME_MIN_WORDS || sh <= bestshared)
                    continue;
                size_t mn = xa->nw < xb->nw ? xa->nw : xb->nw;
                int strong = sh >= RPI_SAME_WORDS && sh >= RPI_SAME_SHARE * (double)mn;
                int alone = count_comparable(w, xa, fa) == 1;
                for (uint32_t kb = 0; kb < xb->nf; kb++) {
                    size_t idx = xb->f0 + kb;
                    const rpi_figure *fb = &w->figs[idx];
                    if (w->mask[idx] || !rpi_figures_comparable(fa, fb))
                        continue;
                    int unit = fa->unit && fa->unit == fb->unit;
                    int numeric = fa->kind <= RPI_FIG_PERCENT;
                    /* A time is paired only by what it is the time of. */
                    int one = numeric && alone && count_comparable(w, xb, fa) == 1;
                    if ((strong && (unit || one)) || unit || (numeric && one && ends_meet(fa, fb))) {
                        best = idx;
                        bestshared = sh;
                        break;
                    }
                }
            }
            if (best == SIZE_MAX)
                continue;
            w->mask[best] = 1;
            const rpi_figure *fb = &w->figs[best];
            if (rpi_figures_equal(fa, fb))
                continue;
            RP_TRY(rpi_grow((void **)&w->diff, &w->capdiff, w->ndiff + 1, sizeof *w->diff));
            RP_TRY(rpi_grow((void **)&w->diff_pair, &w->capdp, w->ndiff + 1, sizeof *w->diff_pair));
            int kind = fa->kind;
            if (kind <= RPI_FIG_PERCENT && fb->kind != fa->kind)
                kind = fa->kind == RPI_FIG_RANGE || fb->kind == RPI_FIG_RANGE ? RPI_FIG_RANGE
                                                                               : RPI_FIG_NUMBER;
            w->diff[w->ndiff] = (rp_difference){a, b, fa->start, fa->end, fb->start, fb->end,
                                                rpi_figure_kind_name(kind)};
            w->diff_pair[w->ndiff++] = cand;
        }
    }
    (void)nfa;
    return RP_OK;
}

/* The distinct specifics of tokens [t0, t1) of v, sorted, appended to w->sh from *n. */
static int specifics_in(wstate *w, const view *v, uint32_t t0, uint32_t t1, size_t *n)
{
    RP_TRY(rpi_grow((void **)&w->sh, &w->capsh, *n + (t1 - t0) + 1, sizeof *w->sh));
    size_t n0 = *n, m;
    for (uint32_t t = t0; t < t1; t++)
        if (v->spec[t] == RPI_SPEC_NAME)
            w->sh[(*n)++] = rpi_stem_hash(v->text, v->art[t].start, v->art[t].end) & ~1ULL;
        else if (v->runkey[t])
            w->sh[(*n)++] = v->runkey[t] | 1;
    RP_TRY(rpi_sort_distinct(w->sh + n0, *n - n0, &w->tmp.v, &w->tmp.cap, &m));
    *n = n0 + m;
    return RP_OK;
}

/* Is passage p shared template wording: do its two sides fill slots differently? */
static int is_template(wstate *w, const view *va, const view *vb, const rpi_passage *p, int *tpl)
{
    size_t na = 0, nb;
    RP_TRY(specifics_in(w, va, p->a0, p->a1, &na));
    nb = na;
    RP_TRY(specifics_in(w, vb, p->b0, p->b1, &nb));
    *tpl = rpi_slots_differ(w->sh, na, w->sh + na, nb - na, 2);
    return RP_OK;
}

static int compare_pair(reuse *r, wstate *w, size_t i)
{
    rp_corpus *c = r->c;
    uint32_t a = (uint32_t)(r->cand[i] >> 32), b = (uint32_t)r->cand[i];
    /* A document is in many pairs: keep its view in a small cache (texts
     * over 1 MiB go through the two scratch views, to bound memory). */
    view *va = c->docs[a].text_len <= RPI_CACHE_MAX_BYTES ? &w->cache[a % RPI_VIEW_CACHE] : &w->v;
    view *vb = c->docs[b].text_len <= RPI_CACHE_MAX_BYTES ? &w->cache[b % RPI_VIEW_CACHE] : &w->v2;
    if (va == vb)
        vb = &w->v2;
    w->nloads += (va->doc != a) + (vb->doc != b);
    RP_TRY(view_features(c, va, a, 0));
    RP_TRY(view_features(c, vb, b, 0));
    uint32_t inter = (uint32_t)rpi_intersect_count(va->set, va->nset, vb->set, vb->nset);
    /* Texts that share no word n-gram at all (most pairs found through rare
     * words) have no passage worth reporting: skip the alignment, and the
     * loading of their texts. */
    w->al.npass = 0;
    if (inter > 0) {
        RP_TRY(view_features(c, va, a, 1));
        RP_TRY(view_features(c, vb, b, 1));
        RP_TRY(rpi_align(&w->al, va->art, va->nart, vb->art, vb->nart));
    }
    /* (Passages only when inter > 0, where both views are full.) */
    const rpi_side sa = {va->text, va->len, va->art, va->nart, va->sent};
    const rpi_side sb = {vb->text, vb->len, vb->art, vb->nart, vb->sent};
    rpi_passage *p = w->al.pass;
    size_t np = 0, ntemplate = 0;
    for (size_t k = 0; k < w->al.npass; k++) {
        rpi_passage_edges(&sa, &sb, &p[k]);
        if (!rpi_passage_significant(&sa, &sb, &p[k]))
            continue;
        int tpl;
        RP_TRY(is_template(w, va, vb, &p[k], &tpl));
        if (tpl)
            ntemplate++;
        else
            p[np++] = p[k];
    }
    int lead = 0;
    for (size_t k = 0; k < np; k++)
        lead |= 2 * (size_t)p[k].a0 < va->nart && 2 * (size_t)p[k].b0 < vb->nart;
    rpi_features f = {.copy = r->copy[i] >= 0 ? (int)c->pairs[r->copy[i]].relation : -1,
                      .npass = (uint32_t)np,
                      .ntemplate = (uint32_t)ntemplate,
                      .lead = lead,
                      .event = rpi_cosine(va->nhead ? va->eterms : va->terms,
                                          va->nhead ? va->neterms : va->nterms,
                                          vb->nhead ? vb->eterms : vb->terms,
                                          vb->nhead ? vb->neterms : vb->nterms),
                      .specifics = rpi_cosine(va->specs, va->nspecs, vb->specs, vb->nspecs),
                      .named = va->nnames > 0 && vb->nnames > 0,
                      .tables = RPI_TABLE_SHARE * va->nfigtok >= va->nart &&
                                RPI_TABLE_SHARE * vb->nfigtok >= vb->nart,
                      .days_apart = -1};
    if (np > 0 || f.event >= RPI_STORY_SIM) {
        RP_TRY(facts_of(va));
        RP_TRY(facts_of(vb));
        f.other_day = rpi_when_conflict(&va->when, &vb->when);
        f.figure_slots = rpi_slots_differ(va->figkey, va->nfigkey, vb->figkey, vb->nfigkey, 1);
    }
    if (np == 0 && f.event >= RPI_STORY_SIM)
        f.other_figures = rpi_figures_disjoint(va->valkey, va->nvalkey, vb->valkey, vb->nvalkey);
    uint64_t ta = 0, tb = 0;
    for (size_t k = 0; k < np; k++) {
        ta += p[k].a1 - p[k].a0;
        tb += p[k].b1 - p[k].b0;
        f.matched += p[k].matches;
    }
    /* b's passages may overlap one another on side b only if the aligner allowed it; it
     * does not (align.h), so the sums are coverages. */
    f.cov_a = va->nart ? (double)ta / va->nart : 0;
    f.cov_b = vb->nart ? (double)tb / vb->nart : 0;
    if (np == 0) {
        f.sim_rest = rpi_cosine(va->terms, va->nterms, vb->terms, vb->nterms);
    } else {
        RP_TRY(rpi_grow((void **)&w->ta, &w->capta, va->nterms + 1, sizeof *w->ta));
        RP_TRY(rpi_grow((void **)&w->tb, &w->captb, vb->nterms + 1, sizeof *w->tb));
        RP_TRY(rpi_grow((void **)&w->mask, &w->capmask, va->nart + vb->nart + 1, 1));
        uint8_t *ma = w->mask, *mb = w->mask + va->nart;
        memset(w->mask, 0, va->nart + vb->nart);
        for (size_t k = 0; k < np; k++) {
            memset(ma + p[k].a0, 1, p[k].a1 - p[k].a0);
            memset(mb + p[k].b0, 1, p[k].b1 - p[k].b0);
        }
        size_t na, nb;
        RP_TRY(rest_terms(va, ma, w->ta, &na, w));
        RP_TRY(rest_terms(vb, mb, w->tb, &nb, w));
        f.sim_rest = rpi_cosine(w->ta, na, w->tb, nb);
    }
    if (c->docs[a].date_key != INT64_MAX && c->docs[b].date_key != INT64_MAX)
        f.days_apart =
            llabs(rpi_date_days(c->docs[a].date_key) - rpi_date_days(c->docs[b].date_key));
    const char *why;
    rp_relation rel = rpi_relation_name(&f, &why);
    r->rel[i] = (uint8_t)rel;
    r->why[i] = why;
    r->cov_a[i] = (float)f.cov_a;
    r->cov_b[i] = (float)f.cov_b;
    r->sim[i] = (float)f.sim_rest;
    r->event[i] = (float)f.event;
    r->specifics[i] = (float)f.specifics;
    r->npass[i] = (uint32_t)np;
    r->jac[i] = inter ? (float)((double)inter / ((double)va->nset + vb->nset - inter)) : 0;
    r->con_a[i] = va->nset ? (float)((double)inter / va->nset) : 0;
    r->con_b[i] = vb->nset ? (float)((double)inter / vb->nset) : 0;
    if (rel == RP_REL_UNRELATED && !c->opt.all_pairs)
        return RP_OK;
    if (rel == RP_REL_REPRINT || rel == RP_REL_SAME_STORY || rel == RP_REL_SHARES_PASSAGES) {
        size_t before = w->ndiff;
        RP_TRY(view_features(c, va, a, 1));
        RP_TRY(view_features(c, vb, b, 1));
        RP_TRY(find_differences(w, i, a, b, va, vb));
        r->ndiff[i] = (uint32_t)(w->ndiff - before);
    }
    RP_TRY(rpi_grow((void **)&w->pass, &w->cappass, w->npass + np + 1, sizeof *w->pass));
    RP_TRY(rpi_grow((void **)&w->pass_pair, &w->cappp, w->npass + np + 1, sizeof *w->pass_pair));
    for (size_t k = 0; k < np; k++) {
        w->pass[w->npass] = (rp_passage){a, b, p[k].a_start, p[k].a_end, p[k].b_start, p[k].b_end,
                                         p[k].score};
        w->pass_pair[w->npass++] = i;
    }
    return RP_OK;
}

static void prefetch_pair(const reuse *r, size_t i)
{
    uint32_t a = (uint32_t)(r->cand[i] >> 32), b = (uint32_t)r->cand[i];
    if (i == 0 || (uint32_t)(r->cand[i - 1] >> 32) != a)
        prefetch_doc(r->c, a, 1);
    prefetch_doc(r->c, b, 1);
}

static int compare_range(void *ctx, int worker, size_t begin, size_t end)
{
    reuse *r = ctx;
    for (size_t i = begin; i < end && i < begin + RPI_PREFETCH; i++)
        prefetch_pair(r, i);
    for (size_t i = begin; i < end; i++) {
        if (i + RPI_PREFETCH < end)
            prefetch_pair(r, i + RPI_PREFETCH);
        RP_TRY(compare_pair(r, &r->ws[worker], i));
    }
    return RP_OK;
}

/* ---- results ------------------------------------------------------------------- */

typedef struct tagged {
    size_t cand; /* candidate index */
    rp_passage p; /* the passage */
} tagged;

static int cmp_tagged(const void *x, const void *y)
{
    const tagged *p = x, *q = y;
    if (p->cand != q->cand)
        return p->cand < q->cand ? -1 : 1;
    return (p->p.a_start > q->p.a_start) - (p->p.a_start < q->p.a_start);
}

static int cmp_furn(const void *x, const void *y)
{
    const rpi_furn *p = x, *q = y;
    if (p->doc != q->doc)
        return p->doc < q->doc ? -1 : 1;
    return (p->start > q->start) - (p->start < q->start);
}

/* Story preference: the most article text, then the earliest date, then input order. */
static int prefer_story(void *ctx, uint32_t a, uint32_t b)
{
    const rp_corpus *c = ctx;
    const rpi_doc *x = &c->docs[a], *y = &c->docs[b];
    if (x->text_len != y->text_len)
        return x->text_len > y->text_len ? -1 : 1;
    if (x->date_key != y->date_key)
        return x->date_key < y->date_key ? -1 : 1;
    return (a > b) - (a < b);
}

/* Furniture lines of all documents in document order, and where each document's begin. */
static int gather_furniture(reuse *r)
{
    rp_corpus *c = r->c;
    for (int k = 0; k < r->nw; k++) {
        wstate *w = &r->ws[k];
        RP_TRY(rpi_grow((void **)&c->furn, &c->capfurn, c->nfurn + w->nfurn + 1, sizeof *c->furn));
        if (w->nfurn)
            memcpy(c->furn + c->nfurn, w->furn, w->nfurn * sizeof *w->furn);
        c->nfurn += w->nfurn;
        rpi_free(w->furn);
        w->furn = NULL;
        w->nfurn = w->capfurn = 0;
    }
    if (c->nfurn > 1)
        qsort(c->furn, c->nfurn, sizeof *c->furn, cmp_furn);
    c->furn_first = rpi_malloc((c->ndocs + 1) * sizeof *c->furn_first);
    if (!c->furn_first)
        return RP_ENOMEM;
    size_t k = 0;
    for (uint32_t d = 0; d <= c->ndocs; d++) {
        while (k < c->nfurn && c->furn[k].doc < d)
            k++;
        c->furn_first[d] = k;
    }
    return RP_OK;
}

typedef struct dtagged {
    size_t cand; /* candidate index */
    rp_difference d; /* the difference */
} dtagged;

static int cmp_dtagged(const void *x, const void *y)
{
    const dtagged *p = x, *q = y;
    if (p->cand != q->cand)
        return p->cand < q->cand ? -1 : 1;
    return (p->d.a_start > q->d.a_start) - (p->d.a_start < q->d.a_start);
}

/* Differences of all listed pairs, by pair then a_start, and each pair's first. */
static int collect_differences(reuse *r)
{
    rp_corpus *c = r->c;
    size_t n = 0;
    for (int k = 0; k < r->nw; k++)
        n += r->ws[k].ndiff;
    dtagged *tag = rpi_malloc(n * sizeof *tag + 1);
    c->diff = rpi_malloc(n * sizeof *c->diff + 1);
    c->pair_diff = rpi_malloc((c->npairs + 1) * sizeof *c->pair_diff);
    if (!tag || !c->diff || !c->pair_diff) {
        rpi_free(tag);
        return RP_ENOMEM;
    }
    n = 0;
    for (int k = 0; k < r->nw; k++)
        for (size_t i = 0; i < r->ws[k].ndiff; i++)
            tag[n++] = (dtagged){r->ws[k].diff_pair[i], r->ws[k].diff[i]};
    if (n > 1)
        qsort(tag, n, sizeof *tag, cmp_dtagged);
    size_t t = 0, np = 0;
    for (size_t i = 0; i < r->ncand; i++) {
        int listed = !((rp_relation)r->rel[i] == RP_REL_UNRELATED && !c->opt.all_pairs);
        if (listed)
            c->pair_diff[np++] = t;
        while (t < n && tag[t].cand == i) {
            c->diff[t] = tag[t].d; /* differences exist for listed pairs only */
            t++;
        }
    }
    assert(np == c->npairs && t == n);
    c->pair_diff[np] = n;
    c->ndiff = n;
    rpi_free(tag);
    return RP_OK;
}

static int collect(reuse *r)
{
    rp_corpus *c = r->c;
    int rc = RP_OK;
    /* Passages, by candidate (= by (a, b)) then a_start. */
    size_t ntag = 0;
    for (int k = 0; k < r->nw; k++)
        ntag += r->ws[k].npass;
    tagged *tag = rpi_malloc(ntag * sizeof *tag + 1);
    rp_pair *pairs = NULL;
    size_t npairs = 0, cappairs = 0;
    if (!tag)
        return RP_ENOMEM;
    ntag = 0;
    for (int k = 0; k < r->nw; k++)
        for (size_t i = 0; i < r->ws[k].npass; i++)
            tag[ntag++] = (tagged){r->ws[k].pass_pair[i], r->ws[k].pass[i]};
    if (ntag > 1)
        qsort(tag, ntag, sizeof *tag, cmp_tagged);
    c->pass = rpi_malloc(ntag * sizeof *c->pass + 1);
    if (!c->pass) {
        rc = RP_ENOMEM;
        goto fail;
    }
    /* Pairs: every candidate that is related (or all, with all_pairs). The
     * fast path's pairs not among the candidates (none: they all are) stay. */
    size_t t = 0;
    for (size_t i = 0; i < r->ncand; i++) {
        rp_relation rel = (rp_relation)r->rel[i];
        if (rel == RP_REL_UNRELATED && !c->opt.all_pairs)
            continue;
        rp_pair p = {0};
        if (r->copy[i] >= 0) {
            p = c->pairs[r->copy[i]];
        } else {
            p.jaccard = r->jac[i];
            p.containment_a = r->con_a[i];
            p.containment_b = r->con_b[i];
        }
        p.a = (uint32_t)(r->cand[i] >> 32);
        p.b = (uint32_t)r->cand[i];
        p.relation = rel;
        p.npassages = r->npass[i];
        p.coverage_a = r->cov_a[i];
        p.coverage_b = r->cov_b[i];
        p.similarity = r->sim[i];
        p.event = r->event[i];
        p.specifics = r->specifics[i];
        p.why = r->why[i];
        p.ndifferences = r->ndiff[i];
        RP_CHECK(rpi_grow((void **)&pairs, &cappairs, npairs + 1, sizeof *pairs));
        pairs[npairs++] = p;
    }
    c->pair_pass = rpi_malloc((npairs + 1) * sizeof *c->pair_pass);
    if (!c->pair_pass) {
        rc = RP_ENOMEM;
        goto fail;
    }
    /* Passage index per pair (pairs and tags are both in candidate order). */
    {
        size_t k = 0, np = 0;
        for (size_t i = 0; i < r->ncand; i++) {
            rp_relation rel = (rp_relation)r->rel[i];
            int listed = !(rel == RP_REL_UNRELATED && !c->opt.all_pairs);
            if (listed)
                c->pair_pass[np] = k;
            while (t < ntag && tag[t].cand == i) {
                if (listed)
                    c->pass[k++] = tag[t].p;
                t++;
            }
            np += listed;
        }
        c->pair_pass[np] = k;
        c->npass = k;
    }
    rpi_free(c->pairs);
    c->pairs = pairs;
    c->npairs = npairs;
    pairs = NULL;
    RP_CHECK(collect_differences(r));
    /* Stories: documents joined by copies, reprints and same-story pairs. */
    {
        rp_pair *sp = rpi_malloc(c->npairs * sizeof *sp + 1);
        size_t ns = 0;
        if (!sp) {
            rc = RP_ENOMEM;
            goto fail;
        }
        for (size_t i = 0; i < c->npairs; i++)
            if (c->pairs[i].relation <= RP_REL_SAME_STORY)
                sp[ns++] = c->pairs[i];
        rp_pair *star = NULL;
        size_t nstar = 0;
        uint32_t *unit = rpi_malloc(c->ndocs * sizeof *unit + 1);
        if (unit) {
            for (size_t d = 0; d < c->ndocs; d++)
                unit[d] = (uint32_t)d;
            for (size_t k = 0; k < c->cl.n; k++)
                for (size_t i = c->cl.start[k]; i < c->cl.start[k + 1]; i++)
                    unit[c->cl.members[i]] = c->cl.members[c->cl.start[k]];
            rc = rpi_stories_join(c->ndocs, sp, ns, unit, &star, &nstar);
        } else {
            rc = RP_ENOMEM;
        }
        if (rc == RP_OK)
            rc = rpi_clusters_build(c->ndocs, star, nstar, prefer_story, c, &c->st);
        rpi_free(unit);
        rpi_free(star);
        rpi_free(sp);
    }
fail:
    rpi_free(tag);
    rpi_free(pairs);
    return rc;
}


int rpi_reuse_run(rp_corpus *c)
{
    double t0 = rpi_now();
    reuse r = {.c = c, .nw = c->nthreads};
    int rc = RP_OK;
    r.ws = rpi_calloc((size_t)r.nw, sizeof *r.ws);
    if (!r.ws)
        return RP_ENOMEM;
    for (int k = 0; k < r.nw; k++)
        wstate_reset(&r.ws[k]);
    rpi_spill_prefetch_all(&c->spill);
    c->feat = rpi_calloc(c->ndocs + 1, sizeof *c->feat);
    if (!c->feat) {
        rc = RP_ENOMEM;
        goto fail;
    }
    /* The feature store keeps in memory what the shingle store left of the budget. */
    RP_CHECK(rpi_spill_open(&c->fstore, r.nw, c->err, sizeof c->err));
    size_t budget = c->opt.memory, kept = rpi_spill_kept(&c->spill);
    rpi_spill_keep(&c->fstore, budget > kept ? budget - kept : 0);
    for (uint32_t df = 0; df < RPI_IDF_TABLE; df++)
        c->idf[df] = rpi_idf(c->ndocs, df);
    double t1 = rpi_now();
    rpi_ticker tk = {c, RPI_PH_INDEX};
    rpi_report(c, RPI_PH_INDEX, 0, c->ndocs, 1);
    RP_CHECK(rpi_parallel_for_ticks(r.nw, c->ndocs, 256, index_range, &r, rpi_tick, &tk));
    rpi_report(c, RPI_PH_INDEX, c->ndocs, c->ndocs, 1);
    RP_CHECK(gather_furniture(&r));
    rpi_counter_free(&c->lines); /* furniture is decided: the line counts are done */
    if (rpi_spill_flush(&c->fstore) != RP_OK) {
        rc = RP_EIO;
        goto fail;
    }
    c->feat_bytes = 0;
    for (int w = 0; w < c->fstore.n; w++)
        c->feat_bytes += c->fstore.size[w];
    c->feat_kept = rpi_spill_kept(&c->fstore);
    c->t_index = rpi_now() - t1;
    t1 = rpi_now();
    RP_CHECK(candidates(&r));
    c->t_cands = rpi_now() - t1;
    size_t n = r.ncand + 1;
    r.rel = rpi_malloc(n);
    r.why = rpi_malloc(n * sizeof *r.why);
    r.cov_a = rpi_malloc(n * sizeof *r.cov_a);
    r.cov_b = rpi_malloc(n * sizeof *r.cov_b);
    r.sim = rpi_malloc(n * sizeof *r.sim);
    r.event = rpi_malloc(n * sizeof *r.event);
    r.specifics = rpi_malloc(n * sizeof *r.specifics);
    r.npass = rpi_malloc(n * sizeof *r.npass);
    r.jac = rpi_malloc(n * sizeof *r.jac);
    r.con_a = rpi_malloc(n * sizeof *r.con_a);
    r.con_b = rpi_malloc(n * sizeof *r.con_b);
    r.ndiff = rpi_calloc(n, sizeof *r.ndiff);
    if (!r.rel || !r.why || !r.cov_a || !r.cov_b || !r.sim || !r.event || !r.specifics || !r.npass || !r.jac || !r.con_a ||
        !r.con_b || !r.ndiff) {
        rc = RP_ENOMEM;
        goto fail;
    }
    for (int k = 0; k < r.nw; k++)
        wstate_reset(&r.ws[k]);
    c->ncompared = r.ncand;
    t1 = rpi_now();
    tk.phase = RPI_PH_COMPARE;
    rpi_report(c, RPI_PH_COMPARE, 0, r.ncand, 1);
    RP_CHECK(rpi_parallel_for_ticks(r.nw, r.ncand, 128, compare_range, &r, rpi_tick, &tk));
    rpi_report(c, RPI_PH_COMPARE, r.ncand, r.ncand, 1);
    c->t_compare = rpi_now() - t1;
    for (int k = 0; k < r.nw; k++)
        c->nloads += r.ws[k].nloads;
    features_free(c);
    t1 = rpi_now();
    RP_CHECK(collect(&r));
    c->t_collect = rpi_now() - t1;
fail:
    if (rc == RP_EIO && !c->err[0])
        rpi_spill_errmsg(c->fstore.errnum ? &c->fstore : &c->spill, "use", c->err,
                         sizeof c->err);
    if (rc == RP_EINTERNAL)
        rpi_fmt(c->err, sizeof c->err, "internal error: a text read back differs from pass 1");
    for (int k = 0; k < r.nw; k++)
        wstate_free(&r.ws[k]);
    rpi_free(r.ws);
    rpi_free(r.cand);
    rpi_free(r.copy);
    rpi_free(r.rel);
    rpi_free(r.why);
    rpi_free(r.cov_a);
    rpi_free(r.cov_b);
    rpi_free(r.sim);
    rpi_free(r.event);
    rpi_free(r.specifics);
    rpi_free(r.npass);
    rpi_free(r.jac);
    rpi_free(r.con_a);
    rpi_free(r.con_b);
    rpi_free(r.ndiff);
    features_free(c);
    c->t_reuse = rpi_now() - t0;
    return rc;
}

void rpi_reuse_free(rp_corpus *c)
{
    rpi_counter_free(&c->lines);
    rpi_counter_free(&c->terms);
    rpi_free(c->pass);
    rpi_free(c->pair_pass);
    rpi_free(c->furn);
    rpi_free(c->furn_first);
    rpi_free(c->diff);
    rpi_free(c->pair_diff);
    rpi_clusters_free(&c->st);
}
