"""The report's numbers are the store's numbers: every count, breakdown and cross
table agrees with app.tallies.totals, and progress follows the profile's targets."""
from __future__ import annotations

from datetime import date

import pytest

from app import tallies as tl
from app.errors import MadoguchiError
from app.openings import list_openings
from app.reports import build, gather
from app.reports import cells as cl
from app.reports.document import Signed
from app.reports.targets import actual
from app.profiles import get_profile
from tests.reports.conftest import NOW


def _by_month(store, month):
    return [o for o in list_openings(store) if (o.date.year, o.date.month) == month]


def test_daily_counts_equal_store_totals_for_every_counter_and_dimension(store_003):
    for o in list_openings(store_003):
        data = gather.daily_data(store_003, o.id, now=NOW)
        expected = tl.totals(store_003, o.id)
        assert data.totals == {k: v["total"] for k, v in expected.items()}
        for counter, entry in expected.items():
            for dim, by_value in entry["by_dimension"].items():
                assert {k: n for k, n in cl.marginal(data.cells, counter, dim).items() if n} == by_value


def test_daily_tables_show_the_totals_and_the_age_by_method_cross(store_003):
    o = _by_month(store_003, (2024, 11))[0]
    doc = build.daily_document(gather.daily_data(store_003, o.id, now=NOW))
    expected = tl.totals(store_003, o.id)
    summary = {row[0]: row[1] for row in doc.table("summary").rows}
    p = get_profile(o.profile)
    assert summary == {c.label(): expected[c.key]["total"] for c in p.counters}
    ages = doc.table("by_age_band")
    paper = ages.column("申請サポート件数（カード申請対応者数）／紙")
    online = ages.column("申請サポート件数（カード申請対応者数）／オンライン")
    subtotal = ages.column("申請サポート件数（カード申請対応者数）／計")
    total_row = ages.rows[-1]
    assert total_row[0] == "合計"
    assert total_row[paper] == expected["application"]["by_dimension"]["method"].get("paper", 0)
    assert total_row[online] == expected["application"]["by_dimension"]["method"].get("online", 0)
    assert total_row[subtotal] == expected["application"]["total"]
    for row in ages.rows[:-1]:
        assert row[paper] + row[online] == row[subtotal]
    survey = ages.column("アンケート回答／件数")
    assert total_row[survey] == expected["survey"]["total"]
    help_table = doc.table("by_help_type")
    assert help_table.rows[-1][1] == expected["other_help"]["total"]


def test_daily_report_carries_every_item_the_spec_asks_for(store_003):
    o = _by_month(store_003, (2024, 11))[0]  # the first opening of each month has an amendment
    doc = build.daily_document(gather.daily_data(store_003, o.id, now=NOW))
    facts = dict(doc.blocks[0].items)
    assert facts["実施日"] == "令和6年11月1日（金）"
    assert facts["実施時間"].startswith("開始 09:30") and "締め 17:05" in facts["実施時間"]
    assert facts["会場"] == o.venue and facts["市町村"] == "名取市" and facts["圏域"] == "仙台"
    assert facts["実施形態"] == "申請サポート（商業施設等）"
    assert facts["100人規模会場"] == "該当"
    assert facts["従事者数"] == "2人"
    assert facts["確認者"] == "佐藤"
    # 3 business days after Fri 1 Nov 2024: Mon 4 Nov is 振替休日, so Tue 5, Wed 6, Thu 7.
    assert facts["提出期限"].startswith("令和6年11月7日（木）")
    assert store_003.device_name in facts["データの出所（端末）"]
    amendments = doc.table("amendments")
    assert [row[3] for row in amendments.rows] == ["集計漏れ（翌朝に追加）"]
    # The change is a number (Excel can sum it) shown with its sign; the time carries
    # its full date, since amendments come days (or a year end) later.
    assert amendments.rows[0][2] == 1 and isinstance(amendments.rows[0][2], Signed)
    assert amendments.rows[0][0] == "令和6年11月2日 09:00"
    english = build.daily_document(gather.daily_data(store_003, o.id, now=NOW), "en").table("amendments")
    assert english.rows[0][0] == "2024-11-02 09:00"


