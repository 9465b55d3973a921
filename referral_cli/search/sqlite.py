"""A search answered inside the index: the rules of :mod:`referral_cli.search.rules`,
asked of SQLite.

Around one town of a national directory the candidates of a search can number
a hundred thousand; decoding each into a provider to rank it would take
seconds. Here SQLite filters, measures and orders them, and only the results
shown are decoded. What it needs of a provider beyond its row is one of the few
values most providers share (eligibility, languages, hours, service area, each
filed under a key: :mod:`referral_cli.index.filing`): search's own rules judge
each value once, into a small table the statement joins by key. The
candidates are computed once into a scratch table, then counted (for the notes
and the filters that may be let go of) and ordered from it.

Around a place the candidates are every provider there, tens of thousands in a
city of a large directory, and weighing each costs in proportion to them. A
question of words and a place alone (or a place alone) ranks the matches by the
words their text holds, then by distance, and says nothing that needs them all
counted, unless the radius is widened: its answer is read without weighing them
(:func:`_nearest_first`), the nearest from the smallest circle that holds enough
of them, the words' hits from the full-text index. Every note and reason is
worded by :mod:`referral_cli.search.rules`; property tests
(tests/search/test_index_search.py) show both give the same answer.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from referral_cli.blake2 import blake2b
from referral_cli.geo.distance import EARTH_RADIUS_KM
from referral_cli.geo.place import Origin
from referral_cli.index.store import Index, Near, candidate_filter, located, near_check
from referral_cli.languages import speaks
from referral_cli.query.record import Query
from referral_cli.records import codec, hours, tonight
from referral_cli.records.model import Provider
from referral_cli.records.words import match_expression, phrase, spaced, words_of
from referral_cli.search.rules import (
    MAX_RADIUS_KM,
    MIN_RESULTS,
    SPEAKS_SCORE,
    Result,
    SearchResult,
    check_radius,
    denied,
    elsewhere_note,
    explain,
    families_left,
    families_left_note,
    fit,
    keep_open,
    keep_speaking,
    known_to_fit,
    meets,
    mentions,
    names_person,
    not_stated_note,
    public_distance,
    reach_of,
    resides,
    said_hits,
    said_words,
    text_hits,
    unmatched_note,
    unmet_note,
    weighed,
    weighed_sql,
    widen,
    words_filter,
)
from referral_cli.taxonomy import Taxonomy

# A provider's distance as search.public_distance measures it (haversine, the same
# operations in the same order, so the same double; a confidential one from its
# rounded point, filed rounded, in whole km and at least 1). SQLite's round()
# could differ from Python's only for a distance within a rounding error of a
# half (x.x5 km): it orders; the distance shown is always Python's, measured on
# the decoded result. Arguments: the origin's latitude in radians, its cosine,
# its longitude.
_HAVERSINE = (
    f"{2 * EARTH_RADIUS_KM!r} * asin(min(1.0, sqrt("
    "pow(sin((radians({lat}) - ?) / 2), 2)"
    " + ? * cos(radians({lat})) * pow(sin(radians({lon} - ?) / 2), 2))))"
)
_DISTANCE = (
    "CASE WHEN {lat} IS NULL OR {lon} IS NULL THEN NULL"
    f" WHEN {{confidential}} THEN max(1.0, round({_HAVERSINE}))"
    f" ELSE round({_HAVERSINE}, 1) END"
)
# Where a provider is and whether it is confidential, as the statement reads
# them: from its row, or, for one served as confidential (:class:`Serving`), from
# ``temp.served``.
_FILED = {"lat": "p.lat", "lon": "p.lon", "confidential": "p.confidential"}
_SERVED = {
    "lat": "(CASE WHEN h.rowid IS NULL THEN p.lat ELSE h.lat END)",
    "lon": "(CASE WHEN h.rowid IS NULL THEN p.lon ELSE h.lon END)",
    "confidential": "(p.confidential OR h.rowid IS NOT NULL)",
}


@dataclass(frozen=True)
class Serving:
    """The providers a directory serves otherwise than they are filed, by (path as
    shown, line): ``left`` out (an id served by another provider), and ``hidden``,
    served as ``hide`` makes them (confidential)."""

    left: frozenset[tuple[str, int]]
    hidden: frozenset[tuple[str, int]]
    hide: Callable[[Provider], Provider]


def search_index(
    index: Index,
    q: Query,
    *,
    near: Near | None,
    origin: Origin | None,
    radius_km: float,
    limit: int,
    open_now: bool,
    now: dt.datetime | None,
    tax: Taxonomy,
    stated_only: bool,
    report_hours: float = tonight.DEFAULT_REPORT_HOURS,
    serving: Serving | None = None,
) -> SearchResult:
    """What :func:`referral_cli.search.rules.search` answers for the providers
    ``index.candidates(q.services, q.areas, q.terms, near)`` (the terms when they
    narrow), as ``serving`` serves them. Its reads must see one state of the
    database: call it through :meth:`Index.consistently`."""
    check_radius(radius_km)
    hidden = _served(index, serving)
    at = now or tonight.now()
    notes: list[str] = []
    relaxed: list[str] = []
    # Around a place the candidates are few enough to test each for the words
    # (the texts table), cheaper than the full-text set of a common word.
    narrow = words_filter(q, origin)
    where, where_args = candidate_filter(q.services, q.areas, q.terms if narrow else [], near)
    select, rows_of = _rows(
        index, q, where, where_args, origin, open_now, now, tax, stated_only, narrow,
        hidden is not None,
    )  # fmt: skip
    nearest = None
    if (
        origin is not None
        and near is not None
        and _by_words_then_distance(q, open_now, stated_only)
        and not _residency_asked(index, origin)
    ):
        nearest = _nearest_first(index, q, near, radius_km, limit, select, rows_of)
    if nearest is not None:
        ranked, left_rows, used = nearest
        if q.terms and (said := unmatched_note(q.terms, used)):
            notes.append(said)
        used_radius: float | None = radius_km
        looked: float | None = radius_km
        filtered = (False, False)  # no language or open-now asked
    else:
        ranked, left_rows, used_radius, looked, filtered = _weighed(
            index, q, origin, radius_km, limit, open_now, tax, stated_only, at, report_hours,
            notes, relaxed, select(where, where_args), rows_of,
        )  # fmt: skip
    results = _results(index, ranked, q, tax, origin, filtered, at, report_hours, serving, hidden)
    left = [
        (p, tonight.status_text(p.status, at.date()) or "")
        for p in _decoded(index, left_rows[:limit], serving, hidden) or []
    ]
    if left_rows:
        notes.append(tonight.left_out_note(left, len(left_rows)))
    if used_radius is not None and used_radius != radius_km:
        relaxed.append("radius")
    return SearchResult(
        q, origin, used_radius, results, notes,
        radius_asked_km=radius_km, relaxed=relaxed, looked_km=looked,
        left_out=left, left_out_count=len(left_rows),
    )  # fmt: skip


_Ranked = list[tuple[int, float, str]]


def _weighed(
    index: Index,
    q: Query,
    origin: Origin | None,
    radius_km: float,
    limit: int,
    open_now: bool,
    tax: Taxonomy,
    stated_only: bool,
    at: dt.datetime,
    report_hours: float,
    notes: list[str],
    relaxed: list[str],
    candidates: tuple[str, list[Any]],
    rows_of: Callable[[str], str],
) -> tuple[_Ranked, list[int], float | None, float | None, tuple[bool, bool]]:
    """The results in rank order, the rowids of the matches left out, the radius
    used and the radius looked within, and whether the language and open-now
    filters were kept, every candidate weighed: they are kept in
    a scratch table, counted (for the notes, and the filters that may be let go
    of), then ordered; the notes and filters let go of added to ``notes`` and
    ``relaxed``."""
    index.scratch(*candidates)  # read several times below, computed once
    rows = rows_of("temp.scratch")
    person = names_person(q)

    # One pass counts what the notes, and the filters that may be let go of, need.
    counts = ["count(*) FILTER (WHERE kept)"]
    if stated_only:
        counts.append("count(*) FILTER (WHERE fits AND matched AND unstated)")
    counts.append("count(*) FILTER (WHERE families AND matched AND refers)")
    left_elsewhere = "elsewhere IS NOT NULL AND matched AND refers"
    counts.append(f"count(*) FILTER (WHERE {left_elsewhere})")
    counts.append(f"json_group_array(DISTINCT elsewhere) FILTER (WHERE {left_elsewhere})")
    if q.languages:
        counts.append("count(*) FILTER (WHERE kept AND speaks)")
    counts += [f"max(kept AND hit{i})" for i in range(len(q.terms))]
    languages = _options(q.languages)
    if open_now:
        for lang in languages:
            counts.append(f"count(*) FILTER (WHERE {_chosen(lang, False)} AND opened)")
            counts.append(f"count(*) FILTER (WHERE {_chosen(lang, False)} AND unknown_hours)")
    radii = _radii(radius_km) if origin is not None else []
    variants = [(lang, open_) for lang in languages for open_ in _options(open_now)]
    for lang, open_ in variants:
        counts += [
            f"count(*) FILTER (WHERE {_chosen(lang, open_)} AND cat IS NULL AND d IS NOT NULL"
            f" AND (d <= rad OR d <= {r!r}))"
            for r in radii
        ]
    found = list(index.rows(f"SELECT {', '.join(counts)} FROM {rows}")[0])
    matches = found.pop(0)
    if stated_only and (left := found.pop(0)):
        notes.append(not_stated_note(left))
    if for_families := found.pop(0):
        notes.append(families_left_note(for_families))
    elsewhere, areas = found.pop(0), found.pop(0)
    if elsewhere:
        places = [area for joined in json.loads(areas) for area in joined.split("\n")]
        notes.append(elsewhere_note(elsewhere, places, origin))
    with_lang = found.pop(0) if q.languages else 0
    used = {t for t in q.terms if found.pop(0)}
    if q.terms and (said := unmatched_note(q.terms, used)):
        notes.append(said)
    hours_counts = {lang: (found.pop(0), found.pop(0)) for lang in languages} if open_now else {}
    in_person = {
        variant: found[i * len(radii) : (i + 1) * len(radii)] for i, variant in enumerate(variants)
    }
    lang = bool(q.languages) and keep_speaking(q, tax, matches, with_lang, notes, relaxed)
    open_ = open_now and keep_open(
        with_lang if lang else matches, *hours_counts[lang], notes, relaxed
    )

    # Where: the radius widened as search widens it; then the results in rank order.
    chosen = _chosen(lang, open_)
    score = f"score0 + {SPEAKS_SCORE!r}" if lang else "score0"
    unsure = " unsure," if person else ""
    # A shelter need: a bed reported tonight, then nothing known, then full (tonight.bed_tier).
    fresh = tonight.cutoff(at, report_hours)
    beds = (
        f" CASE WHEN beds IS NULL OR as_of < {fresh!r} THEN {tonight.UNKNOWN}"
        f" WHEN beds > 0 THEN {tonight.HAS_BEDS} ELSE {tonight.FULL} END,"
        if tonight.asks_for_beds(q.services)
        else ""
    )
    used_radius: float | None = None
    looked: float | None = None
    if origin is None:
        body, body_args = f"FROM {rows} WHERE {chosen}", list[Any]()
        order = f" ORDER BY{beds}{unsure} -({score}), sort_name, id LIMIT ?"
        sql = f"SELECT rowid, {score}, 'unknown' {body}{order}"
        args: list[Any] = [limit]
        closed = f"SELECT rowid FROM {rows} WHERE {_closed(stated_only)} ORDER BY sort_name, id"
        closed_args: list[Any] = []
    else:
        reached = dict(zip(radii, in_person[(lang, open_)], strict=True))
        used_radius, looked = widen(reached.__getitem__, radius_km, notes)
        body = (
            f"FROM (SELECT *, {score} AS score, {_PLACED} AS reach"
            f" FROM {rows} WHERE {chosen}) WHERE reach IS NOT NULL"
        )
        body_args = [used_radius]
        order = (
            f" ORDER BY (reach = 'local' AND d > ?),{beds}{unsure} -score, d IS NULL, d,"
            " reach IN ('regional', 'national', 'remote'), sort_name, id LIMIT ?"
        )
        sql = f"SELECT rowid, score, reach {body}{order}"
        args = [*body_args, radius_km, limit]
        closed = (
            f"SELECT rowid FROM (SELECT *, {_PLACED} AS reach FROM {rows}"
            f" WHERE {_closed(stated_only)}) WHERE reach IS NOT NULL ORDER BY sort_name, id"
        )
        closed_args = [used_radius]
    ranked = index.rows(sql, args)
    left_rows = [rowid for (rowid,) in index.rows(closed, closed_args)]
    if len(q.services) > 1:  # the asked needs no provider within reach meets: said
        met = ", ".join(f"max(svc{i})" for i in range(len(q.services)))
        offered = index.rows(f"SELECT {met} {body}", body_args)[0]
        where_met = "within reach" if origin is not None else "in this directory"
        said = unmet_note(
            q, [s for s, o in zip(q.services, offered, strict=True) if o], tax, where_met
        )
        if said:
            notes.append(said)
    index.scratch(None)
    return ranked, left_rows, used_radius, looked, (lang, open_)


# How a match reaches the origin (``?``: the radius used): area-wide, within the
# radius, travelling to it, or not at all (NULL).
_PLACED = (
    "CASE WHEN cat IS NOT NULL THEN cat WHEN d <= ? THEN 'local' WHEN d <= rad THEN 'radius' END"
)
# The rank among matches within reach of equal standing before their score.
_BY_SCORE = "-score0, d IS NULL, d, reach IN ('regional', 'national', 'remote'), sort_name, id"


def _residency_asked(index: Index, origin: Origin) -> bool:
    """Whether a place was said for the person and some provider serves only
    residents of somewhere: then not every eligibility fits, and those left out
    are counted and said (:func:`_weighed`)."""
    return origin.lives is not None and any(
        codec.eligibility(value).residents_of
        for value in index.facts_of((codec.ELIGIBILITY,))[codec.ELIGIBILITY].values()
    )


def _by_words_then_distance(q: Query, open_now: bool, stated_only: bool) -> bool:
    """Whether every match around a place ranks by the words its text holds, then
    by distance: no need, area, language or open-now asked, no service denied, no
    person named (every eligibility fits, none specialises: no focus). Then the
    matches no word hits all weigh the same and rank by distance alone, and
    nothing the answer says counts every provider around the place."""
    return not (
        q.services or q.areas or q.languages or denied(q) or names_person(q)
        or open_now or stated_only
    )  # fmt: skip


# The first circle the nearest matches are looked for in, in km (then doubled):
# around a town's centre it holds ten of a dense directory's providers.
_FIRST_CIRCLE_KM = 0.5


def _nearest_first(
    index: Index,
    q: Query,
    near: Near,
    radius_km: float,
    limit: int,
    select: _Select,
    rows_of: Callable[[str], str],
) -> tuple[_Ranked, list[int], set[str]] | None:
    """The answer of a search ranked by words, then distance
    (:func:`_by_words_then_distance`), without weighing every provider around the
    place: the results in rank order, the rowids of the matches left out and the
    terms some match's text holds; ``None`` when fewer than
    :data:`referral_cli.search.rules.MIN_RESULTS` a person can reach lie within
    the radius, or the results reach beyond it (the radius is then decided by
    counting every match: :func:`_weighed`).

    The matches some word hits rank first, by how many and where: those that
    every word hits, in their name too, from the smallest circle that holds
    enough of them (:func:`_within`; of the points in a circle, only the
    full-text hits of every word are read), or else the words' full-text hits
    among the candidates, each weighed. The others all weigh the same and rank by
    distance: the nearest are read from the smallest circle that holds enough."""
    origin = (near.lat, near.lon)
    in_person = _within(
        index, origin, radius_km, "cat IS NULL", MIN_RESULTS, select, rows_of, in_order=False
    )
    if len(in_person) < MIN_RESULTS:
        return None  # the radius may be widened: counted over every candidate
    used: set[str] = set()
    ranked: _Ranked = []
    expression = match_expression(q.terms)
    if expression is not None:
        spelt = [t for t in q.terms if phrase(t) is not None]
        every: dict[str, float] = {"areas": 0, "services": 0, "denied": 0, "primary": 0, "said": 0}
        best = weighed(every | {"words": len(spelt), "named": len(spelt)})  # each word, named
        # The full-text hits of every word, listed once (asked of each provider in
        # a circle, the full-text index would be searched once a provider).
        index.scratch_rowids(_EVERY_WORD, [match_expression(q.terms, every=True)])
        every_word = (" AND p.rowid IN (SELECT rowid FROM temp.scratch)", list[Any]())
        found = _within(
            index, origin, radius_km, f"score0 = {best!r}", limit, select, rows_of, every_word
        )
        index.scratch(None)
        if len(found) == limit:  # every word in their names
            ranked, used = found, set(spelt)
        else:
            ranked, used = _hit(index, q, near, radius_km, limit, expression, select, rows_of)
    if len(ranked) < limit:
        wanted = limit - len(ranked)
        hit_any = " OR ".join(f"hit{i}" for i in range(len(q.terms))) or "0"
        nearest = _within(index, origin, radius_km, f"NOT ({hit_any})", wanted, select, rows_of)
        if len(nearest) < wanted:
            return None  # the rest lie beyond the radius: every candidate is ranked
        ranked += nearest
    # Those taking no referrals (few, by their own index): each tested for being a candidate.
    check, check_args = near_check(near)
    sql, args = select(f" AND NOT p.refers{check}", check_args)
    closed = index.rows(
        f"SELECT rowid FROM (SELECT *, {_PLACED} AS reach FROM {rows_of(_once(sql))}"
        f" WHERE {_closed(False)}) WHERE reach IS NOT NULL ORDER BY sort_name, id",
        [radius_km, *args],
    )
    return ranked, [rowid for (rowid,) in closed], used


def _hit(
    index: Index,
    q: Query,
    near: Near,
    radius_km: float,
    limit: int,
    expression: str,
    select: _Select,
    rows_of: Callable[[str], str],
) -> tuple[_Ranked, set[str]]:
    """The first ``limit`` matches within reach that some of the words hit, in rank
    order, and the words that hit a match: the full-text hits of the words
    (``expression``) among the candidates around the place, each weighed."""
    where, where_args = candidate_filter((), (), (), near)
    hit_any = " OR ".join(f"hit{i}" for i in range(len(q.terms)))
    hits = ", ".join(f"hit{i}" for i in range(len(q.terms)))
    sql, args = select(f"{where}{_HITS}", [*where_args, expression])
    found = index.rows(
        f"SELECT rowid, score0, reach, {hits} FROM (SELECT *, {_PLACED} AS reach"
        f" FROM {rows_of(_once(sql))} WHERE kept AND ({hit_any})) WHERE reach IS NOT NULL"
        f" ORDER BY {_BY_SCORE} LIMIT ?",
        [radius_km, *args, limit],
    )
    used = {t for row in found for t, hit in zip(q.terms, row[3:], strict=True) if hit}
    for i, term in enumerate(q.terms):  # a word no result shows: does it hit any match?
        if term in used or (alone := match_expression([term])) is None:
            continue
        sql, args = select(f"{where}{_HITS}", [*where_args, alone])
        if index.rows(
            f"SELECT EXISTS (SELECT 1 FROM {rows_of(_once(sql))} WHERE kept AND hit{i})", args
        )[0][0]:
            used.add(term)
    return [(rowid, score, reach) for rowid, score, reach, *_ in found], used


_HITS = " AND p.rowid IN (SELECT rowid FROM words WHERE words MATCH ?)"
_EVERY_WORD = "SELECT rowid FROM words WHERE words MATCH ?"


def _once(sql: str) -> str:
    """``sql`` as a subquery SQLite computes once a row (a co-routine, never merged
    into the statement around it, which would compute a column, a distance, as
    often as it is named)."""
    return f"({sql} LIMIT -1 OFFSET 0)"


def _within(
    index: Index,
    origin: tuple[float, float],
    radius_km: float,
    condition: str,
    wanted: int,
    select: _Select,
    rows_of: Callable[[str], str],
    among: tuple[str, list[Any]] = ("", []),
    in_order: bool = True,
) -> _Ranked:
    """The first ``wanted`` matches meeting ``condition`` within ``radius_km`` of
    ``origin``, nearest first (as :data:`_BY_SCORE` ranks equals), read from the
    smallest circle, doubled from :data:`_FIRST_CIRCLE_KM`, that holds as many:
    every match nearer than a circle's radius has its point in the box around
    it (:func:`referral_cli.index.store.located`), so the nearest within it are
    the nearest of all. A box that holds fewer points than wanted (counted in
    the place index, no row read) is not read. ``among``: a condition on ``p``
    (and its arguments) that the matches meet, tested before their row is read.
    Not ``in_order``: any ``wanted`` of them, read only until that many are found
    (for whether as many lie within the radius, not which)."""
    circle = min(radius_km, _FIRST_CIRCLE_KM)
    order = f" ORDER BY {_BY_SCORE}" if in_order else ""
    while True:
        inside, inside_args = located(*origin, circle)
        if (
            circle >= radius_km
            or index.rows(f"SELECT count(*) FROM ({inside})", inside_args)[0][0] >= wanted
        ):
            sql, args = select(f" AND p.rowid IN ({inside}){among[0]}", [*inside_args, *among[1]])
            found = index.rows(
                f"SELECT rowid, score0, {_PLACED} AS reach FROM {rows_of(_once(sql))}"
                f" WHERE kept AND d <= ? AND ({condition}){order} LIMIT ?",
                [radius_km, *args, circle, wanted],
            )
            if len(found) >= wanted or circle >= radius_km:
                return [(rowid, score, reach) for rowid, score, reach in found]
        circle = min(circle * 2, radius_km)


def _served(index: Index, serving: Serving | None) -> frozenset[int] | None:
    """The rowids of the providers served as confidential, with the table
    ``temp.served`` of them (their point as searched: rounded, as
    :func:`referral_cli.search.rules.public_distance` rounds a confidential one's)
    and of those left out; ``None`` when every provider is served as filed. Those
    rows follow from the files alone: worked out once (each such provider decoded
    and served) and kept in the index, so that a search decodes only those it shows."""
    if serving is None or not (serving.left or serving.hidden):
        return None
    file_ids = {shown: file_id for file_id, shown in index.shown_paths().items()}
    wanted = sorted(
        (file_ids[path], line, (path, line) in serving.hidden)
        for path, line in serving.left | serving.hidden
        if path in file_ids
    )
    listed = json.dumps(wanted)
    asked = f"{serving.hide.__qualname__}|{blake2b(listed.encode(), digest_size=16).hexdigest()}"
    rows = index.recalled("served", asked)
    if not isinstance(rows, list):
        rows = _served_rows(index, serving, listed)
        if rows is None:  # rebuilt: the answer is thrown away and asked again (consistently)
            rows = []
        else:
            index.keep("served", asked, rows)
    index.scratch_table("served", ("rowid INTEGER PRIMARY KEY", "gone", "lat", "lon"), rows)
    return frozenset(rowid for rowid, gone, _, _ in rows if not gone)


def _served_rows(index: Index, serving: Serving, listed: str) -> list[tuple[Any, ...]] | None:
    """The rows of ``temp.served`` for the providers ``listed`` (file id, line,
    hidden), each hidden one decoded and served; ``None`` when the database was
    found damaged and rebuilt."""
    found = index.rows(
        "SELECT p.rowid, json_extract(j.value, '$[2]') FROM json_each(?) j JOIN providers p"
        " ON p.line = json_extract(j.value, '$[1]') AND +p.file_id = json_extract(j.value, '$[0]')"
        " WHERE +p.file_id IN ({files})",  # by line: never a scan of a file's providers
        (listed,),
    )
    rowids = [rowid for rowid, hide in found if hide]
    filed = index.with_rowids(rowids)
    if filed is None:
        return None
    rows: list[tuple[Any, ...]] = [(rowid, 1, None, None) for rowid, hide in found if not hide]
    for rowid, p in zip(rowids, filed, strict=True):
        served = serving.hide(p)
        if served.lat is None or served.lon is None:
            rows.append((rowid, 0, None, None))
        else:
            rows.append((rowid, 0, round(served.lat, 2), round(served.lon, 2)))
    return rows


def _decoded(
    index: Index, rowids: list[int], serving: Serving | None, hidden: frozenset[int] | None
) -> list[Provider] | None:
    """The providers with these rowids as served (:meth:`Index.with_rowids`)."""
    found = index.with_rowids(rowids)
    if found is None or serving is None or not hidden:
        return found
    return [
        serving.hide(p) if rowid in hidden else p for rowid, p in zip(rowids, found, strict=True)
    ]


def _closed(stated_only: bool) -> str:
    """The matches that take no referrals (closed, do-not-refer): named, never listed."""
    return "fits AND matched AND NOT refers" + (" AND NOT unstated" if stated_only else "")


# ``families``: left out only as it takes a parent with children and the person is
# alone; ``unsure``: not known to fit the person (rules.known_to_fit); ``elsewhere``:
# the residency areas of one left out as the person lives elsewhere (rules.resides)
_JUDGED = (
    "fits", "unstated", "focus", "speaks", "opened", "unknown_hours", "cat", "rad", "families",
    "unsure", "elsewhere",
)  # fmt: skip


def _judged(key: int, **said: Any) -> tuple[Any, ...]:
    """A row of ``temp.judged``: what one shared value says, by column name (every
    other column null)."""
    return (key, *(said.get(column) for column in _JUDGED))


_Select = Callable[[str, list[Any]], tuple[str, list[Any]]]


def _rows(
    index: Index,
    q: Query,
    where: str,
    where_args: list[Any],
    origin: Origin | None,
    open_now: bool,
    now: dt.datetime | None,
    tax: Taxonomy,
    stated_only: bool,
    narrow: bool,
    served: bool,
) -> tuple[_Select, Callable[[str], str]]:
    """The statement of the providers a condition on ``p`` chooses (``select``)
    with what search asks of each: ``fits``, ``unstated``, ``focus``, ``families``
    and ``unsure`` (of its eligibility), ``speaks``, ``opened`` and ``unknown_hours``, ``cat`` and
    ``rad`` (how its service area reaches the origin), ``hitN`` and ``namedN``
    (term N begins a run of its words, of its name), ``saidN`` (the stem of the
    caller's word N, :func:`referral_cli.search.rules.said_words`, begins one of its
    words), ``svcN`` (it offers asked need N: with one need asked, every
    candidate does, as :func:`referral_cli.index.store.candidate_filter`, the
    condition of every such statement, chooses them), ``d`` (distance); and the
    rows of such a statement (or of a table it filled) with ``kept`` and
    ``score0`` (``rows``). What their shared values say is judged here, once per
    value, into the table ``temp.judged`` the statement joins by key (the
    hours, of the candidates ``where`` chooses); with ``served``, the providers
    are served as ``temp.served`` says (:func:`_served`)."""
    facts = index.facts_of((codec.ELIGIBILITY, codec.LANGUAGES, codec.SERVICE_AREA))
    judged: list[tuple[Any, ...]] = []
    for key, value in facts[codec.ELIGIBILITY].items():
        e = codec.eligibility(value)
        reason, specialism = fit(e, q, tax)
        left = reason is None and families_left(e, q, tax)
        lives = resides(e, origin)
        unsure = not known_to_fit(e, q, tax)
        judged.append(
            _judged(
                key,
                fits=reason is not None and lives is not False,
                unstated=not e.stated,
                focus=specialism,
                families=left,
                unsure=unsure,
                # the areas of a match left out as the person lives elsewhere
                elsewhere="\n".join(e.residents_of) if reason and lives is False else None,
            )
        )
    joins = ["elig"]
    if q.languages:
        joins.append("langs")
        for key, langs in facts[codec.LANGUAGES].items():
            said = all(speaks(langs, w) for w in q.languages)
            judged.append(_judged(key, speaks=said))
    if open_now:
        joins.append("hours")
        for key, state in _hours_states(index, where, where_args, now).items():
            judged.append(_judged(key, opened=state is True, unknown_hours=state is None))
    columns = [
        f"elig.{c} AS {c}" for c in ("fits", "unstated", "focus", "families", "unsure", "elsewhere")
    ]
    columns += ["langs.speaks AS speaks"] * bool(q.languages)
    columns += ["hours.opened AS opened", "hours.unknown_hours AS unknown_hours"] * open_now
    args: list[Any] = []
    offers = "EXISTS (SELECT 1 FROM offers WHERE term = ? AND provider = p.rowid)"
    if len(q.services) == 1:  # every candidate offers one of the needs (candidate_filter)
        columns.append("1 AS svc0")
    else:
        for i, service in enumerate(q.services):  # which asked need each provider meets
            columns.append(f"{offers} AS svc{i}")
            args.append("s:" + service)
    if q.services:  # its primary type is one of the asked needs
        asked = ", ".join("?" * len(q.services))
        columns.append(
            f"EXISTS (SELECT 1 FROM offers WHERE term IN ({asked}) AND provider = p.rowid) AS prim"
        )
        args += ["p:" + service for service in q.services]
    unwanted = denied(q)
    for i, service in enumerate(unwanted):  # a need the person does not want ranks lower
        columns.append(f"{offers} AS den{i}")
        args.append("s:" + service)
    phrases = [phrase(term) for term in q.terms]
    for i, wanted in enumerate(phrases):
        if wanted is None:
            columns += [f"0 AS hit{i}", f"0 AS named{i}"]
            continue
        columns += [f"instr(t.words, ?) > 0 AS hit{i}", f"instr(t.name, ?) > 0 AS named{i}"]
        args += [wanted, wanted]
    caller_words = said_words(q, tax)
    for i, (_, root) in enumerate(caller_words):  # the caller's words, in some form
        columns.append(f"instr(t.words, ?) > 0 AS said{i}")
        args.append(spaced(words_of(root)))
    if origin is not None:
        joins.append("area")
        for key, value in facts[codec.SERVICE_AREA].items():
            kind, travels = reach_of(codec.service_area(value), origin)
            judged.append(_judged(key, cat=kind, rad=travels))
        p1 = math.radians(origin.lat)
        distance = _DISTANCE.format(**(_SERVED if served else _FILED))
        columns += [f"{distance} AS d", "area.cat AS cat", "area.rad AS rad"]
        args += [p1, math.cos(p1), origin.lon] * 2
    index.scratch_table("judged", ("key INTEGER PRIMARY KEY", *_JUDGED), judged)
    # Words that narrow (a question of words alone) must hit, as search requires:
    # the others are neither counted nor shown, so they are not kept at all (nor
    # their distance measured).
    matched = "1"
    hits = ""
    spelt: list[str] = []
    if narrow:
        matched = " OR ".join(f"hit{i}" for i in range(len(q.terms)))
        spelt = [w for w in phrases if w is not None]
        hits = " AND (" + (" OR ".join(["instr(t.words, ?) > 0"] * len(spelt)) or "0") + ")"
    kept = "fits AND matched AND refers" + (" AND NOT unstated" if stated_only else "")
    total = "focus + " + weighed_sql(
        {
            "areas": [repr(len(q.areas))],
            "services": [f"svc{i}" for i in range(len(q.services))],
            "denied": [f"den{i}" for i in range(len(unwanted))],
            "primary": ["prim"] * bool(q.services),
            "words": [f"hit{i}" for i in range(len(q.terms))],
            "named": [f"named{i}" for i in range(len(q.terms))],
            "said": [" OR ".join(f"said{i}" for i in range(len(caller_words)))]
            * bool(caller_words),
        }
    )
    head = (
        "SELECT p.rowid AS rowid, p.id AS id, p.sort_name AS sort_name, p.refers AS refers,"
        " p.beds AS beds, p.as_of AS as_of,"
        f" {', '.join(columns)}"
        f" FROM providers p"
        + "".join(f" JOIN temp.judged {j} ON {j}.key = p.{j}" for j in joins)
        + (" JOIN texts t ON t.rowid = p.rowid" if q.terms or caller_words else "")
        + (" LEFT JOIN temp.served h ON h.rowid = p.rowid" if served else "")
    )
    gone = " AND h.gone IS NOT 1" if served else ""

    def select(chosen: str, chosen_args: list[Any]) -> tuple[str, list[Any]]:
        sql = f"{head} WHERE p.file_id IN ({{files}}) {chosen}{hits}{gone}"
        return sql, args + chosen_args + spelt

    def rows(source: str) -> str:
        return (
            f"(SELECT *, {kept} AS kept, {total} AS score0 FROM"
            f" (SELECT *, ({matched}) AS matched FROM {source}))"
        )

    return select, rows


def _options(asked: object) -> list[bool]:
    """The states a let-go-of filter can end in: applied or not, when asked for."""
    return [True, False] if asked else [False]


def _and(lang: bool, open_: bool) -> str:
    return (" AND speaks" if lang else "") + (" AND opened" if open_ else "")


def _chosen(lang: bool, open_: bool) -> str:
    return "kept" + _and(lang, open_)


def _radii(radius_km: float) -> list[float]:
    """The radii :func:`referral_cli.search.rules.widen` can ask about."""
    radii = [radius_km]
    while radii[-1] < MAX_RADIUS_KM:
        radii.append(min(radii[-1] * 2, MAX_RADIUS_KM))
    return radii


def _hours_states(
    index: Index, where: str, args: list[Any], now: dt.datetime | None
) -> dict[int, bool | None]:
    """Whether each of the hours among the candidates is open at ``now`` (``None``:
    the hours cannot say)."""
    keys = [
        key
        for (key,) in index.rows(
            f"SELECT DISTINCT p.hours FROM providers p WHERE p.file_id IN ({{files}}) {where}", args
        )
    ]
    return {
        key: hours.is_open(shown, zone, now) for key, (shown, zone) in index.facts(keys).items()
    }


def _results(
    index: Index,
    ranked: list[tuple[int, float, str]],
    q: Query,
    tax: Taxonomy,
    origin: Origin | None,
    filtered: tuple[bool, bool],
    at: dt.datetime,
    report_hours: float,
    serving: Serving | None,
    hidden: frozenset[int] | None,
) -> list[Result]:
    """The ranked rows as results, each provider decoded (as served) and explained."""
    providers = _decoded(index, [rowid for rowid, _, _ in ranked], serving, hidden)
    if providers is None:
        return []  # rebuilt: search_index asks again
    results = []
    caller_words = said_words(q, tax)
    for (_, score, reach), p in zip(ranked, providers, strict=True):
        reason, focus = fit(p.eligibility, q, tax)
        assert reason is not None
        distance = None if origin is None else public_distance(p, origin)
        found = mentions(text_hits(p, q.terms), said_hits(p, caller_words))
        results.append(
            Result(
                p,
                score,
                distance,
                reach,
                explain(
                    p,
                    q,
                    tax,
                    reason,
                    focus,
                    found,
                    filtered,
                    reach,
                    distance,
                    tonight.availability_text(p, at, report_hours),
                ),
                meets(p.services, q.services),
            )  # fmt: skip
        )
    return results
