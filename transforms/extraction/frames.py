"""One event frame from the triggers of one type in a sentence, built in small steps
that share the sentence's context and fill in the ``Frame``: actors, modality and
attribution, type and mode, place, date, magnitudes, confidence. The result is a row of
the events table. Pure spaCy, no Beam.

    "Gunmen killed nine civilians in Diallassagou on Tuesday."
      -> {"event_type": "ASSAULT", "actor1_text": "Gunmen", "actor2_text": "nine civilians",
          "location_name": "Diallassagou", "event_date": date(2024, 3, 5), "fatalities": 9, ...}
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterator

from spacy.tokens import Span, Token

from newsevents.transforms.extraction.acled_coding import code_event
from newsevents.transforms.extraction.actors import (
    assailants_beaten_back, country_in, crowd_first, find_actors, forces_at_the_protest, fought_each_other, set_actor,
    sides_of_the_fight_told, stopped_by_forces)
from newsevents.transforms.extraction.context import Frame, SentenceContext
from newsevents.transforms.extraction.gazetteer import Place
from newsevents.transforms.extraction.confidence import confidence
from newsevents.transforms.extraction.dates import (MONTH_ABBR, MONTHS, NUMERIC_DATE, WEEKDAYS, date_in_figures,
                                                     resolve_date_expression)
from newsevents.transforms.extraction.magnitude_phrases import another_sides_toll
from newsevents.transforms.extraction.magnitudes import looks_like_year, parse_amount
from newsevents.transforms.extraction.modality import (
    ONE_INCIDENT_WEAPONS, RECENT_DAYS, find_attribution, find_modality, is_background, is_generic, is_habitual,
    aim_of, is_non_event, is_ongoing, only_tried, ranked, ranks, reaches_back_months, told_as_support, what_a_noun_is_for)
from newsevents.transforms.extraction.places import event_location, seat_of_a_party, separate_scenes, where_made
from newsevents.transforms.extraction.resources import (ACT_NOUN_CLASSES, FORCE_SECTORS, ExtractionResources,
                                                         in_word_classes)
from newsevents.transforms.extraction.syntax import (
    SPAN_NOUNS, child, clause_anchors, clause_chain, entities_in, fight_of_two_sides, governing_verb,
    opens_act_answered, opens_other_incident, named_as_a_seat, opens_reason, prep_object, reciprocal,
    verb_done_in_protest)
from newsevents.transforms.extraction.triggers import (
    GENERIC_MODES, done_by_people, fired_from_the_air, fled_from, refine_type, sentence_lemmas, specific_mode,
    told_apart)

MAGNITUDE_COLUMNS = ("fatalities", "injured", "displaced", "detained")
MONTH_FORMS = frozenset(MONTHS) | frozenset(MONTH_ABBR)  # "august", "aug", "sept"
# Prepositions before a dated noun that put an event in its time: "during the 2022 offensive"
TIME_PREPOSITIONS = frozenset({"during", "in", "at", "amid", "throughout", "since", "after"})
# Events that happen at a scene, which the article's country locates when it names no
# place of its own; a statement or a deal has no such scene ("Jordan promised ...").
SCENE_TYPES = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"}
# Modes of an assault fought on the ground between two sides.
GROUND_FIGHT_MODES = frozenset({"clash", "occupy", "retake"})
# Events of words (statements, demands, agreements, meetings, decisions): they happen where
# they were made, and the places their sentences name are mostly what they are about.
STATEMENT_TYPES = {"ACCUSE", "AGREE", "CONSULT", "REJECT", "REQUEST", "SUPPORT", "THREATEN", "COOPERATE",
                   "SANCTION"}


def build_event(ctx: SentenceContext, event_type: str, group: list[tuple[Token, dict]]) -> dict | None:
    """The event that the triggers of one type in a sentence tell of, as an events-table
    row (with the private ``_place_source`` and ``_anaphoric`` that coreference reads);
    None when they tell of no event."""
    # "Since clashes erupted, 47 people have died": the dead are the clash's toll, not its
    # actors; a word that only tells a toll ("died") counts only when it is alone.
    group = [g for g in group if not g[1].get("toll_only")] or group
    # "police obstructed a protest", "activists blocked the gate, protesting ...": a word
    # that is a protest only when a crowd does it counts only alone (it may not carry the
    # protest the sentence names).
    group = [g for g in group if not g[1].get("crowd_only")] or group
    # "launched an offensive to retake the town": the offensive is the event; retaking is
    # only its aim, neither the event's clause nor its mode.
    group = [g for g in group if not aim_of_another(g[0], group, ctx.res)] or group
    frame = start_frame(ctx, event_type, group)
    find_actors(ctx, frame)
    if frame.actor1 is not None and frame.actor2 is not None \
            and frame.actor1["text"].lower() == frame.actor2["text"].lower():
        frame.actor2 = None  # one phrase read in both roles ("villagers protested ... to disperse them")
    fought = fought_each_other(frame, ctx.res)  # read before the type is refined
    find_clause_modality(ctx, frame)
    if is_non_event(frame.trigger, frame.head1, ctx, frame.event_type) \
            or is_background(frame.trigger, ctx.res, ctx.published) \
            or told_as_support(frame.trigger, frame.event_type, ctx.res) \
            or (frame.modality == "asserted" and is_habit_or_campaign(ctx, frame)):
        return None
    refined = refine_type(ctx, frame)
    if refined is None:
        return None
    assault, arrest = frame.event_type == "ASSAULT", (frame.event_type, frame.mode) == ("COERCE", "arrest")
    forces_acted = False  # forces told acting on the protest (coreference.mark_interventions)
    consult = frame.event_type == "CONSULT"
    frame.event_type, frame.mode = refined
    protesters_held = arrest and refined[0] == "PROTEST"  # (a riot's arrested too: coreference folds them)
    if protesters_held:
        # "Police arrested twelve protesters", "arrested three men while they were
        # vandalising a bus": the crowd's protest or riot, who held them the other side
        frame.actor1, frame.actor2, frame.head1 = frame.actor2, frame.actor1, None
    if consult and frame.event_type == "PROTEST":
        # "farmers and traders gathered ... to demand": one crowd, not a meeting's two sides
        frame.actor2 = None
    if frame.event_type == "PROTEST":
        # Read once the type is final: police hit by an attack are its target, not a crowd's.
        crowd_first(frame, ctx.res, forces_assault=assault, armed_named=ctx.armed_body_named)
        if frame.actor2 is None:
            frame.actor2, forces_acted = forces_at_the_protest(ctx, frame)
        forces_acted = forces_acted or stopped_by_forces(frame.trigger, ctx.res)  # "police stopped the rally"
    # (ground taken or retaken is fought for too: "killed in clashes with IS affiliates in
    # Sirte, after taking control of the city centre")
    fight = fight_of_two_sides(frame.trigger, ctx.res) if refined[0] == "ASSAULT" \
        and refined[1] in GROUND_FIGHT_MODES else None
    if fight is not None:
        sides_of_the_fight_told(ctx, frame, fight)  # "shot dead during a clash between A and B"
    if refined == ("ASSAULT", "clash"):
        assailants_beaten_back(ctx, frame)  # "foiled an attempt by terrorists to infiltrate"
    locate_event(ctx, frame)
    date_event(ctx, frame)
    count = tally_count(frame.trigger, ctx.res)
    if count is None and is_trend(ctx, frame):
        return None
    summary = count is None and (any(is_summary(token, frame.verb) for token, _ in frame.group)
                                 or is_running_toll(frame.trigger, ctx.res, ctx.published)
                                 or raised_total(frame.trigger, ctx.res)
                                 or summed_since_long_ago(frame, ctx.published)
                                 or summed_over_a_span(frame, ctx.res)
                                 or told_as_many(ctx, frame)
                                 or over_many_places(ctx, frame)
                                 or bool(separate_scenes(ctx, frame.trigger, frame.verb,
                                                         tuple(t for t, _ in frame.group if t.i != frame.trigger.i))))
    count_magnitudes(ctx, frame)
    event = event_row(ctx, frame)
    # "carried out 17 attacks in Deir ez-Zor in March", "raids since Thursday have killed
    # 128": a tally, kept as one row that incidents and the default aggregates leave out.
    event["report_kind"] = "aggregate" if count or summary else "single"
    event["event_count"] = count if count else (None if summary else 1)
    event["_fought_each_other"] = fought  # both sides acted: acled_coding.code_event
    event["_armed_article"] = ctx.armed_body_named  # soldiers or fighters named: coreference
    event["_protesters_held"] = protesters_held  # an arrest of protesters: coreference
    event["_forces_acted"] = forces_acted  # forces acting on the protest: coreference
    # A participle with no subject of its own ("held a protest ... demanding"): coreference
    event["_participle"] = frame.trigger.tag_ == "VBG" and child(frame.trigger, "nsubj") is None
    event["_secondary"] = frame.info.get("secondary", False)  # told only by "injured": coreference
    event["_toll_only"] = frame.info.get("toll_only", False)  # told only by "died": a toll, no event
    event["_evidence"] = {
        "weight": frame.info["weight"], "verb": frame.trigger.pos_ == "VERB", "mentions": 1,
        # "its attacks" is a trend more often than an event
        "bare_plural": frame.trigger.tag_ == "NNS" and child(frame.trigger, "nummod") is None,
        # "are detained on a daily basis", "would launch": not told as past news
        "past": told_in_the_past(frame.verb if frame.verb is not None else frame.trigger)}
    event["confidence"] = confidence(event, ctx.res.confidence_weights)  # again once final
    return event


def told_in_the_past(verb: Token) -> bool:
    """Whether a clause is told as done: a past tense, a perfect or a passive
    ("attacked", "have killed", "was shelled", "are held"), with no modal or "to" on it.
    Habits, plans and conditions are mostly told in the present, the future or the
    infinitive ("detain people daily", "would launch", "plans to seize"). (A present
    passive counts: on the events fitted on, it ranked right events better than leaving
    it out.) A conjoined participle with no auxiliary of its own shares the first verb's
    ("were discovered and defused", "are tortured and denied food")."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if not aux and verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.pos_ in ("VERB", "AUX"):
        # "were discovered and defused": the second verb shares the first's auxiliary
        aux = [c for c in verb.head.children if c.dep_ in ("aux", "auxpass")]
    if any(c.tag_ == "MD" or c.lower_ == "to" for c in aux):
        return False
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(c.tag_ in ("VBD", "VBZ", "VBP", "VBN") for c in aux)


