# SPDX-License-Identifier: MIT
# reprint --version and -V print "reprint VERSION" on stdout and exit 0.
$REPRINT --version || exit 1
$REPRINT -V
