<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AddSourceDialog</name>
    <message>
        <source>来場者に見せる QR コードを追加</source>
        <translation>Add a QR code for visitors</translation>
    </message>
    <message>
        <source>ポイント配布用の二次元コード（上限に達したら表示をやめる）</source>
        <translation>Point-distribution code (no longer shown once the cap is reached)</translation>
    </message>
    <message>
        <source>来場者向けの説明（キャプション）</source>
        <translation>Caption shown to visitors</translation>
    </message>
    <message>
        <source>QR コードにする URL・文字列（入力か貼り付け）</source>
        <translation>URL or text for the QR code (type or paste)</translation>
    </message>
    <message>
        <source>画像から読み取る…</source>
        <translation>Read from image…</translation>
    </message>
    <message>
        <source>追加</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>主催者の QR コード画像を選ぶ</source>
        <translation>Choose the organiser&apos;s QR code image</translation>
    </message>
    <message>
        <source>画像を読み取っています…</source>
        <translation>Reading the image…</translation>
    </message>
    <message>
        <source>画像から読み取りました。内容を確認してください。</source>
        <translation>Read from the image. Check the text.</translation>
    </message>
</context>
<context>
    <name>CodeReaderDialog</name>
    <message>
        <source>画像ファイルから読み取る…</source>
        <translation>Read from an image file…</translation>
    </message>
    <message>
        <source>カメラにコードを向けてください…</source>
        <translation>Point the camera at the code…</translation>
    </message>
    <message>
        <source>コードの画像を選ぶ</source>
        <translation>Choose an image of the code</translation>
    </message>
    <message>
        <source>画像を読み取っています…</source>
        <translation>Reading the image…</translation>
    </message>
</context>
<context>
    <name>CodeRequests</name>
    <message>
        <source>ほかの端末で「参加コードを読み取る」を押し、この QR コードを読み取るか、下の文字を入力してください。</source>
        <translation>On each other laptop press &apos;Scan join code&apos; and scan this QR code, or type the text below.</translation>
    </message>
    <message>
        <source>配布日を設定しました</source>
        <translation>Distribution day set up</translation>
    </message>
    <message>
        <source>参加コード</source>
        <translation>Join code</translation>
    </message>
    <message>
        <source>（同じ会場・日付の二重設定はハブで確認できませんでした：{why}）</source>
        <translation> (the hub did not check for a second set-up of this venue and date: {why})</translation>
    </message>
    <message>
        <source>配布日に参加しました（配布枠 {n} 名）</source>
        <translation>Joined the distribution day (allotment {n})</translation>
    </message>
    <message>
        <source>配布枠を受け取りました（この端末の残り {n} 名）</source>
        <translation>Allotment received ({n} left on this laptop)</translation>
    </message>
    <message>
        <source>返却コードを表示しました</source>
        <translation>Return code shown</translation>
    </message>
    <message>
        <source>返却コード</source>
        <translation>Return code</translation>
    </message>
    <message>
        <source>譲渡コードを発行した端末で「返却コードを読み取る」を押し、この QR コードを読み取ってください。この端末はこの譲渡コードをもう受け取れません。</source>
        <translation>On the laptop that issued the transfer code press &apos;Scan return code&apos; and scan this QR code. This laptop can no longer receive that transfer code.</translation>
    </message>
    <message>
        <source>配布枠が戻りました（この端末の残り {n} 名）</source>
        <translation>Allotment returned ({n} left on this laptop)</translation>
    </message>
    <message>
        <source>譲渡コードを表示しました（この端末の残り {n} 名）</source>
        <translation>Transfer code shown ({n} left on this laptop)</translation>
    </message>
    <message>
        <source>{n} 名分 → 端末 {to}&#x3000;有効期限 {time}（{valid} 分間）</source>
        <translation>{n} → laptop {to}   valid until {time} ({valid} min)</translation>
    </message>
    <message>
        <source>譲渡コード</source>
        <translation>Transfer code</translation>
    </message>
    <message>
        <source>端末 {to} で「譲渡コードを受け取る」を押し、この QR コードを読み取るか、下の文字を入力してください。期限までに受け取られなかったときは、オンラインならハブで確認して自動で配布枠が戻ります。オフラインのときは受け取り側で返却コードを表示してもらい、この端末で読み取ってください。</source>
        <translation>On laptop {to}, press &apos;Receive a transfer code&apos; and scan this QR code or type the text below. If it is not received in time, the allotment comes back automatically once the hub confirms it (online); offline, have the receiving laptop show a return code and scan it here.</translation>
    </message>
