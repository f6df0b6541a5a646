#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench_ceiling.py: how far word evidence can go on the labelled sets, fitted to them.

    /usr/bin/python3 bench/bench_ceiling.py [REPRINT] [SHARED]

Needs Debian's python3-numpy, python3-scipy and python3-sklearn (for this benchmark
only: reprint and its tests do not). REPRINT defaults to ./reprint, SHARED to ../shared.

reprint's rules are chosen on principle and never fitted to labels. This program asks
what a rule fitted to the labels themselves would reach with the same kind of evidence,
so that reprint's figures can be read against a ceiling instead of against a goal alone:

1. The SemEval development half (336 labelled same-language pairs): F1 of plain TF-IDF
   cosine at the threshold that is best on the labels (an oracle), and F1 of logistic
   regressions trained on the labels, scored by 5-fold cross-validation (10 shuffles,
   threshold chosen on the training folds), over (a) TF-IDF cosines of words, character
   n-grams and titles, (b) the quantities reprint prints in its pair rows (event,
   specifics, jaccard, coverage; from `scan --all-pairs`), (c) both. Cross-validation
   measures a fitted rule on pairs it was not fitted to, as the held-out half would.
2. The planted stories (bench/stories, undated, among the development documents, as
   bench_stories.py scans them): B-cubed F1 of average-link clustering on TF-IDF cosine
   at the threshold best on the events (an oracle), the reference the issue quotes for
   the event collection (0.89 there), beside reprint's stories of the same run.
