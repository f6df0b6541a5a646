/* SPDX-License-Identifier: MIT */
/*
 * _reprint.c -- the CPython extension under `import reprint`, a thin layer on
 * include/reprint.h (nothing else of the library is used).
 *
 * Documents from a Python iterable are encoded here as JSONL and streamed
 * into the library through rp_corpus_add_reader(), so a generator over a
 * large file is never held in memory. The GIL is released while the library
 * works; it is taken back only to pull the next documents, to pass progress
 * and warnings to Python, and to check for Ctrl-C (the run is then stopped
 * with rp_corpus_interrupt() and the KeyboardInterrupt raised).
 *
 * The Python layer (reprint/__init__.py) checks option names, builds the
 * result objects and writes files; this file owns the calls into C.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <datetime.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "reprint.h"

static PyObject *Error, *BadInput, *UsageError;
static const char *const meta_names[4] = {"date", "source", "url", "title"};
static PyObject *meta_keys[4]; /* meta_names as str */

/* ---- errors ------------------------------------------------------------------ */

/* A str of C bytes that may not be UTF-8 (a file name, a message cut at a byte
 * count): invalid bytes become lone surrogates, as os.fsdecode does. */
static PyObject *str_of(const char *s)
{
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "surrogateescape");
}

static void set_error(PyObject *type, const char *msg)
{
    PyObject *m = str_of(msg);
    if (m) {
        PyErr_SetObject(type, m);
        Py_DECREF(m);
    }
}

/* Raise the exception of library status rc with message msg. */
static PyObject *raise_rc(int rc, const char *msg)
{
    if (!msg || !*msg)
        msg = rp_strerror(rc);
    switch (rc) {
    case RP_ENOMEM: return PyErr_NoMemory();
    case RP_EBADINPUT: set_error(BadInput, msg); break;
    case RP_EINVAL: set_error(UsageError, msg); break;
    default: set_error(Error, msg); break;
    }
    return NULL;
}

/* An exception raised in a callback, kept until the library returns. */
typedef struct saved_exc {
    PyObject *type, *value, *tb;
} saved_exc;

/* Keep the current exception (the first one wins). With the GIL. */
static void save_exc(saved_exc *e)
{
    if (e->type) {
        PyErr_Clear();
        return;
    }
    PyErr_Fetch(&e->type, &e->value, &e->tb);
}

/* Raise a kept exception: 1 when there was one. With the GIL. */
static int restore_exc(saved_exc *e)
{
    if (!e->type)
        return 0;
    PyErr_Restore(e->type, e->value, e->tb);
    e->type = e->value = e->tb = NULL;
    return 1;
}

static void clear_exc(saved_exc *e)
{
    Py_CLEAR(e->type);
    Py_CLEAR(e->value);
    Py_CLEAR(e->tb);
}

/* ---- JSONL encoding of documents -------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static int reserve(buf *b, size_t more)
{
    if (b->len + more <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more)
        cap *= 2;
    char *p = PyMem_RawRealloc(b->p, cap);
    if (!p) {
        PyErr_NoMemory();
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

static int put(buf *b, const char *s, size_t n)
{
    if (reserve(b, n) < 0)
        return -1;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return 0;
}

/* How many of the first 16 bytes at s need no escape (16: all of them): a
 * quote, a backslash or a control byte (< 0x20) does. */
static size_t plain_run(const char *s)
{
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i ctl = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f));
    __m128i esc = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                               _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(ctl, esc));
    return m ? (size_t)__builtin_ctz(m) : 16;
#else
    size_t i = 0;
    while (i < 16 && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
        i++;
    return i;
#endif
}

/* Bytes as a JSON string: quotes, backslashes and control bytes escaped;
 * other bytes as they are (the library rejects what is not UTF-8). Sixteen
 * bytes are checked at a time: with a byte-at-a-time loop this was 16% of
 * the CPU samples of reprint.scan(docs, fast=True) on 20,000 documents, in
 * the one thread that feeds the library. */
static int put_str(buf *b, const char *s, size_t n)
{
    if (reserve(b, 6 * n + 2) < 0)
        return -1;
    char *d = b->p + b->len;
    *d++ = '"';
    size_t i = 0;
    while (i < n) {
        if (n - i >= 16) {
            size_t k = plain_run(s + i);
            memcpy(d, s + i, 16); /* (room: 6 bytes reserved for each) */
            d += k;
            i += k;
            if (k == 16)
                continue;
        }
        unsigned char ch = (unsigned char)s[i++];
        if (ch >= 0x20 && ch != '"' && ch != '\\') {
            *d++ = (char)ch;
            continue;
        }
        *d++ = '\\';
        switch (ch) {
        case '"': *d++ = '"'; break;
        case '\\': *d++ = '\\'; break;
        case '\n': *d++ = 'n'; break;
        case '\t': *d++ = 't'; break;
        case '\r': *d++ = 'r'; break;
        default:
            d += sprintf(d, "u%04x", ch);
        }
    }
    *d++ = '"';
    b->len = (size_t)(d - b->p);
    return 0;
}

/* A str as JSON. One that cannot be UTF-8 (lone surrogates) keeps its bytes
 * (surrogateescape, else surrogatepass), for the library to reject. */
static int put_unicode(buf *b, PyObject *o)
{
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(o, &n);
    if (s)
        return put_str(b, s, (size_t)n);
    PyErr_Clear();
    PyObject *raw = PyUnicode_AsEncodedString(o, "utf-8", "surrogateescape");
    if (!raw) {
        PyErr_Clear();
        raw = PyUnicode_AsEncodedString(o, "utf-8", "surrogatepass");
    }
    if (!raw)
        return -1;
    int rc = put_str(b, PyBytes_AS_STRING(raw), (size_t)PyBytes_GET_SIZE(raw));
    Py_DECREF(raw);
    return rc;
}

static const char *a_type(PyObject *v, char *dst, size_t cap);

/*
 * Any JSON-able value: str, bytes (as a string of those bytes), bool, int,
 * float, None, dict with str keys, list, tuple, and dates (isoformat).
 * @return 0; -1 with a Python exception; 1 with why set (no JSON form)
 */
static int put_value(buf *b, PyObject *v, int depth, char *why, size_t cap)
{
    if (depth > 64) {
        snprintf(why, cap, "is nested more than 64 deep");
        return 1;
    }
    if (PyUnicode_Check(v))
        return put_unicode(b, v);
    if (PyBytes_Check(v))
        return put_str(b, PyBytes_AS_STRING(v), (size_t)PyBytes_GET_SIZE(v));
    if (v == Py_None)
        return put(b, "null", 4);
    if (PyBool_Check(v))
        return v == Py_True ? put(b, "true", 4) : put(b, "false", 5);
    if (PyLong_Check(v) || PyFloat_Check(v)) {
        if (PyFloat_Check(v) && !isfinite(PyFloat_AS_DOUBLE(v))) {
            snprintf(why, cap, "is %s, which JSON cannot hold", PyFloat_AS_DOUBLE(v) != PyFloat_AS_DOUBLE(v) ? "NaN" : "infinite");
            return 1;
        }
        PyObject *r = PyLong_Check(v) ? PyLong_Type.tp_repr(v) : PyFloat_Type.tp_repr(v);
        if (!r)
            return -1;
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(r, &n);
        int rc = s ? put(b, s, (size_t)n) : -1;
        Py_DECREF(r);
        return rc;
    }
    if (PyDict_Check(v)) {
        /* A snapshot of the items: encoding may run Python code (isoformat). */
        PyObject *items = PyDict_Items(v);
        if (!items)
            return -1;
        int rc = put(b, "{", 1);
        for (Py_ssize_t i = 0; rc == 0 && i < PyList_GET_SIZE(items); i++) {
            PyObject *k = PyTuple_GET_ITEM(PyList_GET_ITEM(items, i), 0);
            PyObject *x = PyTuple_GET_ITEM(PyList_GET_ITEM(items, i), 1);
            if (!PyUnicode_Check(k)) {
                char t[64];
                snprintf(why, cap, "has a key that is %s, not a string", a_type(k, t, sizeof t));
                rc = 1;
            } else if ((i && put(b, ",", 1) < 0) || put_unicode(b, k) < 0 || put(b, ":", 1) < 0) {
                rc = -1;
            } else {
                rc = put_value(b, x, depth + 1, why, cap);
            }
        }
        Py_DECREF(items);
        return rc ? rc : put(b, "}", 1);
    }
    if (PyList_Check(v) || PyTuple_Check(v)) {
        PyObject *seq = PySequence_Tuple(v); /* a snapshot, as for dicts */
        if (!seq)
            return -1;
        int rc = put(b, "[", 1);
        for (Py_ssize_t i = 0; rc == 0 && i < PyTuple_GET_SIZE(seq); i++) {
            if (i && put(b, ",", 1) < 0)
                rc = -1;
            else
                rc = put_value(b, PyTuple_GET_ITEM(seq, i), depth + 1, why, cap);
        }
        Py_DECREF(seq);
        return rc ? rc : put(b, "]", 1);
    }
    if (PyDate_Check(v)) {
        PyObject *s = PyObject_CallMethod(v, "isoformat", NULL);
        if (!s)
            return -1;
        int rc = PyUnicode_Check(s) ? put_unicode(b, s) : -1;
        Py_DECREF(s);
        return rc;
    }
    char t[64];
    snprintf(why, cap, "is %s, which has no JSON form", a_type(v, t, sizeof t));
    return 1;
}

