"""The perception gap: managers', employees' and customers' agreement with shared statements."""

from cxloop.understand.perception_gap.analysis import perception_gap
from cxloop.understand.perception_gap.answers import statement_answers, statement_surveys
from cxloop.understand.perception_gap.report import gap_report

__all__ = ["gap_report", "perception_gap", "statement_answers", "statement_surveys"]
