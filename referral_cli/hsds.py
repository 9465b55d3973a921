"""Open Referral (HSDS) import and export.

Import reads an HSDS data package — a folder or zip of CSV tables, with or
without ``datapackage.json``, in HSDS 1.x/2.x table names (``services``,
``physical_addresses``, ``services_taxonomy``, ``regular_schedules`` …) or HSDS
3.0 names (``service``, ``address``, ``attribute``, ``schedule`` …) — or HSDS
3.0 JSON (one service, a list, an API page or organisations with services).
Everything is first read into the same canonical tables (:class:`Tables`), so
one mapping turns every flavour into providers:

* one provider per service, or per service × location when a service is
  offered at several locations;
* taxonomy terms (AIRS/211 codes and names, Open Eligibility) become service
  types through ``hsds_map.yaml`` (data, not code), with a fuzzy fallback on
  term names and on the service's own words; terms that do not map are kept as
  searchable ``keywords``;
* text is cleaned of what real exports carry (trailing spaces, literal ``\\n``,
  mis-decoded characters, region markers); phones, e-mails, web addresses,
  languages, ages and hours are normalised to the directory format, and what
  cannot be is dropped and reported.

Every provider is checked by the validator before it is written; one that
would not validate is left out and reported, so the output always validates.

Export writes an HSDS 3.0 tabular data package from :meth:`Provider.public_dict`
and friends only, so a confidential provider leaves without street, postal code
or coordinates.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import re
import statistics
import time
import unicodedata
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from referral_cli import hours as opening_hours
from referral_cli.errors import ReferralError
from referral_cli.geo import distance_km
from referral_cli.hsds_terms import guess_reach, name_forms, placeholder_reason, survivor_shelter
from referral_cli.taxonomy import Taxonomy
from referral_cli.validate import ID_RE

Row = dict[str, str]
Progress = Callable[[str, int, int], None]  # (stage, done, total)

MAX_SOURCE_BYTES = 512 * 1024 * 1024  # unpacked size of all tables together
MAX_ZIP_MEMBERS = 500
SCHEMA_MODELINE = "# yaml-language-server: $schema=schema.json"
HSDS_ID_KEY = "x-hsds-id"
APPROX_LOCATION_KEY = "x-location-approximate"
INACTIVE_STATUSES = ("inactive", "defunct")
# Vocabularies of our own export (referral_cli.hsds_export).
TAXONOMY_SERVICES = "referral-cli-service-types"
TAXONOMY_ELIGIBILITY = "referral-cli-eligibility"
TAXONOMY_KEYWORDS = "referral-cli-keywords"
TAXONOMY_FIELDS = "referral-cli-fields"  # attribute value: one field's JSON

# --- canonical tables -----------------------------------------------------------

# File stems and resource names of each table, HSDS 3.0 first.
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "organization": ("organization", "organizations"),
    "service": ("service", "services"),
    "location": ("location", "locations"),
    "address": ("address", "addresses", "physical_address", "physical_addresses"),
    "postal_address": ("postal_address", "postal_addresses", "mail_address", "mail_addresses"),
    "phone": ("phone", "phones"),
    "schedule": ("schedule", "schedules", "regular_schedule", "regular_schedules"),
    "language": ("language", "languages"),
    "service_at_location": (
        "service_at_location",
        "service_at_locations",
        "services_at_location",
        "services_at_locations",
    ),
    "taxonomy_term": ("taxonomy_term", "taxonomy_terms", "taxonomy"),
    "taxonomy": ("taxonomies",),
    "attribute": (
        "attribute",
        "attributes",
        "service_attribute",
        "service_attributes",
        "services_taxonomy",
        "service_taxonomy",
        "services_taxonomies",
    ),
    "eligibility": ("eligibility", "eligibilities"),
    "service_area": ("service_area", "service_areas"),
    "metadata": ("metadata",),
}
_TABLE_OF = {name: table for table, names in TABLE_NAMES.items() for name in names}
# Tables read but not imported, with the reason the report gives.
NOT_IMPORTED = {
    "contact": "named staff: personal data is not imported",
    "contacts": "named staff: personal data is not imported",
    "program": "programmes are not part of the directory format",
    "programs": "programmes are not part of the directory format",
    "holiday_schedule": "holiday closures are not part of the directory format",
    "holiday_schedules": "holiday closures are not part of the directory format",
}


@dataclass
class Tables:
    """Every table of a source, as lists of rows keyed by HSDS column names."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    flavour: str = ""
    ignored: dict[str, str] = field(default_factory=dict)  # table -> reason

    def get(self, table: str) -> list[Row]:
        return self.rows.get(table, [])

    def add(self, table: str, rows: Iterable[Row]) -> None:
        self.rows.setdefault(table, []).extend(rows)


# --- reading --------------------------------------------------------------------


def read_source(path: Path, progress: Progress | None = None) -> Tables:
    """Read a folder, zip or JSON file into canonical tables."""
    path = Path(path)
    if not path.exists():
        raise ReferralError(f"{path}: no such file or folder")
    if path.is_dir():
        files = _folder_files(path)
    elif not path.is_file():  # a pipe would hang the import, a device fill the memory
        raise ReferralError(f"{path}: not a regular file, folder or zip")
    elif zipfile.is_zipfile(path):
        files = _zip_files(path)
    elif path.suffix.lower() == ".json":
        return _read_json_file(path)
    elif path.suffix.lower() == ".csv":
        raise ReferralError(
            f"{path}: one CSV file is not an HSDS package; give the folder or zip that holds"
            " services.csv and the other tables"
        )
    else:
        raise ReferralError(
            f"{path}: not an HSDS source; give a folder or zip of CSV tables, or an HSDS 3.0 JSON file"
        )
    return _read_tables(files, str(path), progress)


def _folder_files(folder: Path) -> dict[str, Callable[[], bytes]]:
    files: dict[str, Callable[[], bytes]] = {}
    total = 0
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.suffix.lower() in (".csv", ".json") and not p.name.startswith("."):
            total += p.stat().st_size
            files[p.relative_to(folder).as_posix()] = p.read_bytes
    if total > MAX_SOURCE_BYTES:
        raise ReferralError(f"{folder}: the tables hold more than {MAX_SOURCE_BYTES >> 20} MiB")
    return files


