"""What the extraction rules share while they read one article: the article and what was
found in it once (``ArticleContext``), one sentence of it with its magnitudes
(``SentenceContext``), and the event being built from that sentence's triggers
(``Frame``). Plain data, no rules here. Pure spaCy, no Beam.

    article = ArticleContext(doc, "9f0c...", date(2024, 3, 9), None, "KANO, Nigeria", res,
                             actor_spans, event_heads, scene_heads, protest_heads, attack_heads, places,
                             dateline, ...)
    ctx = article.sentence(sent, 1, find_magnitudes(sent, res), names_armed_body(sent, actor_spans, res))
    frame = Frame("ASSAULT", [(killed, info)], killed, info, verb=killed, mode="firearms")
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

from spacy.tokens import Doc, Span, Token

from newsevents.transforms.extraction.gazetteer import Place
from newsevents.transforms.extraction.resources import Actor, ExtractionResources


@dataclass(frozen=True)
class ArticleContext:
    """One parsed article and what every rule may ask of it, found once per article."""
    doc: Doc
    article_id: str
    published: dt.date  # the day of publication: "on Monday" is the Monday before it
    # The tokens of the date the page prints (``article.printed_date``): the day of
    # publication, no event's date.
    page_stamp: tuple[int, int] | None
    dateline_text: str | None  # as the article gives it: "KANO, Nigeria"
    res: ExtractionResources
    actor_spans: dict[int, tuple[Span, Actor]]  # token index -> (lexicon alias, actor)
    event_heads: frozenset[int]  # token indexes of the triggers
    scene_heads: frozenset[int]  # those of events with a scene (attacks, protests, arrests)
    # those of protests ("staged a sit-in", "blocked the road"; not "resumed strikes", which
    # may be air strikes)
    protest_heads: frozenset[int]
    # those of attacks (ASSAULT triggers): in a sentence that names an armed body and no
    # crowd, property wrecked with no one named and joined to one by "and" is that
    # attack's damage (``triggers.beside_an_attack``)
    attack_heads: frozenset[int]
    # Every place mention the gazetteer placed that can be where something happened (not
    # a country named as a foreign presence's home: "the US embassy"; those are only
    # rows of the places table, ``mentioned_places``).
    places: list[tuple[Span, Place]]
    dateline: Place | None
    # The place the article is mostly about (its most mentioned scene below country
    # level), and how much it talks about each country: where its events are when they
    # name no place of their own.
    main_place: tuple[Span, Place] | None
    country_weights: dict[str, float]
    # Big places named only inside other names ("the Lahore Press Club"): where a
    # report is when it names no place of its own (``places.places_in_names``).
    named_places: list[tuple[Span, Place]]
    mentioned_places: list[tuple[Span, Place]]  # every place mention placed
    # Names the article uses for places below a country, lowercased: towns the gazetteer
    # placed and names written where only a place can stand ("in al-Fouaa", "Barzeh
    # district"; ``toponyms.article_place_names``): no party where they stand elsewhere.
    place_names: frozenset[str]
    # Whether the article names soldiers, fighters or an armed group (``actors.names_armed_body``):
    # a clash it tells with no side named was fought by them, not by a crowd.
    armed_body_named: bool

    def sentence(self, sent: Span, index: int, magnitudes: list[tuple[str, int, int]],
                 armed_body_here: bool = False) -> SentenceContext:
        return SentenceContext(**{f.name: getattr(self, f.name) for f in fields(ArticleContext)},
                               sent=sent, index=index, magnitudes=magnitudes, armed_body_here=armed_body_here)


@dataclass(frozen=True)
class SentenceContext(ArticleContext):
    """The article's context and one of its sentences."""
    sent: Span
    index: int  # the sentence's position in the article
    magnitudes: list[tuple[str, int, int]]  # (field, amount, token index), as find_magnitudes gives them
    # Whether the sentence itself names soldiers, fighters or an armed group
    # (``actors.names_armed_body`` over the sentence): with no crowd named, wrecking
    # joined to an attack or done in an act of war is war damage (``triggers.told_in_war``).
    armed_body_here: bool = False


@dataclass
class Frame:
    """An event under construction: the triggers of one type in a sentence, and what the
    steps of ``frames.build_event`` have found out about it so far."""
    event_type: str
    group: list[tuple[Token, dict]]  # (trigger token, trigger entry) of this type in the sentence
    trigger: Token  # the trigger that carries the clause
    info: dict  # its trigger entry
    verb: Token | None  # the trigger if a verb, else the verb it hangs from
    mode: str = ""
    # Both sides fired at each other ("targeted each other's posts"): the mode the fire had
    # before it became a clash ("" for no weapon told), else None.
    exchanged: str | None = None
    actor1: dict | None = None
    head1: Token | None = None  # the token actor1 was read from
    actor2: dict | None = None
    modality: str = "asserted"
    reporting: Token | None = None  # the verb that reports the clause ("officials said")
    place_span: Span | None = None
    place: Place | None = None
    geo_precision: int | None = None
    place_source: str | None = None  # attached, sentence, previous, next, capital, article,
    # mentioned, dateline, named or country (``places.event_location``), or speaker
    # (``frames.home_country``)
    date: dt.date | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_attached: bool = False
    amounts: dict[str, int] = field(default_factory=dict)  # magnitude field -> amount
