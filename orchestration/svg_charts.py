"""Small charts drawn as inline SVG: stacked, grouped and horizontal bars, lines, histograms.

What the report (orchestration/report.py) draws, without a JavaScript library, an image
file or a font from the network: each function returns the `<svg>` text and the number of
data points it drew (the report puts it in the figure's `data-points`). Every label that
may come from data goes through `esc` (html.escape), so a business line named
`<script>` is shown as text, never run. The SVG carries no `xmlns`: inline in HTML it needs
none, and the report holds no `http://` reference at all.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

# Okabe and Ito's palette: told apart by people with the common colour vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D1F",
           "#000000")
GRID = "#e3e3e3"
AXIS = "#888888"
TEXT = "#333333"
FONT = 12
# average width of a character at FONT px, to size margins for labels
CHAR_WIDTH = 6.6
WIDTH = 1000

Format = Callable[[float], str]


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def number(value: float) -> str:
    """1234 -> '1,234'; 0.1234 -> '0.123' (three significant figures below 1)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def percent(value: float | None, digits: int | None = None) -> str:
    """0.25 -> '25 %'; one decimal under 10 % (or `digits` decimals always)."""
    if value is None:
        return "–"
    if digits is None:
        digits = 0 if value * 100 >= 10 or value == 0 else 1
    return f"{value * 100:.{digits}f} %"


def colour(position: int) -> str:
    return PALETTE[position % len(PALETTE)]


def nice_ticks(low: float, high: float, count: int = 5, *, whole: bool = False) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2, 2.5 or 5 times a power of 10;
    whole numbers only when `whole`, for counts)."""
    if not high > low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * 0.999)
    if whole:
        step = max(1, math.ceil(step))
    start = math.floor(low / step + 1e-9) * step
    ticks = [start]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(start + step * len(ticks))
    return [round(tick, 12) for tick in ticks]


def date_ticks(low: date, high: date) -> list[tuple[date, str]]:
    """Calendar ticks: years over a long span, months (every 1, 2, 3 or 6) over a shorter
    one, days when the span is under two months."""
    span = (high - low).days
    if span > 3 * 365:
        return [(date(year, 1, 1), str(year)) for year in range(low.year + 1, high.year + 1)]
    if span > 60:
        months = span / 30.4
        step = next(s for s in (1, 2, 3, 6, 12) if months / s <= 8)
        ticks = []
        year, month = low.year, low.month
        while date(year, month, 1) <= high:
            if date(year, month, 1) >= low and (month - 1) % step == 0:
                ticks.append((date(year, month, 1), f"{year}-{month:02d}"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return ticks
    step = max(1, math.ceil(span / 6))
    return [(date.fromordinal(day), date.fromordinal(day).isoformat())
            for day in range(low.toordinal(), high.toordinal() + 1, step)]


def _text(x: float, y: float, content: object, *, anchor: str = "start", size: int = FONT,
          fill: str = TEXT, weight: str = "normal", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}" font-weight="{weight}"{extra}>{esc(content)}</text>')


def _short(label: str, characters: int) -> str:
    return label if len(label) <= characters else label[: characters - 1] + "…"


def _svg(width: float, height: float, body: Sequence[str], label: str) -> str:
    return (f'<svg viewBox="0 0 {width:.0f} {height:.0f}" width="100%" role="img" '
            f'aria-label="{esc(label)}" font-family="system-ui, sans-serif">'
            + "".join(body) + "</svg>")


@dataclass(frozen=True)
class _Key:
    """A legend entry: its symbol is 'box', 'dashed' (a line), 'hollow' (an open dot),
    'ring' or 'square' (the marks of line_chart)."""

    name: str
    colour: str
    symbol: str = "box"


_LEGEND_ROW = 20


def _legend(keys: Sequence[_Key], x: float) -> tuple[list[str], float]:
    """Symbols and names in rows from (x, top), wrapped at the right edge; returns the
    parts and where the legend ends (the chart starts below it)."""
    parts, start, y = [], x, 16.0
    for key in keys:
        width = _legend_width([key.name])
        if x > start and x + width - 22 > WIDTH - 8:
            x, y = start, y + _LEGEND_ROW
        parts.append(_symbol(key.symbol, x + 6, y - 4, key.colour, small=True))
        parts.append(_text(x + 18, y, key.name))
        x += width
    return parts, y + 10 if keys else 0.0


def _legend_width(names: Sequence[str]) -> float:
    return sum(18 + CHAR_WIDTH * len(name) + 22 for name in names)


def _symbol(symbol: str, x: float, y: float, colour: str, *, small: bool = False) -> str:
    """A symbol centred on (x, y): a legend's (small) or a mark on a chart."""
    half = 6 if small else 7
    if symbol == "box":
        return (f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" rx="2" '
                f'fill="{colour}"/>')
    if symbol == "dashed":
        return (f'<line x1="{x - 7:.1f}" y1="{y:.1f}" x2="{x + 7:.1f}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-dasharray="4 3" stroke-width="2"/>')
    if symbol == "hollow":
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#ffffff" stroke="{colour}" '
                f'stroke-width="2"/>')
    if symbol == "square":
        return (f'<rect x="{x - half:.1f}" y="{y - half:.1f}" width="{2 * half}" '
                f'height="{2 * half}" fill="none" stroke="{colour}" stroke-width="2"/>')
    return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{half + 1}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"/>')