/* "a dict", "an int": the type of v with its article. */
static const char *a_type(PyObject *v, char *dst, size_t cap)
{
    const char *n = Py_TYPE(v)->tp_name;
    snprintf(dst, cap, "%s %.40s", strchr("aeiouAEIOU", n[0]) ? "an" : "a", n);
    return dst;
}

/* How documents are encoded: the field names, and whether every field goes. */
typedef struct encoding {
    PyObject *id_key, *text_key; /* str */
    int full; /* every field (dedup writes the records back); else only what is read */
    /* Per metadata field (meta_names): 0 when it is also the id field, 1 the
     * text field, -1 neither; decided once, not per document. */
    int alias[4];
} encoding;

/* "key":value, with a comma before all but the first. */
static int put_field(buf *b, PyObject *key, PyObject *v, int *first, char *why, size_t cap)
{
    if ((!*first && put(b, ",", 1) < 0) || put_unicode(b, key) < 0 || put(b, ":", 1) < 0)
        return -1;
    *first = 0;
    int rc = put_value(b, v, 0, why, cap);
    if (rc == 1) {
        Py_ssize_t n;
        const char *k = PyUnicode_AsUTF8AndSize(key, &n);
        char inner[160];
        snprintf(inner, sizeof inner, "%s", why);
        snprintf(why, cap, "field \"%.60s\" %.120s", k ? k : "?", inner);
        PyErr_Clear();
    }
    return rc;
}

/*
 * One document as one JSON line (newline included): a dict (its id and text
 * fields, the metadata the library reads, or every field when enc->full), or
 * an (id, text) tuple. @return 0; -1 with a Python exception; 1 with why set.
 */
static int put_doc(buf *b, const encoding *enc, PyObject *item, int *is_tuple, char *why,
                   size_t cap)
{
    int first = 1, rc = 0;
    *is_tuple = 0;
    if (put(b, "{", 1) < 0)
        return -1;
    if (PyDict_Check(item) && enc->full) {
        PyObject *items = PyDict_Items(item); /* a snapshot: see put_value */
        if (!items)
            return -1;
        for (Py_ssize_t i = 0; rc == 0 && i < PyList_GET_SIZE(items); i++) {
            PyObject *k = PyTuple_GET_ITEM(PyList_GET_ITEM(items, i), 0);
            if (!PyUnicode_Check(k)) {
                char t[64];
                snprintf(why, cap, "a field name is %s, not a string", a_type(k, t, sizeof t));
                rc = 1;
            } else {
                rc = put_field(b, k, PyTuple_GET_ITEM(PyList_GET_ITEM(items, i), 1), &first, why,
                               cap);
            }
        }
        Py_DECREF(items);
    } else if (PyDict_Check(item)) {
        PyObject *keys[6] = {enc->id_key, enc->text_key, meta_keys[0], meta_keys[1], meta_keys[2],
                             meta_keys[3]};
        for (int i = 0; rc == 0 && i < 6; i++) {
            if (i >= 2 && enc->alias[i - 2] >= 0)
                continue; /* (written once, as the id or text field) */
            PyObject *v = PyDict_GetItemWithError(item, keys[i]);
            if (v) {
                Py_INCREF(v); /* encoding may run Python code */
                rc = put_field(b, keys[i], v, &first, why, cap);
                Py_DECREF(v);
            } else if (PyErr_Occurred()) {
                return -1;
            }
        }
    } else if (PyTuple_Check(item) && PyTuple_GET_SIZE(item) == 2) {
        *is_tuple = 1;
        rc = put_field(b, enc->id_key, PyTuple_GET_ITEM(item, 0), &first, why, cap);
        if (rc == 0)
            rc = put_field(b, enc->text_key, PyTuple_GET_ITEM(item, 1), &first, why, cap);
    } else {
        char t[64];
        snprintf(why, cap, "a document is a dict or an (id, text) tuple, not %s",
                 PyTuple_Check(item) ? "a tuple of another length" : a_type(item, t, sizeof t));
        return 1;
    }
    return rc ? rc : put(b, "}\n", 2);
}

/* ---- framed records (rp_corpus_add_records) ---------------------------------------- */

/* Begin a record of the type: its length (4 bytes) is written by frame_end. */
static int frame_begin(buf *b, char type, size_t *at)
{
    if (reserve(b, 5) < 0)
        return -1;
    *at = b->len;
    b->p[b->len] = type;
    memset(b->p + b->len + 1, 0, 4);
    b->len += 5;
    return 0;
}

static void put_le32(char *d, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        d[k] = (char)(v >> (8 * k));
}

static void frame_end(buf *b, size_t at)
{
    put_le32(b->p + at + 1, (uint32_t)(b->len - at - 5));
}

/*
 * A document whose fields need no JSON (a dict with a str id and text and str
 * metadata or none, or a (str, str) tuple) as an 'F' record: its UTF-8 bytes
 * as they are, where JSON escaped them for the library to unescape again
 * (that round trip was 38% of the CPU of reprint.scan(docs, fast=True) on
 * 20,000 documents). @return 1 when written; 0 when the document needs the
 * JSON path (another type, a missing field, an empty id, a NUL, a str that is
 * not UTF-8: there the library's checks and messages apply); -1 with an
 * exception.
 */
static int put_fields(buf *b, const encoding *enc, PyObject *item, int *is_tuple)
{
    PyObject *v[6] = {NULL}; /* held: a dict look-up may run Python code (a key's __eq__) */
    int rc = 0;
    *is_tuple = PyTuple_Check(item) && PyTuple_GET_SIZE(item) == 2;
    if (!PyDict_Check(item) && !*is_tuple)
        return 0;
    /* A tuple is named by the two fields, as the dict {id: [0], text: [1]}. A
     * metadata field that is also the id or text field is both, as the JSONL
     * reader takes it ("url" as the id is still the URL whose host names the
     * source). */
    PyObject *keys[6] = {enc->id_key, enc->text_key, meta_keys[0], meta_keys[1], meta_keys[2],
                         meta_keys[3]};
    for (int i = 0; i < 6; i++) {
        if (i >= 2 && enc->alias[i - 2] >= 0)
            v[i] = v[enc->alias[i - 2]];
        else if (*is_tuple)
            v[i] = i < 2 ? PyTuple_GET_ITEM(item, i) : NULL;
        else
            v[i] = PyDict_GetItemWithError(item, keys[i]);
        Py_XINCREF(v[i]);
        if (!v[i] && PyErr_Occurred()) {
            rc = -1;
            goto done;
        }
    }
    const char *u[6] = {NULL};
    Py_ssize_t n[6] = {0};
    for (int i = 0; i < 6; i++) {
        if (!v[i]) {
            if (i < 2)
                goto done; /* a field missing: the JSON path says which */
            continue;
        }
        if (!PyUnicode_CheckExact(v[i])) /* (a str's UTF-8 runs no Python code) */
            goto done;
        if (!(u[i] = PyUnicode_AsUTF8AndSize(v[i], &n[i]))) {
            PyErr_Clear(); /* lone surrogates: the JSON path keeps their bytes */
            goto done;
        }
        if ((uint64_t)n[i] >= UINT32_MAX || (i != 1 && memchr(u[i], 0, (size_t)n[i])))
            goto done;
    }
    if (n[0] == 0)
        goto done;
    size_t at, need = 0;
    for (int i = 0; i < 6; i++)
        need += 4 + (size_t)n[i];
    if ((uint64_t)need >= UINT32_MAX)
        goto done; /* the JSON path says it is too long */
    if (frame_begin(b, 'F', &at) < 0 || reserve(b, need) < 0) {
        rc = -1;
        goto done;
    }
    for (int i = 0; i < 6; i++) {
        put_le32(b->p + b->len, u[i] ? (uint32_t)n[i] : UINT32_MAX);
        b->len += 4;
        if (u[i]) {
            memcpy(b->p + b->len, u[i], (size_t)n[i]);
            b->len += (size_t)n[i];
        }
    }
    frame_end(b, at);
    rc = 1;
done:
    for (int i = 0; i < 6; i++)
        Py_XDECREF(v[i]);
    return rc;
}

/*
 * One document into b: as a JSON line when enc->full (every field goes back
 * out with dedup), else as a framed record ('F', or 'J' around its JSON).
 * @return as put_doc
 */
static int put_record(buf *b, const encoding *enc, PyObject *item, int *is_tuple, char *why,
                      size_t cap)
{
    if (enc->full)
        return put_doc(b, enc, item, is_tuple, why, cap);
    size_t mark = b->len, at;
    int rc = put_fields(b, enc, item, is_tuple);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    b->len = mark;
    if (frame_begin(b, 'J', &at) < 0)
        return -1;
    rc = put_doc(b, enc, item, is_tuple, why, cap);
    if (rc != 0)
        return rc;
    b->len--; /* its newline */
    if ((uint64_t)(b->len - at - 5) >= UINT32_MAX) {
        snprintf(why, cap, "is 4 GB or more");
        return 1;
    }
    frame_end(b, at);
    return 0;
}

