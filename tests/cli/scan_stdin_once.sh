# SPDX-License-Identifier: MIT
# scan reads its inputs once, so it copies nothing of standard input to $TMPDIR;
# dedup reads them twice and does copy it. Three JSONL records padded with a
# 100 kB field that is not text (300 kB in all, little to shingle) are piped in
# under a file size limit of 100 blocks (50 kB with sh's 512-byte blocks): a copy
# of the input exceeds it (SIGXFSZ, or EFBIG where ignored), scan's own small
# temporary files do not.
pad=$(printf '%0100000d' 0)
n=0
for t in 'the harbour bridge reopened on monday after repairs to the deck' \
    'farmers in the valley fear a second dry summer as the river falls' \
    'the harbour bridge reopened on monday after repairs to the deck'; do
    printf '{"id":"d%d","pad":"%s","text":"%s"}\n' "$n" "$pad" "$t"
    n=$((n + 1))
done > padded.jsonl
$REPRINT dedup -q - -o kept.jsonl < padded.jsonl
echo "dedup - (no limit): exit $?"
cut -c1-12 kept.jsonl
(
    ulimit -f 100
    $REPRINT scan -q - < padded.jsonl
    echo "scan - (limit): exit $?"
    $REPRINT dedup -q - -o limited.jsonl < padded.jsonl 2> /dev/null
    rc=$?
    [ $rc -ne 0 ] && echo "dedup - (limit): fails"
    [ $rc -eq 0 ] && echo "dedup - (limit): exit 0"
) 2> limit.err
ls
