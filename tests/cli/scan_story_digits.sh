# SPDX-License-Identifier: MIT
# Figures written in Arabic-Indic digits count as figures when two texts are
# weighed. Three Arabic reports of an earthquake, no sentence in common, no
# names (Arabic has no letter case), so content and figures decide: a (ASCII
# digits: magnitude 6.1, 14 dead, 230 hurt) and c (the same figures in
# Arabic-Indic digits, "٦٫١" with the Arabic decimal separator) are one event,
# same-story; b (Arabic-Indic digits: 5.4, 37 dead, 510 hurt) states other
# figures than a and c: "other figures stated" (before its digits were read,
# b stated no figure and a-b was same-story).
cat > quake-a.txt <<'TXT'
زلزال قوي يضرب إقليم الوادي

ضرب زلزال بقوة 6.1 درجات إقليم الوادي فجر اليوم، ما أدى إلى مقتل 14 شخصا وإصابة 230 آخرين، وفق حصيلة أعلنتها وزارة الصحة. وانهارت عشرات المنازل القديمة في القرى الجبلية، فيما أقامت السلطات مخيمات مؤقتة للأسر التي فقدت مساكنها.
TXT
cat > quake-b.txt <<'TXT'
مقتل العشرات في زلزال الوادي

أعلنت وزارة الصحة أن الزلزال الذي بلغت قوته ٥٫٤ درجات وضرب الإقليم قبل الفجر خلف ٣٧ قتيلا و٥١٠ جرحى. وتعمل فرق الإنقاذ بين أنقاض المنازل المنهارة في القرى الجبلية، بينما نصبت السلطات خياما لإيواء العائلات المشردة.
TXT
cat > quake-c.txt <<'TXT'
حصيلة زلزال الوادي ترتفع

قالت وزارة الصحة إن زلزالا بقوة ٦٫١ درجات هز الإقليم في ساعات الفجر، وإن عدد القتلى بلغ ١٤ والمصابين ٢٣٠. وتهدمت منازل كثيرة في القرى الجبلية، وأقامت السلطات مخيمات لاستقبال الأسر المتضررة.
TXT
$REPRINT scan -q quake-a.txt quake-b.txt quake-c.txt | cut -f 1-3,10
rm -f quake-a.txt quake-b.txt quake-c.txt
