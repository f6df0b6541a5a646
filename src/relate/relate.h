/* SPDX-License-Identifier: MIT */
/*
 * relate.h -- stage 6: from verified pairs to clusters and dedup decisions.
 *
 * Clusters are the connected components of the verified pairs (union-find).
 * Inside a cluster, documents are taken in order of preference (the keep
 * policy); each is removed in favour of the most preferred document already
 * kept that is its own verified duplicate or near-duplicate, and kept when
 * there is none. So no document is ever removed in favour of a document it
 * was not compared with: with A~B, B~C and not A~C, keeping A keeps C too.
 */
#ifndef RP_RELATE_H
#define RP_RELATE_H

#include "common.h"

/* Preference order: < 0 when document a should be kept before b. */
typedef int (*rpi_prefer_fn)(void *ctx, uint32_t a, uint32_t b);

/* A document removed by the dedup decisions: the kept one it yields to. */
typedef struct rpi_removal {
    uint32_t doc; /* the document removed */
    uint32_t kept_by; /* the kept document it yields to */
    double jaccard; /* their exact Jaccard */
} rpi_removal;

typedef struct rpi_clusters {
    size_t n; /* clusters of two or more documents */
    size_t *start; /* members of cluster k: members[start[k] .. start[k+1]) */
    uint32_t *members; /* document numbers, ascending within a cluster */
    uint32_t *rep; /* representative (most preferred member) of each cluster */
    rpi_removal *removed; /* the documents removed, ascending (dedup decisions) */
    size_t nremoved;
} rpi_clusters;

/*
 * Build clusters and dedup decisions for ndocs documents from the pairs
 * (any order; a != b). Only the documents in a pair take memory (a few
 * words each, and the pairs'): the others are clusters of one, kept.
 * @return RP_OK or RP_ENOMEM
 */
int rpi_clusters_build(size_t ndocs, const rp_pair *pairs, size_t npairs, rpi_prefer_fn prefer,
                       void *ctx, rpi_clusters *out);
/* The removal of doc (binary search), or NULL when it is kept. */
const rpi_removal *rpi_clusters_removal(const rpi_clusters *cl, uint32_t doc);
/* Add n removals of documents not removed yet, keeping the list ascending. */
int rpi_clusters_add_removals(rpi_clusters *cl, const rpi_removal *add, size_t n);
void rpi_clusters_free(rpi_clusters *cl);

/* Union-find: the root of x's set (parent[r] == r), halving the path on the way. */
uint32_t rpi_uf_find(uint32_t *parent, uint32_t x);

struct rpi_term;
/* Document doc's event vector (which 0: the terms rp_pair.event is the
 * cosine of, headline and article when it has a headline, else the article)
 * or its specifics (which 1: those of rp_pair.specifics), into *t and *n,
 * valid until the next call; RP_OK or an error code. */
typedef int (*rpi_vector_fn)(void *ctx, uint32_t doc, int which, const struct rpi_term **t,
                             size_t *n);

/*
 * Stories from the related pairs (story.c). First the groups the pairs make:
 * a group of documents joins another when more than half of the pairs of
 * units across them are story pairs (relation at most start_max), or more
 * than half are story or support pairs (rpi_story_support) and none is a
 * veto pair (rpi_story_veto); two groups of two units or more whose every
 * pair across is a story or support pair, none a veto, also join. Then, when
 * start_max is below RP_REL_SHARES_PASSAGES (stories, not timelines), each
 * unit left alone joins the group of two or more units it fits as a whole:
 * related (any relation up to same-topic) to more than half of its units,
 * at a mean `event` of at least RPI_STORY_SIM and mean `specifics` of at
 * least RPI_STORY_SPECIFICS over all of them (0 for a unit it has no pair
 * with), and with no veto pair (rpi_story_veto) to any; the best mean wins.
 * With vec (not NULL: the documents' story vectors, vctx its context), a
 * unit still alone joins the group of two or more units it has links and no
 * veto pair to whose centroid its event vector meets at the highest cosine,
 * at least 2s / sqrt(2 + 2s) for s = RPI_STORY_SIM, its specifics (when it
 * has any) at least 2t / sqrt(2 + 2t) for t = RPI_STORY_SPECIFICS with the
 * group's (story.c). vec is asked for units only (a unit's first document).
 * unit[d] names the unit of document d (the first document of its copy
 * cluster; d itself when it has no copy). pairs: any order, with relation, why, event
 * and specifics; pairs past same-topic are ignored. *star receives, per
 * story, a pair of the first document of the group the pairs made with
 * each other one (for rpi_clusters_build); free it with rpi_free. alone, if
 * not NULL, receives per document 1 when the pairs left its unit alone (it
 * may have joined a story since). Only the units in a pair take memory (a
 * few words each, and the pairs'), and a bit per document.
 * @return RP_OK or RP_ENOMEM
 */
