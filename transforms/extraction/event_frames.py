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
import re
import unicodedata
from collections import Counter

from spacy.tokens import Doc, Span, Token

from newsevents.transforms.extraction.dates import resolve_date_expression
from newsevents.transforms.extraction.resources import Actor, ExtractionResources
from newsevents.transforms.extraction.gazetteer import Place, haversine_km
from newsevents.transforms.extraction.magnitudes import looks_like_year, parse_amount
from newsevents.transforms.extraction.parsing import parsed_spans

EXTRACTOR_VERSION = "rules-0.2.0"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
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


def own_subtree(head: Token) -> list[Token]:
    """A head's phrase without its conjuncts: "M23 rebels" of "M23 rebels and soldiers"."""
    cut = next((c.i for c in head.children if c.dep_ in ("cc", "conj") and c.i > head.i), None)
    return [t for t in head.subtree if cut is None or t.i < cut]


def phrase_text(head: Token) -> str:
    """The noun phrase around a head, short enough to read: "Iraqi security forces"."""
    subtree = own_subtree(head)
    if len(subtree) <= 8:
        span = head.doc[subtree[0].i: subtree[-1].i + 1]
    else:
        span = head.doc[head.left_edge.i: head.i + 1]
    return " ".join(span.text.split()).strip(" ,.;:\"“”'-")


def describe_actor(head: Token, res: ExtractionResources, actor_spans: dict,
                   event_heads: frozenset = frozenset()) -> dict | None:
    """The actor a phrase names: lexicon alias, else nationality + agent noun, else a
    country, else a generic agent; an unknown person or group keeps its text.

    Phrases that name no one are not actors: things ("a market", "an explosive vest"),
    towns ("the town of Palma" is where, not who) and events ("a suicide attack killed
    five": the attack's own modifiers may still name its author, "an Israeli strike").
    """
    if head is None or head.pos_ in PRONOUNS or head.lower_ in ("who", "which", "that"):
        return None
    if (head.like_num or head.lower_ in res.quantities) and prep_object(head, {"of"}) is not None:
        head = prep_object(head, {"of"})  # "thousands of people marched"
    if head.ent_type_ in NON_ACTOR_ENTITIES:
        return None  # "met on Tuesday": a date is not a participant
    text = phrase_text(head)
    tokens = own_subtree(head)
    if len(tokens) > 8:
        tokens = [t for t in tokens if t.i <= head.i and t.i >= head.left_edge.i]
    event_noun = head.i in event_heads and head.lemma_.lower() not in res.agents
    if event_noun:
        # Only the event's modifiers can name its author: not "... by X" inside it.
        tokens = [t for t in tokens if t.i <= head.i]
    hits = [(abs(t.i - head.i), actor_spans[t.i]) for t in tokens if t.i in actor_spans]
    if hits:
        _, (span, actor) = min(hits, key=lambda h: h[0])
        sector = actor.sector
        agent = res.agents.get(head.lemma_.lower())
        if head.i not in actor_spans and agent and actor.sector in ("GOV",) and agent in ("MIL", "COP"):
            sector = agent  # "Syrian regime forces"
        return {"text": text, "name": actor.name, "country": actor.country, "sector": sector,
                "lemma": head.lemma_.lower()}
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
    lemma = head.lemma_.lower()
    if lemma in res.word_classes["weapon"] or head.lower_ in res.word_classes["weapon"]:
        return None  # "detonated an IED": the weapon is not the target
    sector = res.agents.get(lemma) or res.agents.get(head.lower_)
    is_agent = lemma in res.agents or head.lower_ in res.agents
    for token in tokens:
        if token.dep_ in ("compound", "amod") and token.head == head:
            modifier = token.lemma_.lower()
            if modifier in res.agents:
                is_agent = True
                sector = sector or res.agents[modifier]
    if event_noun:
        if country is None:
            return None
        return {"text": text, "name": country_name(res, country), "country": country,
                "sector": sector if sector in ("MIL", "COP") else None, "lemma": lemma}
    if head.ent_type_ in PLACE_LABELS and country is None and not is_agent:
        return None  # a town is where something happened, not who did it
    named = head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or head.pos_ == "PROPN"
    if not (is_agent or named or country):
        return None
    if sector is None and not is_agent:
        owner = prep_object(head, {"of"})  # "members of an opposition party"
        if owner is not None and owner.lemma_.lower() in res.agents:
            sector = res.agents[owner.lemma_.lower()]
    plural_people = head.tag_ in ("NNPS", "NNS") and (
        head.ent_type_ == "NORP" or head.lemma_.lower() in res.demonyms or head.lower_.rstrip("s") in res.demonyms)
    if country and sector is None and plural_people:
        sector = "CVL"  # "3 Palestinians" were killed: people
    if country and sector is None and head.ent_type_ in ("GPE", "NORP"):
        sector = "GOV"  # "Egypt" agreed: its government
    name = country_name(res, country) if country else None
    return {"text": text, "name": name, "country": country, "sector": sector, "lemma": lemma}


