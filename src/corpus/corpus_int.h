/* SPDX-License-Identifier: MIT */
/*
 * corpus_int.h -- the rp_corpus handle, shared by the pipeline driver
 * (corpus.c) and the writers in src/output/.
 */
#ifndef RP_CORPUS_INT_H
#define RP_CORPUS_INT_H

#include "common.h"
#include "io.h"
#include "relate.h"
#include "shingle.h"
#include "normalize.h"

/*
 * Largest group of exact duplicates (or of documents sharing one LSH band
 * key) whose pairs are all listed; beyond it, pairs go through one member
 * (README "Limits"). 1,000 keeps the worst case at a million pairs a group.
 */
#define RPI_GROUP_CAP 1000

/*
 * MinHash values kept per document (8 bits each) to reject candidates far
 * below the threshold before reading their shingle sets (README
 * "Verification"): 128 bytes a document.
 */
#define RPI_SIG8 128

/* A divided default scan sets aside 1/RPI_ROUND_SHARE of rp_options.memory for
 * the rounds of other ranks' documents of pass 3 (distpairs.c). */
#define RPI_ROUND_SHARE 4
/* Arrays of the results c->mapped may hold (pairs.h rpi_results' five, furniture). */
#define RPI_NMAPPED 6

/* Document frequencies whose IDF is read from a table rather than computed. */
#define RPI_IDF_TABLE 1024

/* The exchanges of a distributed run, in order (distrib.c). */
enum {
    RPI_X_LINES, /* newline counts of the byte ranges (shares) */
    RPI_X_IDS, /* every document's id, to the rank owning its hash */
    RPI_X_DUPS, /* the repeated ids, back */
    RPI_X_DOCS, /* every document's record, to rank 0 */
    RPI_X_NUMBERS, /* each rank's first number, from rank 0 */
    RPI_X_HASHES, /* every document's text hash, to the rank owning it */
    RPI_X_GROUPS, /* each rank's documents not first in their group; rank 0: the groups */
    RPI_X_BANDS, /* band keys, to their bucket's rank */
    RPI_X_FACT_REQUESTS, /* documents of buckets over the cap whose keep facts a rank needs */
    RPI_X_FACTS, /* their lengths and dates, back */
    RPI_X_CANDIDATES, /* candidate pairs, to their first document's rank */
    RPI_X_REQUESTS, /* documents whose sets a rank needs */
    RPI_X_SETS, /* signatures and shingle sets, back */
    RPI_X_VERIFIED, /* verified pairs, to rank 0 */
    RPI_X_INPUTS, /* the names of each rank's own inputs, to rank 0 (local inputs) */
    RPI_X_KEEP, /* which of its documents each rank keeps, from rank 0 (local inputs) */
    RPI_X_COUNTS, /* count keys (lines, words) and their counts, to their owners (default scan) */
    RPI_X_SUMS, /* the whole run's counts of those keys, back */
    RPI_X_POSTINGS, /* sampled n-grams and key terms with their document, to their owners */
    RPI_X_PAIRS, /* pairs sharing one, to the rank comparing them (one of their two) */
    RPI_X_COPIES, /* the copies of the fast path, from rank 0 to the rank comparing them */
    RPI_X_DOC_REQUESTS, /* documents a rank compares and another holds */
    RPI_X_DOC_FEATURES, /* their text, shingles, furniture and packed features, back */
    RPI_X_RESULTS, /* listed pairs, passages, differences and furniture, to rank 0 */
    RPI_X_TEXT_REQUESTS, /* texts rank 0 needs for its outputs */
    RPI_X_TEXTS, /* those texts, to rank 0 */
    RPI_X_VECTOR_REQUESTS, /* documents whose story vectors a rank's join needs */
    RPI_X_VECTORS, /* those vectors, to it */
    RPI_X_JOIN_PARTS, /* the pairs and copy clusters of the components, from rank 0 to their join */
    RPI_X_JOINED, /* each rank's stories and timelines, to rank 0 */
    RPI_X_N
};

/* A slot of the table of ids: doc+1 (0: empty), the high bits of the id's hash. */
typedef struct rpi_idslot {
    uint32_t doc, hash;
} rpi_idslot;

