/* SPDX-License-Identifier: MIT */
/*
 * mpi.c -- reprint-mpi, the entry point run by every rank of an MPI job:
 *
 *     mpirun -np N reprint-mpi scan [OPTIONS] INPUT...
 *     mpirun -np N reprint-mpi dedup [OPTIONS] INPUT... -o OUT.jsonl
 *
 * Every rank runs the same command of the CLI (cmd_scan, cmd_dedup) on the same
 * arguments. The library divides the run (rp_corpus_set_transport): it decides
 * what goes where, and the transport here moves the bytes over MPI. Rank 0 ends
 * with the results a single process would hold and writes every output; the
 * other ranks are silent (cli_silent). The run gives every rank the same exit
 * code (a failure to write an output is rank 0's alone); mpirun passes on the
 * first non-zero one.
 *
 * Failures: MPI_COMM_WORLD returns error codes (MPI_ERRORS_RETURN) instead of
 * aborting, so a failed call becomes a failed run with a message. A rank that
 * dies (killed, out of memory) cannot answer at all: the others wait for it in
 * their next collective call until mpirun, which sees the death, kills the
 * whole job and exits non-zero. No output file is left behind: files are only
 * created by rank 0 after the run, written to temporary names, and those are
 * removed when mpirun's SIGTERM arrives (cli_out_open).
 */
#include <fcntl.h>
#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "mpi_transport.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: mpirun -np N reprint-mpi COMMAND [OPTIONS] INPUT...\n"
               "\n"
               "reprint-mpi runs a reprint command on the N ranks of an MPI job: each\n"
               "reads its share of the input, and rank 0 writes every output, the same\n"
               "bytes as reprint would. Inputs are files on a filesystem every rank sees,\n"
               "or, with --local-inputs, each rank's own (dedup -o is then every rank's).\n"
               "\n"
               "commands:\n"
               "  scan     copies, passages, relations, stories (--fast: copies only)\n"
               "  dedup    write the documents minus their copies, with an audit trail\n"
               "\n"
               "Run 'reprint COMMAND --help' for the options of a command.\n"
               "  --help       this help\n"
               "  --version    print the version\n");
}

int main(int argc, char **argv)
{
    /* The library calls the transport from the thread that runs rp_corpus_run,
     * here the main thread; its worker threads never call MPI. */
    int provided;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "reprint-mpi: MPI_Init failed\n");
        return EXIT_INTERNAL;
    }
    rp_transport t;
    if (cli_mpi_transport(&t) != 0) {
        fprintf(stderr, "reprint-mpi: out of memory\n");
        MPI_Abort(MPI_COMM_WORLD, EXIT_INTERNAL);
    }
    cli_transport = &t;
    cli_silent = t.rank != 0;
    /* A command's --help is printed by each rank's option parser: rank 0's will do. */
    if (cli_silent) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            close(fd);
        }
    }

    int ex;
    const char *cmd = argc >= 2 ? argv[1] : NULL;
    if (!cmd) {
        if (!cli_silent)
            usage(stderr);
        ex = EXIT_USAGE;
    } else if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        ex = EXIT_OK;
    } else if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("reprint-mpi %s\n", rp_version());
        ex = EXIT_OK;
    } else if (strcmp(cmd, "scan") == 0) {
        ex = cmd_scan(argc - 2, argv + 2);
    } else if (strcmp(cmd, "dedup") == 0) {
        ex = cmd_dedup(argc - 2, argv + 2);
    } else {
        if (!cli_silent)
            fprintf(stderr, "reprint-mpi: '%s' does not run on ranks (use reprint)\n", cmd);
        ex = EXIT_USAGE;
    }
    /* Rank 0's output is out before any rank can end the job. */
    fflush(stdout);
    cli_mpi_transport_free(&t);
    MPI_Finalize();
    return ex;
}
