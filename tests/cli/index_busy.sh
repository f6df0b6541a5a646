# SPDX-License-Identifier: MIT
# A writer that waits too long for another one says so: while another process holds
# the index's write lock (the sqlite3 shell, for 15 seconds), `index add` waits 10
# seconds and fails (exit 3, the message says another process is adding), `serve`
# answers POST /documents with 503 and a JSON message, and a query is answered at
# once. Nothing was added, and the index is whole.
. "$DATA/serve_lib.sh"
ln -s "$SEEDS" seeds
$REPRINT index create i.db
$REPRINT index add i.db seeds/000_c49c771218197d27.txt > /dev/null
serve_start i.db || exit 1
sqlite3 i.db "BEGIN IMMEDIATE;" ".shell sleep 15" "COMMIT;" &
locker=$!
sleep 0.5
$REPRINT query i.db seeds/001_811c8e1ff850ec4f.txt | cut -f 2
echo "query while locked: exit $?"
req POST /documents -d '{"id": "x", "text": "The harbour board approved the new ferry timetable."}' > post.txt &
poster=$!
$REPRINT index add i.db seeds/002_781ff10bc3527234.txt
echo "index add while locked: exit $?"
wait $poster
cat post.txt
wait $locker
kill -TERM $SERVER
wait $SERVER
echo "documents: $(sqlite3 i.db 'SELECT count(*) FROM docs'), integrity $(sqlite3 i.db 'PRAGMA integrity_check')"
