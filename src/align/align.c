/* SPDX-License-Identifier: MIT */
/*
 * align.c -- stage 4: passage alignment of two token sequences (see align.h).
 *
 * Four steps, each linear or near-linear in the input:
 *
 *  1. Anchors. Every NGRAM consecutive tokens of each text give an n-gram
 *     hash. A hash table holds the n-grams of the shorter text (so memory is
 *     bounded by the smaller document when a 50 MB text meets a short one)
 *     with their occurrence counts in both texts, saturating at 255. An
 *     n-gram that occurs in both texts, at most MAXOCC times in each, is an
 *     anchor at every (i, j) pair of its occurrences. Frequent n-grams never
 *     anchor, so a text of one word repeated a million times yields no
 *     anchor at all, in O(n) time and memory.
 *  2. Chains. Anchors, in order of i, are chained greedily: an anchor joins
 *     the active chain whose last anchor precedes it in both texts by at most
 *     MAXGAP + NGRAM tokens, preferring the smallest change of diagonal
 *     (j - i). A chain whose anchors cover fewer than MIN_SUPPORT tokens is
 *     taken as chance and dropped. Reordered clauses end up in different
 *     chains, hence in different passages.
 *  3. Refinement. Each chain is aligned by a Smith-Waterman local alignment
 *     on tokens with affine gaps (Gotoh), restricted to a band that follows
 *     the chain's diagonals (BAND diagonals either side, and between two
 *     anchors every diagonal between theirs) and extended EXT tokens beyond
 *     the chain's ends. A local alignment starts and ends on matching token
 *     pairs, which is what makes passages tight, while mismatches and gaps
 *     inside are tolerated when the matches around them pay for them.
 *     Instead of a traceback matrix each cell carries the origin and the
 *     match count of its best path, so memory is two band rows and the work
 *     is (passage rows) x (band width), with the width bounded by
 *     MAXGAP + NGRAM + 2 BAND + 1. A path whose score drops XDROP below its
 *     best is abandoned (BLAST's X-drop), so a passage crosses a dropped
 *     sentence but not a block of unrelated text. Anchors of the chain left
 *     wholly before or after the passage found are refined again as chains
 *     of their own (a chain may hold two passages cut by such a block).
 *  4. Selection. Candidate passages with fewer than MIN_MATCHES matches are
 *     dropped; the rest are taken greedily by alignment score, each kept only
 *     if it overlaps no kept passage on either side (checked on per-token
 *     occupancy maps), then sorted by a0.
 *
 * The greedy chaining depends on which text gives the order, so the roles
 * are fixed by the texts (the shorter one leads) rather than by the argument
 * order, which makes align(b, a) the mirror image of align(a, b).
 */
#include "align.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/*
 * Constants. None is fitted to particular texts; each follows from the
 * kind of reuse to be found (news copy, reprints, lightly edited passages).
 */

/*
 * Words per anchor n-gram. A light edit (a changed word, an added "Mr",
 * "said" for "says") breaks every n-gram that spans it, so between two edits
 * d words apart there are d - NGRAM + 1 intact n-grams: 3 still anchors
 * text edited every fourth word, which 4 or 5 would not. A single shared
 * trigram is common by chance ("one of the"), which is why anchors only
 * count when several chain (MIN_SUPPORT) and why rare n-grams alone anchor.
 */
#define NGRAM 3

/*
 * Most occurrences of an n-gram in either text for it to anchor. A passage
 * reused twice in a document (a quote repeated) still anchors; boilerplate
 * repeated many times does not, and the anchor count stays <= MAXOCC per
 * position, so anchors are O(n) even on degenerate input.
 */
#define MAXOCC 4

/*
 * Longest run of unmatched tokens between two chained anchors, in either
 * text: one long news sentence (they average 20-25 words, few pass 40), so
 * that a sentence dropped or added inside a passage does not cut the chain.
 * Whether the passage really goes on across the gap is then decided by the
 * alignment scores, not by the chain.
 */
#define MAXGAP 40

/*
 * Diagonals the band reaches beyond the chain's own on each side: room for
 * a few inserted or deleted words at the passage ends, where no anchor
 * guides the band.
 */
#define BAND 8

/*
 * Tokens the refinement may extend beyond the first and last anchor: an
 * edit near a passage end can leave up to ~2 NGRAM tokens before the first
 * intact n-gram, and a few more edits must be allowed for; beyond that the
 * passage would not have been found anyway.
 */
#define EXT 16

