"""Places: geoparsing the place mentions of an article against the gazetteer, and
choosing where an event happened. Pure spaCy, no Beam.

    resolve_dateline("QAMISHLI, Syria", res) -> Place(name="Qamishli", country_iso3="SYR", ...)
    geoparse(doc, ...)  -> [(span "Gwoza", Place(...)), (span "Borno state", Place(...))]

The gazetteer itself (names to places) is ``gazetteer.py``.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

from spacy.attrs import POS
from spacy.parts_of_speech import NOUN, PROPN
from spacy.tokens import Doc, Span, Token

from newsevents.transforms.extraction.context import SentenceContext
from newsevents.transforms.extraction.gazetteer import (ARABIC_ARTICLES, REGION_SUFFIXES, WORLD_CITY, Place,
                                                        haversine_km, name_key, region_stem, transliteration_skeleton,
                                                        vowel_pattern)
from newsevents.transforms.extraction.gazetteer_build import ALIAS, ALTERNATE, MAIN
from newsevents.transforms.extraction.parsing import was_parsed
from newsevents.transforms.extraction.resources import ACT_NOUN_CLASSES, ExtractionResources, in_word_classes
from newsevents.transforms.extraction.syntax import (
    PLACE_LABELS, child, clause_anchors, doc_text, entities, foreign_presence_of, governing_verb, named_as_a_seat,
    next_sentence_in_paragraph, opens_act_answered, prep_object, previous_sentence_in_paragraph, reduced_passive,
    stranded_position, subject_of, token_texts)
from newsevents.transforms.extraction.toponyms import (
    ARABIC_ARTICLES, BIG_REGION, BIG_TOWN, COMPASS_WORDS, NAME_CONNECTORS, NOT_PLACE_LABELS, PLACE_POSITION_TOWN, RUN_JOINERS,
    ToponymMention, acronym_is_place, after_locative_preposition, arabic_name_start, find_toponym_mentions, is_acronym,
    is_capitalized, is_capitalized_text, longest_known_name, names_inhabitants, nationality_as_town, one_country,
    opens_arabic_name, person_name_words, reporting_forms, small_town_before_article, word_before,
    word_known_only_as_another_name)


CUE_WEIGHT, MAX_CUE_WEIGHT = 0.5, 0.75  # a country cue counts as a nationality; all of them, less than a name


def opens_a_place_name(doc: Doc, start: int, end: int, res: ExtractionResources) -> bool:
    """Whether a demonym opens the name of a place below country level with the
    capitalised word after it: "Thai Nguyen" (a province of Vietnam), not "Thai police"."""
    if end >= len(doc) or not doc[end].text[:1].isupper():
        return False
    return any(place.feature_type != "country" for place in res.gazetteer.candidates(f"{doc[start:end].text} {doc[end].text}"))


def article_country_weights(doc: Doc, res: ExtractionResources, dateline: Place | None,
                            actor_spans: dict | None = None) -> dict[str, float]:
    """How much the article talks about each country (country names, nationalities; a
    country named inside another name, "Bangladesh Television", its named actors and the
    words only its news uses, ``country_cues``, count a little too)."""
    counts: Counter = Counter()
    in_entities = set()
    for ent in entities(doc):
        # "the US embassy", "a Chinese company": foreign where the news is, no weight
        abroad = names_no_country_of_the_news(ent, ent.root, res.word_classes)
        if ent.label_ in ("GPE", "LOC"):
            for place in res.gazetteer.candidates(ent.text)[:1]:
                if place.feature_type == "country":
                    if not abroad:
                        counts[place.country_iso3] += 1
                    in_entities.update(range(ent.start, ent.end))
        elif ent.label_ == "NORP":
            iso3 = res.demonyms.get(ent.text.lower())
            if iso3 and opens_a_place_name(doc, ent.start, ent.end, res):
                in_entities.update(range(ent.start, ent.end))  # "Thai Nguyen province" is in Vietnam
            elif iso3:
                if not abroad:
                    counts[iso3] += 0.5
                in_entities.update(range(ent.start, ent.end))
    texts = token_texts(doc)
    i = 0
    while i < len(doc):
        at = i
        i += 1
        if at in in_entities or not texts[at][:1].isupper():
            continue
        token = doc[at]
        iso3 = res.demonyms.get(token.lower_)
        if iso3 is not None and opens_a_place_name(doc, at, at + 1, res):
            continue
        if iso3 is None and token.pos_ == "PROPN":
            span = country_name_at(doc, token.i, in_entities, res)
            if span is not None:
                iso3, i = span
        if iso3 and names_no_country_of_the_news(doc[at:i], token, res.word_classes):
            continue  # "a Chinese company", "a UK-based monitor"
        if iso3:
            counts[iso3] += 0.5
    if dateline is not None and dateline.country_iso3:
        counts[dateline.country_iso3] += 2
    for span, actor in {id(a): (s, a) for s, a in actor_spans.values()}.values() if actor_spans else ():
        if actor.country and foreign_presence_of(span.root, res.word_classes) is None:
            counts[actor.country] += 0.5  # "al-Shabaab" says Somalia
    if res.country_cues is not None:
        for iso3, n in res.country_cues.countries(doc).items():
            # "upazila" says Bangladesh, "Lok Sabha" India; all of a country's cues
            # together stay below one mention of another country by name.
            counts[iso3] += min(CUE_WEIGHT * n, MAX_CUE_WEIGHT)
    return {iso3: math.log2(1 + n) for iso3, n in counts.items()}


def names_no_country_of_the_news(name: Span, token: Token, classes: dict[str, set[str]]) -> bool:
    """Whether a country's name or nationality (``token`` the word it hangs by) marks a
    foreign presence ("the US embassy", "a Chinese company") or a party's seat ("a
    UK-based monitor", "a group banned in Russia"): no weight for the country."""
    return foreign_presence_of(token, classes) is not None or named_as_a_seat(name, classes["seat_verb"])


MAX_COUNTRY_NAME_TOKENS = 3  # "Central African Republic"


def country_name_at(doc: Doc, start: int, in_entities: set[int], res: ExtractionResources):
    """(ISO3, end) of the longest country name that begins at ``start``, if any: a name
    of one or more capitalized words inside another name ("the Bar Association of Sri
    Lanka", "South Sudan People's Defence Forces"; "South Sudan", not Sudan)."""
    for end in range(min(len(doc), start + MAX_COUNTRY_NAME_TOKENS), start, -1):
        words = doc[start:end]
        if any(t.i in in_entities or not t.text[:1].isupper() for t in words):
            continue
        if end + 1 < len(doc) and doc[end].is_alpha and doc[end].lower_ in NAME_CONNECTORS - ENGLISH_CONNECTORS \
                and is_capitalized(doc[end + 1]):
            continue  # "the Saint Martin de Porres parish" is no Saint Martin
        country = next((p for p in res.gazetteer.candidates(words.text)[:1] if p.feature_type == "country"), None)
        if country is not None:
            return country.country_iso3, end
    return None


def resolve_dateline(text: str | None, res: ExtractionResources, weights=None) -> Place | None:
    """"QAMISHLI, Syria" -> Qamishli in Syria; "WASHINGTON DC" -> Washington."""
    if not text:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    country = res.gazetteer.resolve(parts[-1]) if len(parts) > 1 else None
    hint = {country.country_iso3: 3.0} if country and country.feature_type == "country" else (weights or {})
    return res.gazetteer.resolve(parts[0].title(), hint) or res.gazetteer.resolve(parts[0], hint) or country


# Half a nationality: enough to admit the implied country's villages and districts,
# no more evidence than one region name gives (``area_evidence``).
IMPLIED_COUNTRY_WEIGHT = 0.25


def geoparse(doc: Doc, res: ExtractionResources, actor_spans: dict, weights: dict,
             dateline: Place | None = None) -> list[tuple[Span, Place]]:
    """Every toponym of the article that the gazetteer can place, in text order: names
    with their regions ("Sebba (Seno, Sahel)"), the model's place entities, proper nouns
    in place positions, and the gazetteer's names in every other sentence
    (``toponyms.find_toponym_mentions``); then "Town, Region" pairs are made to agree.

    ``weights`` (country -> weight, from ``article_country_weights``) gains the countries
    the unparsed sentences name. Villages and districts count only in the article's
    countries, so an article that names no country at all, nor any word that implies
    one ("Armed men opened fire ... in Awaran"), is read twice: the second time in the
    one country its places imply (``implied_country``)."""
    # The gazetteer scan does not depend on the weights: both readings share it.
    mentions = find_toponym_mentions(doc, res, actor_spans)
    found = _geoparse_pass(doc, res, actor_spans, weights, mentions, dateline)
    if weights:
        return found
    implied = implied_country(doc, res, actor_spans, found)
    if implied is None:
        return found
    weights[implied] = IMPLIED_COUNTRY_WEIGHT
    found = _geoparse_pass(doc, res, actor_spans, weights, mentions, dateline)
    home = [place for _, place in found if place.country_iso3 == implied and place.latitude is not None]
    return [(span, place) for span, place in found if not namesake_abroad(span, place, implied, home, res)]


BORDER_KM = 100  # a town this near a place of the implied country is across its border


def namesake_abroad(span: Span, place: Place, implied: str, home: list[Place], res: ExtractionResources) -> bool:
    """Whether a town outside the country an article's places imply (``home``: those
    places placed) is only the namesake of one there that the gazetteer lacks: its name is
    a town's in other countries too, it is no world city and it lies far from them
    ("attacked a police convoy near Karimabad in Pulwama district": not Karimabad in
    Gilgit-Baltistan; "fled from El Paso to Ciudad Juarez": El Paso, across the border)."""
    if place.country_iso3 == implied or place.feature_type != "city" or place.population >= WORLD_CITY:
        return False
    if not home or any(haversine_km(place.latitude, place.longitude, p.latitude, p.longitude) <= BORDER_KM
                       for p in home):
        return False
    return len({p.country_iso3 for p in res.gazetteer.candidates(span.text) if p.latitude is not None}) > 1


def implied_country(doc: Doc, res: ExtractionResources, actor_spans: dict,
                    found: list[tuple[Span, Place]]) -> str | None:
    """The one country the places of an article that names none lie in: the regions and
    towns already placed ("Balochistan"), and names in a place position whose every
    gazetteer entry lies in one country and is not only a village ("in Awaran", a
    district). The model tags many a small town an organisation or a person ("students
    in Baramulla", "institutions in Landi Kotal"): such a name counts too where
    ``mistagged_town`` allows it, and if one word only as a district or a town of some
    size ("outside Congress" is no town in Arizona). When they disagree, the one country
    of the places the model tagged as places whose names lie in one country only, if they
    agree ("near Karimabad in Pulwama district": the gazetteer's Karimabads lie in
    Pakistan and Iran, its Pulwama in India alone; not "Green Market traders", nor "First
    incident"). Before either, the one country that has a place of every name read, if
    the first reading placed one there ("in Hyderabad ... in Karachi": India has a bigger
    Hyderabad but no Karachi; ``hosting_countries``); where every name read has a
    namesake abroad, the provinces named elsewhere decide. With no place at all, the one
    country of the provinces and districts it names anywhere (``country_of_area_names``),
    or else of the one seat of a division the model tags a place ("in Ghorahi",
    ``seat_of_division``); else None."""
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    # "outside the US embassy", "a Britain-based monitor": a country named as a foreign
    # presence's home or a party's seat implies nothing
    found = [(span, place) for span, place in found
             if not country_marking_abroad(span, place, res)
             and not named_as_a_seat(span, res.word_classes["seat_verb"])]
    countries = {place.country_iso3 for _, place in found if place.country_iso3}
    sure = {place.country_iso3 for span, place in found if place.country_iso3 and span.root.ent_type_ in PLACE_LABELS
            and one_country(res.gazetteer.candidates(span.text))}
    lowercase_words = {text for text in token_texts(doc) if text.islower()}
    readings = [hosting_countries(span, place, res) for span, place in found if place.country_iso3]
    seats: set[str] = set()  # countries of division seats named, the weakest sign (``seat_of_division``)
    for ent in entities(doc):
        if ent.label_ not in PLACE_LABELS | MISTAGGED_PLACE_LABELS | MISREAD_NAME_LABELS \
                or any(i in actor_spans or i in covered for i in range(ent.start, ent.end)) \
                or not after_locative_preposition(ent, res.word_classes) \
                or named_as_a_seat(ent, res.word_classes["seat_verb"]):
            continue
        if ent.label_ in MISREAD_NAME_LABELS and (len(ent) != 1 or part_of_a_date(ent[0], res)):
            continue  # "in mid-August": a date indeed
        text = ent.text.strip(" ,.;:")
        tagged_place = ent.label_ in PLACE_LABELS
        if not tagged_place and not mistagged_town(ent, text, lowercase_words, res):
            continue
        entries = [(p, kind) for p, kind in res.gazetteer.entries(text) if p.latitude is not None and p.country_iso3]
        located = {p.country_iso3 for p, _ in entries}
        # A district or a town, not only a village: a village's name is too often the
        # namesake of the place meant ("Tawila" in Darfur is only a Yemeni village here).
        one_word_name = not tagged_place and len(ent) == 1
        if len(located) == 1 and any(big_enough_to_imply(p, one_word_name) for p, _ in entries):
            countries |= located
            sure |= located
            readings.append(located)
        elif len(located) == 1 and tagged_place and any(seat_of_division(p, kind) for p, kind in entries):
            seats |= located
    for located in regions_beside_places(doc, res, actor_spans, covered):
        countries |= located
        sure |= located
        readings.append(located)
    # The one country that has a place of every name read ("in Hyderabad ... in Karachi":
    # India has no Karachi, Pakistan has both), if the first reading placed one there.
    hosts = set.intersection(*readings) if readings else set()
    if len(hosts) == 1 and hosts <= countries:
        return next(iter(hosts))
    if len(countries) == 1:
        # Every name read has a namesake of some size abroad ("Hyderabad"): the
        # provinces the article names elsewhere decide, even inside another name ("the
        # Sindh Teachers Union in Hyderabad").
        if len(hosts) > 1:
            named = country_of_area_names(doc, res, actor_spans, found, lowercase_words, covered)
            if named in hosts:
                return named
        return next(iter(countries))
    if sure:
        return next(iter(sure)) if len(sure) == 1 else None
    if countries:
        return None
    named = country_of_area_names(doc, res, actor_spans, found, lowercase_words)
    return named or (next(iter(seats)) if len(seats) == 1 else None)


