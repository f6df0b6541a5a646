# SPDX-License-Identifier: MIT
# Ranks that see different inputs (a file missing on one host, in MPI's
# MPMD form "-np 1 A : -np 1 B"): every rank ends, none waits for ever, and
# rank 0 says why; with --skip-bad the run is refused too, since the ranks
# would divide different inputs.
. "$DATA/../cli/mpi_lib.inc"
head -n 50 "$EVAL/news_reuters21578_bbc/docs.jsonl" > a.jsonl
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 60 \
    mpirun --quiet --oversubscribe --mca odls_base_sigkill_timeout 0 \
    -np 1 $REPRINT_MPI scan --fast a.jsonl : -np 1 $REPRINT_MPI scan --fast a.jsonl missing.jsonl
echo "exit $?"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 60 \
    mpirun --quiet --oversubscribe --mca odls_base_sigkill_timeout 0 \
    -np 1 $REPRINT_MPI scan --fast --skip-bad a.jsonl : \
    -np 1 $REPRINT_MPI scan --fast --skip-bad a.jsonl missing.jsonl
echo "exit $?"
