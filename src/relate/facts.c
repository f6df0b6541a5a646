/* SPDX-License-Identifier: MIT */
/*
 * facts.c -- stage 6: figures in a text (numbers, amounts, percentages,
 * ranges, dates, years, weekdays, months), read by value, so that two texts
 * saying the same thing with different figures can be told apart from two
 * texts saying it in other words.
 *
 * A figure is read with the words that carry its meaning: a qualifier before
 * it ("up to", "about", "more than"), a scale and a currency or percent sign
 * around it, and up to two words after it that say what it counts ("12,000
 * troops", "3,000 additional troops"). "10,000-12,000", "10,000 to 12,000",
 * "between 10,000 and 12,000" and "10000 to 12000" are one value, a range;
 * "up to 12,000" is a different value (a bound), while "about 10,000 to
 * 12,000" is the same range hedged: an approximation word (about, around,
 * some, roughly, nearly, approximately) does not change the value a figure
 * states, a bound ("up to", "more than", "at least") does. Seasons and relative words ("last
 * fall") are not figures. Word lists (qualifiers, scales, months, weekdays)
 * are English; digits are read in any script's text.
 */
#include "relate.h"
#include "normalize.h"

#include <math.h>
#include <pthread.h>
#include <string.h>
#include <utf8proc.h>

/* Is c an ASCII letter? Digits and letters glued to a number make it a code ("Hwasong-11"). */
static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* ASCII classes, as <ctype.h> gives them in the "C" locale the library runs in,
 * without its per-call table lookup (these scans read every byte of a text). */
static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(int c)
{
    return is_alpha(c) || is_digit(c);
}

static int is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

static int to_lower(int c)
{
    return is_upper(c) ? c + 32 : c;
}

/* The word starting at p (ASCII letters, apostrophes kept out), lower-cased into w. */
static size_t word_at(const char *t, size_t p, size_t end, char *w, size_t cap)
{
    size_t n = 0;
    while (p + n < end && is_alpha((unsigned char)t[p + n]) && n + 1 < cap) {
        w[n] = (char)to_lower((unsigned char)t[p + n]);
        n++;
    }
    w[n] = 0;
    return n;
}

/* Every word of a text is looked up in these short lists: the first two
 * letters reject most of them before a string comparison (strcmp was 9% of a
 * full scan's time when it compared every word with every entry, and still
 * 1% when the first letter alone let "the" through to "tuesday"). A word
 * (w[1] == 0) or an entry of one letter stops at the second. */
static int index_in(const char *w, const char *const *list)
{
    for (int k = 0; list[k]; k++)
        if (list[k][0] == w[0] && list[k][1] == w[1] &&
            (w[1] == 0 || strcmp(w + 2, list[k] + 2) == 0))
            return k;
    return -1;
}

static int in_list(const char *w, const char *const *list)
{
    return index_in(w, list) >= 0;
}

static const char *const weekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
                                       "saturday", "sunday", NULL};
static const char *const months[] = {"january", "february", "march",     "april",   "may",
                                     "june",    "july",     "august",    "september", "october",
                                     "november", "december", NULL};
static const char *const months3[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                      "sep", "oct", "nov", "dec", NULL};
/* Words that end the words carrying a figure (they start a new phrase). */
static const char *const function_words[] = {
    "to", "in", "of", "and", "or", "the", "a", "an", "as", "for", "on", "at", "from", "with",
    "by", "than", "that", "which", "who", "was", "were", "is", "are", "be", "been", "its",
    "it", "this", "their", "his", "her", "last", "this", "next", "per", "vs", "versus", NULL};
/*
 * The first two letters of every weekday and month name (both lists and the
 * abbreviations), from the lists themselves: a word whose first two letters
 * are none of them is no time word, and is not looked up (the look-ups of
 * every word of every text were 3% of a full scan's time).
 */
static uint8_t time_prefix[26][26];
static pthread_once_t time_prefix_once = PTHREAD_ONCE_INIT;

