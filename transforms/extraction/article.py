"""Event frames from a parsed article: who did what to whom, where, when, how many.
Pure spaCy, no Beam.

    events, places = extract_article(doc, article, resources)

``article`` needs ``article_id`` and ``published_at`` (aware datetime) and may carry
``dateline_place``. Each event is a dict with the events-table columns; each place a
dict with the places-table columns. Offsets are character offsets in ``doc.text``.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from newsevents.transforms.extraction.actors import find_actor_spans
from newsevents.transforms.extraction.coreference import credit_claims, inherit_dates, merge_coreferent
from newsevents.transforms.extraction.frames import build_event
from newsevents.transforms.extraction.magnitude_phrases import find_magnitudes
from newsevents.transforms.extraction.places import article_country_weights, geoparse, place_row, resolve_dateline
from newsevents.transforms.extraction.resources import ExtractionResources
from newsevents.transforms.extraction.triggers import find_triggers

EXTRACTOR_VERSION = "rules-0.2.0"


def extract_article(doc: Doc, article: dict, res: ExtractionResources) -> tuple[list[dict], list[dict]]:
    article_id = article["article_id"]
    published = article["published_at"].date()
    actor_spans = find_actor_spans(doc, res)
    dateline = resolve_dateline(article.get("dateline_place"), res)
    weights = article_country_weights(doc, res, dateline, actor_spans)
    places = geoparse(doc, res, actor_spans, weights)
    place_rows = [place_row(article_id, span, place) for span, place in places]

    triggers = find_triggers(doc, res, actor_spans)
    event_heads = frozenset(token.i for token, _ in triggers)
    by_sentence: dict[int, list[tuple[Token, dict]]] = {}
    for token, info in triggers:
        by_sentence.setdefault(token.sent.start, []).append((token, info))

    events = []
    for sentence_index, sent in enumerate(doc.sents):
        found = by_sentence.get(sent.start)
        if not found:
            continue
        magnitudes = find_magnitudes(sent, res)
        merged: dict[str, list[tuple[Token, dict]]] = {}
        for token, info in found:
            merged.setdefault(info["event_type"], []).append((token, info))
        for event_type, group in merged.items():
            event = build_event(event_type, group, sent, sentence_index, article_id,
                                published, magnitudes, places, dateline, actor_spans, res,
                                article, event_heads)
            if event is not None:
                events.append(event)
    credit_claims(doc, events, res, actor_spans, event_heads)
    events = merge_coreferent(events, res)
    inherit_dates(events)
    for event in events:
        for key in [k for k in event if k.startswith("_")]:
            del event[key]
        event["extractor_version"] = EXTRACTOR_VERSION
    return events, place_rows
