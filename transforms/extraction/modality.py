"""Whether a trigger tells of an event that happened: its modality (asserted, negated,
hypothetical, future), who said so, and the checks that drop a mention that is no event
(a trend, an accident, a meeting only mentioned, a warning that threatens no one).
Pure spaCy, no Beam.

    find_modality(trigger of "could launch attacks", chain, res) -> "hypothetical"
"""
from __future__ import annotations

import datetime as dt

from spacy.tokens import Token

from newsevents.transforms.extraction.actors import WAGING_VERBS, describe_actor
from newsevents.transforms.extraction.context import ArticleContext, SentenceContext
from newsevents.transforms.extraction.dates import MONTHS, WEEKDAYS
from newsevents.transforms.extraction.magnitudes import looks_like_year, parse_amount
from newsevents.transforms.extraction.resources import ACT_NOUN_CLASSES, ExtractionResources, in_word_classes
from newsevents.transforms.extraction.syntax import SPAN_NOUNS, child, governing_verb, subject_of


MODALITIES = ("negated", "hypothetical", "future")  # the first cue found in this order wins


def find_modality(trigger: Token, chain: list[Token], res: ExtractionResources, event_type: str | None = None) -> str:
    """asserted, negated, hypothetical or future, from the trigger's clause: ``chain`` is
    the trigger and the heads above it (``syntax.clause_chain``). A protest someone was
    arrested or punished for is told as done ("arrested for staging a dharna"): ACLED's
    protest with intervention."""
    classes = res.word_classes
    if trigger.dep_ in ("nsubj", "nsubjpass"):
        # "the meeting will result in ...": the predicate's modal is not the meeting's.
        chain = chain[:1]
    cues = {"future"} if is_purpose(trigger, classes) or what_a_noun_is_for(trigger, classes) else set()
    for position, token in enumerate(chain):
        cues |= marker_cues(token, position, classes)
        if position > 0:
            cues |= governor_cues(token, chain[position - 1], classes, event_type == "PROTEST")
    if len(chain) > 2 and aim_of_a_plan(chain[2], chain[1], trigger, classes):
        cues.add("future")
    if trigger.dep_ in ("nsubj", "nsubjpass"):
        predicate = trigger.head
        if any(c.dep_ == "acomp" and c.lemma_.lower() in classes["unreal_adjective"] for c in predicate.children):
            cues.add("hypothetical")  # "a deal was possible but not imminent"
    return next((m for m in MODALITIES if m in cues), "asserted")


def only_tried(trigger: Token, event_type: str, mode: str | None, classes: dict[str, set[str]]) -> bool:
    """An act a verb of trying governs, which the text does not tell as done ("militiamen
    tried to arrest two residents", "has been attempting to seize al-Maleh for two
    years", "tried to kidnap a doctor"); not one told as done after it ("tried to arrest
    him and took him away"), nor one that trying already does, as ACLED codes it: a blow
    tried is dealt ("tried to storm the base" is an attack), a crowd that tried to march
    gathered, and a fire set to property was set ("a mob attempted to set a bus on fire"
    is a riot)."""
    attempt = trigger.head
    if trigger.dep_ != "xcomp" or attempt.lemma_.lower() not in classes["attempt_verb"]:
        return False
    # "tried to arrest him and took him away": done after the attempt (a verb joined to
    # the act itself; not "tried to arrest the suspect but failed", joined to "tried")
    if any(c.dep_ == "conj" and c.pos_ == "VERB" for c in trigger.children):
        return False
    if event_type == "ASSAULT":
        return mode in SEIZING_MODES_NOT_DONE_WHEN_TRIED
    return event_type != "PROTEST" and (event_type != "COERCE" or mode in SEIZING_MODES_NOT_DONE_WHEN_TRIED)


# Seizing people or goods, which trying does not do (an abduction is an ASSAULT mode, an
# arrest or a seizure a COERCE one); a fire set or an effigy burnt is done by trying.
SEIZING_MODES_NOT_DONE_WHEN_TRIED = frozenset({"arrest", "seize", "abduct"})


def infinitive_of_aim(trigger: Token, classes: dict[str, set[str]]) -> bool:
    """A "to" infinitive that may tell an aim: not a verb of protest ("staged a sit-in
    to protest" is the protest itself)."""
    return trigger.pos_ == "VERB" and trigger.lemma_.lower() not in classes["protest_verb"] \
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in trigger.children)


def is_purpose(trigger: Token, classes: dict[str, set[str]]) -> bool:
    """"deployed troops to fight bandits": a purpose, not a fight."""
    return trigger.dep_ == "advcl" and infinitive_of_aim(trigger, classes)


def what_a_noun_is_for(trigger: Token, classes: dict[str, set[str]]) -> bool:
    """"a deal to evacuate the wounded", "an operation to retake the town": what a
    thing is for (an infinitive with no subject of its own, hung on a noun), not what
    was done. Not "the fourth journalist to be killed" nor "the only party to protest":
    a rank says it happened; nor "a march to protest", the march itself."""
    head = trigger.head
    return trigger.dep_ in ("relcl", "acl") and head.pos_ == "NOUN" and infinitive_of_aim(trigger, classes) \
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in trigger.children) \
        and not any(ranks(c) for c in head.children)


def ranks(token: Token) -> bool:
    """Whether a noun's modifier ranks it: an ordinal ("the fourth", "12th"), a
    superlative ("the latest", "the most recent"), "only", "last" or "next"."""
    return token.ent_type_ == "ORDINAL" or token.tag_ in ("JJS", "RBS") or token.lower_ in ("only", "last", "next") \
        or any(c.tag_ == "RBS" for c in token.children)


