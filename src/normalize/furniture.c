/* SPDX-License-Identifier: MIT */
/*
 * furniture.c -- lines of a text and the rules that call one line page
 * furniture on its own (see furniture.h). Part of stage 2: the pipeline
 * driver splits each tokenized document into lines here, counts line hashes
 * over the collection for the frequency evidence, and asks
 * rpi_furniture_line() about the rest.
 *
 * Everything here is a pure function of the bytes: no allocation except the
 * caller's line array, no locale, no state (but a table of the patterns'
 * first letters, made once), so the answer for a line never depends on the
 * thread or the collection.
 *
 * The rules for one line, in the order they are tried:
 *
 *   1. PATTERN -- a short built-in list of what sites add around articles
 *      (prompts, copyright, bylines, timestamps, photo credits, "related"
 *      blocks). Patterns match whole words, case-insensitively, and almost
 *      all are anchored at the start of a line and limited to short lines,
 *      so prose that merely mentions "subscribe" or starts with "By March
 *      14, ..." is left alone; a line starting with a lower-case word
 *      continues a wrapped sentence and matches no anchored pattern. The
 *      list is deliberately general (it is the fallback for collections too
 *      small to count lines in), with the most common non-English forms
 *      where a phrase is unambiguous.
 *   2. SHAPE -- a short line of a cased script that starts like a heading
 *      and does not end like a sentence: headlines, mastheads, labels,
 *      navigation, the titles of related articles. Article text on the web
 *      is written in sentences, and a sentence ends with final punctuation.
 *      Text hard-wrapped at a fixed width (Reuters wire copy) defeats this
 *      rule line by line; only the document around a line can tell, so that
 *      guard belongs to the caller (see furniture.h).
 */
#include "furniture.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

/*
 * Seed of line hashes. A line's hash is XXH3-64 (rpi_hash64) of its token
 * hashes as little-endian 8-byte words with this seed, so it ignores
 * spacing, case and quote style exactly as tokens do. Lines of more than
 * HASH_CHUNK tokens are hashed chunk by chunk, each chunk seeded with the
 * hash of the chunks before it (no allocation); for shorter lines, which is
 * every line furniture detection cares about, this is one call over the
 * whole array. A hash that comes out as 0 is stored as 1, so 0 means "no
 * token" and nothing else.
 */
#define LINE_SEED 0x72706c696e653031ULL /* "rpline01" */
#define HASH_CHUNK 32

/*
 * SHAPE applies to lines of 1..SHAPE_MAXTOK tokens. Headlines are short:
 * English news headlines run 6-10 words and rarely pass 14; the longest
 * related-article titles on the seeds have 13 tokens ("Missile interceptors
 * and pamphlets in France: How Europe is preparing for nuclear war"). A
 * paragraph of article text of 15 tokens or fewer without final punctuation
 * is rare (a truncated crawl ends mid-sentence, but on a long line), and the
 * pipeline ignores SHAPE for a document where it would remove more than
 * half of the tokens, which bounds the damage on texts written without
 * punctuation.
 */
#define SHAPE_MAXTOK 15

/* Prompts ("Follow us on ...") are limited to lines of this many tokens. */
#define PROMPT_MAXTOK 15

/* Unanchored patterns ("All rights reserved", "press Ctrl + Enter") apply to
 * lines of at most this many tokens: a notice, not a paragraph quoting one. */
#define ANYWHERE_MAXTOK 30

/* ---- code points ------------------------------------------------------ */

/* Decode the code point at s[*i..n) and advance *i; an invalid byte reads as
 * U+FFFD and advances by one, so no input can stall a scan. */
static int32_t next_cp(const char *s, size_t n, size_t *i)
{
    if ((unsigned char)s[*i] < 0x80) /* ASCII: most text, no call */
        return (unsigned char)s[(*i)++];
    utf8proc_int32_t cp;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + *i, (utf8proc_ssize_t)(n - *i), &cp);
    if (k <= 0) {
        *i += 1;
        return 0xFFFD;
    }
    *i += (size_t)k;
    return cp;
}

/* Decode the code point that ends at s[*end) and move *end back to its first
 * byte (*end > 0). */
static int32_t prev_cp(const char *s, size_t *end)
{
    size_t b = *end - 1;
    while (b > 0 && *end - b < 4 && ((unsigned char)s[b] & 0xC0) == 0x80)
        b--;
    size_t i = b;
    int32_t cp = next_cp(s, *end, &i);
    if (i != *end) { /* not one well-formed sequence: step back one byte only */
        *end -= 1;
        return 0xFFFD;
    }
    *end = b;
    return cp;
}

