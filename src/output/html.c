/* SPDX-License-Identifier: MIT */
/*
 * html.c -- stage 7: the report, one self-contained HTML page (reprint.h,
 * rp_corpus_write_html; README "The report").
 *
 * Layout of the page, in file order:
 *
 *   <head>   title "reprint report: N documents", the inline style sheet
 *   <body>   a header with the navigation, <main id="app"> (filled by the script)
 *            one <script type="application/json" id="tN"> per document N: its text
 *            as a JSON string
 *            <script type="application/json" id="data">: everything else (below)
 *            the one inline application script
 *
 * Nothing is loaded from elsewhere: no external script, style, font or image,
 * and no URL from a document becomes a link. Every string from the input
 * (ids, metadata, texts) is written only inside those JSON script elements,
 * escaped so that no text can end the element: '<' is written as \u003c (so
 * neither "</script" nor "<!--" can appear), U+2028 and U+2029 as \u2028 and
 * \u2029, control characters as \uXXXX. The script builds each view from the
 * data with createElement and textContent only, never innerHTML, so a
 * document containing markup shows it as text and runs nothing.
 *
 * Why the data is embedded rather than rendered as HTML: a collection of
 * 10,000 documents has tens of thousands of pairs; writing every pair view as
 * HTML would repeat each text once per pair it is in (quadratic in the worst
 * case). Embedded once, each text costs its own size, each pair and passage a
 * few numbers, so the file grows linearly with the collection; the views
 * (overview, stories, documents, pairs, one pair side by side) are built on
 * demand from location.hash and lists are paginated, 100 rows a page. Texts
 * are parsed (JSON.parse) only when a view shows them, so opening the report
 * parses one small data object, not every text.
 *
 * Offsets. The library's ranges (passages, differences, furniture) are byte
 * offsets into UTF-8 text; JavaScript strings index UTF-16 code units. The
 * writer converts every offset here, while it reads each text to embed it:
 * the ranges that touch a document are gathered by a counting sort on the
 * document, sorted by byte offset, and converted in one walk over the text
 * (a UTF-16 unit starts at every byte that is not a continuation byte, and a
 * second one at every 4-byte sequence's lead byte). The data object holds
 * UTF-16 offsets only, so the script slices strings directly.
 *
 * The data object ("data"):
 *   v          version string
 *   relations  relation names, indexed by the numbers below
 *   whys       the distinct "why" strings of the pairs
 *   kinds      difference kinds; furns: furniture rules
 *   docs       [id, date, source, title, url, [start, end, rule, ...], lede] per
 *              document (metadata null when absent; furniture lines in UTF-16 units;
 *              lede: the first line of article text, cut, null without texts)
 *   removed    per document: the kept document standing in its place, or -1
 *   pairs      [a, b, relation, why, jaccard, containment_a, containment_b,
 *               coverage_a, coverage_b, similarity, first passage, passages,
 *               first difference, differences] per pair, in order of (a, b)
 *   pass       flat: a_start, a_end, b_start, b_end, score per passage
 *   diff       flat: a_start, a_end, b_start, b_end, kind per difference
 *   stories    [representative, members...] per story, members by date
 *              (undated last), then input order
 *   copies     [representative, members...] per cluster of copies, same order
 *   timelines  per timeline, its events in date order, four values each: story
 *              (index into stories, -1 for a lone document), document (the lone
 *              one, or the story's first member), first and last date
 *              ("YYYY-MM-DD", null when undated)
 *   skipped    bad documents skipped
 */
#include <string.h>
#include <math.h>
#include <stdlib.h>

#include "corpus_int.h"

/* Scores as the other writers print them: four decimals, rounded down. */
static double floor4(double x)
{
    return floor(x * 10000.0 + 1e-9) / 10000.0;
}

static int flush(rpi_buf *b, FILE *f, int force)
{
    if (b->len < (1 << 16) && !force)
        return RP_OK;
    if (b->len && fwrite(b->data, 1, b->len, f) != b->len)
        return RP_EIO;
    b->len = 0;
    return RP_OK;
}

/*
 * A JSON string safe inside an HTML script element: JSON escapes, plus '<' as
 * \u003c and U+2028/U+2029 as \u2028/\u2029 (see the file comment). Bytes
 * that need nothing are copied in runs.
 */
static int js_str(rpi_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    RP_TRY(rpi_buf_putc(b, '"'));
    size_t run = 0; /* start of the pending run of bytes copied as they are */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        char e[7] = {'\\', 'u', '0', '0', 0, 0, 0};
        size_t skip = 1; /* input bytes replaced by the escape */
        if (ch == '"' || ch == '\\') {
            e[1] = (char)ch;
            RP_TRY(rpi_buf_append(b, s + run, i - run));
            RP_TRY(rpi_buf_append(b, e, 2));
            run = i + 1;
            continue;
        }
        if (ch >= 0x20 && ch != '<' && ch != 0xE2)
            continue;
        if (ch == '\n') { /* the common control character, in its short form */
            RP_TRY(rpi_buf_append(b, s + run, i - run));
            RP_TRY(rpi_buf_append(b, "\\n", 2));
            run = i + 1;
            continue;
        }
        if (ch == 0xE2) {
            /* U+2028 is E2 80 A8, U+2029 E2 80 A9 */
            if (i + 2 >= n || (unsigned char)s[i + 1] != 0x80 ||
                ((unsigned char)s[i + 2] != 0xA8 && (unsigned char)s[i + 2] != 0xA9))
                continue;
            e[2] = '2';
            e[4] = '2';
            e[5] = (unsigned char)s[i + 2] == 0xA8 ? '8' : '9';
            skip = 3;
        } else {
            e[4] = hex[ch >> 4];
            e[5] = hex[ch & 15];
        }
        RP_TRY(rpi_buf_append(b, s + run, i - run));
        RP_TRY(rpi_buf_append(b, e, 6));
        run = i + skip;
        i += skip - 1;
    }
    RP_TRY(rpi_buf_append(b, s + run, n - run));
    return rpi_buf_putc(b, '"');
}

/* A string or null (NULL: absent). */
static int js_opt(rpi_buf *b, const char *s)
{
    return s ? js_str(b, s, strlen(s)) : rpi_buf_append(b, "null", 4);
}

/* Index of s in the table t[0..*n), added when new (the tables are small: a few
 * dozen static strings, compared by pointer first). */
static int intern(const char ***t, size_t *n, size_t *cap, const char *s, size_t *idx)
{
    for (size_t i = 0; i < *n; i++)
        if ((*t)[i] == s || strcmp((*t)[i], s) == 0) {
            *idx = i;
            return RP_OK;
        }
    RP_TRY(rpi_grow((void **)t, cap, *n + 1, sizeof **t));
    (*t)[*n] = s;
    *idx = (*n)++;
    return RP_OK;
}

static int js_table(rpi_buf *b, const char *name, const char *const *t, size_t n)
{
    RP_TRY(rpi_buf_printf(b, ",\"%s\":[", name));
    for (size_t i = 0; i < n; i++) {
        if (i)
            RP_TRY(rpi_buf_putc(b, ','));
        RP_TRY(js_str(b, t[i], strlen(t[i])));
    }
    return rpi_buf_putc(b, ']');
}

/* Everything the offsets conversion needs: the ranges touching each document. */
typedef struct offmap {
    uint32_t *u16; /* converted offsets: passages (4 each), differences (4), furniture (2) */
    size_t nref; /* their number */
    size_t *first; /* per document: its references ref[first[d] .. first[d+1]) */
    uint64_t *ref; /* byte offset << 32 | slot in u16, sorted per document */
    uint64_t *tmp; /* sort scratch */
    size_t captmp; /* its capacity */
} offmap;

static void offmap_free(offmap *m)
{
    rpi_free(m->u16);
    rpi_free(m->first);
    rpi_free(m->ref);
    rpi_free(m->tmp);
}

/* Slot numbers in u16: passage i side a = 4i, 4i+1, side b = 4i+2, 4i+3; then the
 * differences the same way; then furniture line i = 2i, 2i+1. */
static void ref_add(offmap *m, size_t *pos, uint32_t doc, uint32_t off, size_t slot)
{
    m->ref[pos[doc]++] = (uint64_t)off << 32 | slot;
}

static int offmap_build(const rp_corpus *c, offmap *m)
{
    size_t npass = c->npass, ndiff = c->ndiff, nfurn = c->nfurn;
    int rc = RP_OK;
    size_t *pos = NULL;
    memset(m, 0, sizeof *m);
    m->nref = 4 * npass + 4 * ndiff + 2 * nfurn;
    if (m->nref >= UINT32_MAX)
        return RP_ENOMEM; /* slots are 32 bits: 4 billion ranges would not fit anyway */
    m->u16 = rpi_malloc((m->nref + 1) * sizeof *m->u16);
    m->ref = rpi_malloc((m->nref + 1) * sizeof *m->ref);
    m->first = rpi_calloc(c->ndocs + 1, sizeof *m->first);
    pos = rpi_calloc(c->ndocs + 1, sizeof *pos);
    if (!m->u16 || !m->ref || !m->first || !pos) {
        rc = RP_ENOMEM;
        goto fail;
    }
    /* Counting sort on the document. */
    for (size_t i = 0; i < npass; i++) {
        pos[c->pass[i].a] += 2;
        pos[c->pass[i].b] += 2;
    }
    for (size_t i = 0; i < ndiff; i++) {
        pos[c->diff[i].a] += 2;
        pos[c->diff[i].b] += 2;
    }
    for (size_t i = 0; i < nfurn; i++)
        pos[c->furn[i].doc] += 2;
    size_t sum = 0;
    for (size_t d = 0; d <= c->ndocs; d++) {
        size_t k = pos[d];
        m->first[d] = pos[d] = sum;
        sum += k;
    }
    for (size_t i = 0; i < npass; i++) {
        const rp_passage *p = &c->pass[i];
        ref_add(m, pos, p->a, p->a_start, 4 * i);
        ref_add(m, pos, p->a, p->a_end, 4 * i + 1);
        ref_add(m, pos, p->b, p->b_start, 4 * i + 2);
        ref_add(m, pos, p->b, p->b_end, 4 * i + 3);
    }
    size_t base = 4 * npass;
    for (size_t i = 0; i < ndiff; i++) {
        const rp_difference *p = &c->diff[i];
        ref_add(m, pos, p->a, p->a_start, base + 4 * i);
        ref_add(m, pos, p->a, p->a_end, base + 4 * i + 1);
        ref_add(m, pos, p->b, p->b_start, base + 4 * i + 2);
        ref_add(m, pos, p->b, p->b_end, base + 4 * i + 3);
    }
    base += 4 * ndiff;
    for (size_t i = 0; i < nfurn; i++) {
        ref_add(m, pos, c->furn[i].doc, c->furn[i].start, base + 2 * i);
        ref_add(m, pos, c->furn[i].doc, c->furn[i].end, base + 2 * i + 1);
    }
fail:
    rpi_free(pos);
    return rc;
}

