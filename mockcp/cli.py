"""The ``mockcp`` command: serve, codes, coverage, realism, run-scenario, dump-wsdl.

A user mistake (a fixture that does not exist, a bad --start, a busy port, a database URL
that does not open) is one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import errno
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from mockcp.config import ConfigError, Settings, parse_start, unknown_variables
from mockcp.data import FIXTURES, SCENARIOS, find, names
from mockcp.exposure import FreshStore, admin_token
from mockcp.progress import progress
from mockcp.startgc import collector_after_start
from mockcp.version import __version__

if TYPE_CHECKING:
    from mockcp.app import MockChargePointApp

SOAP_PATH = "/webservices/chargepoint/services/5.1"  # the same as mockcp.app's (a test says so)
EXAMPLES = {
    "serve": """examples:
  mockcp serve                                   demo world, SQLite file, real time
  mockcp serve --fixture minimal --clock frozen --start 2024-03-12T17:00:00Z
  mockcp serve --port 9000 --db postgresql+psycopg://u:p@host/mockcp
  MOCKCP_SEED=7 MOCKCP_CLOCK=x60 mockcp serve    every flag is also MOCKCP_<FLAG>""",
    "codes": """examples:
  mockcp codes                 the catalogue as a text table
  mockcp codes --markdown      as the Markdown table of docs/response-codes.md""",
    "coverage": """example:
  mockcp coverage              which operations are served and how faithfully""",
    "realism": """examples:
  mockcp realism --sessions 500            a quick run
  mockcp realism --csv sessions.csv        also write the sessions in the export's columns""",
    "run-scenario": """examples:
  mockcp run-scenario overnight-depot                     a packaged scenario, by name
  mockcp run-scenario my-scenarios/peak.yaml              a scenario file of your own
  mockcp run-scenario --list                              the packaged scenarios""",
    "dump-wsdl": """examples:
  mockcp dump-wsdl > cp_api_5.1.wsdl
  mockcp dump-wsdl --address https://mock.example.test/webservices/chargepoint/services/5.1""",
}


class UsageError(Exception):
    """A user mistake: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one line (not the usage block)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _command(
    commands: argparse._SubParsersAction[Parser], name: str, help_text: str
) -> Parser:
    return commands.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=EXAMPLES[name],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_serve_arguments(serve: argparse.ArgumentParser) -> None:
    """The serve flags; each is also the environment variable MOCKCP_<FLAG>."""
    serve.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8080)")
    serve.add_argument(
        "--db", default=None, help="SQLAlchemy URL of a kept world (default: fresh, temporary)"
    )
    serve.add_argument("--fixture", default=None, help="minimal, demo (default) or a YAML path")
    serve.add_argument("--seed", type=int, default=None, help="root seed of the demo world")
    serve.add_argument("--clock", default=None, help="realtime (default), frozen or xN")
    serve.add_argument(
        "--start",
        default=None,
        help="simulated start, ISO-8601 (default: now, the world built at its UTC day)",
    )
    serve.add_argument(
        "--admin-token",
        default=None,
        help="Bearer token for /_mock (default: none on loopback, made up otherwise; '' = off)",
    )
    serve.add_argument(
        "--no-journal-xml",
        dest="journal_xml",
        action="store_false",
        default=None,
        help="keep no request/response XML in the journal (MOCKCP_JOURNAL_XML=false)",
    )
    serve.add_argument(
        "--reload", action="store_true", help="werkzeug's development server, reloading on edits"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="mockcp",
        description="A high-fidelity mock of the ChargePoint Web Services SOAP API.",
        epilog="Run 'mockcp COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"mockcp {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_serve_arguments(_command(commands, "serve", "run the SOAP server"))
    codes = _command(commands, "codes", "print the response-code catalogue")
    codes.add_argument("--markdown", action="store_true", help="as a Markdown table")
    _command(commands, "coverage", "print the operation coverage table")
    realism = _command(commands, "realism", "compare the simulator with real sessions")
    realism.add_argument("--sessions", type=_positive, default=5000, help="default 5000")
    realism.add_argument("--seed", type=int, default=20161107)
    realism.add_argument("--csv", type=Path, default=None, help="also write the sessions here")
    realism.add_argument("--targets", type=Path, default=None, help="realism_targets.json")
    scenario = _command(commands, "run-scenario", "run a scenario in process and check it")
    scenario.add_argument("scenario", nargs="?", help="a packaged scenario's name or a YAML path")
    scenario.add_argument("--list", action="store_true", help="list the packaged scenarios")
    dump = _command(commands, "dump-wsdl", "print the served WSDL")
    dump.add_argument("--address", default="http://127.0.0.1:8080" + SOAP_PATH)
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Flags over ``MOCKCP_*`` variables over defaults, each value checked before any work."""
    start = parse_start(args.start) if args.start else None
    settings = Settings.from_env(
        host=args.host,
        port=args.port,
        database_url=args.db,
        fixture=args.fixture,
        root_seed=args.seed,
        clock_mode=args.clock,
        clock_start=start,
        journal_xml=getattr(args, "journal_xml", None),
    )
    from mockcp.clock import parse_mode

    try:
        parse_mode(settings.clock_mode)
    except ValueError as error:
        raise UsageError(f"--clock: {error}") from None
    if find(FIXTURES, settings.fixture) is None:
        raise UsageError(
            f"--fixture: no fixture named or at {settings.fixture!r} "
            f"(packaged: {', '.join(names(FIXTURES))}; or the path of a YAML file)"
        )
    _check_database_url(settings.database_url)
    return settings


