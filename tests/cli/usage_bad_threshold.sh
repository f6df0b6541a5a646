# SPDX-License-Identifier: MIT
# --threshold must be a number in (0, 1]; anything else is a usage error (exit 2).
for t in 1.5 0 -0.2 abc 0.8x nan ''; do
    $REPRINT scan --threshold "$t" "$DATA/news"
    echo "--threshold '$t': exit $?"
done
$REPRINT scan --threshold=2 "$DATA/news"
echo "--threshold=2: exit $?"
# The bounds themselves: 1 is allowed (with --fast: only duplicates and identical
# shingle sets; the full scan names the other related pairs from their passages).
$REPRINT scan --fast --threshold 1 "$DATA/news"
echo "--threshold 1 --fast: exit $?"
$REPRINT scan --threshold 1 "$DATA/news"
echo "--threshold 1: exit $?"
