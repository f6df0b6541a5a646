/* SPDX-License-Identifier: MIT */
/*
 * fuzz_jsonl.c -- libFuzzer target for the whole public API on one JSONL file.
 *
 * The input is written to a file named x.jsonl and run through rp_corpus_open,
 * add_input, run, every writer, and close, with one thread, skip_bad and a
 * 1 MiB document limit; n-gram size, permutations, threshold, keep policy,
 * sketch, the fast path, all_pairs, keep_furniture and list_furniture are
 * picked from a hash of the input, so the file stays a plain JSONL seed.
 * Invariants checked:
 *   - rp_corpus_run returns RP_OK or RP_EBADINPUT (the latter only for a
 *     compressed file, with a message); uncompressed, every non-blank line is
 *     either a document or a skipped one: ndocs + nskipped == that count
 *     (a file without one is a single skipped "empty file");
 *   - ids are present and distinct; pairs are in strict (a, b) order with
 *     a < b < ndocs, scores in [0, 1], duplicates at Jaccard 1 and
 *     near-duplicates at or above the threshold; on the fast path only those
 *     two relations and no passage; otherwise reprint, same-story and
 *     shares-passages pairs have passages, same-topic (and unrelated, listed
 *     only with all_pairs) none;
 *   - passages belong to their pair (rp_pair_passages partitions them), lie
 *     inside both texts, do not overlap on side a, and have a score in (0, 1];
 *   - copies clusters and story clusters (each level) have >= 2 members in
 *     input order, a representative among them, are numbered by first
 *     member, and share no document;
 *   - furniture lines (none with keep_furniture or fast) are in document
 *     order, inside their text, disjoint, with a known rule;
 *   - a removed document is kept_by a kept document, its verified duplicate
 *     or near-duplicate with that pair's Jaccard; representatives are kept;
 *   - out-of-range accessors return RP_EINVAL or NULL;
 *   - every writer succeeds; the JSONL outputs parse and name the right ids;
 *     the TSV has a header and one line per pair; the clusters file has the
 *     copies then the story lines (with their level), the stories file the
 *     story lines; each passages line carries the exact bytes of its ranges; rp_corpus_write_kept writes
 *     nkept lines, nkept + nremoved == ndocs, nremoved == removed documents.
 */
#include <jansson.h>
#include <string.h>

#include "fuzz_helpers.h"
#include "reprint.h"

/* Output of one writer, in memory. */
typedef struct membuf {
    char *data; /* bytes written */
    size_t len; /* their number */
    FILE *f; /* the stream writing them */
} membuf;

static void mem_open(membuf *m)
{
    m->data = NULL;
    m->len = 0;
    m->f = open_memstream(&m->data, &m->len);
    FUZZ_ASSERT(m->f != NULL);
}

static void mem_close(membuf *m)
{
    FUZZ_ASSERT(fclose(m->f) == 0);
    m->f = NULL;
}

static size_t count_lines(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    FUZZ_ASSERT_MSG(n == 0 || s[n - 1] == '\n', "output does not end with a newline");
    return k;
}

static int compressed(const uint8_t *d, size_t n)
{
    return (n >= 2 && d[0] == 0x1f && d[1] == 0x8b) ||
           (n >= 4 && d[0] == 0x28 && d[1] == 0xb5 && d[2] == 0x2f && d[3] == 0xfd);
}

