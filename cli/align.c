/* SPDX-License-Identifier: MIT */
/*
 * align.c -- `reprint align A B`: the passages two documents share, in the
 * terminal (side by side or inline; words that differ are marked, in colour
 * when standard output is a terminal) or as JSONL for programs.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

const cli_usage align_usage = {
    "usage: reprint align [OPTIONS] A B\n"
    "\n"
    "Show the passages documents A and B share: byte ranges in each text, a\n"
    "score (share of aligned words that match), and the two wordings side by\n"
    "side, words that differ marked. A and B are text files (or JSONL files\n"
    "holding one document each). The first line names the relation of the pair\n"
    "as reprint scan would within these two documents.\n",
    "reprint align examples/wire_ferry.txt examples/herald_ferry.txt",
    "show the passages two documents share"};

/* Words are runs of non-space bytes; two words are equal when their letters
 * and digits are, ignoring ASCII case (so "said," equals "said"). */
static size_t word_key(const char *w, size_t n, char *dst, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        unsigned char ch = (unsigned char)w[i];
        if (ch == 0xE2 && i + 2 < n && (unsigned char)w[i + 1] <= 0x81) {
            i += 2; /* U+2000..U+207F: quotes, dashes, ellipsis are punctuation */
            continue;
        }
        if (ch >= 0x80 || isalnum(ch))
            dst[k++] = (char)tolower(ch);
    }
    dst[k] = 0;
    return k;
}

/* The word keys of a text, sorted: is a word among its words? (Looking each
 * word up by scanning the other text made a passage's display quadratic in
 * its length: two related 2 MB texts of one long passage ran for minutes.) */
typedef struct word_set {
    char **key; /* sorted */
    size_t n;
    char *buf; /* the keys, NUL-terminated */
} word_set;

static int cmp_key(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The set of the words of t[0..m); 0, or -1 out of memory. */
static int word_set_make(word_set *s, const char *t, size_t m)
{
    memset(s, 0, sizeof *s);
    size_t nw = 0;
    for (size_t i = 0; i < m; i++)
        nw += !isspace((unsigned char)t[i]) && (i == 0 || isspace((unsigned char)t[i - 1]));
    s->key = malloc((nw + 1) * sizeof *s->key);
    s->buf = malloc(m + nw + 1); /* a key is no longer than its word, plus its NUL */
    if (!s->key || !s->buf) {
        free(s->key);
        free(s->buf);
        return -1;
    }
    size_t at = 0;
    for (size_t i = 0; i < m;) {
        while (i < m && isspace((unsigned char)t[i]))
            i++;
        size_t j = i;
        while (j < m && !isspace((unsigned char)t[j]))
            j++;
        if (j > i) {
            size_t cap = j - i + 1 < 256 ? j - i + 1 : 256;
            s->key[s->n++] = s->buf + at;
            at += word_key(t + i, j - i, s->buf + at, cap) + 1;
        }
        i = j;
    }
    qsort(s->key, s->n, sizeof *s->key, cmp_key);
    return 0;
}

static void word_set_free(word_set *s)
{
    free(s->key);
    free(s->buf);
}

/* Is word w[0..n) among the words of set s? */
static int has_word(const word_set *s, const char *w, size_t n)
{
    char key[256];
    if (!word_key(w, n, key, sizeof key))
        return 1; /* punctuation alone never counts as a difference */
    const char *k = key;
    return bsearch(&k, s->key, s->n, sizeof *s->key, cmp_key) != NULL;
}

/* Display width of s[0..n): code points (wide characters count one). */
static size_t width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += ((unsigned char)s[i] & 0xC0) != 0x80;
    return w;
}

/*
 * Break text t[0..m) into lines of at most cols columns, at spaces (a longer
 * word gets a line of its own). Writes the end offset of each line into
 * ends[] (at most cap) and returns the number of lines.
 */
static size_t wrap(const char *t, size_t m, size_t cols, size_t *ends, size_t cap)
{
    size_t n = 0, i = 0;
    while (i < m && n < cap) {
        while (i < m && isspace((unsigned char)t[i]))
            i++;
        size_t line = i, w = 0, last = i;
        while (last < m) {
            size_t j = last;
            while (j < m && isspace((unsigned char)t[j]))
                j++;
            size_t k = j;
            while (k < m && !isspace((unsigned char)t[k]))
                k++;
            size_t add = width(t + last, k - last);
            if (w + add > cols && last > line)
                break;
            w += add;
            last = k;
            if (k == m)
                break;
        }
        ends[n++] = last;
        i = last;
        (void)line;
    }
    return n;
}

/* Print t[from..to) with the words missing from the other text (its word set) marked. */
static void print_marked(const char *t, size_t from, size_t to, const word_set *other, int color,
                         size_t pad)
{
    size_t w = 0;
    for (size_t i = from; i < to;) {
        size_t j = i;
        while (j < to && isspace((unsigned char)t[j]))
            j++;
        if (j > i) {
            for (size_t k = i; k < j; k++)
                putchar(t[k] == '\n' || t[k] == '\r' || t[k] == '\t' ? ' ' : t[k]);
            w += j - i;
        }
        size_t k = j;
        while (k < to && !isspace((unsigned char)t[k]))
            k++;
        if (k > j) {
            int differs = !has_word(other, t + j, k - j);
            if (differs)
                fputs(color ? "\033[1;31m" : "[", stdout);
            fwrite(t + j, 1, k - j, stdout);
            if (differs)
                fputs(color ? "\033[0m" : "]", stdout);
            w += width(t + j, k - j) + (differs && !color ? 2 : 0);
        }
        i = k;
    }
    for (; w < pad; w++)
        putchar(' ');
}

