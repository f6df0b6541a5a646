/* SPDX-License-Identifier: MIT */
/*
 * bench_passages.c -- accuracy of passage alignment against planted partial reuse, and the
 * cost of the full scan (alignment and relations) next to the fast path.
 *
 *   build/bench/gencorpus -n 20000 -P 0.05 -S splices.tsv SOURCE.jsonl > corpus.jsonl
 *   build/bench/bench_passages [-r REPRINT] [-j N] [-R RUNS] [-a ARG]... [-o PASSAGES.jsonl]
 *                              [-e PASSAGES.jsonl] [-O ROWS.tsv] [-x EXAMPLES]
 *                              corpus.jsonl splices.tsv
 *
 * It drives the command-line tool, not the library, so that it measures what a user runs
 * and does not follow changes of the internal interfaces:
 *
 *     REPRINT scan -q [-j N] --fast CORPUS > /dev/null                  (fast path)
 *     REPRINT scan -q [-j N] [ARG...] --passages PASSAGES.jsonl CORPUS > ROWS.tsv  (full)
 *
 * and prints, for each run, wall time, MB/s, documents/s, peak resident memory and CPU time
 * (user + system) of the child (from wait4), then the ratio of the full scan's throughput to
 * the fast path's (the issue asks for at least a third; figures only, no verdict: timings
 * vary; CPU time next to wall time shows when the machine was busy with other work).
 * -R runs both RUNS times, alternately, and the summary takes the fastest run of each.
 *
 * Accuracy is read from the passages file, one JSON object a line:
 *
 *     {"a":"ID","b":"ID","a_start":N,"a_end":N,"b_start":N,"b_end":N,"score":X,
 *      "text_a":"...","text_b":"..."}
 *
 * with byte offsets, half-open, into each document's decoded text. The truth is gencorpus's
 * splice file (-S). Counting is in bytes of UTF-8 text (not characters: the corpus is nearly
 * all ASCII, so the two hardly differ), summed over both sides of each planted
 * (donor, recipient) pair; the passages of a pair are merged per side first, so bytes two
 * passages share count once:
 *
 *     recall     truth bytes covered by the pair's passages / truth bytes
 *     precision  reported bytes of planted pairs inside the truth / reported bytes of planted
 *                pairs
 *
 * Passages on other pairs are counted but not judged: the corpus also holds planted copies
 * (which share the splices of the documents they copy) and chance shared paragraphs of the
 * generator's pool, neither of which the splice truth describes. gencorpus picks donor and
 * recipient so that the splice is the only word 8-gram they share, which is what makes
 * precision on planted pairs meaningful (see its header).
 *
 * A third figure, recall on the recipient side with passages of any partner, tells a splice
 * missed altogether from one found with another document (a copy of the donor, or one that
 * drew the same pool paragraph).
 *
 * It also checks, on planted pairs, that text_a and text_b are the bytes of the documents at
 * the given offsets, and prints examples of missed splices, partial ones, and passages that
 * reach past the truth (-x, default 5 of each).
 *
 * The full scan's rows (its stdout, the last run's) are counted by relation (third column):
 * how much else the corpus makes the scan report. -O keeps them (default: a temporary file in
 * /tmp, removed). Writing them to a file instead of /dev/null costs the full run a little.
 *
 * -e evaluates an existing passages file and runs nothing; -o keeps the passages of the full
 * run (default: a temporary file in /tmp, removed). -r names the binary (default ./reprint).
 * -a adds one argument to the full scan (repeatable, at most 8), e.g. -a --keep-furniture.
 *
 * Build: make bench (links jansson only). Never a test: timings vary.
 */
#define _DEFAULT_SOURCE /* wait4: the resource usage of one child, not of all of them */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#define MAX_RUNS 20 /* upper limit of -R */
#define MAX_EXTRA 8 /* upper limit of -a arguments */

static const char usage_line[] =
    "usage: bench_passages [-r REPRINT] [-j N] [-R RUNS] [-a ARG]... [-o PASSAGES.jsonl] "
    "[-e PASSAGES.jsonl] [-O ROWS.tsv] [-x EXAMPLES] corpus.jsonl splices.tsv\n";

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...)
{
    va_list ap;
    fputs("bench_passages: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory");
    return q;
}

