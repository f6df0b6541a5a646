# SPDX-License-Identifier: MIT
# --html on the five seed articles, checked without a browser (the browser's view is
# report_browser): the page is one self-contained file (static checks of
# tests/browser/report_lib.py: only the page's own tags, no <link>, no <script src>,
# no http(s) src/href, no CSS url(), no raw '<' inside the embedded JSON), its
# Content-Security-Policy loads nothing and names the application script by its
# SHA-256, and the embedded data says what the other outputs say: every document id,
# the texts byte for byte, the pairs and relations of the scan rows, the passages
# (UTF-16 offsets, sliced in Python as JavaScript would) equal to text_a/text_b of
# --passages, the differences equal to --differences, the furniture lines equal to
# --show-furniture, the stories equal to --stories (members in date order: the seeds
# have no date, so input order). Beyond its fixed script and style sheet, the report
# takes under 2 bytes per input byte.
$REPRINT scan -q --html r.html --passages p.jsonl --differences d.jsonl --stories s.jsonl \
    --show-furniture "$SEEDS"/*.txt > pairs.tsv 2> furniture.txt
echo "scan: exit $?"
python3 - "$DATA/../browser" "$SEEDS" <<'PY'
import json, os, sys
sys.path.insert(0, sys.argv[1])
import report_lib as R
seeds = sys.argv[2]
page = open('r.html', encoding='utf-8').read()
print('static checks:', R.static_checks(page) or 'all pass')
data, texts, app, csp = R.split(page)
ok, digest = R.csp_ok(csp, app)
print('csp loads nothing, script hash matches:', ok, '' if ok else '(sha256-%s)' % digest)
docs = data['docs']
names = sorted(f for f in os.listdir(seeds) if f.endswith('.txt'))
ids = [d[0] for d in docs]
print('documents:', len(docs), '| every seed id present:', [os.path.basename(i) for i in ids] == names)
raw = {d[0]: open(d[0], 'rb').read() for d in docs}
print('texts equal the files:', all(texts[n].encode('utf-8') == raw[ids[n]] for n in range(len(docs))))
print('title names the collection:', '<title>reprint report: %d documents</title>' % len(docs) in page)
rows = [l.rstrip('\n').split('\t') for l in open('pairs.tsv', encoding='utf-8')][1:]
rel = data['relations']
print('pairs equal the scan rows:', [(ids[p[0]], ids[p[1]], rel[p[2]], data['whys'][p[3]]) for p in data['pairs']] ==
      [(r[0], r[1], r[2], r[9]) for r in rows])
P = [json.loads(l) for l in open('p.jsonl', encoding='utf-8')]
got = []
for p in data['pairs']:
    for k in range(p[10], p[10] + p[11]):
        s = data['pass'][5 * k:5 * k + 5]
        got.append((ids[p[0]], ids[p[1]], R.u16(texts[p[0]], s[0], s[1]), R.u16(texts[p[1]], s[2], s[3])))
print('passages (UTF-16) equal --passages:', got == [(x['a'], x['b'], x['text_a'], x['text_b']) for x in P], len(P) > 0)
Dl = [json.loads(l) for l in open('d.jsonl', encoding='utf-8')]
got = []
for p in data['pairs']:
    for k in range(p[12], p[12] + p[13]):
        s = data['diff'][5 * k:5 * k + 5]
        got.append((ids[p[0]], ids[p[1]], R.u16(texts[p[0]], s[0], s[1]), R.u16(texts[p[1]], s[2], s[3]), data['kinds'][s[4]]))
print('differences equal --differences:', got == [(x['a'], x['b'], x['a_text'], x['b_text'], x['kind']) for x in Dl])
want = [l.rstrip('\n') for l in open('furniture.txt', encoding='utf-8') if l.startswith('furniture: ')]
got = []
for n, d in enumerate(docs):
    f = d[5]
    for k in range(0, len(f), 3):
        t = texts[n]
        b0, b1 = len(R.u16(t, 0, f[k]).encode('utf-8')), len(R.u16(t, 0, f[k + 1]).encode('utf-8'))
        got.append('furniture: %s %d-%d %s: %s' % (ids[n], b0, b1, data['furns'][f[k + 2]], R.u16(t, f[k], f[k + 1])))
print('furniture equals --show-furniture:', got == want, len(want) > 0)
S = [json.loads(l) for l in open('s.jsonl', encoding='utf-8')]
print('stories equal --stories:', [[ids[m] for m in s[1:]] for s in data['stories']] == [x['members'] for x in S] and
      [ids[s[0]] for s in data['stories']] == [x['representative'] for x in S])
fixed = len(app.encode('utf-8')) + len(page[page.index('<style>'):page.index('</style>')].encode('utf-8'))
size = os.path.getsize('r.html') - fixed
print('beyond the script and style, under 2 bytes per input byte:', size < 2 * sum(len(v) for v in raw.values()))
PY
