"""Text as real exports carry it, repaired: literal ``\\n``, mis-decoded characters,
export markers, extra spaces, terminal codes; slugs for ids and file names; and
the words that mark a test or placeholder record."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from referral_cli import output
from referral_cli.hsds.mapping import HsdsMap


class Cleaner:
    """Repairs text cells and counts what it repaired."""

    def __init__(self, m: HsdsMap, repairs: bool = True):
        self.repairs = repairs  # False for our own export: its text is as it was written
        self.counts: Counter[str] = Counter()
        self._strip = re.compile("|".join(m.strip_patterns)) if m.strip_patterns else None
        keys = sorted(m.mojibake, key=len, reverse=True)
        self._moji_map = m.mojibake
        self._moji = re.compile("|".join(re.escape(k) for k in keys)) if keys else None
        self._cache: dict[str, tuple[str | None, tuple[str, ...]]] = {}

    def text(self, value: str | None, *, multiline: bool = False) -> str | None:
        """Clean text, or ``None`` when nothing is left."""
        if not value:
            return None
        key = value if not multiline else "\x00" + value
        hit = self._cache.get(key)
        if hit is None:
            hit = self._clean(value, multiline)
            if len(self._cache) < 200_000:
                self._cache[key] = hit
        out, kinds = hit
        for kind in kinds:
            self.counts[kind] += 1
        return out

    def _clean(self, value: str, multiline: bool) -> tuple[str | None, tuple[str, ...]]:

        kinds: list[str] = []
        s = value
        if s[:1] == "'" and s[1:2] in ("=", "+", "-", "@"):
            s = s[1:]  # a formula guard written by a spreadsheet-safe exporter
        if not self.repairs:
            return (s if s.strip() else None), ()
        if "\\n" in s or "\\t" in s or "\\r" in s:
            s = s.replace("\\r\\n", "\n").replace("\\n", "\n").replace("\\r", "\n")
            s = s.replace("\\t", " ")
            kinds.append("literal line breaks")
        fixed = fix_mojibake(s)
        if self._moji is not None and ("Ç" in fixed or "+" in fixed or "-" in fixed):
            fixed = self._moji.sub(lambda m: self._moji_map[m.group(0)], fixed)
        if fixed != s:
            kinds.append("mis-decoded characters")
            s = fixed
        if self._strip is not None and "#" in s:
            stripped = self._strip.sub("", s)
            if stripped != s:
                kinds.append("export markers")
                s = stripped
        s = unicodedata.normalize("NFC", output.clean(s, multiline=True))
        lines = [" ".join(line.split()) for line in s.split("\n")]
        if multiline:
            out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        else:
            out = " ".join(part for part in lines if part)
        if value != value.strip() or "  " in value:
            kinds.append("extra spaces")
        return out or None, tuple(kinds)


_MOJIBAKE_HINT = re.compile("[ÃÂâ][\u0080-\u00ff\u2018-\u203a\u0152-\u0192\u02c6\u02dc]|Γ[ÇÃ]|├")


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 that was read as Windows-1252 or code page 437 ("Ã©" -> "é").

    Only a repair that round-trips exactly is kept, word by word, so correct
    text with accents is never changed.
    """
    if not _MOJIBAKE_HINT.search(text):
        return text

    def repair(m: re.Match[str]) -> str:
        word = m.group(0)
        for codec in ("cp1252", "cp437", "latin-1"):
            try:
                fixed = word.encode(codec).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if fixed != word:
                return fixed
        return word

    return re.sub(r"\S*[^\x00-\x7f]\S*", repair, text)


def slug(text: str, limit: int = 60) -> str:
    """A lowercase ASCII slug: "Centro de Niños, Inc." -> "centro-de-ninos-inc"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", folded.lower().replace("&", " and ").replace("'", "")).strip("-")
    if len(s) > limit:
        cut = s[:limit]
        s = cut[: cut.rfind("-")] if "-" in cut[limit // 2 :] else cut
    return s.strip("-")


# ---------------------------------------------------------------- placeholders

# A record name that is a placeholder, and phrases that mark test data anywhere.
_PLACEHOLDER_NAME = re.compile(
    r"^(?:(?:admin )?test|fake|dummy|example|sample) (?:org|organi[sz]ation|service|location"
    r"|agency|record)\b|^service with blank fields$|\btest location$|\bdo not use\b|^zz+ test\b",
    re.IGNORECASE,
)
_PLACEHOLDER_PHRASES = (
    "lorem ipsum",
    "not a real service",
    "not a real organization",
    "not a real organisation",
    "not a real location",
    "for testing purposes",
    "for testting purposes",
    "created for testing",
    "just a test",
    "test record",
    "test entry",
)


def placeholder_reason(names: list[str], texts: list[str]) -> str | None:
    """The words that mark a record as a test or placeholder, if any do."""
    for name in names:
        found = _PLACEHOLDER_NAME.search(name.strip())
        if found:
            return found.group(0)
    for text in texts:
        low = text.lower()
        for phrase in _PLACEHOLDER_PHRASES:
            if phrase in low:
                return phrase
    return None
