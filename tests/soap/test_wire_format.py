"""Output formats of the wire module (real-interface 3.2, 3.3), as properties."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from spyne.model.primitive import Boolean, DateTime, Double, Integer32
from spyne.model.primitive import Decimal as XsDecimal

from mockcp.soap.wire import format_value


@given(st.booleans())
def test_booleans_are_one_or_zero(value: bool) -> None:
    assert format_value("siteValidated", Boolean, value) == ("1" if value else "0")


@given(st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7))])))
def test_datetimes_are_utc_z_without_fraction(value: datetime) -> None:
    text = format_value("startTime", DateTime, value)
    assert text.endswith("Z") and len(text) == 20
    assert datetime.fromisoformat(text.replace("Z", "+00:00")) == value.astimezone(UTC).replace(
        microsecond=0
    )


@given(st.decimals(min_value=0, max_value=10_000, places=6, allow_nan=False))
def test_loads_have_three_decimals(value: Decimal) -> None:
    text = format_value("portLoad", XsDecimal, value)
    assert len(text.split(".")[1]) == 3
    assert abs(Decimal(text) - value) <= Decimal("0.0005")


@given(st.floats(min_value=0, max_value=500, allow_nan=False))
def test_energy_has_six_decimals(value: float) -> None:
    text = format_value("Energy", Double, value)
    assert len(text.split(".")[1]) == 6
    assert abs(float(text) - value) <= 5e-7 + 1e-9 * value


def test_int_flags_are_digits() -> None:
    assert format_value("moreFlag", Integer32, 1) == "1"
    assert format_value("moreFlag", Integer32, False) == "0"


def test_known_formats() -> None:
    assert format_value("stationLoad", XsDecimal, 0) == "0.000"
    assert format_value("Energy", Double, 12.120572) == "12.120572"
    assert format_value("estimatedCost", Double, 0) == "0.00"


def test_spyne_subclass_order_is_respected() -> None:
    # spyne: Date < DateTime and Double, Float, Integer < Decimal
    from datetime import date

    from spyne.model.primitive import Date, Float

    assert format_value("servicePlanExpiryDate", Date, date(2025, 1, 31)) == "2025-01-31"
    assert format_value("unitPricePerKWh", Double, 0.2) == "0.2"
    assert format_value("lastBatteryPercent", Float, 81.5) == "81.5"
    assert format_value("numStations", Integer32, 7) == "7"