/* Letters, marks and digits (general categories L*, M*, N*), as in the tokenizer. */
static int is_word_cp(int32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

/* Invisible code points (soft hyphen, zero-width space...): the tokenizer
 * skips them, and so do the rules here. */
static int is_ignorable_cp(int32_t cp)
{
    if (cp < 0x80) /* no ASCII character is default-ignorable */
        return 0;
    return utf8proc_get_property(cp)->ignorable;
}

static int is_space_cp(int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cp == '\t' || cp == '\n' || cp == '\v' || cp == '\f' || cp == '\r' ||
           cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
           cat == UTF8PROC_CATEGORY_ZP || is_ignorable_cp(cp);
}

/* Closing brackets and quotes (general categories Pe, Pi, Pf, and the ASCII
 * quotes): they may follow the final punctuation of a sentence, as in ."
 * .” ?’ .) 。」, and are looked through. Initial quotes count because
 * German closes with “ and ‘, and Danish with «. */
static int is_closer_cp(int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cp == '"' || cp == '\'' || cat == UTF8PROC_CATEGORY_PE || cat == UTF8PROC_CATEGORY_PI ||
           cat == UTF8PROC_CATEGORY_PF;
}

/* Is cp one of list[0..n)? (The lists below are a dozen entries long.) */
static int cp_in(int32_t cp, const int32_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == cp)
            return 1;
    return 0;
}

/* Punctuation that ends a sentence, in the scripts that mark sentence ends:
 * . ! ? … ‼ ⁇ ⁈ ⁉, ideographic and full-width 。 ｡ ． ！ ？, Arabic question
 * mark ؟ and Urdu full stop ۔, Devanagari danda । and double danda ॥,
 * Armenian full stop ։, Ethiopic full stop ። and question mark ፧, Myanmar
 * section mark ။. */
static const int32_t finals[] = {'.',    '!',    '?',    0x2026, 0x203C, 0x2047, 0x2048,
                                 0x2049, 0x3002, 0xFF61, 0xFF0E, 0xFF01, 0xFF1F, 0x061F,
                                 0x06D4, 0x0964, 0x0965, 0x0589, 0x1362, 0x1367, 0x104B};

/* Punctuation after which the text goes on (the line is part of a sentence):
 * : ; , and full-width ： ； ， 、, Arabic comma ، and semicolon ؛, and the
 * Greek question mark ; (U+037E). */
static const int32_t continuing[] = {':',    ';',    ',',    0xFF1A, 0xFF1B,
                                     0xFF0C, 0x3001, 0x060C, 0x061B, 0x037E};

/* List markers: - * – — • · ▪ ‣ ◦ ► */
static const int32_t bullets[] = {'-',    '*',    0x2013, 0x2014, 0x2022,
                                  0x00B7, 0x25AA, 0x2023, 0x25E6, 0x25BA};

#define CP_IN(cp, list) cp_in((cp), (list), sizeof(list) / sizeof *(list))

/*
 * Does s[0..n) end like (part of) a sentence: its last visible character,
 * looking through trailing spaces and closing quotes and brackets, is final
 * or continuing punctuation?
 */
static int ends_like_sentence(const char *s, size_t n)
{
    size_t e = n;
    while (e > 0) {
        int32_t cp = prev_cp(s, &e);
        if (is_space_cp(cp) || is_closer_cp(cp))
            continue;
        return CP_IN(cp, finals) || CP_IN(cp, continuing);
    }
    return 0;
}

/*
 * Is s[0..n) written mainly in a cased script (Latin, Cyrillic, Greek,
 * Armenian...)? Counts letters with case (Lu, Ll, Lt) against other letters
 * (Lo: Han, kana, Arabic, Hebrew, Indic, Thai...). SHAPE needs this: Thai,
 * Lao and Khmer mark no sentence end at all; in Han and kana text a token is
 * one character, so the token bound of SHAPE means a few words, not a
 * headline; and for the rest we have no evaluation data, so those lines are
 * left to the frequency evidence.
 */