# --- stacked bars: shares of a whole --------------------------------------------------------


def stacked_bars(rows: Sequence[tuple[str, Sequence[tuple[str, float]]]],
                 colours: Mapping[str, str], *, label: str) -> tuple[str, int]:
    """One horizontal bar per row, split into its parts in proportion (100 % = the row's
    total); the part's share is written inside when there is room, the total at the end."""
    names = list(dict.fromkeys(name for _, parts in rows for name, _ in parts))
    left = 20 + CHAR_WIDTH * max((len(row_label) for row_label, _ in rows), default=0)
    right, bar_height, gap = 80, 30, 14
    plot_width = WIDTH - left - right
    body, legend_end = _legend(
        [_Key(name, colours.get(name, colour(i))) for i, name in enumerate(names)], left)
    top = legend_end + 8
    points = 0
    for position, (row_label, parts) in enumerate(rows):
        y = top + position * (bar_height + gap)
        total = sum(value for _, value in parts)
        body.append(_text(left - 8, y + bar_height / 2 + 4, row_label, anchor="end"))
        x = left
        for name, value in parts:
            if not value or not total:
                continue
            points += 1
            width = plot_width * value / total
            fill = colours.get(name, colour(names.index(name)))
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                        f'height="{bar_height}" fill="{fill}"><title>{esc(row_label)} '
                        f'{esc(name)}: {esc(number(value))} ({esc(percent(value / total))})'
                        f'</title></rect>')
            share = percent(value / total)
            if width > CHAR_WIDTH * len(share) + 6:
                body.append(_text(x + width / 2, y + bar_height / 2 + 4, share,
                                  anchor="middle", fill="#ffffff", weight="bold"))
            x += width
        body.append(_text(left + plot_width + 8, y + bar_height / 2 + 4, f"{number(total)}"))
    height = top + len(rows) * (bar_height + gap)
    return _svg(WIDTH, height, body, label), points


# --- horizontal bars: one row per category, one bar per series ----------------------------


