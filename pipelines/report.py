"""``newsevents report``: one self-contained HTML file to look at a lake.

    html = build_report("lake/", since=date(2024, 1, 1), countries=("SYR", "IRQ"))

Incidents over time by type, a map of incidents, the top actors and places, fatalities
by country and month, and the runs' health (read, stored, rejected by reason). The data
come from the SQL files in ``schemas/report/`` over a read-only connection; the charts
are inline SVG (``pipelines.charts``) and the map's country outlines come from a package
that ships Natural Earth (``pipelines.world_shapes``): the file opens offline, and asks
nothing of any server.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import escape
from importlib import resources

from newsevents.pipelines import charts
from newsevents.pipelines.run_summary import group_rejects
from newsevents.pipelines.world_shapes import Frame, country_paths

COUNTRY_CODE = re.compile(r"^[A-Z]{3}$")
TOP_TYPES = 8


class ReportError(ValueError):
    """A setting of the report a person has to fix."""


@dataclass(frozen=True)
class Scope:
    """Which incidents the report covers: event dates and countries."""
    since: dt.date | None = None
    until: dt.date | None = None
    countries: tuple[str, ...] = ()

    def __post_init__(self):
        for code in self.countries:
            if not COUNTRY_CODE.match(code):
                raise ReportError(f"--country: expected an ISO 3166 alpha-3 code such as SYR, got {code!r}")
        if self.since and self.until and self.since > self.until:
            raise ReportError("--since must not be after --until")

    def incidents_filter(self) -> str:
        # Values are checked dates and [A-Z]{3} codes, so they are safe as literals.
        parts = ["true"]
        if self.since:
            parts.append(f"event_date >= date '{self.since.isoformat()}'")
        if self.until:
            parts.append(f"event_date <= date '{self.until.isoformat()}'")
        if self.countries:
            parts.append("country_iso3 in (" + ", ".join(f"'{c}'" for c in self.countries) + ")")
        return " and ".join(parts)

    def runs_filter(self) -> str:
        parts = ["true"]
        if self.since:
            parts.append(f"started_at >= timestamptz '{self.since.isoformat()} 00:00:00+00'")
        if self.until:
            parts.append(f"started_at < timestamptz '{(self.until + dt.timedelta(days=1)).isoformat()} 00:00:00+00'")
        return " and ".join(parts)

    def describe(self) -> str:
        dates = (f"event dates {self.since or 'any'} to {self.until or 'any'}"
                 if self.since or self.until else "all event dates")
        return dates + (f"; countries {', '.join(self.countries)}" if self.countries else "; all countries")


def report_queries() -> dict[str, str]:
    folder = resources.files("newsevents.schemas").joinpath("report")
    return {entry.name[:-4]: entry.read_text(encoding="utf-8")
            for entry in folder.iterdir() if entry.name.endswith(".sql")}


def report_data(lake: str, scope: Scope) -> dict:
    """Every number the report shows, from the SQL in schemas/report/ (read-only)."""
    from newsevents.transforms.storage.query import connect_lake

    con = connect_lake(lake, read_only=True)
    con.execute(f"create temp view scope as select * from incidents where {scope.incidents_filter()}")
    con.execute(f"create temp view runs_in_scope as select * from runs where {scope.runs_filter()}")
    data = {}
    for name, sql in report_queries().items():
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description]
        data[name] = [dict(zip(columns, row)) for row in cursor.fetchall()]
    return data


def build_report(lake: str, scope: Scope = Scope(), generated: dt.datetime | None = None) -> str:
    data = report_data(lake, scope)
    generated = generated or dt.datetime.now(dt.timezone.utc)
    totals = data["scope_totals"][0]

    by_month = data["incidents_by_month_and_type"]
    type_totals: dict[str, int] = {}
    for row in by_month:
        type_totals[row["event_type"]] = type_totals.get(row["event_type"], 0) + row["incidents"]
    kept = sorted(type_totals, key=lambda t: (-type_totals[t], t))[:TOP_TYPES]
    month_rows: dict[tuple[str, str], int] = {}
    for row in by_month:
        key = (row["month"], row["event_type"] if row["event_type"] in kept else "other types")
        month_rows[key] = month_rows.get(key, 0) + row["incidents"]

    points = [dict(p, label=f"{p['event_date']} {p['event_type']} "
                              f"{p['acled_sub_event_type'] or ''} in {p['location_name'] or '?'} "
                              f"({p['country_iso3'] or '?'}): {p['fatalities']} killed, "
                              f"{p['num_articles']} article(s) [{p['incident_id']}]")
              for p in data["incident_points"]]
    frame = Frame.around([(p["longitude"], p["latitude"]) for p in points])
    rejects = group_rejects([(r["input"], r["position"], r["reason"]) for r in data["rejects_in_scope"]])
    runs = data["run_health"]
    run_totals = {k: sum(r[k] or 0 for r in runs) for k in ("read", "stored", "duplicates", "rejected")}

    sections = [
        section("Incidents over time, by type",
                f"Incidents per month of their best-estimate date. {totals['not_dated_to_month']} "
                "incident(s) whose date is known only to the year, or not stated, are not "
                "counted by month (see the data dictionary).",
                charts.stacked_bars("incidents-by-month", [(m, t, n) for (m, t), n in sorted(month_rows.items())],
                                    series_order=kept + ["other types"])),
        section("Map of incidents",
                f"{len(points)} incident(s) with a place; circle area by fatalities. Country "
                "outlines: Natural Earth (public domain).",
                charts.point_map("incident-map", frame, country_paths(frame), points,
                                 kept or sorted({p["event_type"] for p in points}))),
        "<div class=\"pair\">" + section("Top actors",
                "Incidents in which the actor acted or was targeted (canonical names).",
                charts.horizontal_bars("top-actors", [
                    (r["actor"], r["incidents"], f"  ({r['acted']} acted, {r['targeted']} targeted)")
                    for r in data["top_actors"]])),
        section("Top places", "Incidents by best-estimate place.",
                charts.horizontal_bars("top-places", [
                    (f"{r['place']} ({r['country_iso3'] or '?'})", r["incidents"],
                     f"  ({r['fatalities']} killed)") for r in data["top_places"]])) + "</div>",
        section("Fatalities by country and month",
                "Best-estimate fatalities of the incidents, by country and month of the date.",
                charts.heat_table("fatalities-by-country-month", [
                    (r["country_iso3"], r["month"], r["fatalities"])
                    for r in data["fatalities_by_country_and_month"]], "country")),
        section("Runs' health",
                f"{len(runs)} run(s): {run_totals['read']} records read, {run_totals['stored']} "
                f"stored, {run_totals['duplicates']} duplicates, {run_totals['rejected']} rejected.",
                charts.horizontal_bars("rejects-by-reason", [
                    (g.reason, g.count, f"  (first: {g.input.rsplit('/', 1)[-1]}:{g.position})")
                    for g in rejects], width=900, label_width=380)
                + charts.data_table("runs", ["run_id", "kind", "status", "started_at", "seconds",
                                             "read", "stored", "duplicates", "rejected", "events"],
                                    [tuple(r[c] for c in ("run_id", "kind", "status", "started_at",
                                                          "seconds", "read", "stored", "duplicates",
                                                          "rejected", "events")) for r in runs])),
    ]
    summary = (f"{totals['incidents']} incidents ({totals['mentions']} mentions), "
               f"{totals['fatalities']} killed, {totals['countries']} countries, event dates "
               f"{totals['first_date'] or '-'} to {totals['last_date'] or '-'}")
    return PAGE.format(
        title=escape(f"newsevents report: {lake}"), lake=escape(lake), scope=escape(scope.describe()),
        generated=escape(generated.strftime("%Y-%m-%d %H:%M UTC")), summary=escape(summary),
        incidents=totals["incidents"], sections="".join(sections), style=STYLE, script=SCRIPT)


def section(title: str, note: str, body: str) -> str:
    return f"<section><h2>{escape(title)}</h2><p class=\"note\">{escape(note)}</p>{body}</section>"


STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#1f2d3d;color:#fff;padding:16px 28px}header h1{margin:0 0 4px;font-size:20px}
header p{margin:2px 0;color:#cfd8e3}main{padding:8px 28px 40px;max-width:1100px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:6px;padding:12px 18px;margin:16px 0}
h2{font-size:16px;margin:4px 0}.note{color:#666;margin:2px 0 10px}figure{margin:0}
svg{max-width:100%;height:auto}.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:0 16px}.tick,.label,.value{font-size:11px;fill:#444}.map .sea{fill:#eef4f8}
.map .country{fill:#e6e2d6;stroke:#aaa;stroke-width:.5}.map circle{fill-opacity:.75;stroke:#fff;stroke-width:.8}
.legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:6px}
.legend button{font:inherit;font-size:12px;border:1px solid #ccc;background:#fff;border-radius:4px;cursor:pointer;padding:2px 6px}
.legend button[aria-pressed=false]{opacity:.4}.swatch{display:inline-block;width:10px;height:10px;margin-right:5px}
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:12px}th,td{padding:3px 6px;border:1px solid #eee;text-align:right}
th[scope=row],table.data td[data-column=run_id]{text-align:left;font-family:ui-monospace,monospace}
.hidden{display:none}.empty p{color:#888;font-style:italic}
"""

# Legend buttons show and hide a series; nothing is fetched.
SCRIPT = """
document.querySelectorAll('.legend').forEach(function (legend) {
  var figure = legend.closest('figure');
  legend.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) { return; }
    var shown = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(shown));
    figure.querySelectorAll('.mark').forEach(function (mark) {
      if (mark.dataset.series === button.dataset.series) { mark.classList.toggle('hidden', !shown); }
    });
  });
});
document.body.dataset.ready = 'true';
"""

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title}</title><style>{style}</style></head>
<body data-incidents="{incidents}">
<header><h1>newsevents report</h1><p>Lake <code>{lake}</code> &middot; {scope} &middot; generated {generated}</p>
<p>{summary}</p></header>
<main>{sections}</main>
<script>{script}</script>
</body></html>
"""
