#!/usr/bin/env python3
"""mockcp's two commands, on a fresh machine with only Python 3.11+.

    python3 run.py serve [mockcp serve options]   start the server (SQLite + demo world)
    python3 run.py test  [pytest options]         lint, type-check, run the whole test suite
                                                  (3 xdist workers; MOCKCP_TEST_WORKERS=0: serial)

Both create ``.venv`` beside this file on first use and install mockcp into it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("MOCKCP_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".mockcp-installed"


def ensure_venv() -> None:
    """Create the virtual environment and install mockcp[dev] when pyproject changed."""
    if sys.version_info < (3, 11):  # noqa: UP036  (run.py may be started by an older python)
        raise SystemExit("mockcp needs Python 3.11 or newer")
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    if STAMP.is_file() and STAMP.read_bytes() == pyproject:
        return
    if not (BIN / "python").exists():
        print(f"run.py: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_bytes(pyproject)


def run(*command: str, env: dict[str, str] | None = None) -> int:
    print("run.py: " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, env=env).returncode


def suite_environment(environ: dict[str, str]) -> dict[str, str]:
    """The test run's environment: ``environ`` except ``PYTHONDONTWRITEBYTECODE``, so Python
    keeps its bytecode caches (``__pycache__``, ignored by git). With it set, every pytest
    process (each xdist worker, each nested run of the plugin, docs and install tests)
    rewrote the assertions of every test and plugin module again, about 1.8 CPU-s each, and
    every server or command a test starts compiled mockcp again."""
    return {k: v for k, v in environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"serve", "test"}:
        print(__doc__)
        return 2
    ensure_venv()
    if argv[0] == "serve":
        return run(str(BIN / "mockcp"), "serve", *argv[1:])
    for check in (
        (str(BIN / "ruff"), "check", "mockcp", "tests", "bench", "run.py"),
        (str(BIN / "mypy"), "mockcp"),
        (str(BIN / "mypy"), "bench"),  # strict too (pyproject.toml), so the benches keep running
    ):
        if run(*check) != 0:
            return 1
    return run(str(BIN / "python"), "-m", "pytest", *pytest_options(argv[1:]),
               env=suite_environment(dict(os.environ)))


def pytest_options(given: list[str]) -> list[str]:
    """``given``, run by ``MOCKCP_TEST_WORKERS`` (default 3) pytest-xdist workers, whole test
    files to a worker (module fixtures built once), unless ``given`` chooses the workers itself
    (``-n``, ``--dist``, ``-p no:xdist``) or the variable is 0 (serial). The 15 slowest tests
    are listed at the end (docs/development.md)."""
    workers = os.environ.get("MOCKCP_TEST_WORKERS", "3")
    chosen = any(
        arg.startswith(("-n", "--numprocesses", "--dist")) or arg.endswith("no:xdist")
        for arg in given
    )
    extra = ["--durations=15"] if not any(a.startswith("--durations") for a in given) else []
    if chosen or workers == "0":
        return [*extra, *given]
    return ["-n", workers, "--dist", "loadfile", *extra, *given]


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
