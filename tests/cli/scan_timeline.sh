# SPDX-License-Identifier: MIT
# --timeline: with publication dates given as JSONL metadata, the seeds are one
# timeline of three events in date order: the earlier meeting (003, September
# 2024), the story of the meeting (000, 001, 002: first and last of its dates),
# the later meeting (004). Without dates (plain files) the same events, the
# undated ones by first document. --fast names no story: it refuses --timeline.
python3 - "$SEEDS" > seeds.jsonl <<'PY'
import json, os, sys
dates = {"000": "2025-03-21", "001": "2025-03-22T03:10:00Z", "002": "Fri, 21 Mar 2025",
         "003": "2024-09-13", "004": "2025-06-18 09:30"}
for name in sorted(os.listdir(sys.argv[1])):
    if name.endswith(".txt"):
        with open(os.path.join(sys.argv[1], name), encoding="utf-8") as f:
            print(json.dumps({"id": name[:3], "date": dates[name[:3]], "text": f.read()}))
PY
$REPRINT scan -q --timeline timeline.jsonl seeds.jsonl > /dev/null
echo "dated: exit $?"
cat timeline.jsonl
ln -s "$SEEDS" seeds
$REPRINT scan -q --timeline timeline.jsonl seeds/0*.txt > /dev/null
echo "undated: exit $?"
cat timeline.jsonl
$REPRINT scan -q --fast --timeline timeline.jsonl "$SEEDS"
echo "fast: exit $?"
