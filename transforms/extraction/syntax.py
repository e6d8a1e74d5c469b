"""Parse-tree helpers: the phrases, heads, subjects and clauses of a spaCy parse that
the extraction rules walk. Pure spaCy, no Beam.

    child(killed, "dobj")          -> "civilians" in "Gunmen killed nine civilians"
    prep_object(attack, {"on"})    -> "base" in "an attack on a military base"
    phrase_text(forces)            -> "Iraqi security forces"
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from newsevents.transforms.extraction.parsing import was_parsed
from newsevents.transforms.extraction.resources import FORCE_SECTORS, ExtractionResources

PLACE_LABELS = {"GPE", "LOC", "FAC"}
# DATELINE: a page's date glued before a headline or a line (``mark_datelines``): no
# count, no party, no place (``DATE_LABELS``, the actors' and the toponyms' labels), and
# never the date of an event (``frames.event_date`` reads DATE and TIME only): the
# publication date gives it, or the headline's lead.
DATE_LABELS = ("DATE", "TIME", "DATELINE")
# Where a Doc keeps what the rules read of it again and again (``entities``, ``doc_text``,
# ``token_texts``)
ENTITIES_KEY = "newsevents.entities"
TEXT_KEY = "newsevents.text"
TOKEN_TEXTS_KEY = "newsevents.token_texts"


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, built once. spaCy builds every entity Span again at each access, in a
    pass over the whole article (``Span.ents`` too), and the rules ask a few dozen times
    an article (7% of their time on FA-KES under cProfile). The rules set entities only
    in ``mark_datelines``, before any asks, so the first answer holds."""
    found = doc.user_data.get(ENTITIES_KEY)
    if found is None:
        found = doc.user_data[ENTITIES_KEY] = doc.ents
    return found


def entities_in(span: Span) -> list[Span]:
    """``span.ents`` from ``entities``: the entities wholly inside the span."""
    found = []
    for ent in entities(span.doc):
        if ent.start_char >= span.start_char:
            if ent.end_char > span.end_char:
                break
            found.append(ent)
    return found


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once: spaCy joins every token's text at each access."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, read once: ``doc[i]`` makes a new Token object each time, and
    the passes over a whole article (names, countries) mostly look at the text alone to
    skip a token."""
    texts = doc.user_data.get(TOKEN_TEXTS_KEY)
    if texts is None:
        texts = doc.user_data[TOKEN_TEXTS_KEY] = [token.text for token in doc]
    return texts


def child(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def clause_anchors(trigger: Token, verb: Token | None) -> set[int]:
    """The token indexes a place, a date or a party attaches to an event through: its
    trigger and the verb it hangs from."""
    return {trigger.i} | ({verb.i} if verb is not None else set())


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
    """The verb a noun trigger hangs from ("held its meeting" -> held). Not the participle
    the parser hung the noun on when the noun is the verb's object in truth ("held a
    dharna demanding jobs", "dharna" a compound of "demanding": ``misparsed_object``):
    the verb above it."""
    return verb_above(token, 3, skipped=token.head.i if misparsed_object(token) else None)


def verb_above(token: Token, steps: int, skipped: int | None = None) -> Token | None:
    """The nearest verb among the ``steps`` heads above a token (not the one at
    ``skipped``); None at the root."""
    head = token
    for _ in range(steps):
        if head.head is head:
            return None
        head = head.head
        if head.pos_ in ("VERB", "AUX") and head.i != skipped:
            return head
    return None


def stopped_by_state(noun: Token, stopping_verbs: set[str] | frozenset[str], agent_kinds: dict[str, str]) -> bool:
    """Whether a noun is the object of a stopping verb whose subject is the state's
    forces ("police stopped the procession", "interrupted the protest"); ``agent_kinds``:
    an agent word's kind (``ExtractionResources.agent_kinds``)."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.lemma_.lower() not in stopping_verbs:
        return False
    subject = subject_of(verb)
    return subject is not None and agent_kinds.get(subject.lemma_.lower()) == "state"


def in_protest(trigger: Token) -> bool:
    """"... in protest against ...": the manner of another act, no protest named."""
    return trigger.lower_ == "protest" and trigger.dep_ == "pobj" and trigger.head.lower_ == "in" \
        and not any(c.dep_ == "det" for c in trigger.children)


def verb_done_in_protest(trigger: Token, acts: frozenset[str] | set[str] = frozenset()) -> Token | None:
    """The verb of what was done "in protest", though the parser hung the phrase on a noun
    before it ("blocked Mill Road in Kasur district in protest against ...": on
    "district") or on a participle of the object that is none of ``acts`` ("halted
    transportation of goods imported from China in protest against ...": the halting;
    but "cleared the roads blocked in protest": the blocking); None for another word, or
    no verb above."""
    if not in_protest(trigger):
        return None
    verb = verb_above(trigger.head, 6)
    while verb is not None and verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN") \
            and verb.lemma_.lower() not in acts:
        verb = verb_above(verb, 6)
    return verb


# Words that tell no one was hurt: "no one was injured", "nobody was hurt", "there were
# no casualties", "none were killed", "killed no one".
NO_ONE = {"no", "nobody", "none", "noone", "nothing"}