static int mostly_cased(const char *s, size_t n)
{
    size_t cased = 0, other = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp = next_cp(s, n, &i);
        if (cp < 0x80) { /* ASCII: letters are cased, nothing else counts (no call) */
            cased += (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL ||
            cat == UTF8PROC_CATEGORY_LT)
            cased++;
        else if (cat == UTF8PROC_CATEGORY_LO)
            other++;
    }
    return cased > 0 && cased >= other;
}

/*
 * Does s[0..n) start the way a headline, label or masthead starts? Looking
 * through spaces and opening quotes and brackets, the first character must
 * not be
 *   - a lower-case letter: the line continues a sentence (text wrapped at a
 *     fixed width, as in wire copy: "home to Leicester in the quarter-finals"),
 *   - a list marker (- – — • · * ▪ ‣ ◦ ►): an item of a list in the article
 *     body ("- A freeze on petrol duty"), which is content written without
 *     a full stop; bulleted navigation recurs and is left to the frequency
 *     evidence.
 * Headlines start with a capital, a digit ("10 things ...") or a quote.
 */
static int starts_like_heading(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        int32_t cp = next_cp(s, n, &i);
        utf8proc_category_t cat = utf8proc_category(cp);
        if (is_space_cp(cp) || cp == '"' || cp == '\'' || cat == UTF8PROC_CATEGORY_PS ||
            cat == UTF8PROC_CATEGORY_PI)
            continue;
        return !CP_IN(cp, bullets) && cat != UTF8PROC_CATEGORY_LL;
    }
    return 0;
}

/* ---- words ------------------------------------------------------------ */

/*
 * The next word of s[0..n) at or after byte *pos: a run of letters, marks
 * and digits (invisible code points inside do not break it), the runs the
 * tokenizer makes of cased scripts. Sets [*ws, *we) and moves *pos to *we.
 * @return 1, or 0 when there is no further word
 */
static int next_word(const char *s, size_t n, size_t *pos, size_t *ws, size_t *we)
{
    size_t i = *pos, b;
    for (;;) {
        if (i >= n) {
            *pos = n;
            return 0;
        }
        b = i;
        if (is_word_cp(next_cp(s, n, &i)))
            break;
    }
    *ws = b;
    while (i < n) {
        size_t j = i;
        int32_t cp = next_cp(s, n, &j);
        if (!is_word_cp(cp) && !is_ignorable_cp(cp))
            break;
        i = j;
    }
    *we = *pos = i;
    return 1;
}

/* Is the word w[0..wn) the lower-case word p[0..pn), ignoring case and
 * invisible code points? Simple one-to-one case mapping on composed (NFC)
 * text: enough for the patterns, which hold no ß or ligature; a decomposed
 * "é" in the text does not match the pattern's composed one. */
static int word_eq(const char *w, size_t wn, const char *p, size_t pn)
{
    size_t i = 0, j = 0;
    for (;;) {
        int32_t a = -1, b = -1;
        while (i < wn && a < 0) {
            int32_t c = next_cp(w, wn, &i);
            if (!is_ignorable_cp(c))
                a = c;
        }
        if (j < pn)
            b = next_cp(p, pn, &j);
        if (a < 0 || b < 0)
            return a == b;
        if (a != b && utf8proc_tolower(a) != b)
            return 0;
    }
}

/*
 * Are the words of s[0..n) from byte pos on, in order and adjacent (only
 * non-word characters between them), the words of pat (lower case,
 * separated by single spaces)? *after receives the end of the last one.
 */
static int match_words(const char *s, size_t n, size_t pos, const char *pat, size_t *after)
{
    for (;;) {
        const char *sp = strchr(pat, ' ');
        size_t pl = sp ? (size_t)(sp - pat) : strlen(pat);
        size_t ws, we;
        if (!next_word(s, n, &pos, &ws, &we) || !word_eq(s + ws, we - ws, pat, pl))
            return 0;
        if (!sp) {
            *after = we;
            return 1;
        }
        pat = sp + 1;
    }
}

/* Is word w[0..wn) one of the lower-case words in list (NULL-terminated)? */
static int word_in(const char *w, size_t wn, const char *const *list)
{
    for (; *list; list++)
        if (word_eq(w, wn, *list, strlen(*list)))
            return 1;
    return 0;
}

/* Does s[i..n) start, after spaces, with ':' or '：'? */
static int colon_at(const char *s, size_t n, size_t i)
{
    while (i < n) {
        int32_t cp = next_cp(s, n, &i);
        if (!is_space_cp(cp))
            return cp == ':' || cp == 0xFF1A;
    }
    return 0;
}

