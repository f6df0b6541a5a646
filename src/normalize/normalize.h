/* SPDX-License-Identifier: MIT */
/*
 * normalize.h -- stage 2 of the pipeline: text to normalised word tokens.
 *
 * A token is a run of letters, marks and digits in any script, mapped to
 * NFKC and case-folded with utf8proc, then hashed. Characters of scripts
 * written without spaces (Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar)
 * are one token each, so word n-grams over them are character n-grams.
 * Everything else (spaces, punctuation, quotes, apostrophes, dashes, symbols)
 * separates tokens, which is how curly and straight quotes, apostrophes and
 * dashes fold together. Every token keeps the byte range of the original text
 * it came from.
 */
#ifndef RP_NORMALIZE_H
#define RP_NORMALIZE_H

#include "common.h"

/* Seed of token hashes; part of the format (golden vectors pin it). */
#define RPI_TOKEN_SEED 0x72657072696e7431ULL /* "reprint1" */

typedef struct rpi_token {
    uint64_t hash; /* XXH3-64 of the token's normalised UTF-8 bytes */
    uint32_t start; /* byte offset of the first original byte */
    uint32_t end; /* byte offset one past the last original byte */
} rpi_token;

/*
 * Hash of one normalised token p[0..n) (n >= 1, no NUL byte): XXH3-64 of
 * the bytes zero-padded to 16 with seed RPI_TOKEN_SEED + n when n <= 16,
 * else XXH3-64 of the bytes with seed RPI_TOKEN_SEED. Part of the format.
 */
uint64_t rpi_token_hash(const void *p, size_t n);

/* Per-thread scratch for the tokenizer; zero-initialise, free with rpi_tokctx_free. */
typedef struct rpi_tokctx {
    rpi_token *tok; /* tokens of the last call */
    size_t ntok; /* number of tokens */
    size_t captok; /* capacity of tok */
    int32_t *cps; /* code point scratch for utf8proc */
    size_t capcps; /* capacity of cps */
    rpi_buf word; /* normalised bytes of the token being built */
    char *low; /* the text with ASCII lower-cased, at the same offsets */
    size_t caplow; /* capacity of low */
    int force_slow; /* tests: take the utf8proc path even for ASCII */
} rpi_tokctx;

/*
 * Tokenize text[0..len) into ctx->tok. Offsets are relative to text.
 * @return RP_OK; RP_EBADINPUT if the text is not valid UTF-8 or holds a NUL
 *         byte, with *bad_off set to the offending byte; RP_ENOMEM
 */
int rpi_tokenize(rpi_tokctx *ctx, const char *text, size_t len, size_t *bad_off);

void rpi_tokctx_free(rpi_tokctx *ctx);

/*
 * Hash of the stem of the word text[start..end): its first 6 code points,
 * decomposed and case-folded (normalize.c says why). Words with one
 * beginning share a stem.
 */
uint64_t rpi_stem_hash(const char *text, uint32_t start, uint32_t end);

/* Is cp of a script written without spaces (one token per character)? */
int rpi_is_nospace_cp(int32_t cp);

/*
 * Content words of a token sequence, for TF-IDF: a token of at least
 * RPI_CONTENT_MIN_CHARS characters that is not all digits. text is the
 * original text the token's byte range points into.
 */
#define RPI_CONTENT_MIN_CHARS 4
int rpi_is_content(const char *text, uint32_t start, uint32_t end);

/* Does the token start with an upper-case or title-case letter? */
int rpi_starts_upper(const char *text, const rpi_token *t);

/* A decimal digit of any script (Unicode Nd) as its ASCII digit, other code
 * points as they are (Unicode TR 30's digit folding: tokens and figures). */
int32_t rpi_ascii_digit(int32_t cp);

/* Decode the code point at text[i] of text[0..len) into *cp; returns its
 * length in bytes, or -1 when the bytes there are not valid UTF-8 (or are a
 * NUL byte). */
int rpi_decode(const char *text, size_t len, size_t i, int32_t *cp);

/* Does the token hold a digit (Unicode Nd: ASCII, Arabic-Indic, full-width...)? */
int rpi_has_digit(const char *text, const rpi_token *t);

/* Does the token hold a lower-case letter? */
int rpi_has_lower(const char *text, const rpi_token *t);

/*
 * Does token i of tok[0..n) of text start a content term, and which (*key)?
 * A word of at least RPI_CONTENT_MIN_CHARS characters that is not all digits,
 * by its stem (rpi_stem_hash); in scripts written without spaces, the pair of
 * the character and the next one when they touch (Chinese and Japanese words
 * are mostly two characters).
 */
int rpi_content_key(const char *text, const rpi_token *tok, size_t n, size_t i, uint64_t *key);

/*
 * Normalise text into a readable string of tokens separated by single
 * spaces (for tests, fuzzing and debugging; the pipeline only uses hashes).
 */
int rpi_normalize_string(rpi_tokctx *ctx, const char *text, size_t len, rpi_buf *out,
                         size_t *bad_off);

#endif /* RP_NORMALIZE_H */