static void time_prefix_init(void)
{
    const char *const *lists[] = {weekdays, months, months3};
    for (size_t l = 0; l < sizeof lists / sizeof *lists; l++)
        for (int k = 0; lists[l][k]; k++)
            time_prefix[lists[l][k][0] - 'a'][lists[l][k][1] - 'a'] = 1;
}

/* Can the ASCII word of len letters at w be a weekday or a month? */
static int maybe_time_word(const char *w, size_t len)
{
    return len >= 3 && time_prefix[to_lower((unsigned char)w[0]) - 'a']
                                  [to_lower((unsigned char)w[1]) - 'a'];
}

static const char *const scales[] = {"thousand", "million", "mln", "billion", "bln", "trillion",
                                     NULL};
static const double scale_of[] = {1e3, 1e6, 1e6, 1e9, 1e9, 1e12};
static const char *const currencies[] = {"dollars", "dollar", "dlrs", "dlr", "pounds",
                                         "euros", "euro", "yen", "yuan", "roubles", "rubles",
                                         "francs", "marks", "crowns", NULL};
/* Percent after a figure, in the languages whose days are read (event.c):
 * "5 pct", "37,5 Prozent", "9,4 proc.", "12 procent"; and in two words, "per
 * cent", "por ciento", "pour cent", "per cento", "por cento". */
static const char *const percents[] = {"pct", "percent", "prozent", "procent", "proc", NULL};
static const char *const percents_of[] = {"per", "por", "pour", NULL};
static const char *const percents_cent[] = {"cent", "ciento", "cento", NULL};

/* The bytes of a currency sign ending at t[p] after lo ("$", "£", "€"), or 0. */
static size_t currency_before(const char *t, size_t lo, size_t p)
{
    const unsigned char *u = (const unsigned char *)t;
    if (p > lo && u[p - 1] == '$')
        return 1;
    if (p > lo + 1 && u[p - 2] == 0xC2 && u[p - 1] == 0xA3)
        return 2; /* £ */
    if (p > lo + 2 && u[p - 3] == 0xE2 && u[p - 2] == 0x82 && u[p - 1] == 0xAC)
        return 3; /* € */
    return 0;
}

/* Does a percent sign or word stand before the figure at t[p] ("%12", as
 * Turkish writes it, "yüzde 12")? */
static int percent_before(const char *t, size_t lo, size_t p)
{
    if (p > lo && t[p - 1] == '%')
        return 1;
    static const char yuzde[] = "y\xC3\xBCzde"; /* "yüzde" */
    size_t q = p;
    while (q > lo && (t[q - 1] == ' ' || t[q - 1] == '\t'))
        q--;
    size_t n = sizeof yuzde - 1;
    return q < p && q >= lo + n && (t[q - n] == 'y' || t[q - n] == 'Y') &&
           memcmp(t + q - n + 1, yuzde + 1, n - 1) == 0 &&
           (q == lo + n || !is_alpha((unsigned char)t[q - n - 1]));
}

