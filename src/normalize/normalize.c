/* SPDX-License-Identifier: MIT */
/*
 * normalize.c -- Unicode-correct tokenizer (see normalize.h for the rules).
 *
 * Two paths give the same tokens by construction:
 *   - a run of ASCII letters and digits is lower-cased byte by byte through
 *     a table (NFKC leaves ASCII alone and case folding of ASCII is tolower);
 *   - any run holding a non-ASCII code point goes through utf8proc
 *     (decompose with COMPAT|CASEFOLD, then compose = NFKC_Casefold), and the
 *     result is split again, since compatibility mappings can introduce
 *     separators (U+00BD VULGAR FRACTION ONE HALF becomes "1", U+2044, "2").
 * Tokens split from one run share the run's original byte range.
 * tests/unit/test_normalize.c checks the two paths agree.
 */
#include "normalize.h"

#include <pthread.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <string.h>
#include <utf8proc.h>
/* Inline xxHash (the same library, compiled into this file): token hashing was
 * 15% of a whole run in the first profile, as a call into the shared library;
 * inlined, XXH3 is specialised for the fixed 16-byte length used below. */
#define XXH_INLINE_ALL
#include <xxhash.h>

/* Letters, marks and digits of any script (general categories L*, M*, N*). */
static int is_word_cp(int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

/* Default-ignorable code points (soft hyphen, zero-width space and joiners,
 * variation selectors...): invisible, so they neither split nor make words. */
static int is_ignorable_cp(int32_t cp)
{
    return utf8proc_get_property(cp)->ignorable;
}

static int is_mark_cp(int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

/* A decimal digit of any script as its ASCII digit ("١٣٥٩" is "1359", as
 * search engines fold digits: Unicode TR 30's digit folding), other code
 * points as they are. Unicode puts each script's digits 0 to 9 in a run of
 * ten code points, but for the mathematical digits (bold, double-struck,
 * sans-serif...: five runs of ten in one block of 50). NFKC maps those and
 * fullwidth digits to ASCII for the tokens; figures read the text as written. */
int32_t rpi_ascii_digit(int32_t cp)
{
    if (cp < 0x80 || utf8proc_category(cp) != UTF8PROC_CATEGORY_ND)
        return cp;
    if (cp >= 0x1D7CE && cp <= 0x1D7FF) /* the mathematical digits: five runs of ten */
        return '0' + (cp - 0x1D7CE) % 10;
    int32_t zero = cp;
    while (cp - zero < 9 && utf8proc_category(zero - 1) == UTF8PROC_CATEGORY_ND)
        zero--;
    return '0' + (cp - zero) % 10;
}

/* Scripts written without spaces between words: one token per character. */
int rpi_is_nospace_cp(int32_t cp)
{
    return (cp >= 0x0E00 && cp <= 0x0EFF) /* Thai, Lao */
           || (cp >= 0x1000 && cp <= 0x109F) /* Myanmar */
           || (cp >= 0x1780 && cp <= 0x17FF) /* Khmer */
           || (cp >= 0x2E80 && cp <= 0x2FDF) /* CJK radicals */
           || (cp >= 0x3005 && cp <= 0x3007) /* ideographic iteration marks, zero */
           || (cp >= 0x3040 && cp <= 0x312F) /* Hiragana, Katakana, Bopomofo */
           || (cp >= 0x31F0 && cp <= 0x31FF) /* Katakana extensions */
           || (cp >= 0x3400 && cp <= 0x4DBF) /* CJK extension A */
           || (cp >= 0x4E00 && cp <= 0x9FFF) /* CJK unified ideographs */
           || (cp >= 0xF900 && cp <= 0xFAFF) /* CJK compatibility ideographs */
           || (cp >= 0xFF66 && cp <= 0xFF9F) /* halfwidth Katakana */
           || (cp >= 0x20000 && cp <= 0x3134F); /* CJK extensions B..G */
}

/*
 * Token hash. A token of at most 16 bytes is hashed as 16 bytes, zero-padded,
 * with its length added to the seed; a longer one as itself. Tokens never
 * hold a NUL byte, so this is a one-to-one encoding, and it lets XXH3 take
 * its one fixed 9-16 byte path for nearly every word instead of a length
 * dispatch that mispredicts on every other token.
 * rpi_token_hash_fast does the same from p with 16 readable bytes at p.
 */
uint64_t rpi_token_hash(const void *p, size_t n)
{
    if (n > 16)
        return XXH3_64bits_withSeed(p, n, RPI_TOKEN_SEED);
    unsigned char b[16] = {0};
    memcpy(b, p, n);
    return XXH3_64bits_withSeed(b, 16, RPI_TOKEN_SEED + n);
}

static inline __attribute__((always_inline)) uint64_t token_hash_fast(const char *p, size_t n)
{
#if defined(__SSE2__)
    if (n <= 16) {
        static const char idx[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i keep = _mm_cmplt_epi8(_mm_loadu_si128((const __m128i *)(const void *)idx),
                                      _mm_set1_epi8((char)n));
        unsigned char b[16];
        _mm_storeu_si128((__m128i *)(void *)b, _mm_and_si128(v, keep));
        return XXH3_64bits_withSeed(b, 16, RPI_TOKEN_SEED + n);
    }
#endif
    return rpi_token_hash(p, n);
}

/* Append a token with hash h; p[0..n) are its normalised bytes. */
static inline __attribute__((always_inline)) int push(rpi_tokctx *ctx, uint64_t h, const char *p,
                                                     size_t n, size_t start, size_t end,
                                                     rpi_buf *strings)
{
    if (strings) {
        if (strings->len)
            RP_TRY(rpi_buf_putc(strings, ' '));
        RP_TRY(rpi_buf_append(strings, p, n));
    }
    if (ctx->ntok == ctx->captok)
        RP_TRY(rpi_grow((void **)&ctx->tok, &ctx->captok, ctx->ntok + 1, sizeof *ctx->tok));
    rpi_token *t = &ctx->tok[ctx->ntok++];
    t->hash = h;
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    return RP_OK;
}

/* A token whose normalised bytes p[0..n) have 16 readable bytes. */
static inline __attribute__((always_inline)) int emit_fast(rpi_tokctx *ctx, const char *p,
                                                          size_t n, size_t start, size_t end,
                                                          rpi_buf *strings)
{
    return push(ctx, token_hash_fast(p, n), p, n, start, end, strings);
}

static int emit(rpi_tokctx *ctx, const char *p, size_t n, size_t start, size_t end,
                rpi_buf *strings)
{
    return n ? push(ctx, rpi_token_hash(p, n), p, n, start, end, strings) : RP_OK;
}

/* Map the run text[s..e) to NFKC_Casefold and emit the tokens in it. */
static int emit_unicode_run(rpi_tokctx *ctx, const char *text, size_t s, size_t e,
                            rpi_buf *strings)
{
    /* COMPOSE here makes utf8proc decompose at all (as utf8proc_map does). */
    const int opts = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE |
                     UTF8PROC_IGNORE; /* drop default-ignorables, as NFKC_Casefold does */
    utf8proc_ssize_t n;
    for (;;) {
        n = utf8proc_decompose((const utf8proc_uint8_t *)text + s, (utf8proc_ssize_t)(e - s),
                               ctx->cps, (utf8proc_ssize_t)ctx->capcps, opts);
        if (n < 0)
            return RP_EINTERNAL; /* the run was validated by the caller */
        if ((size_t)n <= ctx->capcps)
            break;
        RP_TRY(rpi_grow((void **)&ctx->cps, &ctx->capcps, (size_t)n, sizeof *ctx->cps));
    }
    n = utf8proc_normalize_utf32(ctx->cps, n, opts | UTF8PROC_COMPOSE);
    if (n < 0)
        return RP_EINTERNAL;
    ctx->word.len = 0;
    int after_nospace = 0; /* the word so far ends in a no-space-script character */
    for (utf8proc_ssize_t i = 0; i < n; i++) {
        int32_t cp = ctx->cps[i];
        int word = is_word_cp(cp), mark = word && is_mark_cp(cp);
        /* A word ends at a separator; a no-space-script character stands
         * alone (with its marks), also where a compatibility mapping made it. */
        if (!word || (!mark && ((rpi_is_nospace_cp(cp) && ctx->word.len) || after_nospace))) {
            RP_TRY(emit(ctx, ctx->word.data, ctx->word.len, s, e, strings));
            ctx->word.len = 0;
            after_nospace = 0;
        }
        if (!word || (mark && ctx->word.len == 0))
            continue; /* a mark with no base character is dropped, as a separator */
        if (!mark)
            after_nospace = rpi_is_nospace_cp(cp);
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t k = utf8proc_encode_char(rpi_ascii_digit(cp), enc);
        RP_TRY(rpi_buf_append(&ctx->word, enc, (size_t)k));
    }
    RP_TRY(emit(ctx, ctx->word.data, ctx->word.len, s, e, strings));
    ctx->word.len = 0;
    return RP_OK;
}

static int ascii_word(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

int rpi_decode(const char *text, size_t len, size_t i, int32_t *cp)
{
    unsigned char ch = (unsigned char)text[i];
    if (ch < 0x80) {
        *cp = ch;
        return ch == 0 ? -1 : 1;
    }
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                          (utf8proc_ssize_t)(len - i), cp);
    return k < 0 ? -1 : (int)k;
}

/* Byte classes of the ASCII fast path. */
enum { C_SEP = 0, C_WORD = 1, C_SLOW = 2 };

static unsigned char g_cls[256]; /* C_* of each byte */
static unsigned char g_lower[256]; /* ASCII lower case of each byte */

static void init_tables(void)
{
    for (int c = 0; c < 256; c++) {
        g_cls[c] = c == 0 || c >= 0x80 ? C_SLOW : ascii_word((unsigned char)c) ? C_WORD : C_SEP;
        g_lower[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
}

/*
 * Lower-case the ASCII letters and digits p[0..n) into dst (capacity n + 8),
 * eight bytes at a time: a byte gets 0x20 added when it is in 'A'..'Z'.
 */
static const char *lower_ascii(char *dst, const unsigned char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        /* high bit of each byte: byte >= 'A' and byte <= 'Z' (bytes are < 0x80) */
        uint64_t ge = (w + ones * (0x80 - 'A')) & high;
        uint64_t le = (~(w + ones * (0x7F - 'Z'))) & high;
        w |= (ge & le) >> 2;
        memcpy(dst + i, &w, 8);
    }
    for (; i < n; i++)
        dst[i] = (char)g_lower[p[i]];
    return dst;
}

/*
 * One scalar step at *pi: skip separators, then tokenize one run of word
 * code points (any script). Used where a 64-byte block holds non-ASCII or
 * NUL bytes, for words longer than a block, and at the end of the text.
 */
static int scalar_step(rpi_tokctx *ctx, const unsigned char *u, size_t len, size_t *pi,
                       size_t *bad_off, rpi_buf *strings)
{
    const char *text = (const char *)u;
    size_t i = *pi;
    int32_t cp;
    int k = 0;
    while (i < len) {
        unsigned char cl = g_cls[u[i]];
        if (cl == C_WORD)
            break;
        if (cl == C_SEP) {
            i++;
            continue;
        }
        k = rpi_decode(text, len, i, &cp);
        if (k < 0) {
            *bad_off = i;
            return RP_EBADINPUT;
        }
        if (is_word_cp(cp) && !is_mark_cp(cp))
            break; /* a combining mark after a separator has no base: a separator too */
        i += (size_t)k;
    }
    if (i >= len) {
        *pi = i;
        return RP_OK;
    }
    /* A run of word code points; a no-space-script character stands alone. */
    size_t s = i;
    int ascii = 1;
    int nospace = 0;
    while (i < len && g_cls[u[i]] == C_WORD)
        i++; /* the common case: a whole ASCII word */
    while (i < len) {
        unsigned char cl = g_cls[u[i]];
        if (cl == C_WORD) {
            if (nospace)
                break;
            i++;
            continue;
        }
        if (cl == C_SEP)
            break;
        k = rpi_decode(text, len, i, &cp);
        if (k < 0) {
            *bad_off = i;
            return RP_EBADINPUT;
        }
        if (!is_word_cp(cp)) {
            if (!is_ignorable_cp(cp))
                break;
            ascii = 0; /* "co\u00ADoperate" is one run, mapped to "cooperate" */
            i += (size_t)k;
            continue;
        }
        if (nospace && !is_mark_cp(cp))
            break;
        if (rpi_is_nospace_cp(cp) && !is_mark_cp(cp)) {
            if (i > s)
                break;
            nospace = 1;
        }
        ascii = 0;
        i += (size_t)k;
    }
    *pi = i;
    if (ascii && !ctx->force_slow)
        return emit_fast(ctx, lower_ascii(ctx->low + s, u + s, i - s), i - s, s, i, strings);
    return emit_unicode_run(ctx, text, s, i, strings);
}

/*
 * Masks of the 64 bytes at p: bit j of *word is set when p[j] is an ASCII
 * letter or digit, of *slow when p[j] is NUL or not ASCII. With SSE2 (every
 * x86-64) four 16-byte compares; elsewhere a table loop.
 */
static void block_masks(const unsigned char *p, char *low, uint64_t *word, uint64_t *slow)
{
#if defined(__SSE2__)
    uint64_t w = 0, sl = 0;
    const __m128i zero = _mm_setzero_si128(), b20 = _mm_set1_epi8(0x20);
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        __m128i lc = _mm_or_si128(v, b20);
        /* Signed compares: bytes >= 0x80 are negative and fall outside both ranges. */
        __m128i dig = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                    _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
        __m128i alp = _mm_and_si128(_mm_cmpgt_epi8(lc, _mm_set1_epi8('a' - 1)),
                                    _mm_cmplt_epi8(lc, _mm_set1_epi8('z' + 1)));
        unsigned mw = (unsigned)_mm_movemask_epi8(_mm_or_si128(dig, alp));
        unsigned ms = (unsigned)_mm_movemask_epi8(v) |
                      (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
        /* Lower case: add 0x20 to 'A'..'Z' (alp minus the already-lower ones). */
        __m128i up = _mm_andnot_si128(_mm_cmpeq_epi8(lc, v), alp);
        _mm_storeu_si128((__m128i *)(void *)(low + 16 * k),
                         _mm_add_epi8(v, _mm_and_si128(up, b20)));
        w |= (uint64_t)mw << (16 * k);
        sl |= (uint64_t)ms << (16 * k);
    }
    *word = w;
    *slow = sl;
#else
    uint64_t w = 0, sl = 0;
    for (int j = 0; j < 64; j++) {
        low[j] = (char)g_lower[p[j]];
        w |= (uint64_t)(g_cls[p[j]] == C_WORD) << j;
        sl |= (uint64_t)(g_cls[p[j]] == C_SLOW) << j;
    }
    *word = w;
    *slow = sl;
#endif
}

/*
 * The tokenizer. Pure-ASCII stretches go 64 bytes at a time: the word mask
 * gives every token boundary at once (runs of set bits), so there is no
 * branch per byte. With the fixed-width token hash (rpi_token_hash) this
 * took the tokenizer from 170 MB/s (a byte-at-a-time loop, about the speed of
 * `wc -w` here) to 540-630 MB/s on one core on the benchmark corpus
 * (bench/bench_scan stage split; best of several runs on a noisy machine).
 * Runs still open at the end of a block, and blocks with non-ASCII bytes, go
 * to scalar_step.
 */
static int tokenize_impl(rpi_tokctx *ctx, const char *text, size_t len, size_t *bad_off,
                         rpi_buf *strings)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_tables);
    const unsigned char *u = (const unsigned char *)text;
    ctx->ntok = 0;
    /* Most texts need fewer than one token per 4 bytes: reserve that once. */
    RP_TRY(rpi_grow((void **)&ctx->tok, &ctx->captok, len / 4 + 16, sizeof *ctx->tok));
    RP_TRY(rpi_grow((void **)&ctx->low, &ctx->caplow, len + 64, 1));
    size_t i = 0;
    while (i < len) {
        if (i + 64 <= len && !ctx->force_slow) {
            uint64_t wm, sm;
            block_masks(u + i, ctx->low + i, &wm, &sm);
            if (sm == 0 && ~wm != 0) {
                size_t used = 64;
                if (wm >> 63) { /* a run reaches the block's end: leave it for later */
                    int hz = 63 - __builtin_clzll(~wm); /* highest separator */
                    used = (size_t)hz + 1;
                    wm &= ((uint64_t)1 << used) - 1;
                }
                while (wm) {
                    int st = __builtin_ctzll(wm);
                    int ln = __builtin_ctzll(~(wm >> st)); /* closed: a 0 bit follows */
                    size_t s = i + (size_t)st;
                    RP_TRY(emit_fast(ctx, ctx->low + s, (size_t)ln, s, s + (size_t)ln, strings));
                    wm &= ~((((uint64_t)1 << ln) - 1) << st);
                }
                i += used;
                continue;
            }
        }
        RP_TRY(scalar_step(ctx, u, len, &i, bad_off, strings));
    }
    return RP_OK;
}

int rpi_tokenize(rpi_tokctx *ctx, const char *text, size_t len, size_t *bad_off)
{
    if (len > UINT32_MAX)
        return RP_EINVAL;
    return tokenize_impl(ctx, text, len, bad_off, NULL);
}

int rpi_normalize_string(rpi_tokctx *ctx, const char *text, size_t len, rpi_buf *out,
                         size_t *bad_off)
{
    if (len > UINT32_MAX)
        return RP_EINVAL;
    out->len = 0;
    RP_TRY(rpi_buf_append(out, "", 0));
    return tokenize_impl(ctx, text, len, bad_off, out);
}

void rpi_tokctx_free(rpi_tokctx *ctx)
{
    rpi_free(ctx->tok);
    rpi_free(ctx->cps);
    rpi_buf_free(&ctx->word);
    rpi_free(ctx->low);
    memset(ctx, 0, sizeof *ctx);
}

/*
 * Stems for content similarity: the first RPI_STEM_CPS code points of a word
 * once decomposed (compatibility), case-folded and stripped of marks (accents and
 * vowel signs: "México" and "Mexico" are one stem). Truncation is the stemmer that
 * needs no word list: it folds inflections in the languages news is written
 * in (Turkish, Polish, German, Spanish: "regierung"/"regierungsbündnis",
 * "koronavirüs"/"koronavirüsten") at the cost of joining some unrelated
 * words that share a beginning. Six code points is the shortest prefix that
 * keeps most words of European languages apart; in retrieval studies on
 * Turkish (Can et al., 2008) prefixes of 5-7 letters served as well as a
 * morphological stemmer.
 */
#define RPI_STEM_CPS 6
#define RPI_STEM_SEED 0x7374656d00000000ULL /* "stem" */

/*
 * Arabic writes the article and some conjunctions and prepositions joined to
 * the word ("الحكومة", "والحكومة", "بالحكومة": the government, and the
 * government, by the government), and case, number and gender as suffixes
 * ("حكومة", "حكومات"), so the first six letters of two forms of one word
 * rarely agree. Before truncation an Arabic word loses one of these prefixes
 * and then these suffixes, as the light stemmer "light10" of Larkey,
 * Ballesteros and Connell (2002) does (which served retrieval on Arabic news
 * as well as a root stemmer): "و" when three letters or more remain, an
 * article form when two or more remain; each suffix in this order, once, when
 * two or more remain. Code points as rpi_stem_hash folds them (hamza forms of
 * alef fold to alef, marks are stripped).
 */
#define AR_MAX_CPS 32 /* longer words are truncated as they come */

static int is_arabic_letter(int32_t cp)
{
    return cp >= 0x0621 && cp <= 0x064A;
}

static int ends_with(const int32_t *w, size_t n, const int32_t *x, size_t k)
{
    return n >= k && memcmp(w + n - k, x, k * sizeof *x) == 0;
}

/* Light stemming of the Arabic word w[0..n) in place; returns its new length. */
static size_t arabic_light(int32_t *w, size_t n)
{
    /* light10's article forms; its "وال" is "و" then "ال" here */
    static const int32_t prefixes[][3] = {{0x0628, 0x0627, 0x0644}, {0x0643, 0x0627, 0x0644},
                                          {0x0641, 0x0627, 0x0644}, {0x0644, 0x0644, 0},
                                          {0x0627, 0x0644, 0}};
    static const int32_t suffixes[][2] = {{0x0647, 0x0627}, {0x0627, 0x0646}, {0x0627, 0x062A},
                                          {0x0648, 0x0646}, {0x064A, 0x0646}, {0x064A, 0x0647},
                                          {0x064A, 0x0629}, {0x0647, 0},      {0x0629, 0},
                                          {0x064A, 0}};
    size_t skip = 0;
    if (n >= 4 && w[0] == 0x0648)
        skip = 1; /* "و" (and), three letters or more left */
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
        size_t len = prefixes[k][2] ? 3 : 2;
        if (n - skip >= len + 2 && memcmp(w + skip, prefixes[k], len * sizeof *w) == 0) {
            skip += len;
            break;
        }
    }
    memmove(w, w + skip, (n - skip) * sizeof *w);
    n -= skip;
    for (size_t k = 0; k < sizeof suffixes / sizeof *suffixes; k++) {
        size_t len = suffixes[k][1] ? 2 : 1;
        if (n >= len + 2 && ends_with(w, n, suffixes[k], len))
            n -= len;
    }
    return n;
}

uint64_t rpi_stem_hash(const char *text, uint32_t start, uint32_t end)
{
    int32_t out[AR_MAX_CPS * 18];
    size_t n = 0, limit = RPI_STEM_CPS;
    uint32_t i = start;
    while (i < end && n < limit) {
        unsigned char ch = (unsigned char)text[i];
        if (ch < 0x80) {
            out[n++] = ch >= 'A' && ch <= 'Z' ? ch + 32 : ch;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                              (utf8proc_ssize_t)(end - i), &cp);
        if (k <= 0)
            break;
        i += (uint32_t)k;
        int last = 0;
        utf8proc_ssize_t m = utf8proc_decompose_char(
            cp, out + n, (utf8proc_ssize_t)(sizeof out / sizeof *out - n),
            UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, &last);
        if (m < 0 || (size_t)m > sizeof out / sizeof *out - n)
            break;
        n += (size_t)m;
        if (n > 0 && is_arabic_letter(out[0]))
            limit = AR_MAX_CPS; /* the whole word, for its suffixes */
    }
    if (limit == AR_MAX_CPS && i >= end && n <= AR_MAX_CPS)
        n = arabic_light(out, n);
    if (n > RPI_STEM_CPS)
        n = RPI_STEM_CPS; /* counted after folding: "straße" and "strasse" are one stem */
    return XXH3_64bits_withSeed(out, n * sizeof *out, RPI_STEM_SEED);
}

/* Is the token one character of a script written without spaces? */
static int nospace_char(const char *text, const rpi_token *t)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + t->start,
                                          (utf8proc_ssize_t)(t->end - t->start), &cp);
    return k > 0 && (uint32_t)k == t->end - t->start && rpi_is_nospace_cp(cp);
}

