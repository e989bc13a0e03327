"""The HTTP API (django-ninja) at /api/: endpoints, authentication, schemas, docs page."""
