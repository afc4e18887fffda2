"""Key-driver analysis: Johnson's relative weights and Shapley-value regression (LMG) of an
outcome (NPS, CSAT, CES, churn) on attribute ratings, themes and touchpoint scores."""

from cxloop.understand.drivers.bootstrap import Importance, importance
from cxloop.understand.drivers.relative_weights import r_squared, relative_weights
from cxloop.understand.drivers.report import driver_report, driver_report_from_table
from cxloop.understand.drivers.shapley import (
    MAX_SHAPLEY_DRIVERS,
    TooManyDriversError,
    shapley_values,
)
from cxloop.understand.drivers.table import OUTCOMES, analysis_table, available_drivers

__all__ = [
    "MAX_SHAPLEY_DRIVERS",
    "OUTCOMES",
    "Importance",
    "TooManyDriversError",
    "analysis_table",
    "available_drivers",
    "driver_report",
    "driver_report_from_table",
    "importance",
    "r_squared",
    "relative_weights",
    "shapley_values",
]
