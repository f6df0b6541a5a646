/* SPDX-License-Identifier: MIT */
/*
 * bench_scan.c -- throughput, memory and accuracy of the fast path.
 *
 *   build/bench/gencorpus -n 1000000 -t truth.tsv SOURCE.jsonl > corpus.jsonl
 *   build/bench/bench_scan [-j N] [-T threshold] [-k oph|kperm] [-s SAMPLE] corpus.jsonl truth.tsv
 *
 * Prints, on one run of one machine:
 *  1. the split of single-thread time between the stages (read + JSON,
 *     tokenize, shingle, MinHash + band keys) on the first 20,000 documents,
 *     in-memory, one stage at a time;
 *  2. the whole pipeline (rp_corpus_run) with N threads: wall time, MB/s,
 *     documents/s, the time of each phase, peak resident memory, and the
 *     ratio to the datasketch figure quoted in the issue (1,650 docs/s, the
 *     upper end of 1,200-1,650 on one core; not measured here, no PyPI);
 *  3. accuracy: the truth is computed exactly (tokenize + shingle sets from
 *     the text) on every pair inside each group of planted copies (copies of
 *     copies included) and on SAMPLE random pairs; recall is over truth pairs
 *     with Jaccard >= threshold; precision is over every reported pair, each
 *     recomputed exactly from the text, which also checks that the printed
 *     Jaccard is the exact one.
 * It links the static library and uses internal stage functions for the
 * stage split and for the independent truth. Never a test: timings vary.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "corpus_int.h"
#include "io.h"
#include "normalize.h"
#include "shingle.h"
#include "sketch.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *m)
{
    fprintf(stderr, "bench_scan: %s\n", m);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* ---- documents by id ----------------------------------------------------------- */

typedef struct docmap {
    char **ids; /* sorted ids of the documents whose text is wanted */
    char **texts; /* their texts once loaded */
    size_t n;
} docmap;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static long find(const docmap *m, const char *id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->ids[mid], id);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Call fn(id, text, len) for every document of a JSONL corpus. */
typedef void (*doc_fn)(void *ctx, const char *id, size_t idlen, const char *text, size_t len);

static size_t each_doc(const char *path, size_t limit, doc_fn fn, void *ctx)
{
    rpi_inputs in = {0};
    char err[512];
    if (rpi_inputs_add(&in, path, 1, err, sizeof err) != RP_OK)
        die(err);
    rpi_reader *rd;
    if (rpi_reader_open(&rd, &in, (size_t)64 << 20, 0) != RP_OK)
        die("cannot open the corpus");
    rpi_batch b = {0};
    size_t n = 0;
    while (n < limit) {
        if (rpi_reader_next(rd, &b, (size_t)1 << 20) != RP_OK)
            die(rpi_reader_errmsg(rd));
        if (b.n == 0)
            break;
        for (size_t i = 0; i < b.n && n < limit; i++, n++) {
            rpi_doc_fields f = {0};
            char msg[256];
            if (rpi_record_parse(&in, &b.rec[i], b.data.data + b.rec[i].data_off, "id", "text",
                                 &f, msg, sizeof msg) != RP_OK)
                die(msg);
            fn(ctx, f.id, f.id_len, f.text, f.text_len);
            rpi_doc_fields_free(&f);
        }
    }
    rpi_batch_free(&b);
    rpi_reader_close(rd);
    rpi_inputs_free(&in);
    return n;
}

/* ---- 1. stage split ------------------------------------------------------------- */

typedef struct mem {
    char **text;
    size_t *len;
    size_t n, cap, bytes;
} mem;

static void keep_text(void *ctx, const char *id, size_t idlen, const char *text, size_t len)
{
    (void)id;
    (void)idlen;
    mem *m = ctx;
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 1024;
        m->text = realloc(m->text, m->cap * sizeof *m->text);
        m->len = realloc(m->len, m->cap * sizeof *m->len);
        if (!m->text || !m->len)
            die("out of memory");
    }
    m->text[m->n] = xmalloc(len + 1);
    memcpy(m->text[m->n], text, len);
    m->len[m->n++] = len;
    m->bytes += len;
}

