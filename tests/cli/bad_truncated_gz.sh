# SPDX-License-Identifier: MIT
# A truncated .gz (cut in the data, or in its 8-byte trailer) is bad input (exit 1)
# naming the file and the byte where it ends, corrupt data the byte near which it
# fails; dedup leaves no output.
gzip -c "$DATA/news.jsonl" > full.jsonl.gz
head -c 1000 full.jsonl.gz > cut.jsonl.gz
$REPRINT scan cut.jsonl.gz
echo "scan: exit $?"
$REPRINT dedup --removed removed.jsonl cut.jsonl.gz -o out.jsonl.gz
echo "dedup: exit $?"
n=$(($(wc -c < full.jsonl.gz) - 4))
head -c $n full.jsonl.gz > trailer.jsonl.gz
$REPRINT scan trailer.jsonl.gz > /dev/null 2> err.txt
echo "scan cut trailer: exit $?"
sed "s/byte $n /byte SIZE-4 /" err.txt >&2
rm err.txt
# A gzip header followed by a deflate block of the reserved type 3: corrupt data.
printf '\037\213\010\000\000\000\000\000\000\003\007\000\000\000\000' > corrupt.jsonl.gz
$REPRINT scan corrupt.jsonl.gz
echo "scan corrupt: exit $?"
ls
