import pytest

from newsevents.transforms.extraction.gazetteer import name_key


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


def test_admin1_of_a_town(gazetteer):
    assert gazetteer.resolve("Mosul").admin1 == "Ninawa"


def test_unknown_name(gazetteer):
    assert gazetteer.resolve("Xqzzyville") is None
