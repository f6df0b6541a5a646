/* SPDX-License-Identifier: MIT */
/*
 * test_normalize.c -- unit tests of stage 2 (src/normalize): the exact
 * normalised tokens and byte offsets of ASCII and Unicode text, folding of
 * case, quotes, dashes, compatibility forms and combining marks, one token
 * per character in scripts written without spaces, rejection of invalid
 * UTF-8 and NUL bytes, and agreement of the ASCII fast path with the
 * utf8proc path.
 */
#include "unit.h"

#include "normalize.h"

typedef struct span {
    uint32_t start, end; /* expected byte range of a token */
} span;

/* Tokens of text[0..len) on the fast (slow = 0) or utf8proc (slow = 1) path. */
static void tokenize_ok(rpi_tokctx *ctx, const char *text, size_t len, int slow)
{
    size_t bad = 777;
    ctx->force_slow = slow;
    assert_int_equal(rpi_tokenize(ctx, text, len, &bad), RP_OK);
}

enum { MAXTOK = 64 };

/* What one path made of a text, copied out so that checks run after the frees. */
typedef struct result {
    int rc, rc2; /* rpi_normalize_string and rpi_tokenize status */
    char str[512]; /* normalised string */
    size_t ntok, ntok2; /* tokens from each call */
    rpi_token tok[MAXTOK], tok2[MAXTOK]; /* the first MAXTOK tokens of each call */
} result;

static void run_paths(const char *text, size_t len, int slow, result *r)
{
    rpi_tokctx ctx = {0}, ctx2 = {0};
    rpi_buf out = {0};
    size_t bad = 777;
    memset(r, 0, sizeof *r);
    ctx.force_slow = ctx2.force_slow = slow;
    r->rc = rpi_normalize_string(&ctx, text, len, &out, &bad);
    snprintf(r->str, sizeof r->str, "%s", out.data ? out.data : "(null)");
    r->ntok = ctx.ntok;
    memcpy(r->tok, ctx.tok, (ctx.ntok < MAXTOK ? ctx.ntok : MAXTOK) * sizeof *ctx.tok);
    r->rc2 = rpi_tokenize(&ctx2, text, len, &bad);
    r->ntok2 = ctx2.ntok;
    memcpy(r->tok2, ctx2.tok, (ctx2.ntok < MAXTOK ? ctx2.ntok : MAXTOK) * sizeof *ctx2.tok);
    rpi_buf_free(&out);
    rpi_tokctx_free(&ctx);
    rpi_tokctx_free(&ctx2);
}

/*
 * text[0..len) must normalise to want (tokens joined by single spaces) with
 * the byte ranges sp[0..n), on both paths; each token hash must be
 * rpi_token_hash of the normalised token bytes; and rpi_tokenize must give
 * the same tokens as rpi_normalize_string.
 */
static void check_len(const char *text, size_t len, const char *want, const span *sp, size_t n)
{
    assert_true(n <= MAXTOK);
    for (int slow = 0; slow < 2; slow++) {
        result r;
        run_paths(text, len, slow, &r);
        assert_int_equal(r.rc, RP_OK);
        assert_int_equal(r.rc2, RP_OK);
        assert_string_equal(r.str, want);
        assert_int_equal(r.ntok, n);
        assert_int_equal(r.ntok2, n);
        const char *w = want;
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(r.tok[i].start, sp[i].start);
            assert_int_equal(r.tok[i].end, sp[i].end);
            const char *sp_ = strchr(w, ' ');
            size_t wl = sp_ ? (size_t)(sp_ - w) : strlen(w);
            assert_int_equal(r.tok[i].hash, rpi_token_hash(w, wl));
            w += wl + (sp_ != NULL);
        }
        if (n)
            assert_memory_equal(r.tok2, r.tok, n * sizeof *r.tok);
    }
}

static void check(const char *text, const char *want, const span *sp, size_t n)
{
    check_len(text, strlen(text), want, sp, n);
}

/* The token hashes of a and b are the same sequence. */
static void same_tokens(const char *a, const char *b)
{
    rpi_tokctx x = {0}, y = {0};
    tokenize_ok(&x, a, strlen(a), 0);
    tokenize_ok(&y, b, strlen(b), 0);
    assert_int_equal(x.ntok, y.ntok);
    assert_true(x.ntok > 0);
    for (size_t i = 0; i < x.ntok; i++)
        assert_int_equal(x.tok[i].hash, y.tok[i].hash);
    rpi_tokctx_free(&x);
    rpi_tokctx_free(&y);
}

