<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>SyncSettingsDialog</name>
    <message>
        <source>同期の設定</source>
        <translation>Sync settings</translation>
    </message>
    <message>
        <source>記録をハブ（集約サーバー）へ送るための設定です。登録コードは事務局が発行します。</source>
        <translation>Settings for sending the records to the hub (central server). The office issues the enrolment code.</translation>
    </message>
    <message>
        <source>ハブの URL</source>
        <translation>Hub URL</translation>
    </message>
    <message>
        <source>QR を読み取る</source>
        <translation>Scan QR</translation>
    </message>
    <message>
        <source>登録コード</source>
        <translation>Enrolment code</translation>
    </message>
    <message>
        <source>（通常は空欄）</source>
        <translation>(usually empty)</translation>
    </message>
    <message>
        <source>参照…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>CA 証明書</source>
        <translation>CA certificate</translation>
    </message>
    <message>
        <source>登録済み（端末 ID {device}）</source>
        <translation>Enrolled (device ID {device})</translation>
    </message>
    <message>
        <source>未登録</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <source>この端末の鍵の指紋：{fp}</source>
        <translation>Key fingerprint of this laptop: {fp}</translation>
    </message>
    <message>
        <source>登録する</source>
        <translation>Enrol</translation>
    </message>
    <message>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>予期しないエラーが発生しました（{name}）。</source>
        <translation>An unexpected error occurred ({name}).</translation>
    </message>
    <message>
        <source>CA 証明書を選ぶ</source>
        <translation>Choose a CA certificate</translation>
    </message>
    <message>
        <source>証明書 (*.pem *.crt *.cer);;すべてのファイル (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>保存しました。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <source>登録コードを入力してください。</source>
        <translation>Enter the enrolment code.</translation>
    </message>
    <message>
        <source>ハブに登録しています…</source>
        <translation>Enrolling with the hub…</translation>
    </message>
    <message>
        <source>登録しました（ハブでの端末名：{name}）。</source>
        <translation>Enrolled (name at the hub: {name}).</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>今すぐ同期</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>同期の設定…</source>
        <translation>Sync settings…</translation>
    </message>
    <message>
        <source>同期中…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>同期：確認中…</source>
        <translation>Sync: checking…</translation>
    </message>
    <message>
        <source>同期：ハブ未設定</source>
        <translation>Sync: no hub set</translation>
    </message>
    <message>
        <source>同期：端末未登録</source>
        <translation>Sync: not enrolled</translation>
    </message>
    <message>
        <source>同期：未接続</source>
        <translation>Sync: offline</translation>
    </message>
    <message>
        <source>同期：送信待ち</source>
        <translation>Sync: waiting to send</translation>
    </message>
    <message>
        <source>同期：済</source>
        <translation>Sync: up to date</translation>
    </message>
    <message>
        <source>未送信 {n} 件</source>
        <translation>{n} unsent</translation>
    </message>
    <message>
        <source>最終同期 {time}</source>
        <translation>Last sync {time}</translation>
    </message>
    <message>
        <source>ハブが受け付けなかった記録 {n} 件（事務局に連絡）</source>
        <translation>{n} record(s) refused by the hub (contact the office)</translation>
    </message>
    <message>
        <source>時計が {m} 分進んでいます</source>
        <translation>Clock {m} min ahead</translation>
    </message>
    <message>
        <source>時計が {m} 分遅れています</source>
        <translation>Clock {m} min behind</translation>
    </message>
    <message>
        <source>この端末の時計がハブより {m} 分進んでいます。時刻を確認してください。</source>
        <translation>This laptop's clock is {m} min ahead of the hub. Check the time.</translation>
    </message>
    <message>
        <source>この端末の時計がハブより {m} 分遅れています。時刻を確認してください。</source>
        <translation>This laptop's clock is {m} min behind the hub. Check the time.</translation>
    </message>
    <message>
        <source>同期エラー：{message}</source>
        <translation>Sync error: {message}</translation>
    </message>
    <message>
        <source>{message}（エラーコード：{code}）</source>
        <translation>{message} (error code: {code})</translation>
    </message>
</context>
</TS>
