"""Organisations, custom groups and rights (guide 4, 7.3-7.7)."""
