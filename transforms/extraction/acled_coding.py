"""What kind of actor a phrase names, as ACLED sorts actors, and the ACLED "inter" codes
the kinds take in an event. Pure spaCy, no Beam.

An actor's *kind* comes from the lexicons (a listed actor's, or its agent noun's in
``agents.csv``) and its modifiers ("Fulani militia" is a community's, "armed men" a
militia): state, rebel, militia, assailant (unnamed attackers), community, people (an
unarmed group), person (one unarmed individual), external. Its *role* in the event then
gives ACLED's inter code:

    1 state forces   2 rebel groups   3 political militias   4 identity militias
    5 rioters        6 protesters     7 civilians            8 external / other forces

Unarmed people are rioters when they are violent, protesters when they protest and
civilians when they are hit; an ethnic or communal group is an identity militia when it
attacks and civilians when attacked; a state's forces outside their country are
external forces.

    inter_code("people", "actor1", "PROTEST", "riot")   -> 5
    interaction(1, 7)                                    -> "17"
"""
from __future__ import annotations

from spacy.tokens import Token

from newsevents.transforms.extraction.resources import FORCE_SECTORS, STATE_SECTORS, ExtractionResources

# The key marking a second actor as people named through the property an attack hit (its
# owner, "the house of a judge"; its passengers, "a passenger bus"), not as people hit
# (``actors.hit_as_civilians``).
PROPERTY_HIT = "_property_hit"
INTER = {"state": 1, "rebel": 2, "militia": 3, "identity": 4, "rioter": 5, "protester": 6,
         "civilian": 7, "external": 8}
VIOLENT_PROTEST_MODES = {"riot", "mob"}
CIVILIANS_HIT_TYPE = "Violence against civilians"  # ACLED's type whose target is civilians by definition
# ACLED's types of organized violence: an attacker no report names is coded "Unidentified
# Armed Group", a political militia (inter 3).
ARMED_VIOLENCE_TYPES = frozenset({"Battles", "Explosions/Remote violence", CIVILIANS_HIT_TYPE})
STATE_ONLY_MODES = frozenset({"aerial"})  # air and drone strikes
# Modes in which a protest's actor 1 may be whoever broke it up ("the governor banned the rally")
INTERVENTION_MODES = {"intervention", "excessive-force"}
# Modes of the PROTEST type in which the actors are the ones protesting.
PROTESTING_MODES = {"", "demonstrate", "strike", "hunger-strike", "boycott", "intervention",
                    "excessive-force"}


ARMED_OWNER_KINDS = {"state", "rebel", "militia", "external"}


def phrase_kind(head: Token, tokens: list[Token], res: ExtractionResources) -> str | None:
    """The kind an unlisted phrase names: its head's agent kind, made a community's by an
    ethnic modifier or an armed group's by "armed", "unidentified" ...; unarmed people
    are a group when plural or a group noun, else one person."""
    classes = res.word_classes
    modifiers = {t.lemma_.lower() for t in tokens if t.i != head.i}
    lemma = agent_lemma(head, res)
    kind = res.agent_kinds.get(lemma) or res.agent_kinds.get(head.lower_)
    if modifiers & classes["community_modifier"]:
        return "community"
    if kind in (None, "people") and modifiers & classes["armed_modifier"] and lemma in res.agents:
        return "militia"  # "armed men", "unidentified persons"
    if kind is None:
        # "army officers", "opposition members": the modifier nearest the head decides,
        # in text order, never in a set's order (which changes with each process's hash seed).
        kind = nearest_kind([t for t in tokens if t.i != head.i], head, res)
        if kind is None and lemma in classes["military_target"] and national_modifier(head, res):
            kind = "state"  # "targeted Indian posts": a country's posts are its army's
    elif kind == "people" and lemma in classes["member_noun"] or kind == "official":
        # "an Indian army man", "a Frontier Reserve Police member", "a police official":
        # one of an armed body is of its kind, attacked or not; a government official
        # stays an official (a civilian when attacked).
        body = body_word(head, res)
        armed = res.agent_kinds.get(body) if body else None
        if armed in ARMED_OWNER_KINDS and (kind != "official" or res.agents.get(body) != "GOV"):
            kind = armed
    if kind is None and head.ent_type_ == "NORP" and lemma not in res.demonyms \
            and head.lower_.rstrip("s") not in res.demonyms:
        return "community"  # "Fulanis", "Dalits": an ethnic or religious group
    if kind == "people" and lemma in res.persons and head.tag_ in ("NN", "NNP") \
            and not any(t.dep_ == "conj" for t in head.children):
        return "person"
    return kind


