/* SPDX-License-Identifier: MIT */
/*
 * reprint.h -- the public API of libreprint, and its manual.
 *
 * reprint finds reused text in document collections. This header is the only
 * interface of the library: the command-line tool in cli/ uses nothing else.
 *
 * The pipeline (docs/ARCHITECTURE.md has the details):
 *
 *     inputs -> read -> normalise -> shingle -> MinHash -> LSH -> verify
 *            -> relations -> clusters -> writers
 *
 * Typical use:
 *
 *     rp_options opt;
 *     rp_options_init(&opt);
 *     rp_corpus *c;
 *     if (rp_corpus_open(&c, &opt) != RP_OK) ...;
 *     rp_corpus_add_input(c, "news.jsonl.gz");
 *     if (rp_corpus_run(c) != RP_OK) fprintf(stderr, "%s\n", rp_errmsg(c));
 *     rp_corpus_write_pairs(c, stdout, RP_FORMAT_TSV);
 *     rp_corpus_close(c);
 *
 * Ownership, stated once for the whole API: every string and array returned
 * by an accessor is *borrowed* from the rp_corpus and stays valid until
 * rp_corpus_close(). Nothing returned needs to be freed by the caller.
 *
 * Threads: an rp_corpus is used by one thread at a time. rp_corpus_run() starts
 * and joins its own worker threads; results do not depend on their number.
 *
 * Errors: functions return RP_OK (0) or a negative RP_E* code; the detailed
 * message (file, line, byte, reason) is read with rp_errmsg(). The library
 * never writes to stdout or stderr and never calls exit().
 */
#ifndef REPRINT_H
#define REPRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define RP_API __attribute__((visibility("default")))
#else
#define RP_API
#endif

#define RP_VERSION_MAJOR 0
#define RP_VERSION_MINOR 1
#define RP_VERSION_PATCH 0
#define RP_VERSION_STRING "0.1.0"

/** Largest default of rp_options.memory: 1 GiB (README "Memory"). */
#define RP_MEMORY_MAX ((size_t)1 << 30)

/** Status codes. RP_OK is 0; errors are negative so they never clash with errno. */
enum {
    RP_OK = 0,
    RP_ENOMEM = -1, /**< out of memory */
    RP_EINVAL = -2, /**< invalid argument or option value (a usage error) */
    RP_EBADINPUT = -3, /**< a document or input file is malformed */
    RP_EIO = -4, /**< reading or writing a file failed */
    RP_EINTERNAL = -5, /**< a bug: an invariant did not hold */
    RP_EINTR = -6 /**< stopped on request: rp_corpus_interrupt(), or an rp_read_fn failed */
};

/** Relation between two documents, strongest first. */
typedef enum rp_relation {
    RP_REL_DUPLICATE = 0, /**< identical once normalised */
    RP_REL_NEAR_DUPLICATE = 1, /**< exact shingle Jaccard >= threshold */
    RP_REL_REPRINT = 2, /**< aligned passages cover most of one of the two texts */
    RP_REL_SAME_STORY = 3, /**< shared passages, and the rest is about the same things */
    RP_REL_SHARES_PASSAGES = 4, /**< shared passages, the rest differs (another event) */
    RP_REL_SAME_TOPIC = 5, /**< no shared passage, similar content words */
    RP_REL_UNRELATED = 6 /**< compared and found unrelated (listed only with all_pairs) */
} rp_relation;

/** Which document of a cluster is kept (and represents it). */
typedef enum rp_keep {
    RP_KEEP_LONGEST = 0, /**< most bytes of text; ties: earliest in input order */
    RP_KEEP_FIRST = 1, /**< first in input order */
    RP_KEEP_EARLIEST = 2 /**< earliest `date`; undated last; ties: input order */
} rp_keep;

/** Output formats of rp_corpus_write_pairs(). */
typedef enum rp_format { RP_FORMAT_TSV = 0, RP_FORMAT_CSV = 1, RP_FORMAT_JSONL = 2 } rp_format;

/** MinHash scheme (README "How it works, and why these rules" explains the choice). */
typedef enum rp_sketch_kind {
    RP_SKETCH_OPH = 0, /**< one-permutation hashing with optimal densification (default) */
    RP_SKETCH_KPERM = 1 /**< k independent multiply-shift hash functions */
} rp_sketch_kind;

/**
 * Callback for warnings: a bad document or input skipped under skip_bad
 * ("skipped: file:line: reason"), and a document kept with a publication
 * date taken as unknown because it cannot be read, is before 1800 or is in
 * the future ("file:line: date \"...\" is in the future; taken as unknown").
 * @param[in] user the opaque pointer given in rp_options.user
 * @param[in] msg  the message; borrowed for the duration of the call
 */
typedef void (*rp_warn_fn)(void *user, const char *msg);

/** What rp_corpus_run() is doing, for a progress report. */
typedef struct rp_progress {
    const char *phase; /**< "reading" (documents, pass 1), "verifying" (candidate copies),
                            "indexing" (documents, pass 2: furniture, features, candidates)
                            or "comparing" (candidate pairs: passages and relations); static */
    const char *unit; /**< what done and total count: "bytes" (input bytes consumed; compressed
                           bytes for .gz/.zst), "pairs" or "documents"; static */
    uint64_t done; /**< units of the phase done */
    uint64_t total; /**< units in the phase; 0 when unknown (an input from a pipe) */
    uint64_t ndocs; /**< documents read so far, skipped ones included */
    double elapsed; /**< seconds since rp_corpus_run() started */
    double eta; /**< estimated seconds until rp_corpus_run() returns (the whole run, not the
                     phase); negative while unknown */
} rp_progress;