static void show_passage(const rp_passage *p, size_t k, const char *ta, const char *tb, int inl,
                         int color, size_t cols)
{
    const char *sa = ta + p->a_start, *sb = tb + p->b_start;
    size_t na = p->a_end - p->a_start, nb = p->b_end - p->b_start;
    word_set wa, wb;
    if (word_set_make(&wa, sa, na) != 0)
        return;
    if (word_set_make(&wb, sb, nb) != 0) {
        word_set_free(&wa);
        return;
    }
    printf("%spassage %zu%s  A %u-%u  B %u-%u  score %.4f\n", color ? "\033[1m" : "", k + 1,
           color ? "\033[0m" : "", p->a_start, p->a_end, p->b_start, p->b_end,
           (double)(long)(p->score * 10000) / 10000);
    if (inl) {
        fputs("  A: ", stdout);
        print_marked(sa, 0, na, &wb, color, 0);
        fputs("\n  B: ", stdout);
        print_marked(sb, 0, nb, &wa, color, 0);
        fputs("\n\n", stdout);
        word_set_free(&wa);
        word_set_free(&wb);
        return;
    }
    /* Side by side: each column (cols - 3) / 2 wide; [marks] take room too. */
    size_t half = cols > 23 ? (cols - 3) / 2 : 10;
    size_t cap = na + nb + 2;
    size_t *ea = malloc(cap * sizeof *ea), *eb = malloc(cap * sizeof *eb);
    if (!ea || !eb) {
        free(ea);
        free(eb);
        word_set_free(&wa);
        word_set_free(&wb);
        return;
    }
    size_t wrapw = color ? half : half * 2 / 3; /* room for [marks] when plain */
    size_t la = wrap(sa, na, wrapw, ea, cap), lb = wrap(sb, nb, wrapw, eb, cap);
    size_t pa = 0, pb = 0;
    for (size_t l = 0; l < la || l < lb; l++) {
        size_t a1 = l < la ? ea[l] : pa, b1 = l < lb ? eb[l] : pb;
        while (pa < a1 && isspace((unsigned char)sa[pa]))
            pa++;
        while (pb < b1 && isspace((unsigned char)sb[pb]))
            pb++;
        print_marked(sa, pa, a1, &wb, color, half);
        fputs(" | ", stdout);
        print_marked(sb, pb, b1, &wa, color, 0);
        putchar('\n');
        pa = a1;
        pb = b1;
    }
    putchar('\n');
    free(ea);
    free(eb);
    word_set_free(&wa);
    word_set_free(&wb);
}

static size_t term_cols(void)
{
    const char *c = getenv("COLUMNS");
    if (c && atoi(c) >= 40)
        return (size_t)atoi(c);
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
        return ws.ws_col;
    return 100;
}

int cmd_align(int argc, char **argv)
{
    cli_opts o;
    int ex = cli_parse(argc, argv, CLI_ALIGN, &align_usage, &o);
    if (ex != EXIT_OK) {
        free(o.inputs);
        return ex < 0 ? EXIT_OK : ex;
    }
    if (o.ninputs != 2) {
        cli_error("align needs two documents, A and B (see 'reprint align --help')");
        free(o.inputs);
        return EXIT_USAGE;
    }
    o.quiet = 1;
    o.lib.all_pairs = 1; /* the pair is shown even when unrelated */
    o.lib.reread = 0;
    rp_corpus *c = NULL;
    const char *names[2] = {o.inputs[0], o.inputs[1]};
    ex = cli_run_corpus(&o, &c);
    free(o.inputs);
    if (ex != EXIT_OK)
        return ex;
    size_t nd = rp_corpus_ndocs(c);
    if (nd != 2) {
        cli_error("align needs one document in each of %s and %s; they hold %zu in all",
                  names[0], names[1], nd);
        rp_corpus_close(c);
        return EXIT_USAGE;
    }
    rp_pair pair;
    size_t first = 0, np = 0;
    int have = rp_corpus_npairs(c) == 1 && rp_corpus_pair(c, 0, &pair) == RP_OK &&
               rp_pair_passages(c, 0, &first, &np) == RP_OK;
    if (o.format == RP_FORMAT_JSONL) {
        if (rp_corpus_write_passages(c, stdout) != RP_OK || fflush(stdout) != 0) {
            cli_error("cannot write to standard output");
            ex = EXIT_IO;
        }
        rp_corpus_close(c);
        return ex;
    }
    char *ta = NULL, *tb = NULL;
    size_t la, lb;
    if (rp_doc_text(c, 0, &ta, &la) != RP_OK || rp_doc_text(c, 1, &tb, &lb) != RP_OK) {
        cli_error("%s", rp_errmsg(c));
        rp_free(ta);
        rp_corpus_close(c);
        return EXIT_IO;
    }
    int color = o.color >= 0 ? o.color : isatty(STDOUT_FILENO);
    printf("A: %s (%zu bytes)\nB: %s (%zu bytes)\n", rp_doc_id(c, 0), la, rp_doc_id(c, 1), lb);
    if (have)
        printf("%s (%s): %zu passage%s, coverage A %.4f, B %.4f\n\n",
               rp_relation_name(pair.relation), pair.why, np, np == 1 ? "" : "s",
               (double)(long)(pair.coverage_a * 10000) / 10000,
               (double)(long)(pair.coverage_b * 10000) / 10000);
    for (size_t k = 0; k < np; k++) {
        rp_passage p;
        rp_corpus_passage(c, first + k, &p);
        show_passage(&p, k, ta, tb, o.inline_view, color, term_cols());
    }
    if (fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        ex = EXIT_IO;
    }
    rp_free(ta);
    rp_free(tb);
    rp_corpus_close(c);
    return ex;
}
