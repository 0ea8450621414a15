"""A civil-society member signs up, takes part in a conversation, is told of news
and sees a moderator hide a comment while the replies to it stay.

E-mails go to Django's in-memory outbox: the live server runs in the test's
process, so the test reads the confirmation link and the notification there.
"""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from commitments import roles
from community import services as community
from tests.browser.helpers import submit_form_of, tab_to
from tests.browser.scenario import build
from tests.factories import UserFactory

PASSWORD = "un-mot-de-passe-assez-long-42"
EMAIL = "militante@example.org"


def sign_up_and_confirm(
    page, mailoutbox, *, keyboard: bool = False, filled: bool = False
) -> None:
    """Sign up (unless the form is already filled), confirm, then log in."""
    if not filled:
        page.goto("/fr/accounts/signup/")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=display_name]", "Camille")
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
    if keyboard:
        tab_to(page, "form:has(input[name=password1]) [type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    else:
        submit_form_of(page, "input[name=password1]")

    confirmations = [m for m in mailoutbox if EMAIL in m.to]
    assert len(confirmations) == 1, [m.subject for m in mailoutbox]
    link = re.search(r"https?://\S+/confirm-email/\S+", confirmations[0].body)
    assert link, confirmations[0].body
    # Links in e-mails say https (the production address); the live server
    # speaks plain HTTP, so only the path is followed.
    page.goto(urlsplit(link.group(0)).path)
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()

    if page.locator("input[name=password]").count():
        page.fill("input[name=login]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        submit_form_of(page, "input[name=password]")


def test_it_lets_a_member_sign_up_comment_reply_follow_and_be_notified(
    page, editor, mailoutbox
):
    scenario = build(editor)
    neighbour = UserFactory(username="voisin", display_name="Voisin")
    opening = community.post_comment(
        commitment=scenario.own, author=neighbour, body="Quand le prochain jeu ?"
    )
    detail = f"/fr/plans/{scenario.plan.slug}/commitments/{scenario.own.reference}/"

    sign_up_and_confirm(page, mailoutbox)
    page.goto(detail)
    page.fill("#comment-body", "Les fichiers sont-ils documentés ?")
    page.locator("form.community-form [type=submit]").click()
    expect(page.locator("#comments")).to_contain_text("Les fichiers sont-ils")

    thread = page.locator(f"form[action$='/comments/{opening.pk}/reply/']")
    thread.locator("xpath=ancestor::details").locator("summary").click()
    thread.locator("textarea[name=body]").fill("Je me pose la même question.")
    thread.locator("[type=submit]").click()
    expect(page.locator("#comments")).to_contain_text("la même question")

    page.locator("form.community-follow [type=submit]").click()
    expect(page.locator("form.community-follow input[name=action]")).to_have_value(
        "unfollow"
    )

    # The ministry answers the member officially: a reply and an official
    # answer on a commitment the member follows.
    mailoutbox.clear()
    mine = scenario.own.comments.get(body__startswith="Les fichiers")
    community.post_comment(
        commitment=scenario.own,
        author=editor,
        body="Oui, un dictionnaire des données est publié.",
        parent=mine,
        official_institution=scenario.ministry,
    )
    notices = [m for m in mailoutbox if EMAIL in m.to]
    assert len(notices) == 1, [m.subject for m in mailoutbox]
    link = re.search(r"https?://\S+/comments/\d+/", notices[0].body)
    assert link, notices[0].body
    page.goto(urlsplit(link.group(0)).path)
    expect(page.locator("#comments")).to_contain_text("dictionnaire des données")

    # A moderator hides the opening comment: a dated notice with the public
    # reason takes its place, and the member's reply to it stays visible.
    moderator = UserFactory(
        username="moderatrice", is_staff=True, roles=[roles.MODERATORS]
    )
    community.hide_comment(comment=opening, moderator=moderator, reason="Hors sujet")
    page.goto(detail)
    comments = page.locator("#comments")
    expect(comments).to_contain_text("Masqué par la modération le")
    expect(comments).to_contain_text("Hors sujet")
    expect(comments).to_contain_text("Je me pose la même question.")
    expect(comments).not_to_contain_text("Quand le prochain jeu")


def test_it_lets_a_keyboard_user_sign_up_comment_and_follow(page, editor, mailoutbox):
    scenario = build(editor)
    detail = f"/fr/plans/{scenario.plan.slug}/commitments/{scenario.own.reference}/"

    page.goto("/fr/accounts/signup/")
    for selector, text in (
        ("input[name=email]", EMAIL),
        ("input[name=display_name]", "Camille"),
        ("input[name=password1]", PASSWORD),
        ("input[name=password2]", PASSWORD),
    ):
        tab_to(page, selector)
        page.keyboard.type(text)
    sign_up_and_confirm(page, mailoutbox, keyboard=True, filled=True)
    page.goto(detail)
    tab_to(page, "#comment-body")
    page.keyboard.type("Une question posée au clavier.")
    tab_to(page, "form.community-form [type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#comments")).to_contain_text("posée au clavier")
    tab_to(page, "form.community-follow [type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator("form.community-follow input[name=action]")).to_have_value(
        "unfollow"
    )
