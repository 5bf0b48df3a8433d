"""How often the build and the checker collect cyclic garbage while they run."""

from __future__ import annotations

import gc

GC_THRESHOLD = (200_000, 30, 30)
"""A build or a check makes a large graph of objects that live until it ends (the library,
its plans, the pages), and Python's cycle collector would walk it again and again: about a
tenth of the checker's time. Like mypy, both collect less often while they run; they make
few cycles, and the checker's peak memory does not change."""


class FewerCollections:
    """Collect cyclic garbage less often (:data:`GC_THRESHOLD`) from :meth:`start` (or
    entering a ``with`` block) to :meth:`stop`, then as before: the build and the checker
    may run inside another program, such as a test run or ``mkdocs serve``."""

    def __init__(self) -> None:
        self.before: tuple[int, int, int] | None = None

    def start(self) -> None:
        if self.before is None:
            self.before = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLD)

    def stop(self) -> None:
        if self.before is not None:
            gc.set_threshold(*self.before)
            self.before = None

    def __enter__(self) -> FewerCollections:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
