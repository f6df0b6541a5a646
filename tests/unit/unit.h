/* SPDX-License-Identifier: MIT */
/*
 * unit.h -- small helpers shared by the cmocka unit tests in tests/unit/:
 * the cmocka includes in the order it needs, a seeded pseudo-random
 * generator, and temporary folders and files that each test creates and
 * removes itself (never anything outside $TMPDIR).
 */
#ifndef RP_UNIT_H
#define RP_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define UT_ARRAY_LEN(a) (sizeof(a) / sizeof *(a))

/* SplitMix64: a fixed, seeded generator so every run sees the same data. */
static inline uint64_t ut_mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* Next value of the generator whose state is *st. */
static inline uint64_t ut_rand(uint64_t *st)
{
    *st += 1;
    return ut_mix64(*st);
}

/* Create a fresh folder under $TMPDIR (or /tmp); its path goes to dst. */
static inline void ut_tmpdir(char *dst, size_t cap)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(dst, cap, "%s/reprint-unit-XXXXXX", base);
    assert_non_null(mkdtemp(dst));
}

/* dst = dir "/" name. */
static inline void ut_join(char *dst, size_t cap, const char *dir, const char *name)
{
    int n = snprintf(dst, cap, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < cap);
}

/* Write data[0..n) to path, replacing the file. */
static inline void ut_write(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Write the NUL-terminated string s to dir/name; the full path goes to dst if not NULL. */
static inline void ut_write_in(const char *dir, const char *name, const char *s, char *dst,
                               size_t cap)
{
    char path[4096];
    ut_join(path, sizeof path, dir, name);
    ut_write(path, s, strlen(s));
    if (dst)
        snprintf(dst, cap, "%s", path);
}

/* Make dir/name as a folder. */
static inline void ut_mkdir_in(const char *dir, const char *name)
{
    char path[4096];
    ut_join(path, sizeof path, dir, name);
    assert_int_equal(mkdir(path, 0700), 0);
}

/* Remove path and, if it is a folder, everything under it. */
static inline void ut_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        assert_non_null(d);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[4096];
            ut_join(sub, sizeof sub, path, e->d_name);
            ut_rmtree(sub);
        }
        closedir(d);
        assert_int_equal(rmdir(path), 0);
    } else {
        assert_int_equal(unlink(path), 0);
    }
}

/* Whole contents of an open stream (rewound first), NUL-terminated; caller frees. */
static inline char *ut_slurp(FILE *f, size_t *len)
{
    assert_int_equal(fflush(f), 0);
    rewind(f);
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    for (;;) {
        size_t k = fread(s + n, 1, cap - n - 1, f);
        n += k;
        if (k == 0)
            break;
        if (cap - n - 1 == 0) {
            cap *= 2;
            s = realloc(s, cap);
            assert_non_null(s);
        }
    }
    s[n] = 0;
    if (len)
        *len = n;
    return s;
}

/* cmocka setup/teardown: a temporary folder per test (*state is its path),
 * removed even when the test fails. */
static inline int ut_dir_setup(void **state)
{
    char *dir = malloc(4096);
    assert_non_null(dir);
    ut_tmpdir(dir, 4096);
    *state = dir;
    return 0;
}

static inline int ut_dir_teardown(void **state)
{
    ut_rmtree(*state);
    free(*state);
    return 0;
}

#endif /* RP_UNIT_H */
