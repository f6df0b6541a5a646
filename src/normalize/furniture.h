/* SPDX-License-Identifier: MIT */
/*
 * furniture.h -- page furniture: lines of a page that are not article text
 * (captions, bylines, mastheads, share/follow prompts, related headlines).
 *
 * Two sources of evidence: frequency over the collection (lines that recur
 * across many documents or across the documents of one source; counted by
 * the pipeline driver), and, for lines seen once, the built-in patterns and
 * the shape rule below, which also serve tiny collections.
 */
#ifndef RP_FURNITURE_H
#define RP_FURNITURE_H

#include "common.h"
#include "normalize.h"

/* One line of a text: the bytes between line breaks, and the tokens in it. */
typedef struct rpi_line {
    uint32_t start, end; /* bytes of the line, without its line break */
    uint32_t t0, t1; /* its tokens, half-open indexes into the token array */
    uint64_t hash; /* hash of the line's token hashes (0 when it has no token) */
} rpi_line;

/* Why a line is furniture (RPI_FURN_NONE: it is article text). */
typedef enum rpi_furn_kind {
    RPI_FURN_NONE = 0,
    RPI_FURN_PATTERN, /* a built-in pattern (credit, byline, prompt...) */
    RPI_FURN_SHAPE, /* short line without sentence-final punctuation (headline, label) */
    RPI_FURN_COMMON, /* short line recurring across many documents */
    RPI_FURN_SOURCE /* line recurring across many documents of one source */
} rpi_furn_kind;

/*
 * Split text[0..len) into lines (LF, CR LF, CR, and U+2028/U+2029 end a
 * line) and assign tokens tok[0..ntok) (from rpi_tokenize on the same text)
 * to them. *lines is grown with rpi_grow (*cap its capacity).
 * @return RP_OK or RP_ENOMEM
 */
int rpi_lines(const char *text, size_t len, const rpi_token *tok, size_t ntok, rpi_line **lines,
              size_t *nlines, size_t *cap);

/*
 * Does this line look like furniture on its own? line[0..n) are the line's
 * bytes, ntok its number of tokens. Returns RPI_FURN_PATTERN,
 * RPI_FURN_SHAPE or RPI_FURN_NONE.
 */
rpi_furn_kind rpi_furniture_line(const char *line, size_t n, size_t ntok);

/* Static name of a kind: "pattern", "shape", "common", "source". */
const char *rpi_furn_name(rpi_furn_kind k);

#endif /* RP_FURNITURE_H */
