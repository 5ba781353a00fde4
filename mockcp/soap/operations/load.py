"""Demand Response / Energy Management operations (guide 5.1-5.5)."""

from __future__ import annotations

from typing import Any

from spyne import ServiceBase

from mockcp.soap.mapping import load as m
from mockcp.soap.operations import operation
from mockcp.soap.types import load as t


class LoadService(ServiceBase):  # type: ignore[misc]
    """shedLoad, clearShedState, getLoad, createLoadShedEvent, removeLoadShedEvent."""

    @operation(t.shedLoad, t.shedLoadResponse)
    def shedLoad(ctx: Any, request: t.shedLoad) -> Any:
        """Cap a group's, a station's or some ports' power from now (guide 5.1)."""
        return m.shed_load(ctx.udc, request)

    @operation(t.clearShedState, t.clearShedStateResponse)
    def clearShedState(ctx: Any, request: t.clearShedState) -> Any:
        """End the shed of a group, a station or some of its ports now (guide 5.2)."""
        return m.clear_shed_state(ctx.udc, request)

    @operation(t.getLoad, t.getLoadResponse)
    def getLoad(ctx: Any, request: t.getLoad) -> Any:
        """Present load and shed state of a station, a group or a session's station (5.3)."""
        return m.get_load(ctx.udc, request)

    @operation(t.createLoadShedEvent, t.createLoadShedEventResponse)
    def createLoadShedEvent(ctx: Any, request: t.createLoadShedEvent) -> Any:
        """Schedule a demand-response event on a station or group (guide 5.4)."""
        return m.create_load_shed_event(ctx.udc, request)

    @operation(t.removeLoadShedEvent, t.removeLoadShedEventResponse)
    def removeLoadShedEvent(ctx: Any, request: t.removeLoadShedEvent) -> Any:
        """Remove a future event the caller created (guide 5.5)."""
        return m.remove_load_shed_event(ctx.udc, request)
