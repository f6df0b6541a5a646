/* SPDX-License-Identifier: MIT */
/*
 * lsh.c -- banding parameters and band keys.
 */
#include "sketch.h"

#include <math.h>
#include <xxhash.h>

double rpi_lsh_prob(double j, int rows, int bands)
{
    return 1.0 - pow(1.0 - pow(j, rows), bands);
}

void rpi_lsh_params(double t, int k, int *rows, int *bands)
{
    int best = 1;
    for (int r = 1; r <= k; r++)
        if (rpi_lsh_prob(t, r, k / r) >= RPI_LSH_TARGET_RECALL)
            best = r;
    *rows = best;
    *bands = k / best;
}

void rpi_lsh_keys(const uint32_t *sig, int rows, int bands, uint64_t *keys)
{
    for (int b = 0; b < bands; b++)
        keys[b] = XXH3_64bits_withSeed(sig + (size_t)b * rows, (size_t)rows * sizeof *sig,
                                       (uint64_t)b);
}
