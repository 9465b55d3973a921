"""Phone numbers for other systems: tel: links that dial the extension, HSDS numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import HtmlCollector, invoke, write
from typer.testing import CliRunner

from referral_cli.records.phones import split, tel_uri


@pytest.mark.parametrize(
    ("number", "uri"),
    [
        ("+1 305-555-0100 x12", "tel:+1-305-555-0100;ext=12"),
        ("+1 305-555-0100", "tel:+1-305-555-0100"),
        ("+44 20 7946 0958", "tel:+44-20-7946-0958"),
        ("211", "tel:211"),
        ("call us", ""),
        ("+1 559 \x1b]8;;https://x.invalid\x07", ""),
    ],
)
def test_tel_links(number: str, uri: str) -> None:
    assert tel_uri(number) == uri


def test_split_keeps_the_extension_apart() -> None:
    assert split("+1 305-555-0100 x12") == ("+1 305-555-0100", 12)
    assert split("211") == ("211", None)


def test_html_slip_dials_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    data = write(
        tmp_path / "d.yaml",
        """\
        providers:
          - id: legal
            name: Legal
            services: [legal-aid]
            phone: "+1 559-555-0100 x4385"
            address: {city: Fresno, region: CA, country: US}
            last_verified: 2026-10-01
        """,
    )
    out = tmp_path / "slip.html"
    invoke(runner, "slip", "legal", "--data", str(data), "--format", "html", "-o", str(out))
    parser = HtmlCollector()
    parser.feed(out.read_text("utf-8"))
    hrefs = [v for k, v in parser.attrs if k == "href"]
    assert "tel:+1-559-555-0100;ext=4385" in hrefs
    assert not [h for h in hrefs if h and h.startswith("tel:+155955501004385")]
