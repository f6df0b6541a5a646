/* SPDX-License-Identifier: MIT */
/*
 * scan.c -- `reprint scan`: related pairs on stdout; clusters, stories and
 * passages to files; page furniture on stderr.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const cli_usage scan_usage = {
    "usage: reprint scan [OPTIONS] INPUT...\n"
    "\n"
    "Write one row per related pair of documents (a before b in input order):\n"
    "  a  b  relation  jaccard  containment_a  containment_b  passages  coverage_a\n"
    "  coverage_b  why  differences  event  specifics\n"
    "relation, strongest first: duplicate (identical once normalised),\n"
    "near-duplicate (shingle Jaccard >= --threshold), reprint (aligned passages\n"
    "cover most of one text), same-story (one event: shared passages near the\n"
    "top, or the same content, names, figures and days without shared wording),\n"
    "shares-passages (shared passages, another event or other things),\n"
    "same-topic (similar content words, another event). why names the rule.\n",
    "reprint scan --passages passages.jsonl examples/",
    "find related pairs of documents: relations, passages, stories, timelines"};

/* Print each furniture line on stderr: "furniture: ID START-END RULE: TEXT". */
static int show_furniture(rp_corpus *c)
{
    uint32_t last = UINT32_MAX;
    char *text = NULL;
    size_t len = 0;
    for (size_t i = 0; i < rp_corpus_nfurniture(c); i++) {
        uint32_t doc, start, end;
        const char *why;
        rp_corpus_furniture(c, i, &doc, &start, &end, &why);
        if (doc != last) {
            rp_free(text);
            text = NULL;
            if (rp_doc_text(c, doc, &text, &len) != RP_OK) {
                cli_error("%s", rp_errmsg(c));
                return EXIT_IO;
            }
            last = doc;
        }
        fprintf(stderr, "furniture: %s %u-%u %s: %.*s\n", rp_doc_id(c, doc), start, end, why,
                (int)(end - start), text + start);
    }
    rp_free(text);
    return EXIT_OK;
}

/* Write one result file with fn; *ch receives the pending output (committed later). */
static int write_file(rp_corpus *c, const char *path, int (*fn)(rp_corpus *, FILE *),
                      cli_out **ch)
{
    FILE *f = cli_out_open(path, ch);
    if (!f)
        return EXIT_IO;
    int rc = fn(c, f);
    if (rc != RP_OK) {
        if (rc == RP_EIO && rp_errmsg(c)[0] && strstr(rp_errmsg(c), "temporary"))
            cli_error("%s", rp_errmsg(c));
        else
            cli_error("%s: write error", path);
        cli_out_abort(*ch);
        *ch = NULL;
        return rc == RP_ENOMEM || rc == RP_EINTERNAL ? EXIT_INTERNAL : EXIT_IO;
    }
    return EXIT_OK;
}

/* The results of a run: furniture on stderr, the files asked for, the pairs on stdout. */
int cli_write_results(rp_corpus *c, const cli_opts *o)
{
    int ex = EXIT_OK;
    cli_out *ch[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
    if (o->lib.list_furniture)
        ex = show_furniture(c);
    if (ex == EXIT_OK && o->clusters)
        ex = write_file(c, o->clusters, rp_corpus_write_clusters, &ch[0]);
    if (ex == EXIT_OK && o->stories)
        ex = write_file(c, o->stories, rp_corpus_write_stories, &ch[1]);
    if (ex == EXIT_OK && o->passages)
        ex = write_file(c, o->passages, rp_corpus_write_passages, &ch[2]);
    if (ex == EXIT_OK && o->differences)
        ex = write_file(c, o->differences, rp_corpus_write_differences, &ch[3]);
    if (ex == EXIT_OK && o->html)
        ex = write_file(c, o->html, rp_corpus_write_html, &ch[4]);
    if (ex == EXIT_OK && o->timeline)
        ex = write_file(c, o->timeline, rp_corpus_write_timelines, &ch[5]);
    if (ex == EXIT_OK && rp_corpus_write_pairs(c, stdout, o->format) != RP_OK) {
        cli_error("cannot write to standard output");
        ex = EXIT_IO;
    }
    if (ex == EXIT_OK && fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        ex = EXIT_IO;
    }
    for (int i = 0; i < 6; i++) {
        if (!ch[i])
            continue;
        if (ex == EXIT_OK)
            ex = cli_out_commit(ch[i]);
        else
            cli_out_abort(ch[i]);
    }
    return ex;
}

int cmd_scan(int argc, char **argv)
{
    cli_opts o;
    int ex = cli_parse(argc, argv, CLI_SCAN, &scan_usage, &o);
    if (ex != EXIT_OK) {
        free(o.inputs);
        return ex < 0 ? EXIT_OK : ex;
    }
    /* scan reads every input once: standard input and pipes need no copy. */
    o.lib.reread = 0;
    rp_corpus *c = NULL;
    ex = cli_run_corpus(&o, &c);
    free(o.inputs);
    if (ex != EXIT_OK)
        return ex;
    if (!cli_silent) /* reprint-mpi: rank 0 holds the results and writes them all */
        ex = cli_write_results(c, &o);
    rp_corpus_close(c);
    return ex;
}
