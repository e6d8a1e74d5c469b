"""Actors: who did what to whom. Lexicon aliases found in the article, the phrase that
names a party described as a name, country and sector, the two roles of a trigger read
from the parse, and the steps that give an event frame its actors. Pure spaCy, no Beam.

    describe_actor(head of "Iraqi security forces", ctx)
      -> {"text": "Iraqi security forces", "name": "Iraq", "country": "IRQ",
          "sector": "COP", "lemma": "force"}
"""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from newsevents.transforms.extraction.acled_coding import (ARMED_OWNER_KINDS, PROPERTY_HIT, agent_lemma,
                                                            phrase_kind)
from newsevents.transforms.extraction.context import ArticleContext, Frame, SentenceContext
from newsevents.transforms.extraction.resources import (FORCE_SECTORS, SECTOR_KINDS, STATE_SECTORS, Actor,
                                                         ExtractionResources)
from newsevents.transforms.extraction.syntax import (
    PLACE_LABELS, accused_of, act_told_by_preposition, asked_for_by, carried_by, child,
    clause_chain, denied, doc_text, entity_text, fight_of_two_sides, foreign_presence_of, governing_verb, in_protest,
    misparsed_object, object_head, opens_other_incident, own_subtree, phrase_start, phrase_text, prep_object,
    reciprocal, reduced_passive, sentences_after_in_paragraph, stopped_by_state, stranded_position, subject_of,
    told_as_before, token_texts,
    verb_done_in_protest)
from newsevents.transforms.extraction.toponyms import is_capitalized, name_run, name_word

NON_ACTOR_ENTITIES = {"DATE", "TIME", "DATELINE", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"}
PRONOUNS = {"PRON"}
SPEECH_ACTS = {"REQUEST", "THREATEN", "ACCUSE", "REJECT", "AGREE", "SUPPORT"}
DYING_VERBS = {"die", "perish", "succumb"}  # whose subject an event noun after them harmed


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
        if is_acronym_text(span.text) and shouted(span):
            continue  # "SAD DAY AS POLICE ...", "BNP PARIBAS STAFF STRIKE": a headline in capitals
        actor = res.actors[res.nlp.vocab.strings[key]]
        if inside_longer_name(span, actor, res):
            continue
        for i in range(start, end):
            by_token[i] = (span, actor)
    for text in defined_otherwise(doc, by_token, res):
        for i in [i for i, (span, _) in by_token.items() if span.text == text]:
            del by_token[i]
    unsure = {id(span): span for span, actor in by_token.values() if span.text.lower() in actor.context_aliases}
    for span in unsure.values():
        actor = by_token[span.start][1]
        if not names_country(doc, actor.country, res, by_token):
            for i in range(span.start, span.end):
                del by_token[i]
    by_token.update(short_mentions(doc, by_token, res))
    return by_token


def short_mentions(doc: Doc, by_token: dict[int, tuple[Span, Actor]],
                   res: ExtractionResources) -> dict[int, tuple[Span, Actor]]:
    """Later mentions of a named actor by the head noun of its name: after "the US-led
    coalition", "the coalition said" and "a coalition air strike" are that coalition;
    after "the Syrian Observatory for Human Rights", "the Observatory". Only head nouns of
    the word class ``short_name_head`` (never "the state" after "Islamic State"), only
    when one actor of the article has that head, and not inside another name ("the
    Syrian Coalition", "Coalition Council") nor before "of" ("a coalition of groups")."""
    first_end: dict[str, int] = {}  # head noun -> where its first full name ends
    actors_of: dict[str, dict[str, Actor]] = {}  # head noun -> the actors named with it
    for span, actor in {id(span): (span, actor) for span, actor in by_token.values()}.values():
        head = span[-1]
        if len(span) < 2 or head.lemma_.lower() not in res.word_classes["short_name_head"]:
            continue
        actors_of.setdefault(head.lower_, {})[actor.name] = actor
        first_end[head.lower_] = min(first_end.get(head.lower_, len(doc)), span.end)
    extra = {}
    if not actors_of:
        return extra
    for token in doc:
        named = actors_of.get(token.lower_, {})
        if len(named) != 1 or token.i < first_end[token.lower_] or token.i in by_token \
                or token.pos_ not in ("NOUN", "PROPN"):
            continue
        before = doc[token.i - 1] if token.i > 0 else None
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if (before is not None and is_capitalized(before) and not before.is_sent_start) \
                or (after is not None and (is_capitalized(after) or after.lower_ == "of")):
            continue
        extra[token.i] = (doc[token.i:token.i + 1], next(iter(named.values())))
    return extra


def names_country(doc: Doc, iso3: str, res: ExtractionResources, actor_spans: dict) -> bool:
    """Whether the article names a country: by name ("the United States", "US"), by
    nationality ("American") or through another of its actors' names ("the State
    Department")."""
    country = res.gazetteer.country(iso3)
    if country is not None and country.name in doc_text(doc):
        return True
    for i, text in enumerate(token_texts(doc)):
        if not text[:1].isupper():
            continue
        token = doc[i]
        if res.demonyms.get(token.lower_) == iso3:
            return True
        if token.pos_ in ("PROPN", "X", "") or token.ent_type_ in ("GPE", "NORP"):
            country = next((p for p in res.gazetteer.candidates(token.text)[:1] if p.feature_type == "country"), None)
            if country is not None and country.country_iso3 == iso3:
                return True
    return any(actor.country == iso3 and span.text.lower() not in actor.context_aliases
               for span, actor in actor_spans.values())


NAME_LINKS = frozenset({"and", "of", "for", "the", "&"})


def defined_otherwise(doc: Doc, by_token: dict[int, tuple[Span, Actor]], res: ExtractionResources) -> set[str]:
    """Acronym aliases the article defines as another body's: "Sindh Professors and
    Lecturers Association (SPLA)" is no South Sudanese army, anywhere in the article. An
    acronym is defined so in brackets after a name whose capitals it spells, which the
    lexicon does not read as the same actor ("Sudan People's Liberation Army (SPLA)") and
    which shares no word with the actor's names but the heads every party's name has
    ("Aam Admi Party (AAP)" is a spelling of the Aam Aadmi Party's; "Bangladesh Jatiya
    Party (BJP)" is no Indian party for its "Party")."""
    heads = res.word_classes["faction_head"] | res.word_classes["short_name_head"]
    defined = set()
    for span, actor in {id(span): (span, actor) for span, actor in by_token.values()}.values():
        if not is_acronym_text(span.text) or span.start < 2 or span.end >= len(doc) \
                or doc[span.start - 1].text != "(" or doc[span.end].text != ")":
            continue
        words, i = [], span.start - 2
        while i >= 0 and len(words) < 2 * len(span.text) and (
                doc[i].text[:1].isupper() or doc[i].lower_ in NAME_LINKS):
            words.append(doc[i])
            i -= 1
        capitals = "".join(t.text[0] for t in reversed(words) if t.text[:1].isupper()).upper()
        named_here = any(by_token.get(t.i, (None, None))[1] is actor or (t.lower_ in actor.name_words - heads)
                         for t in words)
        if not named_here and capitals.endswith(span.text.upper()):
            defined.add(span.text)
    return defined


def inside_longer_name(span: Span, actor: Actor, res: ExtractionResources) -> bool:
    """Whether a one-word alias is only part of another name: "Congress" in "Trinamool
    Congress" or "Indian National Congress" is no United States Congress, "Washington"
    in "Washington Post" no government. A nationality before it that is the actor's own
    keeps it ("Afghan Taliban", "US Congress"); another one does not ("Nepali Congress",
    "Pakistani Taliban")."""
    if len(span) > 1:
        return False
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if faction_suffix(span):
        return True
    if before is not None and before.whitespace_ and name_word(before):
        return (res.demonyms.get(before.lower_) != actor.country or actor.country is None) \
            and not unit_of_a_party(span, before, actor, res)
    return after is not None and span[-1].whitespace_ and name_word(after) and not after.is_sent_start \
        and not (is_acronym_text(span.text) and after.lower_.rstrip("s") in res.word_classes["member_title"])


def shouted(span: Span) -> bool:
    """Whether a span stands among words all in capitals (a headline written so), where an
    acronym cannot be told from a word: the words up to six either side of it."""
    doc = span.doc
    words = [t for t in doc[max(0, span.start - 6):min(len(doc), span.end + 6)]
             if t.is_alpha and len(t) > 1 and not (span.start <= t.i < span.end)]
    return len(words) >= 3 and sum(t.is_upper for t in words) >= 0.8 * len(words)


def is_acronym_text(text: str) -> bool:
    return len(text) >= 2 and text.isalpha() and text.isupper()


def unit_of_a_party(span: Span, before: Token, actor: Actor, res: ExtractionResources) -> bool:
    """An acronym after the name of its own country's state, province or town, or after
    "State": that unit of the party ("State BJP", "Punjab BJP", "Sylhet BNP"), no other
    name."""
    if not is_acronym_text(span.text) or actor.country is None:
        return False
    return before.lower_ == "state" or any(
        place.country_iso3 == actor.country and place.feature_type != "country"
        for place in res.gazetteer.candidates(before.text)[:3])


def faction_suffix(span: Span) -> bool:
    """"BNP-M", "PML-N", "MQM-P": a party's faction or another party, named by a one- or
    two-letter suffix: the Balochistan National Party-Mengal is not Bangladesh's BNP."""
    doc = span.doc
    if span.end + 1 >= len(doc) or span[-1].whitespace_:
        return False
    hyphen, suffix = doc[span.end], doc[span.end + 1]
    return hyphen.text == "-" and not hyphen.whitespace_ and suffix.is_alpha and suffix.is_upper \
        and len(suffix.text) <= 2


def country_name(res: ExtractionResources, iso3: str | None) -> str | None:
    place = res.gazetteer.country(iso3)
    return place.name if place else None


def describe_actor(head: Token | None, ctx: ArticleContext,
                   event_heads: frozenset[int] = frozenset()) -> dict | None:
    """The actor a phrase names: lexicon alias, else nationality + agent noun, else a
    country, else a generic agent; an unknown person or group keeps its text.

    Phrases that name no one are not actors: things ("a market", "an explosive vest"),
    towns ("the town of Palma" is where, not who) and events ("a suicide attack killed
    five": the attack's own modifiers may still name its author, "an Israeli strike").
    A head among ``event_heads`` (pass ``ctx.event_heads``) is read as such an event.
    """
    res = ctx.res
    if head is None or head.pos_ in PRONOUNS or head.lower_ in ("who", "which", "that"):
        return None
    head = counted(head, res)  # "thousands of people marched"
    if head.ent_type_ in NON_ACTOR_ENTITIES:
        return None  # "met on Tuesday": a date is not a participant
    if any(c.dep_ == "det" and (c.text == "no" or (c.text == "No" and c.is_sent_start))
           and not c.nbor().like_num for c in head.children if c.i + 1 < len(c.doc)):
        return None  # "No group has claimed the blast": no one (not "No 4 Battalion", nor the "No" camp)
    carried = carried_by(head, res)
    if carried is not None:
        # "opened fire on a vehicle carrying Levies personnel": the people in it were the
        # target (not "a truck carrying aid": no one of a kind is named).
        actor = describe_actor(carried, ctx, event_heads)
        if actor is not None and (actor.get("name") or res.agent_kinds.get(agent_lemma(carried, res))):
            return actor
    event_noun = head.i in event_heads and head.lemma_.lower() not in res.agents
    start = phrase_start(head)
    if start is None and head.i in ctx.actor_spans and head.ent_type_ not in NON_ACTOR_ENTITIES:
        start = head.i  # "Tags Gaza Hamas fired rockets": a party the lexicons know, whatever came before
    if start is None:
        return None  # a tag of the page or a date, not a party
    tokens = [t for t in actor_phrase(head, event_noun, res) if t.i >= start]
    listed = listed_actor(head, tokens, ctx)
    if listed is not None:
        return listed
    if any(span.start <= head.i < span.end and place.feature_type != "country" for span, place in ctx.places):
        # A town the gazetteer placed is where, in any role: one the model did not tag
        # ("a car headed for Arika, killing"), and a town shelled ("shelled Donetsk": the
        # place column holds it).
        return None
    if names_a_place(head, ctx):
        return None  # "rebels shelled al-Fouaa", where the article also writes "in al-Fouaa"
    actor = unlisted_actor(head, tokens, event_noun, res)
    if actor is None and event_noun:
        # "Regime bombing raids killed 31 civilians": the armed body before the event noun
        author = next((m for m in reversed(modifiers_before(head, ctx)) if armed_body_word(m, res)), None)
        if author is not None:
            return describe_actor(author, ctx, event_heads)
    lemma = head.lemma_.lower()
    leader = leader_before(head) if actor is None and (
        event_noun or lemma in res.word_classes["state_strike_noun"] | res.word_classes["armed_assault_noun"]) else None
    if leader is not None and not any(t.i in ctx.actor_spans or armed_body_word(t, res)
                                      for t in head.doc[leader.i + 1:head.i]):
        # "US-led strikes killed 20", "Saudi-led air raids": the coalition the lexicon
        # knows by that name ("US-led coalition"), else the country whose forces led them
        # (a military party: its country is where the strikes were only when nothing else
        # says). Not "a US-led coalition air strike", whose coalition the phrase names, nor
        # "Iranian-led militia attacks", the militia's.
        return led_coalition(leader, res) or country_party(leader, res) or describe_actor(leader, ctx, event_heads)
    if actor is None and fired_weapon(head, res):
        owner = weapon_owner(head, ctx)
        actor = describe_actor(owner, ctx, event_heads) if owner is not None else None
        if actor is not None and actor.get("country") is None:
            # "Afghan army rockets": the model hangs the nationality on the weapon, not the army
            country = country_in([t for t in head.subtree if t.i < owner.i], res)
            if country is not None:
                actor = {**actor, "country": country, "name": actor.get("name") or country_name(res, country)}
    return actor


def led_coalition(leader: Token, res: ExtractionResources) -> dict | None:
    """The lexicon actor named "<leader>-led coalition" ("US-led coalition"), if any."""
    words = res.nlp.make_doc(f"{leader.text}-led coalition")
    strings = res.nlp.vocab.strings
    for matcher in (res.actor_matcher_exact, res.actor_matcher_lower):
        for key, start, end in matcher(words):
            if (start, end) == (0, len(words)):
                return lexicon_party(res.actors[strings[key]], leader.text, "coalition")
    return None


def country_party(word: Token, res: ExtractionResources) -> dict | None:
    """The forces of the country a word names ("US", "Saudi"), as a party."""
    iso3 = word_country(word, res)
    return state_party(word.text, iso3, "MIL", word.lower_, res) if iso3 is not None else None


def lexicon_party(actor: Actor, text: str, lemma: str, sector: str | None = None, kind: str | None = None) -> dict:
    """A lexicon actor as a party of an event, named in the text by ``text``; its own
    sector and kind unless the phrase tells others ("Syrian regime forces": the army)."""
    return {"text": text, "name": actor.name, "country": actor.country, "sector": sector or actor.sector,
            "lemma": lemma, "kind": kind or actor.kind, "group": actor.group or actor.name}


def state_party(text: str, iso3: str, sector: str | None, lemma: str, res: ExtractionResources) -> dict:
    """A country's state as a party of an event ("US-led strikes", "Iraqi raids")."""
    return {"text": text, "name": country_name(res, iso3), "country": iso3, "sector": sector, "lemma": lemma,
            "kind": "state", "group": None}


def leader_before(noun: Token) -> Token | None:
    """The party before "-led" in an event noun's phrase ("US-led strikes", "Saudi-led air
    raids"): who led the attack, its author. (A "US-backed" force is no one's but its own:
    ``country_in`` skips such sponsors.)"""
    doc = noun.doc
    for token in doc[noun.left_edge.i:noun.i]:
        if token.lower_ == "led" and token.i >= 2 and doc[token.i - 1].text in ("-", "‑") \
                and doc[token.i - 2].pos_ in ("PROPN", "ADJ", "NOUN") and doc[token.i - 2].text[:1].isupper():
            return doc[token.i - 2]
    return None


def names_a_place(head: Token, ctx: ArticleContext) -> bool:
    """Whether a phrase's head is a name the article uses for a place
    (``ArticleContext.place_names``: a town the gazetteer placed elsewhere in it, or a
    name it writes where only a place can stand, "in al-Fouaa", "Barzeh district"), or a
    quarter noun that ends a name ("Iskandaron Street", "al-Wafideen Camp"): a town or a
    quarter the gazetteer did not place here is where, not who."""
    quarters = ctx.res.word_classes["quarter_noun"]
    if is_capitalized(head) and (head.lower_ in quarters or head.lemma_.lower() in quarters) \
            and head.i > head.sent.start \
            and is_capitalized(head.doc[head.i - 1]) and not head.doc[head.i - 1].is_sent_start:
        return True
    run = name_run(head)
    return run is not None and run.text.lower() in ctx.place_names


def fired_weapon(head: Token, res: ExtractionResources) -> bool:
    """A weapon that acted, the subject of its clause or what the harm was done by
    ("rockets slammed into", "killed by mortar shells"): its user is the author. Not a
    weapon acted on ("defused the bombs", "seized weapons"), whose owner was no author."""
    return names_weapon(head, res) and (
        head.dep_ == "nsubj" or (head.dep_ == "pobj" and head.head.lower_ in ("by", "from")))


def names_weapon(head: Token, res: ExtractionResources) -> bool:
    """Whether a noun is a weapon (``weapon``, by lemma or as written)."""
    return head.lemma_.lower() in res.word_classes["weapon"] or head.lower_ in res.word_classes["weapon"]


def weapon_owner(weapon: Token, ctx: ArticleContext) -> Token | None:
    """Whose a weapon was: its possessor ("the regime's barrel bombs"), else the
    nearest word before it naming a party the lexicons know, a nationality or an armed
    body ("Jaish al-Islam rockets", "Israeli missiles", "rebel mortar shells"); not a
    place it names as the scene ("a Syria car bomb"), nor the aircraft or vehicle it was
    fired from ("warplane rockets": who flew it the article may tell elsewhere), nor what
    it is against, when or who made it ("anti-tank", "Soviet-era", "Iranian Shahed
    drones")."""
    owner = child(weapon, "poss")
    if owner is not None:
        return owner if owner.ent_type_ not in ("DATE", "TIME") else None
    # (every word before it: the model hangs "Regime" of "Regime barrel bombs" on "barrel")
    classes = ctx.res.word_classes
    for c in reversed([t for t in weapon.subtree if t.i < weapon.i and not t.is_punct]):
        if c.lemma_.lower() in classes["warfare_word"] or c.lemma_.lower() in classes["carrier"]:
            continue  # "by warplanes rockets": what fired it, not whose (``credit_air_strikes``)
        if c.i >= 2 and c.doc[c.i - 1].text == "-" and c.doc[c.i - 2].lower_ in ("anti", "pro"):
            continue  # "an anti-tank mine": what it is against
        if c.i + 1 < len(c.doc) and c.doc[c.i + 1].text == "-":
            continue  # "Soviet-era landmines", "Iranian-made drones": when or where it was made
        if c.ent_type_ == "NORP" and c.i not in ctx.actor_spans \
                and any(t.pos_ == "PROPN" for t in c.doc[c.i + 1:weapon.i]):
            continue  # "Iranian Shahed drones", "British Storm Shadow missiles": the maker of a make
        if c.dep_ in NOUN_MODIFIER_DEPS and (
                c.i in ctx.actor_spans or c.ent_type_ == "NORP" or armed_body_word(c, ctx.res)) \
                and not names_the_scene(c, weapon, ctx):
            return c
    return None


def actor_phrase(head: Token, event_noun: bool, res: ExtractionResources) -> list[Token]:
    """The tokens of the phrase that may name the actor: a long phrase up to its head
    (with the body a member is of, where that is short: "two members of the Rapid Action
    Battalion (RAB)"), an event only by its modifiers (not "... by X" inside it), never
    an act a preposition tells ("accused Russian warplanes of carrying out the attack")."""
    acts = act_told_by_preposition(head)
    tokens = [t for t in own_subtree(head) if t.i not in acts]
    if len(tokens) > 8:
        lemma = head.lemma_.lower()
        # one of a body's people or fighters: "members of ...", "armed opponents from ..."
        member = lemma in res.word_classes["member_noun"] | res.word_classes["collective_noun"] \
            or res.agent_kinds.get(lemma) in MEMBER_KINDS \
            or any(c.dep_ == "amod" and c.lower_ in res.word_classes["armed_modifier"] for c in head.children) \
            or (lemma in res.word_classes["rank_noun"] and leads_a_named_or_armed_body(head, res))
        body = next((c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "from") and c.i > head.i),
                    None) if member else None
        kept = {t.i for t in body.subtree} if body is not None else set()
        if len(kept) > 8:
            # the body named first, without what is joined to it ("from al-Nusra Front and
            # the free army": al-Nusra Front)
            named = child(body, "pobj")
            kept = {body.i, *range(named.left_edge.i, named.i + 1)} \
                if named is not None and named.i - named.left_edge.i < 8 else set()
        tokens = [t for t in tokens if head.left_edge.i <= t.i <= head.i or t.i in kept]
    if event_noun:
        tokens = [t for t in tokens if t.i <= head.i]
    return tokens


