"""Taxonomy terms -> service types: AIRS/211 codes by their longest prefix, Open
Eligibility codes, term names and keywords through the map, then fuzzy names, the
AIRS branch, the phrases of the service's own words and a last-resort default, each guess
reported.

Also the vocabularies of our own export, which an import reads back exactly.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from referral_cli.hsds.clean import Cleaner
from referral_cli.hsds.fields import dedupe
from referral_cli.hsds.mapping import HsdsMap, Target, norm_term
from referral_cli.hsds.report import ImportReport, ProviderReport
from referral_cli.taxonomy import Taxonomy

# Vocabularies of our own export (referral_cli.hsds.export).
TAXONOMY_SERVICES = "referral-cli-service-types"
TAXONOMY_ELIGIBILITY = "referral-cli-eligibility"
TAXONOMY_KEYWORDS = "referral-cli-keywords"
TAXONOMY_FIELDS = "referral-cli-fields"  # attribute value: one field's JSON

AIRS_CODE = re.compile(r"^[A-Z]{1,2}(?:-\d{4}(?:\.\d{4}(?:-\d{3}(?:\.\d{2})?)?)?)?$")
OE_CODE = re.compile(r"^\d{3}(?:-\d{2}){0,4}$")


def _prefixes(code: str) -> Iterator[str]:
    """ "BH-1800.1500-308" -> itself, "BH-1800.1500", "BH-1800", "BH", "B"."""
    yield code
    while True:
        cut = max(code.rfind("."), code.rfind("-"))
        if cut <= 0:
            break
        code = code[:cut]
        yield code
    if AIRS_CODE.match(code) and len(code) == 2:
        yield code[0]


def longest_prefix(code: str, table: Mapping[str, Target]) -> tuple[str, Target] | None:
    """The entry whose key is the longest prefix of ``code`` at a code boundary."""
    for prefix in _prefixes(code):
        if prefix in table:
            return prefix, table[prefix]
    return None


@dataclass
class Term:
    """One taxonomy term a service is tagged with."""

    code: str
    name: str
    vocabulary: str


def name_forms(key: str) -> list[str]:
    """A normalised term name and its singular forms ("food pantries" ->
    "food pantry"), most specific first, so plural keywords find the map's entry."""
    forms = [key]
    words = key.split()
    if not words:
        return forms
    last = words[-1]
    for plural, singular in (
        ("ies", "y"),
        ("sses", "ss"),
        ("shes", "sh"),
        ("ches", "ch"),
        ("s", ""),
    ):
        if last.endswith(plural) and len(last) > len(plural) + 2 and not last.endswith("ss"):
            forms.append(" ".join([*words[:-1], last[: -len(plural)] + singular]))
            break
    return forms


SURVIVOR_SHELTER_FILE = Path(__file__).with_name("survivor_shelters.yaml")


@functools.cache
def _survivor_patterns() -> dict[str, re.Pattern[str]]:
    """Each list of ``survivor_shelters.yaml`` (every language) as one pattern of
    whole phrases."""
    lists = yaml.safe_load(SURVIVOR_SHELTER_FILE.read_text(encoding="utf-8"))
    out = {}
    for name, by_language in lists.items():
        phrases = sorted({w.casefold() for ws in by_language.values() for w in ws}, key=len)
        alternatives = "|".join(re.escape(w) for w in reversed(phrases))
        out[name] = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")
    return out


# A shelter phrase and a survivor phrase this many characters apart or closer
# are about the same thing ("emergency shelter for abused women"); further apart,
# a description that lists "shelter" among referrals is not a shelter.
SURVIVOR_WINDOW = 60


def survivor_shelter(services: list[str], words: str) -> bool:
    """A shelter whose terms or text say it houses survivors of violence or
    trafficking (the phrases of ``survivor_shelters.yaml``, English and Spanish):
    its address is kept private until a maintainer confirms."""
    found = _survivor_patterns()
    text = found["not_survivors"].sub(" ", words.casefold())
    if found["shelter_for_survivors"].search(text):
        return True
    survivors = [m.span() for m in found["survivors"].finditer(text)]
    if not survivors:
        return False
    if "temporary-shelter" in services:
        return True
    return any(
        start - SURVIVOR_WINDOW <= s_end and s_start <= end + SURVIVOR_WINDOW
        for start, end in (m.span() for m in found["shelter"].finditer(text))
        for s_start, s_end in survivors
    )


