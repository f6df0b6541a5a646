# SPDX-License-Identifier: MIT
# Figures that are not the event's do not tell two reports apart.
# 1. A clock time written "11.30pm" is one figure, not the number 11 closing
#    a sentence: two independent reports of one night's clashes (no sentence
#    in common; one gives the time and 40 officers, the other 12 detained and
#    3 hurt) state no two figures each with none in common, so they are
#    same-story (before, "11" made it "other figures stated").
# 2. Years standing alone are background, not slots: two reports of one
#    bridge closure sharing a sentence, one saying it was rebuilt in 1998, the
#    other opened in 1974 and repaired in 2003, are same-story, not
#    "passages shared, other figures stated".
cat > clash-a.txt <<'TXT'
Fans clash after the cup final in Split

Riot police moved into the harbour front in Split at 11.30pm on Saturday, when supporters of the two finalists began throwing flares at each other outside the Poljud stadium. About 40 officers were deployed, and the harbour road stayed closed until the early morning, the county police said.
TXT
cat > clash-b.txt <<'TXT'
Split police detain supporters after cup final violence

Police in Split detained 12 fans and 3 were treated in hospital after rival supporters fought with flares near Poljud stadium late on Saturday, following the cup final. Officers in riot gear cleared the harbour front; the county police reported the road reopened at dawn.
TXT
cat > bridge-a.txt <<'TXT'
Flood closes the Danube bridge at Vukovar

Police closed the old Danube bridge at Vukovar at 11.30pm on Tuesday after the river rose above the warning mark, the city's mayor Ivan Penava said. Engineers from Osijek inspected the pillars overnight and found water in the foundations. The bridge, rebuilt in 1998 after the war, carries most of the traffic between Croatia and Serbia. Drivers were sent to the crossing at Ilok, about forty minutes downstream.
TXT
cat > bridge-b.txt <<'TXT'
Vukovar bridge shut as Danube floods

The Danube bridge at Vukovar was shut late on Tuesday as the swollen river passed the warning mark, mayor Ivan Penava told reporters. Engineers sent from Osijek checked the pillars through the night and reported water in the foundations. Opened in 1974 and repaired in 2003, the bridge is the busiest link between Croatia and Serbia, and traffic was diverted to Ilok.
TXT
$REPRINT scan -q clash-a.txt clash-b.txt | cut -f 1-3,7,10
$REPRINT scan -q bridge-a.txt bridge-b.txt | cut -f 1-3,7,10
rm -f clash-a.txt clash-b.txt bridge-a.txt bridge-b.txt
