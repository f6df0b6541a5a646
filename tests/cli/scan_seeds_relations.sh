# SPDX-License-Identifier: MIT
# The relation reprint names for each pair of the five seed articles is what a
# careful reader gives (../shared/seeds/README.md): columns a, b (file names) and
# relation of the full scan equal ../shared/seeds/expected.tsv exactly, header
# included. On a difference, the diff (- expected, + got) is printed.
$REPRINT scan -q "$SEEDS"/*.txt > pairs.tsv
echo "scan: exit $?"
awk -F '\t' 'BEGIN { OFS = "\t" }
    { na = split($1, x, "/"); nb = split($2, y, "/"); print x[na], y[nb], $3 }' pairs.tsv > got.tsv
if diff -u "$SEEDS/expected.tsv" got.tsv > diff.txt; then
    echo "relations: same as expected.tsv"
else
    echo "relations differ from expected.tsv:"
    tail -n +3 diff.txt
fi
