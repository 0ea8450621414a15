"""Render the public pages and exports reachable from the home page, as JSON.

    python -m tests.ops.render_pages OUTPUT.json

Run against two databases (DATABASE_URL), the outputs can be compared: the
crawl is breadth-first over sorted links, so the same data gives the same
pages in the same order. Per-request values (CSP nonces, CSRF tokens) are
blanked out.
"""

import html
import json
import os
import re
import sys
from collections import deque

import django

ENTRY_PAGES = ["/fr/", "/en/"]
MAX_PAGES = 80
# Pages that depend on who asks, or that change something.
SKIPPED = ("/accounts/", "/admin/", "logout", "/follow/", "/unsubscribe/", "/profile/")
HREF = re.compile(r'href="(/(?:fr|en)/[^"#]*)"')
PER_REQUEST = [
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'), 'name="csrf" value=""'),
]


def normalise(text: str) -> str:
    for pattern, replacement in PER_REQUEST:
        text = pattern.sub(replacement, text)

    return text


def render() -> dict[str, list]:
    """Return {path: [status, content type, body]} for the pages reached."""
    from django.test import Client

    # A page that fails is recorded with its status rather than ending the
    # crawl: the comparison is about the data, other tests are about errors.
    client = Client(raise_request_exception=False)
    pages, queue = {}, deque(ENTRY_PAGES)
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        if path in pages or any(part in path for part in SKIPPED):
            continue
        response = client.get(path)
        if response.streaming:
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        content_type = response.get("Content-Type", "")
        text = normalise(body.decode("utf-8", "replace"))
        pages[path] = [response.status_code, content_type, text]
        if "html" in content_type:
            links = sorted({html.unescape(link) for link in HREF.findall(text)})
            # Exports first: they are the point of the comparison too.
            exports = [link for link in links if "export" in link or "csv" in link]
            queue.extendleft(reversed(exports))
            queue.extend(link for link in links if link not in exports)

    return pages


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_tracker.settings")
    django.setup()
    with open(sys.argv[1], "w") as output:
        json.dump(render(), output)


if __name__ == "__main__":
    main()
