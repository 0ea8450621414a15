"""A journalist filters the list and downloads exactly the rows on screen."""

import csv
import re

from playwright.sync_api import expect

from tests.browser.helpers import tab_to
from tests.browser.scenario import build


def references_on_screen(page, plan_slug: str) -> set[str]:
    detail = re.compile(rf"/plans/{re.escape(plan_slug)}/commitments/([^/?#]+)/$")
    hrefs = page.locator("main a[href]").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )

    return {match.group(1) for href in hrefs if (match := detail.search(href))}


def test_it_exports_exactly_the_filtered_list_on_screen(page, editor):
    scenario = build(editor)
    list_path = f"/fr/plans/{scenario.plan.slug}/commitments/"

    page.goto(list_path)
    page.select_option("select[name=institution]", scenario.ministry.slug)
    filters = page.locator("main form").filter(has=page.locator("[name=institution]"))
    filters.locator("[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"institution=ministry-a"))
    on_screen = references_on_screen(page, scenario.plan.slug)
    with page.expect_download() as download_info:
        page.locator(f'main a[download][href^="{list_path}export.csv"]').first.click()
    download = download_info.value
    with open(download.path(), encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))

    assert on_screen == {"1", "2"}
    assert "institution=ministry-a" in download.url
    assert {row["number"] for row in rows} == on_screen
    assert len(rows) == len(on_screen)


def test_it_lets_a_keyboard_user_download_the_filtered_list(page, editor):
    scenario = build(editor)
    list_path = f"/fr/plans/{scenario.plan.slug}/commitments/"

    page.goto(f"{list_path}?institution={scenario.ministry.slug}")
    tab_to(page, f'main a[download][href^="{list_path}export.csv"]')
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    with open(download_info.value.path(), encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))

    assert {row["number"] for row in rows} == {"1", "2"}
