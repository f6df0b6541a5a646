#!/bin/sh
# SPDX-License-Identifier: MIT
# $TIMEOUT is a word list, split on purpose where it is used:
# shellcheck disable=SC2086
#
# tests/regen.sh -- regenerate the expected output of end-to-end CLI cases:
#
#     sh tests/regen.sh [-n] REPRINT_BINARY [CASE...]     (from the repository root)
#
# Each CASE (a name such as scan_seeds, or a path tests/cli/scan_seeds.sh; all
# of tests/cli/*.sh when none is given) is run exactly as tests/run.sh runs it:
# by sh, in a fresh empty directory, standard input from /dev/null, under the
# same time limit, with REPRINT (the absolute path of the binary; VALGRIND, when
# set, prefixes it as in run.sh), DATA, SEEDS and EVAL exported. Then:
#   - CASE.out receives its standard output;
#   - CASE.err receives its standard error when CASE.err already exists or the
#     case is new (no CASE.out yet); a case without CASE.err keeps none, since
#     run.sh then does not compare standard error (cases whose stderr varies);
#   - CASE.exit receives its exit code when it is not 0, and is removed when
#     the code is 0 (run.sh expects 0 when the file is missing).
# With -n nothing is written: each case whose output differs from its expected
# files is named, with a diff, as run.sh would report it.
#
# Regenerating accepts whatever the binary does now: read the diff (git diff
# tests/cli/) before committing, and never regenerate to silence a failure you
# have not understood.

usage() {
    echo "usage: sh tests/regen.sh [-n] REPRINT_BINARY [CASE...]" >&2
    exit 2
}
DRY=0
if [ "${1:-}" = "-n" ]; then
    DRY=1
    shift
fi
[ $# -ge 1 ] || usage
if [ ! -d tests/cli ] || [ ! -d tests/data ]; then
    echo "tests/regen.sh: run me from the repository root" >&2
    exit 2
fi
ROOT=$(pwd)
case $1 in
    /*) BIN=$1 ;;
    *) BIN=$ROOT/$1 ;;
esac
shift
if [ ! -x "$BIN" ]; then
    echo "tests/regen.sh: $BIN is not an executable (run make first)" >&2
    exit 2
fi

# The environment of tests/run.sh, section 3.
VALGRIND=${VALGRIND:-}
ASAN_OPTIONS="exitcode=98${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="exitcode=98:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
LSAN_OPTIONS="exitcode=98${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
TIMEOUT=
if command -v timeout >/dev/null 2>&1; then
    if [ -n "$VALGRIND" ]; then TIMEOUT="timeout 1800"; else TIMEOUT="timeout 300"; fi
fi
abspath() {
    (cd "$1" 2>/dev/null && pwd) || echo "$ROOT/$1"
}
REPRINT="$VALGRIND $BIN"
REPRINT=${REPRINT# }
DATA=$ROOT/tests/data
SEEDS=$(abspath "$ROOT/../shared/seeds")
EVAL=$(abspath "$ROOT/../shared/evaldata")
export REPRINT DATA SEEDS EVAL

WORK=$(mktemp -d "${TMPDIR:-/tmp}/reprint-regen.XXXXXX") || exit 2
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

if [ $# -eq 0 ]; then
    set -- tests/cli/*.sh
fi
status=0
for arg in "$@"; do
    base=${arg##*/}
    base=${base%.sh}
    name=tests/cli/$base
    if [ ! -f "$name.sh" ]; then
        echo "tests/regen.sh: no case $name.sh" >&2
        status=2
        continue
    fi
    dir=$WORK/cli/$base
    rm -rf "$dir"
    mkdir -p "$dir"
    got_out=$WORK/cli/$base.stdout
    got_err=$WORK/cli/$base.stderr
    (cd "$dir" && $TIMEOUT sh "$ROOT/$name.sh"; exit) >"$got_out" 2>"$got_err" </dev/null
    rc=$?
    if [ $DRY -eq 1 ]; then
        want_rc=0
        [ -f "$name.exit" ] && want_rc=$(tr -d ' \n' <"$name.exit")
        same=1
        if [ ! -f "$name.out" ] || ! cmp -s "$name.out" "$got_out"; then
            echo "differs: $base: standard output (- expected, + got)"
            [ -f "$name.out" ] && diff -u "$name.out" "$got_out" | sed -n '3,$p' | sed 's/^/    /'
            same=0
        fi
        if [ -f "$name.err" ] && ! cmp -s "$name.err" "$got_err"; then
            echo "differs: $base: standard error (- expected, + got)"
            diff -u "$name.err" "$got_err" | sed -n '3,$p' | sed 's/^/    /'
            same=0
        fi
        if [ "$rc" != "$want_rc" ]; then
            echo "differs: $base: exit code $rc, expected $want_rc"
            same=0
        fi
        [ $same -eq 1 ] && echo "same: $base"
        continue
    fi
    new=0
    [ -f "$name.out" ] || new=1
    cp "$got_out" "$name.out"
    if [ -f "$name.err" ] || [ $new -eq 1 ]; then
        cp "$got_err" "$name.err"
    fi
    if [ "$rc" -ne 0 ]; then
        echo "$rc" >"$name.exit"
    else
        rm -f "$name.exit"
    fi
    echo "regenerated: $base (exit $rc)"
done
exit $status
