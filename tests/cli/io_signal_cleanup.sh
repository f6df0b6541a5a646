# SPDX-License-Identifier: MIT
# A dedup killed by SIGINT, SIGTERM or SIGHUP while it writes its output leaves no
# temporary file (OUT.tmp-XXXXXX) behind, and no partial output: OUT is either
# absent (killed while writing) or complete (the run ended before the signal came).
# The input is two copies of the Reuters + BBC articles under new ids (54 MB), so
# that the writing phase lasts about a second; the signal is sent as soon as the
# temporary file appears. env --default-signal undoes the SIGINT that sh ignores
# in background jobs (and an inherited SIGHUP ignore): reprint keeps signals that
# it was started with ignored.
docs=$EVAL/news_reuters21578_bbc/docs.jsonl
for copy in 1 2; do
    sed "s/^{\"id\": \"/{\"id\": \"copy$copy-/" "$docs"
done > big.jsonl
for sig_num in INT:2 TERM:15 HUP:1; do
    sig=${sig_num%:*}
    num=${sig_num#*:}
    rm -f out.jsonl.gz
    env --default-signal $REPRINT dedup -q big.jsonl -o out.jsonl.gz 2> dedup.err &
    pid=$!
    n=0
    while [ $n -lt 6000 ] && kill -0 $pid 2>/dev/null; do
        set -- out.jsonl.gz.tmp-*
        [ -e "$1" ] && break
        sleep 0.01
        n=$((n + 1))
    done
    kill -s $sig $pid 2>/dev/null
    wait $pid
    rc=$?
    # What happened, for a reader of the log (stderr is not compared).
    echo "SIG$sig: exit $rc, $(cat dedup.err)" >&2
    if [ $rc -eq $((128 + num)) ] && [ ! -e out.jsonl.gz ]; then
        echo "SIG$sig: killed while writing, or finished before the signal"
    elif [ $rc -eq 0 ] && [ "$(gzip -dc out.jsonl.gz | wc -l)" -eq 23169 ]; then
        echo "SIG$sig: killed while writing, or finished before the signal"
    else
        echo "SIG$sig: exit $rc"
    fi
    ls | grep -e '\.tmp-' | sed 's/-......$/-XXXXXX/'
done
rm -f big.jsonl dedup.err out.jsonl.gz
ls