/* Read a number at t[p..end): digits, groups ",ddd", a decimal part. */
static size_t read_number(const char *t, size_t p, size_t end, double *v)
{
    size_t i = p;
    double x = 0;
    if (i >= end || !is_digit((unsigned char)t[i]))
        return 0;
    while (i < end && is_digit((unsigned char)t[i]))
        x = x * 10 + (t[i++] - '0');
    /* Thousands groups: ",ddd" followed by no further digit. */
    size_t groups = i;
    while (i + 3 < end + 0 && t[i] == ',' && is_digit((unsigned char)t[i + 1]) &&
           is_digit((unsigned char)t[i + 2]) && is_digit((unsigned char)t[i + 3]) &&
           (i + 4 >= end || !is_digit((unsigned char)t[i + 4]))) {
        x = x * 1000 + (t[i + 1] - '0') * 100 + (t[i + 2] - '0') * 10 + (t[i + 3] - '0');
        i += 4;
    }
    /* A decimal comma: "37,5 Prozent", "yüzde 1,2", "33,35 %" (German,
     * French, Spanish, Polish, Turkish...): one or two digits after a comma
     * make no thousands group, so they are decimals (not when a list goes
     * on or came before: "1,2,3"). */
    int listed = p >= 2 && t[p - 1] == ',' && is_digit((unsigned char)t[p - 2]);
    if (i == groups && !listed && i + 1 < end && t[i] == ',' && is_digit((unsigned char)t[i + 1])) {
        size_t k = i + 2 < end && is_digit((unsigned char)t[i + 2]) ? 3 : 2;
        if (i + k >= end || (!is_digit((unsigned char)t[i + k]) &&
                             !(t[i + k] == ',' && i + k + 1 < end &&
                               is_digit((unsigned char)t[i + k + 1])))) {
            x += (t[i + 1] - '0') / 10.0 + (k == 3 ? (t[i + 2] - '0') / 100.0 : 0);
            *v = x;
            return i + k - p;
        }
    }
    if (i + 1 < end && t[i] == '.' && is_digit((unsigned char)t[i + 1])) {
        double f = 0.1;
        i++;
        while (i < end && is_digit((unsigned char)t[i])) {
            x += (t[i++] - '0') * f;
            f /= 10;
        }
    }
    *v = x;
    return i - p;
}

