"""Digests: the weekly team digest and the customers' progress e-mail (docs/digests.md)."""

from cxloop.share.digests.customer_progress import CustomerProgress, customer_progress
from cxloop.share.digests.periods import DigestPeriod, month_for_week, week_period
from cxloop.share.digests.schedule import DigestService
from cxloop.share.digests.sending import DigestOptions, DigestOutcome, DigestReport, send_digests
from cxloop.share.digests.stories import ThemeStories, Verbatim, pick_stories
from cxloop.share.digests.team_digest import TeamDigest, build_team_digest

__all__ = [
    "CustomerProgress",
    "DigestOptions",
    "DigestOutcome",
    "DigestPeriod",
    "DigestReport",
    "DigestService",
    "TeamDigest",
    "ThemeStories",
    "Verbatim",
    "build_team_digest",
    "customer_progress",
    "month_for_week",
    "pick_stories",
    "send_digests",
    "week_period",
]