def denied(harm: Token) -> bool:
    """Whether a word of harm or of a fight is itself denied ("was not hurt", "no one was
    injured", "no clash", "killed no one")."""
    if any(c.dep_ == "neg" or (c.dep_ in ("det", "nsubj", "nsubjpass", "dobj") and none_of(c))
           for c in harm.children):
        return True
    subject = child(harm, "nsubjpass") or child(harm, "nsubj")
    if subject is not None and any(c.dep_ in ("det", "neg", "preconj") and c.lower_ in NO_ONE | {"not"}
                                   for c in subject.children):
        return True  # "no one was injured": "no" hangs from "one"
    if harm.dep_ == "pobj" and harm.head.lower_ == "of" and any(
            c.dep_ == "det" and c.lower_ == "no" for c in harm.head.head.children):
        return True  # "no reports of casualties"
    return any(a.lower_ == "without" for a in list(harm.ancestors)[:3])


def none_of(token: Token) -> bool:
    """"no one", "nobody", "none": a word, or a word with "no" before it, naming no one."""
    return token.lower_ in NO_ONE or any(c.dep_ == "det" and c.lower_ == "no" for c in token.children)


# Words that put a clash before the protest told beside it: "had previously clashed".
EARLIER_WORDS = {"previously", "earlier", "before", "already", "recently", "last"}


def told_as_before(token: Token, res: ExtractionResources) -> bool:
    """Whether a clash is told as what came before the protest, not as part of it: inside
    a relative clause or the reason given ("villagers who were arrested in a clash",
    "after Sikhs clashed with police", "against police action where Sikhs had clashed"),
    or with a word of earlier time ("had previously clashed", "the day before")."""
    for word in (token, *token.ancestors):
        if word.dep_ in ("relcl", "acl") or opens_reason(word, res):
            return True
        if word.pos_ in ("VERB", "AUX"):
            return any(t.lower_ in EARLIER_WORDS for t in word.subtree if t.dep_ in ("advmod", "npadvmod", "amod"))
    return False


# Words that open another incident than the one told before ("Separately, ...").
INCIDENT_SEPARATORS = frozenset({"separately", "separate", "elsewhere"})


def opens_other_incident(sent: Span, event_heads: frozenset[int]) -> bool:
    """Whether a sentence tells of another incident than the one before: "in a separate
    attack", "In another incident" (not "another" person: "another was wounded", "Another
    victim died"; nor "Meanwhile", which as often brings another source of the same toll)."""
    return any(t.lower_ in INCIDENT_SEPARATORS or (
        t.lower_ == "another" and t.dep_ == "det" and t.head.pos_ == "NOUN"
        and (t.head.i in event_heads or t.head.lemma_.lower() == "incident"))
        for t in sent)


def asked_for_by(token: Token, verbs: set[str] | frozenset[str]) -> bool:
    """Whether a word is inside what a verb of ``verbs`` asks for or alleges ("demanding
    police arrest the murderers", "demanded the arrest of the killers", "protesting the
    detention of their leader"), climbing the parse through complements and the phrases
    of nouns only: not across a clause joined to it or set beside it, nor a phrase of the
    verb itself ("protested until dispersed by police", "protested, and police dispersed
    them")."""
    while token.head is not token:
        if token.dep_ not in COMPLEMENT_DEPS or (token.dep_ == "prep" and token.head.pos_ not in ("NOUN", "PROPN")):
            return False
        token = token.head
        if token.lemma_.lower() in verbs:
            return True
    return False


# Dependencies through which a word stays inside what its head says or asks for.
COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "nsubj", "nsubjpass", "pobj", "prep", "amod", "compound",
                             "acl", "poss"})


def misparsed_object(noun: Token, light_verbs: frozenset[str] | set[str] = frozenset()) -> bool:
    """A noun hung as a compound on the participle right after it, where that participle
    was made the verb's object, or the noun keeps a determiner of its own (a compound has
    none: "a protest march"): in "held a dharna demanding jobs" the noun is the object
    and the participle tells more of it. Also, where ``light_verbs`` are given (callers
    pass them for a protest word), a plural hung as a compound on a light verb's object
    right after it: "conducted protests nation wide" held the protests ("protest" before
    a noun is singular: "a protest march"; plurals that do modify nouns, "arms dealer",
    "killings inquiry", are no protest words)."""
    head = noun.head
    if light_verbs and noun.dep_ == "compound" and noun.tag_ == "NNS" and head.i == noun.i + 1 \
            and head.dep_ == "dobj" and head.tag_ not in ("NNS", "NNPS") and head.head.lemma_.lower() in light_verbs:
        return True
    # "staged a week-long protest demanding withdrawal of ...": the participle made a modifier
    # of its own object, which took the verb's place as object.
    return noun.dep_ == "compound" and head.tag_ == "VBG" and head.i == noun.i + 1 and (
        head.dep_ == "dobj" or any(c.dep_ == "det" for c in noun.children)
        or (head.dep_ == "amod" and head.head.dep_ == "dobj" and head.head.i > head.i))


def dateline_word(token: Token) -> bool:
    """A place in capitals before an agency in brackets, a dateline the text runs on from
    ("MOSCOW (Sputnik) The YPG killed ..."), which the model may make the verb's subject."""
    doc = token.doc
    return token.is_upper and len(token) > 2 and token.ent_type_ in ("GPE", "LOC") \
        and token.i + 1 < len(doc) and doc[token.i + 1].text == "("


# Verbs whose object does what the infinitive after it tells ("forced the rebels to
# retreat", "ordered the residents to leave"): that object is the infinitive's subject.
OBJECT_CONTROL_VERBS = frozenset({"force", "compel", "oblige", "order", "push", "urge", "ask", "persuade",
                                  "pressure", "pressurize", "prompt", "allow", "permit", "enable", "instruct",
                                  "command", "tell", "invite", "encourage", "require"})


