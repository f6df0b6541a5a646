/* SPDX-License-Identifier: MIT */
/*
 * bench_report.c -- the size of the HTML report and the time it takes to write, on the
 * first N documents of a corpus, for several N (issue 5: "written in seconds", "its size
 * grows linearly with the collection").
 *
 *   build/bench/gencorpus -n 10000 -U -P 0.05 SOURCE.jsonl > /tmp/corpus10k.jsonl
 *   build/bench/bench_report [-j N] [-o REPORT.html] corpus.jsonl [N...]
 *
 * For each N (default 2500 5000 10000) the first N lines of the corpus are scanned in
 * full (passages, relations, furniture, differences) with the public API, then
 * rp_corpus_write_html() writes the report to a temporary file (or -o, for the last N).
 * One line per N: documents, input bytes, related pairs, passages, the scan time, the
 * report's write time, its size, and bytes per document and per input byte, which stay
 * flat when the size grows linearly. Timings vary on a shared machine: figures only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "reprint.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *m)
{
    fprintf(stderr, "bench_report: %s\n", m);
    exit(1);
}

/* Copy the first n lines of in to a temporary file (read as JSONL: force_jsonl); its
 * name goes to path. */
static long head_lines(const char *in, long n, char *path, size_t cap)
{
    FILE *f = fopen(in, "rb");
    if (!f)
        die("cannot open the corpus");
    snprintf(path, cap, "%s/bench_report.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(path);
    FILE *o = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!o)
        die("cannot create a temporary file");
    long lines = 0, bytes = 0;
    int ch;
    while (lines < n && (ch = getc(f)) != EOF) {
        putc(ch, o);
        bytes++;
        if (ch == '\n')
            lines++;
    }
    fclose(f);
    if (fclose(o) != 0)
        die("cannot write a temporary file");
    if (lines < n)
        fprintf(stderr, "bench_report: the corpus has only %ld documents\n", lines);
    return bytes;
}

int main(int argc, char **argv)
{
    int threads = 0, opt;
    const char *out = NULL;
    while ((opt = getopt(argc, argv, "j:o:")) != -1) {
        if (opt == 'j')
            threads = atoi(optarg);
        else if (opt == 'o')
            out = optarg;
        else
            die("usage: bench_report [-j N] [-o REPORT.html] corpus.jsonl [N...]");
    }
    if (optind >= argc)
        die("usage: bench_report [-j N] [-o REPORT.html] corpus.jsonl [N...]");
    const char *corpus = argv[optind];
    long defaults[] = {2500, 5000, 10000}, ns[64];
    int nn = 0;
    for (int i = optind + 1; i < argc && nn < 64; i++)
        ns[nn++] = atol(argv[i]);
    if (!nn)
        for (; nn < 3; nn++)
            ns[nn] = defaults[nn];
    printf("%8s %11s %8s %9s %8s %8s %12s %10s %10s\n", "docs", "input_B", "pairs", "passages",
           "scan_s", "html_s", "html_B", "B/doc", "B/input_B");
    for (int k = 0; k < nn; k++) {
        char part[4096], html[4200];
        long bytes = head_lines(corpus, ns[k], part, sizeof part);
        rp_options o;
        rp_options_init(&o);
        o.threads = threads;
        o.force_jsonl = 1;
        rp_corpus *c = NULL;
        if (rp_corpus_open(&c, &o) != RP_OK || rp_corpus_add_input(c, part) != RP_OK)
            die(c ? rp_errmsg(c) : "out of memory");
        double t0 = now();
        if (rp_corpus_run(c) != RP_OK)
            die(rp_errmsg(c));
        double t1 = now();
        int last = k == nn - 1 && out;
        if (last) {
            snprintf(html, sizeof html, "%s", out);
        } else {
            snprintf(html, sizeof html, "%s.html", part);
        }
        FILE *f = fopen(html, "wb");
        if (!f)
            die("cannot create the report file");
        double t2 = now();
        int rc = rp_corpus_write_html(c, f);
        if (fclose(f) != 0 || rc != RP_OK)
            die("writing the report failed");
        double t3 = now();
        FILE *g = fopen(html, "rb");
        if (!g || fseek(g, 0, SEEK_END) != 0)
            die("cannot read the report back");
        long size = ftell(g);
        fclose(g);
        size_t nd = rp_corpus_ndocs(c);
        printf("%8zu %11ld %8zu %9zu %8.2f %8.2f %12ld %10.0f %10.3f\n", nd, bytes,
               rp_corpus_npairs(c), rp_corpus_npassages(c), t1 - t0, t3 - t2, size,
               (double)size / (double)(nd ? nd : 1), (double)size / (double)(bytes ? bytes : 1));
        fflush(stdout);
        rp_corpus_close(c);
        remove(part);
        if (!last)
            remove(html);
    }
    return 0;
}
