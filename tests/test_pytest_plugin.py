"""The pytest plugin in a foreign suite: free until used, silent, options, pytest-xdist."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_docs import ROOT, files_of

# faker is absent from this list only because faker's own pytest plugin (installed with it,
# a dependency of mockcp) imports it; the plugin module itself imports none (test below).
HEAVY = ("spyne", "sqlalchemy", "zeep", "lxml", "yaml", "mockcp.app", "mockcp.testing")


def test_importing_the_plugin_imports_no_dependency_of_mockcp_and_no_other_module() -> None:
    probe = (
        "import json, sys; before = set(sys.modules); import mockcp.pytest_plugin; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    new = json.loads(done.stdout)
    assert [m for m in new if m.startswith("mockcp")] == ["mockcp", "mockcp.pytest_plugin"]
    dependencies = ("spyne", "sqlalchemy", "faker", "zeep", "lxml", "yaml", "werkzeug", "tqdm")
    assert [m for m in new if m.split(".")[0] in dependencies] == []


# Other projects' pytest plugins installed beside mockcp (faker's, a dependency's, and
# hypothesis', of the test extra) stay off in these runs: they cost each nested pytest about
# 1.5 CPU-s of imports and are no part of what is tested here. The installed-wheel tests
# (tests/test_install.py) and the docs' own run (tests/test_docs.py) keep every plugin on.
OTHER_PLUGINS_OFF = ("-p", "no:faker", "-p", "no:hypothesispytest")


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOCKCP_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *OTHER_PLUGINS_OFF,
         *args],
        cwd=folder, env=env, capture_output=True, text=True, timeout=300,
    )


def test_a_suite_that_never_uses_mockcp_imports_nothing_heavy_and_sees_no_warning(
    tmp_path: Path,
) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n")
    (tmp_path / "test_other.py").write_text(
        "import sys\n\n"
        "def test_the_plugin_is_loaded_and_cheap(pytestconfig):\n"
        "    assert pytestconfig.pluginmanager.has_plugin('mockcp')\n"
        f"    heavy = {HEAVY!r}\n"
        "    assert [m for m in sys.modules if m.startswith(heavy)] == []\n"
    )
    done = run_pytest(tmp_path, "-W", "error")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout and "warning" not in done.stdout.lower()


def test_a_marker_with_an_unknown_keyword_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "test_marker.py").write_text(
        "import pytest\n\n"
        "@pytest.mark.mockcp(world='demo')\n"
        "def test_x(mockcp):\n"
        "    pass\n"
    )
    done = run_pytest(tmp_path)
    assert done.returncode != 0
    assert "@pytest.mark.mockcp takes only the keywords clock, fixture, seed, start" in (
        done.stdout + done.stderr
    )


def test_ini_options_and_the_marker_choose_world_and_start(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nfilterwarnings = error\nmockcp_start = 2030-01-01T00:00:00Z\n"
    )
    (tmp_path / "test_options.py").write_text(
        "from datetime import UTC, datetime\n"
        "import pytest\n\n"
        "def test_ini(mockcp):\n"
        "    assert mockcp.wsgi.clock.now() == datetime(2030, 1, 1, tzinfo=UTC)\n"
        "    assert mockcp.settings.fixture == 'minimal'\n\n"
        "@pytest.mark.mockcp(start='2031-02-03T04:05:00+00:00', clock='x60')\n"
        "def test_marker(mockcp):\n"
        "    assert mockcp.wsgi.clock.now() >= datetime(2031, 2, 3, 4, 5, tzinfo=UTC)\n"
        "    assert mockcp.settings.clock_mode == 'x60'\n\n"
        "@pytest.mark.mockcp(fixture='demo', seed=7)\n"
        "def test_demo(mockcp, mockcp_client):\n"
        "    assert (mockcp.settings.fixture, mockcp.settings.root_seed) == ('demo', 7)\n"
        "    assert len(mockcp.tenants()) == 4\n"
        "    assert len(mockcp_client.service.getCPNInstances()) == 4\n"
    )
    done = run_pytest(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


@pytest.mark.slow
def test_the_documented_suite_passes_under_xdist(tmp_path: Path) -> None:
    for name, body in files_of((ROOT / "docs" / "testing.md").read_text("utf-8")).items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    done = run_pytest(tmp_path, "-n", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 passed" in done.stdout


def test_without_the_test_extra_a_fixture_fails_with_what_to_install(tmp_path: Path) -> None:
    conftest = "import sys\n\nsys.modules['zeep'] = None  # as if not installed\n"
    (tmp_path / "conftest.py").write_text(conftest)
    (tmp_path / "test_needs_zeep.py").write_text("def test_x(mockcp):\n    pass\n")
    done = run_pytest(tmp_path)
    assert done.returncode == 1
    assert (
        "mockcp's fixtures need the test extra: pip install 'mockcp[test]' "
        "(import of zeep halted; None in sys.modules)"
    ) in done.stdout
    assert "Traceback" not in done.stdout
