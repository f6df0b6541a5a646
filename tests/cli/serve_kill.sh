# SPDX-License-Identifier: MIT
# reprint serve loses no acknowledged document. SIGTERM while a batch of 1,500
# articles is being added (once its temporary file exists): the batch is answered
# (201) and committed before the service exits 0. SIGKILL while a client posts articles one by one: after it, the
# index passes PRAGMA integrity_check and holds every article whose POST was
# answered 201 (and at most the one in flight besides).
. "$DATA/serve_lib.sh"
ln -s "$EVAL" eval
head -n 1500 eval/news_reuters21578_bbc/docs.jsonl > batch.jsonl
sed -n 1501,1800p eval/news_reuters21578_bbc/docs.jsonl > each.jsonl
$REPRINT index create i.db
# The server's temporary files go to tmp/: one appears once the batch is being added.
mkdir tmp
TMPDIR=$PWD/tmp serve_start i.db || exit 1
curl -s --noproxy '*' -o batch.out -w '%{http_code}' --data-binary @batch.jsonl "$URL/documents" > batch.code &
client=$!
i=0
# (valgrind's own files there, vgdb-pipe-*, are not the server's)
while [ -z "$(ls tmp | grep -v '^vgdb-')" ] && [ $i -lt 600 ]; do
    sleep 0.02
    i=$((i + 1))
done
kill -TERM $SERVER
wait $SERVER
echo "SIGTERM during a batch: exit $?"
wait $client
echo "the batch was answered $(cat batch.code); documents in the index: $(sqlite3 i.db 'SELECT count(*) FROM docs')"
serve_start i.db || exit 1
python3 - "$URL" > acked.txt <<'PY' &
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
for line in open('each.jsonl', encoding='utf-8'):
    req = urllib.request.Request(sys.argv[1] + '/documents', data=line.encode(), method='POST')
    try:
        r = opener.open(req, timeout=30)
    except Exception:
        break
    if r.status == 201:
        import json
        print(json.loads(line)['id'], flush=True)
PY
client=$!
# Killed once some articles were acknowledged (a fixed 1.5 s wait acknowledged
# none on a machine busy with other work), while the client still posts.
i=0
while [ "$(cat acked.txt 2> /dev/null | wc -l)" -lt 5 ] && [ $i -lt 3000 ]; do
    sleep 0.02
    i=$((i + 1))
done
kill -9 $SERVER
wait $SERVER 2> /dev/null
wait $client
sqlite3 i.db "SELECT id FROM docs" | sort > held.txt
sort acked.txt > acked.sorted
missing=$(comm -23 acked.sorted held.txt | wc -l)
extra=$(($(wc -l < held.txt) - 1500 - $(wc -l < acked.sorted)))
echo "SIGKILL: integrity $(sqlite3 i.db 'PRAGMA integrity_check'); acknowledged articles missing: $missing; unacknowledged held: $([ $extra -le 1 ] && echo 'at most one' || echo $extra)"
[ "$(wc -l < acked.sorted)" -gt 0 ] && echo "some articles were acknowledged before the kill"
