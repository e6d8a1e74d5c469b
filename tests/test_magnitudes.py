import pytest

from newsevents.transforms.extraction.magnitudes import looks_like_year, parse_amount

Q = {"dozen": 12, "dozens": 12, "tens": 10, "hundreds": 100, "thousands": 1000, "eleven": 11,
     "two": 2, "five": 5, "twenty": 20, "hundred": 100, "thousand": 1000, "a": 1, "an": 1}


@pytest.mark.parametrize("text, expected", [
    ("11", 11), ("at least 11", 11), ("more than 20", 20), ("5,000", 5000), ("eleven", 11),
    ("a dozen", 12), ("dozens", 12), ("tens", 10), ("hundreds", 100), ("thousands", 1000),
    ("between 6,000 and 8,000", 6000), ("up to 4,000", 4000), ("twenty-five", 25),
    ("two hundred", 200), ("1.5 million", 1_500_000), ("five thousand", 5000),
    ("people", None), ("", None),
    # A date stamp run into the count: the count is the numeral read last.
    ("19 2016 6", 6), ("2016 6", 6),
])
def test_parse_amount(text, expected):
    assert parse_amount(text, Q) == expected


@pytest.mark.parametrize("text, expected", [("2019", True), ("1999", True), ("11", False), ("5,000", False)])
def test_looks_like_year(text, expected):
    assert looks_like_year(text) is expected
