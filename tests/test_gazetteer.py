import os
import sqlite3

import pytest

from newsevents.transforms.extraction.gazetteer import (Gazetteer, haversine_km, name_key, one_slip,
                                                        transliteration_skeleton, vowel_pattern, vowel_slip)
from newsevents.transforms.extraction.gazetteer_build import gazetteer_file, prune_stale_files, source_digest


@pytest.mark.parametrize("name, expected", [
    ("Deir ez-Zôr", "deir ez zor"), ("The Hague", "hague"), ("Al-Qāmishlī", "al qamishli"),
])
def test_name_key(name, expected):
    assert name_key(name) == expected


@pytest.mark.parametrize("name, weights, country, feature", [
    ("Palma", {"MOZ": 1.0}, "MOZ", "city"),  # the Mozambican town in a Mozambique story
    ("Palma", {}, "ESP", "city"),  # otherwise the Mallorcan city
    ("Homs", {}, "SYR", "city"),
    ("Mosul", {}, "IRQ", "city"),
    ("Rome", {"USA": 2.0}, "ITA", "city"),  # a world city beats a small namesake
    ("Nineveh", {}, "IRQ", "admin1"),
    ("Diyala", {"IRQ": 1.0}, "IRQ", "admin1"),
    ("Morocco", {}, "MAR", "country"),
    ("US", {}, "USA", "country"),
    ("Washington", {}, "USA", "city"),
])
def test_resolve(gazetteer, name, weights, country, feature):
    place = gazetteer.resolve(name, weights)
    assert (place.country_iso3, place.feature_type) == (country, feature)
    assert place.latitude is not None and place.longitude is not None


@pytest.mark.parametrize("name, place_name, country, feature", [
    # Regions the conflict news names that are no division in the packaged extracts, each
    # one place under all its spellings ...
    ("Puntland", "Puntland", "SOM", "region"), ("Eastern Ghouta", "Eastern Ghouta", "SYR", "region"),
    ("East Ghouta", "Eastern Ghouta", "SYR", "region"), ("Western Ghouta", "Western Ghouta", "SYR", "region"),
    ("Sambisa", "Sambisa Forest", "NGA", "region"), ("FATA", "Federally Administered Tribal Areas", "PAK", "region"),
    ("Mindanao", "Mindanao", "PHL", "region"), ("Nagorno-Karabakh", "Nagorno-Karabakh", "AZE", "region"),
    ("Cyrenaica", "Cyrenaica", "LBY", "region"),
    # ... and spellings of divisions and towns GeoNames files under another name.
    ("Hodeidah", "Al Ḩudaydah", "YEM", "city"), ("Arakan", "Rakhine", "MMR", "admin1"),
    ("Extreme North", "Far North", "CMR", "admin1"), ("Somali Region", "Somali", "ETH", "admin1"),
    ("Brega", "Al Burayqah", "LBY", "city"),
])
def test_conflict_regions_and_their_spellings(gazetteer, name, place_name, country, feature):
    place = gazetteer.resolve(name)
    assert (place.name, place.country_iso3, place.feature_type) == (place_name, country, feature)
    assert place.latitude is not None and place.longitude is not None
    assert len({(p.name, p.latitude) for p in gazetteer.candidates(name)}) == 1


@pytest.mark.parametrize("name, place", [
    ("Bangalore", "Bengaluru"), ("Chittagong", "Chattogram"), ("Kiev", "Kyiv"), ("Orissa", "Odisha"),
])
def test_former_names_of_renamed_places_are_their_own(gazetteer, name, place):
    # GeoNames keeps them only among alternate names, which are not read inside other
    # names ("the Bangalore University"); place_aliases.csv makes them the place's own.
    from newsevents.transforms.extraction.gazetteer_build import ALIAS

    best, kind = gazetteer.entries(name)[0]
    assert (best.name, kind) == (place, ALIAS)


@pytest.mark.parametrize("name, place", [
    # A town's two-word name written as one, as local reporting often does ...
    ("Mirpurkhas", "Mirpur Khas"), ("Baghapurana", "Bagha Purana"),
    # ... but not where the words joined make a direction (South East, Botswana).
    ("Southeast", None),
])
def test_joined_spellings_of_two_word_names(gazetteer, name, place):
    from newsevents.transforms.extraction.gazetteer_build import ALTERNATE

    joined = [(found.name, kind) for found, kind in gazetteer.entries(name) if " " in found.name
              and name_key(found.name).replace(" ", "") == name.lower()]
    assert joined[:1] == ([(place, ALTERNATE)] if place else [])


