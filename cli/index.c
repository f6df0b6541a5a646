/* SPDX-License-Identifier: MIT */
/*
 * index.c -- `reprint index create|add|stats|export` and `reprint query`: the
 * persistent index (rp_index_* of reprint.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const cli_usage index_create_usage = {
    "usage: reprint index create [OPTIONS] DB\n"
    "\n"
    "Create an empty index, a SQLite database file, with the settings given\n"
    "(stored in it: every later add and query uses them).\n",
    "reprint index create news.db", "create an empty index with its settings"};

const cli_usage index_add_usage = {
    "usage: reprint index add [OPTIONS] DB INPUT...\n"
    "\n"
    "Add the documents of INPUT... to the index as one batch (all or nothing),\n"
    "and print where each stands, one row a document in input order:\n"
    "  id  relation  closest  cluster  story\n"
    "relation: its strongest relation to a document indexed before it (unrelated\n"
    "when none), closest: that document (- when none); cluster and story: the\n"
    "number of its copy cluster and of its story (the index number of their first\n"
    "document), or new when it starts its own.\n",
    "reprint index add news.db today.jsonl", "add documents to an index and place each"};

const cli_usage query_usage = {
    "usage: reprint query [OPTIONS] DB INPUT...\n"
    "\n"
    "Print where the documents of INPUT... would stand in the index, as\n"
    "'reprint index add' does, without adding them.\n",
    "reprint query news.db article.txt", "where documents would stand in an index, without adding them"};

const cli_usage index_stats_usage = {
    "usage: reprint index stats DB\n"
    "\n"
    "Print the index's documents, copy clusters and stories (of two documents or\n"
    "more), related pairs, size on disk, settings and format version.\n",
    "reprint index stats news.db", "counts, size and settings of an index"};

const cli_usage index_export_usage = {
    "usage: reprint index export [OPTIONS] DB\n"
    "\n"
    "Write what 'reprint scan' writes for the indexed documents, in the order they\n"
    "were added: the related pairs on stdout, and the files asked for.\n",
    "reprint index export --stories stories.jsonl --timeline timeline.jsonl news.db",
    "what reprint scan writes for the indexed documents"};

static void on_warn(void *user, const char *msg)
{
    (void)user;
    cli_error("%s", msg);
}

/* Open the index named by the first argument; prints the error. */
static int open_index(cli_opts *o, int readonly, rp_index **x)
{
    o->lib.warn = on_warn;
    int rc = rp_index_open(x, o->inputs[0], &o->lib, readonly);
    if (rc != RP_OK) {
        cli_error("%s", *x ? rp_index_errmsg(*x) : rp_strerror(rc));
        rp_index_close(*x);
        *x = NULL;
        return cli_exit_code(rc);
    }
    return EXIT_OK;
}

/* Parse the options of cmd and open the index named first (readonly or not).
 * Returns EXIT_OK, -1 after --help, or an exit code (the error printed); on
 * anything but EXIT_OK o->inputs is freed and *x is NULL. */
static int parse_open(int argc, char **argv, int cmd, const cli_usage *u, int readonly,
                      cli_opts *o, rp_index **x)
{
    *x = NULL;
    int ex = cli_parse(argc, argv, cmd, u, o);
    if (ex == EXIT_OK && (cmd == CLI_INDEX_ADD || cmd == CLI_QUERY) && o->ninputs < 2) {
        cli_error("no INPUT given (see 'reprint %s --help')",
                  cmd == CLI_QUERY ? "query" : "index add");
        ex = EXIT_USAGE;
    }
    if (ex == EXIT_OK)
        ex = open_index(o, readonly, x);
    if (ex != EXIT_OK) {
        free(o->inputs);
        o->inputs = NULL;
    }
    return ex;
}

/* A TSV field: tab, newline, carriage return and backslash escaped. */
static void tsv(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '\t': fputs("\\t", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\\': fputs("\\\\", f); break;
        default: fputc(*s, f);
        }
}

static void on_placement(void *user, const rp_placement *p)
{
    FILE *f = user;
    tsv(f, p->id);
    fprintf(f, "\t%s\t", rp_relation_name(p->relation));
    tsv(f, p->closest ? p->closest : "-");
    if (p->new_cluster)
        fputs("\tnew", f);
    else
        fprintf(f, "\t%lld", (long long)p->cluster);
    if (p->new_story)
        fputs("\tnew\n", f);
    else
        fprintf(f, "\t%lld\n", (long long)p->story);
}

