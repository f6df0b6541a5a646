/* SPDX-License-Identifier: MIT */
/*
 * test_dist.c -- a run divided among ranks (rp_corpus_set_transport) gives
 * rank 0 exactly what one process gives: pairs, clusters, removed list,
 * kept records, skipped count and messages; and in the default scan the
 * passages, stories, differences, timelines and the report. The ranks are threads of this
 * process here, with a transport over shared memory and a barrier, so the
 * library's side is tested without MPI (and under the sanitizers);
 * reprint-mpi's own cases are tests/cli/mpi_*.
 */
#define _POSIX_C_SOURCE 200809L
#include "unit.h"

#include <pthread.h>

#include "corpus_int.h" /* (rank 0's record store counters) */
#include "reprint.h"

#define MAXRANKS 8

/* The shared memory of the ranks. */
typedef struct hub {
    int size;
    pthread_barrier_t bar;
    uint64_t counts[MAXRANKS][MAXRANKS]; /* [from][to] */
    const char *send[MAXRANKS]; /* each rank's send buffer */
    uint64_t off[MAXRANKS][MAXRANKS]; /* [from][to]: offset of the part in send[from] */
    int garble_rank; /* what this rank receives at its exchange number garble_at (from 1) */
    int garble_at; /* is overwritten with 0xff bytes (0: never) */
} hub;

typedef struct rankarg {
    hub *h;
    int rank;
    int nexch; /* exchanges made */
    const char *inputs[4];
    int ninputs;
    rp_options opt;
    const char *odd; /* an input added on this rank only (another host's view), or NULL */
    int local; /* rp_transport.local_inputs */
    int all_texts; /* rp_transport.all_texts */
    int no_texts; /* rp_transport.no_texts */
    uint64_t texts_sent; /* bytes of text this rank sent (run_on: all ranks') */
    uint64_t joined_sent; /* bytes of stories and timelines this rank sent rank 0 (run_on: the
                             least any rank but 0 sent) */
    uint64_t part_spooled; /* bytes this rank wrote to temporary files (run_on: the least any
                              rank but 0 wrote: its part of the joins) */
    int other_text_rc; /* rank 0: rp_doc_text() of the last document */
    char *kept_own; /* local inputs: this rank's rp_corpus_write_kept */
    int rc; /* of rp_corpus_run */
    char err[1100];
    char *pairs, *clusters, *removed, *kept, *warnings; /* rank 0's outputs */
    char *more; /* the default scan's: passages, stories, differences, timelines, report */
    size_t nskipped, ndocs, npairs;
    uint64_t stored, mapped; /* rank 0: bytes of its record store written, mapped */
    uint64_t spooled; /* rank 0: bytes of the results collected in temporary files */
} rankarg;

static int t_counts(void *user, const uint64_t *out, uint64_t *in)
{
    rankarg *a = user;
    hub *h = a->h;
    for (int i = 0; i < h->size; i++)
        h->counts[a->rank][i] = out[i];
    pthread_barrier_wait(&h->bar);
    for (int i = 0; i < h->size; i++)
        in[i] = h->counts[i][a->rank];
    pthread_barrier_wait(&h->bar);
    return 0;
}

static int t_exchange(void *user, const void *send, const uint64_t *out, void *recv,
                      const uint64_t *in)
{
    rankarg *a = user;
    hub *h = a->h;
    uint64_t o = 0;
    for (int i = 0; i < h->size; i++) {
        h->off[a->rank][i] = o;
        o += out[i];
    }
    h->send[a->rank] = send;
    pthread_barrier_wait(&h->bar);
    char *dst = recv;
    for (int i = 0; i < h->size; i++) {
        if (in[i]) /* (a rank that sends nothing may have no buffer) */
            memcpy(dst, h->send[i] + h->off[i][a->rank], in[i]);
        dst += in[i];
    }
    a->nexch++;
    if (a->rank == h->garble_rank && a->nexch == h->garble_at)
        memset(recv, 0xff, (size_t)(dst - (char *)recv));
    pthread_barrier_wait(&h->bar);
    return 0;
}

static void t_warn(void *user, const char *msg)
{
    rankarg *a = user;
    size_t n = a->warnings ? strlen(a->warnings) : 0;
    a->warnings = realloc(a->warnings, n + strlen(msg) + 2);
    strcpy(a->warnings + n, msg);
    strcat(a->warnings, "\n");
}

static char *capture(rp_corpus *c, int what)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    size_t kept, removed;
    int rc = what == 0   ? rp_corpus_write_pairs(c, f, RP_FORMAT_TSV)
             : what == 1 ? rp_corpus_write_clusters(c, f)
             : what == 2 ? rp_corpus_write_removed(c, f)
             : what == 3 ? rp_corpus_write_kept(c, f, &kept, &removed)
             : what == 4 ? rp_corpus_write_passages(c, f)
             : what == 5 ? rp_corpus_write_stories(c, f)
             : what == 6 ? rp_corpus_write_differences(c, f)
             : what == 7 ? rp_corpus_write_timelines(c, f)
                         : rp_corpus_write_html(c, f);
    assert_int_equal(rc, RP_OK);
    fclose(f);
    return buf;
}

