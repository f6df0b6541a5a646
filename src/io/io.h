/* SPDX-License-Identifier: MIT */
/*
 * io.h -- stage 1: inputs to records.
 *
 * An input list is built from the paths the user gives (folders expanded in
 * name order). A reader walks the list and cuts the decompressed bytes into
 * records: one line of a JSONL input, or one whole plain file. Records carry
 * their place (input, line, byte offset) so errors can name it, and their raw
 * bytes so dedup can write them out again byte for byte. rpi_record_parse()
 * turns a raw record into a document (id, text, metadata).
 */
#ifndef RP_IO_H
#define RP_IO_H

#include <stdio.h>

#include "common.h"

/* One input file (folders are expanded into their files). */
typedef struct rpi_input {
    char *path; /* path to open; "-" for standard input */
    char *name; /* how documents of a plain file are named, and errors too */
    int jsonl; /* 1: one JSON document a line; 0: the file is one document */
    int framed; /* records framed (rp_corpus_add_records), not lines: jsonl is 1 too */
    int seekable; /* a regular file, which can be read again; else a pipe, device, stdin */
    int direct; /* set by the reader when it opens the input: an uncompressed regular file
                   read by path, so a record's offset and length are its bytes in the file
                   and it can be read again alone (pread); or records the application
                   gives again by number (fetch) */
    uint64_t size; /* bytes on disk when known (for progress), else 0 */
    FILE *spool; /* copy of a non-seekable input made in the first pass, or NULL */
    int named; /* messages call it by name (a temporary file holding a buffer), not by path */
    rp_read_fn fn; /* the application supplies the bytes (rp_corpus_add_reader), or NULL */
    rp_fetch_fn fetch; /* and gives a framed record again by its number, or NULL */
    int sized; /* fn gives exactly size bytes (a buffer in memory): the total is known */
    void *fn_user; /* its argument */
    int skip; /* not read at all by this reader (another rank's share) */
    uint64_t range_start, range_end; /* with range_end > 0: only the records whose first byte
                                        lies in [range_start, range_end) of this uncompressed,
                                        seekable JSONL file; range_end 0: the whole input */
    uint64_t line_base; /* newline bytes in [0, range_start) of the file (with a range) */
} rpi_input;

typedef struct rpi_inputs {
    rpi_input *v; /* inputs in the order given */
    size_t n; /* number of inputs */
    size_t cap; /* capacity of v */
    int stdin_used; /* "-" was given */
} rpi_inputs;

/*
 * Add path (file, folder or "-"). force_jsonl reads every file as JSONL.
 * @return RP_OK, RP_ENOMEM, RP_EIO (message in err), RP_EINVAL ("-" twice)
 */
int rpi_inputs_add(rpi_inputs *in, const char *path, int force_jsonl, char *err, size_t errcap);
void rpi_inputs_free(rpi_inputs *in);
/* Add a JSONL file read under another name (messages name it so: "request body:2"). */
int rpi_inputs_add_named(rpi_inputs *in, const char *path, const char *name);
/* Add a JSONL input whose bytes fn supplies, named name in messages (framed:
 * records framed as rp_corpus_add_records says, not lines). */
int rpi_inputs_add_reader(rpi_inputs *in, const char *name, rp_read_fn fn, void *user,
                          int framed);

/* A raw record. */
typedef struct rpi_record {
    uint32_t input; /* index into rpi_inputs.v */
    uint64_t line; /* 1-based line of a JSONL record; 0 for a plain file */
    uint64_t offset; /* byte offset of the record in the decompressed input */
    size_t data_off; /* where its bytes start in the batch buffer */
    size_t len; /* number of bytes (no newline) */
    int bad; /* nonzero: the reader rejected it; msg says why */
    int io; /* with bad: the input could not be opened or read (an I/O error) */
    char msg[160]; /* reason when bad (without the place) */
} rpi_record;

/* A batch of consecutive records and their bytes. */
typedef struct rpi_batch {
    rpi_record *rec; /* records in input order */
    size_t n; /* number of records */
    size_t cap; /* capacity of rec */
    rpi_buf data; /* raw bytes of all records */
    uint64_t first_seq; /* sequence number of rec[0] over the whole run */
} rpi_batch;

