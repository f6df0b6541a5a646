# SPDX-License-Identifier: MIT
# --format jsonl: one JSON object per pair, no header; ids from the JSONL id field.
$REPRINT scan --format jsonl "$DATA/news.jsonl"
