"""Event frames from a parsed article: who did what to whom, where, when, how many.
Pure spaCy, no Beam.

    events, places = extract_article(doc, article, resources)

``article`` needs ``article_id`` and ``published_at`` (aware datetime) and may carry
``dateline_place``. Each event is a dict with the events-table columns; each place a
dict with the places-table columns. Offsets are character offsets in ``doc.text``.
"""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Doc, Token

from newsevents.transforms.extraction.acled_coding import code_event
from newsevents.transforms.extraction.actors import find_actor_spans, names_armed_body
from newsevents.transforms.extraction.confidence import confidence
from newsevents.transforms.extraction.context import ArticleContext, SentenceContext
from newsevents.transforms.extraction.coreference import (credit_air_strikes, credit_claims, credit_suspects,
                                                          date_headline, inherit_dates, mark_interventions,
                                                          merge_coreferent)
from newsevents.transforms.extraction.dates import page_date
from newsevents.transforms.extraction.frames import SCENE_TYPES, build_event
from newsevents.transforms.extraction.magnitude_phrases import find_magnitudes, told_as_more
from newsevents.transforms.extraction.places import (
    article_country_weights, country_marking_abroad, geoparse, main_place, place_row, places_in_names,
    resolve_dateline)
from newsevents.transforms.extraction.resources import ExtractionResources
from newsevents.transforms.extraction.syntax import (DATELINE_LEADS, MAX_DATELINE_TOKENS, PAGE_FURNITURE,
                                                     after_page_date, dateline_length, mark_datelines)
from newsevents.transforms.extraction.toponyms import article_place_names
from newsevents.transforms.extraction.triggers import find_triggers
from newsevents.transforms.extraction.version import EXTRACTOR_VERSION


def extract_article(doc: Doc, article: dict, res: ExtractionResources,
                    keep_private: bool = False) -> tuple[list[dict], list[dict]]:
    """(event rows, place rows) of one parsed article; ``keep_private`` keeps the keys
    private to extraction (the evidence behind the confidence, for its calibration)."""
    ctx, triggers = read_article(doc, article, res)
    place_rows = [place_row(ctx.article_id, span, place) for span, place in ctx.mentioned_places]
    by_sentence: dict[int, list[tuple[Token, dict]]] = {}
    for token, info in triggers:
        by_sentence.setdefault(token.sent.start, []).append((token, info))
    events = []
    for sentence_index, sent in enumerate(doc.sents):
        found = by_sentence.get(sent.start)
        if found:
            magnitudes = find_magnitudes(sent, res)
            here = names_armed_body(sent, ctx.actor_spans, res)
            told = sentence_events(ctx.sentence(sent, sentence_index, magnitudes, here), found)
            # The counts the sentence tells as more than a toll before ("three others died"):
            # coreference adds them to the event they join.
            more = frozenset(field for field, _, i in magnitudes if told_as_more(doc[i], res, len(magnitudes) > 1))
            for event in told:
                event["_more_fields"] = more
            events += told
    credit_claims(ctx, events)
    events = merge_coreferent(events, res)
    mark_interventions(events)
    credit_suspects(ctx, events)
    credit_air_strikes(ctx, events)
    inherit_dates(events)
    if opens_with_title(doc, article.get("title")):
        date_headline(events)
    return [finished_row(event, res, keep_private) for event in events], place_rows


def opens_with_title(doc: Doc, title: str | None) -> bool:
    """Whether the text's first sentence is the article's headline: it begins with its
    title, after the page's date if any ("Sun 16 Apr 2017 Death toll from Aleppo bomb
    attack at least 112."), and is no lead or brief that merely holds the title's words."""
    words = " ".join((title or "").split()).lower().rstrip(".")
    first = next(iter(doc.sents), None)
    if first is None or not any(character.isalpha() for character in words):
        return False
    start = first.start
    while start < first.end and doc[start].is_space:
        start += 1
    start = after_page_date(doc, start, first.end)  # "Published September 21 2016 ..."
    return " ".join(doc[start:first.end].text.split()).lower().startswith(words)


def page_stamp(doc: Doc, published: dt.date) -> tuple[int, int] | None:
    """The tokens of the date the page prints (``printed_date``) where it is the day of
    publication: the day the input gives, or the one ingest took from that very stamp
    (``normalize.with_stamped_date``). It dates no event itself, so a headline is news of
    the publication day ("13-08-2013 33 Militants Killed ..."), not of 2013 at year
    precision."""
    printed, stamp = printed_date(doc, published)
    return stamp if printed is not None and abs((printed - published).days) <= 1 else None


