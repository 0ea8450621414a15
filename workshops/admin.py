"""Back-office for workshops and documents, and the review of civil-society reports.

Coordinators manage everything and review submissions. Editors manage the
workshops their own institutions organise and the documents those
institutions produced. Every change is versioned (one history row per save).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from commitments import roles as commitment_roles
from commitments.admin import FieldChangesHistoryMixin
from commitments.versioning import record_version
from ogp_tracker.backoffice import ReadableIdsAdminMixin, ReadableRelationsMixin
from ogp_tracker.formats import long_date
from workshops import roles, services, times, uploads
from workshops.forms import DocumentAdminForm, WorkshopAdminForm
from workshops.models import Document, Workshop


def _own_ids(request) -> set[int] | None:
    """Return the editor's institutions, or None for a coordinator (no limit)."""
    if commitment_roles.is_coordinator(request.user):
        return None
    return commitment_roles.own_institution_ids(request.user)


class VersionedAdminMixin(FieldChangesHistoryMixin):
    """Save the object and its relations, then write one history row."""

    def save_model(self, request, obj, form, change):
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        obj.__dict__.pop("skip_history_when_saving", None)
        record_version(obj, user=request.user)

    def history_view(self, request, object_id, extra_context=None):
        # simple-history filters on the raw id and would fail on "abc".
        if not str(object_id).isdigit():
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (str(object_id).isdigit() and str(version_id).isdigit()):
            raise Http404
        if request.method == "POST":
            # The revert form would bypass the review and the version record.
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_change_history_permission(self, request, obj=None):
        # Reverting from the history page would skip the review and the
        # upload checks, so history is read-only.
        return False


