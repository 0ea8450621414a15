"""Posting comments and replies: the rules, bad input and abuse limits."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import services
from community.models import Comment
from ogp_tracker import pagecache
from tests.community.conftest import bulk_threads, en_url, make_comment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def markup_of(html):
    """Return the (tag, attributes) of every element of html, text aside."""
    parser = _Markup()
    parser.feed(html)
    return parser.tags


def post_url(commitment):
    return en_url("community:comment_create", commitment.pk)


def reply_url(comment):
    return en_url("community:comment_reply", comment.pk)


def test_it_publishes_a_comment_and_shows_it(login, commitment, member):
    client = login(member)

    response = client.post(post_url(commitment), {"body": "Where is the report?"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == en_url("community:comment_detail", comment.pk)
    assert comment.author == member
    assert comment.depth == 0
    assert comment.body_html == "<p>Where is the report?</p>"


def test_it_refuses_get(login, commitment, member):
    response = login(member).get(post_url(commitment))

    assert response.status_code == 405


def test_it_sends_anonymous_visitors_to_the_login_page(client, commitment):
    response = client.post(post_url(commitment), {"body": "Hello"})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Comment.objects.exists()


def test_it_answers_404_for_an_unknown_commitment(login, member):
    response = login(member).post(
        en_url("community:comment_create", 999999), {"body": "Hello"}
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "This field is required."),
        ("   \n ", "This field is required."),
        ("x" * 100_000, "A comment is at most 10,000 characters long"),
        ("***", "Write something before posting."),
    ],
)
def test_it_refuses_empty_or_huge_bodies(login, commitment, member, body, message):
    response = login(member).post(post_url(commitment), {"body": body})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>Hi",
        "[click](javascript:alert(1))",
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        "[y](java\tscript:alert(1))",
        '<img src=x onerror="alert(1)">',
        '<p onclick="alert(1)" style="color:red">styled</p>',
        "[data](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_it_sanitises_whatever_the_spelling(login, commitment, member, body):
    login(member).post(post_url(commitment), {"body": body + " unique"})

    tags = markup_of(Comment.objects.get().body_html)
    assert {name for name, _attributes in tags} <= {"p", "a"}
    attributes = {name: value for _tag, pairs in tags for name, value in pairs}
    assert set(attributes) <= {"href", "rel"}
    assert not attributes.get("href", "").lower().startswith(("javascript", "data"))


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (
            "See <iframe src=//example.org> then the rest.\n\nA stray </p> here.",
            "<p>See &lt;iframe src=//example.org&gt; then the rest.</p>\n"
            "<p>A stray &lt;/p&gt; here.</p>",
        ),
        (
            "<script>alert(1)</script> stays",
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; stays</p>",
        ),
        ("a <b>tag</b> & more", "<p>a &lt;b&gt;tag&lt;/b&gt; &amp; more</p>"),
    ],
)
def test_it_shows_html_in_a_comment_as_typed(login, commitment, member, body, shown):
    login(member).post(post_url(commitment), {"body": body})

    assert Comment.objects.get().body_html == shown


def test_it_keeps_the_markdown_subset(login, commitment, member):
    body = "**bold** and *it* and [link](https://example.org)\n\n> quote\n\n# Title"

    login(member).post(post_url(commitment), {"body": body})

    html = Comment.objects.get().body_html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "<blockquote>" in html
    assert "<h1>" not in html


def test_it_refuses_the_same_comment_twice(login, commitment, other_commitment, member):
    client = login(member)
    client.post(post_url(commitment), {"body": "Same words"})

    again = client.post(post_url(commitment), {"body": "  same   WORDS "})
    elsewhere = client.post(post_url(other_commitment), {"body": "Same words"})

    assert again.status_code == 400
    assert "You have already posted this same comment." in again.content.decode()
    assert elsewhere.status_code == 400
    assert Comment.objects.count() == 1


def test_it_rejects_a_filled_bot_trap(login, commitment, member):
    response = login(member).post(
        post_url(commitment), {"body": "Buy now", "website": "http://spam.example"}
    )

    assert response.status_code == 400
    assert "looks automated" in response.content.decode()
    assert not Comment.objects.exists()


def test_it_refuses_blocked_accounts(login, commitment, member, moderator):
    services.block_user(user=member, moderator=moderator, reason="spam")

    response = login(member).post(post_url(commitment), {"body": "Let me in"})

    assert response.status_code == 403
    assert "blocked from posting" in response.content.decode()
    assert not Comment.objects.exists()


def test_it_limits_the_posting_rate_per_account(
    login, settings, commitment, member, citizen
):
    settings.OGP_COMMENT_RATE_LIMIT = 2
    client = login(member)
    first = client.post(post_url(commitment), {"body": "one"})
    second = client.post(post_url(commitment), {"body": "two"})

    third = client.post(post_url(commitment), {"body": "three"})
    someone_else = login(citizen).post(post_url(commitment), {"body": "four"})

    assert (first.status_code, second.status_code) == (302, 302)
    assert third.status_code == 429
    assert 0 < int(third["Retry-After"]) <= settings.OGP_COMMENT_RATE_WINDOW + 1
    page = third.content.decode()
    assert "Your text is kept below" in page
    assert "three</textarea>" in page
    assert someone_else.status_code == 302
    assert Comment.objects.count() == 3


def test_it_posts_a_reply_in_the_thread(login, commitment, member, citizen):
    question = make_comment(commitment, citizen, "Question")

    response = login(member).post(reply_url(question), {"body": "An answer"})

    reply = Comment.objects.get(parent=question)
    assert response.status_code == 302
    assert (reply.root_id, reply.depth) == (question.pk, 1)


def test_it_attaches_replies_beyond_the_depth_limit_to_the_deepest_level(
    login, commitment, member, citizen
):
    comment = make_comment(commitment, citizen, "Level 0")
    for level in range(1, Comment.MAX_DEPTH + 1):
        comment = make_comment(commitment, citizen, f"Level {level}", parent=comment)

    login(member).post(reply_url(comment), {"body": "Too deep"})

    reply = Comment.objects.get(body="Too deep")
    assert reply.depth == Comment.MAX_DEPTH
    assert reply.parent_id == comment.parent_id


def test_it_shows_a_reply_form_page(login, commitment, member, citizen):
    question = make_comment(commitment, citizen, "Question")

    response = login(member).get(reply_url(question))

    assert response.status_code == 200
    assert 'name="body"' in response.content.decode()


@pytest.mark.parametrize("state", ["hidden", "deleted"])
def test_it_refuses_replies_to_hidden_or_deleted_comments(
    login, commitment, member, citizen, moderator, state
):
    question = make_comment(commitment, citizen, "Question")
    if state == "hidden":
        services.hide_comment(comment=question, moderator=moderator, reason="rude")
    else:
        services.delete_comment(comment=question, user=citizen)

    response = login(member).post(reply_url(question), {"body": "Reply"})

    assert response.status_code == 400
    assert "takes no replies" in response.content.decode()
    assert Comment.objects.count() == 1


def test_it_answers_404_for_a_reply_to_a_missing_comment(login, member):
    response = login(member).post(
        en_url("community:comment_reply", 424242), {"body": "Reply"}
    )

    assert response.status_code == 404


def test_it_refuses_a_parent_from_another_commitment(
    commitment, other_commitment, member, citizen
):
    question = make_comment(other_commitment, citizen, "Elsewhere")

    with pytest.raises(services.CommunityError) as refused:
        services.post_comment(
            commitment=commitment, author=member, body="Reply", parent=question
        )

    assert refused.value.status == 400
    assert "another commitment" in refused.value.message


def test_it_records_an_official_answer(login, commitment, editor, member, ministry):
    question = make_comment(commitment, member, "When?")

    response = login(editor).post(
        reply_url(question), {"body": "In May.", "official_institution": ministry.pk}
    )

    answer = Comment.objects.get(parent=question)
    question.refresh_from_db()
    assert response.status_code == 302
    assert answer.official_institution == ministry
    assert question.answered_at == answer.created_at
    assert services.awaiting_answer_count(commitment=commitment) == 0


def test_it_refuses_official_answers_from_other_institutions(
    login, commitment, other_editor, member, other_ministry
):
    question = make_comment(commitment, member, "When?")

    response = login(other_editor).post(
        reply_url(question),
        {"body": "Not ours.", "official_institution": other_ministry.pk},
    )

    assert response.status_code == 403
    assert "answer officially" in response.content.decode()
    assert not Comment.objects.filter(official_institution__isnull=False).exists()


def test_it_refuses_an_official_top_level_comment(commitment, editor, ministry):
    with pytest.raises(services.CommunityError) as refused:
        services.post_comment(
            commitment=commitment,
            author=editor,
            body="Statement",
            official_institution=ministry,
        )

    assert "replies to a comment" in refused.value.message


def post_and_count(client, commitment, body):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(post_url(commitment), {"body": body})
    assert response.status_code == 302
    return len(queries)


def test_it_posts_with_a_small_constant_number_of_queries(
    login, commitment, other_commitment, member, citizen
):
    bulk_threads(commitment, citizen, 5)
    bulk_threads(other_commitment, citizen, 50)
    client = login(member)

    counts = [
        post_and_count(client, commitment, "first body"),
        post_and_count(client, other_commitment, "second body"),
    ]

    assert counts[0] == counts[1]
    assert counts[0] <= 10


def test_it_does_not_notify_inside_the_request(
    login, commitment, member, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    question = make_comment(commitment, citizen, "Question")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        login(member).post(reply_url(question), {"body": "Reply"})

    assert mailoutbox == []
    assert len([c for c in callbacks if c is not pagecache.retire_pages]) == 1
    assert Comment.objects.get(parent=question).created_at <= timezone.now()


@pytest.mark.parametrize(
    "body",
    [
        "\u200b\u200b\u2060",
        "  \u200d \u200d  ",
        "\u3164\u2800",
        "&#8203;&zwj;",
        "**\u200b**",
    ],
)
def test_it_refuses_a_comment_made_only_of_invisible_characters(
    login, commitment, member, body
):
    client = login(member)

    response = client.post(post_url(commitment), {"body": body})

    page = response.content.decode()
    assert response.status_code == 400
    assert "only of spaces or invisible characters" in page
    assert "<textarea" in page
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "Le rapport est en ligne \u202eelbissecca\u202c ici",
        "Voir \u202aceci\u202b et \u202dcela",
        "Nom : \u2066x\u2069 \u2067y\u2069 \u2068z\u2069",
        "[le rapport](https://example.org) &#8238;fdp.exe",
    ],
)
def test_it_refuses_direction_override_characters_and_keeps_the_text(
    login, commitment, member, body
):
    client = login(member)

    response = client.post(post_url(commitment), {"body": body})

    page = response.content.decode()
    assert response.status_code == 400
    assert "force the direction of the text" in page
    assert "Arabic or Hebrew needs none of them" in page
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "متى يُنشر التقرير؟",
        "מתי יפורסם הדוח?",
        "Le rapport (\u200fمتى؟\u200f) \u200eest prêt\u200e",
        "Bravo \U0001f469\u200d\U0001f4bb et می\u200cخواهم",
    ],
)
def test_it_accepts_right_to_left_writing_and_joiners_inside_text(
    login, commitment, member, body
):
    client = login(member)

    response = client.post(post_url(commitment), {"body": body})

    assert response.status_code == 302
    assert Comment.objects.get().body == body


def test_it_refuses_an_invisible_reply(login, commitment, member, citizen):
    question = make_comment(commitment, citizen, "Question")

    response = login(member).post(reply_url(question), {"body": "\u200b\u2060"})

    assert response.status_code == 400
    assert "only of spaces or invisible characters" in response.content.decode()
    assert Comment.objects.count() == 1


def test_it_tells_a_blocked_member_of_the_block_rather_than_the_rate_limit(
    login, settings, commitment, member, moderator
):
    settings.OGP_COMMENT_RATE_LIMIT = 1
    client = login(member)
    client.post(post_url(commitment), {"body": "one"})
    client.post(post_url(commitment), {"body": "two"})
    services.block_user(user=member, moderator=moderator, reason="spam")

    response = client.post(post_url(commitment), {"body": "three"})

    page = response.content.decode()
    assert response.status_code == 403
    assert "blocked from posting" in page
    assert "Retry-After" not in response
    assert Comment.objects.count() == 1
