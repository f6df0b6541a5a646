/* SPDX-License-Identifier: MIT */
/*
 * gencorpus.c -- deterministic, seeded synthetic corpus generator for benchmarks.
 *
 * Reads real news text (JSONL, one object a line with a "text" string), splits every text
 * into paragraphs and keeps them in one arena, then writes NDOCS synthetic documents as JSONL:
 *
 *     {"id":"g0000001","date":"2021-07-14","source":"gen","text":"..."}
 *
 * A background document is a random title line (the first line of a source text) followed
 * by paragraphs drawn uniformly from the whole pool, joined with "\n\n", until its length
 * reaches a target drawn uniformly from [B/2, 3B/2] bytes (B = -b, default 2000). Its date
 * is a random day in 2020..2024.
 *
 * With probability -p (default 0.05) a document is instead a planted copy of one of the
 * last 4096 generated documents (chosen uniformly; copies of copies happen), dated on or
 * after the original. The kind of copy is chosen uniformly:
 *
 *     exact     identical text;
 *     cosmetic  same words: case changes (whole text or a random subset of words), straight
 *               quotes made curly, some spaces doubled or turned into newlines, hyphens
 *               turned into en dashes; no letter or digit changes except case, no word is
 *               joined or split;
 *     edited    about r * words word-level edits, r uniform in [0.005, 0.15]; an edit
 *               replaces a word by a random pool word, deletes a word or inserts one.
 *               Words are rejoined with single spaces, paragraphs with "\n\n".
 *
 * Partial reuse (-P, default 0: off). With probability -P a background document also
 * receives a splice: 2..6 consecutive sentences of one of the last 4096 documents that is
 * not a planted copy (the donor; a donor may itself hold an earlier splice), lightly edited,
 * inserted as paragraph(s) of their own at a paragraph boundary of the recipient (after the
 * title, between two paragraphs or at the end). Details:
 *
 *     sentences  the donor's body (the title line is never taken) is split into sentences at
 *                ". ", "! " or "? " (closing quotes and brackets stay with the sentence) before
 *                a capital letter, an opening quote or bracket; not after an initial ("J."), a
 *                dotted word ("U.S.") or a title or company abbreviation ("Mr.", "Inc.");
 *                every paragraph end also ends a sentence. A run may cross paragraphs: the
 *                separators (" " inside a paragraph, "\n\n" between two) are kept, so the
 *                splice keeps the donor's paragraph structure. A run needs at least 20 words
 *                (a run of two table rows is not reuse anyone would look for).
 *     edits      each sentence of 10 words or more gets one edit with probability 1/2, so at
 *                most 10% of the words of any sentence change: one of (uniformly) a word
 *                replaced by a random pool word; "Mr" inserted before a capitalised word that
 *                does not start the sentence; a word dropped; "said" <-> "says" (the word
 *                alone or before one of ",.:;"). An edit that does not apply becomes a
 *                replacement. Shorter sentences (table rows, datelines, one-word paragraphs)
 *                stay as they are: one edit in a four-word row is a quarter of it. The first
 *                and the last 3 words of the splice never change, and "Mr" goes in no nearer
 *                the edge: a changed edge word looks like unrelated text to any aligner, and
 *                a word or two before an edit do not pay for the gap ("The Mr EEI said"
 *                aligns from "EEI"), yet the truth would count them as reuse.
 *     unrelated  the pool repeats real text (the same paragraph in several source stories,
 *                corrected and re-sent stories), so two documents may share passages by
 *                chance. Measuring precision on a planted pair needs the planted text to be
 *                the only text the pair shares, so the donor is chosen (up to 32 draws of a
 *                donor and a run) such that (1) the recipient's text before the splice and the
 *                whole donor share no word 8-gram, and (2) no word 8-gram of the taken run
 *                occurs elsewhere in the donor (a paragraph drawn twice, so the splice has a
 *                single source). Words here are runs of ASCII letters and digits or non-ASCII
 *                bytes, ASCII-lowercased, close to reprint's normalised words. Shorter chance
 *                matches (common phrases of fewer than 8 words) are not reuse: a passage made
 *                of one is a false positive. Comparing paragraph indices would not do: equal
 *                and nearly equal paragraphs sit at different indices of the pool. When no
 *                draw qualifies, the document gets no splice. The check is the reason to pick
 *                disjoint pairs over counting chance shared text as truth: what to count
 *                (exact paragraphs only? near copies?) would be a second definition of reuse.
 *
 * Background without chance sharing (-U). Drawing paragraphs with replacement from a pool of
 * about 119,000 makes unrelated documents share whole paragraphs by chance (about N^2 such
 * passages in N documents), and the pool itself repeats real text. Fine for near-duplicates,
 * but every one of those is true reuse to an aligner, and a paragraph found in many documents
 * with different neighbours is page furniture to it. With -U:
 *
 *     pool       a paragraph that shares a word 8-gram (words as in the splice check below)
 *                with an earlier paragraph of the pool is left out, and so is one of fewer
 *                than 8 words whose words equal an earlier one's; titles likewise (an 8-gram
 *                of a kept paragraph or title, or the same words as a kept title). The same
 *                8-gram rule as for splices: what counts as unrelated stays one definition.
 *                About 100,000 paragraphs and 21,000 titles remain.
 *     dealing    titles and paragraphs are dealt without replacement (a partial Fisher-Yates
 *                shuffle: each draw uniform among the units not yet dealt in this round), so
 *                each is used once as it is. A unit dealt again after the pool ran out (at
 *                about 9,000 documents of the default size: the pool's paragraphs are short)
 *                is perturbed, every round afresh.
 *     perturbed  of every 5 words (single-space separated tokens) the 1st and the 3rd, from a
 *                random phase, are replaced by a random word of the pool, drawn by occurrence
 *                (so word frequencies, which weight shingles and rare terms, stay those of
 *                news text), redrawn (up to 8 times) when it equals the word it replaces
 *                (letters and digits, case aside) or has no letter or digit (such a word
 *                vanishes once normalised). Every window of 3 words then holds a replaced
 *                word, so no original 3-gram survives, and every window of 5 holds two. The
 *                pattern "every 3rd word" would leave a third of the 5-word windows with one
 *                replaced word; two uses of a paragraph then share that 5-gram when their draws
 *                agree, with probability sum(p_w^2), about 0.007 on this pool ("the" alone is
 *                5% of the words): one in 150 such windows, one 5-gram in 450. With two replaced
 *                words a window is shared only with probability about 5e-5 (and the same
 *                phase, 1/5), and 3-grams with one replaced word are the only ones shared by a
 *                lone coincidence ("few 3-grams"). The price is 40% of the words of a re-used
 *                paragraph changed instead of 33%; its other words, sentence ends and length
 *                stay, which is all a background paragraph is for.
 *     result     on 20,000 documents (-p 0, seed 1): 180 distinct word 8-grams in more than
 *                one document, all common phrases or numbers ("by the end of the year he
 *                said"), against 1,658,120 without -U; shared 5-grams 73,807 (common phrases)
 *                against 1,791,028. Not removed: topic-level sharing. The 60% of the words a
 *                re-used paragraph keeps include most of its names and rare words, so while a
 *                paragraph has been dealt only a few times (up to a few hundred thousand
 *                documents) the documents holding its uses share rare content words, which
 *                an engine may take for a shared topic (reprint's same-topic: 4,003 rows at
 *                20,000 documents, 70,286 at 100,000, 59 at 1,000,000, where each word is in
 *                too many documents to count as rare).
 *
 * Planted copies and splices are unchanged: they copy whatever background they are given, and
 * the perturbation is done before splicing, so a splice's sentences are exactly the donor's.
 * -U draws from the main stream; it prints one line on stderr: units kept and rounds dealt.
 *
 * The splices use their own xoshiro256** stream (seeded from -s through a different
 * splitmix64 start), so -P 0 leaves the output byte-identical to a run without -P, and the
 * background draws do not depend on -P (copies of spliced documents differ, and later copy
 * draws with them).
 *
 * Usage:
 *
 *     gencorpus [-n NDOCS] [-s SEED] [-p PLANT_FRACTION] [-b TARGET_BYTES] [-t TRUTH.tsv]
 *               [-P SPLICE_FRACTION] [-S SPLICE_TRUTH.tsv] [-U] SOURCE.jsonl > corpus.jsonl
 *
 * -t writes the planted pairs as TSV, header "a\tb\tkind", one line "orig_id\tcopy_id\tkind"
 * per copy. -S writes the splices as TSV, header
 * "donor\trecipient\tdonor_start\tdonor_end\trecipient_start\trecipient_end", one line a
 * splice: byte offsets, half-open, into the decoded "text" string (UTF-8) of each document,
 * covering exactly the spliced sentences (first byte of the first sentence to the last byte of
 * the last one, separators between them included) in the donor and in the recipient. The
 * donor always comes before its recipient. The output depends only on the arguments and the
 * source file: the PRNG is xoshiro256** seeded through splitmix64 from -s (default 1), and no
 * floating point takes part in any decision except the exact comparisons against -p and -P
 * scaled by 2^53.
 *
 * Source paragraphs: Reuters texts have hard-wrapped lines and start paragraphs with a line
 * indented by 4 spaces (or a tab); BBC texts separate paragraphs with blank lines. The first
 * line of a multi-line text is its title. Whitespace runs inside a paragraph collapse to one
 * space (so wrapped lines are joined with a space); NUL bytes count as whitespace.
 *
 * Memory is the pool (about the size of the source text, plus 4 bytes a word) and the ring
 * of the last 4096 documents (with -U, 16 bytes a word of the pool while the decks are
 * built); output goes through a large stdio buffer.
 *
 * Exit status: 0 on success; 1 on errors (unreadable source, bad JSON line, unknown option,
 * write error); 2 on a bad option value (with a usage line).
 *
 * Build: gcc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L bench/gencorpus.c -ljansson -o gencorpus
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#define RING_SIZE 4096u /* number of recent documents a copy may come from */
#define FIRST_YEAR 2020
#define NDAYS 1827 /* 2020-01-01 .. 2024-12-31 */
#define COPY_MAX_DELAY 365 /* a copy is dated at most this many days after its original */
#define OUT_BUFSIZE (8u << 20) /* stdio buffer of stdout */
#define MAX_TARGET 1000000000ull /* upper limit of -b */
#define SPLICE_MIN_SENT 2 /* sentences in a splice, at least */
#define SPLICE_MAX_SENT 6 /* and at most */
#define SPLICE_MIN_WORDS 20 /* words in a splice, at least */
#define SPLICE_EDIT_WORDS 10 /* words in a sentence that may be edited, at least */
#define SPLICE_EDGE_WORDS 3 /* words at each end of a splice that no edit touches */
#define SPLICE_TRIES 32 /* draws of a donor and a run before a document goes without */
#define GRAM 8 /* words in the n-grams that donor and recipient must not share */

