"""Worker processes, one per core, for the checker's work that needs no answer at once.

The checker reads a large built site and many EPUBs in workers while its own process
checks the sources. Work handed to :meth:`Workers.later` comes back as a function to call
for the result: computed by a worker when one has taken it, else here (work no worker has
started by then is done here too), so that a machine with one core, or one where no process
can be started, gets the same findings.
"""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from readinglib.memory import GC_THRESHOLD

T = TypeVar("T")


def _start_worker() -> None:
    """Give the workers a lower priority (the process that started them has the longest way
    to go, and they fill the time it leaves), and collect less often there too."""
    gc.set_threshold(*GC_THRESHOLD)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the checker, which stops its workers
    try:
        os.nice(5)
    except OSError:
        pass


class Workers:
    """A pool of spawned processes (not forked: the checker may run inside a program with
    threads, such as a test run); none on one core or when ``wanted`` is false."""

    def __init__(self, wanted: bool = True) -> None:
        self.count = (os.cpu_count() or 1) if wanted else 1
        self.pool: concurrent.futures.ProcessPoolExecutor | None = None
        if self.count > 1:
            try:
                self.pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=self.count, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker)
            except (OSError, RuntimeError, ValueError):
                self.count = 1

    def later(self, function: Callable[..., T], *arguments: object) -> Callable[[], T]:
        """``function(*arguments)``, started in a worker now when there is one (it and its
        arguments must be picklable); call what is returned for the result."""
        future = None
        if self.pool is not None:
            try:
                future = self.pool.submit(function, *arguments)
            except (OSError, RuntimeError):  # e.g. a __main__ that cannot be imported again
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool, self.count = None, 1

        def result() -> T:
            if future is not None and not future.cancel():  # not started yet: sooner done here
                try:
                    return future.result()
                except BrokenProcessPool:  # the worker died (out of memory?): do it here
                    pass
            return function(*arguments)

        return result

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
