"""Japanese/English texts of the QR board (staff side).

The board's source strings are Japanese, like the rest of the UI; English comes
from this table instead of resources/i18n (a shared file), so the feature is
complete on its own. tests/qr/test_ui_texts.py checks every text has an entry.
The visitor display is always Japanese (the visitors are Miyagi residents).
"""
from __future__ import annotations

EN: dict[str, str] = {
    " 分": " min",
    " 名": " people",
    " 秒ごと": " s each",
    "QR コードにする URL・文字列（入力か貼り付け）": "URL or text for the QR code (type or paste)",
    "QR コードを削除しました": "QR code removed",
    "QR コードを追加しました：{caption}": "QR code added: {caption}",
    "{to} へ {n} 名（期限 {time}）": "to {to}: {n} (expires {time})",
    "\u3000期限切れ：受け取り側で返却コードを表示してもらい、読み取ってください":
        "  expired: ask the receiving laptop to show a return code, then scan it",
    "この QR を表示": "Show this QR code",
    "この端末のコード：{code}": "This laptop's code: {code}",
    "この端末の残り {available} 名のうち、指定した数をほかの端末に譲ります。コードを表示した時点でこの端末の残りが減り、受け取った端末で1回だけ増えます。":
        "Hand part of this laptop's remaining {available} to another laptop. This laptop's remaining "
        "drops when the code is shown; the receiving laptop's rises once when it reads the code.",
    "この端末の残り {n} 名": "This laptop: {n} left",
    "この端末（{code}）": "This laptop ({code})",
    "ほかの端末で「参加コードを読み取る」を押し、この QR コードを読み取るか、下の文字を入力してください。":
        "On each other laptop press 'Scan join code' and scan this QR code, or type the text below.",
    "カメラで読み取る": "Scan with the camera",
    "カメラにコードを向けてください…": "Point the camera at the code…",
    "キャンセル": "Cancel",
    "コードの画像を選ぶ": "Choose an image of the code",
    "ハブ（オンライン時に各端末へ配る）に預ける数": "Kept at the hub (handed to laptops when online)",
    "ポイントを付与しました（この端末の残り {n} 名）": "Points granted ({n} left on this laptop)",
    "ポイント付与（1名）": "Grant points (1 person)",
    "ポイント配布": "Point distribution",
    "ポイント配布用の二次元コード（上限に達したら表示をやめる）":
        "Point-distribution code (no longer shown once the cap is reached)",
    "主催者の QR コード画像を選ぶ": "Choose the organiser's QR code image",
    "付与済み {granted} 名 ／ この端末の配布枠 {allotment} 名 ／ 譲渡済み {transit} 名 ／ 会場の上限 {cap} 名":
        "Granted {granted} / allotment of this laptop {allotment} / handed over {transit} / venue cap {cap}",
    "代表端末で「配布日の設定」をしてから、ほかの端末は参加コードを読み取ってください。本日の上限：{cap} 名":
        "Set up the distribution day on the lead laptop; the other laptops then scan its join code. "
        "Today's cap: {cap}",
    "全画面": "Full screen",
    "削除": "Remove",
    "割り振り合計 {total} / 上限 {cap}（未割り当て {rest}）": "Allotted {total} of {cap} ({rest} not allotted)",
    "参加コード": "Join code",
    "参加コードを表示": "Show join code",
    "参加コードを読み取る…": "Scan join code…",
    "受け取らずに返却コードを表示（期限切れのときなど）": "Don't receive: show a return code (e.g. expired)",
    "受け取る端末のコード": "Receiving laptop's code",
    "均等に分ける": "Split evenly",
    "有効期限": "Valid for",
    "本日の上限 {cap} 名を、この会場で使う端末に割り振ります。ほかの端末の「この端末のコード」を入力してください。割り振りは後から譲渡コードで移せます。":
        "Split today's cap of {cap} between the laptops used at this venue. Enter each other laptop's "
        "'laptop code'. Allotments can be moved later with transfer codes.",
    "来場者に見せる QR コード": "QR codes shown to visitors",
    "来場者に見せる QR コードを追加": "Add a QR code for visitors",
    "来場者向けの説明（キャプション）": "Caption shown to visitors",
    "来場者用画面を閉じる": "Close visitor screen",
    "来場者用画面を開く": "Open visitor screen",
    "来場者用画面：{caption}": "Visitor screen: {caption}",
    "来場者用画面：（QR コードなし）": "Visitor screen: (no QR code)",
    "画像から読み取りました。": "Read from the image.",
    "画像から読み取りました。内容を確認してください。": "Read from the image. Check the text.",
    "画像から読み取る…": "Read from image…",
    "画像を読み取っています…": "Reading the image…",
    "画像ファイルから読み取る…": "Read from an image file…",
    "確認しています…": "Checking…",
    "端末 {to} で「譲渡コードを受け取る」を押し、この QR コードを読み取るか、下の文字を入力してください。期限までに受け取られなかったときは、受け取り側で返却コードを表示してもらい、この端末で読み取ると配布枠が戻ります。":
        "On laptop {to} press 'Receive transfer code' and scan this QR code, or type the text below. "
        "If it is not received in time, have that laptop show a return code and scan it here to get "
        "the allotment back.",
    "端末コード {code} が二度入力されています。": "Laptop code {code} is entered twice.",
    "端末コード（例：K7Q-M2X）": "Laptop code (e.g. K7Q-M2X)",
    "自動で切り替える": "Rotate automatically",
    "表示先": "Show on",
    "設定して参加コードを表示": "Set up and show the join code",
    "譲る数": "Number to hand over",
    "譲渡コード": "Transfer code",
    "譲渡コードを受け取る…": "Receive transfer code…",
    "譲渡コードを発行した端末で「返却コードを読み取る」を押し、この QR コードを読み取ってください。この端末はこの譲渡コードをもう受け取れません。":
        "On the laptop that issued the transfer code press 'Scan return code' and scan this QR code. "
        "This laptop can no longer receive that transfer code.",
    "譲渡コードを表示": "Show transfer code",
    "譲渡コードを表示しました（この端末の残り {n} 名）": "Transfer code shown ({n} left on this laptop)",
    "譲渡したコード（返却分を除く。ダブルクリックで再表示）": "Codes handed over (not returned; double-click to show again)",
    "返却コード": "Return code",
    "返却コードを表示しました": "Return code shown",
    "返却コードを読み取る…": "Scan return code…",
    "追加": "Add",
    "追加…": "Add…",
    "配布日に参加しました（配布枠 {n} 名）": "Joined the distribution day (allotment {n})",
    "配布日の設定…（代表端末）": "Set up the day… (lead laptop)",
    "配布日の設定（代表端末）": "Set up the distribution day (lead laptop)",
    "配布日を設定しました": "Distribution day set up",
    "配布枠が戻りました（この端末の残り {n} 名）": "Allotment returned ({n} left on this laptop)",
    "配布枠が未設定です": "No allotment yet",
    "配布枠を受け取りました（この端末の残り {n} 名）": "Allotment received ({n} left on this laptop)",
    "配布枠を譲る": "Hand over allotment",
    "配布枠を譲る…": "Hand over allotment…",
    "配布終了（この端末の残り 0 名）": "Distribution ended (0 left on this laptop)",
    "閉じる": "Close",
    "（この画面）": " (this screen)",
    "（画像から）": " (from an image)",
    "＋ 端末を追加": "+ Add a laptop",
    "［ポイント］": "[points] ",
    # ScanCodeDialog kinds
    "参加コードを読み取る": "Scan the join code",
    "代表端末に表示された参加コード（PV1-…）を読み取るか入力してください。代表端末には、下の「この端末のコード」を伝えてください。":
        "Scan or type the join code (PV1-…) shown on the lead laptop. Tell the lead laptop this "
        "laptop's code shown below.",
    "参加する": "Join",
    "譲渡コードを受け取る": "Receive a transfer code",
    "ほかの端末に表示された譲渡コード（PT1-…）を読み取るか入力してください。配布枠が増えるのは1回だけです。":
        "Scan or type the transfer code (PT1-…) shown on another laptop. It raises the allotment once.",
    "受け取る": "Receive",
    "返却コードを読み取る": "Scan a return code",
    "受け取り側の端末に表示された返却コード（PR1-…）を読み取るか入力してください。譲った配布枠がこの端末に戻ります。":
        "Scan or type the return code (PR1-…) shown on the receiving laptop. The allotment you handed "
        "over comes back to this laptop.",
    "読み取る": "Read",
    "予期しないエラーが発生しました（{name}）。": "Unexpected error ({name}).",
    "ハブから配布枠を受け取る": "Receive allotment from the hub",
    "ハブから配布枠を受け取る…": "Receive from the hub…",
    "オンラインのとき、ハブに預けた配布枠（{reserve} 名）から、この端末に配布枠を受け取ります。":
        "When online, take allotment for this laptop from the hub's reserve ({reserve}).",
    "ハブに問い合わせています…": "Asking the hub…",
    "ハブから {n} 名分を受け取りました（この端末の残り {left} 名）":
        "Received {n} from the hub ({left} left on this laptop)",
}


class Tr:
    """t("日本語", **fields) -> the text in the board's language, fields filled."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, text: str, **fields: object) -> str:
        out = EN.get(text, text) if self.lang == "en" else text
        return out.format(**fields) if fields else out
