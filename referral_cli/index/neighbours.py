"""The public providers at a confidential provider's place: published, their
street or point would show where the confidential one is. Every command asks
(``directory.load``): ``validate`` reports them as errors, and the serving
commands leave them out, as they leave out any provider with an error."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from referral_cli.geo.addresses import street_key
from referral_cli.geo.distance import PointGrid
from referral_cli.index.store import Index

# A public provider this close to a confidential one's exact point is at its
# place (points of one building differ by a few metres between sources).
NEIGHBOUR_METRES = 10.0


@dataclass(frozen=True)
class Neighbour:
    """A public provider (id, path, line, col) at the place of a confidential one
    (``secret_*``), by its ``what`` ("point", "street and postal code")."""

    id: str
    path: str
    line: int
    col: int
    secret_id: str
    secret_path: str
    secret_line: int
    secret_col: int
    what: str


def beside_confidential(index: Index, metres: float = NEIGHBOUR_METRES) -> list[Neighbour]:
    """The public providers at a confidential provider's place: the same street
    and postal code (:func:`street_key`), or a point within ``metres`` of its
    exact point. Only the confidential providers are decoded, and the answer is
    kept for these very files (ids, file ids and lines: no place), so that a warm
    command of a large directory decodes none."""
    asked = f"{metres!r}"
    found = index.recalled("neighbours", asked)
    if not isinstance(found, list):
        found = index.consistently(lambda: _find(index, metres))
        index.keep("neighbours", asked, found)
    shown = index.shown_paths()
    return [
        Neighbour(pid, shown[fid], line, col, sid, shown[sfid], sline, scol, what)
        for pid, fid, line, col, sid, sfid, sline, scol, what in found
        if fid in shown and sfid in shown
    ]


def _find(index: Index, metres: float) -> list[tuple[str, int, int, int, str, int, int, int, str]]:
    secret = index.rows(
        "SELECT rowid, file_id FROM providers WHERE file_id IN ({files}) AND confidential", ()
    )
    found = index.with_rowids([r for r, _ in secret])
    if found is None:
        raise sqlite3.DatabaseError("rebuilt")
    out = []
    columns = "SELECT p.id, p.file_id, p.line, p.col, p.lat, p.lon, p.rowid FROM providers p"
    seen: set[tuple[int, int]] = set()  # one error a public provider
    points: PointGrid[Any] | None = None  # read once, when first needed
    for c, (_, secret_file) in zip(found, secret, strict=True):
        a = c.address
        key = None if a is None else street_key(a.street, a.postal_code)
        rows = []
        if key is not None:
            rows += [
                (r, "street and postal code")
                for r in index.rows(
                    f"{columns} WHERE p.file_id IN ({{files}}) AND NOT p.confidential"
                    " AND p.street = ?",
                    (key,),
                )
            ]
        if c.lat is not None and c.lon is not None and c.placed is None:
            if points is None:
                points = _public_points(index, columns, metres)
            near = points.within(c.lat, c.lon)
            # a point that is the middle of a town or postal code shows nothing
            exact = index.with_rowids([r[6] for r in near])
            if exact is None:
                raise sqlite3.DatabaseError("rebuilt")
            rows += [(r, "point") for r, p in zip(near, exact, strict=True) if p.placed is None]
        src = c.source
        for (pid, file_id, line, col, *_), what in rows:
            if (file_id, line) not in seen:
                seen.add((file_id, line))
                out.append((pid, file_id, line, col, c.id, secret_file, src.line, src.col, what))
    return out


def _public_points(index: Index, columns: str, metres: float) -> PointGrid[Any]:
    """Every public provider with a point, read once: a query of the place index per
    confidential provider met every area-wide box around it (an hour at a million
    providers)."""
    grid: PointGrid[Any] = PointGrid(metres)
    for r in index.rows(
        f"{columns} WHERE p.file_id IN ({{files}}) AND NOT p.confidential AND p.lat IS NOT NULL"
    ):
        grid.add(r[4], r[5], r)
    return grid