/* What is kept in memory per document: 88 bytes. */
typedef struct rpi_doc {
    uint64_t id_off; /* offset of the id in the string arena */
    uint64_t meta_off; /* offset of "date\0source\0url\0title\0" in the arena, or UINT64_MAX */
    int64_t date_key; /* rpi_date_key of the date (INT64_MAX: unknown) */
    uint64_t line; /* line in its input (JSONL), 0 for a plain file */
    uint64_t thash[2]; /* hash of the normalised token sequence */
    rpi_setref set; /* its shingles in the spill store */
    uint64_t text_off; /* its text in the same spill file (not in fast mode); with set.file
                          RPI_SETREF_INPUT, the record's byte offset in its input */
    uint32_t input; /* input number */
    uint32_t text_len; /* bytes of text */
    uint64_t rec_len; /* bytes of the raw record (JSONL line, or file), to check a re-read */
    uint64_t src; /* rpi_source_key of its source, else of its URL's host; 0: neither */
} rpi_doc;

/* A page-furniture line, for rp_corpus_furniture(). */
typedef struct rpi_furn {
    uint32_t doc; /* document */
    uint32_t start, end; /* bytes of its text */
    uint32_t kind; /* rpi_furn_kind */
} rpi_furn;

/*
 * The persistent index (src/index/) runs the pipeline on part of its
 * collection: the new documents, then those with their candidates. These
 * let it give the statistics of the whole collection, take what it stores
 * of each document, and compare only the pairs of the new documents. All
 * zero in a scan (rpi_corpus_hooks).
 */
typedef struct rpi_hooks {
    void *ctx; /* passed to stats */
    /* After pass 1 (before anything reads the counts): set c->lines and
     * c->terms to the counts of the whole collection. */
    int (*stats)(void *ctx, rp_corpus *c);
    uint64_t ndocs; /* documents of the whole collection, for IDF; 0: this run's */
    /* stats answers every count as it is read (rpi_counter.resolve), and none
     * from this run's own additions: pass 1 computes and adds no count keys. */
    int resolved_counts;
    uint32_t focus; /* pass 3 compares only pairs (a, b) with b >= focus */
    /* Keep what the index stores of each document (cap_* below), and stop
     * there: no copies are found and no pair is compared (the index finds
     * and compares the pairs of its new documents in a run of its own). */
    int capture;
    /* Pass 2 also makes what the index stores of each document's features
     * (rpi_stored_make) into c->stored_out[d] (NULL: nothing to store). */
    int store;
    /* Pass 2 also makes each document's story vectors (a record,
     * rpi_story_vector_make) into c->vec_out[d]. */
    int vectors;
    /* Features the index stored of documents d < nstored (stored[d], NULL for
     * none; stored_len[d] bytes), which pass 2 uses while they are what it
     * would compute (rpi_stored_parse, rpi_stored_furniture). */
    const char *const *stored;
    const size_t *stored_len;
    size_t nstored;
} rpi_hooks;

/* What the index stores of a document's features (stored.c), read in place. */
typedef struct rpi_stored {
    const char *packed; /* packed features (doc_features.c) */
    size_t npacked; /* their bytes */
    const char *lines; /* its lines with words: start, end, tokens, rule and kind, hash */
    uint32_t nlines;
    uint32_t ntok; /* tokens of the text */
    int wrapped; /* hard-wrapped (rpi_furniture_wrapped) */
    uint64_t text_len, thash[2]; /* the text it was made of: bytes, rpi_doc.thash */
} rpi_stored;

/* Read blob (len bytes, as rpi_stored_make made it) into *st: 0 when it is not such a blob. */
int rpi_stored_parse(const char *blob, size_t len, rpi_stored *st);


/* A pass-2 worker's kept features, one after another in 2 MiB blocks of huge
 * pages (doc_features.c). */
typedef struct rpi_feat_blocks {
    char **blk; /* the blocks */
    size_t nblk, capblk; /* blocks, capacity of blk */
    size_t used; /* bytes used in the last block */
} rpi_feat_blocks;

