# SPDX-License-Identifier: MIT
# The five seed articles share passages but are not near-duplicates at 0.8:
# only the header is printed.
$REPRINT scan "$SEEDS"/*.txt
