"""The conversation shown on a commitment page (the included fragment)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services
from community.models import Comment
from tests.community.conftest import bulk_threads, make_comment

pytestmark = pytest.mark.django_db

FRAGMENT = "community/includes/commitment_section.html"
NO_SUCH_PAGE = "La conversation n’a pas de telle page\u00a0; la page "


def render_section(rf, commitment, user=None, query=""):
    request = rf.get(f"/fr/plans/x/commitments/38/{query}")
    request.user = user or AnonymousUser()
    request.session = {}
    html = render_to_string(
        FRAGMENT, {"commitment": commitment, "request": request}, request=request
    )
    return request, html


def count_queries(rf, commitment, user=None, query=""):
    if user is not None:
        # A fresh user per request, as the authentication middleware gives.
        user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as queries:
        render_section(rf, commitment, user, query)
    return len(queries)


def test_it_shows_comments_replies_and_counts(rf, commitment, member, citizen):
    question = make_comment(commitment, member, "Where is the **report**?")
    make_comment(commitment, citizen, "I wonder too.", parent=question)

    _request, html = render_section(rf, commitment)

    assert "Where is the <strong>report</strong>?" in html or "Where is the" in html
    assert "I wonder too." in html
    assert f'id="comment-{question.pk}"' in html
    assert "2 commentaires" in html or "2 comments" in html


def test_it_asks_anonymous_visitors_to_log_in_and_sets_no_cookie(rf, commitment):
    make_comment(commitment, None, "A comment by a deleted account")

    request, html = render_section(rf, commitment)

    assert "csrfmiddlewaretoken" not in html
    assert "/accounts/login/?next=" in html
    assert not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    assert "compte supprimé" in html or "deleted account" in html


def test_it_gives_members_a_form_with_a_token(rf, commitment, member):
    request, html = render_section(rf, commitment, user=member)

    assert "csrfmiddlewaretoken" in html
    assert f"/comments/on/{commitment.pk}/" in html
    assert 'name="website"' in html


def test_it_shows_placeholders_for_hidden_and_deleted_comments(
    rf, commitment, member, citizen, moderator
):
    hidden = make_comment(commitment, member, "Rude words")
    deleted = make_comment(commitment, member, "Changed my mind")
    reply = make_comment(commitment, citizen, "Reply stays", parent=hidden)
    services.hide_comment(comment=hidden, moderator=moderator, reason="insults")
    services.delete_comment(comment=deleted, user=member)

    _request, html = render_section(rf, commitment)

    assert "Rude words" not in html
    assert "Changed my mind" not in html
    assert "insults" in html
    assert reply.body in html
    assert html.count("community-placeholder") == 2


def test_it_marks_official_answers_with_the_institution(
    rf, commitment, member, editor, ministry
):
    question = make_comment(commitment, member, "When?")
    services.post_comment(
        commitment=commitment,
        author=editor,
        body="Next month.",
        parent=question,
        official_institution=ministry,
    )

    _request, html = render_section(rf, commitment)

    assert ministry.name in html
    assert "community-comment--official" in html


def test_it_offers_the_official_answer_only_to_lead_institution_staff(
    rf, commitment, editor, other_editor, member
):
    make_comment(commitment, member, "A question")

    _request, editor_html = render_section(rf, commitment, user=editor)
    _request, other_html = render_section(rf, commitment, user=other_editor)

    assert 'name="official_institution"' in editor_html
    assert 'name="official_institution"' not in other_html


def test_it_paginates_top_level_comments_twenty_a_page(rf, commitment, member):
    bulk_threads(commitment, member, 45, replies_each=1)

    _request, first = render_section(rf, commitment)
    _request, last = render_section(rf, commitment, query="?comments_page=3")
    _request, beyond = render_section(rf, commitment, query="?comments_page=999")
    _request, junk = render_section(rf, commitment, query="?comments_page=abc")

    assert first.count('class="community-comment"') == 40
    assert last.count('class="community-comment"') == 10
    assert "Comment 44" in first
    assert "Comment 0<" in last
    assert "Comment 0<" in beyond
    assert "Comment 44" in junk
    assert junk.count('class="community-comment"') == 40


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("?comments_page=999", NO_SUCH_PAGE + "3"),
        ("?comments_page=abc", NO_SUCH_PAGE + "1"),
        ("?comments_page=0", NO_SUCH_PAGE + "1"),
        ("?comments_sort=best", "L’ordre demandé est inconnu"),
    ],
)
def test_it_says_which_conversation_parameter_it_ignored(
    rf, commitment, member, query, notice
):
    bulk_threads(commitment, member, 45, replies_each=0)

    _request, html = render_section(rf, commitment, query=query)

    assert notice in html


@pytest.mark.parametrize(
    "query", ["", "?comments_page=3", "?comments_page=1&comments_sort=oldest"]
)
def test_it_shows_no_notice_for_parameters_it_follows(rf, commitment, member, query):
    bulk_threads(commitment, member, 45, replies_each=0)

    _request, html = render_section(rf, commitment, query=query)

    assert 'role="status"' not in html


def test_it_shows_the_conversation_as_it_stood_on_a_past_day(
    rf, commitment, member, citizen
):
    now = timezone.now()
    then = now - datetime.timedelta(days=100)
    asked = make_comment(commitment, citizen, "Old question")
    make_comment(commitment, member, "Old reply", parent=asked)
    make_comment(commitment, citizen, "New question")
    Comment.objects.exclude(body="New question").update(created_at=then)
    # Answered officially since the day: it was still awaiting its answer then.
    Comment.objects.filter(pk=asked.pk).update(answered_at=now)
    day = (then + datetime.timedelta(days=1)).date()

    _request, html = render_section(rf, commitment, member, query=f"?as_of={day}")

    assert "Old question" in html and "Old reply" in html
    assert "New question" not in html
    assert "2 commentaires" in html
    assert "1 en attente d’une réponse officielle" in html
    assert "La conversation telle qu’elle était le" in html
    assert 'name="body"' not in html


def test_it_costs_the_same_queries_on_a_past_day(rf, commitment, citizen):
    bulk_threads(commitment, citizen, 50, replies_each=2)
    day = timezone.localdate() - datetime.timedelta(days=1)

    today = count_queries(rf, commitment)
    past = count_queries(rf, commitment, query=f"?as_of={day}")

    assert past == today


def test_it_sorts_oldest_first_on_request(rf, commitment, member):
    bulk_threads(commitment, member, 3, replies_each=0)

    _request, html = render_section(rf, commitment, query="?comments_sort=oldest")

    assert html.index("Comment 0") < html.index("Comment 2")


def test_it_nests_replies_and_counts_threads_awaiting_an_answer(
    rf, commitment, member, citizen
):
    top = make_comment(commitment, member, "Top")
    first = make_comment(commitment, citizen, "Depth one", parent=top)
    make_comment(commitment, member, "Depth two", parent=first)
    make_comment(commitment, citizen, "Another question")

    _request, html = render_section(rf, commitment)

    assert html.count('class="community-replies ') == 2
    assert "4 commentaires" in html or "4 comments" in html
    assert "2 en attente" in html or "2 awaiting an official answer" in html


# Counts, follow state and institutions of the viewer, page, replies; staff
# of an institution also load the lead institutions they may answer for.
@pytest.mark.parametrize(
    ("user_fixture", "expected"), [(None, 3), ("member", 5), ("editor", 6)]
)
def test_it_costs_the_same_queries_for_5_50_and_the_last_of_5000(
    rf, request, commitment, citizen, user_fixture, expected
):
    user = request.getfixturevalue(user_fixture) if user_fixture else None
    small = commitment
    big = type(commitment).objects.create(plan=commitment.plan, number=40)
    huge = type(commitment).objects.create(plan=commitment.plan, number=41)
    bulk_threads(small, citizen, 5, replies_each=2)
    bulk_threads(big, citizen, 50, replies_each=2)
    bulk_threads(huge, citizen, 5000, replies_each=0)

    counts = [
        count_queries(rf, small, user),
        count_queries(rf, big, user),
        count_queries(rf, big, user, "?comments_page=3"),
        count_queries(rf, huge, user, "?comments_page=250"),
        count_queries(rf, huge, user, "?comments_page=250&comments_sort=oldest"),
    ]

    assert counts == [expected] * 5


def test_it_lists_the_last_page_of_a_hot_commitment(rf, commitment, citizen):
    bulk_threads(commitment, citizen, 5000, replies_each=0)

    _request, html = render_section(rf, commitment, query="?comments_page=250")

    assert html.count('class="community-comment"') == 20
    assert "Comment 0<" in html
    assert "Comment 20<" not in html


def test_it_marks_edited_comments(rf, commitment, member):
    comment = make_comment(commitment, member, "First text")
    comment.edited_at = timezone.now() + datetime.timedelta(minutes=1)
    comment.save()

    _request, html = render_section(rf, commitment)

    assert "community-edited" in html
