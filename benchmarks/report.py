"""The report: issue 19's targets judged, the tables, and the doc it is written into."""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from measure import Figure, figure_key, growth_exponent, paired_ratios, size_label, spread

BEGIN, END = "<!-- figures: written by benchmarks/run.py -->", "<!-- end of figures -->"
MILLION = 1_000_000


@dataclass(frozen=True)
class Target:
    """One line of issue 19's target table: ``kind`` ≤ ``limit`` × ``against``."""

    what: str
    kind: str
    against: str
    limit: float
    size: int | None = MILLION  # None: a figure without size (the sample)
    by: str = "wall"  # or "cpu"
    memory_mb: float | None = None


@dataclass(frozen=True)
class Verdict:
    target: Target
    status: str  # met | NOT met | not measured
    detail: str

    def line(self) -> str:
        return f"- **{self.target.what}: {self.status}**" + (
            f" ({self.detail})" if self.detail else ""
        )


def evaluate(target: Target, figures: dict[str, Figure]) -> Verdict:
    """The target judged on the paired median ratio, at its size or else the largest measured."""
    size = target.size
    if size is not None and figure_key(target.kind, size) not in figures:
        measured = [f.size for f in figures.values() if f.kind == target.kind and f.size]
        size = max(measured) if measured else size
    fig = figures.get(figure_key(target.kind, size))
    base = figures.get(figure_key(target.against, size))
    if fig is None or base is None:
        return Verdict(target, "not measured", "")
    ratio = spread(paired_ratios(fig, base, target.by))
    ok = ratio.median <= target.limit
    by = "CPU" if target.by == "cpu" else target.by
    detail = f"{ratio.median:.2f} × ({ratio.low:.2f}–{ratio.high:.2f}) by {by} time"
    detail += f", {fig.stat('wall').median * 1000:,.0f} ms"
    if target.memory_mb is not None:
        ok = ok and fig.peak_mb <= target.memory_mb
        detail += f", peak {fig.peak_mb:,.0f} MB"
    status = "met" if ok else "NOT met"
    if size != target.size and target.size is not None and size is not None:
        status += f" at {size_label(size)}"
        detail += f"; the target is for {size_label(target.size)}: run --large to judge it"
    return Verdict(target, status, detail)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def figure_table(figures: dict[str, Figure]) -> str:
    """Every figure; with an instructions column (millions, median) and ratio
    when the runs were counted (``perf stat``, where it works)."""
    counted = any(f.counted for f in figures.values())
    rows = [
        "| what | wall ms, median (min–max) | CPU ms | peak MB |"
        + (" instructions, M |" if counted else "")
        + " paired ratio, median (min–max) |",
        "|---|---:|---:|---:|" + ("---:|" if counted else "") + "---|",
    ]
    for fig in figures.values():
        wall = fig.stat("wall")
        ratios = []
        for kind in fig.compare:
            other = figures.get(figure_key(kind, fig.size))
            if other is None:
                continue
            w = spread(paired_ratios(fig, other, "wall"))
            c = spread(paired_ratios(fig, other, "cpu"))
            ratio = (
                f"{w.median:.2f} × ({w.low:.2f}–{w.high:.2f}) {other.what}, CPU {c.median:.2f} ×"
            )
            if fig.counted and other.counted:
                ratio += f", instructions {spread(paired_ratios(fig, other, 'instructions')).median:.2f} ×"
            ratios.append(ratio)
        count = ""
        if counted:
            count = f" {fig.stat('instructions').median / 1e6:,.0f} |" if fig.counted else " |"
        rows.append(
            f"| {fig.name} | {_ms(wall.median)} ({_ms(wall.low)}–{_ms(wall.high)}) "
            f"| {_ms(fig.stat('cpu').median)} | {fig.peak_mb:,.0f} |{count} {'; '.join(ratios)} |"
        )
    return "\n".join(rows)


def growth_table(figures: dict[str, Figure]) -> str:
    """``log(t2/t1) / log(n2/n1)`` of the median wall (and CPU) time between sizes."""
    by_kind: dict[str, list[Figure]] = {}
    for fig in figures.values():
        # python -c pass ("pass", "call-pass"): start-up does not grow with n
        if fig.size is not None and not fig.kind.endswith("pass"):
            by_kind.setdefault(fig.kind, []).append(fig)
    sizes = sorted({f.size for figs in by_kind.values() for f in figs if f.size})
    steps = list(zip(sizes, sizes[1:], strict=False))
    if not steps:
        return "(one size only: no growth exponents)"
    rows = [
        "| figure | " + " | ".join(f"{size_label(a)}→{size_label(b)}" for a, b in steps) + " |",
        "|---|" + "---:|" * len(steps),
    ]
    for figs in by_kind.values():
        if len(figs) < 2:
            continue
        at = {f.size: f for f in figs}
        cells = []
        for a, b in steps:
            if a in at and b in at:
                wall = growth_exponent(a, at[a].stat("wall").median, b, at[b].stat("wall").median)
                cpu = growth_exponent(a, at[a].stat("cpu").median, b, at[b].stat("cpu").median)
                cells.append(f"{wall:.2f} / {cpu:.2f}")
            else:
                cells.append("")
        rows.append(f"| {figs[0].what} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem}, "
        f"Python {platform.python_version()}"
    )


def report(
    heading: str,
    verdicts: Sequence[Verdict],
    figures: dict[str, Figure],
    notes: Sequence[str],
    sections: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The whole report: the machine and run, the targets, figures, growth, the
    reference, and the sections' own lines under their headings."""
    extra = [
        line
        for title, lines in (sections or {}).items()
        for line in ("", f"### {title}", "", *(f"- {x}" for x in lines))
    ]
    return "\n".join(
        [
            f"Machine: {machine()}. Date: {time.strftime('%Y-%m-%d')}. {heading}",
            "",
            "### Targets of issue 19",
            "",
            *(v.line() for v in verdicts),
            "",
            "### Figures",
            "",
            figure_table(figures),
            "",
            "### Growth exponents (wall / CPU)",
            "",
            growth_table(figures),
            "",
            "### SQLite reference: same answer?",
            "",
            *(f"- {note}" for note in notes),
            *extra,
        ]
    )


def write_doc(doc: Path, text: str) -> None:
    """Put ``text`` between the markers of ``doc``, keeping everything around them."""
    old = doc.read_text("utf-8")
    if BEGIN not in old or END not in old:
        raise SystemExit(f"{doc}: the markers {BEGIN!r} and {END!r} are missing")
    head, rest = old.split(BEGIN, 1)
    doc.write_text(f"{head}{BEGIN}\n{text}\n{END}{rest.split(END, 1)[1]}", "utf-8")
