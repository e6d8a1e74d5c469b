"""Event frames from a parsed article: who did what to whom, where, when, how many.
Pure spaCy, no Beam.

    events, places = extract_article(doc, article, resources)

``article`` needs ``article_id`` and ``published_at`` (aware datetime) and may carry
``dateline_place``. Each event is a dict with the events-table columns; each place a
dict with the places-table columns. Offsets are character offsets in ``doc.text``.
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter

from spacy.tokens import Doc, Span, Token

from transforms.dates import resolve_date_expression
from transforms.extraction_resources import Actor, ExtractionResources
from transforms.gazetteer import Place
from transforms.magnitudes import looks_like_year, parse_amount

EXTRACTOR_VERSION = "rules-0.1.0"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "across", "around", "on", "into",
                  "throughout", "within", "from", "over"}
REPORTING_VERBS = {"say", "tell", "report", "state", "announce", "add", "confirm", "note",
                   "write", "declare", "explain", "insist", "allege", "reveal"}
HYPOTHETICAL_MODALS = {"could", "might", "may", "would", "should", "can", "must"}
FUTURE_MODALS = {"will", "shall", "'ll"}
PLANNING_VERBS = {"plan", "plot", "intend", "aim", "prepare", "threaten", "vow", "pledge",
                  "promise", "seek", "try", "attempt", "expect", "want", "hope", "schedule",
                  "propose", "agree", "decide", "call", "urge", "warn"}
HYPOTHETICAL_NOUNS = {"threat", "risk", "possibility", "fear", "danger", "prospect",
                      "ability", "capacity", "capability", "likelihood", "chance"}
PLANNING_NOUNS = {"plot", "plan", "attempt", "bid", "intention", "preparation", "call"}
NON_ACTOR_ENTITIES = {"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
PRONOUNS = {"PRON"}


def stable_id(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:24]


# -- actors ---------------------------------------------------------------------------
def find_actor_spans(doc: Doc, res: ExtractionResources) -> dict[int, tuple[Span, Actor]]:
    """Token index -> (alias span, actor) for every lexicon alias, longest match first."""
    matches = [(start, end, key) for key, start, end in res.actor_matcher_exact(doc)]
    matches += [(start, end, key) for key, start, end in res.actor_matcher_lower(doc)]
    matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    by_token: dict[int, tuple[Span, Actor]] = {}
    for start, end, key in matches:
        if any(i in by_token for i in range(start, end)):
            continue
        span = doc[start:end]
        actor = res.actors[res.nlp.vocab.strings[key]]
        for i in range(start, end):
            by_token[i] = (span, actor)
    return by_token


def country_name(res: ExtractionResources, iso3: str | None) -> str | None:
    place = res.gazetteer.country(iso3)
    return place.name if place else None


def phrase_text(head: Token) -> str:
    """The noun phrase around a head, short enough to read: "Iraqi security forces"."""
    subtree = list(head.subtree)
    if len(subtree) <= 8:
        span = head.doc[subtree[0].i: subtree[-1].i + 1]
    else:
        span = head.doc[head.left_edge.i: head.i + 1]
    return " ".join(span.text.split()).strip(" ,.;:\"“”'-")


def describe_actor(head: Token, res: ExtractionResources, actor_spans: dict) -> dict | None:
    """The actor a phrase names: lexicon alias, else nationality + agent noun, else a
    country, else a generic agent; an unknown phrase keeps its text."""
    if head is None or head.pos_ in PRONOUNS or head.lower_ in ("who", "which", "that"):
        return None
    if head.ent_type_ in NON_ACTOR_ENTITIES:
        return None  # "met on Tuesday": a date is not a participant
    text = phrase_text(head)
    tokens = list(head.subtree)
    if len(tokens) > 8:
        tokens = [t for t in tokens if t.i <= head.i and t.i >= head.left_edge.i]
    hits = [(abs(t.i - head.i), actor_spans[t.i]) for t in tokens if t.i in actor_spans]
    if hits:
        _, (span, actor) = min(hits, key=lambda h: h[0])
        sector = actor.sector
        agent = res.agents.get(head.lemma_.lower())
        if head.i not in actor_spans and agent and actor.sector in ("GOV",) and agent in ("MIL", "COP"):
            sector = agent  # "Syrian regime forces"
        return {"text": text, "name": actor.name, "country": actor.country, "sector": sector}
    country = None
    for token in tokens:
        iso3 = res.demonyms.get(token.text.lower()) or res.demonyms.get(token.lemma_.lower())
        if iso3 is None and token.ent_type_ == "GPE":
            place = res.gazetteer.resolve(entity_text(token))
            if place is not None and place.feature_type == "country":
                iso3 = place.country_iso3
        if iso3:
            country = iso3
            break
    sector = res.agents.get(head.lemma_.lower())
    if sector is None:
        for token in tokens:
            if token.dep_ in ("compound", "amod") and token.head == head:
                sector = res.agents.get(token.lemma_.lower()) or sector
    if country and sector is None and head.ent_type_ in ("GPE", "NORP"):
        sector = "GOV"
    name = country_name(res, country) if country else None
    return {"text": text, "name": name, "country": country, "sector": sector}


def entity_text(token: Token) -> str:
    """The whole named entity a token belongs to ("United" -> "The United States")."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent.text.strip()
    return token.text


