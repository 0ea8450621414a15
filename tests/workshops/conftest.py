"""Fixtures of the workshop tests: an organisation, its member, a commitment."""

import pytest

from tests.factories import CommitmentFactory, UserFactory
from tests.workshops.factories import CivilSocietyFactory


@pytest.fixture
def association(db):
    return CivilSocietyFactory(slug="association-x", name_fr="Association X")


@pytest.fixture
def cs_member(db, association):
    user = UserFactory(username="cs-member", language="en")
    association.members.add(user)
    return user


@pytest.fixture
def commitment(db, ministry):
    return CommitmentFactory(
        number=38,
        title_fr="Outiller le Gouvernement ouvert",
        lead_institutions=[ministry],
    )
