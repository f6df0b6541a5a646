/* SPDX-License-Identifier: MIT */
/*
 * fuzz_helpers.h -- shared by the libFuzzer targets in fuzz/ and by the plain
 * replay driver (fuzz/replay.c), after zstd's fuzz_helpers.h and
 * fuzz_data_producer.h.
 *
 * FUZZ_ASSERT(cond) aborts with "file:line: ..." when cond is false; unlike
 * assert() it is never compiled out. A fuzz_producer splits the input into
 * control values (taken from the end) and a payload (the rest), so seeds
 * stay readable files and mutations of either part are independent.
 * fuzz_temp_write() puts an input in a file of a chosen name, for the
 * targets that go through the file-reading code.
 */
#ifndef RP_FUZZ_HELPERS_H
#define RP_FUZZ_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The entry point every target defines; declared here for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT_MSG(cond, msg)                                                                 \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: assertion `%s' failed: %s\n", __FILE__, __LINE__, #cond,     \
                    (msg));                                                                        \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define FUZZ_ASSERT(cond) FUZZ_ASSERT_MSG((cond), "")

/* Control bytes are consumed from the end of the input, the payload is the front. */
typedef struct fuzz_producer {
    const uint8_t *data; /* the whole input */
    size_t size; /* bytes not consumed yet: data[0..size) */
} fuzz_producer;

static inline fuzz_producer fuzz_producer_init(const uint8_t *data, size_t size)
{
    fuzz_producer p = {data, size};
    return p;
}

/*
 * A value in [lo, hi] built from as few trailing bytes as the range needs;
 * lo when the input is used up.
 */
static inline uint32_t fuzz_producer_range(fuzz_producer *p, uint32_t lo, uint32_t hi)
{
    uint32_t span = hi - lo, v = 0;
    for (uint32_t bits = 0; bits < 32 && (span >> bits) != 0 && p->size > 0; bits += 8)
        v = (v << 8) | p->data[--p->size];
    return span == UINT32_MAX ? v : lo + v % (span + 1);
}

/* Bytes left for the payload: data[0..size). */
static inline size_t fuzz_producer_remaining(const fuzz_producer *p)
{
    return p->size;
}

/* A file holding one input, in a private temporary folder. */
typedef struct fuzz_temp {
    char dir[256]; /* the folder, made by mkdtemp */
    char path[320]; /* dir/name */
} fuzz_temp;

/*
 * Write data[0..size) to a new file called name (e.g. "x.jsonl") in a fresh
 * folder under $TMPDIR (default /tmp). Aborts on failure: the fuzzer cannot
 * go on without it. Remove with fuzz_temp_remove().
 */
static inline void fuzz_temp_write(fuzz_temp *t, const char *name, const uint8_t *data,
                                   size_t size)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    int n = snprintf(t->dir, sizeof t->dir, "%s/rp-fuzz-XXXXXX", tmp);
    FUZZ_ASSERT_MSG(n > 0 && (size_t)n < sizeof t->dir, "TMPDIR too long");
    FUZZ_ASSERT_MSG(mkdtemp(t->dir) != NULL, "cannot create a temporary folder");
    n = snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
    FUZZ_ASSERT(n > 0 && (size_t)n < sizeof t->path);
    FILE *f = fopen(t->path, "wb");
    FUZZ_ASSERT_MSG(f != NULL, "cannot create a temporary file");
    FUZZ_ASSERT_MSG(fwrite(data, 1, size, f) == size, "cannot write a temporary file");
    FUZZ_ASSERT_MSG(fclose(f) == 0, "cannot write a temporary file");
}

static inline void fuzz_temp_remove(fuzz_temp *t)
{
    unlink(t->path);
    rmdir(t->dir);
}

#endif /* RP_FUZZ_HELPERS_H */
