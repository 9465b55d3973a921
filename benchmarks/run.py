"""Time referral-cli as whole new processes, with ratios that hold on a noisy machine.

    python benchmarks/run.py                  # 1k, 10k, 100k; rewrites the figures in docs/performance.md
    python benchmarks/run.py --large          # also 300k and 1M (1-2 hours, ~8 GB free memory)
    python benchmarks/run.py --quick          # 1k and 10k, 3 rounds; prints only
    python benchmarks/run.py --sizes 200,1000 # any sizes; prints only
    python benchmarks/run.py --quick --section call  # one section only; prints only

Every figure is measured in rounds together with the baseline it is compared
to (see ``measure.py``): ratios are paired per round and given as median
(min–max), by wall time and by CPU time, with peak memory. The baselines are
``python -c pass`` (start-up) and a bare PyYAML C-loader parse of the same
generated directory (``bare_parse.py``). The first index build is timed on
all cores and pinned to one core; find is timed with a service query, a
free-text query and a place-only query, and the service query also against
the same query asked of SQLite (``reference.py``). The live call (section
``call``) is timed per update inside one process and by its first screen as a
new process (``call_session.py``). Growth exponents between
sizes and issue 19's targets (met / NOT met) end the report (``report.py``).

The run is a list of sections (:data:`SECTIONS`), each a function of the
:class:`Bench` that measures and records its figures; a new measurement is a
new section. Only the standard library, the installed ``referral`` and
sqlite3 are used.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import SPREADS, generate  # noqa: E402
from measure import (  # noqa: E402
    CAN_PIN,
    Command,
    Figure,
    Launcher,
    Sample,
    new_rounds,
    percentile,
    run_rounds,
    size_label,
)
from reference import build as build_reference  # noqa: E402
from report import Target, evaluate, machine, report, write_doc  # noqa: E402

PY = sys.executable
# The installed console script, as users run it (``python -m`` where it is not on PATH).
_SCRIPT = shutil.which("referral", path=str(Path(PY).parent)) or shutil.which("referral")
REFERRAL = (_SCRIPT,) if _SCRIPT else (PY, "-m", "referral_cli")
DOC = ROOT / "docs" / "performance.md"

PLACE = "Fresno"
DEFAULT_RADIUS_KM = 50  # find's, with no settings file
SERVICE_QUERY = f"temporary shelter for minors near {PLACE}"
REFERENCE_NEED = {"service": "temporary-shelter", "min_age": 0, "max_age": 17}  # what it asks
QUERIES = {  # kind: (what, arguments of find)
    "find-service": ("find, service query", (SERVICE_QUERY,)),
    "find-text": ("find, free text, no service", (f"Hope Harbor near {PLACE}",)),
    "find-place": ("find, place only", ("--near", PLACE)),
}
BIG = 100_000  # from here on, cold figures take --big-runs rounds
PROVIDERS_PER_FILE = 500  # the folder form of the largest size


@dataclass(frozen=True)
class Profile:
    sizes: tuple[int, ...]
    runs: int
    big_runs: int


ONE_FILE_PROVIDERS = 300_000  # a generated file of this many stays under 256 MiB
PROFILES = {
    "quick": Profile((1_000, 10_000), 3, 2),
    "default": Profile((1_000, 10_000, 100_000), 5, 3),
    "large": Profile((1_000, 10_000, 100_000, 300_000, 1_000_000), 5, 3),
}


@dataclass
class Bench:
    """What every section shares: the work folder, sizes, rounds and the figures so far."""

    work: Path
    sizes: tuple[int, ...]
    runs: int
    big_runs: int
    env: dict[str, str]
    launcher: Launcher
    reference: bool = True  # also build and time the SQLite reference (--no-reference)
    spread: str = "national"  # where the generated providers are (generate.py --spread)
    figures: dict[str, Figure] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # lines for the report
    sections: dict[str, list[str]] = field(default_factory=dict)  # heading: its lines

    def cache_env(self, name: str) -> dict[str, str]:
        return {**self.env, "REFERRAL_CACHE_DIR": str(self.work / "cache" / name)}

    def empty_cache(self, name: str) -> Callable[[], None]:
        return lambda: shutil.rmtree(self.work / "cache" / name, ignore_errors=True)

    def directory(self, n: int, files: int = 1) -> Path:
        """The generated directory of ``n`` providers (made on first use, then kept)."""
        name = f"dir{size_label(n)}-{self.spread}"
        path = self.work / (f"{name}.yaml" if files == 1 else f"{name}-{files}")
        if not path.exists():  # made under another name first: never half a directory
            print(f"generating {n:,} providers in {files} file(s) ...", flush=True)
            making = path.with_name(f"{path.name}.part")
            shutil.rmtree(making, ignore_errors=True)
            generate(n, making, files=files, spread=self.spread)
            making.rename(path)
        return path

    def served(self, n: int) -> Path:
        """The directory of ``n`` providers as one file, or in files of 100k past
        what one file may hold (the tool reads no file over 256 MiB)."""
        return self.directory(n, 1 if n <= ONE_FILE_PROVIDERS else -(-n // 100_000))

    def folder(self, n: int) -> Path:
        return self.directory(n, max(2, n // PROVIDERS_PER_FILE))

    def cold_runs(self, n: int) -> int:
        return self.big_runs if n >= BIG else self.runs

    def referral(self, *args: str) -> tuple[str, ...]:
        return (*REFERRAL, *args)

    def measure(self, commands: Sequence[Command], runs: int) -> None:
        """Whole processes, in paired rounds (see ``measure.py``)."""
        for fig in run_rounds(self.launcher, commands, runs, self.work):
            self.record(fig)

    def record(self, fig: Figure) -> None:
        """A figure for the report, also one a section timed inside a process."""
        self.figures[fig.key] = fig


def python_pass(bench: Bench, size: int | None = None) -> Command:
    return Command("pass", "python -c pass", (PY, "-c", "pass"), bench.env, size)


def bare_parse(bench: Bench, n: int, path: Path) -> Command:
    argv = (PY, str(HERE / "bare_parse.py"), *_yaml_files(path))
    return Command("parse", "bare C-loader parse", argv, bench.env, n)


def _yaml_files(path: Path) -> list[str]:
    return [str(p) for p in sorted(path.glob("*.yaml"))] if path.is_dir() else [str(path)]


# --- sections ----------------------------------------------------------------


def sample_find(bench: Bench) -> None:
    """find on the bundled sample directory, warm and with an empty cache."""
    print("sample directory", flush=True)
    env = bench.cache_env("sample")
    argv = bench.referral("find", SERVICE_QUERY)
    bench.measure(
        [
            python_pass(bench),
            Command(
                "floor",
                "Typer + Rich floor: a 3-row table (floor.py)",
                (PY, str(HERE / "floor.py"), "find", SERVICE_QUERY),
                bench.env,
                compare=("pass",),
            ),
            Command(
                "sample-find", "find, sample, warm index", argv, env, compare=("pass", "floor")
            ),
            Command(
                "sample-find-cold",
                "find, sample, empty cache",
                argv,
                env,
                before=bench.empty_cache("sample"),
                compare=("pass",),
            ),
        ],
        bench.runs,
    )


def warm_queries(bench: Bench) -> None:
    """Each query kind and coverage on a warm index, and the SQLite reference."""
    for n in bench.sizes:
        print(f"warm index, {size_label(n)}", flush=True)
        # One file up to the tool's 256 MiB a file (about 350k providers), else a
        # folder of files of 100k (one file of 1M, ~700 MB, is refused, as it should).
        path = bench.served(n)
        data = ("--data", str(path))
        env = bench.cache_env(f"warm-{n}")
        commands = [python_pass(bench, n)]
        for kind, (what, args) in QUERIES.items():
            compare = ("pass", "sqlite") if kind == "find-service" else ("pass",)
            argv = bench.referral("find", *args, *data)
            commands.append(Command(kind, what, argv, env, n, compare=compare))
        commands.append(
            Command(
                "coverage",
                "coverage",
                bench.referral("coverage", *data),
                env,
                n,
                compare=("pass",),
            )
        )
        if bench.reference:
            commands.append(reference_query(bench, n, path, env))
        bench.measure(commands, bench.runs)


def reference_query(bench: Bench, n: int, path: Path, env: dict[str, str]) -> Command:
    """The SQLite reference of the service query (built here, untimed), checked against find."""
    db = bench.work / f"reference-{size_label(n)}.sqlite"
    if not db.exists():
        print(f"building the SQLite reference of {size_label(n)} (not timed) ...", flush=True)
        build_reference(path, db)
    located = _json(bench.referral("locate", PLACE, "--format", "json", "--data", str(path)), env)
    place = located["place"]
    argv = (
        PY,
        str(HERE / "reference.py"),
        str(db),
        str(place["lat"]),
        str(place["lon"]),
        str(DEFAULT_RADIUS_KM),
        str(REFERENCE_NEED["service"]),
        str(REFERENCE_NEED["min_age"]),
        str(REFERENCE_NEED["max_age"]),
        str(place["region"]),
        str(place["country"]),
    )
    found = _json(
        bench.referral("find", SERVICE_QUERY, "--data", str(path), "-f", "json", "-n", str(n)),
        env,
    )
    expected = {r["id"] for r in found["results"]}
    out = subprocess.run([*argv, "--all"], capture_output=True, text=True, check=True).stdout
    got = {line.split("\t")[1] for line in out.splitlines()}
    widened = found["query"]["radius_km"]
    note = agreement(size_label(n), expected, got)
    if widened != DEFAULT_RADIUS_KM:
        note += f"; find widened the radius to {widened:g} km, the reference did not"
    bench.notes.append(note)
    return Command("sqlite", "SQLite reference of the service query", argv, bench.env, n)


def agreement(label: str, find_ids: set[str], reference_ids: set[str]) -> str:
    both = len(find_ids & reference_ids)
    return (
        f"{label}: find and the SQLite reference agree on {both:,} providers"
        f" (find only {len(find_ids - reference_ids):,}, reference only"
        f" {len(reference_ids - find_ids):,})"
    )


def _json(argv: Sequence[str], env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(
            f"failed (exit {proc.returncode}): {' '.join(argv)}\n{proc.stderr[-2000:]}"
        )
    value = json.loads(proc.stdout)
    assert isinstance(value, dict)
    return value


def cold_command(
    bench: Bench, n: int, kind: str, what: str, args: tuple[str, ...], one_core: bool = False
) -> Command:
    """A command run from an empty cache of its own, compared with the bare parse."""
    cache = f"{kind}-{n}"
    return Command(
        kind,
        what,
        bench.referral(*args),
        bench.cache_env(cache),
        n,
        before=bench.empty_cache(cache),
        one_core=one_core,
        compare=("parse",),
    )


def cold_builds(bench: Bench) -> None:
    """The first index build and validate against the bare parse of the same YAML."""
    for n in bench.sizes:
        print(f"first build, {size_label(n)}", flush=True)
        path = bench.served(n)
        data = ("--data", str(path))
        find = ("find", SERVICE_QUERY, *data)
        commands = [
            bare_parse(bench, n, path),
            cold_command(bench, n, "build", "find, first build, all cores", find),
            cold_command(bench, n, "validate", "validate, empty cache", ("validate", *data)),
            Command(
                "validate-warm",
                "validate, warm index",
                bench.referral("validate", *data),
                bench.cache_env(f"validate-warm-{n}"),
                n,
                compare=("parse",),
            ),
        ]
        if CAN_PIN:
            commands.insert(
                2,
                cold_command(bench, n, "build-1core", "find, first build, one core", find, True),
            )
        if n == max(bench.sizes):
            folder = bench.folder(n)
            files = len(_yaml_files(folder))
            args = ("find", SERVICE_QUERY, "--data", str(folder))
            commands.append(
                cold_command(bench, n, "folder-build", f"find, as {files} files, first build", args)
            )
        bench.measure(commands, bench.cold_runs(n))
        for cmd in commands:  # the caches of cold runs are not needed again
            if cmd.before is not None:
                cmd.before()


def folder_edit(bench: Bench) -> None:
    """find and coverage on the largest size as a folder of files, warm and after
    editing one file (coverage then counts again what it remembered)."""
    n = max(bench.sizes)
    folder = bench.folder(n)
    files = sorted(folder.glob("*.yaml"))
    edited = files[len(files) // 2]
    print(f"editing one file of {size_label(n)} in {len(files)} files", flush=True)
    data = ("--data", str(folder))
    env = bench.cache_env(f"folder-{n}")

    def edit() -> None:
        with edited.open("a", encoding="utf-8") as fh:
            fh.write(f"# edited {time.time()}\n")

    for kind, what, argv in (  # each pair measured apart: its warm run follows its own
        ("folder", "find", bench.referral("find", SERVICE_QUERY, *data)),
        ("folder-coverage", "coverage", bench.referral("coverage", *data)),
    ):
        warm = Command(f"{kind}-warm", f"{what}, as {len(files)} files, warm index", argv, env, n)
        after = Command(
            f"{kind}-edited",
            f"{what}, as {len(files)} files, after editing one",
            argv,
            env,
            n,
            before=edit,
            compare=(f"{kind}-warm",),
        )
        bench.measure([warm, after], bench.runs)


CALL_SESSION = HERE / "call_session.py"
CALL_HEADING = "The live call (`referral call`)"
CALL_UPDATE_MS = 30.0  # issue 17: median update at 100k
CALL_FIRST_S = 1.0  # issue 17: first screen, warm


def call(bench: Bench) -> None:
    """referral call: each update of a scripted call, timed inside one process (a
    line heard and the search re-run in memory), and the first screen of a new
    process on a warm index, paired with ``python -c pass``."""
    lines = bench.sections.setdefault(CALL_HEADING, [])
    for n in bench.sizes:
        print(f"live call, {size_label(n)}", flush=True)
        path = bench.served(n)
        env = bench.cache_env(f"call-{n}")
        warm = bench.referral("find", SERVICE_QUERY, "--data", str(path))
        subprocess.run(warm, env=env, check=True, capture_output=True)  # the index, built once
        got = _json((PY, str(CALL_SESSION), "updates", str(path)), env)
        walls = [ms / 1000 for ms in got["wall_ms"]]
        update = Figure(
            "call-update",
            "call, update after a line (in process)",
            n,
            new_rounds(),
            [
                Sample(w, c / 1000, got["peak_mb"])
                for w, c in zip(walls, got["cpu_ms"], strict=True)
            ],
        )
        bench.record(update)
        first = Command(
            "call-first",
            "call, first screen, warm index (headless)",
            (PY, str(CALL_SESSION), "first-screen", str(path)),
            env,
            n,
            compare=("call-pass",),
        )
        beside = Command("call-pass", "python -c pass, beside the call", (PY, "-c", "pass"), env, n)
        bench.measure([beside, first], bench.runs)
        wall, screen = update.stat("wall"), bench.figures[first.key].stat("wall")
        verdicts = [f"first screen ≤ {CALL_FIRST_S:g} s: {_met(screen.median <= CALL_FIRST_S)}"]
        if n >= BIG:
            verdicts.insert(
                0, f"≤ {CALL_UPDATE_MS:g} ms: {_met(wall.median * 1000 <= CALL_UPDATE_MS)}"
            )
        lines.append(
            f"{size_label(n)}: update after a line {wall.median * 1000:,.1f} ms median, p95"
            f" {percentile(walls, 0.95) * 1000:,.1f} ms, {wall.low * 1000:,.1f}–"
            f"{wall.high * 1000:,.1f} ms ({len(walls)} updates); first screen"
            f" {screen.median * 1000:,.0f} ms ({screen.low * 1000:,.0f}–{screen.high * 1000:,.0f});"
            f" {'; '.join(verdicts)}"
        )


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


# A new measurement is one more function of the Bench here: it measures commands
# with ``bench.measure`` (paired rounds of new processes) or records figures it
# timed itself with ``bench.record``, and may add lines to ``bench.notes`` or
# under a heading of its own in ``bench.sections``.
SECTIONS: list[Callable[[Bench], None]] = [
    sample_find,
    warm_queries,
    cold_builds,
    folder_edit,
    call,
]


# --- issue 19's targets -------------------------------------------------------

TARGETS = (
    *(
        Target(
            f"warm {what} at 1M ≤ 15 × python -c pass, peak ≤ 500 MB",
            kind,
            "pass",
            15,
            memory_mb=500,
        )
        for kind, (what, _) in QUERIES.items()
    ),
    Target("warm coverage at 1M ≤ 15 × python -c pass", "coverage", "pass", 15),
    *(
        target
        for kind, what in (("build", "first build"), ("validate", "validate"))
        for target in (
            Target(
                f"{what} at 1M ≤ 1.0 × bare parse by CPU time, memory ≤ 2 GB",
                kind,
                "parse",
                1.0,
                by="cpu",
                memory_mb=2048,
            ),
            Target(f"{what} at 1M ≤ 0.5 × bare parse by wall time (2 cores)", kind, "parse", 0.5),
        )
    ),
    Target("find on the sample ≤ 8 × python -c pass", "sample-find", "pass", 8, size=None),
    Target(
        "next find after editing one file of a 1M folder ≤ 2 × warm find",
        "folder-edited",
        "folder-warm",
        2,
    ),
)


def parse_sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(
            sorted({int(s.strip().replace("_", "")) for s in text.split(",") if s.strip()})
        )
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"sizes are whole numbers separated by commas: {text!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be at least 1: {text!r}")
    return sizes


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    profile = parser.add_mutually_exclusive_group()
    profile.add_argument("--quick", action="store_true", help="1k and 10k, 3 rounds, no doc")
    profile.add_argument("--large", action="store_true", help="also 300k and 1M (1-2 hours)")
    profile.add_argument(
        "--sizes",
        type=parse_sizes,
        help="comma-separated sizes, e.g. 200,1000; rounds as --quick; no doc",
    )
    parser.add_argument(
        "--runs", type=positive, help="counted rounds per figure (default 5; --quick 3)"
    )
    parser.add_argument(
        "--big-runs",
        type=positive,
        help=f"counted rounds of first builds from {size_label(BIG)} (default 3)",
    )
    parser.add_argument(
        "--workdir", type=Path, help="keep generated directories and caches here (else removed)"
    )
    parser.add_argument(
        "--doc",
        type=Path,
        help=f"write the figures into this file (default {DOC.relative_to(ROOT)})",
    )
    parser.add_argument("--no-doc", action="store_true", help="print only")
    parser.add_argument(
        "--spread",
        choices=SPREADS,
        default="national",
        help="where the providers are: over the US by population (national, the default),"
        " around eleven towns, most in California's Central Valley (towns), or a twelfth"
        " gathered around each of a dozen towns (metro: the dense case)",
    )
    parser.add_argument(
        "--no-reference",
        action="store_true",
        help="skip the SQLite reference (building it is a bare parse of each directory)",
    )
    names = [section.__name__ for section in SECTIONS]
    parser.add_argument(
        "--section",
        action="append",
        choices=names,
        help="run only this section (repeatable; then the doc is not written): " + ", ".join(names),
    )
    args = parser.parse_args(argv)
    chosen = PROFILES["quick" if args.quick or args.sizes else "large" if args.large else "default"]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="referral-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFERRAL_")}
    env.update({"REFERRAL_CONFIG": str(work / "config.toml"), "NO_COLOR": "1"})
    launcher = Launcher(work)
    bench = Bench(
        work,
        args.sizes or chosen.sizes,
        args.runs or chosen.runs,
        args.big_runs or chosen.big_runs,
        env,
        launcher,
        reference=not args.no_reference,
        spread=args.spread,
    )
    print(f"machine: {machine()}\nwork folder: {work}", flush=True)
    try:
        for section in SECTIONS:
            if args.section is None or section.__name__ in args.section:
                section(bench)
    finally:
        launcher.close()
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    sizes = ", ".join(size_label(n) for n in bench.sizes)
    heading = (
        f"Sizes: {sizes}; {bench.runs} paired rounds"
        f" ({bench.big_runs} for first builds from {size_label(BIG)})."
        f" Providers spread: {bench.spread} (benchmarks/generate.py --spread)."
    )
    verdicts = [evaluate(t, bench.figures) for t in TARGETS]
    text = report(heading, verdicts, bench.figures, bench.notes, bench.sections)
    print(f"\n{text}")
    doc = args.doc or (None if args.quick or args.sizes or args.section else DOC)
    if doc is not None and not args.no_doc:
        write_doc(doc, text)
        print(f"\nwrote the figures into {doc}")


if __name__ == "__main__":
    main()
