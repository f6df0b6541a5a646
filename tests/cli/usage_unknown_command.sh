# SPDX-License-Identifier: MIT
# An unknown command is a usage error (exit 2) and points to --help.
$REPRINT frobnicate "$DATA/news"
