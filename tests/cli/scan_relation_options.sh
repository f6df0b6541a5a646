# SPDX-License-Identifier: MIT
# The options around relations, on short texts of our own (tests/data/reuse/):
#   --stories FILE and --clusters FILE: ferry_a and ferry_a_copy (spacing and a
#     curly apostrophe) are duplicates, one copies cluster and one story; ferry_b
#     only shares a passage with them (another subject around it), so it joins
#     no story. --clusters writes the copies lines then the story lines, each
#     with its "level"; --stories the story lines only.
#   --all-pairs: orchard.txt shares nothing with the ferry texts; its pairs are
#     printed as "unrelated" (without the option they are not printed at all).
#   --keep-furniture: caption_a and caption_b open with the same photo caption
#     (a furniture "pattern": ends "(Photo: ... via AP)") above different text.
#     By default the caption is furniture, not aligned: no passage, unrelated.
#     With --keep-furniture it is article text: one passage, the caption line.
#   --fast with --passages (or --stories, --show-furniture, --all-pairs) is a
#     usage error: exit 2 and a message, no file written.
cd "$DATA/reuse" || exit 1
out=$OLDPWD
$REPRINT scan --stories "$out/stories.jsonl" --clusters "$out/clusters.jsonl" \
    ferry_a.txt ferry_a_copy.txt ferry_b.txt orchard.txt
echo "scan: exit $?"
cat "$out/clusters.jsonl"
echo "--- stories"
cat "$out/stories.jsonl"
echo "--- --all-pairs"
$REPRINT scan --all-pairs ferry_a.txt ferry_a_copy.txt ferry_b.txt orchard.txt
echo "--- caption: default, then --keep-furniture"
$REPRINT scan --all-pairs --passages "$out/p1.jsonl" caption_a.txt caption_b.txt
cat "$out/p1.jsonl"
$REPRINT scan --keep-furniture --passages "$out/p2.jsonl" caption_a.txt caption_b.txt
cat "$out/p2.jsonl"
echo "--- --fast --passages"
$REPRINT scan --fast --passages "$out/p3.jsonl" ferry_a.txt ferry_b.txt
echo "exit $?"
$REPRINT scan --fast --all-pairs ferry_a.txt ferry_b.txt
echo "exit $?"
cd "$out" || exit 1
ls