def test_admin1_and_admin2_of_a_town(gazetteer):
    mosul = gazetteer.resolve("Mosul")
    assert name_key(mosul.admin1) == "ninawa" and mosul.admin2 == "Mosul"
    pandi = gazetteer.resolve("Pandi", {"PHL": 1.0})
    assert (pandi.admin1, pandi.admin2) == ("Central Luzon", "Bulacan")


# Own points of countries and regions (GeoNames' convention), never their capitals.
@pytest.mark.parametrize("name, feature, point, capital", [
    ("United States", "country", (39.76, -98.5), (38.895, -77.037)),
    ("France", "country", (46.0, 2.0), (48.853, 2.349)),
    ("Canada", "country", (60.0, -95.0), (45.411, -75.698)),
    ("California", "admin1", (37.25, -119.75), (38.582, -121.494)),
    ("Texas", "admin1", (31.25, -99.25), (30.267, -97.743)),
])
def test_countries_and_regions_sit_at_their_own_point(gazetteer, name, feature, point, capital):
    place = gazetteer.resolve(name)
    assert place.feature_type == feature and place.geo_precision == (3 if feature == "country" else 2)
    assert haversine_km(place.latitude, place.longitude, *point) < 161
    assert haversine_km(place.latitude, place.longitude, *capital) > 100


@pytest.mark.parametrize("name, weights, country, feature", [
    ("Pangasinan", {"PHL": 1.0}, "PHL", "admin2"),  # a province (GeoNames admin2)
    ("Tell Abiad", {"SYR": 1.0}, "SYR", "city"),  # a transliteration of Tall Abyad
    ("Tal Abyad", {"SYR": 1.0}, "SYR", "city"),
    ("Shingal", {}, "IRQ", "city"),  # a curated alias of Sinjar
])
def test_districts_villages_and_other_names(gazetteer, name, weights, country, feature):
    place = gazetteer.resolve(name, weights)
    assert (place.country_iso3, place.feature_type) == (country, feature)


@pytest.mark.parametrize("name, weights, expected", [
    # A short other name is its place only in an article about that country, or for a
    # world city; a curated alias or a place's own name counts anywhere.
    ("Day", {}, None),  # an other name of Dayton: "(Day 3 of hartal)"
    ("Jan", {"IND": 1.0}, None),  # Jackson, Mississippi: "21 Jan"
    ("Paba", {}, None),  # Pemba, Mozambique: the Paba of Rajshahi is no town there
    ("Paba", {"MOZ": 1.0}, ("MOZ", "Pemba")),
    ("Bagda", {}, ("IRQ", "Baghdad")),  # a world city
    ("Gao", {}, ("MLI", "Gao")),  # its own name
    ("Bab", {}, ("SYR", "Al Bāb")),  # a spelling of its own name
])
def test_short_other_names_abroad(gazetteer, name, weights, expected):
    place = gazetteer.resolve(name, weights)
    assert (place and (place.country_iso3, place.name)) == expected


def test_villages_and_districts_only_in_the_articles_countries(gazetteer):
    # Tall Abyad has no population in GeoNames: a village, placed in a Syria story only.
    assert gazetteer.resolve("Tal Abyad") is None
    assert gazetteer.resolve("Tal Abyad", {"SYR": 1.0}).country_iso3 == "SYR"


@pytest.mark.parametrize("name, weights, regions, country, admin1", [
    ("Georgia", {"USA": 2.0}, {}, "USA", "Georgia"),  # the state in a US story
    ("Georgia", {}, {}, "GEO", None),
    ("Franklin", {"USA": 1.0}, {}, "USA", None),  # a Franklin, not Columbus's old name
])
def test_article_context_picks_the_namesake(gazetteer, name, weights, regions, country, admin1):
    place = gazetteer.resolve(name, weights, regions)
    assert place.country_iso3 == country
    assert place.name != "Columbus"
    if admin1:
        assert place.admin1 == admin1


def test_the_cached_file_is_built_once_and_reopened(tmp_path):
    path = gazetteer_file(tmp_path)
    assert path.name == f"gazetteer-3-{source_digest()}.sqlite"
    built_at = os.stat(path).st_mtime_ns
    again = Gazetteer.build(tmp_path)
    assert os.stat(path).st_mtime_ns == built_at  # opened, not rebuilt
    assert again.resolve("Mosul").country_iso3 == "IRQ"
    with sqlite3.connect(path) as con:
        kinds = dict(con.execute("select feature_type, count(*) from places group by 1"))
    assert kinds["country"] > 240 and kinds["admin1"] > 3000 and kinds["admin2"] > 20000
    assert kinds["city"] > 200_000