static int has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n;)
        if (utf8proc_category(next_cp(s, n, &i)) == UTF8PROC_CATEGORY_ND)
            return 1;
    return 0;
}

/* ---- patterns --------------------------------------------------------- */

/* Where a pattern's words must be, and the extra condition it carries. */
enum {
    AT_START = 1, /* the first words of the line */
    ANYWHERE = 2, /* adjacent words anywhere in the line */
    COLON = 4,    /* a ':' follows the words ("Related:", "Photo:") */
    BYLINE = 8,   /* byline: see byline_ok() */
    STAMP = 16,   /* timestamp: see stamp_ok() */
    YEAR = 32     /* copyright: see copyright_ok() */
};

typedef struct pattern {
    const char *words; /* lower-case words separated by single spaces */
    uint8_t flags;     /* AT_START or ANYWHERE, plus conditions above */
    uint8_t maxtok;    /* the pattern applies to lines of at most this many tokens */
} pattern;

/*
 * The built-in list. Each entry is what a site adds around an article in
 * many places, not a phrase of one seed. Prompts sit at the start of short
 * lines (PROMPT_MAXTOK), so "... readers who subscribe to the paper ..."
 * is prose, while "Subscribe to our newsletter" is furniture. Non-English
 * forms are given where a phrase is unambiguous and common (German,
 * French, Spanish, Portuguese, Russian, Ukrainian).
 */
static const pattern patterns[] = {
    /* prompts: join, follow, subscribe, sign up, share, read on, click */
    {"join us", AT_START, PROMPT_MAXTOK}, /* "JOIN US ON TELEGRAM" */
    {"join our", AT_START, PROMPT_MAXTOK},
    {"follow us", AT_START, PROMPT_MAXTOK},
    {"follow our", AT_START, PROMPT_MAXTOK}, /* "Follow our coverage of ... on ..." */
    {"subscribe", AT_START, PROMPT_MAXTOK},
    {"sign up", AT_START, PROMPT_MAXTOK},
    {"share this", AT_START, PROMPT_MAXTOK},
    {"share on", AT_START, PROMPT_MAXTOK},
    {"read more", AT_START, PROMPT_MAXTOK},
    {"read also", AT_START, PROMPT_MAXTOK},
    {"see also", AT_START, PROMPT_MAXTOK},
    {"click here", AT_START, PROMPT_MAXTOK},
    {"lesen sie auch", AT_START, PROMPT_MAXTOK},
    {"lire aussi", AT_START, PROMPT_MAXTOK},
    {"lee también", AT_START, PROMPT_MAXTOK},
    {"leia também", AT_START, PROMPT_MAXTOK},
    {"читайте также", AT_START, PROMPT_MAXTOK},
    {"читайте також", AT_START, PROMPT_MAXTOK},
    {"advertisement", AT_START, 6}, /* "ADVERTISEMENT", "Advertisement - scroll to continue" */
    /* blocks of related links */
    {"related", AT_START | COLON, PROMPT_MAXTOK},
    {"related articles", AT_START, PROMPT_MAXTOK},
    {"related stories", AT_START, PROMPT_MAXTOK},
    {"related news", AT_START, PROMPT_MAXTOK},
    {"related content", AT_START, PROMPT_MAXTOK},
    {"related coverage", AT_START, PROMPT_MAXTOK},
    {"related topics", AT_START, PROMPT_MAXTOK},
    {"more on this story", AT_START, PROMPT_MAXTOK},
    /* "Found a mistake? Highlight the text and press Ctrl + Enter" */
    {"ctrl enter", ANYWHERE, ANYWHERE_MAXTOK},
    /* cookie notices run long: up to 40 tokens */
    {"we use cookies", AT_START, 40},
    {"this site uses cookies", AT_START, 40},
    {"this website uses cookies", AT_START, 40},
    {"our site uses cookies", AT_START, 40},
    {"our website uses cookies", AT_START, 40},
    {"cookie policy", AT_START, 40},
    {"cookie settings", AT_START, 40},
    {"accept cookies", AT_START, 40},
    {"accept all cookies", AT_START, 40},
    /* copyright ("©" is tested separately: it is not a word) */
    {"all rights reserved", ANYWHERE, ANYWHERE_MAXTOK},
    {"tous droits réservés", ANYWHERE, ANYWHERE_MAXTOK},
    {"alle rechte vorbehalten", ANYWHERE, ANYWHERE_MAXTOK},
    {"todos los derechos reservados", ANYWHERE, ANYWHERE_MAXTOK},
    {"все права защищены", ANYWHERE, ANYWHERE_MAXTOK},
    {"всі права захищені", ANYWHERE, ANYWHERE_MAXTOK},
    {"copyright", AT_START | YEAR, 30},
    /* photo credits in their own line: "Photo: Reuters", "Image: Getty" */
    {"photo", AT_START | COLON, 20},
    {"photos", AT_START | COLON, 20},
    {"image", AT_START | COLON, 20},
    {"picture", AT_START | COLON, 20},
    {"credit", AT_START | COLON, 20},
    /* bylines: "By contributor Hyung-Jin Kim, AP", "BY JANE DOE", "Von Max Muster" */
    {"by", AT_START | BYLINE, 8},
    {"von", AT_START | BYLINE, 8},
    {"par", AT_START | BYLINE, 8},
    {"por", AT_START | BYLINE, 8},
    /* timestamps: "Published", "Updated 21 March 2025, 10:04 GMT" */
    {"published", AT_START | STAMP, 12},
    {"first published", AT_START | STAMP, 12},
    {"updated", AT_START | STAMP, 12},
    {"last updated", AT_START | STAMP, 12},
    {"posted", AT_START | STAMP, 12},
    {"publié", AT_START | STAMP, 12},
    {"mis à jour", AT_START | STAMP, 12},
    {"veröffentlicht", AT_START | STAMP, 12},
    {"aktualisiert", AT_START | STAMP, 12},
    {"опубликовано", AT_START | STAMP, 12},
    {"обновлено", AT_START | STAMP, 12},
};