def entity_text(token: Token) -> str:
    """The whole named entity a token belongs to ("United" -> "The United States")."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent.text.strip()
    return token.text


def child(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def prep_object(token: Token, preps: set[str]) -> Token | None:
    """The object of the first of these prepositions on a token that is not a date
    ("clashed on 12 March with ...": March is when, not whom)."""
    for prep in token.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in preps:
            obj = child(prep, "pobj")
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
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


def find_roles(trigger: Token, actor_spans: dict,
               res: ExtractionResources) -> tuple[Token | None, Token | None]:
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
        elif actor1 is None and trigger.tag_ == "VBD" and trigger.dep_ == "acl":
            actor1 = trigger.head  # parsed as a reduced relative: "200 people protested"
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
        temporal = trigger.dep_ == "pobj" and trigger.head.lower_ in res.word_classes["temporal_prep"]
        if actor1 is None and verb is not None and trigger.dep_ in ("dobj", "pobj", "attr", "conj") \
                and not temporal:
            actor1 = subject_of(verb)
        if actor2 is None and trigger.dep_ in ("nsubj",) and verb is not None:
            actor2 = child(verb, "dobj")
    if actor1 is None and actor2 is not None and trigger.pos_ != "VERB" and actor2.head.lower_ == "between":
        actor1, actor2 = actor2, None  # "fighting between X and Y"
    if actor1 is not None and actor2 is None:
        # "M23 rebels and Congolese soldiers clashed": the second party is the other side.
        partner = next((c for c in actor1.children if c.dep_ == "conj"), None)
        if partner is not None:
            actor2 = partner
    if actor1 is not None and actor2 is not None and actor1.i == actor2.i:
        actor2 = None
    return actor1, actor2


# -- modality and attribution -----------------------------------------------------
def clause_chain(trigger: Token, res: ExtractionResources) -> tuple[list[Token], Token | None]:
    """The trigger and the heads above it up to (not into) a reporting verb, and that verb."""
    chain, token = [trigger], trigger
    while token.head is not token:
        if token.dep_ in ("relcl", "advcl"):
            break  # a relative or adverbial clause carries its own modality
        token = token.head
        if token.lemma_.lower() in res.word_classes["reporting_verb"] and token.pos_ == "VERB":
            return chain, token
        chain.append(token)
        if len(chain) > 6:
            break
    return chain, None


def find_modality(trigger: Token, chain: list[Token], res: ExtractionResources) -> str:
    """asserted, negated, hypothetical or future, from the trigger's clause."""
    classes = res.word_classes
    negated = hypothetical = future = False
    if trigger.dep_ in ("nsubj", "nsubjpass"):
        # "the meeting will result in ...": the predicate's modal is not the meeting's.
        chain = chain[:1]
    if trigger.pos_ == "VERB" and trigger.dep_ == "advcl" and trigger.lemma_.lower() not in classes["protest_verb"] \
            and any(c.dep_ == "aux" and c.tag_ == "TO" for c in trigger.children):
        # "deployed troops to fight bandits": a purpose, not a fight ("staged a sit-in
        # to protest" is the protest itself).
        future = True
    for position, token in enumerate(chain):
        for c in token.children:
            lower = c.lower_
            if c.dep_ == "neg" or (c.dep_ == "det" and lower == "no" and position == 0):
                negated = True
            if c.dep_ == "aux" and c.tag_ == "MD":
                if lower in classes["future_modal"]:
                    future = True
                elif lower in classes["hypothetical_modal"]:
                    hypothetical = True
            if c.dep_ == "mark" and lower in ("if", "unless", "whether"):
                hypothetical = True
            if c.dep_ == "aux" and lower == "going" and position == 0:
                future = True
        if position > 0:
            lemma = token.lemma_.lower()
            link = chain[position - 1].dep_
            if token.pos_ == "VERB" and lemma in classes["planning_verb"] and link in ("xcomp", "ccomp", "dobj"):
                future = True
            if token.pos_ == "NOUN" and lemma in classes["hypothetical_noun"]:
                hypothetical = True
            if token.pos_ == "NOUN" and lemma in classes["planning_noun"]:
                future = True
            if lemma in classes["negating_word"]:
                negated = True
            if lemma in classes["alleging_verb"] and link in ("pcomp", "pobj", "prep"):
                hypothetical = True  # "accused Russia of shelling": alleged, not reported
    if trigger.dep_ in ("nsubj", "nsubjpass"):
        predicate = trigger.head
        if any(c.dep_ == "acomp" and c.lemma_.lower() in classes["unreal_adjective"] for c in predicate.children):
            hypothetical = True  # "a deal was possible but not imminent"
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
def number_in(token: Token, res: ExtractionResources, coordinated: bool = True) -> int | None:
    """The amount a noun phrase states: "at least 11 soldiers", "dozens", "5,000 people",
    "a journalist" (one person), "seven insurgents and two soldiers" (nine)."""
    amount = own_number(token, res)
    if amount is None or not coordinated:
        return amount
    for other in token.conjuncts:
        if other.i > token.i:
            extra = own_number(other, res)
            if extra is not None:
                amount += extra
    return amount