def regions_beside_places(doc: Doc, res: ExtractionResources, actor_spans: dict,
                          covered: set[int]) -> list[set[str]]:
    """The countries of the districts and towns set beside the place a locative
    preposition names ("clashed in Palhalan, Baramulla", "protested in Karo Koat, Dadu"):
    the village is often one the gazetteer lacks, its district tells the country. A name
    counts where its own names lie in one country (GeoNames' other names of it only when
    it has no own name the key matches: "Baramulla" is Bāramūla's other spelling), as a
    district, a region or a town of ``PLACE_POSITION_TOWN`` people (a village's name is
    too often another's namesake)."""
    found = []
    for token in doc:
        if token.i in covered or token.i in actor_spans or not tagged_name(token, res.known_words) \
                or is_acronym(token) or place_position(token, res.word_classes) != "apposition":
            continue  # "in Ghulam Khan, NWA": North Waziristan Agency, no other place's initials
        span = whole_name(name_span(token, covered, res), res, covered, actor_spans)
        entries = [(p, kind) for p, kind in res.gazetteer.entries(span.text)
                   if p.latitude is not None and p.country_iso3]
        own = [(p, kind) for p, kind in entries if kind in (ALIAS, MAIN)] or entries
        located = {p.country_iso3 for p, _ in own}
        if len(located) == 1 and any(big_enough_to_imply(p, True) for p, _ in own):
            found.append(located)
    return found


def hosting_countries(span: Span, place: Place, res: ExtractionResources) -> set[str]:
    """The countries that have a place of this name by its own or a curated name, and one
    of some size (a district, a region, a town of ``PLACE_POSITION_TOWN`` people): where
    the name may be read. The place it was read as counts whatever its size."""
    hosts = {place.country_iso3}
    for entry, kind in res.gazetteer.entries(span.text):
        if kind in (ALIAS, MAIN) and entry.country_iso3 and entry.latitude is not None \
                and (entry.feature_type != "city" or entry.population >= PLACE_POSITION_TOWN):
            hosts.add(entry.country_iso3)
    return hosts


PROVINCE_OR_DISTRICT = frozenset({"admin1", "admin2"})


def country_of_area_names(doc: Doc, res: ExtractionResources, actor_spans: dict,
                          found: list[tuple[Span, Place]], lowercase_words: set[str],
                          covered: frozenset[int] | set[int] = frozenset()) -> str | None:
    """The one country whose provinces and districts an article names wherever it names
    them, for an article with no other sign of its country: the model tags many a
    province a person or nothing at all, and names one inside an organisation's name
    ("staff of the Haryana power utility", "Gaibandha farmers"). The big towns named
    inside other names count as well (``places_in_names``: "the Lahore Press Club").
    Names of two countries: None. ``lowercase_words``: the words the article writes in
    lower case; ``covered``: tokens of names not to count."""
    countries = {place.country_iso3 for _, place in places_in_names(doc, res, found, actor_spans, {})}
    start = 0
    while start < len(doc):
        known = longest_known_name(doc, start, res, covered, actor_spans)
        if known is None:
            start += 1
            continue
        span, entries = known
        start = span.end
        # its own names and the curated ones, not GeoNames' other names ("Day" for Dayton)
        entries = [(place, kind) for place, kind in entries if kind in (ALIAS, MAIN) and place.country_iso3]
        located = {place.country_iso3 for place, _ in entries}
        if len(located) == 1 and names_an_area(span, [place for place, _ in entries], lowercase_words, res):
            countries |= located
    return next(iter(countries)) if len(countries) == 1 else None


def names_an_area(span: Span, places: list[Place], lowercase_words: set[str], res: ExtractionResources) -> bool:
    """Whether a name the gazetteer knows as a province or a district (``places``: its
    entries) is meant as one. A district's name only standing alone,
    before a lower-case word or an administrative noun ("Gaibandha farmers", "Dima Hasao
    District"): inside a longer name it is as often a word of another language or the
    namesake of a place abroad as the district itself ("the ... Yuba Mancha", a temple,
    a movement, "Gomal University"). A province's name counts inside other names too.
    Not one word that is an English word or that the article also writes in lower case
    ("Free", "Christians"), though the lemmatizer's nouns include the names of big
    provinces ("the All Assam Students' Union"; not "Gulf", "Federation" or "Republic",
    small provinces and districts abroad); not a name the model tagged a people, nor a
    person's (a province's only by the words around it or a person's name it ends, "Maria
    Guerrero": the model takes many a province, and many a name one opens, for a
    person); never a short name or a known non-place name."""
    kinds = {place.feature_type for place in places}
    big_province = any(place.feature_type == "admin1" and place.population >= BIG_REGION for place in places)
    if not kinds & PROVINCE_OR_DISTRICT or len(span.text) < 4 or span.root.ent_type_ == "NORP" \
            or name_key(span.text) in res.word_classes["non_place_name"] \
            or (len(span) == 1 and english_word(span[0], lowercase_words, res, nouns=not big_province)):
        return False
    if "admin1" in kinds:
        return not told_as_person(span, res) and not inside_a_persons_name(span)
    after = span.doc[span.end] if span.end < len(span.doc) else None
    stands_alone = after is None or not is_capitalized(after) or after.lower_ in res.word_classes["admin_noun"]
    return stands_alone and begins_name(span) and (
        not names_a_person(span, res) or district_seat_read_as_person(span, places, res))


def district_seat_read_as_person(span: Span, places: list[Place], res: ExtractionResources) -> bool:
    """A district's name the model tagged a person where only a place stands: one word,
    also the name of the district's big town, after an administrative noun ("in Katland
    tehsil Mardan") or as what a journey leaves or enters ("trains leaving Jalandhar"),
    with no person of the article bearing it ("Joyce Banda ... Banda"). Elsewhere such a
    name is as often a person's ("gunmen attacked Hassan"). The small model reads many a
    South Asian town so; only its country is read from it."""
    doc = span.doc
    root = span.root
    before = doc[span.start - 1] if span.start > 0 else None
    placed = (before is not None and before.lower_ in res.word_classes["admin_noun"]) or (
        root.dep_ == "dobj" and root.head.lemma_.lower() in JOURNEY_VERBS)
    return len(span) == 1 and root.ent_type_ == "PERSON" and placed and not told_as_person(span, res) \
        and span.text not in person_name_words(doc) \
        and any(place.feature_type == "city" and place.population >= BIG_TOWN for place in places)


# Verbs whose object is where a journey starts or ends ("trains leaving Jalandhar"; not
# "reach", whose object is as often a person: "could not reach Salem for comment").
JOURNEY_VERBS = frozenset({"leave", "enter"})


def inside_a_persons_name(span: Span) -> bool:
    """Whether the model tagged a longer name that the span does not open a person's
    ("Maria Guerrero", "Julio Cesar Tandu"; not the "Haryana ... Morcha" it takes for
    one)."""
    return any(ent.label_ == "PERSON" and ent.start < span.start < ent.end for ent in entities(span.doc))


def english_word(token: Token, lowercase_words: set[str], res: ExtractionResources, nouns: bool = True) -> bool:
    """Whether a capitalized word is also a common word: the lemmatizer knows it (or its
    singular), or the article writes it in lower case too. ``nouns=False`` leaves out the
    words it knows only as nouns, among which are names ("Assam", "Karachi")."""
    word = token.lower_
    forms = (word, token.lemma_.lower(), word[:-1] if word.endswith("s") else word)
    words = res.known_words if nouns else res.common_words
    return word in lowercase_words or any(form in words for form in forms)


# Entity labels the small model gives towns it does not know (see ``implied_country``).
MISTAGGED_PLACE_LABELS = frozenset({"ORG", "PERSON"})
# Labels it gives a name it cannot read at all ("In Gaibandha, a bus was torched": a date).
MISREAD_NAME_LABELS = frozenset({"DATE", "TIME", "CARDINAL"})


def big_enough_to_imply(place: Place, one_word_name: bool) -> bool:
    """Whether a gazetteer entry may imply its country: a district or region, or a town
    that is not only a village; for a one-word name the model did not tag a place, a
    town of ``PLACE_POSITION_TOWN`` people (one word is too often a common name's namesake)."""
    if place.feature_type != "city":
        return True
    return place.population >= PLACE_POSITION_TOWN if one_word_name else not place.minor


def seat_of_division(place: Place, kind: int) -> bool:
    """Whether a gazetteer entry is a town GeoNames gives no population, known by its own
    name: in its extract only as the seat of a division (a district's headquarters, "in
    Ghorahi"), no village, but its name is often another country's too ("Los
    Encuentros"), and one spelt otherwise is none ("Tawila" in Darfur is no Yemeni seat)."""
    return place.feature_type == "city" and place.population == 0 and kind in (ALIAS, MAIN)


def mistagged_town(ent: Span, text: str, lowercase_words: set[str], res: ExtractionResources) -> bool:
    """Whether a name the model tagged an organisation or a person may be a town: the
    whole object of its preposition ("students in Baramulla"), not a modifier of a
    noun ("at Heritage schools", "to Zilla parishad"), no acronym ("the DPO"), no name
    with a word the article also writes in lower case, no known non-place name."""
    root, doc = ent.root, ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    return root.dep_ == "pobj" and root.i == ent.end - 1 \
        and not (after is not None and after.pos_ in ("NOUN", "PROPN")) \
        and not any(is_acronym(t) for t in ent) \
        and not any(t.text.lower() in lowercase_words for t in ent) \
        and name_key(text) not in res.word_classes["non_place_name"]


def _geoparse_pass(doc: Doc, res: ExtractionResources, actor_spans: dict, weights: dict,
                   mentions: list[ToponymMention], dateline: Place | None = None) -> list[tuple[Span, Place]]:
    regions = area_evidence(mentions, weights, dateline, res.word_classes)
    found = placed_with_regions(doc, res, weights, actor_spans)
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    misspelt: list[tuple[Span, str]] = []  # names the gazetteer lacks, read last
    for ent in entities(doc):
        if ent.label_ not in PLACE_LABELS or any(i in covered for i in range(ent.start, ent.end)) \
                or inside_longer_mention(ent, mentions):
            continue
        alias = actor_spans.get(ent.start)
        if alias is not None:
            _, actor = alias
            acting = ent.root.dep_ in ("nsubj", "nsubjpass", "poss", "agent")
            if actor.sector not in ("GOV",) or actor.country is None or acting:
                continue  # "ISIS", "Daesh" are groups; "Washington imposed" is a government
        longer = whole_name(ent, res, covered, actor_spans)
        if len(longer) > len(ent):
            # "in Dera Ismail Khan" tagged as the place Dera and the person Ismail Khan
            covered.update(range(longer.start, longer.end))
            place = res.gazetteer.resolve(longer.text, weights, regions)
            if place is not None and place.latitude is not None \
                    and not far_off(place, weights, res, regions, longer):
                found.append((longer, place))
            continue
        # without a possessive's "'s" (or a lost apostrophe's "s", split by the tokenizer:
        # "Syrias"; the norm of each is "'s")
        text = (ent[:-1] if len(ent) > 1 and ent[-1].norm_ == "'s" else ent).text.strip()
        text = text.strip(" ,.;:\"“”'")
        if common_word_as_name(ent, text, res.word_classes):
            continue
        place = res.gazetteer.resolve(text, weights, regions)
        if place is not None and place.feature_type == "city":
            place = division_of_that_name(ent, text, place, res) or place
        if place is None and (ent.label_ in ("GPE", "LOC")
                              or (ent.label_ == "FAC" and after_place_preposition(ent.root, res.word_classes))):
            # "in Jhenidah": Jhenaidah; "in the town of Kafr Zeita" (tagged a facility):
            # Kafr Zayta
            misspelt.append((ent, text))
            continue
        if place is not None and generic_name_abroad(text, place, weights, res.word_classes):
            continue
        if place is not None and nationality_as_town(text, [place], res.demonyms):
            continue  # "the Kazakh capital": a nationality, not a town known by it as well
        if place is not None and place.latitude is not None \
                and not far_off(place, weights, res, regions, ent):
            found.append((ent, place))
    found += locative_names(doc, res, actor_spans, weights, found, regions, misspelt)
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    for mention in mentions:
        if any(i in covered for i in range(mention.span.start, mention.span.end)):
            continue
        place = resolve_mention(mention, res, weights, regions)
        if place is not None:
            found.append((mention.span, place))
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    for span, text in misspelt:
        if any(i in covered for i in range(span.start, span.end)):
            continue
        beside = [place for other, place in found if other.sent.start == span.sent.start]
        place = misspelt_place(span, text, res, weights, beside)
        if place is not None and not far_off(place, weights, res, regions, span):
            covered.update(range(span.start, span.end))
            found.append((span, place))
    found.sort(key=lambda sp: sp[0].start)
    found = agree_with_hierarchy(found, res)
    found += repeated_mentions(doc, found, actor_spans)
    return sorted(found, key=lambda sp: sp[0].start)


def common_word_as_name(ent: Span, text: str, classes: dict[str, set[str]]) -> bool:
    """A word GeoNames lists as a place but the news means otherwise, unless an area noun
    follows it: "at the Centre" (India's central government) or "in the Capital" is no
    region of Burkina Faso or Denmark; "the Centre region" is."""
    if name_key(text) not in classes["non_place_name"]:
        return False
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return after is None or after.lemma_.lower() not in classes["admin_noun"] | classes["place_noun"]


def generic_area_name(text: str, classes: dict[str, set[str]]) -> bool:
    """A name made only of common words and an area noun ("Central Region", "Western
    Province"): many countries have one, so it names a place only in a country the
    article is about (Nepal's "Central Region" is no region of Malawi)."""
    words = name_key(text).split()
    return len(words) > 1 and all(w in classes["non_place_name"] or w in classes["admin_noun"] for w in words)


def generic_name_abroad(text: str, place: Place, weights: dict, classes: dict[str, set[str]]) -> bool:
    """A generic area name resolved to a place outside the article's countries."""
    return generic_area_name(text, classes) and place.country_iso3 not in weights


