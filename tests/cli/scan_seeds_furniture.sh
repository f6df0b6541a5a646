# SPDX-License-Identifier: MIT
# --show-furniture on the seed articles lists, on stderr, every line that
# ../shared/seeds/README.md ("Page furniture that is not article text") names:
# 000's six related-article headlines after "With additional reporting from AP";
# 002's masthead, byline, "Published" and the two photo captions ending "(Korean
# Central News Agency/Korea News Service via AP)"; 003's "JOIN US ON TELEGRAM",
# "Follow our coverage ...", the inline headline and "You can also highlight
# ...". The expected output holds those stderr lines exactly (id, byte range,
# rule, text), picked from the listing by the texts below; a text not listed is
# reported as missing. Then no listed line may be a sentence of article text:
# none ends in a full stop and has more than 15 words. Standard output (the
# pairs) is not part of this case.
$REPRINT scan -q --show-furniture "$SEEDS"/*.txt > /dev/null 2> furn.txt
echo "scan: exit $?"
sed "s|$SEEDS/||" furn.txt > listed.txt
cat > want.txt <<'WANT'
000_c49c771218197d27.txt|Moscow accused of bombing own gas infrastructure to undermine ceasefire deal
000_c49c771218197d27.txt|‘Nothing off the table’ over possible troop deployment for Kyiv, No 10 says
000_c49c771218197d27.txt|‘Nothing off the table’ over British troops deployed to Ukraine - live
000_c49c771218197d27.txt|Missile interceptors and pamphlets in France: How Europe is preparing for nuclear war
000_c49c771218197d27.txt|Storm Martinho lashes Spain – bringing threat of fresh flooding
000_c49c771218197d27.txt|Ukraine war live: Putin ‘bombs Russian gas pipeline to sabotage ceasefire’
002_781ff10bc3527234.txt|Express & Star
002_781ff10bc3527234.txt|By contributor Hyung-Jin Kim, AP
002_781ff10bc3527234.txt|Published
002_781ff10bc3527234.txt|Sergei Shoigu arrived in Pyongyang on Friday (Korean Central News Agency/Korea News Service via AP)
002_781ff10bc3527234.txt|Mr Shoigu thanked the North Korean leader (Korean Central News Agency/Korea News Service via AP)
003_6881012dfa7ffe4d.txt|JOIN US ON TELEGRAM
003_6881012dfa7ffe4d.txt|Follow our coverage of the war on the @Kyivpost_official.
003_6881012dfa7ffe4d.txt|Pragmatic Dialogue with Trump Now Vital for Ukrainian Diplomacy
003_6881012dfa7ffe4d.txt|You can also highlight the text and press Ctrl + Enter
WANT
# Each wanted (id, text): the listed line "furniture: ID START-END RULE: TEXT".
while IFS='|' read -r id text; do
    awk -v id="$id" -v text="$text" '
        { rest = $0; sub(/^furniture: [^ ]+ [0-9]+-[0-9]+ [a-z]+: /, "", rest) }
        $2 == id && rest == text { print; found = 1 }
        END { if (!found) print "missing: " id " " text }' listed.txt
done < want.txt
echo "furniture lines listed: $(wc -l < listed.txt)"
# No sentence of article text: text ending in "." (after closing quotes) with > 15 words.
awk '{ rest = $0; sub(/^furniture: [^ ]+ [0-9]+-[0-9]+ [a-z]+: /, "", rest)
       t = rest; sub(/[”’"'"'"')]+ *$/, "", t); sub(/ +$/, "", t)
       if (t ~ /\.$/ && split(rest, w, " ") > 15) print "sentence listed: " $0 }' listed.txt
