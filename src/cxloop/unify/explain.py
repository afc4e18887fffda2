"""Why two source records were, or were not, linked: their deterministic keys, Splink's
waterfall for the pair (scored by the saved model of the latest run, with term frequencies
from every record), the path of links that joins them in their customer, and the analysts'
overrides in force.

Splink does the scoring (``linker.inference.score_pair`` / ``score_pairs`` on the saved
settings) and lays out the waterfall (``records_to_waterfall_data``); this module only reads
its rows.
"""

from __future__ import annotations

import math
import re
from typing import Any

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker
from splink.internals.waterfall_chart import records_to_waterfall_data

from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse
from cxloop.unify.deterministic import (
    COLLECTOR,
    EMAIL,
    OVERRIDE,
    PHONE,
    PROBABILISTIC,
    collector_graph,
)
from cxloop.unify.explanation import (
    ComparisonWeight,
    ExplainOptions,
    KeyKind,
    KeyMatch,
    ModelInfo,
    PairExplanation,
    PathStep,
    RecordSide,
)
from cxloop.unify.features import RECORD_COLUMNS, record_features
from cxloop.unify.link_path import connected, link_path
from cxloop.unify.overrides import Constraints, Override, list_overrides
from cxloop.unify.probabilistic import _arrow, model_frame, quiet_splink
from cxloop.unify.saved_model import SavedModel, load_model

_PENDING_SUFFIX = re.compile(r"^\((.*)\) AND \(l\.pending OR r\.pending\)$", re.S)


def explain_records(
    warehouse: Warehouse, a: str, b: str, options: ExplainOptions | None = None
) -> PairExplanation:
    """Explain the pair of source records ``a`` and ``b`` (record ids, ``source:source_id``).

    Examples
    --------
    >>> why = explain_records(wh, "crm:17", "web:u-903")  # doctest: +SKIP
    >>> why.decision, round(why.total_weight, 1), why.reason  # doctest: +SKIP
    ('linked', 21.4, 'Same customer cus_…: match probability 1.000 ≥ threshold 0.9 …')
    """
    opts = options or ExplainOptions()
    if a == b:
        raise UsageError("name two different records")
    records = warehouse.to_pandas(
        warehouse.table("source_records").select(*RECORD_COLUMNS).order_by("record_id")
    ).reset_index(drop=True)
    position = {rid: i for i, rid in enumerate(records["record_id"])}
    for ref in (a, b):
        if ref not in position:
            raise NotFoundError(f"no source record {ref!r} (record ids look like source:source_id)")
    model = load_model(warehouse, opts.model_id)
    features = record_features(records, model.options)
    identities = warehouse.to_pandas(
        warehouse.table("identities").select("record_id", "customer_id", "method")
    ).set_index("record_id")
    side_a, side_b = (_side(records.iloc[position[r]], identities) for r in (a, b))
    links = warehouse.to_pandas(
        warehouse.table("identity_links").select("source", "from_id", "to_id")
    )
    collector = collector_graph(links, records)
    keys = _keys(features, position[a], position[b], collector.edges, model)
    overrides = [o for o in list_overrides(warehouse, include_removed=False) if {a, b} & _named(o)]
    frame = model_frame(features, None)
    with quiet_splink():
        db_api = DuckDBAPI()
        linker = Linker(
            db_api.register(_arrow(frame), dataset_display_name="source_records"),
            model.settings,
            log_level=None,
        )
        pair = frame.iloc[[position[a], position[b]]]
        left = db_api.register(_arrow(pair.iloc[[0]]), dataset_display_name="record_a")
        right = db_api.register(_arrow(pair.iloc[[1]]), dataset_display_name="record_b")
        row = linker.inference.score_pair(
            left, right, include_found_by_blocking_rules=True
        ).as_record_list()[0]
        waterfall = records_to_waterfall_data([row], linker._settings_obj, hide_details=False)
        comparisons = _comparisons(waterfall, linker, row, model)
        same = side_a.customer_id is not None and side_a.customer_id == side_b.customer_id
        path: list[PathStep] = []
        if same:
            members = identities.index[identities["customer_id"] == side_a.customer_id]
            path = link_path(
                a, b, sorted(members)[: opts.max_path_records], features, position,
                collector.edges, overrides, linker, db_api, frame, model,
            )  # fmt: skip
    probability = float(row["match_probability"])
    threshold = model.match_threshold
    compared = bool(row["found_by_blocking_rules"])
    direct = _direct_link(keys, overrides, a, b, probability >= threshold and compared)
    explanation = PairExplanation(
        a=side_a,
        b=side_b,
        model=ModelInfo(
            model_id=model.model_id,
            created_at=model.created_at,
            trained=model.trained,
            records=model.records,
            prior_match_probability=model.prior_match_probability,
        ),
        keys=keys,
        comparisons=comparisons,
        prior_weight=float(waterfall[0]["log2_bayes_factor"]),
        total_weight=float(row["match_weight"]),
        match_probability=probability,
        threshold=threshold,
        threshold_weight=math.log2(threshold / (1 - threshold)),
        compared=compared,
        blocking_rules=_admitting_rules(linker, pair) if compared else [],
        direct_link=direct,
        same_customer=same,
        path=path,
        overrides=overrides,
        decision="linked" if same else "not_linked",
        reason="",
    )
    explanation.reason = _reason(explanation)
    return explanation


