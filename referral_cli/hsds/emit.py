"""Directory YAML for provider dicts, written by hand so it reads like the files
maintainers write (fields in the directory's order, short lists on one line,
multi-line text as literal blocks) and always reads back as the same values."""

from __future__ import annotations

import json
import re
from typing import Any

from referral_cli.records.model import FIELDS

SCHEMA_MODELINE = "# yaml-language-server: $schema=schema.json"

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _,.()/&'+:#?=%~-]*[A-Za-z0-9.)/]$|^[A-Za-z]$")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_YAML_WORDS = frozenset(
    ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "nan", "inf"]
)
# The directory's field order (model.FIELDS) in YAML keys: lat and lon are written
# as one ``location``; ``source`` (the file a provider was read from) and
# ``placed`` (how its coordinates were found) are derived when a file is read.
_WRITTEN_AS = {"lat": "location", "lon": "location"}
_DERIVED = frozenset({"source", "placed"})
KEY_ORDER = tuple(dict.fromkeys(_WRITTEN_AS.get(f, f) for f in FIELDS if f not in _DERIVED))


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
