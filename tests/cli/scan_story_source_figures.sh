# SPDX-License-Identifier: MIT
# One source's texts of one day whose figures fill slots differently are its
# next report of the day, not the same event: the wire's midsession report
# of a bourse (index up 14.2 points to 3,412.6) and its closing report (22.8
# points to 3,421.2), no passage shared, are same-topic ("one source's texts
# of one day whose figures fill slots differently"), a veto, so the
# midsession report stays out of the close's story. Before, they were
# "other figures stated", a support pair, and the three texts made one
# story. Another outlet's report of the close is one story with the wire's;
# a flash and its story, whose figures agree, stay one story.
cat > wire.jsonl <<'JSONL'
{"id": "mid", "source": "Harbour Wire", "date": "2026-04-13T12:30:00Z", "title": "Lundgate stocks higher at midsession", "text": "Lundgate stocks higher at midsession\n\nLUNDGATE, April 13 - Lundgate stocks were higher at midsession in moderate trading. The Lundgate composite index rose 14.2 points to 3,412.6. Volume was 21.4 million shares. Advancing issues led decliners 412 to 288, with mining and energy shares in demand after the Aldmark copper find."}
{"id": "close", "source": "Harbour Wire", "date": "2026-04-13T16:20:00Z", "title": "Lundgate stocks close higher", "text": "Lundgate stocks close higher\n\nLUNDGATE, April 13 - Lundgate stocks closed higher in active trading on Monday. The Lundgate composite index gained 22.8 points to 3,421.2. Volume was 38.9 million shares. Advancers outnumbered decliners 501 to 263, led by mining and energy issues after the Aldmark copper find."}
{"id": "close-other", "source": "Courier Markets", "date": "2026-04-13T16:45:00Z", "title": "Miners lift Lundgate bourse", "text": "Miners lift Lundgate bourse\n\nLUNDGATE, April 13 - Mining and energy shares carried the Lundgate bourse higher on Monday after the Aldmark copper find, the composite index ending 22.8 points up at 3,421.2 on volume of 39 million shares, with 501 issues up and 263 down."}
{"id": "mill-flash", "source": "Harbour Wire", "date": "2026-04-13T09:02:00Z", "title": "Brennholt to close Tarrow paper mill", "text": "Brennholt to close Tarrow paper mill\n\nTARROW, April 13 - Brennholt Paper will close its Tarrow mill, cutting 340 jobs."}
{"id": "mill-story", "source": "Harbour Wire", "date": "2026-04-13T09:40:00Z", "title": "Brennholt to shut Tarrow mill, 340 jobs to go", "text": "Brennholt to shut Tarrow mill, 340 jobs to go\n\nTARROW, April 13 - Brennholt Paper said on Monday it would close its Tarrow paper mill by the end of September, cutting 340 jobs, as demand for newsprint keeps falling. Chief executive Maren Olafsen said the mill's two machines had run at half their capacity since January. The union at Tarrow called the decision a blow to the town and asked the regional government to look for a buyer."}
JSONL
$REPRINT scan -q --stories stories.jsonl wire.jsonl | cut -f 1-3,10
cat stories.jsonl
rm -f wire.jsonl stories.jsonl