static const char usage_line[] = "usage: gencorpus [-n NDOCS] [-s SEED] [-p PLANT_FRACTION] "
                                 "[-b TARGET_BYTES] [-t TRUTH.tsv] [-P SPLICE_FRACTION] "
                                 "[-S SPLICE_TRUTH.tsv] [-U] SOURCE.jsonl > corpus.jsonl\n";

/* ---------------------------------------------------------------------------------------- */
/* Errors */

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("gencorpus: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

__attribute__((format(printf, 1, 2), noreturn)) static void die_usage(const char *fmt, ...)
{
    va_list ap;
    fputs("gencorpus: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(usage_line, stderr);
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory (%zu bytes)", n);
    return q;
}

/* ---------------------------------------------------------------------------------------- */
/* Growable byte buffer */

struct buf {
    char *p;
    size_t len;
    size_t cap;
};

static void buf_reserve(struct buf *b, size_t extra)
{
    if (extra > SIZE_MAX / 2 - b->len)
        die("buffer too large");
    if (b->len + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra)
        cap *= 2;
    b->p = xrealloc(b->p, cap);
    b->cap = cap;
}

static void buf_put(struct buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_putc(struct buf *b, char c)
{
    buf_reserve(b, 1);
    b->p[b->len++] = c;
}

/* ---------------------------------------------------------------------------------------- */
/* PRNG: xoshiro256** seeded with splitmix64 */

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* Uniform integer in [0, n), n > 0, without modulo bias. */
static uint64_t rng_below(struct rng *r, uint64_t n)
{
    uint64_t lim = (UINT64_MAX - n + 1) % n; /* 2^64 mod n */
    uint64_t x;
    do
        x = rng_next(r);
    while (x < lim);
    return x % n;
}

/* True with probability thr / 2^53 (thr from prob_threshold). */
static int rng_chance53(struct rng *r, uint64_t thr)
{
    return (rng_next(r) >> 11) < thr;
}

/* True with probability ppm / 1,000,000. */
static int rng_ppm(struct rng *r, uint64_t ppm)
{
    return rng_below(r, 1000000) < ppm;
}

/* ---------------------------------------------------------------------------------------- */
/* Paragraph pool */

struct span {
    uint32_t off;
    uint32_t len;
};

struct spanvec {
    struct span *v;
    size_t n;
    size_t cap;
};

struct pool {
    struct buf arena; /* every paragraph and title, each followed by a NUL */
    struct spanvec para; /* body paragraphs */
    struct spanvec title; /* first lines */
    uint32_t *word; /* start offsets of the words of body paragraphs */
    size_t nword;
};

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0;
}

static void spanvec_push(struct spanvec *sv, uint32_t off, uint32_t len)
{
    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 65536;
        sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n].off = off;
    sv->v[sv->n].len = len;
    sv->n++;
}

/* Copy s[0..n) into the arena with whitespace runs collapsed to one space; record it in sv. */
static void pool_add(struct pool *pl, struct spanvec *sv, const char *s, size_t n)
{
    struct buf *a = &pl->arena;
    if (n >= UINT32_MAX - 1 - a->len)
        die("source text too large for the pool (4 GB)");
    buf_reserve(a, n + 1);
    size_t start = a->len;
    int pending_space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_ws(c)) {
            pending_space = a->len > start;
        } else {
            if (pending_space)
                a->p[a->len++] = ' ';
            pending_space = 0;
            a->p[a->len++] = (char)c;
        }
    }
    if (a->len == start)
        return;
    spanvec_push(sv, (uint32_t)start, (uint32_t)(a->len - start));
    a->p[a->len++] = '\0';
}