/*
 * Convert the byte offsets of document d (text t[0..n)) to UTF-16 units. An
 * offset inside a character (never produced by the library) maps to the next
 * character; one past the end of the text is an internal error.
 */
static int offmap_convert(offmap *m, uint32_t d, const char *t, size_t n)
{
    uint64_t *r = m->ref + m->first[d];
    size_t k = m->first[d + 1] - m->first[d];
    RP_TRY(rpi_sort_u64(r, k, &m->tmp, &m->captmp));
    uint32_t units = 0; /* UTF-16 units before byte i */
    size_t j = 0;
    for (size_t i = 0; i <= n && j < k; i++) {
        unsigned char ch = i < n ? (unsigned char)t[i] : 0;
        if (i < n && (ch & 0xC0) == 0x80)
            continue; /* a continuation byte starts no character */
        for (; j < k && (r[j] >> 32) <= i; j++)
            m->u16[r[j] & 0xFFFFFFFFu] = units;
        units += ch >= 0xF0 ? 2 : 1; /* 4-byte sequences are surrogate pairs */
    }
    return j == k ? RP_OK : RP_EINTERNAL;
}

/* A member of a cluster, to sort by date. */
typedef struct dated {
    int64_t key; /* rpi_date_key of its date, INT64_MAX when undated */
    uint32_t doc; /* document number */
} dated;

static int dated_cmp(const void *x, const void *y)
{
    const dated *p = x, *q = y;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    return p->doc < q->doc ? -1 : p->doc > q->doc;
}

/* Each cluster of cl as [representative, members...], members by date (undated last),
 * then input order. */
static int js_clusters(rpi_buf *b, FILE *f, const rp_corpus *c, const rpi_clusters *cl,
                       const char *name)
{
    dated *v = NULL;
    size_t cap = 0;
    int rc = rpi_buf_printf(b, ",\"%s\":[", name);
    for (size_t k = 0; rc == RP_OK && k < cl->n; k++) {
        size_t n = cl->start[k + 1] - cl->start[k];
        RP_CHECK(rpi_grow((void **)&v, &cap, n, sizeof *v));
        for (size_t i = 0; i < n; i++) {
            v[i].doc = cl->members[cl->start[k] + i];
            v[i].key = c->docs[v[i].doc].date_key;
        }
        qsort(v, n, sizeof *v, dated_cmp);
        RP_CHECK(rpi_buf_printf(b, "%s[%u", k ? "," : "", cl->rep[k]));
        for (size_t i = 0; i < n; i++)
            RP_CHECK(rpi_buf_printf(b, ",%u", v[i].doc));
        RP_CHECK(rpi_buf_putc(b, ']'));
        RP_CHECK(flush(b, f, 0));
    }
    if (rc == RP_OK)
        rc = rpi_buf_putc(b, ']');
fail:
    rpi_free(v);
    return rc;
}

/* The timelines: per event its story (or -1), document and dates. */
static int js_timelines(rpi_buf *b, FILE *f, const rp_corpus *c)
{
    int rc = rpi_buf_append(b, ",\"timelines\":[", 14);
    for (size_t k = 0; rc == RP_OK && k < rp_corpus_ntimelines(c); k++) {
        size_t ne = 0;
        rp_corpus_timeline(c, k, &ne);
        RP_CHECK(rpi_buf_append(b, k ? ",[" : "[", k ? 2 : 1));
        for (size_t i = 0; i < ne; i++) {
            rp_event e;
            rp_corpus_event(c, k, i, &e);
            RP_CHECK(rpi_buf_printf(b, "%s%ld,%u,", i ? "," : "",
                                    e.story == RP_NO_STORY ? -1L : (long)e.story, e.doc));
            RP_CHECK(e.first[0] ? rpi_buf_printf(b, "\"%s\",\"%s\"", e.first, e.last)
                                : rpi_buf_append(b, "null,null", 9));
        }
        RP_CHECK(rpi_buf_putc(b, ']'));
        RP_CHECK(flush(b, f, 0));
    }
    if (rc == RP_OK)
        rc = rpi_buf_putc(b, ']');
fail:
    return rc;
}

/*
 * The page around the data. The application script and the style sheet are kept
 * one line a string, as written. The Content-Security-Policy allows no load at all
 * (default-src 'none'), inline style, and exactly one script: the application,
 * named by its SHA-256 (so an element or handler that some text managed to
 * inject would not run either). After changing page_js, put the new hash in
 * page_csp: tests/cli/report_structure.sh prints it, and the browser refuses
 * the script (the page stays at "Loading") until it matches.
 */
static const char page_head[] = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
static const char page_csp[] = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-m+XgJMY4mhAY5JlYf3TIHLUYdBzC6zO5S10UdjItbi8='; base-uri 'none'; form-action 'none'\">\n<title>reprint report: ";
static const char page_body[] = "</style>\n</head>\n<body>\n<header class=\"top\">\n<h1><span>reprint</span> report: ";
static const char page_nav[] = "</h1>\n<nav aria-label=\"views\"><a href=\"#/\" data-v=\"\">Overview</a><a href=\"#/stories\" data-v=\"stories\">Stories</a><a href=\"#/timelines\" data-v=\"timelines\">Timelines</a><a href=\"#/docs\" data-v=\"docs\">Documents</a><a href=\"#/pairs\" data-v=\"pairs\">Pairs</a></nav>\n</header>\n<main id=\"app\" tabindex=\"-1\"><p>Loading the report&hellip;</p></main>\n<noscript><p>This report builds its views with JavaScript: allow scripts for this file to read it (the data is in the page).</p></noscript>\n<footer>Written by reprint. One self-contained file: nothing is loaded from elsewhere. Keys: <kbd>j</kbd> / <kbd>k</kbd> next and previous passage, <kbd>/</kbd> filter documents.</footer>\n";
static const char page_tail[] = "</script>\n</body>\n</html>\n";

