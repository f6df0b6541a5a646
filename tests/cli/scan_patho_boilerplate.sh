# SPDX-License-Identifier: MIT
# Pathological input: 300 small documents (generated here from a fixed seed)
# that all carry one boilerplate paragraph (three sentences, 48 words: a
# newsletter's "about us") after their own distinct text of pseudo-words.
# 300 * 299 / 2 = 44,850 pairs share that paragraph; a careful reader calls
# none of them related (it is a template, not reuse), and listing them would
# flood the output. What reprint does: the paragraph's n-grams and words are
# in more than 100 (n-grams) and 50 (words) documents, too common to make
# candidates, so no pair is compared because of it: no flood. A few pairs
# become candidates anyway, by sharing two of their rare pseudo-words by
# chance; the paragraph is page furniture (a line in 50 or more documents that
# travels with neither neighbour), so it is not aligned and those pairs are
# unrelated: 0 pairs, 0 passages. Exit 0 under a 2 GB
# address-space limit (not set under the sanitizers or valgrind, which
# reserve far more than they use).
case $REPRINT in
    *asan* | *valgrind*) ;;
    *) ulimit -v 2097152 ;;
esac
python3 - <<'PY'
import json, random
rng = random.Random(300)
syl = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'no', 'pri', 'dos', 'ga', 'hel', 'bi', 'zu']
vocab = sorted({''.join(rng.choice(syl) for _ in range(rng.randint(3, 5))) for _ in range(40000)})
boiler = ('The Valley Courier is written by volunteers and delivered free to every home in the '
          'parish each month. Letters, photographs and notices of events are welcome and may be '
          'left at the post office or sent to the editor by email. Advertising pays for printing, '
          'and any surplus goes to the village hall fund.')
with open('docs.jsonl', 'w', encoding='utf-8') as out:
    for i in range(300):
        own = ' '.join(' '.join(rng.choice(vocab) for _ in range(12)).capitalize() + '.'
                       for _ in range(8))
        out.write(json.dumps({'id': 'doc%03d' % i, 'text': own + '\n\n' + boiler}) + '\n')
PY
$REPRINT scan -q docs.jsonl > pairs.tsv
echo "scan: exit $?"
echo "pairs: $(($(wc -l < pairs.tsv) - 1))"
tail -n +2 pairs.tsv | cut -f 3 | sort | uniq -c | sed 's/^ *//'
$REPRINT scan -q --passages passages.jsonl docs.jsonl > /dev/null
echo "passages that are the boilerplate paragraph: $(grep -c '"text_a":"The Valley Courier is written' passages.jsonl) of $(wc -l < passages.jsonl)"
