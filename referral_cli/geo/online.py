"""Online geocoding (geopy, OpenStreetMap Nominatim): only when the user asks
(``--online``), and its answers are kept in memory only."""

from __future__ import annotations

import contextlib
import functools
import time
from typing import Any

from referral_cli import __version__
from referral_cli.config import cache_dir
from referral_cli.geo.gazetteer import at_point
from referral_cli.geo.place import HINT, Place, UnknownPlace

# Written by earlier versions (it held the typed place text); removed when seen.
_OLD_ONLINE_CACHE = "places-online.json"
_last_request = [0.0]


@functools.lru_cache(maxsize=32)
def geocode_online(text: str) -> Place:
    """Ask OpenStreetMap Nominatim (only when the user opted in; the place text
    leaves the machine). An answer is remembered in this process only: what a
    volunteer types about a caller is never written to disk."""
    query = " ".join(str(text).split())
    if not query:
        raise UnknownPlace(f"no place given; name a town, or {HINT}")
    _remove_old_online_cache()
    try:
        from geopy.exc import GeopyError
        from geopy.geocoders import Nominatim
    except ImportError:
        raise UnknownPlace(
            f"unknown place '{query}' and online lookup needs geopy; {HINT}"
        ) from None
    geocoder = Nominatim(
        user_agent=f"referral-cli/{__version__} (+https://pypi.org/project/referral-cli/)",
        timeout=10,
    )
    wait = 1.0 - (time.monotonic() - _last_request[0])  # Nominatim's limit: 1 request/s
    if wait > 0:
        time.sleep(wait)
    try:
        found: Any = geocoder.geocode(query, exactly_one=True)
    except (GeopyError, OSError, ValueError) as exc:
        raise UnknownPlace(
            f"online lookup of '{query}' failed ({type(exc).__name__}); check the connection, or {HINT}"
        ) from None
    finally:
        _last_request[0] = time.monotonic()
    if found is None:
        raise UnknownPlace(f"unknown place '{query}', online too; check the spelling, or {HINT}")
    lat, lon = float(found.latitude), float(found.longitude)
    return at_point(lat, lon, kind="online", label=f"{query} (OpenStreetMap)").place


def _remove_old_online_cache() -> None:
    """Delete the place cache older versions kept: it holds callers' places."""
    with contextlib.suppress(OSError):
        (cache_dir() / _OLD_ONLINE_CACHE).unlink()
