"""What a change does to the coverage (:mod:`.compare`) as text, Markdown, HTML and
GitHub workflow commands: the same sections, in the same order, in each."""

from __future__ import annotations

from referral_cli.coverage.compare import (
    BEDS_GAINED,
    BEDS_LOST,
    CLOSED,
    OPENED,
    REMOTE_ONLY,
    Comparison,
)
from referral_cli.coverage.render_html import Markup, concat, fill, page
from referral_cli.coverage.render_markdown import md_text
from referral_cli.output import clean

SECTIONS = (
    (OPENED, "New gaps"),
    (REMOTE_ONLY, "Only remote now"),
    (CLOSED, "Gaps closed"),
    (BEDS_LOST, "Beds lost"),
    (BEDS_GAINED, "Beds gained"),
)


def verdict(c: Comparison) -> str:
    """One sentence: whether the change opens a gap."""
    if c.new_gaps:
        n = len(c.of(OPENED)) + len(c.of(REMOTE_ONLY))
        return f"This change opens {n} coverage gap(s)."
    if not c.changes:
        return "This change does not change the coverage."
    return "This change opens no coverage gap."


def text(c: Comparison) -> str:
    """Plain text (no markup, control codes removed), for a terminal or a log."""
    lines = [clean(c.title()), clean(c.after.title()), verdict(c)]
    for kind, heading in SECTIONS:
        found = c.of(kind)
        if found:
            lines += ["", f"{heading} ({len(found)})"]
            lines += [f" * {clean(ch.message)}" for ch in found]
    if c.scores:
        lines += ["", "Areas covered, before → after"]
        width = max(len(clean(p)) for p, _, _ in c.scores)
        lines += [f" {clean(p):<{width}}  {b} → {a}" for p, b, a in c.scores]
    return "\n".join(lines) + "\n"


def markdown(c: Comparison) -> str:
    """A Markdown summary, for a pull request comment or a job summary."""
    lines = [f"## {md_text(c.title())}", "", md_text(c.after.title()), "", f"**{verdict(c)}**"]
    for kind, heading in SECTIONS:
        found = c.of(kind)
        if found:
            lines += ["", f"### {heading} ({len(found)})", ""]
            lines += [f"- {md_text(ch.message)}" for ch in found]
    if c.scores:
        lines += ["", "### Areas covered", "", "| Place | before | after |", "|---|:-:|:-:|"]
        lines += [f"| {md_text(p)} | {b} | {a} |" for p, b, a in c.scores]
    return "\n".join(lines) + "\n"


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}"
    "h2{font-size:1.1em}table{border-collapse:collapse}"
    "td,th{border:1px solid #999;padding:.2em .6em;text-align:center}"
    "td:first-child{text-align:left}.opened{color:#a00}"
)


def html(c: Comparison) -> str:
    """One self-contained page (inline CSS, no scripts)."""
    body = [
        fill("<h1>{t}</h1>", t=c.title()),
        fill("<p>{t}</p>", t=c.after.title()),
        fill("<p><strong>{t}</strong></p>", t=verdict(c)),
    ]
    for kind, heading in SECTIONS:
        found = c.of(kind)
        if found:
            items = concat(fill("<li>{m}</li>", m=ch.message) for ch in found)
            body.append(fill("<h2>{h} ({n})</h2>", h=heading, n=len(found)))
            body.append(fill('<ul class="{k}">{items}</ul>', k=kind, items=items))
    if c.scores:
        rows = concat(
            fill("<tr><td>{p}</td><td>{b}</td><td>{a}</td></tr>", p=p, b=b, a=a)
            for p, b, a in c.scores
        )
        body.append(Markup("<h2>Areas covered</h2>"))
        body.append(
            fill("<table><tr><th>Place</th><th>before</th><th>after</th></tr>{r}</table>", r=rows)
        )
    return page(c.title(), _CSS, body)


def _command_text(value: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped as GitHub asks."""
    return clean(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github(c: Comparison) -> str:
    """GitHub workflow commands: an error per new gap, a warning per bed lost, a
    notice per gap closed (shown on the run and the pull request)."""
    levels = {OPENED: "error", REMOTE_ONLY: "error", BEDS_LOST: "warning", CLOSED: "notice"}
    titles = dict(SECTIONS)
    lines = [
        f"::{levels[ch.change]} title={titles[ch.change]}::{_command_text(ch.message)}"
        for ch in c.changes
        if ch.change in levels
    ]
    lines.append(f"::notice title=Coverage::{_command_text(verdict(c))}")
    return "\n".join(lines) + "\n"
