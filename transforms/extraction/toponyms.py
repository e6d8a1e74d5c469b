"""Toponyms the model did not tag: a gazetteer-driven matcher over every sentence, parsed
or not. Pure spaCy, no Beam.

    mentions = find_toponym_mentions(doc, res, actor_spans)
      -> [ToponymMention(span "Pandi", entries=[...]), ToponymMention(span "Bulacan", ...)]

The pre-filter sends only sentences that can hold an event to the model, so the other
sentences carry no named entities but country names. There, a run of capitalized
words (with "al-", "de", "ez" and hyphens inside) is looked up in the gazetteer, longest
name first, and kept as a toponym unless its context says otherwise:

* it is part of a longer name ("World Health Organization", "University of California");
* it names a person: after a title ("President Jordan"), before a reporting verb
  ("Nuland said"), or the article's model tagged that word as a person elsewhere;
* its capital letter says nothing (the first word of a sentence, a headline in title
  case) and the place is small;
* it is a common word ("March", "Buffalo" where the article also writes "buffalo").

Whether the place is then taken, and which namesake, is ``places.resolve_mention``'s
decision (the article's countries and regions, the admin hierarchy, population).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

from spacy.attrs import IS_ALPHA, IS_STOP
from spacy.tokens import Doc, Span, Token

from newsevents.transforms.extraction.dates import MONTHS, WEEKDAYS
from newsevents.transforms.extraction.gazetteer import Place, haversine_km
from newsevents.transforms.extraction.gazetteer_build import ALIAS, ALTERNATE
from newsevents.transforms.extraction.parsing import was_parsed
from newsevents.transforms.extraction.prefilter import inflections
from newsevents.transforms.extraction.resources import ExtractionResources
from newsevents.transforms.extraction.syntax import MONTH_WORDS, PLACE_LABELS, WEEKDAY_WORDS, entities, token_texts

# Lower-case words that may stand inside a place name: "Deir ez-Zor", "Rio de Janeiro".
# The Arabic article as news spells it, joined to the next word by a hyphen ("Ras al-Ain");
# standing alone ("Tell es Safi") only the forms that are no English word.
ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "an", "ash", "at", "az", "ez", "es"})
LONE_ARABIC_ARTICLES = ARABIC_ARTICLES - {"ad", "as", "an", "at"}
NAME_CONNECTORS = ARABIC_ARTICLES | {
    "de", "del", "di", "da", "do", "dos", "das", "la", "le", "les", "los", "las", "of", "upon", "sur", "am",
    "bin", "ibn", "abu", "bou", "ben", "van", "von", "der", "den", "y", "-", "'"}
MAX_NAME_TOKENS = 6
BIG_TOWN = 100_000  # a town this large is meant even where capitals say nothing
PLACE_POSITION_TOWN = 5000  # a town this large is meant by its name in a place position ("in X")
BIG_REGION = 100_000  # people in a region's towns, for its name to count as a region's first
AREA_FEATURES = {"country", "admin1", "continent", "region"}
# Entity labels that the model gives to things that are not places.
NOT_PLACE_LABELS = {"PERSON", "ORG", "NORP", "DATE", "TIME", "DATELINE", "MONEY", "PERCENT", "QUANTITY",
                    "CARDINAL", "ORDINAL", "WORK_OF_ART", "LAW", "PRODUCT", "EVENT", "LANGUAGE"}
IRREGULAR_REPORTING = {"said", "told", "wrote", "says", "tells"}


@dataclass
class ToponymMention:
    span: Span
    entries: list[tuple[Place, int]]  # the gazetteer's candidates and how each knows the name
    after_preposition: bool  # "in X", "near X", "the Ministry of Finance, X,": a place position
    weak_capital: bool  # first word of a sentence, or a title-case headline
    # Joined by "and", "or" or a comma to a place in a place position before it ("in
    # Aleppo and Idlib", "on Kafr Nabl, Hass and Maarat al-Numan"): the model often tags
    # the later names of such a list as persons or organisations.
    listed: bool = False
    # "residents of X" (a place position) or "X residents": of a place any country may have.
    of_inhabitants: bool = False

    @property
    def candidates(self) -> list[Place]:
        return [place for place, _ in self.entries]

    def is_area(self) -> bool:
        """Whether the name is first of all a country, region or continent."""
        best = self.entries[0][0]
        return best.feature_type in AREA_FEATURES or (best.feature_type == "admin2" and self.entries[0][1] == ALIAS)


def is_capitalized(token: Token) -> bool:
    return is_capitalized_text(token.text)


def is_capitalized_text(text: str) -> bool:
    return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text) \
        and not any(ch in "$€£¥" for ch in text)


def is_acronym(token: Token) -> bool:
    return token.text.isupper() and len(token.text) <= 4


@lru_cache(maxsize=8)
def _forms(words: frozenset[str]) -> frozenset[str]:
    return frozenset(form for word in words for form in inflections(word))


def reporting_forms(res: ExtractionResources) -> frozenset[str]:
    return _forms(frozenset(res.word_classes["reporting_verb"])) | IRREGULAR_REPORTING


def find_toponym_mentions(doc: Doc, res: ExtractionResources, actor_spans: dict,
                          covered: set[int] = frozenset()) -> list[ToponymMention]:
    """Every name the gazetteer knows in a place-like context, longest first, outside
    ``covered`` tokens and actor aliases."""
    classes = res.word_classes
    reporting = reporting_forms(res)
    person_words = person_name_words(doc)
    person_ents = tuple(ent for ent in entities(doc) if ent.label_ == "PERSON")
    texts = token_texts(doc)
    lowercase_words = {text for text in texts if text.islower()}
    title_case_lines = headline_token_ranges(doc)
    mentions = []
    i = 0
    while i < len(doc):
        # (a name begins with a capital: the other tokens are skipped by their text)
        match = longest_known_name(doc, i, res, covered, actor_spans) if is_capitalized_text(texts[i]) else None
        if match is None:
            i += 1
            continue
        run = unpunctuated_list(doc, i, match, res, covered, actor_spans)
        if run:
            # each name of the run a listed place: the model tags such runs as one person
            # or organisation ("Aleppo Homs Quneitra"), and capitals run on around each name
            mentions += [ToponymMention(span, entries, True, False, True) for span, entries in run
                         if span.text.lower() not in classes["non_place_name"]]
            i = run[-1][0].end
            continue
        span, entries = match
        listed = in_list_of_places(span, mentions, res) and not person_doing(span)
        inhabitants = of_inhabitants(span, classes)
        # Before its inhabitants a name is in a place position only where the model
        # tagged it a name ("Meerut residents"): untagged, it may be a common word or
        # an area's name ("Local residents", "Schengen residents").
        inhabitants_after = before_inhabitants(span, classes)
        mention = ToponymMention(span, entries, listed or inhabitants or after_locative_preposition(span, classes)
                                 or seat_of_institution(span, classes) or bracketed_town(span, classes)
                                 or (inhabitants_after and bool(span.root.ent_type_)),
                                 weak_capital(span, title_case_lines), listed,
                                 inhabitants or inhabitants_after)
        if keep_mention(mention, res, reporting, person_words, lowercase_words, person_ents):
            mentions.append(mention)
        i = span.end
    return mentions


LIST_JOINERS = frozenset({"and", "or", ",", "in", "on", "at"})
# An unnamed item of a list of places: "Damascus, its countryside, Aleppo and Homs".
LIST_ITEM_DETERMINERS = frozenset({"its", "their", "the"})
MAX_LIST_GAP = 5  # tokens: ", its countryside ," at most
# A name the model tagged that may head a list of places when a locative preposition
# comes before it and the gazetteer knows it ("in Saraqeb, Khan Sheikhoun and ...": the
# model tags such towns organisations or persons as often as places).
LIST_HEAD_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "PERSON"})
ENTITY_STARTS_KEY = "newsevents.entity_starts"  # the starts of ``entities(doc)``, for bisect


def in_list_of_places(span: Span, mentions: list[ToponymMention], res: ExtractionResources) -> bool:
    """Whether a name continues a list whose last item is a place in a place position,
    with only joining words between ("in Aleppo and Idlib", "in Daraa al-Balad and in
    al-Lajat", "on Kafr Nabl, Hass and Maarat al-Numan"), or an item that is a lowercase
    area noun ("in Damascus, its countryside, Aleppo, Homs and Hasaka": the model tags
    such names as persons). The last item is the last name kept, or a name the model
    tagged after a locative preposition (``LIST_HEAD_LABELS``; a name the gazetteer scan
    leaves to another pass, as an actor's alias: "Damascus"), if the gazetteer places it
    with no help from the article: after a name it does not know, "in Kadavantra, Kochi"
    is a town and its district, which is no list, and "from Bandra and Khar" names no
    village of Argentina that GeoNames calls Bandra too."""
    doc, classes = span.doc, res.word_classes
    sent = doc[span.start].sent
    previous = mentions[-1].span if mentions and (mentions[-1].after_preposition or mentions[-1].listed) else None
    tagged = None
    ents = entities(doc)
    starts = doc.user_data.get(ENTITY_STARTS_KEY)
    if starts is None:
        starts = doc.user_data[ENTITY_STARTS_KEY] = [ent.start for ent in ents]
    for ent in reversed(ents[:bisect.bisect_left(starts, span.start)]):
        if ent.start < sent.start:
            break  # (entities in text order: none further back is in the sentence)
        if ent.end <= span.start and ent.label_ in LIST_HEAD_LABELS and after_locative_preposition(ent, classes):
            tagged = ent
            break
    if tagged is not None and (previous is None or tagged.end > previous.end) \
            and res.gazetteer.resolve(tagged.text) is not None:
        previous = tagged
    if previous is None or not previous.sent.start <= span.start < previous.sent.end:
        return False
    between = doc[previous.end:span.start]
    if not 0 < len(between) <= MAX_LIST_GAP:
        return False
    joins = [t for t in between if t.lower_ in LIST_JOINERS]
    items = [t for t in between if t.lower_ not in LIST_JOINERS]
    if items and not (between[0].text == "," and between[-1].lower_ in (",", "and", "or")
                      and all(t.text.islower() and t.lower_ in LIST_ITEM_DETERMINERS
                              | classes["place_noun"] | classes["admin_noun"] for t in items)
                      and items[-1].lower_ not in LIST_ITEM_DETERMINERS):
        return False
    return len(joins) <= 3 and any(t.lower_ in ("and", "or") or t.text == "," for t in joins)


# What may stand between the names of a list that lost its commas ("Damascus Homs & Aleppo").
RUN_JOINERS = frozenset({"and", "&", "or", ","})


def unpunctuated_list(doc: Doc, start: int, first: tuple[Span, list], res: ExtractionResources,
                      covered, actor_spans) -> list[tuple[Span, list]] | None:
    """The names of a list of places whose commas the feed lost ("terrorist attacks in
    Damascus Homs & Aleppo", "killed 12 civilians in Syria's Aleppo Hama", "in Saraqeb
    Khan Sheikhoun Maarat al-Numan and Jabal al-Arbaeen"), as (span, entries) each, or
    None. The whole run of capitalized words must be such names, two or more, with no
    joining word between two of them at least (a list with its commas is read name by
    name), each a town of ``PLACE_POSITION_TOWN`` people or a division under its own
    name or another (English spellings are often GeoNames' other names: "Hama"), all of
    one country (not "Russia Turkey Iran", nor a person's name); no common word or
    direction ("Central Bureau", "North Kashmir"), no word that opens a person's name
    ("Abu Hassan": Mount Abu and Hassan are Indian towns) or an Arabic place name ("Bab
    Tadmor", a quarter of Homs, is no al-Bab), and an English noun only as a town or a
    division of ``BIG_TOWN`` people ("Paris Colony" is a quarter of Lahore). It ends
    before punctuation, a function word, a line's end or the end of the text: "the Kabul Kandahar
    highway" names a road, "Aleppo Hama Brigade" a group."""
    if start > 0 and is_capitalized(doc[start - 1]):
        return None
    run, match, bare_joint = [], first, False
    countries: set[str] | None = None
    while True:
        span, entries = match
        word = span.text.lower() if len(span) == 1 else None
        if word is not None and (word in res.common_words or word in NOT_NAME_OPENERS or word in NAME_CONNECTORS
                                 or word in res.word_classes["admin_noun"]
                                 or word in res.word_classes["arabic_generic_head"]):
            return None  # "Central Bureau", "North Kashmir", "Abu Hassan", "Kotwali Thana", "Bab Tadmor"
        # An English noun is a place in the run only as a big one: not "Paris Colony"
        noun = word is not None and word in res.known_words
        least = BIG_TOWN if noun else PLACE_POSITION_TOWN
        found = {place.country_iso3 for place, _ in entries if place.country_iso3 and (
            (place.feature_type in ("admin1", "admin2") and (not noun or place.population >= least))
            or (place.feature_type == "city" and place.population >= least))}
        countries = found if countries is None else countries & found
        if not countries:
            return None
        run.append(match)
        end = span.end
        while end < len(doc) and doc[end].lower_ in RUN_JOINERS and end - span.end < 2:
            end += 1
        after = doc[end] if end < len(doc) else None
        if after is None or not is_capitalized(after):
            break
        match = longest_known_name(doc, end, res, covered, actor_spans)
        if match is None:
            if end > span.end:
                break  # "in Aleppo Hama and Turkish forces": the list ends at its joiner
            return None  # "Aleppo Hama Brigade": the capitals run on
        bare_joint = bare_joint or end == span.end
    after = doc[run[-1][0].end] if run[-1][0].end < len(doc) else None
    if len(run) < 2 or not bare_joint or not (after is None or after.is_punct or after.is_stop
                                               or (after.is_space and "\n" in after.text)):
        return None
    if any(quarter_of_a_far_city(first, second, countries) for first, second in zip(run, run[1:])
           if first[0].end == second[0].start):
        return None  # "attacked in Karimabad Karachi": a quarter of Karachi, no town in Hunza
    return run


NAMESAKE_KM = 100  # a town this far from the city named after it is not the quarter meant


def quarter_of_a_far_city(first: tuple[Span, list], second: tuple[Span, list], countries: set[str]) -> bool:
    """Whether a small place's name stands right before a big city's, far from it: the
    name of a quarter of that city ("Karimabad Karachi", "Gulshan Dhaka") that the
    gazetteer knows only as a far town."""
    small = [place for place, _ in first[1] if place.country_iso3 in countries and place.latitude is not None]
    big = [place for place, _ in second[1] if place.country_iso3 in countries and place.feature_type == "city"
           and place.population >= BIG_TOWN and place.latitude is not None]
    if not small or not big or max(place.population for place in small) >= BIG_TOWN:
        return False
    city = max(big, key=lambda place: place.population)
    return all(haversine_km(p.latitude, p.longitude, city.latitude, city.longitude) > NAMESAKE_KM for p in small)


def longest_known_name(doc: Doc, start: int, res: ExtractionResources, covered, actor_spans):
    """(span, entries) of the longest gazetteer name starting at ``start``, or None (also
    when that token is covered, an actor alias or not capitalized)."""
    if start in covered or start in actor_spans or not is_capitalized(doc[start]):
        return None
    if tail_of_a_name(doc[start], res):
        return None  # "Sud" of "Tell al-Sud": the whole name was tried from its first word
    end = start
    while end < len(doc) and end - start < MAX_NAME_TOKENS and end not in covered and end not in actor_spans:
        token = doc[end]
        if "\n" in token.text or (end > start and doc[end - 1].whitespace_ == "" and token.is_punct
                                  and token.text not in "-'"):
            break
        if not (is_capitalized(token) or token.lower_ in NAME_CONNECTORS):
            break
        end += 1
    for stop in range(end, start, -1):
        last = doc[stop - 1]
        if not is_capitalized(last):
            continue
        if stop - start == 1 and opens_arabic_name(doc[start], res.word_classes):
            continue  # "Bab" of "Bab al-Maqam": a gate, not the town of al-Bab
        span = doc[start:stop]
        text = span.text
        entries = res.gazetteer.entries(text)
        if not entries:
            continue
        if stop < end and small_town_before_article(doc, stop, [place for place, _ in entries]):
            continue  # "Shahba" of "Shahba al-Jadida", a district of Aleppo: no small town of that name
        if len(text.replace(".", "")) < 3 and not any(kind == ALIAS for _, kind in entries):
            continue  # "I", "Us": a two-letter place name only as a curated alias ("UK")
        if stop - start == 1 and is_acronym(doc[start]) and not acronym_is_place(entries):
            continue  # "WHO", "FAO", "DA" are agencies before they are towns
        if stop - start == 1 and nationality_as_town(text, [place for place, _ in entries], res.demonyms):
            continue  # "the Kazakh capital": a nationality, not a town known by it as well
        return span, entries
    return None


def after_joined_article(token: Token) -> bool:
    """Whether a word follows an Arabic article joined by a hyphen: "Ain" of "al-Ain"."""
    doc = token.doc
    return token.i > 1 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_ \
        and not doc[token.i - 2].whitespace_ and doc[token.i - 2].lower_ in ARABIC_ARTICLES


def opens_arabic_name(token: Token, classes: dict[str, set[str]]) -> bool:
    """Whether a common noun that opens Arabic place names (``arabic_generic_head``) stands
    before an article and the rest of the name: "Bab" of "Bab al-Maqam", "Ras" of "Ras
    al-Ain"."""
    return token.lower_ in classes["arabic_generic_head"] and arabic_name_follows(token.doc, token.i + 1)


def arabic_name_follows(doc: Doc, i: int) -> bool:
    """Whether an Arabic article and the rest of a name follow at ``i``: "al-Jadida" after
    "Mosul", "es Safi" after "Tell". Before it a city's name still names the city ("Mosul
    al-Jadida" is in Mosul), a small town's is a namesake of the quarter's first word."""
    if i + 1 >= len(doc):
        return False
    if doc[i].whitespace_:
        return doc[i].text in LONE_ARABIC_ARTICLES and is_capitalized(doc[i + 1])
    return doc[i].lower_ in ARABIC_ARTICLES and doc[i + 1].text == "-" and i + 2 < len(doc) \
        and is_capitalized(doc[i + 2])


def small_town_before_article(doc: Doc, end: int, places) -> bool:
    """Whether a name ending at ``end`` is only the first word of an Arabic name that goes
    on ("Shahba" of "Shahba al-Jadida", a quarter of Aleppo) and none of its places is a
    city of ``BIG_TOWN`` people or an area, which such a name would still mean ("Mosul
    al-Jadida" is in Mosul)."""
    return arabic_name_follows(doc, end) and not any(
        place.population >= BIG_TOWN or place.feature_type in AREA_FEATURES for place in places)


def nationality_as_town(text: str, places, demonyms) -> bool:
    """Whether a nationality is read as a town GeoNames lists under it ("Kazakh" for
    Petropavl); a region of that name stays ("the Somali region" of Ethiopia)."""
    return text.lower() in demonyms and all(place.feature_type == "city" for place in places)


# Words that open no Arabic name before its article: "Northern al-Raqqa", "Monday al-Bab",
# "Fighting Near al-Bab" in a headline's capitals.
NOT_NAME_OPENERS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeastern", "northwestern", "southeastern", "southwestern", "near", "outside", "inside", "rural",
    *WEEKDAYS, *MONTHS})


def tail_of_a_name(token: Token, res: ExtractionResources) -> bool:
    """Whether a word after an Arabic article ends a name that began with a proper noun
    before it ("Ras al-Ain", "Tell al-Sud", "Tell es Safi"): no place of its own. Alone
    ("in al-Bab"), or after a nationality ("Syrian Al-Raqqa province"), the word after the
    article is the name."""
    return arabic_name_start(token, res) is not None


def arabic_name_start(token: Token, res: ExtractionResources) -> int | None:
    """Where the name a word after an Arabic article ends begins, if a proper noun stands
    before the article: the index of "Ras" for "Ain" of "Ras al-Ain". Not a nationality
    (``res.demonyms``), a direction, a weekday, a month, nor another word the model does
    not tag a proper noun ("Blast Rocks al-Qamishli" in a headline's capitals), unless it
    is a common noun that opens such names (``arabic_generic_head``: "Tell", which the
    model may tag a verb); in an unparsed sentence any capitalized word but those."""
    doc = token.doc
    if after_joined_article(token):
        first_at = token.i - 3
    elif token.i > 0 and doc[token.i - 1].text in LONE_ARABIC_ARTICLES and doc[token.i - 1].whitespace_:
        first_at = token.i - 2
    else:
        return None
    first = doc[first_at] if first_at >= 0 else None
    if first is None or not first.whitespace_ or not is_capitalized(first) or first.is_stop \
            or first.ent_type_ in ("NORP", "DATE", "TIME", "DATELINE") or first.lower_ in NOT_NAME_OPENERS \
            or first.lower_ in res.demonyms:
        return None
    generic = first.lower_ in res.word_classes["arabic_generic_head"]
    return first_at if first.pos_ in ("PROPN", "") or generic else None


def acronym_is_place(entries: list[tuple[Place, int]]) -> bool:
    """An all-capitals short word is a place only as a curated alias ("UK", "DRC") or the
    own name of a country or region ("NSW" for New South Wales)."""
    return any(kind == ALIAS or place.feature_type in AREA_FEATURES for place, kind in entries)


def in_date_stamp(span: Span, before: Token | None, after: Token | None, classes: dict[str, set[str]]) -> bool:
    """"Mon Jul 18 2016", "06 Jan": a month or weekday abbreviation beside a number or
    another date word is a date, not Mon State or Juliaca."""
    if len(span) != 1 or span.text.lower().rstrip(".") not in classes["date_abbreviation"]:
        return False
    dates = classes["date_abbreviation"] | set(MONTHS) | set(WEEKDAYS)
    return any(t is not None and (t.like_num or t.lower_.rstrip(".") in dates) for t in (before, after))


# What the tagger makes of a capitalized common word: "Male passengers", "Free trade".
# Not NOUN: it reads many a town at a sentence's start as one ("Aleppo residents fled").
COMMON_WORD_POS = frozenset({"ADJ", "ADV", "VERB"})


def common_word_not_place(mention: ToponymMention, res: ExtractionResources) -> bool:
    """A single word whose capital says nothing (the first word of a sentence, of a
    title-case headline or of words in brackets: "(First day on Monday)"), outside a
    place position, which the model does not tag as a place and the tagger reads as a
    common adjective, adverb or verb that the lemmatizer knows as one ("Male passengers
    clashed ...": not the Maldives' capital; also "Nice police arrested ...", the price
    of the rule). Its nouns include the names of big cities, and the tagger takes many a
    town at a sentence's start for an adjective ("Aleppo residents fled"): those stay."""
    span = mention.span
    opens_brackets = span.start > 0 and span.doc[span.start - 1].text in ("(", "[")
    if len(span) != 1 or not (mention.weak_capital or opens_brackets) or mention.after_preposition \
            or span[0].is_upper or span.root.ent_type_ in PLACE_LABELS:
        return False
    return span[0].pos_ in COMMON_WORD_POS and span[0].lower_ in res.common_words


def word_known_only_as_another_name(span: Span, entries: list[tuple[Place, int]], res: ExtractionResources) -> bool:
    """One English word that the gazetteer knows only as another name of its places, not
    of a country: GeoNames' other names hold old numberings and other languages'
    spellings that are English words ("the First Division examination" is no Aden, whose
    governorate was once the First; "Meshed" no Mashhad, "Spoken" no Spokane). Not a
    word the model tags as a place. ``entries``: the gazetteer's entries of the name."""
    if len(span) != 1 or not entries or span.root.ent_type_ in PLACE_LABELS or any(
            kind != ALTERNATE or place.feature_type in ("country", "continent") for place, kind in entries):
        return False
    # (adjectives, adverbs and verbs: the lemmatizer's nouns include names, "Kashmir")
    token = span[0]
    return token.lower_ in res.common_words or token.lemma_.lower() in res.common_words


def keep_mention(mention: ToponymMention, res: ExtractionResources, reporting: frozenset[str],
                 person_words: frozenset[str], lowercase_words: set[str], person_ents: tuple[Span, ...]) -> bool:
    span, doc = mention.span, mention.span.doc
    area = mention.is_area()
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    classes = res.word_classes
    # Tags of the model, where it parsed: a person or an organisation is not a place,
    # unless a place noun names it one ("the outskirts of Goma", "the town of Sake": the
    # model tags unfamiliar town names as persons), or it stands where only a town of
    # one country can ("in Ben Gardane", "Pulwama town", "the clock tower (Srinagar)").
    town_as_person = town_tagged_person(mention, classes, person_ents)
    owned = owned_by_its_country(mention, res)
    if span.root.ent_type_ in NOT_PLACE_LABELS and not (area and mention.after_preposition) and not mention.listed \
            and not named_by_place_noun(span, classes) and not seat_of_institution(span, classes) \
            and not town_as_person and not owned:
        return False  # (not "Syria's Homs NGO AFP", a headline run on into a byline)
    if span.text.lower() in classes["non_place_name"] or in_date_stamp(span, before, after, classes):
        return False
    if after is not None and not span[-1].whitespace_ and after.text[:1] in "$€£¥":
        return False  # "US$"
    # A person: "President Jordan", "Nuland said", "said Clifford", a name the model
    # tagged as a person elsewhere.
    if before is not None and before.lower_.rstrip(".") in classes["person_title"]:
        return False
    country = mention.entries[0][0].feature_type in ("country", "continent")
    if not country and before is not None and before.lower_ == "to" and span.start >= 2 \
            and doc[span.start - 2].lower_ == "according":
        return False  # "according to Yap"
    if not area:
        if after is not None and (after.lower_ in reporting or after.lower_ == "who"):
            return False
        if before is not None and before.lower_ in reporting and (after is None or after.is_punct):
            return False
        if any(token.text in person_words for token in span) and not town_as_person and not (
                mention.listed and not person_elsewhere(span, person_ents)):
            return False
    # Part of a longer name: "World Health Organization", "University of California",
    # "Center for Disease Control"; a country may modify one ("US Centers for ...").
    if part_of_longer_name(span, before, after, classes, mention.weak_capital) and not country and not owned:
        return False
    if not country and after is not None and after.lower_ in ("of", "for", "and") and span.end + 1 < len(doc) \
            and is_capitalized(doc[span.end + 1]) and not area and not before_admin_noun(span, classes) \
            and not (mention.listed and after.lower_ == "and"):  # "in A, B and C" goes on listing
        return False
    if not country and runs_on(span):
        return False  # "Ain" of "Ain al-Asad"
    if before is not None and before.lower_ == "of" and span.start >= 2 \
            and is_capitalized(doc[span.start - 2]) and not doc[span.start - 2].is_sent_start \
            and doc[span.start - 2].lower_ not in classes["place_noun"] | classes["admin_noun"] | classes["place_of"]:
        return False
    if common_word_not_place(mention, res) or word_known_only_as_another_name(mention.span, mention.entries, res):
        return False
    if area:
        return True
    # A common word, which the article also writes in lower case: "buffalo", "reading".
    if len(span) == 1 and (span.text.lower() in lowercase_words or span[0].is_stop) \
            and not mention.after_preposition:
        return False
    # A capital that says nothing: a small place, or a big one known by that name only
    # as another spelling ("Day 21." is no Dayton).
    if mention.weak_capital and not mention.after_preposition \
            and max((p.population for p, kind in mention.entries if kind != ALTERNATE), default=0) < BIG_TOWN:
        return False
    return True


def person_doing(span: Span) -> bool:
    """Whether a name the model tags as a person is the subject of a verb, alone or
    joined ("In Geneva, Kerry and Lavrov agreed ..."): a person, even after a place."""
    root = span.root
    return root.ent_type_ == "PERSON" and (root.dep_ in ("nsubj", "nsubjpass") or (
        root.dep_ == "conj" and root.head.dep_ in ("nsubj", "nsubjpass")))


def person_elsewhere(span: Span, person_ents: tuple[Span, ...]) -> bool:
    """Whether a person the model tagged anywhere but on the name itself shares a word
    with it ("Khan Sheikhoun" tagged a person in a list of towns is no person's name
    unless another person is named so)."""
    words = {token.text for token in span}
    return any((ent.start, ent.end) != (span.start, span.end) and words & {token.text for token in ent}
               for ent in person_ents)


def owned_by_its_country(mention: ToponymMention, res: ExtractionResources) -> bool:
    """Whether a name follows its own country's possessive ("Syria's Homs", "Nigeria's
    Borno"): a place whatever the model's tag and the capitalized words after it (a
    headline run on into a byline: "in Syria's Homs NGO AFP")."""
    span = mention.span
    if span.start < 2:
        return False
    marker, owner = span.doc[span.start - 1], span.doc[span.start - 2]
    if marker.norm_ != "'s":
        return False
    country = next(iter(res.gazetteer.candidates(owner.text)), None)
    return country is not None and country.feature_type == "country" \
        and any(place.country_iso3 == country.country_iso3 for place, _ in mention.entries)


def town_tagged_person(mention: ToponymMention, classes, person_ents: tuple[Span, ...]) -> bool:
    """A town the model tagged as a person, an organisation or a nationality, named
    where only a town can stand:
    - as a person, the whole object of a preposition of being inside or near ("burnt
      tyres in Ben Gardane": "Ben" reads as a first name);
    - as a person or a nationality, right before a lowercase noun for a town or district
      ("Pulwama town"; not "an Arab village", "the Arab village of ...");
    - as a person or an organisation, before or after its inhabitants ("Gwalior
      citizens", "residents of Kasserine");
    - alone in brackets after a place or a venue ("the clock tower (Srinagar)");
    - as an organisation, alone as the object of a verb of war on places ("jets struck
      Idlib": ``place_attacked``; a person there is a victim: "gunmen attacked Hassan").
    It must be known by its own name as a town of PLACE_POSITION_TOWN people or more,
    and no place of that name (not even by another spelling, but for a town attacked,
    which is known by its own name: "shelled Homs" is not Libya's Al Khums) lie in another
    country: "residents of Mansa" may be in India or Zambia. Not a name that modifies a noun after
    it ("in the Obama administration", "outside the Malema residence"), and not when the
    article uses the name for a person anywhere: a longer name sharing a word ("Barack
    Obama" makes "trust in Obama" a person's, not the Japanese town's), or the same name
    outside a place position ("Ben Gardane said")."""
    span, doc = mention.span, mention.span.doc
    label = span.root.ent_type_
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    area_nouns = classes["place_noun"] | classes["admin_noun"]
    attacked = False
    if label in ("PERSON", "NORP") and settlement_noun_after(after, classes) and (
            label == "PERSON" or before is None or before.lower_ not in ("a", "an", "the")):
        following = doc[span.end + 1] if span.end + 1 < len(doc) else None
        if following is not None and following.lower_ == "of":
            return False  # "the Arab village of Duma" names the village
    elif (label in ("PERSON", "ORG") and mention.of_inhabitants) or bracketed_town(span, classes):
        pass
    elif label == "ORG" and place_attacked(span, classes):
        attacked = True
    elif label != "PERSON" or before is None or before.lower_ not in classes["enclosing_prep"]:
        return False
    elif after is not None and (after.norm_ == "'s" or after.lower_ == "'" or (
            after.pos_ in ("NOUN", "PROPN") and after.lemma_.lower() not in area_nouns)):
        return False  # "in Smith's house", "in Obama administration"; "in Ben Gardane town" is a place
    towns = [place for place, kind in mention.entries
             if place.latitude is not None and kind != ALTERNATE and place.feature_type == "city"]
    # (a town attacked is known by its own name: "shelled Homs" is not Libya's Al Khums,
    # which "Homs" also spells)
    known_as = [place for place, kind in mention.entries if kind != ALTERNATE] if attacked else mention.candidates
    if not towns or not one_country(known_as) \
            or max(place.population for place in towns) < PLACE_POSITION_TOWN:
        return False
    words = {token.text for token in span}
    for ent in person_ents:
        if (ent.start, ent.end) == (span.start, span.end) or any(token.text in "([" for token in ent):
            continue  # the mention itself, or a name the model ran into brackets: "Governor's House (Ranchi"
        if ent.text == span.text:
            if not after_locative_preposition(ent, classes) and not settlement_noun_after(
                    doc[ent.end] if ent.end < len(doc) else None, classes):
                return False
        elif words & {token.text for token in ent}:
            return False
    return True


def place_attacked(span: Span, classes) -> bool:
    """A bare name that is the object of a verb of war on places ("jets struck Idlib",
    "troops shelled Homs", "rebels stormed Kismayo"): the model often tags such a town an
    organisation, but a town's name standing there alone is where the blows fell."""
    root = span.root
    return root.dep_ == "dobj" and root.head.lemma_.lower() in classes["place_object_verb"] \
        and root.left_edge.i == span.start and root.right_edge.i == span.end - 1


def one_country(places) -> bool:
    """Whether every place (with a point) lies in one country."""
    return len({place.country_iso3 for place in places if place.latitude is not None}) == 1


def settlement_noun_after(after: Token | None, classes) -> bool:
    """Whether a lowercase noun for a town or an administrative unit follows a name:
    "Pulwama town", "the Homs city council", "Kulgam district" (not "area" or "zone",
    which follow any name)."""
    return after is not None and after.text.islower() and after.lemma_.lower() in classes["settlement_noun"]


def part_of_longer_name(span: Span, before: Token | None, after: Token | None, classes, weak: bool) -> bool:
    """Whether capitalized words run on around the name (in running text, not a headline)."""
    if weak:
        return False
    joined_before = before is not None and is_capitalized(before) \
        and not (before.is_sent_start and before.is_stop) and before.whitespace_ and "\n" not in before.text and before.lower_.rstrip(".") not in classes["person_title"]
    joined_after = after is not None and is_capitalized(after) and span[-1].whitespace_ \
        and after.lower_ not in classes["admin_noun"] | classes["place_noun"]
    return joined_before or joined_after


def before_admin_noun(span: Span, classes) -> bool:
    """"Dantewada and Sukma districts": names joined by "and" before an administrative
    noun are places, not one name of an institution (before "camps" or "markets" they
    may be anything: "the Hope and Unity camps")."""
    doc = span.doc
    i = span.end + 1
    while i < len(doc) and i - span.end <= MAX_NAME_TOKENS and is_capitalized(doc[i]):
        i += 1
    if i >= len(doc) or i == span.end + 1:
        return False
    word = doc[i].lower_
    nouns = classes["admin_noun"]
    return doc[i].lemma_.lower() in nouns or word in nouns or word.rstrip("s") in nouns


def runs_on(span: Span) -> bool:
    """Whether the name continues past the match through a name connector or a hyphen
    into another capitalized word ("Ain al-Asad", "Deir ez-Zor" cut short)."""
    doc = span.doc
    i = span.end
    if i < len(doc) and not span[-1].whitespace_ and doc[i].text == "-":
        return i + 1 < len(doc) and doc[i + 1].text[:1].isalpha()
    while i < len(doc) and doc[i].lower_ in NAME_CONNECTORS - {"of"} and i - span.end < 3:
        i += 1
    return i > span.end and i < len(doc) and is_capitalized(doc[i])


# Directions that open a part of an area ("East Delhi", "northern Kurram").
COMPASS_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"})
# Words of a part of an area written in lower case before its name ("in lower Kurram",
# "in northern Kurram"); a capitalized one is part of the name ("Lower Dir").
AREA_PART_WORDS = COMPASS_WORDS | {"lower", "upper", "northeastern", "northwestern", "southeastern", "southwestern"}


def word_before(span: Span) -> int:
    """The index of the word before a name, past a "the" and a part of the area ("in the
    X", "in lower X"); -1 at the start."""
    position = span.start - 1
    if position >= 0 and span.doc[position].text in AREA_PART_WORDS:
        position -= 1
    if position >= 0 and span.doc[position].lower_ == "the":
        position -= 1
    return position


def after_locative_preposition(span: Span, classes) -> bool:
    """"in X", "near X", "the town of X", "from X": a place position, by the words
    before it (unparsed sentences have no tree)."""
    doc = span.doc
    position = word_before(span)
    if position < 0:
        return False
    word = doc[position].lower_
    if word in classes["locative_prep"] or word in ("to", "toward", "towards", "via", "across", "between"):
        return True
    return word == "of" and position > 0 and doc[position - 1].lower_ in classes["place_noun"] | classes["admin_noun"]


def of_inhabitants(span: Span, classes) -> bool:
    """"residents of X", "the villagers of X" (by the words before it)."""
    doc = span.doc
    position = word_before(span)
    return position > 0 and doc[position].lower_ == "of" and names_inhabitants(doc[position - 1], classes)


def before_inhabitants(span: Span, classes) -> bool:
    """"X residents", "X citizens": a name right before a plural noun for its
    inhabitants. Not a nationality or creed ("Christian residents")."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return after is not None and after.tag_ in ("NNS", "NNPS") and names_inhabitants(after, classes) \
        and span.root.ent_type_ not in ("NORP", "LANGUAGE")


def names_inhabitants(token: Token, classes) -> bool:
    """"residents", "villagers": the people of the place that "of" names next (also in
    a sentence the model did not parse, which has no lemmas)."""
    word = token.lower_
    return token.lemma_.lower() in classes["inhabitant_noun"] or word in classes["inhabitant_noun"] \
        or (word.endswith("s") and word[:-1] in classes["inhabitant_noun"])


def bracketed_town(span: Span, classes) -> bool:
    """"the clock tower (Srinagar)", "the market area (Dhaka)", "here (Sylhet)": a name
    alone in brackets after a place, a venue or a word is the town it lies in (the model
    often tags such a town a person). Not after a party's name or acronym, where it
    names a faction: "CPI (Maoist)", "Akali Dal (Amritsar)", "CPIM (Liberation)"."""
    doc = span.doc
    if span.start < 2 or span.end >= len(doc) or doc[span.start - 1].text not in ("(", "[") \
            or doc[span.end].text not in (")", "]"):
        return False
    before = doc[span.start - 2]
    acronym = len(before.text) >= 2 and before.text.isupper()
    return not acronym and before.lower_ not in classes["faction_head"]


def seat_of_institution(span: Span, classes) -> bool:
    """"the Federal Ministry of Finance, Abuja,", "Forest College and Research Institute,
    Mettupalayam,": a name set off by commas right after an institution's name is the
    town it stands in (the model often tags such a town a person)."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != ",":
        return False
    if span.end < len(doc) and doc[span.end].text not in (",", ".", ";", ")") and not doc[span.end].is_sent_start:
        return False  # "the ministry, Ngozi Okonjo-Iweala": a name runs on
    i = span.start - 2
    while i >= 0 and span.start - i <= MAX_NAME_TOKENS + 2 and (
            is_capitalized(doc[i]) or (doc[i].lower_ in ("of", "for", "and", "&") and i < span.start - 2)):
        if doc[i].lemma_.lower() in classes["institution_noun"] and is_capitalized(doc[i]):
            return True  # "Ministry" of "the Federal Ministry of Finance"
        i -= 1
    return False


def named_by_place_noun(span: Span, classes) -> bool:
    """"the town of X", "the outskirts of X": a place noun before "of" names X a place."""
    doc = span.doc
    return span.start >= 2 and doc[span.start - 1].lower_ == "of" \
        and doc[span.start - 2].lower_ in classes["place_noun"] | classes["admin_noun"]


def weak_capital(span: Span, headline_ranges: list[tuple[int, int]]) -> bool:
    """Whether the capital letter carries no evidence: the first word of a sentence, or
    a line in title case."""
    first = span[0]
    if first.is_sent_start or first.i == 0 or "\n" in first.doc[first.i - 1].text:
        return True
    previous = first.doc[first.i - 1]
    if previous.text in ('"', "“", "(", "'", "‘") and (previous.is_sent_start or previous.i == 0):
        return True
    return any(start <= first.i < end for start, end in headline_ranges)


def headline_token_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of lines in title case ("Philippines Culls Hogs After Outbreak")."""
    ranges, start = [], 0
    texts = token_texts(doc)
    is_word = None
    for i, text in enumerate(texts):
        if i == len(texts) - 1 or "\n" in text:
            if is_word is None:  # (flags of every token at once: no Token objects)
                is_word = [bool(alpha and not stop) for alpha, stop in doc.to_array([IS_ALPHA, IS_STOP]).tolist()]
            words = [texts[j] for j in range(start, i + 1) if is_word[j]]
            if len(words) >= 3 and sum(1 for word in words if word[0].isupper()) >= 0.8 * len(words):
                ranges.append((start, i + 1))
            start = i + 1
    return ranges


def person_name_words(doc: Doc) -> frozenset[str]:
    """Words of the person names the model tagged anywhere in the article ("Nuland" of
    "Victoria Nuland"), so that a later bare "Nuland" is not taken for a town. Read once
    an article: the toponym matcher and the article's place names both ask."""
    words = doc.user_data.get(PERSON_WORDS_KEY)
    if words is None:
        words = doc.user_data[PERSON_WORDS_KEY] = frozenset(
            t.text for ent in entities(doc) if ent.label_ == "PERSON" and len(ent) >= 2
            for t in ent if is_capitalized(t))
    return words


PERSON_WORDS_KEY = "newsevents.person_name_words"


# Patronymic words in lower case inside a name ("Jisr al-Shughour", "Abu Kamal" is
# capitalized): they join its parts like an Arabic article does.
PATRONYMIC_WORDS = frozenset({"bin", "ibn", "abu"})
# Labels of names that are no place whatever stands around them: "in March", "in Kurdish".
NEVER_PLACE_LABELS = frozenset({"DATE", "TIME", "NORP", "ORDINAL", "CARDINAL", "MONEY", "PERCENT", "LANGUAGE"})


def name_run(token: Token) -> Span | None:
    """The run of capitalized words and name joiners a capitalized word stands in, within
    its sentence ("al-Fouaa", "Khan Touman", "Salah-Eddin al-Zahraa"): how the article
    writes that name each time, to compare its mentions. None for a word in lower case,
    a capitalized function word ("The", "In"), a day or a month, or a run longer than a
    name (a headline in title case)."""
    if not name_word(token):
        return None
    doc = token.doc
    start, end = token.i, token.i + 1
    # within the sentence, by its first tokens (``token.sent`` walks the whole parse)
    while start > 0 and not doc[start].is_sent_start and (name_word(doc[start - 1]) or joiner(doc[start - 1])):
        start -= 1
    while end < len(doc) and not doc[end].is_sent_start and (name_word(doc[end]) or joiner(doc[end])):
        end += 1
    while not name_word(doc[start]) and not joined_article(doc[start]):
        start += 1  # a run opens with a name word or a joined article ("al-"), never a hyphen
    while not name_word(doc[end - 1]):
        end -= 1
    return doc[start:end] if end - start <= MAX_NAME_TOKENS else None


def name_word(token: Token) -> bool:
    """A capitalized word of letters (an apostrophe inside: "Ma'arrat") that may be part
    of a name: no function word, no day and no month ("on Saturday Damascus sent
    letters", where the comma is lost)."""
    return is_capitalized(token) and not token.is_stop and token.text.replace("'", "").replace("’", "").isalpha() \
        and token.lower_ not in WEEKDAY_WORDS and token.lower_ not in MONTH_WORDS


def joiner(token: Token) -> bool:
    """A word that joins two parts of a name: a hyphen written without spaces, an Arabic
    article joined by one ("al-", ``joined_article``) or standing alone where it is no
    English word (``LONE_ARABIC_ARTICLES``: "Tell es Safi", not "Aleppo as Russia"), a
    patronymic in lower case."""
    if token.text == "-":
        return not token.whitespace_ and token.i > 0 and not token.doc[token.i - 1].whitespace_
    if not token.text.islower():
        return False
    return joined_article(token) or token.lower_ in LONE_ARABIC_ARTICLES or token.lower_ in PATRONYMIC_WORDS


def joined_article(token: Token) -> bool:
    """An Arabic article joined by a hyphen to the word after it: "al" of "al-Fouaa"."""
    doc = token.doc
    return token.lower_ in ARABIC_ARTICLES and not token.whitespace_ and token.i + 2 < len(doc) \
        and doc[token.i + 1].text == "-" and not doc[token.i + 1].whitespace_


def article_place_names(doc: Doc, res: ExtractionResources, actor_spans: dict,
                        placed: list[tuple[Span, Place]]) -> frozenset[str]:
    """The names, lowercased, the article uses for places below a country: those the
    gazetteer placed (``placed``) and those it writes where only a place can stand
    (``place_position_names``), each one ``place_like_name`` keeps. A town the gazetteer
    placed has passed its person checks already ("Khan Sheikhoun", which the model
    often tags a person); an area has not (``keep_mention`` keeps areas anywhere), so a
    person's name may still be one: "Kerry" read as the Irish county in an article that
    names John Kerry."""
    person_words = person_name_words(doc)
    names = set()
    for span, place in placed:
        key = span.text.lower()
        if key not in names and place.feature_type not in ("country", "continent") \
                and place_like_name(span, res, actor_spans, person_words if place.feature_type != "city" else None):
            names.add(key)
    return frozenset(names) | place_position_names(doc, res, actor_spans, person_words)


def place_position_names(doc: Doc, res: ExtractionResources, actor_spans: dict,
                         person_words: frozenset[str]) -> frozenset[str]:
    """The names, lowercased, that the article writes where only a place can stand,
    whatever the gazetteer knows of them: the whole object of a preposition of being in or
    near ("in al-Fouaa", "around Khan Touman"), the name after "the town of" or "the
    outskirts of", and a name before a settlement noun or a quarter's ("Barzeh district",
    "the Yarmouk camp"). A quarter or a village too small for the gazetteer is still a
    place where the article names it so, and not a party where it stands as the object of
    a blow ("rebels shelled al-Fouaa": ``actors.describe_actor``). Narrower than the
    place positions of a gazetteer match (``after_locative_preposition``): "from", "at",
    "on" and "to" take parties as often ("fighters from Jaish al-Fatah", "an attack on
    Hezbollah"). Never a name ``place_like_name`` refuses (a person's, a country's, an
    actor's), nor one that modifies a noun after it ("in Nusra positions", "in
    Hezbollah's ranks", "in ISIS-held areas")."""
    classes = res.word_classes
    before_prepositions = classes["enclosing_prep"] | {"around"}
    after_nouns = classes["settlement_noun"] | classes["quarter_noun"]
    place_nouns = classes["place_noun"] | classes["admin_noun"]
    texts = token_texts(doc)  # (the text of every token, read once: no Token objects for the rest)
    names, judged = set(), {}
    for i, text in enumerate(texts[:-1]):
        word, run = text.lower(), None
        if word in before_prepositions:
            position = i + 1
            while position < len(doc) - 1 and (texts[position].lower() == "the" or texts[position] in AREA_PART_WORDS):
                position += 1
            if not is_capitalized_text(texts[position]) and texts[position].lower() not in ARABIC_ARTICLES:
                continue
            first = doc[position + 2] if joined_article(doc[position]) else doc[position]  # "in al-Fouaa"
            run = name_run(first)
            if run is not None and (run.start != position or not whole_object(run, doc[i])):
                run = None
        elif i > 0 and text.islower() and (word in after_nouns or word.rstrip("s") in after_nouns) \
                and is_capitalized_text(texts[i - 1]):
            run = name_run(doc[i - 1])
        elif word == "of" and i > 0 and texts[i - 1].lower() in place_nouns and is_capitalized_text(texts[i + 1]):
            run = name_run(doc[i + 1])
            if run is not None and run.start != i + 1:
                run = None
        if run is not None:
            key = run.text.lower()
            if key not in judged:  # (a name the article repeats is judged once)
                judged[key] = place_like_name(run, res, actor_spans, person_words)
            if judged[key]:
                names.add(key)
    return frozenset(names)


def whole_object(run: Span, preposition: Token) -> bool:
    """Whether a name is all the object of its preposition: in a parsed sentence the
    preposition's object is the name's own word ("in Nusra positions": the object is
    "positions"); in one the model did not parse, nothing but punctuation, a function word
    or the end follows it (no "'s", no hyphen: "in ISIS-held areas")."""
    doc = run.doc
    after = doc[run.end] if run.end < len(doc) else None
    if after is not None and (after.text in ("-", "'s", "’s", "'", "’") or after.norm_ == "'s"):
        return False
    if was_parsed(doc, preposition.i):
        return any(t.dep_ == "pobj" and t.head.i == preposition.i for t in run)
    return after is None or after.is_punct or after.is_stop or after.is_space


def place_like_name(run: Span, res: ExtractionResources, actor_spans: dict,
                    person_words: frozenset[str] | None) -> bool:
    """Whether a name in a place position may be a place's: no country (which is also a
    party: "Syria denied"); unless ``person_words`` is None (checked already), no
    person's name ("a bomb exploded near Hassan Mahmoud"): one the model tags a person,
    unless an Arabic article or a hyphen shapes it as a place's ("al-Dumayr"), or one of
    whose words the article gives a person elsewhere; and no actor alias, agent noun,
    institution's noun, date or nationality among its words."""
    if any(place.feature_type in ("country", "continent") for place in res.gazetteer.candidates(run.text)):
        return False
    shaped = any(joiner(t) for t in run)
    if person_words is not None and not shaped and (
            any(t.ent_type_ == "PERSON" for t in run) or any(t.text in person_words for t in run)):
        return False
    words = res.word_classes["institution_noun"]
    return not any(t.i in actor_spans or t.ent_type_ in NEVER_PLACE_LABELS or t.lemma_.lower() in res.agents
                   or t.lower_ in res.agents or t.lemma_.lower() in words for t in run)
