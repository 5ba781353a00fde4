"""The ``mockcp`` command, as a user runs it: a real process, a real port, a file database."""

from __future__ import annotations

import io
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zeep
from zeep.wsse.username import UsernameToken

from mockcp.cli import COMMANDS, SOAP_PATH, main, serving_scope
from mockcp.config import Settings, unknown_variables
from mockcp.data import SCENARIOS, names
from mockcp.progress import progress
from tests.conftest import START
from tests.serving import free_port, get_json, wait_ready
from tests.worlds.images import world_image


@pytest.mark.server
@pytest.mark.parametrize("fixture", ["minimal", "demo"])
def test_serve_starts_prints_credentials_and_answers(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, fixture: str
) -> None:
    if fixture == "demo":  # serve opens the world stored in its file (the run's built image);
        # minimal's serve builds its own
        shutil.copyfile(world_image(tmp_path_factory, "demo", START), tmp_path / "mock.sqlite3")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "mockcp",
        "serve",
        "--port",
        str(port),
        "--fixture",
        fixture,
        "--db",
        f"sqlite:///{tmp_path / 'mock.sqlite3'}",
        "--clock",
        "frozen",
        "--start",
        "2024-03-12T17:00:00Z",
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_ready(base, process)
        with urllib.request.urlopen(f"{base}/_mock/health", timeout=5) as reply:
            assert reply.headers["Server"] == "mockcp"  # the production server (waitress)
        tenants = get_json(f"{base}/_mock/tenants")
        assert isinstance(tenants, list)
        assert len(tenants) == (2 if fixture == "minimal" else 4)
        client = zeep.Client(
            f"{base}/cp_api_5.1.wsdl",
            wsse=UsernameToken(tenants[0]["licenseKey"], tenants[0]["password"]),
        )
        assert [c.cpnName for c in client.service.getCPNInstances()] == ["USA", "EU", "AU", "CA"]
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert f"SOAP endpoint {base}/webservices/chargepoint/services/5.1" in output
    assert f"WSDL          {base}/cp_api_5.1.wsdl" in output
    for tenant in tenants:
        assert tenant["orgID"] in output and tenant["licenseKey"] in output
        assert tenant["password"] in output