/**
 * Progress callback, called from the thread running rp_corpus_run() about
 * every 100 ms in every phase, and once at the end of each phase.
 * @param[in] p  the report; borrowed for the duration of the call
 */
typedef void (*rp_progress_fn)(void *user, const rp_progress *p);

/** Options. Initialise with rp_options_init(), then change what you need. */
typedef struct rp_options {
    int ngram; /**< words per shingle, >= 1 (default 5) */
    int perm; /**< MinHash values per signature, 8..1024 (default 128) */
    double threshold; /**< near-duplicate Jaccard threshold, (0,1] (default 0.8) */
    int threads; /**< worker threads; 0 = all online cores (default 0) */
    rp_keep keep; /**< representative / kept document policy (default LONGEST) */
    rp_sketch_kind sketch; /**< MinHash scheme (default OPH) */
    const char *id_field; /**< JSONL field naming a document (default "id"); borrowed */
    const char *text_field; /**< JSONL field holding the text (default "text"); borrowed */
    size_t max_doc_bytes; /**< largest record accepted, bytes (default 64 MiB) */
    int skip_bad; /**< nonzero: report bad documents through warn and go on */
    int force_jsonl; /**< nonzero: read every file input as JSONL */
    int fast; /**< nonzero: copies only (duplicate, near-duplicate): no furniture, passage
                   alignment or content similarity; the fast path (default 0) */
    int keep_furniture; /**< nonzero: do not detect page furniture (default 0) */
    int list_furniture; /**< nonzero: the CLI lists furniture lines (the library keeps them
                             after every run that is not fast: rp_corpus_furniture()) */
    int all_pairs; /**< nonzero: also report compared pairs found unrelated; collections of up
                        to 1,000 documents then compare every pair (default 0) */
    int reworded; /**< nonzero: passages also take in sentences that say the same in other
                       words (whole sentences sharing half the weight of their content
                       words); relations still count words reused in order (default 0) */
    int reread; /**< nonzero (default): copy inputs that cannot be read twice (standard
                     input, pipes) to $TMPDIR, so rp_corpus_write_kept() can read them again */
    size_t memory; /**< memory the run may use, roughly: what it holds anyway (count tables,
                        per-document records, postings: about 0.4 bytes per input byte) and,
                        within what is left, shingle sets and texts kept between passes
                        (beyond it they go to temporary files) and document features
                        (beyond it computed again when a pair needs them); same results
                        whatever the value. 0 keeps nothing in memory. Default: an eighth
                        of the physical memory, at most RP_MEMORY_MAX */
    rp_warn_fn warn; /**< where skipped documents and unread dates are reported; may be NULL */
    rp_progress_fn progress; /**< progress reports; may be NULL */
    void *user; /**< passed to warn and progress */
} rp_options;

/** Opaque collection of documents and the results computed on them.
 *  Threads the library starts block asynchronous signals: a signal sent to the
 *  process is delivered to one of the application's threads. */
typedef struct rp_corpus rp_corpus;

/** One verified related pair. Document numbers are in input order, a < b. */
typedef struct rp_pair {
    uint32_t a; /**< document number of the first document */
    uint32_t b; /**< document number of the second document */
    rp_relation relation; /**< relation named for the pair */
    double jaccard; /**< exact Jaccard of the two shingle sets */
    double containment_a; /**< |A and B| / |A|: share of a's shingles found in b */
    double containment_b; /**< |A and B| / |B| */
    uint32_t npassages; /**< passages of words reused in order, which the relation counts (0
                             for pairs not aligned: fast mode); rp_pair_passages() also
                             lists reworded sentences with rp_options.reworded */
    double coverage_a; /**< share of a's article tokens inside the passages, [0,1] */
    double coverage_b; /**< share of b's article tokens inside the passages */
    double similarity; /**< TF-IDF cosine of the content words outside the passages */
    double event; /**< TF-IDF cosine of the content words of the whole article texts */
    double specifics; /**< TF-IDF cosine of their specifics: names and figures */
    const char *why; /**< the rule that named the relation (README "Relations"); static */
    uint32_t ndifferences; /**< figures on which the two texts differ (rp_pair_differences) */
} rp_pair;

/** One aligned passage of a pair: byte ranges, half-open, into each document's text
 *  (for JSONL input, into the decoded text string). */
typedef struct rp_passage {
    uint32_t a; /**< first document (a < b) */
    uint32_t b; /**< second document */
    uint32_t a_start, a_end; /**< bytes of a's text */
    uint32_t b_start, b_end; /**< bytes of b's text */
    double score; /**< share of aligned words that match exactly, (0,1]; for sentences
                       that say the same in other words (rp_options.reworded), the share
                       of their words that recur on the other side, [0,1] */
} rp_passage;

/**
 * A place where two related texts say the same thing with a different figure:
 * a number, an amount, a range, a date, a weekday or a month. Byte ranges,
 * half-open, of the wording on each side (the figure with the words that
 * carry it, e.g. "up to 12,000 troops").
 */
