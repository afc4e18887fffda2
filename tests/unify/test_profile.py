"""Customer 360 profiles: lookup by id, e-mail or source record; records, identities,
summary figures and a paged timeline."""

from __future__ import annotations

import pytest

from customer_data import ANA_EMAIL, ANA_EVENTS, build_company
from cxloop.errors import NotFoundError, UsageError
from cxloop.storage import Warehouse
from cxloop.unify.profile import SourceRecord, customer_profile, differing_fields


@pytest.fixture
def ids(warehouse: Warehouse) -> dict[str, str]:
    return build_company(warehouse)


@pytest.mark.parametrize(
    "reference",
    ["id", ANA_EMAIL, "  ANA.Ruiz@example.ES ", "crm:C1", "webshop:W7"],
    ids=["id", "email", "email-unclean", "crm-record", "webshop-record"],
)
def test_a_customer_is_found_by_id_email_or_source_record(
    warehouse: Warehouse, ids: dict[str, str], reference: str
) -> None:
    profile = customer_profile(warehouse, ids["ana"] if reference == "id" else reference)
    assert profile.customer_id == ids["ana"]
    assert profile.golden_record.name == "Ana Ruiz"
    assert [r.record_id for r in profile.source_records] == ["crm:C1", "webshop:W7"]


def test_records_identities_and_differences(warehouse: Warehouse, ids: dict[str, str]) -> None:
    profile = customer_profile(warehouse, ids["ana"])
    crm, web = profile.source_records
    assert crm.attributes == {"tier": "gold"} and web.attributes["newsletter"] is True
    assert {i.method for i in profile.identities} == {"deterministic:email"}
    assert all(i.match_probability == 1.0 for i in profile.identities)
    # city "Madrid"/"madrid ", country ES/España, the phone in two forms agree; postcodes do not
    assert profile.differing_fields == ["postcode"]
    assert profile.golden_record.phone == "+34653126976"
    assert profile.golden_record.attributes["tier"] in {"gold", "silver"}


def test_differing_fields_ignore_missing_values() -> None:
    a = SourceRecord(record_id="a:1", source="a", source_id="1", name="Ana", city="Madrid")
    b = SourceRecord(record_id="b:1", source="b", source_id="1", name="ANA", city=None)
    c = SourceRecord(record_id="c:1", source="c", source_id="1", name="Anna", email="x@y.com")
    assert differing_fields([a, b]) == []
    assert differing_fields([a, b, c]) == ["name"]


def test_summary_figures(warehouse: Warehouse, ids: dict[str, str]) -> None:
    summary = customer_profile(warehouse, ids["ana"]).summary
    assert summary.orders == 3 and summary.feedback == 2 and summary.events == ANA_EVENTS
    assert summary.survey_responses == 1 and summary.cases == 1
    assert [(r.currency, r.amount, r.orders) for r in summary.revenue] == [
        ("EUR", 150.5, 2),
        ("USD", 20.0, 1),
    ]
    assert summary.latest_nps is not None and summary.latest_nps.value == 9
    assert summary.latest_csat is not None and summary.latest_csat.value == 2
    assert summary.first_seen is not None and summary.last_seen is not None
    assert summary.first_seen < summary.last_seen


def test_the_timeline_is_newest_first_with_every_kind(
    warehouse: Warehouse, ids: dict[str, str]
) -> None:
    timeline = customer_profile(warehouse, ids["ana"], timeline_limit=1000).timeline
    assert timeline.counts == {
        "event": ANA_EVENTS, "order": 3, "feedback": 2, "survey_response": 1, "case": 1,
    }  # fmt: skip
    assert timeline.total == len(timeline.items) == ANA_EVENTS + 7
    times = [item.ts for item in timeline.items]
    assert times == sorted(times, reverse=True)
    case = next(i for i in timeline.items if i.kind == "case")
    assert case.status == "resolved" and case.priority == "high"  # the latest status event
    response = next(i for i in timeline.items if i.kind == "survey_response")
    assert response.details == {"nps": 3, "why": "tarde"} and response.title == "relationship_nps"
    event = next(i for i in timeline.items if i.kind == "event")
    assert event.details is not None and event.details["sku"].startswith("SKU-")
    order = next(i for i in timeline.items if i.kind == "order")
    assert order.amount is not None and order.currency in {"EUR", "USD"}


def test_the_timeline_is_paged(warehouse: Warehouse, ids: dict[str, str]) -> None:
    everything = customer_profile(warehouse, ids["ana"], timeline_limit=1000).timeline.items
    first = customer_profile(warehouse, ids["ana"], timeline_limit=10).timeline
    second = customer_profile(warehouse, ids["ana"], timeline_limit=10, timeline_offset=10).timeline
    assert first.limit == 10 and len(first.items) == 10 and first.total == len(everything)
    assert [i.item_id for i in first.items + second.items] == [i.item_id for i in everything[:20]]
    assert customer_profile(warehouse, ids["ana"], timeline_limit=0).timeline.items == []


def test_a_customer_without_activity(warehouse: Warehouse, ids: dict[str, str]) -> None:
    profile = customer_profile(warehouse, "wxy@example.cn")
    assert profile.customer_id == ids["xiuying"]
    assert profile.golden_record.name == "Wang Xiuying"  # the newer record wins
    assert profile.differing_fields == []  # languages zh and zh-CN agree
    assert profile.timeline.total == 0 and profile.summary.orders == 0
    assert profile.summary.latest_nps is None and profile.summary.revenue == []


@pytest.mark.parametrize(
    ("reference", "error"),
    [
        ("cus_0000000000000000", NotFoundError),
        ("nobody@example.com", NotFoundError),
        ("crm:nope", NotFoundError),
        ("Ana Ruiz", NotFoundError),
        ("   ", UsageError),
    ],
    ids=["unknown-id", "unknown-email", "unknown-record", "a-name", "blank"],
)
def test_clear_errors_when_nothing_matches(
    warehouse: Warehouse, ids: dict[str, str], reference: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        customer_profile(warehouse, reference)


def test_an_email_shared_by_two_customers_is_ambiguous(
    warehouse: Warehouse, ids: dict[str, str]
) -> None:
    customers = warehouse.table("customers")
    warehouse.update("customers", "customer_id", [ids["jose"]], {"email": ANA_EMAIL})
    assert warehouse.to_pyarrow(customers.filter(customers.email == ANA_EMAIL).count()).as_py() == 2
    with pytest.raises(UsageError, match="2 customers"):
        customer_profile(warehouse, ANA_EMAIL)


def test_bad_timeline_limits_are_refused(warehouse: Warehouse, ids: dict[str, str]) -> None:
    with pytest.raises(UsageError):
        customer_profile(warehouse, ids["ana"], timeline_limit=5000)
    with pytest.raises(UsageError):
        customer_profile(warehouse, ids["ana"], timeline_offset=-1)
