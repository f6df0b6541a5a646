# SPDX-License-Identifier: MIT
# One host unlike the others, in MPI's MPMD form "-np 1 A : -np 1 B": a file
# missing there, or a full disk there (a file size limit on rank 1's
# temporary store, with nothing kept in memory). Every rank ends, none waits
# for ever, and rank 0 says why, naming the rank; with --skip-bad the run
# is refused too, since the ranks would divide different inputs.
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
mkdir tmp
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 60 \
    mpirun --quiet --oversubscribe --mca odls_base_sigkill_timeout 0 \
    -np 1 env TMPDIR=tmp $REPRINT_MPI scan --fast --memory 0 a.jsonl : \
    -np 1 sh -c "trap '' XFSZ; ulimit -f 1; TMPDIR=tmp exec $REPRINT_MPI scan --fast --memory 0 a.jsonl"
echo "exit $?"
ls tmp | wc -l | tr -d ' '