def can_be_made_to_act(noun: Token) -> bool:
    """Whether an object-control verb's object can do what the infinitive after it tells:
    a name, a pronoun, people or a group in the plural ("forced the rebels to retreat"),
    a body named by its nationality or name ("urged the Syrian army to ..."), or a definite
    one right before the infinitive ("forced the army to pull back"); not a thing the
    parser hung a purpose clause on ("ordered an offensive on Monday to retake the town":
    the offensive retakes nothing)."""
    if noun.pos_ in ("PROPN", "PRON") or noun.tag_ in ("NNS", "NNPS") or noun.ent_type_ in AGENT_ENTITY_LABELS:
        return True
    if any(c.dep_ in ("amod", "compound", "poss") and (c.ent_type_ in AGENT_ENTITY_LABELS or c.pos_ == "PROPN")
           for c in noun.children):
        return True
    # a definite body right before its infinitive ("forced the army to pull back"), not a
    # purpose set apart from its noun ("an offensive on Monday to retake")
    infinitive = noun.doc[noun.right_edge.i + 1] if noun.right_edge.i + 1 < len(noun.doc) else None
    return infinitive is not None and infinitive.lower_ == "to" and infinitive.head.dep_ == "xcomp" \
        and any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)


AGENT_ENTITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def subject_of(verb: Token, sources: frozenset[str] | set[str] = frozenset()) -> Token | None:
    """A verb's subject, inherited from the verb it depends on when it has none; never
    from a verb among ``sources`` (reporting verbs): in "the Observatory said shelling
    hit Douma" the Observatory told of the shelling, it did not shell."""
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and not dateline_word(c)), None) \
            or subject_in_opening_phrase(verb)
        if subject is not None:
            return subject
        if child(verb, "nsubjpass") is not None:
            return None  # a passive's doer is its "by" phrase, never the clause above's subject
        if verb.dep_ in ("xcomp", "advcl", "conj", "ccomp", "pcomp") and verb.head is not verb:
            # An xcomp shares its subject ("the army reported killing 20 militants"), but
            # "say" takes none: one under it is a clause the model misparsed.
            if verb.head.lemma_.lower() in sources and (
                    verb.dep_ == "ccomp" or (verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "say")):
                return None
            made_to = child(verb.head, "dobj") if verb.dep_ == "xcomp" and verb.tag_ == "VB" \
                and verb.head.lemma_.lower() in OBJECT_CONTROL_VERBS else None
            if made_to is not None and can_be_made_to_act(made_to):
                return made_to  # "the army forced IS militants to withdraw": the militants withdrew
            verb = verb.head
        else:
            return None
    return None


def subject_in_opening_phrase(verb: Token) -> Token | None:
    """The subject the parser read into the phrase that opens the sentence, where no comma
    closes it ("On Tuesday rebels attacked ...", "Elsewhere in Syria rebels and government
    forces battled ...", "In Hama army units ... foiled an attack": "Tuesday rebels",
    "Syria rebels" and "Hama army units" made one noun): the plural noun after a proper
    noun there, when the sentence's main verb, in a tense, has no subject of its own."""
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VBD", "VBZ", "VBP") \
            or child(verb, "nsubj", "nsubjpass", "expl", "csubj") is not None:
        return None
    opening = verb.sent[0]
    prep = opening if opening.dep_ == "prep" else next(
        (c for c in opening.children if c.dep_ == "prep"), None) if opening.dep_ == "advmod" else None
    if prep is None or prep.head.i not in (verb.i, opening.i) or prep.i > opening.i + 1:
        return None
    noun = child(prep, "pobj")
    if noun is None or noun.pos_ != "NOUN" or noun.tag_ != "NNS" or noun.i > verb.i:
        return None
    name = next((c for c in noun.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < noun.i), None)
    if name is None or not all(t.dep_ == "compound" and t.pos_ == "NOUN" for t in noun.doc[name.i + 1:noun.i]):
        return None
    return noun


def stranded_position(verb: Token, position_verbs: set[str] | frozenset[str]) -> Token | None:
    """The participle of position the model read as a verb of its own, that took the
    subject of the verb right after its phrase: "terrorists positioned in Joubar fired
    rockets on al-Dokhanyeh" parsed as "terrorists positioned in Joubar" and "fired
    rockets ..." with no subject. The verb of position comes right before, joined to the
    same head or as the verb's own head, has a subject and no object of its own."""
    if child(verb, "nsubj", "nsubjpass", "expl", "csubj") is not None or verb.head is verb:
        return None
    if verb.dep_ == "conj":
        candidates = [verb.head]
    elif verb.dep_ in ("ccomp", "advcl", "xcomp"):
        candidates = [c for c in verb.head.children if c.dep_ == verb.dep_ and c.i < verb.i]
    else:
        return None
    own = {t.i for t in verb.subtree}
    for position in reversed(candidates):
        before = [t.i for t in position.subtree if t.i < verb.i and t.i not in own]
        if position.lemma_.lower() in position_verbs and position.pos_ == "VERB" \
                and child(position, "nsubj") is not None and child(position, "dobj") is None \
                and before and max(before) + 1 == verb.left_edge.i:
            return position
    return None


# Prepositions by which an alleging verb names the act it alleges ("accused X of
# shelling", "blamed X for the bombing", "charged X with killing").
ALLEGED_ACT_PREPOSITIONS = frozenset({"of", "for", "with"})


