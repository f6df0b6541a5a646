/* SPDX-License-Identifier: MIT */
/*
 * common.c -- allocation with fault injection, buffers, arena, hashing.
 */
#define _GNU_SOURCE /* madvise(MADV_HUGEPAGE) */
#include "common.h"

#include <errno.h>

#include <pthread.h>
#include <signal.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xxhash.h>
#if defined(__GLIBC__)
#include <malloc.h> /* malloc_trim */
#endif

static long g_fail_after; /* 0: never fail; else the countdown to a failure */

void rpi_fail_alloc_after(long n)
{
    __atomic_store_n(&g_fail_after, n, __ATOMIC_SEQ_CST);
}

static int should_fail(void)
{
    if (__atomic_load_n(&g_fail_after, __ATOMIC_RELAXED) == 0)
        return 0;
    return __atomic_sub_fetch(&g_fail_after, 1, __ATOMIC_SEQ_CST) == 0;
}

void *rpi_malloc(size_t n)
{
    return should_fail() ? NULL : malloc(n ? n : 1);
}

void *rpi_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *rpi_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : realloc(p, n ? n : 1);
}

void *rpi_malloc_huge(size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    if (bytes >= huge) {
        void *p = NULL;
        if (should_fail() || posix_memalign(&p, huge, bytes) != 0)
            return NULL;
        (void)madvise(p, bytes, MADV_HUGEPAGE); /* a hint: plain pages when refused */
        return p;
    }
#endif
    return rpi_malloc(bytes);
}

void *rpi_calloc_huge(size_t n, size_t size)
{
    size_t bytes = n * size;
    if (size && bytes / size != n)
        return NULL;
    void *p = rpi_malloc_huge(bytes);
    if (p)
        memset(p, 0, bytes ? bytes : 1);
    return p;
}

void rpi_free(void *p)
{
    free(p);
}