/* ---- documents streamed from an iterable --------------------------------------- */

typedef struct CorpusObject CorpusObject;

typedef struct source {
    PyObject *it; /* the iterator */
    PyObject *seq; /* the list or tuple it walks, whose items fetch_source gives again, or NULL */
    CorpusObject *owner; /* where skips, warnings and exceptions go (borrowed) */
    encoding enc;
    buf pend; /* encoded bytes not yet handed to the library */
    size_t pend_pos;
    unsigned long long pos; /* documents pulled: the line number of the last one */
    unsigned long long nrecords; /* of them, encoded (not rejected here) */
    unsigned long long ntuples; /* of those, tuples */
    size_t index; /* its place among the corpus's sources */
    int eof;
    char name[64]; /* how messages name the input */
} source;

struct CorpusObject {
    PyObject_HEAD
    rp_corpus *c;
    rp_options opt;
    PyObject *id_field, *text_field; /* bytes, alive as long as opt borrows them */
    PyObject *warn, *progress; /* callables or NULL */
    source **src;
    size_t nsrc;
    int state; /* NEW, RUNNING (in a call that released the GIL), DONE or FAILED */
    unsigned long long ext_skipped; /* documents this layer skipped (no JSON form) */
    PyObject *held; /* their messages, (source, line, message) tuples, held back until the
                       library's own messages pass their place, so that all arrive in
                       input order */
    saved_exc exc;
};

enum { NEW, RUNNING, DONE, FAILED };

static void warn_msg(CorpusObject *o, const char *msg)
{
    if (!o->warn)
        return;
    PyObject *r = PyObject_CallFunction(o->warn, "N", str_of(msg));
    if (!r) {
        save_exc(&o->exc);
        rp_corpus_interrupt(o->c);
    }
    Py_XDECREF(r);
}

/* Deliver the held messages of documents before line `line` of source `src`
 * (all of them with src = SIZE_MAX). With the GIL. */
static void release_held(CorpusObject *o, size_t src, unsigned long long line)
{
    Py_ssize_t n = o->held ? PyList_GET_SIZE(o->held) : 0, k = 0;
    for (; k < n && !o->exc.type; k++) {
        PyObject *t = PyList_GET_ITEM(o->held, k);
        size_t ts = PyLong_AsSize_t(PyTuple_GET_ITEM(t, 0));
        unsigned long long tl = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(t, 1));
        if (src != SIZE_MAX && (ts > src || (ts == src && tl >= line)))
            break;
        PyObject *r = PyObject_CallFunctionObjArgs(o->warn, PyTuple_GET_ITEM(t, 2), NULL);
        if (!r)
            save_exc(&o->exc);
        Py_XDECREF(r);
    }
    if (k && PyList_SetSlice(o->held, 0, k, NULL) < 0)
        save_exc(&o->exc);
}

/*
 * A document this layer cannot encode (why), at line pos of input name:
 * without skip_bad BadInput is raised (-1); with it, msg receives the
 * "skipped: ..." message for the warning and 0 is returned.
 */
static int reject(const char *name, unsigned long long pos, const char *why, int skip_bad,
                  char *msg, size_t cap)
{
    if (!skip_bad) {
        PyErr_Format(BadInput, "%s:%llu: %s", name, pos, why);
        return -1;
    }
    snprintf(msg, cap, "skipped: %s:%llu: %s", name, pos, why);
    return 0;
}

/* Encode documents into s->pend, about 256 KB of them. With the GIL.
 * @return 0, or -1 with the exception saved on the owner */
static int pull(source *s)
{
    CorpusObject *o = s->owner;
    s->pend.len = s->pend_pos = 0;
    while (s->pend.len < (256u << 10) && !s->eof) {
        PyObject *item = PyIter_Next(s->it);
        if (!item) {
            if (PyErr_Occurred())
                goto fail;
            s->eof = 1;
            Py_CLEAR(s->it); /* what it holds (an open file) is released now */
            break;
        }
        s->pos++;
        size_t mark = s->pend.len;
        char why[200];
        int tup, rc = put_record(&s->pend, &s->enc, item, &tup, why, sizeof why);
        Py_DECREF(item);
        if (rc < 0)
            goto fail;
        if (rc > 0) {
            char msg[300];
            s->pend.len = mark;
            /* An empty line (a record of type 'S') keeps the numbering of those that
             * follow. */
            if (reject(s->name, s->pos, why, o->opt.skip_bad, msg, sizeof msg) < 0 ||
                (s->enc.full ? put(&s->pend, "\n", 1) : put(&s->pend, "S\0\0\0\0", 5)) < 0)
                goto fail;
            o->ext_skipped++;
            PyObject *t = Py_BuildValue("(nKN)", (Py_ssize_t)s->index, s->pos, str_of(msg));
            if (!t || (!o->held && !(o->held = PyList_New(0))) || PyList_Append(o->held, t) < 0) {
                Py_XDECREF(t);
                goto fail;
            }
            Py_DECREF(t);
        } else {
            s->nrecords++;
            s->ntuples += tup;
        }
        if ((s->pos & 255) == 0 && PyErr_CheckSignals() < 0)
            goto fail;
    }
    return 0;
fail:
    save_exc(&o->exc);
    return -1;
}

/* rp_read_fn: called by rp_corpus_run() without the GIL. */
static ptrdiff_t read_source(void *user, char *out, size_t cap)
{
    source *s = user;
    size_t n = 0;
    ptrdiff_t ret = 0;
    PyGILState_STATE g = PyGILState_Ensure();
    while (n < cap) {
        if (s->pend_pos < s->pend.len) {
            size_t k = s->pend.len - s->pend_pos;
            if (k > cap - n)
                k = cap - n;
            memcpy(out + n, s->pend.p + s->pend_pos, k);
            s->pend_pos += k;
            n += k;
            continue;
        }
        if (s->eof)
            break;
        if (pull(s) < 0) {
            ret = -1;
            break;
        }
    }
    PyGILState_Release(g);
    return ret < 0 ? ret : (ptrdiff_t)n;
}

/*
 * rp_fetch_fn: record `number` of a list or tuple source encoded again as
 * pull encoded it (its type byte and what follows its length), so that the
 * library's fast path keeps no shingles of these documents and computes
 * those of the few in candidate pairs again (reread.c). A list changed since
 * gives other bytes, which the library reports as a changed input. Called
 * from the library's workers, without the GIL.
 */
static ptrdiff_t fetch_source(void *user, uint64_t number, char *out, size_t cap)
{
    source *s = user;
    PyGILState_STATE g = PyGILState_Ensure();
    ptrdiff_t ret = 0; /* (no such record now: a changed input) */
    buf b = {NULL, 0, 0};
    if (number >= 1 && number <= (uint64_t)PySequence_Fast_GET_SIZE(s->seq)) {
        PyObject *item = PySequence_Fast_GET_ITEM(s->seq, (Py_ssize_t)(number - 1));
        Py_INCREF(item); /* (encoding it may run Python code, which may change the list) */
        int tup;
        char why[200];
        int rc = put_record(&b, &s->enc, item, &tup, why, sizeof why);
        Py_DECREF(item);
        if (rc < 0) {
            save_exc(&s->owner->exc);
            ret = -1;
        } else if (rc == 0 && b.len >= 5) {
            ret = (ptrdiff_t)(b.len - 4);
            if ((size_t)ret <= cap) {
                out[0] = b.p[0];
                memcpy(out + 1, b.p + 5, b.len - 5);
            }
        }
    }
    PyMem_RawFree(b.p);
    PyGILState_Release(g);
    return ret;
}

static void source_free(source *s)
{
    if (!s)
        return;
    Py_XDECREF(s->it);
    Py_XDECREF(s->seq);
    Py_XDECREF(s->enc.id_key);
    Py_XDECREF(s->enc.text_key);
    PyMem_RawFree(s->pend.p);
    PyMem_RawFree(s);
}

/* ---- library callbacks ------------------------------------------------------------ */

static void on_warn(void *user, const char *msg)
{
    CorpusObject *o = user;
    PyGILState_STATE g = PyGILState_Ensure();
    /* Held messages of documents before this one go first. */
    const char *m = strncmp(msg, "skipped: ", 9) == 0 ? msg + 9 : msg;
    for (size_t i = 0; i < o->nsrc; i++) {
        size_t n = strlen(o->src[i]->name);
        if (strncmp(m, o->src[i]->name, n) == 0 && m[n] == ':' && m[n + 1] >= '0' &&
            m[n + 1] <= '9') {
            release_held(o, i, strtoull(m + n + 1, NULL, 10));
            break;
        }
    }
    warn_msg(o, msg);
    PyGILState_Release(g);
}