/*
 * Least number of tokens the anchors of a chain must cover to be refined:
 * two disjoint trigrams (or a run of 6 shared words) in a row. A single
 * shared trigram is too common by chance; two within MAXGAP are not.
 */
#define MIN_SUPPORT (2 * NGRAM)

/*
 * Least number of matching token pairs for a passage: about one short
 * sentence; below that a "passage" is a shared phrase, not reuse.
 */
#define MIN_MATCHES 8

/*
 * Scores of the local alignment. A mismatch cancels a match, so random
 * extension (matches are rare between unrelated tokens) loses score and the
 * ends stop on the last real match. A one-word insertion costs 7 and is
 * paid back by two matches; a dropped 25-word sentence costs 6 + 25 = 31,
 * paid back by the 8 matches of a short following sentence, so a passage
 * survives a dropped sentence when it goes on after it; a sentence rewritten
 * on both sides costs far more and splits the passage.
 */
#define SC_MATCH 4
#define SC_MISMATCH (-4)
#define SC_GAP_OPEN 6
#define SC_GAP_EXT 1

/*
 * X-drop (BLAST's gapped extension): a path whose score falls more than
 * XDROP below the best score it has reached is abandoned. The value is the
 * cost of the longest gap a chain may cross (MAXGAP tokens), so a dropped
 * sentence is crossed, while a long stretch of unrelated text between two
 * shared passages (a caption block, a rewritten paragraph) cuts them apart
 * however strong the passages are, instead of being paid for by them.
 */
#define XDROP (SC_GAP_OPEN + MAXGAP * SC_GAP_EXT)

/* Widest band row: diagonals of two chained anchors differ by < MAXGAP + NGRAM. */
#define WMAX (MAXGAP + NGRAM + 2 * BAND + 2)

#define NEG_INF (INT32_MIN / 4)
#define NONE UINT32_MAX

/* Scratch slots in ctx->mem. */
enum { M_TABLE, M_NEXT, M_ANCHOR, M_CHAIN, M_SEQ, M_CAND, M_OCC, M_ROWS, M_AT, M_FILTER };

/* One slot of the n-gram hash table (built on the shorter text, y). */
typedef struct slot {
    uint64_t hash; /* n-gram hash */
    uint32_t head; /* first position in y, then ->next[] */
    uint8_t cy; /* occurrences in y, saturating at 255; 0 = empty slot */
    uint8_t cx; /* occurrences in x, saturating at 255 */
} slot;

/* One anchor: a rare n-gram at a[i..i+NGRAM) and b[j..j+NGRAM). */
typedef struct anchor {
    uint32_t i, j; /* positions in a and b */
    uint32_t next; /* next anchor of the same chain, or NONE */
} anchor;

/* A chain of co-linear anchors (a linked list through anchor.next). */
typedef struct chain {
    uint32_t first, last; /* anchor indices */
    uint32_t count; /* anchors */
    uint32_t cover; /* tokens of a covered by its anchors */
} chain;

/* A state of the dynamic programme: the best path ending here. */
typedef struct dpst {
    int32_t s; /* score; <= 0 means no path (H) or -inf (E, F) */
    int32_t top; /* best score the path reached (for the X-drop) */
    uint32_t i0, j0; /* first token pair of the path */
    uint32_t m; /* matching pairs on the path */
} dpst;

/*
 * A cell as kept between rows: the best path ending on a pair (h) and on a
 * gap in b (f, a advances). The path ending on a gap in a (e, b advances)
 * depends only on the cell to its left, so it lives in a variable.
 */
typedef struct dpcell {
    dpst h, f;
} dpcell;

/* A candidate passage and the alignment score that ranks it. */
typedef struct cand {
    rpi_passage p; /* the passage */
    int32_t dp; /* local alignment score */
    uint32_t chain; /* the chain it was refined from */
} cand;

/*
 * Hash of the n-gram starting at t[0]: its token hashes (random 64-bit
 * values) each rotated by its place and xor-ed. Rotation by 21 and 42 is a
 * bijection on the differences (1 + x^21 + x^42 is prime to x^64 - 1 over
 * GF(2)), so two n-grams collide only by chance (2^-64), as with the three
 * rounds of multiply and shift this replaced (same anchors, same passages:
 * it only finds equal n-grams), at a fraction of the cost: with the filter
 * of find_anchors, the anchor search went from 364 to about 160 million
 * cycles of a one-thread scan of the news corpus (25,065 searches).
 */
