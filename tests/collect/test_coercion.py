"""Coercion of source values to canonical types, run for real in DuckDB."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxloop.collect.import_plan import LINE_COLUMN, build_plan
from cxloop.collect.mapping import Mapping
from cxloop.collect.text_trimming import add_trimmed_columns
from cxloop.domain.records import FieldSpec, FieldType, ImportKind
from cxloop.storage.scratch import ScratchEngine

SCRATCH = ScratchEngine()


def coerce_values(
    values: list[object], type_: FieldType, *, mapping: dict | None = None, **rules: object
) -> tuple[list[object], list[str | None]]:
    """Coerce ``values`` as field ``v`` of a one-field kind; return values and first errors."""
    kind = ImportKind(
        name="probe",
        table="probe",
        key_column="id",
        source_key="id",
        source_scoped=False,
        fields=(FieldSpec("id", required=True), FieldSpec("v", type_, **rules)),  # type: ignore[arg-type]
    )
    column = (
        pa.array(values)
        if values and not isinstance(values[0], str)
        else pa.array(values, pa.string())
    )
    batch = pa.table(
        {
            "id": [str(i) for i in range(len(values))],
            "v": column,
            LINE_COLUMN: list(range(2, len(values) + 2)),
        }
    )
    outputs = []
    for trim_in_arrow in (False, True):  # the general path and the fast one agree
        plan = build_plan(
            kind,
            batch.schema,
            source="s",
            mapping=Mapping.model_validate(mapping or {}),
            trim_in_arrow=trim_in_arrow,
        )
        prepared = add_trimmed_columns(batch, plan.trimmed_copies)
        outputs.append(SCRATCH.query(plan.sql, batch=prepared))
    out, fast = outputs
    assert fast.drop_columns(["imported_at"]).equals(out.drop_columns(["imported_at"]))
    errors = [e[0]["message"] if e else None for e in out["__errors"].to_pylist()]
    return out["v"].to_pylist(), errors


def test_numbers_with_locale_separators_and_currency() -> None:
    values, errors = coerce_values(
        ["1,234.50", "$ 99", "-3.5e2", "12%", "1 234.5", "3,5"], FieldType.NUMBER
    )
    assert values[:5] == [1234.5, 99.0, -350.0, 12.0, 1234.5]
    assert values[5] is None and "expected a number" in errors[5]
    values, errors = coerce_values(
        ["1.234,56", "€ 7,5", "0,99 EUR"],
        FieldType.NUMBER,
        mapping={"defaults": {"decimal": ","}},
    )
    assert values == [1234.56, 7.5, 0.99] and errors == [None] * 3


def test_integers_reject_fractions_and_words() -> None:
    values, errors = coerce_values(["7", " 10 ", "7.0", "7.5", "seven"], FieldType.INTEGER)
    assert values == [7, 10, 7, None, None]
    assert errors[3] == "expected a whole number, got '7.5'"
    assert errors[4] == "expected a whole number, got 'seven'"


def test_ranges_are_checked_after_types() -> None:
    _, errors = coerce_values(["0", "10", "11", "-1", "x"], FieldType.INTEGER, min=0, max=10)
    assert errors[:2] == [None, None]
    assert errors[2] == "must be between 0 and 10, got 11"
    assert errors[3] == "must be between 0 and 10, got -1"
    assert errors[4].startswith("expected a whole number")  # one error per cell, not two


def test_required_values() -> None:
    _, errors = coerce_values(["a", "", "  ", None], FieldType.STRING, required=True)
    assert errors == [
        None,
        "required value is missing",
        "required value is missing",
        "required value is missing",
    ]


def test_choices() -> None:
    _, errors = coerce_values(["track", "nope"], FieldType.STRING, choices=("track", "page"))
    assert errors[0] is None and errors[1] == "must be one of track, page, got 'nope'"


def test_choices_leave_a_missing_value_alone() -> None:
    """A missing value is not outside the choices (``list_contains`` gives NULL for it, as
    ``NOT IN`` did); only a required field reports it."""
    _, errors = coerce_values([None, "", "page"], FieldType.STRING, choices=("track", "page"))
    assert errors == [None, None, None]


def test_text_that_starts_beyond_ascii_is_trimmed_only_of_whitespace() -> None:
    """Values at or after U+00A0 take the wide-whitespace test; the others skip it."""
    raw = ["\u00a0a", "\u00a1b", "\u2009c", "\u202f", "\u3000\u3000d", "\u3001e", "éf", "中g "]
    values, errors = coerce_values(raw, FieldType.STRING)
    assert values == ["a", "\u00a1b", "c", None, "d", "\u3001e", "éf", "中g"]
    assert errors == [None] * len(raw)


def test_booleans_in_three_languages() -> None:
    values, errors = coerce_values(
        ["yes", "No", "TRUE", "0", "sí", "是", "否", "maybe"], FieldType.BOOLEAN
    )
    assert values == [True, False, True, False, True, True, False, None]
    assert errors[-1].startswith("expected yes/no")
    values, _ = coerce_values(
        ["J", "N"],
        FieldType.BOOLEAN,
        mapping={"defaults": {"true_values": ["j"], "false_values": ["n"]}},
    )
    assert values == [True, False]


def test_emails_are_checked_and_lowercased() -> None:
    values, errors = coerce_values(
        ["Ana.Lopez@Example.ES", "wang.wei@qq.com", "not-an-email", "a@b", "x y@z.com"],
        FieldType.EMAIL,
    )
    assert values[:2] == ["ana.lopez@example.es", "wang.wei@qq.com"]
    assert errors[:2] == [None, None]
    assert all(e and e.startswith("expected an e-mail address") for e in errors[2:])


def test_timestamps_in_common_layouts_and_zones() -> None:
    values, errors = coerce_values(
        [
            "2025-11-23T14:05:00+01:00",
            "2025-11-23T13:05:00Z",
            "2025-11-23 13:05:00",
            "2025/11/23 13:05",
            "23.11.2025 13:05",
            "2025年11月23日 13:05",
        ],
        FieldType.TIMESTAMP,
    )
    expected = datetime(2025, 11, 23, 13, 5, tzinfo=UTC)
    assert errors == [None] * 6
    assert all(v == expected for v in values)


def test_naive_times_take_the_mapping_time_zone() -> None:
    values, _ = coerce_values(
        ["23/11/2025 14:05"],
        FieldType.TIMESTAMP,
        mapping={
            "columns": {
                "v": {"column": "v", "format": "%d/%m/%Y %H:%M", "timezone": "Europe/Madrid"}
            }
        },
    )
    assert values == [datetime(2025, 11, 23, 13, 5, tzinfo=UTC)]


def test_ambiguous_slashed_dates_need_dayfirst() -> None:
    _, errors = coerce_values(["03/04/2025"], FieldType.DATE)
    assert errors[0].startswith("expected a date")
    day_first, _ = coerce_values(
        ["03/04/2025"], FieldType.DATE, mapping={"defaults": {"dayfirst": True}}
    )
    month_first, _ = coerce_values(
        ["03/04/2025"], FieldType.DATE, mapping={"defaults": {"dayfirst": False}}
    )
    assert day_first == [date(2025, 4, 3)] and month_first == [date(2025, 3, 4)]


def test_implausible_and_invalid_dates() -> None:
    values, errors = coerce_values(["1850-01-01", "2025-02-30", "yesterday"], FieldType.DATE)
    assert values == [None, None, None]
    assert errors[0] == "implausible date, got '1850-01-01'"
    assert errors[1].startswith("expected a date") and errors[2].startswith("expected a date")


def test_text_is_trimmed_of_whitespace_only_at_its_ends() -> None:
    """Values that start with a control character pass the cheap ASCII test (they sort
    before '!') but keep it: only the whitespace set is trimmed."""
    raw = ["\x01a", "a\x01", "\x0bb ", " \tc\r\n", "\u3000d\u00a0", "\u202fe\u2009", "!f",
           " ", "中文 ", "g"]  # fmt: skip
    values, errors = coerce_values(raw, FieldType.STRING)
    assert values == ["\x01a", "a\x01", "\x0bb", "c", "d", "e", "!f", None, "中文", "g"]
    assert errors == [None] * len(raw)


def test_plausible_years_are_1900_to_2100_at_their_edges() -> None:
    """The range test on the value (not ``year()``) keeps the edges: 1900 and 2100 are in,
    a moment before or after is out, for dates, text timestamps and native timestamps."""
    days = ["1899-12-31", "1900-01-01", "2100-12-31", "2101-01-01"]
    values, errors = coerce_values(days, FieldType.DATE)
    assert values == [None, date(1900, 1, 1), date(2100, 12, 31), None]
    assert [e is not None and e.startswith("implausible") for e in errors] == [
        True, False, False, True
    ]  # fmt: skip
    stamps = ["1899-12-31T23:59:59Z", "1900-01-01T00:00:00Z", "2100-12-31T23:59:59Z",
              "2101-01-01T00:00:00Z", "2100-12-31T23:30:00-01:00"]  # fmt: skip
    values, errors = coerce_values(stamps, FieldType.TIMESTAMP)
    assert values[1:3] == [datetime(1900, 1, 1, tzinfo=UTC), datetime(2100, 12, 31, 23, 59, 59,
                                                                       tzinfo=UTC)]  # fmt: skip
    # 23:30 at UTC-1 on the last day of 2100 is 00:30 UTC in 2101: out, as year() in UTC had it
    assert [v is None for v in values] == [True, False, False, True, True]
    assert [e is not None and e.startswith("implausible") for e in errors] == [
        True, False, False, True, True
    ]  # fmt: skip
    native = [datetime(1899, 12, 31, 23, 59, tzinfo=UTC), datetime(2100, 12, 31, 23, tzinfo=UTC)]
    values, errors = coerce_values(native, FieldType.TIMESTAMP)
    assert values == [None, native[1]] and errors[0].startswith("implausible")


def test_native_types_pass_through() -> None:
    values, errors = coerce_values([1, 2, 3], FieldType.INTEGER)
    assert values == [1, 2, 3] and errors == [None] * 3
    moment = datetime(2025, 1, 1, 12, tzinfo=UTC)
    values, _ = coerce_values([moment], FieldType.TIMESTAMP)
    assert values == [moment]


def test_json_documents() -> None:
    values, errors = coerce_values(['{"a": 1}', "{broken"], FieldType.JSON)
    assert values[0] == '{"a": 1}' and values[1] is None
    assert errors[1].startswith("expected a JSON document")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from([(".", ","), (",", "."), (".", " "), (",", " ")]),
)
def test_property_locale_numbers_round_trip(numbers: list, seps: tuple[str, str]) -> None:
    decimal, thousands = seps

    def fmt(x: object) -> str:
        text = f"{x:,.2f}".replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)
        return text

    values, errors = coerce_values(
        [fmt(n) for n in numbers],
        FieldType.NUMBER,
        mapping={"defaults": {"decimal": decimal, "thousands": thousands}},
    )
    assert errors == [None] * len(numbers)
    assert values == pytest.approx([float(n) for n in numbers])


LAYOUTS = [
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M:%S",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31)),
            st.sampled_from(LAYOUTS),
            st.one_of(st.none(), st.integers(min_value=-12 * 4, max_value=14 * 4)),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_property_timestamps_round_trip(items: list) -> None:
    texts, expected = [], []
    for moment, layout, quarter_hours in items:
        moment = moment.replace(microsecond=0)
        text = moment.strftime(layout)
        if quarter_hours is None:
            expected.append(moment.replace(tzinfo=UTC))
        else:
            offset = timedelta(minutes=15 * quarter_hours)
            sign = "+" if offset >= timedelta(0) else "-"
            minutes = abs(quarter_hours) * 15
            text = (
                moment.strftime("%Y-%m-%dT%H:%M:%S")
                + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
            )
            expected.append(moment.replace(tzinfo=timezone(offset)).astimezone(UTC))
        texts.append(text)
    values, errors = coerce_values(texts, FieldType.TIMESTAMP)
    assert errors == [None] * len(texts), list(zip(texts, errors, strict=True))
    assert values == expected
