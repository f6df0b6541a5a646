# SPDX-License-Identifier: MIT
# Two long related texts: 100,000 sentences each (7.2 MB), the second the
# first with every figure one more. Each sentence names three things no other
# sentence names and shares its other words with all the others, so the
# sentences that say the same thing are found through the words only they
# share (words in more than 64 sentences of a text do not count): 100,000
# differences. Comparing every sentence of one text with every sentence of
# the other, once for each figure, took six minutes on this case (the same
# output); the runner's time limit (300 s) fails the case if that comes back.
gen() {
    awk -v add="$1" 'BEGIN {
        for (i = 0; i < 100000; i++) {
            w = ""; n = i
            for (k = 0; k < 4; k++) { w = w substr("abcdefghijklmnopqrstuvwxyz", n % 26 + 1, 1); n = int(n / 26) }
            printf "The %sard mill said %ston output rose to %d tonnes at %sville.\n", w, w, 10000 + i + add, w
        }
    }'
}
gen 0 > a.txt
gen 1 > b.txt
$REPRINT scan -q --differences diff.jsonl a.txt b.txt | cut -f 1-3,7,11
echo "differences: $(wc -l < diff.jsonl)"
head -n 2 diff.jsonl
tail -n 1 diff.jsonl
