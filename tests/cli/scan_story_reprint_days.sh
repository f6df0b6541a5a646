# SPDX-License-Identifier: MIT
# A reprint dated two days or more from the other text that names other days
# is a template filled again for another day (README "Publication dates"):
# the Riverton authority's weekly notice of 2 and 16 March, word for word but
# the dateline's day and a last sentence, is shares-passages (before the
# rule: reprint); the notice of 2 March carried again
# the next day by a paper, with a paragraph of its own, stays a reprint of it.
cat > notices.jsonl <<'JSONL'
{"id":"notice-0302","date":"2026-03-02","text":"RIVERTON AUTHORITY SETS WEEKLY RESERVE AUCTION\n\nRIVERTON, March 2 - The Riverton Power Authority said it will offer 40 megawatts of reserve capacity at its weekly auction on Thursday, with sealed bids due at the authority's offices by noon. The authority said the capacity would be awarded to the lowest bidders in blocks of five megawatts for delivery over the following seven days, and that results would be posted on its notice board after the close of trading."}
{"id":"notice-0316","date":"2026-03-16","text":"RIVERTON AUTHORITY SETS WEEKLY RESERVE AUCTION\n\nRIVERTON, March 16 - The Riverton Power Authority said it will offer 40 megawatts of reserve capacity at its weekly auction on Thursday, with sealed bids due at the authority's offices by noon. The authority said the capacity would be awarded to the lowest bidders in blocks of five megawatts for delivery over the following seven days. It added that the spring maintenance of the upper dam had ended a week early, and that turbines three and four were back in service."}
{"id":"gazette-0303","date":"2026-03-03","text":"Power authority to auction reserve capacity\n\nRIVERTON, March 2 - The Riverton Power Authority said it will offer 40 megawatts of reserve capacity at its weekly auction on Thursday, with sealed bids due at the authority's offices by noon. The authority said the capacity would be awarded to the lowest bidders in blocks of five megawatts for delivery over the following seven days, and that results would be posted on its notice board after the close of trading.\n\nLocal mill owners have complained for months that the auctions favour the two large smelters downstream, which can bid for every block at once. A spokeswoman for the mill owners' association said members would meet with the authority's board before the summer to ask for smaller blocks and a separate sale for firms drawing under one megawatt."}
JSONL
$REPRINT scan -q notices.jsonl | cut -f 1-3,10
rm -f notices.jsonl
