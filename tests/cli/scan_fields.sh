# SPDX-License-Identifier: MIT
# --id-field and --text-field rename the JSONL fields; integer ids are accepted.
sed -e 's/"id": "/"doc": "/' -e 's/"text": "/"body": "/' "$DATA/news.jsonl" > renamed.jsonl
grep -c '"doc": ' renamed.jsonl
$REPRINT scan --id-field doc --text-field body renamed.jsonl > renamed.tsv
echo "exit $?"
$REPRINT scan "$DATA/news.jsonl" > plain.tsv
cmp plain.tsv renamed.tsv && echo "same as with id and text"
# Without the options, the first record has no "text" field.
$REPRINT scan renamed.jsonl
echo "exit $?"
# Integer ids, and another field used as the id.
printf '%s\n' '{"n": 7, "id": "x", "text": "The bus to the coast leaves at nine."}' \
    '{"n": 12, "id": "y", "text": "the bus to the coast leaves at nine"}' > ints.jsonl
$REPRINT scan --id-field n ints.jsonl
# dedup writes plain files with the renamed fields.
cd "$DATA/news" || exit 1
$REPRINT dedup --id-field doc --text-field body -o - 08_storm_short.txt
