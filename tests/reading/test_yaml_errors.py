"""YAML mistakes reported where they are: an unclosed quote at its opening, a
forbidden character at its own line and column, indentation named as the cause,
and every independent mistake of a file reported, not just the first."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from referral_cli.index import parsing

PROVIDER = """\
  - id: p{n}
    name: "Provider {n}"
    services: [{service}]
    phone: "+1 559-555-01{n:02d}"
    last_verified: 2026-10-01
    address: {{city: Fresno, region: CA, country: US}}
"""
LINES_PER_PROVIDER = PROVIDER.count("\n")


def directory(count: int, bad_services: frozenset[int] = frozenset()) -> str:
    return "providers:\n" + "".join(
        PROVIDER.format(n=n, service="bogus-service" if n in bad_services else "counseling")
        for n in range(count)
    )


def name_line(n: int) -> int:
    return 2 + n * LINES_PER_PROVIDER + 1


def diagnostics(text: str) -> list[tuple[int, int, str]]:
    _, found = parsing.parse_bytes(text.encode(), "d.yaml")
    return [(d.line, d.col, d.message) for d in found if d.severity == "error"]


def validate(runner, tmp_path: Path, text: str | bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / "d.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return invoke(runner, "validate", str(path))


def test_unclosed_quote_is_reported_where_it_opens(runner: CliRunner, tmp_path: Path) -> None:
    # The quote runs on to the next quote, two lines down (phone): PyYAML stops there.
    text = directory(2).replace('name: "Provider 1"', 'name: "Provider 1')
    result = validate(runner, tmp_path, text)
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{tmp_path / 'd.yaml'}:{name_line(1)}:11: error: YAML syntax: ")
    assert (
        "quote opened here is not closed" in first
        and f"runs on to line {name_line(1) + 2}," in first
    )


def test_unclosed_quote_at_the_end_is_reported_where_it_opens(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = directory(1) + '  - id: last\n    name: "Last\n    services: [counseling]\n'
    result = validate(runner, tmp_path, text)
    line = 2 + LINES_PER_PROVIDER + 1
    assert f"d.yaml:{line}:11: error: YAML syntax: the quote opened here is never closed" in (
        result.stdout
    )


def test_nul_is_reported_at_its_place_on_one_line(runner: CliRunner, tmp_path: Path) -> None:
    text = directory(2).replace('"Provider 1"', '"Provi\x00der 1"')
    result = validate(runner, tmp_path, text.encode())
    (line,) = [x for x in result.stdout.splitlines() if "U+0000" in x]
    assert f"d.yaml:{name_line(1)}:17: error: " in line
    assert "control character" in line and "\n" not in line


def test_indentation_mistake_is_named_and_other_errors_still_reported(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = directory(3, bad_services=frozenset({2}))
    text = text.replace('    phone: "+1 559-555-0100"', '   phone: "+1 559-555-0100"')
    result = validate(runner, tmp_path, text)
    out = result.stdout
    assert "d.yaml:5:4: error: YAML syntax: did not find expected '-' indicator; check the" in out
    assert "line 5 is indented 3 spaces, the key above it 4" in out
    bad_service_line = 2 + 2 * LINES_PER_PROVIDER + 2
    assert f"d.yaml:{bad_service_line}:16: error: unknown service type 'bogus-service'" in out
    assert result.exit_code == 1


def test_a_key_indented_too_far_is_named(runner: CliRunner, tmp_path: Path) -> None:
    text = directory(2).replace("    services: [counseling]", "      services: [counseling]", 1)
    result = validate(runner, tmp_path, text)
    assert "check the indentation: line 4 is indented 6 spaces, the key above it 4" in (
        result.stdout
    )


def test_providers_around_a_broken_one_are_still_read() -> None:
    text = directory(3).replace('name: "Provider 1"', 'name: "Provider 1')
    providers, found = parsing.parse_bytes(text.encode(), "d.yaml")
    assert [p.id for p in providers] == ["p0", "p2"]
    assert [d.line for d in found if d.severity == "error"] == [name_line(1)]


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(2, 6),
    data=st.data(),
)
def test_every_independent_mistake_is_reported(count: int, data: st.DataObject) -> None:
    """Any provider's closing quote removed and any others' service misspelt: each
    one is reported at its own line, the quote where it opens."""
    unclosed = data.draw(st.integers(0, count - 1))
    others = [n for n in range(count) if n != unclosed]
    bad = frozenset(data.draw(st.lists(st.sampled_from(others), unique=True)))
    text = directory(count, bad).replace(f'"Provider {unclosed}"', f'"Provider {unclosed}')
    found = diagnostics(text)
    quote = [(line, col) for line, col, m in found if "quote opened here" in m]
    assert quote == [(name_line(unclosed), 11)], found
    services = {line for line, _, m in found if "bogus-service" in m}
    assert services == {name_line(n) + 1 for n in bad}, found


def test_an_indentation_mistake_deep_in_a_file_names_the_files_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The provider is parsed on its own after the syntax error, but the message
    names the line of the file, the same as its path:line:col."""
    text = directory(4)
    lines = text.split("\n")
    target = next(
        i for i, line in enumerate(lines) if i > 3 * LINES_PER_PROVIDER and "services:" in line
    )
    lines[target] = "  " + lines[target]
    result = validate(runner, tmp_path, "\n".join(lines))
    diagnostic = next(x for x in result.stdout.splitlines() if "check the indentation" in x)
    assert f"d.yaml:{target + 1}:" in diagnostic
    assert f"line {target + 1} is indented 6 spaces" in diagnostic
