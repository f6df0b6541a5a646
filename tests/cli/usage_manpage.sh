# SPDX-License-Identifier: MIT
# The man page (reprint manpage, what `make reprint.1` writes) comes from the option
# table that --help is written from: every option of every command's help is in it,
# under that command's section, and it is roff with a title line.
$REPRINT manpage > reprint.1
echo "manpage: exit $?"
grep -c '^\.TH REPRINT 1 ' reprint.1
for cmd in scan dedup align "index create" "index add" query "index stats" "index export" serve; do
    section=$(echo "$cmd" | tr a-z A-Z)
    sed -n "/^\.SH REPRINT $section\$/,/^\.SH [A-Z ]*\$/p" reprint.1 | sed 's/\\-/-/g' > part.txt
    missing=0
    # shellcheck disable=SC2086
    for opt in $($REPRINT $cmd --help | sed -n '/^options:/,$p' | grep -o -- '--[a-z-]*' | sort -u); do
        grep -q -- "^\.B .*$opt" part.txt || { echo "$cmd: $opt missing"; missing=1; }
    done
    echo "$cmd: $(grep -c '^\.TP' part.txt) options, missing $missing"
done