def _zip_files(path: Path) -> dict[str, Callable[[], bytes]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReferralError(f"{path}: cannot read the zip ({exc}); make the zip again") from None
    infos = [
        i
        for i in zf.infolist()
        if not i.is_dir()
        and i.filename.lower().endswith((".csv", ".json"))
        and "__MACOSX" not in i.filename
        and not Path(i.filename).name.startswith(".")
    ]
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReferralError(f"{path}: the zip holds more than {MAX_ZIP_MEMBERS} files")
    if sum(i.file_size for i in infos) > MAX_SOURCE_BYTES:
        raise ReferralError(f"{path}: the zip unpacks to more than {MAX_SOURCE_BYTES >> 20} MiB")

    def reader(info: zipfile.ZipInfo) -> Callable[[], bytes]:
        def read() -> bytes:
            try:
                with zf.open(info) as fh:
                    data = fh.read(MAX_SOURCE_BYTES + 1)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise ReferralError(
                    f"{path}: {info.filename} is damaged in the zip ({exc}); make the zip again"
                ) from None
            if len(data) > MAX_SOURCE_BYTES:
                raise ReferralError(f"{path}: {info.filename} is too large")
            return data

        return read

    return {i.filename: reader(i) for i in infos}


def _decode(data: bytes) -> str:
    """Text of a table: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> list[Row]:
    text = _decode(data)
    csv.field_size_limit(16 * 1024 * 1024)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        return []
    names = [(n or "").strip().lstrip("\ufeff").lower() for n in reader.fieldnames]
    reader.fieldnames = names
    return [{k: (v or "") for k, v in row.items() if k} for row in reader]


def _read_tables(
    files: dict[str, Callable[[], bytes]], shown: str, progress: Progress | None
) -> Tables:
    # A datapackage.json names the resources and their paths; paths that do not
    # exist (211 Miami's point at the root while the files sit in data/) are found
    # by file name.
    by_name: dict[str, str] = {}
    packages = sorted((k for k in files if Path(k).name == "datapackage.json"), key=len)
    declared: dict[str, str] = {}  # file name -> resource name
    version = ""
    if packages:
        try:
            package = json.loads(_decode(files[packages[0]]()))
        except ValueError as exc:
            raise ReferralError(f"{shown}: datapackage.json is not valid JSON ({exc})") from None
        if isinstance(package, dict):
            version = str(package.get("version") or "")
            for res in package.get("resources") or []:
                if not isinstance(res, dict):
                    continue
                paths = res.get("path")
                for one in paths if isinstance(paths, list) else [paths]:
                    if isinstance(one, str):
                        declared[Path(one).name.lower()] = str(res.get("name") or "")
    csv_files = [k for k in files if k.lower().endswith(".csv")]
    json_files = [
        k for k in files if k.lower().endswith(".json") and Path(k).name != "datapackage.json"
    ]
    if not csv_files:
        if len(json_files) == 1:
            return _read_json_bytes(files[json_files[0]](), shown)
        raise ReferralError(
            f"{shown}: no CSV tables found; an HSDS package holds services.csv (or service.csv)"
            " and the other tables"
        )
    for key in sorted(csv_files, key=lambda k: (k.count("/"), k)):
        stem = Path(key).stem.lower()
        resource = declared.get(Path(key).name.lower(), "").lower()
        for candidate in (stem, resource):
            if candidate and candidate not in by_name:
                by_name[candidate] = key
    tables = Tables()
    names = sorted(by_name)
    has_v3 = "attribute" in by_name or "schedule" in by_name or "address" in by_name
    for i, name in enumerate(names):
        if progress:
            progress("reading tables", i, len(names))
        key = by_name[name]
        if name in NOT_IMPORTED:
            tables.ignored[name] = NOT_IMPORTED[name]
            continue
        table = _TABLE_OF.get(name)
        if table is None:
            tables.ignored.setdefault(name, "not used by the directory format")
            continue
        if any(by_name.get(other) == key for other in names[:i]):
            continue  # the same file under its resource name
        try:
            rows = _csv_rows(files[key]())
        except csv.Error as exc:  # a field over the limit, a NUL in old Pythons
            raise ReferralError(f"{shown}: {key} is not a readable CSV table ({exc})") from None
        if name == "taxonomy" and rows and _is_vocabulary_table(rows[0]):
            table = "taxonomy"
        if table == "postal_address":
            for r in rows:
                r.setdefault("address_type", "postal")
        tables.add(table, rows)
    if progress:
        progress("reading tables", len(names), len(names))
    if not tables.get("service"):
        raise ReferralError(
            f"{shown}: no services table (services.csv or service.csv) with rows; nothing to import"
        )
    if has_v3 or version.startswith("3"):
        tables.flavour = "HSDS 3.0 CSV"
    elif "physical_addresses" in by_name or "services_taxonomy" in by_name:
        tables.flavour = "HSDS 1.x CSV"
    elif "service_attributes" in by_name or "taxonomy_terms" in by_name:
        tables.flavour = "HSDS 2.0 CSV"
    else:
        tables.flavour = "HSDS 1.0 / Ohana CSV"
    if packages:
        tables.flavour += " data package"
    return tables


def _is_vocabulary_table(row: Row) -> bool:
    """HSDS 3.0 ``taxonomy`` lists vocabularies; older ``taxonomy`` lists terms."""
    return "uri" in row and "version" in row and "parent_id" not in row


def _read_json_file(path: Path) -> Tables:
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise ReferralError(f"{path}: larger than {MAX_SOURCE_BYTES >> 20} MiB")
    return _read_json_bytes(path.read_bytes(), str(path))


def _read_json_bytes(data: bytes, shown: str) -> Tables:
    try:
        doc = json.loads(_decode(data))
    except ValueError as exc:
        raise ReferralError(f"{shown}: not valid JSON ({exc})") from None
    except RecursionError:
        raise ReferralError(f"{shown}: JSON nested too deeply; refused") from None
    tables = Tables(flavour="HSDS 3.0 JSON")
    flat = _JsonFlattener(tables)
    for item in _json_items(doc):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("service"), dict):
            flat.service_at_location(item, None)
        elif isinstance(item.get("services"), list):
            flat.organization(item)
        else:
            flat.service(item, None)
    if not tables.get("service"):
        raise ReferralError(f"{shown}: no HSDS services found in the JSON")
    return tables


def _json_items(doc: Any) -> Iterator[Any]:
    """The records of a JSON document: a list, an API page ("contents", …) or one record."""
    if isinstance(doc, list):
        yield from doc
        return
    if isinstance(doc, dict):
        for key in ("contents", "items", "results", "data", "organizations"):
            if isinstance(doc.get(key), list):
                yield from doc[key]
                return
        if isinstance(doc.get("services"), list) and "name" not in doc:
            yield from doc["services"]
            return
        yield doc


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    return ""


class _JsonFlattener:
    """HSDS 3.0 nested objects -> the same rows as the CSV tables."""

    def __init__(self, tables: Tables):
        self.t = tables
        self.counter = 0
        self.seen: set[tuple[str, str]] = set()

    def _id(self, obj: dict[str, Any], prefix: str) -> str:
        value = _scalar(obj.get("id"))
        if value:
            return value
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def _row(self, obj: dict[str, Any], **extra: str) -> Row:
        row = {k: _scalar(v) for k, v in obj.items() if not isinstance(v, dict | list)}
        row.update({k: v for k, v in extra.items() if v})
        return row

    def _once(self, table: str, row: Row) -> bool:
        key = (table, row.get("id", ""))
        if key in self.seen:
            return False
        self.seen.add(key)
        self.t.add(table, [row])
        return True

    def organization(self, obj: dict[str, Any]) -> str:
        oid = self._id(obj, "org")
        self._once("organization", self._row(obj, id=oid))
        for loc in obj.get("locations") or []:
            if isinstance(loc, dict):
                self.location(loc, oid)
        for svc in obj.get("services") or []:
            if isinstance(svc, dict):
                self.service(svc, oid)
        self.phones(obj.get("phones"), organization_id=oid)
        return oid

    def service(self, obj: dict[str, Any], org_id: str | None) -> str:
        sid = self._id(obj, "service")
        org = obj.get("organization")
        if isinstance(org, dict):
            org_id = self._id(org, "org")
            self._once("organization", self._row(org, id=org_id))
        row = self._row(obj, id=sid, organization_id=org_id or "")
        if not self._once("service", row):
            return sid
        self.phones(obj.get("phones"), service_id=sid)
        self.schedules(obj.get("schedules"), service_id=sid)
        self.languages(obj.get("languages"), service_id=sid)
        self.attributes(obj.get("attributes"), sid)
        for area in obj.get("service_areas") or []:
            if isinstance(area, dict):
                self.t.add("service_area", [self._row(area, service_id=sid)])
        for sal in obj.get("service_at_locations") or []:
            if isinstance(sal, dict):
                self.service_at_location(sal, sid)
        return sid

    def service_at_location(self, obj: dict[str, Any], service_id: str | None) -> None:
        svc = obj.get("service")
        if isinstance(svc, dict):
            service_id = self.service(svc, None)
        loc = obj.get("location")
        location_id = _scalar(obj.get("location_id"))
        if isinstance(loc, dict):
            location_id = self.location(loc, None)
        sal_id = self._id(obj, "sal")
        self.t.add(
            "service_at_location",
            [self._row(obj, id=sal_id, service_id=service_id or "", location_id=location_id)],
        )
        self.phones(obj.get("phones"), service_at_location_id=sal_id)
        self.schedules(obj.get("schedules"), service_at_location_id=sal_id)

    def location(self, obj: dict[str, Any], org_id: str | None) -> str:
        lid = self._id(obj, "location")
        if not self._once("location", self._row(obj, id=lid, organization_id=org_id or "")):
            return lid
        for addr in obj.get("addresses") or []:
            if isinstance(addr, dict):
                self.t.add("address", [self._row(addr, location_id=lid)])
        self.phones(obj.get("phones"), location_id=lid)
        self.schedules(obj.get("schedules"), location_id=lid)
        self.languages(obj.get("languages"), location_id=lid)
        return lid

    def phones(self, items: Any, **link: str) -> None:
        for ph in items or []:
            if isinstance(ph, dict):
                self.t.add("phone", [self._row(ph, **link)])

    def schedules(self, items: Any, **link: str) -> None:
        for sc in items or []:
            if isinstance(sc, dict):
                self.t.add("schedule", [self._row(sc, **link)])

    def languages(self, items: Any, **link: str) -> None:
        for lang in items or []:
            if isinstance(lang, dict):
                self.t.add("language", [self._row(lang, **link)])
            elif isinstance(lang, str):
                self.t.add("language", [{"name": lang, **link}])

    def attributes(self, items: Any, service_id: str) -> None:
        for attr in items or []:
            if not isinstance(attr, dict):
                continue
            term = attr.get("taxonomy_term")
            term_id = _scalar(attr.get("taxonomy_term_id"))
            if isinstance(term, dict):
                term_id = self._id(term, "term")
                detail = term.get("taxonomy_detail")
                vocab = _scalar(term.get("taxonomy"))
                if isinstance(detail, dict):
                    vocab = vocab or _scalar(detail.get("name"))
                self._once("taxonomy_term", self._row(term, id=term_id, taxonomy=vocab))
            self.t.add(
                "attribute",
                [
                    self._row(
                        attr, link_id=service_id, link_entity="service", taxonomy_term_id=term_id
                    )
                ],
            )


# --- the mapping table ----------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What one taxonomy term means for us."""

    services: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    confirm: tuple[str, ...] = ()


@dataclass
class HsdsMap:
    airs: dict[str, Target]
    airs_fallback: dict[str, Target]
    open_eligibility: dict[str, Target]
    names: dict[str, Target]
    defaults: list[tuple[tuple[str, ...], tuple[str, ...]]]
    fallback: tuple[str, ...]
    population_words: frozenset[str]
    languages: dict[str, str | None]
    language_noise: tuple[str, ...]
    age_words: dict[str, tuple[int | None, int | None]]
    age_words_not_when: tuple[str, ...]
    strip_patterns: tuple[str, ...]
    mojibake: dict[str, str]
    countries: dict[str, str]
    us_states: dict[str, tuple[str, str]]  # code -> (name, time zone)

    def all_targets(self) -> Iterator[tuple[str, Target]]:
        for section in ("airs", "airs_fallback", "open_eligibility", "names"):
            for key, target in getattr(self, section).items():
                yield f"{section}.{key}", target
        for words, services in self.defaults:
            yield f"defaults.{words[0]}", Target(services)
        yield "fallback", Target(self.fallback)


def _target(value: Any) -> Target:
    if value is None:
        return Target(())
    if isinstance(value, list):
        return Target(tuple(str(v) for v in value))
    if isinstance(value, dict):
        return Target(
            tuple(str(v) for v in value.get("services") or ()),
            tuple(str(v) for v in value.get("keywords") or ()),
            tuple(str(v).lower() for v in value.get("confirm") or ()),
        )
    raise ValueError(f"bad mapping value {value!r}")


def norm_term(text: str) -> str:
    """A term name compared without case, punctuation variants or extra spaces."""
    return " ".join(text.lower().replace("’", "'").split())


@functools.cache
def load_map() -> HsdsMap:
    """The mapping table shipped beside this module."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = resources.files("referral_cli").joinpath("hsds_map.yaml").read_text("utf-8")
    raw = yaml.load(text, Loader=loader)  # noqa: S506 - safe loader
    return HsdsMap(
        airs={str(k): _target(v) for k, v in (raw.get("airs") or {}).items()},
        airs_fallback={str(k): _target(v) for k, v in (raw.get("airs_fallback") or {}).items()},
        open_eligibility={
            str(k): _target(v) for k, v in (raw.get("open_eligibility") or {}).items()
        },
        names={norm_term(str(k)): _target(v) for k, v in (raw.get("names") or {}).items()},
        defaults=[
            (tuple(str(w).lower() for w in d["words"]), tuple(str(s) for s in d["services"]))
            for d in raw.get("defaults") or []
        ],
        fallback=tuple(str(s) for s in raw.get("fallback") or ()),
        population_words=frozenset(str(w).lower() for w in raw.get("population_words") or ()),
        languages={
            norm_term(str(k)): (str(v) if v else None)
            for k, v in (raw.get("languages") or {}).items()
        },
        language_noise=tuple(str(w).lower() for w in raw.get("language_noise") or ()),
        age_words={
            norm_term(str(k)): (v[0], v[1]) for k, v in (raw.get("age_words") or {}).items()
        },
        age_words_not_when=tuple(str(w).lower() for w in raw.get("age_words_not_when") or ()),
        strip_patterns=tuple(str(p) for p in raw.get("strip_patterns") or ()),
        mojibake={str(k): str(v) for k, v in (raw.get("mojibake") or {}).items()},
        countries={str(k).lower(): str(v) for k, v in (raw.get("countries") or {}).items()},
        us_states={str(k): (str(v[0]), str(v[1])) for k, v in (raw.get("us_states") or {}).items()},
    )


_AIRS_CODE = re.compile(r"^[A-Z]{1,2}(?:-\d{4}(?:\.\d{4}(?:-\d{3}(?:\.\d{2})?)?)?)?$")
_OE_CODE = re.compile(r"^\d{3}(?:-\d{2}){0,4}$")


def _prefixes(code: str) -> Iterator[str]:
    """ "BH-1800.1500-308" -> itself, "BH-1800.1500", "BH-1800", "BH", "B"."""
    yield code
    while True:
        cut = max(code.rfind("."), code.rfind("-"))
        if cut <= 0:
            break
        code = code[:cut]
        yield code
    if _AIRS_CODE.match(code) and len(code) == 2:
        yield code[0]


def _longest_prefix(code: str, table: Mapping[str, Target]) -> tuple[str, Target] | None:
    """The entry whose key is the longest prefix of ``code`` at a code boundary."""
    for prefix in _prefixes(code):
        if prefix in table:
            return prefix, table[prefix]
    return None


# --- text cleaning ----------------------------------------------------------------


class Cleaner:
    """Repairs text cells and counts what it repaired."""

    def __init__(self, m: HsdsMap, repairs: bool = True):
        self.repairs = repairs  # False for our own export: its text is as it was written
        self.counts: Counter[str] = Counter()
        self._strip = re.compile("|".join(m.strip_patterns)) if m.strip_patterns else None
        keys = sorted(m.mojibake, key=len, reverse=True)
        self._moji_map = m.mojibake
        self._moji = re.compile("|".join(re.escape(k) for k in keys)) if keys else None
        self._cache: dict[str, tuple[str | None, tuple[str, ...]]] = {}

    def text(self, value: str | None, *, multiline: bool = False) -> str | None:
        """Clean text, or ``None`` when nothing is left."""
        if not value:
            return None
        key = value if not multiline else "\x00" + value
        hit = self._cache.get(key)
        if hit is None:
            hit = self._clean(value, multiline)
            if len(self._cache) < 200_000:
                self._cache[key] = hit
        out, kinds = hit
        for kind in kinds:
            self.counts[kind] += 1
        return out

    def _clean(self, value: str, multiline: bool) -> tuple[str | None, tuple[str, ...]]:
        from referral_cli.output import clean

        kinds: list[str] = []
        s = value
        if s[:1] == "'" and s[1:2] in ("=", "+", "-", "@"):
            s = s[1:]  # a formula guard written by a spreadsheet-safe exporter
        if not self.repairs:
            return (s if s.strip() else None), ()
        if "\\n" in s or "\\t" in s or "\\r" in s:
            s = s.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\r", "\n")
            s = s.replace("\\t", " ")
            kinds.append("literal line breaks")
        fixed = fix_mojibake(s)
        if self._moji is not None and ("Ç" in fixed or "+" in fixed or "-" in fixed):
            fixed = self._moji.sub(lambda m: self._moji_map[m.group(0)], fixed)
        if fixed != s:
            kinds.append("mis-decoded characters")
            s = fixed
        if self._strip is not None and "#" in s:
            stripped = self._strip.sub("", s)
            if stripped != s:
                kinds.append("export markers")
                s = stripped
        s = unicodedata.normalize("NFC", clean(s, multiline=True))
        lines = [" ".join(line.split()) for line in s.split("\n")]
        if multiline:
            out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        else:
            out = " ".join(part for part in lines if part)
        if value != value.strip() or "  " in value:
            kinds.append("extra spaces")
        return out or None, tuple(kinds)


_MOJIBAKE_HINT = re.compile("[ÃÂâ][\u0080-\u00ff\u2018-\u203a\u0152-\u0192\u02c6\u02dc]|Γ[ÇÃ]|├")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 that was read as Windows-1252 or code page 437 ("Ã©" -> "é").

    Only a repair that round-trips exactly is kept, word by word, so correct
    text with accents is never changed.
    """
    if not _MOJIBAKE_HINT.search(text):
        return text

    def repair(m: re.Match[str]) -> str:
        word = m.group(0)
        for codec in ("cp1252", "cp437", "latin-1"):
            try:
                fixed = word.encode(codec).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if fixed != word:
                return fixed
        return word

    return re.sub(r"\S*[^\x00-\x7f]\S*", repair, text)


# --- small parsers ----------------------------------------------------------------


def slug(text: str, limit: int = 60) -> str:
    """A lowercase ASCII slug: "Centro de Niños, Inc." -> "centro-de-ninos-inc"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", folded.lower().replace("&", " and ").replace("'", "")).strip("-")
    if len(s) > limit:
        cut = s[:limit]
        s = cut[: cut.rfind("-")] if "-" in cut[limit // 2 :] else cut
    return s.strip("-")


_PHONE_EXT = re.compile(
    r"^(.*?)(?:\s*[,;]?\s*(?:x|ext\.?|extension|#)\s*([0-9A-Za-z]+)\s*)?$", re.I
)


def normalise_phone(
    number: str, extension: str = "", country: str | None = None
) -> tuple[str | None, str]:
    """A phone in the directory's form, and a note when something was dropped.

    US/Canadian numbers become "+1 305-555-0100"; an extension stays as "x123".
    """
    from referral_cli.validate import PHONE_RE

    raw = number.strip().strip("'\"")
    if raw.lower().startswith("tel:"):
        raw = raw[4:]
    m = _PHONE_EXT.match(raw)
    main, ext = (m.group(1), m.group(2) or "") if m else (raw, "")
    ext = ext or extension.strip()
    if ext.endswith(".0") and ext[:-2].isdigit():
        ext = ext[:-2]
    note = ""
    digits = re.sub(r"\D", "", main)
    plus = main.strip().startswith("+")
    if re.search(r"[A-Za-z]", main):
        return None, f"{number!r} is not a phone number"
    if (not plus and (country in (None, "", "US", "CA", "PR")) and len(digits) == 10) or (
        len(digits) == 11 and digits[0] == "1" and (plus or country in (None, "", "US", "CA", "PR"))
    ):
        d = digits[-10:]
        out = f"+1 {d[:3]}-{d[3:6]}-{d[6:]}"
    elif len(digits) == 3 and not plus:
        out = digits  # 211, 911, 988
    else:
        out = " ".join(re.sub(r"[^0-9 ()+.\-/]", " ", main).split())
        if plus and not out.startswith("+"):
            out = "+" + out
    if ext:
        if re.fullmatch(r"[0-9]{1,6}", ext):
            out = f"{out} x{ext}"
        else:
            note = f"extension {ext!r} dropped"
    count = sum(ch.isdigit() for ch in out.split(" x")[0])
    if not PHONE_RE.match(out) or not (count == 3 or 7 <= count <= 15):
        return None, f"{number!r} is not a phone number"
    return out, note


def normalise_url(value: str) -> str | None:
    from referral_cli.validate import URL_RE

    s = value.strip().strip("<>\"'").replace("\\", "/")
    if not s:
        return None
    s = re.sub(r"^(https?):/(?=[^/])", r"\1://", s, flags=re.I)
    if not re.match(r"^[a-z][a-z0-9+.-]*://", s, re.I):
        if s.lower().startswith(("mailto:", "tel:")):
            return None
        s = "https://" + s.lstrip("/")
    scheme, _, rest = s.partition("://")
    s = scheme.lower() + "://" + rest
    return s if URL_RE.match(s) else None


def normalise_email(value: str) -> str | None:
    from referral_cli.validate import EMAIL_RE

    s = value.strip().strip("<>\"'")
    if s.lower().startswith("mailto:"):
        s = s[7:]
    s = s.split("?")[0].strip()
    return s if EMAIL_RE.match(s) else None


_DAY_WORDS = {
    "mo": 0, "mon": 0, "monday": 0, "tu": 1, "tue": 1, "tues": 1, "tuesday": 1,
    "we": 2, "wed": 2, "wednesday": 2, "th": 3, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3,
    "fr": 4, "fri": 4, "friday": 4, "sa": 5, "sat": 5, "saturday": 5,
    "su": 6, "sun": 6, "sunday": 6,
}  # fmt: skip
_TIME = re.compile(
    r"^(\d{1,2}?)(?:[:.h]?(\d{2})|[:.h](\d))?(?::\d{2}(?:\.\d+)?)?\s*(?:([ap])\.?\s*m?\.?)?\s*(?:z|[+-]\d{2}(?::?\d{2})?)?$",
    re.I,
)


def parse_time(value: str) -> tuple[int, bool] | None:
    """Minutes after midnight and whether am/pm was given: "9:00am" -> (540, True)."""
    s = re.sub(r"\([^)]*\)", " ", value).strip().lower()
    if s in ("noon", "12 noon"):
        return 720, True
    if s == "midnight":
        return 0, True
    m = _TIME.match(s)
    if not m:
        return None
    hour = int(m.group(1))
    minute = int(m.group(2)) if m.group(2) else int(m.group(3)) * 10 if m.group(3) else 0
    meridiem = m.group(4)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return hour * 60 + minute, bool(meridiem)


def parse_days(value: str) -> list[int]:
    """Weekday numbers (Monday 0) of "Monday", "MO,TU", "1" (ISO, Monday 1)."""
    out: list[int] = []
    for part in re.split(r"[,;/\s]+", value.strip().lower()):
        part = part.strip(".")
        if not part:
            continue
        if part.isdigit() and 1 <= int(part) <= 7:
            out.append(int(part) - 1)
        elif part in _DAY_WORDS:
            out.append(_DAY_WORDS[part])
        else:
            return []  # "1MO" (monthly) and unknown words: not a weekly day
    return out


_AGE_RANGE = re.compile(
    r"\b(?:ages?|aged)\s*(?:of\s*|from\s*|between\s*)?(\d{1,3})\s*(?:-|–|to|through|and|thru)\s*(\d{1,3})\b"
    r"|\b(\d{1,3})\s*(?:-|–|to|through|thru)\s*(\d{1,3})\s*(?:years?|yrs?|y/?o|year-olds)\b",
    re.I,
)
_AGE_MIN = re.compile(
    r"\b(?:ages?|aged)\s*(\d{1,3})\s*(?:\+|(?:years?\s*(?:old\s*)?)?(?:or|and)\s*(?:over|older|above|up|up ward|upward)s?)"
    r"|\b(\d{1,3})\s*(?:\+|(?:years?\s*(?:old\s*|of age\s*)?)?(?:or|and)\s*(?:over|older|above|up)\b)"
    r"|\b(?:over|older than|above|at least|minimum age(?: of)?|age over)\s*(?:the\s*age\s*of\s*)?(\d{1,3})\b",
    re.I,
)
_AGE_MAX = re.compile(
    r"\b(?:under|younger than|below|less than)\s*(?:the\s*age\s*of\s*|age\s*)?(\d{1,3})\b"
    r"|\b(?:up to|through|thru)\s*(?:the\s*)?age\s*(?:of\s*)?(\d{1,3})\b"
    r"|\b(?:ages?\s*)?(\d{1,3})\s*(?:years?\s*(?:old\s*)?)?(?:or|and)\s*(?:under|younger|below)\b",
    re.I,
)


def parse_ages(text: str, m: HsdsMap) -> tuple[tuple[int | None, int | None], str] | None:
    """An age range stated by eligibility text, and how it was found ("text"/"words").

    Several statements combine as "or" — the widest range — because an import
    must never exclude someone the provider serves.
    """
    low: list[int | None] = []
    high: list[int | None] = []
    for match in _AGE_RANGE.finditer(text):
        a, b = (
            int(x) for x in (match.group(1) or match.group(3), match.group(2) or match.group(4))
        )
        if a <= b <= 130:
            low.append(a)
            high.append(b)
    for match in _AGE_MIN.finditer(text):
        a = int(next(g for g in match.groups() if g))
        if a <= 130:
            low.append(a)
            high.append(None)
    for match in _AGE_MAX.finditer(text):
        a = int(next(g for g in match.groups() if g))
        if 0 < a <= 130:
            under = re.match(r"(?i)under|younger|below|less", match.group(0))
            low.append(None)
            high.append(a - 1 if under else a)
    how = "text"
    if not low:
        lowered = text.lower()
        if any(w in lowered for w in m.age_words_not_when):
            return None
        words = set(re.findall(r"[a-z]+(?: [a-z]+)?", lowered)) | set(
            re.findall(r"[a-z]+", lowered)
        )
        for word, (lo, hi) in m.age_words.items():
            if word in words:
                low.append(lo)
                high.append(hi)
        how = "words"
    if not low:
        return None
    lo_out = None if any(v is None for v in low) else min(v for v in low if v is not None)
    hi_out = None if any(v is None for v in high) else max(v for v in high if v is not None)
    if lo_out is None and hi_out is None:
        return None
    if lo_out == 0:
        lo_out = None
    return (lo_out, hi_out), how


# --- import ---------------------------------------------------------------------


@dataclass
class ProviderReport:
    id: str
    hsds_service_id: str
    how: str = "mapped"  # mapped | guessed
    mapped: list[dict[str, Any]] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)
    dropped: list[dict[str, str]] = field(default_factory=list)

    def drop(self, key: str, value: Any, reason: str) -> None:
        self.dropped.append({"field": key, "value": _short(value), "reason": reason})

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "hsds_service_id": self.hsds_service_id,
            "services": self.how,
            "mapped": self.mapped,
            "guessed": self.guessed,
            "dropped": self.dropped,
        }


def _short(value: Any) -> str:
    s = str(value)
    return s if len(s) <= 120 else s[:117] + "..."


@dataclass
class ImportReport:
    source: str
    flavour: str = ""
    tables: dict[str, int] = field(default_factory=dict)
    ignored_tables: dict[str, str] = field(default_factory=dict)
    services: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    providers: list[ProviderReport] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    unmapped_terms: Counter[str] = field(default_factory=Counter)
    dangling: Counter[str] = field(default_factory=Counter)
    cleaned: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    review: list[dict[str, str]] = field(default_factory=list)
    reach: list[dict[str, Any]] = field(default_factory=list)  # service areas guessed from words
    placeholders: list[dict[str, str]] = field(default_factory=list)  # test records found
    eligibility_not_stated: int = 0
    seconds: float = 0.0

    @property
    def mapped(self) -> int:
        return sum(p.how == "mapped" for p in self.providers)

    @property
    def guessed(self) -> int:
        return sum(p.how == "guessed" for p in self.providers)

    @property
    def dropped_fields(self) -> int:
        return sum(len(p.dropped) for p in self.providers)

    def summary(self) -> str:
        return (
            f"imported {len(self.providers)} providers from {self.services} services: "
            f"{self.mapped} mapped, {self.guessed} guessed, {self.dropped_fields} dropped fields"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.flavour,
            "seconds": round(self.seconds, 2),
            "tables": self.tables,
            "ignored_tables": self.ignored_tables,
            "services": self.services,
            "providers": len(self.providers),
            "mapped": self.mapped,
            "guessed": self.guessed,
            "dropped_fields": self.dropped_fields,
            "skipped_services": self.skipped,
            "rejected_providers": self.rejected,
            "dangling_references": dict(self.dangling),
            "cleaned_cells": dict(self.cleaned),
            "notes": self.notes,
            "review": self.review,
            "reach_guessed": self.reach,
            "placeholders": self.placeholders,
            "eligibility_not_stated": self.eligibility_not_stated,
            "unmapped_terms": [
                {"term": term, "services": count}
                for term, count in self.unmapped_terms.most_common()
            ],
            "provider_details": [p.as_dict() for p in self.providers],
        }


@dataclass
class _Term:
    code: str
    name: str
    vocabulary: str


@dataclass
class _Place:
    """A location as the directory needs it."""

    id: str
    name: str | None
    address: dict[str, str]
    lat: float | None
    lon: float | None
    approximate: str | None = None
    withheld: bool = False  # the source says the address is confidential


def _get(row: Row | None, *names: str) -> str:
    if not row:
        return ""
    for n in names:
        v = row.get(n)
        if v and v.strip():
            return v
    return ""


def _float(value: str) -> float | None:
    try:
        f = float(value.strip().strip("'"))
    except ValueError:
        return None
    return f if math.isfinite(f) else None


def _date(value: str) -> dt.date | None:
    s = value.strip()
    if not s:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        for fmt in ("%m/%d/%Y", "%m/%d/%y", "%B %d, %Y"):
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
    except ValueError:
        return None
    return None


class _Importer:
    def __init__(
        self,
        tables: Tables,
        tax: Taxonomy,
        m: HsdsMap,
        report: ImportReport,
        include_inactive: bool,
        include_placeholders: bool = False,
    ):
        self.t = tables
        self.tax = tax
        self.m = m
        self.report = report
        self.include_inactive = include_inactive
        self.include_placeholders = include_placeholders
        # our own export: its text needs no repairs and nothing is guessed
        self.ours = any(_get(r, "name") == TAXONOMY_FIELDS for r in tables.get("taxonomy"))
        self.clean = Cleaner(m, repairs=not self.ours)
        self.today = dt.date.today()
        self._index()

    # indexes ------------------------------------------------------------------

    def _index(self) -> None:
        t = self.t
        self.orgs = {r.get("id", ""): r for r in t.get("organization")}
        self.locations = {r.get("id", ""): r for r in t.get("location")}
        self.addresses: dict[str, list[Row]] = defaultdict(list)
        for r in t.get("address") + t.get("postal_address"):
            self.addresses[r.get("location_id", "")].append(r)
        self.sal_by_service: dict[str, list[Row]] = defaultdict(list)
        for r in t.get("service_at_location"):
            self.sal_by_service[r.get("service_id", "")].append(r)
        self.phones: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for r in t.get("phone"):
            for key in ("service_at_location_id", "service_id", "location_id", "organization_id"):
                if r.get(key):
                    self.phones[(key, r[key])].append(r)
        self.schedules: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for r in t.get("schedule"):
            for key in ("service_at_location_id", "service_id", "location_id"):
                if r.get(key):
                    self.schedules[(key, r[key])].append(r)
                    break
        self.languages: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for r in t.get("language"):
            for key in ("service_id", "location_id"):
                if r.get(key):
                    self.languages[(key, r[key])].append(r)
                    break
        vocabularies = {r.get("id", ""): _get(r, "name", "uri") for r in t.get("taxonomy")}
        self.terms: dict[str, _Term] = {}
        for r in t.get("taxonomy_term"):
            tid = _get(r, "id", "taxonomy_id")
            name = _get(r, "name", "term")
            code = _get(r, "code") or tid
            vocab = _get(r, "taxonomy", "vocabulary") or vocabularies.get(
                r.get("taxonomy_id", ""), ""
            )
            if tid:
                self.terms[tid] = _Term(code.strip(), name, vocab)
        self.service_terms: dict[str, list[str]] = defaultdict(list)
        self.own_fields: dict[str, dict[str, Any]] = defaultdict(dict)
        sal_service = {
            r.get("id", ""): r.get("service_id", "") for r in t.get("service_at_location")
        }
        for r in t.get("attribute"):
            entity = r.get("link_entity", "").lower()
            sid = r.get("service_id") or (r.get("link_id") if entity in ("", "service") else "")
            if entity == "service_at_location":
                sid = sal_service.get(r.get("link_id", ""), "")
            tid = _get(r, "taxonomy_term_id", "taxonomy_id")
            term = self.terms.get(tid)
            if sid and term is not None and term.vocabulary == TAXONOMY_FIELDS:
                self._own_field(sid, term.code.removeprefix("field:"), r.get("value", ""))
            elif sid and tid and tid not in self.service_terms[sid]:
                self.service_terms[sid].append(tid)
        self.eligibility: dict[str, list[Row]] = defaultdict(list)
        unlinked = 0
        for r in t.get("eligibility"):
            if r.get("service_id"):
                self.eligibility[r["service_id"]].append(r)
            else:
                unlinked += 1
        if unlinked:
            self.report.notes.append(
                f"{unlinked} eligibility rows have no service_id and cannot be linked; their"
                " ages and notes are not imported"
            )
            self.report.dangling["eligibility.service_id (empty)"] += unlinked
        self.service_areas: dict[str, list[Row]] = defaultdict(list)
        for r in t.get("service_area"):
            if r.get("service_id"):
                self.service_areas[r["service_id"]].append(r)
        self.modified: dict[str, dt.date] = {}
        for r in t.get("metadata"):
            d = _date(_get(r, "last_action_date", "updated_at"))
            rid = r.get("resource_id", "")
            if d and rid and (rid not in self.modified or d > self.modified[rid]):
                self.modified[rid] = d
        self.org_locations: dict[str, list[str]] = defaultdict(list)
        for lid, r in self.locations.items():
            if r.get("organization_id"):
                self.org_locations[r["organization_id"]].append(lid)
        self._coordinate_lookups()
        states = Counter(
            a.get("state_province", "").strip().upper()
            for rows in self.addresses.values()
            for a in rows
        )
        states.pop("", None)
        self.home_region = states.most_common(1)[0][0] if states else None

    def _own_field(self, sid: str, name: str, value: str) -> None:
        """A field our own export carried as JSON (see referral_cli.hsds_export)."""
        try:
            self.own_fields[sid][name] = json.loads(value)
        except ValueError:
            self.report.notes.append(f"service {sid}: field {name!r} is not JSON; ignored")

    def _coordinate_lookups(self) -> None:
        """Coordinates of geocoded locations by street address and by postal code,
        to place the locations of the same export that lack them."""
        self.by_street: dict[tuple[str, str], tuple[float, float]] = {}
        by_zip: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for lid, r in self.locations.items():
            lat, lon = _float(r.get("latitude", "")), _float(r.get("longitude", ""))
            if not _valid_coords(lat, lon):
                continue
            assert lat is not None and lon is not None
            for a in self.addresses.get(lid, []):
                if a.get("address_type", "physical") not in ("", "physical"):
                    continue
                key = _street_key(a)
                if key:
                    self.by_street.setdefault(key, (lat, lon))
                z = a.get("postal_code", "").strip()[:5]
                if z:
                    by_zip[z].append((lat, lon))
        self.by_zip: dict[str, tuple[float, float]] = {}
        for z, points in by_zip.items():
            if len(points) < 3:
                continue
            lat = statistics.median(p[0] for p in points)
            lon = statistics.median(p[1] for p in points)
            spread = statistics.median(distance_km(lat, lon, p[0], p[1]) for p in points)
            if spread <= 10:
                self.by_zip[z] = (round(lat, 3), round(lon, 3))

    # services -> providers ------------------------------------------------------

    def run(self, progress: Progress | None) -> list[dict[str, Any]]:
        services = self.t.get("service")
        self.report.services = len(services)
        plans: list[tuple[Row, list[str | None]]] = []
        for s in services:
            status = s.get("status", "").strip().lower()
            if status in INACTIVE_STATUSES and not self.include_inactive:
                self.report.skipped.append(
                    {
                        "service": s.get("id", ""),
                        "name": s.get("name", ""),
                        "reason": f"status {status}",
                    }
                )
                continue
            if not _get(s, "name"):
                self.report.skipped.append(
                    {"service": s.get("id", ""), "name": "", "reason": "no name"}
                )
                continue
            marker = self._placeholder(s)
            if marker:
                found = {
                    "service": s.get("id", ""),
                    "name": self.clean.text(s.get("name")) or "",
                    "reason": f"a test or placeholder record ({marker!r})",
                }
                self.report.placeholders.append(found)
                if not self.include_placeholders:
                    self.report.skipped.append(found)
                    continue
            plans.append((s, self._location_ids(s)))
        ids = self._ids(plans)
        out: list[dict[str, Any]] = []
        total = sum(len(locs) for _, locs in plans)
        done = 0
        for s, locs in plans:
            shared = self._shared(s)
            for lid in locs:
                pid = ids[(s.get("id", ""), lid)]
                out.append(self._provider(pid, s, lid, len(locs) > 1, shared))
                done += 1
                if progress and (done % 250 == 0 or done == total):
                    progress("mapping services", done, total)
        self.report.cleaned.update(self.clean.counts)
        self.report.eligibility_not_stated = sum(
            p.get("eligibility", {}).get("stated") is False for p in out
        )
        return out

    def _placeholder(self, s: Row) -> str | None:
        """The words that mark a service, its organisation or its location as test data."""
        org = self.orgs.get(s.get("organization_id", ""))
        locs = [
            self.locations.get(r.get("location_id", ""))
            for r in self.sal_by_service.get(s.get("id", ""), [])
        ]
        locs.append(self.locations.get(s.get("location_id", "")))
        places = [loc for loc in locs if loc]
        return placeholder_reason(
            [_get(s, "name"), _get(org, "name"), *(_get(loc, "name") for loc in places)],
            [_get(s, "description"), _get(org, "description")]
            + [_get(loc, "description") for loc in places],
        )

    def _location_ids(self, s: Row) -> list[str | None]:
        sid = s.get("id", "")
        locs: list[str | None] = []
        for r in self.sal_by_service.get(sid, []):
            lid = r.get("location_id", "")
            if lid in self.locations:
                if lid not in locs:
                    locs.append(lid)
            elif lid:
                self.report.dangling["service_at_location.location_id"] += 1
        direct = s.get("location_id", "")
        if not locs and direct:
            if direct in self.locations:
                locs.append(direct)
            else:
                self.report.dangling["service.location_id"] += 1
        if not locs and not self.ours:
            org_locs = self.org_locations.get(s.get("organization_id", ""), [])
            if len(org_locs) == 1:
                locs.append(org_locs[0])
        return locs or [None]

    def _ids(self, plans: list[tuple[Row, list[str | None]]]) -> dict[tuple[str, str | None], str]:
        """Readable unique ids: the service name, with the organisation or location
        added where names repeat, then -2, -3."""
        base_count: Counter[str] = Counter()
        self.name_count: Counter[str] = Counter()
        for s, locs in plans:
            name = self.clean.text(s.get("name")) or "service"
            base_count[slug(name) or "service"] += len(locs)
            self.name_count[name.lower()] += 1
        used: set[str] = set()
        out: dict[tuple[str, str | None], str] = {}
        for s, locs in plans:
            name = self.clean.text(s.get("name")) or "service"
            base = slug(name) or "service"
            own = s.get("id", "").strip()
            carried = self.own_fields.get(own, {}).get("id")
            if not (isinstance(carried, str) and ID_RE.match(carried)):
                carried = None
            readable = _readable_id(own)
            for lid in locs:
                candidate = base
                if carried and len(locs) == 1:
                    candidate = carried  # our own export: the provider's id as it was
                elif readable:
                    # the source's own id is already a good slug (an export of a directory)
                    candidate = (
                        own if len(locs) == 1 else slug(f"{own} {self._city(lid or '') or lid}")
                    )
                elif base_count[base] > 1:
                    if len(locs) > 1 and lid:
                        place = self.clean.text(self.locations[lid].get("name")) or self._city(lid)
                        candidate = slug(f"{name} {place or lid}")
                    else:
                        org = self._organization_name(s, lid)
                        org_slug = slug(org or "", 72)
                        if org_slug.endswith(base):
                            candidate = org_slug
                        elif org_slug:
                            candidate = slug(f"{org} {name}", 72)
                candidate = candidate or base
                final, n = candidate, 1
                while final in used:
                    n += 1
                    final = f"{candidate}-{n}"
                used.add(final)
                out[(s.get("id", ""), lid)] = final
        return out

    def _city(self, lid: str) -> str:
        for a in self.addresses.get(lid, []):
            if a.get("city", "").strip():
                return a["city"].strip()
        return ""

    def _organization_name(self, s: Row, lid: str | None) -> str | None:
        oid = s.get("organization_id", "") or (
            self.locations.get(lid or "", {}).get("organization_id", "")
        )
        org = self.orgs.get(oid)
        if org is not None:
            return self.clean.text(org.get("name"))
        # 211 Miami names locations "ORGANISATION - SERVICE": the organisation is
        # the part before the service name.
        if lid:
            loc_name = self.clean.text(self.locations[lid].get("name")) or ""
            svc = self.clean.text(s.get("name")) or ""
            if svc and loc_name.upper().endswith(" - " + svc.upper()):
                return loc_name[: -len(svc) - 3].strip() or None
        return None

    def _shared(self, s: Row) -> dict[str, Any]:
        """What every provider made from this service shares: terms and their meaning."""
        sid = s.get("id", "")
        terms: list[_Term] = []
        for tid in self.service_terms.get(sid, []):
            term = self.terms.get(tid)
            if term is None:
                if _AIRS_CODE.match(tid) or _OE_CODE.match(tid):
                    term = _Term(tid, "", "")
                else:
                    self.report.dangling["attribute.taxonomy_term_id"] += 1
                    continue
            terms.append(term)
        for tid in re.split(r"\s*,\s*", s.get("taxonomy_ids", "").strip()):
            if tid:
                terms.append(self.terms.get(tid) or _Term(tid, "", ""))
        free = [k for k in (self.clean.text(x) for x in _split_list(s.get("keywords", ""))) if k]
        return {"terms": terms, "free": free}

    def _provider(
        self, pid: str, s: Row, lid: str | None, split: bool, shared: dict[str, Any]
    ) -> dict[str, Any]:
        sid = s.get("id", "")
        rep = ProviderReport(pid, sid)
        self.report.providers.append(rep)
        c = self.clean
        loc = self.locations.get(lid or "")
        name = c.text(s.get("name")) or pid
        org = self._organization_name(s, lid)
        if split and loc is not None:
            site = c.text(loc.get("name")) or self._city(lid or "")
            if site and site.lower() != name.lower():
                name = f"{name} ({site})"
        elif org and self.name_count[name.lower()] > 1 and org.lower() not in name.lower():
            name = f"{name} ({org})"  # 211 Miami names many services after a site: "HIALEAH"
        p: dict[str, Any] = {"id": pid, "name": name}
        oid = s.get("organization_id", "")
        if oid and oid not in self.orgs:
            self.report.dangling["service.organization_id"] += 1
            if org:
                rep.guessed.append(f"organization {org!r} from the location name")
        if org and org.lower() != name.lower():
            p["organization"] = org
        desc = c.text(_get(s, "description"), multiline=True)
        if desc:
            p["description"] = desc
        services, keywords = self._services(s, shared, rep, name, desc or "")
        p["services"] = services
        elig = self._eligibility(s, rep, shared["terms"])
        if elig:
            p["eligibility"] = elig
        langs, lang_words = self._languages(sid, lid, s, loc, rep)
        if langs:
            p["languages"] = langs
        place = self._place(lid, rep) if lid else None
        country = (place.address.get("country") if place else None) or None
        phone, hotline = self._phones(s, lid, rep, country)
        if phone:
            p["phone"] = phone
        if hotline and hotline != phone:
            p["hotline"] = hotline
        email_raw = _get(s, "email") or _get(loc, "email") or _get(self.orgs.get(oid), "email")
        if email_raw:
            email = normalise_email(c.text(email_raw) or "")
            if email:
                p["email"] = email
            else:
                rep.drop("email", email_raw, "not an e-mail address")
        url_raw = (
            _get(s, "url", "website")
            or _get(loc, "website", "url")
            or _get(self.orgs.get(oid), "website", "url")
        )
        if url_raw:
            url = normalise_url(c.text(url_raw) or "")
            if url:
                p["website"] = url
            else:
                rep.drop("website", url_raw, "not a web address")
        hours = self._hours(sid, lid, rep)
        if hours:
            p["hours"] = hours
            state = place.address.get("region") if place else None
            if isinstance(hours, dict) and state in self.m.us_states and country == "US":
                p["timezone"] = self.m.us_states[state][1]
        if place is not None and place.withheld:
            if phone or hotline:
                p["confidential"] = True
                rep.guessed.append("the source withholds the address: marked confidential")
            else:
                # confidential needs a phone; without one, publish no place at all
                place.lat = place.lon = None
                rep.drop("location", "confidential address", "withheld by the source, no phone")
        if place is not None:
            if place.address:
                p["address"] = place.address
            if place.lat is not None and place.lon is not None:
                p["location"] = {"lat": round(place.lat, 6), "lon": round(place.lon, 6)}
                if place.approximate:
                    p[APPROX_LOCATION_KEY] = place.approximate
        area, area_words = self._service_area(s)
        if not area and "service_area" not in self.own_fields.get(sid, {}):
            address = p.get("address", {})
            guess = guess_reach(
                name=name,
                description=desc or "",
                services=services,
                phone=phone or hotline,
                street=address.get("street"),
                country=address.get("country"),
                region=address.get("region"),
                home_region=self.home_region,
            )
            if guess:
                area = guess[0]
                rep.guessed.append(f"service area {guess[1]}")
                self.report.reach.append({"id": pid, "service_area": area, "why": guess[1]})
        if area:
            p["service_area"] = area
        intake = c.text(_get(s, "application_process"), multiline=True)
        if intake:
            p["intake"] = intake
        cost = c.text(_get(s, "fees_description", "fees"))
        if cost:
            p["cost"] = cost
        verified = self._last_verified(s, lid)
        if verified:
            p["last_verified"] = verified
        alt = c.text(_get(s, "alternate_name"))
        words = _dedupe([*([alt] if alt else []), *keywords, *lang_words, *area_words])
        if words:
            p["keywords"] = words
        p[HSDS_ID_KEY] = f"{sid}@{lid}" if split and lid else sid
        own = self.own_fields.get(sid)
        if own:
            self._apply_own_fields(p, own)
        elif survivor_shelter(services, " ".join([name, desc or "", *words])):
            self._keep_private(p, rep)
        return p

    @staticmethod
    def _apply_own_fields(p: dict[str, Any], own: dict[str, Any]) -> None:
        """Fields our export carried exactly replace what the standard tables gave
        (a maintainer's confidentiality decision included)."""
        for key, value in own.items():
            if key == "id":
                continue
            if key == "address" and value is None:
                continue  # the address table had it
            if value is None or value is False or value == {}:
                p.pop(key, None)
            else:
                p[key] = value

    def _keep_private(self, p: dict[str, Any], rep: ProviderReport) -> None:
        """A shelter for survivors is imported confidential until a maintainer has
        confirmed its address may be published; with no phone to reach it, its
        street and coordinates are left out instead (confidential needs a phone)."""
        if p.get("confidential"):
            return
        if p.get("phone") or p.get("hotline"):
            p["confidential"] = True
            done = "imported confidential: true"
        else:
            p.pop("location", None)
            p.pop(APPROX_LOCATION_KEY, None)
            for key in ("street", "postal_code"):
                p.get("address", {}).pop(key, None)
            done = "no phone, so its street and location were left out"
        rep.guessed.append(f"a shelter for survivors: {done}")
        self.report.review.append(
            {
                "id": p["id"],
                "why": f"a shelter for survivors, {done}: confirm with the provider whether"
                " its address may be published before removing 'confidential'",
            }
        )

    # fields ---------------------------------------------------------------------

    def _services(
        self, s: Row, shared: dict[str, Any], rep: ProviderReport, name: str, desc: str
    ) -> tuple[list[str], list[str]]:
        m = self.m
        known = self.tax.service_types
        text = f"{name}\n{desc}".lower()
        services: list[str] = []
        keywords: list[str] = []
        unmapped: list[_Term] = []
        fallback_terms: list[tuple[_Term, Target]] = []

        def add(targets: Iterable[str]) -> list[str]:
            added = []
            for key in targets:
                if key in known and key not in services:
                    services.append(key)
                    added.append(key)
            return added

        terms: list[_Term] = shared["terms"]
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
                keywords.append(label)
                keywords.extend(target.keywords)
                rep.guessed.append(
                    f"{label!r} not read as {', '.join(target.services)}: the service text does not confirm it"
                )
                continue
            added = add(target.services)
            keywords.extend(target.keywords)
            if target.services:
                rep.mapped.append(
                    {"term": label, "code": term.code, "via": where, "services": added}
                )
            else:
                keywords.append(label)
        for word in shared["free"]:
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
            fb = (
                _longest_prefix(term.code, m.airs_fallback) if _AIRS_CODE.match(term.code) else None
            )
            if fb:
                fallback_terms.append((term, fb[1]))
        if services:
            return services, _dedupe(keywords)
        rep.how = "guessed"
        # 1. the names of terms that did not map, fuzzily against the table and our words
        for term in unmapped:
            label = self.clean.text(term.name) or ""
            guess = self._fuzzy_term(label)
            if guess:
                add(guess[1])
                rep.guessed.append(f"term {label!r} read as {guess[0]!r}")
        for word in shared["free"]:
            guess = self._fuzzy_term(word)
            if guess:
                add(guess[1])
                rep.guessed.append(f"keyword {word!r} read as {guess[0]!r}")
        if services:
            return services, _dedupe(keywords)
        # 2. the branch of the AIRS taxonomy
        for term, target in fallback_terms:
            added = add(target.services)
            if added:
                rep.guessed.append(f"{term.code} {term.name!r}: branch default {', '.join(added)}")
        if services:
            return services, _dedupe(keywords)
        # 3. the service's own words against our taxonomy's words
        found = self._words_in(name, desc)
        if found:
            add(found[1])
            rep.guessed.append(f"the service text mentions {found[0]!r}")
            return services, _dedupe(keywords)
        # 4. default rules, then the last resort
        for words, targets in m.defaults:
            for source in (name.lower(), desc.lower()):
                hit_word = next(
                    (w for w in words if re.search(rf"\b{re.escape(w)}\b", source)), None
                )
                if hit_word:
                    add(targets)
                    rep.guessed.append(f"default for the word {hit_word!r}")
                    break
            if services:
                return services, _dedupe(keywords)
        add(m.fallback)
        rep.guessed.append(f"nothing matched: the general default {', '.join(m.fallback)}")
        return services, _dedupe(keywords)

    def _lookup(self, term: _Term) -> tuple[str, Target] | None:
        m = self.m
        if term.vocabulary == TAXONOMY_SERVICES:
            if term.code in self.tax.service_types:
                return "referral-cli", Target((term.code,))
            return "referral-cli", Target((), ())  # kept as a keyword by its cleaned name
        if term.vocabulary == TAXONOMY_KEYWORDS:
            return "referral-cli", Target((), ())  # kept as a keyword by its cleaned name
        if _AIRS_CODE.match(term.code):
            hit = _longest_prefix(term.code, m.airs)
            if hit:
                return f"airs {hit[0]}", hit[1]
        elif _OE_CODE.match(term.code):
            hit = _longest_prefix(term.code, m.open_eligibility)
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
            from rapidfuzz import fuzz, process

            found = process.extractOne(
                key, list(self._fuzzy_choices), scorer=fuzz.token_set_ratio, score_cutoff=90
            )
            if found:
                result = (found[0], self._fuzzy_choices[found[0]])
        cache[key] = result
        return result

    @functools.cached_property
    def _synonym_re(self) -> tuple[re.Pattern[str], dict[str, str]]:
        words: dict[str, str] = {}
        for st in self.tax.service_types.values():
            for phrase in (st.label, *st.synonyms):
                p = norm_term(phrase)
                if len(p) >= 4:
                    words.setdefault(p, st.key)
        ordered = sorted(words, key=len, reverse=True)
        pattern = (
            re.compile(r"\b(" + "|".join(re.escape(w) for w in ordered) + r")(?:s|es)?\b")
            if ordered
            else re.compile(r"(?!x)x")
        )
        return pattern, words

    def _words_in(self, name: str, desc: str) -> tuple[str, tuple[str, ...]] | None:
        """The service type whose words the service's name (counted thrice) and
        description use most."""
        pattern, words = self._synonym_re
        score: Counter[str] = Counter()
        first: dict[str, str] = {}
        for text, weight in ((name, 3), (desc, 1)):
            for found in pattern.findall(norm_term(text)) if text else ():
                key = words[found]
                score[key] += weight
                first.setdefault(key, found)
        if not score:
            return None
        best = max(score, key=lambda k: score[k])
        return first[best], (best,)

    def _eligibility(self, s: Row, rep: ProviderReport, terms: list[_Term]) -> dict[str, Any]:
        from referral_cli.model import GENDERS, TRAFFICKING_TYPES

        c = self.clean
        texts = [_get(s, "eligibility_description", "eligibility")]
        rows = self.eligibility.get(s.get("id", ""), [])
        texts += [_get(r, "eligibility", "eligibility_description", "description") for r in rows]
        notes = _dedupe([t for t in (c.text(x) for x in texts) if t])
        out: dict[str, Any] = {}
        lows: list[int | None] = []
        highs: list[int | None] = []
        numeric = [(s.get("minimum_age", ""), s.get("maximum_age", ""))] + [
            (r.get("minimum_age", ""), r.get("maximum_age", "")) for r in rows
        ]
        for lo_raw, hi_raw in numeric:
            lo, hi = _age(lo_raw), _age(hi_raw)
            if lo is not None or hi is not None:
                if lo is not None and hi is not None and lo > hi:
                    rep.drop("eligibility.ages", f"{lo_raw}-{hi_raw}", "minimum above maximum")
                    continue
                lows.append(lo)
                highs.append(hi)
        if not lows:
            for text in notes:
                found = parse_ages(text, self.m)
                if found:
                    (lo, hi), how = found
                    lows.append(lo)
                    highs.append(hi)
                    if how == "words":
                        rep.guessed.append(f"ages {lo}-{hi} from the words of {text!r}")
        if lows:
            lo_out = None if any(v is None for v in lows) else min(v for v in lows if v is not None)
            hi_out = (
                None if any(v is None for v in highs) else max(v for v in highs if v is not None)
            )
            if lo_out == 0:
                lo_out = None
            if lo_out is not None or hi_out is not None:
                out["ages"] = [lo_out, hi_out]
        allowed = {"gender": GENDERS, "trafficking": TRAFFICKING_TYPES}
        for term in terms:
            if term.vocabulary != TAXONOMY_ELIGIBILITY:
                continue
            kind, _, value = term.code.partition(":")
            key = {
                "gender": "genders",
                "trafficking": "trafficking",
                "population": "populations",
            }.get(kind)
            ok = (
                value in allowed[kind]
                if kind in allowed
                else bool(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value))
            )
            if key and ok:
                out.setdefault(key, []).append(value)
        said_all = False
        if notes:
            note = " ".join(notes)
            said_all = bool(_OPEN_TO_ALL.fullmatch(note.strip(" ."))) and not (
                "ages" in out or "genders" in out
            )
            if not said_all and note.lower() not in ("none", "n/a", "na", "-", "no"):
                out["notes"] = note
        states = {t.code for t in terms if t.vocabulary == TAXONOMY_ELIGIBILITY}
        restricted = any(k in out for k in ("ages", "genders", "trafficking"))
        if "stated:false" in states or not (restricted or said_all or "stated:true" in states):
            # an HSDS record without readable eligibility says nothing about who is served
            out["stated"] = False
        return out

    def _languages(
        self, sid: str, lid: str | None, s: Row, loc: Row | None, rep: ProviderReport
    ) -> tuple[list[str], list[str]]:
        cells: list[str] = []
        for r in self.languages.get(("service_id", sid), []) or (
            self.languages.get(("location_id", lid), []) if lid else []
        ):
            code = r.get("code", "").strip()
            cells.append(code if code else _get(r, "name", "language"))
        cells += _split_list(s.get("languages", ""))
        if not cells and loc is not None:
            cells += _split_list(loc.get("languages", ""))
        codes: list[str] = []
        words: list[str] = []
        for cell in cells:
            text = self.clean.text(cell) or ""
            found, unknown, noise = self._language_codes(text)
            for code in found:
                if code not in codes:
                    codes.append(code)
            if noise and "interpretation available" not in words:
                words.append("interpretation available")
            for u in unknown:
                if "sign language" in u.lower() or re.match(r"(?i)asl\b", u):
                    words.append("American Sign Language")
                else:
                    rep.drop("languages", u, "not a known language name or ISO 639-1 code")
        return codes, words

    @functools.cached_property
    def _language_words(self) -> dict[str, str | None]:
        words: dict[str, str | None] = {}
        for lang in self.tax.languages.values():
            for w in (lang.name, lang.native, *lang.synonyms):
                words.setdefault(norm_term(w), lang.code)
        for name, code in self.m.languages.items():
            words.setdefault(name, code if code in self.tax.languages else None)
        return words

    def _language_codes(self, text: str) -> tuple[list[str], list[str], bool]:
        """Codes named by a language cell, the parts not understood, and whether it
        speaks of interpretation."""
        words = self._language_words
        found: list[str] = []
        unknown: list[str] = []
        noise = False
        for part in re.split(r"[,;/\n]|\band\b|&", text):
            part = part.strip(" .-:*").replace("-", " ")
            if not part:
                continue
            low = norm_term(part)
            if low in self.tax.languages:
                found.append(low)
                continue
            if low in words:
                code = words[low]
                (found.append(code) if code else unknown.append(part))
                continue
            bare = " ".join(re.findall(r"[a-zñçéèáíóú']+", re.sub(r"\([^)]*\)", " ", low)))
            if bare in words:
                code = words[bare]
                (found.append(code) if code else unknown.append(part))
                continue
            inside = [
                words[w]
                for w in _phrases(" ".join(re.findall(r"[a-zñçéèáíóú']+", low)))
                if words.get(w)
            ]
            if any(w in low for w in self.m.language_noise):
                noise = noise or any(
                    w in low
                    for w in ("interpret", "translat", "language line", "available", "request")
                )
                found.extend(c for c in inside if c)
                continue
            if inside:
                found.extend(c for c in inside if c)
            else:
                unknown.append(part)
        return found, unknown, noise

    def _place(self, lid: str, rep: ProviderReport) -> _Place:
        loc = self.locations[lid]
        rows = self.addresses.get(lid, [])
        physical = [
            a for a in rows if a.get("address_type", "physical").lower() in ("", "physical")
        ]
        a = physical[0] if physical else (rows[0] if rows else None)
        address: dict[str, str] = {}
        withheld = False
        if a is not None:
            withheld = bool(_WITHHELD.search(f"{a.get('address_1', '')} {a.get('address_2', '')}"))
            address = self._address(a, street=bool(physical) and not withheld, rep=rep)
        lat, lon = _float(loc.get("latitude", "")), _float(loc.get("longitude", ""))
        approximate = None
        if (lat is not None or lon is not None) and not _valid_coords(lat, lon):
            rep.drop(
                "location", f"{loc.get('latitude')},{loc.get('longitude')}", "not valid coordinates"
            )
            lat = lon = None
        if lat is None and a is not None and physical and not withheld and not self.ours:
            key = _street_key(a)
            if key in self.by_street:
                lat, lon = self.by_street[key]
                rep.guessed.append("location from another record at the same street address")
            else:
                z = a.get("postal_code", "").strip()[:5]
                if z in self.by_zip:
                    lat, lon = self.by_zip[z]
                    approximate = f"postal code {z}"
                    rep.guessed.append(f"approximate location: the middle of postal code {z}")
        return _Place(
            lid, self.clean.text(loc.get("name")), address, lat, lon, approximate, withheld
        )

    def _address(self, a: Row, street: bool, rep: ProviderReport) -> dict[str, str]:
        c = self.clean
        out: dict[str, str] = {}
        if street:
            line = ", ".join(
                x for x in (c.text(a.get("address_1")), c.text(a.get("address_2"))) if x
            )
            if line:
                out["street"] = line
        city = c.text(a.get("city"))
        if city:
            out["city"] = city
        region_raw = c.text(a.get("region")) or ""
        if re.search(r"\b(county|parish|borough)\b", region_raw, re.I):
            out["county"] = region_raw
        state = c.text(a.get("state_province")) or ""
        states = self.m.us_states
        by_name = {v[0].lower(): k for k, v in states.items()}
        if state.upper() in states:
            state = state.upper()
        elif state.lower() in by_name:
            state = by_name[state.lower()]
        if state:
            out["region"] = state
        if street:
            postal = c.text(a.get("postal_code"))
            if postal:
                out["postal_code"] = postal
        country_raw = c.text(a.get("country")) or ""
        country = self.m.countries.get(country_raw.lower(), country_raw.upper())
        if not country and state in states:
            country = "US"
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            rep.drop("address.country", country_raw, "not an ISO 3166-1 code")
            country = "US" if state in states else ""
        if country:
            out["country"] = country
        return out

    def _phones(
        self, s: Row, lid: str | None, rep: ProviderReport, country: str | None
    ) -> tuple[str | None, str | None]:
        sid = s.get("id", "")
        sal_ids = [
            r.get("id", "") for r in self.sal_by_service.get(sid, []) if r.get("location_id") == lid
        ]
        rows: list[Row] = []
        for key, value in (
            *(("service_at_location_id", x) for x in sal_ids),
            ("service_id", sid),
            ("location_id", lid or ""),
            ("organization_id", s.get("organization_id", "")),
        ):
            if value:
                rows.extend(r for r in self.phones.get((key, value), []) if r not in rows)
            if rows and key != "service_at_location_id":
                break
        phone = hotline = None
        for r in rows:
            kind = _get(r, "type", "number_type").lower()
            if kind in ("fax", "sms", "text", "pager", "tty", "textphone", "video"):
                continue
            raw = _get(r, "number")
            if not raw:
                continue
            number, note = normalise_phone(raw, _get(r, "extension"), country)
            if number is None:
                rep.drop("phone", raw, "not a phone number")
                continue
            if note:
                rep.drop("phone", raw, note)
            about = f"{_get(r, 'description', 'department')} {kind}".lower()
            if ("hotline" in about or "24" in about) and hotline is None:
                hotline = number
            elif phone is None:
                phone = number
        return phone, hotline

    def _hours(self, sid: str, lid: str | None, rep: ProviderReport) -> str | dict[str, str] | None:
        rows: list[Row] = []
        sal_ids = [
            r.get("id", "") for r in self.sal_by_service.get(sid, []) if r.get("location_id") == lid
        ]
        for key, value in (
            *(("service_at_location_id", x) for x in sal_ids),
            ("service_id", sid),
            ("location_id", lid or ""),
        ):
            if value and not rows:
                rows = self.schedules.get((key, value), [])
        if not rows:
            return None
        days: dict[int, list[tuple[int, int]]] = defaultdict(list)
        texts: list[str] = []
        for r in rows:
            text = self.clean.text(_get(r, "original_text", "description"), multiline=True)
            if text:
                text = "; ".join(line for line in text.split("\n") if line.strip())
                if text not in texts:
                    texts.append(text)
            freq = r.get("freq", "").upper()
            if freq and freq != "WEEKLY":
                continue
            day_list = parse_days(_get(r, "weekday", "byday"))
            o, cl = _get(r, "opens_at"), _get(r, "closes_at")
            if not day_list or not o or not cl:
                continue
            opens, closes = parse_time(o), parse_time(cl)
            if opens is None or closes is None:
                rep.drop("hours", f"{o}-{cl}", "not a time")
                continue
            start, end = opens[0], closes[0]
            if end <= start and not closes[1] and end + 720 > start and end < 720:
                end += 720
                rep.guessed.append(f"closing time {cl!r} read as {opening_hours.hhmm(end)}")
            if end == 0:
                end = 24 * 60
            if start == 24 * 60:
                start = 0
            for d in day_list:
                days[d].append((start, end))
        spec = opening_hours.from_weekly(days)
        if spec:
            return spec
        if texts:
            return "; ".join(texts)
        return None

    def _service_area(self, s: Row) -> tuple[dict[str, Any] | None, list[str]]:
        names = []
        for r in self.service_areas.get(s.get("id", ""), []):
            names.append(self.clean.text(_get(r, "name", "service_area", "description")) or "")
            # HSDS 3.0 extents: a place name or code is read like a name; a geometry
            # (GeoJSON, TopoJSON, KML, WKT) is not read
            if _get(r, "extent_type").lower() not in ("geojson", "topojson", "kml", "wkt"):
                names.append(self.clean.text(_get(r, "extent")) or "")
        names += [self.clean.text(x) or "" for x in _split_list(s.get("service_areas", ""))]
        regions: list[str] = []
        countries: list[str] = []
        remote = False
        words: list[str] = []
        states = {v[0].lower(): k for k, v in self.m.us_states.items()}
        for n in (x for x in names if x):
            low = n.lower()
            if re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", n):
                regions.append(n)
            elif re.fullmatch(r"[A-Z]{2}", n):
                countries.append(n)
            elif low in ("remote", "online", "virtual", "telephone", "phone"):
                remote = True
            elif low in states:
                regions.append(f"US-{states[low]}")
            elif low in ("nationwide", "national", "united states", "usa"):
                countries.append("US")
            else:
                words.append(n)
        out: dict[str, Any] = {}
        if regions:
            out["regions"] = _dedupe(regions)
        if countries:
            out["countries"] = _dedupe(countries)
        if remote:
            out["remote"] = True
        return (out or None), words

    def _last_verified(self, s: Row, lid: str | None) -> str | None:
        candidates = [
            _date(_get(s, "last_modified", "assured_date", "updated_at", "last_verified")),
            self.modified.get(s.get("id", "")),
        ]
        dates = [d for d in candidates if d is not None and d <= self.today]
        return max(dates).isoformat() if dates else None


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _readable_id(value: str) -> bool:
    """A source id that reads as a slug ("safe-harbor-house"), not "136", "svc-1" or a UUID."""
    return bool(
        ID_RE.match(value)
        and not _UUID.match(value)
        and sum(len(part) >= 3 and part.isalpha() for part in value.split("-")) >= 2
    )


# eligibility text that states there is no restriction
_OPEN_TO_ALL = re.compile(
    r"(?i)(?:none|no restrictions?|no eligibility requirements?|open to (?:all|everyone|anyone)"
    r"|everyone|anyone|all ages|all are welcome|no requirements?)"
)
_WITHHELD = re.compile(r"\b(confidential|undisclosed|not disclosed|withheld)\b", re.I)


def _age(value: str) -> int | None:
    f = _float(value) if value and value.strip() else None
    if f is None or not 0 <= f <= 130:
        return None
    return int(f)


def _valid_coords(lat: float | None, lon: float | None) -> bool:
    return (
        lat is not None
        and lon is not None
        and -90 <= lat <= 90
        and -180 <= lon <= 180
        and not (abs(lat) < 1e-6 and abs(lon) < 1e-6)
    )


def _street_key(a: Row) -> tuple[str, str] | None:
    street = " ".join(a.get("address_1", "").lower().replace(".", "").split())
    city = " ".join(a.get("city", "").lower().split())
    return (street, city) if street and city else None


def _split_list(value: str) -> list[str]:
    return [x.strip() for x in value.split(",") if x.strip()] if value else []


def _phrases(text: str) -> list[str]:
    words = text.split()
    return [" ".join(words[i : i + n]) for n in (3, 2, 1) for i in range(len(words) - n + 1)]


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        key = item.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(item.strip())
    return out


def import_hsds(
    source: Path,
    *,
    include_inactive: bool = False,
    include_placeholders: bool = False,
    progress: Progress | None = None,
    tax: Taxonomy | None = None,
) -> tuple[bytes, ImportReport]:
    """Read an HSDS source; return the directory YAML (validated) and the report.

    Test and placeholder records ("Lorem ipsum", "Fake Org") are left out and
    listed unless ``include_placeholders``.
    """
    _, data, report, _ = _import(source, include_inactive, include_placeholders, progress, tax)
    return data, report


def import_hsds_folder(
    source: Path,
    *,
    include_inactive: bool = False,
    include_placeholders: bool = False,
    progress: Progress | None = None,
    tax: Taxonomy | None = None,
) -> tuple[dict[str, bytes], ImportReport]:
    """Like :func:`import_hsds`, as a folder of files, one per organisation
    (``<organisation-slug>.yaml``; a provider without one is filed under its name),
    so that a 4,000-service import is reviewed organisation by organisation."""
    providers, _, report, header = _import(
        source, include_inactive, include_placeholders, progress, tax
    )
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in providers:
        groups[slug(p.get("organization") or p["name"], 80) or "providers"].append(p)
    return {f"{name}.yaml": dump_yaml(group, header)[0] for name, group in groups.items()}, report


def _import(
    source: Path,
    include_inactive: bool,
    include_placeholders: bool,
    progress: Progress | None,
    tax: Taxonomy | None,
) -> tuple[list[dict[str, Any]], bytes, ImportReport, str]:
    """The providers that validate, their YAML, the report, and the files' header line."""
    from referral_cli import taxonomy

    started = time.perf_counter()
    tax = tax or taxonomy.load()
    m = load_map()
    report = ImportReport(source=str(source))
    tables = read_source(Path(source), progress)
    report.flavour = tables.flavour
    report.tables = {name: len(rows) for name, rows in sorted(tables.rows.items())}
    report.ignored_tables = dict(sorted(tables.ignored.items()))
    importer = _Importer(tables, tax, m, report, include_inactive, include_placeholders)
    providers = importer.run(progress)
    if progress:
        progress("validating", 0, 1)
    header = f"imported from {Path(source).name} by referral import-hsds"
    providers, data = _validated(providers, report, header)
    if progress:
        progress("validating", 1, 1)
    report.seconds = time.perf_counter() - started
    return providers, data, report, header


def _validated(
    providers: list[dict[str, Any]], report: ImportReport, header: str
) -> tuple[list[dict[str, Any]], bytes]:
    """The providers that validate and their YAML; the others are reported and left out."""
    from referral_cli.parse import parse_bytes

    data, starts = dump_yaml(providers, header)
    _, diagnostics = parse_bytes(data, "import")
    errors = [d for d in diagnostics if d.severity == "error"]
    if not errors:
        return providers, data
    import bisect

    bad: dict[int, list[str]] = defaultdict(list)
    for d in errors:
        i = bisect.bisect_right(starts, d.line) - 1
        bad[max(i, 0)].append(f"{d.message} [{d.code}]")
    for i, messages in sorted(bad.items()):
        report.rejected.append({"id": providers[i]["id"], "errors": messages})
    rejected_ids = {providers[i]["id"] for i in bad}
    report.providers = [p for p in report.providers if p.id not in rejected_ids]
    keep = [p for i, p in enumerate(providers) if i not in bad]
    return keep, dump_yaml(keep, header)[0]


# --- YAML output ----------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _,.()/&'+:#?=%~-]*[A-Za-z0-9.)/]$|^[A-Za-z]$")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_YAML_WORDS = frozenset(
    ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf"]
)
KEY_ORDER = (
    "id", "name", "organization", "description", "services", "areas", "eligibility",
    "languages", "phone", "hotline", "email", "website", "hours", "timezone", "address",
    "location", "confidential", "service_area", "intake", "cost", "capacity",
    "last_verified", "keywords",
)  # fmt: skip


