# SPDX-License-Identifier: MIT
# Undated texts naming days a day apart are weak evidence, not a veto.
# Three undated reports of one mill fire, no sentence in common: a and b
# name its Tuesday (same-story); c, the next day's search of the ruins, names
# only Wednesday: with a and b, "not both dated, days named a day apart, nothing
# else tells the events apart", a same-topic pair that supports the story,
# so c joins it. d, the owners' statement of Friday, names a day two days
# from c's and three from the fire's: "other days named", a veto, so d stays
# out. (Dated a day apart, such texts may name neighbouring days outright:
# scan_story_dates.)
cat > fire-a.txt <<'TXT'
Fire guts Harwick textile mill

A fire destroyed the Brennan textile mill in Harwick on Tuesday, and firefighters fought the blaze for six hours before bringing it under control, the county fire service said. Forty workers left the building safely when the alarm sounded shortly after noon. Fire chief Moira Kaplan said the roof of the weaving hall collapsed in the afternoon. The cause of the fire is not yet known.
TXT
cat > fire-b.txt <<'TXT'
Harwick mill burns, workers escape

The Brennan textile mill in Harwick burned down on Tuesday. All forty workers got out unhurt after the alarm went off around noon, the county fire service said. Fire chief Moira Kaplan told reporters the weaving hall roof had fallen in, and crews needed six hours to control the blaze. Investigators will look for the cause.
TXT
cat > fire-c.txt <<'TXT'
Brennan mill fire: investigators search the ruins

Investigators from the county fire service began searching the ruins of the Brennan textile mill in Harwick on Wednesday, a day after the fire. The fallen roof slowed their work, chief Moira Kaplan said. The owners said the forty workers would be paid while the mill stays closed.
TXT
cat > fire-d.txt <<'TXT'
Harwick mill fire: owners promise to rebuild

The owners of the Brennan textile mill in Harwick said on Friday they would rebuild the weaving hall destroyed by fire, and keep paying the forty workers. Fire chief Moira Kaplan said investigators of the county fire service were still searching the ruins for the cause.
TXT
$REPRINT scan -q --stories stories.jsonl fire-a.txt fire-b.txt fire-c.txt fire-d.txt | cut -f 1-3,10
cat stories.jsonl
# c dated (a Wednesday), the others not: the pairs are not both dated, and
# the same weak evidence (the why says "not both dated", not "undated").
python3 - <<'PY'
import json
with open('fires.jsonl', 'w') as out:
    for k in 'abcd':
        rec = {'id': 'fire-' + k, 'text': open('fire-%s.txt' % k).read()}
        if k == 'c':
            rec['date'] = '2025-03-12'
        out.write(json.dumps(rec) + '\n')
PY
$REPRINT scan -q fires.jsonl | cut -f 1-3,10 | grep fire-c
rm -f fire-a.txt fire-b.txt fire-c.txt fire-d.txt fires.jsonl stories.jsonl
