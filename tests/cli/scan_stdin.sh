# SPDX-License-Identifier: MIT
# "-" reads standard input; JSONL is recognised by its first byte '{'. The result is
# the same as reading the file, and stdin can be mixed with files.
$REPRINT scan "$DATA/news.jsonl" > file.tsv
# Through a pipe (not a seekable file), as a crawler would hand it over.
cat "$DATA/news.jsonl" | $REPRINT scan - > stdin.tsv
echo "exit $?"
cmp file.tsv stdin.tsv && echo "same as the file"
cat stdin.tsv
# Plain text on stdin is one document named "-".
cat "$DATA/news/08_storm_short.txt" | $REPRINT scan "$DATA/news/09_storm_short_copy.txt" - |
    sed "s|$DATA/||"
