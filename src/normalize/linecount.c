/* SPDX-License-Identifier: MIT */
/*
 * linecount.c -- page furniture by frequency (see furniture.h): the keys a
 * document's lines add to the collection's counts in pass 1, and in pass 2
 * the furniture kind of each line, decided from those counts, from the
 * built-in rules of furniture.c and from the shape of the whole document.
 */
#include "furniture.h"

#include <string.h>
#include <utf8proc.h>

/*
 * Furniture by frequency. A short line (at most 20 words: slogans, prompts,
 * bylines, credits, labels) is "common" furniture when at least 5 documents
 * carry it and it does not travel with its neighbours: in fewer than half of
 * them is it preceded by the same line, or in fewer than half followed by the
 * same line. Copied article text moves with the lines around it; furniture
 * recurs around different text (the start and end of a document count as
 * different neighbours). A line of any length is "source" furniture when at
 * least half of the documents of one source (at least 5) carry it: a
 * template. Five is the smallest count that is a pattern rather than a
 * coincidence or a follow-up reusing a paragraph.
 */
#define RPI_FURN_SHORT 20
#define RPI_FURN_MIN_DOCS 5

/*
 * A longer line (a boilerplate paragraph: disclaimer, "about us", template
 * text) is "common" furniture when at least 50 documents carry it and it
 * travels with neither neighbour. Reused article paragraphs also recur, but
 * in a handful of documents (a follow-up's background, a wire story's
 * reprints), and a reprinted lede keeps the paragraph after it; 50 is half
 * of the count above which an n-gram stops proposing pairs at all
 * (RPI_NGRAM_DF_CAP), so templates are set aside well before that.
 */
#define RPI_FURN_LONG_MIN_DOCS 50

enum { KEY_COMMON = 1, KEY_PREV, KEY_NEXT, KEY_SRCLINE, KEY_SRCDOCS };

static uint64_t key_of(int kind, uint64_t x, uint64_t y)
{
    uint64_t v[2] = {x, y};
    return rpi_hash64(v, sizeof v, 0x6c696e6500ULL + (uint64_t)kind);
}

uint64_t rpi_source_key(const char *source, size_t nsource, const char *url, size_t nurl)
{
    if (source && nsource)
        return rpi_hash64(source, nsource, 0x737263) | 1;
    if (!url || !nurl)
        return 0;
    /* The host of the URL: between "//" and the next '/', ':' or '?'. */
    const char *p = url, *end = url + nurl;
    for (const char *q = url; q + 1 < end; q++)
        if (q[0] == '/' && q[1] == '/') {
            p = q + 2;
            break;
        }
    const char *h = p;
    while (h < end && *h != '/' && *h != ':' && *h != '?' && *h != '#')
        h++;
    return h > p ? rpi_hash64(p, (size_t)(h - p), 0x737263) | 1 : 0;
}

/* Hash of the nearest line with words before (dir -1) or after (+1) line i; 0 at the ends. */
static uint64_t neighbour(const rpi_line *ln, size_t n, size_t i, int dir)
{
    for (size_t k = i; dir < 0 ? k-- > 0 : ++k < n;)
        if (ln[k].t1 > ln[k].t0)
            return ln[k].hash;
    return 0;
}

int rpi_furniture_keys(const rpi_line *ln, size_t nl, uint64_t srckey, uint64_t *keys,
                       size_t *nkeys, uint64_t **tmp, size_t *captmp)
{
    size_t nk = 0;
    for (size_t i = 0; i < nl; i++) {
        if (ln[i].t1 == ln[i].t0)
            continue;
        keys[nk++] = key_of(KEY_COMMON, ln[i].hash, 0);
        keys[nk++] = key_of(KEY_PREV, neighbour(ln, nl, i, -1), ln[i].hash);
        keys[nk++] = key_of(KEY_NEXT, ln[i].hash, neighbour(ln, nl, i, 1));
        if (srckey)
            keys[nk++] = key_of(KEY_SRCLINE, srckey, ln[i].hash);
    }
    RP_TRY(rpi_sort_distinct(keys, nk, tmp, captmp, &nk));
    if (srckey)
        keys[nk++] = key_of(KEY_SRCDOCS, srckey, 0);
    *nkeys = nk;
    return RP_OK;
}

/* Line i's kind: by the counts, else by the built-in rules (rule[i] when
 * given, else rpi_furniture_line on text). */
