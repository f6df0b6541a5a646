# SPDX-License-Identifier: MIT
# Count tables too small for the collection's keys (the test hook
# REPRINT_TEST_COUNT_SLOTS=4096 stops them at 4,096 slots, 3,584 keys, where a
# scan's tables stop at 8 million slots: about 140,000 generated documents):
# the keys past them go to sorted runs in a temporary file and are merged
# before pass 2, so every count is exact and the scan writes what it writes
# with tables large enough, byte for byte (stdout, passages, stories,
# timelines, differences), on 1 and 2 threads and with every store in
# temporary files. Without the runs, 1,994 of these 3,586 rows differed (the
# keys past the first 3,584 read as unseen: furniture not found, words rare). Then the runs cannot be
# written (a file size limit, as a full disk would do): exit code 3 and a message naming the counts and the directory.
ln -s "$EVAL" eval
head -n 2000 eval/news_reuters21578_bbc/docs.jsonl > docs.jsonl
ALL="--passages p.jsonl --stories s.jsonl --timeline t.jsonl --differences d.jsonl"
mkdir ref
(cd ref && $REPRINT scan $ALL ../docs.jsonl > stdout 2> stderr; echo "large tables: exit $?")
echo "rows: $(wc -l < ref/stdout), passages: $(wc -l < ref/p.jsonl), stories: $(wc -l < ref/s.jsonl)"
for opts in "-j 1" "-j 2" "-j 2 --memory 0"; do
    rm -rf run && mkdir run
    (cd run && REPRINT_TEST_COUNT_SLOTS=4096 $REPRINT scan $opts $ALL ../docs.jsonl \
        > stdout 2> stderr; echo "4,096 slots, $opts: exit $?")
    for f in stdout stderr p.jsonl s.jsonl t.jsonl d.jsonl; do
        cmp -s "ref/$f" "run/$f" || echo "  $f DIFFERS"
    done
done
mkdir tmp
(
    trap '' XFSZ
    ulimit -f 200
    TMPDIR=tmp
    export TMPDIR
    REPRINT_TEST_COUNT_SLOTS=4096 $REPRINT scan -q --memory 1G docs.jsonl > /dev/null
    echo "runs past the file size limit: exit $?"
)
ls tmp | wc -l | tr -d ' '