def accused_of(verb: Token, alleging: set[str]) -> Token | None:
    """Who an alleging verb says did the act a gerund tells: the forces of "accused
    Assad's forces of launching attacks and killing 1,300", the regime of "blamed the
    regime for bombing the hospital", the soldiers of "soldiers accused of killing a
    villager were detained", the model hanging the "of" phrase on the verb or on its
    object. Not a denial's object ("denied reports of shelling the town")."""
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head  # "of launching attacks and killing"
    if verb.dep_ != "pcomp" or verb.head.lower_ not in ALLEGED_ACT_PREPOSITIONS:
        return None
    holder = verb.head.head
    if accuses(holder, alleging) and holder.pos_ in ("VERB", "AUX"):
        if holder.dep_ == "acl" and holder.tag_ == "VBN":
            return holder.head  # "five soldiers accused of killing a villager"
        return child(holder, "dobj", "nsubjpass")  # "soldiers are accused of beating"
    if holder.dep_ == "dobj" and accuses(holder.head, alleging):
        return holder
    return None


def accuses(verb: Token, alleging: set[str]) -> bool:
    lemma = verb.lemma_.lower()
    return lemma in alleging and lemma not in DENYING_VERBS


# Alleging verbs whose object did not do what follows: "denied reports of shelling".
DENYING_VERBS = frozenset({"deny"})


def reduced_passive(verb: Token, harm_verbs: set[str]) -> bool:
    """A verb of harm in the past with a subject but no object, no auxiliary and no
    target: "Three civilians killed in rocket attack" (no killing is done without a
    victim, so the subject is the victim)."""
    obj = child(verb, "dobj")
    if obj is not None and not any(c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in harm_verbs
                                   for c in obj.children):
        return False  # but "Three killed, 12 others injured": the object is harmed too
    if any(c.dep_ == "conj" and child(c, "dobj") is not None for c in verb.children):
        return False  # "Gunmen kidnapped and killed a chief": the object is the last verb's
    return verb.tag_ == "VBD" and verb.lemma_.lower() in harm_verbs and verb.dep_ not in ("relcl", "acl") \
        and child(verb, "nsubj") is not None \
        and child(verb, "aux", "ccomp", "xcomp", "dative", "prt") is None \
        and prep_object(verb, {"at", "on", "against", "upon", "into"}) is None


def object_head(trigger: Token) -> Token | None:
    obj = child(trigger, "dobj")
    if obj is not None and obj.lower_ == "control":
        obj = prep_object(obj, {"of"}) or obj
    if obj is None:
        obj = prep_object(trigger, {"of"})  # "took control of the town"
    return obj


def killed_people(verb: Token, res: ExtractionResources) -> Token | None:
    """The fighters a verb of ``killing_euphemism`` kills, as state media write it: its
    object, or its passive subject, when that names armed people in the plural
    ("destroyed over 60 ISIL terrorists", "75 militants were eliminated": an agent noun
    of agents.csv that names one person of an armed sector), else None ("destroyed a
    hideout"; "destroyed a convoy": agents.csv's convoys are no people; "eliminated 300
    employees"; "destroying a chemical agent")."""
    obj = child(verb, "dobj") or child(verb, "nsubjpass")
    if obj is None or obj.tag_ != "NNS":
        return None
    lemma = obj.lemma_.lower()
    return obj if lemma in res.persons and res.agents.get(lemma) in ARMED_PEOPLE_SECTORS else None


# The sectors of people whom "destroyed" or "eliminated" kills: soldiers and fighters.
ARMED_PEOPLE_SECTORS = frozenset({"MIL", "REB"})


def modal_aux(verb: Token, res: ExtractionResources) -> bool:
    """Whether a verb is told with a modal or a future auxiliary: "could rise to 50",
    "might turn violent", "will march"."""
    modals = res.word_classes["hypothetical_modal"] | res.word_classes["future_modal"]
    return any(c.dep_ == "aux" and c.lower_ in modals for c in verb.children)


def own_subtree(head: Token) -> list[Token]:
    """A head's phrase without its conjuncts: "M23 rebels" of "M23 rebels and soldiers"."""
    cut = next((c.i for c in head.children if c.dep_ in ("cc", "conj") and c.i > head.i), None)
    return [t for t in head.subtree if cut is None or t.i < cut]


def act_told_by_preposition(head: Token) -> set[int]:
    """The tokens of a prepositional phrase on a noun that tells an act, a clause of its
    own ("Russian warplanes of carrying out the attack", "blamed the regime for bombing
    Douma"): no part of the noun's name."""
    return {t.i for c in head.children if c.dep_ == "prep" and child(c, "pcomp") is not None
            for t in c.subtree}


def phrase_text(head: Token) -> str:
    """The noun phrase around a head, short enough to read: "Iraqi security forces"."""
    whole = own_subtree(head)
    acts = act_told_by_preposition(head)
    subtree = [t for t in whole if t.i not in acts]
    if len(whole) <= 8:
        start, end = subtree[0].i, subtree[-1].i + 1
    else:
        start, end = head.left_edge.i, head.i + 1
    while start < head.i and head.doc[start].ent_type_ in DATE_LABELS:
        start += 1  # not a date the model hung in front: "10 July 2015 Three civilians"
    start = max(start, phrase_start(head) or start)
    span = head.doc[start:end]
    return " ".join(span.text.split()).strip(" ,.;:\"“”'-")


