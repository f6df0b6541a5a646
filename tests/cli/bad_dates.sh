# SPDX-License-Identifier: MIT
# A publication date that cannot be read (no 30 February, month 31), that is in
# the future or before 1800 is reported on stderr with its document and taken
# as unknown, never as another date; the run goes on and exits 0. Dates decide
# relations: with a's and b's dates a month apart their shared lede is
# shares-passages; b's unreadable date leaves them same-story (no evidence of
# time), and so does a date in the year 2999. A zone converts to UTC: 23:30 on
# 21 March at UTC-5 is 04:30 on 22 March, which --keep earliest places after
# 22 March 01:00 UTC.
lede="Divers found the wreck of the steamer Hesperus off Carrick Point on Monday, ninety years after she sank with her cargo of slate, the maritime museum said."
rest_a="The hull lies upright in 40 metres of water and the bell is still in place, according to the museum's director, Ines Carrow."
rest_b="Museum director Ines Carrow said the hull sits upright at a depth of 40 metres and that the ship's bell had been seen."
for d in "2025-04-21" "2025-02-30" "2025-31-03" "2999-03-21" "1750-03-21" "21 Mar 2025 23:30 -0500"; do
    printf '{"id":"a","date":"2025-03-21","text":"%s %s"}\n{"id":"b","date":"%s","text":"%s %s"}\n' \
        "$lede" "$rest_a" "$d" "$lede" "$rest_b" > in.jsonl
    echo "b dated $d:"
    $REPRINT scan -q in.jsonl | cut -f 1-3,10 | tail -n 1
done
printf '{"id":"late","date":"2025-03-21T23:30:00-05:00","text":"%s"}\n{"id":"early","date":"2025-03-22T01:00Z","text":"%s"}\n' \
    "$lede" "$lede" > keep.jsonl
$REPRINT dedup -q --keep earliest keep.jsonl -o kept.jsonl
cut -c 1-40 kept.jsonl
