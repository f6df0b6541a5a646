# SPDX-License-Identifier: MIT
# reprint with no arguments prints the usage on stderr and exits 2 (usage error).
$REPRINT
