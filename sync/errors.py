"""Error codes of the sync feature (outbox, hub, bundles, office merge).

Registered with app.errors at import time. Every code also has a machine-readable
`reason` (snake_case) that the hub puts in its 4xx answers, so a client can act on it
without parsing messages (see docs/sync.md, "Error reasons")."""
from __future__ import annotations

from app.errors import MadoguchiError, register_messages

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- booth side: settings and enrolment ------------------------------------
    "SYNC_NOT_CONFIGURED": (
        "ハブ（集約サーバー）が設定されていません。設定画面でハブの URL と登録コードを入力してください。",
        "No hub is configured. Enter the hub URL and an enrolment code in the settings.",
    ),
    "SYNC_NOT_ENROLLED": (
        "この端末はまだハブに登録されていません。事務局から受け取った登録コードで登録してください。",
        "This laptop is not enrolled with the hub yet. Enrol it with the code from the office.",
    ),
    "SYNC_URL_INVALID": (
        "ハブの URL「{url}」が正しくありません。http:// または https:// で始まる URL を入力してください。",
        "Hub URL '{url}' is invalid. Enter a URL starting with http:// or https://.",
    ),
    "SYNC_CA_CERT_MISSING": (
        "CA 証明書ファイル「{path}」が見つからないか、証明書として読めません。",
        "CA certificate file '{path}' is missing or is not a certificate.",
    ),
    "SYNC_SECRET_UNREADABLE": (
        "保存されている端末の鍵を読めません（鍵ファイルが失われたか壊れています）。登録コードでもう一度登録してください。",
        "The stored device key cannot be read (the key file is lost or damaged). Enrol again with a new code.",
    ),
    "SYNC_STATE_UNREADABLE": (
        "同期の状態ファイルを読めません（{path}）。ファイルはそのまま残してあります。",
        "The sync state file cannot be read ({path}). It has been left untouched.",
    ),
    # ---- booth side: talking to the hub ------------------------------------------
    "SYNC_HUB_UNREACHABLE": (
        "ハブに接続できません（{reason}）。ネットワークを確認してください。記録は端末に残っており、接続できたときに送信します。",
        "Cannot reach the hub ({reason}). Check the network. The records stay on this laptop and are sent once the hub is reachable.",
    ),
    "SYNC_HUB_TIMEOUT": (
        "ハブからの応答がありません（{seconds} 秒）。記録は端末に残っており、あとで再送します。",
        "The hub did not answer within {seconds} s. The records stay on this laptop and are sent again later.",
    ),
    "SYNC_TLS_FAILED": (
        "ハブとの安全な接続（TLS）を確立できません。CA 証明書の設定を確認してください（{reason}）。",
        "A secure (TLS) connection to the hub failed. Check the CA certificate setting ({reason}).",
    ),
    "SYNC_HUB_ERROR": (
        "ハブが一時的なエラーを返しました（HTTP {status}）。あとで再送します。",
        "The hub answered with a temporary error (HTTP {status}). Sending again later.",
    ),
    "SYNC_HUB_REFUSED": (
        "ハブが送信を受け付けませんでした（{reason}）：{message}",
        "The hub refused the request ({reason}): {message}",
    ),
    "SYNC_HUB_INCOMPATIBLE": (
        "ハブの応答が読めません（{reason}）。ハブとアプリの版が合っているか事務局に確認してください。",
        "The hub's answer cannot be read ({reason}). Ask the office whether the hub and app versions match.",
    ),
    "SYNC_PENDING_LEFT": (
        "未送信の記録が {pending} 件残っています。",
        "{pending} record(s) are still waiting to be sent.",
    ),
    "SYNC_ROWS_CONFLICT": (
        "{count} 件の記録がハブに受け付けられませんでした（同じ ID で内容の違う記録がハブにあります）。事務局に連絡してください。",
        "{count} record(s) were refused by the hub (a different record with the same id is already there). Contact the office.",
    ),
    # ---- hub: requests ----------------------------------------------------------
    "SYNC_TOKEN_MISSING": (
        "認証トークンがありません（Authorization: Bearer ...）。",
        "No token was sent (Authorization: Bearer ...).",
    ),
    "SYNC_TOKEN_INVALID": (
        "トークンが無効です（不明・失効済み・改ざんのいずれか）。",
        "The token is not valid (unknown, revoked or forged).",
    ),
    "SYNC_ADMIN_REQUIRED": (
        "この操作には事務局用の管理トークンが必要です。",
        "This needs the office's admin token.",
    ),
    "SYNC_DEVICE_TOKEN_REQUIRED": (
        "この操作には端末トークンが必要です。",
        "This needs a device token.",
    ),
    "SYNC_DEVICE_MISMATCH": (
        "端末 {sent} の記録は、その端末自身しか送信できません（この端末は {device}）。",
        "Rows of device {sent} can only be pushed by that device (this token belongs to {device}).",
    ),
    "SYNC_BODY_TOO_LARGE": (
        "送信データが大きすぎます（上限 {limit} バイト）。",
        "The request body is too large (limit {limit} bytes).",
    ),
    "SYNC_BATCH_TOO_LARGE": (
        "一度に送れる記録は {limit} 件までです（送信 {count} 件）。",
        "A batch may hold at most {limit} rows (got {count}).",
    ),
    "SYNC_MALFORMED": (
        "送信データの形式が正しくありません（{where}：{problem}）。このバッチは保存していません。",
        "The request is malformed ({where}: {problem}). Nothing from this batch was stored.",
    ),
    "SYNC_ROW_HASH_MISMATCH": (
        "記録 {row} の内容がハッシュと一致しません。このバッチは保存していません。",
        "Row {row} does not match its hash. Nothing from this batch was stored.",
    ),
    "SYNC_BUSY": (
        "ハブが同じ端末の別の送信を処理中です。少し待ってから再送してください。",
        "The hub is busy with another push of the same device. Try again shortly.",
    ),
    "SYNC_NOT_FOUND": ("{what} が見つかりません。", "{what} was not found."),
    "SYNC_METHOD_NOT_ALLOWED": (
        "{path} は {method} では使えません。",
        "{path} does not accept {method}.",
    ),
    "SYNC_REQUEST_REFUSED": (
        "ハブが要求を受け付けませんでした（{reason}）。",
        "The hub refused the request ({reason}).",
    ),
    # ---- hub: enrolment, devices, tokens ----------------------------------------
    "SYNC_ENROL_CODE_INVALID": (
        "登録コードが正しくないか、すでに使用済み・期限切れです。事務局に新しいコードを発行してもらってください。",
        "The enrolment code is wrong, already used or expired. Ask the office for a new code.",
    ),
    "SYNC_DEVICE_ALREADY_ENROLLED": (
        "端末 {device} はすでに別の鍵で登録されています。入れ替える場合は事務局が --replace 付きのコードを発行してください。",
        "Device {device} is already enrolled with another key. To replace it, the office issues a code with --replace.",
    ),
    "SYNC_DEVICE_UNKNOWN": ("端末 {device} はハブに登録されていません。", "Device {device} is not known to the hub."),
    "SYNC_DEVICE_NAME_INVALID": (
        "端末名は 1〜{limit} 文字で入力してください。",
        "The device name must be 1 to {limit} characters.",
    ),
    "SYNC_HUB_DB_INVALID": (
        "ハブのデータベース指定「{url}」が正しくありません。sqlite:///パス または postgresql://... で指定してください。",
        "Hub database '{url}' is invalid. Use sqlite:///PATH or postgresql://...",
    ),
    "SYNC_HUB_DB_REQUIRED": (
        "ハブのデータベースを --db で指定してください（例：--db sqlite:///hub.sqlite3 または --db postgresql://...）。",
        "Give the hub database with --db (e.g. --db sqlite:///hub.sqlite3 or --db postgresql://...).",
    ),
    "SYNC_HUB_DB_MISSING": (
        "ハブのデータベース「{path}」がありません。パスを確かめてください（新しいハブは `hub --db` で起動すると作られます）。",
        "Hub database '{path}' does not exist. Check the path (a new hub's database is created by starting it with `hub --db`).",
    ),
    "SYNC_HUB_DB_UNAVAILABLE": (
        "ハブのデータベースに接続できません（{reason}）。",
        "Cannot open the hub database ({reason}).",
    ),
    "SYNC_HUB_DB_TOO_NEW": (
        "このハブのデータベースは新しい版で作られています（版 {found}、対応は {supported} まで）。",
        "This hub database was written by a newer version (schema {found}, supported up to {supported}).",
    ),
    "SYNC_PLAN_INVALID": (
        "予定ファイル {file} の {line} 行目が正しくありません：{problem}",
        "Plan file {file}, line {line}: {problem}",
    ),
    # ---- offline bundles --------------------------------------------------------
    "SYNC_BUNDLE_NOT_A_BUNDLE": (
        "ファイル {file} は Madoguchi の持ち出しファイルではありません。何も取り込んでいません。",
        "{file} is not a Madoguchi bundle. Nothing was merged.",
    ),
    "SYNC_BUNDLE_TRUNCATED": (
        "持ち出しファイル {file} が途中で切れています（コピーが完了していない可能性があります）。何も取り込んでいません。",
        "Bundle {file} is truncated (the copy may be incomplete). Nothing was merged.",
    ),
    "SYNC_BUNDLE_TAMPERED": (
        "持ち出しファイル {file} の署名が合いません。作成後に変更されています。何も取り込んでいません。",
        "The signature of bundle {file} does not match: it was changed after it was written. Nothing was merged.",
    ),
    "SYNC_BUNDLE_FOREIGN": (
        "持ち出しファイル {file} は、ハブに登録された端末 {device} の鍵で署名されていません（指紋 {fingerprint}）。何も取り込んでいません。",
        "Bundle {file} is not signed with the registered key of device {device} (fingerprint {fingerprint}). Nothing was merged.",
    ),
    "SYNC_BUNDLE_UNTRUSTED": (
        "持ち出しファイル {file} は未登録の端末 {device} のものです。端末で表示される鍵の指紋が {fingerprint} であることを確認してから、--trust-fingerprint {fingerprint} を付けて取り込んでください。何も取り込んでいません。",
        "Bundle {file} comes from device {device}, which is not enrolled. Confirm with the laptop that its key fingerprint is {fingerprint}, then import with --trust-fingerprint {fingerprint}. Nothing was merged.",
    ),
    "SYNC_BUNDLE_FINGERPRINT_MISMATCH": (
        "指定された指紋 {given} は、持ち出しファイル {file} の鍵の指紋 {fingerprint} と一致しません。何も取り込んでいません。",
        "The fingerprint {given} does not match the key of bundle {file} ({fingerprint}). Nothing was merged.",
    ),
    "SYNC_BUNDLE_INVALID_ROWS": (
        "持ち出しファイル {file} の記録が正しくありません（{problem}）。何も取り込んでいません。",
        "Bundle {file} holds invalid rows ({problem}). Nothing was merged.",
    ),
    "SYNC_BUNDLE_DEVICE_REVOKED": (
        "持ち出しファイル {file} は失効させた端末 {device} のものです（失効 {revoked_at}、ファイルの作成 {created_at}、"
        "記録 {first_seq}〜{last_seq}）。何も取り込んでいません。失効した端末の鍵は他人の手にあるかもしれず、"
        "ファイルの作成日時も当てになりません。端末が戻り問題ないと確認できたら、"
        "`hub enrol-code --replace {device}` のコードで登録し直してから取り込んでください。"
        "失効より前に職員から受け取ったファイルだと確認できる場合に限り、--accept-revoked を付けて取り込めます"
        "（ハブのログに記録されます）。",
        "Bundle {file} comes from device {device}, which was revoked ({revoked_at}; file written {created_at},"
        " rows {first_seq}-{last_seq}). Nothing was merged. A revoked laptop's key may be in someone else's hands,"
        " so not even the file's date can be trusted. If the laptop is back and checked, enrol it again with a"
        " code from `hub enrol-code --replace {device}`, then import. Only if you know this file was handed in"
        " by staff before the revocation, import it with --accept-revoked (this is recorded in the hub's log).",
    ),
    "SYNC_FILE_UNWRITABLE": (
        "ファイル {file} に書き込めません（{reason}）。",
        "Cannot write {file} ({reason}).",
    ),
    "SYNC_FILE_UNREADABLE": (
        "ファイル {file} を読めません（{reason}）。",
        "Cannot read {file} ({reason}).",
    ),
    # ---- office ---------------------------------------------------------------
    "SYNC_GROUP_UNKNOWN": (
        "集計の切り口「{by}」はありません。使えるのは {allowed} と、各プロファイルの区分名です。",
        "'{by}' is not a grouping. Use {allowed} or a dimension name of the profiles.",
    ),
    "SYNC_SOURCE_REQUIRED": (
        "--hub URL と --token、または --db のどちらかを指定してください。",
        "Give either --hub URL with --token, or --db.",
    ),
}

