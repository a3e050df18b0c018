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
        "この写真では規格（縦{height}mm×横{width}mm、頭頂からあごまで{head}mm）を満たせません：{advice:ja}",
        "This picture cannot meet the spec ({height}×{width} mm, head {head} mm): {advice:en}",
    ),
    "PHOTO_OUTPUT_CHECK_FAILED": (
        "印刷する写真を測り直すと規格を満たしません（{measured}）。撮り直すか、別の写真を使ってください。",
        "Measured again at print resolution, the photo does not meet the spec ({measured}). Take it again or use another picture.",
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

# Why an adjusted crop cannot go on to consent and print, for the staff at the
# adjust step: code -> (ja, en), with the measured value and the spec filled in.
CROP_ADVICE = {
    "crop_outside": ("枠が撮影範囲の外に出ています。矢印で枠を画面の中に戻してください",
                     "The frame goes outside the picture: move it back with the arrows"),
    "crop_low_dpi": ("解像度が {min_dpi} dpi に足りません（{dpi:.0f} dpi）。「縮小」で戻すか、撮り直してください",
                     "Resolution below {min_dpi} dpi ({dpi:.0f} dpi): zoom out again or retake"),
    "head_too_big": ("頭が大きすぎます（{head:.1f} mm、規格 {spec_head:g}±{tol:g} mm）。「縮小」で戻してください",
                     "The head is too big ({head:.1f} mm, spec {spec_head:g}±{tol:g} mm): zoom out"),
    "head_too_small": ("頭が小さすぎます（{head:.1f} mm、規格 {spec_head:g}±{tol:g} mm）。「拡大」で戻してください",
                       "The head is too small ({head:.1f} mm, spec {spec_head:g}±{tol:g} mm): zoom in"),
    "crown_margin_small": ("頭の上の余白が足りません（{crown:.1f} mm、規格 {spec_crown:g}±{ctol:g} mm）。↑ で枠を上げてください",
                           "Too little room above the head ({crown:.1f} mm, spec {spec_crown:g}±{ctol:g} mm): "
                           "move the frame up (↑)"),
    "crown_margin_big": ("頭の上の余白が多すぎます（{crown:.1f} mm、規格 {spec_crown:g}±{ctol:g} mm）。↓ で枠を下げてください",
                         "Too much room above the head ({crown:.1f} mm, spec {spec_crown:g}±{ctol:g} mm): "
                         "move the frame down (↓)"),
    "face_right": ("顔が中心から右にずれています（{off:+.1f} mm、2 mm 以内）。→ で枠を右へ動かしてください",
                   "The face is right of the centre ({off:+.1f} mm, within 2 mm): move the frame right (→)"),
    "face_left": ("顔が中心から左にずれています（{off:+.1f} mm、2 mm 以内）。← で枠を左へ動かしてください",
                  "The face is left of the centre ({off:+.1f} mm, within 2 mm): move the frame left (←)"),
}


def crop_advice(codes, geo, spec, lang: str = "ja") -> list[str]:
    """The CROP_ADVICE texts of `codes` with the crop's measures filled in."""
    values = {"head": geo.head_mm, "crown": geo.crown_margin_mm, "off": geo.offset_mm, "dpi": geo.dpi,
              "min_dpi": spec.min_dpi, "spec_head": spec.head_mm, "tol": spec.head_tol_mm,
              "spec_crown": spec.crown_margin_mm, "ctol": spec.crown_tol_mm}
    return [CROP_ADVICE[c][1 if lang == "en" else 0].format(**values) for c in codes]


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


class AdviceList:
    """Several pieces of advice as one message field, worded in the language of the
    template that formats it (`{advice:ja}` / `{advice:en}`): an error shown on screen
    is reworded after a language switch. Each piece once, in order."""

    def __init__(self, codes) -> None:
        self.codes = tuple(dict.fromkeys(c for c in codes if c))

    def text(self, lang: str = "ja") -> str:
        return ("、" if lang == "ja" else "; ").join(advice_text(c, lang) for c in self.codes)

    def __format__(self, spec: str) -> str:
        return self.text("en" if spec == "en" else "ja")

    def __str__(self) -> str:
        return self.text("ja")


def advice_text(code: str, lang: str = "ja") -> str:
    ja, en = ADVICE[code]
    return en if lang == "en" else ja


def check_label(key: str, lang: str = "ja") -> str:
    ja, en = CHECK_LABELS[key]
    return en if lang == "en" else ja


register_messages(ERRORS)
