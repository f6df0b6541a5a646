# SPDX-License-Identifier: MIT
# reprint --help prints the general usage on stdout (exit 0) and names both commands.
$REPRINT --help
