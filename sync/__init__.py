"""Outbox client, hub server, offline bundles and merge. Filled by the sync issue."""
