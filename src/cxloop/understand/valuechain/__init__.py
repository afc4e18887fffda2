"""The value chain: PLS path modelling, and employee engagement → customer outcomes."""

from cxloop.understand.valuechain.bootstrap import BootstrapIntervals, bootstrap
from cxloop.understand.valuechain.chain import fit_chain, value_chain_run
from cxloop.understand.valuechain.chain_file import CHAIN_FILE, ChainFile, load_chain_file
from cxloop.understand.valuechain.data_file import read_case_file
from cxloop.understand.valuechain.model_file import load_model_file
from cxloop.understand.valuechain.pls import SCHEMES, PLSPathModel
from cxloop.understand.valuechain.report import fit_report, fit_value_chain
from cxloop.understand.valuechain.structure import PathModelSpec
from cxloop.understand.valuechain.team_periods import TeamPeriodOptions, team_period_table

__all__ = [
    "CHAIN_FILE",
    "SCHEMES",
    "BootstrapIntervals",
    "ChainFile",
    "PLSPathModel",
    "PathModelSpec",
    "TeamPeriodOptions",
    "bootstrap",
    "fit_chain",
    "fit_report",
    "fit_value_chain",
    "load_chain_file",
    "load_model_file",
    "read_case_file",
    "team_period_table",
    "value_chain_run",
]
