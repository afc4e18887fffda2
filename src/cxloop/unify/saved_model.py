"""The probabilistic model each resolve run used, kept in ``resolve_models``: Splink's settings
with the trained m and u of every comparison level and λ, the threshold, the options that
shaped the compared columns, when, and on how many records. Explanations load it back, so a
pair is explained by exactly the model that scored it."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse
from cxloop.unify.options import ResolveOptions


class SavedModel(BaseModel):
    """One row of ``resolve_models``."""

    model_id: str = Field(description="Id of the model (`mdl_` + 16 hex digits).")
    created_at: datetime = Field(description="When the resolve run that used it ran.")
    mode: str = Field(description="`incremental` or `full`.")
    records: int = Field(description="Source records the model was trained on.")
    records_scored: int = Field(description="Records whose pairs it scored in that run.")
    trained: bool = Field(description="Whether m and u were learned (else built-in values).")
    match_threshold: float
    prior_match_probability: float = Field(
        description="λ: the chance that two random records are one person."
    )
    options: ResolveOptions = Field(description="The options that normalised the records.")
    settings: dict[str, Any] = Field(description="Splink's settings (its model JSON).")


def model_row(
    settings: dict[str, Any],
    options: ResolveOptions,
    *,
    created_at: datetime,
    mode: str,
    records: int,
    records_scored: int,
    trained: bool,
) -> dict[str, Any]:
    """The ``resolve_models`` row of a run's model (its id hashes its content and time)."""
    text = json.dumps(settings, sort_keys=True, default=str)
    digest = hashlib.sha256(f"{created_at.isoformat()}|{text}".encode()).hexdigest()[:16]
    return {
        "model_id": "mdl_" + digest,
        "created_at": created_at,
        "mode": mode,
        "records": records,
        "records_scored": records_scored,
        "trained": trained,
        "match_threshold": options.match_threshold,
        "prior_match_probability": float(settings["probability_two_random_records_match"]),
        "options": options.model_dump_json(),
        "settings": text,
    }


def save_model(warehouse: Warehouse, row: dict[str, Any]) -> None:
    """Append a model row (see :func:`model_row`)."""
    warehouse.append_rows("resolve_models", [row])


def load_model(warehouse: Warehouse, model_id: str | None = None) -> SavedModel:
    """The model ``model_id``, or the one the latest resolve run used.

    Raises
    ------
    UsageError
        When there is no such model (no resolve run has scored pairs yet).
    """
    table = warehouse.table("resolve_models")
    if model_id is not None and "\x00" in model_id:
        raise NotFoundError(f"no saved model {model_id!r}")
    if model_id is not None:
        table = table.filter(table.model_id == model_id)
    frame = warehouse.to_pandas(table.order_by(table.created_at.desc()).limit(1))
    if frame.empty:
        if model_id is not None:
            raise NotFoundError(f"no saved model {model_id!r}")
        raise UsageError("no saved model: run `cxloop resolve` first")
    row = frame.iloc[0].to_dict()
    row["options"] = json.loads(row["options"])
    row["settings"] = json.loads(row["settings"])
    return SavedModel.model_validate(row)