int rpi_stories_join(size_t ndocs, const rp_pair *pairs, size_t npairs, const uint32_t *unit,
                     rp_relation start_max, rp_pair **star, size_t *nstar, uint8_t *alone,
                     rpi_vector_fn vec, void *vctx);

/* The why of a same-topic pair that supports a story (rpi_stories). */
extern const char rpi_why_support[];
/* The why of a same-topic pair of one event's content, names, days and place
 * whose figures alone differ: it supports a story too. */
extern const char rpi_why_figures_only[];
/* Every why of a same-topic pair that supports a story: rpi_why_support,
 * rpi_why_figures_only, and those of pairs dated two days apart or, not both
 * dated, naming neighbouring weekdays (with or without other figures) that
 * nothing else tells apart. */
#define RPI_WHY_SUPPORTS 6
extern const char *const rpi_why_supports[RPI_WHY_SUPPORTS];

/* Does pair p count towards a story: a story pair, or a same-topic pair of
 * similar content words where nothing tells the events apart? */
int rpi_story_support(const rp_pair *p);

/* The why of a same-topic pair that supports a story (one of
 * rpi_why_supports, static: pairs gathered from other ranks or read from an
 * index carry copies), or NULL. */
const char *rpi_story_support_why(const rp_pair *p);

/* Does pair p, not a story pair, tell two events apart by its own evidence
 * (another day, place, figures, names, dates; a template; one source's
 * undated texts, or its texts whose ledes or headlines differ; passages of
 * another event)? Its why as relation.c keeps it
 * (static), or NULL when it does not. A pair told apart only by its
 * headlines or ledes (what an outlet leads with) is no veto: it neither
 * starts nor completes a story, nor keeps one from forming. */
const char *rpi_story_veto(const rp_pair *p);

/*
 * The stories of a collection, into out (as rpi_clusters_build gives them):
 * its documents joined through rpi_stories_join from its related pairs
 * (story pairs start stories; support pairs complete them; the others weigh
 * a document left alone), each copy cluster counting as one unit; prefer
 * picks the representative.
 */
int rpi_stories(size_t ndocs, const rp_pair *pairs, size_t npairs, const rpi_clusters *copies,
                rpi_prefer_fn prefer, void *ctx, rpi_vector_fn vec, void *vctx,
                rpi_clusters *out);
/* Which documents rpi_stories, given the same pairs and copies, asks vec for
 * (the groups the pairs make do not depend on the vectors): ascending, into
 * *need (*nneed of them; free it with rpi_free). */
int rpi_stories_vectors_needed(size_t ndocs, const rp_pair *pairs, size_t npairs,
                               const rpi_clusters *copies, uint32_t **need, size_t *nneed);


#include "shingle.h"

/* Where a document's shingles are in the spill store. */
typedef struct rpi_setref {
    uint64_t off; /* byte offset in its spill file */
    uint32_t n; /* shingles stored (repeats included) */
    uint32_t file; /* spill file number, or RPI_SETREF_MEM */
} rpi_setref;

/* A set held in memory (rpi_verify's mem, from off) rather than in the store. */
#define RPI_SETREF_MEM UINT32_MAX
/* A set not stored at all: computed again from the document's input (rpi_verify's load). */
#define RPI_SETREF_INPUT (UINT32_MAX - 2)

/*
 * Computes the shingles of document doc again, as the first pass wrote them
 * (ref[doc].n of them), for worker wid of rpi_verify; *set stays valid until
 * that worker's next call. @return RP_OK, RP_EIO, RP_EBADINPUT, RP_ENOMEM
 */
typedef int (*rpi_set_load_fn)(void *ctx, int wid, uint32_t doc, const uint64_t **set);

/*
 * Exact verification of candidate pairs cand[0..n) (codes a << 32 | b,
 * sorted): loads both shingle sets from the spill store (from mem, or
 * through load for sets of file RPI_SETREF_INPUT) and counts |A and B|, |A|
 * and |B| (distinct shingles) into inter, na, nb.
 * @return RP_OK, RP_EIO, RP_ENOMEM, or what load returns
 */