static int line_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Split one source text into a title (first line) and paragraphs. */
static void pool_add_text(struct pool *pl, const char *t, size_t n)
{
    const char *nl = memchr(t, '\n', n);
    size_t pos = 0;
    if (nl && !line_is_blank(nl + 1, n - (size_t)(nl + 1 - t))) {
        pool_add(pl, &pl->title, t, (size_t)(nl - t));
        pos = (size_t)(nl + 1 - t);
    }
    size_t para = SIZE_MAX; /* start of the open paragraph */
    while (pos < n) {
        const char *e = memchr(t + pos, '\n', n - pos);
        size_t end = e ? (size_t)(e - t) : n;
        const char *line = t + pos;
        size_t len = end - pos;
        if (line_is_blank(line, len)) {
            if (para != SIZE_MAX)
                pool_add(pl, &pl->para, t + para, pos - para);
            para = SIZE_MAX;
        } else if (para == SIZE_MAX || line[0] == '\t' ||
                   (len >= 4 && memcmp(line, "    ", 4) == 0)) {
            if (para != SIZE_MAX)
                pool_add(pl, &pl->para, t + para, pos - para);
            para = pos;
        }
        pos = end + 1;
    }
    if (para != SIZE_MAX)
        pool_add(pl, &pl->para, t + para, n - para);
}

static void pool_index_words(struct pool *pl)
{
    const char *a = pl->arena.p;
    size_t count = 0;
    for (size_t i = 0; i < pl->para.n; i++) {
        const struct span *sp = &pl->para.v[i];
        for (uint32_t k = 0; k < sp->len; k++)
            count += (k == 0 || a[sp->off + k - 1] == ' ') && a[sp->off + k] != ' ';
    }
    pl->word = xrealloc(NULL, count * sizeof *pl->word);
    pl->nword = 0;
    for (size_t i = 0; i < pl->para.n; i++) {
        const struct span *sp = &pl->para.v[i];
        for (uint32_t k = 0; k < sp->len; k++)
            if ((k == 0 || a[sp->off + k - 1] == ' ') && a[sp->off + k] != ' ')
                pl->word[pl->nword++] = sp->off + k;
    }
}

static void pool_load(struct pool *pl, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    uint64_t lineno = 0;
    errno = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (line_is_blank(line, (size_t)got))
            continue;
        json_error_t err;
        json_t *obj = json_loadb(line, (size_t)got, JSON_ALLOW_NUL, &err);
        if (!obj)
            die("%s:%" PRIu64 ": bad JSON: %s", path, lineno, err.text);
        json_t *text = json_object_get(obj, "text");
        if (!json_is_object(obj) || !json_is_string(text))
            die("%s:%" PRIu64 ": no \"text\" string", path, lineno);
        pool_add_text(pl, json_string_value(text), json_string_length(text));
        json_decref(obj);
    }
    if (ferror(f))
        die("cannot read %s: %s", path, strerror(errno));
    free(line);
    fclose(f);
    if (pl->para.n == 0)
        die("%s: no paragraphs found", path);
    pool_index_words(pl);
}

/* ---------------------------------------------------------------------------------------- */
/* Documents */

struct doc {
    struct buf text;
    uint64_t id;
    int day; /* days since 2020-01-01 */
    int copy; /* 1 for a planted copy (never a splice donor), 0 for a background document */
};

/* A word of an edited document, pointing into the source document or the pool. */
struct tok {
    const char *p;
    uint32_t len;
    uint32_t para; /* a paragraph break precedes this word */
};

struct tokvec {
    struct tok *v;
    size_t n;
    size_t cap;
};

static void tokvec_reserve(struct tokvec *tv, size_t extra)
{
    if (tv->n + extra <= tv->cap)
        return;
    size_t cap = tv->cap ? tv->cap : 1024;
    while (cap < tv->n + extra)
        cap *= 2;
    tv->v = xrealloc(tv->v, cap * sizeof *tv->v);
    tv->cap = cap;
}

static void gen_background(struct buf *out, const struct pool *pl, struct rng *r, uint64_t b)
{
    uint64_t lo = b / 2, hi = b + b / 2;
    uint64_t target = lo + rng_below(r, hi - lo + 1);
    out->len = 0;
    if (pl->title.n) {
        const struct span *sp = &pl->title.v[rng_below(r, pl->title.n)];
        buf_put(out, pl->arena.p + sp->off, sp->len);
    }
    int nbody = 0;
    while (nbody == 0 || out->len < target) {
        const struct span *sp = &pl->para.v[rng_below(r, pl->para.n)];
        if (out->len)
            buf_put(out, "\n\n", 2);
        buf_put(out, pl->arena.p + sp->off, sp->len);
        nbody++;
    }
}

enum { CASE_UPPER, CASE_LOWER, CASE_CAPWORDS, CASE_UPWORDS };
enum { COS_CASE = 1, COS_QUOTES = 2, COS_SPACES = 4, COS_DASHES = 8 };

static char ascii_upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* One cosmetic pass over s[0..n) with the changes in mask (COS_*). */
static void cosmetic_pass(struct buf *out, const char *s, size_t n, struct rng *r, unsigned mask)
{
    int casemode = (int)rng_below(r, 4);
    uint64_t word_ppm = 100000 + rng_below(r, 400001); /* words touched: 10%..50% */
    uint64_t dbl_ppm = 10000 + rng_below(r, 90001); /* spaces doubled: 1%..10% */
    uint64_t nl_ppm = 10000 + rng_below(r, 90001); /* spaces to newlines: 1%..10% */
    int word_hit = 0;
    out->len = 0;
    buf_reserve(out, n + n / 4 + 16);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        unsigned char prev = i ? (unsigned char)s[i - 1] : ' ';
        if (!is_ws((unsigned char)c) && is_ws(prev) && (mask & COS_CASE) &&
            (casemode == CASE_CAPWORDS || casemode == CASE_UPWORDS))
            word_hit = rng_ppm(r, word_ppm);
        if ((mask & COS_CASE) && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            switch (casemode) {
            case CASE_UPPER:
                c = ascii_upper(c);
                break;
            case CASE_LOWER:
                c = ascii_lower(c);
                break;
            case CASE_CAPWORDS:
                if (word_hit && is_ws(prev))
                    c = ascii_upper(c);
                break;
            default:
                if (word_hit)
                    c = ascii_upper(c);
                break;
            }
            buf_putc(out, c);
        } else if ((mask & COS_QUOTES) && c == '\'') {
            buf_put(out, "\xe2\x80\x99", 3); /* U+2019 right single quotation mark */
        } else if ((mask & COS_QUOTES) && c == '"') {
            if (is_ws(prev) || prev == '(' || prev == '[')
                buf_put(out, "\xe2\x80\x9c", 3); /* U+201C left double quotation mark */
            else
                buf_put(out, "\xe2\x80\x9d", 3); /* U+201D right double quotation mark */
        } else if ((mask & COS_DASHES) && c == '-') {
            buf_put(out, "\xe2\x80\x93", 3); /* U+2013 en dash */
        } else if ((mask & COS_SPACES) && c == ' ' && i > 0 && i + 1 < n && !is_ws(prev) &&
                   !is_ws((unsigned char)s[i + 1])) {
            if (rng_ppm(r, dbl_ppm))
                buf_put(out, "  ", 2);
            else if (rng_ppm(r, nl_ppm))
                buf_putc(out, '\n');
            else
                buf_putc(out, ' ');
        } else {
            buf_putc(out, c);
        }
    }
}

