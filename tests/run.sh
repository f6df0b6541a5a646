#!/bin/sh
# SPDX-License-Identifier: MIT
# $TIMEOUT and $VALGRIND are word lists, split on purpose where they are used:
# shellcheck disable=SC2086
#
# tests/run.sh -- the test runner behind `make test`, `make check`, `make asan`
# and `make valgrind`:
#
#     sh tests/run.sh BUILD_DIR REPRINT_BINARY        (from the repository root)
#
# It runs, in this order:
#   1. every cmocka unit test binary BUILD_DIR/tests/test_*, counting each
#      test case from cmocka's "[  PASSED  ] N test(s)." and
#      "[  FAILED  ] N test(s)" lines (a binary that crashes or exits non-zero
#      without a FAILED count is one failure);
#   2. every fuzz replay driver BUILD_DIR/fuzz/replay_fuzz_NAME over all files
#      of fuzz/corpus/NAME/ (one test per target);
#   3. every end-to-end CLI case tests/cli/CASE.sh (format below);
#   4. the pytest suite of the Python module, python/tests, when $PYTHON is set.
#
# CLI case format (after zstd's tests/cli-tests): CASE.sh is run by sh in a
# fresh empty directory, with REPRINT (the binary, absolute path; may carry a
# valgrind prefix, so cases call it unquoted: $REPRINT scan ...), DATA
# (tests/data), SEEDS (../shared/seeds) and EVAL (../shared/evaldata), all
# absolute. Beside it: CASE.out is the exact expected standard output,
# CASE.err the exact expected standard error (not compared when missing), and
# CASE.exit the expected exit code (0 when missing).
#
# MPI cases, tests/cli/mpi_*.sh, run reprint-mpi under mpirun and compare what
# it writes with what REPRINT writes. They also get REPRINT_MPI (absolute path)
# and run only when the caller sets REPRINT_MPI (make test and make check do
# when mpicc and mpirun are installed, after `make mpi`) and mpirun is on the
# PATH; otherwise they are not run, and counted neither passed nor failed: the
# summary says how many were skipped and why (make valgrind does not set it:
# the ranks would not run under valgrind). As root, mpirun needs
# OMPI_ALLOW_RUN_AS_ROOT=1 and OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1: set here.
#
# VALGRIND, when set (e.g. "valgrind -q --error-exitcode=99 --leak-check=full"),
# prefixes every binary run. Quiet when things pass: one line per section,
# one line (plus a diff) per failure, and last "N passed, M failed" (plus
# ", K skipped" when cases were not run); the exit status is 1 when anything
# failed.

if [ $# -ne 2 ]; then
    echo "usage: sh tests/run.sh BUILD_DIR REPRINT_BINARY" >&2
    exit 2
fi
if [ ! -d tests/cli ] || [ ! -d tests/data ]; then
    echo "tests/run.sh: run me from the repository root" >&2
    exit 2
fi

ROOT=$(pwd)
case $1 in
    /*) BUILD=$1 ;;
    *) BUILD=$ROOT/$1 ;;
esac
case $2 in
    /*) BIN=$2 ;;
    *) BIN=$ROOT/$2 ;;
esac
if [ ! -x "$BIN" ]; then
    echo "tests/run.sh: $2 is not an executable (run make first)" >&2
    exit 2
fi
VALGRIND=${VALGRIND:-}

# Sanitizer failures exit with 98 unless the caller chose otherwise, so that
# they can never pass for reprint's own documented exit codes (1..4).
ASAN_OPTIONS="exitcode=98${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="exitcode=98:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
LSAN_OPTIONS="exitcode=98${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

# Every document whose features the index takes from its store is computed
# again too, and any difference fails the run (README "Stored features").
REPRINT_TEST_STORED_CHECK=1
export REPRINT_TEST_STORED_CHECK

# No test may hang a CI run: each binary run gets a generous time limit.
TIMEOUT=
if command -v timeout >/dev/null 2>&1; then
    if [ -n "$VALGRIND" ]; then TIMEOUT="timeout 1800"; else TIMEOUT="timeout 300"; fi
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/reprint-tests.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

NPASS=0
NFAIL=0

fail() {
    NFAIL=$((NFAIL + 1))
    echo "FAIL $*"
}

# Print the last lines of a file, indented, as the reason of a failure.
show_tail() {
    tail -n "${2:-20}" "$1" | sed 's/^/    | /'
}

# ---- 1. unit tests (cmocka) ------------------------------------------------------

nbin=0
upass=0
ufail=0
for t in "$BUILD"/tests/test_*; do
    if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
    case ${t##*/} in *.*) continue ;; esac # build by-products, not binaries
    nbin=$((nbin + 1))
    name=tests/${t##*/}
    log=$WORK/unit.log
    # "; exit" keeps the subshell, so a crash message lands in the log too.
    (cd "$ROOT" && $TIMEOUT $VALGRIND "$t"; exit) >"$log" 2>&1 </dev/null
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$log" |
        awk '{ s += $1 } END { print s + 0 }')
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$log" |
        awk '{ s += $1 } END { print s + 0 }')
    upass=$((upass + p))
    if [ "$f" -gt 0 ]; then
        ufail=$((ufail + f))
        NFAIL=$((NFAIL + f))
        # The summary lists the failed cases after "N test(s), listed below:".
        sed -n '/^\[  FAILED  \] [0-9][0-9]* test(s), listed below:/,$p' "$log" |
            sed -n 's/^\[  FAILED  \] \([^ ]*\)$/\1/p' | while read -r tc; do
            echo "FAIL $name: $tc"
        done
        grep -E '^\[  (ERROR|  LINE)' "$log" | head -n 20 | sed 's/^/    | /'
    elif [ "$rc" -ne 0 ]; then
        ufail=$((ufail + 1))
        fail "$name: exit code $rc without a cmocka failure count (crash, sanitizer or valgrind error?)"
        show_tail "$log"
    elif [ "$p" -eq 0 ]; then
        ufail=$((ufail + 1))
        fail "$name: no test ran (no \"[  PASSED  ] N test(s).\" line with N > 0)"
        show_tail "$log"
    fi