typedef struct rp_difference {
    uint32_t a; /**< first document (a < b) */
    uint32_t b; /**< second document */
    uint32_t a_start, a_end; /**< bytes of a's wording */
    uint32_t b_start, b_end; /**< bytes of b's wording */
    const char *kind; /**< "number", "range", "amount", "percent", "date", "year", "weekday",
                           "month"; static */
} rp_difference;

/** Fill @p opt with the defaults documented in rp_options. Never fails. */
RP_API void rp_options_init(rp_options *opt);

/** @return a static English description of status code @p code. */
RP_API const char *rp_strerror(int code);

/** @return the library version string, e.g. "0.1.0". */
RP_API const char *rp_version(void);

/**
 * Create an empty corpus.
 * @param[out] out  the new corpus; set to NULL on failure
 * @param[in]  opt  options, copied (the strings in it are borrowed until close)
 * @return RP_OK, RP_ENOMEM, or RP_EINVAL when an option is out of range
 *         (on RP_EINVAL *out is still created so that rp_errmsg() can say which)
 */
RP_API int rp_corpus_open(rp_corpus **out, const rp_options *opt);

/** Free the corpus and everything borrowed from it. Accepts NULL. */
RP_API void rp_corpus_close(rp_corpus *c);

/**
 * Message for the last error on @p c ("file:line: reason"), or "" if none.
 * Borrowed until the next call on @p c.
 */
RP_API const char *rp_errmsg(const rp_corpus *c);

/**
 * Register an input: a file, a folder (read recursively, hidden entries
 * skipped, in name order), a JSONL file (.jsonl, .ndjson, optionally .gz or
 * .zst; compression is recognised by content) or "-" for standard input.
 * Nothing is read until rp_corpus_run(). Not thread-safe on one corpus.
 * @param[in] c     the corpus
 * @param[in] path  the input; copied
 * @return RP_OK; RP_EIO when the path does not exist or a folder cannot be
 *         listed (or is empty); RP_EINVAL for "-" given twice or a call after
 *         rp_corpus_run(); RP_ENOMEM. rp_errmsg() names the path.
 */
RP_API int rp_corpus_add_input(rp_corpus *c, const char *path);

/**
 * Supplies the bytes of an input the application produces (documents in
 * memory, a generator in another language): called by rp_corpus_run() from
 * the thread that runs it, one call at a time, until it returns 0.
 * @param[in]  user  the pointer given to rp_corpus_add_reader
 * @param[out] buf   where to write the next bytes of the input
 * @param[in]  cap   room in buf (1 MiB)
 * @return bytes written (1..cap); 0 at the end of the input; a negative value
 *         stops the run, which returns RP_EINTR
 */
typedef ptrdiff_t (*rp_read_fn)(void *user, char *buf, size_t cap);

/**
 * Register an input read through @p fn: JSONL records (one JSON object a
 * line, optionally gzip or zstd compressed), named @p name in messages
 * ("documents:3: missing field \"text\""). An input that gives no record gives no document
 * and is not an error. The input is read once, in its
 * place among the inputs; with rp_options.reread it is copied to $TMPDIR so
 * that rp_corpus_write_kept() can read it again.
 * @param[in] name  how messages call the input; copied
 * @return RP_OK; RP_EINVAL (a NULL fn or name, or a call after rp_corpus_run); RP_ENOMEM
 */
RP_API int rp_corpus_add_reader(rp_corpus *c, const char *name, rp_read_fn fn, void *user);

/**
 * Register an input read through @p fn whose records are framed, not JSON
 * lines, so that an application holding documents as fields (the Python
 * module) hands their text over as it is, without escaping it into JSON and
 * the library unescaping it again. Each record is a type byte and the
 * length of what follows (4 bytes, little-endian), then:
 *  - type 'J': one JSON object, as a line of a JSONL input holds it;
 *  - type 'F': six fields, each a length (4 bytes, little-endian;
 *    0xFFFFFFFF: the field is absent) and its bytes: the id, the text, then
 *    date, source, url and title. The id and the metadata must be UTF-8
 *    without NUL, the id not empty; the text is checked as any text is;
 *  - type 'S', length 0: no document, a place kept in the numbering (a
 *    document the application rejected itself).
 * Records are numbered 1, 2, ... in messages as lines are. Not compressed;
 * rp_corpus_write_kept() refuses such an input (it writes JSON lines back).
 * @return as rp_corpus_add_reader
 */
RP_API int rp_corpus_add_records(rp_corpus *c, const char *name, rp_read_fn fn, void *user);

/**
 * Gives again one record of an input of rp_corpus_add_records_fetch: record
 * @p number (1, 2, ... as they were read), the same bytes as the first time:
 * its type byte and what followed its length (not the length itself).
 * Called from rp_corpus_run()'s worker threads, possibly at once.
 * @param[in]  user    the pointer given to rp_corpus_add_records_fetch
 * @param[in]  number  the record's number
 * @param[out] buf     where to write it
 * @param[in]  cap     room in buf
 * @return its length (cap is one more than its length the first time: a
 *         record longer now need not be written, since a record of another
 *         length is a changed input); a negative value stops the run, which
 *         returns RP_EINTR
 */
