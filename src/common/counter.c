/* SPDX-License-Identifier: MIT */
/*
 * counter.c -- a table of 64-bit keys and 32-bit counts (see common.h).
 *
 * Open addressing with linear probing, one writing thread at a time (pass 1
 * gives each shard of a table to one counting thread; the atomic additions
 * this once used cost 2% of a default scan for nothing). When the table is more
 * than 7/8 full it doubles (its writer rehashes it), up to the largest
 * size it was given. Past that, the additions of new keys are kept outside:
 * RPI_PEND of them at a time are sorted, counted and written to a temporary
 * file as a run of (key, count) records, and rpi_counter_settle merges the
 * runs and rebuilds the table with the keys on two documents or more; a key
 * on one document is then the one the table lacks. Those are most keys (the
 * line keys of a text are mostly its own), so a table of 7.3 million keys
 * settles the counts of tens of millions exactly.
 *
 * Before, new keys past the largest size were refused and read as 0 (rare):
 * from about 140,000 generated documents on, a line that first came later
 * was never counted (a page furniture line of a source that came late was
 * never found), and a run divided among ranks, each with a table of its own,
 * admitted other keys than one process did (49 of 159,491 rows differed at
 * 200,000 documents). Earlier still, the table had a fixed size chosen from
 * the input's bytes, so a file and the same bytes from a pipe (size unknown)
 * admitted different keys: 414,046 line keys were refused on the 58 MB news
 * corpus read from its file, none from a pipe, and 151 pairs differed.
 */
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Keys not admitted, sorted and written a run at a time: 4 MB a shard. */
#define RPI_PEND ((size_t)1 << 19)
/* A run's record: key, count (12 bytes, no padding). */
#define REC 12
/* Bytes each run reads at a time while merging (whole records). */
#define MERGE_BUF ((size_t)REC * 4096)

int rpi_counter_init(rpi_counter *t, size_t cap, size_t maxcap)
{
    size_t n = 1024, m;
    while (n < cap)
        n *= 2;
    for (m = n; m < maxcap; m *= 2)
        ;
    memset(t, 0, sizeof *t);
    t->slot = rpi_calloc_huge(n, sizeof *t->slot);
    if (!t->slot)
        return RP_ENOMEM;
    t->mask = n - 1;
    t->limit = n - n / 8;
    t->maxslots = m;
    return RP_OK;
}

/* Forget the keys outside the table (their runs, pending and taken-away keys). */
static void drop_runs(rpi_counter *t)
{
    if (t->fd1)
        close(t->fd1 - 1);
    t->fd1 = 0;
    rpi_free(t->pend);
    rpi_free(t->minus);
    rpi_free(t->run);
    t->pend = t->minus = t->run = NULL;
    t->npend = t->nminus = t->capminus = t->nrun = t->caprun = 0;
}

void rpi_counter_free(rpi_counter *t)
{
    drop_runs(t);
    rpi_free(t->slot);
    memset(t, 0, sizeof *t);
}

/* Key 0 marks an empty slot; real keys are moved off it. */
static uint64_t fix_key(uint64_t k)
{
    return k ? k : 0x9E3779B97F4A7C15ULL;
}

/* Double the table (one writer, no reader: pass 1's counting threads own
 * their shards). @return nonzero when it grew */
static int grow(rpi_counter *t)
{
    size_t n = 2 * (t->mask + 1);
    if (n > t->maxslots)
        return 0;
    rpi_counter_slot *s = rpi_calloc_huge(n, sizeof *s);
    if (!s)
        return 0; /* no memory: refuse keys as a full table does */
    for (size_t i = 0; i <= t->mask; i++) {
        uint64_t k = t->slot[i].key;
        if (!k)
            continue;
        size_t j = (size_t)(k ^ (k >> 29)) & (n - 1);
        while (s[j].key)
            j = (j + 1) & (n - 1);
        s[j] = t->slot[i];
    }
    rpi_free(t->slot);
    t->slot = s;
    t->mask = n - 1;
    t->limit = n - n / 8;
    return 1;
}

static void fail(rpi_counter *t, int rc)
{
    if (!t->err) {
        t->err = rc;
        t->errnum = rc == RP_EIO ? errno : 0;
    }
}

