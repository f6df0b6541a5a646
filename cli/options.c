/* SPDX-License-Identifier: MIT */
/*
 * options.c -- the options of every subcommand, in one table: getopt_long
 * parses from it, and --help and the man page are written from it. Adding an
 * option is one line in the table (and its field in cli_opts).
 */
#define _GNU_SOURCE /* getopt_long */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* How an option's value is read into its field. */
typedef enum otype {
    T_HELP, /* --help: print the usage */
    T_FLAG, /* int field set to 1 */
    T_STR, /* const char * field: the value, not empty */
    T_INT, /* int field: a whole number in lo..hi */
    T_SIZET, /* size_t field: a whole number in lo..hi */
    T_BYTES, /* size_t field: bytes, or a number with K, M or G */
    T_UNIT, /* double field in (0, 1] */
    T_CHOICE /* int-sized field (enum): one of the words of choices */
} otype;

typedef struct choice {
    const char *word;
    int value;
} choice;

typedef struct cli_option {
    const char *name; /* long name, without "--" */
    char shrt; /* short letter, or 0 */
    const char *arg; /* value's name in the help ("N", "FILE"), NULL for a flag */
    unsigned cmds; /* CLI_* bits of the commands that take it */
    otype type; /* how the value is read */
    size_t off; /* field in cli_opts */
    long lo, hi; /* T_INT, T_SIZET: range */
    const choice *choices; /* T_CHOICE: words, ending with {NULL, 0} */
    const char *help; /* help text; "\n" starts an indented continuation line */
} cli_option;

#define F(field) offsetof(cli_opts, field)
#define SCAN CLI_BIT(CLI_SCAN)
#define DEDUP CLI_BIT(CLI_DEDUP)
#define ALIGN CLI_BIT(CLI_ALIGN)
#define CREATE CLI_BIT(CLI_INDEX_CREATE)
#define ADD CLI_BIT(CLI_INDEX_ADD)
#define QUERY CLI_BIT(CLI_QUERY)
#define STATS CLI_BIT(CLI_INDEX_STATS)
#define EXPORT CLI_BIT(CLI_INDEX_EXPORT)
#define SERVE CLI_BIT(CLI_SERVE)
#define PLACES (ADD | QUERY) /* read documents into an index */
#define READS (SCAN | DEDUP | PLACES) /* read documents */
#define RUNS (SCAN | DEDUP | PLACES | EXPORT | SERVE) /* run the pipeline */
#define SETTINGS (SCAN | DEDUP | CREATE) /* choose the settings of a run or an index */
#define ALL (SCAN | DEDUP | ALIGN | CREATE | ADD | QUERY | STATS | EXPORT | SERVE)

static const choice formats[] = {{"tsv", RP_FORMAT_TSV}, {"csv", RP_FORMAT_CSV},
                                 {"jsonl", RP_FORMAT_JSONL}, {NULL, 0}};
static const choice align_formats[] = {{"text", RP_FORMAT_TSV}, {"jsonl", RP_FORMAT_JSONL},
                                       {NULL, 0}};
static const choice keeps[] = {{"longest", RP_KEEP_LONGEST}, {"first", RP_KEEP_FIRST},
                               {"earliest", RP_KEEP_EARLIEST}, {NULL, 0}};
static const choice sketches[] = {{"oph", RP_SKETCH_OPH}, {"kperm", RP_SKETCH_KPERM},
                                  {NULL, 0}};
static const choice colors[] = {{"auto", -1}, {"always", 1}, {"never", 0}, {NULL, 0}};

