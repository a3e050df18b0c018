"""Draw allotment blocks from the hub's reserve, or give grants back, when online.

Network only: run it off the store thread, then record the answer with
`app.points.record_hub_draw` (after the hub answered) — a release is recorded
with `record_hub_release` *before* it is sent. The hub is idempotent by
`request_id`, so a request whose answer was lost is simply sent again with the
same id. See sync/allotments_router.py for the hub side.
"""
from __future__ import annotations

import logging

import httpx

from app.errors import MadoguchiError
from app.points import errors as _errors  # noqa: F401
from app.points.ledger import PointsStatus

log = logging.getLogger("madoguchi.points.hub")


def _reason(response: httpx.Response) -> str | None:
    """The machine-readable reason of a refusal: the hub's error body
    ({"error": {"reason": …}}) or a bare router's ({"detail": {"reason": …}})."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    for key in ("error", "detail"):
        part = body.get(key) if isinstance(body, dict) else None
        if isinstance(part, dict) and isinstance(part.get("reason"), str):
            return part["reason"]
    return None


class AllotmentHub:
    def __init__(self, base_url: str, *, token: str | None = None, client: httpx.Client | None = None,
                 timeout: float = 10.0) -> None:
        self._own = client is None
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = client or httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, headers=headers)
        if not self._own and headers:
            self.client.headers.update(headers)

    def close(self) -> None:
        if self._own:
            self.client.close()

    def __enter__(self) -> "AllotmentHub":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _post(self, path: str, body: dict) -> dict:
        try:
            response = self.client.post(path, json=body)
        except httpx.HTTPError as exc:
            raise MadoguchiError("POINTS_HUB_FAILED", reason=type(exc).__name__) from exc
        if response.status_code != 200:
            reason = _reason(response)
            raise MadoguchiError("POINTS_HUB_FAILED", reason=f"HTTP {response.status_code} {reason or ''}".strip())
        return response.json()

    def _body(self, st: PointsStatus, device_id: str, request_id: str, count: int) -> dict:
        return {"device_id": device_id, "request_id": request_id, "count": count,
                "reserve": st.hub_reserve, "day": st.day}

    def draw(self, st: PointsStatus, *, device_id: str, request_id: str, count: int) -> int:
        """Grants the hub handed out for this request (0 when its reserve is empty)."""
        out = self._post(f"/v1/allotments/{st.venue_day}/draw", self._body(st, device_id, request_id, count))
        log.info("hub draw %s: %d of %d", request_id, out["granted"], count)
        return int(out["granted"])

    def release(self, st: PointsStatus, *, device_id: str, request_id: str, count: int) -> int:
        out = self._post(f"/v1/allotments/{st.venue_day}/release", self._body(st, device_id, request_id, count))
        return int(out["released"])

    def pool(self, venue_day: str) -> dict | None:
        try:
            response = self.client.get(f"/v1/allotments/{venue_day}")
        except httpx.HTTPError as exc:
            raise MadoguchiError("POINTS_HUB_FAILED", reason=type(exc).__name__) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise MadoguchiError("POINTS_HUB_FAILED", reason=f"HTTP {response.status_code}")
        return response.json()


def hub_from_sync_settings(data_dir) -> AllotmentHub:
    """The hub this laptop is enrolled with (sync settings: URL, device token, CA
    file). Raises SYNC_NOT_CONFIGURED / SYNC_NOT_ENROLLED when there is none."""
    from sync.state import SyncState

    state = SyncState(data_dir)
    settings = state.settings()
    if not settings.get("hub_url"):
        raise MadoguchiError("SYNC_NOT_CONFIGURED")
    token = state.device_token()
    if not token:
        raise MadoguchiError("SYNC_NOT_ENROLLED")
    client = httpx.Client(base_url=settings["hub_url"].rstrip("/"), timeout=15.0,
                          verify=settings.get("ca_cert") or True)
    hub = AllotmentHub(settings["hub_url"], token=token, client=client)
    hub._own = True  # close the client with the hub
    return hub


def draw_block(hub: AllotmentHub, st: PointsStatus, *, device_id: str, request_id: str, count: int) -> int:
    """One draw, retried once with the same request id if the answer was lost on
    the way (the hub answers a repeated id with the stored result)."""
    try:
        return hub.draw(st, device_id=device_id, request_id=request_id, count=count)
    except MadoguchiError:
        return hub.draw(st, device_id=device_id, request_id=request_id, count=count)
