/* SPDX-License-Identifier: MIT */
/*
 * edges.c -- stage 4, after the aligner: where a passage of two texts starts
 * and ends for a reader (whole sentences where the alignment reached a word
 * or two into the next one, the punctuation and quotes that close or open
 * it), and whether it is worth reporting (see align.h).
 */
#include "align.h"

#include <string.h>

/*
 * Passages worth reporting carry at least RPI_PASSAGE_MIN_WORDS matching
 * words that are not names: any two texts on one subject share names and
 * titles ("with North Korean leader Kim Jong Un on Friday"), which is not
 * reuse. A word is a name when it starts with an upper-case or title-case
 * letter; in scripts without case every word counts. Eight ordinary words
 * are a clause, more than stock phrasing repeats by chance.
 */
#define RPI_PASSAGE_MIN_WORDS 8

/*
 * Passages end on sentence boundaries where the texts do: a local alignment
 * happily takes one more matching word across a paragraph break ("... next
 * year. The" when both next paragraphs start with "The"). A run of at most
 * RPI_EDGE_WORDS words that opens a new sentence on both sides at the end of
 * a passage (or closes one at its start), while that sentence goes on
 * unaligned, is cut off on both sides. The words cut are equal on both sides,
 * so the two sides stay aligned.
 */
#define RPI_EDGE_WORDS 2

static int same_run(const rpi_side *va, uint32_t ia, const rpi_side *vb, uint32_t ib, uint32_t k)
{
    for (uint32_t t = 0; t < k; t++)
        if (va->art[ia + t].hash != vb->art[ib + t].hash)
            return 0;
    return 1;
}

/*
 * A passage's bytes take in the punctuation that closes its last sentence
 * (". ! ? …", closing quotes and brackets) and the quotes that open its first
 * word, when they touch the word: a reader copies "next year." with its full
 * stop. Words are the aligned units; these marks are only carried along.
 */
static int is_mark(const char *p, size_t n, size_t *len, int closing)
{
    static const char *const close_utf8[] = {"\xE2\x80\x99", "\xE2\x80\x9D", "\xC2\xBB",
                                             "\xE2\x80\xA6", "\xE3\x80\x82", "\xEF\xBC\x81",
                                             "\xEF\xBC\x9F", "\xE3\x80\x8D"};
    static const char *const open_utf8[] = {"\xE2\x80\x98", "\xE2\x80\x9C", "\xC2\xAB",
                                            "\xE3\x80\x8C"};
    if (n && strchr(closing ? ".!?\"')]" : "\"'([", p[0]) && p[0]) {
        *len = 1;
        return 1;
    }
    const char *const *list = closing ? close_utf8 : open_utf8;
    size_t nl = closing ? sizeof close_utf8 / sizeof *close_utf8
                        : sizeof open_utf8 / sizeof *open_utf8;
    for (size_t k = 0; k < nl; k++) {
        size_t m = strlen(list[k]);
        if (n >= m && memcmp(p, list[k], m) == 0) {
            *len = m;
            return 1;
        }
    }
    return 0;
}

uint32_t rpi_close_marks(const char *text, size_t len, uint32_t end)
{
    size_t m;
    while (end < len && is_mark(text + end, len - end, &m, 1))
        end += (uint32_t)m;
    return end;
}

static uint32_t open_marks(const rpi_side *v, uint32_t start)
{
    for (;;) {
        size_t m = 0;
        int found = 0;
        for (size_t back = 1; back <= 3 && back <= start && !found; back++)
            if (is_mark(v->text + start - back, back, &m, 0) && m == back)
                found = 1;
        if (!found)
            return start;
        start -= (uint32_t)m;
    }
}

/* Move the end of p back to the nearest pair of equal words (fewest words
 * dropped, within RPI_REANCHOR words of each end). */
#define RPI_REANCHOR 64

