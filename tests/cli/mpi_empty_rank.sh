# SPDX-License-Identifier: MIT
# More ranks than documents: two documents (a JSONL file of two copies; two
# plain files) on up to 5 ranks, so some ranks read nothing. reprint-mpi
# writes what reprint writes.
. "$DATA/../cli/mpi_lib.inc"
printf '%s\n' '{"id": "a", "text": "The harbour bridge reopens on Monday after repairs."}' \
    '{"id": "b", "text": "The harbour bridge reopens on Monday after repairs."}' > two.jsonl
echo "one JSONL file, scan --fast:"
same_as_reprint "2 3 5" "clusters.jsonl" scan --fast --clusters clusters.jsonl ../two.jsonl
ref_summary clusters.jsonl
echo "one JSONL file, dedup:"
same_as_reprint "5" "out.jsonl removed.jsonl" dedup -o out.jsonl --removed removed.jsonl ../two.jsonl
ref_summary out.jsonl removed.jsonl
echo "two plain files, scan --fast:"
same_as_reprint "5" "" scan --fast "$DATA/news/08_storm_short.txt" "$DATA/news/09_storm_short_copy.txt"
ref_summary
