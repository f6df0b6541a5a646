# SPDX-License-Identifier: MIT
# A rank that dies in the middle of a run (a test hook of cli/mpi.c: rank 1
# calls abort() at its first transport call, or after N of them): mpirun ends
# the whole job, exits non-zero well within the time limit, and leaves no
# output file behind (nor a temporary one), in dedup and in the default scan.
head -n 3000 "$EVAL/news_reuters21578_bbc/docs.jsonl" > news.jsonl
export REPRINT_MPI_TEST_DIE_RANK=1 REPRINT_MPI_TEST_DIE_AFTER=0

# killed LABEL NP ARGS...: reprint-mpi ARGS on NP ranks; one line: its exit, what is left.
killed() {
    label=$1
    np=$2
    shift 2
    rm -f stdout stderr
    timeout 60 mpirun --quiet --oversubscribe -np "$np" -x REPRINT_MPI_TEST_DIE_RANK \
        -x REPRINT_MPI_TEST_DIE_AFTER $REPRINT_MPI "$@" > stdout 2> stderr
    case $? in
        0) what="0: THE DEATH WENT UNNOTICED" ;;
        124) what="124: HUNG (ended by timeout)" ;;
        *) what="non-zero" ;;
    esac
    left=
    for f in *; do
        case $f in news.jsonl | stdout | stderr) ;; *) left="$left $f" ;; esac
    done
    echo "$label: exit $what; stdout $(wc -c < stdout) bytes; left behind:${left:- nothing}"
}

for np in 2 3; do
    killed "np $np" $np dedup -o out.jsonl --removed removed.jsonl news.jsonl
done
# The default scan: rank 1 dies after 100 transport calls, past the copies
# (the fast path of this input makes 61-70: its band keys go in one round),
# in passes 2 and 3 (which end past 130).
REPRINT_MPI_TEST_DIE_AFTER=100
for np in 2 3; do
    killed "default scan, np $np" $np scan --passages passages.jsonl --stories stories.jsonl news.jsonl
done
