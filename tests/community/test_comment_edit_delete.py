"""Authors edit their comments for a while, and delete them for good."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from community import services
from community.models import Comment, CommentRevision
from tests.community.conftest import en_url, make_comment

pytestmark = pytest.mark.django_db


def test_it_lets_the_author_edit_and_keeps_the_earlier_text(login, commitment, member):
    comment = make_comment(commitment, member, "Frist text")

    response = login(member).post(
        en_url("community:comment_edit", comment.pk), {"body": "First text"}
    )

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.body == "First text"
    assert comment.edited_at is not None
    assert CommentRevision.objects.get(comment=comment).body == "Frist text"


def test_it_shows_the_edit_form_to_the_author(login, commitment, member):
    comment = make_comment(commitment, member, "Some text")

    response = login(member).get(en_url("community:comment_edit", comment.pk))

    assert response.status_code == 200
    assert "Some text" in response.content.decode()


def test_it_refuses_to_edit_someone_elses_comment(login, commitment, member, citizen):
    comment = make_comment(commitment, citizen, "Not yours")

    response = login(member).post(
        en_url("community:comment_edit", comment.pk), {"body": "Mine now"}
    )

    comment.refresh_from_db()
    assert response.status_code == 403
    assert "only change your own comments" in response.content.decode()
    assert comment.body == "Not yours"


def test_it_refuses_edits_after_the_window(login, settings, commitment, member):
    settings.OGP_COMMENT_EDIT_MINUTES = 30
    comment = make_comment(commitment, member, "Old text")
    later = timezone.now() + datetime.timedelta(minutes=31)

    with time_machine.travel(later):
        response = login(member).post(
            en_url("community:comment_edit", comment.pk), {"body": "New text"}
        )

    comment.refresh_from_db()
    assert response.status_code == 403
    assert "can be edited for 30 minutes" in response.content.decode()
    assert comment.body == "Old text"


def test_it_refuses_an_empty_edit(login, commitment, member):
    comment = make_comment(commitment, member, "Text")

    response = login(member).post(
        en_url("community:comment_edit", comment.pk), {"body": ""}
    )

    assert response.status_code == 400
    assert Comment.objects.get().body == "Text"


def test_it_leaves_a_placeholder_and_the_replies_on_delete(
    login, commitment, member, citizen
):
    comment = make_comment(commitment, member, "To withdraw")
    reply = make_comment(commitment, citizen, "A reply", parent=comment)

    response = login(member).post(en_url("community:comment_delete", comment.pk))

    comment.refresh_from_db()
    assert response.status_code == 302
    assert comment.deleted_at is not None
    assert Comment.objects.filter(pk=reply.pk).exists()
    assert Comment.objects.count() == 2


def test_it_asks_before_deleting(login, commitment, member):
    comment = make_comment(commitment, member, "To withdraw")

    response = login(member).get(en_url("community:comment_delete", comment.pk))

    assert response.status_code == 200
    assert Comment.objects.get().deleted_at is None


def test_it_refuses_to_delete_someone_elses_comment(login, commitment, member, citizen):
    comment = make_comment(commitment, citizen, "Not yours")

    response = login(member).post(en_url("community:comment_delete", comment.pk))

    assert response.status_code == 403
    assert Comment.objects.get().deleted_at is None


def test_it_counts_a_thread_as_awaiting_again_when_its_answer_is_deleted(
    commitment, member, editor, ministry
):
    question = make_comment(commitment, member, "When?")
    answer = services.post_comment(
        commitment=commitment,
        author=editor,
        body="Soon",
        parent=question,
        official_institution=ministry,
    )
    assert services.awaiting_answer_count(commitment=commitment) == 0

    services.delete_comment(comment=answer, user=editor)

    assert services.awaiting_answer_count(commitment=commitment) == 1


def test_it_sends_to_the_page_of_the_conversation_holding_a_comment(
    client, commitment, member
):
    comments = [make_comment(commitment, member, f"Comment {n}") for n in range(25)]

    response = client.get(en_url("community:comment_detail", comments[0].pk))

    assert response.status_code == 302
    assert "comments_page=2" in response["Location"]
    assert response["Location"].endswith(f"#comment-{comments[0].pk}")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("\u200b\u200b\u2060", "only of spaces or invisible characters"),
        ("Texte \u202eetrausse\u202c", "force the direction of the text"),
    ],
)
def test_it_refuses_an_invisible_or_disguised_edit_and_keeps_the_text(
    login, commitment, member, body, message
):
    comment = make_comment(commitment, member, "Text")

    response = login(member).post(
        en_url("community:comment_edit", comment.pk), {"body": body}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert body in page
    assert Comment.objects.get().body == "Text"
    assert not CommentRevision.objects.exists()
