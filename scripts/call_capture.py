"""Capture ``referral call`` in a real terminal (tmux, 80x24) for docs/examples.

    python scripts/call_capture.py            # writes docs/examples/call*.txt and call*.png

A whole call is typed into tmux from the sample directory; the screen is kept
after the facts are in and two results are marked (call.txt, call.png), with the
details of a result open (call-details.*), once the slip of the two is written
(call-slip.*; the script checks the PDF is there) and after F9, a new caller
(call-new-caller.*; the script checks nothing of the call is left on screen).
The PNG is drawn from tmux's own
capture with its colours (Rich reads the escape codes, Pillow draws the cells in
DejaVu Sans Mono); nothing but tmux, Rich and Pillow (a dependency of fpdf2).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from rich.color import Color
from rich.text import Text

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "examples"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
SESSION = "referral-call-capture"
LINES = ["somewhere to stay", "she's 15", "she only speaks spanish", "we're in Visalia",
         "not Visalia, Fresno", "no, she's 16"]  # fmt: skip


def tmux(*args: str) -> str:
    """tmux on a server of its own, so the session gets this environment."""
    return subprocess.run(
        ["tmux", "-L", SESSION, *args], check=True, capture_output=True, text=True
    ).stdout


def capture(name: str) -> None:
    text = tmux("capture-pane", "-t", SESSION, "-p")
    ansi = tmux("capture-pane", "-t", SESSION, "-p", "-e")
    (OUT / f"{name}.txt").write_text(text, "utf-8")
    render(ansi, OUT / f"{name}.png")
    print(f"wrote {OUT / name}.txt and .png")


def render(ansi: str, target: Path, cols: int = 80, rows: int = 24) -> None:
    """Draw a terminal capture (text with SGR codes) as a picture, cell by cell."""
    font, bold = ImageFont.truetype(FONT, 16), ImageFont.truetype(BOLD, 16)
    cell_w, cell_h = round(font.getlength("M")), 20
    fg0, bg0 = (229, 229, 229), (24, 24, 27)
    image = Image.new("RGB", (cols * cell_w + 16, rows * cell_h + 16), bg0)
    draw = ImageDraw.Draw(image)
    for y, line in enumerate(ansi.splitlines()[:rows]):
        text = Text.from_ansi(line)
        for x, (char, style) in enumerate(_cells(text)):
            fg = _rgb(style.color, fg0) if style else fg0
            bg = _rgb(style.bgcolor, bg0) if style else bg0
            if style and style.reverse:
                fg, bg = bg, fg
            left, top = 8 + x * cell_w, 8 + y * cell_h
            if bg != bg0:
                draw.rectangle([left, top, left + cell_w, top + cell_h], fill=bg)
            if char.strip():
                draw.text(
                    (left, top + 1), char, font=bold if style and style.bold else font, fill=fg
                )
            x += 1
    image.save(target)


def _cells(text: Text):  # type: ignore[no-untyped-def]
    """Each character of a Rich text with its style."""
    plain = text.plain
    styles = [None] * len(plain)
    for span in text.spans:
        for i in range(span.start, min(span.end, len(plain))):
            style = span.style
            styles[i] = style if styles[i] is None else styles[i] + style  # type: ignore[operator]
    return zip(plain, styles, strict=True)


def _rgb(color: Color | None, default: tuple[int, int, int]) -> tuple[int, int, int]:
    if color is None or color.is_default:
        return default
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def main() -> None:
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed")
    from referral_cli.directory import sample_path

    work = Path(tempfile.mkdtemp(prefix="call-capture-"))
    env = {
        **os.environ,
        "REFERRAL_CONFIG": str(work / "config.toml"),
        "REFERRAL_CACHE_DIR": str(work / "cache"),
        "TERM": "xterm-256color",
    }
    env.pop("NO_COLOR", None)
    referral = shutil.which("referral") or "referral"
    command = f"{referral} call --data {sample_path()} --slips {work}"
    subprocess.run(
        [
            "tmux",
            "-L",
            SESSION,
            "new-session",
            "-d",
            "-s",
            SESSION,
            "-x",
            "80",
            "-y",
            "24",
            command,
        ],
        check=True,
        env=env,
    )
    try:
        time.sleep(4)
        for line in LINES:
            tmux("send-keys", "-t", SESSION, "-l", line)
            tmux("send-keys", "-t", SESSION, "Enter")
            time.sleep(0.8)
        tmux("send-keys", "-t", SESSION, "F3")
        time.sleep(0.4)
        tmux("send-keys", "-t", SESSION, "F3")
        time.sleep(0.4)
        tmux("send-keys", "-t", SESSION, "Up")
        time.sleep(0.6)
        capture("call")
        tmux("send-keys", "-t", SESSION, "F2")
        time.sleep(0.8)
        capture("call-details")
        tmux("send-keys", "-t", SESSION, "Escape")
        time.sleep(0.4)
        tmux("send-keys", "-t", SESSION, "F4")  # a slip of the two marked, as offered
        time.sleep(0.8)
        tmux("send-keys", "-t", SESSION, "Enter")
        time.sleep(4)
        capture("call-slip")
        slips = sorted(work.glob("slip-*.pdf"))
        if len(slips) != 1 or not slips[0].read_bytes().startswith(b"%PDF"):
            sys.exit(f"no slip was written in {work}: {slips}")
        tmux("send-keys", "-t", SESSION, "F9")  # a new caller: nothing of this one left
        time.sleep(0.8)
        capture("call-new-caller")
        fresh = (OUT / "call-new-caller.txt").read_text("utf-8")
        left = [w for w in ("Fresno", "Spanish", "Youth", "+1 ") if w in fresh]
        if left:
            sys.exit(f"a new caller still shows {left}")
        tmux("send-keys", "-t", SESSION, "F10")
        time.sleep(1)
    finally:
        subprocess.run(["tmux", "-L", SESSION, "kill-server"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
