"""Pushes written together in one SQLite transaction (sync.groupcommit) answer
exactly as one push at a time would, and the hub's request threads take turns with
the writer first (sync.turns)."""
from __future__ import annotations

import threading
import time

import pytest

from app.errors import MadoguchiError
from sync.db import Pool
from sync.groupcommit import GroupCommit
from sync.turns import Turns


@pytest.fixture
def pool(tmp_path):
    pool = Pool(f"sqlite:///{tmp_path / 'g.sqlite3'}", size=2)
    with pool.conn() as c:
        c.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
    yield pool
    pool.close()


def stored(pool) -> set[str]:
    with pool.conn() as c:
        return {k for (k,) in c.query("SELECT k FROM t")}


def run_together(group: GroupCommit, works: list) -> list:
    """Start the first push, let the others queue behind it, then let it go on."""
    gate = threading.Event()
    answers: list = [None] * len(works)

    def first(c):
        gate.wait(10)
        return works[0](c)

    def one(i, work):
        try:
            answers[i] = group.run(work)
        except MadoguchiError as exc:
            answers[i] = exc
    threads = [threading.Thread(target=one, args=(0, first))]
    threads[0].start()
    time.sleep(0.1)  # the first holds the writer
    threads += [threading.Thread(target=one, args=(i, w)) for i, w in enumerate(works) if i]
    for t in threads[1:]:
        t.start()
    deadline = time.monotonic() + 10
    while len(group._queue) < len(works) - 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    gate.set()
    for t in threads:
        t.join(10)
    return answers


def insert(key: str):
    def work(c):
        c.execute("INSERT INTO t (k) VALUES (?)", (key,))
        return key
    return work


def test_waiting_pushes_share_one_commit_and_each_gets_its_answer(pool):
    group = GroupCommit(pool)
    transactions = []
    real = group._write
    group._write = lambda pushes: (transactions.append(len(pushes)), real(pushes))
    answers = run_together(group, [insert(f"k{i}") for i in range(6)])
    assert answers == [f"k{i}" for i in range(6)]
    assert stored(pool) == {f"k{i}" for i in range(6)}
    assert transactions == [1, 5]  # the first alone, then the five that waited behind it


def test_a_group_that_fails_stores_nothing_and_every_push_in_it_hears_so(pool):
    group = GroupCommit(pool)

    def broken(c):
        c.execute("INSERT INTO t (k) VALUES (?)", ("b",))
        raise MadoguchiError("SYNC_BUSY")
    answers = run_together(group, [insert("first"), insert("x"), broken, insert("y")])
    assert answers[0] == "first"
    assert all(isinstance(a, MadoguchiError) and a.code == "SYNC_BUSY" for a in answers[1:])
    assert stored(pool) == {"first"}
    assert group.run(insert("later")) == "later"  # the writer is free again
    assert stored(pool) == {"first", "later"}


def test_the_writer_gets_the_next_turn_before_waiting_checkers():
    turns = Turns()
    order: list[str] = []
    release = threading.Event()

    def holder():
        with turns.checking():
            release.wait(10)
            order.append("first check")

    def checker(name):
        with turns.checking():
            order.append(name)

    def writer():
        with turns.writing():
            order.append("write")
    threads = [threading.Thread(target=holder)]
    threads[0].start()
    time.sleep(0.05)
    for t in [threading.Thread(target=checker, args=("check a",)), threading.Thread(target=checker, args=("check b",))]:
        threads.append(t)
        t.start()
    time.sleep(0.05)
    threads.append(threading.Thread(target=writer))
    threads[-1].start()
    time.sleep(0.05)
    release.set()
    for t in threads:
        t.join(10)
    assert order[:2] == ["first check", "write"] and sorted(order[2:]) == ["check a", "check b"]