def is_habit_or_campaign(ctx: SentenceContext, frame: Frame) -> bool:
    """A habit anywhere; a campaign told as going on past the lede and with no toll ("Forces
    continue to pound Ghouta, killing 25 civilians" is the lede's news)."""
    return is_habitual(frame.trigger, frame.verb, ctx.index, ctx.res) or (
        ctx.index > 0 and not ctx.magnitudes
        and is_ongoing(frame.trigger, frame.verb, frame.event_type, ctx.res, frame.mode))


def aim_of_another(token: Token, group: list[tuple[Token, dict]], res: ExtractionResources) -> bool:
    """Whether a trigger tells only what another trigger's noun was for: "an attack to
    seize the base", "launched an offensive to retake the town" (the offensive, object of
    the trigger "launched"), "the strikes were aimed at killing commanders"."""
    aim = aim_of(token)
    if what_a_noun_is_for(token, res.word_classes):
        noun = token.head
    elif aim is not None:
        noun = child(aim, "nsubjpass") or child(aim, "nsubj")
    else:
        return False
    triggers = {other.i for other, _ in group if other.i != token.i}
    return noun is not None and (noun.i in triggers or (noun.dep_ == "dobj" and noun.head.i in triggers))


def answered_by_another(token: Token, res: ExtractionResources) -> bool:
    """Whether a trigger is inside the phrase a reason noun opens ("in response to the
    offensive", "in retaliation for the raid", "was a response to an offensive"): the
    act answered, another event."""
    return any(opens_act_answered(a, res) for a in token.ancestors)


def start_frame(ctx: SentenceContext, event_type: str, group: list[tuple[Token, dict]]) -> Frame:
    """The frame of a group of triggers, with its main trigger, verb and mode."""
    # What the event answered is another event: "its attack was a response to an
    # offensive by the army on Zabadani" (not the attack's place nor its manner).
    answering = [g for g in group if not answered_by_another(g[0], ctx.res)]
    group = answering or group
    # The verb trigger carries the clause (actors, modality); a noun beside it often the name.
    primary = [g for g in group if not g[1].get("secondary")] or group  # "injured in clashes": the clash
    trigger, info = min(primary, key=lambda g: (g[0].pos_ != "VERB" and len(primary) > 1
                                               and g[0].dep_ not in ("dobj",), g[0].i))
    # "residents blocked tractors ... in protest": the clause is the blocking
    verb = trigger if trigger.pos_ == "VERB" else (
        verb_done_in_protest(trigger, ctx.res.word_classes["protest_act"]) or governing_verb(trigger))
    # No mode from a trigger in a clause about something else: a protest's ("staged a
    # protest for the release of prisoners who had rioted": no riot), or one of a
    # sentence that tells a protest ("burnt tyres in protest against the arrest of their
    # leader": no arrest). Not otherwise: an attack's or an arrest's reason is often the
    # same operation ("bodies were found after the clashes", "seized rifles following the
    # arrest of two smugglers").
    protest = event_type == "PROTEST" or (
        event_type != "ASSAULT" and bool(sentence_lemmas(ctx.sent) & ctx.res.word_classes["protest_word"]))
    apart = told_apart(trigger, ctx.res) if protest else set()
    # (Not the fighting people fled: "jets killed 60 civilians trying to flee heavy fighting"
    # is no clash.)
    modes = [info["mode"]] + [i["mode"] for t, i in group
                              if t is not trigger and t.i not in apart and not fled_from(t, ctx.res)]
    mode = specific_mode(event_type, modes, ctx.sent, ctx.res)
    if event_type == "ASSAULT" and mode in ("artillery", "clash") and fired_from_the_air(verb, ctx.res):
        mode = "aerial"
    exchanged = None
    if event_type == "ASSAULT" and mode in GENERIC_MODES + EXCHANGED_MODES \
            and (reciprocal(trigger, verb) or two_nations_fired(verb, ctx.res)):
        # "targeted each other's positions", "firing between the two armies", "Indian and
        # Pakistani troops resorted to shelling": both sides fired, an armed clash (ACLED),
        # with heavy weapons too, whoever else was hurt in it.
        exchanged, mode = mode, "clash"
    return Frame(event_type, group, trigger, info, verb, mode=mode, exchanged=exchanged)


def has_target(verb: Token | None) -> bool:
    """Whether the fire has a target of its own ("Syrian and Russian forces shelled
    Aleppo", "... shelling on rebel areas"): allies firing at a third, no exchange."""
    if verb is None:
        return False
    return any(c.dep_ == "dobj" or (c.dep_ == "npadvmod" and c.ent_type_ not in ("DATE", "TIME"))
               or (c.dep_ == "prep" and c.lower_ in ("at", "on", "upon", "against", "into")
                   and not any(o.ent_type_ in ("DATE", "TIME") for o in c.children))
               for c in verb.children)  # "on Friday night" is no target; "shelled Aleppo" (misparsed) is


# Weapons whose firing both sides may exchange: shelling across a border is a clash.
EXCHANGED_MODES = ("artillery", "grenade")


def two_nations_fired(verb: Token | None, res) -> bool:
    """Whether the subject of the verb joins the forces of two countries: "Indian and
    Pakistani troops resorted to heavy firing", "the troops of India and Pakistan shelled
    ...": the two armies fired at each other."""
    subject, word = None, verb
    for _ in range(4):  # "troops resorted to heavy firing and shelling": the subject of "resorted"
        if word is None:
            break
        subject = child(word, "nsubj")
        if subject is not None or word.head.i == word.i:
            break
        word = word.head
    if subject is None or res.agents.get(subject.lemma_.lower()) not in FORCE_SECTORS \
            or not any(t.dep_ == "conj" for t in subject.subtree) or has_target(verb):
        return False
    countries = {country_in([token], res) for token in subject.subtree} - {None}
    return len(countries) >= 2


def find_clause_modality(ctx: SentenceContext, frame: Frame) -> None:
    """The modality of the trigger's clause, and the verb that reports it, if any."""
    chain, frame.reporting = clause_chain(frame.trigger, ctx.res)
    frame.modality = find_modality(frame.trigger, chain, ctx.res, frame.event_type)
    if frame.modality == "asserted" and only_tried(frame.trigger, frame.event_type, frame.mode, ctx.res.word_classes):
        frame.modality = "hypothetical"


def locate_event(ctx: SentenceContext, frame: Frame) -> None:
    """Where the event happened; with no place in the article at all, the country of an
    event that has a scene (see SCENE_TYPES): the one the sentence names or its actors
    belong to ("Ethiopia's Liyu police attacked", "Moroccan women protested"), else the
    country the article is most about."""
    if frame.event_type in STATEMENT_TYPES:
        locate_statement(ctx, frame)
    else:
        frame.place_span, frame.place, frame.geo_precision, frame.place_source = \
            event_location(ctx, frame.trigger, frame.verb, frame.event_type in SCENE_TYPES,
                           protest=frame.event_type == "PROTEST", violence=frame.event_type == "ASSAULT")
    town = ctx.res.gazetteer.namesake_town(frame.place) if frame.place is not None else None
    if town is not None:
        # A district or region named alone is placed at its namesake town, still precision
        # 2, as ACLED codes it ("in Khairpur district": Khairpur).
        frame.place = town
    if frame.place is None and frame.event_type in SCENE_TYPES:
        iso3 = event_country(ctx, frame)
        place = ctx.res.gazetteer.country(iso3)
        if place is not None:
            frame.place, frame.geo_precision, frame.place_source = place, 3, "country"


def locate_statement(ctx: SentenceContext, frame: Frame) -> None:
    """Where a statement, demand, agreement, meeting or decision was made
    (``places.where_made``: "met in Geneva", "told reporters in Ankara"); else, for one
    made at a protest, an attack or an arrest its clause belongs to, that event's place
    ("rioted in Kisii after the teachers refused ..."); else, as ACLED, GDELT and POLECAT
    place a statement, the place it is about, found as for any event (``event_location``:
    "called for a truce in Aleppo" is in Aleppo when the text says nothing of where the
    call was made). There only a speaker at the scene (``speaker_at_the_scene``) takes a
    place from outside the statement's sentence (the sentences beside it, the article's
    main place, the dateline) or a place inside a name: "Moscow denied the strikes",
    told after an attack on Idlib, was not made in Idlib. Another speaker takes only the
    country of that place, when it is the speaker's own ("Damascus denied using
    chemical weapons": Syria; ``home_country``), else no place. An accusation by a
    speaker of another country than the place its own sentence names takes no place
    either (``blames_abroad``: "The United States accused Damascus of the attack in
    Ghouta"). (A statement made at
    another event takes that event's place, wherever it was found.) A country the
    statement was made in yields to a town inside it that the statement is about
    ("troops in Somalia accused al-Shabaab of ... in Kismayo")."""
    if frame.event_type in NEGOTIATED_TYPES and frame.verb is not None and frame.verb.i != frame.trigger.i \
            and frame.verb.i in ctx.attack_heads:
        return  # "shelled Aleppo, violating the truce agreement" (the model's verb): made elsewhere
    made = where_made(ctx, [token for token, _ in frame.group], frame.verb, meeting=frame.event_type == "CONSULT")
    if made[0] is not None and in_party_position(made[0], made[1], frame, ctx.res):
        made = None, None, None, None  # "called on the United States to act"
    if made[1] is None:
        host = hosting_event(frame.verb or frame.trigger, ctx.scene_heads)
        if host is not None and frame.event_type in NEGOTIATED_TYPES and host.i in ctx.attack_heads:
            return  # "shelled Aleppo, violating the truce": the deal was made elsewhere (not
            # "blocked the highway until officials agreed to their demands": made there)
        if host is not None:
            made = event_location(ctx, host, host if host.pos_ in ("VERB", "AUX") else governing_verb(host))
    place = made[1]
    if place is None or place.feature_type == "country":
        about = event_location(ctx, frame.trigger, frame.verb, False)
        if about[0] is not None and in_party_position(about[0], about[1], frame, ctx.res):
            # "accused Moscow of war crimes", "blamed the U.S.": a party, not where it was said
            # (a speaker's own country, as for a place outside the sentence: "Damascus denied")
            about = home_country(frame, about[1], ctx.res)
        if about[3] in OUTSIDE_THE_SENTENCE and not speaker_at_the_scene(frame, ctx.res) \
                and not same_talks_beside(about[0], about[3], frame, ctx.res):
            about = home_country(frame, about[1], ctx.res)
        elif place is None and blames_abroad(frame, about[1]):
            # (a speaker the text puts in that country may have spoken there: "Kenyan
            # troops in Somalia accused al-Shabaab of ... in Kismayo")
            about = None, None, None, None
        if place is None or (about[1] is not None and about[1].country_iso3 == place.country_iso3
                             and (about[2] or 3) < 3):
            made = about
    frame.place_span, frame.place, frame.geo_precision, frame.place_source = made