"""
import json
import os
import sys
import tempfile

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

# (bench_stories.py, beside this file: the scan, the story relations, B-cubed)
from bench_stories import STORY, bcubed, scan, stories_of


def cosines(texts, **kw):
    m = TfidfVectorizer(sublinear_tf=True, **kw).fit_transform(texts)
    return lambda i, j: float((m[i] @ m[j].T).toarray()[0, 0])


def cv_f1(x, y, seeds=10):
    """Mean F1 of a logistic regression over 5-fold cross-validation, the decision
    threshold chosen on each training part (never on the pairs scored)."""
    fs = []
    for seed in range(seeds):
        pred = np.zeros(len(y), dtype=bool)
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y):
            m = LogisticRegression(C=10, max_iter=2000).fit(x[tr], y[tr])
            ptr = m.predict_proba(x[tr])[:, 1]
            t = max(np.unique(ptr), key=lambda t: f1_score(y[tr], ptr >= t))
            pred[te] = m.predict_proba(x[te])[:, 1] >= t
        fs.append(f1_score(y, pred))
    return float(np.mean(fs)), float(np.min(fs)), float(np.max(fs))


def semeval(reprint, shared):
    d = os.path.join(shared, 'evaldata', 'semeval_dev')
    docs = [json.loads(l) for l in open(os.path.join(d, 'docs.jsonl'), encoding='utf-8')]
    ix = {x['id']: i for i, x in enumerate(docs)}
    texts = [x['text'] for x in docs]
    word = cosines(texts)
    char = cosines(texts, analyzer='char_wb', ngram_range=(3, 5))
    title = cosines([t.split('\n')[0] for t in texts], analyzer='char_wb', ngram_range=(3, 5))
    rows = {}
    for r in scan(reprint, ['--all-pairs'], os.path.join(d, 'docs.jsonl'))[0]:
        rows[frozenset((r['a'], r['b']))] = r
    xs, ys, mine = [], [], []
    for line in open(os.path.join(d, 'pairs.jsonl'), encoding='utf-8'):
        p = json.loads(line)
        if p['same_story'] is None or p['lang_a'] != p['lang_b']:
            continue
        i, j = ix[p['a']], ix[p['b']]
        r = rows.get(frozenset((p['a'], p['b'])))
        q = [float(r[k]) for k in ('event', 'specifics', 'jaccard')] + \
            [max(float(r['coverage_a']), float(r['coverage_b']))] if r else [0.0] * 4
        xs.append([word(i, j), char(i, j), title(i, j)] + q)
        ys.append(p['same_story'])
        mine.append(bool(r) and r['relation'] in STORY)
    x, y = np.array(xs), np.array(ys)
    print('== SemEval development half: %d labelled pairs (%d same story)' % (len(y), y.sum()))
    print('reprint (no threshold fitted to labels): F1 %.3f' % f1_score(y, mine))
    best = max((f1_score(y, x[:, 0] >= t), t) for t in np.unique(x[:, 0]))
    print('TF-IDF cosine of words, threshold best on the labels (oracle): F1 %.3f at %.3f' % best)
    print('reprint\'s event >= 0.25 alone (the story threshold, without the rules that tell two events '
          'of one kind apart): F1 %.3f' % f1_score(y, x[:, 3] >= 0.25))
    for name, cols in (('TF-IDF cosines (words, character n-grams, titles)', [0, 1, 2]),
                       ('reprint\'s row quantities (event, specifics, jaccard, coverage)', [3, 4, 5, 6]),
                       ('both', list(range(7)))):
        print('logistic regression fitted to the labels, 5-fold cross-validation, %s: '
              'F1 %.3f (shuffles %.3f-%.3f)' % ((name,) + cv_f1(x[:, cols], y)))


def planted(reprint, shared):
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'stories')
    docs, gold = [], {}
    for f in sorted(x for x in os.listdir(here) if x.endswith('.jsonl')):
        for line in open(os.path.join(here, f), encoding='utf-8'):
            p = json.loads(line)
            p.pop('date', None)
            gold[p['id']] = p['event']
            docs.append(p)
    docs += [json.loads(l) for l in open(os.path.join(shared, 'evaldata', 'semeval_dev', 'docs.jsonl'),
                                         encoding='utf-8')]
    with tempfile.TemporaryDirectory(prefix='bench_ceiling.') as tmp:
        path = os.path.join(tmp, 'planted.jsonl')
        with open(path, 'w', encoding='utf-8') as out:
            for p in docs:
                out.write(json.dumps(p) + '\n')
        st = os.path.join(tmp, 'st.jsonl')
        rows = scan(reprint, ['--all-pairs', '--stories', st], path)[0]
        ids = [p['id'] for p in docs]
        mine = stories_of(ids, st)
    topic = {p['id']: p['topic'] for p in docs[:len(gold)]}
    story = other = other_alone = same_alone = 0
    for r in rows:
        a, b = r['a'], r['b']
        if a in gold and b in gold and gold[a] != gold[b] and topic[a] == topic[b]:
            other += r['relation'] in STORY
            other_alone += float(r['event']) >= 0.25
        elif a in gold and b in gold and gold[a] == gold[b]:
            same_alone += float(r['event']) >= 0.25
            story += r['relation'] in STORY
    texts = [(p.get('title', '') + '\n' + p['text']) for p in docs]
    m = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    sim = (m @ m.T).toarray()
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), 'average')
    n = len(gold)
    # B-cubed over the planted reports, each clustering given for every document: a
    # development document in a planted report's cluster counts against its precision
    # (for reprint's stories and the oracle's clusters alike).
    print('== planted stories, undated: %d reports of %d events, among %d development documents'
          % (n, len(set(gold.values())), len(docs) - n))
    print('reprint\'s stories (no threshold fitted to events): B-cubed precision %.3f recall %.3f F1 %.3f'
          % bcubed(gold, mine))
    print('pairs of the other event of a topic named a story relation: reprint %d; event >= 0.25 alone '
          '%d (same-event pairs: reprint %d, event alone %d)' % (other, other_alone, story, same_alone))
    best = None
    for t in np.arange(0.05, 0.60, 0.0125):
        lab = fcluster(tree, 1.0 - t, 'distance')
        bp, br, f = bcubed(gold, {ids[i]: lab[i] for i in range(len(ids))})
        if best is None or f > best[0]:
            best = (f, bp, br, t)
    print('average link on TF-IDF cosine, threshold best on the events (oracle): B-cubed precision %.3f '
          'recall %.3f F1 %.3f at %.3f' % (best[1], best[2], best[0], best[3]))


if __name__ == '__main__':
    reprint = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else './reprint')
    shared = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else '../shared')
    semeval(reprint, shared)
    planted(reprint, shared)
