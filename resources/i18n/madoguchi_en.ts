<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="ja_JP">
<context>
    <name>ApplicantCard</name>
    <message>
        <source>記録される項目：{counters}</source>
        <translation>Records: {counters}</translation>
    </message>
    <message>
        <source>あわせて対応した手続き</source>
        <translation>Also done for this applicant</translation>
    </message>
    <message>
        <source>記録</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>未選択：{names}</source>
        <translation>Still to choose: {names}</translation>
    </message>
    <message>
        <source>記録できます</source>
        <translation>Ready to record</translation>
    </message>
</context>
<context>
    <name>CloseDayDialog</name>
    <message>
        <source>本日の締め</source>
        <translation>Close the day</translation>
    </message>
    <message>
        <source>{date}　{venue}（{municipality}）の集計を確認してください。</source>
        <translation>Check the totals of {date} at {venue} ({municipality}).</translation>
    </message>
    <message>
        <source>締めると、この日の記録は確定します。締めた後の修正には理由の入力が必要です。</source>
        <translation>Closing makes the day's records final. Any change after closing needs a reason.</translation>
    </message>
    <message>
        <source>カウンター</source>
        <translation>Counter</translation>
    </message>
    <message>
        <source>合計</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>内訳</source>
        <translation>Breakdown</translation>
    </message>
    <message>
        <source>確認した現場責任者の氏名</source>
        <translation>Name of the supervisor who checked the totals</translation>
    </message>
    <message>
        <source>確認して締める</source>
        <translation>Confirm and close</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>記録の訂正</source>
        <translation>Correct a record</translation>
    </message>
    <message>
        <source>訂正前：{time} {what}</source>
        <translation>Before correction: {time} {what}</translation>
    </message>
    <message>
        <source>正しいカウンター</source>
        <translation>Correct counter</translation>
    </message>
    <message>
        <source>訂正の理由</source>
        <translation>Reason for the correction</translation>
    </message>
    <message>
        <source>例：年代の押し間違い</source>
        <translation>e.g. tapped the wrong age band</translation>
    </message>
    <message>
        <source>訂正する</source>
        <translation>Correct</translation>
    </message>
</context>
<context>
    <name>CounterPad</name>
    <message>
        <source>その他</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <source>閉じる</source>
        <translation>Dismiss</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>すべての時間</source>
        <translation>All hours</translation>
    </message>
    <message>
        <source>すべての項目</source>
        <translation>All counters</translation>
    </message>
    <message>
        <source>該当する記録はありません</source>
        <translation>No matching records</translation>
    </message>
    <message>
        <source>{h}時台</source>
        <translation>{h}:00–{h}:59</translation>
    </message>
    <message>
        <source>記録の履歴（新しい順）</source>
        <translation>History (newest first)</translation>
    </message>
    <message>
        <source>時刻</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>内容</source>
        <translation>What</translation>
    </message>
    <message>
        <source>数</source>
        <translation>±</translation>
    </message>
    <message>
        <source>この記録を取り消す…</source>
        <translation>Undo this record…</translation>
    </message>
    <message>
        <source>訂正する…</source>
        <translation>Correct…</translation>
    </message>
    <message>
        <source>取消：</source>
        <translation>Undo: </translation>
    </message>
    <message>
        <source>訂正後：</source>
        <translation>Corrected to: </translation>
    </message>
    <message>
        <source>［取消済み］</source>
        <translation> [undone]</translation>
    </message>
    <message>
        <source>［締め後の修正］</source>
        <translation> [after closing]</translation>
    </message>
    <message>
        <source>理由：</source>
        <translation>Reason: </translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <source>時間帯別</source>
        <translation>By hour</translation>
    </message>
    <message>
        <source>まだ記録がありません</source>
        <translation>Nothing recorded yet</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Madoguchi 窓口</source>
        <translation>Madoguchi</translation>
    </message>
    <message>
        <source>データを開いています…</source>
        <translation>Opening the data folder…</translation>
    </message>
    <message>
        <source>本日</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>開始画面に戻る</source>
        <translation>Back to the start screen</translation>
    </message>
    <message>
        <source>終了</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>言語 / Language</source>
        <translation>言語 / Language</translation>
    </message>
    <message>
        <source>データを開けませんでした（{name}）。</source>
        <translation>Could not open the data ({name}).</translation>
    </message>
    <message>
        <source>Madoguchi を開けません</source>
        <translation>Madoguchi cannot start</translation>
    </message>
    <message>
        <source>終了する</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>実施回を開始しました</source>
        <translation>Opening started</translation>
    </message>
    <message>
        <source>再開しました：{venue}</source>
        <translation>Resumed: {venue}</translation>
    </message>
    <message>
        <source>Madoguchi 窓口 — {venue}</source>
        <translation>Madoguchi — {venue}</translation>
    </message>
    <message>
        <source>予期しないエラーが発生しました（{name}）。この操作は保存されていない可能性があります。</source>
        <translation>An unexpected error occurred ({name}). This action may not have been saved.</translation>
    </message>
    <message>
        <source>設定</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>同期の設定…</source>
        <translation>Sync settings…</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>例：押し間違い</source>
        <translation>e.g. tapped by mistake</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>StartDayPage</name>
    <message>
        <source>本日の開始</source>
        <translation>Start of day</translation>
    </message>
    <message>
        <source>今日の続きから再開</source>
        <translation>Continue today's opening</translation>
    </message>
    <message>
        <source>新しい実施回を開始</source>
        <translation>Start a new opening</translation>
    </message>
    <message>
        <source>業務（プロファイル）</source>
        <translation>Campaign (profile)</translation>
    </message>
    <message>
        <source>実施形態</source>
        <translation>Kind of opening</translation>
    </message>
    <message>
        <source>例：イオンモール名取 1階イベントスペース</source>
        <translation>e.g. AEON Mall Natori, 1F event space</translation>
    </message>
    <message>
        <source>会場名</source>
        <translation>Venue</translation>
    </message>
    <message>
        <source>市町村名を入力または選択</source>
        <translation>Type or pick a municipality</translation>
    </message>
    <message>
        <source>市町村</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <source>圏域（自動）</source>
        <translation>Region (automatic)</translation>
    </message>
    <message>
        <source>実施日</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>100人規模の会場</source>
        <translation>100-person venue</translation>
    </message>
    <message>
        <source> 名</source>
        <translation> people</translation>
    </message>
    <message>
        <source>従事者数</source>
        <translation>Staff on duty</translation>
    </message>
    <message>
        <source>開始する</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>—（市町村を選ぶと表示されます）</source>
        <translation>— (shown once a municipality is chosen)</translation>
    </message>
    <message>
        <source>再開：{venue}　{municipality}　{kind}（{time} 開始）</source>
        <translation>Resume: {venue} · {municipality} · {kind} (started {time})</translation>
    </message>
