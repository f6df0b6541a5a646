# SPDX-License-Identifier: MIT
# --html on tests/data/report/evil.jsonl: texts, a title and a source holding
# "</script><script>...", "<img src=x onerror=...>", "<!--", <b> markup, U+2028 and
# U+2029, emoji (4-byte UTF-8, two UTF-16 units) before an aligned passage, a
# "javascript:" url and ids with '/', '?' and '#'. Checked on the file, without a
# browser (report_browser renders it): only the page's own tags, no raw '<' or
# U+2028/U+2029 inside the embedded JSON, no inline handler, no http(s) src/href;
# every text and metadata string comes back exactly from the JSON; the passage and
# the differing figure, sliced in UTF-16 units after the emoji, are the right words;
# the story lists its documents by date (evil/b, dated the day before, first).
$REPRINT scan -q --html r.html --passages p.jsonl --differences d.jsonl "$DATA/report/evil.jsonl" > pairs.tsv
echo "scan: exit $?"
cut -f 1-3,7,11 pairs.tsv
python3 - "$DATA/../browser" "$DATA/report/evil.jsonl" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import report_lib as R
page = open('r.html', encoding='utf-8').read()
print('static checks:', R.static_checks(page) or 'all pass')
print('no raw hostile markup in the file:', not any(s in page for s in ('</script><script>', '<img', '<b>', '<!--', '\u2028', '\u2029')))
data, texts, app, csp = R.split(page)
print('csp loads nothing, script hash matches:', R.csp_ok(csp, app)[0])
recs = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
docs = data['docs']
print('texts come back exactly:', [texts[n] for n in range(len(recs))] == [r['text'] for r in recs])
print('metadata comes back exactly:', all(d[0] == r['id'] and d[1] == r.get('date') and d[2] == r.get('source') and
      d[3] == r.get('title') and d[4] == r.get('url') for d, r in zip(docs, recs)))
for p in data['pairs']:
    for k in range(p[10], p[10] + p[11]):
        s = data['pass'][5 * k:5 * k + 5]
        a, b = R.u16(texts[p[0]], s[0], s[1]), R.u16(texts[p[1]], s[2], s[3])
        print('passage a:', a[:40], '...', a[-12:])
        print('passage b:', b[:40], '...', b[-12:])
    for k in range(p[12], p[12] + p[13]):
        s = data['diff'][5 * k:5 * k + 5]
        print('difference:', R.u16(texts[p[0]], s[0], s[1]), '|', R.u16(texts[p[1]], s[2], s[3]), '|', data['kinds'][s[4]])
print('stories, by date:', [[docs[m][0] for m in s[1:]] for s in data['stories']])
print('ledes:', [d[6] for d in docs])
PY