def _scalar_yaml(value: Any, flow: bool = False) -> str:
    """A YAML scalar: plain when that reads back as the same text, else JSON-quoted
    (a JSON string is a valid YAML double-quoted scalar)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    s = str(value)
    if (
        _PLAIN.match(s)
        and s.lower() not in _YAML_WORDS
        and ": " not in s
        and " #" not in s
        and not (flow and any(ch in s for ch in ",[]{}:?#"))
    ):
        return s
    return json.dumps(s, ensure_ascii=False)


def _block(text: str, indent: str) -> str | None:
    """A literal block for multi-line text, when YAML can keep it exactly."""
    if "\n" not in text or text != text.strip() or "\t" in text or "\r" in text:
        return None
    if any(line != line.rstrip() for line in text.split("\n")):
        return None
    if not all(ch.isprintable() or ch == "\n" for ch in text) or "\ufeff" in text:
        return None
    body = "\n".join((indent + line) if line else "" for line in text.split("\n"))
    return "|-\n" + body


def _emit(key: str, value: Any, indent: str, lines: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            return
        if all(not isinstance(v, dict | list) for v in value.values()) and key in ("location",):
            inner = ", ".join(f"{k}: {_scalar_yaml(v, flow=True)}" for k, v in value.items())
            lines.append(f"{indent}{key}: {{{inner}}}")
            return
        lines.append(f"{indent}{key}:")
        for k, v in value.items():
            _emit(k if _PLAIN_KEY.match(k) else json.dumps(k), v, indent + "  ", lines)
    elif isinstance(value, list):
        if not value:
            return
        inner = ", ".join(_scalar_yaml(v, flow=True) for v in value)
        if len(inner) + len(indent) + len(key) < 96 and "\n" not in inner:
            lines.append(f"{indent}{key}: [{inner}]")
        else:
            lines.append(f"{indent}{key}:")
            for v in value:
                lines.append(f"{indent}  - {_scalar_yaml(v)}")
    elif isinstance(value, str) and "\n" in value:
        block = _block(value, indent + "  ")
        lines.append(f"{indent}{key}: {block if block else _scalar_yaml(value)}")
    elif key == "last_verified":
        lines.append(f"{indent}{key}: {value}")
    else:
        lines.append(f"{indent}{key}: {_scalar_yaml(value)}")


def dump_yaml(providers: list[dict[str, Any]], header: str = "") -> tuple[bytes, list[int]]:
    """Directory YAML for provider dicts, and the line each provider starts on."""
    lines = [SCHEMA_MODELINE]
    if header:
        lines.append(f"# {header}")
    lines.append("providers:" if providers else "providers: []")
    line_no = len(lines)  # lines written so far (an entry may hold several)
    starts: list[int] = []
    for p in providers:
        starts.append(line_no + 1)
        keys = [k for k in KEY_ORDER if k in p] + [k for k in p if k not in KEY_ORDER]
        first = True
        for k in keys:
            chunk: list[str] = []
            _emit(k, p[k], "    ", chunk)
            if not chunk:
                continue
            if first:
                chunk[0] = "  - " + chunk[0][4:]
                first = False
            lines.extend(chunk)
            line_no += sum(entry.count("\n") + 1 for entry in chunk)
    return ("\n".join(lines) + "\n").encode("utf-8"), starts