def body_word(member: Token, res: ExtractionResources) -> str | None:
    """The agent noun (its lemma) of the body a member noun names one of: the object of its
    "of" ("members of the Border Security Force"; an association of government employees
    is no government), or a force word before that object when it is a common noun
    ("members of a village security team"; "the Government Rajendra College" is a
    college), else its own nearest modifier that is an agent noun ("a police member",
    "an army man")."""
    body = next((c for p in member.children if p.dep_ == "prep" and p.lower_ == "of"
                 for c in p.children if c.dep_ == "pobj"), None)
    if body is not None:
        lemma = agent_lemma(body, res)
        if res.agent_kinds.get(lemma) is not None or body.pos_ == "PROPN":
            return lemma
        forces = [c for c in body.children
                  if c.dep_ in ("compound", "amod") and res.agents.get(c.lemma_.lower()) in ("MIL", "COP")]
        return nearest_agent(forces, body, res)
    return nearest_agent([c for c in member.children if c.dep_ in ("compound", "amod", "nmod")], member, res)


def agent_lemma(head: Token, res: ExtractionResources) -> str:
    """The lemma to look an agent noun up by. The lemmatizer leaves a capitalized plural
    as written ("Myanmar Armed Forces", "the Border Guards", "50 ISIS Terrorists"): such a
    word counts by its singular when only that is an agent noun of an armed kind (a
    headline's "57 Civilians killed" stays as parsed), and when it ends the name (the
    "Democratic Forces for the Liberation of Rwanda" are rebels, the "Forces for Change" a
    party). A noun with the word before it may be an agent of its own ("law enforcers" are
    the police, "hartal enforcers" picketers): agents.csv lists such pairs."""
    lemma = head.lemma_.lower()
    before = head.doc[head.i - 1] if head.i > 0 else None
    if before is not None and before.dep_ == "compound" and before.head.i == head.i \
            and f"{before.lemma_.lower()} {lemma}" in res.agents:
        return f"{before.lemma_.lower()} {lemma}"
    if lemma in res.agents or head.tag_ not in ("NNPS", "NNP") or not lemma.endswith("s") \
            or lemma.endswith("ss") or name_runs_on(head):
        return lemma
    return lemma[:-1] if res.agent_kinds.get(lemma[:-1]) in ARMED_OWNER_KINDS else lemma


def name_runs_on(token: Token) -> bool:
    """Whether a name goes on past the word: "Forces for the Liberation of Rwanda", "Forces
    for Change", "Forces of Liberation" (a preposition after it, parsed as its own or
    followed by a capitalized word)."""
    doc = token.doc
    if any(c.dep_ == "prep" and c.i > token.i for c in token.children):
        return True
    return token.i + 2 < len(doc) and doc[token.i + 1].lower_ in ("for", "of") \
        and (doc[token.i + 2].text[:1].isupper() or doc[token.i + 2].lower_ == "the")


def national_modifier(head: Token, res: ExtractionResources) -> bool:
    """Whether a nationality or country name modifies the noun ("Indian posts")."""
    return any(c.dep_ in ("amod", "compound", "nmod") and (c.lower_ in res.demonyms or c.ent_type_ == "GPE")
               for c in head.children)


def nearest_kind(tokens: list[Token], anchor: Token, res: ExtractionResources) -> str | None:
    """The agent kind of the token nearest ``anchor`` that has one (on a tie, the earlier)."""
    lemma = nearest_agent(tokens, anchor, res)
    return res.agent_kinds[lemma] if lemma is not None else None


