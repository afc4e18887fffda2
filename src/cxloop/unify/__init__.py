"""unify stage: identity resolution (deterministic keys + probabilistic matching with Splink)
into one customer per person, with golden records."""

from cxloop.unify.options import ResolveOptions
from cxloop.unify.resolve import ResolveReport, resolve

__all__ = ["ResolveOptions", "ResolveReport", "resolve"]