def aim_of_a_plan(verb: Token, prep: Token, trigger: Token, classes: dict[str, set[str]]) -> bool:
    """Whether the trigger is the very object of a planning verb's "for", or of "aimed
    at": "called for a strike", "pressed for talks", "strikes aimed at killing
    commanders". Not a trigger deeper down ("called for the release of activists
    arrested on Monday") nor an "at" of place or occasion ("vowed revenge at the
    funeral")."""
    lemma = verb.lemma_.lower()
    phrasal = {f"{lemma} {c.lower_}" for c in verb.children if c.dep_ == "prt"}
    return verb.pos_ == "VERB" and lemma in classes["planning_verb"] and not phrasal & classes["act_phrasal"] \
        and prep.dep_ == "prep" and trigger.dep_ in ("pobj", "pcomp") and trigger.head.i == prep.i \
        and (prep.lower_ == "for" or aim_of(trigger) is not None)


def aim_of(trigger: Token) -> Token | None:
    """The verb "aim" whose "at" the trigger is the object of ("aimed at killing"), if any."""
    if trigger.dep_ in ("pobj", "pcomp") and trigger.head.lower_ == "at" and trigger.head.head.lemma_.lower() == "aim":
        return trigger.head.head
    return None


def marker_cues(token: Token, position: int, classes: dict[str, set[str]]) -> set[str]:
    """Modalities that a token's negation, modal, "if" or "going to" give its clause."""
    cues = set()
    # "killed ..., perpetrators not known": what is not known is who, not whether.
    unknown_detail = position > 0 and token.lemma_.lower() in classes["knowledge_verb"]
    for c in token.children:
        lower = c.lower_
        if (c.dep_ == "neg" and not unknown_detail) or (c.dep_ == "det" and lower == "no" and position == 0):
            cues.add("negated")
        if c.dep_ == "aux" and c.tag_ == "MD":
            if lower in classes["future_modal"]:
                cues.add("future")
            elif lower in classes["hypothetical_modal"]:
                cues.add("hypothetical")
        if c.dep_ == "mark" and lower in ("if", "unless", "whether"):
            cues.add("hypothetical")
        if c.dep_ == "aux" and lower == "going" and position == 0:
            cues.add("future")
        if c.dep_ == "amod" and c.tag_ == "VBG" and token.pos_ == "NOUN" and position == 0 \
                and c.lemma_.lower() in classes["planning_verb"] and c.i < token.i:
            # "demanding withdrawal of the blockade": the participle read as the noun's
            # modifier still asks for it
            cues.add("future")
    return cues


def told_as_done(verb: Token) -> bool:
    """A clause with a subject of its own, in the past tense, with no auxiliary and no
    "that": told as done, though the parser hung it on a word of planning that takes no
    clause of its own ("nurses protested in Quetta for a second day, the protest was
    aimed at the department": the protest made a clause of "aimed"). The caller leaves
    out words whose clause is what is wanted (``clause_planning_verb``: "demanded that
    the police arrested ...")."""
    # an inflected form: "put", "set" or "cut" may be the bare verb of a demand ("demands
    # that the authorities put an end to ..."); not a copula: "warned that the toll was
    # likely to rise" tells a state to come
    return verb.tag_ in ("VBD", "VBN") and verb.lower_ != verb.lemma_.lower() != "be" \
        and any(c.dep_ == "nsubj" for c in verb.children) \
        and not any(c.dep_ in ("aux", "auxpass", "mark") for c in verb.children)


def governor_cues(token: Token, below: Token, classes: dict[str, set[str]], protest: bool = False) -> set[str]:
    """Modalities that a head above the trigger gives it ("planned to attack", "the threat
    of attacks", "failed to meet", "accused Russia of shelling"); ``below`` is the token
    by which the clause below hangs from it. An act after which someone was arrested
    ("arrested after attacking a post") and a protest someone was arrested or punished
    for are told as done; one someone is accused of is alleged."""
    link = below.dep_
    cues = set()
    lemma = token.lemma_.lower()
    phrasal = {f"{lemma} {c.lower_}" for c in token.children if c.dep_ == "prt"}
    # A light verb's object is the event it holds: "undertook a march" is done, "undertook
    # to march" is promised.
    if token.pos_ == "VERB" and lemma in classes["planning_verb"] and not phrasal & classes["act_phrasal"] and (
            link == "xcomp" or (link == "dobj" and lemma not in classes["light_verb"]) or (link == "ccomp" and not (
                lemma not in classes["clause_planning_verb"] and told_as_done(below)))):
        cues.add("future")  # "planned an attack", "set to attack"; not "set off two bombs"
    if token.pos_ == "NOUN" and lemma in classes["hypothetical_noun"]:
        cues.add("hypothetical")
    if token.pos_ == "NOUN" and lemma in classes["planning_noun"]:
        cues.add("future")
    if token.lower_ == "of" and link == "pcomp" and token.head.lemma_.lower() in classes["aim_noun"]:
        cues.add("future")  # "the key aim of recapturing Aleppo"; not "the aim of Monday's bombing"
    if lemma == "be" and link == "xcomp" and any(c.dep_ == "nsubj" and c.lemma_.lower() in
                                                 classes["planning_noun"] | classes["aim_noun"]
                                                 for c in token.children):
        cues.add("future")  # "their goal is to liberate Aleppo"
    if lemma in classes["negating_word"]:
        cues.add("negated")
    if lemma in classes["alleging_verb"] and link in ("pcomp", "pobj", "prep") \
            and not (link == "prep" and below.lower_ in classes["sequel_prep"]) \
            and not (protest and lemma in classes["punishing_verb"]):
        cues.add("hypothetical")  # "accused Russia of shelling": alleged, not reported
    return cues