def leads_a_named_or_armed_body(head: Token, res: ExtractionResources) -> bool:
    """Whether the "of" object of a leader, a commander or a chief is a name ("a leader of
    the Lashkar-e-Taiba") or an armed body ("a commander of the militia"), not a company
    or a union a force word modifies."""
    body = prep_object(head, {"of"})
    return body is not None and (body.pos_ == "PROPN"
                                 or res.agent_kinds.get(agent_lemma(body, res)) in ARMED_OWNER_KINDS)


# Agent nouns whose "of" or "from" phrase names the body they belong to ("fighters from the
# Nusra Front", "an official of the ministry").
MEMBER_KINDS = frozenset({"official", "rebel", "militia", "assailant"})
# Armed men of no state, whom the place they are in does not make its state's forces.
IRREGULAR_KINDS = frozenset({"rebel", "militia", "assailant"})


def listed_actor(head: Token, tokens: list[Token], ctx: ArticleContext) -> dict | None:
    """The lexicon actor whose alias is nearest the head in the phrase, if any. Not one
    in a phrase of where irregular fighters are: "Islamist militants near Damascus" are
    no Syrian state (but "his counterpart in Baghdad" is Iraq's, "police in Kabul" are
    Afghan)."""
    placed: set[int] = set()
    if ctx.res.agent_kinds.get(head.lemma_.lower()) in IRREGULAR_KINDS:
        where = ctx.res.word_classes["locative_prep"] - {"from"}  # "fighters from the Nusra Front" are its
        placed = {t.i for prep in head.children if prep.dep_ == "prep" and prep.lower_ in where
                  for t in prep.subtree}
    hits = [(abs(t.i - head.i), ctx.actor_spans[t.i]) for t in tokens
            if t.i in ctx.actor_spans and t.i not in placed]
    if not hits:
        return None
    _, (span, actor) = min(hits, key=lambda h: h[0])
    sector = actor.sector
    agent = ctx.res.agents.get(head.lemma_.lower())
    if head.i not in ctx.actor_spans and agent and actor.sector in ("GOV",) and agent in ("MIL", "COP"):
        sector = agent  # "Syrian regime forces"
    kind = actor.kind
    if sector != actor.sector:
        kind = SECTOR_KINDS.get(sector, kind)
    if head.i not in ctx.actor_spans and actor.sector in ("GOV", "OPP") and \
            ctx.res.agent_kinds.get(head.lemma_.lower()) == "people":
        kind = "people"  # "Congress workers", "ruling party supporters": its members, unarmed
    if head.i not in ctx.actor_spans and actor.sector in ("GOV", "OPP") and \
            ctx.res.agent_kinds.get(head.lemma_.lower()) in ("rebel", "militia"):
        kind = "militia"  # "BNP militants", "ruling party gunmen": the party's militia (ACLED)
    return lexicon_party(actor, phrase_text(head), head.lemma_.lower(), sector, kind)


def unlisted_actor(head: Token, tokens: list[Token], event_noun: bool, res: ExtractionResources) -> dict | None:
    """An actor the lexicon does not list: a country or nationality, an agent noun
    ("gunmen", "police"), a name; None for a weapon, a town or a thing."""
    text = phrase_text(head)
    # "the rebels, backed by Turkey": a clause about the party names its sponsor, not its country
    clauses = {t.i for c in head.children if c.dep_ in ("acl", "relcl", "appos") for t in c.subtree}
    country = country_in([t for t in tokens if t.i not in clauses], res, owner=head)
    lemma = head.lemma_.lower()
    if names_weapon(head, res):
        return None  # "detonated an IED": the weapon is not the target
    is_agent, sector = agent_sector(head, tokens, res)
    if event_noun:
        if country is None:
            return None
        return state_party(text, country, sector if sector in ("MIL", "COP") else None, lemma, res)
    if head.ent_type_ in PLACE_LABELS and country is None and not is_agent:
        return None  # a town is where something happened, not who did it
    named = head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or head.pos_ == "PROPN"
    if not (is_agent or named or country):
        return None
    sector = implied_sector(head, country, sector, is_agent, res)
    name = country_name(res, country) if country else None
    kind = phrase_kind(head, tokens, res) or SECTOR_KINDS.get(sector or "")
    return {"text": text, "name": name, "country": country, "sector": sector, "lemma": lemma,
            "kind": kind, "group": None}


def country_in(tokens: list[Token], res: ExtractionResources, owner: Token | None = None) -> str | None:
    """The first country a phrase names, by a nationality or a country name; not one
    that marks something as foreign there (``foreign_presence_of``), unless that thing is
    ``owner``, the phrase's own head ("a Chinese company" is Chinese; the villagers who
    protest against it are not)."""
    for token in tokens:
        if token.i + 1 < len(token.doc) and token.nbor().text in ("-", "‑"):
            continue  # "US-backed forces", "Saudi-led coalition": a sponsor, not theirs
        marked = foreign_presence_of(token, res.word_classes)
        if marked is not None and (owner is None or marked.i != owner.i):
            continue
        iso3 = word_country(token, res)
        if iso3:
            return iso3
    return None


