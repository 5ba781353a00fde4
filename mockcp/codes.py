"""The response-code catalogue: every code of the ChargePoint API guide 5.1, section 3.

One enum holds code, text template and kind; domain code raises
``CPError(ResponseCode.X, **fields)`` and the SOAP layer renders it once.
Texts are the guide's, except where real responses print them differently
(real-interface.md section 3.5: 100, 160, 172, 182, 184).
"""

from __future__ import annotations

import enum
from typing import Literal

Kind = Literal["ok", "client", "auth", "server"]
KINDS: tuple[Kind, ...] = ("ok", "client", "auth", "server")


class ResponseCode(enum.Enum):
    """A ChargePoint response code: ``code`` as sent, ``text`` template, ``kind``."""

    def __init__(self, code: str, text: str, kind: Kind) -> None:
        self.code = code
        self.text = text
        self.kind = kind

    def render(self, **fields: object) -> str:
        """The response text with the template fields filled in."""
        return self.text.format(**fields)

    # guide 3; real text (real-interface 3.5)
    OK = ("100", "API input request executed successfully.", "ok")
    # guide 3
    PLAN_NOT_AUTHORIZED = (
        "101",
        "You are not authorized to access this API call, because your ChargePoint "
        "Network Service Plan does not let you run this call. Please contact "
        "ChargePoint Customer Support to upgrade your Service Plan.",
        "auth",
    )
    NO_STATION_FOUND = ("102", "No station found for given criteria", "client")
    STATION_NOT_IN_DATABASE = (
        "103",
        "This station information does not exist in the ChargePoint database",
        "client",
    )
    INVALID_EMAIL_PASSWORD = ("104", "Invalid email/password", "auth")
    CARD_NOT_ACTIVATED = (
        "105",
        "ChargePoint card was not activated. Please activate card.",
        "client",
    )
    INVALID_FUTURE_DATE = ("106", "Invalid future date. Provide valid future date.", "client")
    INVALID_DURATION = ("107", "Invalid duration. Provide valid duration.", "client")
    INVALID_ACCOUNT_HANDLE = ("108", "Invalid account handle. Please try again.", "client")
    STATION_NOT_AVAILABLE = ("109", "Station not available", "client")
    INVALID_SERIAL_NUMBER = ("110", "Invalid serial number", "client")
    FREE_USER_PAID_RESERVATION = (
        "111",
        "Free users cannot make a reservation on paid stations "
        "(stations on which price is applied)",
        "client",
    )
    CANNOT_RESERVE_NOW = (
        "112",
        "Station cannot be reserved at this moment. Please try again later.",
        "client",
    )
    INVALID_RESERVATION_HANDLE = ("113", "Invalid reservation handle", "client")
    CANCELLATION_INTERVAL_EXPIRED = (
        "114",
        "Reservation cannot be cancelled. Cancellation interval time has expired.",
        "client",
    )
    STATION_UNREACHABLE = (
        "115",
        "Station is unreachable OR maintenance is required at the moment. Please try again later.",
        "server",
    )
    RESERVATION_ALREADY_CANCELLED = ("116", "Reservation has been previously cancelled", "client")
    CANNOT_CANCEL_OTHERS_RESERVATION = (
        "117",
        "You can not cancel reservation made by others",
        "client",
    )
    ADDRESS_LATLONG_MISMATCH = ("118", "Address and Lat/Long provided do not match", "client")
    INVALID_STATION_ID = ("119", "Invalid station ID", "client")
    NO_STATION_GROUP_FOUND = ("120", "No station group found", "client")
    INVALID_STATION_GROUP_ID = ("121", "Provide a valid station group ID", "client")
    NO_STATION_IN_GROUP = ("122", "No station found in this station group", "client")
    INVALID_SHED_PERCENTAGE = ("123", "Invalid shed percentage", "client")
    INVALID_TIME_INTERVAL = ("124", "Invalid time interval", "client")
    OWN_STATION_GROUP_ONLY = ("125", "You must provide your station group only", "client")
    CANNOT_SHED_NOW = ("126", "Cannot shed load now", "server")
    CANNOT_RESTORE_NOW = ("127", "Cannot restore load now", "server")
    STATION_NOT_RESERVABLE = ("128", "This station is not reservable", "client")
    STATION_GROUP_NOT_IN_DATABASE = (
        "129",
        "This station group ID is not in the ChargePoint database",
        "client",
    )
    VALUE_NOT_POSITIVE = ("130", "Invalid value. Please enter a value greater than zero.", "client")
    STATIONS_OUTSIDE_REALM = (
        "131",
        "Stations are not within your ownership or rights realm",
        "auth",
    )
    INVALID_SESSION_ID = ("132", "Invalid session ID", "client")
    SESSIONS_OUTSIDE_REALM = (
        "133",
        "Sessions are not within your ownership or rights realm",
        "auth",
    )
    NO_15MIN_DATA = ("134", "No 15 min data found for this session", "client")
    INVALID_FIELDS = ("135", "Invalid fields", "client")
    NO_SESSION_DATA = ("136", "No charging session data found for given criteria", "client")
    CANNOT_CANCEL_RESERVATION_NOW = (
        "137",
        "Unable to cancel the existing reservation at this moment. Station-Server "
        "communication may be broken. Please try again later.",
        "server",
    )
    CANNOT_MODIFY_RESERVATION_NOW = (
        "138",
        "Cannot modify reservation at the moment. Please try again later.",
        "server",
    )
    ONE_WILDCARD_SEARCH_PER_DAY = ("139", "Only one wildcard search allowed per day", "client")
    INVALID_GROUP_CODE = ("140", "Please provide a valid group code (sgCode)", "client")
    INVALID_DATES = ("141", "Invalid dates", "client")
    START_AFTER_END = ("142", "Start date cannot be greater than end date", "client")
    UNKNOWN_ERROR = ("143", "An unknown error has occurred. Please try again later.", "server")
    FREE_USER_MODIFY_PAID_RESERVATION = (
        "144",
        "Free user cannot modify reservation on paid stations",
        "client",
    )
    CANNOT_VIEW_OTHERS_RESERVATION = (
        "145",
        "You cannot retrieve details of reservation made by others",
        "client",
    )
    CANNOT_MODIFY_OTHERS_RESERVATION = (
        "146",
        "You cannot modify reservation made by others",
        "client",
    )
    INVALID_CHARGEPOINT_CARD = ("147", "Invalid ChargePoint card", "client")
    NO_RESERVATION_FOUND = ("148", "No reservation found", "client")
    INVALID_ORGANIZATION_DETAILS = ("149", "Please provide valid organization details", "client")
    INVALID_STATION_NAME = ("150", "Please provide a valid station name", "client")
    INVALID_PAST_DATE = ("151", "Please provide a valid past date", "client")
    STATION_ID_FORMAT = ("152", "Station ID is not in correct format", "client")
    NO_ALARMS_FOUND = ("153", "Alarms not found", "client")
    INVALID_CUSTOM_GROUP_ID = ("154", "Please provide a valid custom group ID", "client")
    INVALID_CUSTOM_GROUP_NAME = ("155", "Please provide a valid custom group name", "client")
    NO_CUSTOM_GROUPS = ("156", "Custom groups not found", "client")
    ORG_ID_FORMAT = ("158", "Organization ID is not in correct format", "client")
    INVALID_ORG_ID = ("159", "Please provide valid organization ID", "client")
    # guide 3; real text (real-interface 3.5)
    NO_DATA_FOUND = ("160", "No data found for given criteria.", "client")
    # guide 3
    PRICING_FIELDS_MISSING = (
        "166",
        "Please provide <startTime>, <Duration>, <energyRequired>, <vehiclePower>",
        "client",
    )
    INVALID_RIGHTS_PROFILE = ("167", "Please provide a valid <stationRightsProfile>", "client")
    INVALID_EVENT_NAME = ("168", "Please provide a valid event name", "client")
    NO_STATION_FOR_CRITERIA = ("169", "No Station found for given criteria", "client")
    INVALID_SUBSCRIBER_ID = ("170", "Please provide a valid subscriber ID", "client")
    INVALID_PARAMETERS = ("171", "Invalid Parameters {params}", "client")
    # guide 3; real text (real-interface 3.5)
    MANDATORY_FIELDS_MISSING = (
        "172",
        "Please provide all the mandatory fields to make this call.",
        "client",
    )
    # guide 3
    ALLOWED_LOAD_OR_PERCENT = (
        "173",
        "Please provide either <allowedLoad> or <percentShed>",
        "client",
    )
    PERCENT_OVER_100 = (
        "174",
        "Please provide a parameter less than or equal to 100 "
        "while shedding load using <percentShed>",
        "client",
    )
    GROUP_ABSOLUTE_SHED_UNSUPPORTED = (
        "175",
        "Shedding failed, because some of the station(s) in this group do not support "
        "shedding via absolute load method",
        "client",
    )
    STATION_ABSOLUTE_SHED_UNSUPPORTED = (
        "176",
        "Shedding failed, station does not support <allowedLoad> feature",
        "client",
    )
    ALLOWED_LOAD_TOO_HIGH = ("177", "Allowed load cannot be more than {max_load}", "client")
    ORG_OUTSIDE_REALM = (
        "178",
        "The selected organization is not within your ownership or rights realm",
        "auth",
    )
    OTHER_SHED_IN_PROGRESS = (
        "179",
        "Another type of shed is already in progress. Please restore load and then apply new shed.",
        "client",
    )
    NO_USER_FOUND = ("180", "No user found", "client")
    SAME_SHED_METHOD_PER_PORT = ("181", "Use same shed method for each port", "client")
    # guide 3; real text (real-interface 3.5)
    LOAD_SEARCH_KEY_MISSING = ("182", "Search by either sgID, sessionID or stationID", "client")
    # guide 3
    PORT_INFO_MISSING = ("183", "Port information is missing", "client")
    # guide 3; real text (real-interface 3.5)
    CLEAR_SHED_KEY_MISSING = ("184", "Enter either sgid or stationID", "client")
    # guide 3
    PORT_SHED_UNSUPPORTED = ("185", "Per port shed not supported on this station", "client")
    INVALID_PORT_COUNT = ("186", "Invalid number of ports specified in the request", "client")
    GROUP_AND_STATION_SHED = (
        "187",
        "Shed at either the group level or the station level, but not both",
        "client",
    )
    OPERATION_NOT_FOUND = ("188", "Operation not found", "client")
    PAGE_SIZE_EXCEEDED = (
        "189",
        "The value of <numStations> exceeded the maximum of {maximum}",
        "client",
    )
    INVALID_USER_ID = ("190", "Invalid user ID", "client")
    USER_REQUEST_NOT_FOUND = ("191", "User ID request not found", "client")
    CONNECTION_ALREADY_SET = ("192", "Connection already {status} for this driver", "client")
    STATION_ID_AND_IDS = (
        "194",
        "Both single station ID and multiple station IDs search are not permitted. "
        "Please use either option.",
        "client",
    )
    TRANSACTION_FROM_AFTER_TO = (
        "196",
        "Transaction from date cannot be greater than to date",
        "client",
    )
    TRANSACTION_DATES_PAIR = ("197", "Provide both to and from transaction dates", "client")
    TRANSACTIONS_OVER_500 = ("198", "Max transactions value cannot exceed 500", "client")
    SHED_LEVEL_AMBIGUOUS = ("199", "Please shed either at group, station, or port level", "client")
    SHED_STATION_PARAMETER_MISSING = (
        "200",
        "Please provide either parameter from allowedLoadPerStation, "
        "percentShedPerStation or ports",
        "client",
    )
    NO_TRANSACTION_FOUND = ("201", "No transaction found", "client")
    PANEL_SHARING_SHED = (
        "202",
        "Shed load is not allowed on the station that has panel sharing enabled.",
        "client",
    )


