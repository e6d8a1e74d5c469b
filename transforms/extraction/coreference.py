"""One event told in several sentences: mentions of one event folded into its first,
dates inherited from the sentence before, claims of responsibility credited to the
attack they claim, and air strikes told without their author to the article's one air
force. Works on the event rows of one article. Pure spaCy, no Beam.

    "Troops clashed with ISWAP near Gwoza on Thursday. Seven insurgents were killed.
     ISWAP claimed responsibility."  -> one ASSAULT with fatalities 7, dated Thursday
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from newsevents.transforms.extraction.acled_coding import ARMED_OWNER_KINDS, CROWD_KINDS, VIOLENT_PROTEST_MODES
from newsevents.transforms.extraction.actors import ACTOR_KEYS, DEPLOYING_VERBS, describe_actor, set_actor
from newsevents.transforms.extraction.context import ArticleContext
from newsevents.transforms.extraction.gazetteer import haversine_km
from newsevents.transforms.extraction.resources import MAGNITUDE_FIELDS, STATE_SECTORS, ExtractionResources
from newsevents.transforms.extraction.syntax import child, subject_of
from newsevents.transforms.extraction.triggers import FIGHT_WEAPON_MODES, mode_rank, names_aircraft

MERGEABLE = {"ASSAULT", "PROTEST", "COERCE"}
# The ways a riot's crowd kills: no blast, shelling or air strike.
CROWD_WEAPON_MODES = frozenset({"", "firearms", "physical", "clash"})


def merge_coreferent(events: list[dict], res: ExtractionResources) -> list[dict]:
    """Fold mentions of one event into its first mention: a toll or a target given in
    the next sentence ("Seven insurgents were killed"), two triggers of one sentence that
    rules recoded to the same type, the arrests at a protest.

    A later mention joins an earlier one of the same type when it is asserted, within
    two sentences (or anywhere after it, as a definite "the attack"), names no other
    author (a protest's crowd told again as "the demonstrators" is no other,
    ``same_crowd``), no other date and no other place. A death told alone ("Two
    passengers later died", a ``toll_only`` trigger) gives only its toll to the event
    before it and is never an event of its own.
    """
    kept: list[dict] = []
    # A death told beside another event of its sentence is that event's toll already, or
    # its reason ("A protester died after being hit by a tear gas canister", "rioted
    # after a laborer died").
    told = {e["sentence_index"] for e in events if not e.get("_toll_only")}
    for event in events:
        if event.get("_toll_only") and event["sentence_index"] in told:
            continue
        target = next((k for k in reversed(kept) if not k.get("_toll_only") and corefers(k, event, res)), None)
        if target is not None:
            absorb(target, event, res)
            continue
        hosted = next((i for i in reversed(range(len(kept))) if hosts(event, kept[i])), None)
        if hosted is not None:
            absorb(event, kept[hosted], res)  # "Police arrested members who were protesting"
            kept[hosted] = event
            continue
        kept.append(event)
    # "Two passengers died." adds its toll to the event before it, or is nothing.
    return [event for event in kept if not event.get("_toll_only")]


SPEECH_ACTS = {"REQUEST", "ACCUSE", "REJECT"}
PROTESTING_MODES = {None, "demonstrate", "strike", "hunger-strike", "boycott", "intervention", "riot"}
PEACEFUL_MODES = PROTESTING_MODES - {"intervention", "riot"}


def hosts(protest: dict, earlier: dict) -> bool:
    """Whether a protest told later in the sentence is what an earlier mention belongs
    to: the arrest of the protesters, their demand ("demanding X, students marched"), the
    forces sent to it ("Rapid Action Forces were deployed to stop a protest march")."""
    if protest["event_type"] != "PROTEST" or protest["sentence_index"] != earlier["sentence_index"] \
            or protest["modality"] != "asserted":
        return False
    return (earlier["event_type"] == "COERCE" and earlier["event_mode"] == "arrest") \
        or is_protesters_speech(protest, earlier) or deployed_at(protest, earlier)


def is_protesters_speech(protest: dict, speech: dict) -> bool:
    """A demand, accusation or rejection voiced at a protest, by the protesters or by no
    one named ("They demanded ...", "leaders condemned ...", "raised slogans against"), a
    demand told by a participle in the protest's own sentence whoever the parse made its
    speaker, or in the protest's own sentence anything that is no ACLED event
    ("gathered", "supporting the hartal", "defying the curfew"): part of the protest, not
    an event of its own."""
    if protest["event_mode"] not in PROTESTING_MODES:
        return False
    gap = abs(speech["sentence_index"] - protest["sentence_index"])
    if speech["event_type"] in SPEECH_ACTS:
        if gap > 2:
            return False
        if gap == 0 and speech["event_mode"] in ("demand", "appeal") and speech["_participle"]:
            # "held a protest at the office of the chief minister demanding ...": the
            # protesters' demand, whoever the parse hung it on (not one with a subject of
            # its own: "police appealed to them to go home")
            return True
    elif gap != 0 or speech["acled_event_type"] is not None or speech["event_type"] == "PROTEST":
        return False
    speaker = speech["_actor1_kind"]
    same = (speech["actor1_text"] or "").lower() == (protest["actor1_text"] or "").lower()
    return speaker in (None, "people", "person", "community") or same


def is_arrest(event: dict) -> bool:
    """An arrest, or an arrest of protesters already made their protest with intervention
    (``_protesters_held``)."""
    return event["event_mode"] == "arrest" or event["_protesters_held"]


def held_kind(arrest: dict) -> str | None:
    """The kind of those an arrest held: its second actor, or its first where the held
    protesters were put first."""
    return arrest["_actor1_kind"] if arrest["_protesters_held"] else arrest["_actor2_kind"]


def deployed_at(protest: dict, deployment: dict) -> bool:
    """Whether security forces deployed in the protest's sentence or the next one were
    sent to it ("... protested. Police were deployed to the area", "Rapid Action Forces
    were deployed to stop a protest march"): the forces ACLED codes at the protest
    (``actors.forces_at_the_protest``), no event of their own. Only forces sent by no
    one named (``actors.DEPLOYING_VERBS``, not troops massed or mobilised), on the
    protest's day, to no place of their own more than ``AREA_KM`` away (``elsewhere``;
    "troops were deployed to Latakia" after a rally in Aleppo, or "Russia deployed troops",
    is news of its own)."""
    if deployment["event_type"] != "MOBILIZE" or deployment["_trigger_lemma"] not in DEPLOYING_VERBS | {"deployment"} \
            or protest["event_mode"] not in PROTESTING_MODES | {"mob"}:
        return False
    gap = abs(deployment["sentence_index"] - protest["sentence_index"])
    sent = deployment["_actor2_kind"] == "state" and deployment["actor1_text"] is None
    # (a place it names but the gazetteer did not read counts as another: "to Latakia")
    placed = deployment["_place_source"] in OWN_PLACE_SOURCES
    own_place = elsewhere(protest, deployment) or (deployment["_names_a_destination"] and not placed)
    return sent and gap <= 1 and not own_place \
        and (deployment["date_precision"] == "published" or deployment["event_date"] == protest["event_date"])


def arrests_protesters(protest: dict, arrest: dict) -> bool:
    """"Students protested against ... Police detained several protesters.": an arrest
    in the next two sentences, of a group of unarmed people, on no other day and in no
    other place, is part of the protest told before it (not "Police arrested a suspect",
    one person or someone the rules cannot tell)."""
    gap = arrest["sentence_index"] - protest["sentence_index"]
    # A mob's rioters arrested after it are part of it too ("vehicles were vandalized ...
    # Police arrested 15 activists from the spot"); it stays mob violence.
    return protest["event_mode"] in PROTESTING_MODES | {"mob"} and 0 < gap <= 2 \
        and held_kind(arrest) in ("people", "community") \
        and (arrest["date_precision"] == "published" or arrest["event_date"] == protest["event_date"]) \
        and not elsewhere(protest, arrest)


def arrests_after_violence(attack: dict, arrest: dict) -> bool:
    """"Gunmen attacked a police post ... Police later arrested three suspects": arrests told
    in the next two sentences after a clash or an attack, on no other day and in no other
    place, of anyone but the state's own, are the attack's sequel (its ``detained``), not an
    event of their own, as ACLED codes them."""
    gap = arrest["sentence_index"] - attack["sentence_index"]
    return 0 < gap <= 2 and held_kind(arrest) not in ("state", "official") \
        and (arrest["date_precision"] == "published" or arrest["event_date"] == attack["event_date"]) \
        and not elsewhere(attack, arrest)


# Where a mention's own place comes from: its clause or sentence; for ``continues``, the
# sentences beside it too.
OWN_PLACE_SOURCES = ("attached", "sentence")
NEAR_PLACE_SOURCES = OWN_PLACE_SOURCES + ("previous", "next")


def elsewhere(first: dict, later: dict, sources: tuple[str, ...] = OWN_PLACE_SOURCES) -> bool:
    """Whether a later mention names its own place (from ``sources``) more than
    ``AREA_KM`` from the first's (a country that holds the first's place is no other
    place: "20 soldiers were killed in Myanmar" after "an attack in Tanai Township")."""
    if in_its_country(later, first):
        return False
    return later["_place_source"] in sources and first["latitude"] is not None \
        and later["latitude"] is not None and haversine_km(
            first["latitude"], first["longitude"], later["latitude"], later["longitude"]) > AREA_KM


def corefers(first: dict, later: dict, res: ExtractionResources) -> bool:
    same_sentence = first["sentence_index"] == later["sentence_index"]
    if first["modality"] != "asserted" or later["modality"] not in ("asserted", "future"):
        return False
    if first["event_type"] == "PROTEST" and is_protesters_speech(first, later):
        return True  # "... staged a sit-in. They demanded the release of ..."
    if later["modality"] != "asserted":
        return False
    if later.get("_toll_only"):
        # "... opened fire on the bus. Two passengers later died.": the toll of the event
        # just before, on its day; not "Earlier, 38 victims died during the blockade".
        # ("Another arson victim died the following day": "another" names a victim, not
        # another incident)
        words = set(later["sentence"].lower().replace(",", " ").split()) - later["_victim_words"]
        return first["event_type"] in MERGEABLE and later["report_kind"] == "single" \
            and 0 < later["sentence_index"] - first["sentence_index"] <= 2 \
            and (compatible_dates(first, later) or died_of_wounds(first, later)) \
            and OTHER_INCIDENT_MARKERS.isdisjoint(words) and "earlier" not in words
    if later.get("_secondary") and first["event_type"] in MERGEABLE \
            and 0 <= later["sentence_index"] - first["sentence_index"] <= 2:
        return True  # "... clashed with police. Fifteen people were injured.": the clash's wounded
    # (and "injured" in a sentence of its own after the event, any type it was recoded to)
    if first["event_type"] == "PROTEST" and deployed_at(first, later):
        return True  # "... protested. Police were deployed to the area.": the forces at the protest
    arrest = is_arrest(later)
    if first["event_type"] == "PROTEST" and arrest and (same_sentence or arrests_protesters(first, later)):
        return True  # arrests at a protest are ACLED's "Protest with intervention"
    if first["event_type"] == "ASSAULT" and arrest and arrests_after_violence(first, later):
        return True  # "... clashed with police. Police arrested three activists.": its detained
    if same_sentence and first["event_type"] in ("ASSAULT", "PROTEST") and later["event_type"] == "COERCE" \
            and later["event_mode"] in ("destroy", "seize"):
        return True  # "attacked farmers ..., burning homes": one attack
    if same_sentence and first["event_type"] == later["event_type"] == "PROTEST":
        return True  # police firing on a march and the march are one ACLED event
    wrecking = (later["event_type"] == "COERCE" and later["event_mode"] in ("destroy", "seize")) or (
        later["event_type"] == "PROTEST" and later["event_mode"] == "mob" and later["_actor1_kind"] == "assailant")
    if first["event_type"] == "ASSAULT" and wrecking \
            and 0 < later["sentence_index"] - first["sentence_index"] <= 1 and later["date_precision"] == "published":
        return True  # "The attackers also burned dozens of homes." (unnamed attackers wrecking: rioters alone)
    gap = later["sentence_index"] - first["sentence_index"]
    if later["event_type"] == "ASSAULT" and first["event_type"] in MERGEABLE and 0 < gap <= 2 \
            and later["_within"] is not None and (later["_within"] == first["_trigger_lemma"] or (
                is_fight(later["_within"], res) and is_fight(first["_trigger_lemma"], res))) \
            and compatible_dates(first, later) and not elsewhere(first, later):
        # "A clash erupted between ... In the clash (the battles), one supporter was killed."
        # (not "In Hama, three soldiers were killed in the fighting")
        return True
    if first["event_type"] == later["event_type"] == "ASSAULT" and gap == 1 \
            and is_fight(first["_told_in"], res) and is_fight(later["_trigger_lemma"], res) \
            and fought_by_the_same(first, later) and not later["_other_incident"] and not later["_new_cause"] \
            and all(later[field] is None for field in MAGNITUDE_FIELDS) \
            and compatible_dates(first, later) and not elsewhere(first, later):
        # "Two militants were killed in a fierce encounter ... A gun battle broke out between
        # the militants and security forces": the fight they were killed in, told again
        return True
    if riots_toll(first, later, res):
        return True  # "Two rival groups clashed in the village. Three men were killed."
    if first["event_type"] != later["event_type"] or first["event_type"] not in MERGEABLE:
        return False
    # (a definite mention near the mention the event was last told in: "a suicide bomber
    # detonated ... The blast on Sunday night struck the crossing ... [a sentence on the
    # victims] ... The attack killed 32 rebels"; an indefinite one only near the first:
    # "Syrian soldiers also killed ...", "Three raids targeted ..." are other blows)
    since = later["sentence_index"] - first.get("_last_sentence", first["sentence_index"]) \
        if later["_anaphoric"] else gap
    far = since > 2
    if gap > 0 and later["_other_incident"]:
        return False  # "Two other soldiers were killed in a separate attack"
    # (a second mention in the sentence the event was last told in is near it too)
    near = 0 < since <= 2 or (since == 0 and gap > 0)
    if not same_sentence and not near and not (far and recalls(first, later)):
        return False
    if 2 < gap and since <= 2 and not continues(first, later):
        return False
    if not compatible_dates(first, later, relaxed=far):
        # Two days told are two events; a mention with no day of its own ("Clashes erupt
        # in Benghazi" over "Clashes ... on Thursday killed four") is either's.
        return False
    for role in ("actor1",):
        a, b = first[f"{role}_name"] or first[f"{role}_text"], later[f"{role}_name"] or later[f"{role}_text"]
        if a and b and a.lower() != b.lower() and not (
                first[f"{role}_country"] and first[f"{role}_country"] == later[f"{role}_country"]) \
                and not same_crowd(first, later) and not other_side_of_the_fight(first, later):
            return False
        if b and not a and not same_sentence and not later["_anaphoric"] and not headline_of(first, later):
            return False
    return not elsewhere(first, later)


def is_fight(lemma: str | None, res: ExtractionResources) -> bool:
    """A word of a fight of two armed sides (word class ``armed_fight_word``): a clash, a
    battle, a gunfight, an encounter (South Asian reporting's word for a shootout with
    the police); not a feud or an altercation."""
    return lemma is not None and lemma in res.word_classes["armed_fight_word"]


def fought_by_the_same(first: dict, later: dict) -> bool:
    """Whether a side a fight told again names (by its head word) is named in the first
    mention's sentence: "two Hizbul Mujahideen militants were killed in a fierce
    encounter ... A gun battle broke out between the militants and security forces"; not
    "A clash between two tribes broke out" after soldiers killed in a clash with the
    Taliban. A fight told with no sides is the same."""
    told = set(first["sentence"].lower().replace(",", " ").split())
    sides = [later[f"{role}_text"] for role in ("actor1", "actor2") if later[f"{role}_text"]]
    return not sides or any(last_word(side) in told for side in sides)


def riots_toll(riot: dict, later: dict, res: ExtractionResources) -> bool:
    """Whether a killing or a wounding told in the next two sentences is a riot's dead or
    hurt ("Two rival groups clashed in the village. Three men were killed."): by no one
    named and by no weapon of war (no blast, shelling or air strike), not soldiers or
    fighters, on no other day and in no other place; after a crowds' fight, or after a
    violent demonstration where the article names no armed body; not after a mob told
    only by what it wrecked ("destroyed", "occupied": in war news, seldom a crowd's)."""
    gap = later["sentence_index"] - riot["sentence_index"]
    fight_words = res.word_classes["fight_noun"] | res.word_classes["crowd_fight_word"]
    return riot["event_type"] == "PROTEST" and riot["event_mode"] in VIOLENT_PROTEST_MODES \
        and (riot["_trigger_lemma"] in fight_words or (riot["event_mode"] == "riot" and not riot["_armed_article"])) \
        and later["event_type"] == "ASSAULT" and (later["event_mode"] or "") in CROWD_WEAPON_MODES \
        and 0 < gap <= 2 and not (later["actor1_text"] or later["actor1_name"]) and not later["_other_incident"] \
        and (later["fatalities"] is not None or later["injured"] is not None) \
        and later["_actor2_kind"] not in ("state", "rebel", "militia", "external") \
        and compatible_dates(riot, later) and not elsewhere(riot, later)


def same_crowd(first: dict, later: dict) -> bool:
    """Whether a later protest's crowd is the earlier one's, told again by a definite
    word for any crowd ("Thousands of people protested ... Police fired tear gas to
    disperse the demonstrators"), or by the first crowd's own word alone; not "the
    teachers", who may be another crowd."""
    words = (later["actor1_text"] or "").lower().replace(",", " ").split()
    if not (first["event_type"] == "PROTEST" and first["_actor1_kind"] == later["_actor1_kind"] == "people"):
        return False
    if len(words) == 1 and words[0] in CROWD_WORDS:
        # "Police fired tear gas at protesters in Kalinagar. Protesters hurled stones.": the
        # crowd word alone, as the first crowd was named
        return words[0] in (first["actor1_text"] or "").lower().split()
    return len(words) >= 2 and words[0] in ("the", "these", "those") and words[1] in CROWD_WORDS


# Words for whoever protests, whoever they are: "the demonstrators" may be anyone's crowd.
CROWD_WORDS = frozenset({"protesters", "protestors", "demonstrators", "marchers", "agitators", "crowd",
                         "crowds", "participants"})
# Words that open another incident in a round-up: "In another incident, the attack on ..."
OTHER_INCIDENT_MARKERS = frozenset({"another", "separately", "separate", "meanwhile", "elsewhere"})
# Quotation marks: a quoted toll restates the narrator's, it does not add to it.
QUOTE_MARKS = frozenset('"“”')
# How long after an attack a death told next to it is still its toll (died of wounds).
MAX_DAYS_TO_DIE_OF_WOUNDS = 14


def other_side_of_the_fight(first: dict, later: dict) -> bool:
    """Whether a fight told again by its definite noun is told from its other side:
    "A Pakistani post fired upon the troops. In the exchange of firing, troops observed
    ...": the troops fired on are the later mention's first actor, in one exchange (and
    the later mention's target, if it names one, is the first one's author)."""
    target = first["actor2_name"] or first["actor2_text"]
    author = later["actor1_name"] or later["actor1_text"]
    if not (later["_anaphoric"] and later["event_mode"] == "clash" and target and author) \
            or last_word(target) != last_word(author):
        return False
    # and the later mention's target, if any, is the first one's author
    first_author = first["actor1_name"] or first["actor1_text"]
    later_target = later["actor2_name"] or later["actor2_text"]
    return not (first_author and later_target) or last_word(first_author) == last_word(later_target)


def last_word(phrase: str) -> str:
    """A phrase's head word as written, lowercased: "the troops" -> "troops"."""
    return phrase.lower().split()[-1]


def recalls(first: dict, later: dict) -> bool:
    """Whether a mention more than two sentences on names the event told before: "the
    attack", "the bombing" (a definite singular event noun) that adds no toll of its own,
    names no other kind of attack and opens no other incident ("In another incident, the
    blast at a market left five dead" is a new event)."""
    if not (later["_anaphoric"] and later["_singular"]):
        return False
    if any(later[field] is not None for field in MAGNITUDE_FIELDS):
        return False
    if first["event_mode"] and later["event_mode"] and first["event_mode"] != later["event_mode"]:
        return False
    return OTHER_INCIDENT_MARKERS.isdisjoint(later["sentence"].lower().replace(",", " ").split())


def continues(first: dict, later: dict) -> bool:
    """Whether a definite mention more than two sentences after an event's first mention,
    but near its last, goes on telling it: no other kind of attack ("the blast" after an
    execution), no place of its own (from its sentence or the ones beside it) more than
    ``AREA_KM`` from the event's ("the attack" on Hasakah after one on Aleppo)."""
    if first["event_mode"] and later["event_mode"] and first["event_mode"] != later["event_mode"]:
        return False
    return not elsewhere(first, later, NEAR_PLACE_SOURCES)


def compatible_dates(first: dict, later: dict, relaxed: bool = False) -> bool:
    """Whether two mentions may tell of one day: either has no date of its own or the
    days agree; for a mention recalled from further on (``relaxed``), also a month or
    year that holds the other's day ("the deadliest bombing this year" after "on
    Monday"). Near mentions dated by a month or a year are background: "Earlier this
    year, fighters attacked a bus" is another event."""
    if "published" in (first["date_precision"], later["date_precision"]):
        return True
    a, b = first["event_date"], later["event_date"]
    if a == b:
        return True
    if not relaxed:
        return False
    coarse = {first["date_precision"], later["date_precision"]}
    if "year" in coarse:
        return a.year == b.year
    if "month" in coarse:
        return (a.year, a.month) == (b.year, b.month)
    return False


def died_of_wounds(first: dict, later: dict) -> bool:
    """A death told on a later day than the attack just before it: "A journalist was
    stabbed on Tuesday night. He succumbed to his injuries on Wednesday." ACLED counts
    such a death in the attack's toll, on the attack's day."""
    if first["date_precision"] != "day" or later["date_precision"] != "day" \
            or first["event_date"] is None or later["event_date"] is None:
        return False
    return 0 < (later["event_date"] - first["event_date"]).days <= MAX_DAYS_TO_DIE_OF_WOUNDS


def headline_of(first: dict, later: dict) -> bool:
    """Whether the first sentence names, with no one and no day, the event the body then
    tells in the same place ("Clashes erupt in Benghazi" over "Clashes between two armed
    groups in Benghazi on Thursday killed four")."""
    return first["sentence_index"] == 0 and first["date_precision"] == "published" and (
        same_place(first, later) or in_the_area(first, later))


def same_place(first: dict, later: dict) -> bool:
    """One gazetteer entry: the same GeoNames id, or for a curated place without one (a
    row of ``place_aliases.csv`` with its own point) the same name at the same point."""
    if first["geonameid"] is not None:
        return first["geonameid"] == later["geonameid"]
    return first["location_name"] is not None and later["geonameid"] is None and all(
        first[key] == later[key] for key in ("location_name", "latitude", "longitude"))


def in_the_area(first: dict, later: dict) -> bool:
    """Whether of two mentions one is in a curated region and the other in a town that
    region holds (``region_holds``), either way round."""
    return region_holds(first, later) or region_holds(later, first)


def region_holds(region: dict, town: dict) -> bool:
    """Whether a mention placed in a curated region (a ``region`` of
    ``place_aliases.csv``: "Eastern Ghouta") and one placed in a GeoNames town of the same
    country within ``REGION_TOWN_KM`` of the region's point are one place: "Casualties
    mount in Eastern Ghouta" over "... the city of Douma". The gazetteer knows no town
    such a region holds; the distance stands for it. Not two regions ("Western Ghouta"
    is no town of the eastern one), not a GeoNames division (its towns' admin names
    say)."""
    if region.get("_feature_type") != "region" or town["geonameid"] is None or town["geo_precision"] != 1 \
            or region["country_iso3"] is None or region["country_iso3"] != town["country_iso3"] \
            or None in (region["latitude"], town["latitude"]):
        return False
    return haversine_km(region["latitude"], region["longitude"], town["latitude"], town["longitude"]) \
        <= REGION_TOWN_KM


# How far from a place's point another may lie and still be the same area (``elsewhere``
# beyond it).
AREA_KM = 50
# How far from a curated region's point its towns lie, at most, for ``region_holds``: the
# regions are small (Eastern Ghouta's towns lie within 12 km of its point, Damascus 17 km
# off is not one of them), a larger region's far towns are missed.
REGION_TOWN_KM = 15


PLACE_FIELDS = ("location_text", "location_name", "geonameid", "country_iso3", "admin1",
                "latitude", "longitude", "geo_precision", "_place_source", "_feature_type")


# A fight's weapons heavier than guns: told hitting bystanders, they are an attack of their own.
HEAVY_WEAPON_MODES = FIGHT_WEAPON_MODES - {"firearms"}


def merged_mode(first: dict, later: dict) -> str | None:
    """The mode of an event told first as ``first`` and again as ``later``: the more
    specific, but a fight of two sides told first keeps its mode over the weapons it was
    fought with (``FIGHT_WEAPON_MODES``), and a shooting told again as a fight is one:
    "A gun battle broke out ... It began when a roadside bomb went off" stays ACLED's
    armed clash, and so does "Police fought a shootout with robbers ... Both robbers were
    killed". Heavier weapons, or a shooting told first, are the fight's only where
    they hit no bystander (``hit_no_bystander``): "Clashes erupted ... A bomb exploded in
    a crowded market, killing six" is the bombing, "Gunmen shot dead a shopkeeper ... A
    gunfight broke out when police arrived" the shooting."""
    mode, other = first["event_mode"], later["event_mode"]
    if mode == "clash" and (other == "firearms" or (other in HEAVY_WEAPON_MODES and hit_no_bystander(later))):
        return mode
    if mode == "firearms" and other == "clash" and hit_no_bystander(first):
        return other
    return other if mode_rank(other) < mode_rank(mode) else mode


def hit_no_bystander(mention: dict) -> bool:
    """Whether a mention's weapons hit an armed side, or no one it names or counts: "an IED
    exploded under an army vehicle", "mortar rounds fell near the base"; not
    "killing six" or "shot dead a shopkeeper"."""
    if mention["_actor2_kind"] in ARMED_OWNER_KINDS:
        return True
    return mention["_actor2_kind"] in (None, "unknown") and mention["fatalities"] is None \
        and mention["injured"] is None


def mark_interventions(events: list[dict]) -> None:
    """A peaceful protest that security forces were told acting on ("Lawyers protested in
    Daska. Police used tear gas to disperse the crowd": ``actors.forces_at_the_protest``)
    is ACLED's "Protest with intervention". Read once mentions are merged, so that the
    crowd's own violence told later ("they began pelting stones") makes it a riot
    instead."""
    for event in events:
        if event["event_type"] == "PROTEST" and event.get("_forces_acted") \
                and (event.get("event_mode") or "") in PEACEFUL_MODES:
            event["event_mode"] = "intervention"


def absorb(target: dict, other: dict, res: ExtractionResources) -> None:
    target["_last_sentence"] = max(target.get("_last_sentence", target["sentence_index"]), other["sentence_index"])
    target["_forces_acted"] = target.get("_forces_acted") or other.get("_forces_acted")  # mark_interventions
    if other["event_type"] != target["event_type"] or other["_protesters_held"]:
        if target["event_type"] == "PROTEST" and is_arrest(other) and target["event_mode"] in PEACEFUL_MODES:
            target["event_mode"] = "intervention"  # a riot stays a riot when its rioters are arrested
    elif target["_protesters_held"] and other["event_mode"] in VIOLENT_PROTEST_MODES:
        target["event_mode"] = other["event_mode"]  # "Police arrested 19 protesters who had pelted stones"
    else:
        merged = merged_mode(target, other)
        if merged == "clash" and target["event_mode"] == "clash" and other["event_mode"] in HEAVY_WEAPON_MODES:
            target["_outranked_weapon"] = other["event_mode"]  # the fight's, unless bystanders are told hit
        elif target.get("_outranked_weapon") and other["_actor2_kind"] in CROWD_KINDS \
                and other["event_mode"] != "firearms":  # (those shot are the fight's: "two suspects were shot dead")
            # "Clashes erupted ... A car bomb exploded in a market. Six civilians were killed."
            merged = target.pop("_outranked_weapon")
        target["event_mode"] = merged
    # A death told as more in a later sentence adds to the event's toll, once for that
    # sentence (its other events carry the same toll): told alone ("Another victim died the
    # following day", "Doctors declared three others dead"), or killed "also" in the very
    # next sentence where it names no place of its own ("A militant was also killed in the
    # encounter"; in long news "Airstrikes also killed seven civilians in al-Husainiyah"
    # or "Six were also killed in rebel shelling" is another strike, and what a source said
    # restates its breakdown). A quote restates a toll ("... 21 others died", they said).
    told = target.setdefault("_toll_sentences", {target["sentence_index"]})
    adds = other["sentence_index"] not in told and not QUOTE_MARKS.intersection(other["sentence"]) \
        and "earlier" not in other["sentence"].lower().split() and (  # "An earlier toll said 15"
            other.get("_toll_only") or (other["sentence_index"] - target["sentence_index"] == 1
                                        and other["_place_source"] not in ("attached", "sentence")
                                        and not other["_names_a_place"] and not other["_new_cause"]
                                        and not other["attributed_to"]))
    for field in MAGNITUDE_FIELDS:
        if target[field] is None and other[field] is not None:
            target[field] = other[field]
        elif other[field] is not None and adds and field in other.get("_more_fields", ()) \
                and other[field] != target[field]:
            target[field] += other[field]  # (the same count again is a repeat: "18 killed ... 18 more")
    if any(other[field] is not None for field in MAGNITUDE_FIELDS):
        told.add(other["sentence_index"])
    if other.get("_toll_only"):
        return  # "He died at Khulna Medical College Hospital": where and who died is no party or scene
    if target["event_type"] == "PROTEST" and (other["event_mode"] == "arrest" or (
            other["event_type"] == "ASSAULT" and other["_actor1_kind"] in ("state", "official"))):
        # The arrested or the hurt are the protesters, the police the other side.
        roles = (("actor1", "actor2"), ("actor2", "actor1"))
    elif target["event_type"] == "ASSAULT" and is_arrest(other):
        roles = ()  # the police who arrest after an attack are no party to it
    elif other["event_type"] in SPEECH_ACTS and target["event_type"] not in SPEECH_ACTS:
        roles = ()  # what the protesters demanded names no party to the protest
    else:
        roles = (("actor1", "actor1"), ("actor2", "actor2"))
    for role, source in roles:
        kept = (target["actor2_text" if role == "actor1" else "actor1_text"] or "").lower()
        if not target[f"{role}_text"] and other[f"{source}_text"] and other[f"{source}_text"].lower() != kept:
            copy_actor(target, role, other, source)  # (not the party it has in its other role)
    own_place = other["_place_source"] in ("attached", "sentence")
    if own_place and ((target["_place_source"] in WEAK_PLACE_SOURCES and (
            target["geo_precision"] is None or (other["geo_precision"] or 3) <= target["geo_precision"]))
            or (headline_of(target, other) and region_holds(target, other))):
        # a mention's own place, unless it is coarser ("in Myanmar" after Tanai Township);
        # the town of a body in the curated region its headline named ("in Eastern
        # Ghouta", then "in Douma")
        for field in PLACE_FIELDS:
            target[field] = other[field]
    if target["date_precision"] == "published" and other["date_precision"] != "published":
        for field in ("event_date", "date_text", "date_precision"):
            target[field] = other[field]
    evidence, extra = target["_evidence"], other["_evidence"]
    target["_evidence"] = {"weight": max(evidence["weight"], extra["weight"]),
                           "verb": evidence["verb"] or extra["verb"],
                           "bare_plural": evidence["bare_plural"] and extra["bare_plural"],
                           "mentions": evidence["mentions"] + extra["mentions"],
                           "past": evidence["past"] or extra["past"]}


# Places an event took from outside its own sentence: a mention's own place beats them.
WEAK_PLACE_SOURCES = (None, "dateline", "previous", "next", "capital", "article", "mentioned", "named", "country",
                      "speaker")


def copy_actor(target: dict, role: str, other: dict, source: str) -> None:
    for key in ACTOR_KEYS:
        target[f"{role}_{key}"] = other[f"{source}_{key}"]
    target[f"_{role}_kind"] = other[f"_{source}_kind"]


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


HEADLINE_LEAD = 3  # the sentences after a headline that tell its news first
HEADLINE_NEWS_DAYS = 7  # a headline's news is of the days before it; not "a year after gunmen stormed ..."


def date_headline(events: list[dict]) -> None:
    """A headline's event told without a day ("Airstrikes kill seven in Homs") happened on
    the day the lead gives the first event of its type ("Jets ... struck the Al-Waer
    neighbourhood on Sunday"), unless the lead puts that event elsewhere or more than a
    week before the publication day (an earlier event the lead recalls): the headline
    tells the lead's news, a day before its publication as often as not. (``inherit_dates``
    dates the sentences after a dated one; a headline comes before.)"""
    for headline in events:
        if headline["sentence_index"] != 0 or headline["date_precision"] != "published" \
                or headline["modality"] != "asserted":
            continue
        lead = next((event for event in events if 0 < event["sentence_index"] <= HEADLINE_LEAD
                     and event["event_type"] == headline["event_type"] and event["modality"] == "asserted"), None)
        if lead is not None and lead["date_precision"] == "day" and not lead["_other_incident"] \
                and 0 <= (headline["event_date"] - lead["event_date"]).days <= HEADLINE_NEWS_DAYS \
                and (in_its_country(headline, lead) or not elsewhere(headline, lead)):
            for field in ("event_date", "date_text", "date_precision"):
                headline[field] = lead[field]


def in_its_country(country: dict, mention: dict) -> bool:
    """Whether a mention placed only in a country ("Airstrikes kill seven in Syria") may
    be at another's place in that country."""
    return country["geo_precision"] == 3 and country["country_iso3"] is not None \
        and country["country_iso3"] == mention["country_iso3"]


# Who may fly an article's air strikes: a state's forces or a coalition of states, never
# a group the rules read as one by mistake ("air strikes on IS positions").
AIR_FORCE_SECTORS = frozenset({"GOV", "MIL", "IGO", None})
LEAD_SENTENCES = 2  # the headline and the lead tell whose strikes the whole story is about
NEAR_SENTENCES = 2  # elsewhere the author must be told close by


def credit_air_strikes(ctx: ArticleContext, events: list[dict]) -> None:
    """"Russian jets pounded Idlib on Monday, killing 12. Air strikes on a market in
    Saraqeb killed eight more": an asserted air strike told without its author was flown
    by the air force that the article's other air strikes name, when they all name one
    (by country or name: a state's forces or a coalition of states) and one of them is
    asserted in the headline or the lead, or within two sentences of it, in the same
    country (or placed in none). An article of two air forces (regime and Russian jets;
    the coalition and Russia) says nothing of who flew the strike that names neither,
    nor does one that only wonders ("whether Syrian or Russian warplanes"), nor a strike
    told as another incident ("Elsewhere, ...") or whose own sentence names another air
    force (``names_another_air_force``). No air force strikes its own forces; its own
    country's civilians it may. An author the lexicons leave without a country or name
    ("regime planes" in some sentences) is no evidence either way: counting it as another
    air force lost more right rows of the FA-KES lake than wrong ones."""
    classes = ctx.res.word_classes
    strikes = [event for event in events if event["event_type"] == "ASSAULT" and event["event_mode"] == "aerial"]
    authors = {event["actor1_country"] or event["actor1_name"] for event in strikes
               if event["actor1_country"] or event["actor1_name"]}
    named = [event for event in strikes if event["actor1_name"] and event["actor1_sector"] in AIR_FORCE_SECTORS]
    if len(authors) != 1 or not named:
        return
    # (not an author the text leaves open, "Syrian or Russian warplanes", nor a monitor the
    # parse made one: "A Syrian war monitoring group")
    told = [event for event in named if event["modality"] == "asserted"
            and not set(event["actor1_text"].lower().split()) & (classes["open_choice_word"] | classes["monitor_word"])]
    sentences = None
    for event in strikes:
        hit = event["actor2_country"] or event["actor2_name"]
        if event["actor1_text"] or event["modality"] != "asserted" or event["_other_incident"] \
                or (event["actor2_sector"] in STATE_SECTORS and hit in authors):
            continue
        sources = [other for other in told if (other["sentence_index"] < LEAD_SENTENCES
                   or abs(other["sentence_index"] - event["sentence_index"]) <= NEAR_SENTENCES)
                   and other["country_iso3"] in (event["country_iso3"], None)]
        if not sources:
            continue
        source = min(sources, key=lambda other: abs(other["sentence_index"] - event["sentence_index"]))
        sentences = sentences or list(ctx.doc.sents)
        if not names_another_air_force(sentences[event["sentence_index"]], source, ctx):
            copy_actor(event, "actor1", source, "actor1")


def names_another_air_force(sent: Span, source: dict, ctx: ArticleContext) -> bool:
    """Whether a sentence names an air force other than the source's author: a state's
    forces, government, police or an international body the lexicon knows, or a
    nationality, on an aircraft or a strike ("Turkish jets", "an Israeli raid", "strikes
    by the US-led coalition") or as the doer of anything ("by the coalition"), or aircraft
    it calls unknown ("unidentified warplanes"). Not a force named for something else
    ("as Iraqi forces advanced", "UNICEF said", "the suburbs of Damascus")."""
    res = ctx.res
    own = source["actor1_country"] or source["actor1_name"]
    for token in sent:
        if token.lower_ in res.word_classes["unknown_author_word"] and on_aircraft(token, res):
            return True
        found = ctx.actor_spans.get(token.i)
        actor = found[1] if found is not None and found[1].sector in STATE_SECTORS | {"IGO"} else None
        force = (actor.country or actor.name) if actor is not None else res.demonyms.get(token.lower_)
        if force is not None and force != own and (on_aircraft(token, res) or by_agent(token)):
            return True
    return False


# How a word modifies the noun it names the owner of ("Turkish jets", "coalition air
# strikes", "Russia's air force").
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "det"})


