"""How django-allauth fits the tracker: languages, redirects and e-mail."""

from functools import partial

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import punycode
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def user_display(user) -> str:
    """Name members by their public name in messages, not their account name."""
    return user.public_name


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Save a new member, speaking the language they signed up in."""
        user = super().save_user(request, user, form, commit=False)
        user.language = (get_language() or "")[:8]
        if commit:
            user.save()

        return user

    def clean_email(self, email: str) -> str:
        """Refuse an address the account cannot store whole or mail cannot reach.

        allauth cuts a value to its field's length without a word, which
        would confirm an account at someone else's address; and a domain
        that IDNA cannot encode (U+202E, say) makes every e-mail fail.
        """
        email = super().clean_email(email)
        longest = get_user_model()._meta.get_field("email").max_length
        if len(email) > longest:
            raise ValidationError(
                _(
                    "An e-mail address has at most %(max)d characters; this one "
                    "has %(n)d."
                )
                % {"max": longest, "n": len(email)}
            )
        try:
            punycode(email.rpartition("@")[2])
        except UnicodeError:
            raise ValidationError(
                _("The domain of this address (after the @) cannot receive e-mail.")
            ) from None

        return email

    def format_email_subject(self, subject) -> str:
        """Prefix account e-mails with the site's short name, in their language."""
        return f"[{_('OGP tracker')}] {subject}"

    def send_mail(self, template_prefix, email, context):
        """Render the e-mail now, in the visitor's language, and send it later.

        Sending goes through a background task so a slow mail server never
        holds up a request.
        """
        from community import tasks

        request = context.get("request") or self.request
        full_context = {"request": request, "email": email, **context}
        full_context.setdefault("current_site", self._current_site(request))
        message = self.render_mail(template_prefix, email, full_context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        if message.content_subtype == "html":
            html, text = message.body, ""
        else:
            text = message.body

        transaction.on_commit(
            partial(
                tasks.send_email.enqueue,
                subject=message.subject,
                text=text,
                html=html,
                to=list(message.to),
                from_email=message.from_email,
                headers=dict(message.extra_headers),
            )
        )

    @staticmethod
    def _current_site(request):
        from django.contrib.sites.shortcuts import get_current_site

        # The site's name in the member's language, rather than its host
        # name, in greetings and signatures.
        site = get_current_site(request)
        site.name = _("Open government tracker")
        return site
