"""Work spread over the machine's cores, with results in the order of the input.

Rendering is pure (a page is a function of its route and context), so pages can be made
in any process. Workers are forked: they inherit the parent's Jinja environment, model
and contexts as they are, and only indices go in and bytes come out through the pipes.
Where fork is unavailable (Windows, macOS's default), or the work is too small to pay for
starting processes, everything runs in this process, with identical results.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

# Fewer items than this are done in-process: forking costs about as much as rendering ~100 pages.
MIN_PARALLEL_ITEMS = 200
CHUNK = 32  # items a worker takes at a time: small enough to balance, large enough to amortise the pipe

_task: Callable[[int], object] | None = None  # set in the parent before forking; inherited by the workers


def default_jobs() -> int:
    """The cores this process may use (a CI container's CPU set, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def in_one_process(count: int, jobs: int, min_items: int = MIN_PARALLEL_ITEMS) -> bool:
    """Whether `count` items are done here rather than by workers: one job, too few items to
    pay for the fork, no fork, or workers already at work (a pool is running `_task`)."""
    return jobs <= 1 or count < min_items or not can_fork() or _task is not None


def map_ordered(
    task: Callable[[int], T],
    count: int,
    jobs: int,
    progress: Callable[[int], None] | None = None,
    min_items: int = MIN_PARALLEL_ITEMS,
    chunk: int = CHUNK,
    meanwhile: Callable[[], None] | None = None,
) -> list[T]:
    """[task(0), task(1), ..., task(count - 1)], computed by up to `jobs` processes;
    `progress(done)` is called in this process as results arrive. Costly items (a photo
    takes a second where a page takes a millisecond) pay for the fork with a lower
    `min_items` and a `chunk` of 1. `meanwhile` is work of this process's own, done while
    the workers start on the items (in one process, before them)."""
    if in_one_process(count, jobs, min_items):
        if meanwhile:
            meanwhile()
        results: list[T] = []
        for index in range(count):
            results.append(task(index))
            if progress:
                progress(index + 1)
        return results
    results = []
    with _pool(task, count, jobs, chunk) as parts:
        if meanwhile:
            meanwhile()
        for part in parts:
            results.extend(part)
            if progress:
                progress(len(results))
    return results


@contextmanager
def coming(task: Callable[[int], T], count: int, jobs: int) -> Iterator[Iterator[T]]:
    """task(0), task(1), ..., task(count - 1) in order, as up to `jobs` processes make them,
    while this process does other work inside the `with` and takes each result when it needs
    it. Leaving the `with` stops the workers, done or not. In one process (see
    `in_one_process`), each is made when it is taken."""
    if in_one_process(count, jobs):
        yield (task(index) for index in range(count))
        return
    with _pool(task, count, jobs, CHUNK) as parts:
        yield itertools.chain.from_iterable(parts)


@contextmanager
def _pool(task: Callable[[int], T], count: int, jobs: int, chunk: int) -> Iterator[Iterator[list[T]]]:
    """The workers, forked with `task`, and their results chunk by chunk in order; leaving
    the `with` stops them."""
    global _task
    _task = task
    chunks = [range(start, min(start + chunk, count)) for start in range(0, count, chunk)]
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(chunks)), initializer=_no_interrupt) as pool:
            yield pool.imap(_run_chunk, chunks)  # type: ignore[arg-type]
    finally:
        _task = None


def _run_chunk(indices: Sequence[int]) -> list[object]:
    assert _task is not None, "workers are forked after the task is set"
    return [_task(index) for index in indices]


def _no_interrupt() -> None:
    """Ctrl-C is the parent's to handle: it stops the workers as it leaves the pool. A worker
    interrupted itself could die holding the pool's queue lock (idle workers wait on it while
    the parent validates), and the parent's `terminate` would then wait for that lock forever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
