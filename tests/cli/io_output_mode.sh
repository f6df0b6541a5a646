# SPDX-License-Identifier: MIT
# Output files get the mode a shell redirection would give them: 0666 minus the
# umask (the temporary file behind them is created 0600 first). An existing file
# that is replaced gets that mode too.
umask 027
$REPRINT scan -q --clusters clusters.jsonl "$DATA/news.jsonl" > /dev/null
$REPRINT dedup -q --removed removed.jsonl.gz "$DATA/news.jsonl" -o kept.jsonl.zst
ls -l clusters.jsonl removed.jsonl.gz kept.jsonl.zst | cut -c1-10
umask 002
$REPRINT dedup -q --clusters clusters.jsonl "$DATA/news.jsonl" -o kept.jsonl
ls -l clusters.jsonl kept.jsonl | cut -c1-10
umask 077
$REPRINT scan -q --clusters private.jsonl "$DATA/news.jsonl" > /dev/null
ls -l private.jsonl | cut -c1-10
