"""Helpers for the back-office tests: objects in two institutions, form posts."""

from django import forms
from django.urls import reverse

from tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
)


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:commitments_{name}", args=args)


def make_world(ministry, other_ministry) -> dict:
    """Return a plan per ministry, each with one commitment, milestone and update."""
    world = {}
    for side, institution in (("own", ministry), ("other", other_ministry)):
        plan = ActionPlanFactory(title_fr=f"Plan {side}")
        commitment = CommitmentFactory(
            plan=plan,
            title_fr=f"Engagement secret {side}",
            lead_institutions=[institution],
        )
        world[side] = {
            "plan": plan,
            "commitment": commitment,
            "milestone": MilestoneFactory(
                commitment=commitment, title_fr=f"Jalon secret {side}"
            ),
            "update": ProgressUpdateFactory(
                commitment=commitment, author_institution=institution
            ),
        }

    return world


def _encode(field, value):
    """Return a bound field's value as a browser would post it (None: leave out)."""
    if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
        return [str(item) for item in value or []]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]

    return str(value)


def _add_form(data: dict, form) -> None:
    for name, field in form.fields.items():
        encoded = _encode(field, form[name].value())
        if encoded is not None:
            data[form.add_prefix(name)] = encoded


def form_data(response) -> dict:
    """Return the POST data of the admin form in response, as rendered."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)

    return data