typedef ptrdiff_t (*rp_fetch_fn)(void *user, uint64_t number, char *buf, size_t cap);

/**
 * rp_corpus_add_records for an application that can give any record again
 * (documents held in a list): the fast path (rp_options.fast) then keeps no
 * shingles of its documents (8 bytes a word) and computes those of the few
 * in candidate pairs again from @p fetch, as it reads a regular file again.
 * A record given back with other bytes stops the run with RP_EBADINPUT
 * ("the input changed while reprint was reading it").
 * @return as rp_corpus_add_records; RP_EINVAL for a NULL fetch
 */
RP_API int rp_corpus_add_records_fetch(rp_corpus *c, const char *name, rp_read_fn fn,
                                       rp_fetch_fn fetch, void *user);

/**
 * Ask a running rp_corpus_run() to stop: it returns RP_EINTR ("interrupted")
 * within about 100 ms of work, leaving the corpus to be closed (its temporary
 * files are gone with it). Safe to call from any thread or a signal handler,
 * before or during the run.
 */
RP_API void rp_corpus_interrupt(rp_corpus *c);

/**
 * One run divided among the processes ("ranks") of a job: reprint-mpi moves
 * the bytes (over MPI), the library decides what to send where. The library
 * never links MPI itself. Both calls are collective: every rank calls them in
 * the same order, and each returns nonzero when the transport failed.
 */
typedef struct rp_transport {
    int rank; /**< this process, 0 .. size - 1 */
    int size; /**< processes in the job, >= 1 */
    void *user; /**< passed to the calls below */
    /** Every rank gives one number for each rank (out[i] goes to rank i) and
     *  receives one from each (in[i] came from rank i). */
    int (*counts)(void *user, const uint64_t *out, uint64_t *in);
    /** send holds size parts one after another, out[i] bytes for rank i;
     *  recv receives in[i] bytes from each rank i, in rank order (in as
     *  counts gave it: its sum is recv's size). */
    int (*exchange)(void *user, const void *send, const uint64_t *out, void *recv,
                    const uint64_t *in);
    /** Nonzero: each rank was given inputs of its own (files on its host that
     *  other ranks may not see), read whole by it alone. Documents are
     *  numbered rank by rank (rank 0's inputs, then rank 1's...), as one
     *  process given all the inputs in that order numbers them, and
     *  rp_corpus_write_kept() writes, on every rank, the kept documents of
     *  that rank's inputs: the ranks' outputs one after another are one
     *  process's. Zero (default): every rank is given the same inputs. */
    int local_inputs;
    /** Nonzero: rank 0 receives every document's text, for outputs that show
     *  every text (the HTML report, rp_options.list_furniture). Zero
     *  (default): only the texts of passages and differences, which the
     *  other outputs show; rp_doc_text() fails on the others. */
    int all_texts;
    /** Nonzero: rank 0 receives no text at all, for runs whose outputs show
     *  none (neither passages nor differences nor the report are written: the
     *  pairs, clusters, stories and timelines need no text). The texts of
     *  passages and differences are a large exchange of a default scan
     *  (about 450 bytes a document of generated news: 5% of all the bytes
     *  sent on 5 ranks, 19% on 10), all of it into rank 0; rp_doc_text()
     *  then fails on the other ranks' documents. Not with all_texts. */
    int no_texts;
} rp_transport;

/**
 * Make rp_corpus_run() a distributed run. Every rank opens a corpus with the
 * same options, adds the same inputs (files on a filesystem every rank sees:
 * standard input and rp_corpus_add_reader() inputs are refused; or, with
 * t->local_inputs, each its own inputs), sets its transport and runs. Each rank reads its share of the input bytes (a byte
 * range of an uncompressed JSONL file, or whole files), and the ranks
 * exchange what the later stages need (docs/ARCHITECTURE.md "Ranks"). Rank 0
 * then holds what a single process would: the same documents, numbers,
 * pairs, clusters and skipped records, and rp_corpus_write_kept(); the
 * others hold no results. Every rank returns the same code, and the message
 * of a failure (rp_errmsg) is the same on every rank. Both scans are divided:
 * the fast path, and the default scan (passages, relations, stories), after
 * which rank 0 holds the texts of the documents in passages and differences
 * (every text with t->all_texts, none with t->no_texts) and rp_doc_text()
 * fails on the others.
 * t is copied; its user pointer is borrowed.
 * @return RP_OK, or RP_EINVAL (size < 1, rank out of range, after a run)
 */
RP_API int rp_corpus_set_transport(rp_corpus *c, const rp_transport *t);

/**
 * Read every input, compute signatures, find and verify candidate pairs,
 * name relations and build clusters. May be called once. Starts and joins
 * rp_options.threads worker threads (plus one that writes temporary files);
 * the results do not depend on their number.
 * @param[in] c  the corpus, with at least one input
 * @return RP_OK; RP_EBADINPUT for a malformed document or input (unless
 *         skip_bad), named with file and line or byte in rp_errmsg(); RP_EIO
 *         when a file cannot be read or a temporary file written; RP_EINVAL
 *         when no input was given or on a second call; RP_ENOMEM;
 *         RP_EINTR when interrupted (rp_corpus_interrupt, an rp_read_fn);
 *         RP_EINTERNAL for a bug
 */
