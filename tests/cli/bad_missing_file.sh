# SPDX-License-Identifier: MIT
# A missing file is an I/O error (exit 3) naming it, even after good inputs; so is
# a dangling link inside a folder, and a folder with no files. No output is left.
cp "$DATA/news/06_fish_market.txt" .
$REPRINT scan 06_fish_market.txt no-such-file.txt
echo "scan: exit $?"
$REPRINT dedup --removed removed.jsonl 06_fish_market.txt no-such-file.jsonl.gz -o out.jsonl
echo "dedup: exit $?"
mkdir folder empty
cp 06_fish_market.txt folder/
ln -s ../gone.txt folder/link.txt
$REPRINT scan folder
echo "scan folder: exit $?"
$REPRINT scan empty
echo "scan empty folder: exit $?"
ls