def own_number(token: Token, res: ExtractionResources) -> int | None:
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
    if of_object is not None and token.like_num is False and token.lower_ in res.quantities:
        return None
    if token.tag_ in ("NN", "NNP") and token.lemma_.lower() in res.persons:
        # "killed a journalist", "a woman and her son": one person each.
        determiner = child(token, "det", "poss")
        if determiner is not None and determiner.lower_ not in ("no", "any", "every", "each", "some"):
            return 1
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
        elif token.dep_ in ("oprd", "acomp", "advmod", "xcomp", "dep", "ccomp") and token.head.pos_ == "VERB":
            # "shot dead five civilians", "hacked 14 people to death"
            verb = token.head
            candidates += [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
        elif (token.dep_ == "pobj" and token.head.lower_ == "to" and token.head.head.pos_ == "VERB"
              and token.head.head.lemma_.lower() not in ("sentence", "condemn")):
            verb = token.head.head
            candidates += [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
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
def article_country_weights(doc: Doc, res: ExtractionResources, dateline: Place | None,
                            actor_spans: dict | None = None) -> dict[str, float]:
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
    for _, actor in {id(a): (s, a) for s, a in actor_spans.values()}.values() if actor_spans else ():
        if actor.country:
            counts[actor.country] += 0.5  # "al-Shabaab" says Somalia
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
    found = placed_with_regions(doc, res, weights)
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS or any(i in covered for i in range(ent.start, ent.end)):
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
        if place is not None and place.latitude is not None and not far_off(place, weights):
            found.append((ent, place))
    found += locative_names(doc, res, actor_spans, weights, found)
    return found + repeated_mentions(doc, found, actor_spans)


NAME_WITH_REGIONS = re.compile(r"\b([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) \(([^()]{2,80})\)")


def fold(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", text)


def placed_with_regions(doc: Doc, res: ExtractionResources, weights: dict) -> list[tuple[Span, Place]]:
    """ACLED's way of naming a place, "Sebba (Seno, Sahel)": the town, then its district
    and region. The regions pick the right namesake and the country; a town the
    gazetteer lacks is placed at its region."""
    found = []
    for match in NAME_WITH_REGIONS.finditer(doc.text):
        name, parts = match.group(1), [p.strip() for p in match.group(2).split(",") if p.strip()]
        folded = {fold(p) for p in parts}
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is None or not parts:
            continue
        candidates = [p for p in res.gazetteer.candidates(name) if p.latitude is not None]
        fitting = [p for p in candidates if fold(p.admin1) in folded or fold(p.name) in folded - {fold(name)}]
        if not fitting:
            regions = [p for part in reversed(parts) for p in res.gazetteer.candidates(part)
                       if p.feature_type in ("admin1", "region") and p.latitude is not None]
            countries = {r.country_iso3 for r in regions}
            fitting = [p for p in candidates if p.country_iso3 in countries] or regions[:1]
        if not fitting:
            continue
        place = max(fitting, key=lambda p: (p.feature_type == "city", p.population))
        if place.country_iso3:
            weights[place.country_iso3] = weights.get(place.country_iso3, 0) + 1.0
        found.append((span, place))
    return found


def far_off(place: Place, weights: dict) -> bool:
    """A small town abroad in an article about other countries is a namesake ("Mahas"
    in a Somalia story is not the Jordanian village), not the place meant."""
    return bool(weights) and place.feature_type == "city" and place.country_iso3 not in weights \
        and place.population < 100_000


def locative_names(doc: Doc, res: ExtractionResources, actor_spans: dict, weights: dict,
                   found: list[tuple[Span, Place]]):
    """Proper nouns in place positions that the tagger did not call places: after "in",
    "near", "at" ..., in "the town of X", and before an area noun ("Borno state", "the
    Jilib area").

    The small English model tags "Mali" or "Goma" as a person now and then. Such a name
    is taken as a place when the gazetteer knows it as a country or region, a town of
    5,000+, or a town in a country the article is about; before "province", "state" and
    the like, a region of that name is preferred.
    """
    covered = {i for span, _ in found for i in range(span.start, span.end)}
    classes = res.word_classes
    area_nouns = classes["admin_noun"] | classes["place_noun"]
    extra = []
    for token in doc:
        if token.pos_ != "PROPN" or token.i in covered or token.i in actor_spans \
                or token.ent_type_ in {"DATE", "TIME"}:
            continue
        head = token.head
        before_area = token.dep_ == "compound" and head.lemma_.lower() in area_nouns
        after_preposition = token.dep_ == "pobj" and (
            head.lower_ in classes["locative_prep"]
            or (head.lower_ == "of" and head.head.lemma_.lower() in area_nouns))
        if not (before_area or after_preposition):
            continue
        if after_preposition and token.ent_type_ in PLACE_LABELS:
            continue  # the entity pass has seen it
        start = token.i
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].head in (token, head) \
                and doc[start - 1].i not in covered:
            start -= 1
        span = doc[start:token.i + 1]
        if before_area and head.lemma_.lower() in classes["admin_noun"]:
            regions = [p for p in res.gazetteer.candidates(span.text) if p.feature_type in ("admin1", "region")
                       and (not weights or p.country_iso3 in weights)]
            place = max(regions, key=lambda p: p.population) if regions else res.gazetteer.resolve(span.text, weights)
        else:
            place = res.gazetteer.resolve(span.text, weights)
        if place is None or place.latitude is None:
            continue
        if far_off(place, weights):
            continue
        if (place.feature_type in ("country", "admin1", "region") or place.population >= 5000
                or place.country_iso3 in weights):
            covered.update(range(span.start, span.end))
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


def attached_by_preposition(token: Token, anchors: set[int], res: ExtractionResources) -> str | None:
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
            return prep if prep in res.word_classes["locative_prep"] else None
    return None


def place_is_scene(span: Span, res: ExtractionResources, anchors: set[int]) -> bool:
    """Whether a place mention can be where an event happened: "in Gwoza", "near the
    town of Palma", "attacked Kidal"; not a country acting or named as a party
    ("Egypt and Sudan agreed", "a US drone strike", "talks with Iran")."""
    node = span.root
    for _ in range(4):
        if node.dep_ in ("compound", "appos", "conj", "poss", "nmod", "amod", "npadvmod") and node.head is not node:
            node = node.head
        else:
            break
    if node.dep_ == "pobj":
        prep = node.head
        if prep.lower_ == "from":
            return prep.head.i in anchors  # "withdrew from Gao", not "delegations from Ethiopia"
        classes = res.word_classes
        if prep.lower_ in classes["locative_prep"]:
            return True
        if prep.lower_ == "of" and prep.head.lemma_.lower() in classes["place_noun"] | classes["admin_noun"]:
            return True  # "the town of Palma", "the outskirts of Goma"
    if node.dep_ in ("dobj", "nsubjpass") and node.head.i in anchors:
        return True  # "attacked Kidal", "Kidal was shelled"
    return False


def event_location(trigger: Token, verb: Token | None, sent: Span, places, dateline: Place | None,
                   res: ExtractionResources):
    """(span or None, place, precision, source) for an event: the place attached to the
    trigger, else the nearest place in the sentence that can be a scene, else the last
    such place of the sentence before it in the same paragraph, else the dateline."""
    anchors = {trigger.i} | ({verb.i} if verb is not None else set())
    in_sentence = [(span, place) for span, place in places if sent.start <= span.start < sent.end]
    attached = [(span, place, attached_by_preposition(span.root, anchors, res)) for span, place in in_sentence]
    attached = [a for a in attached if a[2]]
    if attached:
        # "in Kaya (Kaya, Sanmatenga), Centre-Nord region": the town, not the region.
        span, place, prep = min(attached, key=lambda a: (a[1].geo_precision or 3, a[0].start))
        precision = place.geo_precision
        if prep in ("near", "outside", "around") and precision == 1:
            precision = 2
        return span, place, precision, "attached"
    scenes = [(span, place) for span, place in in_sentence if place_is_scene(span, res, anchors)]
    if scenes:
        # The most precise place wins over a country named beside it ("in Khost
        # province of Afghanistan"), then the nearest to the trigger.
        span, place = min(scenes, key=lambda sp: (sp[1].geo_precision or 3) * 100 + abs(sp[0].root.i - trigger.i))
        return span, place, place.geo_precision, "sentence"
    previous = previous_sentence_in_paragraph(sent)
    if previous is not None:
        before = [(span, place) for span, place in places if previous.start <= span.start < previous.end
                  and place_is_scene(span, res, set())]
        if before:
            span, place = before[-1]
            return span, place, place.geo_precision, "previous"
    if dateline is not None:
        return None, dateline, dateline.geo_precision, "dateline"
    return None, None, None, None


def previous_sentence_in_paragraph(sent: Span) -> Span | None:
    if sent.start == 0:
        return None
    before = sent.doc[sent.start - 1]
    if "\n" in before.text:
        return None
    return before.sent


# -- dates ----------------------------------------------------------------------------
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


# -- events ---------------------------------------------------------------------------
def find_triggers(doc: Doc, res: ExtractionResources, actor_spans: dict) -> list[tuple[Token, dict]]:
    """(trigger head token, trigger info) for each trigger match that is not part of a
    name ("Coalition to Defeat ISIS") or a modifier ("attack helicopter")."""
    found, seen = [], set()
    # Only where the model parsed: the pre-filter left no trigger elsewhere, and the
    # Matcher walking every token of a long article costs more than the rules.
    matches = [(key, part.start + start, part.start + end)
               for part in parsed_spans(doc) for key, start, end in res.triggers(part)]
    for key, start, end in matches:
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
        if head.dep_ == "amod" or (head.dep_ == "acl" and head.tag_ == "VBN" and info["event_type"] == "ACCUSE"):
            continue  # "detained journalists", "a seized ship", "a man accused of blasphemy"
        seen.add(head.i)
        found.append((head, info))
    found.sort(key=lambda f: f[0].i)
    by_index = {token.i: info for token, info in found}
    # A noun acted on by a trigger of another type is the object, not an event: "lifted
    # the curfew", "dismissed the ultimatum", "condemned the attack", "welcomed the truce".
    return [(token, info) for token, info in found
            if not (token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "pobj")
                    and governing_trigger(token, by_index, info))]


def governing_trigger(token: Token, by_index: dict, info: dict) -> bool:
    head = token.head if token.dep_ == "dobj" else token.head.head
    other = by_index.get(head.i)
    return other is not None and other["event_type"] != info["event_type"] and head.pos_ == "VERB"


GENERIC_MODES = ("", "firearms", "explosives")


def specific_mode(event_type: str, modes: list[str], sent: Span, res: ExtractionResources) -> str:
    """The most specific mode among the merged triggers ("overran ... took control" is
    taking territory), else a generic one made specific by the sentence's mode words
    ("an attack ... by a suicide bomber")."""
    chosen = min((m for m in modes if m), key=mode_rank, default="")
    if event_type == "ASSAULT" and chosen in GENERIC_MODES:
        hits = []
        for token in sent:
            hit = res.modes.get(token.lemma_.lower()) or res.modes.get(token.lower_)
            if hit and hit[0] == event_type and not (chosen == "explosives" and hit[1] == "firearms"):
                hits.append(hit[1])
        if hits:
            return min(hits, key=mode_rank)
    return chosen


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
    return events, place_rows


# -- one event from the triggers of one type in a sentence ------------------------------
MODE_PRIORITY = ("excessive-force", "intervention", "mob", "riot", "retake", "occupy", "ceasefire",
                 "suicide-bomb", "chemical", "aerial", "artillery", "grenade", "explosives",
                 "abduct", "sexual", "arrest", "disrupt", "firearms", "clash")


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
        "extractor_version": EXTRACTOR_VERSION,
        "_place_source": place_source,
        # "the attack", "the bombing": a definite event noun names an event told before.
        "_anaphoric": trigger.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that")
                                                     for c in trigger.children),
    }
    set_actor(event, "actor1", actor1)
    set_actor(event, "actor2", actor2)
    event["confidence"] = score_confidence(info["weight"], trigger, event)
    return event


