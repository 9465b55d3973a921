"""A directory with errors keeps serving: every valid provider, and a note on what
was left out (issue 13). ``validate`` and ``--strict-data`` stay strict."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from referral_cli import directory
from tests.conftest import directory_yaml, invoke, provider_yaml, write

GOOD = provider_yaml(id="good-shelter", name="Good Shelter")
# Each kind of error a maintainer makes, in a provider of its own.
BROKEN = {
    "bad service key": provider_yaml(id="broken", name="Broken", services="family-suport"),
    "bad type": provider_yaml(id="broken", name="Broken").replace(
        "last_verified: 2026-10-01", "last_verified: last week"
    ),
    "spelled-out services": provider_yaml(
        id="broken", name="Broken", services="medical, counselling"
    ),
}


def _folder(tmp_path: Path, broken: str) -> Path:
    folder = tmp_path / "d"
    write(folder / "fresno.yaml", directory_yaml(GOOD, broken))
    return folder


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_find_serves_the_valid_providers_and_says_what_was_left_out(runner, tmp_path, kind) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(tmp_path, BROKEN[kind])
    result = invoke(runner, "find", "shelter near Fresno", "--data", str(folder), "-f", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [r["id"] for r in doc["results"]] == ["good-shelter"]
    note = f"1 provider left out because of errors in {folder / 'fresno.yaml'} (line 9)"
    assert any(n.startswith(note) and "run 'referral validate'" in n for n in doc["notes"])
    assert result.stderr.count("left out") == 1  # one line, not repeated


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_show_and_slip_give_the_reason_for_a_left_out_id(runner, tmp_path, kind) -> None:  # type: ignore[no-untyped-def]
    folder = _folder(tmp_path, BROKEN[kind])
    for command in ("show", "slip"):
        result = invoke(runner, command, "broken", "--data", str(folder))
        assert result.exit_code == 1
        assert (
            f"provider 'broken' is left out because of errors in {folder / 'fresno.yaml'} (line 9)"
            in result.stderr
        )
        assert "no provider with id" not in result.stderr
        served = invoke(runner, command, "good-shelter", "--data", str(folder))
        assert served.exit_code == 0 and "Good Shelter" in served.stdout
        assert "1 provider left out" in served.stderr


def test_validate_stays_strict(runner: CliRunner, tmp_path: Path) -> None:
    folder = _folder(tmp_path, BROKEN["bad service key"])
    result = invoke(runner, "validate", str(folder))
    assert result.exit_code == 1 and "family-suport" in result.stdout


def test_strict_data_and_its_config_key_restore_refusing(runner: CliRunner, tmp_path: Path) -> None:
    folder = _folder(tmp_path, BROKEN["bad service key"])
    flag = invoke(runner, "--strict-data", "find", "shelter", "--data", str(folder))
    assert flag.exit_code == 1 and "the directory has 1 error(s)" in flag.stderr
    assert flag.stdout == ""
    assert invoke(runner, "config", "set", "strict_data", "true").exit_code == 0
    configured = invoke(runner, "show", "good-shelter", "--data", str(folder))
    assert configured.exit_code == 1 and "family-suport" in configured.stderr


def test_a_directory_with_nothing_valid_still_refuses(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    write(folder / "a.yaml", 'providers:\n  - id: x\n    name: "unclosed\n')
    result = invoke(runner, "find", "shelter", "--data", str(folder))
    assert result.exit_code == 1 and "YAML syntax" in result.stderr


def test_a_duplicate_id_is_served_once_and_the_copy_left_out(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "d"
    write(folder / "a.yaml", directory_yaml(GOOD))
    copy = provider_yaml(id="good-shelter", name="Another Shelter")
    write(folder / "b.yaml", directory_yaml(provider_yaml(id="other", name="Other"), copy))
    result = invoke(runner, "find", "shelter", "--data", str(folder), "-f", "json")
    doc = json.loads(result.stdout)
    assert sorted(r["name"] for r in doc["results"]) == ["Good Shelter", "Other"]
    assert any(f"in {folder / 'b.yaml'} (line 9)" in n for n in doc["notes"])
    shown = invoke(runner, "show", "good-shelter", "--data", str(folder), "-f", "json")
    assert json.loads(shown.stdout)["name"] == "Good Shelter"


def _several_files(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    write(folder / "fresno.yaml", directory_yaml(GOOD))
    write(
        folder / "kern.yaml",
        directory_yaml(provider_yaml(id="kern-clinic", name="Kern Clinic", services="medical"))
        + '  - id: kern-other\n    name: "unclosed\n',
    )
    return folder


def test_an_unparsable_file_is_left_out_whole_and_its_ids_are_explained(
    runner: CliRunner, tmp_path: Path
) -> None:
    folder = _several_files(tmp_path)
    kern = folder / "kern.yaml"
    result = invoke(runner, "find", "shelter near Fresno", "--data", str(folder), "-f", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert [r["id"] for r in doc["results"]] == ["good-shelter"]
    assert any(f"{kern} (line" in n and "left out whole" in n for n in doc["notes"])
    for command in ("show", "slip"):
        why = invoke(runner, command, "kern-clinic", "--data", str(folder))
        assert why.exit_code == 1
        assert f"provider 'kern-clinic' is in {kern}, which is left out whole" in why.stderr
    unknown = invoke(runner, "show", "nowhere", "--data", str(folder))
    assert "no provider with id 'nowhere'" in unknown.stderr
    assert "some providers are left out" in unknown.stderr


def test_coverage_export_and_locate_serve_and_say_so(runner: CliRunner, tmp_path: Path) -> None:
    folder = _several_files(tmp_path)
    cov = invoke(runner, "coverage", "--data", str(folder), "-f", "json")
    assert cov.exit_code == 0
    doc = json.loads(cov.stdout)
    assert any("left out whole" in n for n in doc["notes"])
    assert sum(p["providers"]["total"] for p in doc["places"]) == 1
    out = tmp_path / "hsds"
    exported = invoke(runner, "export-hsds", "--output", str(out), "--data", str(folder))
    assert exported.exit_code == 0 and "left out whole" in exported.stderr
    assert "exported 1 providers" in exported.stderr
    located = invoke(runner, "locate", "Fresno", "--data", str(folder), "-f", "json")
    assert located.exit_code == 0
    assert any("left out whole" in n for n in json.loads(located.stdout)["notes"])


def _touch_later(path: Path, text: str) -> None:
    """Rewrite a file so that its size or time surely differs from the indexed one."""
    before = path.stat().st_mtime_ns
    path.write_text(text, "utf-8")
    os.utime(path, ns=(before + 5_000_000_000, before + 5_000_000_000))


def test_the_index_serves_the_partial_result_and_notices_a_fix(tmp_path: Path) -> None:
    folder = _several_files(tmp_path)
    first = directory.load(folder)
    again = directory.load(folder)  # from the index
    assert [p.id for p in again.providers] == [p.id for p in first.providers] == ["good-shelter"]
    assert again.left_out == first.left_out and again.left_out[0].whole is not None
    kern = folder / "kern.yaml"
    fixed_text = directory_yaml(
        provider_yaml(id="kern-clinic", name="Kern Clinic", services="medical"),
        provider_yaml(id="kern-other", name="Kern Other"),
    )
    _touch_later(kern, fixed_text)
    fixed = directory.load(folder)
    assert fixed.left_out == []
    assert {p.id for p in fixed.providers} == {"good-shelter", "kern-clinic", "kern-other"}
    _touch_later(kern, fixed_text.replace("[medical]", "[medical-kare]"))
    broken = directory.load(folder)
    assert {p.id for p in broken.providers} == {"good-shelter", "kern-other"}
    assert [(part.path, part.providers) for part in broken.left_out] == [
        (str(kern), ((2, "kern-clinic"),))
    ]


def _thousand(folder: Path) -> None:
    rows = []
    for i in range(1000):
        services = "family-suport" if i == 500 else "temporary-shelter"
        lat = 36.70 + (i % 40) * 0.002
        rows.append(
            provider_yaml(id=f"p-{i:04d}", name=f"Provider {i}", services=services, lat=lat)
        )
    write(folder / "big.yaml", directory_yaml(*rows))
    write(folder / "zz-broken.yaml", "providers:\n  - id: lost\n    name: [unclosed\n")


@pytest.mark.parametrize("cached", [pytest.param(False, marks=pytest.mark.long), True])
def test_a_thousand_providers_with_one_broken_and_one_unparsable_file(
    runner, tmp_path, monkeypatch, cached
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "d"
    _thousand(folder)
    if not cached:
        monkeypatch.setenv("REFERRAL_NO_CACHE", "1")
    else:
        directory.load(folder)  # the index is written; the commands read it
    data = ("--data", str(folder))
    found = invoke(runner, "find", "shelter near Fresno", "--limit", "2000", "-f", "json", *data)
    doc = json.loads(found.stdout)
    ids = {r["id"] for r in doc["results"]}
    assert len(ids) == 999 and "p-0500" not in ids
    [note] = [n for n in doc["notes"] if "left out" in n]
    assert "1 provider left out because of errors in" in note and "big.yaml (line" in note
    assert re.search(r"zz-broken\.yaml \(line \d+\) left out whole because of errors", note)
    cov = json.loads(invoke(runner, "coverage", "-f", "json", *data).stdout)
    assert sum(p["providers"]["total"] for p in cov["places"]) == 999
    assert invoke(runner, "show", "p-0999", *data).exit_code == 0
    assert "left out because of errors" in invoke(runner, "show", "p-0500", *data).stderr
    slip = invoke(runner, "slip", "p-0001", "p-0002", *data)
    assert slip.exit_code == 0 and "Provider 1" in slip.stdout and "Provider 2" in slip.stdout
    assert "is in " in invoke(runner, "slip", "lost", *data).stderr


def test_the_installed_program_serves_and_says_so_in_one_line(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    folder = _several_files(tmp_path)
    program = shutil.which("referral") or str(Path(sys.executable).with_name("referral"))
    proc = subprocess.run(
        [program, "find", "shelter near Fresno", "--data", str(folder), "-f", "csv"],
        capture_output=True,
        text=True,
        env={**os.environ, "REFERRAL_NO_CACHE": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1].startswith("good-shelter,")
    said = [line for line in proc.stderr.splitlines() if "left out" in line]
    assert len(said) == 1 and said[0].startswith("referral: ") and "kern.yaml" in said[0]
    assert "Traceback" not in proc.stderr


def test_of_two_providers_sharing_an_id_the_most_recently_verified_is_served(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A maintainer adds a newer record under an existing id in a file that sorts
    first: file order must not hide the newer one; validate names both places."""
    old = provider_yaml(id="kern-shelter", name="Kern Shelter Old").replace(
        "2026-10-01", "2024-01-01"
    )
    new = provider_yaml(id="kern-shelter", name="Kern Shelter New")
    write(tmp_path / "d" / "a-old.yaml", directory_yaml(old))
    write(tmp_path / "d" / "b-new.yaml", directory_yaml(new))
    found = invoke(
        runner, "find", "shelter near Fresno", "--data", str(tmp_path / "d"), "-f", "json"
    )
    answer = json.loads(found.stdout)
    assert [r["name"] for r in answer["results"]] == ["Kern Shelter New"]
    assert "most recently verified" in " ".join(answer["notes"])
    checked = invoke(runner, "validate", str(tmp_path / "d"))
    assert checked.exit_code == 1
    line = next(x for x in checked.stdout.splitlines() if "duplicate id" in x)
    assert line.startswith(str(tmp_path / "d" / "a-old.yaml"))
    assert "b-new.yaml:2:5" in line and "verified 2026-10-01" in line
