FROM python:3.11-slim
WORKDIR /opt/mockcp
COPY pyproject.toml README.md ./
COPY mockcp ./mockcp
COPY fixtures ./fixtures
COPY scenarios ./scenarios
RUN pip install --no-cache-dir -e .
EXPOSE 8080
# Bound to 0.0.0.0, the control plane (/_mock/...) needs a Bearer token: pass one with
# -e MOCKCP_ADMIN_TOKEN=..., or read the one mockcp prints at start; an empty value turns the
# check off. The world is fresh at each start; --db URL (or -e MOCKCP_DB=...) keeps it.
CMD ["mockcp", "serve", "--host", "0.0.0.0"]
