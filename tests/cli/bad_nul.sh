# SPDX-License-Identifier: MIT
# A NUL byte in a plain file is bad input (exit 1), with the byte offset; dedup
# leaves no output. In JSON, \u0000 in the text is refused the same way.
cp "$DATA/bad/nul.txt" "$DATA/news/06_fish_market.txt" .
$REPRINT scan nul.txt 06_fish_market.txt
echo "scan: exit $?"
$REPRINT dedup 06_fish_market.txt nul.txt -o out.jsonl.zst
echo "dedup: exit $?"
printf '{"id": "z-1", "text": "before\\u0000after"}\n' > nul.jsonl
$REPRINT scan nul.jsonl
echo "scan jsonl: exit $?"
ls
