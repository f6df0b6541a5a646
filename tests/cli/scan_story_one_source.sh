# SPDX-License-Identifier: MIT
# One source reports an event once (README "One source"): the two write-ups
# of one earthquake in examples/ (no passage, event 0.27) are same-story from
# two outlets, and same-topic, "one source's texts on one subject", when one
# source carries both, by its `source` field or, without one, by the host of
# its `url`; other hosts, or no source at all, keep the rule for two outlets. The pair
# neither makes a story nor keeps one apart: no story is listed for it.
cd "$DATA/../../examples" || exit 9
for how in "two outlets" "one source" "one host" "two hosts" "none"; do
    python3 - "$how" > in.jsonl <<'PY'
import json, sys
how = sys.argv[1]
for i, f in (('gazette', 'quake-coast-gazette.txt'), ('courier', 'quake-valley-courier.txt')):
    rec = {'id': i, 'text': open(f, encoding='utf-8').read()}
    if how == 'two outlets':
        rec['source'] = 'Coast Gazette' if i == 'gazette' else 'Valley Courier'
    elif how == 'one source':
        rec['source'] = 'Coast Gazette'
    elif how == 'one host':
        rec['url'] = 'https://news.example.org/2025/quake-' + i
    elif how == 'two hosts':
        rec['url'] = 'https://%s.example.org/quake' % i
    print(json.dumps(rec))
PY
    echo "$how:"
    $REPRINT scan -q --stories stories.jsonl in.jsonl | cut -f 1-3,10,12 | tail -n 1
    echo "stories: $(wc -l < stories.jsonl)"
done
rm -f in.jsonl stories.jsonl
