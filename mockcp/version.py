"""mockcp's version, in a module of its own: the package's face (``mockcp/__init__.py``) hands
out the app and the test helpers, so a module inside the package reads the version here."""

__version__ = "0.1.0"