# Where a statement's parties stand: its speaker, whom it blames or urges ("accused Moscow",
# "blamed the U.S.", "urged Damascus"), whom it calls on or is aimed against ("called on
# Washington"). Not "at", where statements are made too ("told reporters at the UN").
PARTY_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "agent"})
ADDRESSEE_PREPOSITIONS = frozenset({"on", "upon", "against", "by"})


def in_party_position(span: Span, place, frame: Frame, res: ExtractionResources) -> bool:
    """Whether a place a statement's sentence names is one of its parties, told by the
    name of its country or capital ("accused Moscow", "blamed the U.S.", "called on
    Washington"): the subject or the object of the statement's trigger or verb, or whom
    it calls on, is aimed against or is made by. Not another town ("Farmers of Tohana
    demanded"), the place a visit went to ("visited Damascus") nor a host of talks
    ("Astana hosted a new round of talks")."""
    if place is None or not (place.feature_type == "country" or place == res.gazetteer.capital(place.country_iso3)):
        return False
    root = span.root
    heads = {frame.trigger.i} | ({frame.verb.i} if frame.verb is not None else set())
    if root.dep_ in PARTY_DEPS and root.head.i in heads:
        if root.dep_ == "dobj" and frame.event_type == "CONSULT":
            return False  # "visited Damascus": where it went
        return not (root.dep_ == "nsubj" and root.head.lemma_.lower() in HOSTING_VERBS)
    return root.dep_ == "pobj" and root.head.lower_ in ADDRESSEE_PREPOSITIONS and root.head.head.i in heads


# Verbs whose subject is the venue of talks ("Astana hosted a new round of talks").
HOSTING_VERBS = frozenset({"host"})


# Statements of blame: their sentence's places are those of what they blame.
BLAMING_TYPES = frozenset({"ACCUSE"})


def blames_abroad(frame: Frame, place) -> bool:
    """Whether an accusation blames what happened in another country than the accuser's
    ("the United States accused Damascus of the sarin attack in Ghouta"): the place its
    sentence names is that of what it blames, not where it was made. (A party blaming
    what happened in its own country may well have spoken there: "the IFP condemned the
    attack in Nongoma".)"""
    country = (frame.actor1 or {}).get("country")
    return frame.event_type in BLAMING_TYPES and place is not None and country is not None \
        and place.country_iso3 is not None and country != place.country_iso3


# Where ``places.event_location`` found a place outside the event's own sentence (the
# sentences beside it, the article's main place, its dateline) or inside a name.
OUTSIDE_THE_SENTENCE = frozenset({"previous", "next", "article", "dateline", "named"})


# A deal or talks are made where the parties met, which is not the scene of the article
# they are told in ("the de-escalation zones agreed at the May talks", in a report of an
# air raid), unless the parties are people of the place ("villagers held a meeting").
NEGOTIATED_TYPES = frozenset({"AGREE", "CONSULT"})


def speaker_at_the_scene(frame: Frame, res: ExtractionResources) -> bool:
    """Whether a statement's speaker may be taken to be at the article's scene: none
    found ("they demanded", unresolved), a crowd called by a word for people
    ("residents", "farmers", "party supporters": ``triggers.done_by_people``, narrowed
    to a person noun or the civilian sector, so not "the party" or "the opposition"), or
    a speaker of no ACLED kind the lexicons give (a name they do not know with no agent
    word beside it: "Pope Francis condemned ..."); of a deal or talks, only such people
    (``NEGOTIATED_TYPES``). Any speaker of a known kind otherwise
    (a state, an official, a party or organisation, armed men, a foreign power, one
    person called by what they are: "a cleric", "a resident") speaks from wherever it
    is, which the text has not told. (Blocking names of no known kind too lost more ACLED
    notes, whose named local groups speak at their scene, than it gained on long news.)"""
    speaker = frame.actor1
    lemma = (speaker or {}).get("lemma") or ""
    if speaker is not None and done_by_people(frame, res) and (lemma in res.persons or res.agents.get(lemma) == "CVL"):
        return True  # people, not "the party" or "the opposition", which speak as organisations
    if frame.event_type in NEGOTIATED_TYPES:
        return False
    return speaker is None or speaker.get("kind") is None


def same_talks_beside(span: Span | None, source: str, frame: Frame, res: ExtractionResources) -> bool:
    """Whether the sentence beside a deal or talks that gives their place tells of them
    too: a word of the event's own ("made a visit to Pakistan ... The visit") or of a
    meeting ("The signing ceremony was held in Nay Pyi Taw")."""
    if frame.event_type not in NEGOTIATED_TYPES or source not in ("previous", "next") or span is None:
        return False
    words = res.word_classes["audience_noun"] | {token.lemma_.lower() for token, _ in frame.group}
    return any(token.lemma_.lower() in words for token in span.sent)


def home_country(frame: Frame, place, res: ExtractionResources):
    """(None, country, 3, "speaker") when the statement's speaker belongs to the country
    of the place it is about, and is no foreign force: the statement was made in it. A
    state's or an official's people called by what they are ("police", "authorities",
    "the district officials") are that country's: a foreign one would be named as such
    ("Turkish police")."""
    speaker, head = frame.actor1 or {}, frame.head1
    if place is None or speaker.get("kind") == "external":
        return None, None, None, None
    unnamed_authority = speaker.get("kind") in ("state", "official") and not (
        head is not None and (head.pos_ == "PROPN" or head.ent_type_))
    iso3 = speaker.get("country") or (place.country_iso3 if unnamed_authority else None)
    country = res.gazetteer.country(iso3) if iso3 == place.country_iso3 else None
    return (None, country, 3, "speaker") if country is not None else (None, None, None, None)


HOSTING_DEPS = frozenset({"advcl", "xcomp", "acl", "conj", "pcomp", "pobj", "prep"})


def hosting_event(token: Token, scene_heads: frozenset[int]) -> Token | None:
    """The trigger of an event with a scene whose clause holds this one ("held a protest
    demanding jobs", "marched to demand", "burnt the dormitories after the teachers
    refused", "protested and demanded"), if any within three steps up the tree; not a
    clause with a subject of its own joined by "and"."""
    node = token
    for _ in range(3):
        if node.dep_ not in HOSTING_DEPS or node.head is node:
            return None
        if node.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
            return None  # "attacked Dalori, and the group threatened ...": a clause of its own
        node = node.head
        if node.i in scene_heads:
            return node
        # "held a protest demanding ...": the light verb's object is the event
        held = next((c for c in node.children if c.dep_ == "dobj" and c.i in scene_heads), None)
        if held is not None:
            return held
    return None


def event_country(ctx: SentenceContext, frame: Frame) -> str | None:
    # Not the attacker's nationality: "Russian jets struck a Syrian town" is in Syria.
    attacker = {t.i for t in frame.head1.subtree} if frame.head1 is not None else set()
    # Nor where a party is based or banned: "Daesh, a group outlawed in Russia, attacked".
    anchors = clause_anchors(frame.trigger, frame.verb)
    seats = {t.i for token in ctx.sent if token.dep_ in ("acl", "relcl", "amod") and token.i not in anchors
             and seat_of_a_party(token, anchors, ctx.res) for t in token.subtree}
    # A nation's troops come after the other countries the sentence names and the other
    # parties' own: armies fight abroad ("Kenyan forces repelled an al-Shabaab attack at
    # Dhamase" is in Somalia).
    troops = {t.i for t in ctx.sent if t.head.i != t.i and ctx.res.agents.get(t.head.lemma_.lower()) == "MIL"
              and t.dep_ in ("amod", "compound", "nmod", "poss")}
    troops |= {t.i for t in ctx.sent if t.dep_ == "conj" and t.head.i in troops}  # "Indian and Pakistani troops"
    # (the troops struck before the attacker's own: a country's forces are at home though
    # the article names a neighbour, "Pakistani jets struck militant hideouts")
    named = country_in([t for t in ctx.sent if t.i not in attacker | seats | troops], ctx.res) \
        or party_country(frame, ctx.res, military=False) \
        or country_in([t for t in ctx.sent if t.i in troops - attacker - seats], ctx.res) \
        or country_in([t for t in ctx.sent if t.i in troops - seats], ctx.res) \
        or party_country(frame, ctx.res, military=True)
    if named:
        return named
    if ctx.country_weights:
        return max(ctx.country_weights.items(), key=lambda kv: kv[1])[0]
    # Not where a party is based or banned ("a Britain-based monitor said").
    seat_verbs = ctx.res.word_classes["seat_verb"]
    countries = Counter(place.country_iso3 for span, place in ctx.places
                        if place.country_iso3 and not named_as_a_seat(span, seat_verbs))
    return countries.most_common(1)[0][0] if countries else None


def party_country(frame: Frame, res: ExtractionResources, military: bool) -> str | None:
    """The country of the event's first party that is no foreign presence (not
    "protested against a Chinese company": that is abroad) nor external force; a
    military one only if ``military``."""
    for actor in (frame.actor1, frame.actor2):
        if actor and actor.get("country") and actor.get("kind") != "external" \
                and (military or actor.get("sector") != "MIL") \
                and actor.get("lemma") not in res.word_classes["foreign_presence"]:
            return actor["country"]
    return None


def date_event(ctx: SentenceContext, frame: Frame) -> None:
    """The event's date, and what it says of the modality: a day after publication is
    still to come, unless a verb in the past tense tells it. Then a day just after
    publication is the dateline's time zone ("On 10 May nurses held a protest" in a
    report dated the 9th), and one further ahead a day of the year before."""
    published = ctx.published
    date, precision, text, attached = event_date(ctx, frame.trigger, frame.verb)
    if frame.modality == "asserted" and precision == "day" and date > published:
        if not told_in_past(frame.verb if frame.verb is not None else frame.trigger):
            frame.modality = "future"
        elif (date - published).days > 1 and text:
            before = resolve_date_expression(text, published, days_ahead=1)
            if before is not None and before[0] < date:
                date = before[0]
    if frame.modality == "future" and text and attached and date < published \
            and precision in ("day", "month"):
        # "will meet again in June", "will strike on 20 April": the next one, not the last.
        ahead = resolve_date_expression("next " + text.lower().replace("next ", ""), published,
                                        days_ahead=366)
        if ahead is not None and ahead[0] >= published:
            date, precision = ahead
    frame.date, frame.date_precision, frame.date_text, frame.date_attached = date, precision, text, attached