static void *rank_main(void *p)
{
    rankarg *a = p;
    rp_corpus *c;
    a->opt.warn = t_warn;
    a->opt.user = a;
    assert_int_equal(rp_corpus_open(&c, &a->opt), RP_OK);
    for (int i = 0; i < a->ninputs; i++)
        assert_int_equal(rp_corpus_add_input(c, a->inputs[i]), RP_OK);
    if (a->odd) /* as the CLI does on ranks: a failure here is the run's */
        rp_corpus_add_input(c, a->odd);
    if (a->rank != 0) { /* what a rank says before the run is its own (the CLI's ranks
                           say nothing); during the run only rank 0 speaks */
        free(a->warnings);
        a->warnings = NULL;
    }
    if (a->h) {
        rp_transport t = {a->rank, a->h->size, a, t_counts, t_exchange, a->local, a->all_texts,
                          a->no_texts};
        assert_int_equal(rp_corpus_set_transport(c, &t), RP_OK);
    }
    a->rc = rp_corpus_run(c);
    snprintf(a->err, sizeof a->err, "%s", rp_errmsg(c));
    if (a->rc == RP_OK && a->rank == 0) {
        a->pairs = capture(c, 0);
        a->clusters = capture(c, 1);
        a->removed = capture(c, 2);
        a->kept = capture(c, 3);
        if (!a->opt.fast) { /* the default scan's outputs, one after another */
            size_t len = 0;
            FILE *m = open_memstream(&a->more, &len);
            for (int what = 4; what <= (a->all_texts ? 8 : 7); what++) {
                if (a->no_texts && (what == 4 || what == 6))
                    continue; /* (passages and differences show texts) */
                char *x = capture(c, what);
                fprintf(m, "%s\n----\n", x);
                free(x);
            }
            fclose(m);
        }
        a->nskipped = rp_corpus_nskipped(c);
        a->ndocs = rp_corpus_ndocs(c);
        a->npairs = rp_corpus_npairs(c);
        a->stored = c->dist_stored;
        a->mapped = c->dist_mapped;
        a->spooled = c->dist_spooled;
        char *text = NULL;
        size_t len;
        a->other_text_rc = rp_doc_text(c, (uint32_t)(a->ndocs - 1), &text, &len);
        if (a->other_text_rc != RP_OK && !a->opt.fast)
            assert_non_null(strstr(rp_errmsg(c), "another rank's"));
        rp_free(text);
    }
    a->texts_sent = c->dist_sent[RPI_X_TEXTS];
    a->joined_sent = c->dist_sent[RPI_X_JOINED];
    a->part_spooled = c->dist_spooled;
    if (a->rc == RP_OK && a->rank != 0) {
        assert_int_equal(rp_corpus_ndocs(c), 0);
        assert_int_equal(rp_corpus_npairs(c), 0);
    }
    if (a->rc == RP_OK && a->local)
        a->kept_own = capture(c, 3);
    rp_corpus_close(c);
    return NULL;
}

static void free_outputs(rankarg *a)
{
    free(a->pairs);
    free(a->clusters);
    free(a->removed);
    free(a->kept);
    free(a->kept_own);
    free(a->more);
    free(a->warnings);
}

/* rp_transport.all_texts of the runs (and the report compared with one process's). */
static int g_all_texts;
/* rp_transport.no_texts of the runs (passages and differences not compared). */
static int g_no_texts;

/* Rank r's arguments for rank_main: hub h (NULL: one process), options, inputs. */
static void rank_init(rankarg *a, hub *h, int r, const rp_options *opt,
                      const char *const *inputs, int ninputs, int local)
{
    memset(a, 0, sizeof *a);
    a->h = h;
    a->rank = r;
    a->opt = *opt;
    a->local = local;
    a->all_texts = g_all_texts;
    a->no_texts = g_no_texts;
    a->ninputs = ninputs;
    for (int i = 0; i < ninputs; i++)
        a->inputs[i] = inputs[i];
}

/* Run the n ranks a[0..n) as threads (over hub h, or one process without) to their end. */
static void run_threads(hub *h, rankarg *a, int n)
{
    pthread_t tid[MAXRANKS];
    if (h)
        pthread_barrier_init(&h->bar, NULL, (unsigned)n);
    for (int r = 0; r < n; r++)
        assert_int_equal(pthread_create(&tid[r], NULL, rank_main, &a[r]), 0);
    for (int r = 0; r < n; r++)
        pthread_join(tid[r], NULL);
    if (h)
        pthread_barrier_destroy(&h->bar);
}

