"""Error codes of the QR feature (drawing and reading QR codes)."""
from __future__ import annotations

from app.errors import register_messages

register_messages({
    "QR_TEXT_EMPTY": (
        "QR コードにする文字列（URL など）を入力してください。",
        "Enter the text (e.g. a URL) to put into the QR code.",
    ),
    "QR_TEXT_TOO_LONG": (
        "文字列が長すぎて QR コードにできません（{length} バイト、上限 {limit} バイト）。短い URL を使ってください。",
        "The text is too long for a QR code ({length} bytes, at most {limit}). Use a shorter URL.",
    ),
    "QR_OUTPUT_FORMAT": (
        "出力ファイル「{path}」の拡張子は .png か .svg にしてください。",
        "The output file '{path}' must end in .png or .svg.",
    ),
    "QR_WRITE_FAILED": (
        "QR コードのファイル「{path}」を書き込めませんでした（{reason}）。",
        "Could not write the QR code file '{path}' ({reason}).",
    ),
    "QR_IMAGE_UNREADABLE": (
        "画像ファイル「{path}」を開けません（画像ではないか、壊れています）。PNG か JPEG の画像を選んでください。",
        "The image file '{path}' cannot be opened (not an image, or damaged). Choose a PNG or JPEG image.",
    ),
    "QR_NOT_FOUND": (
        "画像「{path}」から QR コードを読み取れませんでした。QR コード全体が写った、ぼやけていない画像を選んでください。",
        "No QR code could be read from the image '{path}'. Choose a sharp image that shows the whole QR code.",
    ),
    "QR_ERROR_LEVEL": (
        "誤り訂正レベル「{level}」は使えません。L・M・Q・H のいずれかを指定してください。",
        "Error-correction level '{level}' is not valid. Use one of L, M, Q, H.",
    ),
})
