"""``python -m mockcp`` runs the command line."""

from mockcp.cli import main

raise SystemExit(main())