def horizontal_bars(categories: Sequence[str],
                    series: Sequence[tuple[str, Sequence[float | None]]], *, label: str,
                    value_format: Format = number, colours: Sequence[str] | None = None,
                    axis_label: str = "") -> tuple[str, int]:
    """Grouped horizontal bars (values may be negative: the zero line is drawn). A missing
    value (None) has no bar and is written '–', so "not measured" never reads as 0."""
    colours = list(colours or [colour(i) for i in range(len(series))])
    label_chars = 46
    left = 16 + CHAR_WIDTH * min(label_chars, max((len(c) for c in categories), default=0))
    right = 70
    bar, group_gap = 13, 10
    group = bar * len(series) + group_gap
    plot_width = WIDTH - left - right
    values = [v for _, vs in series for v in vs if v is not None]
    ticks = nice_ticks(min(0.0, *values) if values else 0.0, max(0.0, *values) if values else 1.0,
                       whole=all(float(v).is_integer() for v in values))
    low, high = ticks[0], ticks[-1]

    def x_of(value: float) -> float:
        return left + plot_width * (value - low) / (high - low)

    plot_height = group * len(categories)
    body, top = [], 8.0
    if len(series) > 1:  # over the bars, or from the left edge when it would not fit
        legend_x = max(8.0, min(left, WIDTH - _legend_width([name for name, _ in series])))
        body, legend_end = _legend([_Key(name, colours[i]) for i, (name, _) in enumerate(series)],
                                   legend_x)
        top = legend_end + 4
    for tick in ticks:
        x = x_of(tick)
        body.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_height}" '
                    f'stroke="{AXIS if tick == 0 else GRID}"/>')
        body.append(_text(x, top + plot_height + 15, value_format(tick), anchor="middle",
                          size=11, fill=AXIS))
    points = 0
    for position, category in enumerate(categories):
        y0 = top + position * group
        body.append(f'<text x="{left - 8:.1f}" y="{y0 + group / 2 - 1:.1f}" text-anchor="end" '
                    f'font-size="{FONT}" fill="{TEXT}">{esc(_short(category, label_chars))}'
                    f'<title>{esc(category)}</title></text>')
        for index, (name, vs) in enumerate(series):
            value = vs[position]
            y = y0 + index * bar
            if value is None:
                body.append(_text(x_of(0) + 4, y + bar - 3, "–", size=11, fill=AXIS))
                continue
            points += 1
            start, end = sorted((x_of(0), x_of(value)))
            body.append(f'<rect x="{start:.1f}" y="{y:.1f}" width="{max(end - start, 0.5):.1f}" '
                        f'height="{bar - 2}" fill="{colours[index]}"><title>{esc(category)} · '
                        f'{esc(name)}: {esc(value_format(value))}</title></rect>')
            text_x, anchor = (end + 4, "start") if value >= 0 else (start - 4, "end")
            body.append(_text(text_x, y + bar - 3, value_format(value), anchor=anchor, size=11))
    if axis_label:
        body.append(_text(left + plot_width / 2, top + plot_height + 32, axis_label,
                          anchor="middle", size=11, fill=AXIS))
    height = top + plot_height + (40 if axis_label else 24)
    return _svg(WIDTH, height, body, label), points


# --- lines ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[float, float]]
    colour: str
    dashed: bool = False
    # False: dots only (points that are not a sequence, e.g. one per campaign)
    joined: bool = True
    # hollow dots (e.g. figures that can still change)
    hollow: bool = False


@dataclass(frozen=True)
class Mark:
    """A point to point out, e.g. the configured window: a ring (or a square) and a short
    label."""

    x: float
    y: float
    colour: str
    text: str = ""
    shape: str = "ring"  # or "square"


@dataclass(frozen=True)
class LineChartAxes:
    x_format: Format = number
    y_format: Format = number
    x_label: str = ""
    y_label: str = ""
    x_domain: tuple[float, float] | None = None
    y_domain: tuple[float, float] | None = None
    # x values are date ordinals: calendar ticks
    x_dates: bool = False
    # horizontal reference lines (value, label) and the y = x diagonal
    reference_lines: Sequence[tuple[float, str]] = field(default_factory=tuple)
    diagonal: bool = False
    # ticks at these x values (e.g. the few dates a history holds) instead of round ones
    x_ticks: Sequence[float] | None = None


