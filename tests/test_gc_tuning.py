"""Server processes freeze what start-up loaded, so full collections do not walk it (cloudinterview/gc_tuning.py):
Daphne and gunicorn when their entry point is imported, each Celery pool process when it starts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENTRY_POINTS = {
    "Daphne (ASGI)": "import cloudinterview.asgi",
    "gunicorn (WSGI)": "import cloudinterview.wsgi",
    "a Celery pool process": "from celery.signals import worker_process_init; from cloudinterview.celery import app; "
                             "worker_process_init.send(sender=None)",
}


@pytest.mark.parametrize("entry", ENTRY_POINTS.values(), ids=ENTRY_POINTS.keys())
def test_start_up_objects_are_frozen(entry):
    probe = f"import gc, django; django.setup(); before = gc.get_freeze_count(); {entry}; " \
            "print(before, gc.get_freeze_count())"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cloudinterview.settings"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=True)
    before, after = (int(n) for n in done.stdout.split()[-2:])
    assert before == 0
    assert after > 50_000  # Django, DRF, Channels and the apps: far more than a handful of objects