static size_t skip_spaces(const char *t, size_t p, size_t end)
{
    while (p < end && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
        p++;
    /* U+00A0 no-break space. */
    while (p + 1 < end && (unsigned char)t[p] == 0xC2 && (unsigned char)t[p + 1] == 0xA0)
        p += 2;
    return p;
}

/* A dash between two numbers: '-', U+2013, U+2014; returns its length or 0. */
static size_t dash_at(const char *t, size_t p, size_t end)
{
    if (p < end && t[p] == '-')
        return 1;
    if (p + 2 < end && (unsigned char)t[p] == 0xE2 && (unsigned char)t[p + 1] == 0x80 &&
        ((unsigned char)t[p + 2] == 0x93 || (unsigned char)t[p + 2] == 0x94))
        return 3;
    return 0;
}

/* Start of the word before position p (ASCII letters), or SIZE_MAX. */
static size_t word_before(const char *t, size_t lo, size_t p)
{
    size_t i = p;
    while (i > lo && (t[i - 1] == ' ' || t[i - 1] == '\n' || t[i - 1] == '\t'))
        i--;
    size_t e = i;
    while (i > lo && is_alpha((unsigned char)t[i - 1]))
        i--;
    return i < e ? i : SIZE_MAX;
}

/* The qualifier before a figure starting at p: its class and where it starts. */
static int qualifier(const char *t, size_t lo, size_t p, size_t *qstart)
{
    char w1[24], w2[24];
    size_t a = word_before(t, lo, p);
    if (a == SIZE_MAX)
        return RPI_QUAL_EXACT;
    word_at(t, a, p, w1, sizeof w1);
    size_t b = word_before(t, lo, a);
    w2[0] = 0;
    if (b != SIZE_MAX)
        word_at(t, b, a, w2, sizeof w2);
    static const char *const approx[] = {"about", "around", "some", "nearly", "almost",
                                         "approximately", "roughly", "approx", "circa",
                                         "estimated", NULL};
    static const char *const minimum[] = {"over", "least", "than", "exceeding", NULL};
    if (in_list(w1, approx)) {
        *qstart = a;
        return RPI_QUAL_APPROX;
    }
    if (strcmp(w1, "to") == 0 && strcmp(w2, "up") == 0) {
        *qstart = b;
        return RPI_QUAL_MAX;
    }
    if (strcmp(w1, "as") == 0 && b != SIZE_MAX && strcmp(w2, "many") == 0) {
        size_t c = word_before(t, lo, b);
        char w3[24];
        if (c != SIZE_MAX && word_at(t, c, b, w3, sizeof w3) && strcmp(w3, "as") == 0) {
            *qstart = c;
            return RPI_QUAL_MAX;
        }
    }
    if (strcmp(w1, "than") == 0 && (strcmp(w2, "more") == 0 || strcmp(w2, "fewer") == 0 ||
                                    strcmp(w2, "less") == 0)) {
        *qstart = b;
        return w2[0] == 'm' ? RPI_QUAL_MIN : RPI_QUAL_MAX;
    }
    if (strcmp(w1, "least") == 0 && strcmp(w2, "at") == 0) {
        *qstart = b;
        return RPI_QUAL_MIN;
    }
    if (strcmp(w1, "most") == 0 && strcmp(w2, "at") == 0) {
        *qstart = b;
        return RPI_QUAL_MAX;
    }
    if (strcmp(w1, "under") == 0) {
        *qstart = a;
        return RPI_QUAL_MAX;
    }
    if (in_list(w1, minimum) && strcmp(w1, "than") != 0 && strcmp(w1, "least") != 0) {
        *qstart = a;
        return RPI_QUAL_MIN;
    }
    return RPI_QUAL_EXACT;
}

static void add(rpi_figure *out, size_t cap, size_t *n, const rpi_figure *f)
{
    if (*n < cap)
        out[*n] = *f;
    (*n)++;
}

/*
 * The word of letters of any script starting at p (letters and combining
 * marks, as utf8proc classes them: "people", "víctimas", "شخصا", "человек";
 * invisible characters such as a zero-width non-joiner or a soft hyphen inside
 * it are passed over, as the tokens pass them over), lower-cased into w as
 * UTF-8: its first cap - 1 bytes, never cut inside a character. In a script
 * written without spaces a word is one character, as its tokens are ("14人":
 * "人"). Returns the bytes it spans in t, 0 when p starts no letter; *beyond
 * tells whether any of them is beyond ASCII (in the text: "İ" lower-cases to
 * "i"). An ASCII word comes out as word_at gives it.
 */
static size_t letters_at(const char *t, size_t p, size_t end, char *w, size_t cap, size_t *wlen,
                         int *beyond)
{
    size_t q = p, n = 0;
    int full = 0;
    *beyond = 0;
    while (q < end) {
        int32_t cp;
        int k = 1;
        if ((unsigned char)t[q] < 0x80) {
            if (!is_alpha((unsigned char)t[q]))
                break;
            cp = to_lower((unsigned char)t[q]);
        } else {
            k = rpi_decode(t, end, q, &cp);
            if (k <= 0)
                break;
            if (q > p && utf8proc_get_property(cp)->ignorable) {
                q += (size_t)k;
                *beyond = 1;
                continue;
            }
            utf8proc_category_t cat = utf8proc_category(cp);
            if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_ME)
                break; /* (the letter and mark categories are contiguous) */
            if (rpi_is_nospace_cp(cp) && q > p)
                break;
            cp = utf8proc_tolower(cp);
            *beyond = 1;
        }
        utf8proc_uint8_t enc[4];
        size_t m = (size_t)utf8proc_encode_char(cp, enc);
        if (!full && n + m < cap) {
            memcpy(w + n, enc, m);
            n += m;
        } else {
            full = 1;
        }
        q += (size_t)k;
        if (k > 1 && rpi_is_nospace_cp(cp))
            break;
    }
    w[n] = 0;
    *wlen = n;
    return q - p;
}

/*
 * The words after a figure that say what it counts: up to two words that are
 * not function words, nor a figure; the last one is the unit. A word with
 * letters beyond ASCII ("14 شخصا", "14 víctimas") is read only as the first,
 * and ends the phrase: the function words are English, so a second such word
 * may be "في" (in) or "über" where the first said what is counted.
 */