static char *xstrndup(const char *s, size_t n)
{
    char *z = xrealloc(NULL, n + 1);
    memcpy(z, s, n);
    z[n] = '\0';
    return z;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------------------------------- */
/* Byte ranges */

typedef struct range {
    uint64_t lo; /* first byte */
    uint64_t hi; /* one past the last byte */
} range;

typedef struct rangevec {
    range *v;
    size_t n;
    size_t cap;
} rangevec;

static void rv_push(rangevec *rv, uint64_t lo, uint64_t hi)
{
    if (hi <= lo)
        return;
    if (rv->n == rv->cap) {
        rv->cap = rv->cap ? rv->cap * 2 : 4;
        rv->v = xrealloc(rv->v, rv->cap * sizeof *rv->v);
    }
    rv->v[rv->n].lo = lo;
    rv->v[rv->n].hi = hi;
    rv->n++;
}

static int cmp_range(const void *x, const void *y)
{
    const range *a = x, *b = y;
    return a->lo < b->lo ? -1 : a->lo > b->lo ? 1 : (a->hi > b->hi) - (a->hi < b->hi);
}

/* Sort and merge overlapping or touching ranges in place. */
static void rv_union(rangevec *rv)
{
    if (rv->n == 0)
        return;
    qsort(rv->v, rv->n, sizeof *rv->v, cmp_range);
    size_t m = 0;
    for (size_t i = 1; i < rv->n; i++) {
        if (rv->v[i].lo <= rv->v[m].hi) {
            if (rv->v[i].hi > rv->v[m].hi)
                rv->v[m].hi = rv->v[i].hi;
        } else {
            rv->v[++m] = rv->v[i];
        }
    }
    rv->n = m + 1;
}

static uint64_t rv_bytes(const rangevec *rv)
{
    uint64_t s = 0;
    for (size_t i = 0; i < rv->n; i++)
        s += rv->v[i].hi - rv->v[i].lo;
    return s;
}

/* Bytes in both of two merged range lists. */
static uint64_t rv_common(const rangevec *a, const rangevec *b)
{
    uint64_t s = 0;
    size_t i = 0, j = 0;
    while (i < a->n && j < b->n) {
        uint64_t lo = a->v[i].lo > b->v[j].lo ? a->v[i].lo : b->v[j].lo;
        uint64_t hi = a->v[i].hi < b->v[j].hi ? a->v[i].hi : b->v[j].hi;
        if (hi > lo)
            s += hi - lo;
        if (a->v[i].hi < b->v[j].hi)
            i++;
        else
            j++;
    }
    return s;
}

/* ---------------------------------------------------------------------------------------- */
/* Planted pairs */

typedef struct pair {
    char *id[2]; /* donor, recipient */
    rangevec truth[2]; /* planted bytes of each side */
    rangevec rep[2]; /* reported bytes of each side */
    rangevec any; /* reported bytes of the recipient, passages with any document */
    size_t npass; /* passages reported for the pair */
    uint64_t t_bytes, r_bytes, c_bytes; /* truth, reported, covered; both sides, after merging */
    uint64_t t_any, c_any; /* recipient's truth bytes, and those covered with any document */
} pair;

typedef struct pairset {
    pair *v; /* sorted by (donor, recipient) once loaded */
    size_t n;
    size_t cap;
    size_t *by_recipient; /* indexes of v sorted by recipient id */
} pairset;

static int cmp_pair(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    int c = strcmp(a->id[0], b->id[0]);
    return c ? c : strcmp(a->id[1], b->id[1]);
}

static pair *find_pair(const pairset *ps, const char *d, const char *r)
{
    pair key;
    key.id[0] = (char *)(uintptr_t)d;
    key.id[1] = (char *)(uintptr_t)r;
    return bsearch(&key, ps->v, ps->n, sizeof *ps->v, cmp_pair);
}

static const pairset *sort_ps; /* the set the index comparators below look into */

static int cmp_by_recipient(const void *x, const void *y)
{
    return strcmp(sort_ps->v[*(const size_t *)x].id[1], sort_ps->v[*(const size_t *)y].id[1]);
}

/* Add bytes [lo, hi) of document id to the "any" ranges of every pair whose recipient it is. */
static void each_recipient(pairset *ps, const char *id, uint64_t lo, uint64_t hi)
{
    size_t a = 0, b = ps->n;
    while (a < b) {
        size_t mid = (a + b) / 2;
        if (strcmp(ps->v[ps->by_recipient[mid]].id[1], id) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    for (; a < ps->n && strcmp(ps->v[ps->by_recipient[a]].id[1], id) == 0; a++)
        rv_push(&ps->v[ps->by_recipient[a]].any, lo, hi);
}

static uint64_t parse_off(const char *s, const char *path, size_t lineno)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || errno == ERANGE) {
        fprintf(stderr, "bench_passages: %s:%zu: bad offset '%s'\n", path, lineno, s);
        exit(1);
    }
    return v;
}

/* Read gencorpus's splice truth; rows of one pair (gencorpus writes one) are merged. */
static void load_truth(pairset *ps, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s", path);
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (got > 0 && line[got - 1] == '\n')
            line[--got] = '\0';
        if (got == 0 || strncmp(line, "donor\t", 6) == 0)
            continue;
        char *fld[6];
        char *p = line;
        for (int k = 0; k < 6; k++) {
            fld[k] = p;
            p = strchr(p, '\t');
            if (!p && k < 5) {
                fprintf(stderr, "bench_passages: %s:%zu: want 6 tab-separated fields\n", path,
                        lineno);
                exit(1);
            }
            if (p)
                *p++ = '\0';
        }
        if (ps->n == ps->cap) {
            ps->cap = ps->cap ? ps->cap * 2 : 1024;
            ps->v = xrealloc(ps->v, ps->cap * sizeof *ps->v);
        }
        pair *q = &ps->v[ps->n++];
        memset(q, 0, sizeof *q);
        q->id[0] = strdup(fld[0]);
        q->id[1] = strdup(fld[1]);
        if (!q->id[0] || !q->id[1])
            die("out of memory");
        rv_push(&q->truth[0], parse_off(fld[2], path, lineno), parse_off(fld[3], path, lineno));
        rv_push(&q->truth[1], parse_off(fld[4], path, lineno), parse_off(fld[5], path, lineno));
    }
    free(line);
    fclose(f);
    if (ps->n == 0)
        return;
    qsort(ps->v, ps->n, sizeof *ps->v, cmp_pair);
    size_t m = 0;
    for (size_t i = 1; i < ps->n; i++) {
        if (cmp_pair(&ps->v[i], &ps->v[m]) == 0) {
            for (int s = 0; s < 2; s++) {
                for (size_t k = 0; k < ps->v[i].truth[s].n; k++)
                    rv_push(&ps->v[m].truth[s], ps->v[i].truth[s].v[k].lo,
                            ps->v[i].truth[s].v[k].hi);
                free(ps->v[i].truth[s].v);
                free(ps->v[i].id[s]);
            }
        } else {
            ps->v[++m] = ps->v[i];
        }
    }
    ps->n = m + 1;
    for (size_t i = 0; i < ps->n; i++)
        for (int s = 0; s < 2; s++)
            rv_union(&ps->v[i].truth[s]);
    ps->by_recipient = xrealloc(NULL, ps->n * sizeof *ps->by_recipient);
    for (size_t i = 0; i < ps->n; i++)
        ps->by_recipient[i] = i;
    sort_ps = ps;
    qsort(ps->by_recipient, ps->n, sizeof *ps->by_recipient, cmp_by_recipient);
}

