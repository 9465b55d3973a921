"""The facts of one live call, kept in memory with the directory (``referral call``).

:class:`CallSession` holds the directory and gazetteer, loaded once, and the
:class:`~referral_cli.call.hearing.Facts` learnt so far; after every line it re-runs
the very search ``find`` runs (:func:`referral_cli.search.answer.answer` places,
filters and ranks, as ``find --service ... --age ... --near ...`` would). Nothing here
touches the disk, and :meth:`CallSession.new_caller` forgets it all.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from referral_cli.call.hearing import Facts, Heard, change_said, forget_slot, hear
from referral_cli.errors import ReferralError
from referral_cli.geo.place import UnknownPlace
from referral_cli.geo.resolving import resolve
from referral_cli.query.record import Query
from referral_cli.search.answer import answer
from referral_cli.search.rules import SearchResult

if TYPE_CHECKING:
    from referral_cli.config import Config
    from referral_cli.directory import Directory
    from referral_cli.geo.place import Resolution
    from referral_cli.search.rules import SearchResult
    from referral_cli.taxonomy import Taxonomy


MAX_REMEMBERED = 64  # answers kept per call
_SUGGESTED = re.compile(r"did you mean (.+?)\? \(")  # in the gazetteer's message


class CallSession:
    """One call: the directory and gazetteer loaded once, the facts in memory only.

    Every change of the facts re-runs, in memory, the search ``find`` runs for the
    same facts given as flags.
    """

    def __init__(
        self, directory: Directory, cfg: Config, tax: Taxonomy, *, limit: int = 10
    ) -> None:
        self.directory = directory
        self.cfg = cfg
        self.tax = tax
        self.limit = limit
        self.facts = Facts()
        # Answers already found in this call, by facts: a correction often goes back
        # ("no, she's 15"), and the directory does not change during a call.
        self._results: dict[Facts, SearchResult] = {}
        self._places: dict[str, Resolution | str] = {}

    def hear(self, line: str) -> Heard:
        """Apply one typed line; a place the gazetteer does not know is refused, with why."""
        heard = hear(self.facts, line, self.tax, self.is_place, self.directory.countries)
        if heard.unused and heard.facts.place == self.facts.place:
            hint = self._place_hint(" ".join(heard.unused))
            if hint:
                heard = Heard(heard.facts, [*heard.said, hint])
        return self._adopt(heard)

    def remove(self, slot: str) -> Heard:
        """Forget one slot (the bar's delete key)."""
        return self._adopt(forget_slot(self.facts, slot))

    def new_caller(self) -> None:
        """Forget everything about the last caller."""
        self.facts = Facts()
        self._results.clear()
        self._places.clear()

    def place_label(self) -> str:
        """The place as the search found it ("Visalia, CA, US"), not as typed."""
        if self.facts.place is None:
            return ""
        origin = self.results().origin
        return origin.label if origin is not None else self.facts.place

    def _adopt(self, heard: Heard) -> Heard:
        before, label_before = self.facts, self.place_label()
        self.facts = heard.facts
        try:
            found = self.results()
        except ReferralError as exc:  # an unknown place: keep the one before
            self.facts = replace(heard.facts, place=before.place)
            said = [s for s in heard.said if not s.startswith("place")]
            why = str(exc).replace(" (--online looks it up on OpenStreetMap)", "")
            return Heard(self.facts, [*said, why])
        if self.facts.place == before.place:
            return heard
        at = next((i for i, s in enumerate(heard.said) if s.startswith("place")), 0)
        place = (found.query.place or "").rstrip(" ,;")
        said = [s for s in heard.said if not s.startswith("place")]
        if place and self.facts.place and place != self.facts.place:
            # "in Visalia zqxjv": the gazetteer knew "Visalia"; the words after it are
            # heard on their own, as find reads them beside its place, never kept silently.
            rest = self.facts.place[len(place) :].strip(" ,;")
            more = hear(
                replace(self.facts, place=place), rest, self.tax, None, self.directory.countries
            )
            self.facts = more.facts
            said += more.said
        said[at:at] = self._correct_spelling(found)
        if self.facts.place and self.place_label() != label_before:
            said.insert(at, change_said("place", label_before, self.place_label()))
        return Heard(self.facts, said, heard.unused)

    def _correct_spelling(self, found: SearchResult) -> list[str]:
        """A misspelt place ("Fresnoo") is kept as the gazetteer's label of what it was
        read as, so that the place shown is the place the volunteer can take back
        ("drop Fresno"); the reading is said."""
        typed_place = f"'{self.facts.place}"  # the gazetteer's note on these words only
        read = [n for n in found.notes if n.startswith(typed_place) and " read as " in n]
        if not read or found.origin is None or self.facts.place == found.origin.label:
            return []
        typed = self.facts
        self.facts = replace(typed, place=found.origin.label)
        try:
            self.results()
        except ReferralError:  # a label the gazetteer does not read back: keep the words
            self.facts = typed
        return read

    def results(self) -> SearchResult:
        """The search for the current facts (the same call ``find`` makes)."""
        found = self._results.get(self.facts)
        if found is not None:
            return found
        if self.facts.is_empty and not self.cfg.home:
            # find would list every provider by name: nothing a caller needs yet,
            # and a sort of the whole directory before the first word.
            return SearchResult(Query(), None, None, [])
        radius = self.facts.radius_km
        found = answer(
            self.directory,
            self.facts.query(),
            home=self.cfg.home,
            radius=radius if radius is not None else self.cfg.radius_km,
            limit=self.limit,
            open_now=False,
            online=False,
            stated_only=False,
            report_hours=self.cfg.report_hours,
        )
        if len(self._results) >= MAX_REMEMBERED:
            del self._results[next(iter(self._results))]
        self._results[self.facts] = found
        return found

    def _place_hint(self, words: str) -> str | None:
        """For words kept as text that look like a misspelt place: the suggestion."""
        found = self._gazetteer(words)
        if isinstance(found, str):
            asked = _SUGGESTED.search(found)
            labels = asked.group(1).split(" or ") if asked else []
        elif any(" read as " in note for note in found.notes):
            labels = [found.place.label]
        else:
            labels = []
        # "pregnant": "did you mean Bregnano, IT?" is no help to a directory of the US.
        countries = self.directory.countries
        near = [x for x in labels if not countries or x.rsplit(", ", 1)[-1] in countries]
        return f"if '{words}' is a place: did you mean {' or '.join(near)}?" if near else None

    def is_place(self, words: str) -> bool:
        """Whether words alone name a place as they are spelt (a typo is not taken
        as one), in a country of the directory ("Maria" is a town in Spain)."""
        found = self._gazetteer(words)
        if isinstance(found, str) or any(" read as " in n for n in found.notes):
            return False
        countries = self.directory.countries
        return not countries or found.place.country in countries

    def _gazetteer(self, words: str) -> Resolution | str:
        """The gazetteer's answer for words, or why it has none (kept for this caller only)."""
        found = self._places.get(words)
        if found is None:
            try:
                found = resolve(words, prefer_countries=self.directory.countries)
            except UnknownPlace as exc:
                found = str(exc)
            self._places[words] = found
        return found