def line_chart(series: Sequence[Series], *, label: str, axes: LineChartAxes = LineChartAxes(),
               marks: Sequence[Mark] = (), mark_legend: Sequence[tuple[str, str]] = (),
               height: int = 320, label_values: bool = False) -> tuple[str, int]:
    """Lines with a dot on each point (a series of one point is a dot), a legend on top
    (then `mark_legend`: (shape, meaning) of the marks, shape 'ring', 'square' or 'dashed'
    for the diagonal). `label_values` writes each point's value beside it (few points)."""
    xs = [x for s in series for x, _ in s.points]
    ys = [y for s in series for _, y in s.points]
    x_low, x_high = axes.x_domain or (min(xs, default=0.0), max(xs, default=1.0))
    if x_high <= x_low:  # one x value: centre it
        x_low, x_high = x_low - (15 if axes.x_dates else 1), x_high + (15 if axes.x_dates else 1)
    y_ticks = nice_ticks(*(axes.y_domain or (min(0.0, *ys) if ys else 0.0,
                                             max(ys, default=1.0) or 1.0)))
    y_low, y_high = y_ticks[0], y_ticks[-1]
    left = 16 + CHAR_WIDTH * max(len(axes.y_format(t)) for t in y_ticks) + (18 if axes.y_label
                                                                              else 0)
    body, legend_end = _legend(
        [_Key(s.name, s.colour, "hollow" if s.hollow else "dashed" if s.dashed else "box")
         for s in series] + [_Key(meaning, AXIS, symbol) for symbol, meaning in mark_legend],
        left)
    right, top, bottom = 24, legend_end + 8, 44 if axes.x_label else 28
    plot_width, plot_height = WIDTH - left - right, height - top - bottom

    def x_of(x: float) -> float:
        return left + plot_width * (x - x_low) / (x_high - x_low)

    def y_of(y: float) -> float:
        return top + plot_height * (1 - (y - y_low) / (y_high - y_low))

    for tick in y_ticks:
        body.append(f'<line x1="{left:.1f}" y1="{y_of(tick):.1f}" x2="{left + plot_width:.1f}" '
                    f'y2="{y_of(tick):.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y_of(tick) + 4, axes.y_format(tick), anchor="end", size=11,
                          fill=AXIS))
    if axes.x_ticks is not None:
        x_ticks = [(tick, date.fromordinal(int(tick)).isoformat() if axes.x_dates
                    else axes.x_format(tick)) for tick in axes.x_ticks]
    elif axes.x_dates:
        x_ticks = [(float(day.toordinal()), text) for day, text in
                   date_ticks(date.fromordinal(int(x_low)), date.fromordinal(int(x_high)))]
    else:
        x_ticks = [(tick, axes.x_format(tick)) for tick in nice_ticks(x_low, x_high, 8)
                   if x_low <= tick <= x_high]
    for tick, text in x_ticks:
        body.append(f'<line x1="{x_of(tick):.1f}" y1="{top + plot_height:.1f}" '
                    f'x2="{x_of(tick):.1f}" y2="{top + plot_height + 4:.1f}" stroke="{AXIS}"/>')
        body.append(_text(x_of(tick), top + plot_height + 17, text, anchor="middle", size=11,
                          fill=AXIS))
    body.append(f'<line x1="{left:.1f}" y1="{top + plot_height:.1f}" x2="{left + plot_width:.1f}" '
                f'y2="{top + plot_height:.1f}" stroke="{AXIS}"/>')
    if axes.x_label:
        body.append(_text(left + plot_width / 2, height - 6, axes.x_label, anchor="middle",
                          size=11, fill=AXIS))
    if axes.y_label:
        body.append(_text(12, top + plot_height / 2, axes.y_label, anchor="middle", size=11,
                          fill=AXIS, extra=f' transform="rotate(-90 12 {top + plot_height / 2:.1f})"'))
    if axes.diagonal:
        low, high = max(x_low, y_low), min(x_high, y_high)
        body.append(f'<line x1="{x_of(low):.1f}" y1="{y_of(low):.1f}" x2="{x_of(high):.1f}" '
                    f'y2="{y_of(high):.1f}" stroke="{AXIS}" stroke-dasharray="5 4"/>')
    for value, text in axes.reference_lines:
        body.append(f'<line x1="{left:.1f}" y1="{y_of(value):.1f}" x2="{left + plot_width:.1f}" '
                    f'y2="{y_of(value):.1f}" stroke="#b00020" stroke-dasharray="6 4"/>')
        body.append(_text(left + plot_width - 4, y_of(value) - 5, text, anchor="end", size=11,
                          fill="#b00020"))
    points = 0
    for s in series:
        coordinates = [(x_of(x), y_of(y)) for x, y in s.points]
        if len(coordinates) > 1 and s.joined:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
            dash = ' stroke-dasharray="6 4"' if s.dashed else ""
            body.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" '
                        f'stroke-width="2"{dash}/>')
        radius = 3 if len(coordinates) > 40 else 4
        for (x, y), (raw_x, raw_y) in zip(coordinates, s.points, strict=True):
            points += 1
            shown_x = (date.fromordinal(int(raw_x)).isoformat() if axes.x_dates
                       else axes.x_format(raw_x))
            fill = f'fill="#ffffff" stroke="{s.colour}" stroke-width="2"' if s.hollow else (
                f'fill="{s.colour}"')
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" {fill}>'
                        f'<title>{esc(s.name)} · {esc(shown_x)}: {esc(axes.y_format(raw_y))}'
                        f'</title></circle>')
            if label_values:
                body.append(_text(x + 8, y + 4, axes.y_format(raw_y), size=11, fill=s.colour,
                                  weight="bold"))
    for mark in marks:
        x, y = x_of(mark.x), y_of(mark.y)
        body.append(_symbol(mark.shape, x, y, mark.colour))
        if mark.text:
            body.append(_text(x + 11, y - 8, mark.text, size=11, fill=mark.colour,
                              weight="bold"))
    return _svg(WIDTH, height, body, label), points


