"""/healthz (alive) and /readyz (database, cache, storage)."""

import pytest
from django.core.files.storage import InMemoryStorage
from django.db import OperationalError

from ogp_tracker import health


def test_it_answers_healthz_without_touching_the_database(
    db, client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_is_ready_when_database_cache_and_storage_work(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_is_not_ready_without_the_database(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", BrokenConnection())

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"database": "error", "cache": "ok", "storage": "ok"}
    assert b"refused" not in response.content


@pytest.mark.django_db
def test_it_is_not_ready_without_the_cache(client, settings):
    # Port 1 on loopback refuses at once: nothing listens there.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["cache"] == "error"


@pytest.mark.django_db
def test_it_is_not_ready_when_the_media_folder_cannot_exist(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker / "media"

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["storage"] == "error"


@pytest.mark.django_db
def test_it_asks_object_storage_whether_it_answers(client, settings, monkeypatch):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    asked = []
    monkeypatch.setattr(
        InMemoryStorage, "exists", lambda self, name: asked.append(name)
    )

    ready = client.get("/readyz")

    def unreachable(self, name):
        raise ConnectionError("endpoint unreachable")

    monkeypatch.setattr(InMemoryStorage, "exists", unreachable)
    not_ready = client.get("/readyz")

    assert ready.status_code == 200
    assert asked == ["readyz-probe"]
    assert not_ready.status_code == 503
    assert not_ready.json()["storage"] == "error"


@pytest.mark.django_db
def test_it_answers_probes_that_use_the_server_address_as_host(client, settings):
    settings.ALLOWED_HOSTS = ["tracker.example.org"]

    health_response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    ready_response = client.get("/readyz", HTTP_HOST="10.0.0.5:8000")
    page = client.get("/fr/", HTTP_HOST="10.0.0.5:8000")

    assert health_response.status_code == 200
    assert ready_response.status_code == 200
    assert page.status_code == 400


@pytest.mark.django_db
def test_it_does_not_redirect_probes_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz")
    page = client.get("/fr/")

    assert response.status_code == 200
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


def test_it_refuses_to_change_anything_through_a_probe(client):
    response = client.post("/healthz")

    assert response.status_code == 405
