#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/bench_mpi.sh -- reprint-mpi against one process, side by side in one
# run (issue 13), on this machine:
#
#     sh bench/bench_mpi.sh [-d] [RUNS] CORPUS.jsonl
#
# (-d: the default scan, goal at least 1.5; else scan --fast)
#
# 1. Whole processes, best of RUNS (default 3), alternating: `reprint scan
#    --fast -j 1` and `mpirun -np N reprint-mpi scan --fast -j 1` for N = 1, 2
#    (one worker thread a rank; start-up of mpirun and the ranks counts), with
#    Open MPI's default placement (up to 2 ranks, each bound to one core: a
#    rank's reader thread and worker then share it) and with --bind-to none
#    (they may overlap on both cores, as in one process of reprint); the
#    ratio 1 rank / 2 ranks of each (goal: at least 1.6), and peak memory.
# 2. build/bench/bench_mpi on 1, 2, 4 and 8 ranks (--bind-to none;
#    oversubscribed past 2 on a 2-core machine): each rank's time per phase
#    and the bytes each exchange sends per document. Never a test: timings
#    depend on the machine's load.
set -eu
RUNS=3
FAST=--fast
GOAL=1.6
DFLAG=
if [ "${1:-}" = -d ]; then
    FAST=
    GOAL=1.5
    DFLAG=-d
    shift
fi
if [ $# -eq 2 ]; then
    RUNS=$1
    shift
fi
if [ $# -ne 1 ]; then
    echo "usage: sh bench/bench_mpi.sh [-d] [RUNS] CORPUS.jsonl" >&2
    exit 2
fi
CORPUS=$1
[ -x ./reprint ] && [ -x ./reprint-mpi ] && [ -x build/bench/bench_mpi ] || {
    echo "bench_mpi.sh: run make, make mpi and make bench first" >&2
    exit 2
}
if [ "$(id -u)" = 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
MPIRUN="mpirun --oversubscribe --quiet"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# best NAME: the least wall time and the largest peak (KB) recorded for NAME
best() {
    sort -n "$TMP/$1" | head -n 1
}
timed() {
    name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$TMP/t" "$@" > "$TMP/out.$name" 2>/dev/null
    cat "$TMP/t" >> "$TMP/$name"
}
echo "$CORPUS: $(wc -l < "$CORPUS") lines, $(($(wc -c < "$CORPUS") / 1000000)) MB;" \
    "best of $RUNS, alternating"
i=0
while [ $i -lt "$RUNS" ]; do
    timed one ./reprint scan -q $FAST -j 1 "$CORPUS"
    for b in core none; do
        timed "np1$b" $MPIRUN --bind-to $b -np 1 ./reprint-mpi scan -q $FAST -j 1 "$CORPUS"
        timed "np2$b" $MPIRUN --bind-to $b -np 2 ./reprint-mpi scan -q $FAST -j 1 "$CORPUS"
    done
    i=$((i + 1))
done
cmp -s "$TMP/out.one" "$TMP/out.np2none" && same=same || same=DIFFERENT
set -- $(best one)
one=$1
echo "  reprint scan ${FAST:-(default)} -j 1                  $1 s  peak $(($2 / 1024)) MB"
for b in core none; do
    set -- $(best "np1$b")
    np1=$1
    echo "  reprint-mpi, 1 rank, --bind-to $b    $1 s  peak $(($2 / 1024)) MB a rank"
    set -- $(best "np2$b")
    np2=$1
    echo "  reprint-mpi, 2 ranks, --bind-to $b   $1 s  peak $(($2 / 1024)) MB a rank"
    awk -v a="$np1" -v b="$np2" -v o="$one" -v m="$b" -v g="$GOAL" 'BEGIN {
        printf "    --bind-to %s: 2 ranks over 1: %.2f (goal >= %s); over one process: %.2f\n",
            m, a / b, g, o / b }'
done
echo "  output of 2 ranks against one process: $same"
echo
for np in 1 2 4 8; do
    $MPIRUN --bind-to none -np $np build/bench/bench_mpi $DFLAG -j 1 -r "$RUNS" "$CORPUS"
done
