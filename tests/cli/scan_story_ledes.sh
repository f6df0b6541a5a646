# SPDX-License-Identifier: MIT
# Two events on one subject lead with their own: two athletics reports (one
# runner's win in Athlone, another's record in Glasgow) share a background
# paragraph (the squad, its coach, the championships ahead) and enough names
# and content words to pass for one event, but their headlines and ledes name
# nothing in common. They share passages (background), not a story; also when
# both ledes open with a dateline of the same day, which every report of that
# day shares.
cat > daly.txt <<'TXT'
Daly wins 800 metres in Athlone

Aoife Daly won the women's 800 metres at the Athlone indoor meeting, pulling clear of the field on the final bend to win by a distance. She lowered her own best time by almost a second, to the delight of a home crowd that had waited all evening for her race.

Athletics Ireland said the championships in Madrid next month remain the target for the squad, and coach Brendan Doyle said the team was in good shape after a winter of training in Limerick.
TXT
cat > walsh.txt <<'TXT'
Walsh breaks national hurdles record

Ciaran Walsh broke the national hurdles record at the Glasgow international, beating a mark that had stood for nine years. He finished clear of two former European medallists in a race he had entered only as a late replacement for an injured team mate, and was given a standing ovation.

The championships in Madrid next month are the squad's target, Athletics Ireland said, and coach Brendan Doyle said the team had come through a winter of training in Limerick in good shape.
TXT
$REPRINT scan -q daly.txt walsh.txt | cut -f 1-3,7,10
sed 's/^Aoife Daly won/ATHLONE, March 4 - Aoife Daly won/' daly.txt > daly-dated.txt
sed 's/^Ciaran Walsh broke/GLASGOW, March 4 - Ciaran Walsh broke/' walsh.txt > walsh-dated.txt
$REPRINT scan -q daly-dated.txt walsh-dated.txt | cut -f 1-3,7,10
rm -f daly.txt walsh.txt daly-dated.txt walsh-dated.txt
