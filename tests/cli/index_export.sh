# SPDX-License-Identifier: MIT
# index export writes what reprint scan writes for the indexed documents, in the
# order they were added: the same pairs on stdout and the same stories, clusters,
# timeline and passages files, byte for byte (here the seeds, added one at a time
# in another order, against scan of the files in that order).
ln -s "$SEEDS" seeds
$REPRINT index create i.db
for k in 3 0 4 1 2; do
    $REPRINT index add i.db seeds/00${k}_*.txt > /dev/null || echo "add $k: exit $?"
done
$REPRINT index export --stories e.stories --timeline e.timeline --clusters e.clusters \
    --passages e.passages i.db > e.pairs
echo "export: exit $?"
$REPRINT scan -q --stories s.stories --timeline s.timeline --clusters s.clusters \
    --passages s.passages seeds/003_*.txt seeds/000_*.txt seeds/004_*.txt seeds/001_*.txt \
    seeds/002_*.txt > s.pairs
echo "scan: exit $?"
for f in pairs stories timeline clusters passages; do
    if cmp -s e.$f s.$f; then echo "$f: identical ($(wc -l < e.$f) lines)"; else echo "$f: DIFFER"; fi
done
$REPRINT index create empty.db
$REPRINT index export empty.db
echo "export of an empty index: exit $?"
