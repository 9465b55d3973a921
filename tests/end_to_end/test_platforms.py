"""Windows and macOS as volunteers meet them, checked on Linux: a console or pipe
that is not UTF-8, a system without the POSIX-only calls, worker processes
started by spawn (no fork), and the line endings and byte order mark of files
made for Notepad and Excel."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import directory_yaml, invoke, provider_yaml, write
from typer.testing import CliRunner

from referral_cli.cli import app

# Letters of Vietnamese, Chinese and a dash: none of the first ones is in cp1252,
# none of any in ASCII, so a console in either can show them only replaced.
NAME = "Trung Tâm Tư Vấn Người Việt 輔導 — San José"


def _directory(folder: Path) -> Path:
    return write(
        folder / "dir.yaml",
        directory_yaml(
            provider_yaml(id="tu-van", name=f'"{NAME}"', services="counseling"),
            provider_yaml(id="a-shelter", lat=36.74, lon=-119.79),
        ),
    )


def _run(
    args: list[str], env: dict[str, str], cwd: Path, code: str | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``referral ARGS`` in a process of its own, through the program's entry point
    (``code`` first changes the interpreter, as another system would have it)."""
    start = ["-c", code] if code else ["-m", "referral_cli"]
    return subprocess.run(
        [sys.executable, *start, *args], env=env, cwd=cwd, capture_output=True, timeout=120
    )


def _env(tmp: Path, **more: str) -> dict[str, str]:
    return {
        **os.environ,
        "REFERRAL_CACHE_DIR": str(tmp / "cache"),
        "REFERRAL_CONFIG": str(tmp / "config.toml"),
        "NO_COLOR": "1",
        **more,
    }


def _json(out: bytes) -> Any:
    return json.loads(out.decode("utf-8"))


def _csv_names(out: bytes) -> list[str]:
    return [row["name"] for row in csv.DictReader(io.StringIO(out.decode("utf-8")))]


def _has_name(out: bytes) -> bool:
    return NAME in out.decode("utf-8")


def _hsds_has_name(folder: Path) -> bool:
    texts = [p.read_bytes().decode("utf-8") for p in folder.iterdir()]
    return any(NAME in text for text in texts)


# Each command and format, and what its output must be: machine output whole in
# UTF-8 (the name unchanged), terminal output present (the name's ASCII start,
# the rest replaced as the console requires).
def _cases(d: list[str]) -> list[tuple[list[str], Callable[[bytes], bool]]]:
    near = ["counseling near Fresno", *d]
    shown = lambda out: b"Trung T" in out  # noqa: E731 - a check like the others
    return [
        (["find", *near], shown),
        (["find", *near, "--format", "json"], lambda o: _json(o)["results"][0]["name"] == NAME),
        (["find", *near, "--format", "ndjson"], lambda o: _json(o.splitlines()[0])["name"] == NAME),
        (["find", *near, "--format", "csv"], lambda o: _csv_names(o)[0] == NAME),
        (["find", *near, "--format", "csv", "--bom"], lambda o: o.startswith(b"\xef\xbb\xbfid,")),
        (["show", "tu-van", *d], shown),
        (["show", "tu-van", *d, "--format", "json"], lambda o: _json(o)["name"] == NAME),
        (["slip", "tu-van", *d], _has_name),
        (["slip", "tu-van", *d, "--format", "markdown", "--lang", "vi"], _has_name),
        (["slip", "tu-van", *d, "--format", "html"], _has_name),
        (["slip", "tu-van", *d, "-o", "slip.pdf"], lambda o: Path("slip.pdf").exists()),
        (["coverage", *d], lambda o: b"Fresno" in o),
        (["coverage", *d, "--format", "json", "--by", "city"], lambda o: "Fresno" in str(_json(o))),
        (["coverage", *d, "--format", "csv"], lambda o: "Fresno" in o.decode("utf-8")),
        (["coverage", *d, "--format", "markdown"], lambda o: "Fresno" in o.decode("utf-8")),
        (["coverage", *d, "--format", "html"], lambda o: "Fresno" in o.decode("utf-8")),
        (["validate", *d], lambda o: o.decode("ascii") == ""),
        (["validate", *d, "--format", "json"], lambda o: _json(o)["providers"] == 2),
        (["validate", *d, "--format", "github"], lambda o: o == b""),
        (["export-hsds", *d, "-o", "hsds"], lambda o: _hsds_has_name(Path("hsds"))),
        (["export-hsds", *d, "-f", "json", "-o", "hsds.json"], lambda o: NAME in Path("hsds.json").read_text("utf-8")),
        (["locate", "San José", "--format", "json"], lambda o: "San José" in str(_json(o))),
    ]  # fmt: skip


