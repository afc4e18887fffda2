"""``export_customer``: the person's rows of every personal table, and nobody else's."""

from __future__ import annotations

import json

from cxloop.privacy.erasure import person_rows
from cxloop.privacy.person import gather_person
from cxloop.privacy.person_export import EXPORT_FORMAT, NOT_EXPORTED, export_customer
from cxloop.project import open_project_warehouse

from .conftest import EXPECTED, DemoCopy


def test_export_holds_every_table_with_their_rows(planted_project: DemoCopy) -> None:
    settings, customer_id = planted_project.settings, planted_project.customer_id
    with open_project_warehouse(settings, read_only=True) as wh:
        doc = export_customer(wh, settings.project, customer_id)
        counts = person_rows(wh, gather_person(wh, customer_id))
    assert doc["format"] == EXPORT_FORMAT and doc["customer_id"] == customer_id
    expected = {t for t in EXPECTED if t not in NOT_EXPORTED}
    assert set(doc["tables"]) == expected
    assert {t: len(rows) for t, rows in doc["tables"].items()} == {t: counts[t] for t in expected}
    assert doc["segment_lists"] == ["vip_list"]
    assert planted_project.other_id not in json.dumps(doc["tables"]["customers"])
    response = doc["tables"]["survey_responses"][0]
    assert isinstance(response["answers"], dict | list)  # JSON documents are parsed
    json.dumps(doc)  # and the whole document is JSON