static uint64_t ngram_hash(const rpi_token *t)
{
    _Static_assert(NGRAM == 3, "ngram_hash mixes three tokens");
    uint64_t b = t[1].hash, c = t[2].hash;
    return t[0].hash ^ (b << 21 | b >> 43) ^ (c << 42 | c >> 22);
}

/* Grow scratch slot k to at least n elements of size sz (contents kept). */
static int scratch(rpi_alignctx *ctx, int k, size_t n, size_t sz)
{
    return rpi_grow(&ctx->mem[k], &ctx->cap[k], n ? n : 1, sz);
}

/*
 * Step 1. Anchors of x (probed) against y (indexed), written as (i, j) with
 * i in a and j in b (swap says x is b). On return *pn anchors are in
 * ctx->mem[M_ANCHOR], sorted by (i, j).
 */
static int find_anchors(rpi_alignctx *ctx, const rpi_token *x, size_t nx, const rpi_token *y,
                        size_t ny, int swap, size_t *pn)
{
    *pn = 0;
    if (nx < NGRAM || ny < NGRAM)
        return RP_OK;
    size_t gx = nx - NGRAM + 1, gy = ny - NGRAM + 1;
    size_t cap = 16;
    while (cap < gy + gy / 2) /* load <= 2/3 */
        cap *= 2;
    RP_TRY(scratch(ctx, M_TABLE, cap, sizeof(slot)));
    RP_TRY(scratch(ctx, M_NEXT, gy, sizeof(uint32_t)));
    slot *tab = ctx->mem[M_TABLE];
    uint32_t *next = ctx->mem[M_NEXT];
    memset(tab, 0, cap * sizeof *tab);
    size_t mask = cap - 1;
    /* A bitmap of y's n-grams, 8 bits an n-gram or more (about 12% false
     * hits): most of x's n-grams are not y's, and a miss in the table
     * probes about five slots at its load of 2/3 where the bitmap reads one
     * bit (x's look-ups went from 231 to 89 million cycles of a one-thread
     * scan of the news corpus). */
    unsigned fbits = 9;
    while (fbits < 24 && ((size_t)1 << fbits) < 8 * gy)
        fbits++;
    RP_TRY(scratch(ctx, M_FILTER, ((size_t)1 << fbits) / 64, sizeof(uint64_t)));
    uint64_t *filter = ctx->mem[M_FILTER];
    memset(filter, 0, ((size_t)1 << fbits) / 8);
    const unsigned fshift = 64 - fbits;

    /* Index y backwards, so each position list comes out ascending. */
    for (size_t p = gy; p-- > 0;) {
        uint64_t h = ngram_hash(y + p);
        filter[(h >> fshift) >> 6] |= (uint64_t)1 << ((h >> fshift) & 63);
        size_t s = (size_t)h & mask;
        while (tab[s].cy && tab[s].hash != h)
            s = (s + 1) & mask;
        if (!tab[s].cy) {
            tab[s].hash = h;
            tab[s].head = NONE;
        }
        if (tab[s].cy < 255)
            tab[s].cy++;
        next[p] = tab[s].head;
        tab[s].head = (uint32_t)p;
    }
    /* Count x's occurrences of the n-grams y has, keeping each one's slot
     * so that the emitting pass probes no more. */
    RP_TRY(scratch(ctx, M_AT, gx, sizeof(uint32_t)));
    uint32_t *at = ctx->mem[M_AT];
    for (size_t p = 0; p < gx; p++) {
        uint64_t h = ngram_hash(x + p);
        if (!(filter[(h >> fshift) >> 6] >> ((h >> fshift) & 63) & 1)) {
            at[p] = NONE;
            continue;
        }
        size_t s = (size_t)h & mask;
        while (tab[s].cy && tab[s].hash != h)
            s = (s + 1) & mask;
        at[p] = tab[s].cy ? (uint32_t)s : NONE;
        if (tab[s].cy && tab[s].cx < 255)
            tab[s].cx++;
    }
    /* Emit the pairs of rare shared n-grams. */
    size_t n = 0;
    for (size_t p = 0; p < gx; p++) {
        size_t s = at[p];
        if (at[p] == NONE || tab[s].cy > MAXOCC || tab[s].cx > MAXOCC)
            continue;
        RP_TRY(scratch(ctx, M_ANCHOR, n + MAXOCC, sizeof(anchor)));
        anchor *an = ctx->mem[M_ANCHOR];
        for (uint32_t q = tab[s].head; q != NONE; q = next[q]) {
            anchor *t = &an[n++];
            t->i = swap ? q : (uint32_t)p;
            t->j = swap ? (uint32_t)p : q;
            t->next = NONE;
        }
    }
    *pn = n;
    if (swap && n > 1 && n <= 64) {
        /* Emitted in order of j: sort by (i, j) (the pairs are distinct, so
         * any sort gives one order). The few anchors most pairs have (25 on
         * average on the news corpus) by insertion, where the counting passes
         * below cost the length of the texts (28 to 12 million cycles). */
        anchor *an = ctx->mem[M_ANCHOR];
        for (size_t k = 1; k < n; k++) {
            anchor v = an[k];
            size_t q = k;
            while (q > 0 && (an[q - 1].i > v.i || (an[q - 1].i == v.i && an[q - 1].j > v.j))) {
                an[q] = an[q - 1];
                q--;
            }
            an[q] = v;
        }
    } else if (swap && n > 1) {
        /* Emitted in order of j: sort by (i, j) with two stable counting passes. */
        anchor *an = ctx->mem[M_ANCHOR];
        RP_TRY(scratch(ctx, M_SEQ, n, sizeof(anchor)));
        anchor *tmp = ctx->mem[M_SEQ];
        size_t nkey = (nx > ny ? nx : ny) + 1;
        RP_TRY(scratch(ctx, M_NEXT, nkey, sizeof(uint32_t)));
        uint32_t *cnt = ctx->mem[M_NEXT];
        for (int pass = 0; pass < 2; pass++) {
            anchor *src = pass ? tmp : an, *dst = pass ? an : tmp;
            memset(cnt, 0, nkey * sizeof *cnt);
            for (size_t k = 0; k < n; k++)
                cnt[(pass ? src[k].i : src[k].j) + 1]++;
            for (size_t k = 1; k < nkey; k++)
                cnt[k] += cnt[k - 1];
            for (size_t k = 0; k < n; k++)
                dst[cnt[pass ? src[k].i : src[k].j]++] = src[k];
        }
    }
    return RP_OK;
}

