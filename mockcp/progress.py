"""Progress for long work (building a world, ``realism``, ``run-scenario``), on stderr.

On a terminal it is a tqdm bar over the named stages; anywhere else (a CI log, a pipe) it is
one plain line a stage, so logs stay readable. ``MOCKCP_PROGRESS=0`` silences it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Never, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm


class Progress:
    """Named stages of one long task; ``step`` announces the next one."""

    def __init__(self, task: str, stages: int, stream: TextIO | None = None) -> None:
        self.task = task
        self.stages = stages
        self.done = 0
        self.stream = sys.stderr if stream is None else stream
        self.quiet = os.environ.get("MOCKCP_PROGRESS", "1") == "0"
        self.bar: tqdm[Never] | None = None
        if not self.quiet and self.stream.isatty():
            from tqdm import tqdm  # (a terminal only: a log or a pipe gets plain lines)

            self.bar = tqdm(total=stages, desc=task, file=self.stream, leave=False, unit="step")

    def step(self, stage: str) -> None:
        """Start stage ``stage`` (the previous one is finished)."""
        if self.quiet:
            return
        if self.bar is not None:
            if self.done:
                self.bar.update(1)
            self.bar.set_postfix_str(stage)
        else:
            print(f"mockcp: {self.task} [{self.done + 1}/{self.stages}] {stage}",
                  file=self.stream, flush=True)
        self.done += 1

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(self.stages - self.bar.n)
            self.bar.close()


@contextmanager
def progress(task: str, stages: int, stream: TextIO | None = None) -> Iterator[Progress]:
    """A ``Progress`` that closes its bar however the work ends."""
    shown = Progress(task, stages, stream)
    try:
        yield shown
    finally:
        shown.close()