RP_API int rp_corpus_run(rp_corpus *c);

/** Documents read, numbered 0..n-1 in input order (skipped bad ones not counted). */
RP_API size_t rp_corpus_ndocs(const rp_corpus *c);

/** Number of bad documents (and missing or unreadable inputs) skipped under skip_bad. */
RP_API size_t rp_corpus_nskipped(const rp_corpus *c);

/** Identifier of document @p doc (borrowed), or NULL when out of range. */
RP_API const char *rp_doc_id(const rp_corpus *c, uint32_t doc);

/**
 * Metadata of document @p doc from its JSONL record.
 * @param[in] field  "date", "source", "url" or "title"
 * @return the string as given in the input (borrowed), or NULL when the record
 *         had no such string field or an empty one, for an unknown field, or for
 *         a plain-file document
 */
RP_API const char *rp_doc_meta(const rp_corpus *c, uint32_t doc, const char *field);

/** Same as rp_doc_meta(c, doc, "date"). */
RP_API const char *rp_doc_date(const rp_corpus *c, uint32_t doc);

/** Number of verified related pairs. */
RP_API size_t rp_corpus_npairs(const rp_corpus *c);

/**
 * Pair @p i (0-based) in order of (a, b).
 * @param[in]  c    the corpus after rp_corpus_run()
 * @param[in]  i    0 .. rp_corpus_npairs() - 1
 * @param[out] out  the pair (copied)
 * @return RP_OK or RP_EINVAL when @p i is out of range
 */
RP_API int rp_corpus_pair(const rp_corpus *c, size_t i, rp_pair *out);

/** Number of clusters of two or more documents (copies of one another). */
RP_API size_t rp_corpus_nclusters(const rp_corpus *c);

/**
 * Cluster @p k: members in input order and the representative chosen by
 * rp_options.keep. Clusters are numbered by their first member's input order.
 * @param[out] members  borrowed array of document numbers
 * @param[out] nmembers its length (>= 2)
 * @param[out] rep      the representative document
 * @return RP_OK or RP_EINVAL when @p k is out of range
 */
RP_API int rp_corpus_cluster(const rp_corpus *c, size_t k, const uint32_t **members,
                             size_t *nmembers, uint32_t *rep);

/**
 * Dedup decision for document @p doc. A document is removed only in favour of
 * a kept document that is itself its verified duplicate or near-duplicate.
 * @param[out] kept_by  when removed: the kept document standing in its place
 * @param[out] jaccard  when removed: their exact Jaccard
 * @return 1 if removed, 0 if kept, RP_EINVAL when out of range
 */
RP_API int rp_doc_removed(const rp_corpus *c, uint32_t doc, uint32_t *kept_by,
                          double *jaccard);

/** Number of story clusters (documents joined by reprint or same-story, and their copies). */
RP_API size_t rp_corpus_nstories(const rp_corpus *c);

/**
 * Story cluster @p k (0 <= k < rp_corpus_nstories()): members in input order
 * and the representative (the most complete version: the most article text;
 * among equals the earliest dated, then the first). Borrowed until close.
 * @return RP_OK or RP_EINVAL when out of range
 */
RP_API int rp_corpus_story(const rp_corpus *c, size_t k, const uint32_t **members,
                           size_t *nmembers, uint32_t *rep);

/** rp_event.story of an event that is a document in no story. */
#define RP_NO_STORY ((size_t)-1)

/** One event of a timeline: a story, or a document in no story. */
typedef struct rp_event {
    size_t story; /**< story number (as rp_corpus_story), or RP_NO_STORY */
    uint32_t doc; /**< the lone document, or the story's first member */
    char first[11]; /**< earliest date of its members, "YYYY-MM-DD" (UTC); "" when none known */
    char last[11]; /**< latest date of its members; "" when none known */
} rp_event;

/**
 * Number of timelines: events (stories, and documents in no story) on one
 * subject, joined by the related pairs across them (same-topic,
 * shares-passages) with the care against chaining of stories. Each holds two
 * or more events; numbered by their first document in input order. 0 in fast
 * mode.
 */
RP_API size_t rp_corpus_ntimelines(const rp_corpus *c);

/**
 * Events of timeline @p k, in date order (by their earliest date; undated
 * events last, then by first document).
 * @param[out] nevents  their number (>= 2)
 * @return RP_OK or RP_EINVAL when @p k is out of range
 */
RP_API int rp_corpus_timeline(const rp_corpus *c, size_t k, size_t *nevents);

/**
 * Event @p i of timeline @p k, copied into @p out.
 * @return RP_OK or RP_EINVAL when out of range
 */
RP_API int rp_corpus_event(const rp_corpus *c, size_t k, size_t i, rp_event *out);

/** Number of aligned passages, over all pairs, sorted by (a, b, a_start). */
RP_API size_t rp_corpus_npassages(const rp_corpus *c);

/** Passage @p i. @return RP_OK or RP_EINVAL when out of range */
RP_API int rp_corpus_passage(const rp_corpus *c, size_t i, rp_passage *out);

/** Passages of pair @p pair: indexes [*first, *first + *n). @return RP_OK or RP_EINVAL */
RP_API int rp_pair_passages(const rp_corpus *c, size_t pair, size_t *first, size_t *n);

