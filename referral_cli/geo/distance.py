"""Distance on the Earth, as every radius and "km away" of the tool measures it."""

from __future__ import annotations

import math
from typing import Generic, TypeVar

EARTH_RADIUS_KM = 6371.0088  # mean radius
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # of latitude, or of longitude at the equator


T = TypeVar("T")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class PointGrid(Generic[T]):
    """Points kept by cells of ``metres`` of latitude, so that those within ``metres``
    of a point are read from the few cells around it, never all of them (the
    neighbours of a confidential place, at import and in the index's check)."""

    def __init__(self, metres: float) -> None:
        self.metres = metres
        self._cell = metres / 1000 / KM_PER_DEGREE
        self._cells: dict[tuple[int, int], list[tuple[float, float, T]]] = {}

    def __bool__(self) -> bool:
        return bool(self._cells)

    def _key(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self._cell), math.floor(lon / self._cell)

    def add(self, lat: float, lon: float, item: T) -> None:
        self._cells.setdefault(self._key(lat, lon), []).append((lat, lon, item))

    def within(self, lat: float, lon: float) -> list[T]:
        """The items within ``metres`` of the point, cell by cell (a degree of
        longitude shrinks away from the equator: more cells across)."""
        across = math.ceil(1 / max(math.cos(math.radians(abs(lat) + self._cell)), 1e-3))
        at_lat, at_lon = self._key(lat, lon)
        return [
            item
            for i in range(at_lat - 1, at_lat + 2)
            for j in range(at_lon - across, at_lon + across + 1)
            for q_lat, q_lon, item in self._cells.get((i, j), ())
            if distance_km(lat, lon, q_lat, q_lon) * 1000 <= self.metres
        ]
