"""What docs/maintainers.md promises maintainers: the pre-commit hook, every
validation code listed, GitHub annotations.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

import referral_cli
from referral_cli.cli import app


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load(
        (Path(__file__).parents[2] / ".pre-commit-hooks.yaml").read_text("utf-8")
    )
    hook = next(h for h in hooks if h["id"] == "referral-validate")
    assert hook["entry"].split()[:2] == ["referral", "validate"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    assert __import__("re").search(hook["files"], "data/resources.yaml")


VALIDATION_CODES = (
    "required", "type", "unknown-key", "enum", "taxonomy", "language", "format", "hours",
    "timezone", "range", "id", "confidential", "confidential-unknown", "confidential-place", "location", "duplicate-id", "stale",
    "future-date", "duplicate", "empty", "style", "io", "trust",
)  # fmt: skip


def test_maintainers_doc_lists_every_validation_code() -> None:
    import re

    package = Path(referral_cli.__file__).parent
    source = (package / "format" / "validate.py").read_text("utf-8") + (
        package / "directory.py"
    ).read_text("utf-8")
    used = set(re.findall(r'"([a-z][a-z-]*)",?\s*\)', source)) & set(VALIDATION_CODES)
    assert used  # the validator still uses these codes
    doc = (Path(__file__).parents[2] / "docs" / "maintainers.md").read_text("utf-8")
    missing = [code for code in VALIDATION_CODES if f"`{code}`" not in doc]
    assert missing == []
    assert "validate --format github" in doc
    assert "yaml-language-server" in doc


def test_validate_github_format_annotates_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "data.yaml"
    bad.write_text("providers:\n  - id: x-1\n    name: X\n    services: [shelterr]\n", "utf-8")
    result = CliRunner().invoke(app, ["validate", str(bad), "--format", "github"])
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if x.startswith("::error"))
    assert "line=4" in line and "unknown service type" in line
