"""An embeddable SVG badge per commitment: its status and percentage.

Civil-society sites show it with <img src="…/badge.svg" alt="…">. The badge
says everything in text (status and percentage), so colour is never the only
carrier of meaning, and the SVG has a title and an aria-label for screen
readers. It is cached for a few minutes by browsers and shared caches, and
revalidated with an ETag.
"""

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _

from commitments import opendata
from commitments.models import Status
from ogp_tracker.http import read_only

MAX_AGE = 600
# Dark enough for white text at 11 px to keep a 4.5:1 contrast ratio.
COLOURS = {
    Status.NOT_STARTED: "#53575a",
    Status.IN_PROGRESS: "#0063cb",
    Status.COMPLETED: "#18753c",
    Status.WITHDRAWN: "#b34000",
}
LABEL_COLOUR = "#3a3a3a"
# Average advance of a Verdana character at 11 px, plus the side padding.
CHAR_WIDTH = 7
PADDING = 10


def _width(text: str) -> int:
    return len(text) * CHAR_WIDTH + 2 * PADDING


def badge_svg(commitment) -> str:
    """Return the SVG badge of a commitment annotated with its facts."""
    ref = opendata.reference(commitment.number, commitment.ogp_id)
    label = _("Commitment %(ref)s") % {"ref": ref}
    status = Status(commitment.current_status).label
    value = f"{status} · {opendata.percentage_text(commitment.current_percentage)}"
    alternative = _("%(label)s: %(status)s, %(percentage)s") % {
        "label": label,
        "status": status,
        "percentage": opendata.percentage_text(commitment.current_percentage),
    }
    label_width, value_width = _width(label), _width(value)
    context = {
        "label": label,
        "value": value,
        "alternative": alternative,
        "label_width": label_width,
        "value_width": value_width,
        "width": label_width + value_width,
        "label_middle": label_width / 2,
        "value_middle": label_width + value_width / 2,
        "label_colour": LABEL_COLOUR,
        "value_colour": COLOURS.get(commitment.current_status, LABEL_COLOUR),
    }
    return render_to_string("commitments/badge.svg", context)


@read_only
def commitment_badge(request: HttpRequest, plan: str, ref: str) -> HttpResponse:
    lookup = opendata.commitment_lookup(ref)
    commitment = (
        opendata.public_commitments()
        .with_facts()
        .filter(plan__slug=plan, **lookup)
        .first()
    )
    if commitment is None:
        raise Http404(_("No commitment has this reference."))

    svg = badge_svg(commitment)
    etag = '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    # Other sites embed the badge, so it must not be limited to this origin.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["X-Content-Type-Options"] = "nosniff"

    return response
