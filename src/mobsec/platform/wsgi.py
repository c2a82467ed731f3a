"""WSGI entry point (gunicorn mobsec.platform.wsgi:application)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobsec.platform.settings.local")
application = get_wsgi_application()
