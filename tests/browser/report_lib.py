# SPDX-License-Identifier: MIT
"""Helpers shared by the report tests (tests/cli/report_*.sh, tests/browser/report_test.py):
take apart a report written by `reprint scan --html`, and parse a DOM dump into a tree."""
import base64
import hashlib
import html.parser
import json
import re

DATA_OPEN = '<script type="application/json" id="data">'


def split(page):
    """The parts of a report: data object, texts by document number, the application
    script, and the Content-Security-Policy."""
    texts = {}
    for m in re.finditer(r'<script type="application/json" id="t(\d+)">(.*?)</script>', page, re.S):
        texts[int(m.group(1))] = json.loads(m.group(2))
    i = page.index(DATA_OPEN) + len(DATA_OPEN)
    j = page.index('</script>', i)
    data = json.loads(page[i:j])
    k = page.index('<script>', j) + len('<script>')
    app = page[k:page.index('</script>', k)]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    return data, texts, app, csp


def csp_ok(csp, app):
    """The policy loads nothing and allows exactly the application script."""
    digest = base64.b64encode(hashlib.sha256(app.encode('utf-8')).digest()).decode()
    want = "script-src 'sha256-%s'" % digest
    return "default-src 'none'" in csp and want in csp, digest


def static_checks(page):
    """What must hold of the file itself: the names of failed checks (empty when fine)."""
    bad = []
    app = re.search(r'<script>(.*?)</script>', page, re.S)
    if app and re.search(r'<!--|<\s*/?\s*script', app.group(1), re.I):
        bad.append('the application script holds <!-- or a script tag')
    # The page's own style sheet and script hold '<' in comparisons: leave them out.
    outside = re.sub(r'<(style|script)>.*?</\1>', '', page, flags=re.S)
    tags = re.findall(r'<\s*(/?[a-zA-Z][a-zA-Z0-9]*)', outside)
    # Every '<' inside a JSON script is escaped, so the only tags are the page's own.
    allowed = {'html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'span', 'nav',
               'a', 'main', 'p', 'noscript', 'footer', 'kbd', 'script'}
    extra = sorted({t.lstrip('/').lower() for t in tags} - allowed)
    if extra:
        bad.append('unexpected tags: %s' % extra)
    if re.search(r'<\s*link\b', page, re.I):
        bad.append('a <link> element')
    if re.search(r'<\s*script[^>]*\bsrc\s*=', page, re.I):
        bad.append('a <script src>')
    if re.search(r'''\b(src|href)\s*=\s*["']?\s*(https?:|//)''', page, re.I):
        bad.append('an http(s) src or href')
    if re.search(r'url\s*\(|@import', page, re.I):
        bad.append('a CSS url() or @import')
    if re.search(r'\bon[a-z]+\s*=', re.sub(r'<script type="application/json"[^>]*>.*?</script>', '',
                                            page, flags=re.S)):
        bad.append('an inline event handler outside the JSON data')
    for m in re.finditer(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S):
        body = m.group(1)
        if '<' in body or '\u2028' in body or '\u2029' in body:
            bad.append('a raw <, U+2028 or U+2029 inside a JSON script')
            break
    nscripts = len(re.findall(r'<script\b', page))
    if page.count('</script>') != nscripts:
        bad.append('script elements do not match their ends')
    if len(re.findall(r'<script>', page)) != 1:
        bad.append('not exactly one application script')
    return bad


class Node:
    """An element of a DOM dump: tag, attributes, children (Nodes and strings)."""

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []

    def text(self):
        return ''.join(k if isinstance(k, str) else k.text() for k in self.kids)

    def walk(self):
        yield self
        for k in self.kids:
            if isinstance(k, Node):
                yield from k.walk()

    def classes(self):
        return (self.attrs.get('class') or '').split()

    def find(self, tag=None, cls=None, id=None):
        return [n for n in self.walk() if (tag is None or n.tag == tag) and
                (cls is None or cls in n.classes()) and (id is None or n.attrs.get('id') == id)]


VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source',
        'track', 'wbr'}


class _Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node('#document', {}, None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.kids.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.kids.append(data)


def dom(markup):
    b = _Builder()
    b.feed(markup)
    b.close()
    return b.root


def u16(text, start, end):
    """text[start:end] in UTF-16 code units, as JavaScript slices it (Python indexes
    code points: an emoji is one there, two in JavaScript)."""
    return text.encode('utf-16-le')[2 * start:2 * end].decode('utf-16-le')
