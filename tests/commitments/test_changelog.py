import datetime

import pytest
import time_machine
from pytest_django.asserts import assertContains, assertNotContains

from commitments import changelog
from commitments.versioning import one_version
from tests.commitments.public_data import NOW, build_plan, count_queries
from tests.factories import (
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def url(commitment) -> str:
    plan = commitment.plan.slug
    return f"/fr/plans/{plan}/commitments/{commitment.reference}/history/"


def test_it_shows_each_field_before_and_after(client, editor, ministry):
    commitment = CommitmentFactory(title_fr="Avant", lead_institutions=[ministry])
    with one_version(commitment, user=editor):
        commitment.title_fr = "Après"
        commitment.save()

    response = client.get(url(commitment))

    entry = response.context["entries"][0]
    change = next(c for c in entry.changes if c.before == "Avant")
    assert change.after == "Après"
    assert entry.action == "~"
    assertContains(response, "Avant")
    assertContains(response, "Après")


def test_it_names_the_institution_not_the_person(client, editor, ministry):
    commitment = CommitmentFactory(lead_institutions=[ministry])
    with one_version(commitment, user=editor):
        commitment.title_fr = "Nouveau"
        commitment.save()

    response = client.get(url(commitment))

    assert response.context["entries"][0].who == ministry.name
    assertNotContains(response, editor.username)


def test_it_names_a_person_who_chose_to_be_public(client, ministry):
    user = UserFactory(display_name="Camille Public", name_is_public=True)
    ministry.members.add(user)
    commitment = CommitmentFactory(lead_institutions=[ministry])
    with one_version(commitment, user=user):
        commitment.title_fr = "Nouveau"
        commitment.save()

    response = client.get(url(commitment))

    assert response.context["entries"][0].who == f"Camille Public ({ministry.name})"


def test_it_shows_relation_changes(client):
    old_lead, new_lead = InstitutionFactory(), InstitutionFactory()
    commitment = CommitmentFactory(lead_institutions=[old_lead])
    with one_version(commitment):
        commitment.lead_institutions.set([new_lead])

    response = client.get(url(commitment))

    change = response.context["entries"][0].changes[0]
    assert change.added == [new_lead.name]
    assert change.removed == [old_lead.name]


def test_it_includes_the_milestones_changes(client):
    commitment = CommitmentFactory()
    with time_machine.travel(NOW + datetime.timedelta(hours=1)):
        milestone = MilestoneFactory(commitment=commitment, title_fr="Jalon suivi")
        milestone.status = "done"
        milestone.completed_on = NOW.date()
        milestone.save()

    response = client.get(url(commitment))

    kinds = [entry.kind for entry in response.context["entries"]]
    assert kinds[:2] == ["milestone", "milestone"]
    assertContains(response, "Jalon suivi")


def test_it_includes_the_progress_updates(client, ministry):
    commitment = CommitmentFactory()
    with time_machine.travel(NOW + datetime.timedelta(hours=1)):
        ProgressUpdateFactory(
            commitment=commitment,
            author_institution=ministry,
            percentage=70,
            achievements="Portail ouvert",
        )

    response = client.get(url(commitment))

    newest = response.context["entries"][0]
    assert newest.kind == "update"
    assert newest.who == "Ministère A"
    assertContains(response, "Portail ouvert")
    assertContains(response, "70")


def test_it_paginates_the_versions(client):
    commitment = CommitmentFactory()
    for number in range(25):
        with one_version(commitment):
            commitment.title_fr = f"Titre {number}"
            commitment.save()

    first = client.get(url(commitment))
    second = client.get(url(commitment), {"page": "2"})
    bad = client.get(url(commitment), {"page": "abc"})

    assert len(first.context["entries"]) == 20
    assert len(second.context["entries"]) == 6
    assert bad.status_code == 200
    assertContains(bad, "data-ignored")


def test_it_orders_versions_newest_first():
    commitment = CommitmentFactory()
    with one_version(commitment):
        commitment.title_fr = "Deuxième"
        commitment.save()

    rows = list(changelog.versions(commitment))

    assert [row[0] for row in rows] == ["commitment", "commitment"]
    assert rows[0][3] == rows[1][1]


def test_it_answers_an_unknown_commitment_with_a_404(client):
    commitment = CommitmentFactory()

    response = client.get(f"/fr/plans/{commitment.plan.slug}/commitments/77/history/")

    assert response.status_code == 404


def test_it_costs_the_same_queries_with_ten_times_the_history(client, editor):
    data = build_plan()
    commitment = data.commitments[0]
    with one_version(commitment, user=editor):
        commitment.title_fr = "Titre revu"
        commitment.save()
    # Commitment, count, page, commitment rows, milestone rows, progress
    # updates, three relations, authors' institutions.
    expected = 10

    small, _ = count_queries(client, url(commitment))
    build_plan(size=10, data=data)
    for number in range(30):
        with one_version(commitment, user=editor):
            commitment.title_fr = f"Titre {number}"
            commitment.save()
            commitment.partners.add(InstitutionFactory())
    large, _ = count_queries(client, url(commitment))

    assert small == large == expected


def test_it_shows_a_new_milestones_fields_as_set_from_nothing(client):
    commitment = CommitmentFactory()
    MilestoneFactory(commitment=commitment, title_fr="Premier jalon", position=2)

    response = client.get(url(commitment))

    created = next(e for e in response.context["entries"] if e.kind == "milestone")
    changes = {
        change.label: (change.before, change.after) for change in created.changes
    }
    assert created.action == "+"
    assert changes["Position"] == ("", "2")
    assert all(before == "" for before, _after in changes.values())


def test_it_never_shows_a_login_even_for_a_public_person(client, ministry):
    user = UserFactory(username="jdupont-login", display_name="", name_is_public=True)
    ministry.members.add(user)
    commitment = CommitmentFactory(lead_institutions=[ministry])
    with one_version(commitment, user=user):
        commitment.title_fr = "Nouveau"
        commitment.save()

    response = client.get(url(commitment))
    export = client.get(url(commitment) + "export.csv")

    assert response.context["entries"][0].who == ministry.name
    assertNotContains(response, "jdupont-login")
    exported = b"".join(export.streaming_content).decode()
    assert export.status_code == 200
    assert "Nouveau" in exported
    assert "jdupont-login" not in exported


def test_it_shows_a_season_saved_as_any_day_of_it(client, editor, ministry):
    commitment = CommitmentFactory(lead_institutions=[ministry])
    with one_version(commitment, user=editor):
        commitment.start, commitment.start_precision = (
            datetime.date(2024, 1, 15),
            "season",
        )
        commitment.save()

    response = client.get(url(commitment))

    assert response.status_code == 200
    assertContains(response, "hiver 2023")
