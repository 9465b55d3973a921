"""Where a place is, offline (online only when the user asks).

- :mod:`~referral_cli.geo.place`: what a lookup answers (:class:`Place`, :class:`Resolution`)
  and its error (:class:`UnknownPlace`);
- :mod:`~referral_cli.geo.resolving`: the place a volunteer typed (:func:`resolve`);
- :mod:`~referral_cli.geo.gazetteer`: the offline gazetteer that ships with the tool;
- :mod:`~referral_cli.geo.coordinates`: "lat,lon" and degrees-minutes;
- :mod:`~referral_cli.geo.distance`: great-circle distance;
- :mod:`~referral_cli.geo.online`: OpenStreetMap Nominatim, with ``--online`` only.
"""

from referral_cli.geo.coordinates import parse_coordinates
from referral_cli.geo.distance import KM_PER_DEGREE, distance_km
from referral_cli.geo.gazetteer import (
    codes_named,
    countries,
    norm_key,
    places_named,
    postal_code_place,
    region_codes,
    region_name,
)
from referral_cli.geo.online import geocode_online
from referral_cli.geo.place import Place, Resolution, UnknownPlace
from referral_cli.geo.resolving import BIG_CITY, corrected, names_a_region, resolve, resolve_exact

__all__ = [
    "KM_PER_DEGREE",
    "Place",
    "Resolution",
    "UnknownPlace",
    "codes_named",
    "countries",
    "distance_km",
    "geocode_online",
    "names_a_region",
    "norm_key",
    "parse_coordinates",
    "places_named",
    "postal_code_place",
    "region_codes",
    "region_name",
    "BIG_CITY",
    "corrected",
    "resolve",
    "resolve_exact",
]
