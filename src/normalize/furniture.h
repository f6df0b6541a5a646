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
 * to them. *lines is grown with rpi_grow (*cap its capacity) and
 * overwritten from index 0; *nlines receives the count.
 *
 * Lines without tokens (blank lines, "***") are returned too. A break at the
 * very end opens no empty last line: "a\n" is one line, "a\n\nb" three, ""
 * none. Line breaks separate tokens, so each token lies inside one line and
 * the lines' token ranges tile [0, ntok) in order. A line's hash is XXH3-64
 * of its token hashes (little-endian, fixed seed; see furniture.c), so equal
 * lines hash equal whatever their spacing, case or quotes; 0 only when the
 * line has no token. One pass, O(len + ntok); no allocation but *lines.
 * @param[in] text the text (any bytes; valid UTF-8 as rpi_tokenize requires)
 * @param[in] tok, ntok its tokens, in text order
 * @param[in,out] lines, cap the caller's growable array (NULL/0 at first)
 * @param[out] nlines number of lines
 * @return RP_OK or RP_ENOMEM (then *lines stays valid for rpi_free)
 */
int rpi_lines(const char *text, size_t len, const rpi_token *tok, size_t ntok, rpi_line **lines,
              size_t *nlines, size_t *cap);

/*
 * Does this line look like furniture on its own? line[0..n) are the line's
 * bytes, ntok its number of tokens. Returns RPI_FURN_PATTERN,
 * RPI_FURN_SHAPE or RPI_FURN_NONE; a line without tokens is always NONE.
 *
 * PATTERN: a built-in pattern, matched on whole words, case-insensitively:
 * share/follow/subscribe prompts and "Related" blocks at the start of a
 * line of at most 15 tokens, cookie notices, copyright notices, bylines,
 * "Published"/"Updated" stamps, photo captions ending in a credit such as
 * "(... via AP)". Anchored patterns never match a line whose first word is
 * lower case (a sentence wrapped onto it).
 * SHAPE: at most 15 tokens, mainly in a cased script (Latin, Cyrillic,
 * Greek...), starting with a capital, digit or quote (not a lower-case
 * word or a list bullet), and not ending in sentence-final or continuing
 * punctuation (. ! ? … 。 : ; , ... looking through closing quotes).
 *
 * SHAPE is a per-line guess; the caller must guard it per document. Text
 * hard-wrapped at a fixed width (Reuters-21578: every line ~65 characters)
 * makes most wrapped prose lines look like headlines. A cheap sign of it:
 * a line without final punctuation followed by a line starting with a
 * lower-case letter (found in 816 of the first 1,000 Reuters documents,
 * in none of the 2,225 BBC documents or the seeds).
 *
 * Pure function of its arguments: thread-safe, no allocation, O(n).
 */
rpi_furn_kind rpi_furniture_line(const char *line, size_t n, size_t ntok);

/* ---- furniture by frequency (linecount.c) ---------------------------------- */

/*
 * The keys the lines ln[0..nl) of one document add to the collection's line
 * counts (each once: sorted, distinct), into keys (room for 4 nl + 1); with
 * the document's source key (rpi_source_key; 0 for none), the keys of the
 * source's lines and of its document count too. tmp is sort scratch.
 */
int rpi_furniture_keys(const rpi_line *ln, size_t nl, uint64_t srckey, uint64_t *keys,
                       size_t *nkeys, uint64_t **tmp, size_t *captmp);

/*
 * The furniture kind (rpi_furn_kind) of each line of a document, into
 * kind[0..nl), from the counts of every document's rpi_furniture_keys
 * (lines), the built-in rules (rpi_furniture_line) and the document's shape;
 * lkey[0..nl) is scratch. src is the document's source key.
 */
void rpi_furniture_kinds(const rpi_counts *lines, const char *text, const rpi_token *tok,
                         size_t ntok, const rpi_line *ln, size_t nl, uint64_t src, uint8_t *kind,
                         uint64_t *lkey);

/*
 * Is the text hard-wrapped (a line without sentence-final punctuation followed
 * by one starting in lower case)? Then the shape rule takes none of its lines
 * (rpi_furniture_kinds).
 */
int rpi_furniture_wrapped(const char *text, const rpi_token *tok, const rpi_line *ln, size_t nl);

/*
 * rpi_furniture_kinds without the text: rule[i] is line i's kind by the
 * built-in rules (rpi_furniture_line), wrapped what rpi_furniture_wrapped
 * says of the text, ntok its tokens; of ln only the token counts (t1 - t0)
 * and the hashes are read. The same kinds as rpi_furniture_kinds gives the
 * text with the same counts (the index stores these facts: stored.c).
 */
void rpi_furniture_kinds_of(const rpi_counts *lines, const rpi_line *ln, size_t nl,
                            const uint8_t *rule, int wrapped, size_t ntok, uint64_t src,
                            uint8_t *kind, uint64_t *lkey);

/* Key of a document's source: its source field, else the host of its URL; 0 when neither. */
uint64_t rpi_source_key(const char *source, size_t nsource, const char *url, size_t nurl);

/* Is there sentence-final punctuation (. ! ? line break, or their ideographic
 * and full-width forms) in p[0..end)? */
int rpi_ends_sentence(const char *p, const char *end);

/* Static name of a kind: "pattern", "shape", "common", "source". */
const char *rpi_furn_name(rpi_furn_kind k);

#endif /* RP_FURNITURE_H */