static size_t unit_words(const char *t, size_t p, size_t end, uint64_t *unit)
{
    size_t last = p;
    *unit = 0;
    for (int k = 0; k < 2; k++) {
        size_t q = skip_spaces(t, p, end);
        char w[64];
        size_t n;
        int beyond;
        size_t span = letters_at(t, q, end, w, sizeof w, &n, &beyond);
        if (span == 0 || in_list(w, function_words) || index_in(w, months) >= 0 ||
            index_in(w, weekdays) >= 0)
            break;
        if (beyond && k > 0)
            break;
        p = q + span;
        last = p;
        *unit = rpi_hash64(w, n, 0x756e6974);
        if (beyond || (p < end && t[p] != ' ' && t[p] != '\n'))
            break; /* punctuation ends the phrase */
    }
    return last;
}

/*
 * What a date, weekday or month is the time of: the nearest word before it
 * that is not a function or time word ("in Pyongyang on Friday" -> pyongyang,
 * "media reported Thursday" -> reported). Two weekdays are the same fact only
 * when they are the time of the same thing.
 */
static uint64_t time_context(const char *t, size_t lo, size_t p)
{
    static const char *const skip[] = {"on", "in", "of", "the", "last", "this", "next", "early",
                                       "late", "mid", "since", "until", "by", "from", "to",
                                       "and", "or", "at", "a", "an", "its", "their", NULL};
    for (int k = 0; k < 4; k++) {
        size_t a = word_before(t, lo, p);
        if (a == SIZE_MAX)
            return 0;
        char w[32];
        size_t n = word_at(t, a, p, w, sizeof w);
        if (n && !in_list(w, skip))
            return rpi_hash64(w, n, 0x74696d65);
        p = a;
    }
    return 0;
}

