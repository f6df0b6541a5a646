/* SPDX-License-Identifier: MIT */
/*
 * serve.c -- `reprint serve DB`: the index over HTTP (libmicrohttpd), JSON in
 * and out (jansson), on the public API of reprint.h only.
 *
 *   POST /documents            add (a JSON object, an array of them, or JSONL)
 *   POST /query                where they would stand, nothing added
 *   GET  /documents/{id}       a document
 *   GET  /documents/{id}/related   its relations, passages, differing figures
 *   GET  /clusters/{n}         a copy cluster
 *   GET  /stories/{n}          a story and its timeline
 *   GET  /health               liveness and the number of documents
 *
 * One thread per connection. Each request borrows an index handle from a
 * pool (SQLite connections are not shared between threads); adds are
 * serialised by a mutex, reads never wait for them (WAL). SIGINT and SIGTERM
 * stop the daemon: it stops accepting, lets the requests in progress finish
 * (an acknowledged document is committed), and exits 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "cli.h"

typedef struct server {
    const char *db; /* the index */
    rp_options opt; /* options for adds */
    pthread_mutex_t pool_mu; /* guards pool */
    rp_index **pool; /* idle handles */
    size_t npool, cappool;
    pthread_mutex_t write_mu; /* one add at a time */
    size_t max_body; /* largest body accepted */
    int inflight; /* requests being answered (atomic): shutdown waits for them */
} server;

/* Idle index handles kept for later requests; more are closed when given back
 * (each holds a page cache and the counts it read). */
#define POOL_KEEP 4

/* How long an add waits for the one in progress before answering 503. */
#define WRITE_WAIT_S 10

/* A request being received. */
typedef struct request {
    char *body;
    size_t len, cap;
    int too_big; /* the body passed max_body: the rest is dropped, 413 */
} request;

static rp_index *borrow(server *s, char *err, size_t errcap)
{
    rp_index *x = NULL;
    pthread_mutex_lock(&s->pool_mu);
    if (s->npool)
        x = s->pool[--s->npool];
    pthread_mutex_unlock(&s->pool_mu);
    if (x)
        return x;
    if (rp_index_open(&x, s->db, &s->opt, 0) != RP_OK) {
        snprintf(err, errcap, "%s", x ? rp_index_errmsg(x) : "out of memory");
        rp_index_close(x);
        return NULL;
    }
    return x;
}

static void give_back(server *s, rp_index *x)
{
    pthread_mutex_lock(&s->pool_mu);
    if (s->npool >= POOL_KEEP) {
        pthread_mutex_unlock(&s->pool_mu);
        rp_index_close(x);
        return;
    }
    if (s->npool == s->cappool) {
        size_t cap = s->cappool ? 2 * s->cappool : 8;
        rp_index **p = realloc(s->pool, cap * sizeof *p);
        if (!p) {
            pthread_mutex_unlock(&s->pool_mu);
            rp_index_close(x);
            return;
        }
        s->pool = p;
        s->cappool = cap;
    }
    s->pool[s->npool++] = x;
    pthread_mutex_unlock(&s->pool_mu);
}

/* ---- answers --------------------------------------------------------------------- */

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!text) {
        static char oom[] = "{\"error\":\"out of memory\"}\n";
        struct MHD_Response *r =
            MHD_create_response_from_buffer(sizeof oom - 1, oom, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Content-Type", "application/json");
        enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_INTERNAL_SERVER_ERROR, r);
        MHD_destroy_response(r);
        return ret;
    }
    size_t n = strlen(text);
    char *body = realloc(text, n + 2);
    if (body) {
        body[n++] = '\n';
        body[n] = 0;
        text = body;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(n, text, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* A JSON string of possibly invalid UTF-8: invalid bytes become U+FFFD. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    json_t *j = json_string(s);
    if (j)
        return j;
    size_t n = strlen(s);
    char *t = malloc(3 * n + 1), *q = t;
    if (!t)
        return json_null();
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            *q++ = (char)ch;
        } else {
            memcpy(q, "\xEF\xBF\xBD", 3); /* crude: every non-ASCII byte */
            q += 3;
        }
    }
    *q = 0;
    j = json_string(t);
    free(t);
    return j ? j : json_null();
}

