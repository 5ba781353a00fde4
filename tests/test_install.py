"""The install test (issue 12): mockcp as a new user gets it, outside this checkout.

Builds the sdist and the wheel (the wheel from the sdist, so both are complete), installs the
wheel with its ``test`` extra into a fresh virtualenv in a temporary folder, and from an empty
folder runs ``mockcp serve`` (until /_mock/health says ready), ``mockcp realism``, ``mockcp
run-scenario`` on a packaged scenario by name, ``mockcp dump-wsdl``, and a pytest suite of its
own with ``filterwarnings = error`` that uses the plugin's fixtures. No container engine runs on
the CI machine, so this is also the check of the Dockerfile's steps (docs/deployment.md).
About a minute and a half, most of it pip installing the dependencies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.serving import free_port, get_json, wait_ready
from tests.test_docs import files_of

pytestmark = [pytest.mark.slow, pytest.mark.install]
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Installed:
    wheel: Path
    sdist: Path
    bin: Path  # the fresh virtualenv's bin/
    env: dict[str, str]

    def folder(self, base: Path, name: str) -> Path:
        """A new empty working folder, outside the checkout."""
        path = base / name
        path.mkdir()
        return path

    def run(
        self, *command: str, cwd: Path, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.bin / command[0]), *command[1:]], cwd=cwd, env=self.env,
            capture_output=True, text=True, timeout=timeout,
        )


def checked(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, f"{done.args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("install")
    dist = base / "dist"
    checked(subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    ))
    (wheel,), (sdist,) = dist.glob("*.whl"), dist.glob("*.tar.gz")
    venv = base / "venv"
    # No pip of its own (ensurepip would unpack one, ~3 CPU-s): this run's pip installs into
    # the new environment through --python, as a fresh one of the user's would.
    checked(subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)],
                           capture_output=True, text=True, timeout=120))
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MOCKCP_", "PYTEST_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    pip = [
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(venv / "bin" / "python"),
        "install",
        "-q",
        "--disable-pip-version-check",
        "--no-compile",  # no .pyc for ~2,000 files up front: what runs compiles what it imports
    ]
    checked(subprocess.run([*pip, f"{wheel}[test]"], env=env, capture_output=True, text=True,
                           timeout=600))
    return Installed(wheel, sdist, venv / "bin", env)


def test_the_wheel_and_the_sdist_hold_every_data_file(installed: Installed) -> None:
    data = sorted(
        str(p.relative_to(ROOT)) for p in (ROOT / "mockcp" / "data").rglob("*")
        if p.is_file() and p.suffix in {".yaml", ".json", ".md"}
    )
    assert "mockcp/data/fixtures/minimal.yaml" in data and len(data) >= 5
    wheel = set(zipfile.ZipFile(installed.wheel).namelist())
    assert set(data) | {"mockcp/py.typed", "mockcp-0.1.0.dist-info/licenses/LICENSE"} <= wheel
    with tarfile.open(installed.sdist) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    assert set(data) | {"mockcp/py.typed", "LICENSE"} <= names


def test_the_installed_package_is_the_wheel_not_this_checkout(
    installed: Installed, tmp_path: Path
) -> None:
    work = installed.folder(tmp_path, "empty")
    done = checked(installed.run("python", "-c", "import mockcp; print(mockcp.__file__)",
                                 cwd=work))
    assert done.stdout.startswith(str(installed.bin.parent)) and str(ROOT) not in done.stdout


def test_installed_serve_is_ready_on_health(installed: Installed, tmp_path: Path) -> None:
    work = installed.folder(tmp_path, "serve")
    port = free_port()
    process = subprocess.Popen(
        [str(installed.bin / "mockcp"), "serve", "--port", str(port)], cwd=work,
        env={**installed.env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}", process, seconds=180)
        tenants = get_json(f"http://127.0.0.1:{port}/_mock/tenants")
        assert isinstance(tenants, list) and len(tenants) == 4  # the demo world, by default
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "Traceback" not in output
    assert f"SOAP endpoint http://127.0.0.1:{port}/webservices/chargepoint/services/5.1" in output


def test_installed_realism(installed: Installed, tmp_path: Path) -> None:
    done = installed.run("mockcp", "realism", "--sessions", "500",
                         cwd=installed.folder(tmp_path, "realism"))
    checked(done)
    assert "checks pass; required" in done.stdout and "all pass" in done.stdout


def test_installed_run_scenario_by_name(installed: Installed, tmp_path: Path) -> None:
    work = installed.folder(tmp_path, "scenario")
    done = checked(installed.run("mockcp", "run-scenario", "overnight-depot",
                                 cwd=work))
    assert done.stdout.startswith("scenario: ") and "[FAIL]" not in done.stdout
    assert done.stdout.count("[pass]") >= 5
    assert done.stderr.splitlines()[0] == (
        "mockcp: run-scenario [1/3] the depot's night: statuses, then the night's usage"
    )  # progress as plain lines: not a terminal
    assert sorted(os.listdir(work)) == []  # it wrote nothing where it ran


def test_installed_dump_wsdl(installed: Installed, tmp_path: Path) -> None:
    done = checked(installed.run("mockcp", "dump-wsdl", cwd=installed.folder(tmp_path, "w")))
    assert done.stdout.startswith("<?xml")
    assert 'location="http://127.0.0.1:8080/webservices/chargepoint/services/5.1"' in done.stdout


def test_installed_user_mistake_is_one_line(installed: Installed, tmp_path: Path) -> None:
    done = installed.run("mockcp", "serve", "--fixture", "nowhere.yaml",
                         cwd=installed.folder(tmp_path, "mistake"))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        "mockcp: error: --fixture: no fixture named or at 'nowhere.yaml' "
        "(packaged: demo, minimal; or the path of a YAML file)\n"
    )


def test_installed_plugin_runs_the_documented_suite(installed: Installed, tmp_path: Path) -> None:
    work = installed.folder(tmp_path, "suite")
    for name, body in files_of((ROOT / "docs" / "testing.md").read_text("utf-8")).items():
        (work / name).write_text(body, encoding="utf-8")
    assert "filterwarnings = error" in (work / "pytest.ini").read_text()
    done = checked(installed.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                 cwd=work))
    assert "6 passed" in done.stdout and "warning" not in done.stdout.lower()


def test_installed_plugin_leaves_a_foreign_suite_alone(
    installed: Installed, tmp_path: Path
) -> None:
    work = installed.folder(tmp_path, "foreign")
    (work / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n")
    (work / "test_theirs.py").write_text(
        "import sys\n\n"
        "def test_theirs(pytestconfig):\n"
        "    assert pytestconfig.pluginmanager.has_plugin('mockcp')\n"
        "    assert not [m for m in sys.modules if m.startswith(('spyne', 'sqlalchemy', 'zeep'))]\n"
    )
    done = checked(installed.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                 cwd=work))
    assert "1 passed" in done.stdout and "warning" not in done.stdout.lower()
