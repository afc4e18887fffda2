"""Churn risk: per-customer features at a cutoff (Ibis), a calibrated gradient-boosting model
validated out of time against a recency-only baseline, and reasons per customer."""

from cxloop.understand.churn.features import FEATURES, churn_features, churn_labels
from cxloop.understand.churn.fitting import fit_churn
from cxloop.understand.churn.model import ChurnModel
from cxloop.understand.churn.scoring import score_churn

__all__ = ["FEATURES", "ChurnModel", "churn_features", "churn_labels", "fit_churn", "score_churn"]
