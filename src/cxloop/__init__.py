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

from typing import TYPE_CHECKING

from cxloop.lazy_exports import lazy_exports

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
    "loop_metrics": "cxloop.understand.closed_loop",
    "ClvScoreReport": "cxloop.understand.clv.scoring",
    "score_clv": "cxloop.understand.clv.scoring",
    "fit_churn": "cxloop.understand.churn.fitting",
    "score_churn": "cxloop.understand.churn.scoring",
    "fit_clv_models": "cxloop.understand.clv.fitting",
    "fit_clv_transactions_file": "cxloop.understand.clv.fitting",
    "rfm_summary": "cxloop.understand.clv.summary",
    "SendReport": "cxloop.act.invitations",
    "InvitationFunnel": "cxloop.act.invitations",
    "send_invitations": "cxloop.act.invitations",
    "DigestReport": "cxloop.share.digests",
    "send_digests": "cxloop.share.digests",
    "invitation_funnels": "cxloop.act.invitations",
    "GapReport": "cxloop.domain.perception_gap",
    "gap_report": "cxloop.understand.perception_gap",
    "check_rule": "cxloop.understand.segments",
    "load_segments": "cxloop.understand.segments",
    "rfm_scores": "cxloop.understand.segments",
    "lifecycle_stages": "cxloop.understand.segments",
    "ladder_rungs": "cxloop.understand.segments",
    "SegmentOptions": "cxloop.understand.segments",
    "refresh_segments": "cxloop.act.segment_refresh",
    "PLSPathModel": "cxloop.understand.valuechain",
    "fit_value_chain": "cxloop.understand.valuechain",
    "value_chain_run": "cxloop.understand.valuechain",
    "profile_with_segments": "cxloop.understand.segments",
    "rank_advocates": "cxloop.understand.advocates",
    "invite_advocates": "cxloop.act.ambassadors",
    "JourneyOptions": "cxloop.understand.journeys",
    "JourneyReport": "cxloop.domain.journey",
    "journey_options": "cxloop.understand.journeys",
    "journey_report": "cxloop.understand.journeys",
}

__all__ = [
    "ClvScoreReport",
    "CustomerProfile",
    "CustomerSearchResult",
    "CxloopError",
    "DigestReport",
    "GapReport",
    "ImportReport",
    "InvitationFunnel",
    "JourneyOptions",
    "JourneyReport",
    "KpiReport",
    "KpiResult",
    "Mapping",
    "PLSPathModel",
    "ResolveOptions",
    "ResolveReport",
    "SegmentOptions",
    "SendReport",
    "Settings",
    "TextAnalyser",
    "TextAnalysisReport",
    "ThemeSummary",
    "Warehouse",
    "__version__",
    "analyse_feedback",
    "check_rule",
    "customer_profile",
    "default_analyser",
    "discover_feedback_themes",
    "export_to_file",
    "fit_churn",
    "fit_clv_models",
    "fit_clv_transactions_file",
    "fit_value_chain",
    "gap_report",
    "import_file",
    "init_project",
    "invitation_funnels",
    "invite_advocates",
    "journey_options",
    "journey_report",
    "kpi_frame",
    "kpi_report",
    "ladder_rungs",
    "lifecycle_stages",
    "list_kpis",
    "load_mapping",
    "load_segments",
    "loop_metrics",
    "open_project_warehouse",
    "open_warehouse",
    "profile_with_segments",
    "project_status",
    "promote_feedback_theme",
    "rank_advocates",
    "refresh_segments",
    "resolve",
    "rfm_scores",
    "rfm_summary",
    "run_demo",
    "score_churn",
    "score_clv",
    "search_customers",
    "send_digests",
    "send_invitations",
    "theme_counts",
    "value_chain_run",
    "write_export",
]

if TYPE_CHECKING:
    from cxloop.act.ambassadors import invite_advocates
    from cxloop.act.invitations import (
        InvitationFunnel,
        SendReport,
        invitation_funnels,
        send_invitations,
    )
    from cxloop.act.segment_refresh import refresh_segments
    from cxloop.collect.importer import ImportReport, import_file
    from cxloop.collect.mapping import Mapping, load_mapping
    from cxloop.config import Settings
    from cxloop.demo.loading import run_demo
    from cxloop.domain.journey import JourneyReport
    from cxloop.domain.kpi import KpiReport, KpiResult
    from cxloop.domain.perception_gap import GapReport
    from cxloop.errors import CxloopError
    from cxloop.project import init_project, open_project_warehouse, project_status
    from cxloop.share.digests import DigestReport, send_digests
    from cxloop.share.exports import export_to_file, write_export
    from cxloop.storage import Warehouse, open_warehouse
    from cxloop.understand.advocates import rank_advocates
    from cxloop.understand.churn.fitting import fit_churn
    from cxloop.understand.churn.scoring import score_churn
    from cxloop.understand.closed_loop import loop_metrics
    from cxloop.understand.clv.fitting import fit_clv_models, fit_clv_transactions_file
    from cxloop.understand.clv.scoring import ClvScoreReport, score_clv
    from cxloop.understand.clv.summary import rfm_summary
    from cxloop.understand.journeys import JourneyOptions, journey_options, journey_report
    from cxloop.understand.kpi import kpi_frame, kpi_report, list_kpis
    from cxloop.understand.perception_gap import gap_report
    from cxloop.understand.segments import (
        SegmentOptions,
        check_rule,
        ladder_rungs,
        lifecycle_stages,
        load_segments,
        profile_with_segments,
        rfm_scores,
    )
    from cxloop.understand.text.analyse_feedback import TextAnalysisReport, analyse_feedback
    from cxloop.understand.text.analyser import TextAnalyser, default_analyser
    from cxloop.understand.text.feedback_themes import (
        discover_feedback_themes,
        promote_feedback_theme,
    )
    from cxloop.understand.text.theme_counts import ThemeSummary, theme_counts
    from cxloop.understand.valuechain import PLSPathModel, fit_value_chain, value_chain_run
    from cxloop.unify import ResolveOptions, ResolveReport, resolve
    from cxloop.unify.profile import CustomerProfile, customer_profile
    from cxloop.unify.search import CustomerSearchResult, search_customers


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, __all__)
