import datetime

import pytest
from django.utils import translation

from commitments.importer import ImportFailed, import_file
from commitments.models import Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

PLAN_YAML = """
plan:
  slug: test-plan
  title_fr: Plan de test
commitments:
- number: 1
  title_fr: Premier engagement
  milestones:
  - title_fr: Jalon un
    start: 2024-01
    end: 2024-06
"""
CSV_HEADER = "plan;record;number;title_fr;start;end;revised_due\n"
CSV_COMMITMENT = "test-plan;commitment;1;Premier engagement;;;\n"


def moved(text: str, old: str, new: str) -> bytes:
    assert old in text
    return text.replace(old, new).encode()


def test_a_re_import_refuses_to_move_a_milestones_planned_end():
    import_file("plan.yaml", PLAN_YAML.encode())
    rows_before = Milestone.history.count()

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", moved(PLAN_YAML, "end: 2024-06", "end: 2024-09"))

    assert failure.value.errors == [
        "commitment 1 (no. 1), milestone 1, field end: the planned dates are the "
        "milestone's baseline and cannot change once set: keep end at 2024-06 "
        "and give the new expected date as revised_due (a full date such as "
        "2024-09-30)."
    ]
    milestone = Milestone.objects.get()
    assert milestone.planned_end == datetime.date(2024, 6, 1)
    assert Milestone.history.count() == rows_before


def test_a_preview_refuses_a_moved_baseline_too():
    import_file("plan.yaml", PLAN_YAML.encode())

    with pytest.raises(ImportFailed) as failure:
        import_file(
            "plan.yaml",
            moved(PLAN_YAML, "start: 2024-01", "start: 2024-02-15"),
            dry_run=True,
        )

    assert len(failure.value.errors) == 1
    assert "field start: " in failure.value.errors[0]
    assert "keep start at 2024-01 " in failure.value.errors[0]


@pytest.mark.parametrize(
    ("old", "new"),
    [("end: 2024-06", "end: 2024-06-01"), ("end: 2024-06", 'end: ""')],
    ids=["precision", "emptied"],
)
def test_a_re_import_refuses_to_change_or_empty_a_baseline_date(old, new):
    import_file("plan.yaml", PLAN_YAML.encode())

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", moved(PLAN_YAML, old, new))

    assert "field end: " in failure.value.errors[0]
    milestone = Milestone.objects.get()
    assert (milestone.planned_end, milestone.planned_end_precision) == (
        datetime.date(2024, 6, 1),
        "month",
    )


def test_a_slipped_milestone_keeps_its_baseline_and_gets_a_revised_due_date():
    import_file("plan.yaml", PLAN_YAML.encode())
    slipped = PLAN_YAML + "    revised_due: 2024-09-30\n"

    report = import_file("plan.yaml", slipped.encode())

    milestone = Milestone.objects.get()
    assert milestone.planned_end == datetime.date(2024, 6, 1)
    assert milestone.revised_due == datetime.date(2024, 9, 30)
    assert milestone.has_slipped
    assert [change.fields for change in report.changes][-1] == ["revised_due"]


def test_a_re_import_may_set_a_planned_date_not_yet_known():
    import_file("plan.yaml", moved(PLAN_YAML, "    end: 2024-06\n", ""))

    import_file("plan.yaml", PLAN_YAML.encode())

    assert Milestone.objects.get().planned_end == datetime.date(2024, 6, 1)


def test_a_spreadsheet_that_moves_a_baseline_is_refused_with_its_row():
    import_file("plan.yaml", PLAN_YAML.encode())
    rows = CSV_HEADER + CSV_COMMITMENT + "test-plan;milestone;1;Jalon un;;2024-09;\n"

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.csv", rows.encode())

    assert failure.value.errors[0].startswith("row 3, field end: ")
    assert Milestone.objects.get().planned_end == datetime.date(2024, 6, 1)


def test_it_refuses_a_moved_baseline_in_french():
    import_file("plan.yaml", PLAN_YAML.encode())

    with translation.override("fr"), pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", moved(PLAN_YAML, "end: 2024-06", "end: 2024-09"))

    assert "référence" in failure.value.errors[0]
    assert "revised_due" in failure.value.errors[0]