def told_in_past(verb: Token) -> bool:
    """Whether a verb is in the past tense or the perfect ("went", "was stabbed", "have
    been injured", "has staged")."""
    return verb.tag_ == "VBD" or any(
        c.dep_ in ("aux", "auxpass") and (c.tag_ == "VBD" or (c.lemma_.lower() == "have" and verb.tag_ == "VBN"))
        for c in verb.children)


def tally_count(trigger: Token, res: ExtractionResources) -> int | None:
    """The number of events a counted plural event noun tallies ("17 attacks"), if any;
    counted weapons are one incident's ("four bombs went off at the campus")."""
    lemma = trigger.lemma_.lower()
    if trigger.tag_ != "NNS" or lemma in res.agents:
        return None  # "two protesters died": people counted, not protests
    number = child(trigger, "nummod")
    if number is None:
        return None
    amount = parse_amount(number.text, res.quantities)
    if amount is not None and lemma in res.word_classes["weapon"] and amount < ONE_INCIDENT_WEAPONS:
        return None  # "four bombs went off"; "dropped 20,000 bombs on Yemen in 2016" is a tally
    return amount if amount is not None and amount > 1 else None


SUMMARY_PREPS = {"since", "throughout"}


def is_summary(trigger: Token, verb: Token | None) -> bool:
    """A plural event noun summed over a period: "raids since Thursday have killed 128",
    "attacks so far this year", "strikes over the past week"."""
    if trigger.tag_ != "NNS":
        return False
    for head in (trigger, verb):
        if head is None:
            continue
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in SUMMARY_PREPS:
                return True
            if c.dep_ == "prep" and c.lower_ in ("over", "during", "in") and any(
                    d.lower_ in ("past", "last") or (d.lower_ == "recent" and not ranked(trigger.sent))
                    for d in (child(c, "pobj").children if child(c, "pobj") is not None else ())):
                return True  # "over the past week", "in the last 24 hours", "in recent months"
            if c.dep_ == "advmod" and c.lower_ == "far" and any(d.lower_ == "so" for d in c.children):
                return True
    return False


# A toll summed since a day more than this long before the report is a tally of many.
RUNNING_TOLL_DAYS = 7
WAR_NOUNS = {"war", "conflict", "uprising", "insurgency"}


def is_running_toll(trigger: Token, res: ExtractionResources, published: dt.date | None = None) -> bool:
    """A toll summed over a war or since long ago, not one event: "more than 320,000
    people have been killed since the conflict began in March 2011", "the war has killed
    12,000 since 2014", "170,000 have been killed in Syria's conflict", "since Sept. 19
    ... 359 civilians have been killed" (weeks before the report), a war's own toll
    ("Syria's conflict has killed 230,000", ``war_toll``). A perfect of a harming verb;
    "47 people have died since clashes erupted on Friday" counts the days of one event."""
    if trigger.pos_ != "VERB" \
            or not any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() == "have" for c in trigger.children):
        return False
    if trigger.lemma_.lower() in WAR_TOLL_VERBS and war_toll(trigger):
        return True
    if trigger.lemma_.lower() not in res.word_classes["harm_verb"] | {"die"}:
        return False
    spans = []
    for c in trigger.children:
        war = child(c, "pobj") if c.dep_ == "prep" and c.lower_ in ("in", "during", "throughout") else None
        if war is not None and war.lemma_.lower() in WAR_NOUNS and prep_object(war, {"between"}) is None \
                and any(d.dep_ == "poss" or d.lower_ == "the" or (
                    d.dep_ in ("compound", "nmod") and d.ent_type_ in ("GPE", "NORP", "ORG", "DATE"))
                for d in war.children):
            # "killed in Syria's conflict", "in the war", "in Syrias three-year war" (the
            # apostrophe lost); not "in a land conflict between clans"
            return True
        if (c.dep_ == "prep" and c.lower_ == "since") or (c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ == "since" for m in c.children)):
            spans.append(list(c.subtree))
    first = trigger.sent[0]
    if first.lower_ == "since" and first.i < trigger.i:
        # "Since Sept. 19 when ... 359 civilians have been killed": the model often leaves
        # an opening "since" unattached.
        spans.append([t for t in trigger.doc[first.i + 1:trigger.i] if t.ent_type_ == "DATE"][:4])
    return any(reaches_back(span, published) for span in spans)


# A total a new event brought higher: "brought to 49 the number killed in two days of
# attacks", "bringing the number killed in 24 hours of bombardment to 45", "brought the
# toll for Russian soldiers killed in Syria to 18". Not a source's new count of one event
# ("raised the death toll from a car bombing to 22", "the toll rose to 20").
TOTAL_NOUNS = frozenset({"number", "toll", "total", "tally", "count"})
RAISING_VERBS = frozenset({"bring", "push", "take"})


def raised_total(trigger: Token, res: ExtractionResources) -> bool:
    """Whether a participle trigger tells the people a running total counts, a total an
    event brought higher over several acts or days: the total is a tally, not one event
    (the event that raised it is told by its own words: "Tuesday's bombardment", "killed
    12 ..., bringing the number killed to 45"). The killing it counts is told over a span
    or many acts ("in two days of attacks", "in 24 hours of bombardment", "in the Syrian
    conflict"), never one act ("bringing the number killed in Monday's suicide bombing
    to 40": that bombing's toll)."""
    if trigger.dep_ != "acl":
        return False
    noun = trigger.head
    if noun.lemma_.lower() not in TOTAL_NOUNS and noun.dep_ == "pobj" and noun.head.lower_ in ("of", "for"):
        noun = noun.head.head  # "the toll for Russian soldiers killed"
    if noun.lemma_.lower() in RAISING_VERBS:  # (the model may hang "for" on the verb)
        raised = any(c.dep_ == "dobj" and c.lemma_.lower() in TOTAL_NOUNS for c in noun.children)
    else:
        raised = noun.lemma_.lower() in TOTAL_NOUNS and noun.head.lemma_.lower() in RAISING_VERBS
    return raised and counts_many(trigger, res)


def counts_many(trigger: Token, res: ExtractionResources) -> bool:
    """Whether what a participle counts is told over days or many acts: a span noun in
    the plural ("two days", "24 hours"), a plural act ("attacks", "raids") or a war."""
    for token in trigger.subtree:
        lemma = token.lemma_.lower()
        if token.tag_ == "NNS" and (lemma in SPAN_DAYS
                                    or in_word_classes(lemma, res.word_classes, ACT_NOUN_CLASSES)):
            return True
        if lemma in WAR_NOUNS:
            return True
    return False


def reaches_back(span: list[Token], published: dt.date | None, spans_count: bool = False) -> bool:
    """Whether a "since" span starts long before the report: a year ("since 2014"), a day
    more than RUNNING_TOLL_DAYS before it ("since Sept. 19"); with ``spans_count``, also
    a month named alone or the words of months and years, and a war's start ("since
    January", "since the war broke out four years ago"). Never a span that names
    recent days ("since Friday", "since the conflict erupted last week")."""
    if any(t.like_num and looks_like_year(t.text) for t in span):
        return True
    if any(t.lower_ in RECENT_DAYS for t in span) or (spans_count and any(names_days(t) for t in span)):
        return False
    if spans_count and (reaches_back_months(span) or any(t.lemma_.lower() in WAR_NOUNS for t in span)):
        return True
    when = " ".join(t.text for t in span if t.ent_type_ == "DATE")
    since = resolve_date_expression(when, published) if when and published else None
    return since is not None and since[1] == "day" and (published - since[0]).days > RUNNING_TOLL_DAYS


# Words of a span of days: "since the conflict erupted last week".
SHORT_SPANS = frozenset({"week", "weeks", "weekend", "hours", "night", "morning"})
DAY_COUNTERS = frozenset({"last", "past", "few", "recent", "several"})


def names_days(token: Token) -> bool:
    """"last week", "overnight", "the past few days", "two days ago"; not "the early days
    of the uprising"."""
    if token.lower_ in SHORT_SPANS:
        return True
    previous = token.doc[token.i - 1] if token.i > 0 else None
    return token.lower_ in ("day", "days") and previous is not None and (
        previous.like_num or previous.lower_ in DAY_COUNTERS)


# Words that make a participant many: "several aircraft", "dozens of stations".
MANY_WORDS = frozenset({"several", "many", "numerous", "dozens", "hundreds", "thousands", "scores", "multiple"})
# Events a perfect can sum: blows, killings of protesters, riots and destruction. A
# perfect of an arrest or a walkout since long ago tells how long one detention or strike
# has lasted ("Three journalists have been detained since December").
SUMMED_TYPES = frozenset({"ASSAULT"})
SUMMED_MODES = frozenset({"destroy", "excessive-force", "riot", "mob"})


# Nouns of a whole country or a wide part of one: fire "across the country", "throughout
# the province" is fire in many places; so is fire across a country, a province or a
# region the text names.
WIDE_AREA_NOUNS = frozenset({"country", "nation", "province", "governorate", "region", "countryside", "north",
                             "south", "east", "west", "northeast", "northwest", "southeast", "southwest"})
WIDE_AREA_FEATURES = frozenset({"country", "admin1", "region"})
# Verbs a war's own toll is told by: "the conflict has killed / wounded ...".
WAR_TOLL_VERBS = frozenset({"kill", "wound", "injure", "claim"})
# Nouns of acts that "separate" makes several: "in separate operations".
SEPARATE_ACT_NOUNS = frozenset({"operation", "attack", "raid", "strike", "airstrike", "incident", "clash",
                                "bombing", "assault", "shelling", "offensive", "ambush"})
# Dependencies by which a place hangs on an act through prepositions: "near the cities
# of A and B".
PLACE_PATH_DEPS = frozenset({"pobj", "prep", "conj", "appos", "compound"})