/* Run on size ranks (0: one process without a transport); rank 0's outputs in *out.
 * With odd, rank odd_rank also adds that input. */
/* A run on the ranks of hub h (NULL: one process); rank odd_rank also adds
 * odd; out: rank 0's (the others end alike, warn nothing: checked); nexch:
 * the exchanges rank h->garble_rank made (NULL: not wanted). */
static void run_on(hub *h, int size, const char **inputs, int ninputs, const rp_options *opt,
                   int odd_rank, const char *odd, rankarg *out, int *nexch)
{
    rankarg a[MAXRANKS];
    int n = size ? size : 1;
    for (int r = 0; r < n; r++) {
        rank_init(&a[r], h, r, opt, inputs, ninputs, 0);
        a[r].odd = r == odd_rank ? odd : NULL;
    }
    run_threads(h, a, n);
    if (nexch)
        *nexch = a[h->garble_rank].nexch;
    for (int r = 1; r < n; r++) {
        assert_int_equal(a[r].rc, a[0].rc);
        assert_string_equal(a[r].err, a[0].err);
        assert_null(a[r].warnings);
        a[0].texts_sent += a[r].texts_sent;
        if (r == 1 || a[r].joined_sent < a[0].joined_sent)
            a[0].joined_sent = a[r].joined_sent;
        if (r == 1 || a[r].part_spooled < a[0].part_spooled)
            a[0].part_spooled = a[r].part_spooled;
        free_outputs(&a[r]);
    }
    *out = a[0];
}

static void run_odd(int size, const char **inputs, int ninputs, const rp_options *opt,
                    int odd_rank, const char *odd, rankarg *out)
{
    hub h = {.size = size};
    run_on(size ? &h : NULL, size, inputs, ninputs, opt, odd_rank, odd, out, NULL);
}

/* A run on size ranks where rank garble_rank receives 0xff bytes at its exchange number at;
 * *nexch: the exchanges that rank made. */
static void run_garbled(int size, const char **inputs, int ninputs, const rp_options *opt,
                        int garble_rank, int at, rankarg *out, int *nexch)
{
    hub h = {.size = size, .garble_rank = garble_rank, .garble_at = at};
    run_on(&h, size, inputs, ninputs, opt, -1, NULL, out, nexch);
}

static void run(int size, const char **inputs, int ninputs, const rp_options *opt, rankarg *out)
{
    run_odd(size, inputs, ninputs, opt, -1, NULL, out);
}

static void same(const rankarg *x, const rankarg *y)
{
    assert_int_equal(x->rc, y->rc);
    assert_string_equal(x->err, y->err);
    if (x->rc != RP_OK)
        return;
    assert_string_equal(x->pairs, y->pairs);
    assert_string_equal(x->clusters, y->clusters);
    assert_string_equal(x->removed, y->removed);
    assert_string_equal(x->kept, y->kept);
    assert_string_equal(x->more ? x->more : "", y->more ? y->more : "");
    assert_int_equal(x->nskipped, y->nskipped);
    assert_int_equal(x->ndocs, y->ndocs);
    assert_string_equal(x->warnings ? x->warnings : "", y->warnings ? y->warnings : "");
}

/* A text of n pseudo-random words of a 400-word vocabulary. */
static void text(FILE *f, uint64_t *st, int n)
{
    for (int i = 0; i < n; i++)
        fprintf(f, "%sw%u", i ? " " : "", (unsigned)(ut_rand(st) % 400));
}

/*
 * ndocs JSONL documents: fresh texts, near copies (one word changed) of the
 * document 3 back every 7th, copies in upper case of the one 5 back every
 * 11th, dates on some; bad: a broken line after the first third;
 * dupid: the id of document 5 again at the end.
 */
static void gen(const char *path, int ndocs, uint64_t seed, int bad, int dupid)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    uint64_t st = seed;
    char **texts = calloc((size_t)ndocs, sizeof *texts);
    for (int i = 0; i < ndocs; i++) {
        char *t = NULL;
        size_t tl = 0;
        FILE *m = open_memstream(&t, &tl);
        if (i % 7 == 6) {
            char *w = strrchr(texts[i - 3], ' ');
            fprintf(m, "%.*s changed%d", (int)(w - texts[i - 3]), texts[i - 3], i);
        } else if (i % 11 == 10) {
            for (const char *q = texts[i - 5]; *q; q++)
                fputc(*q == 'w' ? 'W' : *q, m);
        } else {
            text(m, &st, 30 + (int)(ut_rand(&st) % 60));
        }
        fclose(m);
        texts[i] = t;
        fprintf(f, "{\"id\":\"d%d\",", i);
        if (i % 3 == 0)
            fprintf(f, "\"date\":\"2025-%02d-%02d\",", 1 + i % 12, 1 + i % 28);
        fprintf(f, "\"text\":\"%s\"}\n", t);
        if (bad && i == ndocs / 3)
            fprintf(f, "{\"id\":\"broken\",\"text\":\n");
        if (i % 13 == 0)
            fprintf(f, "\n"); /* blank lines count for line numbers */
    }
    if (dupid)
        fprintf(f, "{\"id\":\"d5\",\"text\":\"%s\"}\n", texts[1]);
    for (int i = 0; i < ndocs; i++)
        free(texts[i]);
    free(texts);
    fclose(f);
}

