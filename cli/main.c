/* SPDX-License-Identifier: MIT */
/*
 * main.c -- entry point of the reprint tool: subcommand dispatch, --help,
 * --version.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/*
 * `reprint serve`: the service is reprint-serve, installed beside reprint
 * (serve_main.c says why), run with the same arguments. It is looked for in
 * the directory of the running program, so a build tree and an installation
 * each run their own.
 */
static int run_serve(int argc, char **argv)
{
    char self[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = 0;
    } else { /* no /proc: the name the program was started by */
        snprintf(self, sizeof self, "%s", argv[-2]);
    }
    char *slash = strrchr(self, '/');
    if (slash)
        slash[1] = 0;
    else
        self[0] = 0;
    snprintf(path, sizeof path, "%sreprint-serve", self);
    argv[-1] = path; /* argv[-1] was "serve": reprint-serve's argv[0] */
    (void)argc;
    execv(path, argv - 1);
    cli_error("serve: cannot run %s: %s (the service is the program reprint-serve, "
              "installed beside reprint by 'make install')",
              path, strerror(errno));
    return EXIT_IO;
}

static const cli_cmd commands[] = {
    {"scan", cmd_scan, "find related pairs of documents: relations, passages, stories"},
    {"align", cmd_align, "show the passages two documents share"},
    {"dedup", cmd_dedup, "write the documents minus their copies, with an audit trail"},
    {"index", cmd_index, "a persistent index: create, add documents, stats, export"},
    {"query", cmd_query, "where documents would stand in an index, without adding them"},
    {"serve", run_serve, "serve an index over HTTP: add, query, documents, stories"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: reprint COMMAND [OPTIONS] INPUT...\n"
               "\n"
               "reprint finds reused text in document collections.\n"
               "\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n"
               "INPUT is a file, a folder (read recursively), a JSONL file (.jsonl,\n"
               ".jsonl.gz, .jsonl.zst) or - for standard input; DB is an index (a SQLite\n"
               "file made by 'reprint index create').\n"
               "Run 'reprint COMMAND --help' for the options of a command.\n"
               "  --help       this help\n"
               "  --version    print the version\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("reprint %s\n", rp_version());
        return EXIT_OK;
    }
    if (strcmp(argv[1], "manpage") == 0) {
        /* Not a user command: `make reprint.1` writes the man page with it. */
        cli_man(stdout);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 2, argv + 2);
    cli_error("unknown command '%s' (try 'reprint --help')", argv[1]);
    return EXIT_USAGE;
}
