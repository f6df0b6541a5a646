/* SPDX-License-Identifier: MIT */
/*
 * story.c -- stage 6: documents into stories, one event each, without
 * chaining.
 *
 * Joining every story pair (single link) chains events: one round-up that
 * mentions two earthquakes joins the two stories, and the longer a
 * collection grows, the more such links it has. Here a group of documents
 * joins another only when most of the pairs across them are story pairs:
 * with A and B a story and C a story pair with B alone, C stays out (one of
 * two pairs); with C a story pair with both, it joins. This is average-link
 * agglomeration with the links counted, not weighed: the rule is the plain
 * reading of "fits the story as a whole", and it needs no second threshold.
 * Same-topic pairs with nothing against one event (support pairs) count
 * with the story pairs when no pair across tells another event (a veto);
 * two stories whose every pair across is a story or support pair, none
 * vetoed, are one, whether a story pair links them or not (a support pair
 * completes stories, it never starts one: two documents with a support pair
 * alone are no story).
 *
 * Copies of one text (duplicates and near-duplicates, clustered before) are
 * one unit: a wire story carried 40 times counts once, not 40 times, when a
 * rewrite is measured against the story.
 *
 * Links are taken strongest first (duplicate, near-duplicate, reprint,
 * same-story; then the higher content similarity; then input order) and
 * passes repeat until nothing merges, so the result depends only on the
 * pairs, not on thread timing or on the order pairs were found in.
 *
 * Then each document left alone (a unit in no story) is weighed against the
 * stories whose documents it relates to, by average link on similarity: it
 * joins the story whose units it meets at a mean `event` of the story
 * threshold (0.25) and a mean `specifics` of the story's (0.2) or more, a
 * pair not listed counting 0, when it relates to more than half of them and
 * no pair across says "another event" (rpi_story_veto). Reports of one
 * event told from other angles are story pairs with only some of the story,
 * and related pairs with the rest; the story as a whole is what they fit.
 * A document this leaves alone, when the documents' vectors are known
 * (rpi_vector_fn), is weighed against the centroid of each such story (the
 * sum of its units' event vectors, each of length 1): it joins the story it
 * meets at the highest cosine, at least 2s / sqrt(2 + 2s) = 0.316 for the
 * story threshold s = 0.25 (the cosine with a story of two reports at s from
 * each other of a report at s from each), with its specifics, when it has
 * names, at 2 x 0.2 / sqrt(2.4) = 0.258 or more with the centroid of the
 * story's specifics, and no veto pair. Reports from other angles share
 * little with each report and more with all of them: pairs not compared at
 * all count here, as they do not in a mean of pairs. The stories are taken
 * as the pairs made them, so the order documents are weighed in does not
 * matter, and a document that joined alone never names a story.
 */
#include "relate.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What a link between two units says of one story. */
enum {
    LINK_OTHER, /* related, but neither starts nor completes one */
    LINK_SUPPORT, /* completes a story (rpi_story_support), never starts one */
    LINK_STRONG, /* starts and completes one (relation at most start_max) */
    LINK_VETOED = 0x80 /* or-ed in: a pair of the two units tells another event */
};

typedef struct link {
    uint32_t u, v; /* units, u < v */
    uint32_t rank; /* relation: lower is stronger */
    float sim; /* content similarity: higher is stronger */
    float spec; /* similarity of the specifics (names, figures) */
    uint8_t kind; /* LINK_OTHER, LINK_SUPPORT or LINK_STRONG, with LINK_VETOED */
} link;

/* Of the pairs of two units, the one kept: the strongest of those the groups
 * are made of (story and support pairs: relation, then similarity), else the
 * strongest other; every field breaks ties, so the order pairs come in never
 * matters. */
static int cmp_units(const void *x, const void *y)
{
    const link *p = x, *q = y;
    if (p->u != q->u)
        return p->u < q->u ? -1 : 1;
    if (p->v != q->v)
        return p->v < q->v ? -1 : 1;
    int cp = (p->kind & ~LINK_VETOED) != LINK_OTHER, cq = (q->kind & ~LINK_VETOED) != LINK_OTHER;
    if (cp != cq)
        return cp ? -1 : 1;
    if (p->rank != q->rank)
        return p->rank < q->rank ? -1 : 1;
    if (p->sim != q->sim)
        return p->sim > q->sim ? -1 : 1;
    if (p->spec != q->spec)
        return p->spec > q->spec ? -1 : 1;
    return (p->kind > q->kind) - (p->kind < q->kind);
}