#define NPATTERNS (sizeof patterns / sizeof *patterns)
_Static_assert(NPATTERNS <= 256, "anywhere[] holds pattern numbers in a byte");

/* The first code point of each pattern, and the ANYWHERE patterns, found once
 * (they were looked up for every pattern at every word: 9% of a scan). */
static int32_t first_cp[NPATTERNS];
static uint8_t anywhere[NPATTERNS];
static size_t nanywhere;
/* ASCII letters an ANYWHERE pattern starts with: a word starting with another
 * ASCII character is passed over at once (the per-word look-up was half of the
 * furniture rules' time on wrapped wire copy, 4.8% of a full scan). */
static uint8_t anywhere_ascii[128];
/*
 * A line in ASCII can hold an ANYWHERE pattern only if it holds each pair of
 * adjacent letters of the pattern's words (case aside): pairs are hashed to
 * one bit of 64 (pair_bit, by letter numbers 1-26; 0 is no letter), and a
 * pattern needs all the bits of its pairs (pairs_of; 0 for a pattern not in
 * ASCII, which no ASCII line holds). A line of ten words sets about half of
 * the bits, so a pattern of seven pairs passes about one line in a hundred.
 * Trying the patterns word by word on every short line was 4.4% of the
 * default scan's CPU samples on the news corpus (wire copy is hard-wrapped:
 * every line is short enough), 1.5 ns a byte; this mask is one table look-up
 * a byte.
 */
/* The AT_START patterns by the first letter of their words: those of ASCII
 * letter c are start_list[start_from[c] .. start_from[c + 1]), the others
 * (Cyrillic...) those of 128. Trying each pattern on each line was 1.4% of the
 * default scan's CPU samples on the news corpus. */
static uint8_t start_list[NPATTERNS];
static size_t start_from[130];
static uint8_t letter_no[256];
static uint64_t pair_bit[27][27];
static uint64_t pairs_of[NPATTERNS];
static pthread_once_t patterns_once = PTHREAD_ONCE_INIT;

/* The pair bits of the letters of s[0..n); *ascii: whether s is all ASCII. */
static uint64_t letter_pairs(const char *s, size_t n, int *ascii)
{
    uint64_t m = 0;
    unsigned prev = 0, high = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        unsigned l = letter_no[ch];
        m |= pair_bit[prev][l];
        prev = l;
        high |= ch;
    }
    *ascii = high < 0x80;
    return m;
}

