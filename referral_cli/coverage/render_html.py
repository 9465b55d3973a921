"""The coverage matrix and the planning matrices as one self-contained HTML page each
(inline CSS, no scripts or external assets), to mail to partners.

Every page is made of templates written here, filled by :func:`fill`: the one
place where a value is escaped (text from the data can never become markup),
and the page skeleton (:func:`page`) is written once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from referral_cli.coverage.legend import PALE_EMPTY, SHADES
from referral_cli.coverage.model import EMPTY, UNKNOWN, Matrix, Place, Row, join_words
from referral_cli.coverage.plans import Grid, cell_text
from referral_cli.output import html_text


class Markup(str):
    """HTML made by :func:`fill` from this module's templates: never escaped again."""

    __slots__ = ()


def fill(template: str, /, **values: object) -> Markup:
    """``template`` (HTML written in this module) with each ``{name}`` replaced by its
    value, escaped (control codes removed, ``<>&"'`` as entities) unless it is
    :class:`Markup` already."""
    escaped = {k: v if isinstance(v, Markup) else html_text(v) for k, v in values.items()}
    return Markup(template.format_map(escaped))


def concat(parts: Iterable[Markup], separator: str = "") -> Markup:
    return Markup(separator.join(parts))


def page(title: str, css: str, body: Iterable[Markup]) -> str:
    """The page skeleton: a title, inline CSS, ``body`` inside ``<main>``."""
    lines = [
        Markup("<!DOCTYPE html>"),
        Markup('<html lang="en">'),
        Markup("<head>"),
        Markup('<meta charset="utf-8">'),
        Markup('<meta name="viewport" content="width=device-width, initial-scale=1">'),
        fill("<title>{title}</title>", title=title),
        fill("<style>{css}</style>", css=Markup(css)),
        Markup("</head>"),
        Markup("<body><main>"),
        *body,
        Markup("</main></body></html>"),
    ]
    return concat(lines, "\n") + "\n"


_HTML_SHADE_WORDS = {
    0: "-- nothing",
    1: "0+1 only remote or statewide",
    2: "1 provider",
    3: "2-3 providers",
    4: "4 or more",
}

_CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 1.55em; margin: 0 0 4px; }
h2 { font-size: 1.15em; margin: 28px 0 8px; }
.meta { color: #555; margin: 0 0 18px; }
.scroll { overflow-x: auto; }
table.heat { border-collapse: separate; border-spacing: 3px; }
table.heat th { font-weight: 600; text-align: left; padding: 4px 8px; vertical-align: bottom; }
table.heat thead th { text-align: center; max-width: 9em; }
table.heat thead th.row { text-align: left; }
td.score { color: #333; font-style: italic; background: #f2f2f2; }
table.heat th.row { white-space: nowrap; position: sticky; left: 0; background: #fff; }
table.heat th.service { font-weight: 400; padding-left: 22px; }
table.heat td { text-align: center; min-width: 3.6em; padding: 6px 8px; border-radius: 4px;
  font-variant-numeric: tabular-nums; }
td.l0 { font-weight: 700; }
tr.service td.l0 { font-weight: 400; }
tr.score th, tr.score td { color: #333; font-style: italic; background: #f2f2f2; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 14px 0 0; }
.legend span.sw { display: inline-block; padding: 2px 10px; border-radius: 4px; }
.howto { color: #333; margin: 10px 0 0; }
.nw { white-space: nowrap; }
ul.gaps { padding-left: 1.2em; }
ul.gaps li { margin: 4px 0; }
.score-pill { display: inline-block; min-width: 2.6em; text-align: center; background: #eee;
  border-radius: 9px; padding: 0 6px; margin-right: 6px; font-size: .9em; }
footer { margin-top: 32px; color: #666; font-size: .85em; }
@media print { main { padding: 0; } .scroll { overflow: visible; } }
"""


_HOW_TO_READ = Markup(
    '<p class="howto">Each cell counts the providers serving the place: '
    "<b>2+1</b> means 2 located there and 1 remote or statewide service that reaches it; "
    '<b>0+1</b> means only remote help; <b class="nw">--</b> means nothing. '
    "“Areas covered” reads <b>1+4/5</b>: 1 area with a provider located in the place "
    "and 4 reached only remotely, of 5; a place is complete only when every area "
    "has a provider located there.</p>"
)


def html(m: Matrix, *, generated: dt.date | None = None) -> str:
    """The coverage matrix, its legend, the gaps and the remote services counted."""
    generated = generated or dt.date.today()
    css = _CSS + "".join(
        f"td.l{level}, span.l{level} {{ background: {bg}; color: {fg}; }}\n"
        for level, (bg, fg) in SHADES.items()
    )
    css += f"tr.service td.l0 {{ background: {PALE_EMPTY[0]}; color: {PALE_EMPTY[1]}; }}\n"
    out = [fill("<h1>{title}</h1>", title=m.title())]
    meta = [f"{len(m.places)} places", f"{m.counted} providers counted"]
    if m.population is not None:
        meta.append(f"only providers that serve {m.population_words}")
    meta.append(f"generated {generated.isoformat()}")
    out.append(fill('<p class="meta">{meta}</p>', meta=" · ".join(meta)))
    if not m.places:
        out.append(fill("<p>No provider has a {by} in its address.</p>", by=m.by))
    else:
        out.append(_table(m))
        out.append(Markup('<div class="legend">'))
        for level in SHADES:
            out.append(
                fill(
                    '<span class="sw l{level}">{words}</span>',
                    level=level,
                    words=_HTML_SHADE_WORDS[level],
                )
            )
        out.append(Markup("</div>"))
        out.append(_HOW_TO_READ)
        out.append(fill("<h2>Gaps ({n} of {of} places)</h2>", n=len(m.gaps), of=len(m.places)))
        if m.gaps:
            out.append(Markup('<ul class="gaps">'))
            for g in m.gaps:
                out.append(
                    fill(
                        '<li><span class="score-pill">{score}</span>'
                        "<strong>{place}</strong>: {details}</li>",
                        score=m.score(g.place),
                        place=g.place,
                        details=g.details,
                    )
                )
            out.append(Markup("</ul>"))
        else:
            out.append(Markup("<p>No gaps: every place has every area and critical service.</p>"))
        if m.remote_services:
            out.append(Markup("<h2>Remote and statewide services counted</h2>"))
            out.append(Markup('<ul class="remote">'))
            for service in m.remote_services:
                words = fill(" — {reach}", reach=service.reach) if service.reach else Markup()
                out.append(fill("<li>{name}{words}</li>", name=service.name, words=words))
            out.append(Markup("</ul>"))
    notes = [Markup("Made with referral-cli (<code>referral coverage</code>).")]
    if m.critical:
        notes.append(
            fill(
                "Critical services checked in every place: {services}.",
                services=join_words(m.critical, "and"),
            )
        )
    if any(pl.label.startswith(UNKNOWN) for pl in m.places):
        notes.append(
            fill("{unknown}: providers whose address gives no {by}.", unknown=UNKNOWN, by=m.by)
        )
    out.append(fill("<footer>{notes}</footer>", notes=concat(notes, " ")))
    return page(m.title(), css, out)


def _cell(m: Matrix, row: Row, pl: Place) -> Markup:
    c = m.cell(row.key, pl.label)
    tip = f"{pl.label} · {row.label}: {c.local} located here, {c.remote} remote/statewide"
    return fill(
        '<td class="l{level}" title="{tip}">{text}</td>', level=c.level, tip=tip, text=c.text
    )


def _table(m: Matrix) -> Markup:
    """The heatmap: places as rows when there are many of them, else as columns."""
    transpose = m.detail == "areas" and len(m.places) > 8
    lines = [Markup('<div class="scroll"><table class="heat">')]
    if transpose:
        heads = concat(fill('<th scope="col">{label}</th>', label=r.label) for r in m.rows)
        lines.append(
            fill(
                '<thead><tr><th class="row">{by}</th>{heads}'
                '<th scope="col">Areas covered</th></tr></thead><tbody>',
                by=m.by.capitalize(),
                heads=heads,
            )
        )
        for pl in m.places:
            lines.append(
                fill(
                    '<tr><th class="row" scope="row">{label}</th>{cells}'
                    '<td class="score">{score}</td></tr>',
                    label=pl.label,
                    cells=concat(_cell(m, r, pl) for r in m.rows),
                    score=m.score(pl.label),
                )
            )
        reached = concat(fill("<td>{n}</td>", n=m.places_covered(r)) for r in m.rows)
        lines.append(
            fill(
                '<tr class="score"><th class="row" scope="row">Places covered</th>{reached}'
                "<td></td></tr>",
                reached=reached,
            )
        )
    else:
        first = "Area / service" if m.detail == "services" else "Area"
        heads = concat(fill('<th scope="col">{label}</th>', label=pl.label) for pl in m.places)
        lines.append(
            fill(
                '<thead><tr><th class="row">{first}</th>{heads}</tr></thead><tbody>',
                first=first,
                heads=heads,
            )
        )
        for r in m.rows:
            lines.append(
                fill(
                    '<tr{tr}><th class="{kind}" scope="row">{label}</th>{cells}</tr>',
                    tr=Markup(' class="service"' if r.kind == "service" else ""),
                    kind="row" if r.kind == "area" else "row service",
                    label=r.label,
                    cells=concat(_cell(m, r, pl) for pl in m.places),
                )
            )
        scores = concat(fill("<td>{score}</td>", score=m.score(pl.label)) for pl in m.places)
        lines.append(
            fill(
                '<tr class="score"><th class="row" scope="row">Areas covered</th>{scores}</tr>',
                scores=scores,
            )
        )
    lines.append(Markup("</tbody></table></div>"))
    return concat(lines, "\n")


_GRID_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#111}"
    "table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.3rem .6rem}"
    "th[scope=row]{text-align:left}td.n{text-align:right}td.gap{background:#ffd7d7;"
    "color:#870000;text-align:center}"
)


def grid_html(grid: Grid) -> str:
    """A planning matrix as a table, then its notes."""
    head = concat(fill('<th scope="col">{column}</th>', column=c) for c in grid.columns)
    body = concat(
        fill(
            '<tr><th scope="row">{label}</th>{cells}</tr>',
            label=label,
            cells=concat(
                fill(
                    '<td class="{kind}">{text}</td>',
                    kind="gap" if cell_text(c) == EMPTY else "n",
                    text=cell_text(c),
                )
                for c in cells
            ),
        )
        for label, cells in grid.rows
    )
    notes = concat(fill("<li>{note}</li>", note=n) for n in grid.notes)
    return page(
        grid.title,
        _GRID_CSS,
        [
            fill("<h1>{title}</h1>", title=grid.title),
            fill(
                "<table><thead><tr><th>{first}</th>{head}</tr></thead>"
                "<tbody>{body}</tbody></table>",
                first=grid.first,
                head=head,
                body=body,
            ),
            fill("<ul>{notes}</ul>", notes=notes),
        ],
    )
