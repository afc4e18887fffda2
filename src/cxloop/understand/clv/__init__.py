"""Customer lifetime value: RFM summaries, BG/NBD and Gamma-Gamma by maximum likelihood,
expected purchases, probability alive, expected spend and discounted CLV."""

from cxloop.understand.clv.bgnbd import BetaGeoModel, bgnbd_log_likelihood
from cxloop.understand.clv.fitting import (
    ClvModels,
    fit_clv_models,
    fit_clv_summary_file,
    fit_clv_transactions_file,
)
from cxloop.understand.clv.gamma_gamma import GammaGammaModel, gamma_gamma_log_likelihood
from cxloop.understand.clv.scoring import ClvScoreReport, score_clv
from cxloop.understand.clv.summary import rfm_summary
from cxloop.understand.clv.summary_expr import rfm_summary_expr
from cxloop.understand.clv.value import customer_lifetime_value, score_customers

__all__ = [
    "BetaGeoModel",
    "ClvModels",
    "ClvScoreReport",
    "GammaGammaModel",
    "bgnbd_log_likelihood",
    "customer_lifetime_value",
    "fit_clv_models",
    "fit_clv_summary_file",
    "fit_clv_transactions_file",
    "gamma_gamma_log_likelihood",
    "rfm_summary",
    "rfm_summary_expr",
    "score_clv",
    "score_customers",
]
