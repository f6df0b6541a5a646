# SPDX-License-Identifier: MIT
# reprint align --reworded: two reports of one fire written apart, sharing no
# five words in order. Without the option they share no passage; with it the
# sentence that says the same in other words (the chief's account of where and
# when the fire started) is a passage of whole sentences, while the sentences
# that share fewer than half of their weighted content words stay apart. The
# relation does not change: it counts words reused in order. --format jsonl
# gives the same passage with its text at the offsets given. Twelve reworded
# sentences between unrelated ones are twelve passages.
cat > a.txt <<'TXT'
Mill fire closes river road

The old grain mill on the east bank of the Tarrow burned through the night, and the county closed the river road while crews fought the flames.

Fire chief Odile Brann said the blaze started in a storage loft shortly before midnight and spread along the roof beams within an hour.

Nobody was inside, and the road is expected to reopen on Friday once engineers have checked the retaining wall.
TXT
cat > b.txt <<'TXT'
River road shut after mill blaze

Flames tore through the disused grain mill beside the Tarrow overnight. According to fire chief Odile Brann, the blaze broke out in a storage loft just before midnight and within an hour had spread along the beams of the roof.

Engineers will inspect the retaining wall before the road reopens, probably on Friday. The building was empty.
TXT
$REPRINT align --inline --color never a.txt b.txt
echo "without: exit $?"
$REPRINT align --reworded --inline --color never a.txt b.txt
echo "reworded: exit $?"
$REPRINT align --reworded --format jsonl a.txt b.txt
echo "jsonl: exit $?"
$REPRINT scan --reworded a.txt b.txt | cut -f3,7
echo "scan: exit $?"
# Twelve reworded sentences, each between unrelated ones: twelve passages (the
# passages of a pair grow past their first room; the sanitizer build checks it).
awk 'BEGIN { for (i = 1; i <= 12; i++)
    printf "Alpha%d beta gamma delta epsilon zeta theta iota kappa. The council of town%d approved funding for harbour repairs and new lighting along the quay.\n\n", i, i }' > c.txt
awk 'BEGIN { for (i = 1; i <= 12; i++)
    printf "Orange%d lemon grape melon peach plum cherry apple. Funding for harbour repairs and new quay lighting was approved by the town%d council.\n\n", i, i }' > d.txt
$REPRINT align --reworded --format jsonl c.txt d.txt | wc -l
$REPRINT scan --reworded --passages p.jsonl c.txt d.txt > /dev/null
wc -l < p.jsonl