/*
 * Step 2. Chain the anchors greedily in order of i. Active chains are those
 * whose last anchor is within MAXGAP + NGRAM tokens of the current i; there
 * are at most MAXOCC of them per position of that window.
 */
static int chain_anchors(rpi_alignctx *ctx, size_t nanch, size_t *pnch)
{
    anchor *an = ctx->mem[M_ANCHOR];
    size_t nch = 0, nact = 0;
    uint32_t *act = NULL; /* active chain ids, at the end of the chain array's scratch */
    size_t capact = 0;
    int rc = RP_OK;
    const uint32_t reach = MAXGAP + NGRAM;
    for (size_t k = 0; k < nanch; k++) {
        uint32_t i = an[k].i, j = an[k].j;
        chain *ch = ctx->mem[M_CHAIN];
        uint32_t best = NONE;
        int64_t bestdrift = INT64_MAX;
        size_t w = 0;
        for (size_t q = 0; q < nact; q++) {
            chain *c = &ch[act[q]];
            const anchor *l = &an[c->last];
            if (i - l->i > reach)
                continue; /* retired: too far behind */
            act[w++] = act[q];
            if (l->i >= i || l->j >= j || j - l->j > reach)
                continue;
            int64_t drift = ((int64_t)j - i) - ((int64_t)l->j - l->i);
            if (drift < 0)
                drift = -drift;
            if (drift < bestdrift) {
                bestdrift = drift;
                best = act[q];
            }
        }
        nact = w;
        if (best != NONE) {
            chain *c = &ch[best];
            const anchor *l = &an[c->last];
            c->cover += i - l->i < NGRAM ? i - l->i : NGRAM;
            an[c->last].next = (uint32_t)k;
            c->last = (uint32_t)k;
            c->count++;
        } else {
            RP_CHECK(scratch(ctx, M_CHAIN, nch + 1, sizeof(chain)));
            ch = ctx->mem[M_CHAIN];
            ch[nch] = (chain){(uint32_t)k, (uint32_t)k, 1, NGRAM};
            RP_CHECK(rpi_grow((void **)&act, &capact, nact + 1, sizeof *act));
            act[nact++] = (uint32_t)nch;
            nch++;
        }
    }
    *pnch = nch;
fail:
    rpi_free(act);
    return rc;
}

/* Tokens of a covered by the anchors seq[0..n) (ascending i). */
static uint32_t cover_of(const anchor *seq, size_t n)
{
    uint32_t c = 0;
    for (size_t k = 0; k < n; k++)
        c += k == 0 || seq[k].i - seq[k - 1].i >= NGRAM ? NGRAM : seq[k].i - seq[k - 1].i;
    return c;
}