/* Progress: also where Ctrl-C is noticed while the library computes. */
static void on_progress(void *user, const rp_progress *p)
{
    CorpusObject *o = user;
    PyGILState_STATE g = PyGILState_Ensure();
    if (PyErr_CheckSignals() < 0) {
        save_exc(&o->exc);
        rp_corpus_interrupt(o->c);
    } else if (o->progress) {
        PyObject *r = PyObject_CallFunction(o->progress, "ssKKKdd", p->phase, p->unit,
                                            (unsigned long long)p->done,
                                            (unsigned long long)p->total,
                                            (unsigned long long)p->ndocs, p->elapsed, p->eta);
        if (!r) {
            save_exc(&o->exc);
            rp_corpus_interrupt(o->c);
        }
        Py_XDECREF(r);
    }
    PyGILState_Release(g);
}

/* ---- options ------------------------------------------------------------------------ */

/* A whole number option in lo..hi (range checks beyond type are the library's). */
static int opt_int(PyObject *v, const char *name, long long lo, long long hi, long long *out)
{
    if (!PyLong_Check(v) || PyBool_Check(v)) {
        PyErr_Format(UsageError, "%s must be a whole number, not %.40s", name, Py_TYPE(v)->tp_name);
        return -1;
    }
    int over;
    long long x = PyLong_AsLongLongAndOverflow(v, &over);
    if (x == -1 && PyErr_Occurred())
        return -1;
    if (over || x < lo || x > hi) {
        PyErr_Format(UsageError, "%s out of range (%lld..%lld)", name, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

/* A size: bytes, or a string "512M", "4G" as the CLI takes it. */
static int opt_size(PyObject *v, const char *name, size_t *out)
{
    if (PyUnicode_Check(v)) {
        const char *s = PyUnicode_AsUTF8(v);
        char *end;
        if (!s)
            return -1;
        unsigned long long x = strtoull(s, &end, 10);
        int shift = 0;
        if (end != s && *end && !end[1])
            shift = strchr("Kk", *end) ? 10 : strchr("Mm", *end) ? 20 : strchr("Gg", *end) ? 30 : -1;
        if (end == s || s[0] < '0' || s[0] > '9' || shift < 0 || (shift == 0 && *end) ||
            x > (unsigned long long)(SIZE_MAX >> shift)) {
            PyErr_Format(UsageError, "%s: '%s' is not a size (bytes, or a whole number with K, M or G)",
                         name, s);
            return -1;
        }
        *out = (size_t)(x << shift);
        return 0;
    }
    long long x;
    if (opt_int(v, name, 0, LLONG_MAX, &x) < 0)
        return -1;
    *out = (size_t)x;
    return 0;
}

static int opt_choice(PyObject *v, const char *name, const char *const *words, int n, int *out)
{
    const char *s = PyUnicode_Check(v) ? PyUnicode_AsUTF8(v) : NULL;
    for (int i = 0; s && i < n; i++)
        if (strcmp(s, words[i]) == 0) {
            *out = i;
            return 0;
        }
    PyErr_Clear();
    PyErr_Format(UsageError, "%s must be one of %s%s%s%s%s, not %R", name, words[0],
                 n > 1 ? ", " : "", n > 1 ? words[1] : "", n > 2 ? ", " : "", n > 2 ? words[2] : "",
                 v);
    return -1;
}

/* The field-name options: kept as bytes, which the options borrow. */
static int opt_field(PyObject *v, const char *name, PyObject **keep, const char **out)
{
    if (!PyUnicode_Check(v) || PyUnicode_GET_LENGTH(v) == 0) {
        PyErr_Format(UsageError, "%s must be a non-empty string", name);
        return -1;
    }
    PyObject *b = PyUnicode_AsUTF8String(v);
    if (!b)
        return -1;
    Py_XSETREF(*keep, b);
    *out = PyBytes_AS_STRING(b);
    return 0;
}

/* Fill x from a dict of the library's options (names as the CLI's); the field
 * names' bytes, which x borrows, are kept in *id_keep and *text_keep. */
static int set_options(rp_options *x, PyObject **id_keep, PyObject **text_keep, PyObject *opts)
{
    static const char *const keeps[] = {"longest", "first", "earliest"};
    static const char *const sketches[] = {"oph", "kperm"};
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    while (opts && PyDict_Next(opts, &pos, &k, &v)) {
        if (!PyUnicode_Check(k)) {
            PyErr_Format(UsageError, "option names are strings, not %R", k);
            return -1;
        }
        const char *n = PyUnicode_AsUTF8(k);
        long long i;
        int ch;
        if (!n)
            return -1;
        if (!strcmp(n, "ngram") || !strcmp(n, "perm") || !strcmp(n, "threads")) {
            if (opt_int(v, n, INT_MIN, INT_MAX, &i) < 0)
                return -1;
            *(n[0] == 'n' ? &x->ngram : n[0] == 'p' ? &x->perm : &x->threads) = (int)i;
        } else if (!strcmp(n, "threshold")) {
            if (!PyFloat_Check(v) && !(PyLong_Check(v) && !PyBool_Check(v))) {
                PyErr_Format(UsageError, "threshold must be a number, not %.40s", Py_TYPE(v)->tp_name);
                return -1;
            }
            x->threshold = PyFloat_AsDouble(v);
            if (x->threshold == -1.0 && PyErr_Occurred()) {
                PyErr_Clear();
                PyErr_Format(UsageError, "threshold %R out of range (0..1]", v);
                return -1;
            }
        } else if (!strcmp(n, "keep")) {
            if (opt_choice(v, n, keeps, 3, &ch) < 0)
                return -1;
            x->keep = (rp_keep)ch;
        } else if (!strcmp(n, "sketch")) {
            if (opt_choice(v, n, sketches, 2, &ch) < 0)
                return -1;
            x->sketch = (rp_sketch_kind)ch;
        } else if (!strcmp(n, "id_field")) {
            if (opt_field(v, n, id_keep, &x->id_field) < 0)
                return -1;
        } else if (!strcmp(n, "text_field")) {
            if (opt_field(v, n, text_keep, &x->text_field) < 0)
                return -1;
        } else if (!strcmp(n, "max_bytes") || !strcmp(n, "memory")) {
            if (opt_size(v, n, n[0] == 'm' && n[1] == 'a' ? &x->max_doc_bytes : &x->memory) < 0)
                return -1;
        } else if (!strcmp(n, "fast") || !strcmp(n, "keep_furniture") || !strcmp(n, "all_pairs") ||
                   !strcmp(n, "skip_bad") || !strcmp(n, "jsonl") || !strcmp(n, "reread") ||
                   !strcmp(n, "reworded")) {
            int t = PyObject_IsTrue(v);
            if (t < 0)
                return -1;
            int *f = !strcmp(n, "fast") ? &x->fast : !strcmp(n, "keep_furniture") ? &x->keep_furniture
                   : !strcmp(n, "all_pairs") ? &x->all_pairs : !strcmp(n, "skip_bad") ? &x->skip_bad
                   : !strcmp(n, "jsonl") ? &x->force_jsonl : !strcmp(n, "reworded") ? &x->reworded
                   : &x->reread;
            *f = t;
        } else {
            PyErr_Format(UsageError, "unknown option %R", k);
            return -1;
        }
    }
    return 0;
}

/* ---- Corpus --------------------------------------------------------------------------- */

static PyTypeObject CorpusType;

static int Corpus_init(CorpusObject *o, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"options", "warn", "progress", NULL};
    PyObject *opts = NULL, *warn = Py_None, *progress = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|O!OO", kwlist, &PyDict_Type, &opts, &warn,
                                     &progress))
        return -1;
    if (o->c) {
        PyErr_SetString(UsageError, "a Corpus is initialised once");
        return -1;
    }
    rp_options_init(&o->opt);
    o->opt.reread = 0;
    if (set_options(&o->opt, &o->id_field, &o->text_field, opts) < 0)
        return -1;
    if (warn != Py_None) {
        Py_INCREF(warn);
        o->warn = warn;
    }
    if (progress != Py_None) {
        Py_INCREF(progress);
        o->progress = progress;
    }
    o->opt.warn = on_warn;
    o->opt.progress = on_progress;
    o->opt.user = o;
    int rc = rp_corpus_open(&o->c, &o->opt);
    if (rc != RP_OK) {
        raise_rc(rc, o->c ? rp_errmsg(o->c) : NULL);
        return -1;
    }
    return 0;
}

static void Corpus_dealloc(CorpusObject *o)
{
    rp_corpus_close(o->c);
    for (size_t i = 0; i < o->nsrc; i++)
        source_free(o->src[i]);
    PyMem_RawFree(o->src);
    Py_XDECREF(o->id_field);
    Py_XDECREF(o->text_field);
    Py_XDECREF(o->warn);
    Py_XDECREF(o->progress);
    Py_XDECREF(o->held);
    clear_exc(&o->exc);
    Py_TYPE(o)->tp_free((PyObject *)o);
}

/* Is the corpus in state `want` (NEW: inputs may be added; DONE: results may be read)? */
static int need(CorpusObject *o, int want)
{
    const char *why = !o->c                ? "the Corpus is not initialised"
                    : o->state == want     ? NULL
                    : o->state == RUNNING  ? "the corpus is in use by another call"
                    : o->state == FAILED   ? "the run failed: it has no results"
                    : want == DONE         ? "run() has not been called"
                                           : "inputs must be added before run()";
    if (why)
        PyErr_SetString(UsageError, why);
    return why ? -1 : 0;
}

