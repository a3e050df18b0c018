"""Madoguchi domain core: profiles, store, tallies, calendar. Never imports Qt."""