/* In the order --help lists them. */
static const cli_option options[] = {
    {"output", 'o', "FILE", DEDUP, T_STR, F(out), 0, 0, NULL,
     "where the kept documents go (- for stdout);\n.gz and .zst names are compressed"},
    {"removed", 0, "FILE", DEDUP, T_STR, F(removed), 0, 0, NULL,
     "audit trail: one JSONL line per removed document\nwith id, kept, jaccard"},
    {"inline", 0, NULL, ALIGN, T_FLAG, F(inline_view), 0, 0, NULL,
     "one wording under the other instead of side by side"},
    {"format", 0, "tsv|csv|jsonl", SCAN | EXPORT, T_CHOICE, F(format), 0, 0, formats,
     "output format (default tsv, with a header)"},
    {"format", 0, "text|jsonl", ALIGN, T_CHOICE, F(format), 0, 0, align_formats,
     "text (default) or one JSON passage a line: a, b,\na_start, a_end, b_start, b_end, "
     "score, text_a, text_b"},
    {"color", 0, "auto|always|never", ALIGN, T_CHOICE, F(color), 0, 0, colors,
     "colour (default auto: when stdout is a terminal)"},
    {"passages", 0, "FILE", SCAN | EXPORT, T_STR, F(passages), 0, 0, NULL,
     "write every aligned passage as JSONL: a, b,\na_start, a_end, b_start, b_end, score, "
     "text_a, text_b"},
    {"clusters", 0, "FILE", SCAN | DEDUP | EXPORT, T_STR, F(clusters), 0, 0, NULL,
     "write one JSONL line per cluster, copies then\nstories: id, level, members, "
     "representative"},
    {"stories", 0, "FILE", SCAN | EXPORT, T_STR, F(stories), 0, 0, NULL,
     "write the story clusters only"},
    {"timeline", 0, "FILE", SCAN | EXPORT, T_STR, F(timeline), 0, 0, NULL,
     "write one JSONL line per timeline: the events\n(stories, lone documents) on one "
     "subject, by date"},
    {"differences", 0, "FILE", SCAN | EXPORT, T_STR, F(differences), 0, 0, NULL,
     "write, as JSONL, each place where two related texts\nsay the same thing with a "
     "different figure"},
    {"html", 0, "FILE", SCAN | EXPORT, T_STR, F(html), 0, 0, NULL, "write a self-contained HTML report"},
    {"all-pairs", 0, NULL, SCAN, T_FLAG, F(lib.all_pairs), 0, 0, NULL,
     "also print compared pairs found unrelated"},
    {"show-furniture", 0, NULL, SCAN | ALIGN | EXPORT, T_FLAG, F(lib.list_furniture), 0, 0, NULL,
     "list page-furniture lines on stderr"},
    {"keep-furniture", 0, NULL, SCAN | ALIGN | CREATE, T_FLAG, F(lib.keep_furniture), 0, 0, NULL,
     "do not detect page furniture"},
    {"local-inputs", 0, NULL, SCAN | DEDUP, T_FLAG, F(local_inputs), 0, 0, NULL,
     "reprint-mpi: each rank reads the inputs given to it\n(files on its own host); dedup -o is then "
     "written\nby every rank, with the kept documents of its inputs"},
    {"reworded", 0, NULL, SCAN | ALIGN, T_FLAG, F(lib.reworded), 0, 0, NULL,
     "passages also take in sentences saying the same\nin other words (relations are unchanged)"},
    {"fast", 0, NULL, SCAN, T_FLAG, F(lib.fast), 0, 0, NULL,
     "copies only (duplicate, near-duplicate): no alignment"},
    {"threshold", 't', "X", SETTINGS, T_UNIT, F(lib.threshold), 0, 0, NULL,
     "near-duplicate Jaccard threshold (default 0.8)"},
    {"ngram", 'n', "N", SETTINGS | ALIGN, T_INT, F(lib.ngram), 1, 64, NULL,
     "words per shingle (default 5)"},
    {"perm", 0, "N", SETTINGS, T_INT, F(lib.perm), 8, 1024, NULL,
     "MinHash values per signature (default 128)"},
    {"keep", 0, "longest|first|earliest", SCAN | DEDUP, T_CHOICE, F(lib.keep), 0, 0, keeps,
     "which copy represents a cluster and stays in\ndedup (default longest; earliest uses "
     "the date field)"},
    {"threads", 'j', "N", RUNS, T_INT, F(lib.threads), 1, 256, NULL,
     "worker threads (default: all cores)"},
    {"memory", 0, "SIZE", RUNS, T_BYTES, F(lib.memory), 0, 0, NULL,
     "memory the run may use, roughly, e.g. 512M or 4G\n(default: an eighth of the "
     "machine's memory, at most\n1G); shingles and texts beyond it go to temporary\n"
     "files, features are computed again: same results"},
    {"id-field", 0, "NAME", READS, T_STR, F(lib.id_field), 0, 0, NULL,
     "JSONL field naming a document (default id)"},
    {"text-field", 0, "NAME", READS, T_STR, F(lib.text_field), 0, 0, NULL,
     "JSONL field holding the text (default text)"},
    {"jsonl", 0, NULL, READS, T_FLAG, F(lib.force_jsonl), 0, 0, NULL,
     "read every file input as JSONL"},
    {"max-bytes", 0, "N", READS | ALIGN, T_SIZET, F(lib.max_doc_bytes), 1, (long)UINT32_MAX, NULL,
     "largest document or line accepted (default 67108864)"},
    {"skip-bad", 0, NULL, READS, T_FLAG, F(lib.skip_bad), 0, 0, NULL,
     "report bad documents on stderr and go on"},
    {"quiet", 'q', NULL, RUNS & ~SERVE, T_FLAG, F(quiet), 0, 0, NULL, "no progress line"},
    {"sketch", 0, "oph|kperm", SETTINGS, T_CHOICE, F(lib.sketch), 0, 0, sketches,
     "MinHash scheme (default oph; see README)"},
    {"replace", 0, NULL, ADD, T_FLAG, F(replace), 0, 0, NULL,
     "a document whose id is indexed replaces it (else an error)"},
    {"listen", 0, "ADDRESS:PORT", SERVE, T_STR, F(listen), 0, 0, NULL,
     "where to listen (default 127.0.0.1:8080; port 0: any\nfree port, printed on stderr)"},
    {"max-body", 0, "SIZE", SERVE, T_BYTES, F(max_body), 0, 0, NULL,
     "largest request body accepted (default 10M)"},
    {"timeout", 0, "SECONDS", SERVE, T_INT, F(timeout), 1, 3600, NULL,
     "a connection idle this long is closed (default 30)"},
    {"help", 'h', NULL, ALL, T_HELP, 0, 0, 0, NULL, "this help"},
};

