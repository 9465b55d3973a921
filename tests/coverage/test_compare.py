"""``coverage --compare REV|PATH``: what a change does to the gaps, and the CI recipe
of docs/maintainers.md run as written in a scratch git repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import invoke, write
from typer.testing import CliRunner

from referral_cli.errors import ExitStatus

ROOT = Path(__file__).parents[2]
KERN = """\
providers:
  - id: kern-hope-house
    name: Kern Hope House
    services: [long-term-housing, temporary-shelter]
    phone: "+1 661-555-0100"
    capacity: {beds: 8}
    last_verified: 2026-10-01
    address: {city: Bakersfield, county: Kern County, region: CA, country: US}
  - id: kern-policy
    name: Kern Policy
    services: [policy-advocacy]
    phone: "+1 661-555-0101"
    last_verified: 2026-10-01
    address: {city: Bakersfield, county: Kern County, region: CA, country: US}
  - id: fresno-jobs
    name: Fresno Jobs
    services: [job-placement]
    phone: "+1 559-555-0102"
    last_verified: 2026-10-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
"""
STATEWIDE = """\
  - id: ca-aftercare-line
    name: CA Aftercare Line
    services: [long-term-housing]
    phone: "+1 800-555-0103"
    service_area: {regions: [US-CA], remote: true}
"""
NEW_FRESNO = """\
  - id: fresno-aftercare
    name: Fresno Aftercare
    services: [counseling]
    phone: "+1 559-555-0104"
    capacity: {beds: 3}
    last_verified: 2026-10-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
