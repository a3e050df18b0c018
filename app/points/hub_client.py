"""The laptop's side of the hub's allotment endpoints, when online: draw blocks
from the hub's reserve or give grants back, register the day's set-up (one per
venue and date), and ask whether an expired transfer code's grants may come back.

Network only: run it off the store thread, then record the answer in the store
(app/points/hub_requests.py for draws and releases: the request id is written
before it is sent, so a retry reuses it; `record_hub_return` for a confirmed
take-back). The hub is idempotent by request id and by code. See
sync/allotments_router.py for the hub side.
"""
from __future__ import annotations

import logging

import httpx

from app.errors import MadoguchiError
from app.points import errors as _errors  # noqa: F401
from app.points.ledger import PointsStatus

log = logging.getLogger("madoguchi.points.hub")


def _refusal(response: httpx.Response) -> tuple[str | None, dict]:
    """The machine-readable reason of a refusal and its details: the hub's error
    body ({"error": {"reason": …, "details": {…}}}) or a bare router's
    ({"detail": {"reason": …, …}})."""
    if not response.headers.get("content-type", "").startswith("application/json"):
        return None, {}
    try:
        body = response.json()
    except ValueError:
        return None, {}
    for key in ("error", "detail"):
        part = body.get(key) if isinstance(body, dict) else None
        if isinstance(part, dict) and isinstance(part.get("reason"), str):
            details = part.get("details") if isinstance(part.get("details"), dict) else part
            return part["reason"], {k: v for k, v in details.items() if k != "reason"}
    return None, {}


# What a booth worker or lead can do about each refusal the allotments router gives.
REFUSALS: dict[str, tuple[str, str]] = {
    "reserve_mismatch": ("ハブの予備枠の設定がこの端末の設定と違います。リーダー端末の配布設定（予備枠・日付）を確かめてください",
                         "the hub's reserve differs from this laptop's set-up; check the lead laptop's reserve and date"),
    "venue_day_unknown": ("この会場・日付の配布はハブにまだ登録されていません。リーダー端末で配布を設定し、ハブにつないでください",
                          "this venue and date are not set up at the hub yet; set up the day on the lead laptop while online"),
    "device_mismatch": ("この端末の登録とは別の端末としての依頼です", "the request names another laptop than this one"),
    "request_id_reused": ("同じ依頼番号で内容の違う依頼がすでにあります", "a different request already used this request number"),
    "not_the_issuer": ("この譲渡コードを出した端末からの依頼ではありません", "only the laptop that issued the code may ask"),
    "transfer_mismatch": ("ハブが知っている譲渡コードの内容（人数・期限）と違います",
                          "the code's count or expiry differs from what the hub holds"),
    "expires_at_invalid": ("譲渡コードの期限が読めません", "the code's expiry cannot be read"),
    "venue_day_invalid": ("会場・日付の指定が正しくありません", "the venue and date are not valid"),
}
# 401 token_invalid / token_missing: the laptop's enrolment.
NOT_ENROLLED = ("この端末の登録が無効です（失効または未登録）。同期の設定を確かめてください",
                "this laptop's enrolment is not valid (revoked or never enrolled); check the sync settings")
REFUSED_OTHER = ("ハブが理由を付けて断りました", "the hub gave a reason")
HUB_NOT_DONE = ("POINTS_HUB_FAILED", "POINTS_HUB_REFUSED")  # nothing changed at the hub: try later


