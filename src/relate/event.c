/* SPDX-License-Identifier: MIT */
/*
 * event.c -- stage 6: the evidence that tells one event from another of the
 * same kind. Two reports of one event written independently share the
 * event's specifics: the names of its people and places and its figures.
 * Two events of one kind (two earthquakes, two meetings of the same two men,
 * two bond issues written on one template) share the topic's words and
 * differ in exactly these specifics, and in the day their lead gives.
 *
 * - A specific is a name (a word starting with an upper-case or title-case
 *   letter that does not open its sentence: in scripts with letter case,
 *   that is how a name is written) or a figure (a token holding a digit, in
 *   any script). Scripts without case have no names by this rule, only
 *   figures.
 * - The days a text names: weekdays and dates. Two reports of one event
 *   name its day; background adds other days, so only texts that name days
 *   and have none in common name other days.
 * - The figures a text states: runs of digits as written ("7-3/4", "1.12",
 *   "10,000"), in any script. Two reports of one event repeat its figures (a
 *   toll, a price, a score); two reports of two events on one template fill
 *   its slots with other figures.
 * - Slots filled differently: a specific on each side that the other side
 *   lacks. Shared wording whose names or figures fill its slots differently
 *   is a template ("X is issuing a N mln dlr eurobond due ... lead manager Y
 *   said"); two texts whose figures do are reports of other events.
 */
#include "relate.h"
#include "normalize.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

int rpi_specific_kind(const char *text, const rpi_token *tok, const uint32_t *sent, size_t i,
                      int shouting)
{
    if (rpi_has_digit(text, &tok[i]))
        return RPI_SPEC_FIGURE;
    if (!shouting && i > 0 && sent[i] == sent[i - 1] && rpi_starts_upper(text, &tok[i]))
        return RPI_SPEC_NAME;
    return RPI_SPEC_NONE;
}

size_t rpi_figure_run(const char *text, const rpi_token *tok, const uint8_t *kind, size_t n,
                      size_t i, uint64_t *key)
{
    uint64_t h = tok[i].hash;
    size_t j = i + 1;
    while (j < n && kind[j] == RPI_SPEC_FIGURE && tok[j].start == tok[j - 1].end + 1 &&
           strchr(".,/-:", text[tok[j - 1].end]) && text[tok[j - 1].end]) {
        uint64_t v[3] = {h, (unsigned char)text[tok[j - 1].end], tok[j].hash};
        h = rpi_hash64(v, sizeof v, 0x66696775);
        j++;
    }
    *key = h;
    return j;
}

int rpi_slots_differ(const uint64_t *sa, const float *wa, size_t na, const uint64_t *sb,
                     const float *wb, size_t nb, int kinds)
{
    size_t both[2] = {0, 0}, only_a[2] = {0, 0}, only_b[2] = {0, 0};
    double wboth[2] = {0, 0}, wonly_a[2] = {0, 0}, wonly_b[2] = {0, 0};
    size_t i = 0, j = 0;
    int m = kinds > 1;
    while (i < na || j < nb) {
        if (j == nb || (i < na && sa[i] < sb[j])) {
            only_a[m & sa[i]]++;
            wonly_a[m & sa[i]] += wa ? wa[i] : 1;
            i++;
        } else if (i == na || sb[j] < sa[i]) {
            only_b[m & sb[j]]++;
            wonly_b[m & sb[j]] += wb ? wb[j] : 1;
            j++;
        } else {
            /* (a shared specific weighs as the lighter of its two forms) */
            double x = wa ? wa[i] : 1, y = wb ? wb[j] : 1;
            both[m & sa[i]]++;
            wboth[m & sa[i]] += x < y ? x : y;
            i++;
            j++;
        }
    }
    for (int k = 0; k < kinds; k++) {
        size_t slots = only_a[k] < only_b[k] ? only_a[k] : only_b[k];
        double wslots = wonly_a[k] < wonly_b[k] ? wonly_a[k] : wonly_b[k];
        if (slots >= RPI_DIFFER_MIN && (slots >= both[k] || wslots >= wboth[k]))
            return 1;
    }
    return 0;
}