def word_country(token: Token, res: ExtractionResources) -> str | None:
    """The country a word names, as a nationality or a country's name."""
    iso3 = res.demonyms.get(token.text.lower()) or res.demonyms.get(token.lemma_.lower())
    if iso3 is None and token.ent_type_ == "GPE":
        place = res.gazetteer.resolve(entity_text(token))
        if place is not None and place.feature_type == "country":
            iso3 = place.country_iso3
    return iso3


def agent_sector(head: Token, tokens: list[Token], res: ExtractionResources) -> tuple[bool, str | None]:
    """(whether the phrase names an agent, its sector): "police", "army officers", "a
    joint team of soldiers and police" (a collective noun by the agents it is made of; a
    "civil defence team" or "its team" names no agent)."""
    lemma = agent_lemma(head, res)
    members = prep_object(head, {"of"}) if lemma in res.word_classes["collective_noun"] else None
    if members is not None:
        found = [agent_sector(member, [member], res) for member in (members, *members.conjuncts)]
        if any(is_agent for is_agent, _ in found):
            return True, next((sector for _, sector in found if sector), None)
    sector = res.agents.get(lemma) or res.agents.get(head.lower_)
    is_agent = lemma in res.agents or head.lower_ in res.agents
    for token in tokens:
        if token.dep_ in ("compound", "amod") and token.head == head:
            modifier = token.lemma_.lower()
            if modifier in res.agents:
                is_agent = True
                sector = sector or res.agents[modifier]
    return is_agent, sector


def implied_sector(head: Token, country: str | None, sector: str | None, is_agent: bool,
                   res: ExtractionResources) -> str | None:
    """The sector a phrase implies when no agent noun gives one."""
    lemma = head.lemma_.lower()
    # A body the agents list gives no sector (a group, gang, faction, side, alliance,
    # coalition, squad) is of its members' sector ("an alliance of rebels"), unless they are
    # civilians: "two groups of villagers" who clash are communal militias to ACLED.
    sectorless_body = lemma in res.agents and res.agents[lemma] is None and lemma not in res.persons
    if sector is None and (not is_agent or sectorless_body):
        owner = prep_object(head, {"of"})
        owner_sector = res.agents.get(owner.lemma_.lower()) if owner is not None else None
        if owner_sector is not None and not (sectorless_body and owner_sector == "CVL"):
            sector = owner_sector
    plural_people = head.tag_ in ("NNPS", "NNS") and (
        head.ent_type_ == "NORP" or lemma in res.demonyms or head.lower_.rstrip("s") in res.demonyms)
    if country and sector is None and plural_people:
        sector = "CVL"  # "3 Palestinians" were killed: people
    if country and sector is None and head.ent_type_ in ("GPE", "NORP"):
        sector = "GOV"  # "Egypt" agreed: its government
    return sector


# -- the two roles of a trigger ----------------------------------------------------------
# Events that two parties do with each other, besides clashes: "Russia and Turkey agreed
# a ceasefire", "the two leaders met", "Egypt and Saudi Arabia held joint naval
# exercises". In any other event two subjects joined by "and" acted together ("rebels and
# Islamist fighters shelled the villages").
MUTUAL_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})
MUTUAL_MODES = frozenset({"clash", "brawl", "exercise"})


def two_sided(frame: Frame) -> bool:
    """Whether the parties joined by "and" in an event's subject are its two sides: a
    clash by any of its words, even where the event is a riot ("party men and opposition
    activists clashed"); anything done to each other or one another, or between two sides
    ("accused each other"); a meeting, a deal or a joint exercise. Read before the mode is
    refined: an attack the rules later call a clash ("fought back") keeps one side."""
    return frame.event_type in MUTUAL_TYPES or frame.mode in MUTUAL_MODES or any(
        info.get("mode") in MUTUAL_MODES for _, info in frame.group) or reciprocal(frame.trigger, frame.verb)


def names_a_side(modifier: Token, ctx: ArticleContext) -> bool:
    """Whether a noun's modifier names whose it is: a name ("BJP", "Awami League") or a
    nationality ("Indian"), not a common noun the parse hung there ("youth")."""
    if modifier.lemma_.lower() in ctx.res.agents:
        return False  # "Police and BNP activists clashed": the police are a side of their own
    return modifier.tag_ in ("NNP", "NNPS") or modifier.i in ctx.actor_spans \
        or (modifier.pos_ == "ADJ" and modifier.lower_ in ctx.res.demonyms)


# The hurt who are no side of a fight: "two civilians were killed in the clashes".
BYSTANDER_NOUNS = frozenset({"civilian", "passerby", "bystander"})


def fought_each_other(frame: Frame, res: ExtractionResources) -> bool:
    """Whether both sides of a fight acted, the hurt among them: the first side named, or a
    party's members hurt ("ten activists were injured in a factional clash"); not the
    people killed where others fought ("twelve people were killed in heavy fighting"),
    nor a bystander a person noun names ("two shopkeepers were injured in the clash")."""
    hurt, classes = (frame.actor2 or {}).get("lemma"), res.word_classes
    bystander = hurt in BYSTANDER_NOUNS or (hurt in classes["person_noun"] and hurt not in classes["partisan_noun"])
    return frame.event_type in ("ASSAULT", "PROTEST") and two_sided(frame) and not bystander \
        and (frame.actor1 is not None or hurt in classes["partisan_noun"])


def find_roles(trigger: Token, ctx: ArticleContext, event_type: str,
               sides: bool) -> tuple[Token | None, Token | None]:
    """(actor1 head, actor2 head) from the parse: active, passive, by, against, on; with
    ``sides``, the second of two subjects joined by "and" is actor 2."""
    if trigger.pos_ in ("VERB", "AUX"):
        actor1, actor2 = verb_roles(trigger, ctx.res.word_classes)
        if actor1 is None and actor2 is None and gerund_as_noun(trigger):
            actor2 = sides_of(trigger)  # "Fighting between the army and the rebels continued"
    else:
        actor1, actor2 = noun_roles(trigger, ctx, event_type)
    if trigger.dep_ == "relcl":
        # "farmers who blocked a highway", "a man who was shot": the relative pronoun
        # stands for the noun the clause hangs on
        actor1, actor2 = (trigger.head if role is not None and role.tag_ in ("WP", "WDT") else role
                          for role in (actor1, actor2))
    if actor1 is None:
        actor1 = author_read_as_object(trigger, ctx, event_type) or author_of_a_writing(trigger, ctx.res)
    if event_type == "PROTEST":
        # "police stopped a procession of BNP activists", "a rally of farmers marched": its
        # people, not the gathering
        if actor1 is None:
            actor1 = gathering_members(trigger, ctx)
        elif (members := gathering_members(actor1, ctx)) is not None:
            actor1 = members
    if actor1 is None and actor2 is not None and (trigger.pos_ != "VERB" or gerund_as_noun(trigger)) \
            and actor2.head.lower_ in SIDES_PREPOSITIONS:
        actor1, actor2 = actor2, None  # "fighting between X and Y"
    if actor1 is not None and actor2 is None and sides:
        # "M23 rebels and Congolese soldiers clashed": the second party is the other side.
        actor2 = child(actor1, "conj")
    if actor1 is not None and actor2 is not None and actor1.i == actor2.i:
        actor2 = None
    return actor1, actor2


def gathering_members(noun: Token, ctx: ArticleContext) -> Token | None:
    """The people a gathering's noun is made of ("a procession of the JCD", "a rally of
    3,000 farmers"): a party or a people the lexicons or the model know, or people of no
    arms the agents list names; not what it is about ("a protest of the decision", "in
    protest of the delay")."""
    if noun.lemma_.lower() not in ctx.res.word_classes["gathering_noun"] or in_protest(noun):
        return None
    members = prep_object(noun, {"of"})
    if members is None:
        return None
    head = prep_object(members, {"of"}) if members.like_num or members.lower_ in ctx.res.quantities else None
    people = head or members
    kind = ctx.res.agent_kinds.get(people.lemma_.lower())
    if kind is not None:
        # ("a rally of freedom fighters": veterans; no armed group holds a rally)
        return members if kind in ("people", "community") else None
    return members if people.i in ctx.actor_spans or people.ent_type_ in ("ORG", "NORP") else None


def author_of_a_writing(trigger: Token, res: ExtractionResources) -> Token | None:
    """Who issued the writing a participle tells the act of: "the ministry issued a
    statement condemning the attack", "the Coalition sent letters to the UN demanding
    ..." (a ``document_noun``, object of a verb of issuing: not "rebels received a letter
    demanding ..."); and who told an audience what the participle says, where the model
    hung it on the audience ("Jarba told the Al-Arabiya news channel condemning the
    bombardment"; an ``audience_noun`` or a medium, not "told the families demanding
    ...")."""
    if trigger.tag_ != "VBG" or trigger.dep_ != "acl" or trigger.head.dep_ != "dobj":
        return None
    writing, verb = trigger.head, trigger.head.head
    noun, lemma = writing.lemma_.lower(), verb.lemma_.lower()
    issued = noun in res.word_classes["document_noun"] and lemma in ISSUING_VERBS
    told = lemma in res.word_classes["reporting_verb"] and (
        noun in res.word_classes["audience_noun"] or noun in MEDIA_NOUNS)
    return subject_of(verb) if issued or told else None


# Verbs by which a writing is issued ("issued a statement", "sent letters"), and the media
# a speaker tells ("told the news channel").
ISSUING_VERBS = frozenset({"issue", "release", "send", "publish", "sign", "submit", "post", "circulate", "write",
                           "deliver", "address", "pen"})
MEDIA_NOUNS = frozenset({"channel", "television", "newspaper", "agency", "radio", "station", "outlet", "daily"})


def author_read_as_object(trigger: Token, ctx: ArticleContext, event_type: str) -> Token | None:
    """The author word before an event noun that the model took for the object of the
    preposition before it, the noun for a clause of its own: "died in rebel shelling",
    "killed in government shelling of Homs" ("rebel" the object of "in", "shelling" a
    clause of "died"). Only a word for an armed body, a nationality or a party the
    lexicon names."""
    if trigger.i == 0 or trigger.tag_ not in ("NN", "NNS", "VBG") or child(trigger, "dobj") is not None:
        return None  # (not a participle with its object: "fired on Damascus, injuring three")
    before = trigger.doc[trigger.i - 1]
    if before.dep_ != "pobj" or before.pos_ not in ("NOUN", "PROPN") or before.head.head.i != trigger.head.i \
            or list(before.children) or any(span.start <= before.i < span.end for span, _ in ctx.places):
        return None
    named = before.ent_type_ == "NORP" or before.i in ctx.actor_spans
    if not (named or (event_type == "ASSAULT" and armed_body_word(before, ctx.res))) \
            or names_the_scene(before, trigger, ctx):
        return None
    return before


def protest_light_verbs(trigger: Token, res: ExtractionResources) -> frozenset[str] | set[str]:
    """The light verbs a protest word may be the misparsed object of
    (``syntax.misparsed_object``: "conducted protests nation wide"); none for another word."""
    return res.word_classes["light_verb"] if trigger.lemma_.lower() in res.word_classes["protest_word"] else frozenset()


def verb_roles(trigger: Token, word_classes: dict[str, set[str]]) -> tuple[Token | None, Token | None]:
    """A verb's subject and object, or the agent and subject of a passive."""
    actor1 = actor2 = None
    passive = child(trigger, "nsubjpass") or shared_passive_subject(trigger)
    if passive is not None:
        actor2 = passive
        actor1 = prep_object(trigger, {"by"}) or shared_passive_agent(trigger, word_classes) \
            or enemy_fought(trigger, word_classes)
    elif trigger.tag_ == "VBN" and child(trigger, "aux") is None and child(trigger, "nsubj") is not None \
            and child(trigger, "dobj") is None and trigger.lemma_.lower() not in word_classes["crowd_verb"]:
        # reduced passive: "with dozens killed"; an object makes it active, whatever the
        # tag ("government air strikes killed 11 civilians"). Not a verb of protest that
        # harms no one, which the model tags so after two subjects or a quantity
        # ("students and teachers protested"): its subject protested.
        actor2 = child(trigger, "nsubj")
    elif reduced_passive(trigger, word_classes["harm_verb"]):
        # "Three civilians killed, 12 injured in Aleppo": a headline's passive that the
        # model read as active; the subject was harmed.
        actor2 = child(trigger, "nsubj")
        actor1 = prep_object(trigger, {"by"})
    else:
        # A gerund's doer may follow it ("said that shelling by government forces killed
        # five"), and so may a passive's whose subject the model missed ("IS was expelled
        # by the army", "IS" read as a verb).
        stranded = stranded_position(trigger, word_classes["position_verb"])
        actor1 = (child(stranded, "nsubj") if stranded is not None else None) \
            or subject_of(trigger, word_classes["reporting_verb"]) or (
            prep_object(trigger, {"by"}) if trigger.tag_ == "VBG" or child(trigger, "auxpass") else None) \
            or accused_of(trigger, word_classes["alleging_verb"])
        actor2 = child(trigger, "dobj")
        if actor2 is not None and actor2.lemma_.lower() in COUNT_WORDS:
            actor2 = None  # "stabbed multiple times"
    crowd = subject_of_a_participle_phrase(trigger, word_classes) if actor1 is None else None
    if crowd is not None:
        return crowd, prep_object(trigger, {"against", "at"})  # "Farmers hit by the drought protested"
    if actor2 is None:
        actor2 = prep_object(trigger, {"on", "against", "with", "at", "upon"})
    if actor2 is None and trigger.tag_ == "VBN" and trigger.dep_ in ("acl", "amod"):
        actor2 = trigger.head  # "soldiers killed in the attack"
    elif actor1 is None and trigger.dep_ == "acl" and (trigger.tag_ == "VBD" or (
            trigger.tag_ == "VBN" and child(trigger, "dobj") is not None
            and child(trigger, "dobj").lemma_.lower() not in COUNT_WORDS)):
        # parsed as a reduced relative: "200 people protested", "Al-Nusra attacked at dawn
        # the headquarters" (a participle with an object of its own is active)
        actor1 = trigger.head
    return actor1, actor2


