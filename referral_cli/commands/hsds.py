"""``referral import-hsds`` and ``referral export-hsds``: Open Referral (HSDS) data."""

import contextlib
import datetime as dt
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from referral_cli.app import DataOption, format_option, note_line, open_directory
from referral_cli.errors import ExitStatus, ReferralError, UsageError
from referral_cli.output import console

# referral_cli.hsds (validate, taxonomy, geo), the settings and files are imported
# inside the commands: --help imports this module for its options, and an export
# needs none of the importer.


def import_hsds(
    source: Annotated[
        str,
        typer.Argument(
            help="HSDS data package: a folder or zip of CSV tables (1.x, 2.x or 3.0 names),"
            " an HSDS 3.0 JSON file, a 211 resource export (the iCarol CSV with"
            " ResourceAgencyNum and the AIRS columns, or a folder or zip of it), or with"
            " --online the http(s) address of an HSDS 3.0 API.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Directory file to write (*.yaml), or a folder (no suffix) for one file per"
            " organisation.",
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace OUTPUT if it exists.")] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            help="Write the full report (what mapped, what was guessed or dropped, unmapped"
            " terms) as JSON.",
            show_default=False,
        ),
    ] = None,
    include_inactive: Annotated[
        bool,
        typer.Option(
            "--include-inactive",
            help="Also import services marked inactive, defunct, closed or 'do not refer'.",
        ),
    ] = False,
    include_placeholders: Annotated[
        bool,
        typer.Option(
            "--include-placeholders",
            help="Also import test and placeholder records ('Lorem ipsum', 'Fake Org');"
            " they are listed under 'placeholders' in the report either way.",
        ),
    ] = False,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="Allow reading SOURCE from an HSDS API over the network (nothing about a"
            " caller is sent).",
        ),
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="With an API address: only the services modified on or after this date"
            " (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Import an Open Referral (HSDS) export as a directory file.

    One provider per service (per service and location when a service has several),
    in one file, or with --output FOLDER in one file per organisation.
    Taxonomy terms (AIRS/211 codes and names, Open Eligibility) become service types
    through referral_cli/hsds/hsds_map.yaml; terms that do not map are kept as keywords.
    The result always passes 'referral validate'; a one-line summary goes to stderr,
    with a line for each kind of thing left out. Exit status 5: the file was written,
    but references between the tables dangle (rows that could not be joined, named in
    the summary and under 'dangling_references' in the report).

    A 211 resource export is read as the same tables: Agency rows are organisations,
    Program rows services, Site rows locations, ProgramAtSite rows place a programme
    at a site. An address marked PhysicalAddressIsPrivate (on the programme, its
    site or its agency) makes the provider confidential; private phones are never
    imported.

    An HSDS 3.0 API (a live one, or a static one written by 'referral publish') is
    read page by page through /services when --online is given; --since brings only
    the services modified on or after a date.

    Example: referral import-hsds ./miami-hsds/ --output data/miami/ --report import.json
    """
    # the core: not loaded by --help
    from referral_cli.files import write_atomic
    from referral_cli.hsds.importer import import_hsds as run_import
    from referral_cli.hsds.importer import import_hsds_folder

    folder = output.is_dir() or not output.suffix
    if not folder and output.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(
            f"--output {output}: give a file name ending in .yaml or .yml, or a folder"
        )
    if not folder and output.exists() and not force:
        raise ReferralError(f"{output} exists; pass --force to replace it")
    if folder and output.is_dir() and any(output.iterdir()) and not force:
        raise ReferralError(f"{output} exists and is not empty; pass --force to write into it")
    if report is not None and report.resolve() == output.resolve():
        raise UsageError(f"--report {report} is the --output file; give the report its own name")
    if report is not None and report.exists() and not force:
        raise ReferralError(f"{report} exists; pass --force to replace it")
    options: dict[str, Any] = {
        "include_inactive": include_inactive,
        "include_placeholders": include_placeholders,
    }
    with _progress() as progress, _source(source, online, since, progress) as path:
        if folder:
            files, result = import_hsds_folder(path, progress=progress, **options)
        else:
            data, result = run_import(path, progress=progress, **options)
    if folder:
        _write_folder(output, files, force)
        wrote = f"wrote {len(files)} files (one per organisation) to {output}"
    else:
        write_atomic(output, data, force=force)
        wrote = f"wrote {output}"
    where = "use --report FILE for the details"
    if report is not None:
        write_atomic(report, result.as_json(), force=force)
        where = f"report written to {report}"
    note_line(f"{result.summary()} in {result.seconds:.1f} s; {wrote}; {where}")
    if result.rejected:
        note_line(
            f"{len(result.rejected)} providers left out: they would not validate (see the report)"
        )
    if result.review:
        note_line(
            f"{len(result.review)} shelters for survivors imported confidential until a maintainer"
            " confirms their addresses may be published (listed under 'review' in the report)"
        )
    if result.placeholders and not include_placeholders:
        note_line(
            f"{len(result.placeholders)} test or placeholder records left out"
            " (listed under 'placeholders'; --include-placeholders keeps them)"
        )
    if result.not_referred:
        note_line(
            f"{len(result.not_referred)} providers imported with a status that takes no"
            " referrals (do-not-refer or closed): 'show' tells it, 'find' never lists them"
            " (listed under 'not_referred')"
        )
    statuses = Counter(x["reason"] for x in result.skipped if x["reason"].startswith("status "))
    if statuses:
        said = ", ".join(f"{n} {reason}" for reason, n in statuses.most_common())
        note_line(f"services left out for their status ({said}); --include-inactive keeps them")
    untyped = sum(x["reason"].startswith("no service type") for x in result.skipped)
    if untyped:
        note_line(
            f"{untyped} services left out: their taxonomy terms name no service type"
            " (parks, museums, fire stations...; listed under 'skipped_services')"
        )
    unmapped = sum(result.unmapped_terms.values())
    if unmapped or result.guessed:
        note_line(
            f"{len(result.unmapped_terms)} terms mapped to no type ({unmapped} uses) and"
            f" {result.guessed} providers typed by a guess: see 'unmapped_terms' and"
            " 'provider_details' in the report"
        )
    if result.eligibility_not_stated:
        note_line(
            f"{result.eligibility_not_stated} providers have no eligibility the source states:"
            " written 'stated: false' (results say 'call to check')"
        )
    if result.dangling:
        said = ", ".join(f"{n} {ref}" for ref, n in result.dangling.most_common())
        note_line(f"references that lead nowhere, rows not joined: {said}")
        raise typer.Exit(ExitStatus.INCOMPLETE)


def export_hsds(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Folder for the data package (tabular), or a *.json file (json).",
            show_default=False,
        ),
    ],
    fmt: Annotated[str, format_option("export-hsds")] = "tabular",
    force: Annotated[
        bool, typer.Option("--force", help="Write into OUTPUT even if it is not empty.")
    ] = False,
    data: DataOption = None,
) -> None:
    """Export the directory as Open Referral HSDS 3.0: a tabular data package or JSON.

    Both pass the official HSDS 3.0 schema: UUID ids that stay the same from one
    export to the next, HH:MM:SS times, phone numbers as numbers. Fields HSDS has no
    place for (eligibility state, hours as written, time zone, confidentiality,
    capacity, service area) travel as 'referral-cli-fields' attributes, so
    import-hsds gives them back unchanged. Confidential providers are exported
    without street address, postal code or exact coordinates, and the redaction
    gate refuses the export (exit 1, nothing written) if one of them still appears
    anywhere in it (in a description, say).

    Example: referral export-hsds --output hsds-export/
    """
    # the core: not loaded by --help
    from referral_cli.files import write_atomic
    from referral_cli.hsds.export import export_hsds as build
    from referral_cli.hsds.export import export_hsds_json
    from referral_cli.hsds.redaction import gate

    directory = open_directory(data)
    if fmt == "json":
        if output.suffix.lower() != ".json":
            raise UsageError(f"--output {output}: with --format json give a file ending in .json")
        written = export_hsds_json(directory.providers)
        gate({output.name: written}, directory.providers, "export")
        write_atomic(output, written, force=force)
        where = f"to {output}"
    else:
        files = build(directory.providers)
        gate(files, directory.providers, "export")
        _write_folder(output, files, force)
        where = f"to {output} ({len(files)} files)"
    note_line(f"exported {len(directory.providers)} providers as HSDS 3.0 {fmt} {where}")


@contextlib.contextmanager
def _source(source: str, online: bool, since: str | None, progress: Any) -> Iterator[Path]:
    """The HSDS source as a path: the one given, or an API's services fetched into a
    private temporary JSON file (removed afterwards)."""
    # the core: not loaded by --help
    from referral_cli.config import load_config
    from referral_cli.hsds.api_client import fetch_services, is_url

    if not is_url(source):
        if since is not None:
            raise UsageError("--since goes with the address of an HSDS API")
        yield Path(source)
        return
    if not (online or load_config().online):
        raise UsageError(f"{source} is a network address: pass --online to read it")
    try:
        after = None if since is None else dt.date.fromisoformat(since)
    except ValueError:
        raise UsageError(f"--since {since!r}: give a date as YYYY-MM-DD") from None
    services, _ = fetch_services(source, after, progress)
    if not services and after is not None:
        note_line(f"no service of {source} was modified since {after}: nothing written")
        raise typer.Exit(0)
    if not services:
        raise ReferralError(f"{source}: the API lists no services; nothing to import")
    with tempfile.TemporaryDirectory(prefix="referral-import-") as folder:  # mode 0700
        path = Path(folder) / "services.json"
        path.write_text(json.dumps(services, ensure_ascii=False), "utf-8")
        yield path


def _write_folder(folder: Path, files: Mapping[str, bytes], force: bool) -> None:
    """Write files into ``folder``; a folder that is not empty needs --force."""
    # the core: not loaded by --help
    from referral_cli.hsds.export import FolderNotEmpty, write_export

    try:
        write_export(folder, files, force=force)
    except FolderNotEmpty as exc:
        raise ReferralError(f"{exc}; pass --force to replace it") from None


class _progress:
    """A Rich progress bar on stderr when it is a terminal; otherwise nothing."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> Any:
        if not _stderr_is_terminal():
            return None
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console(stderr=True),
            transient=True,
        )
        self.bar.start()
        return self.update

    def update(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=max(total, 1))
        self.bar.update(self.tasks[stage], completed=done, total=max(total, 1))

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
