"""Files built to exhaust the importer are refused with a message, quickly."""

import time

import pytest

from commitments.importer import MAX_ENTRIES, ImportFailed, import_file
from commitments.models import ActionPlan, Commitment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

DEEP_LIST = b"plan: " + b"[" * 5000 + b"]" * 5000
DEEP_MAPPING = b"plan: " + b"{a: " * 5000 + b"}" * 5000
DEEP_JSON = b'{"plan": ' + b"[" * 5000 + b"]" * 5000 + b"}"
# Each alias repeats the line above nine times: 9**9 values in ten lines.
BILLION_LAUGHS = b"""\
a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
plan: {slug: laughs, title_fr: Rires}
commitments: *h
"""
PLAN_HEAD = b"plan:\n  slug: test-plan\n  title_fr: Plan de test\ncommitments:\n"


def refusal(name, content):
    """Import a file that must be refused; return its errors and the time taken."""
    started = time.monotonic()
    with pytest.raises(ImportFailed) as failure:
        import_file(name, content)

    return failure.value.errors, time.monotonic() - started


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.yaml", DEEP_LIST),
        ("plan.yaml", DEEP_MAPPING),
        ("plan.json", DEEP_JSON),
    ],
)
def test_it_refuses_deeply_nested_values(name, content):
    errors, _seconds = refusal(name, content)

    assert errors == [
        f"{name} (line 1): values are nested more than 20 levels deep. "
        "The file cannot be imported."
    ]
    assert not ActionPlan.objects.exists()


def test_it_refuses_nesting_built_from_aliases():
    # Each alias is nested 9 levels inside the next: 36 levels in all.
    lines = [b"a0: &a0 " + b"[" * 9 + b"x" + b"]" * 9]
    for level in range(1, 4):
        alias = b"*a%d" % (level - 1)
        lines.append(b"a%d: &a%d " % (level, level) + b"[" * 9 + alias + b"]" * 9)
    content = b"\n".join(lines) + b"\nplan: {slug: p, title_fr: P}\n"

    errors, _seconds = refusal("plan.yaml", content)

    assert "values are nested more than 20 levels deep" in errors[0]


def test_it_refuses_an_alias_bomb_without_expanding_it():
    errors, seconds = refusal("plan.yaml", BILLION_LAUGHS)

    assert errors == [
        "plan.yaml (line 6): the file holds more than 100,000 values (an alias "
        "counts as all the values it repeats). The file cannot be imported."
    ]
    assert seconds < 5
    assert not ActionPlan.objects.exists()


def test_it_refuses_an_alias_inside_the_value_it_names():
    errors, _seconds = refusal("plan.yaml", b"plan: &loop {slug: p, x: *loop}\n")

    assert "an alias (*) refers to a value that contains it" in errors[0]


def test_it_still_reads_a_plain_alias():
    content = (
        PLAN_HEAD
        + b"- {number: 1, title_fr: &title Un}\n- {number: 2, title_fr: *title}\n"
    )

    import_file("plan.yaml", content)

    assert list(Commitment.objects.values_list("title_fr", flat=True)) == ["Un", "Un"]


def test_it_refuses_a_huge_shallow_file_early():
    # Just under the 2 MB a file may weigh, in small values.
    content = PLAN_HEAD + b"- {number: 1, title_fr: x}\n" * 70_000

    errors, seconds = refusal("plan.yaml", content)

    assert "the file holds more than 100,000 values" in errors[0]
    assert seconds < 20
    assert not ActionPlan.objects.exists()


def test_it_refuses_more_commitments_than_one_file_may_hold():
    entries = b"".join(
        b"- {number: %d, title_fr: x}\n" % number for number in range(MAX_ENTRIES + 1)
    )

    errors, _seconds = refusal("plan.yaml", PLAN_HEAD + entries)

    assert errors == [
        "plan.yaml: a file may hold at most 2,000 commitments, milestones and "
        "institutions; split it into several files."
    ]
    assert not ActionPlan.objects.exists()


def test_it_refuses_more_csv_rows_than_one_file_may_hold():
    ActionPlan.objects.create(slug="test-plan", title_fr="Plan de test")
    rows = "".join(f"test-plan,{number},x\n" for number in range(1, MAX_ENTRIES + 2))

    errors, _seconds = refusal("plan.csv", ("plan,number,title_fr\n" + rows).encode())

    assert errors == [
        "plan.csv: a file may hold at most 2,000 commitments, milestones and "
        "institutions; split it into several files."
    ]
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    "number",
    [b"1" * 5000, b"0x" + b"f" * 5000, b"1" + b":1" * 200_000],
    ids=["long", "long-hexadecimal", "long-base-60"],
)
def test_it_names_a_number_too_long_to_read(number):
    content = PLAN_HEAD + b"- {number: " + number + b", title_fr: Un}\n"

    errors, seconds = refusal("plan.yaml", content)

    assert len(errors) == 1
    assert errors[0].startswith("commitment 1 (no. ")
    assert "field number:" in errors[0]
    assert seconds < 5


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.yaml", PLAN_HEAD + b'- {number: 1, title_fr: "Un\\0"}\n'),
        ("plan.yaml", PLAN_HEAD + b'- {number: 1, title_fr: Un, partners: ["A\\0"]}\n'),
    ],
)
def test_it_refuses_a_nul_character_which_postgresql_cannot_store(name, content):
    errors, _seconds = refusal(name, content)

    assert len(errors) == 1
    assert "contains a NUL character, which text cannot hold." in errors[0]
    assert not ActionPlan.objects.exists()


@pytest.mark.parametrize(
    "line",
    [
        "  number: !!int abc",
        "  end: !!timestamp 2022-02-30",
        "  progress: !!float abc",
        "  help: !!bool maybe",
        "  number: !!int 0x",
        "  start: !!timestamp 2022-01-01T25:00:00",
    ],
)
def test_it_names_the_line_of_a_value_an_explicit_tag_cannot_make(line):
    content = (
        "plan:\n  slug: test-plan\n  title_fr: Plan\n"
        f"commitments:\n- title_fr: Un\n{line}\n"
    ).encode()

    with pytest.raises(ImportFailed) as failure:
        import_file("plan.yaml", content)

    assert failure.value.errors == ["plan.yaml (line 6): this is not valid YAML."]


def test_it_refuses_a_key_given_twice_instead_of_dropping_one():
    content = PLAN_HEAD + b"- number: 1\n  title_fr: Un\n  title_fr: Deux\n"

    errors, _seconds = refusal("plan.yaml", content)

    assert errors == [
        "plan.yaml (line 7): the key 'title_fr' appears twice in the same entry. "
        "The file cannot be imported."
    ]
    assert not ActionPlan.objects.exists()


def test_it_lets_a_key_override_one_brought_by_a_merge():
    content = PLAN_HEAD + (
        b"- &first {number: 1, title_fr: Un}\n- <<: *first\n  number: 2\n"
    )

    import_file("plan.yaml", content)

    assert list(Commitment.objects.values_list("number", "title_fr")) == [
        (1, "Un"),
        (2, "Un"),
    ]
