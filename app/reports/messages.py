"""Error codes of the reports feature, and the fixed words printed on reports.

Profile words (counter, dimension, target labels) come from the profile; the words
below are the report's own headings, in Japanese and English."""
from __future__ import annotations

from app.errors import register_messages

register_messages({
    "REPORT_FONT_MISSING": (
        "日本語の TrueType フォントが見つからないため PDF を作れません。IPAexゴシック（fonts-ipaexfont-gothic）をインストールしてください。探した場所：{searched}",
        "No Japanese TrueType font was found, so the PDF cannot be made. Install IPAexGothic (fonts-ipaexfont-gothic). Looked in: {searched}",
    ),
    "REPORT_FORMAT_UNKNOWN": (
        "出力形式「{format}」には対応していません。pdf、xlsx、csv のいずれかを指定してください。",
        "Unknown output format '{format}'. Use pdf, xlsx or csv.",
    ),
    "REPORT_FORMAT_MISSING": (
        "出力先「{path}」には拡張子がないため、出力形式が分かりません。.pdf・.xlsx・.csv で終わるファイル名にするか、--format pdf|xlsx|csv を指定してください。",
        "The output '{path}' has no file extension, so the format is unknown. End the file name in .pdf, .xlsx or .csv, or give --format pdf|xlsx|csv.",
    ),
    "REPORT_OUT_IS_FOLDER": (
        "出力先「{path}」はフォルダーです。--out にはファイル名まで指定してください（例：{path}/{example_ja}）。",
        "The output '{path}' is a folder. Give --out a file name (e.g. {path}/{example_en}).",
    ),
    "REPORT_MONTH_INVALID": (
        "月「{value}」は YYYY-MM 形式で入力してください（例：2024-11）。",
        "Month '{value}' must be written as YYYY-MM (e.g. 2024-11).",
    ),
    "REPORT_PROFILE_AMBIGUOUS": (
        "複数のプロファイルの実施回があります（{profiles}）。--profile でどれか一つを指定してください。",
        "There are openings of several profiles ({profiles}). Choose one with --profile.",
    ),
    "REPORT_NO_DATA": (
        "報告書にする実施回がありません{where}。",
        "There are no openings to report{where}.",
    ),
    "REPORT_NO_DAILY_RULE": (
        "プロファイル「{profile}」には日次報告書の提出期限が定められていません。",
        "Profile '{profile}' has no daily report deadline.",
    ),
    "REPORT_WRITE_FAILED": (
        "報告書ファイルを書き込めませんでした（{path}）：{reason}。ファイルは作成されていません。",
        "Could not write the report file ({path}): {reason}. No file was created.",
    ),
    "REPORT_HUB_TOKEN_REQUIRED": (
        "--hub と --token は一緒に指定してください（事務局の管理者トークン）。",
        "Give --hub URL and --token T together (the office's admin token).",
    ),
    "REPORT_HUB_UNREACHABLE": (
        "事務局サーバー（ハブ {url}）に接続できないため、統合データで報告書を作れませんでした（{reason}）。ネットワークとハブの URL を確認して、もう一度実行してください。この端末のデータだけで作るときは --hub と --token を付けずに実行します。報告書ファイルは作成されていません。",
        "Cannot reach the hub ({url}), so the report could not be made from the merged data ({reason}). Check the network and the hub URL, then run it again; to make it from this laptop's data only, run it without --hub and --token. No report file was written.",
    ),
    "REPORT_PLAN_UNREADABLE": (
        "事務局の計画（実施予定）を読み込めませんでした。",
        "The office's plan of openings could not be read.",
    ),
    "REPORT_HUB_UNAVAILABLE": (
        "事務局サーバーのデータを読み込めませんでした（{reason}）。",
        "Could not load the merged data from the hub ({reason}).",
    ),
})

