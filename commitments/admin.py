"""The back-office: plans, commitments, milestones and progress, limited by role.

Coordinators see and edit everything. Editors see and edit only the
commitments one of their institutions leads, with those commitments' milestones
and progress updates; every list, form, inline, action, history page and
autocomplete goes through the same scoping (``services.editable_commitments``),
and an object outside it answers 404 rather than naming it.

Saves of plans, commitments and milestones go through
``services.save_versioned`` so that each leaves one history row with only what
changed, and a form opened before someone else's save is refused.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, JSONField, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from commitments import dates, forms, services
from commitments.admin_import import PlanImportAdminMixin
from commitments.models import (
    ActionPlan,
    Commitment,
    EvidenceLink,
    Institution,
    IrmAssessment,
    Milestone,
    PolicyArea,
    ProgressUpdate,
    Status,
)
from ogp_tracker.backoffice import ReadableIdsAdminMixin, ReadableRelationsMixin

admin.site.site_header = gettext_lazy("OGP tracker back-office")
admin.site.site_title = gettext_lazy("OGP tracker back-office")

VERSION_FIELD = "base_version"
MARKDOWN_FIELDS = [
    f"{section}_{language}"
    for section in ("summary", "problem", "commitment", "contribution", "relevance")
    for language in ("fr", "en")
]


def limit_to_editable(queryset, user, through: str = "pk"):
    """Keep the rows whose commitment (reached through `through`) user may edit."""
    if services.is_coordinator(user):
        return queryset
    editable = services.editable_commitments(user).values("pk")

    return queryset.filter(**{f"{through}__in": editable})


# History: field-level differences --------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


class HistoryDiffer:
    """Field-level changes between history rows of one model, relations included.

    Relations and the names of related objects are read for all the rows at
    once, so a page of history costs the same few queries whatever its length.
    """

    def __init__(self, model, records):
        self.model = model
        recorder = model._history_recorder
        self.m2m_fields = list(recorder.get_m2m_fields_from_model(model))
        m2m_names = {field.name for field in self.m2m_fields}
        self.fields = [
            field
            for field in model.history.model.tracked_fields
            if field.editable and not field.primary_key and field.name not in m2m_names
        ]
        self.relations = self._load_relations(recorder, records)
        self.names = self._load_names(records)

    def _load_relations(self, recorder, records) -> dict:
        history_ids = [record.history_id for record in records]
        relations = defaultdict(dict)
        for field in self.m2m_fields:
            through = recorder.m2m_models[field]
            column = field.m2m_reverse_name()
            rows = through.objects.filter(history_id__in=history_ids).values_list(
                "history_id", column
            )
            found = defaultdict(set)
            for history_id, related_id in rows:
                found[history_id].add(related_id)
            for history_id in history_ids:
                relations[history_id][field.name] = frozenset(found[history_id])

        return relations

    def _load_names(self, records) -> dict:
        wanted = defaultdict(set)
        for field in self.fields:
            if field.is_relation:
                for record in records:
                    value = getattr(record, field.attname)
                    if value is not None:
                        wanted[field.related_model].add(value)
        for field in self.m2m_fields:
            for by_field in self.relations.values():
                wanted[field.related_model].update(by_field[field.name])
        names = {}
        for related_model, ids in wanted.items():
            for pk, obj in related_model._base_manager.in_bulk(ids).items():
                names[related_model, pk] = str(obj)

        return names

    def _name(self, related_model, pk) -> str:
        name = self.names.get((related_model, pk))
        if name is None:
            return _("#%(id)s (deleted)") % {"id": pk}
        return name

    def display(self, field, value, record=None) -> str:
        """Return value as a person reads it: labels, names, local formats."""
        if value is None or value == "" or value == [] or value == {}:
            return ""
        precision = getattr(record, f"{field.name}_precision", None)
        if precision and isinstance(value, datetime.date):
            # "December 2021" when the plan gives a month, not "1 December".
            return dates.label(value, precision)
        if field.is_relation:
            return self._name(field.related_model, value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(field, JSONField):
            return json.dumps(value, ensure_ascii=False)

        return str(formats.localize(value))

    def _display_relation(self, field, ids) -> str:
        names = sorted(self._name(field.related_model, pk) for pk in ids)
        return ", ".join(names)

    def changes(self, record, previous) -> list[FieldChange]:
        """List what record changed since previous (everything set, if none)."""
        changes = []
        for field in self.fields:
            new = getattr(record, field.attname)
            if previous is None:
                if new in (None, "", [], {}, False):
                    continue
                old = None
            else:
                old = getattr(previous, field.attname)
                if old == new:
                    continue
            changes.append(
                FieldChange(
                    capfirst(field.verbose_name),
                    self.display(field, old, previous),
                    self.display(field, new, record),
                )
            )
        for field in self.m2m_fields:
            new = self.relations[record.history_id][field.name]
            old = frozenset()
            if previous is not None:
                old = self.relations[previous.history_id][field.name]
            if old == new:
                continue
            changes.append(
                FieldChange(
                    capfirst(field.verbose_name),
                    self._display_relation(field, old),
                    self._display_relation(field, new),
                )
            )

        return changes


# Shared admin behaviour -------------------------------------------------------


def _has_conflict(response) -> bool:
    context = response.context_data or {}
    adminform = context.get("adminform")
    if adminform is not None and getattr(adminform.form, "edit_conflict", False):
        return True
    for inline in context.get("inline_admin_formsets", []):
        if any(getattr(f, "edit_conflict", False) for f in inline.formset.forms):
            return True

    return False


# Addresses typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class BackOfficeAdmin(ReadableIdsAdminMixin, admin.ModelAdmin):
    """Answers 404 for unknown or out-of-scope ids, and 4xx for refused forms."""

    formfield_overrides = URL_FIELDS

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django's default redirects with a message naming the id; a plain 404
        # says the same to everyone, whether the object exists or is hidden.
        raise Http404(_("No such object, or not one you may see."))

    def history_view(self, request, object_id, extra_context=None):
        # Refuse users without rights before looking the object up, as the
        # change form does, so that they get 403 whatever the id.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            response = super().changeform_view(
                request, object_id, form_url, extra_context
            )
        except services.EditConflict as conflict:
            return self._refused(request, str(conflict), status=409)
        except ValidationError as error:
            return self._refused(request, " ".join(error.messages), status=400)
        refused = (
            request.method == "POST"
            and isinstance(response, TemplateResponse)
            and (response.context_data or {}).get("errors")
        )
        if refused:
            response.status_code = 409 if _has_conflict(response) else 400

        return response

    def _refused(self, request, message: str, status: int) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Nothing was saved"),
            "message": message,
            "back_url": request.get_full_path(),
        }
        return TemplateResponse(
            request, "admin/commitments/save_refused.html", context, status=status
        )


def _without_version_field(fieldsets):
    cleaned = []
    for name, options in fieldsets:
        fields = []
        for entry in options.get("fields", ()):
            if isinstance(entry, (list, tuple)):
                entry = tuple(f for f in entry if f != VERSION_FIELD)
                if entry:
                    fields.append(entry)
            elif entry != VERSION_FIELD:
                fields.append(entry)
        cleaned.append((name, {**options, "fields": fields}))

    return cleaned


class FieldChangesHistoryMixin:
    """History pages that list, for each version, its fields before and after.

    Values are shown as readers see them (choices by their label, relations by
    name) instead of simple-history's raw values, and a reason recorded by the
    application ("submitted"…) is translated.
    """

    object_history_list_template = "admin/commitments/object_history_list.html"
    history_list_per_page = 50

    def _previous_record(self, record):
        pk_name = self.opts.pk.attname
        earlier = Q(history_date__lt=record.history_date) | Q(
            history_date=record.history_date, history_id__lt=record.history_id
        )
        return (
            self.model.history.filter(earlier, **{pk_name: getattr(record, pk_name)})
            .order_by("-history_date", "-history_id")
            .first()
        )

    def set_history_delta_changes(
        self, request, historical_records, foreign_keys_are_objs=True
    ):
        records = list(historical_records)
        if not records:
            return
        before_page = self._previous_record(records[-1])
        chain = [*records, before_page]
        differ = HistoryDiffer(self.model, [r for r in chain if r is not None])
        for record, previous in zip(records, chain[1:], strict=True):
            record.field_changes = differ.changes(record, previous)


class VersionedAdmin(FieldChangesHistoryMixin, BackOfficeAdmin, SimpleHistoryAdmin):
    """Admin for a versioned model: one history row per save, conflicts refused.

    The object and its relations are saved together in save_related, inside
    one ``one_version`` block, so that a change of fields and relations makes
    one history row. Reverting from history is off: it would bypass both the
    conflict check and the scoping of editors.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            fieldsets = _without_version_field(fieldsets)

        return fieldsets

    def save_model(self, request, obj, form, change):
        """Do nothing yet: save_related saves the object with its relations."""

    def save_related(self, request, form, formsets, change):
        if not change or form.has_changed():
            services.save_versioned(
                obj=form.instance,
                user=request.user,
                expected_version=form.cleaned_data.get(VERSION_FIELD)
                if change
                else None,
                save_related=form.save_m2m,
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    # History pages

    def _object_for_history(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            if not self.has_view_or_change_permission(request, obj):
                raise PermissionDenied
            return obj
        # A deleted object keeps its history; only coordinators may read it,
        # since who led it can no longer be checked.
        if services.is_coordinator(request.user):
            pk_name = self.opts.pk.attname
            try:
                latest = self.model.history.filter(
                    **{pk_name: unquote(object_id)}
                ).first()
            except (ValueError, ValidationError):
                latest = None
            if latest is not None:
                return latest.instance
        raise Http404(_("No such object, or not one you may see."))

    def history_view(self, request, object_id, extra_context=None):
        self._object_for_history(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show what one version changed, field by field (read-only)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        obj = self._object_for_history(request, object_id)
        if not str(version_id).isdigit():
            raise Http404(_("No such version."))
        pk_name = self.opts.pk.attname
        record = (
            self.model.history.filter(**{pk_name: obj.pk, "history_id": version_id})
            .select_related("history_user")
            .first()
        )
        if record is None:
            raise Http404(_("No such version."))

        previous = self._previous_record(record)
        differ = HistoryDiffer(self.model, [r for r in (record, previous) if r])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "record": record,
            "previous": previous,
            "changes": differ.changes(record, previous),
            "title": _("Changes of %(date)s")
            % {"date": formats.localize(timezone.localtime(record.history_date))},
            "subtitle": str(obj),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/commitments/history_diff.html", context)


# Institutions and policy areas -------------------------------------------------


@admin.register(Institution)
class InstitutionAdmin(BackOfficeAdmin):
    list_display = ["name", "acronym", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = ["name_fr", "name_en", "acronym", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}
    filter_horizontal = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    def get_list_display(self, request):
        if services.is_coordinator(request.user):
            return [*self.list_display, "member_count"]
        return self.list_display

    @admin.display(description=gettext_lazy("staff members"))
    def member_count(self, obj):
        return obj.member_count

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # Who works where is personal data: only coordinators manage it.
        if not services.is_coordinator(request.user):
            fields = [name for name in fields if name != "members"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            # Any active account may belong to an institution: membership of a
            # civil-society organisation lets a member submit workshop reports,
            # while editing rights also need staff status and the editors
            # group. Current members stay listed so a save never drops one.
            institution_id = request.resolver_match.kwargs.get("object_id")
            eligible = Q(is_active=True)
            if institution_id and str(institution_id).isdigit():
                eligible |= Q(institutions=institution_id)
            model = db_field.remote_field.model
            kwargs["queryset"] = model.objects.filter(
                pk__in=model.objects.filter(eligible).values("pk")
            ).order_by("username")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PolicyArea)
class PolicyAreaAdmin(BackOfficeAdmin):
    list_display = ["name_en", "name_fr", "slug"]
    search_fields = ["name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


# Plans ---------------------------------------------------------------------------


@admin.action(permissions=["change"], description=gettext_lazy("Publish"))
def publish_plans(modeladmin, request, queryset):
    count = services.set_plans_published(
        plans=queryset, user=request.user, published=True
    )
    modeladmin.message_user(
        request,
        ngettext("%(count)d plan published.", "%(count)d plans published.", count)
        % {"count": count},
    )


@admin.action(permissions=["change"], description=gettext_lazy("Unpublish"))
def unpublish_plans(modeladmin, request, queryset):
    count = services.set_plans_published(
        plans=queryset, user=request.user, published=False
    )
    modeladmin.message_user(
        request,
        ngettext("%(count)d plan unpublished.", "%(count)d plans unpublished.", count)
        % {"count": count},
    )


@admin.register(ActionPlan)
class ActionPlanAdmin(PlanImportAdminMixin, VersionedAdmin):
    form = forms.ActionPlanForm
    list_display = [
        "__str__",
        "country",
        "start",
        "end",
        "commitment_count",
        "is_published",
    ]
    list_filter = ["country", "is_published"]
    search_fields = ["title_fr", "title_en", "slug"]
    actions = [publish_plans, unpublish_plans]

    def get_queryset(self, request):
        plans = super().get_queryset(request)
        if not services.is_coordinator(request.user):
            # Editors see the plans that hold one of their commitments.
            editable = services.editable_commitments(request.user)
            plans = plans.filter(pk__in=editable.values("plan_id"))

        return plans.annotate(commitment_count=Count("commitments"))

    @admin.display(description=gettext_lazy("commitments"), ordering="commitment_count")
    def commitment_count(self, obj):
        return obj.commitment_count

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request):
        return services.is_coordinator(request.user) and super().has_add_permission(
            request
        )

    def has_change_permission(self, request, obj=None):
        return services.is_coordinator(request.user) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return services.is_coordinator(request.user) and super().has_delete_permission(
            request, obj
        )


# Commitments ---------------------------------------------------------------------


class VersionedInlineMixin:
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj):
            fieldsets = _without_version_field(fieldsets)
        return fieldsets


class MilestoneInline(
    VersionedInlineMixin, ReadableRelationsMixin, admin.TabularInline
):
    model = Milestone
    form = forms.MilestoneForm
    fields = [
        "position",
        "title_fr",
        "planned_start",
        "planned_end",
        "revised_due",
        "status",
        "completed_on",
        VERSION_FIELD,
    ]
    extra = 0
    show_change_link = True


class IrmAssessmentInline(ReadableRelationsMixin, admin.StackedInline):
    model = IrmAssessment
    formfield_overrides = URL_FIELDS
    extra = 0


class ProgressUpdateInline(ReadableRelationsMixin, admin.TabularInline):
    """The commitment's reports, newest first; they are read, never edited here."""

    model = ProgressUpdate
    fields = [
        "recorded_at",
        "period_start",
        "period_end",
        "status",
        "percentage",
        "author_institution",
        "help_wanted",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author_institution")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _status_action(status: Status):
    def action(modeladmin, request, queryset):
        count = services.set_commitments_status(
            commitments=queryset, user=request.user, status=status.value
        )
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d commitment changed.", "%(count)d commitments changed.", count
            )
            % {"count": count},
        )

    action.__name__ = f"set_status_{status.value}"
    description = format_lazy(
        gettext_lazy("Set declared status to “{status}”"), status=status.label
    )
    return admin.action(permissions=["change"], description=description)(action)


# Editors report on their commitments; who leads a commitment, and where it
# sits in its plan, is decided by coordinators.
EDITOR_READONLY_COMMITMENT_FIELDS = [
    "plan",
    "number",
    "ogp_id",
    "ogp_id_inferred",
    "lead_institutions",
]


@admin.register(Commitment)
class CommitmentAdmin(VersionedAdmin):
    form = forms.CommitmentForm
    list_display = [
        "reference",
        "title",
        "plan",
        "lead_names",
        "current_status",
        "current_percentage",
        "is_late",
    ]
    list_display_links = ["reference", "title"]
    show_full_result_count = False
    list_filter = [
        ("plan", admin.RelatedOnlyFieldListFilter),
        "status",
        ("lead_institutions", admin.RelatedOnlyFieldListFilter),
        ("policy_areas", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title_fr", "title_en", "ogp_id"]
    autocomplete_fields = ["lead_institutions", "partners"]
    filter_horizontal = ["policy_areas"]
    inlines = [MilestoneInline, IrmAssessmentInline, ProgressUpdateInline]
    actions = [_status_action(status) for status in Status]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "plan",
                    ("number", "ogp_id", "ogp_id_inferred"),
                    "title_fr",
                    "title_en",
                    "title_fr_is_translation",
                    VERSION_FIELD,
                ]
            },
        ),
        (
            gettext_lazy("Institutions and policy areas"),
            {"fields": ["lead_institutions", "partners", "policy_areas"]},
        ),
        (
            gettext_lazy("Dates and declared progress"),
            {
                "fields": [
                    ("start", "start_precision"),
                    ("end", "end_precision"),
                    ("status", "progress"),
                ],
                "description": gettext_lazy(
                    "The declared status and progress count only until a "
                    "progress update is recorded or milestones exist."
                ),
            },
        ),
        (
            gettext_lazy("OGP values"),
            {
                "fields": [
                    "value_access_to_information",
                    "value_civic_participation",
                    "value_public_accountability",
                    "value_technology_innovation",
                ]
            },
        ),
        (
            gettext_lazy("Description (Markdown)"),
            {"fields": MARKDOWN_FIELDS, "classes": ["collapse"]},
        ),
        (gettext_lazy("Sources"), {"fields": ["sources"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        commitments = super().get_queryset(request).select_related("plan")
        commitments = limit_to_editable(commitments, request.user)
        if getattr(request, "_commitment_changelist", False):
            commitments = commitments.with_facts().prefetch_related("lead_institutions")

        return commitments

    def changelist_view(self, request, extra_context=None):
        # Current status, progress and lateness are computed in SQL for the
        # list only; forms and lookups do not need them.
        request._commitment_changelist = True
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if ProgressUpdateAdmin.may_record(request):
            url = reverse("admin:commitments_progressupdate_add")
            query = urlencode({"commitment": unquote(object_id)})
            extra_context["record_progress_url"] = f"{url}?{query}"
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in MARKDOWN_FIELDS:
            kwargs["widget"] = AdminMarkdownxWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if services.is_coordinator(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, *EDITOR_READONLY_COMMITMENT_FIELDS]

    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or services.may_edit_commitment(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.may_edit_commitment(request.user, obj)

    def has_add_permission(self, request):
        return services.is_coordinator(request.user) and super().has_add_permission(
            request
        )

    def has_delete_permission(self, request, obj=None):
        return services.is_coordinator(request.user) and super().has_delete_permission(
            request, obj
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Milestone:
            return super().save_formset(request, form, formset, change)
        save_milestone_formset(request, formset)

    @admin.display(description=gettext_lazy("no."), ordering="number")
    def reference(self, obj):
        return obj.reference

    @admin.display(description=gettext_lazy("lead institutions"))
    def lead_names(self, obj):
        # Acronyms keep the column narrow enough for the status columns.
        return ", ".join(i.acronym or str(i) for i in obj.lead_institutions.all())

    @admin.display(description=gettext_lazy("current status"))
    def current_status(self, obj):
        return Status(obj.current_status).label

    @admin.display(description=gettext_lazy("progress (%)"))
    def current_percentage(self, obj):
        return formats.localize(obj.current_percentage)

    @admin.display(description=gettext_lazy("late"), boolean=True)
    def is_late(self, obj):
        return obj.is_late


def save_milestone_formset(request, formset) -> None:
    """Save each new or changed milestone of an inline as its own version."""
    expected = {}
    for milestone_form in formset.initial_forms:
        cleaned = getattr(milestone_form, "cleaned_data", None) or {}
        expected[milestone_form.instance.pk] = cleaned.get(VERSION_FIELD)
    milestones = formset.save(commit=False)
    for milestone in formset.deleted_objects:
        milestone.delete()
    for milestone in milestones:
        services.save_versioned(
            obj=milestone,
            user=request.user,
            expected_version=expected.get(milestone.pk),
        )


# Milestones ----------------------------------------------------------------------


@admin.action(
    permissions=["change"], description=gettext_lazy("Mark selected milestones as done")
)
def mark_milestones_done(modeladmin, request, queryset):
    count = services.mark_milestones_done(milestones=queryset, user=request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d milestone marked as done.",
            "%(count)d milestones marked as done.",
            count,
        )
        % {"count": count},
    )


class CommitmentScopedAdminMixin:
    """Limits an admin whose model belongs to one commitment to editable ones."""

    def get_queryset(self, request):
        objects = super().get_queryset(request).select_related("commitment")
        return limit_to_editable(objects, request.user, through="commitment")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "commitment":
            kwargs["queryset"] = limit_to_editable(
                Commitment.objects.select_related("plan"), request.user
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request, obj) -> bool:
        if obj is None:
            return True
        return services.may_edit_commitment(request.user, obj.commitment_id)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(
            request, obj
        )


@admin.register(Milestone)
class MilestoneAdmin(CommitmentScopedAdminMixin, VersionedAdmin):
    form = forms.MilestoneForm
    list_display = [
        "title",
        "commitment",
        "planned_end",
        "revised_due",
        "due_date",
        "status",
        "completed_on",
    ]
    list_filter = ["status", ("commitment__plan", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title_fr", "title_en"]
    autocomplete_fields = ["commitment"]
    actions = [mark_milestones_done]
    fields = [
        "commitment",
        "position",
        "title_fr",
        "title_en",
        ("planned_start", "planned_start_precision"),
        ("planned_end", "planned_end_precision"),
        "revised_due",
        "status",
        "completed_on",
        "deliverable",
        VERSION_FIELD,
    ]


# Progress updates ----------------------------------------------------------------


class EvidenceLinkInline(ReadableRelationsMixin, admin.TabularInline):
    model = EvidenceLink
    formfield_overrides = URL_FIELDS
    fields = ["title", "url"]
    extra = 2
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # Evidence is given with a new update; an update is never changed.
        return obj is None and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(CommitmentScopedAdminMixin, BackOfficeAdmin):
    """Progress updates can be added and read; the model refuses any change."""

    form = forms.ProgressUpdateForm
    inlines = [EvidenceLinkInline]
    list_display = [
        "commitment",
        "recorded_at",
        "period_end",
        "status",
        "percentage",
        "author_institution",
        "help_wanted",
    ]
    list_filter = [
        "status",
        "help_wanted",
        ("commitment__plan", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["commitment", "author_institution"]
    search_fields = ["commitment__title_fr", "commitment__title_en", "achievements"]
    autocomplete_fields = ["commitment"]
    date_hierarchy = "recorded_at"
    fields = [
        "commitment",
        ("period_start", "period_end"),
        ("status", "percentage"),
        "achievements",
        "challenges",
        "help_wanted",
        "author_institution",
    ]

    @staticmethod
    def may_record(request) -> bool:
        return request.user.has_perm("commitments.add_progressupdate")

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        return [*self.fields, "recorded_at", "recorded_by"]

    @admin.display(description=_("recorded by"))
    def recorded_by(self, obj) -> str:
        # A name, not a link: editors may not open member accounts, and
        # Django would link the account whatever the reader may open.
        return obj.author.public_name if obj.author else "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        return type(form_class.__name__, (form_class,), {"request_user": request.user})

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Do nothing yet: save_related records the update with its evidence."""

    def save_related(self, request, form, formsets, change):
        evidence = []
        for formset in formsets:
            for evidence_form in formset.forms:
                cleaned = getattr(evidence_form, "cleaned_data", None) or {}
                if cleaned.get("url"):
                    evidence.append((cleaned["title"], cleaned["url"]))
        data = form.cleaned_data
        update = services.record_progress(
            commitment=data["commitment"],
            user=request.user,
            author_institution=data["author_institution"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            status=data["status"],
            percentage=data["percentage"],
            achievements=data["achievements"],
            challenges=data["challenges"],
            help_wanted=data["help_wanted"],
            evidence=evidence,
        )
        # The admin goes on with the form's instance (log entry, redirect).
        form.instance.pk = update.pk
        form.instance.recorded_at = update.recorded_at
        form.instance.author = update.author
        form.instance._state.adding = False

    def construct_change_message(self, request, form, formsets, add=False):
        return [{"added": {}}]

    def response_add(self, request, obj, post_url_continue=None):
        # Back to the commitment, where the new update now shows first.
        stays = ("_continue", "_addanother", IS_POPUP_VAR)
        if any(key in request.POST for key in stays):
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, _("The progress update was recorded."))
        url = reverse("admin:commitments_commitment_change", args=[obj.commitment_id])

        return HttpResponseRedirect(url)
