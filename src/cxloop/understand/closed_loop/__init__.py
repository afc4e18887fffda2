"""Closed-loop metrics: contact within SLA, time to close, NPS after resolution, and the loop's
effect on retention and later NPS (a matched comparison)."""

from cxloop.understand.closed_loop.cache import cached_loop_metrics, clear_loop_metrics_cache
from cxloop.understand.closed_loop.matching import matched_difference
from cxloop.understand.closed_loop.metrics import loop_metrics

__all__ = [
    "cached_loop_metrics",
    "clear_loop_metrics_cache",
    "loop_metrics",
    "matched_difference",
]
