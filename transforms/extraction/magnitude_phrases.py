"""Magnitudes in a parsed sentence: the number phrase that a kill / wound / displace /
detain word governs ("killing at least 11 soldiers" -> fatalities 11). The numbers
themselves are read by ``magnitudes.parse_amount``. Pure spaCy, no Beam.

    find_magnitudes(sent, res) -> [("fatalities", 11, 7), ("injured", 5, 12)]
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsevents.transforms.extraction.magnitudes import looks_like_year, parse_amount
from newsevents.transforms.extraction.resources import ExtractionResources
from newsevents.transforms.extraction.syntax import (
    DATE_LABELS, MONTH_WORDS, SPAN_NOUNS, WEEKDAY_WORDS, aimed_at, child, killed_people, magnitude_field, modal_aux,
    prep_object, reduced_passive)

# The counts whose victim the harm word's object or subject names, one person for each
# singular person noun of agents.csv or of the word class person_noun ("a truck helper
# was killed", "the headmaster died") and for a personal name the model tags otherwise.
VICTIM_FIELDS = ("fatalities", "injured")
# Entity types a proper noun that is killed or wounded cannot be: the model tags many
# South Asian names as organisations ("Ovi succumbed", "Ananta Bijoy Das was murdered").
NOT_PERSON_ENTS = {"GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "LANGUAGE"}
# Words that tell a part of a count, not more of it ("among them 15 children").
PART_WORDS = frozenset({"among", "including", "of", "them", "whom", "which"})
# Verbs whose subject is the one who died (the lemmas of the "die" trigger).
DYING_VERBS = ("die", "succumb")


def find_magnitudes(sent: Span, res: ExtractionResources) -> list[tuple[str, int, int]]:
    """(field, amount, token index) for each magnitude word in a sentence with a number."""
    found = []
    for token in sent:
        lives = None
        field = magnitude_field(token, res)
        if field is None:
            lives = lives_taken(token, res)
            if lives is None:
                continue
            field = "fatalities"
        if aimed_at(token, res) or no_death(token, res):
            continue
        number = number_before(token, res)
        before = [number] if number is not None else []
        candidates = [lives, *before] if lives is not None else [*before, *governed_counts(token, res)]
        # "to death" and "the deaths of ..." name whom the killing took, as "dead" does
        victims = field in VICTIM_FIELDS and (token.pos_ != "NOUN" or completes_harm(token) or harm_of(token))
        amount = stated_count(token, candidates, res, victims)
        if amount is not None:
            found.append((field, amount, token.i))
    return found


def another_sides_toll(first: Token, other: Token, res: ExtractionResources) -> bool:
    """Whether a second harm clause joined to the first by "and" tells the dead or hurt
    of the other side of one fight, to be added to its toll as ACLED counts an event's
    total: "At least 10 IS militants were killed in the fighting and 4 members of the GNA
    forces were killed", "21 government soldiers were killed and over 60 wounded and two
    MNDAA soldiers were killed", "two policemen and a civilian". Both clauses tell whom
    the harm took (a passive's subject, who died), and the two are of different sides: a
    different kind of people (``agents.csv`` sectors) or the same kind named for other
    parties ("Afghan soldiers" and "US soldiers"). Not a breakdown or a repeat ("30 people
    were injured and five were seriously injured", "30 people ... and 10 policemen", "12
    of the dead", "all four died"), not another incident ("in a separate attack", "the
    second blast", a place the first clause does not name, another day), and not clauses
    joined without "and": a headline glued to its lead, sentences run on without a stop.
    More dead of the same side ("were killed instantly and two soldiers died later") are
    not added: a bare count of one side may as well be a part of the other."""
    a, b = sorted((first, other), key=lambda t: t.i)
    if a.pos_ != "VERB" or b.pos_ != "VERB" or b not in a.conjuncts:
        return False
    link = b
    while link.i != a.i:
        if link.dep_ != "conj" or not joined_by_and(link.head, link):
            return False  # a headline glued to its lead, two sentences run on ("... kills five AFP ... killed five")
        link = link.head
    side_a, side_b = victims_side(a, res), victims_side(b, res)
    if side_a is None or side_b is None or side_a == side_b:
        return False
    own_b, own_a = own_clause_words(b), own_clause_words(a)
    if any(t.lower_ in ANOTHER_INCIDENT_WORDS for t in own_b):
        return False  # "and two civilians were killed in a separate attack"

    def days(tokens) -> set[str]:
        return {t.lower_ for t in tokens if t.ent_type_ in DATE_LABELS}

    def places(tokens) -> set[str]:
        # (a name where the clause is located: "in Idlib"; the model tags many villages
        # as persons; not a nationality of whom it took, "three US soldiers")
        return {t.lower_ for t in tokens if (t.ent_type_ in ("GPE", "LOC", "FAC") or t.pos_ == "PROPN")
                and located_at(t)}
    days_a, days_b = days(own_a), days(own_b)
    # (a day told once, at the end, is both clauses'; a place there may be the second's only:
    # "killed by a roadside bomb and five militants were killed in clashes in Helmand")
    return not (places(own_b) - places(own_a)) and not (days_a and days_b and days_a != days_b)


def located_at(token: Token) -> bool:
    """Whether a name is where a clause is located: the object of "in", "at" or "near",
    through the names and phrases it is part of ("in the village of Kafr Nabl")."""
    node = token
    while node.dep_ in ("compound", "pobj", "prep", "appos", "conj", "amod") and node.head.i != node.i:
        if node.dep_ == "pobj" and node.head.lower_ in ("in", "at", "near", "outside", "around"):
            return True
        node = node.head
    return False


# Words of a second incident in a clause joined to the first: "in a separate attack",
# "in the second blast", "killed earlier" (not "later died in hospital" nor "another two
# soldiers died": the same attack).
ANOTHER_INCIDENT_WORDS = frozenset({"separate", "second", "third", "earlier", "previous"})
# Words for victims of no side, a total that may hold the other count ("30 people were
# killed and 10 policemen were killed").
ANY_SIDE_VICTIMS = frozenset({"people", "person", "individual"})


def victims_side(verb: Token, res: ExtractionResources) -> tuple[str, frozenset[str]] | None:
    """The side of whom a harm verb took: its passive subject, or who died, as the kind
    of people it names (its ``agents.csv`` sector, or that of the group a number is "of":
    "4 members of the GNA forces") and the parties or nationalities that name them
    ("government soldiers", "MNDAA soldiers", "Afghan soldiers"). None for a bare number
    or a part of a count told before ("five", "two of them"), or a kind no lexicon
    knows ("12 of the dead")."""
    subject = child(verb, "nsubjpass") or (child(verb, "nsubj") if verb.lemma_.lower() in DYING_VERBS
                                          or reduced_passive(verb, res.word_classes["harm_verb"]) else None)
    if subject is None:
        return None
    words = [subject]
    of = prep_object(subject, {"of"})
    if of is not None:
        if of.pos_ == "PRON" or of.lower_ in ("those", "these"):
            return None  # "two of them", "five of those killed": a part of a count told before
        words.append(of)  # "4 members of the GNA forces" (and "12 of the dead": no kind known)
    if any(w.lemma_.lower() in ANY_SIDE_VICTIMS for w in words):
        return None  # "30 people": a total the other count may be part of
    sector = next((res.agents[w.lemma_.lower()] for w in reversed(words) if res.agents.get(w.lemma_.lower())), None)
    if sector is None:
        return None
    names = frozenset(c.lower_ for w in words for c in w.children if c.dep_ in ("compound", "amod", "nmod")
                      and (c.pos_ == "PROPN" or c.ent_type_ in ("NORP", "ORG", "GPE") or c.lemma_.lower() in res.agents))
    return sector, names


def joined_by_and(first: Token, conjunct: Token) -> bool:
    """Whether a conjunct is joined to the word before it in the coordination by "and"
    (not a run-on: "... in Aleppo city According to a source two people were killed")."""
    before = max([first] + [c for c in first.children if c.dep_ == "conj" and c.i < conjunct.i], key=lambda t: t.i)
    return any(t.dep_ == "cc" and t.lower_ == "and" and t.head.i in (first.i, conjunct.i)
               for t in first.doc[before.i + 1:conjunct.i])


def own_clause_words(verb: Token) -> list[Token]:
    """The words of a verb's clause without those of the clauses joined to it."""
    joined = {t.i for c in verb.conjuncts if c.head.i == verb.i for t in c.subtree}
    return [t for t in verb.subtree if t.i not in joined]


def told_as_more(token: Token, res: ExtractionResources, other_counts: bool) -> bool:
    """Whether a harm word's count adds to a toll told before rather than repeating it:
    "also" or "too" on the harm word or on the verb it completes ("A militant was also
    killed in the encounter", "was also shot dead"), or victims told as more ("Another
    victim died the following day", "two more bodies were found"); "others" only where
    the sentence states no other count ("doctors declared three others dead", not "Two
    were killed and five others injured", nor "As well as the 10 killed on the bus, 21
    others died", a breakdown). Not "also" on a verb of saying ("the Observatory also
    reported ten dead")."""
    heads = [token] + ([token.head] if token.dep_ in ("oprd", "acomp", "pobj") else [])
    if token.dep_ == "pobj" and token.head.lower_ == "to":
        heads.append(token.head.head)  # "was also hacked to death"
    if any(c.dep_ == "advmod" and c.lower_ in ("also", "too") for head in heads for c in head.children):
        return True
    adding = {"another", "more"} | (set() if other_counts else {"other", "others"})
    victims = [token.doc[token.i - 1]] if token.i > token.sent.start else []
    victims += governed_counts(token, res)
    return any(v.lower_ in adding or any(m.lower_ in adding and m.dep_ in ("det", "amod", "advmod")
                                         for m in v.children) for v in victims)


def no_death(token: Token, res: ExtractionResources) -> bool:
    """Whether "die" or "succumb" tells of no one's death here: "the unrest died down",
    "the movement died out", "the mayor succumbed to pressure" (only wounds, injuries and
    burns kill). A past perfect still counts: reported speech puts "three people had
    died since being brought from Syria" in it."""
    lemma = token.lemma_.lower()
    if lemma not in DYING_VERBS:
        return False
    if child(token, "prt") is not None:
        return True
    if lemma == "succumb":
        # The model may read "to" as an infinitive marker: "succumbed to bullet injuries".
        cause = prep_object(token, {"to"}) or child(token, "dobj")
        return cause is None or cause.lemma_.lower() not in res.word_classes["wound_noun"]
    return False


def stated_count(token: Token, candidates: list[Token], res: ExtractionResources, victims: bool) -> int | None:
    """The count of the first candidate phrase that states one. Where the phrase names
    whom a killing or wounding took (``victims``), any singular person in it counts one
    ("a truck driver and his helper": two), but a number stated elsewhere comes first:
    "A gun battle ensued and 4 militants were killed" is 4, not one battle."""
    if not victims:
        return next((a for c in candidates if (a := number_in(c, res)) is not None), None)
    # Not the noun a participle or infinitive hangs on ("an attempt to kill"), nor the
    # subject of an active verb ("the coalition has killed key ministers"), who harmed.
    dying = token.lemma_.lower() in DYING_VERBS or loses_life(token, res) \
        or reduced_passive(token, res.word_classes["harm_verb"])
    # (A past participle with no object of its own tells what befell its noun: "1 Soldier
    # and 1 militant killed".)
    harmed = [c for c in candidates if not (c.i == token.head.i and token.dep_ in ("acl", "amod", "relcl")
                                            and not (token.tag_ == "VBN" and child(token, "dobj") is None))
              and not (c.dep_ == "nsubj" and c.head.i == token.i and not dying)]
    for candidate in candidates:
        amount = number_in(candidate, res)
        if amount is not None:
            if candidate not in harmed:
                return amount
            wider = number_in(candidate, res, anyone=True)
            return max(amount, wider or 0) + also_harmed(candidate, token, harmed, res)
    if any(c.tag_ in ("NNS", "NNPS") for c in harmed):
        return None  # "the proximity of the station ... many people were killed": people, not one
    for candidate in harmed:
        amount = number_in(candidate, res, anyone=True)
        if amount is not None:
            return amount + also_harmed(candidate, token, harmed, res)
    return None


def also_harmed(victim: Token, token: Token, harmed: list[Token], res: ExtractionResources) -> int:
    """Those harmed with the victim phrase whom the model did not coordinate with it: a
    second subject of the same verb ("1 FC personnel, and 4 militants were killed"), and
    whoever died "along with" or "together with" the victim ("was killed along with six
    other militants", "Dr Fayyaz along with his driver were shot dead")."""
    extra = 0
    doc = victim.doc
    for other in harmed:
        # A stated number each ("An alleged terrorist identified as Arif was killed" reads
        # "Arif" as a second subject), joined by a comma or "and", not as a part of the
        # first ("12 people, among them 5 children", "two of them children"), and not the
        # same count of the same noun again: a headline run into the lede ("15 civilians in
        # Aleppo Monitor AFP At least 15 civilians were killed").
        # A phrase right after "and" needs no number of its own: "the driver and his
        # helper were killed" where the model made both subjects of the verb.
        between = doc[victim.i + 1:other.i]
        if other.i > victim.i and other.dep_ == victim.dep_ and other.head.i == victim.head.i \
                and other not in victim.conjuncts \
                and (other.like_num or child(other, "nummod") is not None or after_and(other) is not None) \
                and any(t.lower_ in (",", "and") for t in between) \
                and not any(t.lower_ in PART_WORDS for t in [*between, *other.subtree]):
            amount = number_in(other, res, anyone=True) or 0
            if not (other.lemma_ == victim.lemma_ and amount == number_in(victim, res, anyone=True)):
                extra += amount
    extra += harmed_before(victim, token, res)
    for head in (victim, token):
        companions = accompanying(head)
        # (not the subject of another verb the model hung there: "66 journalists killed
        # along with 119 were kidnapped"; "Dr Fayyaz along with his driver were shot dead"
        # is the victims')
        if companions is not None and not another_verbs_subject(companions, token):
            extra += number_in(companions, res, anyone=True) or 0
    return extra


def another_verbs_subject(phrase: Token, token: Token) -> bool:
    """Whether a phrase is followed by a verb (or its auxiliary) of a clause other than
    the harm word's own: "along with 119 were kidnapped"."""
    after = phrase.right_edge.i + 1
    if after >= phrase.sent.end or phrase.doc[after].pos_ not in ("AUX", "VERB"):
        return False
    verb = phrase.doc[after]
    verb = verb.head if verb.dep_ in ("aux", "auxpass") else verb
    return verb.i != token.i and verb not in token.ancestors


def after_and(phrase: Token) -> Token | None:
    """The "and" right before a noun phrase (a comma may precede it), if there is one."""
    at = phrase.left_edge.i - 1
    return phrase.doc[at] if at > phrase.sent.start and phrase.doc[at].lower_ == "and" else None


def harmed_before(victim: Token, token: Token, res: ExtractionResources) -> int:
    """How many victims are joined before the one whose count was read, that the model
    did not hang on it as its head: earlier conjuncts of a participle's noun ("1 Soldier
    and 1 militant killed": "killed" hangs on "militant"); an earlier subject of the same
    verb ("An Army major, and 5 TTP militants were killed"); the noun a harm verb is
    joined to as if it were a verb ("1 militant, and 2 women were killed": the model made
    "killed" a conjunct of "militant"). Each ends right before the "and" that opens the
    victim's phrase, with no harm word of its own in between ("100 people killed and 400
    wounded"). Only for a victim the harm word governs or hangs on, not one the model
    joined elsewhere ("7 civilians were killed including a child and 25 others were
    injured": "others" is read as joined to "a child")."""
    conjunction = after_and(victim)
    if conjunction is None or victim.like_num or victim.i not in (token.head.i, *(c.i for c in token.children)):
        return 0  # (a bare count is its own: "6 martyrs and 22 injured")
    doc = victim.doc
    end = conjunction.i - 1 if doc[conjunction.i - 1].text != "," else conjunction.i - 2
    earlier = [c for c in victim.conjuncts
               if c.i < victim.i and not any(magnitude_field(t, res) for t in doc[c.i:victim.i])]
    if earlier:
        return sum(own_number(c, res, anyone=True) or 0 for c in earlier)
    for first in token.children:
        if first.dep_ == victim.dep_ and first.i < victim.i and first not in victim.conjuncts \
                and first.pos_ in ("NOUN", "PROPN") and end in (t.i for t in first.subtree):
            return number_in(first, res, anyone=True) or 0
    first = token.head
    if token.dep_ == "conj" and first.pos_ in ("NOUN", "PROPN") and first.i <= end < victim.i \
            and first.i < token.i and not any(magnitude_field(t, res) for t in doc[first.i:end + 1]) \
            and end in (t.i for t in first.subtree):
        return number_in(first, res, anyone=True) or 0
    return 0


def accompanying(head: Token) -> Token | None:
    """The object of "along with" / "together with" on a word ("along" read as an adverb
    beside "with", or as a preposition or particle holding it)."""
    doc = head.doc
    for word in head.children:
        if word.dep_ == "prep" and word.lower_ == "with" and word.i > 0 \
                and doc[word.i - 1].lower_ in ("along", "together"):
            return child(word, "pobj")
        if word.lower_ in ("along", "together"):
            inner = next((c for c in word.children if c.dep_ == "prep" and c.lower_ == "with"), None)
            if inner is not None:
                return child(inner, "pobj")
    return None


def governed_counts(token: Token, res: ExtractionResources) -> list[Token]:
    """The phrases a magnitude word governs that may state its number, most likely first:
    its object or passive subject, the noun it modifies, the verb it completes."""
    candidates = []
    if token.pos_ in ("VERB", "AUX") and reduced_passive(token, res.word_classes["harm_verb"]):
        candidates += [c for c in token.children if c.dep_ == "nsubj"]  # "Three civilians killed"
    elif token.pos_ in ("VERB", "AUX"):
        candidates += [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
        if token.tag_ == "VBN" or token.lemma_.lower() in ("die", "flee", "succumb"):
            candidates += [c for c in token.children if c.dep_ == "nsubj"]
        if token.dep_ in ("acl", "amod", "relcl"):
            candidates[:0] = figure_of_the_harmed(token, res)  # "the number of civilians killed rose to 20"
            candidates.append(token.head)
        if token.dep_ == "xcomp" and token.head.pos_ == "VERB":
            # "2 fighters were reported killed", "are feared dead"
            candidates += [c for c in token.head.children if c.dep_ in ("nsubjpass", "nsubj")]
        left = left_harmed(token)
        if left is not None:
            candidates.append(left)  # "fired rockets, leaving three people wounded"
        if token.dep_ == "conj" and token.head.pos_ == "VERB" and not any(
                c.dep_ in ("dobj", "nsubjpass", "nsubj", "det") for c in token.children):
            # "a headman was shot and killed": the first verb's subject or object (not
            # "Two soldiers were killed and another injured": "another" is its own)
            stranded = subject_left_behind(token)
            candidates += [stranded] if stranded is not None else \
                [c for c in token.head.children if c.dep_ in ("dobj", "nsubjpass")]
    elif token.dep_ in ("oprd", "acomp", "advmod", "advcl", "xcomp", "dep", "ccomp") and token.head.pos_ == "VERB":
        # "shot dead five civilians", "hacked 14 people to death"; a small clause's own
        # subject: "shoot the driver dead"
        candidates += victims_of(token.head)
        candidates += [c for c in token.children if c.dep_ == "nsubj"]
        if token.dep_ in ("oprd", "acomp"):
            candidates += dead_without_object(token.head, token)
    elif completes_harm(token) and token.head.head.lemma_.lower() not in ("sentence", "condemn"):
        candidates += victims_of(token.head.head)
        candidates += dead_without_object(token.head.head, token)
    else:
        candidates.append(token)
        # "shot dead two policemen" with "shot" read as a noun: "dead" takes the object
        deps = ("nsubj", "nummod", "dobj") if token.pos_ == "ADJ" else ("nsubj", "nummod")
        candidates += [c for c in token.children if c.dep_ in deps]
        if token.dep_ in ("amod", "acl"):
            candidates.append(token.head)
        if token.lower_ in ("toll",) or token.lemma_ in HARM_NOUNS:
            # "the death toll stands at 9", "led to the death of eight and the injury of 89"
            if harm_of(token):
                candidates.insert(0, prep_object(token, {"of"}))  # the victims first, not "the death" as one
            else:
                obj = prep_object(token, {"of", "at", "to"})
                candidates += [obj] if obj is not None else []
            candidates += toll_reached(token, res)
    return candidates


def subject_left_behind(verb: Token) -> Token | None:
    """The subject of a joined passive that the model hung elsewhere: the noun right
    before its own auxiliary ("10 civilians were killed including a child and 37 others
    were injured", where "others" is read as joined to "a child"), not the first verb's
    own subject or object."""
    aux = child(verb, "auxpass")
    if aux is None or aux.i != verb.i - 1 or aux.i == verb.sent.start:
        return None
    noun = verb.doc[aux.i - 1]
    if noun.pos_ not in ("NOUN", "PROPN") or noun.head.i == verb.head.i:
        return None
    return noun


def left_harmed(token: Token) -> Token | None:
    """Whom "leaving ... wounded" names, where the model hangs the participle apart from
    "leaving" ("fired rocket shells on Kilmakho leaving three people wounded", "leaving
    the driver and two passengers seriously injured", "leaving 3,000 families
    displaced"): the object of a "leave" earlier in the sentence whose phrase ends right
    before the participle's, which has no subject or object of its own."""
    if token.tag_ not in ("VBN", "VBD") or any(c.dep_ in ("dobj", "nsubj", "nsubjpass") for c in token.children):
        return None
    for verb in token.doc[token.sent.start:token.i]:
        obj = child(verb, "dobj") if verb.lemma_.lower() == "leave" else None
        if obj is not None and obj.right_edge.i == token.left_edge.i - 1:
            return obj
    return None


def toll_reached(token: Token, res: ExtractionResources) -> list[Token]:
    """The number a death toll came to: "the death toll rose to 12", "has reached 40",
    "stands at 9" (the toll the subject of a ``toll_verb``)."""
    toll = token.head if token.dep_ == "compound" and token.head.lower_ in ("toll", "tolls") else token
    if toll.lower_ not in ("toll", "tolls") or toll.dep_ != "nsubj" \
            or toll.head.lemma_.lower() not in res.word_classes["toll_verb"] or summed_toll(toll, res):
        return []
    verb = toll.head
    number = prep_object(verb, {"to", "at"}) or child(verb, "dobj", "attr")
    return [number] if number is not None else []


# Nouns of a count of people harmed: "the number of civilians killed".
HARM_COUNT_NOUNS = frozenset({"number", "tally", "count"})


def figure_of_the_harmed(participle: Token, res: ExtractionResources) -> list[Token]:
    """The figure a count of the harmed in one event came to, where the participle names
    the harm: "the number of people killed in an air strike this morning has risen to
    21" (the count the subject of a ``toll_verb``, as a death toll is), "put the number
    of civilians killed in the raid at 13" (the model hangs "at 13" on the participle, or
    on "put"). "The number of X killed" is most often a running total, so only where the
    participle names the one event (``one_event_named``), never a count a verb only
    forecasts or one summed over a war or a period (``summed_toll``)."""
    victims = participle.head
    if victims.dep_ != "pobj" or victims.head.lower_ != "of" \
            or victims.head.head.lemma_.lower() not in HARM_COUNT_NOUNS or not one_event_named(participle):
        return []
    count = victims.head.head
    verb = count.head
    if count.dep_ == "nsubj" and verb.lemma_.lower() in res.word_classes["toll_verb"]:
        figure = prep_object(verb, {"to", "at"}) or child(verb, "dobj", "attr")
    elif count.dep_ == "dobj" and verb.lemma_.lower() in ("put", "bring", "raise", "set"):
        figure = prep_object(participle, {"at"}) or prep_object(verb, {"at", "to"})
    else:
        return []
    if figure is None or not figure.like_num or summed_toll(count, res):
        return []
    return [figure]


def one_event_named(participle: Token) -> bool:
    """Whether a participle of harm names the one event it was done in, by a singular
    noun with a determiner: "killed in an air strike", "killed by the coalition
    airstrike" (not "killed in Russian air strikes", "killed in Aleppo this year")."""
    return any(prep.lower_ in ("in", "by") and any(
        noun.dep_ == "pobj" and noun.tag_ == "NN" and noun.ent_type_ == ""
        and any(d.dep_ in ("det", "poss") for d in noun.children) for noun in prep.children)
        for prep in participle.children if prep.dep_ in ("prep", "agent"))


def summed_toll(toll: Token, res: ExtractionResources) -> bool:
    """Whether a death toll that came to a number is no one event's toll: a total over a
    war, a period or many events ("the death toll in Syria's war has risen to 280,000",
    "this year's death toll", "the overall death toll", "from last week's strikes", "since
    the protests began": a possessor or a ``summed_toll_word`` in the toll's phrase, or a
    "since" on its verb; not "from the attack on Monday"), or a forecast ("could rise to
    50", "is expected to rise")."""
    verb = toll.head
    if verb.dep_ == "xcomp" or modal_aux(verb, res):
        return True
    words = [t for t in toll.subtree if t.i != toll.i]
    words += [t for c in verb.children
              if (c.dep_ in ("prep", "advcl") and c.lower_ == "since")
              or any(m.dep_ == "mark" and m.lower_ == "since" for m in c.children)
              for t in c.subtree]
    summed = res.word_classes["summed_toll_word"]
    return any(t.dep_ == "poss" or t.lower_ in summed or t.lemma_.lower() in summed for t in words)


def victims_of(verb: Token) -> list[Token]:
    """The object or passive subject of the verb a "dead" or "to death" completes; a verb
    conjoined with no subject or object of its own shares its head's ("were beaten and
    chopped to death"), and a passive one its head's subject too (the model reads "Two
    policemen deployed at the gate were shot dead" as two verbs of one subject)."""
    found = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    if found or verb.dep_ != "conj" or verb.head.pos_ != "VERB" or child(verb, "nsubj") is not None:
        return found
    deps = ("dobj", "nsubjpass", "nsubj") if child(verb, "auxpass") is not None else ("dobj", "nsubjpass")
    return [c for c in verb.head.children if c.dep_ in deps]


# Nouns of harm whose "of" names the victims.
HARM_NOUNS = ("death", "injury")


def harm_of(token: Token) -> bool:
    """Whether a noun of harm names its victims after "of": "led to the death of the
    minister and 19 others", "the injury of 89"."""
    return token.lemma_.lower() in HARM_NOUNS and prep_object(token, {"of"}) is not None


def completes_harm(token: Token) -> bool:
    """Whether a noun is the "death" of "hacked to death", "beaten to death"; not the
    death an act "led to" ("led to the death of eight", "to their deaths": the noun has a
    determiner, a possessor or a preposition of its own)."""
    return token.lemma_.lower() == "death" and token.dep_ == "pobj" and token.head.lower_ == "to" \
        and token.head.head.pos_ == "VERB" and not any(c.dep_ in ("det", "poss", "prep") for c in token.children)


def dead_without_object(verb: Token, complement: Token) -> list[Token]:
    """Who died where a verb that "dead" or "to death" completes, after it, has no
    object: no one is shot dead or hacked to death without a victim, so its subject
    ("Two guards shot dead in Kasur", "Three people burned to death") or, for a
    headline's participle, the noun it hangs on ("A teacher chopped to death in Kasur")."""
    if complement.i < verb.i or verb.tag_ not in ("VBD", "VBN") \
            or child(verb, "dobj", "nsubjpass", "dative", "aux", "auxpass") is not None:
        return []
    subject = child(verb, "nsubj")
    if subject is not None:
        return [subject]
    return [verb.head] if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN") else []


def lives_taken(token: Token, res: ExtractionResources) -> Token | None:
    """Whom a life-taking verb names as the dead: "claimed the lives of two persons",
    "took the lives of 12", "claiming eight" (a bare number, only after "claim"), and the
    fighters a euphemism kills ("destroyed over 60 terrorists": ``killed_people``);
    None for "claimed responsibility", "two attacks", "45 of the 60 seats", "took 12
    into custody" or "cost the economy 2 billion"."""
    if token.pos_ != "VERB":
        return None
    if loses_life(token, res):
        return child(token, "nsubj")  # "a militant lost his life": the subject died
    if token.lemma_.lower() in res.word_classes["killing_euphemism"]:
        return killed_people(token, res)  # "destroyed over 60 terrorists"
    if token.lemma_.lower() not in res.word_classes["life_taking_verb"]:
        return None
    obj = child(token, "dobj")
    if obj is None:
        return None
    if obj.lemma_.lower() == "life":
        return prep_object(obj, {"of"}) or obj
    if token.lemma_.lower() == "claim" and obj.like_num and not list(obj.children) \
            and child(token, "dative", "prep") is None and obj.ent_type_ not in DATE_LABELS \
            and obj.ent_type_ != "MONEY" and not looks_like_year(obj.text):
        return obj
    return None


def loses_life(token: Token, res: ExtractionResources) -> bool:
    """"lost his life", "lost their lives": a verb whose subject died. Not in a relative
    clause, which tells of the past of a place or a conflict ("Kannur, known for its
    confrontations in which hundreds have lost lives")."""
    obj = child(token, "dobj")
    return token.lemma_.lower() in res.word_classes["life_losing_verb"] and obj is not None \
        and obj.lemma_.lower() == "life" and token.dep_ != "relcl"


def number_before(token: Token, res: ExtractionResources) -> Token | None:
    """The number just before a participle or adjective of harm, which is its count in a
    list with no verb ("100 people killed and over 400 wounded", "6 killed"): unless the
    number is itself the object of the harm word before it ("killed 6 wounded 10")."""
    if token.i == token.sent.start or (token.tag_ not in ("VBN", "JJ") and not hurt_read_as_noun(token)):
        return None
    number = token.doc[token.i - 1]
    if not number.like_num and number.lower_ not in res.quantities or number.lower_ in ("a", "an", "one"):
        return None
    if number.ent_type_ in DATE_LABELS or looks_like_year(number.text) or number.head.lemma_.lower() in ("age", "aged") \
            or (number.i > 0 and token.doc[number.i - 1].lower_ in ("aged", "age")):
        return None  # "Man aged 45 injured"
    if number.i > token.sent.start and magnitude_field(token.doc[number.i - 1], res) is not None:
        return None
    return number


def hurt_read_as_noun(token: Token) -> bool:
    """"hurt" that the model tags a noun after its count ("Three dead, 50 hurt", "were
    killed and 50 hurt"): a participle, counted by the number just before it."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    return token.tag_ == "NN" and token.lower_ == "hurt" and before is not None and before.like_num


def named_victim(token: Token, res: ExtractionResources) -> bool:
    """Whether a proper noun the model tags as no person is still one who died or was
    killed: the subject of the harm word, of no place or group type, and a personal name,
    it or a word of the name before it no English word and no acronym ("Ovi succumbed",
    "Ananta Bijoy Das was murdered", both tagged organisations; not "TTP", "6 TTP and
    foreign militants", a headline's "ISIS Attack", nor an object misparsed: "kills 30
    fighters ... Reuters")."""
    if token.dep_ not in ("nsubj", "nsubjpass") or token.ent_type_ in NOT_PERSON_ENTS \
            or token.lemma_.lower() in res.agents or any(c.tag_ in ("NNS", "NNPS") for c in token.conjuncts):
        return False
    words = [token] + [c for c in token.children if c.dep_ == "compound" and c.tag_ == "NNP"]
    return any(w.lower_ not in res.known_words and not w.text.isupper() and w.is_alpha for w in words)


def number_in(token: Token, res: ExtractionResources, coordinated: bool = True,
              anyone: bool = False) -> int | None:
    """The amount a noun phrase states: "at least 11 soldiers", "dozens", "5,000 people",
    "a journalist" (one person), "seven insurgents and two soldiers" (nine). ``anyone``:
    the phrase names whom a killing or wounding harmed, so any one singular person counts
    ("a truck helper", "Ovi"), not only the person nouns of agents.csv."""
    amount = own_number(token, res, anyone)
    if amount is None or not coordinated:
        return amount
    doc = token.doc
    for other in [*token.conjuncts, *listed_on(token)]:
        # Not across another count's harm word: "100 people killed and over 400 wounded",
        # nor a harm word's own count: "one death and four injuries", a number just before
        # its harm word ("rose to 32 and 115 wounded", "32 and 115 were wounded").
        own_word = other.like_num and any(magnitude_field(t, res)
                                          for t in doc[other.i + 1:min(other.i + 4, other.sent.end)])
        if other.i > token.i and not own_word \
                and not any(magnitude_field(t, res) for t in doc[token.i + 1:other.i + 1]):
            extra = own_number(other, res, anyone)
            if extra is not None:
                amount += extra
    return amount


# Words for anyone, which a breakdown of who they were follows ("three civilians, two
# women and a man").
BREAKDOWN_HEADS = frozenset({"people", "person", "civilian", "victim", "casualty"})


def listed_on(token: Token) -> list[Token]:
    """The rest of a list the model read as an apposition of its first item: "Two police
    officers, one civil servant and one local resident were killed" (the apposition
    after a comma and its conjuncts, each with a count of its own, ending right before
    the verb). Not a breakdown set off by commas: "Three people, a woman and two
    children, died", nor one of people told by a word for any ("Three civilians, two
    women and a man were killed"), nor a list in a text that lost its commas ("Five
    soldiers two officers and three privates", a breakdown as likely)."""
    doc = token.doc
    if token.lemma_.lower() in BREAKDOWN_HEADS:
        return []
    for appos in token.children:
        # (after a comma: in a text that lost its commas a list and a breakdown read alike)
        if appos.dep_ != "appos" or not appos.conjuncts or child(appos, "nummod") is None \
                or appos.left_edge.i == 0 or doc[appos.left_edge.i - 1].text != ",":
            continue
        after = appos.right_edge.i + 1
        if after < appos.sent.end and doc[after].pos_ in ("AUX", "VERB"):
            return [appos, *appos.conjuncts]
    return []


def counted_run(token: Token, res: ExtractionResources) -> list[str]:
    """The words of the amount a number token is part of: the unbroken run of counted
    words of its subtree around it ("between 10 and 12"; "12" of "12 of the 40
    passengers", where the 40 is the whole, not the count)."""
    subtree = list(token.subtree)
    at = subtree.index(token)
    start = end = at

    def joins(t: Token) -> bool:
        return counted_word(t, res) or t.text == "-"  # "Twenty-four"

    while start > 0 and joins(subtree[start - 1]) and subtree[start - 1].i == subtree[start].i - 1:
        start -= 1
    while end + 1 < len(subtree) and joins(subtree[end + 1]) and subtree[end + 1].i == subtree[end].i + 1:
        end += 1
    return [t.text for t in subtree[start:end + 1] if counted_word(t, res)]


def counted_word(token: Token, res: ExtractionResources) -> bool:
    """A word of a stated amount ("between 10 and 12"), not of a date beside it."""
    return not_date_word(token) and (
        token.like_num or token.lower_ in res.quantities or token.lower_ in ("between", "and", "to"))


def own_number(token: Token, res: ExtractionResources, anyone: bool = False) -> int | None:
    determiner = child(token, "det", "poss")
    if token.lower_ == "one" and determiner is not None and determiner.lower_ == "no":
        return None  # "No one died", "no one was killed"
    if token.like_num or token.lower_ in res.quantities:
        if token.like_num and looks_like_year(token.text):
            return None
        return parse_amount(" ".join(counted_run(token, res)) or token.text, res.quantities)
    # Not a date the model hung on the noun: "10 July 2015 Three civilians killed".
    number = next((c for c in token.children if c.dep_ == "nummod" and not_date_word(c)), None)
    if number is None:
        # The number on the first of two nouns: "killing eight volunteers activists"; the
        # number opening a name before the noun, "Two Central Reserve Police Force (CRPF)
        # personnel"; a number word read as a noun, "Thirteen suspected militants".
        number = next((g for c in token.children if c.dep_ in ("compound", "nmod")
                       for g in c.children if g.dep_ == "nummod" and not_date_word(g) and (
                           (c.dep_ == "compound" and c.tag_ in ("NNS", "NN")) or g.i == token.left_edge.i)), None) \
            or next((c for c in token.children if c.dep_ in ("nmod", "compound") and c.like_num
                     and c.i == token.left_edge.i and not_date_word(c)), None)
    if number is None and token.dep_ in ("nsubj", "nsubjpass", "dobj", "ROOT"):
        number = number_opening(token, res)  # (the root: a headline's "28 Terrorists Killed in Idleb")
    if number is not None and not looks_like_year(number.text):
        return parse_amount(" ".join(counted_run(number, res)), res.quantities)
    of_object = prep_object(token, {"of"})
    if of_object is not None and token.lower_ in ("death", "deaths", "toll", "total"):
        return number_in(of_object, res)  # "the deaths of five soldiers", "a total of 14 fighters"
    if of_object is not None and token.like_num is False and token.lower_ in res.quantities:
        return None
    if (token.tag_ == "PRP" and token.lower_ in ("him", "her")) or (
            token.lower_ in ("he", "she") and (token.dep_ == "nsubjpass" or (
                anyone and token.dep_ == "nsubj" and (token.head.lemma_.lower() in DYING_VERBS
                                                      or loses_life(token.head, res))))):
        return 1  # "chased a leader and killed him", "he was shot dead", "He died in hospital"
    one = determiner is not None and determiner.lower_ not in ("no", "any", "every", "each", "some", "all")
    lemma = token.lemma_.lower()
    if (token.tag_ in ("NN", "NNP") or (token.tag_ == "JJ" and token.dep_ in ("dobj", "nsubjpass"))) \
            and lemma in res.persons and (one or (determiner is None and token.tag_ == "NN")):
        # "killed a journalist", "a woman and her son": one person each ("killed a LeT
        # militant": the tagger may read the noun as an adjective); a headline's bare
        # noun too ("Farmer killed in Selea", "Gunmen kill NISS officer").
        return 1
    if token.tag_ == "NNS" and determiner is not None and determiner.lower_ in ("a", "an") \
            and lemma in res.persons and token.dep_ in ("nsubjpass", "nsubj", "dobj"):
        return 1  # "A suspected assailants was killed", "a personnel of the Frontier Corps"
    if anyone and one and token.tag_ == "NN" and lemma in res.word_classes["person_noun"]:
        return 1  # "a truck helper was killed", "the headmaster died"
    if (token.tag_ == "NNP" or (token.ent_type_ == "PERSON" and token.is_title)) \
            and (token.ent_type_ == "PERSON" or (anyone and named_victim(token, res))) \
            and not any(c.dep_ in ("nummod", "det", "meta") and (c.like_num or c.lower_ in ("no", "two", "both"))
                        for c in token.children):
        return 1  # "Mazid Uddin was killed": one named person (the tagger may miss the name)
    if anyone and token.tag_ == "NNP" and token.dep_ in ("nsubjpass", "nsubj", "dobj") \
            and not token.conjuncts and any(
                c.dep_ == "appos" and c.tag_ == "NN" and (c.lemma_.lower() in res.persons
                                                         or c.lemma_.lower() in res.word_classes["person_noun"])
                for c in token.children):
        return 1  # "Nazrul Islam alias Nazu, 28, son of a councillor, was gunned down"
    return None


def number_opening(token: Token, res: ExtractionResources) -> Token | None:
    """The number that opens a noun phrase though the model hung it on another word: on
    a participle inside the phrase ("Four suspected TTP militants were killed": "Four"
    modifies "suspected"), or on the verb just before the phrase ("6 TTP and foreign
    militants were killed", "At least 15 suspected TTP and other militants")."""
    doc = token.doc
    start = token.left_edge.i
    first = doc[start]
    if first.i != token.i and stands_for_count(first, res):
        return first
    i = start - 1
    while i >= token.sent.start and i >= start - 2 and doc[i].tag_ in ("VBN", "JJ") and doc[i].i != token.head.i:
        i -= 1  # "suspected", "alleged"
    if i >= token.sent.start and stands_for_count(doc[i], res) and doc[i].dep_ in ("meta", "npadvmod", "nummod"):
        before = doc[i - 1] if i > token.sent.start else None
        if before is None or before.is_punct or before.lower_ in ("least", "about", "nearly", "some", "over") \
                or count_run_into_date(doc[i]):
            return doc[i]
    # "09-09-2014 28 Terrorists Killed": the model hung the count on the date stamp
    i = token.i
    while i > token.sent.start and i > token.i - 4 and doc[i - 1].pos_ in ("PROPN", "ADJ", "NOUN"):
        i -= 1
    return doc[i - 1] if i > token.sent.start and count_run_into_date(doc[i - 1]) else None


def stands_for_count(token: Token, res: ExtractionResources) -> bool:
    """A number word that may state how many (not a date, a year or an age)."""
    return (token.like_num or token.lower_ in res.quantities) and token.tag_ == "CD" \
        and not_date_word(token) and not looks_like_year(token.text)


def count_run_into_date(number: Token) -> bool:
    """A count the model ran into the date before it, where the comma or the line break
    between them is lost: "On Friday 16 civilians were killed", "Also Wednesday 22 Daesh
    fighters were killed", a headline after its date stamp ("09-09-2014 28 Terrorists
    Killed in Idleb", "Mon Oct 31 2016 50 Terrorists Killed"). A number right after a
    weekday's name, or after the year that ends a date stamp (not a year standing alone:
    "In 2015 16 journalists were killed"), before a plural noun that is no span of time
    ("On Monday 2 weeks after ...") and with no month after it ("Friday 16 December" is
    a date)."""
    doc = number.doc
    if not number.text.isdigit() or number.i == 0 or number.i + 1 >= len(doc):
        return False
    before = doc[number.i - 1]
    if before.lower_ not in WEEKDAY_WORDS and not ends_date_stamp(before):
        return False
    return counts_a_plural_at(doc, number.i + 1, number.sent.end)


def counts_a_plural_at(doc: Doc, start: int, sent_end: int) -> bool:
    """Whether the words from ``start`` are the plural noun a count counts, with only its
    modifiers before it: no month ("Friday 16 December" is a date), no span of time
    ("2 weeks after ...", "between 2 and 4 hours")."""
    if doc[start].lower_.rstrip(".") in MONTH_WORDS:
        return False
    noun = next((t for t in doc[start:min(start + 3, sent_end)] if t.tag_ in ("NNS", "NNPS")), None)
    return noun is not None and noun.lemma_.lower() not in SPAN_NOUNS \
        and all(t.pos_ in ("PROPN", "ADJ", "NOUN") for t in doc[start:noun.i])


def ends_date_stamp(year: Token) -> bool:
    """Whether a year ends a date written out before it: "09-09-2014", "Oct 31 2016",
    "26 Feb 2015" (a day or a month right before it, or a hyphen or a slash glued to it)."""
    if not looks_like_year(year.text) or year.i == 0:
        return False
    before = year.doc[year.i - 1]
    return (before.text in ("-", "/", ".") and not before.whitespace_) or before.like_num \
        or before.lower_.rstrip(".") in MONTH_WORDS


def not_date_word(token: Token) -> bool:
    """A word outside any date, a count the model ran into one (``count_run_into_date``)
    or a range of a count the model took for a date (``range_read_as_date``)."""
    return token.ent_type_ not in DATE_LABELS or count_run_into_date(token) or range_read_as_date(token)


def range_read_as_date(token: Token) -> bool:
    """Whether a word belongs to a range of small numbers the model tagged a date, before
    the plural noun it counts: "Between 1 and 4 soldiers were killed" (ACLED codes the low
    end); not a span of time ("between 2 and 4 hours"), a day of a month ("between 12 and
    14 June") nor years."""
    doc = token.doc
    span = next((ent for ent in doc.ents if ent.start <= token.i < ent.end), None)
    if span is None:
        return False
    words = [t.lower_ for t in span[:4]]
    end = span.start + 4  # (the model may run the date on over the noun: "Between 6 and 8 assailants")
    if len(words) != 4 or words[0] != "between" or words[2] not in ("and", "to") \
            or not all(w.isdecimal() and int(w) < 1000 for w in (words[1], words[3])) or end >= len(doc):
        return False
    return counts_a_plural_at(doc, end, token.sent.end)  # not "between 12 and 14 June"
