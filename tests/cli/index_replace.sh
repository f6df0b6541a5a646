# SPDX-License-Identifier: MIT
# --replace takes a document out of its copy cluster and its story and puts the new
# one where it belongs: B, a near-copy of A, is left in a cluster and story of its
# own (numbered by B) when A is replaced by an unrelated text, and joined again
# when A comes back; the index holds no pair of the old A. A document as long as
# --max-bytes is added, and stays a candidate of later adds under that limit (the
# index reads stored documents back without it).
python3 - <<'PY'
import json
t = ("The harbour board of Port Ellis approved the new ferry timetable on Monday after a long "
     "meeting. Ferries will leave every forty minutes from the north pier, the chair Maria "
     "Okafor said. The old timetable had boats every hour. Residents had asked for more "
     "crossings for years.")
open("a.jsonl", "w").write(json.dumps({"id": "A", "text": t}) + "\n")
open("b.jsonl", "w").write(json.dumps({"id": "B", "text": t + " The board met again."}) + "\n")
open("a2.jsonl", "w").write(json.dumps({"id": "A", "text": "A note about the library opening "
     "hours on Sundays, which the council extended to six in the evening."}) + "\n")
long = " ".join("Word%d of a long report on the harbour and its ferries." % i for i in range(200))
open("long.txt", "w").write(long)
open("long2.txt", "w").write(long + " Updated.")
PY
show() { sqlite3 -separator ' ' r.db "SELECT id, cluster, story FROM docs ORDER BY doc" | tr '\n' ';'; echo " pairs: $(sqlite3 r.db 'SELECT count(*) FROM relations')"; }
$REPRINT index create r.db
$REPRINT index add r.db a.jsonl b.jsonl > /dev/null
echo "A then B: $(show)"
$REPRINT index add --replace r.db a2.jsonl > /dev/null
echo "A replaced by another text: $(show)"
$REPRINT index add --replace r.db a.jsonl > /dev/null
echo "A back: $(show)"
n=$(wc -c < long.txt)
$REPRINT index add --max-bytes "$n" r.db long.txt > /dev/null
echo "a document of exactly --max-bytes: exit $?"
$REPRINT index add --max-bytes "$((n + 9))" r.db long2.txt | cut -f 2
echo "a later add under that limit, with it as a candidate: exit $?"
