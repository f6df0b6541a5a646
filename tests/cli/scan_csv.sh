# SPDX-License-Identifier: MIT
# --format csv: the same rows as TSV, comma separated, with a header line. A field
# holding a comma (the why of a same-story pair of seeds) is quoted (RFC 4180).
$REPRINT scan --format csv "$DATA/news"
cd "$SEEDS" || exit 1
$REPRINT scan --format csv 000_c49c771218197d27.txt 001_811c8e1ff850ec4f.txt |
    cut -d , -f 1-3,10-
