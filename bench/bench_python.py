#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The Python module against datasketch and against the CLI, side by side in one run.

usage: PYTHONPATH=python /usr/bin/python3 bench/bench_python.py [--runs N] [--ndocs N]
           [--news NEWS.jsonl]

Issue 12's goals, measured in one interpreter on one list of dicts:

  1. reprint.scan(docs, fast=True) at >= 100x the documents/s of datasketch's
     MinHash + MinHashLSH (128 permutations, threshold 0.8, its bulk path:
     MinHash.bulk and an insertion session, as ../shared/peers/datasketch_dedup.py
     runs it) on a planted-copies corpus (bench/gencorpus -t), with at least
     datasketch's recall of the planted copies;
  2. the default reprint.scan(docs) no more than 10% slower than the CLI
     (`reprint scan -q FILE`) on the same documents (the shared news corpus).

Runs alternate and the best wall time of each is kept; the machine is shared
and noisy, so only ratios measured in the same run mean anything. Never a
test. datasketch is imported from ../shared/peers for the comparison only
(Debian's python3-numpy and python3-scipy; use /usr/bin/python3).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")
sys.path.insert(0, os.path.join(ROOT, "python"))
import reprint  # noqa: E402


def datasketch_pairs(docs, threshold, k=5, num_perm=128):
    """datasketch_dedup.py's pipeline on a list of dicts: candidate pairs with estimates."""
    from datasketch import MinHash, MinHashLSH

    def shingles():
        for d in docs:
            w = d["text"].lower().split()
            if len(w) < k:
                yield {" ".join(w).encode("utf-8")}
            else:
                yield {" ".join(w[i:i + k]).encode("utf-8") for i in range(len(w) - k + 1)}

    ids = [str(d["id"]) for d in docs]
    mhs = MinHash.bulk(shingles(), num_perm=num_perm)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as s:
        for key, m in zip(ids, mhs):
            s.insert(key, m)
    index = {key: i for i, key in enumerate(ids)}
    out = set()
    for key, m in zip(ids, mhs):
        for other in lsh.query(m):
            if key < other and m.jaccard(mhs[index[other]]) >= threshold:
                out.add((key, other))
    return out


def best_of(runs, fns):
    best = {}
    out = {}
    for _ in range(runs):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            out[name] = fn()
            t = time.perf_counter() - t0
            best[name] = min(best.get(name, t), t)
    return best, out


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ndocs", type=int, default=20000)
    ap.add_argument("--threshold", type=float, default=0.8)
    ap.add_argument("--news", default=os.path.join(SHARED, "evaldata", "news_reuters21578_bbc",
                                                    "docs.jsonl"))
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(SHARED, "peers", "datasketch"))
    tmp = tempfile.mkdtemp(prefix="bench-python-")
    planted = os.path.join(tmp, "planted.jsonl")
    truth = os.path.join(tmp, "truth.tsv")
    with open(planted, "wb") as f:
        subprocess.run([os.path.join(ROOT, "build", "bench", "gencorpus"), "-n", str(args.ndocs),
                        "-t", truth, args.news], stdout=f, check=True)
    docs = load(planted)
    with open(truth, encoding="utf-8") as f:
        planted_pairs = {tuple(sorted(line.split("\t")[:2])) for line in list(f)[1:]}
    mb = sum(len(d["text"].encode("utf-8")) for d in docs) / 1e6
    t = args.threshold

    # 1. the fast path from Python against datasketch, same list, same interpreter.
    best, out = best_of(args.runs, {
        "reprint.scan(fast=True)": lambda: {(p.a, p.b) for p in
                                           reprint.scan(docs, fast=True, threshold=t).pairs},
        "datasketch": lambda: datasketch_pairs(docs, t),
    })
    n = len(docs)
    print("planted copies: %d documents, %.1f MB of text, %d planted pairs; best of %d, "
          "alternating" % (n, mb, len(planted_pairs), args.runs))
    for name, w in best.items():
        found = len(out[name] & planted_pairs)
        print("  %-26s %7.3f s %10.0f docs/s   recall of planted copies %.3f (%d pairs found)"
              % (name, w, n / w, found / len(planted_pairs), len(out[name])))
    print("  reprint.scan(fast=True) / datasketch: %.1fx documents/s (goal >= 100x)"
          % (best["datasketch"] / best["reprint.scan(fast=True)"]))

    # 2. the default scan from Python against the CLI on the same documents.
    news = load(args.news)
    cli = os.path.join(ROOT, "reprint")
    best, out = best_of(args.runs, {
        "reprint.scan(docs)": lambda: len(reprint.scan(news).pairs),
        "reprint scan -q FILE (CLI)": lambda: subprocess.run(
            [cli, "scan", "-q", args.news], stdout=subprocess.PIPE, check=True
        ).stdout.count(b"\n") - 1,
        "reprint.scan(FILE)": lambda: len(reprint.scan(args.news).pairs),
    })
    print("news: %d documents; best of %d, alternating" % (len(news), args.runs))
    for name, w in best.items():
        print("  %-26s %7.3f s %10.0f docs/s   %d pairs" % (name, w, len(news) / w, out[name]))
    print("  reprint.scan(docs) / CLI wall time: %.3f (goal <= 1.10)"
          % (best["reprint.scan(docs)"] / best["reprint scan -q FILE (CLI)"]))
    os.unlink(planted)
    os.unlink(truth)
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
