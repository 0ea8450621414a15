"""axe-core on every public page type, in both languages and both branding modes.

axe-core comes inside the axe-playwright-python package, so nothing is fetched.
Serious and critical violations fail the test; the message lists each one
with the page, the rule and the first elements concerned.

The page types, languages, brandings and blocking impacts come from
ogp_tracker.accessibility, which the accessibility statement shows to the
public.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from ogp_tracker import accessibility
from tests.browser.pages import make_workshop, public_pages
from tests.browser.scenario import build

axe = Axe()


def blocking_violations(page) -> list[str]:
    results = axe.run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in accessibility.BLOCKING_IMPACTS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        found.append(
            f"{violation['impact']} {violation['id']}: {violation['help']}"
            f" on {', '.join(targets[:3])}"
        )

    return found


@pytest.mark.parametrize(
    "branding",
    list(accessibility.BRANDINGS.values()),
    ids=list(accessibility.BRANDINGS),
)
@pytest.mark.parametrize("language", accessibility.LANGUAGES)
def test_it_has_no_serious_violation_on_any_public_page(
    page, settings, editor, language, branding
):
    settings.OGP_OFFICIAL_BRANDING = branding
    scenario = build(editor)
    workshop = make_workshop(scenario)

    problems = []
    for name, address in public_pages(scenario, workshop, language).items():
        response = page.goto(address)
        if response is None or response.status != 200:
            problems.append(f"{name} ({address}): HTTP {response and response.status}")
            continue
        assert page.locator("html").get_attribute("lang") == language, name
        problems += [f"{name} ({address}): {v}" for v in blocking_violations(page)]

    assert problems == [], "\n".join(problems)


def test_it_shows_the_state_brand_only_when_official_branding_is_on(
    page, settings, editor
):
    scenario = build(editor)
    workshop = make_workshop(scenario)
    home = public_pages(scenario, workshop, "fr")["dashboard"]

    settings.OGP_OFFICIAL_BRANDING = False
    page.goto(home)
    neutral_logos = page.locator(".fr-logo").count()
    settings.OGP_OFFICIAL_BRANDING = True
    page.goto(home)
    official_logos = page.locator(".fr-logo").count()

    assert neutral_logos == 0
    assert official_logos >= 1