static int cmp_strength(const void *x, const void *y)
{
    const link *p = x, *q = y;
    if (p->rank != q->rank)
        return p->rank < q->rank ? -1 : 1;
    if (p->sim != q->sim)
        return p->sim > q->sim ? -1 : 1;
    if (p->u != q->u)
        return p->u < q->u ? -1 : 1;
    return (p->v > q->v) - (p->v < q->v);
}

int rpi_story_support(const rp_pair *p)
{
    return p->relation <= RP_REL_SAME_STORY || rpi_story_support_why(p) != NULL;
}

/* A link of a unit left alone, by the group it leads to. */
typedef struct toward {
    uint32_t root; /* the group */
    uint8_t veto;
    float sim, spec;
} toward;

static int cmp_toward(const void *x, const void *y)
{
    const toward *p = x, *q = y;
    return (p->root > q->root) - (p->root < q->root);
}

/*
 * The story a unit u left alone joins, or UINT32_MAX: of the groups of two
 * or more units it has links to, the one whose units it meets at the highest
 * mean similarity (a unit it has no link to counts 0), at least the story's,
 * with specifics at least the story's on average, links to more than half
 * of them and no veto link to any; of equal means, the lower root. The
 * groups are read as they are, not as units join them. tw: room for u's
 * links.
 */
static uint32_t alone_joins(uint32_t *parent, const uint32_t *size, const size_t *adj_start,
                            const uint32_t *adj, const uint8_t *adj_kind, const float *adj_sim,
                            const float *adj_spec, uint32_t u, toward *tw)
{
    if (parent[u] != u || size[u] != 1 || adj_start[u] == adj_start[u + 1])
        return UINT32_MAX;
    size_t n = 0;
    for (size_t e = adj_start[u]; e < adj_start[u + 1]; e++)
        tw[n++] = (toward){rpi_uf_find(parent, adj[e]), (adj_kind[e] & LINK_VETOED) != 0,
                           adj_sim[e], adj_spec[e]};
    if (n > 1)
        qsort(tw, n, sizeof *tw, cmp_toward);
    uint32_t best = UINT32_MAX;
    double bestmean = 0;
    for (size_t i = 0, j; i < n; i = j) {
        double sum = 0, spec = 0;
        int veto = 0;
        for (j = i; j < n && tw[j].root == tw[i].root; j++) {
            sum += tw[j].sim;
            spec += tw[j].spec;
            veto |= tw[j].veto;
        }
        uint32_t r = tw[i].root, linked = (uint32_t)(j - i);
        double mean = sum / size[r];
        if (size[r] < 2 || veto || 2 * linked <= size[r] || mean < RPI_STORY_SIM ||
            spec / size[r] < RPI_STORY_SPECIFICS)
            continue;
        if (best == UINT32_MAX || mean > bestmean) { /* (roots ascend: ties keep the lower) */
            best = r;
            bestmean = mean;
        }
    }
    return best;
}

/* A weighed term of a vector or a centroid. */
typedef struct wterm {
    uint64_t hash;
    double w;
} wterm;

static int cmp_wterm(const void *x, const void *y)
{
    const wterm *p = x, *q = y;
    return (p->hash > q->hash) - (p->hash < q->hash);
}

/* The centroids of the groups, as units left alone ask for them, of one
 * kind of vector (which). */
typedef struct centroids {
    rpi_vector_fn vec;
    void *vctx;
    const uint32_t *ids; /* per unit: its document */
    int which; /* the vectors: 0 event, 1 specifics */
    size_t *at; /* per root: its centroid's first term in terms, or SIZE_MAX */
    size_t *len; /* per root: its centroid's terms */
    double *norm; /* per root: its centroid's length */
    wterm *terms; /* every centroid made, by hash */
    size_t nterms, capterms;
    wterm *one; /* the vector of the unit weighed, by hash */
    size_t none, capone;
} centroids;