/* ---------------------------------------------------------------------------------------- */
/* Texts of the documents of planted pairs */

typedef struct textmap {
    char **id; /* sorted, unique */
    char **text; /* decoded text, or NULL when not in the corpus */
    size_t *len; /* its length in bytes */
    size_t n;
} textmap;

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static long tm_find(const textmap *tm, const char *id)
{
    size_t lo = 0, hi = tm->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(tm->id[mid], id);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/*
 * One pass over the corpus: count documents and keep the texts of the wanted ids. The id of
 * a gencorpus line is read without parsing the JSON ({"id":"..." comes first); other lines
 * are parsed whole.
 */
static size_t load_texts(textmap *tm, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s", path);
    char *line = NULL, *idbuf = NULL;
    size_t cap = 0, ndocs = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0) {
        size_t i = 0;
        while (i < (size_t)got && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' ||
                                   line[i] == '\n'))
            i++;
        if (i == (size_t)got)
            continue;
        ndocs++;
        long k = -1;
        if (strncmp(line, "{\"id\":\"", 7) == 0) {
            char *q = strchr(line + 7, '"');
            if (q && !memchr(line + 7, '\\', (size_t)(q - line - 7))) {
                free(idbuf);
                idbuf = xstrndup(line + 7, (size_t)(q - line - 7));
                k = tm_find(tm, idbuf);
                if (k < 0)
                    continue;
            }
        }
        json_error_t err;
        json_t *o = json_loadb(line, (size_t)got, JSON_ALLOW_NUL, &err);
        if (!o)
            die("bad JSON line in %s", path);
        json_t *jid = json_object_get(o, "id"), *jt = json_object_get(o, "text");
        if (json_is_string(jid) && json_is_string(jt)) {
            k = tm_find(tm, json_string_value(jid));
            if (k >= 0 && !tm->text[k]) {
                tm->len[k] = json_string_length(jt);
                tm->text[k] = xstrndup(json_string_value(jt), tm->len[k]);
            }
        }
        json_decref(o);
    }
    free(idbuf);
    free(line);
    fclose(f);
    return ndocs;
}

/* ---------------------------------------------------------------------------------------- */
/* Runs of reprint */

typedef struct runres {
    double wall; /* seconds */
    double cpu; /* user + system seconds of the child */
    long maxrss_kb; /* peak resident set of the child */
    int status; /* exit code, or 128 + signal */
} runres;

/* Run argv with stdout to the file out (created or truncated), or to /dev/null if NULL. */
static runres run(char *const argv[], const char *out)
{
    runres r = { 0, 0, 0, 127 };
    fflush(stdout);
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        die("fork failed");
    if (pid == 0) {
        int fd = out ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)
                     : open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            close(fd);
        }
        execvp(argv[0], argv);
        fprintf(stderr, "bench_passages: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0)
        die("wait4 failed");
    r.wall = now() - t0;
    r.maxrss_kb = ru.ru_maxrss;
    r.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return r;
}