def told_as_many(ctx: SentenceContext, frame: Frame) -> bool:
    """Violence told as many events at once: over a whole country ("air strikes on
    towns across the country killed 44", "operations throughout Syria"), as separate
    operations at two places or more or by two parties or more ("24 fighters were
    killed in separate operations near two cities", "Russia and the coalition carry
    out separate strikes"; "five separate raids on one town" are one day's raids
    there); a war's own toll is a running toll (``is_running_toll``). Only violence: a
    strike or a protest "across the country" is often one event, coded so."""
    if frame.event_type != "ASSAULT":
        return False
    return any(over_a_whole_country(noun, ctx) or separate_acts(noun, frame, ctx) or named_apart(noun, frame)
               for noun in event_words(frame))


def event_words(frame: Frame) -> list[Token]:
    """The words the event's own places and kinds hang on: its triggers, its verb (and
    the verb a participle of it hangs on: "launched operations ..., killing 30"), their
    object or passive subject, and the objects of the triggers' and the verb's
    prepositions ("strikes on towns", "killed in operations"); not another clause's
    words, a speaker's, nor those of a noun's own phrase ("a bus on its way")."""
    doc = frame.trigger.doc
    heads = [doc[i] for i in sorted(clause_anchors(frame.trigger, frame.verb) | {t.i for t, _ in frame.group})]
    heads += [head.head for head in list(heads) if head.dep_ == "advcl" and head.tag_ == "VBG"]
    words = heads + [c for head in heads for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
    return words + [pobj for head in heads for prep in head.children if prep.dep_ == "prep"
                    for pobj in prep.children if pobj.dep_ == "pobj"]


def over_a_whole_country(word: Token, ctx: SentenceContext) -> bool:
    """"towns across the country", "killed 44 people across the country", "operations
    throughout Syria", "killed 35 Daesh terrorists across northern Syria", "civilians
    killed across rebel-held Idlib province": a preposition of extent on a plural noun or
    on a verb whose object is plural, over "the country", "the province", "the north"
    or a country, province or region the text names. Not
    "a bridge across the Niger", "killed a singer famous across the country" (one), nor
    "the deadliest attack across the country" (a rank)."""
    many = word.tag_ == "NNS" or (word.pos_ == "VERB" and any(
        c.dep_ in ("dobj", "nsubjpass") and c.tag_ == "NNS" for c in word.children))
    if not many or any(ranks(c) for c in word.children):
        return False
    for prep in word.children:
        place = child(prep, "pobj") if prep.dep_ == "prep" and prep.lower_ in ("across", "throughout") else None
        if place is None:
            continue
        if place.lemma_.lower() in WIDE_AREA_NOUNS and any(c.lower_ == "the" for c in place.children):
            return True
        # "Idlib province"; not "the Syria-Turkey border", a line crossed
        named = [place, *(c for c in place.children if c.dep_ == "compound"
                          and place.lemma_.lower() in WIDE_AREA_NOUNS)]
        if any(p.feature_type in WIDE_AREA_FEATURES and span.start <= name.i < span.end
               for span, p in ctx.places for name in named):
            return True  # "across northern Syria", "across rebel-held Idlib province"
    return False


def separate_acts(noun: Token, frame: Frame, ctx: SentenceContext) -> bool:
    """"separate operations" at two places or more, or by two parties or more; the noun
    an act's (a trigger of the event, or an act noun), not "separate directions"."""
    if noun.tag_ != "NNS" or not any(c.dep_ == "amod" and c.lower_ == "separate" for c in noun.children):
        return False
    if noun.lemma_.lower() not in SEPARATE_ACT_NOUNS and not any(t.i == noun.i for t, _ in frame.group):
        return False
    places = places_of(noun, frame, ctx)
    if len(places) > 1 or any(c.dep_ == "conj" and c.pos_ == "PROPN" for span, _ in places for c in span.root.children):
        return True  # "near Homs and Hama", the second name unknown to the gazetteer or misread
    doers = [c for head in (noun, frame.trigger, frame.verb) if head is not None for c in head.children
             if c.dep_ in ("nsubj", "agent")]
    return any(c.dep_ == "conj" for doer in doers for c in [*doer.children, *(g for d in doer.children for g in d.children)])


def named_apart(noun: Token, frame: Frame) -> bool:
    """Acts told together by the names of their places or days ("the Ataybah and Homs
    attacks", "the Paris and Brussels bombings"): a plural trigger modified by two
    coordinated names."""
    if noun.tag_ != "NNS" or not any(t.i == noun.i for t, _ in frame.group):
        return False
    return any(c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" and any(
        d.dep_ == "conj" and d.pos_ == "PROPN" for d in c.children) for c in noun.children)


def places_of(noun: Token, frame: Frame, ctx: SentenceContext) -> list[tuple[Span, Place]]:
    """The distinct places below a country that hang on the act noun, the trigger or its
    verb through prepositions ("near the cities of A and B"); places in each other are
    one ("Azaz in Aleppo province")."""
    targets = clause_anchors(frame.trigger, frame.verb) | {noun.i}
    found: list[tuple[Span, Place]] = []
    for span, place in ctx.places:
        if not ctx.sent.start <= span.start < ctx.sent.end or place.feature_type == "country":
            continue
        node = span.root
        while node.i not in targets and node.dep_ in PLACE_PATH_DEPS and node.head.i != node.i:
            node = node.head
        if node.i in targets and not any(place == other or place.contains(other) or other.contains(place)
                                         for _, other in found):
            found.append((span, place))
    return found


def war_toll(verb: Token) -> bool:
    """A war's own toll: a war noun, subject of the perfect ``verb`` ("Syria's conflict
    has killed ...", "a war that has killed hundreds of thousands"); not a conflict
    between two parties ("the conflict between the clans has killed four herders"), nor
    one dated to recent days ("the uprising that began on Monday has killed 30")."""
    subject = child(verb, "nsubj")
    war = subject if subject is not None and subject.lemma_.lower() in WAR_NOUNS else None
    if war is None and verb.dep_ == "relcl" and subject is not None and subject.lower_ in ("that", "which"):
        war = verb.head if verb.head.lemma_.lower() in WAR_NOUNS else None
    if war is None or prep_object(war, {"between"}) is not None:
        return False
    return not any(t.lower_ in RECENT_DAYS or t.lower_ in ("week", "weekend") for t in war.subtree)


def summed_since_long_ago(frame: Frame, published: dt.date | None = None) -> bool:
    """Many blows or acts of destruction summed in a perfect since long ago, not one
    event: "Dozens of army helicopters have been shot down ... since the war broke out
    four years ago", "Coalition air raids since March have also struck several villages",
    "have destroyed hundreds of homes since the siege began in 2012". The perfect is the
    trigger's verb or, for an event noun, a verb it heads (the model often makes the noun
    the root), or one joined to it that shares its subject; the "since" hangs on one of
    them, through such joined verbs; and who or what was hit is many (``affected``: never
    the doers of a verb with an object)."""
    if frame.event_type not in SUMMED_TYPES and frame.mode not in SUMMED_MODES:
        return False
    trigger = frame.trigger
    main = frame.verb if frame.verb is not None else trigger
    perfect = [v for v in (main, *(c for c in main.children if c.dep_ in ("advcl", "conj", "relcl")
                                   and not own_clause(c)))
               if v.tag_ == "VBN" and any(a.dep_ == "aux" and a.lemma_.lower() == "have" for a in v.children)]
    if not perfect:
        return False
    heads = {v.i for v in perfect} | {trigger.i}
    for since in main.subtree:
        if since.lower_ != "since" or since.dep_ not in ("prep", "mark"):
            continue
        # on the perfect itself or a verb joined to it ("shot down ... or crashed since
        # the civil war erupted", "have been killed and millions displaced since"); not
        # inside a phrase ("the deadliest battle since 2011"), nor in a clause of its own
        # ("and the area has been under curfew since 2012"), unless it tells the same toll
        # ("and millions have been displaced since"); "and millions displaced" shares the
        # perfect's auxiliaries
        node = since.head if since.dep_ == "prep" else since.head.head
        for _ in range(3):
            if node.i in heads or node.dep_ not in ("conj", "acl") or node.head is node \
                    or (own_clause(node) and node.lemma_.lower() not in TOLL_VERBS):
                break
            node = node.head
        span = list(since.subtree) if since.dep_ == "prep" else list(since.head.subtree)
        if node.i in heads and reaches_back(span, published, spans_count=True):
            return any(many(p) for v in perfect for p in affected(v)) \
                or (trigger.tag_ == "NNS" and child(trigger, "nummod") is None)
    return False


def affected(verb: Token) -> list[Token]:
    """Who or what a verb hit: its object or passive subject; the subject of a verb with
    no object ("97 fighters have died", "militants have fought"), never the doer of one
    that has ("Police have detained the opposition leader")."""
    hit = [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")]
    return hit or [c for c in verb.children if c.dep_ == "nsubj"]


# Verbs of a toll told beside the killing ("and millions have been displaced since", "and
# 300,000 have fled their homes since"): a joined clause of their own that counts the
# same span.
TOLL_VERBS = frozenset({"displace", "flee", "injure", "wound", "die", "kill"})


# A span of days that a toll or a string of blows is summed over ("in recent days",
# "over the past year", "in the last 10 days", "over the past 24 hours"); not one day
# ("last week", "on Monday") nor "in the past" (background). "Over the weekend" sums
# only where the blows are many ("bombs killed 49 over the weekend"; not "a suicide
# bomber killed 12 at a mosque over the weekend").
SPAN_PREPOSITIONS = frozenset({"over", "in", "during", "throughout"})
SPAN_MODIFIERS = frozenset({"past", "last", "previous", "recent"})


def summed_over_a_span(frame: Frame, res: ExtractionResources) -> bool:
    """Blows or a toll told over a span of days, not one event: "bombs dropped by the
    regime killed at least 49 people over the weekend", "has executed tens of its own
    fighters in recent days", "killed in the last 10 days". The span hangs on the
    trigger or its verb, and the clause names no recent day (``RECENT_DAYS``) and ranks
    nothing (``ranked``: "killed 12 in Kabul on Monday in the deadliest attack in recent
    months", where the parser hangs the span on "killed")."""
    if frame.event_type not in SUMMED_TYPES and frame.mode not in SUMMED_MODES:
        return False
    main = frame.verb if frame.verb is not None else frame.trigger
    clause = list(main.subtree)
    if ranked(clause) or any(t.lower_ in RECENT_DAYS for t in clause):
        return False
    for prep in clause:
        if prep.dep_ != "prep" or prep.lower_ not in SPAN_PREPOSITIONS or prep.head.i not in (main.i, frame.trigger.i):
            continue
        noun = child(prep, "pobj")
        if noun is None or noun.lemma_.lower() not in SPAN_NOUNS:
            continue
        modifiers = {c.lower_ for c in noun.children if c.dep_ in ("amod", "det", "nummod", "advmod")}
        if noun.lemma_.lower() == "weekend":
            if "the" in modifiers and many_blows(frame, main, res):
                return True
        elif modifiers & SPAN_MODIFIERS and (noun.tag_ == "NNS" or modifiers & {"past", "previous"}):
            return True
        elif counted_span(noun, res) and prep.lower_ in ("over", "in", "during") \
                and not any(t.ent_type_ == "ORDINAL" for t in clause):
            return True  # "seized 14 villages in four days", "killed 120 over three weeks"
    return False


def counted_span(noun: Token, res: ExtractionResources) -> bool:
    """A span longer than one bounded episode (a battle of a few days, ``docs/judging.md``)
    told by its number: more than three days, weeks, months ("in four days", "over three
    weeks"); not "in 24 hours" or "over three days", nor one measured from something
    ("within four days of the attack")."""
    if noun.tag_ != "NNS" or any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children):
        return False
    number = next((parse_amount(c.text, res.quantities) for c in noun.children if c.dep_ == "nummod"), None)
    if number is None:
        return False
    days = SPAN_DAYS.get(noun.lemma_.lower())
    return days is not None and number * days > EPISODE_DAYS