/* Append unit u's vector (its document's), of length 1, to (*buf, *n, *cap). */
static int add_vector(const centroids *ct, uint32_t u, wterm **buf, size_t *n, size_t *cap)
{
    const rpi_term *t = NULL;
    size_t nt = 0;
    RP_TRY(ct->vec(ct->vctx, ct->ids[u], ct->which, &t, &nt));
    if (*n + nt > *cap)
        RP_TRY(rpi_grow((void **)buf, cap, *n + nt, sizeof **buf));
    double norm = 0;
    for (size_t i = 0; i < nt; i++) {
        double w = rpi_tf_weight(t[i].tf) * t[i].idf;
        (*buf)[*n + i] = (wterm){t[i].hash, w};
        norm += w * w;
    }
    if (norm <= 0)
        return RP_OK;
    norm = sqrt(norm);
    for (size_t i = 0; i < nt; i++)
        (*buf)[(*n)++].w /= norm;
    return RP_OK;
}

/* The vector of unit u into ct->one, by hash. */
static int load_one(centroids *ct, uint32_t u)
{
    ct->none = 0;
    RP_TRY(add_vector(ct, u, &ct->one, &ct->none, &ct->capone));
    if (ct->none > 1)
        qsort(ct->one, ct->none, sizeof *ct->one, cmp_wterm);
    return RP_OK;
}

/* The centroid of group r (the sum of its units' vectors, each of length 1),
 * made once. next: the circular lists of the groups' units. */
static int centroid_of(centroids *ct, const uint32_t *next, uint32_t r)
{
    if (ct->at[r] != SIZE_MAX)
        return RP_OK;
    size_t start = ct->nterms, x = r;
    do {
        RP_TRY(add_vector(ct, (uint32_t)x, &ct->terms, &ct->nterms, &ct->capterms));
        x = next[x];
    } while (x != r);
    wterm *t = ct->terms ? ct->terms + start : NULL; /* (no vector had a term yet: NULL) */
    size_t n = ct->nterms - start, m = 0;
    if (n > 1)
        qsort(t, n, sizeof *t, cmp_wterm);
    double norm = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && t[m - 1].hash == t[i].hash)
            t[m - 1].w += t[i].w;
        else
            t[m++] = t[i];
    }
    for (size_t i = 0; i < m; i++)
        norm += t[i].w * t[i].w;
    ct->nterms = start + m;
    ct->at[r] = start;
    ct->len[r] = m;
    ct->norm[r] = sqrt(norm);
    return RP_OK;
}

/* The cosine of ct->one with the centroid of group r into *cosine. */
static int cosine_with(centroids *ct, const uint32_t *next, uint32_t r, double *cosine)
{
    RP_TRY(centroid_of(ct, next, r));
    const wterm *c = ct->len[r] ? ct->terms + ct->at[r] : NULL, *o = ct->one;
    double dot = 0;
    for (size_t a = 0, b = 0; a < ct->none && b < ct->len[r];) {
        if (o[a].hash < c[b].hash)
            a++;
        else if (c[b].hash < o[a].hash)
            b++;
        else
            dot += o[a++].w * c[b++].w;
    }
    *cosine = ct->norm[r] > 0 ? dot / ct->norm[r] : 0;
    return RP_OK;
}

/*
 * The group a unit u the pairs and the mean rule (alone_joins) left alone
 * joins by its centroid, or UINT32_MAX: of the groups of two or more units
 * it has links to and no veto link to, the one whose centroid it meets at
 * the highest cosine, at least that of a document at the story's similarity
 * with each of two documents at the story's similarity with each other
 * (2s / sqrt(2 + 2s), 0.316); of equal cosines, the lower root. tw: room for
 * u's links.
 */