/* The style sheet: narrow windows (below 700px) stack the two texts of a pair. */
static const char *const page_css[] = {
    ":root{--ink:#1c2230;--mute:#5d6675;--line:#e2e4e8;--bg:#f5f4f0;--card:#fff;--acc:#1b4f91;--top:#15213b;--gold:#f0b429}\n",
    "*{box-sizing:border-box}\n",
    "html{-webkit-text-size-adjust:100%}\n",
    "body{margin:0;font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif;color:var(--ink);background:var(--bg)}\n",
    "header.top{background:var(--top);color:#fff;padding:.75rem 1.5rem;display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 2rem}\n",
    "header.top h1{font:600 1.1rem/1.3 Georgia,\"Times New Roman\",serif;margin:0;letter-spacing:.01em}\n",
    "header.top h1 span{color:var(--gold)}\n",
    "header.top nav{display:flex;flex-wrap:wrap;gap:.2rem 1.3rem}\n",
    "header.top nav a{color:#cfd7e6;text-decoration:none;padding:.15rem 0;border-bottom:2px solid transparent}\n",
    "header.top nav a:hover{color:#fff}\n",
    "header.top nav a[aria-current]{color:#fff;border-bottom-color:var(--gold)}\n",
    "main{display:block;max-width:1320px;margin:0 auto;padding:1.2rem 1.5rem 2rem}\n",
    "main:focus{outline:none}\n",
    "footer{max-width:1320px;margin:0 auto;padding:0 1.5rem 2rem;color:var(--mute);font-size:.82rem}\n",
    "h2{font:normal 1.65rem/1.25 Georgia,\"Times New Roman\",serif;margin:.3rem 0 .7rem;overflow-wrap:anywhere}\n",
    "h2:focus{outline:none}\n",
    "h2 .arrow{color:#8a93a3;padding:0 .15em}\n",
    "h3{font-size:1rem;margin:1.7rem 0 .6rem;text-transform:uppercase;letter-spacing:.06em;color:#3a4352}\n",
    "a{color:var(--acc);text-underline-offset:2px}\n",
    "a:focus-visible,button:focus-visible,input:focus-visible,mark:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--gold);outline-offset:2px}\n",
    "button{font:inherit;font-size:.85rem;border:1px solid #c5cad3;background:#fff;border-radius:6px;padding:.2rem .6rem;cursor:pointer;color:var(--ink)}\n",
    "button:hover{background:#eef2f8}\n",
    ".lead{color:var(--mute);max-width:62rem;margin:.2rem 0 1rem}\n",
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(145px,1fr));gap:.7rem}\n",
    ".card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem}\n",
    ".stat a{text-decoration:none;color:inherit}\n",
    ".stat a:hover b{color:var(--acc)}\n",
    ".stat b{display:block;font-size:1.75rem;font-weight:600;font-variant-numeric:tabular-nums;line-height:1.2}\n",
    ".stat span{color:var(--mute);font-size:.84rem}\n",
    ".tw{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px}\n",
    "table{border-collapse:collapse;width:100%}\n",
    "th,td{text-align:left;padding:.45rem .7rem;border-bottom:1px solid var(--line);vertical-align:top}\n",
    "tr:last-child td{border-bottom:0}\n",
    "th{font-size:.74rem;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:var(--mute);background:#fafaf7;white-space:nowrap}\n",
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n",
    "td.nw{white-space:nowrap}\n",
    "td.doc{min-width:12rem}\n",
    "td .dif{line-height:1.7}\n",
    "tbody tr:hover{background:#fbfaf5}\n",
    ".rel{display:inline-block;padding:.08rem .55rem;border-radius:999px;font-size:.76rem;font-weight:600;color:#fff;white-space:nowrap;text-decoration:none;letter-spacing:.01em}\n",
    "a.rel:hover{filter:brightness(1.15)}\n",
    ".r0{background:#5b2a86}.r1{background:#7b3fb8}.r2{background:#b42323}.r3{background:#c25a12}.r4{background:#1f6aa5}.r5{background:#2f7d57}.r6{background:#6b7280}\n",
    ".dl{font-weight:600;overflow-wrap:anywhere}\n",
    ".id{display:block;color:var(--mute);font-size:.78rem;overflow-wrap:anywhere}\n",
    ".lede{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;color:#4a5260;font-size:.86rem;line-height:1.4;margin-top:.1rem;max-width:44rem}\n",
    "p.lead+dl .lede,h2+p.lead{-webkit-line-clamp:none}\n",
    ".meta{color:var(--mute);font-size:.88rem}\n",
    ".tag{display:inline-block;font-size:.72rem;font-weight:600;border-radius:4px;padding:0 .4rem;margin-left:.4rem;vertical-align:.1em;background:#e8edf5;color:#2b3b55;white-space:nowrap}\n",
    ".tag.rm{background:#fde8e8;color:#8a1c1c}\n",
    ".tag.rep{background:#fff3c4;color:#6b4e00}\n",
    ".stories{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:.8rem}\n",
    ".story h4{margin:0 0 .2rem;font:600 1.05rem/1.35 Georgia,\"Times New Roman\",serif;overflow-wrap:anywhere;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}\n",
    ".story ol{margin:.5rem 0 0;padding-left:1.2rem;font-size:.88rem}\n",
    ".story li{margin:.15rem 0;overflow-wrap:anywhere}\n",
    ".story .d{color:var(--mute);font-variant-numeric:tabular-nums;margin-right:.4rem}\n",
    ".axis{position:relative;height:3.4rem;margin:.6rem 1.2rem 1.4rem;border-bottom:2px solid #9aa3b2}\n",
    ".axis .mk{position:absolute;bottom:-7px;width:12px;height:12px;margin-left:-6px;border-radius:50%;background:var(--acc);border:2px solid #fff;box-shadow:0 0 0 1px var(--acc)}\n",
    ".axis .mk.story{background:#c25a12;box-shadow:0 0 0 1px #c25a12}\n",
    ".axis .mk.cur{background:var(--gold);box-shadow:0 0 0 2px var(--top);width:16px;height:16px;margin-left:-8px;bottom:-9px}\n",
    ".axis .end{position:absolute;top:100%;margin-top:.4rem;font-size:.78rem;color:var(--mute);white-space:nowrap}\n",
    ".axis .end.r{right:0}\n",
    ".axis .lb{position:absolute;bottom:14px;font-size:.74rem;color:var(--mute);white-space:nowrap;transform:translateX(-50%)}\n",
    ".tl li.cur{font-weight:600}\n",
    ".pager{display:flex;flex-wrap:wrap;align-items:center;gap:.6rem 1rem;margin:.8rem 0}\n",
    ".pager .meta{margin-right:auto}\n",
    ".pager a,.pager span.off{padding:.2rem .6rem;border:1px solid #c5cad3;border-radius:6px;background:#fff;text-decoration:none}\n",
    ".pager span.off{color:#aab0ba}\n",
    ".filters{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0 .8rem}\n",
    ".filters a{padding:.2rem .7rem;border:1px solid #c5cad3;border-radius:999px;background:#fff;text-decoration:none;font-size:.85rem;color:var(--ink)}\n",
    ".filters a[aria-current]{background:var(--top);color:#fff;border-color:var(--top)}\n",
    "label.search{display:flex;align-items:center;gap:.6rem;margin:.2rem 0 .6rem;flex-wrap:wrap}\n",
    "label.search input{font:inherit;padding:.35rem .6rem;border:1px solid #c5cad3;border-radius:6px;min-width:16rem;max-width:100%}\n",
    "dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.4rem 0 1rem}\n",
    "dl.kv dt{color:var(--mute)}\n",
    "dl.kv dd{margin:0;overflow-wrap:anywhere}\n",
    ".why{font-size:1.02rem;margin:.2rem 0 .6rem}\n",
    ".scores{display:flex;flex-wrap:wrap;gap:.4rem 1.4rem;font-size:.88rem;color:var(--mute);margin:0 0 .8rem}\n",
    ".scores b{color:var(--ink);font-variant-numeric:tabular-nums}\n",
    ".legend{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.2rem;font-size:.85rem;color:var(--mute);margin:.8rem 0}\n",
    ".cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:1rem;align-items:start}\n",
    ".col{background:var(--card);border:1px solid var(--line);border-radius:8px;min-width:0}\n",
    ".col>header{padding:.7rem 1.1rem;border-bottom:1px solid var(--line);background:#fbfaf7;border-radius:8px 8px 0 0}\n",
    ".txt{font:16.5px/1.7 Georgia,\"Times New Roman\",serif;white-space:pre-wrap;overflow-wrap:anywhere;padding:1rem 1.3rem;color:#222}\n",
    ".card.txt{max-width:48rem}\n",
    ".cols .txt{max-height:78vh;overflow:auto}\n",
    ".gap{display:block;height:.55em}\n",
    "mark{color:inherit}\n",
    "mark.psg{background:var(--pc);border-radius:3px;cursor:pointer;padding:.08em 0;box-decoration-break:clone;-webkit-box-decoration-break:clone}\n",
    "mark.psg.on{box-shadow:0 0 0 2px var(--top);background:var(--pc2)}\n",
    ".p0{--pc:#fff1a6;--pc2:#ffe45c}.p1{--pc:#d3e7ff;--pc2:#a9d0ff}.p2{--pc:#d6f3d0;--pc2:#aee7a2}.p3{--pc:#ffdbe8;--pc2:#ffb3ce}.p4{--pc:#ffe3c4;--pc2:#ffc78a}.p5{--pc:#e7dcff;--pc2:#cdb8ff}\n",
    "sup.pn{font:700 .62rem/1 system-ui,sans-serif;background:var(--top);color:#fff;border-radius:3px;padding:.12em .35em;margin-right:.3em;vertical-align:.45em}\n",
    ".furn{color:#9aa1ab;font-style:italic}\n",
    ".dif{background:#ffd4d4;color:#7d0f0f;border-bottom:2px solid #c81e1e;font-weight:600;cursor:help}\n",
    ".dif.on{outline:2px solid #c81e1e}\n",
    ".sample{padding:.05rem .4rem;border-radius:3px;font-style:normal}\n",
    ".keys{color:var(--mute);font-size:.82rem}\n",
    "kbd{font:600 .78rem ui-monospace,monospace;border:1px solid #c5cad3;border-bottom-width:2px;border-radius:4px;padding:0 .3rem;background:#fff}\n",
    ".empty{color:var(--mute);font-style:italic}\n",
    ".err{color:#8a1c1c}\n",
    "@media (max-width:700px){\n",
    "header.top{padding:.6rem .9rem}\n",
    "main{padding:.9rem .7rem 1.5rem}\n",
    "footer{padding:0 .7rem 1.5rem}\n",
    ".cols{grid-template-columns:minmax(0,1fr)}\n",
    ".cols .txt{max-height:none}\n",
    ".txt{padding:.8rem .9rem;font-size:16px}\n",
    ".stories{grid-template-columns:1fr}\n",
    "h2{font-size:1.35rem}\n",
    "th,td{padding:.4rem .5rem}\n",
    ".hide-n{display:none}\n",
    "}\n",
};

/*
 * The application: builds the view named by location.hash (#/, #/stories, #/story/N,
 * #/docs, #/doc/ID, #/pairs?rel=R, #/pair/A/B, ids URI-encoded) from the data,
 * with createElement and text nodes only.
 */