/**
 * The text of document @p doc, read back from the temporary store (not kept
 * in fast mode). *text is NUL-terminated; the caller frees it with rp_free().
 * @return RP_OK, RP_EINVAL (out of range, or fast mode), RP_ENOMEM, RP_EIO
 */
RP_API int rp_doc_text(rp_corpus *c, uint32_t doc, char **text, size_t *len);

/** Number of differing figures over all pairs, sorted by (a, b, a_start). */
RP_API size_t rp_corpus_ndifferences(const rp_corpus *c);

/** Difference @p i. @return RP_OK or RP_EINVAL when out of range */
RP_API int rp_corpus_difference(const rp_corpus *c, size_t i, rp_difference *out);

/** Differences of pair @p pair: indexes [*first, *first + *n). @return RP_OK or RP_EINVAL */
RP_API int rp_pair_differences(const rp_corpus *c, size_t pair, size_t *first, size_t *n);

/** Free memory the library handed over (rp_doc_text). Accepts NULL. */
RP_API void rp_free(void *p);

/** Number of page-furniture lines found (0 in fast mode or with keep_furniture). */
RP_API size_t rp_corpus_nfurniture(const rp_corpus *c);

/**
 * Furniture line @p i, in document order: its document, byte range in the
 * text, and the rule that found it ("pattern", "shape", "common", "source").
 * @return RP_OK or RP_EINVAL when out of range
 */
RP_API int rp_corpus_furniture(const rp_corpus *c, size_t i, uint32_t *doc, uint32_t *start,
                               uint32_t *end, const char **why);

/** Name of a relation ("duplicate", "near-duplicate", "reprint", "same-story",
 *  "shares-passages", "same-topic", "unrelated"); static string. */
RP_API const char *rp_relation_name(rp_relation r);

/**
 * Write every pair as a table with a header (TSV, CSV) or one JSON object a
 * line: columns a, b, relation, jaccard, containment_a, containment_b,
 * passages, coverage_a, coverage_b, why. Scores have four decimals, rounded
 * down.
 * @param[in] c    the corpus after rp_corpus_run()
 * @param[in] f    an open stream; not closed or flushed beyond what was written
 * @param[in] fmt  RP_FORMAT_TSV, RP_FORMAT_CSV or RP_FORMAT_JSONL
 * @return RP_OK, RP_EIO when writing fails, RP_ENOMEM
 */
RP_API int rp_corpus_write_pairs(rp_corpus *c, FILE *f, rp_format fmt);

/**
 * Write one JSONL line per cluster: id (1-based within its level), level
 * ("copies", then "story"), members, representative.
 * @return RP_OK, RP_EIO when writing fails, RP_ENOMEM
 */
RP_API int rp_corpus_write_clusters(rp_corpus *c, FILE *f);

/** Write the story clusters only, as rp_corpus_write_clusters() does. */
RP_API int rp_corpus_write_stories(rp_corpus *c, FILE *f);

/**
 * Write one JSONL line per timeline: {"id":N,"events":[{"story":S,"members":
 * [ids],"first":"YYYY-MM-DD","last":"YYYY-MM-DD"},...]}, events in date order;
 * story is the 1-based id of rp_corpus_write_stories(), null for a lone
 * document; first and last are null when no member is dated.
 * @return RP_OK, RP_EIO when writing fails, RP_ENOMEM
 */
RP_API int rp_corpus_write_timelines(rp_corpus *c, FILE *f);

/**
 * Write one JSONL line per aligned passage: a, b (ids), a_start, a_end,
 * b_start, b_end (byte offsets into each text, half-open), score, text_a,
 * text_b. Texts are read back from the temporary store.
 * @return RP_OK, RP_EIO, RP_ENOMEM
 */
RP_API int rp_corpus_write_passages(rp_corpus *c, FILE *f);

/**
 * Write one JSONL line per difference: a, b (ids), a_start, a_end, b_start,
 * b_end, a_text, b_text (the two wordings), kind.
 * @return RP_OK, RP_EIO, RP_ENOMEM
 */
RP_API int rp_corpus_write_differences(rp_corpus *c, FILE *f);

/**
 * Write the report: one self-contained HTML page (no external script, style,
 * font or image) with an overview, the stories, each document's relations,
 * and for every related pair the two texts side by side, passages
 * highlighted, furniture greyed out, differing figures marked. Document text
 * is escaped. The page stays usable at 10,000 documents: the data is embedded
 * once as JSON and views are built on demand.
 * @return RP_OK, RP_EIO, RP_ENOMEM
 */
RP_API int rp_corpus_write_html(rp_corpus *c, FILE *f);

/**
 * Write one JSONL line per removed document: id, kept, jaccard.
 * @return RP_OK, RP_EIO when writing fails, RP_ENOMEM
 */
RP_API int rp_corpus_write_removed(rp_corpus *c, FILE *f);

/**
 * Read the inputs a second time and write every kept document, in input
 * order: JSONL records byte for byte, plain files as {"id":..,"text":..}
 * (with the id_field and text_field names). Inputs that cannot be read twice
 * (standard input, pipes) are read from the copy rp_corpus_run() made when
 * rp_options.reread was set.
 * @param[in]  c               the corpus after rp_corpus_run()
 * @param[in]  f               an open stream
 * @param[out] nkept,nremoved  counts written and left out (may be NULL)
 * @return RP_OK; RP_EIO when reading or writing fails (errno is kept);
 *         RP_EBADINPUT when an input changed since the run (the message names
 *         the record); RP_EINVAL before rp_corpus_run() or when an input was
 *         read once without a copy; RP_ENOMEM
 */
