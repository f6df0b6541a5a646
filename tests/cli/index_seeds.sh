# SPDX-License-Identifier: MIT
# The seeds added to an index one document at a time, in five orders: each order
# stores exactly the relations of expected.tsv (what reprint scan says of the five),
# one story of 000, 001 and 002 (their numbers differ by order; the members do not),
# and no copy cluster. The placements of the first order are printed in full: 000
# relates to nothing before it, 001 joins its story, 002 is a reprint of 001, 003 and
# 004 are other events (same-topic, shares-passages) and start stories of their own.
ln -s "$SEEDS" seeds
tail -n +2 seeds/expected.tsv | sort > want.tsv
first=1
for order in "0 1 2 3 4" "4 3 2 1 0" "2 4 0 3 1" "3 0 4 1 2" "1 3 2 4 0"; do
    rm -f o.db o.db-wal o.db-shm
    $REPRINT index create o.db || echo "create: exit $?"
    for k in $order; do
        if [ $first = 1 ]; then
            $REPRINT index add o.db seeds/00${k}_*.txt | tail -n +$((k == 0 ? 1 : 2))
        else
            $REPRINT index add o.db seeds/00${k}_*.txt > /dev/null || echo "add $k: exit $?"
        fi
    done
    first=0
    sqlite3 -separator '	' o.db "SELECT x.id, y.id, r.relation FROM relations r
        JOIN docs x ON x.doc = r.a JOIN docs y ON y.doc = r.b" |
        sed 's|seeds/||g' | awk -F'\t' '{ if ($1 > $2) print $2 "\t" $1 "\t" $3; else print }' |
        sort > got.tsv
    if cmp -s want.tsv got.tsv; then same=yes; else same=no; diff want.tsv got.tsv; fi
    stories=$(sqlite3 o.db "SELECT group_concat(substr(id, 7, 3), ' ') FROM
        (SELECT id, story FROM docs ORDER BY id) GROUP BY story HAVING count(*) > 1")
    clusters=$(sqlite3 o.db "SELECT count(*) FROM (SELECT cluster FROM docs GROUP BY cluster
        HAVING count(*) > 1)")
    echo "order $order: relations as expected.tsv: $same; stories: $stories; copy clusters: $clusters"
done
