# SPDX-License-Identifier: MIT
# A JSON line without the text field (or the id field) is bad input (exit 1), naming
# the file, line and field; dedup leaves no output.
cp "$DATA/bad/notext.jsonl" .
$REPRINT scan notext.jsonl
echo "scan: exit $?"
$REPRINT dedup notext.jsonl -o out.jsonl
echo "dedup: exit $?"
# With --text-field body, line 1 lacks the field instead.
$REPRINT scan --text-field body notext.jsonl
echo "scan --text-field body: exit $?"
printf '{"text": "A record without an id."}\n' > noid.jsonl
$REPRINT scan noid.jsonl
echo "scan no id: exit $?"
ls