RP_API int rp_corpus_write_kept(rp_corpus *c, FILE *f, size_t *nkept, size_t *nremoved);

/* ---- the persistent index (README "The index") --------------------------------- */

/** Opaque handle of an index: a SQLite database file holding documents, their
 *  relations, copy clusters and stories, to which documents are added one batch
 *  at a time. One handle is used by one thread at a time; many processes may
 *  read an index while one adds to it. */
typedef struct rp_index rp_index;

/** Version of the index format this library reads and writes. 7 (2026-12-08):
 *  the why of pairs not both dated whose weekdays are only neighbours says
 *  "not both dated" (one of the two may be dated), not "undated",
 *  and a story's support pairs are known by their whys, so a format-6 index's
 *  stored "undated, days named a day apart" would no longer support its
 *  stories; and what a figure counts is read in any script's letters ("14
 *  شخصا"), so its stored differences may differ; and one source's texts of
 *  one day whose figures fill slots differently are stored as a veto ("one
 *  source's texts of one day whose figures fill slots differently"), where a
 *  format-6 index stored them as one event or as support. 6 (2026-12-07,
 *  evening): undated pairs whose weekdays are only neighbours are stored as
 *  weak evidence that supports a story ("undated, days named a day apart"),
 *  where a format-5 index stored a veto ("other days named"); and figures and
 *  dates written in the digits of any script are read ("١٣٥٩", "٣٫٥٪"), so
 *  its stored relations and stories may differ. 5 (2026-12-07,
 *  later): the digits of every script are tokens' ASCII digits ("١٣٥٩" is
 *  "1359"), so a format-4 index's n-grams and bands of such texts are not
 *  what a scan hashes; and figures are read with a sentence's signs and
 *  decimal commas, so its stored relations may differ. 4 (2026-12-06,
 *  later): one source's pairs told apart by ledes or headlines are stored with
 *  their own why ("one source's texts whose ...") and veto a story, where two
 *  outlets' "the headlines share no word" no longer does, so the stored whys
 *  of a format-3 index mean other stories. 3 (2026-12-07):
 *  each document's story vectors are kept (table vectors), which the story
 *  join weighs a document left alone with; a format-2 index has none. 2
 *  (2026-12-06): the stories are those of the join where documents left alone
 *  join the story they fit (story.c), and same-topic pairs name their weak
 *  evidence, so the stories of a format-1 index are not what its pairs make
 *  today. */
#define RP_INDEX_FORMAT 7

/** Where a document added (or queried) stands. Strings are borrowed for the
 *  duration of the callback. */
typedef struct rp_placement {
    const char *id; /**< the document */
    rp_relation relation; /**< its strongest relation to a document indexed before it;
                               RP_REL_UNRELATED when it relates to none */
    const char *closest; /**< that document's id, or NULL */
    int64_t cluster; /**< its copy cluster: the index number of the cluster's first document */
    int new_cluster; /**< nonzero: it is a copy of nothing indexed (cluster is its own) */
    int64_t story; /**< its story: the index number of the story's first document */
    int new_story; /**< nonzero: it starts a story of its own */
} rp_placement;

/** Called once per document by rp_index_add(), in input order, after the batch
 *  is committed (or, for a query, before it is rolled back). */
typedef void (*rp_placement_fn)(void *user, const rp_placement *p);

/** rp_index_add() flags. */
enum {
    RP_INDEX_QUERY = 1, /**< answer as an add would, then leave the index unchanged */
    RP_INDEX_REPLACE = 2 /**< a document whose id is indexed replaces it (else an error) */
};

/** What rp_index_stats() reports. */
typedef struct rp_index_info {
    uint64_t ndocs; /**< documents */
    uint64_t nclusters; /**< copy clusters of two or more documents */
    uint64_t nstories; /**< stories of two or more documents */
    uint64_t npairs; /**< related pairs stored */
    uint64_t bytes; /**< size of the database file (pages in use and free) */
    int format; /**< index format version */
    char version[32]; /**< reprint version that created it */
    int ngram, perm; /**< settings */
    double threshold;
    rp_sketch_kind sketch;
    int keep_furniture;
} rp_index_info;

/**
 * Create an index at @p path (which must not exist) with the settings of
 * @p opt (ngram, perm, threshold, sketch, keep_furniture), stored in it.
 * @param[out] out  the open index; on failure NULL, or a handle that only
 *                  carries the message (rp_index_errmsg) and must be closed
 * @return RP_OK; RP_EINVAL (the file exists, a bad option); RP_EIO; RP_ENOMEM
 */
RP_API int rp_index_create(rp_index **out, const char *path, const rp_options *opt);

/**
 * Open an existing index. Its stored settings replace those of @p opt; the
 * others (threads, memory, fields, skip_bad, warn, progress) are taken from
 * @p opt. @p readonly opens it for reading only.
 * @return RP_OK; RP_EIO (no such file, not an index, unreadable); RP_EINVAL
 *         (written in another format version: the message names both);
 *         RP_ENOMEM. On failure *out is as for rp_index_create.
 */