/*
 * A cosmetic copy: a random non-empty subset of the changes. A text the chosen changes leave
 * as it was (say only dashes, and it has no hyphen) is redrawn, a few times with all changes.
 */
static void gen_cosmetic(struct buf *out, const char *s, size_t n, struct rng *r)
{
    for (int attempt = 0; attempt < 12; attempt++) {
        unsigned mask = attempt < 8 ? 1 + (unsigned)rng_below(r, 15) : 15;
        cosmetic_pass(out, s, n, r, mask);
        if (out->len != n || memcmp(out->p, s, n) != 0)
            return;
    }
}

static struct tok pool_word(const struct pool *pl, struct rng *r)
{
    struct tok t;
    const char *a = pl->arena.p;
    uint32_t off = pl->word[rng_below(r, pl->nword)];
    uint32_t e = off;
    while (a[e] != ' ' && a[e] != '\0')
        e++;
    t.p = a + off;
    t.len = e - off;
    t.para = 0;
    return t;
}

static void gen_edited(struct buf *out, const char *s, size_t n, const struct pool *pl,
                       struct rng *r, struct tokvec *tv)
{
    /* Words are runs of non-whitespace; two or more newlines between words end a paragraph. */
    tv->n = 0;
    int newlines = 0;
    for (size_t i = 0; i < n;) {
        if (is_ws((unsigned char)s[i])) {
            newlines += s[i] == '\n';
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && !is_ws((unsigned char)s[j]))
            j++;
        tokvec_reserve(tv, 1);
        tv->v[tv->n].p = s + i;
        tv->v[tv->n].len = (uint32_t)(j - i);
        tv->v[tv->n].para = tv->n > 0 && newlines >= 2;
        tv->n++;
        newlines = 0;
        i = j;
    }

    /* E = rate * words with stochastic rounding, rate uniform in [0.5%, 15%], at least 1. */
    uint64_t rate_ppm = 5000 + rng_below(r, 145001);
    uint64_t nedit = (rate_ppm * tv->n + rng_below(r, 1000000)) / 1000000;
    if (nedit == 0)
        nedit = 1;
    for (uint64_t e = 0; e < nedit; e++) {
        unsigned op = (unsigned)rng_below(r, 3);
        if (op == 0 && tv->n > 0) { /* replace */
            size_t k = (size_t)rng_below(r, tv->n);
            struct tok t = pool_word(pl, r);
            t.para = tv->v[k].para;
            tv->v[k] = t;
        } else if (op == 1 && tv->n > 1) { /* delete */
            size_t k = (size_t)rng_below(r, tv->n);
            if (k + 1 < tv->n && tv->v[k].para)
                tv->v[k + 1].para = 1;
            memmove(tv->v + k, tv->v + k + 1, (tv->n - k - 1) * sizeof *tv->v);
            tv->n--;
        } else { /* insert (also when the chosen op is impossible) */
            size_t k = (size_t)rng_below(r, tv->n + 1);
            struct tok t = pool_word(pl, r);
            tokvec_reserve(tv, 1);
            if (k < tv->n) {
                t.para = tv->v[k].para;
                tv->v[k].para = 0;
            }
            memmove(tv->v + k + 1, tv->v + k, (tv->n - k) * sizeof *tv->v);
            tv->v[k] = t;
            tv->n++;
        }
    }

    out->len = 0;
    buf_reserve(out, n + 64);
    for (size_t k = 0; k < tv->n; k++) {
        if (k > 0) {
            if (tv->v[k].para)
                buf_put(out, "\n\n", 2);
            else
                buf_putc(out, ' ');
        }
        buf_put(out, tv->v[k].p, tv->v[k].len);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Output */

static void day_to_date(int day, char out[11])
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = FIRST_YEAR;
    for (;;) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int ylen = leap ? 366 : 365;
        if (day < ylen)
            break;
        day -= ylen;
        y++;
    }
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int m = 0;
    for (;;) {
        int ml = mdays[m] + (m == 1 && leap);
        if (day < ml)
            break;
        day -= ml;
        m++;
    }
    int parts[3] = { y, m + 1, day + 1 };
    static const int width[3] = { 4, 2, 2 };
    char *o = out;
    for (int k = 0; k < 3; k++) {
        if (k)
            *o++ = '-';
        for (int d = width[k] - 1; d >= 0; d--) {
            o[d] = (char)('0' + parts[k] % 10);
            parts[k] /= 10;
        }
        o += width[k];
    }
    *o = '\0';
}

static void format_id(uint64_t id, char out[32])
{
    snprintf(out, 32, "g%07" PRIu64, id);
}

/* Append s[0..n) as the body of a JSON string (no quotes); UTF-8 passes through. */
static void json_escape(struct buf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_reserve(out, n + 16);
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && (unsigned char)s[j] >= 0x20 && s[j] != '"' && s[j] != '\\')
            j++;
        buf_put(out, s + i, j - i);
        if (j == n)
            break;
        unsigned char c = (unsigned char)s[j];
        char esc[6] = { '\\', 0, 0, 0, 0, 0 };
        size_t elen = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\t':
            esc[1] = 't';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
            break;
        }
        buf_put(out, esc, elen);
        i = j + 1;
    }
}

static void write_doc(struct buf *line, const struct doc *d)
{
    char id[32], date[11];
    format_id(d->id, id);
    day_to_date(d->day, date);
    line->len = 0;
    buf_put(line, "{\"id\":\"", 7);
    buf_put(line, id, strlen(id));
    buf_put(line, "\",\"date\":\"", 10);
    buf_put(line, date, 10);
    buf_put(line, "\",\"source\":\"gen\",\"text\":\"", 25);
    json_escape(line, d->text.p, d->text.len);
    buf_put(line, "\"}\n", 3);
    if (fwrite(line->p, 1, line->len, stdout) != line->len)
        die("write error on stdout: %s", strerror(errno));
}

/* ---------------------------------------------------------------------------------------- */
/* Partial reuse: splices of a few sentences (-P) */

struct sent {
    uint32_t start; /* first byte of the sentence in the donor text */
    uint32_t end; /* one past its last byte */
};

struct sentvec {
    struct sent *v;
    size_t n;
    size_t cap;
};

/* Words of a text for the 8-gram check: hash and byte range of each. */
struct words {
    uint64_t *h; /* hash of the ASCII-lowercased word */
    uint32_t *start; /* first byte */
    uint32_t *end; /* one past the last byte */
    size_t n;
    size_t cap;
};

struct u64vec {
    uint64_t *v;
    size_t n;
    size_t cap;
};

/* Scratch of the splice planter, reused from one document to the next. */
struct splicer {
    struct sentvec sv; /* sentences of the donor */
    struct words wd; /* words of the donor */
    struct words wr; /* words of the recipient */
    struct u64vec gd; /* 8-grams of the donor, then of its part outside the run */
    struct u64vec gr; /* 8-grams of the recipient before the splice */
    struct u64vec gi; /* 8-grams of the run */
    struct tokvec tv; /* words of the sentence being edited */
    struct buf text; /* the edited splice */
    struct buf tmp; /* the recipient being rebuilt */
};

