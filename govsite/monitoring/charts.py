"""Trend charts (趋势图) of 网站监测 results, drawn on the server as inline SVG.

No JavaScript and no external file: the chart is an ``<svg role="img">`` whose ``aria-label`` summarises the
numbers, with ``<title>``/``<desc>``, followed by a visually hidden table of the same data for screen readers
and for anyone who cannot see the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 720
PANEL_HEIGHT = 110
TOP = 26
LEFT = 44
RIGHT = 12
BOTTOM = 22
GAP = 34
COLOURS = ("#cd4444", "#007d7e", "#5f6cc4")


@dataclass(frozen=True)
class Series:
    """One row of numbers, one per day of the chart, drawn as its own panel of bars."""

    label: str
    values: list[int]


def _summary(series: Series) -> str:
    values = series.values or [0]
    return _("%(label)s：最近一天 %(last)d，最高 %(max)d，合计 %(total)d") % {
        "label": series.label, "last": values[-1], "max": max(values), "total": sum(values)
    }


def trend_figure(days: list[date], series: list[Series], *, title: str, chart_id: str = "trend") -> SafeString:
    """A bar panel per series over ``days``, plus its accessible summary and data-table fallback."""
    summaries = [_summary(s) for s in series]
    period = (
        _("%(start)s 至 %(end)s") % {"start": f"{days[0]:%Y-%m-%d}", "end": f"{days[-1]:%Y-%m-%d}"} if days else ""
    )
    label = f"{title}（{period}）。" + "；".join(summaries) + "。"
    height = TOP + len(series) * (PANEL_HEIGHT + GAP) - GAP + BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    slot = plot_width / max(len(days), 1)
    bar = max(slot * 0.7, 1.0)
    parts: list[str] = [
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, label),
    ]
    for index, item in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        top = TOP + index * (PANEL_HEIGHT + GAP)
        baseline = top + PANEL_HEIGHT
        peak = max(item.values or [0])
        scale = PANEL_HEIGHT / peak if peak else 0.0
        parts.append(format_html(
            '<text x="{}" y="{}" font-size="13" font-weight="bold" fill="#262626">{}</text>',
            LEFT, top - 8, _summary(item),
        ))
        parts.append(format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8c8c8c" stroke-width="1"/>',
            LEFT, baseline, WIDTH - RIGHT, baseline,
        ))
        parts.append(format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#595959">{}</text>'
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#595959">0</text>',
            LEFT - 6, top + 10, peak, LEFT - 6, baseline,
        ))
        for position, (day, value) in enumerate(zip(days, item.values, strict=True)):
            if not value:
                continue
            bar_height = max(value * scale, 1.0)
            x = LEFT + position * slot + (slot - bar) / 2
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}：{}</title></rect>',
                f"{x:.1f}", f"{baseline - bar_height:.1f}", f"{bar:.1f}", f"{bar_height:.1f}", colour,
                f"{day:%Y-%m-%d}", item.label, value,
            ))
    if days:
        last_baseline = TOP + len(series) * (PANEL_HEIGHT + GAP) - GAP
        for position in sorted({0, len(days) // 2, len(days) - 1}):
            x = LEFT + position * slot + slot / 2
            parts.append(format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#595959">{}</text>',
                f"{x:.1f}", last_baseline + 16, f"{days[position]:%m-%d}",
            ))
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'style="max-width:{w}px" aria-label="{label}" aria-labelledby="{id}-title {id}-desc" '
        'data-chart="{id}">{body}</svg>',
        w=WIDTH, h=height, label=label, id=chart_id, body=mark_safe("".join(parts)),  # noqa: S308 — all parts escaped
    )
    head = format_html(
        '<tr><th scope="col">{}</th>{}</tr>', _("日期"),
        format_html_join("", '<th scope="col">{}</th>', ((s.label,) for s in series)),
    )
    rows = format_html_join(
        "", "<tr><th scope=\"row\">{}</th>{}</tr>",
        (
            (f"{day:%Y-%m-%d}", format_html_join("", "<td>{}</td>", ((s.values[i],) for s in series)))
            for i, day in enumerate(days)
        ),
    )
    table = format_html(
        '<table class="w-sr-only" id="{}-data"><caption>{}</caption><thead>{}</thead><tbody>{}</tbody></table>',
        chart_id, title, head, rows,
    )
    return format_html('<figure class="monitoring-chart w-mb-6">{}{}</figure>', svg, table)
