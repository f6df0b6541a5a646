# SPDX-License-Identifier: MIT
# dedup on the 23,802 Reuters + BBC articles removes the natural repeats of the wire,
# and every removal is explained: each removed id names a kept document that is in
# the output and is its duplicate or near-duplicate (a pair scan reports), with the
# pair's Jaccard. Kept records are the input lines, byte for byte, in input order.
# The dedup decisions are recomputed from scan's pairs (greedy by preference:
# longest text, then input order; a document goes only for a kept neighbour).
# dedup acts on copies only, so the pairs are those of the fast path (scan
# --fast: duplicates and near-duplicates, the first six columns of each row).
# Through a link, so that messages name the file the same on every machine.
ln -s "$EVAL" eval
docs=eval/news_reuters21578_bbc/docs.jsonl
$REPRINT dedup -q --removed removed.jsonl "$docs" -o out.jsonl
echo "dedup: exit $?"
$REPRINT scan -q --fast "$docs" > pairs.tsv
echo "scan: exit $?"
python3 - "$docs" out.jsonl removed.jsonl pairs.tsv <<'PY'
import json, sys
docs, out, removed, pairs = sys.argv[1:]
lines = open(docs, 'rb').read().split(b'\n')[:-1]
recs = [json.loads(l) for l in lines]
ids = [r['id'] for r in recs]
pos = {d: i for i, d in enumerate(ids)}
length = [len(r['text'].encode('utf-8')) for r in recs]
kept_lines = open(out, 'rb').read().split(b'\n')[:-1]
rem = [json.loads(l) for l in open(removed)]
rows = [l.rstrip('\n').split('\t') for l in open(pairs)][1:]
J = {}
adj = {}
for a, b, rel, j, ca, cb, *_ in rows:
    J[(a, b)] = J[(b, a)] = (rel, j)
    adj.setdefault(a, []).append(b)
    adj.setdefault(b, []).append(a)
print('input documents', len(ids))
print('pairs', len(rows))
print('kept', len(kept_lines), 'removed', len(rem))
removed_ids = {r['id'] for r in rem}
expect = [l for l, d in zip(lines, ids) if d not in removed_ids]
print('output = input lines minus the removed, in order:', kept_lines == expect)
kept_ids = {d for d in ids if d not in removed_ids}
print('every kept id is in the output:', len(kept_ids) == len(kept_lines))
print('removals whose kept document is in the output:',
      sum(r['kept'] in kept_ids for r in rem))
print('removals that are a reported pair with that Jaccard:',
      sum((r['id'], r['kept']) in J and '%.4f' % r['jaccard'] == J[(r['id'], r['kept'])][1]
          for r in rem))
print('removals of exact duplicates:',
      sum(J.get((r['id'], r['kept']), ('',))[0] == 'duplicate' for r in rem))
print('duplicate pairs with both documents kept:',
      sum(rel == 'duplicate' and a in kept_ids and b in kept_ids for a, b, rel, *_ in rows))
# Recompute the decisions from the pairs.
order = sorted(adj, key=lambda d: (-length[pos[d]], pos[d]))
keep, by = set(), {}
for d in order:
    ks = [v for v in adj[d] if v in keep]
    if ks:
        by[d] = min(ks, key=lambda v: (-length[pos[v]], pos[v]))
    else:
        keep.add(d)
print('decisions as recomputed from the pairs:',
      by == {r['id']: r['kept'] for r in rem})
PY