# One interpreter started with the console's encoding imports every module of the
# program once (EVERY_MODULE), then forks a process for each run (one after the
# other, FORKING): the child reads nothing, writes its standard output and error to
# files of its own, works in the run's folder and calls the entry point as `python -m
# referral_cli ARGS` does, exiting as that would. Its streams are the interpreter's,
# made at its start for that encoding, so each run meets the console a new process
# meets, without starting Python and importing Typer, Rich and the program again
# (half the CPU of the 44 runs). What start-up itself does is tested by the real runs
# of the other tests here and in test_cli.py.
EVERY_MODULE = textwrap.dedent(
    """
    import importlib, pkgutil
    import referral_cli
    for module in pkgutil.walk_packages(referral_cli.__path__, "referral_cli."):
        if module.name != "referral_cli.__main__":
            importlib.import_module(module.name)
    """
)
FORKING = textwrap.dedent(
    """
    import json, os, sys
    from referral_cli.cli import main
    runs = json.loads(sys.argv[1])
    codes = []
    for args, cwd, out, err in runs:
        pid = os.fork()
        if pid == 0:
            os.chdir(cwd)
            for fd, path in ((1, out), (2, err)):
                os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
            sys.argv = ["referral", *args]
            main()
            sys.exit(0)
        codes.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
    print(json.dumps(codes))
    """
)


def _forked(
    runs: list[tuple[list[str], Path]], env: dict[str, str], tmp: Path, before: str
) -> list[subprocess.CompletedProcess[bytes]]:
    """``referral ARGS`` for each run, in a process of its own forked as FORKING says
    from an interpreter that ran ``before`` first."""
    files = [(tmp / f"out-{i}", tmp / f"err-{i}") for i in range(len(runs))]
    todo = [
        [args, str(cwd), str(out), str(err)]
        for (args, cwd), (out, err) in zip(runs, files, strict=True)
    ]
    server = subprocess.run(
        [sys.executable, "-c", before + FORKING, json.dumps(todo)],
        env=env,
        cwd=tmp,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=300,
    )
    assert server.returncode == 0, server.stderr
    codes = json.loads(server.stdout)
    return [
        subprocess.CompletedProcess(args, code, out.read_bytes(), err.read_bytes())
        for (args, _), code, (out, err) in zip(runs, codes, files, strict=True)
    ]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="runs each command in a forked process")