/*
 * Names of weekdays and months in the languages of the labelled news sets
 * and their neighbours (English, German, French, Spanish, Italian,
 * Portuguese, Dutch, Polish with its case forms, Turkish, Arabic), written
 * as the tokenizer normalises them (NFKC, case-folded): a token is looked up
 * by its hash. German compounds of a weekday with a time of day
 * ("Freitagabend") are listed too. A closed class of words: the only word
 * lists event evidence needs. Arabic months are also named as in the
 * Maghreb ("ماي", "جوان") and the Levant ("أيار", "حزيران"); of the Levant's,
 * only the names of one word and one month: "كانون" and "تشرين" each name
 * two.
 */
static const char *const weekday_names[7] = {
    ("monday montag lundi lunes lunedì maandag poniedziałek poniedziałku pazartesi الاثنين "
     "الإثنين"),
    "tuesday dienstag mardi martes martedì dinsdag wtorek wtorku salı الثلاثاء",
    ("wednesday mittwoch mercredi miércoles mercoledì woensdag środa środę środy środzie çarşamba "
     "الأربعاء الاربعاء"),
    "thursday donnerstag jeudi jueves giovedì donderdag czwartek czwartku perşembe الخميس",
    "friday freitag vendredi viernes venerdì vrijdag piątek piątku cuma الجمعة",
    ("saturday samstag sonnabend samedi sábado sabato zaterdag sobota sobotę soboty cumartesi "
     "السبت"),
    ("sunday sonntag dimanche domingo domenica zondag niedziela niedzielę niedzieli الأحد "
     "الاحد")};
static const char *const german_times[] = {"morgen", "vormittag", "mittag", "nachmittag", "abend",
                                           "nacht"};
static const char *const month_names[12] = {
    "january jan januar janvier enero gennaio janeiro januari styczeń stycznia ocak يناير جانفي",
    "february feb februar février febrero febbraio fevereiro februari luty lutego şubat فبراير فيفري شباط",
    "march mar märz mars marzo março maart marzec marca mart مارس آذار اذار",
    "april apr avril abril aprile kwiecień kwietnia nisan أبريل إبريل ابريل أفريل افريل نيسان",
    "may mai mayo maggio maio mei maj maja mayıs مايو ماي أيار ايار",
    "june jun juni juin junio giugno junho czerwiec czerwca haziran يونيو جوان حزيران",
    "july jul juli juillet julio luglio julho lipiec lipca temmuz يوليو جويلية تموز",
    "august aug août agosto augustus sierpień sierpnia ağustos أغسطس أوت اوت آب",
    ("september sep sept septembre septiembre setiembre settembre setembro wrzesień września eylül "
     "سبتمبر أيلول ايلول"),
    "october oct oktober octobre octubre ottobre outubro październik października ekim أكتوبر",
    "november nov novembre noviembre novembro listopad listopada kasım نوفمبر",
    "december dec dezember décembre diciembre dicembre dezembro grudzień grudnia aralık ديسمبر"};

typedef struct named {
    uint64_t hash; /* token hash of the word */
    int8_t weekday, month; /* 0..6, 0..11, or -1 */
    uint8_t capital; /* a month only when capitalised ("May", not the verb "may") */
} named;

/* Month names that are also common words in lower case. */
static const char *const capital_only[] = {"may", "mar"};

#define NAMED_CAP 320
static named names_tab[NAMED_CAP];
static size_t nnames_tab;
/* One bit per value of 12 bits of a name's hash: most words are no name, and
 * their bit is clear (rpi_when_read, mostly this binary search inlined for
 * every token, was 3.0% of a full scan's CPU samples on the news corpus). */
static uint64_t names_bits[64];

static unsigned name_bit(uint64_t h)
{
    return (unsigned)(h >> 20) & 4095;
}
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

static void add_name(const char *w, size_t n, int weekday, int month)
{
    uint8_t capital = 0;
    for (size_t k = 0; k < sizeof capital_only / sizeof *capital_only; k++)
        capital |= strlen(capital_only[k]) == n && memcmp(capital_only[k], w, n) == 0;
    if (nnames_tab < NAMED_CAP)
        names_tab[nnames_tab++] = (named){rpi_token_hash(w, n), (int8_t)weekday, (int8_t)month,
                                          capital};
}

