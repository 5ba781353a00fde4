"""The ``mockcp`` command: serve, codes, coverage, realism, run-scenario, dump-wsdl."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from mockcp.app import SOAP_PATH, WSDL_PATH, create_app
from mockcp.codes import catalogue_table
from mockcp.config import Settings
from mockcp.coverage import coverage_table
from mockcp.domain.tenants import list_tenants


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockcp", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the SOAP server")
    serve.add_argument("--host", default=None, help="bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default 8080)")
    serve.add_argument(
        "--db", default=None, help="SQLAlchemy URL (default sqlite:///mockcp.sqlite3)"
    )
    serve.add_argument("--fixture", default=None, help="minimal, demo (default) or a YAML path")
    serve.add_argument("--seed", type=int, default=None, help="root seed of the demo world")
    serve.add_argument("--clock", default=None, help="realtime (default), frozen or xN")
    serve.add_argument("--start", default=None, help="simulated start, ISO-8601 (default: now)")
    serve.add_argument(
        "--reload", action="store_true", help="werkzeug's development server, reloading on edits"
    )
    commands.add_parser("codes", help="print the response-code catalogue")
    commands.add_parser("coverage", help="print the operation coverage table")
    realism = commands.add_parser("realism", help="compare the simulator with real sessions")
    realism.add_argument("--sessions", type=int, default=5000)
    realism.add_argument("--seed", type=int, default=20161107)
    realism.add_argument("--csv", type=Path, default=None, help="also write the sessions here")
    realism.add_argument("--targets", type=Path, default=None, help="realism_targets.json")
    scenario = commands.add_parser(
        "run-scenario", help="run a scenarios/*.yaml file in process and check it"
    )
    scenario.add_argument("path", type=Path)
    dump = commands.add_parser("dump-wsdl", help="print the served WSDL")
    dump.add_argument("--address", default="http://127.0.0.1:8080" + SOAP_PATH)
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    start = datetime.fromisoformat(args.start.replace("Z", "+00:00")) if args.start else None
    return Settings.from_env(
        host=args.host,
        port=args.port,
        database_url=args.db,
        fixture=args.fixture,
        root_seed=args.seed,
        clock_mode=args.clock,
        clock_start=start,
    )


def serve(settings: Settings, reload: bool = False) -> int:
    logging.basicConfig(level=settings.log_level)
    # spyne logs every client fault with a traceback; mockcp logs what matters itself.
    logging.getLogger("spyne").setLevel(logging.CRITICAL)
    app = create_app(settings)
    base = f"http://{settings.host}:{settings.port}"
    print(f"mockcp: SOAP endpoint {base}{SOAP_PATH}")
    print(f"mockcp: WSDL          {base}{WSDL_PATH}")
    print(f"mockcp: world {settings.fixture!r} in {settings.database_url}")
    with app.sessions() as db:
        for tenant in list_tenants(db):
            print(f"  {tenant.org_id}  {tenant.organization_name}")
            print(f"      licence key {tenant.license_key}")
            print(f"      password    {tenant.password}")
    sys.stdout.flush()
    if reload:  # development only: one thread per connection, no timeouts
        from werkzeug.serving import run_simple

        run_simple(settings.host, settings.port, app, threaded=True, use_reloader=True)
    else:  # production: waitress, a bounded worker pool, timeouts (mockcp.server)
        from mockcp.server import serve_forever

        serve_forever(app, settings.host, settings.port)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "codes":
        print(catalogue_table())
        return 0
    if args.command == "coverage":
        print(coverage_table())
        return 0
    if args.command == "realism":
        from mockcp.realism import run

        return run(args.sessions, args.seed, args.csv, args.targets)
    if args.command == "run-scenario":
        from mockcp.scenario import run as run_scenario

        if not args.path.is_file():
            print(f"mockcp: no scenario file {args.path}", file=sys.stderr)
            return 2
        return run_scenario(args.path)
    if args.command == "dump-wsdl":
        app = create_app(Settings(database_url="sqlite://", fixture="minimal"))
        sys.stdout.write(app.wsdl_bytes(args.address).decode("utf-8"))
        return 0
    return serve(settings_from_args(args), args.reload)
