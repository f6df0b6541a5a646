# SPDX-License-Identifier: MIT
# Output that cannot be written is an I/O error (exit 3) naming the file, and no
# output file is left behind, not even the ones that could be written (-o is only
# renamed into place once --removed and --clusters are complete too).
# Write errors name the output that failed.
$REPRINT dedup "$DATA/news.jsonl" -o no-such-dir/out.jsonl
echo "dedup -o: exit $?"
$REPRINT dedup --removed no-such-dir/removed.jsonl "$DATA/news.jsonl" -o out.jsonl
echo "dedup --removed: exit $?"
$REPRINT dedup --clusters no-such-dir/c.jsonl --removed removed.jsonl "$DATA/news.jsonl" -o out.jsonl
echo "dedup --clusters: exit $?"
$REPRINT scan --clusters no-such-dir/c.jsonl "$DATA/news.jsonl"
echo "scan --clusters: exit $?"
mkdir taken
$REPRINT dedup "$DATA/news.jsonl" -o taken
echo "dedup -o folder: exit $?"
ls taken
# A full device (Linux /dev/full) as standard output or as an output file, which
# is written in place (a device is never renamed over).
$REPRINT scan "$DATA/news.jsonl" > /dev/full
echo "scan > /dev/full: exit $?"
$REPRINT dedup "$DATA/news.jsonl" -o - > /dev/full
echo "dedup -o - > /dev/full: exit $?"
$REPRINT dedup "$DATA/news.jsonl" -o /dev/full
echo "dedup -o /dev/full: exit $?"
$REPRINT dedup --removed /dev/full "$DATA/news.jsonl" -o out.jsonl
echo "dedup --removed /dev/full: exit $?"
ls
