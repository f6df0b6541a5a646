# SPDX-License-Identifier: MIT
# -o names ending in .gz or .zst are compressed (and so is --removed); they
# decompress to the same bytes as the plain output.
$REPRINT dedup --removed removed.jsonl "$DATA/news.jsonl" -o out.jsonl 2> /dev/null
$REPRINT dedup --removed removed.jsonl.gz "$DATA/news.jsonl" -o out.jsonl.gz
echo "gz: exit $?"
$REPRINT dedup --removed removed.jsonl.zst "$DATA/news.jsonl" -o out.jsonl.zst
echo "zst: exit $?"
od -A n -t x1 -N 2 out.jsonl.gz
od -A n -t x1 -N 4 out.jsonl.zst
gzip -dc out.jsonl.gz | cmp - out.jsonl && echo "gz output: same"
zstd -dc out.jsonl.zst | cmp - out.jsonl && echo "zst output: same"
gzip -dc removed.jsonl.gz | cmp - removed.jsonl && echo "gz removed: same"
zstd -dc removed.jsonl.zst | cmp - removed.jsonl && echo "zst removed: same"
# The compressed output reads back as input.
$REPRINT dedup out.jsonl.zst -o again.jsonl
cmp again.jsonl out.jsonl && echo "deduplicated output: nothing more to remove"
ls
