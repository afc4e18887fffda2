"""Benchmarks: one module per figure in docs/benchmarks.md (``make bench``)."""
