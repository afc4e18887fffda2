"""Fitted churn models on disk, and the trust boundary around them.

A model is a pickle written by ``joblib`` to ``<project>/models/churn/<model_id>.joblib``.
Unpickling runs code, so a model file is trusted exactly as much as the project directory
that holds it (whoever may write there may already change its settings and definitions).
The file's SHA-256 is stored with the model in ``churn_models``, and :func:`load_model`
refuses a file whose digest differs: a file swapped or edited after the fit is never
unpickled. Never copy model files in from elsewhere; fit again instead.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import joblib

from cxloop.errors import DataError
from cxloop.understand.churn.model import ChurnModel

#: where models are kept, relative to the project directory
MODEL_DIR = Path("models") / "churn"


def save_model(project: Path, model_id: str, model: ChurnModel) -> tuple[str, str]:
    """Write ``model``; return its path relative to ``project`` (POSIX) and its SHA-256."""
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    data = buffer.getvalue()
    relative = MODEL_DIR / f"{model_id}.joblib"
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return relative.as_posix(), hashlib.sha256(data).hexdigest()


def load_model(project: Path, model_file: str, sha256: str) -> ChurnModel:
    """Read a model written by :func:`save_model`, after checking its SHA-256.

    Raises
    ------
    DataError
        When the file is missing, lies outside the project's model folder, or its digest
        differs from the stored one.
    """
    folder = (project / MODEL_DIR).resolve()
    path = (project / model_file).resolve()
    if path.parent != folder:
        raise DataError(f"churn model file {model_file!r} is not in {MODEL_DIR.as_posix()}/")
    if not path.is_file():
        raise DataError(f"churn model file {path} is missing: run cxloop churn fit again")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise DataError(
            f"churn model file {path} has changed since it was fitted (SHA-256 differs): "
            "it is not loaded; run cxloop churn fit again"
        )
    try:
        model = joblib.load(io.BytesIO(data))
    except Exception as exc:  # written by another version of cxloop or scikit-learn
        raise DataError(
            f"churn model file {path} cannot be read ({type(exc).__name__}): "
            "run cxloop churn fit again"
        ) from exc
    if not isinstance(model, ChurnModel):
        raise DataError(f"churn model file {path} does not hold a churn model")
    return model
