# SPDX-License-Identifier: MIT
# Pathological input, bounded time and memory: a 50 MB document (generated here
# from a fixed seed, not committed: sentences of pseudo-words) with, in its
# middle, the three sentences that tests/data/reuse/ferry_b.txt shares with
# ferry_a.txt, scanned with the small ferry_b.txt. reprint must finish (exit 0)
# under a 2 GB address-space limit (not set under the sanitizers or valgrind,
# which reserve far more than they use) and report that pair with its one
# passage: the three sentences, found again in the big text.
case $REPRINT in
    *asan* | *valgrind*) ;;
    *) ulimit -v 2097152 ;;
esac
python3 - "$DATA/reuse/ferry_a.txt" <<'PY'
import random, sys
rng = random.Random(20251123)
syl = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'no', 'pri', 'dos', 'ga', 'hel', 'bi', 'zu']
vocab = sorted({''.join(rng.choice(syl) for _ in range(rng.randint(2, 4))) for _ in range(20000)})
ferry = open(sys.argv[1], encoding='utf-8').read().split('\n\n')[1].strip()
out = open('big.txt', 'w', encoding='utf-8')
size, half, placed = 0, 25_000_000, False
while size < 50_000_000:
    s = ' '.join(rng.choice(vocab) for _ in range(rng.randint(8, 20))).capitalize() + '.\n'
    out.write(s)
    size += len(s.encode('utf-8'))
    if size >= half and not placed:
        out.write(ferry + '\n')
        size += len(ferry.encode('utf-8')) + 1
        placed = True
out.close()
PY
echo "big.txt over 50 MB: $([ "$(wc -c < big.txt)" -gt 50000000 ] && echo yes)"
cp "$DATA/reuse/ferry_b.txt" small.txt
$REPRINT scan -q --passages passages.jsonl big.txt small.txt | cut -f 1-3,7
echo "scan: exit $?"
python3 - <<'PY'
import json
rows = [json.loads(l) for l in open('passages.jsonl', encoding='utf-8')]
print('passages:', len(rows))
for r in rows:
    print('a:', r['text_a'][:40], '...', r['text_a'][-30:])
    print('b:', r['text_b'][:40], '...', r['text_b'][-30:])
PY
rm -f big.txt