int rpi_verify(const rpi_spill *sp, const rpi_setref *ref, const uint64_t *mem,
               rpi_set_load_fn load, void *load_ctx, const uint64_t *cand, size_t n,
               int nthreads, uint32_t *inter, uint32_t *na, uint32_t *nb);

/* ---- relations (relation.c) ------------------------------------------------ */

/* What is known about a compared pair when its relation is named. */
typedef struct rpi_features {
    int copy; /* -1: not a copy; else RP_REL_DUPLICATE or RP_REL_NEAR_DUPLICATE */
    uint32_t npass; /* aligned passages (templates left out) */
    uint32_t ntemplate; /* aligned stretches left out as a template (rpi_slots_differ) */
    uint32_t matched; /* words aligned as equal in the passages */
    int lead; /* a passage starts in the first half of both texts */
    double cov_a, cov_b; /* share of each side's article tokens inside passages */
    double sim_rest; /* TF-IDF cosine of content words outside the passages */
    double event; /* TF-IDF cosine of the content words of the whole article texts */
    double specifics; /* TF-IDF cosine of the specifics (names and figures) */
    int named; /* both texts have names (a script with letter case) */
    int tables; /* both texts are mostly figures: RPI_TABLE_SHARE (relation.c) */
    int other_day; /* the texts name other days (rpi_when_conflict) */
    int days_adjacent; /* other_day, not both dated, and their weekdays only neighbours,
                        * dates not disagreeing: a day's report and the next day's may be
                        * so (rpi_when_neighbours) */
    int other_figures; /* the texts state figures, none in common (rpi_figures_disjoint) */
    int figure_slots; /* the texts' figures fill slots differently (rpi_slots_differ) */
    int other_lead; /* both ledes name specifics, none in common (headline and first sentences) */
    int other_headline; /* both headlines have content words, none in common */
    int other_place; /* both texts have datelines, naming other places (rpi_dateline) */
    int64_t days_apart; /* |date a - date b| in days, or -1 when either is unknown */
    int same_source; /* both texts name one source (field source, else the URL's host) */
} rpi_features;

/* Content similarity (rpi_features.event) from which two texts sharing no
 * passage may report one event (relation.c). */
#define RPI_STORY_SIM 0.25
/* The specifics' similarity a story asks (relation.c, story.c). */
#define RPI_STORY_SPECIFICS 0.2

/* Content similarity from which two texts share a topic (relation.c explains). */
#define RPI_TOPIC_SIM 0.2

/* A text at least one token in RPI_TABLE_SHARE of which is a figure is a
 * table or a price report: its figures are its content (relation.c). */
#define RPI_TABLE_SHARE 4

/* Name the relation of a pair; *why receives the rule (static string). other_day,
 * days_adjacent, other_place, figure_slots, other_figures, other_lead and
 * other_headline are read only when npass > 0 or event >= RPI_TOPIC_SIM
 * (relation.c's RPI_TOPIC_SIM, 0.2). */
rp_relation rpi_relation_name(const rpi_features *f, const char **why);


/*
 * Inverse document frequency: ln((N + 1) / (df + 1)) + 1, the smoothed form
 * (never zero, so in a tiny collection words shared by every document still
 * count, only less).
 */
double rpi_idf(uint64_t ndocs, uint32_t df);

/* A content word of a text: its frequency there and its IDF. */
typedef struct rpi_term {
    uint64_t hash; /* the word's token hash */
    uint32_t tf; /* occurrences in the text */
    float idf; /* its IDF in the collection */
} rpi_term;

/*
 * Cosine of two term vectors given as arrays sorted by hash, without repeats,
 * weighted (1 + ln tf) * idf.
 */
/* The weight of a term's frequency in a text: 1 + log(tf). */
double rpi_tf_weight(uint32_t tf);
double rpi_cosine(const rpi_term *ta, size_t na, const rpi_term *tb, size_t nb);

/* ---- figures (facts.c) ------------------------------------------------------- */

enum { RPI_FIG_NUMBER, RPI_FIG_RANGE, RPI_FIG_AMOUNT, RPI_FIG_PERCENT, RPI_FIG_DATE, RPI_FIG_YEAR,
       RPI_FIG_WEEKDAY, RPI_FIG_MONTH };
