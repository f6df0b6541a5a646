/* SPDX-License-Identifier: MIT */
/*
 * json.c -- a validating scanner for one JSONL record.
 *
 * Why not jansson here: on the benchmark corpus (2 KB news documents) the
 * first profile of `reprint scan` spent 42% of its time in json_loadb, which
 * builds a full object tree and copies every string; that capped the whole
 * pipeline at about 24 MB/s per core. This scanner validates the complete
 * line (RFC 8259 grammar, UTF-8, escapes, surrogate pairs, nesting depth) but
 * builds nothing: it reports where the few top-level fields reprint needs
 * are, and decodes only those strings. jansson remains the reference the
 * unit tests compare against.
 */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "io.h"

enum { MAX_DEPTH = 512 };

typedef struct scan {
    const unsigned char *p; /* the line */
    size_t n; /* its length */
    size_t i; /* cursor */
    const char *err; /* static reason on failure */
    rpi_json_field *fields; /* top-level fields looked for */
    int nfields; /* their number */
    rpi_buf *tmp; /* scratch for keys with escapes */
    int oom; /* the failure was running out of memory */
} scan;

static void ws(scan *s)
{
    while (s->i < s->n) {
        unsigned char c = s->p[s->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        s->i++;
    }
}

static int fail(scan *s, const char *why)
{
    s->err = why;
    return -1;
}

static int hex4(scan *s, unsigned *v)
{
    if (s->i + 4 > s->n)
        return fail(s, "truncated \\u escape");
    unsigned x = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = s->p[s->i++];
        x <<= 4;
        if (c >= '0' && c <= '9')
            x |= c - '0';
        else if (c >= 'a' && c <= 'f')
            x |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            x |= c - 'A' + 10;
        else
            return fail(s, "invalid \\u escape");
    }
    *v = x;
    return 0;
}

/* Length of the valid UTF-8 sequence at p[0..n), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    size_t k;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (k > n)
        return 0;
    for (size_t j = 1; j < k; j++) {
        if ((p[j] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[j] & 0x3F);
    }
    if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

size_t rpi_utf8_check(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (p[i] >= 0x01 && p[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = p[i] ? utf8_len(p + i, n - i) : 0;
        if (k == 0)
            return i;
        i += k;
    }
    return SIZE_MAX;
}

/* A string starting at the opening quote; *esc set when it holds escapes. */
static int string(scan *s, int *esc)
{
    s->i++; /* opening quote */
    *esc = 0;
    while (s->i < s->n) {
        /* Skip plain ASCII bytes (no quote, backslash, control or non-ASCII
         * byte) 16 at a time with SSE2, else 8 at a time: most of a text. */
#if defined(__SSE2__)
        while (s->i + 16 <= s->n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s->p + s->i));
            __m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                   _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                      /* signed: < 0x20, or >= 0x80 */
                                      _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
            unsigned m = (unsigned)_mm_movemask_epi8(sp);
            if (m) {
                s->i += (size_t)__builtin_ctz(m);
                break;
            }
            s->i += 16;
        }
#endif
        while (s->i + 8 <= s->n) {
            uint64_t w;
            memcpy(&w, s->p + s->i, 8);
            const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
            uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
            uint64_t special = ((q - ones) & ~q) | ((b - ones) & ~b) | (w - ones * 0x20) | w;
            if (special & high)
                break;
            s->i += 8;
        }
        if (s->i >= s->n)
            break;
        unsigned char c = s->p[s->i];
        if (c == '"') {
            s->i++;
            return 0;
        }
        if (c < 0x20)
            return fail(s, "control character in a string");
        if (c == '\\') {
            *esc = 1;
            if (++s->i >= s->n)
                break;
            c = s->p[s->i++];
            if (c == 'u') {
                unsigned v, w;
                if (hex4(s, &v))
                    return -1;
                if (v >= 0xDC00 && v <= 0xDFFF)
                    return fail(s, "lone low surrogate in \\u escape");
                if (v >= 0xD800 && v <= 0xDBFF) {
                    if (s->i + 2 > s->n || s->p[s->i] != '\\' || s->p[s->i + 1] != 'u')
                        return fail(s, "high surrogate not followed by a low one");
                    s->i += 2;
                    if (hex4(s, &w))
                        return -1;
                    if (w < 0xDC00 || w > 0xDFFF)
                        return fail(s, "high surrogate not followed by a low one");
                }
            } else if (c != '"' && c != '\\' && c != '/' && c != 'b' && c != 'f' && c != 'n' &&
                       c != 'r' && c != 't') { /* (a call to strchr was 1.2% of the fast path) */
                return fail(s, "invalid escape in a string");
            }
            continue;
        }
        if (c < 0x80) {
            s->i++;
            continue;
        }
        size_t k = utf8_len(s->p + s->i, s->n - s->i);
        if (!k)
            return fail(s, "invalid UTF-8 in a string");
        s->i += k;
    }
    return fail(s, "unterminated string");
}