def find_attribution(ctx: SentenceContext, reporting_verb: Token | None) -> str | None:
    """Who said so: the subject of a reporting verb, or the object of "according to"."""
    source = subject_of(reporting_verb) if reporting_verb is not None else None
    if source is None:
        for token in ctx.sent:
            if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor().lower_ == "to":
                source = child(token.nbor(), "pobj") or child(token, "pobj")
                if source is None:
                    source = next((c for c in token.nbor().children if c.dep_ == "pobj"), None)
                break
    if source is None:
        return None
    actor = describe_actor(source, ctx)
    if actor is None:
        return None
    return actor["name"] or actor["text"]


# The event types a non-political cause can bring about (deaths, damage, people fleeing).
CAUSED_TYPES = {"ASSAULT", "COERCE", "RETREAT", "MOBILIZE"}


def is_non_event(trigger: Token, head1: Token | None, ctx: ArticleContext, event_type: str) -> bool:
    """Deaths with a non-political cause ("floods killed 30", "a gas cylinder explosion",
    "a truck overturned ..., killing 12"); ``head1`` is the token read as the author.
    Only harm, damage and flight have such causes: "HIV patients protested" is a protest."""
    if event_type not in CAUSED_TYPES:
        return False
    if names_explosives((trigger, *trigger.children), ctx.res):
        return False  # "a bomb blast" (the train it hit is no cause)
    suspects = [t for t in trigger.children if t.dep_ in ("compound", "nsubj", "amod")]
    suspects += [m for t in trigger.children if t.dep_ == "nsubj" for m in modifiers_of_a_thing(t, ctx.res)]
    illness = ctx.res.word_classes["illness_cause"]
    # "killed by a suspected flu strain", "found dead of bird flu", "a heart attack",
    # "swine flu has killed 300"; not "liquor smugglers attacked a police team"
    stated = [t for cause in stated_causes(trigger) for t in (cause, *modifiers_of_a_thing(cause, ctx.res))]
    suspects += stated
    told_causes = [t for t in trigger.children if t.dep_ in ("compound", "nsubj")] + stated
    if any(t.lemma_.lower() in illness or t.lower_ in illness for t in told_causes if t.pos_ != "VERB"):
        return True
    for clause in (c for c in trigger.children if c.dep_ == "advcl" and not names_explosives(c.subtree, ctx.res)):
        # "killed when a gold mine collapsed", "when their bus overturned"
        suspects.append(clause)
        suspects += [c for c in clause.children if c.dep_ == "nsubj"]
    if head1 is not None:
        suspects += [head1] + modifiers_of_a_thing(head1, ctx.res)
    node = trigger
    for _ in range(4):
        if node.head is node or node.dep_ not in ("advcl", "conj", "xcomp", "acl"):
            break
        # A conjoined verb without a subject of its own shares its head's.
        shared_subject = node.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children)
        node = node.head
        if node.i in ctx.event_heads:
            if shared_subject:
                # "an earthquake killed 1,000 and destroyed villages": one subject for both
                suspects += [c for c in node.children if c.dep_ == "nsubj"]
            break  # "a bus was attacked ..., killing 12": the bus was the target
        if node.dep_ == "pobj" and node.head.head.i in ctx.event_heads:
            break  # "a blast in a local bus killed 10", read as "a bus killed": the blast's scene
        suspects.append(node)
        suspects += [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "dep", "compound")]
    return any(names_cause(t, trigger, event_type, ctx.res) for t in suspects)


def names_explosives(tokens, res: ExtractionResources) -> bool:
    """Whether words name a bomb or a shell (word class ``explosive_weapon``, as a noun):
    harm told with one is no accident ("a bomb blast", "derailed due to a remote control
    explosive device"; not "an explosive fire": the adjective only before "device")."""
    return any(t.lemma_.lower() in res.word_classes["explosive_weapon"]
               and (t.pos_ in ("NOUN", "PROPN") or t.head.lemma_.lower() == "device") for t in tokens)


def stated_causes(trigger: Token) -> list[Token]:
    """The nouns a passive's agent or a "dead of / from" names as what did it: "struck
    by a viral fever", "found dead of bird flu", "killed by poisoned liquor"."""
    causes = []
    for c in trigger.children:
        if c.dep_ == "agent":
            causes += [o for o in c.children if o.dep_ == "pobj"]
        elif c.dep_ in ("oprd", "acomp") and c.lower_ == "dead":
            causes += [o for p in c.children if p.dep_ == "prep" and p.lower_ in ("of", "from")
                       for o in p.children if o.dep_ == "pobj"]
        elif c.dep_ == "prep" and c.lower_ in ("of", "from") and trigger.lemma_.lower() in ("die", "find"):
            causes += [o for o in c.children if o.dep_ == "pobj"]
    return causes