char *rpi_strndup(const char *s, size_t n)
{
    char *d = rpi_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

/* The capacity for need elements of size sz: *pcap doubled when that is
 * enough (appends one at a time stay amortised O(1)), else need itself, so
 * that one large reservation is not rounded up to a power of two (a 50 MB
 * document's tokens took 268 MB instead of 200). RP_ENOMEM past SIZE_MAX. */
static int grown(size_t *pcap, size_t need, size_t sz, size_t *out)
{
    if (need > SIZE_MAX / sz)
        return RP_ENOMEM;
    size_t cap = *pcap ? *pcap : 16;
    if (cap < need)
        cap = cap <= SIZE_MAX / 2 / sz && 2 * cap >= need ? 2 * cap : need;
    *out = cap;
    return RP_OK;
}

int rpi_grow(void **pa, size_t *pcap, size_t need, size_t sz)
{
    if (need <= *pcap)
        return RP_OK;
    size_t cap;
    RP_TRY(grown(pcap, need, sz, &cap));
    void *p = rpi_realloc(*pa, cap * sz);
    if (!p)
        return RP_ENOMEM;
    *pa = p;
    *pcap = cap;
    return RP_OK;
}

/*
 * Bytes of a mapping for an array of cap elements of size sz, whole huge
 * pages; 0 below MAP_MIN, where the array is malloc's. From 256 KiB on a
 * huge page (one fault) costs less than the 4 KiB pages it replaces (64 or
 * more faults, each dear under a virtual machine: 14 us here); smaller arrays
 * are the index's runs of a few documents, which would clear 2 MiB for each.
 */
#define HUGE_BYTES ((size_t)2 << 20)
#define MAP_MIN ((size_t)256 << 10)
static size_t map_bytes(size_t cap, size_t sz)
{
    size_t bytes = cap * sz;
    return bytes < MAP_MIN ? 0 : (bytes + HUGE_BYTES - 1) / HUGE_BYTES * HUGE_BYTES;
}

#if defined(__linux__) && defined(MREMAP_FIXED)
/* A mapping of bytes (whole huge pages) at a multiple of 2 MiB, so that all
 * of it can be huge pages; NULL when refused. */
static void *map_aligned(size_t bytes)
{
    char *p = mmap(NULL, bytes + HUGE_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    size_t lead = (HUGE_BYTES - (uintptr_t)p % HUGE_BYTES) % HUGE_BYTES;
    if (lead)
        munmap(p, lead);
    munmap(p + lead + bytes, HUGE_BYTES - lead); /* (the tail: never empty) */
    (void)madvise(p + lead, bytes, MADV_HUGEPAGE); /* a hint: plain pages when refused */
    return p + lead;
}
#endif

int rpi_grow_huge(void **pa, size_t *pcap, size_t need, size_t sz)
{
    if (need <= *pcap)
        return RP_OK;
    size_t cap;
    RP_TRY(grown(pcap, need, sz, &cap));
    size_t old = map_bytes(*pcap, sz), bytes = map_bytes(cap, sz);
    if (!bytes)
        return rpi_grow(pa, pcap, need, sz);
    if (bytes == old) { /* the mapping has room already */
        *pcap = cap;
        return RP_OK;
    }
#if defined(__linux__) && defined(MREMAP_FIXED)
    void *p = should_fail() ? NULL : map_aligned(bytes);
    if (!p)
        return RP_ENOMEM;
    if (old) {
        /* The pages move to the start of the new mapping (replacing its
         * pages there), huge pages staying whole: both are aligned. */
        if (mremap(*pa, old, old, MREMAP_MAYMOVE | MREMAP_FIXED, p) == MAP_FAILED) {
            munmap(p, bytes);
            return RP_ENOMEM;
        }
    } else {
        if (*pcap)
            memcpy(p, *pa, *pcap * sz);
        rpi_free(*pa);
    }
#else
    (void)old;
    void *p = rpi_malloc_huge(bytes);
    if (!p)
        return RP_ENOMEM;
    if (*pcap)
        memcpy(p, *pa, *pcap * sz);
    rpi_free(*pa);
#endif
    *pa = p;
    *pcap = cap;
    return RP_OK;
}

void *rpi_calloc_map(size_t bytes)
{
    if (!map_bytes(bytes, 1))
        return rpi_calloc(bytes, 1);
#if defined(__linux__) && defined(MREMAP_FIXED)
    return should_fail() ? NULL : map_aligned(map_bytes(bytes, 1)); /* (zeroed) */
#else
    return rpi_calloc_huge(bytes, 1);
#endif
}

void rpi_free_map(void *p, size_t bytes)
{
    rpi_free_huge(p, bytes, 1);
}

void rpi_free_huge(void *p, size_t cap, size_t sz)
{
    size_t bytes = map_bytes(cap, sz);
#if defined(__linux__) && defined(MREMAP_FIXED)
    if (bytes && p) {
        munmap(p, bytes);
        return;
    }
#endif
    (void)bytes;
    rpi_free(p);
}

int rpi_buf_append(rpi_buf *b, const void *p, size_t n)
{
    RP_TRY(rpi_grow((void **)&b->data, &b->cap, b->len + n + 1, 1));
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return RP_OK;
}

int rpi_buf_putc(rpi_buf *b, char ch)
{
    return rpi_buf_append(b, &ch, 1);
}

int rpi_buf_printf(rpi_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return RP_EINTERNAL;
    if ((size_t)n < sizeof tmp)
        return rpi_buf_append(b, tmp, (size_t)n);
    RP_TRY(rpi_grow((void **)&b->data, &b->cap, b->len + (size_t)n + 1, 1));
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return RP_OK;
}

void rpi_release_huge(void *p, size_t cap, size_t sz, size_t keep)
{
    size_t bytes = map_bytes(cap, sz);
#if defined(__linux__) && defined(MREMAP_FIXED)
    size_t page = rpi_page_bytes();
    size_t from = (keep * sz + page - 1) / page * page;
    if (bytes && p && from < bytes)
        (void)rpi_drop_pages((char *)p + from, bytes - from); /* (a hint) */
#endif
    (void)p, (void)bytes, (void)keep;
}

size_t rpi_page_bytes(void)
{
    long ps = sysconf(_SC_PAGESIZE);
    return ps > 0 ? (size_t)ps : 4096;
}

int rpi_drop_pages(void *p, size_t bytes)
{
#if defined(__linux__)
    return bytes ? madvise(p, bytes, MADV_DONTNEED) : 0;
#else
    (void)p, (void)bytes;
    errno = ENOTSUP;
    return -1;
#endif
}

int rpi_huge_mapped(size_t cap, size_t sz)
{
#if defined(__linux__) && defined(MREMAP_FIXED)
    return map_bytes(cap, sz) != 0;
#else
    (void)cap, (void)sz;
    return 0;
#endif
}

int rpi_map_over(void *p, size_t bytes, int fd, uint64_t off)
{
    if (!bytes)
        return RP_OK;
    void *q = mmap(p, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, (off_t)off);
    return q == p ? RP_OK : RP_EIO;
}

void *rpi_map_file(int fd, size_t bytes)
{
    if (should_fail()) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

void rpi_unmap(void *p, size_t bytes)
{
    if (p)
        munmap(p, bytes);
}

/*
 * glibc returns freed memory to the system only from the top of its heap,
 * or whole when it was a mapping of its own; and once a mapping is freed it
 * takes blocks up to that size (to 32 MiB) from the heap. So after a stage
 * frees its many blocks (features, a round's buffers), whatever a later one
 * allocated above them keeps their pages resident though unused: at 2
 * million generated documents on 2 ranks (default scan), rank 0 held 891
 * and 1,003 MiB after the comparison in two runs (as the blocks fell), and
 * 370 MiB when trimmed there.
 */
void rpi_trim(void)
{
#if defined(__GLIBC__)
    (void)malloc_trim(0);
#endif
}

void rpi_buf_free(rpi_buf *b)
{
    rpi_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int rpi_arena_add(rpi_arena *a, const char *s, size_t n, uint64_t *off)
{
    RP_TRY(rpi_grow_huge((void **)&a->data, &a->cap, a->len + n + 1, 1));
    memcpy(a->data + a->len, s, n);
    a->data[a->len + n] = 0;
    *off = a->len;
    a->len += n + 1;
    return RP_OK;
}

void rpi_arena_free(rpi_arena *a)
{
    rpi_free_huge(a->data, a->cap, 1);
    a->data = NULL;
    a->len = a->cap = 0;
}

void rpi_fmt(char *dst, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, cap, fmt, ap);
    va_end(ap);
}

uint64_t rpi_hash64(const void *p, size_t n, uint64_t seed)
{
    return XXH3_64bits_withSeed(p, n, seed);
}

size_t rpi_default_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    uint64_t phys = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size : 0;
    size_t b = (size_t)(phys / 8);
    return b == 0 || b > RP_MEMORY_MAX ? RP_MEMORY_MAX : b;
}

int rpi_ncpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int)n;
}