@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_every_command_and_format_finishes_on_a_console_that_is_not_utf8(
    tmp_path: Path, encoding: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a Windows pipe or redirect (the ANSI code page) or an old terminal
    (ASCII) has it: every run exits 0 with its whole output, the machine formats
    in UTF-8; before, JSON stopped half-way with "unexpected UnicodeEncodeError"."""
    data = str(_directory(tmp_path))
    env = _env(tmp_path, PYTHONIOENCODING=encoding)
    cases = _cases(["--data", data])

    folders = [tmp_path / f"run-{i}" for i in range(len(cases))]
    for cwd in folders:
        cwd.mkdir()
    asked = [(args, cwd) for (args, _), cwd in zip(cases, folders, strict=True)]
    done = _forked(asked, env, tmp_path, EVERY_MODULE)
    runs = [(args, proc, cwd) for (args, _), proc, cwd in zip(cases, done, folders, strict=True)]
    for (args, proc, cwd), (_, check) in zip(runs, cases, strict=True):
        assert proc.returncode == 0, (args, proc.stderr)
        assert b"unexpected" not in proc.stderr and b"Traceback" not in proc.stderr, args
        monkeypatch.chdir(cwd)  # the checks read the files it wrote there; undone after the test
        assert check(proc.stdout), (args, proc.stdout[:300])


# The interpreter of a system without the POSIX-only calls the program once made
# unguarded (Windows has none of them; its os.stat gives no owner either).
WITHOUT_POSIX_CALLS = textwrap.dedent(
    """
    import os, signal
    for name in ("geteuid", "getuid", "fchmod", "O_DIRECTORY", "O_NOFOLLOW", "O_TMPFILE",
                 "sched_getaffinity"):
        if hasattr(os, name):
            delattr(os, name)
    if hasattr(signal, "SIGHUP"):
        delattr(signal, "SIGHUP")
    """
)


def test_every_command_runs_without_the_posix_only_calls(tmp_path: Path) -> None:
    """Without os.geteuid, os.fchmod, os.O_DIRECTORY (and O_TMPFILE, O_NOFOLLOW,
    sched_getaffinity, SIGHUP), every command that opens the cache or writes a
    file works; the index is built once and then used, and a written file gets
    the mode of a plain write (set by name when it cannot be set by the file)."""
    data = str(_directory(tmp_path))
    env = _env(tmp_path)
    d = ["--data", data]
    cold = _run(["find", "counseling near Fresno", *d, "--format", "json"], env, tmp_path)
    assert cold.returncode == 0, cold.stderr
    database = tmp_path / "cache" / "index" / "directory.sqlite3"
    before = database.stat().st_ino
    old = os.umask(0o022)
    try:
        runs = [
            ["find", "counseling near Fresno", *d, "--format", "json"],
            ["find", "counseling near Fresno", *d],
            ["show", "tu-van", *d],
            ["slip", "tu-van", *d, "-o", "slip.txt"],
            ["slip", "tu-van", *d, "-o", "slip.pdf"],
            ["coverage", *d, "--format", "csv", "-o", "coverage.csv"],
            ["validate", data],
            ["export-hsds", *d, "-o", "hsds"],
            ["config", "set", "home", "Fresno, CA"],
        ]
        if hasattr(os, "fork"):
            # forked from one such interpreter (which imports only the entry point:
            # its children import what their command uses, as each process would)
            asked = [(args, tmp_path) for args in runs]
            done = _forked(asked, env, tmp_path, WITHOUT_POSIX_CALLS)
        else:  # Windows, which has none of the calls: a process of its own each
            done = [_run(args, env, tmp_path) for args in runs]
    finally:
        os.umask(old)
    for args, proc in zip(runs, done, strict=True):
        assert proc.returncode == 0, (args, proc.stderr)
        assert b"unexpected" not in proc.stderr, args
    assert done[0].stdout == cold.stdout
    assert database.stat().st_ino == before  # the index of the first run, used again
    if os.name == "posix":  # elsewhere a mode only says whether a file is read-only
        assert (tmp_path / "slip.txt").stat().st_mode & 0o777 == 0o644
    assert NAME in (tmp_path / "slip.txt").read_text("utf-8")
    assert (tmp_path / "slip.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "hsds" / "datapackage.json").exists()
    assert "Fresno" in (tmp_path / "config.toml").read_text("utf-8")


# The program with its parsing pool started by spawn, as on Windows and macOS,
# and made to use it for a small directory; it reports how its workers started.
SPAWNED = textwrap.dedent(
    """
    import atexit, sys
    from concurrent.futures import ProcessPoolExecutor
    from referral_cli.index import parsing
    parsing.START_METHOD = "spawn"
    parsing.PARALLEL_MIN_BYTES = 0
    parsing.PIECE_BYTES = 1000
    parsing._workers = lambda: 2
    started = []
    submit = ProcessPoolExecutor.submit
    def counted(self, *args, **kwargs):
        started.append(self._mp_context.get_start_method())
        return submit(self, *args, **kwargs)
    ProcessPoolExecutor.submit = counted
    atexit.register(lambda: print("pool:", len(started), sorted(set(started)), file=sys.stderr))
    from referral_cli.cli import main
    sys.argv = ["referral", *sys.argv[1:]]
    main()
    """
)


def test_the_parsing_pool_gives_the_same_answers_when_its_workers_are_spawned(
    tmp_path: Path,
) -> None:
    """Without fork (Windows; macOS by default) the workers are new interpreters
    that import what they parse with: a folder with a large file in pieces, small
    files and a broken one gives the same answers and messages as one process."""
    folder = tmp_path / "dir"
    many = [
        provider_yaml(id=f"p-{i}", name=f"Shelter {i}", lat=36.7 + i / 100, lon=-119.8)
        for i in range(30)
    ]
    write(folder / "big.yaml", directory_yaml(*many))
    write(folder / "small.yaml", directory_yaml(provider_yaml(id="tu-van", name=f'"{NAME}"')))
    write(folder / "broken.yaml", "providers:\n  - id: [\n")
    env = _env(tmp_path, REFERRAL_NO_CACHE="1")
    for args in (
        ["find", "shelter near Fresno", "--data", str(folder), "--format", "json", "-n", "40"],
        ["validate", str(folder), "--format", "json"],
    ):
        alone = _run(args, env, tmp_path)
        spawned = _run(args, env, tmp_path, SPAWNED)
        assert spawned.returncode == alone.returncode, spawned.stderr
        assert spawned.stdout == alone.stdout
        pool = spawned.stderr.decode().splitlines()[-1]
        assert pool.startswith("pool: ") and pool.endswith("['spawn']"), spawned.stderr
        assert int(pool.split()[1]) >= 3  # the pieces of the big file and the small ones
        assert spawned.stderr.decode().replace(pool, "").strip() == alone.stderr.decode().strip()


def test_files_for_notepad_and_excel_get_the_platforms_line_endings(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A text or Markdown slip and a CSV or Markdown report end their lines as
    the platform does (CRLF on Windows, as standard output writes there);
    HTML and JSON are left as they are."""
    data = str(_directory(tmp_path))
    d = ["--data", data]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "linesep", "\n")
    invoke(runner, "slip", "tu-van", *d, "-o", "unix.txt")
    assert b"\r" not in Path("unix.txt").read_bytes()
    monkeypatch.setattr(os, "linesep", "\r\n")
    written = {
        "slip.txt": ("slip", "tu-van", *d, "-o", "slip.txt"),
        "slip.md": ("slip", "tu-van", *d, "-o", "slip.md"),
        "coverage.csv": ("coverage", *d, "--format", "csv", "-o", "coverage.csv"),
        "coverage.md": ("coverage", *d, "--format", "markdown", "-o", "coverage.md"),
        "coverage.txt": ("coverage", *d, "-o", "coverage.txt"),
    }
    for name, args in written.items():
        assert invoke(runner, *args).exit_code == 0, name
        body = Path(name).read_bytes()
        assert body.count(b"\n") > 3 and body.count(b"\n") == body.count(b"\r\n"), name
    assert NAME in Path("slip.txt").read_bytes().decode("utf-8")
    invoke(runner, "coverage", *d, "--format", "html", "-o", "coverage.html")
    assert b"\r\n" not in Path("coverage.html").read_bytes()


