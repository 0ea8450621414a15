"""Import of a plan file by coordinators in the admin, with a preview.

The coordinator uploads a file and sees what would change (a dry run). The
preview page carries the file back, signed, so that "Confirm" imports exactly
the file that was previewed and nothing has to be kept on the server between
the two steps. It carries the digest of the preview too: if someone changed
the data since, the import would do something else than what was shown, so
it writes nothing and shows the new preview to confirm instead.
"""

import base64
import logging

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments import roles
from commitments.importer import (
    MAX_FILE_BYTES,
    ImportFailed,
    ImportReport,
    PreviewOutdated,
    import_file,
)

logger = logging.getLogger(__name__)

SIGNING_SALT = "commitments.plan-import"


class PlanFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Plan file"),
        help_text=gettext_lazy(
            "A YAML plan file, a YAML list of institutions, or the CSV variant."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)d MB).")
                % {"size": MAX_FILE_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".yaml", ".yml", ".csv")):
            raise forms.ValidationError(_("Choose a .yaml, .yml or .csv file."))
        return upload


class ConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)

    def clean_payload(self):
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=SIGNING_SALT, max_age=3600
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                _("The preview has expired or was altered; upload the file again.")
            ) from None
        # A preview signed before previews had a digest is shown again.
        digest = data.get("digest", "")

        return data["name"], base64.b64decode(data["content"]), digest


class PlanImportAdminMixin:
    """Adds an "Import a plan" page to the action plan admin, for coordinators."""

    change_list_template = "admin/commitments/plan_import_change_list.html"

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="commitments_actionplan_import",
            )
        ]
        return urls + super().get_urls()

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # The import button shows only to those the import page lets in.
        extra_context = {
            **(extra_context or {}),
            "can_import": roles.is_coordinator(request.user),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not roles.is_coordinator(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a plan"),
        }
        if request.method == "POST" and "payload" in request.POST:
            return self._confirm(request, context)
        form = PlanFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self._preview(request, context, form.cleaned_data["file"])
        status = 400 if request.method == "POST" else 200

        return TemplateResponse(
            request,
            "admin/commitments/plan_import.html",
            {**context, "form": form},
            status=status,
        )

    def _preview(self, request, context, upload) -> HttpResponse:
        content = upload.read()
        try:
            report = import_file(upload.name, content, dry_run=True)
        except ImportFailed as failure:
            return TemplateResponse(
                request,
                "admin/commitments/plan_import.html",
                {**context, "form": PlanFileForm(), "errors": failure.errors},
                status=400,
            )

        return self._preview_page(request, context, upload.name, content, report)

    def _preview_page(
        self, request, context, name, content, report: ImportReport, status=200
    ) -> HttpResponse:
        payload = signing.dumps(
            {
                "name": name,
                "content": base64.b64encode(content).decode(),
                "digest": report.digest(),
            },
            salt=SIGNING_SALT,
            compress=True,
        )

        return TemplateResponse(
            request,
            "admin/commitments/plan_import.html",
            {
                **context,
                "report": report,
                "confirm_form": ConfirmForm(initial={"payload": payload}),
                "file_name": name,
                "outdated": status == 409,
            },
            status=status,
        )

    def _confirm(self, request, context) -> HttpResponse:
        form = ConfirmForm(request.POST)
        errors = []
        if form.is_valid():
            name, content, digest = form.cleaned_data["payload"]
            try:
                report = import_file(name, content, user=request.user, preview=digest)
            except ImportFailed as failure:
                errors = failure.errors
            except PreviewOutdated as outdated:
                logger.info(
                    "plan import refused, preview outdated user=%s", request.user.pk
                )
                return self._preview_page(
                    request, context, name, content, outdated.report, status=409
                )
            else:
                logger.info(
                    "plan imported in admin user=%s created=%s updated=%s",
                    request.user.pk,
                    report.count("create"),
                    report.count("update"),
                )
                messages.success(
                    request,
                    _("File %(file)s imported: %(summary)s.")
                    % {"file": name, "summary": report.summary()},
                )
                changelist = reverse("admin:commitments_actionplan_changelist")
                return HttpResponseRedirect(changelist)
        else:
            errors = [error for errors in form.errors.values() for error in errors]

        return TemplateResponse(
            request,
            "admin/commitments/plan_import.html",
            {**context, "form": PlanFileForm(), "errors": errors},
            status=400,
        )
