"""The benchmark's own logic, so that it cannot silently break: pairing, growth,
targets, the doc it writes, its baseline parse, its launcher and its SQLite
reference. No timing is asserted."""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from conftest import invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"


# The scripts import one another by plain name from benchmarks/, as when run.
sys.path.insert(0, str(BENCH))
run = importlib.import_module("run")
report = importlib.import_module("report")
measure = importlib.import_module("measure")
bare_parse = importlib.import_module("bare_parse")
reference = importlib.import_module("reference")
generate = importlib.import_module("generate")

Sample, Figure, Command = measure.Sample, measure.Figure, measure.Command


def figure(kind: str, walls: list[float], size: int | None = None, rounds: int = 1, **kw):  # type: ignore[no-untyped-def]
    cpus = kw.pop("cpus", walls)
    rss = kw.pop("rss", 20.0)
    samples = [Sample(w, c, rss) for w, c in zip(walls, cpus, strict=True)]
    return Figure(kind, kind, size, rounds, samples, **kw)


def figures(*figs):  # type: ignore[no-untyped-def]
    return {f.key: f for f in figs}


def test_ratios_pair_runs_of_the_same_round() -> None:
    # The baseline drifts from 10 to 30 ms; the command stays 10 x its round's baseline.
    base = figure("pass", [0.010, 0.020, 0.030])
    cmd = figure("find", [0.100, 0.200, 0.300])
    assert measure.paired_ratios(cmd, base) == pytest.approx([10.0, 10.0, 10.0])
    # The ratio of the medians alone would hide nothing here, but a lone slow
    # round of the baseline must not move the paired median.
    base = figure("pass", [0.010, 0.050, 0.010])
    cmd = figure("find", [0.100, 0.500, 0.100])
    assert measure.spread(measure.paired_ratios(cmd, base)).median == pytest.approx(10.0)


def test_ratios_by_cpu_time_use_cpu_time() -> None:
    base = figure("parse", [1.0, 1.0], cpus=[1.0, 1.0])
    build = figure("build", [0.5, 0.5], cpus=[0.9, 1.1])
    assert measure.paired_ratios(build, base, "cpu") == pytest.approx([0.9, 1.1])
    assert measure.paired_ratios(build, base, "wall") == pytest.approx([0.5, 0.5])


def test_figures_of_different_rounds_do_not_pair() -> None:
    with pytest.raises(ValueError, match="same rounds"):
        measure.paired_ratios(figure("a", [1.0], rounds=1), figure("b", [1.0], rounds=2))
    with pytest.raises(ValueError, match="same rounds"):
        measure.paired_ratios(figure("a", [1.0, 2.0]), figure("b", [1.0]))


def test_rounds_alternate_their_order() -> None:
    cmds = [Command(k, k, ("x",), {}) for k in "abc"]
    assert [c.kind for c in measure.round_order(cmds, 0)] == ["a", "b", "c"]
    assert [c.kind for c in measure.round_order(cmds, 1)] == ["c", "b", "a"]
    assert [c.kind for c in measure.round_order(cmds, 2)] == ["a", "b", "c"]


def test_spread_is_median_with_min_and_max() -> None:
    s = measure.spread([3.0, 1.0, 2.0, 10.0])
    assert (s.median, s.low, s.high) == (2.5, 1.0, 10.0)
    with pytest.raises(ValueError):
        measure.spread([])


@pytest.mark.parametrize(("t2", "k"), [(10.0, 1.0), (1.0, 0.0), (100.0, 2.0), (10**0.5, 0.5)])
def test_growth_exponent(t2: float, k: float) -> None:
    assert measure.growth_exponent(1000, 1.0, 10000, t2) == pytest.approx(k)


def test_size_labels() -> None:
    assert [measure.size_label(n) for n in (200, 1000, 10_000, 300_000, 1_000_000)] == [
        "200",
        "1k",
        "10k",
        "300k",
        "1M",
    ]


def test_sizes_option() -> None:
    assert run.parse_sizes("1000, 200,1_000") == (200, 1000)
    for bad in ("ten", "0", ""):
        with pytest.raises(Exception, match="sizes"):
            run.parse_sizes(bad)


