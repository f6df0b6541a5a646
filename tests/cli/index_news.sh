# SPDX-License-Identifier: MIT
# The index against reprint scan on 300 articles of the shared news corpus.
#  - Added as one batch to an empty index, it stores exactly the pairs scan reports,
#    with the same relation, Jaccard, passages and differences (the batch is run with
#    the statistics of the whole collection, as scan runs), and the same stories.
#  - Added as 100 articles on one thread, then 200 on three (counts read as the run
#    reads them, by several threads), the pairs of the second batch are those of scan.
#  - Added one article at a time, copies are found exactly (their Jaccard needs no
#    statistics): the same duplicate and near-duplicate pairs and copy clusters as
#    scan. The other relations are those of the collection as it stood when each
#    article came (README "The index"): their agreement with scan is printed, and
#    the B-cubed precision and recall of the stories against scan's.
ln -s "$EVAL" eval
head -n 300 eval/news_reuters21578_bbc/docs.jsonl > news.jsonl
$REPRINT scan -q --clusters clusters.jsonl --stories stories.jsonl news.jsonl 2> /dev/null > scan.tsv
echo "scan: exit $?"
$REPRINT index create one.db && $REPRINT index add one.db news.jsonl 2> /dev/null > placed.tsv
echo "one batch: exit $?, $(($(wc -l < placed.tsv) - 1)) placements"
head -n 100 news.jsonl > first.jsonl
tail -n +101 news.jsonl > second.jsonl
$REPRINT index create two.db && $REPRINT index add -j 1 two.db first.jsonl > /dev/null 2>&1 &&
    $REPRINT index add -j 3 two.db second.jsonl 2> /dev/null > placed2.tsv
echo "two batches (100 on one thread, then 200 on three): exit $?"
mkdir parts
split -l 1 -d -a 3 news.jsonl parts/d
$REPRINT index create each.db
for f in parts/d*; do
    $REPRINT index add --jsonl each.db "$f" > /dev/null 2>&1 || echo "add $f: exit $?"
done
for db in one each two; do
    sqlite3 -separator '	' $db.db "SELECT x.id, y.id, r.relation, r.jaccard, r.passages,
        r.differences FROM relations r JOIN docs x ON x.doc = r.a JOIN docs y ON y.doc = r.b" \
        > $db.tsv
    sqlite3 $db.db "SELECT group_concat(id, ' ') FROM (SELECT id, cluster FROM docs ORDER BY doc)
        GROUP BY cluster HAVING count(*) > 1" | sort > $db.clusters
    sqlite3 -separator '	' $db.db "SELECT id, story FROM docs" > $db.stories
done
python3 - <<'PY'
import json
def rows(path, header):
    out = {}
    for i, line in enumerate(open(path, encoding='utf-8')):
        f = line.rstrip('\n').split('\t')
        if header and i == 0:
            continue
        key = tuple(sorted(f[:2], key=lambda s: int(s.split('/')[1])))
        jac = '%.4f' % (int(float(f[3]) * 10000 + 1e-9) / 10000)
        out[key] = (f[2], jac, f[6], f[10]) if header else (f[2], jac, f[4], f[5])
    return out
scan = rows('scan.tsv', True)
one = rows('one.tsv', False)
each = rows('each.tsv', False)
print('scan pairs:', len(scan), '| one batch: identical pairs and figures:', one == scan)
two = rows('two.tsv', False)
later = {json.loads(l)['id'] for l in open('second.jsonl')}
late = lambda d: {k: v for k, v in d.items() if k[1] in later}
print('two batches: pairs of the second batch as scan:', late(two) == late(scan), len(late(scan)))
copies = lambda d: {k: v[0] for k, v in d.items() if v[0] in ('duplicate', 'near-duplicate')}
print('one at a time: copy pairs as scan:', copies(each) == copies(scan), len(copies(scan)))
same = sum(1 for k in scan if k in each and each[k][0] == scan[k][0])
print('one at a time: %d of %d scan pairs with the same relation, %d pairs scan does not report'
      % (same, len(scan), sum(1 for k in each if k not in scan)))
clusters = sorted(' '.join(c['members']) for c in map(json.loads, open('clusters.jsonl'))
                  if c['level'] == 'copies')
for db in ('one', 'each'):
    got = sorted(l.strip() for l in open(db + '.clusters'))
    print(db, 'copy clusters as scan:', got == clusters, len(got))
story = {}
for k, line in enumerate(open('stories.jsonl')):
    for m in json.loads(line)['members']:
        story[m] = k
for db in ('one', 'each'):
    placed = dict(line.rstrip('\n').split('\t') for line in open(db + '.stories'))
    ids = sorted(placed)
    mine = {d: [e for e in ids if placed[e] == placed[d]] for d in ids}
    gold = {d: [e for e in ids if story.get(e, e) == story.get(d, d)] for d in ids}
    p = sum(len(set(mine[d]) & set(gold[d])) / len(mine[d]) for d in ids) / len(ids)
    r = sum(len(set(mine[d]) & set(gold[d])) / len(gold[d]) for d in ids) / len(ids)
    print(db, 'stories: B-cubed precision %.3f recall %.3f against scan' % (p, r),
          '(identical)' if (p, r) == (1, 1) else '')
PY