/* Tokenizing text[0..len) fails with RP_EBADINPUT at byte want_off, on both paths. */
static void check_bad(const char *text, size_t len, size_t want_off)
{
    for (int slow = 0; slow < 2; slow++) {
        rpi_tokctx ctx = {0};
        rpi_buf out = {0};
        size_t bad = 777;
        ctx.force_slow = slow;
        assert_int_equal(rpi_tokenize(&ctx, text, len, &bad), RP_EBADINPUT);
        assert_int_equal(bad, want_off);
        bad = 777;
        assert_int_equal(rpi_normalize_string(&ctx, text, len, &out, &bad), RP_EBADINPUT);
        assert_int_equal(bad, want_off);
        rpi_buf_free(&out);
        rpi_tokctx_free(&ctx);
    }
}

static void test_ascii_tokens(void **state)
{
    (void)state;
    static const span sp[] = {{0, 5}, {7, 12}, {14, 16}, {17, 18}, {19, 23}};
    check("Hello, World! It's 2025.", "hello world it s 2025", sp, 5);
    static const span sp2[] = {{2, 5}, {6, 9}, {10, 13}, {16, 17}, {18, 19}, {23, 27}};
    check("  one\ttwo\nsix\r\n(a_b) __init__", "one two six a b init", sp2, 6);
}

static void test_case_folding(void **state)
{
    (void)state;
    static const span sp[] = {{0, 5}, {6, 11}, {12, 17}};
    check("HELLO hello HeLLo", "hello hello hello", sp, 3);
    same_tokens("The QUICK Brown fox", "the quick brown FOX");
}

static void test_quotes_apostrophes_dashes(void **state)
{
    (void)state;
    /* U+2019 RIGHT SINGLE QUOTATION MARK is 3 bytes: "t" starts at byte 6. */
    static const span sp[] = {{0, 3}, {6, 7}};
    check("don\xe2\x80\x99t", "don t", sp, 2);
    static const span sp2[] = {{0, 3}, {4, 5}};
    check("don't", "don t", sp2, 2);
    same_tokens("don\xe2\x80\x99t", "don't");
    /* Curly double quotes U+201C/U+201D, em dash U+2014, en dash U+2013. */
    static const span sp3[] = {{3, 9}, {13, 17}, {20, 24}, {27, 30}};
    check("\xe2\x80\x9cQuoted\xe2\x80\x9d text\xe2\x80\x94here\xe2\x80\x93now",
          "quoted text here now", sp3, 4);
    same_tokens("\xe2\x80\x9cQuoted\xe2\x80\x9d text\xe2\x80\x94here\xe2\x80\x93now",
                "\"quoted\" text-here - now");
    same_tokens("\xe2\x80\x98single\xe2\x80\x99 \xc2\xabguillemets\xc2\xbb",
                "'single' \"guillemets\"");
}