static const char *const abbrev[] = {
    "Mr",  "Mrs", "Ms",  "Dr",  "St",  "Inc", "Co",  "Corp", "Ltd", "Jr",  "Sr",  "Gen",
    "Gov", "Sen", "Rep", "Prof", "No",  "vs",  "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Bros", "Mt",  "Ft",  "Lt",  "Col", "Capt",
};

static int is_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_closer(char c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']';
}

/*
 * If p[i] ends a sentence of the paragraph p[0..n), return one past its end (closing quotes
 * and brackets included), else 0. See the header for the rule.
 */
static size_t sentence_end(const char *p, size_t i, size_t n)
{
    if (p[i] != '.' && p[i] != '!' && p[i] != '?')
        return 0;
    size_t j = i + 1;
    while (j < n && is_closer(p[j]))
        j++;
    if (j + 1 >= n || p[j] != ' ')
        return 0;
    unsigned char next = (unsigned char)p[j + 1];
    if (!is_upper(next) && next != '"' && next != '\'' && next != '(')
        return 0;
    if (p[i] == '.') {
        size_t w = i;
        while (w > 0 && p[w - 1] != ' ')
            w--;
        while (w < i && (p[w] == '"' || p[w] == '\'' || p[w] == '('))
            w++;
        if (i - w == 1 && is_upper((unsigned char)p[w]))
            return 0; /* an initial */
        if (memchr(p + w, '.', i - w))
            return 0; /* U.S., a.m. */
        for (size_t k = 0; k < sizeof abbrev / sizeof *abbrev; k++)
            if (strlen(abbrev[k]) == i - w && memcmp(abbrev[k], p + w, i - w) == 0)
                return 0;
    }
    return j;
}

/* Sentences of the body of text t[0..n) (paragraphs joined by "\n\n"; the first is skipped
 * when has_title). */
static void split_sentences(struct sentvec *sv, const char *t, size_t n, int has_title)
{
    sv->n = 0;
    size_t pos = 0;
    int first = 1;
    while (pos < n) {
        size_t pend = pos;
        while (pend < n && !(t[pend] == '\n' && pend + 1 < n && t[pend + 1] == '\n'))
            pend++;
        if (!(first && has_title)) {
            const char *p = t + pos;
            size_t plen = pend - pos, s0 = 0;
            for (size_t i = 0; i < plen; i++) {
                size_t end = sentence_end(p, i, plen);
                if (end == 0 && i + 1 < plen)
                    continue;
                if (end == 0)
                    end = plen;
                if (sv->n == sv->cap) {
                    sv->cap = sv->cap ? sv->cap * 2 : 256;
                    sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
                }
                sv->v[sv->n].start = (uint32_t)(pos + s0);
                sv->v[sv->n].end = (uint32_t)(pos + end);
                sv->n++;
                s0 = end + 1; /* past the space */
                i = end;
            }
        }
        first = 0;
        pos = pend + 2;
    }
}

static size_t count_words(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += !is_ws((unsigned char)s[i]) && (i == 0 || is_ws((unsigned char)s[i - 1]));
    return c;
}

static int is_wordbyte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c >= 0x80;
}

static void words_of(struct words *w, const char *s, size_t n)
{
    w->n = 0;
    for (size_t i = 0; i < n;) {
        if (!is_wordbyte((unsigned char)s[i])) {
            i++;
            continue;
        }
        uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
        size_t j = i;
        for (; j < n && is_wordbyte((unsigned char)s[j]); j++)
            h = (h ^ (unsigned char)ascii_lower(s[j])) * 0x100000001b3ull;
        if (w->n == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 1024;
            w->h = xrealloc(w->h, w->cap * sizeof *w->h);
            w->start = xrealloc(w->start, w->cap * sizeof *w->start);
            w->end = xrealloc(w->end, w->cap * sizeof *w->end);
        }
        w->h[w->n] = h;
        w->start[w->n] = (uint32_t)i;
        w->end[w->n] = (uint32_t)j;
        w->n++;
        i = j;
    }
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/*
 * The sorted hashes of the word 8-grams of w that lie inside bytes [lo, hi) (inside != 0) or
 * wholly outside it (inside == 0; n-grams straddling an edge are left out).
 */
static void grams_of(struct u64vec *g, const struct words *w, size_t lo, size_t hi, int inside)
{
    g->n = 0;
    for (size_t i = 0; i + GRAM <= w->n; i++) {
        size_t s = w->start[i], e = w->end[i + GRAM - 1];
        if (inside ? !(s >= lo && e <= hi) : !(e <= lo || s >= hi))
            continue;
        uint64_t x = 0;
        for (size_t k = 0; k < GRAM; k++)
            x = rotl64(x, 17) ^ w->h[i + k];
        if (g->n == g->cap) {
            g->cap = g->cap ? g->cap * 2 : 1024;
            g->v = xrealloc(g->v, g->cap * sizeof *g->v);
        }
        g->v[g->n++] = splitmix64(&x);
    }
    qsort(g->v, g->n, sizeof *g->v, cmp_u64);
}

static int share_any(const struct u64vec *a, const struct u64vec *b)
{
    size_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] == b->v[j])
            return 1;
        if (a->v[i] < b->v[j])
            i++;
        else
            j++;
    }
    return 0;
}

static int tok_is(const struct tok *t, const char *z)
{
    return t->len == strlen(z) && memcmp(t->p, z, t->len) == 0;
}

/*
 * One edit of the sentence in tv (see the header); the pool supplies replacement words. The
 * first lock_lo and the last lock_hi words stay as they are (the splice's edges).
 */
