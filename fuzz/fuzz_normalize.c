/* SPDX-License-Identifier: MIT */
/*
 * fuzz_normalize.c -- libFuzzer target for the tokenizer (src/normalize/).
 *
 * The input is the text. rpi_tokenize() and rpi_normalize_string() run on it
 * with the ASCII fast path and again with ctx.force_slow (utf8proc for every
 * run). Invariants checked:
 *   - the status is RP_OK or RP_EBADINPUT, the same on every path;
 *   - RP_EBADINPUT exactly when decoding the text code point by code point
 *     (utf8proc_iterate) meets invalid UTF-8 or a NUL byte, with bad_off the
 *     offset of the first such code point (so bad_off < size);
 *   - on RP_OK every token has start < end <= size; tokens come in input
 *     order: a token either shares its predecessor's range (both split from
 *     one run by normalisation) or starts at or after its end;
 *   - the normalised string is valid UTF-8 made of ntok non-empty words
 *     separated by single spaces, word i hashing to token i's hash (by the
 *     definition in normalize.h, computed here with rpi_hash64, and by
 *     rpi_token_hash), each word made of letters, marks and digits only
 *     and already in NFKC case-folded form (utf8proc maps it to itself);
 *     a character of a script written without spaces (Han, Kana, Thai...)
 *     stands alone: only marks may follow it in its word, and it never
 *     follows anything;
 *   - rpi_tokenize and rpi_normalize_string give the same tokens, and the
 *     fast and slow paths give the same tokens and the same string.
 */
#include <string.h>
#include <utf8proc.h>

#include "fuzz_helpers.h"
#include "normalize.h"

/* Offset of the first invalid or NUL code point of s[0..n), or n when none. */
static size_t first_bad(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0 || cp == 0)
            return i;
        i += (size_t)k;
    }
    return n;
}

static int is_word_cp(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

static int is_mark_cp(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME;
}

/* Scripts written without spaces: the library's own table (normalize.h). */
static int is_nospace_cp(utf8proc_int32_t cp)
{
    return rpi_is_nospace_cp(cp);
}

/* Check one normalised word w[0..n) against token t. */
static void check_word(const char *w, size_t n, const rpi_token *t)
{
    FUZZ_ASSERT_MSG(n > 0, "empty word in the normalised string");
    /* The token hash as normalize.h defines it, from rpi_hash64 (XXH3-64). */
    uint64_t h;
    if (n > 16) {
        h = rpi_hash64(w, n, RPI_TOKEN_SEED);
    } else {
        char pad[16] = {0};
        memcpy(pad, w, n);
        h = rpi_hash64(pad, 16, RPI_TOKEN_SEED + n);
    }
    FUZZ_ASSERT_MSG(rpi_token_hash(w, n) == h, "rpi_token_hash differs from its definition");
    FUZZ_ASSERT_MSG(t->hash == h, "token hash is not the hash of its normalised word");
    const uint8_t *u = (const uint8_t *)w;
    size_t i = 0;
    int alone = 0; /* the word is one no-space-script character and its marks */
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
        FUZZ_ASSERT_MSG(k > 0 && cp != 0, "normalised word is not valid UTF-8");
        FUZZ_ASSERT_MSG(is_word_cp(cp), "normalised word holds a non-word code point");
        if (i == 0)
            alone = is_nospace_cp(cp) && !is_mark_cp(cp);
        else if (alone)
            FUZZ_ASSERT_MSG(is_mark_cp(cp), "no-space-script character not alone in its token");
        else
            FUZZ_ASSERT_MSG(is_mark_cp(cp) || !is_nospace_cp(cp),
                            "no-space-script character inside a word");
        i += (size_t)k;
    }
    /* Already NFKC and case-folded: mapping it again changes nothing. */
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t mn = utf8proc_map(u, (utf8proc_ssize_t)n, &m,
                                       UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                           UTF8PROC_CASEFOLD);
    FUZZ_ASSERT(mn >= 0 && m != NULL);
    FUZZ_ASSERT_MSG((size_t)mn == n && memcmp(m, w, n) == 0,
                    "normalised word is not in NFKC case-folded form");
    free(m);
}

/* Field-by-field comparison of two token arrays of n tokens. */
static int same_tokens(const rpi_token *a, const rpi_token *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].hash != b[i].hash || a[i].start != b[i].start || a[i].end != b[i].end)
            return 0;
    return 1;
}

/* Tokens of one path, copied out of the context. */
typedef struct run {
    int rc; /* status */
    size_t bad_off; /* offset on RP_EBADINPUT */
    rpi_token *tok; /* tokens (malloc'ed) */
    size_t ntok; /* their number */
    rpi_buf str; /* normalised string */
} run;

