# SPDX-License-Identifier: MIT
# --skip-bad reports each bad document on stderr (file and line or byte), goes on
# with the others, prints the number skipped at the end and exits 0. dedup writes
# the good documents only. Truncated compressed files and missing files still stop
# the run (they are not documents).
mkdir in
cp "$DATA"/bad/*.txt "$DATA"/bad/*.jsonl in/
cp "$DATA/news/08_storm_short.txt" "$DATA/news/09_storm_short_copy.txt" in/
rm in/dupid_b.jsonl in/empty.jsonl
printf '{"id": "story-7", "text": "STORM WARNING LIFTED"}\n' >> in/dupid_b.jsonl
printf '{"id": "story-9", "text": "Fog delayed the morning flights."}\n' >> in/dupid_b.jsonl
$REPRINT scan --skip-bad in
echo "scan: exit $?"
$REPRINT dedup --skip-bad --keep first --removed removed.jsonl in -o out.jsonl 2> dedup.err
echo "dedup: exit $?"
tail -n 2 dedup.err
cat out.jsonl
cat removed.jsonl
gzip -c "$DATA/news.jsonl" | head -c 1000 > cut.jsonl.gz
$REPRINT scan --skip-bad cut.jsonl.gz
echo "scan truncated: exit $?"
$REPRINT scan --skip-bad in/08_storm_short.txt no-such-file.txt
echo "scan missing: exit $?"
ls