# The longest span one bounded episode is told over (a battle, a day's shelling): more is a
# tally of many ("in four days", ``docs/judging.md``); the days of each span noun.
EPISODE_DAYS = 3
SPAN_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}


def over_many_places(ctx: SentenceContext, frame: Frame) -> bool:
    """Violence told at several places at once by a counted or quantified plural place
    ("killed dozens of terrorists in six villages of northern Latakia", "strikes on
    several areas of Aleppo province", "beaten back on several fronts"): a sum of events
    over places, as ``separate_scenes`` is for places named one by one. Not one town's
    parts ("several neighbourhoods of Aleppo", "three sites in Kabul"), one battle's
    fronts, nor two places near each other, often one attack ("an attack on two
    villages")."""
    if frame.event_type != "ASSAULT":
        return False
    for word in event_words(frame):
        for prep in word.children:
            place = child(prep, "pobj") if prep.dep_ == "prep" and prep.lower_ in ("in", "on", "across", "at") else None
            if place is None or place.tag_ != "NNS" or place.lemma_.lower() not in MANY_PLACE_NOUNS:
                continue
            if any(c.dep_ in ("amod", "det") and c.lower_ in SEVERAL_WORDS for c in place.children) or any(
                    c.dep_ == "nummod" and (parse_amount(c.text, ctx.res.quantities) or 0) >= MANY_PLACES
                    for c in place.children):
                return True
    return False


# Plural places an event told at several of is several events: "in six villages".
# Only places apart from each other: "several districts", "three sites" or "several fronts"
# may be one town's or one battle's.
MANY_PLACE_NOUNS = frozenset({"village", "town", "city", "province", "governorate", "region"})
SEVERAL_WORDS = frozenset({"several", "various", "different", "multiple", "numerous", "many", "separate"})
MANY_PLACES = 3  # "in three villages": a sum ("SHELLING of three cities killed six", docs/judging.md)


def many_blows(frame: Frame, main: Token, res: ExtractionResources) -> bool:
    """Whether the event is told as many blows: a plural trigger ("raids over the
    weekend killed 30") or a plural weapon or act as its verb's subject ("bombs dropped
    by the regime killed"); not many doers of one attack ("gunmen attacked a church")."""
    if frame.trigger.tag_ == "NNS":
        return True
    subject = child(main, "nsubj")
    return subject is not None and subject.tag_ == "NNS" and in_word_classes(
        subject.lemma_.lower(), res.word_classes, ("weapon", "warfare_word", "state_strike_noun", "armed_assault_noun"))


def own_clause(verb: Token) -> bool:
    """A joined verb with a subject and an auxiliary of its own ("and the area has been
    under curfew"); not one that shares them ("or crashed", "and millions displaced")."""
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children) \
        and any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def many(token: Token) -> bool:
    """A plural noun phrase, or one counted as many ("several aircraft", "300 homes")."""
    if token.tag_ == "NNS":
        return True
    return any(c.lower_ in MANY_WORDS or (c.dep_ == "nummod" and c.like_num and c.lower_ not in ("one", "1"))
               for c in token.children)


def is_trend(ctx: SentenceContext, frame: Frame) -> bool:
    """"attacks on aid workers have become more frequent", "have carried out sporadic
    attacks since 2017" (no day): a trend, not an event."""
    ongoing = frame.date_precision in ("published", "month", "year")
    verb = frame.verb
    if verb is not None and verb.lemma_.lower() in ctx.res.word_classes["outbreak_verb"]:
        return False  # "protests have broken out at the border post": they happened
    if ctx.index == 0 and verb is not None and verb.tag_ in ("VBP", "VBZ") \
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False  # a brief's headline present: "Police carry out raids in Pemba"
    if verb is not None and verb.lemma_.lower() in ("continue", "resume") \
            and not any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in verb.children) \
            and prep_object(verb, {"since"}) is None and (
                frame.place_source in ("attached", "sentence") or prep_object(frame.trigger, {"between"}) is not None
                or prep_object(verb, {"between"}) is not None):
        # "clashes continued between the army and the KIA", "protests resumed in Sagaing";
        # not "violence has continued in Rakhine since 2017"
        return False
    if stepped_up_campaign(ctx, frame):
        return True
    # A toll makes it one event told in the present of a brief ("Air forces launch
    # attacks near Kangarwa, killing 15").
    return frame.trigger.tag_ == "NNS" and frame.modality == "asserted" and ongoing \
        and not ctx.magnitudes and frame.trigger.lemma_.lower() not in ctx.res.agents \
        and is_generic(frame.trigger, ctx.res)  # "300 protesters gathered" counts people


def stepped_up_campaign(ctx: SentenceContext, frame: Frame) -> bool:
    """Blows told as stepped up, with no day and no toll: "regime and Russian forces have
    lately intensified their bombardment of Idlib province", "escalated its bombardment
    of Eastern Ghouta last week": a campaign grown fiercer, not one event (with a day or
    a toll it is the day's news: "stepped up air strikes on Aleppo on Monday, killing
    25")."""
    trigger, verb = frame.trigger, frame.trigger.head
    return trigger.pos_ == "NOUN" and trigger.dep_ == "dobj" and frame.modality == "asserted" \
        and verb.lemma_.lower() in ctx.res.word_classes["intensify_verb"] \
        and frame.date_precision != "day" and not ctx.magnitudes


def count_magnitudes(ctx: SentenceContext, frame: Frame) -> None:
    """The sentence's magnitudes nearest the trigger, for the event types that have them."""
    if frame.event_type not in ("ASSAULT", "COERCE", "PROTEST"):
        return
    taken: dict[str, int] = {}  # field -> index of the harm word whose count it took
    for field, amount, index in sorted(ctx.magnitudes, key=lambda m: abs(m[2] - frame.trigger.i)):
        if field == "detained" and frame.event_type == "ASSAULT":
            continue  # detentions are the arrest's, not the attack's
        if frame.event_type == "PROTEST" and told_as_reason(ctx.doc[index], frame, ctx.res):
            continue
        if field not in frame.amounts:
            frame.amounts[field], taken[field] = amount, index
        elif field in ("fatalities", "injured") and taken.get(field) is not None \
                and another_sides_toll(ctx.doc[taken[field]], ctx.doc[index], ctx.res):
            # "10 IS militants were killed ... and 4 members of the GNA forces were killed": 14
            frame.amounts[field] += amount
            taken[field] = None


def told_as_reason(token: Token, frame: Frame, res) -> bool:
    """Whether a magnitude word is in what a protest gives as its reason ("protested
    after a girl was killed", "rallied over the deaths of five miners", "a sit-in
    protesting the killing of three"), says or asks ("a protest alleging negligence
    leading to the death of a patient", "protesters demanded an inquiry into the deaths
    of two"): those deaths are another event's."""
    heads = {frame.trigger.i} | ({frame.verb.i} if frame.verb is not None else set())
    if frame.trigger.dep_ == "nsubj":
        heads.add(frame.trigger.head.i)  # "Protesters demanded an inquiry into the deaths of two"
    asking = res.word_classes["protest_verb"]  # "protest", "demand", "denounce" ...

    def protesters_telling(word: Token) -> bool:
        # what the protest asks, or says with no subject of its own ("a protest alleging
        # ..."); not what others say of it ("and officials said two people were killed")
        return word.lemma_.lower() in asking or (word.lemma_.lower() in res.word_classes["reporting_verb"] and not any(
            c.dep_ in ("nsubj", "nsubjpass") for c in word.children))

    path = []
    for ancestor in [token, *token.ancestors]:
        if ancestor.i in heads:
            # (what a protest or demand verb takes as its object is what was protested:
            # "protested the death of an inmate", "demanded an inquiry into the deaths")
            return any(opens_reason(t, res) or protesters_telling(t) for t in path) or (
                bool(path) and (path[-1].dep_ == "dobj" or (path[-1].dep_ == "prep" and path[-1].lower_ == "into"))
                and ancestor.lemma_.lower() in asking)
        path.append(ancestor)
    return False