def subject_of_a_participle_phrase(verb: Token, word_classes: dict[str, set[str]]) -> Token | None:
    """The crowd a verb of protest tells of where the model hung the verb on the last noun
    of a participle phrase after its subject ("Farmers hit by the drought protested",
    "Residents affected by the power project protested": "protested" read as a participle
    of "drought", "Farmers" as the root): the noun that phrase's participle modifies, if
    nothing governs it."""
    if verb.dep_ != "acl" or verb.tag_ != "VBN" or verb.lemma_.lower() not in word_classes["crowd_verb"] \
            or child(verb, "dobj") is not None:
        return None
    noun = verb.head
    if noun.dep_ != "pobj" or noun.head.dep_ not in ("agent", "prep"):
        return None
    participle = noun.head.head
    subject = participle.head
    if participle.dep_ != "acl" or participle.pos_ != "VERB" or subject.dep_ != "ROOT" \
            or subject.pos_ not in ("NOUN", "PROPN"):
        return None
    return subject


# Words a misparse makes the object of a participle: "stabbed multiple times".
COUNT_WORDS = frozenset({"time", "times"})


def shared_passive_subject(verb: Token) -> Token | None:
    """The subject a passive shares with the verb it is joined to: "two men were abducted
    and killed" (the model hangs the subject on the first verb only)."""
    if verb.dep_ != "conj" or verb.tag_ != "VBN" or child(verb, "nsubj", "nsubjpass", "aux") is not None:
        return None
    if child(verb, "auxpass") is not None:
        # a passive of its own ("police arrived and were attacked by the mob", "DRC
        # soldier found on Rwandan soil was shot"): the subject of the verb before is its
        # patient, active or not
        return child(verb.head, "nsubjpass") or child(verb.head, "nsubj")
    return child(verb.head, "nsubjpass") if verb.head.tag_ == "VBN" else None


def shared_passive_agent(verb: Token, word_classes: dict[str, set[str]]) -> Token | None:
    """The "by" phrase two joined passives of violence share: the model hangs it on the
    last ("were abducted and killed by gunmen": the gunmen did both; "were killed and 30
    others wounded by regime jets"). Not between other verbs: "kidnapped and rescued by
    the army", "killed and buried by villagers"."""
    violent = word_classes["harm_verb"] | word_classes["violent_act_verb"]
    if verb.lemma_.lower() not in violent:
        return None
    if shared_passive_subject(verb) is not None:
        return prep_object(verb.head, {"by"}) if verb.head.lemma_.lower() in violent else None
    joined = next((c for c in verb.children if c.dep_ == "conj" and c.tag_ == "VBN" and c.lemma_.lower() in violent
                   and (shared_passive_subject(c) is not None or gapped_passive(c))), None)
    if joined is None:
        # the same gap read as a noun joined to the verb with its participle ("were killed
        # and 20 others wounded by ...": "others" the conjunct, "wounded" its modifier)
        joined = next((a for c in verb.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PRON", "NUM")
                       for a in c.children if a.dep_ == "acl" and a.tag_ == "VBN" and a.lemma_.lower() in violent),
                      None)
    return prep_object(joined, {"by"}) if joined is not None else None


# Verbs of waging a fight, whose object is the enemy ("killed fighting Islamic State"), and
# that name a party by the war it wages ("forces fighting IS").
WAGING_VERBS = frozenset({"fight", "battle", "combat"})


def enemy_fought(verb: Token, word_classes: dict[str, set[str]]) -> Token | None:
    """Who killed those killed while fighting them: "three SDF soldiers were killed
    fighting Islamic State", "were wounded battling the militants". Not a fire or a
    disease fought ("killed battling a blaze", word class ``no_party_foe``)."""
    waging = next((c for c in verb.children if c.dep_ in ("xcomp", "advcl") and c.tag_ == "VBG"
                   and c.lemma_.lower() in WAGING_VERBS), None)
    enemy = (child(waging, "dobj") or prep_object(waging, {"against"})) if waging is not None else None
    return enemy if enemy is not None and enemy.lemma_.lower() not in word_classes["no_party_foe"] else None


def gapped_passive(verb: Token) -> bool:
    """A passive joined to another with a subject of its own and the auxiliary left out:
    "13 civilians were killed and 30 others wounded by regime jets" (one attack hurt
    both)."""
    return child(verb, "nsubj", "nsubjpass") is not None and child(verb, "aux", "auxpass") is None


def armed_body_word(modifier: Token, res: ExtractionResources) -> bool:
    """A bare word for an armed body or an irregular fighter before an attack noun, its
    author: "government air raids", "army shelling", "terrorist attacks". Not a noun with
    modifiers of its own ("an aid convoy attack"), a thing of war ("a patrol attack") or
    one of the state's people ("a peacekeeper attack", "soldier killings"): those are the
    target."""
    lemma = modifier.lemma_.lower()
    kind = res.agent_kinds.get(lemma)
    return not list(modifier.children) and kind in ARMED_OWNER_KINDS \
        and lemma not in res.word_classes["military_target"] \
        and (lemma not in res.persons or kind in ("rebel", "militia"))


def names_the_scene(modifier: Token, trigger: Token, ctx: ArticleContext) -> bool:
    """A place before an event noun that says where it was, not who did it: a town ("the
    Aleppo bomb attack"), or a country before a bomb or its going off ("a Syria car bomb",
    "a Turkey blast"), which no state sets off; but "US air strikes" and "a US drone
    strike" are the United States'."""
    place = next((p for span, p in ctx.places if span.start <= modifier.i < span.end), None)
    if place is None or (modifier.i in ctx.actor_spans and place.feature_type != "country"):
        return False
    if place.feature_type != "country":
        return True
    blasts = ctx.res.word_classes["blast_noun"]
    return any(t.lemma_.lower() in blasts for t in [trigger, *trigger.children] if t.i <= trigger.i)


def authored_through(trigger: Token, verb: Token) -> bool:
    """An event noun that is its clause subject's doing whatever the verb: what it
    answered with ("responded with air raids"), stood behind or was responsible for ("the
    regime was behind the attack"), what it was in or at ("the government is in talks
    with the rebels", "said at a meeting with Lavrov"), or a progressive the model read as
    a noun ("the SDF is now fighting")."""
    head = trigger.head
    if trigger.dep_ == "pobj":
        return head.lower_ in ("with", "behind") \
            or (head.lower_ == "for" and head.head.lower_ == "responsible") \
            or (head.lower_ in ("in", "at", "during") and head.head == verb)
    return trigger.dep_ == "attr" and (
        (trigger.tag_ == "VBG" and child(trigger, "det") is None)
        or any(c.lower_ == "behind" for c in head.children))


def noun_roles(trigger: Token, ctx: ArticleContext, event_type: str) -> tuple[Token | None, Token | None]:
    """An event noun's author (its possessor, "by X", a name before it, the subject of
    the verb it is the object of) and its target ("on", "against", "with" ...)."""
    owner = child(trigger, "poss")
    if owner is not None and owner.ent_type_ in ("DATE", "TIME"):
        owner = None  # "Monday's attack": when, not who
    actor1 = owner or prep_object(trigger, {"by"})
    if actor1 is None:
        # "Daesh attack", "Iraqi raid": a name or nationality before the noun, the nearest
        # one ("in the east of Syria Russian air strikes ...": the model hangs both on it).
        for c in reversed(modifiers_before(trigger, ctx)):
            if c.dep_ in ("compound", "amod", "nmod") and (
                    c.ent_type_ in ("ORG", "NORP", "GPE") or c.i in ctx.actor_spans
                    or (event_type == "ASSAULT" and armed_body_word(c, ctx.res))) \
                    and not names_the_scene(c, trigger, ctx):
                actor1 = c
                break
    actor2 = prep_object(trigger, {"on", "against", "targeting", "with", "between", "upon"}) or sides_of(trigger)
    verb = verb_done_in_protest(trigger, ctx.res.word_classes["protest_act"]) or governing_verb(trigger)
    temporal = trigger.dep_ == "pobj" and trigger.head.lower_ in ctx.res.word_classes["temporal_prep"]
    if actor1 is None and verb is not None and (trigger.dep_ in ("dobj", "pobj", "attr", "conj")
                                                or misparsed_object(trigger, protest_light_verbs(trigger, ctx.res))) \
            and not temporal:
        classes = ctx.res.word_classes
        subject = subject_of(verb, classes["reporting_verb"]) or (
            accused_of(verb, classes["alleging_verb"]) if trigger.lemma_.lower() not in classes["crowd_noun"] else None)
        if trigger.dep_ == "pobj" and trigger.head.lower_ == "under":
            # "a convoy came under attack by (from) gunmen": the subject was attacked.
            actor2 = actor2 or subject
            actor1 = prep_object(verb, {"by", "from"}) or prep_object(trigger, {"from"})
        elif verb.lemma_.lower() in DYING_VERBS and subject is not None \
                and ctx.res.agent_kinds.get(subject.lemma_.lower()) not in ARMED_OWNER_KINDS | {"assailant"}:
            actor2 = actor2 or subject  # "six teachers died in air strikes": the victims
        elif event_type == "PROTEST" and stopped_by_forces(trigger, ctx.res):
            actor2 = actor2 or subject  # "police stopped the procession": who met it, not its crowd
        elif verb.lemma_.lower() not in classes["witness_verb"] or authored_through(trigger, verb):
            # "two suicide bombers died in the attack": its authors; but who "reported",
            # "saw" or "condemned" the shelling did not shell.
            actor1 = subject
    if actor2 is None and trigger.dep_ in ("nsubj",) and verb is not None:
        actor2 = child(verb, "dobj")
    return actor1, actor2


def stopped_by_forces(trigger: Token, res: ExtractionResources) -> bool:
    """Whether a protest's noun is what security forces stopped or broke up ("police
    stopped the procession", "interrupted the protest", "used force to disperse the
    rally"): they met the protest, they did not hold it (not "policemen called a
    protest")."""
    return stopped_by_state(trigger, res.word_classes["stopping_verb"], res.agent_kinds)


# The first word of the two-word attack nouns "air strike", "air raid", "air attack": the
# model hangs what comes before it on it ("Regime air strikes": "Regime" on "air").
AIR_WORDS = frozenset({"air"})


def modifiers_before(noun: Token, ctx: ArticleContext) -> list[Token]:
    """The words before an event noun that may name its author, in text order: its own,
    and those of an event, weapon or air word before it ("Regime bombing raids",
    "Regime air strikes": the model hangs "Regime" on "bombing", on "air"); not those of
    another noun ("a police station attack": the police are the target's)."""
    classes = ctx.res.word_classes
    found = []
    for c in noun.children:
        if c.i >= noun.i:
            continue
        found.append(c)
        lemma = c.lemma_.lower()
        if c.dep_ == "compound" and (c.i in ctx.event_heads or lemma in ctx.res.modes or lemma in AIR_WORDS
                                     or lemma in classes["weapon"] or lemma in classes["claimed_noun"]):
            found += [g for g in c.children if g.i < c.i and g.dep_ in ("compound", "amod", "nmod")]
    return sorted(found, key=lambda t: t.i)


def doer_by(noun: Token) -> Token | None:
    """Who did what a noun names, by its own "by" phrase ("shelling by the RSF hit a
    market") or that of a participle or a relative clause on it ("an IED planted by
    ISWAP", "an attack launched by al-Nusra"), else None."""
    if noun.pos_ == "NOUN":
        agent = prep_object(noun, {"by"})
        if agent is not None:
            return agent
    for acl in noun.children:
        if acl.dep_ in ("acl", "relcl") and acl.tag_ == "VBN":
            agent = prep_object(acl, {"by"})
            if agent is not None:
                return agent
    return None


