"""A citizen reads the plan: dashboard, filtered list, one commitment, English.

Elements are found by what the page means (addresses, form field names,
hreflang) rather than by wording, so the journeys hold in both languages.
"""

import re

from playwright.sync_api import expect

from tests.browser.helpers import choose_with_keyboard, language_link, tab_to
from tests.browser.scenario import build


def test_it_takes_a_citizen_from_the_dashboard_to_a_commitment_in_english(page, editor):
    scenario = build(editor)
    list_path = f"/fr/plans/{scenario.plan.slug}/commitments/"

    page.goto("/fr/")
    expect(page.locator("h1")).to_be_visible()
    page.locator(f'main a[href="{list_path}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(list_path) + "$"))

    page.select_option("select[name=institution]", scenario.ministry.slug)
    filters = page.locator("main form").filter(has=page.locator("[name=institution]"))
    filters.locator("[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"institution=ministry-a"))
    listed = page.locator("main").inner_text()
    assert scenario.own.title_fr in listed
    assert scenario.second_own.title_fr in listed
    assert scenario.other.title_fr not in listed

    page.get_by_role("link", name=scenario.own.title_fr).first.click()
    expect(page.locator("h1")).to_contain_text(scenario.own.title_fr)
    main = page.locator("main")
    expect(main).to_contain_text(scenario.milestone.title_fr)
    # The progress chart: an image of the updates over time, with a text
    # alternative for those who cannot see it.
    chart = main.locator("svg[role=img], figure svg, img[src*=chart], canvas")
    expect(chart.first).to_be_attached()
    expect(main).to_contain_text("45")

    history = f"{list_path}{scenario.own.reference}/history/"
    page.locator(f'main a[href^="{history}"]').first.click()
    expect(page).to_have_url(re.compile(re.escape(history)))
    expect(page.locator("main")).to_contain_text("chaque mois")

    language_link(page, "en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/en/plans/"))
    expect(page.locator("main")).to_contain_text(scenario.own.title_en)


def test_it_lets_a_keyboard_user_walk_the_citizen_journey(page, editor):
    scenario = build(editor)
    list_path = f"/fr/plans/{scenario.plan.slug}/commitments/"
    detail_path = f"{list_path}{scenario.own.reference}/"

    page.goto("/fr/")
    tab_to(page, f'main a[href="{list_path}"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(list_path) + "$"))

    choose_with_keyboard(page, "select[name=institution]", scenario.ministry.slug)
    tab_to(page, "main form button[type=submit], main form input[type=submit]")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"institution=ministry-a"))

    tab_to(page, f'main a[href^="{detail_path}"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(scenario.own.title_fr)

    tab_to(page, 'header a[hreflang="en"]')  # the first one in the tab order
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "en")
