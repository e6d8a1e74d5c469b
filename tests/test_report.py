"""`newsevents report`: one offline HTML file whose charts hold the numbers the SQL
gives, loaded in headless Chromium with no console error."""
import re
import shutil

import pytest
from click.testing import CliRunner

from newsevents.pipelines.cli import cli
from newsevents.pipelines.report import ReportError, Scope
from newsevents.transforms.storage.query import connect_lake
from tests.lakes import make_report_lake

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture(scope="module")
def report_lake(tmp_path_factory):
    return make_report_lake(tmp_path_factory.mktemp("report") / "lake")


def write_report(lake, out, *args):
    result = CliRunner().invoke(cli, ["report", "--lake", str(lake), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_report_is_one_offline_file(report_lake, tmp_path):
    html = write_report(report_lake, tmp_path / "report.html")
    assert not re.search(r"""(src|href)\s*=|url\(|@import|https?://""", html)
    assert "default-src 'none'" in html  # the page may not fetch anything, even by mistake
    for chart in ("incidents-by-month", "incident-map", "top-actors", "top-places",
                  "fatalities-by-country-month", "rejects-by-reason", "runs"):
        assert f'data-chart="{chart}"' in html, chart


@pytest.mark.parametrize("args, incidents", [
    ((), 7), (("--country", "SYR"), 2), (("--country", "irq", "--country", "SYR"), 6),
    (("--since", "2024-02-01", "--until", "2024-02-29"), 2),
])
def test_scope_filters(report_lake, tmp_path, args, incidents):
    html = write_report(report_lake, tmp_path / "r.html", *args)
    assert f'data-incidents="{incidents}"' in html


@pytest.mark.parametrize("args, message", [
    (("--country", "Syria"), "ISO 3166 alpha-3"),
    (("--since", "2024-03-01", "--until", "2024-01-01"), "--since must not be after"),
    (("--since", "March"), "expected a date"),
])
def test_bad_scope_is_a_usage_error(report_lake, tmp_path, args, message):
    result = CliRunner().invoke(cli, ["report", "-l", str(report_lake), "-o", str(tmp_path / "r.html"), *args])
    assert result.exit_code == 2 and message in result.output, result.output


def test_not_a_lake(tmp_path):
    result = CliRunner().invoke(cli, ["report", "-l", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 1 and "not a newsevents lake" in result.output


def test_scope_rejects_bad_codes():
    with pytest.raises(ReportError):
        Scope(countries=("SY'R",))


@pytest.fixture(scope="module")
def browser():
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail("headless Chromium is needed: apt-get install chromium chromium-driver "
                    "(.ci/run installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,2400"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def marks(driver, chart):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(`[data-chart='${arguments[0]}'] .mark`))"
        ".map(m => [m.dataset.key, Number(m.dataset.value), m.getBoundingClientRect().width > 0])",
        chart)


@pytest.mark.slow
@pytest.mark.browser
def test_the_report_in_headless_chromium_holds_the_sql_numbers(report_lake, tmp_path, browser):
    out = tmp_path / "report.html"
    write_report(report_lake, out)
    browser.get(out.as_uri())
    assert browser.execute_script("return document.body.dataset.ready") == "true"
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    con = connect_lake(str(report_lake))

    by_month = {(k, v) for k, v, shown in marks(browser, "incidents-by-month")}
    assert by_month == {(f"{m}|{t}", n) for m, t, n in con.execute(
        "select strftime(event_date, '%Y-%m'), event_type, count(*) from incidents "
        "where date_precision in ('day', 'week', 'month') group by all").fetchall()}
    assert ("2014-01|ASSAULT", 1) not in by_month  # year-only dates are not piled into January

    on_map = {k: v for k, v, _ in marks(browser, "incident-map")}
    assert on_map == dict(con.execute("select incident_id, coalesce(fatalities, 0) from incidents "
                                      "where latitude is not null").fetchall())
    assert {path for path in browser.execute_script(
        "return Array.from(document.querySelectorAll('.map .country')).map(p => p.dataset.country)")} \
        >= {"IRQ", "SYR", "JOR", "TUR"}  # the outlines of the region, offline

    actors = {k: v for k, v, _ in marks(browser, "top-actors")}
    assert actors["Islamic State"] == 3 and actors["Iraq"] == 2
    assert actors == dict(con.execute(
        "select actor, count(distinct incident_id) from (select incident_id, actor1_name actor "
        "from incidents union all select incident_id, actor2_name from incidents) "
        "where actor is not null group by all").fetchall())

    places = {k: v for k, v, _ in marks(browser, "top-places")}
    assert places == {f"{p} ({c})": n for p, c, n in con.execute(
        "select location_name, country_iso3, count(*) from incidents where location_name is not null "
        "group by all").fetchall()}

    deaths = {k: v for k, v, _ in marks(browser, "fatalities-by-country-month")}
    assert deaths == {f"{c}|{m}": n for c, m, n in con.execute(
        "select country_iso3, strftime(event_date, '%Y-%m'), sum(fatalities) from incidents "
        "where date_precision in ('day', 'week', 'month') and fatalities is not null "
        "group by all").fetchall()}

    reasons = {k: v for k, v, _ in marks(browser, "rejects-by-reason")}
    assert reasons == {"bad JSON": 2, "no publication date": 1}
    assert sum(reasons.values()) == con.execute("select count(*) from rejects").fetchone()[0]

    # the legend hides a type's marks, and shows them again
    browser.execute_script(
        "document.querySelector(`[data-legend-for='incidents-by-month'] button[data-series='ASSAULT']`).click()")
    assert all(not shown for key, _, shown in marks(browser, "incidents-by-month") if key.endswith("|ASSAULT"))
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
