/* SPDX-License-Identifier: MIT */
/*
 * doc_features.h -- document features: what the passes after the first need of
 * a document, computed once and kept in one format (doc_features.c).
 *
 * Pass 1 (the workers of corpus.c) adds each document's line keys and word
 * keys to the collection's counts (rpi_features_keys, rpi_features_count).
 * Pass 2 reads each text back once (rpi_view_read), decides its furniture,
 * computes its article view (rpi_view_article, rpi_view_facts,
 * rpi_view_figures) and packs it (rpi_features_put), kept in memory within
 * what rp_options.memory leaves. Pass 3 loads a document's light features
 * (term vectors, figure keys, days) or all of them (rpi_view_features) for
 * each pair, without tokenising, stemming or weighing it again; the features
 * of a document that were not kept are computed again, the same way.
 */
#ifndef RP_DOC_FEATURES_H
#define RP_DOC_FEATURES_H

#include "corpus_int.h"
#include "furniture.h"

/*
 * A document's view: what pass 2 computes of it (text, tokens, lines and
 * their furniture, article tokens, content words, term vectors, specifics,
 * days, figures), and what pass 3 loads back of it or computes again.
 */
typedef struct rpi_view {
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
    int facts; /* when and figkey are read (rpi_view_facts) */
    int figsread; /* figs, sentfig and valkey are read (rpi_view_figures) */
    rpi_when when; /* days it names (pass 3 only) */
    uint64_t dateline; /* the place of its dateline, or 0 (rpi_dateline; pass 3 only) */
    uint64_t *runkey; /* per article token: key of the figure run it starts, or 0 (pass 3) */
    size_t caprunkey; /* capacity */
    uint64_t *figkey; /* keys of the figure runs it states, sorted, distinct (pass 3 only) */
    size_t nfigkey, capfigkey; /* used, capacity */
    uint64_t *valkey; /* keys of the figure values it states, sorted, distinct (pass 3) */
    size_t nvalkey, capvalkey; /* used, capacity */
    uint64_t *lead; /* specifics of its headline and lede (rpi_view_facts), sorted, distinct */
    size_t nlead, caplead; /* used, capacity */
    uint64_t *hl; /* content stems of its headline (rpi_view_facts), sorted, distinct */
    size_t nhl, caphl; /* used, capacity */
    rpi_figure *figs; /* figures by value, by sentence (rpi_view_figures) */
    size_t nfigs, capfigs; /* used, capacity */
    uint32_t *sentfig; /* per sentence: its first figure in figs; [nsent] = nfigs */
    size_t capsentfig; /* capacity */
    rpi_sortbuf scratch; /* scratch of the features computed again (pass 3) */
    char *pack; /* their packed form, to keep them (pass 3) */
    size_t cappack; /* capacity */
    int full; /* all of the document's features are loaded, not only the light ones */
} rpi_view;

void rpi_view_free(rpi_view *v);

/* Pass 1: the counts (see corpus_int.h for rpi_linescratch). */
int rpi_features_counts_open(rp_corpus *c, uint64_t input_bytes);
int rpi_features_keys(rpi_linescratch *ls, const char *text, size_t len, const rpi_token *tok,
                      size_t ntok, uint64_t srckey, rpi_buf *out, size_t *nkeys);
/* Add the keys of shard shard (rpi_counts_shard) of one document to the counts. */
void rpi_features_count(rp_corpus *c, const uint64_t *keys, size_t nkeys, size_t shard);
/* Make the counts of table t exact where keys went past its largest size
 * (rpi_counter_settle on each shard, with fn and ctx); a failure's message in
 * c->err. */
int rpi_features_counts_settle(rp_corpus *c, rpi_counts *t, rpi_count_fn fn, void *ctx);
/* The message of a failed settle of table t. */
void rpi_features_counts_errmsg(rp_corpus *c, const rpi_counter *t, int rc);

/* Pass 2. */
/* The source key of document d (rpi_source_key of its source and url). */
uint64_t rpi_doc_source(const rp_corpus *c, uint32_t d);
int rpi_view_read(rp_corpus *c, rpi_view *v, uint32_t d);
/* With all == 0, only what the indexes of pass 2 need: article tokens, content
 * words, term vector (for a document whose features are not kept). */
int rpi_view_article(rp_corpus *c, rpi_view *v, const rpi_furn *f, const rpi_furn *fend,
                     rpi_sortbuf *tmp, int all);
int rpi_view_facts(rpi_view *v);
int rpi_view_figures(rpi_view *v);
/* rpi_idf(c->ndocs, df), from a table for small df. */
double rpi_idf_of(const rp_corpus *c, uint32_t df);

/* The kept features: opened before pass 2 (nworkers share the budget); a view
 * (after rpi_view_article) is packed and kept with rpi_features_put while its
 * worker's share lasts; sealed (statistics) after pass 2; freed after pass 3. */
int rpi_features_open(rp_corpus *c, int nworkers);
/* Has the worker room left to keep features? */
int rpi_features_room(const rp_corpus *c, int worker);
int rpi_features_put(rp_corpus *c, int worker, uint32_t d, rpi_view *v, char **buf,
                     size_t *cap);
void rpi_features_seal(rp_corpus *c, int nworkers);
void rpi_features_free(rp_corpus *c);
/* Give back the features pass 3 computed again and kept (c->feat_extra_budget),
 * and keep no more: a document's are then computed again when asked. */