/*
 * Step 3. Banded local alignment around the anchors seq[0..n) (ascending
 * in i and j). On success *out is the best local alignment (out->dp > 0)
 * or out->dp == 0 when there is none.
 */
static int refine(rpi_alignctx *ctx, const rpi_token *a, size_t na, const rpi_token *b, size_t nb,
                  const anchor *seq, size_t n, cand *out)
{
    memset(out, 0, sizeof *out);
    int64_t r0 = (int64_t)seq[0].i - EXT, r1 = (int64_t)seq[n - 1].i + NGRAM + EXT;
    int64_t c0 = (int64_t)seq[0].j - EXT, c1 = (int64_t)seq[n - 1].j + NGRAM + EXT;
    if (r0 < 0)
        r0 = 0;
    if (r1 > (int64_t)na)
        r1 = (int64_t)na;
    if (c0 < 0)
        c0 = 0;
    if (c1 > (int64_t)nb)
        c1 = (int64_t)nb;
    /*
     * Two rows indexed by column (j - c0 + 1; one cell before c0), so that
     * the inner loop reads the row above without testing whether a column
     * lies in its band: the columns of the band above that it did not
     * compute are set to "no path" before each row. A gap state (E, F)
     * whose score falls to 0 is dropped: gaps only lose score, and a cell
     * whose best score is at most 0 starts afresh, so such a state can
     * never lead to a passage; without it most cells are empty and take
     * the short way below. With the band test per cell, the E state kept
     * in the rows and gap states kept down to the X-drop, this loop took
     * 16.7% of the default scan's CPU samples on the news corpus (53
     * million cells, 21 ns each); now 9.8%, same passages. The rows take
     * 80 bytes a column of b.
     */
    size_t width = (size_t)(c1 - c0) + 2;
    RP_TRY(scratch(ctx, M_ROWS, 2 * width, sizeof(dpcell)));
    dpcell *prev = ctx->mem[M_ROWS], *cur = prev + width;
    const int64_t off = c0 - 1; /* column j is at [j - off] */
    int64_t plo = 0, phi = -1; /* previous row's band, inclusive */

    dpst best = {0, 0, 0, 0, 0};
    uint32_t bi = 0, bj = 0;
    size_t k = 0; /* seq[k] is the last anchor with i <= row, once row >= seq[0].i */
    const dpst none = {NEG_INF, 0, 0, 0, 0}, zero = {0, 0, 0, 0, 0};
    const dpcell nopath = {zero, none};
    for (int64_t i = r0; i < r1; i++) {
        while (k + 1 < n && (int64_t)seq[k + 1].i <= i)
            k++;
        int64_t d1 = (int64_t)seq[k].j - seq[k].i, d2 = d1;
        if ((int64_t)seq[k].i <= i && k + 1 < n)
            d2 = (int64_t)seq[k + 1].j - seq[k + 1].i;
        int64_t lo = i + (d1 < d2 ? d1 : d2) - BAND, hi = i + (d1 > d2 ? d1 : d2) + BAND;
        if (lo < c0)
            lo = c0;
        if (hi > c1 - 1)
            hi = c1 - 1;
        if (lo > hi) {
            plo = 0;
            phi = -1;
            continue;
        }
        assert(hi - lo + 1 <= WMAX);
        /* The row above is read at columns lo - 1 .. hi. */
        for (int64_t j = lo - 1; j <= hi && j < plo; j++)
            prev[j - off] = nopath;
        for (int64_t j = phi + 1 > lo - 1 ? phi + 1 : lo - 1; j <= hi; j++)
            prev[j - off] = nopath;
        uint64_t ha = a[i].hash;
        dpst lh = zero, le = none; /* h and e of the cell to the left */
        for (int64_t j = lo; j <= hi; j++) {
            int match = ha == b[j].hash;
            const dpcell *dg = &prev[j - 1 - off], *u = &prev[j - off];
            if (!match && dg->h.s <= 0 && u->h.s <= 0 && u->f.s == NEG_INF && lh.s <= 0 &&
                le.s == NEG_INF) {
                /* No path reaches this cell and none starts here: most cells of
                 * a chain of common phrases that gives no passage. */
                cur[j - off] = nopath;
                lh = zero;
                le = none;
                continue;
            }
            /* Diagonal: extend the path ending at (i-1, j-1) or start here. */
            dpst hd = none;
            if (dg->h.s > 0) {
                hd = dg->h;
                hd.s += match ? SC_MATCH : SC_MISMATCH;
                hd.m += (uint32_t)match;
                if (hd.s > hd.top)
                    hd.top = hd.s;
                if (hd.s < hd.top - XDROP)
                    hd = none;
            }
            if (match && hd.s < SC_MATCH)
                hd = (dpst){SC_MATCH, SC_MATCH, (uint32_t)i, (uint32_t)j, 1};
            /* E: b[j] against a gap, from the left cell of this row. */
            dpst e = none;
            if (lh.s > 0) {
                e = lh;
                e.s -= SC_GAP_OPEN + SC_GAP_EXT;
            }
            if (le.s > NEG_INF && le.s - SC_GAP_EXT > e.s) {
                e = le;
                e.s -= SC_GAP_EXT;
            }
            if (e.s <= 0 || e.s < e.top - XDROP)
                e = none;
            /* F: a[i] against a gap, from the cell above. */
            dpst f = none;
            if (u->h.s > 0) {
                f = u->h;
                f.s -= SC_GAP_OPEN + SC_GAP_EXT;
            }
            if (u->f.s > NEG_INF && u->f.s - SC_GAP_EXT > f.s) {
                f = u->f;
                f.s -= SC_GAP_EXT;
            }
            if (f.s <= 0 || f.s < f.top - XDROP)
                f = none;
            /* The best of the three; ties keep the diagonal, then E. */
            dpst h = hd;
            if (e.s > h.s)
                h = e;
            if (f.s > h.s)
                h = f;
            if (h.s <= 0)
                h = zero;
            /* A passage ends on a matching pair: only such cells can be the best. */
            if (match && h.s == hd.s && hd.s > best.s) {
                best = hd;
                bi = (uint32_t)i;
                bj = (uint32_t)j;
            }
            cur[j - off].h = h;
            cur[j - off].f = f;
            lh = h;
            le = e;
        }
        dpcell *t = prev;
        prev = cur;
        cur = t;
        plo = lo;
        phi = hi;
    }
    if (best.s <= 0)
        return RP_OK;
    rpi_passage *p = &out->p;
    p->a0 = best.i0;
    p->a1 = bi + 1;
    p->b0 = best.j0;
    p->b1 = bj + 1;
    p->matches = best.m;
    out->dp = best.s;
    return RP_OK;
}

