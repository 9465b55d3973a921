"""Imports sit at the top of a module, except the heavy libraries named here: a
command loads them only when it uses them (start-up stays near the Typer + Rich
floor), and the project's own modules where this file says why, each count pinned."""

from __future__ import annotations

import ast
import functools
import graphlib
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "referral_cli"

# Imported where used, each for a reason a reader can check.
HEAVY: dict[str, str] = {
    "rapidfuzz": "fuzzy matching: only when a word is misspelt",
    "rich": "rendering: a machine format never draws a table",
    "yaml": "PyYAML's C loader: only to read a file the fast reader declines",
    "phonenumbers": "its metadata is large: phones in HSDS and tel: links only",
    "fontTools": "fonts subset for an HTML slip",
    "fpdf": "PDF slips",
    "uharfbuzz": "text shaping in PDF slips",
    "textual": "the full-screen call only",
    "geopy": "--online only",
    "platformdirs": "the cache and config folders, when first asked for",
    "tomli_w": "writing the settings file (config set)",
    "typer": "the vendored Click exceptions, inside the error handler",
    "sqlite3": "the index, not loaded by --version or --help",
    "concurrent": "the parsing pool (a first build only)",
    "multiprocessing": "the parsing pool (a first build only)",
    "subprocess": "git, for coverage --compare and update --commit",
    "ctypes": "prctl, to end the parsing workers with their parent (Linux)",
    "jsonschema": "tests and the publication checks",
    # standard modules a warm table `find`, --version and --help never use, each a
    # measured cost of every run (csv, json and html with its entity table: 15 M
    # instructions of --version's 300 M; tomllib's regular expressions)
    "json": "machine formats only",
    "csv": "the CSV format only",
    "html": "HTML slips and pages only",
    "tomllib": "only when a settings file exists",
    "zoneinfo": "a provider's time zone, when its hours or a report's time are told",
}


_HELP = "the core, loaded when the command runs: --help imports the module for its options"
_BUILD = "loaded to build the index, never by a warm run"

# The project's own modules imported inside a function: where, how many imports,
# and why (tests/test_cli.py checks what --version, --help and a warm run load).
OWN: dict[str, tuple[int, str]] = {
    "app.py": (2, "the directory and settings: not loaded by --version, --help or a usage error"),
    "completion.py": (8, "every run imports it; a completer loads what it reads when asked"),
    "directory.py": (1, _BUILD),
    "index/database.py": (2, _BUILD),
    "index/store.py": (1, _BUILD),
    "commands/call.py": (5, _HELP),
    "commands/config.py": (5, _HELP),
    "commands/coverage.py": (1, _HELP),
    "commands/coverage_run.py": (3, "--compare only: git (subprocess) and the comparison"),
    "commands/find.py": (2, _HELP),
    "commands/hsds.py": (10, _HELP),
    "commands/locate.py": (4, _HELP),
    "commands/publish.py": (6, _HELP),
    "commands/schema.py": (2, _HELP),
    "commands/show.py": (1, _HELP),
    "commands/slip_writing.py": (6, _HELP),
    "commands/taxonomy.py": (1, _HELP),
    "commands/tonight_options.py": (2, _HELP),
    "commands/update.py": (4, _HELP),
    "commands/validate.py": (2, _HELP),
    "commands/verify.py": (1, _HELP),
}


def _inner(source: str, where: str) -> list[tuple[str, int, str]]:
    """(module, line, top-level package) of each import not at the top of ``source``
    (those under ``if TYPE_CHECKING:`` are for the type checker only)."""
    tree = ast.parse(source)
    typing_only = {
        id(n)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for n in ast.walk(block)
    }
    top = {id(n) for n in tree.body}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom) or id(node) in top | typing_only:
            continue
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
        )
        found += [(where, node.lineno, name.split(".")[0]) for name in names]
    return found


@functools.cache
def _inner_imports() -> tuple[tuple[str, int, str], ...]:
    """Every import not at the top of a module of the package, read once for the
    three tests that check them (the source does not change during a run)."""
    return tuple(
        found
        for path in sorted(PACKAGE.rglob("*.py"))
        for found in _inner(path.read_text("utf-8"), str(path.relative_to(PACKAGE)))
    )


def _stray(found: Iterable[tuple[str, int, str]]) -> list[str]:
    return [f"{p}:{line} {root}" for p, line, root in found if root not in {*HEAVY, "referral_cli"}]


def test_an_import_inside_a_function_is_a_named_heavy_library_or_the_projects_own() -> None:
    stray = _stray(_inner_imports())
    assert not stray, "move these to the top of their module, or name them in HEAVY: " + ", ".join(
        stray
    )


def test_the_projects_own_modules_imported_inside_functions_are_those_named() -> None:
    """An own module imported in a function is counted in OWN with its reason: a new
    one is named there or moved to the top, one moved to the top lowers its count."""
    found = Counter(Path(p).as_posix() for p, _, root in _inner_imports() if root == "referral_cli")
    assert dict(found) == {p: n for p, (n, _) in OWN.items()}


def test_every_named_heavy_library_is_still_imported_lazily_somewhere() -> None:
    """A name left in HEAVY after its last lazy import went is a stale reason."""
    used = {root for _, _, root in _inner_imports()}
    stale = sorted(set(HEAVY) - used - {"jsonschema", "textual", "uharfbuzz"})
    assert not stale, stale


def test_the_check_sees_a_stray_import() -> None:
    """The rule can fail: a light standard module imported in a function is caught,
    one under TYPE_CHECKING or a heavy one is not."""
    source = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import csv\n"
        "def f():\n    import shutil\n    import rapidfuzz\n"
    )
    assert _stray(_inner(source, "m.py")) == ["m.py:5 shutil"]
    assert "shutil" in sys.stdlib_module_names


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _own_imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules ``path`` imports: at the top, in functions and for
    the type checker alike."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("referral_cli"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in modules else node.module or "")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return found & modules - {"referral_cli"}


def test_no_import_cycle_even_through_functions_or_type_checking() -> None:
    """Dependencies go one way (records -> reading -> format -> index -> directory
    -> query, search -> features -> commands -> cli), whatever the import's place."""
    paths = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: _own_imports(p, set(paths)) - {m} for m, p in paths.items()}
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the cycle