static void edit_sentence(struct tokvec *tv, const struct pool *pl, struct rng *r,
                          size_t lock_lo, size_t lock_hi)
{
    /* words [lo, hi) may change; "Mr" may go before words [lo, hi] (and never before word 0) */
    size_t lo = lock_lo, hi = tv->n - lock_hi;
    assert(lock_lo <= SPLICE_EDGE_WORDS && lock_hi <= SPLICE_EDGE_WORDS);
    assert(hi > lo + 1 && SPLICE_EDIT_WORDS > 2 * SPLICE_EDGE_WORDS + 1);
    /* Pairs 2v, 2v+1 swap; the words live in static storage, which outlives the document. */
    static const char *const verb[] = { "said", "says", "said,", "says,", "said.", "says.",
                                        "said:", "says:", "said;", "says;" };
    unsigned op = (unsigned)rng_below(r, 4);
    size_t cand[256], nc = 0;
    if (op == 1) { /* "Mr" before a capitalised word, not the first */
        for (size_t k = lo > 1 ? lo : 1; k <= hi && k < tv->n && nc < 256; k++)
            if (is_upper((unsigned char)tv->v[k].p[0]) && !tok_is(&tv->v[k - 1], "Mr") &&
                !tok_is(&tv->v[k - 1], "Mr.") && !tok_is(&tv->v[k], "Mr") &&
                !tok_is(&tv->v[k], "Mr."))
                cand[nc++] = k;
        if (nc) {
            size_t k = cand[rng_below(r, nc)];
            tokvec_reserve(tv, 1);
            memmove(tv->v + k + 1, tv->v + k, (tv->n - k) * sizeof *tv->v);
            tv->v[k].p = "Mr";
            tv->v[k].len = 2;
            tv->v[k].para = 0;
            tv->n++;
            return;
        }
    } else if (op == 2) { /* drop a word */
        size_t k = lo + (size_t)rng_below(r, hi - lo);
        memmove(tv->v + k, tv->v + k + 1, (tv->n - k - 1) * sizeof *tv->v);
        tv->n--;
        return;
    } else if (op == 3) { /* said <-> says, punctuation after the word kept */
        size_t to[256];
        for (size_t k = lo; k < hi && nc < 256; k++) {
            const struct tok *w = &tv->v[k];
            for (size_t v = 0; v < sizeof verb / sizeof *verb; v++)
                if (w->len == strlen(verb[v]) && memcmp(w->p, verb[v], w->len) == 0) {
                    to[nc] = v ^ 1;
                    cand[nc++] = k;
                }
        }
        if (nc) {
            size_t pick = (size_t)rng_below(r, nc);
            tv->v[cand[pick]].p = verb[to[pick]];
            tv->v[cand[pick]].len = (uint32_t)strlen(verb[to[pick]]);
            return;
        }
    }
    size_t k = lo + (size_t)rng_below(r, hi - lo); /* replace (also when nothing else applies) */
    tv->v[k] = pool_word(pl, r);
}

/* The words of s[0..n) (single spaces between them) into tv. */
static void split_words(struct tokvec *tv, const char *s, size_t n)
{
    tv->n = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ')
            j++;
        tokvec_reserve(tv, 1);
        tv->v[tv->n].p = s + i;
        tv->v[tv->n].len = (uint32_t)(j - i);
        tv->v[tv->n].para = 0;
        tv->n++;
        i = j;
    }
}

/*
 * Try to splice a run of sentences of a recent non-copy document into cur (a background
 * document just generated). On success rewrite cur->text and write the truth line (if
 * truth); otherwise leave cur as it is.
 */
static void plant_splice(struct doc *cur, const struct doc *ring, uint64_t have,
                         const struct pool *pl, struct rng *r, struct splicer *sp, FILE *truth)
{
    if (have == 0)
        return;
    const struct doc *donor = NULL;
    size_t first = 0, nsent = 0;
    words_of(&sp->wr, cur->text.p, cur->text.len);
    grams_of(&sp->gr, &sp->wr, 0, SIZE_MAX, 1);
    for (int attempt = 0; attempt < SPLICE_TRIES && !donor; attempt++) {
        const struct doc *d = &ring[(cur->id - 1 - rng_below(r, have)) % RING_SIZE];
        uint64_t k = SPLICE_MIN_SENT + rng_below(r, SPLICE_MAX_SENT - SPLICE_MIN_SENT + 1);
        if (d->copy)
            continue;
        split_sentences(&sp->sv, d->text.p, d->text.len, pl->title.n > 0);
        if (sp->sv.n < SPLICE_MIN_SENT)
            continue;
        if (k > sp->sv.n)
            k = sp->sv.n;
        size_t f = (size_t)rng_below(r, sp->sv.n - k + 1);
        size_t lo = sp->sv.v[f].start, hi = sp->sv.v[f + k - 1].end;
        if (count_words(d->text.p + lo, hi - lo) < SPLICE_MIN_WORDS)
            continue;
        /* (1) nothing shared before the splice; (2) the run has a single source in d */
        words_of(&sp->wd, d->text.p, d->text.len);
        grams_of(&sp->gd, &sp->wd, 0, SIZE_MAX, 1);
        if (share_any(&sp->gd, &sp->gr))
            continue;
        grams_of(&sp->gd, &sp->wd, lo, hi, 0);
        grams_of(&sp->gi, &sp->wd, lo, hi, 1);
        if (share_any(&sp->gd, &sp->gi))
            continue;
        donor = d;
        first = f;
        nsent = (size_t)k;
    }
    if (!donor)
        return;

    /* The edited run: sentence by sentence, separators from the donor kept. */
    const char *t = donor->text.p;
    size_t lo = sp->sv.v[first].start, hi = sp->sv.v[first + nsent - 1].end;
    size_t total = count_words(t + lo, hi - lo), before = 0; /* words of the run, and so far */
    sp->text.len = 0;
    for (size_t i = first; i < first + nsent; i++) {
        const struct sent *s = &sp->sv.v[i];
        if (i > first)
            buf_put(&sp->text, t + sp->sv.v[i - 1].end, s->start - sp->sv.v[i - 1].end);
        split_words(&sp->tv, t + s->start, s->end - s->start);
        size_t n = sp->tv.n, after = total > before + n ? total - before - n : 0;
        size_t lock_lo = before < SPLICE_EDGE_WORDS ? SPLICE_EDGE_WORDS - before : 0;
        size_t lock_hi = after < SPLICE_EDGE_WORDS ? SPLICE_EDGE_WORDS - after : 0;
        if (n >= SPLICE_EDIT_WORDS && rng_below(r, 2))
            edit_sentence(&sp->tv, pl, r, lock_lo, lock_hi);
        before += n;
        for (size_t k = 0; k < sp->tv.n; k++) {
            if (k)
                buf_putc(&sp->text, ' ');
            buf_put(&sp->text, sp->tv.v[k].p, sp->tv.v[k].len);
        }
    }

    /* Insert at a paragraph boundary: before one of the "\n\n" or at the end. */
    size_t nb = 1;
    const char *c = cur->text.p;
    size_t n = cur->text.len;
    for (size_t i = 0; i + 1 < n; i++)
        nb += c[i] == '\n' && c[i + 1] == '\n';
    uint64_t pick = rng_below(r, nb), at = n;
    for (size_t i = 0, b = 0; i + 1 < n; i++)
        if (c[i] == '\n' && c[i + 1] == '\n' && b++ == pick) {
            at = i;
            break;
        }
    sp->tmp.len = 0;
    buf_put(&sp->tmp, c, at);
    buf_put(&sp->tmp, "\n\n", 2);
    size_t rstart = sp->tmp.len;
    buf_put(&sp->tmp, sp->text.p, sp->text.len);
    size_t rend = sp->tmp.len;
    buf_put(&sp->tmp, c + at, n - at);
    struct buf swap = cur->text;
    cur->text = sp->tmp;
    sp->tmp = swap;

    if (truth) {
        char a[32], b[32];
        format_id(donor->id, a);
        format_id(cur->id, b);
        fprintf(truth, "%s\t%s\t%zu\t%zu\t%zu\t%zu\n", a, b, lo, hi, rstart, rend);
    }
}

static void splicer_free(struct splicer *sp)
{
    free(sp->sv.v);
    free(sp->wd.h);
    free(sp->wd.start);
    free(sp->wd.end);
    free(sp->wr.h);
    free(sp->wr.start);
    free(sp->wr.end);
    free(sp->gd.v);
    free(sp->gr.v);
    free(sp->gi.v);
    free(sp->tv.v);
    free(sp->text.p);
    free(sp->tmp.p);
}

/* ---------------------------------------------------------------------------------------- */
/* Background without chance sharing (-U) */