static void run_paths(const uint8_t *data, size_t size, int slow, run *out)
{
    rpi_tokctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.force_slow = slow;
    const char *text = (const char *)data;

    size_t bad1 = SIZE_MAX;
    int rc1 = rpi_tokenize(&ctx, text, size, &bad1);
    FUZZ_ASSERT(rc1 == RP_OK || rc1 == RP_EBADINPUT);
    size_t n1 = rc1 == RP_OK ? ctx.ntok : 0;
    rpi_token *tok1 = malloc(n1 * sizeof *tok1 + 1);
    FUZZ_ASSERT(tok1 != NULL);
    if (n1)
        memcpy(tok1, ctx.tok, n1 * sizeof *tok1);

    memset(out, 0, sizeof *out);
    out->bad_off = SIZE_MAX;
    out->rc = rpi_normalize_string(&ctx, text, size, &out->str, &out->bad_off);
    FUZZ_ASSERT_MSG(out->rc == rc1, "rpi_tokenize and rpi_normalize_string disagree on status");
    if (rc1 == RP_EBADINPUT) {
        FUZZ_ASSERT_MSG(out->bad_off == bad1, "bad_off differs between the two calls");
    } else {
        FUZZ_ASSERT_MSG(ctx.ntok == n1, "rpi_tokenize and rpi_normalize_string disagree on ntok");
        FUZZ_ASSERT_MSG(same_tokens(tok1, ctx.tok, n1),
                        "rpi_tokenize and rpi_normalize_string disagree on tokens");
    }
    out->tok = tok1;
    out->ntok = n1;
    rpi_tokctx_free(&ctx);
}

static void check_run(const uint8_t *data, size_t size, const run *r)
{
    size_t bad = first_bad(data, size);
    if (r->rc == RP_EBADINPUT) {
        FUZZ_ASSERT_MSG(r->bad_off < size, "bad_off out of range");
        FUZZ_ASSERT_MSG(r->bad_off == bad, "bad_off is not the first invalid code point");
        return;
    }
    FUZZ_ASSERT_MSG(bad == size, "invalid UTF-8 or NUL accepted");

    for (size_t i = 0; i < r->ntok; i++) {
        const rpi_token *t = &r->tok[i];
        FUZZ_ASSERT_MSG(t->start < t->end && t->end <= size, "token range out of bounds");
        if (i > 0) {
            const rpi_token *p = &r->tok[i - 1];
            FUZZ_ASSERT_MSG(p->start <= t->start, "tokens out of order");
            FUZZ_ASSERT_MSG((p->start == t->start && p->end == t->end) || t->start >= p->end,
                            "tokens overlap without sharing a run");
        }
    }

    /* Split the normalised string on single spaces: one word per token. */
    const char *s = r->str.data;
    size_t len = r->str.len;
    FUZZ_ASSERT(s != NULL);
    FUZZ_ASSERT_MSG(memchr(s, 0, len) == NULL, "NUL byte in the normalised string");
    size_t w = 0, begin = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != ' ')
            continue;
        if (i == 0 && len == 0)
            break; /* the empty string holds no word */
        FUZZ_ASSERT_MSG(w < r->ntok, "more words than tokens");
        check_word(s + begin, i - begin, &r->tok[w]);
        w++;
        begin = i + 1;
    }
    FUZZ_ASSERT_MSG(w == r->ntok, "fewer words than tokens");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run fast, slow;
    run_paths(data, size, 0, &fast);
    check_run(data, size, &fast);
    run_paths(data, size, 1, &slow);
    check_run(data, size, &slow);

    FUZZ_ASSERT_MSG(fast.rc == slow.rc, "fast and slow paths disagree on status");
    if (fast.rc == RP_EBADINPUT) {
        FUZZ_ASSERT_MSG(fast.bad_off == slow.bad_off, "fast and slow paths disagree on bad_off");
    } else {
        FUZZ_ASSERT_MSG(fast.ntok == slow.ntok, "fast and slow paths disagree on ntok");
        FUZZ_ASSERT_MSG(same_tokens(fast.tok, slow.tok, fast.ntok),
                        "fast and slow paths disagree on tokens");
        FUZZ_ASSERT_MSG(fast.str.len == slow.str.len &&
                            memcmp(fast.str.data, slow.str.data, fast.str.len) == 0,
                        "fast and slow paths disagree on the normalised string");
    }
    free(fast.tok);
    free(slow.tok);
    rpi_buf_free(&fast.str);
    rpi_buf_free(&slow.str);
    return 0;
}
