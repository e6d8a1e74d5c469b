"""``newsevents export``: the lake's incidents in formats other tools already read.

    export_lake("lake/", "acled-csv", "out.csv", Scope(countries=("SYR",)))
      -> ExportResult(rows=120, left_out={"date known only to the year": 3, ...})

- ``acled-csv``: one row per incident with ACLED's column names and conventions
  (``schemas/export/``): event_id_cnty, event_date (YYYY-MM-DD), year, time_precision
  1-3, disorder_type, event_type, sub_event_type, actor1, inter1, actor2, inter2,
  interaction, civilian_targeting, iso (numeric), country, admin1, location, latitude,
  longitude, geo_precision, source, notes, fatalities (0 when none was reported),
  timestamp. Incidents with no ACLED type, or a date known only to the year, are left
  out and counted.
- ``geojson``: a FeatureCollection of points, one per incident (or event) with a place.
- ``parquet``: a table of the lake as one Parquet file.

The lake is read through a read-only connection; files are written by this process.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources

import pyarrow.parquet as pq

from newsevents.pipelines.report import Scope

FORMATS = ("acled-csv", "geojson", "parquet")
ACLED_COLUMNS = ("event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
                 "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
                 "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
                 "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
                 "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
                 "timestamp")
# ACLED's time_precision: 1 the day is known, 2 within a week, 3 within a month. An
# undated report ("published") is news of the last days: 2.
TIME_PRECISION = {"day": 1, "week": 2, "published": 2, "month": 3}
INTER = {0: "", 1: "State forces", 2: "Rebel groups", 3: "Political militias",
         4: "Identity militias", 5: "Rioters", 6: "Protesters", 7: "Civilians",
         8: "External/Other forces"}


class ExportError(ValueError):
    """An export setting a person has to fix."""


@dataclass
class ExportResult:
    rows: int = 0
    left_out: dict[str, int] = field(default_factory=dict)

    def leave_out(self, why: str) -> None:
        self.left_out[why] = self.left_out.get(why, 0) + 1


def _data_csv(name: str) -> list[dict]:
    path = resources.files("newsevents.schemas").joinpath("export").joinpath(name)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _query(con, name: str) -> list[dict]:
    sql = resources.files("newsevents.schemas").joinpath("export").joinpath(name).read_text(encoding="utf-8")
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def connect_scope(lake: str, scope: Scope, table: str = "incidents"):
    from newsevents.transforms.storage.query import connect_lake

    con = connect_lake(lake, read_only=True)
    filters = scope.incidents_filter()
    con.execute(f"create temp view scope as select * from {table} where {filters}")
    return con


def country_of(iso3: str | None) -> tuple[str, str]:
    """(ISO 3166 numeric, name) of an alpha-3 code, "" for an unknown one."""
    import pycountry

    country = pycountry.countries.get(alpha_3=iso3) if iso3 else None
    if country is None:
        return "", ""
    return str(int(country.numeric)), getattr(country, "common_name", None) or country.name


def acled_inter(sector: str | None, actor_country: str | None, event_country: str | None,
                event_type: str | None, by_sector: dict[str, int]) -> int | None:
    """ACLED's inter code of an actor (None: no actor)."""
    if event_type == "Protests":
        return 6 if sector in (None, "CVL", "OPP") else by_sector.get(sector)
    if event_type == "Riots" and sector in (None, "CVL", "OPP"):
        return 5
    if sector is None:
        return None
    code = by_sector.get(sector)
    if code == 1 and actor_country and event_country and actor_country != event_country:
        return 8  # another state's forces
    return code


def disorder_type(event_type: str, sub_type: str | None, rules: list[dict]) -> str:
    for rule in rules:
        if rule["acled_event_type"] == event_type and rule["acled_sub_event_type"] in (sub_type, "*"):
            return rule["disorder_type"]
    return ""


