"""spyne's per-request overheads that mockcp has no use for, switched off once (issue 18).

spyne's ``MethodContext.close`` runs a full ``gc.collect()`` at most once a second
(``spyne.const.MIN_GC_INTERVAL``) so that file descriptors of uploaded attachments are
released promptly. mockcp takes no attachments and keeps no reference cycles per request,
so that collection only stalls the request that happens to trigger it (about 8 % of a
100-row page's CPU in the issue's profile); CPython's own generational collector still runs
on its usual allocation thresholds.
"""

from __future__ import annotations

import math

from spyne import const


def disable_periodic_gc() -> None:
    """Make spyne's once-a-second ``gc.collect()`` never due (idempotent, process-wide)."""
    const.MIN_GC_INTERVAL = math.inf
