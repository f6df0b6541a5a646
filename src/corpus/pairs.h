/* SPDX-License-Identifier: MIT */
/*
 * pairs.h -- passes 2 and 3 of the default scan, by phase (pairs.c), for
 * the one-process driver (rpi_pairs_run) and the run divided among ranks
 * (distpairs.c), which runs the same phases on each rank's part.
 */
#ifndef RP_PAIRS_H
#define RP_PAIRS_H

#include "doc_features.h"
#include "align.h"
#include "sketch.h"

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

/* A scored term, for choosing a document's key terms. */
typedef struct scored {
    double w; /* TF-IDF weight */
    uint64_t term; /* term hash */
} scored;

typedef struct wstate {
    rpi_view v; /* document being read */
    rpi_view v2; /* second document when the cache cannot hold it (pass 3) */
    rpi_view cache[RPI_VIEW_CACHE]; /* recently compared documents, by doc % size (pass 3) */
    rpi_alignctx al; /* aligner scratch (pass 3) */
    uint64_t *sh; /* n-gram hashes or term hashes */
    size_t capsh; /* capacity of sh */
    float *shw; /* the weights of the specifics in sh (is_template, pass 3) */
    size_t capshw; /* capacity of shw */
    rpi_term *ta, *tb; /* content words outside the passages, each side (pass 3) */
    size_t capta, captb; /* capacities */
    rpi_sortbuf tmp; /* sort scratch */
    rpi_sortbuf inside; /* content words inside passages (pass 3) */
    float *wa, *wb; /* per article token, the IDF of its content word (pass 3) */
    size_t capwa, capwb; /* capacities */
    uint8_t *mask; /* tokens inside passages, both sides (pass 3) */
    size_t capmask; /* capacity */
    scored *sc; /* scored terms */
    size_t capsc; /* capacity */
    rpi_vec ngram[RPI_PARTS]; /* postings key << 32 | doc, by bits 56..59 of the posting */
    rpi_vec term; /* postings: key << 32 | doc */
    rpi_vec term_all; /* with hooks.capture: the key terms among all of df 1.. (the index) */
    rpi_furn *furn; /* furniture lines found */
    size_t nfurn, capfurn; /* used, capacity */
    rpi_diffscratch ds; /* scratch of rpi_differences (pass 3) */
    rp_difference *diff; /* differences found (pass 3) */
    size_t *diff_pair; /* candidate of each difference */
    size_t ndiff, capdiff, capdp; /* used, capacities */
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
    int32_t *copy; /* per candidate: index of its fast-path pair in c->pairs, or -1 */
    int8_t *copyrel; /* per candidate: the relation of its fast-path pair, or -1 */
    size_t ncand; /* their number */
    size_t nindex; /* pass 2 indexes documents [0, nindex) (a rank's own) */
    size_t nall; /* documents of the whole run (all_pairs on small runs) */
    uint32_t base; /* their number in the whole run (a rank's first; 0 in one process) */
    size_t cfirst; /* rpi_reuse_compare: the first candidate of the range compared */
    /* Per candidate results of pass 3. */
    uint8_t *rel; /* rp_relation */
    const char **why; /* rule */
    float *cov_a, *cov_b, *sim, *event, *specifics; /* features */
    float *jac, *con_a, *con_b; /* exact shingle Jaccard and containments */
    uint32_t *npass; /* passages */
    uint32_t *ndiff; /* differences */
    int vectors; /* the documents' features are there for the stories (one process) */
} reuse;

/*
 * The story vectors of documents (rpi_vector_fn) held by other ranks,
 * fetched by a rank of a divided run for its part of the joins
 * (distjoin.c): data holds records as
 * rpi_story_vector_put writes them (doc_features.h); doc[i], ascending, the
 * documents fetched, at[i] the offset of doc[i]'s record.
 */
typedef struct rpi_vecstore {
    const char *data;
    size_t len;
    uint32_t *doc;
    size_t *at;
    size_t n;
} rpi_vecstore;

/* Workers' states and the features store for passes 2 and 3 (r->c set). */
int rpi_reuse_open(reuse *r);
/* Pass 2 on documents [0, r->nindex): furniture (c->furn, indexed for
 * c->ndocs documents), features kept, postings in the workers' states. */
int rpi_reuse_index(reuse *r);
/* The postings are freed after pass 2: pass 3 may keep features computed
 * again in the memory they held (part of what rpi_store_budget set aside). */
void rpi_reuse_extra_budget(reuse *r);
/* Candidates from the postings of this process (one process only). */
int rpi_reuse_candidates(reuse *r);
/* r->copy from c->pairs (both sorted by (a, b)). */
int rpi_reuse_copies(reuse *r);
/* The per-candidate result arrays for r->ncand candidates. */
int rpi_reuse_results(reuse *r);
/* Pass 3 on candidates [i0, i1): their results, passages and differences. */
int rpi_reuse_compare(reuse *r, size_t i0, size_t i1);
/* What the listed candidates of a reuse come to: arrays as the corpus holds
 * them (c->pairs, c->pass, c->pair_pass, c->diff, c->pair_diff). */
typedef struct rpi_results {
    rp_pair *pairs;
    size_t npairs;
    rp_passage *pass; /* by pair then a_start */
    size_t *pair_pass; /* [npairs + 1]: each pair's first passage; [npairs] = npass */
    size_t npass;
    rp_difference *diff; /* by pair then a_start */
    size_t *pair_diff; /* [npairs + 1], as pair_pass */
    size_t ndiff;
} rpi_results;
/* r's listed pairs (r->copy set: rpi_reuse_copies), passages and differences into out. */
int rpi_reuse_listed(reuse *r, rpi_results *out);
void rpi_results_free(rpi_results *x);
/* x's arrays become c's (c's before freed: rpi_free_result); x is emptied. */
void rpi_results_install(rp_corpus *c, rpi_results *x);
/* The listed pairs, passages and differences into c (rpi_reuse_listed, installed). */
int rpi_reuse_collect(reuse *r);
/* Then the stories and timelines into c (one process): with r->vectors, the
 * documents' features still there (before rpi_features_free). A divided run
 * joins them on its ranks instead (distjoin.c). */
int rpi_reuse_stories(reuse *r);
/* Story preference (an rpi_prefer_fn, ctx the corpus): the most article
 * text, then the earliest date, then input order. */
int rpi_prefer_story(void *ctx, uint32_t a, uint32_t b);
/* Document doc's date key (an rpi_date_fn, ctx the corpus). */
int64_t rpi_date_of(void *ctx, uint32_t doc);
void rpi_reuse_close(reuse *r);
/* The message of an I/O failure or a changed text in passes 2 and 3 (c->err). */
void rpi_pairs_failed(rp_corpus *c, int rc);
/* Sort c->furn and index it for documents [0, ndocs) (c->furn_first). */
int rpi_furniture_index(rp_corpus *c, size_t ndocs);

#endif /* RP_PAIRS_H */
