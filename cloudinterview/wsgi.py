"""WSGI entry point: Django for HTTP (gunicorn in `make up`)."""

import os

from django.core.wsgi import get_wsgi_application

from .gc_tuning import freeze_start_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloudinterview.settings")
application = get_wsgi_application()
freeze_start_up()
