"""The fixed cast of users and the settings every test runs with."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from commitments import roles
from tests.factories import InstitutionFactory, UserFactory


@pytest.fixture
def back_office_in_english(client):
    """Show the back-office in English, the language of the texts tests assert.

    The back-office is French unless the language cookie asks otherwise.
    """
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def _default_language():
    """Start each test in the site's default language, whatever ran before.

    A request leaves its language active in the thread; without this a test's
    outcome would depend on the language of the previous test's last request.
    """
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def in_english():
    """Run code outside requests (imports, services) in English."""
    with translation.override("en"):
        yield


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
    # The page cache as in production, even when a developer's environment
    # sets DEBUG (which turns it off by default).
    settings.OGP_PAGE_CACHE_SECONDS = 300
    # Each test starts with an empty cache, whatever the previous one left.
    cache.clear()


@pytest.fixture
def ministry(db):
    return InstitutionFactory(
        slug="ministry-a", name_fr="Ministère A", name_en="Ministry A"
    )


@pytest.fixture
def other_ministry(db):
    return InstitutionFactory(
        slug="ministry-b", name_fr="Ministère B", name_en="Ministry B"
    )


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