done
NPASS=$((NPASS + upass))
if [ "$nbin" -gt 0 ]; then
    echo "unit:  $upass passed, $ufail failed ($nbin binaries)"
else
    echo "unit:  no unit test binaries in $1/tests"
fi

# ---- 2. fuzz corpus replay ---------------------------------------------------------

nfz=0
fpass=0
ffail=0
for r in "$BUILD"/fuzz/replay_fuzz_*; do
    if [ ! -f "$r" ] || [ ! -x "$r" ]; then continue; fi
    case ${r##*/} in *.*) continue ;; esac
    nfz=$((nfz + 1))
    target=${r##*/replay_fuzz_}
    corpus=fuzz/corpus/$target
    log=$WORK/fuzz.log
    if [ ! -d "$corpus" ] || [ -z "$(find "$corpus" -type f | head -n 1)" ]; then
        ffail=$((ffail + 1))
        fail "fuzz/$target: no seed corpus in $corpus/"
        continue
    fi
    # find -exec ... + splits long lists and fails when any run fails.
    (cd "$ROOT" && find "$corpus" -type f -exec $TIMEOUT $VALGRIND "$r" {} +; exit) \
        >"$log" 2>&1 </dev/null
    rc=$?
    if [ "$rc" -ne 0 ]; then
        ffail=$((ffail + 1))
        fail "fuzz/$target: replay of $corpus/ failed (exit code $rc)"
        show_tail "$log"
    else
        fpass=$((fpass + 1))
    fi
done
NPASS=$((NPASS + fpass))
if [ "$nfz" -gt 0 ]; then
    echo "fuzz:  $fpass passed, $ffail failed ($nfz targets)"
else
    echo "fuzz:  no replay drivers in $1/fuzz"
fi

# ---- 3. CLI cases ------------------------------------------------------------------

abspath() {
    (cd "$1" 2>/dev/null && pwd) || echo "$ROOT/$1"
}
REPRINT="$VALGRIND $BIN"
REPRINT=${REPRINT# }
DATA=$ROOT/tests/data
SEEDS=$(abspath "$ROOT/../shared/seeds")
EVAL=$(abspath "$ROOT/../shared/evaldata")
export REPRINT DATA SEEDS EVAL

# reprint-mpi, for the MPI cases: run when set and mpirun is there.
REPRINT_MPI=${REPRINT_MPI:-}
mpi_skip=
if [ -z "$REPRINT_MPI" ]; then
    mpi_skip="REPRINT_MPI not set"
elif ! command -v mpirun >/dev/null 2>&1; then
    mpi_skip="no mpirun"
else
    case $REPRINT_MPI in /*) ;; *) REPRINT_MPI=$ROOT/$REPRINT_MPI ;; esac
    if [ "$(id -u)" = 0 ]; then
        OMPI_ALLOW_RUN_AS_ROOT=1
        OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
        export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
    fi
fi
export REPRINT_MPI

ncli=0
cpass=0
cfail=0
cskip=0
for c in tests/cli/*.sh; do
    [ -f "$c" ] || continue
    ncli=$((ncli + 1))
    name=${c%.sh}
    base=${name##*/}
    if [ -n "$mpi_skip" ]; then
        case $base in mpi_*)
            cskip=$((cskip + 1))
            continue
            ;;
        esac
    fi
    dir=$WORK/cli/$base
    mkdir -p "$dir"
    got_out=$WORK/cli/$base.stdout
    got_err=$WORK/cli/$base.stderr
    (cd "$dir" && $TIMEOUT sh "$ROOT/$c"; exit) >"$got_out" 2>"$got_err" </dev/null
    rc=$?
    want_rc=0
    [ -f "$name.exit" ] && want_rc=$(tr -d ' \n' <"$name.exit")
    ok=1
    if [ ! -f "$name.out" ]; then
        fail "cli/$base: $name.out is missing"
        ok=0
    elif ! cmp -s "$name.out" "$got_out"; then
        fail "cli/$base: standard output differs (- expected, + got)"
        diff -u "$name.out" "$got_out" | sed -n '3,60p' | sed 's/^/    /'
        ok=0
    fi
    if [ -f "$name.err" ] && ! cmp -s "$name.err" "$got_err"; then
        [ $ok -eq 1 ] && NFAIL=$((NFAIL + 1))
        echo "FAIL cli/$base: standard error differs (- expected, + got)"
        diff -u "$name.err" "$got_err" | sed -n '3,60p' | sed 's/^/    /'
        ok=0
    fi
    if [ "$rc" != "$want_rc" ]; then
        [ $ok -eq 1 ] && NFAIL=$((NFAIL + 1))
        echo "FAIL cli/$base: exit code $rc, expected $want_rc"
        [ -f "$name.err" ] || show_tail "$got_err" 10
        ok=0
    fi
    if [ $ok -eq 1 ]; then
        cpass=$((cpass + 1))
        NPASS=$((NPASS + 1))
    else
        cfail=$((cfail + 1))
    fi
done
if [ "$cskip" -gt 0 ]; then
    echo "cli:   $cpass passed, $cfail failed, $cskip skipped ($ncli cases; mpi_*: $mpi_skip)"
else
    echo "cli:   $cpass passed, $cfail failed ($ncli cases)"
fi
NSKIP=$cskip

# ---- 4. the Python module (pytest) ------------------------------------------------
#
# Run when PYTHON names the interpreter the module was built for (make test,
# make check and make asan set it; make valgrind does not). PYTHON_DIR is where
# the package is (default python/); PYTHON_PRELOAD, the sanitizer runtimes
# (colon-separated) to preload into the uninstrumented interpreter (make asan;
# leaks are not checked there: the interpreter keeps its own at exit). Each
# pytest test counts as one test.

if [ -n "${PYTHON:-}" ]; then
    log=$WORK/pytest.log
    pydir=$ROOT/${PYTHON_DIR:-python}
    preload=
    if [ -n "${PYTHON_PRELOAD:-}" ]; then
        preload="env LD_PRELOAD=$PYTHON_PRELOAD ASAN_OPTIONS=$ASAN_OPTIONS:detect_leaks=0"
    fi
    if ! "$PYTHON" -c 'import pytest' >/dev/null 2>&1; then
        fail "python: $PYTHON cannot import pytest (Debian python3-pytest)"
    else
        (cd "$ROOT" && PYTHONPATH=$pydir $TIMEOUT $preload "$PYTHON" -m pytest -q \
            -p no:cacheprovider python/tests; exit) >"$log" 2>&1 </dev/null
        rc=$?
        summary=$(tail -n 1 "$log")
        count() { echo "$summary" | sed -n "s/.*[^0-9]\([0-9][0-9]*\) $1.*/\1/p;s/^\([0-9][0-9]*\) $1.*/\1/p" | head -n 1; }
        pp=$(count passed)
        pf=$(count failed)
        pe=$(count error)
        pp=${pp:-0}
        pf=$((${pf:-0} + ${pe:-0}))
        NPASS=$((NPASS + pp))
        NFAIL=$((NFAIL + pf))
        if [ "$pf" -gt 0 ]; then
            grep -E '^(FAILED|ERROR) ' "$log" | sed 's/^/FAIL python: /'
        elif [ "$rc" -ne 0 ]; then
            fail "python: pytest exit code $rc without a failure count"
            show_tail "$log"
        fi
        echo "python: $pp passed, $pf failed ($summary)"
    fi
else
    echo "python: not run (PYTHON not set)"
fi

if [ "$NSKIP" -gt 0 ]; then
    echo "$NPASS passed, $NFAIL failed, $NSKIP skipped"
else
    echo "$NPASS passed, $NFAIL failed"
fi
[ "$NFAIL" -eq 0 ]
