"""One event frame from the triggers of one type in a sentence: its actors, place,
date, magnitudes, modality and attribution, type and mode, and confidence, as a row
of the events table. Pure spaCy, no Beam.
"""
from __future__ import annotations

import hashlib

from spacy.tokens import Span, Token

from newsevents.transforms.extraction.actors import author_of, describe_actor, find_roles, set_actor, victims
from newsevents.transforms.extraction.dates import resolve_date_expression
from newsevents.transforms.extraction.modality import find_attribution, find_modality, is_generic, is_non_event
from newsevents.transforms.extraction.places import event_location
from newsevents.transforms.extraction.syntax import child, clause_chain, governing_verb, prep_object
from newsevents.transforms.extraction.triggers import refine_type, specific_mode

SPEECH_ACTS = {"REQUEST", "THREATEN", "ACCUSE", "REJECT", "AGREE", "SUPPORT"}


def stable_id(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:24]


def build_event(event_type, group, sent, sentence_index, article_id, published, magnitudes,
                places, dateline, actor_spans, res, article, event_heads=frozenset()) -> dict | None:
    # The verb trigger carries the clause (actors, modality); a noun beside it often the name.
    trigger, info = min(group, key=lambda g: (g[0].pos_ != "VERB" and len(group) > 1
                                               and g[0].dep_ not in ("dobj",), g[0].i))
    verb = trigger if trigger.pos_ == "VERB" else governing_verb(trigger)
    mode = specific_mode(event_type, [info["mode"]] + [i["mode"] for t, i in group if t is not trigger],
                         sent, res)
    actor1 = actor2 = None
    head1 = None
    for token, _ in [(trigger, info)] + [g for g in group if g[0] is not trigger]:
        h1, h2 = find_roles(token, actor_spans, res)
        if actor1 is None and h1 is not None:
            actor1 = describe_actor(h1, res, actor_spans, event_heads)
            head1 = h1 if actor1 else None
        if actor2 is None and h2 is not None:
            actor2 = describe_actor(h2, res, actor_spans, event_heads)
    if actor1 is None:
        author = author_of(trigger, group, actor_spans, res)
        if author is not None:
            actor1 = describe_actor(author, res, actor_spans, event_heads)
            head1 = author if actor1 else None
    if actor2 is None and trigger.pos_ == "VERB":
        target = prep_object(trigger, {"at", "on", "against", "upon"})
        if target is not None:  # "fired mortars at an AU base"
            actor2 = describe_actor(target, res, actor_spans, event_heads)
    for token, _ in group:
        between = prep_object(token, {"between"}) if token.pos_ == "NOUN" else None
        partner = next((c for c in between.children if c.dep_ == "conj"), None) if between is not None else None
        if partner is not None:
            # "fighting between the army and Fano ... killed 30 civilians": the parties
            # are the two sides; the civilians are the toll.
            side1 = describe_actor(between, res, actor_spans, event_heads)
            side2 = describe_actor(partner, res, actor_spans, event_heads)
            if side1 and side2:
                actor1, head1, actor2 = side1, between, side2
            break
    if actor2 is None and event_type == "ASSAULT":
        actor2 = victims(sent, magnitudes, res, actor_spans, event_heads)
    if actor2 is None and event_type in SPEECH_ACTS and trigger.pos_ == "VERB":
        # "demanded that the US cancel ...": the one asked is the clause's subject.
        clause = child(trigger, "ccomp")
        addressee = child(clause, "nsubj", "nsubjpass") if clause is not None else None
        if addressee is not None:
            actor2 = describe_actor(addressee, res, actor_spans, event_heads)
    if event_type == "PROTEST" and actor1 is None and trigger.dep_ == "acl":
        actor1 = describe_actor(trigger.head, res, actor_spans, event_heads)  # "200 people protested"
        head1 = trigger.head if actor1 else None
    if event_type == "PROTEST":
        agent = next((t for t, _ in group if t.lemma_.lower() in res.agents), None)
        if agent is not None and (actor1 is None or actor1.get("sector") in ("COP", "MIL")):
            actor1, head1 = describe_actor(agent, res, actor_spans), agent  # "rioters set fire"
    chain, reporting = clause_chain(trigger, res)
    modality = find_modality(trigger, chain, res)
    if is_non_event(trigger, head1, res, event_heads):
        return None
    refined = refine_type(event_type, mode, trigger, actor1, actor2, sent, res)
    if refined is None:
        return None
    event_type, mode = refined
    coding = res.ontology.code(event_type, mode, actor2["sector"] if actor2 else None)
    span, place, precision, place_source = event_location(trigger, verb, sent, places, dateline, res)
    date, date_precision, date_text, date_attached = event_date(trigger, verb, sent, published)
    if modality == "asserted" and date_precision == "day" and date > published:
        modality = "future"
    if modality == "future" and date_text and date_attached and date < published \
            and date_precision in ("day", "month"):
        # "will meet again in June": the next June, not the last one.
        ahead = resolve_date_expression("next " + date_text.lower().replace("next ", ""), published)
        if ahead is not None and ahead[0] >= published:
            date, date_precision = ahead
    # "have carried out sporadic attacks since 2017": no day, so a trend, not an event.
    ongoing = date_precision in ("published", "month", "year")
    if trigger.tag_ == "NNS" and modality == "asserted" and ongoing and is_generic(trigger, res):
        return None  # "attacks on aid workers have become more frequent": a trend
    amounts: dict[str, int] = {}
    if event_type in ("ASSAULT", "COERCE", "PROTEST"):
        for field, amount, _ in sorted(magnitudes, key=lambda m: abs(m[2] - trigger.i)):
            if field == "detained" and event_type == "ASSAULT":
                continue  # detentions are the arrest's, not the attack's
            amounts.setdefault(field, amount)
    event = {
        "event_id": stable_id(article_id, trigger.idx, event_type),
        "article_id": article_id,
        "sentence_index": sentence_index,
        "sentence": sent.text.strip(),
        "trigger_text": trigger.text,
        "trigger_start": trigger.idx,
        "trigger_end": trigger.idx + len(trigger.text),
        "event_type": event_type,
        "event_mode": mode or None,
        "acled_event_type": coding.acled_event_type,
        "acled_sub_event_type": coding.acled_sub_event_type,
        "cameo_root": coding.cameo_root,
        "quad_class": coding.quad_class,
        "location_text": span.text if span is not None else (article.get("dateline_place") if place else None),
        "location_name": place.name if place else None,
        "geonameid": place.geonameid if place else None,
        "country_iso3": place.country_iso3 if place else None,
        "admin1": place.admin1 if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "geo_precision": precision,
        "event_date": date,
        "date_text": date_text,
        "date_precision": date_precision,
        "fatalities": amounts.get("fatalities"),
        "injured": amounts.get("injured"),
        "displaced": amounts.get("displaced"),
        "detained": amounts.get("detained"),
        "modality": modality,
        "attributed_to": find_attribution(sent, reporting, res, actor_spans),
        "_place_source": place_source,
        # "the attack", "the bombing": a definite event noun names an event told before.
        "_anaphoric": trigger.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                                     for c in trigger.children),
    }
    set_actor(event, "actor1", actor1)
    set_actor(event, "actor2", actor2)
    event["confidence"] = score_confidence(info["weight"], trigger, event)
    return event