</context>
<context>
    <name>HubDrawDialog</name>
    <message>
        <source>ハブから配布枠を受け取る</source>
        <translation>Receive allotment from the hub</translation>
    </message>
    <message>
        <source>オンラインのとき、ハブに預けた配布枠（{reserve} 名）から、この端末に配布枠を受け取ります。</source>
        <translation>When online, take allotment for this laptop from the hub&apos;s reserve ({reserve}).</translation>
    </message>
    <message>
        <source>受け取る</source>
        <translation>Receive</translation>
    </message>
    <message>
        <source>ハブに問い合わせています…</source>
        <translation>Asking the hub…</translation>
    </message>
</context>
<context>
    <name>HubFollowUp</name>
    <message>
        <source>期限切れの譲渡コード（{to} へ {n} 名）は、ハブで未受領を確認したので配布枠を戻しました</source>
        <translation>The expired transfer code ({n} to {to}) was confirmed unreceived by the hub: the allotment came back</translation>
    </message>
</context>
<context>
    <name>HubReleaseDialog</name>
    <message>
        <source>ハブに配布枠を返す</source>
        <translation>Give allotment back to the hub</translation>
    </message>
    <message>
        <source>この端末の残り {available} 名のうち、指定した数をハブに返します。返した分はすぐにこの端末の残りから差し引かれ、ほかの端末がハブから受け取れるようになります。ハブにつながらないときは、つながったときに自動で送り直します。</source>
        <translation>Give part of this laptop&apos;s remaining {available} back to the hub. It is taken off this laptop at once, and other laptops can then draw it from the hub. If the hub cannot be reached, it is sent again automatically once it can.</translation>
    </message>
    <message>
        <source>返す</source>
        <translation>Give back</translation>
    </message>
</context>
<context>
    <name>HubRequests</name>
    <message>
        <source>ハブから {n} 名分を受け取りました（この端末の残り {left} 名）</source>
        <translation>Received {n} from the hub ({left} left on this laptop)</translation>
    </message>
    <message>
        <source>前回の依頼（{asked} 名）の答えを受け取りました。</source>
        <translation>Got the answer to the earlier request ({asked}). </translation>
    </message>
    <message>
        <source>ハブに {n} 名分を返しています…</source>
        <translation>Giving {n} back to the hub…</translation>
    </message>
    <message>
        <source>ハブに {n} 名分を返しました（この端末の残り {left} 名）</source>
        <translation>Gave {n} back to the hub ({left} left on this laptop)</translation>
    </message>
</context>
<context>
    <name>IssueTransferDialog</name>
    <message>
        <source>配布枠を譲る</source>
        <translation>Hand over allotment</translation>
    </message>
    <message>
        <source>この端末の残り {available} 名のうち、指定した数をほかの端末に譲ります。コードを表示した時点でこの端末の残りが減り、受け取った端末で1回だけ増えます。</source>
        <translation>Hand part of this laptop&apos;s remaining {available} to another laptop. This laptop&apos;s remaining drops when the code is shown; the receiving laptop&apos;s rises once when it reads the code.</translation>
    </message>
    <message>
        <source>受け取る端末のコード</source>
        <translation>Receiving laptop&apos;s code</translation>
    </message>
    <message>
        <source>譲る数</source>
        <translation>Number to hand over</translation>
    </message>
    <message>
        <source>有効期限</source>
        <translation>Valid for</translation>
    </message>
    <message>
        <source> 分</source>
        <translation> min</translation>
    </message>
    <message>
        <source>譲渡コードを表示</source>
        <translation>Show transfer code</translation>
    </message>
</context>
<context>
    <name>PointsFormDialog</name>
    <message>
        <source> 名</source>
        <translation> people</translation>
    </message>