static rp_options fast_options(void)
{
    rp_options o;
    rp_options_init(&o);
    o.fast = 1;
    o.threads = 1;
    o.memory = 64u << 20;
    return o;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

/*
 * One process, then 1, 2, 3, 5 and 8 ranks: all the same. The one-process
 * run must give at least min_pairs pair lines (header included) and, when
 * want_warning is set, a warning holding it: the case tests something.
 */
static void check_ranks(const char **inputs, int n, const rp_options *o, size_t min_pairs,
                        const char *want_warning)
{
    static const int sizes[] = {1, 2, 3, 5, 8};
    rankarg one, many;
    run(0, inputs, n, o, &one);
    if (one.rc == RP_OK)
        assert_true(count_lines(one.pairs) >= min_pairs);
    if (want_warning)
        assert_non_null(strstr(one.warnings ? one.warnings : "", want_warning));
    for (size_t i = 0; i < UT_ARRAY_LEN(sizes); i++) {
        run(sizes[i], inputs, n, o, &many);
        same(&one, &many);
        free_outputs(&many);
    }
    free_outputs(&one);
}

static void test_dist_same_as_one(void **state)
{
    const char *dir = *state;
    char a[4096], b[4096], sub[4096];
    ut_join(a, sizeof a, dir, "a.jsonl");
    gen(a, 300, 1, 0, 0);
    ut_join(b, sizeof b, dir, "b.jsonl");
    gen(b, 120, 2, 0, 0);
    ut_mkdir_in(dir, "txt");
    ut_join(sub, sizeof sub, dir, "txt");
    char tmp[4096];
    ut_write_in(sub, "x.txt", "a plain text file is one document of its own words", tmp,
                sizeof tmp);
    ut_write_in(sub, "y.txt", "A PLAIN TEXT FILE IS ONE DOCUMENT OF ITS OWN WORDS", tmp,
                sizeof tmp);
    const char *inputs[] = {a, sub, b};
    rp_options o = fast_options();
    check_ranks(inputs, 3, &o, 60, NULL);
    o.keep = RP_KEEP_EARLIEST;
    o.threads = 2;
    check_ranks(inputs, 3, &o, 60, NULL);
    o.keep = RP_KEEP_FIRST;
    o.memory = 0; /* every shingle set in the temporary store */
    check_ranks(inputs, 1, &o, 40, NULL);
}

static rp_options default_options(void)
{
    rp_options o = fast_options();
    o.fast = 0;
    return o;
}

/* The default scan (passages, relations, stories, timelines, differences):
 * the same on every number of ranks, with features kept or computed again,
 * with every pair compared (all_pairs), with reworded passages, and with
 * rank 0 fetching every text for the report. */
static void test_dist_default_scan(void **state)
{
    const char *dir = *state;
    char a[4096], b[4096], s[4096];
    ut_join(a, sizeof a, dir, "a.jsonl");
    gen(a, 160, 11, 0, 0);
    ut_join(b, sizeof b, dir, "b.jsonl");
    gen(b, 60, 12, 0, 0);
    ut_join(s, sizeof s, dir, "s.jsonl");
    gen(s, 30, 13, 0, 0);
    const char *inputs[] = {a, b};
    rp_options o = default_options();
    check_ranks(inputs, 2, &o, 60, NULL);
    o.threads = 2;
    o.memory = 0; /* no features kept: computed again for every pair, also to be sent */
    check_ranks(inputs, 2, &o, 60, NULL);
    o = default_options();
    o.reworded = 1;
    g_all_texts = 1;
    check_ranks(inputs, 2, &o, 60, NULL);
    const char *small[] = {s};
    o = default_options();
    o.all_pairs = 1;
    o.list_furniture = 1;
    check_ranks(small, 1, &o, 30 * 29 / 2, NULL);
    g_all_texts = 0;
}

/*
 * The stories and timelines are joined on the ranks (distjoin.c): on 3
 * ranks, with documents in many stories (copies and near copies of many
 * texts), every rank joins a part (its pairs written to a temporary file
 * and mapped) and sends rank 0 stories, and rank 0's stories and timelines
 * are one process's.
 */
static void test_dist_join_divided(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "a.jsonl");
    gen(a, 600, 41, 0, 0);
    const char *inputs[] = {a};
    rp_options o = default_options();
    rankarg one, many;
    run(0, inputs, 1, &o, &one);
    assert_int_equal(one.rc, RP_OK);
    assert_non_null(strstr(one.more, "\"level\":\"story\""));
    run(3, inputs, 1, &o, &many);
    same(&one, &many);
    assert_true(many.joined_sent > 16); /* (more than the two counts: stories) */
    /* (each rank's pairs went to a temporary file it mapped, 104 bytes each) */
    assert_true(many.part_spooled >= sizeof(rp_pair));
    free_outputs(&many);
    free_outputs(&one);
}

