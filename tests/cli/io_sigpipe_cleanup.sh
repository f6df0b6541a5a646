# SPDX-License-Identifier: MIT
# scan writes --clusters to a temporary file, then the pairs to standard output. When
# the reader of standard output goes away (head -n 1), reprint dies of SIGPIPE (or,
# where SIGPIPE is ignored, fails with exit 3) and leaves neither the temporary file
# nor a clusters file behind. The pairs of the Reuters + BBC articles (all
# relations: about 17,000 rows, over 1 MB, far more than a pipe holds) make sure
# that reprint is still writing when head exits.
docs=$EVAL/news_reuters21578_bbc/docs.jsonl
cp "$docs" big.jsonl
{
    $REPRINT scan -q --clusters clusters.jsonl big.jsonl 2> scan.err
    echo $? > scan.rc
} | head -n 1
rc=$(cat scan.rc)
echo "scan exit $rc, stderr: $(cat scan.err)" >&2
case $rc in
    141 | 3) echo "scan: killed by SIGPIPE or failed writing" ;;
    *) echo "scan: exit $rc" ;;
esac
rm -f big.jsonl scan.rc scan.err
ls
