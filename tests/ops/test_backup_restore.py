"""A backup restored into a fresh database serves the same pages and exports.

Uses scripts/backup.sh and scripts/restore.sh exactly as the README documents
them (pg_dump, pg_restore and a media archive), on PostgreSQL.
"""

import difflib
import json
import subprocess
import sys

import pytest

from tests.ops.helpers import (
    REPO,
    base_env,
    create_database,
    database_name,
    drop_database,
    manage,
    postgres_url,
)

pytestmark = pytest.mark.skipif(
    postgres_url() is None,
    reason="backups are PostgreSQL dumps; this runs in the PostgreSQL pass of CI",
)


@pytest.fixture
def database_urls():
    server = postgres_url()
    names = {
        "source": f"{database_name(server)}_backup_source",
        "restored": f"{database_name(server)}_backup_restored",
    }
    urls = {role: create_database(server, name) for role, name in names.items()}
    yield urls
    for name in names.values():
        drop_database(server, name)


def site_env(database_url: str, media_root) -> dict[str, str]:
    env = base_env()
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        SECRET_KEY="backup-test-key-shared-by-both-renders-0123456789abcdefghij",
        ALLOWED_HOSTS="testserver",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_LEVEL="WARNING",
    )

    return env


def run_script(name: str, *args: str, env: dict[str, str]) -> str:
    finished = subprocess.run(
        ["bash", str(REPO / "scripts" / name), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stderr

    return finished.stdout.strip().splitlines()[-1]


def difference(path: str, page: list, pages: dict) -> str:
    """Return the lines that differ between the source and restored page."""
    restored = pages["restored"][path]
    lines = difflib.unified_diff(
        page[2].splitlines(), restored[2].splitlines(), lineterm="", n=1
    )
    return f"{path}: {page[:2]} -> {restored[:2]}\n" + "\n".join(list(lines)[:40])


def test_it_restores_a_dump_that_serves_the_same_pages_and_exports(
    database_urls, tmp_path
):
    source = site_env(database_urls["source"], tmp_path / "media-source")
    restored = site_env(database_urls["restored"], tmp_path / "media-restored")
    manage("migrate", "--noinput", env=source)
    seeded = subprocess.run(
        [sys.executable, "-m", "tests.ops.seed", "--bundled-plans"],
        cwd=REPO,
        env=source,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    media_file = json.loads(seeded.stdout.strip().splitlines()[-1])["media_file"]

    backup = run_script("backup.sh", str(tmp_path / "backups"), env=source)
    run_script("restore.sh", backup, env=restored)
    renders = {}
    for role, env in (("source", source), ("restored", restored)):
        output = tmp_path / f"{role}.json"
        renders[role] = (
            subprocess.Popen(
                [sys.executable, "-m", "tests.ops.render_pages", str(output)],
                cwd=REPO,
                env=env,
                stderr=subprocess.PIPE,
                text=True,
            ),
            output,
        )
    pages = {}
    for role, (process, output) in renders.items():
        _, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
        pages[role] = json.loads(output.read_text())
    pending = manage("migrate", "--check", env=restored, check=False)

    assert pages["source"]["/fr/"][0] == 200
    assert list(pages["restored"]) == list(pages["source"])
    for path, page in pages["source"].items():
        assert pages["restored"][path] == page, difference(path, page, pages)
    assert pending.returncode == 0, pending.stdout
    restored_file = tmp_path / "media-restored" / media_file
    source_file = tmp_path / "media-source" / media_file
    assert restored_file.read_bytes() == source_file.read_bytes()