# HTTP status and machine-readable reason for each code the hub answers with.
REASONS: dict[str, tuple[int, str]] = {
    "SYNC_TOKEN_MISSING": (401, "token_missing"),
    "SYNC_TOKEN_INVALID": (401, "token_invalid"),
    "SYNC_ADMIN_REQUIRED": (403, "admin_required"),
    "SYNC_DEVICE_TOKEN_REQUIRED": (403, "device_token_required"),
    "SYNC_DEVICE_MISMATCH": (403, "device_mismatch"),
    "SYNC_BODY_TOO_LARGE": (413, "body_too_large"),
    "SYNC_BATCH_TOO_LARGE": (413, "batch_too_large"),
    "SYNC_MALFORMED": (422, "malformed"),
    "SYNC_ROW_HASH_MISMATCH": (422, "hash_mismatch"),
    "SYNC_BUSY": (409, "busy"),
    "SYNC_NOT_FOUND": (404, "not_found"),
    "SYNC_ENROL_CODE_INVALID": (403, "enrol_code_invalid"),
    "SYNC_DEVICE_ALREADY_ENROLLED": (409, "device_already_enrolled"),
    "SYNC_DEVICE_UNKNOWN": (404, "device_unknown"),
    "SYNC_DEVICE_NAME_INVALID": (422, "device_name_invalid"),
    "SYNC_PLAN_INVALID": (422, "plan_invalid"),
    "SYNC_BUNDLE_NOT_A_BUNDLE": (422, "bundle_not_a_bundle"),
    "SYNC_BUNDLE_TRUNCATED": (422, "bundle_truncated"),
    "SYNC_BUNDLE_TAMPERED": (422, "bundle_tampered"),
    "SYNC_BUNDLE_FOREIGN": (422, "bundle_foreign"),
    "SYNC_BUNDLE_UNTRUSTED": (422, "bundle_untrusted"),
    "SYNC_BUNDLE_FINGERPRINT_MISMATCH": (422, "bundle_fingerprint_mismatch"),
    "SYNC_BUNDLE_INVALID_ROWS": (422, "bundle_invalid_rows"),
    "SYNC_BUNDLE_DEVICE_REVOKED": (422, "bundle_device_revoked"),
    "SYNC_METHOD_NOT_ALLOWED": (405, "method_not_allowed"),
    "SYNC_GROUP_UNKNOWN": (422, "group_unknown"),
}

register_messages(MESSAGES)


def http_status(exc: MadoguchiError) -> tuple[int, str]:
    """(status, reason) for a refused request; anything unexpected is a 422 so a
    client never retries it as if the hub were down."""
    return REASONS.get(exc.code, (422, exc.code.lower().removeprefix("sync_")))


def error_body(exc: MadoguchiError) -> dict:
    status, reason = http_status(exc)
    return {"error": {"code": exc.code, "reason": reason, "message": exc.message("ja"),
                      "message_en": exc.message("en"),
                      "details": {k: str(v) for k, v in exc.details.items()}}}
