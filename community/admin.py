"""Back-office of the community: members, and the moderation queue.

Moderators work the comment list: reported comments come first, each with
its commitment, the comment it answers, its earlier versions and its reports.
They hide (with a public reason), restore, dismiss reports and block authors;
nothing here deletes a comment.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community import links, services
from community.forms import HideForm, check_written_text
from community.models import Comment, CommentRevision, Flag, User
from ogp_tracker.backoffice import ReadableIdsAdminMixin, ReadableRelationsMixin
from ogp_tracker.fields import UNKNOWN_CHOICE

# Members -----------------------------------------------------------------------


class MemberCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class MemberChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(ReadableIdsAdminMixin, BaseUserAdmin):
    form = MemberChangeForm
    add_form = MemberCreationForm
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
    list_display = [
        "username",
        "email",
        "display_name",
        "organisation",
        "is_staff",
        "posting_blocked_at",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["username", "email", "display_name", "organisation"]
    readonly_fields = ["posting_blocked_at", "last_login", "date_joined"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Public profile and notifications"),
            {
                "fields": [
                    "display_name",
                    "organisation",
                    "language",
                    "name_is_public",
                    "notification_frequency",
                    "notify_replies",
                ]
            },
        ),
        (
            _("Moderation"),
            {"fields": ["posting_blocked_at", "posting_blocked_reason"]},
        ),
    ]
    actions = ["block_posting", "unblock_posting"]
    # Only a superuser may hand out superuser status or single permissions, or
    # change a superuser's account: coordinators give roles through groups.
    superuser_only_fields = ["is_superuser", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.superuser_only_fields
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        return users.filter(is_superuser=False)

    @admin.action(description=_("Block the selected accounts from posting"))
    def block_posting(self, request, queryset):
        for user in queryset:
            services.block_user(user=user, moderator=request.user)
        self.message_user(request, _("Accounts blocked from posting."))

    @admin.action(description=_("Let the selected accounts post again"))
    def unblock_posting(self, request, queryset):
        for user in queryset:
            services.unblock_user(user=user, moderator=request.user)
        self.message_user(request, _("Accounts may post again."))


# Moderation queue ----------------------------------------------------------------


class RevisionInline(ReadableRelationsMixin, admin.TabularInline):
    model = CommentRevision
    extra = 0
    fields = ["written_at", "replaced_at", "body"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("earlier versions (moderators only)")

    def has_add_permission(self, request, obj=None):
        return False


class FlagInline(ReadableRelationsMixin, admin.TabularInline):
    model = Flag
    extra = 0
    fields = ["created_at", "reporter", "reason", "details", "resolved_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ModerationForm(forms.ModelForm):
    """A comment as moderators see it: one decision, with a public reason."""

    KEEP, HIDE, RESTORE, DISMISS = "keep", "hide", "restore", "dismiss"
    decision = forms.ChoiceField(
        label=_("Decision"),
        error_messages=UNKNOWN_CHOICE,
        choices=[
            (KEEP, _("change nothing")),
            (HIDE, _("hide, with the public reason below")),
            (RESTORE, _("show again")),
            (DISMISS, _("keep it shown and close its reports")),
        ],
        initial=KEEP,
    )
    reason = forms.CharField(
        label=_("Public reason"),
        max_length=300,
        required=False,
        help_text=_("Shown in place of the comment, with the date."),
    )

    class Meta:
        model = Comment
        fields = []

    def clean_reason(self):
        return check_written_text(self.cleaned_data["reason"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.HIDE and not cleaned.get("reason"):
            self.add_error("reason", _("Give the public reason for hiding it."))
        return cleaned


class OpenReportsFilter(admin.SimpleListFilter):
    title = _("reports")
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("open", _("waiting for a moderator")), ("none", _("none open"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(open_flags__gt=0)
        if self.value() == "none":
            return queryset.filter(open_flags=0)
        return queryset


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("shown", _("shown")),
            ("hidden", _("hidden by the moderators")),
            ("deleted", _("deleted by the author")),
        ]

    def queryset(self, request, queryset):
        states = {
            "shown": Q(hidden_at=None, deleted_at=None),
            "hidden": Q(hidden_at__isnull=False),
            "deleted": Q(deleted_at__isnull=False),
        }
        if self.value() in states:
            return queryset.filter(states[self.value()])
        return queryset


@admin.register(Comment)
class CommentAdmin(ReadableIdsAdminMixin, admin.ModelAdmin):
    form = ModerationForm
    list_display = [
        "excerpt",
        "commitment_ref",
        "author_name",
        "created_at",
        "open_reports",
        "state",
    ]
    list_filter = [OpenReportsFilter, StateFilter, "commitment__plan"]
    list_select_related = ["commitment", "author", "official_institution"]
    search_fields = ["body"]
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = [FlagInline, RevisionInline]
    readonly_fields = [
        "commitment_link",
        "in_reply_to",
        "author_name",
        "official_institution",
        "created_at",
        "edited_at",
        "deleted_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
        "text",
    ]
    fieldsets = [
        (
            _("Comment"),
            {
                "fields": [
                    "commitment_link",
                    "in_reply_to",
                    "author_name",
                    "official_institution",
                    "created_at",
                    "edited_at",
                    "text",
                ]
            },
        ),
        (
            _("Moderation"),
            {
                "fields": [
                    "deleted_at",
                    "hidden_at",
                    "hidden_by",
                    "hidden_reason",
                    "decision",
                    "reason",
                ]
            },
        ),
    ]
    actions = ["hide_selected", "restore_selected", "dismiss_reports", "block_authors"]

    def get_queryset(self, request):
        open_flags = Count("flags", filter=Q(flags__resolved_at=None))
        comments = self.model._default_manager.annotate(open_flags=open_flags)

        return comments.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        # Reported comments first: the queue is sorted by open reports.
        return ["-open_flags", "-created_at", "-id"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_moderate_permission(self, request):
        return request.user.has_perm("community.moderate_comment")

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("commitment"))
    def commitment_ref(self, obj):
        return obj.commitment.reference

    @admin.display(description=_("author"))
    def author_name(self, obj):
        if obj.author is None:
            return _("deleted account")
        if obj.author.is_blocked:
            return _("%(name)s (blocked)") % {"name": obj.author.public_name}
        return obj.author.public_name

    @admin.display(description=_("open reports"), ordering="open_flags")
    def open_reports(self, obj):
        return obj.open_flags

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.is_hidden:
            return _("hidden")
        if obj.is_deleted:
            return _("deleted by the author")
        return _("shown")

    @admin.display(description=_("commitment"))
    def commitment_link(self, obj):
        url = links.commitment_url(obj.commitment)
        return format_html('<a href="{}">{}</a>', url, obj.commitment)

    @admin.display(description=_("in reply to"))
    def in_reply_to(self, obj):
        if obj.parent is None:
            return "—"
        return Truncator(obj.parent.body).chars(300)

    @admin.display(description=_("text"))
    def text(self, obj):
        return obj.body

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_moderate_permission(request):
            return fieldsets
        return fieldsets[:1]

    def save_model(self, request, obj, form, change):
        # Nothing on the comment itself is edited here; the decision goes
        # through the services, which keep counts and reports consistent.
        if not self.has_moderate_permission(request):
            return
        decision = form.cleaned_data.get("decision")
        if decision == ModerationForm.HIDE:
            services.hide_comment(
                comment=obj, moderator=request.user, reason=form.cleaned_data["reason"]
            )
        elif decision == ModerationForm.RESTORE:
            services.restore_comment(comment=obj, moderator=request.user)
        elif decision == ModerationForm.DISMISS:
            services.dismiss_flags(comment=obj, moderator=request.user)

    @admin.action(description=_("Hide the selected comments"), permissions=["moderate"])
    def hide_selected(self, request, queryset):
        form = HideForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            hidden = 0
            for comment in queryset:
                services.hide_comment(
                    comment=comment,
                    moderator=request.user,
                    reason=form.cleaned_data["reason"],
                )
                hidden += 1
            message = ngettext(
                "%(count)s comment hidden.", "%(count)s comments hidden.", hidden
            ) % {"count": hidden}
            self.message_user(request, message, messages.SUCCESS)
            return None

        context = {
            **self.admin_site.each_context(request),
            "title": _("Hide comments"),
            "form": form,
            "comments": queryset,
            "opts": self.model._meta,
            "action": "hide_selected",
        }
        return TemplateResponse(request, "community/admin/hide_comments.html", context)

    @admin.action(
        description=_("Show the selected comments again"), permissions=["moderate"]
    )
    def restore_selected(self, request, queryset):
        for comment in queryset:
            services.restore_comment(comment=comment, moderator=request.user)
        self.message_user(request, _("Comments shown again."), messages.SUCCESS)

    @admin.action(
        description=_("Close the reports on the selected comments"),
        permissions=["moderate"],
    )
    def dismiss_reports(self, request, queryset):
        for comment in queryset:
            services.dismiss_flags(comment=comment, moderator=request.user)
        self.message_user(request, _("Reports closed."), messages.SUCCESS)

    @admin.action(
        description=_("Block the authors of the selected comments from posting"),
        permissions=["moderate"],
    )
    def block_authors(self, request, queryset):
        authors = {comment.author for comment in queryset if comment.author}
        for author in authors:
            services.block_user(user=author, moderator=request.user)
        self.message_user(request, _("Authors blocked from posting."), messages.SUCCESS)


@admin.register(Flag)
class FlagAdmin(ReadableIdsAdminMixin, admin.ModelAdmin):
    list_display = ["comment", "reason", "reporter", "created_at", "resolved_at"]
    list_filter = ["reason", ("resolved_at", admin.EmptyFieldListFilter)]
    list_select_related = ["comment", "reporter"]
    readonly_fields = [
        "comment",
        "reporter",
        "reason",
        "details",
        "created_at",
        "resolved_at",
        "resolved_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
