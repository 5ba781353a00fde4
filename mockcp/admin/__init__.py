"""The control plane under /_mock/ (werkzeug, JSON)."""
