from django.apps import apps
from django.contrib import admin
from django.db import models
from markdownx.widgets import AdminMarkdownxWidget

from ogp_tracker.backoffice import ReadableIdsAdminMixin, ReadableRelationsMixin
from ogp_tracker.models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(ReadableIdsAdminMixin, admin.ModelAdmin):
    """Staff edit the legal pages' text; the set of pages itself is fixed."""

    formfield_overrides = {models.TextField: {"widget": AdminMarkdownxWidget}}
    list_display = ["kind", "title_fr", "compliance", "updated_at"]
    readonly_fields = ["kind", "updated_at"]
    fields = [
        "kind",
        "title_fr",
        "title_en",
        "body_fr",
        "body_en",
        "compliance",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _read_ids_in_library_admins(site) -> None:
    """Give the libraries' admins the site's refusal of unreadable ids."""
    # Groups, e-mail addresses, tasks… are registered by their libraries,
    # whose admin modules load before this one (ogp_tracker is the last
    # installed application); a test checks that no admin is left out.
    for model in apps.get_models():
        if not site.is_registered(model):
            continue
        library_admin = type(site.get_model_admin(model))
        if issubclass(library_admin, ReadableIdsAdminMixin):
            continue
        inlines = [
            _with_mixin(inline, ReadableRelationsMixin)
            for inline in library_admin.inlines
        ]
        readable = _with_mixin(library_admin, ReadableIdsAdminMixin, inlines=inlines)
        site.unregister(model)
        site.register(model, readable)


def _with_mixin(admin_class, mixin, **attributes):
    if issubclass(admin_class, mixin):
        return admin_class
    bases = (mixin, admin_class)
    attributes["__module__"] = __name__

    return type(admin_class.__name__, bases, attributes)


_read_ids_in_library_admins(admin.site)