def child(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def prep_object(token: Token, preps: set[str]) -> Token | None:
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in preps:
            obj = child(prep, "pobj")
            if obj is not None:
                return obj
    return None


def governing_verb(token: Token) -> Token | None:
    """The verb a noun trigger hangs from ("held its meeting" -> held)."""
    head = token
    for _ in range(3):
        if head.head is head:
            return None
        head = head.head
        if head.pos_ in ("VERB", "AUX"):
            return head
    return None


def subject_of(verb: Token) -> Token | None:
    """A verb's subject, inherited from the verb it depends on when it has none."""
    for _ in range(4):
        subject = child(verb, "nsubj")
        if subject is not None:
            return subject
        if verb.dep_ in ("xcomp", "advcl", "conj", "ccomp", "pcomp") and verb.head is not verb:
            verb = verb.head
        else:
            return None
    return None


def find_roles(trigger: Token, actor_spans: dict) -> tuple[Token | None, Token | None]:
    """(actor1 head, actor2 head) from the parse: active, passive, by, against, on."""
    actor1 = actor2 = None
    if trigger.pos_ in ("VERB", "AUX"):
        passive = child(trigger, "nsubjpass")
        if passive is not None:
            actor2 = passive
            actor1 = prep_object(trigger, {"by"})
        elif trigger.tag_ == "VBN" and child(trigger, "aux") is None and child(trigger, "nsubj") is not None:
            actor2 = child(trigger, "nsubj")  # reduced passive: "with dozens killed"
        else:
            actor1 = subject_of(trigger)
            actor2 = child(trigger, "dobj")
        if actor2 is None:
            actor2 = prep_object(trigger, {"on", "against", "with", "at", "upon"})
        if actor2 is None and trigger.tag_ == "VBN" and trigger.dep_ in ("acl", "amod"):
            actor2 = trigger.head  # "soldiers killed in the attack"
    else:
        actor1 = child(trigger, "poss") or prep_object(trigger, {"by"})
        if actor1 is None:
            # "Daesh attack", "Iraqi raid": a name or nationality before the noun.
            for c in trigger.children:
                if c.dep_ in ("compound", "amod", "nmod") and c.i < trigger.i and (
                        c.ent_type_ in ("ORG", "NORP", "GPE") or c.i in actor_spans):
                    actor1 = c
                    break
        actor2 = prep_object(trigger, {"on", "against", "targeting", "with", "between", "upon"})
        verb = governing_verb(trigger)
        if actor1 is None and verb is not None and trigger.dep_ in ("dobj", "pobj", "attr", "conj"):
            actor1 = subject_of(verb)
        if actor2 is None and trigger.dep_ in ("nsubj",) and verb is not None:
            actor2 = child(verb, "dobj")
    if actor1 is not None and actor2 is not None and actor1.i == actor2.i:
        actor2 = None
    return actor1, actor2


# -- modality and attribution -----------------------------------------------------
def clause_chain(trigger: Token) -> tuple[list[Token], Token | None]:
    """The trigger and the heads above it up to (not into) a reporting verb, and that verb."""
    chain, token = [trigger], trigger
    while token.head is not token:
        if token.dep_ in ("relcl", "advcl"):
            break  # a relative or adverbial clause carries its own modality
        token = token.head
        if token.lemma_.lower() in REPORTING_VERBS and token.pos_ == "VERB":
            return chain, token
        chain.append(token)
        if len(chain) > 6:
            break
    return chain, None


def find_modality(trigger: Token, chain: list[Token]) -> str:
    """asserted, negated, hypothetical or future, from the trigger's clause."""
    negated = hypothetical = future = False
    if trigger.dep_ in ("nsubj", "nsubjpass"):
        # "the meeting will result in ...": the predicate's modal is not the meeting's.
        chain = chain[:1]
    for position, token in enumerate(chain):
        for c in token.children:
            lower = c.lower_
            if c.dep_ == "neg" or (c.dep_ == "det" and lower == "no" and position == 0):
                negated = True
            if c.dep_ == "aux" and c.tag_ == "MD":
                if lower in FUTURE_MODALS:
                    future = True
                elif lower in HYPOTHETICAL_MODALS:
                    hypothetical = True
            if c.dep_ == "mark" and lower in ("if", "unless", "whether"):
                hypothetical = True
            if c.dep_ == "aux" and lower == "going" and position == 0:
                future = True
        if position > 0:
            lemma = token.lemma_.lower()
            link = chain[position - 1].dep_
            if token.pos_ == "VERB" and lemma in PLANNING_VERBS and link in ("xcomp", "ccomp", "dobj"):
                future = True
            if token.pos_ == "NOUN" and lemma in HYPOTHETICAL_NOUNS:
                hypothetical = True
            if token.pos_ == "NOUN" and lemma in PLANNING_NOUNS:
                future = True
            if lemma in ("fail", "refuse", "deny"):
                negated = True
    if negated:
        return "negated"
    if hypothetical:
        return "hypothetical"
    if future:
        return "future"
    return "asserted"


def find_attribution(sent: Span, reporting_verb: Token | None, res, actor_spans) -> str | None:
    """Who said so: the subject of a reporting verb, or the object of "according to"."""
    source = subject_of(reporting_verb) if reporting_verb is not None else None
    if source is None:
        for token in sent:
            if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
                source = child(token.nbor(), "pobj") or child(token, "pobj")
                if source is None:
                    source = next((c for c in token.nbor().children if c.dep_ == "pobj"), None)
                break
    if source is None:
        return None
    actor = describe_actor(source, res, actor_spans)
    if actor is None:
        return None
    return actor["name"] or actor["text"]


# -- magnitudes -----------------------------------------------------------------------
def number_in(token: Token, res: ExtractionResources) -> int | None:
    """The amount a noun phrase states: "at least 11 soldiers", "dozens", "5,000 people"."""
    if token.like_num or token.lower_ in res.quantities:
        if token.like_num and looks_like_year(token.text):
            return None
        words = [t.text for t in token.subtree if t.like_num or t.lower_ in res.quantities
                 or t.lower_ in ("between", "and", "to")]
        return parse_amount(" ".join(words) or token.text, res.quantities)
    number = child(token, "nummod")
    if number is not None and not looks_like_year(number.text):
        words = [t.text for t in number.subtree if t.like_num or t.lower_ in res.quantities
                 or t.lower_ in ("between", "and", "to")]
        return parse_amount(" ".join(words), res.quantities)
    of_object = prep_object(token, {"of"})
    if of_object is not None and token.lower_ in ("death", "deaths", "toll"):
        return number_in(of_object, res)
    return None


def magnitude_field(token: Token, res: ExtractionResources) -> str | None:
    lemma = token.lemma_.lower()
    return (res.magnitude_words.get((lemma, token.pos_))
            or res.magnitude_words.get((lemma, "*"))
            or res.magnitude_words.get((token.lower_, "*")))


def find_magnitudes(sent: Span, res: ExtractionResources) -> list[tuple[str, int, int]]:
    """(field, amount, token index) for each magnitude word in a sentence with a number."""
    found = []
    for token in sent:
        field = magnitude_field(token, res)
        if field is None:
            continue
        candidates = []
        if token.pos_ in ("VERB", "AUX"):
            candidates += [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
            if token.tag_ == "VBN" or token.lemma_.lower() in ("die", "flee"):
                candidates += [c for c in token.children if c.dep_ == "nsubj"]
            if token.dep_ in ("acl", "amod", "relcl"):
                candidates.append(token.head)
        else:
            candidates.append(token)
            candidates += [c for c in token.children if c.dep_ in ("nsubj", "nummod")]
            if token.dep_ in ("amod", "acl"):
                candidates.append(token.head)
            if token.lower_ in ("toll",) or token.lemma_ == "death":
                obj = prep_object(token, {"of", "at", "to"})
                if obj is not None:
                    candidates.append(obj)
        for candidate in candidates:
            amount = number_in(candidate, res)
            if amount is not None:
                found.append((field, amount, token.i))
                break
    return found


# -- places ---------------------------------------------------------------------------
def article_country_weights(doc: Doc, res: ExtractionResources, dateline: Place | None) -> dict[str, float]:
    """How much the article talks about each country (country names, nationalities)."""
    counts: Counter = Counter()
    for ent in doc.ents:
        if ent.label_ in ("GPE", "LOC"):
            for place in res.gazetteer.candidates(ent.text)[:1]:
                if place.feature_type == "country":
                    counts[place.country_iso3] += 1
        elif ent.label_ == "NORP":
            iso3 = res.demonyms.get(ent.text.lower())
            if iso3:
                counts[iso3] += 0.5
    if dateline is not None and dateline.country_iso3:
        counts[dateline.country_iso3] += 2
    return {iso3: math.log2(1 + n) for iso3, n in counts.items()}


def resolve_dateline(text: str | None, res: ExtractionResources, weights=None) -> Place | None:
    """"QAMISHLI, Syria" -> Qamishli in Syria; "WASHINGTON DC" -> Washington."""
    if not text:
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    country = res.gazetteer.resolve(parts[-1]) if len(parts) > 1 else None
    hint = {country.country_iso3: 3.0} if country and country.feature_type == "country" else (weights or {})
    return res.gazetteer.resolve(parts[0].title(), hint) or res.gazetteer.resolve(parts[0], hint) or country


def geoparse(doc: Doc, res: ExtractionResources, actor_spans: dict, weights: dict) -> list[tuple[Span, Place]]:
    """Every place-name entity that the gazetteer can place."""
    found = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        alias = actor_spans.get(ent.start)
        if alias is not None:
            _, actor = alias
            acting = ent.root.dep_ in ("nsubj", "nsubjpass", "poss", "agent")
            if actor.sector not in ("GOV",) or actor.country is None or acting:
                continue  # "ISIS", "Daesh" are groups; "Washington imposed" is a government
        text = ent.text.strip()
        if text.endswith(("’s", "'s")):
            text = text[:-2]
        text = text.strip(" ,.;:\"“”'")
        place = res.gazetteer.resolve(text, weights)
        if place is not None and place.latitude is not None:
            found.append((ent, place))
    found += locative_names(doc, res, actor_spans, weights, found)
    return found + repeated_mentions(doc, found, actor_spans)


def locative_names(doc: Doc, res: ExtractionResources, actor_spans: dict, weights: dict,
                   found: list[tuple[Span, Place]]):
    """Proper nouns after "in", "near", "at" ... that the tagger did not call places.

    The small English model tags "Mali" or "Goma" as a person now and then. A proper
    noun governed by a locative preposition is taken as a place when the gazetteer
    knows it as a country or region, a town of 5,000+, or a town in a country the
    article is about.
    """
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    extra = []
    for token in doc:
        if (token.pos_ != "PROPN" or token.dep_ != "pobj" or token.i in covered
                or token.i in actor_spans or token.head.lower_ not in LOCATIVE_PREPS
                or token.ent_type_ in PLACE_LABELS | {"DATE", "TIME"}):
            continue
        start = token.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head == token:
            start -= 1
        span = doc[start:token.i + 1]
        place = res.gazetteer.resolve(span.text, weights)
        if place is None or place.latitude is None:
            continue
        if (place.feature_type in ("country", "admin1", "region") or place.population >= 5000
                or place.country_iso3 in weights):
            extra.append((span, place))
    return extra


def repeated_mentions(doc: Doc, found: list[tuple[Span, Place]], actor_spans: dict):
    """Other mentions of a name already placed in this article ("one sense per
    discourse"): the tagger may miss "Palma's residents" after "the town of Palma"."""
    by_text = {span.text: place for span, place in found}
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    extra = []
    for token in doc:
        place = by_text.get(token.text)
        if place is None or token.i in covered or token.i in actor_spans or token.pos_ != "PROPN":
            continue
        extra.append((doc[token.i:token.i + 1], place))
    return extra


def place_row(article_id: str, span: Span, place: Place) -> dict:
    return {"article_id": article_id, "text": span.text, "start": span.start_char,
            "end": span.end_char, "name": place.name, "geonameid": place.geonameid,
            "latitude": place.latitude, "longitude": place.longitude,
            "country_iso3": place.country_iso3, "admin1": place.admin1,
            "feature_type": place.feature_type}


def attached_by_preposition(token: Token, anchors: set[int]) -> str | None:
    """The preposition joining a place to the trigger or its verb, if it is locative."""
    prep = None
    node = token
    for _ in range(6):
        if node.head is node:
            return None
        if node.dep_ == "prep" and prep is None:
            prep = node.lower_
        node = node.head
        if node.i in anchors:
            return prep if prep in LOCATIVE_PREPS else None
    return None


def event_location(trigger: Token, verb: Token | None, sent: Span, places, dateline: Place | None):
    """(span or None, place, precision) for an event: the place attached to the trigger,
    else the nearest place in the sentence, else the last place of the sentence before
    it in the same paragraph, else the dateline."""
    anchors = {trigger.i} | ({verb.i} if verb is not None else set())
    in_sentence = [(span, place) for span, place in places if sent.start <= span.start < sent.end]
    for span, place in in_sentence:
        prep = attached_by_preposition(span.root, anchors)
        if prep:
            precision = place.geo_precision
            if prep in ("near", "outside", "around") and precision == 1:
                precision = 2
            return span, place, precision
    if in_sentence:
        span, place = min(in_sentence, key=lambda sp: abs(sp[0].root.i - trigger.i))
        return span, place, place.geo_precision
    previous = previous_sentence_in_paragraph(sent)
    if previous is not None:
        before = [(span, place) for span, place in places if previous.start <= span.start < previous.end]
        if before:
            span, place = before[-1]
            return span, place, place.geo_precision
    if dateline is not None:
        return None, dateline, dateline.geo_precision
    return None, None, None


def previous_sentence_in_paragraph(sent: Span) -> Span | None:
    if sent.start == 0:
        return None
    before = sent.doc[sent.start - 1]
    if "\n" in before.text:
        return None
    return before.sent


# -- dates ----------------------------------------------------------------------------
def event_date(trigger: Token, verb: Token | None, sent: Span, published):
    """(date, precision, text): the date expression attached to the trigger, else the
    nearest one in the sentence, else the publication date."""
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

    ordered = sorted(dates, key=lambda e: (not attached(e), abs(e.root.i - trigger.i)))
    for ent in ordered:
        resolved = resolve_date_expression(ent.text, published)
        if resolved is not None:
            return resolved[0], resolved[1], ent.text
    return published, "published", None


# -- events ---------------------------------------------------------------------------
def find_triggers(doc: Doc, res: ExtractionResources, actor_spans: dict) -> list[tuple[Token, dict]]:
    """(trigger head token, trigger info) for each trigger match that is not part of a
    name ("Coalition to Defeat ISIS") or a modifier ("attack helicopter")."""
    found, seen = [], set()
    for key, start, end in res.triggers(doc):
        span = doc[start:end]
        info = res.trigger_info[res.nlp.vocab.strings[key]]
        head = span.root
        if head.i in seen or any(i in actor_spans for i in range(start, end)):
            continue
        if head.ent_type_ in ("PERSON", "ORG", "WORK_OF_ART", "LAW", "EVENT") and head.pos_ != "VERB":
            continue
        if head.dep_ == "compound" and head.pos_ == "NOUN":
            continue
        if head.i > 0 and doc[head.i - 1].text in ("-", "‑"):
            continue  # "US-backed forces": a modifier, not an act of support
        blocked = info.get("not_with")
        if blocked and any(t.lemma_.lower() in blocked for t in (head.head, *head.children)):
            continue
        if not any(t.pos_ in ("VERB", "AUX") for t in head.sent):
            continue  # a heading, not a sentence
        seen.add(head.i)
        found.append((head, info))
    found.sort(key=lambda f: f[0].i)
    return found


GENERIC_MODES = ("", "firearms", "explosives")


def specific_mode(event_type: str, modes: list[str], sent: Span, res: ExtractionResources) -> str:
    """The primary trigger's mode, made more specific by the sentence's mode words
    ("an attack ... by a suicide bomber"), else the mode of another merged trigger."""
    chosen = modes[0] if modes else ""
    if event_type == "ASSAULT" and chosen in GENERIC_MODES:
        for token in sent:
            hit = res.modes.get(token.lemma_.lower()) or res.modes.get(token.lower_)
            if hit and hit[0] == event_type and not (chosen == "explosives" and hit[1] == "firearms"):
                return hit[1]
    return chosen or next((m for m in modes[1:] if m), "")


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


def extract_article(doc: Doc, article: dict, res: ExtractionResources) -> tuple[list[dict], list[dict]]:
    article_id = article["article_id"]
    published = article["published_at"].date()
    actor_spans = find_actor_spans(doc, res)
    dateline = resolve_dateline(article.get("dateline_place"), res)
    weights = article_country_weights(doc, res, dateline)
    places = geoparse(doc, res, actor_spans, weights)
    place_rows = [place_row(article_id, span, place) for span, place in places]

    by_sentence: dict[int, list[tuple[Token, dict]]] = {}
    for token, info in find_triggers(doc, res, actor_spans):
        by_sentence.setdefault(token.sent.start, []).append((token, info))

    events = []
    for sentence_index, sent in enumerate(doc.sents):
        triggers = by_sentence.get(sent.start)
        if not triggers:
            continue
        magnitudes = find_magnitudes(sent, res)
        merged: dict[str, list[tuple[Token, dict]]] = {}
        for token, info in triggers:
            merged.setdefault(info["event_type"], []).append((token, info))
        for event_type, group in merged.items():
            events.append(build_event(event_type, group, sent, sentence_index, article_id,
                                      published, magnitudes, places, dateline, actor_spans, res,
                                      article))
    return events, place_rows


def build_event(event_type, group, sent, sentence_index, article_id, published, magnitudes,
                places, dateline, actor_spans, res, article) -> dict:
    # The verb trigger carries the clause (actors, modality); a noun beside it often the name.
    trigger, info = min(group, key=lambda g: (g[0].pos_ != "VERB" and len(group) > 1
                                               and g[0].dep_ not in ("dobj",), g[0].i))
    verb = trigger if trigger.pos_ == "VERB" else governing_verb(trigger)
    mode = specific_mode(event_type, [info["mode"]] + [i["mode"] for t, i in group if t is not trigger],
                         sent, res)
    head1, head2 = find_roles(trigger, actor_spans)
    for other, _ in group:
        if head1 is None or head2 is None:
            o1, o2 = find_roles(other, actor_spans)
            head1, head2 = head1 or o1, head2 or o2
    actor1 = describe_actor(head1, res, actor_spans) if head1 is not None else None
    actor2 = describe_actor(head2, res, actor_spans) if head2 is not None else None
    coding = res.ontology.code(event_type, mode, actor2["sector"] if actor2 else None)
    span, place, precision = event_location(trigger, verb, sent, places, dateline)
    date, date_precision, date_text = event_date(trigger, verb, sent, published)
    chain, reporting = clause_chain(trigger)
    modality = find_modality(trigger, chain)
    if modality == "asserted" and date_precision == "day" and date > published:
        modality = "future"
    if modality == "future" and date_text and date < published and date_precision in ("day", "month"):
        # "will meet again in June": the next June, not the last one.
        ahead = resolve_date_expression("next " + date_text.lower().replace("next ", ""), published)
        if ahead is not None and ahead[0] >= published:
            date, date_precision = ahead
    amounts: dict[str, int] = {}
    if event_type in ("ASSAULT", "COERCE", "PROTEST"):
        for field, amount, _ in sorted(magnitudes, key=lambda m: abs(m[2] - trigger.i)):
            if field == "detained" and event_type != "COERCE" and any(
                    f == "detained" for f, _, _ in magnitudes) and event_type == "ASSAULT":
                continue
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
        "actor1_text": actor1["text"] if actor1 else None,
        "actor1_name": actor1["name"] if actor1 else None,
        "actor1_country": actor1["country"] if actor1 else None,
        "actor1_sector": actor1["sector"] if actor1 else None,
        "actor2_text": actor2["text"] if actor2 else None,
        "actor2_name": actor2["name"] if actor2 else None,
        "actor2_country": actor2["country"] if actor2 else None,
        "actor2_sector": actor2["sector"] if actor2 else None,
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
        "extractor_version": EXTRACTOR_VERSION,
    }
    event["confidence"] = score_confidence(info["weight"], trigger, event)
    return event
