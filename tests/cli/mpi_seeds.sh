# SPDX-License-Identifier: MIT
# reprint-mpi on 1, 2, 3 and 5 ranks writes what reprint writes (stdout,
# stderr, exit code, every output file) for the seed articles, plain files
# divided among the ranks whole: scan --fast (none is a copy of another: the
# header only), the same at a low threshold (some pairs), and dedup with -o and
# --removed.
. "$DATA/../cli/mpi_lib.inc"
echo "scan --fast:"
same_as_reprint "1 2 3 5" "" scan --fast "$SEEDS"/*.txt
ref_summary
echo "scan --fast --threshold 0.1:"
same_as_reprint "1 2 3 5" "" scan --fast --threshold 0.1 "$SEEDS"/*.txt
ref_summary
echo "dedup:"
same_as_reprint "1 2 3 5" "out.jsonl removed.jsonl" \
    dedup --threshold 0.1 -o out.jsonl --removed removed.jsonl "$SEEDS"/*.txt
ref_summary out.jsonl removed.jsonl
