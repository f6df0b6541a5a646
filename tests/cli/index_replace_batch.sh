# SPDX-License-Identifier: MIT
# A batch that replaces every document of a story (here 50 news articles, added
# again with --replace, twice) leaves the index as one add of the batch would:
# the same clusters and stories, the same pairs. A story regrouped after one
# replaced document must not keep another one replaced later in the batch.
ln -s "$EVAL" eval
head -n 50 eval/news_reuters21578_bbc/docs.jsonl > d.jsonl
$REPRINT index create once.db
$REPRINT index add -q once.db d.jsonl > once.tsv
$REPRINT index create r.db
$REPRINT index add -q r.db d.jsonl > /dev/null
$REPRINT index add -q --replace r.db d.jsonl > /dev/null
echo "replaced once: exit $?"
$REPRINT index add -q --replace r.db d.jsonl > /dev/null
echo "replaced twice: exit $?"
groups() { sqlite3 -separator ' ' "$1" "SELECT a.id, c.id, s.id FROM docs a JOIN docs c ON c.doc = a.cluster JOIN docs s ON s.doc = a.story ORDER BY a.id"; }
pairs() { sqlite3 -separator ' ' "$1" "SELECT x.id, y.id, r.relation FROM relations r JOIN docs x ON x.doc = r.a JOIN docs y ON y.doc = r.b ORDER BY 1, 2"; }
if [ "$(groups once.db)" = "$(groups r.db)" ]; then echo "clusters and stories as one add"; fi
if [ "$(pairs once.db)" = "$(pairs r.db)" ]; then echo "pairs as one add: $(pairs r.db | wc -l)"; fi
echo "stories of two or more: $(sqlite3 r.db 'SELECT count(*) FROM (SELECT story FROM docs GROUP BY story HAVING count(*) > 1)')"
