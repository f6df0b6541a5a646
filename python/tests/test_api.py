"""Tests of reprint's Python API against the CLI.

Every expectation is derived by running the CLI (``reprint scan``, ``dedup``,
``align``, ``index``, ``query``) on the same input in the test itself; the
messages the brief of the API names are also checked literally.
"""

import json
import os
import re
import warnings
from pathlib import Path

import pytest

import reprint
from reprint import Pair

PAIR_KEYS = list(Pair._fields)
OUTPUTS = ("clusters", "stories", "passages", "differences", "timeline", "html")
FURNITURE_RE = re.compile(r"^furniture: (.*) (\d+)-(\d+) ([a-z]+): (.*)$")


# ---- helpers ---------------------------------------------------------------------

def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def rows(res):
    """The pairs of a Result as dicts, keys in Pair order."""
    return [p._asdict() for p in res.pairs]


def cli_pairs(run_cli, *args, cwd=None):
    """The JSONL rows of `reprint scan --format jsonl ARGS`, checked to have the Pair keys."""
    out = [json.loads(line) for line in
           run_cli("scan", "-q", "--format", "jsonl", *args, cwd=cwd).splitlines()]
    for r in out:
        assert list(r) == PAIR_KEYS
    return out


def furniture_lines(stderr):
    """The `furniture: ID START-END RULE: TEXT` lines of --show-furniture as tuples."""
    out = []
    for line in stderr.splitlines():
        if line.startswith("furniture: "):
            m = FURNITURE_RE.match(line)
            assert m, line
            out.append((m[1], int(m[2]), int(m[3]), m[4], m[5]))
    return out


def cli_messages(stderr):
    """The lines of the CLI's stderr without the "reprint: " prefix."""
    return [line[len("reprint: "):] if line.startswith("reprint: ") else line
            for line in stderr.splitlines()]


def cli_error(run_cli, *args, cwd=None):
    """The one-line error message of a CLI run that fails (exit 1 or 2)."""
    r = run_cli(*args, cwd=cwd, check=False, full=True)
    assert r.returncode != 0, "the CLI accepted %r" % (args,)
    msgs = cli_messages(r.stderr)
    assert len(msgs) == 1, r.stderr
    return msgs[0]