def names_cause(token: Token, trigger: Token, event_type: str, res: ExtractionResources) -> bool:
    """Whether a suspect word names a non-political cause of the event: not a cause word
    whose verb is an act of war or protest ("militants fired on a police party",
    "stormed the office"), not a mine that is a weapon ("a claymore mine", "an anti-tank
    mine"), not a vehicle wrecked by the event itself ("another bus was torched")."""
    classes = res.word_classes
    lemma = token.lemma_.lower()
    if lemma not in classes["non_event_cause"] and token.lower_ not in classes["non_event_cause"]:
        return False
    if token.pos_ == "VERB" and lemma in classes["war_sense_verb"]:
        return False
    if lemma == "mine" and any(t.lower_ in classes["weapon_mine_modifier"] for t in token.subtree):
        return False
    if token.dep_ == "compound" and arms_of_war(token.head, res):
        return False  # "Syrian war planes bombed": aircraft of war, not the war as a cause
    # (nor "another bus also torched", read as the bus doing it; but "a truck destroyed
    # three houses" names the truck as the cause)
    return not ((event_type == "COERCE" or trigger.lemma_.lower() in classes["riot_cue"])
                and lemma in classes["vehicle"] and token.head.i == trigger.i
                and not any(c.dep_ == "dobj" for c in trigger.children))


def arms_of_war(noun: Token, res: ExtractionResources) -> bool:
    """Whether a noun names a weapon or an aircraft of war (word class ``weapon``, an
    aerial mode word of modes.csv: "planes", "jets")."""
    lemma = noun.lemma_.lower()
    return lemma in res.word_classes["weapon"] or res.modes.get(lemma) == ("ASSAULT", "aerial")


def modifiers_of_a_thing(token: Token, res: ExtractionResources) -> list[Token]:
    """The compounds and adjectives of a noun that can name a cause ("a gas cylinder
    explosion"); none for people named by their trade ("bus drivers", "mine workers")."""
    if token.lemma_.lower() in res.agents:
        return []
    return [t for t in token.children if t.dep_ in ("compound", "amod")]


def is_background(trigger: Token, res: ExtractionResources, published: dt.date) -> bool:
    """An event the article only recalls ("fled earlier fighting", "since previous
    clashes", "since 2011, when the regime cracked down on protests") or tells as how a
    known war began (``told_as_war_origin``): reported when it happened, not news of this
    article."""
    if trigger.pos_ != "VERB" and any(
            c.dep_ == "amod" and c.lower_ in res.word_classes["background_modifier"] for c in trigger.children):
        return True
    return recalled_since(trigger) or told_as_war_origin(trigger, published, res)


def told_as_war_origin(trigger: Token, published: dt.date, res: ExtractionResources) -> bool:
    """An event told as how a known war began or grew, the background of news on it: "the
    war in Freedonia, which began with a crackdown on student marches in 2009",
    "Freedonia's conflict broke out in spring 2009 with marches", "the uprising began as a
    wave of sit-ins but escalated after the army crushed a rally", "the uprising was
    sparked by the arrest of students in 2011", "Freedonia descended into civil war in
    2011 after a crackdown" (``war_word``, ``war_course_verb``). Only when
    the beginning is told as history (``told_as_history``): "the unrest, which began last
    week when police shot a student" and "the conflict erupted when the army attacked"
    are news."""
    classes = res.word_classes
    for verb in list(trigger.ancestors)[:6]:
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in classes["war_course_verb"]:
            continue
        first = verb
        while first.dep_ == "conj" and first.head.pos_ in ("VERB", "AUX"):
            first = first.head  # "began as ... but escalated after ...": the subject of "began"
        wars = [war for war in wars_of(first) if war.i != trigger.i and war.lemma_.lower() in classes["war_word"]]
        if wars and told_as_history(first, wars, published, res):
            return True
    return False


def wars_of(verb: Token) -> list[Token]:
    """What a verb of a war's course may be told of: its subject (active or passive), or
    the noun its relative clause hangs on and the noun above that one ("the war in
    Syria, which began": the model hangs the clause on "Syria"), and what it went "into"
    ("descended into civil war")."""
    subject = child(verb, "nsubj", "nsubjpass")
    nouns = []
    if verb.dep_ == "relcl" and (subject is None or subject.lower_ in ("which", "that")):
        noun = verb.head
        nouns += [noun] + ([noun.head.head] if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else [])
    elif subject is not None:
        nouns.append(subject)
    into = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "into"), None)
    return nouns + ([child(into, "pobj")] if into is not None and child(into, "pobj") is not None else [])


def told_as_history(verb: Token, wars: list[Token], published: dt.date, res: ExtractionResources) -> bool:
    """Whether a war's beginning is told as its history: with a year before the year of
    publication ("broke out in spring 2009"), or, with no date at all, in a relative
    clause ("the war, which began with ..."), as what it began as ("began as a wave of
    sit-ins") or of a war named by its country ("the Freedonian conflict began when ...";
    not "the conflict erupted when the army attacked": this news)."""
    years = [int(t.text) for t in verb.subtree if t.like_num and looks_like_year(t.text)]
    if any(year < published.year for year in years):
        return True
    if any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree):
        return False  # "which began last week", "on February 3", "in January 2015"
    return verb.dep_ == "relcl" or any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children) \
        or any(named_war(war, res) for war in wars)


def named_war(war: Token, res: ExtractionResources) -> bool:
    """A war named by its country: "Syria's conflict", "the Syrian uprising", "the war in
    Syria"."""
    return any(c.dep_ == "poss" or (c.dep_ in ("amod", "compound") and (
        c.lower_ in res.demonyms or c.ent_type_ in ("GPE", "NORP"))) for c in war.children) or any(
        c.dep_ == "prep" and c.lower_ == "in" and any(o.ent_type_ == "GPE" for o in c.children) for c in war.children)


