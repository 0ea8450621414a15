"""A ministry editor reports progress in the back-office, and only on their own work."""

import re

from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from tests.browser.helpers import submit_form_of
from tests.browser.scenario import build

PASSWORD = "a-long-test-password"


def log_in_to_the_back_office(page, user) -> None:
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    page.goto("/admin/")
    # The admin sends to the public login page, with its rate limits.
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    submit_form_of(page, "input[name=password]")
    if not page.url.rstrip("/").endswith("/admin"):
        page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()


def record_progress_in_the_back_office(page, scenario) -> None:
    own = scenario.own
    page.goto(f"/admin/commitments/commitment/{own.pk}/change/")
    page.locator("a[href*='progressupdate/add/?commitment=']").first.click()
    expect(page).to_have_url(re.compile(r"progressupdate/add/\?commitment="))
    page.fill("input[name=period_start]", "01/01/2026")
    page.fill("input[name=period_end]", "30/06/2026")
    page.select_option("select[name=status]", "in_progress")
    page.fill("input[name=percentage]", "70")
    page.fill("textarea[name=achievements]", "Portail des marchés ouvert au public.")
    if page.locator("select[name=author_institution]").count():
        page.select_option("select[name=author_institution]", str(scenario.ministry.pk))
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist, .errornote")).to_have_class(
        re.compile("messagelist")
    )


def test_it_lets_an_editor_record_progress_and_see_it_in_public(page, editor):
    scenario = build(editor)
    public = f"/fr/plans/{scenario.plan.slug}/commitments/{scenario.own.reference}/"

    log_in_to_the_back_office(page, editor)
    record_progress_in_the_back_office(page, scenario)
    page.goto(public)

    expect(page.locator("main")).to_contain_text("Portail des marchés ouvert")
    expect(page.locator("main")).to_contain_text("70")


def test_it_shows_the_new_progress_update_in_the_public_changelog(page, editor):
    scenario = build(editor)
    public = f"/fr/plans/{scenario.plan.slug}/commitments/{scenario.own.reference}/"

    log_in_to_the_back_office(page, editor)
    record_progress_in_the_back_office(page, scenario)
    page.goto(f"{public}history/")

    expect(page.locator("main")).to_contain_text("Portail des marchés ouvert")


def test_it_refuses_an_editor_another_institutions_commitment(page, editor):
    scenario = build(editor)

    log_in_to_the_back_office(page, editor)
    response = page.goto(f"/admin/commitments/commitment/{scenario.other.pk}/change/")

    assert response.status in (403, 404), response.status
    assert page.locator("input[name=title_fr]").count() == 0
    page.goto("/admin/commitments/commitment/")
    listed = page.locator("#result_list").inner_text()
    assert scenario.own.title_fr in listed
    assert scenario.other.title_fr not in listed