#define NOPTIONS (sizeof options / sizeof *options)

static const char *const command_names[CLI_NCOMMANDS] = {
    "scan", "dedup", "align", "index create", "index add", "query", "index stats", "index export",
    "serve"};

/* What a command's first arguments are: "INPUT" or "DB" (the index). */
static const char *const positional[CLI_NCOMMANDS] = {"INPUT", "INPUT", "INPUT", "DB", "DB",
                                                      "DB",    "DB",    "DB",    "DB"};

/* serve's usage is here, not in serve.c: reprint prints it in its man page
 * without linking the server (reprint-serve, serve_main.c). */
const cli_usage serve_usage = {
    "usage: reprint serve [OPTIONS] DB\n"
    "\n"
    "Serve the index DB over HTTP (README \"reprint serve\"):\n"
    "  POST /documents        add documents (a JSON object, an array, or JSONL);\n"
    "                         answers where each stands, as 'reprint index add'\n"
    "  POST /query            the same answer without adding\n"
    "  GET  /documents/ID     a document; /documents/ID/related: its relations\n"
    "  GET  /clusters/N       a copy cluster; /stories/N: a story and its timeline\n"
    "  GET  /health           liveness and the number of documents\n"
    "SIGINT or SIGTERM stops it once the requests in progress are answered.\n",
    "reprint serve --listen 127.0.0.1:8080 news.db", "serve an index over HTTP"};

static const cli_usage *const usages[CLI_NCOMMANDS] = {
    &scan_usage,      &dedup_usage, &align_usage,       &index_create_usage,
    &index_add_usage, &query_usage, &index_stats_usage, &index_export_usage, &serve_usage};

static int parse_long(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi) {
        cli_error("%s: '%s' is not a whole number in %ld..%ld", opt, v, lo, hi);
        return EXIT_USAGE;
    }
    *out = x;
    return EXIT_OK;
}

/* A size: a whole number of bytes, or of KiB, MiB or GiB with the suffix K, M or G. */
static int parse_bytes(const char *opt, const char *v, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    int shift = 0;
    if (end != v && *end && !end[1]) {
        shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20
              : *end == 'G' || *end == 'g' ? 30 : -1;
        end += shift > 0;
    }
    if (errno || end == v || *end || v[0] < '0' || v[0] > '9' || shift < 0 ||
        x > (unsigned long long)(SIZE_MAX >> shift)) {
        cli_error("%s: '%s' is not a size (bytes, or a whole number with K, M or G)", opt, v);
        return EXIT_USAGE;
    }
    *out = (size_t)(x << shift);
    return EXIT_OK;
}

