"""gunicorn's settings for canbo: `gunicorn -c python:canbo.gunicorn_conf canbo.wsgi`.

Sized for the offices' usual server (2 cores): a few processes with threads, since a request
mostly waits on the database. Each process keeps its own dashboard roll-ups in memory, so more
processes mean more memory and more cold first views, not more speed. Large imports and
exports run in the background worker (`canbo db_worker`), never in a request, so the timeout
only has to cover the slowest page (the province's PDF résumés and Excel tables).

Every value can be changed from the environment (docs/deployment.md):
CANBO_BIND, CANBO_WEB_WORKERS, CANBO_WEB_THREADS, CANBO_WEB_TIMEOUT, CANBO_ACCESS_LOG.
"""

import os

bind = os.environ.get("CANBO_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("CANBO_WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("CANBO_WEB_THREADS", "4"))
timeout = int(os.environ.get("CANBO_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5

# Only the reverse proxy on this machine may tell gunicorn the original scheme and address.
forwarded_allow_ips = os.environ.get("CANBO_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to standard output and error, which systemd keeps in the journal.
accesslog = os.environ.get("CANBO_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = "info"
access_log_format = '%({x-forwarded-for}i)s %(h)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

proc_name = "canbo"
