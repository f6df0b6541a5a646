/* SPDX-License-Identifier: MIT */
/*
 * cli.h -- helpers shared by the subcommands of the reprint tool: argument
 * parsing, messages, exit codes, progress line, atomic output files.
 * The CLI uses only the public API in reprint.h.
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include <stdio.h>

#include "reprint.h"

/* Exit codes (documented in README "Exit codes"). */
enum {
    EXIT_OK = 0,
    EXIT_BADINPUT = 1, /* a document or input file is malformed */
    EXIT_USAGE = 2, /* wrong options or arguments */
    EXIT_IO = 3, /* a file could not be read or written */
    EXIT_INTERNAL = 4 /* out of memory or a bug */
};

/* Options common to the subcommands that read documents. */
typedef struct cli_opts {
    rp_options lib; /* library options */
    const char **inputs; /* INPUT arguments */
    int ninputs; /* their number */
    int quiet; /* no progress line */
    int local_inputs; /* scan, dedup on reprint-mpi: --local-inputs */
    rp_format format; /* scan: table format */
    const char *clusters; /* --clusters FILE or NULL */
    const char *out; /* dedup: -o FILE */
    const char *removed; /* dedup: --removed FILE or NULL */
    const char *passages; /* scan: --passages FILE or NULL */
    const char *stories; /* scan: --stories FILE or NULL */
    const char *html; /* scan: --html FILE or NULL */
    const char *differences; /* scan: --differences FILE or NULL */
    const char *timeline; /* scan: --timeline FILE or NULL */
    int replace; /* index add: --replace */
    const char *listen; /* serve: --listen ADDRESS:PORT or NULL */
    size_t max_body; /* serve: --max-body SIZE, 0 for the default */
    int timeout; /* serve: --timeout SECONDS, 0 for the default */
    int inline_view; /* align: --inline */
    int color; /* align: 1 always, 0 never, -1 when standard output is a terminal */
} cli_opts;

/* Which subcommand cli_parse reads options for, and its bit in the option table. */
enum {
    CLI_SCAN = 0,
    CLI_DEDUP,
    CLI_ALIGN,
    CLI_INDEX_CREATE,
    CLI_INDEX_ADD,
    CLI_QUERY,
    CLI_INDEX_STATS,
    CLI_INDEX_EXPORT,
    CLI_SERVE,
    CLI_NCOMMANDS
};
#define CLI_BIT(cmd) (1u << (cmd))

/* A command's help around its options (options.c writes those from its table). */
typedef struct cli_usage {
    const char *head; /* "usage: ..." line, a blank line, what the command does */
    const char *example; /* one example command line, or NULL */
    const char *summary; /* one line: what the command is for (reprint --help, man page) */
} cli_usage;

/* Command table entry. */
typedef struct cli_cmd {
    const char *name; /* subcommand */
    int (*run)(int argc, char **argv); /* returns an exit code */
    const char *summary; /* one line for reprint --help */
} cli_cmd;

extern const cli_usage scan_usage, dedup_usage, align_usage, index_create_usage,
    index_add_usage, query_usage, index_stats_usage, index_export_usage, serve_usage;

int cmd_scan(int argc, char **argv);
int cmd_dedup(int argc, char **argv);
int cmd_align(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* After a run (scan, index export): furniture on stderr when asked, the result
 * files of o (committed together), the pairs on stdout. Returns an exit code. */
int cli_write_results(rp_corpus *c, const cli_opts *o);

/* Print "reprint: msg" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Map a library status to an exit code. */
int cli_exit_code(int rc);

/*
 * Parse argv (after the subcommand name) with getopt_long from the option
 * table (options.c). Prints the error and returns EXIT_USAGE, or -1 when
 * --help was printed (exit 0), or EXIT_OK.
 */
int cli_parse(int argc, char **argv, int cmd, const cli_usage *u, cli_opts *o);

/* Print the help of command cmd: its head, its options from the table, the example. */
void cli_help(FILE *f, int cmd, const cli_usage *u);

/* Write the man page reprint(1), in roff, from the usages and the option table. */
void cli_man(FILE *f);


/*
 * Open the corpus, add inputs, run it with a progress line; on failure
 * prints the error and returns its exit code.
 */
int cli_run_corpus(cli_opts *o, rp_corpus **out);

/*
 * Set by reprint-mpi (cli/mpi.c) before a command runs; NULL and 0 in reprint.
 * cli_transport: cli_run_corpus divides its run among the ranks of the job
 * (rp_corpus_set_transport). cli_silent: this rank holds no results and writes
 * nothing -- no messages, no progress line, no output file, nothing on stdout
 * (rank 0 writes all of it; every rank gets the same status and message).
 */
extern const rp_transport *cli_transport;
extern int cli_silent;

/*
 * reprint-mpi, where ranks may be given their own arguments (after parsing) or
 * write files of their own (dedup --local-inputs): every rank gives its exit
 * code ex (cli_error on a silent rank keeps its last message for this) and gets
 * the code of the first rank that failed; rank 0 prints that rank's message,
 * named "rank R: ...". Collective.
 */
int cli_ranks_agree(int ex);

/*
 * An output file written to a temporary name (PATH.tmp-XXXXXX, mode 0666 minus
 * the umask) and renamed when complete; a symbolic link, device or FIFO already
 * at PATH is written in place instead. A temporary file is removed when the
 * process is killed by SIGINT, SIGTERM, SIGHUP or SIGPIPE (unless the signal was
 * ignored at start). Names ending in .gz or .zst are compressed. "-" is
 * standard output.
 */
typedef struct cli_out cli_out;
FILE *cli_out_open(const char *path, cli_out **h);
/* Finish: flush, compress, rename. Returns EXIT_OK or EXIT_IO (message printed). */
int cli_out_commit(cli_out *h);
/* All of cli_out_commit but the rename (for outputs committed together):
 * EXIT_OK, or EXIT_IO with the message printed (abort h then). */
int cli_out_finish(cli_out *h);
/* Abandon: remove the temporary file. Accepts NULL. */
void cli_out_abort(cli_out *h);

#endif /* RP_CLI_H */
