# SPDX-License-Identifier: MIT
# A real 100 MB line (made here, not committed) is bad input under the default
# 64 MiB limit: a clean error naming file and line, no output from dedup; with
# --skip-bad the run goes on and the records around it are read.
{
    printf '{"id": "before", "text": "Storm warning lifted for the coast."}\n'
    printf '{"id": "huge", "text": "'
    head -c 104857600 /dev/zero | tr '\0' 'a'
    printf '"}\n'
    printf '{"id": "after", "text": "STORM WARNING LIFTED FOR THE COAST"}\n'
} > huge.jsonl
head -c 104857600 /dev/zero | tr '\0' 'b' > huge.txt
$REPRINT scan huge.jsonl
echo "scan: exit $?"
$REPRINT dedup --removed removed.jsonl huge.jsonl -o out.jsonl
echo "dedup: exit $?"
$REPRINT scan huge.txt
echo "scan plain: exit $?"
$REPRINT dedup --skip-bad huge.jsonl -o out.jsonl
echo "dedup --skip-bad: exit $?"
cat out.jsonl
rm huge.jsonl huge.txt
ls