/* index add, query: the rows of a batch. */
static int place(int argc, char **argv, int cmd, const cli_usage *u)
{
    cli_opts o;
    rp_index *x;
    int ex = parse_open(argc, argv, cmd, u, cmd == CLI_QUERY, &o, &x);
    if (ex != EXIT_OK)
        return ex < 0 ? EXIT_OK : ex;
    unsigned flags = (cmd == CLI_QUERY ? RP_INDEX_QUERY : 0) | (o.replace ? RP_INDEX_REPLACE : 0);
    /* The rows go out only once the batch is committed: buffer them. */
    char *rows = NULL;
    size_t nrows = 0;
    FILE *mem = open_memstream(&rows, &nrows);
    if (!mem) {
        cli_error("out of memory");
        ex = EXIT_INTERNAL;
    } else {
        int rc = rp_index_add(x, o.inputs + 1, (size_t)o.ninputs - 1, flags, on_placement, mem);
        if (fclose(mem) != 0 && rc == RP_OK)
            rc = RP_ENOMEM;
        if (rc != RP_OK) {
            cli_error("%s", rp_index_errmsg(x)[0] ? rp_index_errmsg(x) : rp_strerror(rc));
            ex = cli_exit_code(rc);
        } else {
            fputs("id\trelation\tclosest\tcluster\tstory\n", stdout);
            fwrite(rows, 1, nrows, stdout);
            if (fflush(stdout) != 0) {
                cli_error("cannot write to standard output");
                ex = EXIT_IO;
            }
        }
    }
    free(rows);
    rp_index_close(x);
    free(o.inputs);
    return ex;
}

static int create(int argc, char **argv)
{
    cli_opts o;
    int ex = cli_parse(argc, argv, CLI_INDEX_CREATE, &index_create_usage, &o);
    if (ex == EXIT_OK && o.ninputs > 1) {
        cli_error("index create takes one DB (see 'reprint index create --help')");
        ex = EXIT_USAGE;
    }
    if (ex != EXIT_OK) {
        free(o.inputs);
        return ex < 0 ? EXIT_OK : ex;
    }
    rp_index *x = NULL;
    int rc = rp_index_create(&x, o.inputs[0], &o.lib);
    if (rc != RP_OK) {
        cli_error("%s", x ? rp_index_errmsg(x) : rp_strerror(rc));
        ex = cli_exit_code(rc);
    }
    rp_index_close(x);
    free(o.inputs);
    return ex;
}

static int stats(int argc, char **argv)
{
    cli_opts o;
    rp_index *x;
    int ex = parse_open(argc, argv, CLI_INDEX_STATS, &index_stats_usage, 1, &o, &x);
    if (ex != EXIT_OK)
        return ex < 0 ? EXIT_OK : ex;
    rp_index_info st;
    int rc = rp_index_stats(x, &st);
    if (rc != RP_OK) {
        cli_error("%s", rp_index_errmsg(x));
        ex = cli_exit_code(rc);
    } else {
        printf("documents\t%llu\nclusters\t%llu\nstories\t%llu\npairs\t%llu\n"
               "bytes\t%llu\nformat\t%d\nversion\t%s\nngram\t%d\nperm\t%d\nthreshold\t%g\n"
               "sketch\t%s\nkeep_furniture\t%s\n",
               (unsigned long long)st.ndocs, (unsigned long long)st.nclusters,
               (unsigned long long)st.nstories, (unsigned long long)st.npairs,
               (unsigned long long)st.bytes, st.format, st.version, st.ngram, st.perm,
               st.threshold, st.sketch == RP_SKETCH_KPERM ? "kperm" : "oph",
               st.keep_furniture ? "yes" : "no");
        if (fflush(stdout) != 0) {
            cli_error("cannot write to standard output");
            ex = EXIT_IO;
        }
    }
    rp_index_close(x);
    free(o.inputs);
    return ex;
}

static int export(int argc, char **argv)
{
    cli_opts o;
    rp_index *x;
    int ex = parse_open(argc, argv, CLI_INDEX_EXPORT, &index_export_usage, 1, &o, &x);
    if (ex != EXIT_OK)
        return ex < 0 ? EXIT_OK : ex;
    rp_corpus *c = NULL;
    int rc = rp_index_export(x, &c);
    if (rc != RP_OK) {
        cli_error("%s", rp_index_errmsg(x));
        ex = cli_exit_code(rc);
    } else {
        ex = cli_write_results(c, &o);
    }
    rp_corpus_close(c);
    rp_index_close(x);
    free(o.inputs);
    return ex;
}

int cmd_index(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } sub[] = {{"create", create}, {"stats", stats}, {"export", export}};
    if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        FILE *f = argc < 1 ? stderr : stdout;
        fputs("usage: reprint index create|add|stats|export [OPTIONS] DB ...\n"
              "\n"
              "  create   create an empty index with its settings\n"
              "  add      add documents and print where each stands\n"
              "  stats    documents, clusters, stories, size, settings\n"
              "  export   what reprint scan writes for the indexed documents\n"
              "\n"
              "Run 'reprint index COMMAND --help' for the options of one.\n",
              f);
        return argc < 1 ? EXIT_USAGE : EXIT_OK;
    }
    if (strcmp(argv[0], "add") == 0)
        return place(argc - 1, argv + 1, CLI_INDEX_ADD, &index_add_usage);
    for (size_t i = 0; i < sizeof sub / sizeof *sub; i++)
        if (strcmp(argv[0], sub[i].name) == 0)
            return sub[i].run(argc - 1, argv + 1);
    cli_error("unknown index command '%s' (try 'reprint index --help')", argv[0]);
    return EXIT_USAGE;
}

int cmd_query(int argc, char **argv)
{
    return place(argc, argv, CLI_QUERY, &query_usage);
}
