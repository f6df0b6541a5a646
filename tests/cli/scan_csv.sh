# SPDX-License-Identifier: MIT
# --format csv: the same rows as TSV, comma separated, with a header line.
$REPRINT scan --format csv "$DATA/news"