static int digits(scan *s)
{
    size_t st = s->i;
    while (s->i < s->n && s->p[s->i] >= '0' && s->p[s->i] <= '9')
        s->i++;
    return s->i > st ? 0 : fail(s, "invalid number");
}

/* A number; *integer set when it has no fraction or exponent. */
static int number(scan *s, int *integer)
{
    *integer = 1;
    if (s->p[s->i] == '-')
        s->i++;
    if (s->i < s->n && s->p[s->i] == '0')
        s->i++;
    else if (digits(s))
        return -1;
    if (s->i < s->n && s->p[s->i] == '.') {
        *integer = 0;
        s->i++;
        if (digits(s))
            return -1;
    }
    if (s->i < s->n && (s->p[s->i] == 'e' || s->p[s->i] == 'E')) {
        *integer = 0;
        s->i++;
        if (s->i < s->n && (s->p[s->i] == '+' || s->p[s->i] == '-'))
            s->i++;
        if (digits(s))
            return -1;
    }
    return 0;
}

static int literal(scan *s, const char *w)
{
    size_t k = strlen(w);
    if (s->i + k > s->n || memcmp(s->p + s->i, w, k) != 0)
        return fail(s, "invalid literal");
    s->i += k;
    return 0;
}

/* Any value; type receives its rpi_json_type. */
/* Does the raw key p[0..n) equal jf->name? Keys with escapes are decoded; -1: out of memory. */
static int key_is(const unsigned char *p, size_t n, int esc, const rpi_json_field *jf,
                  rpi_buf *tmp)
{
    if (!esc)
        return jf->name_len == n && memcmp(p, jf->name, n) == 0;
    tmp->len = 0;
    if (rpi_json_unescape((const char *)p, n, tmp) != RP_OK)
        return -1;
    return jf->name_len == tmp->len && memcmp(tmp->data, jf->name, tmp->len) == 0;
}

/*
 * A member of the top-level object ends at s->i: its key is p[ks..ke), its
 * value of type t began at vs. Record it in the field it names, if any.
 */
static int member(scan *s, size_t ks, size_t ke, int kesc, int t, int vesc, size_t vs)
{
    for (int f = 0; f < s->nfields; f++) {
        rpi_json_field *jf = &s->fields[f];
        int is = key_is(s->p + ks, ke - ks, kesc, jf, s->tmp);
        if (is < 0) {
            s->oom = 1;
            return fail(s, "out of memory");
        }
        if (is) {
            /* The last of repeated keys is reported, as jansson does. */
            jf->repeated = jf->type != RPI_JSON_MISSING;
            jf->type = t;
            jf->escaped = vesc;
            jf->start = t == RPI_JSON_STRING ? vs + 1 : vs;
            jf->end = t == RPI_JSON_STRING ? s->i - 1 : s->i;
        }
    }
    return 0;
}

static int value(scan *s, int depth, int *type, int *esc)
{
    ws(s);
    if (s->i >= s->n)
        return fail(s, "value expected");
    unsigned char c = s->p[s->i];
    *esc = 0;
    if (c == '"') {
        *type = RPI_JSON_STRING;
        return string(s, esc);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        int integer;
        if (number(s, &integer))
            return -1;
        *type = integer ? RPI_JSON_INTEGER : RPI_JSON_NUMBER;
        return 0;
    }
    if (c == 't' || c == 'f') {
        *type = RPI_JSON_BOOL;
        return literal(s, c == 't' ? "true" : "false");
    }
    if (c == 'n') {
        *type = RPI_JSON_NULL;
        return literal(s, "null");
    }
    if (c != '{' && c != '[')
        return fail(s, "unexpected character");
    if (depth >= MAX_DEPTH)
        return fail(s, "nesting too deep");
    *type = c == '{' ? RPI_JSON_OBJECT : RPI_JSON_ARRAY;
    unsigned char close = c == '{' ? '}' : ']';
    s->i++;
    ws(s);
    if (s->i < s->n && s->p[s->i] == close) {
        s->i++;
        return 0;
    }
    for (;;) {
        int t, e, kesc = 0;
        size_t ks = 0, ke = 0;
        if (close == '}') {
            ws(s);
            if (s->i >= s->n || s->p[s->i] != '"')
                return fail(s, "object key expected");
            ks = s->i + 1;
            if (string(s, &kesc))
                return -1;
            ke = s->i - 1;
            ws(s);
            if (s->i >= s->n || s->p[s->i] != ':')
                return fail(s, "':' expected");
            s->i++;
        }
        ws(s);
        size_t vs = s->i;
        if (value(s, depth + 1, &t, &e))
            return -1;
        if (depth == 0 && close == '}' && member(s, ks, ke, kesc, t, e, vs))
            return -1;
        ws(s);
        if (s->i < s->n && s->p[s->i] == ',') {
            s->i++;
            continue;
        }
        if (s->i < s->n && s->p[s->i] == close) {
            s->i++;
            return 0;
        }
        return fail(s, close == '}' ? "',' or '}' expected" : "',' or ']' expected");
    }
}

