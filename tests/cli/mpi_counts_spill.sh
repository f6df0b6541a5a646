# SPDX-License-Identifier: MIT
# Count tables too small for the keys (REPRINT_TEST_COUNT_SLOTS=4096, passed
# to every rank): each rank keeps the keys past its tables in sorted runs and
# sends them with the table's to their owners, and settles its tables with
# the sums, as one process settles with its counts; so reprint-mpi writes
# what reprint writes on 1, 2, 3 and 5 ranks, where each rank's tables hold
# other keys than one process's did. Also with ids repeated on other ranks
# (--skip-bad: the dropped documents' keys are taken away; test_sketch's
# counter_spills checks that on the runs). scan_counts_spill shows the one
# process exact. With --memory 2M the counts are exchanged in rounds (8 for
# the lines, 3 for the words here: a round's keys stay within a quarter of
# --memory), each of one slice of the keys, the runs read once across them.
# With --memory 512K the n-gram postings go in 4 rounds too (a round's bytes
# within a twelfth of --memory), each of 4 of their 16 parts, and so do the
# texts rank 0's passages show (about an eighth of --memory a round).
. "$DATA/../cli/mpi_lib.inc"
REPRINT_TEST_COUNT_SLOTS=4096
MPI_ENV=REPRINT_TEST_COUNT_SLOTS
export REPRINT_TEST_COUNT_SLOTS
ALL="--passages passages.jsonl --stories stories.jsonl --timeline timeline.jsonl --differences differences.jsonl"
FILES="passages.jsonl stories.jsonl timeline.jsonl differences.jsonl"
head -n 2000 "$EVAL/news_reuters21578_bbc/docs.jsonl" > news.jsonl
echo "2,000 news articles:"
same_as_reprint "1 2 3 5" "$FILES" scan $ALL ../news.jsonl
ref_summary $FILES
repeated_ids news.jsonl > dupid.jsonl
echo "repeated ids, --skip-bad:"
same_as_reprint "2 3 5" "$FILES" scan --skip-bad $ALL ../dupid.jsonl
ref_summary $FILES
echo "2,000 news articles, --memory 2M (the counts in rounds):"
same_as_reprint "2 3" "$FILES" scan --memory 2M $ALL ../news.jsonl
ref_summary $FILES
echo "the same, --memory 512K (the postings in rounds too):"
same_as_reprint "2" "$FILES" scan --memory 512K $ALL ../news.jsonl
ref_summary $FILES
