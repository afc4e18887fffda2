"""cxloop: an open-source customer-experience platform.

collect → unify → understand → act → share, on DuckDB on a laptop and on bigger warehouses.
The functions here are the ones the ``cxloop`` command uses; they work in a notebook too::

    import cxloop
    settings = cxloop.Settings.load(project="acme")
    with cxloop.open_project_warehouse(settings) as wh:
        report = cxloop.import_file(wh, "customers", "crm.csv", source="crm")

Names are imported on first use, so ``import cxloop`` stays fast for the command line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "CxloopError": "cxloop.errors",
    "ImportReport": "cxloop.collect.importer",
    "Mapping": "cxloop.collect.mapping",
    "Settings": "cxloop.config",
    "Warehouse": "cxloop.storage",
    "import_file": "cxloop.collect.importer",
    "init_project": "cxloop.project",
    "load_mapping": "cxloop.collect.mapping",
    "open_project_warehouse": "cxloop.project",
    "open_warehouse": "cxloop.storage",
    "project_status": "cxloop.project",
    "resolve": "cxloop.unify",
    "ResolveOptions": "cxloop.unify",
    "ResolveReport": "cxloop.unify",
    "run_demo": "cxloop.demo.loading",
    "CustomerProfile": "cxloop.unify.profile",
    "customer_profile": "cxloop.unify.profile",
    "CustomerSearchResult": "cxloop.unify.search",
    "search_customers": "cxloop.unify.search",
    "export_to_file": "cxloop.share.exports",
    "TextAnalyser": "cxloop.understand.text.analyser",
    "default_analyser": "cxloop.understand.text.analyser",
    "TextAnalysisReport": "cxloop.understand.text.analyse_feedback",
    "analyse_feedback": "cxloop.understand.text.analyse_feedback",
    "ThemeSummary": "cxloop.understand.text.theme_counts",
    "theme_counts": "cxloop.understand.text.theme_counts",
    "discover_feedback_themes": "cxloop.understand.text.feedback_themes",
    "promote_feedback_theme": "cxloop.understand.text.feedback_themes",
    "write_export": "cxloop.share.exports",
    "KpiReport": "cxloop.domain.kpi",
    "KpiResult": "cxloop.domain.kpi",
    "kpi_report": "cxloop.understand.kpi",
    "kpi_frame": "cxloop.understand.kpi",
    "list_kpis": "cxloop.understand.kpi",
    "SendReport": "cxloop.act.invitations",
    "InvitationFunnel": "cxloop.act.invitations",
    "send_invitations": "cxloop.act.invitations",
    "invitation_funnels": "cxloop.act.invitations",
}

__all__ = [
    "CustomerProfile",
    "CustomerSearchResult",
    "CxloopError",
    "ImportReport",
    "InvitationFunnel",
    "KpiReport",
    "KpiResult",
    "Mapping",
    "ResolveOptions",
    "ResolveReport",
    "SendReport",
    "Settings",
    "TextAnalyser",
    "TextAnalysisReport",
    "ThemeSummary",
    "Warehouse",
    "__version__",
    "analyse_feedback",
    "customer_profile",
    "default_analyser",
    "discover_feedback_themes",
    "export_to_file",
    "import_file",
    "init_project",
    "invitation_funnels",
    "kpi_frame",
    "kpi_report",
    "list_kpis",
    "load_mapping",
    "open_project_warehouse",
    "open_warehouse",
    "project_status",
    "promote_feedback_theme",
    "resolve",
    "run_demo",
    "search_customers",
    "send_invitations",
    "theme_counts",
    "write_export",
]

if TYPE_CHECKING:
    from cxloop.act.invitations import (
        InvitationFunnel,
        SendReport,
        invitation_funnels,
        send_invitations,
    )
    from cxloop.collect.importer import ImportReport, import_file
    from cxloop.collect.mapping import Mapping, load_mapping
    from cxloop.config import Settings
    from cxloop.demo.loading import run_demo
    from cxloop.domain.kpi import KpiReport, KpiResult
    from cxloop.errors import CxloopError
    from cxloop.project import init_project, open_project_warehouse, project_status
    from cxloop.share.exports import export_to_file, write_export
    from cxloop.storage import Warehouse, open_warehouse
    from cxloop.understand.kpi import kpi_frame, kpi_report, list_kpis
    from cxloop.understand.text.analyse_feedback import TextAnalysisReport, analyse_feedback
    from cxloop.understand.text.analyser import TextAnalyser, default_analyser
    from cxloop.understand.text.feedback_themes import (
        discover_feedback_themes,
        promote_feedback_theme,
    )
    from cxloop.understand.text.theme_counts import ThemeSummary, theme_counts
    from cxloop.unify import ResolveOptions, ResolveReport, resolve
    from cxloop.unify.profile import CustomerProfile, customer_profile
    from cxloop.unify.search import CustomerSearchResult, search_customers


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cxloop' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