def author_of(trigger: Token, group, actor_spans: dict, res: ExtractionResources) -> Token | None:
    """Who acted when the clause's subject is no actor: "an IED planted by ISWAP
    exploded", "shells fired by al-Shabaab landed", "they had taken over" in what the
    RSF said."""
    for token, _ in group:
        subject = subject_of(token) if token.pos_ == "VERB" else None
        for noun in [n for n in (subject, token) if n is not None]:
            if noun.pos_ == "NOUN":
                agent = prep_object(noun, {"by"})
                if agent is not None:
                    return agent  # "shelling by the RSF hit a market"
            for acl in noun.children:
                if acl.dep_ in ("acl", "relcl") and acl.tag_ == "VBN":
                    agent = prep_object(acl, {"by"})
                    if agent is not None:
                        return agent
        if subject is not None and subject.lower_ in ("they", "it", "we", "he", "she"):
            _, reporting = clause_chain(token, res)
            if reporting is not None:
                speaker = subject_of(reporting)
                if speaker is not None and speaker.pos_ != "PRON":
                    return speaker
    return None


def set_actor(event: dict, role: str, actor: dict | None) -> None:
    for key in ("text", "name", "country", "sector"):
        event[f"{role}_{key}"] = actor[key] if actor else None


def victims(sent: Span, magnitudes, res, actor_spans, event_heads):
    """Who was hit, from the casualty phrase when the trigger's clause names no target:
    "an airstrike ..., killing 8 civilians"."""
    for field, _, index in magnitudes:
        if field not in ("fatalities", "injured"):
            continue
        token = sent.doc[index]
        objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        if token.tag_ == "VBN" and token.dep_ in ("acl", "amod"):
            objects.append(token.head)
        for obj in objects:
            actor = describe_actor(obj, res, actor_spans, event_heads)
            if actor is not None:
                return actor
    return None