struct rp_corpus {
    rp_options opt; /* options as given (strings borrowed) */
    rpi_hooks hooks; /* the index's, or all zero */
    rpi_vec cap_keys; /* with hooks.capture: each document's count keys, in order */
    size_t *cap_keys_end; /* per document: end of its keys in cap_keys */
    size_t capcapkeys; /* capacity of cap_keys_end */
    uint64_t *cap_bands; /* with hooks.capture: band keys, bands per document */
    size_t capcap_bands; /* its capacity (rpi_free_huge) */
    rpi_vec cap_grams, cap_terms; /* with hooks.capture: postings key << 32 | doc of pass 2 */
    rpi_vec cap_terms_all; /* with hooks.capture: key terms among words of any df (stored) */
    char **stored_out; /* with hooks.store: per document, what the index stores of its
                          features (rpi_stored_make), or NULL */
    size_t *stored_out_len; /* their bytes */
    char **vec_out; /* with hooks.vectors: per document, its story vectors' record */
    size_t *vec_out_len; /* their bytes */
    uint64_t nstored_used; /* documents whose stored features pass 2 took (atomic; bench/) */
    rpi_inputs in; /* inputs */
    char err[1024]; /* last error message */
    int ran; /* rp_corpus_run was called */
    int nthreads; /* worker threads */
    int rows, bands; /* LSH banding */
    int nsig8; /* signature bytes kept per document: min(perm, RPI_SIG8) */
    rpi_arena strings; /* ids and dates */
    rpi_doc *docs; /* documents in input order */
    size_t ndocs, capdocs; /* used, capacity */
    uint64_t *keys; /* band keys: ndocs * bands */
    size_t capkeys; /* capacity of keys, in keys */
    uint8_t *sig8; /* low 8 bits of the first RPI_SIG8 MinHash values: ndocs * RPI_SIG8 */
    size_t capsig8; /* capacity of sig8, in bytes */
    uint64_t nprefiltered; /* candidates rejected by the signature check (statistics) */
    rpi_idslot *idtab; /* open-addressing table of doc+1 by id hash (rpi_id_insert) */
    size_t idcap; /* its size (power of two) */
    uint64_t *bad_seq; /* record numbers skipped as bad (ascending) */
    size_t nbad, capbad; /* used, capacity */
    size_t nskip_inputs; /* inputs that could not be found or listed, skipped under skip_bad */
    rpi_spill spill; /* shingle store */
    int reread_sets; /* the fast path in one process: the shingles of documents of direct
                        inputs (rpi_input.direct) are not stored but computed again from
                        the input for the candidate pairs (reread.c) */
    rpi_buf foreign; /* a divided run: texts and shingle sets of other ranks' documents
                        (set.file RPI_SETREF_MEM; set.off and text_off: byte offsets here) */
    rpi_spill texts; /* a divided run, rank 0: the texts of other ranks' documents its
                        outputs show, in memory within an eighth of rp_options.memory,
                        beyond it in temporary files */
    uint32_t *fetched; /* their documents, ascending (their records are not written: a
                          record written is a page of the record store copied) */
    uint64_t *fetched_off; /* the offset of each one's text in texts */
    size_t nfetched, capfetched, capfetched_off;
    char **interned; /* a divided run: rules and kinds received from other ranks */
    size_t ninterned, capinterned; /* used, capacity */
    /* A divided run, rank 0: the results (pairs, passages, differences,
     * furniture and their indexes) as mappings of the temporary files they
     * were collected in (distpairs.c), which rpi_free_result unmaps. */
    struct rpi_mapped {
        void *p;
        size_t bytes;
    } mapped[RPI_NMAPPED];
    int nmapped;
    rp_pair *pairs; /* verified pairs by (a, b) */
    size_t npairs; /* their number */
    rpi_clusters cl; /* clusters and dedup decisions */
    uint64_t ncandidates; /* LSH candidate pairs verified (statistics) */
    int64_t date_limit; /* dates after this key are in the future (rpi_date_limit) */
    double t_pass1, t_lsh, t_verify, t_cluster; /* seconds per phase (bench/) */
    /* Passages and relations (pairs.c, doc_features.c); unused in fast mode. */
    rpi_counts lines; /* documents per line key (furniture): see linecount.c */
    rpi_counts terms; /* documents per content word (TF-IDF) */
    rp_passage *pass; /* passages of all pairs, by (a, b, a_start) */
    size_t npass; /* their number */
    size_t *pair_pass; /* per pair: index of its first passage; [npairs] = npass */
    rpi_furn *furn; /* furniture lines, by document and offset */
    size_t nfurn, capfurn; /* used, capacity */
    size_t *furn_first; /* per document: its first line in furn; [ndocs] = nfurn */
    rpi_clusters st; /* story clusters */
    rpi_timelines tl; /* timelines (timeline.c) */
    rp_difference *diff; /* differing figures of all pairs, by (a, b, a_start) */
    size_t ndiff; /* their number */
    size_t *pair_diff; /* per pair: index of its first difference; [npairs] = ndiff */
    uint64_t ncompared; /* pairs aligned and compared (statistics) */
    double t_start; /* when rp_corpus_run started (monotonic seconds) */
    double t_report; /* when progress was last reported */
    int interrupted; /* rp_corpus_interrupt was called (atomic) */
    double t_reuse; /* seconds spent on passages and relations (bench/) */
    double t_index, t_cands, t_compare, t_collect; /* its phases (bench/) */
    double t_join, t_texts; /* on ranks: stories and timelines joined, texts fetched (bench/) */
    uint64_t nloads; /* documents loaded for comparison (statistics) */
    uint64_t *idf; /* RPI_IDF_TABLE: bits of rpi_idf(ndocs, df) for small df, 0 until read (doc_features.c) */
    char **feat; /* per document: its packed features, NULL when not kept (doc_features.c) */
    uint8_t *feat_own; /* per document: feat[d] allocated alone (freed alone), not in a block:
                          1 in pass 2, 2 computed again in pass 3 (keep_again) */
    rpi_feat_blocks *feat_blk; /* per worker of pass 2: the blocks its features are packed in */
    int feat_nblk; /* workers of feat_blk */
    size_t *feat_used; /* per worker of pass 2: bytes of features it kept */
    size_t feat_budget; /* bytes of features each worker may keep */
    uint64_t feat_bytes, feat_docs; /* bytes of features kept, and of how many documents */
    size_t feat_extra_budget; /* bytes of features computed again that pass 3 may keep */
    size_t feat_extra_used; /* and has kept (atomic) */
    uint64_t input_bytes; /* total input bytes when known, else 0 (pass 1) */
    /* A distributed run (distrib.c): the transport (size 0: none). */
    rp_transport tp;
    uint64_t nrecords; /* records committed in pass 1, bad ones included */
    uint64_t *dseq; /* with tp: per document of pass 1, its record number in this rank's reader */
    uint64_t warn_seq; /* record number of the record being committed (warnings of pass 1) */
    int add_rc; /* the first failure of rp_corpus_add_input, for a divided run */
    rpi_buf skipped_in; /* why each skipped input was skipped, NUL after each (distrib.c
                           sends them to rank 0 when each rank has its own inputs) */
    uint64_t foreign_bytes; /* rank 0 of a divided run: the other ranks' input bytes */
    /* A divided run with local inputs: what each rank needs to write the kept
     * records of its own inputs (rp_corpus_write_kept), by its pass-1 numbers. */
    struct {
        int on; /* set after the run */
        size_t ndocs; /* documents of pass 1 */
        uint8_t *keep; /* [ndocs] 1: kept (not dropped as a repeated id, not a copy) */
        uint64_t *rec_len; /* [ndocs] record bytes, to see an input change */
        uint32_t *input; /* [ndocs] input index */
        uint64_t *bad_seq; /* records skipped as bad in pass 1 (ascending) */
        size_t nbad;
    } lk;
    size_t capdseq; /* capacity of dseq */
    uint64_t dist_sent[RPI_X_N]; /* bytes this rank sent to others, per exchange (bench/) */
    uint64_t dist_stored; /* rank 0: bytes written to its record store (bench/) */
    uint64_t dist_mapped; /* rank 0: of those, mapped in the records' place (tests) */
    uint64_t dist_spooled; /* bytes written to temporary files: rank 0's results, a rank's part of
                               the joins (tests) */
    double t_merge; /* seconds of the merge on rank 0 and of waiting for it (bench/) */
};

