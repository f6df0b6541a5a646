/* SPDX-License-Identifier: MIT */
/*
 * main.c -- entry point of the reprint tool: subcommand dispatch, --help,
 * --version.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const cli_cmd commands[] = {
    {"scan", cmd_scan, "find related pairs of documents: relations, passages, stories"},
    {"align", cmd_align, "show the passages two documents share"},
    {"dedup", cmd_dedup, "write the documents minus their copies, with an audit trail"},
    {"index", cmd_index, "a persistent index: create, add documents, stats, export"},
    {"query", cmd_query, "where documents would stand in an index, without adding them"},
    {"serve", cmd_serve, "serve an index over HTTP: add, query, documents, stories"},
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
