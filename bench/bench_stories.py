#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""bench_stories.py: how reprint's stories stand against people's judgement.

    python3 bench/bench_stories.py [REPRINT] [SHARED]

REPRINT defaults to ./reprint, SHARED to ../shared. Prints, in one run:

1. The development half of the SemEval-2022 Task 8 pairs (SHARED/evaldata/
   semeval_dev): same-story precision, recall and F1 over the 336 labelled
   same-language pairs (as its score.py counts them), per language, the
   relations given to each label, and story pairs printed per document.
2. Candidate reach: how many labelled same-story pairs reprint compares at all.
   The dev documents are scanned with 200 news articles added (more than
   1,000 documents, so that --all-pairs lists the pairs compared rather than
   comparing every pair), and the pairs compared are counted against the
   labels.
3. B-cubed precision, recall and F1 of the story clusters over the labelled
   documents, the gold stories being the connected groups of same-story pairs.
4. The project's own planted stories (bench/stories/*.jsonl, fictional reports
   written for reprint: topics of two events of one kind, each event told by
   four outlets independently): same-event pairs named a story relation, pairs
   of the other event of a topic named one (the issue's bound: at most 5%), and
   B-cubed of the story clusters against the events. They are scanned among the
   SemEval development documents, so that IDF weighs words as in a real
   collection. Three times: with their publication dates, without (as event
   collections such as ECB+ come, where only the texts tell events apart), and
   without dates or sources (ECB+ names no outlet either).
5. The shared news corpus (SHARED/evaldata/news_reuters21578_bbc): pairs by
   relation and per document, the share of story relations among pairs of
   template reports (titles of one recurring Reuters report: eurobond issues,
   money-market operations, hog and cattle prices by city, export bonuses,
   debt offerings; all, and those of another subject or day), the ten largest stories, and the time of the full scan
   against --fast in the same run.
"""
import collections
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time

STORY = {'duplicate', 'near-duplicate', 'reprint', 'same-story'}


def scan(reprint, args, path):
    t0 = time.monotonic()
    out = subprocess.run([reprint, 'scan', '-q'] + args + [path], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=True).stdout.decode('utf-8')
    return list(csv.DictReader(out.splitlines(), delimiter='\t', quoting=csv.QUOTE_NONE)), \
        time.monotonic() - t0


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def strict(pairs, rel):
    """The labelled pairs read again by the issue's definition of one event ("the same
    happening, at the same time, with the same actors and place"; a follow-up, another
    statement of the same person, another report on one template are other events), by a
    reader blind to the labels and to reprint's answers (2026-12-06): every pair where
    reprint and the label disagreed, every pair both name one story, and 30 of the pairs
    both call other stories (a sample: its counts are weighed by its share). The labels are
    looser: people marked a commentary and an interview on one anniversary, or two days'
    currency reports on one template, "very similar"."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stories', 'semeval_dev_strict.tsv')
    if not os.path.exists(path):
        return
    verdict = {}
    for line in open(path, encoding='utf-8').read().splitlines()[1:]:
        a, b, v = line.split('\t')
        verdict[frozenset((a, b))] = v
    # Pairs both call other stories were read as a sample: weigh those by its share.
    both_not = [p for p in pairs if p['same_story'] == 0 and rel.get(frozenset((p['a'], p['b'])), 'none') not in STORY]
    read_not = [p for p in both_not if frozenset((p['a'], p['b'])) in verdict]
    weight = len(both_not) / len(read_not) if read_not else 0
    tp = fp = fn = unsure = 0.0
    unread = 0
    for p in pairs:
        k = frozenset((p['a'], p['b']))
        pos = rel.get(k, 'none') in STORY
        if k not in verdict:
            unread += pos or p['same_story'] == 1
            continue
        w = weight if (not pos and p['same_story'] == 0) else 1
        v = verdict[k]
        if v == 'unsure':
            unsure += 1
        elif v == 'same-event':
            tp += w if pos else 0
            fn += 0 if pos else w
        else:
            fp += w if pos else 0
    p_, r_, f_ = prf(tp, fp, fn)
    print('same event by the issue\'s definition (%d pairs read again blind, %d unsure; the pairs both call'
          ' other stories weighed x%.1f): precision %.3f recall %.3f F1 %.3f; story pairs of other events %.0f,'
          ' same-event pairs missed %.0f%s'
          % (len(verdict), unsure, weight, p_, r_, f_, fp, fn, '' if not unread else ' (%d not read)' % unread))


