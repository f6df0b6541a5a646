# SPDX-License-Identifier: MIT
"""The report in a real browser (tests/cli/report_browser.sh runs this).

    python3 tests/browser/report_test.py SEEDS_REPORT EVIL_REPORT SHOT_DIR DATED_REPORT

Renders the two reports written by `reprint scan --html` (the five seed articles,
and tests/data/report/evil.jsonl) in headless Chromium, reads the DOM after the
page's script ran (--dump-dom), and checks it:

  - #/docs: the title and <h1> name the collection, every seed id is shown;
  - the overview lists the documents in no story (003 and 004 of the seeds);
  - #/pair/001/002: every passage of the pair is a highlighted <mark> on both sides
    (ids pa0/pb0...), focusable, with the same words as the data says;
  - #/pair/000/001: the differing troop figures are marked, "up to 12,000" in 000 and
    "about 10,000 to 12,000" in 001, each titled with the other side's wording; 000's
    related-article headlines are greyed as furniture;
  - the hostile report (#/doc/evil-a and the pair view): the page title is unchanged
    (no injected script ran), the hostile strings show literally as text, no <img>,
    <b> or second <script> element exists, and the passage after the emoji is the
    right words (UTF-16 offsets).

  - the seeds with publication dates (DATED_REPORT): #/timeline/1 puts the three
    events on a time axis in date order (003, the story of 000/001/002, 004) and
    lists them; the story's page shows where it stands on its timeline; the
    overview shows the largest timelines.

Screenshots (build artifacts): SHOT_DIR/report-seeds.png (overview),
report-seeds-pair.png (000/001 side by side), report-seeds-narrow.png (001/002 in a
420px window: the texts stack), report-seeds-timeline.png (the dated timeline).

Prints nothing and exits 0 when every check passes; prints each failure and exits 1
otherwise. Without Chromium it says so on stderr and exits 0 (skipped), so that
`make test` runs where no browser is installed; CI installs Debian's chromium.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_lib as R  # noqa: E402

FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--hide-scrollbars', '--virtual-time-budget=5000']
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)
        print('FAIL', what)
    else:
        print('ok  ', what, file=sys.stderr)


def browser():
    for name in ('chromium', 'chromium-browser'):
        path = shutil.which(name)
        if path:
            return path
    return None


def run(exe, url, extra):
    with tempfile.TemporaryDirectory(prefix='reprint-chromium.') as profile:
        cmd = [exe] + FLAGS + ['--user-data-dir=' + profile] + extra + [url]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        return r.returncode, r.stdout.decode('utf-8', 'replace')


def dump(exe, path, hash_):
    rc, out = run(exe, 'file://' + path + hash_, ['--dump-dom'])
    check(rc == 0 and '<main' in out, 'chromium dumps the DOM of %s%s (exit %d)' % (os.path.basename(path), hash_, rc))
    return R.dom(out)


def shot(exe, path, hash_, out, size):
    rc, _ = run(exe, 'file://' + path + hash_, ['--window-size=' + size, '--screenshot=' + out])
    check(rc == 0 and os.path.exists(out) and os.path.getsize(out) > 1000, 'screenshot %s' % out)


def pair_hash(data, a, b):
    return '#/pair/%s/%s' % (urllib.parse.quote(data['docs'][a][0], safe=''),
                             urllib.parse.quote(data['docs'][b][0], safe=''))


def text_without_badges(node):
    """A mark's text without its passage number (<sup class="pn">)."""
    return ''.join(k if isinstance(k, str) else ('' if 'pn' in k.classes() else text_without_badges(k))
                   for k in node.kids)


