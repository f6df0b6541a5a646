# SPDX-License-Identifier: MIT
# reprint align on bad input: a missing file is an I/O error (exit 3) naming
# it; a binary file (NUL byte) is bad input (exit 1) with the byte offset; one
# document, or a JSONL file holding two documents next to a third, is a usage
# error (exit 2: align compares exactly two documents); an unknown option too.
cp "$DATA/bad/nul.txt" "$DATA/news/06_fish_market.txt" .
$REPRINT align missing.txt 06_fish_market.txt
echo "missing: exit $?"
$REPRINT align 06_fish_market.txt nul.txt
echo "binary: exit $?"
$REPRINT align 06_fish_market.txt
echo "one: exit $?"
printf '{"id":"x","text":"one two three"}\n{"id":"y","text":"four five six"}\n' > two.jsonl
$REPRINT align two.jsonl 06_fish_market.txt
echo "three: exit $?"
$REPRINT align --threshold 0.5 06_fish_market.txt 06_fish_market.txt
echo "option: exit $?"