def printed_date(doc: Doc, published: dt.date) -> tuple[dt.date | None, tuple[int, int] | None]:
    """The date a page prints before its first words ("13-08-2013 33 Militants ...",
    "Date of publication 26 October 2016 ..."), or after the news agency that its
    headline credits ("... kill 32 Monitor AFP Monday 2 Feb 2015 Syrian government air
    strikes ..."), where it gives a day, a month and a year; and its token range."""
    first = next(iter(doc.sents), None)
    if first is None:
        return None, None
    start = first.start
    while start < first.end and doc[start].is_space:
        start += 1
    end = after_page_date(doc, start, first.end)
    lead = start
    while lead < end and doc[lead].lower_ in DATELINE_LEADS:
        lead += 1
    if end > lead:
        # where the date's own words end (the model may run the headline into its entity:
        # "17-08-2016 Martyrs")
        own = lead + (dateline_length(doc[lead:end]) or end - lead)
        printed = page_date(doc[lead:own].text, published) if runs_into_text(doc, own) else None
        return (printed, (lead, end)) if printed is not None else (None, None)
    for token in doc[start:min(start + CREDIT_WINDOW, len(doc))]:
        if token.text in NEWS_AGENCIES and credits_headline(token):
            length = dateline_length(doc[token.i + 1:min(token.i + 1 + MAX_DATELINE_TOKENS, len(doc))])
            printed = page_date(doc[token.i + 1:token.i + 1 + length].text, published) \
                if length and runs_into_text(doc, token.i + 1 + length) else None
            if printed is not None:
                return printed, (token.i + 1, token.i + 1 + length)
    return None, None


def page_furniture(doc: Doc, published: dt.date) -> frozenset[int]:
    """The token indexes of a headline's credit and the page's date after it ("... kill
    32 Monitor AFP Monday 2 Feb 2015 ...", "Five dead in blast NGO AFP Thursday 6 Mar
    2014 ..."): no party's words."""
    credit = headline_credit(doc)
    _, stamp = printed_date(doc, published)
    return frozenset(i for span in (credit, stamp) if span is not None for i in range(*span))


def headline_credit(doc: Doc) -> tuple[int, int] | None:
    """The token range of the credit a headline ends with: a news agency that credits it
    (``credits_headline``) within the first ``CREDIT_WINDOW`` words, with the words that
    name its source right before it (``CREDIT_SOURCE_WORDS``: "Monitor", "NGO",
    "Monitoring group", "State media", "New toll"), where it has such words or the page's
    date follows it."""
    for token in doc[:min(CREDIT_WINDOW, len(doc))]:
        if token.text in NEWS_AGENCIES and credits_headline(token):
            start = token.i
            while start > 0 and token.i - start < MAX_CREDIT_SOURCE_WORDS \
                    and doc[start - 1].lower_ in CREDIT_SOURCE_WORDS:
                start -= 1
            # a credit names its source or runs into the page's date ("an AFP reporter",
            # "AP govt" are words of the text)
            if start < token.i or dateline_length(doc[token.i + 1:min(token.i + 1 + MAX_DATELINE_TOKENS, len(doc))]):
                return start, token.i + 1
    return None


# The words a headline's credit names its source by before the agency ("Monitor AFP",
# "NGO AFP", "Monitoring group Reuters", "Syria's Homs State media AFP", "New toll AFP",
# "Civil defence AFP"), and how many of them it takes.
CREDIT_SOURCE_WORDS = frozenset({"monitor", "monitoring", "group", "ngo", "observatory", "governor", "new",
                                 "toll", "state", "media", "tv", "television", "civil", "defence", "defense",
                                 "activists", "medics", "official", "officials", "sources", "report"})
MAX_CREDIT_SOURCE_WORDS = 2


def runs_into_text(doc: Doc, end: int) -> bool:
    """Whether a date a page prints runs straight into the text after it: the end, a
    line break, a capitalized word, a number, a bracket or a scraped label ("13-08-2013 33
    Militants ...", "Wednesday 7 Aug 2013 sixty-two rebel fighters", "16-11-2014 title:
    ISIL Claims ..."), not into its own clause ("August 21 2013: the attack ...", "21
    August 2013 - three years on", "..., rebels shelled")."""
    if end >= len(doc):
        return True
    after = doc[end]
    labelled = end + 1 < len(doc) and after.lower_ in ("title", "headline") and doc[end + 1].text == ":"
    return after.is_space or after.text[:1].isupper() or after.like_num or after.text in BRACKETS or labelled


BRACKETS = frozenset({"(", ")", "[", "]", "|"})  # "08.04.2017(updated 1954 08.04.2017) Get short URL"


def credits_headline(agency: Token) -> bool:
    """Whether a news agency's name is a credit set beside a headline ("... kill 32
    Monitor AFP Monday 2 Feb 2015"), not a party of a clause ("Rebels told AP Monday ...",
    "according to Reuters")."""
    before = agency.doc[agency.i - 1] if agency.i > 0 else None
    return not (before is not None and before.lower_ in SPEAKING_TO) and agency.dep_ not in ("nsubj", "nsubjpass")


# Words after which an agency is a party of the clause, not a credit ("told AP").
SPEAKING_TO = frozenset({"to", "by", "from", "told", "tells", "said", "says", "quoted"})


# The news agencies a headline credits before the page's date ("Monitor AFP Monday 2 Feb
# 2015"), and how many words from the start of the text such a credit may stand.
NEWS_AGENCIES = frozenset({"AFP", "Reuters", "AP", "DPA", "Xinhua", "ANSA", "EFE"})
CREDIT_WINDOW = 40