size_t rpi_figures(const char *t, size_t lo, size_t hi, rpi_figure *out, size_t cap)
{
    pthread_once(&time_prefix_once, time_prefix_init);
    size_t n = 0;
    size_t p = lo;
    while (p < hi) {
        unsigned char ch = (unsigned char)t[p];
        if (is_alpha(ch)) {
            /* A weekday or a month (with a day: a date). */
            size_t ws = p;
            char w[24];
            size_t len = 0;
            while (p + len < hi && is_alpha((unsigned char)t[p + len]))
                len++;
            int boundary = ws == lo || !is_alnum((unsigned char)t[ws - 1]);
            if (boundary && len < sizeof w && maybe_time_word(t + ws, len)) {
                word_at(t, ws, hi, w, sizeof w);
                int wd = index_in(w, weekdays);
                int mo = index_in(w, months);
                if (mo < 0 && len == 3 && is_upper(ch) && p + 3 < hi && t[p + 3] == '.')
                    mo = index_in(w, months3);
                if (mo == 4 && !is_upper(ch))
                    mo = -1; /* "may" the verb */
                if (wd >= 0) {
                    rpi_figure f = {0};
                    f.start = (uint32_t)ws;
                    f.end = (uint32_t)(ws + len);
                    f.kind = RPI_FIG_WEEKDAY;
                    f.lo = f.hi = wd;
                    f.unit = time_context(t, lo, ws);
                    add(out, cap, &n, &f);
                } else if (mo >= 0) {
                    rpi_figure f = {0};
                    f.start = (uint32_t)ws;
                    f.end = (uint32_t)(ws + len);
                    f.kind = RPI_FIG_MONTH;
                    f.lo = f.hi = mo;
                    f.unit = time_context(t, lo, ws);
                    /* "March 7" / "March 7, 2025": a date. */
                    size_t q = skip_spaces(t, ws + len + (ws + len < hi && t[ws + len] == '.'), hi);
                    double d;
                    size_t k = read_number(t, q, hi, &d);
                    if (k && k <= 2 && d >= 1 && d <= 31 &&
                        (q + k >= hi || !is_digit((unsigned char)t[q + k]))) {
                        f.kind = RPI_FIG_DATE;
                        f.lo = f.hi = mo * 100 + d;
                        f.end = (uint32_t)(q + k);
                    }
                    add(out, cap, &n, &f);
                    p = f.end;
                    continue;
                }
            }
            p += len;
            continue;
        }
        if (!is_digit(ch)) {
            p++;
            continue;
        }
        /* A number glued to letters ("Hwasong-11", "G7") is a name, not a figure. */
        if (p > lo && (is_alpha((unsigned char)t[p - 1]) ||
                       (t[p - 1] == '-' && p > lo + 1 && is_alpha((unsigned char)t[p - 2])))) {
            while (p < hi && (is_alnum((unsigned char)t[p]) || t[p] == ',' || t[p] == '.'))
                p++;
            continue;
        }
        rpi_figure f = {0};
        double v;
        size_t k = read_number(t, p, hi, &v);
        size_t q = p + k;
        if (q < hi && is_alpha((unsigned char)t[q]) && !(q + 1 < hi && t[q] == 's' &&
                                                          !is_alpha((unsigned char)t[q + 1]))) {
            /* "11-day" stays a number; "3rd", "2G" are not figures. */
            p = q;
            while (p < hi && is_alpha((unsigned char)t[p]))
                p++;
            continue;
        }
        f.start = (uint32_t)p;
        f.kind = RPI_FIG_NUMBER;
        f.lo = f.hi = v;
        /* ISO date 2025-03-22. */
        if (k == 4 && q + 5 < hi && t[q] == '-' && is_digit((unsigned char)t[q + 1]) &&
            is_digit((unsigned char)t[q + 2]) && t[q + 3] == '-') {
            double m, d;
            size_t k2 = read_number(t, q + 1, hi, &m), k3 = read_number(t, q + 4, hi, &d);
            if (k2 == 2 && k3 == 2) {
                f.kind = RPI_FIG_DATE;
                f.unit = time_context(t, lo, p);
                f.lo = f.hi = v * 10000 + m * 100 + d;
                f.end = (uint32_t)(q + 6);
                add(out, cap, &n, &f);
                p = f.end;
                continue;
            }
        }
        /* A day before a month: "7 March". */
        {
            size_t s = skip_spaces(t, q, hi);
            char w[24];
            size_t len = word_at(t, s, hi, w, sizeof w);
            int mo = len ? index_in(w, months) : -1;
            if (mo >= 0 && k <= 2 && v >= 1 && v <= 31) {
                f.kind = RPI_FIG_DATE;
                f.unit = time_context(t, lo, p);
                f.lo = f.hi = mo * 100 + v;
                f.end = (uint32_t)(s + len);
                add(out, cap, &n, &f);
                p = f.end;
                continue;
            }
        }
        /* Qualifier and currency before. */
        size_t qs = p;
        f.qual = (uint8_t)qualifier(t, lo, p, &qs);
        size_t sign = currency_before(t, lo, p);
        if (sign) {
            f.kind = RPI_FIG_AMOUNT;
            f.start = (uint32_t)(p - sign);
        }
        if (qs < f.start)
            f.start = (uint32_t)qs;
        /* A range: "X-Y", "X to Y", "between X and Y". */
        size_t r = skip_spaces(t, q, hi);
        size_t dl = dash_at(t, r, hi);
        char w[16];
        size_t wl = dl ? 0 : word_at(t, r, hi, w, sizeof w);
        int between = 0;
        {
            size_t b = word_before(t, lo, p);
            char wb[16];
            if (b != SIZE_MAX && word_at(t, b, p, wb, sizeof wb) && strcmp(wb, "between") == 0)
                between = 1;
        }
        if (dl || (wl && (strcmp(w, "to") == 0 || (between && strcmp(w, "and") == 0)))) {
            size_t s2 = skip_spaces(t, r + (dl ? dl : wl), hi);
            double v2;
            size_t k2 = read_number(t, s2, hi, &v2);
            if (k2 && (s2 + k2 >= hi || !is_alpha((unsigned char)t[s2 + k2]))) {
                f.kind = f.kind == RPI_FIG_AMOUNT ? RPI_FIG_AMOUNT : RPI_FIG_RANGE;
                f.hi = v2;
                q = s2 + k2;
            }
        }
        /* Scale, currency or percent after. */
        size_t s = skip_spaces(t, q, hi);
        if (s < hi && t[s] == '%') {
            f.kind = RPI_FIG_PERCENT;
            q = s + 1;
        } else {
            size_t len = word_at(t, s, hi, w, sizeof w);
            int sc = len ? index_in(w, scales) : -1;
            if (sc >= 0) {
                f.lo *= scale_of[sc];
                f.hi *= scale_of[sc];
                q = s + len;
                s = skip_spaces(t, q, hi);
                len = word_at(t, s, hi, w, sizeof w);
            }
            if (len && in_list(w, currencies)) {
                f.kind = RPI_FIG_AMOUNT;
                f.currency = rpi_hash64(w, len, 0x637572);
                q = s + len;
            } else if (len && in_list(w, percents)) {
                f.kind = RPI_FIG_PERCENT;
                q = s + len;
            } else if (len && in_list(w, percents_of)) {
                char w2[16];
                size_t s2 = skip_spaces(t, s + len, hi);
                size_t len2 = word_at(t, s2, hi, w2, sizeof w2);
                if (len2 && in_list(w2, percents_cent)) {
                    f.kind = RPI_FIG_PERCENT;
                    q = s2 + len2;
                }
            }
        }
        if (f.kind == RPI_FIG_NUMBER && percent_before(t, lo, p)) {
            f.kind = RPI_FIG_PERCENT;
            if (t[p - 1] == '%' && f.start == p)
                f.start = (uint32_t)(p - 1);
        }
        if (f.kind == RPI_FIG_NUMBER && f.lo == f.hi && k == 4 && v >= 1800 && v <= 2100 &&
            f.qual == RPI_QUAL_EXACT) {
            f.kind = RPI_FIG_YEAR;
            f.unit = time_context(t, lo, p);
        }
        size_t e = q;
        if (f.kind != RPI_FIG_YEAR && (f.kind == RPI_FIG_NUMBER || f.kind == RPI_FIG_RANGE))
            e = unit_words(t, q, hi, &f.unit);
        f.end = (uint32_t)e;
        add(out, cap, &n, &f);
        p = q > p ? q : p + 1;
    }
    return n;
}

