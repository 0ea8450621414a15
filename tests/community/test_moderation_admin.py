"""The moderation queue in the admin."""

import pytest
from django.urls import reverse

from community import services
from community.models import Comment, User
from tests.community.conftest import make_comment
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("back_office_in_english")]

QUEUE = "/admin/community/comment/"


def test_it_lists_reported_comments_first(
    login, commitment, moderator, member, citizen
):
    quiet = make_comment(commitment, citizen, "Quiet comment")
    reported = make_comment(commitment, citizen, "Reported comment")
    services.flag_comment(comment=reported, reporter=member, reason="abuse")

    response = login(moderator).get(QUEUE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Reported comment") < html.index(quiet.body)


def test_it_shows_a_comment_with_its_context(login, commitment, moderator, member):
    question = make_comment(commitment, member, "The question")
    reply = make_comment(commitment, member, "The reply", parent=question)
    services.flag_comment(comment=reply, reporter=moderator, reason="spam")

    response = login(moderator).get(f"{QUEUE}{reply.pk}/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "The question" in html
    assert "spam or advertising" in html


def test_it_hides_with_a_public_reason_and_keeps_the_replies(
    login, commitment, moderator, member, citizen
):
    question = make_comment(commitment, member, "Rude question")
    reply = make_comment(commitment, citizen, "Calm reply", parent=question)

    response = login(moderator).post(
        f"{QUEUE}{question.pk}/change/",
        {
            "decision": "hide",
            "reason": "insults",
            "flags-TOTAL_FORMS": "0",
            "flags-INITIAL_FORMS": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )

    question.refresh_from_db()
    assert response.status_code == 302
    assert question.hidden_reason == "insults"
    assert question.hidden_by == moderator
    assert Comment.objects.get(pk=reply.pk).is_visible
    assert Comment.objects.count() == 2


def test_it_requires_a_reason_to_hide(login, commitment, moderator, member):
    comment = make_comment(commitment, member, "Text")

    response = login(moderator).post(
        f"{QUEUE}{comment.pk}/change/",
        {
            "decision": "hide",
            "reason": "",
            "flags-TOTAL_FORMS": "0",
            "flags-INITIAL_FORMS": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )

    comment.refresh_from_db()
    assert response.status_code == 400
    assert "Give the public reason" in response.content.decode()
    assert comment.hidden_at is None


def test_it_hides_several_comments_after_asking_the_reason(
    login, commitment, moderator, member
):
    first = make_comment(commitment, member, "One")
    second = make_comment(commitment, member, "Two")
    client = login(moderator)
    selection = {"action": "hide_selected", "_selected_action": [first.pk, second.pk]}

    asked = client.post(QUEUE, selection)
    done = client.post(QUEUE, {**selection, "reason": "spam wave"})

    assert asked.status_code == 200
    assert "Public reason" in asked.content.decode()
    assert done.status_code == 302
    assert set(Comment.objects.values_list("hidden_reason", flat=True)) == {"spam wave"}


def test_it_restores_a_hidden_comment(login, commitment, moderator, member):
    comment = make_comment(commitment, member, "Text")
    services.hide_comment(comment=comment, moderator=moderator, reason="oops")

    response = login(moderator).post(
        QUEUE, {"action": "restore_selected", "_selected_action": [comment.pk]}
    )

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.is_visible
    assert comment.hidden_reason == ""


def test_it_blocks_the_authors_from_posting(login, commitment, moderator, member):
    comment = make_comment(commitment, member, "Spam")

    login(moderator).post(
        QUEUE, {"action": "block_authors", "_selected_action": [comment.pk]}
    )

    assert User.objects.get(pk=member.pk).is_blocked


def test_it_never_deletes_comments(login, commitment, moderator, coordinator, member):
    comment = make_comment(commitment, member, "Text")

    as_moderator = login(moderator).get(f"{QUEUE}{comment.pk}/delete/")
    as_coordinator = login(coordinator).get(f"{QUEUE}{comment.pk}/delete/")

    assert as_moderator.status_code == 403
    assert as_coordinator.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_it_keeps_editors_out_of_the_queue(login, editor):
    response = login(editor).get(QUEUE)

    assert response.status_code == 403


def test_it_keeps_the_awaiting_counts_consistent(
    commitment, moderator, member, editor, ministry
):
    question = make_comment(commitment, member, "When?")
    answer = services.post_comment(
        commitment=commitment,
        author=editor,
        body="Soon.",
        parent=question,
        official_institution=ministry,
    )

    services.hide_comment(comment=answer, moderator=moderator, reason="wrong")
    after_hiding_answer = services.awaiting_answer_count(commitment=commitment)
    services.restore_comment(comment=answer, moderator=moderator)
    after_restoring = services.awaiting_answer_count(commitment=commitment)
    services.hide_comment(comment=question, moderator=moderator, reason="rude")
    after_hiding_question = services.awaiting_answer_count(commitment=commitment)

    assert (after_hiding_answer, after_restoring, after_hiding_question) == (1, 0, 0)


def test_it_lets_coordinators_manage_members(login, coordinator, member):
    response = login(coordinator).get(
        reverse("admin:community_user_change", args=[member.pk])
    )

    assert response.status_code == 200
    assert "display_name" in response.content.decode()


def test_a_coordinator_cannot_make_anyone_a_superuser(client, coordinator, member):
    client.force_login(coordinator)
    url = f"/admin/community/user/{member.pk}/change/"

    page = client.get(url)

    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    assert 'name="user_permissions"' not in page.content.decode()


def test_a_coordinator_cannot_open_a_superuser_account(client, coordinator):
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(coordinator)

    response = client.get(f"/admin/community/user/{boss.pk}/change/")

    assert response.status_code in {302, 403, 404}
    assert "boss@example.org" not in response.content.decode()


def test_it_says_how_many_comments_the_bulk_action_hid(
    login, commitment, moderator, member
):
    first = make_comment(commitment, member, "One")
    second = make_comment(commitment, member, "Two")
    selection = {"action": "hide_selected", "_selected_action": [first.pk, second.pk]}

    response = login(moderator).post(
        QUEUE, {**selection, "reason": "spam wave"}, follow=True
    )

    page = response.content.decode()
    assert "2 comments hidden." in page
    assert Comment.objects.filter(hidden_at__isnull=False).count() == 2


@pytest.mark.parametrize("with_reason", [True, False])
def test_it_reports_nothing_hidden_when_the_selection_matches_nothing(
    login, commitment, moderator, member, with_reason
):
    comment = make_comment(commitment, member, "Stays")
    data = {"action": "hide_selected", "_selected_action": ["99999"]}
    if with_reason:
        data["reason"] = "spam"

    response = login(moderator).post(QUEUE, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert "None of the selected items exists" in page
    assert "hidden." not in page
    comment.refresh_from_db()
    assert comment.is_visible


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("\u200b\u2060", "only of spaces or invisible characters"),
        ("\u202emaps\u202c", "force the direction of the text"),
    ],
)
def test_it_refuses_an_invisible_or_disguised_public_reason(
    login, commitment, moderator, member, reason, message
):
    comment = make_comment(commitment, member, "Text")
    client = login(moderator)

    one = client.post(
        f"{QUEUE}{comment.pk}/change/",
        {
            "decision": "hide",
            "reason": reason,
            "flags-TOTAL_FORMS": "0",
            "flags-INITIAL_FORMS": "0",
            "revisions-TOTAL_FORMS": "0",
            "revisions-INITIAL_FORMS": "0",
        },
    )
    bulk = client.post(
        QUEUE,
        {
            "action": "hide_selected",
            "_selected_action": [comment.pk],
            "reason": reason,
        },
    )

    comment.refresh_from_db()
    assert one.status_code == 400
    assert message in one.content.decode()
    assert bulk.status_code == 400
    assert message in bulk.content.decode()
    assert comment.hidden_at is None


def test_it_tells_that_nothing_matched_rather_than_report_a_success(
    login, commitment, moderator, member
):
    make_comment(commitment, member, "Stays")
    data = {"action": "block_authors", "_selected_action": ["99999"]}

    response = login(moderator).post(QUEUE, data)

    member.refresh_from_db()
    assert response.status_code == 400
    assert "None of the selected items exists" in response.content.decode()
    assert not member.is_blocked


@pytest.mark.parametrize("action", ["evil", "delete_selected"])
def test_it_refuses_an_action_that_does_not_exist_or_is_not_allowed(
    login, commitment, moderator, member, action
):
    comment = make_comment(commitment, member, "Stays")
    data = {"action": action, "_selected_action": [str(comment.pk)]}

    response = login(moderator).post(QUEUE, data)

    comment.refresh_from_db()
    assert response.status_code == 400
    assert "This action does not exist" in response.content.decode()
    assert comment.is_visible
