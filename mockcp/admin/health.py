"""The control plane's JSON answers and its health answer, in a module light enough to
answer ``/_mock/health`` before the rest of the control plane is imported (mockcp/app_parts.py)."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response


def json_response(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, indent=1, default=str), status=status, mimetype="application/json"
    )


def health(ready: bool) -> Response:
    """``GET /_mock/health``: 200 ``ready`` once the world is built, else 503 ``starting``."""
    if ready:
        return json_response({"status": "ready"})
    return json_response({"status": "starting"}, 503)