#define PERTURB_PERIOD 5u /* of every PERTURB_PERIOD words of a re-used unit ... */
#define PERTURB_TRIES 8 /* draws of a replacement word before any word will do */

/* The kept pool units (paragraphs or titles), dealt without replacement, round after round. */
struct deck {
    uint32_t *v; /* indices into the pool's spanvec; v[0..used) dealt in this round */
    size_t n; /* units kept */
    size_t used; /* units dealt in this round */
    uint64_t round; /* rounds completed: units dealt from round 1 on are perturbed */
};

/* Set of 64-bit hashes, open addressing; 0 stands for the hash 1 (0 marks an empty slot). */
struct hset {
    uint64_t *v; /* slots */
    size_t mask; /* number of slots minus one, a power of two minus one */
};

static int hset_has(const struct hset *s, uint64_t h)
{
    h = h ? h : 1;
    for (size_t i = (size_t)h & s->mask;; i = (i + 1) & s->mask) {
        if (s->v[i] == h)
            return 1;
        if (s->v[i] == 0)
            return 0;
    }
}

static void hset_add(struct hset *s, uint64_t h)
{
    h = h ? h : 1;
    size_t i = (size_t)h & s->mask;
    while (s->v[i] != 0 && s->v[i] != h)
        i = (i + 1) & s->mask;
    s->v[i] = h;
}

/*
 * Keep the units of sv that share no word 8-gram with a unit kept before them (words as in
 * the splice check: ASCII letter and digit runs, lowercased), and, when shorter than 8 words,
 * whose words differ from those of every unit kept before. salt tells paragraphs from titles
 * in the second test (a title and a paragraph may be the same words: a one-line text).
 */
static void deck_build(struct deck *dk, const struct pool *pl, const struct spanvec *sv,
                       struct hset *seen, uint64_t salt, struct words *w, struct u64vec *g)
{
    dk->v = xrealloc(NULL, (sv->n ? sv->n : 1) * sizeof *dk->v);
    dk->n = dk->used = 0;
    dk->round = 0;
    for (size_t i = 0; i < sv->n; i++) {
        words_of(w, pl->arena.p + sv->v[i].off, sv->v[i].len);
        if (w->n < GRAM) {
            uint64_t x = salt;
            for (size_t k = 0; k < w->n; k++)
                x = rotl64(x, 17) ^ w->h[k];
            g->v = xrealloc(g->v, sizeof *g->v);
            g->cap = 1;
            g->v[0] = splitmix64(&x);
            g->n = 1;
        } else {
            grams_of(g, w, 0, SIZE_MAX, 1);
        }
        int dup = 0;
        for (size_t k = 0; k < g->n && !dup; k++)
            dup = hset_has(seen, g->v[k]);
        if (dup)
            continue;
        for (size_t k = 0; k < g->n; k++)
            hset_add(seen, g->v[k]);
        dk->v[dk->n++] = (uint32_t)i;
    }
}

/* Deal one unit: a uniform draw among those not dealt in this round; *fresh = round 0. */
static uint32_t deck_deal(struct deck *dk, struct rng *r, int *fresh)
{
    size_t j = dk->used + (size_t)rng_below(r, dk->n - dk->used);
    uint32_t u = dk->v[j];
    dk->v[j] = dk->v[dk->used];
    dk->v[dk->used++] = u;
    *fresh = dk->round == 0;
    if (dk->used == dk->n) {
        dk->used = 0;
        dk->round++;
    }
    return u;
}

/* Same word for the n-gram checks: ASCII letters and digits equal, case aside. */
static int same_word(const struct tok *a, const char *b, size_t blen)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < a->len && !is_wordbyte((unsigned char)a->p[i]))
            i++;
        while (j < blen && !is_wordbyte((unsigned char)b[j]))
            j++;
        if (i == a->len || j == blen)
            return i == a->len && j == blen;
        if (ascii_lower(a->p[i]) != ascii_lower(b[j]))
            return 0;
        i++;
        j++;
    }
}

static int has_wordbyte(const struct tok *t)
{
    for (size_t i = 0; i < t->len; i++)
        if (is_wordbyte((unsigned char)t->p[i]))
            return 1;
    return 0;
}

/*
 * Append s[0..n) (words separated by single spaces) with the words at positions k where
 * (k + phase) % 5 is 0 or 2 replaced by random pool words (see the header): none equal to the
 * word it replaces, none without a letter or digit (the drop of such a word would leave the
 * original words around it adjacent once normalised).
 */
static void put_perturbed(struct buf *out, const char *s, size_t n, const struct pool *pl,
                          struct rng *r, struct tokvec *tv)
{
    split_words(tv, s, n);
    unsigned phase = (unsigned)rng_below(r, PERTURB_PERIOD);
    for (size_t k = 0; k < tv->n; k++) {
        unsigned m = (unsigned)((k + phase) % PERTURB_PERIOD);
        struct tok t = tv->v[k];
        if (m == 0 || m == 2) {
            for (int attempt = 0; attempt < PERTURB_TRIES; attempt++) {
                t = pool_word(pl, r);
                if (has_wordbyte(&t) && !same_word(&t, tv->v[k].p, tv->v[k].len))
                    break;
            }
        }
        if (k)
            buf_putc(out, ' ');
        buf_put(out, t.p, t.len);
    }
}

/*
 * gen_background with -U: the title and the paragraphs are dealt from the decks, and a unit
 * dealt again after its deck ran out is perturbed.
 */
static void gen_background_unique(struct buf *out, const struct pool *pl, struct deck *titles,
                                  struct deck *paras, struct rng *r, uint64_t b,
                                  struct tokvec *tv)
{
    uint64_t lo = b / 2, hi = b + b / 2;
    uint64_t target = lo + rng_below(r, hi - lo + 1);
    int fresh;
    out->len = 0;
    if (titles->n) {
        const struct span *sp = &pl->title.v[deck_deal(titles, r, &fresh)];
        if (fresh)
            buf_put(out, pl->arena.p + sp->off, sp->len);
        else
            put_perturbed(out, pl->arena.p + sp->off, sp->len, pl, r, tv);
    }
    int nbody = 0;
    while (nbody == 0 || out->len < target) {
        const struct span *sp = &pl->para.v[deck_deal(paras, r, &fresh)];
        if (out->len)
            buf_put(out, "\n\n", 2);
        if (fresh)
            buf_put(out, pl->arena.p + sp->off, sp->len);
        else
            put_perturbed(out, pl->arena.p + sp->off, sp->len, pl, r, tv);
        nbody++;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Options */

static uint64_t parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || errno == ERANGE || v < min || v > max)
        die_usage("bad value for -%s: '%s' (want an integer in [%" PRIu64 ", %" PRIu64 "])", opt,
                  s, min, max);
    return (uint64_t)v;
}

static double parse_fraction(const char *opt, const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !(v >= 0.0 && v <= 1.0))
        die_usage("bad value for -%s: '%s' (want a number in [0, 1])", opt, s);
    return v;
}

