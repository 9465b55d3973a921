"""``referral publish`` and ``referral check-publication``: the directory's public part
as a static HSDS 3.0 API, and the redaction gate every publication passes."""

from pathlib import Path
from typing import Annotated

import typer

from referral_cli.app import DataOption, note_line, open_directory
from referral_cli.errors import ReferralError, UsageError


def publish(
    out: Annotated[
        Path,
        typer.Argument(
            help="Folder to write the static API into (made if needed).", show_default=False
        ),
    ],
    per_page: Annotated[
        int, typer.Option("--per-page", min=1, max=1000, help="Entries on each list page.")
    ] = 50,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Publish into a folder that holds files of no earlier publication."
        ),
    ] = False,
    data: DataOption = None,
) -> None:
    """Write the directory's public part as a static Open Referral HSDS 3.0 API.

    Any static host or CDN serves the folder as it is: index.json (GET /), services
    pages (services/pages/N.json, with the API's pagination fields), each service fully
    nested (services/{id}.json), services.ndjson (everything), organizations,
    taxonomies and taxonomy terms. The same directory gives byte-identical files;
    only changed files are rewritten, and files of an earlier publication that are
    gone are removed. Confidential providers leave without street, postal code or
    coordinates, and the redaction gate refuses the whole publication (exit 1,
    nothing written) if any of them appears anywhere in it.

    Example: referral publish public-api/
    """
    # the core: not loaded by --help
    from referral_cli.hsds.publish import publication, write_publication
    from referral_cli.hsds.redaction import gate

    directory = open_directory(data)
    files = publication(directory.providers, per_page=per_page)
    gate(files, directory.providers, "publication")
    done = write_publication(out, files, force=force)
    removed = f", {len(done.removed)} removed" if done.removed else ""
    note_line(
        f"published {len(directory.providers)} providers as a static HSDS 3.0 API in {out}:"
        f" {len(done.written)} files written, {len(done.unchanged)} unchanged{removed}"
    )


def check_publication(
    target: Annotated[
        str,
        typer.Argument(
            help="An HSDS package or API tree: a folder, a zip, a file, or with --online the"
            " http(s) address of an HSDS 3.0 API.",
            show_default=False,
        ),
    ],
    online: Annotated[
        bool,
        typer.Option("--online", help="Allow reading an API over the network (an address)."),
    ] = False,
    data: DataOption = None,
) -> None:
    """Check that an HSDS publication shows no confidential provider's place.

    Every file (or, for an API address, every services page and service) is searched
    for the street, postal code and exact or near-exact coordinates of each
    confidential provider of the directory. Each finding is one line (the file, the
    provider and the field, never the value itself); exit 1 when there is any.

    Example: referral check-publication ./miami-hsds/
    """
    # the core: not loaded by --help
    from referral_cli.config import load_config
    from referral_cli.hsds.api_client import is_url
    from referral_cli.hsds.redaction import files_of, scan, secrets_of

    directory = open_directory(data)
    secrets, public_codes = secrets_of(directory.providers)
    if is_url(target):
        if not (online or load_config().online):
            raise UsageError(f"{target} is a network address: pass --online to read it")
        files = _api_files(target)
    else:
        files = list(files_of(Path(target)))
    findings = scan(files, secrets, public_codes)
    for finding in findings:
        note_line(str(finding))
    said = f"{len(files)} files of {target} checked against {len(secrets)} confidential providers"
    if findings:
        raise ReferralError(f"{said}: {len(findings)} finding(s); do not publish it as it is")
    note_line(f"{said}: no street, postal code or coordinates of theirs found")
    if not secrets:
        note_line("warning: the directory has no confidential provider: nothing was looked for")


def _api_files(base: str) -> list[tuple[str, bytes]]:
    """Every answer of an HSDS API read to its last service (index, pages, services)."""
    # the core: not loaded by --help
    from referral_cli.hsds.api_client import fetch_services

    _, client = fetch_services(base)
    return client.answers
