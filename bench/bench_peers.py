#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""reprint against datasketch (MinHash + MinHashLSH), side by side in one run.

usage: python3 bench/bench_peers.py [--runs N] [--threshold T] CORPUS.jsonl

Runs, on the same JSONL corpus and the same machine, alternating, RUNS times
each (default 3; best wall time kept): `reprint scan --fast` (copies only),
`reprint scan` (the default scan: relations, passages, stories, differences)
and datasketch's runner from ../shared/peers (MinHash.bulk + MinHashLSH,
128 permutations, one core: what datasketch's docs suggest for bulk work).
Wall times are whole processes (start-up, threads, temporary files count).

Prints documents/s of each, the ratios (issue 10: the fast path at least 100x
datasketch, the default scan at least 1/3 of the fast path) and the recall of
each on the pairs both can judge: near-duplicate pairs by reprint's exact
5-gram Jaccard >= T (reprint verifies every pair it reports, so its pairs are
exact; datasketch reports LSH candidates with an estimate, so a pair it
finds that reprint does not is listed for a look). Never a test: timings
depend on the machine and its load.

datasketch needs Debian's python3-numpy and python3-scipy.
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS = os.path.join(ROOT, "..", "shared", "peers")


def timed(cmd, env=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("bench_peers: %s failed:\n%s" % (" ".join(cmd), p.stderr.decode()[-2000:]))
    return wall, p.stdout.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.8)
    args = ap.parse_args()
    reprint = os.path.join(ROOT, "reprint")
    ndocs = sum(1 for line in open(args.corpus, encoding="utf-8") if line.strip())
    mb = os.path.getsize(args.corpus) / 1e6
    env = dict(os.environ, PYTHONPATH=os.path.join(PEERS, "datasketch"))
    ds_cmd = ["/usr/bin/python3", os.path.join(PEERS, "datasketch_dedup.py"),
              "--threshold", str(args.threshold), args.corpus]
    cmds = {
        "reprint --fast": [reprint, "scan", "-q", "--fast", "-t", str(args.threshold), args.corpus],
        "reprint (default)": [reprint, "scan", "-q", "-t", str(args.threshold), args.corpus],
        "datasketch": ds_cmd,
    }
    best, out = {}, {}
    for _ in range(args.runs):
        for name, cmd in cmds.items():
            wall, stdout = timed(cmd, env if name == "datasketch" else None)
            if name not in best or wall < best[name]:
                best[name] = wall
            out[name] = stdout
    print("%s: %d documents, %.1f MB; best of %d runs each, alternating, same machine"
          % (args.corpus, ndocs, mb, args.runs))
    for name in cmds:
        print("  %-18s %7.2f s  %9.0f docs/s  %7.1f MB/s"
              % (name, best[name], ndocs / best[name], mb / best[name]))
    ds = ndocs / best["datasketch"]
    print("  reprint --fast / datasketch: %.1fx (goal >= 100x)" % (ndocs / best["reprint --fast"] / ds))
    print("  reprint default / datasketch: %.1fx" % (ndocs / best["reprint (default)"] / ds))
    print("  reprint default / --fast: %.3f (goal >= 0.333)"
          % (best["reprint --fast"] / best["reprint (default)"]))

    # Recall on near-duplicates: reprint's pairs are exact; datasketch's are candidates.
    rp = set()
    for line in out["reprint --fast"].splitlines()[1:]:
        a, b, rel = line.split("\t")[:3]
        rp.add((min(a, b), max(a, b)))
    dsp = set()
    for line in out["datasketch"].splitlines():
        a, b, est = line.split("\t")
        if float(est) >= args.threshold:
            dsp.add((min(a, b), max(a, b)))
    both = rp & dsp
    print("  pairs at Jaccard >= %.2f: reprint %d (exact), datasketch %d (estimated), both %d"
          % (args.threshold, len(rp), len(dsp), len(both)))
    if rp:
        print("  datasketch finds %.1f%% of reprint's exact pairs" % (100.0 * len(both) / len(rp)))
    extra = sorted(dsp - rp)[:5]
    if extra:
        print("  found by datasketch only (estimates; first 5, for a look): %s" % extra)


if __name__ == "__main__":
    main()
