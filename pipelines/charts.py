"""Charts as inline SVG and HTML, for the self-contained report: no script library, no
web font, no request of any kind.

Every mark carries its number in ``data-key`` / ``data-value`` (and a ``<title>``
tooltip), so a test reads back exactly what the chart shows.

    stacked_bars("by-month", [("2024-03", "ASSAULT", 12), ...])   -> "<figure ...><svg ...>"
"""
from __future__ import annotations

import math
from collections import defaultdict
from html import escape

# Colour-blind-safe palette (Okabe-Ito), then greys for the rest.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
           "#000000")
OTHER = "#999999"


def attr(value) -> str:
    return escape(str(value), quote=True)


def color_map(keys: list[str]) -> dict[str, str]:
    """Palette colours in order; "other ..." series are always grey."""
    colors, i = {}, 0
    for key in keys:
        if key.startswith("other") or i >= len(PALETTE):
            colors[key] = OTHER
        else:
            colors[key], i = PALETTE[i], i + 1
    return colors


def svg_open(chart: str, width: float, height: float, extra: str = "") -> str:
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{attr(chart)}"{extra}>')


def legend(chart: str, colors: dict[str, str]) -> str:
    items = "".join(
        f'<li><button type="button" data-series="{attr(k)}" aria-pressed="true">'
        f'<span class="swatch" style="background:{c}"></span>{escape(k)}</button></li>'
        for k, c in colors.items())
    return f'<ul class="legend" data-legend-for="{attr(chart)}">{items}</ul>'


def stacked_bars(chart: str, rows: list[tuple[str, str, int]], width: int = 900,
                 height: int = 300, series_order: list[str] | None = None) -> str:
    """Columns per x (e.g. month), stacked by series (e.g. event type)."""
    if not rows:
        return empty(chart, "No incident with a date known to the month.")
    xs = sorted({x for x, _, _ in rows})
    totals = defaultdict(int)
    by_series = defaultdict(int)
    for x, series, value in rows:
        totals[x] += value
        by_series[series] += value
    series_order = [s for s in series_order or [] if s in by_series] + sorted(
        (s for s in by_series if s not in (series_order or [])), key=lambda s: (-by_series[s], s))
    colors = color_map(series_order)
    top = max(totals.values())
    left, bottom, right, top_pad = 40, 40, 10, 10
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    step = plot_w / len(xs)
    bar_w = min(60.0, max(2.0, step * 0.7))
    marks, labels = [], []
    values = {(x, s): v for x, s, v in rows}
    for i, x in enumerate(xs):
        y = top_pad + plot_h
        for series in series_order:
            value = values.get((x, series))
            if not value:
                continue
            h = plot_h * value / top
            y -= h
            marks.append(
                f'<rect class="mark" x="{left + i * step + (step - bar_w) / 2:.1f}" y="{y:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}" fill="{colors[series]}" '
                f'data-key="{attr(x)}|{attr(series)}" data-series="{attr(series)}" '
                f'data-value="{value}"><title>{escape(x)} {escape(series)}: {value}</title></rect>')
        if len(xs) <= 24 or i % math.ceil(len(xs) / 24) == 0:
            labels.append(f'<text x="{left + i * step + step / 2:.1f}" y="{height - bottom + 16}" '
                          f'text-anchor="middle" class="tick">{escape(x)}</text>')
    axis = "".join(
        f'<text x="{left - 6}" y="{top_pad + plot_h - plot_h * t / top + 4:.1f}" text-anchor="end" '
        f'class="tick">{t}</text>' for t in ticks(top))
    svg = svg_open(chart, width, height) + f'{axis}{"".join(marks)}{"".join(labels)}</svg>'
    return f'<figure data-chart="{attr(chart)}">{svg}{legend(chart, colors)}</figure>'


def ticks(top: int) -> list[int]:
    """Up to five round values from 0 to ``top``."""
    if top <= 0:
        return [0]
    step = 10 ** math.floor(math.log10(top))
    while top / step > 5:
        step *= 2
    return list(range(0, top + 1, int(step) or 1))


