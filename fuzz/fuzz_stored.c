/* SPDX-License-Identifier: MIT */
/*
 * fuzz_stored.c -- libFuzzer target for the features the index stores with
 * each document (src/corpus/stored.c, rpi_features_check in doc_features.c).
 * They come from a database file others may have written, so any bytes may
 * reach rpi_stored_parse once their zstd frame decompresses.
 *
 * The input is such a blob, decompressed (the seeds are real ones). Invariants:
 *   - rpi_stored_parse reads only the input (ASan checks it);
 *   - when it takes the blob, its parts lie within it, one after another, the
 *     packed features first and the lines last, ending with the input;
 *   - rpi_features_check of the packed features held, and holds again (it
 *     reads only them); each line lies within the text it was made of, and
 *     its kinds are furniture kinds.
 */
#include <string.h>

#include "corpus_int.h"
#include "doc_features.h"
#include "fuzz_helpers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* (8-byte aligned, as the index hands it over, and exactly size bytes:
     * ASan sees a read past them) */
    char *buf = malloc(size ? size : 1);
    FUZZ_ASSERT(buf != NULL);
    if (size)
        memcpy(buf, data, size);
    rpi_stored st;
    if (rpi_stored_parse(buf, size, &st)) {
        FUZZ_ASSERT(st.packed > buf && st.npacked > 0);
        FUZZ_ASSERT(st.lines >= st.packed + st.npacked);
        FUZZ_ASSERT(st.lines + (size_t)st.nlines * 24 == buf + size);
        FUZZ_ASSERT(rpi_features_check(st.packed, st.npacked, (size_t)st.text_len));
        for (uint32_t i = 0; i < st.nlines; i++) {
            uint32_t t[2];
            memcpy(t, st.lines + (size_t)i * 24, sizeof t);
            FUZZ_ASSERT(t[0] <= t[1] && t[1] <= st.text_len);
            FUZZ_ASSERT((uint8_t)st.lines[(size_t)i * 24 + 12] <= RPI_FURN_SOURCE &&
                        (uint8_t)st.lines[(size_t)i * 24 + 13] <= RPI_FURN_SOURCE);
        }
    }
    free(buf);
    return 0;
}
