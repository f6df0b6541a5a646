# SPDX-License-Identifier: MIT
# dedup --keep longest on news.jsonl: the kept records in input order, byte for byte, then the
# audit trail (one line per removed document: id, kept, exact Jaccard); counts on stderr.
# the longest text stays (the default): harbour-2 (CRLF, doubled spaces), library-2 (one byte
# longer), storm-2.
$REPRINT dedup --keep longest --removed removed.jsonl "$DATA/news.jsonl" -o out.jsonl
echo "exit $?"
grep -c -F -x -f out.jsonl "$DATA/news.jsonl"
cat out.jsonl
cat removed.jsonl
ls
