"""Fill the database named by DATABASE_URL for the multi-process tests.

    python -m tests.ops.seed [--bundled-plans]

Writes a small plan with a ministry, an editor and a coordinator who can log
in, a civil-society member with a confirmed e-mail address, a progress update,
a comment and an uploaded file; with --bundled-plans, also the real plans of
data/plans. Prints what the tests need (ids, addresses, passwords) as JSON.
"""

import argparse
import datetime
import io
import json
import os
from decimal import Decimal

import django

PASSWORD = "a-long-password-for-ops-tests"


def seed(*, bundled_plans: bool) -> dict:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from commitments import roles, services
    from commitments.models import Status
    from community.services import post_comment
    from tests.factories import (
        CommitmentFactory,
        InstitutionFactory,
        MilestoneFactory,
        UserFactory,
    )

    if bundled_plans:
        call_command("load_bundled_plans", verbosity=0, stdout=io.StringIO())
    roles.ensure_role_groups()

    ministry = InstitutionFactory(slug="ops-ministry", name_fr="Ministère des essais")
    commitment = CommitmentFactory(
        lead_institutions=[ministry], title_fr="Engagement des essais"
    )
    MilestoneFactory(commitment=commitment, title_fr="Jalon des essais")
    users = {}
    for name, role in (("editor", roles.EDITORS), ("coordinator", None)):
        user = UserFactory(
            username=f"ops-{name}", email=f"ops-{name}@example.org", is_staff=True
        )
        user.set_password(PASSWORD)
        user.is_superuser = role is None
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        users[name] = user
    ministry.members.add(users["editor"])
    member = UserFactory(username="ops-member", email="ops-member@example.org")
    member.set_password(PASSWORD)
    member.save()
    for user in (*users.values(), member):
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )

    services.record_progress(
        commitment=commitment,
        user=users["editor"],
        author_institution=ministry,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
        status=Status.IN_PROGRESS,
        percentage=Decimal("25"),
        achievements="First half-year of work.",
    )
    comment = post_comment(
        commitment=commitment, author=member, body="A first question."
    )
    stored_name = default_storage.save(
        "ops/evidence.txt", ContentFile(b"evidence kept in media\n")
    )

    return {
        "password": PASSWORD,
        "commitment": commitment.pk,
        "plan": commitment.plan.slug,
        "reference": commitment.reference,
        "ministry": ministry.pk,
        "comment": comment.pk,
        "editor_email": users["editor"].email,
        "coordinator_email": users["coordinator"].email,
        "member_email": member.email,
        "media_file": stored_name,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bundled-plans", action="store_true")
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_tracker.settings")
    django.setup()
    print(json.dumps(seed(bundled_plans=arguments.bundled_plans)))


if __name__ == "__main__":
    main()
