import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env_overrides):
    # The test settings (and the browser tests) set these in this process; the child starts from production defaults.
    set_by_test_settings = {"DEBUG", "DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"} | {
        k for k in os.environ if k.startswith(("SECURE_", "SESSION_COOKIE", "CSRF_COOKIE"))
    }
    env = {k: v for k, v in os.environ.items() if k not in set_by_test_settings}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="portal.settings.base")
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "kehoach.example.gov.vn",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "SECURE_HSTS_PRELOAD": "true",
        },
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_vietnamese_is_the_default_language_with_its_number_format(settings):
    from django.utils import translation
    from django.utils.formats import number_format

    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    with translation.override("vi"):
        assert number_format(344050, force_grouping=True) == "344.050"
        assert number_format(22.78, decimal_pos=2) == "22,78"
