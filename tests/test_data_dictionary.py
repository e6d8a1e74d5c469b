"""The data dictionary is generated from schemas/ and the lexicons, complete, and in sync
with docs/data-dictionary.md; the monthly queries count only dates known to the month."""
import datetime as dt

import duckdb
import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.pipelines import data_dictionary as dd
from newsevents.schemas.lake import canned_queries
from newsevents.schemas.tables import TABLES
from newsevents.transforms.extraction.ontology import PLOVER_TYPES, Ontology
from newsevents.transforms.lexicons.loader import read_csv, read_jsonl
from tests.conftest import ROOT


def test_every_column_has_a_description():
    assert dd.check_descriptions() == []


def test_a_column_without_a_description_is_named(monkeypatch):
    real = dd._rows

    def without_fatalities(name):
        return [r for r in real(name) if (r.get("table"), r.get("column")) != ("events", "fatalities")]

    monkeypatch.setattr(dd, "_rows", without_fatalities)
    assert dd.check_descriptions() == [
        "events.fatalities has no description in schemas/dictionary/columns.csv"]
    with pytest.raises(dd.DictionaryError, match="events.fatalities"):
        dd.render_dictionary()


def test_the_checked_in_dictionary_is_in_sync():
    """Regenerate with: newsevents dictionary --out docs/data-dictionary.md"""
    assert (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8") == dd.render_dictionary()


def test_the_command_prints_the_dictionary(tmp_path):
    result = CliRunner().invoke(cli, ["dictionary", "--out", str(tmp_path / "dd.md")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dd.md").read_text(encoding="utf-8") == dd.render_dictionary()


def test_every_table_and_column_is_in_the_document():
    text = dd.render_dictionary()
    for table, schema in TABLES.items():
        assert f"\n## {table}\n" in text
        for name in schema.names:
            assert f"| `{name}` |" in text, f"{table}.{name}"


@pytest.mark.parametrize("coding, codes", [
    ("plover_type", set(PLOVER_TYPES)),
    ("modality", {"asserted", "negated", "hypothetical", "future"}),
    ("date_precision", {"day", "week", "month", "year", "published"}),
    ("geo_precision", {"1", "2", "3"}),
    ("quad_class", {"1", "2", "3", "4"}),
    ("inter", {str(n) for n in range(9)}),
])
def test_fixed_codings_are_complete(coding, codes):
    assert {code for code, _ in dd.fixed_codings()[coding]} == codes


def test_every_sector_the_lexicons_use_is_explained():
    sectors = {code for code, _ in dd.fixed_codings()["sector"]}
    used = {e["sector"] for e in read_jsonl("actors.jsonl", ("name",)) if e.get("sector")}
    used |= {r["sector"] for r in read_csv("agents.csv", ("lemma",)) if r.get("sector")}
    assert used <= sectors, used - sectors


def test_acled_labels_and_modes_come_from_the_lexicons():
    text = dd.render_dictionary()
    for coding in Ontology.load().rows.values():
        if coding.acled_sub_event_type:
            assert f"| {coding.acled_event_type} | {coding.acled_sub_event_type} |" in text
    for mode in ("suicide-bomb", "aerial", "arrest", "seize"):
        assert f"| `{mode}` |" in text


def test_actors_with_their_parent_organisation():
    text = dd.render_dictionary()
    actors = read_jsonl("actors.jsonl", ("name",))
    assert "| Islamic State Khorasan Province |" in text
    grouped = [a for a in actors if a.get("group")]
    if grouped:  # the parent organisations, once the lexicon has them
        for actor in grouped:
            assert f"| {actor['name']} | {actor['group']} |" in text
    else:  # the section is there, empty but ready
        assert "No actor in the lexicon has a parent organisation yet" in text


MONTHLY = [
    ("day", dt.date(2024, 3, 5), True), ("week", dt.date(2024, 3, 4), True),
    ("month", dt.date(2024, 3, 1), True), ("year", dt.date(2014, 1, 1), False),
    ("published", dt.date(2024, 3, 30), False),
]


def monthly_con():
    con = duckdb.connect()
    rows = ", ".join(f"('inc-{i}', '{p}', date '{d}', 'ASSAULT', 'IRQ', {10 * (i + 1)})"
                     for i, (p, d, _) in enumerate(MONTHLY))
    columns = "(incident_id, date_precision, event_date, event_type, country_iso3, fatalities)"
    con.execute(f"create table incidents as select * from (values {rows}) t{columns}")
    for name in ("acled_sub_event_type", "location_name", "actor1_name"):
        con.execute(f"alter table incidents add column {name} varchar")
    con.execute("alter table incidents add column num_articles integer")
    con.execute("alter table incidents add column first_seen timestamp")
    return con


def test_monthly_incidents_count_only_dates_known_to_the_month():
    con = monthly_con()
    rows = con.execute(canned_queries()["incidents_per_month"]).fetchall()
    assert rows == [(dt.date(2024, 3, 1), "ASSAULT", "IRQ", 3, 60)]  # 10 + 20 + 30, not 2014-01
    apart = con.execute(canned_queries()["incidents_not_dated_to_month"]).fetchall()
    assert [(r[0], r[1], r[2]) for r in apart] == [("inc-3", 2014, "year"), ("inc-4", 2024, "published")]
