"""The garbage collector paused while many small objects are built (parsing, or
decoding providers from the index)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Set by the ``referral`` program (a short-lived process), not by the library.
FREEZE_PARSED = False


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Parsing allocates millions of objects and no cycles; the collector's passes
    over them make a parse about four times slower. In the ``referral`` program
    the objects are then frozen (moved out of the collector's sight: the command
    keeps them to its end anyway), or the first collection after would walk them
    all. A program that imports the library keeps normal collection: freezing
    would also keep whatever cyclic garbage it had at that moment for good.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if FREEZE_PARSED:
                gc.freeze()
            gc.enable()
