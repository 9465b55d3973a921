"""Updates edit the YAML by position: any sequence of them keeps the file valid and
every line outside the keys they set as it was (comments, quoting, layout)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pytest
from conftest import LONG_PROFILE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referral_cli import taxonomy
from referral_cli.directory import load
from referral_cli.errors import ReferralError
from referral_cli.format.validate import check_document
from referral_cli.reading import yamldoc
from referral_cli.updating.changes import Update, plan, write

# A file as people write it: comments everywhere, uneven spacing, a literal
# block, quoted and plain text, flow and block mappings, a key already set.
TEXT = """\
# Our shelters (comment at the top)
providers:
  # first provider
  - id: a-shelter
    name:   "A  Shelter"   # two spaces kept
    services: [ temporary-shelter ]
    phone: '+1 559-555-0100'
    timezone: America/Los_Angeles
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
    description: |
      Beds for adults.
      # not a comment: text of the block

    capacity:
      beds: 12   # total
    last_verified: 2026-10-01
    # trailing comment of a-shelter
  - id: b-house
    name: B House
    services:
      - temporary-shelter
      - counseling
    phone: "+1 559-555-0101"
    address: {city: Visalia, county: Tulare County, region: CA, country: US}
    availability:
      beds_available: 2
      as_of: "2026-12-01T09:00:00-08:00"
    status: {state: closed, reason: "roof"}
    verified_by: ops
  - id: c-line
    name: C Line
    services: [hotline]
    hotline: "+1 800-555-0102"
    service_area: {remote: true}
    last_verified: 2026-11-01   # called
# end of file
"""
IDS = ("a-shelter", "b-house", "c-line")
EDITED = ("availability", "status", "last_verified", "verified_by")
AT = dt.datetime(2026, 12, 7, 17, 10, tzinfo=dt.UTC)
TAX = taxonomy.load()

updates = st.builds(
    Update,
    pid=st.sampled_from(IDS),
    beds=st.one_of(st.none(), st.integers(0, 40)),
    waitlist=st.one_of(st.none(), st.integers(0, 9)),
    state=st.sampled_from([None, "active", "closed", "do-not-refer"]),
    until=st.sampled_from([None, dt.date(2026, 12, 12)]),
    reason=st.sampled_from([None, "renovation", "no: staff", 'says "full"', "yes", "ünïcode"]),
    reopen=st.booleans(),
    verified_by=st.sampled_from([None, "JS", "night lead", "no"]),
).filter(lambda u: _usable(u))


def _usable(u: Update) -> bool:
    try:
        u.check()
    except ReferralError:
        return False
    return True


def _providers(text: str, path: str) -> dict[str, dict[str, object]]:
    doc = yamldoc.load(text, path)
    return {p["id"]: dict(p) for p in doc["providers"]}


def _key_lines(text: str) -> set[str]:
    """The lines of the edited keys of any provider: the key's line and the deeper
    lines of its value."""
    keys = "|".join(EDITED)
    found: set[str] = set()
    inside = False
    for line in text.splitlines():
        if re.match(rf"^    (?:{keys}):(?: |$)", line):
            inside = True
        elif not (inside and line.startswith("      ")):
            inside = False
        if inside:
            found.add(line)
    return found


@settings(
    max_examples=40 if LONG_PROFILE else 12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(updates, min_size=1, max_size=5), st.sampled_from(["\n", "\r\n"]))
def test_any_sequence_of_updates_keeps_the_file_valid_and_the_rest_as_it_was(
    tmp_path_factory: pytest.TempPathFactory, steps: list[Update], newline: str
) -> None:
    folder = tmp_path_factory.mktemp("edit")
    path = folder / "d.yaml"
    path.write_bytes(TEXT.replace("\n", newline).encode("utf-8"))
    for u in steps:
        before = path.read_bytes().decode("utf-8")
        try:
            write(plan(load(path), [u], AT, AT.date()))
        except ReferralError as exc:  # refused (a reason for no status): nothing written
            assert "no status" in str(exc)
            assert path.read_bytes().decode("utf-8") == before
            continue
        after = path.read_bytes().decode("utf-8")
        # valid: no error at all
        _, diagnostics = check_document(yamldoc.load(after, "d.yaml"), "d.yaml", TAX)
        assert [d for d in diagnostics if d.severity == "error"] == []
        # every line outside the keys set is as it was, with its line ending
        if newline == "\r\n":
            assert after.count("\n") == after.count("\r\n")
        diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        touched = [x for x in diff if x[:1] in "+-" and not x.startswith(("+++", "---"))]
        old_keys, new_keys = _key_lines(before), _key_lines(after)
        for line in touched:
            assert line[1:] in (old_keys if line[0] == "-" else new_keys), line
        # and every other provider, and every other key of this one, reads the same
        old, new = _providers(before, "d.yaml"), _providers(after, "d.yaml")
        for pid in IDS:
            keep = {k: v for k, v in old[pid].items() if pid != u.pid or k not in EDITED}
            now = {k: v for k, v in new[pid].items() if pid != u.pid or k not in EDITED}
            assert now == keep
    assert path.read_text("utf-8").startswith("# Our shelters (comment at the top)")
    assert "# not a comment: text of the block" in path.read_text("utf-8")


def test_an_update_replaces_a_block_key_whole_and_keeps_the_comments_around(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(TEXT, "utf-8")
    write(plan(load(path), [Update("b-house", beds=0, verified_by="JS")], AT, AT.date()))
    after = path.read_text("utf-8")
    removed = [x for x in difflib.ndiff(TEXT.splitlines(), after.splitlines()) if x[:1] == "-"]
    added = [x for x in difflib.ndiff(TEXT.splitlines(), after.splitlines()) if x[:1] == "+"]
    assert removed == [
        "-     availability:",
        "-       beds_available: 2",
        '-       as_of: "2026-12-01T09:00:00-08:00"',
        "-     verified_by: ops",
    ]
    assert added == [
        '+     availability: {beds_available: 0, as_of: "2026-12-07T17:10:00+00:00"}',
        "+     last_verified: 2026-12-07",
        '+     verified_by: "JS"',
    ]
    assert "    # trailing comment of a-shelter\n" in after


def test_a_file_with_a_bom_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    write(plan(load(path), [Update("c-line", state="closed")], AT, AT.date()))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"    status: {state: closed}\n" in data


def test_a_provider_on_one_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    text = "providers:\n  - {id: x-one, name: X, services: [hotline], phone: '+1 559-555-0100'}\n"
    path.write_text(text, "utf-8")
    with pytest.raises(ReferralError, match="not written one key a line"):
        plan(load(path), [Update("x-one", beds=1)], AT, AT.date())
    assert path.read_text("utf-8") == text