/* Store the value of option d, typed as name, into o. */
static int set_option(cli_opts *o, const cli_option *d, const char *name, const char *val)
{
    char *field = (char *)o + d->off;
    long x;
    int rc = EXIT_OK;
    switch (d->type) {
    case T_HELP: return EXIT_OK;
    case T_FLAG: *(int *)(void *)field = 1; return EXIT_OK;
    case T_STR: *(const char **)(void *)field = val; break;
    case T_INT:
        rc = parse_long(name, val, d->lo, d->hi, &x);
        *(int *)(void *)field = (int)x;
        break;
    case T_SIZET:
        rc = parse_long(name, val, d->lo, d->hi, &x);
        *(size_t *)(void *)field = (size_t)x;
        break;
    case T_BYTES: rc = parse_bytes(name, val, (size_t *)(void *)field); break;
    case T_UNIT: {
        char *end;
        double t = strtod(val, &end);
        if (end == val || *end || !(t > 0 && t <= 1)) {
            cli_error("%s: '%s' is not a number in (0, 1]", name, val);
            return EXIT_USAGE;
        }
        *(double *)(void *)field = t;
        break;
    }
    case T_CHOICE: {
        const choice *ch = d->choices;
        while (ch->word && strcmp(ch->word, val) != 0)
            ch++;
        if (!ch->word) {
            char list[128] = "";
            for (const choice *k = d->choices; k->word; k++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                         k == d->choices ? "" : ", ", k->word);
            cli_error("%s: '%s' is not one of %s", name, val, list);
            return EXIT_USAGE;
        }
        *(int *)(void *)field = ch->value; /* enums are int-sized */
        break;
    }
    }
    if (rc == EXIT_OK && !*val) {
        cli_error("%s needs a non-empty value", name);
        return EXIT_USAGE;
    }
    return rc;
}

/* The option of command cmd with long name (up to len bytes) or short letter. */
static const cli_option *find_option(int cmd, const char *lng, size_t len, char shrt)
{
    for (size_t k = 0; k < NOPTIONS; k++) {
        const cli_option *d = &options[k];
        if (!(d->cmds & CLI_BIT(cmd)))
            continue;
        if (lng ? strlen(d->name) == len && strncmp(d->name, lng, len) == 0
                : shrt && d->shrt == shrt)
            return d;
    }
    return NULL;
}

/* A flag given a value ("--quiet=yes", "-q4") is refused before getopt_long
 * would read "-q4" as -q and -4 ("-qj4", two options, is fine). */
static int flag_with_value(int cmd, const char *a)
{
    if (a[0] != '-' || !a[1])
        return 0;
    const cli_option *d;
    if (a[1] == '-') {
        const char *eq = strchr(a, '=');
        if (!eq || !(d = find_option(cmd, a + 2, (size_t)(eq - a - 2), 0)) || d->arg)
            return 0;
        cli_error("--%s takes no value", d->name);
        return 1;
    }
    if (!a[2] || !(d = find_option(cmd, NULL, 0, a[1])) || d->arg ||
        find_option(cmd, NULL, 0, a[2]))
        return 0;
    cli_error("-%c takes no value", a[1]);
    return 1;
}

static int parse(int argc, char **argv, int cmd, const cli_usage *u, cli_opts *o);

/*
 * The checks that need every option. On ranks (reprint-mpi) they come before
 * the ranks' first agreement, so that a rank that stops here stops them all
 * (ranks may be given their own arguments).
 */
static int check_options(int cmd, cli_opts *o)
{
    if (cmd == CLI_SCAN && o->lib.fast &&
        (o->passages || o->stories || o->timeline || o->lib.list_furniture || o->lib.all_pairs ||
         o->html || o->differences)) {
        cli_error("--fast finds copies only: it cannot be used with --passages, --stories, "
                  "--timeline, --differences, --html, --show-furniture or --all-pairs");
        return EXIT_USAGE;
    }
    if (cmd == CLI_DEDUP && o->local_inputs && strcmp(o->out, "-") == 0) {
        cli_error("with --local-inputs every rank writes -o FILE on its own host: standard "
                  "output is rank 0's alone");
        return EXIT_USAGE;
    }
    for (int i = 0; cli_transport && i < o->ninputs; i++)
        if (strcmp(o->inputs[i], "-") == 0) {
            cli_error("standard input cannot be divided among ranks: give files that every "
                      "rank can read (or use reprint)");
            return EXIT_USAGE;
        }
    return EXIT_OK;
}

