"""The QR codes an opening shows to visitors (configuration per opening)."""
from __future__ import annotations

import pytest

from app.errors import MadoguchiError
from app.qrcodes.sources import add_source, list_sources, remove_source
from tests.conftest import at


def test_sources_are_added_listed_and_removed_per_opening(laptops):
    a, b = laptops(2)
    p = add_source(a.store, a.oid, caption="みやぎポイントを受け取る", text="https://example.jp/p",
                   purpose="points", now=at(9))
    i = add_source(a.store, a.oid, caption="アプリのダウンロード", text=" https://example.jp/app ",
                   origin="image", now=at(9))
    assert [s.caption for s in list_sources(a.store, a.oid)] == ["みやぎポイントを受け取る", "アプリのダウンロード"]
    assert list_sources(a.store, a.oid)[1].text == "https://example.jp/app"
    assert list_sources(b.store, b.oid) == []
    remove_source(a.store, a.oid, p.id, now=at(10))
    assert list_sources(a.store, a.oid) == [i]
    with pytest.raises(MadoguchiError) as info:
        remove_source(a.store, a.oid, p.id, now=at(10))
    assert info.value.code == "QR_SOURCE_NOT_FOUND"


@pytest.mark.parametrize("caption,text,code", [
    ("", "https://x", "QR_CAPTION_REQUIRED"),
    ("長" * 41, "https://x", "QR_CAPTION_TOO_LONG"),
    ("アンケート", "  ", "QR_TEXT_EMPTY"),
    ("アンケート", "x" * 3000, "QR_TEXT_TOO_LONG"),
])
def test_bad_sources_are_refused_and_nothing_is_written(laptops, caption, text, code):
    [a] = laptops(1)
    with pytest.raises(MadoguchiError) as info:
        add_source(a.store, a.oid, caption=caption, text=text, now=at(9))
    assert info.value.code == code
    assert list_sources(a.store, a.oid) == []
