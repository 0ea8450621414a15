"""Forms of the community pages and of the sign-up page."""

import unicodedata

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from community.models import Flag, User
from ogp_tracker.fields import UNKNOWN_CHOICE
from ogp_tracker.validators import BLANK_CHARACTERS, check_written_text

BOT_TRAP_FIELD = "website"
# Control, format (bidirectional overrides, zero-width characters), private
# and line-separator characters: invisible, or able to reverse the text around
# them, so that one name could be dressed up as another.
HIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}
# What the site itself shows in place of a member's name: no member may take
# these, in any language or spelling.
RESERVED_NAMES = [gettext_noop("deleted account"), gettext_noop("unnamed member")]


def check_public_name(name: str, *, member: User | None = None) -> str:
    """Return a display name members will see, or refuse a deceptive one.

    A name with hidden characters is refused, and so is one another member
    is already shown under (whatever its case): another display name, or the
    account name of an account without one, which the back-office and the
    public changelog show. The name is kept in its compatibility form (NFKC:
    full-width or styled letters become plain ones) with single spaces, so
    that look-alike spellings of one name compare equal.
    """
    name = check_visible_text(name)
    name = " ".join(unicodedata.normalize("NFKC", name).split())
    if name and _skeleton(name) in _reserved_skeletons():
        raise forms.ValidationError(
            _(
                "The site shows this name in place of deleted or unnamed "
                "accounts; choose another one."
            ),
            code="name_reserved",
        )
    # SQLite folds the case of ASCII letters only: the usual spellings of the
    # name are asked for too, so that "ÉLODIE" meets "Élodie" there as well.
    spellings = {name.lower(), name.upper(), name.title(), name.capitalize()}
    shown_as_account_name = Q(display_name="") & (
        Q(username__iexact=name) | Q(username__in=spellings)
    )
    others = User.objects.filter(
        Q(display_name__iexact=name)
        | Q(display_name__in=spellings)
        | shown_as_account_name
    )
    if member is not None and member.pk:
        others = others.exclude(pk=member.pk)
    if name and others.exists():
        raise forms.ValidationError(
            _("Another member already uses this name; choose another one."),
            code="name_taken",
        )
    return name


def _skeleton(text: str) -> str:
    """Return text's letters and digits only, lower-case and without accents."""
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in decomposed if ch.isalnum())


def _reserved_skeletons() -> set[str]:
    skeletons = set()
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            skeletons.update(
                _skeleton(translation.gettext(label)) for label in RESERVED_NAMES
            )
    return skeletons


def check_visible_text(text: str) -> str:
    """Refuse hidden characters in a short public text (an organisation)."""
    if any(
        unicodedata.category(ch) in HIDDEN_CATEGORIES or ch in BLANK_CHARACTERS
        for ch in text
    ):
        raise forms.ValidationError(
            _("Remove the invisible or control characters from this name."),
            code="hidden_characters",
        )
    return text


class BotTrapMixin:
    """Add a field people never see; crude bots fill every field they find."""

    def add_bot_trap(self) -> None:
        self.fields[BOT_TRAP_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    @property
    def caught_a_bot(self) -> bool:
        return bool(self.data.get(BOT_TRAP_FIELD))


class CommentForm(BotTrapMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        help_text=_(
            "Markdown: *italics*, **bold**, [link](https://…), lists and quotes."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        # The service gives the real limit with a clear message; this stops a
        # huge body before any work is done on it.
        max_length=200_000,
        strip=True,
    )
    official_institution = forms.TypedChoiceField(
        label=_("Answer officially as"),
        error_messages=UNKNOWN_CHOICE,
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_bot_trap()
        if institutions:
            choices = [("", _("myself, not officially"))]
            choices += [(item.pk, item.name) for item in institutions]
            self.fields["official_institution"].choices = choices
        else:
            del self.fields["official_institution"]

    def clean_body(self):
        return check_written_text(self.cleaned_data["body"])


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=200_000,
    )

    def clean_body(self):
        return check_written_text(self.cleaned_data["body"])


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this comment?"),
        choices=Flag.Reason.choices,
        error_messages=UNKNOWN_CHOICE,
    )
    details = forms.CharField(
        label=_("Details for the moderators (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_details(self):
        details = self.cleaned_data["details"]
        return check_written_text(details) if details else details


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Public reason"),
        max_length=300,
        help_text=_("Shown in place of the comment, with the date."),
    )

    def clean_reason(self):
        return check_written_text(self.cleaned_data["reason"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "organisation",
            "language",
            "notification_frequency",
            "notify_replies",
            "name_is_public",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["language"] = forms.ChoiceField(
            label=User._meta.get_field("language").verbose_name,
            choices=settings.LANGUAGES,
            help_text=User._meta.get_field("language").help_text,
            error_messages=UNKNOWN_CHOICE,
        )
        self.fields["notification_frequency"].error_messages.update(UNKNOWN_CHOICE)

    def clean_display_name(self):
        return check_public_name(
            self.cleaned_data["display_name"], member=self.instance
        )

    def clean_organisation(self):
        return check_visible_text(self.cleaned_data["organisation"])


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class SignupExtraForm(forms.Form):
    """Fields added to allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    display_name = forms.CharField(
        label=_("Public display name"),
        max_length=80,
        help_text=_("Shown beside your comments. You can use a pseudonym."),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"), max_length=200, required=False
    )

    def clean_display_name(self):
        return check_public_name(self.cleaned_data["display_name"])

    def clean_organisation(self):
        return check_visible_text(self.cleaned_data.get("organisation", ""))

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.organisation = self.cleaned_data.get("organisation", "")
        user.save(update_fields=["display_name", "organisation"])
