# SPDX-License-Identifier: MIT
# dedup --keep earliest on news.jsonl: the kept records in input order, byte for byte, then the
# audit trail (one line per removed document: id, kept, exact Jaccard); counts on stderr.
# the earliest date field stays: harbour-3 (2024-05-05), library-2 (2024-05-03),
# storm-2 (2024-05-09).
$REPRINT dedup --keep earliest --removed removed.jsonl "$DATA/news.jsonl" -o out.jsonl
echo "exit $?"
grep -c -F -x -f out.jsonl "$DATA/news.jsonl"
cat out.jsonl
cat removed.jsonl
ls