def semeval(reprint, shared):
    d = os.path.join(shared, 'evaldata', 'semeval_dev')
    docs = os.path.join(d, 'docs.jsonl')
    pairs = [json.loads(l) for l in open(os.path.join(d, 'pairs.jsonl'), encoding='utf-8')]
    pairs = [p for p in pairs if p['lang_a'] == p['lang_b'] and p['same_story'] is not None]
    ndocs = sum(1 for _ in open(docs, encoding='utf-8'))
    rows, secs = scan(reprint, ['--stories', os.path.join(tmp, 'st.jsonl')], docs)
    rel = {frozenset((r['a'], r['b'])): r['relation'] for r in rows}
    by = {1: collections.Counter(), 0: collections.Counter()}
    lang = collections.defaultdict(lambda: [0, 0, 0])
    tp = fp = fn = 0
    for p in pairs:
        r = rel.get(frozenset((p['a'], p['b'])), 'none')
        by[p['same_story']][r] += 1
        pos, lab = r in STORY, p['same_story']
        tp += pos and lab == 1
        fp += pos and lab == 0
        fn += (not pos) and lab == 1
        lang[p['lang_a']][0] += pos and lab == 1
        lang[p['lang_a']][1] += pos and lab == 0
        lang[p['lang_a']][2] += (not pos) and lab == 1
    p_, r_, f_ = prf(tp, fp, fn)
    print('== SemEval-2022 Task 8, development half: %d labelled pairs (%d same story), %d documents'
          % (len(pairs), sum(p['same_story'] for p in pairs), ndocs))
    print('same-story pairs: precision %.3f recall %.3f F1 %.3f  (oracle TF-IDF reference 0.746)'
          % (p_, r_, f_))
    print('per language (tp/fp/fn, F1): ' + ', '.join(
        '%s %d/%d/%d %.2f' % (k, v[0], v[1], v[2], prf(*v)[2]) for k, v in sorted(lang.items())))
    for lab, name in ((1, 'same story'), (0, 'not same story')):
        print('  %s pairs by relation: %s' % (name, ', '.join('%s %d' % kv for kv in by[lab].most_common())))
    nstory = sum(r['relation'] in STORY for r in rows)
    print('story pairs printed: %d for %d documents (%.3f per document); scan %.2f s'
          % (nstory, ndocs, nstory / ndocs, secs))
    strict(pairs, rel)

    # Candidate reach: with more than 1,000 documents, --all-pairs lists the compared pairs.
    mixed = os.path.join(tmp, 'mixed.jsonl')
    with open(mixed, 'w', encoding='utf-8') as out:
        out.write(open(docs, encoding='utf-8').read())
        news = os.path.join(shared, 'evaldata', 'news_reuters21578_bbc', 'docs.jsonl')
        for k, line in enumerate(open(news, encoding='utf-8')):
            if k >= 200:
                break
            out.write(line)
    rows2, _ = scan(reprint, ['--all-pairs'], mixed)
    compared = {frozenset((r['a'], r['b'])) for r in rows2}
    pos = [p for p in pairs if p['same_story'] == 1]
    reached = sum(frozenset((p['a'], p['b'])) in compared for p in pos)
    print('candidate reach: %d of %d same-story pairs compared (%.1f%%); %d pairs compared for %d documents'
          ' (%.2f per document)' % (reached, len(pos), 100.0 * reached / len(pos), len(rows2),
                                    ndocs + 200, len(rows2) / (ndocs + 200)))

    # B-cubed over the labelled documents: gold stories are the groups joined by same-story labels.
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    labelled = set()
    for p in pairs:
        labelled |= {p['a'], p['b']}
        find(p['a'])
        find(p['b'])
        if p['same_story'] == 1:
            parent[find(p['a'])] = find(p['b'])
    gold = {x: find(x) for x in labelled}
    bp, br, bf = bcubed(gold, stories_of(labelled, os.path.join(tmp, 'st.jsonl')))
    print('B-cubed over %d labelled documents (%d gold stories of 2 or more): precision %.3f recall %.3f F1 %.3f'
          % (len(labelled), sum(1 for v in collections.Counter(gold.values()).values() if v > 1),
             bp, br, bf))


def stories_of(ids, path):
    """The story of each of ids as --stories wrote them to path (a lone document: itself)."""
    pred = {x: x for x in ids}
    for line in open(path, encoding='utf-8'):
        st = json.loads(line)
        for m in st['members']:
            if m in pred:
                pred[m] = 'story%d' % st['id']
    return pred


def bcubed(gold, pred):
    """B-cubed precision, recall and F1 of clusters pred against gold (item -> cluster)."""
    gsize = collections.Counter(gold.values())
    psize = collections.Counter(pred.values())
    both = collections.Counter((gold[x], pred[x]) for x in gold)
    bp = sum(both[(gold[x], pred[x])] / psize[pred[x]] for x in gold) / len(gold)
    br = sum(both[(gold[x], pred[x])] / gsize[gold[x]] for x in gold) / len(gold)
    return bp, br, (2 * bp * br / (bp + br) if bp + br else 0.0)