void rpi_batch_free(rpi_batch *b);

typedef struct rpi_reader rpi_reader;

/*
 * Open a reader over all inputs. spool: copy every non-seekable input
 * (stdin, a pipe) to a temporary file in $TMPDIR as it is read (a first pass
 * that will be followed by a second); otherwise a non-seekable input is read
 * from its copy when there is one, else from the input itself.
 *
 * A reader may read one share of the inputs (a rank of a distributed run):
 * an input with skip set is passed over (not opened, no records, not in the
 * total); of an input with a range only the lines that start in
 * [range_start, range_end) are read (a line starting before range_end is
 * read whole; the line that range_start cuts belongs to the share before).
 * Records of shares come out exactly as from a whole read: the same bytes,
 * input, absolute offset and line, bad records and messages; only the
 * sequence numbers count this reader's records. Shares whose ranges tile
 * [0, size) of a file give each of its records exactly once. The caller
 * guarantees that a ranged input is a regular, uncompressed JSONL file.
 * @return RP_OK, RP_ENOMEM
 */
int rpi_reader_open(rpi_reader **out, rpi_inputs *in, size_t max_record, int spool);

/*
 * Can every input be read a second time (a regular file, or a copy made by a
 * spooling first pass)? Else the name of the first one that cannot.
 */
const char *rpi_inputs_unrereadable(const rpi_inputs *in);
void rpi_reader_close(rpi_reader *r);

/*
 * Fill b with the next records, about target bytes of them (at least one
 * record unless the inputs are exhausted: then b->n == 0).
 * @return RP_OK; RP_EIO or RP_EBADINPUT for a failing or corrupt input (the
 *         message, with the file name, in rpi_reader_errmsg); RP_ENOMEM
 */
int rpi_reader_next(rpi_reader *r, rpi_batch *b, size_t target);
const char *rpi_reader_errmsg(const rpi_reader *r);
/* Bytes consumed from the files so far (compressed size), and the total if known. */
uint64_t rpi_reader_consumed(const rpi_reader *r);
uint64_t rpi_reader_total(const rpi_reader *r);

/*
 * Count the newline bytes in [start, end) of the file at path (read in 1 MiB
 * chunks), e.g. the line_base of a share of it.
 * @param[out] n the count
 * @return RP_OK; RP_EIO with a message naming the file in err (cannot be
 *         opened or read, or ends before end); RP_ENOMEM
 */
int rpi_count_newlines(const char *path, uint64_t start, uint64_t end, uint64_t *n, char *err,
                       size_t errcap);

/*
 * Is the file at path compressed, by its content as the reader sees it (gzip
 * 1f 8b or zstd 28 b5 2f fd at the start)? An empty file is not.
 * @param[out] compressed 1 when compressed, else 0
 * @return RP_OK; RP_EIO when the file cannot be opened or read, with errno
 *         saying why (the caller words it: "path: strerror(errno)", as
 *         rpi_count_newlines does)
 */
int rpi_file_compressed(const char *path, int *compressed);

/* Metadata fields kept from JSONL records, in this order. */
#define RPI_NMETA 4
extern const char *const rpi_meta_names[RPI_NMETA]; /* "date", "source", "url", "title" */

/* A parsed document. Strings point into the record or into buf (borrowed). */
typedef struct rpi_doc_fields {
    const char *id; /* document id */
    size_t id_len; /* its length */
    const char *text; /* UTF-8 text */
    size_t text_len; /* its length */
    const char *date; /* "date" field or NULL (the same as meta[0]) */
    size_t date_len; /* its length */
    const char *meta[RPI_NMETA]; /* string metadata fields, NULL when absent */
    size_t meta_len[RPI_NMETA]; /* their lengths */
    rpi_buf buf; /* decoded strings that held escapes; freed by rpi_doc_fields_free */
} rpi_doc_fields;

