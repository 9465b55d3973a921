"""Safe YAML loading that remembers where every value came from.

PyYAML's C parser builds the node tree; this module turns nodes into plain
Python values itself, which lets it

* keep the 1-based line and column of every mapping key, value and list item
  (:class:`MarkedDict`, :class:`MarkedList`), for ``path:line:col`` messages;
* refuse what a safe directory never needs: Python tags, duplicate keys
  (PyYAML silently keeps the last one), merge keys, alias amplification
  ("billion laughs"), oversized input, deep nesting and non-UTF-8 bytes.
"""

from __future__ import annotations

import re
from typing import Any

from referral_cli.errors import Diagnostic
from referral_cli.output import clean
from referral_cli.reading import fastyaml
from referral_cli.reading.nodes import (
    MAP,
    MAX_BYTES,
    SCALAR_TAGS,
    SEQ,
    STR,
    MarkedDict,
    MarkedList,
    pyyaml,
    typed_scalar,
)
from referral_cli.reading.yamlerrors import reader_diagnostic, syntax_diagnostic

MAX_DEPTH = 64

_NESTED_FLOW = re.compile(r"[\[{][^\]}]*?[\[{]")


class YamlError(Exception):
    """The file is not a usable YAML document; carries one diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def _mark(node: Any, shift: int) -> tuple[int, int]:
    m = node.start_mark
    return (m.line + 1 + shift, m.column + 1)


def _check_depth(text: str, path: str) -> None:
    """Refuse deep flow nesting before the C parser recurses into it."""
    if not _NESTED_FLOW.search(text):
        return
    depth = deepest = 0
    for ch in text.translate(_BRACKETS_ONLY):
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    raise YamlError(
                        Diagnostic(
                            path, 1, 1, "error", f"nesting deeper than {MAX_DEPTH} levels; refused"
                        )
                    )
        elif depth:
            depth -= 1


class _BracketsOnly(dict[int, Any]):
    def __missing__(self, key: int) -> str | None:
        return chr(key) if chr(key) in "[]{}" else None


_BRACKETS_ONLY = _BracketsOnly()


def decode(data: bytes, path: str) -> str:
    """UTF-8 text of a file (a BOM is allowed), or a one-line diagnostic."""
    if len(data) > MAX_BYTES:
        raise YamlError(
            Diagnostic(
                path,
                1,
                1,
                "error",
                f"file is {len(data) // (1024 * 1024)} MiB; the limit is "
                f"{MAX_BYTES // (1024 * 1024)} MiB — split the directory into several files",
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlError(
            Diagnostic(
                path, line, col, "error", "file is not valid UTF-8; save it as UTF-8 and retry"
            )
        ) from None


def load(text: str, path: str, shift: int = 0) -> Any:
    """Parse one YAML document into marked plain values (``None`` for an empty file).

    ``shift`` is added to every line number: the text is part of a file that
    starts that many lines further down. The plain block style directories are
    written in is read by :mod:`referral_cli.reading.fastyaml`; anything it declines, by
    PyYAML.
    """

    try:
        return fastyaml.load(text, shift)
    except fastyaml.Declined:
        return load_with_pyyaml(text, path, shift)


def load_with_pyyaml(text: str, path: str, shift: int = 0) -> Any:
    """:func:`load` by PyYAML alone: any YAML, and a precise message for bad YAML."""
    yaml, loader_cls, constructor = pyyaml()
    _check_depth(text, path)
    loader = loader_cls(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise YamlError(syntax_diagnostic(exc, text, path, shift)) from None
    except yaml.reader.ReaderError as exc:
        raise YamlError(reader_diagnostic(exc, text, path, shift)) from None
    except yaml.YAMLError as exc:
        raise YamlError(Diagnostic(path, 1, 1, "error", f"YAML: {clean(exc)}")) from None
    except RecursionError:
        raise YamlError(Diagnostic(path, 1, 1, "error", "nesting too deep; refused")) from None
    finally:
        loader.dispose()
    if node is None:
        return None
    return _Builder(path, constructor, len(text) + 1024, shift).value(node, 0)


class _Builder:
    """Turns a node tree into marked plain values, refusing what a directory never
    needs. ``budget`` counts nodes down: an alias-free document has fewer nodes
    than characters, so running out means aliases are expanding it."""

    def __init__(self, path: str, constructor: Any, budget: int, shift: int) -> None:
        self.path = path
        self.constructor = constructor
        self.budget = budget
        self.shift = shift

    def fail(self, node: Any, message: str) -> YamlError:
        line, col = _mark(node, self.shift)
        return YamlError(Diagnostic(self.path, line, col, "error", message))

    def value(self, node: Any, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self.fail(
                node, "too many nodes: aliases expand the document (alias bomb?); refused"
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels; refused")
        shift = self.shift
        tag = node.tag
        if tag == STR:
            return node.value
        if tag == MAP:
            out = MarkedDict()
            out.start = _mark(node, shift)
            for knode, vnode in node.value:
                if knode.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(knode, "merge keys (<<) are not supported; write the keys out")
                key = self.value(knode, depth + 1)
                if not isinstance(key, str):
                    if isinstance(key, bool | int | float) or key is None:
                        key = knode.value  # "yes:", "1:" and "null:" read as the text written
                    else:
                        raise self.fail(knode, "a mapping key must be plain text")
                if key in out:
                    first = out.keymarks[key]
                    raise self.fail(
                        knode, f"duplicate key '{key}' (first at line {first[0]}); keep only one"
                    )
                out[key] = self.value(vnode, depth + 1)
                out.keymarks[key] = _mark(knode, shift)
                out.valmarks[key] = _mark(vnode, shift)
            return out
        if tag == SEQ:
            seq = MarkedList()
            seq.start = _mark(node, shift)
            for item in node.value:
                seq.append(self.value(item, depth + 1))
                seq.itemmarks.append(_mark(item, shift))
            return seq
        if tag not in SCALAR_TAGS:
            raise self.fail(node, f"tag {tag} is not allowed in a directory; remove it")
        try:
            return typed_scalar(self.constructor, tag, node)
        except (ValueError, OverflowError, TypeError) as exc:
            raise self.fail(node, f"cannot read value {node.value!r}: {exc}") from None