def _check_database_url(url: str) -> None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        dialect = make_url(url).get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise UsageError(f"--db: {url!r} is not a database URL mockcp can use ({error})") from None
    try:
        dialect.import_dbapi()
    except ImportError as error:
        hint = " (pip install 'mockcp[postgres]')" if dialect.name == "postgresql" else ""
        raise UsageError(f"--db: {url!r} needs a driver: {error}{hint}") from None


def check_port_free(host: str, port: int) -> None:
    """Fail early, before the world is built, when the address cannot be bound."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        # as the server will: a port in TIME_WAIT is free, one with a listener is not
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise UsageError(f"--port: {host}:{port} is already in use") from None
            raise UsageError(f"--host/--port: cannot listen on {host}:{port} ({error})") from None


def build_app(settings: Settings, admin_token: str | None = None) -> MockChargePointApp:
    """The app for ``settings``, with progress; a database that does not open is a UsageError."""
    import yaml
    from sqlalchemy.exc import OperationalError

    from mockcp.app import create_app
    from mockcp.seed.loader import FixtureError

    with progress("starting", 2) as shown:
        shown.step(f"building the {settings.fixture!r} world and its history")
        try:
            app = create_app(settings, admin_token=admin_token)
        except OperationalError as error:
            first = str(error.orig or error).strip().splitlines()[0]
            raise UsageError(f"--db: cannot open {settings.database_url!r}: {first}") from None
        except FileNotFoundError:  # the SQLite file's folder (where its world lock goes) is absent
            text = "unable to open database file"  # what SQLite itself says
            raise UsageError(f"--db: cannot open {settings.database_url!r}: {text}") from None
        except (FixtureError, yaml.YAMLError) as error:
            raise UsageError("--fixture: " + " ".join(str(error).split())) from None
        except (KeyError, TypeError) as error:
            if settings.fixture in names(FIXTURES):
                raise  # a packaged world that does not load is mockcp's bug, not the user's
            message = f"--fixture: {settings.fixture} is not a valid world ({error!r})"
            raise UsageError(message) from None
        shown.step("ready")
    return app


def serve(
    settings: Settings,
    token: str | None = None,
    fresh: FreshStore | None = None,
    reload: bool = False,
    ready: Callable[[], None] = lambda: None,
) -> int:
    from mockcp.app import WSDL_PATH
    from mockcp.domain.tenants import list_tenants

    logging.basicConfig(level=settings.log_level)
    check_port_free(settings.host, settings.port)
    token, made_up = admin_token(settings.host, token)
    app = build_app(settings, token)
    base = f"http://{settings.host}:{settings.port}"
    print(f"mockcp: SOAP endpoint {base}{SOAP_PATH}")
    print(f"mockcp: WSDL          {base}{WSDL_PATH}")
    kept = "fresh, removed at exit (--db URL keeps a world)" if fresh else "kept"
    print(f"mockcp: world {settings.fixture!r} in {settings.database_url} ({kept})")
    if made_up:
        print(f"mockcp: control plane token {token} (send 'Authorization: Bearer <token>')")
    with app.sessions() as db:
        for tenant in list_tenants(db):
            print(f"  {tenant.org_id}  {tenant.organization_name}")
            print(f"      licence key {tenant.license_key}")
            print(f"      password    {tenant.password}")
    sys.stdout.flush()
    ready()  # the collector on, the start's heap frozen (mockcp/startgc.py)
    try:
        if reload:  # development only: one thread per connection, no timeouts
            from werkzeug.serving import run_simple

            run_simple(settings.host, settings.port, app, threaded=True, use_reloader=True)
        else:  # production: waitress, a bounded worker pool, timeouts (mockcp.server)
            from mockcp.server import serve_forever

            serve_forever(app, settings.host, settings.port)
    except OSError as error:  # lost the port between the check and the bind
        raise UsageError(f"--port: cannot listen on {base} ({error.strerror})") from None
    finally:  # pools closed, sandbox templates no sandbox uses removed
        app.close()
    return 0


def run_scenario(args: argparse.Namespace) -> int:
    from mockcp import scenario as sc

    if args.list:
        print("\n".join(names(SCENARIOS)))
        return 0
    if not args.scenario:
        raise UsageError(f"run-scenario: name a scenario ({', '.join(names(SCENARIOS))}) or a file")
    found: Traversable | None = find(SCENARIOS, args.scenario)
    if found is None:
        raise UsageError(
            f"no scenario named or at {args.scenario!r} "
            f"(packaged: {', '.join(names(SCENARIOS))}; or the path of a YAML file)"
        )
    try:
        sc.load(found)
    except ValueError as error:
        raise UsageError(str(error)) from None
    with progress("run-scenario", 3) as shown:
        lines, checks = sc.execute(found, shown.step)
    print("\n".join(lines))
    return 0 if all(c.ok for c in checks) else 1


def realism(args: argparse.Namespace) -> int:
    from mockcp.realism import run

    if args.targets is not None and not args.targets.is_file():
        raise UsageError(f"--targets: no file {args.targets}")
    with progress("realism", 1) as shown:
        shown.step(f"simulating {args.sessions} sessions and reading them back through SOAP")
        try:
            return run(args.sessions, args.seed, args.csv, args.targets)
        except FileNotFoundError as error:
            raise UsageError(str(error)) from None


def dump_wsdl(args: argparse.Namespace) -> int:
    from mockcp.app import create_app

    app = create_app(Settings(database_url="sqlite://", fixture="minimal"))
    sys.stdout.write(app.wsdl_bytes(args.address).decode("utf-8"))
    return 0


def codes(args: argparse.Namespace) -> int:
    from mockcp.codes import catalogue_markdown, catalogue_table

    print(catalogue_markdown() if args.markdown else catalogue_table())
    return 0


def coverage(args: argparse.Namespace) -> int:
    from mockcp.coverage import coverage_table

    print(coverage_table())
    return 0


@contextmanager
def serving_scope() -> Iterator[None]:
    """What serving changes in the calling process, for as long as it serves: spyne's logger
    quiet (it logs every client fault with a traceback; mockcp logs what matters itself) and
    SIGTERM an orderly exit (so a fresh store is removed). Both are put back at the end, so
    ``main(["serve", ...])`` called in process leaves its caller as it found it."""
    spyne = logging.getLogger("spyne")
    level = spyne.level
    spyne.setLevel(logging.CRITICAL)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
        spyne.setLevel(level)


def serve_command(args: argparse.Namespace) -> int:
    """``mockcp serve``: a fresh world in temporary storage unless --db (or MOCKCP_DB) names one."""
    with collector_after_start() as ready:  # from the settings' first import (mockcp/startgc.py)
        return _serve_command(args, ready)


def _serve_command(args: argparse.Namespace, ready: Callable[[], None]) -> int:
    settings = settings_from_args(args)
    fresh = None
    if args.db is None and not {"MOCKCP_DB", "MOCKCP_DATABASE_URL"} & set(os.environ):
        fresh = FreshStore()
        settings = dataclasses.replace(settings, database_url=fresh.url)
    try:
        with serving_scope():
            return serve(settings, args.admin_token, fresh, args.reload, ready)
    finally:
        if fresh is not None:
            fresh.close()


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": lambda args: serve_command(args),
    "codes": codes,
    "coverage": coverage,
    "realism": realism,
    "run-scenario": run_scenario,
    "dump-wsdl": dump_wsdl,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for name in unknown_variables():
        print(f"mockcp: warning: {name} is not a mockcp setting; ignored", file=sys.stderr)
    try:
        return COMMANDS[args.command](args)
    except (UsageError, ConfigError) as error:
        print(f"mockcp: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # ``mockcp codes | head``: the reader has gone, nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