def test_a_profile_without_some_counter_lacks_that_section(store_001, store_002):
    o1 = list_openings(store_001)[0]
    doc1 = build.daily_document(gather.daily_data(store_001, o1.id, now=NOW))
    keys = [t.key for t in doc1.tables()]
    assert keys == ["summary", "by_inquiry_type", "amendments"]
    # Spec 001 has no "daily" rule: the due date is its inquiry report's (next business day).
    assert doc1.blocks[0].items[-2][0] == "提出期限"
    assert doc1.blocks[0].items[-2][1].endswith("問合せ件数の報告（翌営業日）")
    o2 = list_openings(store_002)[0]
    doc2 = build.daily_document(gather.daily_data(store_002, o2.id, now=NOW))
    keys = [t.key for t in doc2.tables()]
    assert keys == ["summary", "by_age_band", "by_gender", "by_ward", "by_help_type", "amendments"]
    expected = tl.totals(store_002, o2.id)
    wards = doc2.table("by_ward")
    assert wards.rows[-1][wards.column("交付申請書の受付対応件数／計")] == expected["application"]["total"]
    by_ward = {r[0]: r[wards.column("交付申請書の受付対応件数／計")] for r in wards.rows[:-1]}
    assert {k: v for k, v in by_ward.items() if v} == {
        get_profile(o2.profile).dimension("ward").value(k).label_ja: n
        for k, n in expected["application"]["by_dimension"]["ward"].items()}
    # 002's daily report: by the 2nd office day after (翌々開庁日).
    assert dict(doc2.blocks[0].items)["提出期限"].startswith("令和5年11月6日（月）")


def test_monthly_rows_totals_and_planned_openings(store_003):
    data = gather.monthly_data(store_003, "2024-11", now=NOW)
    november = _by_month(store_003, (2024, 11))
    assert [r.opening.id for r in data.rows] == [o.id for o in november]
    for r in data.rows:
        assert cl.counter_totals(r.cells, ["application"]) == {"application": tl.totals(store_003, r.opening.id)["application"]["total"]}
    expected = {}
    for o in november:
        for k, v in tl.totals(store_003, o.id).items():
            expected[k] = expected.get(k, 0) + v["total"]
    assert data.totals == expected
    assert [o.venue for o in data.planned] == ["塩竈市民交流センター"]
    assert data.due == date(2024, 12, 10)
    doc = build.monthly_document(data)
    openings = doc.table("openings")
    total_row = openings.rows[-1]
    assert total_row[openings.column("申請サポート件数（カード申請対応者数）")] == expected["application"]
    assert total_row[1] == "8回"
    assert doc.table("planned").rows[0][1] == "塩竈市民交流センター"


def test_monthly_progress_counts_contract_targets_to_the_month_end(store_003):
    data = gather.monthly_data(store_003, "2024-11", now=NOW)
    by_key = {p.target.key: p for p in data.progress}
    to_date = [o for o in list_openings(store_003) if o.date <= date(2024, 11, 30)]
    assert by_key["openings"].actual == 13 and by_key["openings"].month_actual == 8
    assert by_key["large_openings"].actual == sum(o.large for o in to_date)
    apps = sum(tl.totals(store_003, o.id)["application"]["total"] for o in to_date)
    assert by_key["applications"].actual == apps
    assert by_key["applications"].rate == pytest.approx(apps / 2000)


