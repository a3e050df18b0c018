"""Command line of the sync feature: `hub`, `sync`, `export-bundle`, `office`.

Registered through app.cli.EXTENSIONS. The commands are in sync.cli_booth (`sync`,
`export-bundle`: the laptop), sync.cli_hub (`hub`: run and manage the hub) and
sync.cli_office (`office`: totals, exports and a merged store for the office).
None of these takes the store's writer lock: they work while the booth app is
running. What they print is Japanese by default, English with --lang en; --json
output is the same in both.
"""
from __future__ import annotations

from sync import cli_booth, cli_hub, cli_office
from sync.cli_booth import cmd_export_bundle, cmd_sync
from sync.cli_common import TOKEN_ENV
from sync.cli_hub import cmd_hub
from sync.cli_office import cmd_office

__all__ = ["TOKEN_ENV", "cmd_export_bundle", "cmd_hub", "cmd_office", "cmd_sync", "register"]


def register(sub) -> dict:
    cli_hub.register(sub)
    cli_booth.register(sub)  # `sync`, then `export-bundle`
    cli_office.register(sub)
    return {"hub": cmd_hub, "sync": cmd_sync, "export-bundle": cmd_export_bundle, "office": cmd_office}