def inside_longer_mention(ent: Span, mentions: list[ToponymMention]) -> bool:
    """Whether a place entity is part of a longer name: a country name that the
    unparsed sentences tag on its own inside "New Mexico", "Northern Ireland", "Mexico
    City" (the gazetteer's match of the whole name stands instead), or a capitalized word
    runs on before it that the gazetteer does not know with it ("Inner Mongolia")."""
    if any(m.span.start <= ent.start and ent.end <= m.span.end and len(m.span) > len(ent) for m in mentions):
        return True
    if was_parsed(ent.doc, ent.start):
        return False  # the model's entity is the whole name
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    after = doc[ent.end] if ent.end < len(doc) else None
    return bool((before is not None and is_capitalized(before) and before.whitespace_ and not before.is_sent_start
                 and before.lower_ not in ("the",))
                or (after is not None and is_capitalized(after) and ent[-1].whitespace_
                    and doc[ent.end - 1].text[-1:].isalpha() and after.pos_ in ("X", "PROPN")
                    and after.lower_ not in ("state", "province", "region")))


def area_evidence(mentions: list[ToponymMention], weights: dict, dateline: Place | None,
                  classes: dict[str, set[str]]) -> dict[str, float]:
    """Countries and regions the article names without doubt, added to ``weights``;
    returns the regions (folded admin1 / admin2 name -> weight): a town in a region the
    article names beats its namesakes elsewhere ("Pandi" in a story about Bulacan)."""
    regions: dict[str, float] = {}
    if dateline is not None:
        for name in (dateline.admin1, dateline.admin2):
            if name:
                regions[name_key(name)] = regions.get(name_key(name), 0) + 1.0
    for mention in mentions:
        best, kind = mention.entries[0]
        if names_no_country_of_the_news(mention.span, mention.span.root, classes):
            continue  # "the US embassy", "a China-based firm": abroad; "based in Britain": a seat
        if best.feature_type == "country" and mention.span.root.ent_type_ not in PLACE_LABELS:
            if not any(p.feature_type == "admin1" and k != 2 for p, k in mention.entries[1:]):
                weights[best.country_iso3] = weights.get(best.country_iso3, 0) + 0.5  # not "Georgia"
        elif (best.feature_type in ("admin1", "admin2") or kind == ALIAS) \
                and not generic_area_name(mention.span.text, classes):  # no "Central Region" says Malawi
            areas = [p for p, k in mention.entries if p.feature_type in ("admin1", "admin2") and k != 2]
            if areas and len({p.country_iso3 for p in areas}) == 1 and len(mention.span.text) > 3:
                key = name_key(areas[0].name)
                regions[key] = regions.get(key, 0) + 1.0
                iso3 = areas[0].country_iso3
                weights[iso3] = weights.get(iso3, 0) + 0.25
    for inner, outer in nested_mentions(mentions):
        # "Manaoag, Pangasinan": a town and a district it lies in support each other.
        for place in (inner, outer):
            weights[place.country_iso3] = weights.get(place.country_iso3, 0) + 0.5
        regions[name_key(outer.name)] = regions.get(name_key(outer.name), 0) + 1.0
    return regions


def nested_mentions(mentions: list[ToponymMention]) -> list[tuple[Place, Place]]:
    """(town, region) for each name followed by a region it can lie in ("Pandi,
    Bulacan", "Manaoag in Pangasinan"), whatever their sizes."""
    pairs = []
    text = doc_text(mentions[0].span.doc) if mentions else ""
    for first, second in zip(mentions, mentions[1:]):
        between = text[first.span.end_char:second.span.start_char]
        if not BETWEEN_TOWN_AND_REGION.match(between):
            continue
        nested = [(inner, outer) for outer in second.candidates if outer.feature_type in ("admin1", "admin2")
                  for inner in first.candidates if outer.contains(inner)]
        if nested:
            pairs.append(max(nested, key=lambda pair: (pair[0].population, pair[1].population)))
    return pairs


def resolve_mention(mention: ToponymMention, res: ExtractionResources, weights: dict,
                    regions: dict) -> Place | None:
    """The place a gazetteer match stands for, if the article supports it: a country or
    region, a town in a country or region the article names, a town of 5,000+ in a place
    position ("in X"), or a large town."""
    place = res.gazetteer.resolve(mention.span.text, weights, regions)
    if place is None or place.latitude is None:
        return None
    if generic_name_abroad(mention.span.text, place, weights, res.word_classes):
        return None
    if place.feature_type in ("country", "admin1", "continent", "region"):
        return place
    if far_off(place, weights, res, regions, mention.span):
        return None
    if place.country_iso3 in weights or any(name_key(r) in regions for r in (place.admin1, place.admin2) if r):
        return place
    # "residents of X" places X only where no other country has an X ("residents of San
    # Isidro" may be anywhere)
    if mention.of_inhabitants and not one_country(mention.candidates):
        return None  # "residents of Mansa" (India or Zambia) in a story naming neither
    if mention.after_preposition and place.population >= PLACE_POSITION_TOWN:
        return place
    return place if place.population >= UNSUPPORTED_TOWN else None


UNSUPPORTED_TOWN = 50_000  # a town of this size needs no support from the article
# What may stand between a town and the region it lies in: "Pandi, Bulacan", "Pandi in
# Bulacan", "Kaya (Sanmatenga)", "Rafah City, North Sinai" (the town's noun, outside its
# name, then the region).
BETWEEN_TOWN_AND_REGION = re.compile(r"^\s*(?:(?:city|town)\s*)?(,|\(|in|of|in the|,? in)\s*$", re.IGNORECASE)


def agree_with_hierarchy(found: list[tuple[Span, Place]], res: ExtractionResources) -> list[tuple[Span, Place]]:
    """"Pandi, Bulacan in Central Luzon": each place followed by a region (or country) it
    can lie in is the namesake that lies there, and the region the one that holds it."""
    found = list(found)
    text = doc_text(found[0][0].doc) if found else ""
    dropped: set[int] = set()
    for n in range(len(found) - 1):
        (first, first_place), (second, second_place) = found[n], found[n + 1]
        between = text[first.end_char:second.start_char]
        if not BETWEEN_TOWN_AND_REGION.match(between) or second_place.feature_type == "city" and \
                not any(p.feature_type != "city" for p in res.gazetteer.candidates(second.text)):
            continue
        pairs = [(inner, outer) for outer in res.gazetteer.candidates(second.text)
                 if outer.feature_type in ("admin1", "admin2", "country") and outer.latitude is not None
                 for inner in res.gazetteer.candidates(first.text)
                 if inner.latitude is not None and outer.contains(inner)]
        if not pairs:
            if known_abroad_by_another_name(first, first_place, second_place, res):
                dropped.add(n)  # "in Gandawa, Balochistan": no Ghent (Polish "Gandawa"), a town the gazetteer lacks
            continue
        inner, outer = max(pairs, key=lambda pair: (pair[0] == first_place, pair[1].feature_type != "country",
                                                    pair[0].feature_type != "admin2", pair[0].population))
        found[n], found[n + 1] = (first, inner), (second, outer)
    return [pair for n, pair in enumerate(found) if n not in dropped]


def known_abroad_by_another_name(span: Span, place: Place, region: Place, res: ExtractionResources) -> bool:
    """Whether a town read only by one of its other names (a foreign exonym: "Gandawa" is
    Polish for Ghent) lies in another country than the region its text sets it in."""
    return region.feature_type in ("admin1", "admin2", "country") and place.country_iso3 != region.country_iso3 \
        and all(kind == ALTERNATE for entry, kind in res.gazetteer.entries(span.text) if entry == place)


NAME_WITH_REGIONS = re.compile(r"\b([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) \(([^()]{2,80})\)")


