"""app/settings.py: a tiny JSON file in the data folder; never a reason not to start."""
from __future__ import annotations

import json

from app.settings import SETTINGS_NAME, Settings, load_settings, save_settings
from ui.app import choose_language


def test_defaults_when_missing(tmp_path):
    assert load_settings(tmp_path) == Settings(lang="ja", last_profile=None)


def test_round_trip(tmp_path):
    save_settings(tmp_path, Settings(lang="en", last_profile="miyagi_mynumber_r6"))
    assert load_settings(tmp_path) == Settings(lang="en", last_profile="miyagi_mynumber_r6")
    assert [p.name for p in tmp_path.iterdir()] == [SETTINGS_NAME]  # no temp files left


def test_broken_or_strange_files_fall_back_to_defaults(tmp_path):
    path = tmp_path / SETTINGS_NAME
    for content in ("{not json", "[1, 2]", json.dumps({"lang": "fr", "x": 1}),
                    json.dumps({"last_profile": 3})):
        path.write_text(content, encoding="utf-8")
        assert load_settings(tmp_path) == Settings()


def test_command_line_english_wins_for_the_session():
    assert choose_language("en", "ja") == "en"
    assert choose_language("ja", "en") == "ja"   # an explicit --lang wins for the session
    assert choose_language(None, "ja") == "ja"
