"""Issue 18's targets as one table: what bench_targets.py measured against each bound.

Each target is a ratio of two measures of the same run (``measured / anchor``) or a single
measure against an absolute bound (no anchor). A measure's value is the median of its
samples (one per interleaved repeat). A target whose measures were not taken in this run
(quick mode, a missing anchor) is printed as ``not measured`` with the reason, never left
out: the table always has every row.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

RPS = "{}: getCPNInstances req/s, {} client(s)"
CLOCK = "mockcp {} clock: {} (all rows) CPU ms/req"
REALM_OPS = ("getStationStatus", "getStations", "getTransactionData", "getLoad",
             "getCustomGroupStations", "getStationRights", "getStationGroups",
             "getOrgsAndStationGroups", "getChargingSessionData", "getAlarms")  # fmt: skip
REALM = "realm {}: {} stations (ms)"
PAGE = "mockcp: 500-row getStations page, in process (ms)"
FLOOR = "floor: lxml render of the same rows from tuples (ms)"
START = "{}: start to ready (s)"
COLD = "mockcp default (demo), first start"  # on an empty folder of planned images
GUNICORN = "gunicorn -w {} on {}: getCPNInstances req/s, 16 client(s)"
FIRST_READ = "6,000-station world: first read (s)"
RESET = "mockcp: reset + first getStations, demo world (s)"


@dataclass(frozen=True)
class Target:
    label: str
    measured: str
    anchor: str | None  # None: ``measured`` against an absolute bound
    relation: str  # ">=", ">" or "<="
    bound: float

    def met(self, value: float) -> bool:
        if self.relation == ">=":
            return value >= self.bound
        if self.relation == ">":
            return value > self.bound
        return value <= self.bound


def _small_op() -> list[Target]:
    rows = []
    for served, what in (("mockcp", "small op"), ("mockcp cache off", "small op, cache off")):
        for anchor, name, bound in (("canned", "canned ceiling", 0.8), ("wiremock", "WireMock", 1)):
            rows += [
                Target(f"{what} / {name}, {n} client(s)", RPS.format(served, n),
                       RPS.format(anchor, n), ">=", bound)
                for n in (1, 16)
            ]  # fmt: skip
    return rows


TARGETS: list[Target] = [
    *_small_op(),
    Target("500-row getStations page / lxml floor", PAGE, FLOOR, "<=", 3),
    *(
        Target(f"6,000 / 60 stations, {op}", REALM.format(op, "6,000"), REALM.format(op, 60),
               "<=", 1.5)
        for op in REALM_OPS
    ),
    Target("6,000-station world, first read (s)", FIRST_READ, None, "<=", 10),
    Target("reset + first read, demo world (s)", RESET, None, "<=", 0.150),
    *(
        Target(f"start to ready, mockcp {world} / moto_server", START.format(f"mockcp {world}"),
               START.format("moto_server"), "<=", 1)
        for world in ("default (demo)", "minimal", "default (demo), first start")
    ),
    *(
        Target(f"one process{what}: 16 clients / 1 client", RPS.format(served, 16),
               RPS.format(served, 1), ">=", 1)
        for served, what in (("mockcp", ""), ("mockcp cache off", ", cache off"))
    ),
    *(
        Target(f"gunicorn -w {n} / -w 1, 16 clients, {store}", GUNICORN.format(n, store),
               GUNICORN.format(1, store), ">", 1)
        for store in ("SQLite", "PostgreSQL")
        for n in (2, 4)
    ),
    *(
        Target(f"realtime / frozen clock, {op} (all rows)", CLOCK.format("realtime", op),
               CLOCK.format("frozen", op), "<=", 1.2)
        for op in ("getStationStatus", "getStations")
    ),
]  # fmt: skip


def show(value: float) -> str:
    return f"{value:.4g}"


def table(
    results: dict[str, list[float]],
    skipped: dict[str, str],
    loads: tuple[tuple[float, ...], tuple[float, ...]],
    markdown: bool = False,
) -> None:
    """Print every measure with its samples, then the targets' table and the load averages
    (and the table again in Markdown, for BENCHMARKS.md, with ``markdown``).

    ``skipped`` maps a measure's name to why it was not taken (shown in its targets' rows).
    """
    print(f"\n{'measure':<72} median  (samples)")
    for name, values in results.items():
        shown = ", ".join(f"{v:.3g}" for v in values)
        print(f"{name:<72} {statistics.median(values):.4g}  ({shown})")
    rows = [row(target, results, skipped) for target in TARGETS]
    print(f"\n{'target':<58} {'measured':>9} {'anchor':>9} {'ratio':>7} {'bound':>8}  verdict")
    for label, value, anchor, ratio, bound, verdict in rows:
        print(f"{label:<58} {value:>9} {anchor:>9} {ratio:>7} {bound:>8}  {verdict}")
    measured = [r for r in rows if not r[5].startswith("not measured")]
    met = sum(r[5] == "met" for r in measured)
    print(f"targets met: {met} of {len(measured)} measured ({len(TARGETS)} in all)")
    print(f"load average (1, 5, 15 min) at start: {fmt_load(loads[0])}, "
          f"at end: {fmt_load(loads[1])}")  # fmt: skip
    if markdown:
        print("\n| target | measured | anchor | ratio | bound | verdict |")
        print("| --- | --- | --- | --- | --- | --- |")
        for cells in rows:
            print("| " + " | ".join(cells) + " |")


def row(
    target: Target, results: dict[str, list[float]], skipped: dict[str, str]
) -> tuple[str, str, str, str, str, str]:
    """(label, measured, anchor, ratio, bound, verdict) of one target, as text."""
    bound = target.relation + show(target.bound)
    names = [target.measured] + ([target.anchor] if target.anchor else [])
    missing = [name for name in names if not results.get(name)]
    if missing:
        why = "; ".join(sorted({skipped.get(name, "its part was not run") for name in missing}))
        return target.label, "-", "-", "-", bound, f"not measured ({why})"
    value = statistics.median(results[target.measured])
    if target.anchor is None:
        anchor, ratio = "-", value
    else:
        base = statistics.median(results[target.anchor])
        anchor, ratio = show(base), value / base
    verdict = "met" if target.met(ratio) else "NOT MET"
    return target.label, show(value), anchor, f"{ratio:.3g}", bound, verdict


def fmt_load(load: tuple[float, ...]) -> str:
    return " ".join(f"{x:.2f}" for x in load)
