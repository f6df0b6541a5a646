# SPDX-License-Identifier: MIT
# A text field that is not a string, or an id that is neither a string nor an
# integer (or is empty), is bad input (exit 1) naming file, line and field.
cp "$DATA/bad/textnotstring.jsonl" .
$REPRINT scan textnotstring.jsonl
echo "scan: exit $?"
$REPRINT dedup textnotstring.jsonl -o out.jsonl
echo "dedup: exit $?"
for rec in '{"id": "t-2", "text": null}' '{"id": "t-3", "text": ["a", "b"]}' \
    '{"id": "t-4", "text": {"body": "x"}}' '{"id": "t-5", "text": true}' \
    '{"id": "t-6", "text": 2.5}' '{"id": true, "text": "An id that is a boolean."}' \
    '{"id": 1.5, "text": "An id that is a real number."}' '{"id": "", "text": "An empty id."}'; do
    printf '%s\n' "$rec" > one.jsonl
    $REPRINT scan one.jsonl
    echo "exit $?"
done
rm one.jsonl
ls
