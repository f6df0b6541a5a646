/* SPDX-License-Identifier: MIT */
/*
 * minhash.c -- MinHash signatures (OPH with densification, or k hashes).
 */
#include "sketch.h"

#include <string.h>

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static void oph(const uint64_t *sh, size_t n, int k, uint32_t *sig)
{
    enum { MAXK = 1024 };
    for (int i = 0; i < k; i++)
        sig[i] = UINT32_MAX;
    /* Branch-free minimum: which shingle wins a bin is a coin toss, and the
     * compare-and-branch was the hottest instruction of this loop in the
     * profile. */
    for (size_t i = 0; i < n; i++) {
        uint64_t h = sh[i];
        uint32_t bin = (uint32_t)(((h >> 32) * (uint64_t)k) >> 32);
        uint32_t v = (uint32_t)h, cur = sig[bin];
        sig[bin] = v < cur ? v : cur;
    }
    /* Optimal densification: an empty bin copies the first filled bin of a
     * fixed pseudo-random probe sequence, the same for every document; values
     * are copied from the original (undensified) bins only. A bin whose
     * minimum is exactly UINT32_MAX counts as empty (probability 2^-32 per
     * bin, and the same set still gets the same signature). */
    uint32_t orig[MAXK];
    int nfilled = 0;
    for (int i = 0; i < k; i++)
        nfilled += sig[i] != UINT32_MAX;
    if (nfilled == k || nfilled == 0)
        return;
    memcpy(orig, sig, (size_t)k * sizeof *sig);
    for (int i = 0; i < k; i++) {
        if (orig[i] != UINT32_MAX)
            continue;
        for (uint64_t t = 1;; t++) {
            uint64_t r = splitmix64(((uint64_t)i << 32) | t) >> 32;
            uint32_t j = (uint32_t)(r * (uint64_t)k >> 32);
            if (orig[j] != UINT32_MAX) {
                sig[i] = orig[j];
                break;
            }
        }
    }
}

static void kperm(const uint64_t *sh, size_t n, int k, uint32_t *sig)
{
    for (int i = 0; i < k; i++)
        sig[i] = UINT32_MAX;
    for (int i = 0; i < k; i++) {
        uint64_t a = splitmix64(2 * (uint64_t)i) | 1, b = splitmix64(2 * (uint64_t)i + 1);
        uint32_t m = UINT32_MAX;
        for (size_t j = 0; j < n; j++) {
            uint32_t v = (uint32_t)((a * sh[j] + b) >> 32);
            m = v < m ? v : m;
        }
        sig[i] = m;
    }
}

void rpi_minhash(rp_sketch_kind kind, const uint64_t *sh, size_t n, int k, uint32_t *sig)
{
    if (kind == RP_SKETCH_KPERM)
        kperm(sh, n, k, sig);
    else
        oph(sh, n, k, sig);
}
