"""Drivers (guide 9): users and the waitlist."""