/* Lines of d[0..n) holding something other than spaces, tabs and CRs. */
static size_t nonblank_lines(const uint8_t *d, size_t n)
{
    size_t k = 0;
    int nonblank = 0;
    /* A UTF-8 byte order mark at the very start is skipped by the reader. */
    size_t start = n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (size_t i = start; i < n; i++) {
        if (d[i] == '\n') {
            k += (size_t)nonblank;
            nonblank = 0;
        } else if (d[i] != ' ' && d[i] != '\t' && d[i] != '\r') {
            nonblank = 1;
        }
    }
    return k + (size_t)nonblank;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_pair_key(const void *key, const void *elt)
{
    const rp_pair *k = key, *p = elt;
    if (k->a != p->a)
        return k->a < p->a ? -1 : 1;
    return (k->b > p->b) - (k->b < p->b);
}

/* The JSON string member `name` of object o equals s. */
static int json_field_is(json_t *o, const char *name, const char *s)
{
    json_t *v = json_object_get(o, name);
    return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

static void check_cluster_lines(rp_corpus *c, const char *data, size_t ncl, size_t nst);

/* Length of document d's text (read back from the store). */
static size_t text_len(rp_corpus *c, uint32_t d)
{
    char *t = NULL;
    size_t n = 0;
    FUZZ_ASSERT_MSG(rp_doc_text(c, d, &t, &n) == RP_OK, rp_errmsg(c));
    FUZZ_ASSERT(t != NULL && t[n] == 0);
    rp_free(t);
    return n;
}

/* Passages: rp_pair_passages partitions them in pair order; each lies inside
 * both texts, is non-empty, scores in (0, 1], and the passages of one pair are
 * sorted by a_start and do not overlap on side a. */
static void check_passages(rp_corpus *c, const rp_pair *pairs, size_t npairs)
{
    size_t np = rp_corpus_npassages(c), next = 0;
    for (size_t i = 0; i < npairs; i++) {
        size_t first = SIZE_MAX, n = SIZE_MAX;
        FUZZ_ASSERT(rp_pair_passages(c, i, &first, &n) == RP_OK);
        FUZZ_ASSERT_MSG(first == next && n == pairs[i].npassages,
                        "pair passages do not partition the passages in pair order");
        next += n;
        size_t la = n ? text_len(c, pairs[i].a) : 0, lb = n ? text_len(c, pairs[i].b) : 0;
        uint32_t prev_end = 0;
        for (size_t k = first; k < first + n; k++) {
            rp_passage p;
            FUZZ_ASSERT(rp_corpus_passage(c, k, &p) == RP_OK);
            FUZZ_ASSERT_MSG(p.a == pairs[i].a && p.b == pairs[i].b, "passage of another pair");
            FUZZ_ASSERT_MSG(p.a_start < p.a_end && p.a_end <= la && p.b_start < p.b_end &&
                                p.b_end <= lb,
                            "passage outside its texts, or empty");
            FUZZ_ASSERT_MSG(p.score > 0 && p.score <= 1, "passage score outside (0, 1]");
            FUZZ_ASSERT_MSG(k == first || p.a_start >= prev_end, "passages overlap on side a");
            prev_end = p.a_end;
        }
    }
    FUZZ_ASSERT_MSG(next == np, "passages not all owned by a pair");
    rp_passage spare;
    FUZZ_ASSERT(rp_corpus_passage(c, np, &spare) == RP_EINVAL);
    size_t f, n;
    FUZZ_ASSERT(rp_pair_passages(c, npairs, &f, &n) == RP_EINVAL);
}

/* Story clusters: >= 2 members in input order, representative among
 * them, numbered by first member, no document in two stories. */
static void check_stories(rp_corpus *c, size_t n)
{
    size_t ndocs = rp_corpus_ndocs(c);
    uint8_t *seen = calloc(ndocs + 1, 1);
    FUZZ_ASSERT(seen != NULL);
    uint32_t prev_first = 0;
    const uint32_t *m;
    size_t nm;
    uint32_t rep;
    for (size_t k = 0; k < n; k++) {
        FUZZ_ASSERT(rp_corpus_story(c, k, &m, &nm, &rep) == RP_OK);
        FUZZ_ASSERT_MSG(nm >= 2, "story of fewer than two documents");
        FUZZ_ASSERT_MSG(k == 0 || m[0] > prev_first, "stories not numbered by first member");
        prev_first = m[0];
        int has_rep = 0;
        for (size_t i = 0; i < nm; i++) {
            FUZZ_ASSERT(m[i] < ndocs);
            FUZZ_ASSERT_MSG(i == 0 || m[i - 1] < m[i], "story members not in input order");
            FUZZ_ASSERT_MSG(!seen[m[i]], "document in two stories");
            seen[m[i]] = 1;
            has_rep |= m[i] == rep;
        }
        FUZZ_ASSERT_MSG(has_rep, "story representative outside its story");
    }
    FUZZ_ASSERT(rp_corpus_story(c, n, &m, &nm, &rep) == RP_EINVAL);
    free(seen);
}

/* The passages file: one parsing line per passage, naming its ids and carrying the
 * exact bytes of both ranges. */
static void check_passage_lines(rp_corpus *c, const char *data, size_t len)
{
    size_t np = rp_corpus_npassages(c);
    FUZZ_ASSERT_MSG(count_lines(data, len) == np, "passage lines != passages");
    const char *line = data;
    for (size_t k = 0; k < np; k++) {
        const char *nl = strchr(line, '\n');
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)(nl - line), 0, &je);
        FUZZ_ASSERT_MSG(o != NULL, "passages JSONL line does not parse");
        rp_passage p;
        FUZZ_ASSERT(rp_corpus_passage(c, k, &p) == RP_OK);
        FUZZ_ASSERT_MSG(json_field_is(o, "a", rp_doc_id(c, p.a)) &&
                            json_field_is(o, "b", rp_doc_id(c, p.b)),
                        "passages JSONL names the wrong ids");
        for (int side = 0; side < 2; side++) {
            char *t = NULL;
            size_t n = 0;
            uint32_t d = side ? p.b : p.a, s0 = side ? p.b_start : p.a_start;
            uint32_t s1 = side ? p.b_end : p.a_end;
            FUZZ_ASSERT(rp_doc_text(c, d, &t, &n) == RP_OK);
            json_t *v = json_object_get(o, side ? "text_b" : "text_a");
            FUZZ_ASSERT_MSG(json_is_string(v) && json_string_length(v) == s1 - s0 &&
                                memcmp(json_string_value(v), t + s0, s1 - s0) == 0,
                            "passages JSONL text differs from the bytes of its range");
            rp_free(t);
        }
        json_decref(o);
        line = nl + 1;
    }
}

