# SPDX-License-Identifier: MIT
# One group of exact duplicates spanning every rank: 2,500 copies of one text
# (more than the 1,000 beyond which scan lists each member's pair with the
# preferred member only); copy 1777 is the longest (a double space), so the
# preferred member lies on a later rank. scan --fast and dedup under
# reprint-mpi write what reprint writes.
. "$DATA/../cli/mpi_lib.inc"
awk 'BEGIN {
    t = "The council approved the harbour bridge repairs on Monday, and work starts in May."
    for (i = 1; i <= 2500; i++) {
        s = t
        if (i == 1777) sub(/bridge /, "bridge  ", s)
        printf "{\"id\": \"c%04d\", \"text\": \"%s\"}\n", i, s
    }
}' > group.jsonl
gen_docs 50 >> group.jsonl
echo "scan --fast:"
same_as_reprint "1 2 3 5" "clusters.jsonl" scan --fast --clusters clusters.jsonl ../group.jsonl
ref_summary clusters.jsonl
echo "dedup:"
same_as_reprint "1 2 3 5" "out.jsonl removed.jsonl" dedup -o out.jsonl --removed removed.jsonl \
    ../group.jsonl
ref_summary out.jsonl removed.jsonl
