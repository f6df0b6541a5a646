/* SPDX-License-Identifier: MIT */
/*
 * counter.c -- a table of 64-bit keys and 32-bit counts (see common.h).
 *
 * Open addressing with linear probing, one writing thread at a time (pass 1
 * gives each shard of a table to one counting thread; the atomic additions
 * this once used cost 2% of a default scan for nothing). When the table is more
 * than 7/8 full it doubles (its writer rehashes it), up to the largest
 * size it was given; past that, new keys are refused (and counted as
 * overflow) rather than slowing every probe down. A refused key reads as
 * count 0, i.e. "rare": for page furniture and rare-term statistics that is
 * the conservative answer. The table once had a fixed size chosen from the
 * input's bytes, so a file and the same bytes from a pipe (size unknown) could
 * admit different keys: 414,046 line keys were refused on the 58 MB news
 * corpus read from its file, none from a pipe, and 151 pairs differed.
 */
#include "common.h"

#include <string.h>

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

void rpi_counter_free(rpi_counter *t)
{
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

void rpi_counter_add(rpi_counter *t, uint64_t key, uint32_t n)
{
    if (t->used >= t->limit)
        grow(t); /* when it cannot, the key is refused below */
    key = fix_key(key);
    size_t i = (size_t)(key ^ (key >> 29)) & t->mask;
    while (t->slot[i].key && t->slot[i].key != key)
        i = (i + 1) & t->mask;
    if (!t->slot[i].key) {
        if (t->used >= t->limit) {
            t->overflow++;
            return;
        }
        t->slot[i].key = key;
        t->used++;
    }
    t->slot[i].count += n;
}

uint32_t rpi_counter_get(const rpi_counter *t, uint64_t key)
{
    if (!t->slot)
        return 0;
    key = fix_key(key);
    size_t i = (size_t)(key ^ (key >> 29)) & t->mask;
    for (;;) {
        if (t->slot[i].key == key)
            return t->slot[i].count;
        if (t->slot[i].key == 0)
            return 0;
        i = (i + 1) & t->mask;
    }
}

void rpi_counter_prefetch(const rpi_counter *t, uint64_t key)
{
    if (!t->slot)
        return;
    key = fix_key(key);
    __builtin_prefetch(&t->slot[(size_t)(key ^ (key >> 29)) & t->mask]);
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
