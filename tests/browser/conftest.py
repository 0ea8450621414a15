"""Playwright driving Debian's chromium against a live server on loopback.

Every test here is marked "browser". Without /usr/bin/chromium (or without
the playwright package) they are skipped with the reason; .ci/run installs
chromium first, so CI always runs them. No browser is ever downloaded: the
launch names Debian's executable.

A failing test leaves a screenshot and the page's HTML in test-artifacts/.
"""

import os
import re
from importlib import import_module
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("OGP_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

# Playwright's synchronous API runs an event loop in the test's thread, which
# Django would take for async code and refuse ORM calls from the test itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _skip_reason() -> str:
    if sync_playwright is None:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does it)"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    here = Path(__file__).parent
    mine = [item for item in items if here in Path(item.fspath).parents]
    if reason and mine and os.environ.get("OGP_BROWSER_TESTS") == "required":
        # CI installs chromium: a skip there would hide the journeys.
        raise pytest.UsageError(f"browser tests required but cannot run: {reason}")
    for item in mine:
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def _migration_data(transactional_db):
    """Put back the rows data migrations write (the legal pages' texts).

    The live server sees only committed rows, so these tests run outside a
    transaction and the tables are emptied after each one, taking the rows of
    data migrations with them.
    """
    from django.apps import apps

    from ogp_tracker.models import LegalPage

    if not LegalPage.objects.exists():
        defaults = import_module("ogp_tracker.migrations.0002_default_legal_texts")
        defaults.create_pages(apps, None)
        statement = import_module(
            "ogp_tracker.migrations.0003_statement_without_compliance_text"
        )
        statement.remove_compliance_text(apps, None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits (sign-up, confirmation e-mails, comments) are counted in the
    # cache, which would otherwise carry over from one journey to the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_context(chromium, live_server, _migration_data):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15000)
    yield context
    context.close()


@pytest.fixture
def page(request, browser_context):
    """A fresh tab; on failure its screenshot and HTML go to test-artifacts/."""
    tab = browser_context.new_page()
    yield tab

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        try:
            tab.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
            (ARTIFACTS / f"{stem}.html").write_text(tab.content(), encoding="utf-8")
            # Shown under "Captured stdout teardown" in the failure report.
            print(f"screenshot and HTML of the page: {ARTIFACTS / stem}.png/.html")
        except Exception as error:  # the page may have crashed; keep the report
            (ARTIFACTS / f"{stem}.txt").write_text(f"no capture: {error}\n")
    tab.close()