static const char *const page_js[] = {
    "(function () {\n",
    "'use strict';\n",
    "/* Views are built from the embedded data with createElement and textContent only. */\n",
    "var D = JSON.parse(document.getElementById('data').textContent);\n",
    "var docs = D.docs, pairs = D.pairs, N = docs.length, REL = D.relations;\n",
    "var PAGE = 100, SPAGE = 30;\n",
    "var app = document.getElementById('app');\n",
    "var enc = encodeURIComponent;\n",
    "var MEANS = {\n",
    "  'duplicate': 'identical once normalised',\n",
    "  'near-duplicate': 'the same text with small edits',\n",
    "  'reprint': 'one text reuses most of the other, edited',\n",
    "  'same-story': 'the same event: some shared wording, the rest rewritten',\n",
    "  'shares-passages': 'another event that reuses background passages',\n",
    "  'same-topic': 'same people and subject, no shared wording',\n",
    "  'unrelated': 'compared and found unrelated'\n",
    "};\n",
    "var adj = [], storyOf = new Int32Array(N).fill(-1), copyOf = new Int32Array(N).fill(-1);\n",
    "var i, k;\n",
    "for (i = 0; i < N; i++) adj.push([]);\n",
    "for (i = 0; i < pairs.length; i++) { adj[pairs[i][0]].push(i); adj[pairs[i][1]].push(i); }\n",
    "for (k = 0; k < D.stories.length; k++) for (i = 1; i < D.stories[k].length; i++) storyOf[D.stories[k][i]] = k;\n",
    "for (k = 0; k < D.copies.length; k++) for (i = 1; i < D.copies[k].length; i++) copyOf[D.copies[k][i]] = k;\n",
    "var nremoved = 0, nfurn = 0, relCount = REL.map(function () { return 0; }), ndiffPairs = 0;\n",
    "for (i = 0; i < N; i++) { if (D.removed[i] >= 0) nremoved++; nfurn += docs[i][5].length / 3; }\n",
    "pairs.forEach(function (p) { relCount[p[2]]++; if (p[13] > 0) ndiffPairs++; });\n",
    "\n",
    "function h(tag, attrs) {\n",
    "  var e = document.createElement(tag);\n",
    "  if (attrs) Object.keys(attrs).forEach(function (a) {\n",
    "    var v = attrs[a];\n",
    "    if (v === null || v === undefined || v === false) return;\n",
    "    if (a === 'class') e.className = v;\n",
    "    else if (a.slice(0, 2) === 'on') e.addEventListener(a.slice(2), v);\n",
    "    else e.setAttribute(a, String(v));\n",
    "  });\n",
    "  for (var j = 2; j < arguments.length; j++) put(e, arguments[j]);\n",
    "  return e;\n",
    "}\n",
    "function put(e, x) {\n",
    "  if (x === null || x === undefined || x === false) return;\n",
    "  if (Array.isArray(x)) x.forEach(function (y) { put(e, y); });\n",
    "  else if (typeof x === 'object') e.appendChild(x);\n",
    "  else e.appendChild(document.createTextNode(String(x)));\n",
    "}\n",
    "function fmt(n) { return n.toLocaleString('en-US'); }\n",
    "function pct(x) { return Math.round(x * 100) + '%'; }\n",
    "function plural(n, one, many) { return fmt(n) + ' ' + (n === 1 ? one : many); }\n",
    "function id(d) { return docs[d][0]; }\n",
    "/* A document's name: its title, else the last part of its id (a file name). */\n",
    "function label(d) { return docs[d][3] || docs[d][0].replace(/^.*[\\/\\\\](?=.)/, ''); }\n",
    "function docHref(d) { return '#/doc/' + enc(id(d)); }\n",
    "function pairHref(p) { return '#/pair/' + enc(id(pairs[p][0])) + '/' + enc(id(pairs[p][1])); }\n",
    "/* Link to a document, with its full id when the name differs (full) and its lede. */\n",
    "function docLink(d, full) {\n",
    "  var l = docs[d][6];\n",
    "  return h('span', null, h('a', {href: docHref(d), class: 'dl', title: id(d)}, label(d)),\n",
    "           full && label(d) !== id(d) ? h('span', {class: 'id'}, id(d)) : null,\n",
    "           l && l !== docs[d][3] ? h('span', {class: 'lede'}, l) : null);\n",
    "}\n",
    "function relBadge(r, link) {\n",
    "  return link ? h('a', {class: 'rel r' + r, href: '#/pairs?rel=' + enc(REL[r]), title: MEANS[REL[r]]}, REL[r])\n",
    "              : h('span', {class: 'rel r' + r, title: MEANS[REL[r]]}, REL[r]);\n",
    "}\n",
    "function dateOf(d) { return docs[d][1] || ''; }\n",
    "function dateRange(members) {\n",
    "  var ds = members.map(dateOf).filter(function (x) { return x; });\n",
    "  if (!ds.length) return 'undated';\n",
    "  return ds[0] === ds[ds.length - 1] ? ds[0] : ds[0] + ' to ' + ds[ds.length - 1];\n",
    "}\n",
    "function table(heads, rows, empty) {\n",
    "  if (!rows.length) return h('p', {class: 'empty'}, empty || 'None.');\n",
    "  return h('div', {class: 'tw'}, h('table', null,\n",
    "    h('thead', null, h('tr', null, heads.map(function (x) {\n",
    "      return h('th', {class: x[1] || null, scope: 'col'}, x[0]);\n",
    "    }))),\n",
    "    h('tbody', null, rows)));\n",
    "}\n",
    "function td(x, cls) { return h('td', cls ? {class: cls} : null, x); }\n",
    "function query() {\n",
    "  var s = location.hash.indexOf('?');\n",
    "  return new URLSearchParams(s < 0 ? '' : location.hash.slice(s + 1));\n",
    "}\n",
    "function pager(total, page, per, base) {\n",
    "  var pages = Math.max(1, Math.ceil(total / per));\n",
    "  var sep = base.indexOf('?') < 0 ? '?' : '&';\n",
    "  function go(p, text, rel) {\n",
    "    return p < 1 || p > pages ? h('span', {class: 'off', 'aria-disabled': 'true'}, text)\n",
    "                              : h('a', {href: base + sep + 'page=' + p, rel: rel}, text);\n",
    "  }\n",
    "  var from = total ? (page - 1) * per + 1 : 0, to = Math.min(total, page * per);\n",
    "  return h('nav', {class: 'pager', 'aria-label': 'pages'},\n",
    "    h('span', {class: 'meta'}, 'Showing ' + fmt(from) + '\\u2013' + fmt(to) + ' of ' + fmt(total)),\n",
    "    go(page - 1, '\\u2190 Previous', 'prev'), h('span', {class: 'meta'}, 'page ' + page + ' of ' + pages),\n",
    "    go(page + 1, 'Next \\u2192', 'next'));\n",
    "}\n",
    "function pageOf(q, total, per) {\n",
    "  var p = parseInt(q.get('page') || '1', 10);\n",
    "  return Math.min(Math.max(1, isNaN(p) ? 1 : p), Math.max(1, Math.ceil(total / per)));\n",
    "}\n",
    "var texts = new Map();\n",
    "function text(d) {\n",
    "  if (!texts.has(d)) {\n",
    "    if (texts.size > 64) texts.clear();\n",
    "    var e = document.getElementById('t' + d);\n",
    "    texts.set(d, e ? JSON.parse(e.textContent) : null);\n",
    "  }\n",
    "  return texts.get(d);\n",
    "}\n",
    "function findPair(a, b) {\n",
    "  if (a > b) { var t = a; a = b; b = t; }\n",
    "  var l = adj[a];\n",
    "  for (var j = 0; j < l.length; j++) if (pairs[l[j]][0] === a && pairs[l[j]][1] === b) return l[j];\n",
    "  return -1;\n",
    "}\n",
    "function other(p, d) { return pairs[p][0] === d ? pairs[p][1] : pairs[p][0]; }\n",
    "\n",
    "/* ---- overview ---- */\n",
    "function stat(n, what, href) {\n",
    "  var b = h('b', null, fmt(n));\n",
    "  return h('div', {class: 'card stat'}, href ? h('a', {href: href}, b) : b, h('span', null, what));\n",
    "}\n",
    "function storyOrder() {\n",
    "  var o = D.stories.map(function (s, k) { return k; });\n",
    "  o.sort(function (x, y) { return D.stories[y].length - D.stories[x].length || x - y; });\n",
    "  return o;\n",
    "}\n",
    "function storyCard(k) {\n",
    "  var s = D.stories[k], m = s.slice(1), show = m.slice(0, 6);\n",
    "  return h('article', {class: 'card story'},\n",
    "    h('h4', null, h('a', {href: '#/story/' + (k + 1)}, docs[s[0]][3] || docs[s[0]][6] || label(s[0]))),\n",
    "    h('div', {class: 'meta'}, 'Story ' + (k + 1) + ' \\u00b7 ' + plural(m.length, 'document', 'documents') + ' \\u00b7 ' + dateRange(m)),\n",
    "    h('ol', null, show.map(function (d) {\n",
    "      return h('li', null, dateOf(d) ? h('span', {class: 'd'}, dateOf(d)) : null,\n",
    "        h('a', {href: docHref(d), title: id(d)}, label(d)), docs[d][2] ? h('span', {class: 'meta'}, ' \\u00b7 ' + docs[d][2]) : null,\n",
    "        D.removed[d] >= 0 ? h('span', {class: 'tag rm'}, 'copy') : null);\n",
    "    })),\n",
    "    m.length > show.length ? h('div', {class: 'meta'}, '\\u2026 and ' + plural(m.length - show.length, 'more document', 'more documents')) : null);\n",
    "}\n",
    "function overview() {\n",
    "  put(app, [\n",
    "    h('h2', null, 'Overview'),\n",
    "    h('p', {class: 'lead'}, 'How the ' + plural(N, 'document', 'documents') + ' of this collection reuse each other\\u2019s text: copies, reprints, reports of the same story and shared background passages, with the passages aligned side by side.'),\n",
    "    h('div', {class: 'cards'},\n",
    "      stat(N, 'documents', '#/docs'), stat(nremoved, 'copies removed', '#/docs?removed=1'),\n",
    "      stat(D.stories.length, 'stories', '#/stories'), stat(TL.length, 'timelines', '#/timelines'), stat(pairs.length, 'related pairs', '#/pairs'),\n",
    "      stat(D.pass.length / 5, 'aligned passages'), stat(D.diff.length / 5, 'differing figures', '#/pairs?rel=differences'),\n",
    "      stat(nfurn, 'furniture lines'), D.skipped ? stat(D.skipped, 'bad documents skipped') : null),\n",
    "    h('h3', null, 'How documents relate'),\n",
    "    table([['Relation'], ['Pairs', 'n'], ['Meaning']], REL.map(function (r, j) {\n",
    "      if (j === REL.length - 1 && !relCount[j]) return null;\n",
    "      return h('tr', null, td(relBadge(j, relCount[j] > 0)), td(fmt(relCount[j]), 'n'), td(MEANS[r]));\n",
    "    }).filter(Boolean))]);\n",
    "  var o = storyOrder().slice(0, 6);\n",
    "  put(app, [h('h3', null, 'Largest stories'), o.length ? h('div', {class: 'stories'}, o.map(storyCard))\n",
    "                                                     : h('p', {class: 'empty'}, 'No stories: no two documents report the same event.'),\n",
    "            D.stories.length > o.length ? h('p', null, h('a', {href: '#/stories'}, 'All ' + fmt(D.stories.length) + ' stories \\u2192')) : null]);\n",
    "  var ot = tlOrder().slice(0, 4);\n",
    "  if (ot.length)\n",
    "    put(app, [h('h3', null, 'Largest timelines'), h('div', {class: 'stories'}, ot.map(tlCard)),\n",
    "              TL.length > ot.length ? h('p', null, h('a', {href: '#/timelines'}, 'All ' + fmt(TL.length) + ' timelines \\u2192')) : null]);\n",
    "  var lone = [];\n",
    "  for (var d = 0; d < N; d++) if (storyOf[d] < 0) lone.push(d);\n",
    "  if (lone.length)\n",
    "    put(app, [h('h3', null, 'In no story'),\n",
    "      h('p', null, plural(lone.length, 'document reports', 'documents report') + ' an event no other document here reports; their relations (same topic, shared background) are listed with them.'),\n",
    "      table([['Document'], ['Date'], ['Relations', 'n']], lone.slice(0, 20).map(function (d) {\n",
    "        return h('tr', null, td(docLink(d, true)), td(dateOf(d) || '\\u2014', 'nw'), td(fmt(adj[d].length), 'n'));\n",
    "      })),\n",
    "      lone.length > 20 ? h('p', null, h('a', {href: '#/docs?nostory=1'}, 'All ' + fmt(lone.length) + ' documents in no story \\u2192')) : null]);\n",
    "  var dp = pairs.map(function (p, j) { return j; }).filter(function (j) { return pairs[j][13] > 0; });\n",
    "  if (dp.length) {\n",
    "    dp.sort(function (x, y) { return pairs[y][13] - pairs[x][13] || x - y; });\n",
    "    put(app, [h('h3', null, 'Where sources disagree on figures'), pairTable(dp.slice(0, 8), true),\n",
    "      dp.length > 8 ? h('p', null, h('a', {href: '#/pairs?rel=differences'}, 'All ' + fmt(dp.length) + ' pairs whose figures differ \\u2192')) : null]);\n",
    "  }\n",
    "}\n",
    "\n",
    "/* ---- stories ---- */\n",
    "function storiesView(q) {\n",
    "  var o = storyOrder(), page = pageOf(q, o.length, SPAGE);\n",
    "  put(app, [h('h2', null, 'Stories'),\n",
    "    h('p', {class: 'lead'}, 'Documents joined by reprints and reports of the same event, with their copies; largest first. Within a story, documents are in date order where dates are known.'),\n",
    "    o.length ? [pager(o.length, page, SPAGE, '#/stories'),\n",
    "                h('div', {class: 'stories'}, o.slice((page - 1) * SPAGE, page * SPAGE).map(storyCard)),\n",
    "                pager(o.length, page, SPAGE, '#/stories')]\n",
    "             : h('p', {class: 'empty'}, 'No stories: no two documents report the same event.')]);\n",
    "}\n",
    "function storyView(n) {\n",
    "  var k = parseInt(n, 10) - 1;\n",
    "  if (!(k >= 0 && k < D.stories.length)) return missing('There is no story ' + n + '.');\n",
    "  var s = D.stories[k], m = s.slice(1), inStory = new Set(m), ps = [];\n",
    "  m.forEach(function (d) {\n",
    "    adj[d].forEach(function (p) { if (pairs[p][0] === d && inStory.has(pairs[p][1])) ps.push(p); });\n",
    "  });\n",
    "  ps.sort(function (x, y) { return x - y; });\n",
    "  put(app, [h('h2', null, docs[s[0]][3] || docs[s[0]][6] || label(s[0])),\n",
    "    h('p', {class: 'meta'}, 'Story ' + (k + 1) + ' \\u00b7 ' + plural(m.length, 'document', 'documents') + ' \\u00b7 ' + dateRange(m) + ' \\u00b7 ' + plural(ps.length, 'relation', 'relations') + ' inside the story'),\n",
    "    h('h3', null, 'Documents, in date order'),\n",
    "    table([['Date'], ['Document'], ['Source', 'hide-n'], ['In this story']], m.map(function (d) {\n",
    "      var rels = adj[d].filter(function (p) { return inStory.has(other(p, d)); }).length;\n",
    "      return h('tr', null, td(dateOf(d) || '\\u2014', 'nw'),\n",
    "        td([docLink(d, true), d === s[0] ? h('span', {class: 'tag rep'}, 'most complete version') : null,\n",
    "            D.removed[d] >= 0 ? h('span', {class: 'tag rm'}, 'copy of ' + label(D.removed[d])) : null]),\n",
    "        td(docs[d][2] || '', 'hide-n'), td(plural(rels, 'relation', 'relations'), 'nw'));\n",
    "    })),\n",
    "    h('h3', null, 'Relations inside the story'), pairTable(ps), tlContext({s: k, d: s[0]})]);\n",
    "}\n",
    "\n",
    "/* ---- timelines ---- */\n",
    "var TL = D.timelines, tlOfStory = new Map(), tlOfDoc = new Map();\n",
    "TL.forEach(function (t, k) {\n",
    "  for (var e = 0; e < t.length; e += 4) { if (t[e] >= 0) tlOfStory.set(t[e], k); else tlOfDoc.set(t[e + 1], k); }\n",
    "});\n",
    "function tlEvents(k) {\n",
    "  var t = TL[k], ev = [];\n",
    "  for (var e = 0; e < t.length; e += 4) ev.push({s: t[e], d: t[e + 1], first: t[e + 2], last: t[e + 3]});\n",
    "  return ev;\n",
    "}\n",
    "function evTitle(e) { var d = e.s >= 0 ? D.stories[e.s][0] : e.d; return docs[d][3] || docs[d][6] || label(d); }\n",
    "function evHref(e) { return e.s >= 0 ? '#/story/' + (e.s + 1) : docHref(e.d); }\n",
    "function evWhat(e) { return e.s >= 0 ? 'Story ' + (e.s + 1) + ' \\u00b7 ' + plural(D.stories[e.s].length - 1, 'document', 'documents') : 'one document'; }\n",
    "function evDates(e) { return !e.first ? 'undated' : e.first === e.last ? e.first : e.first + ' \\u2013 ' + e.last; }\n",
    "function dayNum(x) { return Date.parse(x + 'T00:00:00Z') / 864e5; }\n",
    "function tlOfEvent(e) { return e.s >= 0 ? tlOfStory.get(e.s) : tlOfDoc.get(e.d); }\n",
    "function tlTitle(k) { var ev = tlEvents(k); return evTitle(ev[ev.length - 1].first ? ev[ev.length - 1] : ev[0]); }\n",
    "function tlRange(ev) {\n",
    "  var ds = ev.filter(function (e) { return e.first; });\n",
    "  return ds.length ? ds[0].first + (ds.length > 1 ? ' \\u2013 ' + ds[ds.length - 1].last : '') : 'undated';\n",
    "}\n",
    "/* Dated events as markers on a line from the first date to the last; cur: the event shown. */\n",
    "function axis(ev, cur) {\n",
    "  var ds = ev.filter(function (e) { return e.first; });\n",
    "  if (!ds.length) return null;\n",
    "  var lo = dayNum(ds[0].first), hi = Math.max(lo, dayNum(ds[ds.length - 1].last)), ax = h('div', {class: 'axis', role: 'img', 'aria-label': 'events from ' + ds[0].first + ' to ' + ds[ds.length - 1].last});\n",
    "  ds.forEach(function (e, i) {\n",
    "    var x = hi > lo ? (dayNum(e.first) - lo) / (hi - lo) * 100 : 50;\n",
    "    var mk = h('a', {class: 'mk' + (e.s >= 0 ? ' story' : '') + (e === cur ? ' cur' : ''), href: evHref(e), title: evDates(e) + ': ' + evTitle(e)});\n",
    "    mk.style.left = x + '%';\n",
    "    ax.appendChild(mk);\n",
    "    if (i === 0 || i === ds.length - 1 || e === cur) { var lb = h('span', {class: 'lb'}, e.first); lb.style.left = x + '%'; ax.appendChild(lb); }\n",
    "  });\n",
    "  return ax;\n",
    "}\n",
    "function tlList(ev, cur) {\n",
    "  return h('ol', {class: 'tl'}, ev.map(function (e) {\n",
    "    return h('li', e === cur ? {class: 'cur'} : null, h('span', {class: 'd'}, evDates(e)), ' ',\n",
    "      e === cur ? evTitle(e) : h('a', {href: evHref(e)}, evTitle(e)), h('span', {class: 'meta'}, ' \\u00b7 ' + evWhat(e)));\n",
    "  }));\n",
    "}\n",
    "function tlOrder() {\n",
    "  var o = TL.map(function (t, k) { return k; });\n",
    "  o.sort(function (x, y) { return TL[y].length - TL[x].length || x - y; });\n",
    "  return o;\n",
    "}\n",
    "function tlCard(k) {\n",
    "  var ev = tlEvents(k), show = ev.slice(0, 6);\n",
    "  return h('article', {class: 'card story'},\n",
    "    h('h4', null, h('a', {href: '#/timeline/' + (k + 1)}, tlTitle(k))),\n",
    "    h('div', {class: 'meta'}, 'Timeline ' + (k + 1) + ' \\u00b7 ' + plural(ev.length, 'event', 'events') + ' \\u00b7 ' + tlRange(ev)),\n",
    "    axis(ev, null), tlList(show, null),\n",
    "    ev.length > show.length ? h('div', {class: 'meta'}, '\\u2026 and ' + plural(ev.length - show.length, 'more event', 'more events')) : null);\n",
    "}\n",
    "function timelinesView(q) {\n",
    "  var o = tlOrder(), page = pageOf(q, o.length, SPAGE);\n",
    "  put(app, [h('h2', null, 'Timelines'),\n",
    "    h('p', {class: 'lead'}, 'Events on one subject over time: stories, and documents in no story, joined when most of their pairs relate (the same topic, shared background). Most events first; events by date, undated ones last.'),\n",
    "    o.length ? [pager(o.length, page, SPAGE, '#/timelines'),\n",
    "                h('div', {class: 'stories'}, o.slice((page - 1) * SPAGE, page * SPAGE).map(tlCard)),\n",
    "                pager(o.length, page, SPAGE, '#/timelines')]\n",
    "             : h('p', {class: 'empty'}, 'No timelines: no two events here are on one subject.')]);\n",
    "}\n",
    "function timelineView(n) {\n",
    "  var k = parseInt(n, 10) - 1;\n",
    "  if (!(k >= 0 && k < TL.length)) return missing('There is no timeline ' + n + '.');\n",
    "  var ev = tlEvents(k);\n",
    "  put(app, [h('h2', null, tlTitle(k)),\n",
    "    h('p', {class: 'meta'}, 'Timeline ' + (k + 1) + ' \\u00b7 ' + plural(ev.length, 'event', 'events') + ' \\u00b7 ' + tlRange(ev)),\n",
    "    axis(ev, null),\n",
    "    h('h3', null, 'Events, in date order'),\n",
    "    table([['Date'], ['Event'], ['Documents']], ev.map(function (e) {\n",
    "      return h('tr', null, td(evDates(e), 'nw'), td(h('a', {href: evHref(e)}, evTitle(e))), td(evWhat(e), 'nw'));\n",
    "    }))]);\n",
    "}\n",
    "/* Where an event stands on its timeline: the axis, then the events before and after it. */\n",
    "function tlContext(e) {\n",
    "  var k = tlOfEvent(e);\n",
    "  if (k === undefined) return null;\n",
    "  var ev = tlEvents(k), cur = null;\n",
    "  ev.forEach(function (x) { if (x.s === e.s && (e.s >= 0 || x.d === e.d)) cur = x; });\n",
    "  return [h('h3', null, 'On its timeline'),\n",
    "    h('p', {class: 'meta'}, h('a', {href: '#/timeline/' + (k + 1)}, 'Timeline ' + (k + 1)), ' \\u00b7 ' + plural(ev.length, 'event', 'events') + ' \\u00b7 ' + tlRange(ev)),\n",
    "    axis(ev, cur), tlList(ev, cur)];\n",
    "}\n",
    "/* ---- documents ---- */\n",
    "function docRow(d) {\n",
    "  var st = storyOf[d];\n",
    "  return h('tr', null, td(fmt(d + 1), 'n'), td(docLink(d, true)), td(dateOf(d) || '\\u2014', 'nw'),\n",
    "    td(docs[d][2] || '', 'hide-n'), td(fmt(adj[d].length), 'n'),\n",
    "    td(st >= 0 ? h('a', {href: '#/story/' + (st + 1)}, 'Story ' + (st + 1)) : '\\u2014', 'nw'),\n",
    "    td(D.removed[d] >= 0 ? h('span', null, 'copy of ', h('a', {href: docHref(D.removed[d])}, label(D.removed[d]))) : ''));\n",
    "}\n",
    "function docsView(q) {\n",
    "  var box = h('div');\n",
    "  var removedOnly = q.get('removed') === '1', lonely = q.get('nostory') === '1';\n",
    "  var input = h('input', {type: 'search', value: q.get('q') || '', placeholder: 'id, title, source, date or first words', 'aria-describedby': 'fhint'});\n",
    "  function draw(page) {\n",
    "    var f = input.value.trim().toLowerCase(), sel = [];\n",
    "    for (var d = 0; d < N; d++) {\n",
    "      if ((removedOnly && D.removed[d] < 0) || (lonely && storyOf[d] >= 0)) continue;\n",
    "      if (f && (docs[d][0] + ' ' + (docs[d][3] || '') + ' ' + (docs[d][2] || '') + ' ' + (docs[d][1] || '') + ' ' + (docs[d][6] || '')).toLowerCase().indexOf(f) < 0) continue;\n",
    "      sel.push(d);\n",
    "    }\n",
    "    page = Math.min(Math.max(1, page), Math.max(1, Math.ceil(sel.length / PAGE)));\n",
    "    var flt = removedOnly ? '?removed=1' : lonely ? '?nostory=1' : '';\n",
    "    var base = '#/docs' + flt + (f ? (flt ? '&' : '?') + 'q=' + enc(input.value.trim()) : '');\n",
    "    box.replaceChildren(pager(sel.length, page, PAGE, base),\n",
    "      table([['#', 'n'], ['Document'], ['Date'], ['Source', 'hide-n'], ['Relations', 'n'], ['Story'], ['Copy']],\n",
    "            sel.slice((page - 1) * PAGE, page * PAGE).map(docRow), 'No document matches.'),\n",
    "      sel.length > PAGE ? pager(sel.length, page, PAGE, base) : null);\n",
    "    return base;\n",
    "  }\n",
    "  input.addEventListener('input', function () {\n",
    "    var base = draw(1);\n",
    "    history.replaceState(null, '', base);\n",
    "  });\n",
    "  put(app, [h('h2', null, removedOnly ? 'Copies removed' : lonely ? 'Documents in no story' : 'Documents'),\n",
    "    h('p', {class: 'lead'}, removedOnly ? 'Documents that are a copy (duplicate or near-duplicate) of a kept document.'\n",
    "                          : lonely ? 'Documents that report an event no other document here reports.'\n",
    "                                       : 'Every document in input order, with its relations, its story and, for a copy, the document kept in its place.'),\n",
    "    h('label', {class: 'search'}, 'Filter', input, h('span', {id: 'fhint', class: 'keys'}, 'press ', h('kbd', null, '/'), ' to filter')), box]);\n",
    "  draw(pageOf(q, N, PAGE));\n",
    "}\n",
    "function missing(msg) {\n",
    "  put(app, [h('h2', null, 'Not found'), h('p', null, msg), h('p', null, h('a', {href: '#/'}, 'Back to the overview'))]);\n",
    "}\n",
    "function docView(ident) {\n",
    "  var d = byId.get(ident);\n",
    "  if (d === undefined) return missing('No document has the id \\u201c' + ident + '\\u201d.');\n",
    "  var st = storyOf[d], cp = copyOf[d], ps = adj[d].slice();\n",
    "  ps.sort(function (x, y) { return pairs[x][2] - pairs[y][2] || other(x, d) - other(y, d); });\n",
    "  var kv = h('dl', {class: 'kv'});\n",
    "  function row(k, v) { if (v !== null && v !== undefined && v !== '') put(kv, [h('dt', null, k), h('dd', null, v)]); }\n",
    "  row('id', id(d)); row('date', docs[d][1]); row('source', docs[d][2]); row('url', docs[d][4]);\n",
    "  var tk = st >= 0 ? tlOfStory.get(st) : tlOfDoc.get(d);\n",
    "  row('timeline', tk !== undefined ? h('a', {href: '#/timeline/' + (tk + 1)}, 'Timeline ' + (tk + 1) + ': ' + tlTitle(tk)) : null);\n",
    "  row('story', st >= 0 ? h('a', {href: '#/story/' + (st + 1)}, 'Story ' + (st + 1) + ': ' + label(D.stories[st][0])) : 'none');\n",
    "  if (D.removed[d] >= 0) row('copy', h('span', null, 'removed: a copy of ', h('a', {href: docHref(D.removed[d])}, label(D.removed[d]))));\n",
    "  else if (cp >= 0) row('copies', h('span', null, D.copies[cp].slice(1).filter(function (x) { return x !== d; }).map(function (x, j) {\n",
    "    return [j ? ', ' : '', h('a', {href: docHref(x)}, label(x))];\n",
    "  }), ' (removed in its favour)'));\n",
    "  put(app, [h('h2', null, label(d)), docs[d][6] && docs[d][6] !== docs[d][3] ? h('p', {class: 'lead'}, docs[d][6]) : null, kv, h('h3', null, 'Relations'),\n",
    "    table([['Document'], ['Relation'], ['Why', 'hide-n'], ['Passages', 'n'], ['Figures differ', 'n'], ['']], ps.map(function (p) {\n",
    "      var o = other(p, d);\n",
    "      return h('tr', null, td(docLink(o)), td(relBadge(pairs[p][2], false)), td(D.whys[pairs[p][3]], 'hide-n'),\n",
    "        td(fmt(pairs[p][11]), 'n'), td(pairs[p][13] ? fmt(pairs[p][13]) : '', 'n'),\n",
    "        td(h('a', {href: pairHref(p)}, 'compare'), 'nw'));\n",
    "    }), 'No related document.'),\n",
    "    h('h3', null, 'Text')]);\n",
    "  var t = text(d), f = [], fu = docs[d][5];\n",
    "  for (var j = 0; j < fu.length; j += 3) f.push({s: fu[j], e: fu[j + 1], title: 'page furniture (' + D.furns[fu[j + 2]] + '): not counted as article text'});\n",
    "  if (f.length) put(app, h('div', {class: 'legend'}, h('span', {class: 'furn sample'}, 'grey text'), 'page furniture (captions, bylines, links), set aside when texts are compared'));\n",
    "  put(app, t === null ? h('p', {class: 'empty'}, 'The text was not kept (fast mode).')\n",
    "                      : h('div', {class: 'card txt'}, renderText(t, [], f, [], '')));\n",
    "}\n",
    "\n",
    "/* ---- pairs ---- */\n",
    "/* The first differing figure of pair p, as the two wordings, or null. */\n",
    "function firstDiff(p) {\n",
    "  var x = pairs[p];\n",
    "  if (!x[13]) return null;\n",
    "  var ta = text(x[0]), tb = text(x[1]), r = x[12] * 5;\n",
    "  if (ta === null || tb === null) return null;\n",
    "  return h('span', null, h('span', {class: 'dif'}, ta.slice(D.diff[r], D.diff[r + 1])), ' vs ',\n",
    "           h('span', {class: 'dif'}, tb.slice(D.diff[r + 2], D.diff[r + 3])), x[13] > 1 ? h('span', {class: 'meta'}, ' and ' + (x[13] - 1) + ' more') : null);\n",
    "}\n",
    "function pairTable(ps, figures) {\n",
    "  return table([['First'], ['Second'], ['Relation'], ['Passages', 'n'], ['Coverage', 'n hide-n'], figures ? ['Figures that differ'] : ['Figures differ', 'n'], ['']], ps.map(function (p) {\n",
    "    var x = pairs[p];\n",
    "    return h('tr', null, td(docLink(x[0]), 'doc'), td(docLink(x[1]), 'doc'), td(relBadge(x[2], false)), td(fmt(x[11]), 'n'),\n",
    "      td(x[11] ? pct(x[7]) + ' / ' + pct(x[8]) : '', 'n hide-n'), figures ? td(firstDiff(p)) : td(x[13] ? fmt(x[13]) : '', 'n'),\n",
    "      td(h('a', {href: pairHref(p)}, 'compare'), 'nw'));\n",
    "  }), 'No pair.');\n",
    "}\n",
    "function pairsView(q) {\n",
    "  var rel = q.get('rel') || '', r = REL.indexOf(rel), sel = [];\n",
    "  for (var p = 0; p < pairs.length; p++)\n",
    "    if (rel === '' || pairs[p][2] === r || (rel === 'differences' && pairs[p][13] > 0)) sel.push(p);\n",
    "  var page = pageOf(q, sel.length, PAGE), base = '#/pairs' + (rel ? '?rel=' + enc(rel) : '');\n",
    "  function chip(v, text, n) { return h('a', {href: '#/pairs' + (v ? '?rel=' + enc(v) : ''), 'aria-current': v === rel ? 'page' : null}, text + ' (' + fmt(n) + ')'); }\n",
    "  put(app, [h('h2', null, rel === 'differences' ? 'Pairs whose figures differ' : rel ? 'Pairs: ' + rel : 'Related pairs'),\n",
    "    h('p', {class: 'lead'}, rel && MEANS[rel] ? MEANS[rel] + '.' : 'Every related pair, first document before second in input order.'),\n",
    "    h('nav', {class: 'filters', 'aria-label': 'relation'}, chip('', 'all', pairs.length),\n",
    "      REL.map(function (x, j) { return relCount[j] ? chip(x, x, relCount[j]) : null; }),\n",
    "      ndiffPairs ? chip('differences', 'figures differ', ndiffPairs) : null),\n",
    "    pager(sel.length, page, PAGE, base), pairTable(sel.slice((page - 1) * PAGE, page * PAGE), rel === 'differences'),\n",
    "    sel.length > PAGE ? pager(sel.length, page, PAGE, base) : null]);\n",
    "}\n",
    "\n",
    "/*\n",
    " * A text with its ranges: passages (marks, linked to the other side), furniture\n",
    " * (grey) and differing figures, cut at every range end; ranges are in UTF-16 units.\n",
    " */\n",
    "/* t[x..y) with a little space after a single line break (a paragraph end in most\n",
    " * texts; blank lines show as they are). */\n",
    "function breaks(t, x, y) {\n",
    "  var out = [], i = x;\n",
    "  while (i < y) {\n",
    "    var nl = t.indexOf('\\n', i);\n",
    "    if (nl < 0 || nl >= y) { out.push(document.createTextNode(t.slice(i, y))); break; }\n",
    "    out.push(document.createTextNode(t.slice(i, nl + 1)));\n",
    "    if (nl > 0 && t.charAt(nl - 1) !== '\\n' && nl + 1 < t.length && t.charAt(nl + 1) !== '\\n')\n",
    "      out.push(h('span', {class: 'gap', 'aria-hidden': 'true'}));\n",
    "    i = nl + 1;\n",
    "  }\n",
    "  return out;\n",
    "}\n",
    "function renderText(t, psg, furn, dif, side) {\n",
    "  var cuts = [0, t.length];\n",
    "  [psg, furn, dif].forEach(function (l) { l.forEach(function (r) { cuts.push(r.s, r.e); }); });\n",
    "  cuts = Array.from(new Set(cuts.map(function (x) { return Math.min(Math.max(0, x), t.length); }))).sort(function (x, y) { return x - y; });\n",
    "  var root = document.createDocumentFragment(), cur = root, curP = null, pi = 0, fi = 0, seen = new Set();\n",
    "  for (var j = 0; j + 1 < cuts.length; j++) {\n",
    "    var x = cuts[j], y = cuts[j + 1];\n",
    "    while (pi < psg.length && psg[pi].e <= x) pi++;\n",
    "    var p = pi < psg.length && psg[pi].s <= x ? psg[pi] : null;\n",
    "    if (p !== curP) {\n",
    "      curP = p;\n",
    "      if (p) {\n",
    "        cur = h('mark', {class: 'psg p' + (p.k % 6), id: 'p' + side + p.k, tabindex: 0, role: 'button', 'data-k': p.k,\n",
    "                         'aria-label': 'passage ' + (p.k + 1) + ', shared with the other text'},\n",
    "                h('sup', {class: 'pn', 'aria-hidden': 'true'}, String(p.k + 1)));\n",
    "        root.appendChild(cur);\n",
    "      } else cur = root;\n",
    "    }\n",
    "    while (fi < furn.length && furn[fi].e <= x) fi++;\n",
    "    var f = fi < furn.length && furn[fi].s <= x ? furn[fi] : null, dd = null;\n",
    "    for (var m = 0; m < dif.length; m++) if (dif[m].s <= x && x < dif[m].e) { dd = dif[m]; break; }\n",
    "    var node = breaks(t, x, y);\n",
    "    if (dd) {\n",
    "      node = h('span', {class: 'dif', title: dd.title, 'data-j': dd.j, id: seen.has(dd.j) ? null : 'd' + side + dd.j}, node);\n",
    "      seen.add(dd.j);\n",
    "    }\n",
    "    if (f) node = h('span', {class: 'furn', title: f.title}, node);\n",
    "    put(cur, node);\n",
    "  }\n",
    "  return root;\n",
    "}\n",
    "function pairView(ia, ib) {\n",
    "  var a = byId.get(ia), b = byId.get(ib);\n",
    "  if (a === undefined || b === undefined) return missing('No document has the id \\u201c' + (a === undefined ? ia : ib) + '\\u201d.');\n",
    "  var p = findPair(a, b);\n",
    "  if (p < 0) return missing('\\u201c' + label(a) + '\\u201d and \\u201c' + label(b) + '\\u201d are not a related pair.');\n",
    "  var x = pairs[p];\n",
    "  a = x[0]; b = x[1];\n",
    "  var ta = text(a), tb = text(b), np = x[11], nd = x[13], j;\n",
    "  put(app, [h('h2', null, label(a), h('span', {class: 'arrow', 'aria-label': 'and'}, ' \\u2194 '), label(b)),\n",
    "    h('p', {class: 'why'}, relBadge(x[2], true), ' ', D.whys[x[3]]),\n",
    "    h('div', {class: 'scores'},\n",
    "      h('span', null, 'passages ', h('b', null, fmt(np))),\n",
    "      np ? h('span', null, 'coverage ', h('b', null, pct(x[7])), ' / ', h('b', null, pct(x[8]))) : null,\n",
    "      h('span', null, 'shingle Jaccard ', h('b', null, x[4].toFixed(2))),\n",
    "      h('span', null, 'containment ', h('b', null, x[5].toFixed(2)), ' / ', h('b', null, x[6].toFixed(2))),\n",
    "      h('span', null, 'similarity ', h('b', null, x[9].toFixed(2))),\n",
    "      h('span', null, 'figures differ ', h('b', null, fmt(nd))))]);\n",
    "  if (ta === null || tb === null) return put(app, h('p', {class: 'empty'}, 'The texts were not kept (fast mode).'));\n",
    "  var pa = [], pb = [], da = [], db = [];\n",
    "  for (j = 0; j < np; j++) {\n",
    "    var q = (x[10] + j) * 5;\n",
    "    pa.push({s: D.pass[q], e: D.pass[q + 1], k: j});\n",
    "    pb.push({s: D.pass[q + 2], e: D.pass[q + 3], k: j});\n",
    "  }\n",
    "  /* Passages are in order of a's offsets; on b's side they may cross. */\n",
    "  pb.sort(function (u, v) { return u.s - v.s; });\n",
    "  var rows = [];\n",
    "  for (j = 0; j < nd; j++) {\n",
    "    var r = (x[12] + j) * 5, wa = ta.slice(D.diff[r], D.diff[r + 1]), wb = tb.slice(D.diff[r + 2], D.diff[r + 3]), kind = D.kinds[D.diff[r + 4]];\n",
    "    da.push({s: D.diff[r], e: D.diff[r + 1], j: j, title: kind + ': the other text says \\u201c' + wb + '\\u201d'});\n",
    "    db.push({s: D.diff[r + 2], e: D.diff[r + 3], j: j, title: kind + ': the other text says \\u201c' + wa + '\\u201d'});\n",
    "    rows.push(h('tr', null, td(kind), td(h('span', {class: 'dif'}, wa)), td(h('span', {class: 'dif'}, wb)),\n",
    "      td(h('button', {type: 'button', 'data-j': j, onclick: function (ev) { showDiff(+ev.currentTarget.getAttribute('data-j')); }}, 'show'))));\n",
    "  }\n",
    "  function furnOf(d) {\n",
    "    var fu = docs[d][5], out = [];\n",
    "    for (var m = 0; m < fu.length; m += 3) out.push({s: fu[m], e: fu[m + 1], title: 'page furniture (' + D.furns[fu[m + 2]] + '): set aside when the texts are compared'});\n",
    "    return out;\n",
    "  }\n",
    "  if (nd) put(app, [h('h3', null, 'Figures that differ'),\n",
    "    table([['Kind'], [docs[a][2] || label(a)], [docs[b][2] || label(b)], ['']], rows)]);\n",
    "  put(app, h('div', {class: 'legend'},\n",
    "    np ? h('span', null, h('mark', {class: 'psg p0 sample'}, h('sup', {class: 'pn'}, '1'), 'shared passage')) : h('span', {class: 'empty'}, 'no shared passage'),\n",
    "    h('span', null, h('span', {class: 'furn sample'}, 'grey'), ' page furniture'),\n",
    "    nd ? h('span', null, h('span', {class: 'dif sample'}, '12,000'), ' differing figure') : null,\n",
    "    np ? h('span', {class: 'keys'}, 'Select a passage, or press ', h('kbd', null, 'j'), ' / ', h('kbd', null, 'k'), ', to find it on the other side') : null));\n",
    "  function col(d, side, ps, ds) {\n",
    "    return h('section', {class: 'col', 'aria-label': label(d)},\n",
    "      h('header', null, docLink(d), h('div', {class: 'meta'}, [docs[d][1], docs[d][2]].filter(Boolean).join(' \\u00b7 '))),\n",
    "      h('div', {class: 'txt', id: 'txt' + side}, renderText(side === 'a' ? ta : tb, ps, furnOf(d), ds, side)));\n",
    "  }\n",
    "  var cols = h('div', {class: 'cols'}, col(a, 'a', pa, da), col(b, 'b', pb, db));\n",
    "  put(app, cols);\n",
    "  cols.addEventListener('click', function (ev) {\n",
    "    var m = ev.target.closest('mark.psg');\n",
    "    if (m) showPassage(+m.getAttribute('data-k'), m.id.charAt(1) === 'a' ? 'b' : 'a');\n",
    "  });\n",
    "  cols.addEventListener('keydown', function (ev) {\n",
    "    var m = ev.target.closest && ev.target.closest('mark.psg');\n",
    "    if (m && (ev.key === 'Enter' || ev.key === ' ')) { ev.preventDefault(); showPassage(+m.getAttribute('data-k'), m.id.charAt(1) === 'a' ? 'b' : 'a'); }\n",
    "  });\n",
    "  pairState = {n: np, cur: -1};\n",
    "}\n",
    "var pairState = null;\n",
    "function scrollIn(e) {\n",
    "  var box = e.closest('.txt');\n",
    "  if (box && box.scrollHeight > box.clientHeight + 1) box.scrollTop += e.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;\n",
    "  var r = e.getBoundingClientRect();\n",
    "  if (r.top < 0 || r.bottom > window.innerHeight) window.scrollBy(0, r.top - window.innerHeight / 3);\n",
    "}\n",
    "function showPassage(k, to) {\n",
    "  document.querySelectorAll('mark.on,.dif.on').forEach(function (e) { e.classList.remove('on'); });\n",
    "  var ea = document.getElementById('pa' + k), eb = document.getElementById('pb' + k);\n",
    "  if (!ea || !eb) return;\n",
    "  ea.classList.add('on'); eb.classList.add('on');\n",
    "  if (pairState) pairState.cur = k;\n",
    "  var from = to === 'a' ? eb : ea, target = to === 'a' ? ea : eb;\n",
    "  scrollIn(from); scrollIn(target);\n",
    "  target.focus({preventScroll: true});\n",
    "}\n",
    "function showDiff(j) {\n",
    "  document.querySelectorAll('mark.on,.dif.on').forEach(function (e) { e.classList.remove('on'); });\n",
    "  ['a', 'b'].forEach(function (s) {\n",
    "    var e = document.getElementById('d' + s + j);\n",
    "    if (e) { document.querySelectorAll('#txt' + s + ' .dif[data-j=\"' + j + '\"]').forEach(function (x) { x.classList.add('on'); }); scrollIn(e); }\n",
    "  });\n",
    "}\n",
    "\n",
    "/* ---- routing ---- */\n",
    "var byId = new Map();\n",
    "for (i = 0; i < N; i++) byId.set(docs[i][0], i);\n",
    "function route() {\n",
    "  var hash = location.hash.replace(/^#\\/?/, ''), qs = hash.indexOf('?');\n",
    "  var path = (qs < 0 ? hash : hash.slice(0, qs)).split('/').map(function (s) {\n",
    "    try { return decodeURIComponent(s); } catch (e) { return s; }\n",
    "  });\n",
    "  var q = query(), v = path[0] || '';\n",
    "  pairState = null;\n",
    "  app.replaceChildren();\n",
    "  try {\n",
    "    if (v === '') overview();\n",
    "    else if (v === 'stories') storiesView(q);\n",
    "    else if (v === 'story') storyView(path[1]);\n",
    "    else if (v === 'timelines') timelinesView(q);\n",
    "    else if (v === 'timeline') timelineView(path[1]);\n",
    "    else if (v === 'docs') docsView(q);\n",
    "    else if (v === 'doc') docView(path.slice(1).join('/'));\n",
    "    else if (v === 'pairs') pairsView(q);\n",
    "    else if (v === 'pair' && path.length === 3) pairView(path[1], path[2]);\n",
    "    else missing('This page does not exist in the report.');\n",
    "  } catch (e) {\n",
    "    app.replaceChildren(h('h2', null, 'This view could not be built'), h('p', {class: 'err'}, String(e && e.message)));\n",
    "  }\n",
    "  var sect = {'': '', stories: 'stories', story: 'stories', timelines: 'timelines', timeline: 'timelines', docs: 'docs', doc: 'docs', pairs: 'pairs', pair: 'pairs'}[v];\n",
    "  document.querySelectorAll('header.top nav a').forEach(function (a) {\n",
    "    if (a.getAttribute('data-v') === sect) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');\n",
    "  });\n",
    "  window.scrollTo(0, 0);\n",
    "}\n",
    "window.addEventListener('hashchange', function () {\n",
    "  route();\n",
    "  var t = app.querySelector('h2');\n",
    "  if (t) { t.tabIndex = -1; t.focus({preventScroll: true}); }\n",
    "});\n",
    "document.addEventListener('keydown', function (ev) {\n",
    "  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;\n",
    "  var tag = ev.target && ev.target.tagName;\n",
    "  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return;\n",
    "  if (ev.key === '/') {\n",
    "    var f = app.querySelector('input[type=search]');\n",
    "    if (f) { ev.preventDefault(); f.focus(); f.select(); }\n",
    "  } else if ((ev.key === 'j' || ev.key === 'k') && pairState && pairState.n) {\n",
    "    ev.preventDefault();\n",
    "    var n = pairState.n, c = pairState.cur;\n",
    "    showPassage(c < 0 ? (ev.key === 'j' ? 0 : n - 1) : (c + (ev.key === 'j' ? 1 : n - 1)) % n, 'b');\n",
    "  }\n",
    "});\n",
    "route();\n",
    "})();\n",
};