_RESERVATIONS = (
    "the reservation operations are not in the 5.1 WSDL (reservation transactions are only "
    "reported, by getTransactionData)"
)
_DRIVER_APIS = "belongs to driver-account and session-start APIs that are not in the 5.1 WSDL"
_NETWORK = (
    "a failure of the real station-server link; the simulated stations always take commands "
    "(a client meets it through a forced response: POST /_mock/faults)"
)
_OTHER_PARAMETERS = "names a parameter that no 5.1 operation has"

# Members no 5.1 operation answers by itself, each with the reason (architecture 1.3): every
# other member is raised somewhere in mockcp, and tests/test_codes.py checks both halves.
# Any member can still be forced on any operation through the control plane (domain.forced).
UNREACHABLE: dict[ResponseCode, str] = {
    ResponseCode.INVALID_EMAIL_PASSWORD: (
        "a driver-login answer; 5.1 authenticates with WS-Security, whose failures are faults"
    ),
    ResponseCode.CARD_NOT_ACTIVATED: _DRIVER_APIS,
    ResponseCode.INVALID_ACCOUNT_HANDLE: _DRIVER_APIS,
    ResponseCode.STATION_NOT_AVAILABLE: _DRIVER_APIS,
    ResponseCode.INVALID_SERIAL_NUMBER: _DRIVER_APIS,
    ResponseCode.INVALID_CHARGEPOINT_CARD: _DRIVER_APIS,
    ResponseCode.FREE_USER_PAID_RESERVATION: _RESERVATIONS,
    ResponseCode.CANNOT_RESERVE_NOW: _RESERVATIONS,
    ResponseCode.INVALID_RESERVATION_HANDLE: _RESERVATIONS,
    ResponseCode.CANCELLATION_INTERVAL_EXPIRED: _RESERVATIONS,
    ResponseCode.RESERVATION_ALREADY_CANCELLED: _RESERVATIONS,
    ResponseCode.CANNOT_CANCEL_OTHERS_RESERVATION: _RESERVATIONS,
    ResponseCode.STATION_NOT_RESERVABLE: _RESERVATIONS,
    ResponseCode.CANNOT_CANCEL_RESERVATION_NOW: _RESERVATIONS,
    ResponseCode.CANNOT_MODIFY_RESERVATION_NOW: _RESERVATIONS,
    ResponseCode.FREE_USER_MODIFY_PAID_RESERVATION: _RESERVATIONS,
    ResponseCode.CANNOT_VIEW_OTHERS_RESERVATION: _RESERVATIONS,
    ResponseCode.CANNOT_MODIFY_OTHERS_RESERVATION: _RESERVATIONS,
    ResponseCode.NO_RESERVATION_FOUND: _RESERVATIONS,
    ResponseCode.STATION_UNREACHABLE: _NETWORK,
    ResponseCode.CANNOT_SHED_NOW: _NETWORK,
    ResponseCode.CANNOT_RESTORE_NOW: _NETWORK,
    ResponseCode.UNKNOWN_ERROR: (
        "mockcp's unexpected errors are SOAP Server faults with a request id (architecture 1.2)"
    ),
    ResponseCode.NO_STATION_GROUP_FOUND: (
        "group searches that find nothing answer 156, group references 121/129/125/122"
    ),
    ResponseCode.INVALID_FIELDS: "schema violations are Client faults that name the element",
    ResponseCode.ONE_WILDCARD_SEARCH_PER_DAY: (
        "a rate limit of the real service; mockcp is a test target and limits no searches"
    ),
    ResponseCode.INVALID_GROUP_CODE: _OTHER_PARAMETERS + " (sgCode)",
    ResponseCode.INVALID_DATES: "the session date rules answer their own codes (132-134, 196-197)",
    ResponseCode.INVALID_STATION_NAME: "station names are search patterns: no match answers 102",
    ResponseCode.INVALID_PAST_DATE: "the session date rules answer their own codes (132-134)",
    ResponseCode.INVALID_CUSTOM_GROUP_ID: _OTHER_PARAMETERS + " (custom group ID)",
    ResponseCode.PRICING_FIELDS_MISSING: (
        "the WSDL requires the four Pricing children: a request without one is a Client fault"
    ),
    ResponseCode.INVALID_EVENT_NAME: _OTHER_PARAMETERS + " (event name)",
    ResponseCode.NO_STATION_FOR_CRITERIA: "station searches that find nothing answer 102",
    ResponseCode.INVALID_SUBSCRIBER_ID: (
        "subscriber IDs belong to the removed push framework, whose operations answer 188"
    ),
}

