"""What the automated accessibility checks cover, in one place.

The browser tests (tests/browser) take their list of page types, languages,
brandings and blocking impacts from here, and the accessibility statement
shows the same lists to the public, so the statement cannot promise a check
the tests no longer run.
"""

from django.utils.translation import gettext_lazy as _

# axe-core is the engine inside the axe-playwright-python package, a
# development requirement only: production servers do not install it, so the
# version is written here and tests/test_accessibility_statement.py fails
# when the installed package ships another one.
AXE_PACKAGE = "axe-playwright-python"
AXE_CORE_VERSION = "4.12.1"

# Keys name the page types in the browser tests' failure messages; values are
# what the statement shows.
PAGE_TYPES = {
    "dashboard": _("home page (dashboard)"),
    "dashboard as of a past date": _("dashboard on a past date"),
    "plan list": _("list of action plans"),
    "plan dashboard": _("action plan dashboard"),
    "commitment list": _("list of commitments"),
    "search": _("search results"),
    "commitment": _("commitment page"),
    "commitment changelog": _("commitment changelog"),
    "institution": _("institution page"),
    "workshop list": _("list of workshops"),
    "workshop": _("workshop page"),
    "sign-up": _("sign-up form"),
    "log-in": _("log-in form"),
    "open data": _("open data page"),
    "site map": _("site map"),
    "accessibility statement": _("accessibility statement"),
    "legal notice": _("legal notice"),
    "personal data": _("personal data"),
    "cookies": _("cookie management"),
}

LANGUAGES = ("fr", "en")

# Whether the State's brand (OGP_OFFICIAL_BRANDING) is on, by test id.
BRANDINGS = {"neutral": False, "official": True}

# axe-core rates each violation minor, moderate, serious or critical.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

# Journeys walked with the keyboard only, by the test module that walks them.
KEYBOARD_JOURNEYS = {
    "test_citizen_journey": _(
        "a citizen goes from the home page to a commitment through the filtered "
        "list, then reads it in English"
    ),
    "test_member_journey": _(
        "a civil-society member signs up, comments on a commitment and follows it"
    ),
    "test_journalist_journey": _(
        "a journalist downloads the filtered list of commitments"
    ),
}


def summary() -> dict:
    """Return what the accessibility statement says the automated checks cover."""
    return {
        "axe_package": AXE_PACKAGE,
        "axe_core_version": AXE_CORE_VERSION,
        "page_types": list(PAGE_TYPES.values()),
        "keyboard_journeys": list(KEYBOARD_JOURNEYS.values()),
    }
