"""How often the build and the checker collect cyclic garbage while they run."""

from __future__ import annotations

import gc

GC_THRESHOLD = (200_000, 30, 30)
"""A build or a check makes a large graph of objects that live until it ends (the library,
its plans, the pages), and Python's cycle collector would walk it again and again: about a
tenth of the checker's time. Like mypy, both collect less often while they run; they make
few cycles, and the checker's peak memory does not change."""

BUILD_GC_THRESHOLD = (20_000, 10, 10)
"""The build's pace once the library is loaded and planned (:meth:`FewerCollections.settle`).
MkDocs leaves a cycle of objects behind for every page it converts (the page's Markdown
converter), and a young generation of 200,000 such objects is slow to walk: at 1,000 sections
the build spent about 0.9 s collecting at :data:`GC_THRESHOLD`, and about 0.4 s at this pace
with the library set aside (a plain Material build of the same text: about 0.4 s)."""


class FewerCollections:
    """Collect cyclic garbage less often (``threshold``) from :meth:`start` (or entering a
    ``with`` block) to :meth:`stop`, then as before: the build and the checker may run inside
    another program, such as a test run or ``mkdocs serve``."""

    def __init__(self, threshold: tuple[int, int, int] = GC_THRESHOLD) -> None:
        self.threshold = threshold
        self.before: tuple[int, int, int] | None = None
        self.settled = False

    def start(self) -> None:
        if self.before is None:
            self.before = gc.get_threshold()
        gc.set_threshold(*self.threshold)

    def settle(self) -> None:
        """Everything made so far lives until :meth:`stop` (the loaded library and its plans):
        the collector stops walking it (``gc.freeze``) and looks only at what is made after."""
        if self.before is not None and not self.settled:
            gc.freeze()
            self.settled = True

    def stop(self) -> None:
        if self.settled:
            gc.unfreeze()  # collected as any old object again
            self.settled = False
        if self.before is not None:
            gc.set_threshold(*self.before)
            self.before = None

    def __enter__(self) -> FewerCollections:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
