"""Exit codes and the errors the CLI turns into one line on stderr."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitStatus(enum.IntEnum):
    """Every exit code the program uses (documented in the README)."""

    OK = 0
    ERROR = 1  # bad data, unknown place or id, failed write, unexpected error
    USAGE = 2  # bad command line
    RELAXED = 3  # find --fail-on-relaxed: a filter was let go of to show something
    NEW_GAPS = 4  # coverage --compare --fail-on-new-gaps: the change opens a coverage gap
    INCOMPLETE = 5  # import-hsds: written, but some references dangle (rows not joined)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One validation finding, printed as ``path:line:col: severity: message``."""

    path: str
    line: int
    col: int
    severity: str  # "error" | "warning"
    message: str
    code: str = ""
    # The provider it is about: the line where that provider starts (0 when it is
    # about the file as a whole) and its id as written ("" when it has none). A
    # serving command leaves out the providers its errors are about.
    provider_line: int = 0
    provider_id: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def as_tuple(self) -> tuple[str, int, int, str, str, str, int, str]:
        """Its fields as plain values (``Diagnostic(*t)`` makes it again), to store."""
        return (
            self.path,
            self.line,
            self.col,
            self.severity,
            self.message,
            self.code,
            self.provider_line,
            self.provider_id,
        )


# The codes of errors that validate reports but that do not keep a provider from
# being served (as confidential): kept here, not with the checks, because every
# serving command reads it and none of them loads the format's checks.
SERVED_DESPITE = ("confidential-unknown",)


class ReferralError(Exception):
    """A failure the user can act on; its message is printed as one line, exit 1."""

    exit_status = ExitStatus.ERROR


class UsageError(ReferralError):
    """A bad combination of arguments; exit 2."""

    exit_status = ExitStatus.USAGE


class DataError(ReferralError):
    """The directory is invalid; carries every diagnostic for the user."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        first = errors[0] if errors else diagnostics[0]
        more = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}; run 'referral validate' to see them all")
