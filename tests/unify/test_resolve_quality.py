"""Resolution quality on data with known truth: FEBRL4 (two files, one duplicate per person)
and the demo company's planted duplicates. Pairwise precision, recall and F1 of the clusters.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pytest

from cxloop.collect.importer import import_file
from cxloop.collect.mapping import Mapping
from cxloop.config import Settings
from cxloop.demo import generate_demo_company
from cxloop.demo.loading import run_demo
from cxloop.project import init_project, open_project_warehouse
from cxloop.storage import Warehouse
from cxloop.unify import ResolveOptions, resolve
from unify.rows import SHARED_DATA, identities

pytestmark = pytest.mark.slow

FEBRL = SHARED_DATA / "identity" / "febrl"
FEBRL_COLUMNS = {
    "first_name": "given_name",
    "last_name": "surname",
    "address": "address_1",
    "city": "suburb",
    "postcode": "postcode",
}


def pairwise(predicted: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of ``predicted`` clusters against ``truth`` (both
    record id → cluster label), over the records both know."""
    common = predicted.keys() & truth.keys()

    def pairs(counts: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in counts)

    found = pairs(Counter(predicted[r] for r in common).values())
    true = pairs(Counter(truth[r] for r in common).values())
    both = pairs(Counter((predicted[r], truth[r]) for r in common).values())
    precision = both / found if found else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def test_pairwise_scores_count_pairs_not_records() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2"}
    assert pairwise(truth, truth) == (1.0, 1.0, 1.0)
    precision, recall, _ = pairwise({"a": "x", "b": "x", "c": "y", "d": "y"}, truth)
    assert (precision, recall) == (0.5, 1 / 3)


def import_febrl(warehouse: Warehouse, tmp_path: Path) -> None:
    """dataset4a and dataset4b as two sources. A few 4b birth dates are impossible
    (19450493): those rows are loaded again without their birth date, as a user would."""
    dated = Mapping.model_validate(
        {
            "kind": "customers",
            "id_column": "rec_id",
            "columns": {
                **FEBRL_COLUMNS,
                "birth_date": {"column": "date_of_birth", "format": "%Y%m%d"},
            },
        }
    )
    undated = Mapping.model_validate(
        {
            "kind": "customers",
            "id_column": "rec_id",
            "columns": FEBRL_COLUMNS,
            "exclude": ["_line", "_errors"],
        }
    )
    for name, source in (("dataset4a", "febrl_a"), ("dataset4b", "febrl_b")):
        rejects = tmp_path / f"{name}.rejects.csv"
        report = import_file(
            warehouse,
            "customers",
            FEBRL / f"{name}.csv",
            source=source,
            mapping=dated,
            skip_bad_rows=True,
            rejects_path=rejects,
        )
        if report.rejects_file:
            import_file(warehouse, "customers", rejects, source=source, mapping=undated)
    assert warehouse.counts()["source_records"] == 10_000


def febrl_truth(record_ids: Iterable[str]) -> dict[str, str]:
    """``febrl_b:rec-561-dup-0`` → ``561``: records with the same number are one person."""
    return {rid: rid.split(":", 1)[1].split("-")[1] for rid in record_ids}


@pytest.fixture
def febrl(warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    if not (FEBRL / "dataset4a.csv").is_file():
        pytest.skip(f"FEBRL data not found in {FEBRL}")
    import_febrl(warehouse, tmp_path)
    return warehouse


def test_febrl4_with_its_identifier(febrl: Warehouse) -> None:
    started = time.perf_counter()
    report = resolve(febrl, ResolveOptions(id_attributes=["soc_sec_id"]))
    seconds = time.perf_counter() - started
    assigned = identities(febrl)
    precision, recall, f1 = pairwise(assigned, febrl_truth(assigned))
    print(f"FEBRL4 (+soc_sec_id): P={precision:.4f} R={recall:.4f} F1={f1:.4f} {seconds:.1f}s")
    assert report.model_trained
    assert f1 >= 0.99
    assert precision >= 0.995


def test_febrl4_on_names_dates_and_addresses_alone(febrl: Warehouse) -> None:
    report = resolve(febrl)
    assigned = identities(febrl)
    precision, recall, f1 = pairwise(assigned, febrl_truth(assigned))
    print(f"FEBRL4 (no identifier): P={precision:.4f} R={recall:.4f} F1={f1:.4f}")
    assert report.links.keys() == {"probabilistic"}
    assert f1 >= 0.98


def demo_truth(project: Path) -> dict[str, str]:
    truth = pd.read_csv(
        project / "demo_data" / "ground_truth" / "duplicate_clusters.csv", dtype=str
    )
    record_ids = truth["source"] + ":" + truth["source_id"]
    return dict(zip(record_ids, truth["person_id"], strict=True))


def test_the_demo_companys_planted_duplicates(tmp_path: Path) -> None:
    settings = Settings.load(project=tmp_path / "demo")
    run_demo(settings, customers=2_000, seed=1, analyse_text=False)  # text plays no part here
    with open_project_warehouse(settings) as wh:
        started = time.perf_counter()
        report = resolve(wh)
        seconds = time.perf_counter() - started
        assigned = identities(wh)
        events = wh.table("events")
        identified = events.filter(events.source_customer_id.notnull())
        linked = float(wh.to_pandas(identified.customer_id.notnull().mean()))
    precision, recall, f1 = pairwise(assigned, demo_truth(settings.project))
    print(f"demo 2000: P={precision:.4f} R={recall:.4f} F1={f1:.4f} {seconds:.1f}s")
    assert len(assigned) == report.source_records
    assert f1 >= 0.95
    assert precision >= 0.97
    assert linked >= 0.99  # events that name their customer reach it


def test_the_demo_resolved_in_two_arrivals_keeps_ids_and_quality(tmp_path: Path) -> None:
    """CRM and webshop first; support and app a later day: the first customers keep their
    ids, and quality is as good as resolving everything at once."""
    project = tmp_path / "demo"
    init_project(project)
    settings = Settings.load(project=project)
    manifest = generate_demo_company(project / "demo_data", customers=2_000, seed=1)
    customer_files = [f for f in manifest.files if f.kind == "customers"]
    early = [f for f in customer_files if f.source in ("crm", "webshop")]
    late = [f for f in customer_files if f not in early]
    with open_project_warehouse(settings) as wh:
        for item in early:
            import_file(wh, "customers", item.path, source=item.source, mapping=item.mapping,
                        id_column=item.id_column)  # fmt: skip
        resolve(wh)
        first = identities(wh)
        for item in late:
            import_file(wh, "customers", item.path, source=item.source, mapping=item.mapping,
                        id_column=item.id_column)  # fmt: skip
        report = resolve(wh)
        second = identities(wh)
    kept = sum(second[r] == c for r, c in first.items()) / len(first)
    precision, recall, f1 = pairwise(second, demo_truth(project))
    print(f"demo 2000 in two arrivals: P={precision:.4f} R={recall:.4f} F1={f1:.4f}")
    assert report.records_resolved == len(second) - len(first)
    assert kept >= 0.99  # only customers merged by a bridging record change id
    assert f1 >= 0.95
