"""PLOVER <-> ACLED <-> CAMEO coding, from ``lexicons/ontology.csv``. Pure, no Beam.

    Ontology.load().code("ASSAULT", "aerial", "armed")
      -> Coding(acled_event_type="Explosions/Remote violence",
                acled_sub_event_type="Air/drone strike", cameo_root="19", quad_class=4)
"""
from __future__ import annotations

from dataclasses import dataclass

from newsevents.transforms.lexicons.loader import LexiconError, read_csv

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
                "MOBILIZE", "COERCE", "ASSAULT")
ACLED_SUB_EVENT_TYPES = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack",
                                   "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}


TARGETS = ("*", "armed")


@dataclass(frozen=True)
class Coding:
    acled_event_type: str | None
    acled_sub_event_type: str | None
    cameo_root: str
    quad_class: int


class Ontology:
    def __init__(self, rows: dict[tuple[str, str, str], Coding]):
        self.rows = rows

    @classmethod
    def load(cls, name: str = "ontology.csv") -> "Ontology":
        rows = {}
        for row in read_csv(name, ("event_type", "mode", "target", "acled_event_type",
                                   "acled_sub_event_type", "cameo_root", "quad_class")):
            where = f"{name}: {row['event_type']}/{row['mode']}"
            if row["event_type"] not in PLOVER_TYPES:
                raise LexiconError(f"{where}: unknown PLOVER type")
            if row["target"] not in TARGETS:
                raise LexiconError(f"{where}: target must be one of {', '.join(TARGETS)}")
            acled, sub = row["acled_event_type"] or None, row["acled_sub_event_type"] or None
            if (acled is None) != (sub is None):
                raise LexiconError(f"{where}: ACLED type and sub-type go together")
            if acled and sub not in ACLED_SUB_EVENT_TYPES.get(acled, ()):
                raise LexiconError(f"{where}: {acled!r} / {sub!r} is not an ACLED label pair")
            cameo = row["cameo_root"]
            if not (len(cameo) == 2 and cameo.isdigit() and 1 <= int(cameo) <= 20):
                raise LexiconError(f"{where}: CAMEO root must be 01-20, got {cameo!r}")
            if row["quad_class"] not in ("1", "2", "3", "4"):
                raise LexiconError(f"{where}: quad class must be 1-4")
            rows[(row["event_type"], row["mode"], row["target"])] = Coding(
                acled, sub, cameo, int(row["quad_class"]))
        missing = [t for t in PLOVER_TYPES if (t, "*", "*") not in rows]
        if missing:
            raise LexiconError(f"{name}: no default row (mode * , sector *) for {missing}")
        return cls(rows)

    def code(self, event_type: str, mode: str | None, target: str | None) -> Coding:
        """The most specific row: (type, mode, target), (type, mode, *), (type, *, target),
        (type, *, *); ``target`` is "armed" for an armed, organized target."""
        mode, sector = mode or "*", target or "*"
        for key in ((event_type, mode, sector), (event_type, mode, "*"),
                    (event_type, "*", sector), (event_type, "*", "*")):
            if key in self.rows:
                return self.rows[key]
        raise KeyError(f"no coding for PLOVER type {event_type!r}")
