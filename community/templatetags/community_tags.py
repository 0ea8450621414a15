"""Template tags that put the community's sections into the public pages.

Each tag does a fixed number of queries whatever the number of comments, and
shows anonymous visitors links rather than forms, so a page seen anonymously
sets no cookie and can be cached.
"""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments import asof
from community import services, threads
from community.forms import CommentForm
from community.models import Comment

register = template.Library()

AWAITING_LISTED = 5


def _viewer(context):
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    return request, user


def _follow_context(user, target) -> dict:
    return {
        "follow_kind": services.follow_kind(target),
        "follow_target": target,
        "following": services.is_following(user, target),
    }


def _ignored_parameters(params, page) -> list[str]:
    """Say which conversation parameters of the address were not followed."""
    ignored = []
    asked_page = params.get("comments_page", "").strip()
    if asked_page and asked_page != str(page.number):
        ignored.append(
            _("The conversation has no such page; page %(number)s is shown.")
            % {"number": page.number}
        )
    asked_sort = params.get("comments_sort", "").strip()
    if asked_sort and asked_sort not in threads.SORTS:
        ignored.append(
            _("The order asked for is unknown; the newest threads are shown first.")
        )

    return ignored


@register.inclusion_tag("community/includes/comments.html", takes_context=True)
def comment_section(context, commitment):
    """Show one page of a commitment's conversation, with its forms."""
    request, user = _viewer(context)
    params = request.GET if request is not None else {}
    day, _errors = asof.read_as_of(params)
    page = threads.load_page(
        commitment,
        page=threads.parse_page(params.get("comments_page")),
        sort=threads.parse_sort(params.get("comments_sort")),
        before=asof.end_of(day) if day else None,
    )
    result = {
        "commitment": commitment,
        "page": page,
        "ignored": _ignored_parameters(params, page),
        "as_of": day,
        "request": request,
        "user": user,
        "max_depth": Comment.MAX_DEPTH,
        "authenticated": user.is_authenticated,
        "login_path": request.get_full_path() if request is not None else "",
    }
    if not user.is_authenticated or day:
        # A past day's conversation is read only: nobody posts into the past.
        result["authenticated"] = False
        return result

    institutions = services.official_institutions_for(user, commitment)
    now = timezone.now()
    for comment in _walk(page.threads):
        comment.is_mine = comment.author_id == user.pk
        comment.editable = comment.is_mine and services.can_still_edit(comment, now)
    result.update(
        _follow_context(user, commitment),
        csrf_token=context.get("csrf_token"),
        form=CommentForm(institutions=[]),
        reply_form=CommentForm(institutions=institutions),
        can_answer=bool(institutions),
        blocked=user.is_blocked,
    )

    return result


def _walk(comments):
    for comment in comments:
        yield comment
        yield from _walk(getattr(comment, "children", []))


@register.inclusion_tag("community/includes/awaiting.html", takes_context=True)
def awaiting_answers(context, plan=None, institution=None):
    """Count and list the comments still waiting for an official answer.

    On a page showing a past day (as_of in the context), count as then: the
    comments posted by the end of that day and not yet answered at that time.
    """
    request, user = _viewer(context)
    target = institution or plan
    day = context.get("as_of")
    comments = Comment.objects.awaiting_answer(before=asof.end_of(day) if day else None)
    if institution is not None:
        comments = comments.filter(commitment__in=institution.led_commitments.all())
    elif plan is not None:
        comments = comments.filter(commitment__plan=plan)
    else:
        comments = comments.none()

    # The oldest are picked from the index alone, then read whole.
    oldest = comments.order_by("created_at", "id").values("pk")[:AWAITING_LISTED]
    result = {
        "count": comments.count() if target is not None else 0,
        "oldest": list(
            Comment.objects.filter(pk__in=Subquery(oldest))
            .select_related("commitment__plan", "author")
            .order_by("created_at", "id")
        ),
        "target": target,
        "as_of": day,
        "authenticated": user.is_authenticated,
        "request": request,
        "login_path": request.get_full_path() if request is not None else "",
    }
    if target is not None and user.is_authenticated:
        result.update(
            _follow_context(user, target), csrf_token=context.get("csrf_token")
        )

    return result


@register.filter
def comment_url(comment) -> str:
    """Return the permanent address of a comment."""
    from django.urls import reverse

    return reverse("community:comment_detail", args=[comment.pk])


@register.simple_tag
def commitment_link(commitment) -> str:
    from community import links

    return links.commitment_url(commitment)
