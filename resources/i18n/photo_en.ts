<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AdjustPanel</name>
    <message>
        <source>切り抜きの調整</source>
        <translation>Adjust the crop</translation>
    </message>
    <message>
        <source>拡大</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>縮小</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>元に戻す</source>
        <translation>Reset</translation>
    </message>
    <message>
        <source>矢印で枠を 0.5 mm ずつ動かします。拡大・縮小は頭の大きさを 2 % ずつ変えます。</source>
        <translation>Arrows move the frame by 0.5 mm; zoom changes the head size by 2 %.</translation>
    </message>
    <message>
        <source>撮り直す（消去）</source>
        <translation>Retake (delete)</translation>
    </message>
    <message>
        <source>確認へ進む</source>
        <translation>Continue to the check</translation>
    </message>
    <message>
        <source>頭頂〜あご {head:.1f} mm（規格 {spec_head:g}±{tol:g}）
頭上の余白 {crown:.1f} mm（規格 {spec_crown:g}±{ctol:g}）
中心からのずれ {off:+.1f} mm
解像度 {dpi:.0f} dpi（印刷 {out} dpi）</source>
        <translation>Crown to chin {head:.1f} mm (spec {spec_head:g}±{tol:g})
Above the crown {crown:.1f} mm (spec {spec_crown:g}±{ctol:g})
Off centre {off:+.1f} mm
Resolution {dpi:.0f} dpi (printed at {out} dpi)</translation>
    </message>
    <message>
        <source>注意：</source>
        <translation>Note: </translation>
    </message>
</context>
<context>
    <name>CaptureFlow</name>
    <message>
        <source>撮影しました</source>
        <translation>Photo taken</translation>
    </message>
    <message>
        <source>写真データを消去しました</source>
        <translation>The photo has been deleted</translation>
    </message>
</context>
<context>
    <name>ConsentPanel</name>
    <message>
        <source>写真の確認（申請者と一緒に確認してください）</source>
        <translation>Photo check (go through it with the applicant)</translation>
    </message>
    <message>
        <source>写真データは印刷後ただちに消去され、保存されません。</source>
        <translation>The photo is deleted right after printing and never stored.</translation>
    </message>
    <message>
        <source>撮影に戻る</source>
        <translation>Back to the camera</translation>
    </message>
    <message>
        <source>申請者が辞退（写真を消去）</source>
        <translation>Applicant declines (delete photo)</translation>
    </message>
    <message>
        <source>確認しました（印刷へ）</source>
        <translation>Confirmed (go to printing)</translation>
    </message>
</context>
<context>
    <name>ErrorBanner</name>
    <message>
        <source>予期しないエラーが発生しました（{name}）。</source>
        <translation>An unexpected error occurred ({name}).</translation>
    </message>
</context>
<context>
    <name>FallbackNotice</name>
    <message>
        <source>カメラが見つからないため、テスト画像を表示しています。カメラをつないでから「写真の設定」でカメラを選んでください。</source>
        <translation>No camera was found, so a test picture is shown. Connect a camera, then choose it in Photo settings.</translation>
    </message>
    <message>
        <source>プリンターが見つからないため、印刷の代わりに PDF ファイルに保存します（保存先は印刷のときに選びます）。</source>
        <translation>No printer was found, so sheets are saved as PDF files instead (you choose where when printing).</translation>
    </message>
</context>
<context>
    <name>LivePanel</name>
    <message>
        <source>写真の設定…</source>
        <translation>Photo settings…</translation>
    </message>
    <message>
        <source>撮影する</source>
        <translation>Take photo</translation>
    </message>
    <message>
        <source>撮影できます</source>
        <translation>Ready to take the photo</translation>
    </message>
    <message>
        <source>カメラを待っています…</source>
        <translation>Waiting for the camera…</translation>
    </message>
    <message>
        <source>表示 {fps:.0f} fps（カメラ {cam:.0f} fps）</source>
        <translation>Display {fps:.0f} fps (camera {cam:.0f} fps)</translation>
    </message>
    <message>
        <source>・解析 {ms:.0f} ms</source>
        <translation> · analysis {ms:.0f} ms</translation>
    </message>