# doc.user_data key of the token indexes of a headline's credit and the page's date after
# it ("Monitor AFP Saturday 10 Sep 2016": ``article.page_furniture``), no party's words.
PAGE_FURNITURE = "newsevents_page_furniture"


def phrase_start(head: Token) -> int | None:
    """Where a noun phrase may begin once the page furniture a scraped text glues to a
    sentence is cut off: a date that opens it, after "Published" and the like if any
    (``mark_datelines``: "Thu Feb 26 2015 ISIL terrorists", "Published Mar 2 2024
    Gunmen", "10 July 2015 Three civilians") or a web page's list of tags ("Tags
    Syria Aleppo regime forces repelled ...": the phrase is "regime forces"). None when
    the head is itself a date or a name of the list ("Tags Syria Waer killed"), or a word
    of a headline's credit (``PAGE_FURNITURE``): the phrase names no one
    (``actors.describe_actor`` keeps a party the lexicons know)."""
    doc = head.doc
    first = head.left_edge.i
    texts = token_texts(doc)
    tags = next((i for i in range(first, head.i + 1) if texts[i].rstrip(":") == "Tags"), None)
    if tags is not None:
        if tags == head.i:
            return None
        start = head.i
        while start - 1 > tags and (not texts[start - 1][:1].isupper()
                                    or doc[start - 1].dep_ in ("det", "nummod")):
            start -= 1
            if doc[start].dep_ in ("det", "nummod"):
                break  # "... Islamic State A suicide bomber": the phrase's own first word
        if start == head.i and head.pos_ == "PROPN" and head.tag_ != "NNPS":
            return None  # a name of the list (a plural one, "Jets", "Rebels", opens the sentence)
        return start
    furniture = doc.user_data.get(PAGE_FURNITURE, ())
    if head.i in furniture:
        return None  # "19 Monitor AFP": a headline's credit
    start = after_page_date(doc, first, head.i + 1)
    # (after a headline's credit and the page's date: "Syria's Idlib Monitor AFP Saturday 10
    # Sep 2016 Sixteen civilians" is "Sixteen civilians")
    start = max([start] + [i + 1 for i in furniture if first <= i < head.i])
    return start if start <= head.i else None


def after_page_date(doc: Doc, start: int, end: int) -> int:
    """The index after the date that opens ``doc[start:end]``, with the words a page sets
    before it ("Published", "Date of publication"): a date entity, as the model tagged it
    or as ``mark_datelines`` did. ``start`` when no date opens it."""
    texts = token_texts(doc)
    i = start
    while i < end and texts[i].lower() in DATELINE_LEADS:
        i += 1
    if i >= end or doc[i].ent_type_ not in DATE_LABELS:
        return start
    while i < end and doc[i].ent_type_ in DATE_LABELS:
        i += 1
    return i


# Nouns of a span of time a toll or a war is told over ("in recent days", "for two
# days", "over the weekend").
SPAN_NOUNS = frozenset({"hour", "day", "week", "weekend", "month", "year"})
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")
MONTH_WORDS = frozenset(MONTH_NAMES) | {m[:3] for m in MONTH_NAMES} | {"sept"}
WEEKDAY_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                           "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"})
NUMERIC_DATE = re.compile(r"(\d{1,2}[-./]\d{1,2}[-./](\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?!\d)")
YEAR = re.compile(r"^(19|20)\d\d$")
DATE_WORD_PREFIXES = frozenset(word[:3] for word in MONTH_WORDS | WEEKDAY_WORDS)
MAX_DATELINE_TOKENS = 8  # "Wed" split in two, a day, a month and a year; "13-12-2014" is five


def could_open_a_date(text: str) -> bool:
    """Whether a word may begin a dateline: a number, or a capitalized day or month."""
    return text[:1].isdigit() or (text[:1].isupper() and (text[:3].lower() in DATE_WORD_PREFIXES or text == "We"))


def dateline_length(tokens: Span) -> int:
    """How many tokens at the start of a span spell a date written as a dateline ("Thu
    Feb 26 2015", "Sat Jul 26 2014", "13-12-2014", "2014-12-13", "22 August 2016"): a day
    of the week, then days, months and a year in any order, or one numeric date. 0 when
    none does, or when it gives neither a year nor a month's day ("Monday 57 civilians"
    keeps its count, "May protesters marched" its word). Where a text may have one is
    ``mark_datelines``'s to say: "March 25 rebels shelled the town" opens with a date
    too."""
    if not len(tokens) or not could_open_a_date(token_texts(tokens.doc)[tokens.start]):
        return 0
    tokens = tokens[:MAX_DATELINE_TOKENS]
    words = [text.rstrip(".,") for text in token_texts(tokens.doc)[tokens.start:tokens.end]]

    def month(i: int) -> bool:
        return 0 <= i < len(words) and words[i][:1].isupper() and words[i].lower() in MONTH_WORDS

    i = 1 if words and words[0][:1].isupper() and words[0].lower() in WEEKDAY_WORDS else 0
    if len(words) > 1 and words[0] == "We" and words[1] == "d" and not tokens[0].whitespace_:
        i = 2  # "Wed", which the tokenizer splits as it splits "we'd"
    if i < len(words):
        numeric = NUMERIC_DATE.match(doc_text(tokens.doc), tokens[i].idx)
        if numeric is not None:
            # "13-12-2014" may be one token or five
            return next((j for j in range(i, len(words)) if tokens[j].idx >= numeric.end()), len(words))
    parts, start = set(), i
    while i < len(words):
        if month(i):
            parts.add("month")
        elif YEAR.match(words[i]):
            parts.add("year")
        elif words[i].isdigit() and 1 <= int(words[i]) <= 31 and (month(i - 1) or month(i + 1)):
            parts.add("day")
        else:
            break
        i += 1
    return i if "year" in parts or {"month", "day"} <= parts else 0


