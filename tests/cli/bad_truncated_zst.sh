# SPDX-License-Identifier: MIT
# A truncated .zst is bad input (exit 1) naming the file and the byte where it
# ends; dedup leaves no output.
zstd -q -c "$DATA/news.jsonl" > full.jsonl.zst
head -c 1000 full.jsonl.zst > cut.jsonl.zst
$REPRINT scan cut.jsonl.zst
echo "scan: exit $?"
$REPRINT dedup --removed removed.jsonl cut.jsonl.zst -o out.jsonl.zst
echo "dedup: exit $?"
n=$(($(wc -c < full.jsonl.zst) - 1))
head -c $n full.jsonl.zst > last.jsonl.zst
$REPRINT scan last.jsonl.zst > /dev/null 2> err.txt
echo "scan cut last byte: exit $?"
sed "s/byte $n /byte SIZE-1 /" err.txt >&2
rm err.txt
ls
