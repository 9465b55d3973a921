"""Regression tests for the breaks found by trying the tool as an attacker would
(issue 14; ``docs/security.md`` lists which test holds which)."""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path

import pytest
from conftest import directory_yaml, invoke, provider_yaml, write, yaml_of
from typer.testing import CliRunner

from referral_cli import directory
from referral_cli.errors import ReferralError
from referral_cli.geo.place import Origin
from referral_cli.index import database, entries, filing

# ---------------------------------------------------------------- 1. numeric ranges


@pytest.mark.parametrize("value", ["0", "0.05", "nan", "inf", "1e309", "20001"])
def test_radius_setting_out_of_range_is_refused(runner, value) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "config", "set", "radius_km", value)
    assert result.exit_code == 1 and "radius_km' must be from 0.1 to 20000" in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf", "1e308"])
def test_radius_option_out_of_range_is_a_usage_error(runner, tmp_path, value) -> None:  # type: ignore[no-untyped-def]
    data = write(tmp_path / "d.yaml", directory_yaml(provider_yaml()))
    result = invoke(runner, "--data", str(data), "find", "shelter near Fresno", "--radius", value)
    assert result.exit_code == 2 and "--radius must be from 0.1 to 20000" in result.stderr


def test_a_bad_radius_in_the_settings_file_names_the_file(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "config.toml", "radius_km = nan\nstale_days = 0\n")
    monkeypatch.setenv("REFERRAL_CONFIG", str(config))
    data = write(tmp_path / "d.yaml", directory_yaml(provider_yaml()))
    result = invoke(runner, "--data", str(data), "find", "shelter near Fresno")
    assert result.exit_code == 1
    assert f"{config}: setting 'radius_km' must be from 0.1 to 20000, not nan" in result.stderr


@pytest.mark.parametrize("radius", [0.0, -3.0, math.nan, math.inf])
def test_search_refuses_a_radius_that_cannot_widen(radius) -> None:  # type: ignore[no-untyped-def]
    from referral_cli.query.record import Query
    from referral_cli.search.rules import search

    with pytest.raises(ReferralError, match="search radius must be a positive number"):
        search([], Query(), origin=Origin("Fresno", 36.7, -119.8), radius_km=radius)


# ------------------------------------------- 2. messages name a confidential field only

SECRET_PROVIDER = """\
  - id: hidden-house
    name: Hidden House
    services: [temporary-shelter]
    hotline: "+1 559-555-0199"
    confidential: {flag}
    last_verified: 2026-10-01
    address: {{street: 4821, city: Fresno, region: CA, postal_code: 93704, country: US}}
    location: {{lat: 119.771234, lon: 36.746789}}
    email: 4821-hidden-lane
"""
SECRET_VALUES = ("4821", "93704", "119.77", "36.74")


@pytest.mark.parametrize("flag", ["true", "yes please"])
@pytest.mark.parametrize(
    "command",
    [
        ("validate",),
        ("validate", "--format", "json"),
        ("validate", "--format", "github"),
        ("find", "shelter near Fresno"),
        ("show", "hidden-house"),
        ("coverage",),
    ],
)
def test_messages_about_a_confidential_provider_never_echo_its_values(
    runner, tmp_path, flag, command
) -> None:  # type: ignore[no-untyped-def]
    data = write(tmp_path / "d.yaml", directory_yaml(SECRET_PROVIDER.format(flag=flag)))
    result = invoke(runner, "--data", str(data), *command)
    assert result.exit_code == 1
    assert "address.postal_code' must be text" in result.stdout + result.stderr
    for value in SECRET_VALUES:
        assert value not in result.stdout + result.stderr, (value, result.stderr)


def test_messages_about_a_public_provider_still_quote_the_value(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = write(tmp_path / "d.yaml", directory_yaml(SECRET_PROVIDER.format(flag="false")))
    result = invoke(runner, "--data", str(data), "validate")
    assert 'quote it ("93704")' in result.stdout and "is 119.771234;" in result.stdout


# ------------------------------------- 4, 6. the cache: private, and verified when read


def _cache() -> Path:
    return Path(os.environ["REFERRAL_CACHE_DIR"])


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mode & 0o777 for p in root.rglob("*")}


