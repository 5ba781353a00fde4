"""Storage: SQLAlchemy 2 models and engine construction."""