/*
 * Outputs that show no text (rp_transport.no_texts): rank 0 fetches none,
 * no rank sends any, and the pairs, clusters, stories and timelines are
 * one process's; a text of another rank is then refused by name. The same
 * run asking the texts of passages and differences (the default) sends
 * some.
 */
static void test_dist_no_texts(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "a.jsonl");
    gen(a, 300, 31, 0, 0);
    const char *inputs[] = {a};
    rp_options o = default_options();
    rankarg one, many;
    g_no_texts = 1;
    run(0, inputs, 1, &o, &one);
    assert_int_equal(one.rc, RP_OK);
    assert_true(count_lines(one.pairs) > 20);
    assert_int_equal(one.other_text_rc, RP_OK); /* (one process: every text its own) */
    for (int size = 2; size <= 3; size++) {
        run(size, inputs, 1, &o, &many);
        same(&one, &many);
        assert_int_equal(many.texts_sent, 0);
        assert_int_equal(many.other_text_rc, RP_EINVAL);
        free_outputs(&many);
    }
    g_no_texts = 0;
    run(2, inputs, 1, &o, &many);
    assert_int_equal(many.rc, RP_OK);
    assert_true(many.texts_sent > 0);
    free_outputs(&many);
    free_outputs(&one);
}

/*
 * Rank 0's record store: with 4,000 documents the records' array is past
 * 256 KiB (rpi_grow_huge maps it), so the other ranks' records are written
 * to the store and mapped in their place, in the default scan and in the
 * fast path past a 16th of `memory` (2 MiB here); outputs the same. On 1
 * rank nothing is stored. The default scan's results are collected in
 * temporary files on rank 0 and read from them (mapped): the same outputs.
 */
static void test_dist_record_store(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "a.jsonl");
    gen(a, 4000, 21, 0, 0);
    const char *inputs[] = {a};
    rp_options opts[2] = {default_options(), fast_options()};
    opts[1].memory = 2u << 20;
    for (int k = 0; k < 2; k++) {
        rankarg one, two;
        run(1, inputs, 1, &opts[k], &one);
        assert_int_equal(one.rc, RP_OK);
        assert_true(one.stored == 0 && one.mapped == 0);
        run(2, inputs, 1, &opts[k], &two);
        same(&one, &two);
        assert_true(two.mapped > 0 && two.mapped <= two.stored);
        assert_true(one.spooled == 0);
        /* (a listed pair is 104 bytes in the results' file, rp_pair, beside
         * its passages; rank 0's part of the joins, if it spools one, is at
         * most every pair at 104 bytes: so more than that only when the
         * results went to the files) */
        if (k == 0)
            assert_true(two.npairs > 0 && two.spooled > two.npairs * sizeof(rp_pair));
        else
            assert_true(two.spooled == 0);
        free_outputs(&one);
        free_outputs(&two);
    }
}

/*
 * Bytes garbled on their way (every byte a rank receives at one exchange
 * overwritten, for each exchange of a run in turn, on rank 1 of 3): never a
 * crash or a hang (make asan runs this too; the first run of this test found
 * a shingle count taken from the bytes that overran verify's buffer), every
 * rank ends with the same code and message, and a garbled exchange is named
 * with the rank that saw it, once ("rank 1: rank 1: ..." before). The
 * exchanges carry no checksum (MPI delivers the bytes it was given): where
 * the garbled bytes are read as plausible values (counts), a run may end
 * well with other results, which is not checked here.
 */
static void test_dist_garbled(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "g.jsonl");
    gen(a, 90, 21, 0, 1);
    const char *inputs[] = {a};
    for (int fast = 1; fast >= 0; fast--) {
        rp_options o = fast ? fast_options() : default_options();
        o.skip_bad = 1;
        rankarg clean, bad;
        int n = 0, m = 0, ngarbled = 0;
        run_garbled(3, inputs, 1, &o, 1, 0, &clean, &n);
        assert_int_equal(clean.rc, RP_OK);
        assert_true(n > 5);
        for (int at = 1; at <= n; at++) {
            run_garbled(3, inputs, 1, &o, 1, at, &bad, &m);
            assert_null(strstr(bad.err, "rank 1: rank 1"));
            if (strstr(bad.err, "garbled")) {
                /* rank 1, or a rank that rank 1 passed the garbled bytes on to */
                char want[64];
                snprintf(want, sizeof want, "rank %c: garbled data from another rank", bad.err[5]);
                assert_string_equal(bad.err, want);
                ngarbled++;
            }
            free_outputs(&bad);
        }
        assert_true(ngarbled >= 5);
        free_outputs(&clean);
    }
}