/* Sort the pending keys, count them and append them to the runs' file as a run. */
static int flush_pend(rpi_counter *t)
{
    if (!t->npend)
        return RP_OK;
    uint64_t *tmp = NULL;
    size_t captmp = 0;
    int rc = rpi_sort_u64(t->pend, t->npend, &tmp, &captmp);
    rpi_free(tmp);
    RP_TRY(rc);
    if (!t->fd1) {
        char path[4096];
        const char *dir = getenv("TMPDIR");
        rpi_fmt(path, sizeof path, "%s/reprint-counts-XXXXXX", dir && *dir ? dir : "/tmp");
        int fd = mkstemp(path);
        if (fd < 0)
            return RP_EIO;
        unlink(path);
        t->fd1 = fd + 1;
    }
    RP_TRY(rpi_grow((void **)&t->run, &t->caprun, t->nrun + 2, sizeof *t->run));
    if (t->nrun == 0)
        t->run[0] = 0;
    unsigned char buf[REC * 1024];
    size_t nb = 0;
    uint64_t at = t->run[t->nrun];
    for (size_t i = 0; i < t->npend;) {
        size_t j = i;
        while (j < t->npend && t->pend[j] == t->pend[i])
            j++;
        uint32_t n = j - i > UINT32_MAX ? UINT32_MAX : (uint32_t)(j - i);
        memcpy(buf + nb, &t->pend[i], 8);
        memcpy(buf + nb + 8, &n, 4);
        nb += REC;
        if (nb == sizeof buf) {
            RP_TRY(rpi_pwrite_all(t->fd1 - 1, buf, nb, at));
            at += nb;
            nb = 0;
        }
        i = j;
    }
    RP_TRY(rpi_pwrite_all(t->fd1 - 1, buf, nb, at));
    t->run[t->nrun + 1] = at + nb;
    t->nrun++;
    t->npend = 0;
    return RP_OK;
}

/* A key the full table does not hold: into the runs (or, taken away, the minus list). */
static void outside(rpi_counter *t, uint64_t key, uint32_t n)
{
    t->overflow++;
    if (t->err)
        return;
    if (n == UINT32_MAX) {
        if (rpi_grow((void **)&t->minus, &t->capminus, t->nminus + 1, sizeof *t->minus) != RP_OK)
            fail(t, RP_ENOMEM);
        else
            t->minus[t->nminus++] = key;
        return;
    }
    if (!t->pend && !(t->pend = rpi_malloc(RPI_PEND * sizeof *t->pend))) {
        fail(t, RP_ENOMEM);
        return;
    }
    for (; n > 0 && !t->err; n--) {
        t->pend[t->npend++] = key;
        if (t->npend == RPI_PEND) {
            int rc = flush_pend(t);
            if (rc != RP_OK)
                fail(t, rc);
        }
    }
}

/* Add to the table; 0 when it is full and the key is not in it. */
static int add_in(rpi_counter *t, uint64_t key, uint32_t n)
{
    if (t->used >= t->limit)
        grow(t); /* when it cannot, a new key is not admitted below */
    size_t i = (size_t)(key ^ (key >> 29)) & t->mask;
    while (t->slot[i].key && t->slot[i].key != key)
        i = (i + 1) & t->mask;
    if (!t->slot[i].key) {
        if (t->used >= t->limit)
            return 0;
        t->slot[i].key = key;
        t->used++;
    }
    t->slot[i].count += n;
    return 1;
}

void rpi_counter_add(rpi_counter *t, uint64_t key, uint32_t n)
{
    key = fix_key(key);
    if (!add_in(t, key, n))
        outside(t, key, n);
}

/* The slot of (fixed) key k, or NULL when the table does not hold it. */
static rpi_counter_slot *find(const rpi_counter *t, uint64_t k)
{
    size_t i = (size_t)(k ^ (k >> 29)) & t->mask;
    for (;;) {
        if (t->slot[i].key == k)
            return &t->slot[i];
        if (t->slot[i].key == 0)
            return NULL;
        i = (i + 1) & t->mask;
    }
}

/* The count of a key the table of a resolver lacks: resolve's answer, not
 * kept (the table is not written, so readers need no lock to find a slot). */
static uint32_t resolve_absent(const rpi_counter *t, uint64_t key, uint32_t min)
{
    if (min && t->below && t->below(t->resolve_ctx, key, t->ones, min))
        return 0;
    if (t->resolve_lock)
        pthread_mutex_lock(t->resolve_lock);
    uint32_t c = t->resolve(t->resolve_ctx, key, t->ones);
    if (t->resolve_lock)
        pthread_mutex_unlock(t->resolve_lock);
    return c;
}

