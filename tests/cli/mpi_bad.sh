# SPDX-License-Identifier: MIT
# Bad input under reprint-mpi: the exit code, the message (file and line
# counted over the whole file, whichever rank read the line) and any output
# are what reprint gives, on 1, 2, 3 and 5 ranks (dedup: 2, 3 and 5, to keep
# the case short; scan covers one rank). 200 small documents in one
# JSONL file, divided by byte ranges: a broken JSON line in the middle (no
# output file), the same with --skip-bad (reported, the run goes on), and an
# id at line 10 again at line 190 (on different ranks past one). Ids are
# checked by the rank owning their hash: with --skip-bad, repeats on the
# rank of the first, on later ranks, three times, and in both the fast path
# and the default scan (whose word counts leave the repeats out); and the
# first failure in input order wins, a repeated id before a broken line and
# after one.
. "$DATA/../cli/mpi_lib.inc"
gen_docs 200 > docs.jsonl
awk 'NR == 100 { print "{\"id\": \"broken\", \"text\": \"no end}"; next } { print }' \
    docs.jsonl > broken.jsonl
awk 'NR == 10 || NR == 190 { sub(/"id": "d[0-9]*"/, "\"id\": \"x1\"") } { print }' \
    docs.jsonl > dupid.jsonl
awk 'NR == 10 || NR == 190 || NR == 195 { sub(/"id": "d[0-9]*"/, "\"id\": \"x1\"") }
     NR == 20 || NR == 30 { sub(/"id": "d[0-9]*"/, "\"id\": \"x2\"") }
     NR == 60 || NR == 120 { sub(/"id": "d[0-9]*"/, "\"id\": \"x3\"") } { print }' \
    docs.jsonl > dupids.jsonl
awk 'NR == 195 { print "{\"id\": \"broken\", \"text\": \"no end}"; next } { print }' \
    dupid.jsonl > dupfirst.jsonl
awk 'NR == 30 { print "{\"id\": \"broken\", \"text\": \"no end}"; next } { print }' \
    dupid.jsonl > brokenfirst.jsonl
echo "broken line, scan --fast:"
same_as_reprint "1 2 3 5" "" scan --fast ../broken.jsonl
ref_summary
echo "broken line, dedup:"
same_as_reprint "2 3 5" "out.jsonl removed.jsonl" \
    dedup -o out.jsonl --removed removed.jsonl ../broken.jsonl
ref_summary out.jsonl
echo "broken line, scan --fast --skip-bad:"
same_as_reprint "1 2 3 5" "clusters.jsonl" scan --fast --skip-bad --clusters clusters.jsonl \
    ../broken.jsonl
ref_summary clusters.jsonl
echo "broken line, dedup --skip-bad:"
same_as_reprint "2 3 5" "out.jsonl removed.jsonl" \
    dedup --skip-bad -o out.jsonl --removed removed.jsonl ../broken.jsonl
ref_summary out.jsonl removed.jsonl
echo "duplicate id, scan --fast:"
same_as_reprint "1 2 3 5" "" scan --fast ../dupid.jsonl
ref_summary
echo "duplicate id, dedup:"
same_as_reprint "2 3 5" "out.jsonl" dedup -o out.jsonl ../dupid.jsonl
ref_summary out.jsonl
echo "repeated ids, scan --fast --skip-bad:"
same_as_reprint "1 2 3 5" "clusters.jsonl" scan --fast --skip-bad --clusters clusters.jsonl \
    ../dupids.jsonl
ref_summary clusters.jsonl
echo "repeated ids, scan --skip-bad (default scan):"
same_as_reprint "2 5" "stories.jsonl" scan --skip-bad --stories stories.jsonl ../dupids.jsonl
ref_summary stories.jsonl
echo "a repeated id, then a broken line:"
same_as_reprint "2 3" "" scan --fast ../dupfirst.jsonl
ref_summary
echo "a broken line, then a repeated id:"
same_as_reprint "2 3" "" scan --fast ../brokenfirst.jsonl
ref_summary
