"""Pure-Python work over many distinct values, split across the machine's cores.

Reading phone numbers (``phonenumbers``) is the one part of identity resolution that is
Python code per distinct value with no vectorised form: about 60 µs a number, so half a
minute for a million records on one core. :func:`map_in_processes` runs such a function over
chunks of the values in forked worker processes, one per core, and gives back the results in
order; the function must be a module-level one (or a :func:`functools.partial` of one).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

#: below this many values the work is done in this process (forking costs more than it saves)
MIN_VALUES = 40_000


def _apply(job: tuple[Callable[[Any], Any], Sequence[Any]]) -> list[Any]:
    func, values = job
    return [func(v) for v in values]


def map_in_processes(
    func: Callable[[Any], Any],
    values: Sequence[Any],
    *,
    workers: int | None = None,
    min_values: int | None = None,
) -> list[Any]:
    """``[func(v) for v in values]``, computed by ``workers`` forked processes (default: one
    per core) when there are at least ``min_values`` values, else here.

    Examples
    --------
    >>> map_in_processes(abs, [-1, 2, -3])
    [1, 2, 3]
    """
    count = workers or os.cpu_count() or 1
    min_values = MIN_VALUES if min_values is None else min_values
    if (
        count < 2
        or len(values) < max(min_values, 1)
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [func(v) for v in values]
    # a few chunks per worker, so that a slow chunk does not leave a core idle at the end
    size = -(-len(values) // (count * 4))
    jobs = [(func, values[i : i + size]) for i in range(0, len(values), size)]
    # fork: the workers start at once with everything imported; they run Python code only
    with multiprocessing.get_context("fork").Pool(count) as pool:
        parts = pool.map(_apply, jobs, chunksize=1)
    return [result for part in parts for result in part]