def planted(reprint, shared, dated, sourced=True):
    """The project's own planted stories (bench/stories/*.jsonl, written for it): each topic
    holds two events of one kind, each event told by four outlets (sets a, b) or eight (c, d)
    in their own words. They
    are scanned among the SemEval development documents (no labels used): content words are
    weighed by IDF over the collection, and 32 reports on four subjects alone would make
    every topic word common. Undated (dated false), the reports' `date` fields are left out:
    event collections such as ECB+ give no publication dates, and then only the texts
    tell two events of one kind apart. Unsourced (sourced false, undated too), their
    `source` fields are left out as well: ECB+ names no outlet, and then no rule for one
    source's texts can apply."""
    dated = dated and sourced  # (unsourced runs are undated too)
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stories')
    files = sorted(f for f in os.listdir(here) if f.endswith('.jsonl')) if os.path.isdir(here) else []
    if not files:
        return
    path = os.path.join(tmp, 'planted.jsonl')
    docs = {}
    with open(path, 'w', encoding='utf-8') as out:
        for f in files:
            for line in open(os.path.join(here, f), encoding='utf-8'):
                d = json.loads(line)
                docs[d['id']] = d
                if not dated:
                    d = dict(d)
                    d.pop('date', None)
                if not sourced:
                    d.pop('source', None)
                out.write(json.dumps(d) + '\n')
        for line in open(os.path.join(shared, 'evaldata', 'semeval_dev', 'docs.jsonl'),
                         encoding='utf-8'):
            out.write(line)
    rows, _ = scan(reprint, ['--all-pairs', '--stories', os.path.join(tmp, 'pst.jsonl')], path)
    rel = {frozenset((r['a'], r['b'])): r for r in rows}
    ids = sorted(docs)
    same = collections.Counter()
    twin = collections.Counter()
    missed, joined = [], []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            r = rel.get(frozenset((a, b)))
            name = r['relation'] if r else 'none'
            if docs[a]['event'] == docs[b]['event']:
                same[name] += 1
                if name not in STORY:
                    missed.append((a, b, name, r['why'] if r else 'not compared (no candidate)'))
            elif docs[a]['topic'] == docs[b]['topic']:
                twin[name] += 1
                if name in STORY:
                    joined.append((a, b, name, r['why']))
    gold = {x: docs[x]['event'] for x in ids}
    pred = stories_of(ids, os.path.join(tmp, 'pst.jsonl'))
    bp, br, bf = bcubed(gold, pred)
    nsame, ntwin = sum(same.values()), sum(twin.values())
    print('== planted stories, %s (bench/stories: %d reports, %d events, %d topics of two events of one kind;'
          ' among the %d SemEval development documents)'
          % ('dated' if dated else 'undated, as event collections come' if sourced
             else 'undated and without sources, as ECB+ comes', len(ids),
             len(set(gold.values())), len({d['topic'] for d in docs.values()}),
             len(open(path, encoding='utf-8').readlines()) - len(ids)))
    print('same-event pairs named a story relation: %d of %d (recall %.3f); by relation: %s'
          % (sum(same[k] for k in STORY), nsame, sum(same[k] for k in STORY) / nsame,
             ', '.join('%s %d' % kv for kv in same.most_common())))
    unreached = same['none']
    print('candidate reach: %d of %d same-event pairs compared (%.1f%%; goal 98%%)'
          % (nsame - unreached, nsame, 100.0 * (nsame - unreached) / nsame))
    print('other event of the same kind named a story relation: %d of %d (%.1f%%; goal at most 5%%); by relation: %s'
          % (sum(twin[k] for k in STORY), ntwin, 100.0 * sum(twin[k] for k in STORY) / ntwin,
             ', '.join('%s %d' % kv for kv in twin.most_common())))
    print('B-cubed of the stories against the events: precision %.3f recall %.3f F1 %.3f' % (bp, br, bf))
    # Each set alone (a file's ids share their first letter): sets c and d tell each event
    # by eight outlets, a and b by four.
    for s in sorted({x[0] for x in ids}):
        sub = [x for x in ids if x[0] == s]
        pairs = [(a, b) for i, a in enumerate(sub) for b in sub[i + 1:]
                 if docs[a]['event'] == docs[b]['event']]
        found = sum(1 for a, b in pairs
                    if (rel.get(frozenset((a, b))) or {}).get('relation') in STORY)
        sp, sr, sf = bcubed({x: gold[x] for x in sub}, {x: pred[x] for x in sub})
        print('  set %s: %d reports, same-event pairs named a story relation %d of %d; B-cubed '
              'precision %.3f recall %.3f F1 %.3f' % (s, len(sub), found, len(pairs), sp, sr, sf))
    for a, b, name, why in joined:
        print('  joined: %s %s %s (%s)' % (a, b, name, why))
    why = collections.Counter(w for _, _, _, w in missed)
    print('  same event missed, by reason: ' + '; '.join('%s %d' % kv for kv in why.most_common()))