/* Four decimals rounded down, shortest form (JSON has no NaN: a score that is not
 * a number is written as 0). */
static int js_num4(rpi_buf *b, double x)
{
    return rpi_buf_printf(b, ",%.4g", x >= 0 && x <= 1e9 ? floor4(x) : 0.0);
}

/*
 * The lede of document d (text t[0..n)): its first line of article text, furniture
 * lines and blank lines skipped, cut after at most RP_LEDE bytes at a space, to
 * name the document in lists when it has no title. *fi walks c->furn (sorted by
 * document and offset) along with the documents. Appended to ledes, NUL-ended.
 */
#define RP_LEDE 150
static int lede(const rp_corpus *c, uint32_t d, const char *t, size_t n, size_t *fi,
                rpi_buf *ledes)
{
    while (*fi < c->nfurn && c->furn[*fi].doc < d)
        (*fi)++;
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && t[e] != '\n')
            e++;
        while (*fi < c->nfurn && c->furn[*fi].doc == d && c->furn[*fi].end <= i)
            (*fi)++;
        int furniture = *fi < c->nfurn && c->furn[*fi].doc == d && c->furn[*fi].start <= i;
        size_t s = i;
        while (s < e && (t[s] == ' ' || t[s] == '\t' || t[s] == '\r'))
            s++;
        if (!furniture && s < e) {
            size_t end = e;
            while (end > s && (t[end - 1] == ' ' || t[end - 1] == '\t' || t[end - 1] == '\r'))
                end--;
            int cut = end - s > RP_LEDE;
            if (cut) {
                end = s + RP_LEDE;
                while (end > s && t[end] != ' ')
                    end--;
                if (end == s) /* one long word: cut before a character */
                    for (end = s + RP_LEDE; ((unsigned char)t[end] & 0xC0) == 0x80; end--)
                        ;
            }
            RP_TRY(rpi_buf_append(ledes, t + s, end - s));
            if (cut)
                RP_TRY(rpi_buf_append(ledes, "\xe2\x80\xa6", 3)); /* ... */
            break;
        }
        i = e + 1;
    }
    return rpi_buf_putc(ledes, 0);
}