static void patterns_init(void)
{
    for (unsigned c = 'a'; c <= 'z'; c++)
        letter_no[c] = letter_no[c - 'a' + 'A'] = (uint8_t)(c - 'a' + 1);
    for (unsigned a = 1; a < 27; a++)
        for (unsigned b = 1; b < 27; b++)
            pair_bit[a][b] = 1ULL << (((a * 27 + b) * 2654435761U) >> 26);
    for (size_t i = 0; i < NPATTERNS; i++) {
        size_t k = 0;
        first_cp[i] = next_cp(patterns[i].words, strlen(patterns[i].words), &k);
        if (patterns[i].flags & AT_START)
            start_from[(first_cp[i] < 0x80 ? first_cp[i] : 0x80) + 1]++;
        if (patterns[i].flags & ANYWHERE) {
            anywhere[nanywhere++] = (uint8_t)i;
            if (first_cp[i] >= 0 && first_cp[i] < 0x80)
                anywhere_ascii[first_cp[i]] = 1;
            int ascii;
            uint64_t m = letter_pairs(patterns[i].words, strlen(patterns[i].words), &ascii);
            pairs_of[i] = ascii ? m : 0;
        }
    }
    for (size_t b = 1; b < 130; b++)
        start_from[b] += start_from[b - 1];
    size_t fill[129];
    memcpy(fill, start_from, sizeof fill);
    for (size_t i = 0; i < NPATTERNS; i++)
        if (patterns[i].flags & AT_START)
            start_list[fill[first_cp[i] < 0x80 ? first_cp[i] : 0x80]++] = (uint8_t)i;
}

/*
 * A byline names people, not events: it does not end like a sentence, and
 * the word after "By" is capitalised (a name, "The Associated Press") or
 * one of a few lower-case words bylines use. "By March 14, the office
 * reported ..." is a long sentence and fails the token bound; "By the way"
 * fails the capital.
 */
static int byline_ok(const char *s, size_t n, size_t after)
{
    static const char *const lower[] = {"contributor", "staff", "our", "the", NULL};
    size_t pos = after, ws, we;
    if (ends_like_sentence(s, n) || !next_word(s, n, &pos, &ws, &we))
        return 0;
    size_t i = ws;
    utf8proc_category_t cat = utf8proc_category(next_cp(s, n, &i));
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT ||
           word_in(s + ws, we - ws, lower);
}

/*
 * A timestamp line is the word alone ("Published"), or carries a date or
 * time (a digit), or is not a sentence ("Updated on Friday"). "Posted guards
 * stood at the gate." is a sentence without digits and stays prose.
 */
static int stamp_ok(const char *s, size_t n, size_t after)
{
    size_t pos = after, ws, we;
    return !next_word(s, n, &pos, &ws, &we) || has_digit(s, n) || !ends_like_sentence(s, n);
}

/*
 * "Copyright 2025 The Associated Press", "Copyright © 2025", "Copyright (c)
 * 2025 ...": a year follows (after an optional "c"), or the line is no
 * sentence. "Copyright law changed in 2019." does not qualify.
 */
