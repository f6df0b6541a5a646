# SPDX-License-Identifier: MIT
# --clusters FILE: one JSONL line per cluster (id, members in input order,
# representative chosen by --keep, default longest). The pairs still go to stdout.
$REPRINT scan --clusters clusters.jsonl "$DATA/news.jsonl" > pairs.tsv
echo "exit $?"
wc -l < pairs.tsv
cat clusters.jsonl
$REPRINT scan --keep first --clusters first.jsonl "$DATA/news.jsonl" > /dev/null
cat first.jsonl
$REPRINT scan --keep earliest --clusters earliest.jsonl "$DATA/news.jsonl" > /dev/null
cat earliest.jsonl
# With the farm pair above the threshold, it is a cluster too.
$REPRINT scan --threshold 0.75 --clusters low.jsonl "$DATA/news" > /dev/null
cat low.jsonl
ls
