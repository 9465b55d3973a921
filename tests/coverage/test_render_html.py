"""coverage.render_html: one escaping path (fill), one page skeleton (page), for the
coverage matrix and the planning matrices alike."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest
from conftest import HtmlCollector, write

from referral_cli.coverage import plans, render_html
from referral_cli.coverage.count import count
from referral_cli.coverage.render_html import Markup, fill, grid_html, html, page
from referral_cli.directory import load
from referral_cli.records.model import Provider

EVIL_COUNTY = "<img src=x onerror=alert(1)> & \"Co\" 'unty'"
EVIL_NAME = "</li><script>alert(2)</script>\x1b[31m"
HOSTILE = f"""\
providers:
  - id: evil-shelter
    name: "Shelter"
    services: [temporary-shelter, counseling]
    capacity: {{beds: 4}}
    languages: [en, hmn]
    phone: "+1 559-555-0100"
    last_verified: 2020-01-01
    address: {{city: Fresno, county: '{EVIL_COUNTY.replace("'", "''")}', region: CA, country: US}}
  - id: evil-line
    name: "{EVIL_NAME.replace(chr(27), "")}"
    services: [legal-aid]
    phone: "+1 800-555-0107"
    last_verified: 2026-10-01
    service_area: {{regions: [US-CA], remote: true}}
"""
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "p", "div", "table",
    "thead", "tbody", "tr", "th", "td", "span", "b", "ul", "li", "strong", "footer", "code",
}  # fmt: skip


@pytest.fixture
def providers(tmp_path: Path) -> list[Provider]:
    directory = load(write(tmp_path / "evil.yaml", HOSTILE), use_cache=False)
    assert not directory.errors, directory.errors
    return directory.providers


def collect(page_text: str) -> HtmlCollector:
    parsed = HtmlCollector()
    parsed.feed(page_text)
    return parsed


def test_fill_escapes_every_value_once_and_keeps_markup() -> None:
    made = fill('<td title="{tip}">{text}</td>', tip='a "b" <c>', text="x & y\x1b[2J")
    assert made == '<td title="a &quot;b&quot; &lt;c&gt;">x &amp; y</td>'
    assert isinstance(made, Markup)
    assert fill("<tr>{cells}</tr>", cells=made) == f"<tr>{made}</tr>"  # not escaped twice
    assert fill("<p>{n}</p>", n=3) == "<p>3</p>"


@pytest.mark.parametrize("by", ["county", "city"])
@pytest.mark.parametrize("detail", ["areas", "services"])
def test_the_coverage_page_shows_hostile_text_as_text(
    providers: list[Provider], by: str, detail: str
) -> None:
    page_text = html(count(providers, by=by, detail=detail), generated=dt.date(2026, 12, 1))
    parsed = collect(page_text)
    assert set(parsed.tags) <= ALLOWED_TAGS, set(parsed.tags) - ALLOWED_TAGS
    text = "".join(parsed.text)
    assert "\x1b" not in page_text
    if by == "county":
        assert EVIL_COUNTY in text  # read back literally, never as markup
        assert any(EVIL_COUNTY in (value or "") for _, value in parsed.attrs)  # the tooltips
    assert EVIL_NAME.replace("\x1b[31m", "[31m") in text  # the remote services' list


@pytest.mark.parametrize("kind", ["capacity", "languages", "stale"])
def test_the_planning_pages_show_hostile_text_as_text(providers: list[Provider], kind: str) -> None:
    grid = plans.build(kind, providers, today=dt.date(2026, 12, 1))
    parsed = collect(grid_html(grid))
    assert set(parsed.tags) <= ALLOWED_TAGS, set(parsed.tags) - ALLOWED_TAGS
    assert EVIL_COUNTY in "".join(parsed.text)


def test_both_pages_share_one_skeleton(providers: list[Provider]) -> None:
    coverage_page = html(count(providers)).splitlines()
    grid_page = grid_html(plans.build("capacity", providers)).splitlines()
    assert coverage_page[:5] == grid_page[:5] == page("T", "", [])[:-1].splitlines()[:5]
    assert coverage_page[-1] == grid_page[-1] == "</main></body></html>"
    for lines in (coverage_page, grid_page):
        assert [line for line in lines if line.startswith("<style>")] == [lines[6]]


def test_values_are_escaped_in_one_place_only() -> None:
    """The module builds its markup through fill alone: html_text is called once."""
    source = inspect.getsource(render_html)
    assert source.count("html_text(") == 1
    assert "html.escape" not in source
