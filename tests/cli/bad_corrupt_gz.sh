# SPDX-License-Identifier: MIT
# A .gz damaged in the middle: what inflates before zlib notices is read (here
# the damage is only caught by the final CRC, so garbage lines come out first
# and each is reported as a bad document), the rest of the input is one bad
# record naming the byte and the last line read; --skip-bad goes on with the
# next input, and no line that was not in the original is kept.
head -n 3000 "$EVAL/news_reuters21578_bbc/docs.jsonl" > src.jsonl
gzip -c src.jsonl > c.jsonl.gz
size=$(wc -c < c.jsonl.gz)
dd if=/dev/zero of=c.jsonl.gz bs=1 seek=$((size * 4 / 5)) count=30 conv=notrunc 2>/dev/null
$REPRINT dedup -q --skip-bad c.jsonl.gz "$DATA/news.jsonl" -o out.jsonl 2> err.txt
echo "exit $?"
echo "bad documents reported: $(grep -c '^reprint: skipped: c.jsonl.gz:[0-9]' err.txt)"
tail -n 3 err.txt | sed 's/near byte [0-9]*/near byte N/'
# every document kept from the damaged file is a line of the original
grep -c '"id": *"reuters/' out.jsonl
grep '"id": *"reuters/' out.jsonl | while IFS= read -r l; do grep -qxF "$l" src.jsonl || echo "not in the original: $l"; done
$REPRINT scan -q c.jsonl.gz > /dev/null 2> err2.txt
echo "without --skip-bad: exit $?"
cat err2.txt
