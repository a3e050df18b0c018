"""Error codes and the advice texts of the photo checks (Japanese first, English too).

Advice is what the booth staff read out to the applicant, so it says what to do, not
what is wrong in technical terms."""
from __future__ import annotations

from app.errors import register_messages

ERRORS = {
    "PHOTO_NO_FACE": (
        "顔が見つかりません。正面を向いた顔が写っている写真を使ってください。",
        "No face was found. Use a photo with one face looking at the camera.",
    ),
    "PHOTO_SEVERAL_FACES": (
        "顔が {count} 人分写っています。申請者お一人だけが写るようにしてください。",
        "{count} faces are in the picture. Only the applicant may be in it.",
    ),
    "PHOTO_SPEC_NOT_MET": (
        "この写真では規格（縦{height}mm×横{width}mm、頭頂からあごまで{head}mm）を満たせません：{advice}",
        "This picture cannot meet the spec ({height}×{width} mm, head {head} mm): {advice}",
    ),
    "PHOTO_INPUT_UNREADABLE": (
        "画像ファイルを読み込めません（{path}）。JPEG・PNG などの画像を指定してください。",
        "The image file cannot be read ({path}). Give a JPEG, PNG or similar image.",
    ),
    "PHOTO_SHEET_UNKNOWN": (
        "用紙「{sheet}」はありません。選べるのは {allowed} です。",
        "There is no sheet '{sheet}'. Choose one of {allowed}.",
    ),
    "PHOTO_COUNT_INVALID": (
        "枚数は 1 から {capacity} の間で指定してください（{sheet} 用紙、指定：{count}）。",
        "The number of photos must be between 1 and {capacity} on a {sheet} sheet (got {count}).",
    ),
    "PHOTO_OUTPUT_EXISTS": (
        "出力先 {path} はフォルダーです。PDF ファイルの名前を指定してください。",
        "{path} is a folder. Give the name of a PDF file.",
    ),
    "PHOTO_OUTPUT_FAILED": (
        "PDF を書き込めませんでした（{path}）：{reason}",
        "The PDF could not be written ({path}): {reason}",
    ),
    "PHOTO_DISABLED": (
        "プロファイル「{profile}」では写真撮影を使いません。",
        "Profile '{profile}' does not use the photo station.",
    ),
    "PHOTO_NO_CONSENT": (
        "印刷の前に、申請者と写真の確認事項を確認してください。",
        "Confirm the photo checkpoints with the applicant before printing.",
    ),
    "PHOTO_CROP_OUTSIDE": (
        "切り抜き枠が撮影範囲の外に出ています。位置や大きさを戻してください。",
        "The crop frame goes outside the picture. Move it back or make it smaller.",
    ),
    "CAMERA_OPEN_FAILED": (
        "カメラ（{name}）を開けません。接続と、ほかのアプリが使っていないかを確認してください。",
        "The camera ({name}) cannot be opened. Check the cable and that no other app is using it.",
    ),
    "CAMERA_LOST": (
        "カメラ（{name}）との接続が切れました。ケーブルを確認してください。つながり次第、自動で再開します。",
        "The camera ({name}) was disconnected. Check the cable; the preview comes back by itself.",
    ),
    "CAMERA_BACKEND_UNKNOWN": (
        "カメラの種類「{backend}」はありません。選べるのは {allowed} です。",
        "There is no camera kind '{backend}'. Choose one of {allowed}.",
    ),
    "CAMERA_SOURCE_MISSING": (
        "カメラの入力元 {path} が見つかりません。",
        "The camera source {path} was not found.",
    ),
    "PRINTER_BACKEND_UNKNOWN": (
        "プリンターの種類「{backend}」はありません。選べるのは {allowed} です。",
        "There is no printer kind '{backend}'. Choose one of {allowed}.",
    ),
    "PRINTER_NOT_FOUND": (
        "プリンター「{name}」が見つかりません。写真の設定でプリンターを選び直してください。",
        "Printer '{name}' was not found. Choose the printer again in the photo settings.",
    ),
    "PRINT_FAILED": (
        "印刷できませんでした（{reason}）。写真はまだ消去していません。プリンターを確認して、もう一度印刷してください。",
        "Printing failed ({reason}). The photo has not been deleted: check the printer and print again.",
    ),
    "PRINT_TIMEOUT": (
        "印刷が {seconds} 秒たっても終わりません。プリンターを確認してください。写真はまだ消去していません。",
        "The print job did not finish within {seconds} s. Check the printer; the photo has not been deleted.",
    ),
    "PRINT_PURGE_FAILED": (
        "印刷は終わりましたが、印刷待ちデータ（ジョブ {job}）を消去できませんでした：{reason}。管理者に連絡してください。",
        "The photo printed, but its spooler job ({job}) could not be purged: {reason}. Tell the administrator.",
    ),
}

