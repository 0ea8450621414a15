from commitments.versioning import one_version, record_version
from tests.factories import CommitmentFactory, InstitutionFactory


def test_it_records_one_row_for_a_save_and_a_relation_change(db, coordinator):
    commitment = CommitmentFactory()
    institution = InstitutionFactory()
    rows_before = commitment.history.count()

    with one_version(commitment, user=coordinator):
        commitment.title_fr = "Nouveau titre"
        commitment.save()
        commitment.lead_institutions.add(institution)

    assert commitment.history.count() == rows_before + 1
    latest = commitment.history.first()
    assert latest.history_user == coordinator
    assert latest.title_fr == "Nouveau titre"
    assert [row.institution_id for row in latest.lead_institutions.all()] == [
        institution.pk
    ]


def test_it_records_nothing_when_nothing_changed(db):
    commitment = CommitmentFactory()
    rows_before = commitment.history.count()

    with one_version(commitment):
        commitment.save()

    assert commitment.history.count() == rows_before
    assert record_version(commitment) is False


def test_it_records_a_relation_removal(db):
    institution = InstitutionFactory()
    commitment = CommitmentFactory(lead_institutions=[institution])
    record_version(commitment)
    rows_before = commitment.history.count()

    with one_version(commitment):
        commitment.lead_institutions.remove(institution)

    assert commitment.history.count() == rows_before + 1
    assert commitment.history.first().lead_institutions.count() == 0
