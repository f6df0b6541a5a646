# SPDX-License-Identifier: MIT
# Datelines naming other places tell two happenings apart (README "Places
# filed from"). 1. Two grain reports of one board's daily template from two
# cities share their opening paragraph: shares-passages, "filed from other
# places" (before the rule: same-story, "passages shared near the top").
# 2. Two ferry strikes on one day in two ports, written independently:
# same-topic, "filed from other places" (before: same-story); a third report,
# without a dateline, of the Halifax strike stays same-story with it: a text
# without a dateline gives no place to compare.
cat > lincoln.txt <<'TXT'
LINCOLN GRAIN BIDS HOLD AT CLOSE - STATE BOARD

LINCOLN, May 12 - Country elevator bids for yellow corn held steady into the close, the state grain board said in its daily report. Farmers held back sales after the overnight rain, and truck arrivals at the river terminals were below the seasonal average for the second week running.
    By the close, elevator managers said growers around the city were still holding old crop corn in bins with soybean planting only half done after the wet April. Feeders in the east of the state kept paying a premium for prompt shipment of corn, and river barge freight stayed unchanged through the afternoon.
TXT
cat > platte.txt <<'TXT'
NORTH PLATTE GRAIN BIDS STEADY - STATE BOARD

NORTH PLATTE, May 12 - Country elevator bids for yellow corn were steady in light trade at midday, the state grain board said in its daily report. Farmers held back sales after the overnight rain, and truck arrivals at the river terminals were below the seasonal average for the second week running.
    Elevator managers in the west said corn planting was nearly done under the pivots, ahead of last year's pace after a dry April, and that growers were selling old crop corn from bins to make room. The ethanol plant west of town had stopped buying corn for the week, and rail freight to the feedlots was quoted unchanged.
TXT
cat > ferry-halifax.txt <<'TXT'
Ferry crews walk out over rosters

HALIFAX, May 12 - Crews on the ferries between Halifax and Dartmouth walked off the job at dawn on Tuesday in a dispute over new rosters, leaving thousands of commuters to find other ways across the harbour. The union said its members would stay out until Halifax Transit withdrew the rosters, which it said cut rest breaks between crossings. Transit officials said buses would run extra trips over the bridges during the morning and evening peaks.
TXT
cat > ferry-stjohn.txt <<'TXT'
Ferry crews strike over rosters

SAINT JOHN, May 12 - Ferry crews on the river crossings walked out on Tuesday morning over new rosters, stranding commuters on both banks. Their union said the walkout would last until the provincial transport department dropped the rosters, which it said stretched shifts without rest breaks. The department said it had hired water taxis to carry people across while talks continued.
TXT
cat > ferry-radio.txt <<'TXT'
Halifax harbour ferries idle as crews strike

Harbour ferries between Halifax and Dartmouth sat tied up on Tuesday after their crews walked out at dawn over the transit authority's new rosters. Commuters crowded onto buses over the bridges, which the authority added in the peaks. Union leaders said the crews would not return until the rosters, which they say shorten rest breaks between crossings, are withdrawn.
TXT
$REPRINT scan -q lincoln.txt platte.txt | cut -f 1-3,7,10
$REPRINT scan -q ferry-halifax.txt ferry-stjohn.txt ferry-radio.txt | cut -f 1-3,7,10
rm -f lincoln.txt platte.txt ferry-halifax.txt ferry-stjohn.txt ferry-radio.txt
