"""Shell completion of values: provider ids, service types, areas, frameworks,
populations, languages (the formats complete themselves: app.format_option).

Typer completes command and option names itself; the values come from here. The
completers are attached only when the shell asks for completions (Typer sets
``_REFERRAL_COMPLETE``), so a normal run pays nothing for them. Each completer
is quiet: a directory that does not load completes nothing, never an error.
Every run imports this module, so each completer imports what it reads (the
taxonomy, the directory) itself.
"""

from __future__ import annotations

import contextlib
import os
import typing
from collections import Counter
from collections.abc import Callable, Iterable

import typer
from typer.models import ArgumentInfo, OptionInfo

from referral_cli.app import state
from referral_cli.output import clean

if typing.TYPE_CHECKING:
    from referral_cli.taxonomy import Taxonomy

Completions = list[tuple[str, str]]
COMPLETE_VARIABLE = "_REFERRAL_COMPLETE"


# Besides control codes, what a shell's completion code reads as syntax: zsh's
# completion runs the output through eval and _arguments' (( )) lists, where a
# parenthesis, bracket or backslash in a provider's name ends the list early.
_SHELL_SYNTAX = str.maketrans(dict.fromkeys("()[]{}\\", " "))


def _shown(text: str) -> str:
    """A value or its help as completion prints it: cleaned as every output is
    (:func:`referral_cli.output.clean`), and without what the shell reads."""
    return " ".join(clean(text).translate(_SHELL_SYNTAX).split())


def _matching(pairs: Iterable[tuple[str, str]], incomplete: str) -> Completions:
    low = incomplete.lower()
    return [
        (_shown(value), _shown(helptext))
        for value, helptext in pairs
        if value.lower().startswith(low)
    ]


def _directory(ctx: typer.Context) -> typing.Any:
    """The directory the command would use (``--data`` as typed so far), or None."""
    from referral_cli.config import load_config
    from referral_cli.directory import discover, load

    chosen = None
    context: typer.Context | None = ctx
    while context is not None and chosen is None:
        chosen = context.params.get("data")
        context = context.parent  # type: ignore[assignment]
    try:
        location, origin = discover(chosen or state.data, load_config().data)
        return load(location, origin)
    except Exception:  # noqa: BLE001 - completion never fails loudly
        return None


def _taxonomy() -> Taxonomy:
    from referral_cli.taxonomy import load

    return load()


def provider_ids(ctx: typer.Context, incomplete: str) -> Completions:
    directory = _directory(ctx)
    if directory is None:
        return []
    return _matching(((p.id, p.name) for p in directory.providers), incomplete)


def service_types(incomplete: str) -> Completions:
    return _matching(((k, s.label) for k, s in _taxonomy().service_types.items()), incomplete)


def areas(ctx: typer.Context, incomplete: str) -> Completions:
    tax = _taxonomy()
    framework = ctx.params.get("framework")
    fw = tax.frameworks.get(framework or "") or tax.frameworks[tax.default_framework]
    return _matching(((a.key, a.label) for a in fw.areas), incomplete)


def frameworks(incomplete: str) -> Completions:
    return _matching(((k, f.label) for k, f in _taxonomy().frameworks.items()), incomplete)


def populations(incomplete: str) -> Completions:
    return _matching(((k, p.label) for k, p in _taxonomy().populations.items()), incomplete)


def genders(incomplete: str) -> Completions:
    return _matching(((k, t.label) for k, t in _taxonomy().genders.items()), incomplete)


def trafficking_types(incomplete: str) -> Completions:
    return _matching(((k, t.label) for k, t in _taxonomy().trafficking_types.items()), incomplete)


def languages(ctx: typer.Context, incomplete: str) -> Completions:
    """The languages the directory's providers speak, most spoken first."""

    directory = _directory(ctx)
    if directory is None:
        return []
    counts = Counter(code for p in directory.providers for code in p.languages)
    tax = _taxonomy()
    return _matching(((c, tax.language_name(c)) for c, _ in counts.most_common()), incomplete)


def slip_languages(incomplete: str) -> Completions:
    from referral_cli.slips import labels

    tax = _taxonomy()
    return _matching(((c, tax.language_name(c)) for c in labels.languages()), incomplete)


def by_choices(incomplete: str) -> Completions:
    from referral_cli.coverage.model import BY_CHOICES

    return _matching(((c, "") for c in BY_CHOICES), incomplete)


def matrices(incomplete: str) -> Completions:
    from referral_cli.coverage.model import MATRICES

    return _matching(((m, "") for m in MATRICES), incomplete)


def sorts(incomplete: str) -> Completions:
    from referral_cli.coverage.model import SORTS

    return _matching(((s, "") for s in SORTS), incomplete)


def states(incomplete: str) -> Completions:
    from referral_cli.records.model import STATES

    return _matching(((s, "") for s in STATES), incomplete)


def page_sizes(incomplete: str) -> Completions:
    return _matching((("letter", "US Letter"), ("a4", "A4")), incomplete)


# Option (first name) or argument (parameter name) -> its completer.
COMPLETERS: dict[str, Callable[..., Completions]] = {
    "provider_id": provider_ids,
    "provider_ids": provider_ids,
    "--service": service_types,
    "--area": areas,
    "--framework": frameworks,
    "--for": populations,
    "--gender": genders,
    "--trafficking": trafficking_types,
    "--language": languages,
    "--lang": slip_languages,
    "--by": by_choices,
    "--matrix": matrices,
    "--sort": sorts,
    "--page": page_sizes,
    "--status": states,
}


def wanted() -> bool:
    """Whether the shell is asking for completions."""
    return COMPLETE_VARIABLE in os.environ


def attach(typer_app: typer.Typer) -> None:
    """Give each option and argument of ``typer_app``'s commands its completer."""
    callbacks = [c.callback for c in typer_app.registered_commands]
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            attach(group.typer_instance)
    for callback in callbacks:
        if callback is None:
            continue
        with contextlib.suppress(Exception):  # an unresolvable hint: leave it as it is
            hints = typing.get_type_hints(callback, include_extras=True)
            for name, hint in hints.items():
                for info in getattr(hint, "__metadata__", ()):
                    _attach_one(name, info)
            # The annotations are strings (postponed evaluation): Typer would evaluate
            # them again into new objects, so it is given the evaluated ones.
            callback.__annotations__.update(hints)


def _attach_one(name: str, info: object) -> None:
    if isinstance(info, OptionInfo):
        # Inside Annotated, Typer keeps the first name given in ``default``.
        names = [info.default, *(info.param_decls or ())]
        key = next((n for n in names if isinstance(n, str) and n.startswith("--")), "")
    elif isinstance(info, ArgumentInfo):
        key = name
    else:
        return
    completer = COMPLETERS.get(key)
    if completer is not None and info.autocompletion is None:
        info.autocompletion = completer
