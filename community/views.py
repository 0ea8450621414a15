"""Pages of the community: posting, editing and reporting comments, follows,
the member's profile, data export and account deletion, and unsubscribing."""

import json
import logging

from allauth.account.views import ConfirmEmailView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from commitments.models import Commitment
from community import links, notifications, ratelimit, services, threads
from community.forms import (
    CommentEditForm,
    CommentForm,
    DeleteAccountForm,
    FlagForm,
    ProfileForm,
)
from community.models import Comment, User

logger = logging.getLogger(__name__)

GET_OR_POST = require_http_methods(["GET", "HEAD", "POST"])


def refusal(request, message: str, *, status: int = 400) -> HttpResponse:
    """Answer with a page that explains why the action was refused."""
    context = {"message": message, "back_url": _safe_referer(request)}
    return render(request, "community/refused.html", context, status=status)


def _safe_referer(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}
    ):
        return referer
    return ""


def too_many_requests(request, retry_after: int = 60) -> HttpResponse:
    """Answer 429 with a translated page and how long to wait."""
    minutes = max(1, -(-retry_after // 60))
    context = {"retry_after": retry_after, "minutes": minutes}
    response = render(request, "community/429.html", context, status=429)
    response["Retry-After"] = str(retry_after)

    return response


def _posting_wait(request) -> int | None:
    """Count a post; return the seconds to wait when the member posts too fast."""
    wait = ratelimit.hit(
        "comment",
        str(request.user.pk),
        limit=settings.OGP_COMMENT_RATE_LIMIT,
        window=settings.OGP_COMMENT_RATE_WINDOW,
    )
    if wait is not None:
        logger.warning("comment rate limit hit user=%s", request.user.pk)
    return wait


def _held_back(request, form, wait: int, **page) -> HttpResponse:
    """Answer 429 with the member's text still in the form, to post later."""
    minutes = max(1, -(-wait // 60))
    message = ngettext(
        "You have posted often in a short time. Your text is kept below: wait "
        "%(minutes)s minute, then publish it again.",
        "You have posted often in a short time. Your text is kept below: wait "
        "%(minutes)s minutes, then publish it again.",
        minutes,
    ) % {"minutes": minutes}
    form.add_error(None, message)
    response = _comment_form_page(request, form, status=429, **page)
    response["Retry-After"] = str(wait)

    return response


# Comments ---------------------------------------------------------------------


def _comment_form_page(request, form, *, commitment, parent=None, status=200):
    context = {"form": form, "commitment": commitment, "parent": parent}
    return render(request, "community/comment_form.html", context, status=status)


def _submit(request, commitment, parent=None) -> HttpResponse:
    """Validate and post a comment or reply from request.POST."""
    institutions = services.official_institutions_for(request.user, commitment)
    form = CommentForm(request.POST, institutions=institutions)
    # A blocked account hears that it is blocked, not that it should wait and
    # try again; its attempts do not count towards the rate limit either.
    try:
        services.check_can_post(request.user)
    except services.CommunityError as error:
        form.add_error(None, error.message)
        return _comment_form_page(
            request, form, commitment=commitment, parent=parent, status=error.status
        )
    wait = _posting_wait(request)
    if wait is not None:
        return _held_back(request, form, wait, commitment=commitment, parent=parent)
    if form.caught_a_bot:
        logger.warning("comment bot trap caught user=%s", request.user.pk)
        return refusal(request, _("Your comment looks automated; it was not posted."))
    if not form.is_valid():
        return _comment_form_page(
            request, form, commitment=commitment, parent=parent, status=400
        )
    official = None
    if request.POST.get("official_institution"):
        chosen = form.cleaned_data.get("official_institution")
        official = next((i for i in institutions if i.pk == chosen), None)
        if official is None:
            message = _(
                "Only staff of this commitment's lead institutions answer officially."
            )
            return refusal(request, message, status=403)

    try:
        comment = services.post_comment(
            commitment=commitment,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            official_institution=official,
        )
    except services.CommunityError as error:
        form.add_error(None, error.message)
        return _comment_form_page(
            request, form, commitment=commitment, parent=parent, status=error.status
        )
    return HttpResponseRedirect(reverse("community:comment_detail", args=[comment.pk]))


@login_required
@require_POST
def comment_create(request: HttpRequest, commitment_pk: int) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related("plan"), pk=commitment_pk
    )
    return _submit(request, commitment)


@login_required
@GET_OR_POST
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_object_or_404(
        Comment.objects.select_related("commitment__plan", "parent", "author"), pk=pk
    )
    commitment = parent.commitment
    if request.method == "POST":
        return _submit(request, commitment, parent)

    if not parent.is_visible:
        return refusal(
            request, _("This comment is no longer shown; it takes no replies.")
        )
    institutions = services.official_institutions_for(request.user, commitment)
    form = CommentForm(institutions=institutions)

    return _comment_form_page(request, form, commitment=commitment, parent=parent)


@require_http_methods(["GET", "HEAD"])
def comment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the visitor to the page of the conversation that shows a comment."""
    comment = get_object_or_404(
        Comment.objects.select_related("commitment__plan"), pk=pk
    )
    page = threads.page_of(comment)
    url = links.comments_url(
        comment.commitment, page=page, anchor=f"comment-{comment.pk}"
    )

    return HttpResponseRedirect(url)


def _own_comment(request, pk) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related("commitment__plan"), pk=pk
    )
    if comment.author_id != request.user.pk:
        raise services.CommunityError(
            _("You can only change your own comments."), status=403
        )
    return comment


@login_required
@GET_OR_POST
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        comment = _own_comment(request, pk)
    except services.CommunityError as error:
        return refusal(request, error.message, status=error.status)

    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_comment(
                comment=comment, user=request.user, body=form.cleaned_data["body"]
            )
        except services.CommunityError as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            return HttpResponseRedirect(
                reverse("community:comment_detail", args=[comment.pk])
            )
    elif request.method == "POST":
        status = 400

    context = {"form": form, "comment": comment, "commitment": comment.commitment}
    return render(request, "community/comment_edit.html", context, status=status)


@login_required
@GET_OR_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        comment = _own_comment(request, pk)
    except services.CommunityError as error:
        return refusal(request, error.message, status=error.status)

    if request.method == "POST":
        try:
            services.delete_comment(comment=comment, user=request.user)
        except services.CommunityError as error:
            return refusal(request, error.message, status=error.status)
        return HttpResponseRedirect(
            reverse("community:comment_detail", args=[comment.pk])
        )

    context = {"comment": comment, "commitment": comment.commitment}
    return render(request, "community/comment_delete.html", context)


@login_required
@GET_OR_POST
def comment_flag(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("commitment__plan", "author"), pk=pk
    )
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_comment(
                comment=comment,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                details=form.cleaned_data["details"],
            )
        except services.CommunityError as error:
            return refusal(request, error.message, status=error.status)
        context = {"comment": comment, "commitment": comment.commitment}
        return render(request, "community/comment_flagged.html", context)
    elif request.method == "POST":
        status = 400

    context = {"form": form, "comment": comment, "commitment": comment.commitment}
    return render(request, "community/comment_flag.html", context, status=status)


# Follows ----------------------------------------------------------------------


@login_required
@require_POST
def follow_toggle(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = services.FOLLOWABLE.get(kind)
    if model is None:
        raise Http404
    target = get_object_or_404(model, pk=pk)

    action = request.POST.get("action", "follow")
    if action == "unfollow":
        services.unfollow(user=request.user, target=target)
    elif action == "follow":
        services.follow(user=request.user, target=target)
    else:
        return refusal(request, _("This button does not exist; nothing was changed."))

    return HttpResponseRedirect(_back_to(request, target))


def _back_to(request, target) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    if isinstance(target, Commitment):
        return links.commitment_url(target)
    return reverse("community:profile")


# Profile ----------------------------------------------------------------------


@login_required
@GET_OR_POST
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile is saved."))
            return HttpResponseRedirect(reverse("community:profile"))
        status = 400

    follows = request.user.follows.select_related(
        "commitment__plan", "institution", "plan"
    )
    context = {"form": form, "follows": follows}
    return render(request, "community/profile.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def profile_export(request: HttpRequest) -> HttpResponse:
    """Download everything the site holds about the member, as JSON."""
    data = services.export_user_data(request.user)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="ogp-tracker-my-data-{stamp}.json"'
    )
    response["Cache-Control"] = "private, no-store"

    logger.info("data exported user=%s", request.user.pk)
    return response


@login_required
@GET_OR_POST
def profile_delete(request: HttpRequest) -> HttpResponse:
    if request.user.is_staff:
        message = _(
            "Staff accounts are closed by a coordinator, so that official "
            "records keep their author. Please ask a coordinator."
        )
        return refusal(request, message, status=403)

    form = DeleteAccountForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            services.delete_account(user)
            return render(request, "community/profile_deleted.html")
        status = 400

    context = {"form": form}
    return render(request, "community/profile_delete.html", context, status=status)


# Unsubscribe --------------------------------------------------------------------


@csrf_exempt
@GET_OR_POST
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Turn off e-mails from a signed link; no login needed.

    Opening the link (GET) only asks for confirmation: mail scanners and link
    previews fetch links without anyone clicking, and must not unsubscribe
    anybody. A POST unsubscribes. The link carries its own proof (a
    signature), so it needs no CSRF token: mail clients post to it directly
    for RFC 8058 one-click unsubscribing.
    """
    try:
        user_id = notifications.read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return _bad_link(request, expired=True)
    except signing.BadSignature:
        return _bad_link(request, expired=False)

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return _bad_link(request, expired=False, status=404)

    if request.method == "GET":
        context = {"asking": True, "frequency": user.notification_frequency}
        return render(request, "community/unsubscribe.html", context)
    action = request.POST.get("action", "unsubscribe")
    if action not in ("unsubscribe", "resubscribe"):
        message = _("This page cannot do what was asked; your e-mails are unchanged.")
        return refusal(request, message)
    if action == "resubscribe":
        services.restart_emails(user, request.POST.get("frequency", ""))
        context = {"resubscribed": True, "frequency": user.notification_frequency}
        return render(request, "community/unsubscribe.html", context)
    before = services.stop_all_emails(user)

    context = {"before": before}
    return render(request, "community/unsubscribe.html", context)


def _bad_link(request, *, expired: bool, status: int = 400) -> HttpResponse:
    context = {"expired": expired}
    if expired:
        status = 410
    return render(request, "community/unsubscribe_invalid.html", context, status=status)


# E-mail confirmation ----------------------------------------------------------


class EmailConfirmView(ConfirmEmailView):
    """allauth's e-mail confirmation page, with a 404 and a way on for a bad link.

    allauth answers a forged, expired or already used link with a 200 and
    sends for a new link to a page that needs a login first. Here such a link
    answers 404 and says that logging in sends a new confirmation e-mail.
    """

    invalid_template_name = "community/email_confirm_invalid.html"

    def post(self, *args, **kwargs) -> HttpResponse:
        try:
            return super().post(*args, **kwargs)
        except Http404:
            self.object = None
            return self.render_to_response(self.get_context_data())

    def get_template_names(self) -> list[str]:
        if self.object is None:
            return [self.invalid_template_name]
        return super().get_template_names()

    def render_to_response(self, context, **kwargs) -> HttpResponse:
        if self.object is None:
            kwargs["status"] = 404
        return super().render_to_response(context, **kwargs)


email_confirm = EmailConfirmView.as_view()
