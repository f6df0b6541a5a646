# SPDX-License-Identifier: MIT
# A document the story pairs leave alone joins the story it fits as a whole
# (story.c: related to most of its units, at the story's mean similarity, or
# near the centroid of its units' vectors; no pair saying another event). The 64 planted reports of
# bench/stories/planted_c.jsonl and planted_d.jsonl (the project's own texts,
# eight outlets an event): the documents scan joins to a story with no story
# pair to any of its members, and the index, given them in one batch, makes
# exactly scan's stories. (Added one at a time, the index's stories are what
# the join makes of its stored pairs: tests/unit/test_index.c.)
cat "$DATA/../../bench/stories/planted_c.jsonl" "$DATA/../../bench/stories/planted_d.jsonl" > cd.jsonl
$REPRINT scan -q --stories stories.jsonl cd.jsonl > scan.tsv
echo "scan: exit $?"
$REPRINT index create one.db && $REPRINT index add one.db cd.jsonl > /dev/null 2>&1
echo "one batch: exit $?"
sqlite3 -separator '	' one.db "SELECT id, story FROM docs" > one.stories
python3 - <<'PY'
import csv, json
story = {'duplicate', 'near-duplicate', 'reprint', 'same-story'}
linked = {}
for r in csv.DictReader(open('scan.tsv'), delimiter='\t', quoting=csv.QUOTE_NONE):
    if r['relation'] in story:
        linked.setdefault(r['a'], set()).add(r['b'])
        linked.setdefault(r['b'], set()).add(r['a'])
groups = set()
for line in open('stories.jsonl'):
    m = json.loads(line)['members']
    groups.add(frozenset(m))
    alone = [d for d in m if not linked.get(d, set()) & set(m)]
    if alone:
        print('joined alone:', ' '.join(alone), 'into', ' '.join(d for d in m if d not in alone))
by = {}
for line in open('one.stories'):
    i, s = line.rstrip('\n').split('\t')
    by.setdefault(s, set()).add(i)
got = {frozenset(v) for v in by.values() if len(v) > 1}
print('index stories as scan:', got == groups, len(got))
PY