RP_API int rp_index_open(rp_index **out, const char *path, const rp_options *opt, int readonly);

/** Close the index (a batch in progress was already committed or rolled back). Accepts NULL. */
RP_API void rp_index_close(rp_index *x);

/** The last error on @p x ("path: reason"); borrowed until the next call. */
RP_API const char *rp_index_errmsg(const rp_index *x);

/**
 * Add the documents of @p inputs (as rp_corpus_add_input takes them) as one
 * batch, in one transaction: each is compared with the indexed documents it
 * may relate to and with those before it in the batch, its relations,
 * passages and differing figures are stored, and it joins copy clusters and
 * stories. An interrupted batch leaves the index as it was before it. With
 * RP_INDEX_QUERY nothing is stored. @p fn (may be NULL) receives each
 * document's placement.
 * @return RP_OK; RP_EBADINPUT (a bad document, or an id already indexed
 *         without RP_INDEX_REPLACE: the message names it); RP_EIO (an input or
 *         the database; "busy" when another process holds the write lock past
 *         the wait); RP_EINVAL (read-only handle, no input); RP_ENOMEM
 */
RP_API int rp_index_add(rp_index *x, const char *const *inputs, size_t ninputs, unsigned flags,
                        rp_placement_fn fn, void *user);

/**
 * rp_index_add() for documents in memory: @p data holds JSONL records (one
 * JSON object a line, with the fields rp_options.id_field and text_field),
 * named @p name in messages ("request body:2: invalid JSON ...").
 */
RP_API int rp_index_add_buffer(rp_index *x, const char *data, size_t len, const char *name,
                               unsigned flags, rp_placement_fn fn, void *user);

/** An indexed document. Strings are borrowed until the next call on the index. */
typedef struct rp_indexed {
    int64_t number; /**< its number: its place in the order of adding, from 1 */
    const char *id; /**< its id */
    const char *text; /**< its text (NULL from rp_index_members) */
    size_t text_len; /**< bytes of text */
    const char *date, *source, *url, *title; /**< metadata as given, NULL when absent */
    int64_t cluster; /**< its copy cluster (the number of the cluster's first document) */
    int64_t story; /**< its story (the number of the story's first document) */
} rp_indexed;

/**
 * Document @p id, or when @p id is NULL the document numbered @p number.
 * @return 1 found, 0 no such document, or a negative RP_E* (RP_EIO)
 */
RP_API int rp_index_get(rp_index *x, const char *id, int64_t number, rp_indexed *out);

/** A stored related pair, oriented from the document asked about (a) to the other (b). */
typedef struct rp_index_pair {
    const rp_indexed *a, *b; /**< the two documents (texts NULL) */
    rp_pair pair; /**< relation, scores and why, oriented (containment_a is a's; pair.a and
                       pair.b are 0 and 1) */
    const rp_passage *passages; /**< its passages: a_start..a_end in a's text, b_* in b's */
    size_t npassages;
    const rp_difference *differences; /**< figures on which they differ, oriented the same */
    size_t ndifferences;
} rp_index_pair;

/**
 * Every stored related pair of document @p number, strongest relation first,
 * to @p fn (borrowed for the call).
 * @return the number of pairs, or a negative RP_E*
 */
RP_API int64_t rp_index_related(rp_index *x, int64_t number,
                                void (*fn)(void *user, const rp_index_pair *p), void *user);

/**
 * The members of copy cluster (@p story 0) or story (@p story 1) @p id, in the
 * order they were added, to @p fn (texts NULL).
 * @return the number of members (0: no such cluster or story), or a negative RP_E*
 */
RP_API int64_t rp_index_members(rp_index *x, int story, int64_t id,
                                void (*fn)(void *user, const rp_indexed *d), void *user);

/** An event of a story's timeline in the index. */
typedef struct rp_index_event {
    int64_t story; /**< the story (its number; a document in no story is a story of one) */
    int64_t size; /**< its documents */
    char first[11], last[11]; /**< "YYYY-MM-DD" of its earliest and latest dates, "" unknown */
    int self; /**< nonzero for the story asked about */
} rp_index_event;

/**
 * The timeline of story @p id: the story and the events on its subject that
 * it relates to (stories and lone documents linked to its members by
 * same-topic or shares-passages pairs, or story pairs across stories), in date
 * order (undated last), to @p fn.
 * @return the number of events (0: no such story), or a negative RP_E*
 */
RP_API int64_t rp_index_timeline(rp_index *x, int64_t id,
                                 void (*fn)(void *user, const rp_index_event *e), void *user);

/** Counts, size and settings of the index. @return RP_OK or RP_EIO */
RP_API int rp_index_stats(rp_index *x, rp_index_info *st);

/**
 * The indexed documents as one batch scan: a corpus run over them in the
 * order they were added, with the index's settings, so that the rp_corpus
 * writers give what `reprint scan` gives for the same collection.
 * @param[out] out  the corpus after rp_corpus_run (close it with rp_corpus_close)
 * @return as rp_corpus_run, or RP_EIO for the database
 */
RP_API int rp_index_export(rp_index *x, rp_corpus **out);

#ifdef __cplusplus
}
#endif
#endif /* REPRINT_H */
