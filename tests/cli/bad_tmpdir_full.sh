# SPDX-License-Identifier: MIT
# A temporary store that cannot be written (a file size limit here, as a full
# disk would do): the scan stops with exit code 3 (I/O error) and a message
# naming the store and the directory, for the default scan and for --fast
# on a compressed input, with nothing kept in memory (--memory 0) or part of
# it (--memory 12M). With memory enough, nothing touches the disk and the same
# scan succeeds under the same limit (document features beyond the budget are
# computed again, never written); so does --fast on the uncompressed file,
# whose shingles are read again from it, never stored.
# The first 3,000 articles of the Reuters + BBC evaluation set.
ln -s "$EVAL" eval
head -n 3000 eval/news_reuters21578_bbc/docs.jsonl > docs.jsonl
gzip -c docs.jsonl > docs.jsonl.gz
mkdir tmp
(
    trap '' XFSZ
    ulimit -f 400
    TMPDIR=tmp
    export TMPDIR
    $REPRINT scan -q --memory 0 docs.jsonl > /dev/null
    echo "nothing in memory: exit $?"
    $REPRINT scan -q --memory 0 --fast docs.jsonl.gz > /dev/null
    echo "nothing in memory, --fast, compressed: exit $?"
    $REPRINT scan -q --memory 0 --fast docs.jsonl > /dev/null
    echo "nothing in memory, --fast, uncompressed: exit $?"
    $REPRINT scan -q --memory 12M docs.jsonl > /dev/null
    echo "part in memory: exit $?"
    $REPRINT scan -q --memory 64M docs.jsonl > /dev/null
    echo "all in memory: exit $?"
)
ls tmp | wc -l | tr -d ' '
