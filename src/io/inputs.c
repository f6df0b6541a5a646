/* SPDX-License-Identifier: MIT */
/*
 * inputs.c -- the input list: files, folders (recursive, name order), stdin.
 */
#define _DEFAULT_SOURCE
#include "io.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

static int is_jsonl_name(const char *p)
{
    static const char *const sufs[] = {".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson",
                                       ".ndjson.gz", ".ndjson.zst"};
    for (size_t i = 0; i < sizeof sufs / sizeof *sufs; i++)
        if (ends_with(p, sufs[i]))
            return 1;
    return 0;
}

static int push(rpi_inputs *in, const char *path, const char *name, int jsonl, int seekable,
                uint64_t size)
{
    RP_TRY(rpi_grow((void **)&in->v, &in->cap, in->n + 1, sizeof *in->v));
    rpi_input *x = &in->v[in->n];
    memset(x, 0, sizeof *x); /* read whole, by this reader: no skip, no range */
    x->path = rpi_strndup(path, strlen(path));
    x->name = rpi_strndup(name, strlen(name));
    if (!x->path || !x->name) {
        rpi_free(x->path);
        rpi_free(x->name);
        return RP_ENOMEM;
    }
    x->jsonl = jsonl;
    x->seekable = seekable;
    x->size = size;
    x->spool = NULL;
    x->named = 0;
    x->fn = NULL;
    x->framed = 0;
    x->fn_user = NULL;
    in->n++;
    return RP_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the files under dir; names are relative to the folder given (prefix). */
static int add_dir(rpi_inputs *in, const char *dir, const char *prefix, int force_jsonl,
                   char *err, size_t errcap)
{
    DIR *d = opendir(dir);
    if (!d) {
        rpi_fmt(err, errcap, "%s: %s", dir, strerror(errno));
        return RP_EIO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = RP_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* hidden files, "." and ".." */
        RP_CHECK(rpi_grow((void **)&names, &cap, n + 1, sizeof *names));
        names[n] = rpi_strndup(e->d_name, strlen(e->d_name));
        if (!names[n]) {
            rc = RP_ENOMEM;
            goto fail;
        }
        n++;
    }
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == RP_OK; i++) {
        rpi_buf path = {0}, name = {0};
        rc = rpi_buf_printf(&path, "%s/%s", dir, names[i]);
        if (rc == RP_OK)
            rc = prefix[0] ? rpi_buf_printf(&name, "%s/%s", prefix, names[i])
                           : rpi_buf_printf(&name, "%s", names[i]);
        struct stat st;
        if (rc == RP_OK && stat(path.data, &st) != 0) {
            rpi_fmt(err, errcap, "%s: %s", path.data, strerror(errno));
            rc = RP_EIO;
        }
        if (rc == RP_OK) {
            if (S_ISDIR(st.st_mode))
                rc = add_dir(in, path.data, name.data, force_jsonl, err, errcap);
            else if (S_ISREG(st.st_mode))
                rc = push(in, path.data, name.data, force_jsonl || is_jsonl_name(names[i]), 1,
                          (uint64_t)st.st_size);
        }
        rpi_buf_free(&path);
        rpi_buf_free(&name);
    }
fail:
    for (size_t i = 0; i < n; i++)
        rpi_free(names[i]);
    rpi_free(names);
    closedir(d);
    return rc;
}

int rpi_inputs_add(rpi_inputs *in, const char *path, int force_jsonl, char *err, size_t errcap)
{
    if (strcmp(path, "-") == 0) {
        if (in->stdin_used) {
            rpi_fmt(err, errcap, "standard input (-) given twice");
            return RP_EINVAL;
        }
        in->stdin_used = 1;
        /* jsonl = -1: decided from the first byte ('{' means JSONL). */
        return push(in, "-", "-", force_jsonl ? 1 : -1, 0, 0);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        rpi_fmt(err, errcap, "%s: %s", path, strerror(errno));
        return RP_EIO;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t before = in->n;
        char *dir = rpi_strndup(path, strlen(path));
        if (!dir)
            return RP_ENOMEM;
        size_t m = strlen(dir);
        while (m > 1 && dir[m - 1] == '/')
            dir[--m] = 0;
        int rc = add_dir(in, dir, "", force_jsonl, err, errcap);
        rpi_free(dir);
        if (rc == RP_OK && in->n == before) {
            rpi_fmt(err, errcap, "%s: folder holds no files", path);
            rc = RP_EIO;
        }
        return rc;
    }
    int reg = S_ISREG(st.st_mode) != 0; /* else a pipe or device: read once, copied */
    return push(in, path, path, force_jsonl || is_jsonl_name(path), reg,
                reg ? (uint64_t)st.st_size : 0);
}

int rpi_inputs_add_named(rpi_inputs *in, const char *path, const char *name)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return RP_EIO;
    RP_TRY(push(in, path, name, 1, S_ISREG(st.st_mode) != 0, (uint64_t)st.st_size));
    in->v[in->n - 1].named = 1;
    return RP_OK;
}

int rpi_inputs_add_reader(rpi_inputs *in, const char *name, rp_read_fn fn, void *user,
                          int framed)
{
    RP_TRY(push(in, name, name, 1, 0, 0));
    rpi_input *x = &in->v[in->n - 1];
    x->named = 1;
    x->framed = framed;
    x->fn = fn;
    x->fn_user = user;
    return RP_OK;
}

const char *rpi_inputs_unrereadable(const rpi_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        if (!in->v[i].seekable && !in->v[i].spool && !in->v[i].skip)
            return strcmp(in->v[i].name, "-") == 0 ? "standard input" : in->v[i].name;
    return NULL;
}

void rpi_inputs_free(rpi_inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        rpi_free(in->v[i].path);
        rpi_free(in->v[i].name);
        if (in->v[i].spool)
            fclose(in->v[i].spool);
    }
    rpi_free(in->v);
    memset(in, 0, sizeof *in);
}