/* A duplicate id skipped in the default scan: one process counts none of its
 * words, nor may the ranks (each takes them out of its counts). */
static void test_dist_default_duplicate_id(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "dup.jsonl");
    gen(a, 200, 4, 0, 1);
    const char *inputs[] = {a};
    rp_options o = default_options();
    o.skip_bad = 1;
    check_ranks(inputs, 1, &o, 30, "dup.jsonl:217: duplicate id \"d5\" (first seen at ");
}

static void test_dist_bad_records(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "bad.jsonl");
    gen(a, 200, 3, 1, 0);
    const char *inputs[] = {a};
    rp_options o = fast_options();
    check_ranks(inputs, 1, &o, 0, NULL); /* the first error, named as one process names it */
    o.skip_bad = 1;
    check_ranks(inputs, 1, &o, 30, "skipped: ");
}

static void test_dist_duplicate_id(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "dup.jsonl");
    gen(a, 200, 4, 0, 1); /* d5 near the start and again at the end: another rank */
    const char *inputs[] = {a};
    rp_options o = fast_options();
    check_ranks(inputs, 1, &o, 0, NULL);
    rankarg one;
    run(3, inputs, 1, &o, &one);
    assert_int_equal(one.rc, RP_EBADINPUT);
    assert_non_null(strstr(one.err, "duplicate id \"d5\" (first seen at "));
    free_outputs(&one);
    o.skip_bad = 1;
    check_ranks(inputs, 1, &o, 30, "dup.jsonl:217: duplicate id \"d5\" (first seen at ");
}

/*
 * Warnings in input order, as one process gives them: id x at lines 1, 201
 * and 202 and a broken line at 203 (the later ranks' duplicates are named
 * after the first, and the date of a duplicate is not read); without
 * skip_bad, x at lines 1 and 201 and a date in the future at 202, which one
 * process never reaches.
 */
static void test_dist_warning_order(void **state)
{
    const char *dir = *state;
    char a[4096], b[4096];
    ut_join(a, sizeof a, dir, "order.jsonl");
    ut_join(b, sizeof b, dir, "stop.jsonl");
    FILE *f = fopen(a, "w"), *g = fopen(b, "w");
    assert_non_null(f);
    assert_non_null(g);
    uint64_t st = 11;
    for (int i = 1; i <= 203; i++) {
        const char *id = i == 1 || i == 201 || i == 202 ? "x" : NULL;
        if (i == 203) {
            fprintf(f, "{\"id\":\"broken\",\n");
            continue;
        }
        fprintf(f, "{\"id\":\"%s%d\",%s\"text\":\"", id ? id : "d", id ? 0 : i,
                i == 202 ? "\"date\":\"2999-01-01\"," : "");
        text(f, &st, 40);
        fprintf(f, "\"}\n");
        fprintf(g, "{\"id\":\"%s%d\",%s\"text\":\"w%d and more words for the text\"}\n",
                i == 1 || i == 201 ? "x" : "d", i == 1 || i == 201 ? 0 : i,
                i == 202 ? "\"date\":\"2999-01-01\"," : "", i);
    }
    fclose(f);
    fclose(g);
    rp_options o = fast_options();
    o.skip_bad = 1;
    const char *one[] = {a};
    check_ranks(one, 1, &o, 1, "order.jsonl:202: duplicate id \"x0\" (first seen at ");
    o.skip_bad = 0;
    const char *two[] = {b};
    check_ranks(two, 1, &o, 0, NULL);
    rankarg r;
    run(2, two, 1, &o, &r);
    assert_int_equal(r.rc, RP_EBADINPUT);
    assert_null(r.warnings); /* the future date at 202 comes after the error at 201 */
    free_outputs(&r);
}

/* An input that one rank cannot open, or sees otherwise: every rank fails,
 * with the message of the lowest failing rank, and none waits for ever. */