def event_date(trigger: Token, verb: Token | None, sent: Span, published):
    """(date, precision, text, attached): the date expression attached to the trigger,
    else the nearest one in the sentence, else the publication date. A clause in the
    present tense ("are demanding a ransom") does not take a date told of another verb."""
    anchors = {trigger.i} | ({verb.i} if verb is not None else set())
    dates = [ent for ent in sent.ents if ent.label_ in ("DATE", "TIME")]

    def attached(ent):
        node = ent.root
        for _ in range(5):
            if node.i in anchors:
                return True
            if node.head is node:
                return False
            node = node.head
        return False

    clause = verb if verb is not None else trigger
    present = clause.tag_ in ("VBP", "VBZ") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBP", "VBZ") and c.lower_ not in ("has", "have")
        for c in clause.children)
    ordered = sorted(dates, key=lambda e: (not attached(e), abs(e.root.i - trigger.i)))
    for ent in ordered:
        is_attached = attached(ent)
        if present and not is_attached:
            continue
        resolved = resolve_date_expression(ent.text, published)
        if resolved is not None:
            return resolved[0], resolved[1], ent.text, is_attached
    return published, "published", None, False


def score_confidence(weight: float, trigger: Token, event: dict) -> float:
    """A heuristic score that ranks well-supported asserted events first.

    Starts from the trigger's lexicon weight; evidence (actors, place, a stated date,
    magnitudes) raises it; generic plurals ("attacks") and non-asserted modality lower it.
    """
    score = 0.35 + 0.35 * weight
    score += 0.08 if trigger.pos_ == "VERB" else 0.0
    score += 0.08 if event["actor1_name"] else (0.04 if event["actor1_text"] else 0.0)
    score += 0.04 if event["actor2_text"] else 0.0
    score += 0.06 if event["location_name"] else 0.0
    score += 0.04 if event["date_precision"] == "day" else 0.0
    score += 0.04 if any(event[f] is not None for f in ("fatalities", "injured", "displaced", "detained")) else 0.0
    if trigger.tag_ == "NNS" and not child(trigger, "nummod"):
        score -= 0.12  # "its attacks" is a trend more often than an event
    if event["modality"] != "asserted":
        score -= 0.2
    return round(max(0.05, min(0.99, score)), 3)
