"""docs/demo.md: every step of the partner demo names the browser test that performs it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.ui import test_controls, test_dashboard

DEMO = Path(__file__).resolve().parents[2] / "docs" / "demo.md"


def test_demo_doc_every_step_is_performed_by_a_browser_test() -> None:
    steps = re.split(r"^## Step \d+: ", DEMO.read_text(encoding="utf-8"), flags=re.M)[1:]
    assert len(steps) >= 8
    for step in steps:
        named = re.findall(r"^Test: `(test_\w+)`\.$", step, flags=re.M)
        assert len(named) == 1, step.splitlines()[0]
        found = [getattr(m, named[0], None) for m in (test_dashboard, test_controls)]
        assert any(callable(f) for f in found), named[0]
