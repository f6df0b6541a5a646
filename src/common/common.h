/* SPDX-License-Identifier: MIT */
/*
 * common.h -- the bottom of the library: status forwarding, growable arrays,
 * a string arena, and error-message formatting. Depends on nothing else in
 * src/; every other stage includes it.
 */
#ifndef RP_COMMON_H
#define RP_COMMON_H

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "reprint.h"

/* Forward an error status (zstd's FORWARD_IF_ERROR). */
#define RP_TRY(expr)                                                                               \
    do {                                                                                           \
        int rp_try_rc_ = (expr);                                                                   \
        if (rp_try_rc_ != RP_OK)                                                                   \
            return rp_try_rc_;                                                                     \
    } while (0)

/* Jump to the function's fail: label with rc set, when expr fails. */
#define RP_CHECK(expr)                                                                             \
    do {                                                                                           \
        rc = (expr);                                                                               \
        if (rc != RP_OK)                                                                           \
            goto fail;                                                                             \
    } while (0)

/*
 * Allocation. All library allocations go through these so that tests can make
 * the Nth one fail (rpi_fail_alloc_after) and check the error path.
 */
void *rpi_malloc(size_t n);
void *rpi_calloc(size_t n, size_t size);
/*
 * rpi_calloc for a table read at random (hash tables of megabytes): from
 * 2 MiB up it is aligned to 2 MiB and asked for huge pages (madvise), so
 * that a look-up does not also miss the TLB. Freed with rpi_free.
 */
void *rpi_calloc_huge(size_t n, size_t size);
/* The same, not cleared: for blocks written once and read back (the shingle
 * store's), where the first touch of each 4 KiB page was a fault of its own. */
void *rpi_malloc_huge(size_t bytes);
void *rpi_realloc(void *p, size_t n);
void rpi_free(void *p);
char *rpi_strndup(const char *s, size_t n);
/* Fault injection for tests: the n-th allocation from now fails (n >= 1); 0 disables. */
void rpi_fail_alloc_after(long n);

/*
 * Grow *pa (an array of elements of size sz with capacity *pcap) so it holds
 * at least need elements. Doubling, so appends are amortised O(1).
 */
int rpi_grow(void **pa, size_t *pcap, size_t need, size_t sz);
/*
 * rpi_grow for an array written once through as it grows (pass 1's records,
 * band keys, signatures, ids, batch slots). From 256 KiB on it is a mapping
 * of its own, whole 2 MiB huge pages (madvise), and grows by mremap: the
 * pages move with the mapping, so nothing is copied and only pages never
 * written are cleared. Allocating each new capacity and copying the array
 * there cleared and copied every capacity again: 15% of the reading thread's
 * time in a --fast scan of the news corpus (2026-12-04). Freed with
 * rpi_free_huge and the same capacity, never rpi_free or realloc.
 */
int rpi_grow_huge(void **pa, size_t *pcap, size_t need, size_t sz);
void rpi_free_huge(void *p, size_t cap, size_t sz);
/* Give the pages of an array of rpi_grow_huge's beyond its first keep
 * elements back to the system, keeping the capacity: what they held is lost
 * (they read as zeros when next touched, or as the file rpi_map_over put
 * there). Where the array is malloc's (small, or not Linux), nothing is
 * given back. */
void rpi_release_huge(void *p, size_t cap, size_t sz, size_t keep);
/* Drop the pages of [p, p + bytes) (page-aligned, inside a mapping): an
 * anonymous page reads as zeros when next touched, one rpi_map_over put
 * there as the file. 0, or -1 (errno) when refused (locked memory). */
int rpi_drop_pages(void *p, size_t bytes);
/* The system's page size in bytes. */
size_t rpi_page_bytes(void);
/* Whether an array of rpi_grow_huge's of cap elements of size sz is a
 * mapping of its own (from 256 KiB, on Linux), where rpi_map_over works. */
int rpi_huge_mapped(size_t cap, size_t sz);
/*
 * Put bytes of file fd from offset off (both multiples of the page size) in
 * place of the pages at p (page-aligned, inside an array that
 * rpi_huge_mapped says is a mapping), copy on write: they read as the file
 * until written, take memory only while read (the kernel may drop them
 * again: they are clean), and rpi_release_huge makes them the file's again.
 * The array then cannot grow past its capacity (mremap refuses a range of
 * two kinds of pages). RP_EIO, errno set, when refused.
 */
