# SPDX-License-Identifier: MIT
# reprint-mpi on 1, 2, 3 and 5 ranks writes what reprint writes for the
# repository's examples/ (a folder, read recursively): scan --fast with
# --clusters (the clusters of copies).
. "$DATA/../cli/mpi_lib.inc"
same_as_reprint "1 2 3 5" "clusters.jsonl" scan --fast --clusters clusters.jsonl "$DATA/../../examples"
ref_summary clusters.jsonl