static int copyright_ok(const char *s, size_t n, size_t after)
{
    size_t pos = after, ws, we;
    if (!ends_like_sentence(s, n))
        return 1;
    if (!next_word(s, n, &pos, &ws, &we))
        return 0;
    if (word_eq(s + ws, we - ws, "c", 1) && !next_word(s, n, &pos, &ws, &we))
        return 0;
    if (we - ws != 4)
        return 0;
    for (size_t i = ws; i < we; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/*
 * Does an ANYWHERE pattern match the line s[0..n) of ntok tokens? A line in
 * ASCII without the letter pairs of any pattern does not; otherwise one pass
 * over the words: a pattern is tried only at a word with its first letter.
 */
static int anywhere_matches(const char *s, size_t n, size_t ntok)
{
    int ascii, maybe = 0;
    uint64_t m = letter_pairs(s, n, &ascii);
    for (size_t a = 0; a < nanywhere && ascii && !maybe; a++)
        maybe = pairs_of[anywhere[a]] && (m & pairs_of[anywhere[a]]) == pairs_of[anywhere[a]];
    if (ascii && !maybe)
        return 0;
    size_t pos = 0, ws, we, after;
    while (next_word(s, n, &pos, &ws, &we)) {
        size_t k = ws;
        int32_t c = next_cp(s, n, &k);
        if (c < 0x80) { /* ASCII: lower case at hand, and most words ruled out */
            c = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
            if (!anywhere_ascii[c])
                continue;
        } else {
            c = utf8proc_tolower(c);
        }
        for (size_t a = 0; a < nanywhere; a++) {
            const pattern *p = &patterns[anywhere[a]];
            if (ntok <= p->maxtok && first_cp[anywhere[a]] == c &&
                match_words(s, n, ws, p->words, &after))
                return 1;
        }
    }
    return 0;
}

/*
 * Does pattern i match the line s[0..n) of ntok tokens? c0 is the first
 * code point of the line's first word, lower-cased, and fw the byte where
 * that word starts (c0 = -1 when the line has no word, or when the word
 * starts with a lower-case letter: such a line continues a sentence wrapped
 * at a fixed width, "published today, said there were no plans ...", and
 * the prompts, bylines and stamps anchored at the start are capitalised).
 * Comparing c0 first rejects almost every anchored pattern at once.
 */
static int pattern_matches(size_t i, const char *s, size_t n, size_t ntok, int32_t c0, size_t fw)
{
    const pattern *p = &patterns[i];
    size_t after = 0;
    if (ntok > p->maxtok)
        return 0;
    assert(p->flags & AT_START);
    if (c0 < 0 || first_cp[i] != c0 || !match_words(s, n, fw, p->words, &after))
        return 0;
    if ((p->flags & COLON) && !colon_at(s, n, after))
        return 0;
    if ((p->flags & BYLINE) && !byline_ok(s, n, after))
        return 0;
    if ((p->flags & STAMP) && !stamp_ok(s, n, after))
        return 0;
    if ((p->flags & YEAR) && !copyright_ok(s, n, after))
        return 0;
    return 1;
}

/* "©" anywhere in a short line: a copyright notice. */
static int has_copyright_sign(const char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++)
        if ((unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA9)
            return 1;
    return 0;
}

/*
 * A photo caption with its credit: the line ends with a parenthesised group
 * (no punctuation after it, so "... the Associated Press (AP)." is prose)
 * of at most 15 words that starts with a credit word ("(Photo: ...)",
 * "(File)") or contains "via" or an agency name: "(Korean Central News
 * Agency/Korea News Service via AP)", "(AP Photo/Ahn Young-joon)",
 * "(Getty Images)", "(Reuters)".
 */
static int caption_credit(const char *s, size_t n)
{
    static const char *const first[] = {"photo",  "photos", "photograph", "picture",      "image",
                                        "images", "credit", "file",       "illustration", NULL};
    static const char *const any[] = {"via",          "ap",    "afp",    "reuters", "getty", "epa",
                                      "shutterstock", "alamy", "xinhua", "yonhap",  NULL};
    size_t e = n;
    while (e > 0) {
        size_t b = e;
        int32_t cp = prev_cp(s, &b);
        if (!is_space_cp(cp))
            break;
        e = b;
    }
    if (e == 0 || s[e - 1] != ')')
        return 0;
    size_t open = e - 1;
    while (open > 0 && s[open - 1] != '(' && s[open - 1] != ')')
        open--;
    if (open == 0 || s[open - 1] != '(')
        return 0;
    size_t pos = open, ws, we, nw = 0;
    int credit = 0;
    while (next_word(s, e - 1, &pos, &ws, &we)) {
        nw++;
        if ((nw == 1 && word_in(s + ws, we - ws, first)) || word_in(s + ws, we - ws, any))
            credit = 1;
    }
    return credit && nw <= 15;
}

rpi_furn_kind rpi_furniture_line(const char *line, size_t n, size_t ntok)
{
    /* Furniture is about excluding tokens: a line without any is left alone. */
    if (ntok == 0 || n == 0)
        return RPI_FURN_NONE;
    size_t pos = 0, fw = 0, fe, k;
    int32_t c0 = -1;
    if (next_word(line, n, &pos, &fw, &fe)) {
        k = fw;
        c0 = next_cp(line, n, &k);
        c0 = utf8proc_category(c0) == UTF8PROC_CATEGORY_LL ? -1 : utf8proc_tolower(c0);
    }
    pthread_once(&patterns_once, patterns_init);
    if (c0 >= 0) {
        size_t b = c0 < 0x80 ? (size_t)c0 : 0x80;
        for (size_t j = start_from[b]; j < start_from[b + 1]; j++)
            if (pattern_matches(start_list[j], line, n, ntok, c0, fw))
                return RPI_FURN_PATTERN;
    }
    if (ntok <= ANYWHERE_MAXTOK && anywhere_matches(line, n, ntok))
        return RPI_FURN_PATTERN;
    if (ntok <= ANYWHERE_MAXTOK && has_copyright_sign(line, n))
        return RPI_FURN_PATTERN;
    if (ntok <= 60 && caption_credit(line, n))
        return RPI_FURN_PATTERN;
    if (ntok <= SHAPE_MAXTOK && !ends_like_sentence(line, n) && starts_like_heading(line, n) &&
        mostly_cased(line, n))
        return RPI_FURN_SHAPE;
    return RPI_FURN_NONE;
}

/* ---- lines ------------------------------------------------------------ */

/* Hash of the token hashes tok[0..n): see LINE_SEED. */
static uint64_t line_hash(const rpi_token *tok, size_t n)
{
    unsigned char buf[8 * HASH_CHUNK];
    uint64_t h = LINE_SEED;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i += HASH_CHUNK) {
        size_t k = n - i < HASH_CHUNK ? n - i : HASH_CHUNK;
        for (size_t j = 0; j < k; j++) {
            uint64_t v = tok[i + j].hash;
            for (int b = 0; b < 8; b++)
                buf[8 * j + (size_t)b] = (unsigned char)(v >> (8 * b));
        }
        h = rpi_hash64(buf, 8 * k, h);
    }
    return h ? h : 1;
}

/* Append the line text[start..end) with the tokens from *j that start in it. */
static int push_line(size_t start, size_t end, const rpi_token *tok, size_t ntok, size_t *j,
                     rpi_line **lines, size_t *nlines, size_t *cap)
{
    RP_TRY(rpi_grow((void **)lines, cap, *nlines + 1, sizeof **lines));
    size_t t0 = *j;
    while (*j < ntok && tok[*j].start < end)
        (*j)++;
    /* Line breaks separate tokens, so a token never runs past its line. */
    assert(t0 == *j || (tok[t0].start >= start && tok[*j - 1].end <= end));
    (*lines)[(*nlines)++] = (rpi_line){(uint32_t)start, (uint32_t)end, (uint32_t)t0, (uint32_t)*j,
                                       line_hash(tok + t0, *j - t0)};
    return RP_OK;
}

/*
 * First index >= i of text s[0..len) that may start a line break: a byte
 * below 0x0E (LF and CR among them) or 0xE2. Eight bytes at a time (the
 * classic "has zero byte" and "has byte less than" word tricks, which are
 * exact about whether some byte qualifies); the scan was the largest cost
 * of rpi_lines byte by byte.
 */
static size_t skip_plain(const unsigned char *s, size_t i, size_t len)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (i + 8 <= len) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        uint64_t e2 = x ^ (0xE2 * ones);
        if (((x - 0x0E * ones) & ~x & highs) | ((e2 - ones) & ~e2 & highs))
            break;
        i += 8;
    }
    while (i < len && s[i] >= 0x0E && s[i] != 0xE2)
        i++;
    return i;
}