# Fewer counted weapons than this are one incident's ("around 50 crude bombs were set
# off"); "dropped 20,000 bombs on Yemen in 2016" is a tally.
ONE_INCIDENT_WEAPONS = 100
RECENT_DAYS = set(WEEKDAYS) | {"yesterday", "today", "tonight", "overnight"}
# Spans of a campaign: "since last month", "for two years" (not "since dawn", "for days").
LONG_SPANS = {"month", "months", "year", "years", "decade", "decades"}
# With the parts of a day, what a span of time may name ("since dawn").
TIME_NOUNS = SPAN_NOUNS | {"dawn", "dusk", "morning", "night"}


def recalled_since(trigger: Token) -> bool:
    """A wave of events told only to say since when a state has lasted: a bare plural
    below a "since" that opens a span of years or hangs on a perfect ("locked in a civil
    war since 2011, when the regime cracked down on protests", "have been killed since
    the war began with protests"). Not a reason ("fired tear gas since protests turned
    violent"), nor a plural named with its number, nor one past event told there ("since
    the 2015 massacre, when gunmen killed 70 villagers" is a verb, dated 2015)."""
    if trigger.tag_ != "NNS" or child(trigger, "nummod") is not None:
        return False
    for ancestor in trigger.ancestors:
        since = ancestor if ancestor.lower_ == "since" and ancestor.dep_ == "prep" else next(
            (c for c in ancestor.children if c.dep_ == "mark" and c.lower_ == "since"), None)
        if since is None:
            continue
        clause = since.head if since.dep_ == "prep" else since.head.head
        span = list(since.subtree if since.dep_ == "prep" else since.head.subtree)
        if any(t.lower_ in RECENT_DAYS for t in span):
            return False  # "since clashes erupted on Friday": days ago, this article's news
        years = any(t.like_num and looks_like_year(t.text) for t in span)
        perfect = any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() == "have" for c in clause.children)
        return years or perfect
    return False


def is_generic(trigger: Token, res: ExtractionResources) -> bool:
    """A plural event noun that stands for many events, not one: a trend ("attacks have
    become more frequent", "intensified its attacks", "amid rising attacks") or a tally
    ("carried out 17 attacks in March", "more than 70 terrorist attacks")."""
    if trigger.tag_ != "NNS":
        return False
    number = child(trigger, "nummod")
    if number is not None:
        amount = parse_amount(number.text, res.quantities)
        if amount is not None and trigger.lemma_.lower() in res.word_classes["weapon"] and amount < ONE_INCIDENT_WEAPONS:
            return False  # "four bombs went off": one incident's weapons, counted
        return amount is None or amount > 1
    if any(c.dep_ == "amod" and c.lower_ in res.word_classes["trend_modifier"] for c in trigger.children):
        return True
    verb = governing_verb(trigger) or trigger.head
    if verb.lemma_.lower() in res.word_classes["trend_verb"]:
        return True
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "to" and trigger.head.head.lemma_.lower() in res.word_classes["trend_verb"]:
        return True  # "calls for an end to the air strikes"
    if trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in res.word_classes["trend_verb"]:
        return True  # "to stop attacks on civilians", where the model hangs the noun on "stop"
    if any(c.dep_ in ("det", "poss") for c in trigger.children):
        return False
    # The simple present ("militants launch attacks"), or a perfect over a span ("have
    # traded accusations for years"); a bare perfect ("protests have broken out") tells
    # of one event.
    durative = any(c.dep_ == "prep" and c.lower_ in ("for", "since", "over", "throughout")
                   for c in (*verb.children, *trigger.children))
    tags = {verb.tag_} | {c.tag_ for c in verb.children if c.dep_ in ("aux", "auxpass")
                          and (durative or c.lemma_.lower() != "have")}
    return bool(tags & {"VBZ", "VBP"})


def is_habitual(trigger: Token, verb: Token | None, sentence_index: int,
                res: ExtractionResources) -> bool:
    """What happens again and again, not one event: a frequency adverb or phrase on the
    clause ("militants regularly fire rockets", "detained on a daily basis", "every
    week"), or an event verb in the simple present past the article's first sentence
    ("the regime bombs hospitals"; a headline's or lede's present tells of one event)."""
    markers = res.word_classes["habitual_marker"]
    clause = [t for t in (trigger, verb) if t is not None]
    for head in clause:
        for c in head.children:
            if c.dep_ in ("advmod", "npadvmod") and c.lower_ in markers:
                return True
            if c.dep_ == "prep":
                obj = child(c, "pobj")
                if obj is not None and (obj.lemma_.lower() == "basis" or (obj.lower_ != "other" and any(
                        d.lower_ in ("every", "each") for d in obj.children) and not place_like(obj, res))):
                    return True  # "on a daily basis", "after every Friday prayer"; not "fired at
                    # each other", nor "in every district headquarters" (one event a place)
                if obj is not None and c.lower_ in ("in", "over", "during") and trigger.tag_ != "NNS" \
                        and obj.tag_ == "NNS" and obj.lemma_.lower() in ("week", "month", "year") \
                        and any(d.lower_ == "recent" for d in obj.children) and not ranked(trigger.sent):
                    return True  # "the target of air bombardment in recent months" (plurals: a tally)
            if c.dep_ == "advmod" and c.lower_ == "more" and any(d.lower_ == "once" for d in c.subtree) \
                    and any(d.lower_ == "before" for d in (*c.subtree, *head.children)):
                return True  # "targeted more than once before"; not "attacked more than once on Monday"
            if says_as_usual(c) and not dated(trigger.sent):
                return True  # "as usual"; not "as usual, pelted stones ... on Friday"
            if c.dep_ == "npadvmod" and any(d.lower_ in ("every", "each") for d in c.children):
                return True
    if sentence_index > 0 and (used_for(trigger) or under_attack_still(trigger)):
        return True
    if any(in_the_past(c) for head in clause for c in clause_preps(head)) and not ranked(trigger.sent):
        # "have carried out similar attacks in the past", also where the model hangs it on
        # the verb's object ("have blamed each other for chlorine attacks in the past");
        # not "in the past week", nor "the deadliest attack in the past"
        return True
    main = verb if verb is not None else trigger
    simple_present = main.tag_ in ("VBZ", "VBP") and main.pos_ == "VERB" and not any(
        c.dep_ in ("aux", "auxpass") for c in main.children)
    if sentence_index > 0 and undated_perfect_on_many(trigger, main, res):
        return True
    return simple_present and sentence_index > 0 and main.i in (trigger.i,) + ((verb.i,) if verb else ())


