# SPDX-License-Identifier: MIT
# The short options -n (--ngram), -t (--threshold), -j (--threads), -q (--quiet) and
# -o (--output) are listed in the help of both commands, and do what the long ones do.
$REPRINT scan --help | grep -e '-n, --ngram' -e '-t, --threshold' -e '-j, --threads' \
    -e '-q, --quiet'
$REPRINT dedup --help | grep -e '-n, --ngram' -e '-t, --threshold' -e '-o, --output'
$REPRINT scan -n 3 -t 0.75 -j 1 "$DATA/news.jsonl" > short.tsv
$REPRINT scan --ngram 3 --threshold 0.75 --threads 1 "$DATA/news.jsonl" > long.tsv
cmp short.tsv long.tsv && echo "scan -n 3 -t 0.75 = --ngram 3 --threshold 0.75"
cat short.tsv
$REPRINT dedup -q -n4 -t0.95 "$DATA/news.jsonl" -o short.jsonl
$REPRINT dedup -q --ngram=4 --threshold=0.95 "$DATA/news.jsonl" --output long.jsonl
cmp short.jsonl long.jsonl && echo "dedup -n4 -t0.95 = --ngram=4 --threshold=0.95"
wc -l < short.jsonl