@pytest.mark.parametrize("town, country, km, expected", [
    ("Ben Gardane", "LBY", 100, True),   # a Tunisian town 64 km from the nearest Libyan one
    ("Ben Gardane", "LBY", 30, False),
    ("Ben Gardane", "SOM", 100, False),
])
def test_near_a_country(gazetteer, town, country, km, expected):
    place = next(p for p in gazetteer.candidates(town) if p.feature_type == "city")
    assert gazetteer.near_country(place, country, km) is expected


def test_unknown_name(gazetteer):
    assert gazetteer.resolve("Xqzzyville") is None


@pytest.mark.parametrize("name, expected", [
    # GeoNames lists airport codes among alternate names ("JUB" for Juba, "MIG" for
    # Mianyang): no other name; exonyms of three letters are ("Fez", "Ana", "Kut").
    ("Jub", None), ("MiG", None),
    ("Kut", ("IRQ", "Al-Kut")), ("Fez", ("MAR", "Fes")), ("Ana", ("IRQ", "‘Anah")),
])
def test_three_letter_other_names(gazetteer, name, expected):
    place = gazetteer.resolve(name, {})
    assert (place and (place.country_iso3, place.name)) == expected


@pytest.mark.parametrize("district, town, expected", [
    # Khairpur District's seat, known as Khairpur
    (("Khairpur District", "Sindh"), ("Khairpur Mir's", "Sindh", "Khairpur District"), True),
    # a town of that name in another district or province is no seat
    (("Khairpur District", "Sindh"), ("Khairpur", "Sindh", "Ghotki District"), False),
    (("Clark County", "Nevada"), ("Clark", "South Dakota", "Clark County"), False),
    # a town whose district the gazetteer does not give, in the district's province
    (("Galle", "Southern Province"), ("Galle", "Southern Province", None), True),
])
def test_seat_of_a_district(district, town, expected):
    from newsevents.transforms.extraction.gazetteer import Place
    from newsevents.transforms.extraction.places import seat_of
    district_place = Place(district[0], "admin2", "XXX", 0.0, 0.0, admin1=district[1], population=200_000)
    town_place = Place(town[0], "city", "XXX", 0.0, 0.0, admin1=town[1], admin2=town[2], population=50_000)
    assert seat_of(town_place, district_place) is expected


def test_a_district_contains_towns_of_its_own_province_only():
    from newsevents.transforms.extraction.gazetteer import Place
    county = Place("Clark County", "admin2", "USA", 36.2, -115.0, admin1="Nevada")
    assert county.contains(Place("Las Vegas", "city", "USA", 36.2, -115.1, admin1="Nevada", admin2="Clark County"))
    assert not county.contains(Place("Clark", "city", "USA", 44.9, -97.7, admin1="South Dakota", admin2="Clark County"))


@pytest.mark.parametrize("a, b, expected", [
    ("jhenidah", "jhenaidah", True),  # a letter left out
    ("gurgaonb", "gurgaon", True),  # one added
    ("kolkota", "kolkata", True),  # one changed
    ("kawranbazar", "karwanbazar", True),  # two neighbours swapped
    ("dehadrun", "dehradun", False),  # a letter moved two places: two slips
    ("naguar", "nagar", True),
    ("kolkata", "kolkata", False),  # the same name is no slip
    ("abcdef", "abcdefgh", False),
])
def test_one_slip(a, b, expected):
    assert one_slip(a, b) is expected


@pytest.mark.parametrize("name, country, expected", [
    ("Jhenidah", "BGD", "jhenaidah"),
    ("Kolkota", "IND", "kolkata"),
    ("Aleppoo", "SYR", "aleppo"),
    # Another transliteration of the name, give or take one slip: the article dropped or
    # assimilated, letters doubled or not, words split at an ʿayn in GeoNames' names.
    ("Hassakeh", "SYR", "al hasakah"),
    ("Deir az-Zour", "SYR", "deir ez zor"),
    ("Deir el-Zour", "SYR", "deir ez zor"),
    ("Maaret al-Numan", "SYR", "ma arrat an nu man"),
    ("Talbisseh", "SYR", "tallbisah"),
    ("Tal Rifaat", "SYR", "tall rif at"),
    ("Sarraqeb", "SYR", "saraqib"),  # a name that is its own skeleton (Saraqib), a vowel apart
    # Every vowel written another way, an "h" of "kh" left out, a final "h" added.
    ("Kafr Zeita", "SYR", "kafr zayta"),
    ("Khan Shaikhoun", "SYR", "khan shaykhun"),
    ("Khan Shaykun", "SYR", "khan shaykhun"),
    ("al-Qaraytain", "SYR", "al qaryatayn"),
    ("al-Tabqah", "SYR", "al tabqa"),
    # A short name only by the same skeleton: a letter doubled or not, a final "h".
    ("Raqa", "SYR", "raqqa"),
    ("Tabqah", "SYR", "al tabqa"),
])
def test_near_spellings_in_one_country(gazetteer, name, country, expected):
    assert expected in gazetteer.near_spellings(name, country)


