"""Titles and names are plain text: present, readable and not disguised."""

import pytest

from commitments.importer import ImportFailed, import_file
from commitments.models import ActionPlan, Commitment, Institution
from tests.commitments.admin_client import admin_url, form_data
from tests.factories import CommitmentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("in_english", "back_office_in_english"),
]

DISGUISED = ["Texte \u202einversé", "\u200b\u2060", "Titre\u2066isolé\u2069"]


@pytest.fixture
def commitment(ministry):
    return CommitmentFactory(title_fr="Titre", lead_institutions=[ministry])


def post_change(client, user, obj, **changes):
    client.force_login(user)
    url = admin_url("commitment_change", obj.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_it_refuses_to_leave_a_commitment_without_any_title(client, editor, commitment):
    response = post_change(client, editor, commitment, title_fr="", title_en="  ")

    commitment.refresh_from_db()
    assert response.status_code == 400
    assert "Give a title in French or in English." in response.content.decode()
    assert commitment.title_fr == "Titre"


@pytest.mark.parametrize("title", DISGUISED)
def test_it_refuses_a_disguised_or_blank_title(client, editor, commitment, title):
    response = post_change(client, editor, commitment, title_fr=title)

    commitment.refresh_from_db()
    assert response.status_code == 400
    assert commitment.title_fr == "Titre"


def test_it_keeps_a_title_in_arabic_with_its_direction_marks(
    client, editor, commitment
):
    title = "الحكومة المفتوحة\u200f (2024)"

    response = post_change(client, editor, commitment, title_en=title)

    commitment.refresh_from_db()
    assert response.status_code == 302
    assert commitment.title_en == title


@pytest.mark.parametrize(
    "line",
    [
        '  title_fr: "Texte \\u202e inversé"',
        '  title_fr: Titre\n  lead_institutions: ["Inst\\u200bitution\\u202eX"]',
    ],
)
def test_it_refuses_a_disguised_title_or_name_in_a_plan_file(line):
    content = (
        "plan:\n  slug: test-plan\n  title_fr: Plan de test\n"
        f"commitments:\n- number: 1\n{line}\n"
    ).encode()

    with pytest.raises(ImportFailed):
        import_file("plan.yaml", content)

    assert not ActionPlan.objects.filter(slug="test-plan").exists()
    assert not Commitment.objects.filter(title_fr__contains="\u202e").exists()
    assert not Institution.objects.filter(name_fr__contains="\u202e").exists()


@pytest.mark.parametrize("ogp_id", ["FR/0088", "FR 0088", "..", "?x", "FR\u202e0088"])
def test_it_refuses_an_ogp_identifier_that_is_not_one(
    client, coordinator, commitment, ogp_id
):
    response = post_change(client, coordinator, commitment, number="", ogp_id=ogp_id)

    commitment.refresh_from_db()
    assert response.status_code == 400
    assert "Write an OGP identifier such as FR0051" in response.content.decode()
    assert commitment.ogp_id != ogp_id