/* Furniture lines: none with keep_furniture or on the fast path; in document order, inside their text, disjoint, with a known rule. */
static void check_furniture(rp_corpus *c, const rp_options *opt)
{
    size_t n = rp_corpus_nfurniture(c);
    if (opt->keep_furniture || opt->fast)
        FUZZ_ASSERT_MSG(n == 0, "furniture found with keep_furniture or on the fast path");
    uint32_t pd = 0, pe = 0, d, s0, s1;
    const char *why;
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(rp_corpus_furniture(c, i, &d, &s0, &s1, &why) == RP_OK);
        FUZZ_ASSERT(d < rp_corpus_ndocs(c));
        FUZZ_ASSERT_MSG(s0 < s1 && s1 <= text_len(c, d), "furniture line outside its text");
        FUZZ_ASSERT_MSG(i == 0 || d > pd || (d == pd && s0 >= pe),
                        "furniture lines not in document order, or overlapping");
        FUZZ_ASSERT_MSG(why && (!strcmp(why, "pattern") || !strcmp(why, "shape") ||
                                !strcmp(why, "common") || !strcmp(why, "source")),
                        "furniture line with an unknown rule");
        pd = d;
        pe = s1;
    }
    FUZZ_ASSERT(rp_corpus_furniture(c, n, &d, &s0, &s1, &why) == RP_EINVAL);
}

