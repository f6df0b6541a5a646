#!/bin/sh
# SPDX-License-Identifier: MIT
# bench_serve.sh -- reprint serve under load, on the loopback.
#
#   sh bench/bench_serve.sh [CORPUS.jsonl] [N]
#
# Builds an index of the first N documents of the corpus (default: the shared
# news corpus, 20,000), serves it on a free port, and measures:
#   - POST /query latency, one request at a time (curl's time_total over 200
#     held-out documents): p50 and p99; issue 11 asks for p99 under 10 ms;
#   - POST /documents latency, the same documents added one at a time: p50,
#     p99 and the slowest (an add that pays for a checkpoint shows there);
#   - throughput under load with wrk (2 threads, 8 connections, 10 s): POST
#     /query of one held-out document, and GET /documents/ID, with wrk's p50
#     and p99.
# Needs curl and wrk (Debian). Never a test: timings vary with the load.
set -eu
corpus=${1:-../shared/evaldata/news_reuters21578_bbc/docs.jsonl}
n=${2:-20000}
here=$(cd "$(dirname "$0")/.." && pwd)
reprint=$here/reprint
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-serve.XXXXXX")
trap 'kill $server 2> /dev/null; rm -rf "$work"' EXIT INT TERM
head -n "$n" "$corpus" > "$work/index.jsonl"
tail -n +$((n + 1)) "$corpus" | head -n 200 > "$work/held.jsonl"
"$reprint" index create "$work/i.db"
t0=$(date +%s.%N)
"$reprint" index add -q "$work/i.db" "$work/index.jsonl" > /dev/null 2>&1
t1=$(date +%s.%N)
echo "index of $n documents built in $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s"
"$reprint" serve --listen 127.0.0.1:0 "$work/i.db" 2> "$work/serve.log" &
server=$!
while ! grep -q 'http://127.0.0.1:[0-9][0-9]*/' "$work/serve.log" 2> /dev/null; do sleep 0.05; done
url=$(grep -o 'http://127.0.0.1:[0-9][0-9]*' "$work/serve.log" | head -n 1)
# One request at a time.
i=0
: > "$work/lat.txt"
while IFS= read -r line; do
    printf '%s\n' "$line" > "$work/one.json"
    curl -s --noproxy '*' -o /dev/null -w '%{time_total}\n' --data-binary @"$work/one.json" \
        "$url/query" >> "$work/lat.txt"
    i=$((i + 1))
done < "$work/held.jsonl"
sort -n "$work/lat.txt" | awk '{ v[NR] = $1 * 1000 } END {
    printf "POST /query one at a time (%d requests): p50 %.1f ms, p99 %.1f ms (goal p99 < 10 ms: %s)\n",
        NR, v[int(NR * 0.5 + 0.5)], v[int(NR * 0.99 + 0.5)], v[int(NR * 0.99 + 0.5)] < 10 ? "met" : "not met" }'
# The same documents added, one at a time (each answered once committed).
: > "$work/add.txt"
while IFS= read -r line; do
    printf '%s\n' "$line" > "$work/one.json"
    curl -s --noproxy '*' -o /dev/null -w '%{time_total}\n' --data-binary @"$work/one.json" \
        "$url/documents" >> "$work/add.txt"
done < "$work/held.jsonl"
sort -n "$work/add.txt" | awk '{ v[NR] = $1 * 1000 } END {
    printf "POST /documents one at a time (%d adds, each durable): p50 %.1f ms, p99 %.1f ms, slowest %.1f ms\n",
        NR, v[int(NR * 0.5 + 0.5)], v[int(NR * 0.99 + 0.5)], v[NR] }'
if ! command -v wrk > /dev/null; then
    echo "wrk not found (apt-get install wrk): no load test"
    exit 0
fi
head -n 1 "$work/held.jsonl" > "$work/q.json"
cat > "$work/post.lua" << EOF
wrk.method = "POST"
local f = io.open("$work/q.json", "rb")
wrk.body = f:read("*a")
f:close()
EOF
id=$(head -n 1 "$work/index.jsonl" | python3 -c 'import json,sys,urllib.parse; print(urllib.parse.quote(json.load(sys.stdin)["id"], safe=""))')
for what in query document; do
    if [ $what = query ]; then
        out=$(wrk -t2 -c8 -d10s --latency -s "$work/post.lua" "$url/query")
    else
        out=$(wrk -t2 -c8 -d10s --latency "$url/documents/$id")
    fi
    echo "$out" | awk -v what="$what" '
        /Requests\/sec/ { rps = $2 }
        /^ +50%/ { p50 = $2 }
        /^ +99%/ { p99 = $2 }
        END { printf "wrk, %s: %s requests/s, p50 %s, p99 %s\n", what == "query" ? "POST /query" : "GET /documents/ID", rps, p50, p99 }'
done