static void stage_split(const char *path, int ngram, int perm, double threshold)
{
    enum { NSPLIT = 20000 };
    mem m = {0};
    double t0 = now();
    each_doc(path, NSPLIT, keep_text, &m);
    double tread = now() - t0;
    rpi_tokctx tok = {0};
    uint64_t *sh = NULL;
    size_t cap = 0;
    uint32_t sig[1024];
    uint64_t keys[1024];
    int rows, bands;
    rpi_lsh_params(threshold, perm, &rows, &bands);
    double ttok = 0, tsh = 0, toph = 0, tkp = 0;
    volatile uint64_t sink = 0;
    for (size_t i = 0; i < m.n; i++) {
        size_t bad;
        double a = now();
        if (rpi_tokenize(&tok, m.text[i], m.len[i], &bad) != RP_OK)
            continue;
        double b = now();
        size_t n = rpi_shingle_count(tok.ntok, ngram);
        if (n > cap) {
            cap = n;
            sh = realloc(sh, cap * sizeof *sh);
        }
        rpi_shingles(tok.tok, tok.ntok, ngram, sh);
        double c = now();
        rpi_minhash(RP_SKETCH_OPH, sh, n, perm, sig);
        rpi_lsh_keys(sig, rows, bands, keys);
        sink += keys[0];
        double d = now();
        rpi_minhash(RP_SKETCH_KPERM, sh, n, perm, sig);
        sink += sig[0];
        double e = now();
        ttok += b - a;
        tsh += c - b;
        toph += d - c;
        tkp += e - d;
    }
    double mb = m.bytes / 1e6;
    printf("stage split, 1 thread, %zu documents, %.1f MB of text (in memory):\n", m.n, mb);
    printf("  read + JSON      %7.3f s  %8.0f MB/s  (includes disk and copying)\n", tread,
           mb / tread);
    printf("  tokenize         %7.3f s  %8.0f MB/s\n", ttok, mb / ttok);
    printf("  shingle          %7.3f s  %8.0f MB/s\n", tsh, mb / tsh);
    printf("  OPH + band keys  %7.3f s  %8.0f MB/s\n", toph, mb / toph);
    printf("  k-perm MinHash   %7.3f s  %8.0f MB/s  (%.1fx the OPH time)\n", tkp, mb / tkp,
           tkp / toph);
    rpi_tokctx_free(&tok);
    free(sh);
    for (size_t i = 0; i < m.n; i++)
        free(m.text[i]);
    free(m.text);
    free(m.len);
}

/* ---- 3. accuracy ---------------------------------------------------------------- */

static void load_wanted(void *ctx, const char *id, size_t idlen, const char *text, size_t len)
{
    docmap *m = ctx;
    char *z = xmalloc(idlen + 1);
    memcpy(z, id, idlen);
    z[idlen] = 0;
    long k = find(m, z);
    free(z);
    if (k >= 0 && !m->texts[k]) {
        m->texts[k] = xmalloc(len + 1);
        memcpy(m->texts[k], text, len);
        m->texts[k][len] = 0;
    }
}

static double exact_jaccard(rpi_tokctx *tok, const char *x, const char *y, int ngram)
{
    uint64_t *s[2];
    size_t n[2];
    const char *t[2] = {x, y};
    for (int k = 0; k < 2; k++) {
        size_t bad;
        if (rpi_tokenize(tok, t[k], strlen(t[k]), &bad) != RP_OK)
            die("corpus text does not tokenize");
        size_t m = rpi_shingle_count(tok->ntok, ngram);
        s[k] = xmalloc(m * sizeof *s[k] + 8);
        rpi_shingles(tok->tok, tok->ntok, ngram, s[k]);
        n[k] = rpi_sort_unique(s[k], m);
    }
    size_t i = rpi_intersect_count(s[0], n[0], s[1], n[1]);
    double j = (double)i / (double)(n[0] + n[1] - i);
    free(s[0]);
    free(s[1]);
    return j;
}

typedef struct idpair {
    const char *a, *b; /* ids */
    double j; /* reported Jaccard, or -1 */
} idpair;

