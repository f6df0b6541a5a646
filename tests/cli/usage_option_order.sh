# SPDX-License-Identifier: MIT
# An unknown option is reported as unknown (exit 2), even when a value follows it
# or it is the last argument: it never takes the next argument as its value, and a
# known option never takes an unknown one's place.
run() {
    label=$1
    shift
    $REPRINT "$@"
    echo "$label: exit $?"
}
run "scan -q --bogus x" scan -q --bogus x "$DATA/news.jsonl"
run "scan --bogus last" scan "$DATA/news.jsonl" --bogus
run "scan -x4" scan -x4 "$DATA/news.jsonl"
run "dedup --format tsv" dedup --format tsv "$DATA/news.jsonl" -o out.jsonl
run "dedup -o - --bogus" dedup -o - --bogus "$DATA/news.jsonl"
run "scan -o out.jsonl" scan -o out.jsonl "$DATA/news.jsonl"
run "scan --help=yes" scan --help=yes "$DATA/news.jsonl"
run "scan -q4" scan -q4 "$DATA/news.jsonl"
ls