/* A score as the other writers print it: four decimals, rounded down. */
static json_t *score(double x)
{
    return json_real(floor(x * 10000.0 + 1e-9) / 10000.0);
}

static enum MHD_Result error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    return send_json(c, status, json_pack("{s:o}", "error", jstr(msg)));
}

static json_t *doc_json(const rp_indexed *d)
{
    json_t *j = json_pack("{s:I,s:o,s:I,s:I}", "number", (json_int_t)d->number, "id", jstr(d->id),
                          "cluster", (json_int_t)d->cluster, "story", (json_int_t)d->story);
    const char *names[4] = {"date", "source", "url", "title"};
    const char *vals[4] = {d->date, d->source, d->url, d->title};
    for (int k = 0; j && k < 4; k++)
        if (vals[k])
            json_object_set_new(j, names[k], jstr(vals[k]));
    return j;
}

/* ---- POST /documents and /query ------------------------------------------------- */

static void on_placement(void *user, const rp_placement *p)
{
    json_t *arr = user;
    json_t *j = json_pack("{s:o,s:s,s:o}", "id", jstr(p->id), "relation",
                          rp_relation_name(p->relation), "closest", jstr(p->closest));
    if (!j)
        return;
    json_object_set_new(j, "cluster", p->new_cluster ? json_string("new")
                                                     : json_integer((json_int_t)p->cluster));
    json_object_set_new(j, "story", p->new_story ? json_string("new")
                                                 : json_integer((json_int_t)p->story));
    json_array_append_new(arr, j);
}

/* The body as JSONL: one object, or an array of objects, become one line each;
 * anything else is taken as JSONL and checked line by line by the library. */
static char *as_jsonl(const char *body, size_t len, size_t *out_len)
{
    json_error_t e;
    json_t *j = json_loadb(body, len, JSON_DECODE_ANY, &e);
    if (j && (json_is_object(j) || json_is_array(j))) {
        size_t n = json_is_array(j) ? json_array_size(j) : 1, total = 0;
        char *out = NULL;
        for (size_t i = 0; i < n; i++) {
            json_t *one = json_is_array(j) ? json_array_get(j, i) : j;
            char *line = json_dumps(one, JSON_COMPACT | JSON_ENCODE_ANY);
            if (!line)
                continue;
            size_t m = strlen(line);
            char *grown = realloc(out, total + m + 2);
            if (!grown) {
                free(line);
                break;
            }
            out = grown;
            memcpy(out + total, line, m);
            out[total + m] = '\n';
            total += m + 1;
            free(line);
        }
        json_decref(j);
        *out_len = total;
        return out ? out : calloc(1, 1);
    }
    json_decref(j);
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, body, len);
        copy[len] = 0;
    }
    *out_len = len;
    return copy;
}

static enum MHD_Result post_documents(server *s, struct MHD_Connection *c, request *rq,
                                      int query)
{
    if (rq->len == 0)
        return error(c, MHD_HTTP_BAD_REQUEST, "empty body: send a JSON object with an \"id\" "
                                              "and a \"text\", an array of them, or JSONL");
    size_t n;
    char *jsonl = as_jsonl(rq->body, rq->len, &n);
    if (!jsonl)
        return error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
    char err[1024];
    rp_index *x = borrow(s, err, sizeof err);
    if (!x) {
        free(jsonl);
        return error(c, MHD_HTTP_SERVICE_UNAVAILABLE, err);
    }
    json_t *arr = json_array();
    if (!query) {
        struct timespec deadline;
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += WRITE_WAIT_S;
        if (pthread_mutex_timedlock(&s->write_mu, &deadline) != 0) {
            json_decref(arr);
            free(jsonl);
            give_back(s, x);
            return error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                         "another request has been adding documents for too long; try again");
        }
    }
    int rc = rp_index_add_buffer(x, jsonl, n, "request body", query ? RP_INDEX_QUERY : 0,
                                 on_placement, arr);
    if (!query)
        pthread_mutex_unlock(&s->write_mu);
    free(jsonl);
    snprintf(err, sizeof err, "%s", rp_index_errmsg(x));
    give_back(s, x);
    if (rc != RP_OK) {
        json_decref(arr);
        unsigned status = rc == RP_EBADINPUT ? (strstr(err, "already in the index")
                                                    ? MHD_HTTP_CONFLICT
                                                    : MHD_HTTP_BAD_REQUEST)
                        : rc == RP_EINVAL ? MHD_HTTP_BAD_REQUEST
                        : strstr(err, "another process") ? MHD_HTTP_SERVICE_UNAVAILABLE
                                                         : MHD_HTTP_INTERNAL_SERVER_ERROR;
        return error(c, status, err[0] ? err : rp_strerror(rc));
    }
    return send_json(c, query ? MHD_HTTP_OK : MHD_HTTP_CREATED,
                     json_pack("{s:o}", "placements", arr));
}