def modified_nouns(token: Token) -> list[Token]:
    """The nouns a word modifies, nearest first, up its chain of modifiers."""
    heads, head = [], token
    while head.dep_ in MODIFIER_DEPS and head.head is not head:
        head = head.head
        heads.append(head)
    return heads


def by_agent(token: Token) -> bool:
    """Whether a name is (in) the object of "by": the doer of some act of the sentence
    ("a key target of strikes against IS by the US-led coalition")."""
    top = (modified_nouns(token) or [token])[-1]
    return top.dep_ == "pobj" and top.head.lower_ == "by"


def on_aircraft(token: Token, res: ExtractionResources) -> bool:
    """Whether a word tells whose an aircraft or an air strike is: it modifies one
    ("Turkish jets", "coalition air strikes", "unidentified warplanes"), or follows "by"
    after one ("strikes by the US-led coalition")."""
    nouns = modified_nouns(token)
    if any(is_aircraft_or_strike(noun, res) for noun in nouns):
        return True
    return by_agent(token) and is_aircraft_or_strike((nouns or [token])[-1].head.head, res)


def is_aircraft_or_strike(token: Token, res: ExtractionResources) -> bool:
    return names_aircraft(token, res) or token.lemma_.lower() in res.word_classes["air_strike_noun"]


