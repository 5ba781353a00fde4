"""Demand Response / Energy Management operations (guide 5.1-5.5)."""

from __future__ import annotations

from spyne import ServiceBase

from mockcp.soap.operations import pending
from mockcp.soap.types import load as t

LOAD = "issue 5: demand management"


class LoadService(ServiceBase):  # type: ignore[misc]
    """shedLoad, clearShedState, getLoad, createLoadShedEvent, removeLoadShedEvent."""

    shedLoad = pending("shedLoad", t.shedLoad, t.shedLoadResponse, LOAD)
    clearShedState = pending("clearShedState", t.clearShedState, t.clearShedStateResponse, LOAD)
    getLoad = pending("getLoad", t.getLoad, t.getLoadResponse, LOAD)
    createLoadShedEvent = pending(
        "createLoadShedEvent", t.createLoadShedEvent, t.createLoadShedEventResponse, LOAD
    )
    removeLoadShedEvent = pending(
        "removeLoadShedEvent", t.removeLoadShedEvent, t.removeLoadShedEventResponse, LOAD
    )
