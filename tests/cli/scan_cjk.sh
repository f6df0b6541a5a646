# SPDX-License-Identifier: MIT
# Chinese is written without spaces, so each character is a token and shingles are
# character 5-grams: one character changed ("six" to "eight" new staff) leaves
# J = 93/103 (98 shingles each, 93 shared); spaces between characters change
# nothing (duplicate); an unrelated Chinese story shares no shingle and no
# passage. Each copy pair is also aligned: one passage covering the whole text
# (the changed character lies inside it).
sed 's/图书馆/图 书 馆/g' "$DATA/cjk/library_zh.txt" > spaced.txt
cd "$DATA/cjk" || exit 1
$REPRINT scan library_zh.txt library_zh_edited.txt market_zh.txt "$OLDPWD/spaced.txt" |
    sed "s|$OLDPWD/||"