def event_row(ctx: SentenceContext, frame: Frame) -> dict:
    """The frame as an events-table row, coded in the ontology, without its confidence."""
    trigger = frame.trigger
    event = {
        "event_id": stable_id(ctx.article_id, trigger.idx, frame.event_type),
        "article_id": ctx.article_id,
        "sentence_index": ctx.index,
        "sentence": ctx.sent.text.strip(),
        "trigger_text": trigger.text,
        "trigger_start": trigger.idx,
        "trigger_end": trigger.idx + len(trigger.text),
        "event_type": frame.event_type,
        "event_mode": frame.mode or None,
        **place_columns(ctx, frame),
        "event_date": frame.date,
        "date_text": frame.date_text,
        "date_precision": frame.date_precision,
        **{column: frame.amounts.get(column) for column in MAGNITUDE_COLUMNS},
        "modality": frame.modality,
        "attributed_to": find_attribution(ctx, frame.reporting),
        "_place_source": frame.place_source,
        # "the attack", "the bombing": a definite event noun names an event told before
        # (so does "the attack killed 32"); "the strikes" and "the attacks" are as often a
        # whole campaign.
        "_anaphoric": names_an_event_told_before(trigger, ctx.event_heads, ctx.res),
        "_singular": trigger.tag_ == "NN" or named_by_its_subject(trigger, ctx.event_heads, ctx.res),
        "_trigger_lemma": trigger.lemma_.lower(),
        "_within": event_told_within(trigger, frame.verb, ctx.event_heads),
        "_told_in": event_told_in(trigger, frame.verb, ctx.event_heads),
        "_victim_words": victim_words(trigger, frame.verb),
        "_other_incident": opens_other_incident(ctx.sent, ctx.event_heads),
        "_names_a_place": names_a_place(ctx.sent, ctx.res),
        "_names_a_destination": names_a_place(ctx.sent, ctx.res, DESTINATION_PREPOSITIONS),
        "_new_cause": told_with_new_cause(trigger, frame.verb, ctx.event_heads),
    }
    set_actor(event, "actor1", frame.actor1)
    set_actor(event, "actor2", frame.actor2)
    code_event(event, ctx.res)  # coded again once coreference has settled its actors
    return event


def victim_words(trigger: Token, verb: Token | None) -> frozenset[str]:
    """The words (lower case) of the subjects and objects of the trigger and its verb."""
    return frozenset(t.lower_ for head in {trigger, verb} - {None} for c in head.children
                     if c.dep_ in ("nsubj", "nsubjpass", "dobj") for t in c.subtree)


def names_an_event_told_before(trigger: Token, event_heads: frozenset[int], res: ExtractionResources) -> bool:
    """Whether a trigger names an event told before: a definite event noun ("the
    bombing"), or a verb whose subject is a definite singular one (``named_by_its_subject``)."""
    if trigger.pos_ == "NOUN":
        return is_definite(trigger)
    return named_by_its_subject(trigger, event_heads, res)


def named_by_its_subject(trigger: Token, event_heads: frozenset[int], res: ExtractionResources) -> bool:
    """Whether a verb's subject is a definite singular event noun: "the attack killed 32
    rebels" (not "the strikes killed ...", as often a campaign, nor people the event is
    named by: "the protesters had pelted stones")."""
    if trigger.pos_ not in ("VERB", "AUX"):
        return False
    subject = child(trigger, "nsubj")
    return subject is not None and subject.tag_ == "NN" and subject.i in event_heads and is_definite(subject) \
        and subject.lemma_.lower() not in res.agent_kinds \
        and subject.lemma_.lower() not in res.word_classes["crowd_noun"]


def is_definite(noun: Token) -> bool:
    """"the attack", "this clash": a noun that names something told before."""
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children)


def events_told_within(trigger: Token, verb: Token | None, event_heads: frozenset[int],
                       prepositions: tuple[str, ...]) -> Iterator[Token]:
    """The event nouns (other triggers) that the trigger or its verb is told in, during or
    by: "killed in the clash", "killed in rebel shelling"."""
    for head in (trigger, verb):
        for prep in (head.children if head is not None else ()):
            obj = child(prep, "pobj") if prep.dep_ in ("prep", "agent") and prep.lower_ in prepositions else None
            if obj is not None and obj.i in event_heads and obj.i != trigger.i:
                yield obj


def told_with_new_cause(trigger: Token, verb: Token | None, event_heads: frozenset[int]) -> bool:
    """Whether a mention is told as the work of an event noun of its own that no
    definite article ties to one told before: "Six people were also killed in rebel
    shelling" (another attack), not "... also killed in the encounter"."""
    return any(not is_definite(obj)
               for obj in events_told_within(trigger, verb, event_heads, ("in", "during", "amid", "by")))


def names_a_place(sent: Span, res: ExtractionResources, prepositions: frozenset[str] = frozenset({"of"})) -> bool:
    """Whether a sentence names a place of its own, read by the gazetteer or not: a name
    after a locative preposition ("in the town of al-Husainiyah", "in west Aleppo") or
    one of ``prepositions``."""
    locative = res.word_classes["locative_prep"] | prepositions
    return any(t.pos_ == "PROPN" and t.ent_type_ not in ("DATE", "TIME", "PERSON") and any(
        a.dep_ == "prep" and a.lower_ in locative for a in t.ancestors) for t in sent)


# Prepositions of where something was sent ("troops were deployed to Latakia").
DESTINATION_PREPOSITIONS = frozenset({"of", "to", "into", "towards"})


def event_told_within(trigger: Token, verb: Token | None, event_heads: frozenset[int]) -> str | None:
    """The lemma of a definite event noun the event is told as part of: "In the unwanted
    clash, one supporter was killed" (the clash told before; coreference reads it)."""
    return next((obj.lemma_.lower() for obj in events_told_within(trigger, verb, event_heads, ("in", "during", "amid"))
                 if obj.pos_ == "NOUN" and is_definite(obj)), None)


def event_told_in(trigger: Token, verb: Token | None, event_heads: frozenset[int]) -> str | None:
    """The lemma of any event noun the event is told in, definite or not: "two militants
    were killed in a fierce encounter" (the encounter may be told next: "A gun battle
    broke out between ...")."""
    return next((obj.lemma_.lower() for obj in events_told_within(trigger, verb, event_heads, ("in", "during", "amid"))
                 if obj.pos_ == "NOUN"), None)


def place_columns(ctx: SentenceContext, frame: Frame) -> dict:
    place, span = frame.place, frame.place_span
    return {
        "location_text": span.text if span is not None else (ctx.dateline_text if place else None),
        "location_name": place.name if place else None,
        "geonameid": place.geonameid if place else None,
        "country_iso3": place.country_iso3 if place else None,
        "admin1": place.admin1 if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "geo_precision": frame.geo_precision,
        "_feature_type": place.feature_type if place else None,  # coreference: a curated region
    }


def stable_id(*parts) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:24]


def event_date(ctx: SentenceContext, trigger: Token, verb: Token | None):
    """(date, precision, text, attached): the date expression attached to the trigger,
    else the nearest one in the sentence that is the event's (``dates_the_event``: not
    "to reinstate employees fired in 2015", nor "rallied to denounce the arrest of a
    teacher on 6 January"), else the publication date. A clause in the present tense
    ("are demanding a ransom") takes no date told of another verb. A day a span began on
    ("on strike since 12 May") dates the event on the day of the report, which finds it
    going on; a year a thing is for ("a levy for the year 2021-22") never dates it, nor
    does the date the page prints (``ArticleContext.page_stamp``)."""
    anchors = clause_anchors(trigger, verb)
    stamp = ctx.page_stamp or (0, 0)
    dates = [ent for ent in entities_in(ctx.sent) if ent.label_ in ("DATE", "TIME")
             and not (ent.start < stamp[1] and ent.end > stamp[0])]  # the page's own date dates no event
    covered = {i for ent in dates for i in range(ent.start, ent.end)}
    dates += [ctx.sent.doc[t.i:t.i + 1] for t in ctx.sent
              if t.i not in covered and not (stamp[0] <= t.i < stamp[1]) and day_in_figures_slot(t)]
    clause = verb if verb is not None else trigger
    present = clause.tag_ in ("VBP", "VBZ") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBP", "VBZ") and c.lower_ not in ("has", "have")
        for c in clause.children)
    ordered = sorted(dates, key=lambda e: (not is_attached(e, anchors), abs(e.root.i - trigger.i)))
    for ent in ordered:
        attached = is_attached(ent, anchors)
        hour = clock_time(ent)
        if (present and not attached) or (hour is not None and len(ent) == 1):
            continue
        # "on Thursday [19 August]": the day the text states, where the weekday may mislead
        stated = bracketed_date(ent, ctx.published)
        text = stated[0] if stated else with_day_before(ent)
        if hour is not None:
            text = " ".join(t.text for t in ent if t.i != hour.i)  # "Tuesday 1850": Tuesday
        resolved = stated[1] if stated else resolve_date_expression(text, ctx.published)
        preposition = preposition_of(ent)
        if resolved is None or not dates_the_event(ent, trigger, attached, clause, resolved[1] == "day") \
                or (preposition == "for" and resolved[1] == "year"):
            continue
        if resolved[1] == "day" and preposition == "since":
            return ctx.published, "day", text, attached
        return resolved[0], resolved[1], text, attached
    return ctx.published, "published", None, False


# Four figures that read as a year but tell the hour ("at 1850 (Syrian time)", "around
# 1130 am", "(0830 GMT)").
CLOCK_FIGURES = re.compile(r"([01]\d|2[0-3])[0-5]\d")
CLOCK_AFTER = frozenset({"am", "a.m.", "pm", "p.m.", "gmt", "utc", "hrs", "hours"})


def clock_time(ent: Span) -> Token | None:
    """The token of a date the model found that is an hour written in four figures, if
    one is: right after "at", or before "am", "GMT", "hrs" or "... time" ("local time"),
    brackets left out ("around 1130 am", "1850 (Syrian time)"); the rest of the date
    ("Tuesday 1850") still dates the event."""
    figures = [t for t in ent if CLOCK_FIGURES.fullmatch(t.text)]
    if len(figures) != 1:
        return None
    doc, figure = ent.doc, figures[0]
    before = doc[figure.i - 1].lower_ if figure.i > 0 else ""
    after = [t.lower_ for t in doc[figure.i + 1:figure.i + 5] if t.lower_ not in ("(", ")")][:2]
    # ("1850 (local time)", but "In May 2011 Syrian army launched ..."; "around 2014" may be
    # a year: after "around" or "about" only an hour's word tells an hour)
    hour = before == "at" or bool(after and after[0] in CLOCK_AFTER) or after[1:2] == ["time"]
    return figure if hour else None


def preposition_of(ent: Span) -> str | None:
    """The preposition a date is the object of ("since 16 January", "for the year 2014"),
    lowercased."""
    doc = ent.doc
    if ent.start > 0 and doc[ent.start - 1].pos_ == "ADP":
        return doc[ent.start - 1].lower_
    return ent.root.head.lower_ if ent.root.dep_ == "pobj" else None


# A part of a day written after the day ("on Sunday evening"): the day's phrase, not a
# thing the day is of.
DAY_PARTS = frozenset({"morning", "afternoon", "evening", "night", "noon", "midnight", "dawn", "dusk"})


