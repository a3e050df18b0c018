"""Reports (日次報告書・月次報告書・最終報告書): numbers gathered from a Store (a laptop's
own store or the office's merged store), turned into one format-neutral Document, and
rendered as PDF (A4, Japanese TrueType font embedded), XLSX or CSV (UTF-8 with BOM).

    gather.py     numbers for a daily / monthly / final report (no formatting)
    document.py   the model as titled facts, tables and charts, in ja or en
    layout.py     the Document laid out on A4 pages as drawing primitives
    pdf.py        primitives -> PDF (reportlab); preview in the UI paints the same pages
    xlsx.py, csvfile.py   the same Document for Excel
    deadlines.py  due dates and which reports are still outstanding
    exports.py    the chained `report_export` fact: which report was exported when
    fingerprint.py  what an export showed, to tell when it is stale
    plan.py       the office's plan of openings (hub or `sync pull` file) for the monthly report
    source.py     this laptop's store or the hub's merged data
"""
from app.reports import messages as _messages  # noqa: F401  (registers error codes)
