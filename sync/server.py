"""The hub's HTTP API (FastAPI; served by uvicorn). Versioned under /v1, OpenAPI at
/v1/openapi.json and interactive docs at /v1/docs.

Every refusal is a 4xx with {"error": {"code", "reason", "message", "message_en",
"details"}}; `reason` is the machine-readable part. Database work runs on the
thread pool, one transaction per request.
"""
from __future__ import annotations

import gc
import importlib
import logging
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import MadoguchiError
from sync.errors import error_body, http_status
from sync.db import IntegrityError
from sync.hub import Hub, Limits, utc_now
from sync.pushbody import warm_up

log = logging.getLogger("madoguchi.sync.server")

API_VERSION = "1"
# Other features' routers on the hub: "module:function" entries; each function gets
# the app (with app.state.device_auth / admin_auth / db_url) and includes its router.
EXTENSIONS: list[str] = ["sync.allotments_router:mount"]
_bearer = HTTPBearer(auto_error=False, description="device token (mdgd_...) or admin token (mdga_...)")

ROW_SCHEMA = {
    "type": "object",
    "description": "One chained row: `table`, every column of that table in "
                   "app.store.CHAINED_COLUMNS, and `hash` (app.store.row_hash of the row).",
    "required": ["table", "id", "device_id", "seq", "prev_hash", "hash"],
    "properties": {"table": {"type": "string"}, "id": {"type": "string"},
                   "device_id": {"type": "string"}, "seq": {"type": "integer", "minimum": 1},
                   "prev_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                   "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
    "additionalProperties": {"type": ["string", "integer", "number", "boolean", "null"]},
}
PUSH_BODY = {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["rows"],
    "properties": {"rows": {"type": "array", "items": ROW_SCHEMA}}}}}}
BUNDLE_BODY = {"required": True, "content": {"application/octet-stream": {
    "schema": {"type": "string", "format": "binary"}}}}


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        self.limit = limit