def dates_the_event(ent: Span, trigger: Token, attached: bool, clause: Token, day: bool = False) -> bool:
    """Whether a date is the event's.

    Not a count that reads as a year ("Around 2000 nurses", no "the" before it). One
    that opens the sentence is ("In 2023 gunmen killed", "Late February protesters
    marched": the small model often makes it part of the subject). One written before a
    noun is that noun's: the event's when the noun is the trigger, a word above it or
    the time it happened in ("during the 2022 offensive", "since the 2015 massacre, when
    gunmen killed 70 villagers"), not when the event is about it ("against the 1984
    Golden Temple carnage"). A day that is not attached to the trigger is the event's
    unless it is told in a clause about another thing (``in_clause_of_its_own``): the
    small model hangs days from the wrong word too often to ask for more. A month or a
    year only from a clause above the trigger, a verb joined to it or a clause of its
    time, or the subject of its verb: not from a participle ("a levy imposed in 2022", "a
    poll set for next month"), which dates its own thing."""
    root = ent.root
    head = root.head
    sent = trigger.sent
    if ent.start == sent.start + 1 and sent[0].pos_ == "ADP":
        return True  # "In 2023 gunmen killed"
    if root.dep_ == "nummod" and head.tag_ in ("NNS", "NNPS") and head != trigger and not day \
            and not any(c.dep_ in ("det", "poss") and c.i < root.i for c in head.children):
        return False
    if ent.start == sent.start:
        return True
    if root.dep_ in ("nummod", "compound", "amod", "poss") and head.pos_ in ("NOUN", "PROPN") \
            and head.lower_ not in DAY_PARTS \
            and not (root.dep_ in ("nummod", "compound") and ent.start > 0 and ent.doc[ent.start - 1].pos_ == "ADP"):
        # (not "on Tuesday state media said", "on 5 March gunmen killed": the small model
        # makes the day a word of the noun after it)
        if at_or_above(head, trigger):
            return True
        preposition = head.head
        return head.dep_ == "pobj" and preposition.lower_ in TIME_PREPOSITIONS \
            and at_or_above(preposition.head, trigger)
    if attached:
        return True
    if day:
        return not in_clause_of_its_own(ent, trigger, clause)
    return dates_governing_clause(ent, trigger) or in_subject_of(ent, clause)


def in_clause_of_its_own(ent: Span, trigger: Token, clause: Token) -> bool:
    """Whether a day is told inside a clause about another thing than the event: a
    relative clause ("kept up the boycott that started on 16 May"), a clause of purpose
    or report ("rallied to denounce the arrest of a teacher on 6 January", "vowed to
    block the port from 24 July"), one of time or cause with another conjunction than
    when, as or while ("rioted after a lorry struck a cyclist on 29 April"), or a
    participle on a word outside the event's phrase. Not a clause of the same time ("died
    when a bomb went off at the depot on Monday", "held a sit-in, chanting ... on
    Friday"), nor one that holds the trigger or tells what a word of the event's phrase
    did ("wounded by a shell that hit the clinic on Monday")."""
    node = ent.root
    for _ in range(10):
        if node.head.i == node.i:
            return False
        if node.dep_ in OWN_CLAUSE_DEPS and not ent.start <= node.i < ent.end:
            if node.is_ancestor(trigger) or node.i == trigger.i:
                return False
            if not (at_same_time(node, trigger) or participle_of_phrase(node, trigger, clause)
                    or tells_of_phrase(node, trigger)):
                return True
        node = node.head
    return False


# Verbs of a relative clause that tell when a thing began, not when it was told of.
INCEPTION_VERBS = frozenset({"begin", "start", "commence", "erupt"})


def tells_of_phrase(verb: Token, trigger: Token) -> bool:
    """A relative clause on the trigger or a word of its phrase, telling what it did:
    "an attack that killed 20 on Monday", "wounded by a shell that hit the clinic on
    Monday"; not when it began ("kept up the boycott that started on 16 May"), and not
    of a word of the subject ("relatives of miners who were killed on 2 March")."""
    return verb.dep_ in ("relcl", "acl") and verb.lemma_.lower() not in INCEPTION_VERBS \
        and (verb.head.i == trigger.i or (verb.dep_ == "relcl" and within_phrase_of(verb.head, trigger)))


def participle_of_phrase(verb: Token, trigger: Token, clause: Token) -> bool:
    """A participle or an infinitive with no conjunction or subject of its own, on a word
    of the event's phrase ("shells fired by troops on Monday", "an attempt to storm the
    jail on Monday") or on the trigger or its verb ("held a sit-in, chanting ... on
    Friday")."""
    if verb.tag_ not in ("VBG", "VBN", "VB") or any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in verb.children):
        return False
    if verb.dep_ == "acl":
        return within_phrase_of(verb.head, trigger) or within_phrase_of(verb.head, clause)
    return verb.dep_ == "advcl" and verb.tag_ != "VB" and verb.head.i in (trigger.i, clause.i)


def in_subject_of(ent: Span, verb: Token) -> bool:
    """Whether a date is inside the subject of the event's verb: "Clashes between two
    clans in the valley in March 2023 killed nine people" (what killed, and when)."""
    return any(child.dep_ in ("nsubj", "nsubjpass") and child.left_edge.i <= ent.root.i <= child.right_edge.i
               for child in verb.children)


def dates_governing_clause(ent: Span, trigger: Token) -> bool:
    """Whether the first verb or noun a date expression hangs from is the trigger or a
    word above it: "In early November 2014 al-Nusra started expanding ... after
    clashing", "since the 2015 massacre, when gunmen killed 70 villagers"."""
    node = ent.root
    for _ in range(6):
        head = node.head
        if head is node:
            return False
        if head.pos_ in ("VERB", "AUX") or (head.pos_ in ("NOUN", "PROPN", "PRON", "NUM")
                                           and not ent.start <= head.i < ent.end):
            return at_or_above(head, trigger) or at_same_time(head, trigger)
        node = head
    return False


# Dependencies that open a clause of its own: a date inside one is that clause's.
OWN_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "xcomp", "csubj", "parataxis"})
# Conjunctions of a clause that happened when the event did.
WHEN_WORDS = frozenset({"when", "as", "while"})


def at_same_time(word: Token, trigger: Token) -> bool:
    """Whether a word's clause happened when the trigger's did: joined to it ("burned
    tyres and blocked the road in Kisumu on Sunday") or told as its time ("died when a
    bomb went off at the depot on Monday")."""
    if word.dep_ == "conj":
        return at_or_above(word.head, trigger)
    return word.dep_ == "advcl" and at_or_above(word.head, trigger) \
        and any(c.dep_ in ("mark", "advmod") and c.lower_ in WHEN_WORDS for c in word.children)


def within_phrase_of(noun: Token, trigger: Token) -> bool:
    """Whether a noun is in the trigger's own phrase, reached through no clause of its
    own but one of the same time: "an attack on a bus at the depot on Monday night",
    "killed in raids on the northern suburbs on Friday" (the small model hangs the day
    from the nearest noun); not a noun inside a clause of purpose or report."""
    node = noun
    for _ in range(8):
        if node.i == trigger.i:
            return True
        if node.head.i == node.i or (node.dep_ in OWN_CLAUSE_DEPS and not at_same_time(node, trigger)):
            return False
        node = node.head
    return False


def at_or_above(token: Token, trigger: Token) -> bool:
    """Whether a word is the trigger or one of its heads."""
    return token == trigger or token in trigger.ancestors


def bracketed_date(ent: Span, published) -> tuple[str, tuple] | None:
    """(text, resolved) of the date in brackets right after a weekday or a day told
    relative to the report, a part of the day between ("on Wednesday (28 February)", "on
    Thursday [19 August]", "yesterday morning (16/01)", "today (22/01)"): the day itself,
    where the weekday may point to another week and "yesterday" counts from a report
    whose day the text does not give."""
    doc = ent.doc
    words = [t.lower_ for t in ent]
    if not words or not (words[0] in WEEKDAYS or words[0] in RELATIVE_DAYS) \
            or any(w not in DAY_PARTS for w in words[1:]):
        return None
    opening = ent.end
    while opening < len(doc) and opening < ent.end + 2 and doc[opening].lower_ in DAY_PARTS:
        opening += 1  # "yesterday morning (16/01)": the model tags "morning" a time of its own
    if opening >= len(doc) or doc[opening].text not in ("(", "["):
        return None
    closing = ")" if doc[opening].text == "(" else "]"
    end = next((i for i in range(opening + 1, min(opening + 6, len(doc))) if doc[i].text == closing), None)
    if end is None:
        return None
    text = doc[opening + 1:end].text
    resolved = resolve_date_expression(text, published)
    return (text, resolved) if resolved is not None and resolved[1] == "day" else None


# Words a day in figures the model tags a number follows: "on 27/06", "since 01/07".
DATE_SLOT_WORDS = frozenset({"on", "dated", "since", "until", "till", "from"})


def day_in_figures_slot(token: Token) -> bool:
    """A day in figures the model tags a number, where a date stands: after "on",
    "since" and the like, or in brackets ("yesterday (16/01)"); not "3/4 of the votes",
    "9/11"."""
    match = NUMERIC_DATE.fullmatch(token.text)
    if match is None or not date_in_figures(match, token.doc.text[token.idx:token.idx + len(token.text) + 16]):
        return False
    before = token.doc[token.i - 1] if token.i > 0 else None
    return before is not None and (before.lower_ in DATE_SLOT_WORDS or before.text in ("(", "["))


RELATIVE_DAYS = frozenset({"today", "yesterday", "tonight", "tomorrow"})


def with_day_before(ent: Span) -> str:
    """A month's name with the day the model left out of it: "on Sunday [16 August]"
    gives the entities "Sunday" and "August", and the 16 a number of its own."""
    doc, start = ent.doc, ent.start
    if len(ent) != 1 or ent[0].lower_.rstrip(".") not in MONTH_FORMS or start == 0:
        return ent.text
    day = doc[start - 1].text
    if day.isdigit() and 1 <= int(day) <= 31:
        return f"{day} {ent.text}"
    return ent.text


def is_attached(ent: Span, anchors: set[int]) -> bool:
    """Whether a date expression hangs from the trigger or its verb, not through a
    clause of another verb ("continued the strike which began on 16 May")."""
    node = ent.root
    for _ in range(5):
        if node.i in anchors:
            return True
        if node.head.i == node.i or node.dep_ in OWN_CLAUSE_DEPS:
            return False
        node = node.head
    return False
