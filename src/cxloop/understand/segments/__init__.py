"""Segments: a rule language over customer features, membership with history, RFM, lifecycle
stages and the loyalty ladder. See docs/segments.md."""

from cxloop.understand.segments.customer_view import customer_segments, profile_with_segments
from cxloop.understand.segments.definitions import find_segment, load_segment, load_segments
from cxloop.understand.segments.ladder import LADDER_RUNGS, ladder_rungs
from cxloop.understand.segments.lifecycle import LIFECYCLE_STAGES, lifecycle_stages
from cxloop.understand.segments.membership import (
    member_page,
    members_expr,
    membership_history,
    membership_state,
    overlaps,
    refresh_segment,
    segment_detail,
    summaries,
)
from cxloop.understand.segments.options import SegmentOptions, reference_moment
from cxloop.understand.segments.rfm import RFM_SEGMENT_NAMES, rfm_scores
from cxloop.understand.segments.rule_compiler import CheckedRule, check_rule
from cxloop.understand.segments.rule_parser import RuleError, parse_rule

__all__ = [
    "LADDER_RUNGS",
    "LIFECYCLE_STAGES",
    "RFM_SEGMENT_NAMES",
    "CheckedRule",
    "RuleError",
    "SegmentOptions",
    "check_rule",
    "customer_segments",
    "find_segment",
    "ladder_rungs",
    "lifecycle_stages",
    "load_segment",
    "load_segments",
    "member_page",
    "members_expr",
    "membership_history",
    "membership_state",
    "overlaps",
    "parse_rule",
    "profile_with_segments",
    "reference_moment",
    "refresh_segment",
    "rfm_scores",
    "segment_detail",
    "summaries",
]
