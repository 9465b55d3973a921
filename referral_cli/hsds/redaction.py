"""The redaction gate: nothing of a confidential provider's place leaves in a publication.

Every file an export or a publication is made of is read record by record (a
JSON list item or page entry, an NDJSON line, a CSV row; any other text whole)
and searched for each confidential provider's

* **street** (with its number), case, spacing, punctuation and the usual
  abbreviations (Street/St, Lane/Ln, …) set aside, anywhere;
* **postal code**, as a whole token: anywhere when no public provider of the
  directory shares it and it has 5 characters or more, else in a record that
  names the provider (its id, name or HSDS service id);
* **coordinates**, exact or near-exact: a latitude and a longitude in the same
  record, each within 0.001° (about 100 m: the point rounded or cut to 3 or 4
  decimals) and written with at least 3 decimals (or as many as the point has).

Anything at a confidential provider's street or point is confidential too, so
another provider published there is reported as well. A finding names the
provider, the field and the file, never the street, code or point itself.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from referral_cli.errors import ReferralError
from referral_cli.hsds.export import new_id
from referral_cli.records.model import Provider

NEAR_DEGREES = 0.001
# A shorter postal code (4 digits: Australia, Switzerland, …) is also a year, a part of
# a phone number or of an id: it counts only in a record that names the provider.
SHORT_CODE = 5
FIELD_WORDS = {
    "street": "street address",
    "postal_code": "postal code",
    "location": "exact coordinates",
}
_ABBREVIATIONS = {
    "street": "st", "avenue": "ave", "lane": "ln", "road": "rd", "boulevard": "blvd",
    "drive": "dr", "court": "ct", "place": "pl", "highway": "hwy", "suite": "ste",
    "north": "n", "south": "s", "east": "e", "west": "w", "calle": "c",
}  # fmt: skip
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"(?<![\w.])-?\d{1,3}\.(\d+)(?![\w.])")
TEXT_SUFFIXES = (".json", ".ndjson", ".jsonl", ".csv", ".txt", ".geojson", ".html", ".xml", ".md")


def _normal(text: str) -> str:
    """Words only, case-folded, common street words abbreviated: the form compared."""
    words = _WORD.findall(text.casefold())
    return " " + " ".join(_ABBREVIATIONS.get(w, w) for w in words) + " "


@dataclass(frozen=True, slots=True)
class Secret:
    """What of one confidential provider must never be published."""

    provider_id: str
    marks: tuple[str, ...]  # words that tie a record to it: id, name, HSDS service id
    street: str | None  # normalised, with its number
    postal_code: str | None
    point: tuple[float, float] | None
    decimals: int  # the fewest decimals of its latitude and longitude as written


@dataclass(frozen=True, slots=True)
class Finding:
    provider_id: str
    field: str  # street | postal_code | location
    where: str  # the file (or URL) it was found in

    def __str__(self) -> str:
        return (
            f"{self.where}: the {FIELD_WORDS[self.field]} of confidential provider"
            f" '{self.provider_id}' ({self.field}) appears in it"
        )


def _decimals(value: float) -> int:
    text = repr(value)
    return len(text.split(".", 1)[1]) if "." in text and "e" not in text else 0


def secrets_of(providers: Iterable[Provider]) -> tuple[list[Secret], frozenset[str]]:
    """The confidential providers' secrets, and the postal codes public providers
    show (a code shared with them is only a finding next to the provider's name)."""
    secrets = []
    public_codes = set()
    for p in providers:
        address = p.address
        code = (address.postal_code or "").strip() if address else ""
        if not p.confidential:
            if code:
                public_codes.add(code.casefold())
            continue
        street = (address.street or "").strip() if address else ""
        point = None if p.lat is None or p.lon is None or p.placed else (p.lat, p.lon)
        decimals = min(_decimals(point[0]), _decimals(point[1])) if point else 0
        secrets.append(
            Secret(
                provider_id=p.id,
                marks=tuple(m.casefold() for m in (p.id, p.name, new_id("service", p.id))),
                street=_normal(street) if any(c.isdigit() for c in street) else None,
                postal_code=code.casefold() or None,
                point=point,
                decimals=min(decimals, 3),
            )
        )
    return secrets, frozenset(public_codes)


def _records(name: str, data: bytes) -> Iterator[str]:
    """The records of one file, as text."""
    text = data.decode("utf-8", "replace")
    lower = name.lower()
    if lower.endswith((".ndjson", ".jsonl")):
        yield from text.splitlines()
        return
    if lower.endswith((".json", ".geojson")) or text.lstrip()[:1] in ("{", "["):
        try:
            doc = json.loads(text)
        except ValueError:
            yield text
            return
        items = doc.get("contents") if isinstance(doc, dict) else doc
        if isinstance(items, list):
            yield from (json.dumps(i, ensure_ascii=False) for i in items)
            if isinstance(doc, dict):
                yield json.dumps({k: v for k, v in doc.items() if k != "contents"})
        else:
            yield json.dumps(doc, ensure_ascii=False)
        return
    if lower.endswith(".csv"):
        yield from ("\t".join(row) for row in csv.reader(io.StringIO(text)))
        return
    yield text


def _near(numbers: Sequence[tuple[float, int]], target: float, decimals: int) -> bool:
    return any(abs(v - target) <= NEAR_DEGREES and d >= decimals for v, d in numbers)


def scan_record(
    record: str, where: str, secrets: Sequence[Secret], public_codes: frozenset[str]
) -> Iterator[Finding]:
    normal = _normal(record)
    folded = record.casefold()
    numbers = [(float(m.group(0)), len(m.group(1))) for m in _NUMBER.finditer(record)]
    for s in secrets:
        if s.street and s.street in normal:
            yield Finding(s.provider_id, "street", where)
        code = s.postal_code or ""
        # a whole token, never the decimals of a number ("36.93650")
        shown = code and re.search(rf"(?<![0-9a-z.]){re.escape(code)}(?![0-9a-z]|\.\d)", folded)
        alone = code not in public_codes and len(code) >= SHORT_CODE
        if shown and (alone or any(m in folded for m in s.marks)):
            yield Finding(s.provider_id, "postal_code", where)
        if s.point and numbers:
            need = max(1, s.decimals)
            if _near(numbers, s.point[0], need) and _near(numbers, s.point[1], need):
                yield Finding(s.provider_id, "location", where)


def scan(
    files: Iterable[tuple[str, bytes]], secrets: Sequence[Secret], public_codes: frozenset[str]
) -> list[Finding]:
    """Every finding in ``files`` (name, content), each (provider, field, file) once."""
    found: dict[tuple[str, str, str], Finding] = {}
    if not secrets:
        return []
    for name, data in files:
        for record in _records(name, data):
            for f in scan_record(record, name, secrets, public_codes):
                found.setdefault((f.provider_id, f.field, f.where), f)
    return list(found.values())


def files_of(path: Path) -> Iterator[tuple[str, bytes]]:
    """The text files of a publication: a folder (recursively), a zip, or one file."""
    if path.is_dir():
        for f in sorted(path.rglob("*")):
            if f.is_file() and not f.is_symlink() and f.suffix.lower() in TEXT_SUFFIXES:
                yield f.relative_to(path).as_posix(), f.read_bytes()
    elif path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as z:
                for info in z.infolist():
                    if not info.is_dir() and info.filename.lower().endswith(TEXT_SUFFIXES):
                        yield info.filename, z.read(info)
        except zipfile.BadZipFile:
            raise ReferralError(f"{path} is not a zip file") from None
    elif path.is_file():
        yield path.name, path.read_bytes()
    else:
        raise ReferralError(f"{path} does not exist; give a folder, a zip or a file")


class Refused(ReferralError):
    """A publication that would show a confidential place; nothing was written."""

    def __init__(self, findings: Sequence[Finding], what: str):
        first = findings[0]
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        super().__init__(
            f"{what} refused, nothing written: confidential provider '{first.provider_id}'"
            f" — its {FIELD_WORDS[first.field]} ({first.field}) appears in {first.where}{more};"
            " remove it from that provider's texts (or from the provider published at the"
            " same place) and run again"
        )
        self.findings = list(findings)


def gate(files: Mapping[str, bytes], providers: Iterable[Provider], what: str) -> None:
    """Raise :class:`Refused` when ``files`` show a confidential provider's place."""
    secrets, public_codes = secrets_of(providers)
    findings = scan(files.items(), secrets, public_codes)
    if findings:
        raise Refused(findings, what)
