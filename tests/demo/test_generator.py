"""The demo company: reproducible, valid for the importer, messy, and carrying its planted truth."""

from __future__ import annotations

import csv
import json
import re
import string
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from cxloop.demo import DemoFile, DemoManifest, generate_demo_company
from cxloop.demo.comments import THEMES, phrasebook
from cxloop.demo.manifest import KIND_ORDER
from cxloop.demo.names import name_pools
from cxloop.demo.pinyin import PINYIN
from cxloop.domain.records import IMPORT_KINDS, FieldType
from cxloop.errors import UsageError

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
SOURCES = ("crm", "webshop", "support", "app")
START, MONTHS = date(2025, 1, 1), 18


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate_demo_company(tmp_path_factory.mktemp("small"), customers=200, seed=7, months=6)


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate_demo_company(tmp_path_factory.mktemp("medium"), customers=3000, seed=0)


# -- reading the files as a user would ------------------------------------------------------


def _mapping(item: DemoFile) -> dict:
    return yaml.safe_load(item.mapping.read_text(encoding="utf-8")) if item.mapping else {}


def read(item: DemoFile) -> pd.DataFrame:
    """A file's rows as text (CSV, JSON Lines) or typed columns (Parquet)."""
    suffix = item.path.suffix
    if suffix == ".parquet":
        return pd.read_parquet(item.path)
    if suffix == ".jsonl":
        return pd.read_json(item.path, lines=True, dtype=False)
    raw = item.path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        text, encoding = raw.decode("gb18030"), "gb18030"
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    return pd.read_csv(
        item.path, sep=sep, encoding=encoding, dtype=str, keep_default_na=False, na_values=[""]
    )


def canonical(item: DemoFile) -> pd.DataFrame:
    """The file with canonical column names (through its mapping, constants applied)."""
    frame = read(item)
    mapping = _mapping(item)
    renamed = pd.DataFrame(index=frame.index)
    used = set()
    for field, spec in mapping.get("columns", {}).items():
        if isinstance(spec, str):
            spec = {"column": spec}
        if "value" in spec:
            renamed[field] = spec["value"]
        else:
            renamed[field] = frame[spec["column"]]
            used.add(spec["column"])
    if item.id_column:
        key = IMPORT_KINDS[item.kind].source_key
        renamed[key] = frame[item.id_column]
        used.add(item.id_column)
    for column in frame.columns:
        if column not in used and column not in renamed:
            renamed[column] = frame[column]
    return renamed


def by(manifest: DemoManifest, kind: str, source: str | None = None) -> list[DemoFile]:
    return [f for f in manifest.files if f.kind == kind and source in (None, f.source)]


def one(manifest: DemoManifest, kind: str, source: str) -> pd.DataFrame:
    (item,) = by(manifest, kind, source)
    return canonical(item)


