"""Numbers in news text: "at least 11", "5,000", "eleven", "dozens", "between 6,000 and
8,000", "1.5 million". Pure, no Beam.

    parse_amount("at least 11", QUANTITIES) -> 11
    parse_amount("dozens", QUANTITIES)      -> 12   (ACLED's conservative coding)
    parse_amount("between 6,000 and 8,000", QUANTITIES) -> 6000  (the low end)
"""
from __future__ import annotations

import re

NUMERAL = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+(\.\d+)?$")
MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
HEDGES = ("at least", "more than", "over", "about", "around", "nearly", "almost", "some",
          "up to", "as many as", "roughly", "approximately", "an estimated", "estimated",
          "at most", "fewer than", "less than", "close to", "the", "another", "a further")


def parse_amount(text: str, quantities: dict[str, int]) -> int | None:
    """An amount written in words or digits; a range gives its low end; None if none."""
    t = " ".join(text.lower().replace("-", " ").split())
    for hedge in HEDGES:
        if t.startswith(hedge + " "):
            t = t[len(hedge) + 1:]
    # "to 22" is what is left of "up to 22" or "rose to 22" where the run of counted
    # words began at "to": the number is the amount, not the end of a range.
    t = re.sub(r"^to (?=\d)", "", t)
    t = re.split(r"\b(?:and|to|or)\b", t.replace("between ", ""), maxsplit=1)[0].strip()
    if not t:
        return None
    if t in quantities and t not in ("a", "an"):
        return quantities[t]
    total, current, seen, numeral_last = 0, 0, False, False
    for word in t.split():
        if NUMERAL.match(word):
            # Two numerals in a row are never one amount: in "Oct 19 2016 6 killed" the
            # date stamp runs into the count, and the count is the numeral read last.
            if numeral_last:
                total, current = 0, 0
            current += float(word.replace(",", ""))
            seen, numeral_last = True, True
            continue
        numeral_last = False
        if word in MULTIPLIERS:
            current = (current or 1) * MULTIPLIERS[word]
            if MULTIPLIERS[word] >= 1000:
                total, current = total + current, 0
            seen = True
        elif word in quantities:
            value = quantities[word]
            if word in ("dozen",) and current:
                current *= 12
            else:
                current += value
            seen = True
        elif word in ("of", "a", "an"):
            continue
        else:
            break
    if not seen:
        return None
    value = int(total + current)
    return value if value > 0 else None


def looks_like_year(text: str) -> bool:
    """"2019" in "killed in 2019" is a year, not a count."""
    return bool(re.fullmatch(r"(1[89]|20)\d\d", text.strip()))
