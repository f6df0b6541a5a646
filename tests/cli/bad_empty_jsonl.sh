# SPDX-License-Identifier: MIT
# An empty JSONL file is an empty file too: exit 1 with a message naming it, not a
# silent run over no documents; dedup leaves no output.
cp "$DATA/bad/empty.jsonl" .
$REPRINT scan empty.jsonl > out.tsv 2> err.txt
echo "scan: exit $?"
grep -c 'empty\.jsonl' err.txt
cat out.tsv
$REPRINT dedup "$DATA/news.jsonl" empty.jsonl -o out.jsonl 2> err.txt
echo "dedup: exit $?"
grep -c 'empty\.jsonl' err.txt
ls