def test_dump_wsdl_prints_the_wsdl_with_the_given_address(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["dump-wsdl", "--address", "http://example.test/x"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<?xml") and '<soap:address location="http://example.test/x"/>' in out


def test_a_file_database_is_rebuilt_when_the_world_changes(tmp_path: Path) -> None:
    from mockcp.app import create_app
    from mockcp.config import Settings
    from mockcp.domain.tenants import list_tenants

    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    for fixture, orgs in (("minimal", 2), ("demo", 4), ("minimal", 2)):
        app = create_app(Settings(database_url=url, fixture=fixture, clock_mode="frozen"))
        with app.sessions() as db:
            assert len(list_tenants(db)) == orgs
        app.engine.dispose()


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_subcommand_has_help_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: mockcp {command}")
    assert "example" in out and f"\n  mockcp {command}" in out


@pytest.fixture
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No MOCKCP_* from the outside, no progress lines: stderr holds only what a test says."""
    for name in [k for k in os.environ if k.startswith("MOCKCP_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("MOCKCP_PROGRESS", "0")


MISTAKES = [
    (["serve", "--fixture", "nope"], "mockcp: error: --fixture: no fixture named or at 'nope' "
     "(packaged: demo, minimal; or the path of a YAML file)"),
    (["serve", "--start", "yesterday"],
     "mockcp: error: --start: 'yesterday' is not an ISO-8601 time (e.g. 2024-03-12T17:00:00Z)"),
    (["serve", "--clock", "fast"],
     "mockcp: error: --clock: unknown clock mode 'fast' (frozen, realtime or xN with N > 0)"),
    (["serve", "--db", "nosuch://x"], "mockcp: error: --db: 'nosuch://x' is not a database URL "
     "mockcp can use (Can't load plugin: sqlalchemy.dialects:nosuch)"),
    (["serve", "--db", "mysql://u@127.0.0.1:1/x"],
     "mockcp: error: --db: 'mysql://u@127.0.0.1:1/x' needs a driver: No module named 'MySQLdb'"),
    (["serve", "--db", "sqlite:////nonexistent/x.db", "--fixture", "minimal"],
     "mockcp: error: --db: cannot open 'sqlite:////nonexistent/x.db': unable to open database "
     "file"),
    (["serve", "--port", "abc"],
     "mockcp serve: error: argument --port: invalid int value: 'abc' (see mockcp serve --help)"),
    (["realism", "--sessions", "0"], "mockcp realism: error: argument --sessions: '0' must be "
     "at least 1 (see mockcp realism --help)"),
    (["realism", "--targets", "/nonexistent.json"],
     "mockcp: error: --targets: no file /nonexistent.json"),
    (["run-scenario"], "mockcp: error: run-scenario: name a scenario "
     f"({', '.join(names(SCENARIOS))}) or a file"),
]


@pytest.mark.parametrize(("argv", "line"), MISTAKES, ids=lambda v: " ".join(v)[:40])
@pytest.mark.usefixtures("quiet")
def test_a_user_mistake_is_one_line_on_stderr_and_exit_2(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) if "(see mockcp" in line else nullcontext() as raised:
        code = main(argv)
    code = raised.value.code if raised else code
    assert code == 2
    assert capsys.readouterr().err == line + "\n"


@pytest.mark.usefixtures("quiet")
def test_a_busy_port_is_one_line_before_any_work(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port), "--db", "sqlite://"]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"mockcp: error: --port: 127.0.0.1:{port} is already in use\n"
    assert captured.out == ""


def _sentinel(signum: int, frame: object) -> None:
    raise AssertionError("the caller's own SIGTERM handler")


@pytest.fixture
def callers_state() -> Iterator[tuple[int, object]]:
    """A caller's own spyne log level and SIGTERM handler, put back after the test."""
    spyne = logging.getLogger("spyne")
    level, handler = spyne.level, signal.signal(signal.SIGTERM, _sentinel)
    spyne.setLevel(logging.INFO)
    try:
        yield logging.INFO, _sentinel
    finally:
        spyne.setLevel(level)
        signal.signal(signal.SIGTERM, handler)


def test_serving_quiets_spyne_and_exits_on_sigterm_only_while_it_serves(
    callers_state: tuple[int, object],
) -> None:
    with serving_scope():
        assert logging.getLogger("spyne").level == logging.CRITICAL
        with pytest.raises(SystemExit) as done:  # the handler serving installed
            signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)  # type: ignore[operator]
        assert done.value.code == 0
    assert (logging.getLogger("spyne").level, signal.getsignal(signal.SIGTERM)) == callers_state


@pytest.mark.usefixtures("quiet")
@pytest.mark.parametrize("mistake", ["busy port", "unopenable database"])
def test_serve_in_process_leaves_the_callers_logging_and_signals_as_they_were(
    mistake: str, callers_state: tuple[int, object], capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        argv = ["--port", str(busy.getsockname()[1]), "--db", "sqlite://"]
        if mistake == "unopenable database":  # refused while the world is being built
            argv = ["--port", str(free_port()), "--db", "sqlite:////nonexistent/x.db"]
        assert main(["serve", "--fixture", "minimal", *argv]) == 2
    assert capsys.readouterr().err.startswith("mockcp: error: --")
    assert (logging.getLogger("spyne").level, signal.getsignal(signal.SIGTERM)) == callers_state


@pytest.mark.usefixtures("quiet")
def test_a_bad_variable_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOCKCP_PORT", "eighty")
    assert main(["serve"]) == 2
    assert capsys.readouterr().err == "mockcp: error: MOCKCP_PORT: 'eighty' is not a whole number\n"


@pytest.mark.usefixtures("quiet")
def test_an_unknown_mockcp_variable_is_a_warning_at_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOCKCP_SEEED", "7")
    assert main(["codes"]) == 0
    assert capsys.readouterr().err == (
        "mockcp: warning: MOCKCP_SEEED is not a mockcp setting; ignored\n"
    )


def test_the_variables_carry_the_flag_names() -> None:
    env = {
        "MOCKCP_SEED": "7", "MOCKCP_CLOCK": "x60", "MOCKCP_START": "2024-06-01T08:00:00Z",
        "MOCKCP_FIXTURE": "minimal", "MOCKCP_PORT": "9001", "MOCKCP_HOST": "0.0.0.0",
        "MOCKCP_DB": "sqlite://", "MOCKCP_PROGRESS": "0",
    }
    settings = Settings.from_env(environ=env)
    assert (settings.root_seed, settings.clock_mode, settings.fixture) == (7, "x60", "minimal")
    assert settings.clock_start == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert (settings.port, settings.host, settings.database_url) == (9001, "0.0.0.0", "sqlite://")
    assert unknown_variables(environ=env) == []
    assert unknown_variables(environ={**env, "MOCKCP_COLOCK": "x"}) == ["MOCKCP_COLOCK"]


def test_the_cli_soap_path_is_the_app_s() -> None:
    from mockcp.app import SOAP_PATH as APP_SOAP_PATH

    assert SOAP_PATH == APP_SOAP_PATH


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MOCKCP_PROGRESS", raising=False)
    terminal, log = Terminal(), io.StringIO()
    for stream in (terminal, log):
        with progress("work", 2, stream) as shown:
            shown.step("first")
            shown.step("second")
    assert log.getvalue() == "mockcp: work [1/2] first\nmockcp: work [2/2] second\n"
    drawn = terminal.getvalue()
    assert drawn.startswith("\rwork:   0%|") and "| 1/2 [" in drawn and "second]" in drawn
    assert drawn.endswith("\r") and "\n" not in drawn  # redrawn in place, cleared when done


def test_variables_are_decoded_by_their_field_s_type(monkeypatch: pytest.MonkeyPatch) -> None:
    from mockcp import config

    assert config.decode("max_depth", " 32 ", "MOCKCP_MAX_DEPTH") == 32
    assert config.decode("log_level", "INFO", "MOCKCP_LOG_LEVEL") == "INFO"
    assert config.decode("clock_start", "2024-06-01T08:00:00", "MOCKCP_START") == datetime(
        2024, 6, 1, 8, 0, tzinfo=UTC
    )  # a time without an offset is UTC
    monkeypatch.setitem(config.FIELD_TYPES, "flag", "bool")  # a boolean setting, as others add
    assert [config.decode("flag", v, "MOCKCP_FLAG") for v in ("yes", "0", "True")] == [
        True,
        False,
        True,
    ]
    with pytest.raises(config.ConfigError, match="MOCKCP_FLAG: 'maybe' is not true or false"):
        config.decode("flag", "maybe", "MOCKCP_FLAG")
    with pytest.raises(config.ConfigError, match="MOCKCP_MAX_DEPTH: '3.5' is not a whole number"):
        config.decode("max_depth", "3.5", "MOCKCP_MAX_DEPTH")


def test_version_is_the_package_s(capsys: pytest.CaptureFixture[str]) -> None:
    import tomllib

    import mockcp

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))
    assert mockcp.__version__ == project["project"]["version"]
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out == f"mockcp {mockcp.__version__}\n"
