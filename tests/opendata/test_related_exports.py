"""Files about the listed commitments: milestones, updates, history, comments."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from commitments.exports import HISTORY, MILESTONES, UPDATES
from commitments.models import EvidenceLink, Status
from commitments.versioning import one_version
from community.exports import COMMENTS
from community.models import Comment
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    UserFactory,
)
from tests.opendata.conftest import read_csv, read_excel_csv, read_json

pytestmark = pytest.mark.django_db
URL = "/fr/plans/fr-2021-2023/commitments/"


def test_it_exports_milestones_with_planned_and_revised_dates(client, milestone):
    response = client.get(URL + "milestones/export.csv")

    rows = read_csv(response)
    assert response.status_code == 200
    assert list(rows[0]) == MILESTONES.column_names
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(milestone.pk)
    assert row["commitment_number"] == "38"
    assert row["commitment_ogp_id"] == "FR0088"
    assert row["title_fr"] == "Lancer la plateforme"
    assert row["planned_start"] == "2021-12"
    assert row["planned_end"] == "2022-06"
    assert row["planned_due"] == "2022-06-30"
    assert row["revised_due"] == "2022-09-30"
    assert row["due_date"] == "2022-09-30"
    assert row["has_slipped"] == "true"
    assert row["status"] == "in_progress"
    assert row["is_late"] == "true"


def test_it_exports_the_milestones_of_the_listed_commitments_only(
    client, commitments, milestone
):
    MilestoneFactory(commitment=commitments[2])

    led_by_b = read_json(
        client.get(URL + "milestones/export.json?institution=ministry-b")
    )
    everything = read_json(client.get(URL + "milestones/export.json"))

    assert [row["commitment_number"] for row in led_by_b] == [40]
    assert [row["commitment_number"] for row in everything] == [38, 40]


def test_it_exports_milestones_as_they_stood(client, plan):
    with time_machine.travel(datetime.datetime(2022, 1, 5, 12, tzinfo=datetime.UTC)):
        commitment = CommitmentFactory(plan=plan, number=1)
        old = MilestoneFactory(commitment=commitment, title_fr="Avant")
    with time_machine.travel(datetime.datetime(2022, 3, 5, 12, tzinfo=datetime.UTC)):
        old.title_fr = "Après"
        old.save()

    then = read_csv(client.get(URL + "milestones/export.csv?as_of=2022-02-01"))
    now = read_csv(client.get(URL + "milestones/export.csv"))

    assert [row["title_fr"] for row in then] == ["Avant"]
    assert [row["title_fr"] for row in now] == ["Après"]


def test_it_exports_progress_updates_with_their_evidence(client, update, ministry):
    EvidenceLink.objects.create(update=update, title="Site", url="https://a.example")
    EvidenceLink.objects.create(update=update, title="Rapport", url="https://b.example")
    later = ProgressUpdateFactory(
        commitment=update.commitment,
        recorded_at=update.recorded_at + datetime.timedelta(days=30),
        status=Status.COMPLETED,
        percentage=100,
        author_institution=ministry,
        help_wanted=True,
    )

    rows = read_csv(client.get(URL + "updates/export.csv"))

    assert list(rows[0]) == UPDATES.column_names
    assert [row["id"] for row in rows] == [str(update.pk), str(later.pk)]
    first, second = rows
    assert first["recorded_at"] == "2022-03-01T09:00:00Z"
    assert first["period_start"] == "2022-01-01"
    assert first["percentage"] == "62.5"
    assert first["previous_status"] == ""
    assert first["achievements"] == "Plateforme ouverte"
    assert first["author_institution"] == "ministry-a"
    assert first["author_institution_name"] == "Ministère A"
    assert first["evidence_urls"] == "https://a.example|https://b.example"
    assert first["evidence_titles"] == "Site|Rapport"
    assert second["previous_status"] == "in_progress"
    assert second["status"] == "completed"
    assert second["help_wanted"] == "true"


def test_it_leaves_out_updates_recorded_after_the_day(client, update):
    rows = read_csv(client.get(URL + "updates/export.csv?as_of=2022-02-28"))

    assert rows == []


def test_it_exports_one_row_per_version_with_what_changed(
    client, commitments, milestone
):
    commitment = commitments[0]
    with one_version(commitment, reason="Nouveau titre"):
        commitment.title_fr = "Outiller le gouvernement ouvert, mieux"
        commitment.save()
        commitment.lead_institutions.add(commitments[2].lead_institutions.get())

    response = client.get(URL + "history/export.json?institution=ministry-a")

    rows = read_json(response)
    assert list(rows[0]) == HISTORY.column_names
    ours = [
        row
        for row in rows
        if (row["object_type"], row["object_id"]) == ("commitment", commitment.pk)
    ]
    assert ours[0]["change_type"] == "created"
    latest = ours[-1]
    assert latest["change_type"] == "changed"
    assert latest["reason"] == "Nouveau titre"
    assert latest["changed_fields"] == ["title_fr", "lead_institutions"]
    assert latest["changes"]["title_fr"] == {
        "before": "Outiller le Gouvernement ouvert",
        "after": "Outiller le gouvernement ouvert, mieux",
    }
    assert latest["changes"]["lead_institutions"] == {
        "before": ["ministry-a"],
        "after": ["ministry-a", "ministry-b"],
    }
    milestones = [row for row in rows if row["object_type"] == "milestone"]
    assert [row["object_id"] for row in milestones] == [milestone.pk]
    assert milestones[0]["commitment_id"] == commitment.pk
    assert {row["commitment_id"] for row in rows} <= {c.pk for c in commitments[:2]}


def test_it_exports_the_versions_recorded_by_the_day(client, plan):
    with time_machine.travel(datetime.datetime(2022, 1, 5, 12, tzinfo=datetime.UTC)):
        commitment = CommitmentFactory(plan=plan, number=1, title_fr="Avant")
    with time_machine.travel(datetime.datetime(2022, 3, 5, 12, tzinfo=datetime.UTC)):
        commitment.title_fr = "Après"
        commitment.save()

    then = read_csv(client.get(URL + "history/export.csv?as_of=2022-02-01"))
    now = read_csv(client.get(URL + "history/export.csv"))

    assert [row["change_type"] for row in then] == ["created"]
    assert then[0]["changed_at"] == "2022-01-05T12:00:00Z"
    assert [row["change_type"] for row in now] == ["created", "changed"]
    assert now[1]["changed_fields"] == "title_fr"


def test_it_names_people_only_when_they_chose_to_be_named(
    client, commitments, editor, ministry
):
    public = UserFactory(username="jo", display_name="Jo", name_is_public=True)
    for author, title in ((editor, "Un"), (public, "Deux")):
        commitment = commitments[0]
        commitment.title_fr = title
        commitment._history_user = author
        commitment.save()

    rows = read_csv(client.get(URL + "history/export.csv"))

    retitled = [row for row in rows if row["changed_fields"] == "title_fr"]
    assert [row["changed_by"] for row in retitled] == ["", "Jo"]
    assert [row["changed_by_institutions"] for row in retitled] == ["ministry-a", ""]
    assert "@" not in str(rows)


def test_it_exports_one_commitments_history_from_its_changelog(client, commitments):
    response = client.get(URL + "38/history/export.csv")

    rows = read_csv(response)
    assert response.status_code == 200
    assert {row["object_id"] for row in rows} == {str(commitments[0].pk)}


def test_it_exports_only_visible_comments_without_e_mail_addresses(
    client, commitments, member, editor, ministry
):
    commitment = commitments[0]
    member.display_name = "Camille"
    member.save()
    asked = Comment.objects.create(commitment=commitment, author=member, body="Où ?")
    Comment.objects.create(
        commitment=commitment,
        author=editor,
        parent=asked,
        root=asked,
        depth=1,
        official_institution=ministry,
        body="Ici.",
    )
    Comment.objects.create(
        commitment=commitment, author=member, body="Caché", hidden_at=timezone.now()
    )
    Comment.objects.create(
        commitment=commitment, author=member, body="Effacé", deleted_at=timezone.now()
    )
    leaky = UserFactory(username="someone@example.org")
    Comment.objects.create(commitment=commitment, author=leaky, body="Bonjour")
    Comment.objects.create(commitment=commitment, author=None, body="Orphelin")

    response = client.get(URL + "comments/export.csv")

    rows = read_csv(response)
    data = str(rows)
    assert list(rows[0]) == COMMENTS.column_names
    assert [row["body"] for row in rows] == ["Où ?", "Ici.", "Bonjour", "Orphelin"]
    assert rows[0]["author_name"] == "Camille"
    assert rows[1]["author_name"] == ""  # no display name: not its login either
    assert rows[0]["author_organisation"] == "Association X"
    assert rows[0]["thread_id"] == str(asked.pk)
    assert rows[1]["parent_id"] == str(asked.pk)
    assert rows[1]["is_official"] == "true"
    assert rows[1]["official_institution_name"] == "Ministère A"
    assert rows[2]["author_name"] == ""
    assert "@" not in data
    assert "Caché" not in data and "Effacé" not in data


def test_it_exports_one_commitments_comments(client, commitments, member):
    Comment.objects.create(commitment=commitments[0], author=member, body="Un")
    Comment.objects.create(commitment=commitments[1], author=member, body="Deux")

    rows = read_excel_csv(client.get(URL + "39/comments/export-excel.csv"))

    assert [row["body"] for row in rows] == ["Deux"]


def test_it_exports_one_commitments_comments_as_they_stood(client, commitments, member):
    old = Comment.objects.create(commitment=commitments[1], author=member, body="Un")
    Comment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    Comment.objects.create(commitment=commitments[1], author=member, body="Deux")
    day = timezone.localdate() - datetime.timedelta(days=100)

    response = client.get(URL + f"39/comments/export.csv?as_of={day}")
    ignored = client.get(URL + "39/comments/export.csv?as_of=2022-02-30")

    assert [row["body"] for row in read_csv(response)] == ["Un"]
    assert f"as-of-{day}" in response["Content-Disposition"]
    assert [row["body"] for row in read_csv(ignored)] == ["Un", "Deux"]


def test_it_keeps_comments_of_unpublished_plans_out(client, hidden_plan, member):
    hidden = CommitmentFactory(plan=hidden_plan, number=1)
    Comment.objects.create(commitment=hidden, author=member, body="Secret")

    response = client.get("/fr/plans/draft-plan/commitments/1/comments/export.csv")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "999/history/export.csv",
        "FR9999/comments/export.json",
        "1234567890123/badge.svg",
    ],
)
def test_it_answers_404_for_unknown_commitments(client, commitments, path):
    assert client.get(URL + path).status_code == 404