class BodyLimit:
    """Refuse bodies over the limit before reading them whole: by Content-Length at
    once, and by counting for chunked uploads."""

    def __init__(self, app, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = (self.limits.max_bundle_bytes if scope["path"].startswith("/v1/admin/bundles")
                 else self.limits.max_body_bytes)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                return await _refuse(MadoguchiError("SYNC_MALFORMED", where="Content-Length",
                                                    problem="not a number"))(scope, receive, send)
            if int(length) > limit:
                return await _refuse(MadoguchiError("SYNC_BODY_TOO_LARGE", limit=limit))(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message
        await self.app(scope, counted, send)


def _refuse(exc: MadoguchiError) -> JSONResponse:
    status, _ = http_status(exc)
    return JSONResponse(error_body(exc), status_code=status)


class EnrolRequest(BaseModel):
    code: str = Field(max_length=200, description="enrolment code from `hub enrol-code`")
    device_id: str = Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._:-]+$")
    device_name: str = Field(default="", max_length=200)
    public_key: str = Field(max_length=100, description="Ed25519 public key, raw 32 bytes, base64")
    signature: str = Field(max_length=200, description="signature of the enrolment message, base64")


class PlanRequest(BaseModel):
    openings: list[dict] = Field(max_length=10_000)


def create_app(db_url: str, *, limits: Limits | None = None, pool_size: int = 4) -> FastAPI:
    """The hub application. Opens (and creates or upgrades) the database at once, so
    a wrong --db is reported before anything listens."""
    limits = limits or Limits()
    hub = Hub(db_url, limits=limits, pool_size=pool_size)

    @asynccontextmanager
    async def lifespan(_app):
        yield
        hub.close()

    app = FastAPI(title="Madoguchi hub", version=API_VERSION, lifespan=lifespan,
                  openapi_url="/v1/openapi.json", docs_url="/v1/docs", redoc_url=None,
                  description="Booth laptops push their chained rows here; the office reads merged data.")
    app.state.hub = hub
    app.add_middleware(BodyLimit, limits=limits)

    @app.exception_handler(MadoguchiError)
    async def _madoguchi(req: Request, exc: MadoguchiError):
        if exc.code == "SYNC_HUB_DB_UNAVAILABLE":
            log.error("database unavailable: %s", exc.code)
            return JSONResponse(error_body(exc), status_code=503)
        # The path and code only: never headers (tokens), query strings or bodies.
        log.info("refused %s %s: %s", req.method, req.url.path[:200], exc.code)
        return _refuse(exc)

    @app.exception_handler(IntegrityError)
    async def _race(_req, _exc: IntegrityError):  # two writers raced; nothing of this request was kept
        return _refuse(MadoguchiError("SYNC_BUSY"))

    @app.exception_handler(BodyTooLarge)
    async def _too_large(_req, exc: BodyTooLarge):
        return _refuse(MadoguchiError("SYNC_BODY_TOO_LARGE", limit=exc.limit))

    @app.exception_handler(RequestValidationError)
    async def _invalid(req: Request, exc: RequestValidationError):
        first = (exc.errors() or [{}])[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "request"
        log.info("refused %s %s: SYNC_MALFORMED at %s", req.method, req.url.path[:200], where[:200])
        return _refuse(MadoguchiError("SYNC_MALFORMED", where=where[:200],
                                      problem=str(first.get("msg", "invalid"))[:200]))

    @app.exception_handler(StarletteHTTPException)
    async def _http(req: Request, exc: StarletteHTTPException):
        path = req.url.path[:200]
        if isinstance(exc.detail, dict) and isinstance(exc.detail.get("reason"), str):
            # an extension's own machine-readable reason (e.g. allotments' reserve_mismatch)
            details = dict(exc.detail)
            reason = details.pop("reason")
            error = MadoguchiError("SYNC_REQUEST_REFUSED", reason=reason)
        elif exc.status_code == 404:
            error, reason, details = MadoguchiError("SYNC_NOT_FOUND", what=path), "not_found", {"what": path}
        elif exc.status_code == 405:
            error, reason = MadoguchiError("SYNC_METHOD_NOT_ALLOWED", method=req.method, path=path), "method_not_allowed"
            details = {"method": req.method, "path": path}
        else:
            reason, details = f"http_{exc.status_code}", {}
            error = MadoguchiError("SYNC_REQUEST_REFUSED", reason=reason)
        log.info("refused %s %s: %s", req.method, path, reason)
        return JSONResponse({"error": {"code": error.code, "reason": reason, "message": error.message("ja"),
                                       "message_en": error.message("en"), "details": details}},
                            status_code=exc.status_code, headers=getattr(exc, "headers", None))

    def bearer(cred: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> str:
        if cred is None or not cred.credentials:
            raise MadoguchiError("SYNC_TOKEN_MISSING")
        return cred.credentials

    async def device(token: str = Depends(bearer)) -> str:
        return await run_in_threadpool(hub.device_for_token, token)

    async def admin(token: str = Depends(bearer)) -> None:
        await run_in_threadpool(hub.check_admin, token)

    # For routers of other features mounted on this app (e.g. point allotments):
    # FastAPI dependencies answering the authenticated device id / checking the admin.
    app.state.device_auth = device
    app.state.admin_auth = admin
    app.state.db_url = db_url
    for entry in EXTENSIONS:
        module, _, function = entry.partition(":")
        getattr(importlib.import_module(module), function)(app)

    @app.get("/v1/health", tags=["status"])
    def health() -> dict:
        """Reachability, the hub's time (also in the Date header) and its limits."""
        return {"status": "ok", "api": API_VERSION, "db": hub.dialect,
                "time": utc_now().isoformat(timespec="seconds"), "limits": limits.to_dict()}

    @app.post("/v1/enrol", tags=["devices"])
    def enrol(req: EnrolRequest) -> dict:
        """Exchange a one-time enrolment code for this laptop's device token."""
        return hub.enrol(code=req.code, device_id=req.device_id, device_name=req.device_name,
                         public_key=req.public_key, signature=req.signature, now=utc_now())

    @app.post("/v1/push", tags=["rows"], openapi_extra={"requestBody": PUSH_BODY})
    async def push(request: Request, device_id: str = Depends(device)) -> dict:
        """Push a batch of this device's rows. Answers per batch: stored, duplicates
        (already here, identical) and conflicts (same id, other content: refused and
        listed for the office). A refused batch stores nothing."""
        body = await request.body()
        result = await run_in_threadpool(hub.push_body, device_id, body, utc_now())
        return {"device_id": device_id, **result.to_dict()}

    @app.get("/v1/plan", tags=["plan"])
    def plan(_device: str = Depends(device)) -> dict:
        """What the office planned: the campaign profiles (TOML) and planned openings."""
        return hub.plan()

    @app.get("/v1/admin/devices", tags=["office"], dependencies=[Depends(admin)])
    def devices() -> dict:
        """Devices with their last push, row count, chain head, gaps and breaks."""
        return {"devices": hub.devices()}

    @app.post("/v1/admin/devices/{device_id}/revoke", tags=["office"], dependencies=[Depends(admin)])
    def revoke(device_id: str) -> dict:
        hub.revoke(device_id[:64], utc_now())
        return {"device_id": device_id[:64], "revoked": True}

    @app.get("/v1/admin/conflicts", tags=["office"], dependencies=[Depends(admin)])
    def conflicts() -> dict:
        """Rows refused because the same id already holds other content."""
        return {"conflicts": hub.conflicts()}

    @app.get("/v1/admin/rows", tags=["office"], dependencies=[Depends(admin)])
    def rows(after_device: str = Query("", max_length=64), after_seq: int = Query(0, ge=0, le=2**62),
             limit: int = Query(1000, ge=1, le=100_000)) -> dict:
        """Merged rows of every table, ordered by (device_id, seq). Page with the
        last row's device_id and seq; an empty page is the end."""
        page = hub.rows_page(after_device, after_seq, limit)
        last = page[-1] if page else None
        return {"rows": page, "next": {"after_device": last["device_id"], "after_seq": last["seq"]}
                if last else None}

    @app.get("/v1/admin/totals", tags=["office"], dependencies=[Depends(admin)])
    def totals(by: str = Query("profile", max_length=500,
                               description="comma-separated: profile, opening, date, month, municipality,"
                                           " region, kind, venue, large, device, counter, or a dimension")) -> dict:
        keys = [b for b in by.split(",") if b.strip()]
        return {"by": keys, "totals": hub.totals(keys), "stats": hub.stats()}

    @app.put("/v1/admin/plan", tags=["plan"], dependencies=[Depends(admin)])
    def set_plan(req: PlanRequest) -> dict:
        return {"openings": hub.set_plan(req.openings, utc_now())}

    @app.post("/v1/admin/bundles", tags=["office"], dependencies=[Depends(admin)],
              openapi_extra={"requestBody": BUNDLE_BODY})
    async def import_bundle(request: Request,
                            trust_fingerprint: str | None = Query(None, max_length=64),
                            accept_revoked: bool = Query(False, description="merge a revoked device's bundle"
                                                         " anyway (logged; see docs/sync.md)")) -> dict:
        """Merge an offline bundle (the same as `hub import-bundle`)."""
        data = await request.body()
        header, result = await run_in_threadpool(
            lambda: hub.import_bundle(data, label="upload", trust_fingerprint=trust_fingerprint,
                                      now=utc_now(), accept_revoked=accept_revoked))
        return {"device_id": header["device_id"], "fingerprint": header.get("fingerprint"),
                "accepted_revoked": result.revoked_override, **result.to_dict()}

    return app


def serve(db_url: str, *, host: str = "127.0.0.1", port: int = 8765, ssl_certfile: str | None = None,
          ssl_keyfile: str | None = None, limits: Limits | None = None, log_level: str = "info") -> None:
    import uvicorn

    app = create_app(db_url, limits=limits)
    warm_up()
    # A push makes thousands of short-lived objects; with the default thresholds the
    # cycle collector ran every 700 of them and walked the whole application each
    # tenth time (a quarter of the time spent checking rows). Objects of the started
    # application are moved out of its way, and it runs less often.
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    log.info("hub starting on %s:%d (%s)", host, port, app.state.hub.dialect)
    uvicorn.run(app, host=host, port=port, ssl_certfile=ssl_certfile, ssl_keyfile=ssl_keyfile,
                log_level=log_level, timeout_graceful_shutdown=5)
