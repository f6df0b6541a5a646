# SPDX-License-Identifier: MIT
# Sourced by the serve_* CLI cases: start `reprint serve` on a free port of the
# loopback and wait until it listens. After `serve_start DB [OPTIONS]`, $URL is its
# address, $SERVER its process id, and serve.log its standard error.
serve_start() {
    db=$1
    shift
    $REPRINT serve --listen 127.0.0.1:0 "$@" "$db" 2> serve.log &
    SERVER=$!
    i=0
    while ! grep -q 'http://127.0.0.1:[0-9][0-9]*/' serve.log 2> /dev/null; do
        i=$((i + 1))
        if [ $i -gt 200 ] || ! kill -0 $SERVER 2> /dev/null; then
            echo "serve did not start"
            cat serve.log
            return 1
        fi
        sleep 0.05
    done
    URL=$(grep -o 'http://127.0.0.1:[0-9][0-9]*' serve.log | head -n 1)
}

# HTTP status and body of a request: req METHOD PATH [curl options...]
req() {
    method=$1
    path=$2
    shift 2
    curl -s --noproxy '*' -o body.json -w '%{http_code}' -X "$method" "$@" "$URL$path"
    echo " $(cat body.json)"
}
