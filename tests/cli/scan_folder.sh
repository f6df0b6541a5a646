# SPDX-License-Identifier: MIT
# scan over a folder (read recursively): documents are named by their path relative
# to the folder; one TSV row per related pair, a before b in input order (file names
# sorted). Planted: 01 = 03 (case, curly quotes, doubled spaces, CRLF) = wire/... (exact
# copy): duplicates; 02 ~ 05 (two words changed): near-duplicate, J = 184/204; 08 = 09
# (three words, case and punctuation): duplicates. 04 ~ 07 has J = 172/224 = 0.7678,
# below the default threshold 0.8: not a copy, but one aligned passage covers most
# of both texts, a reprint. 06 is unrelated and does not appear. The storm pair is
# too short for a passage (8 words other than names are needed): 0 passages.
$REPRINT scan "$DATA/news"