/*
 * LSD radix sort of 64-bit keys, 8 bits a pass, skipping the passes where
 * every key has the same byte (sampled or masked keys often do). Small arrays
 * use insertion sort. Measured on the evaluation corpus: glibc qsort through
 * a comparison callback was 17% of a full scan's CPU time; this is about 5x
 * faster on the 100..1,000-key arrays the pipeline sorts per document.
 */
static void insertion_sort(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/* Quicksort (median of three, the smaller side first so the depth stays
 * logarithmic), insertion sort below 24 elements. */
static void quick_sort(uint64_t *a, size_t n)
{
    while (n >= 24) {
        uint64_t x = a[0], y = a[n / 2], z = a[n - 1];
        uint64_t pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i >= j)
                break;
            uint64_t t = a[i];
            a[i++] = a[j];
            a[j--] = t;
        }
        /* a[0..j] <= pivot <= a[j+1..n) */
        size_t left = j + 1;
        if (left < n - left) {
            quick_sort(a, left);
            a += left;
            n -= left;
        } else {
            quick_sort(a + left, n - left);
            n = left;
        }
    }
    insertion_sort(a, n);
}

/*
 * Radix sort pays 8 passes over 256 counters whatever n is: below 1,024
 * values quicksort was faster (term vectors of a few hundred words are
 * sorted for every document compared; with radix sort from 48 values up,
 * sorting was 11% of a full scan's time). What is sorted here is mostly
 * hashes, spread evenly over their range: from 32 to 65,536 values a bucket
 * sort does better still (one pass for the range, one to count, one to
 * place, then buckets of about four sorted by insertion): sorting went from
 * 8.2% to 5.0% of a full scan's CPU samples on the news corpus (shingle sets,
 * counting keys, term vectors; perf, one thread).
 */
#define RPI_RADIX_MIN 65536
#define RPI_BUCKET_MIN 32
#define RPI_BUCKET_BITS_MAX 12

void rpi_sort_small(uint64_t *a, size_t n)
{
    quick_sort(a, n);
}

/*
 * Sort a[0..n) (RPI_BUCKET_MIN <= n < RPI_RADIX_MIN) through tmp: values go to
 * about n / 4 buckets by their offset from the least value (so a common high
 * prefix, as keys tagged with their kind have, costs nothing), each bucket is
 * sorted (insertion sort; quicksort when values bunch up), and they come back
 * in order. The order of integers is one: the result is what any sort gives.
 */
