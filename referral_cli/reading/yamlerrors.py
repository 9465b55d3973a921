"""PyYAML's syntax errors turned into one line that points where the mistake is.

PyYAML reports where it noticed a problem, which is often lines after the
mistake: an unclosed quote runs on until the next quote character and the error
lands there, or at the end of the file; a key indented one space too far is
reported as "did not find expected key". Each message here names the place to
fix and, for block-structure errors, what is wrong with the indentation.
"""

from __future__ import annotations

from typing import Any

from referral_cli.errors import Diagnostic
from referral_cli.reading.nodes import pyyaml

# Problems PyYAML reports when the indentation of block mappings and lists is off.
_BLOCK_PROBLEMS = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "mapping values are not allowed",
    "expected <block end>",
    "could not find expected ':'",
)
_QUOTES = ("'", '"')


def syntax_diagnostic(exc: Any, text: str, path: str, shift: int) -> Diagnostic:
    """The diagnostic for a ``yaml.MarkedYAMLError`` raised while parsing ``text``."""
    problem = str(exc.problem or exc.context or "invalid YAML")
    context = str(exc.context or "")
    mark = exc.problem_mark or exc.context_mark
    if context.startswith("while scanning a quoted scalar") and exc.context_mark is not None:
        mark = exc.context_mark  # the opening quote, not the end of the file
        message = f"the quote opened here is never closed ({problem}); close it on this line"
    elif (quote := _runaway_quote(text, mark.line if mark else -1)) is not None:
        runs_to = mark.line + 1 + shift
        mark = quote
        message = (
            f"the quote opened here is not closed on its line: it runs on to line {runs_to},"
            f" where {problem}; close it on this line"
        )
    elif mark is not None and problem.startswith(_BLOCK_PROBLEMS):
        message = problem + _indentation_hint(text, mark.line, shift)
    else:
        message = problem
    line, col = (mark.line + 1 + shift, mark.column + 1) if mark else (1 + shift, 1)
    return Diagnostic(path, line, col, "error", f"YAML syntax: {message}")


def reader_diagnostic(exc: Any, text: str, path: str, shift: int) -> Diagnostic:
    """The diagnostic for a ``yaml.reader.ReaderError``: a character YAML forbids."""
    position = int(exc.position)
    line = text.count("\n", 0, position) + 1 + shift
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return Diagnostic(
        path,
        line,
        col,
        "error",
        f"YAML: the character U+{char:04X} is not allowed (a control character); remove it",
    )


def _runaway_quote(text: str, problem_line: int) -> Any:
    """The start of a quoted scalar that spans lines and closes on ``problem_line``
    (0-based): the usual sign of a forgotten closing quote. None if there is none."""
    yaml, loader_cls, _ = pyyaml()
    found = None
    loader = loader_cls(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if token.start_mark.line > problem_line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in _QUOTES
                and token.start_mark.line < token.end_mark.line == problem_line
            ):
                found = token.start_mark
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return found


def _indentation_hint(text: str, problem_line: int, shift: int) -> str:
    """ "; check the indentation: …" when the line PyYAML stopped at is indented
    differently from the key or item above it; "" otherwise. ``shift``: the lines
    of the file before ``text`` (a provider parsed on its own), so the line named
    is the file's line, as in the ``path:line:col`` before it."""
    lines = text.split("\n")
    if not 0 <= problem_line < len(lines):
        return ""
    here = lines[problem_line]
    above = next(
        (
            lines[i]
            for i in range(problem_line - 1, -1, -1)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")
        ),
        None,
    )
    if above is None or not here.strip():
        return ""
    indent = len(here) - len(here.lstrip(" "))
    expected = _content_column(above)
    if indent == expected:
        return ""
    return (
        f"; check the indentation: line {problem_line + 1 + shift} is indented {indent} spaces,"
        f" the key above it {expected} (keys of one provider line up exactly)"
    )


def _content_column(line: str) -> int:
    """Where the content of a block line starts: after its spaces and any ``- ``."""
    column = len(line) - len(line.lstrip(" "))
    while line[column : column + 2] == "- ":
        column += 2
        column += len(line[column:]) - len(line[column:].lstrip(" "))
    return column