def acled_rows(con, result: ExportResult) -> list[dict]:
    by_sector = {r["sector"]: int(r["inter"]) for r in _data_csv("acled_inter.csv")}
    disorder_rules = _data_csv("acled_disorder.csv")
    rows = []
    for incident in _query(con, "acled_incidents.sql"):
        precision = TIME_PRECISION.get(incident["date_precision"])
        if precision is None or incident["event_date"] is None:
            result.leave_out("date known only to the year")
            continue
        iso, country = country_of(incident["country_iso3"])
        event_type, sub_type = incident["acled_event_type"], incident["acled_sub_event_type"]
        # The lake's own codes where its rows have them (lakes before schema 1.4 do not).
        inter1 = incident["inter1"] if incident.get("inter1") is not None else acled_inter(
            incident["actor1_sector"], incident["actor1_country"], incident["country_iso3"], event_type, by_sector)
        inter2 = incident["inter2"] if incident.get("inter2") is not None else (acled_inter(
            incident["actor2_sector"], incident["actor2_country"], incident["country_iso3"], None, by_sector)
            if incident["actor2_name"] or incident["actor2_sector"] else None)
        if incident["actor1_name"]:
            actor1 = incident["actor1_name"]
        elif inter1 in (5, 6):  # ACLED: "Protesters (Iraq)", "Rioters (Iraq)"
            actor1 = f"{INTER[inter1]} ({country})" if country else INTER[inter1]
        else:  # ACLED codes an unnamed armed perpetrator as a political militia
            actor1 = f"Unidentified Armed Group ({country})" if country else "Unidentified Armed Group"
            inter1 = inter1 or 3
        codes = sorted(c for c in (inter1 or 0, inter2 or 0))
        interaction = int(incident["interaction"]) if incident.get("interaction") is not None else (
            int(f"{codes[1]}{codes[0]}") if codes[0] == 0 else int(f"{codes[0]}{codes[1]}"))
        event_date = incident["event_date"]
        rows.append({
            "event_id_cnty": incident["incident_id"], "event_date": event_date.isoformat(),
            "year": event_date.year, "time_precision": precision,
            "disorder_type": disorder_type(event_type, sub_type, disorder_rules),
            "event_type": event_type, "sub_event_type": sub_type, "actor1": actor1,
            "assoc_actor_1": "", "inter1": inter1 or "", "actor2": actor2_name(incident["actor2_name"], inter2, country),
            "assoc_actor_2": "", "inter2": inter2 or 0, "interaction": interaction,
            "civilian_targeting": "Civilian targeting" if (
                incident["actor2_sector"] == "CVL" or event_type == "Violence against civilians") else "",
            "iso": iso, "region": "", "country": country, "admin1": incident["admin1"] or "",
            "admin2": "", "admin3": "", "location": incident["location_name"] or "",
            "latitude": _coordinate(incident["latitude"]), "longitude": _coordinate(incident["longitude"]),
            "geo_precision": incident["geo_precision"] or "", "source": incident["sources"] or "",
            "source_scale": "", "notes": (incident["sentence"] or "").strip(),
            "fatalities": incident["fatalities"] or 0, "tags": "",
            "timestamp": int(incident["last_seen"].timestamp()) if incident["last_seen"] else "",
        })
    return rows


def actor2_name(name: str | None, inter2: int | None, country: str | None) -> str:
    """The target's name as ACLED writes it: its own, else for civilians the lake names no
    actor for (unnamed, or people no lexicon lists: "four villagers") "Civilians (Iraq)"."""
    if name:
        return name
    if inter2 == 7:
        return f"{INTER[7]} ({country})" if country else INTER[7]
    return ""


def _coordinate(value) -> str:
    return "" if value is None else f"{value:.4f}"


def export_lake(lake: str, fmt: str, out_path: str, scope: Scope = Scope(),
                table: str = "incidents") -> ExportResult:
    if fmt not in FORMATS:
        raise ExportError(f"--format must be one of {', '.join(FORMATS)}")
    if fmt == "acled-csv" and table != "incidents":
        raise ExportError("the ACLED-style export is one row per incident: give no --table")
    if fmt == "geojson" and table not in ("incidents", "events", "places"):
        raise ExportError("--format geojson needs a table with coordinates: incidents, events or places")
    if scope != Scope() and table not in ("incidents", "events"):
        raise ExportError("--since, --until and --country filter incidents and events only")
    con = connect_scope(lake, scope, table)
    result = ExportResult()
    if fmt == "acled-csv":
        rows = acled_rows(con, result)
        with open(out_path, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        result.rows = len(rows)
    elif fmt == "geojson":
        result.rows = _write_geojson(con, out_path, result)
    else:
        relation = con.sql("select * from scope")
        # DuckDB 2 renamed a relation's arrow() to to_arrow_table().
        arrow = (getattr(relation, "to_arrow_table", None) or relation.arrow)()
        pq.write_table(arrow, out_path, compression="zstd")
        result.rows = arrow.num_rows
    if fmt == "acled-csv":
        skipped = con.execute("select count(*) from scope where acled_event_type is null").fetchone()[0]
        if skipped:
            result.left_out["no ACLED event type (verbal and cooperative events)"] = skipped
    return result


def _plain(value):
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    return value


def _write_geojson(con, out_path: str, result: ExportResult) -> int:
    cursor = con.execute("select * exclude (dt) from scope")
    columns = [d[0] for d in cursor.description]
    features = []
    for row in cursor.fetchall():
        record = dict(zip(columns, row))
        if record.get("latitude") is None or record.get("longitude") is None:
            result.leave_out("no coordinates")
            continue
        properties = {k: _plain(v) for k, v in record.items()
                      if k not in ("latitude", "longitude", "reports", "minhash", "key_terms")}
        features.append({"type": "Feature",
                         "geometry": {"type": "Point",
                                      "coordinates": [record["longitude"], record["latitude"]]},
                         "properties": properties})
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump({"type": "FeatureCollection", "features": features}, out, default=str)
    return len(features)