static void check_results(rp_corpus *c, const rp_options *opt)
{
    size_t ndocs = rp_corpus_ndocs(c), npairs = rp_corpus_npairs(c);
    size_t ncl = rp_corpus_nclusters(c);
    FUZZ_ASSERT(ndocs < UINT32_MAX);

    /* Ids: present, distinct. */
    const char **ids = malloc(ndocs * sizeof *ids + 1);
    FUZZ_ASSERT(ids != NULL);
    for (uint32_t d = 0; d < ndocs; d++) {
        ids[d] = rp_doc_id(c, d);
        FUZZ_ASSERT_MSG(ids[d] != NULL && ids[d][0] != 0, "document without an id");
    }
    FUZZ_ASSERT(rp_doc_id(c, (uint32_t)ndocs) == NULL);
    FUZZ_ASSERT(rp_doc_date(c, (uint32_t)ndocs) == NULL);
    qsort(ids, ndocs, sizeof *ids, cmp_str);
    for (size_t i = 1; i < ndocs; i++)
        FUZZ_ASSERT_MSG(strcmp(ids[i - 1], ids[i]) != 0, "two documents share an id");
    free(ids);

    /* Pairs. */
    rp_pair *pairs = malloc(npairs * sizeof *pairs + 1);
    FUZZ_ASSERT(pairs != NULL);
    for (size_t i = 0; i < npairs; i++) {
        rp_pair *p = &pairs[i];
        FUZZ_ASSERT(rp_corpus_pair(c, i, p) == RP_OK);
        FUZZ_ASSERT_MSG(p->a < p->b && p->b < ndocs, "pair out of range");
        FUZZ_ASSERT_MSG(i == 0 || cmp_pair_key(&pairs[i - 1], p) < 0, "pairs not in (a, b) order");
        FUZZ_ASSERT(p->jaccard >= 0 && p->jaccard <= 1);
        FUZZ_ASSERT(p->containment_a >= 0 && p->containment_a <= 1);
        FUZZ_ASSERT(p->containment_b >= 0 && p->containment_b <= 1);
        FUZZ_ASSERT(p->jaccard <= p->containment_a && p->jaccard <= p->containment_b);
        FUZZ_ASSERT(p->coverage_a >= 0 && p->coverage_a <= 1);
        FUZZ_ASSERT(p->coverage_b >= 0 && p->coverage_b <= 1);
        FUZZ_ASSERT(p->similarity >= 0 && p->similarity <= 1 + 1e-6);
        FUZZ_ASSERT_MSG(p->why != NULL && p->why[0] != 0, "pair without a rule");
        if (p->relation == RP_REL_DUPLICATE)
            FUZZ_ASSERT_MSG(p->jaccard == 1 && p->containment_a == 1 && p->containment_b == 1,
                            "duplicate pair below Jaccard 1");
        else if (p->relation == RP_REL_NEAR_DUPLICATE || opt->fast)
            FUZZ_ASSERT_MSG(p->relation == RP_REL_NEAR_DUPLICATE &&
                                p->jaccard >= opt->threshold,
                            "near-duplicate pair below the threshold (or fast path not a copy)");
        else if (p->relation == RP_REL_SAME_TOPIC || p->relation == RP_REL_UNRELATED)
            FUZZ_ASSERT_MSG(p->npassages == 0 && p->coverage_a == 0 && p->coverage_b == 0,
                            "same-topic or unrelated pair with passages");
        else if (p->relation == RP_REL_SAME_STORY) /* (one event told twice shares no passage) */
            FUZZ_ASSERT_MSG((p->npassages > 0) == (p->coverage_a > 0 || p->coverage_b > 0),
                            "same-story pair whose coverage and passages disagree");
        else
            FUZZ_ASSERT_MSG((p->relation == RP_REL_REPRINT ||
                             p->relation == RP_REL_SHARES_PASSAGES) &&
                                p->npassages > 0,
                            "passage relation without a passage, or unknown relation");
        FUZZ_ASSERT_MSG(p->relation != RP_REL_UNRELATED || opt->all_pairs,
                        "unrelated pair listed without all_pairs");
        if (opt->fast)
            FUZZ_ASSERT_MSG(p->npassages == 0 && p->coverage_a == 0 && p->coverage_b == 0,
                            "passages on the fast path");
    }
    check_passages(c, pairs, npairs);
    rp_pair spare;
    FUZZ_ASSERT(rp_corpus_pair(c, npairs, &spare) == RP_EINVAL);

    /* Clusters, then stories. */
    size_t nst = rp_corpus_nstories(c);
    if (opt->fast)
        FUZZ_ASSERT_MSG(nst == 0, "stories on the fast path");
    check_stories(c, nst);
    uint8_t *seen = calloc(ndocs + 1, 1);
    FUZZ_ASSERT(seen != NULL);
    uint32_t prev_first = 0;
    for (size_t k = 0; k < ncl; k++) {
        const uint32_t *m;
        size_t nm;
        uint32_t rep;
        FUZZ_ASSERT(rp_corpus_cluster(c, k, &m, &nm, &rep) == RP_OK);
        FUZZ_ASSERT_MSG(nm >= 2, "cluster of fewer than two documents");
        FUZZ_ASSERT_MSG(k == 0 || m[0] > prev_first, "clusters not numbered by first member");
        prev_first = m[0];
        int has_rep = 0;
        for (size_t i = 0; i < nm; i++) {
            FUZZ_ASSERT(m[i] < ndocs);
            FUZZ_ASSERT_MSG(i == 0 || m[i - 1] < m[i], "cluster members not in input order");
            FUZZ_ASSERT_MSG(!seen[m[i]], "document in two clusters");
            seen[m[i]] = 1;
            has_rep |= m[i] == rep;
        }
        FUZZ_ASSERT_MSG(has_rep, "representative outside its cluster");
        FUZZ_ASSERT_MSG(rp_doc_removed(c, rep, NULL, NULL) == 0, "representative removed");
    }
    free(seen);
    {
        const uint32_t *m;
        size_t nm;
        uint32_t rep;
        FUZZ_ASSERT(rp_corpus_cluster(c, ncl, &m, &nm, &rep) == RP_EINVAL);
    }

    /* Dedup decisions. */
    size_t nremoved = 0;
    for (uint32_t d = 0; d < ndocs; d++) {
        uint32_t kb = UINT32_MAX;
        double j = -1;
        int r = rp_doc_removed(c, d, &kb, &j);
        FUZZ_ASSERT(r == 0 || r == 1);
        if (r == 0)
            continue;
        nremoved++;
        FUZZ_ASSERT_MSG(kb < ndocs && kb != d, "removed in favour of no document");
        FUZZ_ASSERT_MSG(rp_doc_removed(c, kb, NULL, NULL) == 0, "kept_by is itself removed");
        rp_pair key = {.a = d < kb ? d : kb, .b = d < kb ? kb : d};
        const rp_pair *p = bsearch(&key, pairs, npairs, sizeof *pairs, cmp_pair_key);
        FUZZ_ASSERT_MSG(p != NULL, "removed in favour of a document that is not its pair");
        FUZZ_ASSERT_MSG(p->jaccard == j, "removal Jaccard differs from the pair's");
    }
    FUZZ_ASSERT(rp_doc_removed(c, (uint32_t)ndocs, NULL, NULL) == RP_EINVAL);

    /* Writers. */
    membuf m;
    for (int fmt = RP_FORMAT_TSV; fmt <= RP_FORMAT_JSONL; fmt++) {
        mem_open(&m);
        FUZZ_ASSERT(rp_corpus_write_pairs(c, m.f, (rp_format)fmt) == RP_OK);
        mem_close(&m);
        if (fmt == RP_FORMAT_TSV)
            FUZZ_ASSERT_MSG(count_lines(m.data, m.len) == npairs + 1, "TSV lines != pairs + 1");
        if (fmt == RP_FORMAT_JSONL) {
            FUZZ_ASSERT_MSG(count_lines(m.data, m.len) == npairs, "JSONL lines != pairs");
            char *line = m.data;
            for (size_t i = 0; i < npairs; i++) {
                char *nl = strchr(line, '\n');
                json_error_t je;
                json_t *o = json_loadb(line, (size_t)(nl - line), 0, &je);
                FUZZ_ASSERT_MSG(o != NULL, "pairs JSONL line does not parse");
                FUZZ_ASSERT_MSG(json_field_is(o, "a", rp_doc_id(c, pairs[i].a)) &&
                                    json_field_is(o, "b", rp_doc_id(c, pairs[i].b)),
                                "pairs JSONL names the wrong ids");
                json_decref(o);
                line = nl + 1;
            }
        }
        free(m.data);
    }
    mem_open(&m);
    FUZZ_ASSERT(rp_corpus_write_clusters(c, m.f) == RP_OK);
    mem_close(&m);
    FUZZ_ASSERT_MSG(count_lines(m.data, m.len) == ncl + nst, "cluster lines != clusters + stories");
    check_cluster_lines(c, m.data, ncl, nst);
    free(m.data);
    mem_open(&m);
    FUZZ_ASSERT(rp_corpus_write_stories(c, m.f) == RP_OK);
    mem_close(&m);
    FUZZ_ASSERT_MSG(count_lines(m.data, m.len) == nst, "story lines != stories");
    check_cluster_lines(c, m.data, 0, nst);
    free(m.data);
    mem_open(&m);
    FUZZ_ASSERT(rp_corpus_write_passages(c, m.f) == RP_OK);
    mem_close(&m);
    check_passage_lines(c, m.data, m.len);
    free(m.data);
    check_furniture(c, opt);

    mem_open(&m);
    FUZZ_ASSERT(rp_corpus_write_removed(c, m.f) == RP_OK);
    mem_close(&m);
    FUZZ_ASSERT_MSG(count_lines(m.data, m.len) == nremoved, "removed lines != removed docs");
    free(m.data);

    size_t nk = SIZE_MAX, nr = SIZE_MAX;
    mem_open(&m);
    int rc = rp_corpus_write_kept(c, m.f, &nk, &nr);
    mem_close(&m);
    FUZZ_ASSERT_MSG(rc == RP_OK, rp_errmsg(c));
    FUZZ_ASSERT_MSG(nk + nr == ndocs, "kept + removed != documents");
    FUZZ_ASSERT_MSG(nr == nremoved, "rp_corpus_write_kept left out a different number");
    FUZZ_ASSERT_MSG(count_lines(m.data, m.len) == nk, "kept output lines != nkept");
    free(m.data);
    free(pairs);
}

