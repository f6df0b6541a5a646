# SPDX-License-Identifier: MIT
# reprint serve under malformed and hostile requests: each gets a 4xx with a JSON
# message and the service goes on answering /health. Broken JSON (400), a record
# without a text (400), text that is not UTF-8 (400), a 20 MB body (413, over the
# 10 MB default), an empty body (400), an id with path traversal or bytes that are
# not UTF-8 (404, the message valid JSON), a client that sends half a request and
# stalls (its connection is closed after --timeout, others are served meanwhile).
. "$DATA/serve_lib.sh"
$REPRINT index create i.db
serve_start i.db --timeout 1 || exit 1
req POST /documents -d '{"id": "a", "text": "broken'
req POST /documents -d '{"id": "b"}'
printf '{"id": "c", "text": "caf\351 au lait"}\n' > latin1.jsonl
req POST /documents --data-binary @latin1.jsonl
head -c 20000000 /dev/zero | tr '\0' 'a' > big.txt
req POST /documents --data-binary @big.txt
req POST /documents --data-binary ''
req GET '/documents/..%2F..%2F..%2Fetc%2Fpasswd'
req GET '/documents/%FF%FE'
python3 -c "import json; json.load(open('body.json')); print('the 404 message is valid JSON')"
python3 - "$URL" <<'PY'
import socket, sys, time, urllib.request
host, port = sys.argv[1].split('//')[1].split(':')
s = socket.create_connection((host, int(port)))
s.sendall(b'GET /health HTTP/1.1\r\nHost: x\r\n')  # no blank line: the request never ends
t0 = time.time()
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
print('meanwhile /health:', opener.open(sys.argv[1] + '/health', timeout=5).status)
s.settimeout(10)
closed = s.recv(4096) == b''
print('the stalled connection was closed by the server:', closed, 'within --timeout:', time.time() - t0 < 5)
PY
req GET /health
req POST /documents -d '{"id": "ok", "text": "The harbour board approved the new ferry timetable on Monday."}'
kill -INT $SERVER
wait $SERVER
echo "SIGINT: exit $?"