def fold(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", text)


def placed_with_regions(doc: Doc, res: ExtractionResources, weights: dict,
                        actor_spans: dict | None = None) -> list[tuple[Span, Place]]:
    """ACLED's way of naming a place, "Sebba (Seno, Sahel)": the town, then its district
    and region. The regions pick the right namesake and the country; a town the
    gazetteer lacks is placed at its region, of the country the article is most about
    when the region's name is two countries'. Not a party's name or acronym the
    gazetteer does not know, whose brackets name a faction or a branch ("the CPM
    (Punjab)", "CPI (Maoist)")."""
    found = []
    for match in NAME_WITH_REGIONS.finditer(doc_text(doc)):
        name, parts = match.group(1), [p.strip() for p in match.group(2).split(",") if p.strip()]
        folded = {fold(p) for p in parts}
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is None or not parts:
            continue
        candidates = [p for p in res.gazetteer.candidates(name) if p.latitude is not None]
        if not candidates and (any(t.i in (actor_spans or {}) for t in span) or all(is_acronym(t) for t in span)):
            continue  # "the CPM (Punjab)": the party's branch, not a town in Punjab
        fitting = [p for p in candidates if fold(p.admin1) in folded or fold(p.name) in folded - {fold(name)}]
        if not fitting:
            regions = [p for part in reversed(parts) for p in res.gazetteer.candidates(part)
                       if p.feature_type in ("admin1", "region") and p.latitude is not None]
            # (a stable sort: the article's country first, else the gazetteer's order)
            regions.sort(key=lambda r: -weights.get(r.country_iso3, 0))
            countries = {r.country_iso3 for r in regions}
            fitting = [p for p in candidates if p.country_iso3 in countries] or regions[:1]
        if not fitting:
            continue
        place = max(fitting, key=lambda p: (p.feature_type == "city", p.population))
        if place.country_iso3:
            weights[place.country_iso3] = weights.get(place.country_iso3, 0) + 1.0
        found.append((span, place))
    return found


def far_off(place: Place, weights: dict, res: ExtractionResources, regions: dict | None = None,
            span: Span | None = None) -> bool:
    """A small town abroad in an article about other countries is a namesake ("Mahas"
    in a Somalia story is not the Jordanian village), not the place meant; unless the
    article names the district or province it lies in ("in Sopore town of Baramulla
    district", in a story weighted to Pakistan by the militants' group), or it is a town
    of ``UNSUPPORTED_TOWN`` people across the border of one of the article's countries
    ("traders blocked vehicles in Ben Gardane", a Tunisian town, in a story about Libyan
    officials). Not a name the text (``span``) sets as a village or a division, or in one
    ("Gangarampur village", "Karimganj upazila", "at Islampur in Mithapukur upazila"):
    villages across a border share their names with towns on its other side."""
    if not weights or place.feature_type != "city" or place.country_iso3 in weights \
            or place.population >= 100_000 or place.latitude is None:
        return False
    if regions and any(name_key(r) in regions for r in (place.admin1, place.admin2) if r):
        return False
    return place.population < UNSUPPORTED_TOWN or (span is not None and set_in_a_division(span, res.word_classes)) \
        or not any(res.gazetteer.near_country(place, iso3, BORDER_KM) for iso3 in weights)


def set_in_a_division(span: Span, classes: dict[str, set[str]]) -> bool:
    """Whether a name is told as a village or a division ("Gangarampur village", "Karimganj
    upazila"), or as lying in a division ("at Islampur in Mithapukur upazila")."""
    divisions = classes["admin_noun"] | classes["small_place_noun"]
    after = span.doc[span.end:span.end + 6]
    if len(after) and after[0].lemma_.lower() in divisions:
        return True
    if not len(after) or after[0].lower_ not in ("in", "of", "under"):
        return False
    for token in after[1:]:
        if token.is_punct:
            return False
        if token.lemma_.lower() in divisions:
            return True
    return False


def locative_names(doc: Doc, res: ExtractionResources, actor_spans: dict, weights: dict,
                   found: list[tuple[Span, Place]], regions: dict | None = None,
                   misspelt: list[tuple[Span, str]] | None = None):
    """Proper nouns in place positions that the tagger did not call places: after "in",
    "near", "at" ..., in "the town of X", and before an area noun ("Borno state", "the
    Jilib area").

    The small English model tags "Mali" or "Goma" as a person now and then. Such a name
    is taken as a place when the gazetteer knows it as a country or region, a town of
    5,000+, or a town in a country the article is about; before "province", "state" and
    the like, a region of that name is preferred.
    """
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    extra = []
    # (parts of speech of every token at once: only nouns and proper nouns become Tokens)
    for i, pos in enumerate(doc.to_array(POS).tolist()):
        if pos not in NAME_POS:
            continue
        token = doc[i]
        if not tagged_name(token, res.known_words) or token.i in covered or token.i in actor_spans \
                or part_of_a_date(token, res):
            continue
        position = place_position(token, res.word_classes)
        if position is None:
            continue
        span = name_span(token, covered, res)
        if position == "apposition" and names_a_known_place(name_span(token.head, covered, res), res):
            continue  # "in Tirah Valley, Khyber Agency": the first name is the place, the second its region
        first = arabic_name_start(token, res)
        if first is not None and span.start > first:
            continue  # "Balad" of "Daraa al-Balad", whose "Daraa" is read already
        if (position in ("inhabitants", "apposition") or token.ent_type_ in MISREAD_NAME_LABELS) and not weights \
                and not one_country(res.gazetteer.candidates(span.text)):
            # "residents of San Isidro", "In Mirpur,", "in Kalaiya, Bara": towns of that
            # name lie in many countries
            continue
        if position in ("preposition", "inhabitants", "apposition"):
            # (before an area noun the name ends where the noun begins: "Hyderabad City")
            span = whole_name(span, res, covered, actor_spans)
        if word_known_only_as_another_name(span, res.gazetteer.entries(span.text), res):
            continue  # "the First Division": GeoNames' old name of Aden governorate
        place = place_of_name(span, position == "admin", res, weights, regions)
        if place is None and position == "preposition" and misspelt is not None:
            misspelt.append((span, span.text))  # "in Dhamondi": Dhanmondi, read last (``misspelt_place``)
            continue
        if place is not None and small_town_before_article(doc, span.end, [place]):
            continue  # "the Shahba al-Jadida district" of Aleppo: no small town called Shahba
        if place is not None and not (token.ent_type_ == "PERSON" and accorded(token)):
            # "according to Yap": a person, whatever the gazetteer knows of the name
            covered.update(range(span.start, span.end))
            extra.append((span, place))
    return extra


def names_a_known_place(span: Span, res: ExtractionResources) -> bool:
    """Whether the gazetteer knows a name, or its first word before area nouns ("Tirah" of
    "Tirah Valley"); not a village's name whose first word is another place's ("Karo
    Koat")."""
    area_nouns = res.word_classes["admin_noun"] | res.word_classes["place_noun"]
    return res.gazetteer.knows(span.text) or (res.gazetteer.knows(span[0].text) and len(span) > 1
                                              and all(t.lemma_.lower() in area_nouns for t in span[1:]))


# A misspelt name stands for the most populous of the places one slip from it only when
# that place is this many times more populous than the next: "Naguar" is neither Nagar
# (25,572 people) nor Nagaur (105,218).
MISSPELT_MARGIN = 10
# ... and only a town this big (or a district or a region): a slip from a village's name is
# as likely another village the gazetteer lacks ("Mukuru" of Nairobi is no Muhuru).
MISSPELT_MIN_POPULATION = 20_000


def misspelt_place(span: Span, text: str, res: ExtractionResources, weights: dict,
                   beside: list[Place] = ()) -> Place | None:
    """The place a name the gazetteer does not know stands for when it is one typing slip
    from the own or curated name of a town, district or region of the country the
    article is most about (``Gazetteer.near_spellings``): "Jhenidah" for Jhenaidah,
    "Peshewar" for Peshawar. Only a name no entry of any country has, that is no English
    word, no part of a longer name, no village's and no modifier of a noun ("a Kanwar
    group": pilgrims, not Karwar), and only in an article whose country is known; where
    its sentence names places of that country (``beside``), only one in the province of
    one of them ("Ramaganj in Lalmohan upazila of Bhola district" is no Ramganj of
    Lakshmipur: the regions named elsewhere in the article do not count, a note moves
    on to other districts); where two places are one slip away and neither is far the
    bigger, none."""
    if not weights or res.gazetteer.knows(text) or name_key(text) in res.word_classes["non_place_name"] \
            or any(english_word(token, set(), res) for token in span
                   if not inner_article(token, span) and not opens_longer_arabic_name(token, span, res)) \
            or inside_a_persons_name(span) \
            or names_a_small_place(span, res.word_classes) or not written_as_a_name(span) \
            or used_attributively(span, res) \
            or (span.start > 0 and is_capitalized(span.doc[span.start - 1]) and span.doc[span.start - 1].pos_ == "PROPN"
                and not span.doc[span.start - 1].is_sent_start):
        return None  # (a name that runs on from another: "SDM Swati Bhaduria", a surname)
    country = max(weights, key=weights.get)
    level = division_named(span)
    # One entry a place: a town and the district named after it (same name but for
    # "District", same province: Peshawar and Peshawar District) are one, the town kept
    # unless the text names a division ("the province of Hassakeh": the division of that
    # level); two towns of one name in two provinces are two.
    places: dict[tuple, Place] = {}
    for key in res.gazetteer.near_spellings(text, country):
        for place, kind in res.gazetteer.entries(key):
            # (a division by another of its names where the text names a division: "Deir
            # el-Zour province" is Dayr az Zawr, whose other names spell it "Deir ez-Zor")
            other_name = kind == ALTERNATE and not (level is not None and place.feature_type in ("admin1", "admin2"))
            if other_name or place.country_iso3 != country or place.latitude is None \
                    or not (place.feature_type in ("admin2", "admin1")
                            or (place.feature_type == "city" and place.population >= MISSPELT_MIN_POPULATION)) \
                    or not in_a_province_beside(place, beside):
                continue
            # (spelt with or without a space: the town "Joypur Hat", the district "Joypurhat")
            same = (transliteration_skeleton(name_key(region_stem(place.name))), place.admin1)
            best = places.get(same)
            if best is None or fits_the_level(place, level) > fits_the_level(best, level):
                places[same] = place
    fold_divisions_into_towns(places, level)
    ranked = sorted(places.values(), key=lambda place: -place.population)
    if not ranked or (len(ranked) > 1 and ranked[0].population < MISSPELT_MARGIN * max(ranked[1].population, 1)):
        return None
    return ranked[0]


# Division nouns by the level of GeoNames division they name ("Khulna district" is the
# district, "Khulna division" the region); the others name a first-level division.
DISTRICT_NOUNS = frozenset({"district", "county", "tehsil", "zila", "zilla", "agency"})


def division_of_that_name(span: Span, text: str, town: Place, res: ExtractionResources) -> Place | None:
    """The division a name stands for where the text names it one ("Idlib province",
    "the province of Idlib", ``division_named``) and the gazetteer read its seat: the
    division of that name in the seat's country, in (or being) the seat's province if one
    is ("Bijapur district" of Chhattisgarh is not Karnataka's Bijapur), of that level if
    there is one."""
    noun = introducing_noun(span, REGION_SUFFIXES)
    if noun is None or noun.lemma_.lower() == "region":
        return None  # ("the Pacific region", "the Sahel region": no division of that name)
    level = division_named(span)
    divisions = [place for place in res.gazetteer.candidates(text)
                 if place.feature_type in ("admin1", "admin2") and place.country_iso3 == town.country_iso3
                 and place.latitude is not None]
    return max(divisions, default=None, key=lambda place: (
        town.admin1 is not None and town.admin1 in (place.admin1, place.name),
        place.feature_type == level, place.population))


def fold_divisions_into_towns(places: dict[tuple, Place], level: str | None) -> None:
    """One entry for a town and the division it lies in that GeoNames names in another
    transliteration (the town "Deir ez-Zor", its province "Dayr az Zawr":
    ``vowel_pattern``), the one that fits the level the text names kept; ``places`` is
    keyed by skeleton and province. Two towns a vowel apart stay two ("Nagar",
    "Nagaur"), and so do a district and a town outside it."""
    for key, division in list(places.items()):
        if division.feature_type == "city":
            continue
        pattern = vowel_pattern(key[0])
        town = next((other for other, place in places.items() if place.feature_type == "city"
                     and other[1] == key[1] and other != key and vowel_pattern(other[0]) == pattern
                     and (division.feature_type == "admin1" or place.admin2 == division.name)), None)
        if town is not None:
            places[town] = max(places[town], division, key=lambda place: fits_the_level(place, level))
            del places[key]


def division_named(span: Span) -> str | None:
    """The level of division the text names a place as, if it does: "admin2" for
    "Hassakeh district" or "the districts of A and B", "admin1" for "Hassakeh province",
    "the province of Hassakeh"; None for a town or a name alone."""
    noun = introducing_noun(span, REGION_SUFFIXES)
    if noun is None:
        return None
    return "admin2" if noun.lemma_.lower() in DISTRICT_NOUNS else "admin1"


def fits_the_level(place: Place, level: str | None) -> tuple:
    """How well a place fits the level the text names: the division of that level, else
    any division, where it names one; the town where it names none; then the bigger."""
    if level is None:
        return place.feature_type == "city", 0, place.population
    return place.feature_type == level, place.feature_type != "city", place.population


def written_as_a_name(span: Span) -> bool:
    """Every word capitalized, but for the Arabic article and the hyphen that joins it
    ("Deir az-Zour", "Maaret al-Numan", "al-Hassakeh"); the last word capitalized."""
    doc = span.doc
    return is_capitalized(span[-1]) and all(
        is_capitalized(t) or inner_article(t, span) or (t.text == "-" and span.start < t.i < span.end - 1 and (
            inner_article(doc[t.i - 1], span) or inner_article(doc[t.i + 1], span))) for t in span)


def inner_article(token: Token, span: Span) -> bool:
    """The Arabic article of a name, any word of it but the last: "az" of "Deir
    az-Zour", "al" of "al-Hassakeh" (no English word there)."""
    return token.lower_ in ARABIC_ARTICLES and span.start <= token.i < span.end - 1


def in_a_province_beside(place: Place, beside: list[Place]) -> bool:
    """Whether a place shares its province with a place of its country named in the same
    sentence (or is that province), when the sentence names any."""
    provinces = {region_stem(other.admin1 if other.feature_type != "admin1" else other.name)
                 for other in beside if other.country_iso3 == place.country_iso3
                 and (other.admin1 or other.feature_type == "admin1")}
    if not provinces:
        return True
    own = place.name if place.feature_type == "admin1" else place.admin1
    return bool(own) and region_stem(own) in provinces


def names_a_small_place(span: Span, classes: dict[str, set[str]]) -> bool:
    """Whether a noun for a place smaller than a town introduces the name: "the village
    of Kienge", "Mutongo locality", "Kienge village", "the Mukuru slums"."""
    return introducing_noun(span, classes["small_place_noun"]) is not None


def introducing_noun(span: Span, nouns: set[str] | frozenset[str]) -> Token | None:
    """The noun among ``nouns`` (by lemma) that introduces a name: right after it
    ("Kienge village", "Hassakeh province") or before its "of" ("the village of
    Kienge", "the province of Hassakeh")."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.lemma_.lower() in nouns:
        return after
    before = doc[span.start - 2] if span.start >= 2 and doc[span.start - 1].lower_ == "of" else None
    return before if before is not None and before.lemma_.lower() in nouns else None


def part_of_a_date(token: Token, res: ExtractionResources) -> bool:
    """Whether a word the model tags a date or a time is part of one: a date word ("March",
    "Eid"), a word in lower case, a word of a longer date ("mid-August", "Friday night").
    A capitalized name tagged alone may be a town the model could not read ("In
    Gaibandha, a bus was torched")."""
    if token.ent_type_ not in ("DATE", "TIME"):
        return False
    doc = token.doc
    alone = token.ent_iob_ == "B" and (token.i + 1 == len(doc) or doc[token.i + 1].ent_iob_ != "I")
    date_words = res.word_classes["non_place_name"]
    return not alone or not token.text[:1].isupper() or token.lower_ in date_words \
        or token.lower_.rstrip("s") in date_words  # "Saturdays blast", its apostrophe lost


MISTAGGED_NAME_LABELS = {"PERSON", "GPE", "LOC"}
NAME_POS = {PROPN, NOUN}  # the parts of speech tagged_name takes


def tagged_name(token: Token, known_words: frozenset[str]) -> bool:
    """Whether the model reads a word as a name: a proper noun, or a capitalized word
    tagged a common noun but inside a person or place entity ("In Jumla, the police
    ...": a plural noun, and a person). Not "Day" of "Teachers' Day", an event."""
    # Not "al", the hyphen of "Abu al-Varnok" nor "bank" of a river, which the model may
    # tag proper nouns; a name written in lower case still is one ("in imphal").
    if not any(ch.isalpha() for ch in token.text) or token.text in ARABIC_ARTICLES \
            or (token.text.islower() and token.text in known_words):
        return False
    if token.pos_ == "PROPN":
        return True
    return token.pos_ == "NOUN" and token.ent_type_ in MISTAGGED_NAME_LABELS and token.is_alpha \
        and token.text[:1].isupper() and not token.is_sent_start


def accorded(token: Token) -> bool:
    """Whether a name follows "according to"."""
    head = token.head
    return token.dep_ == "pobj" and head.lower_ == "to" and head.i > 0 and token.doc[head.i - 1].lower_ == "according"


def place_position(token: Token, classes: dict[str, set[str]]) -> str | None:
    """Where a name stands if a place's name would stand there: "admin" before an
    administrative noun ("Borno state", "Dantewada and Sukma districts"), "area" before
    another area noun, "preposition" after a locative preposition or in "the town of X",
    "apposition" beside such a name ("in Pirkoh, Dera Bugti"), "inhabitants" in
    "residents of X"; else None."""
    head = token.head
    area_nouns = classes["admin_noun"] | classes["place_noun"]
    if token.dep_ == "compound" and head.lemma_.lower() in area_nouns:
        if opens_arabic_name(token, classes):
            return None  # "the Bab al-Maqam neighbourhood": the gate of a name, no town
        return "admin" if head.lemma_.lower() in classes["admin_noun"] else "area"
    named = first_in_list(token)  # "Dantewada and Sukma districts": both name districts
    if named.dep_ in ("compound", "nmod") and named.head.lemma_.lower() in classes["admin_noun"] \
            and listed_before_noun(token, named.head):
        return "admin"
    if token.dep_ == "pobj" and head.lower_ == "of" and names_inhabitants(head.head, classes) \
            and token.ent_type_ not in PLACE_LABELS:
        return "inhabitants"
    after_preposition = after_place_preposition(token, classes)
    # "in Pirkoh, Dera Bugti": the district a town lies in, set beside the town's name
    beside_a_place = token.dep_ == "appos" and head.pos_ == "PROPN" and head.dep_ == "pobj" \
        and head.head.lower_ in classes["locative_prep"] and token.left_edge.i > head.i \
        and token.doc[token.left_edge.i - 1].is_punct
    if not (after_preposition or beside_a_place) or token.ent_type_ in PLACE_LABELS:
        return None  # a place entity after a preposition: the entity pass has seen it
    return "preposition" if after_preposition else "apposition"


def first_in_list(token: Token) -> Token:
    """The first of names joined by "and" before it, which stands where they all do."""
    while token.dep_ == "conj" and token.head.i < token.i:
        token = token.head
    return token


def after_place_preposition(token: Token, classes: dict[str, set[str]]) -> bool:
    """Whether a word is the object of a locative preposition ("in X", "near X"), of
    "of" after an area noun ("the town of X"), or of "including" right after such a
    place ("protests across Punjab, including Rawalpindi and Lahore", "in several
    districts, including Kurigram")."""
    token = first_in_list(token)  # "including Rawalpindi and Lahore": both
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "including":
        return place_before_including(head, classes) is not None
    return token.dep_ == "pobj" and (
        head.lower_ in classes["locative_prep"]
        or (head.lower_ == "of" and head.head.lemma_.lower() in classes["admin_noun"] | classes["place_noun"]))


def listed_before_noun(token: Token, noun: Token) -> bool:
    """Whether a capitalized name stands right before an administrative noun, or in a
    list of names right before it ("Dantewada and Sukma districts"), not in a name the parse
    broke ("the Bab al-Maqam neighbourhood", "al-Joura": Bab and Joura are no places
    of their own)."""
    if not is_capitalized(token) or is_acronym(token) or not token.i < noun.i \
            or (token.i > 0 and not token.doc[token.i - 1].whitespace_):
        return False  # "al-Joura neighbourhoods": Joura is half a name
    return all(t.lower_ in ("and", ",") or (t.pos_ == "PROPN" and is_capitalized(t) and t.whitespace_)
               for t in token.doc[token.i + 1:noun.i]) and bool(token.whitespace_)


def name_span(token: Token, covered: set[int], res: ExtractionResources) -> Span:
    """The whole name a proper noun ends: "Deir ez-Zor" for "Zor"."""
    doc, head = token.doc, token.head
    start = token.i
    while start > 0 and doc[start - 1].i not in covered:
        before = doc[start - 1]
        first = arabic_name_start(doc[start], res)
        if first is not None and not any(i in covered for i in range(first, start)):
            # "Ras al-Ain", "Tell al-Sud": the article and the word before it belong to
            # the name (not Al Ain in the Emirates, not a region called Sud)
            start = first
        elif before.pos_ == "PROPN" and before.head in (token, head):
            start -= 1
        elif before.text == "-" and not before.whitespace_ and start > 1 and not doc[start - 2].whitespace_ \
                and doc[start - 2].text[:1].isupper():
            start -= 2  # "KwaZulu-Natal", not Natal in Brazil
        else:
            break
    return doc[start:token.i + 1]


def whole_name(span: Span, res: ExtractionResources, covered: set[int], actor_spans: dict) -> Span:
    """The longest name the gazetteer knows that holds ``span``, from where its entity
    or the span begins: the parse may break a name ("in Dera Ghazi Khan" with "Ghazi
    Khan" read as the subject: Dera Ghazi Khan, not a Dera in Ethiopia; "In Lower Dir":
    Lower Dir, not Dir)."""
    doc = span.doc
    area_nouns = res.word_classes["admin_noun"] | res.word_classes["place_noun"]  # "Hyderabad City" is Hyderabad
    starts = {span.start}
    ent_start = next((ent.start for ent in entities(doc) if ent.start <= span.start < ent.end), None)
    if ent_start is not None:
        starts.add(ent_start)
    best = span
    for start in sorted(starts):
        if any(i in covered for i in range(start, span.start)):
            continue
        known = longest_known_name(doc, start, res, covered, actor_spans)
        if known is not None and known[0].end >= span.end and len(known[0]) > len(best) \
                and not any(t.lemma_.lower() in area_nouns for t in doc[span.end:known[0].end]):
            best = known[0]
    return best


def place_of_name(span: Span, admin_area: bool, res: ExtractionResources, weights: dict,
                  regions: dict | None = None) -> Place | None:
    """The place a name in a place position stands for, if the gazetteer knows it well
    enough: a region before "province", else a country, a region, a town of 5,000+ or a
    town in a country the article is about."""
    if len(span) == 1 and is_acronym(span[0]) and not acronym_is_place(res.gazetteer.entries(span.text)):
        return None  # "BNP district" is the party's, not Bannu (an alternate name)
    if nationality_as_town(span.text, res.gazetteer.candidates(span.text), res.demonyms):
        return None  # "the Kazakh capital": a nationality, not a town known by it as well
    if admin_area:
        areas = [p for p in res.gazetteer.candidates(span.text) if p.feature_type in ("admin1", "admin2", "region")
                 and (not weights or p.country_iso3 in weights)]
        place = max(areas, key=lambda p: (p.feature_type != "admin2", p.population)) if areas \
            else res.gazetteer.resolve(span.text, weights, regions)
    else:
        place = res.gazetteer.resolve(span.text, weights, regions)
    if place is None or place.latitude is None or far_off(place, weights, res, regions, span) \
            or name_key(span.text) in res.word_classes["non_place_name"] \
            or generic_name_abroad(span.text, place, weights, res.word_classes):
        return None  # "Haramaya university" is no town called University
    if (place.feature_type in ("country", "admin1", "admin2", "region", "continent")
            or place.population >= PLACE_POSITION_TOWN or place.country_iso3 in weights):
        return place
    return None


def repeated_mentions(doc: Doc, found: list[tuple[Span, Place]], actor_spans: dict):
    """Other mentions of a name already placed in this article ("one sense per
    discourse"): the tagger may miss "Palma's residents" after "the town of Palma"."""
    by_text = {span.text: place for span, place in found}
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    extra = []
    for i, text in enumerate(token_texts(doc)):
        place = by_text.get(text)
        if place is None:
            continue
        token = doc[i]
        if token.i in covered or token.i in actor_spans or token.pos_ != "PROPN" \
                or token.ent_type_ in NOT_PLACE_LABELS or inside_longer_name(token):
            continue
        extra.append((doc[token.i:token.i + 1], place))
    return extra


NAMED_PLACE_PREPOSITIONS = {"in", "at", "of", "from", "near"}
NAME_LABELS = {"ORG", "FAC", "PERSON", "NORP", "GPE", "LOC"}
ENGLISH_CONNECTORS = {"of", "at", "an", "as", "am", "upon"}  # name connectors that are English words


def places_in_names(doc: Doc, res: ExtractionResources, found: list[tuple[Span, Place]],
                    actor_spans: dict, weights: dict) -> list[tuple[Span, Place]]:
    """Big towns and regions the article names only inside other names, or where the
    model took them for a person or an organisation: "the Lahore Press Club", "East
    Delhi Municipal Corporation", "the Shikarpur chapter", "members of Kannauj". Never
    a word the article also writes in lower case, a date or event ("Independence Day"),
    or a lone capital at a sentence's start ("Mobile phone services were cut").

    They are not rows of the places table (a reader asks where "the Lahore Press Club"
    is no more than GeoVirus does), but they say where a short report is when it names
    no place of its own: an event's last resort before its country alone
    (``event_location``, source "named")."""
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    texts = token_texts(doc)
    lowercase_words = {text for text in texts if text.islower()}
    named = []
    i = 0
    while i < len(doc):
        # (a name begins with a capital: the other tokens are skipped by their text)
        match = longest_known_name(doc, i, res, covered, actor_spans) \
            if is_capitalized_text(texts[i]) and texts[i].lower() not in lowercase_words and may_name(doc[i]) \
            else None
        if match is None:
            i += 1
            continue
        span, entries = match
        place = big_place_named(span, entries, weights, lowercase_words, res)
        i = span.end if place is not None else i + 1  # "East Delhi" is a district: try "Delhi"
        if place is None or (weights and place.country_iso3 not in weights) or not begins_name(span) \
                or names_a_person(span, res) or name_key(span.text) in res.word_classes["non_place_name"] \
                or names_a_bank(span):
            continue  # "Mirpur" of Dhaka in a Bangladesh story is not the district in Pakistan
        named.append((span, place))
    return named


def big_place_named(span: Span, entries, weights: dict, lowercase_words: set[str],
                    res: ExtractionResources) -> Place | None:
    """``big_place`` of a name the text writes, but not a district of a country the
    article does not name when the name begins with a common English word ("Union",
    "East Delhi"): no evidence of that country."""
    place = big_place(entries, weights)
    if place is not None and place.feature_type == "admin2" and not weights \
            and english_word(span[0], lowercase_words, res, nouns=False):
        return None
    return place


def names_a_bank(span: Span) -> bool:
    """"Allahabad Bank", "Bank of Baroda": a bank's name says nothing of where its staff
    strike or its branch is robbed."""
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ == "bank":
        return True
    return span.start >= 2 and doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ == "bank"


def may_name(token: Token) -> bool:
    """Whether a capitalized word can begin a name that holds a place: in a name the
    model tagged (an organisation, a person, a group, a place), or untagged but not a
    lone word whose capital only opens the sentence."""
    if token.ent_type_:
        return token.ent_type_ in NAME_LABELS
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return not token.is_sent_start or (following is not None and is_capitalized(following))


def begins_name(span: Span) -> bool:
    """Whether a place name comes first in the name it is part of: "Lahore Press Club",
    "Karachi press club", not the "Union" of "Students' Union" or "Trade Union Congress"."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and ((doc[i].is_punct and doc[i].text in "'’-") or doc[i].lower_ in COMPASS_WORDS):
        i -= 1  # "East Delhi Municipal Corporation" begins with Delhi's part
    if i >= 1 and doc[i].lower_ in NAME_CONNECTORS - ENGLISH_CONNECTORS and is_capitalized(doc[i - 1]):
        return False  # "Mocimboa da Praia" is not Praia; "Municipal Corporation of Dehradun" is
    if i >= 0 and doc[i].is_sent_start and doc[i].lower_ in SENTENCE_OPENERS:
        return True  # a sentence's opening "The" or "In" is no part of the name: "The Kerala Fishermen Federation"
    return i < 0 or not is_capitalized(doc[i]) or doc[i].is_sent_end or "\n" in doc[i].text


# Articles and prepositions that open a sentence before a name they are no part of.
SENTENCE_OPENERS = frozenset({"the", "a", "an", "in", "at", "on", "near"})


def big_place(entries, weights: dict) -> Place | None:
    """The one region, town or district of ``BIG_TOWN`` people that a name is the own
    name of (not an alternate spelling: "Day" is no short name of Dayton here), the town
    first ("Delhi" the city, not the territory); None when it has namesakes of a tenth
    of its size in other countries and the article's countries do not choose
    ("Punjab", "Hyderabad")."""
    own = [place for place, kind in entries
           if kind in (ALIAS, MAIN) and place.latitude is not None and place.country_iso3]
    # A district only in a country the article is about ("Union" is a county in the US),
    # or, in an article that names no country, one named after a town of its own
    # ("Khairpur District" and Khairpur, "the Khairpur Press Club").
    towns = [place for place, _ in entries if place.feature_type == "city"]
    big = [place for place in own if place.population >= BIG_TOWN
           and (place.feature_type in ("city", "admin1") or (
               place.feature_type == "admin2" and (place.country_iso3 in weights or (
                   not weights and any(seat_of(town, place) for town in towns)))))]
    if not big:
        return None
    largest = max(place.population for place in big)
    rivals = {place.country_iso3 for place in own if place.population >= largest / 10}
    if len(rivals) > 1:
        big = [place for place in big if weights.get(place.country_iso3)]
        if len({place.country_iso3 for place in big}) != 1:
            return None
    rank = {"city": 2, "admin1": 1}
    return max(big, key=lambda place: (rank.get(place.feature_type, 0), place.population))


def seat_of(town: Place, district: Place) -> bool:
    """Whether a town of a district's name may be its seat: in its province, and in the
    district itself where the gazetteer says which ("Khairpur Mir's", known as Khairpur,
    in Khairpur District; no Clark in Clark County, Nevada)."""
    return town.country_iso3 == district.country_iso3 and bool(town.admin1) \
        and fold(town.admin1) == fold(district.admin1) \
        and (town.admin2 is None or fold(town.admin2) == fold(district.name))


def names_a_person(span: Span, res: ExtractionResources) -> bool:
    """"George Washington", "President Lincoln", "Houston said": the name is a
    person's. A single word the model tags as a person is a town only after a
    preposition of place ("members of Kannauj")."""
    if told_as_person(span, res):
        return True
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    for ent in entities(doc):
        if ent.label_ != "PERSON" or not (ent.start <= span.start and span.end <= ent.end):
            continue
        if len(ent) == len(span):
            return (before is None or before.lower_ not in NAMED_PLACE_PREPOSITIONS) and not used_attributively(span, res)
        # "George Washington" is a person; "Shikarpur chapter" a misread name
        return all(is_capitalized(token) or token.is_punct for token in ent)
    return False


def opens_longer_arabic_name(token: Token, span: Span, res: ExtractionResources) -> bool:
    """Whether a word is the common noun that opens a name of more words ("Khan" of "Khan
    Shaykun", "Tell" of "Tell Minis"; word class ``arabic_generic_head``): an English
    word only alone."""
    return token.i < span.end - 1 and token.lower_ in res.word_classes["arabic_generic_head"]


def used_attributively(span: Span, res: ExtractionResources) -> bool:
    """Whether a name modifies a common noun inside a phrase that a determiner opens, as
    a town's name does: "the Jaffna divisional secretariat", "a senior Gurgaon police
    officer" (the model tags both names as persons). Not a noun of what a person leads
    or owns (word class ``person_led_noun``: "the Kennedy administration", "the Harris
    campaign")."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    head = span.root.head
    classes = res.word_classes
    if after is None or not after.is_lower or not after.is_alpha or span.root.dep_ not in ("compound", "amod", "nmod") \
            or head.i < span.end or head.pos_ != "NOUN" or head.lemma_.lower() in classes["person_led_noun"] \
            or head.lemma_.lower() in classes["place_noun"] | classes["admin_noun"]:
        return False  # ("the Khan Shaykun town": a place's name before a place noun)
    return any(child.dep_ == "det" and child.i < span.start for child in head.children)


def told_as_person(span: Span, res: ExtractionResources) -> bool:
    """Whether the words around a name make it a person's: a title before it ("President
    Lincoln") or a reporting verb or "who" after it ("Houston said")."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if before is not None and before.lower_.rstrip(".") in res.word_classes["person_title"]:
        return True
    return after is not None and ((after.lower_ in reporting_forms(res) and not is_capitalized(after))
                                  or after.lower_ == "who")  # not "Tamil Nadu State Credit ... Federation"


def main_place(places: list[tuple[Span, Place]], res: ExtractionResources) -> tuple[Span, Place] | None:
    """The article's most mentioned scene below country level (its first mention; the
    earliest on a tie), if any. Only the parsed sentences count: the names of the
    others, read without the model, would outvote them in a long article about many
    places; nor do names the model took for dates ("near Manbij on July 19"), placed but
    no vote."""
    scenes = [(span, place) for span, place in places
              if place.feature_type != "country" and place_is_scene(span, res, set())
              and span.root.ent_type_ not in MISREAD_NAME_LABELS]
    if not scenes:
        return None
    counts = Counter((place.name, place.country_iso3) for _, place in scenes)
    best = max(counts.values())
    return min((sp for sp in scenes if counts[(sp[1].name, sp[1].country_iso3)] == best),
               key=lambda sp: sp[0].start)


def inside_longer_name(token: Token) -> bool:
    """Whether a capitalized word runs on into its neighbours ("Nelson" of "Nelson
    Mandela", "Franklin" of "Franklin Elementary")."""
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return bool((before is not None and is_capitalized(before) and before.whitespace_ and not token.is_sent_start)
                or (after is not None and is_capitalized(after) and token.whitespace_))


def place_row(article_id: str, span: Span, place: Place) -> dict:
    return {"article_id": article_id, "text": span.text, "start": span.start_char,
            "end": span.end_char, "name": place.name, "geonameid": place.geonameid,
            "latitude": place.latitude, "longitude": place.longitude,
            "country_iso3": place.country_iso3, "admin1": place.admin1,
            "feature_type": place.feature_type, "admin2": place.admin2,
            "geo_precision": place.geo_precision}


def event_location(ctx: SentenceContext, trigger: Token, verb: Token | None, has_scene: bool = True,
                   protest: bool = False, violence: bool = False):
    """(span or None, place, precision, source) for an event, the best the article
    supports: the place attached to the trigger (before a bare country, the town a venue
    it is at is named after: ``town_of_venue``), else the nearest place in the sentence
    that can be a scene, else the place of what a ``protest`` is against
    (``place_of_a_grievance``), else the last scene of the sentence before it in the same
    paragraph, else the first of the sentence after it, else the article's main place,
    else the dateline, else a big place named inside another name (``places_in_names``).
    A country named as the scene of an event that ``has_scene`` (an attack, a protest,
    an arrest; not a statement or a meeting) yields to a place inside it that the
    sentence also locates the event at (``scene_inside``). For ``violence`` (an attack),
    where a party is based, banned or comes from is no scene. (No place at all: see
    ``frames.locate_event`` for the country.)"""
    sent, res = ctx.sent, ctx.res
    anchors = clause_anchors(trigger, verb)
    in_sentence = [(span, place) for span, place in ctx.places if sent.start <= span.start < sent.end]
    # "protested at the Lahore Press Club against the killing of two journalists in
    # Karachi": where the killing was, which the protest is about; its scene only when the
    # sentence names no other (the protest is often in the same town).
    grievances = [(span, place) for span, place in in_sentence
                  if place_of_a_grievance(span.root, anchors, res)] if protest else []
    grieved = frozenset(span.start for span, _ in grievances)
    in_sentence = [(span, place) for span, place in in_sentence if span.start not in grieved]
    if violence:
        # where a party is based or banned is no scene of its violence ("the UK-based
        # Syrian Observatory", "Daesh (outlawed in Russia) militants"); "troops based in
        # Baidoa were attacked" there (``seat_of_a_party`` tells the participle apart), and
        # a group's base is where its protest is when the text names no other, as ACLED
        # codes it
        in_sentence = [(span, place) for span, place in in_sentence if not named_as_a_seat(span, BAN_VERBS)]
    attached = attached_place(in_sentence, anchors, res, has_scene, whence_no_scene=violence)
    if (attached is None or attached[2] == 3) and not any(place.geo_precision == 1 for _, place in in_sentence):
        venue = town_of_venue(ctx, anchors)
        if venue is not None and (attached is None or attached[1].country_iso3 == venue[1].country_iso3):
            return venue
    if attached is not None:
        attached = capital_owned(attached, res) or attached
        if attached[1].feature_type == "country" and has_scene:
            inside = scene_inside(sent, attached[1], ctx, anchors, grieved)
            if inside is not None:
                return inside
        return attached
    scenes = [(span, place) for span, place in in_sentence
              if place_is_scene(span, res, anchors, place, ctx.country_weights)]
    if scenes:
        span, place = nearest_precise(scenes, trigger)
        if place.feature_type == "country" and has_scene:
            inside = scene_inside(sent, place, ctx, anchors, grieved)
            if inside is not None:
                return inside
        return span, place, place.geo_precision, "sentence"
    if grievances:
        span, place = nearest_precise(grievances, trigger)
        return span, place, place.geo_precision, "sentence"
    before = scenes_of(previous_sentence_in_paragraph(sent), ctx)
    if before:
        span, place = before[-1]
        return span, place, place.geo_precision, "previous"
    after = scenes_of(next_sentence_in_paragraph(sent), ctx)
    if after:
        span, place = after[0]
        return span, place, place.geo_precision, "next"
    capital = capital_in(sent, ctx)
    if capital is not None:
        return capital
    if ctx.main_place is not None:
        span, place = ctx.main_place
        return span, place, place.geo_precision, "article"
    mentioned = [(span, place) for span, place in in_sentence if place.feature_type != "country"]
    if mentioned:
        # A place the sentence names in no scene position ("in parts of Savar upazila of
        # Dhaka district"): nearer the event than anything outside the sentence.
        span, place = min(mentioned, key=lambda sp: abs(sp[0].root.i - trigger.i))
        return span, place, place.geo_precision, "mentioned"
    if ctx.dateline is not None:
        return None, ctx.dateline, ctx.dateline.geo_precision, "dateline"
    named = [(span, place) for span, place in ctx.named_places if sent.start <= span.start < sent.end]
    if ctx.named_places:
        # Near the town or in the region a name names ("protested at the Lahore Press
        # Club"): the one in the event's sentence nearest to it, else the article's first.
        span, place = min(named, key=lambda sp: abs(sp[0].root.i - trigger.i)) if named else ctx.named_places[0]
        return span, place, max(place.geo_precision, 2), "named"
    return None, None, None, None


def venue_of_talks(root: Token, anchors: set[int], classes) -> bool:
    """Whether a place names or locates a gathering that is not the event itself ("was
    excluded from the Geneva peace talks", "at talks in Astana"): the venue of talks, no
    scene of the fighting they are told beside."""
    if root.dep_ in ("compound", "nmod"):
        noun = root.head
    elif root.dep_ == "pobj" and root.head.lower_ in ("in", "at"):
        noun = root.head.head
    else:
        return False
    return noun.i not in anchors and noun.lower_ in classes["talks_noun"]


def venue_named(span: Span, place: Place, core: set[int]) -> bool:
    """Whether a town names the talks it modifies ("the Geneva peace talks", "the Astana
    meeting"): a meeting's venue, as a deal's ("the Aleppo truce") is its subject; a
    country so named is what the talks are about ("Syria peace talks")."""
    root = span.root
    return place.feature_type == "city" and root.dep_ in ("compound", "nmod") and root.head.i in core \
        and root.head.pos_ == "NOUN"


def where_made(ctx: SentenceContext, triggers: list[Token], verb: Token | None, meeting: bool = False):
    """(span, place, precision, source) for where a statement, demand, agreement or
    decision was made, else Nones. It happens where it was made (``docs/judging.md``),
    and the places such a sentence names are mostly its subject matter ("called for a
    truce in Aleppo", "accused the regime of shelling Douma", "talks on Aleppo"):

    - "attached": a place a locative preposition joins to the trigger, its verb or a
      "Speaking at ..." clause ("met in Geneva", "agreed in Havana"), to its speakers
      ("militias in Tripoli agreed to a truce"), or to the audience or gathering it was
      made to or at ("told reporters in Ankara", "at talks in Astana"). Not the place of
      whoever reports it: in "officials in Bogota said the rebels had agreed in Havana"
      Bogota is the reporters'. A ``meeting`` is also where it goes ("visited
      Damascus"), any place a locative preposition joins to it ("met his counterpart
      in Baghdad") and a place that names it ("the Geneva talks", ``venue_named``).
    - "sentence": else a scene its own clause names outside what it is about (not in its
      object, complement, participle or a non-locative prepositional phrase: "accused
      Turkey of shelling Afrin"; nor a clause joined to it, which is another event's),
      or the clause it is the purpose of, when that tells of no event of its own ("came
      together in Peshawar to condemn")."""
    # "signed a peace agreement in Pretoria": the noun of every trigger of the event counts
    core = {t.i for t in triggers} | ({verb.i} if verb is not None else set()) \
        | {t.head.i for t in triggers if t.dep_ == "compound"}
    # "Speaking at a news conference in Ankara, Erdogan accused ...": the speaking is the saying
    anchors = core | {c.i for a in core for c in ctx.doc[a].children
                      if c.dep_ == "advcl" and c.lemma_.lower() in ctx.res.word_classes["speaking_verb"]}
    made = [(span, place) for span, place in ctx.places
            if ctx.sent.start <= span.start < ctx.sent.end and (
                made_at(span.root, anchors, ctx.res)
                or (meeting and ((span.root.dep_ == "dobj" and span.root.head.i in core)
                                 or venue_named(span, place, core)
                                 or attached_by_preposition(span.root, core, ctx.res) is not None)))]
    if made:
        span, place = min(made, key=lambda sp: (sp[1].geo_precision or 3, sp[0].start))
        return span, place, place.geo_precision, "attached"
    head = verb if verb is not None else triggers[0]
    if head.dep_ in ("xcomp", "advcl") and head.head.i not in ctx.event_heads:
        head = head.head  # "came together in Peshawar to condemn", "filled the streets of Munnar, demanding"
    clause = {t.i for t in head.subtree} - {t.i for c in head.children if c.dep_ in CLAUSE_DEPS for t in c.subtree}
    content = statement_content(triggers, verb, ctx.res)
    around = [(span, place) for span, place in ctx.places
              if span.root.i in clause and span.root.i not in content
              and place_is_scene(span, ctx.res, anchors, place, ctx.country_weights)]
    if not around:
        return None, None, None, None
    span, place = nearest_precise(around, triggers[0])
    return span, place, place.geo_precision, "sentence"


CLAUSE_DEPS = frozenset({"conj", "parataxis"})  # another event's clause joined to the statement's


# What a statement is about hangs from its word by these relations ("accused Turkey of
# shelling Afrin", "called for a truce", "said that ...", "refused, saying he would only
# welcome him in Jerusalem"); a locative preposition instead tells where it was made.
CONTENT_DEPS = frozenset({"dobj", "ccomp", "xcomp", "advcl", "attr", "oprd", "dative", "acomp", "pcomp", "pobj",
                          "poss", "compound", "amod", "nmod", "appos", "acl", "relcl"})


def statement_content(triggers: list[Token], verb: Token | None, res: ExtractionResources) -> set[int]:
    """The token indexes of what a statement is about: the subtrees of its words'
    objects, complements and non-locative prepositional phrases."""
    content = set()
    for word in [*triggers, *([verb] if verb is not None else [])]:
        for part in word.children:
            about = part.dep_ in CONTENT_DEPS or (
                part.dep_ == "prep" and part.lower_ not in res.word_classes["locative_prep"])
            if about:
                content.update(t.i for t in part.subtree)
    return content


def made_at(token: Token, anchors: set[int], res: ExtractionResources) -> bool:
    """Whether a place joins an anchor by a locative preposition directly, or through an
    audience noun on the anchor."""
    node = token
    while node.dep_ in ("conj", "appos", "compound") and node.head is not node:
        node = node.head  # "in Geneva and Vienna", "in the Turkish capital Ankara"
    prep = node.head
    if node.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in res.word_classes["locative_prep"]:
        return False
    holder = prep.head
    if holder.i in anchors:
        return True
    if holder.dep_ in ("nsubj", "nsubjpass") and holder.head.i in anchors:
        return True  # where the speakers are: "Rival militias in Tripoli agreed to a truce"
    if holder.lemma_.lower() not in res.word_classes["audience_noun"]:
        return False
    if holder.dep_ in ("dobj", "dative"):
        return holder.head.i in anchors
    # "at a news conference in Geneva", "during talks in Astana"
    return holder.dep_ == "pobj" and holder.head.dep_ == "prep" and holder.head.head.i in anchors


def nearest_precise(places: list[tuple[Span, Place]], trigger: Token) -> tuple[Span, Place]:
    """The most precise place, which wins over a country named beside it ("in Khost
    province of Afghanistan") as a district does over its province, then the nearest to
    the trigger."""
    return min(places, key=lambda sp: sp[1].specificity * 1000 + abs(sp[0].root.i - trigger.i))


def scenes_of(sent: Span | None, ctx: SentenceContext) -> list[tuple[Span, Place]]:
    """The places of a neighbouring sentence that can be a scene, in text order: a place
    after a locative preposition, or what an attack, a protest or an arrest of it hit
    ("pressed their offensive to retake Sirte. At least 10 IS militants were killed in
    the fighting": Sirte; ``scene_heads``)."""
    if sent is None:
        return []
    return [(span, place) for span, place in ctx.places
            if sent.start <= span.start < sent.end
            and (place_is_scene(span, ctx.res, set(), place, ctx.country_weights)
                 or (span.root.dep_ in ("dobj", "nsubjpass") and span.root.head.i in ctx.scene_heads))]


SUMMING_PREPS = frozenset({"in", "at", "on", "near", "around", "outside", "across", "throughout"})


def separate_scenes(ctx: SentenceContext, trigger: Token, verb: Token | None,
                    others: tuple[Token, ...] = ()) -> list[Place]:
    """The distinct places an event is told at, when its clause joins two or more of
    them ("killed 12 people in Aleppo and Idlib", "in Daraa al-Balad and in al-Lajat",
    "attacked Kafr Nabl and Maarat al-Numan"): a sum of events over places, one each in
    ACLED's coding. Only places the trigger or its verb locates directly count, or its
    object or passive subject does ("people in A and B"): not where a party operates
    or comes from ("Boko Haram, which operates in Nigeria and Cameroon, attacked",
    "militants in Syria and Iraq attacked"), nor a border of two countries. Places nested
    in each other ("in Kafr Batna in Eastern Ghouta", "in Aleppo and Aleppo province")
    are one scene; "between A and B" or "from A" is no list of scenes. These are sums
    too: a list that lost its commas (``unpunctuated_runs``), two tolls told with one
    verb ("killed 45 in Aleppo and 22 in Idlib") and the trigger's verb told again
    (among ``others``, the event's other triggers) by no other author at another place
    ("30 were killed in Aleppo province and another 39 were killed in Idlib province")."""
    # (a noun trigger's verb among the other triggers is its clause: "shelling killed ...")
    anchors = clause_anchors(trigger, verb) | {o.i for o in others if o.i == trigger.head.i or joined_toll(o, trigger)}
    classes = ctx.res.word_classes
    scenes = []
    sentence_places = [(span, place) for span, place in ctx.places if ctx.sent.start <= span.start < ctx.sent.end]
    gapped = False
    for span, place in sentence_places:
        root = span.root
        if gapped_toll_place(root, anchors, classes):
            scenes.append(place)  # "killed 45 civilians in Aleppo and 22 in Idlib province"
            gapped = True
            continue
        if not in_a_list(root):
            continue
        first = root
        while first.dep_ == "conj" and first.head is not first:
            first = first.head  # "Idlib" of "in Aleppo and Idlib": where "Aleppo" hangs
        if located_directly(first, anchors, classes):
            scenes.append(place)
    for run in unpunctuated_runs(sentence_places):
        if run_located(run, anchors, classes) and len({place.country_iso3 for _, place in run}) == 1:
            scenes += [place for (span, place), (after, bigger) in zip(run, run[1:] + [(None, None)])
                       if not inside_the_next(span, place, after, bigger)]
    own = [place for span, place in sentence_places if place_located(span, anchors, classes)] \
        if gapped or others else []
    if gapped:
        scenes += own  # where the first toll was
    author = author_of_verb(verb if verb is not None else trigger)
    for other in others:
        # the same verb again, by no other author: "militants killed 3 soldiers in Homs, and
        # troops killed 5 militants in Hama" are two parties' acts, not one act's sum (as
        # are another verb's: "fired rockets at Israel, and warplanes struck ... Lebanon")
        other_author = author_of_verb(other)
        if other.pos_ == "VERB" and other.i not in anchors and other.lemma_ == trigger.lemma_ and (
                author is None or other_author is None or author.lemma_.lower() == other_author.lemma_.lower()):
            theirs = [place for span, place in sentence_places if place_located(span, {other.i}, classes)]
            if theirs and own:
                scenes += own + theirs
    distinct: list[Place] = []
    for place in scenes:
        if any(place == other or place.contains(other) or other.contains(place) for other in distinct):
            continue
        distinct.append(place)
    return distinct if len(distinct) > 1 else []


# Verbs of a toll told beside the killing with one prepositional phrase for both: "four
# were killed and 25 others injured in attacks in A, B and C".
JOINED_TOLL_LEMMAS = frozenset({"injure", "wound"})


def joined_toll(other: Token, trigger: Token) -> bool:
    """Whether another trigger of the event is a toll joined to the trigger ("killed and
    25 injured", "killed and 25 others injured"), whose places are the event's."""
    if other.lemma_.lower() not in JOINED_TOLL_LEMMAS:
        return False
    return (other.dep_ == "conj" and other.head.i == trigger.i) or (
        other.dep_ == "acl" and other.head.dep_ == "conj" and other.head.head.i == trigger.i)


def unpunctuated_runs(places: list[tuple[Span, Place]]) -> list[list[tuple[Span, Place]]]:
    """Runs of two places or more written one after the other with only joining words
    between and no joining word at one join at least: a list that lost its commas
    ("attacks in Damascus Homs & Aleppo", ``toponyms.unpunctuated_list``), which the
    model parses as one name. A list with its commas is parsed as one."""
    runs, run, bare = [], [], False
    for span, place in places:
        if run:
            between = span.doc[run[-1][0].end:span.start]
            if len(between) <= 2 and all(t.lower_ in RUN_JOINERS for t in between):
                bare = bare or not len(between)
                run.append((span, place))
                continue
            if len(run) > 1 and bare:
                runs.append(run)
        run, bare = [(span, place)], False
    if len(run) > 1 and bare:
        runs.append(run)
    return runs


def author_of_verb(verb: Token) -> Token | None:
    """A verb's active subject or its passive's agent: who did it, where the text says."""
    return child(verb, "nsubj") or prep_object(verb, {"by"})


def inside_the_next(span: Span, place: Place, after: Span | None, bigger: Place | None) -> bool:
    """Whether a place named right before another lies in it: a small place before a big
    city ("Lyari Karachi"), a town before the name of its own district or province
    ("Tral Pulwama", "Hyderabad Sindh"). One scene, not two ("Damascus Aleppo" are two)."""
    if after is None or span.end != after.start:
        return False
    if bigger.feature_type == "city" and bigger.population >= BIG_TOWN and place.population < BIG_TOWN:
        return True
    named = name_key(after.text)
    return named in {name_key(place.admin2 or ""), name_key(place.admin1 or "")}


def run_located(run: list[tuple[Span, Place]], anchors: set[int], classes) -> bool:
    """Whether a run of places locates the event: the word the run hangs on, reached
    through the names and nouns the model wrongly joined to it ("Aleppo" as a compound
    of "Hama", "Quneitra" in apposition), is located directly (``located_directly``)."""
    start, end = run[0][0].start, run[-1][0].end
    node = next((span.root for span, _ in run if not start <= span.root.head.i < end), run[-1][0].root)
    for _ in range(4):
        if located_directly(node, anchors, classes):
            return True
        if node.dep_ not in ("compound", "appos", "conj", "nmod", "poss") or node.head.i == node.i:
            return False
        node = node.head
    return False


def place_located(span: Span, anchors: set[int], classes) -> bool:
    """Whether a place, or the place noun it names ("Idlib province"), is located
    directly (``located_directly``)."""
    return located_directly(place_noun_of(span.root, classes), anchors, classes)


def place_noun_of(root: Token, classes) -> Token:
    """The place noun a name modifies ("Idlib" of "Idlib province"), or the name."""
    if root.dep_ in ("compound", "amod") and root.head.lemma_.lower() in classes["admin_noun"] | classes["place_noun"]:
        return root.head
    return root


def gapped_toll_place(root: Token, anchors: set[int], classes) -> bool:
    """A place of the second of two tolls told with one verb ("killed 45 civilians in
    Aleppo and 22 in Idlib province"): the place (or the place noun it names) is the
    object of a preposition on a number joined to the verb, to its object or to the
    first place ("in and around Aleppo and 22 in Idlib", as the model may parse it)."""
    node = place_noun_of(root, classes)
    if node.dep_ != "pobj" or node.head.dep_ != "prep" or node.head.lower_ not in SUMMING_PREPS:
        return False
    number = node.head.head
    if number.dep_ != "conj" or not number.like_num:
        return False
    head = number.head  # the verb, its object, or the first place the parse joined it to
    for _ in range(4):
        if on_the_clause(head, anchors):
            return True
        if head.dep_ not in ("conj", "pobj", "prep") or head.head.i == head.i:
            return False
        head = head.head
    return False


def in_a_list(root: Token) -> bool:
    """Whether a place noun is one of coordinated places: "A and B", "in A and in B"."""
    prep = root.head if root.dep_ == "pobj" else None
    return root.dep_ == "conj" or any(c.dep_ == "conj" for c in root.children) or (
        prep is not None and (prep.dep_ == "conj" or any(c.dep_ == "conj" for c in prep.children)))


def located_directly(node: Token, anchors: set[int], classes) -> bool:
    """Whether a place noun is the trigger's or its verb's object ("attacked A and B"),
    or a summing preposition joins it to them, to their object or passive subject
    ("in A", "and in B", "killed 12 people in A") or to an attack they are told in
    ("injured in attacks in A and B", "killed by airstrikes in A")."""
    if node.dep_ in ("dobj", "nsubjpass") and node.head.i in anchors:
        return True
    if node.dep_ != "pobj":
        return False
    prep = node.head
    while prep.dep_ == "conj" and prep.head is not prep:
        prep = prep.head  # "in Daraa al-Balad and in al-Lajat"
    if prep.dep_ != "prep" or prep.lower_ not in SUMMING_PREPS:
        return False
    head = prep.head
    if head.dep_ == "pobj" and head.head.dep_ in ("prep", "agent") and head.head.head.i in anchors \
            and any(in_word_classes(word, classes, ACT_NOUN_CLASSES)
                    for word in (head.lemma_.lower(), head.lower_.removesuffix("s"))):  # "Attacks" in a headline
        return True
    return on_the_clause(head, anchors)


def on_the_clause(token: Token, anchors: set[int]) -> bool:
    """Whether a word is the trigger or its verb, or their object or passive subject."""
    return token.i in anchors or (token.dep_ in ("dobj", "nsubjpass") and token.head.i in anchors)


def scene_inside(sent: Span, country: Place, ctx: SentenceContext, anchors: set[int],
                 skipped: frozenset[int] = frozenset()):
    """(span, place, precision, "sentence") for a place below country level in the
    country an event's sentence names as its scene, where the sentence locates the event
    there too ("imposed a curfew in the town of Cizre in southeastern Turkey"): a path
    up the parse to the trigger or its verb that passes no other verb ("a spokesman in
    Abuja said" locates the speaker, "troops based in Kismayo" the troops). None
    otherwise: a town of another sentence is no better than the country. Places starting
    at ``skipped`` tokens are not taken (a protest's grievance)."""
    for span, place in ctx.places:
        if not sent.start <= span.start < sent.end or place.feature_type == "country" or span.start in skipped \
                or place.country_iso3 != country.country_iso3:
            continue
        node = span.root
        for _ in range(8):
            if node.i in anchors:
                return span, place, place.geo_precision, "sentence"
            if node.head is node or (node.pos_ in ("VERB", "AUX") and node is not span.root):
                break
            node = node.head
    return None


def capital_owned(found: tuple, res: ExtractionResources) -> tuple | None:
    """"in Syria's capital": the capital of a country found as the possessor of the word
    "capital", as (span, place, precision, source), the span running to "capital"; not
    an economic, an oil or a former capital, nor one named beside it."""
    span, place, _, source = found
    if place.feature_type != "country" or span is None or span.root.dep_ != "poss" \
            or span.root.head.lower_ != "capital" or span.root.head.i < span.start:
        return None
    if any(c.dep_ in ("amod", "compound", "nmod", "appos") for c in span.root.head.children):
        return None  # "Benin's economic capital Cotonou", "Nigeria's oil capital": not the seat
    capital = res.gazetteer.capital(place.country_iso3)
    return (span.doc[span.start:span.root.head.i + 1], capital, 1, source) if capital is not None else None


def capital_in(sent: Span, ctx: SentenceContext):
    """"in the capital", "the capital's Hazaribagh area": the capital of the country the
    article is about, when the sentence names no place of its own."""
    for token in sent:
        if token.lower_ != "capital" or token.pos_ not in ("NOUN", "PROPN") or not any(
                c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            continue
        if prep_object(token, {"of"}) is not None:
            continue  # "the capital of Tigray" names its own place
        countries = ctx.country_weights or Counter(p.country_iso3 for _, p in ctx.places if p.country_iso3)
        if not countries:
            return None
        iso3 = max(countries.items(), key=lambda kv: kv[1])[0]
        place = ctx.res.gazetteer.capital(iso3)
        if place is not None:
            return sent.doc[token.i:token.i + 1], place, 1, "capital"
    return None


# Nouns of position that hand a place on to their "of" ("in front of the Quetta Press Club").
POSITION_NOUNS = frozenset({"front", "outside", "premises", "vicinity", "gate", "gates"})


def place_of_a_grievance(node: Token, anchors: set[int], res: ExtractionResources) -> bool:
    """Whether a place locates the act of violence or repression a protest is against:
    up the parse from the place, a grievance noun, then "against" or "over" on the
    trigger or its verb ("rallied against the killing of Muslims in Burma", "protested
    over the attack on a church in Lahore"). Not a place of the grievance's other words
    ("against the government in Bordode": the parse often hangs the protest's own scene
    there)."""
    grievance = False
    for _ in range(MAX_GRIEVANCE_DEPTH):
        head = node.head
        if head is node or node.i in anchors:
            return False
        if node.pos_ in ("NOUN", "PROPN") and node.lemma_.lower() in res.word_classes["grievance_noun"]:
            grievance = True
        if node.dep_ == "prep" and head.i in anchors:
            return grievance and node.lower_ in res.word_classes["grievance_prep"]
        node = head
    return False


# How far up the parse a grievance's place may hang from the trigger ("against the
# killing of hundreds of Muslims in Burma": place, in, hundreds, of, killing, against).
MAX_GRIEVANCE_DEPTH = 8


def town_of_venue(ctx: SentenceContext, anchors: set[int]):
    """(span, town, 1, "attached") when a locative preposition puts the event at a venue
    named after the town it stands in ("protested outside the Quetta Press Club", "a
    rally at Rajshahi University", "in front of Hyderabad press club", "outside Amdanga
    police station"): in the town the venue's name begins with, as ACLED codes it (a
    town, geo precision 1), if it is a big one or the town of a big district (``big_place``,
    ``Gazetteer.namesake_town``) and no person's name, and the
    venue is of a kind named after towns (word class ``town_venue``: clubs, courts,
    universities; not hospitals, memorials or roads, named after people or where they
    lead: "Jackson Memorial Hospital", "Mombasa Road"). The gazetteer reads no place in
    the venue's whole name, so nothing else would."""
    doc, res = ctx.doc, ctx.res
    for anchor in sorted(anchors):
        for prep in doc[anchor].children:
            if prep.dep_ != "prep" or prep.lower_ not in res.word_classes["locative_prep"]:
                continue
            venue = child(prep, "pobj")
            if venue is not None and venue.lower_ in POSITION_NOUNS:
                of = next((c for c in venue.children if c.dep_ == "prep" and c.lower_ == "of"), None)
                venue = child(of, "pobj") if of is not None else None
            if venue is None or venue.lemma_.lower() not in res.word_classes["town_venue"]:
                continue
            first = next((t for t in doc[venue.left_edge.i:venue.i] if is_capitalized(t)), None)
            match = longest_known_name(doc, first.i, res, set(), ctx.actor_spans) if first is not None else None
            if match is None or match[0].end > venue.i:
                continue  # no name before the venue's noun: an ordinary place, attached already
            span, entries = match
            if not span[-1].whitespace_ and doc[span.end].text == "-":
                continue  # "the Dhaka-Chittagong Highway", "a Rajshahi-bound bus": not in Dhaka
            place = big_place_named(span, entries, ctx.country_weights, set(), res)
            if place is not None and place.feature_type == "admin2":
                place = res.gazetteer.namesake_town(place)  # "the Khairpur Press Club": the district's town
            if place is None or place.feature_type != "city" or not begins_name(span) \
                    or names_a_person(span, res) or name_key(span.text) in res.word_classes["non_place_name"] \
                    or (ctx.country_weights and place.country_iso3 not in ctx.country_weights
                        and place.population < WORLD_CITY):
                continue  # (a world city is no namesake: "the Lahore Press Club" in a story of Burma)
            return span, place, 1, "attached"
    return None


def attached_place(in_sentence: list[tuple[Span, Place]], anchors: set[int], res: ExtractionResources,
                   has_scene: bool = True, whence_no_scene: bool = False):
    """(span, place, precision, "attached") for the most precise place that a locative
    preposition joins to the trigger or its verb; "near" a town is less than in it."""
    attached = [(span, place, attached_by_preposition(span.root, anchors, res, has_scene, whence_no_scene))
                for span, place in in_sentence if not state_that_struck(span, place, res)]
    attached = [a for a in attached if a[2]]
    if not attached:
        return None
    attached = [place_within(a, in_sentence, res) for a in attached]
    # "in Kaya (Kaya, Sanmatenga), Centre-Nord region": the town, not the region; "in
    # Rajasthan's Dausa district": the district, not the state.
    span, place, prep = min(attached, key=lambda a: (a[1].specificity, a[0].start))
    precision = place.geo_precision
    if prep in ("near", "outside", "around") and precision == 1:
        precision = 2
    return span, place, precision, "attached"


def place_within(found: tuple, in_sentence: list[tuple[Span, Place]], res: ExtractionResources) -> tuple:
    """For a place that names the town a part of it is told of ("in the Damascus suburb
    of Jaramana", "the Aleppo district of Sheikh Maqsoud", "the Homs neighbourhood of
    Zahra"), that part, when the gazetteer placed it and it is no larger (not "in
    Jehanabad district of Bihar", the district's state). Else the place found."""
    span, place, prep = found
    root = span.root
    noun = root.head
    if root.dep_ not in ("compound", "nmod", "amod", "poss") or noun.i == root.i \
            or noun.lemma_.lower() not in res.word_classes["place_noun"]:
        return found
    part = prep_object(noun, {"of"})
    inner = next(((s, p) for s, p in in_sentence if part is not None and s.start <= part.i < s.end
                  and p.specificity <= place.specificity), None)
    return (inner[0], inner[1], prep) if inner is not None else found


def state_that_struck(span: Span, place: Place | None, res: ExtractionResources) -> bool:
    """A country named before a state's armed act in a clause that names no other author
    ("killed in a US airstrike", "US airstrikes kill 23", "died in Pakistan shelling"):
    the state that struck, the event's author as ``actors.noun_roles`` takes it, not its
    scene. A country's name does so only before a weapon of states
    (``state_strike_noun``; "killed in a Pakistan bombing", "a Nigeria attack" are
    there); one that is also a nationality ("US", "U.S.") before an assault as well ("a
    US raid", ``armed_assault_noun``). (A nationality adjective, "Turkish shelling", is
    never read as a place.) With another author the country is where it was ("ISIS
    kills 50 in central Syria attack", "Russia says it killed 7 in a Syria air strike").
    Only for a mention read as a country (``place``), never a town ("a Kabul attack")."""
    token = span.root
    if place is None or place.feature_type != "country" or token.dep_ not in ("compound", "amod", "nmod"):
        return False
    act = token.head
    lemma, classes = act.lemma_.lower(), res.word_classes
    nationality = token.lower_ in res.demonyms
    if lemma not in classes["state_strike_noun"] and not (nationality and lemma in classes["armed_assault_noun"]):
        return False
    if child(act, "poss") is not None or prep_object(act, {"by"}) is not None:
        return False  # "a Syria strike by Russian jets"
    verb = governing_verb(act)
    if verb is None:
        return False  # a headline the model read as names ("ISIL Kills over 50 in Central Syria Attack")
    if child(verb, "nsubjpass") is not None or reduced_passive(verb, classes["harm_verb"]):
        author = prep_object(verb, {"by"})  # "45 were killed in a US airstrike": the dead
    else:
        author = subject_of(verb)
    return author is None or act.left_edge.i <= author.i <= act.right_edge.i


def country_marking_abroad(span: Span, place: Place | None, res: ExtractionResources) -> bool:
    """A country named as the home of a foreign presence ("outside the US embassy", "a
    China-based firm"): the embassy or the firm is abroad, the country no scene."""
    return (place is None or place.feature_type == "country") \
        and foreign_presence_of(span.root, res.word_classes) is not None


# The verbs of ``seat_verb`` that tell where a party is banned ("outlawed in Russia"):
# never where its violence was, whatever it hit; "-based" counts with any of them.
BAN_VERBS = frozenset({"outlaw", "ban", "prohibit", "proscribe"})


# What may join a noun holding the place to the event: "fired at a bus in Kabul",
# "clashed with militants in Swat", "a convoy of troops in Gao".
PARTY_PREPOSITIONS = frozenset({"of", "with", "between", "by", "among", "amongst"})


def attached_by_preposition(token: Token, anchors: set[int], res: ExtractionResources,
                            has_scene: bool = False, whence_no_scene: bool = False) -> str | None:
    """The preposition joining a place to the trigger or its verb, if it is locative.
    For an event that ``has_scene``, not a place inside what the event is about, which
    another preposition joins to it ("protested against his support for militants in
    Pakistan": not in Pakistan); a statement is placed at what it is about when the text
    does not say where it was made (``frames.locate_statement``). Where
    ``whence_no_scene`` (violence, not a protest), not where a party came from ("foreign
    mercenaries from Tunisia were killed"; but "farmers from Tohana blocked a highway"
    protested at home, as ACLED codes them). Never the venue of talks told beside it
    (``venue_of_talks``)."""
    if owns_no_place(token, res.word_classes) or venue_of_talks(token, anchors, res.word_classes):
        return None
    prep = None
    node = previous = token
    for _ in range(6):
        if node.head is node:
            return None
        if opens_act_answered(node, res):
            return None  # "its attack was a response to an offensive on Zabadani": the act answered
        if node.dep_ == "prep" and not names_the_area(node, res.word_classes):
            if prep is None and whence_no_scene and told_whence(node, anchors) and node.head.pos_ in ("NOUN", "PROPN"):
                return None  # "mercenaries from Tunisia were killed", "fighters from Idlib attacked": whence
            if prep is None:
                # (", including" after a place's phrase: that phrase's preposition, "protests
                # across Punjab, including Rawalpindi")
                before = place_before_including(node, res.word_classes)
                prep = before.head.lower_ if before is not None else node.lower_
            elif has_scene and about_the_event(node, previous, res):
                return None
        if node.dep_ == "relcl" and prep == "from":
            return None  # "killed 34 fighters who entered the country from Iraq": whence they came
        previous = node
        node = node.head
        if node.i not in anchors and seat_of_a_party(node, anchors, res):
            return None  # "Daesh, a group outlawed in Russia, attacked": where it is banned
        if node.i in anchors:
            return prep if prep in res.word_classes["locative_prep"] else None
    return None


def place_before_including(including: Token, classes: dict[str, set[str]]) -> Token | None:
    """The object of a locative preposition right before ", including" ("protests across
    Punjab, including Rawalpindi": Punjab), else None; not a time ("detained over the
    weekend, including Ali Wazir")."""
    doc = including.doc
    if including.lower_ != "including" or including.i < 2 or doc[including.i - 1].text != ",":
        return None
    before = doc[including.i - 2]
    if before.dep_ != "pobj" or before.head.lower_ not in classes["locative_prep"] \
            or before.ent_type_ in ("DATE", "TIME"):
        return None
    return before


def told_whence(preposition: Token, anchors: set[int]) -> bool:
    """Whether a "from" tells where someone or something came from ("delegations from
    Ethiopia", "fighters from Idlib"), not what the event left ("withdrew from Gao")."""
    return preposition.lower_ == "from" and preposition.head.i not in anchors


def names_the_area(preposition: Token, classes: dict[str, set[str]]) -> bool:
    """An "of" that names the town, village or division a noun for one stands for ("in
    the town of Kafr Zeita", "the province of Idlib"; word classes ``settlement_noun``,
    ``small_place_noun``): its place is where that noun is. Not after a direction or an
    edge ("west of Damascus", "the outskirts of Erbin", "the countryside of Idleb": not
    there), nor after a noun with a name of its own, where "of" names the area it lies
    in ("the Tirah Valley of Khyber Agency", "Jehanabad district of Bihar")."""
    noun = preposition.head
    return preposition.lower_ == "of" \
        and noun.lemma_.lower() in classes["settlement_noun"] | classes["small_place_noun"] \
        and not any(c.pos_ == "PROPN" for c in noun.children if c.i < noun.i)


def owns_no_place(token: Token, classes: dict[str, set[str]]) -> bool:
    """Whether a place is the possessor of a thing that is no place ("Syria's civil war",
    "Russia's defence ministry", "took Syria's war to the Assad clan's hometown"): no
    scene. A possessor of a place is one ("Syria's Idlib province", "Syria's north",
    "Aleppo's Salaheddin district")."""
    if token.dep_ != "poss":
        return False
    owned = token.head
    words = [owned, *(c for c in owned.children if c.dep_ == "compound")]  # "Syria's Shayrat air base"
    return not (owned.ent_type_ in PLACE_LABELS or any(
        word in OWNED_PLACE_WORDS or in_word_classes(word, classes, OWNED_PLACE_CLASSES)
        for t in words for word in (t.lemma_.lower(), t.lower_)))


# What a country's possessive owns that is a place ("Syria's Idlib province", "Syria's
# Shayrat airbase", "Pakistan's border posts", "Libya's Es Sider oil terminal"); not a
# ministry, a war or an army.
OWNED_PLACE_CLASSES = ("place_noun", "admin_noun", "settlement_noun", "held_ground", "military_target")
OWNED_PLACE_WORDS = frozenset({"border", "frontier", "coast", "terminal", "refinery", "oilfield", "field"})


def about_the_event(prep: Token, noun: Token, res: ExtractionResources) -> bool:
    """Whether a preposition on the way from a place to its event makes the place part
    of what the event is about ("against", "for", "to" his support): any but a locative
    or temporal one ("during a protest in Accra") or one that joins a party ("at a bus in
    Kabul", "with militants in Swat", "of troops"); "to" a place noun is locative ("took
    to the streets in Tura")."""
    word = prep.lower_
    if word in res.word_classes["reason_prep"]:
        return True
    return not (word in res.word_classes["locative_prep"] or word in PARTY_PREPOSITIONS
                or word in res.word_classes["temporal_prep"]  # "arrested during a protest in Accra"
                or (word == "to" and noun.lemma_.lower() in res.word_classes["place_noun"]))


def seat_of_a_party(token: Token, anchors: set[int], res: ExtractionResources) -> bool:
    """Whether a verb tells where a party is based or banned ("the Observatory, based in
    Britain, said", "Daesh, a group outlawed in Russia, attacked"), or where armed men
    stand ("terrorists positioned in Eastern Ghouta fired at al-Mazraa"), not where the
    event's target was ("Kenyan troops based in Somalia were attacked": the scene)."""
    lemma = token.lemma_.lower()
    positioned = lemma in res.word_classes["position_verb"]
    if token.pos_ != "VERB" or not (positioned or lemma in res.word_classes["seat_verb"]):
        return False
    noun = token.head
    while noun.dep_ in ("appos", "conj") and noun.head is not noun:
        noun = noun.head
    if positioned:
        # Only the attacker of fire from afar: "gunmen positioned in Kulgam opened fire on
        # a patrol", "a checkpoint located in Kulgam came under attack", "the villages
        # located in Hasakah" are there. (The model may read the participle as a verb of
        # its own, with the firing verb's subject: ``stranded_position``.)
        fired = next((token.doc[i] for i in anchors
                      if stranded_position(token.doc[i], res.word_classes["position_verb"]) == token), None)
        if fired is not None:
            noun = child(token, "nsubj")
        elif noun.dep_ == "nsubj":
            fired = noun.head
        # (an armed noun, or one an armed word modifies: "terrorist groups")
        return fired is not None and noun is not None and fired.i in anchors \
            and fired.lemma_.lower() in res.word_classes["remote_fire_verb"] \
            and any(res.agents.get(word.lemma_.lower()) in ARMED_SECTORS
                    for word in [noun, *(c for c in noun.children if c.dep_ in ("amod", "compound"))])
    hit = noun.dep_ in ("dobj", "nsubjpass", "pobj", "attr") and (
        noun.head.i in anchors or noun.head.head.i in anchors)
    return not hit


# Sectors of the parties that fire from positions (state forces and armed groups).
ARMED_SECTORS = frozenset({"MIL", "REB"})
# The words before a name that make it where something happened, in a sentence without
# a tree: not "from" or "to" (where people came from or went), not "capital of".
SCENE_WORDS = frozenset({"in", "at", "near", "outside", "inside", "around", "within"})


def scene_by_words(span: Span) -> bool:
    """"in Yei", "near the town of Yei": by the words before the name."""
    doc = span.doc
    position = word_before(span)
    if position >= 2 and doc[position].lower_ == "of" and doc[position - 1].lower_ in ("town", "village", "city"):
        position -= 2  # "in the town of Yei"
        if doc[position].lower_ == "the":
            position -= 1
    return position >= 0 and doc[position].lower_ in SCENE_WORDS


def dominant_country(weights: dict | None) -> str | None:
    """The country an article is about, if it outweighs every other twice over."""
    if not weights:
        return None
    ranked = sorted(weights.values(), reverse=True)
    return max(weights, key=weights.get) if len(ranked) == 1 or ranked[0] >= 2 * ranked[1] else None


def in_act_answered(token: Token, anchors: set[int], res: ExtractionResources) -> bool:
    """Whether a place is inside the act an event answered, with the event outside it:
    "its attack was a response to an offensive by the army on Zabadani"."""
    for ancestor in token.ancestors:
        if ancestor.i in anchors:
            return False
        if opens_act_answered(ancestor, res):
            return not any(t.i in anchors for t in ancestor.subtree)
    return False


def place_is_scene(span: Span, res: ExtractionResources, anchors: set[int],
                   place: Place | None = None, weights: dict | None = None) -> bool:
    """Whether a place mention can be where an event happened: "in Gwoza", "near the
    town of Palma", "attacked Kidal"; not a country acting or named as a party
    ("Egypt and Sudan agreed", "a US drone strike", "talks with Iran"). In a sentence
    the pre-filter left unparsed, the words before it tell ("Gunshots heard near the
    police station in Yei."), for a ``place`` below country level in the country the
    article is about (``weights``, ``dominant_country``): without the model's tags such a
    sentence's names are less sure ("en route to Jaji, Kaduna" is no district of
    Afghanistan; "came from Lviv by bus" is no scene)."""
    if not was_parsed(span.doc, span.start):
        return place is not None and place.feature_type != "country" \
            and place.country_iso3 == dominant_country(weights) and scene_by_words(span)
    if state_that_struck(span, place, res) or owns_no_place(span.root, res.word_classes) \
            or venue_of_talks(span.root, anchors, res.word_classes) or in_act_answered(span.root, anchors, res):
        return False
    node = span.root
    for _ in range(4):
        if node.dep_ in ("compound", "appos", "conj", "poss", "nmod", "amod", "npadvmod") and node.head is not node:
            node = node.head
        else:
            break
    if node.dep_ == "pobj":
        prep = node.head
        if prep.lower_ == "from":
            return not told_whence(prep, anchors)  # "withdrew from Gao", not "delegations from Ethiopia"
        classes = res.word_classes
        if prep.head.i not in anchors and seat_of_a_party(prep.head, anchors, res):
            return False  # "the Observatory, based in Britain", "a group outlawed in Russia"
        if prep.lower_ in classes["locative_prep"]:
            return True
        nouns = classes["place_noun"] | classes["admin_noun"]
        # The word as written too: the model lemmatizes "outskirts" to "outskirt".
        if prep.lower_ == "of" and (prep.head.lemma_.lower() in nouns or prep.head.lower_ in nouns):
            return True  # "the town of Palma", "the outskirts of Goma"
    if node.dep_ in ("dobj", "nsubjpass") and node.head.i in anchors:
        return True  # "attacked Kidal", "Kidal was shelled"
    return False
