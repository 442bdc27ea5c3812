"""Line charts of 监管 (得分趋势, 合格率), drawn on the server as inline SVG like the monitor's trend charts:
`role="img"` with a summary in `aria-label`, `<title>`/`<desc>`, and a visually hidden table of the numbers."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 20, 34
LINE = "#007d7e"
MARK = "#cd4444"


def line_figure(
    points: Sequence[tuple[str, Decimal | float | None, str]],
    *,
    title: str,
    chart_id: str,
    y_max: float = 100,
    unit: str = "",
    guides: Sequence[tuple[float, str]] = (),
) -> SafeString:
    """A line over `points` (label, value or None, note); a None value is drawn as a red mark on the axis
    with its note (单项否决: not scored). `guides` are dashed horizontal lines (及格线 60 …)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = len(points)
    step = plot_w / max(n - 1, 1)
    top_value = max([y_max] + [float(v) for _l, v, _n in points if v is not None])

    def x_of(i: int) -> float:
        return LEFT + (i * step if n > 1 else plot_w / 2)

    def y_of(value: float) -> float:
        return TOP + plot_h - (value / top_value) * plot_h if top_value else TOP + plot_h

    values = [(i, float(v)) for i, (_l, v, _n) in enumerate(points) if v is not None]
    summary = _("%(title)s：共 %(n)d 个数据点") % {"title": title, "n": n}
    if values:
        last_label, last_value, last_note = points[-1]
        shown = f"{last_value}{unit}" if last_value is not None else last_note
        summary += _("，最近一次（%(label)s）%(value)s") % {"label": last_label, "value": shown}
    parts: list[str] = [
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, summary),
        format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8c8c8c"/>', LEFT, TOP + plot_h,
                    WIDTH - RIGHT, TOP + plot_h),
        format_html('<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#595959">{}</text>',
                    LEFT - 6, TOP + 4, f"{top_value:g}"),
        format_html('<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#595959">0</text>',
                    LEFT - 6, TOP + plot_h),
    ]
    for value, label in guides:
        y = y_of(value)
        parts.append(format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#b3b3b3" stroke-dasharray="4 3"/>'
            '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#595959">{}</text>',
            LEFT, f"{y:.1f}", WIDTH - RIGHT, f"{y:.1f}", WIDTH - RIGHT, f"{y - 3:.1f}", label))
    if len(values) > 1:
        path = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in values)
        parts.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', path, LINE))
    for i, (label, value, note) in enumerate(points):
        if value is None:
            parts.append(format_html(
                '<rect x="{}" y="{}" width="8" height="8" fill="{}"><title>{}：{}</title></rect>',
                f"{x_of(i) - 4:.1f}", TOP + plot_h - 4, MARK, label, note))
        else:
            parts.append(format_html(
                '<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}：{}{}</title></circle>',
                f"{x_of(i):.1f}", f"{y_of(float(value)):.1f}", LINE, label, value, unit))
            if n <= 16:  # few points: their values written beside them
                parts.append(format_html(
                    '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#262626">{}{}</text>',
                    f"{x_of(i):.1f}", f"{y_of(float(value)) - 8:.1f}", value, unit))
    for i in sorted({0, n // 2, n - 1} if n else set()):
        parts.append(format_html(
            '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#595959">{}</text>',
            f"{x_of(i):.1f}", HEIGHT - 12, points[i][0]))
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'style="max-width:{w}px" aria-label="{label}" aria-labelledby="{id}-title {id}-desc" data-chart="{id}">'
        "{body}</svg>",
        w=WIDTH, h=HEIGHT, label=summary, id=chart_id, body=mark_safe("".join(parts)),  # noqa: S308 — escaped
    )
    rows = format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', (
        (label, f"{value}{unit}" if value is not None else note) for label, value, note in points))
    table = format_html(
        '<table class="w-sr-only" id="{}-data"><caption>{}</caption><tbody>{}</tbody></table>', chart_id, title, rows)
    return format_html('<figure class="monitoring-chart w-mb-6">{}{}</figure>', svg, table)


def score_trend_figure(rows: Sequence[tuple[object, Decimal | None, str]], *, chart_id: str = "score") -> SafeString:
    """每日预测得分: (date, score, verdict) rows; a vetoed day is marked 单项否决."""
    points = [(f"{day:%m-%d}", score, _("单项否决，不计分")) for day, score, _verdict in rows]
    return line_figure(points, title=_("预测得分趋势"), chart_id=chart_id, y_max=100, unit=_("分"),
                       guides=((60, _("60 分")), (80, _("80 分"))))


def pass_rate_figure(rows: Sequence[tuple[str, Decimal | None]], *, chart_id: str = "pass-rate") -> SafeString:
    """合格率 over campaigns: (campaign name, rate in percent) rows."""
    points = [(label, rate, _("未评分")) for label, rate in rows]
    return line_figure(points, title=_("历次抽查合格率"), chart_id=chart_id, y_max=100, unit="%")


def bar_figure(rows: Sequence[tuple[str, int]], *, title: str, chart_id: str, colours: Sequence[str] = ()) -> SafeString:
    """Horizontal bars, one per (label, count) row (未办结工单 by age)."""
    height = TOP + len(rows) * 30 + 10
    peak = max([count for _label, count in rows] + [1])
    label_w = 170
    plot_w = WIDTH - label_w - RIGHT - 40
    summary = title + "：" + "；".join(f"{label} {count}" for label, count in rows)
    parts: list[str] = [
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, summary),
    ]
    for i, (label, count) in enumerate(rows):
        y = TOP + i * 30
        width = plot_w * count / peak
        colour = colours[i % len(colours)] if colours else LINE
        parts.append(format_html(
            '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#262626">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="20" fill="{}"><title>{}：{}</title></rect>'
            '<text x="{}" y="{}" font-size="12" fill="#262626">{}</text>',
            label_w - 8, y + 15, label, label_w, y, f"{max(width, 1 if count else 0):.1f}", colour, label, count,
            f"{label_w + width + 6:.1f}", y + 15, count))
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'style="max-width:{w}px" aria-label="{label}" aria-labelledby="{id}-title {id}-desc" data-chart="{id}">'
        "{body}</svg>",
        w=WIDTH, h=height, label=summary, id=chart_id, body=mark_safe("".join(parts)),  # noqa: S308 — escaped
    )
    table = format_html(
        '<table class="w-sr-only" id="{}-data"><caption>{}</caption><tbody>{}</tbody></table>', chart_id, title,
        format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows))
    return format_html('<figure class="monitoring-chart w-mb-6">{}{}</figure>', svg, table)