static void test_dist_inputs_differ(void **state)
{
    const char *dir = *state;
    char a[4096], b[4096], missing[4096];
    ut_join(a, sizeof a, dir, "a.jsonl");
    gen(a, 50, 12, 0, 0);
    ut_join(b, sizeof b, dir, "b.jsonl");
    gen(b, 10, 13, 0, 0);
    ut_join(missing, sizeof missing, dir, "missing.jsonl");
    const char *inputs[] = {a};
    rp_options o = fast_options();
    rankarg r;
    run_odd(3, inputs, 1, &o, 1, missing, &r);
    assert_int_equal(r.rc, RP_EIO);
    assert_non_null(strstr(r.err, "missing.jsonl"));
    free_outputs(&r);
    run_odd(3, inputs, 1, &o, 2, b, &r);
    assert_int_equal(r.rc, RP_EINVAL);
    assert_string_equal(r.err, "rank 2 was given other inputs than rank 0 (a file missing, "
                               "different or still being written on its host?)");
    free_outputs(&r);
    o.skip_bad = 1; /* the missing file is skipped on rank 1 only: still other inputs */
    run_odd(3, inputs, 1, &o, 1, missing, &r);
    assert_int_equal(r.rc, RP_EINVAL);
    assert_string_equal(r.err, "rank 1 was given other inputs than rank 0 (a file missing, "
                               "different or still being written on its host?)");
    free_outputs(&r);
}

/* One group of exact copies larger than the library's cap (1,000), on every rank. */
static void test_dist_big_group(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "big.jsonl");
    FILE *f = fopen(a, "w");
    assert_non_null(f);
    for (int i = 0; i < 1100; i++)
        fprintf(f, "{\"id\":\"c%d\",\"text\":\"the same short wire item %s\"}\n", i,
                i % 2 ? "again" : "AGAIN");
    fclose(f);
    const char *inputs[] = {a};
    rp_options o = fast_options();
    check_ranks(inputs, 1, &o, 1100, NULL);
}

/*
 * 1,100 near copies of a 2,000-word text, each a leader of its own (they
 * differ in their last word): most share every band key, so every band has
 * a bucket over the cap of 1,000, which pairs each member with the preferred
 * one and the next only, on the rank owning the bucket. Which member is
 * preferred (the longest, line 401; the earliest, line 701) decides the
 * pairs, so the keep policy's facts must come from the ranks holding them.
 */
static void test_dist_big_bucket(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "bucket.jsonl");
    FILE *f = fopen(a, "w");
    assert_non_null(f);
    uint64_t st = 7;
    static char base[20000];
    base[0] = 0;
    for (int i = 0; i < 2000; i++)
        snprintf(base + strlen(base), sizeof base - strlen(base), "w%u ",
                 (unsigned)(ut_rand(&st) % 100000));
    for (int i = 0; i < 1100; i++)
        fprintf(f, "{\"id\":\"n%d\",%s\"text\":\"%sfinal%d%s\"}\n", i,
                i == 700 ? "\"date\":\"2020-01-01\"," : "", base, i,
                i == 400 ? " and a longer tail" : "");
    fclose(f);
    const char *inputs[] = {a};
    rp_options o = fast_options();
    check_ranks(inputs, 1, &o, 1100, NULL);
    o.keep = RP_KEEP_EARLIEST;
    check_ranks(inputs, 1, &o, 1100, NULL);
}

/* More ranks than documents, a compressed input (read whole by one rank). */
static void test_dist_small_and_compressed(void **state)
{
    const char *dir = *state;
    char a[4096], gz[4096], cmd[9000];
    ut_join(a, sizeof a, dir, "two.jsonl");
    static const char two[] = "{\"id\":\"1\",\"text\":\"one two three four five six\"}\n"
                              "{\"id\":\"2\",\"text\":\"one two three four five six\"}\n";
    ut_write(a, two, sizeof two - 1);
    ut_join(gz, sizeof gz, dir, "more.jsonl");
    gen(gz, 60, 5, 0, 0);
    snprintf(cmd, sizeof cmd, "gzip -f '%s'", gz);
    assert_int_equal(system(cmd), 0);
    strcat(gz, ".gz");
    const char *inputs[] = {a, gz};
    rp_options o = fast_options();
    check_ranks(inputs, 2, &o, 3, NULL);
}

/* Rewrite the ids "dN" of a gen() file as prefix followed by N. */
static void prefix_ids(const char *path, const char *prefix)
{
    char *out = NULL;
    size_t olen = 0;
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[65536];
    FILE *m = open_memstream(&out, &olen);
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "\"id\":\"d");
        if (p) {
            fwrite(line, 1, (size_t)(p - line) + 6, m);
            fputs(prefix, m);
            fputs(p + 7, m);
        } else {
            fputs(line, m);
        }
    }
    fclose(m);
    fclose(f);
    f = fopen(path, "w");
    assert_non_null(f);
    fwrite(out, 1, olen, f);
    fclose(f);
    free(out);
}

/*
 * Local inputs: rank r reads inputs[r][0..n[r]) alone. Rank 0's results are
 * one process's over every rank's inputs in rank order, and the ranks' kept
 * records one after another are its kept records.
 */
