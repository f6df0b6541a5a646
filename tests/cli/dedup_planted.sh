# SPDX-License-Identifier: MIT
# dedup on a corpus with planted copies (bench/gencorpus, seeded, from the real
# news in $EVAL) removes exactly the planted copies that are near-duplicates:
# every exact and cosmetic copy (and copy of one) goes, and nothing that was
# not planted as a copy goes. Edited copies go when their exact Jaccard with a
# kept document reaches 0.8; python3 recomputes each removal's Jaccard from the
# texts with its own word 5-gram shingles.
GEN="$DATA/../../build/bench/gencorpus"
"$GEN" -n 3000 -p 0.1 -s 7 -t truth.tsv "$EVAL/news_reuters21578_bbc/docs.jsonl" > corpus.jsonl
$REPRINT dedup -q --keep first --removed removed.jsonl corpus.jsonl -o kept.jsonl
echo "exit $?"
python3 - <<'PY'
import json, re, unicodedata
docs = {}
for l in open("corpus.jsonl"):
    d = json.loads(l); docs[d["id"]] = d["text"]
kind, orig = {}, {}
for l in open("truth.tsv").read().splitlines()[1:]:
    a, b, k = l.split("\t"); kind[b] = k; orig[b] = a
removed = [json.loads(l) for l in open("removed.jsonl")]
kept = {json.loads(l)["id"] for l in open("kept.jsonl")}
def sh(t):
    w = re.findall(r"\w+", unicodedata.normalize("NFKC", t).casefold().replace("_", " "))
    return {" ".join(w[i:i + 5]) for i in range(max(1, len(w) - 4))}
bad = 0
for r in removed:
    a, b = sh(docs[r["id"]]), sh(docs[r["kept"]])
    j = len(a & b) / len(a | b)
    if r["id"] not in kind or r["kept"] not in kept or abs(j - r["jaccard"]) > 1e-4 or j < 0.8:
        bad += 1
        print("wrong removal:", r)
gone = {r["id"] for r in removed}
missed = [b for b in kind if kind[b] in ("exact", "cosmetic") and b not in gone]
print("documents", len(docs), "planted copies", len(kind), "removed", len(removed))
print("removals not planted, not near-duplicates, or with a wrong Jaccard:", bad)
print("exact or cosmetic copies not removed:", len(missed))
print("kept + removed == documents:", len(kept) + len(removed) == len(docs))
PY
