"""Small lakes written through the commit path, without the pipeline (no model):
fast fixtures for the commands that read a lake."""
import datetime as dt
from pathlib import Path

from newsevents.pipelines.commits import LakeOperation, build_manifest, commit
from newsevents.schemas.tables import to_arrow_table
from newsevents.transforms.storage.lake_files import LakeState, staged_path, write_parquet

UTC = dt.timezone.utc
ACLED = {"ASSAULT": ("Battles", "Armed clash"), "PROTEST": ("Protests", "Peaceful protest"),
         "COERCE": ("Strategic developments", "Arrests")}
SECTORS = {"Islamic State": "REB", "Iraq": "MIL", "Syria": "MIL", "Jordan": "GOV",
           "Syrian Democratic Forces": "REB"}
COUNTRIES = {"Iraq": "IRQ", "Syria": "SYR", "Jordan": "JOR"}
# Incidents of a small conflict lake: (id, type, date, precision, place, country, lat, lon,
# fatalities, actor1, actor2)
INCIDENTS = [
    ("inc-1", "ASSAULT", "2024-01-05", "day", "Mosul", "IRQ", 36.34, 43.13, 12, "Islamic State", "Iraq"),
    ("inc-2", "ASSAULT", "2024-01-20", "week", "Kirkuk", "IRQ", 35.47, 44.39, 3, "Islamic State", None),
    ("inc-3", "PROTEST", "2024-02-01", "month", "Baghdad", "IRQ", 33.31, 44.36, None, None, None),
    ("inc-4", "ASSAULT", "2024-02-11", "day", "Idlib", "SYR", 35.93, 36.63, 7, "Syria", None),
    ("inc-5", "COERCE", "2024-03-02", "day", "Raqqa", "SYR", 35.95, 39.01, None, "Syrian Democratic Forces", None),
    ("inc-6", "ASSAULT", "2014-01-01", "year", "Sinjar", "IRQ", 36.32, 41.87, 100, "Islamic State", None),
    ("inc-7", "CONSULT", "2024-03-10", "published", None, "JOR", None, None, None, "Jordan", "Iraq"),
]


def make_report_lake(lake: Path) -> Path:
    started = dt.datetime(2024, 3, 12, 6, tzinfo=UTC)
    operation = LakeOperation("20240312T060000Z-5eed5eed", started, LakeState())
    rows, events = [], []
    for i, t, d, p, place, c, lat, lon, f, a1, a2 in INCIDENTS:
        acled, sub = ACLED.get(t, (None, None))
        seen = dt.datetime(2024, 3, 11, 8, tzinfo=UTC)
        rows.append({
            "incident_id": i, "event_type": t, "event_date": dt.date.fromisoformat(d), "date_precision": p,
            "acled_event_type": acled, "acled_sub_event_type": sub, "location_name": place,
            "country_iso3": c, "latitude": lat, "longitude": lon, "geo_precision": 1 if place else 3,
            "fatalities": f, "actor1_name": a1, "actor1_sector": SECTORS.get(a1),
            "actor1_country": COUNTRIES.get(a1), "actor2_name": a2, "actor2_sector": SECTORS.get(a2),
            "actor2_country": COUNTRIES.get(a2), "num_mentions": 2, "num_articles": 2,
            "num_sources": 2, "first_seen": seen, "last_seen": seen, "run_id": operation.run_id,
            "reports": [{"article_id": f"a-{i}-{n}", "source": source, "mentions": 1}
                        for n, source in enumerate(("Wire One", "Daily Two"))]})
        events += [{"event_id": f"e-{i}-{n}", "article_id": f"a-{i}-{n}", "incident_id": i,
                    "event_type": t, "sentence": f"Sentence {n} about {i}.",
                    "published_at": seen + dt.timedelta(hours=n), "run_id": operation.run_id}
                   for n in range(2)]
    rejects = [{"run_id": operation.run_id, "input": "crawl/a.jsonl", "position": n, "stage": "read",
                "reason": f"bad JSON: Expecting value at column {n}"} for n in (3, 8)]
    rejects.append({"run_id": operation.run_id, "input": "crawl/b.txt", "position": 0, "stage": "read",
                    "reason": "no publication date"})
    staged = []
    for table, table_rows in (("incidents", rows), ("events", events), ("rejects", rejects)):
        path = staged_path(str(lake), operation.run_id, table, "2024-03-12", 0)
        write_parquet(path, to_arrow_table(table, table_rows))
        staged.append(path)
    counts = {"read": 10, "stored": 7, "duplicates": 0, "rejected": 3}
    commit(operation, str(lake), build_manifest(operation, "run", options="{}", counts=counts), staged)
    return lake




def commit_small_run(lake: Path, n: int, published: dt.datetime | None = None,
                     started: dt.datetime | None = None, inputs: tuple = ()) -> dict:
    """One committed run of one article and one event, through the commit path (the
    lock, leftovers cleaned, manifest fold): run ``n`` of a lake of many small runs.
    ``inputs``: (path, size, mtime) of input files the run read."""
    import dataclasses

    from newsevents.pipelines.commits import lake_operation

    published = published or dt.datetime(2024, 3, 1, 9, tzinfo=UTC) + dt.timedelta(hours=n)
    with lake_operation(str(lake), 0.0) as operation:
        if started is not None:
            operation = dataclasses.replace(operation, started=started)
        day = published.date().isoformat()
        article = {"article_id": f"art-{n}", "external_id": f"x{n}", "published_at": published,
                   "text": f"Gunmen attacked a post in Kano, report {n}.", "run_id": operation.run_id,
                   "language": "en", "source": "wire"}
        event = {"event_id": f"ev-{n}", "article_id": f"art-{n}", "event_type": "ASSAULT",
                 "country_iso3": "NGA", "modality": "asserted", "published_at": published,
                 "fatalities": n % 5, "incident_id": f"inc-{n % 7}", "run_id": operation.run_id}
        staged = []
        for table, rows in (("articles", [article]), ("events", [event])):
            path = staged_path(str(lake), operation.run_id, table, day, 0)
            write_parquet(path, to_arrow_table(table, rows))
            staged.append(path)
        counts = {"read": 1, "stored": 1, "duplicates": 0, "rejected": 0, "events": 1}
        manifest = build_manifest(operation, "stream", options="{}", counts=counts,
                                  input_files=inputs, inputs=[p for p, _, _ in inputs])
        return commit(operation, str(lake), manifest, staged)
