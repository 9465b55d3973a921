"""BLAKE2b, the digest of the program's caches, seals and keys.

Taken from CPython's own module, which is what ``hashlib.blake2b`` is too:
importing ``hashlib`` starts OpenSSL (about 12 M instructions, more than the
whole search of a warm ``find`` on the sample), and no warm command needs it.
"""

from __future__ import annotations

from _blake2 import blake2b

__all__ = ["blake2b"]