int main(int argc, char **argv)
{
    uint64_t ndocs = 1000, seed = 1, target = 2000;
    double plant = 0.05, splice = 0.0;
    const char *truth_path = NULL, *splice_path = NULL;
    int unique = 0, c;

    opterr = 0;
    while ((c = getopt(argc, argv, ":n:s:p:b:t:P:S:Uh")) != -1) {
        switch (c) {
        case 'n':
            ndocs = parse_u64("n", optarg, 0, UINT64_MAX / 2);
            break;
        case 's':
            seed = parse_u64("s", optarg, 0, UINT64_MAX);
            break;
        case 'p':
            plant = parse_fraction("p", optarg);
            break;
        case 'b':
            target = parse_u64("b", optarg, 1, MAX_TARGET);
            break;
        case 't':
            truth_path = optarg;
            break;
        case 'P':
            splice = parse_fraction("P", optarg);
            break;
        case 'S':
            splice_path = optarg;
            break;
        case 'U':
            unique = 1;
            break;
        case 'h':
            fputs(usage_line, stdout);
            return 0;
        case ':':
            die_usage("option -%c needs a value", optopt);
        default:
            fprintf(stderr, "gencorpus: unknown option -%c\n%s", optopt, usage_line);
            return 1;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "gencorpus: %s\n%s",
                argc - optind < 1 ? "missing SOURCE.jsonl" : "too many arguments", usage_line);
        return 1;
    }

    struct pool pl;
    memset(&pl, 0, sizeof pl);
    pool_load(&pl, argv[optind]);

    /* -U: the decks of kept units; the 8-gram set is needed only while they are built. */
    struct deck paras, titles;
    memset(&paras, 0, sizeof paras);
    memset(&titles, 0, sizeof titles);
    if (unique) {
        size_t nunit = pl.nword + pl.para.n + pl.title.n, slots = 1;
        for (size_t i = 0; i < pl.title.n; i++)
            nunit += count_words(pl.arena.p + pl.title.v[i].off, pl.title.v[i].len);
        while (slots < 2 * nunit)
            slots *= 2;
        struct hset seen = { xrealloc(NULL, slots * sizeof(uint64_t)), slots - 1 };
        memset(seen.v, 0, slots * sizeof(uint64_t));
        struct words w;
        struct u64vec g;
        memset(&w, 0, sizeof w);
        memset(&g, 0, sizeof g);
        deck_build(&paras, &pl, &pl.para, &seen, 0x243f6a8885a308d3ull, &w, &g);
        deck_build(&titles, &pl, &pl.title, &seen, 0x13198a2e03707344ull, &w, &g);
        free(seen.v);
        free(w.h);
        free(w.start);
        free(w.end);
        free(g.v);
    }

    FILE *truth = NULL;
    if (truth_path) {
        truth = fopen(truth_path, "w");
        if (!truth)
            die("cannot open %s: %s", truth_path, strerror(errno));
        fputs("a\tb\tkind\n", truth);
    }
    FILE *splice_truth = NULL;
    if (splice_path) {
        splice_truth = fopen(splice_path, "w");
        if (!splice_truth)
            die("cannot open %s: %s", splice_path, strerror(errno));
        fputs("donor\trecipient\tdonor_start\tdonor_end\trecipient_start\trecipient_end\n",
              splice_truth);
    }
    static char outbuf[OUT_BUFSIZE];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

    struct rng r;
    rng_seed(&r, seed);
    uint64_t plant_thr = (uint64_t)(plant * 9007199254740992.0); /* p * 2^53, exact */
    uint64_t splice_thr = (uint64_t)(splice * 9007199254740992.0);
    struct rng rs; /* the splices' own stream: -P 0 draws nothing from r */
    uint64_t x = seed ^ 0x5bd1e9955bd1e995ull;
    for (int i = 0; i < 4; i++)
        rs.s[i] = splitmix64(&x);
    struct splicer sp;
    memset(&sp, 0, sizeof sp);

    struct doc *ring = xrealloc(NULL, RING_SIZE * sizeof *ring);
    memset(ring, 0, RING_SIZE * sizeof *ring);
    struct doc cur;
    memset(&cur, 0, sizeof cur);
    struct buf line = { 0 };
    struct tokvec tv = { 0 };
    static const char *const kind_name[3] = { "exact", "cosmetic", "edited" };

    for (uint64_t id = 1; id <= ndocs; id++) {
        uint64_t have = id - 1 < RING_SIZE ? id - 1 : RING_SIZE;
        cur.id = id;
        if (rng_chance53(&r, plant_thr) && have > 0) {
            const struct doc *src = &ring[(id - 1 - rng_below(&r, have)) % RING_SIZE];
            unsigned kind = (unsigned)rng_below(&r, 3);
            if (kind == 0) {
                cur.text.len = 0;
                buf_put(&cur.text, src->text.p, src->text.len);
            } else if (kind == 1) {
                gen_cosmetic(&cur.text, src->text.p, src->text.len, &r);
            } else {
                gen_edited(&cur.text, src->text.p, src->text.len, &pl, &r, &tv);
            }
            int maxdelay = NDAYS - 1 - src->day;
            if (maxdelay > COPY_MAX_DELAY)
                maxdelay = COPY_MAX_DELAY;
            cur.day = src->day + (int)rng_below(&r, (uint64_t)maxdelay + 1);
            cur.copy = 1;
            if (truth) {
                char a[32], b[32];
                format_id(src->id, a);
                format_id(id, b);
                fprintf(truth, "%s\t%s\t%s\n", a, b, kind_name[kind]);
            }
        } else {
            if (unique)
                gen_background_unique(&cur.text, &pl, &titles, &paras, &r, target, &tv);
            else
                gen_background(&cur.text, &pl, &r, target);
            cur.day = (int)rng_below(&r, NDAYS);
            cur.copy = 0;
            if (splice_thr > 0 && rng_chance53(&rs, splice_thr))
                plant_splice(&cur, ring, have, &pl, &rs, &sp, splice_truth);
        }
        write_doc(&line, &cur);

        /* The slot may hold the source just copied: swap buffers only now. */
        struct doc *slot = &ring[id % RING_SIZE];
        struct doc tmp = *slot;
        *slot = cur;
        cur = tmp;
    }

    if (fflush(stdout) != 0 || ferror(stdout))
        die("write error on stdout: %s", strerror(errno));
    if (truth && (fflush(truth) != 0 || ferror(truth) || fclose(truth) != 0))
        die("write error on %s: %s", truth_path, strerror(errno));
    if (splice_truth && (fflush(splice_truth) != 0 || ferror(splice_truth) ||
                         fclose(splice_truth) != 0))
        die("write error on %s: %s", splice_path, strerror(errno));

    if (unique)
        fprintf(stderr,
                "gencorpus: -U: %zu of %zu paragraphs kept, dealt %" PRIu64 " time(s) and %zu "
                "more; %zu of %zu titles kept, dealt %" PRIu64 " time(s) and %zu more\n",
                paras.n, pl.para.n, paras.round, paras.used, titles.n, pl.title.n, titles.round,
                titles.used);
    free(paras.v);
    free(titles.v);
    for (size_t i = 0; i < RING_SIZE; i++)
        free(ring[i].text.p);
    free(ring);
    free(cur.text.p);
    free(line.p);
    free(tv.v);
    splicer_free(&sp);
    free(pl.word);
    free(pl.para.v);
    free(pl.title.v);
    free(pl.arena.p);
    return 0;
}