static void print_cmd(char *const argv[], const char *out)
{
    for (size_t i = 0; argv[i]; i++)
        printf("%s%s", i ? " " : "    ", argv[i]);
    printf(" > %s\n", out ? out : "/dev/null");
}

static void print_run(const char *what, runres r, double mb, size_t ndocs)
{
    if (r.status != 0) {
        printf("  %-6s exit status %d after %.2f s (no figures)\n", what, r.status, r.wall);
        return;
    }
    printf("  %-6s %8.2f s  %7.1f MB/s  %9.0f docs/s  peak RSS %7.1f MB  CPU %.2f s (%.2f cores)\n",
           what, r.wall, mb / r.wall, (double)ndocs / r.wall, (double)r.maxrss_kb / 1024.0, r.cpu,
           r.cpu / r.wall);
}

/*
 * Count the rows of the full scan's output (TSV with a header, the last run's) by relation,
 * the third column, in order of first appearance.
 */
static void print_relations(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("relations of the full scan: cannot open %s\n", path);
        return;
    }
    char *line = NULL, *name[16];
    size_t cap = 0, count[16], nname = 0, other = 0, rows = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, f)) >= 0) {
        if (strncmp(line, "a\tb\t", 4) == 0)
            continue; /* the header */
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        char *t3 = t2 ? strpbrk(t2 + 1, "\t\n") : NULL;
        if (!t3) {
            other++;
            continue;
        }
        rows++;
        size_t len = (size_t)(t3 - t2 - 1), k = 0;
        while (k < nname && !(strlen(name[k]) == len && memcmp(name[k], t2 + 1, len) == 0))
            k++;
        if (k == nname && nname < 16) {
            name[nname] = xstrndup(t2 + 1, len);
            count[nname++] = 0;
        }
        if (k < nname)
            count[k]++;
        else
            other++;
    }
    free(line);
    fclose(f);
    printf("relations of the full scan: %zu rows;", rows);
    for (size_t k = 0; k < nname; k++) {
        printf(" %s %zu%s", name[k], count[k], k + 1 < nname ? "," : "");
        free(name[k]);
    }
    if (other)
        printf("; %zu lines not understood", other);
    printf("\n");
}

/* ---------------------------------------------------------------------------------------- */
/* Passages */

typedef struct pstats {
    size_t rows; /* passage lines read */
    size_t planted_rows; /* of them on planted pairs */
    size_t other_rows; /* on other pairs */
    uint64_t other_bytes; /* bytes of passages on other pairs, both sides, not merged */
    size_t text_checked; /* text_a/text_b compared with the corpus */
    size_t text_bad; /* of them not equal to the bytes at the offsets */
    size_t bad_range; /* offsets past the end of the text, or start > end */
} pstats;

static int get_u64(json_t *o, const char *k, uint64_t *v)
{
    json_t *x = json_object_get(o, k);
    if (!json_is_integer(x) || json_integer_value(x) < 0)
        return -1;
    *v = (uint64_t)json_integer_value(x);
    return 0;
}

/* Does the JSON string field k of o hold exactly text[lo..hi)? */
static int text_is(json_t *o, const char *k, const textmap *tm, long doc, uint64_t lo,
                   uint64_t hi)
{
    json_t *x = json_object_get(o, k);
    if (!json_is_string(x) || doc < 0 || !tm->text[doc] || hi > tm->len[doc])
        return 0;
    return json_string_length(x) == hi - lo &&
           memcmp(json_string_value(x), tm->text[doc] + lo, hi - lo) == 0;
}

static void read_passages(const char *path, pairset *ps, const textmap *tm, pstats *st)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot open %s", path);
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t got;
    int shown = 0;
    while ((got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (got <= 1)
            continue;
        json_error_t err;
        json_t *o = json_loadb(line, (size_t)got, JSON_ALLOW_NUL, &err);
        json_t *ja = o ? json_object_get(o, "a") : NULL, *jb = o ? json_object_get(o, "b") : NULL;
        uint64_t off[4];
        if (!o || !json_is_string(ja) || !json_is_string(jb) || get_u64(o, "a_start", &off[0]) ||
            get_u64(o, "a_end", &off[1]) || get_u64(o, "b_start", &off[2]) ||
            get_u64(o, "b_end", &off[3])) {
            fprintf(stderr, "bench_passages: %s:%zu: not a passage row\n", path, lineno);
            exit(1);
        }
        st->rows++;
        const char *a = json_string_value(ja), *b = json_string_value(jb);
        each_recipient(ps, a, off[0], off[1]);
        each_recipient(ps, b, off[2], off[3]);
        int swap = 0;
        pair *p = find_pair(ps, a, b);
        if (!p) {
            p = find_pair(ps, b, a);
            swap = 1;
        }
        if (!p) {
            st->other_rows++;
            st->other_bytes += (off[1] > off[0] ? off[1] - off[0] : 0) +
                               (off[3] > off[2] ? off[3] - off[2] : 0);
            json_decref(o);
            continue;
        }
        st->planted_rows++;
        p->npass++;
        long da = tm_find(tm, a), db = tm_find(tm, b);
        int ok_range = off[0] <= off[1] && off[2] <= off[3] && da >= 0 && db >= 0 &&
                       tm->text[da] && tm->text[db] && off[1] <= tm->len[da] &&
                       off[3] <= tm->len[db];
        if (!ok_range) {
            st->bad_range++;
        } else {
            st->text_checked++;
            if (!text_is(o, "text_a", tm, da, off[0], off[1]) ||
                !text_is(o, "text_b", tm, db, off[2], off[3])) {
                st->text_bad++;
                if (shown++ < 3)
                    printf("  text_a/text_b differ from the corpus bytes at the offsets: %s "
                           "[%" PRIu64 ",%" PRIu64 ") %s [%" PRIu64 ",%" PRIu64 ")\n",
                           a, off[0], off[1], b, off[2], off[3]);
            }
        }
        rv_push(&p->rep[swap], off[0], off[1]);
        rv_push(&p->rep[!swap], off[2], off[3]);
        json_decref(o);
    }
    free(line);
    fclose(f);
}