def _target(**kw):  # type: ignore[no-untyped-def]
    values = {"what": "warm find ≤ 15 ×", "kind": "find", "against": "pass", "limit": 15.0}
    return report.Target(**{**values, **kw})


def test_target_met_and_not_met_at_its_size() -> None:
    base = figure("pass", [0.02, 0.02, 0.02], size=1_000_000)
    fast = figure("find", [0.2, 0.2, 0.4], size=1_000_000)
    slow = figure("find", [0.4, 0.4, 0.2], size=1_000_000)
    met = report.evaluate(_target(), figures(base, fast))
    assert met.status == "met" and "10.00 ×" in met.detail
    assert report.evaluate(_target(), figures(base, slow)).status == "NOT met"


def test_target_not_met_when_memory_exceeds_it() -> None:
    base = figure("pass", [0.02], size=1_000_000)
    fat = figure("find", [0.1], size=1_000_000, rss=900.0)
    verdict = report.evaluate(_target(memory_mb=500), figures(base, fat))
    assert verdict.status == "NOT met" and "900 MB" in verdict.detail


def test_target_says_when_judged_below_its_size() -> None:
    figs = figures(
        figure("pass", [0.02], size=1000),
        figure("find", [0.1], size=1000),
        figure("pass", [0.02], size=100_000),
        figure("find", [0.5], size=100_000),
    )
    verdict = report.evaluate(_target(), figs)
    assert verdict.status == "NOT met at 100k"
    assert "target is for 1M" in verdict.detail and "--large" in verdict.detail


def test_target_by_cpu_time_and_not_measured() -> None:
    parse = figure("parse", [10.0], size=1_000_000, cpus=[10.0])
    build = figure("build", [4.0], size=1_000_000, cpus=[12.0])
    cpu = _target(kind="build", against="parse", limit=1.0, by="cpu")
    assert report.evaluate(cpu, figures(parse, build)).status == "NOT met"
    assert (
        report.evaluate(
            _target(kind="build", against="parse", limit=0.5), figures(parse, build)
        ).status
        == "met"
    )
    assert report.evaluate(_target(kind="coverage"), figures(parse, build)).status == "not measured"


def test_every_target_of_issue_19_is_judged_on_measured_kinds() -> None:
    """Each target names figures a section measures (a renamed kind would never be judged)."""
    source = (BENCH / "run.py").read_text("utf-8")
    for target in run.TARGETS:
        for kind in (target.kind, target.against):
            assert f'"{kind}"' in source or kind in run.QUERIES, kind


def test_tables_show_paired_ratios_and_growth() -> None:
    figs = figures(
        figure("pass", [0.02, 0.02], size=1000, rounds=7),
        figure("find", [0.2, 0.3], size=1000, rounds=7, compare=("pass",)),
        figure("pass", [0.02, 0.02], size=10_000, rounds=8),
        figure("find", [2.0, 3.0], size=10_000, rounds=8, compare=("pass",)),
        figure("only", [1.0, 1.0], size=10_000, rounds=8),
    )
    table = report.figure_table(figs)
    assert "12.50 × (10.00–15.00) pass" in table
    growth = report.growth_table(figs)
    assert "| 1k→10k |" in growth and "| find | 1.00 / 1.00 |" in growth
    assert "only" not in growth and "| pass |" not in growth  # one size; start-up


def test_p95_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert measure.percentile(values, 0.95) == 95.0
    assert measure.percentile([5.0, 1.0, 3.0], 0.95) == 5.0
    assert measure.percentile([2.0], 0.5) == 2.0
    with pytest.raises(ValueError):
        measure.percentile([], 0.95)


def test_a_section_reports_its_lines_under_its_own_heading() -> None:
    text = report.report("h", [], {}, ["a note"], {"The live call": ["1k: update 2 ms"]})
    assert text.endswith("### The live call\n\n- 1k: update 2 ms")
    assert "- a note" in text.split("### The live call")[0]


def test_the_call_section_is_a_section_and_can_run_alone() -> None:
    assert run.call in run.SECTIONS
    with pytest.raises(SystemExit):
        run.main(["--section", "nonesuch"])


