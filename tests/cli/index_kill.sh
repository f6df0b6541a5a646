# SPDX-License-Identifier: MIT
# An index survives its writer's death: `index add` of 3,000 news articles is killed
# with SIGKILL at several moments of its batch; each time the index opens, passes
# PRAGMA integrity_check, and holds exactly the batches acknowledged before (the
# seeds), or those and the whole killed batch if it had committed: never part of it.
# Then a writer and a second writer at once: the second waits for the first (both
# batches are added, in full); a query run meanwhile reads without waiting.
ln -s "$SEEDS" seeds
ln -s "$EVAL" eval
head -n 3000 eval/news_reuters21578_bbc/docs.jsonl > big.jsonl
$REPRINT index create i.db
$REPRINT index add i.db seeds/0*.txt > /dev/null
echo "seeds: exit $?"
for delay in 0.1 0.4 0.8 1.5; do
    $REPRINT index add i.db big.jsonl > /dev/null 2>&1 &
    pid=$!
    sleep $delay
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    ok=$(sqlite3 i.db "PRAGMA integrity_check")
    n=$(sqlite3 i.db "SELECT count(*) FROM docs")
    case $n in
        5) held="the seeds" ;;
        3005) held="the seeds and the whole batch" ;;
        *) held="$n documents: PART OF A BATCH" ;;
    esac
    echo "killed: integrity $ok; holds whole batches: $(case $n in 5|3005) echo yes ;; *) echo "no ($held)" ;; esac)"
    if [ "$n" = 3005 ]; then
        # It had committed: start again from the seeds.
        rm -f i.db i.db-wal i.db-shm
        $REPRINT index create i.db && $REPRINT index add i.db seeds/0*.txt > /dev/null
    fi
done
# Two writers: the second waits for the first.
head -n 200 big.jsonl > first.jsonl
sed -n 201,260p big.jsonl > second.jsonl
sed -n 3001p eval/news_reuters21578_bbc/docs.jsonl > one.jsonl
$REPRINT index add i.db first.jsonl > first.out 2>&1 &
a=$!
sleep 0.05
$REPRINT index add i.db second.jsonl > second.out 2>&1 &
b=$!
$REPRINT query i.db one.jsonl > query.out 2>&1
echo "query during the writes: exit $?, $(($(wc -l < query.out) - 1)) placed"
wait $a
echo "first writer: exit $?, $(($(wc -l < first.out) - 1)) placed"
wait $b
echo "second writer: exit $?, $(($(wc -l < second.out) - 1)) placed"
echo "documents: $(sqlite3 i.db "SELECT count(*) FROM docs"), integrity $(sqlite3 i.db "PRAGMA integrity_check")"