int rpi_map_over(void *p, size_t bytes, int fd, uint64_t off);
/* The first bytes (> 0) of file fd mapped copy on write, as rpi_map_over's
 * pages: NULL (errno set) when refused. Freed with rpi_unmap. */
void *rpi_map_file(int fd, size_t bytes);
void rpi_unmap(void *p, size_t bytes);
/* Give the free pages inside the heap back to the system, after a stage
 * freed much (glibc's malloc_trim; elsewhere nothing). */
void rpi_trim(void);
/* Zeroed memory for a table written at random (a hash table): from 256 KiB
 * on a mapping of huge pages as rpi_grow_huge's, else calloc's. Freed with
 * rpi_free_map and the same size. */
void *rpi_calloc_map(size_t bytes);
void rpi_free_map(void *p, size_t bytes);

/* A byte buffer: data[0..len), capacity cap. */
typedef struct rpi_buf {
    char *data; /* bytes, NUL-terminated when len < cap after rpi_buf_cstr */
    size_t len; /* bytes used */
    size_t cap; /* bytes allocated */
} rpi_buf;

int rpi_buf_append(rpi_buf *b, const void *p, size_t n);
int rpi_buf_putc(rpi_buf *b, char ch);
int rpi_buf_printf(rpi_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rpi_buf_free(rpi_buf *b);

/*
 * String arena: append-only storage for many short strings (document ids,
 * dates). Strings are referenced by offset, so the arena can grow by realloc.
 */
typedef struct rpi_arena {
    char *data; /* all strings, each NUL-terminated */
    size_t len; /* bytes used */
    size_t cap; /* bytes allocated */
} rpi_arena;

/* Store s[0..n) and a NUL; *off receives its offset. */
int rpi_arena_add(rpi_arena *a, const char *s, size_t n, uint64_t *off);
void rpi_arena_free(rpi_arena *a);

/* Write p[0..n) at offset at of fd, all of it: RP_OK, or RP_EIO with errno
 * set (ENOSPC for a write that wrote nothing). */
int rpi_pwrite_all(int fd, const void *p, size_t n, uint64_t at);
/* Read n bytes at offset at of fd into p, all of them: RP_OK, or RP_EIO with
 * errno set (EIO when the file ends first). */
int rpi_pread_all(int fd, void *p, size_t n, uint64_t at);

/* Format into a fixed-size message buffer (truncating safely). */
void rpi_fmt(char *dst, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* 64-bit hashing used everywhere (XXH3, seeded). Values are part of the format. */
uint64_t rpi_hash64(const void *p, size_t n, uint64_t seed);

/* Number of online CPUs (>= 1). */
int rpi_ncpu(void);
/* The default of rp_options.memory: an eighth of the physical memory, at most
 * RP_MEMORY_MAX. */
size_t rpi_default_memory(void);


/*
 * Run fn(ctx, worker, begin, end) over [0, n) in chunks of `chunk` items on
 * nthreads threads (the calling thread is one of them). Chunks are handed out
 * dynamically; results must go to per-item slots so they do not depend on
 * which thread ran what. Returns the first non-OK status of any call.
 */
typedef int (*rpi_range_fn)(void *ctx, int worker, size_t begin, size_t end);
int rpi_parallel_for(int nthreads, size_t n, size_t chunk, rpi_range_fn fn, void *ctx);
/* The same, calling tick(tctx, items done, n) from the caller's thread after
 * each chunk it runs itself (progress reports stay on the caller's thread);
 * a tick that returns an error stops the loop with it. */
typedef int (*rpi_tick_fn)(void *tctx, size_t done, size_t n);
int rpi_parallel_for_ticks(int nthreads, size_t n, size_t chunk, rpi_range_fn fn, void *ctx,
                           rpi_tick_fn tick, void *tctx);

/* A growable array of 64-bit values. */
typedef struct rpi_vec {
    uint64_t *v; /* values */
    size_t n, cap; /* used, capacity */
} rpi_vec;

int rpi_vec_push(rpi_vec *w, uint64_t x);

/*
 * Table of 64-bit keys and 32-bit counts (counter.c). It doubles when 7/8
 * full, up to its largest size; then the additions of new keys go to sorted
 * runs in a temporary file, and rpi_counter_settle makes every count exact
 * (the table then holds the keys on two documents or more, and a key it
 * lacks reads as 1). Without settling, a key not admitted reads as 0. Which
 * keys are admitted depends on the order of the additions only, never on the
 * starting size, so a size guessed from the input's bytes (or not known: a
 * pipe) changes nothing but speed; a settled table depends on neither. One
 * thread at a time may add to a table, and none may read it meanwhile.
 */
typedef struct rpi_counter_slot {
    uint64_t key; /* 0: empty */
    uint32_t count; /* sum of the additions */
    uint32_t resolved; /* with a resolver (rpi_counter.resolve): count is its answer */
} rpi_counter_slot;

/* A count for key given the count a table holds for it (rpi_counter_settle, resolve). */
typedef uint32_t (*rpi_count_fn)(void *ctx, uint64_t key, uint32_t count);
/* Is the count of key, given the count a table holds for it, certainly below min,
 * known without resolving it (rpi_counter.below)? */
typedef int (*rpi_below_fn)(void *ctx, uint64_t key, uint32_t count, uint32_t min);

typedef struct rpi_counter {
    rpi_counter_slot *slot; /* the table */
    size_t mask; /* size - 1 (size a power of two) */
    size_t limit; /* most keys admitted at this size */
    size_t maxslots; /* largest size it grows to */
    size_t used; /* keys admitted */
    uint64_t overflow; /* additions of keys not admitted (in the runs, or lost) */
    uint32_t ones; /* what a key not in the table reads as: 0, or 1 once settled */
    int err; /* RP_EIO (errnum) or RP_ENOMEM once the runs could not be kept */
    int errnum; /* errno of a failed write or read */
    uint64_t *pend; /* keys not admitted, not yet in a run (RPI_PEND at most) */
    size_t npend; /* how many */
    uint64_t *minus; /* keys not admitted taken away once each (rpi_features_uncount) */
    size_t nminus, capminus; /* used, capacity */
    int fd1; /* the runs' temporary file's descriptor + 1 (0: none yet; a zeroed table has none) */
    uint64_t *run; /* byte offset where each run starts, and the file's end after them */
    size_t nrun, caprun; /* runs, capacity of run (nrun + 1 offsets) */
    /* When set, the count of a key in the table is resolve's answer, asked
     * the first time the key is read (the lookup then writes its slot); the
     * count of a key the table lacks is resolve's answer too, given t->ones,
     * asked at every read and not kept (a run whose own counts are not used
     * adds no key: rpi_hooks.resolved_counts). The
     * index's runs ask the index for the counts of the keys a run reads, not
     * of every key it holds. With several threads reading the table,
     * resolve_lock is held while one resolves and writes a slot (and the
     * slot is read and written atomically); without, one thread only. */
    rpi_count_fn resolve;
    void *resolve_ctx;
    pthread_mutex_t *resolve_lock;
    /* When set with resolve, rpi_counter_get_min asks it first (with
     * resolve_ctx): a count known to be below the bound is not resolved. */
    rpi_below_fn below;
} rpi_counter;

/* A table of at least cap slots that may grow to maxcap (rounded up to powers of two). */
int rpi_counter_init(rpi_counter *t, size_t cap, size_t maxcap);
void rpi_counter_free(rpi_counter *t);
/* Add n to key's count (n = UINT32_MAX takes one away: see rpi_features_uncount). */
void rpi_counter_add(rpi_counter *t, uint64_t key, uint32_t n);
uint32_t rpi_counter_get(const rpi_counter *t, uint64_t key);
/* key's count when it is at least min; otherwise a count below min (0 when the
 * table's below hook knows it is below without resolving it). */
uint32_t rpi_counter_get_min(const rpi_counter *t, uint64_t key, uint32_t min);
/* Start loading the slot of key into the cache (a lookup soon after costs no miss). */
void rpi_counter_prefetch(const rpi_counter *t, uint64_t key);

/*
 * The keys not admitted, in key order, each once with its count: a merge of
 * the runs. Open, then next until it returns 0 (1: a key; <0: an error code,
 * t->errnum set).
 */
typedef struct rpi_counter_merge rpi_counter_merge;
int rpi_counter_merge_open(rpi_counter *t, rpi_counter_merge **m);
int rpi_counter_merge_next(rpi_counter_merge *m, uint64_t *key, uint32_t *count);
void rpi_counter_merge_close(rpi_counter_merge *m);
/* Does the table have keys outside it (runs to merge)? */
int rpi_counter_spilled(const rpi_counter *t);
/* The count a settled table keeps for a key outside it: fn(ctx, key, count)
 * gets each such key in key order with its count from the runs (rpi_count_fn). */
/*
 * Make every count exact: the table is rebuilt with its keys and the runs'
 * keys on two documents or more (up to maxslots slots; beyond, a key reads as
 * 1 and counts as overflow), and a key it lacks reads as 1. fn (NULL: the
 * runs' counts as they are) may give another count for each key of the runs
 * (a divided run's sums over every rank). Nothing to do when nothing was
 * spilled. On an error the table is as it was.
 */
int rpi_counter_settle(rpi_counter *t, size_t maxslots, rpi_count_fn fn, void *ctx);

/*
 * A count table split by the top two bits of the key into RPI_SHARDS tables,
 * so that each shard can be added to by its own thread, in its own fixed
 * order: which keys a full shard refuses then depends on the input order
 * only, never on the thread count (corpus.c, pass 1).
 */
#define RPI_SHARDS 4
typedef struct rpi_counts {
    rpi_counter shard[RPI_SHARDS]; /* by rpi_counts_shard(key) */
} rpi_counts;

/* The shard of a key. */
size_t rpi_counts_shard(uint64_t key);
/* cap, maxcap: slots in all at first and at most (each shard gets a quarter). */
int rpi_counts_init(rpi_counts *t, size_t cap, size_t maxcap);
void rpi_counts_free(rpi_counts *t);
uint32_t rpi_counts_get(const rpi_counts *t, uint64_t key);
uint32_t rpi_counts_get_min(const rpi_counts *t, uint64_t key, uint32_t min);
void rpi_counts_prefetch(const rpi_counts *t, uint64_t key);
/* Bytes of its tables (0 when not initialised). */
size_t rpi_counts_bytes(const rpi_counts *t);

/* Sort a[0..n) ascending; *tmp (capacity *captmp) is scratch grown as needed. */
int rpi_sort_u64(uint64_t *a, size_t n, uint64_t **tmp, size_t *captmp);
/* qsort's comparison of two uint32_t, ascending. */
int rpi_cmp_u32(const void *x, const void *y);
/* Sort v[0..n) and drop repeats; @return how many remain. */
size_t rpi_sort_unique_u32(uint32_t *v, size_t n);
/* Sort v[0..n) and drop repeats; *m receives how many remain (tmp as for rpi_sort_u64). */
int rpi_sort_distinct(uint64_t *v, size_t n, uint64_t **tmp, size_t *captmp, size_t *m);
/* The position of the first of the sorted a[0..n) at or above key (n when none is). */
size_t rpi_lower_bound_u64(const uint64_t *a, size_t n, uint64_t key);
/* The index of x in the ascending v[0..m), or m when it is not there. */
size_t rpi_find_u32(const uint32_t *v, size_t m, uint32_t x);

/* Sort a short array in place, without scratch (quicksort, insertion sort below
 * 24); for arrays of a few thousand values at most. */
void rpi_sort_small(uint64_t *a, size_t n);

/*
 * Called first by every thread the library starts: block the asynchronous
 * signals there, so that the kernel delivers a signal sent to the process to
 * one of the application's own threads, which can hold it off while they do
 * something that must not be interrupted (the CLI registering a temporary
 * file for removal). Faults (SIGSEGV, SIGBUS, ...) are not blocked.
 */
void rpi_thread_block_signals(void);

#endif /* RP_COMMON_H */