def is_non_event(trigger: Token, head1: Token | None, res: ExtractionResources,
                 event_heads: frozenset = frozenset()) -> bool:
    """Deaths with a non-political cause ("floods killed 30", "a gas cylinder explosion",
    "a truck overturned ..., killing 12")."""
    causes = res.word_classes["non_event_cause"]
    suspects = [t for t in trigger.children if t.dep_ in ("compound", "nsubj", "amod")]
    for clause in (c for c in trigger.children if c.dep_ == "advcl"):
        # "killed when a gold mine collapsed", "when their bus overturned"
        suspects.append(clause)
        suspects += [c for c in clause.children if c.dep_ == "nsubj"]
    if head1 is not None:
        suspects += [head1] + [t for t in head1.children if t.dep_ in ("compound", "amod")]
    node = trigger
    for _ in range(4):
        if node.head is node or node.dep_ not in ("advcl", "conj", "xcomp", "acl"):
            break
        node = node.head
        if node.i in event_heads:
            break  # "a bus was attacked ..., killing 12": the bus was the target
        suspects.append(node)
        suspects += [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "dep", "compound")]
    return any(t.lemma_.lower() in causes or t.lower_ in causes for t in suspects)




def is_generic(trigger: Token, res: ExtractionResources) -> bool:
    """A plural event noun that stands for many events, not one: a trend ("attacks have
    become more frequent", "intensified its attacks", "amid rising attacks") or a tally
    ("carried out 17 attacks in March", "more than 70 terrorist attacks")."""
    if trigger.tag_ != "NNS":
        return False
    number = child(trigger, "nummod")
    if number is not None:
        amount = parse_amount(number.text, res.quantities)
        return amount is None or amount > 1
    if any(c.dep_ == "amod" and c.lower_ in res.word_classes["trend_modifier"] for c in trigger.children):
        return True
    verb = governing_verb(trigger) or trigger.head
    if verb.lemma_.lower() in res.word_classes["trend_verb"]:
        return True
    if any(c.dep_ in ("det", "poss") for c in trigger.children):
        return False
    tags = {verb.tag_} | {c.tag_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return bool(tags & {"VBZ", "VBP"})


def object_head(trigger: Token) -> Token | None:
    obj = child(trigger, "dobj")
    if obj is not None and obj.lower_ == "control":
        obj = prep_object(obj, {"of"}) or obj
    if obj is None:
        obj = prep_object(trigger, {"of"})  # "took control of the town"
    return obj


def is_place_like(token: Token | None, res: ExtractionResources) -> bool:
    if token is None:
        return False
    if token.lemma_.lower() in res.word_classes["place_noun"]:
        return True
    if token.ent_type_ in PLACE_LABELS:
        return True
    return token.pos_ == "PROPN" and res.gazetteer.resolve(token.text) is not None


STATE_SECTORS = {"MIL", "COP", "GOV"}
SPEECH_ACTS = {"REQUEST", "THREATEN", "ACCUSE", "REJECT", "AGREE", "SUPPORT"}


def is_reference(trigger: Token, res: ExtractionResources) -> bool:
    """A meeting or deal mentioned, not one held or made: "the ceasefire has held",
    "since the ceasefire began", "welcomed the ceasefire", "spoke about a truce"."""
    classes = res.word_classes
    if trigger.dep_ == "pobj" and trigger.head.lower_ in classes["temporal_prep"] | {"about", "on", "of", "under", "to"}:
        return True
    if trigger.dep_ in ("nsubj", "nsubjpass"):
        return trigger.head.lemma_.lower() not in classes["occurrence_verb"]
    if trigger.dep_ == "dobj":
        return trigger.head.lemma_.lower() not in classes["occurrence_verb"]
    return False


def is_threat(trigger: Token, res) -> bool:
    """"warned that it would attack", "vowed to avenge", "warned Hezbollah": a threat;
    "analysts warn that IS could regain ...", "vowed to fight corruption": not one."""
    for c in trigger.children:
        if c.dep_ == "xcomp" and c.lemma_.lower() in res.word_classes["threat_complement"]:
            return True
        if c.dep_ == "ccomp":
            subject = child(c, "nsubj")
            if subject is not None and subject.pos_ == "PRON" and subject.lower_ not in ("there",):
                return True
        if c.dep_ == "dobj" and (c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON") or c.lemma_.lower() in res.agents):
            return True
    return False


def refine_type(event_type, mode, trigger, actor1, actor2, sent, res):
    """ACLED's rules on top of the trigger: taking a town is territory, police firing on
    protesters is excessive force, a broken-up protest an intervention, attacking a
    budget criticism. None drops the event."""
    lemma = trigger.lemma_.lower()
    sentence_lemmas = {t.lemma_.lower() for t in sent if t.pos_ != "PROPN"}  # not "March"
    protest_in_sentence = bool(sentence_lemmas & res.word_classes["protest_word"])
    if event_type in ("AGREE", "CONSULT") and trigger.pos_ in ("NOUN", "PROPN") and is_reference(trigger, res):
        return None
    if event_type == "REQUEST" and trigger.dep_ in ("advcl", "xcomp", "acl") and (
            trigger.head.lemma_.lower() in res.word_classes["protest_verb"] | {"stage", "gather", "rally", "strike", "block"}
            or protest_in_sentence):
        return None  # "marched to demand civilian rule": the demand is the protest's
    if event_type == "PROTEST" and trigger.pos_ == "NOUN" and trigger.dep_ == "pobj" \
            and trigger.head.lower_ == "in" and not any(c.dep_ == "det" for c in trigger.children):
        return None  # "recalled its ambassador in protest": a motive, not a protest
    if event_type == "THREATEN" and lemma in ("warn", "vow") and not is_threat(trigger, res):
        return None
    if event_type == "ASSAULT" and trigger.pos_ == "NOUN" and trigger.dep_ in ("dobj", "nsubjpass") \
            and trigger.head.lemma_.lower() in res.word_classes["disrupt_verb"]:
        return None  # "defused a roadside bomb": no bombing happened
    obj = object_head(trigger)
    if event_type == "COERCE" and mode == "seize" and is_place_like(obj, res):
        event_type, mode = "ASSAULT", "occupy"
    if event_type == "COERCE" and mode == "seize" and obj is not None and \
            obj.lemma_.lower() in res.word_classes["weapon"]:
        mode = "disrupt"
    if event_type == "ASSAULT" and mode == "occupy" and actor1 and actor1["sector"] in STATE_SECTORS \
            and (actor1["country"] or actor1["sector"] in ("MIL", "COP")):
        mode = "retake"  # state forces taking ground: ACLED's "Government regains territory"
    if event_type == "ASSAULT" and lemma == "attack" and obj is not None and \
            obj.lemma_.lower() in res.word_classes["abstract_target"]:
        return "ACCUSE", "criticize"
    if event_type == "ASSAULT" and actor1 and actor1["sector"] in ("COP", "MIL") and protest_in_sentence:
        return "PROTEST", "excessive-force"
    for rule in res.recodes:
        role_actor = actor1 if rule["role"] == "actor1" else actor2
        if rule["event_type"] == event_type and role_actor and role_actor.get("lemma") in rule["lemmas"]:
            event_type, mode = rule["new_event_type"], rule["new_mode"]
            break
    if event_type == "PROTEST" and mode in ("", "demonstrate", "strike"):
        if sentence_lemmas & (res.word_classes["intervention_cue"] | {"arrest", "detain"}):
            mode = "intervention"
    return event_type, mode


def inherit_dates(events: list[dict]) -> None:
    """An event told without a date in the two sentences after a dated one happened that
    day too ("... on Wednesday, killing four soldiers. Troops later killed two of the
    attackers"): better than the publication day."""
    for index, event in enumerate(events):
        if event["date_precision"] != "published" or event["modality"] != "asserted":
            continue
        for earlier in reversed(events[:index]):
            gap = event["sentence_index"] - earlier["sentence_index"]
            if gap > 2:
                break
            if gap > 0 and earlier["date_precision"] == "day" and earlier["modality"] == "asserted":
                event["event_date"] = earlier["event_date"]
                event["date_precision"] = "day"
                break




def credit_claims(doc: Doc, events: list[dict], res, actor_spans, event_heads) -> None:
    """"Al-Shabaab claimed responsibility": the claimant is the author of the latest
    violent event without one, in that sentence or the two before."""
    for sentence_index, sent in enumerate(doc.sents):
        for token in sent:
            if token.lemma_.lower() != "claim" or token.pos_ != "VERB":
                continue
            obj = child(token, "dobj")
            if obj is None or obj.lemma_.lower() not in res.word_classes["claimed_noun"]:
                continue
            subject = subject_of(token)
            if subject is None or child(token, "neg") is not None or any(
                    c.lower_ in ("no", "none") for c in subject.subtree):
                continue  # "no group claimed the blast"
            claimant = describe_actor(subject, res, actor_spans, event_heads)
            if claimant is None:
                continue
            for event in reversed(events):
                if event["event_type"] == "ASSAULT" and 0 <= sentence_index - event["sentence_index"] <= 2 \
                        and (not event["actor1_text"] or (claimant["name"] and not event["actor1_name"])):
                    set_actor(event, "actor1", claimant)  # a named claimant beats "militants"
                    break


# -- one event told in several sentences -----------------------------------------------
MERGEABLE = {"ASSAULT", "PROTEST", "COERCE"}


def merge_coreferent(events: list[dict], res: ExtractionResources) -> list[dict]:
    """Fold mentions of one event into its first mention: a toll or a target given in
    the next sentence ("Seven insurgents were killed"), two triggers of one sentence that
    rules recoded to the same type, the arrests at a protest.

    A later mention joins an earlier one of the same type when it is asserted, within
    two sentences, names no other author, no other date and no other place.
    """
    kept: list[dict] = []
    for event in events:
        target = next((k for k in reversed(kept) if corefers(k, event)), None)
        if target is None:
            kept.append(event)
        else:
            absorb(target, event, res)
    return kept


def corefers(first: dict, later: dict) -> bool:
    same_sentence = first["sentence_index"] == later["sentence_index"]
    if first["modality"] != "asserted" or later["modality"] != "asserted":
        return False
    if same_sentence and first["event_type"] == "PROTEST" and later["event_type"] == "COERCE" \
            and later["event_mode"] == "arrest":
        return True  # arrests at a protest are ACLED's "Protest with intervention"
    if same_sentence and first["event_type"] in ("ASSAULT", "PROTEST") and later["event_type"] == "COERCE" \
            and later["event_mode"] in ("destroy", "seize"):
        return True  # "attacked farmers ..., burning homes": one attack
    if same_sentence and first["event_type"] == later["event_type"] == "PROTEST":
        return True  # police firing on a march and the march are one ACLED event
    if first["event_type"] == "ASSAULT" and later["event_type"] == "COERCE" and later["event_mode"] in ("destroy", "seize") \
            and 0 < later["sentence_index"] - first["sentence_index"] <= 1 and later["date_precision"] == "published":
        return True  # "The attackers also burned dozens of homes."
    if first["event_type"] != later["event_type"] or first["event_type"] not in MERGEABLE:
        return False
    if not same_sentence and not (0 < later["sentence_index"] - first["sentence_index"] <= 2):
        return False
    if later["date_precision"] != "published" and later["event_date"] != first["event_date"]:
        return False
    for role in ("actor1",):
        a, b = first[f"{role}_name"] or first[f"{role}_text"], later[f"{role}_name"] or later[f"{role}_text"]
        if a and b and a.lower() != b.lower() and not (
                first[f"{role}_country"] and first[f"{role}_country"] == later[f"{role}_country"]):
            return False
        if b and not a and not same_sentence and not later["_anaphoric"]:
            return False
    if later["_place_source"] in ("attached", "sentence") and first["latitude"] is not None \
            and later["latitude"] is not None and haversine_km(
                first["latitude"], first["longitude"], later["latitude"], later["longitude"]) > 50:
        return False
    return True


PLACE_FIELDS = ("location_text", "location_name", "geonameid", "country_iso3", "admin1",
                "latitude", "longitude", "geo_precision", "_place_source")


def absorb(target: dict, other: dict, res: ExtractionResources) -> None:
    if other["event_type"] != target["event_type"]:
        if target["event_type"] == "PROTEST" and other["event_mode"] == "arrest":
            target["event_mode"] = "intervention"
    elif mode_rank(other["event_mode"]) < mode_rank(target["event_mode"]):
        target["event_mode"] = other["event_mode"]
    for field in ("fatalities", "injured", "displaced", "detained"):
        if target[field] is None and other[field] is not None:
            target[field] = other[field]
    for role in ("actor1", "actor2"):
        if not target[f"{role}_text"] and other[f"{role}_text"]:
            for key in ("text", "name", "country", "sector"):
                target[f"{role}_{key}"] = other[f"{role}_{key}"]
    if target["_place_source"] in (None, "dateline", "previous") and other["_place_source"] in ("attached", "sentence"):
        for field in PLACE_FIELDS:
            target[field] = other[field]
    if target["date_precision"] == "published" and other["date_precision"] != "published":
        for field in ("event_date", "date_text", "date_precision"):
            target[field] = other[field]
    coding = res.ontology.code(target["event_type"], target["event_mode"], target["actor2_sector"])
    target.update(acled_event_type=coding.acled_event_type, acled_sub_event_type=coding.acled_sub_event_type,
                  cameo_root=coding.cameo_root, quad_class=coding.quad_class)
    target["confidence"] = max(target["confidence"], other["confidence"])


def mode_rank(mode: str | None) -> int:
    return MODE_PRIORITY.index(mode) if mode in MODE_PRIORITY else len(MODE_PRIORITY)
