# SPDX-License-Identifier: MIT
# Furniture by frequency in an index, at its bound. Eight short reports of a local
# paper carry one footer line; a line is furniture from 5 documents on (linecount.c).
# Added one at a time, d2-d4 share the footer as a passage with the reports before
# them (the index holds it 1-3 times, d4 makes 4), d5 brings it to 5: from there it is
# furniture, and nothing is shared. An index lists only the line keys in 4 documents or
# more (line_counts_ge4), and a single add does not look up the others' counts:
# d4's footer (3 indexed) is not looked up, d5's (4 indexed) is. Added as a batch of
# two after d1-d3, d4 and d5 together bring it to 5 (3 indexed + 2 new): both see
# furniture, so the bound counts the new documents too. Then an index made before
# line_counts_ge4 (dropped here) answers the same, and gets it back at its
# first add.
i=0
while read -r body; do
    i=$((i + 1))
    printf '%s\nHarbour Times brings you the news from the coast of Portvik every day since 1901.\n' \
        "$body" > d$i.txt
done < "$DATA/harbour_reports.txt"
echo "one at a time:"
$REPRINT index create a.db
for k in 1 2 3 4 5 6 7; do
    $REPRINT index add a.db d$k.txt | tail -n +2
done
# (two keys: the footer, and the footer followed by the end of its text)
echo "listed line keys (how many, in how many documents): $(sqlite3 a.db "SELECT count(*), n
    FROM line_counts INDEXED BY line_counts_ge4 WHERE n >= 4 GROUP BY n")"
echo "d1-d3, then d4 and d5 in one batch:"
$REPRINT index create b.db
$REPRINT index add b.db d1.txt d2.txt d3.txt | tail -n +2
$REPRINT index add b.db d4.txt d5.txt | tail -n +2
echo "without line_counts_ge4:"
sqlite3 a.db "DROP INDEX line_counts_ge4"
$REPRINT query a.db d8.txt | tail -n +2
$REPRINT index add a.db d8.txt | tail -n +2
echo "indexes after an add: $(sqlite3 a.db "SELECT name FROM sqlite_master WHERE type = 'index'
    AND name = 'line_counts_ge4'")"
