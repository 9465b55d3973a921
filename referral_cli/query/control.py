"""Trafficking said as what the trafficker does, in whatever order it is said.

Callers describe control, not categories: "the captain kept his wages and his
passport", "crew boss holds the workers' papers", "wages stolen and papers taken",
"made to sell candy", "la están obligando a vender su cuerpo". A list of fixed
phrases misses most of these orders, and a trafficking kind missed lets the hard
filter fail open for a service of one kind only, so they are read by the shape
of the clause: a verb of holding with the thing held up to two words on (or the
thing with its participle after it), and a verb of forcing with the act forced.
The word lists are data (``people`` in taxonomy.yaml).
"""

from __future__ import annotations

from referral_cli.taxonomy import Taxonomy

_REACH = 3  # words from a verb of holding to the thing held: "kept all of his wages" no
_JOINERS = frozenset(["and", "y", "or", "o", "&"])


def control_spans(tokens: list[str], tax: Taxonomy) -> dict[int, tuple[int, str]]:
    """Where a clause of control starts: token index -> (tokens it covers, the
    trafficking kind it says: ``labor`` or ``sex``)."""
    words = tax.people
    holding, held = words.get("holding", frozenset()), words.get("held", frozenset())
    taken = words.get("taken", frozenset())
    owners = words.get("owners", frozenset())
    forcing, forced = words.get("forcing", frozenset()), words.get("forced_acts", frozenset())
    bodily = words.get("forced_bodily", frozenset())
    objects = words.get("forced_objects", frozenset())
    spans: dict[int, tuple[int, str]] = {}
    i = 0
    while i < len(tokens):
        end = 0
        kind = "labor"
        if tokens[i] in holding:
            end = _held_after(tokens, i + 1, held, owners)
        elif _taken_after(tokens, i, held, taken):
            end = i + 2  # "papers taken", "wages stolen"
        elif tokens[i] in forcing:
            j = i + 1
            if j < len(tokens) and tokens[j] in objects:
                j += 1  # "made her sell", "la están obligando": the object before the act
            if j < len(tokens) and tokens[j] in ("to", "a"):
                j += 1
            if j < len(tokens) and tokens[j] in forced:
                end = j + 1
                rest = tokens[end : end + 2]
                if any(t in bodily for t in rest):  # "sell her body", "vender su cuerpo"
                    kind, end = "sex", end + 1 + next(k for k, t in enumerate(rest) if t in bodily)
        if end:
            end = _more_held(tokens, end, words)
            spans[i] = (end - i, kind)
            i = end
        else:
            i += 1
    return spans


def _held_after(tokens: list[str], start: int, held: frozenset[str], owners: frozenset[str]) -> int:
    """The end of "kept [his|the workers'] wages" from the word after the verb, or 0."""
    for j in range(start, min(start + _REACH, len(tokens))):
        if tokens[j] in held:
            return j + 1
        if tokens[j] not in owners and not tokens[j].endswith("'"):
            return 0
    return 0


def _taken_after(tokens: list[str], i: int, held: frozenset[str], taken: frozenset[str]) -> bool:
    return tokens[i] in held and i + 1 < len(tokens) and tokens[i + 1] in taken


def _more_held(tokens: list[str], end: int, words: dict[str, frozenset[str]]) -> int:
    """ "kept his wages and his passport", "wages stolen and papers taken": the things
    held after the first, joined by "and", belong to the same clause."""
    held, owners = words.get("held", frozenset()), words.get("owners", frozenset())
    taken = words.get("taken", frozenset())
    while end < len(tokens) and tokens[end] in _JOINERS:
        if _taken_after(tokens, end + 1, held, taken):
            after = end + 3
        else:
            after = _held_after(tokens, end + 1, held, owners)
        if not after:
            break
        end = after
    return end
