"""Write docs/examples and the README's example blocks from the real output.

Run from the repository root after a change to an output: ``python
scripts/make_examples.py``. Every file is made with the sample directory shipped
in the package and a settings file naming a fictional hotline, so the examples
show what a user of the sample sees; ``tests/end_to_end/test_examples.py`` checks that the
README blocks still match the program. Pictures (PNG) need Chromium and
pdftoppm; without them the pictures are left as they are and the script says so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
README = ROOT / "README.md"
BLOCK = re.compile(
    r"(<!-- example: (?P<args>.+?) \((?P<part>\w+)\) -->\n```text\n)(.*?)(\n```\n<!-- /example -->)",
    re.S,
)
ELIDED = " * … (every place: docs/examples/coverage.txt)"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--hide-scrollbars",
)
# The slip examples: a confidential shelter, legal aid, a Vietnamese-speaking counsellor.
SLIP_IDS = (
    "valley-youth-safe-house",
    "central-valley-immigrant-legal",
    "san-jose-vietnamese-counseling",
)


def environment(home: Path) -> dict[str, str]:
    config = home / "config.toml"
    config.write_text(
        'hotline_name = "Valley Help Line"\nhotline_phone = "+1 559-555-0199"\n', "utf-8"
    )
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "NO_COLOR": "1",
        "COLUMNS": "80",
        "REFERRAL_CONFIG": str(config),
        "REFERRAL_NO_CACHE": "1",
        "REFERRAL_DATA": str(ROOT / "referral_cli" / "data" / "resources.yaml"),
    }


def referral(args: list[str], env: dict[str, str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "referral_cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=env["HOME"],
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"referral {' '.join(args)} failed: {proc.stderr.strip()}")
    return proc.stdout


def gaps_part(output: str) -> str:
    """The gap list of a coverage table, for the README (Tulare and Merced shown)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Gaps ("))
    keep: list[str] = []
    for line in lines[start + 1 :]:
        if line.startswith(" * "):
            showing = any(
                name in line for name in ("Tulare County", "Merced County", "Kern County")
            )
        if showing:
            keep.append(line)
    return "\n".join([lines[start], *keep, ELIDED])


def readme_blocks(env: dict[str, str]) -> str:
    text = README.read_text("utf-8")

    def fill(match: re.Match[str]) -> str:
        out = referral(match["args"].split(), env)
        part = gaps_part(out) if match["part"] == "gaps" else out.rstrip("\n")
        return match.group(1) + part + match.group(5)

    return BLOCK.sub(fill, text)


def picture_html(html: Path, png: Path, size: str) -> bool:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        return False
    subprocess.run(
        [browser, *CHROMIUM_FLAGS, f"--window-size={size}", f"--screenshot={png}", html.as_uri()],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return True


def picture_pdf(pdf: Path, stem: Path) -> bool:
    if shutil.which("pdftoppm") is None:
        return False
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(stem)], check=True, timeout=120)
    return True


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp))
        EXAMPLES.mkdir(parents=True, exist_ok=True)
        (EXAMPLES / "coverage.txt").write_text(
            referral(["coverage", "--for", "minors"], env), "utf-8"
        )
        (EXAMPLES / "coverage.html").write_text(
            referral(["coverage", "--for", "minors", "--format", "html"], env), "utf-8"
        )
        for matrix in ("capacity", "languages", "stale"):
            (EXAMPLES / f"coverage-{matrix}.txt").write_text(
                referral(["coverage", "--matrix", matrix], env), "utf-8"
            )
        for lang, suffix in (("en", ""), ("vi", "-vi")):
            for fmt in ("txt", "md", "html", "pdf"):
                out = EXAMPLES / f"slip{suffix}.{fmt}"
                referral(["slip", *SLIP_IDS, "--lang", lang, "-o", str(out), "--force"], env)
        README.write_text(readme_blocks(env), "utf-8")
    missing = []
    if not picture_html(EXAMPLES / "coverage.html", EXAMPLES / "coverage-html.png", "1280,1600"):
        missing.append("chromium")
    for suffix in ("", "-vi"):
        picture_html(
            EXAMPLES / f"slip{suffix}.html", EXAMPLES / f"slip{suffix}-html.png", "900,1400"
        )
        if not picture_pdf(EXAMPLES / f"slip{suffix}.pdf", EXAMPLES / f"slip{suffix}-pdf"):
            missing.append("pdftoppm")
    if missing:
        print(f"pictures not made (install {', '.join(sorted(set(missing)))})", file=sys.stderr)


if __name__ == "__main__":
    main()