# Report headings: key -> (ja, en).
WORDS: dict[str, tuple[str, str]] = {
    "daily_title": ("日次報告書", "Daily report"),
    "monthly_title": ("月次報告書", "Monthly report"),
    "final_title": ("最終報告書（委託業務完了報告書）", "Final report"),
    "date": ("実施日", "Date"),
    "time": ("実施時間", "Hours"),
    "opened": ("開始", "opened"),
    "closed": ("締め", "closed"),
    "not_closed": ("未締め", "not closed"),
    "venue": ("会場", "Venue"),
    "municipality": ("市町村", "Municipality"),
    "region": ("圏域", "Region"),
    "kind": ("実施形態", "Kind"),
    "large": ("100人規模会場", "100-person venue"),
    "large_short": ("100人", "100+"),
    "yes": ("該当", "yes"),
    "no": ("非該当", "no"),
    "staff": ("従事者数", "Staff on duty"),
    "staff_short": ("従事者", "Staff"),
    "persons": ("{n}人", "{n}"),
    "n_openings": ("{n}回", "{n} openings"),
    "confirmed_by": ("確認者", "Confirmed by"),
    "due": ("提出期限", "Due"),
    "no_due": ("定めなし", "none set"),
    "devices": ("データの出所（端末）", "Data from device(s)"),
    "generated": ("作成日時", "Generated"),
    "profile": ("業務", "Campaign"),
    "month": ("対象月", "Month"),
    "period": ("対象期間", "Period"),
    "summary": ("集計", "Totals"),
    "counter": ("項目", "Item"),
    "count": ("件数", "Count"),
    "total": ("合計", "Total"),
    "subtotal": ("計", "Total"),
    "by": ("{dim}別", "By {dim}"),
    "amendments": ("締め後の修正", "Amendments after closing"),
    "no_amendments": ("締め後の修正はありません。", "No amendments after closing."),
    "am_time": ("日時", "Time"),
    "am_change": ("内容", "Change"),
    "am_delta": ("増減", "+/-"),
    "am_reason": ("理由", "Reason"),
    "am_device": ("端末", "Device"),
    "openings_of_month": ("実施回一覧", "Openings"),
    "openings_table": ("実施回一覧", "Openings"),
    "progress": ("目標に対する進捗", "Progress against targets"),
    "target": ("目標", "Target"),
    "target_value": ("目標値", "Target"),
    "this_month": ("当月実績", "This month"),
    "to_date": ("累計実績", "To date"),
    "actual": ("実績", "Actual"),
    "rate": ("達成率", "Rate"),
    "achieved": ("達成", "met"),
    "not_achieved": ("未達", "not met"),
    "per_month": ("（月あたり）", " (per month)"),
    "next_month": ("翌月の実施予定", "Planned for next month"),
    "planned_rest": ("今後の実施予定（当月の残りと翌月）", "Planned: the rest of this month and next month"),
    "plan_note": ("備考", "Note"),
    "plan_from_hub": ("事務局の計画（ハブから取得、{updated} 更新）を含みます。",
                      "Includes the office's plan (from the hub, updated {updated})."),
    "plan_from_file": ("事務局の計画（sync pull で保存したもの、{updated} 更新）を含みます。",
                       "Includes the office's plan (as saved by sync pull, updated {updated})."),
    "plan_missing": ("事務局の計画は読み込めませんでした（{code}）。登録済みの実施回のみを記載しています。",
                     "The office's plan could not be read ({code}); only openings already created are listed."),
    "plan_admin_only": ("事務局の計画は読み込めませんでした（SYNC_DEVICE_TOKEN_REQUIRED：ハブは計画を登録端末にだけ渡し、"
                        "管理者トークンでは読めません）。ハブに登録した端末のデータフォルダーで作成するか、"
                        "sync pull で計画を保存してから作成してください。登録済みの実施回のみを記載しています。",
                        "The office's plan could not be read (SYNC_DEVICE_TOKEN_REQUIRED: the hub gives the plan to "
                        "enrolled laptops only, not to the admin token). Make the report in the data folder of a laptop "
                        "enrolled with the hub, or save the plan with sync pull first; only openings already created "
                        "are listed."),
    "as_of": ("集計時点", "As of"),
    "as_of_partial": ("{date}（これより後の実施回は予定として記載）", "{date} (later openings are listed as planned)"),
    "none_planned": ("登録された予定はありません。", "No openings are planned yet."),
    "chart_region": ("圏域別", "By region"),
    "chart_age": ("年代別", "By age band"),
    "chart_progress": ("累計の推移と目標", "Cumulative progress against the target"),
    "openings_count": ("実施回数", "Openings"),
    "target_line": ("目標", "Target"),
    "regions_covered": ("実施した圏域", "Regions covered"),
    "none": ("なし", "none"),
    "page": ("{n} / {total} ページ", "page {n} of {total}"),
    "continued": ("（続き）", " (continued)"),
    "merged": ("事務局の統合データ", "merged office data"),
    "local": ("この端末のデータ", "this laptop's data"),
    "source": ("集計元", "Source"),
    # deadline states
    "state_exported": ("提出済み", "exported"),
    "state_stale": ("提出後に修正あり・再出力が必要", "changed since export: export again"),
    "state_overdue": ("期限超過", "overdue"),
    "state_due_today": ("本日が期限", "due today"),
    "state_due_soon": ("期限間近", "due soon"),
    "state_pending": ("未提出", "not yet exported"),
    "state_no_deadline": ("未提出（期限の定めなし）", "not exported (no deadline)"),
}


def word(key: str, lang: str = "ja", **fields: object) -> str:
    ja, en = WORDS[key]
    text = en if lang == "en" else ja
    return text.format(**fields) if fields else text
