"""The shipped Noto fonts, cut down to the characters a slip uses, for HTML slips.

A stock browser on a shared or borrowed computer may have no font for Gurmukhi
(Punjabi), Devanagari (Nepali, Hindi), Khmer, Lao or Thai and shows empty boxes.
So an HTML slip carries, as ``@font-face`` rules with ``data:`` URLs, the subset of
each shipped face that its text needs (fontTools keeps the shaping tables the
kept characters use): a few tens of kilobytes, and the file stays one
self-contained page. Chinese, Japanese, Korean and right-to-left scripts have no
shipped font (tens of megabytes); the browser's own fonts show them.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

FONTS_DIR = Path(__file__).parents[1] / "fonts"
# CSS family name and file stem of each shipped face, the main one first.
FAMILIES = (
    ("Slip Noto Sans", "NotoSans"),
    ("Slip Noto Sans Devanagari", "NotoSansDevanagari"),
    ("Slip Noto Sans Gurmukhi", "NotoSansGurmukhi"),
    ("Slip Noto Sans Khmer", "NotoSansKhmer"),
    ("Slip Noto Sans Lao", "NotoSansLao"),
    ("Slip Noto Sans Thai", "NotoSansThai"),
)
WEIGHTS = (("Regular", 400), ("Bold", 700))
FONT_STACK = ", ".join(f'"{family}"' for family, _ in FAMILIES)


@lru_cache(maxsize=16)
def _cmap(stem: str, weight: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(FONTS_DIR / f"{stem}-{weight}.ttf", lazy=True) as font:
        return frozenset(font.getBestCmap())


def _subset(stem: str, weight: str, codepoints: frozenset[int]) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"  # zlib-compressed: no extra library needed
    options.name_IDs = [1, 2]  # family and style names only
    options.notdef_outline = True
    font = subset.load_font(str(FONTS_DIR / f"{stem}-{weight}.ttf"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


def font_faces(text: str) -> str:
    """``@font-face`` rules for the faces ``text`` needs, each cut to its characters.

    A face is embedded when it covers a character of ``text`` that no face before
    it covers (the main face always, for the digits and the labels)."""
    wanted = {ord(ch) for ch in text if not ch.isspace()}
    rules = []
    covered: set[int] = set()
    for i, (family, stem) in enumerate(FAMILIES):
        for weight, css_weight in WEIGHTS:
            own = frozenset(wanted & _cmap(stem, weight))
            if not own or (i and not own - covered):
                continue
            data = base64.b64encode(_subset(stem, weight, own)).decode("ascii")
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-weight: {css_weight};'
                f' font-style: normal; src: url(data:font/woff;base64,{data}) format("woff"); }}'
            )
        covered |= wanted & _cmap(stem, "Regular")
    return "\n".join(rules)
