"""Advocates: promoters ranked by engagement and value (see docs/advocates.md)."""

from cxloop.understand.advocates.ranking import advocate_scores, rank_advocates

__all__ = ["advocate_scores", "rank_advocates"]