static void check_local(int size, const char *const *inputs[], const int n[],
                        const rp_options *opt)
{
    const char *all[8];
    int nall = 0;
    for (int r = 0; r < size; r++)
        for (int i = 0; i < n[r]; i++)
            all[nall++] = inputs[r][i];
    rankarg one;
    run(0, all, nall, opt, &one);
    hub h = {.size = size};
    rankarg a[MAXRANKS];
    for (int r = 0; r < size; r++)
        rank_init(&a[r], &h, r, opt, inputs[r], n[r], 1);
    run_threads(&h, a, size);
    char *kept = NULL;
    size_t klen = 0;
    FILE *m = open_memstream(&kept, &klen);
    for (int r = 0; r < size; r++) {
        assert_int_equal(a[r].rc, one.rc);
        assert_string_equal(a[r].err, one.err);
        if (a[r].kept_own)
            fputs(a[r].kept_own, m);
        if (r > 0) {
            assert_null(a[r].warnings);
            free_outputs(&a[r]);
        }
    }
    fclose(m);
    free(a[0].kept);
    a[0].kept = kept; /* the ranks' kept records, one after another */
    same(&one, &a[0]);
    if (one.rc == RP_OK)
        assert_true(count_lines(one.removed) >= 50); /* copies across ranks were found */
    free_outputs(&one);
    free_outputs(&a[0]);
}

static void test_dist_local_inputs(void **state)
{
    const char *dir = *state;
    char a[4096], b[4096], c[4096];
    ut_join(a, sizeof a, dir, "a.jsonl");
    gen(a, 150, 7, 0, 0);
    prefix_ids(a, "a");
    ut_join(b, sizeof b, dir, "b.jsonl"); /* the same texts as a: copies on another rank */
    gen(b, 150, 7, 0, 0);
    prefix_ids(b, "b");
    ut_join(c, sizeof c, dir, "c.jsonl"); /* a bad line and a repeated id */
    gen(c, 120, 8, 1, 1);
    prefix_ids(c, "c");
    rp_options o = fast_options();
    o.skip_bad = 1;
    {
        const char *r0[] = {a}, *r1[] = {b, c};
        const char *const *in[] = {r0, r1, NULL};
        const int n[] = {1, 2, 0}; /* a rank without inputs */
        check_local(3, in, n, &o);
    }
    {
        const char *r1[] = {a}, *r2[] = {c}, *r3[] = {b};
        const char *const *in[] = {NULL, r1, r2, r3};
        const int n[] = {0, 1, 1, 1};
        check_local(4, in, n, &o);
        o.keep = RP_KEEP_EARLIEST;
        o.memory = 0;
        check_local(4, in, n, &o);
    }
    o.skip_bad = 0; /* the broken line of c stops the job, named as one process names it */
    {
        const char *r0[] = {c}, *r1[] = {a};
        const char *const *in[] = {r0, r1};
        const int n[] = {1, 1};
        check_local(2, in, n, &o);
    }
}

/* Local inputs on some ranks only: every rank stops with one message. */
static void test_dist_local_disagree(void **state)
{
    const char *dir = *state;
    char a[4096];
    ut_join(a, sizeof a, dir, "a.jsonl");
    gen(a, 20, 7, 0, 0);
    hub h = {.size = 2};
    rankarg r[2];
    const rp_options o = fast_options();
    const char *in[] = {a};
    for (int k = 0; k < 2; k++)
        rank_init(&r[k], &h, k, &o, in, 1, k == 1); /* rank 1 alone with local inputs */
    run_threads(&h, r, 2);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(r[k].rc, RP_EINVAL);
        assert_string_equal(r[k].err, "rank 1 reads inputs of its own and rank 0 the inputs "
                                      "every rank reads (--local-inputs given to some ranks "
                                      "only?)");
        free_outputs(&r[k]);
    }
}

static void test_dist_refuses(void **state)
{
    (void)state;
    rp_corpus *c;
    assert_int_equal(rp_corpus_open(&c, NULL), RP_OK);
    rp_transport t = {.rank = 2, .size = 2, .counts = t_counts, .exchange = t_exchange};
    assert_int_equal(rp_corpus_set_transport(c, &t), RP_EINVAL);
    assert_string_equal(rp_errmsg(c), "invalid transport (rank 2 of 2)");
    t.rank = 0;
    t.all_texts = t.no_texts = 1;
    assert_int_equal(rp_corpus_set_transport(c, &t), RP_EINVAL);
    assert_string_equal(rp_errmsg(c), "invalid transport: all_texts and no_texts both set");
    rp_corpus_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dist_same_as_one, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_default_scan, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_join_divided, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_no_texts, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_record_store, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_garbled, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_default_duplicate_id, ut_dir_setup,
                                        ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_bad_records, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_duplicate_id, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_warning_order, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_inputs_differ, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_big_group, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_big_bucket, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_small_and_compressed, ut_dir_setup,
                                        ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_refuses, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_local_inputs, ut_dir_setup, ut_dir_teardown),
        cmocka_unit_test_setup_teardown(test_dist_local_disagree, ut_dir_setup,
                                        ut_dir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