int rpi_is_content(const char *text, uint32_t start, uint32_t end)
{
    int chars = 0, digits = 1;
    for (uint32_t i = start; i < end; i++) {
        unsigned char ch = (unsigned char)text[i];
        chars += (ch & 0xC0) != 0x80;
        if (ch < '0' || ch > '9')
            digits = 0;
    }
    return chars >= RPI_CONTENT_MIN_CHARS && !digits;
}

/*
 * Does token i of tok[0..n) start a content term, and which (*key)? A word of
 * at least RPI_CONTENT_MIN_CHARS characters that is not all digits, by its
 * stem; in scripts written without spaces (one token per character), the
 * pair of the character and the next one when they touch: Chinese and
 * Japanese words are mostly two characters.
 */
int rpi_content_key(const char *text, const rpi_token *tok, size_t n, size_t i,
                       uint64_t *key)
{
    if (rpi_is_content(text, tok[i].start, tok[i].end)) {
        *key = rpi_stem_hash(text, tok[i].start, tok[i].end);
        return 1;
    }
    if (i + 1 < n && tok[i + 1].start == tok[i].end && nospace_char(text, &tok[i]) &&
        nospace_char(text, &tok[i + 1])) {
        uint64_t v[2] = {tok[i].hash, tok[i + 1].hash};
        *key = rpi_hash64(v, sizeof v, 0x62696772616d); /* "bigram" */
        return 1;
    }
    return 0;
}