static void reanchor_end(const rpi_side *va, const rpi_side *vb, rpi_passage *p)
{
    if (va->art[p->a1 - 1].hash == vb->art[p->b1 - 1].hash)
        return;
    uint32_t best_i = 0, best_j = 0, best = UINT32_MAX;
    for (uint32_t di = 0; di < RPI_REANCHOR && di < p->a1 - p->a0; di++)
        for (uint32_t dj = 0; dj < RPI_REANCHOR && dj < p->b1 - p->b0 && di + dj < best; dj++)
            if (va->art[p->a1 - 1 - di].hash == vb->art[p->b1 - 1 - dj].hash) {
                best = di + dj;
                best_i = p->a1 - di;
                best_j = p->b1 - dj;
            }
    if (best != UINT32_MAX && best_i > p->a0 && best_j > p->b0) {
        p->a1 = best_i;
        p->b1 = best_j;
    }
}

void rpi_passage_edges(const rpi_side *va, const rpi_side *vb, rpi_passage *p)
{
    if (p->reworded)
        goto bytes; /* whole sentences already, matched as sets of words */
    /* End: the last k tokens start a sentence on both sides. */
    for (uint32_t k = 1; k <= RPI_EDGE_WORDS && k < p->a1 - p->a0 && k < p->b1 - p->b0; k++) {
        uint32_t ia = p->a1 - k, ib = p->b1 - k;
        if (va->sent[ia] == va->sent[ia - 1] || vb->sent[ib] == vb->sent[ib - 1])
            continue;
        int goes_on = (p->a1 < va->nart && va->sent[p->a1] == va->sent[ia]) ||
                      (p->b1 < vb->nart && vb->sent[p->b1] == vb->sent[ib]);
        if (goes_on && same_run(va, ia, vb, ib, k)) {
            p->a1 -= k;
            p->b1 -= k;
            p->matches -= k;
            /* The words before may be a one-sided gap the cut word was
             * reached across: end again on a pair of equal words. */
            reanchor_end(va, vb, p);
            break;
        }
    }
    /* Start: the first k tokens end a sentence on both sides. */
    for (uint32_t k = 1; k <= RPI_EDGE_WORDS && k < p->a1 - p->a0 && k < p->b1 - p->b0; k++) {
        uint32_t ia = p->a0 + k, ib = p->b0 + k; /* first tokens kept */
        if (va->sent[ia] == va->sent[ia - 1] || vb->sent[ib] == vb->sent[ib - 1])
            continue;
        int went_on = (p->a0 > 0 && va->sent[p->a0 - 1] == va->sent[p->a0]) ||
                      (p->b0 > 0 && vb->sent[p->b0 - 1] == vb->sent[p->b0]);
        if (went_on && same_run(va, p->a0, vb, p->b0, k)) {
            p->a0 += k;
            p->b0 += k;
            p->matches -= k;
            break;
        }
    }
bytes:
    p->a_start = open_marks(va, va->art[p->a0].start);
    p->a_end = rpi_close_marks(va->text, va->len, va->art[p->a1 - 1].end);
    p->b_start = open_marks(vb, vb->art[p->b0].start);
    p->b_end = rpi_close_marks(vb->text, vb->len, vb->art[p->b1 - 1].end);
    p->score = 2.0 * p->matches / ((double)(p->a1 - p->a0) + (p->b1 - p->b0));
}

int rpi_passage_significant(const rpi_side *va, const rpi_side *vb, const rpi_passage *p)
{
    /* Sentences that say the same in other words were chosen on their content words
     * (reworded.c): shared words in order are not what makes them reuse. */
    if (p->reworded)
        return 1;
    if (p->matches < RPI_PASSAGE_MIN_WORDS)
        return 0;
    /* Count, along the passage, tokens of a equal to a token of b at the same
     * rank among equal words; the aligner's matches are not listed, so this
     * counts the words of a's side present in b's side (a multiset overlap). */
    uint32_t n = 0;
    for (uint32_t i = p->a0; i < p->a1 && n < RPI_PASSAGE_MIN_WORDS; i++) {
        if (rpi_starts_upper(va->text, &va->art[i]))
            continue;
        for (uint32_t j = p->b0; j < p->b1; j++)
            if (vb->art[j].hash == va->art[i].hash) {
                n++;
                break;
            }
    }
    return n >= RPI_PASSAGE_MIN_WORDS;
}

