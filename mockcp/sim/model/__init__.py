"""The pure simulation model: profiles, plans, meter, capping, alarms, fleet, reservations,
local days. Functions of seeds and the clock only: no store, no SQLAlchemy."""