</context>
<context>
    <name>PointsPanel</name>
    <message>
        <source>ポイント配布</source>
        <translation>Point distribution</translation>
    </message>
    <message>
        <source>ポイント付与（1名）</source>
        <translation>Grant points (1 person)</translation>
    </message>
    <message>
        <source>配布日の設定…（代表端末）</source>
        <translation>Set up the day… (lead laptop)</translation>
    </message>
    <message>
        <source>参加コードを読み取る…</source>
        <translation>Scan join code…</translation>
    </message>
    <message>
        <source>配布枠を譲る…</source>
        <translation>Hand over allotment…</translation>
    </message>
    <message>
        <source>譲渡コードを受け取る…</source>
        <translation>Receive transfer code…</translation>
    </message>
    <message>
        <source>返却コードを読み取る…</source>
        <translation>Scan return code…</translation>
    </message>
    <message>
        <source>参加コードを表示</source>
        <translation>Show join code</translation>
    </message>
    <message>
        <source>ハブから配布枠を受け取る…</source>
        <translation>Receive from the hub…</translation>
    </message>
    <message>
        <source>この端末のコード：{code}</source>
        <translation>This laptop&apos;s code: {code}</translation>
    </message>
    <message>
        <source>配布枠が未設定です</source>
        <translation>No allotment yet</translation>
    </message>
    <message>
        <source>代表端末で「配布日の設定」をしてから、ほかの端末は参加コードを読み取ってください。本日の上限：{cap} 名</source>
        <translation>Set up the distribution day on the lead laptop; the other laptops then scan its join code. Today&apos;s cap: {cap}</translation>
    </message>
    <message>
        <source>配布終了（この端末の残り 0 名）</source>
        <translation>Distribution ended (0 left on this laptop)</translation>
    </message>
    <message>
        <source>この端末の残り {n} 名</source>
        <translation>This laptop: {n} left</translation>
    </message>
    <message>
        <source>付与済み {granted} 名 ／ この端末の配布枠 {allotment} 名 ／ 譲渡済み {transit} 名 ／ 会場の上限 {cap} 名</source>
        <translation>Granted {granted} / allotment of this laptop {allotment} / handed over {transit} / venue cap {cap}</translation>
    </message>
    <message>
        <source>{to} へ {n} 名（期限 {time}）</source>
        <translation>to {to}: {n} (expires {time})</translation>
    </message>
    <message>
        <source>&#x3000;期限切れ：受け取り側で返却コードを表示してもらい、読み取ってください</source>
        <translation>  expired: ask the receiving laptop to show a return code, then scan it</translation>
    </message>
    <message>
        <source>ハブに配布枠を返す…</source>
        <translation>Give back to the hub…</translation>
    </message>
    <message>
        <source>譲渡したコード（ダブルクリックで再表示）</source>
        <translation>Transfer codes handed out (double-click to show again)</translation>
    </message>
    <message>
        <source>&#x3000;期限切れ：ハブに確認しています…</source>
        <translation>  Expired: asking the hub…</translation>
    </message>
    <message>
        <source>&#x3000;受け取り済み（ハブで確認）</source>
        <translation>  Received (confirmed by the hub)</translation>
    </message>
    <message>
        <source>&#x3000;期限切れ・受け取り側の同期待ち</source>
        <translation>  Expired; waiting for the receiving laptop to sync</translation>
    </message>
    <message>
        <source>&#x3000;期限切れ・ハブで未受領を確認済み → 戻しました</source>
        <translation>  Expired; the hub confirmed it was not received → given back</translation>
    </message>
    <message>
        <source>ポイントを付与しました（この端末の残り {n} 名）</source>
        <translation>Points granted ({n} left on this laptop)</translation>
    </message>
</context>
<context>
    <name>QrBoard</name>
    <message>
        <source>来場者に見せる QR コード</source>
        <translation>QR codes shown to visitors</translation>
    </message>
    <message>
        <source>追加…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <source>削除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>この QR を表示</source>
        <translation>Show this QR code</translation>
    </message>
    <message>
        <source>自動で切り替える</source>
        <translation>Rotate automatically</translation>
    </message>
    <message>
        <source> 秒ごと</source>
        <translation> s each</translation>
    </message>
    <message>
        <source>表示先</source>
        <translation>Show on</translation>
    </message>
    <message>
        <source>全画面</source>
        <translation>Full screen</translation>
    </message>
    <message>
        <source>来場者用画面に英語も表示</source>
        <translation>Also show English on the visitor screen</translation>
    </message>
    <message>
        <source>日本語の下に英語を添えます（英語表示のときは常に表示）</source>
        <translation>Adds an English line under the Japanese (always on when the staff use English)</translation>
    </message>
    <message>
        <source>来場者用画面を開く</source>
        <translation>Open visitor screen</translation>
    </message>
    <message>
        <source>来場者用画面を閉じる</source>
        <translation>Close visitor screen</translation>
    </message>
    <message>
        <source>（この画面）</source>
        <translation> (this screen)</translation>
    </message>
    <message>
        <source>［ポイント］</source>
        <translation>[points] </translation>
    </message>
    <message>
        <source>（画像から）</source>
        <translation> (from an image)</translation>
    </message>
    <message>
        <source>来場者用画面：{caption}</source>
        <translation>Visitor screen: {caption}</translation>
    </message>
    <message>
        <source>来場者用画面：（QR コードなし）</source>
        <translation>Visitor screen: (no QR code)</translation>
    </message>
    <message>
        <source>QR コードを追加しました：{caption}</source>
        <translation>QR code added: {caption}</translation>
    </message>
    <message>
        <source>QR コードを削除しました</source>
        <translation>QR code removed</translation>
    </message>
    <message>
        <source>予期しないエラーが発生しました（{name}）。</source>
        <translation>Unexpected error ({name}).</translation>
    </message>
