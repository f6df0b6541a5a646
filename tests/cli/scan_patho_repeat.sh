# SPDX-License-Identifier: MIT
# Pathological input, bounded time and memory: one word repeated 1,000,000 times
# (5 MB, generated here, not committed) scanned with a normal text. Every
# 5-gram of it is the same, so it has one shingle; its lines are one; no n-gram
# or term is rare. reprint must finish (exit 0) under a 2 GB address-space limit
# and find nothing related: the header only. The limit is not set under the
# sanitizers or valgrind, which reserve far more address space than they use.
case $REPRINT in
    *asan* | *valgrind*) ;;
    *) ulimit -v 2097152 ;;
esac
python3 -c 'import sys; sys.stdout.write("word " * 1000000)' > repeat.txt
wc -c < repeat.txt
cp "$DATA/reuse/ferry_a.txt" normal.txt
$REPRINT scan -q --passages passages.jsonl repeat.txt normal.txt
echo "scan: exit $?"
wc -l < passages.jsonl
# The repeated text against itself plus one sentence: nothing is reported either.
# The shingle Jaccard is tiny (1 shared shingle of 10), and the aligner anchors
# on n-grams that occur only a few times in each text, which a text of one
# repeated word does not have. A reader would call the second text a copy of the
# first with a sentence added; reprint declines this degenerate case, in 1-2 s.
{ cat repeat.txt; printf '\nThe island ferry will stop running on Sundays.\n'; } > repeat2.txt
$REPRINT scan -q --passages passages2.jsonl repeat.txt repeat2.txt | cut -f 1-3,7
echo "scan: exit $?"
rm -f repeat.txt repeat2.txt
