/* SPDX-License-Identifier: MIT */
/*
 * postings.c -- stage 3, candidate pairs from inverted indexes (see
 * sketch.h): documents that share keys (sampled rare n-grams, rare content
 * terms) of the default scan, next to the LSH bands of the fast path.
 */
#include "sketch.h"

/* Pairs (a << 32 | b, a < b) of documents sharing a key, from sorted postings; keys in more
 * than cap documents are skipped. */
int rpi_postings_pairs(uint64_t *post, size_t n, size_t cap, rpi_vec *out, uint64_t **tmp,
                       size_t *captmp)
{
    RP_TRY(rpi_sort_u64(post, n, tmp, captmp));
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && post[j] >> 32 == post[i] >> 32)
            j++;
        if (j - i >= 2 && j - i <= cap)
            for (size_t x = i; x < j; x++)
                for (size_t y = x + 1; y < j; y++)
                    RP_TRY(rpi_vec_push(out, (post[x] << 32) | (uint32_t)post[y]));
        i = j;
    }
    return RP_OK;
}

/* Keep the pairs of v listed at least k times; sorted, unique. */
int rpi_keep_repeated(rpi_vec *v, size_t k, uint64_t **tmp, size_t *captmp)
{
    RP_TRY(rpi_sort_u64(v->v, v->n, tmp, captmp));
    size_t m = 0;
    for (size_t i = 0; i < v->n;) {
        size_t j = i;
        while (j < v->n && v->v[j] == v->v[i])
            j++;
        if (j - i >= k)
            v->v[m++] = v->v[i];
        i = j;
    }
    v->n = m;
    return RP_OK;
}