def author_of(group: list[tuple[Token, dict]], res: ExtractionResources) -> Token | None:
    """Who acted when the clause's subject is no actor: "an IED planted by ISWAP
    exploded", "shells fired by al-Shabaab landed", "they had taken over" in what the
    RSF said."""
    for token, _ in group:
        subject = subject_of(token) if token.pos_ == "VERB" else None
        for noun in [n for n in (subject, token) if n is not None]:
            agent = doer_by(noun)
            if agent is not None:
                return agent
        if subject is not None and subject.lower_ in ("they", "it", "we", "he", "she"):
            _, reporting = clause_chain(token, res)
            if reporting is not None:
                speaker = subject_of(reporting)
                # Not a source named after a third-person pronoun ("They torched it,
                # police said"): that stands for someone named before it.
                if speaker is not None and speaker.pos_ != "PRON" and (
                        speaker.i < subject.i or subject.lower_ == "we"):
                    return speaker
    return None


def victims(ctx: SentenceContext) -> dict | None:
    """Who was hit, from the casualty phrase when the trigger's clause names no target:
    "an airstrike ..., killing 8 civilians"."""
    for field, _, index in ctx.magnitudes:
        if field not in ("fatalities", "injured"):
            continue
        token = ctx.sent.doc[index]
        objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")
                   or (c.dep_ == "nsubj" and token.lemma_.lower() in DYING_VERBS)]  # "a policeman died of wounds"
        if token.tag_ == "VBN" and token.dep_ in ("acl", "amod"):
            objects.append(token.head)
        # "claimed the lives of 18 civilians": whose lives
        objects = [(prep_object(obj, {"of"}) or obj) if obj.lemma_.lower() == "life" else obj for obj in objects]
        for obj in objects:
            actor = describe_actor(obj, ctx, ctx.event_heads) or person_hit(obj, ctx.res)
            if actor is not None:
                return actor
    for token in ctx.sent:
        # "a truck driver suffered burn injuries as assailants hurled a petrol bomb"
        if token.lemma_.lower() in SUFFERING_VERBS and token.pos_ == "VERB" and any(
                c.dep_ == "dobj" and c.lemma_.lower() in ctx.res.word_classes["wound_noun"] for c in token.children):
            sufferer = child(token, "nsubj")
            actor = describe_actor(sufferer, ctx, ctx.event_heads) or person_hit(sufferer, ctx.res)
            if actor is not None:
                return actor
    return None


SUFFERING_VERBS = frozenset({"suffer", "sustain", "receive"})  # whose subject was hurt


def person_hit(head: Token | None, res: ExtractionResources) -> dict | None:
    """One or more people named by what they are that the agents list does not know, as
    the ones an attack hit ("an alleged thief was killed", "killed a headmaster"): the
    civilians ACLED codes them as. Only as the target: who acted is told otherwise."""
    if head is None or head.pos_ != "NOUN" or head.lemma_.lower() not in res.word_classes["person_noun"]:
        return None
    return {"text": phrase_text(head), "name": None, "country": country_in(own_subtree(head), res, owner=head),
            "sector": "CVL", "lemma": head.lemma_.lower(), "kind": "person" if head.tag_ == "NN" else "people",
            "group": None}


def civilians_hit(head: Token, ctx: SentenceContext, by_name: bool) -> dict | None:
    """The civilians ACLED codes an attack on where what it hit is no actor the lexicons
    know: people named by what they are (``person_hit``), someone named by name
    ("manhandled Binod Rai, a publisher"; only with ``by_name``), or the owner of a home
    or a vehicle hit ("set fire to the house of a journalist", "Kamal, a driver, was hurt
    when pickets hurled a petrol bomb at his truck"), marked as the owner of what was hit
    (``acled_coding.PROPERTY_HIT``). Never the thing or the place itself: a house, a village
    or a neighbourhood is no actor (``docs/judging.md``), and an owner the sentence does
    not name leaves the target unnamed; nor a party's office or soldiers' vehicle, whose
    owner is no civilian."""
    res = ctx.res
    found = person_hit(head, res)
    if found is not None:
        return found
    if by_name and named_civilian(head, ctx):
        return civilians_named(head, res)
    if head.pos_ != "NOUN" or not names_property(head, res):
        return None
    owner = child(head, "poss") or prep_object(head, {"of"})
    if owner is not None and owner.tag_ == "PRP$":
        owner = pronoun_owner(owner, ctx)  # "his truck": the man the sentence named before
    if owner is None:
        return None
    if named_civilian(owner, ctx):
        return dict(civilians_named(owner, res), **{PROPERTY_HIT: True})
    actor = describe_actor(owner, ctx, ctx.event_heads) or person_hit(owner, res)
    if actor is None or actor.get("kind") not in ("people", "person", "official"):
        return None
    return dict(actor, **{PROPERTY_HIT: True})


def pronoun_owner(pronoun: Token, ctx: SentenceContext) -> Token | None:
    """Whom a possessive pronoun stands for: the nearest person the sentence names before
    it, by name or by what they are ("Kamal Hossain, a mini-truck driver, suffered burns
    when pickets hurled a petrol bomb at his truck"), not the subject of the verb its
    phrase hangs from (the pickets). None when that person is no civilian ("a soldier
    ... his vehicle", "Constable Ramesh Singh ... his motorcycle"), when a plural pronoun
    would stand for one of several people joined ("One mother and her child ... their
    home"), or when the sentence names no one."""
    res = ctx.res
    verb = next((t for t in pronoun.ancestors if t.pos_ in ("VERB", "AUX")), None)
    subject = child(verb, "nsubj") if verb is not None else None
    doers = {t.i for t in subject.subtree} if subject is not None else set()
    plural = pronoun.lower_ in ("their", "its")
    for token in reversed(pronoun.sent[:pronoun.i - pronoun.sent.start]):
        if token.i in doers or (token.dep_ in ("compound", "flat") and token.head.ent_type_ == "PERSON"):
            continue  # the attackers; a first name (the name's last word decides)
        lemma = token.lemma_.lower()
        named = token.ent_type_ == "PERSON" and token.pos_ == "PROPN"
        if not named and not (token.pos_ == "NOUN" and (lemma in res.word_classes["person_noun"]
                                                       or lemma in res.agent_kinds)):
            continue
        if plural and (token.dep_ == "conj" or child(token, "conj") is not None):
            return None
        if named:
            return token if named_civilian(token, ctx) else None
        return token if lemma in res.word_classes["person_noun"] or \
            res.agent_kinds.get(lemma) in ("people", "person") else None
    return None


def hit_as_civilians(actor: dict | None, head: Token, ctx: SentenceContext, mode: str,
                     trigger: Token) -> dict | None:
    """The target of an attack as ACLED codes it: civilians where it is no actor the
    lexicons know (``civilians_hit``), and one civilian where it is a person named by name
    and of no known kind ("manhandled Binod Rai"; "Zahran Alloush, the leader of Jaysh
    al-Islam" is of that group). A name is taken for a person only as the object of a
    verb of harm to people in an attack on people (``person_harm_verb``: killed, shot,
    beat, abducted; a shooting, blows, an abduction): what is attacked, stormed or raided
    by name, or hit by shells, air strikes and bombs, is a place more often than a person
    ("Rebels stormed Jisr al-Shughour", "warplanes targeted Khan Sheikhoun"), whatever the
    model tagged it. People named through a home or a vehicle hit ("a passenger bus") are
    marked so (``acled_coding.PROPERTY_HIT``)."""
    if mode == "clash":  # the other side of a fight, no one attacked ("rebels fighting Assad")
        return actor or person_hit(head, ctx.res)
    by_name = mode in PERSONAL_MODES and trigger.lemma_.lower() in ctx.res.word_classes["person_harm_verb"]
    if actor is None:
        return civilians_hit(head, ctx, by_name)
    if by_name and actor.get("kind") is None and named_civilian(head, ctx):
        return dict(actor, kind="person", sector=actor.get("sector") or "CVL")
    if names_property(head, ctx.res):
        return dict(actor, **{PROPERTY_HIT: True})  # "a passenger bus": its people, through what was hit
    return actor


def names_property(head: Token, res: ExtractionResources) -> bool:
    """Whether a noun names someone's home or vehicle (``home_noun``, ``owned_vehicle``)."""
    return head.lemma_.lower() in res.word_classes["home_noun"] | res.word_classes["owned_vehicle"]


# Modes of attacks aimed at people one by one (``modes.csv``): their named target is a person.
PERSONAL_MODES = frozenset({"", "firearms", "physical", "brawl", "abduct", "sexual", "riot-weapon"})


def named_civilian(head: Token, ctx: SentenceContext) -> bool:
    """Whether a person named by name is told as no one of a body: no leader, commander,
    member or fighter in their phrase or in the noun they are set beside ("Zahran Alloush,
    the leader of Jaysh al-Islam", "A soldier, Ramesh Singh"), and no place the model took
    for a person (one the gazetteer placed, or the object of an event noun's preposition:
    "attacks on Khan Sheikhun")."""
    res = ctx.res
    if head.ent_type_ != "PERSON" or head.pos_ != "PROPN" \
            or any(span.start <= head.i < span.end for span, _ in ctx.mentioned_places):
        return False
    if head.dep_ == "pobj" and head.head.head.i in ctx.event_heads:
        return False  # after an event noun, more often a place taken for a person ("an attack on Khan Touman")
    told = list(head.subtree) + ([head.head, *own_words(head.head)] if head.dep_ == "appos" else [])
    of_a_body = res.word_classes["rank_noun"] | res.word_classes["member_noun"]
    return not any(t.lemma_.lower() in of_a_body or res.agent_kinds.get(t.lemma_.lower()) in ARMED_TARGET_KINDS
                   for t in told)


def civilians_named(head: Token, res: ExtractionResources) -> dict:
    """One civilian an attack hit, named by name ("Binod Rai"), with the country their
    phrase names."""
    words = head.doc[head.left_edge.i:head.i + 1]
    return {"text": words.text, "name": None, "country": country_in(list(words), res, owner=head),
            "sector": "CVL", "lemma": head.lemma_.lower(), "kind": "person", "group": None}


# -- the actors of an event frame, most trusted source first -------------------------------
def find_actors(ctx: SentenceContext, frame: Frame) -> None:
    """Set ``actor1`` (with the token it was read from) and ``actor2`` of a frame."""
    actors_from_roles(ctx, frame)
    if frame.actor1 is None:
        author = author_of(frame.group, ctx.res)
        if author is not None:
            take_actor1(frame, describe_actor(author, ctx, ctx.event_heads), author)
    if frame.actor2 is None and frame.trigger.pos_ == "VERB":
        target = prep_object(frame.trigger, {"at", "on", "against", "upon"})
        if target is not None:  # "fired mortars at an AU base", "hurled petrol bombs at his car"
            frame.actor2 = describe_actor(target, ctx, ctx.event_heads)
            if frame.event_type == "ASSAULT":
                frame.actor2 = hit_as_civilians(frame.actor2, target, ctx, frame.mode, frame.trigger)
    sides_of_fighting(ctx, frame)
    if frame.actor2 is None and frame.event_type == "RETREAT":
        frame.actor2 = forced_by(ctx, frame.trigger)
    if frame.actor2 is None and frame.event_type == "ASSAULT" and frame.mode in GROUND_TAKEN_MODES:
        frame.actor2 = taken_from(ctx, frame)
    if frame.actor2 is None and frame.event_type == "ASSAULT":
        frame.actor2 = victims(ctx)
    if frame.actor2 is None and frame.event_type in SPEECH_ACTS and frame.trigger.pos_ == "VERB":
        # "demanded that the US cancel ...": the one asked is the clause's subject.
        clause = child(frame.trigger, "ccomp")
        addressee = child(clause, "nsubj", "nsubjpass") if clause is not None else None
        if addressee is not None:
            frame.actor2 = describe_actor(addressee, ctx, ctx.event_heads)
    if frame.event_type == "PROTEST":
        protesters(ctx, frame)
    if frame.event_type == "ASSAULT":
        hit_off_duty(ctx, frame)


def forced_by(ctx: SentenceContext, trigger: Token) -> dict | None:
    """Who forced a withdrawal ("Government troops forced the rebels to retreat from
    Morek"; the rebels retreated, ``syntax.subject_of``): the side they withdrew before."""
    if trigger.dep_ != "xcomp" or trigger.head.lemma_.lower() not in FORCING_VERBS \
            or child(trigger.head, "dobj") is None:
        return None
    forcer = child(trigger.head, "nsubj")
    return describe_actor(forcer, ctx, ctx.event_heads) if forcer is not None else None


FORCING_VERBS = frozenset({"force", "compel", "oblige", "push", "drive"})  # whose object withdrew before them


