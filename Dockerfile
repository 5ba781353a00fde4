FROM python:3.11-slim
WORKDIR /opt/mockcp
COPY pyproject.toml README.md ./
COPY mockcp ./mockcp
COPY fixtures ./fixtures
COPY scenarios ./scenarios
RUN pip install --no-cache-dir -e .
EXPOSE 8080
CMD ["mockcp", "serve", "--host", "0.0.0.0"]
