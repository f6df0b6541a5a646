# SPDX-License-Identifier: MIT
# Facts on which the seed articles differ (../shared/seeds/README.md): the troops
# sent last autumn ("up to 12,000" in 000 against "about 10,000 to 12,000" in
# 001 and 002, and "10,000-12,000" in 004), the additional troops early in 2025
# ("about 1,000 to 3,000" against "around 3,000" in 004) and the day of the
# meeting (Friday in 001, Wednesday in 004). Differences are looked for in
# related pairs (reprint, same-story, shares-passages), so 000-004 (same-topic)
# has none; and none is reported where the sources agree in other words (last
# fall / last autumn, "in late February"). Each wording is checked against the
# bytes of its file at the offsets given; the differences column counts them.
$REPRINT scan -q --differences diff.jsonl "$SEEDS"/*.txt | cut -f 1,2,3,11 | sed "s|$SEEDS/||g"
echo "scan: exit $?"
python3 - "$SEEDS" <<'PY'
import json, sys
seeds = sys.argv[1]
for line in open('diff.jsonl', encoding='utf-8'):
    d = json.loads(line)
    a = open(d['a'], 'rb').read()
    b = open(d['b'], 'rb').read()
    ok = (a[d['a_start']:d['a_end']].decode() == d['a_text'] and
          b[d['b_start']:d['b_end']].decode() == d['b_text'])
    print(d['a'].replace(seeds + '/', '')[:3], d['b'].replace(seeds + '/', '')[:3], d['kind'],
          '|', d['a_text'], '|', d['b_text'], '| bytes', 'ok' if ok else 'WRONG')
PY
