"""Probabilistic matching with Splink (Fellegi–Sunter): training (λ from near-certain rules, u
by random sampling, m by EM on blocking rules) and the scored record pairs at or above the
match threshold. The model itself is defined in :mod:`cxloop.unify.comparisons`.

Splink runs on a private in-memory DuckDB (the warehouse is only read, never written, by this
module), or on the warehouse's own engine where it has one for Splink: a Spark warehouse hands
it ``SparkAPI`` on its session (:meth:`cxloop.storage.Warehouse.splink_api`). The private
DuckDB has a memory limit (``ResolveOptions.splink_memory_mb``) and a temporary folder to spill
to beyond it, and is closed as soon as the pairs are scored: DuckDB's own default lets it take
80 % of the machine's memory and keep it until the connection is garbage collected.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb
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
        if engine is not None:
            return _match_records(features, options, pending, engine, engine)
        with private_duckdb(options) as db_api:
            return _match_records(features, options, pending, db_api, None)


def memory_limit_mb(options: ResolveOptions) -> int:
    """The memory limit of Splink's private DuckDB: ``options.splink_memory_mb``, by default a
    quarter of the machine's memory (at least 1 GB)."""
    if options.splink_memory_mb is not None:
        return options.splink_memory_mb
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):  # no sysconf (not POSIX): DuckDB's default
        return 0
    return max(1024, total // 4)


@contextmanager
def private_duckdb(options: ResolveOptions) -> Iterator[DuckDBAPI]:
    """An in-memory DuckDB for Splink, limited to :func:`memory_limit_mb` and spilling to a
    temporary folder beyond it; closed (its memory and files released) on leaving."""
    with tempfile.TemporaryDirectory(prefix="cxloop-splink-") as spill:
        config: dict[str, str | bool | int | float | list[str]] = {
            "temp_directory": spill,
            "preserve_insertion_order": "false",
        }
        limit = memory_limit_mb(options)
        if limit:
            config["memory_limit"] = f"{limit}MB"
        con = duckdb.connect(":memory:", config=config)
        try:
            yield DuckDBAPI(connection=con)
        finally:
            con.close()


def _match_records(
    features: pd.DataFrame,
    options: ResolveOptions,
    pending: pd.Series | None,
    db_api: DatabaseAPI[Any],
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
    if engine is not None:
        model = _trained_on(engine, sample, settings, options, id_columns)
    else:  # its own DuckDB, closed (and its memory released) once the model is saved
        with private_duckdb(options) as sample_api:
            model = _trained_on(sample_api, sample, settings, options, id_columns)
    return Linker(table, model, log_level=None)


def _trained_on(
    db_api: DatabaseAPI[Any],
    sample: pd.DataFrame,
    settings: SettingsCreator,
    options: ResolveOptions,
    id_columns: list[str],
) -> dict[str, Any]:
    """The model trained on ``sample`` (registered on ``db_api``), as JSON."""
    sample_table = db_api.register(_arrow(sample), dataset_display_name="training_sample")
    trainer = Linker(sample_table, settings, log_level=None)
    _train(trainer, options, id_columns)
    return trainer.misc.save_model_to_json()


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