/* ---- GET ------------------------------------------------------------------------ */

static enum MHD_Result get_health(server *s, struct MHD_Connection *c)
{
    char err[1024];
    rp_index *x = borrow(s, err, sizeof err);
    if (!x)
        return error(c, MHD_HTTP_SERVICE_UNAVAILABLE, err);
    rp_index_info st;
    int rc = rp_index_stats(x, &st);
    give_back(s, x);
    if (rc != RP_OK)
        return error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "the index cannot be read");
    return send_json(c, MHD_HTTP_OK,
                     json_pack("{s:s,s:I,s:I,s:s}", "status", "ok", "documents",
                               (json_int_t)st.ndocs, "stories", (json_int_t)st.nstories,
                               "version", rp_version()));
}

static enum MHD_Result get_document(server *s, struct MHD_Connection *c, const char *id)
{
    char err[1024];
    rp_index *x = borrow(s, err, sizeof err);
    if (!x)
        return error(c, MHD_HTTP_SERVICE_UNAVAILABLE, err);
    rp_indexed d;
    int rc = rp_index_get(x, id, 0, &d);
    json_t *j = NULL;
    if (rc == 1 && (j = doc_json(&d)))
        json_object_set_new(j, "text", jstr(d.text));
    give_back(s, x);
    if (rc < 0)
        return error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the index cannot be read");
    if (rc == 0)
        return error(c, MHD_HTTP_NOT_FOUND, "no document has this id");
    return send_json(c, MHD_HTTP_OK, j);
}

/* The related pairs, gathered (texts are added once the lookup is done). */
typedef struct gathered {
    json_t *arr; /* the pairs */
    int64_t *other; /* per pair: the other document's number */
    size_t n, cap;
} gathered;

static void on_related(void *user, const rp_index_pair *p)
{
    gathered *g = user;
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;
        int64_t *o = realloc(g->other, cap * sizeof *o);
        if (!o)
            return;
        g->other = o;
        g->cap = cap;
    }
    json_t *j = doc_json(p->b);
    if (!j)
        return;
    json_object_set_new(j, "relation", json_string(rp_relation_name(p->pair.relation)));
    json_object_set_new(j, "why", jstr(p->pair.why));
    json_object_set_new(j, "jaccard", score(p->pair.jaccard));
    json_object_set_new(j, "containment_a", score(p->pair.containment_a));
    json_object_set_new(j, "containment_b", score(p->pair.containment_b));
    json_object_set_new(j, "coverage_a", score(p->pair.coverage_a));
    json_object_set_new(j, "coverage_b", score(p->pair.coverage_b));
    json_object_set_new(j, "event", score(p->pair.event));
    json_object_set_new(j, "specifics", score(p->pair.specifics));
    json_t *ps = json_array(), *ds = json_array();
    for (size_t i = 0; i < p->npassages; i++)
        json_array_append_new(ps, json_pack("{s:I,s:I,s:I,s:I,s:f}", "a_start",
                                            (json_int_t)p->passages[i].a_start, "a_end",
                                            (json_int_t)p->passages[i].a_end, "b_start",
                                            (json_int_t)p->passages[i].b_start, "b_end",
                                            (json_int_t)p->passages[i].b_end, "score",
                                            floor(p->passages[i].score * 10000.0 + 1e-9) / 10000.0));
    for (size_t i = 0; i < p->ndifferences; i++)
        json_array_append_new(ds, json_pack("{s:I,s:I,s:I,s:I,s:s}", "a_start",
                                            (json_int_t)p->differences[i].a_start, "a_end",
                                            (json_int_t)p->differences[i].a_end, "b_start",
                                            (json_int_t)p->differences[i].b_start, "b_end",
                                            (json_int_t)p->differences[i].b_end, "kind",
                                            p->differences[i].kind));
    json_object_set_new(j, "passages", ps);
    json_object_set_new(j, "differences", ds);
    g->other[g->n++] = p->b->number;
    json_array_append_new(g->arr, j);
}