</context>
<context>
    <name>QrDialogs</name>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>QrPage</name>
    <message>
        <source>◂ 集計画面に戻る</source>
        <translation>◂ Back to the tally board</translation>
    </message>
    <message>
        <source>QR コード・ポイント配布 — {venue}</source>
        <translation>QR codes &amp; points — {venue}</translation>
    </message>
</context>
<context>
    <name>QrPages</name>
    <message>
        <source>QR コード・ポイント配布</source>
        <translation>QR codes &amp; points</translation>
    </message>
    <message>
        <source>QR・ポイント配布 ▸</source>
        <translation>QR codes &amp; points ▸</translation>
    </message>
    <message>
        <source>来場者用 QR コード ▸</source>
        <translation>QR codes for visitors ▸</translation>
    </message>
    <message>
        <source>来場者に見せる QR コードと来場者用画面（ポイント配布）</source>
        <translation>QR codes shown to visitors and the visitor screen (point distribution)</translation>
    </message>
</context>
<context>
    <name>ScanCodeDialog</name>
    <message>
        <source>この端末のコード：{code}</source>
        <translation>This laptop&apos;s code: {code}</translation>
    </message>
    <message>
        <source>カメラで読み取る</source>
        <translation>Scan with the camera</translation>
    </message>
    <message>
        <source>受け取らずに返却コードを表示（期限切れのときなど）</source>
        <translation>Don&apos;t receive: show a return code (e.g. expired)</translation>
    </message>
    <message>
        <source>参加コードを読み取る</source>
        <translation>Scan the join code</translation>
    </message>
    <message>
        <source>代表端末に表示された参加コード（PV1-…）を読み取るか入力してください。代表端末には、下の「この端末のコード」を伝えてください。</source>
        <translation>Scan or type the join code (PV1-…) shown on the lead laptop. Tell the lead laptop this laptop&apos;s code shown below.</translation>
    </message>
    <message>
        <source>参加する</source>
        <translation>Join</translation>
    </message>
    <message>
        <source>譲渡コードを受け取る</source>
        <translation>Receive a transfer code</translation>
    </message>
    <message>
        <source>ほかの端末に表示された譲渡コード（PT1-…）を読み取るか入力してください。配布枠が増えるのは1回だけです。</source>
        <translation>Scan or type the transfer code (PT1-…) shown on another laptop. It raises the allotment once.</translation>
    </message>
    <message>
        <source>受け取る</source>
        <translation>Receive</translation>
    </message>
    <message>
        <source>返却コードを読み取る</source>
        <translation>Scan a return code</translation>
    </message>
    <message>
        <source>受け取り側の端末に表示された返却コード（PR1-…）を読み取るか入力してください。譲った配布枠がこの端末に戻ります。</source>
        <translation>Scan or type the return code (PR1-…) shown on the receiving laptop. The allotment you handed over comes back to this laptop.</translation>
    </message>
    <message>
        <source>読み取る</source>
        <translation>Read</translation>
    </message>
    <message>
        <source>確認しています…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>画像から読み取りました。</source>
        <translation>Read from the image.</translation>
    </message>
</context>
<context>
    <name>ScanTextDialog</name>
    <message>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>カメラが設定されていません。コードの画像ファイルを選んでください。</source>
        <translation>No camera is set up. Choose an image file of the code.</translation>
    </message>
    <message>
        <source>カメラで読み取れません（{reason}）。コードの画像ファイルを選べます。</source>
        <translation>The camera cannot read it ({reason}). You can choose an image file of the code.</translation>
    </message>
    <message>
        <source>この画像には読み取れるコードがありません。</source>
        <translation>This image has no code that can be read.</translation>
    </message>
    <message>
        <source>登録コードを読み取る</source>
        <translation>Scan the enrolment code</translation>
    </message>
    <message>
        <source>事務局が発行した登録コードの QR を、カメラに向けてください。</source>
        <translation>Hold the enrolment QR code from the office up to the camera.</translation>
    </message>
