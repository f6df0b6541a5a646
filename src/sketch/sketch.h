/* SPDX-License-Identifier: MIT */
/*
 * sketch.h -- stage 4: MinHash signatures and LSH banding.
 *
 * Two schemes (README "How it works, and why these rules" has the figures):
 *  - one-permutation hashing (OPH): each shingle hash picks one of k bins
 *    (its high 32 bits, range-reduced) and competes for the bin's minimum
 *    with its low 32 bits; empty bins are filled by optimal densification
 *    (Shrivastava, ICML 2017): bin i copies the first non-empty bin of the
 *    sequence h(i,1), h(i,2), ... One hash per shingle instead of k.
 *  - k independent multiply-shift hash functions (classic MinHash), kept for
 *    comparison in bench/.
 * Banding: b bands of r values; a band key is the XXH3-64 of its r values
 * seeded by the band number. r and b come from rpi_lsh_params().
 */
#ifndef RP_SKETCH_H
#define RP_SKETCH_H

#include "common.h"

/* Longest run of equal band keys whose pairs are all candidates. */
#define RPI_BUCKET_CAP 1000

/* Recall the banding is sized for, at a Jaccard equal to the threshold. */
#define RPI_LSH_TARGET_RECALL 0.995

/*
 * Signature of a shingle multiset sh[0..n) (n >= 1) into sig[0..k).
 * The same set gives the same signature whatever the order or repeats.
 */
void rpi_minhash(rp_sketch_kind kind, const uint64_t *sh, size_t n, int k, uint32_t *sig);

/*
 * Choose rows per band r and bands b (b*r <= k) for threshold t: the largest
 * r for which 1 - (1 - t^r)^b >= RPI_LSH_TARGET_RECALL, so that candidates
 * stay as few as the recall target allows.
 */
void rpi_lsh_params(double t, int k, int *rows, int *bands);

/* Probability that a pair of Jaccard j shares at least one band key. */
double rpi_lsh_prob(double j, int rows, int bands);

/* Band keys of a signature: keys[0..bands). */
void rpi_lsh_keys(const uint32_t *sig, int rows, int bands, uint64_t *keys);

typedef int (*rpi_lsh_prefer_fn)(void *ctx, uint32_t a, uint32_t b); /* < 0: a preferred */

/*
 * Candidate pairs: documents of docs[0..n) (ascending) that share a band key,
 * where the keys of document d are keys[d*bands .. d*bands+bands). Bands are
 * bucketed in parallel. *out receives sorted, distinct pair codes
 * ((uint64_t)a << 32 | b, a < b); the caller frees it with rpi_free.
 * prefer orders documents for oversized buckets (RPI_BUCKET_CAP).
 */
int rpi_lsh_candidates(const uint64_t *keys, int bands, const uint32_t *docs, size_t n,
                       int nthreads, rpi_lsh_prefer_fn prefer, void *pctx, uint64_t **out,
                       size_t *nout);

/*
 * The pairs of one band: documents docs[0..n) (ascending) with their keys
 * keys[0..n) in that band; codes appended to *out (*nout used of *cap). The
 * same pairs rpi_lsh_candidates finds in that band (distrib.c buckets on the
 * rank owning them).
 */
int rpi_lsh_band(const uint64_t *keys, const uint32_t *docs, size_t n, rpi_lsh_prefer_fn prefer,
                 void *pctx, uint64_t **out, size_t *nout, size_t *cap);

/* ---- candidates from postings (postings.c) -------------------------------- */

/*
 * Pairs (a << 32 | b, a < b) of documents sharing a key, appended to out,
 * from the postings post[0..n) (key << 32 | document; sorted here); keys in
 * more than cap documents are skipped. tmp is sort scratch.
 */
int rpi_postings_pairs(uint64_t *post, size_t n, size_t cap, rpi_vec *out, uint64_t **tmp,
                       size_t *captmp);

/* Keep the values of v listed at least k times; sorted, without repeats. */
int rpi_keep_repeated(rpi_vec *v, size_t k, uint64_t **tmp, size_t *captmp);

#endif /* RP_SKETCH_H */