def _named(override: Override) -> set[str]:
    return set(override.records) | set(override.apart)


def _side(record: pd.Series, identities: pd.DataFrame) -> RecordSide:
    rid = record["record_id"]
    name = _text(record["name"]) or " ".join(
        p for p in (_text(record["first_name"]), _text(record["last_name"])) if p
    )
    known = identities.loc[rid] if rid in identities.index else None
    return RecordSide(
        record_id=rid,
        source=record["source"],
        source_id=str(record["source_id"]),
        name=name or None,
        email=_text(record["email"]),
        phone=_text(record["phone"]),
        customer_id=None if known is None else known["customer_id"],
        method=None if known is None else known["method"],
    )


def _keys(
    features: pd.DataFrame, i: int, j: int, collector_edges: pd.DataFrame, model: SavedModel
) -> list[KeyMatch]:
    out = []
    limit = model.options.max_key_records
    pairs: tuple[tuple[str, KeyKind, str], ...] = (
        ("email_key", "deterministic:email", "e-mail"),
        ("phone", "deterministic:phone", "phone"),
    )
    for column, kind, what in pairs:
        va, vb = features[column].iloc[i], features[column].iloc[j]
        shared = va is not None and va == vb
        count = int((features[column] == va).sum()) if shared else None
        used = shared and count is not None and count <= limit
        if not shared:
            note = f"different {what}" if va and vb else f"{what} missing on one side"
        elif used:
            note = f"same {what}: a deterministic link"
        else:
            note = f"same {what}, but {count} records share it (over {limit}): ignored"
        out.append(
            KeyMatch(
                kind=kind, shared=shared, value_a=va, value_b=vb, records_sharing=count,
                used=used, note=note,
            )
        )  # fmt: skip
    ids_a, ids_b = features["unique_id"].iloc[i], features["unique_id"].iloc[j]
    together = connected(collector_edges, ids_a, ids_b)
    out.append(
        KeyMatch(
            kind="collector_link",
            records_sharing=None,
            shared=together,
            used=together,
            note="the event collector saw them as one user (identify / alias)"
            if together
            else "no identify or alias call ties them",
        )
    )
    return out


def _comparisons(
    waterfall: list[dict[str, Any]], linker: Linker, row: dict[str, Any], model: SavedModel
) -> list[ComparisonWeight]:
    by_name = {c.output_column_name: c for c in linker._settings_obj.comparisons}
    # Splink 5.0.0 loses a custom comparison's description when it loads a model
    described = {
        c["output_column_name"]: c.get("comparison_description")
        for c in model.settings["comparisons"]
    }
    tf = {w["column_name"][3:]: w for w in waterfall if w.get("term_frequency_adjustment")}
    out = []
    for w in waterfall:
        name = w["column_name"]
        if name not in by_name or w.get("term_frequency_adjustment"):
            continue
        comparison = by_name[name]
        columns = [c.unquote().name for c in comparison._input_columns_used_by_case_statement]
        tf_weight = float(tf[name]["log2_bayes_factor"]) if name in tf else 0.0
        level_weight = float(w["log2_bayes_factor"])
        out.append(
            ComparisonWeight(
                name=name,
                description=described.get(name) or comparison.comparison_description,
                level=int(w["comparison_vector_value"]),
                label=str(w["label_for_charts"]),
                values_a={c: _text(row.get(f"{c}_l")) for c in columns},
                values_b={c: _text(row.get(f"{c}_r")) for c in columns},
                m_probability=w.get("m_probability"),
                u_probability=w.get("u_probability"),
                level_weight=level_weight,
                term_frequency_weight=tf_weight,
                match_weight=level_weight + tf_weight,
            )
        )
    return out


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    return str(value)


