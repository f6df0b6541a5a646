/* SPDX-License-Identifier: MIT */
/*
 * record.c -- raw records to documents: JSONL fields, plain files,
 * places for messages, dates, JSON string escaping.
 */
#include "io.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>

const char *const rpi_meta_names[RPI_NMETA] = {"date", "source", "url", "title"};

void rpi_record_place(const rpi_inputs *in, const rpi_record *rec, char *dst, size_t cap)
{
    /* The path as opened, not the document name: two folders may both hold
     * an "a.txt", and a message must say which. */
    const char *name = rec->input < in->n ? in->v[rec->input].path : "?";
    if (strcmp(name, "-") == 0)
        name = "<stdin>";
    if (rec->line)
        rpi_fmt(dst, cap, "%s:%llu", name, (unsigned long long)rec->line);
    else
        rpi_fmt(dst, cap, "%s", name);
}

static const char *type_name(int t)
{
    switch (t) {
    case RPI_JSON_OBJECT: return "an object";
    case RPI_JSON_ARRAY: return "an array";
    case RPI_JSON_STRING: return "a string";
    case RPI_JSON_INTEGER: return "an integer";
    case RPI_JSON_NUMBER: return "a number";
    case RPI_JSON_BOOL: return "a boolean";
    default: return "null";
    }
}

/* Point *out at a string field's text, decoding escapes into f->buf. */
static int field_string(const char *data, const rpi_json_field *jf, rpi_doc_fields *f,
                        size_t *off, size_t *len)
{
    if (!jf->escaped) {
        *off = SIZE_MAX; /* in place */
        *len = jf->end - jf->start;
        return RP_OK;
    }
    *off = f->buf.len;
    RP_TRY(rpi_json_unescape(data + jf->start, jf->end - jf->start, &f->buf));
    *len = f->buf.len - *off;
    return RP_OK;
}

int rpi_record_parse(const rpi_inputs *in, const rpi_record *rec, const char *data,
                     const char *id_field, const char *text_field, rpi_doc_fields *f,
                     char *msg, size_t msgcap)
{
    memset(f, 0, sizeof *f);
    const rpi_input *x = &in->v[rec->input];
    if (!x->jsonl) {
        f->id = x->name;
        f->id_len = strlen(x->name);
        f->text = data;
        f->text_len = rec->len;
        return RP_OK;
    }
    rpi_json_field jf[2 + RPI_NMETA] = {{.name = text_field}, {.name = id_field}};
    for (int k = 0; k < RPI_NMETA; k++)
        jf[2 + k].name = rpi_meta_names[k];
    int top;
    size_t err_off;
    const char *err;
    int rc = rpi_json_scan(data, rec->len, jf, 2 + RPI_NMETA, &top, &err_off, &err);
    if (rc == RP_ENOMEM) {
        rpi_fmt(msg, msgcap, "out of memory");
        return rc;
    }
    if (rc != RP_OK) {
        rpi_fmt(msg, msgcap, "invalid JSON at column %zu: %s", err_off + 1, err);
        return RP_EBADINPUT;
    }
    if (top != RPI_JSON_OBJECT) {
        rpi_fmt(msg, msgcap, "JSON line is %s, not an object", type_name(top));
        return RP_EBADINPUT;
    }
    for (int k = 0; k < 2 + RPI_NMETA; k++)
        if (jf[k].repeated) {
            /* Which value was meant is anyone's guess: refuse rather than pick. */
            rpi_fmt(msg, msgcap, "field \"%s\" appears twice", jf[k].name);
            return RP_EBADINPUT;
        }
    if (jf[0].type == RPI_JSON_MISSING) {
        rpi_fmt(msg, msgcap, "no \"%s\" field", text_field);
        return RP_EBADINPUT;
    }
    if (jf[0].type != RPI_JSON_STRING) {
        rpi_fmt(msg, msgcap, "field \"%s\" is %s, not a string", text_field,
                type_name(jf[0].type));
        return RP_EBADINPUT;
    }
    if (jf[1].type == RPI_JSON_MISSING) {
        rpi_fmt(msg, msgcap, "no \"%s\" field", id_field);
        return RP_EBADINPUT;
    }
    if (jf[1].type != RPI_JSON_STRING && jf[1].type != RPI_JSON_INTEGER) {
        rpi_fmt(msg, msgcap, "field \"%s\" is %s, not a string or integer", id_field,
                type_name(jf[1].type));
        return RP_EBADINPUT;
    }
    if (jf[1].end == jf[1].start) {
        rpi_fmt(msg, msgcap, "field \"%s\" is empty", id_field);
        return RP_EBADINPUT;
    }
    size_t toff, ioff, moff[RPI_NMETA];
    int bad = field_string(data, &jf[0], f, &toff, &f->text_len) != RP_OK ||
              field_string(data, &jf[1], f, &ioff, &f->id_len) != RP_OK;
    for (int k = 0; k < RPI_NMETA && !bad; k++)
        if (jf[2 + k].type == RPI_JSON_STRING)
            bad = field_string(data, &jf[2 + k], f, &moff[k], &f->meta_len[k]) != RP_OK;
    if (bad) {
        rpi_doc_fields_free(f);
        rpi_fmt(msg, msgcap, "out of memory");
        return RP_ENOMEM;
    }
    /* Pointers are set last: f->buf may have moved while it grew. */
    f->text = toff == SIZE_MAX ? data + jf[0].start : f->buf.data + toff;
    f->id = ioff == SIZE_MAX ? data + jf[1].start : f->buf.data + ioff;
    for (int k = 0; k < RPI_NMETA; k++)
        if (jf[2 + k].type == RPI_JSON_STRING)
            f->meta[k] = moff[k] == SIZE_MAX ? data + jf[2 + k].start : f->buf.data + moff[k];
    f->date = f->meta[0];
    f->date_len = f->meta_len[0];
    return RP_OK;
}