/* ---------------------------------------------------------------------------------------- */
/* Report */

/* Print text[lo..hi) on one line, at most max bytes from each end, newlines as "\n". */
static void excerpt(const textmap *tm, const char *id, uint64_t lo, uint64_t hi, size_t max)
{
    long k = tm_find(tm, id);
    if (k < 0 || !tm->text[k] || hi > tm->len[k] || lo > hi) {
        printf("(text not available)");
        return;
    }
    const char *t = tm->text[k];
    putchar('"');
    for (uint64_t i = lo; i < hi; i++) {
        if (hi - lo > 2 * max && i == lo + max) {
            printf(" [...] ");
            i = hi - max;
        }
        if (t[i] == '\n')
            fputs("\\n", stdout);
        else
            putchar(t[i]);
    }
    putchar('"');
}

static void print_ranges(const rangevec *rv)
{
    if (rv->n == 0)
        printf("none");
    for (size_t i = 0; i < rv->n; i++)
        printf("%s[%" PRIu64 ",%" PRIu64 ")", i ? " " : "", rv->v[i].lo, rv->v[i].hi);
}

static void print_pair(const textmap *tm, const pair *p, int outside)
{
    static const char *const side[2] = { "donor", "recipient" };
    printf("    %s -> %s: %zu passage(s), recall %.3f", p->id[0], p->id[1], p->npass,
           p->t_bytes ? (double)p->c_bytes / (double)p->t_bytes : 1.0);
    if (p->r_bytes)
        printf(", precision %.3f", (double)p->c_bytes / (double)p->r_bytes);
    printf("; recipient's splice covered with any document %.3f\n",
           p->t_any ? (double)p->c_any / (double)p->t_any : 1.0);
    for (int s = 0; s < 2; s++) {
        printf("      %-9s truth ", side[s]);
        print_ranges(&p->truth[s]);
        printf(", reported ");
        print_ranges(&p->rep[s]);
        printf("\n");
    }
    if (outside) { /* the reported bytes outside the truth, first side that has some */
        for (int s = 0; s < 2; s++)
            for (size_t i = 0; i < p->rep[s].n; i++) {
                const range *r = &p->rep[s].v[i];
                const range *t = p->truth[s].n ? &p->truth[s].v[0] : NULL;
                if (t && r->lo < t->lo) {
                    printf("      %s, reported before the truth: ", side[s]);
                    excerpt(tm, p->id[s], r->lo, r->hi < t->lo ? r->hi : t->lo, 60);
                    printf("\n");
                    return;
                }
                if (t && r->hi > t->hi) {
                    printf("      %s, reported after the truth: ", side[s]);
                    excerpt(tm, p->id[s], r->lo > t->hi ? r->lo : t->hi, r->hi, 60);
                    printf("\n");
                    return;
                }
                if (!t) {
                    printf("      %s: ", side[s]);
                    excerpt(tm, p->id[s], r->lo, r->hi, 60);
                    printf("\n");
                    return;
                }
            }
    } else {
        for (int s = 0; s < 2; s++) {
            printf("      %-9s text ", side[s]);
            excerpt(tm, p->id[s], p->truth[s].n ? p->truth[s].v[0].lo : 0,
                    p->truth[s].n ? p->truth[s].v[0].hi : 0, 70);
            printf("\n");
        }
    }
}

static double miss_of(const pair *p)
{
    return p->t_bytes ? 1.0 - (double)p->c_bytes / (double)p->t_bytes : 0.0;
}

static int cmp_by_miss(const void *x, const void *y)
{
    const pair *a = &sort_ps->v[*(const size_t *)x], *b = &sort_ps->v[*(const size_t *)y];
    double ma = miss_of(a), mb = miss_of(b);
    return ma > mb ? -1 : ma < mb ? 1 : 0;
}

