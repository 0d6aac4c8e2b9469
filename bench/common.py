"""The benchmark registry and shared fixtures (not tests: no assertions on time).

A benchmark is a function `fn(ctx) -> Sample` registered with `@benchmark(name, baseline=…)`.
It returns the seconds of each repetition; the runner reports the median and, for a
benchmark with a baseline measured in the same run, the ratio of the two medians.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

AS_OF = date(2026, 11, 20)  # a Friday in Q2; Q1 closed with final marks


@dataclass
class Sample:
    seconds: list[float]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Benchmark:
    name: str
    fn: Callable[[Context], Sample]
    baseline: str | None
    target: str
    group: str


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, *, baseline: str | None = None, target: str = "", group: str = "") -> Callable:
    """Register `fn(ctx) -> Sample` under `name`; `target` is the rule it is held to,
    as text for the table (e.g. "≤ 2 × baseline")."""

    def wrap(fn: Callable[[Context], Sample]) -> Callable[[Context], Sample]:
        REGISTRY[name] = Benchmark(name, fn, baseline, target, group or fn.__module__)
        return fn

    return wrap


def repeat(fn: Callable[[], Any], n: int, warmup: int = 1) -> list[float]:
    """Seconds of each of `n` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def interleaved(service: Callable[[], Any], raw: Callable[[], Any], n: int, *,
                self_timed: bool = False) -> tuple[list[float], float]:
    """The service's times, and the ratio of its median to the raw median when the two are
    timed alternately in one loop: what the disk or the neighbours do hits both alike.
    `self_timed`: each call returns its own seconds (a child process reporting its paint)."""
    def timed(fn: Callable[[], Any]) -> float:
        if self_timed:
            return float(fn())
        return repeat(fn, 1, warmup=0)[0]

    for _ in range(3):
        service()
        raw()
    times: dict[str, list[float]] = {"service": [], "raw": []}
    for _ in range(n):
        times["service"].append(timed(service))
        times["raw"].append(timed(raw))
    return times["service"], statistics.median(times["service"]) / statistics.median(times["raw"])


class Context:
    """Databases built once per run and shared by the benchmarks that need them."""

    def __init__(self, workdir: Path | None = None) -> None:
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix="ejournal-bench-"))
        self._urls: dict[str, str] = {}

    def demo_url(self, size: str = "school", engine: str = "sqlite", as_of: date = AS_OF) -> str:
        """A database holding the demo of `size` as of `as_of` (built on first use)."""
        key = f"{size}-{engine}" + ("" if as_of == AS_OF else f"-{as_of:%Y%m%d}")
        if key in self._urls:
            return self._urls[key]
        from ejournal_tui.data.db import open_database
        from ejournal_tui.demo.generator import DemoOptions, generate

        if engine == "sqlite":
            url = f"sqlite:///{self.workdir / f'{key}.db'}"
        else:
            url = _fresh_pg_database(key)
        eng = open_database(url)
        generate(eng, DemoOptions(size, 1, as_of), today=as_of, force=True)
        eng.dispose()
        self._urls[key] = url
        return url


def _fresh_pg_database(key: str) -> str:
    import os

    from sqlalchemy import create_engine

    base = os.environ.get("EJOURNAL_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"ejbench_{key.replace('-', '_')}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}"
