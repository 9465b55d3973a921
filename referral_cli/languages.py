"""Languages as BCP 47 tags: the one home of codes, names and their lookup.

A directory records the languages a provider speaks as ISO 639-1 or 639-3
codes, or BCP 47 tags with a script or region where it matters (``zh-Hant``,
``es-MX``), each kept in its shortest standard form (``eng`` -> ``en``,
``iw`` -> ``he``, ``zh-yue`` -> ``yue``, ``en-Latn`` -> ``en``). Names come from
CLDR and the IANA registry through ``data/languages.json``, which
``scripts/build_languages.py`` makes from langcodes at build time; the program
only reads it, and only when a code or word is not among the common languages
(every ISO 639-1 language and the first-class list hotlines meet most), whose
small table is read for free text.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from referral_cli.blake2 import blake2b
from referral_cli.suggest import did_you_mean

_SEPARATOR = re.compile(r"[-_]")
_SUBTAG = re.compile(r"^[A-Za-z0-9]{1,8}$")
TAG_HINT = "an ISO 639-1 or 639-3 code, or a BCP 47 tag such as zh-Hant or es-MX"


@dataclass(frozen=True, slots=True)
class Language:
    """A common language: its code, English and own names, and other words for it."""

    code: str
    name: str
    native: str
    synonyms: tuple[str, ...]


FILES = ("languages.json", "languages-common.json")
DATA = Path(__file__).parent / "data"  # the tables built by scripts/build_languages.py


def _read(name: str) -> dict[str, Any]:
    table: dict[str, Any] = json.loads((DATA / name).read_text("utf-8"))
    return table


@functools.cache
def _table() -> dict[str, Any]:
    """Every language, alias, script and region (read only when needed)."""
    return _read(FILES[0])


def digest() -> str:
    """Changes whenever a table changes (validation depends on them)."""
    h = blake2b(digest_size=16)
    for name in FILES:
        h.update((DATA / name).read_bytes())
    return h.hexdigest()


@functools.cache
def common() -> dict[str, Language]:
    """Every ISO 639-1 language and the first-class list, by code."""
    return {
        code: Language(code, english, native, tuple(synonyms))
        for code, (english, native, synonyms) in _read(FILES[1])["common"].items()
    }


def fold(text: str) -> str:
    """A word as it is looked up: lowercase, without accents or apostrophes, single
    spaces ("Kreyòl" -> "kreyol", "K'iche'" -> "kiche")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = re.sub(r"['’ʼ`´]", "", kept)
    return " ".join(re.sub(r"[^\w]+", " ", kept).split())


def normalize(tag: str) -> str | None:
    """The shortest standard form of a language tag, or None when it is not one.

    ``language[-Script][-REGION]``: the language an ISO 639-1/639-3 code (or an
    alias of one), the script ISO 15924, the region ISO 3166-1 or UN M.49; a
    script that the language is always written in is dropped.
    """
    text = tag.strip()
    if text in common():  # most codes: without reading the full table
        return text
    table = _table()
    parts = _SEPARATOR.split(text)
    if not text or not all(_SUBTAG.match(p) for p in parts):
        return None
    whole = table["aliases"].get("-".join(parts).lower())
    if whole is not None and len(parts) > 1:
        return str(whole)
    lang = parts[0].lower()
    lang = table["aliases"].get(lang, lang)
    if "-" in lang:  # an alias with a region or script: sh -> sr-Latn, prs -> fa-AF
        lang, *implied = lang.split("-")
        parts = [lang, *implied, *parts[1:]]
    if lang not in table["names"]:
        return None
    script = region = None
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha() and script is None and region is None:
            script = part.title()
            if script not in table["scripts"]:
                return None
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            if region is not None:
                return None
            region = part.upper()
            if region not in table["regions"]:
                return None
        else:
            return None  # variants and extensions: not what a directory records
    if script is not None and table["suppress_script"].get(lang) == script:
        script = None
    return "-".join(p for p in (lang, script, region) if p)


def primary(tag: str) -> str:
    """The language of a tag, without script or region."""
    return tag.split("-", 1)[0]


def speaks(languages: tuple[str, ...] | list[str], wanted: str) -> bool:
    """Whether a provider speaking ``languages`` speaks ``wanted``: the same
    language, whatever the script or region (Spanish is Spanish in Mexico)."""
    want = primary(wanted)
    return any(primary(code) == want for code in languages)


def name(tag: str) -> str:
    """The English name of a tag ("Chinese (Traditional)", "Spanish (Mexico)"); an
    older or longer form is named as its standard one ("tl": Filipino)."""
    known = common().get(tag)
    if known is not None:
        return known.name
    standard = normalize(tag)
    if standard is not None and standard != tag:
        return name(standard)
    table = _table()
    lang, *rest = tag.split("-")
    base = common()[lang].name if lang in common() else table["names"].get(lang, [tag])[0]
    details = [table["scripts"].get(p) or table["regions"].get(p) or p for p in rest]
    return f"{base} ({', '.join(details)})" if details else str(base)


@functools.cache
def _common_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for lang in common().values():
        for word in (lang.name, lang.native, *lang.synonyms):
            words.setdefault(fold(word), lang.code)
    return words


@functools.cache
def _all_words() -> dict[str, str]:
    """Every name of every language (the common ones first, so they win a tie)."""
    words = dict(_common_words())
    for code, names in _table()["names"].items():
        for word in names:
            if word:  # an own name is "" where CLDR has none
                words.setdefault(fold(word), code)
    return words


def by_name(word: str) -> str | None:
    """The code a language's name or common spelling stands for ("Hmoob" -> hmn)."""
    key = fold(word)
    return _common_words().get(key) or _all_words().get(key)


def lookup(text: str) -> str | None:
    """A code, tag or name -> the tag in its shortest standard form (a common
    language's name first: "ASL" is American Sign Language, not Asilulu's code)."""
    return common_meaning(text) or normalize(text) or by_name(text)


def common_meaning(word: str) -> str | None:
    """The common language a word names, when it names one ("asl" -> ase)."""
    return _common_words().get(fold(word))


def suggestion(text: str) -> str:
    """ "; did you mean …?" for an unknown code or name, or ""."""
    from rapidfuzz import fuzz, process

    key = fold(text)
    if len(key) <= 3:  # a code: compared with the common codes only (all would match)
        return did_you_mean(text.lower(), common())
    words = _all_words()
    # plain edit similarity: WRatio would take "e" in "mexican" for a match
    found = process.extractOne(key, list(words), scorer=fuzz.ratio, score_cutoff=80)
    if not found:
        return ""
    code = words[found[0]]
    return f"; did you mean '{code}' ({name(code)})?"
