# SPDX-License-Identifier: MIT
# scan --help and dedup --help print their usage on stdout, first line first, exit 0;
# --help wins over the other arguments, even missing inputs.
$REPRINT scan --help > scan.txt
echo "scan --help: exit $?"
head -n 1 scan.txt
$REPRINT dedup --help > dedup.txt
echo "dedup --help: exit $?"
head -n 1 dedup.txt
$REPRINT scan -h | head -n 1
$REPRINT dedup --threshold 0.9 --help no-such-file | head -n 1
