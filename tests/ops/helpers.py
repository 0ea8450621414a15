"""Run the project as a deployment would: subprocesses with their own environment.

Settings are read once, at import, from the environment; testing a production
configuration therefore means starting a new Python process with it.
"""

import json
import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]


def documented_env() -> dict[str, str]:
    """Return the KEY=VALUE lines of .env.example that are not commented out."""
    values = {}
    for raw in (REPO / ".env.example").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip()

    return values


def base_env() -> dict[str, str]:
    """Return a minimal environment, free of the developer's own settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PGPASSWORD")
    env = {key: os.environ[key] for key in keep if key in os.environ}
    env["DJANGO_SETTINGS_MODULE"] = "ogp_tracker.settings"
    env["PYTHONDONTWRITEBYTECODE"] = "1"

    return env


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """Return the documented production variables, made runnable on this machine.

    The placeholder secret is replaced, and the services that only exist in
    docker-compose.yml (db, redis) are replaced by local stand-ins.
    """
    env = base_env()
    env.update(documented_env())
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    env["CACHE_URL"] = "locmemcache://production"
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    env.update(overrides)

    return env


def manage(
    *args: str, env: dict[str, str], timeout: float = 120, check: bool = True
) -> subprocess.CompletedProcess:
    """Run manage.py with the given environment and return the finished process."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


def python_snippet(code: str, *, env: dict[str, str], timeout: float = 120) -> str:
    """Run code after django.setup() in a new process; return its standard output."""
    program = "import django\ndjango.setup()\n" + code
    finished = subprocess.run(
        [sys.executable, "-c", program],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if finished.returncode != 0:
        raise AssertionError(f"snippet failed:\n{finished.stderr}")

    return finished.stdout


def settings_of(env: dict[str, str], names: list[str]) -> dict:
    """Return the named settings as a process started with env computes them."""
    code = (
        "import json\nfrom django.conf import settings\n"
        f"names = {names!r}\n"
        "print(json.dumps({n: getattr(settings, n, None) for n in names},"
        " default=repr))\n"
    )

    return json.loads(python_snippet(code, env=env))


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_url() -> str | None:
    """Return DATABASE_URL when the suite runs on PostgreSQL, else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_database(url: str, name: str) -> str:
    """Return url pointing at another database on the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance_connection(url: str):
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def create_database(url: str, name: str) -> str:
    """Create an empty database beside url's (dropping a leftover); return its URL."""
    drop_database(url, name)
    with _maintenance_connection(url) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    with _maintenance_connection(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