static int centroid_joins(centroids *ct, centroids *cs, uint32_t *parent, const uint32_t *size,
                          const uint32_t *next, const size_t *adj_start, const uint32_t *adj,
                          const uint8_t *adj_kind, uint32_t u, toward *tw, uint32_t *best)
{
    *best = UINT32_MAX;
    if (parent[u] != u || size[u] != 1 || adj_start[u] == adj_start[u + 1])
        return RP_OK;
    size_t n = 0;
    for (size_t e = adj_start[u]; e < adj_start[u + 1]; e++)
        tw[n++] = (toward){rpi_uf_find(parent, adj[e]), (adj_kind[e] & LINK_VETOED) != 0, 0, 0};
    if (n > 1)
        qsort(tw, n, sizeof *tw, cmp_toward);
    int loaded = 0; /* (u's vectors, once a group may take it) */
    const double min = 2 * RPI_STORY_SIM / sqrt(2 + 2 * RPI_STORY_SIM);
    const double smin = 2 * RPI_STORY_SPECIFICS / sqrt(2 + 2 * RPI_STORY_SPECIFICS);
    double bestcos = 0;
    for (size_t i = 0, j; i < n; i = j) {
        int veto = 0;
        for (j = i; j < n && tw[j].root == tw[i].root; j++)
            veto |= tw[j].veto;
        uint32_t r = tw[i].root;
        if (size[r] < 2 || veto)
            continue;
        if (!loaded) {
            RP_TRY(load_one(ct, u));
            RP_TRY(load_one(cs, u));
            loaded = 1;
        }
        /* (the event centroid of every group it may join: the documents asked
         * for do not depend on the vectors, rpi_stories_vectors_needed) */
        double cosine, scos;
        RP_TRY(cosine_with(ct, next, r, &cosine));
        if (cosine < min || (*best != UINT32_MAX && cosine <= bestcos))
            continue;
        if (cs->none) {
            RP_TRY(cosine_with(cs, next, r, &scos));
            if (scos < smin)
                continue;
        }
        *best = r; /* (roots ascend: of equal cosines the lower stays) */
        bestcos = cosine;
    }
    return RP_OK;
}

/* The number of unit x among the k units ids (in: their bits), or
 * UINT32_MAX when it is in no link. */
static uint32_t unit_in(const uint32_t *ids, size_t k, const uint8_t *in, uint32_t x)
{
    if (!(in[x / 8] >> x % 8 & 1))
        return UINT32_MAX;
    return (uint32_t)rpi_find_u32(ids, k, x);
}

