"""What the YAML readers build and share: the marked mapping and list (each value
with the line and column it came from), the scalar tags a directory may hold, and
PyYAML's loader. Both readers (:mod:`referral_cli.reading.yamldoc`, the whole
language through PyYAML, and :mod:`referral_cli.reading.fastyaml`, the plain block
style) and the error messages (:mod:`referral_cli.reading.yamlerrors`) depend on
this module and on nothing of each other's."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

MAX_BYTES = 256 * 1024 * 1024  # a directory file larger than this is refused

STR = "tag:yaml.org,2002:str"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
SCALAR_TAGS = {  # the only typed scalars a directory may hold
    "tag:yaml.org,2002:null": "construct_yaml_null",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:timestamp": "construct_yaml_timestamp",
}


class MarkedDict(dict[str, Any]):
    """A mapping with the position of its start, of each key and of each value."""

    __slots__ = ("start", "keymarks", "valmarks")

    def __init__(self) -> None:
        super().__init__()
        self.start: tuple[int, int] = (1, 1)
        self.keymarks: dict[str, tuple[int, int]] = {}
        self.valmarks: dict[str, tuple[int, int]] = {}


class MarkedList(list[Any]):
    """A sequence with the position of its start and of each item."""

    __slots__ = ("start", "itemmarks")

    def __init__(self) -> None:
        super().__init__()
        self.start: tuple[int, int] = (1, 1)
        self.itemmarks: list[tuple[int, int]] = []


@functools.cache
def pyyaml() -> tuple[Any, Any, Any]:
    """PyYAML, its C loader with our resolver, and a safe constructor (imported on
    first use: a warm command never needs them)."""
    import yaml
    from yaml.nodes import ScalarNode, SequenceNode

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolvers_for = base.yaml_implicit_resolvers.get

    class Loader(base):  # type: ignore[valid-type, misc]
        """The safe loader with a leaner tag resolver.

        The C parser calls ``resolve`` in Python for every node; this gives the same
        tags as PyYAML's (YAML 1.1 implicit types, no path resolvers) with less work.
        """

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in resolvers_for(value[:1], ()):
                        if regexp.match(value):
                            return str(tag)
                return STR
            return SEQ if kind is SequenceNode else MAP

    return yaml, Loader, yaml.constructor.SafeConstructor()


def typed_scalar(constructor: Any, tag: str, node: Any) -> Any:
    """The value of a scalar node of one of :data:`SCALAR_TAGS`; a timestamp at
    midnight is a date."""
    value = getattr(constructor, SCALAR_TAGS[tag])(node)
    if isinstance(value, dt.datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
        return value.date()
    return value
