# SPDX-License-Identifier: MIT
# dedup without -o is a usage error (exit 2); nothing is written anywhere.
$REPRINT dedup "$DATA/news"
rc=$?
ls
exit $rc