/* What a figure written with code point cp (not ASCII) reads as: the ASCII
 * character of a decimal digit of any script ("١٣٥٩", "۱۳۵۹", "१३५९") or of the
 * Arabic decimal separator and percent sign (U+066B, U+066A: "٣٫٥٪" is
 * "3.5%"); FIG_LEFT_OUT for the Arabic thousands separator (U+066C: "١٬٢٠٠" is
 * 1200; read as a comma, "١٬٢٣" would be a decimal comma's 1.23); 0 for any
 * other. */
#define FIG_LEFT_OUT (-1)
static int figure_ascii(int32_t cp)
{
    if (cp == 0x066B)
        return '.';
    if (cp == 0x066C)
        return FIG_LEFT_OUT;
    if (cp == 0x066A)
        return '%';
    int32_t a = rpi_ascii_digit(cp);
    return a != cp ? (int)a : 0;
}

int rpi_figures_read(const char *t, size_t lo, size_t hi, rpi_figure *out, size_t cap,
                     size_t *count)
{
    /* Most sentences hold no such character: read them as they are. */
    size_t p = lo;
    int32_t cp;
    while (p < hi) {
        if ((unsigned char)t[p] < 0x80) {
            p++;
            continue;
        }
        int k = rpi_decode(t, hi, p, &cp);
        if (k > 0 && figure_ascii(cp))
            break;
        p += k > 0 ? (size_t)k : 1;
    }
    if (p >= hi) {
        *count = rpi_figures(t, lo, hi, out, cap);
        return RP_OK;
    }
    /* A copy with those characters in ASCII, and where each of its bytes
     * came from (fold[i] at byte at[i] - lo), so the figures keep offsets
     * into t. */
    char *fold = rpi_malloc(hi - lo + 1);
    uint32_t *at = rpi_malloc((hi - lo + 1) * sizeof *at);
    if (!fold || !at) {
        rpi_free(fold);
        rpi_free(at);
        return RP_ENOMEM;
    }
    size_t n = 0;
    for (p = lo; p < hi;) {
        int k = 1, a = 0;
        if ((unsigned char)t[p] >= 0x80) {
            k = rpi_decode(t, hi, p, &cp);
            if (k > 0)
                a = figure_ascii(cp);
            else
                k = 1; /* (not UTF-8: copied as it is) */
        }
        if (a == FIG_LEFT_OUT) {
            p += (size_t)k;
            continue;
        }
        if (a) {
            at[n] = (uint32_t)(p - lo);
            fold[n++] = (char)a;
        } else {
            for (int b = 0; b < k; b++) {
                at[n] = (uint32_t)(p + (size_t)b - lo);
                fold[n++] = t[p + (size_t)b];
            }
        }
        p += (size_t)k;
    }
    at[n] = (uint32_t)(hi - lo);
    fold[n] = 0;
    *count = rpi_figures(fold, 0, n, out, cap);
    for (size_t i = 0; i < *count && i < cap; i++) {
        out[i].start = (uint32_t)lo + at[out[i].start];
        out[i].end = (uint32_t)lo + at[out[i].end];
    }
    rpi_free(fold);
    rpi_free(at);
    return RP_OK;
}

