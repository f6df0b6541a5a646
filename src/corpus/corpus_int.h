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

/* What is kept in memory per document: about 80 bytes. */
typedef struct rpi_doc {
    uint64_t id_off; /* offset of the id in the string arena */
    uint64_t meta_off; /* offset of "date\0source\0url\0title\0" in the arena, or UINT64_MAX */
    int64_t date_key; /* rpi_date_key of the date (INT64_MAX: unknown) */
    uint64_t line; /* line in its input (JSONL), 0 for a plain file */
    uint64_t thash[2]; /* hash of the normalised token sequence */
    rpi_setref set; /* its shingles in the spill store */
    uint32_t input; /* input number */
    uint32_t text_len; /* bytes of text */
    uint64_t rec_len; /* bytes of the raw record (JSONL line, or file), to check a re-read */
} rpi_doc;

struct rp_corpus {
    rp_options opt; /* options as given (strings borrowed) */
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
    uint32_t *idtab; /* open-addressing table of doc+1 by id hash */
    size_t idcap; /* its size (power of two) */
    uint64_t *bad_seq; /* record numbers skipped as bad (ascending) */
    size_t nbad, capbad; /* used, capacity */
    size_t nskip_inputs; /* inputs that could not be found or listed, skipped under skip_bad */
    rpi_spill spill; /* shingle store */
    rp_pair *pairs; /* verified pairs by (a, b) */
    size_t npairs; /* their number */
    rpi_clusters cl; /* clusters and dedup decisions */
    uint64_t ncandidates; /* LSH candidate pairs verified (statistics) */
    double t_pass1, t_lsh, t_verify, t_cluster; /* seconds per phase (bench/) */
};

#endif /* RP_CORPUS_INT_H */
