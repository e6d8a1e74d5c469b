"""Gold files for ``newsevents eval``: loading and validating them. Pure, no Beam.

Four formats are read:

* newsevents gold JSON Lines (``tests/gold/*.jsonl``): one short article a line, a valid
  pipeline input (``id``, ``published_at``, ``text``) plus ``events``, the events a
  careful coder takes from it; see ``tests/gold/README.md``.
* ACLED event notes (``../shared/eval/acled_notes_*.jsonl``): a pipeline input plus the
  one event an ACLED coder took from the note. A field the record leaves out is
  unknown and not scored, except the toll: ACLED leaves out a toll of 0.
* PLOVER gold-standard records (a JSON array, openeventdata/PLOVER): one sentence a
  record with its PLOVER type and source / target actors. Older PLOVER names are
  mapped to the current ones (FIGHT -> ASSAULT, DEMAND -> REQUEST, DISAPPROVE and
  INVESTIGATE -> ACCUSE).
* toponym gold JSON Lines (``../shared/eval/geovirus.jsonl``, GeoVirus): a pipeline
  input plus ``toponyms``, every place name of the text with its character offsets and
  coordinates. GeoVirus counts offsets from 1; an offset that is one past its name is
  read as such (the loader checks each against the text and says how many it moved).
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from newsevents.transforms.extraction.ontology import ACLED_SUB_EVENT_TYPES, PLOVER_TYPES

MODALITIES = ("asserted", "negated", "hypothetical", "future")
MAGNITUDES = ("fatalities", "injured", "displaced", "detained")
SECTORS = ("GOV", "MIL", "COP", "REB", "CVL", "IGO", "NGO", "MED", "JUD", "OPP", "BUS",
           "LAB", "EDU", "REL", "ELI", "LEG", "REF", "HLH", "CRM", "AGR", "SPY", "UAF",
           "PTY", "JRN", "ACT", "IMG", "PRO", "ETH")
OLD_PLOVER_NAMES = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE",
                    "INVESTIGATE": "ACCUSE"}
EVENT_KEYS = {"event_type", "event_mode", "acled_event_type", "acled_sub_event_type",
              "actor1", "actor2", "place", "event_date", "modality", "trigger", "note",
              *MAGNITUDES}
ACTOR_KEYS = {"name", "text", "country", "sector"}
PLACE_KEYS = {"name", "country", "admin1", "latitude", "longitude"}
DOC_KEYS = {"id", "published_at", "title", "text", "source", "events", "tags"}


ACLED_EVENT_KEYS = {"acled_event_type", "acled_sub_event_type", "event_type", "place",
                    "event_date", "acled_actor1", "acled_actor2", "fatalities"}
ACLED_PLACE_KEYS = {"name", "country", "admin1", "geo_precision", "latitude", "longitude"}


class GoldError(ValueError):
    """A gold file that cannot be scored against; the message says where and why."""


@dataclass
class GoldEvent:
    event_type: str
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    actor1: dict | None = None
    actor2: dict | None = None
    place: dict | None = None
    event_date: dt.date | None = None
    fatalities: int | None = None
    injured: int | None = None
    displaced: int | None = None
    detained: int | None = None
    modality: str = "asserted"
    trigger: str | None = None

    @property
    def counted(self) -> bool:
        """Asserted events are the ones an analyst counts."""
        return self.modality == "asserted"


@dataclass(frozen=True)
class GoldToponym:
    name: str
    start: int  # character offsets into the text, from 0
    end: int
    latitude: float
    longitude: float


@dataclass
class GoldDoc:
    id: str
    text: str
    published_at: str
    events: list[GoldEvent] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    title: str | None = None
    toponyms: list[GoldToponym] = field(default_factory=list)
    offsets_moved: int = 0  # toponym offsets read one earlier (GeoVirus counts from 1)

    def as_input(self) -> dict:
        """The article as a pipeline input record."""
        record = {"id": self.id, "published_at": self.published_at, "text": self.text}
        if self.title:
            record["title"] = self.title
        return record


@dataclass
class CodedEvent:
    """The event a human coder (ACLED) took from a note; None is unknown, not empty."""
    acled_event_type: str
    acled_sub_event_type: str | None
    event_type: str | None  # PLOVER, where the ACLED type makes it clear
    place: dict  # name, country (ISO3), admin1, geo_precision (1 town, 2 near, 3 region), point
    event_date: dt.date | None
    actor1: str | None  # ACLED's actor names, e.g. "Police Forces of India (2014-)"
    actor2: str | None
    fatalities: int  # ACLED leaves a toll of 0 out: a system toll there is invented

    @property
    def counted(self) -> bool:
        return True


def load_gold(path: str) -> tuple[str, list[GoldDoc]]:
    """(format, documents) from a gold file (``newsevents`` or ``acled`` JSON Lines, or
    ``plover``) or a folder of newsevents gold files."""
    source = Path(path)
    if source.is_dir():
        return "newsevents", load_gold_dir(path)
    if not source.is_file():
        raise GoldError(f"{path}: no such gold file")
    text = source.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return "plover", parse_plover(text, path)
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            records.append((json.loads(line), f"{path}:{number}"))
        except json.JSONDecodeError as err:
            raise GoldError(f"{path}:{number}: bad JSON: {err.msg}") from None
    if records and is_acled_note(records[0][0]):
        return "acled", [parse_acled_note(obj, where) for obj, where in records]
    if records and isinstance(records[0][0], dict) and "toponyms" in records[0][0]:
        docs = [parse_toponym_doc(obj, where) for obj, where in records]
        check_unique_ids(docs, path)
        return "toponyms", docs
    docs = [parse_doc(obj, where) for obj, where in records]
    check_unique(docs, path)
    return "newsevents", docs


def is_acled_note(obj) -> bool:
    events = obj.get("events") if isinstance(obj, dict) else None
    return bool(events) and isinstance(events[0], dict) and "acled_actor1" in events[0]


def parse_acled_note(obj, where: str) -> GoldDoc:
    """A note and its one coded event. Notes written from one template are distinct
    events, so texts may repeat (unlike in the newsevents gold format)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("events"), list) or len(obj["events"]) != 1:
        raise GoldError(f"{where}: an ACLED note has exactly one event")
    for key in ("id", "published_at", "text"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            raise GoldError(f"{where}: {key!r} must be a non-empty string")
    parse_date(obj["published_at"][:10], f"{where}: published_at")
    event = obj["events"][0]
    unknown = set(event) - ACLED_EVENT_KEYS
    if unknown:
        raise GoldError(f"{where}: unknown keys {sorted(unknown)}")
    acled, sub = event.get("acled_event_type"), event.get("acled_sub_event_type")
    if acled not in ACLED_SUB_EVENT_TYPES or (sub is not None and sub not in ACLED_SUB_EVENT_TYPES[acled]):
        raise GoldError(f"{where}: {acled!r} / {sub!r} is not an ACLED label")
    plover = event.get("event_type")
    if plover is not None and plover not in PLOVER_TYPES:
        raise GoldError(f"{where}: event_type must be a PLOVER type, got {plover!r}")
    place = event.get("place")
    if not isinstance(place, dict) or set(place) - ACLED_PLACE_KEYS or not place.get("country") \
            or place.get("geo_precision") not in (1, 2, 3):
        raise GoldError(f"{where}: a place has a country, a geo_precision of 1-3 and some of "
                        f"{sorted(ACLED_PLACE_KEYS)}")
    fatalities = event.get("fatalities", 0)
    if isinstance(fatalities, bool) or not isinstance(fatalities, int) or fatalities < 0:
        raise GoldError(f"{where}: fatalities must be a non-negative integer")
    coded = CodedEvent(
        acled, sub, plover, place,
        parse_date(event["event_date"], f"{where}: event_date") if event.get("event_date") else None,
        event.get("acled_actor1"), event.get("acled_actor2"), fatalities)
    return GoldDoc(obj["id"], obj["text"], obj["published_at"], [coded])


def parse_toponym_doc(obj, where: str) -> GoldDoc:
    """A text and every toponym in it: name, start, end, latitude, longitude."""
    if not isinstance(obj, dict) or not isinstance(obj.get("toponyms"), list):
        raise GoldError(f"{where}: a toponym record has 'toponyms', a list")
    for key in ("id", "text"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            raise GoldError(f"{where}: {key!r} must be a non-empty string")
    text = obj["text"]
    toponyms, moved = [], 0
    for n, item in enumerate(obj["toponyms"], 1):
        try:
            name, start, end = str(item["name"]), int(item["start"]), int(item["end"])
            lat, lon = float(item["latitude"]), float(item["longitude"])
        except (KeyError, TypeError, ValueError):
            raise GoldError(f"{where}: toponym {n} needs name, start, end, latitude and longitude") from None
        if text[start:end] != name:
            if start > 0 and text[start - 1:end - 1] == name:
                start, end, moved = start - 1, end - 1, moved + 1
            else:
                raise GoldError(f"{where}: toponym {n} {name!r} is not at {start}-{end} "
                                f"(the text has {text[start:end]!r} there)")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GoldError(f"{where}: toponym {n} {name!r} has no valid point")
        toponyms.append(GoldToponym(name, start, end, lat, lon))
    published = obj.get("published_at") or "2000-01-01"
    parse_date(str(published)[:10], f"{where}: published_at")
    return GoldDoc(obj["id"], text, published, [], title=obj.get("title"), toponyms=toponyms,
                   offsets_moved=moved)


def check_unique_ids(docs: list[GoldDoc], where: str) -> None:
    seen = set()
    for doc in docs:
        if doc.id in seen:
            raise GoldError(f"{where}: id {doc.id!r} appears twice")
        seen.add(doc.id)


def load_gold_dir(folder: str) -> list[GoldDoc]:
    """Every ``*.jsonl`` gold file of a folder, as one set."""
    docs = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        docs += load_gold(str(path))[1]
    if not docs:
        raise GoldError(f"{folder}: no *.jsonl gold files")
    check_unique(docs, folder)
    return docs


def check_unique(docs: list[GoldDoc], where: str) -> None:
    seen_ids, seen_texts = set(), set()
    for doc in docs:
        if doc.id in seen_ids:
            raise GoldError(f"{where}: id {doc.id!r} appears twice")
        if doc.text in seen_texts:
            # The pipeline stores a copy once; its gold would be scored as missed.
            raise GoldError(f"{where}: the text of {doc.id!r} appears twice")
        seen_ids.add(doc.id)
        seen_texts.add(doc.text)


def parse_doc(obj, where: str) -> GoldDoc:
    if not isinstance(obj, dict):
        raise GoldError(f"{where}: a gold record must be a JSON object")
    unknown = set(obj) - DOC_KEYS
    if unknown:
        raise GoldError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "published_at", "text"):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            raise GoldError(f"{where}: {key!r} must be a non-empty string")
    published = parse_date(obj["published_at"][:10], f"{where}: published_at")
    events = obj.get("events")
    if not isinstance(events, list):
        raise GoldError(f"{where}: 'events' must be a list (empty for a text with no event)")
    parsed = [parse_event(e, f"{where}: event {i + 1}", published) for i, e in enumerate(events)]
    tags = obj.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise GoldError(f"{where}: 'tags' must be a list of strings")
    return GoldDoc(obj["id"], obj["text"], obj["published_at"], parsed, tags, obj.get("title"))


def parse_date(value, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise GoldError(f"{where}: expected a date like 2024-03-01, got {value!r}") from None


def parse_event(obj, where: str, published: dt.date) -> GoldEvent:
    if not isinstance(obj, dict):
        raise GoldError(f"{where}: an event must be a JSON object")
    unknown = set(obj) - EVENT_KEYS
    if unknown:
        raise GoldError(f"{where}: unknown keys {sorted(unknown)}")
    event_type = obj.get("event_type")
    if event_type not in PLOVER_TYPES:
        raise GoldError(f"{where}: event_type must be a PLOVER type, got {event_type!r}")
    acled, sub = obj.get("acled_event_type"), obj.get("acled_sub_event_type")
    if (acled is None) != (sub is None):
        raise GoldError(f"{where}: acled_event_type and acled_sub_event_type go together")
    if acled is not None and sub not in ACLED_SUB_EVENT_TYPES.get(acled, ()):
        raise GoldError(f"{where}: {acled!r} / {sub!r} is not an ACLED label pair")
    modality = obj.get("modality", "asserted")
    if modality not in MODALITIES:
        raise GoldError(f"{where}: modality must be one of {', '.join(MODALITIES)}")
    event = GoldEvent(event_type, acled, sub, modality=modality, trigger=obj.get("trigger"))
    for role in ("actor1", "actor2"):
        value = obj.get(role)
        if value is not None:
            setattr(event, role, check_actor(value, f"{where}: {role}"))
    if obj.get("place") is not None:
        event.place = check_place(obj["place"], f"{where}: place")
    # A gold event without a stated date happened on the publication day.
    event.event_date = parse_date(obj["event_date"], f"{where}: event_date") \
        if obj.get("event_date") else published
    for name in MAGNITUDES:
        value = obj.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise GoldError(f"{where}: {name} must be a non-negative integer")
        setattr(event, name, value)
    return event


def check_actor(value, where: str) -> dict:
    if not isinstance(value, dict) or not value or set(value) - ACTOR_KEYS:
        raise GoldError(f"{where}: an actor is an object with some of {sorted(ACTOR_KEYS)}")
    if value.get("sector") is not None and value["sector"] not in SECTORS:
        raise GoldError(f"{where}: unknown sector {value['sector']!r}")
    country = value.get("country")
    if country is not None and not (isinstance(country, str) and len(country) == 3 and country.isupper()):
        raise GoldError(f"{where}: country must be an ISO 3166 alpha-3 code, got {country!r}")
    return value


def check_place(value, where: str) -> dict:
    if not isinstance(value, dict) or set(value) - PLACE_KEYS or not value.get("country"):
        raise GoldError(f"{where}: a place is an object with a country and some of "
                        f"{sorted(PLACE_KEYS - {'country'})}")
    has_name = bool(value.get("name"))
    has_point = value.get("latitude") is not None and value.get("longitude") is not None
    if has_name and not has_point and not value.get("admin1"):
        raise GoldError(f"{where}: a named place needs latitude and longitude")
    return value


def parse_plover(text: str, path: str) -> list[GoldDoc]:
    try:
        records = json.loads(text)
    except json.JSONDecodeError as err:
        raise GoldError(f"{path}: bad JSON: {err.msg} at line {err.lineno}") from None
    docs = []
    seen_texts = set()
    for record in records:
        if not isinstance(record, dict) or not record.get("text"):
            continue  # the file's DOCUMENT header has no text
        name = OLD_PLOVER_NAMES.get(record.get("event"), record.get("event"))
        if name not in PLOVER_TYPES or record["text"] in seen_texts:
            continue
        seen_texts.add(record["text"])
        published = record.get("date") or "2000-01-01"
        event = GoldEvent(name, trigger=None,
                          actor1=plover_actor(record.get("source")),
                          actor2=plover_actor(record.get("target")),
                          event_date=None)
        docs.append(GoldDoc(str(record.get("id")), record["text"], published, [event]))
    if not docs:
        raise GoldError(f"{path}: no PLOVER records with text")
    return docs


def plover_actor(actors) -> dict | None:
    """PLOVER source or target actors as one gold actor: any of them may match ("Senior
    Hungarian and Romanian officials agreed": either is a right actor1)."""
    if not actors or not isinstance(actors, list):
        return None
    options = []
    for listed in actors:
        if not isinstance(listed, dict):
            continue
        code = listed.get("code") or ""
        actor = {"text": listed.get("actorText") or ""}
        if len(code) == 3 and code.isupper() and code not in ("IGO", "IMG", "NGO", "MNC"):
            actor["country"] = code
        options.append(actor)
    return {"any_of": options} if options else None
