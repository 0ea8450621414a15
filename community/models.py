from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An account: a member of the public, civil society or ministry staff."""

    display_name = models.CharField(
        _("public display name"),
        max_length=80,
        blank=True,
        help_text=_("Shown beside your comments instead of your account name."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Optional; shown beside your comments."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("Language of the e-mails you receive."),
    )
    name_is_public = models.BooleanField(
        _("show my name in the public changelog"),
        default=False,
        help_text=_(
            "Otherwise the changelog names only your institution, never you."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    @property
    def public_name(self) -> str:
        return self.display_name or self.get_username()
