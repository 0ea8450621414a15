"""Security headers on public pages, with the documented production settings.

The production values come from a separate process started with the variables
of .env.example (settings are read once, at import); this process then serves
the pages with them, over HTTPS as the reverse proxy would forward it.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.factories import CommitmentFactory, InstitutionFactory, MilestoneFactory
from tests.ops.helpers import production_env, settings_of

HOST = "tracker.example.org"
SECURITY_SETTINGS = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CONTENT_SECURITY_POLICY",
]
# Pages that exist whatever else is built; the crawl adds the rest.
ENTRY_PAGES = ["/fr/", "/en/", "/fr/accounts/login/", "/healthz", "/readyz"]
MAX_PAGES = 40


@pytest.fixture(scope="module")
def production_security(tmp_path_factory):
    from csp.constants import NONCE

    values = settings_of(
        production_env(tmp_path_factory.mktemp("prod")), SECURITY_SETTINGS
    )
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    for name, sources in directives.items():
        if isinstance(sources, list):
            directives[name] = [
                NONCE if source == "csp.constants.NONCE" else source
                for source in sources
            ]
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])

    return values


@pytest.fixture
def production_client(client, settings, production_security):
    for name, value in production_security.items():
        setattr(settings, name, value)
    client.defaults["HTTP_HOST"] = HOST
    # What the reverse proxy adds to every request it forwards.
    client.defaults["HTTP_X_FORWARDED_PROTO"] = "https"

    return client


@pytest.fixture
def some_content(db):
    ministry = InstitutionFactory()
    for _ in range(2):
        commitment = CommitmentFactory(lead_institutions=[ministry])
        MilestoneFactory(commitment=commitment)


class PageParts(HTMLParser):
    """Collect same-site links, inline scripts and inline event handlers."""

    def __init__(self):
        super().__init__()
        self.links = set()
        self.inline_scripts = []
        self.event_handlers = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and (attributes.get("href") or "").startswith(("/fr/", "/en/")):
            self.links.add(attributes["href"].split("#")[0])
        data_block = attributes.get("type") in (
            "application/json",
            "application/ld+json",
        )
        if tag == "script" and not attributes.get("src") and not data_block:
            self.inline_scripts.append(attributes)
        for name, value in attrs:
            if name.startswith("on") or (value or "").lstrip().startswith(
                "javascript:"
            ):
                self.event_handlers.append(f"<{tag} {name}=...>")


def crawl(client) -> dict[str, object]:
    """Return the responses of the entry pages and the pages they link to."""
    responses, queue = {}, list(ENTRY_PAGES)
    while queue and len(responses) < MAX_PAGES:
        path = queue.pop(0)
        if path in responses or "logout" in path:
            continue
        response = client.get(path)
        responses[path] = response
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            parts = PageParts()
            parts.feed(response.content.decode())
            response.parts = parts
            # Account pages are entry pages already; their many ?next=
            # variants would use up the budget.
            queue.extend(
                link for link in sorted(parts.links) if "/accounts/" not in link
            )

    return responses


def test_it_sends_the_security_headers_on_every_public_page(
    production_client, some_content
):
    responses = crawl(production_client)

    served = {path: r for path, r in responses.items() if r.status_code == 200}
    assert {"/fr/", "/healthz", "/readyz"} <= set(served)
    for path, response in served.items():
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
        assert "Content-Security-Policy" in response, path


def test_it_allows_no_inline_script_without_the_nonce(production_client, some_content):
    responses = crawl(production_client)

    html_pages = {p: r for p, r in responses.items() if hasattr(r, "parts")}
    assert "/fr/" in html_pages
    for path, response in html_pages.items():
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response["Content-Security-Policy"].split(";")
            if " " in directive.strip()
        )
        script_src = policy["script-src"].split()
        assert "'unsafe-inline'" not in script_src, path
        assert "'unsafe-eval'" not in script_src, path
        assert policy["object-src"] == "'none'", path
        assert policy["frame-ancestors"] == "'none'", path
        assert policy["base-uri"] == "'self'", path
        nonces = {s[len("'nonce-") : -1] for s in script_src if s.startswith("'nonce-")}
        for script in response.parts.inline_scripts:
            assert script.get("nonce") in nonces, f"inline script without nonce: {path}"
        assert response.parts.event_handlers == [], path


def test_it_sets_cookies_only_over_https_and_same_site(production_client, some_content):
    responses = crawl(production_client)

    cookies = [
        morsel
        for response in responses.values()
        for morsel in response.cookies.values()
    ]
    assert cookies, "no page set a cookie (expected the login form's CSRF cookie)"
    for morsel in cookies:
        assert morsel["secure"] is True, morsel.key
        assert morsel["samesite"] == "Lax", morsel.key


def test_it_redirects_plain_http_to_https_except_probes(production_client):
    production_client.defaults.pop("HTTP_X_FORWARDED_PROTO")

    page = production_client.get("/fr/")
    probe = production_client.get("/healthz")

    assert page.status_code == 301
    assert page["Location"] == f"https://{HOST}/fr/"
    assert urlsplit(page["Location"]).scheme == "https"
    assert probe.status_code == 200
    assert "Strict-Transport-Security" not in probe
