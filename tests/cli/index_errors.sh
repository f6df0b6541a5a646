# SPDX-License-Identifier: MIT
# What goes wrong with an index says so, with the exit code of its kind, and leaves
# the index as it was: creating over a file (2), a missing index (3), a file that is
# not an index (3), another format version (2, naming both), an id already indexed
# (1, naming the input and the index; --replace replaces it), a bad document in a
# batch (1: none of the batch is added), no INPUT (2), an unknown index command (2).
# A query adds nothing; stats tell documents, clusters, stories, pairs, settings.
ln -s "$SEEDS" seeds
run() {
    label=$1
    shift
    "$@"
    echo "$label: exit $?"
}
count() { sqlite3 i.db "SELECT count(*) || ' documents, ' || (SELECT count(*) FROM relations) || ' pairs' FROM docs"; }
run "create" $REPRINT index create --ngram 5 i.db
run "create again" $REPRINT index create i.db
run "add to a missing index" $REPRINT index add nowhere.db seeds/000_c49c771218197d27.txt
echo "not sqlite" > plain.db
run "add to a file that is no index" $REPRINT index add plain.db seeds/000_c49c771218197d27.txt
run "add 000 001 002" $REPRINT index add i.db seeds/000_c49c771218197d27.txt \
    seeds/001_811c8e1ff850ec4f.txt seeds/002_781ff10bc3527234.txt
count
run "add 002 again" $REPRINT index add i.db seeds/002_781ff10bc3527234.txt
count
printf '{"id":"ok","text":"A good document about the harbour bridge."}\n{"id":"bad","text":\n' > bad.jsonl
run "a batch with a bad document" $REPRINT index add i.db bad.jsonl
count
run "no INPUT" $REPRINT index add i.db
run "unknown index command" $REPRINT index drop i.db
run "query 003 004" $REPRINT query i.db seeds/003_6881012dfa7ffe4d.txt seeds/004_ff225e932b193173.txt
count
run "replace 002" $REPRINT index add --replace i.db seeds/002_781ff10bc3527234.txt
count
run "stats" $REPRINT index stats i.db | grep -v '^bytes'
cp i.db old.db
sqlite3 old.db "UPDATE meta SET value = '99' WHERE key = 'format'; UPDATE meta SET value = '9.0.0' WHERE key = 'version'"
run "another format" $REPRINT index add old.db seeds/003_6881012dfa7ffe4d.txt
run "integrity" sqlite3 i.db "PRAGMA integrity_check"