TEMPLATES = [('eurobond issues', r'EUROBOND'), ('money market', r'MONEY MARKET'),
             ('hog prices', r'HOGS? '), ('cattle prices', r'CATTLE|FEEDERS'),
             ('export bonus', r'BONUS'), ('debt offerings', r'DEBT OFFER|OFFERING|SHELF')]


def another_event(da, ma, db, mb):
    """Are two template reports surely of other events: another subject (the title's
    words before the template's word: the city of a hog market, the issuer of a
    eurobond) or another day? Two reports of one market on one day ("ST JOSEPH HOGS
    SEEN UP 1.00 DLR", then "... OPEN UP 1.00 DLR") may tell one event."""
    subject = lambda d, m: ' '.join(re.findall(r'[A-Z]+', re.sub(r'<[^>]*>', '', d['title'][:m.start()])))
    day = lambda d: (d.get('date') or '').split(' ')[0]
    return subject(da, ma) != subject(db, mb) or (day(da) and day(db) and day(da) != day(db))


def news(reprint, shared):
    path = os.path.join(shared, 'evaldata', 'news_reuters21578_bbc', 'docs.jsonl')
    docs = {}
    for line in open(path, encoding='utf-8'):
        d = json.loads(line)
        docs[d['id']] = d
    _, tfast = scan(reprint, ['--fast'], path)
    rows, tfull = scan(reprint, ['--stories', os.path.join(tmp, 'nst.jsonl')], path)
    print('== shared news corpus: %d articles' % len(docs))
    print('time: full scan %.2f s, --fast %.2f s (full/fast %.1f)' % (tfull, tfast, tfull / tfast))
    c = collections.Counter(r['relation'] for r in rows)
    print('pairs by relation: ' + ', '.join('%s %d' % kv for kv in c.most_common()))
    print('same-story pairs per document: %.3f' % (c['same-story'] / len(docs)))
    flagged = []
    for name, pat in TEMPLATES:
        t = collections.Counter()
        other = collections.Counter()
        for r in rows:
            da, db = docs[r['a']], docs[r['b']]
            ma = re.search(pat, da.get('title', ''))
            mb = re.search(pat, db.get('title', ''))
            if ma and mb:
                t[r['relation']] += 1
                if another_event(da, ma, db, mb):
                    other[r['relation']] += 1
                    if r['relation'] in STORY:
                        flagged.append((name, r, da, db))
        n = sum(t.values())
        s = sum(v for k, v in t.items() if k in STORY)
        no = sum(other.values())
        so = sum(v for k, v in other.items() if k in STORY)
        print('template %-16s %5d pairs, story relations %4d (%.1f%%); of another subject or day '
              '%5d pairs, story relations %4d (%.1f%%)'
              % (name, n, s, 100.0 * s / n if n else 0, no, so, 100.0 * so / no if no else 0))
    # The story pairs counted against the goal, for a reader: the title heuristic
    # takes one issuer's two wordings ("EASTMAN KODAK CO FILES ..." / "EASTMAN
    # KODAK <EK> FILES ...") for two subjects.
    for name, r, da, db in flagged:
        print('  %s, %s: %s %s | %s | %s' % (name, r['relation'], r['a'], r['b'],
                                           da.get('title', '')[:50], db.get('title', '')[:50]))
    st = [json.loads(l) for l in open(os.path.join(tmp, 'nst.jsonl'), encoding='utf-8')]
    st.sort(key=lambda s: -len(s['members']))
    print('stories: %d; ten largest: %s' % (len(st), ' '.join(str(len(s['members'])) for s in st[:10])))
    for s in st[:10]:
        m = s['members']
        print('  %3d  %s' % (len(m), (docs[m[0]].get('title') or docs[m[0]]['text'][:60]).replace('\n', ' ')[:70]))


if __name__ == '__main__':
    reprint = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else './reprint')
    shared = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else '../shared')
    with tempfile.TemporaryDirectory(prefix='bench_stories.') as tmp:
        semeval(reprint, shared)
        planted(reprint, shared, True)
        planted(reprint, shared, False)
        planted(reprint, shared, False, sourced=False)
        news(reprint, shared)
