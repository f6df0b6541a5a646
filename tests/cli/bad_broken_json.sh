# SPDX-License-Identifier: MIT
# A line that is not JSON, or not a JSON object, is bad input (exit 1) naming the
# file and line; nothing after it is read and dedup leaves no output.
cp "$DATA/bad/broken.jsonl" "$DATA/bad/notobject.jsonl" .
$REPRINT scan broken.jsonl
echo "scan: exit $?"
$REPRINT dedup --removed removed.jsonl broken.jsonl -o out.jsonl
echo "dedup: exit $?"
$REPRINT scan notobject.jsonl
echo "scan array: exit $?"
ls
