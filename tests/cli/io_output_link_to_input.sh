# SPDX-License-Identifier: MIT
# dedup -o through a symbolic link to its own input: the input is read in full
# (twice) before the result replaces the link's target; the link stays a link.
cp "$DATA/news.jsonl" data.jsonl
ln -s data.jsonl link.jsonl
$REPRINT dedup -q data.jsonl -o link.jsonl
echo "exit $?"
[ -L link.jsonl ] && echo "link.jsonl is still a link to $(readlink link.jsonl)"
wc -l < data.jsonl
$REPRINT dedup -q "$DATA/news.jsonl" -o - | cmp - data.jsonl && echo "target holds the deduplicated corpus"
ls