def undated_perfect_on_many(trigger: Token, main: Token, res: ExtractionResources) -> bool:
    """A practice or a stance told in the perfect with a bare plural object and no day,
    number or particular act past the lede, on ground, a series of acts or a party taken
    sides on: "the regime has heavily bombarded areas in Aleppo province", "have all
    carried out air strikes against IS in Raqa", "Assad's regime and Russia have accused
    rebels of using toxic gas", "IS, which has seized large swathes of territory". Not
    an incident a short report tells so ("miscreants have torched shops and vehicles",
    "police have arrested suspects"), nor a perfect that tells of one act: of a particular one ("have
    blamed rebels for the attack"), one just reported ("have reportedly destroyed
    warehouses"), a counted or dated one ("have arrested five men", "on Monday"), a
    passive ("have been killed"), or an object with a determiner or a count ("has shelled
    the town", "have arrested few cadres")."""
    if main.i != trigger.i and trigger.head.i != main.i:
        return False
    if main.tag_ != "VBN" or any(c.dep_ == "auxpass" for c in main.children) \
            or not any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in main.children):
        return False
    if any(c.dep_ == "advmod" and c.lower_ in NEWS_ADVERBS for c in main.children):
        return False
    obj = child(main, "dobj")
    if obj is None:
        obj = next((child(p, "pobj") for p in main.children if p.dep_ == "prep" and p.lower_ == "with"), None)
    if obj is None or obj.tag_ != "NNS" or any(c.dep_ in ("det", "nummod", "poss") for c in obj.children) \
            or any(t.lower_ in QUANTIFIERS for t in obj.doc[obj.left_edge.i:obj.i]):
        return False  # (counted: "have arrested few UDMF cadres", "have detained several men")
    # what a practice is told on: stretches of ground, a series of acts, a stance taken
    # against or for a party ("have torched shops and vehicles", "have arrested suspects",
    # "have clashed with police" tell of one incident, as short reports do)
    lemma = obj.lemma_.lower()
    if lemma not in GROUND_WORDS and main.lemma_.lower() not in STANCE_VERBS \
            and not in_word_classes(lemma, res.word_classes, ACT_NOUN_CLASSES):
        return False
    # a particular act the clause names ("for the attack", "of launching the chemical
    # attacks"), not a place or a party ("areas in the province", "against the militants")
    if any(t.lower_ in ("the", "this", "these", "that") and t.head.i != obj.i and t.head.i > main.i
           and in_word_classes(t.head.lemma_.lower(), res.word_classes, PARTICULAR_ACT_CLASSES)
           for t in main.subtree):
        return False
    return not any(t.ent_type_ in ("DATE", "TIME", "CARDINAL") for t in trigger.sent)


# Ground a practice is told over ("areas in Aleppo province", "swathes of territory"), and
# verbs of a stance held over time ("have accused rebels of using gas", "has backed
# opposition groups").
GROUND_WORDS = frozenset({"area", "part", "swath", "swathe", "territory", "region"})
STANCE_VERBS = frozenset({"accuse", "back", "support", "arm", "fund", "finance", "equip", "train"})
# Nouns of an act a perfect may name in particular ("blamed rebels for the attack").
PARTICULAR_ACT_CLASSES = (*ACT_NOUN_CLASSES, "blast_noun", "fight_noun")
# Words that count a plural ("several men", "dozens of fighters" is a nummod's).
QUANTIFIERS = frozenset({"few", "several", "many", "some", "numerous", "dozens", "hundreds", "scores", "more"})
# Adverbs that make a perfect a piece of news ("have reportedly destroyed", "has just
# seized", "have recently retaken").
NEWS_ADVERBS = frozenset({"reportedly", "just", "recently", "now", "finally", "already", "today"})


def in_the_past(prep: Token) -> bool:
    """"in the past" on its own (background, again and again); not "in the past week"."""
    obj = child(prep, "pobj") if prep.dep_ == "prep" and prep.lower_ == "in" else None
    return obj is not None and obj.lower_ == "past" and child(obj, "amod") is None and child(obj, "nummod") is None


# Dependencies through which a clause's own phrases hang below its verb: its object and
# a complement the model made of a name ("have been battling IS since 2014", "IS" read
# as a verb), never a clause with a subject of its own.
CLAUSE_PHRASE_DEPS = frozenset({"dobj", "ccomp", "xcomp", "pobj", "prep"})


