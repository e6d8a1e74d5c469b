"""Triggers and what they make of an event: the trigger words found in the parsed
sentences, the most specific mode among them, and ACLED's rules that refine the type
("took control of the town" is territory, police firing on protesters excessive
force). Pure spaCy, no Beam.

    find_triggers(doc, res, actor_spans) -> [(token "killed", {"event_type": "ASSAULT", ...})]
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from newsevents.transforms.extraction.acled_coding import (ARMED_OWNER_KINDS, agent_lemma, matching_rule,
                                                           takes_ground_for_the_state)
from newsevents.transforms.extraction.context import Frame, SentenceContext
from newsevents.transforms.extraction.modality import is_reference, is_threat
from newsevents.transforms.extraction.parsing import parsed_spans, was_parsed
from newsevents.transforms.extraction.resources import (ARMED_KINDS, FORCE_SECTORS, ExtractionResources,
                                                         in_word_classes)
from newsevents.transforms.extraction.syntax import (
    DATE_LABELS, EARLIER_WORDS, PLACE_LABELS, aimed_at, asked_for_by, child, denied, fight_of_two_sides,
    fights_told_around, governing_verb, in_protest, killed_people, magnitude_field, misparsed_object, modal_aux,
    next_sentence_in_paragraph, object_head, opens_reason, own_subtree, prep_object, previous_sentence_in_paragraph,
    sentences_after_in_paragraph, stopped_by_state, subject_of, told_as_before, verb_done_in_protest)


def find_triggers(doc: Doc, res: ExtractionResources, actor_spans: dict) -> list[tuple[Token, dict]]:
    """(trigger head token, trigger info) for each trigger match that is not part of a
    name ("Coalition to Defeat ISIS") or a modifier ("attack helicopter")."""
    found, seen = [], set()
    # Only where the model parsed: the pre-filter left no trigger elsewhere, and the
    # Matcher walking every token of a long article costs more than the rules.
    matches = [(key, part.start + start, part.start + end)
               for part in parsed_spans(doc) for key, start, end in res.triggers(part)]
    # A word one pattern takes whoever acts ("blocked the highway") keeps that pattern's
    # entry, not that of a pattern for crowds only ("crowd_only": "blocked ...").
    infos = [res.trigger_info[res.nlp.vocab.strings[key]] for key, _, _ in matches]
    for (key, start, end), info in sorted(zip(matches, infos), key=lambda m: m[1]["crowd_only"]):
        span = doc[start:end]
        if any(token.is_sent_start for token in span[1:]):
            continue  # a pattern's gap across a full stop: "the toll was 45. The strikes ..."
        head = span.root
        if head.pos_ in ("ADP", "DET", "PART", "AUX") and len(span) > 1:
            head = span[-1]  # "on strike": the event is the strike
        # Inside an actor's name ("Popular Mobilization Forces") is no trigger; a name in a
        # pattern's gap ("set an Awami League office ablaze") is its object.
        if head.i in seen or any(i in actor_spans for i in (start, end - 1, head.i)):
            continue
        if head.ent_type_ in ("PERSON", "ORG", "WORK_OF_ART", "LAW", "EVENT") and head.pos_ != "VERB" \
                and not alone_in_entity(head):
            continue
        if head.dep_ == "compound" and head.pos_ == "NOUN" and not (
                info["event_type"] == "PROTEST" and names_event(head, res)):
            continue
        if head.i > 0 and doc[head.i - 1].text in ("-", "‑") and head.tag_ in ("VBN", "VBD", "JJ") \
                and not (head.i > 1 and doc[head.i - 2].lower_ in VERB_PREFIXES):
            continue  # "US-backed forces": a modifier, not an act of support ("re-captured" is an act)
        blocked = info.get("not_with")
        # the words around the trigger and those of its pattern: "a diplomatic offensive was launched"
        if blocked and any(t.lemma_.lower() in blocked
                           for t in (head.head, *head.children, *(c for word in span for c in word.children))):
            continue
        if is_heading(head.sent):
            continue
        if info["tied"] and len(span) > 2 and not tied_in_clause(span[-1], span[0]):
            continue  # "set up a committee to probe the fire": two clauses, no arson ("shot dead": one phrase)
        if info["id"] == "clear-of" and not any(armed_party(driven, actor_spans, res)
                                                for driven in (child(span[-1], "pobj"), child(span[0], "dobj"))):
            continue  # "cleared of murder", "cleared the camp of migrants": no armed group driven out
            # ("cleared the villages of Boko Haram militants", "cleared the militants out of Garyounis")
        if (head.dep_ == "amod" and not is_misparsed_verb(head)) or (
                head.dep_ == "acl" and head.tag_ == "VBN" and info["event_type"] == "ACCUSE"):
            continue  # "detained journalists", "a seized ship", "a man accused of blasphemy"
        seen.add(head.i)
        found.append((head, info))
    found.sort(key=lambda f: f[0].i)
    by_index = {token.i: info for token, info in found}
    # A noun acted on by a trigger of another type is the object, not an event: "lifted
    # the curfew", "dismissed the ultimatum", "condemned the attack", "welcomed the truce".
    return [(token, info) for token, info in found
            if not (token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("dobj", "pobj")
                    and governing_trigger(token, by_index, info, res))]


# Prefixes a hyphen joins to a verb without making it a modifier: "re-captured", "counter-attacked".
VERB_PREFIXES = frozenset({"re", "counter"})

# Links by which a word opens a clause of its own below its head: a pattern's last word
# reached through one of them is not the first word's ("set off a bomb and opened fire");
# "conj" only from a verb ("set two buses and a truck parked nearby afire" is one clause).
CLAUSE_LINKS = frozenset({"advcl", "ccomp", "xcomp", "relcl", "parataxis", "csubj", "pcomp"})


def tied_in_clause(last: Token, first: Token) -> bool:
    """Whether ``last`` hangs on ``first`` without opening a clause on the way ("set a bus
    parked at the depot on fire": "fire" under "on" under "parked", a participle of the
    object, under "set"), or where the parser hung the pattern's closing phrase on a
    relative clause of the object ("set the car which hit the boy on fire")."""
    # the closing phrase itself: "on fire", "ablaze"
    phrase_verb = last.head.head if last.dep_ == "pobj" else last.head
    token = last
    while token.i != first.i:
        opened = token.dep_ in CLAUSE_LINKS or (token.dep_ == "conj" and token.pos_ in ("VERB", "AUX"))
        if (opened and not (token.dep_ == "relcl" and token.i == phrase_verb.i)) or token.head.i == token.i:
            return False
        token = token.head
    return True


def alone_in_entity(token: Token) -> bool:
    """A plural common noun the model made an entity all by itself ("Dharnas were held
    at three colleges": the first word of a sentence taken for an organisation): no name.
    A singular one may be a surname or a paper's name ("Storm said ...", "the weekly
    Arrest reported")."""
    doc = token.doc
    return token.pos_ == "NOUN" and token.tag_ == "NNS" and token.ent_iob_ == "B" and (
        token.i + 1 >= len(doc) or doc[token.i + 1].ent_iob_ != "I")


def armed_party(noun: Token | None, actor_spans: dict, res: ExtractionResources) -> bool:
    """Whether a noun names an armed party: a lexicon actor of an armed kind ("Boko Haram",
    "Daesh") or a word the agents list gives such a kind ("militants", "rebels"), the
    noun itself or a name before it ("Boko Haram militants")."""
    if noun is None:
        return False
    for token in (noun, *(c for c in noun.children if c.dep_ in ("compound", "amod"))):
        listed = actor_spans.get(token.i)
        if listed is not None and listed[1].kind in ARMED_KINDS:
            return True
        if res.agent_kinds.get(token.lemma_.lower()) in ARMED_KINDS:
            return True
    return False


def names_event(compound: Token, res: ExtractionResources) -> bool:
    """Whether a protest noun hung as a modifier is the event all the same: of a noun that
    frames it ("a protest action", "a protest programme"), or of a word no dictionary knows
    that is the object of a light verb ("staged a protest infront of the club": the typo
    read as the noun), not of a real one ("held a strike ballot"), or of the participle
    after it that the parser hung it on ("held a dharna demanding jobs", the participle
    the object; "staged a week-long protest demanding withdrawal of ...", the participle a
    modifier of the object, or a plural before it: ``syntax.misparsed_object``)."""
    noun = compound.head
    if noun.lemma_.lower() in res.word_classes["frame_noun"]:
        return True
    # the light verb: the noun's head, or the head of the participle's object
    verb = noun.head.head if noun.dep_ == "amod" and noun.tag_ == "VBG" else noun.head
    if verb.lemma_.lower() not in res.word_classes["light_verb"] or compound.i != noun.i - 1:
        return False
    if misparsed_object(compound, res.word_classes["light_verb"]):
        return True
    return noun.dep_ == "dobj" and bool(res.known_words) and noun.is_alpha \
        and noun.lower_ not in res.known_words and noun.lemma_.lower() not in res.known_words


def is_misparsed_verb(token: Token) -> bool:
    """A past-tense verb the parser hung as a modifier, after its subject, in a sentence
    with no verb at its root: "Unknown gunmen on 01/07 kidnapped the ambassador" (the
    small model's error), not "Detained journalists on hunger strike"."""
    sent = token.sent
    return token.tag_ in ("VBD", "VBN") and sent.root.pos_ not in ("VERB", "AUX") \
        and any(t.pos_ in ("NOUN", "PROPN") for t in sent if t.i < token.i)


def is_heading(sent: Span) -> bool:
    """A headline or caption, which the article's body tells again: no verb, and no
    closing full stop, or a line of its own that more text follows. A verbless sentence
    of a brief ("Clashes between the army and rebels in Wau.") is a report of its own,
    and so is the headline of a text that is nothing else."""
    if any(t.pos_ in ("VERB", "AUX") for t in sent):
        return False
    doc = sent.doc
    own_line = (sent.start == 0 or "\n" in doc[sent.start - 1].text_with_ws) and sent.end < len(doc) \
        and "\n" in doc[sent.end - 1].text_with_ws
    closed = sent[-1].text in (".", "!", "?") or sent.text.rstrip().endswith((".", "!", "?"))
    has_more = any(t.pos_ in ("VERB", "AUX") for t in doc[sent.end:])
    return has_more and (own_line or not closed)


def governing_trigger(token: Token, by_index: dict, info: dict, res: ExtractionResources) -> bool:
    """Whether a verb trigger of another type acts on the noun. Not an attack by which
    something was destroyed ("a mosque destroyed by airstrikes": the airstrikes are the
    event, the destruction their result), nor a verb that tells an event only when a
    crowd does it (it may be ruled out: "shops were damaged in a clash"), nor a death
    told in a protest its preposition names ("a woman died while on hunger strike": the
    strike is the event, the death its toll)."""
    head = token.head if token.dep_ == "dobj" else token.head.head
    other = by_index.get(head.i)
    if other is not None and token.dep_ == "pobj" and other["toll_only"] and info["event_type"] == "PROTEST":
        return False  # (not "died in detention": a toll told of a state, as often of many)
    if other is not None and token.dep_ == "pobj" and token.head.dep_ == "agent" \
            and info["event_type"] == "ASSAULT" and other["mode"] == "destroy":
        return False
    if other is not None and protest_foiled(token, info, res):
        return False  # "police foiled a procession": the procession, with an intervention
    return other is not None and other["event_type"] != info["event_type"] and head.pos_ == "VERB" \
        and not other["crowd_only"]


def protest_foiled(noun: Token, info: dict, res: ExtractionResources) -> bool:
    """Whether a protest's noun is what security forces stopped ("police foiled a
    procession", "intercepted the rally", "thwarted their march": ``syntax.stopped_by_state``):
    the protest happened and met the forces, where the stopping verb of a weapon or a plot
    ("foiled a bomb attack") is an event of its own. Not an armed body's march or a march
    on a place ("thwarted an Islamic State march on Kobani": war)."""
    if info["event_type"] != "PROTEST" or noun.lemma_.lower() not in res.word_classes["gathering_noun"] \
            or not stopped_by_state(noun, res.word_classes["stopping_verb"], res.agent_kinds) \
            or prep_object(noun, {"on"}) is not None:
        return False
    owners = [t for c in noun.children if c.dep_ in ("compound", "poss", "nmod", "amod") and c.i < noun.i
              for t in c.subtree]
    return not any(res.agent_kinds.get(t.lemma_.lower()) in ARMED_OWNER_KINDS for t in owners)


MODE_PRIORITY = ("excessive-force", "riot", "intervention", "mob", "riot-weapon", "retake", "occupy", "ceasefire",
                 "suicide-bomb", "chemical", "aerial", "artillery", "grenade", "explosives",
                 "abduct", "sexual", "arrest", "disrupt", "firearms", "clash")


def mode_rank(mode: str | None) -> int:
    return MODE_PRIORITY.index(mode) if mode in MODE_PRIORITY else len(MODE_PRIORITY)


GENERIC_MODES = ("", "firearms", "explosives")
# The weapons a fight of two sides is fought with: told as used in the fight, they make
# no attack of one side (a suicide bombing, an air strike or gas keep their own sub-types).
FIGHT_WEAPON_MODES = frozenset({"firearms", "artillery", "grenade", "explosives"})


def specific_mode(event_type: str, modes: list[str], sent: Span, res: ExtractionResources) -> str:
    """The most specific mode among the merged triggers ("overran ... took control" is
    taking territory), else a generic one made specific by the sentence's mode words
    ("an attack ... by a suicide bomber")."""
    chosen = min((m for m in modes if m), key=mode_rank, default="")
    if event_type == "ASSAULT" and chosen in GENERIC_MODES:
        hits = []
        for token in sent:
            # Two-word mode words first: "Air Force strikes" (a force of the air).
            pair = f"{token.lemma_.lower()} {token.nbor().lemma_.lower()}" if token.i + 1 < sent.end else ""
            pair_as_written = f"{token.lower_} {token.nbor().lower_}" if pair else ""
            hit = res.modes.get(pair) or res.modes.get(pair_as_written) \
                or res.modes.get(token.lemma_.lower()) or res.modes.get(token.lower_)
            if hit and hit[0] == event_type and not (chosen == "explosives" and hit[1] == "firearms"):
                hits.append(hit[1])
        if hits:
            return min(hits, key=mode_rank)
    return chosen


def fired_from_the_air(verb: Token | None, res: ExtractionResources) -> bool:
    """Whether the one who fired is an aircraft or an air force: "helicopter gunships
    pounded the hideouts", "the town was shelled by jets", "the air force launched an
    offensive" (pounding, shelling and offensives from the air)."""
    if verb is None:
        return False
    doers = [c for c in verb.children if c.dep_ == "nsubj"]
    doers += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return any(names_aircraft(doer, res) for doer in doers)


def names_aircraft(noun: Token, res: ExtractionResources) -> bool:
    """Whether a noun, with its compounds, names an aircraft or an air force: "jets",
    "helicopter gunships", "the air force" (an aerial mode word of modes.csv; not
    "anti-aircraft guns", nor "forces")."""
    compounds = [c for c in noun.children if c.dep_ == "compound"]
    names = [f"{c.lemma_.lower()} {noun.lemma_.lower()}" for c in compounds]  # "the air force"
    names += [word.lemma_.lower() for word in [noun, *compounds]]
    return any(res.modes.get(name) == ("ASSAULT", "aerial") for name in names)


def refine_type(ctx: SentenceContext, frame: Frame) -> tuple[str, str] | None:
    """(event type, mode) by ACLED's rules on top of the trigger: taking a town is
    territory, police firing on protesters is excessive force, a broken-up protest an
    intervention, attacking a budget criticism. None drops the event."""
    lemmas = sentence_lemmas(ctx.sent)
    gathering = people_gathered(frame, lemmas, ctx)
    if gathering == "part":
        return None
    if gathering == "protest":
        return "PROTEST", "demonstrate"
    if is_ruled_out(frame, lemmas, ctx.res):
        return None
    if frame.event_type == "COERCE" and any(
            c.i in ctx.event_heads and protest_foiled(c, {"event_type": "PROTEST"}, ctx.res)
            for c in frame.trigger.children):
        return None  # "police foiled a procession": the procession's event, with an intervention
    if crowd_demanded(frame, lemmas, ctx):
        return "PROTEST", "demonstrate"
    trigger = frame.trigger
    if trigger.lemma_.lower() in ctx.res.word_classes["killing_euphemism"] and trigger.pos_ == "VERB":
        # "destroyed over 60 terrorists", "eliminated 75 militants": a killing, coded by
        # ACLED's rules as any; "destroyed a hideout" stays destruction, "eliminated the
        # threat" is no event
        if killed_people(trigger, ctx.res) is not None:
            frame.event_type, frame.mode = "ASSAULT", ""
        elif frame.event_type == "ASSAULT":
            return None
    protests = ctx.res.word_classes["protest_verb"] | ctx.res.word_classes["protest_word"]
    if frame.event_type == "COERCE" and frame.mode == "destroy" and trigger.tag_ == "VBG" \
            and trigger.dep_ == "advcl" and trigger.head.i in ctx.event_heads \
            and trigger.head.lemma_.lower() not in protests:
        return None  # "a missile hit the hospital, destroying a car": the strike's damage
    if frame.event_type == "COERCE" and frame.mode == "destroy" \
            and is_aftermath(frame, lemmas, ctx):
        return None
    if frame.event_type != "PROTEST" and protest_reason(trigger, ctx):
        return None  # "residents protested after a girl was raped": the report is the protest
    if frame.event_type == "PROTEST" and protest_as_time(trigger, ctx):
        return None  # "bombs went off during the blockade": the blockade dates the bombing
    return recoded_type(frame, lemmas, ctx.res, ctx.armed_body_named, article_tells(ctx.doc, ctx.res))


ARTICLE_TELLS_KEY = "newsevents.article_tells"


def article_tells(doc: Doc, res: ExtractionResources) -> frozenset[str]:
    """What the article tells of, read once an article: "war" where a noun names the
    weapons or acts of war (word class ``war_sign``: shelling, warplanes, mortars; "air
    strikes" and "air raids" as two words too), where wrecking by no one named is the
    war's destruction; "shutdown" where it names a shutdown (``shutdown_noun``: "the bandh
    was called by ...", "the 24th day of the blockade"; not a strike), where such wrecking
    is the shutdown's mob violence, as ACLED codes it. Not soldiers or armed groups alone:
    reports of riots tell of troops deployed after them."""
    told = doc.user_data.get(ARTICLE_TELLS_KEY)
    if told is None:
        classes = res.word_classes
        nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN")]
        war = any(t.lemma_.lower() in classes["war_sign"] or (
            t.lemma_.lower() in ("strike", "raid") and t.i > 0 and doc[t.i - 1].lower_ == "air") for t in nouns)
        shutdown = any(t.lemma_.lower() in classes["shutdown_noun"] - {"strike"} for t in nouns)
        told = doc.user_data[ARTICLE_TELLS_KEY] = frozenset(
            name for name, present in (("war", war), ("shutdown", shutdown)) if present)
    return told


def protest_as_time(trigger: Token, ctx: SentenceContext) -> bool:
    """A shutdown that only says when another event of the sentence happened: "a petrol
    bomb attack during the blockade", "on the 11th day of the blockade, four bombs went
    off" (ACLED codes the bombing). Alone in its sentence it is the news ("the blockade
    entered its 11th day"); a demonstration that violence happened during stays the event
    ("police charged activists during a protest": a protest with intervention)."""
    if trigger.lemma_.lower() not in ctx.res.word_classes["shutdown_noun"] or not in_time_phrase(trigger):
        return False
    doc, interventions = ctx.doc, ctx.res.word_classes["intervention_cue"] | {"arrest", "detain"}
    # "police detained 40 activists during the hartal": the hartal, with an intervention
    return any(i != trigger.i and not in_time_phrase(doc[i]) and doc[i].lemma_.lower() not in interventions
               for i in ctx.event_heads if ctx.sent.start <= i < ctx.sent.end)


def in_time_phrase(token: Token) -> bool:
    """"during the blockade", "amid the hartal", "the 20th day of the blockade"."""
    if token.pos_ != "NOUN" or token.dep_ != "pobj":
        return False
    prep = token.head
    if prep.lower_ in ("during", "amid", "amidst"):
        return True
    day = prep.head
    # "On the 11th day of the blockade, ..."; not "were on the first day of their hunger strike"
    return prep.lower_ == "of" and day.lemma_.lower() in ("day", "week", "month") \
        and day.head.lemma_.lower() != "be" and day.head.head.lemma_.lower() != "be"


def is_aftermath(frame: Frame, lemmas: set[str], ctx: SentenceContext) -> bool:
    """Damage told as the state things were left in ("burnt cars", "left a number of
    houses destroyed"), done by an attack ("the strikes also destroyed the aid"), or, with
    no one named who did it, of a thing of war ("a command post ... were destroyed"), in
    a sentence of air strikes or shelling, or, in a sentence that names an armed body and
    no crowd (``told_in_war``), joined by "and" to an attack ("25 terrorists were killed
    and 6 vehicles were destroyed") or done by or in an assault, a strike or a fight
    ("destroyed in the confrontations") or told as a further part of an attack or of an
    armed body's operation (``part_of_an_operation``: "in addition to destroying their
    vehicles"): the attack is the event. So is wrecking the model reads as an attack's
    participle ("Monday's raid on the convoy destroyed ..."), and bodies burned are what
    a killing left. People named as wrecking property keep their own (ACLED's mob
    violence)."""
    event_heads, res = ctx.event_heads, ctx.res
    kind = frame.actor1.get("kind") if frame.actor1 else None
    if kind in ("people", "person", "assailant", "community"):
        return False  # "rioters left 30 cars burnt": their own wrecking
    trigger = frame.trigger
    while trigger.dep_ == "conj" and trigger.head is not trigger:
        trigger = trigger.head  # "wrecked or burnt cars"
    if trigger.dep_ == "amod" or (trigger.dep_ in ("oprd", "xcomp", "ccomp", "advcl")
                                  and trigger.head.lemma_.lower() == "leave"):
        return True
    doer = child(frame.trigger, "nsubj") or prep_object(frame.trigger, {"by"})
    if doer is not None and doer.i in event_heads and doer.lemma_.lower() not in res.agents:
        return True  # "the strikes destroyed the aid": the strikes are the event
    if frame.trigger.dep_ == "acl" and frame.trigger.head.i in ctx.attack_heads:
        return True  # "Monday's raid on the convoy destroyed ...", read as the raid's participle
    if kind is not None:
        return False
    wrecked = child(frame.trigger, "dobj") or child(frame.trigger, "nsubjpass")
    if wrecked is not None and named_in(wrecked, res.word_classes["remains_noun"]):
        return True  # "some bodies were burned beyond recognition": what the killing left
    targets = res.word_classes["military_target"] | res.word_classes["weapon"]
    if wrecked is not None and any(t.lemma_.lower() in targets for t in (wrecked, *wrecked.conjuncts)):
        return True  # "a command post of the terrorists ... were destroyed"
    # (a word of quantity read as the doer is what was wrecked: "targeted ... some of
    # their vehicles destroying them")
    if told_in_war(lemmas, ctx) and (doer is None or act_of_war(doer, res) or doer.lemma_.lower() in QUANTITY_HEADS):
        if done_in_an_act_of_war(frame.trigger, res):
            return True  # "destroyed in the attack", "the strikes also destroyed 14 vehicles"
        if beside_an_attack(frame.trigger, ctx):
            return True  # "many terrorists were killed and some of their vehicles were destroyed"
        if part_of_an_operation(frame.trigger, ctx):
            return True  # "killed in army strikes ... in addition to destroying their hideouts"
    return bool(lemmas & res.word_classes["warfare_word"])


# Words that put a crowd in a sentence: its wrecking beside an attack is the crowd's own
# ("buses were torched during a protest", "rioters lynched two men and smashed a bus",
# "offices were ransacked during clashes between party supporters").
CROWD_CLASSES = ("protest_word", "protest_verb", "crowd_noun", "protester_noun", "partisan_noun")
# The prepositions that put wrecking inside an act ("destroyed in the attack", "during
# the clashes", "by the raid")
INSIDE_AN_ACT = frozenset({"in", "during", "amid", "by"})


def told_in_war(lemmas: set[str], ctx: SentenceContext) -> bool:
    """Whether the sentence itself names soldiers, fighters or an armed group
    (``SentenceContext.armed_body_here``) and no crowd: property wrecked there beside an attack
    or in a strike or a clash is that fight's damage ("25 terrorists were killed and 6
    vehicles were destroyed"), not rioters'. Not the article: a report of a hartal's or
    a communal riot's wrecking often tells of troops deployed after it."""
    classes = ctx.res.word_classes
    # (not "strike", a word of protest and of war: "killed ... during the army strikes")
    crowd = lemmas - classes["state_strike_noun"]
    return ctx.armed_body_here and not any(crowd & classes[c] for c in CROWD_CLASSES)


# The nouns of an assault, a strike or a fight that wrecking told in war is done by or in
ACTS_OF_WAR = ("armed_assault_noun", "state_strike_noun", "crowd_fight_word")


def act_of_war(noun: Token, res: ExtractionResources) -> bool:
    """Whether a noun is an assault, a strike or a fight (``ACTS_OF_WAR``); not "fire",
    which burns houses by accident too."""
    lemma = noun.lemma_.lower()
    return lemma != "fire" and in_word_classes(lemma, res.word_classes, ACTS_OF_WAR)


def done_in_an_act_of_war(trigger: Token, res: ExtractionResources) -> bool:
    """Whether wrecking is told as done by or in an assault, a strike or a fight ("destroyed
    in the attack", "the strikes also destroyed", "destroyed in the confrontations")."""
    acts = (child(trigger, "nsubj"), prep_object(trigger, INSIDE_AN_ACT))
    return any(act is not None and act_of_war(act, res) for act in acts)


def beside_an_attack(trigger: Token, ctx: SentenceContext) -> bool:
    """Whether wrecking and an attack of the sentence are told as one clause's parts,
    joined by "and" ("25 terrorists were killed and 6 vehicles were destroyed"); not an
    attack told as its cause or its time ("a police station was torched after soldiers
    killed a trader", "amid fears of an attack")."""
    root = clause_of(trigger).i
    return any(i != trigger.i and ctx.sent.start <= i < ctx.sent.end and clause_of(ctx.doc[i]).i == root
               for i in ctx.attack_heads)


# How wrecking hangs below the clause it is a further part of: "in addition to
# destroying", "as well as destroying", "leaving ... destroyed".
PART_OF_CLAUSE_DEPS = frozenset({"pcomp", "pobj", "prep", "advcl", "xcomp", "acl", "conj"})


def part_of_an_operation(trigger: Token, ctx: SentenceContext) -> bool:
    """Whether wrecking hangs, through prepositions and participles, below an attack of
    the sentence or a verb whose subject is soldiers or fighters: "many terrorists were
    killed in army strikes ... in addition to destroying their hideouts", "the army
    established control of the village ... in addition to destroying their vehicles"."""
    armed = ctx.res.word_classes["armed_body_noun"]
    node = trigger
    for _ in range(6):
        if node.dep_ not in PART_OF_CLAUSE_DEPS or node.head.i == node.i:
            return False
        node = node.head
        if node.i in ctx.attack_heads:
            return True
        subject = child(node, "nsubj") if node.pos_ == "VERB" else None
        if subject is not None:  # (a participle without one hangs on the clause above)
            return subject.lemma_.lower() in armed
    return False


def named_in(token: Token, words: set[str]) -> bool:
    """Whether a word's lemma or the word as written is in a word class: the lemmatizer
    makes "remains" "remain" and "barracks" "barrack"."""
    return token.lemma_.lower() in words or token.lower_ in words


def clause_of(token: Token) -> Token:
    """The first of the coordinated words a word belongs to ("killed and destroyed")."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def people_gathered(frame: Frame, lemmas: set[str], ctx: SentenceContext) -> str | None:
    """What a gathering of people (no officials) is: "protest" where they gathered to make
    a demand or hand in a plea ("200 villagers gathered outside the district office to demand ...",
    "teachers gathered in Karnal, demanding ...", "farmers gathered at Government House to
    submit a petition", ``plea_word``), against a party or a grievance ("gathered in
    Karnal against the BJP government": ``opposes_a_party``) or for a protest the gathering's own
    words name ("gathered in protest against the new rules", "gathered at a rally",
    ``protest_named``), "part" where that protest is an event of its own ("nurses
    gathered at the gate and staged a protest": the gathering is the protest's, no
    meeting beside it), None otherwise (a meeting, or a gathering beside a protest the
    sentence tells elsewhere: "traders gathered to plan a protest march"). The people are
    a crowd the actors name or many people (``counted_crowd``: "hundreds of weavers
    convened to oppose ...", not "the village council convened to reject ...")."""
    trigger, res = frame.trigger, ctx.res
    if frame.event_type != "CONSULT" or trigger.lemma_.lower() not in res.word_classes["assembly_verb"] \
            or trigger.pos_ != "VERB":
        return None
    kind = frame.actor1.get("kind") if frame.actor1 is not None else None
    if kind not in (None, "people", "person", "community"):
        return None
    # (the people a misparsed reduced relative hangs from: "Around 300 fisherman gathered")
    subject = child(trigger, "nsubj") or (trigger.head if trigger.dep_ == "acl" else None)
    crowd = kind is not None or counted_crowd(subject, res)
    named = protest_named(trigger, res)
    if named and crowd:
        return "part" if any(t.i in ctx.scene_heads for t in named) else "protest"
    if not crowd or named or lemmas & res.word_classes["protest_word"]:
        return None
    if any(c.dep_ in ("xcomp", "advcl", "conj") and (
            c.lemma_.lower() in res.word_classes["demand_verb"] or pleaded(c, res)) for c in trigger.children):
        return "protest"  # "gathered at Government House to submit a petition"
    if opposes_a_party(prep_object(trigger, {"against"}), res):
        return "protest"  # "teachers gathered in Karnal against the BJP government"
    return None


def opposes_a_party(opposed: Token | None, res: ExtractionResources) -> bool:
    """Whether what people gathered "against" is a party or a grievance: a name, an agent
    ("the government", "the police"), one named by a name or a nationality ("the BJP
    government"), or an act a protest is against (``grievance_noun``: "the killing"); not
    the advice of officials, a ban or a wall."""
    if opposed is None:
        return False
    words = [opposed, *(c for c in opposed.children if c.dep_ in ("compound", "amod", "poss"))]
    return any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
               or t.lemma_.lower() in res.agents for t in words) \
        or opposed.lower_ in res.word_classes["grievance_noun"]


def pleaded(verb: Token, res: ExtractionResources) -> bool:
    """Whether a verb hands in a writing of a plea (``plea_word``: "to submit a petition",
    "to hand over a memorandum", "to lodge a complaint"). Not asking or appealing alone:
    relatives "gathered at the airport to ask for news" or elders "to appeal for calm"
    make no demonstration."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in res.word_classes["plea_word"] for c in verb.children)


def counted_crowd(subject: Token | None, res: ExtractionResources) -> bool:
    """A subject that is many people: a number of them, a crowd, people of any plural or
    a body of many ("hundreds of weavers", "the crowd", "pensioners", "citizens in Muse",
    "a coalition of 23 unions"); not one body ("the village council")."""
    if subject is None:
        return False
    members = prep_object(subject, {"of"})
    return counted_as_crowd(subject, res) or child(subject, "nummod") is not None \
        or subject.tag_ in ("NNS", "NNPS") or (members is not None and members.tag_ in ("NNS", "NNPS"))


def counted_as_crowd(subject: Token, res: ExtractionResources) -> bool:
    """A crowd by its words: a number of people ("hundreds", "some 300") or a crowd noun."""
    return subject.like_num or subject.lower_ in res.quantities \
        or subject.lemma_.lower() in res.word_classes["crowd_noun"]


def many_people(subject: Token | None, res: ExtractionResources) -> bool:
    """A subject counted as a crowd of people of no office ("hundreds of cyclists", "some
    300 farmers", "the crowd"): whatever they do "in protest" is a demonstration. Not
    plain plurals, nor office holders however many ("three ministers walked out in
    protest", "two judges recused themselves in protest": political acts)."""
    if subject is None:
        return False
    people = prep_object(subject, {"of"}) or subject
    kind = res.agent_kinds.get(people.lemma_.lower())
    counted = (counted_as_crowd(subject, res) and subject.lower_ not in SMALL_NUMBERS) or any(
        c.dep_ == "nummod" and c.like_num and c.lower_ not in SMALL_NUMBERS for c in subject.children)
    return counted and kind in (None, *CROWD_KINDS)


# Numbers too small to make a crowd of a plural: "two ministers", "three judges".
SMALL_NUMBERS = frozenset({"one", "two", "three", "four", "five", "1", "2", "3", "4", "5"})


def protest_named(verb: Token, res: ExtractionResources) -> list[Token]:
    """The protest words a verb's own words name: the object of its preposition ("in
    protest", "at a rally", "for a protest march"), a clause of its purpose or manner
    that is a protest ("to protest", "protesting"), or a protest staged beside it
    ("gathered ... and staged a sit-in"). Not deeper ("for the funeral of a man killed in
    the protest"; "to plan a protest march")."""
    words: list[Token] = []
    for c in verb.children:
        if c.dep_ == "prep":
            obj = child(c, "pobj")
            if obj is not None:
                words += [obj, *(m for m in obj.children if m.dep_ == "compound")]
        elif c.dep_ in ("xcomp", "advcl", "conj"):
            words.append(c)
            if c.dep_ == "conj" and c.lemma_.lower() in res.word_classes["light_verb"]:
                obj = child(c, "dobj")
                words += [obj] if obj is not None else []
    protests = res.word_classes["protest_word"] | res.word_classes["protest_verb"]
    return [t for t in words if t.lemma_.lower() in protests and t.lemma_.lower() not in res.agents]


def crowd_demanded(frame: Frame, lemmas: set[str], ctx: SentenceContext) -> bool:
    """"party workers demanded the mayor's resignation", "angry farmers squatted on the main
    road demanding canal water": a crowd (people called by what they are, ``done_by_people``)
    that demands makes its demand in the street, as ACLED codes it; a government, a party
    by its name or one person makes a request. Where the sentence tells a protest or
    another event with a scene, the demand is made there ("rioters clashed with police as
    youths were chanting slogans and demanding justice for a woman killed ...": no second
    protest, and the dead the demand names are no toll)."""
    trigger, res = frame.trigger, ctx.res
    if frame.event_type != "REQUEST" or trigger.pos_ != "VERB" or trigger.lemma_.lower() != "demand" \
            or lemmas & res.word_classes["protest_word"] \
            or any(i != trigger.i and ctx.sent.start <= i < ctx.sent.end for i in ctx.scene_heads):
        return False
    if child(trigger, "ccomp") is not None or demanded_in_words(trigger, res):
        return False  # "elders demanded that the ministry be handed to them": said
    if frame.actor1 is not None:
        return done_by_people(frame, res)
    # "farmers squatted on the main road demanding ...": theirs, though the participle
    # hangs on the road; not a party by its name ("the People's Union Party issued a
    # declaration demanding ...")
    verb = governing_verb(trigger) if trigger.dep_ == "acl" and trigger.head.lemma_.lower() not in res.agents \
        else trigger
    subject = subject_of(verb) if verb is not None else None
    return subject is not None and subject.pos_ != "PROPN" \
        and res.agent_kinds.get(subject.lemma_.lower()) in CROWD_KINDS


def demanded_in_words(trigger: Token, res: ExtractionResources) -> bool:
    """A demand made in a writing, to an assembly or told by its makers, or a standing one:
    "issued a statement demanding ...", "demanded a refund in a letter", "demanded a debate
    in the assembly", "wrote to the minister demanding ...", "told reporters they
    demanded ...", "have long demanded ..."."""
    classes = res.word_classes
    words = classes["document_noun"] | classes["audience_noun"]
    if trigger.dep_ == "acl" and trigger.head.lemma_.lower() in classes["document_noun"]:
        return True
    if trigger.head is not trigger and trigger.head.lemma_.lower() in classes["reporting_verb"] | classes["speaking_verb"]:
        return True
    if any(c.dep_ == "advmod" and (c.lower_ == "long" or c.lemma_.lower() in classes["habitual_marker"])
           for c in trigger.children):
        return True
    # "in a letter", "in parliament", wherever the parser hangs the phrase in the demand
    return any(t.dep_ == "pobj" and t.head.lower_ in ("in", "at", "through") and t.lemma_.lower() in words
               for t in trigger.subtree)


def names_ground(token: Token, res: ExtractionResources) -> bool:
    """A place or a stretch of ground ("the streets", "the highway")."""
    lemma = token.lemma_.lower()
    return lemma in res.word_classes["place_noun"] or lemma in res.word_classes["held_ground"]


def protest_act(token: Token, res: ExtractionResources) -> bool:
    """Whether what is done "in protest" is itself a demonstration: "blocked the bridge",
    "organised a blockade", "stalled traffic" (the act or its object)."""
    acts = res.word_classes["protest_act"]
    return token.lemma_.lower() in acts or any(
        c.dep_ == "dobj" and c.lemma_.lower() in acts for c in token.children)


def done_by_people(frame: Frame, res: ExtractionResources) -> bool:
    """Whether a crowd acts: people or a community called by what they are ("residents",
    "party workers", "villagers"), whose act "in protest" is a demonstration whatever it
    is ("residents placed a coffin on the road in protest", "workers waved black flags in
    protest"). Not a state's act ("recalled its ambassador in protest": a motive), nor an
    official's ("resigned in protest"), nor that of an organisation named by its name
    ("the BJP left the assembly in protest", "Amnesty left the talks in protest":
    political acts, no demonstration), nor one person's (as often a resignation or a
    boycott as a protest). A party called "the party" or "the opposition" counts: the
    lexicon gives those words the people's kind, as ACLED codes what party members do
    in protest as demonstrations ("the party launched a sit-in in protest")."""
    actor = frame.actor1
    return actor is not None and actor.get("kind") in CROWD_KINDS \
        and res.agent_kinds.get(actor.get("lemma") or "") in CROWD_KINDS


def crowd_doer(frame: Frame, res: ExtractionResources) -> bool:
    """Whether a crowd did it: a doer of a crowd's kind ("students", "relatives of the
    patient") or a counted one ("hundreds went berserk"); not animals, a disease, markets,
    nor armed men ("a gunman went on a rampage" is a shooting)."""
    if frame.actor1 is not None and frame.actor1.get("kind") in CROWD_KINDS:
        return True
    trigger = frame.trigger
    verb = trigger if trigger.pos_ == "VERB" else governing_verb(trigger)  # "went on a rampage"
    subject = child(verb, "nsubj") if verb is not None else None
    return frame.actor1 is None and subject is not None and counted_as_crowd(subject, res)


# The ACLED kinds of actors whose every act in protest is a demonstration (``done_by_people``).
CROWD_KINDS = ("people", "community")


# A score written as one token ("2-1", "5-0"): a game's result.
SCORE = re.compile(r"^\d{1,3}-\d{1,3}$")


def won_a_game(trigger: Token, res: ExtractionResources) -> bool:
    """Whether a verb of blows tells a win (``win_verb``): its object a name or a side
    ("beat Australia", "thrashed the visitors") and its own phrase a word of sport or a
    score ("by eight wickets in the final", "2-1"). Not a beating "to death", nor one
    whose victim is a person ("beat a referee after the match")."""
    if trigger.lemma_.lower() not in res.word_classes["win_verb"] or trigger.pos_ != "VERB":
        return False
    if any(t.lower_ == "death" and t.head.lower_ == "to" for t in trigger.subtree):
        return False
    obj = child(trigger, "dobj")
    if obj is None or not (obj.pos_ == "PROPN" or obj.ent_type_ in ("ORG", "GPE", "NORP")
                           or obj.lemma_.lower() in res.word_classes["game_word"]):
        return False
    return any((t.pos_ == "NOUN" and t.lemma_.lower() in res.word_classes["game_word"]) or SCORE.match(t.text)
               for t in trigger.subtree)


def sentence_lemmas(sent: Span) -> set[str]:
    return {t.lemma_.lower() for t in sent if t.pos_ != "PROPN"}  # not "March"


def fled_from(trigger: Token, res: ExtractionResources) -> bool:
    """Whether an event noun names what people ran from ("civilians fleeing heavy
    fighting", "tried to cross the river to escape fighting", "fled from the shelling"):
    the object of a ``fleeing_verb``, or the object of its "from". Not in a headline in
    title case, which the model misreads ("Russian Airstrikes Kill 120 Daesh Terrorists
    Fleeing From Raqqa" run into the title before it). Only violence that goes on (a
    plural, or ``ongoing_violence_noun``: "the fighting", "the violence"), not one blow
    that people escaped alive ("others managed to escape from the attack unharmed", "the
    governor escaped a roadside bombing": the attack happened)."""
    if trigger.pos_ not in ("NOUN", "PROPN") or trigger.is_title:
        return False
    if trigger.tag_ not in ("NNS", "NNPS") \
            and trigger.lemma_.lower() not in res.word_classes["ongoing_violence_noun"] \
            and trigger.lower_ not in res.word_classes["ongoing_violence_noun"]:
        return False
    verb = trigger.head
    if trigger.dep_ == "pobj" and verb.lower_ == "from":
        verb = verb.head
    elif trigger.dep_ != "dobj":
        return False
    return verb.pos_ == "VERB" and verb.lemma_.lower() in res.word_classes["fleeing_verb"]


def is_ruled_out(frame: Frame, lemmas: set[str], res: ExtractionResources) -> bool:
    """A trigger that tells of no event of its type: a deal only mentioned, a demand
    made by protesters, a motive, a warning that threatens no one, a defused bomb."""
    event_type, trigger = frame.event_type, frame.trigger
    protest_in_sentence = bool(lemmas & res.word_classes["protest_word"])
    if event_type in ("AGREE", "CONSULT") and trigger.pos_ in ("NOUN", "PROPN") and is_reference(trigger, res):
        return True
    if event_type == "REQUEST" and trigger.dep_ in ("advcl", "xcomp", "acl") and (
            trigger.head.lemma_.lower() in res.word_classes["protest_verb"] | {"stage", "gather", "rally", "strike", "block"}
            or protest_in_sentence):
        return True  # "marched to demand civilian rule": the demand is the protest's
    if event_type == "PROTEST" and in_protest(trigger):
        act = verb_done_in_protest(trigger, res.word_classes["protest_act"]) or trigger.head.head
        if not protest_act(act, res) and not done_by_people(frame, res) and not many_people(child(act, "nsubj"), res):
            return True  # "recalled its ambassador in protest": a motive, not a protest
    if frame.info["crowd_only"] and not done_by_people(frame, res):
        return True  # "police blocked the way", "the court blocked the sale": no demonstration
    if frame.info["doer_needed"] and not crowd_doer(frame, res):
        return True  # "elephants went on a rampage", "the virus rampaged", "a gunman went on a rampage"
    if event_type == "ASSAULT" and won_a_game(trigger, res):
        return True  # "India thrashed Australia by eight wickets": a win, no blow
    if event_type == "THREATEN" and trigger.lemma_.lower() in ("warn", "vow") and not is_threat(trigger, res):
        return True
    if event_type == "PROTEST" and trigger.pos_ == "VERB" and trigger.lemma_.lower() == "march" \
            and any(c.dep_ == "dobj" and not (done_by_people(frame, res) and names_ground(c, res))
                    for c in trigger.children):
        # "marched the prisoners to the square", "paramilitary forces marched the streets":
        # no demonstration; residents who "marched the streets" demonstrated
        return True
    if event_type == "CONSULT" and trigger.lemma_.lower() in ("gather", "gathering") \
            and not protest_in_sentence and (frame.actor1 is None or frame.actor1.get("kind") in (
                None, "people", "person", "community")):
        return True  # "crowds gathered at the scene": no meeting of parties
    if event_type == "ASSAULT" and trigger.pos_ == "NOUN" and trigger.dep_ in ("dobj", "nsubjpass") \
            and trigger.head.lemma_.lower() in res.word_classes["disrupt_verb"]:
        return True  # "defused a roadside bomb": no bombing happened
    if all(fled_from(token, res) for token, _ in frame.group):
        return True  # "Thousands have fled the fierce fighting in Manbij": why they left
    if event_type == "COERCE" and frame.mode == "ban" and is_standing_ban(trigger):
        return True  # "Daesh, a group outlawed in Russia": a status, not a ban imposed
    media = res.word_classes["media_modifier"]
    if event_type == "CONSULT" and trigger.pos_ == "NOUN" and any(
            c.dep_ in ("compound", "amod") and c.lower_ in media for c in trigger.children):
        return True  # "announced at a press conference": a statement to reporters, no meeting of parties
    if event_type == "CONSULT" and trigger.lemma_.lower() == "meet" and child(trigger, "auxpass") is not None \
            and any(c.dep_ == "prep" and c.lower_ == "with" for c in trigger.children):
        return True  # "the plan was met with criticism": a reception, no meeting
    if event_type == "REQUEST" and trigger.lemma_.lower() == "ask" and asks_question(trigger):
        return True  # "asked whether the vaccine was safe": a question, no request
    foe = child(trigger, "dobj") or prep_object(trigger, {"against"})
    if event_type == "ASSAULT" and foe is not None and foe.lemma_.lower() in res.word_classes["no_party_foe"]:
        return True  # "firefighters battled the blaze", "the fight against the epidemic"
    return False


QUESTION_OPENERS = {"whether", "if", "what", "why", "how", "when", "where", "who", "which", "whom"}


def asks_question(trigger: Token) -> bool:
    """"asked whether ...", "asked the mayor what he would do", "asked about the
    outbreak", "asked a question": "ask" as a question put, not a demand."""
    for c in trigger.children:
        if c.dep_ == "ccomp" and c.left_edge.lower_ in QUESTION_OPENERS:
            return True
        if c.dep_ == "prep" and c.lower_ == "about":
            return True
        if c.dep_ == "dobj" and c.lemma_.lower() == "question":
            return True
    return False


def is_standing_ban(trigger: Token) -> bool:
    """A ban told as what a name is, not as an act: a participle on a noun ("a terrorist
    group outlawed in Russia", "IS (banned in Russia)", "Nusra and IS, both outlawed")
    or a present passive ("the group is banned in Russia"). "Russia banned the group",
    "was banned in 2014" and "has banned" are acts."""
    if trigger.tag_ != "VBN":
        return False
    if any(c.dep_ == "agent" for c in trigger.children) or any(t.ent_type_ in DATE_LABELS for t in trigger.subtree):
        return False  # "a rally banned by police on Friday", "gatherings banned from Monday"
    if trigger.dep_ in ("acl", "amod", "appos"):
        return True
    if trigger.dep_ == "conj" and trigger.head.pos_ in ("NOUN", "PROPN"):
        return True  # "Nusra and IS are both outlawed", parsed as a conjunct of "Nusra"
    return any(c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in trigger.children)


# Words of quantity whose "of" names what was seized: "seized a number of buildings".
# (Not "parts": "IS seized large parts of Syria and Iraq" is a campaign's sum.)
QUANTITY_HEADS = frozenset({"number", "series", "handful", "couple", "dozen", "dozens", "scores", "some",
                            "several", "most", "all"})


def seized_thing(trigger: Token, obj: Token | None) -> Token | None:
    """What a seizure took: the object, through a word of quantity ("a number of
    buildings"); with no object, a noun right after the verb that the model made the
    subject of a clause below it, a comma lost ("They seized the Sahel district driving
    out the rebels")."""
    if obj is None:
        run_on = [c for c in trigger.children if c.dep_ in ("ccomp", "advcl", "xcomp") and c.i > trigger.i]
        subject = child(run_on[0], "nsubj") if run_on else None
        if subject is not None and all(t.dep_ in ("det", "compound", "amod") for t in trigger.doc[trigger.i + 1:subject.i]):
            obj = subject
    if obj is not None and obj.lemma_.lower() in QUANTITY_HEADS:
        obj = prep_object(obj, {"of"}) or obj
    return obj


# Verbs of an assault by ground forces (the nouns are ``armed_assault_noun``).
# (Not "enter", "seize" or "capture": "an attempt by migrants to enter Greece", "by land
# grabbers to seize a school" are no assaults.)
ASSAULT_VERBS = frozenset({"infiltrate", "storm", "overrun", "penetrate"})


def repelled_assault(trigger: Token, obj: Token | None, res: ExtractionResources) -> bool:
    """"thwarted an attack by Nusra fighters on its positions", "foiled an infiltration
    attempt": an assault beaten back is fighting (ACLED's armed clash), where "foiled a
    suicide bomb attack", "a terror attack" or "intercepted a missile" stopped a weapon
    or a plot before its use. An attempt "to attack" or "to infiltrate" is the assault."""
    if obj is None or trigger.lemma_.lower() not in ("foil", "thwart"):
        return False
    assaults = res.word_classes["armed_assault_noun"]
    named = {obj.lemma_.lower()} | {c.lemma_.lower() for c in obj.children if c.dep_ == "compound"}
    if not named & assaults:
        if obj.lemma_.lower() in ("attempt", "bid"):
            # "foiled an attempt by terrorists to attack Aleppo city", "... to infiltrate
            # one of the military posts": the assault tried is the one beaten back
            tried = [c for c in obj.children if c.dep_ in ("acl", "xcomp", "relcl") and c.pos_ == "VERB"]
            return any(t.lemma_.lower() in assaults or t.lemma_.lower() in ASSAULT_VERBS for t in tried)
        return False  # "foiled a plot", "thwarted an attempt to smuggle arms"
    before = [t for t in own_subtree(obj) if t.i <= obj.i]  # "a suicide bomb attack", not "by militants"
    return not any(t.lemma_.lower() in res.word_classes["weapon"] | {"suicide", "terror"} for t in before)


def held_protesting(arrest: Token, res: ExtractionResources) -> bool:
    """Whether an arrest's own clause tells that those held were protesting: taken from
    a demonstration ("arrested seven activists from a procession", "during the rally"),
    or held while doing or trying what only protesters do ("were arrested when they tried
    to lay siege to the office", "for attempting to block the highway": a verb of protest,
    of blocking or a gathering's noun, ``HELD_PROTEST_ACTS``). Not what they are held for
    having done before ("arrested for calling a strike", "detained last week for
    protesting"), nor acts others do too ("while wearing suicide vests", "as they were
    demanding money"), nor a war's siege ("during the blockade of Taiz")."""
    classes = res.word_classes
    gatherings = classes["gathering_noun"] - {"blockade"}
    acts = classes["crowd_verb"] | HELD_PROTEST_ACTS
    for c in arrest.children:
        if c.dep_ == "prep" and c.lower_ in ("from", "during", "at"):
            place = child(c, "pobj")
            if place is not None and place.lemma_.lower() in gatherings:
                return True
    return any(done.lemma_.lower() in acts or any(
        o.dep_ == "dobj" and o.lemma_.lower() in gatherings | {"siege"} for o in done.children)
        for done in acts_held_at(arrest, classes))


def held_rioting(arrest: Token, res: ExtractionResources) -> bool:
    """Whether an arrest's own clause tells that those held were rioting: held while or as
    they did an act of crowd violence, or trying it (``riot_cue``: "arrested two men as
    they vandalised a bus", "were arrested while trying to set fire to a bus"): ACLED codes
    the riot, the police its second side. As for protesters, not what they are held for
    having done before ("arrested on Monday for vandalising a bus last month")."""
    return any(done.lemma_.lower() in res.word_classes["riot_cue"] for done in acts_held_at(arrest, res.word_classes))


def acts_held_at(arrest: Token, classes: dict[str, set[str]]) -> list[Token]:
    """The acts an arrest's own clause tells its people were doing or trying when held:
    a clause of "when", "while" or "as" ("as they vandalised a bus"), or what "for" an
    attempt names ("for attempting to block the highway"); "for" alone may be for what
    was done before ("arrested for calling a strike")."""
    acts = []
    for c in arrest.children:
        clause = child(c, "pcomp") if c.dep_ == "prep" and c.lower_ == "for" else (
            c if c.dep_ == "advcl" and any(m.dep_ in ("mark", "advmod") and m.lower_ in ("when", "while", "as")
                                           for m in c.children) else None)
        if clause is None:
            continue
        tried = child(clause, "xcomp") if clause.lemma_.lower() in classes["attempt_verb"] else None
        if c.lower_ == "for" and tried is None:
            continue
        acts.append(tried or clause)
    return acts


# Acts only protesters do, whose doers held at the time were protesting: blocking a way,
# besieging an office ("lay siege" by its object).
HELD_PROTEST_ACTS = frozenset({"block", "blockade", "barricade", "picket", "gherao", "obstruct", "besiege"})


def recoded_type(frame: Frame, lemmas: set[str], res: ExtractionResources,
                 armed_named: bool = False, told: frozenset[str] = frozenset()) -> tuple[str, str]:
    """The type and mode that the object, the actors and the sentence make of the
    trigger's; ``armed_named``: the article names an armed body (``actors.names_armed_body``);
    ``told``: it tells of war or a shutdown (``article_tells``)."""
    event_type, mode, trigger, actor1, actor2 = frame.event_type, frame.mode, frame.trigger, frame.actor1, frame.actor2
    lemma = trigger.lemma_.lower()
    obj = object_head(trigger)
    if event_type == "COERCE" and mode == "destroy" \
            and only_symbols(trigger, obj, res, protest=bool(lemmas & res.word_classes["protest_word"])):
        return "PROTEST", "demonstrate"  # "burnt an effigy of the minister": a sign, not destruction
    if event_type == "COERCE" and mode == "seize":
        obj = seized_thing(trigger, obj)
    held_ground = obj is not None and obj.lemma_.lower() in res.word_classes["held_ground"] \
        and not is_people(actor1)  # "farmers occupied the national highway" is no territory taken
    # "IS fighters seized a number of buildings": a site soldiers or fighters take is ground
    site_taken = obj is not None and named_in(obj, res.word_classes["war_held_site"]) \
        and actor1 is not None and actor1.get("sector") in ("MIL", "REB")
    if event_type == "COERCE" and mode == "seize" and (is_place_like(obj, res) or held_ground or site_taken):
        event_type, mode = "ASSAULT", "occupy"
    if event_type == "COERCE" and mode == "seize" and obj is not None and \
            obj.lemma_.lower() in res.word_classes["weapon"]:
        mode = "disrupt"
    if event_type == "COERCE" and mode == "disrupt" and repelled_assault(trigger, obj, res):
        event_type, mode = "ASSAULT", "clash"
    if event_type == "COERCE" and frame.info.get("id") in ("arrest", "round-up") and (
            (actor2 and actor2.get("lemma") in res.word_classes["protester_noun"])
            or (held_protesting(trigger, res) and (actor2 is None or actor2.get("kind") in (None, *CROWD_KINDS))
                and (actor1 is None or actor1.get("kind") == "state"))):
        # "Police arrested twelve protesters": ACLED's protest with intervention (not a court
        # jailing them: "sentenced three protesters")
        return "PROTEST", "intervention"
    if event_type == "COERCE" and frame.info.get("id") in ("arrest", "round-up") and held_rioting(trigger, res) \
            and (actor2 is None or actor2.get("kind") in (None, *CROWD_KINDS)) \
            and (actor1 is None or actor1.get("kind") == "state"):
        return "PROTEST", "riot"  # "arrested three men while they were vandalising a bus": the riot
    if event_type == "ASSAULT" and mode == "occupy" and actor1 \
            and takes_ground_for_the_state(actor1["sector"], actor1["country"]):
        mode = "retake"  # state forces taking ground: ACLED's "Government regains territory"
    if event_type == "PROTEST" and mode == "strike" and not is_people(actor1) \
            and (strikes_at_a_target(trigger, res) or strikes_by_a_force(trigger, res)):
        return "ASSAULT", "aerial"  # "resumed strikes on Beirut's southern suburbs": no walkout
    if event_type == "ASSAULT" and lemma == "strike" and trigger.pos_ == "VERB" and obj is None \
            and child(trigger, "nsubjpass") is None and actor1 and actor1.get("kind") in ("people", "person"):
        return "PROTEST", "strike"  # "municipal workers have been striking for seven days": no blow struck
    if event_type == "ASSAULT" and lemma == "attack" and obj is not None and \
            obj.lemma_.lower() in res.word_classes["abstract_target"]:
        return "ACCUSE", "criticize"
    own_tokens = clause_tokens(trigger, res)
    if event_type == "ASSAULT" and mode not in ("clash", "brawl") and actor1 and actor1["sector"] in ("COP", "MIL") \
            and lemmas & res.word_classes["protest_word"]:
        return "PROTEST", force_on_protest(frame, own_tokens, res)
    contexts = {"protest"} if lemmas & res.word_classes["protest_word"] else set()
    contexts |= told  # "war": air strikes, shelling; "shutdown": "the 24th day of the blockade"
    own_clause = clause_lemmas(own_tokens)
    if crowd_violence(own_tokens, res) or called_violent(trigger, res) \
            or (event_type == "PROTEST" and (protesters_turned_violent(trigger, actor1, own_tokens, res)
                                             or clashed_with_forces(trigger, res))):
        contexts.add("riot")
    # Sides that fired at each other fought a battle when armed ("the troops of two
    # countries targeted each other"), not party workers who "attacked each other".
    exchanged_fire = frame.exchanged is not None and (
        frame.exchanged in ("firearms", "artillery", "grenade") or (actor1 or {}).get("kind") in ARMED_KINDS)
    if exchanged_fire or any(info.get("both_sides_fire") for _, info in frame.group) \
            or own_clause & res.word_classes["gunfight_word"]:
        contexts.add("gunfight")
    if event_type == "ASSAULT" and target_fought_back(frame, res):
        contexts.add("fought_back")
    if event_type == "ASSAULT" and nobody_hurt(trigger.sent, res):
        contexts.add("unhurt")
    if event_type == "ASSAULT" and someone_killed(own_tokens, res):
        contexts.add("lethal")
    if event_type == "ASSAULT" and mode in FIGHT_WEAPON_MODES and (
            told_in_gunfight(trigger, frame, res) or frame.info.get("exchange")):
        contexts.add("in_gunfight")
    if event_type == "ASSAULT" and mode in ("", "firearms", "physical", "clash") \
            and (mode == "firearms" or "lethal" in contexts) and fight_of_two_sides(trigger, res) is not None:
        contexts.add("in_fight")
    if actor1 and actor1.get("lemma") in res.word_classes["crowd_noun"]:
        contexts.add("crowd")
    if armed_named or named_group_fought_forces(frame):
        contexts.add("armed_named")
    if lemma in res.word_classes["crowd_fight_word"]:
        contexts.add("crowd_fight")
    if any(info.get("id") == "lynch" and not aimed_at(token, res) for token, info in frame.group) \
            and "protest" not in contexts:
        contexts.add("lynching")  # (demonstrators lynching a man riot: "protesters lynched a man")
    rule = matching_rule(res.acled_rules, event_type, mode, actor1, actor2, contexts)
    if rule is not None:
        event_type, mode = rule["new_event_type"], rule["new_mode"]
    if event_type == "PROTEST" and mode == "excessive-force":
        mode = force_on_protest(frame, own_tokens, res)
    if event_type == "PROTEST" and mode in ("", "demonstrate", "strike"):
        # Not the reason given ("protested against the arrest of their leader", "over a
        # ban"), nor what was demanded ("demanding police arrest the murderers").
        cues, demands = res.word_classes["intervention_cue"] | {"arrest", "detain"}, res.word_classes["demand_verb"]
        if any(clause_lemmas([t]) & cues and not asked_for_by(t, demands) for t in own_tokens):
            mode = "intervention"
    return event_type, mode


HARM_FIELDS = ("fatalities", "injured")
# Words of harm that magnitudes.csv does not list as a toll's.
HARM_NOUNS = {"casualty", "causality", "victim", "deceased"}


def nobody_hurt(sent: Span, res: ExtractionResources) -> bool:
    """Whether a sentence tells no one hurt or killed (no word of harm from
    magnitudes.csv, nor "casualties"), or tells only that no one was ("No one was
    injured in the blast")."""
    for token in sent:
        harm = harm_word(token, res, HARM_FIELDS) or token.lemma_.lower() in HARM_NOUNS or burnt_person(token, res)
        if harm and not told_unhurt(token):
            return False
    return True


def harm_word(token: Token, res: ExtractionResources, fields) -> bool:
    """A word of magnitudes.csv for one of ``fields``, by lemma and part of speech, that
    tells of harm: not "body" ("the student body"), not a modifier naming something else
    ("a murder suspect", "his death anniversary")."""
    return magnitude_field(token, res) in fields and token.lemma_.lower() != "body" \
        and token.dep_ not in ("compound", "amod", "nmod")


def someone_killed(tokens, res: ExtractionResources) -> bool:
    """Whether a clause tells someone killed or dead ("hacked to death", "two people
    died", "burnt alive"), not only that no one was ("No one was killed"). ``tokens``:
    the trigger's clause (``clause_tokens``), so that a death given as the reason ("over
    the death of a classmate") does not count."""
    for token in tokens:
        deadly = harm_word(token, res, ("fatalities",)) \
            or (token.lower_ == "alive" and token.head.lemma_.lower() in ("burn", "burnt"))
        if deadly and not told_unhurt(token):
            return True
    return False


def told_unhurt(harm: Token) -> bool:
    """"No one was killed or injured", "nobody was hurt", "there were no deaths or
    injuries", "none were killed", "killed no one", "not a single person was injured",
    "no reports of casualties", "without injuring anyone": the harm word denied."""
    chain = [harm]
    while chain[-1].dep_ == "conj" and chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)  # "no one was killed or injured": "killed" carries the denial
    return any(denied(word) for word in chain)


def told_in_gunfight(trigger: Token, frame: Frame, res: ExtractionResources) -> bool:
    """Whether a shooting is told as happening in a fight both sides fired in: "shot dead
    in a gun-battle with security forces", "gunned down in a police encounter"."""
    fights = {token.i for token, info in frame.group if info.get("both_sides_fire")}
    return any(obj.i in fights or obj.lemma_.lower() in res.word_classes["gunfight_word"]
               for obj in fights_told_around(trigger))


def burnt_person(token: Token, res: ExtractionResources) -> bool:
    """"nine people were burned", "burnt a rickshaw-puller": burning a person, not a bus."""
    if token.lemma_.lower() not in ("burn", "burnt"):
        return False
    burnt = child(token, "nsubjpass") or child(token, "dobj")
    if burnt is None:
        return False
    lemma = burnt.lemma_.lower()
    return lemma in res.persons or res.agent_kinds.get(lemma) in ("people", "person") \
        or lemma in res.word_classes["person_noun"] or burnt.ent_type_ == "PERSON" \
        or burnt.lower_ in ("he", "she", "they", "him", "her", "them")


def called_violent(trigger: Token, res: ExtractionResources) -> bool:
    """Whether the text calls the protest itself violent: "staged violent protests",
    "protested violently", "the protest turned violent" (not "did not turn violent"),
    "staged a violent strike" (the light verb's object)."""
    words = res.word_classes["violence_word"]
    named = [trigger] + ([c for c in trigger.children if c.dep_ == "dobj"]
                         if trigger.lemma_.lower() in res.word_classes["light_verb"] else [])
    if any(c.lower_ in words and c.dep_ in ("amod", "advmod") and not negated_word(c)
           for event in named for c in event.children):
        return True
    return trigger.dep_ == "nsubj" and any(told_violent(c, {trigger.lower_}, res) for c in trigger.head.children)


def negated_word(token: Token) -> bool:
    """"non-violent": the word after "non-" (the model splits it off)."""
    doc = token.doc
    return token.i >= 2 and doc[token.i - 1].text == "-" and doc[token.i - 2].lower_ == "non"


TURN_VIOLENT_SENTENCES = 2  # how far on in its paragraph a protest's own violence is told


def named_group_fought_forces(frame: Frame) -> bool:
    """Whether a group known only by its own name, no kind the lexicon gives, fought the
    security forces ("The Varnok Liberation Front clashed with security forces"): as
    likely an armed group as a crowd, so its clash stays a clash."""
    head = frame.head1
    return head is not None and frame.actor1 is not None and not frame.actor1.get("kind") \
        and (head.pos_ == "PROPN" or head.ent_type_ == "ORG") \
        and (frame.actor2 or {}).get("sector") in FORCE_SECTORS


def force_on_protest(frame: Frame, own_tokens: list[Token], res: ExtractionResources) -> str:
    """The mode of the security forces' force on a protest: a riot where the crowd fought
    too ("police fired tear gas; protesters hurled stones": a violent demonstration),
    else excessive force against protesters."""
    return "riot" if crowd_fought(frame, own_tokens, res) else "excessive-force"


def crowd_fought(frame: Frame, own_tokens: list[Token], res: ExtractionResources) -> bool:
    """Whether the crowd the security forces used force on was violent too: a word of
    crowd violence in the forces' clause ("beat stone-throwing protesters"), the
    protesters' own violence in the next sentences ("Protesters hurled stones at the
    police"), or a clash with the forces told around it ("Clashes broke out between
    protesters and the police"). ACLED codes that a riot, the crowd first; force on
    peaceful protesters is "Excessive force against protesters"."""
    if (frame.actor2 or {}).get("kind") == "person":
        return False  # "Police beat a journalist ...": one person hit, no crowd
    answered = [t for t in frame.trigger.sent if reason_noun_phrase(t, {frame.trigger, frame.verb} - {None}, res)]
    return crowd_violence(own_tokens + answered, res) \
        or protesters_turned_violent(frame.trigger, frame.actor2, own_tokens, res) \
        or clashed_with_forces(frame.trigger, res)


def reason_noun_phrase(token: Token, acts: set[Token], res: ExtractionResources) -> bool:
    """Whether a token is inside the phrase a reason noun opens on one of ``acts``, the
    forces' own act ("fired tear gas in response to stone pelting by the crowd"): what
    the forces answered, the crowd's violence when it is; not the reason of the
    protesters' own protest ("villagers who were protesting in connection with ...")."""
    for a in token.ancestors:
        if opens_reason(a, res) and a.lower_ in ("with", "to", "for"):
            opened_on = a.head.head  # "in" (of "in response"), hung on the act it explains
            return opened_on.dep_ == "prep" and opened_on.head in acts
    return False


def protesters_turned_violent(trigger: Token, actor1: dict | None, own_tokens: list[Token],
                              res: ExtractionResources) -> bool:
    """Whether the next sentences of the paragraph tell the protesters' own violence,
    done by "they", by protesters or by the protest's own actor by its noun: "They also
    clashed with the police.", "The protestors pelted stones at the security forces",
    "Students protested ... In one town, students vandalised buses"; or whether its own
    sentence or the next say the protest or its crowd turned violent (``told_violent``:
    "a protest that turned violent", "the crowd turned violent"). ACLED codes such a
    demonstration a riot. Not violence by others ("Police lathi-charged the agitators",
    "Unknown men later torched a bus"), nor violence denied ("did not vandalise")."""
    doers = {"they"} | res.word_classes["protest_word"]
    if actor1 and actor1.get("lemma"):
        doers = doers | {actor1["lemma"]}
    crowds = doers | res.word_classes["crowd_noun"]  # "the crowd turned violent"
    # its own clause (``clause_tokens``): not "a day after the protest in the capital turned violent"
    if any(told_violent(token, crowds, res) for token in own_tokens):
        return True
    for sent in sentences_after_in_paragraph(trigger.sent, TURN_VIOLENT_SENTENCES):
        for token in sent:
            if told_violent(token, crowds, res, later=True):
                return True
            if not violence_cue(token, res):
                continue
            verb = token
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                verb = verb.head
            subject = child(verb, "nsubj")
            if subject is None and verb.dep_ == "conj":
                subject = child(verb.head, "nsubj")  # "They blocked roads and torched tyres"
            if subject is not None and child(verb, "neg") is None and is_doer(subject, doers):
                return True
    return False


def told_violent(token: Token, doers: set[str], res: ExtractionResources, later: bool = False) -> bool:
    """Whether a word calls the protest or its doers (``doers``: lemmas) violent: "violent"
    as what the protest or its crowd turned, became or got ("the protest turned violent",
    "protestors turned violent", "a rally that turned violent", "after the protest turned
    violent"). Not denied, feared or foretold ("did not turn violent", "no protester
    turned violent", "might turn violent"), nor told of another time ("unlike last week,
    when the protest turned violent"); in a ``later`` sentence, not of another protest or
    crowd ("a similar protest turned violent", "a mob turned violent")."""
    if token.lower_ not in res.word_classes["violence_word"] or negated_word(token) \
            or token.dep_ not in ("acomp", "oprd"):
        return False
    verb = token.head
    if child(verb, "neg") is not None or modal_aux(verb, res):
        return False
    subject = child(verb, "nsubj")
    if subject is not None and subject.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
        subject = verb.head  # "a protest that turned violent"
    if subject is None and verb.dep_ in ("relcl", "acl"):
        subject = verb.head  # "a protest turned violent" read as a reduced clause
    if subject is None or not is_doer(subject, doers):
        return False
    determiners = {c.lower_ for c in subject.children if c.dep_ in ("det", "amod")}
    if "no" in determiners or (later and determiners & OTHER_PROTEST_WORDS):
        return False
    times = EARLIER_WORDS | {"unlike", "ago"}
    told = {t.i for t in subject.subtree}  # "the protest, which began earlier, turned violent" is this one
    return not any(t.lower_ in times for t in (*verb.subtree, *verb.ancestors) if t.i not in told)


# What makes a protest of a later sentence another one ("a similar protest turned violent").
OTHER_PROTEST_WORDS = frozenset({"a", "an", "another", "similar", "other", "previous", "earlier"})


def is_doer(token: Token, doers: set[str]) -> bool:
    """Whether a token is one of the protest's doers by its lemma or word."""
    return token.lemma_.lower() in doers or token.lower_ in doers


def clashed_with_forces(trigger: Token, res: ExtractionResources) -> bool:
    """Whether the protest's paragraph, in its own sentence, the one before or the next
    two, tells a clash with the police or the troops ("Clashes erupted between protesters
    and security personnel", "NC activists and the police clashed in several places",
    "Two policemen were injured in a clash with activists. The activists were holding a
    rally ..."): ACLED codes such a demonstration a violent one. Not a clash of the forces
    with armed men ("police clashed with militants"), nor a clash only denied."""
    before = previous_sentence_in_paragraph(trigger.sent)
    sentences = [trigger.sent] + ([before] if before is not None else []) \
        + sentences_after_in_paragraph(trigger.sent, TURN_VIOLENT_SENTENCES)
    for sent in sentences:
        for token in sent:
            if token.lemma_.lower() not in res.word_classes["force_clash_word"] or denied(token) \
                    or told_as_before(token, res):
                continue  # "there was no clash with the police", "arrested in a clash the day before"
            sides = list(token.subtree)
            subject = child(token, "nsubj")
            if subject is not None:
                sides += list(subject.subtree)  # "NC activists and the police clashed"
            if token.dep_ in ("nsubj", "nsubjpass"):
                sides += list(token.head.subtree)  # "Clashes erupted between protesters and police"
            sectors = {res.agents.get(t.lemma_.lower()) for t in sides}
            if sectors & FORCE_SECTORS and "REB" not in sectors:
                return True
    return False


MAX_FIRE_BACK_WORDS = 3  # "returned the fire"
# How far before a fire-back phrase a denial reaches: "did not retaliate", "no reports on
# whether the army retaliated", not the "no one" of another clause.
DENIAL_REACH = 4
PAST_AUXILIARIES = frozenset({"was", "were"})  # "The guards were retaliating": past all the same
# The links through which a clause or a noun above a fire-back phrase denies it: "no
# reports that ... retaliated", "not clear whether ... retaliated", "no report of ...
# having retaliated"; not "the soldiers, who retaliated, did not suffer casualties".
DENIED_THROUGH = frozenset({"ccomp", "xcomp", "acl", "pcomp", "pobj", "prep", "dobj", "attr"})
# Where a clause begins: a denial before it denies something else ("Although no one was
# hurt, the army retaliated"); "and" only right before the phrase ("did not hesitate and
# retaliated", not "no troops and police retaliated").
CLAUSE_OPENERS = frozenset({",", ";", "but", "although", "though", "while"})
# Denials that reach across a clause's start: "whether the BSF, which guards the border,
# retaliated", "neither the army nor the police retaliated".
FAR_DENIALS = frozenset({"whether", "if", "neither", "nor"})
# What may follow a drawn answer: "drawing retaliation from the army"; not "retaliation
# fears", nor a reprisal "against" a community.
DRAWN_FROM = frozenset({"from", "by"})
# A time span after "for": "retaliated for nearly an hour", "for two days" is how long, no
# reason given ("retaliating for last night's raid" is one).
TIME_SPAN_WORDS = frozenset({"hour", "hours", "minute", "minutes", "while", "time", "day", "days", "night",
                             "nights", "week", "weeks", "moment", "moments"})
SPAN_COUNT_WORDS = frozenset({"nearly", "about", "almost", "over", "around", "some", "several", "a", "an", "half",
                              "more", "than", "at", "least", "the", "whole", "entire", "few", "two", "three"})


def target_fought_back(frame: Frame, res: ExtractionResources) -> bool:
    """Whether the side attacked fired back: told in the next sentence of the paragraph,
    in the past ("The Indian army also retaliated.", "Military returned fire", "The guards
    were retaliating"; not "vowed to retaliate"), or in the event's own sentence by a
    clause with a subject of its own ("while the border guards retaliated", "prompting
    the Indian Army to retaliate", "the guards answered, firing back") or by words that
    name the answer as drawn by the attack ("drawing retaliation from the army"), not by
    the attackers' reason ("militants, retaliating for the arrest, attacked"). Not where
    it is denied or in doubt ("did not retaliate", "no reports on whether the army
    retaliated")."""
    sent = frame.trigger.sent
    following = next_sentence_in_paragraph(sent)
    if following is not None and any(fire_back_in_past(word) for word in fire_back_words(following, res)):
        return True
    if any(word.i > frame.trigger.i for word in fire_back_words(sent, res, "fire_back_drawn")):
        return True
    return any(word.i > frame.trigger.i and (child(word, "nsubj") is not None or word.dep_ == "relcl"
                                             or child(word.head, "dobj") is not None and word.dep_ == "xcomp"
                                             or answering_participle(word, frame.trigger))
               for word in fire_back_words(sent, res))


def answering_participle(word: Token, trigger: Token) -> bool:
    """A fire-back participle of a later clause with a subject of its own: "shelled the
    village; the guards answered, firing back" (not the attackers' own "..., firing back
    at the posts" of the trigger's clause)."""
    head = word.head
    return word.dep_ in ("advcl", "xcomp", "conj") and head.i > trigger.i and head.i != word.i \
        and child(head, "nsubj") is not None


def fire_back_in_past(word: Token) -> bool:
    """Whether a fire-back phrase is told in the past: "retaliated", "returned fire",
    "was retaliating" (words as written: the sentence may be unparsed)."""
    before = word.doc[word.i - 1] if word.i > word.sent.start else None
    return word.lower_.endswith("ed") or (before is not None and before.lower_ in PAST_AUXILIARIES)


def fire_back_words(sent: Span, res: ExtractionResources, word_class: str = "fire_back_word") -> list[Token]:
    """The first token of each phrase of ``word_class`` in a sentence that tells an
    answer, matched on the words as written (the pre-filter leaves some sentences
    unparsed): not denied or in doubt (``fire_back_denied``), not a reason ("retaliating
    for the killing of its commander"; "for two hours" is how long), and a drawn answer
    only as a noun of its own ("drawing retaliation from the army", not "prompting
    retaliation fears")."""
    words = res.word_classes[word_class]
    texts = [t.lower_ for t in sent]
    found = []
    for n in range(len(texts)):
        size = next((size for size in range(MAX_FIRE_BACK_WORDS, 0, -1) if " ".join(texts[n:n + size]) in words), 0)
        if not size:
            continue
        after = sent[n + size] if n + size < len(sent) else None
        reason = after is not None and after.lower_ == "for" and not time_span_after(sent, n + size + 1)
        named_else = word_class == "fire_back_drawn" and after is not None and not after.is_punct \
            and after.lower_ not in DRAWN_FROM
        if reason or named_else:
            continue
        if not fire_back_denied(sent, texts, n, res):
            found.append(sent[n])
    return found


def time_span_after(sent: Span, start: int) -> bool:
    """Whether the words from ``start`` (after a "for") tell a time span: numbers or words
    of a count, then a word of time that ends the phrase ("for nearly an hour", "for two
    days"; not "for last night's raid")."""
    i = start
    while i < len(sent) and i - start < 4 and (sent[i].like_num or sent[i].lower_ in SPAN_COUNT_WORDS):
        i += 1
    if i >= len(sent) or sent[i].lower_ not in TIME_SPAN_WORDS:
        return False
    after = sent[i + 1] if i + 1 < len(sent) else None
    return after is None or after.is_punct or (after.norm_ != "'s" and after.pos_ != "NOUN")


def fire_back_denied(sent: Span, texts: list[str], n: int, res: ExtractionResources) -> bool:
    """Whether the fire-back phrase at the sentence's ``n``-th token (``texts``: the
    sentence's words in lower case) is denied or in doubt: a denial word just before it
    in its clause ("did not retaliate", "neither side retaliated"; not "did not hesitate
    and retaliated"), or, in a parsed sentence, a clause or a noun above it that denies
    or doubts ("there were no reports that the troops had retaliated", "it is not clear
    whether they retaliated"; not the "no one" of another clause); in an unparsed
    sentence, a denial word before it in its own clause."""
    denials = res.word_classes["fire_back_denial"]
    clause_start = max((i + 1 for i in range(n) if texts[i] in CLAUSE_OPENERS
                        or (texts[i] == "and" and all(t in ("then", "also") for t in texts[i + 1:n]))), default=0)
    if denials.intersection(texts[max(clause_start, n - DENIAL_REACH):n]) \
            or FAR_DENIALS.intersection(texts[max(0, n - DENIAL_REACH):n]):
        return True
    word = sent[n]
    if not was_parsed(word.doc, word.i):
        return bool(denials.intersection(texts[clause_start:n]) or FAR_DENIALS.intersection(texts[:n]))
    above = word
    while True:
        if any(c.dep_ == "neg" or (c.dep_ == "mark" and c.lower_ in ("whether", "if"))
               or (c.dep_ == "det" and c.lower_ == "no") for c in above.children):
            return True
        if above.dep_ not in DENIED_THROUGH or above.head.i == above.i:
            return False  # (a relative, adverbial or joined clause is not what its head denies)
        above = above.head


def is_people(actor: dict | None) -> bool:
    """Unarmed people ("farmers", "matatu operators", "residents"), who strike and block
    roads but take no ground."""
    return actor is not None and actor.get("kind") in ("people", "person", "community")


def strikes_at_a_target(trigger: Token, res: ExtractionResources) -> bool:
    """Strikes "on" or "against" a place, a position or a party are blows, not a walkout:
    "resumed strikes on rebel areas", "launched strikes against IS positions"; "a strike
    against the pension reform", "a strike at the port" stay labour strikes."""
    if trigger.lemma_.lower() in res.word_classes["walkout_verb"]:
        return False  # "staged a strike on Thika Road"
    nouns = [trigger] if trigger.lemma_.lower() == "strike" else [
        c for c in trigger.children
        if c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and c.lemma_.lower() == "strike"]
    ground = res.word_classes["held_ground"] | res.word_classes["military_target"]
    heads = nouns + ([trigger] if nouns and trigger not in nouns else [])  # "launched strikes against"
    for head in heads:
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "against")):
            targets = [t for t in prep.children if t.dep_ == "pobj" and t.ent_type_ not in DATE_LABELS]
            if any(is_place_like(t, res) or t.lemma_.lower() in ground or t.ent_type_ in ("GPE", "NORP")
                   for t in targets):  # not "continued their strike on 16 May"
                return True
    return False


def strikes_by_a_force(trigger: Token, res: ExtractionResources) -> bool:
    """Strikes carried out by aircraft or soldiers are blows: "whether the strikes were
    carried out by government or Russian jets", "strikes by Russian jets", "warplanes
    carried out strikes"; workers' strikes are carried out by no one of them."""
    if trigger.lemma_.lower() != "strike" or trigger.pos_ != "NOUN":
        return False
    doers = [prep_object(trigger, {"by"})]  # "strikes by Russian jets"
    verb = trigger.head if trigger.dep_ in ("nsubjpass", "dobj") else None
    if verb is not None:
        # "were carried out by ... jets", "warplanes carried out strikes"
        doers += [prep_object(verb, {"by"}), child(verb, "nsubj") if trigger.dep_ == "dobj" else None]
    forces = res.word_classes["warfare_word"] | res.word_classes["armed_body_noun"]
    return any(t.lemma_.lower() in forces for doer in doers if doer is not None for t in (doer, *doer.conjuncts))


def only_symbols(trigger: Token, obj: Token | None, res: ExtractionResources, protest: bool = False) -> bool:
    """Whether all that was burnt or destroyed is a sign of protest: "burnt an effigy",
    "an effigy was burnt", "set fire to an effigy", "burnt the minister in effigy"; not
    "burnt effigies and two buses"; with ``protest`` (a protest word in the sentence), also
    what is burnt only to protest ("burnt textbooks to protest a fee hike"), not by
    militants at a school."""
    symbols = res.word_classes["symbolic_object"] | (res.word_classes["protest_symbol"] if protest else set())
    in_effigy = prep_object(trigger, {"in"})
    if in_effigy is not None and in_effigy.lemma_.lower() == "effigy":
        return True  # whoever is named was burnt only as a figure
    burnt = obj if obj is not None else child(trigger, "nsubjpass")
    if burnt is not None and burnt.lemma_.lower() == "fire":
        burnt = prep_object(burnt, {"to", "on"}) or prep_object(trigger, {"to", "on"})
    if burnt is None:
        return False
    return all(t.lemma_.lower() in symbols for t in (burnt, *burnt.conjuncts))


def protest_reason(trigger: Token, ctx: SentenceContext) -> bool:
    """Whether an event is told as the reason for a protest in its sentence: below a
    protest (its verb, or a verb whose object or subject is a protest) and behind a word
    that opens a reason ("protested after a girl was raped", "continued their protest
    after bulls destroyed crops", "rallied against the killing of a student") or a
    relative clause of background ("relatives of a girl who was burnt to death staged a
    sit-in"; ``background_clause``), also where the protest is the subject of a passive
    verb of holding it ("a rally was held against the bombing"; not "the march was
    dispersed after police fired"). Not the protesters' own fate: in "two protesters
    died after police opened fire" the shooting is an event, and so is "police, who
    fired on the marchers"."""
    res = ctx.res
    protest_words = res.word_classes["protest_word"]

    def is_protest(token: Token) -> bool:
        # a protest word that is a trigger ("staged a sit-in"), or a protest's trigger of
        # other words ("protested", "a vigil", "blocked the highway demanding the arrest
        # of the men who attacked a driver"); not a verb of speech ("condemned the
        # massacre in which 35 were killed" tells of the massacre)
        lemma = token.lemma_.lower()
        return (token.i in ctx.event_heads and lemma in protest_words or token.i in ctx.protest_heads) \
            and lemma not in res.agents

    holding = res.word_classes["light_verb"] | res.word_classes["holding_verb"]

    def holds(verb: Token) -> bool:
        # "a rally was held against ...", not "was declared over", "called to a halt"
        return verb.lemma_.lower() in holding and not any(
            c.dep_ in ("acomp", "oprd") or c.lower_ in ("off", "over") or (c.dep_ == "prep" and c.lower_ == "to")
            for c in verb.children)

    opened = False
    for ancestor in [trigger, *trigger.ancestors]:
        if opened and (is_protest(ancestor) or any(
                (c.dep_ in ("dobj", "nsubj", "xcomp") or (c.dep_ == "nsubjpass" and holds(ancestor)))
                and is_protest(c) for c in ancestor.children)):
            return True
        # What the protesters condemn or demand is their reason too ("staged a
        # demonstration condemning the killing of 20 workers").
        demands = ancestor is not trigger and ancestor.pos_ == "VERB" \
            and ancestor.lemma_.lower() in res.word_classes["demand_verb"] | res.word_classes["grievance_verb"]
        # Who the protesters or their grievance are ("relatives of a woman who was burnt to
        # death staged a protest"): background, not the news
        opened = opened or opens_reason(ancestor, res) or demands \
            or (ancestor.dep_ == "relcl" and background_clause(ancestor, res))
    return False


def background_clause(relcl: Token, res: ExtractionResources) -> bool:
    """Whether a relative clause tells background (who someone is, what happened before:
    "relatives of a girl who was burnt to death", "the release of prisoners who had
    rioted", "a youth who was shot dead last month"), not what happened at the event: not
    a clause of where or when ("a rally, where police opened fire", "a rally in which
    gunmen shot two marchers"), nor one about a protest, its crowd or the doers of the
    sentence ("protesters who clashed with police", "students who clashed with police
    blocked the highway"), nor the security forces' act ("the leader, who was later
    arrested by police"); a past perfect or a word of earlier time makes any of these
    background."""
    verbs = [relcl, *relcl.conjuncts]
    if any(c.dep_ == "aux" and c.lower_ == "had" for v in verbs for c in v.children) \
            or any(t.lower_ in EARLIER_WORDS | {"ago"} for t in relcl.subtree
                   if t.dep_ in ("advmod", "npadvmod", "amod")):
        return True
    if any(c.dep_ == "advmod" and c.lower_ in ("where", "when") for c in relcl.children) \
            or any(c.dep_ == "prep" and any(g.lower_ == "which" for g in c.children) for c in relcl.children):
        return False
    antecedent = relcl.head
    kin_of = prep_object(antecedent, {"of"})
    if antecedent.lemma_.lower() in res.word_classes["kin_noun"] and kin_of is not None \
            and kin_of.right_edge.i + 1 == relcl.left_edge.i:
        antecedent = kin_of  # "relatives of miners who were killed": the clause tells of the miners
    crowd = res.word_classes["protest_word"] | res.word_classes["protester_noun"] | res.word_classes["crowd_noun"]
    if antecedent.lemma_.lower() in crowd or antecedent.dep_ == "nsubj":
        return False
    doers = [antecedent if c.lower_ in ("who", "which", "that") else c
             for c in relcl.children if c.dep_ == "nsubj"]
    doers += [g for c in relcl.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return not any(res.agents.get(agent_lemma(d, res)) in FORCE_SECTORS for d in doers)


def clause_lemmas(kept: list[Token]) -> set[str]:
    """The lemmas of a trigger's clause (``clause_tokens``). A verb with a particle is
    there with it too ("break up" beside "break": "broke up the protest" is no "broke
    out")."""
    return {t.lemma_.lower() for t in kept} | {f"{t.lemma_.lower()} {c.lower_}" for t in kept
                                                for c in t.children if c.dep_ == "prt"}


def clause_tokens(trigger: Token, res: ExtractionResources) -> list[Token]:
    """The sentence's tokens but names and the clauses that tell of something else than
    the trigger's event (``told_apart``)."""
    apart = told_apart(trigger, res)
    return [t for t in trigger.sent if t.pos_ != "PROPN" and t.i not in apart]


def told_apart(trigger: Token, res: ExtractionResources) -> set[int]:
    """The indexes of a sentence's clauses that tell of something else than the trigger's
    event: a relative clause of background (``background_clause``: "the bus, which
    stone-pelters had attacked the day before"), the reason given ("protested after a
    colleague was assaulted", "against stone crushers"), what a verb of grievance says
    ("protested, alleging that the school was looting parents", "condemning the
    lynching"; ``grievance_clause``), unless the trigger is inside it."""
    apart: set[int] = set()
    for token in trigger.sent:
        if (token.dep_ == "relcl" and background_clause(token, res)) or opens_reason(token, res):
            clause = {t.i for t in token.subtree}
        elif token is not trigger and grievance(token, res):
            clause = grievance_clause(token, res)
        else:
            continue
        if trigger.i not in clause:
            apart.update(clause)
    return apart


def grievance(token: Token, res: ExtractionResources) -> bool:
    """Whether a verb tells what protesters hold against someone (``grievance_verb``):
    "alleging that ...", "condemning the killing"; "claim" only with a clause ("claiming
    that ...", not "claimed three lives")."""
    lemma = token.lemma_.lower()
    return token.pos_ == "VERB" and lemma in res.word_classes["grievance_verb"] \
        and (lemma != "claim" or child(token, "ccomp") is not None)


def grievance_clause(verb: Token, res: ExtractionResources) -> set[int]:
    """The indexes of what a verb of grievance says: its subtree without the clauses
    joined to it by "and", without its adverbial clauses ("demanding justice as they
    hurled stones", "condemning the strikes while torching tyres": what they did
    meanwhile) and without a relative clause of the scene ("demanding entry to the
    assembly, where police beat them": the beating is at the protest)."""
    clause, stack = {verb.i}, [c for c in verb.children if c.dep_ not in ("conj", "cc", "advcl")]
    while stack:
        token = stack.pop()
        if token.dep_ == "relcl" and not background_clause(token, res):
            continue
        clause.add(token.i)
        stack.extend(token.children)
    return clause


def crowd_violence(kept: list[Token], res: ExtractionResources) -> bool:
    """Whether a trigger's clause (``clause_tokens``) has a word of crowd violence
    (``violence_cue``)."""
    return any(violence_cue(token, res) for token in kept)


def violence_cue(token: Token, res: ExtractionResources) -> bool:
    """Whether a word tells crowd violence: a riot word (a missile word only as thrown,
    not where it names a trade or a thing: "brick kiln workers", "stone crushers";
    "stone pelters", "stone-throwing youths" count; not "the foundation stone" nor "no
    stone unturned", unless thrown); tyres only as burnt ("blocked roads
    with burning tyres", "burnt tyres"; not "the price of tyres", nor "prepared to burn
    tires"); projectiles only as thrown ("threw projectiles"; not "police fired rubber
    projectiles"); an act done only to a sign of protest is none ("torched an effigy of
    the minister"; "torched an effigy and two buses" is)."""
    classes = res.word_classes
    cues, throwing = classes["riot_cue"], classes["throw_word"]
    lemma = token.lemma_.lower()
    if lemma in classes["burnt_cue"]:
        burning = [t for t in (token.head, *token.children) if t.lemma_.lower() == "burn"]
        return any(not (t.dep_ == "xcomp" and t.head.lemma_.lower() in classes["planning_verb"]) for t in burning)
    if lemma in classes["thrown_cue"]:
        return token.head.lemma_.lower() in throwing
    if lemma not in cues and token.lower_ not in cues:
        return False
    if token.pos_ == "VERB" and only_symbols(token, child(token, "dobj"), res):
        return False  # "torched an effigy of the minister": a sign of protest, no violence
    head = token.head
    if lemma in classes["missile_word"] and token.pos_ == "NOUN" and head.lemma_.lower() not in throwing and any(
            c.dep_ == "compound" or (c.dep_ == "det" and c.lower_ == "no") for c in token.children):
        return False  # "the foundation stone", "left no stone unturned": no missile
    return not (token.dep_ == "compound" and head.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() not in cues
                and not head.lower_.startswith(tuple(throwing)))


def is_place_like(token: Token | None, res: ExtractionResources) -> bool:
    if token is None:
        return False
    if token.lemma_.lower() in res.word_classes["place_noun"]:
        return True
    if token.ent_type_ in PLACE_LABELS:
        return True
    return token.pos_ == "PROPN" and res.gazetteer.resolve(token.text) is not None