def by_code(code: str) -> ResponseCode:
    """The member whose wire code is ``code`` (KeyError when there is none)."""
    for member in ResponseCode:
        if member.code == code:
            return member
    raise KeyError(code)


def catalogue_table() -> str:
    """The catalogue as a Markdown table (``mockcp codes``; the docs page adds a column)."""
    rows = ["| code | name | kind | text |", "| --- | --- | --- | --- |"]
    for member in ResponseCode:
        text = member.text.replace("|", "\\|")
        rows.append(f"| {member.code} | `{member.name}` | {member.kind} | {text} |")
    return "\n".join(rows)


def catalogue_markdown() -> str:
    """docs/response-codes.md, generated: ``mockcp codes --markdown`` (a test keeps them equal).

    The table of ``catalogue_table`` with one more column: whether a 5.1 operation answers
    the code, or why none does (``UNREACHABLE``)."""
    counts = {kind: sum(1 for m in ResponseCode if m.kind == kind) for kind in KINDS}
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    rows = [
        "| code | name | kind | text | answered by mockcp |",
        "| --- | --- | --- | --- | --- |",
    ]
    for member in ResponseCode:
        text = member.text.replace("|", "\\|")
        answered = f"no: {UNREACHABLE[member]}" if member in UNREACHABLE else "yes"
        answered = answered.replace("|", "\\|")
        rows.append(f"| {member.code} | `{member.name}` | {member.kind} | {text} | {answered} |")
    return "\n".join(
        [
            "# Response codes",
            "",
            "Generated from `mockcp/codes.py` by `mockcp codes --markdown`; do not edit by hand",
            "(`tests/test_codes.py` keeps this file equal to the command's output).",
            "",
            "Every business answer carries one of these codes with its text, from the guide's",
            "section 3 (the texts are the guide's, except where real responses print them",
            "differently). `kind` says who caused it: `ok`, `client` (the request), `auth`",
            "(rights or the service plan) or `server`; `{...}` in a text is filled in with the",
            f"request's values. {len(ResponseCode)} codes: {summary}.",
            f"{len(ResponseCode) - len(UNREACHABLE)} are answered by the 5.1 operations; the",
            f"other {len(UNREACHABLE)} belong to operations or parameters 5.1 does not have, to",
            "failures of the real station link, or to conditions mockcp answers otherwise, each",
            "with its reason in the last column. Any code can be forced on any operation with",
            "`POST /_mock/faults` ([the control plane](control-plane.md)).",
            "",
            *rows,
        ]
    )
