"""The baseline parse: a generated directory read by PyYAML's C loader, nothing else.

    python benchmarks/bare_parse.py FILE [FILE ...]

The fastest plain use of PyYAML: the C loader with the garbage collector off.
A file is read in pieces of about 2 MB cut where a provider starts, and each
piece is dropped once loaded, so memory stays bounded at every size (one load
of a whole 1M-provider file would need about 30 GB). The same pieces feed the
SQLite reference's build. Any valid directory file is read: the providers'
list may be indented any way (its first item says how), and a file whose list
is not a block list under a top-level ``providers:`` is loaded whole.
"""

from __future__ import annotations

import gc
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

PIECE_BYTES = 2_000_000
HEAD = b"providers:\n"
# The top-level key, then the first line that is neither blank nor a comment.
LIST = re.compile(rb"^providers:[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*([ ]*)- ", re.M)


def item_start(head: bytes) -> bytes | None:
    """What starts a provider's line in a file beginning with ``head``: a newline,
    the list's indentation and a dash; None when the providers are no block list."""
    found = LIST.search(head)
    return None if found is None else b"\n" + found.group(1) + b"- "


def pieces(path: Path, piece_bytes: int = PIECE_BYTES) -> Iterator[bytes]:
    """``providers:`` documents of about ``piece_bytes``, each starting at a
    provider (or the whole file, when its list cannot be cut)."""
    with path.open("rb") as fh:
        buf = b""
        while (item := item_start(buf)) is None or (first := buf.find(item)) < 0:
            more = fh.read(piece_bytes)
            if not more:  # no block list of providers to cut: the file whole
                if buf:
                    yield buf
                return
            buf += more
        buf = buf[first + 1 :]
        while buf:
            more = fh.read(piece_bytes)
            buf += more
            cut = buf.find(item, piece_bytes)
            if cut < 0 and more:
                continue  # no provider starts in this stretch yet: read on
            if cut < 0:
                piece, buf = buf, b""
            else:
                piece, buf = buf[: cut + 1], buf[cut + 1 :]
            yield HEAD + piece


def providers(path: Path) -> Iterator[dict[str, Any]]:
    """Every provider of a generated file, as PyYAML loads it."""
    for piece in pieces(path):
        yield from yaml.load(piece, Loader=yaml.CSafeLoader)["providers"]


def main() -> None:
    gc.disable()
    for name in sys.argv[1:]:
        for piece in pieces(Path(name)):
            yaml.load(piece, Loader=yaml.CSafeLoader)


if __name__ == "__main__":
    main()
