"""Error codes of point distribution (grants against the daily cap, allotments and
transfer codes between laptops)."""
from __future__ import annotations

from app.errors import register_messages

register_messages({
    "POINTS_NO_CAP": (
        "この実施回のプロファイル「{profile}」には1日の配布上限がないため、ポイント配布を設定できません。",
        "Profile '{profile}' of this opening has no daily cap, so point distribution cannot be set up.",
    ),
    "POINTS_NO_VENUE_DAY": (
        "ポイント配布の設定（この端末の配布枠）がまだされていないため、付与を記録できません。"
        "「QR コード・ポイント配布」画面で、代表端末は「配布日の設定」を、ほかの端末は代表端末の参加コードの読み取りをしてください。",
        "Point distribution is not set up on this laptop yet (no allotment), so the grant was not recorded. "
        "On the 'QR codes & points' screen, set up the distribution day on the lead laptop, or scan the lead laptop's join code.",
    ),
    "POINTS_ALREADY_JOINED": (
        "この実施回はすでに配布日（{venue_day}）に参加しています。",
        "This opening already takes part in distribution day {venue_day}.",
    ),
    "POINTS_CAP_REACHED": (
        "本日の配布上限（{cap} 名）に達しました。本日の配布は終了しました。",
        "Today's cap ({cap} people) has been reached. Today's distribution has ended.",
    ),
    "POINTS_ALLOTMENT_EXHAUSTED": (
        "この端末の配布枠（{allotment} 名）を使い切りました。ほかの端末から配布枠を譲り受けてください。",
        "This laptop's allotment ({allotment} people) is used up. Receive more from another laptop.",
    ),
    "POINTS_ROSTER_INVALID": (
        "配布枠の割り振りが正しくありません：{problem_ja}",
        "The allotment split is invalid: {problem_en}",
    ),
    "POINTS_LAPTOP_CODE_INVALID": (
        "端末コード「{laptop}」が正しくありません。6文字（例：K7Q-M2X）を確認してください。",
        "Laptop code '{laptop}' is invalid. Check the 6 characters (e.g. K7Q-M2X).",
    ),
    "POINTS_CODE_INVALID": (
        "コードを読み取れません。文字の抜け・余分な文字・打ち間違いがないか確認してください。",
        "The code cannot be read. Check it for missing, extra or mistyped characters.",
    ),
    "POINTS_CODE_WRONG_KIND": (
        "これは{found_ja}です。ここでは{expected_ja}を読み取ってください。",
        "This is a {found_en}. Scan a {expected_en} here.",
    ),
    "POINTS_CODE_FORGED": (
        "このコードは正しく署名されていません（偽造、入力ミス、または別の配布日のコードです）。受け付けませんでした。",
        "This code is not correctly signed (forged, mistyped, or from another distribution day). It was refused.",
    ),
    "POINTS_CODE_UNKNOWN_DAY": (
        "このコードの配布日にこの端末は参加していません。先に代表端末の参加コードを読み取ってください。",
        "This laptop does not take part in the distribution day of this code. Scan the lead laptop's join code first.",
    ),
    "POINTS_WRONG_DATE": (
        "参加コードの配布日（{code_date}）とこの実施回の日付（{opening_date}）が違います。",
        "The join code is for {code_date}, but this opening is on {opening_date}.",
    ),
    "POINTS_CAP_MISMATCH": (
        "参加コードの上限（{code_cap} 名）がプロファイルの1日の上限（{cap} 名）を超えています。",
        "The join code's cap ({code_cap}) is more than the profile's daily cap ({cap}).",
    ),
    "POINTS_TRANSFER_COUNT_INVALID": (
        "譲り渡す件数は 1 以上、この端末の残り（{available} 件）以下で入力してください（入力：{count}）。",
        "The number to hand over must be from 1 to this laptop's remaining {available} (got {count}).",
    ),
    "POINTS_TRANSFER_TO_SELF": (
        "自分の端末あてには譲り渡せません。受け取る端末の端末コードを入力してください。",
        "A laptop cannot hand its allotment to itself. Enter the receiving laptop's code.",
    ),
    "POINTS_TRANSFER_NOT_FOR_ME": (
        "この譲渡コードは端末 {to} あてです（この端末は {me}）。あて先の端末で読み取ってください。",
        "This transfer code is for laptop {to} (this is {me}). Scan it on that laptop.",
    ),
    "POINTS_TRANSFER_REPLAYED": (
        "この譲渡コード（{code_id}）はこの端末ですでに受け取り済みです。同じコードは一度しか使えません。",
        "This transfer code ({code_id}) has already been received on this laptop. A code works only once.",
    ),
    "POINTS_TRANSFER_VOIDED": (
        "この譲渡コード（{code_id}）はこの端末で返却済み（無効）です。受け取れません。",
        "This transfer code ({code_id}) was handed back (voided) on this laptop and cannot be received.",
    ),
    "POINTS_TRANSFER_EXPIRED": (
        "この譲渡コードは有効期限（{expires}）を過ぎています。受け取れません。渡した端末に配布枠を戻すには「返却コード」を表示してください。",
        "This transfer code expired at {expires} and cannot be received. Show a return code so the issuing laptop gets its allotment back.",
    ),
    "POINTS_TRANSFER_EXPIRED_CLOCK": (
        "この端末にはすでに {latest} の記録があり、譲渡コードの有効期限（{expires}）を過ぎています"
        "（この端末の時計が戻された可能性があります）。期限切れのコードは受け取れません。"
        "渡した端末に配布枠を戻すには「返却コード」を表示してください。",
        "This laptop already has records from {latest}, after the transfer code's expiry ({expires}) "
        "(its clock may have been set back). An expired code cannot be received. "
        "Show a return code so the issuing laptop gets its allotment back.",
    ),
    "POINTS_VALID_MIN_INVALID": (
        "有効期限は {low}〜{high} 分で指定してください（入力：{valid_min}）。",
        "The validity must be {low} to {high} minutes (got {valid_min}).",
    ),
    "POINTS_LAPTOP_ARG_INVALID": (
        "--laptop は「端末コード=人数」の形で指定してください（例：K7Q-M2X=1000）。入力：{item}",
        "--laptop takes LAPTOP-CODE=COUNT (e.g. K7Q-M2X=1000); got {item}",
    ),
    "POINTS_TAKEBACK_UNCONFIRMED": (
        "ハブはこの譲渡コード（{code_id}）が受け取られていないことをまだ確認していません。配布枠は戻していません。",
        "The hub has not confirmed that transfer code {code_id} was not received. The allotment was not given back.",
    ),
    "POINTS_HUB_REQUEST_UNKNOWN": (
        "ハブへの依頼（{request_id}）がこの端末の記録にありません。",
        "This laptop has no record of hub request {request_id}.",
    ),
    "POINTS_HUB_COUNT_INVALID": (
        "ハブから受け取る数は 1 以上、ハブに預けた数（{reserve} 名）以下で指定してください（入力：{count}）。",
        "The number to draw from the hub must be from 1 to the hub's reserve of {reserve} (got {count}).",
    ),
    "POINTS_HUB_RELEASE_PENDING": (
        "ハブで返却を処理できませんでした（{reason}）。この端末の配布枠からは {count} 名分を差し引き済みです。"
        "次にハブにつながったとき（QR コード画面、または points release）に自動で再送します。",
        "The hub did not take the release ({reason}). {count} have already been taken off this laptop's allotment; "
        "they are sent again automatically the next time the hub is reachable (QR board, or points release).",
    ),
    "POINTS_VENUE_DAY_TAKEN": (
        "この会場・日付（{venue}、{day}）の配布日は、すでに別の端末（端末コード {laptop}）が設定しています。"
        "配布日の設定は1つの会場・日付につき1台（代表端末）だけです。2台で設定すると上限が2倍になります。"
        "この端末では設定せず、代表端末の参加コードを読み取ってください。",
        "The distribution day of this venue and date ({venue}, {day}) has already been set up by another laptop "
        "(laptop code {laptop}). Only one laptop (the lead) may set up a venue and date: two set-ups would "
        "double the cap. Do not set it up here; scan the lead laptop's join code instead.",
    ),
    "POINTS_CLOCK_SKEW": (
        "この端末の時計が、コードを発行した端末より {minutes} 分以上遅れています。時計を合わせてからもう一度読み取ってください。",
        "This laptop's clock is more than {minutes} minutes behind the laptop that issued the code. Set the clock, then scan again.",
    ),
    "POINTS_RETURN_UNKNOWN": (
        "この返却コードの譲渡（{code_id}）はこの端末が発行したものではありません。",
        "The transfer of this return code ({code_id}) was not issued by this laptop.",
    ),
    "POINTS_RETURN_REPLAYED": (
        "この返却コード（{code_id}）はすでに受け付け済みです。",
        "This return code ({code_id}) has already been accepted.",
    ),
    "POINTS_VOID_ALREADY_RECEIVED": (
        "この譲渡コード（{code_id}）はこの端末で受け取り済みのため、返却できません。",
        "This transfer code ({code_id}) has already been received on this laptop, so it cannot be handed back.",
    ),
    "POINTS_HUB_RESERVE_EMPTY": (
        "ハブに残っている配布枠がありません。",
        "The hub has no allotment left.",
    ),
    "POINTS_HUB_FAILED": (
        "ハブと通信できませんでした（{reason}）。配布枠は変わっていません。",
        "Could not reach the hub ({reason}). The allotment has not changed.",
    ),
    # The hub answered, and said no: why, in words, with its machine-readable reason.
    "POINTS_HUB_REFUSED": (
        "ハブがこの依頼を受け付けませんでした：{why_ja}（{reason}）。配布枠は変わっていません。",
        "The hub refused this request: {why_en} ({reason}). The allotment has not changed.",
    ),
})