static PyObject *Corpus_add_input(CorpusObject *o, PyObject *arg)
{
    PyObject *path = NULL;
    if (need(o, NEW) < 0 || !PyUnicode_FSConverter(arg, &path))
        return NULL;
    int rc = rp_corpus_add_input(o->c, PyBytes_AS_STRING(path));
    Py_DECREF(path);
    if (rc != RP_OK)
        return raise_rc(rc, rp_errmsg(o->c));
    Py_RETURN_NONE;
}

/* Encoding of documents with the corpus's field names. */
static int encoding_init(encoding *e, const rp_options *opt, int full)
{
    e->full = full;
    for (int i = 0; i < 4; i++)
        e->alias[i] = !strcmp(meta_names[i], opt->id_field)     ? 0
                      : !strcmp(meta_names[i], opt->text_field) ? 1
                                                                : -1;
    e->id_key = PyUnicode_FromString(opt->id_field);
    e->text_key = PyUnicode_FromString(opt->text_field);
    return e->id_key && e->text_key ? 0 : -1;
}

static PyObject *Corpus_add_docs(CorpusObject *o, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"docs", "full", "name", NULL};
    PyObject *docs;
    int full = 0;
    const char *name = "documents";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|ps", kwlist, &docs, &full, &name) || need(o, NEW) < 0)
        return NULL;
    source **v = PyMem_RawRealloc(o->src, (o->nsrc + 1) * sizeof *v);
    if (!v)
        return PyErr_NoMemory();
    o->src = v;
    source *s = PyMem_RawCalloc(1, sizeof *s);
    if (!s)
        return PyErr_NoMemory();
    o->src[o->nsrc++] = s;
    s->owner = o;
    s->index = o->nsrc - 1;
    snprintf(s->name, sizeof s->name, "%s", name);
    if (encoding_init(&s->enc, &o->opt, full) < 0 || !(s->it = PyObject_GetIter(docs)))
        return NULL;
    int rc;
    if (full) {
        rc = rp_corpus_add_reader(o->c, s->name, read_source, s);
    } else if (PyList_CheckExact(docs) || PyTuple_CheckExact(docs)) {
        /* Documents held in a list: any of them can be given again. */
        Py_INCREF(docs);
        s->seq = docs;
        rc = rp_corpus_add_records_fetch(o->c, s->name, read_source, fetch_source, s);
    } else {
        rc = rp_corpus_add_records(o->c, s->name, read_source, s);
    }
    if (rc != RP_OK)
        return raise_rc(rc, rp_errmsg(o->c));
    Py_RETURN_NONE;
}

static PyObject *Corpus_run(CorpusObject *o, PyObject *unused)
{
    (void)unused;
    if (need(o, NEW) < 0)
        return NULL;
    o->state = RUNNING;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = rp_corpus_run(o->c);
    Py_END_ALLOW_THREADS
    o->state = rc == RP_OK ? DONE : FAILED;
    release_held(o, SIZE_MAX, 0);
    if (restore_exc(&o->exc))
        return NULL;
    if (rc != RP_OK)
        return raise_rc(rc, rp_errmsg(o->c));
    Py_RETURN_NONE;
}

static PyObject *Corpus_interrupt(CorpusObject *o, PyObject *unused)
{
    (void)unused;
    rp_corpus_interrupt(o->c);
    Py_RETURN_NONE;
}

static PyObject *Corpus_counts(CorpusObject *o, PyObject *unused)
{
    (void)unused;
    if (need(o, DONE) < 0)
        return NULL;
    unsigned long long ntuples = 0, nrecords = 0;
    for (size_t i = 0; i < o->nsrc; i++) {
        ntuples += o->src[i]->ntuples;
        nrecords += o->src[i]->nrecords;
    }
    return Py_BuildValue("{s:n,s:K,s:n,s:n,s:n,s:K,s:K}", "documents",
                         (Py_ssize_t)rp_corpus_ndocs(o->c), "skipped",
                         (unsigned long long)rp_corpus_nskipped(o->c) + o->ext_skipped, "pairs",
                         (Py_ssize_t)rp_corpus_npairs(o->c), "clusters",
                         (Py_ssize_t)rp_corpus_nclusters(o->c), "stories",
                         (Py_ssize_t)rp_corpus_nstories(o->c), "records", nrecords,
                         "tuples", ntuples);
}

static PyObject *Corpus_ids(CorpusObject *o, PyObject *unused)
{
    (void)unused;
    if (need(o, DONE) < 0)
        return NULL;
    size_t n = rp_corpus_ndocs(o->c);
    PyObject *l = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; l && i < n; i++) {
        PyObject *s = str_of(rp_doc_id(o->c, (uint32_t)i));
        if (!s) {
            Py_CLEAR(l);
            break;
        }
        PyList_SET_ITEM(l, (Py_ssize_t)i, s);
    }
    return l;
}

/* Scores as the CLI writes them: four decimals, rounded down. */
static double floor4(double x)
{
    return floor(x * 10000.0 + 1e-9) / 10000.0;
}

/* pairs(cls): every pair as cls(a, b, relation, jaccard, containment_a,
 * containment_b, passages, coverage_a, coverage_b, why, similarity,
 * differences, event, specifics), the fields of `scan --format jsonl`. */
static PyObject *Corpus_pairs(CorpusObject *o, PyObject *cls)
{
    if (need(o, DONE) < 0)
        return NULL;
    size_t n = rp_corpus_npairs(o->c);
    size_t nd = rp_corpus_ndocs(o->c);
    PyObject *l = PyList_New((Py_ssize_t)n), *ids = NULL, *rel[RP_REL_UNRELATED + 1] = {0};
    if (!l)
        return NULL;
    /* One str per document and relation, shared by the pairs. */
    ids = PyList_New((Py_ssize_t)nd);
    for (size_t i = 0; ids && i < nd; i++) {
        PyObject *s = str_of(rp_doc_id(o->c, (uint32_t)i));
        if (!s)
            goto fail;
        PyList_SET_ITEM(ids, (Py_ssize_t)i, s);
    }
    if (!ids)
        goto fail;
    for (int r = 0; r <= RP_REL_UNRELATED; r++)
        if (!(rel[r] = PyUnicode_InternFromString(rp_relation_name((rp_relation)r))))
            goto fail;
    for (size_t i = 0; i < n; i++) {
        rp_pair p;
        rp_corpus_pair(o->c, i, &p);
        PyObject *t = PyObject_CallFunction(
            cls, "OOOdddIddsdIdd", PyList_GET_ITEM(ids, p.a), PyList_GET_ITEM(ids, p.b),
            rel[p.relation], floor4(p.jaccard), floor4(p.containment_a), floor4(p.containment_b),
            p.npassages, floor4(p.coverage_a), floor4(p.coverage_b), p.why ? p.why : "",
            floor4(p.similarity), p.ndifferences, floor4(p.event), floor4(p.specifics));
        if (!t)
            goto fail;
        PyList_SET_ITEM(l, (Py_ssize_t)i, t);
    }
    Py_DECREF(ids);
    for (int r = 0; r <= RP_REL_UNRELATED; r++)
        Py_DECREF(rel[r]);
    return l;
fail:
    Py_XDECREF(ids);
    for (int r = 0; r <= RP_REL_UNRELATED; r++)
        Py_XDECREF(rel[r]);
    Py_DECREF(l);
    return NULL;
}

/* furniture(): (id, start, end, why, text) per furniture line, in document order. */
static PyObject *Corpus_furniture(CorpusObject *o, PyObject *unused)
{
    (void)unused;
    if (need(o, DONE) < 0)
        return NULL;
    size_t n = rp_corpus_nfurniture(o->c);
    PyObject *l = PyList_New(0);
    char *text = NULL;
    size_t len = 0;
    uint32_t have = UINT32_MAX;
    for (size_t i = 0; l && i < n; i++) {
        uint32_t doc, start, end;
        const char *why;
        rp_corpus_furniture(o->c, i, &doc, &start, &end, &why);
        if (doc != have) {
            rp_free(text);
            text = NULL;
            int rc = rp_doc_text(o->c, doc, &text, &len);
            if (rc != RP_OK) {
                raise_rc(rc, rp_errmsg(o->c));
                Py_CLEAR(l);
                break;
            }
            have = doc;
        }
        if (end > len || start > end)
            end = start = 0;
        PyObject *t = Py_BuildValue("(NIIsN)", str_of(rp_doc_id(o->c, doc)), start, end, why,
                                    PyUnicode_DecodeUTF8(text + start, (Py_ssize_t)(end - start),
                                                         "surrogateescape"));
        if (!t || PyList_Append(l, t) < 0)
            Py_CLEAR(l);
        Py_XDECREF(t);
    }
    rp_free(text);
    return l;
}

typedef int (*writer_fn)(rp_corpus *, FILE *);

static int write_pairs_tsv(rp_corpus *c, FILE *f)
{
    return rp_corpus_write_pairs(c, f, RP_FORMAT_TSV);
}
static int write_pairs_csv(rp_corpus *c, FILE *f)
{
    return rp_corpus_write_pairs(c, f, RP_FORMAT_CSV);
}
static int write_pairs_jsonl(rp_corpus *c, FILE *f)
{
    return rp_corpus_write_pairs(c, f, RP_FORMAT_JSONL);
}

