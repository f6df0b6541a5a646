# SPDX-License-Identifier: MIT
# The figures on which two texts differ, in a script without ASCII letters:
# what a figure counts is read in any script's letters ("14 شخصا", 14
# persons), so an Arabic reprint that changes the toll (14 to 16 dead) names
# that figure, as the English twin below does ("14 people"). Before, the
# word after an Arabic figure was not read, and a sentence with three figures
# (magnitude, dead, injured) paired none of them: no difference was listed.
cat > quake-a.txt <<'TXT'
زلزال قوي يضرب إقليم الوادي

ضرب زلزال بقوة 6.1 درجات إقليم الوادي فجر اليوم، ما أدى إلى مقتل 14 شخصا وإصابة 230 آخرين، وفق حصيلة أعلنتها وزارة الصحة. وانهارت عشرات المنازل القديمة في القرى الجبلية، فيما أقامت السلطات مخيمات مؤقتة للأسر التي فقدت مساكنها. وقال مسؤول في الدفاع المدني إن فرق الإنقاذ تواصل البحث عن ناجين تحت الأنقاض في ثلاث قرى على الأقل.

وفي سياق منفصل، أعلنت الحكومة عن خطة جديدة لدعم المزارعين في المناطق الجنوبية المتضررة من الجفاف خلال السنوات الماضية، وتشمل الخطة قروضا ميسرة وإعفاءات ضريبية. كما دعت المعارضة إلى جلسة طارئة للبرلمان لمناقشة الأوضاع الاقتصادية وارتفاع الأسعار في الأسواق المحلية.
TXT
head -n 3 quake-a.txt | sed 's/14 شخصا/16 شخصا/' > quake-b.txt
cat > quake-en.txt <<'TXT'
Strong quake hits Wadi province

A magnitude 6.1 earthquake struck Wadi province before dawn today, killing 14 people and injuring 230 others, according to a toll announced by the health ministry. Dozens of old houses collapsed in mountain villages, while the authorities set up temporary camps for families who lost their homes. A civil defence official said rescue teams were still searching for survivors under the rubble in at least three villages.

In a separate development, the government announced a new plan to support farmers in the southern regions hit by drought over recent years, including cheap loans and tax exemptions. The opposition also called for an emergency session of parliament to discuss the economy and rising prices in local markets.
TXT
head -n 3 quake-en.txt | sed 's/killing 14 people/killing 16 people/' > quake-en-b.txt
$REPRINT scan -q --differences differences.jsonl quake-a.txt quake-b.txt quake-en.txt quake-en-b.txt |
    cut -f 1-3,11
cat differences.jsonl
rm -f quake-a.txt quake-b.txt quake-en.txt quake-en-b.txt differences.jsonl
