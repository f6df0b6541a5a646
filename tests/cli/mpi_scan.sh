# SPDX-License-Identifier: MIT
# The default scan (passages, relations, stories, timelines, differences, the
# report) on reprint-mpi writes what reprint writes, byte for byte, on 1, 2, 3
# and 5 ranks: the seed articles (plain files divided whole), the repository's
# examples with the report and the furniture list (rank 0 fetches every
# text), 2,000 news articles divided by byte ranges (with outputs that show no
# text, so rank 0 fetches none; with the report and every store in temporary
# files, rank 0's text store too), more ranks than
# documents, a broken line with and without --skip-bad, ids repeated on other
# ranks with texts of documents in many pairs (--skip-bad: the words of the
# skipped ones must not count), and --local-inputs (each rank its own file).
. "$DATA/../cli/mpi_lib.inc"
ALL="--passages passages.jsonl --stories stories.jsonl --timeline timeline.jsonl --differences differences.jsonl"
FILES="passages.jsonl stories.jsonl timeline.jsonl differences.jsonl"
echo "seeds:"
same_as_reprint "1 2 3 5" "$FILES" scan $ALL "$SEEDS"/*.txt
ref_summary $FILES
echo "examples, with the report and the furniture list:"
same_as_reprint "2 5" "$FILES report.html" scan $ALL --html report.html --show-furniture \
    "$DATA/../../examples"
ref_summary $FILES report.html
head -n 2000 "$EVAL/news_reuters21578_bbc/docs.jsonl" > news.jsonl
echo "2,000 news articles:"
same_as_reprint "1 2 3 5" "$FILES" scan $ALL ../news.jsonl
ref_summary $FILES
echo "2,000 news articles, outputs that show no text (rank 0 fetches none):"
same_as_reprint "2 3" "stories.jsonl timeline.jsonl" scan --stories stories.jsonl \
    --timeline timeline.jsonl ../news.jsonl
ref_summary stories.jsonl timeline.jsonl
echo "2,000 news articles, the report, --memory 0 (every store in temporary files):"
same_as_reprint "3" "$FILES report.html" scan --memory 0 $ALL --html report.html ../news.jsonl
ref_summary $FILES report.html
echo "two documents on up to 5 ranks:"
head -n 2 news.jsonl > two.jsonl
same_as_reprint "3 5" "$FILES" scan $ALL ../two.jsonl
ref_summary $FILES
awk 'NR == 150 { print "{\"id\": \"broken\", \"text\": \"no end}"; next } NR <= 300 { print }' \
    news.jsonl > broken.jsonl
echo "broken line:"
same_as_reprint "2 3" "$FILES" scan $ALL ../broken.jsonl
ref_summary $FILES
echo "broken line, --skip-bad:"
same_as_reprint "2 3" "$FILES" scan --skip-bad $ALL ../broken.jsonl
ref_summary $FILES
repeated_ids news.jsonl > dupid.jsonl
echo "repeated ids, --skip-bad:"
same_as_reprint "2 3 5" "$FILES" scan --skip-bad $ALL ../dupid.jsonl
ref_summary $FILES
echo "--local-inputs:"
head -n 150 news.jsonl > a.jsonl
sed -n '151,300p' news.jsonl > b.jsonl
rm -rf ref && mkdir ref h0 h1
(cd ref && $REPRINT scan $ALL ../a.jsonl ../b.jsonl > stdout 2> stderr; echo "reprint: exit $?")
mpmd "h0 scan --local-inputs $ALL ../a.jsonl" "h1 scan --local-inputs $ALL ../b.jsonl" \
    > h0/stdout 2> h0/stderr
echo "reprint-mpi: exit $?"
wc -l < ref/stdout
for f in stdout stderr $FILES; do cmp -s "ref/$f" "h0/$f" && echo "$f: same"; done