static const struct {
    const char *name;
    writer_fn fn;
} writers[] = {
    {"clusters", rp_corpus_write_clusters},   {"stories", rp_corpus_write_stories},
    {"timeline", rp_corpus_write_timelines},  {"passages", rp_corpus_write_passages},
    {"differences", rp_corpus_write_differences}, {"html", rp_corpus_write_html},
    {"removed", rp_corpus_write_removed},     {"tsv", write_pairs_tsv},
    {"csv", write_pairs_csv},                 {"jsonl", write_pairs_jsonl},
};

/* write(kind[, path]): what the CLI writes for kind, as a str, or into the file path. */
static PyObject *Corpus_write(CorpusObject *o, PyObject *args)
{
    const char *kind;
    PyObject *path = NULL;
    if (!PyArg_ParseTuple(args, "s|O&", &kind, PyUnicode_FSConverter, &path))
        return NULL;
    writer_fn fn = NULL;
    for (size_t i = 0; i < sizeof writers / sizeof *writers; i++)
        if (strcmp(kind, writers[i].name) == 0)
            fn = writers[i].fn;
    if (!fn || need(o, DONE) < 0) {
        if (!fn)
            PyErr_Format(UsageError, "no output called %s", kind);
        Py_XDECREF(path);
        return NULL;
    }
    char *mem = NULL;
    size_t len = 0;
    FILE *f = path ? fopen(PyBytes_AS_STRING(path), "w") : open_memstream(&mem, &len);
    if (!f) {
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, path);
        Py_XDECREF(path);
        return NULL;
    }
    int rc;
    o->state = RUNNING;
    Py_BEGIN_ALLOW_THREADS
    rc = fn(o->c, f);
    if (fclose(f) != 0 && rc == RP_OK)
        rc = RP_EIO;
    Py_END_ALLOW_THREADS
    o->state = DONE;
    PyObject *ret = NULL;
    if (rc != RP_OK) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s: %s", path ? PyBytes_AS_STRING(path) : kind,
                 rp_errmsg(o->c)[0] ? rp_errmsg(o->c) : "write error");
        raise_rc(rc == RP_EINVAL ? RP_EIO : rc, msg);
    } else if (path) {
        ret = Py_NewRef(Py_None);
    } else {
        ret = PyUnicode_DecodeUTF8(mem, (Py_ssize_t)len, "surrogateescape");
    }
    free(mem);
    Py_XDECREF(path);
    return ret;
}

/* write_kept(path): the kept records into path, as `reprint dedup -o`; (kept, removed). */
static PyObject *Corpus_write_kept(CorpusObject *o, PyObject *arg)
{
    PyObject *path = NULL;
    if (need(o, DONE) < 0 || !PyUnicode_FSConverter(arg, &path))
        return NULL;
    FILE *f = fopen(PyBytes_AS_STRING(path), "w");
    if (!f) {
        PyErr_SetFromErrnoWithFilenameObject(PyExc_OSError, path);
        Py_DECREF(path);
        return NULL;
    }
    size_t kept = 0, removed = 0;
    int rc;
    o->state = RUNNING;
    Py_BEGIN_ALLOW_THREADS
    rc = rp_corpus_write_kept(o->c, f, &kept, &removed);
    if (fclose(f) != 0 && rc == RP_OK)
        rc = RP_EIO;
    Py_END_ALLOW_THREADS
    o->state = DONE;
    Py_DECREF(path);
    if (rc != RP_OK)
        return raise_rc(rc, rp_errmsg(o->c));
    return Py_BuildValue("(nn)", (Py_ssize_t)kept, (Py_ssize_t)removed);
}

static PyObject *Corpus_text(CorpusObject *o, PyObject *arg)
{
    long long i;
    if (need(o, DONE) < 0 || opt_int(arg, "document", 0, UINT32_MAX, &i) < 0)
        return NULL;
    char *t = NULL;
    size_t n = 0;
    int rc = rp_doc_text(o->c, (uint32_t)i, &t, &n);
    if (rc != RP_OK)
        return raise_rc(rc, rp_errmsg(o->c));
    PyObject *s = PyUnicode_DecodeUTF8(t, (Py_ssize_t)n, "surrogateescape");
    rp_free(t);
    return s;
}

static PyMethodDef Corpus_methods[] = {
    {"add_input", (PyCFunction)Corpus_add_input, METH_O, "Register a file, folder or JSONL path."},
    {"add_docs", (PyCFunction)(void (*)(void))Corpus_add_docs, METH_VARARGS | METH_KEYWORDS,
     "Register an iterable of documents, streamed during run()."},
    {"run", (PyCFunction)Corpus_run, METH_NOARGS, "Run the pipeline (the GIL is released)."},
    {"interrupt", (PyCFunction)Corpus_interrupt, METH_NOARGS, "Stop a run from another thread."},
    {"counts", (PyCFunction)Corpus_counts, METH_NOARGS, "Counts of documents, pairs, groups."},
    {"ids", (PyCFunction)Corpus_ids, METH_NOARGS, "Document ids in input order."},
    {"pairs", (PyCFunction)Corpus_pairs, METH_O, "The pairs, each built with the class given."},
    {"furniture", (PyCFunction)Corpus_furniture, METH_NOARGS, "Furniture lines."},
    {"write", (PyCFunction)Corpus_write, METH_VARARGS, "An output of the CLI, as str or file."},
    {"write_kept", (PyCFunction)Corpus_write_kept, METH_O, "Kept records into a file."},
    {"text", (PyCFunction)Corpus_text, METH_O, "The text of document i."},
    {NULL, NULL, 0, NULL}};

static PyTypeObject CorpusType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "reprint._reprint.Corpus",
    .tp_basicsize = sizeof(CorpusObject),
    .tp_dealloc = (destructor)Corpus_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A run of the library over documents (internal: use reprint.scan).",
    .tp_methods = Corpus_methods,
    .tp_init = (initproc)Corpus_init,
    .tp_new = PyType_GenericNew,
};

/* ---- Index ------------------------------------------------------------------------------ */

typedef struct IndexObject {
    PyObject_HEAD
    rp_index *x;
    rp_options opt;
    PyObject *id_field, *text_field;
    PyObject *rows; /* placements of the add in progress */
    PyObject *warn; /* where the add in progress sends warnings, or NULL */
    int busy; /* a call released the GIL and works on x */
    saved_exc exc;
} IndexObject;

/* The library's warnings during an add (skipped documents, unread dates). */
static void index_on_warn(void *user, const char *msg)
{
    IndexObject *o = user;
    PyGILState_STATE g = PyGILState_Ensure();
    if (o->warn) {
        PyObject *r = PyObject_CallFunction(o->warn, "N", str_of(msg));
        if (!r)
            save_exc(&o->exc);
        Py_XDECREF(r);
    }
    PyGILState_Release(g);
}

static PyObject *index_raise(IndexObject *o, int rc)
{
    return raise_rc(rc, o->x ? rp_index_errmsg(o->x) : NULL);
}

static int Index_init(IndexObject *o, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"path", "options", "mode", NULL};
    PyObject *path = NULL, *opts = NULL;
    const char *mode = "open";
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|O!s", kwlist, PyUnicode_FSConverter, &path,
                                     &PyDict_Type, &opts, &mode))
        return -1;
    if (o->x) {
        Py_DECREF(path);
        PyErr_SetString(UsageError, "an Index is initialised once");
        return -1;
    }
    rp_options_init(&o->opt);
    o->opt.warn = index_on_warn;
    o->opt.user = o;
    int rc = set_options(&o->opt, &o->id_field, &o->text_field, opts);
    if (rc < 0) {
        Py_DECREF(path);
        return -1;
    }
    const char *p = PyBytes_AS_STRING(path);
    if (strcmp(mode, "create") == 0)
        rc = rp_index_create(&o->x, p, &o->opt);
    else
        rc = rp_index_open(&o->x, p, &o->opt, strcmp(mode, "readonly") == 0);
    Py_DECREF(path);
    if (rc != RP_OK) {
        index_raise(o, rc);
        rp_index_close(o->x);
        o->x = NULL;
        return -1;
    }
    return 0;
}

static void Index_dealloc(IndexObject *o)
{
    rp_index_close(o->x);
    Py_XDECREF(o->id_field);
    Py_XDECREF(o->text_field);
    Py_XDECREF(o->rows);
    clear_exc(&o->exc);
    Py_TYPE(o)->tp_free((PyObject *)o);
}

/* Is the index open and free (not in use by a call of another thread)? */
static int index_open(IndexObject *o)
{
    if (o->x && !o->busy)
        return 0;
    PyErr_SetString(UsageError, o->busy ? "the index is in use by another call" : "the index is closed");
    return -1;
}

static PyObject *Index_close(IndexObject *o, PyObject *unused)
{
    (void)unused;
    if (o->busy) {
        PyErr_SetString(UsageError, "the index is in use by another call");
        return NULL;
    }
    rp_index_close(o->x);
    o->x = NULL;
    Py_RETURN_NONE;
}