def test_per_month_targets_and_opening_kind_are_honoured(store_002):
    data = gather.monthly_data(store_002, "2023-11", now=NOW)
    by_key = {p.target.key: p for p in data.progress}
    booths = [o for o in list_openings(store_002) if o.kind == "support_booth"]
    assert by_key["support_booths_per_month"].actual == len(booths) == 2
    assert by_key["support_booths_per_month"].month == date(2023, 11, 1)
    assert by_key["outreach_per_month"].actual == 2
    final = gather.final_data(store_002, now=NOW)
    assert [(p.target.key, p.month) for p in final.progress] == [
        ("support_booths_per_month", date(2023, 11, 1)), ("outreach_per_month", date(2023, 11, 1))]


def test_final_totals_against_targets_and_charts(store_003):
    data = gather.final_data(store_003, now=NOW)
    held = [o for o in list_openings(store_003) if o.date <= NOW.date()]
    assert len(data.rows) == len(held) == 13  # the December plan is not a result yet
    by_key = {p.target.key: p for p in data.progress}
    assert by_key["openings"].value == 55 and by_key["openings"].actual == 13
    assert by_key["large_openings"].value == 15
    assert by_key["applications"].value == 2000
    assert by_key["smartphone_sessions"].value == 15
    doc = build.final_document(data)
    charts = {c.key: c for b in doc.blocks if hasattr(b, "charts") for c in b.charts}
    assert set(charts) == {"chart_region_openings", "chart_region_counter", "chart_age",
                           "chart_progress_openings", "chart_progress_large_openings",
                           "chart_progress_applications", "chart_progress_smartphone_sessions"}
    assert sum(charts["chart_region_openings"].series[0][1]) == 13
    assert sum(charts["chart_region_counter"].series[0][1]) == by_key["applications"].actual
    assert sum(sum(v) for _, v in charts["chart_age"].series) == by_key["applications"].actual
    line = charts["chart_progress_applications"]
    assert line.points[-1][1] == by_key["applications"].actual and line.target == 2000
    assert [n for _, n in line.points] == sorted(n for _, n in line.points)


def test_spec_001_final_counts_regions_and_people_helped(store_001):
    data = gather.final_data(store_001, now=NOW)
    by_key = {p.target.key: p for p in data.progress}
    assert by_key["regions"].value == 7
    assert by_key["regions"].actual == len({r.opening.region.key for r in data.rows}) == 5
    assert not by_key["regions"].met
    helped = sum(tl.totals(store_001, r.opening.id)["install_help"]["total"] for r in data.rows)
    assert by_key["people_helped"].actual == helped
    doc = build.final_document(data)
    chart_keys = [c.key for b in doc.blocks if hasattr(b, "charts") for c in b.charts]
    assert "chart_age" not in chart_keys  # 001 records no age band


def test_target_kinds_on_a_merged_store_count_both_laptops(merged_store):
    data = gather.final_data(merged_store, now=NOW)
    devices = {r.opening.device_id for r in data.rows}
    assert len(devices) == 2
    assert len(data.devices) == 2
    t = data.profile.target("applications")
    assert actual(t, data.rows) == tl.totals(merged_store)["application"]["total"]


def test_profile_must_be_named_when_the_store_has_several(merged_store, store_003):
    with pytest.raises(MadoguchiError) as err:
        gather.monthly_data(store_003, "2024-13", now=NOW)
    assert err.value.code == "REPORT_MONTH_INVALID"
    from app.openings import open_opening
    from tests.conftest import profile_for_spec

    open_opening(store_003, profile=profile_for_spec("001"), kind="campaign_event", venue="x",
                 municipality="仙台市", date="2024-11-20", large=False, staff=1, now=NOW)
    with pytest.raises(MadoguchiError) as err:
        gather.monthly_data(store_003, "2024-11", now=NOW)
    assert err.value.code == "REPORT_PROFILE_AMBIGUOUS"
    assert "digital_id_app_r6" in err.value.message()
    data = gather.monthly_data(store_003, "2024-11", profile="miyagi_mynumber_r6", now=NOW)
    assert len(data.rows) == 8