def timestamps(values: pd.Series, item: DemoFile, field: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.tz_convert("UTC")
    spec = _mapping(item).get("columns", {}).get(field)
    if isinstance(spec, dict) and "format" in spec:
        local = pd.to_datetime(values, format=spec["format"])
        first = np.ones(len(local), dtype=bool)  # an ambiguous autumn hour: take the first
        zoned = local.dt.tz_localize(spec["timezone"], ambiguous=first, nonexistent="shift_forward")
        return zoned.dt.tz_convert("UTC")
    return pd.to_datetime(values, format="ISO8601", utc=True)


def persons(manifest: DemoManifest) -> dict[tuple[str, str], str]:
    clusters = pd.read_csv(manifest.ground_truth / "duplicate_clusters.csv", dtype=str)
    return dict(
        zip(zip(clusters.source, clusters.source_id, strict=True), clusters.person_id, strict=True)
    )


# -- the API and the files ------------------------------------------------------------------


def test_manifest_lists_every_kind_in_import_order(small: DemoManifest) -> None:
    kinds = [f.kind for f in small.files]
    assert set(kinds) == set(KIND_ORDER)
    assert [KIND_ORDER.index(k) for k in kinds] == sorted(KIND_ORDER.index(k) for k in kinds)
    assert {f.source for f in by(small, "customers")} == set(SOURCES)
    assert small.customers == 200 and small.seed == 7
    for item in small.files:
        assert item.path.is_absolute() and item.path.is_file()
        assert item.mapping is None or item.mapping.is_file()
    assert (small.directory / "manifest.json").is_file()
    support = by(small, "customers", "support")[0]
    assert support.mapping is not None and support.id_column == "Ticket Contact ID"


def test_same_seed_same_bytes(small: DemoManifest, tmp_path: Path) -> None:
    again = generate_demo_company(tmp_path / "again", customers=200, seed=7, months=6)
    other = generate_demo_company(tmp_path / "other", customers=200, seed=8, months=6)
    first = sorted(
        p.relative_to(small.directory) for p in small.directory.rglob("*") if p.is_file()
    )
    assert first == sorted(
        p.relative_to(again.directory) for p in again.directory.rglob("*") if p.is_file()
    )
    for rel in first:
        assert (small.directory / rel).read_bytes() == (again.directory / rel).read_bytes(), rel
    assert (small.directory / "crm" / "customers.csv").read_bytes() != (
        other.directory / "crm" / "customers.csv"
    ).read_bytes()


def test_too_few_customers_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        generate_demo_company(tmp_path, customers=10)


def test_mappings_load_with_the_importers_reader(small: DemoManifest) -> None:
    from cxloop.collect.mapping import load_mapping

    mapped = [f for f in small.files if f.mapping]
    assert {(f.kind, f.source) for f in mapped} >= {("customers", "support")}
    for item in mapped:
        mapping = load_mapping(item.mapping)
        assert mapping.kind == item.kind and mapping.source == item.source
        assert mapping.id_column == item.id_column
        assert mapping.mapped_source_columns <= set(read(item).columns)


def test_support_files_are_in_the_desks_dialect(small: DemoManifest) -> None:
    contacts = by(small, "customers", "support")[0].path.read_bytes()
    assert contacts.startswith(b"\xef\xbb\xbf") and contacts.split(b"\n")[0].count(b";") >= 8
    tickets = by(small, "feedback", "support")[0].path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        tickets.decode("utf-8")
    assert "Descripción" in tickets.decode("gb18030")
    alta = read(by(small, "customers", "support")[0])["Alta"]
    assert alta.str.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d").all()


@pytest.mark.parametrize("kind", KIND_ORDER)
def test_columns_and_values_meet_the_canonical_contract(small: DemoManifest, kind: str) -> None:
    spec = IMPORT_KINDS[kind]
    window = (pd.Timestamp(START, tz="UTC"), pd.Timestamp("2025-07-01", tz="UTC"))
    for item in by(small, kind):
        frame = canonical(item)
        extra = set(frame.columns) - set(spec.field_names)
        if not spec.keeps_extra_columns:
            unmapped = extra - set(read(item).columns)
            assert not unmapped, (item.path.name, unmapped)
            if not item.mapping:
                assert not extra, (item.path.name, extra)
        for field in spec.fields:
            if field.required:
                assert field.name in frame, (item.path.name, field.name)
            if field.name not in frame:
                continue
            values = frame[field.name]
            present = values.dropna()
            if field.required:
                assert values.notna().all(), (item.path.name, field.name)
            if field.type in (FieldType.INTEGER, FieldType.NUMBER):
                numbers = present
                if not pd.api.types.is_numeric_dtype(present):
                    spec_col = _mapping(item).get("columns", {}).get(field.name, {})
                    text = present.astype(str)
                    if isinstance(spec_col, dict) and spec_col.get("decimal") == ",":
                        text = text.str.replace(".", "", regex=False).str.replace(",", ".")
                    numbers = pd.to_numeric(text)
                if field.type is FieldType.INTEGER:
                    assert (numbers == np.round(numbers)).all(), (item.path.name, field.name)
                if field.min is not None:
                    assert numbers.between(field.min, field.max).all(), (item.path.name, field.name)
            elif field.type is FieldType.EMAIL:
                assert present.map(lambda v: bool(EMAIL.match(v))).all(), item.path.name
            elif field.type is FieldType.DATE:
                pd.to_datetime(present, format="%Y-%m-%d")
            elif field.type is FieldType.TIMESTAMP:
                ts = timestamps(present, item, field.name)
                assert ts.notna().all()
                if kind in ("orders", "events", "feedback", "employee_pulses"):
                    assert ts.min() >= window[0] and ts.max() < window[1], item.path.name
            elif field.type is FieldType.JSON:
                present.map(json.loads)
            elif field.type is FieldType.BOOLEAN:
                assert present.astype(str).str.lower().isin(["true", "false"]).all()
            if field.choices:
                assert present.isin(field.choices).all(), (item.path.name, field.name)
        key = frame[spec.source_key]
        assert key.notna().all() and key.is_unique, item.path.name
        if "rating" in frame:
            assert frame["rating"].dropna().between(1, 5).all()


def test_activity_points_at_customers_of_its_own_source(small: DemoManifest) -> None:
    ids = {f.source: set(canonical(f)["customer_id"]) for f in by(small, "customers")}
    for kind in ("orders", "events", "feedback"):
        for item in by(small, kind):
            customers = canonical(item)["customer_id"].dropna()
            assert len(customers), item.path.name
            assert set(customers) <= ids[item.source], item.path.name


def test_messy_duplicates_across_and_within_sources(medium: DemoManifest) -> None:
    clusters = pd.read_csv(medium.ground_truth / "duplicate_clusters.csv", dtype=str)
    records = {
        (f.source, cid) for f in by(medium, "customers") for cid in canonical(f)["customer_id"]
    }
    assert set(zip(clusters.source, clusters.source_id, strict=True)) == records
    assert len(clusters) == len(records)
    per_person = clusters.groupby("person_id").source.nunique()
    assert per_person.between(1, 4).all() and (per_person == 4).sum() > 0
    assert clusters.person_id.nunique() == 3000
    assert (per_person >= 2).mean() > 0.4
    crm = clusters[clusters.source == "crm"].groupby("person_id").size()
    assert (crm == 2).sum() > 20

    truth = pd.read_csv(medium.ground_truth / "people.csv", dtype=str).set_index("person_id")
    crm_rows = one(medium, "customers", "crm").set_index("customer_id")
    app_rows = one(medium, "customers", "app").set_index("customer_id")
    crm_people = clusters[clusters.source == "crm"].set_index("source_id").person_id
    app_people = clusters[clusters.source == "app"].set_index("source_id").person_id
    crm_first = crm_rows.first_name.to_numpy()
    true_first = truth.loc[crm_people[crm_rows.index], "first_name"].to_numpy()
    differs = crm_first != true_first
    assert 0.03 < differs.mean() < 0.4  # nicknames, typos, dropped accents
    chinese = truth.loc[app_people[app_rows.index], "language"].to_numpy() == "zh"
    latin = app_rows.name[chinese].str.match(r"^[A-Za-z]+ [A-Za-z]+$")
    assert 0.15 < latin.mean() < 0.7  # Chinese names transliterated to pinyin
    emails = one(medium, "customers", "webshop").email
    assert (emails != emails.str.lower()).mean() > 0.1
    phones = one(medium, "customers", "crm").phone.dropna()
    assert phones.str.startswith("+").any() and phones.str.fullmatch(r"\d+").any()


def test_feedback_speaks_three_languages(medium: DemoManifest) -> None:
    texts = pd.concat([canonical(f)["text"].dropna() for f in by(medium, "feedback")])
    chinese = texts.str.contains(r"[\u4e00-\u9fff]")
    spanish = texts.str.contains(r"\b(?:el|la|los|que|muy|pero|pedido)\b") & ~chinese
    english = texts.str.contains(r"\b(?:the|and|was|my|I)\b") & ~chinese
    for share in (chinese.mean(), spanish.mean(), english.mean()):
        assert share > 0.15
    comments = pd.read_csv(medium.ground_truth / "comments.csv", keep_default_na=False)
    assert set(comments.language) == {"en", "es", "zh"}
    assert set(comments.sentiment) == {"positive", "negative", "neutral", "mixed"}
    assert set(comments.intent) - {""} == {"need", "issue", "gap", "praise"}
    themes = {t for joined in comments.themes for t in joined.split(";") if t}
    assert themes == set(THEMES)
    surveys = one(medium, "feedback", "crm")
    assert 0.4 <= surveys.text.notna().mean() <= 0.6
    assert texts.nunique() > 0.5 * len(texts)


def test_phrasings_are_rich_and_names_transliterate() -> None:
    slots = {"product", "days", "amount", "staff", "minutes", "city"}
    for language in ("en", "es", "zh"):
        book = phrasebook(language)
        assert set(book.themes) == set(THEMES)
        for theme, parts in book.themes.items():
            assert len(set(parts["praise"])) >= 8, (language, theme)
            assert len(set(parts["issue"]) | set(parts["gap"])) >= 8, (language, theme)
            assert parts["need"], (language, theme)
            for template in (t for lines in parts.values() for t in lines):
                used = {f for _, f, _, _ in string.Formatter().parse(template) if f}
                assert used <= slots, (language, template)
    pool = name_pools()["CN"]
    for name in (*pool.male, *pool.female, *pool.last):
        assert all(ch in PINYIN for ch in name), name


# -- the planted chain, visible in the raw files ----------------------------------------------


def _scores(manifest: DemoManifest) -> pd.DataFrame:
    """Survey and ticket scores with team, quarter and the true person."""
    who = persons(manifest)
    parts = []
    for source in ("crm", "support"):
        (item,) = by(manifest, "feedback", source)
        frame = canonical(item)
        frame["ts"] = timestamps(frame["ts"], item, "ts")
        frame["person_id"] = [who[(source, c)] for c in frame["customer_id"]]
        parts.append(frame)
    scores = pd.concat(parts, ignore_index=True)
    for column in ("nps", "csat"):
        scores[column] = pd.to_numeric(scores[column])
    scores["quarter"] = scores["ts"].dt.tz_convert(None).dt.to_period("Q").astype(str)
    return scores


def test_team_engagement_drives_the_csat_of_its_feedback(medium: DemoManifest) -> None:
    scores = _scores(medium)
    cells = (
        scores.dropna(subset=["csat"]).groupby(["team_id", "quarter"]).csat.agg(["mean", "size"])
    )
    chain = json.loads((medium.ground_truth / "value_chain.json").read_text())
    latent = {
        (team["team_id"], quarter): value
        for team in chain["teams"]
        for quarter, value in team["engagement"].items()
    }
    cells = cells[cells["size"] >= 10]
    assert len(cells) >= 40
    engagement = [latent[key] for key in cells.index]
    assert np.corrcoef(engagement, cells["mean"])[0, 1] > 0.7

    (pulses_file,) = by(medium, "employee_pulses")
    pulses = canonical(pulses_file)
    pulses["quarter"] = (
        timestamps(pulses.ts, pulses_file, "ts").dt.tz_convert(None).dt.to_period("Q").astype(str)
    )
    measured = (
        pulses.assign(engagement=pd.to_numeric(pulses.engagement))
        .groupby(["team_id", "quarter"])
        .engagement.mean()
    )
    joined = cells.join(measured, how="inner")
    assert np.corrcoef(joined["engagement"], joined["mean"])[0, 1] > 0.6


def test_managers_rate_their_teams_higher_than_staff_do(medium: DemoManifest) -> None:
    pulses = one(medium, "employee_pulses", "hr")
    staff = one(medium, "employees", "hr")[["employee_id", "is_manager"]]
    merged = pulses.merge(staff, on="employee_id")
    rating = pd.to_numeric(merged.customer_centricity)
    managers = merged.is_manager.str.lower() == "true"
    assert rating[managers].mean() > rating[~managers].mean() + 0.3


def test_churned_customers_gave_lower_nps(medium: DemoManifest) -> None:
    scores = _scores(medium).dropna(subset=["nps"])
    churn = pd.read_csv(medium.ground_truth / "churn.csv", dtype=str)
    churned = set(churn.person_id[churn.churned == "true"])
    assert 0.1 < len(churned) / len(churn) < 0.5
    left = scores.person_id.isin(churned)
    assert scores.nps[left].mean() < scores.nps[~left].mean() - 0.5


def test_satisfied_customers_buy_more(medium: DemoManifest) -> None:
    who = persons(medium)
    orders = pd.concat(
        [canonical(f).assign(source=f.source) for f in by(medium, "orders")], ignore_index=True
    )
    counts = pd.Series(
        [who[(s, c)] for s, c in zip(orders.source, orders.customer_id, strict=True)]
    ).value_counts()
    nps = _scores(medium).dropna(subset=["nps"]).groupby("person_id").nps.mean()
    bought = counts.reindex(nps.index, fill_value=0)
    assert bought[nps >= 9].mean() > 1.15 * bought[nps <= 6].mean()


def test_delivery_and_billing_failures_hurt_nps_more_than_web_errors(medium: DemoManifest) -> None:
    who = persons(medium)
    events = []
    for item in by(medium, "events"):
        frame = canonical(item)
        frame = frame[frame["name"].isin(["Delivery Late", "Payment Failed", "Page Error"])]
        frame = frame.dropna(subset=["customer_id"])
        frame["ts"] = timestamps(frame["ts"], item, "ts")
        frame["person_id"] = [who[(item.source, c)] for c in frame["customer_id"]]
        events.append(frame[["person_id", "name", "ts"]])
    failures = pd.concat(events, ignore_index=True)
    scores = _scores(medium).dropna(subset=["nps"]).reset_index(drop=True)
    gaps = {}
    for name in ("Delivery Late", "Payment Failed", "Page Error"):
        hits = (
            scores[["person_id", "ts"]]
            .reset_index()
            .merge(failures[failures.name == name], on="person_id", suffixes=("", "_event"))
        )
        window = (hits.ts_event < hits.ts) & (hits.ts - hits.ts_event <= pd.Timedelta(days=90))
        recent = scores.index.isin(hits.loc[window, "index"])
        assert recent.sum() >= 20, name
        gaps[name] = scores.nps[recent].mean() - scores.nps[~recent].mean()
    assert gaps["Delivery Late"] < -1.0, gaps
    assert gaps["Payment Failed"] < -0.8, gaps
    assert gaps["Delivery Late"] < gaps["Page Error"] - 0.6, gaps
    assert gaps["Payment Failed"] < gaps["Page Error"] - 0.5, gaps


def test_comment_truth_agrees_with_scores(medium: DemoManifest) -> None:
    surveys = one(medium, "feedback", "crm")
    comments = pd.read_csv(medium.ground_truth / "comments.csv", keep_default_na=False)
    merged = surveys.merge(comments, on="feedback_id")
    csat = pd.to_numeric(merged.csat)
    positive, negative = merged.sentiment == "positive", merged.sentiment == "negative"
    assert csat[positive].mean() > csat[negative].mean() + 1.0
    assert (merged.intent[positive] == "praise").all()
    assert merged.intent[negative].isin(["issue", "gap"]).all()


def test_ground_truth_documents_the_chain(small: DemoManifest) -> None:
    truth = small.ground_truth
    for name in (
        "duplicate_clusters.csv",
        "comments.csv",
        "value_chain.json",
        "churn.csv",
        "README.md",
        "people.csv",
    ):
        assert (truth / name).is_file(), name
    chain = json.loads((truth / "value_chain.json").read_text())
    assert {"equations", "coefficients", "teams", "touchpoints", "observed"} <= set(chain)
    assert len(chain["teams"]) == 8
    effects = {tp: v["nps_points_lost_per_failure"] for tp, v in chain["touchpoints"].items()}
    assert min(effects["delivery"], effects["billing"]) > 5 * effects["web"]
    churn = pd.read_csv(truth / "churn.csv", dtype=str, keep_default_na=False)
    assert len(churn) == 200 and set(churn.churned) <= {"true", "false"}
    assert (churn.churn_date[churn.churned == "true"] != "").all()
    comments = pd.read_csv(truth / "comments.csv", dtype=str)
    feedback_ids = {i for f in by(small, "feedback") for i in canonical(f)["feedback_id"]}
    assert set(comments.feedback_id) <= feedback_ids
    with (truth / "duplicate_clusters.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["source", "source_id", "person_id"]
