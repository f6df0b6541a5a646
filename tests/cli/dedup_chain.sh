# SPDX-License-Identifier: MIT
# No chaining: race-a ~ race-b (J 0.8585) and race-b ~ race-c (J 0.8543), but
# race-a and race-c are not near-duplicates (J 0.7318: scan names them a reprint,
# one aligned passage covering both texts, which is not a copy: dedup never
# removes a document for a reprint). All three are one copies cluster and one
# story cluster in --clusters. Keeping the first keeps
# race-a and race-c (race-c's only near-duplicate, race-b, is removed); keeping
# the longest (race-b) removes both others in its favour.
$REPRINT scan --clusters clusters.jsonl "$DATA/chain.jsonl"
cat clusters.jsonl
$REPRINT dedup --keep first --removed first.removed "$DATA/chain.jsonl" -o first.jsonl
cut -c 1-20 first.jsonl
cat first.removed
$REPRINT dedup --keep longest --removed longest.removed "$DATA/chain.jsonl" -o longest.jsonl
cut -c 1-20 longest.jsonl
cat longest.removed
