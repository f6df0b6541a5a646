"""reprint: find reused text in document collections, from Python at C speed.

The functions here are thin layers on libreprint, the library behind the
``reprint`` command: the same options (as keyword arguments with the CLI's
names, dashes written as underscores), the same fields in the same order, the
same messages. Documents are streamed into the library as they come, and the
GIL is released while it works.

    >>> import reprint
    >>> res = reprint.scan([("a", "the cat sat on the mat today"),
    ...                     ("b", "the cat sat on the mat today")])
    >>> [(p.a, p.b, p.relation) for p in res.pairs]
    [('a', 'b', 'duplicate')]

Documents are dicts ({"id", "text"} and optionally "date", "source", "url",
"title"; the id and text field names follow ``id_field`` and ``text_field``),
(id, text) tuples, or paths (files, folders, JSONL, .gz and .zst), as the CLI
reads them. Errors are :class:`Error` and its subclasses :class:`BadInput` and
:class:`UsageError`, carrying the library's message.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
import warnings
from collections import namedtuple

from . import _reprint
from ._reprint import BadInput, Error, UsageError

__all__ = [
    "scan", "dedup", "align", "Index", "Result", "Pair", "Passage", "Furniture",
    "Placement", "Progress", "Error", "BadInput", "UsageError", "InputWarning",
    "__version__",
]

__version__ = _reprint.version

Pair = namedtuple("Pair", "a b relation jaccard containment_a containment_b passages "
                  "coverage_a coverage_b why similarity differences event specifics")
Pair.__doc__ = """A related pair, as a line of ``reprint scan --format jsonl``: ids a and b
(a before b in input order), the relation, exact shingle Jaccard and containments,
aligned passages and the share of each text they cover, the rule that named the
relation (why), the TF-IDF cosine of the words outside the passages (similarity),
the number of differing figures, and the cosines of the whole texts (event) and of
their names and figures (specifics). Scores have four decimals, rounded down, as
the CLI prints them."""

Passage = namedtuple("Passage", "a_start a_end b_start b_end score text_a text_b")
Passage.__doc__ = """An aligned passage of :func:`align`: byte ranges (half-open) into the
UTF-8 of each text, the share of aligned words that match exactly, and the two
wordings, as ``reprint align --format jsonl`` gives them."""

Furniture = namedtuple("Furniture", "id start end why text")
Furniture.__doc__ = """A page-furniture line set aside (``reprint scan --show-furniture``):
the document, the byte range of the line in its text, the rule that found it
("pattern", "shape", "common", "source") and the line."""

Placement = namedtuple("Placement", "id relation closest cluster story new_cluster new_story")
Placement.__doc__ = """Where a document added to (or queried against) an :class:`Index`
stands, as a row of ``reprint index add``: its strongest relation to an indexed
document and that document (None when it relates to none), its copy cluster and
story (numbered by their first document), and whether it starts either of them
(the CLI prints ``new`` then)."""

Progress = namedtuple("Progress", "phase unit done total ndocs elapsed eta")
Progress.__doc__ = """A progress report, about every 100 ms: the phase ("reading",
"verifying", "indexing", "comparing"), what done and total count, documents read,
seconds elapsed and the estimated seconds left (negative while unknown)."""


class InputWarning(UserWarning):
    """A document kept with a date taken as unknown, and similar notices."""


# The library's options, as keyword arguments (the CLI's long names).
_OPTIONS = frozenset([
    "ngram", "perm", "threshold", "threads", "keep", "sketch", "id_field", "text_field",
    "max_bytes", "memory", "skip_bad", "jsonl", "fast", "keep_furniture", "all_pairs",
    "reworded",
])
# Files scan writes after the run, as the CLI's options of the same names.
_FILES = ("clusters", "stories", "passages", "differences", "timeline", "html")


def _split_options(options, allowed, command):
    bad = sorted(set(options) - allowed)
    if bad:
        raise UsageError("%s: unknown option %s; the options are %s" % (
            command, ", ".join(repr(b) for b in bad), ", ".join(sorted(allowed))))
    return {k: v for k, v in options.items() if k in _OPTIONS and v is not None}


class _Sink:
    """Where warnings go: skipped documents to the skip_bad target, others as warnings."""

    def __init__(self, skip_bad):
        self.messages = []
        self.target = skip_bad if (callable(skip_bad) or isinstance(skip_bad, list)) else None

    def __call__(self, msg):
        if not msg.startswith("skipped: "):
            warnings.warn(msg, InputWarning, stacklevel=4)
            return
        self.messages.append(msg)
        if callable(self.target):
            self.target(msg)
        elif self.target is not None:
            self.target.append(msg)


def _skipping(skip_bad):
    """skip_bad as the library takes it: a list (even empty) or a callable means yes."""
    return isinstance(skip_bad, list) or callable(skip_bad) or bool(skip_bad)


def _is_path(x):
    return isinstance(x, (str, bytes, os.PathLike))


def _inputs(docs):
    """("paths", [paths]) or ("docs", documents: a list or tuple as it is, so that the
    library can take any document again, else an iterator)."""
    if _is_path(docs):
        return "paths", [docs]
    if type(docs) in (list, tuple) and docs and not _is_path(docs[0]):
        return "docs", docs
    it = iter(docs)
    try:
        first = next(it)
    except StopIteration:
        return "docs", iter(())
    if _is_path(first):
        paths = [first]
        for p in it:
            if not _is_path(p):
                raise UsageError("inputs mix paths and documents (item %d is a %s)"
                                 % (len(paths), type(p).__name__))
            paths.append(p)
        return "paths", paths
    return "docs", itertools.chain((first,), it)


def _run(docs, options, full=False, progress=None, sink=None):
    lib = dict(options)
    if "skip_bad" in lib:
        lib["skip_bad"] = _skipping(lib["skip_bad"])
    wrap = None
    if progress is not None:
        def wrap(*a):
            progress(Progress(*a))
    c = _reprint.Corpus(lib, warn=sink, progress=wrap)
    kind, v = _inputs(docs)
    if kind == "paths":
        for p in v:
            c.add_input(os.fspath(p) if not isinstance(p, bytes) else os.fsdecode(p))
    else:
        c.add_docs(v, full)
    c.run()
    return c


def _jsonl(text):
    return [json.loads(line) for line in text.splitlines() if line]


class Result:
    """What :func:`scan` found: pairs and the CLI's outputs as Python values.

    Lists are built on first use and kept. ``clusters``, ``stories``,
    ``timelines``, ``passages`` and ``differences`` hold one dict per line of
    the CLI's JSONL files of those names (``--clusters`` ... ``--timeline``).
    """

    def __init__(self, corpus, skipped):
        self._c = corpus
        self._cache = {}
        #: messages of the documents skipped under ``skip_bad``
        self.skipped = skipped

    def _get(self, name, make):
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    def _lines(self, kind):
        return self._get(kind, lambda: _jsonl(self._c.write(kind)))

    @property
    def pairs(self):
        """Related pairs (:class:`Pair`), in the CLI's order (by a, then b)."""
        return self._get("pairs", lambda: self._c.pairs(Pair))

    @property
    def clusters(self):
        """Copy clusters, then story clusters: dicts with id, level, members, representative."""
        return self._lines("clusters")

    @property
    def stories(self):
        """Story clusters only (one event), as in ``clusters``."""
        return self._lines("stories")

    @property
    def timelines(self):
        """Timelines: dicts with id and events (story, members, first, last), by date."""
        return self._lines("timeline")

    @property
    def passages(self):
        """Aligned passages: dicts with a, b, a_start, a_end, b_start, b_end, score, text_a, text_b."""
        return self._lines("passages")

    @property
    def differences(self):
        """Differing figures: dicts with a, b, a_start, a_end, b_start, b_end, a_text, b_text, kind."""
        return self._lines("differences")

    @property
    def removed(self):
        """Documents a dedup would remove: dicts with id, kept, jaccard."""
        return self._lines("removed")

    @property
    def furniture(self):
        """Page-furniture lines set aside (:class:`Furniture`), in document order."""
        return self._get("furniture", lambda: [Furniture(*f) for f in self._c.furniture()])

    @property
    def ids(self):
        """Document ids, in input order."""
        return self._get("ids", self._c.ids)

    @property
    def ndocs(self):
        """Documents read (skipped ones not counted)."""
        return self._c.counts()["documents"]

    @property
    def nskipped(self):
        """Documents (and inputs) skipped under ``skip_bad``."""
        return self._c.counts()["skipped"]

    def text(self, doc):
        """The text of a document, by id or by number in input order."""
        if isinstance(doc, str):
            try:
                doc = self.ids.index(doc)
            except ValueError:
                raise UsageError("no document %r" % doc) from None
        return self._c.text(doc)

    def write(self, kind, path=None):
        """Write an output of the CLI: "tsv", "csv" or "jsonl" (the pairs, as on
        stdout), "clusters", "stories", "timeline", "passages", "differences",
        "removed" or "html" (the report). Into ``path``, or returned as a str."""
        return self._c.write(kind, os.fspath(path)) if path is not None else self._c.write(kind)

    def to_pandas(self):
        """The pairs as a pandas DataFrame (columns as :class:`Pair`); needs pandas."""
        import pandas
        return pandas.DataFrame(self.pairs, columns=Pair._fields)

    def __len__(self):
        return len(self.pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __repr__(self):
        return "<reprint.Result: %d documents, %d pairs>" % (self.ndocs, len(self.pairs))


def scan(docs, *, progress=None, **options):
    """Find copies and reused passages and name each related pair, as ``reprint scan``.

    :param docs: an iterable of documents (dicts or (id, text) tuples, streamed:
        a generator is never held in memory), or a path or a list of paths.
    :param progress: called with a :class:`Progress` about every 100 ms.
    :param options: the CLI's options: ``threshold``, ``ngram``, ``perm``,
        ``threads``, ``keep``, ``sketch``, ``fast``, ``keep_furniture``,
        ``all_pairs``, ``memory``, ``max_bytes``, ``id_field``, ``text_field``,
        ``jsonl``, ``skip_bad`` (True, or a list or a callable that receives the
        skipped documents' messages), and the files the CLI writes:
        ``clusters``, ``stories``, ``passages``, ``differences``, ``timeline``,
        ``html`` (paths).
    :returns: a :class:`Result`.
    :raises BadInput: a malformed document ("documents:3: no "text" field").
    :raises UsageError: an unknown option or a value out of range.
    :raises KeyboardInterrupt: Ctrl-C, within a second; nothing is left behind.
    """
    lib = _split_options(options, _OPTIONS | set(_FILES), "scan")
    files = {k: options[k] for k in _FILES if options.get(k) is not None}
    if lib.get("fast") and (files.keys() - {"clusters"} or lib.get("all_pairs")):
        raise UsageError("--fast finds copies only: it cannot be used with --passages, "
                         "--stories, --timeline, --differences, --html, --show-furniture "
                         "or --all-pairs")
    sink = _Sink(options.get("skip_bad"))
    res = Result(_run(docs, lib, progress=progress, sink=sink), sink.messages)
    for kind, path in files.items():
        res.write(kind, path)
    return res


class _Kept:
    """Iterator over the records dedup kept, read back from a temporary file
    (unlinked once open: nothing is left behind, however the iteration ends)."""

    def __init__(self, path, tuples):
        self._f = None
        try:
            self._f = open(path, encoding="utf-8", errors="surrogateescape")
        finally:
            os.unlink(path)
        self._tuples = tuples

    def __iter__(self):
        return self

    def __next__(self):
        line = self._f.readline() if self._f else ""
        if not line:
            self.close()
            raise StopIteration
        rec = json.loads(line)
        return (rec[self._tuples[0]], rec[self._tuples[1]]) if self._tuples else rec

    def close(self):
        """Stop early and free the temporary file (done at the end of the iteration)."""
        if self._f:
            self._f.close()
            self._f = None

    def __del__(self):
        self.close()


def dedup(docs, *, keep="longest", removed=None, progress=None, **options):
    """Remove copies, as ``reprint dedup``: an iterator of the kept records, in input order.

    Records come back as they were given: dicts as dicts, (id, text) tuples as
    tuples, JSONL records of files as dicts, plain files as {"id", "text"}.

    :param keep: which copy of a cluster stays: "longest", "first" or "earliest" (by date).
    :param removed: the audit trail, one dict per removed document (id, kept,
        jaccard): a list to extend, a callable, or a path to write as JSONL.
    :param options: as :func:`scan` (``threshold``, ``ngram``, ``clusters`` ...).
    """
    lib = _split_options(options, _OPTIONS - {"fast", "all_pairs", "keep_furniture", "reworded"}
                         | {"clusters"}, "dedup")
    lib.update(keep=keep, fast=True, reread=True)  # reread: the kept records are read back
    sink = _Sink(options.get("skip_bad"))
    c = _run(docs, lib, full=True, progress=progress, sink=sink)
    res = Result(c, sink.messages)
    if options.get("clusters") is not None:
        res.write("clusters", options["clusters"])
    if isinstance(removed, (str, os.PathLike)):
        res.write("removed", removed)
    elif removed is not None:
        for r in res.removed:
            removed(r) if callable(removed) else removed.append(r)
    fd, path = tempfile.mkstemp(prefix="reprint-kept-", suffix=".jsonl")
    os.close(fd)
    try:
        c.write_kept(path)
    except BaseException:
        os.unlink(path)
        raise
    counts = c.counts()
    tuples = None
    if counts["records"] and counts["tuples"] == counts["records"]:
        tuples = (lib.get("id_field", "id"), lib.get("text_field", "text"))
    return _Kept(path, tuples)


def align(text_a, text_b, **options):
    """The passages two texts share (:class:`Passage` list), as ``reprint align --format jsonl``.

    :param options: ``ngram``, ``keep_furniture``, ``max_bytes``, ``reworded``.
    """
    lib = _split_options(options, {"ngram", "keep_furniture", "max_bytes", "reworded"}, "align")
    lib["all_pairs"] = True
    c = _run([("A", text_a), ("B", text_b)], lib)
    return [Passage(p["a_start"], p["a_end"], p["b_start"], p["b_end"], p["score"],
                    p["text_a"], p["text_b"]) for p in _jsonl(c.write("passages"))]


class Index:
    """The persistent index (``reprint index``): documents added one batch at a
    time, each placed at once among the copies and stories already held.

    ``Index(path)`` opens the index at path, creating it (with the settings
    given: ``ngram``, ``perm``, ``threshold``, ``sketch``, ``keep_furniture``)
    when there is none. ``create=True`` insists on a new one, ``create=False``
    on an existing one; ``readonly=True`` opens it for queries only. Other
    options (``threads``, ``memory``, ``id_field``, ``text_field``,
    ``max_bytes``, ``skip_bad``) apply to what is added. Use it in a ``with``
    block, or call :meth:`close`.
    """

    def __init__(self, path, *, create=None, readonly=False, **options):
        lib = _split_options(options, _OPTIONS - {"fast", "all_pairs", "keep", "jsonl"},
                             "Index")
        self._skip_bad = options.get("skip_bad")
        if "skip_bad" in lib:
            lib["skip_bad"] = _skipping(lib["skip_bad"])
        path = os.fspath(path)
        if create is None:
            create = not os.path.exists(path) and not readonly
        mode = "create" if create else "readonly" if readonly else "open"
        self.path = path
        self._x = _reprint.Index(path, lib, mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Close the index (a batch is committed or rolled back before add returns)."""
        self._x.close()

    def _place(self, docs, flags):
        sink = _Sink(self._skip_bad)
        if _is_path(docs) or isinstance(docs, (dict, tuple)):
            docs = [docs]
        kind, v = _inputs(docs)
        v = [os.fspath(p) for p in v] if kind == "paths" else v
        return [Placement(*r) for r in self._x.add(v, kind == "paths", flags, sink)]

    def add(self, docs, *, replace=False):
        """Add documents (as :func:`scan` takes them) as one batch, in one transaction.

        :param replace: a document whose id is indexed replaces it (else :class:`BadInput`).
        :returns: a :class:`Placement` per document, in input order.

        The batch is encoded before it is added; beyond 1 MiB it goes to a
        temporary file in $TMPDIR, not memory. A tuple is one (id, text)
        document; give several paths as a list. An
        exception raised by a warning (``warnings`` set to errors) reaches you
        after the batch is committed.
        """
        return self._place(docs, _reprint.INDEX_REPLACE if replace else 0)

    def query(self, docs):
        """Where documents would stand, without adding them: a :class:`Placement`
        for one document (a dict or a tuple), a list for several."""
        one = isinstance(docs, (dict, tuple))
        rows = self._place(docs, _reprint.INDEX_QUERY)
        if one:
            return rows[0] if rows else None  # None: skipped under skip_bad
        return rows

    def stats(self):
        """Counts, size and settings: documents, clusters, stories, pairs, bytes,
        format, version, ngram, perm, threshold, sketch, keep_furniture."""
        return self._x.stats()

    def get(self, doc):
        """An indexed document (dict with number, id, text, date, source, url,
        title, cluster, story) by id or number, or None."""
        return self._x.get(doc)

    def _number(self, doc):
        if isinstance(doc, str):
            d = self._x.get(doc)
            if d is None:
                raise UsageError("no document %r in %s" % (doc, self.path))
            return d["number"]
        return doc

    def related(self, doc):
        """The stored pairs of a document (by id or number), strongest first:
        dicts with the other document's id and number, the fields of
        :class:`Pair`, and its passage_list and difference_list."""
        return self._x.related(self._number(doc))

    def cluster(self, number):
        """Ids of copy cluster ``number``, in the order they were added."""
        return self._x.members(False, number)

    def story(self, number):
        """Ids of story ``number``, in the order they were added."""
        return self._x.members(True, number)

    def timeline(self, story):
        """The events on the subject of a story, by date: dicts with story, size,
        first, last (dates or None) and self (the story asked about)."""
        return self._x.timeline(story)

    def export(self):
        """The indexed documents as one batch scan: a :class:`Result`."""
        return Result(self._x.export(), [])
