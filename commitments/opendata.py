"""What the open-data views share: published plans, commitment addresses, datasets.

Public addresses are fixed by the product (journalists and civil-society
sites link to them), so the open-data files, feeds and badges build page
addresses from the same pattern as the public pages:
/<lang>/plans/<plan>/commitments/<ref>/, where <ref> is the commitment's
number in its plan, or its OGP identifier when it has none.
"""

from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from commitments.models import ActionPlan, Commitment
from ogp_tracker.exports import Dataset


def published_plan(slug: str) -> ActionPlan:
    """Return the published plan called slug, or answer 404."""
    return get_object_or_404(ActionPlan, slug=slug, is_published=True)


# Longer references cannot exist, and a longer number would overflow the
# database's integer column instead of simply matching nothing.
MAX_REF_LENGTH = 20
MAX_NUMBER_DIGITS = 9


def commitment_lookup(ref: str) -> dict:
    """Return the filter that finds a commitment by its number or OGP identifier."""
    too_long = len(ref) > MAX_REF_LENGTH or (
        ref.isdigit() and len(ref) > MAX_NUMBER_DIGITS
    )
    if not ref or too_long:
        raise Http404(_("No commitment has this reference."))
    if ref.isdigit():
        return {"number": int(ref)}
    return {"ogp_id__iexact": ref}


def public_commitments() -> QuerySet:
    return Commitment.objects.filter(plan__is_published=True)


def published_commitment(plan_slug: str, ref: str) -> Commitment:
    """Return the commitment ref of a published plan, or answer 404."""
    lookup = commitment_lookup(ref)
    return get_object_or_404(
        public_commitments().select_related("plan"), plan__slug=plan_slug, **lookup
    )


def reference(number: int | None, ogp_id: str) -> str:
    return str(number) if number is not None else ogp_id


def percentage_number(value: Decimal | float | None) -> str:
    """Return a percentage's number without needless decimals: "50", "66,7"."""
    if value is None or value == "":
        return ""
    number = round(float(value), 1)
    decimals = 0 if number == int(number) else 1

    return formats.number_format(number, decimal_pos=decimals)


def percentage_text(value: Decimal | float | None) -> str:
    """Return a percentage the way the active language writes it: "62,5 %"."""
    if value is None or value == "":
        return ""
    return _("%(number)s%%") % {"number": percentage_number(value)}


def site_root() -> str:
    """Return the address of the home page in the active language: /fr/."""
    return reverse("commitments:dashboard")


def plan_path(plan_slug: str) -> str:
    return f"{site_root()}plans/{plan_slug}/"


def commitment_path(plan_slug: str, ref: str) -> str:
    return f"{plan_path(plan_slug)}commitments/{ref}/"


def institution_path(institution_slug: str) -> str:
    return f"{site_root()}institutions/{institution_slug}/"


def all_datasets() -> dict[str, Dataset]:
    """Return every published dataset by name, in the order the page lists them."""
    from commitments.exports import DATASETS as commitment_datasets

    datasets = dict(commitment_datasets)
    for module in ("workshops.exports", "community.exports"):
        datasets.update(_datasets_of(module))

    return datasets


def _datasets_of(module_name: str) -> dict[str, Dataset]:
    import importlib

    module = importlib.import_module(module_name)
    return module.DATASETS
