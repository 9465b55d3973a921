"""The README's examples are the program's real output (scripts/make_examples.py)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def make_examples():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_examples", ROOT / "scripts" / "make_examples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_blocks_match_the_program(tmp_path: Path) -> None:
    examples = make_examples()
    blocks = list(examples.BLOCK.finditer(examples.README.read_text("utf-8")))
    assert blocks, "the README has no generated example block"
    env = examples.environment(tmp_path)
    for block in blocks:
        output = examples.referral(block["args"].split(), env)
        shown = [line for line in block.group(4).splitlines() if line != examples.ELIDED]
        lines = output.splitlines()
        at = 0
        for line in shown:  # each line is in the output, in the order it prints them
            assert line in lines[at:], line
            at = lines.index(line, at) + 1


def test_sample_comments_name_only_true_gaps(tmp_path: Path) -> None:
    """The sample's header comments say what `referral coverage` really shows."""
    examples = make_examples()
    out = examples.referral(["coverage"], examples.environment(tmp_path))
    minors = examples.referral(["coverage", "--for", "minors"], examples.environment(tmp_path))
    header = (
        (ROOT / "referral_cli" / "data" / "resources.yaml")
        .read_text("utf-8")
        .split("providers:")[0]
    )
    assert "Tulare County" in header and "nothing in\n#   Restoration" not in header
    tulare = re.search(r"\* Tulare County, CA \([^)]*\): (.*?)(?=\n \*)", out, re.S)
    assert tulare and "nothing in Prevention" in tulare.group(1)
    assert "no counselling or medical" in " ".join(tulare.group(1).split())
    kern = re.search(r"\* Kern County, CA \([^)]*\): (.*?)(?=\n \*)", minors, re.S)
    assert kern and "no temporary shelter" in kern.group(1)
