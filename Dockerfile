# syntax=docker/dockerfile:1
# Build stage: install the package and its pinned dependencies into a virtualenv.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY app ./app
COPY solvers ./solvers
COPY question_bank ./question_bank
RUN /opt/venv/bin/pip install --upgrade pip==26.3 && /opt/venv/bin/pip install .

# Runtime stage: only the virtualenv, run as an unprivileged user.
FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    EXAMGRADER_DATA_DIR=/var/lib/examgrader
RUN useradd --system --uid 10001 --home-dir /var/lib/examgrader --create-home examgrader
COPY --from=build /opt/venv /opt/venv
USER examgrader
WORKDIR /var/lib/examgrader
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["examgrader", "serve", "--host", "0.0.0.0", "--port", "8000"]
