# SPDX-License-Identifier: MIT
# Normalisation is NFKC with case folding: compatibility characters (fullwidth
# digits and letters, the "fi" ligature, a superscript two) and canonically
# equivalent spellings (e + combining acute accent versus the precomposed letter)
# fold to the same words, so these documents are duplicates of plain.txt.
printf 'The caf\303\251 in Lund sold 14 cakes and 2 pies before noon on its first day.\n' > plain.txt
printf 'The caf\303\251 in Lund sold \357\274\221\357\274\224 cakes and 2 pies before noon on its first day.\n' > fullwidth.txt
printf 'The caf\303\251 in Lund sold 14 cakes and 2 pies before noon on its \357\254\201rst day.\n' > ligature.txt
printf 'The cafe\314\201 in Lund sold 14 cakes and 2 pies before noon on its first day.\n' > combining.txt
printf 'THE CAF\303\211 IN LUND SOLD 14 CAKES AND \302\262 PIES BEFORE NOON ON ITS FIRST DAY!\n' > upper.txt
printf 'The caf\303\251 in \357\274\254\357\275\225\357\275\216\357\275\204 sold 14 cakes and 2 pies before noon on its first day.\n' > wide.txt
$REPRINT scan plain.txt fullwidth.txt ligature.txt combining.txt upper.txt wide.txt | cut -f 1-3 | grep -e '^a' -e '^plain'
