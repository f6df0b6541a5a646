# SPDX-License-Identifier: MIT
# The project's own examples: two outlets' independent write-ups of one
# earthquake (no sentence in common; the same town, councillor, magnitude, toll
# and day) are same-story, and another earthquake (another place, day and
# figures) is same-topic with the first, not a story. The ferry wire story and
# the local paper carrying two of its paragraphs are same-story; the follow-up
# reusing background shares passages. Stories: the ferry report, the bridge
# copies, the earthquake; the upland quake is in none.
cd "$DATA/../../examples" || exit 9
$REPRINT scan -q --stories stories.jsonl . | cut -f 1-3,7,10
echo "scan: exit $?"
cat stories.jsonl
rm -f stories.jsonl