</context>
<context>
    <name>TallyBoard</name>
    <message>
        <source>↶ 直前の記録を取り消す</source>
        <translation>↶ Undo the last record</translation>
    </message>
    <message>
        <source>キーボード：Ctrl+Z</source>
        <translation>Keyboard: Ctrl+Z</translation>
    </message>
    <message>
        <source>本日の締め…</source>
        <translation>Close the day…</translation>
    </message>
    <message>
        <source>・100人規模</source>
        <translation> · 100-person venue</translation>
    </message>
    <message>
        <source>{date}　{venue}　{municipality}（{region}）　{kind}{large}　従事者 {staff}名</source>
        <translation>{date} · {venue} · {municipality} ({region}) · {kind}{large} · staff {staff}</translation>
    </message>
    <message>
        <source>締め済み（{time}）。この後の操作は締め後の修正として記録され、理由の入力が必要です。</source>
        <translation>Closed at {time}. Any further change is recorded as an amendment and needs a reason.</translation>
    </message>
    <message>
        <source>記録しました：{what}</source>
        <translation>Recorded: {what}</translation>
    </message>
    <message>
        <source>取り消しました：{what}</source>
        <translation>Undone: {what}</translation>
    </message>
    <message>
        <source>記録の取り消し</source>
        <translation>Undo a record</translation>
    </message>
    <message>
        <source>取り消す記録：{what}
取り消しの理由を入力してください。</source>
        <translation>Record to undo: {what}
Enter the reason for undoing it.</translation>
    </message>
    <message>
        <source>訂正しました：{what}</source>
        <translation>Corrected: {what}</translation>
    </message>
    <message>
        <source>本日を締めました（確認：{name}）</source>
        <translation>Day closed (checked by {name})</translation>
    </message>
    <message>
        <source>締め後の修正</source>
        <translation>Amendment after closing</translation>
    </message>
    <message>
        <source>この日は締め済みです。修正の理由を入力してください。</source>
        <translation>This day is closed. Enter the reason for the change.</translation>
    </message>
    <message>
        <source>写真撮影画面で自動記録</source>
        <translation>Recorded by the photo station</translation>
    </message>
</context>
</TS>