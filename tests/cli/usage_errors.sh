# SPDX-License-Identifier: MIT
# Option values outside their range, and missing inputs, are usage errors (exit 2),
# with one message each on stderr and nothing on stdout.
run() {
    label=$1
    shift
    $REPRINT "$@"
    echo "$label: exit $?"
}
run "scan, no input" scan
run "--keep newest" scan --keep newest "$DATA/news"
run "--format xml" scan --format xml "$DATA/news"
run "-j 0" scan -j 0 "$DATA/news"
run "--threads=257" scan --threads=257 "$DATA/news"
run "--ngram abc" scan --ngram abc "$DATA/news"
run "--ngram 65" scan --ngram 65 "$DATA/news"
run "--perm 4" scan --perm 4 "$DATA/news"
run "--max-bytes 0" scan --max-bytes 0 "$DATA/news"
run "--sketch exact" scan --sketch exact "$DATA/news"
run "--quiet=yes" scan --quiet=yes "$DATA/news"
run "--id-field=" scan --id-field= "$DATA/news"
run "--threshold at the end" scan "$DATA/news" --threshold
run "dedup, no input" dedup -o out.jsonl
run "- twice" scan - -
ls
