"""Keep the last value chain fit while nothing it reads has changed.

A fit with its bootstrap takes seconds on the demo; the API and the page ask for it on every
view. :class:`ChainCache` remembers the last result together with a fingerprint of its inputs:
the ``valuechain.yaml`` file (modification time and size) and the row counts of the tables the
team × period table reads. Tables here only grow by appends (or shrink by an erasure), so an
unchanged count means unchanged data for this purpose; any import, new pulse or feedback makes
the next request refit.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxloop.domain.valuechain import ValueChainRun
from cxloop.understand.valuechain.chain import value_chain_run
from cxloop.understand.valuechain.chain_file import load_chain_file

if TYPE_CHECKING:
    from cxloop.storage import Warehouse

INPUT_TABLES = ("employee_pulses", "feedback", "events", "orders")


def fingerprint(wh: Warehouse, chain_path: Path) -> tuple[object, ...]:
    """What a fit depends on: the chain file's stat and the input tables' row counts."""
    stat = chain_path.stat() if chain_path.exists() else None
    file_key = (stat.st_mtime_ns, stat.st_size) if stat else None
    counts = tuple(wh.to_pandas(wh.table(t).count().as_table()).iat[0, 0] for t in INPUT_TABLES)
    return (str(chain_path), file_key, *map(int, counts))


@dataclass
class ChainCache:
    """The last fit and its fingerprint (one per app)."""

    key: tuple[object, ...] | None = None
    result: ValueChainRun | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, wh: Warehouse, chain_path: Path) -> ValueChainRun:
        """The fit of ``chain_path`` on ``wh``, refitted only when an input changed.

        Errors (a bad file, too little data) are raised every time, never cached.
        """
        with self.lock:
            key = fingerprint(wh, chain_path)
            if self.result is None or key != self.key:
                self.result = value_chain_run(wh, load_chain_file(chain_path))
                self.key = key
            return self.result
