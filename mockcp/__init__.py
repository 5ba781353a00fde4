"""mockcp: a high-fidelity mock of the ChargePoint Web Services SOAP API 5.1."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["MockChargePoint", "Settings", "__version__", "create_app"]

if TYPE_CHECKING:
    from mockcp.app import create_app
    from mockcp.config import Settings
    from mockcp.testing import MockChargePoint
    from mockcp.version import __version__


def __getattr__(name: str) -> Any:
    """The public API, imported on first use (importing mockcp has no side effects)."""
    if name == "__version__":  # (mockcp.version: modules inside the package read it there)
        from mockcp.version import __version__

        return __version__
    if name == "create_app":
        from mockcp.app import create_app

        return create_app
    if name == "Settings":
        from mockcp.config import Settings

        return Settings
    if name == "MockChargePoint":
        from mockcp.testing import MockChargePoint

        return MockChargePoint
    raise AttributeError(name)
