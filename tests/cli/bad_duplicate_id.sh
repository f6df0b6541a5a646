# SPDX-License-Identifier: MIT
# Two documents with the same id are bad input (exit 1); the message names both
# places. dedup leaves no output.
cp "$DATA/bad/dupid_a.jsonl" "$DATA/bad/dupid_b.jsonl" "$DATA/news/08_storm_short.txt" .
$REPRINT scan dupid_a.jsonl dupid_b.jsonl
echo "scan: exit $?"
$REPRINT dedup --removed removed.jsonl dupid_a.jsonl dupid_b.jsonl -o out.jsonl
echo "dedup: exit $?"
# The same file given twice.
$REPRINT scan 08_storm_short.txt 08_storm_short.txt
echo "scan twice: exit $?"
# Within one file; an integer id equal to a string id is the same id.
printf '%s\n' '{"id": 5, "text": "First."}' '{"id": "6", "text": "Second."}' \
    '{"id": "5", "text": "Third."}' > same.jsonl
$REPRINT scan same.jsonl
echo "scan same file: exit $?"
ls
