# SPDX-License-Identifier: MIT
# --threshold: 04 ~ 07 has exact Jaccard 172/224 = 0.767857...: a near-duplicate at
# 0.7678 (printed 0.7678, containments 172/188 and 172/208), not at 0.7679 nor by
# default. The fast path (--fast) shows exactly that: the pair or nothing. The full
# scan still reports the pair below the threshold, as the reprint it is (one
# passage covering most of both texts).
cd "$DATA/news" || exit 1
$REPRINT scan --fast --threshold 0.7678 04_farm_drought.txt 07_farm_drought_update.txt
echo "---"
$REPRINT scan --fast --threshold 0.7679 04_farm_drought.txt 07_farm_drought_update.txt
echo "---"
$REPRINT scan --fast 04_farm_drought.txt 07_farm_drought_update.txt
echo "--- full scan"
$REPRINT scan --threshold 0.7678 04_farm_drought.txt 07_farm_drought_update.txt
$REPRINT scan --threshold 0.7679 04_farm_drought.txt 07_farm_drought_update.txt
echo "---"
# At 0.95 the library pair (0.9019) is no copy either; duplicates always stay.
$REPRINT scan --fast -t 0.95 "$DATA/news.jsonl"
echo "--- full scan"
$REPRINT scan -t 0.95 "$DATA/news.jsonl"