def test_doc_is_written_between_the_markers_only(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    shutil.copy(ROOT / "docs" / "performance.md", doc)
    before = doc.read_text("utf-8")
    head, tail = before.split(report.BEGIN)[0], before.split(report.END)[1]
    report.write_doc(doc, "Machine: test.\n\n- **a target: met**")
    after = doc.read_text("utf-8")
    assert after.startswith(head) and after.endswith(tail)
    assert f"{report.BEGIN}\nMachine: test.\n\n- **a target: met**\n{report.END}" in after
    report.write_doc(doc, "second")  # again: the method text around stays once
    assert doc.read_text("utf-8") == f"{head}{report.BEGIN}\nsecond\n{report.END}{tail}"


def test_doc_without_markers_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n", "utf-8")
    with pytest.raises(SystemExit, match="markers"):
        report.write_doc(doc, "x")
    assert doc.read_text("utf-8") == "# Performance\n"


def test_baseline_pieces_hold_every_provider_in_order(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    generate.generate(120, path)
    whole = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)["providers"]
    pieces = list(bare_parse.pieces(path, piece_bytes=3000))
    assert len(pieces) > 10
    got = [p for piece in pieces for p in yaml.load(piece, Loader=yaml.CSafeLoader)["providers"]]
    assert got == whole
    assert list(bare_parse.providers(path)) == whole


@pytest.mark.parametrize("indent", [0, 4, 8])
def test_baseline_reads_a_valid_directory_however_it_is_indented(
    tmp_path: Path, indent: int
) -> None:
    """The bare parse of any valid file: another indentation of the list, a key and
    comments before it, a flow list (loaded whole) all give every provider."""
    path = tmp_path / "d.yaml"
    generate.generate(40, path)
    items = path.read_text("utf-8").split("providers:\n", 1)[1]
    lines = [line[2:] if line.startswith("  ") else line for line in items.splitlines()]
    moved = "\n".join(" " * indent + line for line in lines)
    path.write_text(f"version: 1\n# a comment\nproviders:  # the list\n\n  # here\n{moved}\n")
    whole = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)["providers"]
    assert len(whole) == 40
    pieces = list(bare_parse.pieces(path, piece_bytes=2000))
    assert len(pieces) > 5
    assert list(bare_parse.providers(path)) == whole
    path.write_text("providers: [{id: a, name: A}, {id: b, name: B}]\n")
    assert [p["id"] for p in bare_parse.providers(path)] == ["a", "b"]


def _generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.getbasetemp() / "generated-60.yaml"
    if not path.exists():
        generate.generate(60, path)
    return path


@settings(max_examples=60, deadline=None)
@given(piece_bytes=st.integers(min_value=1, max_value=60_000))
def test_pieces_cut_only_where_a_provider_starts(
    tmp_path_factory: pytest.TempPathFactory, piece_bytes: int
) -> None:
    path = _generated(tmp_path_factory)
    data = path.read_bytes()
    pieces = list(bare_parse.pieces(path, piece_bytes))
    assert all(p.startswith(b"providers:\n  - id: provider-") for p in pieces)
    body = b"".join(p.removeprefix(bare_parse.HEAD) for p in pieces)
    assert body == data[data.index(b"  - id:") :]  # every byte once, in order
    assert all(len(p) - len(bare_parse.HEAD) >= piece_bytes for p in pieces[:-1])


def test_launcher_reports_a_small_child_of_a_big_parent(tmp_path: Path) -> None:
    """A child's peak memory is its own, not the benchmark's (Linux counts the
    forking process's memory in its child's peak)."""
    ballast = b"x" * 200_000_000  # the benchmark after generating a large directory
    launcher = measure.Launcher(tmp_path)
    try:
        cmd = Command("pass", "python -c pass", (sys.executable, "-c", "pass"), {"PATH": ""})
        sample = launcher.run(cmd, tmp_path)
        assert 0 < sample.rss_mb < 100 and sample.wall > 0 and sample.cpu >= 0
        failing = Command(
            "fail", "fail", (sys.executable, "-c", "import sys; sys.exit('nope')"), {}
        )
        with pytest.raises(SystemExit, match="nope"):
            launcher.run(failing, tmp_path)
    finally:
        launcher.close()
    assert len(ballast) == 200_000_000