int rpi_starts_upper(const char *text, const rpi_token *t)
{
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)text + t->start,
                         (utf8proc_ssize_t)(t->end - t->start), &cp) <= 0)
        return 0;
    utf8proc_category_t k = utf8proc_category(cp);
    return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LT;
}

/* Does the token hold a code point of category cat (ASCII bytes tested directly:
 * rpi_has_digit runs on every token of pass 1)? */
static int has_category(const char *text, const rpi_token *t, utf8proc_category_t cat)
{
    for (uint32_t i = t->start; i < t->end;) {
        unsigned char ch = (unsigned char)text[i];
        if (ch < 0x80) {
            if (cat == UTF8PROC_CATEGORY_ND ? ch >= '0' && ch <= '9' : ch >= 'a' && ch <= 'z')
                return 1;
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                              (utf8proc_ssize_t)(t->end - i), &cp);
        if (k <= 0)
            return 0;
        if (utf8proc_category(cp) == cat)
            return 1;
        i += (uint32_t)k;
    }
    return 0;
}

int rpi_has_digit(const char *text, const rpi_token *t)
{
    return has_category(text, t, UTF8PROC_CATEGORY_ND);
}

int rpi_has_lower(const char *text, const rpi_token *t)
{
    return has_category(text, t, UTF8PROC_CATEGORY_LL);
}
