# SPDX-License-Identifier: MIT
# Publication dates are evidence: the two write-ups of one earthquake in
# examples/ are same-story when dated the same day or the next (or undated),
# and same-topic when one is dated two days or more after the other (a later
# report tells a later development); two days apart with nothing else against
# one event, the pair supports a story (a follow-up of the event), three days
# apart it does not. Dates only count when both are known.
cd "$DATA/../../examples" || exit 9
for d in "" "2025-06-03T18:00:00+01:00" "2025-06-04" "2025-06-05" "2025-06-06"; do
    python3 - "$d" > in.jsonl <<'PY'
import json, sys
d = sys.argv[1]
for i, f in (('gazette', 'quake-coast-gazette.txt'), ('courier', 'quake-valley-courier.txt')):
    rec = {'id': i, 'text': open(f, encoding='utf-8').read()}
    rec['date'] = '2025-06-03T07:00:00Z' if i == 'gazette' else d
    if not rec['date']:
        del rec['date']
    print(json.dumps(rec))
PY
    echo "courier dated ${d:-(none)}:"
    $REPRINT scan -q in.jsonl | cut -f 1-3,10 | tail -n 1
done
rm -f in.jsonl