uint32_t rpi_counter_get_min(const rpi_counter *t, uint64_t key, uint32_t min)
{
    key = fix_key(key);
    if (!t->slot)
        return t->resolve ? resolve_absent(t, key, min) : t->ones;
    rpi_counter_slot *s = find(t, key);
    if (!s)
        return t->resolve ? resolve_absent(t, key, min) : t->ones;
    if (!t->resolve)
        return s->count;
    /* Resolved the first time it is read. Threads that read the table at
     * once take resolve_lock to resolve; a slot's fields are read and written
     * atomically (a thread may read count while another writes it: the count
     * it sees then is the resolved one, never below the table's, so the
     * below hook stays right). */
    if (!__atomic_load_n(&s->resolved, __ATOMIC_ACQUIRE)) {
        uint32_t held = __atomic_load_n(&s->count, __ATOMIC_RELAXED);
        if (min && t->below && t->below(t->resolve_ctx, key, held, min))
            return 0;
        if (t->resolve_lock)
            pthread_mutex_lock(t->resolve_lock);
        if (!__atomic_load_n(&s->resolved, __ATOMIC_RELAXED)) {
            uint32_t c = t->resolve(t->resolve_ctx, key, __atomic_load_n(&s->count, __ATOMIC_RELAXED));
            __atomic_store_n(&s->count, c, __ATOMIC_RELAXED);
            __atomic_store_n(&s->resolved, 1, __ATOMIC_RELEASE);
        }
        if (t->resolve_lock)
            pthread_mutex_unlock(t->resolve_lock);
    }
    return __atomic_load_n(&s->count, __ATOMIC_RELAXED);
}

uint32_t rpi_counter_get(const rpi_counter *t, uint64_t key)
{
    return rpi_counter_get_min(t, key, 0);
}

void rpi_counter_prefetch(const rpi_counter *t, uint64_t key)
{
    if (!t->slot)
        return;
    key = fix_key(key);
    __builtin_prefetch(&t->slot[(size_t)(key ^ (key >> 29)) & t->mask]);
}

/* ---- the runs: merge and settle ------------------------------------------ */

typedef struct run_head {
    uint64_t at, end; /* bytes of the run not yet read into buf */
    unsigned char *buf; /* MERGE_BUF bytes */
    size_t len, pos; /* bytes in buf, next record */
    uint64_t key; /* the current record's */
    uint32_t count;
} run_head;

struct rpi_counter_merge {
    rpi_counter *t;
    run_head *h; /* the runs */
    size_t *heap; /* runs with a current record, by key (a binary heap) */
    size_t nheap;
    size_t minus; /* next taken-away key (t->minus is sorted) */
};

int rpi_counter_spilled(const rpi_counter *t)
{
    return t->nrun > 0 || t->npend > 0 || t->nminus > 0;
}

/* The next record of run h into h->key, h->count: 1, 0 at its end, or an error. */
static int head_next(rpi_counter *t, run_head *h)
{
    if (h->pos == h->len) {
        if (h->at == h->end)
            return 0;
        uint64_t left = h->end - h->at;
        size_t want = left < MERGE_BUF ? (size_t)left : MERGE_BUF;
        RP_TRY(rpi_pread_all(t->fd1 - 1, h->buf, want, h->at));
        h->at += want;
        h->len = want;
        h->pos = 0;
    }
    memcpy(&h->key, h->buf + h->pos, 8);
    memcpy(&h->count, h->buf + h->pos + 8, 4);
    h->pos += REC;
    return 1;
}

static void sift_down(rpi_counter_merge *m, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, s = i;
        if (l < m->nheap && m->h[m->heap[l]].key < m->h[m->heap[s]].key)
            s = l;
        if (r < m->nheap && m->h[m->heap[r]].key < m->h[m->heap[s]].key)
            s = r;
        if (s == i)
            return;
        size_t x = m->heap[i];
        m->heap[i] = m->heap[s];
        m->heap[s] = x;
        i = s;
    }
}

void rpi_counter_merge_close(rpi_counter_merge *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->h && i < m->t->nrun; i++)
        rpi_free(m->h[i].buf);
    rpi_free(m->h);
    rpi_free(m->heap);
    rpi_free(m);
}

int rpi_counter_merge_open(rpi_counter *t, rpi_counter_merge **out)
{
    *out = NULL;
    if (t->err)
        return t->err;
    int rc = flush_pend(t); /* (no thread adds any more) */
    if (rc != RP_OK) {
        fail(t, rc);
        return rc;
    }
    uint64_t *tmp = NULL;
    size_t captmp = 0;
    rc = rpi_sort_u64(t->minus, t->nminus, &tmp, &captmp);
    rpi_free(tmp);
    RP_TRY(rc);
    rpi_counter_merge *m = rpi_calloc(1, sizeof *m);
    if (!m)
        return RP_ENOMEM;
    m->t = t;
    m->h = rpi_calloc(t->nrun + 1, sizeof *m->h);
    m->heap = rpi_calloc(t->nrun + 1, sizeof *m->heap);
    rc = m->h && m->heap ? RP_OK : RP_ENOMEM;
    for (size_t i = 0; i < t->nrun && rc == RP_OK; i++) {
        m->h[i] = (run_head){.at = t->run[i], .end = t->run[i + 1]};
        if (!(m->h[i].buf = rpi_malloc(MERGE_BUF)))
            rc = RP_ENOMEM;
        else if ((rc = head_next(t, &m->h[i])) == 1) {
            m->heap[m->nheap++] = i;
            rc = RP_OK;
        }
    }
    for (size_t i = m->nheap / 2; rc == RP_OK && i-- > 0;)
        sift_down(m, i);
    if (rc != RP_OK) {
        if (rc == RP_EIO)
            t->errnum = errno;
        rpi_counter_merge_close(m);
        return rc;
    }
    *out = m;
    return RP_OK;
}