# Advice for each failed check: code -> (ja, en). Shown live and in the CLI's JSON.
ADVICE = {
    "no_face": ("顔が見つかりません。カメラの正面を向いてください", "No face found: look straight at the camera"),
    "several_faces": ("複数の顔が写っています。申請者お一人だけにしてください", "Several faces: only the applicant may be in the picture"),
    "too_far": ("もう少し近づいてください", "Come a little closer"),
    "too_close": ("少し離れてください", "Move back a little"),
    "move_left": ("画面の左へ少し移動してください", "Move a little to the left of the screen"),
    "move_right": ("画面の右へ少し移動してください", "Move a little to the right of the screen"),
    "crown_cut": ("頭の上が切れています。カメラを少し上に向けるか、少し下がってください",
                  "The top of the head is cut off: tilt the camera up a little or move back"),
    "chin_cut": ("あごが枠の下に出ています。カメラを少し下に向けてください",
                 "The chin is below the frame: tilt the camera down a little"),
    "head_high": ("頭が上に寄っています。カメラを少し上に向けてください", "The head is too high: tilt the camera up a little"),
    "head_low": ("頭が下に寄っています。カメラを少し下に向けてください", "The head is too low: tilt the camera down a little"),
    "tilted": ("顔が傾いています。まっすぐにしてください", "The head is tilted: hold it straight"),
    "eyes_hidden": ("目がはっきり写っていません。前髪や眼鏡の反射を確認してください",
                    "The eyes are not clear: check the fringe and glare on glasses"),
    "too_dark": ("暗すぎます。照明を明るくしてください", "Too dark: add light"),
    "too_bright": ("明るすぎます。照明を弱めるか、光が直接当たらないようにしてください",
                   "Too bright: dim the light or avoid direct light"),
    "blurred": ("ぼやけています。動かずに、ピントを合わせてください", "Blurred: keep still and focus"),
    "background_busy": ("背景に物が写っています。無地の背景の前に立ってください",
                        "There are things in the background: stand in front of a plain background"),
    "background_dark": ("背景が暗すぎます。明るい無地の背景にしてください", "The background is too dark: use a plain light background"),
    "low_resolution": ("解像度が足りません。もう少し近づくか、高画素のカメラを使ってください",
                       "Not enough resolution: come closer or use a higher-resolution camera"),
}

# What each check is called on screen.
CHECK_LABELS = {
    "face": ("顔が一人", "One face"),
    "size": ("顔の大きさ", "Head size"),
    "framing": ("枠に収まる", "Inside the frame"),
    "centred": ("中央", "Centred"),
    "tilt": ("傾き・目", "Straight, eyes visible"),
    "exposure": ("明るさ", "Brightness"),
    "sharpness": ("ピント", "Sharpness"),
    "background": ("背景", "Background"),
}


def advice_text(code: str, lang: str = "ja") -> str:
    ja, en = ADVICE[code]
    return en if lang == "en" else ja


def check_label(key: str, lang: str = "ja") -> str:
    ja, en = CHECK_LABELS[key]
    return en if lang == "en" else ja


register_messages(ERRORS)