static void test_nfkc(void **state)
{
    (void)state;
    /* Fullwidth letters U+FF21..U+FF23 (3 bytes each) fold to ASCII. */
    static const span sp[] = {{0, 9}};
    check("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc", sp, 1);
    same_tokens("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "abc");
    /* The ligature U+FB01 is "fi". */
    static const span sp2[] = {{0, 5}};
    check("\xef\xac\x81le", "file", sp2, 1);
    same_tokens("\xef\xac\x81le", "file");
    /* U+00BD VULGAR FRACTION ONE HALF is "1" U+2044 "2": two tokens sharing the run's bytes. */
    static const span sp3[] = {{0, 2}, {0, 2}};
    check("\xc2\xbd", "1 2", sp3, 2);
    same_tokens("\xc2\xbd", "1/2");
    /* Fullwidth digits. */
    static const span sp4[] = {{0, 9}, {10, 12}};
    check("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93 km", "123 km", sp4, 2);
}

static void test_sharp_s(void **state)
{
    (void)state;
    static const span sp[] = {{0, 7}};
    check("Stra\xc3\x9f" "e", "strasse", sp, 1);
    same_tokens("Stra\xc3\x9f" "e", "STRASSE");
    same_tokens("STRA\xe1\xba\x9e" "E", "strasse"); /* U+1E9E CAPITAL SHARP S */
}

static void test_greek_cyrillic(void **state)
{
    (void)state;
    static const span sp[] = {{0, 16}, {17, 27}};
    check("\xce\x9a\xce\x91\xce\x9b\xce\x97\xce\x9c\xce\x95\xce\xa1\xce\x91 "
          "\xce\xba\xcf\x8c\xcf\x83\xce\xbc\xce\xb5",
          "\xce\xba\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xb5\xcf\x81\xce\xb1 "
          "\xce\xba\xcf\x8c\xcf\x83\xce\xbc\xce\xb5",
          sp, 2);
    /* Final sigma folds to sigma: ΟΔΟΣ == οδος == οδοσ. */
    same_tokens("\xce\x9f\xce\x94\xce\x9f\xce\xa3", "\xce\xbf\xce\xb4\xce\xbf\xcf\x82");
    same_tokens("\xce\xbf\xce\xb4\xce\xbf\xcf\x83", "\xce\xbf\xce\xb4\xce\xbf\xcf\x82");
    static const span sp2[] = {{0, 12}, {14, 20}};
    check("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xd0\x9c\xd0\x98\xd0\xa0",
          "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82 \xd0\xbc\xd0\xb8\xd1\x80", sp2, 2);
}

static void test_combining_marks(void **state)
{
    (void)state;
    /* e + U+0301 COMBINING ACUTE ACCENT composes to U+00E9: the same token. */
    static const span sp[] = {{0, 6}};
    check("cafe\xcc\x81", "caf\xc3\xa9", sp, 1);
    static const span sp2[] = {{0, 5}};
    check("caf\xc3\xa9", "caf\xc3\xa9", sp2, 1);
    same_tokens("cafe\xcc\x81 au lait", "caf\xc3\xa9 au lait");
    same_tokens("CAFE\xcc\x81", "caf\xc3\xa9");
    same_tokens("CAF\xc3\x89", "caf\xc3\xa9");
}

static void test_cjk_one_token_per_character(void **state)
{
    (void)state;
    static const span sp[] = {{0, 3}, {3, 6}, {6, 9}};
    check("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", "\xe4\xb8\xad \xe6\x96\x87 \xe5\xad\x97", sp,
          3);
    /* Chinese with ideographic punctuation (U+3002) and ASCII words around. */
    static const span sp2[] = {{0, 3}, {3, 6}, {6, 9}, {12, 15}, {16, 19}};
    check("abc\xe4\xb8\xad\xe6\x96\x87\xe3\x80\x82\xe5\xad\x97 def",
          "abc \xe4\xb8\xad \xe6\x96\x87 \xe5\xad\x97 def", sp2, 5);
    /* Japanese: kanji, katakana and the prolonged sound mark U+30FC. */
    static const span sp3[] = {{0, 3}, {3, 6}, {6, 9}, {9, 12}, {12, 15}};
    check("\xe6\x9d\xb1\xe4\xba\xac\xe3\x82\xbf\xe3\x83\xaf\xe3\x83\xbc",
          "\xe6\x9d\xb1 \xe4\xba\xac \xe3\x82\xbf \xe3\x83\xaf \xe3\x83\xbc", sp3, 5);
    /* Hiragana; a base letter with the combining voiced mark U+3099 is one
     * character, the same token as the precomposed U+304C. */
    static const span sp4[] = {{0, 3}, {3, 6}, {6, 9}, {9, 12}};
    check("\xe3\x81\xb2\xe3\x82\x89\xe3\x81\x8c\xe3\x81\xaa",
          "\xe3\x81\xb2 \xe3\x82\x89 \xe3\x81\x8c \xe3\x81\xaa", sp4, 4);
    static const span sp5[] = {{0, 6}, {6, 9}};
    check("\xe3\x81\x8b\xe3\x82\x99\xe3\x81\xaa", "\xe3\x81\x8c \xe3\x81\xaa", sp5, 2);
}

static void test_thai_marks_stay_with_their_letter(void **state)
{
    (void)state;
    /* สวัสดี: SO SUA, WO WAEN + MAI HAN-AKAT (Mn), SO SUA, DO DEK + SARA II (Mn).
     * A character with its combining vowel sign is one token. */
    static const span sp[] = {{0, 3}, {3, 9}, {9, 12}, {12, 18}};
    check("\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0\xb8\xb5",
          "\xe0\xb8\xaa \xe0\xb8\xa7\xe0\xb8\xb1 \xe0\xb8\xaa \xe0\xb8\x94\xe0\xb8\xb5", sp, 4);
}

static void test_marks_without_base_and_compat_han(void **state)
{
    (void)state;
    /* "a=\u0338b": the combining long solidus follows a separator, so it has
     * no base and separates, as the precomposed "a\u2260b" (a symbol) does. */
    static const span sp[] = {{0, 1}, {4, 5}};
    check("a=\xcc\xb8" "b", "a b", sp, 2);
    same_tokens("a=\xcc\xb8" "b", "a\xe2\x89\xa0" "b");
    /* U+303A HANGZHOU NUMERAL THIRTY maps (NFKC) to the Han character U+5345,
     * which stands alone: "k" after it is a token of its own. */
    static const span sp2[] = {{0, 4}, {0, 4}};
    check("\xe3\x80\xbak", "\xe5\x8d\x85 k", sp2, 2);
}

static void test_default_ignorables_vanish(void **state)
{
    (void)state;
    /* A soft hyphen or a zero-width space inside a word neither splits it
     * nor stays in it (NFKC_Casefold removes default-ignorables). */
    same_tokens("co\xc2\xad" "operate zero\xe2\x80\x8b" "width", "cooperate zerowidth");
    static const span sp[] = {{0, 11}};
    check("co\xc2\xad" "operate", "cooperate", sp, 1);
}

static void test_digits(void **state)
{
    (void)state;
    static const span sp[] = {{0, 1}, {2, 4}, {5, 8}, {9, 13}, {14, 15}, {16, 19}};
    check("3.14 and 42nd 1,000", "3 14 and 42nd 1 000", sp, 6);
    /* Digits of any script are their ASCII digits (NFKC leaves them):
     * Arabic-Indic "١٣٥٩", Extended Arabic-Indic (Persian) "۲۰۲۰",
     * Devanagari "१२", Bengali "৯" (the last digit of its run). */
    same_tokens("\xd9\xa1\xd9\xa3\xd9\xa5\xd9\xa9 \xd8\xb4\xd9\x82\xd8\xa9", "1359 \xd8\xb4\xd9\x82\xd8\xa9");
    same_tokens("\xdb\xb2\xdb\xb0\xdb\xb2\xdb\xb0", "2020");
    same_tokens("\xe0\xa5\xa7\xe0\xa5\xa8 \xe0\xa7\xaf", "12 9");
    static const span sp2[] = {{0, 8}, {9, 15}};
    check("\xd9\xa1\xd9\xa3\xd9\xa5\xd9\xa9 \xd8\xb4\xd9\x82\xd8\xa9", "1359 \xd8\xb4\xd9\x82\xd8\xa9", sp2, 2);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    check_bad("abc\xff" "def", 7, 3); /* 0xFF never occurs in UTF-8 */
    check_bad("x \x80 y", 5, 2); /* lone continuation byte */
    check_bad("ab\xe4\xb8", 4, 2); /* truncated at the end */
    check_bad("caf\xc3 x", 6, 3); /* truncated inside a word */
    check_bad("\xc0\xaf", 2, 0); /* overlong "/" */
    check_bad("a \xed\xa0\x80", 5, 2); /* UTF-16 surrogate U+D800 */
    check_bad("\xf4\x90\x80\x80", 4, 0); /* beyond U+10FFFF */
    check_bad("ok then \xe2\x28\xa1", 11, 8); /* bad continuation */
    check_bad("\xe4\xb8\xad\xe6\x96", 5, 3); /* truncated CJK after a good one */
}

static void test_nul_byte(void **state)
{
    (void)state;
    check_bad("abc\0def", 7, 3);
    check_bad("\0", 1, 0);
    check_bad("h\xc3\xa9llo \0", 8, 7);
    check_bad("\xe4\xb8\xad\0", 4, 3);
}

static void test_empty_and_no_words(void **state)
{
    (void)state;
    check_len("", 0, "", NULL, 0);
    check(" ...!! -- \t\n", "", NULL, 0);
    check("\xe2\x80\x94 \xe2\x80\x9c\xe2\x80\x9d \xe3\x80\x82", "", NULL, 0);
    /* The context is reused: a call after a non-empty one yields 0 tokens. */
    rpi_tokctx ctx = {0};
    tokenize_ok(&ctx, "some words", 10, 0);
    assert_int_equal(ctx.ntok, 2);
    tokenize_ok(&ctx, "", 0, 0);
    assert_int_equal(ctx.ntok, 0);
    rpi_tokctx_free(&ctx);
}

/* Fast path and utf8proc path give identical tokens (hash, start, end). */
static void same_both_paths(const char *text, size_t len)
{
    rpi_tokctx fast = {0}, slow = {0};
    tokenize_ok(&fast, text, len, 0);
    tokenize_ok(&slow, text, len, 1);
    assert_int_equal(fast.ntok, slow.ntok);
    for (size_t i = 0; i < fast.ntok; i++) {
        assert_int_equal(fast.tok[i].hash, slow.tok[i].hash);
        assert_int_equal(fast.tok[i].start, slow.tok[i].start);
        assert_int_equal(fast.tok[i].end, slow.tok[i].end);
    }
    rpi_tokctx_free(&fast);
    rpi_tokctx_free(&slow);
}

static void test_fast_path_equals_slow_path(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "a",
        "Hello, World!",
        "ALL CAPS and lower 123 x9y Z",
        "tab\tnew\nline\r\nend",
        "a-b_c.d/e:f;g|h~i`j^k",
        "__init__ 0x1F 3.14159 e=mc^2",
        "ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
        "   leading and trailing   ",
    };
    for (size_t i = 0; i < UT_ARRAY_LEN(texts); i++)
        same_both_paths(texts[i], strlen(texts[i]));

    /* 10,000 pseudo-random printable ASCII bytes, letters and digits made common. */
    enum { N = 10000 };
    char *buf = malloc(N);
    assert_non_null(buf);
    uint64_t st = 20250322;
    for (size_t i = 0; i < N; i++) {
        uint64_t r = ut_rand(&st);
        buf[i] = (char)(r % 3 ? "abcdeXYZ019 "[(r >> 8) % 12] : 0x20 + (int)((r >> 8) % 95));
    }
    rpi_tokctx ctx = {0};
    tokenize_ok(&ctx, buf, N, 0);
    assert_true(ctx.ntok > 1000); /* the data really has many words */
    rpi_tokctx_free(&ctx);
    same_both_paths(buf, N);
    free(buf);
}

