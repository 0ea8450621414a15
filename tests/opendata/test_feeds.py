"""Atom feeds of progress updates, status changes and new workshops."""

import datetime
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.utils import timezone

from commitments import services
from commitments.models import Status
from tests.factories import CommitmentFactory, ProgressUpdateFactory
from tests.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def parse_atom(response) -> ET.Element:
    """Parse an Atom document and check what RFC 4287 requires of it."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    has_feed_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert has_feed_author or entry.find(f"{ATOM}author") is not None
    return feed


def titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]


def at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2022, 3, day, 10, 0))


@pytest.fixture
def updates(commitments, ministry, other_ministry):
    first, second, third = commitments
    return [
        ProgressUpdateFactory(
            commitment=first,
            recorded_at=at(1),
            status=Status.IN_PROGRESS,
            percentage=20,
            author_institution=ministry,
            achievements="**Fait** <script>alert(1)</script>",
        ),
        ProgressUpdateFactory(
            commitment=first,
            recorded_at=at(2),
            status=Status.IN_PROGRESS,
            percentage=40,
            author_institution=ministry,
        ),
        ProgressUpdateFactory(
            commitment=third,
            recorded_at=at(3),
            status=Status.COMPLETED,
            percentage=100,
            author_institution=other_ministry,
        ),
    ]


def test_it_lists_every_update_newest_first(client, updates):
    feed = parse_atom(client.get("/en/feeds/updates.atom"))

    third = updates[2].commitment.title_en
    assert titles(feed) == [
        f"No. 40 – {third}: status changed from not started to completed (100%)",
        "No. 38 – Tools for open government: in progress, 40%",
        "No. 38 – Tools for open government: status changed from not started to "
        "in progress (20%)",
    ]


def test_it_lists_only_status_changes_in_the_status_feed(client, updates, settings):
    settings.OGP_SITE_URL = "https://tracker.example"
    feed = parse_atom(client.get("/en/feeds/status.atom"))

    assert feed.findtext(f"{ATOM}id") == "https://tracker.example/en/feeds/status.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    terms = [c.get("term") for c in entries[0].findall(f"{ATOM}category")]
    assert terms == ["completed", "status-change"]


def test_it_links_each_entry_to_its_commitment(client, updates):
    feed = parse_atom(client.get("/fr/feeds/updates.atom"))

    entry = feed.find(f"{ATOM}entry")
    link = entry.find(f"{ATOM}link").get("href")
    assert link == "http://testserver/fr/plans/fr-2021-2023/commitments/40/"
    assert entry.findtext(f"{ATOM}id").endswith(f"#update-{updates[2].pk}")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ministère B"


def test_it_sanitises_the_update_text(client, updates):
    response = client.get("/en/plans/fr-2021-2023/commitments/38/updates.atom")

    feed = parse_atom(response)
    summary = feed.findall(f"{ATOM}entry")[-1].findtext(f"{ATOM}summary")
    assert "<strong>Fait</strong>" in summary
    assert "<script>" not in summary


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/en/plans/fr-2021-2023/updates.atom", 3),
        ("/en/plans/fr-2021-2023/status.atom", 2),
        ("/en/plans/fr-2021-2023/commitments/38/updates.atom", 2),
        ("/en/plans/fr-2021-2023/commitments/FR0088/status.atom", 1),
        ("/en/institutions/ministry-a/updates.atom", 2),
        ("/en/institutions/ministry-b/status.atom", 1),
    ],
)
def test_it_offers_a_feed_per_plan_commitment_and_institution(
    client, updates, path, expected
):
    feed = parse_atom(client.get(path))

    assert len(feed.findall(f"{ATOM}entry")) == expected


def test_it_leaves_unpublished_plans_out(client, updates, hidden_plan):
    hidden = CommitmentFactory(plan=hidden_plan, number=1)
    ProgressUpdateFactory(commitment=hidden, recorded_at=at(9))

    feed = parse_atom(client.get("/en/feeds/updates.atom"))

    assert len(feed.findall(f"{ATOM}entry")) == 3
    assert client.get("/en/plans/draft-plan/updates.atom").status_code == 404
    assert (
        client.get("/en/plans/draft-plan/commitments/1/updates.atom").status_code == 404
    )


@pytest.mark.parametrize(
    "path",
    [
        "/en/plans/nope/updates.atom",
        "/en/plans/fr-2021-2023/commitments/999/updates.atom",
        "/en/institutions/nobody/status.atom",
    ],
)
def test_it_answers_404_for_unknown_scopes(client, commitments, path):
    assert client.get(path).status_code == 404


def test_it_costs_the_same_queries_with_more_updates(
    client, commitments, ministry, django_assert_num_queries
):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get("/en/feeds/updates.atom")
        return len(queries)

    ProgressUpdateFactory.create_batch(
        3, commitment=commitments[0], author_institution=ministry
    )
    small = count()
    ProgressUpdateFactory.create_batch(
        27, commitment=commitments[1], author_institution=ministry
    )

    assert count() == small


def test_it_lists_new_published_workshops(client, db):
    WorkshopFactory(title="Atelier ouvert")
    WorkshopFactory(title="Brouillon", is_published=False)

    feed = parse_atom(client.get("/fr/workshops/feed.atom"))

    assert [t.split(" (")[0] for t in titles(feed)] == ["Atelier ouvert"]


def test_it_writes_dates_as_readers_of_the_feeds_language_do(client, updates, db):
    WorkshopFactory(
        title="Atelier",
        starts_at=timezone.make_aware(datetime.datetime(2030, 3, 20, 0, 30)),
        ends_at=timezone.make_aware(datetime.datetime(2030, 3, 20, 2, 0)),
    )

    updates_feed = client.get("/fr/feeds/updates.atom").content.decode()
    workshop_feed = parse_atom(client.get("/fr/workshops/feed.atom"))

    assert "du 1er janvier 2022 au 30 juin 2022" in updates_feed
    assert "2022-01-01" not in updates_feed
    # Half past midnight in Paris is still the 20th, though not yet in UTC.
    assert titles(workshop_feed) == ["Atelier (atelier, 20 mars 2030)"]


def test_it_identifies_feeds_and_entries_by_full_addresses(client, updates, settings):
    settings.OGP_SITE_URL = "https://tracker.example"

    feed = parse_atom(client.get("/fr/feeds/updates.atom"))

    ids = [feed.findtext(f"{ATOM}id")] + [
        entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")
    ]
    assert len(ids) == 4
    assert all(i.startswith("https://tracker.example/fr/") for i in ids), ids


def test_it_compares_a_first_update_with_the_status_declared_at_the_time(
    client, plan, ministry, coordinator
):
    with time_machine.travel(at(1)):
        commitment = CommitmentFactory(
            plan=plan, number=7, status=Status.NOT_STARTED, lead_institutions=[ministry]
        )
    with time_machine.travel(at(2)):
        ProgressUpdateFactory(
            commitment=commitment,
            status=Status.IN_PROGRESS,
            percentage=10,
            author_institution=ministry,
        )
    with time_machine.travel(at(3)):
        services.set_commitments_status(
            commitments=[commitment], user=coordinator, status=Status.COMPLETED
        )

    feed = parse_atom(client.get("/en/feeds/status.atom"))

    assert len(titles(feed)) == 1
    assert "from not started to in progress" in titles(feed)[0].lower()
