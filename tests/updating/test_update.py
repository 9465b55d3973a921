"""``referral update``, ``verify --due`` and what find, show and validate then say,
through the real commands on a copy of the sample directory."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import invoke
from typer.testing import CliRunner

from referral_cli.directory import sample_path

MEN = "fresno-mens-emergency-shelter"
WOMEN = "harbor-house-women"
YOUTH = "valley-youth-safe-house"
TONIGHT = "shelter tonight near Fresno"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "resources.yaml"
    shutil.copy(sample_path(), path)
    return path


def changed(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def run(runner: CliRunner, data: Path, *args: str):  # type: ignore[no-untyped-def]
    return invoke(runner, *args, "--data", str(data))


def found(runner: CliRunner, data: Path, query: str = TONIGHT) -> dict:  # type: ignore[type-arg]
    result = run(runner, data, "find", query, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_beds_0_changes_one_line_and_find_lists_it_after_those_with_beds(
    runner: CliRunner, data: Path
) -> None:
    before = data.read_text("utf-8")
    result = run(runner, data, "update", MEN, "--beds", "0")
    assert result.exit_code == 0, result.stderr
    after = data.read_text("utf-8")
    lines = changed(before, after)
    assert len(lines) == 1 and lines[0].startswith("+    availability: {beds_available: 0, as_of: ")
    assert lines[0] in result.stdout  # the diff is printed
    assert run(runner, data, "update", WOMEN, "--beds", "2").exit_code == 0
    answer = found(runner, data)
    ids = [r["id"] for r in answer["results"]]
    assert ids.index(WOMEN) < ids.index(MEN) and ids[-1] == MEN, ids
    men = answer["results"][ids.index(MEN)]
    assert any(r.startswith("full as of ") and r.endswith(" today") for r in men["reasons"])
    women = answer["results"][ids.index(WOMEN)]
    assert any(r.startswith("2 beds as of ") for r in women["reasons"])
    # Without the reports the full shelter comes before the farther youth shelter
    # (nothing reported): the report of full moved it after.
    assert ids.index(YOUTH) < ids.index(MEN)
    shutil.copy(sample_path(), data)
    plain = [r["id"] for r in found(runner, data)["results"]]
    assert plain.index(MEN) < plain.index(YOUTH)
    table = run(runner, data, "find", TONIGHT, "--layout", "full")
    assert table.exit_code == 0


def test_a_closed_provider_is_not_listed_json_says_why_and_show_shows_it(
    runner: CliRunner, data: Path
) -> None:
    until = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    result = run(runner, data, "update", YOUTH, "--closed-until", until, "--reason", "renovation")
    assert result.exit_code == 0, result.stderr
    answer = found(runner, data, "shelter for minors near Fresno")
    assert YOUTH not in [r["id"] for r in answer["results"]]
    (left,) = answer["left_out"]
    assert left["id"] == YOUTH and left["status"] == {
        "state": "closed",
        "until": until,
        "reason": "renovation",
    }
    assert left["why"].startswith("closed until ") and left["why"].endswith("(renovation)")
    assert any(
        "not taking referrals left out: Valley Youth Safe House" in n for n in answer["notes"]
    )
    shown = run(runner, data, "show", YOUTH)
    assert shown.exit_code == 0 and "Status" in shown.stdout and "(renovation)" in shown.stdout
    # reopened: listed again, and the status key is gone from the file
    assert run(runner, data, "update", YOUTH, "--reopen").exit_code == 0
    assert YOUTH in [
        r["id"] for r in found(runner, data, "shelter for minors near Fresno")["results"]
    ]
    assert "status:" not in data.read_text("utf-8")


def test_do_not_refer_is_left_out_too(runner: CliRunner, data: Path) -> None:
    result = run(runner, data, "update", WOMEN, "--status", "do-not-refer", "--reason", "moved")
    assert result.exit_code == 0, result.stderr
    answer = found(runner, data)
    assert WOMEN not in [r["id"] for r in answer["results"]]
    assert answer["left_out"][0]["why"] == "not taking referrals (moved)"


def test_a_report_3_days_old_shows_beds_unknown_and_validate_warns(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    old = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3, hours=1)).isoformat(timespec="minutes")
    census = tmp_path / "census.csv"
    census.write_text(f"id,beds,as_of\n{MEN},4,{old}\n", "utf-8")
    assert run(runner, data, "update", "--from", str(census)).exit_code == 0
    answer = found(runner, data)
    men = next(r for r in answer["results"] if r["id"] == MEN)
    assert "beds unknown — last report 3 days ago" in men["reasons"]
    assert not any("4 beds" in r for r in men["reasons"])
    shown = run(runner, data, "show", MEN)
    assert "beds unknown — last report 3 days ago" in shown.stdout
    checked = invoke(runner, "validate", str(data))
    assert "reported its beds 3 days ago" in checked.stdout
    # a longer age makes the same report current again
    longer = run(runner, data, "find", TONIGHT, "--format", "json", "--report-hours", "100")
    men = next(r for r in json.loads(longer.stdout)["results"] if r["id"] == MEN)
    assert any(r.startswith("4 beds as of ") for r in men["reasons"])


def test_validate_warns_on_a_closure_whose_day_is_past(runner: CliRunner, data: Path) -> None:
    text = data.read_text("utf-8").replace(
        "    capacity: {beds: 24}\n",
        "    capacity: {beds: 24}\n    status: {state: closed, until: 2020-01-01}\n",
    )
    data.write_text(text, "utf-8")
    checked = invoke(runner, "validate", str(data))
    assert f"'{MEN}' was closed until 2020-01-01, a day past" in checked.stdout


def test_the_census_updates_several_providers_in_one_go_or_none(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    census = tmp_path / "census.csv"
    census.write_text(
        f"id,beds,as_of\n{MEN},0,2026-12-07T21:00-08:00\n{WOMEN},3,2026-12-07T21:00\n{YOUTH},1,\n",
        "utf-8",
    )
    before = data.read_text("utf-8")
    result = run(runner, data, "update", "--from", str(census))
    assert result.exit_code == 0, result.stderr
    lines = changed(before, data.read_text("utf-8"))
    assert len(lines) == 3 and all(line.startswith("+    availability: {") for line in lines)
    # a naive time is on the provider's clock (America/Los_Angeles in December: -08:00)
    assert '+    availability: {beds_available: 3, as_of: "2026-12-07T21:00:00-08:00"}' in lines
    assert "updated 3 provider(s)" in result.stderr
    # one bad row: nothing written, every problem named by line
    bad = tmp_path / "bad.csv"
    bad.write_text(f"id,beds,as_of\n{MEN},5,\nno-such-provider,2,\n{WOMEN},many,\n", "utf-8")
    kept = data.read_bytes()
    result = run(runner, data, "update", "--from", str(bad))
    assert result.exit_code == 1
    assert "bad.csv:3: no provider with id 'no-such-provider'" in result.stderr
    assert "bad.csv:4: beds 'many'" in result.stderr
    assert data.read_bytes() == kept


def test_an_update_that_would_be_invalid_is_refused_and_the_file_left(
    runner: CliRunner, data: Path
) -> None:
    kept = data.read_bytes()
    result = run(runner, data, "update", WOMEN, "--verified-by", "J$S!")
    assert result.exit_code == 1
    assert "'verified_by' is not initials or a role" in result.stderr
    assert "left as it was" in result.stderr and "Traceback" not in result.stderr
    assert data.read_bytes() == kept
    usage = run(runner, data, "update", WOMEN, "--reopen", "--status", "closed")
    assert usage.exit_code == 2
    nothing = run(runner, data, "update", WOMEN)
    assert nothing.exit_code == 2 and "nothing to update" in nothing.stderr


def test_verify_due_lists_the_oldest_first_and_verified_by_stamps_today(
    runner: CliRunner, data: Path
) -> None:
    result = run(runner, data, "verify", "--due", "--within", "300d", "--format", "json")
    assert result.exit_code == 0, result.stderr
    due = json.loads(result.stdout)["due"]
    dates = [d["last_verified"] for d in due]
    assert len(due) > 3 and dates == sorted(dates)
    assert all(d["phone"] for d in due)
    oldest = due[0]["id"]
    text = run(runner, data, "verify", "--due")
    assert text.stdout.splitlines()[0].endswith(f"[{oldest}]")
    assert run(runner, data, "update", oldest, "--verified-by", "JS").exit_code == 0
    provider = json.loads(run(runner, data, "show", oldest, "--format", "json").stdout)
    assert provider["last_verified"] == dt.date.today().isoformat()
    assert provider["verified_by"] == "JS"
    again = json.loads(run(runner, data, "verify", "--due", "--format", "json").stdout)["due"]
    assert oldest not in [d["id"] for d in again]


def test_commit_makes_one_commit_naming_the_provider_and_the_change(
    runner: CliRunner, data: Path, tmp_path: Path
) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    env = ["-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    subprocess.run([git, "-C", str(tmp_path), "add", "resources.yaml"], check=True)
    subprocess.run([git, "-C", str(tmp_path), *env, "commit", "-qm", "start"], check=True)
    (tmp_path / "other.txt").write_text("not committed", "utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIT_AUTHOR_NAME", "T")
        mp.setenv("GIT_AUTHOR_EMAIL", "t@example.org")
        mp.setenv("GIT_COMMITTER_NAME", "T")
        mp.setenv("GIT_COMMITTER_EMAIL", "t@example.org")
        result = run(runner, data, "update", MEN, "--beds", "0", "--commit")
    assert result.exit_code == 0, result.stderr
    log = subprocess.run(
        [git, "-C", str(tmp_path), "log", "-1", "--format=%s", "--name-only"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert log.startswith(f"update {MEN}: beds 0 as of ")
    assert "resources.yaml" in log and "other.txt" not in log


def test_the_sample_shipped_is_never_updated(runner: CliRunner, chdir_tmp: Path) -> None:
    kept = sample_path().read_bytes()
    result = invoke(runner, "update", MEN, "--beds", "1")
    assert result.exit_code == 1 and "sample" in result.stderr
    assert sample_path().read_bytes() == kept


def test_a_slip_says_the_beds_reported_and_warns_of_a_closed_provider(
    runner: CliRunner, data: Path
) -> None:
    assert run(runner, data, "update", WOMEN, "--beds", "2").exit_code == 0
    assert run(runner, data, "update", YOUTH, "--status", "closed").exit_code == 0
    slip = run(runner, data, "slip", WOMEN, YOUTH)
    assert slip.exit_code == 0, slip.stderr
    assert "Status: 2 free beds on " in slip.stdout and "Status: Closed\n" in slip.stdout
    assert f"'{YOUTH}' takes no referrals now: closed" in slip.stderr
    spanish = run(runner, data, "slip", WOMEN, "--lang", "es")
    assert "2 camas libres el " in spanish.stdout


def test_the_diff_never_shows_a_confidential_address_next_to_the_change(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(
        "providers:\n"
        "  - id: hidden-house\n"
        "    name: Hidden House\n"
        "    services: [temporary-shelter]\n"
        '    phone: "+1 559-555-0100"\n'
        "    confidential: true\n"
        '    address: {street: "9 Hidden Way", city: Fresno, county: Fresno County,'
        ' region: CA, postal_code: "93721", country: US}\n'
        "    location: {lat: 36.7123, lon: -119.8123}\n"
        "    capacity: {beds: 4}\n"
        "    last_verified: 2026-10-01\n",
        "utf-8",
    )
    result = run(runner, data, "update", "hidden-house", "--beds", "1", "--verified-by", "JS")
    assert result.exit_code == 0, result.stderr
    assert "+    availability: {beds_available: 1" in result.stdout
    shown = result.stdout + result.stderr
    assert "Hidden Way" not in shown and "93721" not in shown and "36.7123" not in shown


def test_update_then_find_in_real_processes(data: Path) -> None:
    import sys

    cmd = [sys.executable, "-m", "referral_cli"]

    def referral(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cmd, *args, "--data", str(data)], capture_output=True, text=True, timeout=120
        )

    before = data.read_text("utf-8")
    done = referral("update", MEN, "--beds", "0")
    assert done.returncode == 0, done.stderr
    assert len(changed(before, data.read_text("utf-8"))) == 1
    found = referral("find", TONIGHT, "--format", "json")
    men = next(r for r in json.loads(found.stdout)["results"] if r["id"] == MEN)
    assert any(r.startswith("full as of ") for r in men["reasons"])
    bad = referral("update", MEN, "--closed-until", "someday")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
