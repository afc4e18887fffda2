"""Probabilistic matching with Splink (Fellegi–Sunter): training (λ from near-certain rules, u
by random sampling, m by EM on blocking rules) and the scored record pairs at or above the
match threshold. The model itself is defined in :mod:`cxloop.unify.comparisons`.

Splink runs on a private in-memory DuckDB (the warehouse is only read, never written, by this
module), or on the warehouse's own engine where it has one for Splink: a Spark warehouse hands
it ``SparkAPI`` on its session (:meth:`cxloop.storage.Warehouse.splink_api`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
from splink import DuckDBAPI, Linker, SettingsCreator
from splink.internals.database_api import DatabaseAPI
from splink.internals.exceptions import SplinkException

from cxloop.unify.comparisons import exact_rules, model_settings, training_rules
from cxloop.unify.deterministic import EDGE_COLUMNS, PROBABILISTIC, empty_edges
from cxloop.unify.options import ResolveOptions
from cxloop.unify.sampling import training_sample

log = logging.getLogger(__name__)

#: below this many records, the built-in m and u values are used instead of training
MIN_TRAINING_RECORDS = 1_000
#: columns handed to Splink, besides ``id_<n>`` identifiers and the ``pending`` flag
MODEL_COLUMNS = (
    "unique_id", "first_latin", "last_latin", "first_token", "last_token", "last_rest",
    "first_canon", "name_short", "name_key", "dob", "email_key", "email_compared", "email_user",
    "email_handle", "phone", "phone_tail", "city", "postcode", "postcode_area", "address",
    "country",
)  # fmt: skip


@dataclass
class MatchResult:
    """Scored pairs at or above the threshold, and how the model was obtained."""

    edges: pd.DataFrame
    trained: bool
    model: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def model_frame(features: pd.DataFrame, pending: pd.Series | None) -> pd.DataFrame:
    """The columns Splink reads, from :func:`cxloop.unify.features.record_features`."""
    frame = features.loc[:, [c for c in MODEL_COLUMNS if c in features.columns]].copy()
    for column in features.columns:
        if column.startswith("id_"):
            frame[column] = features[column]
    frame["pending"] = True if pending is None else pending.to_numpy(dtype=bool)
    return frame.reset_index(drop=True)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    """Strings typed as strings even when a column is all missing (else DuckDB guesses)."""
    fields = [pa.field(c, pa.bool_() if c == "pending" else pa.string()) for c in frame.columns]
    return pa.Table.from_pandas(frame, schema=pa.schema(fields), preserve_index=False)


@contextmanager
def quiet_splink() -> Iterator[None]:
    """Splink's progress and its "level not observed" warnings are not for our users."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def match_records(
    features: pd.DataFrame,
    options: ResolveOptions,
    *,
    pending: pd.Series | None = None,
    engine: DatabaseAPI[Any] | None = None,
) -> MatchResult:
    """Train (unless there is too little data) and score record pairs.

    With ``pending``, only pairs with at least one pending record are scored (an incremental
    run); the model is still trained on every record. ``engine`` is the Splink database API
    to run on (``SparkAPI``); by default a new in-memory DuckDB.
    """
    with quiet_splink():
        return _match_records(features, options, pending, engine)


def _match_records(
    features: pd.DataFrame,
    options: ResolveOptions,
    pending: pd.Series | None,
    engine: DatabaseAPI[Any] | None,
) -> MatchResult:
    timings: dict[str, float] = {}
    started = time.perf_counter()
    frame = model_frame(features, pending)
    id_columns = [c for c in frame.columns if c.startswith("id_")]
    id_names = [options.id_attributes[int(c[3:])] for c in id_columns]
    if len(frame) < 2 or not frame["pending"].any():
        return MatchResult(empty_edges(), trained=False)
    settings = model_settings(
        id_columns,
        id_names,
        pending_only=pending is not None and not pending.all(),
        term_frequencies=len(frame) >= MIN_TRAINING_RECORDS,
    )
    db_api = engine if engine is not None else DuckDBAPI()
    table = db_api.register(_arrow(frame), dataset_display_name="source_records")
    linker = Linker(table, settings, log_level=None)
    timings["setup"] = time.perf_counter() - started
    trained = options.train and len(frame) >= MIN_TRAINING_RECORDS
    if trained:
        linker = _trained_linker(linker, table, frame, settings, options, id_columns, engine)
    timings["train"] = time.perf_counter() - started - timings["setup"]
    mark = time.perf_counter()
    scored = linker.inference.predict(
        threshold_match_probability=options.match_threshold, warning_mode="never"
    ).as_pandas_dataframe()
    timings["predict"] = time.perf_counter() - mark
    edges = pd.DataFrame(
        {
            "unique_id_l": scored["unique_id_l"].astype(object),
            "unique_id_r": scored["unique_id_r"].astype(object),
            "match_probability": scored["match_probability"].astype(float),
            "method": PROBABILISTIC,
        },
        columns=list(EDGE_COLUMNS),
    )
    return MatchResult(
        edges, trained=trained, model=linker.misc.save_model_to_json(), timings=timings
    )


def _trained_linker(
    linker: Linker,
    table: Any,
    frame: pd.DataFrame,
    settings: SettingsCreator,
    options: ResolveOptions,
    id_columns: list[str],
    engine: DatabaseAPI[Any] | None = None,
) -> Linker:
    """``linker`` (over ``table``, the registered ``frame``) trained on every record, or — past
    ``options.max_training_records`` — a new linker over ``table`` with the model trained on
    a random sample of the records."""
    sample = training_sample(frame, options.max_training_records, options.seed)
    if len(sample) == len(frame):
        _train(linker, options, id_columns)
        return linker
    sample_api = engine if engine is not None else DuckDBAPI()
    sample_table = sample_api.register(_arrow(sample), dataset_display_name="training_sample")
    trainer = Linker(sample_table, settings, log_level=None)
    _train(trainer, options, id_columns)
    model = trainer.misc.save_model_to_json()
    return Linker(table, model, log_level=None)


def _train(linker: Linker, options: ResolveOptions, id_columns: list[str]) -> None:
    """λ from near-certain rules, u from random pairs, m by EM on each training rule."""
    training = linker.training
    try:
        training.estimate_probability_two_random_records_match(exact_rules(id_columns), recall=0.7)
    except (SplinkException, ValueError) as exc:
        log.info("keeping the prior match probability: %s", exc)
    training.estimate_u_using_random_sampling(max_pairs=options.max_u_pairs, seed=options.seed)
    settings = linker._settings_obj
    for rule in training_rules(id_columns):
        prior = settings._probability_two_random_records_match
        try:
            training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        except (SplinkException, ValueError, ZeroDivisionError) as exc:
            log.info("EM on %s skipped: %s", rule, exc)
        # a failed session must not leave its interim estimate behind (Splink 5.0.0)
        settings._probability_two_random_records_match = prior