</context>
<context>
    <name>PhotoScreen</name>
    <message>
        <source>カメラが再接続されました</source>
        <translation>The camera is back</translation>
    </message>
    <message>
        <source>写真撮影</source>
        <translation>Photo station</translation>
    </message>
    <message>
        <source>カメラを止めています…</source>
        <translation>Stopping the camera…</translation>
    </message>
</context>
<context>
    <name>PhotoSettingsDialog</name>
    <message>
        <source>写真の設定</source>
        <translation>Photo settings</translation>
    </message>
    <message>
        <source>カメラ</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>カメラ {n}（未接続）</source>
        <translation>Camera {n} (not connected)</translation>
    </message>
    <message>
        <source>動画ファイル…</source>
        <translation>Video file…</translation>
    </message>
    <message>
        <source>カメラとプリンターを探しています…</source>
        <translation>Looking for cameras and printers…</translation>
    </message>
    <message>
        <source>探しています…</source>
        <translation>Looking…</translation>
    </message>
    <message>
        <source>静止画フォルダー…</source>
        <translation>Still images…</translation>
    </message>
    <message>
        <source>入力</source>
        <translation>Source</translation>
    </message>
    <message>
        <source>解像度・フレームレート</source>
        <translation>Resolution and frame rate</translation>
    </message>
    <message>
        <source>プレビューを左右反転する（申請者向けの画面）</source>
        <translation>Mirror the preview (screen facing the applicant)</translation>
    </message>
    <message>
        <source>動画ファイルを選ぶ</source>
        <translation>Choose a video file</translation>
    </message>
    <message>
        <source>動画 (*.mp4 *.avi *.mkv *.mov)</source>
        <translation>Videos (*.mp4 *.avi *.mkv *.mov)</translation>
    </message>
    <message>
        <source>静止画フォルダーを選ぶ</source>
        <translation>Choose a folder of still images</translation>
    </message>
    <message>
        <source>動画ファイル：{p}</source>
        <translation>Video file: {p}</translation>
    </message>
    <message>
        <source>静止画フォルダー：{p}</source>
        <translation>Still images: {p}</translation>
    </message>
    <message>
        <source>プリンターと用紙</source>
        <translation>Printer and paper</translation>
    </message>
    <message>
        <source>既定のプリンター</source>
        <translation>Default printer</translation>
    </message>
    <message>
        <source>プリンターが見つかりません。「既定のプリンター」のままにすると、印刷のたびに PDF ファイルの保存先を選んで保存します。</source>
        <translation>No printer found. With “Default printer” kept, each sheet is saved as a PDF file where you choose.</translation>
    </message>
    <message>
        <source>（既定）</source>
        <translation> (default)</translation>
    </message>
    <message>
        <source>PDF ファイル（テスト用）</source>
        <translation>PDF file (for tests)</translation>
    </message>
    <message>
        <source>プリンター</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>PDF に保存すると写真がファイルとして残ります。テストや写真店への入稿など、意図した場合だけ使ってください。</source>
        <translation>Saving as PDF leaves the photo in a file. Use it only on purpose (tests, a photo shop).</translation>
    </message>
    <message>
        <source>PDF の保存先</source>
        <translation>PDF file</translation>
    </message>
    <message>
        <source>用紙</source>
        <translation>Paper</translation>
    </message>
    <message>
        <source>入るだけ</source>
        <translation>As many as fit</translation>
    </message>
    <message>
        <source>1 枚あたりの写真</source>
        <translation>Photos per sheet</translation>
    </message>
    <message>
        <source>テスト印刷</source>
        <translation>Test print</translation>
    </message>
    <message>
        <source>{name}（見つかりません）</source>
        <translation>{name} (not found)</translation>
    </message>
    <message>
        <source>印刷しています…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>テスト印刷が終わりました。写真枠が縦 {h:g} mm × 横 {w:g} mm か定規で確かめてください。</source>
        <translation>Test print done. Check with a ruler that the photo frame is {h:g} mm × {w:g} mm.</translation>
    </message>
    <message>
        <source>注意：プリンター「{name}」は「印刷後ドキュメントを残す」（Keep printed documents）が有効です。印刷した写真がスプーラーに残る設定です。このアプリは自分の印刷ジョブを毎回消去しますが、プリンターのプロパティの［詳細設定］でこの設定を外してください。</source>
        <translation>Caution: printer “{name}” has “Keep printed documents” on, so printed photos stay in the spooler. This app deletes its own jobs every time, but turn the setting off under Advanced in the printer’s properties.</translation>
    </message>
    <message>
        <source>印刷システム（CUPS）の設定を確認できませんでした。印刷済みのジョブを保持しない設定（cupsd.conf の PreserveJobFiles No）か、管理者に確認してください。</source>
        <translation>The print system (CUPS) settings could not be read. Ask the administrator to make sure printed jobs are not kept (PreserveJobFiles No in cupsd.conf).</translation>
    </message>
    <message>
        <source>注意：印刷システム（CUPS）が印刷済みジョブのファイルを保持する設定です（PreserveJobFiles {value}）。このアプリは自分の印刷ジョブを毎回消去しますが、cupsd.conf に「PreserveJobFiles No」を設定してください。</source>
        <translation>Note: the print system (CUPS) keeps the files of printed jobs (PreserveJobFiles {value}). This app purges its own jobs every time, but set &quot;PreserveJobFiles No&quot; in cupsd.conf.</translation>
    </message>
