"""The Dockerfile, without a container engine (none runs on the CI machine): its shape, and
its HEALTHCHECK command run against a real server. tests/test_install.py runs its install
steps (the wheel into a clean environment, every subcommand from an empty folder)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mockcp.testing import MockChargePoint
from tests.serving import free_port

ROOT = Path(__file__).resolve().parents[1]


def instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def test_two_stages_the_second_installs_the_first_stage_s_wheel_with_its_extras() -> None:
    steps = instructions()
    froms = [rest for kind, rest in steps if kind == "FROM"]
    assert len(froms) == 2 and froms[0].endswith(" AS build")
    final = steps[[kind for kind, _ in steps].index("FROM", 1) :]
    assert ("COPY", "--from=build /dist/*.whl /tmp/wheels/") in final
    install = next(rest for kind, rest in final if kind == "RUN" and "pip install" in rest)
    assert "mockcp-*.whl)[test,postgres]" in install  # zeep: realism and run-scenario run
    assert not any(kind == "COPY" and "--from" not in rest for kind, rest in final)


def test_the_build_stage_copies_what_pyproject_reads() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    copied = " ".join(rest for kind, rest in instructions() if kind == "COPY")
    for name in ("pyproject.toml", project["readme"], *project["license-files"], "mockcp"):
        assert re.search(rf"(^| ){re.escape(name)}( |$)", copied), name


def test_it_runs_as_a_non_root_user_with_mockcp_as_the_entry_point() -> None:
    steps = instructions()
    users = [rest for kind, rest in steps if kind == "USER"]
    assert users == ["mockcp"]
    assert ("ENTRYPOINT", '["mockcp"]') in steps and ("CMD", '["serve"]') in steps
    env = " ".join(rest for kind, rest in steps if kind == "ENV")
    assert "MOCKCP_HOST=0.0.0.0" in env  # reachable from outside the container


def healthcheck() -> list[str]:
    rest = next(rest for kind, rest in instructions() if kind == "HEALTHCHECK")
    command = shlex.split(rest.split(" CMD ", 1)[1])
    assert command[:2] == ["python", "-c"] and "/_mock/health" in command[2]
    return [sys.executable, "-c", command[2]]


@pytest.mark.server
def test_the_healthcheck_passes_on_a_ready_server_and_fails_without_one(
    mock: MockChargePoint,
) -> None:
    with mock.serve() as base:
        port = base.rsplit(":", 1)[1]
        env = {**os.environ, "MOCKCP_PORT": port}
        assert subprocess.run(healthcheck(), env=env, capture_output=True).returncode == 0
    env = {**os.environ, "MOCKCP_PORT": str(free_port())}
    done = subprocess.run(healthcheck(), env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "Connection refused" in done.stderr