int rpi_counter_merge_next(rpi_counter_merge *m, uint64_t *key, uint32_t *count)
{
    rpi_counter *t = m->t;
    if (m->nheap == 0)
        return 0;
    uint64_t k = m->h[m->heap[0]].key;
    uint64_t n = 0;
    while (m->nheap && m->h[m->heap[0]].key == k) {
        run_head *h = &m->h[m->heap[0]];
        n += h->count;
        int rc = head_next(t, h);
        if (rc < 0) {
            t->errnum = errno;
            return rc;
        }
        if (rc == 0)
            m->heap[0] = m->heap[--m->nheap];
        sift_down(m, 0);
    }
    while (m->minus < t->nminus && t->minus[m->minus] < k)
        m->minus++; /* (a key taken away is always one added before) */
    for (; m->minus < t->nminus && t->minus[m->minus] == k; m->minus++)
        n -= n > 0;
    *key = k;
    *count = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
    return 1;
}

int rpi_counter_settle(rpi_counter *t, size_t maxslots, rpi_count_fn fn, void *ctx)
{
    if (!rpi_counter_spilled(t) && !t->err)
        return RP_OK;
    rpi_counter_merge *m = NULL;
    RP_TRY(rpi_counter_merge_open(t, &m));
    rpi_counter s;
    int rc = rpi_counter_init(&s, t->mask + 1, maxslots);
    if (rc != RP_OK) {
        rpi_counter_merge_close(m);
        return rc;
    }
    /* The table's keys on two documents or more, in slot order, then the runs'
     * in key order: the same keys, the same order, for any thread count. */
    uint64_t lost = 0;
    for (size_t i = 0; i <= t->mask; i++)
        if (t->slot[i].key && t->slot[i].count >= 2)
            lost += !add_in(&s, t->slot[i].key, t->slot[i].count);
    uint64_t key;
    uint32_t n;
    while ((rc = rpi_counter_merge_next(m, &key, &n)) == 1) {
        if (fn)
            n = fn(ctx, key, n);
        if (n >= 2)
            lost += !add_in(&s, key, n);
    }
    rpi_counter_merge_close(m);
    if (rc != RP_OK) {
        rpi_counter_free(&s);
        return rc;
    }
    drop_runs(t);
    rpi_free(t->slot);
    t->slot = s.slot;
    t->mask = s.mask;
    t->limit = s.limit;
    t->maxslots = s.maxslots;
    t->used = s.used;
    t->overflow = lost;
    t->ones = 1;
    return RP_OK;
}

size_t rpi_counts_shard(uint64_t key)
{
    return (size_t)(key >> 62);
}

int rpi_counts_init(rpi_counts *t, size_t cap, size_t maxcap)
{
    memset(t, 0, sizeof *t);
    for (int k = 0; k < RPI_SHARDS; k++)
        if (rpi_counter_init(&t->shard[k], cap / RPI_SHARDS, maxcap / RPI_SHARDS) != RP_OK) {
            rpi_counts_free(t);
            return RP_ENOMEM;
        }
    return RP_OK;
}

void rpi_counts_free(rpi_counts *t)
{
    for (int k = 0; k < RPI_SHARDS; k++)
        rpi_counter_free(&t->shard[k]);
}

uint32_t rpi_counts_get(const rpi_counts *t, uint64_t key)
{
    return rpi_counter_get(&t->shard[rpi_counts_shard(key)], key);
}

uint32_t rpi_counts_get_min(const rpi_counts *t, uint64_t key, uint32_t min)
{
    return rpi_counter_get_min(&t->shard[rpi_counts_shard(key)], key, min);
}

void rpi_counts_prefetch(const rpi_counts *t, uint64_t key)
{
    rpi_counter_prefetch(&t->shard[rpi_counts_shard(key)], key);
}

size_t rpi_counts_bytes(const rpi_counts *t)
{
    size_t n = 0;
    for (int k = 0; k < RPI_SHARDS; k++)
        if (t->shard[k].slot)
            n += (t->shard[k].mask + 1) * sizeof *t->shard[k].slot;
    return n;
}
