# SPDX-License-Identifier: MIT
# Stored features (README "Stored features"): the index keeps what the pipeline's
# second pass computed of each document, and a later batch or query takes it for a
# candidate when every line of it keeps its furniture kind with the counts of the
# day, else computes it from the text. REPRINT_TEST_STORED_CHECK=1 (set for the
# whole case) computes every document taken from the store again and makes any
# difference an internal error.
#  - 150 news articles added one at a time, 50 more queried and then added as one
#    batch: every document has its features stored, and the answers equal those of
#    a copy of the index whose features were deleted (computed from the text).
#  - Seven reports of a local paper, each its own sentence and a paragraph of wire
#    copy they all carry (so each is a candidate of the others), and the paper's
#    footer line, added one at a time: from the fifth the footer is furniture by
#    frequency, so the stored furniture of the first four no longer holds and they
#    are computed again (test_index.c counts which are taken); every answer equals
#    that of an index without stored features.
#  - Stored features that are not such (garbage) are computed again: the same answers.
#  - An index made before the table (dropped here) answers the same, and gets the
#    table back at its first add.
export REPRINT_TEST_STORED_CHECK=1
ln -s "$EVAL" eval
head -n 150 eval/news_reuters21578_bbc/docs.jsonl > first.jsonl
sed -n '151,200p' eval/news_reuters21578_bbc/docs.jsonl > later.jsonl
mkdir parts
split -l 1 -d -a 3 first.jsonl parts/d
$REPRINT index create a.db
for f in parts/d*; do
    $REPRINT index add --jsonl a.db "$f" > /dev/null 2>&1 || echo "add $f: exit $?"
done
echo "news: documents $(sqlite3 a.db "SELECT count(*) FROM docs"), with stored features \
$(sqlite3 a.db "SELECT count(*) FROM features")"
cp a.db plain.db
sqlite3 plain.db "DELETE FROM features"
for db in a plain; do
    $REPRINT query $db.db later.jsonl > $db.query 2> /dev/null || echo "query $db: exit $?"
    $REPRINT index add $db.db later.jsonl > $db.add 2> /dev/null || echo "add $db: exit $?"
    sqlite3 -separator '	' $db.db "SELECT a, b, relation, jaccard, passages, differences,
        event, specifics, similarity FROM relations ORDER BY a, b" > $db.rel
done
echo "queries as without stored features: $(cmp -s a.query plain.query && echo yes || echo no)"
echo "batch as without stored features: $(cmp -s a.add plain.add && echo yes || echo no)"
echo "relations as without stored features: $(cmp -s a.rel plain.rel && echo yes || echo no),\
 $(wc -l < a.rel) pairs"
i=0
while read -r body; do
    i=$((i + 1))
    printf '%s %s\nHarbour Times brings you the news from the coast of Portvik every day since 1901.\n' \
        "$body" "The regional water board said on Tuesday that the reservoir at Glen Arrow had \
fallen to its lowest level in thirty years, and asked households across the valley to stop \
using hosepipes until the autumn rains return." > r$i.txt
done <<EOF
$(head -n 7 "$DATA/harbour_reports.txt")
EOF
echo "footer, one at a time:"
$REPRINT index create f.db
$REPRINT index create g.db
for k in 1 2 3 4 5 6; do
    $REPRINT index add f.db r$k.txt > f.out
    tail -n +2 f.out
    sqlite3 g.db "DELETE FROM features"
    $REPRINT index add g.db r$k.txt > g.out
    cmp -s f.out g.out || echo "r$k: not as without stored features"
done
$REPRINT query f.db r7.txt | tail -n +2
sqlite3 g.db "DELETE FROM features"
$REPRINT query f.db r7.txt > f.q
$REPRINT query g.db r7.txt > g.q
echo "as without stored features: $(cmp -s f.q g.q && echo yes || echo no)"
echo "garbage:"
sqlite3 f.db "UPDATE features SET blob = x'28b52ffd0000' WHERE doc = 1; UPDATE features SET blob = x'00' WHERE doc = 2"
$REPRINT query f.db r7.txt | tail -n +2
echo "without the table:"
sqlite3 f.db "DROP TABLE features"
$REPRINT query f.db r7.txt | tail -n +2
$REPRINT index add f.db r7.txt | tail -n +2
echo "features after an add: $(sqlite3 f.db "SELECT count(*) FROM features")"
