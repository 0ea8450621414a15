"""The CSV variant lists every problem of a file at once, row by row."""

import csv

import pytest
from django.utils import translation

from commitments.importer import ImportFailed, import_file
from commitments.models import ActionPlan, Commitment, Milestone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

PLAN_YAML = b"""
plan:
  slug: test-plan
  title_fr: Plan de test
commitments:
- number: 1
  title_fr: Premier engagement
  milestones:
  - title_fr: Jalon un
"""


@pytest.fixture
def plan():
    import_file("plan.yaml", PLAN_YAML)
    return ActionPlan.objects.get()


def database_state():
    return (
        list(Commitment.objects.values().order_by("pk")),
        list(Milestone.objects.values().order_by("pk")),
        Commitment.history.count(),
    )


def errors_of(content: str, name="plan.csv") -> list[str]:
    before = database_state()

    with pytest.raises(ImportFailed) as failure:
        import_file(name, content.encode())

    assert database_state() == before
    return failure.value.errors


@pytest.mark.parametrize("separator", [";", ","])
def test_it_lists_the_problems_of_every_row_at_once(plan, separator):
    content = (
        "plan;record;number;title_fr;status;progress\n"
        "nope;commitment;x;;bogus;abc\n"
        "test-plan;commitment;1;Premier engagement;;\n"
        "test-plan;milestone;1;Jalon un;;\n"
    ).replace(";", separator)

    errors = errors_of(content)

    assert errors == [
        "row 2, field plan: no plan 'nope' exists; create it in the admin or "
        "import its YAML file first.",
        "row 2 (no. x), field number: 'x' is not a whole number.",
        "row 2 (no. x), field status: 'bogus' is not one of: not_started, "
        "in_progress, completed, withdrawn.",
        "row 2 (no. x), field progress: 'abc' is not a number.",
        "row 2 (no. x), field title_fr: a title in French or English is needed.",
        "row 3, field plan: all rows must belong to one plan, and row 2 names "
        "plan 'nope'.",
        "row 4, field plan: all rows must belong to one plan, and row 2 names "
        "plan 'nope'.",
    ]


def test_it_names_a_missing_plan_along_with_the_other_problems_of_its_row():
    errors = errors_of("plan,title_fr,number,status\nnope,,x,bogus\n")

    assert errors[0] == (
        "row 2, field plan: no plan 'nope' exists; create it in the admin or "
        "import its YAML file first."
    )
    assert [error.split(":")[0] for error in errors[1:]] == [
        "row 2 (no. x), field number",
        "row 2 (no. x), field status",
        "row 2 (no. x), field title_fr",
    ]


def test_it_still_names_a_missing_plan_alone():
    errors = errors_of("plan,title_fr,number\nnope,Un,1\n")

    assert errors == [
        "row 2, field plan: no plan 'nope' exists; create it in the admin or "
        "import its YAML file first."
    ]


def test_it_names_the_fields_of_a_milestone_row_without_its_commitment(plan):
    content = (
        "plan;record;number;title_fr;status\n"
        "test-plan;milestone;7;;nope\n"
        "test-plan;thing;1;Un;\n"
    )

    errors = errors_of(content)

    assert errors == [
        "row 2: a milestone row must follow the row of its commitment (same "
        "number or OGP identifier).",
        "row 2, field status: 'nope' is not one of: not_started, in_progress, "
        "done, cancelled.",
        "row 2, field title_fr: a title in French or English is needed.",
        "row 3, field record: 'thing' is neither 'commitment' nor 'milestone'.",
    ]


def test_it_lists_problems_in_the_order_of_the_rows(plan):
    content = (
        "plan;record;number;title_fr;start\n"
        "test-plan;commitment;1;Un;\n"
        "other;commitment;2;Deux;\n"
        "test-plan;milestone;1;Jalon;2021-13\n"
    )

    errors = errors_of(content)

    assert [error.split(",")[0] for error in errors] == ["row 3", "row 4"]


def test_it_names_a_row_with_more_values_than_columns(plan):
    errors = errors_of("plan,title_fr,number\ntest-plan,Un,1,extra\n")

    assert errors == ["row 2: the row has 4 values but the header names 3 columns."]


@pytest.mark.parametrize(
    "content",
    [
        'plan,title_fr,number\n"test-plan,Un,1\ntest-plan,Deux,2\n',
        'plan,title_fr,number\ntest-plan,"Un,1\ntest-plan,Deux,2\n',
    ],
)
def test_it_says_a_quote_is_never_closed(plan, content):
    errors = errors_of(content)

    assert errors == [
        'row 2: a quoted value (") that starts on line 2 is never closed; the '
        "CSV file is malformed."
    ]


def test_it_checks_the_rows_before_an_unclosed_quote(plan):
    content = (
        'plan,title_fr,number,status\ntest-plan,Un,1,bogus\ntest-plan,"Deux\nsuite,2,\n'
    )

    errors = errors_of(content)

    assert [error.split(":")[0] for error in errors] == [
        "row 2 (no. 1), field status",
        "row 3",
    ]
    assert "starts on line 3 is never closed" in errors[1]


def test_it_says_where_a_quote_is_followed_by_something_else(plan):
    errors = errors_of('plan,title_fr,number\ntest-plan,"Un" et deux,1\n')

    assert errors == [
        'row 2: on line 2 or after, a closing quote (") is followed by something '
        "other than a separator; the CSV file is malformed."
    ]


@pytest.fixture
def python_csv_limit():
    """Give the csv module its own default limit, which other libraries raise."""
    before = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(before)


@pytest.mark.usefixtures("python_csv_limit")
def test_it_says_a_value_is_too_long_for_a_csv_file(plan):
    errors = errors_of('plan,title_fr,number\ntest-plan,"' + "x" * 200_000 + "\n")

    assert errors == [
        "row 2: a value that starts on line 2 is longer than 131,072 characters; "
        'a quote (") may never be closed. The CSV file is malformed.'
    ]


def test_it_counts_rows_as_a_spreadsheet_does(plan):
    content = 'plan,title_fr,number\ntest-plan,"Un\nsur deux lignes",1\n\nnope,x,2\n'

    errors = errors_of(content)

    assert errors[0].startswith("row 4, field plan: all rows must belong")


def test_it_refuses_a_column_given_twice(plan):
    errors = errors_of("plan,title_fr,number,title_fr\ntest-plan,Un,1,Deux\n")

    assert errors == ["plan.csv, header: column 'title_fr' appears more than once."]


def test_it_says_in_french_that_a_quote_is_never_closed(plan):
    content = 'plan,title_fr,number\n"test-plan,Un,1\n'

    with translation.override("fr"):
        errors = errors_of(content)

    assert errors == [
        'ligne 2\u00a0: une valeur entre guillemets (") qui commence à la ligne 2 '
        "du fichier n’est jamais refermée\u00a0; le fichier CSV est mal formé."
    ]
