# SPDX-License-Identifier: MIT
# Two texts of one source (README "One source"): the two write-ups of one
# earthquake in examples/ (no passage, event 0.27) are same-story from two
# outlets, and from one source dated the same day; from one source (its
# `source` field or, without one, the host of its `url`) dated a day apart
# they are two events, "one source's texts of other days"; undated, one
# source's texts are one event only as a copy, so these are same-topic, a
# pair that keeps them out of one story. Other hosts, or no
# source at all, keep the rule for two outlets. The ferry's wire report and
# the herald's (a passage near the top) likewise: same-story from two
# outlets or one source's of one day, shares-passages from one source
# undated.
cd "$DATA/../../examples" || exit 9
for how in "two outlets" "one source" "one source, same day" "one source, next day" \
    "two outlets, next day" "one host" "two hosts" "none"; do
    python3 - "$how" > in.jsonl <<'PY'
import json, sys
how = sys.argv[1]
for i, f in (('gazette', 'quake-coast-gazette.txt'), ('courier', 'quake-valley-courier.txt')):
    rec = {'id': i, 'text': open(f, encoding='utf-8').read()}
    if how.startswith('two outlets'):
        rec['source'] = 'Coast Gazette' if i == 'gazette' else 'Valley Courier'
    elif how.startswith('one source'):
        rec['source'] = 'Coast Gazette'
    elif how == 'one host':
        rec['url'] = 'https://news.example.org/2025/quake-' + i
    elif how == 'two hosts':
        rec['url'] = 'https://%s.example.org/quake' % i
    if how.endswith('same day'):
        rec['date'] = '2025-06-03T07:00:00Z' if i == 'gazette' else '2025-06-03T19:30:00Z'
    elif how.endswith('next day'):
        rec['date'] = '2025-06-03' if i == 'gazette' else '2025-06-04'
    print(json.dumps(rec))
PY
    echo "$how:"
    $REPRINT scan -q --stories stories.jsonl in.jsonl | cut -f 1-3,10,12 | tail -n 1
    echo "stories: $(wc -l < stories.jsonl)"
done
for how in "two outlets" "one source" "one source, same day"; do
    python3 - "$how" > in.jsonl <<'PY'
import json, sys
how = sys.argv[1]
for i, f in (('herald', 'ferry-herald.txt'), ('wire', 'ferry-wire.txt')):
    rec = {'id': i, 'text': open(f, encoding='utf-8').read()}
    rec['source'] = 'Island Herald' if how == 'two outlets' and i == 'herald' else 'Wire'
    if how.endswith('same day'):
        rec['date'] = '2025-03-14'
    print(json.dumps(rec))
PY
    echo "ferry, $how:"
    $REPRINT scan -q --stories stories.jsonl in.jsonl | cut -f 1-3,10 | tail -n 1
    echo "stories: $(wc -l < stories.jsonl)"
done
rm -f in.jsonl stories.jsonl
