# SPDX-License-Identifier: MIT
# --max-bytes N: a JSONL line or a plain file of N bytes is accepted, N + 1 bytes are
# bad input (exit 1) naming the file and line; the lines after a long one are read
# correctly (--skip-bad), and dedup leaves no output.
words() { # $1 bytes of text: "word word ... "
    yes 'word' | tr '\n' ' ' | head -c "$1"
}
{
    printf '{"id": "short", "text": "A small record before the long one."}\n'
    printf '{"id": "long", "text": "'; words 1000; printf '"}\n'
    printf '{"id": "after", "text": "A small record before the long one!"}\n'
} > long.jsonl
awk 'NR == 2 { print length($0) }' long.jsonl
$REPRINT scan --max-bytes 1026 long.jsonl > /dev/null
echo "scan 1026: exit $?"
$REPRINT scan --max-bytes 1025 long.jsonl
echo "scan 1025: exit $?"
$REPRINT scan --max-bytes 1000 --skip-bad long.jsonl
echo "scan 1000 --skip-bad: exit $?"
$REPRINT dedup --max-bytes 1000 long.jsonl -o out.jsonl
echo "dedup: exit $?"
words 2000 > long.txt
$REPRINT scan --max-bytes 2000 long.txt > /dev/null
echo "scan plain 2000: exit $?"
$REPRINT scan --max-bytes 1999 long.txt
echo "scan plain 1999: exit $?"
ls