/* Scratch of rpi_sort_u64. */
typedef struct rpi_sortbuf {
    uint64_t *v; /* buffer */
    size_t cap; /* its capacity */
} rpi_sortbuf;

/* Scratch of a pass-1 worker for the counting keys of a document (doc_features.c). */
typedef struct rpi_linescratch {
    rpi_sortbuf tmp; /* sort scratch */
    void *lines; /* rpi_line array */
    size_t caplines; /* its capacity */
    uint64_t *keys; /* keys of one document */
    size_t capkeys; /* their capacity */
} rpi_linescratch;

/* Phases of rp_corpus_run, for progress reports (corpus.c). */
enum { RPI_PH_READ, RPI_PH_VERIFY, RPI_PH_INDEX, RPI_PH_COMPARE, RPI_NPHASES };
/* Report progress (done of total units of phase) when 100 ms have passed since
 * the last report, or when force is set. Call from the thread running
 * rp_corpus_run only. @return RP_EINTR (message set) once rp_corpus_interrupt
 * was called, else RP_OK: the caller stops there. */
int rpi_report(rp_corpus *c, int phase, uint64_t done, uint64_t total, int force);
/* Was rp_corpus_interrupt called? Then the message is set and RP_EINTR returned. */
int rpi_interrupted(rp_corpus *c);
/* rpi_tick_fn for rpi_parallel_for_ticks: tctx is a rpi_ticker. */
typedef struct rpi_ticker {
    rp_corpus *c; /* the corpus */
    int phase; /* its phase */
} rpi_ticker;
int rpi_tick(void *tctx, size_t done, size_t n);
double rpi_now(void);
/* What the stores (shingles, texts, document features) may keep in memory:
 * rp_options.memory less what the run holds anyway (corpus.c). */