class RowLimitedAdminMixin:
    """Model permissions from the role groups, narrowed to rows the user may touch."""

    row_check = None

    def _may_touch(self, request, obj) -> bool:
        return obj is None or type(self).row_check(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._may_touch(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(
            request, obj
        )


class DocumentInline(ReadableRelationsMixin, admin.StackedInline):
    model = Document
    form = DocumentAdminForm
    fk_name = "workshop"
    extra = 0
    fields = [
        ("title", "kind", "language", "date"),
        "producer",
        "file",
        "url",
        "commitments",
        "milestones",
        "is_published",
    ]
    filter_horizontal = ["commitments", "milestones"]

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    @staticmethod
    def _allowed(request, workshop) -> bool:
        # The parent workshop's rights decide: whoever may change it may
        # change its documents.
        if workshop is None:
            return commitment_roles.is_coordinator(
                request.user
            ) or commitment_roles.is_editor(request.user)
        return roles.can_manage(request.user, workshop)


@admin.register(Workshop)
class WorkshopAdmin(
    VersionedAdminMixin, RowLimitedAdminMixin, ReadableIdsAdminMixin, SimpleHistoryAdmin
):
    form = WorkshopAdminForm
    row_check = staticmethod(roles.can_manage)
    inlines = [DocumentInline]
    list_display = [
        "title",
        "kind",
        "local_start",
        "status",
        "is_published",
        "submission",
    ]
    list_filter = ["submission", "status", "kind", "is_published"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["organisers", "commitments", "milestones"]
    readonly_fields = [
        "submission",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "return_reason",
        "sequence",
        "created_at",
        "updated_at",
    ]
    actions = ["publish_submissions"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}

    @admin.display(description=_("starts at (Paris time)"), ordering="starts_at")
    def local_start(self, obj):
        return long_date(times.to_local(obj.starts_at), "DATETIME_FORMAT")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        own = _own_ids(request)
        if own is None:
            return queryset
        organised = Workshop.objects.filter(organisers__in=own).values("pk")
        return queryset.filter(pk__in=organised)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["title", "kind", "status", "cancellation_reason"]}),
            (
                _("When and where"),
                {"fields": ["starts_at", "ends_at", "place", "online_url"]},
            ),
            (
                _("Who and what for"),
                {"fields": ["organisers", "commitments", "milestones"]},
            ),
            (
                _("Content"),
                {
                    "fields": [
                        "description",
                        "agenda",
                        "minutes",
                        ("attendees", "organisations_represented"),
                    ]
                },
            ),
            (
                _("Publication"),
                {"fields": ["is_published", "sequence", "created_at", "updated_at"]},
            ),
        ]
        if obj is not None and obj.is_submission:
            review = [
                "submission",
                "submitted_by",
                "submitted_at",
                "reviewed_by",
                "reviewed_at",
                "return_reason",
            ]
            if commitment_roles.is_coordinator(request.user):
                review += ["decision", "decision_reason"]
            fieldsets.append((_("Civil-society submission"), {"fields": review}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_submission:
            # A submitted report is published through the review decision.
            readonly.append("is_published")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        own = _own_ids(request)

        class RequestForm(form_class):
            def __init__(self, *args, **inner):
                inner.setdefault("own_institution_ids", own)
                super().__init__(*args, **inner)

        return RequestForm

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        decision = form.cleaned_data.get("decision")
        if not decision or not commitment_roles.is_coordinator(request.user):
            return
        workshop = form.instance
        try:
            if decision == WorkshopAdminForm.Decision.PUBLISH:
                services.publish_submission(workshop=workshop, reviewer=request.user)
            else:
                services.return_submission(
                    workshop=workshop,
                    reviewer=request.user,
                    reason=form.cleaned_data["decision_reason"],
                )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request, _("The submitter will be told by e-mail."), messages.SUCCESS
            )

    @admin.action(description=_("Publish the selected submitted reports"))
    def publish_submissions(self, request, queryset):
        if not commitment_roles.is_coordinator(request.user):
            self.message_user(
                request, _("Only coordinators review submissions."), messages.ERROR
            )
            return
        published = 0
        for workshop in queryset.exclude(submission="").exclude(
            submission=Workshop.Submission.PUBLISHED
        ):
            services.publish_submission(workshop=workshop, reviewer=request.user)
            published += 1
        self.message_user(
            request,
            _("%(count)s reports published; their submitters will be told by e-mail.")
            % {"count": published},
            messages.SUCCESS,
        )


@admin.register(Document)
class DocumentAdmin(
    VersionedAdminMixin, RowLimitedAdminMixin, ReadableIdsAdminMixin, SimpleHistoryAdmin
):
    form = DocumentAdminForm
    row_check = staticmethod(roles.can_manage_document)
    list_display = ["title", "kind", "workshop", "format_and_size", "is_published"]
    list_filter = ["kind", "language", "is_published"]
    list_select_related = ["workshop"]
    search_fields = ["title"]
    filter_horizontal = ["commitments", "milestones"]
    readonly_fields = ["file_format", "file_size", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": [("title", "kind", "language", "date"), "producer"]}),
        (_("File or link"), {"fields": ["file", "url", "file_format", "file_size"]}),
        (_("Linked to"), {"fields": ["workshop", "commitments", "milestones"]}),
        (_("Publication"), {"fields": ["is_published", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("format and size"))
    def format_and_size(self, obj):
        if obj.format is None:
            return _("link")
        return f"{obj.format.label} – {uploads.size_label(obj.file_size or 0)}"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        own = _own_ids(request)
        if own is None:
            return queryset
        organised = Workshop.objects.filter(organisers__in=own).values("pk")
        return queryset.filter(Q(producer__in=own) | Q(workshop__in=organised))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        own = _own_ids(request)

        class RequestForm(form_class):
            def __init__(self, *args, **inner):
                inner.setdefault("own_institution_ids", own)
                super().__init__(*args, **inner)

        return RequestForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        own = _own_ids(request)
        if db_field.name == "workshop" and own is not None:
            kwargs["queryset"] = Workshop.objects.filter(
                pk__in=Workshop.objects.filter(organisers__in=own).values("pk")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
