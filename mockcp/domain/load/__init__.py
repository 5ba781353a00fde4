"""Demand Response / Energy Management (guide 5): port load, sheds, load-shed events."""