void rpi_figures_span(const char *t, size_t len, size_t *lo, size_t *hi)
{
    size_t a = *lo, b = *hi;
    size_t sign = currency_before(t, 0, a);
    if (sign)
        a -= sign;
    else if (a >= 1 && t[a - 1] == '%') /* ("%12": Turkish) */
        a -= 1;
    size_t s = skip_spaces(t, b, len);
    int32_t cp;
    int k = s < len ? rpi_decode(t, len, s, &cp) : -1;
    if (k > 0 && (cp == '%' || cp == 0x066A)) /* (U+066A: the Arabic percent sign) */
        b = s + (size_t)k;
    *lo = a;
    *hi = b;
}

/* The qualifier as far as the value goes: an approximation states the value. */
static int bound_of(int qual)
{
    return qual == RPI_QUAL_APPROX ? RPI_QUAL_EXACT : qual;
}

int rpi_figures_equal(const rpi_figure *x, const rpi_figure *y)
{
    if (x->kind != y->kind || bound_of(x->qual) != bound_of(y->qual))
        return 0;
    if (x->kind == RPI_FIG_AMOUNT && x->currency && y->currency && x->currency != y->currency)
        return 0;
    return fabs(x->lo - y->lo) <= 1e-9 * fabs(x->lo) && fabs(x->hi - y->hi) <= 1e-9 * fabs(x->hi);
}

int rpi_figures_comparable(const rpi_figure *x, const rpi_figure *y)
{
    int nx = x->kind <= RPI_FIG_PERCENT, ny = y->kind <= RPI_FIG_PERCENT;
    if (nx && ny)
        return (x->kind == RPI_FIG_PERCENT) == (y->kind == RPI_FIG_PERCENT) &&
               (x->kind == RPI_FIG_AMOUNT) == (y->kind == RPI_FIG_AMOUNT);
    return x->kind == y->kind;
}

const char *rpi_figure_kind_name(int kind)
{
    static const char *const names[] = {"number", "range", "amount", "percent", "date",
                                        "year", "weekday", "month"};
    return kind >= 0 && kind <= RPI_FIG_MONTH ? names[kind] : "number";
}