/* Add "text_a" and "text_b" (the words at each range) to the items of arr. */
static void add_texts(json_t *arr, const char *ta, size_t la, const char *tb, size_t lb,
                      const char *ka, const char *kb)
{
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it) {
        size_t as = (size_t)json_integer_value(json_object_get(it, "a_start"));
        size_t ae = (size_t)json_integer_value(json_object_get(it, "a_end"));
        size_t bs = (size_t)json_integer_value(json_object_get(it, "b_start"));
        size_t be = (size_t)json_integer_value(json_object_get(it, "b_end"));
        if (as <= ae && ae <= la)
            json_object_set_new(it, ka, json_stringn_nocheck(ta + as, ae - as));
        if (bs <= be && be <= lb)
            json_object_set_new(it, kb, json_stringn_nocheck(tb + bs, be - bs));
    }
}

static enum MHD_Result get_related(server *s, struct MHD_Connection *c, const char *id)
{
    char err[1024];
    rp_index *x = borrow(s, err, sizeof err);
    if (!x)
        return error(c, MHD_HTTP_SERVICE_UNAVAILABLE, err);
    rp_indexed d;
    int rc = rp_index_get(x, id, 0, &d);
    if (rc != 1) {
        give_back(s, x);
        return rc == 0 ? error(c, MHD_HTTP_NOT_FOUND, "no document has this id")
                       : error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the index cannot be read");
    }
    char *text = strndup(d.text ? d.text : "", d.text_len);
    size_t len = d.text_len;
    json_t *me = doc_json(&d);
    gathered g = {json_array(), NULL, 0, 0};
    int64_t n = text ? rp_index_related(x, d.number, on_related, &g) : RP_ENOMEM;
    for (size_t i = 0; n >= 0 && i < g.n; i++) {
        rp_indexed o;
        if (rp_index_get(x, NULL, g.other[i], &o) != 1)
            continue;
        json_t *it = json_array_get(g.arr, i);
        add_texts(json_object_get(it, "passages"), text, len, o.text, o.text_len, "text_a",
                  "text_b");
        add_texts(json_object_get(it, "differences"), text, len, o.text, o.text_len, "a_text",
                  "b_text");
    }
    give_back(s, x);
    free(text);
    free(g.other);
    if (n < 0) {
        json_decref(g.arr);
        json_decref(me);
        return error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the index cannot be read");
    }
    json_object_set_new(me, "related", g.arr);
    return send_json(c, MHD_HTTP_OK, me);
}

static void on_member(void *user, const rp_indexed *d)
{
    json_array_append_new(user, doc_json(d));
}

static void on_event(void *user, const rp_index_event *e)
{
    json_t *j = json_pack("{s:I,s:I,s:o,s:o}", "story", (json_int_t)e->story, "documents",
                          (json_int_t)e->size, "first",
                          e->first[0] ? json_string(e->first) : json_null(), "last",
                          e->last[0] ? json_string(e->last) : json_null());
    if (j && e->self)
        json_object_set_new(j, "self", json_true());
    json_array_append_new(user, j);
}

/* A number from a path part, or -1. */
static int64_t number(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return errno || end == s || *end || v < 1 ? -1 : (int64_t)v;
}