# Words a web page may set before a dateline: "Published September 21 2016 Five medics
# ...", "Date of publication 4 April 2017 At least ...", "Posted on April 2 2017 by ...".
DATELINE_LEADS = frozenset({"published", "updated", "posted", "date", "of", "publication", "last"})
DATELINE_LEAD_ON = frozenset({"posted", "published", "updated"})  # "Posted on April 2 2017"
MAX_DATELINE_LEADS = 4


def mark_datelines(doc: Doc) -> None:
    """Tag as a DATELINE entity a page's dateline, where the model did not tag it whole
    as a date: a date (``dateline_length``, after "Published", "Updated", "Posted on",
    "Date of publication" ...) that opens the text or a line, or opens a sentence and
    runs into a capitalized word or a number (a scraped page glues "Mon Dec 5 2016" or
    "30-11-2014" to its title-case headline, and the model reads "5" or "2014" as the
    count of the dead, "Thu Feb 26 2015" as a person). Not a sentence's own date ("On 4
    March gunmen killed ...", "March 25 rebels shelled ..."), and not a dateline the
    model tags whole, which stays a DATE and dates its sentence as it did. The one place
    the rules set entities: call it before anything reads them (``entities`` keeps its
    first answer)."""
    texts = token_texts(doc)
    found = []
    for sent in doc.sents:
        opening = sent.start
        while opening < sent.end and texts[opening].isspace():
            opening += 1
        lead = opening
        while lead < min(sent.end, opening + MAX_DATELINE_LEADS) and (
                texts[lead].lower() in DATELINE_LEADS
                or (texts[lead].lower() == "on" and lead > opening and texts[lead - 1].lower() in DATELINE_LEAD_ON)):
            lead += 1
        length = dateline_length(doc[lead:sent.end])
        if not length or all(t.ent_type_ in DATE_LABELS for t in doc[lead:lead + length]):
            continue
        after = texts[lead + length] if lead + length < sent.end else ""
        at_a_start = opening == 0 or "\n" in texts[opening - 1]
        if at_a_start or after[:1].isupper() or after[:1].isdigit():
            found.append(Span(doc, lead, lead + length, label="DATELINE"))
    if found:
        taken = {i for span in found for i in range(span.start, span.end)}
        kept = [ent for ent in doc.ents if not any(i in taken for i in range(ent.start, ent.end))]
        doc.ents = sorted(kept + found, key=lambda span: span.start)
        doc.user_data.pop(ENTITIES_KEY, None)


def entity_text(token: Token) -> str:
    """The whole named entity a token belongs to ("United" -> "The United States")."""
    for ent in entities(token.doc):
        if ent.start <= token.i < ent.end:
            return ent.text.strip()
    return token.text


def crowd_verb_hung_on_its_subject(token: Token, res: ExtractionResources) -> bool:
    """A verb of protest the model tagged a participle and hung on the noun before it,
    its subject, inside another clause ("nurses of the district hospital protested in
    Mardan against their posts not being made permanent": "protested" a modifier of
    "nurses", the subject of "made"): with no object, no agent and no auxiliary it is no
    passive but the sentence's own verb, and the clause it was hung in gives it no
    modality. It says where or against what ("protested in Mardan", "outside the
    office"): "..., a lawyers' group protested." says who said the clause before. Not a
    clause with a subject or a "that" of its own ("denied reports that farmers
    protested": the denial stands)."""
    head = token.head
    return token.dep_ == "acl" and token.tag_ in ("VBN", "VBD") and head.i < token.i \
        and head.pos_ in ("NOUN", "PROPN") \
        and token.lemma_.lower() in res.word_classes["crowd_verb"] \
        and any(c.dep_ == "prep" for c in token.children) \
        and not any(c.dep_ in ("aux", "auxpass", "agent", "dobj", "nsubj", "nsubjpass", "csubj", "mark")
                    for c in token.children)


def clause_chain(trigger: Token, res: ExtractionResources) -> tuple[list[Token], Token | None]:
    """The trigger and the heads above it up to (not into) a reporting verb, and that verb."""
    chain, token = [trigger], trigger
    while token.head is not token:
        if token.dep_ in ("relcl", "advcl") or crowd_verb_hung_on_its_subject(token, res):
            break  # a relative or adverbial clause carries its own modality
        token = token.head
        if token.lemma_.lower() in res.word_classes["reporting_verb"] and token.pos_ == "VERB":
            return chain, token
        chain.append(token)
        if len(chain) > 6:
            break
    return chain, None


def next_sentence_in_paragraph(sent: Span) -> Span | None:
    if sent.end >= len(sent.doc) or "\n" in sent.doc[sent.end - 1].text_with_ws:
        return None
    return sent.doc[sent.end].sent


def sentences_after_in_paragraph(sent: Span, count: int) -> list[Span]:
    """Up to ``count`` sentences after ``sent`` in its paragraph."""
    after = []
    while len(after) < count:
        sent = next_sentence_in_paragraph(sent)
        if sent is None:
            break
        after.append(sent)
    return after


def previous_sentence_in_paragraph(sent: Span) -> Span | None:
    if sent.start == 0:
        return None
    before = sent.doc[sent.start - 1]
    if "\n" in before.text:
        return None
    return before.sent


