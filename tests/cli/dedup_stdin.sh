# SPDX-License-Identifier: MIT
# dedup reads standard input twice (once to decide, once to write): the output is
# the same as from the file. -o - writes to standard output.
$REPRINT dedup "$DATA/news.jsonl" -o file.jsonl
# Through a pipe, which cannot be read twice: reprint keeps a copy.
cat "$DATA/news.jsonl" | $REPRINT dedup --removed removed.jsonl - -o stdin.jsonl
echo "exit $?"
cmp file.jsonl stdin.jsonl && echo "same as the file"
cat removed.jsonl
cat "$DATA/chain.jsonl" | $REPRINT dedup --keep first -o - - | cut -c 1-20