static enum MHD_Result get_group(server *s, struct MHD_Connection *c, int story, const char *n)
{
    int64_t id = number(n);
    if (id < 0)
        return error(c, MHD_HTTP_NOT_FOUND, story ? "a story is a number: /stories/N"
                                                  : "a cluster is a number: /clusters/N");
    char err[1024];
    rp_index *x = borrow(s, err, sizeof err);
    if (!x)
        return error(c, MHD_HTTP_SERVICE_UNAVAILABLE, err);
    json_t *members = json_array(), *events = story ? json_array() : NULL;
    int64_t m = rp_index_members(x, story, id, on_member, members);
    int64_t e = story && m > 0 ? rp_index_timeline(x, id, on_event, events) : 0;
    give_back(s, x);
    if (m <= 0 || e < 0) {
        json_decref(members);
        json_decref(events);
        return m == 0 ? error(c, MHD_HTTP_NOT_FOUND, story ? "no such story" : "no such cluster")
                      : error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "the index cannot be read");
    }
    json_t *j = json_pack("{s:I,s:o}", story ? "story" : "cluster", (json_int_t)id, "members",
                          members);
    if (story) {
        /* Earlier and later events: by date against the story's own first date. */
        const char *self_first = NULL;
        size_t i;
        json_t *it;
        json_array_foreach(events, i, it) if (json_is_true(json_object_get(it, "self")))
            self_first = json_string_value(json_object_get(it, "first"));
        json_t *earlier = json_array(), *later = json_array(), *undated = json_array();
        json_array_foreach(events, i, it) {
            if (json_is_true(json_object_get(it, "self")))
                continue;
            const char *f = json_string_value(json_object_get(it, "first"));
            json_t *to = !f || !self_first ? undated : strcmp(f, self_first) < 0 ? earlier : later;
            json_array_append(to, it);
        }
        json_object_set_new(j, "timeline", json_pack("{s:o,s:o,s:o,s:o}", "events", events,
                                                      "earlier", earlier, "later", later,
                                                      "undated", undated));
    }
    return send_json(c, MHD_HTTP_OK, j);
}

/* ---- routing ---------------------------------------------------------------------- */

static enum MHD_Result route(server *s, struct MHD_Connection *c, const char *url,
                             const char *method, request *rq);

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    server *s = cls;
    request *rq = *con_cls;
    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rq->too_big && rq->len + *upload_size > s->max_body)
            rq->too_big = 1;
        if (!rq->too_big) {
            if (rq->len + *upload_size > rq->cap) {
                size_t cap = rq->cap ? rq->cap : 65536;
                while (cap < rq->len + *upload_size)
                    cap *= 2;
                char *b = realloc(rq->body, cap);
                if (!b)
                    return MHD_NO;
                rq->body = b;
                rq->cap = cap;
            }
            memcpy(rq->body + rq->len, upload, *upload_size);
            rq->len += *upload_size;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    __atomic_add_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
    enum MHD_Result ret = route(s, c, url, method, rq);
    __atomic_sub_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
    return ret;
}

/* The answer to a request whose body is all in. */
static enum MHD_Result route(server *s, struct MHD_Connection *c, const char *url,
                             const char *method, request *rq)
{
    int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    if (rq->too_big) {
        char msg[128];
        snprintf(msg, sizeof msg, "body larger than %zu bytes (reprint serve --max-body)",
                 s->max_body);
        return error(c, MHD_HTTP_CONTENT_TOO_LARGE, msg);
    }
    if (strcmp(url, "/documents") == 0 || strcmp(url, "/query") == 0) {
        if (!post)
            return error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST");
        return post_documents(s, c, rq, url[1] == 'q');
    }
    if (!get)
        return error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET");
    if (strcmp(url, "/health") == 0)
        return get_health(s, c);
    if (strncmp(url, "/documents/", 11) == 0 && url[11]) {
        const char *id = url + 11;
        size_t n = strlen(id);
        if (n > 8 && strcmp(id + n - 8, "/related") == 0) {
            char *only = strndup(id, n - 8);
            if (!only)
                return MHD_NO;
            enum MHD_Result r = get_related(s, c, only);
            free(only);
            return r;
        }
        return get_document(s, c, id);
    }
    if (strncmp(url, "/clusters/", 10) == 0)
        return get_group(s, c, 0, url + 10);
    if (strncmp(url, "/stories/", 9) == 0)
        return get_group(s, c, 1, url + 9);
    return error(c, MHD_HTTP_NOT_FOUND,
                 "no such route: POST /documents, POST /query, GET /documents/ID, "
                 "GET /documents/ID/related, GET /clusters/N, GET /stories/N, GET /health");
}