def credit_claims(ctx: ArticleContext, events: list[dict]) -> None:
    """"Al-Shabaab claimed responsibility": the claimant is the author of the latest
    violent event without one, in that sentence or the two before (a named claimant
    also beats an unnamed author: "militants")."""
    for sentence_index, _, claimant in authors_named(ctx, claimant_of):
        for event in attacks_told_before(events, sentence_index):
            if not event["actor1_text"] or (claimant["name"] and not event["actor1_name"]):
                set_actor(event, "actor1", claimant)
                break


def credit_suspects(ctx: ArticleContext, events: list[dict]) -> None:
    """"Al Shabaab suspected.": the party a report suspects (``suspect_of``) is the author
    of the latest attack of that sentence or the two before with no author or an unnamed
    band ("gunmen", "militants": ``UNNAMED_BAND_KINDS``), not one the suspicion's own
    words tell ("suspected in the attack", a mention of it), nor one whose target the
    suspect is: a suspicion never overrides the soldiers or police a report says acted.
    Run once the mentions of one event are merged: a later mention given the suspect
    would name another author than its first and stay an event of its own."""
    for sentence_index, token, suspect in authors_named(ctx, suspect_of):
        told = {t.idx for t in token.subtree}
        for event in attacks_told_before(events, sentence_index):
            if event.get("trigger_start") in told or (event["actor1_text"] and not (
                    event.get("_actor1_kind") in UNNAMED_BAND_KINDS and not event["actor1_name"])):
                continue  # (an attack another party is told to have made is not it)
            if not (suspect["name"] and suspect["name"] == event["actor2_name"]):
                set_actor(event, "actor1", suspect)
            break  # the latest attack it can be