size_t rpi_store_budget(const rp_corpus *c);

void rpi_linescratch_free(rpi_linescratch *ls);

/* Pass 1 (corpus.c): read, sketch and store every document of the inputs. */
int rpi_pass1(rp_corpus *c);
/* The shingle hashes of a text (*nsh of them into *sh, text order, repeats
 * included), as pass 1 computes them. @return RP_OK, RP_ENOMEM, or
 * RP_EBADINPUT with *bad_off the byte of invalid UTF-8 or NUL */
int rpi_doc_shingles(const rp_corpus *c, rpi_tokctx *tok, const char *text, size_t len,
                     uint64_t **sh, size_t *capsh, size_t *nsh, size_t *bad_off);

/* Shingles computed again from the inputs (reread.c): the loader rpi_verify
 * calls for sets of file RPI_SETREF_INPUT, for nthreads workers. */
typedef struct rpi_reread rpi_reread;
int rpi_reread_open(rp_corpus *c, int nthreads, rpi_reread **out);
int rpi_reread_load(void *ctx, int wid, uint32_t doc, const uint64_t **set);
/* Free r (NULL accepted); the message of its first failed load, if any, into
 * err, and that load's error code returned (RP_OK when none failed). */
int rpi_reread_close(rpi_reread *r, char *err, size_t errcap);
/* Find the document whose id is document d's, or enter d; *holder receives it. */
int rpi_id_insert(rp_corpus *c, uint32_t d, uint32_t *holder);
/* The hash of an id (n bytes) that tables of ids and their owners go by. */
uint64_t rpi_id_hash(const char *s, size_t n);
/* In a table of ids (cap slots, a power of two, less than full), the entry
 * with this hash (the high 32 bits of rpi_id_hash) for which same(ctx, held)
 * holds; else e is entered and returned. */
uint32_t rpi_idtab_enter(rpi_idslot *tab, size_t cap, uint32_t hash, uint32_t e,
                         int (*same)(const void *ctx, uint32_t held), const void *ctx);
/* Report the bad document or input in c->err as skipped (skip_bad). */
void rpi_warn_skipped(rp_corpus *c);
/* The same for another reason than c->err (another rank's skipped input). */
void rpi_warn_skipped_as(rp_corpus *c, const char *why);
/* rp_corpus_run with a transport: the run divided among ranks (distrib.c). */
int rpi_dist_run(rp_corpus *c);

/* Read document d's text (text_len bytes) or shingle set (set.n) into out: from
 * the store, c->texts or c->foreign. @return RP_OK; RP_EIO; RP_EINVAL for
 * another rank's document that this rank does not hold, or a document of the
 * fast path whose set is not stored (RPI_SETREF_INPUT). */
int rpi_doc_read_text(const rp_corpus *c, uint32_t d, char *out);
int rpi_doc_read_set(const rp_corpus *c, uint32_t d, uint64_t *out);
/* Free an array of the results (c->pairs, c->pass...): unmapped if c->mapped holds it. */
void rpi_free_result(rp_corpus *c, void *p);
/* The copy of string s (n bytes) kept with the corpus until it closes (*out). */
int rpi_intern(rp_corpus *c, const char *s, size_t n, const char **out);

/* Where document d was read: "name:line" or "name". */
void rpi_doc_place(const rp_corpus *c, uint32_t d, char *dst, size_t cap);