/*
 * Parse a raw record. For JSONL: the id_field (required, a non-empty string
 * or an integer), the text_field (required string), and the metadata
 * strings date, source, url, title when present (other types are ignored).
 * For a plain file: the input's name and the whole record as text.
 * f->buf must be zeroed before the first call; each call empties it and
 * reuses its memory (one buffer a worker, not a few reallocations a record),
 * and rpi_doc_fields_free releases it. The fields point into data or f->buf
 * until the next call.
 * @return RP_OK, RP_ENOMEM, or RP_EBADINPUT with the reason in msg
 */
int rpi_record_parse(const rpi_inputs *in, const rpi_record *rec, const char *data,
                     const char *id_field, const char *text_field, rpi_doc_fields *f,
                     char *msg, size_t msgcap);
void rpi_doc_fields_free(rpi_doc_fields *f);

/* Format the place of a record: "name:line" or "name". */
void rpi_record_place(const rpi_inputs *in, const rpi_record *rec, char *dst, size_t cap);

/*
 * Sortable key of a date string: YYYYMMDDhhmmss (UTC) as an integer, or
 * INT64_MAX when it is not a date. Formats: ISO 8601 dates and date-times
 * ("2025-03-22", "2025-03-22T10:00", "2025-03-22T10:00:00.5Z",
 * "2025-03-22 10:00:00+09:00"), "2025/03/22", RFC 2822 as in RSS feeds
 * ("Fri, 21 Mar 2025 10:00:00 +0000", "21 Mar 2025"), and the Reuters
 * "26-FEB-1987 15:01:01.79". A time zone (Z, UT, UTC, GMT, EST, EDT, CST,
 * CDT, MST, MDT, PST, PDT, +hh:mm, +hhmm, +hh) converts a time to UTC;
 * without one the time is taken as UTC; a date without a time stays that
 * day. The day must exist (no 30 February), and what follows the date and
 * time is ignored only when it is not a letter, a digit or one of ". : + -
 * /" that could change them ("PM", an unknown zone).
 */
int64_t rpi_date_key(const char *s, size_t n);

/* Days since 1970-01-01 of the day of a key of rpi_date_key. */
int64_t rpi_date_days(int64_t key);

/* "YYYY-MM-DD" (UTC) of a key of rpi_date_key into out; "" for INT64_MAX. */
void rpi_date_day(int64_t key, char out[11]);

/* Earliest date taken as a publication date (dates before are errors). */
#define RPI_DATE_MIN 18000101000000LL

/* Key (as rpi_date_key) of the time now plus a day: later dates are in the future. */
int64_t rpi_date_limit(void);

/* JSON value types reported by rpi_json_scan. */
enum {
    RPI_JSON_MISSING = 0,
    RPI_JSON_OBJECT,
    RPI_JSON_ARRAY,
    RPI_JSON_STRING,
    RPI_JSON_INTEGER,
    RPI_JSON_NUMBER,
    RPI_JSON_BOOL,
    RPI_JSON_NULL
};

/* A top-level field looked for by rpi_json_scan. */
typedef struct rpi_json_field {
    const char *name; /* key to find (in) */
    size_t name_len; /* strlen(name) (set by rpi_json_scan) */
    int type; /* RPI_JSON_* of its value, MISSING when absent (out) */
    int escaped; /* a string value holds escapes (out) */
    int repeated; /* the key occurs more than once; the last value is reported (out) */
    size_t start, end; /* value bytes; for a string, inside the quotes (out) */
} rpi_json_field;

/*
 * Validate one JSON text line[0..n) completely and locate the named
 * top-level fields of an object (the last one wins when a key repeats).
 * *top receives the type of the whole value.
 * @return RP_OK, RP_ENOMEM, or RP_EBADINPUT with *err_off (byte) and *err (static reason)
 */
int rpi_json_scan(const char *line, size_t n, rpi_json_field *fields, int nfields, int *top,
                  size_t *err_off, const char **err);

/* The first byte of s[0..n) that starts no valid UTF-8 sequence, or is NUL;
 * SIZE_MAX when there is none. */
size_t rpi_utf8_check(const char *s, size_t n);
/* Append the decoded contents of a string validated by rpi_json_scan. */
int rpi_json_unescape(const char *raw, size_t n, rpi_buf *out);

/* Append s as a JSON string literal (quotes included) to b. */
int rpi_json_escape(rpi_buf *b, const char *s, size_t n);

#endif /* RP_IO_H */
