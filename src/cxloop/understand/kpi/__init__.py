"""Customer-centric KPIs with n, 95% intervals, significance and small-n flags."""

from cxloop.understand.kpi.definitions import DIMENSIONS, KPIS, UnknownKpiError, kpi_definition
from cxloop.understand.kpi.report import kpi_frame, kpi_report, list_kpis

__all__ = [
    "DIMENSIONS",
    "KPIS",
    "UnknownKpiError",
    "kpi_definition",
    "kpi_frame",
    "kpi_report",
    "list_kpis",
]