def opens_act_answered(token: Token, res: ExtractionResources) -> bool:
    """The preposition a reason noun opens ("in response to", "a response to", "in
    retaliation for", "in connection with"): what follows is the act answered."""
    return token.dep_ == "prep" and token.lower_ in ("with", "to", "for") \
        and token.head.lemma_.lower() in res.word_classes["reason_noun"]


def opens_reason(token: Token, res: ExtractionResources) -> bool:
    """Whether a token opens the reason given for an event: "after", "over", "against" ...
    as a preposition ("against the killing of a student") or as the conjunction of its
    clause ("after a girl was raped"), the preposition after a reason noun ("in
    connection with the killing", "in retaliation for the raid"), after a word of anger
    ("angered by the killing", "angry at the arrest") or "in protest of"."""
    reasons = res.word_classes["reason_prep"]
    if opens_act_answered(token, res):
        return True  # "in connection with the killing", "in retaliation for the raid"
    if token.dep_ in ("prep", "agent") and token.lower_ in ("by", "at") \
            and token.head.lemma_.lower() in res.word_classes["anger_word"]:
        return True  # "Angered by the killing of two traders, lawyers marched"
    head = token.head
    if token.dep_ == "prep" and token.lower_ == "of" and head.lemma_.lower() == "protest" \
            and head.dep_ == "pobj" and head.head.lower_ == "in" and child(head, "det") is None:
        return True  # "in protest of the detention of a student"; not "in a protest of 3,000 farmers"
    # "protested after a 9 year old was assaulted": the parser took the clause's subject
    # for the object of "after", and hung the clause, subjectless, beside it
    if token.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children) and any(
            c.dep_ == "prep" and c.lower_ in reasons and c.right_edge.i + 1 == token.left_edge.i
            for c in head.children):
        return True
    return (token.dep_ == "prep" and token.lower_ in reasons) or (
        token.pos_ in ("VERB", "AUX") and any(c.dep_ == "mark" and c.lower_ in reasons for c in token.children))


def reciprocal(trigger: Token, verb: Token | None) -> bool:
    """Whether both sides did it: "fired at each other", "targeted one another's
    positions", "firing between Indian and Pakistani troops" (two sides joined by "and").
    A clash, not one side's attack."""
    for head in {trigger, verb} - {None}:
        for token in head.subtree:
            if token.lower_ == "other" and token.i > 0 and token.doc[token.i - 1].lower_ == "each":
                return True
            if token.lower_ == "another" and token.i > 0 and token.doc[token.i - 1].lower_ == "one":
                return True
    between = next((c for c in trigger.children if c.dep_ == "prep" and c.lower_ == "between"), None)
    sides = [c for c in between.children if c.dep_ == "pobj"] if between is not None else []
    return any(t.dep_ == "conj" for side in sides for t in side.subtree)


def magnitude_field(token: Token, res: ExtractionResources) -> str | None:
    """The magnitude a word's number counts (``magnitudes.csv``, by lemma and part of
    speech): "killed" fatalities, "injuries" injured, "arrested" detained; else None."""
    lemma = token.lemma_.lower()
    return (res.magnitude_words.get((lemma, token.pos_))
            or res.magnitude_words.get((lemma, "*"))
            or res.magnitude_words.get((token.lower_, "*")))


# Participles between a nationality and what it owns: "a British-owned factory", "a
# Chinese-run mine", "a Korea-based firm".
OWNING_PARTICIPLES = frozenset({"own", "owned", "run", "base", "based", "operate", "operated"})


def foreign_presence_of(token: Token, classes: dict[str, set[str]]) -> Token | None:
    """The noun a word modifies when that noun is a foreign presence where the event
    happened (``foreign_presence``: "a Chinese company", "the Thai embassy", "a Japanese
    national", "a British-owned factory", "a South Korean firm", "the US embassy"), else
    None; callers ask it of a nationality or a country name."""
    noun = token.head
    if token.dep_ in ("amod", "compound") and noun.i != token.i and noun.dep_ in ("amod", "compound") \
            and noun.ent_type_ and noun.ent_type_ == token.ent_type_:
        token, noun = noun, noun.head  # "South Korean firm": "South" hangs on "Korean"
    if token.dep_ not in ("amod", "compound", "nmod", "poss", "npadvmod") or noun.i == token.i:
        return None
    if sponsor_of(token, noun):
        return noun.head  # "a US-led strike", "Russian-backed forces": led from abroad
    if noun.lemma_.lower() in OWNING_PARTICIPLES and noun.dep_ in ("amod", "acl", "compound"):
        noun = noun.head
    return noun if noun.lemma_.lower() in classes["foreign_presence"] else None


def named_as_a_seat(span: Span, seat_verbs: set[str] | frozenset[str]) -> bool:
    """Whether a name tells where a party is based or banned, not where the news is:
    joined by a hyphen to "based" ("a UK-based monitor", "Pakistan-based militants"),
    or after "in" (and "the") and the participle of one of ``seat_verbs`` on a party
    ("the Observatory, based in Britain", "which is based in the UK", "Daesh, a group
    banned in Russia"). In a parsed sentence the participle must hang on a noun: where
    it is the clause's verb, something was banned there ("public gatherings have been
    banned in Togo": the news is in Togo). In an unparsed one the words decide. (Troops
    "based in Somalia" that came under attack lose Somalia's weight too: for the
    attack's own place ``places.seat_of_a_party`` tells them apart.)"""
    doc, first, last = span.doc, span[0], span[-1]
    if last.i + 2 < len(doc) and doc[last.i + 1].text == "-" and doc[last.i + 2].lower_ == "based":
        return True
    before = first.i - 1
    if before >= 0 and doc[before].lower_ == "the":
        before -= 1  # "based in the UK": the model's name leaves "the" out
    if before < 1 or doc[before].lower_ != "in":
        return False
    participle = doc[before - 1]
    if not any(participle.lower_ in participles(verb) for verb in seat_verbs):
        return False
    return not was_parsed(doc, participle.i) or participle.dep_ in ("acl", "relcl", "amod")


