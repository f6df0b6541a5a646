# SPDX-License-Identifier: MIT
"""Streaming, the GIL, interruption and errors raised by the caller's own code."""
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import reprint
from conftest import PYDIR, UNDER_ASAN

HERE = os.path.dirname(os.path.abspath(__file__))

WORDS = ("harbour council river bridge ferry budget storm school minister court police "
         "market farmer station museum festival election hospital airport railway").split()


def gen_docs(n, words=120, seed=1):
    """n distinct documents of `words` words each (about 8 bytes a word), made on the fly."""
    rnd = random.Random(seed)
    vocab = ["%s%d" % (w, k) for w in WORDS for k in range(97)]
    for i in range(n):
        yield {"id": "d%d" % i, "text": " ".join(rnd.choices(vocab, k=words))}


def run_child(code, tmpdir, timeout=120):
    env = dict(os.environ, PYTHONPATH=PYDIR, TMPDIR=str(tmpdir))
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                          text=True)


def test_generator_is_streamed_not_held():
    """While the library reads, it is never far behind what the generator has yielded."""
    yielded = [0]
    lag = []

    def docs():
        for d in gen_docs(200000, words=60):
            yielded[0] += 1
            yield d

    def progress(p):
        if p.phase == "reading":
            lag.append(yielded[0] - p.ndocs)

    res = reprint.scan(docs(), fast=True, progress=progress)
    assert res.ndocs == 200000
    assert yielded[0] == 200000
    assert lag, "no progress report while reading"
    # What is in flight is the encoder's buffer and the library's batch ring:
    # a few MB, a few thousand 500-byte documents, never the whole input.
    assert max(lag) < 20000, max(lag)


@pytest.mark.skipif(UNDER_ASAN, reason="the sanitizer's shadow memory inflates the peak")
def test_memory_bounded_by_the_library_not_the_input(tmp_path):
    """200,000 documents (about 480 MB of text) from a generator, in a fresh
    process: the peak grows by what the library holds (signatures, records, the
    64 MB it is allowed for its stores), not by the texts."""
    code = """
        import resource, sys
        sys.path.insert(0, %r)
        from test_stream import gen_docs
        import reprint
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        res = reprint.scan(gen_docs(200000, words=300), fast=True, threads=2, memory="64M")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(res.ndocs, peak - base)
    """ % HERE
    p = run_child(code, tmp_path)
    assert p.returncode == 0, p.stderr
    ndocs, grew = map(int, p.stdout.split())
    assert ndocs == 200000
    text_kib = 200000 * 300 * 8 / 1024
    assert grew < text_kib / 2, (grew, text_kib)


@pytest.mark.parametrize("where", ["reading", "comparing"])
def test_ctrl_c_raises_keyboardinterrupt_within_a_second(tmp_path, where):
    """SIGINT during the reading of a generator, or while the library compares pairs
    of a list, raises KeyboardInterrupt within a second and leaves no temporary file."""
    code = """
        import os, signal, sys, threading, time
        sys.path.insert(0, %r)
        from test_stream import gen_docs
        import reprint
        where = %r
        if where == "reading":
            def docs():
                for d in gen_docs(10**7, words=40):
                    yield d
        else:
            base = list(gen_docs(3000, words=200))
            # many related pairs: every document shares its first half with 20 others
            docs = lambda: [{"id": "c%%d" %% i, "text": base[i %% 150]["text"][:800] + " " +
                             base[i]["text"][800:]} for i in range(3000)]
        sent = []
        def progress(p):
            if p.phase == where and not sent:
                sent.append(time.monotonic())
                os.kill(os.getpid(), signal.SIGINT)
        try:
            reprint.scan(docs(), progress=progress)
            print("finished")
        except KeyboardInterrupt:
            print("interrupted %%.3f" %% (time.monotonic() - sent[0]))
    """ % (HERE, where)
    p = run_child(code, tmp_path)
    assert p.returncode == 0, p.stderr
    word, secs = p.stdout.split()
    assert word == "interrupted"
    assert float(secs) < 1.0
    assert os.listdir(tmp_path) == []


def test_other_threads_run_while_the_library_works():
    docs = list(gen_docs(20000, words=150))
    count = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            count[0] += 1

    t = threading.Thread(target=spin)
    t.start()
    t0 = time.monotonic()
    reprint.scan(docs, threads=1)
    elapsed = time.monotonic() - t0
    before = count[0]
    stop.set()
    t.join()
    # With the GIL held through the run the spinner could only run in the
    # encoder's pauses; released, it runs the whole time.
    assert before > 0 and elapsed > 0
    assert before / elapsed > 10000


def test_an_exception_in_the_generator_propagates():
    def docs():
        yield {"id": "a", "text": "one two three four five six"}
        raise ValueError("the feed broke")

    with pytest.raises(ValueError, match="the feed broke"):
        reprint.scan(docs())


def test_an_exception_in_the_progress_callback_propagates():
    def progress(p):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        reprint.scan(list(gen_docs(2000)), progress=progress)


def test_progress_reports_every_phase():
    phases = []
    reprint.scan(list(gen_docs(3000)), progress=lambda p: phases.append((p.phase, p.unit)))
    assert ("reading", "bytes") in phases
    assert ("comparing", "pairs") in phases
    assert all(isinstance(p, str) for p, _ in phases)


def test_interrupt_from_another_thread_is_an_error_not_a_hang():
    """The library's own stop (rp_corpus_interrupt), used by the KeyboardInterrupt path,
    ends a run started on a generator that would never end."""
    def forever():
        i = 0
        while True:
            i += 1
            yield ("x%d" % i, "word%d alpha beta gamma delta epsilon" % i)

    def progress(p):
        if p.ndocs > 1000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reprint.scan(forever(), progress=progress, fast=True)