def test_a_csv_for_excel_starts_with_a_byte_order_mark_only_when_asked(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = str(_directory(tmp_path))
    d = ["--data", data]
    monkeypatch.chdir(tmp_path)
    plain = invoke(runner, "find", "counseling near Fresno", *d, "--format", "csv")
    marked = invoke(runner, "find", "counseling near Fresno", *d, "--format", "csv", "--bom")
    assert not plain.stdout.startswith("\ufeff")
    assert marked.stdout == "\ufeff" + plain.stdout
    batch = write(tmp_path / "q.txt", "counseling near Fresno\nshelter near Fresno\n")
    rows = invoke(runner, "find", "--batch", str(batch), *d, "--format", "csv", "--bom").stdout
    assert rows.startswith("\ufeffline,") and rows.count("\ufeff") == 1
    invoke(runner, "coverage", *d, "--format", "csv", "--bom", "-o", "c.csv")
    assert Path("c.csv").read_bytes().startswith(b"\xef\xbb\xbfframework,")
    for args in (["find", "x", *d, "--bom"], ["coverage", *d, "--format", "json", "--bom"]):
        refused = invoke(runner, *args)
        assert refused.exit_code == 2 and "--bom goes with --format csv" in refused.stderr


def test_the_hosted_ci_runs_the_readmes_two_commands_on_every_system() -> None:
    """What upstream runs is what the README tells a newcomer to run: its two
    lines (the PowerShell ones on Windows), on Linux, macOS and Windows with
    every Python the package supports."""
    import yaml

    root = Path(__file__).resolve().parents[2]
    job = yaml.safe_load((root / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    test = job["jobs"]["test"]
    runs = [(step.get("if", ""), step["run"]) for step in test["steps"] if "run" in step]
    head = (root / "README.md").read_text("utf-8").split("\n## ")[0]
    assert len(runs) == 4 and all(f"\n{run}\n" in head for _, run in runs)
    assert [cond for cond, run in runs if "Scripts" in run] == ["runner.os == 'Windows'"] * 2
    assert [cond for cond, run in runs if "bin/activate" in run] == ["runner.os != 'Windows'"] * 2
    matrix = test["strategy"]["matrix"]
    assert matrix["os"] == ["ubuntu-latest", "macos-latest", "windows-latest"]
    assert matrix["python"] == ["3.11", "3.12", "3.13"]
    assert 'requires-python = ">=3.11"' in (root / "pyproject.toml").read_text("utf-8")


def test_files_are_named_as_a_windows_user_wrote_them() -> None:
    """Messages name a file relative to the working folder when inside it, else
    as given: with Windows paths too (drive letters, backslashes, any case)."""
    from pathlib import PureWindowsPath as Win

    from referral_cli.directory import _shown

    home = Win("C:\\Users\\Volunteer")
    inside = Win("C:\\Users\\Volunteer\\data\\kern.yaml")
    assert _shown(Win("data\\kern.yaml"), inside, home) == "data\\kern.yaml"  # type: ignore[arg-type]
    assert _shown(inside, inside, Win("c:\\users\\volunteer")) == "data\\kern.yaml"  # type: ignore[arg-type]
    other = Win("D:\\network\\kern.yaml")
    assert _shown(Win("D:/network/kern.yaml"), other, home) == "D:\\network\\kern.yaml"  # type: ignore[arg-type]


def test_github_annotations_name_files_with_slashes_on_windows(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub matches an annotation to a file of the repository by its path
    with '/', which a Windows runner would otherwise print with '\\'."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "kern\\x.yaml", "providers:\n  - id: a\n")  # a Windows path, here a name
    monkeypatch.setattr(os, "sep", "\\")
    out = invoke(runner, "validate", str(tmp_path), "--format", "github").stdout
    assert "file=kern/x.yaml,line=2" in out and "\\" not in out


def test_files_from_notepad_and_windows_names_are_read(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a Windows user hands the program: a batch file or piped queries and
    a settings file with the BOM Notepad may write, a directory file named
    KERN.YML; batch input is UTF-8 whatever the console's code page."""
    data = _directory(tmp_path)
    write(tmp_path / "KERN.YML", directory_yaml(provider_yaml(id="from-kern", lat=35.37)))
    shown = invoke(runner, "show", "from-kern", "--data", str(tmp_path))
    assert shown.exit_code == 0 and "A Shelter" in shown.stdout
    queries = "\ufeffcounseling near Fresno\nconsejería cerca de Fresno\n".encode()
    (tmp_path / "q.txt").write_bytes(queries)
    for source, given in ((str(tmp_path / "q.txt"), None), ("-", queries)):
        result = runner.invoke(
            app,
            ["find", "--batch", source, "--data", str(data)],
            input=given,
            catch_exceptions=False,
        )
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        assert [a["input"] for a in lines] == [
            "counseling near Fresno",
            "consejería cerca de Fresno",
        ]
    monkeypatch.setenv("REFERRAL_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_bytes("\ufeffradius_km = 20.0\n".encode())
    settings = invoke(runner, "config")
    assert settings.exit_code == 0 and "radius_km = 20.0" in settings.stdout