enum { RPI_QUAL_EXACT, RPI_QUAL_APPROX, RPI_QUAL_MAX, RPI_QUAL_MIN };

/* A figure in a text, by value, with the bytes of the words that carry it. */
typedef struct rpi_figure {
    uint32_t start, end; /* bytes: qualifier .. unit words */
    uint8_t kind; /* RPI_FIG_* */
    uint8_t qual; /* RPI_QUAL_*: "about", "up to", "more than" */
    double lo, hi; /* value (lo == hi) or range; dates as (year*10000+)month*100+day */
    uint64_t unit; /* hash of the last word saying what it counts ("troops"), or 0 */
    uint64_t currency; /* hash of a currency word ("dlrs"), or 0 */
} rpi_figure;

/*
 * Figures in t[lo..hi) (a sentence), in text order, into out[0..cap); returns
 * how many there are (possibly more than cap).
 */
size_t rpi_figures(const char *t, size_t lo, size_t hi, rpi_figure *out, size_t cap);
/*
 * rpi_figures for text written with digits of any script: decimal digits
 * (Unicode Nd) and the Arabic separators and percent sign read as their ASCII
 * forms, offsets into t kept. *count as rpi_figures returns it. Returns RP_OK
 * or RP_ENOMEM.
 */
int rpi_figures_read(const char *t, size_t lo, size_t hi, rpi_figure *out, size_t cap,
                     size_t *count);
/*
 * The bytes whose figures a sentence states, from its words' [lo, hi) in
 * t[0..len): a currency or percent sign touching its first word ("$10
 * million was ...", Turkish "%12") and a percent sign after its last ("...
 * to 5.75%.", "12 %", the Arabic "٧٪") are read with it, as rpi_figures reads
 * them inside a sentence.
 */
void rpi_figures_span(const char *t, size_t len, size_t *lo, size_t *hi);

/* Same value (kind, qualifier, numbers, currency)? */
int rpi_figures_equal(const rpi_figure *x, const rpi_figure *y);

/* Can the two be compared (both counts, both amounts, both weekdays...)? */
int rpi_figures_comparable(const rpi_figure *x, const rpi_figure *y);

/* Static name of a kind: "number", "range", "amount", "percent", "date", "year",
 * "weekday", "month". */
const char *rpi_figure_kind_name(int kind);

/* ---- differences (differences.c) ------------------------------------------- */

/* A text as its differences are read: article tokens with their sentence
 * numbers and content flags, and its figures by value, sentence by sentence. */
typedef struct rpi_factside {
    const rpi_token *art; /* article tokens */
    size_t nart; /* their number */
    const uint32_t *sent; /* per token: its sentence */
    const uint8_t *content; /* per token: 1 for a content word */
    const rpi_figure *figs; /* figures (rpi_figures), sentence by sentence */
    const uint32_t *sentfig; /* per sentence: its first figure; [sentences] = figures */
} rpi_factside;

/* A sentence of a text, for finding differing figures. */
typedef struct rpi_sent {
    uint32_t w0, nw; /* its content words in rpi_diffscratch.words */
    uint32_t r0, nr; /* those of them in few sentences of its text, there too */
    uint32_t f0, nf; /* its figures in rpi_diffscratch.figs */
} rpi_sent;

/* A word of a sentence of b (rpi_differences). */
typedef struct rpi_diffposting {
    uint64_t word;
    uint32_t sent;
} rpi_diffposting;

/* Scratch of rpi_differences (zero it first; rpi_diffscratch_free). */
typedef struct rpi_diffscratch {
    rpi_sent *sents; /* sentences of both texts */
    size_t capsents; /* capacity */
    uint64_t *words; /* content words of the sentences, sorted per sentence */
    size_t capwords; /* capacity */
    rpi_figure *figs; /* figures of both texts */
    size_t capfigs; /* capacity */
    uint8_t *mask; /* figures already paired */
    size_t capmask; /* capacity */
    uint64_t *tmp; /* sort scratch */
    size_t captmp; /* capacity */
    uint32_t *shared; /* content words one sentence of a shares with each of b */
    size_t capshared; /* capacity */
    uint64_t *common; /* words of one text, then those in many of its sentences */
    size_t capcommon; /* capacity */
    rpi_diffposting *post; /* the words of b's sentences, by word */
    size_t cappost; /* capacity */
    uint32_t *cand; /* sentences of b sharing words with one of a */
    size_t capcand; /* capacity */
} rpi_diffscratch;

