/* SPDX-License-Identifier: MIT */
/*
 * record.c -- raw records to documents: JSONL fields, plain files,
 * places for messages, dates, JSON string escaping.
 */
#include "io.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

const char *const rpi_meta_names[RPI_NMETA] = {"date", "source", "url", "title"};

void rpi_record_place(const rpi_inputs *in, const rpi_record *rec, char *dst, size_t cap)
{
    /* The path as opened, not the document name: two folders may both hold
     * an "a.txt", and a message must say which. */
    const char *name = rec->input >= in->n ? "?"
                       : in->v[rec->input].named ? in->v[rec->input].name
                                                 : in->v[rec->input].path;
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

/*
 * The fields of a framed record of type 'F' (rp_corpus_add_records):
 * p[0..n) holds six fields, each a 4-byte little-endian length (0xFFFFFFFF:
 * absent) and its bytes: id, text, date, source, url, title. The strings
 * point into the record.
 */
static int framed_fields(const char *p, size_t n, const char *id_field, const char *text_field,
                         rpi_doc_fields *f, char *msg, size_t msgcap)
{
    const char *v[2 + RPI_NMETA] = {NULL};
    size_t len[2 + RPI_NMETA] = {0}, at = 0;
    for (int k = 0; k < 2 + RPI_NMETA; k++) {
        if (n - at < 4) {
            rpi_fmt(msg, msgcap, "framed record cut short in its field %d", k + 1);
            return RP_EBADINPUT;
        }
        const unsigned char *h = (const unsigned char *)p + at;
        uint32_t l = (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 |
                     (uint32_t)h[3] << 24;
        at += 4;
        if (l == UINT32_MAX)
            continue;
        if (l > n - at) {
            rpi_fmt(msg, msgcap, "framed record cut short in its field %d", k + 1);
            return RP_EBADINPUT;
        }
        v[k] = p + at;
        len[k] = l;
        at += l;
    }
    if (at != n) {
        rpi_fmt(msg, msgcap, "framed record has %zu bytes after its fields", n - at);
        return RP_EBADINPUT;
    }
    if (!v[1]) {
        rpi_fmt(msg, msgcap, "no \"%s\" field", text_field);
        return RP_EBADINPUT;
    }
    if (!v[0]) {
        rpi_fmt(msg, msgcap, "no \"%s\" field", id_field);
        return RP_EBADINPUT;
    }
    if (len[0] == 0) {
        rpi_fmt(msg, msgcap, "field \"%s\" is empty", id_field);
        return RP_EBADINPUT;
    }
    for (int k = 0; k < 2 + RPI_NMETA; k++) {
        size_t bad = k == 1 || !v[k] ? SIZE_MAX : rpi_utf8_check(v[k], len[k]);
        if (bad != SIZE_MAX) { /* (the text is checked as every text is) */
            rpi_fmt(msg, msgcap, "field \"%s\": invalid UTF-8 or NUL at byte %zu",
                    k == 0 ? id_field : rpi_meta_names[k - 2], bad);
            return RP_EBADINPUT;
        }
    }
    f->id = v[0];
    f->id_len = len[0];
    f->text = v[1];
    f->text_len = len[1];
    for (int k = 0; k < RPI_NMETA; k++) {
        f->meta[k] = v[2 + k];
        f->meta_len[k] = len[2 + k];
    }
    f->date = f->meta[0];
    f->date_len = f->meta_len[0];
    return RP_OK;
}

int rpi_record_parse(const rpi_inputs *in, const rpi_record *rec, const char *data,
                     const char *id_field, const char *text_field, rpi_doc_fields *f,
                     char *msg, size_t msgcap)
{
    rpi_buf keep = f->buf; /* (its memory, for the strings with escapes) */
    memset(f, 0, sizeof *f);
    f->buf = keep;
    f->buf.len = 0;
    const rpi_input *x = &in->v[rec->input];
    if (!x->jsonl) {
        f->id = x->name;
        f->id_len = strlen(x->name);
        f->text = data;
        f->text_len = rec->len;
        return RP_OK;
    }
    size_t n = rec->len;
    if (x->framed) { /* a type byte first (the reader checked it) */
        if (data[0] == 'F')
            return framed_fields(data + 1, n - 1, id_field, text_field, f, msg, msgcap);
        data++;
        n--;
    }
    rpi_json_field jf[2 + RPI_NMETA] = {{.name = text_field}, {.name = id_field}};
    for (int k = 0; k < RPI_NMETA; k++)
        jf[2 + k].name = rpi_meta_names[k];
    int top;
    size_t err_off;
    const char *err;
    int rc = rpi_json_scan(data, n, jf, 2 + RPI_NMETA, &top, &err_off, &err);
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

/* Exactly k digits at s[i..]: their value into *out. */
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

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static const char *const month_abbr[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                         "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

/* A month abbreviation (any case) at s[i..i+3): 1..12, or 0. */
static int month_at(const char *s, size_t n, size_t i)
{
    if (i + 3 > n)
        return 0;
    for (int k = 0; k < 12; k++)
        if (toupper((unsigned char)s[i]) == month_abbr[k][0] &&
            toupper((unsigned char)s[i + 1]) == month_abbr[k][1] &&
            toupper((unsigned char)s[i + 2]) == month_abbr[k][2])
            return k + 1;
    return 0;
}

static size_t skip_blank(const char *s, size_t n, size_t i)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/*
 * Optional time at s[*i..] ("[T| ]hh:mm[:ss[.frac]]"), then an optional zone
 * ("Z", "UTC", "GMT", "+hh:mm", "+hhmm", "-hh"): seconds of the day into
 * *secs and the zone's offset east of UTC, in minutes, into *zone. Returns 0
 * when something is there that is not a time or a zone.
 */
static int time_and_zone(const char *s, size_t n, size_t *i, int *secs, int *zone,
                         int *has_time)
{
    size_t p = *i;
    int hh = 0, mm = 0, ss = 0;
    *secs = 0;
    *zone = 0;
    *has_time = 0;
    if (p < n && s[p] == ' ') /* "3-MAR-1987  09:15:05.40" */
        while (p + 1 < n && s[p + 1] == ' ')
            p++;
    if (p < n && (s[p] == 'T' || s[p] == ' ') && num(s, n, p + 1, 2, &hh)) {
        if (!(p + 3 < n && s[p + 3] == ':' && num(s, n, p + 4, 2, &mm)))
            return 0;
        p += 6;
        if (p < n && s[p] == ':') {
            if (!num(s, n, p + 1, 2, &ss))
                return 0;
            p += 3;
            if (p < n && s[p] == '.') {
                p++;
                if (p >= n || !isdigit((unsigned char)s[p]))
                    return 0;
                while (p < n && isdigit((unsigned char)s[p]))
                    p++;
            }
        }
        if (hh > 23 || mm > 59 || ss > 60)
            return 0;
        *secs = hh * 3600 + mm * 60 + (ss > 59 ? 59 : ss);
        *has_time = 1;
    }
    p = skip_blank(s, n, p);
    /* Zone names of RFC 2822 (UT, GMT, the four US zones) and UTC. */
    static const struct {
        const char *name;
        int minutes;
    } names[] = {{"UTC", 0}, {"GMT", 0}, {"UT", 0},      {"EST", -300}, {"EDT", -240},
                 {"CST", -360}, {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480},
                 {"PDT", -420}};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        size_t m = strlen(names[k].name);
        if (p + m <= n && memcmp(s + p, names[k].name, m) == 0 &&
            (p + m == n || !isalpha((unsigned char)s[p + m]))) {
            *zone = names[k].minutes;
            *i = p + m;
            return 1;
        }
    }
    if (p < n && s[p] == 'Z') {
        p++;
    } else if (p < n && (s[p] == '+' || s[p] == '-')) {
        int zh, zm = 0, sign = s[p] == '-' ? -1 : 1;
        if (!num(s, n, p + 1, 2, &zh))
            return 0;
        p += 3;
        if (p < n && s[p] == ':')
            p++;
        if (p < n && isdigit((unsigned char)s[p])) {
            if (!num(s, n, p, 2, &zm))
                return 0;
            p += 2;
        }
        if (zh > 14 || zm > 59)
            return 0;
        *zone = sign * (zh * 60 + zm);
    }
    *i = p;
    return 1;
}

int64_t rpi_date_key(const char *s, size_t n)
{
    int y = 0, m = 0, d = 0, secs = 0, zone = 0;
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    while (n > i && isspace((unsigned char)s[n - 1]))
        n--;
    if (num(s, n, i, 4, &y) && i + 10 <= n && (s[i + 4] == '-' || s[i + 4] == '/') &&
        s[i + 7] == s[i + 4] && num(s, n, i + 5, 2, &m) && num(s, n, i + 8, 2, &d)) {
        /* ISO 8601 and YYYY/MM/DD */
        i += 10;
    } else {
        /* "Fri, 21 Mar 2025" (RFC 2822) and Reuters "26-FEB-1987" */
        if (i + 4 < n && month_at(s, n, i) == 0 && isalpha((unsigned char)s[i]) &&
            s[i + 3] == ',') /* a weekday name */
            i = skip_blank(s, n, i + 4);
        size_t dl = i + 1 < n && isdigit((unsigned char)s[i + 1]) ? 2 : 1;
        char sep = i + dl < n ? s[i + dl] : 0;
        if (!num(s, n, i, dl, &d) || (sep != '-' && sep != ' ') ||
            !(m = month_at(s, n, i + dl + 1)) || i + dl + 4 >= n || s[i + dl + 4] != sep ||
            !num(s, n, i + dl + 5, 4, &y))
            return INT64_MAX;
        i += dl + 9;
    }
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return INT64_MAX;
    /* What follows a complete date and time is ignored when it is not a word
     * or a figure that could change them ("PM", an unknown zone, a time after
     * a weekday): SGML residue in the Reuters corpus, "27-MAR-1987
     * 00:02:59.13&#5;RM", or a remark in brackets. */
    int had_time;
    if (!time_and_zone(s, n, &i, &secs, &zone, &had_time))
        return INT64_MAX;
    size_t rest = skip_blank(s, n, i);
    if (rest < n && (isalnum((unsigned char)s[rest]) || strchr(".:+-/", s[rest])))
        return INT64_MAX;
    if (!had_time)
        zone = 0; /* a date without a time is that day wherever it was written */
    /* To UTC. */
    int64_t t = days_from_civil(y, m, d) * 86400 + secs - (int64_t)zone * 60;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t sod = t - days * 86400, yy;
    int mo, dd;
    civil_from_days(days, &yy, &mo, &dd);
    return ((yy * 100 + mo) * 100 + dd) * 1000000 + (sod / 3600) * 10000 + (sod / 60 % 60) * 100 +
           sod % 60;
}

int64_t rpi_date_days(int64_t key)
{
    int64_t ymd = key / 1000000;
    return days_from_civil(ymd / 10000, (int)(ymd / 100 % 100), (int)(ymd % 100));
}

void rpi_date_day(int64_t key, char out[11])
{
    out[0] = 0;
    if (key == INT64_MAX)
        return;
    /* Keys are from 1800 on (RPI_DATE_MIN): every field has its digits. */
    unsigned ymd = (unsigned)(key / 1000000 % 100000000);
    char tmp[16];
    snprintf(tmp, sizeof tmp, "%04u-%02u-%02u", ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100);
    memcpy(out, tmp, 11);
}

int64_t rpi_date_limit(void)
{
    /* A day of margin: a date written in a zone ahead of the clock is not the future. */
    int64_t days = (int64_t)time(NULL) / 86400 + 1, y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    return ((y * 100 + m) * 100 + d) * 1000000 + 235959;
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
