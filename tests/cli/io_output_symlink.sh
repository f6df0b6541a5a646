# SPDX-License-Identifier: MIT
# An output path that is a symbolic link is written through the link, in place: the
# link stays a link and its target receives the output (even a dangling link's
# target, which is created). A regular file is replaced as a whole, and no
# temporary file is left anywhere.
show() {
    if [ -L "$1" ]; then echo "$1: link to $(readlink "$1")"; else echo "$1: not a link"; fi
}
printf 'old contents\n' > target.txt
ln -s target.txt link.jsonl
$REPRINT scan -q --clusters link.jsonl "$DATA/news.jsonl" > pairs.tsv
echo "scan --clusters link.jsonl: exit $?"
show link.jsonl
cat target.txt
# The same, compressed, and for dedup's three outputs; kept.jsonl dangles.
ln -s kept-target.jsonl kept.jsonl
ln -s removed-target.jsonl.gz removed.jsonl.gz
printf 'old contents\n' > clusters-target.jsonl
ln -s clusters-target.jsonl clusters.jsonl
$REPRINT dedup -q --removed removed.jsonl.gz --clusters clusters.jsonl "$DATA/news.jsonl" \
    -o kept.jsonl
echo "dedup through links: exit $?"
show kept.jsonl
show removed.jsonl.gz
show clusters.jsonl
wc -l < kept-target.jsonl
gzip -dc removed-target.jsonl.gz
# dedup finds copies only: its clusters are the copies clusters of scan's file.
grep '"level":"copies"' target.txt | cmp clusters-target.jsonl - &&
    echo "clusters-target.jsonl = the copies clusters of target.txt"
# A link to this process's standard output (what /dev/stdout is), with standard
# output redirected to a file: the file gets the output, the link stays.
ln -s /proc/self/fd/1 stdout-link
$REPRINT dedup -q "$DATA/news.jsonl" -o stdout-link > captured.jsonl
echo "dedup -o stdout-link: exit $?"
show stdout-link
cmp captured.jsonl kept-target.jsonl && echo "captured.jsonl = kept-target.jsonl"
# A regular file is replaced (renamed over), not written through.
printf 'old contents\n' > plain.jsonl
$REPRINT scan -q --clusters plain.jsonl "$DATA/news.jsonl" > /dev/null
echo "scan --clusters plain.jsonl: exit $?"
show plain.jsonl
cmp plain.jsonl target.txt && echo "plain.jsonl = target.txt"
ls
