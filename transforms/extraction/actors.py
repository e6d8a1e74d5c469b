"""Actors: who did what to whom. Lexicon aliases found in the article, the phrase that
names a party described as a name, country and sector, and the two roles of a trigger
read from the parse. Pure spaCy, no Beam.

    describe_actor(head of "Iraqi security forces", ...)
      -> {"text": "Iraqi security forces", "name": "Iraq", "country": "IRQ",
          "sector": "COP", "lemma": "force"}
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsevents.transforms.extraction.resources import Actor, ExtractionResources
from newsevents.transforms.extraction.syntax import (
    PLACE_LABELS, child, clause_chain, entity_text, governing_verb, own_subtree, phrase_text,
    prep_object, subject_of)

NON_ACTOR_ENTITIES = {"DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
PRONOUNS = {"PRON"}


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


def set_actor(event: dict, role: str, actor: dict | None) -> None:
    for key in ("text", "name", "country", "sector"):
        event[f"{role}_{key}"] = actor[key] if actor else None
