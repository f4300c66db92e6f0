# Skillpath on python:3.11-slim, served by gunicorn as an unprivileged user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    OPENBLAS_NUM_THREADS=1 \
    SKILLPATH_BIND=0.0.0.0:8000

WORKDIR /app
COPY pyproject.toml README.md ./
COPY catalog ./catalog
COPY recommender ./recommender
COPY service ./service
COPY wsgi.py gunicorn.conf.py ./
RUN pip install . \
    && useradd --create-home --uid 10001 skillpath \
    && mkdir -p /app/var \
    && chown skillpath: /app/var

USER skillpath
EXPOSE 8000
# Set SKILLPATH_DATABASE_URL for PostgreSQL and run `skillpath db upgrade` once per release;
# the SQLite default migrates itself at start-up.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