static int cmp_by_excess(const void *x, const void *y)
{
    const pair *a = &sort_ps->v[*(const size_t *)x], *b = &sort_ps->v[*(const size_t *)y];
    uint64_t ea = a->r_bytes - a->c_bytes, eb = b->r_bytes - b->c_bytes;
    return ea > eb ? -1 : ea < eb ? 1 : 0;
}

static void report(pairset *ps, const textmap *tm, const pstats *st, int nex)
{
    uint64_t T = 0, R = 0, C = 0, TA = 0, CA = 0;
    size_t hist[5] = { 0 }; /* per splice: recall 0, (0,0.5), [0.5,0.95), [0.95,1), 1 */
    size_t nsize[3] = { 0 }, nsize_ok[3] = { 0 }; /* by truth size: <400, <800, >=800 bytes */
    uint64_t tsize[3] = { 0 }, csize[3] = { 0 };
    size_t exact_edges = 0, with_any = 0, wide = 0;
    uint64_t edge_dist = 0;
    for (size_t i = 0; i < ps->n; i++) {
        pair *p = &ps->v[i];
        p->t_bytes = p->r_bytes = p->c_bytes = 0;
        for (int s = 0; s < 2; s++) {
            rv_union(&p->rep[s]);
            p->t_bytes += rv_bytes(&p->truth[s]);
            p->r_bytes += rv_bytes(&p->rep[s]);
            p->c_bytes += rv_common(&p->truth[s], &p->rep[s]);
        }
        rv_union(&p->any);
        p->t_any = rv_bytes(&p->truth[1]);
        p->c_any = rv_common(&p->truth[1], &p->any);
        T += p->t_bytes;
        R += p->r_bytes;
        C += p->c_bytes;
        TA += p->t_any;
        CA += p->c_any;
        double rec = p->t_bytes ? (double)p->c_bytes / (double)p->t_bytes : 1.0;
        hist[p->c_bytes == 0 ? 0 : rec < 0.5 ? 1 : rec < 0.95 ? 2 : rec < 1.0 ? 3 : 4]++;
        int b = p->t_bytes / 2 < 400 ? 0 : p->t_bytes / 2 < 800 ? 1 : 2;
        nsize[b]++;
        nsize_ok[b] += rec >= 0.95;
        tsize[b] += p->t_bytes;
        csize[b] += p->c_bytes;
        wide += p->r_bytes > p->c_bytes;
        if (p->c_bytes > 0) {
            with_any++;
            /* edges: outermost reported bytes against the truth range, both sides */
            int exact = 1;
            for (int s = 0; s < 2; s++) {
                if (!p->rep[s].n || !p->truth[s].n) {
                    exact = 0;
                    continue;
                }
                uint64_t rl = p->rep[s].v[0].lo, rh = p->rep[s].v[p->rep[s].n - 1].hi;
                uint64_t tl = p->truth[s].v[0].lo, th = p->truth[s].v[p->truth[s].n - 1].hi;
                uint64_t d = (rl > tl ? rl - tl : tl - rl) + (rh > th ? rh - th : th - rh);
                edge_dist += d;
                exact &= d == 0;
            }
            exact_edges += exact;
        }
    }

    printf("passages: %zu rows; %zu on planted pairs, %zu on other pairs (%.1f MB of text, "
           "both sides; copies and chance shared paragraphs, not judged)\n",
           st->rows, st->planted_rows, st->other_rows, (double)st->other_bytes / 1e6);
    printf("  offsets checked on planted pairs: %zu passages, %zu with text_a/text_b not equal "
           "to the corpus bytes, %zu with offsets out of range\n",
           st->text_checked, st->text_bad, st->bad_range);
    printf("accuracy, bytes of both sides of %zu planted splices (%.2f MB of truth):\n", ps->n,
           (double)T / 1e6);
    printf("  recall    %.4f  (%" PRIu64 " of %" PRIu64 " truth bytes covered; goal >= 0.95)\n",
           T ? (double)C / (double)T : 1.0, C, T);
    if (R)
        printf("  precision %.4f  (%" PRIu64 " of %" PRIu64 " reported bytes inside the truth; "
               "goal >= 0.95)\n",
               (double)C / (double)R, C, R);
    else
        printf("  precision n/a   (nothing reported on planted pairs)\n");
    printf("  recipient side only, passages with any document: recall %.4f (the splice found as "
           "reuse, perhaps of another document holding the same text)\n",
           TA ? (double)CA / (double)TA : 1.0);
    printf("  splices by recall: none %zu, (0, 0.5) %zu, [0.5, 0.95) %zu, [0.95, 1) %zu, "
           "1 %zu\n",
           hist[0], hist[1], hist[2], hist[3], hist[4]);
    static const char *const bname[3] = { "< 400", "400-799", ">= 800" };
    for (int b = 0; b < 3; b++)
        if (nsize[b])
            printf("  splices of %-7s bytes a side: %5zu, recall %.4f, %5zu with recall >= "
                   "0.95\n",
                   bname[b], nsize[b], tsize[b] ? (double)csize[b] / (double)tsize[b] : 1.0,
                   nsize_ok[b]);
    if (with_any)
        printf("  of %zu splices found: %zu with both edges exact on both sides; mean distance "
               "of the outer edges from the truth's %.1f bytes a splice (4 edges); %zu "
               "reach outside the truth\n",
               with_any, exact_edges, (double)edge_dist / (double)with_any, wide);

    if (nex <= 0 || ps->n == 0)
        return;
    size_t *ord = xrealloc(NULL, ps->n * sizeof *ord);
    for (size_t i = 0; i < ps->n; i++)
        ord[i] = i;
    sort_ps = ps;
    qsort(ord, ps->n, sizeof *ord, cmp_by_miss);
    size_t shown = 0;
    for (size_t i = 0; i < ps->n && shown < (size_t)nex; i++)
        if (ps->v[ord[i]].c_bytes == 0) {
            if (shown++ == 0)
                printf("examples of missed splices (nothing of the truth reported):\n");
            print_pair(tm, &ps->v[ord[i]], 0);
        }
    shown = 0;
    for (size_t i = 0; i < ps->n && shown < (size_t)nex; i++) {
        const pair *p = &ps->v[ord[i]];
        if (p->c_bytes > 0 && miss_of(p) > 0.05) {
            if (shown++ == 0)
                printf("examples of splices found in part (worst first):\n");
            print_pair(tm, p, 0);
        }
    }
    qsort(ord, ps->n, sizeof *ord, cmp_by_excess);
    shown = 0;
    for (size_t i = 0; i < ps->n && shown < (size_t)nex; i++) {
        const pair *p = &ps->v[ord[i]];
        if (p->r_bytes > p->c_bytes) {
            if (shown++ == 0)
                printf("examples of passages reaching past the truth (most bytes outside "
                       "first):\n");
            print_pair(tm, p, 1);
        }
    }
    free(ord);
}

