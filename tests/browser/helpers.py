"""Small helpers the journeys share: keyboard moves and page checks."""

from playwright.sync_api import Page

MAX_TABS = 250


def focused_matches(page: Page, selector: str) -> bool:
    return page.evaluate(
        "selector => !!document.activeElement"
        " && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the focused element matches selector, as a keyboard user."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused_matches(page, selector):
            assert_focus_is_visible(page)
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def assert_focus_is_visible(page: Page) -> None:
    """Fail when the focused element shows no outline or ring at all."""
    shown = page.evaluate(
        """() => {
        const element = document.activeElement;
        const style = getComputedStyle(element);
        const outline = style.outlineStyle !== 'none'
            && parseFloat(style.outlineWidth) > 0;
        const ring = style.boxShadow && style.boxShadow !== 'none';
        return outline || ring;
        }"""
    )
    description = page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    assert shown, f"no visible focus on {description}"


def choose_with_keyboard(page: Page, select_selector: str, value: str) -> None:
    """Focus a select with Tab and move through its options with the arrow keys."""
    tab_to(page, select_selector)
    for _ in range(100):
        if page.eval_on_selector(select_selector, "s => s.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"option {value} not reachable in {select_selector}")


def texts(page: Page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def submit_form_of(page: Page, field_selector: str) -> None:
    """Click the submit button of the form that holds field_selector."""
    form = page.locator("form").filter(has=page.locator(field_selector))
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()


def language_link(page: Page, code: str):
    """Return the visible header link to this page in another language."""
    return page.locator(f'header a[hreflang="{code}"]:visible').first
