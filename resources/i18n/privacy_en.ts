<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="ja_JP">
<context>
    <name>ReasonInput</name>
    <message>
        <source>個人を特定する情報（氏名・番号・連絡先）は書かないでください</source>
        <translation>Do not write anything that identifies a person (names, numbers, contact details)</translation>
    </message>
    <message>
        <source>日次報告書に載る現場責任者の氏名だけを書いてください（電話番号などは書かないでください）</source>
        <translation>Only the supervisor's name, as printed on the daily report (no phone numbers or the like)</translation>
    </message>
</context>
</TS>
