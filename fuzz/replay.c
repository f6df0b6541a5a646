/* SPDX-License-Identifier: MIT */
/*
 * replay.c -- a main() that runs a libFuzzer target without libFuzzer: each
 * path argument is read whole and passed once to LLVMFuzzerTestOneInput().
 * `make test` builds one build/fuzz/replay_fuzz_X per target with gcc and
 * replays the seed corpus fuzz/corpus/X/ through it, so every seed and every
 * kept crash reproducer is a regression test. Silent on success (exit 0); an
 * unreadable file is an error (exit 1); a failed FUZZ_ASSERT aborts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_helpers.h"

/* Read the whole file into *out (malloc'ed, never NULL on success). */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *nb = cap <= SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int err = !buf || ferror(f);
    int saved = buf ? errno : ENOMEM;
    fclose(f);
    if (err) {
        free(buf);
        errno = saved;
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        uint8_t *data;
        size_t len;
        if (read_file(argv[i], &data, &len) != 0) {
            fprintf(stderr, "%s: cannot read %s: %s\n", argv[0], argv[i], strerror(errno));
            return 1;
        }
        LLVMFuzzerTestOneInput(data, len);
        free(data);
    }
    return 0;
}