static void add_list(const char *list, int weekday, int month)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        add_name(p, n, weekday, month);
        if (weekday >= 0 && n > 3 && memcmp(p + n - 3, "tag", 3) == 0) /* German */
            for (size_t k = 0; k < sizeof german_times / sizeof *german_times; k++) {
                char buf[40];
                size_t m = strlen(german_times[k]);
                memcpy(buf, p, n);
                memcpy(buf + n, german_times[k], m);
                add_name(buf, n + m, weekday, month);
            }
        p += n + (e != NULL);
    }
}

static int cmp_named(const void *x, const void *y)
{
    const named *a = x, *b = y;
    return (a->hash > b->hash) - (a->hash < b->hash);
}

static void init_names(void)
{
    for (int d = 0; d < 7; d++)
        add_list(weekday_names[d], d, -1);
    for (int m = 0; m < 12; m++)
        add_list(month_names[m], -1, m);
    qsort(names_tab, nnames_tab, sizeof *names_tab, cmp_named);
    for (size_t i = 0; i < nnames_tab; i++)
        names_bits[name_bit(names_tab[i].hash) >> 6] |= 1ULL << (name_bit(names_tab[i].hash) & 63);
}

static const named *lookup(uint64_t h)
{
    if (!(names_bits[name_bit(h) >> 6] >> (name_bit(h) & 63) & 1))
        return NULL;
    size_t lo = 0, hi = nnames_tab;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (names_tab[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nnames_tab && names_tab[lo].hash == h ? &names_tab[lo] : NULL;
}

/* The weekday or month that token t names (a month written "may" in lower case
 * is none), or NULL. After init_names. */
static const named *day_name(const char *text, const rpi_token *t)
{
    const named *nm = lookup(t->hash);
    if (nm && nm->month >= 0 && nm->capital && !rpi_starts_upper(text, t))
        return NULL;
    return nm && (nm->weekday >= 0 || nm->month >= 0) ? nm : NULL;
}

int rpi_day_word(const char *text, const rpi_token *t)
{
    pthread_once(&names_once, init_names);
    const named *nm = day_name(text, t);
    return !nm ? 0 : nm->weekday >= 0 ? RPI_DAY_WEEKDAY : RPI_DAY_MONTH;
}

/* The value of a token of at most 4 digits (of any script: "١٥ مايو"), or -1. */
static int small_number(const char *text, const rpi_token *t)
{
    int v = 0, digits = 0;
    for (uint32_t i = t->start; i < t->end; digits++) {
        int32_t cp;
        int k = rpi_decode(text, t->end, i, &cp);
        int32_t d = k > 0 ? rpi_ascii_digit(cp) : -1;
        if (digits == 4 || d < '0' || d > '9')
            return -1;
        v = v * 10 + (d - '0');
        i += (uint32_t)k;
    }
    return v;
}

/* A word between a day and its month: "21 de marzo", "21 di marzo", "the 21st of March". */
static int is_particle(const char *text, const rpi_token *t)
{
    static const char *const w[] = {"de", "del", "di", "du", "of"};
    size_t n = t->end - t->start;
    for (size_t k = 0; k < sizeof w / sizeof *w; k++)
        if (strlen(w[k]) == n && memcmp(text + t->start, w[k], n) == 0)
            return 1;
    return 0;
}

/* The bytes between tokens a and a + 1 are exactly the one character c. */
static int joined_by(const char *text, const rpi_token *tok, size_t a, char c)
{
    return tok[a + 1].start == tok[a].end + 1 && text[tok[a].end] == c;
}

static void add_date(rpi_when *w, int month, int day, int year)
{
    if (month < 1 || month > 12 || day < 1 || day > 31)
        return;
    uint16_t md = (uint16_t)(month * 100 + day + (year ? RPI_WHEN_YEAR : 0));
    for (unsigned i = 0; i < w->ndates; i++)
        if (w->dates[i] == md)
            return;
    if (w->ndates < RPI_WHEN_DATES)
        w->dates[w->ndates++] = md;
}

/* A time zone or "hours" after four digits makes them a time ("1930 GMT"). */
static int is_zone(const char *text, const rpi_token *t)
{
    static const char *const w[] = {"gmt", "utc", "hrs", "hours", "est", "edt", "cet", "cest",
                                    "bst", "local"};
    size_t n = t->end - t->start;
    for (size_t k = 0; k < sizeof w / sizeof *w; k++)
        if (strlen(w[k]) == n && strncasecmp(text + t->start, w[k], n) == 0)
            return 1;
    return 0;
}

void rpi_when_read(const char *text, const rpi_token *tok, size_t n, rpi_when *w)
{
    pthread_once(&names_once, init_names);
    memset(w, 0, sizeof *w);
    for (size_t i = 0; i < n; i++) {
        const named *nm = day_name(text, &tok[i]);
        if (nm && nm->weekday >= 0) {
            w->weekdays |= (uint8_t)(1u << nm->weekday);
            continue;
        }
        if (nm) {
            /* "21 March", "21. März", "21 de marzo"; "March 21" */
            int d = i >= 1 ? small_number(text, &tok[i - 1]) : -1;
            size_t last = i; /* the date's last token */
            if ((d < 1 || d > 31) && i >= 2 && is_particle(text, &tok[i - 1]))
                d = small_number(text, &tok[i - 2]);
            if ((d < 1 || d > 31) && i + 1 < n) {
                d = small_number(text, &tok[i + 1]);
                last = i + 1;
            }
            /* Written with its year: "21 March 2014", "21 de marzo del 2014",
             * "March 21, 2014" (not a time: "21 March 2300 GMT", "21 March 1930 GMT"). */
            size_t y = last + 1;
            if (y < n && is_particle(text, &tok[y]))
                y++;
            int yv = y < n ? small_number(text, &tok[y]) : -1; /* (at most 4 digits) */
            int year = yv >= 1800 && yv <= 2100 && !(y + 1 < n && is_zone(text, &tok[y + 1]));
            add_date(w, nm->month + 1, d, year);
            continue;
        }
        /* 2025-03-22; 22.03.2025 */
        if (i + 2 < n && joined_by(text, tok, i, '-') && joined_by(text, tok, i + 1, '-') &&
            small_number(text, &tok[i]) >= 1800) {
            add_date(w, small_number(text, &tok[i + 1]), small_number(text, &tok[i + 2]), 1);
            i += 2;
        } else if (i + 2 < n && joined_by(text, tok, i, '.') && joined_by(text, tok, i + 1, '.') &&
                   small_number(text, &tok[i]) >= 1 &&
                   small_number(text, &tok[i + 2]) >= 1800) {
            add_date(w, small_number(text, &tok[i + 1]), small_number(text, &tok[i]), 1);
            i += 2;
        }
    }
}

/* The bits of a float in an order that sorts as its value does. A key holds
 * a figure's lower end so and its upper end without the last 4 bits
 * (rpi_figure_key); figure_ends reads them back, a single value's whole. */
static uint32_t ordered_bits(double x)
{
    float v = (float)x;
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    return u & 0x80000000u ? ~u : u | 0x80000000u;
}

static double from_ordered_bits(uint32_t u)
{
    u = u & 0x80000000u ? u & 0x7fffffffu : ~u;
    float v;
    memcpy(&v, &u, sizeof v);
    return v;
}

uint64_t rpi_figure_key(const rpi_figure *f)
{
    if (f->kind > RPI_FIG_PERCENT)
        return 0; /* times and years are not what an event counts */
    /* A count and a range compare by their ends; an approximation states the
     * value. The class (never 0) first, then the ends as floats in order. */
    uint64_t kind = f->kind == RPI_FIG_AMOUNT ? 1 : f->kind == RPI_FIG_PERCENT ? 2 : 0;
    uint64_t qual = f->qual == RPI_QUAL_APPROX ? RPI_QUAL_EXACT : f->qual;
    return (1 + kind * 4 + qual) << 60 | (uint64_t)ordered_bits(f->lo) << 28 |
           ordered_bits(f->hi) >> 4;
}

/* x in units of 10^k: multiplied by 10^-k when k < 0, which is exact where
 * dividing by 0.1 is not. */
static double in_units(double x, int k)
{
    return k < 0 ? x * pow(10, -k) : x / pow(10, k);
}

/* The place k (10^k) of the last significant digit of x > 0: 1.35e9: 7;
 * 310: 1; 7.8: -1. (x comes back from a float, a range's upper end without
 * its last 4 bits: digits agree to 1e-5.) */
static int last_place(double x)
{
    int k = (int)floor(log10(x));
    for (; k > -9; k--) {
        double q = in_units(x, k);
        if (fabs(q - floor(q + 0.5)) <= 1e-5 * q)
            break;
    }
    return k;
}

/* Are two values one figure written at two precisions: the one written to
 * fewer digits, at least two ("300" is one: it covers 250 to 350), is the
 * other rounded to as many (half up)? */
static int same_value(double x, double y)
{
    if (x == y)
        return 1;
    if (x == 0 || y == 0 || (x < 0) != (y < 0) || !isfinite(x) || !isfinite(y))
        return 0; /* (a value past a float's range comes back infinite: no rounding) */
    x = fabs(x);
    y = fabs(y);
    int kx = last_place(x), ky = last_place(y);
    int k = kx > ky ? kx : ky;
    double coarse = in_units(kx > ky ? x : y, k), fine = in_units(kx > ky ? y : x, k);
    return coarse >= 10 - 1e-3 && fabs(floor(fine + 0.5 + 1e-5 * fine) - coarse) <= 1e-5 * coarse;
}

static void figure_ends(uint64_t key, double *lo, double *hi)
{
    uint32_t l = (uint32_t)(key >> 28), h = (uint32_t)(key << 4);
    *lo = from_ordered_bits(l);
    *hi = (l >> 4) == (h >> 4) ? *lo : from_ordered_bits(h);
}

int rpi_figures_disjoint(const uint64_t *fa, size_t na, const uint64_t *fb, size_t nb)
{
    if (na < RPI_EVENT_MIN_FIGURES || nb < RPI_EVENT_MIN_FIGURES)
        return 0;
    for (size_t i = 0; i < na; i++) {
        uint64_t cls = fa[i] >> 60;
        double lo, hi;
        figure_ends(fa[i], &lo, &hi);
        /* b's figures of that class whose value may be lo's: two digits
         * rounded differ by at most 5% (one in twenty), so within 10% */
        double reach = fabs(lo) / 10;
        uint64_t from = cls << 60 | (uint64_t)ordered_bits(lo - reach) << 28;
        for (size_t j = rpi_lower_bound_u64(fb, nb, from); j < nb && fb[j] >> 60 == cls; j++) {
            double lo2, hi2;
            figure_ends(fb[j], &lo2, &hi2);
            if (lo2 > lo + reach)
                break;
            if (same_value(lo, lo2) && same_value(hi, hi2))
                return 0;
        }
    }
    return 1;
}

/* Are the bytes [a, b) of text only spaces, dots, hyphens or apostrophes (one to three)? */
static int only_joiners(const char *text, uint32_t a, uint32_t b)
{
    if (b <= a || b - a > 3)
        return 0;
    for (uint32_t k = a; k < b; k++)
        if (!strchr(" .-'", text[k]) || !text[k])
            return 0;
    return 1;
}

/* Does a line start at byte `at` of text (only spaces or tabs before it on its line)? */
static int starts_line(const char *text, uint32_t at)
{
    while (at > 0 && (text[at - 1] == ' ' || text[at - 1] == '\t'))
        at--;
    return at == 0 || text[at - 1] == '\n';
}

/* Is the text from byte at on a dash that ends a dateline ("-", "--", en or
 * em dash) after spaces? */
static int dash_at(const char *text, uint32_t at, uint32_t end)
{
    while (at < end && (text[at] == ' ' || text[at] == '\t'))
        at++;
    if (at < end && text[at] == '-')
        return 1;
    /* U+2013, U+2014: E2 80 93, E2 80 94 */
    return at + 2 < end && (unsigned char)text[at] == 0xE2 && (unsigned char)text[at + 1] == 0x80 &&
           ((unsigned char)text[at + 2] == 0x93 || (unsigned char)text[at + 2] == 0x94);
}

/*
 * Does a dateline end after place word j: ", Month D[, YYYY] -" or
 * " (Agency) -"? Returns the end of the tokens it covers (the agency's words
 * with it), or 0.
 */
static size_t dateline_tail(const char *text, size_t len, const rpi_token *tok, size_t n,
                            size_t j)
{
    uint32_t e = tok[j].end;
    while (e < len && text[e] == '.')
        e++;
    if (e >= len || j + 1 >= n)
        return 0;
    if (text[e] == ',') {
        const named *m = day_name(text, &tok[j + 1]);
        if (!m || m->month < 0 || j + 2 >= n)
            return 0;
        int day = small_number(text, &tok[j + 2]);
        if (day < 1 || day > 31)
            return 0;
        uint32_t after = tok[j + 2].end;
        if (j + 3 < n && after < len && text[after] == ',' &&
            small_number(text, &tok[j + 3]) >= 1800)
            after = tok[j + 3].end;
        return dash_at(text, after, (uint32_t)len) ? j + 1 : 0;
    }
    while (e < len && text[e] == ' ')
        e++;
    if (e >= len || text[e] != '(')
        return 0;
    const char *close = memchr(text + e, ')', len - e < 40 ? len - e : 40);
    if (!close || !dash_at(text, (uint32_t)(close - text) + 1, (uint32_t)len))
        return 0;
    size_t end = j + 1;
    while (end < n && tok[end].start < (uint32_t)(close - text))
        end++;
    return end;
}

uint64_t rpi_dateline(const char *text, size_t len, const rpi_token *tok, size_t n,
                      size_t place[2])
{
    pthread_once(&names_once, init_names);
    int lines = 0;
    for (size_t i = 0; i < n; i++) {
        if (!starts_line(text, tok[i].start))
            continue;
        if (++lines > RPI_DATELINE_LINES)
            break;
        /* The place: one to four words of letters, joined by spaces, dots,
         * hyphens or apostrophes only, then the tail. */
        uint64_t key = 0x646c696e65ULL; /* "dline" */
        for (size_t j = i; j < n && j < i + 4; j++) {
            int letters = 1;
            for (uint32_t b = tok[j].start; b < tok[j].end && letters; b++)
                letters = !(text[b] >= '0' && text[b] <= '9');
            if (!letters || (j > i && !only_joiners(text, tok[j - 1].end, tok[j].start)))
                break;
            key = rpi_hash64(&(uint64_t[2]){key, tok[j].hash}, 16, 0x706c6163);
            size_t end = dateline_tail(text, len, tok, n, j);
            if (end) {
                if (place) {
                    place[0] = i;
                    place[1] = end;
                }
                return key | 1;
            }
        }
    }
    if (place)
        place[0] = place[1] = 0;
    return 0;
}

/* Weekdays w (Monday..Sunday as bits 0..6) and their neighbours, Sunday next to Monday. */
static unsigned with_neighbours(unsigned w)
{
    return (w | w << 1 | w >> 6 | w >> 1 | w << 6) & 0x7fu;
}

/* Do the dates x and y name disagree? A date written with its year and one
 * written without are not told apart (no conflict) unless their days agree
 * (no conflict either). */
static int dates_conflict(const rpi_when *x, const rpi_when *y)
{
    int comparable = 0;
    for (unsigned i = 0; i < x->ndates; i++)
        for (unsigned j = 0; j < y->ndates; j++) {
            if (x->dates[i] % RPI_WHEN_YEAR == y->dates[j] % RPI_WHEN_YEAR)
                return 0;
            comparable |= (x->dates[i] >= RPI_WHEN_YEAR) == (y->dates[j] >= RPI_WHEN_YEAR);
        }
    return comparable;
}

int rpi_when_conflict(const rpi_when *x, const rpi_when *y, int next_day)
{
    if (x->weekdays && y->weekdays) {
        /* (next day: x's days and the days either side) */
        unsigned w = next_day ? with_neighbours(x->weekdays) : x->weekdays;
        if (!(w & y->weekdays))
            return 1;
    }
    return dates_conflict(x, y);
}

int rpi_when_neighbours(const rpi_when *x, const rpi_when *y)
{
    unsigned a = x->weekdays, b = y->weekdays;
    if (!a || !b || (a & ~with_neighbours(b)) || (b & ~with_neighbours(a)))
        return 0;
    return !dates_conflict(x, y);
}
