# SPDX-License-Identifier: MIT
# Invalid UTF-8 (a Latin-1 e-acute) is bad input: exit 1, a message naming the file
# and the byte offset (plain file) or the line (JSONL), and dedup leaves no output.
cp "$DATA/bad/invalid_utf8.txt" "$DATA/bad/invalid_utf8.jsonl" "$DATA/news/06_fish_market.txt" .
$REPRINT scan 06_fish_market.txt invalid_utf8.txt
echo "scan: exit $?"
$REPRINT dedup --removed removed.jsonl --clusters clusters.jsonl 06_fish_market.txt \
    invalid_utf8.txt -o out.jsonl
echo "dedup: exit $?"
$REPRINT scan invalid_utf8.jsonl
echo "scan jsonl: exit $?"
$REPRINT dedup invalid_utf8.jsonl -o out.jsonl.gz
echo "dedup jsonl: exit $?"
ls