def taken_from(ctx: SentenceContext, frame: Frame) -> dict | None:
    """Whom ground was taken from ("the army recaptured Morek from the rebels", "seized the
    hill from IS"): the side of the "from" of the verb that took it; not a place ("expelled
    the militants from Manbij")."""
    verb = frame.verb if frame.verb is not None else frame.trigger
    source = prep_object(verb, {"from"}) or prep_object(frame.trigger, {"from"})
    if source is None or source.ent_type_ in PLACE_LABELS \
            or source.lemma_.lower() in ctx.res.word_classes["place_noun"] | ctx.res.word_classes["admin_noun"]:
        return None
    actor = describe_actor(source, ctx, ctx.event_heads)
    return actor if actor is not None and actor.get("kind") is not None else None


GROUND_TAKEN_MODES = frozenset({"occupy", "retake"})


def hit_off_duty(ctx: SentenceContext, frame: Frame) -> None:
    """Police or soldiers attacked off duty are civilians, as ACLED's codebook counts them
    (its civilian targeting): told so by their own words ("an off-duty soldier", "a
    retired police officer", "a plain clothes policeman", "a former soldier"; "Hamid
    Dara, a retired army colonel"), or hit in their own homes ("shot dead outside his
    house", "killed inside their homes", "stormed the policeman's home"). The victims
    keep their name and sector; their kind becomes one of unarmed people, so the attack is
    one on civilians, not a battle. Not a side of a fight, which acted as a force, nor
    a post, a patrol or a convoy."""
    victim = frame.actor2
    if victim is None or victim.get("kind") != "state" or victim is frame.actor1:
        return
    if frame.mode == "clash" or fight_of_two_sides(frame.trigger, ctx.res) is not None:
        return  # "a gunfight between the plainclothes policemen and his associates"
    head = victim_head(ctx, frame, victim)
    if head is not None and agent_lemma(head, ctx.res) not in ctx.res.persons:
        # "Hamid Dara, a retired army colonel": the noun set beside the name tells what he is
        head = next((c for c in head.children if c.dep_ == "appos" and agent_lemma(c, ctx.res) in ctx.res.persons),
                    None)
    if head is None:
        return  # a post, a patrol, a convoy, the forces as a body
    clause = frame.verb if frame.verb is not None else frame.trigger
    attacks = {clause.i, head.i} | {t.i for t, _ in frame.group}
    if told_off_duty(own_words(head), ctx.res) or hit_at_home(clause, head, attacks, ctx.res):
        frame.actor2 = dict(victim, kind="people" if head.tag_ in ("NNS", "NNPS") else "person")


def victim_head(ctx: SentenceContext, frame: Frame, victim: dict) -> Token | None:
    """The token the victims were read from: the word of their lemma whose phrase is
    theirs, nearest the trigger."""
    found = [t for t in ctx.sent if t.lemma_.lower() == victim.get("lemma") and phrase_text(t) == victim["text"]]
    return min(found, key=lambda t: abs(t.i - frame.trigger.i), default=None)


# How a word tells what someone is: its modifiers ("retired", "off-duty", "plain clothes"),
# the phrases after it ("in plain clothes") and a noun set beside it ("Hamid Dara, a
# retired colonel"); not a possessor ("the former minister's guards").
OWN_WORD_DEPS = frozenset({"amod", "compound", "nmod", "prep", "appos"})


def own_words(head: Token) -> list[Token]:
    """The words that tell what a noun's person is (``OWN_WORD_DEPS``), a noun set beside
    it (apposition) with its own, and the noun it is set beside."""
    words = [t for c in head.children if c.dep_ in OWN_WORD_DEPS for t in c.subtree]
    if head.dep_ == "appos":
        words += [t for c in head.head.children if c.dep_ in OWN_WORD_DEPS - {"appos"} for t in c.subtree]
    return words


def told_off_duty(tokens: list[Token], res: ExtractionResources) -> bool:
    """Whether the words say someone was off duty: "off-duty", "plain clothes",
    "retired", "former" (``off_duty_word``, hyphens read as spaces)."""
    words = f" {' '.join(t.lower_ for t in sorted(tokens, key=lambda t: t.i) if t.text != '-')} "
    return any(f" {phrase} " in words for phrase in res.word_classes["off_duty_word"])


def hit_at_home(clause: Token, victim: Token, attacks: set[int], res: ExtractionResources) -> bool:
    """Whether the attack is told at the victims' own home: a home noun (``home_noun``)
    with a possessive ("his", "their", "the policeman's") where the attack's words
    (``attacks``: its clause, its other triggers) or the victims themselves were ("killed
    inside their homes", "was killed after militants stormed his home", "a policeman
    outside his house"); not a home in another clause ("forcing villagers to flee their
    homes", "as residents hid in their homes", "and torched their houses"), nor one in what
    the victims did ("policemen who raided his house")."""
    theirs = {t.i for t in victim.subtree}  # what the victims did: "police who raided his house"
    for token in clause.subtree:
        if token.lemma_.lower() not in res.word_classes["home_noun"] or token.i == victim.i:
            continue
        where = token  # up through its prepositions: "in front of his home" -> "killed"
        while where.dep_ == "pobj" and where.head.dep_ == "prep":
            where = where.head.head
        at_the_attack = (where.i != token.i and where.i in attacks) \
            or (token.dep_ == "dobj" and token.head.i in attacks)
        if token.i in theirs and where.i != victim.i:
            continue
        owner = child(token, "poss")
        if at_the_attack and owner is not None and (
                owner.tag_ == "PRP$" or owner.lemma_.lower() == victim.lemma_.lower()):
            return True
    return False


# Words that refer back to a party named before: "they", "its attack", "the group".
REFERRING_PRONOUNS = {"they", "it", "its", "their", "them"}
REFERRING_NOUNS = {"group", "organization", "organisation", "movement", "militia", "faction"}


def antecedent(head: Token, ctx: ArticleContext, other: dict | None = None) -> dict | None:
    """The named party a pronoun or a definite description stands for ("They stormed the
    village", "the group claimed", "its fighters"): the lexicon actor named last before
    it, in its sentence or the two before; a plural pronoun takes a group, never one
    person. Never the party of the event's ``other`` side ("41 FSA rebels were executed
    by the extremist group": not the FSA)."""
    lower, lemma = head.lower_, head.lemma_.lower()
    definite = lemma in REFERRING_NOUNS and any(c.dep_ == "det" and c.lower_ in ("the", "this")
                                                for c in head.children)
    if not (head.pos_ == "PRON" and lower in REFERRING_PRONOUNS) and not definite:
        return None
    sentences = [head.sent]
    for _ in range(2):
        start = sentences[-1].start
        if start == 0:
            break
        sentences.append(head.doc[start - 1].sent)
    earliest = sentences[-1].start
    # (the other side is a name and a sector together: "30 Kenyan militants" are not the
    # Kenya Defence Forces that killed them; a state's army and its government are one)
    other_side = side_of(other.get("name"), other.get("sector")) if other and other.get("name") else None
    named = [(i, span, actor) for i, (span, actor) in ctx.actor_spans.items()
             if earliest <= i < head.i and i == span.start and actor.kind not in (None, "people")]
    before = [b for b in named if other_side is None or side_of(b[2].name, b[2].sector) != other_side]
    if not before:
        if named and lower in ("they", "them", "their"):
            # "two policemen were on patrol when TTP militants attacked them": the party
            # named is the other side, so the people told before it in the sentence
            return people_before(head, ctx, other)
        return None
    _, span, actor = max(before, key=lambda b: b[0])
    return lexicon_party(actor, span.text, lemma)


def side_of(name: str | None, sector: str | None) -> tuple[str | None, str | None]:
    """A party's side: its name with its sector, the state's sectors as one."""
    return name, "state" if sector in STATE_SECTORS else sector


def people_before(pronoun: Token, ctx: ArticleContext, other: dict) -> dict | None:
    """The nearest plural agent noun before a pronoun in its sentence that is not of the
    other side's sector ("two policemen", not the "militants" who attacked them)."""
    for token in reversed(pronoun.doc[pronoun.sent.start:pronoun.i]):
        if token.tag_ != "NNS" or token.lemma_.lower() not in ctx.res.agents:
            continue
        actor = describe_actor(token, ctx, ctx.event_heads)
        if actor is not None and actor.get("sector") != other.get("sector"):
            return actor
    return None


def take_actor1(frame: Frame, actor: dict | None, head: Token) -> None:
    frame.actor1 = actor
    frame.head1 = head if actor else None


def actors_from_roles(ctx: SentenceContext, frame: Frame) -> None:
    """The roles of the main trigger, then of the others, fill what is still empty."""
    harmed: set[int] = set()  # who one trigger says was hit is no other trigger's attacker
    sides = two_sided(frame)
    author_told_two_sided = False  # whether the word whose subject is actor 1 tells a two-sided act
    for token, info in [(frame.trigger, frame.info)] + [g for g in frame.group if g[0] is not frame.trigger]:
        h1, h2 = find_roles(token, ctx, frame.event_type, sides)
        if h2 is not None:
            harmed.add(h2.i)
        # (what the object names, read once: the other side of actor 1's reference, and actor 2)
        named2 = describe_actor(h2, ctx, ctx.event_heads) if h2 is not None and frame.actor2 is None else None
        if frame.actor1 is None and h1 is not None and h1.i not in harmed:
            actor1 = antecedent(h1, ctx, frame.actor2 or named2) or describe_actor(h1, ctx, ctx.event_heads)
            take_actor1(frame, actor1, h1)
            author_told_two_sided = frame.event_type in MUTUAL_TYPES or reciprocal(token, frame.verb) \
                or (info.get("mode") in MUTUAL_MODES and token.lemma_.lower() in CLASH_WORDS)
        if frame.actor2 is None and h2 is not None:
            frame.actor2 = antecedent(h2, ctx, frame.actor1) or named2
            # not in a relative clause, which tells who they were ("the relatives of
            # miners who were killed on 2 March staged a protest")
            if frame.event_type == "ASSAULT" and token.dep_ != "relcl":
                frame.actor2 = hit_as_civilians(frame.actor2, h2, ctx, frame.mode, token)
    if frame.actor2 is None and frame.head1 is not None and sides:
        # "Government forces and rebels exchanged fire": the object named no one, the
        # second party is the other side.
        partner = child(frame.head1, "conj")
        if partner is not None:
            frame.actor2 = describe_actor(partner, ctx, ctx.event_heads)
        else:
            # "BJP and Congress workers clashed"; not "US and Iraqi troops attacked IS
            # positions", a clash only by the kinds of its parties, nor "Syrian and Russian
            # warplanes launched strikes ... on areas held by rebels battling ...", a clash
            # word of another clause (``CLASH_WORDS``)
            split = sides_sharing_a_noun(frame.head1, ctx) if author_told_two_sided else None
            if split is not None:
                frame.actor1, frame.actor2 = split


# Words of a fight both sides made ("clashed", "exchanged fire"); not "fighting", which allies
# do together against an enemy the sentence may leave unnamed ("Syrian and Russian forces
# were fighting near Palmyra").
CLASH_WORDS = frozenset({"clash", "exchange", "skirmish", "scuffle", "brawl", "tussle"})

# How a modifier joins the noun it names the kind of: "KIA" of "KIA troops", "Indian" of
# "Indian troops", "Awami League" of "Awami League activists".
NOUN_MODIFIER_DEPS = frozenset({"nmod", "amod", "compound"})


def sides_sharing_a_noun(head: Token, ctx: ArticleContext) -> tuple[dict, dict] | None:
    """The two sides of a two-sided event told by two modifiers of one noun: "BJP and
    Congress workers clashed" (BJP workers and Congress workers), "KIA and Myanmar troops
    clashed", "Pakistani and Indian troops exchanged fire", "a clash between Awami League
    and BNP activists". Each side is the noun with its own modifier (and whatever else
    the phrase holds: "the", "Armed"); None when the noun has no such pair, more than
    two ("BJP, Congress and SP workers"), or the sides come out as one party."""
    pairs = [c for c in head.children if c.dep_ in NOUN_MODIFIER_DEPS and c.i < head.i
             and any(g.dep_ == "conj" and g.i < head.i for g in c.children)]
    if len(pairs) != 1:
        return None
    first = pairs[0]
    seconds_named = [g for g in first.children if g.dep_ == "conj" and g.i < head.i]
    others = [c for c in head.children if c.i != first.i and c.dep_ in NOUN_MODIFIER_DEPS and c.i < head.i
              and names_a_side(c, ctx)]
    if len(seconds_named) != 1 or others:
        return None  # a list of three, or a name beside the pair: whose side it is on is not told
    second = seconds_named[0]
    if not (names_a_side(first, ctx) and names_a_side(second, ctx)):
        return None  # "clashes between youth and government forces": two nouns, the parse's slip
    start = phrase_start(head)
    if start is None:
        return None
    phrase = [t for t in actor_phrase(head, False, ctx.res) if t.i >= start]
    seconds = {t.i for t in second.subtree}
    firsts = {t.i for t in first.subtree} - seconds
    # the words joining the pair ("and", a comma), not a hyphen inside a name ("Zanu-PF")
    glue = {c.i for c in first.children if c.dep_ in ("cc", "punct", "preconj") and c.i > first.i}
    sides = []
    for own, other in ((firsts, seconds | glue), (seconds, firsts | glue)):
        # a name the other side's words belong to is not this side's ("The Taliban and
        # Afghan forces": "The" is of the name "The Taliban" too)
        theirs = {i for i, (span, _) in ctx.actor_spans.items() if any(j in other for j in range(span.start, span.end))}
        sides.append([t for t in phrase if t.i not in other and (t.i not in theirs or t.i in own)])
    actors = []
    for tokens in sides:
        actor = listed_actor(head, tokens, ctx) or unlisted_actor(head, tokens, False, ctx.res)
        if actor is None:
            return None
        actor["text"] = "".join(t.text_with_ws for t in tokens).strip(" ,.;:\"“”'-")
        actors.append(actor)
    if (actors[0].get("name"), actors[0].get("country")) == (actors[1].get("name"), actors[1].get("country")) \
            and actors[0].get("name"):
        return None  # one party on both sides: the words were misread
    return actors[0], actors[1]


