/* SPDX-License-Identifier: MIT */
/*
 * shingle.h -- stage 3: word n-gram shingles of a token sequence.
 *
 * A shingle is n consecutive tokens, hashed as the XXH3-64 of their n token
 * hashes (little-endian u64s) with RPI_SHINGLE_SEED. A document with fewer
 * than n tokens (but at least one) gets one shingle made of all its tokens,
 * so it still has a signature.
 */
#ifndef RP_SHINGLE_H
#define RP_SHINGLE_H

#include "normalize.h"

#define RPI_SHINGLE_SEED 0x7368696e676c6531ULL /* "shingle1" */

/* Number of shingles rpi_shingles() writes for ntok tokens. */
size_t rpi_shingle_count(size_t ntok, int ngram);

/*
 * Write the shingle hashes of tok[0..ntok) into out (capacity
 * rpi_shingle_count(ntok, ngram)), in text order, repeats included.
 * @return the number written
 */
size_t rpi_shingles(const rpi_token *tok, size_t ntok, int ngram, uint64_t *out);

/* Sort a[0..n) ascending and drop repeats; returns the new length. */
size_t rpi_sort_unique(uint64_t *a, size_t n);

/* |A and B| of two sorted sets without repeats. */
size_t rpi_intersect_count(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

/*
 * 128-bit hash of a document's shingle sequence sh[0..nsh) as written by
 * rpi_shingles (text order, repeats included). The sequence of word n-grams
 * determines the sequence of words, so equal hashes mean equal normalised
 * texts (up to a 2^-128 collision).
 */
void rpi_text_hash(const uint64_t *sh, size_t nsh, uint64_t out[2]);


/*
 * Spill store: the shingle hashes of every document, written to unlinked
 * temporary files during the first pass (one file per worker, so no locks)
 * and read back with pread only for candidate pairs. This keeps exact
 * verification possible without holding every shingle set in memory.
 * Writes bypass the page cache (O_DIRECT, whole blocks of 2 MiB; spill.c says
 * which are huge pages): on the
 * benchmark machine, a million documents spent 16.2 s in the kernel with
 * buffered writes (the page-cache copy was 29% of all CPU samples) and
 * 6.5 s with O_DIRECT.
 * Full blocks go to a background thread, so workers never wait on the disk
 * unless it falls three blocks behind.
 */
typedef struct rpi_spill_io rpi_spill_io;

typedef struct rpi_spill {
    int *fd; /* one temporary file per writer (O_DIRECT when the file system allows) */
    int *rfd; /* a buffered descriptor of the same file, for reading back */
    uint64_t *size; /* bytes written to each (buffered bytes included) */
    char **buf; /* per writer: the 2 MiB block being filled (at least 4 KiB-aligned) */
    size_t *nbuf; /* bytes in buf */
    int n; /* number of files */
    rpi_spill_io *io; /* background writer thread and its spare blocks */
    int errnum; /* errno of the first failed write, or 0 */
    char ***mem; /* per writer: its blocks kept in memory, by block number (NULL: on disk) */
    size_t *nmem, *capmem; /* per writer: length and capacity of mem[w] */
    size_t keep; /* bytes of blocks that may stay in memory (rpi_spill_keep) */
    size_t kept; /* bytes of blocks kept in memory (under the writer thread's lock) */
    int ondisk; /* some block went to its file */
    int sealed; /* flushed: no more writes */
    const char *name; /* what it holds, for messages ("shingle store"); static, or NULL */
    int huge_first; /* a writer's first block in huge pages too (rpi_spill_expect) */
} rpi_spill;

int rpi_spill_open(rpi_spill *s, int nwriters, char *err, size_t errcap);
/* The directory of temporary files: $TMPDIR, else /tmp. */
const char *rpi_tmpdir(void);
/* A temporary file there, read-write, unlinked at once; -1 (errno) when refused. */
int rpi_tmpfile(void);
/*
 * Keep up to bytes of full blocks in memory instead of writing them to the
 * files (a collection that fits never touches the disk; what does not fit
 * goes to the files as before). Call before the first write.
 */
void rpi_spill_keep(rpi_spill *s, size_t bytes);
/* The bytes the store will take in all, when known (0: unknown, as a
 * pipe): past a few blocks a writer, its first block is huge too. */
void rpi_spill_expect(rpi_spill *s, uint64_t bytes);
/* Bytes the store keeps in memory. */
size_t rpi_spill_kept(const rpi_spill *s);
/* Append sh[0..n) to file w; *off receives the byte offset. Not thread-safe per w. */
int rpi_spill_write(rpi_spill *s, int w, const uint64_t *sh, size_t n, uint64_t *off);
/* Append bytes (a document's text), padded to a multiple of 8 bytes. */
int rpi_spill_write_bytes(rpi_spill *s, int w, const void *data, size_t nbytes, uint64_t *off);
/* Write out what the writers buffered (or keep it, within the memory allowed);
 * call once, after the last write and before the first read. */
int rpi_spill_flush(rpi_spill *s);
/* Ask the kernel to start reading n hashes at (w, off) in the background. */
void rpi_spill_prefetch(const rpi_spill *s, int w, uint64_t off, size_t n);
/* Ask the kernel to read every file of the store in the background. */
void rpi_spill_prefetch_all(const rpi_spill *s);
/* Read n hashes at (w, off) into out. Thread-safe after rpi_spill_flush. */
int rpi_spill_read(const rpi_spill *s, int w, uint64_t off, size_t n, uint64_t *out);
/* Read nbytes at (w, off) into out. Thread-safe after rpi_spill_flush. */
int rpi_spill_read_bytes(const rpi_spill *s, int w, uint64_t off, size_t nbytes, void *out);
void rpi_spill_close(rpi_spill *s);
/* "cannot <what> the temporary store in DIR: reason" into dst. */
void rpi_spill_errmsg(const rpi_spill *s, const char *what, char *dst, size_t cap);

#endif /* RP_SHINGLE_H */
