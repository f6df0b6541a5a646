# SPDX-License-Identifier: MIT
# reprint serve: every route on the seeds. An index holds the story of the meeting
# (000, 001, 002, with dates); POST /query says where 004 would stand and adds
# nothing; POST /documents adds 003 and 004 (a JSON object, then JSONL) and answers
# as `index add`; adding 004 again is a conflict (409). GET /documents/ID,
# /documents/ID/related (passages with their words, differing figures), /clusters/N,
# /stories/1 (members, and its timeline: 003 earlier, 004 later), /health. An unknown
# route is 404, a wrong method 405, all with a JSON message. SIGTERM: exit 0.
. "$DATA/serve_lib.sh"
ln -s "$SEEDS" seeds
python3 - <<'PY'
import json, os
dates = {"000": "2025-03-21", "001": "2025-03-22", "002": "2025-03-21", "003": "2024-09-13",
         "004": "2025-06-18"}
for name in sorted(os.listdir("seeds")):
    if name.endswith(".txt"):
        doc = {"id": name[:3], "date": dates[name[:3]], "text": open("seeds/" + name, encoding="utf-8").read()}
        with open(name[:3] + ".json", "w", encoding="utf-8") as f:
            json.dump(doc, f)
PY
cat 000.json > story.jsonl && echo >> story.jsonl && cat 001.json >> story.jsonl && echo >> story.jsonl && cat 002.json >> story.jsonl
$REPRINT index create i.db && $REPRINT index add i.db story.jsonl > /dev/null
serve_start i.db || exit 1
req GET /health
req POST /query --data-binary @004.json
req GET /health
req POST /documents --data-binary @003.json
printf '%s\n' "$(cat 004.json)" > 004.jsonl
req POST /documents --data-binary @004.jsonl
req POST /documents --data-binary @004.json
req GET /documents/004 > doc.txt
python3 -c "
import json
s, b = open('doc.txt').read().split(' ', 1)
d = json.loads(b)
print(s, d['number'], d['id'], d['date'], d['story'], 'text as sent:', d['text'] == json.load(open('004.json'))['text'])"
req GET /documents/004/related > rel.txt
python3 -c "
import json
s, b = open('rel.txt').read().split(' ', 1)
d = json.loads(b)
t4 = json.load(open('004.json'))['text']
print(s, d['id'], len(d['related']), 'related')
for r in d['related']:
    tb = json.load(open(r['id'] + '.json'))['text'].encode()
    ok = all(t4.encode()[p['a_start']:p['a_end']].decode() == p['text_a'] and
             tb[p['b_start']:p['b_end']].decode() == p['text_b'] for p in r['passages'])
    print(' ', r['id'], r['relation'], len(r['passages']), 'passages (words at their offsets:', ok,
          ')', ', '.join(x['kind'] + ' ' + x['a_text'] + ' / ' + x['b_text'] for x in r['differences']))"
req GET /clusters/2
req GET /stories/1 > story.txt
python3 -c "
import json
s, b = open('story.txt').read().split(' ', 1)
d = json.loads(b)
t = d['timeline']
ev = lambda e: 'story %d (%d, %s)' % (e['story'], e['documents'], e['first'])
print(s, 'members', [m['id'] for m in d['members']], '| earlier', [ev(e) for e in t['earlier']],
      '| later', [ev(e) for e in t['later']], '| undated', len(t['undated']))"
req GET /stories/99
req GET /stories/abc
req GET /nothing
req GET /documents
req DELETE /documents/004
kill -TERM $SERVER
wait $SERVER
echo "SIGTERM: exit $?"