def authors_named(ctx: ArticleContext, author_of: Callable[[Token, ArticleContext], dict | None]):
    """(sentence index, token, actor) for every word ``author_of`` reads an author from."""
    for sentence_index, sent in enumerate(ctx.doc.sents):
        for token in sent:
            actor = author_of(token, ctx)
            if actor is not None:
                yield sentence_index, token, actor


def attacks_told_before(events: list[dict], sentence_index: int) -> list[dict]:
    """The assaults of that sentence and the two before it, the latest first."""
    return [event for event in reversed(events)
            if event["event_type"] == "ASSAULT" and 0 <= sentence_index - event["sentence_index"] <= 2]


def claimant_of(token: Token, ctx: ArticleContext) -> dict | None:
    """The actor that claims an attack with this verb, if it is "claimed" and not denied."""
    if token.lemma_.lower() != "claim" or token.pos_ != "VERB":
        return None
    obj = child(token, "dobj")
    if obj is None or obj.lemma_.lower() not in ctx.res.word_classes["claimed_noun"]:
        return None
    subject = subject_of(token)
    if subject is None or child(token, "neg") is not None or any(
            c.lower_ in ("no", "none") for c in subject.subtree):
        return None  # "no group claimed the blast"
    return describe_actor(subject, ctx, ctx.event_heads)