# --- histograms, one panel per group -----------------------------------------------------


def histogram_panels(panels: Sequence[tuple[str, Sequence[int], str]], *, label: str,
                     x_low: float = 0.0, x_high: float = 1.0) -> tuple[str, int]:
    """Side-by-side histograms over the same equal bins of [x_low, x_high]: each panel is
    (title, count per bin, colour). Bars are the share of the panel's total, on one y scale
    for all panels, so shapes compare whatever the sizes; the count is in the title."""
    shares = [[count / total if (total := sum(counts)) else 0.0 for count in counts]
              for _, counts, _ in panels]
    y_ticks = nice_ticks(0.0, max((max(s, default=0.0) for s in shares), default=0.0) or 1.0, 4)
    gap, top, bottom, left = 26, 28, 30, 52
    panel_width = (WIDTH - left - gap * (len(panels) - 1) - 10) / max(len(panels), 1)
    height = 240
    plot_height = height - top - bottom
    body = []

    def y_of(share: float) -> float:
        return top + plot_height * (1 - share / y_ticks[-1])

    for tick in y_ticks:
        body.append(_text(left - 6, y_of(tick) + 4, percent(tick), anchor="end", size=11,
                          fill=AXIS))
    points = 0
    for index, ((title, counts, fill), panel_shares) in enumerate(
            zip(panels, shares, strict=True)):
        x0 = left + index * (panel_width + gap)
        for tick in y_ticks:
            body.append(f'<line x1="{x0:.1f}" y1="{y_of(tick):.1f}" x2="{x0 + panel_width:.1f}" '
                        f'y2="{y_of(tick):.1f}" stroke="{GRID}"/>')
        body.append(_text(x0 + panel_width / 2, 16, f"{title} (n = {number(sum(counts))})",
                          anchor="middle", weight="bold"))
        bin_width = panel_width / max(len(counts), 1)
        for position, (count, share) in enumerate(zip(counts, panel_shares, strict=True)):
            bin_low = x_low + (x_high - x_low) * position / len(counts)
            bin_high = x_low + (x_high - x_low) * (position + 1) / len(counts)
            if count:
                points += 1
            body.append(f'<rect x="{x0 + position * bin_width + 1:.1f}" y="{y_of(share):.1f}" '
                        f'width="{bin_width - 2:.1f}" height="{top + plot_height - y_of(share):.1f}" '
                        f'fill="{fill}"><title>{esc(title)} · {number(bin_low)}–{number(bin_high)}: '
                        f'{esc(number(count))} ({esc(percent(share))})</title></rect>')
        body.append(f'<line x1="{x0:.1f}" y1="{top + plot_height:.1f}" x2="{x0 + panel_width:.1f}" '
                    f'y2="{top + plot_height:.1f}" stroke="{AXIS}"/>')
        for tick in (x_low, (x_low + x_high) / 2, x_high):
            x = x0 + panel_width * (tick - x_low) / (x_high - x_low)
            body.append(_text(x, top + plot_height + 16, number(tick), anchor="middle", size=11,
                              fill=AXIS))
    return _svg(WIDTH, height, body, label), points