def test_sqlite_reference_answers_what_find_answers(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "d.yaml"
    generate.generate(400, path)
    db = tmp_path / "ref.sqlite"
    reference.build(path, db)
    located = json.loads(
        invoke(runner, "locate", "Fresno", "-f", "json", "--data", str(path)).stdout
    )
    place = located["place"]
    found = json.loads(
        invoke(
            runner, "find", run.SERVICE_QUERY, "--data", str(path), "-f", "json", "-n", "400"
        ).stdout
    )
    assert found["query"]["radius_km"] == run.DEFAULT_RADIUS_KM  # not widened: comparable
    import sqlite3

    con = sqlite3.connect(db)
    matches = reference.answer(
        con, place["lat"], place["lon"], run.DEFAULT_RADIUS_KM, **run.REFERENCE_NEED,
        region=place["region"], country=place["country"],
    )  # fmt: skip
    assert {r["id"] for r in found["results"]} == {slug for _, slug in matches}
    assert len(matches) >= 3
    assert [d for d, _ in matches] == sorted(d for d, _ in matches)


@pytest.mark.long
def test_a_whole_tiny_run_writes_its_report(tmp_path: Path) -> None:
    doc = tmp_path / "performance.md"
    shutil.copy(ROOT / "docs" / "performance.md", doc)
    run.main(["--sizes", "100", "--runs", "1", "--workdir", str(tmp_path / "w"), "--doc", str(doc)])
    text = doc.read_text("utf-8")
    block = text.split(report.BEGIN)[1].split(report.END)[0]
    for target in run.TARGETS:
        assert target.what in block
    assert "not measured" not in block  # every target's figures were taken
    assert "SQLite reference of the service query, 100" in text
    call = block.split("### The live call")[1]  # the call section, under its heading
    assert "100: update after a line" in call and "p95" in call and "first screen" in call
    assert "find, first build, one core, 100" in text or not measure.CAN_PIN


def test_a_generated_directory_is_valid_for_every_place_it_uses(tmp_path: Path) -> None:
    """The benchmark measures a directory the tool serves whole: no provider left out
    (a generated region code the gazetteer refused once left out 285 of 100k)."""
    from referral_cli import directory

    path = tmp_path / "d.yaml"
    generate.generate(2000, path)
    loaded = directory.load(path)
    assert [str(d) for d in loaded.errors] == []
    assert len(loaded) == 2000 and {p.country for p in loaded.providers} >= {"US", "MX"}


def test_the_metro_spread_gathers_a_twelfth_around_each_town(tmp_path: Path) -> None:
    """--spread metro: valid, every town of the dozen holds a twelfth, most of it
    close to the town's centre (the dense case the national spread lacks)."""
    from referral_cli import directory
    from referral_cli.geo.distance import distance_km

    path = tmp_path / "d.yaml"
    generate.generate(1200, path, spread="metro")
    loaded = directory.load(path)
    assert [str(d) for d in loaded.errors] == [] and len(loaded) == 1200
    fresno = generate.METROS[0]
    assert fresno[0] == "Fresno" and len(generate.METROS) == 12
    near = [
        p
        for p in loaded.providers
        if p.lat is not None
        and p.lon is not None
        and distance_km(p.lat, p.lon, fresno[4], fresno[5]) < 20
    ]
    assert 70 <= len(near) <= 100  # of the 100 placed around Fresno


def test_counted_instructions_get_a_column_and_a_ratio() -> None:
    """Where perf counts instructions, the table gives their median and the paired
    ratio by them; the perf line is read, and a count perf could not take is none."""
    assert measure._instructions("1234567,,instructions:u,100.00,,\n") == 1234567.0
    assert measure._instructions("<not supported>,,instructions:u,0,100.00,,\n") is None
    base = Figure("pass", "pass", None, 1, [Sample(0.01, 0.01, 8, 100e6)] * 3)
    cmd = Figure("find", "find", None, 1, [Sample(0.2, 0.2, 30, 700e6)] * 3, compare=("pass",))
    table = report.figure_table(figures(base, cmd))
    assert "instructions, M" in table and "| 700 |" in table and "instructions 7.00 ×" in table
    plain = report.figure_table(figures(figure("pass", [0.01]), figure("x", [0.02])))
    assert "instructions" not in plain