/* The cluster lines in data: ncl copies lines then nst story lines (level, id from 1,
 * members and representative as the accessors give them). */
static void check_cluster_lines(rp_corpus *c, const char *data, size_t ncl, size_t nst)
{
    const char *line = data;
    for (size_t k = 0; k < ncl + nst; k++) {
        const char *nl = strchr(line, '\n');
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)(nl - line), 0, &je);
        FUZZ_ASSERT_MSG(o != NULL, "clusters JSONL line does not parse");
        const uint32_t *mem;
        size_t nm;
        uint32_t rep;
        int story = k >= ncl;
        size_t id = story ? k - ncl : k;
        FUZZ_ASSERT_MSG(json_field_is(o, "level", story ? "story" : "copies"),
                        "clusters JSONL line with the wrong level");
        json_t *jid = json_object_get(o, "id");
        FUZZ_ASSERT_MSG(json_is_integer(jid) && json_integer_value(jid) == (json_int_t)id + 1,
                        "clusters JSONL ids not numbered from 1 within their level");
        if (story)
            FUZZ_ASSERT(rp_corpus_story(c, id, &mem, &nm, &rep) == RP_OK);
        else
            FUZZ_ASSERT(rp_corpus_cluster(c, id, &mem, &nm, &rep) == RP_OK);
        FUZZ_ASSERT_MSG(json_field_is(o, "representative", rp_doc_id(c, rep)),
                        "clusters JSONL names the wrong representative");
        json_t *arr = json_object_get(o, "members");
        FUZZ_ASSERT(json_is_array(arr) && json_array_size(arr) == nm);
        for (size_t i = 0; i < nm; i++) {
            json_t *v = json_array_get(arr, i);
            FUZZ_ASSERT_MSG(json_is_string(v) && strcmp(json_string_value(v),
                                                        rp_doc_id(c, mem[i])) == 0,
                            "clusters JSONL names the wrong member");
        }
        json_decref(o);
        line = nl + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Options from a hash of the input: no bytes are taken from the file. */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    static const double thresholds[] = {0.5, 0.8, 1.0};
    static const int perms[] = {8, 16, 32}; /* few bands: LSH costs 65,536 steps a band */
    rp_options opt;
    rp_options_init(&opt);
    opt.threads = 1;
    opt.skip_bad = 1;
    opt.max_doc_bytes = (size_t)1 << 20;
    opt.ngram = 1 + (int)(h % 5);
    opt.perm = perms[(h >> 3) % 3];
    opt.threshold = thresholds[(h >> 5) % 3];
    opt.keep = (rp_keep)((h >> 7) % 3);
    opt.sketch = (rp_sketch_kind)((h >> 9) & 1);
    opt.fast = (int)((h >> 10) & 1); /* both the fast path and passages, relations */
    if (!opt.fast) {
        opt.all_pairs = (int)((h >> 11) & 1);
        opt.keep_furniture = (int)((h >> 12) & 1);
        opt.list_furniture = (int)((h >> 13) & 1);
    }

    fuzz_temp t;
    fuzz_temp_write(&t, "x.jsonl", data, size);
    rp_corpus *c = NULL;
    FUZZ_ASSERT(rp_corpus_open(&c, &opt) == RP_OK);
    FUZZ_ASSERT(rp_corpus_add_input(c, t.path) == RP_OK);
    int rc = rp_corpus_run(c);
    if (compressed(data, size)) {
        FUZZ_ASSERT_MSG(rc == RP_OK || rc == RP_EBADINPUT, rp_errmsg(c));
        if (rc == RP_EBADINPUT)
            FUZZ_ASSERT_MSG(rp_errmsg(c)[0] != 0, "RP_EBADINPUT without a message");
    } else {
        FUZZ_ASSERT_MSG(rc == RP_OK, rp_errmsg(c));
        size_t lines = nonblank_lines(data, size);
        FUZZ_ASSERT_MSG(rp_corpus_ndocs(c) + rp_corpus_nskipped(c) == (lines ? lines : 1),
                        "documents + skipped != non-blank lines (or 1 for an empty file)");
    }
    if (rc == RP_OK)
        check_results(c, &opt);
    rp_corpus_close(c);
    fuzz_temp_remove(&t);
    return 0;
}
