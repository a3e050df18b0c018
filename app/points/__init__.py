"""Point distribution: grants against the venue-day cap, per-laptop allotments and
the signed one-time codes that move allotments between laptops without a network."""
from app.points import errors as _errors  # noqa: F401  (registers POINTS_* codes)
from app.points.ledger import (Outstanding, PointsStatus, check_grants, grant, is_joined, join_code,
                               join_day, local_laptop, prepare_day, setup_day, status)
from app.points.transfers import (accept_return, hub_releases, issue_transfer, latest_chain_time,
                                  receive_transfer, record_hub_draw, record_hub_release, record_hub_return,
                                  transfer_code, void_transfer)

__all__ = ["Outstanding", "PointsStatus", "accept_return", "check_grants", "grant", "hub_releases", "is_joined",
           "issue_transfer", "join_code", "join_day", "latest_chain_time", "local_laptop", "prepare_day",
           "receive_transfer", "record_hub_draw", "record_hub_release", "record_hub_return", "setup_day",
           "status", "transfer_code", "void_transfer"]