void rpi_doc_fields_free(rpi_doc_fields *f)
{
    rpi_buf_free(&f->buf);
}

static int num(const char *s, size_t n, size_t i, size_t k, int *out)
{
    if (i + k > n)
        return 0;
    int v = 0;
    for (size_t j = i; j < i + k; j++) {
        if (!isdigit((unsigned char)s[j]))
            return 0;
        v = v * 10 + (s[j] - '0');
    }
    *out = v;
    return 1;
}

/* Optional "[T ]hh:mm[:ss]" at s[i..]: adds hhmmss. */
static int64_t time_part(const char *s, size_t n, size_t i)
{
    int hh, mm, ss = 0;
    if (i < n && (s[i] == 'T' || s[i] == ' ') && num(s, n, i + 1, 2, &hh) && i + 3 < n &&
        s[i + 3] == ':' && num(s, n, i + 4, 2, &mm)) {
        if (i + 6 < n && s[i + 6] == ':')
            num(s, n, i + 7, 2, &ss);
        return hh * 10000 + mm * 100 + ss;
    }
    return 0;
}

int64_t rpi_date_key(const char *s, size_t n)
{
    static const char *const mon[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    int y, m, d;
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    /* ISO 8601 and YYYY/MM/DD */
    if (num(s, n, 0, 4, &y) && n >= 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4] &&
        num(s, n, 5, 2, &m) && num(s, n, 8, 2, &d) && m >= 1 && m <= 12 && d >= 1 && d <= 31)
        return ((int64_t)y * 10000 + m * 100 + d) * 1000000 + time_part(s, n, 10);
    /* Reuters: DD-MON-YYYY hh:mm:ss.cc (day may have one digit) */
    size_t dl = (n > 1 && isdigit((unsigned char)s[1])) ? 2 : 1;
    if (num(s, n, 0, dl, &d) && n >= dl + 9 && s[dl] == '-' && s[dl + 4] == '-' &&
        num(s, n, dl + 5, 4, &y)) {
        for (int k = 0; k < 12; k++)
            if (toupper((unsigned char)s[dl + 1]) == mon[k][0] &&
                toupper((unsigned char)s[dl + 2]) == mon[k][1] &&
                toupper((unsigned char)s[dl + 3]) == mon[k][2])
                return ((int64_t)y * 10000 + (k + 1) * 100 + d) * 1000000 +
                       time_part(s, n, dl + 9);
    }
    return INT64_MAX;
}

int rpi_json_escape(rpi_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    RP_TRY(rpi_buf_putc(b, '"'));
    size_t run = 0; /* start of the pending run of bytes that need no escape */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        RP_TRY(rpi_buf_append(b, s + run, i - run));
        run = i + 1;
        char e[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t k = 2;
        switch (ch) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        default:
            e[1] = 'u';
            e[2] = '0';
            e[3] = '0';
            e[4] = hex[ch >> 4];
            e[5] = hex[ch & 15];
            k = 6;
        }
        RP_TRY(rpi_buf_append(b, e, k));
    }
    RP_TRY(rpi_buf_append(b, s + run, n - run));
    return rpi_buf_putc(b, '"');
}