void rpi_features_drop_again(rp_corpus *c);

/* A divided run. The packed features of document d (*blob, *size bytes): those
 * kept, or computed again in v (then valid until v's next use). */
int rpi_features_blob(rp_corpus *c, rpi_view *v, uint32_t d, const char **blob, size_t *size);

/*
 * The packed features of v (article view complete: rpi_view_article with all)
 * into (*buf, *cap), *size their bytes; the days and figures are read first.
 */
int rpi_features_pack(rpi_view *v, char **buf, size_t *cap, size_t *size);
/* The bytes of the packed features at blob (len bytes there), or 0 when they
 * do not fit in len (not packed features). */
size_t rpi_features_packed_size(const char *blob, size_t len);
/* Are the len bytes at blob (8-byte aligned) packed features of a text of
 * text_len bytes, all of them, their parts consistent (every count, offset and
 * index within what it counts or points into), so that loading them reads and
 * writes only within their arrays? They may come from a file. */
int rpi_features_check(const char *blob, size_t len, size_t text_len);
/* Set the IDF of the term vectors of packed features blob (8-byte aligned) to 0:
 * the collection's counts change, and rpi_features_adopt weighs them again. */
void rpi_features_unweigh(char *blob);
/* The article tokens of the document of packed features blob. */
uint32_t rpi_features_nart(const char *blob);
/*
 * Keep packed features of document d computed before (size bytes at blob,
 * rpi_features_packed_size), as pass 2 keeps its own: copied for worker, their
 * term vectors weighed with this run's document frequencies. v receives the
 * article's term vector and each term's document frequency (terms, tdf), as
 * rpi_view_article gives them, for the key terms.
 */
int rpi_features_adopt(rp_corpus *c, int worker, uint32_t d, const char *blob, size_t size,
                       rpi_view *v);
/*
 * What the index stores of document d (stored.c), its view v after pass 2
 * (rpi_view_read, and rpi_view_article with all): its packed features, and
 * what its furniture was decided from without the counts (each line's hash,
 * tokens, kind by the built-in rules, and whether the text is hard-wrapped),
 * with the kinds decided, into *out (rpi_malloc'd, *len bytes).
 */
int rpi_stored_make(rp_corpus *c, rpi_view *v, uint32_t d, char **out, size_t *len);
/*
 * The furniture of st's document d decided again with this run's counts, into
 * (*furn, *nfurn, *capfurn) as pass 2 lists it (v is scratch); *same is 1 when
 * every line has the kind it was stored with: then the stored features are
 * what pass 2 computes now (but for the IDF, rpi_features_adopt).
 */
int rpi_stored_furniture(const rp_corpus *c, const rpi_stored *st, uint32_t d, rpi_view *v,
                         rpi_furn **furn, size_t *nfurn, size_t *capfurn, int *same);
/* Load document d's text into v and its article tokens: those outside the
 * furniture lines f[0..fend) (by offset). The rest of v is not of d. */
int rpi_view_masked(rp_corpus *c, rpi_view *v, uint32_t d, const rpi_furn *f,
                    const rpi_furn *fend);
/* Take document d's keys out of the counts of pass 1 (a document dropped after it). */
int rpi_features_uncount(rp_corpus *c, uint32_t d);
/* Pass 3: document d into v, its light features, or with full all of them. */
int rpi_view_features(rp_corpus *c, rpi_view *v, uint32_t d, int full);

/*
 * Story vectors (rpi_vector_fn, story.c): a document's event terms (those
 * rp_pair.event is the cosine of) and its specifics when it has names (else
 * none). A record of them: its number g, the number of event terms and of
 * specifics (each a uint32_t), then those two arrays of rpi_term, weighed.
 */
/* The vectors of a loaded view v (which 0: event terms; 1: specifics). */
void rpi_story_vector_of(const rpi_view *v, int which, const rpi_term **t, size_t *n);
/* Append the record of document d (its features there: before
 * rpi_features_free), numbered g, to b; v is scratch. */
int rpi_story_vector_put(rp_corpus *c, rpi_view *v, uint32_t d, uint32_t g, rpi_buf *b);
/* The record of the view v after pass 2 (rpi_view_article with all), numbered
 * g, into *out (rpi_malloc'd, *len bytes). */
int rpi_story_vector_make(const rpi_view *v, uint32_t g, char **out, size_t *len);
/* Is the record at data[off..len) whole? Its end into *end. */
int rpi_story_vector_check(const char *data, size_t len, size_t off, size_t *end);
/* The vector which (0, 1) of the whole record rec (len bytes from it), copied
 * into (*buf, *cap), into *t and *n. */
int rpi_story_vector_get(const char *rec, size_t len, int which, rpi_term **buf, size_t *cap,
                         const rpi_term **t, size_t *n);

/*
 * The spill store was written past the page cache, so every text read back
 * is a disk read: asking for the next ones first lets the disk serve many at
 * once (on the 50 MB evaluation corpus, waiting on these reads was half of
 * the wall-clock time before). Documents asked for ahead: RPI_PREFETCH.
 */
#define RPI_PREFETCH 16

/* Ask the stores for what loading d will read (with_set: pass 3). */
void rpi_view_prefetch(const rp_corpus *c, uint32_t d, int with_set);

#endif /* RP_DOC_FEATURES_H */
