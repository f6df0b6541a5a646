# SPDX-License-Identifier: MIT
# The same bytes give the same results whether reprint reads them from a file
# (size known) or from a pipe (size unknown): the count tables grow as keys come
# instead of being sized from the input's bytes. On the whole Reuters + BBC
# evaluation set, where a table sized from the file once filled and refused
# 414,046 line keys (151 pairs differed), with 1 and 2 threads.
ln -s "$EVAL" eval
f=eval/news_reuters21578_bbc/docs.jsonl
$REPRINT scan -q -j 2 --stories file.stories "$f" > file.tsv 2> file.err
cat "$f" | $REPRINT scan -q -j 2 --stories pipe.stories - > pipe.tsv 2> pipe.err
cat "$f" | $REPRINT scan -q -j 1 - > pipe1.tsv 2> /dev/null
cmp -s file.tsv pipe.tsv && echo "pairs: same"
cmp -s file.tsv pipe1.tsv && echo "pairs, 1 thread: same"
cmp -s file.stories pipe.stories && echo "stories: same"
echo "rows: $(($(wc -l < file.tsv) - 1))"
