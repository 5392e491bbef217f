"""Run callables at the same instant in real threads, each with its own database connection.

    outcomes = run_together(lambda: save(a), lambda: save(b))
    winners, losers = split(outcomes)

Used by tests/security/test_concurrency.py; any feature's race test can use it (PostgreSQL only:
SQLite serialises writers, so it would prove nothing)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections


@dataclass
class Outcome:
    index: int
    result: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_together(*calls: Callable[[], Any], timeout: float = 30.0) -> list[Outcome]:
    """Start one thread per callable, release them together with a barrier, wait for all (bounded
    by `timeout`), and return their outcomes in order. Each thread closes its connection."""
    barrier = threading.Barrier(len(calls), timeout=timeout)
    outcomes = [Outcome(i) for i in range(len(calls))]

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[i].result = call()
        except BaseException as exc:  # reported to the test, not swallowed
            outcomes[i].error = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    stuck = [i for i, t in enumerate(threads) if t.is_alive()]
    if stuck:
        raise TimeoutError(f"threads {stuck} still running after {timeout}s (deadlock?)")
    return outcomes


def split(outcomes: list[Outcome]) -> tuple[list[Outcome], list[Outcome]]:
    return [o for o in outcomes if o.ok], [o for o in outcomes if not o.ok]


def assert_one_winner(outcomes: list[Outcome], loser_error: type[BaseException]) -> Outcome:
    """Exactly one call succeeded; every other one failed with `loser_error` (not anything else)."""
    winners, losers = split(outcomes)
    assert len(winners) == 1, f"expected one winner, got {len(winners)}: {outcomes}"
    for o in losers:
        assert isinstance(o.error, loser_error), f"loser {o.index} failed with {o.error!r}"
    return winners[0]