int rpi_stories_join(size_t ndocs, const rp_pair *pairs, size_t npairs, const uint32_t *unit,
                     rp_relation start_max, rp_pair **star, size_t *nstar, uint8_t *alone,
                     rpi_vector_fn vec, void *vctx)
{
    int rc = RP_ENOMEM;
    link *ln = rpi_malloc(npairs * sizeof *ln + 1);
    uint32_t *ids = NULL; /* the units in a link, ascending: the tables below index them */
    uint8_t *in = NULL; /* a bit per document: a unit in a link */
    uint32_t *parent = NULL, *size = NULL, *next = NULL; /* next: circular list of a group's units */
    size_t *adj_start = NULL;
    uint32_t *adj = NULL, *first = NULL;
    uint8_t *adj_kind = NULL; /* per adjacency: its link's kind */
    float *adj_sim = NULL; /* per adjacency: its link's similarity */
    float *adj_spec = NULL; /* per adjacency: its link's similarity of specifics */
    uint32_t *join = NULL;
    toward *tw = NULL;
    centroids ct = {0}, cs = {0};
    *star = NULL;
    *nstar = 0;
    if (!ln)
        goto fail;
    size_t n = 0;
    for (size_t i = 0; i < npairs; i++) {
        uint32_t u = unit[pairs[i].a], v = unit[pairs[i].b];
        if (u == v || pairs[i].relation > RP_REL_SAME_TOPIC)
            continue;
        uint8_t kind = pairs[i].relation <= start_max      ? LINK_STRONG
                       : rpi_story_veto(&pairs[i]) != NULL ? LINK_OTHER | LINK_VETOED
                       : rpi_story_support(&pairs[i])      ? LINK_SUPPORT
                                                           : LINK_OTHER;
        ln[n++] = (link){u < v ? u : v, u < v ? v : u, (uint32_t)pairs[i].relation,
                         (float)pairs[i].event, (float)pairs[i].specifics, kind};
    }
    /* One link per pair of units (cmp_units), vetoed when any of their pairs is. */
    if (n > 1)
        qsort(ln, n, sizeof *ln, cmp_units);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && ln[m - 1].u == ln[i].u && ln[m - 1].v == ln[i].v)
            ln[m - 1].kind |= ln[i].kind & LINK_VETOED;
        else
            ln[m++] = ln[i];
    }
    n = m;
    /* The units in a link, numbered in document order: a unit in none is
     * left alone by every rule below, and tables over every document took
     * about 80 bytes each (on rank 0 of an MPI job, for every document of
     * the run: 48 MB at a million generated documents, measured). The
     * numbering keeps the order of units, so every choice is the same. */
    ids = rpi_malloc(2 * n * sizeof *ids + 1);
    in = rpi_calloc(ndocs / 8 + 1, 1);
    if (!ids || !in)
        goto fail;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        ids[k++] = ln[i].u;
        ids[k++] = ln[i].v;
    }
    k = rpi_sort_unique_u32(ids, k);
    for (size_t i = 0; i < k; i++)
        in[ids[i] / 8] |= (uint8_t)(1u << ids[i] % 8);
    for (size_t i = 0; i < n; i++) {
        ln[i].u = (uint32_t)rpi_find_u32(ids, k, ln[i].u);
        ln[i].v = (uint32_t)rpi_find_u32(ids, k, ln[i].v);
    }
    parent = rpi_malloc(k * sizeof *parent + 1);
    size = rpi_malloc(k * sizeof *size + 1);
    next = rpi_malloc(k * sizeof *next + 1);
    adj_start = rpi_calloc(k + 1, sizeof *adj_start);
    adj = rpi_malloc(2 * n * sizeof *adj + 1);
    adj_kind = rpi_malloc(2 * n + 1);
    adj_sim = rpi_malloc(2 * n * sizeof *adj_sim + 1);
    adj_spec = rpi_malloc(2 * n * sizeof *adj_spec + 1);
    if (!parent || !size || !next || !adj_start || !adj || !adj_kind || !adj_sim || !adj_spec)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        adj_start[ln[i].u + 1]++;
        adj_start[ln[i].v + 1]++;
    }
    for (size_t u = 0; u < k; u++)
        adj_start[u + 1] += adj_start[u];
    {
        size_t *fill = rpi_malloc(k * sizeof *fill + 1);
        if (!fill)
            goto fail;
        memcpy(fill, adj_start, k * sizeof *fill);
        for (size_t i = 0; i < n; i++) {
            adj_kind[fill[ln[i].u]] = ln[i].kind;
            adj_sim[fill[ln[i].u]] = ln[i].sim;
            adj_spec[fill[ln[i].u]] = ln[i].spec;
            adj[fill[ln[i].u]++] = ln[i].v;
            adj_kind[fill[ln[i].v]] = ln[i].kind;
            adj_sim[fill[ln[i].v]] = ln[i].sim;
            adj_spec[fill[ln[i].v]] = ln[i].spec;
            adj[fill[ln[i].v]++] = ln[i].u;
        }
        rpi_free(fill);
    }
    if (n > 1)
        qsort(ln, n, sizeof *ln, cmp_strength);
    for (size_t u = 0; u < k; u++) {
        parent[u] = (uint32_t)u;
        size[u] = 1;
        next[u] = (uint32_t)u;
    }
    for (int merged = 1; merged;) {
        merged = 0;
        for (size_t i = 0; i < n; i++) {
            /* A story pair links two groups; a support pair, two stories
             * (groups of two units or more: it never starts one). */
            int sup = ln[i].rank > (uint32_t)start_max;
            if (sup && ln[i].kind != LINK_SUPPORT)
                continue;
            uint32_t ru = rpi_uf_find(parent, ln[i].u), rv = rpi_uf_find(parent, ln[i].v);
            if (ru == rv || (sup && (size[ru] < 2 || size[rv] < 2)))
                continue;
            /* Links across the two groups, counted from the smaller one. */
            uint32_t small = size[ru] <= size[rv] ? ru : rv, other = small == ru ? rv : ru;
            uint64_t strong = 0, across = 0, vetoed = 0, x = small;
            do {
                for (size_t e = adj_start[x]; e < adj_start[x + 1]; e++) {
                    if (rpi_uf_find(parent, adj[e]) != other)
                        continue;
                    vetoed += (adj_kind[e] & LINK_VETOED) != 0;
                    if ((adj_kind[e] & ~LINK_VETOED) != LINK_OTHER) {
                        across++;
                        strong += (adj_kind[e] & ~LINK_VETOED) == LINK_STRONG;
                    }
                }
                x = next[x];
            } while (x != small);
            /* Most pairs across story pairs; or most story or support
             * pairs, none telling another event; linked by a support pair,
             * every pair across a story or support pair, none vetoed. */
            uint64_t all = (uint64_t)size[ru] * size[rv];
            if (2 * strong <= all && (2 * across <= all || vetoed))
                continue;
            if (sup && (across < all || vetoed))
                continue;
            uint32_t root = ru < rv ? ru : rv, child = root == ru ? rv : ru;
            parent[child] = root;
            size[root] += size[child];
            uint32_t t = next[root];
            next[root] = next[child];
            next[child] = t;
            merged = 1;
        }
    }
    /* Units left alone, by average link on similarity (story mode only:
     * timelines join on topic pairs, which carry no evidence for or against
     * one event). The groups the pairs made are read as they are, not as
     * units join them. */
    join = rpi_malloc(k * sizeof *join + 1);
    tw = rpi_malloc(2 * n * sizeof *tw + 1);
    if (!join || !tw)
        goto fail;
    for (size_t u = 0; u < k; u++)
        join[u] = start_max < RP_REL_SHARES_PASSAGES
                      ? alone_joins(parent, size, adj_start, adj, adj_kind, adj_sim, adj_spec,
                                    (uint32_t)u, tw)
                      : UINT32_MAX;
    /* Then by the story's centroid, where the vectors are known. */
    if (vec && start_max < RP_REL_SHARES_PASSAGES) {
        ct.vec = cs.vec = vec;
        ct.vctx = cs.vctx = vctx;
        ct.ids = cs.ids = ids;
        cs.which = 1;
        ct.at = rpi_malloc(k * sizeof *ct.at + 1);
        ct.len = rpi_malloc(k * sizeof *ct.len + 1);
        ct.norm = rpi_malloc(k * sizeof *ct.norm + 1);
        cs.at = rpi_malloc(k * sizeof *cs.at + 1);
        cs.len = rpi_malloc(k * sizeof *cs.len + 1);
        cs.norm = rpi_malloc(k * sizeof *cs.norm + 1);
        if (!ct.at || !ct.len || !ct.norm || !cs.at || !cs.len || !cs.norm)
            goto fail;
        for (size_t u = 0; u < k; u++)
            ct.at[u] = cs.at[u] = SIZE_MAX;
        for (size_t u = 0; u < k; u++)
            if (join[u] == UINT32_MAX) {
                int e = centroid_joins(&ct, &cs, parent, size, next, adj_start, adj, adj_kind,
                                       (uint32_t)u, tw, &join[u]);
                if (e != RP_OK) {
                    rc = e;
                    goto fail;
                }
            }
    }
    if (alone)
        for (size_t d = 0; d < ndocs; d++) {
            uint32_t u = unit_in(ids, k, in, unit[d]);
            alone[d] = u == UINT32_MAX || size[rpi_uf_find(parent, u)] == 1;
        }
    /* A star of pairs per story: from its first document of the groups the
     * pairs made (a unit that joined alone never names a story) to each
     * other one; a unit in no link is a group of its own, named by its
     * first document (the unit). */
    first = rpi_malloc(k * sizeof *first + 1);
    if (!first)
        goto fail;
    for (size_t u = 0; u < k; u++)
        first[u] = UINT32_MAX;
    for (size_t d = 0; d < ndocs; d++) {
        uint32_t u = unit_in(ids, k, in, unit[d]);
        if (u == UINT32_MAX)
            continue;
        uint32_t r = rpi_uf_find(parent, u);
        if (first[r] == UINT32_MAX)
            first[r] = (uint32_t)d;
    }
    /* Counted first: most documents are alone and give no pair, and a pair
     * is 104 bytes (a star sized for every document took 208 MB at 2
     * million generated documents). */
    size_t nst = 0;
    for (int fill = 0; fill < 2; fill++) {
        if (fill && !(*star = rpi_malloc(nst * sizeof **star + 1)))
            goto fail;
        for (size_t d = 0; d < ndocs; d++) {
            uint32_t u = unit_in(ids, k, in, unit[d]), a = unit[d];
            assert(a <= d); /* (a unit is named by its first document) */
            if (u != UINT32_MAX)
                a = first[join[u] != UINT32_MAX ? join[u] : rpi_uf_find(parent, u)];
            if (a == d)
                continue;
            if (fill)
                (*star)[(*nstar)++] = (rp_pair){.a = a, .b = (uint32_t)d};
            else
                nst++;
        }
    }
    rc = RP_OK;
