# SPDX-License-Identifier: MIT
# --local-inputs: each rank reads the files given to it alone (as on hosts
# without a shared filesystem). Rank 0 writes what reprint writes for all the
# inputs in rank order: scan --fast's rows and clusters, dedup's message and
# audit trail; dedup -o is written by every rank, with the kept documents of
# its own inputs, and the ranks' files one after another are reprint's -o. b
# repeats a's texts under other ids, so copies span ranks; c has texts of its
# own; the last rank has no input. A rank that cannot write its -o ends the job on every rank with
# exit 3, its message named by rank, and no -o left on any rank. --local-inputs
# is refused by reprint, and -o - with it. Ranks given other options, or a
# rank whose arguments are refused, stop every rank before anything is read;
# an input missing on one rank is skipped (--skip-bad) as reprint skips it,
# and so is an id repeated on another host (named where it was first seen).
. "$DATA/../cli/mpi_lib.inc"
gen_docs 60 a > a.jsonl
gen_docs 60 b > b.jsonl
gen_docs 90 c | tail -n 30 > c.jsonl # texts a does not have
mkdir ref h0 h1 h2
(cd ref && $REPRINT scan --fast --clusters clusters.jsonl ../a.jsonl ../b.jsonl ../c.jsonl > stdout 2> stderr; echo "reprint scan: exit $?")
mpmd "h0 scan --fast --local-inputs --clusters clusters.jsonl ../a.jsonl" \
     "h1 scan --fast --local-inputs ../b.jsonl ../c.jsonl" "h2 scan --fast --local-inputs" \
     > h0/stdout 2> h0/stderr
echo "reprint-mpi scan: exit $?"
wc -l < ref/stdout
for f in stdout stderr clusters.jsonl; do cmp -s "ref/$f" "h0/$f" && echo "scan $f: same"; done
rm -rf ref/* h0/* h1/* h2/*
(cd ref && $REPRINT dedup --removed removed.jsonl ../a.jsonl ../b.jsonl ../c.jsonl -o out.jsonl > stdout 2> stderr; echo "reprint dedup: exit $?")
mpmd "h0 dedup --local-inputs --removed removed.jsonl ../a.jsonl -o out.jsonl" \
     "h1 dedup --local-inputs ../b.jsonl ../c.jsonl -o out.jsonl" "h2 dedup --local-inputs -o out.jsonl" \
     > h0/stdout 2> h0/stderr
echo "reprint-mpi dedup: exit $?"
cat ref/stderr
wc -l < ref/out.jsonl
cat h0/out.jsonl h1/out.jsonl h2/out.jsonl | cmp -s - ref/out.jsonl && echo "dedup -o, rank by rank: same"
wc -l < h1/out.jsonl
for f in stdout stderr removed.jsonl; do cmp -s "ref/$f" "h0/$f" && echo "dedup $f: same"; done
rm -rf h0/* h1/* h2/*
mpmd "h0 dedup --local-inputs ../a.jsonl -o out.jsonl" "h1 dedup --local-inputs ../b.jsonl -o none/out.jsonl" \
     "h2 dedup --local-inputs ../c.jsonl -o out.jsonl" 2> err.txt
echo "a rank cannot write: exit $?"
grep '^reprint' err.txt
ls h0 h1 h2
$REPRINT scan --fast --local-inputs a.jsonl 2>&1
echo "reprint --local-inputs: exit $?"
mpmd "h0 dedup --local-inputs ../a.jsonl -o -" "h1 dedup --local-inputs ../b.jsonl -o -" 2> err.txt
echo "-o -: exit $?"
grep '^reprint' err.txt
# Ranks given their own arguments must agree before anything is read: a rank
# whose arguments are refused, or that was given other options, stops them all.
mpmd "h0 scan --fast --local-inputs ../a.jsonl" "h1 scan --fast" 2> err.txt
echo "a rank without an input or the flag: exit $?"
grep '^reprint' err.txt
mpmd "h0 scan --fast --local-inputs ../a.jsonl" "h1 scan --fast -t 0.99 --local-inputs ../b.jsonl" 2> err.txt
echo "other options: exit $?"
grep '^reprint' err.txt
# An input missing on one rank is skipped with --skip-bad as reprint skips it:
# rank 0 says so, and counts it.
(cd ref && $REPRINT scan --fast --skip-bad ../a.jsonl ../missing.jsonl ../b.jsonl > stdout 2> stderr)
mpmd "h0 scan --fast --skip-bad --local-inputs ../a.jsonl" \
     "h1 scan --fast --skip-bad --local-inputs ../missing.jsonl ../b.jsonl" > h0/stdout 2> h0/stderr
echo "a missing input skipped: exit $?"
cat h0/stderr
for f in stdout stderr; do cmp -s "ref/$f" "h0/$f" && echo "skip $f: same"; done
# An id of rank 0's input repeated in rank 1's: the rank owning the id finds
# it; rank 0 names both places, as reprint does.
awk 'NR == 7 { sub(/"id": "b[0-9]*"/, "\"id\": \"a003\"") } { print }' b.jsonl > bdup.jsonl
(cd ref && $REPRINT scan --fast --skip-bad ../a.jsonl ../bdup.jsonl > stdout 2> stderr)
mpmd "h0 scan --fast --skip-bad --local-inputs ../a.jsonl" \
     "h1 scan --fast --skip-bad --local-inputs ../bdup.jsonl" > h0/stdout 2> h0/stderr
echo "an id repeated on another host: exit $?"
cat h0/stderr
for f in stdout stderr; do cmp -s "ref/$f" "h0/$f" && echo "repeat $f: same"; done