def test_cache_folders_are_0700_and_files_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = write(tmp_path / "d.yaml", directory_yaml(provider_yaml()))
    data.chmod(0o600)
    old = os.umask(0o022)
    try:
        monkeypatch.setenv("REFERRAL_CACHE_DIR", str(tmp_path / "new" / "cache"))
        directory.load(data)
        assert _cache().stat().st_mode & 0o777 == 0o700  # made by the command: private too
        monkeypatch.setenv("REFERRAL_CACHE_DIR", str(tmp_path / "old"))
        (_cache() / "index").mkdir(parents=True, mode=0o755)  # as older versions left it
        directory.load(data)
    finally:
        os.umask(old)
    modes = _modes(_cache())
    assert any(name.endswith(database.DATABASE) for name in modes)
    for name, mode in modes.items():
        expected = 0o700 if (_cache() / name).is_dir() else 0o600
        assert mode == expected, (name, oct(mode))


def _forge_entry(data: Path) -> Path:
    """Replace the index's entry of ``data`` by one for other providers, written the
    way the program writes it: what a planted entry looks like."""
    from referral_cli.index import parsing

    directory.load(data)
    forged, _ = parsing.parse_bytes(
        directory_yaml(provider_yaml(id="planted", name="Planted Shelter")).encode(), str(data)
    )
    source = data.resolve()
    db = database.connect()
    filing.store(db, source, str(data), entries.stat_key(source.stat()), forged, [])
    db.close()
    return _cache() / "index" / database.DATABASE


def test_an_entry_anybody_else_could_have_written_is_never_served(tmp_path: Path) -> None:
    data = write(tmp_path / "d.yaml", directory_yaml(provider_yaml(name="Real Shelter")))
    entry = _forge_entry(data)
    assert [p.name for p in directory.load(data).providers] == ["Planted Shelter"]  # the forgery
    entry = _forge_entry(data)
    entry.chmod(0o644)
    assert [p.name for p in directory.load(data).providers] == ["Real Shelter"]
    if os.geteuid() == 0:  # a private file of another user's
        entry = _forge_entry(data)
        os.chown(entry, 4242, -1)
        assert [p.name for p in directory.load(data).providers] == ["Real Shelter"]


def test_a_cache_folder_of_another_user_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.geteuid() != 0:
        pytest.skip("making a folder of another user's needs root")
    data = write(tmp_path / "d.yaml", directory_yaml(provider_yaml(name="Real Shelter")))
    theirs = _cache() / "index"
    theirs.mkdir(parents=True)
    os.chown(theirs, 4242, -1)
    assert [p.name for p in directory.load(data).providers] == ["Real Shelter"]
    assert list(theirs.iterdir()) == []


ADULT_SHELTER = """\
  - id: adults-only
    name: Adults Only Shelter
    services: [temporary-shelter]
    eligibility: {ages: [18, null]}
    phone: "+1 559-555-0100"
    last_verified: 2026-10-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    location: {lat: 36.7378, lon: -119.7871}
"""