"""


def _without(text: str, pid: str) -> str:
    return re.sub(rf"  - id: {pid}\n(    .*\n)*", "", text)


def _referral() -> list[str]:
    exe = shutil.which("referral")
    return [exe] if exe else [sys.executable, "-m", "referral_cli"]


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A directory repository: the first commit with Kern's only located Restoration
    provider, the second without it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "directory-repo"
    write(root / "data" / "kern.yaml", KERN)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "maintainer@example.org")
    _git(root, "config", "user.name", "Maintainer")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first")
    write(root / "data" / "kern.yaml", _without(KERN, "kern-hope-house"))
    _git(root, "commit", "-q", "-am", "remove Kern Hope House")
    return root


def test_compare_head_1_names_the_gap_and_fails(repo: Path) -> None:
    proc = subprocess.run(
        [*_referral(), "coverage", "--compare", "HEAD~1", "--fail-on-new-gaps"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == ExitStatus.NEW_GAPS == 4, proc.stderr
    assert (
        "removes the last Restoration provider located in Kern County (kern-hope-house)"
        in proc.stdout
    )
    assert "leaves Kern County without temporary shelter" in proc.stdout
    assert "Kern County loses 8 beds (8 → 0)" in proc.stdout
    assert "Traceback" not in proc.stderr
    # the first commit compared with itself opens nothing: exit 0
    again = subprocess.run(
        [*_referral(), "coverage", "--data", "data", "--compare", "HEAD", "--fail-on-new-gaps"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert "This change does not change the coverage." in again.stdout


def _recipe_steps() -> list[str]:
    workflow = yaml.safe_load((ROOT / "docs" / "examples" / "directory-review.yml").read_text())
    steps = workflow["jobs"]["review"]["steps"]
    return [s["run"] for s in steps if "run" in s and s["run"].split()[0] in ("referral", "cat")]


def test_the_ci_recipe_runs_as_documented(repo: Path, tmp_path: Path) -> None:
    steps = _recipe_steps()
    assert [s.split()[:2] for s in steps] == [
        ["referral", "validate"],
        ["referral", "coverage"],
        ["cat", "coverage-change.md"],
        ["referral", "coverage"],
    ]
    doc = (ROOT / "docs" / "maintainers.md").read_text("utf-8")
    assert all(s in doc for s in steps), "docs/maintainers.md shows the workflow's commands"
    # a pull request from the second commit onto a base branch at the first
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD~1")
    summary = tmp_path / "summary.md"
    env = dict(os.environ, GITHUB_BASE_REF="main", GITHUB_STEP_SUMMARY=str(summary))
    codes = []
    for step in steps:
        proc = subprocess.run(
            ["bash", "-ec", step], cwd=repo, env=env, capture_output=True, text=True, timeout=120
        )
        assert "Traceback" not in proc.stderr
        codes.append(proc.returncode)
        last = proc
    assert codes == [0, 0, 0, 4], codes
    assert (
        "::error title=New gaps::removes the last Restoration provider located in Kern County"
        in (last.stdout)
    )
    posted = summary.read_text("utf-8")
    assert posted.startswith("## Coverage change: origin/main → data")
    assert "**This change opens 3 coverage gap(s).**" in posted
    assert "- removes the last Restoration provider located in Kern County" in posted


def test_the_pre_commit_hook_stops_a_commit_that_opens_a_gap(repo: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "referral-coverage-compare")
    command = hook["entry"].split() + hook["args"]
    assert command[:2] == ["referral", "coverage"]
    run = [*_referral(), *command[1:]]
    _git(repo, "reset", "-q", "--hard", "HEAD~1")  # back to the first commit
    clean = subprocess.run(run, cwd=repo, capture_output=True, text=True, timeout=120)
    assert clean.returncode == 0, clean.stderr
    write(repo / "data" / "kern.yaml", _without(KERN, "kern-hope-house"))  # staged change
    stopped = subprocess.run(run, cwd=repo, capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 4, stopped.stderr
    assert "Kern County" in stopped.stdout


def test_gaps_closed_remote_only_and_beds_gained(tmp_path: Path, runner: CliRunner) -> None:
    before = write(tmp_path / "before" / "d.yaml", KERN + STATEWIDE)
    # Kern keeps only the statewide line for Restoration; Fresno gets a located one
    after = write(
        tmp_path / "after" / "d.yaml", _without(KERN, "kern-hope-house") + STATEWIDE + NEW_FRESNO
    )
    result = invoke(
        runner, "coverage", "--data", str(after), "--compare", str(before), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["format_version"] == 1 and doc["new_gaps"] is True
    found = {(c["change"], c["place"], c["row"]): c for c in doc["changes"]}
    remote = found[("remote-only", "Kern County", "restoration")]
    assert remote["ids"] == ["kern-hope-house"] and remote["after"] == "0+1"
    assert "leaves only remote Restoration help in Kern County" in remote["message"]
    assert ("opened", "Kern County", "rescue-exit") in found
    closed = found[("closed", "Fresno County", "rescue-exit")]
    assert closed["ids"] == ["fresno-aftercare"]
    assert found[("beds-gained", "Fresno County", None)]["message"] == (
        "Fresno County gains 3 beds (0 → 3)"
    )
    assert {"place": "Kern County", "before": "3/5", "after": "1+1/5"} in doc["places"]
    assert doc["coverage_before"]["format_version"] == 2  # the matrix's own version
    # the exit status follows the flag
    failing = invoke(
        runner, "coverage", "--data", str(after), "--compare", str(before), "--fail-on-new-gaps"
    )
    assert failing.exit_code == 4
    # and a change that only closes gaps passes it
    grown = write(tmp_path / "grown" / "d.yaml", KERN + STATEWIDE + NEW_FRESNO)
    closing = invoke(
        runner, "coverage", "--data", str(grown), "--compare", str(before), "--fail-on-new-gaps"
    )
    assert closing.exit_code == 0, closing.output
    assert "brings Rescue / Exit to Fresno County: a provider located in it (fresno-aftercare)" in (
        closing.stdout
    )


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown", "html", "github"])
def test_every_format_says_it_in_plain_words(tmp_path: Path, runner: CliRunner, fmt: str) -> None:
    hostile = KERN.replace("county: Kern County", 'county: "Kern <b>[red]County</b>"')
    before = write(tmp_path / "b.yaml", hostile)
    after = write(tmp_path / "a.yaml", _without(hostile, "kern-hope-house"))
    result = invoke(
        runner, "coverage", "--data", str(after), "--compare", str(before), "--format", fmt
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "removes the last Restoration provider located in Kern" in out
    assert "kern-hope-house" in out
    if fmt == "html":
        assert "<b>" not in out and "&lt;b&gt;" in out
    if fmt == "github":
        assert out.splitlines()[0].startswith("::error title=New gaps::")


def test_compare_usage_errors(tmp_path: Path, runner: CliRunner) -> None:
    data = write(tmp_path / "d.yaml", KERN)
    for args, said in (
        (["--fail-on-new-gaps"], "--fail-on-new-gaps goes with --compare"),
        (["--compare", str(data), "--matrix", "capacity"], "not --matrix capacity"),
        (["--compare", "-rf"], "not a revision"),
        (["--format", "github"], "unknown format 'github'"),
    ):
        result = invoke(runner, "coverage", "--data", str(data), *args)
        assert result.exit_code == 2, (args, result.output)
        assert said in result.stderr


def test_a_revision_outside_git_or_unknown_is_one_line(repo: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [*_referral(), "coverage", "--data", "data", "--compare", "no-such-rev"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert "no such revision" in proc.stderr


def test_the_old_files_are_read_into_a_private_folder_and_removed(repo: Path) -> None:
    from referral_cli.revision import checked_out

    with checked_out("HEAD~1", repo / "data") as folder:
        assert (folder / "kern.yaml").read_text("utf-8") == KERN
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / "kern.yaml").stat().st_mode) == 0o600
    assert not folder.exists()
    with checked_out("HEAD~1", repo / "data" / "kern.yaml") as file:
        assert file.name == "kern.yaml" and "kern-hope-house" in file.read_text("utf-8")


def test_the_same_question_is_asked_of_both(tmp_path: Path, runner: CliRunner) -> None:
    before = write(tmp_path / "b.yaml", KERN)
    after = write(tmp_path / "a.yaml", _without(KERN, "kern-hope-house"))
    args = ["--for", "minors", "--detail", "services", "--format", "json"]
    result = invoke(runner, "coverage", "--data", str(after), "--compare", str(before), *args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["coverage_before"]["population"]["key"] == "minors"
    messages = [c["message"] for c in doc["changes"]]
    assert (
        "removes the last temporary shelter provider for minors located in Kern County"
        " (kern-hope-house)" in messages
    )
    assert "leaves Kern County without temporary shelter for minors" in messages
    assert "Kern County loses 8 beds for minors (8 → 0)" in messages


def test_a_provider_edited_into_a_remote_service(tmp_path: Path, runner: CliRunner) -> None:
    before = write(tmp_path / "b.yaml", KERN)
    edited = KERN.replace(
        "    capacity: {beds: 8}\n    last_verified: 2026-10-01\n"
        "    address: {city: Bakersfield, county: Kern County, region: CA, country: US}\n",
        "    service_area: {regions: [US-CA], remote: true}\n",
    )
    assert edited != KERN
    after = write(tmp_path / "a.yaml", edited)
    result = invoke(runner, "coverage", "--data", str(after), "--compare", str(before))
    assert result.exit_code == 0, result.output
    assert (
        "leaves only remote Restoration help in Kern County: takes away (by an edit) its last"
        " located provider (kern-hope-house)" in " ".join(result.stdout.split())
    )
    assert "Kern County loses 8 beds (8 → 0)" in result.stdout


def test_a_directory_new_since_the_revision_closes_gaps(repo: Path, runner: CliRunner) -> None:
    _git(repo, "checkout", "-q", "--orphan", "fresh")
    _git(repo, "rm", "-rq", "--cached", "data")
    write(repo / "README", "a new repository\n")
    _git(repo, "add", "README")
    _git(repo, "commit", "-q", "-m", "no directory yet")
    proc = subprocess.run(
        [*_referral(), "coverage", "--data", "data", "--compare", "HEAD", "--fail-on-new-gaps"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Gaps closed" in proc.stdout and "New gaps" not in proc.stdout


def test_a_directory_that_is_the_whole_repository(tmp_path: Path) -> None:
    from referral_cli.revision import checked_out

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "flat"
    write(root / "kern.yaml", KERN)
    write(root / "more" / "fresno.yaml", NEW_FRESNO.replace("  - id:", "providers:\n  - id:", 1))
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "-c", "user.name=M", "-c", "user.email=m@example.org", "commit", "-qm", "one")
    with checked_out("HEAD", root) as folder:
        assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml")) == [
            "kern.yaml",
            "more/fresno.yaml",
        ]