/* The "data" object (file comment), with the offsets converted by m. */
static int js_data(rpi_buf *b, FILE *f, rp_corpus *c, const offmap *m, const rpi_buf *ledes)
{
    size_t lo = 0; /* the next lede in ledes */
    const char **whys = NULL, **kinds = NULL, **furns = NULL;
    size_t nwhy = 0, capwhy = 0, nkind = 0, capkind = 0, nfu = 0, capfu = 0, idx, fi = 0;
    const uint32_t *pu = m->u16, *du = m->u16 + 4 * c->npass,
                   *fu = m->u16 + 4 * c->npass + 4 * c->ndiff;
    int rc;
    RP_CHECK(rpi_buf_printf(b, "{\"v\":\"%s\",\"skipped\":%zu,\"relations\":[", rp_version(),
                            rp_corpus_nskipped(c)));
    for (int r = RP_REL_DUPLICATE; r <= RP_REL_UNRELATED; r++)
        RP_CHECK(rpi_buf_printf(b, "%s\"%s\"", r ? "," : "", rp_relation_name((rp_relation)r)));
    RP_CHECK(rpi_buf_append(b, "],\n\"docs\":[", 11));
    for (uint32_t d = 0; d < c->ndocs; d++) {
        RP_CHECK(rpi_buf_append(b, d ? ",\n[" : "[", d ? 3 : 1));
        RP_CHECK(js_opt(b, rp_doc_id(c, d)));
        static const char *const meta[] = {"date", "source", "title", "url"};
        for (int k = 0; k < 4; k++) {
            RP_CHECK(rpi_buf_putc(b, ','));
            RP_CHECK(js_opt(b, rp_doc_meta(c, d, meta[k])));
        }
        RP_CHECK(rpi_buf_append(b, ",[", 2));
        for (size_t k = 0; fi < c->nfurn && c->furn[fi].doc == d; fi++, k++) {
            uint32_t fd, fs, fe;
            const char *why;
            RP_CHECK(rp_corpus_furniture(c, fi, &fd, &fs, &fe, &why));
            RP_CHECK(intern(&furns, &nfu, &capfu, why, &idx));
            RP_CHECK(rpi_buf_printf(b, "%s%u,%u,%zu", k ? "," : "", fu[2 * fi], fu[2 * fi + 1],
                                    idx));
        }
        RP_CHECK(rpi_buf_append(b, "],", 2));
        size_t ll = ledes->len > lo ? strlen(ledes->data + lo) : 0;
        RP_CHECK(ledes->len > lo ? js_str(b, ledes->data + lo, ll) : rpi_buf_append(b, "null", 4));
        lo += ll + 1;
        RP_CHECK(rpi_buf_putc(b, ']'));
        RP_CHECK(flush(b, f, 0));
    }
    if (fi != c->nfurn) { /* furniture is sorted by document */
        rc = RP_EINTERNAL;
        goto fail;
    }
    RP_CHECK(rpi_buf_append(b, "],\n\"removed\":[", 14));
    for (uint32_t d = 0; d < c->ndocs; d++) {
        uint32_t kept = 0;
        int removed = rp_doc_removed(c, d, &kept, NULL) == 1;
        RP_CHECK(removed ? rpi_buf_printf(b, "%s%u", d ? "," : "", kept)
                         : rpi_buf_append(b, d ? ",-1" : "-1", d ? 3 : 2));
        RP_CHECK(flush(b, f, 0));
    }
    RP_CHECK(rpi_buf_append(b, "],\n\"pairs\":[", 12));
    for (size_t i = 0; i < c->npairs; i++) {
        const rp_pair *p = &c->pairs[i];
        size_t pf, pn, df, dn;
        RP_CHECK(rp_pair_passages(c, i, &pf, &pn));
        RP_CHECK(rp_pair_differences(c, i, &df, &dn));
        RP_CHECK(intern(&whys, &nwhy, &capwhy, p->why ? p->why : "", &idx));
        RP_CHECK(rpi_buf_printf(b, "%s[%u,%u,%d,%zu", i ? ",\n" : "", p->a, p->b, (int)p->relation,
                                idx));
        double v[6] = {p->jaccard, p->containment_a, p->containment_b, p->coverage_a,
                       p->coverage_b, p->similarity};
        for (int k = 0; k < 6; k++)
            RP_CHECK(js_num4(b, v[k]));
        RP_CHECK(rpi_buf_printf(b, ",%zu,%zu,%zu,%zu]", pf, pn, df, dn));
        RP_CHECK(flush(b, f, 0));
    }
    RP_CHECK(rpi_buf_append(b, "],\n\"pass\":[", 11));
    for (size_t i = 0; i < c->npass; i++) {
        RP_CHECK(rpi_buf_printf(b, "%s%u,%u,%u,%u", i ? ",\n" : "", pu[4 * i], pu[4 * i + 1],
                                pu[4 * i + 2], pu[4 * i + 3]));
        RP_CHECK(js_num4(b, c->pass[i].score));
        RP_CHECK(flush(b, f, 0));
    }
    RP_CHECK(rpi_buf_append(b, "],\n\"diff\":[", 11));
    for (size_t i = 0; i < c->ndiff; i++) {
        RP_CHECK(intern(&kinds, &nkind, &capkind, c->diff[i].kind ? c->diff[i].kind : "", &idx));
        RP_CHECK(rpi_buf_printf(b, "%s%u,%u,%u,%u,%zu", i ? ",\n" : "", du[4 * i], du[4 * i + 1],
                                du[4 * i + 2], du[4 * i + 3], idx));
        RP_CHECK(flush(b, f, 0));
    }
    RP_CHECK(rpi_buf_append(b, "]\n", 2));
    RP_CHECK(js_clusters(b, f, c, &c->st, "stories"));
    RP_CHECK(js_clusters(b, f, c, &c->cl, "copies"));
    RP_CHECK(js_timelines(b, f, c));
    RP_CHECK(js_table(b, "whys", whys, nwhy));
    RP_CHECK(js_table(b, "kinds", kinds, nkind));
    RP_CHECK(js_table(b, "furns", furns, nfu));
    rc = rpi_buf_append(b, "}", 1);
fail:
    rpi_free(whys);
    rpi_free(kinds);
    rpi_free(furns);
    return rc;
}

