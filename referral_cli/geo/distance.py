"""Distance on the Earth, as every radius and "km away" of the tool measures it."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088  # mean radius
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # of latitude, or of longitude at the equator


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