def nearest_agent(tokens: list[Token], anchor: Token, res: ExtractionResources) -> str | None:
    """The lemma of the token nearest ``anchor`` that is an agent noun with a kind (on a
    tie, the earlier)."""
    for token in sorted(tokens, key=lambda t: abs(t.i - anchor.i)):
        lemma = token.lemma_.lower()
        if res.agent_kinds.get(lemma) is not None:
            return lemma
    return None


def inter_code(kind: str | None, role: str, event_type: str, mode: str | None) -> int | None:
    """ACLED's inter code of an actor of ``kind`` in ``role`` (actor1 or actor2)."""
    if kind is None:
        return None
    mode = mode or ""
    if kind == "unknown":
        # An actor of no known kind: who protests is a protester, whatever its name.
        protesting = event_type == "PROTEST" and role == "actor1" and mode not in VIOLENT_PROTEST_MODES
        return INTER["protester"] if protesting else None
    if event_type == "PROTEST" and role == "actor1":
        if mode in VIOLENT_PROTEST_MODES:
            return INTER["rioter"] if kind in ("people", "person", "community") else INTER.get(kind)
        if kind in ("people", "person", "community") or (kind == "official" and mode not in INTERVENTION_MODES):
            return INTER["protester"]  # a mayor or clerks who demonstrate are protesters too
    if kind in ("people", "person"):
        violent = event_type in ("ASSAULT", "COERCE") or mode in VIOLENT_PROTEST_MODES
        return INTER["rioter"] if role == "actor1" and violent else INTER["civilian"]
    if kind == "community":
        return INTER["identity"] if role == "actor1" else INTER["civilian"]
    if kind == "official":
        # A mayor or a judge attacked is a civilian; acting, it is the state's.
        return INTER["state"] if role == "actor1" else INTER["civilian"]
    if kind == "assailant":
        # Unnamed attackers: rioters when they only wreck property (ACLED's mob violence),
        # else an unidentified armed group, coded as a political militia.
        if event_type == "PROTEST" and mode in VIOLENT_PROTEST_MODES:
            return INTER["rioter"] if role == "actor1" else INTER["civilian"]
        return INTER["militia"]
    return INTER[kind]


def interaction(inter1: int | None, inter2: int | None) -> str | None:
    """ACLED's interaction code: the two inter codes, lower first ("17"); one actor
    alone is its code and 0 ("60": protesters with no counterpart)."""
    if inter1 is None:
        return None
    if inter2 is None:
        return f"{inter1}0"
    low, high = sorted((inter1, inter2))
    return f"{low}{high}"


def rule_kind(actor: dict | None) -> str:
    """The kind an ACLED rule sees: none without an actor or for people named through the
    property an attack hit ("a petrol bomb at the residence of a judge", "at a passenger
    bus": no one was the target), unknown without a kind."""
    if actor is None or actor.get(PROPERTY_HIT):
        return "none"
    return actor.get("kind") or "unknown"


def matching_rule(rules: list[dict], event_type: str, mode: str | None, actor1: dict | None,
                  actor2: dict | None, contexts: set[str]) -> dict | None:
    """The first ACLED rule (acled_rules.csv) that an event matches."""
    kinds = (rule_kind(actor1), rule_kind(actor2))
    for rule in rules:
        if rule["event_type"] != event_type:
            continue
        if rule["modes"] is not None and (mode or "") not in rule["modes"]:
            continue
        if rule["actor1"] is not None and kinds[0] not in rule["actor1"]:
            continue
        if rule["actor2"] is not None and kinds[1] not in rule["actor2"]:
            continue
        if rule["context"] != "*" and rule["context"] not in contexts:
            continue
        return rule
    return None


ARMED_INTER = {1, 2, 3, 4, 8}
CROWD_KINDS = frozenset({"people", "person", "community"})  # unarmed, or a community's own
FIGHTING_KINDS = ARMED_OWNER_KINDS | {"assailant", "official"}  # who fight as no crowd does


