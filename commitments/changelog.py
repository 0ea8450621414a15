"""A commitment's public changelog: its versions, its milestones' and its progress
updates, newest first.

Each entry says who made the change, when, and each field's value before and
after, relations (lead institutions, partners, policy areas) included. "Who"
is an institution: a person's name is shown only if they chose to make it
public in their account.

A page costs the same queries whatever the history's length: the versions of
the page are picked with one UNION query (each with the id of the version
before it), then every row the page needs is fetched in one query per table.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    BooleanField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from commitments import asof, dates, filters
from commitments.dates import Precision
from commitments.models import Commitment, Institution, ProgressUpdate

MemberThrough = Institution.members.through
# Derived or internal columns that say nothing a reader needs.
HIDDEN_FIELDS = {"id", "version", "due_date", "end_by", "commitment", "plan"}
RELATIONS = [
    (asof.HistoricalLead, "institution", _("Lead institutions")),
    (asof.HistoricalPartner, "institution", _("Partners")),
    (asof.HistoricalArea, "policyarea", _("OGP policy areas")),
]
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    label: str
    before: str = ""
    after: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def is_relation(self) -> bool:
        return bool(self.added or self.removed)

    @property
    def is_long(self) -> bool:
        return len(self.before) + len(self.after) > 300


@dataclass
class Entry:
    kind: str
    date: datetime.datetime
    action: str
    action_label: str
    who: str
    subject: str
    reason: str
    changes: list[Change]


def versions(commitment: Commitment) -> QuerySet:
    """Return (kind, history_id, history_date, previous_id) rows, newest first.

    A progress update is never changed, so it is its own single version: its
    row carries the update's id and recording date.
    """
    own = _versions(asof.HistoricalCommitment, "commitment", id=commitment.pk)
    milestones = _versions(
        asof.HistoricalMilestone, "milestone", commitment_id=commitment.pk
    )
    updates = (
        ProgressUpdate.objects.filter(commitment=commitment)
        .order_by()
        .annotate(
            kind=Value("update"),
            previous_id=Value(None, output_field=BigIntegerField()),
        )
        .values_list("kind", "id", "recorded_at", "previous_id")
    )

    return own.union(milestones, updates, all=True).order_by(
        "-history_date", "-history_id"
    )


def _versions(model, kind: str, **filters) -> QuerySet:
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    previous = (
        model.objects.filter(earlier, id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )

    return (
        model.objects.filter(**filters)
        .order_by()
        .annotate(kind=Value(kind), previous_id=Subquery(previous))
        .values_list("kind", "history_id", "history_date", "previous_id")
    )


def entries(commitment: Commitment, page_rows: list[tuple]) -> list[Entry]:
    """Build the entries of one page of versions()."""
    wanted = {"commitment": set(), "milestone": set(), "update": set()}
    for kind, history_id, _date, previous_id in page_rows:
        wanted[kind].update(i for i in (history_id, previous_id) if i)
    rows = {
        "commitment": _rows(asof.HistoricalCommitment, wanted["commitment"]),
        "milestone": _rows(asof.HistoricalMilestone, wanted["milestone"]),
    }
    updates = _updates(wanted["update"])
    relations = [
        (label, _relation_names(model, column, wanted["commitment"]))
        for model, column, label in RELATIONS
    ]
    users = {row.history_user_id for kind in rows for row in rows[kind].values()}
    institutions = _institutions_of(users - {None})
    lead_ids = set(filters.lead_ids(commitment))

    built = []
    for kind, history_id, _date, previous_id in page_rows:
        if kind == "update":
            built.append(_update_entry(updates[history_id]))
            continue
        row = rows[kind][history_id]
        before = rows[kind].get(previous_id)
        changes = _field_changes(row, before)
        if kind == "commitment":
            changes += _relation_changes(relations, row, before)
        built.append(
            Entry(
                kind=kind,
                date=row.history_date,
                action=row.history_type,
                action_label=ACTIONS.get(row.history_type, ""),
                who=_who(row.history_user, institutions, lead_ids),
                subject=_subject(kind, row),
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )

    return built


def _always(ids: set) -> list:
    # An empty list would skip the query altogether; querying for nothing
    # keeps the page's query count the same whatever is on it.
    return list(ids) or [0]


def _rows(model, ids: set) -> dict:
    queryset = model.objects.filter(history_id__in=_always(ids))
    queryset = queryset.select_related("history_user")
    return {row.history_id: row for row in queryset}


def _updates(ids: set) -> dict[int, ProgressUpdate]:
    queryset = ProgressUpdate.objects.filter(pk__in=_always(ids))
    return {
        update.pk: update for update in queryset.select_related("author_institution")
    }


def _update_entry(update: ProgressUpdate) -> Entry:
    """Describe a recorded progress update as one changelog entry."""
    period = _("%(start)s – %(end)s") % {
        "start": dates.label(update.period_start, Precision.DAY),
        "end": dates.label(update.period_end, Precision.DAY),
    }
    percentage = update.percentage
    if percentage == percentage.to_integral():
        percentage = percentage.to_integral()

    def label(name: str) -> str:
        return capfirst(ProgressUpdate._meta.get_field(name).verbose_name)

    changes = [
        Change(str(_("Reporting period")), after=str(period)),
        Change(label("status"), after=str(update.get_status_display())),
        Change(label("percentage"), after=number_format(percentage)),
    ]
    if update.achievements:
        changes.append(Change(label("achievements"), after=update.achievements))

    return Entry(
        kind="update",
        date=update.recorded_at,
        action="+",
        action_label=str(_("recorded")),
        who=update.author_institution.name,
        subject="",
        reason="",
        changes=changes,
    )


def _relation_names(model, column: str, ids: set) -> dict[int, set[str]]:
    names: dict[int, set[str]] = {history_id: set() for history_id in ids}
    rows = model.objects.filter(history_id__in=_always(ids))
    for row in rows.select_related(column):
        related = getattr(row, column)
        if related is not None:
            names[row.history_id].add(related.name)
    return names


def _institutions_of(user_ids: set) -> dict[int, list[Institution]]:
    found: dict[int, list[Institution]] = {}
    memberships = MemberThrough.objects.filter(user_id__in=_always(user_ids))
    memberships = memberships.select_related("institution")
    for membership in memberships:
        found.setdefault(membership.user_id, []).append(membership.institution)
    return found


def _who(user, institutions: dict, lead_ids: set) -> str:
    if user is None:
        return str(_("automatic import or task"))
    own = institutions.get(user.pk, [])
    # Prefer the institutions that lead the commitment: that is whose
    # editors may change it.
    shown = [i for i in own if i.pk in lead_ids] or own
    names = ", ".join(sorted(i.name for i in shown))
    # A public person is named by their display name, never by their login.
    if user.name_is_public and user.display_name:
        name = user.display_name
        return f"{name} ({names})" if names else name
    return names or str(_("plan coordination"))


def _subject(kind: str, row) -> str:
    if kind == "milestone":
        return row.title_fr or row.title_en
    return ""


def _field_changes(row, before) -> list[Change]:
    changes = []
    for model_field in row.tracked_fields:
        if model_field.name in HIDDEN_FIELDS or model_field.name.endswith("_precision"):
            continue
        after_value = "" if row.history_type == "-" else _display(model_field, row)
        if before is not None:
            before_value = _display(model_field, before)
        elif after_value == _display(model_field, None):
            # A creation leaves out the fields left at their default, so
            # that unset flags and empty texts do not fill the entry; the
            # others are shown as set from nothing.
            continue
        else:
            before_value = ""
        if before_value != after_value:
            label = str(model_field.verbose_name)
            changes.append(
                Change(label[:1].upper() + label[1:], before_value, after_value)
            )
    return changes


def _relation_changes(relations, row, before) -> list[Change]:
    changes = []
    for label, names in relations:
        after = names.get(row.history_id, set())
        previous = names.get(before.history_id, set()) if before is not None else set()
        if after != previous:
            changes.append(
                Change(
                    str(label),
                    added=sorted(after - previous),
                    removed=sorted(previous - after),
                )
            )
    return changes


def _display(model_field, row) -> str:
    """Return a row's value (or, without a row, the default) as a reader sees it."""
    if row is None:
        value = model_field.get_default()
    else:
        value = getattr(row, model_field.attname)
    if value is None or value == "" or value == []:
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(model_field, JSONField):
        items = value if isinstance(value, list) else [value]
        return "\n".join(str(item) for item in items)
    if isinstance(value, datetime.date):
        precision = getattr(row, f"{model_field.attname}_precision", Precision.DAY)
        return dates.label(value, precision)
    return str(value)