fail:
    if (rc != RP_OK) {
        rpi_free(*star);
        *star = NULL;
        *nstar = 0;
    }
    rpi_free(ln);
    rpi_free(ids);
    rpi_free(in);
    rpi_free(parent);
    rpi_free(size);
    rpi_free(next);
    rpi_free(adj_start);
    rpi_free(adj);
    rpi_free(adj_kind);
    rpi_free(adj_sim);
    rpi_free(adj_spec);
    rpi_free(join);
    rpi_free(tw);
    rpi_free(ct.at);
    rpi_free(ct.len);
    rpi_free(ct.norm);
    rpi_free(ct.terms);
    rpi_free(ct.one);
    rpi_free(cs.at);
    rpi_free(cs.len);
    rpi_free(cs.norm);
    rpi_free(cs.terms);
    rpi_free(cs.one);
    rpi_free(first);
    return rc;
}

/* The units copies makes of ndocs documents into unit (rpi_stories_join). */
static void units_of(size_t ndocs, const rpi_clusters *copies, uint32_t *unit)
{
    for (size_t d = 0; d < ndocs; d++)
        unit[d] = (uint32_t)d;
    for (size_t k = 0; k < copies->n; k++)
        for (size_t i = copies->start[k]; i < copies->start[k + 1]; i++)
            unit[copies->members[i]] = copies->members[copies->start[k]];
}

