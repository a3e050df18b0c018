"""HTTP client for the hub (booth side and office tools), on `requests`.

Every failure becomes a MadoguchiError with a SYNC_* code the UI can show in
Japanese; the hub's own refusals keep their code and details. Each answer's Date
header gives the clock skew between this laptop and the hub.
"""
from __future__ import annotations

import json
import logging
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import requests

from app.errors import MESSAGES, MadoguchiError
import sync.errors  # noqa: F401

log = logging.getLogger("madoguchi.sync.client")

# Worth trying again later as they are; the rest needs someone to change something.
TRANSIENT = {"SYNC_HUB_UNREACHABLE", "SYNC_HUB_TIMEOUT", "SYNC_HUB_ERROR", "SYNC_BUSY"}
USER_AGENT = "madoguchi-sync/1"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def check_url(url: str) -> str:
    text = (url or "").strip().rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MadoguchiError("SYNC_URL_INVALID", url=url)
    return text


def check_ca_file(path: str | None) -> str | None:
    if not path:
        return None
    try:
        ssl.create_default_context(cafile=str(path))
    except (OSError, ssl.SSLError, ValueError):
        raise MadoguchiError("SYNC_CA_CERT_MISSING", path=str(path)) from None
    return str(Path(path))


@dataclass
class Answer:
    data: Any
    skew_seconds: float | None  # hub clock minus ours; positive = the hub is ahead


class HubClient:
    def __init__(self, url: str, *, token: str | None = None, ca_cert: str | None = None,
                 timeout: float = 15.0, clock: Callable[[], datetime] = utc_now,
                 session: requests.Session | None = None) -> None:
        self.url = check_url(url)
        self.token = token
        self.timeout = timeout
        self.clock = clock
        self._own_session = session is None
        self.session = session or requests.Session()
        self.verify: bool | str = check_ca_file(ca_cert) or True

    def close(self) -> None:
        if self._own_session:
            self.session.close()

    def __enter__(self) -> "HubClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def request(self, method: str, path: str, *, body: bytes | None = None,
                content_type: str = "application/json", params: dict | None = None,
                auth: bool = True) -> Answer:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = content_type
        if auth:
            if not self.token:
                raise MadoguchiError("SYNC_NOT_ENROLLED")
            headers["Authorization"] = f"Bearer {self.token}"
        sent = self.clock()
        try:
            resp = self.session.request(method, self.url + path, data=body, headers=headers,
                                        params=params, timeout=self.timeout, verify=self.verify)
        except requests.exceptions.SSLError as exc:
            raise MadoguchiError("SYNC_TLS_FAILED", reason=_short(exc)) from None
        except requests.exceptions.Timeout:
            raise MadoguchiError("SYNC_HUB_TIMEOUT", seconds=f"{self.timeout:g}") from None
        except (requests.exceptions.RequestException, OSError) as exc:
            raise MadoguchiError("SYNC_HUB_UNREACHABLE", reason=_short(exc)) from None
        received = self.clock()
        with resp:
            skew = _skew(resp.headers.get("Date"), sent, received)
            return Answer(_decode(resp), skew)

    def post_json(self, path: str, payload: dict, *, auth: bool = True) -> Answer:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self.request("POST", path, body=body, auth=auth)

    # ---- endpoints ------------------------------------------------------------------
    def health(self) -> Answer:
        return self.request("GET", "/v1/health", auth=False)

    def enrol(self, **payload) -> Answer:
        return self.post_json("/v1/enrol", payload, auth=False)

    def push(self, rows: list[dict]) -> Answer:
        return self.post_json("/v1/push", {"rows": rows})

    def push_body(self, body: bytes) -> Answer:
        return self.request("POST", "/v1/push", body=body)

    def plan(self) -> Answer:
        return self.request("GET", "/v1/plan")

    def admin_get(self, path: str, **params) -> Answer:
        return self.request("GET", "/v1/admin/" + path, params=params or None)


def _short(exc: BaseException) -> str:
    """A reason without URLs or tokens: the exception class and its root cause's."""
    root = exc
    while root.__cause__ is not None or root.__context__ is not None:
        root = root.__cause__ or root.__context__
        if root is exc:
            break
    name = type(exc).__name__
    return name if root is exc else f"{name}/{type(root).__name__}"


def _skew(date_header: str | None, sent: datetime, received: datetime) -> float | None:
    if not date_header:
        return None
    try:
        hub = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        return None
    if hub.tzinfo is None:
        hub = hub.replace(tzinfo=timezone.utc)
    middle = sent + (received - sent) / 2
    return (hub - middle).total_seconds()


def _decode(resp: requests.Response) -> Any:
    status = resp.status_code
    try:
        data = resp.json()
    except ValueError:
        data = None
    if 200 <= status < 300:
        if data is None:
            raise MadoguchiError("SYNC_HUB_INCOMPATIBLE", reason=f"HTTP {status} without JSON")
        return data
    if status >= 500 or status in (408, 429):
        raise MadoguchiError("SYNC_HUB_ERROR", status=status)
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        raise MadoguchiError("SYNC_HUB_REFUSED", reason=f"http_{status}", message=f"HTTP {status}")
    code = str(error.get("code", ""))
    details = error.get("details") if isinstance(error.get("details"), dict) else {}
    if code in MESSAGES and code.startswith("SYNC_"):
        return _raise(code, details)
    raise MadoguchiError("SYNC_HUB_REFUSED", reason=str(error.get("reason", f"http_{status}"))[:100],
                         message=str(error.get("message_en") or error.get("message") or "")[:300])


def _raise(code: str, details: dict):
    raise MadoguchiError(code, **{str(k): str(v)[:300] for k, v in details.items()})