/* ---------------------------------------------------------------------------------------- */

static long parse_count(const char *opt, const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < min || v > max) {
        fprintf(stderr, "bench_passages: bad value for -%s: '%s'\n%s", opt, s, usage_line);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    const char *reprint = "./reprint", *threads = NULL, *keep = NULL, *existing = NULL;
    const char *keep_rows = NULL;
    long runs = 1, nex = 5;
    char *extra[MAX_EXTRA];
    int nextra = 0;
    int c;
    opterr = 0;
    while ((c = getopt(argc, argv, ":r:j:R:a:o:O:e:x:h")) != -1) {
        switch (c) {
        case 'r':
            reprint = optarg;
            break;
        case 'j':
            parse_count("j", optarg, 1, 4096);
            threads = optarg;
            break;
        case 'R':
            runs = parse_count("R", optarg, 1, MAX_RUNS);
            break;
        case 'a':
            if (nextra == MAX_EXTRA) {
                fprintf(stderr, "bench_passages: at most %d -a arguments\n%s", MAX_EXTRA,
                        usage_line);
                return 2;
            }
            extra[nextra++] = optarg;
            break;
        case 'o':
            keep = optarg;
            break;
        case 'O':
            keep_rows = optarg;
            break;
        case 'e':
            existing = optarg;
            break;
        case 'x':
            nex = parse_count("x", optarg, 0, 1000);
            break;
        case 'h':
            fputs(usage_line, stdout);
            return 0;
        case ':':
            fprintf(stderr, "bench_passages: option -%c needs a value\n%s", optopt, usage_line);
            return 2;
        default:
            fprintf(stderr, "bench_passages: unknown option -%c\n%s", optopt, usage_line);
            return 2;
        }
    }
    if (argc - optind != 2) {
        fputs(usage_line, stderr);
        return 2;
    }
    const char *corpus = argv[optind], *truthf = argv[optind + 1];

    pairset ps = { 0 };
    load_truth(&ps, truthf);
    struct stat sb;
    if (stat(corpus, &sb) != 0)
        die("cannot stat %s", corpus);
    double mb = (double)sb.st_size / 1e6;

    /* Wanted texts: both documents of every planted pair. */
    textmap tm = { 0 };
    tm.id = xrealloc(NULL, (2 * ps.n + 1) * sizeof *tm.id);
    for (size_t i = 0; i < ps.n; i++) {
        tm.id[tm.n++] = ps.v[i].id[0];
        tm.id[tm.n++] = ps.v[i].id[1];
    }
    qsort(tm.id, tm.n, sizeof *tm.id, cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < tm.n; i++)
        if (u == 0 || strcmp(tm.id[u - 1], tm.id[i]) != 0)
            tm.id[u++] = tm.id[i];
    tm.n = u;
    tm.text = calloc(u + 1, sizeof *tm.text);
    tm.len = calloc(u + 1, sizeof *tm.len);
    if (!tm.text || !tm.len)
        die("out of memory");

    /* The runs come first, before this process holds any text (their RSS is their own). */
    char tmpl[] = "/tmp/bench_passages.XXXXXX", rows_tmpl[] = "/tmp/bench_passages.XXXXXX";
    const char *passages = existing, *rows = keep_rows;
    if (!existing) {
        if (!keep_rows) {
            int fd = mkstemp(rows_tmpl);
            if (fd < 0)
                die("cannot create a temporary file in /tmp");
            close(fd);
            rows = rows_tmpl;
        }
        if (!keep) {
            int fd = mkstemp(tmpl);
            if (fd < 0)
                die("cannot create a temporary file in /tmp");
            close(fd);
            passages = tmpl;
        } else {
            passages = keep;
        }
        /* argv of both runs: reprint scan -q [-j N] --fast|--passages FILE corpus */
        char *fast[8], *full[9 + MAX_EXTRA];
        int nf = 0, nu = 0;
        fast[nf++] = full[nu++] = (char *)(uintptr_t)reprint;
        fast[nf++] = full[nu++] = "scan";
        fast[nf++] = full[nu++] = "-q";
        if (threads) {
            fast[nf++] = full[nu++] = "-j";
            fast[nf++] = full[nu++] = (char *)(uintptr_t)threads;
        }
        fast[nf++] = "--fast";
        for (int k = 0; k < nextra; k++)
            full[nu++] = extra[k];
        full[nu++] = "--passages";
        full[nu++] = (char *)(uintptr_t)passages;
        fast[nf++] = full[nu++] = (char *)(uintptr_t)corpus;
        fast[nf] = full[nu] = NULL;

        size_t ndocs = load_texts(&(textmap){ 0 }, corpus); /* count only; warms the cache */
        printf("corpus %s: %zu documents, %.1f MB; %zu planted splices\n", corpus, ndocs, mb,
               ps.n);
        printf("commands:\n");
        print_cmd(fast, NULL);
        print_cmd(full, rows);
        runres best_fast = { 0, 0, 0, -1 }, best_full = { 0, 0, 0, -1 };
        int ru_any = 0; /* some full run succeeded: its rows are in the file rows */
        for (long k = 0; k < runs; k++) {
            printf("run %ld of %ld:\n", k + 1, runs);
            runres rf = run(fast, NULL);
            print_run("fast", rf, mb, ndocs);
            runres ru = run(full, rows);
            ru_any |= ru.status == 0;
            print_run("full", ru, mb, ndocs);
            if (rf.status == 0 && (best_fast.status != 0 || rf.wall < best_fast.wall))
                best_fast = rf;
            if (ru.status == 0 && (best_full.status != 0 || ru.wall < best_full.wall))
                best_full = ru;
            if (rf.status == 0 && best_fast.maxrss_kb < rf.maxrss_kb)
                best_fast.maxrss_kb = rf.maxrss_kb;
            if (ru.status == 0 && best_full.maxrss_kb < ru.maxrss_kb)
                best_full.maxrss_kb = ru.maxrss_kb;
        }
        if (runs > 1) {
            printf("fastest of %ld runs (peak RSS: the largest):\n", runs);
            print_run("fast", best_fast, mb, ndocs);
            print_run("full", best_full, mb, ndocs);
        }
        if (best_fast.status == 0 && best_full.status == 0) {
            long fast_kb = best_fast.maxrss_kb ? best_fast.maxrss_kb : 1;
            printf("full scan throughput / fast path throughput: %.3f (goal >= 0.333); "
                   "peak RSS full / fast: %.2f\n",
                   best_fast.wall / best_full.wall, (double)best_full.maxrss_kb / (double)fast_kb);
        }
        if (ru_any)
            print_relations(rows);
        if (!keep_rows)
            unlink(rows_tmpl);
        if (best_full.status != 0) {
            printf("the full scan failed: no passages to judge\n");
            if (!keep)
                unlink(tmpl);
            return 1;
        }
    } else {
        printf("passages %s (no runs); %zu planted splices\n", existing, ps.n);
    }

    load_texts(&tm, corpus);
    pstats st = { 0 };
    read_passages(passages, &ps, &tm, &st);
    report(&ps, &tm, &st, (int)nex);
    if (!existing && !keep)
        unlink(tmpl);

    for (size_t i = 0; i < ps.n; i++)
        for (int s = 0; s < 2; s++) {
            free(ps.v[i].id[s]);
            free(ps.v[i].truth[s].v);
            free(ps.v[i].rep[s].v);
        }
    for (size_t i = 0; i < ps.n; i++)
        free(ps.v[i].any.v);
    free(ps.v);
    free(ps.by_recipient);
    for (size_t i = 0; i < tm.n; i++)
        free(tm.text[i]);
    free(tm.text);
    free(tm.len);
    free(tm.id);
    return 0;
}