/* Refine one chain, splitting off anchors left outside each passage found. */
static int do_chain(rpi_alignctx *ctx, const rpi_token *a, size_t na, const rpi_token *b,
                    size_t nb, const chain *c, uint32_t cid, size_t *pncand)
{
    RP_TRY(scratch(ctx, M_SEQ, c->count, sizeof(anchor)));
    anchor *seq = ctx->mem[M_SEQ];
    const anchor *an = ctx->mem[M_ANCHOR];
    size_t n = 0;
    for (uint32_t q = c->first; q != NONE; q = an[q].next)
        seq[n++] = an[q];
    assert(n == c->count);

    /* Ranges of seq still to refine (a stack; each refinement pushes at most two). */
    size_t (*stack)[2] = NULL, capstack = 0, top = 0;
    int rc = RP_OK;
    RP_CHECK(rpi_grow((void **)&stack, &capstack, 1, sizeof *stack));
    stack[top][0] = 0;
    stack[top][1] = n;
    top++;
    while (top > 0) {
        top--;
        size_t s = stack[top][0], e = stack[top][1];
        if (cover_of(seq + s, e - s) < MIN_SUPPORT)
            continue;
        cand cd;
        RP_CHECK(refine(ctx, a, na, b, nb, seq + s, e - s, &cd));
        if (cd.dp <= 0)
            continue;
        cd.chain = cid;
        if (cd.p.matches >= MIN_MATCHES) {
            RP_CHECK(scratch(ctx, M_CAND, *pncand + 1, sizeof(cand)));
            ((cand *)ctx->mem[M_CAND])[(*pncand)++] = cd;
        }
        /* Anchors wholly before / after the passage on both sides. */
        size_t l = s, r = e;
        while (l < e && seq[l].i + NGRAM <= cd.p.a0 && seq[l].j + NGRAM <= cd.p.b0)
            l++;
        while (r > l && seq[r - 1].i >= cd.p.a1 && seq[r - 1].j >= cd.p.b1)
            r--;
        RP_CHECK(rpi_grow((void **)&stack, &capstack, top + 2, sizeof *stack));
        /* Each part must be strictly smaller than the range, or nothing progresses. */
        if (l > s && l - s < e - s) {
            stack[top][0] = s;
            stack[top][1] = l;
            top++;
        }
        if (r < e && e - r < e - s) {
            stack[top][0] = r;
            stack[top][1] = e;
            top++;
        }
    }
fail:
    rpi_free(stack);
    return rc;
}