/* Stems: the first six letters once decomposed, case-folded and without marks
 * (Arabic words light-stemmed first). */
static void test_stems(void **state)
{
    (void)state;
    static const char *const same[][2] = {
        {"México", "MEXICO"}, {"Straße", "strasse"}, {"Regierung", "Regierungsbündnis"},
        {"koronavirüs", "Koronavirüsten"}, {"İstanbul", "istanbul"}, {"ＦＵＬＬ", "full"},
        {"Kim", "KIM"},
        /* Arabic, light-stemmed: article and conjunction prefixes, then suffixes. */
        {"الحكومة", "حكومات"}, {"والحكومة", "بالحكومة"}, {"كتابها", "كتابه"},
        {"أحمد", "احمد"}};
    static const char *const other[][2] = {{"Mexico", "Mexicans"}, {"vote", "voter"},
                                           {"Kim", "Kimi"},
                                           /* "و" stays on a word of three letters */
                                           {"ولد", "لد"}};
    for (size_t i = 0; i < UT_ARRAY_LEN(same); i++)
        assert_true(rpi_stem_hash(same[i][0], 0, (uint32_t)strlen(same[i][0])) ==
                    rpi_stem_hash(same[i][1], 0, (uint32_t)strlen(same[i][1])));
    for (size_t i = 0; i < UT_ARRAY_LEN(other); i++)
        assert_true(rpi_stem_hash(other[i][0], 0, (uint32_t)strlen(other[i][0])) !=
                    rpi_stem_hash(other[i][1], 0, (uint32_t)strlen(other[i][1])));
    /* A byte range inside a text. */
    const char *t = "in Mexico City";
    assert_true(rpi_stem_hash(t, 3, 9) == rpi_stem_hash("mexico", 0, 6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_tokens),
        cmocka_unit_test(test_case_folding),
        cmocka_unit_test(test_quotes_apostrophes_dashes),
        cmocka_unit_test(test_nfkc),
        cmocka_unit_test(test_sharp_s),
        cmocka_unit_test(test_greek_cyrillic),
        cmocka_unit_test(test_combining_marks),
        cmocka_unit_test(test_cjk_one_token_per_character),
        cmocka_unit_test(test_thai_marks_stay_with_their_letter),
        cmocka_unit_test(test_marks_without_base_and_compat_han),
        cmocka_unit_test(test_default_ignorables_vanish),
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_empty_and_no_words),
        cmocka_unit_test(test_fast_path_equals_slow_path),
        cmocka_unit_test(test_stems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
