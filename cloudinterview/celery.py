"""The Celery app of the Django side (evaluations, feedback, periodic jobs).

The code sandbox has its own minimal app (`sandbox.celery_app`) that loads no Django settings.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloudinterview.settings")

app = Celery("cloudinterview")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
