# mockcp in a container: the wheel built in one stage, installed into a clean one.
# No container engine runs on the CI machine; tests/test_install.py runs the same steps
# (build the wheel, install it with its extras into a fresh environment, run every
# subcommand from an empty folder) and tests/test_docker.py checks this file's shape.
#
#   docker build -t mockcp .
#   docker run --rm -p 8080:8080 mockcp                          serve the demo world
#   docker run --rm mockcp run-scenario overnight-depot          any subcommand
#   docker run --rm mockcp realism --sessions 500

FROM python:3.11-slim AS build
WORKDIR /src
RUN pip install --no-cache-dir "build>=1.2"
COPY pyproject.toml README.md LICENSE ./
COPY mockcp ./mockcp
RUN python -m build --outdir /dist

FROM python:3.11-slim
# zeep (the test extra) for realism and run-scenario; psycopg and gunicorn (postgres) for
# several processes on one PostgreSQL (docs/deployment.md).
COPY --from=build /dist/*.whl /tmp/wheels/
RUN pip install --no-cache-dir "$(ls /tmp/wheels/mockcp-*.whl)[test,postgres]" \
    && rm -rf /tmp/wheels \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin mockcp
USER mockcp
WORKDIR /home/mockcp
ENV MOCKCP_HOST=0.0.0.0 \
    MOCKCP_PORT=8080 \
    PYTHONUNBUFFERED=1
EXPOSE 8080
# Bound to 0.0.0.0, the control plane (/_mock/...) needs a Bearer token: pass one with
# -e MOCKCP_ADMIN_TOKEN=..., or read the one mockcp prints at start; an empty value turns the
# check off. The world is fresh at each start; --db URL (or -e MOCKCP_DB=...) keeps it.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import json, os, sys, urllib.request; url = 'http://127.0.0.1:%s/_mock/health' % os.environ.get('MOCKCP_PORT', '8080'); sys.exit(json.load(urllib.request.urlopen(url, timeout=2)) != {'status': 'ready'})"
ENTRYPOINT ["mockcp"]
CMD ["serve"]
