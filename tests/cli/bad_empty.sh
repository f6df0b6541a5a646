# SPDX-License-Identifier: MIT
# An empty file, or one holding only white space, is bad input (exit 1), also when
# other documents are fine; dedup leaves no output.
cp "$DATA/bad/empty.txt" "$DATA/bad/whitespace.txt" "$DATA/news/06_fish_market.txt" .
$REPRINT scan 06_fish_market.txt empty.txt
echo "scan: exit $?"
$REPRINT dedup 06_fish_market.txt empty.txt -o out.jsonl
echo "dedup: exit $?"
$REPRINT scan whitespace.txt 06_fish_market.txt
echo "scan whitespace: exit $?"
# A JSONL record whose text is empty.
printf '{"id": "e-1", "text": ""}\n' > emptytext.jsonl
$REPRINT scan emptytext.jsonl
echo "scan empty text: exit $?"
ls
