# SPDX-License-Identifier: MIT
# A pipe that delivers its first bytes one read at a time: compression, the
# byte order mark and "standard input is JSONL" are still recognised, and
# dedup's second read (from the copy) sees the same records as the first.
gzip -c "$DATA/news.jsonl" > n.gz
(head -c 1 n.gz; sleep 0.3; tail -c +2 n.gz) | $REPRINT scan -q - | head -n 3
(printf '\n'; sleep 0.3; printf ' \n{"id":"a","text":"one two three"}\n{"id":"b","text":"One two, three!"}\n') |
    $REPRINT dedup - -o -
echo "exit $?"
(printf '\357'; sleep 0.3; printf '\273\277{"id":"a","text":"x y"}\n') | $REPRINT dedup - -o -
echo "exit $?"
