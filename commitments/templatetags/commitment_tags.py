"""Template tags of the public pages: statuses, figures, Markdown and charts."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from commitments import filters, opendata
from commitments.models import Status, shown_language, translated
from ogp_tracker import markdown

register = template.Library()

# Each status has a colour AND an icon and a word, so it never rests on colour.
STATUS_STYLES = {
    Status.COMPLETED: ("fr-badge--success", "completed"),
    Status.IN_PROGRESS: ("fr-badge--info", "in-progress"),
    Status.NOT_STARTED: ("fr-badge--new", "not-started"),
    Status.WITHDRAWN: ("fr-badge--warning", "withdrawn"),
}
CHART_WIDTH = 600
CHART_HEIGHT = 200


@register.filter
def as_markdown(text: str) -> SafeString:
    """Render staff-written Markdown as sanitised HTML."""
    return markdown.render(text or "")


@register.inclusion_tag("commitments/includes/status_badge.html")
def status_badge(status: str, small: bool = False) -> dict:
    css, code = STATUS_STYLES.get(status, ("", "unknown"))
    return {
        "label": dict(Status.choices).get(status, status),
        "css": css,
        "code": code,
        "small": small,
    }


@register.filter
def in_its_language(obj, field: str) -> SafeString:
    """Show obj.<field> in the page's language, or marked with the one it is in.

    An English page shows the French title of a commitment that has no
    English one; the lang attribute lets screen readers pronounce it as French.
    """
    text = translated(obj, field)
    language = shown_language(obj, field)
    if not text or (get_language() or "fr").startswith(language):
        return conditional_escape(text)

    return format_html('<span lang="{}">{}</span>', language, text)


@register.filter
def text_language(obj, field: str) -> str:
    """Return the language ("fr" or "en") of the text shown for obj.<field>."""
    return shown_language(obj, field)


@register.filter
def safe_url(value) -> str:
    """Return value if it is a web address, else "" (no javascript: links)."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


@register.filter
def is_late_on(milestone, day=None) -> bool:
    """Tell whether a milestone is late today, or at the end of day."""
    return milestone.is_late(today=day or None)


@register.simple_tag
def commitment_sections(commitment) -> list[tuple[str, str, str]]:
    """Return the (title, Markdown text, its language) of each section filled in."""
    sections = [
        (_("Problem addressed"), "problem"),
        (_("What is committed"), "commitment"),
        (_("How it helps"), "contribution"),
        (_("Relevance to OGP values"), "relevance"),
    ]
    return [
        (title, translated(commitment, field), shown_language(commitment, field))
        for title, field in sections
        if translated(commitment, field)
    ]


@register.filter
def percent(value) -> str:
    """Return a percentage's number without needless decimals: 50, 66,7."""
    return opendata.percentage_number(value)


@register.filter
def percent_sign(value) -> str:
    """Return a percentage with its sign, as the active language writes it."""
    return opendata.percentage_text(value)


@register.simple_tag
def lead_institutions(commitment, institutions_by_id: dict) -> list:
    """Return the lead institutions of a listed commitment, from its lead_ids."""
    found = (institutions_by_id.get(pk) for pk in filters.lead_ids(commitment))
    return [institution for institution in found if institution is not None]


@register.simple_tag
def progress_chart(updates, start=None, end=None) -> dict:
    """Return the points of a step chart of progress over time, oldest first.

    x runs from the plan's start (or the first update) to today or the plan's
    end, whichever comes first after the last update; y is the percentage.
    """
    dated = sorted(
        (timezone.localtime(u.recorded_at).date(), float(u.percentage)) for u in updates
    )
    if not dated:
        return {"points": ""}
    first = min(d for d in [start, dated[0][0]] if d)
    last = max(d for d in [end, dated[-1][0], timezone.localdate()] if d)
    last = min(last, max(dated[-1][0], end or dated[-1][0]))
    span = max((last - first).days, 1)

    def x(day: datetime.date) -> float:
        return round(CHART_WIDTH * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(CHART_HEIGHT * (1 - value / 100), 1)

    path, previous = [], 0.0
    for day, value in dated:
        path.append(f"{x(day)},{y(previous)}")
        path.append(f"{x(day)},{y(value)}")
        previous = value
    path.append(f"{x(last)},{y(previous)}")
    dots = [
        {"x": x(day), "y": y(value), "day": day, "value": value} for day, value in dated
    ]

    return {
        "middle": CHART_HEIGHT // 2,
        "points": " ".join([f"{x(first)},{y(0)}", *path]),
        "dots": dots,
        "first": first,
        "last": last,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
    }