SIDES_PREPOSITIONS = frozenset({"between", "among", "amongst"})


def names_armed_body(doc: Doc | Span, actor_spans: dict, res: ExtractionResources) -> bool:
    """Whether an article (or a sentence) names soldiers, fighters or an armed group: a noun of
    ``armed_body_noun`` ("troops", "militants", "gunmen") that is no modifier of another,
    "armed" before a noun that is not the police ("armed men"), or a name the lexicon
    knows for an army or a rebel group. Not the police ("armed police"), nor a word that
    only looks like one ("were forced to", "security forces", "rebel candidates")."""
    for token in doc:
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ not in ("compound", "amod") \
                and token.lemma_.lower() in res.word_classes["armed_body_noun"]:
            return True  # (not "rebel candidates", "army chief": a modifier)
        if token.lower_ == "armed" and token.dep_ == "amod" and res.agents.get(token.head.lemma_.lower()) != "COP":
            return True  # "armed men", not "armed police"
        named = actor_spans.get(token.i)
        if named is not None and named[1].sector in ("MIL", "REB"):
            return True
    return False


def gerund_as_noun(token: Token) -> bool:
    """A gerund the model tagged a verb that stands as the subject of a clause, with no
    subject or object of its own: "Fighting between the army and the rebels continued"."""
    return token.tag_ == "VBG" and token.dep_ in ("nsubj", "nsubjpass") \
        and not any(c.dep_ in ("nsubj", "dobj") for c in token.children)


def sides_of(noun: Token) -> Token | None:
    """The first side named after "between" or "among" by a fight noun or a gerund that
    stands as one (``gerund_as_noun``: "a clash between X and Y", "clashes among BNP,
    Awami League and police", "Fighting between the army and the rebels continued") or by
    the verb it is the subject of, active or passive ("clashes broke out between police
    and opposition activists", "clashes were reported between ...")."""
    if noun.pos_ != "NOUN" and not gerund_as_noun(noun):
        return None
    sides = prep_object(noun, SIDES_PREPOSITIONS)
    if sides is None and noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ == "VERB":
        sides = prep_object(noun.head, SIDES_PREPOSITIONS)
    return sides


def sides_of_fighting(ctx: SentenceContext, frame: Frame) -> None:
    """"fighting between the army and Fano ... killed 30 civilians": the parties are the
    two sides; the civilians are the toll."""
    for token, _ in frame.group:
        between = sides_of(token)
        partner = child(between, "conj") if between is not None else None
        inside = False
        if partner is None and between is not None:
            partner = side_joined_inside(between)
            inside = partner is not None
        if partner is not None:
            side1 = describe_actor(between, ctx, ctx.event_heads)
            side2 = describe_actor(partner, ctx, ctx.event_heads)
            if inside and side1:
                side1 = without_the_other_side(side1, between, partner, ctx.res)
            if inside and side1 and side2 and FORCE_SECTORS.isdisjoint({side1.get("sector"), side2.get("sector")}):
                # "between supporters of the AL and the BNP": the BNP's supporters, people
                # of the first side's sector and kind, the BNP's name and group (not
                # "cadres of the Front and police personnel")
                side2 = {**side1, "text": side2["text"], "name": side2.get("name"), "group": side2.get("group"),
                         "country": side2.get("country") or side1.get("country")}
            if side1 and side2:
                frame.actor1, frame.head1, frame.actor2 = side1, between, side2
                break
            if not inside:
                break
            # (a town joined inside, "between residents of Jaramana and Sahnaya", is no
            # side: the sides may still share a noun)
        split = sides_sharing_a_noun(between, ctx) if between is not None else None
        if split is not None:  # "fighting between KIA and Myanmar troops"
            (frame.actor1, frame.actor2), frame.head1 = split, between
            break


def side_joined_inside(side: Token) -> Token | None:
    """The second side of a fight "between" two that the model joined to the first side's
    "of" phrase ("clashes between cadres of the Madhesi Front and police personnel",
    "between supporters of the BNP and the Awami League"): "between" names two sides, so
    what is joined there is the other one."""
    of = prep_object(side, {"of"})
    partner = child(of, "conj") if of is not None else None
    return partner if partner is not None and partner.pos_ in ("NOUN", "PROPN") else None


def without_the_other_side(side: dict, head: Token, partner: Token, res: ExtractionResources) -> dict:
    """A side's actor without the other side joined inside its phrase
    (``side_joined_inside``): "cadres of the Front", not "cadres of the Front and police",
    and of the kind its own words tell (not the police's)."""
    doc = head.doc
    joint = next((c for c in partner.head.children if c.dep_ == "cc" and c.i < partner.i), None)
    cut = (joint or partner.left_edge).i
    begin = doc.text.find(side["text"], head.left_edge.idx)
    if begin < 0 or not begin < doc[cut].idx < begin + len(side["text"]):
        return side
    own = [t for t in head.subtree if t.i < cut]
    kind = phrase_kind(head, own, res) or SECTOR_KINDS.get(side.get("sector") or "") if not side.get("name") \
        else side.get("kind")
    return {**side, "text": doc.text[begin:doc[cut].idx].rstrip(" ,"), "kind": kind}


def assailants_beaten_back(ctx: SentenceContext, frame: Frame) -> None:
    """The other side of an assault beaten back ("foiled an attempt by al-Nusra
    terrorists to infiltrate a post", "thwarted an attack by IS on its positions"): who
    the assault, or the attempt at one, was made by, rather than the post it aimed at
    (the defenders' own), also by the participle after it ("foiled an attack launched by
    al-Nusra Front terrorists")."""
    if frame.trigger.lemma_.lower() not in ("foil", "thwart"):
        return
    tried = object_head(frame.trigger)
    author = doer_by(tried) if tried is not None else None
    assailants = describe_actor(author, ctx, ctx.event_heads) if author is not None else None
    if assailants is not None:
        frame.actor2 = assailants


def sides_of_the_fight_told(ctx: SentenceContext, frame: Frame, fight: Token) -> None:
    """A killing told as happening in a fight of two sides (``syntax.fight_of_two_sides``)
    is that fight: its actors are the sides, not the one killed. "during a clash between
    A and B": A and B; "between two factions of the party": the party's men on both
    sides; "in a clash with rival activists": those activists the other side, and the
    dead one side when armed ("a dozen jihadists were killed in clashes with Kurdish
    fighters").
    The sides are ACLED's; they were found after the type (``frames.build_event``)."""
    between = prep_object(fight, SIDES_PREPOSITIONS)
    split = sides_sharing_a_noun(between, ctx) if between is not None and child(between, "conj") is None else None
    if split is not None:  # "during a clash between Awami League and BNP activists"
        (frame.actor1, frame.actor2), frame.head1 = split, between
        return
    if between is not None:
        side1 = describe_actor(between, ctx, ctx.event_heads)
        partner = child(between, "conj")
        side2 = describe_actor(partner, ctx, ctx.event_heads) if partner is not None else side1
        if side1:  # a side of no known kind is none, not the one killed
            frame.actor1, frame.head1, frame.actor2 = side1, between, dict(side2) if side2 else None
        return
    other = prep_object(fight, {"with"})
    side2 = describe_actor(other, ctx, ctx.event_heads) if other is not None else None
    if side2:
        # "a dozen jihadists were killed in clashes with Kurdish fighters": the dead were a side
        killed = frame.actor2 if (frame.actor2 or {}).get("kind") in ARMED_OWNER_KINDS else None
        if frame.actor1 is None and killed is not None:
            frame.actor1 = killed
        frame.actor2 = side2


def protesters(ctx: SentenceContext, frame: Frame) -> None:
    """Who protested: the people a reduced relative hangs from ("200 people protested"),
    or an agent trigger itself ("rioters set fire") over security forces."""
    trigger = frame.trigger
    if frame.actor1 is None and trigger.dep_ == "acl":
        take_actor1(frame, describe_actor(trigger.head, ctx, ctx.event_heads), trigger.head)
    agent = next((t for t, _ in frame.group if t.lemma_.lower() in ctx.res.agents), None)
    if agent is not None and (frame.actor1 is None or frame.actor1.get("sector") in ("COP", "MIL")):
        frame.actor1, frame.head1 = describe_actor(agent, ctx), agent  # "rioters set fire"


ACTOR_KEYS = ("text", "name", "country", "sector", "group")


def set_actor(event: dict, role: str, actor: dict | None) -> None:
    """The actor's columns of an event row (its kind kept private, for ACLED coding)."""
    for key in ACTOR_KEYS:
        event[f"{role}_{key}"] = actor.get(key) if actor else None
    event[f"_{role}_kind"] = actor.get("kind") if actor else None


# Verbs of sending forces somewhere, whose passive subject was there ("police were deployed").
DEPLOYING_VERBS = frozenset({"deploy", "station", "post", "dispatch", "rush", "call"})
# Verbs of forces acting on a crowd that need no object to tell it ("police intervened").
BARE_CONTROL_VERBS = frozenset({"intervene", "arrive", "reach", "resort", "clash", "lathicharge"})
# Words of the force used on a crowd ("used tear gas", "opened fire on the crowd").
FORCE_USED = frozenset({"force", "fire", "gas", "shell", "bullet", "charge"})
REFERRING_DETERMINERS = frozenset({"the", "this", "these", "those"})
ARMED_TARGET_KINDS = frozenset({"rebel", "militia", "assailant", "state", "external"})


def forces_at_the_protest(ctx: SentenceContext, frame: Frame) -> tuple[dict | None, bool]:
    """The security forces that met a demonstration or a riot, which ACLED codes as its
    second actor: deployed to it, using force on its people or stopping, dispersing or
    detaining them, or hit or fought by them (``met_the_crowd``), told in its sentence or
    the next two of its paragraph, up to a sentence that tells of another incident or of
    another crowd ("Separately, ...", "Meanwhile, ...", "In Kalinagar, farmers blocked a
    highway and police dispersed them"), and not in a later clause with a place or a day
    of its own (``own_place_or_day``), nor acting on another crowd
    (``acted_on_another_crowd``). Not in excessive force, where the forces acted first.
    Also whether they acted on the crowd (``acted_on_the_crowd``: "Police used tear gas
    to disperse the crowd"; not "police were deployed")."""
    if frame.mode == "excessive-force" or (frame.actor1 is not None and frame.actor1.get("sector") in FORCE_SECTORS):
        return None, False
    classes = ctx.res.word_classes
    for number, sent in enumerate([ctx.sent, *sentences_after_in_paragraph(ctx.sent, 2)]):
        if number and (opens_other_incident(sent, ctx.event_heads) or another_crowd_acts(sent, ctx)
                       or any(t.lower_ == "meanwhile" for t in sent)):
            break
        for token in sent:
            if token.pos_ not in ("NOUN", "PROPN") or (frame.head1 is not None and token.i == frame.head1.i) \
                    or ctx.res.agents.get(token.lemma_.lower()) not in FORCE_SECTORS \
                    or token.lemma_.lower() in classes["military_target"] or not met_the_crowd(token, ctx.res) \
                    or (number and (own_place_or_day(token, ctx)
                                    or acted_on_another_crowd(token, frame.actor1, ctx.res))):
                continue
            actor = describe_actor(token, ctx, ctx.event_heads)
            if actor is not None and actor.get("sector") in FORCE_SECTORS:
                return actor, acted_on_the_crowd(token)
    return None, False


# Verbs of forces only being there: at a protest, no intervention ("police were deployed").
PRESENCE_VERBS = DEPLOYING_VERBS | {"reach", "arrive"}


def acted_on_the_crowd(force: Token) -> bool:
    """Whether the forces ``met_the_crowd`` found acted on it: the subject or the agent of
    a verb of crowd control that is more than being there or fighting ("police dispersed
    them", "used tear gas", "were detained by police", "were halted by guards"; not
    "police were deployed", "police arrived", "police clashed with ..."), not the other
    side of the crowd's own act ("clashed with police", "hurled stones at police": the
    crowd's riot)."""
    verb = control_verb(force)
    # there, or fighting: "police clashed with militants nearby" is no act on the protest
    return verb is not None and verb.lemma_.lower() not in PRESENCE_VERBS | FIGHT_VERBS


