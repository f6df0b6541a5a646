# SPDX-License-Identifier: MIT
# An unknown option is a usage error (exit 2), for scan and for dedup; nothing on stdout.
$REPRINT scan --frobnicate "$DATA/news"
echo "scan: exit $?"
$REPRINT dedup --frobnicate=3 "$DATA/news" -o out.jsonl
echo "dedup: exit $?"
# scan does not take dedup's options.
$REPRINT scan --removed removed.jsonl "$DATA/news"
echo "scan --removed: exit $?"
ls