def refused(status: int, reason: str | None) -> MadoguchiError:
    why_ja, why_en = REFUSALS.get(reason or "", NOT_ENROLLED if status == 401 else REFUSED_OTHER)
    return MadoguchiError("POINTS_HUB_REFUSED", reason=f"HTTP {status} {reason or ''}".strip(),
                          why_ja=why_ja, why_en=why_en)


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

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        """The hub's answer, or: POINTS_HUB_FAILED when it could not be reached or
        failed (5xx), POINTS_HUB_REFUSED when it said no (4xx), and
        POINTS_VENUE_DAY_TAKEN for a second lead. A 404 is returned to the caller."""
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise MadoguchiError("POINTS_HUB_FAILED", reason=type(exc).__name__) from exc
        if response.status_code in (200, 404):
            return response
        reason, details = _refusal(response)
        if reason == "venue_day_exists":
            raise MadoguchiError("POINTS_VENUE_DAY_TAKEN", venue=details.get("venue", "?"),
                                 day=details.get("day", "?"), laptop=details.get("laptop", "?"))
        if 400 <= response.status_code < 500:
            raise refused(response.status_code, reason)
        raise MadoguchiError("POINTS_HUB_FAILED", reason=f"HTTP {response.status_code} {reason or ''}".strip())

    def _post(self, path: str, body: dict) -> dict:
        response = self._call("POST", path, json=body)
        if response.status_code == 404:
            raise refused(404, _refusal(response)[0])
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

    def register_setup(self, venue_day: str, *, device_id: str, opening) -> dict:
        """Tell the hub this laptop sets up `venue_day` for the opening's venue and
        date. Raises POINTS_VENUE_DAY_TAKEN when another laptop already did."""
        return self._post(f"/v1/allotments/{venue_day}/setup", {
            "device_id": device_id, "profile": opening.profile, "venue": opening.venue,
            "municipality": opening.municipality, "day": opening.date.isoformat()})

    def check_takeback(self, st: PointsStatus, outstanding, *, device_id: str) -> dict:
        """The hub's answer for one of this laptop's transfer codes: `confirmed`
        (then record it with app.points.record_hub_return) and `state`:
        expired_unreceived / voided (confirmed), received, waiting (the
        recipient's chain has not synced past expiry + margin yet),
        recipient_unknown, recipient_ambiguous, recipient_conflicts, no_rows."""
        return self._post(f"/v1/allotments/{st.venue_day}/takeback", {
            "device_id": device_id, "code_id": outstanding.code_id, "recipient": outstanding.recipient,
            "count": outstanding.count, "expires_at": outstanding.expires_at, "margin_min": st.margin_min})

    def pool(self, venue_day: str) -> dict | None:
        response = self._call("GET", f"/v1/allotments/{venue_day}")
        return None if response.status_code == 404 else response.json()


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


def send_request(hub: AllotmentHub, st: PointsStatus, req, *, device_id: str) -> int:
    """Send one pending draw or release (app.points.hub_requests.HubRequest);
    the hub's amount: granted for a draw, released for a release."""
    if req.kind == "draw":
        return draw_block(hub, st, device_id=device_id, request_id=req.request_id, count=req.count)
    return hub.release(st, device_id=device_id, request_id=req.request_id, count=req.count)


def draw_block(hub: AllotmentHub, st: PointsStatus, *, device_id: str, request_id: str, count: int) -> int:
    """One draw, retried once with the same request id if the answer was lost on
    the way (the hub answers a repeated id with the stored result)."""
    try:
        return hub.draw(st, device_id=device_id, request_id=request_id, count=count)
    except MadoguchiError:
        return hub.draw(st, device_id=device_id, request_id=request_id, count=count)


# ---- whole exchanges, for the command line and scripts (the store is held meanwhile;
# ---- the QR board splits them: network on its own thread, store on the worker) ----

def take_back_expired(store, opening_id: str, hub: AllotmentHub, *, now) -> list[tuple[object, dict]]:
    """Ask the hub about every transfer code of this laptop past expiry + margin;
    record the grants of each confirmed one as returned. Returns (code, answer)."""
    from app.points.ledger import status
    from app.points.transfers import record_hub_return

    st = status(store, opening_id, now)
    out = []
    for o in st.outstanding:
        if not o.expired:
            continue
        answer = hub.check_takeback(st, o, device_id=store.device_id)
        if answer.get("confirmed"):
            record_hub_return(store, opening_id, answer, now=now)
        out.append((o, answer))
    return out


def resend_pending(store, opening_id: str, hub: AllotmentHub, *, now) -> list[tuple[object, int]]:
    """Send every draw and release the hub has not answered yet (same request ids)
    and record the answers. Returns (request, amount) of each answered one; stops
    at the first failure (raised: the rest stay pending)."""
    from app.points import hub_requests
    from app.points.ledger import status

    done = []
    for req in hub_requests.pending(store, opening_id):
        amount = send_request(hub, status(store, opening_id, now), req, device_id=store.device_id)
        hub_requests.finish(store, opening_id, req, amount, now=now)
        done.append((req, amount))
    return done
