"""Edit keys of providers in a directory file in place, by position.

The reader (:mod:`referral_cli.reading.yamldoc`) remembers where every key
starts; a key of a provider spans from its line to the line before the next
key of the provider (or, for its last key, the next provider), trailing blank
and comment lines left out. An edit replaces exactly those lines, inserts a new
key after the one the format puts before it, or removes a key's lines: every
other byte of the file stays as it was — comments, key order, quoting, layout,
line endings. (A round-trip library re-prints what it reads: ruamel.yaml
rewrote 8 untouched lines of a 17-line file with uneven spacing and
indentation, where these edits change none.)

New values are written on one line, in flow style, quoted where text is free.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from referral_cli.errors import ReferralError
from referral_cli.format.definition import PROVIDER
from referral_cli.reading import yamldoc
from referral_cli.reading.nodes import MarkedDict, MarkedList

# Words written plain: lowercase slugs (a state, a reason such as "renovation") that
# YAML 1.1 reads as no other type.
_PLAIN = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
_TYPED_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})

# What an edit sets a key to; ``None`` removes the key.
Value = Mapping[str, Any] | str | dt.date | None


@dataclass(frozen=True)
class Splice:
    """Lines ``start`` to ``end`` (0-based, end excluded) replaced by ``lines``."""

    start: int
    end: int
    lines: tuple[str, ...]


def scalar(value: Any) -> str:
    """One value as YAML on one line: numbers, dates and lowercase words plain, other
    text double-quoted (JSON's quoting is YAML's), so no word ("no", "08") changes type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return json.dumps(value.isoformat())
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text not in _TYPED_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: Value) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}"
    return scalar(value)


def _is_comment_or_blank(line: str, indent: int) -> bool:
    """A line that is blank, or a comment no deeper than the provider's keys (a
    deeper '#' line may be the text of a literal block)."""
    stripped = line.lstrip(" ")
    return not stripped.strip() or (
        stripped.startswith("#") and len(line) - len(stripped) <= indent
    )


def providers_of(doc: Any, path: str) -> tuple[MarkedList, dict[str, int]]:
    """The file's list of providers, and the index of each id in it."""
    plist = doc.get("providers") if isinstance(doc, MarkedDict) else None
    if not isinstance(plist, MarkedList):
        raise ReferralError(f"{path}: no 'providers:' list; run 'referral validate {path}'")
    where: dict[str, int] = {}
    for i, p in enumerate(plist):
        if isinstance(p, MarkedDict) and isinstance(p.get("id"), str):
            where.setdefault(p["id"].strip(), i)
    return plist, where


class FileEdit:
    """The edits of one file's text, planned against one reading of it."""

    def __init__(self, text: str, path: str):
        self.path = path
        self.lines = text.splitlines(keepends=True)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        self.doc = yamldoc.load(text, path)
        self.plist, self.where = providers_of(self.doc, path)
        self.splices: list[Splice] = []

    def provider(self, pid: str) -> MarkedDict:
        if pid not in self.where:
            raise ReferralError(f"{self.path}: no provider with id '{pid}'")
        p = self.plist[self.where[pid]]
        assert isinstance(p, MarkedDict)
        return p

    def _extents(self, pid: str) -> tuple[dict[str, tuple[int, int]], int]:
        """Each key's lines (0-based, end excluded) and the keys' indentation."""
        i = self.where[pid]
        p = self.provider(pid)
        keys = sorted(p.keymarks, key=p.keymarks.__getitem__)
        cols = {p.keymarks[k][1] for k in keys}
        rows = [p.keymarks[k][0] for k in keys]
        if len(cols) != 1 or len(set(rows)) != len(rows):
            raise ReferralError(
                f"{self.path}:{p.start[0]}: provider '{pid}' is not written one key a line;"
                " write it in block style to update it"
            )
        indent = cols.pop() - 1
        if i + 1 < len(self.plist):
            limit = self.plist.itemmarks[i + 1][0] - 1
        else:
            limit = self._end_of_list(indent)
        out: dict[str, tuple[int, int]] = {}
        for n, key in enumerate(keys):
            start = rows[n] - 1
            end = rows[n + 1] - 1 if n + 1 < len(keys) else limit
            while end - 1 > start and _is_comment_or_blank(self.lines[end - 1], indent):
                end -= 1
            line = self.lines[start]
            if not line[indent:].startswith(f"{key}:") or line[:indent].strip(" -"):
                raise ReferralError(
                    f"{self.path}:{start + 1}: key '{key}' of '{pid}' is not where a block"
                    " mapping's key would be; write it one key a line to update it"
                )
            out[key] = (start, end)
        return out, indent

    def _end_of_list(self, indent: int) -> int:
        """The line after the last provider: the first one after its start, neither
        blank nor a comment, indented less than its keys (a top-level key, a
        document marker), or the end of the file."""
        for n in range(self.plist.itemmarks[-1][0], len(self.lines)):
            line = self.lines[n]
            stripped = line.lstrip(" ")
            if (
                stripped.strip()
                and not stripped.startswith("#")
                and len(line) - len(stripped) < indent
            ):
                return n
        return len(self.lines)

    def set(self, pid: str, changes: Mapping[str, Value]) -> None:
        """Plan ``changes`` (key → new value, or ``None`` to remove) of provider ``pid``."""
        extents, indent = self._extents(pid)
        inserts: dict[int, list[str]] = {}
        order = PROVIDER.keys
        for key in sorted(changes, key=order.index):
            value = changes[key]
            line = f"{' ' * indent}{key}: {flow(value)}{self.newline}"
            if key in extents:
                start, end = extents[key]
                if start == self.plist.itemmarks[self.where[pid]][0] - 1:
                    raise ReferralError(
                        f"{self.path}:{start + 1}: '{key}' opens the provider's entry;"
                        " it cannot be updated here"
                    )
                self.splices.append(Splice(start, end, () if value is None else (line,)))
            elif value is not None:
                before = [k for k in order[: order.index(key)] if k in extents]
                at = (
                    max(extents[k][1] for k in before)
                    if before
                    else max(end for _, end in extents.values())
                )
                inserts.setdefault(at, []).append(line)
        for at, lines in inserts.items():
            self.splices.append(Splice(at, at, tuple(lines)))

    def text(self) -> str:
        """The text with every planned edit made."""
        lines = list(self.lines)
        at_end = any(s.start == len(lines) for s in self.splices)
        if at_end and lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += self.newline  # a key added after a last line without one
        for s in sorted(self.splices, key=lambda s: (s.start, s.end), reverse=True):
            lines[s.start : s.end] = s.lines
        return "".join(lines)
