# SPDX-License-Identifier: MIT
# Rank 0's record store: in the default scan rank 0 keeps the records of the
# other ranks' documents in a temporary file through passes 2 and 3. When it
# cannot be written (a file size limit on rank 0, as a full disk would do;
# with --memory 64M nothing else of this input goes to disk), every rank ends
# with exit code 3 (I/O error) and rank 0's message names the store and the
# directory, and no output file is left; without the limit the same run
# writes what reprint writes. The store is unlinked at once either way.
# Then rank 0 reads 3,000 articles and rank 1 five (--local-inputs): the other
# rank's records and strings all lie in the last page of rank 0's own, so no
# page of the store is mapped, only those bytes kept aside; the same output.
. "$DATA/../cli/mpi_lib.inc"
head -n 3000 "$EVAL/news_reuters21578_bbc/docs.jsonl" > docs.jsonl
mkdir tmp
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" timeout 120 \
    mpirun --quiet --oversubscribe --mca odls_base_sigkill_timeout 0 \
    -np 1 sh -c "trap '' XFSZ; ulimit -f 100; TMPDIR=tmp exec $REPRINT_MPI scan -q --memory 64M --passages p.jsonl docs.jsonl" : \
    -np 1 env TMPDIR=tmp $REPRINT_MPI scan -q --memory 64M --passages p.jsonl docs.jsonl > out.tsv
echo "limited: exit $?; stdout $(wc -c < out.tsv | tr -d ' ') bytes; passages file: $(ls p.jsonl 2>/dev/null || echo none)"
TMPDIR=$PWD/tmp
export TMPDIR
MPI_ENV=TMPDIR
same_as_reprint "2 3" "p.jsonl" scan -q --memory 64M --passages p.jsonl "$PWD/docs.jsonl"
ref_summary p.jsonl
ls tmp | wc -l | tr -d ' '
sed -n 3001,3005p "$EVAL/news_reuters21578_bbc/docs.jsonl" > five.jsonl
mkdir five h0 h1
(cd five && $REPRINT scan -q --passages p.jsonl ../docs.jsonl ../five.jsonl > stdout 2> stderr)
mpmd "h0 scan -q --local-inputs --passages p.jsonl ../docs.jsonl" "h1 scan -q --local-inputs ../five.jsonl" \
    > h0/stdout 2> h0/stderr
echo "five on rank 1: exit $?"
echo "reprint: $(wc -l < five/stdout | tr -d " ") rows, $(wc -l < five/p.jsonl | tr -d " ") passages"
for f in stdout stderr p.jsonl; do cmp -s "five/$f" "h0/$f" && echo "$f: same"; done
