from django.contrib import admin
from django.db import models
from markdownx.widgets import AdminMarkdownxWidget

from ogp_tracker.models import LegalPage


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
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