static void on_placement(void *user, const rp_placement *p)
{
    IndexObject *o = user;
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject *t = Py_BuildValue("(NsNLLOO)", str_of(p->id), rp_relation_name(p->relation),
                                p->closest ? str_of(p->closest) : Py_NewRef(Py_None),
                                (long long)p->cluster, (long long)p->story,
                                p->new_cluster ? Py_True : Py_False,
                                p->new_story ? Py_True : Py_False);
    if (!t || PyList_Append(o->rows, t) < 0)
        save_exc(&o->exc);
    Py_XDECREF(t);
    PyGILState_Release(g);
}

/* A batch beyond 1 MiB goes to an unlinked temporary file in $TMPDIR as it is
 * encoded, so that a large iterable is not held in memory (the file is then
 * mapped and handed over as the batch's buffer). @return 0, or -1 with OSError */
static int spill(FILE **tf, buf *b, size_t *size)
{
    if (!*tf) {
        const char *dir = getenv("TMPDIR");
        char path[4096];
        snprintf(path, sizeof path, "%s/reprint-batch-XXXXXX", dir && *dir ? dir : "/tmp");
        int fd = mkstemp(path);
        if (fd >= 0) {
            unlink(path);
            if (!(*tf = fdopen(fd, "w+")))
                close(fd);
        }
        if (!*tf) {
            PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
            return -1;
        }
    }
    if (b->len && fwrite(b->p, 1, b->len, *tf) != b->len) {
        PyErr_SetFromErrno(PyExc_OSError);
        return -1;
    }
    *size += b->len;
    b->len = 0;
    return 0;
}

/* add(docs_or_paths, flags, skip_list): placements as tuples. docs: an
 * iterable of documents (encoded here as one JSONL batch) or a list of paths. */
static PyObject *Index_add(IndexObject *o, PyObject *args)
{
    PyObject *docs, *warn;
    int paths;
    unsigned flags;
    if (!PyArg_ParseTuple(args, "OpIO", &docs, &paths, &flags, &warn) || index_open(o) < 0)
        return NULL;
    buf b = {0};
    char **argv = NULL;
    Py_ssize_t nargv = 0;
    PyObject *keep = NULL, *it = NULL;
    FILE *tf = NULL; /* the batch, when it outgrew memory */
    size_t tfsize = 0;
    void *map = MAP_FAILED;
    const char *data = NULL;
    size_t len = 0;
    int rc = RP_OK;
    if (paths) {
        keep = PySequence_Fast(docs, "paths must be a sequence");
        if (!keep)
            return NULL;
        nargv = PySequence_Fast_GET_SIZE(keep);
        argv = PyMem_RawCalloc((size_t)nargv + 1, sizeof *argv);
        if (!argv)
            goto fail;
        for (Py_ssize_t i = 0; i < nargv; i++) {
            PyObject *p = NULL;
            if (!PyUnicode_FSConverter(PySequence_Fast_GET_ITEM(keep, i), &p))
                goto fail;
            argv[i] = strdup(PyBytes_AS_STRING(p));
            Py_DECREF(p);
            if (!argv[i]) {
                PyErr_NoMemory();
                goto fail;
            }
        }
    } else {
        encoding enc;
        if (encoding_init(&enc, &o->opt, 0) < 0 || !(it = PyObject_GetIter(docs))) {
            Py_XDECREF(enc.id_key);
            Py_XDECREF(enc.text_key);
            goto fail;
        }
        unsigned long long pos = 0;
        PyObject *item;
        while ((item = PyIter_Next(it))) {
            char why[200];
            int tup;
            size_t mark = b.len;
            pos++;
            int r = put_doc(&b, &enc, item, &tup, why, sizeof why);
            Py_DECREF(item);
            if (r > 0) {
                char msg[300];
                b.len = mark;
                r = reject("documents", pos, why, o->opt.skip_bad, msg, sizeof msg);
                if (r == 0) {
                    PyObject *res = PyObject_CallFunction(warn, "N", str_of(msg));
                    r = res ? put(&b, "\n", 1) : -1;
                    Py_XDECREF(res);
                }
            }
            if (r == 0 && b.len >= (1u << 20))
                r = spill(&tf, &b, &tfsize);
            if (r < 0)
                break;
        }
        Py_DECREF(enc.id_key);
        Py_DECREF(enc.text_key);
        if (PyErr_Occurred())
            goto fail;
        if (tf && (spill(&tf, &b, &tfsize) < 0 || fflush(tf) != 0))
            goto fail_errno;
        if (tf && (map = mmap(NULL, tfsize, PROT_READ, MAP_PRIVATE, fileno(tf), 0)) == MAP_FAILED)
            goto fail_errno;
        data = tf ? map : b.p;
        len = tf ? tfsize : b.len;
        if (len == 0) { /* nothing to add */
            Py_DECREF(it);
            PyMem_RawFree(b.p);
            return PyList_New(0);
        }
    }
    Py_XSETREF(o->rows, PyList_New(0));
    if (!o->rows)
        goto fail;
    o->warn = warn; /* borrowed for the call */
    o->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    if (paths)
        rc = rp_index_add(o->x, (const char *const *)argv, (size_t)nargv, flags, on_placement, o);
    else
        rc = rp_index_add_buffer(o->x, data, len, "documents", flags, on_placement, o);
    Py_END_ALLOW_THREADS
    o->busy = 0;
    if (restore_exc(&o->exc))
        goto fail;
    if (rc != RP_OK) {
        index_raise(o, rc);
        goto fail;
    }
    PyObject *rows = o->rows;
    o->rows = NULL;
    o->warn = NULL;
    for (Py_ssize_t i = 0; i < nargv; i++)
        free(argv[i]);
    PyMem_RawFree(argv);
    Py_XDECREF(keep);
    Py_XDECREF(it);
    PyMem_RawFree(b.p);
    if (map != MAP_FAILED)
        munmap(map, tfsize);
    if (tf)
        fclose(tf);
    return rows;
fail_errno:
    if (!PyErr_Occurred())
        PyErr_SetFromErrno(PyExc_OSError);
fail:
    for (Py_ssize_t i = 0; argv && i < nargv; i++)
        free(argv[i]);
    PyMem_RawFree(argv);
    Py_XDECREF(keep);
    Py_XDECREF(it);
    Py_CLEAR(o->rows);
    o->warn = NULL;
    PyMem_RawFree(b.p);
    if (map != MAP_FAILED)
        munmap(map, tfsize);
    if (tf)
        fclose(tf);
    return NULL;
}

static PyObject *Index_stats(IndexObject *o, PyObject *unused)
{
    (void)unused;
    rp_index_info st;
    if (index_open(o) < 0)
        return NULL;
    int rc = rp_index_stats(o->x, &st);
    if (rc != RP_OK)
        return index_raise(o, rc);
    return Py_BuildValue("{s:K,s:K,s:K,s:K,s:K,s:i,s:s,s:i,s:i,s:d,s:s,s:O}", "documents",
                         (unsigned long long)st.ndocs, "clusters", (unsigned long long)st.nclusters,
                         "stories", (unsigned long long)st.nstories, "pairs",
                         (unsigned long long)st.npairs, "bytes", (unsigned long long)st.bytes,
                         "format", st.format, "version", st.version, "ngram", st.ngram, "perm",
                         st.perm, "threshold", st.threshold, "sketch",
                         st.sketch == RP_SKETCH_KPERM ? "kperm" : "oph", "keep_furniture",
                         st.keep_furniture ? Py_True : Py_False);
}

static PyObject *meta_or_none(const char *s)
{
    if (!s)
        return Py_NewRef(Py_None);
    return str_of(s);
}

/* An indexed document as a dict; text only when with_text. */
static PyObject *indexed_dict(const rp_indexed *d, int with_text)
{
    PyObject *r = Py_BuildValue("{s:L,s:s,s:N,s:N,s:N,s:N,s:L,s:L}", "number", (long long)d->number,
                                "id", d->id, "date", meta_or_none(d->date), "source",
                                meta_or_none(d->source), "url", meta_or_none(d->url), "title",
                                meta_or_none(d->title), "cluster", (long long)d->cluster, "story",
                                (long long)d->story);
    if (r && with_text && d->text) {
        PyObject *t = PyUnicode_DecodeUTF8(d->text, (Py_ssize_t)d->text_len, "surrogateescape");
        if (!t || PyDict_SetItemString(r, "text", t) < 0)
            Py_CLEAR(r);
        Py_XDECREF(t);
    }
    return r;
}

/* get(id or number): the document as a dict, or None. */
static PyObject *Index_get(IndexObject *o, PyObject *key)
{
    rp_indexed d;
    int rc;
    if (index_open(o) < 0)
        return NULL;
    if (PyUnicode_Check(key)) {
        const char *id = PyUnicode_AsUTF8(key);
        if (!id)
            return NULL;
        rc = rp_index_get(o->x, id, 0, &d);
    } else {
        long long n;
        if (opt_int(key, "number", 1, LLONG_MAX, &n) < 0)
            return NULL;
        rc = rp_index_get(o->x, NULL, n, &d);
    }
    if (rc < 0)
        return index_raise(o, rc);
    if (rc == 0)
        Py_RETURN_NONE;
    return indexed_dict(&d, 1);
}

