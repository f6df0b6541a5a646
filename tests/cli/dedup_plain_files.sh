# SPDX-License-Identifier: MIT
# Plain files become JSONL records {"id": path, "text": contents}; the text
# round-trips exactly (CRLF, curly quotes, the newline at the end).
cd "$DATA/news" || exit 1
$REPRINT dedup --keep longest --removed "$OLDPWD/removed.jsonl" . -o "$OLDPWD/out.jsonl"
echo "exit $?"
cd "$OLDPWD" || exit 1
cat removed.jsonl
python3 - "$DATA/news" out.jsonl <<'PY'
import json, sys
folder, out = sys.argv[1], sys.argv[2]
for line in open(out, 'rb'):
    rec = json.loads(line)
    with open(folder + '/' + rec['id'], 'rb') as f:
        same = f.read() == rec['text'].encode('utf-8')
    print(rec['id'], sorted(rec), 'text same as file' if same else 'TEXT DIFFERS')
PY