def main():
    seeds_html, evil_html, shots, dated_html = (os.path.abspath(x) for x in sys.argv[1:5])
    exe = browser()
    if not exe:
        print('SKIP report_browser: no chromium on PATH (apt-get install chromium); '
              'the browser checks did not run', file=sys.stderr)
        return 0
    data, texts, _, _ = R.split(open(seeds_html, encoding='utf-8').read())
    ids = [d[0] for d in data['docs']]
    n = len(ids)
    title = 'reprint report: %d documents' % n

    root = dump(exe, seeds_html, '#/docs')
    check([t.text() for t in root.find('title')] == [title], 'the title names the collection')
    check([t.text() for t in root.find('h1')] == [title], 'the <h1> names the collection')
    page = root.text()
    check(all(i in page for i in ids), 'every seed id is shown on #/docs')
    check(len(root.find('a', cls='dl')) == n, 'one link per document on #/docs')

    by = {os.path.basename(i)[:3]: k for k, i in enumerate(ids)}
    p12 = [p for p in data['pairs'] if p[0] == by['001'] and p[1] == by['002']][0]
    root = dump(exe, seeds_html, pair_hash(data, by['001'], by['002']))
    check(p12[11] > 0, '001/002 have aligned passages in the data')
    for k in range(p12[11]):
        s = data['pass'][5 * (p12[10] + k):5 * (p12[10] + k) + 5]
        for side, doc, lo in (('a', p12[0], 0), ('b', p12[1], 2)):
            m = root.find('mark', id='p%s%d' % (side, k))
            want = R.u16(texts[doc], s[lo], s[lo + 1])
            check(len(m) == 1 and 'psg' in m[0].classes() and m[0].attrs.get('tabindex') == '0' and
                  text_without_badges(m[0]) == want,
                  '001/002 passage %d is highlighted on side %s with its words' % (k + 1, side))

    root = dump(exe, seeds_html, pair_hash(data, by['000'], by['001']))
    difs = {side: root.find('span', id='d%s0' % side) for side in 'ab'}
    a_txt = [d.text() for d in root.find('td') if d.find(cls='dif')]
    check(len(difs['a']) == 1 and 'up to 12,000' in difs['a'][0].text() and
          'about 10,000 to 12,000' in difs['a'][0].attrs.get('title', ''),
          '000/001: "up to 12,000" is marked in 000, titled with 001\'s wording')
    check(len(difs['b']) == 1 and 'about 10,000 to 12,000' in difs['b'][0].text() and
          'up to 12,000' in difs['b'][0].attrs.get('title', ''),
          '000/001: "about 10,000 to 12,000" is marked in 001, titled with 000\'s wording')
    check(any('up to 12,000' in t for t in a_txt), '000/001: the figures table shows the wordings')
    furn = [f.text() for f in root.find(cls='furn')]
    check(any('Storm Martinho lashes Spain' in f for f in furn),
          '000/001: 000\'s related-article headlines are greyed as furniture')

    # The overview shows every document: the story of 000, 001 and 002, and 003 and 004,
    # which are in no story, listed under "In no story".
    root = dump(exe, seeds_html, '')
    heads = [x.text() for x in root.find('h3')]
    check('In no story' in heads, 'overview: a section lists the documents in no story')
    lone = set()
    for h3 in root.find('h3'):
        if h3.text() != 'In no story':
            continue
        sib = [k for k in h3.parent.kids if not isinstance(k, str)]
        tables = [k for k in sib[sib.index(h3):] if k.tag == 'table' or k.find('table')]
        for a in (tables[0].find('a') if tables else []):
            lone.add(a.attrs.get('title', '') + ' ' + a.text())
    check(any('003_' in x for x in lone) and any('004_' in x for x in lone) and
          not any('001_' in x for x in lone), 'overview: 003 and 004 are listed in no story, 001 is not')

    shot(exe, seeds_html, '', os.path.join(shots, 'report-seeds.png'), '1280,1400')
    shot(exe, seeds_html, pair_hash(data, by['000'], by['001']), os.path.join(shots, 'report-seeds-pair.png'), '1280,1400')
    shot(exe, seeds_html, pair_hash(data, by['001'], by['002']), os.path.join(shots, 'report-seeds-narrow.png'), '420,1400')

    # Timelines, on the seeds with dates: 003 (2024-09-13), the story (2025-03-21..22), 004.
    ddata, _, _, _ = R.split(open(dated_html, encoding='utf-8').read())
    check(len(ddata['timelines']) == 1 and len(ddata['timelines'][0]) == 12,
          'dated seeds: one timeline of three events in the data')
    root = dump(exe, dated_html, '#/timeline/1')
    marks = root.find('a', cls='mk')
    titles = [m.attrs.get('title', '') for m in marks]
    check(len(marks) == 3 and titles[0].startswith('2024-09-13') and
          titles[1].startswith('2025-03-21 \u2013 2025-03-22') and titles[2].startswith('2025-06-18'),
          'timeline 1: three markers on the axis in date order (%s)' % titles)
    check('story' in marks[1].classes() if len(marks) == 3 else False,
          'timeline 1: the middle marker is a story')
    rows = [r for r in root.find('tr') if r.find('td')]
    check(len(rows) == 3 and '003_' in rows[0].find('td')[1].text() + rows[0].find('a')[0].attrs.get('href', '')
          and 'Story 1' in rows[1].text() and '2025-06-18' in rows[2].text(),
          'timeline 1: the events table lists 003, story 1, 004')
    root = dump(exe, dated_html, '#/story/1')
    heads = [x.text() for x in root.find('h3')]
    cur = [li.text() for li in root.find('li', cls='cur')]
    check('On its timeline' in heads and len(cur) == 1 and 'Story 1' in cur[0],
          'story 1: its place on the timeline, itself marked')
    root = dump(exe, dated_html, '')
    check('Largest timelines' in [x.text() for x in root.find('h3')],
          'dated overview: the largest timelines are shown')
    shot(exe, dated_html, '#/timeline/1', os.path.join(shots, 'report-seeds-timeline.png'), '1280,900')

    edata, etexts, _, _ = R.split(open(evil_html, encoding='utf-8').read())
    etitle = 'reprint report: %d documents' % len(edata['docs'])
    for h in ('#/doc/evil-a', pair_hash(edata, 0, 1), '#/docs'):
        root = dump(exe, evil_html, h)
        check([t.text() for t in root.find('title')] == [etitle], 'hostile %s: the page title is unchanged' % h)
        check(not root.find('img') and not [b for b in root.find('b') if b.text() == 'bold'] and
              not root.find('i') and len(root.find('script')) == len(edata['docs']) + 2,
              'hostile %s: no injected element (img, b, i, script)' % h)
        text = root.text()
        if h == '#/docs':
            check('Breakwater </script><img src=x onerror="document.title=\'pwned\'">' in text and
                  '<b>bold</b>' in text, 'hostile #/docs: the hostile title and lede show literally')
        else:
            check("</script><script>document.title='pwned'</script>" in text and
                  '<img src=x onerror="document.title=\'pwned\'">' in text,
                  'hostile %s: the hostile text shows literally' % h)
    root = dump(exe, evil_html, pair_hash(edata, 0, 1))
    p = edata['pairs'][0]
    s = edata['pass'][5 * p[10]:5 * p[10] + 5]
    m = root.find('mark', id='pa0')
    check(len(m) == 1 and text_without_badges(m[0]) == R.u16(etexts[0], s[0], s[1]) and
          text_without_badges(m[0]).startswith('The harbour board'), 'hostile pair: the passage after the emoji is the right words')
    d = root.find('span', id='da0')
    check(len(d) == 1 and d[0].text() == 'about 14 million dollars' and 'nearly 15 million dollars' in d[0].attrs.get('title', ''),
          'hostile pair: the differing amount is marked')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
