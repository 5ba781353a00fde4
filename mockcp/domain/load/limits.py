"""Bounds on the work one request may ask for (issue 17; written up in docs/limits.md).

The real service's limits are not published; these are the mock's, chosen far above what
a demand-response client does and low enough that a request at the bound costs a small
multiple of a plain one. Each is refused with the guide's code for the field.
"""

from __future__ import annotations

from datetime import timedelta

# createLoadShedEvent: the world is planned up to the event's start to know the load it
# caps, so the start's distance is the request's work. Utilities announce events a day or
# so ahead; a week covers every program. Further: 106 Invalid future date.
EVENT_HORIZON = timedelta(days=7)
# An event lasts at most a week (107 Invalid duration); a shed's timeInterval at most a
# year (124 Invalid time interval, 0 still meaning "until cleared"). Both keep every end
# time inside the calendar whatever the integer sent.
MAX_EVENT_MINUTES = 7 * 24 * 60
MAX_SHED_MINUTES = 365 * 24 * 60