</context>
<context>
    <name>SetupDayDialog</name>
    <message>
        <source>配布日の設定（代表端末）</source>
        <translation>Set up the distribution day (lead laptop)</translation>
    </message>
    <message>
        <source>本日の上限 {cap} 名を、この会場で使う端末に割り振ります。ほかの端末の「この端末のコード」を入力してください。割り振りは後から譲渡コードで移せます。</source>
        <translation>Split today&apos;s cap of {cap} between the laptops used at this venue. Enter each other laptop&apos;s &apos;laptop code&apos;. Allotments can be moved later with transfer codes.</translation>
    </message>
    <message>
        <source>⚠ 配布日の設定は、1つの会場・日付につき1台（代表端末）だけで行ってください。ほかの端末でも設定すると、上限が2倍になってしまいます。ほかの端末は、このあと表示される参加コードを読み取ります。</source>
        <translation>⚠ Only ONE laptop (the lead) may set up a venue and date. Setting it up on another laptop too would double the cap. The other laptops scan the join code shown next.</translation>
    </message>
    <message>
        <source>＋ 端末を追加</source>
        <translation>+ Add a laptop</translation>
    </message>
    <message>
        <source>均等に分ける</source>
        <translation>Split evenly</translation>
    </message>
    <message>
        <source>ハブ（オンライン時に各端末へ配る）に預ける数</source>
        <translation>Kept at the hub (handed to laptops when online)</translation>
    </message>
    <message>
        <source>設定して参加コードを表示</source>
        <translation>Set up and show the join code</translation>
    </message>
    <message>
        <source>この端末（{code}）</source>
        <translation>This laptop ({code})</translation>
    </message>
    <message>
        <source>端末コード（例：K7Q-M2X）</source>
        <translation>Laptop code (e.g. K7Q-M2X)</translation>
    </message>
    <message>
        <source>割り振り合計 {total} / 上限 {cap}（未割り当て {rest}）</source>
        <translation>Allotted {total} of {cap} ({rest} not allotted)</translation>
    </message>
    <message>
        <source>端末コード {code} が二度入力されています。</source>
        <translation>Laptop code {code} is entered twice.</translation>
    </message>
</context>
<context>
    <name>ShowCodeDialog</name>
    <message>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>VisitorDisplay</name>
    <message>
        <source>本日の配布は終了しました</source>
        <translation>Today&apos;s distribution has ended</translation>
    </message>
    <message>
        <source>ご来場ありがとうございました。</source>
        <translation>Thank you for coming.</translation>
    </message>
    <message>
        <source>スマートフォンのカメラやアプリで読み取ってください</source>
        <translation>Scan with your smartphone camera or app</translation>
    </message>
    <message>
        <source>「みやぎポイント」アプリで読み取ってください</source>
        <translation>Scan with the Miyagi Point app</translation>
    </message>
    <message>
        <source>準備中です。しばらくお待ちください。</source>
        <translation>Getting ready. Please wait a moment.</translation>
    </message>
    <message>
        <source>この窓口での配布は終了しました</source>
        <translation>This booth has finished handing out points</translation>
    </message>
    <message>
        <source>ほかの窓口へお越しください。</source>
        <translation>Please go to another booth.</translation>
    </message>
    <message>
        <source>この窓口での配布は終了しました。ほかの窓口へお越しください</source>
        <translation>This booth has finished handing out points. Please go to another booth</translation>
    </message>
    <message>
        <source>この窓口の残り&#x3000;{n} 名様</source>
        <translation>{n} left at this booth</translation>
    </message>
    <message>
        <source>みやぎポイントを受け取る（1,500ポイント）</source>
        <translation>Get Miyagi Points (1,500 points)</translation>
    </message>
    <message>
        <source>アプリのダウンロードはこちら</source>
        <translation>Download the app here</translation>
    </message>
    <message>
        <source>アンケートにご協力ください</source>
        <translation>Please answer our survey</translation>
    </message>
    <message>
        <source>キャンペーンサイト</source>
        <translation>Campaign website</translation>
    </message>
    <message>
        <source>メールマガジンの登録</source>
        <translation>Sign up for the newsletter</translation>
    </message>
</context>
</TS>