typedef struct collect {
    PyObject *list;
    int failed;
} collect;

static void add_item(collect *c, PyObject *v)
{
    if (!v || PyList_Append(c->list, v) < 0)
        c->failed = 1;
    Py_XDECREF(v);
}

static void on_related(void *user, const rp_index_pair *p)
{
    collect *c = user;
    if (c->failed)
        return;
    PyObject *pas = PyList_New(0), *dif = PyList_New(0);
    for (size_t i = 0; pas && i < p->npassages; i++) {
        const rp_passage *q = &p->passages[i];
        PyObject *t = Py_BuildValue("{s:I,s:I,s:I,s:I,s:d}", "a_start", q->a_start, "a_end",
                                    q->a_end, "b_start", q->b_start, "b_end", q->b_end, "score",
                                    floor4(q->score));
        if (!t || PyList_Append(pas, t) < 0)
            Py_CLEAR(pas);
        Py_XDECREF(t);
    }
    for (size_t i = 0; dif && i < p->ndifferences; i++) {
        const rp_difference *q = &p->differences[i];
        PyObject *t = Py_BuildValue("{s:I,s:I,s:I,s:I,s:s}", "a_start", q->a_start, "a_end",
                                    q->a_end, "b_start", q->b_start, "b_end", q->b_end, "kind",
                                    q->kind);
        if (!t || PyList_Append(dif, t) < 0)
            Py_CLEAR(dif);
        Py_XDECREF(t);
    }
    if (!pas || !dif) {
        Py_XDECREF(pas);
        Py_XDECREF(dif);
        c->failed = 1;
        return;
    }
    const rp_pair *q = &p->pair;
    add_item(c, Py_BuildValue("{s:s,s:L,s:s,s:d,s:d,s:d,s:I,s:d,s:d,s:s,s:d,s:I,s:d,s:d,s:N,s:N}",
                              "id", p->b->id, "number", (long long)p->b->number, "relation",
                              rp_relation_name(q->relation), "jaccard", floor4(q->jaccard),
                              "containment_a", floor4(q->containment_a), "containment_b",
                              floor4(q->containment_b), "passages", q->npassages, "coverage_a",
                              floor4(q->coverage_a), "coverage_b", floor4(q->coverage_b), "why",
                              q->why ? q->why : "", "similarity", floor4(q->similarity),
                              "differences", q->ndifferences, "event", floor4(q->event),
                              "specifics", floor4(q->specifics), "passage_list", pas,
                              "difference_list", dif));
}

/* related(number): the stored pairs of a document, strongest first. */
static PyObject *Index_related(IndexObject *o, PyObject *arg)
{
    long long n;
    if (index_open(o) < 0 || opt_int(arg, "number", 1, LLONG_MAX, &n) < 0)
        return NULL;
    collect c = {PyList_New(0), 0};
    if (!c.list)
        return NULL;
    int64_t rc = rp_index_related(o->x, n, on_related, &c);
    if (rc < 0) {
        Py_DECREF(c.list);
        return index_raise(o, (int)rc);
    }
    if (c.failed) {
        Py_DECREF(c.list);
        return PyErr_Occurred() ? NULL : PyErr_NoMemory();
    }
    return c.list;
}

static void on_member(void *user, const rp_indexed *d)
{
    collect *c = user;
    if (!c->failed)
        add_item(c, str_of(d->id));
}

/* members(story, id): ids of a copy cluster (story 0) or story (1), in adding order. */
static PyObject *Index_members(IndexObject *o, PyObject *args)
{
    int story;
    long long id;
    if (!PyArg_ParseTuple(args, "pL", &story, &id) || index_open(o) < 0)
        return NULL;
    collect c = {PyList_New(0), 0};
    if (!c.list)
        return NULL;
    int64_t rc = rp_index_members(o->x, story, id, on_member, &c);
    if (rc < 0 || c.failed) {
        Py_DECREF(c.list);
        return rc < 0 ? index_raise(o, (int)rc) : NULL;
    }
    return c.list;
}

static void on_event(void *user, const rp_index_event *e)
{
    collect *c = user;
    if (!c->failed)
        add_item(c, Py_BuildValue("{s:L,s:L,s:N,s:N,s:O}", "story", (long long)e->story, "size",
                                  (long long)e->size, "first", meta_or_none(e->first[0] ? e->first : NULL),
                                  "last", meta_or_none(e->last[0] ? e->last : NULL), "self",
                                  e->self ? Py_True : Py_False));
}

static PyObject *Index_timeline(IndexObject *o, PyObject *arg)
{
    long long id;
    if (index_open(o) < 0 || opt_int(arg, "story", 1, LLONG_MAX, &id) < 0)
        return NULL;
    collect c = {PyList_New(0), 0};
    if (!c.list)
        return NULL;
    int64_t rc = rp_index_timeline(o->x, id, on_event, &c);
    if (rc < 0 || c.failed) {
        Py_DECREF(c.list);
        return rc < 0 ? index_raise(o, (int)rc) : NULL;
    }
    return c.list;
}

/* export(): a Corpus that has run over the indexed documents. */
static PyObject *Index_export(IndexObject *o, PyObject *unused)
{
    (void)unused;
    if (index_open(o) < 0)
        return NULL;
    CorpusObject *c = (CorpusObject *)CorpusType.tp_alloc(&CorpusType, 0);
    if (!c)
        return NULL;
    int rc;
    o->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    rc = rp_index_export(o->x, &c->c);
    Py_END_ALLOW_THREADS
    o->busy = 0;
    c->state = rc == RP_OK ? DONE : FAILED;
    if (rc != RP_OK) {
        char msg[600];
        snprintf(msg, sizeof msg, "%s", c->c ? rp_errmsg(c->c) : rp_index_errmsg(o->x));
        Py_DECREF(c);
        return raise_rc(rc, msg);
    }
    return (PyObject *)c;
}

static PyMethodDef Index_methods[] = {
    {"add", (PyCFunction)Index_add, METH_VARARGS, "Add (or query) a batch."},
    {"stats", (PyCFunction)Index_stats, METH_NOARGS, "Counts, size and settings."},
    {"get", (PyCFunction)Index_get, METH_O, "A document by id or number."},
    {"related", (PyCFunction)Index_related, METH_O, "Stored pairs of a document."},
    {"members", (PyCFunction)Index_members, METH_VARARGS, "Members of a cluster or story."},
    {"timeline", (PyCFunction)Index_timeline, METH_O, "Timeline of a story."},
    {"export", (PyCFunction)Index_export, METH_NOARGS, "The index as a batch scan."},
    {"close", (PyCFunction)Index_close, METH_NOARGS, "Close the index."},
    {NULL, NULL, 0, NULL}};

static PyTypeObject IndexType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "reprint._reprint.Index",
    .tp_basicsize = sizeof(IndexObject),
    .tp_dealloc = (destructor)Index_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An open index (internal: use reprint.Index).",
    .tp_methods = Index_methods,
    .tp_init = (initproc)Index_init,
    .tp_new = PyType_GenericNew,
};

/* ---- module ------------------------------------------------------------------------------ */

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "reprint._reprint",
                                    "The C layer of reprint (use the reprint package).", -1, NULL,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__reprint(void); /* the one exported name */

PyMODINIT_FUNC PyInit__reprint(void)
{
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI || PyType_Ready(&CorpusType) < 0 || PyType_Ready(&IndexType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m)
        return NULL;
    for (int i = 0; i < 4; i++)
        if (!(meta_keys[i] = PyUnicode_InternFromString(meta_names[i])))
            goto fail;
    Error = PyErr_NewExceptionWithDoc("reprint.Error", "Base of reprint's errors; str() is the library's message.", NULL, NULL);
    if (!Error)
        goto fail;
    PyObject *bases = PyTuple_Pack(2, Error, PyExc_ValueError);
    if (!bases)
        goto fail;
    BadInput = PyErr_NewExceptionWithDoc("reprint.BadInput",
                                         "A malformed document or input, named by input and position (or line).",
                                         bases, NULL);
    UsageError = PyErr_NewExceptionWithDoc("reprint.UsageError",
                                           "An unknown option, an option value out of range, or a call out of order.",
                                           bases, NULL);
    Py_DECREF(bases);
    if (!BadInput || !UsageError || PyModule_AddObjectRef(m, "Error", Error) < 0 ||
        PyModule_AddObjectRef(m, "BadInput", BadInput) < 0 ||
        PyModule_AddObjectRef(m, "UsageError", UsageError) < 0 ||
        PyModule_AddObjectRef(m, "Corpus", (PyObject *)&CorpusType) < 0 ||
        PyModule_AddObjectRef(m, "Index", (PyObject *)&IndexType) < 0 ||
        PyModule_AddStringConstant(m, "version", rp_version()) < 0 ||
        PyModule_AddIntConstant(m, "INDEX_QUERY", RP_INDEX_QUERY) < 0 ||
        PyModule_AddIntConstant(m, "INDEX_REPLACE", RP_INDEX_REPLACE) < 0 ||
        PyModule_AddIntConstant(m, "INDEX_FORMAT", RP_INDEX_FORMAT) < 0)
        goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
