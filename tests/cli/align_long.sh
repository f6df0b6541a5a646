# SPDX-License-Identifier: MIT
# `reprint align` on two long texts that are one passage: 300,000 words (2 MB)
# each, every 50th word of the second changed. Each word of the passage is
# looked up among the other side's words (a sorted set); scanning the other
# side for each word made this quadratic (it had not ended after ten minutes,
# now under a second); the runner's time limit (300 s) fails the case if that
# comes back.
gen() {
    awk -v change="$1" 'BEGIN {
        split("alpha beta gamma delta mill output", w, " ")
        for (i = 0; i < 300000; i++) {
            if (change && i % 50 == 0) printf "changed%d ", i
            else if (i % 3 == 0) printf "%d ", 10000 + i
            else printf "%s%d ", w[(i * 7 + int(i / 5)) % 6 + 1], i % 7
        }
        printf "\n"
    }'
}
gen 0 > a.txt
gen 1 > b.txt
$REPRINT align --inline a.txt b.txt > out.txt
echo "exit $?"
sed -n 3p out.txt | cut -c 1-90
echo "marked words: $(grep -o '\[[^]]*\]' out.txt | wc -l)"
grep -o '\[[^]]*\]' out.txt | sed -n '1p;2p;$p'