def test_a_planted_taxonomy_copy_is_never_trusted(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy in the cache saying 'minors' are 18 and over would send a child to an
    adults-only shelter; one that is empty would break every command."""
    import marshal

    from referral_cli import taxonomy

    data = write(tmp_path / "d.yaml", directory_yaml(ADULT_SHELTER))
    text, digest = taxonomy.source()
    raw = yaml_of(text)
    raw["populations"]["minors"]["ages"] = [18, None]
    cache = tmp_path / "cache"
    monkeypatch.setenv("REFERRAL_CACHE_DIR", str(cache))
    query = ("--data", str(data), "find", "shelter for minors near Fresno", "--format", "json")

    def found() -> list[object]:
        taxonomy.load.cache_clear()  # as in a new process: the copy is read again
        try:
            result = invoke(runner, *query)
        finally:
            taxonomy.load.cache_clear()
        assert result.exit_code == 0, result.stderr
        return list(json.loads(result.stdout)["results"])

    for planted in (marshal.dumps(raw), marshal.dumps({}), b""):
        for copy in (
            cache / f"taxonomy-{digest}.marshal",  # where older versions kept it
            cache / "taxonomy" / f"{digest}.marshal",
        ):
            copy.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            copy.write_bytes(planted)
            copy.chmod(0o600)
        assert found() == [], planted[:20]
    assert found() == []  # from the sealed copy the command wrote


# ---------------------------------------------------------- 10, 11. safe output writes

SLIP = ("--data", str(directory.sample_path()), "slip", "valley-youth-safe-house", "--output")


def test_a_slip_never_replaces_a_pipe_or_a_device(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "slip.txt"
    os.mkfifo(fifo)
    result = invoke(runner, *SLIP, str(fifo), "--force")
    assert result.exit_code == 1 and "is not a regular file" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    link = tmp_path / "null.txt"
    link.symlink_to(os.devnull)
    result = invoke(runner, *SLIP, str(link), "--force")
    assert result.exit_code == 1 and "is not a regular file" in result.stderr
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


def test_a_dangling_link_is_replaced_only_with_force(runner: CliRunner, tmp_path: Path) -> None:
    link = tmp_path / "slip.txt"
    link.symlink_to(tmp_path / "missing.txt")
    result = invoke(runner, *SLIP, str(link))
    assert result.exit_code == 1 and "link to a missing file; pass --force" in result.stderr
    assert link.is_symlink()
    assert invoke(runner, *SLIP, str(link), "--force").exit_code == 0
    assert "Valley Youth Safe House" in link.read_text("utf-8")


def test_no_named_file_holds_the_slip_until_it_is_complete(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kill during the write (SIGKILL cannot be caught) must leave no copy behind:
    until the data is written and synced, no file in the folder holds any of it."""
    seen: list[list[str]] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    assert invoke(runner, *SLIP, str(tmp_path / "slip.txt")).exit_code == 0
    assert seen and all(names == [] for names in seen)
    assert [p.name for p in tmp_path.iterdir()] == ["slip.txt"]


def test_a_full_disk_is_one_line_and_leaves_nothing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    result = invoke(runner, *SLIP, str(tmp_path / "slip.txt"))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("slip.txt: No space left on device")
    assert "unexpected" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_an_import_report_cannot_be_the_output(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.yaml"
    source = Path(__file__).parents[1] / "fixtures" / "ohana-smc-sample"
    result = invoke(runner, "import-hsds", str(source), "-o", str(out), "--report", str(out))
    assert result.exit_code == 2 and "is the --output file" in result.stderr
    assert not out.exists()


# ------------------------------------------- 5, 12. stderr is cleaned like stdout

TERMINAL_ATTACK = "\x1b]0;pwned-title\x07\x07\x1b[2J\x1b[H\u202e\u061c\x9b2J"


@pytest.mark.parametrize(
    "command",
    [
        ("find", "shelter near Fresno"),
        ("show", "a-shelter"),
        ("slip", "a-shelter"),
        ("coverage",),
        ("validate",),
        ("validate", "--format", "github"),
    ],
)
def test_data_error_lines_and_file_names_reach_no_terminal_raw(runner, tmp_path, command) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "dir"
    write(folder / "good.yaml", directory_yaml(provider_yaml()))
    escaped = TERMINAL_ATTACK.encode("unicode_escape").decode().replace("\\x1b", "\\e")
    bad = provider_yaml(id="b-shelter", services=f'"sheltr{escaped}"')
    write(folder / f"bad{TERMINAL_ATTACK}.yaml", directory_yaml(bad))
    result = invoke(runner, "--data", str(folder), *command)
    both = result.stdout + result.stderr
    if command[0] == "validate":
        assert result.exit_code == 1
        assert "unknown service type 'sheltr" in both
    else:  # a serving command serves the valid provider and names the file left out
        assert result.exit_code == 0, both
        assert "left out" in result.stderr
    assert "bad" in both
    for code in ("\x1b", "\x07", "\x9b", "\u202e", "\u061c", "pwned-title"):
        assert code not in both, (code, both)


# ---------------------------- 7, 10, 12. what is read: regular files, whole, all of them


def _find_names(runner: CliRunner, data: Path) -> tuple[int, list[str], str]:
    result = invoke(runner, "--data", str(data), "find", "shelter", "--format", "json")
    names = [r["name"] for r in json.loads(result.stdout)["results"]] if result.stdout else []
    return result.exit_code, names, result.stderr


def test_pipes_devices_and_link_loops_are_refused_not_read(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "dir"
    write(folder / "a.yaml", directory_yaml(provider_yaml()))
    os.mkfifo(folder / "pipe.yaml")  # reading it would wait forever
    (folder / "zero.yaml").symlink_to("/dev/zero")  # reading it would fill the memory
    (folder / "loop.yaml").symlink_to("loop.yaml")
    result = invoke(runner, "--data", str(folder), "validate")
    assert result.exit_code == 1
    both = result.stdout + result.stderr
    assert "pipe.yaml:1:1: error: not a regular file" in both
    assert "zero.yaml:1:1: error: not a regular file" in both
    assert "loop.yaml:1:1: error: cannot read file: Too many levels of symbolic links" in both
    assert "unexpected" not in both
    served = invoke(runner, "--data", str(folder), "find", "shelter", "-f", "json")
    assert served.exit_code == 0, served.stderr  # the regular file is served, the rest named
    assert [r["id"] for r in json.loads(served.stdout)["results"]] == ["a-shelter"]
    for name in ("pipe.yaml", "zero.yaml", "loop.yaml"):
        assert name in served.stderr
    assert "left out whole" in served.stderr and "unexpected" not in served.stderr


@pytest.mark.parametrize("given", ["/dev/zero", "loop"])
def test_a_device_or_a_link_loop_given_as_the_directory_is_one_line(
    runner, tmp_path, monkeypatch, given
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    monkeypatch.setenv("REFERRAL_DATA", given if given.startswith("/") else str(tmp_path / given))
    result = invoke(runner, "find", "shelter")
    assert result.exit_code == 1 and "unexpected" not in result.stderr
    assert ("not a regular file" if given == "/dev/zero" else "Too many levels") in result.stderr


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    runner, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    data = write(tmp_path / "d.yaml", directory_yaml(provider_yaml()))
    monkeypatch.setattr(entries, "MAX_BYTES", 100)
    code, names, stderr = _find_names(runner, data)
    assert code == 1 and "d.yaml:1:1: error: file is" in stderr
    assert "split the directory into several files" in stderr


def test_an_unreadable_subfolder_is_an_error_not_silence(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "dir"
    write(folder / "a.yaml", directory_yaml(provider_yaml()))
    hidden = folder / "county"
    write(hidden / "b.yaml", directory_yaml(provider_yaml(id="b-shelter", name="B Shelter")))
    if os.geteuid() == 0:  # root reads every folder: refuse this one the way the kernel would
        real = os.scandir

        def scandir(path):  # type: ignore[no-untyped-def]
            if Path(path) == hidden:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
    else:
        hidden.chmod(0)
    try:
        result = invoke(runner, "--data", str(folder), "validate")
        assert result.exit_code == 1
        assert "county:1:1: error: cannot read folder: Permission denied" in (
            result.stdout + result.stderr
        )
        served = invoke(runner, "--data", str(folder), "find", "shelter")
        assert served.exit_code == 0  # what can be read is served; the folder is named
        said = served.stderr.replace("\n", "")  # a long temporary path wraps
        assert "county" in said and "left out whole" in said
    finally:
        hidden.chmod(0o755)


def _rewritten_while_read(
    monkeypatch: pytest.MonkeyPatch, path: Path, complete: str, times: int
) -> None:
    """The file is rewritten (as an editor saving in place does) right after each
    of the first ``times`` reads of it."""
    real = os.fstat
    calls = [0]

    def fstat(fd: int) -> os.stat_result:
        calls[0] += 1
        if calls[0] % 2 == 0 and calls[0] <= 2 * times:  # the check after a read
            path.write_text(complete + "\n" * calls[0], "utf-8")
        return real(fd)

    monkeypatch.setattr(os, "fstat", fstat)


def test_a_file_rewritten_while_read_is_read_again(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    complete = directory_yaml(
        provider_yaml(), provider_yaml(id="b-shelter", name="B Shelter", lat=36.74)
    )
    data = write(tmp_path / "d.yaml", complete[: len(complete) // 2 - 40])  # half written
    monkeypatch.setenv("REFERRAL_NO_CACHE", "1")
    _rewritten_while_read(monkeypatch, data, complete, times=1)
    code, names, stderr = _find_names(runner, data)
    assert (code, sorted(names)) == (0, ["A Shelter", "B Shelter"]), stderr


def test_a_file_that_keeps_changing_is_refused_not_half_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from referral_cli.index import parsing

    complete = directory_yaml(provider_yaml())
    data = write(tmp_path / "d.yaml", complete)
    _rewritten_while_read(monkeypatch, data, complete, times=3)
    providers, diagnostics = parsing.read_and_parse(data, "d.yaml")
    assert providers == []
    assert [str(d) for d in diagnostics] == [
        "d.yaml:1:1: error: the file kept changing while it was read; run the command again"
    ]


# ------------------------------------------------ 8. duplicate detection stays linear


def _crowd(tmp_path: Path, count: int, name_chars: int) -> Path:
    """``count`` providers on one point with distinct names, two of them alike,
    and one name of ``name_chars`` characters."""
    import hashlib

    def word(i: int) -> str:  # 14 letters, unlike any other's
        digest = hashlib.blake2b(str(i).encode(), digest_size=14).digest()
        return "".join(chr(97 + b % 26) for b in digest)

    rows = [provider_yaml(id=f"p-{i:05d}", name=word(i).title()) for i in range(count)]
    rows.append(provider_yaml(id="sunrise-a", name="Sunrise Family Shelter"))
    rows.append(provider_yaml(id="sunrise-b", name="Sunrise Family Shelter Inc"))
    rows.append(provider_yaml(id="long-name", name="x" * name_chars))
    return write(tmp_path / "crowd.yaml", directory_yaml(*rows))


def test_duplicate_detection_is_bounded_and_still_finds_duplicates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted, not timed: the characters of each name compared and the names each
    provider is compared with (a 1 MB name took 25 s, a crowd grew as its square)."""
    from rapidfuzz import process

    from referral_cli.format.validate import DUPLICATE_CANDIDATES, DUPLICATE_NAME_CHARS

    data = _crowd(tmp_path, 600, 200_000)
    compared: list[tuple[int, int, int]] = []
    real = process.extract

    def extract(query, choices, **kwargs):  # type: ignore[no-untyped-def]
        choices = list(choices)
        compared.append((len(query), len(choices), max(map(len, choices), default=0)))
        return real(query, choices, **kwargs)

    monkeypatch.setattr(process, "extract", extract)
    loaded = directory.load(data, warnings=True, use_cache=False)
    assert len(compared) == 603
    assert max(max(q, longest) for q, _, longest in compared) <= DUPLICATE_NAME_CHARS
    assert max(n for _, n, _ in compared) <= 2 * DUPLICATE_CANDIDATES + 1
    found = [d.message for d in loaded.diagnostics if d.code == "duplicate"]
    assert len(found) == 1 and found[0].startswith("'sunrise-b' may duplicate 'sunrise-a' (")


# ------------------------------------------ 10. helpful lines instead of "this is a bug"


def _one_clean_line(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if "error" in line]
    assert len(lines) == 1 and "unexpected" not in result.stderr and "bug" not in result.stderr
    return lines[0]


def test_deeply_nested_settings_are_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path / "config.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")
    monkeypatch.setenv("REFERRAL_CONFIG", str(config))
    line = _one_clean_line(invoke(runner, "find", "shelter"))
    assert f"{config}: cannot read settings (nested too deeply)" in line


def _hsds_copy(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "hsds"
    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "ohana-smc-sample", folder)
    return folder


def test_a_zip_with_a_bad_crc_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    import zipfile

    folder = _hsds_copy(tmp_path)
    archive = tmp_path / "hsds.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for table in sorted(folder.iterdir()):
            zf.write(table, table.name)
    damaged = bytearray(archive.read_bytes())
    damaged[damaged.index(b"services.csv") + 100] ^= 0x20  # a flipped bit in its data
    archive.write_bytes(bytes(damaged))
    result = invoke(runner, "import-hsds", str(archive), "-o", str(tmp_path / "out.yaml"))
    assert "is damaged in the zip (Bad CRC-32 for file" in _one_clean_line(result)
    assert not (tmp_path / "out.yaml").exists()


def test_a_csv_field_over_16_mib_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    folder = _hsds_copy(tmp_path)
    with (folder / "organizations.csv").open("a", encoding="utf-8") as fh:
        fh.write('x,"' + "a" * (16 * 1024 * 1024 + 10) + '"\n')
    result = invoke(runner, "import-hsds", str(folder), "-o", str(tmp_path / "out.yaml"))
    assert "organizations.csv is not a readable CSV table (field larger than field limit" in (
        _one_clean_line(result)
    )


# ------------------------------------------------------------ 13. the supported size


def test_a_directory_beyond_the_supported_size_is_said(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(directory, "SUPPORTED_PROVIDERS", 1)
    data = write(
        tmp_path / "d.yaml",
        directory_yaml(provider_yaml(), provider_yaml(id="b-shelter", name="B Shelter")),
    )
    found = invoke(runner, "--data", str(data), "find", "shelter")
    assert found.exit_code == 0
    assert "warning: 2 providers is more than the 1 this tool is built and tested for" in (
        found.stderr
    )
    checked = invoke(runner, "validate", str(data))
    assert checked.exit_code == 0
    assert ":1:1: warning: 2 providers is more than the 1 this tool" in checked.stdout


@pytest.mark.parametrize("target", ["fifo", "/dev/zero"])
def test_a_settings_file_or_import_source_that_is_no_file_is_one_line(
    runner, tmp_path, monkeypatch, target
) -> None:  # type: ignore[no-untyped-def]
    node = tmp_path / "node.json"
    if target == "fifo":
        os.mkfifo(node)
    else:
        node.symlink_to(target)
    imported = invoke(runner, "import-hsds", str(node), "-o", str(tmp_path / "out.yaml"))
    assert "node.json: not a regular file, folder or zip" in _one_clean_line(imported)
    monkeypatch.setenv("REFERRAL_CONFIG", str(node))
    found = invoke(runner, "find", "shelter")
    assert "the settings file is not a regular file" in _one_clean_line(found)
