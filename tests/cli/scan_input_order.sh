# SPDX-License-Identifier: MIT
# Inputs are numbered in the order given on the command line: a file given before
# another is column a. A plain file is named by its path as given; files of a
# folder by their path relative to the folder, with or without a trailing slash.
cd "$DATA/news" || exit 1
$REPRINT scan 05_city_library_edited.txt 02_city_library.txt
$REPRINT scan --format csv 09_storm_short_copy.txt ./08_storm_short.txt 06_fish_market.txt
$REPRINT scan --format csv ./ wire | tail -n 2
$REPRINT scan "$DATA/news/" | cmp - "$DATA/../cli/scan_folder.out" && echo "trailing slash: same"
