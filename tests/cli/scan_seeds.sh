# SPDX-License-Identifier: MIT
# The five seed articles are not copies of one another: the fast path (--fast,
# shingle Jaccard at 0.8) prints only the header. The full scan names every pair
# (../shared/seeds/README.md explains what a careful reader sees; the case
# scan_seeds_relations checks the relation column against expected.tsv): 001-002
# a reprint, 000 with 001 and 002 the same story, 004 shares background passages
# with 001 and 002, the rest the same topic. Directories are stripped from the ids.
$REPRINT scan --fast "$SEEDS"/*.txt
echo "--fast: exit $?"
$REPRINT scan "$SEEDS"/*.txt | sed "s|$SEEDS/||g"
