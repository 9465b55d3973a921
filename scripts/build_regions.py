"""Generate referral_cli/data/regions.json from pycountry's ISO 3166-2 (build time only).

The gazetteer knows the first-level regions of the countries it has towns for,
by their codes; a maintainer writes an address's region as people there write
it ("Bagmati" in Nepal, "Ontario", "Jalisco"), and subdivisions change (Nepal's
provinces since 2015). This table gives every current ISO 3166-2 subdivision
its code and names (the name as ISO writes it, and without a trailing
"Province", "State", "Region" …), so validate accepts a region written by its
name. The program reads the file and never imports pycountry.

Run after upgrading pycountry:

    python scripts/build_regions.py

(tests/geo/test_addresses.py fails when the shipped file differs from what this makes.)
"""

from __future__ import annotations

import json
from pathlib import Path

from referral_cli.geo.addresses import region_key

OUT = Path(__file__).resolve().parent.parent / "referral_cli" / "data" / "regions.json"


def table() -> dict[str, dict[str, str]]:
    """Country -> {folded name or code part: ISO 3166-2 code}, first-level first."""
    import pycountry

    out: dict[str, dict[str, str]] = {}
    # A subdivision with a parent is second level: its names never hide a first-level one.
    for first_level in (True, False):
        for sub in pycountry.subdivisions:
            if (getattr(sub, "parent_code", None) is None) != first_level:
                continue
            names = out.setdefault(sub.country_code, {})
            part = sub.code.partition("-")[2]
            for key in (part.lower(), region_key(sub.name)):
                if key:
                    names.setdefault(key, sub.code)
    return {c: dict(sorted(v.items())) for c, v in sorted(out.items())}


def main() -> None:
    OUT.write_text(
        json.dumps(table(), ensure_ascii=False, sort_keys=True, indent=0) + "\n", "utf-8"
    )
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