static void bucket_sort(uint64_t *a, size_t n, uint64_t *tmp)
{
    uint64_t lo = a[0], hi = a[0];
    for (size_t i = 1; i < n; i++) {
        lo = a[i] < lo ? a[i] : lo;
        hi = a[i] > hi ? a[i] : hi;
    }
    if (lo == hi)
        return;
    unsigned bits = 2;
    while (bits < RPI_BUCKET_BITS_MAX && ((size_t)1 << (bits + 2)) < n)
        bits++;
    unsigned top = 64 - (unsigned)__builtin_clzll(hi - lo);
    unsigned shift = top > bits ? top - bits : 0;
    uint32_t start[(1u << RPI_BUCKET_BITS_MAX) + 2];
    size_t nb = (size_t)((hi - lo) >> shift) + 1;
    memset(start, 0, (nb + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[((a[i] - lo) >> shift) + 1]++;
    for (size_t b = 1; b <= nb; b++)
        start[b] += start[b - 1];
    for (size_t i = 0; i < n; i++)
        tmp[start[(a[i] - lo) >> shift]++] = a[i];
    /* start[b] is now the end of bucket b */
    for (size_t b = 0, s = 0; b < nb; b++) {
        size_t e = start[b];
        if (e - s > 24)
            quick_sort(tmp + s, e - s);
        else if (e - s > 1)
            insertion_sort(tmp + s, e - s);
        s = e;
    }
    memcpy(a, tmp, n * sizeof *a);
}

int rpi_cmp_u32(const void *x, const void *y)
{
    uint32_t p = *(const uint32_t *)x, q = *(const uint32_t *)y;
    return (p > q) - (p < q);
}

size_t rpi_sort_unique_u32(uint32_t *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, rpi_cmp_u32);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || v[m - 1] != v[i])
            v[m++] = v[i];
    return m;
}

int rpi_sort_u64(uint64_t *a, size_t n, uint64_t **tmp, size_t *captmp)
{
    if (n < RPI_BUCKET_MIN) {
        quick_sort(a, n);
        return RP_OK;
    }
    RP_TRY(rpi_grow((void **)tmp, captmp, n, sizeof **tmp));
    if (n < RPI_RADIX_MIN) {
        bucket_sort(a, n, *tmp);
        return RP_OK;
    }
    uint64_t *src = a, *dst = *tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 255]++;
        if (count[(src[0] >> shift) & 255] == n)
            continue; /* every key has this byte: the order stands */
        size_t sum = 0;
        for (int k = 0; k < 256; k++) {
            size_t c = count[k];
            count[k] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 255]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    return RP_OK;
}

void rpi_thread_block_signals(void)
{
    sigset_t set;
    sigfillset(&set);
    /* Faults stay with the thread that causes them. */
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGFPE);
    sigdelset(&set, SIGILL);
    sigdelset(&set, SIGTRAP);
    sigdelset(&set, SIGABRT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

size_t rpi_lower_bound_u64(const uint64_t *a, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t rpi_find_u32(const uint32_t *v, size_t m, uint32_t x)
{
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m && v[lo] == x ? lo : m;
}

/* Sort v[0..n) and drop repeats into *m; tmp is sort scratch. */
int rpi_sort_distinct(uint64_t *v, size_t n, uint64_t **tmp, size_t *captmp, size_t *m)
{
    *m = n;
    if (n < 2)
        return RP_OK;
    RP_TRY(rpi_sort_u64(v, n, tmp, captmp));
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    *m = k;
    return RP_OK;
}

int rpi_vec_push(rpi_vec *w, uint64_t x)
{
    RP_TRY(rpi_grow((void **)&w->v, &w->cap, w->n + 1, sizeof *w->v));
    w->v[w->n++] = x;
    return RP_OK;
}


int rpi_pwrite_all(int fd, const void *p, size_t n, uint64_t at)
{
    const char *q = p;
    while (n) {
        ssize_t k = pwrite(fd, q, n, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k == 0)
            errno = ENOSPC;
        if (k <= 0)
            return RP_EIO;
        q += k;
        n -= (size_t)k;
        at += (uint64_t)k;
    }
    return RP_OK;
}

int rpi_pread_all(int fd, void *p, size_t n, uint64_t at)
{
    char *q = p;
    while (n) {
        ssize_t k = pread(fd, q, n, (off_t)at);
        if (k < 0 && errno == EINTR)
            continue;
        if (k == 0)
            errno = EIO; /* shorter than what was written */
        if (k <= 0)
            return RP_EIO;
        q += k;
        n -= (size_t)k;
        at += (uint64_t)k;
    }
    return RP_OK;
}