/*
 * The places where two related texts a and b (documents da and db) say the
 * same thing with a different figure, appended to (*out, *nout, *cap) in
 * the order of a's figures (README "Differences").
 */
int rpi_differences(rpi_diffscratch *s, const rpi_factside *a, const rpi_factside *b,
                    uint32_t da, uint32_t db, rp_difference **out, size_t *nout, size_t *cap);
void rpi_diffscratch_free(rpi_diffscratch *s);

/* ---- event evidence (event.c) ---------------------------------------------- */

enum { RPI_SPEC_NONE, RPI_SPEC_NAME, RPI_SPEC_FIGURE };

/*
 * Is token i of tok (sent: sentence number of each token) a specific: a
 * figure (it holds a digit) or a name (upper- or title-case initial, not the
 * first word of its sentence, in a sentence that is not all capitals:
 * shouting != 0 for a headline in capitals, where every word starts upper)?
 * Returns RPI_SPEC_*.
 */
int rpi_specific_kind(const char *text, const rpi_token *tok, const uint32_t *sent, size_t i,
                      int shouting);

/* The days a text names: weekdays and dates (month and day). */
#define RPI_WHEN_DATES 32
#define RPI_WHEN_YEAR 10000
typedef struct rpi_when {
    uint8_t weekdays; /* bit k: weekday k (Monday = 0) */
    uint8_t ndates; /* distinct dates named (at most RPI_WHEN_DATES) */
    uint16_t dates[RPI_WHEN_DATES]; /* month * 100 + day, + RPI_WHEN_YEAR when written with a year */
} rpi_when;

/*
 * The days named by the tokens tok[0..n) of text: weekdays, and dates written
 * "21 March", "March 21", "21. März", "21 de marzo", "2025-03-22" or
 * "22.03.2025", in the languages event.c lists.
 */
void rpi_when_read(const char *text, const rpi_token *tok, size_t n, rpi_when *w);

/*
 * The place of a text's dateline, as a key (0: none): a line among its first
 * RPI_DATELINE_LINES that starts with one to four words of letters, then a
 * comma, a month, a day (and a year) and a dash ("PEORIA, April 7 -",
 * "st paul, april 7 -", "LONDON, March 3, 1987 -"), or the words, an agency in
 * brackets and a dash ("WASHINGTON (Reuters) -"). The words are compared as
 * the tokenizer folds them: "ST PAUL" and "st paul" are one place. tok[0..n):
 * the text's article tokens; place, when not NULL, receives the place's tokens
 * [place[0], place[1]) ({0, 0} without a dateline).
 */
#define RPI_DATELINE_LINES 3
uint64_t rpi_dateline(const char *text, size_t len, const rpi_token *tok, size_t n,
                      size_t place[2]);

/* Do two texts name other days: both name weekdays and none in common, or both name
 * dates and none in common? With next_day (the texts are dated one day apart), a
 * weekday and the next are in common: a report filed the next day names that day's
 * news of the event ("Saturday" against "Sunday"). */
int rpi_when_conflict(const rpi_when *x, const rpi_when *y, int next_day);
/* Do x and y both name weekdays, each of one next to one of the other's or
 * the same ("Tuesday" against "Wednesday"; not "Tuesday" against "Wednesday
 * and Thursday"), and no dates that disagree, as a day's report and the next
 * day's may? */
int rpi_when_neighbours(const rpi_when *x, const rpi_when *y);

/* Is token t of text the name of a weekday (RPI_DAY_WEEKDAY) or a month (RPI_DAY_MONTH,
 * as rpi_when_read takes it: "May" only capitalised), in the languages it reads, or
 * neither (0)? */
enum { RPI_DAY_WEEKDAY = 1, RPI_DAY_MONTH };
int rpi_day_word(const char *text, const rpi_token *t);


/*
 * Key of a figure's value (as facts.c reads it) for comparing the figures of
 * two texts: counts and ranges by their ends, amounts and percentages apart, a
 * bound ("up to") apart from the value, an approximation ("about") equal to
 * it; 0 for times and years, which are not figures of an event. Keys sort by
 * that class, then by value (the ends as floats, read back by
 * rpi_figures_disjoint).
 */
uint64_t rpi_figure_key(const rpi_figure *f);