/*
 * One pass over the bytes. The only multi-byte breaks, U+2028 and U+2029,
 * are E2 80 A8 and E2 80 A9 in UTF-8, and 0xE2 never occurs inside another
 * character's encoding, so no decoding is needed. A break at the very end
 * does not open an empty last line ("a\n" is one line, as in POSIX), but
 * two breaks in a row do make an empty line between them.
 */
int rpi_lines(const char *text, size_t len, const rpi_token *tok, size_t ntok, rpi_line **lines,
              size_t *nlines, size_t *cap)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t start = 0, j = 0, i = 0;
    assert(len <= UINT32_MAX);
    *nlines = 0;
    while (i < len) {
        size_t brk = 0;
        i = skip_plain(s, i, len);
        if (i >= len)
            break;
        if (s[i] == '\n')
            brk = 1;
        else if (s[i] == '\r')
            brk = i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
        else if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 &&
                 (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
            brk = 3;
        if (!brk) {
            i++;
            continue;
        }
        RP_TRY(push_line(start, i, tok, ntok, &j, lines, nlines, cap));
        i += brk;
        start = i;
    }
    if (start < len)
        RP_TRY(push_line(start, len, tok, ntok, &j, lines, nlines, cap));
    assert(j == ntok);
    return RP_OK;
}

const char *rpi_furn_name(rpi_furn_kind k)
{
    static const char *names[] = {"none", "pattern", "shape", "common", "source"};
    return (unsigned)k < 5 ? names[k] : "none";
}
