# SPDX-License-Identifier: MIT
# dedup --keep first on news.jsonl: the kept records in input order, byte for byte, then the
# audit trail (one line per removed document: id, kept, exact Jaccard); counts on stderr.
# the first in input order stays: harbour-1, library-1, storm-1.
$REPRINT dedup --keep first --removed removed.jsonl "$DATA/news.jsonl" -o out.jsonl
echo "exit $?"
grep -c -F -x -f out.jsonl "$DATA/news.jsonl"
cat out.jsonl
cat removed.jsonl
ls
