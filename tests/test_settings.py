"""Configuration as CONTRACT section 10 and 12: both deployments, secrets, HTTPS, hashing."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache, caches
from django.db import connection
from django.utils.module_loading import import_string

import cloudinterview.settings as configured

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DEBUG", "SECURE_HTTPS"}}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True,
                          text=True, timeout=60)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="DATABASE_URL not set: embedded default run")
def test_distributed_run_really_uses_postgresql_with_a_pool(db):
    assert connection.vendor == "postgresql"
    assert settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"] == settings.DB_POOL_MAX_SIZE


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: embedded default run")
def test_distributed_run_really_uses_redis_for_cache_layer_and_broker():
    assert type(caches["default"]).__name__ == "RedisCache"
    cache.set("settings-probe", "ok", 5)
    assert cache.get("settings-probe") == "ok"
    assert type(get_channel_layer()).__name__ == "RedisChannelLayer"
    assert settings.CELERY_TASK_ALWAYS_EAGER is False


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL")),
                    reason="distributed run")
def test_embedded_default_uses_sqlite_memory_layers_and_eager_tasks(db):
    assert connection.vendor == "sqlite"
    assert type(caches["default"]).__name__ == "LocMemCache"
    assert type(get_channel_layer()).__name__ == "InMemoryChannelLayer"
    assert settings.CELERY_TASK_ALWAYS_EAGER is True


def test_argon2_is_the_production_hasher():
    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hashed = import_string(configured.PASSWORD_HASHERS[0])().encode("s3cret-value", "somesalt1234")

    assert hashed.startswith("argon2$argon2id$")


def test_debug_is_off_by_default():
    result = run_python("import cloudinterview.settings as s; print(s.DEBUG)",
                        DJANGO_SECRET_KEY="x" * 60)

    assert result.stdout.strip() == "False", result.stderr


def test_secret_key_is_generated_once_and_private(tmp_path):
    code = "import cloudinterview.settings as s; print(s.SECRET_KEY)"
    first = run_python(code, CLOUDINTERVIEW_VAR_DIR=str(tmp_path))
    second = run_python(code, CLOUDINTERVIEW_VAR_DIR=str(tmp_path))

    key_file = tmp_path / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == key_file.read_text().strip()
    assert len(first.stdout.strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_check_deploy_passes_with_https_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in os.environ.items() if k not in {"DEBUG"}},
             "SECURE_HTTPS": "1", "DJANGO_SECRET_KEY": "k" * 20 + "Zq9!xR2#vL8@mN4$pT6^wY1&" + "s" * 20,
             "ALLOWED_HOSTS": "interview.example.com", "CLOUDINTERVIEW_VAR_DIR": str(tmp_path)},
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_make_password_default_in_tests_is_fast():
    assert make_password("x").startswith("md5$")