int main(int argc, char **argv)
{
    int threads = 2, sample = 20000;
    double threshold = 0.8;
    rp_sketch_kind kind = RP_SKETCH_OPH;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-j") == 0)
            threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-T") == 0)
            threshold = atof(argv[i + 1]);
        else if (strcmp(argv[i], "-s") == 0)
            sample = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-k") == 0)
            kind = strcmp(argv[i + 1], "kperm") == 0 ? RP_SKETCH_KPERM : RP_SKETCH_OPH;
        else
            break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: bench_scan [-j N] [-T threshold] [-k oph|kperm] [-s SAMPLE] "
                        "corpus.jsonl truth.tsv\n");
        return 2;
    }
    const char *corpus = argv[i], *truthf = argv[i + 1];

    /* 2. the whole pipeline first, so peak RSS is the pipeline's own */
    rp_options o;
    rp_options_init(&o);
    o.threads = threads;
    o.threshold = threshold;
    o.sketch = kind;
    o.fast = 1; /* the fast path: since the default scan names relations, it is not the default */
    rp_corpus *c;
    if (rp_corpus_open(&c, &o) != RP_OK || rp_corpus_add_input(c, corpus) != RP_OK)
        die(rp_errmsg(c));
    double t0 = now();
    if (rp_corpus_run(c) != RP_OK)
        die(rp_errmsg(c));
    double wall = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    FILE *cf = fopen(corpus, "rb");
    if (!cf)
        die("cannot open the corpus");
    fseek(cf, 0, SEEK_END);
    double mb = ftell(cf) / 1e6;
    fclose(cf);
    size_t ndocs = rp_corpus_ndocs(c);
    printf("pipeline, %d thread(s), sketch %s, threshold %.2f (LSH %d bands x %d rows):\n",
           threads, kind == RP_SKETCH_OPH ? "OPH" : "k-perm", threshold, c->bands, c->rows);
    printf("  %zu documents, %.1f MB of JSONL in %.2f s: %.0f MB/s, %.0f docs/s\n", ndocs, mb,
           wall, mb / wall, ndocs / wall);
    printf("  phases: read+sign %.2f s, LSH %.2f s, verify %.2f s (%llu candidates, %llu "
           "rejected by the signature check before reading), clusters %.2f s\n",
           c->t_pass1, c->t_lsh, c->t_verify, (unsigned long long)c->ncandidates,
           (unsigned long long)c->nprefiltered, c->t_cluster);
    printf("  peak resident memory %.0f MB\n", ru.ru_maxrss / 1024.0);
    printf("  %.0fx datasketch's 1,650 docs/s (issue's figure for 1 core)\n",
           ndocs / wall / 1650.0);

    /* 3. truth: planted groups (union-find over the planted pairs) + random pairs */
    FILE *tf = fopen(truthf, "r");
    if (!tf)
        die("cannot open the truth file");
    char line[1024];
    size_t np = 0, capp = 0;
    char **pa = NULL, **pb = NULL;
    while (fgets(line, sizeof line, tf)) {
        char *a = strtok(line, "\t\n"), *b = strtok(NULL, "\t\n");
        if (!a || !b || strcmp(a, "a") == 0)
            continue;
        if (np == capp) {
            capp = capp ? 2 * capp : 1024;
            pa = realloc(pa, capp * sizeof *pa);
            pb = realloc(pb, capp * sizeof *pb);
        }
        pa[np] = strdup(a);
        pb[np++] = strdup(b);
    }
    fclose(tf);
    /* wanted ids: planted, reported, sampled */
    size_t nrep = rp_corpus_npairs(c);
    size_t nw = 0, capw = 2 * np + 2 * nrep + 2 * (size_t)sample + 1;
    char **want = xmalloc(capw * sizeof *want);
    for (size_t k = 0; k < np; k++) {
        want[nw++] = pa[k];
        want[nw++] = pb[k];
    }
    idpair *rep = xmalloc((nrep + 1) * sizeof *rep);
    for (size_t k = 0; k < nrep; k++) {
        rp_pair p;
        rp_corpus_pair(c, k, &p);
        rep[k] = (idpair){rp_doc_id(c, p.a), rp_doc_id(c, p.b), p.jaccard};
        want[nw++] = (char *)(uintptr_t)rep[k].a;
        want[nw++] = (char *)(uintptr_t)rep[k].b;
    }
    uint64_t seed = 42;
    idpair *smp = xmalloc(((size_t)sample + 1) * sizeof *smp);
    for (int k = 0; k < sample && ndocs > 1; k++) {
        uint32_t a = (uint32_t)(splitmix(&seed) % ndocs), b = (uint32_t)(splitmix(&seed) % ndocs);
        if (a == b)
            b = (b + 1) % (uint32_t)ndocs;
        smp[k] = (idpair){rp_doc_id(c, a), rp_doc_id(c, b), -1};
        want[nw++] = (char *)(uintptr_t)smp[k].a;
        want[nw++] = (char *)(uintptr_t)smp[k].b;
    }
    qsort(want, nw, sizeof *want, cmp_str);
    size_t u = 0;
    for (size_t k = 0; k < nw; k++)
        if (u == 0 || strcmp(want[u - 1], want[k]) != 0)
            want[u++] = want[k];
    docmap dm = {want, calloc(u + 1, sizeof(char *)), u};
    each_doc(corpus, SIZE_MAX, load_wanted, &dm);

    /* groups of planted copies */
    long *par = xmalloc((u + 1) * sizeof *par);
    for (size_t k = 0; k < u; k++)
        par[k] = (long)k;
    for (size_t k = 0; k < np; k++) {
        long x = find(&dm, pa[k]), y = find(&dm, pb[k]);
        while (par[x] != x)
            x = par[x];
        while (par[y] != y)
            y = par[y];
        if (x != y)
            par[x > y ? x : y] = x < y ? x : y;
    }
    /* reported pairs, as a sorted list of "a\tb" keys for lookup */
    char **rk = xmalloc((nrep + 1) * sizeof *rk);
    for (size_t k = 0; k < nrep; k++) {
        size_t la = strlen(rep[k].a), lb = strlen(rep[k].b);
        rk[k] = xmalloc(la + lb + 2);
        const char *x = strcmp(rep[k].a, rep[k].b) < 0 ? rep[k].a : rep[k].b;
        const char *y = x == rep[k].a ? rep[k].b : rep[k].a;
        sprintf(rk[k], "%s\t%s", x, y);
    }
    qsort(rk, nrep, sizeof *rk, cmp_str);
    docmap rmap = {rk, NULL, nrep};

    rpi_tokctx tok = {0};
    size_t truth_pos = 0, found = 0, checked = 0, near_pos = 0, near_found = 0;
    char key[1024];
    /* every pair inside each planted group */
    size_t *members = xmalloc((u + 1) * sizeof *members);
    long *root = xmalloc((u + 1) * sizeof *root);
    for (size_t k = 0; k < u; k++) {
        long x = (long)k;
        while (par[x] != x)
            x = par[x];
        root[k] = x;
    }
    /* bucket the ids by group root (counting sort), then all pairs per group */
    size_t *start = calloc(u + 2, sizeof *start);
    for (size_t k = 0; k < u; k++)
        start[root[k] + 1]++;
    for (size_t k = 0; k < u; k++)
        start[k + 1] += start[k];
    size_t *fill = xmalloc((u + 1) * sizeof *fill);
    memcpy(fill, start, u * sizeof *fill);
    for (size_t k = 0; k < u; k++)
        members[fill[root[k]]++] = k;
    for (size_t r = 0; r < u; r++) {
        const size_t *g = members + start[r];
        size_t m = start[r + 1] - start[r];
        for (size_t x = 0; x < m; x++)
            for (size_t y = x + 1; y < m; y++) {
                const char *ta = dm.texts[g[x]], *tb = dm.texts[g[y]];
                if (!ta || !tb)
                    continue;
                checked++;
                double jx = exact_jaccard(&tok, ta, tb, 5);
                if (jx < threshold)
                    continue;
                truth_pos++;
                const char *a = dm.ids[g[x]], *b = dm.ids[g[y]];
                snprintf(key, sizeof key, "%s\t%s", strcmp(a, b) < 0 ? a : b,
                         strcmp(a, b) < 0 ? b : a);
                int hit = find(&rmap, key) >= 0;
                found += hit;
                if (jx < threshold + 0.05) {
                    near_pos++;
                    near_found += hit;
                }
            }
    }
    free(start);
    free(fill);
    size_t spos = 0, sfound = 0;
    for (int k = 0; k < sample; k++) {
        long x = find(&dm, smp[k].a), y = find(&dm, smp[k].b);
        if (root[x] == root[y])
            continue; /* already counted in its planted group */
        if (exact_jaccard(&tok, dm.texts[x], dm.texts[y], 5) < threshold)
            continue;
        spos++;
        snprintf(key, sizeof key, "%s\t%s", strcmp(smp[k].a, smp[k].b) < 0 ? smp[k].a : smp[k].b,
                 strcmp(smp[k].a, smp[k].b) < 0 ? smp[k].b : smp[k].a);
        sfound += find(&rmap, key) >= 0;
    }
    size_t good = 0, exactly = 0;
    for (size_t k = 0; k < nrep; k++) {
        long x = find(&dm, rep[k].a), y = find(&dm, rep[k].b);
        double j = exact_jaccard(&tok, dm.texts[x], dm.texts[y], 5);
        good += j >= threshold;
        exactly += fabs(j - rep[k].j) < 1e-12;
    }
    printf("accuracy (truth computed exactly from the texts):\n");
    printf("  planted groups: %zu pairs checked, %zu at Jaccard >= %.2f, %zu found: recall "
           "%.4f\n",
           checked, truth_pos, threshold, found, truth_pos ? (double)found / truth_pos : 1.0);
    printf("  of them just above the threshold (Jaccard in [%.2f, %.2f)): %zu, %zu found: "
           "recall %.4f\n",
           threshold, threshold + 0.05, near_pos, near_found,
           near_pos ? (double)near_found / near_pos : 1.0);
    printf("  %d random pairs: %zu at Jaccard >= %.2f, %zu found\n", sample, spos, threshold,
           sfound);
    printf("  reported %zu pairs: %zu at Jaccard >= %.2f: precision %.4f; %zu with the exact "
           "Jaccard printed\n",
           nrep, good, threshold, nrep ? (double)good / nrep : 1.0, exactly);
    rpi_tokctx_free(&tok);
    rp_corpus_close(c);

    /* 1. stage split last: it must not count in the pipeline's peak memory */
    stage_split(corpus, 5, 128, threshold);
    return 0;
}
