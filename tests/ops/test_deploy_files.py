"""The deployment files: compose, Dockerfile, gunicorn, requirements, scripts.

Containers cannot run on the build machine, so these tests read the files the
way Docker and Compose would and check what a deployment relies on.
"""

import re
import runpy
import subprocess
from importlib.metadata import PackageNotFoundError, distribution

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.ops.helpers import REPO, documented_env


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_it_defines_the_services_of_one_machine(compose):
    services = compose["services"]

    assert set(services) == {"db", "redis", "release", "web", "worker"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert set(compose["volumes"]) == {"pgdata", "media"}


def test_it_checks_the_health_of_the_database_redis_and_web(compose):
    services = compose["services"]

    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    web_check = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/readyz" in web_check


def test_it_migrates_once_in_a_release_step_before_web_and_worker(compose):
    services = compose["services"]
    release = services["release"]

    command = " ".join(release["command"])
    assert "check --deploy --fail-level WARNING" in command
    assert "migrate --noinput" in command
    assert command.index("check --deploy") < command.index("migrate")
    assert release["restart"] == "no"
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["release"] == {"condition": "service_completed_successfully"}
        assert "migrate" not in " ".join(services[name]["command"])


def test_it_runs_gunicorn_and_the_task_worker_from_one_image(compose):
    services = compose["services"]

    images = {services[name]["image"] for name in ("release", "web", "worker")}
    assert len(images) == 1
    assert services["web"]["command"][:3] == [
        "gunicorn",
        "--config",
        "deploy/gunicorn.conf.py",
    ]
    assert services["worker"]["command"][:3] == ["python", "manage.py", "db_worker"]
    for name in ("release", "web", "worker"):
        environment = services[name]["environment"]
        assert environment["TASKS_BACKEND"] == "database"
        assert environment["CACHE_URL"] == "redis://redis:6379/0"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert "media:/app/var/media" in services[name]["volumes"]


def test_it_publishes_the_web_server_on_loopback_by_default(compose):
    ports = compose["services"]["web"]["ports"]

    assert ports == ["${WEB_BIND:-127.0.0.1:8000}:8000"]
    assert documented_env()["WEB_BIND"].startswith("127.0.0.1:")


def test_it_builds_a_slim_image_that_runs_as_a_user():
    dockerfile = (REPO / "Dockerfile").read_text()
    instructions = [
        line.split(None, 1)
        for line in dockerfile.splitlines()
        if line and not line.startswith(("#", " "))
    ]

    assert "ARG PYTHON_IMAGE=python:3.11-slim-bookworm" in dockerfile
    assert [args for verb, args in instructions if verb == "FROM"] == [
        "${PYTHON_IMAGE} AS build",
        "${PYTHON_IMAGE}",
    ]
    users = [args for verb, args in instructions if verb == "USER"]
    assert users == ["app"]
    assert "pip install --no-deps -r /tmp/requirements.txt" in dockerfile
    assert "manage.py collectstatic --noinput" in dockerfile
    assert re.search(r"^CMD \[\"gunicorn\"", dockerfile, re.MULTILINE)


def test_it_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (REPO / ".dockerignore").read_text().splitlines()

    for pattern in (".env", ".git", ".venv", "/var", "/tests"):
        assert pattern in ignored


def test_it_pins_every_runtime_dependency_and_theirs():
    pins = {}
    for raw in (REPO / "requirements.txt").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            requirement = Requirement(line)
            assert str(requirement.specifier).startswith("=="), line
            pins[canonicalize_name(requirement.name)] = requirement

    # The image installs with --no-deps, so whatever a pinned package needs
    # must be pinned too.
    missing = set()
    for name in pins:
        try:
            needs = distribution(name).requires or []
        except PackageNotFoundError:
            missing.add(f"{name} (pinned but not installed)")
            continue
        for need in map(Requirement, needs):
            applies = need.marker is None or need.marker.evaluate({"extra": ""})
            if applies and canonicalize_name(need.name) not in pins:
                missing.add(f"{need.name} (needed by {name})")
    assert missing == set()


def test_it_configures_gunicorn_for_long_exports(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.delenv("GUNICORN_TIMEOUT", raising=False)

    config = runpy.run_path(str(REPO / "deploy" / "gunicorn.conf.py"))

    assert config["workers"] == 3
    assert config["worker_class"] == "gthread"
    assert config["threads"] >= 2
    assert config["timeout"] == 60
    assert config["graceful_timeout"] >= 30
    assert config["max_requests"] > 0
    assert 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["control_socket_disable"] is True
    assert config["accesslog"] == "-"
    assert "%(q)s" not in config["access_log_format"]


def test_it_ships_backup_and_restore_scripts_that_parse():
    for name in ("backup.sh", "restore.sh"):
        script = REPO / "scripts" / name

        finished = subprocess.run(["bash", "-n", str(script)], capture_output=True)

        assert finished.returncode == 0, finished.stderr
        assert script.stat().st_mode & 0o111
        assert "set -euo pipefail" in script.read_text()


def test_it_documents_every_variable_the_settings_read():
    settings_source = (REPO / "ogp_tracker" / "settings.py").read_text()
    gunicorn_source = (REPO / "deploy" / "gunicorn.conf.py").read_text()
    read = set(re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", settings_source))
    read |= set(re.findall(r"(?:_int|get)\(\"([A-Z][A-Z0-9_]+)\"", gunicorn_source))
    example = (REPO / ".env.example").read_text()

    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))

    assert {"SECRET_KEY", "DATABASE_URL", "CACHE_URL", "WEB_CONCURRENCY"} <= read
    # A new variable belongs in .env.example and the README's table.
    assert read - documented == set()
