"""The dashboard's and institution page's counts of unanswered comments."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from community import services
from community.models import Comment
from tests.community.conftest import bulk_threads, make_comment
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


def render(rf, template, user=None, **context):
    request = rf.get("/fr/")
    request.user = user or AnonymousUser()
    request.session = {}
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            f"community/includes/{template}", {"request": request, **context}, request
        )
    return html, len(queries), request


def test_it_counts_a_plans_comments_awaiting_an_answer(
    rf, plan, commitment, other_commitment, member, editor, ministry
):
    answered = make_comment(commitment, member, "Answered")
    services.post_comment(
        commitment=commitment,
        author=editor,
        body="Answer",
        parent=answered,
        official_institution=ministry,
    )
    make_comment(commitment, member, "Waiting here")
    make_comment(other_commitment, member, "Waiting there")

    html, _count, request = render(rf, "dashboard_section.html", plan=plan)

    assert "2 comments awaiting" in html or "2 commentaires" in html
    assert "Waiting here" in html
    assert "Answered" not in html
    assert "csrfmiddlewaretoken" not in html
    assert not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


def test_it_counts_a_past_days_comments_awaiting_an_answer_as_they_were(
    rf, plan, commitment, member
):
    day = datetime.date(2022, 6, 30)
    then = timezone.make_aware(datetime.datetime(2022, 6, 1, 12, 0))
    later = timezone.make_aware(datetime.datetime(2022, 9, 1, 12, 0))
    make_comment(commitment, member, "Answered later", answered_at=later)
    make_comment(commitment, member, "Answered then", answered_at=then)
    make_comment(commitment, member, "Posted since")
    Comment.objects.filter(body__startswith="Answered").update(created_at=then)

    with translation.override("en"):
        html, _count, _request = render(
            rf, "dashboard_section.html", plan=plan, as_of=day
        )

    assert "At the end of June 30, 2022:" in html
    assert "1 comment awaiting" in html
    assert "Answered later" in html
    assert "Answered then" not in html
    assert "Posted since" not in html


def test_it_counts_an_institutions_comments_awaiting_its_answer(
    rf, ministry, commitment, other_commitment, member
):
    make_comment(commitment, member, "For ministry A")
    make_comment(other_commitment, member, "For ministry B")

    html, _count, _request = render(
        rf, "institution_section.html", institution=ministry
    )

    assert "1 comment awaiting" in html or "1 commentaire" in html
    assert "For ministry A" in html
    assert "For ministry B" not in html


def test_it_shows_a_follow_button_to_members(rf, plan, member):
    html, _count, _request = render(
        rf, "dashboard_section.html", plan=plan, user=member
    )

    assert f"/follow/plan/{plan.pk}/" in html


@pytest.mark.parametrize("template", ["dashboard_section.html"])
def test_it_costs_the_same_queries_at_ten_times_the_data(rf, plan, member, template):
    small = CommitmentFactory(plan=plan)
    big = CommitmentFactory(plan=plan)
    bulk_threads(small, member, 5, replies_each=0)
    _html, before, _request = render(rf, template, plan=plan)
    bulk_threads(big, member, 50, replies_each=2)

    _html, after, _request = render(rf, template, plan=plan)

    assert before == after == 2
    assert Comment.objects.count() == 155


def test_it_costs_the_same_queries_for_an_institution(rf, ministry, member):
    first = CommitmentFactory(lead_institutions=[ministry])
    second = CommitmentFactory(lead_institutions=[ministry])
    bulk_threads(first, member, 5, replies_each=0)
    _html, before, _request = render(
        rf, "institution_section.html", institution=ministry
    )
    bulk_threads(second, member, 50, replies_each=0)

    _html, after, _request = render(
        rf, "institution_section.html", institution=ministry
    )

    assert before == after == 2


def test_it_renders_nothing_without_a_plan(rf):
    html, count, _request = render(rf, "dashboard_section.html", plan=None)

    assert html.strip() == ""
    assert count == 0


def test_it_annotates_commitment_lists_with_comment_counts(
    commitment, other_commitment, member
):
    make_comment(commitment, member, "One")
    make_comment(commitment, member, "Two")

    rows = services.annotate_comment_counts(
        type(commitment).objects.filter(pk__in=[commitment.pk, other_commitment.pk])
    ).order_by("number")

    assert [(row.comments_count, row.comments_awaiting_answer) for row in rows] == [
        (2, 2),
        (0, 0),
    ]