def acted_on_another_crowd(force: Token, crowd: dict | None, res: ExtractionResources) -> bool:
    """Whether the forces told in a later sentence acted on a crowd other than the
    protest's (``another_crowd``; ``crowd``, the protest's own people, must be known):
    "In the evening, police dispersed a crowd of football fans" is no act at the
    teachers' protest told before, and the police there no side of it. (In the protest's
    own sentence the crowd acted on is its own: "Police charged NSUI activists during a
    protest march".)"""
    verb = control_verb(force)
    if crowd is None or verb is None:
        return False
    # (not the harm it did: "injuring at least 20 workers")
    return any(another_crowd(c, crowd, res) for c in done_to(verb) if c.head.dep_ != "advcl")


def control_verb(force: Token) -> Token | None:
    """The verb a forces noun is the subject or the agent of ("police dispersed them",
    "were detained by police", "police had to intervene"), the first of joined nouns
    deciding; else None."""
    first = first_of_joined(force)
    if first.dep_ == "pobj" and first.head.dep_ == "agent":
        return first.head.head
    done = act_told_through(first.head) if first.dep_ in ("nsubj", "nsubjpass") else None
    if done is not None:
        return done
    return first.head if first.dep_ == "nsubj" else None


# Verbs whose infinitive tells what their subject did, tried or was made to do: "police
# had to intervene", "tried to disperse them", "were forced to fire tear gas", "managed
# to bring the situation under control".
CATENATIVE_VERBS = frozenset({"have", "try", "attempt", "manage", "begin", "start", "force", "seek", "move"})


def act_told_through(verb: Token) -> Token | None:
    """The verb in the infinitive of a catenative verb (``CATENATIVE_VERBS``) with no
    subject of its own, else None. Not where the catenative verb has an object, who does
    the infinitive ("police forced shopkeepers to close"); "force" only in the passive
    ("police were forced to fire")."""
    lemma = verb.lemma_.lower()
    if lemma not in CATENATIVE_VERBS or child(verb, "dobj") is not None \
            or (lemma == "force" and child(verb, "nsubjpass") is None):
        return None
    return next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"
                 and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)), None)


def brought_under_control(verb: Token) -> bool:
    """Whether a verb tells something brought "under control" ("police brought the
    situation under control", "got the mob under control"): forces acting on the crowd.
    Not "under their control", ground held."""
    for prep in verb.children:
        held = child(prep, "pobj") if prep.dep_ == "prep" and prep.lower_ == "under" else None
        # (not "brought the area under their control": ground taken)
        if held is not None and held.lemma_.lower() == "control" \
                and not any(c.dep_ in ("poss", "det") for c in held.children):
            return True
    return False


# Verbs of a fight of two sides (of ``crowd_control_verb``): forces that fought made no
# intervention in a protest.
FIGHT_VERBS = frozenset({"clash", "confront"})


def another_crowd(token: Token, crowd: dict, res: ExtractionResources) -> bool:
    """Whether what the forces acted on is a crowd other than the protest's (``crowd``, its
    first actor): a crowd word that does not refer back ("dispersed a crowd of football
    fans", "fired tear gas at stone-throwing youths"), not a pronoun, a protest word ("the
    protesters", "demonstrators"), the protest's own people ("garment workers protested
    ... police charged workers") or a noun with "the", "these" ("dispersed the crowd");
    "30 of them" is "them"."""
    token = counted(token, res)
    return crowd_word(token, res) and token.pos_ != "PRON" \
        and token.lemma_.lower() not in res.word_classes["protest_word"] \
        and token.lemma_.lower() != crowd.get("lemma") \
        and not any(c.dep_ == "det" and c.lower_ in REFERRING_DETERMINERS for c in token.children)


def done_to(verb: Token) -> list[Token]:
    """What a verb's subject did it to or with: its object, the objects of its
    prepositions, and the object of a clause it governs ("stopped them", "opened fire on
    the crowd", "used tear gas to disperse the marchers")."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [c for prep in verb.children if prep.dep_ == "prep" for c in prep.children if c.dep_ == "pobj"]
    return objects + [c for x in verb.children if x.dep_ in ("xcomp", "advcl") for c in x.children if c.dep_ == "dobj"]


def counted(token: Token, res: ExtractionResources) -> Token:
    """What a count is of ("30 of them": "them", "thousands of people": "people"), else
    the token itself."""
    if (token.like_num or token.lower_ in res.quantities) and prep_object(token, {"of"}) is not None:
        return prep_object(token, {"of"})
    return token


def first_of_joined(noun: Token) -> Token:
    """The first of nouns joined by "and": the one the parse hangs in the clause."""
    while noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head
    return noun


def own_place_or_day(force: Token, ctx: SentenceContext) -> bool:
    """Whether the clause that tells the forces in a later sentence names a place or a day
    of its own ("In Kalinagar, police detained 20 activists", "On Sunday, police detained
    15 students"): another incident than the protest told before."""
    clause = force.head.head if force.dep_ == "pobj" else force.head
    start, end = clause.left_edge.i, clause.right_edge.i + 1
    return any(start <= span.start < end for span, _ in ctx.places) \
        or any(start <= ent.start < end and ent.label_ == "DATE" for ent in force.sent.ents)


def another_crowd_acts(sent: Span, ctx: SentenceContext) -> bool:
    """Whether a later sentence tells a crowd of its own acting ("farmers blocked a
    highway"), not one told before ("the protesters pelted them", "they marched on")."""
    for i in ctx.event_heads:
        if not sent.start <= i < sent.end or sent.doc[i].pos_ != "VERB":
            continue
        subject = child(sent.doc[i], "nsubj")
        if subject is not None and crowd_word(subject, ctx.res) and subject.pos_ != "PRON" \
                and not any(c.dep_ == "det" and c.lower_ in REFERRING_DETERMINERS for c in subject.children):
            return True
    return False


def met_the_crowd(force: Token, res: ExtractionResources) -> bool:
    """Whether a security-forces noun is told meeting a crowd, in a clause that is no
    reason, demand or earlier story, and not denied: deployed ("police were deployed"),
    acting on the crowd or with force ("police stopped them", "dispersed the marchers",
    "used tear gas", "intervened"), the agent of that ("were detained by police"), the
    aim of the crowd's missiles ("hurled stones at police", "pelted stones on police"), or
    fighting it ("students clashed with police", "clashes between students and police").
    The police as a plain object ("pelted the police") is left to the crowd's own event.
    The first of joined nouns decides."""
    classes = res.word_classes
    first = first_of_joined(force)
    if first.dep_ == "pobj" and first.head.lower_ in ("with", "between", "at", "on"):
        # "clashed with police", "clashes between students and police", "hurled stones at
        # police": the other side a crowd (not "militants clashed with police")
        act = first.head.head
        lemma = act.lemma_.lower()
        if first.head.lower_ == "between":
            others = [t for t in (first, *first.conjuncts) if t.i != force.i]
        else:
            others = [subject_of(act)] if act.pos_ == "VERB" else []
        crowd_act = lemma in classes["force_clash_word"] | classes["throw_word"] | classes["crowd_control_verb"]
        return crowd_act and bool(others) and all(crowd_word(o, res) for o in others) and fits_the_protest(act, res)
    if first.dep_ == "pobj" and first.head.dep_ == "agent":
        verb, doer = first.head.head, False  # "were detained by police"
    elif first.dep_ in ("nsubj", "nsubjpass"):
        verb, doer = first.head, first.dep_ == "nsubj"
    else:
        return False
    clause = verb  # the clause's own verb tells its time and whether it is denied
    done = act_told_through(verb) if first.dep_ != "pobj" else None
    if done is not None:  # "police had to intervene", "were forced to fire tear gas"
        # (an infinitive in the passive the forces underwent: "police had to be deployed")
        verb, doer = done, not any(c.dep_ == "auxpass" for c in done.children)
    lemma = verb.lemma_.lower()
    under_control = brought_under_control(verb)
    if verb.pos_ != "VERB" or not fits_the_protest(clause, res) \
            or (lemma not in classes["crowd_control_verb"] and not under_control):
        return False
    if not doer and (first.dep_ == "nsubjpass" or done is not None):
        return lemma in DEPLOYING_VERBS  # "police were deployed", "riot police were called in"
    held_for = prep_object(verb, {"for"})
    if lemma in ("arrest", "detain", "nab", "apprehend") and (any(
            c.dep_ in ("dobj", "nsubjpass") and (c.lemma_.lower() in classes["suspect_noun"]
                                                or c.lower_ in classes["suspect_noun"]) for c in verb.children)
            or (held_for is not None and held_for.lemma_.lower() in classes["grievance_noun"])):
        return False  # "police arrested the suspects", "arrested a youth for the murder": a crime's
    if (lemma == "open" and (child(verb, "dobj") is None or child(verb, "dobj").lemma_.lower() != "fire")) \
            or (lemma == "charge" and prep_object(verb, {"with"}) is not None):
        return False  # "police opened a case", "charged them with rioting": no force used
    if not doer:
        # "200 workers were detained by police", "were stopped by police" (the subject
        # shared with the verb before)
        held = child(verb, "nsubjpass")
        return held is None or crowd_word(held, res)
    if lemma in BARE_CONTROL_VERBS or under_control:
        return True  # "police intervened", "police brought the situation under control"
    # what the forces did it to or with: "stopped them", "used batons", "opened fire on the crowd"
    objects = done_to(verb)
    if any(res.agent_kinds.get(c.lemma_.lower()) in ARMED_TARGET_KINDS for c in objects):
        return False  # "troops opened fire on militants": no crowd
    return any(crowd_word(c, res) or c.lemma_.lower() in FORCE_USED | classes["intervention_cue"]
               or c.lemma_.lower() in classes["gathering_noun"] for c in objects)


def crowd_word(token: Token | None, res: ExtractionResources) -> bool:
    """A word for a crowd or its people: a pronoun, a protest word ("the marchers"), a
    crowd noun, or people named by what they are ("activists", "students")."""
    if token is None:
        return False
    token = counted(token, res)  # "detained 30 of them", "scores of youth clashed"
    lemma = token.lemma_.lower()
    return token.pos_ == "PRON" or lemma in res.word_classes["protest_word"] | res.word_classes["crowd_noun"] \
        or res.agent_kinds.get(lemma) in ("people", "community")


def fits_the_protest(word: Token, res: ExtractionResources) -> bool:
    """A clause that tells the protest's own time: not denied ("no police were deployed",
    "police did not intervene"), not the reason given or a clause about something else
    ("after police shot dead a teenager", "a youth who was shot by police"), not told as
    earlier ("had clashed with police last month"), not what was demanded or alleged."""
    return not (denied(word) or told_as_before(word, res) or any(t.dep_ == "aux" and t.lower_ == "had"
                                                                   for t in word.children)
                or asked_for_by(word, res.word_classes["demand_verb"] | res.word_classes["alleging_verb"]))


GENERIC_PEOPLE = frozenset({"people", "person", "persons"})  # who they are not said


def crowd_first(frame: Frame, res: ExtractionResources, forces_assault: bool = False,
                armed_named: bool = False) -> None:
    """A riot's crowd is its first actor and the security forces it fought the second, as
    ACLED codes them ("a clash between police and party activists": Rioters, then Police
    Forces). Only a fight of two sides, or the forces' assault on a crowd that fought
    back (``forces_assault``: "Police fired tear gas at protesters ... Protesters pelted
    stones"; there not one person hit, forces with no crowd named become the second
    actor of rioters unnamed, and a crowd with no forces named the first; not in an
    article that names an armed body, ``armed_named``, where a clash by a protest may be
    theirs), with a crowd named as such ("students", "activists", "the mob"; not the "ten
    people" a clash injured): police who protest or riot themselves did it, and excessive
    force against protesters is the forces'."""
    forces, crowd = frame.actor1, frame.actor2
    if forces_assault and frame.mode == "riot" and not armed_named:
        if crowd is None and forces is not None and forces.get("sector") in FORCE_SECTORS:
            frame.actor1, frame.actor2, frame.head1 = None, forces, None  # the crowd unnamed: rioters
            return
        if forces is None and crowd is not None and crowd.get("kind") == "people":
            frame.actor1, frame.actor2 = crowd, None  # "Tear gas was fired at protesters ...": theirs
            return
    fought = two_sided(frame)
    if frame.mode not in ("riot", "mob") or not (fought or forces_assault) \
            or forces is None or crowd is None \
            or forces.get("sector") not in FORCE_SECTORS or crowd.get("sector") in FORCE_SECTORS \
            or crowd.get("kind") in ("state", "external"):
        return
    lemma = crowd.get("lemma") or ""
    crowd_words = res.word_classes["protest_word"] | res.word_classes["crowd_noun"] | res.word_classes["partisan_noun"]
    named_crowd = lemma in crowd_words or (res.agent_kinds.get(lemma) == "people" and lemma not in GENERIC_PEOPLE
                                           and (fought or crowd.get("kind") != "person"))
    if named_crowd:
        frame.actor1, frame.actor2, frame.head1 = crowd, forces, None