int rpi_json_scan(const char *line, size_t n, rpi_json_field *fields, int nfields, int *top,
                  size_t *err_off, const char **err)
{
    rpi_buf tmp = {0};
    scan s = {(const unsigned char *)line, n, 0, NULL, fields, nfields, &tmp, 0};
    for (int f = 0; f < nfields; f++) {
        fields[f].name_len = strlen(fields[f].name);
        fields[f].type = RPI_JSON_MISSING;
        fields[f].repeated = 0;
    }
    int esc;
    if (value(&s, 0, top, &esc) == 0) {
        ws(&s);
        if (s.i < s.n)
            fail(&s, "end of line expected after the JSON value");
    }
    rpi_buf_free(&tmp);
    if (!s.err)
        return RP_OK;
    if (s.oom)
        return RP_ENOMEM;
    *err_off = s.i;
    *err = s.err;
    return RP_EBADINPUT;
}

int rpi_json_unescape(const char *raw, size_t n, rpi_buf *out)
{
    /* Decoding never lengthens (an escaped newline is 1 byte for 2, a \u
     * escape at most 3 for 6, a surrogate pair 4 for 12): room for n bytes
     * once, then plain stores, where an append per escape (wire copy has one
     * a line) and a buffer grown and freed for each record were about 5% of
     * the fast path's CPU samples on the news corpus. */
    RP_TRY(rpi_grow((void **)&out->data, &out->cap, out->len + n + 1, 1));
    char *o = out->data + out->len;
    size_t i = 0, run = 0;
    while (i < n) {
        const char *bs = memchr(raw + i, '\\', n - i);
        if (!bs)
            break;
        i = (size_t)(bs - raw);
        memcpy(o, raw + run, i - run);
        o += i - run;
        char c = raw[i + 1];
        i += 2;
        char ch;
        switch (c) {
        case 'b': ch = '\b'; break;
        case 'f': ch = '\f'; break;
        case 'n': ch = '\n'; break;
        case 'r': ch = '\r'; break;
        case 't': ch = '\t'; break;
        case 'u': {
            unsigned v = 0;
            for (int k = 0; k < 4; k++) {
                char h = raw[i++];
                v = v << 4 | (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
            }
            if (v >= 0xD800 && v <= 0xDBFF) {
                unsigned w = 0;
                i += 2; /* "\u" of the low surrogate, checked by the scanner */
                for (int k = 0; k < 4; k++) {
                    char h = raw[i++];
                    w = w << 4 | (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
                }
                v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
            }
            unsigned char enc[4];
            size_t k;
            if (v < 0x80) {
                enc[0] = (unsigned char)v;
                k = 1;
            } else if (v < 0x800) {
                enc[0] = (unsigned char)(0xC0 | v >> 6);
                enc[1] = (unsigned char)(0x80 | (v & 0x3F));
                k = 2;
            } else if (v < 0x10000) {
                enc[0] = (unsigned char)(0xE0 | v >> 12);
                enc[1] = (unsigned char)(0x80 | ((v >> 6) & 0x3F));
                enc[2] = (unsigned char)(0x80 | (v & 0x3F));
                k = 3;
            } else {
                enc[0] = (unsigned char)(0xF0 | v >> 18);
                enc[1] = (unsigned char)(0x80 | ((v >> 12) & 0x3F));
                enc[2] = (unsigned char)(0x80 | ((v >> 6) & 0x3F));
                enc[3] = (unsigned char)(0x80 | (v & 0x3F));
                k = 4;
            }
            memcpy(o, enc, k);
            o += k;
            run = i;
            continue;
        }
        default: ch = c; /* " \ / */
        }
        *o++ = ch;
        run = i;
    }
    memcpy(o, raw + run, n - run);
    o += n - run;
    *o = 0;
    out->len = (size_t)(o - out->data);
    return RP_OK;
}
