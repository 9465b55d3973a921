"""What docs/maintainers.md promises maintainers: the pre-commit hook, every
validation code listed, GitHub annotations.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import directory_yaml, provider_yaml
from typer.testing import CliRunner

import referral_cli
from referral_cli.cli import app

ROOT = Path(__file__).resolve().parents[2]


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


def _git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Maintainer", "-c", "user.email=m@example.org", *args],
        cwd=where,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _documented_pre_commit_config(hook_repository: Path) -> tuple[str, str]:
    """The two YAML blocks of docs/maintainers.md's pre-commit section, joined as a
    maintainer would (the second hook under the first's `hooks:`), with only the
    placeholder URL filled in; and the `rev:` they name."""
    doc = (ROOT / "docs" / "maintainers.md").read_text("utf-8")
    section = doc.split("## The pre-commit hook", 1)[1].split("\n## ", 1)[0]
    config, second_hook = re.findall(r"```yaml\n(.*?)```", section, re.S)[:2]
    assert "<URL of the referral-cli repository>" in config
    config = config.replace("<URL of the referral-cli repository>", str(hook_repository))
    rev = yaml.safe_load(config)["repos"][0]["rev"]
    return config + second_hook, rev


def test_the_documented_pre_commit_snippet_names_shipped_hooks_that_check_the_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/maintainers.md's snippet names the current release and hooks this checkout
    ships, and the validate hook's command as pre-commit runs it (the hook's entry, the
    snippet's args in place of the hook's own) passes a valid directory and fails an
    unknown service type with its line. The coverage hook's command is run the same way
    by test_compare.py; pre-commit itself installing the hooks is the long profile's
    test below."""
    config, rev = _documented_pre_commit_config(tmp_path / "referral-cli")
    assert rev == f"v{referral_cli.__version__}"
    shipped = {
        h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    }
    wanted = yaml.safe_load(config)["repos"][0]["hooks"]
    assert [h["id"] for h in wanted] == ["referral-validate", "referral-coverage-compare"]
    assert set(shipped) >= {h["id"] for h in wanted}
    validate = next(h for h in wanted if h["id"] == "referral-validate")
    entry = shipped["referral-validate"]["entry"].split()
    assert entry[0] == "referral"
    command = [*entry[1:], *validate.get("args", shipped["referral-validate"]["args"])]

    shelter = provider_yaml("fresno-shelter", "Fresno Shelter", "temporary-shelter")
    legal = provider_yaml("fresno-legal", "Fresno Legal Aid", "legal-aid")
    directory = tmp_path / "network" / "data" / "resources.yaml"
    directory.parent.mkdir(parents=True)
    directory.write_text(directory_yaml(shelter, legal), "utf-8")
    monkeypatch.chdir(tmp_path / "network")
    passed = CliRunner().invoke(app, command)
    assert passed.exit_code == 0, passed.output
    directory.write_text(directory_yaml(shelter, legal.replace("legal-aid", "legal-aidd")), "utf-8")
    broken = CliRunner().invoke(app, command)
    assert broken.exit_code == 1
    assert re.search(r"data/resources\.yaml:\d+:\d+: error: .*legal-aidd", broken.output)


@pytest.mark.long
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_documented_pre_commit_snippet_works_in_a_scratch_repository(tmp_path: Path) -> None:
    """docs/maintainers.md's snippet as written, run by pre-commit in a new directory
    repository against this checkout released as docs/releasing.md says (its tracked
    files committed and tagged `v<version>`): a valid directory passes both hooks, an
    unknown service type fails validation with its line, and removing a county's only
    shelter fails the coverage hook. Offline: the hook's environment borrows this
    environment's installed libraries (PYTHONPATH) instead of downloading them."""
    pytest.importorskip(
        "pre_commit", reason="pre-commit is a test dependency: pip install -e '.[test]'"
    )
    try:
        tracked = _git(ROOT, "ls-files", "-z").split("\0")
    except (subprocess.CalledProcessError, OSError):
        pytest.skip("not a git checkout: the hook repository is made from its tracked files")
    hook = tmp_path / "referral-cli"
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (hook / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, hook / name)
    config, rev = _documented_pre_commit_config(hook)
    assert rev == f"v{referral_cli.__version__}"  # the snippet names the current release
    _git(hook, "init", "-q")
    _git(hook, "add", "-A")
    _git(hook, "commit", "-q", "-m", f"release {referral_cli.__version__}")
    _git(hook, "tag", "-a", rev, "-m", f"referral-cli {referral_cli.__version__}")

    network = tmp_path / "network"
    (network / "data").mkdir(parents=True)
    shelter = provider_yaml("fresno-shelter", "Fresno Shelter", "temporary-shelter")
    legal = provider_yaml("fresno-legal", "Fresno Legal Aid", "legal-aid")
    directory = network / "data" / "resources.yaml"
    directory.write_text(directory_yaml(shelter, legal), "utf-8")
    (network / ".pre-commit-config.yaml").write_text(config, "utf-8")
    _git(network, "init", "-q")
    _git(network, "add", "-A")
    _git(network, "commit", "-q", "-m", "directory")

    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p.endswith("-packages")),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip reads this variable inverted: 0 turns isolation off
    }

    def pre_commit() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"]
        return subprocess.run(command, cwd=network, env=env, capture_output=True, text=True)

    passed = pre_commit()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"referral validate\.+Passed", passed.stdout)
    assert re.search(r"referral coverage --compare HEAD\.+Passed", passed.stdout)

    directory.write_text(directory_yaml(shelter, legal.replace("legal-aid", "legal-aidd")), "utf-8")
    broken = pre_commit()
    assert broken.returncode == 1
    assert re.search(r"referral validate\.+Failed", broken.stdout)
    assert re.search(r"data/resources\.yaml:\d+:\d+: error: .*legal-aidd", broken.stdout)

    directory.write_text(directory_yaml(legal), "utf-8")  # the county's only shelter removed
    gap = pre_commit()
    assert gap.returncode == 1
    assert re.search(r"referral validate\.+Passed", gap.stdout)
    assert re.search(r"referral coverage --compare HEAD\.+Failed", gap.stdout)
    assert "exit code: 4" in gap.stdout