/* The source key (rpi_doc.src) of a metadata block "date\0source\0url\0title\0". */
uint64_t rpi_meta_source(const char *meta);

/* Add a JSONL input that messages call name (the index's buffers). */
int rpi_corpus_add_named(rp_corpus *c, const char *path, const char *name);

/* An input of len bytes in memory (JSONL), named name in messages; src is
 * the caller's, and it and the bytes must last until rp_corpus_run returns.
 * Its size is known, so a small one is read without threads (rpi_pass1). */
typedef struct rpi_memsrc {
    const char *p;
    size_t left;
} rpi_memsrc;
int rpi_corpus_add_memory(rp_corpus *c, const char *name, const char *data, size_t len,
                          rpi_memsrc *src);

/* Set the index's hooks on a corpus before rp_corpus_run. */
void rpi_corpus_hooks(rp_corpus *c, const rpi_hooks *h);

/* Exact-duplicate groups (copies.c): members chained from each group's
 * leader (its first document) in input order; size and centre (the member
 * the keep policy prefers) per leader. The tables have a slot per document,
 * or (doc not NULL) a slot per document in a group of two or more only. */
typedef struct rpi_groups {
    uint32_t *next; /* per slot: the next member of its group, or UINT32_MAX */
    uint32_t *leaders; /* first document of each group, in input order */
    size_t nleaders; /* their number */
    uint32_t *gsize, *center; /* per slot of a leader */
    uint32_t *doc; /* the document of each slot, ascending; NULL: slot d is document d */
    size_t ndoc; /* (with doc) the slots */
    size_t cappairs; /* capacity of c->pairs */
} rpi_groups;

/* Order of preference of the keep policy: < 0 when a is preferred to b. */
int rpi_prefer_keys(rp_keep keep, uint32_t a, uint32_t len_a, int64_t date_a, uint32_t b,
                    uint32_t len_b, int64_t date_b);
int rpi_prefer(void *ctx, uint32_t a, uint32_t b); /* rpi_lsh_prefer_fn on c->docs */
/* Group the documents' exact duplicates and list their pairs in c->pairs. */
int rpi_groups_build(rp_corpus *c, rpi_groups *g);
/* Group n entries (stride bytes apart) by the two 64-bit words at each one's
 * start: leaders[0..*nleaders) receives the first entry of each group, in
 * order; the members of a group are chained from it through next[]. */
int rpi_group_hashes(const char *base, size_t stride, size_t n, uint32_t *leaders,
                     size_t *nleaders, uint32_t *next);
/* The steps of rpi_groups_build, for groups found elsewhere (distrib.c):
 * tables for the n documents doc (ascending, taken: rpi_free'd with g), in
 * groups of two or more, every other document alone (alloc); then, with
 * the leaders of those groups in g->leaders and their members chained
 * through g->next (rpi_group_slot), sizes, centres and pairs (finish). */
int rpi_groups_alloc(rpi_groups *g, uint32_t *doc, size_t n);
int rpi_groups_finish(rp_corpus *c, rpi_groups *g);
/* Document d's slot in g's tables, or SIZE_MAX (a document alone). */
size_t rpi_group_slot(const rpi_groups *g, uint32_t d);
void rpi_groups_free(rpi_groups *g);
/* Drop candidates (codes over refs and sig8, RPI_SIG8 bytes each) whose
 * signatures agree far below the threshold; @return how many are left. */
size_t rpi_prefilter(rp_corpus *c, const rpi_setref *refs, const uint8_t *sig8, uint64_t *cand,
                     size_t n);
/* The verified candidates (leaders, sorted) to pairs of every member, sorted;
 * clusters and dedup decisions. */
int rpi_copies_finish(rp_corpus *c, rpi_groups *g, const uint64_t *cand, size_t n,
                      const uint32_t *inter, const uint32_t *na, const uint32_t *nb);
/* Everything after pass 1 of the fast path, in one process (copies.c). */
int rpi_copies_run(rp_corpus *c);
/* Give back the band keys and signatures once the copies are found (to the
 * index's capture, the band keys, when it takes them). */
void rpi_sketches_free(rp_corpus *c);

/* Passes 2 and 3 of the default scan, after the fast path (pairs.c); their results are freed
 * with the corpus. */
int rpi_pairs_run(rp_corpus *c);
void rpi_pairs_free(rp_corpus *c);

#endif /* RP_CORPUS_INT_H */
