/* SPDX-License-Identifier: MIT */
/*
 * align.h -- stage 4 of the pipeline: passage alignment of two documents.
 *
 * Input: the token sequences of two documents (normalize.h: a 64-bit hash of
 * each normalised word and its byte range in the original text), with page
 * furniture already removed by the caller. Output: the passages the two
 * texts share, as token ranges and byte ranges in both texts, each with a
 * score. Anchors are shared word n-grams that are rare in both documents;
 * they are chained along the diagonal and each chain is refined by a banded
 * local alignment on tokens, so that changed, added or dropped words and
 * dropped sentences inside a passage are tolerated.
 */
#ifndef RP_ALIGN_H
#define RP_ALIGN_H

#include "common.h"
#include "normalize.h"

/*
 * One shared passage. Token ranges index the arrays given to rpi_align. A
 * passage starts and ends on a matching token pair (a[a0] and b[b0] have
 * equal hashes, as do a[a1-1] and b[b1-1]); inside, tokens may be changed,
 * added or dropped (up to about a sentence in a row).
 */
enum { RPI_REWORDED_EDGES = 1, RPI_REWORDED_SENTENCES = 2 };

typedef struct rpi_passage {
    uint32_t a0, a1; /* tokens of A, half-open, a0 < a1 */
    uint32_t b0, b1; /* tokens of B, half-open, b0 < b1 */
    uint32_t a_start, a_end; /* bytes of A's text: tok[a0].start .. tok[a1-1].end */
    uint32_t b_start, b_end; /* bytes of B's text */
    uint32_t matches; /* token pairs aligned as equal, 1 .. min(a1-a0, b1-b0) */
    double score; /* 2 * matches / ((a1-a0) + (b1-b0)), in (0, 1] */
    uint8_t reworded; /* 0, or how rpi_align_reworded made it: RPI_REWORDED_EDGES, an
                         aligner's passage taken to the ends of the sentences it reached into,
                         RPI_REWORDED_SENTENCES, whole sentences saying the same in other
                         words; matches is then the multiset overlap of their tokens */
    uint8_t mark; /* the caller's: rpi_align sets 0, rpi_align_reworded keeps it */
} rpi_passage;

/* Per-thread scratch, reused between calls; zero-initialise, free with rpi_alignctx_free. */
typedef struct rpi_alignctx {
    void *mem[10]; /* scratch arrays owned by align.c (n-gram table, anchors, chains, DP rows...) */
    size_t cap[10]; /* their capacities, in elements (of the size each slot always holds) */
    rpi_passage *pass; /* passages of the last call (borrowed until the next call or the free) */
    size_t npass, cappass; /* used, capacity */
    void *rw[8]; /* scratch arrays owned by reworded.c */
    size_t caprw[8]; /* their capacities, in elements */
} rpi_alignctx;

/*
 * Align a[0..na) with b[0..nb). On success ctx->pass[0..ctx->npass) holds the
 * passages, in order of a0, not overlapping on either side as token ranges
 * (byte ranges of two passages can touch the same original run only when
 * two tokens were split from one run, e.g. by NFKC, and the passages meet
 * exactly there). A passage has at least 8 matching tokens; none is found
 * when a text has fewer than 3 tokens. The result does not depend on the
 * argument order: rpi_align(b, a) gives the mirror image of rpi_align(a, b).
 * Time and memory are O(na + nb) for anchoring (memory follows the shorter
 * text) plus the banded refinement, which costs O(passage length) per
 * passage with a constant band width; tokens that occur too often in either
 * text never anchor, so a text of one repeated word ends quickly with few or
 * no passages. Not thread-safe on one ctx; use one ctx per thread.
 * @return RP_OK; RP_ENOMEM (ctx->npass is then 0; ctx stays usable);
 *         RP_EINVAL when na or nb >= 2^32 - 1
 */
int rpi_align(rpi_alignctx *ctx, const rpi_token *a, size_t na, const rpi_token *b, size_t nb);

void rpi_alignctx_free(rpi_alignctx *ctx);

/* ---- reworded sentences (reworded.c) ------------------------------------ */

struct rpi_side;

/*
 * After rpi_align(ctx, a, b): add to ctx->pass the sentences that say the
 * same thing in other words. akey, bkey: per token its content key
 * (rpi_content_key) or 0; aw, bw: per token the weight of its content word
 * (its IDF; equal for equal words), or NULL for equal weights. Two sentences
 * (ended by sentence punctuation or a blank line, not by a wrapped line) say
 * the same when they share at least half of the weight of their distinct
 * content words and at least 4 of them. A passage that stops inside such a
 * pair of sentences is taken to their ends (reworded = RPI_REWORDED_EDGES);
 * of the sentences no passage touches, each pairs at most once, the highest
 * share first, and pairs of sentences that follow each other on both sides
 * are one passage (RPI_REWORDED_SENTENCES). ctx->pass must be in order of a0
 * without overlaps (as rpi_align leaves it) and stays so. Memory follows the
 * sentences and the words they share (a word in more than 16 sentences of a
 * text is not counted).
 * @return RP_OK; RP_ENOMEM (no sentences added then, though passages may
 *         have been taken to their sentences' ends); RP_EINVAL when a text has
 *         2^32 - 1 tokens or more
 */
int rpi_align_reworded(rpi_alignctx *ctx, const struct rpi_side *a, const uint64_t *akey,
                       const float *aw, const struct rpi_side *b, const uint64_t *bkey,
                       const float *bw);

/* ---- passage edges (edges.c) -------------------------------------------- */

/* One text of an aligned pair, as the passage edges need it. */
typedef struct rpi_side {
    const char *text; /* the text */
    size_t len; /* its bytes */
    const rpi_token *art; /* the aligned tokens (article text) */
    size_t nart; /* their number */
    const uint32_t *sent; /* per token: its sentence number */
} rpi_side;

/*
 * Cut passage p of sides a and b to whole sentences where it reaches at most
 * two words into the next or the previous one on both sides, and set its
 * byte ranges (a_start.. b_end, taking in closing punctuation and opening
 * quotes that touch it) and its score.
 */
void rpi_passage_edges(const rpi_side *a, const rpi_side *b, rpi_passage *p);

/* Is passage p worth reporting: at least 8 matched words that are not names? */
int rpi_passage_significant(const rpi_side *a, const rpi_side *b, const rpi_passage *p);

/* end moved past the punctuation and closing quotes that touch it in text[0..len). */
uint32_t rpi_close_marks(const char *text, size_t len, uint32_t end);

#endif /* RP_ALIGN_H */