int rp_corpus_write_html(rp_corpus *c, FILE *f)
{
    rpi_buf b = {0}, ledes = {0};
    offmap m;
    size_t fi = 0;
    char *t = NULL;
    size_t len = 0, n = c->ndocs;
    int rc = offmap_build(c, &m);
    if (rc != RP_OK)
        goto fail;
    RP_CHECK(rpi_buf_printf(&b, "%s%s%zu document%s</title>\n<style>\n", page_head, page_csp, n,
                            n == 1 ? "" : "s"));
    for (size_t i = 0; i < sizeof page_css / sizeof *page_css; i++)
        RP_CHECK(rpi_buf_append(&b, page_css[i], strlen(page_css[i])));
    RP_CHECK(rpi_buf_printf(&b, "%s%zu document%s%s", page_body, n, n == 1 ? "" : "s", page_nav));
    /* The texts: converting the offsets needs each text once, and so does embedding it. */
    for (uint32_t d = 0; d < n; d++) {
        RP_CHECK(rpi_buf_printf(&b, "<script type=\"application/json\" id=\"t%u\">", d));
        if (c->opt.fast) {
            RP_CHECK(rpi_buf_append(&b, "null", 4)); /* no text kept, and no range either */
        } else {
            RP_CHECK(rp_doc_text(c, d, &t, &len));
            RP_CHECK(offmap_convert(&m, d, t, len));
            RP_CHECK(js_str(&b, t, len));
            RP_CHECK(lede(c, d, t, len, &fi, &ledes));
            rp_free(t);
            t = NULL;
        }
        RP_CHECK(rpi_buf_append(&b, "</script>\n", 10));
        RP_CHECK(flush(&b, f, 0));
    }
    RP_CHECK(rpi_buf_append(&b, "<script type=\"application/json\" id=\"data\">", 42));
    RP_CHECK(js_data(&b, f, c, &m, &ledes));
    RP_CHECK(rpi_buf_append(&b, "</script>\n<script>", 18));
    for (size_t i = 0; i < sizeof page_js / sizeof *page_js; i++)
        RP_CHECK(rpi_buf_append(&b, page_js[i], strlen(page_js[i])));
    RP_CHECK(rpi_buf_append(&b, page_tail, strlen(page_tail)));
    rc = flush(&b, f, 1);
fail:
    if (rc == RP_EINTERNAL)
        rpi_fmt(c->err, sizeof c->err, "report: a range lies outside its document's text");
    rp_free(t);
    offmap_free(&m);
    rpi_buf_free(&b);
    rpi_buf_free(&ledes);
    return rc;
}
