<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>DeadlineTable</name>
    <message>
        <source>実施日・対象月</source>
        <translation>Date / month</translation>
    </message>
    <message>
        <source>会場・報告</source>
        <translation>Venue / report</translation>
    </message>
    <message>
        <source>提出期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>状態</source>
        <translation>State</translation>
    </message>
    <message>
        <source>報告書</source>
        <translation>Report</translation>
    </message>
    <message>
        <source>（{n}営業日超過）</source>
        <comment>one</comment>
        <translation> ({n} business day late)</translation>
    </message>
    <message>
        <source>（{n}営業日超過）</source>
        <comment>many</comment>
        <translation> ({n} business days late)</translation>
    </message>
    <message>
        <source>（あと{n}営業日）</source>
        <comment>one</comment>
        <translation> ({n} business day left)</translation>
    </message>
    <message>
        <source>（あと{n}営業日）</source>
        <comment>many</comment>
        <translation> ({n} business days left)</translation>
    </message>
    <message>
        <source>月次報告書</source>
        <translation>Monthly report</translation>
    </message>
    <message>
        <source>定めなし</source>
        <translation>none</translation>
    </message>
    <message>
        <source>日次</source>
        <translation>Daily</translation>
    </message>
    <message>
        <source>月次</source>
        <translation>Monthly</translation>
    </message>
</context>
<context>
    <name>HubDashboardDialog</name>
    <message>
        <source>進捗ダッシュボード（ハブ）</source>
        <translation>Progress dashboard (hub)</translation>
    </message>
    <message>
        <source>事務局のハブから全端末の統合データを読み込み、進捗ダッシュボードを開きます。管理者トークンは事務局から受け取ったもの（mdga_ で始まる）を入力してください。</source>
        <translation>Opens the progress dashboard over the merged data of every laptop, loaded from the office's hub. Enter the admin token the office gave you (it starts with mdga_).</translation>
    </message>
    <message>
        <source>ハブの URL</source>
        <translation>Hub URL</translation>
    </message>
    <message>
        <source>管理者トークン</source>
        <translation>Admin token</translation>
    </message>
    <message>
        <source>管理者トークンはこのアプリを閉じるまでメモリーにだけ保持し、保存しません。</source>
        <translation>The admin token is kept in memory only until the app is closed; it is never saved.</translation>
    </message>
    <message>
        <source>開く</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>ハブの URL を http:// または https:// から入力してください。</source>
        <translation>Enter the hub URL starting with http:// or https://.</translation>
    </message>
    <message>
        <source>管理者トークンを入力してください。</source>
        <translation>Enter the admin token.</translation>
    </message>
</context>
<context>
    <name>ProgressDashboard</name>
    <message>
        <source>進捗ダッシュボード</source>
        <translation>Progress dashboard</translation>
    </message>
    <message>
        <source>最新の情報に更新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>事務局の統合データ（{url}）</source>
        <translation>merged office data ({url})</translation>
    </message>
    <message>
        <source>この端末のデータ</source>
        <translation>this laptop&apos;s data</translation>
    </message>
    <message>
        <source>集計しています…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>{source}&#x3000;{stamp} 時点</source>
        <translation>{source}, as of {stamp}</translation>
    </message>
    <message>
        <source>実施回のデータがありません。</source>
        <translation>There are no openings yet.</translation>
    </message>
    <message>
        <source>集計できませんでした（{name}）。</source>
        <translation>Could not load the numbers ({name}).</translation>
    </message>
    <message>
        <source>目標に対する進捗（実施回 {n} 回）</source>
        <translation>Progress against targets ({n} openings)</translation>
    </message>
    <message>
        <source>このプロファイルには目標がありません。</source>
        <translation>This profile sets no targets.</translation>
    </message>
    <message>
        <source>（今月）</source>
        <translation> (this month)</translation>
    </message>
    <message>
        <source>{actual} / {value}（{rate}）</source>
        <translation>{actual} / {value} ({rate})</translation>
    </message>
    <message>
        <source>達成</source>
        <translation>met</translation>
    </message>
    <message>
        <source>残り {n}</source>
        <translation>{n} to go</translation>
    </message>
    <message>
        <source>未提出の報告書（{n} 件）</source>
        <translation>Reports outstanding ({n})</translation>
    </message>
</context>
<context>
    <name>ReportView</name>
    <message>
        <source>日次報告書</source>
        <translation>Daily report</translation>
    </message>
    <message>
        <source>日次報告書の出力</source>
        <translation>Export the daily report</translation>
    </message>
    <message>
        <source>実施日</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>実施回</source>
        <translation>Opening</translation>
    </message>
    <message>
        <source>未出力の日次報告書と提出期限</source>
        <translation>Daily reports not yet exported</translation>
    </message>
    <message>
        <source>1ページ目のプレビュー</source>
        <translation>Preview of page 1</translation>
    </message>
    <message>
        <source>{name} で出力</source>
        <translation>Export {name}</translation>
    </message>
    <message>
        <source>報告書を作成しています…</source>
        <translation>Making the report…</translation>
    </message>
    <message>
        <source>期限超過 {overdue} 件、期限間近 {soon} 件、未出力 合計 {total} 件</source>
        <translation>{overdue} overdue, {soon} due soon, {total} not exported</translation>
    </message>
    <message>
        <source>未出力の日次報告書はありません。</source>
        <translation>Every daily report has been exported.</translation>
    </message>
    <message>
        <source>この日の実施回はありません。</source>
        <translation>No opening on this day.</translation>
    </message>
    <message>
        <source>プレビューを作成しています…</source>
        <translation>Making the preview…</translation>
    </message>
    <message>
        <source>報告書の保存先</source>
        <translation>Save the report</translation>
    </message>
    <message>
        <source>出力しました：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
    <message>
        <source>報告書を作成できませんでした（{name}）。</source>
        <translation>The report could not be made ({name}).</translation>
    </message>
</context>
<context>
    <name>ReportWindows</name>
    <message>
        <source>報告書</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>日次報告書…</source>
        <translation>Daily report…</translation>
    </message>
    <message>
        <source>進捗ダッシュボード…</source>
        <translation>Progress dashboard…</translation>
    </message>
    <message>
        <source>進捗ダッシュボード（ハブ）…</source>
        <translation>Progress dashboard (hub)…</translation>
    </message>
</context>
</TS>