static int accept(rpi_alignctx *ctx, const rpi_passage *p, uint8_t *occx, uint8_t *occy)
{
    memset(occx + p->a0, 1, p->a1 - p->a0);
    memset(occy + p->b0, 1, p->b1 - p->b0);
    RP_TRY(rpi_grow((void **)&ctx->pass, &ctx->cappass, ctx->npass + 1, sizeof *ctx->pass));
    ctx->pass[ctx->npass++] = *p;
    return RP_OK;
}

static int is_free(const uint8_t *occ, uint32_t from, uint32_t n)
{
    for (uint32_t t = from; t < from + n; t++)
        if (occ[t])
            return 0;
    return 1;
}

/*
 * A candidate that overlaps a better passage is not dropped whole: greedy
 * chaining can let a phrase repeated on another diagonal capture a chain, so
 * the candidate may hold a real passage next to the overlap (found on news
 * text: two reprinted paragraphs lost because a repeated "cts a share" pulled
 * their chain across the better passage). Its chain's anchors inside its
 * range and clear of accepted passages are refined again, run by run, and
 * what comes out clear is accepted.
 */
static int rescue(rpi_alignctx *ctx, const rpi_token *x, size_t nx, const rpi_token *y,
                  size_t ny, const cand *cd, uint8_t *occx, uint8_t *occy)
{
    const chain ch = ((const chain *)ctx->mem[M_CHAIN])[cd->chain];
    RP_TRY(scratch(ctx, M_SEQ, ch.count, sizeof(anchor)));
    anchor *seq = ctx->mem[M_SEQ];
    const anchor *an = ctx->mem[M_ANCHOR];
    size_t n = 0;
    for (uint32_t q = ch.first; q != NONE; q = an[q].next)
        if (an[q].i >= cd->p.a0 && an[q].i + NGRAM <= cd->p.a1 && an[q].j >= cd->p.b0 &&
            an[q].j + NGRAM <= cd->p.b1 && is_free(occx, an[q].i, NGRAM) &&
            is_free(occy, an[q].j, NGRAM))
            seq[n++] = an[q];
    for (size_t s = 0; s < n;) {
        /* A run: anchors with no accepted passage between them. */
        size_t e = s + 1;
        while (e < n && is_free(occx, seq[e - 1].i, seq[e].i - seq[e - 1].i) &&
               is_free(occy, seq[e - 1].j, seq[e].j - seq[e - 1].j))
            e++;
        if (cover_of(seq + s, e - s) >= MIN_SUPPORT) {
            /* Refine inside the free window around the run only, so the
             * extension cannot run into an accepted passage. */
            uint32_t la = seq[s].i, lb = seq[s].j, ha = seq[e - 1].i, hb = seq[e - 1].j;
            while (la > 0 && !occx[la - 1])
                la--;
            while (lb > 0 && !occy[lb - 1])
                lb--;
            while (ha < nx && !occx[ha])
                ha++;
            while (hb < ny && !occy[hb])
                hb++;
            for (size_t q = s; q < e; q++) {
                seq[q].i -= la;
                seq[q].j -= lb;
            }
            cand c2;
            RP_TRY(refine(ctx, x + la, ha - la, y + lb, hb - lb, seq + s, e - s, &c2));
            if (c2.dp > 0 && c2.p.matches >= MIN_MATCHES) {
                c2.p.a0 += la;
                c2.p.a1 += la;
                c2.p.b0 += lb;
                c2.p.b1 += lb;
                RP_TRY(accept(ctx, &c2.p, occx, occy));
            }
        }
        s = e;
    }
    return RP_OK;
}

/* Step 4 ordering: higher alignment score first, then position, for determinism. */
static int cmp_cand(const void *x, const void *y)
{
    const cand *p = x, *q = y;
    if (p->dp != q->dp)
        return p->dp > q->dp ? -1 : 1;
    if (p->p.a0 != q->p.a0)
        return p->p.a0 < q->p.a0 ? -1 : 1;
    if (p->p.b0 != q->p.b0)
        return p->p.b0 < q->p.b0 ? -1 : 1;
    return 0;
}

static int cmp_pass(const void *x, const void *y)
{
    const rpi_passage *p = x, *q = y;
    if (p->a0 != q->a0)
        return p->a0 < q->a0 ? -1 : 1;
    return 0;
}

