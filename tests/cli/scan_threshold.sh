# SPDX-License-Identifier: MIT
# --threshold: 04 ~ 07 has exact Jaccard 172/224 = 0.767857...: reported at 0.7678
# (printed 0.7678, containments 172/188 and 172/208), not at 0.7679 nor by default.
cd "$DATA/news" || exit 1
$REPRINT scan --threshold 0.7678 04_farm_drought.txt 07_farm_drought_update.txt
echo "---"
$REPRINT scan --threshold 0.7679 04_farm_drought.txt 07_farm_drought_update.txt
echo "---"
$REPRINT scan 04_farm_drought.txt 07_farm_drought_update.txt
echo "---"
# At 0.95 the library pair (0.9019) is gone too; duplicates always stay.
$REPRINT scan -t 0.95 "$DATA/news.jsonl"