static rpi_furn_kind line_kind(const rpi_counts *lines, const char *text, const rpi_line *ln,
                               size_t nl, size_t i, const uint64_t *lkey, uint64_t src,
                               uint32_t srcdocs, const uint8_t *rule)
{
    size_t ntok = ln[i].t1 - ln[i].t0;
    /* (Below the bound, any count below it decides the same: an index need
     * not look it up.) */
    uint32_t n = rpi_counts_get_min(lines, lkey[i], RPI_FURN_MIN_DOCS);
    if (n >= RPI_FURN_MIN_DOCS) {
        /* The start or the end of a document is no neighbour: a footer
         * always ends its page, a masthead always starts it. */
        uint64_t hp = neighbour(ln, nl, i, -1), hn = neighbour(ln, nl, i, 1);
        uint32_t np = hp ? rpi_counts_get(lines, key_of(KEY_PREV, hp, ln[i].hash)) : 0;
        uint32_t nn = hn ? rpi_counts_get(lines, key_of(KEY_NEXT, ln[i].hash, hn)) : 0;
        int prev_varies = 2 * (uint64_t)np < n, next_varies = 2 * (uint64_t)nn < n;
        if (ntok <= RPI_FURN_SHORT ? prev_varies || next_varies
                                   : n >= RPI_FURN_LONG_MIN_DOCS && prev_varies && next_varies)
            return RPI_FURN_COMMON;
    }
    /* A source's documents carrying the line are among all carrying it (ns <= n):
     * below the bound, the source's count is not looked up (in an index, a
     * look-up in its database). (Exact counts; past the largest table, where a
     * settled table reads a key it lost as 1, rpi_counter_settle, both are
     * approximate anyway.) */
    if (src && srcdocs >= RPI_FURN_MIN_DOCS && n >= RPI_FURN_MIN_DOCS) {
        uint32_t ns = rpi_counts_get(lines, key_of(KEY_SRCLINE, src, ln[i].hash));
        if (ns >= RPI_FURN_MIN_DOCS && 2 * (uint64_t)ns >= srcdocs)
            return RPI_FURN_SOURCE;
    }
    return rule ? (rpi_furn_kind)rule[i]
                : rpi_furniture_line(text + ln[i].start, ln[i].end - ln[i].start, ntok);
}

/* Sentence-final punctuation: . ! ? and the ideographic and full-width forms. */
int rpi_ends_sentence(const char *p, const char *end)
{
    for (; p < end; p++) {
        if (*p == '.' || *p == '!' || *p == '?' || *p == '\n' || *p == '\r')
            return 1;
        if (end - p >= 3 && (unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 &&
            (unsigned char)p[2] == 0x82)
            return 1; /* U+3002 ideographic full stop */
        if (end - p >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC &&
            ((unsigned char)p[2] == 0x81 || (unsigned char)p[2] == 0x9F))
            return 1; /* U+FF01, U+FF1F full-width ! and ? */
    }
    return 0;
}

/* Does the token start with a lower-case letter? */
static int starts_lower(const char *text, const rpi_token *t)
{
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)text + t->start,
                         (utf8proc_ssize_t)(t->end - t->start), &cp) <= 0)
        return 0;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* The kinds of the lines by the counts and the rules (line_kind); returns the
 * tokens of the lines the shape rule took. */
static size_t decide(const rpi_counts *lines, const char *text, const rpi_line *ln, size_t nl,
                     uint64_t src, const uint8_t *rule, uint8_t *kind, uint64_t *lkey)
{
    uint32_t srcdocs = src ? rpi_counts_get(lines, key_of(KEY_SRCDOCS, src, 0)) : 0;
    size_t nshape = 0;
    for (size_t i = 0; i < nl; i++)
        if (ln[i].t1 > ln[i].t0) { /* line_kind's first lookup, ahead */
            lkey[i] = key_of(KEY_COMMON, ln[i].hash, 0);
            rpi_counts_prefetch(lines, lkey[i]);
        }
    for (size_t i = 0; i < nl; i++) {
        rpi_furn_kind k = RPI_FURN_NONE;
        if (ln[i].t1 > ln[i].t0)
            k = line_kind(lines, text, ln, nl, i, lkey, src, srcdocs, rule);
        kind[i] = (uint8_t)k;
        if (k == RPI_FURN_SHAPE)
            nshape += ln[i].t1 - ln[i].t0;
    }
    return nshape;
}

/* The shape rule guesses; it never takes more than half of a text (a list, a
 * poem or a text without sentence punctuation keeps its lines), and a
 * hard-wrapped text (rpi_furniture_wrapped) keeps all its lines: there lines
 * are not units of the page (Reuters wire copy: 30% of its words were taken). */
static void unshape(uint8_t *kind, size_t nl, size_t nshape, size_t ntok, int wrapped)
{
    if (wrapped || 2 * nshape > ntok)
        for (size_t i = 0; i < nl; i++)
            if (kind[i] == RPI_FURN_SHAPE)
                kind[i] = RPI_FURN_NONE;
}

int rpi_furniture_wrapped(const char *text, const rpi_token *tok, const rpi_line *ln, size_t nl)
{
    for (size_t i = 0, prev = SIZE_MAX; i < nl; i++) {
        if (ln[i].t1 == ln[i].t0)
            continue;
        if (prev != SIZE_MAX) {
            const rpi_line *lp = &ln[prev];
            if (!rpi_ends_sentence(text + tok[lp->t1 - 1].end, text + lp->end) &&
                starts_lower(text, &tok[ln[i].t0]))
                return 1;
        }
        prev = i;
    }
    return 0;
}

void rpi_furniture_kinds(const rpi_counts *lines, const char *text, const rpi_token *tok,
                         size_t ntok, const rpi_line *ln, size_t nl, uint64_t src, uint8_t *kind,
                         uint64_t *lkey)
{
    size_t nshape = decide(lines, text, ln, nl, src, NULL, kind, lkey);
    if (nshape)
        unshape(kind, nl, nshape, ntok, rpi_furniture_wrapped(text, tok, ln, nl));
}

void rpi_furniture_kinds_of(const rpi_counts *lines, const rpi_line *ln, size_t nl,
                            const uint8_t *rule, int wrapped, size_t ntok, uint64_t src,
                            uint8_t *kind, uint64_t *lkey)
{
    size_t nshape = decide(lines, NULL, ln, nl, src, rule, kind, lkey);
    if (nshape)
        unshape(kind, nl, nshape, ntok, wrapped);
}
