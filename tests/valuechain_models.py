"""The ECSI mobile-phone model (Tenenhaus et al. 2005) and the reference data, for the tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cxloop.understand.valuechain import PathModelSpec, load_model_file


def _shared_data() -> Path:
    """``../shared/data`` of the repository, or of a folder above it (a git worktree)."""
    for folder in Path(__file__).resolve().parents[2:]:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return Path(__file__).resolve().parents[2] / "shared" / "data"


PLSPM = _shared_data() / "plspm"
MODEL_FILE = Path(__file__).with_name("valuechain_ecsi.yaml")


def plspm_data(name: str) -> Path:
    """A file of ../shared/data/plspm, or skip when the data are not there."""
    path = PLSPM / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def ecsi_spec() -> PathModelSpec:
    return load_model_file(MODEL_FILE)


def mobi() -> pd.DataFrame:
    return pd.read_csv(plspm_data("mobi.csv"), index_col=0)