def clause_preps(head: Token, depth: int = 3) -> list[Token]:
    """The prepositions of a clause: on its verb, or on its object or a bare complement,
    where the model often hangs them ("blamed each other for attacks in the past"); not
    inside a clause with a subject of its own."""
    found, frontier = [], [head]
    for _ in range(depth):
        below = []
        for node in frontier:
            for c in node.children:
                if c.dep_ == "prep":
                    found.append(c)
                if c.dep_ in CLAUSE_PHRASE_DEPS and not any(d.dep_ in ("nsubj", "nsubjpass") for d in c.children):
                    below.append(c)
        frontier = below
    return found


def place_like(noun: Token, res: ExtractionResources) -> bool:
    """Whether a noun (or a noun modifying it) names a place or a site: "every district
    headquarters", "each town", "every school", "every road into the town"."""
    classes = res.word_classes
    places = classes["place_noun"] | classes["admin_noun"] | classes["institution_noun"] \
        | classes["settlement_noun"] | classes["town_venue"] | classes["held_ground"] | classes["military_target"]
    words = [noun, *(c for c in noun.children if c.dep_ == "compound")]
    return noun.ent_type_ in ("GPE", "LOC", "FAC") or any(t.lemma_.lower() in places for t in words)


def perfect_or_present(verb: Token) -> bool:
    """Whether a verb is in a present tense or the present perfect ("is used", "are
    being used", "has been used", "have been"), not the past ("used", "was used", "had
    been")."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return verb.tag_ in ("VBG", "VBN") and any(a.tag_ in ("VBZ", "VBP") for a in auxes) \
        and not any(a.tag_ == "VBD" for a in auxes)


def used_for(trigger: Token) -> bool:
    """A practice told by what a place or a thing is used for, in the passive of the
    present or the perfect, past the lede ("the old quarry has been used by
    insurgents to fire mortars", "the school is being used to carry out attacks"): no
    one event. Not the active ("rebels have used a drone to attack a base", "troops are
    using tanks to shell the town": news), nor the past ("was used to attack a convoy on
    Monday")."""
    act = trigger if trigger.pos_ == "VERB" else trigger.head if trigger.dep_ == "dobj" else None
    if act is None or act.dep_ not in ("xcomp", "advcl") or not any(
            c.dep_ == "aux" and c.tag_ == "TO" for c in act.children):
        return False
    use = act.head
    return use.lemma_.lower() == "use" and any(c.dep_ == "auxpass" for c in use.children) \
        and perfect_or_present(use)


# What a place or a party "has been under" for a while: a state, not an event.
UNDER_NOUNS = frozenset({"attack", "fire"})


def under_attack_still(trigger: Token) -> bool:
    """A state, not an event, past the lede: a place or a party that "has been under
    attack" or "under fire", with no date told ("the group has also been under attack in
    the neighbouring province"). "Came under attack", "is under attack by gunmen" (a
    live report) and "has been under fire since Monday" stay events."""
    prep = trigger.head
    if trigger.dep_ != "pobj" or prep.lower_ != "under" or trigger.lemma_.lower() not in UNDER_NOUNS:
        return False
    verb = prep.head
    perfect = verb.lemma_.lower() == "be" and verb.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_.lower() == "have" and c.tag_ in ("VBZ", "VBP") for c in verb.children)
    return perfect and not any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree)


SUPPORT_VERBS = frozenset({"back", "support", "aid", "assist", "help"})


def told_as_support(trigger: Token, event_type: str, res: ExtractionResources) -> bool:
    """Fire told as the support another party had ("army units backed by allied air
    strikes pushed the rebels out", "an alliance supported by coalition air strikes",
    "an offensive backed by air strikes"): the advance or the offensive is the event,
    the strikes no event of their own told here. Only fire from afar (``warfare_word``:
    air strikes, shelling); "workers backed by student protests" did strike."""
    warfare = res.word_classes["warfare_word"]
    agent = trigger.head
    return event_type == "ASSAULT" and trigger.dep_ == "pobj" and agent.dep_ == "agent" \
        and agent.head.lemma_.lower() in SUPPORT_VERBS and agent.head.tag_ == "VBN" \
        and any(t.lemma_.lower() in warfare or t.lower_ in warfare or t.lower_ == "air"
                for t in (trigger, *(c for c in trigger.children if c.dep_ in ("compound", "amod"))))


def says_as_usual(token: Token) -> bool:
    """Whether a child of the clause is "as usual", parsed either way round."""
    pair = {token.lower_} | {d.lower_ for d in token.children}
    return token.dep_ in ("prep", "advmod") and token.lower_ in ("as", "usual") and {"as", "usual"} <= pair


def ranked(sent) -> bool:
    """Whether a sentence ranks an event ("the deadliest bombing in recent months", "one
    of the largest protests in recent years"): a superlative, which a summary has not."""
    return any(t.tag_ in ("JJS", "RBS") and t.lower_ not in ("least", "most") for t in sent)


def dated(sent) -> bool:
    """Whether a sentence gives a day ("on Friday", "on 12 March")."""
    return any(t.ent_type_ == "DATE" and (t.lower_ in WEEKDAYS or t.like_num) for t in sent)


