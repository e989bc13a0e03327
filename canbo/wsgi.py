"""The WSGI application gunicorn serves (canbo/gunicorn_conf.py, docs/deployment.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")
application = get_wsgi_application()