def _first_said(phrases: Iterable[str], text: str) -> str | None:
    """The first of ``phrases`` said in ``text`` (normalised) as words of their own."""
    return next(
        (p for p in phrases if re.search(rf"(?<![\w/-]){re.escape(p)}(?![\w/-])", text)), None
    )


def _primary_first(services: list[str], votes: Counter[str], m: HsdsMap) -> list[str]:
    """The types as a specialist gives them: the one most of the service's terms give
    first, then the others in the order of their terms, at most three (a clinic
    tagged with a dozen medical terms and one health-education term is medical
    first, not also everything each of its terms touches); ``always_kept`` types
    beyond three stay (a shelter is a shelter whatever else it does)."""
    order = sorted(services, key=lambda k: (-votes[k], services.index(k)))
    return order[:3] + [k for k in order[3:] if k in m.always_kept]


class TermMapper:
    """Reads the terms and keywords of a service as service types of our taxonomy."""

    def __init__(self, tax: Taxonomy, m: HsdsMap, clean: Cleaner, report: ImportReport):
        self.tax = tax
        self.m = m
        self.clean = clean
        self.report = report
        self._fuzzy_cache: dict[str, tuple[str, tuple[str, ...]] | None] = {}

    def services(
        self, terms: list[Term], free: list[str], rep: ProviderReport, name: str, desc: str
    ) -> tuple[list[str], list[str]]:
        """The service types of a service and its keywords; ``rep`` says how they were found."""
        m = self.m
        known = self.tax.service_types
        text = f"{name}\n{desc}".lower()
        services: list[str] = []
        keywords: list[str] = []
        unmapped: list[Term] = []
        fallback_terms: list[tuple[Term, Target]] = []

        votes: Counter[str] = Counter()  # how many terms give each type
        no_type = 0  # terms known to name no service type (a park, a consulate)

        def add(targets: Iterable[str]) -> list[str]:
            added = []
            for key in targets:
                if key in known:
                    votes[key] += 1
                if key in known and key not in services:
                    services.append(key)
                    added.append(key)
            return added

        def take(term: Term, label: str, where: str, target: Target) -> int:
            """Gives the term's types; 1 when it names no type."""
            added = add(target.services)
            keywords.extend(target.keywords)
            if not target.services:
                keywords.append(label)
                return 1
            rep.mapped.append({"term": label, "code": term.code, "via": where, "services": added})
            return 0

        # terms that are part of another type's service when the service has it
        # (the health education of a clinic): read after the others
        within: list[tuple[Term, str, str, Target]] = []
        for term in terms:
            if term.vocabulary in (TAXONOMY_ELIGIBILITY, TAXONOMY_FIELDS):
                continue
            label = self.clean.text(term.name) or term.code
            hit = self._lookup(term)
            if hit is None:
                unmapped.append(term)
                continue
            where, target = hit
            if target.confirm and not any(w in text for w in target.confirm):
                rep.guessed.append(
                    f"{label!r} not read as {', '.join(target.services)}: the service text does not confirm it"
                )
                if not target.unconfirmed:
                    keywords.extend((label, *target.keywords))
                    no_type += (
                        1  # known, and here naming no type: what the text lists is not offered
                    )
                    continue
                target = Target(target.unconfirmed, target.keywords, part_of=target.part_of)
            if target.part_of:
                within.append((term, label, where, target))
                continue
            no_type += take(term, label, where, target)
        for term, label, where, target in within:  # once every other term has spoken
            if set(target.part_of) & set(services):
                keywords.extend((label, *target.keywords))
                rep.guessed.append(f"{label!r} read as part of its {services[0]} service")
            else:
                no_type += take(term, label, where, target)
        headings: list[str] = []  # "HEALTH SERVICES": a branch, used when nothing finer maps
        for word in free:
            if word.isupper() and len(word) > 3:
                headings.append(word)
                keywords.append(word)
                continue
            named = self._named(word)
            if named is not None:
                added = add(named.services)
                keywords.extend(named.keywords)
                if named.services:
                    rep.mapped.append({"term": word, "via": "names", "services": added})
            elif not self._population_word(word):
                self.report.unmapped_terms[f"keyword: {word}"] += 1
            keywords.append(word)
        for term in unmapped:
            label = self.clean.text(term.name) or term.code
            keywords.append(label)
            self.report.unmapped_terms[f"{term.code} {label}".strip() if term.name else label] += 1
            fb = longest_prefix(term.code, m.airs_fallback) if AIRS_CODE.match(term.code) else None
            if fb and not fb[1].services:
                no_type += 1  # a branch of no service type: recreation, animals, museums
            elif fb:
                fallback_terms.append((term, fb[1]))
        for word in headings if not services else ():
            named = self._named(word)
            if named is not None and named.services:
                rep.mapped.append({"term": word, "via": "names", "services": add(named.services)})
        if services:
            if any(term.vocabulary == TAXONOMY_SERVICES for term in terms):
                return services, dedupe(keywords)  # our own export: its types, as written
            for given, key, phrase in self._also(services, name, desc):
                add((key,))
                rep.guessed.append(f"{given} whose text offers {phrase!r}: also {key}")
            ordered = _primary_first(services, votes, m)
            for given, other, phrase in self._instead(ordered, name):
                ordered = dedupe([other if k == given else k for k in ordered])
                rep.guessed.append(f"named {phrase!r}: {other}, not {given}")
            return ordered, dedupe(keywords)
        if (
            no_type
            and not fallback_terms
            and not any(self._named(w) for w in free)
            and not any(self._fuzzy_term(self.clean.text(t.name) or "") for t in unmapped)
        ):
            rep.how = "none"
            rep.guessed.append("its terms name no service type of the taxonomy")
            return [], dedupe(keywords)
        rep.how = "guessed"
        # 1. the names of terms that did not map, fuzzily against the table and our words
        for term in unmapped:
            label = self.clean.text(term.name) or ""
            guess = self._fuzzy_term(label)
            if guess:
                add(guess[1])
                rep.guessed.append(f"term {label!r} read as {guess[0]!r}")
        for word in free:
            guess = self._fuzzy_term(word)
            if guess:
                add(guess[1])
                rep.guessed.append(f"keyword {word!r} read as {guess[0]!r}")
        if services:
            return services, dedupe(keywords)
        # 2. the branch of the AIRS taxonomy
        for term, target in fallback_terms:
            added = add(target.services)
            if added:
                rep.guessed.append(f"{term.code} {term.name!r}: branch default {', '.join(added)}")
        if services:
            return services, dedupe(keywords)
        # 3. what the service's own words say it offers
        found = self._described(name, desc)
        if found:
            for key, phrase in found:
                add((key,))
                rep.guessed.append(f"the service text offers {phrase!r}")
            return services, dedupe(keywords)
        # 4. the last resort: a single word ("health", "family", "work") names no
        # service a specialist would refer to, so none is read from one
        add(m.fallback)
        rep.guessed.append(f"nothing matched: the general default {', '.join(m.fallback)}")
        return services, dedupe(keywords)

    def _lookup(self, term: Term) -> tuple[str, Target] | None:
        m = self.m
        if term.vocabulary == TAXONOMY_SERVICES:
            if term.code in self.tax.service_types:
                return "referral-cli", Target((term.code,))
            return "referral-cli", Target((), ())  # kept as a keyword by its cleaned name
        if term.vocabulary == TAXONOMY_KEYWORDS:
            return "referral-cli", Target((), ())  # kept as a keyword by its cleaned name
        if AIRS_CODE.match(term.code):
            hit = longest_prefix(term.code, m.airs)
            named = self._named(term.name) if term.name else None
            if hit and hit[0] != term.code and named is not None:
                # a code the map knows only by its branch ("BH-1800.1600 Drop In
                # Centers" under Emergency Shelter): the term's own name says more
                return "names", named
            if hit:
                return f"airs {hit[0]}", hit[1]
        elif OE_CODE.match(term.code):
            hit = longest_prefix(term.code, m.open_eligibility)
            if hit:
                return f"open eligibility {hit[0]}", hit[1]
        if term.name:
            target = self._named(term.name)
            if target is not None:
                return "names", target
        return None

    def _named(self, text: str) -> Target | None:
        """The map's entry for a term name or keyword, also under its singular."""
        for key in name_forms(norm_term(text)):
            target = self.m.names.get(key)
            if target is not None:
                return target
        return None

    def _population_word(self, word: str) -> bool:
        """A keyword that names who is served ("Older Adults"), not a service."""
        words = set(re.findall(r"[a-z]+", word.lower()))
        return bool(words) and words <= self.m.population_words | {"older", "and", "of"}

    @functools.cached_property
    def _fuzzy_choices(self) -> dict[str, tuple[str, ...]]:
        choices: dict[str, tuple[str, ...]] = {}
        for key, target in self.m.names.items():
            if target.services:
                choices[key] = target.services
        for st in self.tax.service_types.values():
            for phrase in (st.label, *st.synonyms, st.key.replace("-", " ")):
                if len(phrase) >= 4:
                    choices.setdefault(norm_term(phrase), (st.key,))
        return choices

    def _fuzzy_term(self, label: str) -> tuple[str, tuple[str, ...]] | None:
        if not label:
            return None
        key = norm_term(label)
        cache: dict[str, tuple[str, tuple[str, ...]] | None] = self.__dict__.setdefault(
            "_fuzzy_cache", {}
        )
        if key in cache:
            return cache[key]
        result: tuple[str, tuple[str, ...]] | None = None
        words = set(re.findall(r"[a-z]+", key))
        if not (words & self.m.population_words):
            from rapidfuzz import fuzz, process  # heavy: only when no term maps

            found = process.extractOne(
                key, list(self._fuzzy_choices), scorer=fuzz.token_set_ratio, score_cutoff=90
            )
            if found:
                result = (found[0], self._fuzzy_choices[found[0]])
        cache[key] = result
        return result

    def _also(self, services: list[str], name: str, desc: str) -> list[tuple[str, str, str]]:
        """The types the map's ``also`` rules add to those the terms gave, each with
        the type that allowed it and the phrase of the service's own text that says
        it is offered too (an after-school programme that names tutoring is also
        education)."""
        text = norm_term(f"{name}\n{desc}")
        out: list[tuple[str, str, str]] = []
        for given, phrases, added in self.m.also:
            if given not in services or added in services:
                continue
            found = _first_said(phrases, text)
            if found:
                out.append((given, added, found))
        return out

    def _instead(self, services: list[str], name: str) -> list[tuple[str, str, str]]:
        """The map's ``instead`` rules a service's own name meets: a type its terms give
        that the name says it is not (a "Safe Place Site" at a fire station, tagged
        with a youth shelter's term, is where a young person asks for help, no bed),
        with what it is instead and the phrase of the name."""
        said = norm_term(name)
        return [
            (given, other, found)
            for given, phrases, other in self.m.instead
            if given in services and (found := _first_said(phrases, said))
        ]

    @functools.cached_property
    def _described_re(self) -> re.Pattern[str]:
        ordered = sorted(self.m.described, key=len, reverse=True)  # longest first
        alternatives = "|".join(re.escape(p) for p in ordered) or "(?!x)x"
        return re.compile(rf"(?<![\w/-])(?:{alternatives})(?![\w/-])")

    def _described(self, name: str, desc: str) -> list[tuple[str, str]]:
        """The service types the name (counted thrice) and description say the
        service offers, most named first (then in order of mention), at most three,
        each with the first phrase that named it."""
        score: Counter[str] = Counter()
        first: dict[str, str] = {}
        for text, weight in ((name, 3), (desc, 1)):
            for found in self._described_re.findall(norm_term(text)) if text else ():
                key = self.m.described[found]
                score[key] += weight
                first.setdefault(key, found)
        best = sorted(score, key=lambda k: -score[k])[:3]  # stable: order of mention
        return [(k, first[k]) for k in best]
