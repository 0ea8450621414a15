# ogp-tracker image: the web server (gunicorn), the task worker and the
# one-off release step all run from it (see docker-compose.yml).
#
#   docker build -t ogp-tracker .
#
# For reproducible builds, pin the base image by digest in production
# (python:3.11-slim-bookworm@sha256:...); Python packages are pinned in
# requirements.txt and installed without resolving anything else.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: install the pinned dependencies, compile translations, collect
# static files. Nothing from this stage but /opt/venv and /app reaches the
# final image.
FROM ${PYTHON_IMAGE} AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
# --no-deps: every package, direct or not, must be pinned in requirements.txt;
# "pip check" then proves the pinned set is complete and consistent.
RUN /opt/venv/bin/pip install --no-deps -r /tmp/requirements.txt \
    && /opt/venv/bin/pip check

# Babel compiles the catalogues without GNU gettext; it stays out of the
# final image.
RUN python -m pip install babel==2.19.0

WORKDIR /app
COPY . /app
RUN pybabel compile --statistics -d locale -D django \
    && SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       /opt/venv/bin/python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3

# --- runtime
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=ogp_tracker.settings \
    MEDIA_ROOT=/app/var/media

# A fixed, unprivileged user; give the same id write access to a media folder
# mounted from the host.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home app

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
# The code stays owned by root (read-only for the app); only var/ is writable,
# for uploaded media when it is stored on the local disk.
RUN mkdir -p /app/var/media && chown -R app:app /app/var/media

WORKDIR /app
USER app
EXPOSE 8000

# The web server by default; docker-compose.yml runs the worker and the
# release step from the same image with other commands.
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "ogp_tracker.wsgi"]
