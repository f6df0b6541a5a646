# SPDX-License-Identifier: MIT
# --clusters FILE: one JSONL line per cluster (id, level, members in input order,
# representative): first the copies clusters (duplicates and near-duplicates;
# representative chosen by --keep, default longest), then the story clusters
# (copies, reprints and same-story pairs joined; representative the most
# complete text whatever --keep says, so it does not change below). The farm
# pair (J 0.7678, a reprint) is a story but not a copies cluster at the default
# threshold. The pairs still go to stdout.
$REPRINT scan --clusters clusters.jsonl "$DATA/news.jsonl" > pairs.tsv
echo "exit $?"
wc -l < pairs.tsv
cat clusters.jsonl
$REPRINT scan --keep first --clusters first.jsonl "$DATA/news.jsonl" > /dev/null
cat first.jsonl
$REPRINT scan --keep earliest --clusters earliest.jsonl "$DATA/news.jsonl" > /dev/null
cat earliest.jsonl
# With the farm pair above the threshold, it is a copies cluster too.
$REPRINT scan --threshold 0.75 --clusters low.jsonl "$DATA/news" > /dev/null
cat low.jsonl
ls