/* The documents asked for, in the order asked (repeats kept). */
typedef struct asked {
    uint32_t *v;
    size_t n, cap;
} asked;

/* An rpi_vector_fn that gives no vector and notes which documents are asked. */
static int note_asked(void *ctx, uint32_t doc, int which, const rpi_term **t, size_t *n)
{
    asked *a = ctx;
    (void)which;
    *t = NULL;
    *n = 0;
    if (a->n == a->cap)
        RP_TRY(rpi_grow((void **)&a->v, &a->cap, a->n + 1, sizeof *a->v));
    a->v[a->n++] = doc;
    return RP_OK;
}

int rpi_stories_vectors_needed(size_t ndocs, const rp_pair *pairs, size_t npairs,
                               const rpi_clusters *copies, uint32_t **need, size_t *nneed)
{
    rp_pair *star = NULL;
    size_t nstar = 0;
    asked a = {0};
    *need = NULL;
    *nneed = 0;
    uint32_t *unit = rpi_malloc(ndocs * sizeof *unit + 1);
    if (!unit)
        return RP_ENOMEM;
    units_of(ndocs, copies, unit);
    int rc = rpi_stories_join(ndocs, pairs, npairs, unit, RP_REL_SAME_STORY, &star, &nstar, NULL,
                              note_asked, &a);
    rpi_free(unit);
    rpi_free(star);
    if (rc != RP_OK) {
        rpi_free(a.v);
        return rc;
    }
    *need = a.v;
    *nneed = rpi_sort_unique_u32(a.v, a.n);
    return RP_OK;
}

int rpi_stories(size_t ndocs, const rp_pair *pairs, size_t npairs, const rpi_clusters *copies,
                rpi_prefer_fn prefer, void *ctx, rpi_vector_fn vec, void *vctx,
                rpi_clusters *out)
{
    rp_pair *star = NULL;
    uint32_t *unit = rpi_malloc(ndocs * sizeof *unit + 1);
    size_t nstar = 0;
    if (!unit)
        return RP_ENOMEM;
    units_of(ndocs, copies, unit);
    int rc = rpi_stories_join(ndocs, pairs, npairs, unit, RP_REL_SAME_STORY, &star, &nstar, NULL,
                              vec, vctx);
    if (rc == RP_OK)
        rc = rpi_clusters_build(ndocs, star, nstar, prefer, ctx, out);
    rpi_free(unit);
    rpi_free(star);
    return rc;
}