static void done(void *cls, struct MHD_Connection *c, void **con_cls,
                 enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

/* "HOST:PORT" or "[V6]:PORT" into a socket address. */
static int parse_listen(const char *spec, struct sockaddr_storage *sa, socklen_t *salen)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= sizeof host)
        return -1;
    const char *h = spec;
    size_t hl = (size_t)(colon - spec);
    if (h[0] == '[' && hl > 2 && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    memcpy(host, h, hl);
    host[hl] = 0;
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res)
        return -1;
    memcpy(sa, res->ai_addr, res->ai_addrlen);
    *salen = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    cli_opts o;
    int ex = cli_parse(argc, argv, CLI_SERVE, &serve_usage, &o);
    if (ex == EXIT_OK && o.ninputs > 1) {
        cli_error("serve takes one DB (see 'reprint serve --help')");
        ex = EXIT_USAGE;
    }
    if (ex != EXIT_OK) {
        free(o.inputs);
        return ex < 0 ? EXIT_OK : ex;
    }
    struct sockaddr_storage sa;
    socklen_t salen = 0;
    const char *listen = o.listen ? o.listen : "127.0.0.1:8080";
    if (parse_listen(listen, &sa, &salen) != 0) {
        cli_error("--listen: '%s' is not ADDRESS:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)",
                  listen);
        free(o.inputs);
        return EXIT_USAGE;
    }
    server s = {.db = o.inputs[0], .opt = o.lib, .max_body = o.max_body ? o.max_body : 10u << 20};
    pthread_mutex_init(&s.pool_mu, NULL);
    pthread_mutex_init(&s.write_mu, NULL);
    /* Open once now, so that a missing or foreign index is told at start. */
    char err[1024];
    rp_index *x = borrow(&s, err, sizeof err);
    if (!x) {
        cli_error("%s", err);
        free(o.inputs);
        return EXIT_IO;
    }
    give_back(&s, x);
    /* The signals that stop the service are taken by sigwait below: blocked
     * before the daemon's threads start, so they inherit the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG |
            MHD_USE_ITC |
            (sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
        0, NULL, NULL, handle, &s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(o.timeout ? o.timeout : 30),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)256,
        MHD_OPTION_NOTIFY_COMPLETED, done, NULL, MHD_OPTION_END);
    if (!d) {
        cli_error("cannot listen on %s: %s", listen, strerror(errno));
        free(o.inputs);
        return EXIT_IO;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    char hostpart[300];
    snprintf(hostpart, sizeof hostpart, "%.*s", (int)(strrchr(listen, ':') - listen), listen);
    fprintf(stderr, "reprint: serving %s on http://%s:%u/ (SIGINT or SIGTERM stops)\n",
            s.db, hostpart, port);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "reprint: %s: stopping once the requests in progress are answered\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    /* No new connection. The requests being answered are waited for, however
     * long an add takes (its answer is the client's acknowledgment); then up to
     * a second for the answers to go out before open connections are closed. */
    MHD_quiesce_daemon(d);
    struct timespec pause = {0, 50 * 1000 * 1000};
    while (__atomic_load_n(&s.inflight, __ATOMIC_SEQ_CST) > 0)
        nanosleep(&pause, NULL);
    for (int i = 0; i < 20; i++) {
        const union MHD_DaemonInfo *ci = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
        if (!ci || ci->num_connections == 0)
            break;
        nanosleep(&pause, NULL);
    }
    MHD_stop_daemon(d);
    for (size_t i = 0; i < s.npool; i++)
        rp_index_close(s.pool[i]);
    free(s.pool);
    free(o.inputs);
    return EXIT_OK;
}
