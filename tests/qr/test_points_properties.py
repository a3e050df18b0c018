"""Property test: any interleaving of grants and allotment moves across 2–6 laptops,
offline (transfer codes: issue, scan, replay, forge, expire, void/return, clock
skew) and online (hub draws and releases, with lost answers; laptops syncing all,
part or a slice with a gap of their chain; hub-confirmed take-backs of expired
codes), never grants more than the split cap in total and never loses a granted
row.

Each laptop is a real Store in its own temp folder; the hub is the real hub
database (sync.hub.Hub, merging the laptops' pushed rows) with the real
allotments router over it, served by uvicorn on 127.0.0.1. The day's split is
kept small so the cap is actually hit: what is split (Σ initial + hub reserve ≤
4000) is the cap the laptops share.
"""
from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from app import points as pts
from app import tallies as tl
from app.errors import MadoguchiError
from app.ids import uuid7
from app.points.codes import Return, Transfer
from app.points.hub_client import AllotmentHub
from app.verify import verify
from sync.outbox import rows_after
from tests.conftest import at
from tests.qr.conftest import make_laptop
from tests.qr.hubserver import running_rows_hub

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class CapAcrossLaptops(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="madoguchi-points-"))
        self.laptops = []
        self.skew: list[int] = []          # minutes each laptop's clock is off
        self.minute = 0                    # real time since 10:00
        self.codes: list[str] = []         # every transfer code issued
        self.returns: list[str] = []       # every return code shown
        self.pending_draws: list[tuple[int, str, int]] = []   # answers lost on the way
        self.committed = []                # model: granted rows per laptop (live)
        self.hub = None

    # ---- set-up ---------------------------------------------------------------
    @initialize(n=st.integers(2, 6), data=st.data())
    def open_day(self, n: int, data) -> None:
        self.laptops = [make_laptop(self.folder, f"l{i}") for i in range(n)]
        # Clocks within ±5 min at day opening (the join refuses more), then they drift.
        self.skew = data.draw(st.lists(st.integers(-5, 5), min_size=n, max_size=n), "skews")
        split = data.draw(st.lists(st.integers(0, 8), min_size=n, max_size=n), "split")
        self.hub_reserve = data.draw(st.integers(0, 8), "hub_reserve")
        self.split_total = sum(split) + self.hub_reserve
        codes_ = [pts.local_laptop(lap.store) for lap in self.laptops]
        self.laptop_codes = codes_
        lead = self.laptops[0]
        _, join = pts.setup_day(lead.store, lead.oid, now=self.now(0),
                                allotments=dict(zip(codes_, split)), hub_reserve=self.hub_reserve)
        for i, lap in enumerate(self.laptops[1:], start=1):
            pts.join_day(lap.store, lap.oid, join, now=self.now(i))
        self.committed = [0] * n
        self.hub = AllotmentHub(HUB[0])

    def teardown(self) -> None:
        try:
            for lap in self.laptops:  # every chain intact at the end (checked once: it is slow)
                assert verify(lap.store).ok
        finally:
            self._close()

    def _close(self) -> None:
        if self.hub is not None:
            self.hub.close()
        for lap in self.laptops:
            lap.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def now(self, i: int):
        return at(10) + timedelta(minutes=self.minute + self.skew[i])

    def idx(self, data, name="laptop") -> int:
        return data.draw(st.integers(0, len(self.laptops) - 1), name)

    def addressee_or_any(self, code: str, data) -> int:
        """Mostly the laptop the code is for; sometimes any laptop."""
        if data.draw(st.integers(0, 3), "which laptop") == 0:
            return self.idx(data)
        return self.laptop_codes.index(Transfer.decode(code)[0].recipient)

    def status(self, i: int):
        lap = self.laptops[i]
        return pts.status(lap.store, lap.oid, now=self.now(i))

    # ---- time -----------------------------------------------------------------
    @rule(minutes=st.sampled_from([1, 5, 14, 30]))
    def time_passes(self, minutes: int) -> None:
        self.minute += minutes

    @precondition(lambda self: self.laptops)
    @rule(data=st.data(), jump=st.sampled_from([-40, -12, 12, 40]))
    def clock_jumps(self, data, jump: int) -> None:
        """Someone sets one laptop's clock wrong: codes may be refused, never doubled."""
        self.skew[self.idx(data)] += jump

    # ---- grants ---------------------------------------------------------------
    @precondition(lambda self: self.laptops)
    @rule(data=st.data())
    def grant(self, data) -> None:
        i = self.idx(data)
        lap = self.laptops[i]
        before = self.status(i).available
        try:
            pts.grant(lap.store, lap.oid, now=self.now(i))
        except MadoguchiError as exc:
            assert exc.code in ("POINTS_ALLOTMENT_EXHAUSTED", "POINTS_CAP_REACHED")
            assert before <= 0
            event("grant refused at the allotment")
        else:
            assert before >= 1
            self.committed[i] += 1

    @precondition(lambda self: self.laptops)
    @rule(data=st.data())
    def undo_a_grant(self, data) -> None:
        i = self.idx(data)
        lap = self.laptops[i]
        if self.committed[i]:
            tl.undo_last(lap.store, lap.oid, now=self.now(i))
            self.committed[i] -= 1

    # ---- transfer codes (offline) ---------------------------------------------
    @precondition(lambda self: self.laptops)
    @rule(data=st.data(), count=st.integers(1, 3), valid=st.sampled_from([1, 15, 60]))
    def issue(self, data, count: int, valid: int) -> None:
        i, j = self.idx(data, "from"), self.idx(data, "to")
        if i == j and data.draw(st.integers(0, 4), "to self") > 0:  # mostly to another laptop
            j = (j + 1) % len(self.laptops)
        lap = self.laptops[i]
        before = self.status(i).available
        try:
            code, after = pts.issue_transfer(lap.store, lap.oid, self.laptop_codes[j], count,
                                             now=self.now(i), valid_min=valid)
        except MadoguchiError as exc:
            assert exc.code in ("POINTS_TRANSFER_TO_SELF", "POINTS_TRANSFER_COUNT_INVALID")
            assert i == j or count > before
        else:
            assert after.available == before - count
            self.codes.append(code)
            event("transfer code issued")

    @precondition(lambda self: self.codes)
    @rule(data=st.data())
    def scan(self, data) -> None:
        """Any laptop scans any code, again and again: wrong laptop, replay, expired."""
        code = data.draw(st.sampled_from(self.codes), "code")
        i = self.addressee_or_any(code, data)
        lap = self.laptops[i]
        with_case = data.draw(st.booleans(), "typed")
        text = code.lower().replace("-", " ") if with_case else code
        try:
            pts.receive_transfer(lap.store, lap.oid, text, now=self.now(i))
        except MadoguchiError as exc:
            assert exc.code.startswith("POINTS_"), exc
            event(f"scan refused: {exc.code}")
        else:
            event("transfer received")

    @precondition(lambda self: self.codes or self.returns)
    @rule(data=st.data())
    def forge(self, data) -> None:
        """A changed character never raises anything."""
        code = data.draw(st.sampled_from(self.codes + self.returns), "code")
        body = list(code)
        spots = [k for k, ch in enumerate(body) if ch in ALPHABET and k > 3]
        k = data.draw(st.sampled_from(spots), "spot")
        body[k] = data.draw(st.sampled_from([c for c in ALPHABET if c != body[k]]), "char")
        forged = "".join(body)
        i = self.idx(data)
        lap = self.laptops[i]
        before = [self.status(x).allotment for x in range(len(self.laptops))]
        fn = pts.receive_transfer if forged.startswith("PT") else pts.accept_return
        try:
            fn(lap.store, lap.oid, forged, now=self.now(i))
        except MadoguchiError:
            pass
        else:
            raise AssertionError(f"forged code accepted: {forged}")
        assert before == [self.status(x).allotment for x in range(len(self.laptops))]

    @precondition(lambda self: self.codes)
    @rule(data=st.data())
    def void(self, data) -> None:
        code = data.draw(st.sampled_from(self.codes), "code")
        i = self.addressee_or_any(code, data)
        lap = self.laptops[i]
        try:
            ret, _ = pts.void_transfer(lap.store, lap.oid, code, now=self.now(i))
        except MadoguchiError as exc:
            assert exc.code in ("POINTS_TRANSFER_NOT_FOR_ME", "POINTS_VOID_ALREADY_RECEIVED")
        else:
            self.returns.append(ret)

    @precondition(lambda self: self.returns)
    @rule(data=st.data())
    def take_back(self, data) -> None:
        ret = data.draw(st.sampled_from(self.returns), "return")
        if data.draw(st.integers(0, 3), "which laptop") == 0:
            i = self.idx(data)
        else:  # mostly the laptop that issued the transfer
            i = self.laptop_codes.index(Return.decode(ret)[0].sender)
        lap = self.laptops[i]
        try:
            pts.accept_return(lap.store, lap.oid, ret, now=self.now(i))
        except MadoguchiError as exc:
            assert exc.code in ("POINTS_RETURN_UNKNOWN", "POINTS_RETURN_REPLAYED")
        else:
            event("grants returned to the issuer")

    @precondition(lambda self: self.laptops)
    @rule(data=st.data(), steps=st.lists(st.sampled_from(["scan", "void", "take_back"]), max_size=4))
    def exchange(self, data, steps: list[str]) -> None:
        """Issue a code, then its addressee and its issuer act on that code in some
        order (the separate rules reach these combinations only rarely)."""
        before = len(self.codes)
        self.issue(data=data, count=data.draw(st.integers(1, 3), "count"), valid=15)
        if len(self.codes) == before:
            return
        code = self.codes[-1]
        t = Transfer.decode(code)[0]
        a, b = self.laptop_codes.index(t.sender), self.laptop_codes.index(t.recipient)
        ret = None
        for step in steps:
            try:
                if step == "scan":
                    pts.receive_transfer(self.laptops[b].store, self.laptops[b].oid, code, now=self.now(b))
                elif step == "void":
                    ret, _ = pts.void_transfer(self.laptops[b].store, self.laptops[b].oid, code, now=self.now(b))
                    self.returns.append(ret)
                elif ret is not None:
                    pts.accept_return(self.laptops[a].store, self.laptops[a].oid, ret, now=self.now(a))
            except MadoguchiError as exc:
                assert exc.code in ("POINTS_TRANSFER_REPLAYED", "POINTS_TRANSFER_VOIDED",
                                    "POINTS_VOID_ALREADY_RECEIVED", "POINTS_RETURN_REPLAYED",
                                    "POINTS_TRANSFER_EXPIRED", "POINTS_TRANSFER_EXPIRED_CLOCK",
                                    "POINTS_CLOCK_SKEW"), exc
                event(f"exchange refused: {exc.code}")

    # ---- hub (online) -----------------------------------------------------------
    @precondition(lambda self: self.laptops)
    @rule(data=st.data(), count=st.integers(1, 4), answer_lost=st.booleans())
    def hub_draw(self, data, count: int, answer_lost: bool) -> None:
        i = self.idx(data)
        lap = self.laptops[i]
        request = uuid7()
        granted = self.hub.draw(self.status(i), device_id=lap.store.device_id, request_id=request, count=count)
        if answer_lost:  # the hub committed, the laptop never heard: retried later
            self.pending_draws.append((i, request, count))
        else:
            pts.record_hub_draw(lap.store, lap.oid, request, granted, now=self.now(i))

    @precondition(lambda self: self.pending_draws)
    @rule()
    def hub_retry(self) -> None:
        i, request, count = self.pending_draws.pop(0)
        lap = self.laptops[i]
        granted = self.hub.draw(self.status(i), device_id=lap.store.device_id, request_id=request, count=count)
        pts.record_hub_draw(lap.store, lap.oid, request, granted, now=self.now(i))
        pts.record_hub_draw(lap.store, lap.oid, request, granted, now=self.now(i))  # twice: once

    @precondition(lambda self: self.laptops)
    @rule(data=st.data(), count=st.integers(1, 4), send=st.booleans())
    def hub_release(self, data, count: int, send: bool) -> None:
        i = self.idx(data)
        lap = self.laptops[i]
        request = uuid7()
        try:
            st_ = pts.record_hub_release(lap.store, lap.oid, request, count, now=self.now(i))
        except MadoguchiError as exc:
            assert exc.code == "POINTS_TRANSFER_COUNT_INVALID"
            return
        if send:  # otherwise the network failed after the local record: grants lost, safe
            self.hub.release(st_, device_id=lap.store.device_id, request_id=request, count=count)

    # ---- the hub's take-back of expired codes ---------------------------------------
    @precondition(lambda self: self.laptops)
    @rule(data=st.data(), how=st.sampled_from(["all", "prefix", "slice"]))
    def sync(self, data, how: str) -> None:
        """A laptop pushes its chain: all of it, the start of it, or a slice after a
        hole (a lost batch) — the hub must not read more into it than is there."""
        self._push(self.idx(data), data, how)

    @precondition(lambda self: self.laptops)
    @rule(data=st.data())
    def help_desk(self, data) -> None:
        """Any other row of a laptop's chain (a help-desk tap): it carries the
        laptop's clock to the hub like a grant does."""
        self._any_row(self.idx(data))

    def _any_row(self, i: int) -> None:
        # tapped and taken back at once, so that undo_a_grant still undoes a grant
        lap = self.laptops[i]
        tl.tap(lap.store, lap.oid, "other_help", now=self.now(i))
        tl.undo_last(lap.store, lap.oid, now=self.now(i))

    @precondition(lambda self: self.laptops)
    @rule(data=st.data(), scan_after=st.sampled_from([None, 0, 14, 16, 30]),
          later=st.sampled_from([10, 20, 26, 40]), skew=st.sampled_from([0, 0, -40, 12]),
          how=st.sampled_from(["all", "prefix", "slice"]), set_back=st.booleans())
    def late_take_back(self, data, scan_after, later: int, skew: int, how: str, set_back: bool) -> None:
        """The race the hub's proof is about: A issues a 15-minute code to B; B
        scans it around the expiry (or never), maybe with its clock set back; B
        works on and syncs (all or part of its chain); A asks the hub; then B's
        clock may be set back to before the expiry and B tries the code again."""
        before = len(self.codes)
        self.issue(data=data, count=data.draw(st.integers(1, 3), "count"), valid=15)
        if len(self.codes) == before:
            return
        code = self.codes[-1]
        t = Transfer.decode(code)[0]
        a, b = self.laptop_codes.index(t.sender), self.laptop_codes.index(t.recipient)
        start = self.minute
        if scan_after is not None:
            self.minute = start + scan_after
            self.skew[b] += skew
            try:
                pts.receive_transfer(self.laptops[b].store, self.laptops[b].oid, code, now=self.now(b))
                event("late take-back: B received")
            except MadoguchiError as exc:
                assert exc.code in ("POINTS_TRANSFER_EXPIRED", "POINTS_TRANSFER_EXPIRED_CLOCK",
                                    "POINTS_CLOCK_SKEW"), exc
                event(f"late take-back: B refused ({exc.code})")
        self.minute = max(self.minute, start + later)
        self._any_row(b)
        self._push(b, data, how)
        self.hub_take_back(data=data, any_code=True, laptop=a)
        if set_back:
            self.skew[b] -= self.minute - start
            try:
                pts.receive_transfer(self.laptops[b].store, self.laptops[b].oid, code, now=self.now(b))
                event("late take-back: B received with its clock set back")
            except MadoguchiError as exc:
                event(f"late take-back: B, clock set back, refused ({exc.code})")

    def _push(self, i: int, data, how: str) -> None:
        lap = self.laptops[i]
        head = lap.store.query_one("SELECT head_seq FROM device WHERE is_local = 1")[0]
        start = data.draw(st.integers(0, head - 1), "from") if how == "slice" else 0
        end = head if how == "all" else data.draw(st.integers(start + 1, head), "to")
        ROWS_HUB[0].push(lap.store.device_id, rows_after(lap.store, start, end - start),
                         datetime.now(timezone.utc))

    @precondition(lambda self: self.codes)
    @rule(data=st.data(), any_code=st.booleans())
    def hub_take_back(self, data, any_code: bool, laptop: int | None = None) -> None:
        """A laptop asks the hub about its codes past expiry + margin by its own clock
        (or about any of its codes: the hub's proof does not depend on A's clock)."""
        i = self.idx(data) if laptop is None else laptop
        lap = self.laptops[i]
        st_ = self.status(i)
        for o in st_.outstanding:
            if not (o.expired or any_code):
                continue
            answer = self.hub.check_takeback(st_, o, device_id=lap.store.device_id)
            if answer["confirmed"]:
                pts.record_hub_return(lap.store, lap.oid, answer, now=self.now(i))
                pts.record_hub_return(lap.store, lap.oid, answer, now=self.now(i))  # twice: once
                event(f"hub confirmed a take-back ({answer['state']})")
            else:
                event(f"hub: {answer['state']}")

    # ---- invariants -------------------------------------------------------------
    @invariant()
    def never_over_the_cap(self) -> None:
        if not self.laptops:
            return
        statuses = [self.status(i) for i in range(len(self.laptops))]
        granted = [grants(lap) for lap in self.laptops]
        assert granted == self.committed, "a granted row was lost or added"
        assert all(s.available >= 0 for s in statuses)
        pool = self.hub.pool(statuses[0].venue_day)
        hub_left = pool["remaining"] if pool else self.hub_reserve
        assert sum(s.allotment for s in statuses) + hub_left <= self.split_total
        assert sum(granted) <= self.split_total <= 4000



def grants(lap) -> int:
    return tl.totals(lap.store, lap.oid)["point_grant"]["total"]


HUB: list[str] = []
ROWS_HUB: list = []


@pytest.fixture(scope="module", autouse=True)
def hub_url(tmp_path_factory):
    """One real hub for all examples: every example is a new day (new secret) with
    new laptops (new device ids), so their pools and chains never meet."""
    with running_rows_hub(tmp_path_factory.mktemp("hub")) as (url, hub):
        HUB[:] = [url]
        ROWS_HUB[:] = [hub]
        yield url


CapAcrossLaptops.TestCase.settings = settings(
    max_examples=80, stateful_step_count=50, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_cap_across_laptops = CapAcrossLaptops.TestCase
