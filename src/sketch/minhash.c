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
    uint8_t filled[MAXK];
    memset(filled, 0, (size_t)k);
    for (int i = 0; i < k; i++)
        sig[i] = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        uint64_t h = sh[i];
        uint32_t bin = (uint32_t)(((h >> 32) * (uint64_t)k) >> 32);
        uint32_t v = (uint32_t)h;
        if (v <= sig[bin]) {
            sig[bin] = v;
            filled[bin] = 1;
        }
    }
    /* Optimal densification: copy from the first filled bin of a fixed
     * pseudo-random probe sequence, the same for every document. Values are
     * copied from the original (undensified) bins only. */
    uint32_t orig[MAXK];
    int nfilled = 0;
    for (int i = 0; i < k; i++)
        nfilled += filled[i];
    if (nfilled == k || nfilled == 0)
        return;
    memcpy(orig, sig, (size_t)k * sizeof *sig);
    for (int i = 0; i < k; i++) {
        if (filled[i])
            continue;
        for (uint64_t t = 1;; t++) {
            uint32_t j = (uint32_t)((splitmix64(((uint64_t)i << 32) | t) >> 32) * (uint64_t)k >> 32);
            if (filled[j]) {
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
