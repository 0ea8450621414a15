"""The fixed cast of users and the settings every test runs with."""

import pytest

from commitments import roles
from tests.factories import InstitutionFactory, UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Hashed static names need collectstatic, which tests do not run.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    # The default hasher takes a quarter of a second per user, on purpose;
    # tests create hundreds of users and check no password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


@pytest.fixture
def ministry(db):
    return InstitutionFactory(slug="ministry-a", name_fr="Ministère A")


@pytest.fixture
def other_ministry(db):
    return InstitutionFactory(slug="ministry-b", name_fr="Ministère B")


@pytest.fixture
def citizen(db):
    return UserFactory(username="citizen")


@pytest.fixture
def member(db):
    return UserFactory(username="member", organisation="Association X")


@pytest.fixture
def editor(db, ministry):
    user = UserFactory(username="editor", is_staff=True, roles=[roles.EDITORS])
    ministry.members.add(user)
    return user


@pytest.fixture
def other_editor(db, other_ministry):
    user = UserFactory(username="other-editor", is_staff=True, roles=[roles.EDITORS])
    other_ministry.members.add(user)
    return user


@pytest.fixture
def coordinator(db):
    return UserFactory(
        username="coordinator", is_staff=True, roles=[roles.COORDINATORS]
    )


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", is_staff=True, roles=[roles.MODERATORS])