def horizontal_bars(chart: str, rows: list[tuple[str, int, str]], width: int = 540,
                    unit: str = "", label_width: int = 170) -> str:
    """One bar a row: (label, value, detail shown after the value)."""
    if not rows:
        return empty(chart, "Nothing to show.")
    top = max(v for _, v, _ in rows) or 1
    label_w, bar_h, gap = label_width, 18, 6
    max_chars = label_w // 6
    height = len(rows) * (bar_h + gap) + gap
    marks = []
    for i, (label, value, detail) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = (width - label_w - 220) * value / top
        short = label if len(label) <= max_chars else label[:max_chars - 1] + "…"
        marks.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" class="label">'
            f'<title>{escape(label)}</title>{escape(short)}</text>'
            f'<rect class="mark" x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
            f'fill="{PALETTE[0]}" data-key="{attr(label)}" data-value="{value}">'
            f'<title>{escape(label)}: {value}{unit} {escape(detail)}</title></rect>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 13}" class="value">{value}{escape(detail)}</text>')
    svg = svg_open(chart, width, height) + f'{"".join(marks)}</svg>'
    return f'<figure data-chart="{attr(chart)}">{svg}</figure>'


def heat_table(chart: str, rows: list[tuple[str, str, int]], row_label: str) -> str:
    """A table of rows x columns (e.g. country x month), each cell shaded by its value."""
    if not rows:
        return empty(chart, "No fatalities with a date known to the month.")
    row_keys = sorted({r for r, _, _ in rows}, key=lambda r: (-sum(v for k, _, v in rows if k == r), r))
    col_keys = sorted({c for _, c, _ in rows})
    values = {(r, c): v for r, c, v in rows}
    top = max(values.values()) or 1
    head = "".join(f"<th scope=\"col\">{escape(c)}</th>" for c in col_keys)
    body = []
    for r in row_keys:
        cells = []
        for c in col_keys:
            value = values.get((r, c))
            if value is None:
                cells.append("<td></td>")
            else:
                alpha = 0.12 + 0.88 * value / top
                cells.append(f'<td class="mark" style="background:rgba(213,94,0,{alpha:.2f})" '
                             f'data-key="{attr(r)}|{attr(c)}" data-value="{value}">{value}</td>')
        total = sum(values.get((r, c)) or 0 for c in col_keys)
        body.append(f"<tr><th scope=\"row\">{escape(r)}</th>{''.join(cells)}<td class=\"total\">{total}</td></tr>")
    return (f'<figure data-chart="{attr(chart)}"><div class="scroll"><table class="heat">'
            f"<thead><tr><th>{escape(row_label)}</th>{head}<th>total</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div></figure>")


def point_map(chart: str, frame, countries: list[tuple[str, str, str]],
              points: list[dict], series_order: list[str], series_key: str = "event_type") -> str:
    """Country outlines with a circle per point (area by fatalities), coloured by series
    (the series not in ``series_order`` are "other types")."""
    present = {p[series_key] for p in points}
    order = [s for s in series_order if s in present]
    if present - set(order):
        order.append("other types")
    points = [dict(p, **{series_key: p[series_key] if p[series_key] in order else "other types"})
              for p in points]
    colors = color_map(order)
    shapes = "".join(f'<path class="country" d="{d}" data-country="{attr(code)}">'
                     f"<title>{escape(name)}</title></path>" for code, name, d in countries)
    top = max([p["fatalities"] for p in points] + [1])
    marks = []
    for p in sorted(points, key=lambda p: -p["fatalities"]):  # small circles on top
        x, y = frame.project(p["longitude"], p["latitude"])
        r = 3 + 12 * math.sqrt(p["fatalities"] / top)
        marks.append(
            f'<circle class="mark" cx="{x}" cy="{y}" r="{r:.1f}" fill="{colors[p[series_key]]}" '
            f'data-key="{attr(p["incident_id"])}" data-series="{attr(p[series_key])}" '
            f'data-value="{p["fatalities"]}"><title>{escape(p["label"])}</title></circle>')
    svg = (svg_open(chart, frame.width, frame.height, ' class="map"')
           + f'<rect width="{frame.width}" height="{frame.height}" class="sea"/>{shapes}{"".join(marks)}</svg>')
    return f'<figure data-chart="{attr(chart)}">{svg}{legend(chart, colors) if order else ""}</figure>'


def data_table(chart: str, columns: list[str], rows: list[tuple]) -> str:
    head = "".join(f"<th scope=\"col\">{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td data-column="{attr(c)}">{escape("" if v is None else str(v))}</td>'
                         for c, v in zip(columns, row)) + "</tr>" for row in rows)
    return (f'<figure data-chart="{attr(chart)}"><div class="scroll"><table class="data">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></figure>")


def empty(chart: str, message: str) -> str:
    return f'<figure data-chart="{attr(chart)}" class="empty"><p>{escape(message)}</p></figure>'
