"""Gunicorn settings for ogp-tracker, read from the environment.

Used by the Dockerfile and docker-compose.yml:
    gunicorn -c deploy/gunicorn.conf.py ogp_tracker.wsgi

Threaded workers ("gthread") because CSV exports of a whole plan stream for a
long time: a sync worker would miss its heartbeat while streaming and be
killed at the timeout, cutting the download short. With threads, the worker's
main thread keeps answering the arbiter while other threads stream.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Two processes per core is a good start for this mostly database-bound site;
# each process holds its own database pool (DATABASE_POOL_MAX_SIZE).
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count())
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)

# The heartbeat timeout: a worker silent this long is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 60)
# Time left to requests in flight (a long export) on restart or scale-down.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 60)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so slow memory growth never piles up; the
# jitter keeps them from all restarting at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Each worker loads the application itself. Preloading in the arbiter would
# save some memory, but anything that opened a database connection at import
# would then hand one pooled connection to every forked worker. A worker that
# cannot import the code still stops gunicorn at start.
preload_app = False

# The heartbeat file on a memory file system: a container's overlay disk can
# stall it long enough for healthy workers to be killed.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Gunicorn's control socket would be shared by every instance on one machine
# (it lives in the home folder); nothing here uses it.
control_socket_disable = True

# The addresses whose X-Forwarded-* headers gunicorn believes. Django decides
# about HTTPS itself (TRUST_X_FORWARDED_PROTO), so this only affects
# gunicorn's own view of the request.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs go to standard output and error, for the container runtime to collect.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Without the query string: filters are harmless, but tokens in links are not.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