CAMPAIGN_START_VERBS = {"begin", "start"}
GOING_ON_VERBS = {"continue", "keep"}
# Events that, told in the present progressive, are a war or a stance going on, not news
# of one act ("is supporting Assad", "are fighting IS"); a protest or an arrest is.
GOING_ON_TYPES = frozenset({"ASSAULT", "SUPPORT"})
CROWD_MODES = frozenset({"riot", "mob", "riot-weapon", "brawl"})


def is_ongoing(trigger: Token, verb: Token | None, event_type: str, res: ExtractionResources,
               mode: str | None = None) -> bool:
    """A campaign or a war told as going on, not one event: a perfect progressive over a
    span ("has been shelling YPG positions since last month"), "continue(s) fighting" in
    the present, a campaign begun ("began carrying out strikes in Syria in 2015"), or a
    party named by what it does ("the US-led coalition battling IS"). A span of recent
    days ("has been shelling the town since Friday", "for the last 14 days") and a date
    on the clause keep the event, and a protest held day after day is an event of each
    day (ACLED codes "have been protesting for three days"), so protests are never
    ongoing here. An attack or a support told in the present progressive with no time
    of its own is one too (``told_going_on``), a crowd's riot never."""
    if event_type == "PROTEST":
        return False
    main = verb if verb is not None else trigger
    auxes = {c.lemma_.lower() for c in main.children if c.dep_ == "aux"}
    if main.tag_ == "VBG" and {"have", "be"} <= auxes:
        for c in clause_preps(main):
            if c.lower_ in ("since", "for") and reaches_back_months(list(c.subtree)):
                return True
    dated = any(t.ent_type_ == "DATE" for t in main.subtree)
    if event_type in GOING_ON_TYPES and mode not in CROWD_MODES and told_going_on(main, res):
        return True
    head = main.head
    present = head.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in head.children)
    if main.dep_ in ("xcomp", "dobj") and head.lemma_.lower() in GOING_ON_VERBS and present and not dated:
        return True
    # "carrying out strikes"; not "began pelting stones"
    plural = trigger if trigger.tag_ == "NNS" else (
        child(main, "dobj") if main.lemma_.lower() in res.word_classes["light_verb"] | {"carry"} else None)
    bare = plural is not None and not any(c.dep_ in ("det", "poss", "nummod") for c in plural.children)
    if bare and plural.tag_ == "NNS" and main.dep_ == "xcomp" and head.lemma_.lower() in CAMPAIGN_START_VERBS:
        return True  # "began carrying out strikes in Syria in September 2015"; not "began shelling the town"
    return trigger.dep_ == "acl" and trigger.tag_ == "VBG" and trigger.head.pos_ in ("NOUN", "PROPN") \
        and trigger.lemma_.lower() in WAGING_VERBS and not dated


# Prepositions of a span told with a present progressive ("since dawn", "for two days"),
# which keeps the event (a perfect progressive's span of months was read before);
# "fighting for control of Aleppo" tells no span.
TIME_SPAN_PREPOSITIONS = frozenset({"since", "for"})


def told_going_on(main: Token, res: ExtractionResources) -> bool:
    """An attack or a support told in the present progressive or the present perfect
    progressive with no time of its own: "warplanes are carrying out air strikes over
    Aleppo", "regime forces have been fighting back against Daesh", "Iran is supporting
    Assad": a war or a stance going on (past the lede only: ``frames.is_habit_or_campaign``).
    Not a past progressive ("rebels were fighting troops when"), not a live report (a
    sentence with a reporting verb or "according to": "residents said troops are
    shelling the east", "troops are shelling the town, according to a UN spokesman"),
    not coverage of a protest (a protest word in the sentence: "security forces are
    shooting at the protesters"), nor one with a date, a time ("this morning") or a span
    of time ("since dawn")."""
    if main.tag_ != "VBG" or not any(c.dep_ == "aux" and c.lemma_.lower() == "be" for c in main.children) \
            or not any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in main.children):
        return False
    if any(t.ent_type_ in ("DATE", "TIME") for t in main.subtree):
        return False
    if any(c.dep_ == "prep" and c.lower_ in TIME_SPAN_PREPOSITIONS and any(
            t.ent_type_ in ("DATE", "TIME") or t.lemma_.lower() in TIME_NOUNS for t in c.subtree)
           for c in main.children):
        return False
    classes = res.word_classes
    sent = main.sent
    if any(t.lemma_.lower() in classes["reporting_verb"] and t.pos_ == "VERB" for t in sent) \
            or "according to" in sent.text.lower():
        return False
    return not any(t.lemma_.lower() in classes["protest_word"] for t in sent)



def reaches_back_months(span: list[Token]) -> bool:
    """"since last month", "for two years", "since 2014", "since February"; not "since
    dawn", "for the past week", "since February 2" (a day of its own), nor an age ("since
    a 26-year-old vendor set himself on fire")."""
    if any((t.lower_ in LONG_SPANS and not in_hyphenated_word(t)) or (t.like_num and looks_like_year(t.text))
           for t in span):
        return True
    months = [t for t in span if t.ent_type_ == "DATE" and t.lower_ in MONTHS]
    return bool(months) and not any(t.like_num for t in span)


def in_hyphenated_word(token: Token) -> bool:
    """"year" of "26-year-old": a singular part of a word joined by hyphens (an age, "a
    five-year plan"); "months-long" still spans months."""
    doc = token.doc
    if token.lower_.endswith("s"):
        return False
    return (token.i > 0 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_) or (
        token.i + 1 < len(doc) and doc[token.i + 1].text == "-" and not token.whitespace_)


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


def is_threat(trigger: Token, res: ExtractionResources) -> bool:
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