# Kinds of an unnamed author a named suspect may stand for: "gunmen", "militants", "attackers".
UNNAMED_BAND_KINDS = frozenset({"assailant", "militia", "rebel"})
# Kinds of party a report may lay an attack at the door of: armed ones.
SUSPECT_KINDS = frozenset({"rebel", "militia", "state", "external", "assailant", "community"})


def suspect_of(token: Token, ctx: ArticleContext) -> dict | None:
    """The armed party a report says is suspected of an attack, with this word: "Al
    Shabaab suspected." (a note's shorthand), "Boko Haram is suspected", "police suspect
    the Maoists", "Al Shabaab are believed to be behind the attack", "suspicion falls on
    Al Shabaab". Not a suspicion denied, nor one a clause of its own tells ("police
    suspected that ...": who the clause names did something else as often), nor an
    accusation ("blamed X": one side's word, which the ACCUSE event carries)."""
    lemma = token.lemma_.lower()
    if token.pos_ not in ("VERB", "AUX") or child(token, "neg") is not None:
        return None
    party = None
    if lemma == "suspect":
        party = child(token, "dobj") or child(token, "nsubjpass")
        if party is not None and not suspected_of_an_attack(token, party, ctx):
            return None  # "suspected of recruiting children", "of links to al-Qaeda"
        if party is None and token.tag_ in ("VBD", "VBN") and not any(
                c.dep_ in ("ccomp", "xcomp", "advcl", "prep", "agent") for c in token.children):
            party = child(token, "nsubj")  # "Al Shabaab suspected."
    elif lemma == "believe":
        done = child(token, "xcomp")
        if done is not None and any(t.lower_ in ("behind", "responsible") for t in done.subtree):
            party = child(token, "nsubjpass")
    elif lemma == "fall":
        subject = child(token, "nsubj")
        if subject is not None and subject.lemma_.lower() == "suspicion":
            party = next((g for c in token.children if c.dep_ == "prep" and c.lower_ == "on"
                          for g in c.children if g.dep_ == "pobj"), None)
    if party is None:
        return None
    actor = describe_actor(party, ctx, ctx.event_heads)
    if actor is None or actor.get("kind") not in SUSPECT_KINDS:
        return None
    what = next((c for c in party.children if c.dep_ == "prep" and c.i > party.i), None)
    if what is not None:  # "Al Shabaab of the attack": the party's words only
        actor["text"] = party.doc[party.left_edge.i:what.i].text
    return actor


def suspected_of_an_attack(verb: Token, party: Token, ctx: ArticleContext) -> bool:
    """Whether what a party is suspected of, if the text says, is an attack ("of the
    attack", "in the blast", "of carrying out the ambush", "to be behind it"), not another
    deed ("of recruiting children", "to have links with local clans")."""
    told = [g for holder in (verb, party) for c in holder.children
            if c.dep_ == "prep" and c.lower_ in ("of", "in") for g in c.children if g.dep_ in ("pobj", "pcomp")]
    told += [c for c in verb.children if c.dep_ == "xcomp"]
    if not told:
        return True
    attacks = ctx.res.word_classes["claimed_noun"]
    return any(t.i in ctx.event_heads or t.lemma_.lower() in attacks or t.lemma_.lower() in AUTHORSHIP_WORDS
               for what in told for t in what.subtree)


# Words that say a party did the deed: "suspected to be behind", "responsible", "involved".
AUTHORSHIP_WORDS = frozenset({"behind", "responsible", "involved"})
