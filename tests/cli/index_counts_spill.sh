# SPDX-License-Identifier: MIT
# An index batch whose keys overflow the count tables (the test hook
# REPRINT_TEST_COUNT_SLOTS=4096, as in scan_counts_spill; a real batch does
# past about 140,000 documents): the keys past the tables get the index's
# counts too (rpi_counter_settle with the index's look-up), so two batches of
# 1,500 and 500 articles place every document as with tables large enough,
# and the index exports the same. Without it, 285 and 144 rows differed (the
# key terms of run A are chosen by counts that read 0).
ln -s "$EVAL" eval
head -n 1500 eval/news_reuters21578_bbc/docs.jsonl > a.jsonl
sed -n '1501,2000p' eval/news_reuters21578_bbc/docs.jsonl > b.jsonl
for mode in large small; do
    if [ $mode = small ]; then
        REPRINT_TEST_COUNT_SLOTS=4096
        export REPRINT_TEST_COUNT_SLOTS
    fi
    $REPRINT index create $mode.db
    $REPRINT index add -q $mode.db a.jsonl > $mode.a.tsv
    echo "$mode tables, first batch: exit $?"
    $REPRINT index add -q $mode.db b.jsonl > $mode.b.tsv
    echo "$mode tables, second batch: exit $?"
    $REPRINT index export $mode.db --passages $mode.p.jsonl --stories $mode.s.jsonl > $mode.x.tsv
done
echo "rows: $(wc -l < large.a.tsv) and $(wc -l < large.b.tsv), exported pairs: $(wc -l < large.x.tsv)"
for f in a.tsv b.tsv x.tsv p.jsonl s.jsonl; do
    cmp -s large.$f small.$f && echo "$f: same" || echo "$f: DIFFERS"
done