int cli_parse(int argc, char **argv, int cmd, const cli_usage *u, cli_opts *o)
{
    int ex = parse(argc, argv, cmd, u, o);
    if (ex == EXIT_OK)
        ex = check_options(cmd, o);
    if (cli_transport && (cmd == CLI_SCAN || cmd == CLI_DEDUP))
        ex = cli_ranks_agree(ex); /* -1 (help shown) stops every rank too */
    return ex;
}

static int parse(int argc, char **argv, int cmd, const cli_usage *u, cli_opts *o)
{
    const char *cmdname = command_names[cmd];
    memset(o, 0, sizeof *o);
    rp_options_init(&o->lib);
    o->color = -1;
    o->inputs = calloc((size_t)argc + 1, sizeof *o->inputs);
    struct option *lo = calloc(NOPTIONS + 1, sizeof *lo);
    char shorts[2 * NOPTIONS + 2], *sp = shorts;
    if (!o->inputs || !lo) {
        free(lo);
        cli_error("out of memory");
        return EXIT_INTERNAL;
    }
    /* getopt_long from the table: ':' first, so that a missing value is told
     * from an unknown option. */
    size_t nlo = 0;
    *sp++ = ':';
    for (size_t k = 0; k < NOPTIONS; k++) {
        const cli_option *d = &options[k];
        if (!(d->cmds & CLI_BIT(cmd)))
            continue;
        lo[nlo++] = (struct option){d->name, d->arg ? required_argument : no_argument, NULL,
                                    (int)(256 + k)};
        if (d->shrt) {
            *sp++ = d->shrt;
            if (d->arg)
                *sp++ = ':';
        }
    }
    *sp = 0;
    /* argv holds the arguments after the command's name, which getopt_long
     * takes for argv[0]. */
    char **args = argv - 1;
    int nargs = argc + 1, ex = EXIT_OK;
    for (int i = 1; i < nargs && strcmp(args[i], "--") != 0; i++)
        if (flag_with_value(cmd, args[i])) {
            free(lo);
            return EXIT_USAGE;
        }
    optind = 0; /* full reinitialisation (glibc) */
    opterr = 0;
    for (;;) {
        int li = -1;
        int c = getopt_long(nargs, args, shorts, lo, &li);
        if (c == -1)
            break;
        const char *typed = args[optind - 1];
        char name[64];
        if (c == '?' || c == ':') {
            /* The option as typed: "--name" without "=value", or "-x". */
            if (optopt && optopt < 256)
                snprintf(name, sizeof name, "-%c", optopt);
            else
                snprintf(name, sizeof name, "%.*s", (int)strcspn(typed, "="), typed);
            if (c == '?')
                cli_error("unknown option '%s' (see 'reprint %s --help')", name, cmdname);
            else
                cli_error("%s needs a value (see 'reprint %s --help')", name, cmdname);
            ex = EXIT_USAGE;
            break;
        }
        const cli_option *d;
        if (c >= 256) {
            d = &options[c - 256];
            snprintf(name, sizeof name, "--%s", d->name);
        } else {
            d = find_option(cmd, NULL, 0, (char)c);
            snprintf(name, sizeof name, "-%c", c);
        }
        if (d->type == T_HELP) {
            cli_help(stdout, cmd, u);
            ex = -1;
            break;
        }
        if ((ex = set_option(o, d, name, optarg)) != EXIT_OK)
            break;
    }
    free(lo);
    if (ex != EXIT_OK)
        return ex;
    for (int i = optind; i < nargs; i++)
        o->inputs[o->ninputs++] = args[i];
    if (o->ninputs == 0 && !o->local_inputs) { /* a rank may hold none of its own */
        cli_error("no %s given (see 'reprint %s --help')", positional[cmd], cmdname);
        return EXIT_USAGE;
    }
    if (cmd == CLI_DEDUP && !o->out) {
        cli_error("dedup needs -o OUT.jsonl (see 'reprint dedup --help')");
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* "-t, --threshold X" or "--passages FILE". */
static void option_label(const cli_option *d, char *dst, size_t cap)
{
    if (d->shrt)
        snprintf(dst, cap, "-%c, --%s%s%s", d->shrt, d->name, d->arg ? " " : "",
                 d->arg ? d->arg : "");
    else
        snprintf(dst, cap, "--%s%s%s", d->name, d->arg ? " " : "", d->arg ? d->arg : "");
}

void cli_help(FILE *f, int cmd, const cli_usage *u)
{
    fputs(u->head, f);
    fputs("\noptions:\n", f);
    for (size_t k = 0; k < NOPTIONS; k++) {
        const cli_option *d = &options[k];
        if (!(d->cmds & CLI_BIT(cmd)))
            continue;
        char label[96];
        option_label(d, label, sizeof label);
        if (strlen(label) > 23)
            fprintf(f, "  %s\n%27s", label, "");
        else
            fprintf(f, "  %-25s", label);
        for (const char *h = d->help; *h; h++) {
            fputc(*h, f);
            if (*h == '\n')
                fprintf(f, "%27s", "");
        }
        fputc('\n', f);
    }
    if (u->example)
        fprintf(f, "\nexample: %s\n", u->example);
}

/* roff: a backslash is written "\e", a leading dot or quote is escaped. */
static void roff(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            fputs("\\e", f);
        else if (s[i] == '-')
            fputs("\\-", f);
        else if ((s[i] == '.' || s[i] == '\'') && (i == 0 || s[i - 1] == '\n'))
            fprintf(f, "\\&%c", s[i]);
        else
            fputc(s[i], f);
    }
}

void cli_man(FILE *f)
{
    fprintf(f, ".\\\" Written by 'reprint manpage' from the option table of cli/options.c.\n"
               ".TH REPRINT 1 \"\" \"reprint %s\" \"User Commands\"\n"
               ".SH NAME\nreprint \\- find reused text in document collections\n"
               ".SH SYNOPSIS\n",
            rp_version());
    for (int c = 0; c < CLI_NCOMMANDS; c++) {
        /* The synopsis line is the usage line without "usage: ". */
        const char *u = usages[c]->head, *nl = strchr(u, '\n');
        if (strncmp(u, "usage: ", 7) == 0)
            u += 7;
        fputs(".B ", f);
        roff(f, u, nl ? (size_t)(nl - u) : strlen(u));
        fputs("\n.br\n", f);
    }
    fputs(".SH DESCRIPTION\nreprint finds reused text in document collections: copies, "
          "reprints, stories told by many outlets, passages shared between texts, and the "
          "figures on which sources differ; it keeps a persistent index that documents are "
          "added to one at a time. INPUT is a file, a folder (read recursively), a "
          "JSONL file (.jsonl, .jsonl.gz, .jsonl.zst) or \\- for standard input; DB is the "
          "index, a SQLite database.\n",
          f);
    for (int c = 0; c < CLI_NCOMMANDS; c++) {
        fputs(".SH REPRINT ", f);
        for (const char *p = command_names[c]; *p; p++)
            fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, f);
        fprintf(f, "\n%s.\n", usages[c]->summary);
        /* The head of the usage without its first line ("usage: ..."). */
        const char *h = strchr(usages[c]->head, '\n');
        h = h ? h + 1 : usages[c]->head;
        while (*h == '\n')
            h++;
        if (*h) {
            fputs(".PP\n.nf\n", f);
            roff(f, h, strlen(h));
            fputs(".fi\n", f);
        }
        for (size_t k = 0; k < NOPTIONS; k++) {
            const cli_option *d = &options[k];
            if (!(d->cmds & CLI_BIT(c)))
                continue;
            char label[96];
            option_label(d, label, sizeof label);
            fputs(".TP\n.B ", f);
            roff(f, label, strlen(label));
            fputc('\n', f);
            for (const char *p = d->help; *p; p++)
                if (*p == '\n')
                    fputc(' ', f);
                else
                    roff(f, p, 1);
            fputc('\n', f);
        }
        if (usages[c]->example) {
            fputs(".PP\nExample:\n.RS\n.B ", f);
            roff(f, usages[c]->example, strlen(usages[c]->example));
            fputs("\n.RE\n", f);
        }
    }
    fputs(".SH EXIT STATUS\n0: success; 1: a document or input file is malformed; 2: wrong "
          "options or arguments; 3: a file could not be read or written; 4: out of memory or "
          "an internal error.\n"
          ".SH SEE ALSO\nThe README of the project: how the rules work and why.\n",
          f);
}