def fought_as_crowds(event: dict) -> bool:
    """Whether two crowds fought each other (``_fought_each_other``, read from the
    parse), the first no armed body: the second is coded as the first would be ("a clash
    between two groups of villagers": rioters on both sides; two communities: identity
    militias), not as the civilians a one-sided attack hits."""
    return bool(event.get("_fought_each_other")) and event.get("_actor1_kind") not in FIGHTING_KINDS


def takes_ground_for_the_state(sector: str | None, country: str | None, where: str | None = None) -> bool:
    """Whether an actor taking ground is a state's: its forces, or its government with a
    country ("the army captured the hills": ACLED's "Government regains territory", not
    a non-state actor overtaking it); not a state's forces abroad (``where``: the
    country of the ground, when known: "Turkish troops captured Afrin" is no government
    regaining its territory)."""
    if country is not None and where is not None and country != where:
        return False
    return sector in STATE_SECTORS and (country is not None or sector in FORCE_SECTORS)


def code_event(event: dict, res: ExtractionResources) -> None:
    """Set an event row's ACLED coding from its type, mode and actors: the inter codes of
    both actors and their interaction, and the ACLED / CAMEO labels (an attack on an
    armed, organized target is a battle)."""
    if event["event_type"] == "ASSAULT" and event.get("event_mode") == "occupy" and takes_ground_for_the_state(
            event.get("actor1_sector"), event.get("actor1_country"), event.get("country_iso3")):
        # ground taken in a fight the state's forces are now known to have fought (a
        # clash told with the capture: "Myanmar troops and MNDAA troops battled ... the
        # military captured strategic hills"), not by forces abroad: its actors are final
        # only once coreference has settled them, when the event is coded again.
        event["event_mode"] = "retake"
    inters = []
    for role in ("actor1", "actor2"):
        named = event.get(f"{role}_text") or event.get(f"{role}_name")
        kind = event.get(f"_{role}_kind") or ("unknown" if named else None)
        if kind == "state" and event.get(f"{role}_country") and event.get("country_iso3") \
                and event[f"{role}_country"] != event["country_iso3"]:
            kind = "external"  # a state's forces abroad
        if role == "actor2" and kind in CROWD_KINDS and fought_as_crowds(event):
            role = "actor1"
        inters.append(inter_code(kind, role, event["event_type"], event.get("event_mode")))
    if event["event_type"] == "PROTEST":
        # A demonstration has demonstrators, a riot rioters, whether or not the report
        # names them; security forces broke up a protest with intervention.
        mode = event.get("event_mode") or ""
        if inters[0] is None:
            inters[0] = INTER["rioter"] if mode in VIOLENT_PROTEST_MODES else INTER["protester"]
        if inters[1] is None and mode in INTERVENTION_MODES:
            inters[1] = INTER["state"]
    event["inter1"], event["inter2"] = inters
    target = "armed" if inters[1] in ARMED_INTER else None
    coding = res.ontology.code(event["event_type"], event.get("event_mode"), target)
    event.update(acled_event_type=coding.acled_event_type,
                 acled_sub_event_type=coding.acled_sub_event_type,
                 cameo_root=coding.cameo_root, quad_class=coding.quad_class)
    if coding.acled_event_type == CIVILIANS_HIT_TYPE and event["inter2"] is None \
            and not (event.get("actor2_text") or event.get("actor2_name")):
        # Violence against civilians has civilians as its target, as ACLED's codebook
        # defines it, where the report names none ("gunmen attacked the village, leaving
        # four dead"): ACLED codes them "Civilians (country)". A target named but of no
        # known kind ("a commander of the rebels") stays unknown.
        event["inter2"] = INTER["civilian"]
    if coding.acled_event_type in ARMED_VIOLENCE_TYPES and event["inter1"] is None \
            and event.get("event_mode") not in STATE_ONLY_MODES \
            and not (event.get("actor1_text") or event.get("actor1_name")):
        # A bombing, an attack or a fight whose report names no attacker ("a roadside
        # bomb wounded two soldiers"): ACLED codes an "Unidentified Armed Group", a
        # political militia, as the ACLED export names it. Not an air or drone strike,
        # which only states fly.
        event["inter1"] = INTER["militia"]
    event["interaction"] = interaction(event["inter1"], event["inter2"])
