# SPDX-License-Identifier: MIT
# The report in headless Chromium: tests/browser/report_test.py renders the report of
# the five seed articles and of tests/data/report/evil.jsonl, checks the DOM after
# the page's script ran (every seed id shown; the 001/002 passages highlighted on
# both sides; the 000/001 troop figures marked; furniture greyed; hostile text shown
# literally, the page title unchanged, no injected element) and saves screenshots in
# build/ (report-seeds.png, report-seeds-pair.png, report-seeds-narrow.png). It prints
# nothing when every check passes, each failure otherwise; without Chromium it says
# so on stderr and passes (skipped). The seeds with publication dates (JSONL) show
# their timeline on a time axis.
$REPRINT scan -q --html seeds.html "$SEEDS"/*.txt > /dev/null
echo "scan seeds: exit $?"
$REPRINT scan -q --html evil.html "$DATA/report/evil.jsonl" > /dev/null
echo "scan evil: exit $?"
python3 - "$SEEDS" > dated.jsonl <<'PY'
import json, os, sys
dates = {"000": "2025-03-21", "001": "2025-03-22", "002": "2025-03-21", "003": "2024-09-13",
         "004": "2025-06-18"}
for name in sorted(os.listdir(sys.argv[1])):
    if name.endswith(".txt"):
        with open(os.path.join(sys.argv[1], name), encoding="utf-8") as f:
            print(json.dumps({"id": name, "date": dates[name[:3]], "text": f.read()}))
PY
$REPRINT scan -q --html dated.html dated.jsonl > /dev/null
echo "scan dated seeds: exit $?"
ROOT=$(cd "$DATA/../.." && pwd)
mkdir -p "$ROOT/build"
python3 "$ROOT/tests/browser/report_test.py" seeds.html evil.html "$ROOT/build" dated.html
echo "browser checks: exit $?"
