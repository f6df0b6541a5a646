# SPDX-License-Identifier: MIT
# reprint align on two texts sharing two paragraphs of a wire story (one with a
# word changed), plain output (not a terminal): the relation line, then each
# passage with its byte ranges and score, side by side in 80 columns, words
# missing on the other side in [brackets]; --inline puts one wording under
# the other; --format jsonl prints the passages as scan --passages does, and
# each text_a / text_b is exactly the bytes of its file at the offsets given.
# Two documents sharing nothing print the header and no passage.
cd "$DATA/../../examples" || exit 9
COLUMNS=80 $REPRINT align ferry-wire.txt ferry-herald.txt
echo "side by side: exit $?"
$REPRINT align --inline --color never ferry-wire.txt ferry-herald.txt
echo "inline: exit $?"
$REPRINT align --format jsonl ferry-wire.txt ferry-herald.txt > "$OLDPWD/p.jsonl"
echo "jsonl: exit $?"
cd "$OLDPWD" || exit 9
python3 - "$DATA/../../examples" <<'PY'
import json, sys
d = sys.argv[1]
for line in open('p.jsonl', encoding='utf-8'):
    p = json.loads(line)
    a = open(d + '/' + p['a'], 'rb').read()
    b = open(d + '/' + p['b'], 'rb').read()
    print(p['a'], p['a_start'], p['a_end'], p['b'], p['b_start'], p['b_end'], p['score'],
          a[p['a_start']:p['a_end']].decode() == p['text_a'],
          b[p['b_start']:p['b_end']].decode() == p['text_b'])
PY
$REPRINT align "$DATA/news/06_fish_market.txt" "$DATA/news/02_city_library.txt" | sed "s|$DATA/||g"
echo "unrelated: exit $?"
