# SPDX-License-Identifier: MIT
# .jsonl.gz and .jsonl.zst inputs (also several gzip members or zstd frames, and a
# compressed file whose name does not say so) read the same as the plain file.
$REPRINT scan "$DATA/news.jsonl" > plain.tsv
gzip -c "$DATA/news.jsonl" > news.jsonl.gz
zstd -q -c "$DATA/news.jsonl" > news.jsonl.zst
head -n 4 "$DATA/news.jsonl" | gzip -c > multi.jsonl.gz
tail -n +5 "$DATA/news.jsonl" | gzip -c >> multi.jsonl.gz
head -n 7 "$DATA/news.jsonl" | zstd -q -c > multi.jsonl.zst
tail -n +8 "$DATA/news.jsonl" | zstd -q -c >> multi.jsonl.zst
cp news.jsonl.zst mislabelled.jsonl
for f in news.jsonl.gz news.jsonl.zst multi.jsonl.gz multi.jsonl.zst mislabelled.jsonl; do
    $REPRINT scan "$f" > out.tsv
    rc=$?
    if cmp -s plain.tsv out.tsv; then echo "$f: exit $rc, same"; else echo "$f: exit $rc, differs"; cat out.tsv; fi
done
cat plain.tsv