/* Is x[0..n) before y[0..n) in the order of token hashes? */
static int tokens_before(const rpi_token *x, const rpi_token *y, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (x[k].hash != y[k].hash)
            return x[k].hash < y[k].hash;
    return 0;
}

/*
 * Steps 1-4 with x the shorter text (x indexes the n-gram table, so memory
 * follows the shorter text; chaining follows x's order). Passages come out
 * in ctx->pass with a = x, b = y, unsorted.
 */
static int align_core(rpi_alignctx *ctx, const rpi_token *x, size_t nx, const rpi_token *y,
                      size_t ny)
{
    size_t nanch = 0, nch = 0, ncand = 0;
    RP_TRY(find_anchors(ctx, y, ny, x, nx, 1, &nanch));
    if (nanch == 0)
        return RP_OK;
    RP_TRY(chain_anchors(ctx, nanch, &nch));
    for (size_t c = 0; c < nch; c++) {
        chain ch = ((chain *)ctx->mem[M_CHAIN])[c];
        if (ch.cover < MIN_SUPPORT)
            continue;
        RP_TRY(do_chain(ctx, x, nx, y, ny, &ch, (uint32_t)c, &ncand));
    }
    if (ncand == 0)
        return RP_OK;

    cand *cd = ctx->mem[M_CAND];
    qsort(cd, ncand, sizeof *cd, cmp_cand);
    RP_TRY(scratch(ctx, M_OCC, nx + ny, 1));
    uint8_t *occx = ctx->mem[M_OCC], *occy = occx + nx;
    memset(occx, 0, nx + ny);
    for (size_t k = 0; k < ncand; k++) {
        const rpi_passage *p = &cd[k].p;
        int clash = 0;
        for (uint32_t t = p->a0; t < p->a1 && !clash; t++)
            clash = occx[t];
        for (uint32_t t = p->b0; t < p->b1 && !clash; t++)
            clash = occy[t];
        if (clash) {
            RP_TRY(rescue(ctx, x, nx, y, ny, &cd[k], occx, occy));
            continue;
        }
        RP_TRY(accept(ctx, p, occx, occy));
    }
    return RP_OK;
}

int rpi_align(rpi_alignctx *ctx, const rpi_token *a, size_t na, const rpi_token *b, size_t nb)
{
    ctx->npass = 0;
    if (na < NGRAM || nb < NGRAM)
        return RP_OK;
    if (na >= UINT32_MAX || nb >= UINT32_MAX)
        return RP_EINVAL;
    /*
     * Greedy chaining depends on which text sets the order, so the roles
     * are fixed by the texts, not by the argument order: the shorter text
     * (then the smaller token hashes) is x. rpi_align(a, b) and
     * rpi_align(b, a) then give mirror images of the same passages.
     */
    int swap = nb < na || (nb == na && tokens_before(b, a, na));
    int rc = swap ? align_core(ctx, b, nb, a, na) : align_core(ctx, a, na, b, nb);
    if (rc != RP_OK) {
        ctx->npass = 0;
        return rc;
    }
    for (size_t k = 0; k < ctx->npass; k++) {
        rpi_passage *o = &ctx->pass[k];
        if (swap) {
            uint32_t t0 = o->a0, t1 = o->a1;
            o->a0 = o->b0;
            o->a1 = o->b1;
            o->b0 = t0;
            o->b1 = t1;
        }
        assert(o->a0 < o->a1 && o->a1 <= na && o->b0 < o->b1 && o->b1 <= nb);
        o->a_start = a[o->a0].start;
        o->a_end = a[o->a1 - 1].end;
        o->b_start = b[o->b0].start;
        o->b_end = b[o->b1 - 1].end;
        o->score = 2.0 * o->matches / (double)((o->a1 - o->a0) + (o->b1 - o->b0));
    }
    if (ctx->npass > 1)
        qsort(ctx->pass, ctx->npass, sizeof *ctx->pass, cmp_pass);
    return RP_OK;
}

void rpi_alignctx_free(rpi_alignctx *ctx)
{
    for (size_t i = 0; i < sizeof ctx->mem / sizeof *ctx->mem; i++)
        rpi_free(ctx->mem[i]);
    for (size_t i = 0; i < sizeof ctx->rw / sizeof *ctx->rw; i++)
        rpi_free(ctx->rw[i]);
    rpi_free(ctx->pass);
    memset(ctx, 0, sizeof *ctx);
}