</context>
<context>
    <name>PhotoStation</name>
    <message>
        <source>写真撮影…</source>
        <translation>Photo station…</translation>
    </message>
    <message>
        <source>写真の設定…</source>
        <translation>Photo settings…</translation>
    </message>
    <message>
        <source>写真撮影の画面を別のウィンドウで開きます</source>
        <translation>Opens the photo station in its own window</translation>
    </message>
    <message>
        <source>写真の設定を保存できませんでした</source>
        <translation>The photo settings could not be saved</translation>
    </message>
</context>
<context>
    <name>PhotoWindow</name>
    <message>
        <source>写真撮影 — Madoguchi</source>
        <translation>Photo station — Madoguchi</translation>
    </message>
</context>
<context>
    <name>PreviewWidget</name>
    <message>
        <source>頭頂</source>
        <translation>Crown</translation>
    </message>
    <message>
        <source>あご</source>
        <translation>Chin</translation>
    </message>
</context>
<context>
    <name>PrintFlow</name>
    <message>
        <source>写真を PDF に保存</source>
        <translation>Save the photo as PDF</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>保存しませんでした。写真はまだ消去していません。</source>
        <translation>Not saved. The photo has not been deleted yet.</translation>
    </message>
    <message>
        <source>PDF に保存しました（{path}）。写真データは消去しました。</source>
        <translation>Saved as PDF ({path}). The photo data has been deleted.</translation>
    </message>
    <message>
        <source>印刷しました。写真データは消去しました。</source>
        <translation>Printed. The photo has been deleted.</translation>
    </message>
    <message>
        <source>写真撮影</source>
        <translation>Photo station</translation>
    </message>
    <message>
        <source>印刷が終わるのを待っています（あと最大 {n} 秒）。終わったら写真を消去して閉じます。</source>
        <translation>Waiting for the print to finish (up to {n} s more). The photo is then deleted and the window closes.</translation>
    </message>
</context>
<context>
    <name>PrintPanel</name>
    <message>
        <source>印刷</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>用紙</source>
        <translation>Paper</translation>
    </message>
    <message>
        <source>枚数</source>
        <translation>Photos</translation>
    </message>
    <message>
        <source>プリンター</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>写真を破棄</source>
        <translation>Discard photo</translation>
    </message>
    <message>
        <source>PDF ファイル：{path}</source>
        <translation>PDF file: {path}</translation>
    </message>
    <message>
        <source>PDF ファイルに保存（プリンターが見つかりません）</source>
        <translation>Saved as a PDF file (no printer found)</translation>
    </message>
    <message>
        <source>既定のプリンター</source>
        <translation>Default printer</translation>
    </message>
    <message>
        <source>PDF に保存する</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>もう一度印刷</source>
        <translation>Print again</translation>
    </message>
    <message>
        <source>印刷する</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>印刷しています…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>印刷できませんでした。写真は消去していません。もう一度印刷するか、破棄してください。</source>
        <translation>Printing failed. The photo was not deleted: print again or discard it.</translation>
    </message>
</context>
</TS>