def read_article(doc: Doc, article: dict,
                 res: ExtractionResources) -> tuple[ArticleContext, list[tuple[Token, dict]]]:
    """What the rules need to know of the article before its sentences (its actor aliases,
    dateline, places and trigger tokens), and its triggers."""
    mark_datelines(doc)
    published = article["published_at"].date()
    doc.user_data[PAGE_FURNITURE] = page_furniture(doc, published)
    actor_spans = find_actor_spans(doc, res)
    dateline = resolve_dateline(article.get("dateline_place"), res)
    weights = article_country_weights(doc, res, dateline, actor_spans)
    places = geoparse(doc, res, actor_spans, weights, dateline)
    triggers = find_triggers(doc, res, actor_spans)
    main = main_place(places, res)
    # Places inside other names come after the main place and the dateline in
    # ``event_location``: an article with either never reaches them, so skip the scan.
    named = places_in_names(doc, res, places, actor_spans, weights) if main is None and dateline is None else []
    # "outside the US embassy": a country named as a foreign presence's home is a row of the
    # places table, never where an event happened.
    scenes = [(span, place) for span, place in places if not country_marking_abroad(span, place, res)]
    ctx = ArticleContext(doc=doc, article_id=article["article_id"], published=published,
                         page_stamp=page_stamp(doc, published),
                         dateline_text=article.get("dateline_place"), res=res, actor_spans=actor_spans,
                         event_heads=frozenset(token.i for token, _ in triggers),
                         scene_heads=frozenset(token.i for token, info in triggers if info["event_type"] in SCENE_TYPES),
                         protest_heads=frozenset(token.i for token, info in triggers
                                                 if info["event_type"] == "PROTEST" and not info["war_sense"]),
                         attack_heads=frozenset(token.i for token, info in triggers if info["event_type"] == "ASSAULT"),
                         places=scenes,
                         dateline=dateline, main_place=main, country_weights=weights, named_places=named,
                         mentioned_places=places, place_names=article_place_names(doc, res, actor_spans, places),
                         armed_body_named=names_armed_body(doc, actor_spans, res))
    return ctx, triggers


def sentence_events(ctx: SentenceContext, triggers: list[tuple[Token, dict]]) -> list[dict]:
    """One event for each event type among a sentence's triggers, if it tells of one; a
    crowd's own protest event beside the attack the crowd made is not one."""
    by_type: dict[str, list[tuple[Token, dict]]] = {}
    for token, info in triggers:
        by_type.setdefault(info["event_type"], []).append((token, info))
    built = {event_type: build_event(ctx, event_type, group) for event_type, group in by_type.items()}
    protesting = by_type["PROTEST"] if built.get("PROTEST") is not None else []
    events = [event for event_type, event in built.items() if event is not None
              and not (event_type in PURPOSE_TYPES and purpose_of_a_protest(by_type[event_type], protesting, ctx.res))]
    # "A mob beat two suspected thieves to death": the mob is the attack's author, not a
    # riot of its own beside it.
    crowd_nouns = ctx.res.word_classes["crowd_noun"]
    return [event for event in events if not (
        event["event_type"] == "PROTEST" and event["_trigger_lemma"] in crowd_nouns and event["actor1_text"]
        and any(other["event_type"] == "ASSAULT" and other["actor1_text"] == event["actor1_text"]
                for other in events))]


# What a crowd demands or alleges while it protests: the protest's purpose, no event of its own.
PURPOSE_TYPES = frozenset({"REQUEST", "ACCUSE"})


def purpose_of_a_protest(group: list[tuple[Token, dict]], protesting: list[tuple[Token, dict]],
                         res: ExtractionResources) -> bool:
    """Whether a demand or an accusation is told only as the purpose of a protest in its
    sentence, by a participle on the protest's verb or the light verb that stages it:
    "protested in front of the hospital, demanding an inquiry", "Urging the government
    to fix a price, farmers staged demonstrations", "blocked the highway, alleging
    apathy" (not "Police dispersed the protesters, accusing them of ...")."""
    verbs = {token.i for token, _ in protesting} | {
        token.head.i for token, _ in protesting
        if token.dep_ == "dobj" and token.head.lemma_.lower() in res.word_classes["light_verb"]}
    return bool(verbs) and all(token.tag_ == "VBG" and token.dep_ in ("advcl", "xcomp", "acl")
                               and token.head.i in verbs for token, _ in group)


def finished_row(event: dict, res: ExtractionResources, keep_private: bool = False) -> dict:
    """The row as stored: coded for ACLED (its actors are final now), without the keys
    private to extraction, stamped with the version."""
    code_event(event, res)
    event["confidence"] = confidence(event, res.confidence_weights)
    if keep_private:
        return event
    for key in [k for k in event if k.startswith("_")]:
        del event[key]
    event["extractor_version"] = EXTRACTOR_VERSION
    return event
