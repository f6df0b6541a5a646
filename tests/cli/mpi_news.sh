# SPDX-License-Identifier: MIT
# 3,000 news articles in one JSONL file, which the ranks divide by byte ranges:
# reprint-mpi on 1, 2, 3 and 5 ranks writes what reprint writes for scan --fast
# with --clusters, and for dedup -o with --removed; dedup again with --memory
# 4M, where rank 0 keeps the other ranks' records in its record store, mapped
# (the fast path stores them past a 16th of --memory). Then the pairwise exchange
# (the path of parts past 2 GiB) in 4 KiB messages, forced by a test hook of
# cli/mpi.c, on 3 ranks.
. "$DATA/../cli/mpi_lib.inc"
head -n 3000 "$EVAL/news_reuters21578_bbc/docs.jsonl" > news.jsonl
echo "scan --fast:"
same_as_reprint "1 2 3 5" "clusters.jsonl" scan --fast --clusters clusters.jsonl ../news.jsonl
ref_summary clusters.jsonl
echo "dedup:"
same_as_reprint "1 2 3 5" "out.jsonl removed.tsv" dedup -o out.jsonl --removed removed.tsv ../news.jsonl
ref_summary out.jsonl removed.tsv
echo "dedup, --memory 4M (rank 0's records in the record store):"
same_as_reprint "2 3" "out.jsonl removed.tsv" dedup --memory 4M -o out.jsonl --removed removed.tsv \
    ../news.jsonl
echo "dedup, pairwise exchange in 4 KiB messages:"
export REPRINT_MPI_TEST_CHUNK=4096
MPI_ENV=REPRINT_MPI_TEST_CHUNK # read by mpi() in mpi_lib.inc
same_as_reprint "3" "out.jsonl removed.tsv" dedup -o out.jsonl --removed removed.tsv ../news.jsonl
