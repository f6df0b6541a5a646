/* SPDX-License-Identifier: MIT */
/*
 * scan.c -- `reprint scan`: related pairs on stdout, clusters to a file.
 */
#include <stdlib.h>

#include "cli.h"

static const char usage[] =
    "usage: reprint scan [OPTIONS] INPUT...\n"
    "\n"
    "Write one row per related pair of documents (a before b in input order):\n"
    "  a  b  relation  jaccard  containment_a  containment_b\n"
    "relation is 'duplicate' (identical once normalised) or 'near-duplicate'\n"
    "(exact Jaccard of word n-gram shingle sets >= --threshold).\n"
    "\n"
    "options:\n"
    "  --format tsv|csv|jsonl   output format (default tsv, with a header)\n"
    "  --clusters FILE          write one JSONL line per cluster of copies:\n"
    "                           id, members, representative\n"
    "  -t, --threshold X        near-duplicate Jaccard threshold (default 0.8)\n"
    "  -n, --ngram N            words per shingle (default 5)\n"
    "  --perm N                 MinHash values per signature (default 128)\n"
    "  --keep longest|first|earliest\n"
    "                           cluster representative (default longest)\n"
    "  -j, --threads N          worker threads (default: all cores)\n"
    "  --id-field NAME          JSONL field naming a document (default id)\n"
    "  --text-field NAME        JSONL field holding the text (default text)\n"
    "  --jsonl                  read every file input as JSONL\n"
    "  --max-bytes N            largest document or line accepted (default 67108864)\n"
    "  --skip-bad               report bad documents on stderr and go on\n"
    "  -q, --quiet              no progress line\n"
    "  --sketch oph|kperm       MinHash scheme (default oph; see README)\n"
    "\n"
    "example: reprint scan --clusters clusters.jsonl examples/\n";

int cmd_scan(int argc, char **argv)
{
    cli_opts o;
    int ex = cli_parse(argc, argv, 0, usage, &o);
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
    cli_out *ch = NULL;
    if (o.clusters) {
        FILE *f = cli_out_open(o.clusters, &ch);
        if (!f)
            ex = EXIT_IO;
        else if (rp_corpus_write_clusters(c, f) != RP_OK) {
            cli_error("%s: write error", o.clusters);
            cli_out_abort(ch);
            ch = NULL;
            ex = EXIT_IO;
        }
    }
    if (ex == EXIT_OK && rp_corpus_write_pairs(c, stdout, o.format) != RP_OK) {
        cli_error("cannot write to standard output");
        ex = EXIT_IO;
    }
    if (ex == EXIT_OK && fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        ex = EXIT_IO;
    }
    if (ch) {
        if (ex == EXIT_OK)
            ex = cli_out_commit(ch);
        else
            cli_out_abort(ch);
    }
    rp_corpus_close(c);
    return ex;
}
