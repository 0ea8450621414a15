"""`manage.py check --deploy`, as the release step runs it, with .env.example."""

from tests.ops.helpers import documented_env, manage, production_env


def test_it_passes_check_deploy_with_the_documented_production_values(tmp_path):
    env = production_env(tmp_path)

    finished = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert "System check identified no issues" in finished.stdout


def test_it_refuses_the_placeholder_secret_key(tmp_path):
    env = production_env(tmp_path, SECRET_KEY=documented_env()["SECRET_KEY"])

    finished = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=env, check=False
    )

    assert finished.returncode != 0
    assert "security.W009" in finished.stderr


def test_it_warns_when_https_is_left_off(tmp_path):
    env = production_env(tmp_path, HTTPS="false", SECURE_HSTS_SECONDS="0")

    finished = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=env, check=False
    )

    assert finished.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in finished.stderr
