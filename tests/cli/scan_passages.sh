# SPDX-License-Identifier: MIT
# --passages FILE on two short texts of our own (tests/data/reuse/ferry_*.txt)
# that share three lightly edited sentences (a comma, "three"/"four" times,
# "since spring"/"since the spring", "who hold"/"holding") in the middle of
# otherwise different text. The passages file is exact; then, slicing the files:
# text_a is the bytes [a_start, a_end) of ferry_a.txt, text_b those of
# ferry_b.txt, and the passage covers the three shared sentences (from "island
# ferry" to "next year.") and nothing of the sentences around them. (The pair
# row is shown without its coverage; scan_relation_options has the full row.)
cd "$DATA/reuse" || exit 1
$REPRINT scan --passages "$OLDPWD/p.jsonl" ferry_a.txt ferry_b.txt > "$OLDPWD/pairs.tsv"
echo "scan: exit $?"
cut -f 1-3,7 "$OLDPWD/pairs.tsv"
cd "$OLDPWD" || exit 1
cat p.jsonl
python3 - "$DATA/reuse" p.jsonl <<'PY'
import json, sys
folder, path = sys.argv[1:]
text = {n: open('%s/%s' % (folder, n), 'rb').read() for n in ('ferry_a.txt', 'ferry_b.txt')}
rows = [json.loads(l) for l in open(path, encoding='utf-8')]
print('passages:', len(rows))
for r in rows:
    for side in 'ab':
        t = text[r[side]]
        s, e = r[side + '_start'], r[side + '_end']
        print(side, 'text equals the file bytes:', t[s:e] == r['text_' + side].encode('utf-8'))
        first = t.index(b'island ferry')
        last = t.index(b'next year.') + len(b'next year.')
        # The sentence before ends with ". " (a) or "heard that " (b); the passage may
        # start at "The"/"the" before "island ferry", not earlier, and must end
        # with the shared block's full stop.
        print(side, 'covers the shared sentences:', s <= first and e >= last)
        print(side, 'nothing around them:', s >= first - len(b'the ') and e <= last)
PY
