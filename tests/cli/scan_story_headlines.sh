# SPDX-License-Identifier: MIT
# A news text names its event in its headline. Two reports of one council
# meeting, one on the new chair and one on the ferry subsidy, share the
# council, the day, the place and enough content words to pass for one event,
# and their ledes name the same people; but their headlines share no word:
# two events of one meeting, same-topic. Another outlet's report of the new
# chair, written independently, shares the headline's words: same-story. When
# the title runs into the text (one line, no full stop after it), the first
# sentences stand for it, up to 15 words at least: there they name the
# council on both sides, and the subsidy is a story of the meeting again.
cat > chair.txt <<'TXT'
Lindqvist elected to chair Portvik harbour council

Maria Lindqvist was elected chair of the Portvik harbour council on Tuesday evening, taking over from Anders Berg, who stood down after eleven years. Councillors backed her without a vote against at the council's spring meeting in the old customs house.

Lindqvist, a former ferry captain, told the meeting that the council would keep the island ferry running and look again at the cost of dredging the inner harbour. Berg said the harbour was in good hands.
TXT
cat > chair2.txt <<'TXT'
New harbour chair: Lindqvist takes over from Berg

The former ferry captain Maria Lindqvist will lead the Portvik harbour council after councillors chose her on Tuesday to succeed Anders Berg. Berg had chaired the council since the harbour was rebuilt and did not seek another term.

At the meeting in the customs house Lindqvist promised to protect the island ferry and to review what dredging the inner harbour costs the town.
TXT
cat > subsidy.txt <<'TXT'
Ferry subsidy extended for two more years

The island ferry will keep its subsidy after the Portvik harbour council agreed on Tuesday evening to extend the payments, which had been due to end in the summer. The extension passed unanimously at the spring session, held as every year in the former customs building.

Anders Berg, presiding for the last time, called the ferry the island's lifeline and left the dredging bill for the inner harbour to his successor, Maria Lindqvist.
TXT
$REPRINT scan -q --stories st.jsonl chair.txt chair2.txt subsidy.txt | cut -f 1-3,7,10
# Headlines are an outlet's angle: between two outlets' texts (or texts of no
# known source) they keep a pair from being a story pair, but the subsidy
# report, close to both reports of the chair, still fits the meeting's story.
cat st.jsonl
# One source's texts of one day whose headlines share no word are two pieces
# of its news: that pair tells another event, and the subsidy stays out.
python3 - > source.jsonl <<'PY'
import json
for name in ('chair', 'chair2', 'subsidy'):
    text = open(name + '.txt', encoding='utf-8').read()
    src = 'harbour-news' if name != 'chair2' else 'island-post'
    print(json.dumps({'id': name, 'text': text, 'source': src, 'date': '2026-04-14'}))
PY
$REPRINT scan -q --stories st.jsonl source.jsonl | cut -f 1-3,7,10
cat st.jsonl
python3 - > runon.jsonl <<'PY'
import json
for name in ('chair', 'subsidy'):
    text = open(name + '.txt', encoding='utf-8').read()
    print(json.dumps({'id': name, 'text': ' '.join(text.split())}))
PY
$REPRINT scan -q runon.jsonl | cut -f 1-3,7,10
rm -f chair.txt chair2.txt subsidy.txt runon.jsonl source.jsonl st.jsonl