def participles(verb: str) -> set[str]:
    """The past participles a regular verb may take: "base" -> "based", "ban" ->
    "banned", "outlaw" -> "outlawed"."""
    if verb.endswith("e"):
        return {verb + "d"}
    return {verb + "ed", verb + verb[-1] + "ed"}


# Participles joined to a country or nationality by a hyphen that make it a sponsor of
# what they modify, not where it is: "US-led", "Iranian-backed", "Saudi-funded".
SPONSORING_PARTICIPLES = frozenset({"led", "backed", "sponsored", "funded", "armed", "trained", "supported"})


def sponsor_of(token: Token, participle: Token) -> bool:
    """Whether a country or nationality is joined by a hyphen to a participle of leading
    or backing that modifies a noun: the "US" of "a US-led strike"; not a party at home
    ("the BNP-led alliance")."""
    doc = token.doc
    return token.ent_type_ in ("GPE", "NORP") and participle.lower_ in SPONSORING_PARTICIPLES \
        and participle.dep_ in ("amod", "acl", "compound") and participle.head.i != participle.i \
        and token.i + 1 < participle.i and doc[token.i + 1].text in ("-", "‑") and not token.whitespace_


# Prepositions whose object is the fight a harm happened in: "shot dead in a gun-battle",
# "killed during a clash between ...".
IN_FIGHT_PREPS = frozenset({"in", "during", "amid", "amidst"})


def fights_told_around(trigger: Token) -> list[Token]:
    """The nouns a harm is told as happening in ("shot dead in a gun-battle", "killed
    during a clash"): objects of "in", "during", "amid" on the trigger, on the word after
    it that may carry the phrase ("shot dead in ...": on "dead"), or on a verb joined to it
    by "and" ("was hacked to death and two others hurt during an altercation")."""
    words = [trigger] + [c for c in trigger.children if c.dep_ in ("acomp", "xcomp", "oprd", "advmod", "conj")]
    return [obj for word in words for prep in word.children
            if prep.dep_ == "prep" and prep.lower_ in IN_FIGHT_PREPS
            for obj in prep.children if obj.dep_ == "pobj"]


def fight_of_two_sides(trigger: Token, res: ExtractionResources) -> Token | None:
    """The fight of two sides a harm is told as happening in (``fight_noun``: "shot dead
    during a clash between two factions", "beaten to death ... during an altercation
    between two families", "killed in a clash with rival activists"), else None. Its
    sides: after "between", or a group after "with" (plural, a name, or a noun for a
    body: "a rival faction", "the army"), not one person ("in a clash with his
    neighbour")."""
    for fight in fights_told_around(trigger):
        if fight.lemma_.lower() not in res.word_classes["fight_noun"]:
            continue
        for prep in fight.children:
            if prep.dep_ != "prep":
                continue
            side = child(prep, "pobj")
            if prep.lower_ == "between" or (prep.lower_ == "with" and side is not None and (
                    side.tag_ in ("NNS", "NNPS") or side.ent_type_ in ("ORG", "NORP")
                    or (side.lemma_.lower() in res.agents and side.lemma_.lower() not in res.persons))):
                return fight
    return None


CARRYING_VERBS = frozenset({"carry", "transport", "ferry"})


def carried_by(head: Token, res: ExtractionResources) -> Token | None:
    """Who a vehicle was carrying, told by a participle after it ("a van carrying
    policemen", "the bus ferrying pilgrims"; ``carrier``), or the security forces a
    vehicle or a post belongs to ("a patrolling vehicle of the police", "a post of the
    border guards": an attack on them is one on the forces), else None."""
    lemma = head.lemma_.lower()
    if lemma in res.word_classes["carrier"]:
        for c in head.children:
            if c.dep_ == "acl" and c.tag_ == "VBG" and c.lemma_.lower() in CARRYING_VERBS:
                return child(c, "dobj")
    if lemma in res.word_classes["carrier"] | res.word_classes["military_target"]:
        owner = prep_object(head, {"of"})
        if owner is not None and res.agents.get(owner.lemma_.lower()) in FORCE_SECTORS \
                and owner.lemma_.lower() not in res.persons:  # not "a car of a retired army officer"
            return owner
    return None


# Words of what someone only tried, planned or failed to do.
AIM_CLASSES = ("planning_verb", "planning_noun", "hypothetical_noun", "attempt_verb")


def aimed_at(token: Token, res: ExtractionResources) -> bool:
    """Whether a harm word is only what someone tried, planned or failed to do ("an
    attempt to assassinate the governor", "tried to lynch a man"): no one was harmed.
    Not "claimed to have killed four", "was able to kill all three"."""
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children) \
            or any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in token.children):
        return False
    head = token.head.lemma_.lower()
    return any(head in res.word_classes[c] for c in AIM_CLASSES)
