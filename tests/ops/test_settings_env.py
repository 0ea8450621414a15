"""Settings computed from the environment, each in a fresh process."""

import subprocess
import sys

from tests.ops.helpers import (
    REPO,
    base_env,
    production_env,
    python_snippet,
    settings_of,
)


def test_it_stays_on_development_defaults_without_variables(tmp_path):
    env = base_env()
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'dev.sqlite3'}"

    values = settings_of(
        env,
        [
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS",
            "SECURE_PROXY_SSL_HEADER",
            "TASKS",
            "STORAGES",
            "EMAIL_BACKEND",
            "CACHES",
        ],
    )

    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    backend = values["TASKS"]["default"]["BACKEND"]
    assert backend == "django_tasks.backends.immediate.ImmediateBackend"
    default_storage = values["STORAGES"]["default"]["BACKEND"]
    assert default_storage == "django.core.files.storage.FileSystemStorage"
    assert values["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")


def test_it_turns_on_https_behind_the_proxy_with_the_documented_values(tmp_path):
    values = settings_of(
        production_env(tmp_path),
        [
            "SECURE_SSL_REDIRECT",
            "SECURE_PROXY_SSL_HEADER",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "CSRF_TRUSTED_ORIGINS",
            "DEBUG",
        ],
    )

    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "CSRF_TRUSTED_ORIGINS": ["https://tracker.example.org"],
        "DEBUG": False,
    }


def test_it_pools_postgresql_connections_when_asked(tmp_path):
    url = "postgres://ogp:secret@db.internal:5432/ogp"
    pooled = production_env(
        tmp_path, DATABASE_URL=url, DATABASE_POOL="true", DATABASE_POOL_MAX_SIZE="8"
    )
    persistent = production_env(
        tmp_path, DATABASE_URL=url, DATABASE_POOL="false", DATABASE_CONN_MAX_AGE="60"
    )

    with_pool = settings_of(pooled, ["DATABASES"])["DATABASES"]["default"]
    without = settings_of(persistent, ["DATABASES"])["DATABASES"]["default"]

    assert with_pool["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 8, "timeout": 10}
    assert with_pool["CONN_MAX_AGE"] == 0
    assert with_pool["OPTIONS"]["connect_timeout"] == 5
    assert "pool" not in without["OPTIONS"]
    assert without["CONN_MAX_AGE"] == 60
    assert without["CONN_HEALTH_CHECKS"] is True


def test_it_shares_a_redis_cache_with_short_timeouts(tmp_path):
    env = production_env(tmp_path, CACHE_URL="redis://redis.internal:6379/2")

    cache = settings_of(env, ["CACHES"])["CACHES"]["default"]

    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://redis.internal:6379/2"
    assert cache["OPTIONS"] == {"socket_connect_timeout": 2, "socket_timeout": 2}
    assert cache["KEY_PREFIX"] == "ogp-tracker"


def test_it_reads_the_mail_server_from_one_url(tmp_path):
    env = production_env(
        tmp_path, EMAIL_URL="smtp+tls://tracker:p%40ss@smtp.example.org:587"
    )

    values = settings_of(
        env,
        [
            "EMAIL_BACKEND",
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_HOST_USER",
            "EMAIL_HOST_PASSWORD",
            "EMAIL_USE_TLS",
            "EMAIL_USE_SSL",
            "EMAIL_TIMEOUT",
        ],
    )

    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "tracker",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 10,
    }


def test_it_reads_the_mail_server_from_separate_variables(tmp_path):
    env = production_env(
        tmp_path,
        EMAIL_URL="",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="relay.internal",
        EMAIL_PORT="465",
        EMAIL_USE_SSL="true",
    )

    values = settings_of(env, ["EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_SSL"])

    assert values == {
        "EMAIL_HOST": "relay.internal",
        "EMAIL_PORT": 465,
        "EMAIL_USE_SSL": True,
    }


def test_it_stores_media_in_an_s3_bucket_when_configured(tmp_path):
    env = production_env(
        tmp_path,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="ogp-media",
        AWS_S3_ENDPOINT_URL="https://s3.fr-par.example.net",
        AWS_S3_REGION_NAME="fr-par",
        AWS_ACCESS_KEY_ID="key-id",
        AWS_SECRET_ACCESS_KEY="secret",
    )

    values = settings_of(env, ["STORAGES", "CONTENT_SECURITY_POLICY"])
    code = (
        "from django.core.files.storage import storages\n"
        "storage = storages['default']\n"
        "print(type(storage).__name__, storage.bucket_name)\n"
    )

    instance = python_snippet(code, env=env).split()

    options = values["STORAGES"]["default"]["OPTIONS"]
    assert values["STORAGES"]["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "ogp-media"
    assert options["endpoint_url"] == "https://s3.fr-par.example.net"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert instance == ["S3Storage", "ogp-media"]
    img_src = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert "https://s3.fr-par.example.net" in img_src


def test_it_refuses_an_unknown_media_storage_or_task_backend(tmp_path):
    for name, value in (("MEDIA_STORAGE", "ftp"), ("TASKS_BACKEND", "celery")):
        env = production_env(tmp_path, **{name: value})

        finished = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )

        assert finished.returncode != 0
        assert f"ImproperlyConfigured: {name} must be" in finished.stderr


def test_it_queues_tasks_in_the_database_when_configured(tmp_path):
    env = production_env(tmp_path, TASKS_BACKEND="database")

    tasks = settings_of(env, ["TASKS"])["TASKS"]

    assert tasks == {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}
    }


def test_it_lets_a_static_cdn_through_the_content_security_policy(tmp_path):
    env = production_env(tmp_path, STATIC_URL="https://cdn.example.org/static/")

    directives = settings_of(env, ["CONTENT_SECURITY_POLICY"])[
        "CONTENT_SECURITY_POLICY"
    ]["DIRECTIVES"]

    for directive in ("script-src", "style-src", "img-src", "font-src"):
        assert "https://cdn.example.org" in directives[directive]
    assert directives["connect-src"] == ["'self'"]


def test_the_page_cache_is_on_by_default_only_with_a_shared_cache(tmp_path):
    env = base_env()
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
    env["SECRET_KEY"] = "x" * 50
    private = settings_of(env, ["OGP_PAGE_CACHE_SECONDS"])
    env["CACHE_URL"] = "redis://127.0.0.1:6379/9"
    shared = settings_of(env, ["OGP_PAGE_CACHE_SECONDS"])
    env["DEBUG"] = "true"
    debugging = settings_of(env, ["OGP_PAGE_CACHE_SECONDS"])

    assert private["OGP_PAGE_CACHE_SECONDS"] == 0
    assert shared["OGP_PAGE_CACHE_SECONDS"] == 300
    assert debugging["OGP_PAGE_CACHE_SECONDS"] == 0


def test_account_e_mails_link_with_the_scheme_of_the_sites_address(tmp_path):
    local = base_env()
    local.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        DEBUG="false",
        OGP_SITE_URL="http://127.0.0.1:8412",
    )

    served_plainly = settings_of(local, ["ACCOUNT_DEFAULT_HTTP_PROTOCOL"])
    deployed = settings_of(production_env(tmp_path), ["ACCOUNT_DEFAULT_HTTP_PROTOCOL"])

    assert served_plainly["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "http"
    assert deployed["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"
