"""referral_cli.hsds.emit: the directory YAML an import writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from referral_cli.hsds.emit import dump_yaml
from referral_cli.records import model


def test_yaml_writer_round_trips_awkward_text() -> None:
    awkward = [
        "yes", "No", "null", "12:30", "- dash", "a: b", "x #y", "[list]", "{map}", "'quoted'",
        '"double"', "trailing ", "multi\nline", "  lead", "tab\there", "emoji 🙂", "ü", "Mr. X",
        "a, b", "https://example.org/a?b=c#d", "08", "1e5", "~", "@at", "%pct", "*star", "&amp",
        "!bang", "|pipe", ">gt", "line\n\n  indented", "\u2028sep",
    ]  # fmt: skip
    providers = [
        {"id": f"p-{i}", "name": text, "services": ["legal-aid"], "keywords": [text, "k"],
         "description": text, "eligibility": {"notes": text}}
        for i, text in enumerate(awkward)
    ]  # fmt: skip
    data, starts = dump_yaml(providers, "test")
    back = yaml.safe_load(data)["providers"]
    assert back == providers
    lines = data.decode().split("\n")
    assert all(lines[s - 1].startswith("  - id: ") for s in starts)


def test_fields_are_written_in_the_directory_order(ohana: tuple[Path, dict[str, Any]]) -> None:
    """The import writes each provider's keys in model.FIELDS order (location standing
    for lat/lon), so an imported file reads like the format's own documentation."""
    order = [("location" if f in ("lat", "lon") else f) for f in model.FIELDS]
    path, _ = ohana
    keys_seen = 0
    for p in yaml.safe_load(path.read_text("utf-8"))["providers"]:
        ours = [k for k in p if not k.startswith("x-")]
        assert ours == sorted(ours, key=order.index), p["id"]
        assert list(p)[: len(ours)] == ours  # x- keys of the import come last
        keys_seen += len(ours)
    assert keys_seen > 19 * 5  # every sample provider has several fields
