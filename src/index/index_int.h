/* SPDX-License-Identifier: MIT */
/*
 * index_int.h -- the persistent index (stage 8): the rp_index handle, shared
 * by index.c (the database: schema, opening, settings, statistics, export)
 * and place.c (adding a batch: candidates, comparison, clusters, stories).
 */
#ifndef RP_INDEX_INT_H
#define RP_INDEX_INT_H

#include <sqlite3.h>

#include "corpus_int.h"

/* How long a writer waits for another one to finish its batch. */
#define RPI_INDEX_BUSY_MS 10000

struct rp_index {
    sqlite3 *db; /* the database */
    char *path; /* its path, for messages */
    rp_options opt; /* the caller's options with the index's settings */
    int readonly; /* opened for reading */
    char err[1024]; /* last error */
};

/* "path: sqlite's message", into x->err; returns RP_EIO (RP_ENOMEM when sqlite says so). */
int rpi_index_dberr(rp_index *x, const char *what);

/* Run one statement without results. */
int rpi_index_exec(rp_index *x, const char *sql);

/* Prepare sql into *st. */
int rpi_index_prepare(rp_index *x, const char *sql, sqlite3_stmt **st);

/* One integer from a query without parameters (0 when no row). */
int rpi_index_int(rp_index *x, const char *sql, int64_t *out);

/*
 * Write documents as JSONL records (id, text, and the metadata date, source,
 * url, title when present) to f, from the rows of st (columns: id, text,
 * date, source, url, title), with the index's field names.
 */
int rpi_index_write_rows(rp_index *x, sqlite3_stmt *st, FILE *f, uint64_t *n);

/* A temporary file in $TMPDIR (unlinked by the caller): its path into path. */
FILE *rpi_index_tmpfile(rp_index *x, char *path, size_t cap);

#endif /* RP_INDEX_INT_H */
