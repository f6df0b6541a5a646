/* SPDX-License-Identifier: MIT */
/*
 * dedup.c -- `reprint dedup`: the documents minus their copies, in input
 * order, JSONL records byte for byte, with an audit trail of removals.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const cli_usage dedup_usage = {
    "usage: reprint dedup [OPTIONS] INPUT... -o OUT.jsonl[.gz|.zst]\n"
    "\n"
    "Write the input documents minus the removed copies, in input order.\n"
    "JSONL records are kept byte for byte; plain files become records\n"
    "{\"id\": path, \"text\": contents}. A document is removed only in favour\n"
    "of a kept document that is itself its duplicate or near-duplicate.\n",
    "reprint dedup --removed removed.jsonl news.jsonl.gz -o clean.jsonl.zst",
    "write the documents minus their copies, with an audit trail"};

/* Write one result file to a temporary name; committed by the caller. */
static int write_file(rp_corpus *c, const char *path, int (*fn)(rp_corpus *, FILE *),
                      cli_out **h)
{
    FILE *f = cli_out_open(path, h);
    if (!f)
        return EXIT_IO;
    if (fn(c, f) != RP_OK) {
        cli_error("%s: write error", path);
        cli_out_abort(*h);
        *h = NULL;
        return EXIT_IO;
    }
    return EXIT_OK;
}

int cmd_dedup(int argc, char **argv)
{
    cli_opts o;
    int ex = cli_parse(argc, argv, CLI_DEDUP, &dedup_usage, &o);
    o.lib.fast = 1; /* dedup removes copies: no passages or relations needed */
    if (ex != EXIT_OK) {
        free(o.inputs);
        return ex < 0 ? EXIT_OK : ex;
    }
    rp_corpus *c = NULL;
    ex = cli_run_corpus(&o, &c);
    free(o.inputs);
    if (ex != EXIT_OK)
        return ex;
    if (cli_silent && !o.local_inputs) { /* reprint-mpi: rank 0 holds the results */
        rp_corpus_close(c);
        return EXIT_OK;
    }
    /* Every output is complete before any is renamed into place, so a failure
     * leaves none of them behind. */
    cli_out *h = NULL, *hr = NULL, *hc = NULL;
    size_t kept = 0, removed = 0;
    FILE *f = cli_out_open(o.out, &h);
    if (!f) {
        ex = EXIT_IO;
    } else {
        int rc = rp_corpus_write_kept(c, f, &kept, &removed);
        if (rc == RP_EIO && ferror(f)) {
            if (strcmp(o.out, "-") == 0)
                cli_error("cannot write to standard output: %s", strerror(errno));
            else
                cli_error("%s: cannot write: %s", o.out, strerror(errno));
            ex = EXIT_IO;
        } else if (rc != RP_OK) {
            /* RP_EINVAL (an input that cannot be read a second time) is exit 2:
             * the fix is in how reprint is called (give a file, not a pipe). */
            cli_error("%s", rp_errmsg(c)[0] ? rp_errmsg(c) : rp_strerror(rc));
            ex = cli_exit_code(rc);
        }
    }
    if (ex == EXIT_OK && o.removed && !cli_silent)
        ex = write_file(c, o.removed, rp_corpus_write_removed, &hr);
    if (ex == EXIT_OK && o.clusters && !cli_silent)
        ex = write_file(c, o.clusters, rp_corpus_write_clusters, &hc);
    if (o.local_inputs) { /* every rank wrote its -o: all commit, or none does */
        /* All but the renames first (compression ends, flushes, syncs: where a full
         * disk shows), so that a failure on any rank leaves no file on any. */
        if (ex == EXIT_OK)
            ex = cli_out_finish(h);
        if (ex == EXIT_OK && hr)
            ex = cli_out_finish(hr);
        if (ex == EXIT_OK && hc)
            ex = cli_out_finish(hc);
        ex = cli_ranks_agree(ex);
        if (ex == EXIT_OK) { /* the count of the whole job (each rank wrote its own) */
            kept = removed = 0;
            for (size_t d = 0; d < rp_corpus_ndocs(c); d++) {
                if (rp_doc_removed(c, (uint32_t)d, NULL, NULL) == 1)
                    removed++;
                else
                    kept++;
            }
        }
    }
    if (ex == EXIT_OK && hr)
        ex = cli_out_commit(hr), hr = NULL;
    if (ex == EXIT_OK && hc)
        ex = cli_out_commit(hc), hc = NULL;
    if (ex == EXIT_OK)
        ex = cli_out_commit(h), h = NULL;
    cli_out_abort(h);
    cli_out_abort(hr);
    cli_out_abort(hc);
    if (ex == EXIT_OK)
        cli_error("kept %zu of %zu documents, removed %zu", kept, kept + removed, removed);
    rp_corpus_close(c);
    return ex;
}