/*
 * Do two texts state figures and none in common? fa, fb: their figure keys
 * (rpi_figure_key), sorted, without repeats. Texts stating fewer than
 * RPI_EVENT_MIN_FIGURES figures are no evidence either way. Two figures of
 * one class are in common when they are one value written at two precisions:
 * the one with fewer digits is the other rounded to as many ("1.35 billion"
 * and "1.4 billion", "305" and "310", "5.75%" and "5.8%"; not "7.8%" and
 * "7.9%"), both ends of a range so. Outlets round one figure differently.
 */
#define RPI_EVENT_MIN_FIGURES 2
int rpi_figures_disjoint(const uint64_t *fa, size_t na, const uint64_t *fb, size_t nb);

/*
 * A figure as written: the run of figure tokens from token i of tok[0..n)
 * (kind: RPI_SPEC_* of each) joined by single characters of ".,/-:", as in
 * "7-3/4", "1.12", "10,000" or "2025-03-22". Its key (from the tokens'
 * hashes and the joining characters) goes to *key; returns the token after it.
 */
size_t rpi_figure_run(const char *text, const rpi_token *tok, const uint8_t *kind, size_t n,
                      size_t i, uint64_t *key);

/*
 * Do two sides fill slots differently? sa, sb: their distinct specifics,
 * sorted; wa, wb: their weights (NULL: 1 each). A specific one side has and
 * the other lacks fills a slot differently only when the other side also has
 * one of its own (words only one side has are additions: a longer quote, a
 * condensed tail). With kinds 2 the lowest bit of each value tells names (0)
 * from figures (1), counted apart (a template fixes some names, the Bank of
 * England, and varies the figures, or the other way round); with kinds 1 all
 * count together. True when, for a kind, at least RPI_DIFFER_MIN slots are
 * filled differently and their weight is no less than that of the specifics
 * of that kind both sides share. Passages weigh names by their IDF: a
 * template's fixed names recur in every report written on it ("Ltd",
 * "Luxembourg", the desk's city), so they are common in the collection,
 * while its slots hold the rare names of each event (the issuer, the lead
 * manager); counted one each, the fixed names outnumbered the slots.
 */
#define RPI_DIFFER_MIN 2
int rpi_slots_differ(const uint64_t *sa, const float *wa, size_t na, const uint64_t *sb,
                     const float *wb, size_t nb, int kinds);

/*
 * Timelines (timeline.c): the events on one subject over time. An event is
 * a story or a document in no story; events join through every related pair
 * across them (same-topic and shares-passages above all: another event on
 * the same subject) with the care against chaining of stories
 * (rpi_stories_join: a group joins another only when most pairs of events
 * across them are related). A timeline holds two or more events, in date
 * order (the earliest date of each event; undated events last, then input
 * order); timelines are numbered by their first document in input order.
 */
typedef struct rpi_event {
    uint32_t story; /* story number (index into the stories), or UINT32_MAX: a lone document */
    uint32_t doc; /* the lone document, or the story's first member */
    int64_t first, last; /* earliest and latest date key of its members; INT64_MAX unknown */
} rpi_event;

typedef struct rpi_timelines {
    size_t n; /* timelines */
    size_t *start; /* events of timeline k: ev[start[k] .. start[k+1]) */
    rpi_event *ev; /* events */
} rpi_timelines;

/* A document's date key (rpi_date_key), INT64_MAX when unknown. */
typedef int64_t (*rpi_date_fn)(void *ctx, uint32_t doc);

/*
 * Timelines of ndocs documents from every related pair (relations up to
 * RP_REL_SAME_TOPIC count; unrelated ones do not) and the stories; date
 * (with dctx) gives the date keys of the events' members. Only the units in
 * a link take memory (a few words each, and the join's), and a word per
 * document.
 * @return RP_OK or RP_ENOMEM
 */
int rpi_timelines_build(size_t ndocs, const rp_pair *pairs, size_t npairs,
                        const rpi_clusters *stories, rpi_date_fn date, void *dctx,
                        rpi_timelines *out);
/* The dates of out's events (first, last: from their members by date, or
 * the lone document's) and their order by them, as rpi_timelines_build
 * ends: for timelines whose events were put together elsewhere (the ranks'
 * joins, distjoin.c), with story numbers of stories. */
void rpi_timelines_date(rpi_timelines *out, const rpi_clusters *stories, rpi_date_fn date,
                        void *dctx);
void rpi_timelines_free(rpi_timelines *t);

#endif /* RP_RELATE_H */