@pytest.mark.parametrize("name, country", [
    ("Kolkota", "PAK"),  # only the named country's places
    ("Rakka", "SYR"),  # too short to guess from but by the same skeleton
    ("Fuaa", "SYR"),  # a skeleton too short ("fua") to tell
    ("Mohammad", "PAK"),  # nothing one slip away
    ("Hassakeh", "IRQ"),  # another country's transliteration is not looked at
    ("Qassem", "SYR"),  # a man's name: no town of that skeleton
    ("Taratala", "IND"),  # a consonant changed in the skeleton (Talattala): another name
    ("T. Pudukottai", "IND"),  # an initial added (Pudukkottai): another place
    ("Zebdin", "SYR"),  # a vowel dropped between consonants (Zabadani): another name
    ("Tal Abdo", "SYR"),  # a consonant left out (Tall Abyad)
    ("al-Nashwa al-Sharqi", "SYR"),  # a glide is a vowel, not the same consonants as Ayn ash Sharqiyah
])
def test_no_near_spelling(gazetteer, name, country):
    assert gazetteer.near_spellings(name, country) == []


def test_a_vowel_pattern_only_where_nothing_nearer_is(gazetteer):
    # "Kernool" is one slip from Kurnool; Karnal, of the same vowel pattern, is not taken too.
    assert gazetteer.near_spellings("Kernool", "IND") == ["kurnool"]


def test_files_of_other_versions_built_last_are_kept(tmp_path):
    # Two installs sharing a cache keep each other's file; older ones go.
    current = tmp_path / "gazetteer-3-current.sqlite"
    current.write_bytes(b"")
    for age, name in enumerate(["newer", "new", "old", "oldest"]):
        other = tmp_path / f"gazetteer-3-{name}.sqlite"
        other.write_bytes(b"")
        os.utime(other, (1_000_000 - age * 1000, 1_000_000 - age * 1000))
    deleted = prune_stale_files(current, keep=2)
    assert sorted(p.name for p in deleted) == ["gazetteer-3-old.sqlite", "gazetteer-3-oldest.sqlite"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "gazetteer-3-current.sqlite", "gazetteer-3-new.sqlite", "gazetteer-3-newer.sqlite"]



@pytest.mark.parametrize("key, skeleton", [
    ("deir ez zor", "deirzor"),  # the article is dropped ...
    ("deir az zour", "deirzour"),
    ("maarrat an numan", "maratnuman"),  # ... doubled letters made single
    ("ma arrat an nu man", "maratnuman"),  # GeoNames' ʿayn splits no word here
    ("tall rif at", "talrifat"),  # an article is never the last word
    ("al hasakah", "hasaka"),  # ... and a final "h" after a vowel (tā' marbūṭa)
    ("ar raqqah", "raqa"),
    ("shah", "sha"),
    ("homs", "homs"),
    ("al", "al"),
])
def test_transliteration_skeleton(key, skeleton):
    assert transliteration_skeleton(key) == skeleton


@pytest.mark.parametrize("a, b, expected", [
    ("deirzour", "deirzor", True),  # a vowel added
    ("tabaqa", "tabqa", True),
    ("maretnuman", "maratnuman", True),  # one vowel for another
    ("rajnandgoan", "rajnandgaon", True),  # two vowels swapped
    ("taratala", "talatala", False),  # a consonant changed
    ("tpudukotai", "pudukotai", False),  # a consonant added
    ("hasakah", "hasakah", False),  # the same skeleton is no slip
])
def test_vowel_slip(a, b, expected):
    assert vowel_slip(a, b) is expected


@pytest.mark.parametrize("skeleton, pattern", [
    ("kafrzeita", "kVfrzVtV"),  # "ei" and "ay" are one vowel
    ("kafrzayta", "kVfrzVtV"),
    ("khanshaikhoun", "kVnsVkVn"),  # "kh", "sh" are "k", "s"
    ("khanshaykun", "kVnsVkVn"),
    ("tabqah", "tVbqV"),  # a final "h" after a vowel goes
    ("mouhessen", "mVhVsVn"),  # an "h" after a vowel stays
    ("zabadani", "zVbVdVnV"),
])
def test_vowel_pattern(skeleton, pattern):
    assert vowel_pattern(skeleton) == pattern
