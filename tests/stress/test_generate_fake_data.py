"""The fictional data generator: exact counts, marked as fictional, repeatable."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from commitments.management.commands.generate_fake_data import SCALES, Scale, generate
from commitments.models import ActionPlan, Commitment, CommitmentFacts, Milestone
from commitments.versioning import has_changed
from community.models import Comment
from tests.factories import ActionPlanFactory, CommitmentFactory
from workshops.models import Workshop

TINY = Scale(
    plans=2,
    commitments=8,
    milestones=24,
    comments=120,
    history_rows=150,
    workshops=4,
    users=6,
    institutions=3,
    hot_comments=40,
    typical_comments=10,
)


def history_rows() -> int:
    return sum(model.history.count() for model in (ActionPlan, Commitment, Milestone))


def test_it_writes_exactly_the_rows_of_the_scale(db):
    counts = generate(TINY)

    assert ActionPlan.objects.count() == 2
    assert Commitment.objects.count() == 8
    assert Milestone.objects.count() == 24
    assert Comment.objects.count() == 120
    assert Workshop.objects.count() == 4
    assert history_rows() == 150
    assert counts["history_rows"] == 150


def test_it_gives_the_hot_and_the_typical_commitment_their_comments(db):
    generate(TINY)

    first = Commitment.objects.filter(plan__slug="demo-plan-01").order_by("number")

    assert first[0].comments.count() == 40
    assert first[1].comments.count() == 10


def test_it_threads_replies_down_to_the_deepest_level_only(db):
    generate(TINY)

    depths = set(Comment.objects.values_list("depth", flat=True))
    misplaced = Comment.objects.exclude(parent=None).filter(root=None).count()

    assert depths == set(range(Comment.MAX_DEPTH + 1))
    assert misplaced == 0


def test_it_marks_everything_as_fictional(db):
    generate(TINY)

    plans = ActionPlan.objects.all()

    assert all(plan.slug.startswith("demo-") for plan in plans)
    assert all(plan.title_fr.startswith("Exemple fictif") for plan in plans)
    assert all(
        c.title_fr.startswith("Exemple fictif") for c in Commitment.objects.all()
    )


def test_it_leaves_the_latest_history_row_equal_to_the_live_row(db):
    generate(TINY)

    objects = [*Commitment.objects.all(), *Milestone.objects.all()[:10]]

    assert [obj for obj in objects if has_changed(obj)] == []


class _Discard(Exception):
    pass


def snapshot(seed: int) -> list[tuple]:
    """Generate TINY with seed, read what a visitor would see, then roll back."""
    try:
        with transaction.atomic():
            generate(TINY, seed=seed)
            rows = list(
                Commitment.objects.order_by("plan__slug", "number").values_list(
                    "title_fr", "end", "milestones__title_fr", "milestones__status"
                )
            )
            rows += list(
                Comment.objects.order_by("created_at").values_list("body", "depth")
            )
            raise _Discard
    except _Discard:
        return rows


def test_it_writes_the_same_data_for_the_same_seed(db):
    first = snapshot(seed=3)
    again = snapshot(seed=3)
    other = snapshot(seed=4)

    assert first == again
    assert first != other


def test_it_never_adds_to_an_existing_plan(db):
    real = ActionPlanFactory(slug="fr-2021-2023")
    CommitmentFactory(plan=real, number=1)

    generate(TINY)

    assert real.commitments.count() == 1


def test_it_refuses_to_run_twice_on_the_same_database(db):
    generate(TINY)

    with pytest.raises(CommandError):
        generate(TINY)


def test_it_offers_the_realistic_and_the_stress_scales_from_the_command(db):
    with pytest.raises(CommandError):
        call_command("generate_fake_data", "--scale", "enormous")

    assert SCALES["realistic"].commitments == 60
    assert SCALES["stress"].history_rows == 500_000
    assert SCALES["stress"].hot_comments == 5000


def test_it_stores_the_facts_the_application_would_store(db):
    generate(TINY)
    written = list(CommitmentFacts.objects.order_by("pk").values())

    CommitmentFacts.objects.all().delete()
    call_command("store_facts", stdout=None)

    assert len(written) == 8
    assert list(CommitmentFacts.objects.order_by("pk").values()) == written