def lib_message(run_cli, tmp_path, records, name="in.jsonl", extra=()):
    """The CLI's error for the records written as a JSONL file, its file name
    replaced by "documents" (how the Python layer names an iterable). records
    are dicts, or bytes lines written as they are."""
    path = tmp_path / name
    with open(path, "wb") as f:
        for r in records:
            f.write(r if isinstance(r, bytes) else
                    json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n")
    msg = cli_error(run_cli, "scan", "-q", *extra, name, cwd=tmp_path)
    assert msg.startswith(name + ":"), msg
    return msg.replace(name, "documents")


WORDS = ("the harbour board met on tuesday to discuss the new bridge across the estuary "
         "which engineers say will carry four lanes of traffic and a cycle path when it "
         "opens next spring after three years of delays caused by flooding and a dispute "
         "over the cost of steel imported from abroad for the main span")


def text(extra=""):
    return WORDS + ((" " + extra) if extra else "")


# ---- 1. scan equals the CLI ------------------------------------------------------------

@pytest.fixture(params=["seeds", "examples"])
def corpus(request):
    """A folder scanned whole: the seeds folder (the CLI reads its README.md and
    expected.tsv as documents too) and examples/."""
    return request.getfixturevalue(request.param)


def test_seeds_folder_is_read_as_the_cli_reads_it(seeds, run_cli):
    res = reprint.scan(seeds)
    cli = cli_pairs(run_cli, seeds)
    # The CLI reads every file of the folder, README.md and expected.tsv included.
    assert {r["a"] for r in cli} | {r["b"] for r in cli} == set(res.ids)
    assert sorted(res.ids) == sorted(n for n in os.listdir(seeds) if not n.startswith("."))
    assert res.ndocs == 7
    assert rows(res) == cli


def test_scan_pairs_equal_cli_jsonl(corpus, run_cli):
    res = reprint.scan(str(corpus))
    cli = cli_pairs(run_cli, corpus)
    assert cli, "no pairs: the comparison would prove nothing"
    assert len(res.pairs) == len(cli) == len(res)
    for p, r in zip(res.pairs, cli):
        assert isinstance(p, Pair)
        assert list(p._asdict()) == list(r)
        for field in PAIR_KEYS:
            assert getattr(p, field) == r[field], (p.a, p.b, field)
            assert type(getattr(p, field)) is type(r[field]), field
    assert list(res) == res.pairs


def test_scan_outputs_equal_cli_files(corpus, run_cli, tmp_path):
    cli_dir, py_dir = tmp_path / "cli", tmp_path / "py"
    cli_dir.mkdir()
    py_dir.mkdir()
    args = []
    for kind in OUTPUTS:
        args += ["--" + kind, cli_dir / kind]
    r = run_cli("scan", "-q", "--show-furniture", "--format", "jsonl", *args, corpus, full=True)
    res = reprint.scan(corpus, **{kind: py_dir / kind for kind in OUTPUTS})
    assert rows(res) == [json.loads(line) for line in r.stdout.splitlines()]
    for kind in OUTPUTS:
        want = (cli_dir / kind).read_bytes()
        assert (py_dir / kind).read_bytes() == want, kind
    # The same lists as Python values.
    assert res.clusters == read_jsonl(cli_dir / "clusters")
    assert res.stories == read_jsonl(cli_dir / "stories")
    assert res.passages == read_jsonl(cli_dir / "passages")
    assert res.differences == read_jsonl(cli_dir / "differences")
    assert res.timelines == read_jsonl(cli_dir / "timeline")
    assert res.clusters and res.stories and res.passages and res.timelines
    # Furniture as --show-furniture lists it.
    want = furniture_lines(r.stderr)
    assert want
    assert [tuple(f) for f in res.furniture] == want
    assert all(isinstance(f, reprint.Furniture) for f in res.furniture)
    assert res.furniture[0]._fields == ("id", "start", "end", "why", "text")


def test_result_properties_without_files_equal_cli(examples, run_cli, tmp_path):
    """The lists of a Result are the CLI's files also when no file is asked for."""
    args = []
    for kind in OUTPUTS[:5]:
        args += ["--" + kind, tmp_path / kind]
    run_cli("scan", "-q", *args, examples)
    res = reprint.scan(examples)
    assert res.differences == read_jsonl(tmp_path / "differences")
    assert res.passages == read_jsonl(tmp_path / "passages")
    assert res.timelines == read_jsonl(tmp_path / "timeline")
    assert res.stories == read_jsonl(tmp_path / "stories")
    assert res.clusters == read_jsonl(tmp_path / "clusters")


def test_result_write_formats_equal_cli_stdout(examples, run_cli, tmp_path):
    res = reprint.scan(examples)
    for fmt in ("tsv", "csv", "jsonl"):
        want = run_cli("scan", "-q", "--format", fmt, examples)
        assert res.write(fmt) == want, fmt
        res.write(fmt, tmp_path / fmt)
        assert (tmp_path / fmt).read_text(encoding="utf-8") == want


def test_result_text_and_ids(seed_files, chdir, seeds):
    chdir(seeds)
    names = [f.name for f in seed_files]
    res = reprint.scan(names)
    assert res.ids == names
    assert res.ndocs == 5 and res.nskipped == 0 and res.skipped == []
    assert res.text(names[2]) == seed_files[2].read_text(encoding="utf-8")
    assert res.text(0) == seed_files[0].read_text(encoding="utf-8")
    with pytest.raises(reprint.UsageError):
        res.text("no-such-id")
    assert repr(res) == "<reprint.Result: 5 documents, %d pairs>" % len(res.pairs)


# ---- 2. documents given as Python values -----------------------------------------------

@pytest.fixture
def seed_cli_pairs(seeds, seed_files, run_cli):
    """The CLI's pairs of the five seed articles named by their file names."""
    return cli_pairs(run_cli, *[f.name for f in seed_files], cwd=seeds)


def test_path_list_input_equals_cli(seed_files, seeds, chdir, seed_cli_pairs):
    chdir(seeds)
    assert rows(reprint.scan([f.name for f in seed_files])) == seed_cli_pairs
    assert len(seed_cli_pairs) == 10


def test_dict_input_equals_path_input(seed_docs, seed_cli_pairs):
    res = reprint.scan(seed_docs)
    assert res.ids == [d["id"] for d in seed_docs]
    assert rows(res) == seed_cli_pairs


def test_tuple_input_equals_path_input(seed_docs, seed_cli_pairs):
    assert rows(reprint.scan([(d["id"], d["text"]) for d in seed_docs])) == seed_cli_pairs


def test_generator_input_equals_path_input(seed_docs, seed_cli_pairs):
    pulled = []

    def gen():
        for d in seed_docs:
            pulled.append(d["id"])
            yield d

    res = reprint.scan(gen())
    assert pulled == [d["id"] for d in seed_docs]
    assert rows(res) == seed_cli_pairs


def test_bytes_text_in_utf8_works_like_str(seed_docs, seed_cli_pairs):
    docs = [{"id": d["id"], "text": d["text"].encode("utf-8")} for d in seed_docs]
    assert any(not d["text"].isascii() for d in docs)  # curly quotes: real UTF-8
    assert rows(reprint.scan(docs)) == seed_cli_pairs


def test_texts_needing_escapes_come_back_as_they_went():
    # Documents reach the library as JSON lines: every byte that JSON escapes
    # (quotes, backslashes, each control character), next to plain ASCII and
    # UTF-8, at every offset of the 16-byte blocks the encoder checks at once.
    special = "".join(chr(c) for c in range(1, 32)) + '"\\' + "\u00e9\u4e2d"
    docs = [{"id": "d%02d" % i, "text": "x" * i + special + " plain words " * (i % 3) + "end %d" % i}
            for i in range(40)]
    kept = list(reprint.dedup(docs, keep="first"))
    assert [r["text"] for r in kept] == [d["text"] for d in docs]


def test_jsonl_path_with_metadata_equals_cli(seed_docs, run_cli, tmp_path):
    recs = [dict(d, date="2025-03-%02d" % (20 + i), source="s%d" % i)
            for i, d in enumerate(seed_docs)]
    write_jsonl(tmp_path / "seeds.jsonl", recs)
    cli = cli_pairs(run_cli, "--timeline", tmp_path / "t.jsonl", tmp_path / "seeds.jsonl")
    res = reprint.scan(recs)
    assert rows(res) == cli
    assert res.timelines == read_jsonl(tmp_path / "t.jsonl")
    assert rows(reprint.scan(tmp_path / "seeds.jsonl")) == cli


def test_mixing_paths_and_documents_is_a_usage_error(examples):
    with pytest.raises(reprint.UsageError, match=r"inputs mix paths and documents"):
        reprint.scan([str(examples), ("a", "some text")])


# ---- 3. options --------------------------------------------------------------------------

# (keyword arguments, CLI options, whether the option changes the output on examples/)
OPTION_CASES = [
    ({"fast": True}, ["--fast"], True),
    ({"threshold": 0.95}, ["--threshold", "0.95"], True),
    ({"ngram": 3}, ["--ngram", "3"], True),
    ({"keep_furniture": True}, ["--keep-furniture"], True),
    ({"all_pairs": True}, ["--all-pairs"], True),
    ({"perm": 64}, ["--perm", "64"], False),
    ({"threads": 1}, ["--threads", "1"], False),
    ({"threads": 2}, ["--threads", "2"], False),
    ({"sketch": "kperm"}, ["--sketch", "kperm"], False),
    ({"memory": 0}, ["--memory", "0"], False),
    ({"memory": 100000}, ["--memory", "100000"], False),
    ({"memory": "512M"}, ["--memory", "512M"], False),
    ({"max_bytes": 1000}, ["--max-bytes", "1000"], False),
    ({"keep": "first"}, ["--keep", "first"], False),
]


@pytest.mark.parametrize("kw,args,changes", OPTION_CASES,
                         ids=["%s=%r" % next(iter(c[0].items())) for c in OPTION_CASES])
def test_scan_option_equals_cli_option(kw, args, changes, examples, run_cli):
    want = cli_pairs(run_cli, *args, examples)
    if changes:
        assert want != cli_pairs(run_cli, examples), "the option changes nothing here"
    assert rows(reprint.scan(examples, **kw)) == want


def test_keep_option_names_the_representative_as_cli(examples, run_cli, tmp_path):
    for keep in ("longest", "first", "earliest"):
        run_cli("scan", "-q", "--keep", keep, "--clusters", tmp_path / keep, examples)
    reps = {}
    for keep in ("longest", "first", "earliest"):
        res = reprint.scan(examples, keep=keep, clusters=tmp_path / ("py-" + keep))
        assert res.clusters == read_jsonl(tmp_path / keep)
        assert (tmp_path / ("py-" + keep)).read_bytes() == (tmp_path / keep).read_bytes()
        reps[keep] = [c["representative"] for c in res.clusters]
    assert reps["longest"] != reps["first"]


def test_fast_with_clusters_equals_cli(examples, run_cli, tmp_path):
    want = cli_pairs(run_cli, "--fast", "--clusters", tmp_path / "c.jsonl", examples)
    res = reprint.scan(examples, fast=True, clusters=tmp_path / "py.jsonl")
    assert rows(res) == want
    assert (tmp_path / "py.jsonl").read_bytes() == (tmp_path / "c.jsonl").read_bytes()
    assert {p.relation for p in res.pairs} <= {"duplicate", "near-duplicate"}


def test_perm_reaches_the_library(examples, run_cli):
    # A threshold too low for 99.5% recall at --perm 8 is refused, naming the perm needed.
    msg = cli_error(run_cli, "scan", "-q", "--threshold", "0.3", "--perm", "8", examples)
    with pytest.raises(reprint.UsageError) as e:
        reprint.scan(examples, threshold=0.3, perm=8)
    assert str(e.value) == msg
    assert rows(reprint.scan(examples, threshold=0.3, perm=16)) == cli_pairs(
        run_cli, "--threshold", "0.3", "--perm", "16", examples)


def test_max_bytes_with_skip_bad_equals_cli(examples, run_cli):
    r = run_cli("scan", "-q", "--format", "jsonl", "--max-bytes", "850", "--skip-bad",
                examples, full=True)
    msgs = [m for m in cli_messages(r.stderr) if m.startswith("skipped: ")]
    assert msgs, "nothing over 850 bytes"
    got = []
    res = reprint.scan(examples, max_bytes=850, skip_bad=got.append)
    assert rows(res) == [json.loads(line) for line in r.stdout.splitlines()]
    assert got == msgs
    assert res.nskipped == len(msgs)
    assert res.skipped == msgs


def test_max_bytes_refuses_as_cli(examples, run_cli):
    msg = cli_error(run_cli, "scan", "-q", "--max-bytes", "850", examples)
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan(examples, max_bytes=850)
    assert str(e.value) == msg


def test_id_field_and_text_field_equal_cli(seed_docs, run_cli, tmp_path):
    recs = [{"url": "https://example.org/" + d["id"], "body": d["text"], "id": "x",
             "text": "not this"} for d in seed_docs]
    path = write_jsonl(tmp_path / "crawl.jsonl", recs)
    want = cli_pairs(run_cli, "--id-field", "url", "--text-field", "body", path)
    assert want and want[0]["a"].startswith("https://example.org/")
    assert rows(reprint.scan(path, id_field="url", text_field="body")) == want
    # The same records as dicts, and as tuples (named by the same fields).
    assert rows(reprint.scan(recs, id_field="url", text_field="body")) == want
    tuples = [(r["url"], r["body"]) for r in recs]
    assert rows(reprint.scan(tuples, id_field="url", text_field="body")) == want


def test_jsonl_option_equals_cli(seed_docs, run_cli, tmp_path):
    path = write_jsonl(tmp_path / "dump.txt", seed_docs)
    want = cli_pairs(run_cli, "--jsonl", path)
    assert want and cli_pairs(run_cli, path) == []  # without it: one plain document
    assert rows(reprint.scan(path, jsonl=True)) == want
    res = reprint.scan(path)
    assert res.ids == [str(path)] and res.pairs == []


def test_skip_bad_on_a_file_equals_cli(run_cli, tmp_path):
    path = tmp_path / "bad.jsonl"
    with open(path, "wb") as f:
        f.write(json.dumps({"id": "g1", "text": text()}).encode() + b"\n")
        f.write(json.dumps({"id": "b1", "text": 5}).encode() + b"\n")
        f.write(json.dumps({"id": "g2", "text": text()}).encode() + b"\n")
        f.write(b'{"id":"b2","text":"\xff\xfe"}\n')
        f.write(json.dumps({"id": "b3"}).encode() + b"\n")
        f.write(json.dumps({"id": "g3", "text": text("and more")}).encode() + b"\n")
    r = run_cli("scan", "-q", "--format", "jsonl", "--skip-bad", path.name, cwd=tmp_path,
                full=True)
    msgs = [m for m in cli_messages(r.stderr) if m.startswith("skipped: ")]
    assert len(msgs) == 3
    got = []
    res = reprint.scan(path, skip_bad=got.append)
    assert rows(res) == [json.loads(line) for line in r.stdout.splitlines()]
    assert [m.replace(str(path), path.name) for m in got] == msgs
    assert res.nskipped == 3 and res.ndocs == 3


@pytest.mark.parametrize("kind", ["passages", "stories", "timeline", "differences", "html"])
def test_fast_with_an_output_of_alignment_is_a_usage_error(kind, examples, run_cli, tmp_path):
    msg = cli_error(run_cli, "scan", "-q", "--fast", "--" + kind, tmp_path / "x", examples)
    with pytest.raises(reprint.UsageError) as e:
        reprint.scan(examples, fast=True, **{kind: tmp_path / "y"})
    assert str(e.value) == msg
    assert not (tmp_path / "y").exists()


def test_fast_with_all_pairs_is_a_usage_error(examples, run_cli):
    msg = cli_error(run_cli, "scan", "-q", "--fast", "--all-pairs", examples)
    with pytest.raises(reprint.UsageError) as e:
        reprint.scan(examples, fast=True, all_pairs=True)
    assert str(e.value) == msg


@pytest.mark.parametrize("call,name", [
    (lambda: reprint.scan([("a", "x y")], bogus=1), "scan"),
    (lambda: reprint.dedup([("a", "x y")], bogus=1), "dedup"),
    (lambda: reprint.align("x y", "x y", bogus=1), "align"),
], ids=["scan", "dedup", "align"])
def test_unknown_option_is_a_usage_error_naming_it(call, name):
    with pytest.raises(reprint.UsageError) as e:
        call()
    assert str(e.value).startswith("%s: unknown option 'bogus'; the options are " % name)


def test_unknown_index_option_is_a_usage_error(tmp_path):
    with pytest.raises(reprint.UsageError, match=r"^Index: unknown option 'bogus'"):
        reprint.Index(tmp_path / "x.db", bogus=1)
    assert not (tmp_path / "x.db").exists()


def test_option_of_another_function_is_refused():
    # fast and all_pairs are scan's, not dedup's (dedup always runs the fast path).
    with pytest.raises(reprint.UsageError, match=r"^dedup: unknown option 'all_pairs'"):
        reprint.dedup([("a", "x y")], all_pairs=True)


@pytest.mark.parametrize("kw,msg", [
    ({"threshold": 0}, "threshold 0 out of range (0..1]"),
    ({"threshold": 1.5}, "threshold 1.5 out of range (0..1]"),
    ({"ngram": 0}, "n-gram size 0 out of range (1..64)"),
    ({"ngram": 65}, "n-gram size 65 out of range (1..64)"),
    ({"perm": 4}, "permutations 4 out of range (8..1024)"),
    ({"threads": -1}, "threads -1 out of range (0..256)"),
    ({"threads": 300}, "threads 300 out of range (0..256)"),
    ({"keep": "newest"}, "keep must be one of longest, first, earliest, not 'newest'"),
    ({"sketch": "minhash"}, "sketch must be one of oph, kperm, not 'minhash'"),
    ({"memory": "512X"}, "memory: '512X' is not a size (bytes, or a whole number with K, M or G)"),
])
def test_out_of_range_values_are_usage_errors(kw, msg, examples):
    with pytest.raises(reprint.UsageError) as e:
        reprint.scan(examples, **kw)
    assert str(e.value) == msg


def test_out_of_range_messages_are_the_librarys(root, examples, run_cli):
    """The CLI checks its arguments in its own words; the Python layer passes the
    library's (src/corpus/corpus.c)."""
    src = (root / "src" / "corpus" / "corpus.c").read_text(encoding="utf-8")
    for fmt in ("n-gram size %d out of range (1..64)", "permutations %d out of range (8..1024)",
                "threshold %g out of range (0..1]", "threads %d out of range (0..256)"):
        assert '"%s"' % fmt in src
    cli = cli_error(run_cli, "scan", "-q", "--memory", "512X", examples)
    assert cli == "--memory: '512X' is not a size (bytes, or a whole number with K, M or G)"


# ---- 4. bad input ------------------------------------------------------------------------

def test_error_classes():
    assert issubclass(reprint.BadInput, reprint.Error)
    assert issubclass(reprint.UsageError, reprint.Error)
    assert issubclass(reprint.Error, Exception)
    assert not issubclass(reprint.BadInput, reprint.UsageError)
    assert not issubclass(reprint.UsageError, reprint.BadInput)


def test_text_not_a_string(run_cli, tmp_path):
    docs = [{"id": "g", "text": text()}, {"id": "a", "text": 5}]
    want = lib_message(run_cli, tmp_path, docs)
    assert want == 'documents:2: field "text" is an integer, not a string'
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan(docs)
    assert str(e.value) == want
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan([("g", text()), ("a", 5)])
    assert str(e.value) == want


def test_bytes_text_not_utf8(run_cli, tmp_path):
    want = lib_message(run_cli, tmp_path, [b'{"id":"a","text":"\xff\xfe"}\n'])
    assert want == "documents:1: invalid JSON at column 19: invalid UTF-8 in a string"
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan([{"id": "a", "text": b"\xff\xfe"}])
    assert str(e.value) == want
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan([("a", b"\xff\xfe")])
    assert str(e.value) == want


@pytest.mark.parametrize("surrogate,raw", [("\udcff", b"\xff"), ("\ud800", b"\xed\xa0\x80")])
def test_str_with_lone_surrogate(surrogate, raw, run_cli, tmp_path):
    want = lib_message(run_cli, tmp_path, [b'{"id":"a","text":"ab' + raw + b'"}\n'])
    assert want == "documents:1: invalid JSON at column 21: invalid UTF-8 in a string"
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan([{"id": "a", "text": "ab" + surrogate}])
    assert str(e.value) == want


def test_duplicate_id(run_cli, tmp_path):
    docs = [{"id": "a", "text": text()}, {"id": "a", "text": text("x")}]
    want = lib_message(run_cli, tmp_path, docs)
    assert want == 'documents:2: duplicate id "a" (first seen at documents:1)'
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan(docs)
    assert str(e.value) == want


def test_missing_text_field(run_cli, tmp_path):
    docs = [{"id": "a", "body": text()}]
    want = lib_message(run_cli, tmp_path, docs)
    assert want == 'documents:1: no "text" field'
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan(docs)
    assert str(e.value) == want


def test_missing_id_field(run_cli, tmp_path):
    docs = [{"text": text()}]
    want = lib_message(run_cli, tmp_path, docs)
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan(docs)
    assert str(e.value) == want == 'documents:1: no "id" field'


def test_null_text(run_cli, tmp_path):
    want = lib_message(run_cli, tmp_path, [{"id": "a", "text": None}])
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan([("a", None)])
    assert str(e.value) == want


@pytest.mark.parametrize("item,what", [
    (["a", "text"], "a list"),
    (("a", "b", "c"), "a tuple of another length"),
    (("a",), "a tuple of another length"),
    (42, "an int"),
    ("a string after a document", "a str"),
])
def test_item_neither_dict_nor_pair(item, what):
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan([("g", text()), item])
    assert str(e.value) == "documents:2: a document is a dict or an (id, text) tuple, not " + what


@pytest.mark.parametrize("doc,msg", [
    ({"id": "a", "text": "x", "date": object()},
     'field "date" is an object, which has no JSON form'),
    ({"id": "a", "text": {1, 2}}, 'field "text" is a set, which has no JSON form'),
    ({"id": "a", "text": "x", "title": float("nan")},
     'field "title" is NaN, which JSON cannot hold'),
    ({"id": "a", "text": "x", "source": float("inf")},
     'field "source" is infinite, which JSON cannot hold'),
])
def test_unencodable_value(doc, msg):
    with pytest.raises(reprint.BadInput) as e:
        reprint.scan([doc])
    assert str(e.value) == "documents:1: " + msg


def test_missing_path_is_an_error(run_cli, tmp_path):
    path = tmp_path / "no-such-file.txt"
    want = cli_error(run_cli, "scan", "-q", path)
    with pytest.raises(reprint.Error) as e:
        reprint.scan(path)
    assert str(e.value) == want
    assert not isinstance(e.value, (reprint.BadInput, reprint.UsageError))


BAD_DOCS = [
    ("g1", text()),
    {"id": "b1", "text": 5},
    ("g2", text()),
    {"id": "b2", "text": b"\xff\xfe"},
    ["not", "a", "document"],
    ("g3", text("and a few more words")),
    {"id": "b3", "text": "x", "date": object()},
    ("g1", "the same id again"),
]
BAD_MESSAGES = [
    'skipped: documents:2: field "text" is an integer, not a string',
    "skipped: documents:4: invalid JSON at column 20: invalid UTF-8 in a string",
    "skipped: documents:5: a document is a dict or an (id, text) tuple, not a list",
    'skipped: documents:7: field "date" is an object, which has no JSON form',
    'skipped: documents:8: duplicate id "g1" (first seen at documents:1)',
]


def good_pairs():
    return rows(reprint.scan([d for d in BAD_DOCS[:6] if isinstance(d, tuple)]))


def by_position(msgs):
    return sorted(msgs, key=lambda m: int(m.split(":")[2]))


def test_skip_bad_true():
    res = reprint.scan(BAD_DOCS, skip_bad=True)
    assert by_position(res.skipped) == BAD_MESSAGES
    assert res.nskipped == 5 and res.ndocs == 3
    assert res.ids == ["g1", "g2", "g3"]
    assert rows(res) == good_pairs() and len(res.pairs) == 3


def test_skip_bad_callable():
    got = []
    res = reprint.scan(BAD_DOCS, skip_bad=lambda m: got.append(m))
    assert by_position(got) == BAD_MESSAGES
    assert res.nskipped == 5
    assert rows(res) == good_pairs()


def test_skip_bad_list_extends_it():
    got = ["kept"]
    res = reprint.scan(BAD_DOCS, skip_bad=got)
    assert got[0] == "kept" and by_position(got[1:]) == BAD_MESSAGES
    assert res.nskipped == 5
    assert rows(res) == good_pairs()


def test_skip_bad_empty_list():
    got = []
    res = reprint.scan(BAD_DOCS, skip_bad=got)
    assert by_position(got) == BAD_MESSAGES
    assert res.nskipped == 5
    assert rows(res) == good_pairs()


def test_dedup_skip_bad_empty_list(dated_copies):
    docs = dated_copies[:2] + [{"id": "bad", "text": 5}] + dated_copies[2:]
    got = []
    kept = list(reprint.dedup(docs, keep="first", skip_bad=got))
    assert [r["id"] for r in kept] == ["first", "other"]
    assert got == ['skipped: documents:3: field "text" is an integer, not a string']


def test_index_skip_bad_empty_list(tmp_path, seed_docs):
    got = []
    with reprint.Index(tmp_path / "x.db", skip_bad=got) as x:
        placed = x.add([seed_docs[0], {"id": "bad", "text": 5}, seed_docs[1]])
    assert [p.id for p in placed] == [seed_docs[0]["id"], seed_docs[1]["id"]]
    assert got == ['skipped: documents:2: field "text" is an integer, not a string']


def test_skip_bad_all_rejected_by_the_library():
    res = reprint.scan([{"id": "a", "text": 5}], skip_bad=True)
    assert res.skipped == ['skipped: documents:1: field "text" is an integer, not a string']
    assert res.nskipped == 1 and res.ndocs == 0 and res.pairs == []


def test_skip_bad_all_rejected_by_the_python_layer():
    res = reprint.scan([["not", "a", "document"]], skip_bad=True)
    assert res.skipped == [
        "skipped: documents:1: a document is a dict or an (id, text) tuple, not a list"]
    assert res.nskipped == 1 and res.ndocs == 0 and res.pairs == []


def test_skip_bad_messages_in_input_order():
    res = reprint.scan(BAD_DOCS, skip_bad=True)
    assert res.skipped == BAD_MESSAGES


def test_skip_bad_messages_of_the_library_equal_cli(run_cli, tmp_path):
    """The messages of the documents the library rejects are the CLI's for the same JSONL."""
    lines = [json.dumps({"id": "g1", "text": text()}).encode(),
             json.dumps({"id": "b1", "text": 5}).encode(),
             json.dumps({"id": "g2", "text": text()}).encode(),
             b'{"id":"b2","text":"\xff\xfe"}',
             json.dumps({"id": "g1", "text": "the same id again"}).encode()]
    (tmp_path / "d.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    r = run_cli("scan", "-q", "--skip-bad", "d.jsonl", cwd=tmp_path, full=True)
    want = [m.replace("d.jsonl", "documents") for m in cli_messages(r.stderr)
            if m.startswith("skipped: ")]
    docs = [{"id": "g1", "text": text()}, {"id": "b1", "text": 5}, ("g2", text()),
            {"id": "b2", "text": b"\xff\xfe"}, ("g1", "the same id again")]
    res = reprint.scan(docs, skip_bad=True)
    assert res.skipped == want and len(want) == 3


def test_unreadable_date_is_an_input_warning(run_cli, tmp_path):
    docs = [{"id": "a", "text": text(), "date": "2025-02-30"}]
    r = run_cli("scan", "-q", write_jsonl(tmp_path / "d.jsonl", docs).name, cwd=tmp_path,
                full=True)
    want = [m.replace("d.jsonl", "documents") for m in cli_messages(r.stderr)]
    assert len(want) == 1 and "2025-02-30" in want[0]
    with pytest.warns(reprint.InputWarning) as w:
        res = reprint.scan(docs)
    assert [str(x.message) for x in w] == want
    assert res.ndocs == 1


# ---- 5. dedup ----------------------------------------------------------------------------

def test_dedup_dicts_equal_cli(examples, run_cli, tmp_path):
    docs = [{"id": f.name, "text": f.read_text(encoding="utf-8"), "n": i, "tags": ["x", i],
             "source": "wire" if i % 2 else None}
            for i, f in enumerate(sorted(examples.iterdir()))]
    path = write_jsonl(tmp_path / "in.jsonl", docs)
    run_cli("dedup", "-q", path, "-o", tmp_path / "kept.jsonl", "--removed",
            tmp_path / "removed.jsonl")
    kept_cli = read_jsonl(tmp_path / "kept.jsonl")
    removed_cli = read_jsonl(tmp_path / "removed.jsonl")
    assert len(kept_cli) < len(docs) and removed_cli
    removed = []
    kept = list(reprint.dedup(docs, removed=removed))
    assert kept == kept_cli
    assert all(isinstance(k, dict) for k in kept)
    assert removed == removed_cli
    # removed as a path: the same bytes as the CLI's file
    list(reprint.dedup(docs, removed=tmp_path / "py-removed.jsonl"))
    assert (tmp_path / "py-removed.jsonl").read_bytes() == (tmp_path / "removed.jsonl").read_bytes()
    # removed as a callable
    got = []
    list(reprint.dedup(iter(docs), removed=got.append))
    assert got == removed_cli


def test_dedup_tuples_come_back_as_tuples(examples, run_cli, tmp_path):
    files = sorted(examples.iterdir())
    docs = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    run_cli("dedup", "-q", *[f.name for f in files], "-o", tmp_path / "kept.jsonl",
            cwd=examples)
    want = [(r["id"], r["text"]) for r in read_jsonl(tmp_path / "kept.jsonl")]
    kept = list(reprint.dedup(docs))
    assert kept == want
    assert all(type(k) is tuple for k in kept)


def test_dedup_paths_equal_cli(examples, run_cli, tmp_path):
    run_cli("dedup", "-q", examples, "-o", tmp_path / "kept.jsonl", "--clusters",
            tmp_path / "c.jsonl")
    kept = list(reprint.dedup(examples, clusters=tmp_path / "py-c.jsonl"))
    assert kept == read_jsonl(tmp_path / "kept.jsonl")
    assert (tmp_path / "py-c.jsonl").read_bytes() == (tmp_path / "c.jsonl").read_bytes()


@pytest.fixture
def dated_copies():
    """Three near-duplicates where first, longest and earliest are three documents."""
    return [
        {"id": "first", "text": text("said the clerk"), "date": "2025-03-03"},
        {"id": "longest", "text": text("said the clerk of the harbour board on monday"),
         "date": "2025-03-02"},
        {"id": "earliest", "text": text(), "date": "2025-03-01"},
        {"id": "other", "text": "an unrelated note about the orchard and the frost in april "
                                "which damaged the blossom on most of the apple trees"},
    ]


@pytest.mark.parametrize("keep", ["longest", "first", "earliest"])
def test_dedup_keep_equals_cli(keep, dated_copies, run_cli, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", dated_copies)
    run_cli("dedup", "-q", "--keep", keep, path, "-o", tmp_path / "kept.jsonl", "--removed",
            tmp_path / "removed.jsonl")
    want = read_jsonl(tmp_path / "kept.jsonl")
    assert [r["id"] for r in want] == [keep, "other"]
    removed = []
    assert list(reprint.dedup(dated_copies, keep=keep, removed=removed)) == want
    assert removed == read_jsonl(tmp_path / "removed.jsonl")
    assert {r["kept"] for r in removed} == {keep}


@pytest.mark.parametrize("keep", ["longest", "first"])
def test_scan_removed_equals_cli_dedup_removed(keep, examples, run_cli, tmp_path):
    run_cli("dedup", "-q", "--keep", keep, examples, "-o", tmp_path / "k.jsonl", "--removed",
            tmp_path / "r.jsonl")
    want = read_jsonl(tmp_path / "r.jsonl")
    assert want
    res = reprint.scan(examples, keep=keep)
    assert res.removed == want
    assert res.write("removed") == (tmp_path / "r.jsonl").read_text(encoding="utf-8")


def test_dedup_default_keep_is_longest(dated_copies):
    assert [r["id"] for r in reprint.dedup(dated_copies)] == ["longest", "other"]


def test_dedup_options_equal_cli(dated_copies, run_cli, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", dated_copies)
    run_cli("dedup", "-q", "--threshold", "0.95", "--keep", "first", path, "-o",
            tmp_path / "kept.jsonl")
    want = read_jsonl(tmp_path / "kept.jsonl")
    assert len(want) > 2
    assert list(reprint.dedup(dated_copies, keep="first", threshold=0.95)) == want


def test_dedup_skip_bad(dated_copies):
    docs = dated_copies[:2] + [{"id": "bad", "text": 5}] + dated_copies[2:]
    with pytest.raises(reprint.BadInput, match=r'^documents:3: field "text" is an integer'):
        list(reprint.dedup(docs))
    got = []
    kept = list(reprint.dedup(docs, keep="first", skip_bad=got.append))
    assert [r["id"] for r in kept] == ["first", "other"]
    assert got == ['skipped: documents:3: field "text" is an integer, not a string']


def test_dedup_bad_keep_is_a_usage_error(dated_copies):
    with pytest.raises(reprint.UsageError) as e:
        reprint.dedup(dated_copies, keep="newest")
    assert str(e.value) == "keep must be one of longest, first, earliest, not 'newest'"


# ---- 6. align ----------------------------------------------------------------------------

@pytest.mark.parametrize("a,b,args", [
    ("examples/ferry-wire.txt", "examples/ferry-followup.txt", []),
    ("examples/harbour-bridge-edited.txt", "examples/harbour-bridge-wire.txt", []),
    ("../shared/seeds/001_811c8e1ff850ec4f.txt", "../shared/seeds/002_781ff10bc3527234.txt", []),
    ("../shared/seeds/001_811c8e1ff850ec4f.txt", "../shared/seeds/004_ff225e932b193173.txt",
     ["--ngram", "3"]),
    ("examples/ferry-herald.txt", "examples/ferry-wire.txt", ["--keep-furniture"]),
])
def test_align_equals_cli(a, b, args, root, run_cli):
    if not (root / a).exists() or not (root / b).exists():
        pytest.skip("no %s or %s" % (a, b))
    out = run_cli("align", "--format", "jsonl", *args, a, b, cwd=root)
    want = [json.loads(line) for line in out.splitlines()]
    assert want
    kw = {}
    if "--ngram" in args:
        kw["ngram"] = int(args[1])
    if "--keep-furniture" in args:
        kw["keep_furniture"] = True
    got = reprint.align((root / a).read_text(encoding="utf-8"),
                        (root / b).read_text(encoding="utf-8"), **kw)
    assert all(isinstance(p, reprint.Passage) for p in got)
    assert [p._asdict() for p in got] == [
        {k: v for k, v in r.items() if k not in ("a", "b")} for r in want]
    assert list(want[0])[2:] == list(reprint.Passage._fields)


def test_align_reworded_equals_cli(tmp_path, run_cli):
    """reworded=True is --reworded: the sentence told in other words is a passage."""
    a = ("Fire chief Odile Brann said the blaze started in a storage loft shortly before "
         "midnight and spread along the roof beams within an hour.\n\nNobody was hurt.\n")
    b = ("According to fire chief Odile Brann, the blaze broke out in a storage loft just before "
         "midnight and within an hour had spread along the beams of the roof.\n")
    (tmp_path / "a.txt").write_text(a, encoding="utf-8")
    (tmp_path / "b.txt").write_text(b, encoding="utf-8")
    assert reprint.align(a, b) == []
    out = run_cli("align", "--reworded", "--format", "jsonl", "a.txt", "b.txt", cwd=tmp_path)
    want = [json.loads(line) for line in out.splitlines()]
    got = reprint.align(a, b, reworded=True)
    assert len(got) == 1
    assert [p._asdict() for p in got] == [
        {k: v for k, v in r.items() if k not in ("a", "b")} for r in want]
    assert got[0].text_a == a[:a.index("hour.") + 5]


def test_align_unrelated_texts_share_nothing(examples, run_cli):
    a, b = examples / "library-hours.txt", examples / "orchard-frost.txt"
    assert run_cli("align", "--format", "jsonl", a, b) == ""
    assert reprint.align(a.read_text(), b.read_text()) == []


# ---- 7. Index ----------------------------------------------------------------------------

def cli_placements(out):
    """The rows of `reprint index add` / `reprint query` as lists of strings."""
    lines = out.splitlines()
    assert lines[0] == "id\trelation\tclosest\tcluster\tstory"
    return [line.split("\t") for line in lines[1:]]


def check_placement(p, row, number):
    """A Placement against a CLI row; number is the document's number in the index."""
    pid, relation, closest, cluster, story = row
    assert isinstance(p, reprint.Placement)
    assert (p.id, p.relation) == (pid, relation)
    assert p.closest == (None if closest == "-" else closest)
    assert p.new_cluster == (cluster == "new")
    assert p.new_story == (story == "new")
    assert p.cluster == (number if cluster == "new" else int(cluster))
    assert p.story == (number if story == "new" else int(story))


def cli_stats(out):
    st = dict(line.split("\t") for line in out.splitlines())
    return st


def check_stats(py, cli):
    for k in ("documents", "clusters", "stories", "pairs", "format", "ngram", "perm"):
        assert py[k] == int(cli[k]), k
    assert py["threshold"] == float(cli["threshold"])
    assert py["version"] == cli["version"] == reprint.__version__
    assert py["sketch"] == cli["sketch"]
    assert py["keep_furniture"] == {"yes": True, "no": False}[cli["keep_furniture"]]


def test_index_one_at_a_time_equals_cli(seeds, seed_files, seed_docs, run_cli, tmp_path):
    cli_db, py_db = tmp_path / "cli.db", tmp_path / "py.db"
    run_cli("index", "create", cli_db)
    relations = []
    with reprint.Index(py_db) as x:
        for n, (f, d) in enumerate(zip(seed_files, seed_docs), 1):
            want = cli_placements(run_cli("index", "add", "-q", cli_db, f.name, cwd=seeds))
            got = x.add(d)
            assert len(got) == len(want) == 1
            check_placement(got[0], want[0], n)
            relations.append(got[0].relation)
        check_stats(x.stats(), cli_stats(run_cli("index", "stats", cli_db)))
        assert x.stats()["documents"] == 5
    assert len(set(relations)) >= 4  # unrelated, same-story, reprint, ...


def test_index_batch_equals_cli(seeds, seed_files, seed_docs, run_cli, tmp_path):
    cli_db, py_db = tmp_path / "cli.db", tmp_path / "py.db"
    run_cli("index", "create", cli_db)
    want = cli_placements(run_cli("index", "add", "-q", cli_db, *[f.name for f in seed_files],
                                  cwd=seeds))
    x = reprint.Index(py_db, create=True)
    try:
        got = x.add(seed_docs)
        assert len(got) == len(want) == 5
        for n, (p, row) in enumerate(zip(got, want), 1):
            check_placement(p, row, n)
        check_stats(x.stats(), cli_stats(run_cli("index", "stats", cli_db)))
        # export: the scan of the indexed documents, as `index export`
        exp = x.export()
        cli_exp = [json.loads(line) for line in
                   run_cli("index", "export", "-q", "--format", "jsonl", cli_db).splitlines()]
        assert rows(exp) == cli_exp
        assert len(cli_exp) == 10
    finally:
        x.close()
    # The index the Python layer wrote, read by the CLI.
    assert cli_placements(run_cli("query", "-q", py_db, seeds / "README.md")) == \
        cli_placements(run_cli("query", "-q", cli_db, seeds / "README.md"))
    assert [json.loads(line) for line in run_cli("index", "export", "-q", "--format", "jsonl",
                                                 py_db).splitlines()] == cli_exp


def test_index_add_paths_equals_cli(seeds, seed_files, run_cli, tmp_path, chdir):
    run_cli("index", "create", tmp_path / "cli.db")
    want = cli_placements(run_cli("index", "add", "-q", tmp_path / "cli.db",
                                  *[f.name for f in seed_files[:3]], cwd=seeds))
    chdir(seeds)
    with reprint.Index(tmp_path / "py.db") as x:
        got = x.add([f.name for f in seed_files[:3]])
        for n, (p, row) in enumerate(zip(got, want), 1):
            check_placement(p, row, n)
        got = x.add(seed_files[3].name)  # one path
        want = cli_placements(run_cli("index", "add", "-q", tmp_path / "cli.db",
                                      seed_files[3].name, cwd=seeds))
        check_placement(got[0], want[0], 4)


@pytest.fixture
def seed_index(seed_docs, tmp_path, run_cli, seeds, seed_files):
    """(Index of the first four seeds, its path, the same index made by the CLI)."""
    cli_db = tmp_path / "cli.db"
    run_cli("index", "create", cli_db)
    run_cli("index", "add", "-q", cli_db, *[f.name for f in seed_files[:4]], cwd=seeds)
    x = reprint.Index(tmp_path / "py.db")
    x.add(seed_docs[:4])
    yield x, tmp_path / "py.db", cli_db
    x.close()


def test_index_query_one_dict_does_not_add(seed_index, seed_docs, run_cli, tmp_path):
    x, _, cli_db = seed_index
    before = x.stats()
    doc = {"id": "followup", "text": seed_docs[4]["text"]}
    write_jsonl(tmp_path / "q.jsonl", [doc])
    want = cli_placements(run_cli("query", "-q", cli_db, tmp_path / "q.jsonl"))
    p = x.query(doc)
    check_placement(p, want[0], 5)
    assert p.relation == "shares-passages"
    assert x.stats() == before
    assert x.get("followup") is None
    # several: a list
    got = x.query([doc, ("copy", seed_docs[1]["text"])])
    assert isinstance(got, list) and len(got) == 2
    assert got[0] == p
    assert got[1].relation == "duplicate" and got[1].closest == seed_docs[1]["id"]
    assert x.stats() == before


def test_index_get(seed_index, seed_docs):
    x = seed_index[0]
    d = x.get(seed_docs[2]["id"])
    assert d["text"] == seed_docs[2]["text"]
    assert d["id"] == seed_docs[2]["id"] and d["number"] == 3
    assert x.get(1)["id"] == seed_docs[0]["id"]
    assert x.get("no-such-id") is None
    assert x.get(99) is None


def test_index_related(seed_index, seed_docs, run_cli):
    x, _, cli_db = seed_index
    a = seed_docs[1]["id"]
    rel = x.related(a)
    assert rel
    exp = [json.loads(line) for line in
           run_cli("index", "export", "-q", "--format", "jsonl", cli_db).splitlines()]
    partners = {r["b"] if r["a"] == a else r["a"] for r in exp if a in (r["a"], r["b"])}
    assert {r["id"] for r in rel} == partners
    by_id = {r["id"]: r for r in rel}
    reprint_of = by_id[seed_docs[2]["id"]]
    assert reprint_of["relation"] == "reprint"
    assert reprint_of["passages"] == len(reprint_of["passage_list"]) > 0
    assert x.related(2) == rel
    with pytest.raises(reprint.UsageError):
        x.related("no-such-id")


def test_index_export_equals_cli_export(seed_index, run_cli):
    x, py_db, cli_db = seed_index
    want = [json.loads(line) for line in
            run_cli("index", "export", "-q", "--format", "jsonl", py_db).splitlines()]
    assert want == [json.loads(line) for line in
                    run_cli("index", "export", "-q", "--format", "jsonl", cli_db).splitlines()]
    assert rows(x.export()) == want and want


def test_index_export_files_and_members_equal_cli(seed_index, run_cli, tmp_path):
    x, _, cli_db = seed_index
    kinds = ("clusters", "stories", "passages", "differences", "timeline", "html")
    args = []
    for kind in kinds:
        args += ["--" + kind, tmp_path / ("cli-" + kind)]
    run_cli("index", "export", "-q", *args, cli_db)
    exp = x.export()
    for kind in kinds:
        exp.write(kind, tmp_path / ("py-" + kind))
        assert (tmp_path / ("py-" + kind)).read_bytes() == \
            (tmp_path / ("cli-" + kind)).read_bytes(), kind
    assert exp.stories == read_jsonl(tmp_path / "cli-stories") and exp.stories
    assert exp.passages == read_jsonl(tmp_path / "cli-passages") and exp.passages
    # A batch added to an empty index holds the scan's stories; story(n) lists the
    # members of the story numbered by its first document, in the order of adding.
    for st in exp.stories:
        first = x.get(st["members"][0])
        assert first["story"] == first["number"]
        assert x.story(first["number"]) == st["members"]
        for m in st["members"]:
            assert x.get(m)["story"] == first["number"]
    # No copies among the seeds: every document is a copy cluster of its own.
    assert [c for c in exp.clusters if c["level"] == "copies"] == []
    assert x.cluster(3) == [x.get(3)["id"]]


def test_index_add_an_indexed_id_again(seed_index, seed_docs, run_cli, tmp_path):
    x, py_db, cli_db = seed_index
    doc = {"id": seed_docs[0]["id"], "text": seed_docs[4]["text"]}
    write_jsonl(tmp_path / "again.jsonl", [doc])
    msg = cli_error(run_cli, "index", "add", "-q", cli_db, "again.jsonl", cwd=tmp_path)
    want = "documents" + msg[len("again.jsonl"):].replace(str(cli_db), str(py_db))
    with pytest.raises(reprint.BadInput) as e:
        x.add(doc)
    assert str(e.value) == want
    assert x.stats()["documents"] == 4
    # replace=True, as --replace
    cli = cli_placements(run_cli("index", "add", "-q", "--replace", cli_db, "again.jsonl",
                                 cwd=tmp_path))
    got = x.add(doc, replace=True)
    check_placement(got[0], cli[0], 5)
    assert x.stats()["documents"] == 4
    assert x.get(doc["id"])["text"] == doc["text"]
    check_stats(x.stats(), cli_stats(run_cli("index", "stats", cli_db)))


def test_index_context_manager_closes(tmp_path, seed_docs):
    with reprint.Index(tmp_path / "x.db") as x:
        assert isinstance(x, reprint.Index)
        x.add(seed_docs[0])
    with pytest.raises(reprint.UsageError, match="the index is closed"):
        x.stats()
    with pytest.raises(reprint.UsageError, match="the index is closed"):
        x.add(seed_docs[1])
    with reprint.Index(tmp_path / "x.db", create=False) as y:
        assert y.stats()["documents"] == 1


def test_index_not_an_index(seeds, run_cli):
    want = cli_error(run_cli, "index", "stats", seeds / "README.md")
    with pytest.raises(reprint.Error) as e:
        reprint.Index(seeds / "README.md")
    assert str(e.value) == want


def test_index_create_refuses_an_existing_file(tmp_path, run_cli):
    run_cli("index", "create", tmp_path / "a.db")
    want = cli_error(run_cli, "index", "create", tmp_path / "a.db")
    with pytest.raises(reprint.Error) as e:
        reprint.Index(tmp_path / "a.db", create=True)
    assert str(e.value) == want


def test_index_open_missing_file(tmp_path):
    for kw in ({"create": False}, {"readonly": True}):
        with pytest.raises(reprint.Error, match=r"No such file or directory"):
            reprint.Index(tmp_path / "none.db", **kw)
        assert not (tmp_path / "none.db").exists()


def test_index_readonly_refuses_add(seed_index, seed_docs):
    _, py_db, _ = seed_index
    with reprint.Index(py_db, readonly=True) as r:
        with pytest.raises(reprint.UsageError) as e:
            r.add(seed_docs[4])
        assert str(e.value) == "%s: opened for reading only" % py_db
        p = r.query(seed_docs[4])
        assert p.relation == "shares-passages"
        assert r.stats()["documents"] == 4


def test_index_settings_equal_cli(tmp_path, run_cli):
    run_cli("index", "create", "--ngram", "3", "--perm", "64", "--threshold", "0.9", "--sketch",
            "kperm", "--keep-furniture", tmp_path / "cli.db")
    with reprint.Index(tmp_path / "py.db", ngram=3, perm=64, threshold=0.9, sketch="kperm",
                       keep_furniture=True) as x:
        st = x.stats()
    check_stats(st, cli_stats(run_cli("index", "stats", tmp_path / "cli.db")))
    assert (st["ngram"], st["perm"], st["sketch"], st["keep_furniture"]) == (3, 64, "kperm", True)


def test_index_skip_bad(tmp_path, seed_docs):
    docs = [seed_docs[0], {"id": "bad", "text": 5}, seed_docs[1]]
    with reprint.Index(tmp_path / "x.db") as x:
        with pytest.raises(reprint.BadInput, match=r'^documents:2: field "text" is an integer'):
            x.add(docs)
        assert x.stats()["documents"] == 0
    got = []
    with reprint.Index(tmp_path / "y.db", skip_bad=got.append) as x:
        placed = x.add(docs)
        assert [p.id for p in placed] == [seed_docs[0]["id"], seed_docs[1]["id"]]
        assert got == ['skipped: documents:2: field "text" is an integer, not a string']


# ---- 8. pandas ---------------------------------------------------------------------------

def test_to_pandas(examples):
    pandas = pytest.importorskip("pandas")
    res = reprint.scan(examples)
    df = res.to_pandas()
    assert isinstance(df, pandas.DataFrame)
    assert list(df.columns) == PAIR_KEYS
    assert len(df) == len(res.pairs) > 0
    assert [tuple(r) for r in df.itertuples(index=False)] == [tuple(p) for p in res.pairs]


# ---- 9. empty input ----------------------------------------------------------------------

def test_scan_empty():
    for docs in ([], iter([]), (d for d in [])):
        res = reprint.scan(docs)
        assert res.pairs == [] and len(res) == 0
        assert res.ndocs == 0 and res.nskipped == 0
        assert res.clusters == [] and res.furniture == [] and res.ids == []


def test_dedup_empty(tmp_path):
    assert list(reprint.dedup([])) == []
    removed = []
    assert list(reprint.dedup(iter([]), removed=removed)) == []
    assert removed == []


# ---- misc ------------------------------------------------------------------------------

def test_progress_reports(seed_docs):
    got = []
    reprint.scan(seed_docs, progress=got.append)
    assert got and all(isinstance(p, reprint.Progress) for p in got)
    assert {p.phase for p in got} == {"reading", "verifying", "indexing", "comparing"}
    assert got[-1].ndocs == 5


def test_exception_in_a_generator_propagates(seed_docs):
    def gen():
        yield seed_docs[0]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        reprint.scan(gen())


def test_version_is_the_clis(run_cli):
    assert run_cli("--version").split()[-1] == reprint.__version__


def test_dedup_tuples_with_a_skipped_item_stay_tuples():
    a = "the harbour bridge opens to traffic next spring after delays"
    c = "the city library extends its opening hours through the winter"
    skipped = []
    kept = list(reprint.dedup([("a", a), ["not", "a", "document"], ("c", c)], skip_bad=skipped))
    assert kept == [("a", a), ("c", c)]
    assert skipped == ["skipped: documents:2: a document is a dict or an (id, text) tuple, "
                       "not a list"]


def test_scan_of_nothing_writes_empty_files(tmp_path):
    res = reprint.scan([], clusters=tmp_path / "c.jsonl", stories=tmp_path / "s.jsonl")
    assert res.pairs == [] and res.ndocs == 0 and res.nskipped == 0
    assert (tmp_path / "c.jsonl").read_text() == ""
    assert (tmp_path / "s.jsonl").read_text() == ""
    assert res.write("tsv").startswith("a\tb\trelation\t")


def test_messages_cut_inside_a_utf8_character_still_arrive():
    """The library cuts long values at a byte count; the message must still reach Python."""
    text = "the harbour bridge opens to traffic next spring after long delays"
    docs = [{"id": "a" + "\u00e9" * 150, "text": text, "date": "garbage"}]
    with pytest.warns(reprint.InputWarning, match="cannot be read"):
        res = reprint.scan(docs)
    assert res.ndocs == 1


def test_encoding_survives_python_code_that_mutates_the_document():
    import datetime

    shared = []

    class Sneaky(datetime.date):
        def isoformat(self):
            shared.clear()
            return "2025-03-22"

    shared.extend([Sneaky(2025, 3, 22), "x" * 10])
    docs = [{"id": "a", "text": "one two three four five six seven", "extra": shared}]
    kept = list(reprint.dedup(docs))
    assert kept == [{"id": "a", "text": "one two three four five six seven",
                     "extra": ["2025-03-22", "x" * 10]}]


def test_option_names_and_values_checked():
    with pytest.raises(reprint.UsageError, match="threshold .* out of range"):
        reprint.scan([("a", "b c d e f")], threshold=10 ** 400)
    with pytest.raises(reprint.UsageError, match="option names are strings"):
        reprint._reprint.Corpus({1: 2})


def test_a_corpus_in_use_refuses_other_calls():
    """Results are not read while the run that makes them is in progress (a progress
    callback, or another thread), nor after a run that failed."""
    calls = []

    def progress(*a):
        try:
            c.pairs(reprint.Pair)
        except reprint.UsageError as e:
            calls.append(str(e))
        raise KeyboardInterrupt

    c = reprint._reprint.Corpus({}, progress=progress)
    c.add_docs([("a", "one two three four five six")])
    with pytest.raises(KeyboardInterrupt):
        c.run()
    assert calls == ["the corpus is in use by another call"]
    with pytest.raises(reprint.UsageError, match="the run failed: it has no results"):
        c.pairs(reprint.Pair)


def test_a_list_of_news_articles_gives_what_the_cli_gives_on_the_file(run_cli, tmp_path):
    """4,000 Reuters and BBC articles: a list of dicts (size unknown to the library)
    and the CLI on the file (size known) give the same pairs, byte for byte."""
    news = Path(__file__).resolve().parents[2].parent / "shared" / "evaldata" / \
        "news_reuters21578_bbc" / "docs.jsonl"
    if not news.is_file():
        pytest.skip("no news corpus at %s" % news)
    with open(news, encoding="utf-8") as f:
        lines = [next(f) for _ in range(4000)]
    path = tmp_path / "news.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    docs = [json.loads(line) for line in lines]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", reprint.InputWarning)
        got = reprint.scan(docs).write("tsv")
    assert got == run_cli("scan", "-q", path)
    assert got.count("\n") > 6000


def test_index_add_of_a_large_batch_spills_and_equals_the_cli(run_cli, tmp_path):
    """A batch beyond 1 MiB is encoded to a temporary file, not held: the same
    placements as the CLI's add of the same documents, and nothing left in TMPDIR."""
    words = ("harbour council river bridge ferry budget storm school minister court "
             "police market farmer station museum festival").split()
    docs = []
    for i in range(1500):
        body = " ".join(words[(i * 7 + k * 3) % len(words)] + str((i * k) % 101)
                        for k in range(120))
        docs.append({"id": "d%d" % i, "text": body})
    docs.append({"id": "copy", "text": docs[3]["text"]})
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    assert path.stat().st_size > (1 << 20)
    run_cli("index", "create", tmp_path / "cli.db")
    want = run_cli("index", "add", "-q", tmp_path / "cli.db", path).splitlines()[1:]
    spool = tmp_path / "spool"
    spool.mkdir()
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(spool)
    try:
        with reprint.Index(tmp_path / "py.db") as idx:
            rows = idx.add(iter(docs))
    finally:
        if old is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = old
    got = ["\t".join([r.id, r.relation, r.closest or "-",
                      "new" if r.new_cluster else str(r.cluster),
                      "new" if r.new_story else str(r.story)]) for r in rows]
    assert got == want
    assert rows[-1].relation == "duplicate" and rows[-1].closest == "d3"
    assert os.listdir(spool) == []


def test_fast_scan_of_a_list_takes_documents_again():
    """The fast path keeps no shingles of documents held in a list or tuple: it takes the
    candidate pairs' documents again from it, with the results of a generator over the same
    documents; a document changed in the list during the run is a changed input."""
    words = ("the harbour ferry will stop running on sundays from next month after the "
             "council cut its budget for the island service which carried eleven thousand "
             "people last year according to figures released by the operator on friday").split()
    text = " ".join(words * 3)
    seed = [{"id": "a", "text": text},
            {"id": "b", "text": text.replace("eleven", "twelve", 1)},
            {"id": "c", "text": " ".join(reversed(words)) + " and nothing else at all"}]
    want = reprint.scan(iter(seed), fast=True).pairs
    assert [(p.a, p.b, p.relation) for p in want] == [("a", "b", "near-duplicate")]
    assert reprint.scan(list(seed), fast=True).pairs == want
    assert reprint.scan(tuple(seed), fast=True).pairs == want

    docs = [dict(d) for d in seed]

    def progress(p):
        if p.phase == "verifying":
            for d in docs:
                d["text"] = d["text"].replace("ferry", "boat")

    with pytest.raises(reprint.BadInput, match="the input changed while reprint was reading it"):
        reprint.scan(docs, fast=True, progress=progress)
