# SPDX-License-Identifier: MIT
# The memory budget changes where things are kept, never the results: every
# output (pairs, passages, differences, clusters, furniture) is byte-identical
# when everything stays in memory (--memory 1G), when nothing does (--memory
# 0: shingles and texts go to temporary files, and every document's features
# are computed again for each pair that needs them) and when the budget runs
# out midway (--memory 12M: after what the run holds anyway, 3 of the shingle
# store's 1 MiB blocks and the features of about 1,800 of the 4,000
# documents), for 1, 2 and 7 threads. On the first 4,000 articles of the
# Reuters + BBC evaluation set.
ln -s "$EVAL" eval
head -n 4000 eval/news_reuters21578_bbc/docs.jsonl > docs.jsonl
run() {
    name=$1
    shift
    $REPRINT scan -q --show-furniture --passages "$name.passages" --differences "$name.diff" \
        --clusters "$name.clusters" "$@" docs.jsonl > "$name.tsv" 2> "$name.err" ||
        echo "$name: exit $?"
}
run big -j 2 --memory 1G
run none -j 1 --memory 0
run part -j 7 --memory 12M
run part2 -j 2 --memory 12M
for r in none part part2; do
    same=yes
    for f in tsv passages diff clusters err; do
        cmp -s big.$f $r.$f || same="no ($f differs)"
    done
    echo "$r: same as big: $same"
done
echo "rows: $(($(wc -l < big.tsv) - 1))"
echo "passages: $(wc -l < big.passages)"
cut -f 3 big.tsv | sort | uniq -c | sed 's/^ *//'
$REPRINT scan -q --memory 1.5G docs.jsonl
echo "bad size: exit $?"
$REPRINT scan -q --memory +5M docs.jsonl
echo "bad size: exit $?"
