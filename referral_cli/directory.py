"""Find, load and index the YAML directory.

The directory is a file or a folder (every ``*.yaml``/``*.yml`` under it). It is
found as ``--data`` > ``$REFERRAL_DATA`` > the config file > ``./data/`` > the
sample shipped inside the package. Each file is parsed and checked on its own
(:func:`load_file`), which is the unit the on-disk index caches.

A directory is edited by many people, and a volunteer on a call cannot fix YAML:
the serving commands use every valid provider and say which were left out
(:attr:`Directory.left_out`); only ``validate`` and ``--strict-data`` refuse a
directory with errors.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from referral_cli.errors import SERVED_DESPITE, DataError, Diagnostic, ReferralError
from referral_cli.geo import addresses
from referral_cli.index.entries import file_problem
from referral_cli.index.facets import Correction, Facets, corrections, countries
from referral_cli.index.neighbours import beside_confidential
from referral_cli.index.store import Index, Near, open_index
from referral_cli.reading import folders
from referral_cli.reading.nodes import MAX_BYTES
from referral_cli.records.model import Provider
from referral_cli.records.tonight import DEFAULT_REPORT_HOURS
from referral_cli.suggest import did_you_mean

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILES_NAMED = 3  # in the note on what was left out; the rest are counted
MAX_LINES_NAMED = 5
REMEMBERED_SEARCHES = 16  # candidate lists kept per loaded directory
# Errors after which a provider is still served, as confidential (unknown is
# confidential): a public provider at a confidential one's place, and a
# 'confidential' that is neither true nor false.
SERVED_AS_CONFIDENTIAL = ("confidential-place", *SERVED_DESPITE)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """What a file's errors leave out of the serving commands: the providers they
    are about (their start lines and ids as written), or the whole file when an
    error is outside any provider (YAML syntax, the file's shape): what a broken
    file still seems to say (an id, a ``confidential: true``) cannot be trusted."""

    path: str
    providers: tuple[tuple[int, str], ...] = ()
    whole: Diagnostic | None = None  # the first error of a file left out whole

    def lines(self, provider_id: str | None = None) -> str:
        """The lines to look at: of every provider left out (of the one with
        ``provider_id``, when given), or of the error that left the file out."""
        found = sorted(
            {line for line, pid in self.providers if provider_id in (None, pid)}
            or {self.whole.line if self.whole else 0}
        )
        shown = ", ".join(str(n) for n in found[:MAX_LINES_NAMED])
        more = ", …" if len(found) > MAX_LINES_NAMED else ""
        return f"line{'s' if len(found) > 1 else ''} {shown}{more}"


def left_out(diagnostics: list[Diagnostic]) -> list[LeftOut]:
    """Per file with errors, what they leave out."""
    by_file: dict[str, dict[tuple[int, str], None]] = {}
    whole: dict[str, Diagnostic] = {}
    for d in diagnostics:
        if d.severity != "error" or d.code in SERVED_AS_CONFIDENTIAL:
            continue
        if d.provider_line:
            by_file.setdefault(d.path, {})[(d.provider_line, d.provider_id)] = None
        else:
            whole.setdefault(d.path, d)
    out = [LeftOut(path, whole=d) for path, d in whole.items()]
    out += [LeftOut(path, tuple(found)) for path, found in by_file.items() if path not in whole]
    return sorted(out, key=lambda x: x.path)


def left_out_note(parts: list[LeftOut]) -> str | None:
    """One line on what was left out, e.g. "2 providers left out because of errors
    in data/kern.yaml (lines 12, 40); run 'referral validate'"."""
    if not parts:
        return None

    def named(items: list[LeftOut]) -> str:
        listed = [f"{p.path} ({p.lines()})" for p in items[:MAX_FILES_NAMED]]
        if len(items) > MAX_FILES_NAMED:
            listed.append(f"{len(items) - MAX_FILES_NAMED} more files")
        return listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " and " + listed[-1]

    with_providers = [p for p in parts if p.providers]
    whole = [p for p in parts if p.whole is not None]
    said = []
    if with_providers:
        count = sum(len(p.providers) for p in with_providers)
        said.append(
            f"{count} provider{'s' if count != 1 else ''} left out because of errors in"
            f" {named(with_providers)}"
        )
    if whole:
        said.append(f"{named(whole)} left out whole because of errors")
    return "; ".join(said) + "; run 'referral validate'"


# The size the tool is built and tested for (docs/performance.md, the benchmark's
# --large profile: a million providers take minutes to index the first time and
# a fraction of a second a warm command). Beyond it every command still works,
# slower, and says so.
SUPPORTED_PROVIDERS = 1_000_000


def size_warning(count: int) -> str | None:
    """What to tell the user about a directory of ``count`` providers, if anything."""
    if count <= SUPPORTED_PROVIDERS:
        return None
    return (
        f"{count:,} providers is more than the {SUPPORTED_PROVIDERS:,} this tool is built"
        " and tested for: commands will be slow and use much memory; split the network's"
        " directory by region (docs/performance.md)"
    )


@dataclass
class Directory:
    """The providers a directory serves, with what validation found.

    The providers stay in the index (:mod:`referral_cli.index.store`) until asked for:
    a search takes only its :meth:`candidates`, ``show`` one :meth:`get`; the
    whole :attr:`providers` list is built for the commands that read them all.
    """

    location: Path
    origin: str  # how it was found: "--data", "$REFERRAL_DATA", "config", "./data", "sample"
    index: Index
    diagnostics: list[Diagnostic]
    files: list[str]
    left_out: list[LeftOut] = field(default_factory=list)
    # (path, line) of the providers left out as repeats of an id served earlier
    repeats: frozenset[tuple[str, int]] = frozenset()
    # (path, line) of the public providers at a confidential provider's place: an
    # error for validate, served as confidential (unknown is confidential)
    hidden: frozenset[tuple[str, int]] = frozenset()
    _providers: list[Provider] | None = field(default=None, repr=False)
    _countries: tuple[str, ...] | None = field(default=None, repr=False)
    _candidates: dict[tuple[Any, ...], list[Provider]] = field(default_factory=dict, repr=False)

    @property
    def providers(self) -> list[Provider]:
        if self._providers is None:
            self._providers = self._served(self.index.providers())
        return self._providers

    def __len__(self) -> int:
        return len(self.index) - len(self.repeats)

    def _served(self, found: list[Provider]) -> list[Provider]:
        if not (self.repeats or self.hidden):
            return found
        return [served for p in found if (served := self._as_served(p)) is not None]

    def _as_served(self, p: Provider) -> Provider | None:
        """A provider as filed, as it is served: ``None`` when left out as a repeat."""
        at = (p.source.path, p.source.line)
        if at in self.repeats:
            return None
        return served_as_confidential(p) if at in self.hidden else p

    def candidates(
        self,
        services: Sequence[str] = (),
        areas: Sequence[str] = (),
        terms: Sequence[str] = (),
        near: Near | None = None,
    ) -> list[Provider]:
        """The providers that can match a search (:meth:`Index.candidates`); the last
        few answers are kept (a call's new fact often keeps the need and the place)."""
        key = (tuple(services), tuple(areas), tuple(terms), near)
        found = self._candidates.get(key)
        if found is None:
            found = self._served(self.index.candidates(services, areas, terms, near))
            if len(self._candidates) >= REMEMBERED_SEARCHES:
                del self._candidates[next(iter(self._candidates))]
            self._candidates[key] = found
        return list(found)

    def facets(self) -> Facets | None:
        """The index's summaries for ``coverage``, with what it takes to count the
        providers as served: the few served otherwise than filed (left out as
        repeats of an id, served as confidential) are taken off as filed and
        added as served (:meth:`_corrections`). ``None`` when that cannot
        be exact: an id twice in one file (its file's summary counts it once), or
        an id that repeats among the providers served."""
        index = self.index
        unique = not index.repeated_ids()
        if not unique:
            if not all(e.unique for e in index.entries):
                return None
            served = self._served(index.with_ids(index.repeated_ids()))
            if len({p.id for p in served}) != len(served):
                return None
            unique = True
        return Facets(
            index.groups,
            index.sizes,
            lambda: self._served(index.reaching()),
            unique,
            self._corrections,
            lambda asked: index.recalled("matrix", asked),
            lambda asked, value: index.keep("matrix", asked, value),
        )

    def _corrections(self) -> list[Correction]:
        """What the providers served otherwise change in the index's groups
        (:func:`referral_cli.index.facets.corrections`), remembered for these
        very files: which providers they are and how they are served follow
        from the files alone (and the code, which the index is built by)."""
        if not (self.repeats or self.hidden):
            return []
        found = self.index.recalled("corrections", "")
        if isinstance(found, list):
            return found
        made = corrections(self._served_otherwise())
        self.index.keep("corrections", "", made)
        return made

    def _served_otherwise(self) -> list[tuple[Provider, Provider | None]]:
        """The providers served otherwise than filed: each as filed, and as
        :attr:`providers` serves it (``None``: left out as a repeat)."""
        places = self.repeats | self.hidden
        if not places:
            return []
        return [
            (p, self._as_served(p))
            for p in self.index.consistently(lambda: self._filed_at(places))
            if (p.source.path, p.source.line) in places
        ]

    def _filed_at(self, places: frozenset[tuple[str, int]]) -> list[Provider]:
        """The providers filed at these (path as shown, line), as the index holds
        them; looked up by line, never by a scan of their files."""
        file_ids = {shown: file_id for file_id, shown in self.index.shown_paths().items()}
        wanted = sorted((file_ids[path], line) for path, line in places if path in file_ids)
        rows = self.index.rows(
            "SELECT p.rowid FROM json_each(?) j JOIN providers p"
            " ON p.line = json_extract(j.value, '$[1]')"
            " AND +p.file_id = json_extract(j.value, '$[0]')"
            " WHERE +p.file_id IN ({files})",
            (json.dumps(wanted),),
        )
        return self.index.with_rowids([rowid for (rowid,) in rows]) or []

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def untrusted(self) -> list[Diagnostic]:
        """The files and folders another account could have written."""
        return [d for d in self.diagnostics if d.code == "trust"]

    @property
    def notes(self) -> list[str]:
        """What a serving command must say about the directory (what was left out)."""
        note = left_out_note(self.left_out)
        notes = [] if note is None else [note]
        if self.repeats:
            ids = sorted(
                {
                    pid
                    for part in self.left_out
                    for line, pid in part.providers
                    if (part.path, line) in self.repeats
                }
            )
            notes.append(
                f"{len(ids)} id{'s' if len(ids) != 1 else ''} used twice ({', '.join(ids[:5])}"
                f"{', …' if len(ids) > 5 else ''}): of each, the most recently verified"
                " provider is served"
            )
        if self.hidden:
            notes.append(
                f"{len(self.hidden)} provider(s) at the place of a confidential provider are"
                " served as confidential (street and point hidden); run 'referral validate'"
            )
        unknown = sum(d.code in SERVED_DESPITE for d in self.diagnostics)
        if unknown:
            notes.append(
                f"{unknown} provider(s) whose 'confidential' is neither true nor false are"
                " served as confidential; run 'referral validate'"
            )
        return notes

    def get(self, provider_id: str) -> Provider:
        """The provider with this id, or an error with a suggestion."""
        found = self._served(self.index.with_ids([provider_id]))
        if found:
            return found[0]
        raise ReferralError(self._missing(provider_id))

    def _missing(self, provider_id: str) -> str:
        """Why there is no provider with this id: left out (and where), or unknown.
        Only lines are named, never the error's text (it may quote an address)."""
        for part in self.left_out:
            if any(pid == provider_id for _, pid in part.providers):
                return (
                    f"provider '{provider_id}' is left out because of errors in {part.path}"
                    f" ({part.lines(provider_id)}); run 'referral validate' to see them"
                )
        for part in self.left_out:
            if part.whole is not None and _mentions_id(self.location, part.path, provider_id):
                return (
                    f"provider '{provider_id}' is in {part.path}, which is left out whole"
                    f" because of errors ({part.lines()}); run 'referral validate' to see them"
                )
        hint = did_you_mean(provider_id, {p.id: p for p in self.providers})
        also = ""
        if self.left_out:
            also = "; some providers are left out because of errors ('referral validate')"
        return f"no provider with id '{provider_id}'{hint} (try 'referral find' to search){also}"

    @property
    def countries(self) -> tuple[str, ...]:
        """The directory's countries, most providers first (to resolve ambiguous places)."""
        if self._countries is None:
            counts = countries(e.countries for e in self.index.entries)
            found = [c for c in counts if c]
            self._countries = tuple(sorted(found, key=lambda c: -counts[c]))
        return self._countries


def served_as_confidential(p: Provider) -> Provider:
    """``p`` served as confidential: never placed by its postal code (as private as
    its street), as validation places a confidential provider."""
    if p.placed is None or p.placed[0] != "postal code" or p.address is None:
        return replace(p, confidential=True)
    a = p.address
    found = addresses.place_of(a, confidential=True)
    if found is None:
        return replace(p, confidential=True, lat=None, lon=None, placed=None)
    placed = (found.precision, found.label)
    return replace(p, confidential=True, lat=found.lat, lon=found.lon, placed=placed)


def _mentions_id(location: Path, shown: str, provider_id: str) -> bool:
    """Whether a file that does not parse has a line ``id: <provider_id>``."""
    candidates = [f for f in list_files(location) if display_path(f) == shown]
    pattern = re.compile(
        rb"^[ \t-]*id:[ \t]*[\"']?" + re.escape(provider_id.encode()) + rb"[\"']?[ \t]*(#.*)?$",
        re.MULTILINE,
    )
    for path in candidates:
        try:
            if path.stat().st_size <= MAX_BYTES and pattern.search(path.read_bytes()):
                return True
        except OSError:
            continue
    return False


def sample_path() -> Path:
    """The sample directory shipped inside the package."""
    return Path(__file__).parent / "data" / "resources.yaml"


def discover(explicit: str | None, configured: str | None) -> tuple[Path, str]:
    """The directory to use and how it was chosen."""
    env = os.environ.get("REFERRAL_DATA")
    for value, origin in ((explicit, "--data"), (env, "$REFERRAL_DATA"), (configured, "config")):
        if value:
            path = Path(value).expanduser()
            try:
                os.stat(path)
            except FileNotFoundError:
                raise ReferralError(
                    f"{value}: no such file or folder (given by {origin})"
                ) from None
            except OSError as exc:  # a loop of links, a folder without access
                raise ReferralError(f"{value}: {exc.strerror} (given by {origin})") from None
            return path, origin
    local = Path("data")
    if local.is_dir() and any(_yaml_files(local)):
        return local, "./data"
    return sample_path(), "sample"


def _yaml_files(
    folder: Path,
    unreadable: list[Diagnostic] | None = None,
    links: set[Path] | None = None,
    top: Path | None = None,
    walked: list[int] | None = None,
) -> Iterator[Path]:
    """The YAML files under ``folder`` (linked folders are not entered); each
    subfolder that cannot be read is added to ``unreadable`` (its providers would
    otherwise vanish unsaid), each file that is a link to ``links``, and a link to
    a file outside the data folder ``top`` is never read. The folder's entries say
    which are folders and links without a ``stat`` of each file; more than
    ``folders.MAX_WALKED`` entries (``walked`` counts them) stop the walk."""
    top = top or folder
    walked = walked if walked is not None else [0]
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        if unreadable is not None:
            where = display_path(Path(exc.filename or folder))
            message = f"cannot read folder: {exc.strerror}; its files are not loaded"
            unreadable.append(Diagnostic(where, 1, 1, "error", message, "io"))
        return
    subfolders = []
    for entry in entries:
        walked[0] += 1
        if walked[0] > folders.MAX_WALKED:
            raise folders.too_many(top)
        if entry.name.startswith("."):
            continue
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            if not entry.is_symlink():
                subfolders.append(entry.name)
        elif entry.name.lower().endswith(YAML_SUFFIXES):  # Kern.YML too
            path = folder / entry.name
            if entry.is_symlink() and folders.outside(top, path):
                if unreadable is not None:  # never read: it could be /etc/shadow
                    message = "a link to a file outside the data folder: not followed"
                    unreadable.append(Diagnostic(display_path(path), 1, 1, "error", message, "io"))
                continue
            if links is not None and entry.is_symlink():
                links.add(path)
            yield path
    for name in subfolders:
        yield from _yaml_files(folder / name, unreadable, links, top, walked)


def list_files(
    path: Path, unreadable: list[Diagnostic] | None = None, links: set[Path] | None = None
) -> list[Path]:
    """The YAML files of a directory given as a file or a folder (folders that
    cannot be read are added to ``unreadable``, files that are links to ``links``)."""
    folders.refuse_system_folder(path)
    if path.is_dir():
        files = list(_yaml_files(path, unreadable, links))
        if not files and not unreadable:
            raise ReferralError(f"{path}: the folder has no *.yaml or *.yml files")
        return files
    if not path.exists():
        raise ReferralError(f"{path}: no such file or folder")
    return [path]


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    return _shown(path, path.resolve(), Path.cwd().resolve())


def _shown(path: Path, resolved: Path, cwd: Path) -> str:
    try:
        return str(resolved.relative_to(cwd))
    except ValueError:
        return str(path)


def _resolved(location: Path, files: list[Path], links: set[Path]) -> list[Path]:
    """The real paths of the ``files`` of ``location``: a folder is resolved once
    and each file under it that is no link (``links``) is that path below it, so
    not every folder on the way is looked up again per file."""
    if not location.is_dir():
        return [f.resolve() for f in files]
    folder = location.resolve()
    return [f.resolve() if f in links else folder / f.relative_to(location) for f in files]


def load(
    location: Path,
    origin: str = "--data",
    *,
    today: dt.date | None = None,
    stale_days: int | None = None,
    report_hours: float | None = None,
    use_cache: bool = True,
    warnings: bool = False,
) -> Directory:
    """Load every file of a directory and run the cross-file checks (the ones
    that only warn, such as staleness, with ``warnings``)."""
    diagnostics: list[Diagnostic] = []
    cwd = Path.cwd().resolve()
    files, stats, links = [], [], set[Path]()
    for f in list_files(location, diagnostics, links):
        try:  # a pipe, a device, a huge file or a loop of links is never read
            st = os.stat(f)
            problem = file_problem(st)
        except OSError as exc:
            problem = f"cannot read file: {exc.strerror}"
        if problem is None:
            files.append(f)
            stats.append(st)
        else:
            diagnostics.append(
                Diagnostic(_shown(f, f.absolute(), cwd), 1, 1, "error", problem, "io")
            )
    resolved = _resolved(location, files, links)
    shown = [_shown(f, r, cwd) for f, r in zip(files, resolved, strict=True)]
    if origin != "sample":  # the package's own file is as trusted as its code
        diagnostics.extend(folders.untrusted(location, files, shown, stats))
    index = open_index(files, shown, resolved, cached=use_cache, warnings=warnings, stats=stats)
    for entry in index.entries:
        diagnostics.extend(entry.diagnostics)
    parts = left_out(diagnostics)
    broken = {part.path for part in parts if part.whole is not None}
    index = index.without(broken)
    repeated = index.repeated_ids()
    across: list[Diagnostic] = []
    if warnings or repeated:  # the checks across files (a warm find of unique ids needs none)
        from referral_cli.format.directory_checks import DEFAULT_STALE_DAYS, check_directory

        if warnings:  # every check, on every provider
            across = check_directory(
                index.checked(),
                today=today,
                stale_days=DEFAULT_STALE_DAYS if stale_days is None else stale_days,
                report_hours=DEFAULT_REPORT_HOURS if report_hours is None else report_hours,
            )
        else:  # only the unique ids (an error), from the providers that share one
            across = check_directory(index.checked(repeated), warnings=False)
    beside = _beside_confidential(index)
    diagnostics.extend(across + beside)
    repeats = frozenset((d.path, d.provider_line) for d in across if d.code == "duplicate-id")
    if repeats:  # served once: the most recently verified provider with the id stays
        parts = left_out(diagnostics)
    count = len(index) - len(repeats)
    too_large = size_warning(count) if warnings else None
    if too_large is not None:
        diagnostics.append(Diagnostic(display_path(location), 1, 1, "warning", too_large, "size"))
    hidden = frozenset((d.path, d.provider_line) for d in beside)
    return Directory(location, origin, index, diagnostics, shown, parts, repeats, hidden)


def _beside_confidential(index: Index) -> list[Diagnostic]:
    """An error for each public provider at a confidential provider's place. The
    message names both (and where the confidential one is written), never the
    place itself."""
    out = []
    for n in beside_confidential(index):
        out.append(
            Diagnostic(
                n.path,
                n.line,
                n.col,
                "error",
                f"'{n.id}' is at the {n.what} of confidential provider '{n.secret_id}'"
                f" ({n.secret_path}:{n.secret_line}:{n.secret_col}): published, it shows where"
                " that provider is;"
                " make it confidential too, or correct its address",
                "confidential-place",
                n.line,
                n.id,
            )
        )
    return out


def open_directory(
    explicit: str | None, configured: str | None, *, strict: bool = False
) -> Directory:
    """The directory a serving command uses: every valid provider, the others in
    :attr:`Directory.left_out`. It stops with the validation errors when ``strict``,
    or when no provider is valid (there would be nothing to serve)."""
    location, origin = discover(explicit, configured)
    directory = load(location, origin)
    if directory.errors and (strict or not len(directory)):
        raise DataError(directory.errors)
    if strict and directory.untrusted:
        raise DataError(directory.untrusted)
    return directory
