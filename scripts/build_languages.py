"""Generate referral_cli/data/languages*.json from langcodes + language_data (build time only).

The table the program ships: every language subtag of the IANA language subtag
registry (ISO 639-1 and 639-3) with its English name and, where CLDR has one,
its own name; the aliases that BCP 47 and CLDR map to a shorter or preferred
form (``eng`` -> ``en``, ``iw`` -> ``he``, ``tl`` -> ``fil``, ``zh-yue`` ->
``yue``, ``sgn-US`` -> ``ase``); the scripts and regions a tag may carry, with
their names; and the first-class list below: the languages hotlines meet most,
with the words callers and volunteers use for them, in languages-common.json
(small: free text reads it on every search). The program reads the files and
never imports langcodes, so a plain ``find`` pays nothing noticeable for it.

Run after upgrading langcodes/language_data or editing FIRST_CLASS:

    python scripts/build_languages.py

(tests/test_languages.py fails when the shipped files differ from what this makes.)
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "referral_cli" / "data"
OUT = DATA / "languages.json"
COMMON_OUT = DATA / "languages-common.json"

# The languages a hotline in the US meets most (and every ISO 639-1 language is
# common too), with the spellings people type. Names of the library are added.
FIRST_CLASS: dict[str, list[str]] = {
    "en": [],
    "es": ["castellano", "espanol"],
    "zh": ["mandarin", "putonghua"],
    "yue": ["cantonese", "guangdonghua"],
    "nan": ["taiwanese", "hokkien", "min nan"],
    "vi": ["tieng viet"],
    "fil": ["filipino", "tagalog", "pilipino"],
    "ilo": ["ilocano", "ilokano"],
    "ceb": ["bisaya", "visayan"],
    "ko": ["hangugeo", "hangul"],
    "id": ["bahasa indonesia", "indonesia"],
    "ms": ["melayu", "bahasa melayu"],
    "ja": ["nihongo"],
    "ru": ["russkiy"],
    "uk": [],
    "ar": ["arabe"],
    "fa": ["farsi", "dari"],  # prs (Dari) is fa-AF
    "ps": ["pashto", "pushto"],
    "ht": ["haitian creole", "creole", "kreyol", "kreyòl", "haitian"],
    "pt": ["portugues", "brazilian portuguese"],
    "fr": ["francais"],
    "hmn": ["hmoob"],
    "mww": ["white hmong"],
    "hnj": ["green hmong", "blue hmong"],
    "mix": ["mixteco", "mixtec", "tu'un savi"],
    "zap": ["zapoteco"],
    "trc": ["triqui"],
    "tsz": ["purepecha", "tarasco"],
    "nah": ["nahuatl", "nahuatl languages"],
    "quc": ["k'iche'", "kiche", "quiche"],
    "mam": [],
    "kjb": ["q'anjob'al", "kanjobal"],
    "kek": ["q'eqchi'", "kekchi"],
    "cak": ["kaqchikel", "cakchiquel"],
    "tzo": ["tzotzil"],
    "tzh": ["tzeltal"],
    "cab": ["garifuna"],
    "qu": ["runasimi"],
    "ase": ["asl", "sign language", "american sign language"],
    "pa": ["panjabi"],
    "hi": ["hindustani"],
    "ur": [],
    "bn": ["bangla"],
    "gu": [],
    "te": [],
    "ta": [],
    "ne": ["nepalese"],
    "km": ["cambodian"],
    "lo": ["laotian"],
    "th": [],
    "my": ["burmese"],
    "so": [],
    "am": [],
    "ti": [],
    "om": ["afaan oromoo"],
    "sw": ["kiswahili"],
    "rw": [],
    "ff": ["fula", "fulani", "pulaar"],
    "sm": [],
    "to": [],
    "mh": [],
    "chk": ["trukese"],
    "hy": [],
    "he": [],
    "yi": [],
    "nv": ["dine"],
    "de": ["deutsch"],
}


def registry() -> list[dict[str, list[str]]]:
    """The records of the IANA language subtag registry that langcodes ships."""
    import langcodes

    path = Path(langcodes.__file__).parent / "data" / "language-subtag-registry.txt"
    records = []
    for chunk in path.read_text("utf-8").split("%%"):
        record: dict[str, list[str]] = {}
        key = ""
        for line in chunk.splitlines():
            if line.startswith("  ") and key:  # a continued line
                record[key][-1] += " " + line.strip()
            elif ": " in line:
                key, _, value = line.partition(": ")
                record.setdefault(key, []).append(value)
        if "Type" in record:
            records.append(record)
    return records


def build() -> tuple[dict[str, Any], dict[str, Any]]:
    """The full table and the common one (read on every start: kept small)."""
    from langcodes import Language, standardize_tag

    records = registry()
    names: dict[str, list[str]] = {}
    aliases: dict[str, str] = {}
    suppress: dict[str, str] = {}
    scripts: dict[str, str] = {}
    regions: dict[str, str] = {}
    alias_names: list[tuple[str, list[str]]] = []  # "Tagalog" for fil, "Twi" for ak

    def norm(tag: str) -> str:
        return standardize_tag(tag, macro=True)

    for r in records:
        kind, subtag = r["Type"][0], r.get("Subtag", r.get("Tag", [""]))[0]
        if ".." in subtag or "private-use" in r.get("Scope", []):
            continue
        if kind == "language":
            target = norm(subtag)
            if target != subtag:
                aliases[subtag] = target
                alias_names.append((target, r["Description"]))
                continue
            lang = Language.get(subtag)
            english = lang.display_name()
            native = lang.autonym()
            # English name, own name ("" where CLDR has none), other names
            entry = [english, "" if native in (english, subtag) else native]
            entry += [d for d in r["Description"] if d not in entry]
            names[subtag] = entry
            if "Suppress-Script" in r:
                suppress[subtag] = r["Suppress-Script"][0]
        elif kind in ("extlang", "grandfathered", "redundant"):
            try:
                target = norm(subtag)
            except ValueError:
                continue
            if target.lower() != subtag.lower():
                aliases[subtag.lower()] = target
        elif kind == "script" and "Deprecated" not in r:
            scripts[subtag] = Language.get(f"und-{subtag}").script_name()
        elif kind == "region" and "Deprecated" not in r:
            regions[subtag] = Language.get(f"und-{subtag}").territory_name()
    for target, descriptions in alias_names:
        if target in names:
            names[target] += [d for d in descriptions if d not in names[target]]
    for code in [c for c in names if len(c) == 2]:  # ISO 639-2 codes of 639-1 languages
        for variant in ("T", "B"):
            three = Language.get(code).to_alpha3(variant=variant)
            if three != code and three not in names:
                aliases.setdefault(three, code)
    unknown = [c for c in FIRST_CLASS if c not in names]
    if unknown:
        sys.exit(f"FIRST_CLASS codes that are not standard: {unknown}")
    made = {
        "made_by": "scripts/build_languages.py",
        "library": f"langcodes {version('langcodes')}, language_data {version('language_data')}",
    }
    common = {
        c: [names[c][0], names[c][1] or names[c][0], FIRST_CLASS.get(c, [])]
        for c in names
        if len(c) == 2 or c in FIRST_CLASS
    }
    return {
        **made,
        "names": names,
        "aliases": aliases,
        "suppress_script": suppress,
        "scripts": scripts,
        "regions": regions,
    }, {**made, "common": common}


def text(table: dict[str, Any]) -> str:
    """The file's text: one entry a line, so that a change reads as a small diff."""
    lines = ["{"]
    sections = list(table.items())
    for i, (key, value) in enumerate(sections):
        end = "," if i < len(sections) - 1 else ""
        if not isinstance(value, dict):
            lines.append(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{end}")
            continue
        lines.append(f"{json.dumps(key)}: {{")
        items = list(value.items())
        for j, (k, v) in enumerate(items):
            comma = "," if j < len(items) - 1 else ""
            lines.append(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}{comma}")
        lines.append("}" + end)
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    full, common = build()
    OUT.write_text(text(full), "utf-8")
    COMMON_OUT.write_text(text(common), "utf-8")
    print(f"wrote {OUT} and {COMMON_OUT}")