def _admitting_rules(linker: Linker, pair: pd.DataFrame) -> list[str]:
    """The prediction blocking rules true for the pair, evaluated on its two rows."""
    con = duckdb.connect()
    try:
        con.register("l_side", _arrow(pair.iloc[[0]]))
        con.register("r_side", _arrow(pair.iloc[[1]]))
        found = []
        for rule in linker._settings_obj._blocking_rules_to_generate_predictions:
            sql = rule.blocking_rule_sql
            hit = con.execute(
                f"SELECT coalesce(({sql}), false) FROM l_side AS l CROSS JOIN r_side AS r"
            ).fetchone()
            if hit and hit[0]:
                match = _PENDING_SUFFIX.match(sql)
                found.append(match.group(1) if match else sql)
        return found
    finally:
        con.close()


def _direct_link(
    keys: list[KeyMatch], overrides: list[Override], a: str, b: str, scored_above: bool
) -> str | None:
    merged = Constraints.from_overrides(o for o in overrides if o.kind != "split")
    for k in keys:
        if k.used:
            return k.kind
    if any({a, b} <= set(o.records) for o in overrides if o.kind == "merge") or (
        merged.must and connected(_pairs(merged.must), a, b)
    ):
        return OVERRIDE
    return PROBABILISTIC if scored_above else None


def _pairs(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["unique_id_l", "unique_id_r"])


def _reason(e: PairExplanation) -> str:
    score = (
        f"match weight {e.total_weight:+.2f} "
        f"{'≥' if e.match_probability >= e.threshold else '<'} threshold weight "
        f"{e.threshold_weight:+.2f} (probability {e.match_probability:.4f} vs "
        f"{e.threshold:g})"
    )
    splits = [o for o in e.overrides if o.kind == "split" and _split_between(o, e.a, e.b)]
    if e.same_customer:
        head = f"Same customer {e.a.customer_id}"
        if e.path and len(e.path) == 1:
            return f"{head}: linked directly by {_kind_text(e.path[0])}; Splink {score}."
        if e.path:
            via = ", then ".join(_kind_text(s) for s in e.path)
            return f"{head}: joined through {len(e.path) - 1} other record(s) by {via}; {score}."
        return (
            f"{head}: kept together from an earlier run (no link under the saved model joins "
            f"them now; `cxloop resolve --full` re-links from scratch); {score}."
        )
    if e.a.customer_id is None or e.b.customer_id is None:
        return f"Not linked: a record is not resolved yet (run `cxloop resolve`); {score}."
    if splits:
        return f"Not linked: kept apart by the analyst's split {splits[0].override_id}; {score}."
    if e.direct_link in (EMAIL, PHONE, COLLECTOR, OVERRIDE):
        return (
            f"Not linked although they share a {e.direct_link} link: another constraint (a "
            f"split) keeps their customers apart; {score}."
        )
    ignored = [k for k in e.keys if k.shared and not k.used]
    note = f" ({ignored[0].note})" if ignored else ""
    if e.match_probability < e.threshold:
        return f"Not linked: no shared key{note}, and Splink's {score}."
    if not e.compared:
        return f"Not linked: no blocking rule admits this pair, so it was never scored; {score}."
    return (
        "Not linked: the pair scores above the threshold, but the link was refused because it "
        "would join two records of one source through a third (or break a split); "
        f"{score}."
    )


def _split_between(o: Override, a: RecordSide, b: RecordSide) -> bool:
    sides = ({a.record_id, b.record_id} & set(o.records), {a.record_id, b.record_id} & set(o.apart))
    return bool(sides[0] and sides[1])


def _kind_text(step: PathStep) -> str:
    if step.kind == PROBABILISTIC:
        return f"a probabilistic match (p = {step.match_probability:.4f})"
    return {
        EMAIL: "a shared e-mail",
        PHONE: "a shared phone number",
        COLLECTOR: "a collector identify/alias link",
        OVERRIDE: "an analyst's merge",
    }.get(step.kind, step.kind)
