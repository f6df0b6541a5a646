# SPDX-License-Identifier: MIT
# Inputs that exist as paths but cannot be read are I/O errors (exit 3) naming the
# path, also when run as root (where chmod 000 would not stop reading): a path
# through a regular file, and a file that opens but fails to read (/proc/self/mem
# at offset 0). dedup leaves no output.
cp "$DATA/news/06_fish_market.txt" .
$REPRINT scan 06_fish_market.txt 06_fish_market.txt/inner.txt
echo "scan: exit $?"
$REPRINT dedup 06_fish_market.txt 06_fish_market.txt/inner.txt -o out.jsonl
echo "dedup: exit $?"
$REPRINT scan 06_fish_market.txt /proc/self/mem
echo "scan read error: exit $?"
$REPRINT dedup 06_fish_market.txt /proc/self/mem -o out.jsonl
echo "dedup read error: exit $?"
ls
# --skip-bad reports an input that cannot be read and goes on with the others.
$REPRINT dedup -q --skip-bad 06_fish_market.txt /proc/self/mem 06_fish_market.txt/inner.txt -o out.jsonl
echo "dedup --skip-bad: exit $?"
wc -l < out.jsonl
