"""How likely an extracted event is a real event of the right type: a logistic model over
the evidence the rules found. Pure, no Beam.

    confidence(event, weights)  -> 0.83

The evidence is read from the finished event row and the trigger facts that the frame
recorded (``_evidence``): how sure the trigger word alone makes us (its lexicon
weight), whether it is a verb or a bare plural noun, whether the sentence opens the
article, whether the event names its actors, its place (its own, or one taken from
elsewhere in the article), a day, a toll, whether another mention was folded into it,
and whether its clause is told as done (a past tense, a perfect or a passive; habits and
plans are mostly told in the present or the future). The weights are data (``lexicons/confidence.json``), fitted by
``benchmarks/calibrate_confidence.py`` on the project's own gold set and checked on
events judged by hand (``tests/judged/``); ``docs/quality.md`` says what a threshold
keeps.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache

from newsevents.transforms.lexicons.loader import LexiconError, lexicon_path

FEATURES = ("bias", "trigger_weight", "verb", "bare_plural", "lede", "actor1_named",
            "actor1_described", "actor2", "own_place", "borrowed_place", "day", "toll",
            "merged", "scene_type", "attributed", "not_asserted", "aggregate",
            "past")
SCENE_TYPES = {"ASSAULT", "PROTEST", "COERCE"}
OWN_PLACE_SOURCES = {"attached", "sentence"}


def evidence_features(event: dict) -> dict[str, float]:
    """The features of an event row that still carries its private ``_evidence``."""
    evidence = event.get("_evidence") or {}
    tolls = ("fatalities", "injured", "displaced", "detained")
    source = event.get("_place_source")
    return {
        "bias": 1.0,
        "trigger_weight": float(evidence.get("weight", 0.7)),
        "verb": float(bool(evidence.get("verb"))),
        "bare_plural": float(bool(evidence.get("bare_plural"))),
        "lede": float(event.get("sentence_index") == 0),
        "actor1_named": float(bool(event.get("actor1_name"))),
        "actor1_described": float(bool(event.get("actor1_text")) and not event.get("actor1_name")),
        "actor2": float(bool(event.get("actor2_text") or event.get("actor2_name"))),
        "own_place": float(source in OWN_PLACE_SOURCES),
        "borrowed_place": float(source is not None and source not in OWN_PLACE_SOURCES),
        "day": float(event.get("date_precision") == "day"),
        "toll": float(any(event.get(f) is not None for f in tolls)),
        "merged": float(evidence.get("mentions", 1) > 1),
        "scene_type": float(event.get("event_type") in SCENE_TYPES),
        "attributed": float(bool(event.get("attributed_to"))),
        "not_asserted": float(event.get("modality") != "asserted"),
        "aggregate": float(event.get("report_kind") == "aggregate"),
        "past": float(bool(evidence.get("past"))),
    }


@lru_cache(maxsize=4)
def load_weights(name: str = "confidence.json") -> dict[str, float]:
    path = lexicon_path(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        weights = {k: float(v) for k, v in data["weights"].items()}
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise LexiconError(f"{name}: {err}") from None
    unknown, missing = set(weights) - set(FEATURES), set(FEATURES) - set(weights)
    if unknown or missing:
        raise LexiconError(f"{name}: weights must name exactly the features {FEATURES}; "
                           f"unknown {sorted(unknown)}, missing {sorted(missing)}")
    return weights


def confidence(event: dict, weights: dict[str, float]) -> float:
    """The model's probability that the event is real and of the right type."""
    features = evidence_features(event)
    score = sum(weights[name] * value for name, value in features.items())
    return round(1.0 / (1.0 + math.exp(-score)), 3)
