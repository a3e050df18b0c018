"""Start of day: opening through the form, and resuming after a restart."""
from __future__ import annotations

from datetime import date

from app import openings as op
from app.store import Store
from tests.ui.helpers import (click, count_on_screen, fill_start_form, open_day, type_text,
                              wait_count, wait_for_board)


def test_form_fills_region_from_municipality_and_opens_the_day(qtbot, launch, data_dir):
    window = launch(data_dir)
    page = window.start_page
    assert page.date_edit.date().toPython() == date.today()
    assert page.region_label.text().startswith("—")

    fill_start_form(qtbot, window, venue="塩釜市民会館", municipality="塩釜市", large=True, staff=3)
    assert page.region_label.text() == "仙台"  # a variant spelling still finds its region
    page.muni_box.lineEdit().clear()
    type_text(qtbot, page.muni_box.lineEdit(), "石巻市")
    assert page.region_label.text() == "石巻"
    page.muni_box.lineEdit().clear()
    type_text(qtbot, page.muni_box.lineEdit(), "塩釜市")
    click(qtbot, page.open_button)
    wait_for_board(qtbot, window)

    header = window.board.header.text()
    assert "塩釜市民会館" in header and "塩竈市（仙台）" in header and "100人規模" in header
    with Store.open(data_dir, read_only=True) as store:
        [opening] = op.list_openings(store)
    assert (opening.venue, opening.municipality, opening.region.key) == ("塩釜市民会館", "塩竈市", "sendai")
    assert opening.large and opening.staff == 3 and opening.date == date.today()
    assert opening.profile == "miyagi_mynumber_r6"


def test_refused_form_shows_the_domain_message_and_opens_nothing(qtbot, launch, data_dir):
    window = launch(data_dir)
    fill_start_form(qtbot, window, venue="", municipality="名取市")
    click(qtbot, window.start_page.open_button)
    qtbot.waitUntil(lambda: window.banner.isVisible())
    assert window.banner.text() == "会場名を入力してください。"
    assert window.stack.currentWidget() is window.start_page
    assert window.start_page.open_button.isEnabled()  # can fix and try again
    with Store.open(data_dir, read_only=True) as store:
        assert op.list_openings(store) == []


def test_restart_offers_todays_opening_and_resumes_without_retyping(qtbot, launch, data_dir):
    first = launch(data_dir)
    open_day(qtbot, first, venue="イオンモール名取", municipality="名取市")
    click(qtbot, first.board.pad.buttons["visitors"])
    wait_count(qtbot, first, "visitors", "1")
    opening_id = first.board.state.opening.id
    first.close()
    assert not first.worker.running  # the lock is released

    second = launch(data_dir)
    page = second.start_page
    qtbot.waitUntil(lambda: opening_id in page.resume_buttons)
    button = page.resume_buttons[opening_id]
    assert "イオンモール名取" in button.toolTip() and "名取市" in button.toolTip()
    assert button.text() == button.toolTip()  # short enough to show whole
    click(qtbot, button)
    wait_for_board(qtbot, second)
    assert second.board.state.opening.id == opening_id
    assert "イオンモール名取" in second.board.header.text()
    assert count_on_screen(second, "visitors") == "1"


def test_a_broken_profile_file_is_named_and_nothing_can_be_opened(qtbot, launch, data_dir, monkeypatch):
    from app.errors import MadoguchiError

    def broken():
        raise MadoguchiError("PROFILE_INVALID", file="999_broken.toml", key="counters[0].key",
                             expected="英小文字のキー", expected_en="a key in lower-case letters")
    monkeypatch.setattr("ui.main_window.list_profiles", broken)
    window = launch(data_dir)
    assert window.banner.isVisible()
    assert "999_broken.toml" in window.banner.text() and "counters[0].key" in window.banner.text()
    assert not window.start_page.open_button.isEnabled()
