"""The parts of an app that neither a start nor a SOAP call needs, each built on its first
request: the control plane (``/_mock``), its snapshot and sandbox routes, and the dashboard
(``/_mock/ui``). Importing them (werkzeug's routing, the admin and dashboard modules) and
building them cost about 12 ms of CPU that a start to ready no longer pays (issue 18);
``/_mock/health`` is answered without them (``mockcp.admin.health``), by the same bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from mockcp.admin.app import AdminApp
    from mockcp.admin.worlds import Gate, WorldsAdmin
    from mockcp.clock import MovableClock
    from mockcp.config import Settings
    from mockcp.db.journal_store import JournalStore
    from mockcp.sandboxes import Sandboxes
    from mockcp.scenario_runs import Apps
    from mockcp.ui.app import UiApp
    from mockcp.worlds import WorldStore


class Host(Protocol):
    """What the parts read of the app that owns them (``mockcp.app.MockChargePointApp``,
    which imports this module: the parts never import it back)."""

    settings: Settings
    sessions: sessionmaker[Session]
    clock: MovableClock
    journal: JournalStore
    world: WorldStore
    sandboxes: Sandboxes | None

    def reset(self, body: object = None) -> None: ...


class ControlParts:
    """The control plane, its worlds routes and the dashboard of ``app``, each built once, on
    first use, under a lock (its settings are read inside it, so a seed followed meanwhile is
    never lost: ``follow_seed``). ``apps`` builds the worlds the dashboard runs a scenario in:
    handed down by the module that builds apps, which nothing here imports."""

    def __init__(
        self,
        app: Host,
        ready: Callable[[], bool],
        gate: Gate,
        paths: dict[str, str],
        apps: Apps,
    ) -> None:
        self._app = app
        self._paths = paths  # the dashboard's {"soapPath", "wsdlPath"}
        self._apps = apps
        self._ready = ready
        self._gate = gate
        self._lock = threading.Lock()
        self._admin: AdminApp | None = None
        self._worlds: WorldsAdmin | None = None
        self._ui: UiApp | None = None

    def admin(self) -> AdminApp:
        with self._lock:
            if self._admin is None:
                from mockcp.admin.app import AdminApp
                from mockcp.soap.wsdl import OPERATIONS

                app, settings = self._app, self._app.settings
                self._admin = AdminApp(
                    app.sessions,
                    app.reset,
                    self._ready,
                    app.clock,
                    frozenset(OPERATIONS),
                    settings.root_seed,
                    settings.journal_limit,
                    settings.request_time_limit,
                    journal_db=app.journal,
                )
            return self._admin

    def follow_seed(self, root_seed: int) -> None:
        """The control plane reports ``root_seed`` from now on (when it is not built yet, it
        will be built with the app's settings, which already hold it)."""
        with self._lock:
            if self._admin is not None:
                self._admin.follow_seed(root_seed)

    def worlds(self) -> WorldsAdmin:
        with self._lock:
            if self._worlds is None:
                from mockcp.admin.worlds import WorldsAdmin

                self._worlds = WorldsAdmin(self._app.world, self._gate, self._app.sandboxes)
            return self._worlds

    def ui(self) -> UiApp:
        with self._lock:
            if self._ui is None:
                from mockcp.soap.wsdl import OPERATIONS
                from mockcp.ui.app import UiApp

                app = self._app
                self._ui = UiApp(
                    app.sessions,
                    app.clock,
                    lambda: app.settings.root_seed,
                    (self._paths, sorted(OPERATIONS)),
                    self._apps,
                )
            return self._ui
