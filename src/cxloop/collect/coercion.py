"""Type coercion and validation of source values, as DuckDB SQL expressions.

Each function takes SQL for one source value and returns SQL for the canonical value and SQL for
an error message (NULL when the value is fine). The import runs these expressions over Arrow
batches in a scratch DuckDB, so millions of rows are checked without a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from cxloop.collect.mapping import Coercion
from cxloop.domain.records import FieldSpec, FieldType

EMAIL_PATTERN = (
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
TRUE_VALUES = ("true", "t", "yes", "y", "1", "si", "sí", "s", "是", "对", "真", "x")
FALSE_VALUES = ("false", "f", "no", "n", "0", "否", "不", "假", "")
TIMESTAMP_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
)
DAYFIRST_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y")
MONTHFIRST_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%m-%d-%Y")
_WHITESPACE = " \t\r\n\u00a0\u202f\u2009\u3000"


def sql_string(value: str) -> str:
    """An SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(sql_string(v) for v in values) + "]"


def arrow_category(type_: pa.DataType) -> str:
    """Classify an Arrow type.

    One of string, integer, float, boolean, timestamp, timestamptz, date or other.
    """
    if pa.types.is_string(type_) or pa.types.is_large_string(type_) or pa.types.is_null(type_):
        return "string"
    if pa.types.is_integer(type_):
        return "integer"
    if pa.types.is_floating(type_) or pa.types.is_decimal(type_):
        return "float"
    if pa.types.is_boolean(type_):
        return "boolean"
    if pa.types.is_timestamp(type_):
        return "timestamptz" if type_.tz else "timestamp"
    if pa.types.is_date(type_):
        return "date"
    return "other"


def trimmed(column_sql: str) -> str:
    """SQL for the text without surrounding whitespace, NULL when empty.

    Trimming every value is slow; most values need none, so only those that start or end with
    whitespace are trimmed (a prefix/suffix test is cheap). The ASCII whitespace a value may
    start with is tested at once: such a value sorts before ``'!'`` (a control character
    there passes the test too, and ``trim`` leaves it as it is). The wider whitespace a value
    may start with is looked for only in values that sort at or after the first of them
    (U+00A0; text is compared byte by byte): an ASCII value pays one comparison for the four.
    """
    wide = [w for w in _WHITESPACE if ord(w) > 0x20]
    wide_starts = " OR ".join(f"{column_sql} LIKE {sql_string(w + '%')}" for w in wide)
    starts = [
        f"{column_sql} < '!'",
        f"({column_sql} >= {sql_string(min(wide))} AND ({wide_starts}))",
    ]
    ends = " OR ".join(starts + [f"{column_sql} LIKE {sql_string('%' + w)}" for w in _WHITESPACE])
    return (
        f"CASE WHEN {column_sql} = '' THEN NULL WHEN {ends} "
        f"THEN NULLIF(trim({column_sql}, {sql_string(_WHITESPACE)}), '') ELSE {column_sql} END"
    )


@dataclass(frozen=True)
class Coerced:
    """SQL for one field, in three layers so no expression is computed twice.

    ``text`` reads the source column; ``parsed`` reads ``{t}`` (the text layer's column);
    ``value`` and ``error`` read ``{t}`` and ``{v}`` (the parsed layer's column). ``error`` is
    NULL when the value is fine.
    """

    text: str
    parsed: str
    value: str = "{v}"
    error: str | None = None

    def bind(self, t: str, v: str) -> tuple[str, str, str | None]:
        """(parsed, value, error) with the layer columns named ``t`` and ``v``."""
        parsed = self.parsed.replace("{t}", t)
        value = self.value.replace("{t}", t).replace("{v}", v)
        error = None if self.error is None else self.error.replace("{t}", t).replace("{v}", v)
        return parsed, value, error


def _got(text_sql: str) -> str:
    return f"', got ' || chr(39) || left(CAST({text_sql} AS VARCHAR), 60) || chr(39)"


def _message(expected: str, text_sql: str = "{t}") -> str:
    return f"{sql_string('expected ' + expected)} || {_got(text_sql)}"


def _number_pattern(decimal: str, thousands: str) -> str:
    d = "\\" + decimal
    t = "\\" + thousands if thousands.strip() else "\\s"
    return rf"^[+-]?((\d{{1,3}}({t}\d{{3}})+|\d+)({d}\d*)?|{d}\d+)([eE][+-]?\d+)?$"


def _number(text: str, opts: Coercion) -> str:
    """SQL DOUBLE from text with locale separators and currency symbols; NULL if not a number."""
    decimal = opts.decimal or "."
    thousands = opts.thousands or ("," if decimal == "." else ".")
    cleaned = (
        f"regexp_replace({text}, '[\\s\u00a0\u202f\u2009$€£¥￥%]|^[A-Z]{{3}}|[A-Z]{{3}}$', '', 'g')"
    )
    pattern = sql_string(_number_pattern(decimal, thousands))
    normal = "c"
    if thousands.strip():
        normal = f"replace({normal}, {sql_string(thousands)}, '')"
    if decimal != ".":
        normal = f"replace({normal}, {sql_string(decimal)}, '.')"
    # a lambda binds the cleaned text once
    return (
        f"(list_transform([{cleaned}], c -> CASE WHEN regexp_matches(c, {pattern}) "
        f"THEN TRY_CAST({normal} AS DOUBLE) END))[1]"
    )


def _timestamp_from_text(text: str, opts: Coercion, tz: str) -> str:
    """SQL TIMESTAMPTZ (UTC) from text: ISO 8601 with or without offset, or known formats."""
    user = opts.formats
    with_zone = [f for f in user if "%z" in f or "%Z" in f]
    naive_formats = [f for f in user if f not in with_zone] + list(TIMESTAMP_FORMATS)
    if opts.dayfirst is True:
        naive_formats += DAYFIRST_FORMATS
    elif opts.dayfirst is False:
        naive_formats += MONTHFIRST_FORMATS
    if tz == "UTC" and not user:
        # fast path: in UTC, DuckDB's own cast reads ISO 8601 with or without an offset
        return (
            f"COALESCE(TRY_CAST({text} AS TIMESTAMPTZ), "
            f"timezone('UTC', try_strptime({text}, {sql_list(naive_formats)})))"
        )
    aware_parts = [
        f"CASE WHEN regexp_matches({text}, '(Z|z|[+-]\\d\\d(:?\\d\\d)?)$') "
        f"THEN TRY_CAST({text} AS TIMESTAMPTZ) END"
    ]
    if with_zone:
        aware_parts.insert(0, f"try_strptime({text}, {sql_list(with_zone)})")
    naive = (
        f"timezone({sql_string(tz)}, COALESCE(TRY_CAST({text} AS TIMESTAMP), "
        f"try_strptime({text}, {sql_list(naive_formats)})))"
    )
    return f"COALESCE({', '.join(aware_parts)}, {naive})"


def coerce(
    column_sql: str,
    category: str,
    spec: FieldSpec,
    opts: Coercion,
    tz: str,
    *,
    text_is_trimmed: bool = False,
) -> Coerced:
    """Coerce one source column (SQL expression of Arrow ``category``) to ``spec.type``.

    Text is trimmed of surrounding whitespace first, unless ``text_is_trimmed`` says that the
    column already is (see :mod:`cxloop.collect.text_trimming`); empty text is NULL either way.
    """
    kind = spec.type
    # native values pass through the text layer as they are
    text = column_sql
    if category == "string":
        text = f"NULLIF({column_sql}, '')" if text_is_trimmed else trimmed(column_sql)

    def as_text(sql: str) -> str:
        return sql if category == "string" else f"CAST({sql} AS VARCHAR)"

    if kind is FieldType.STRING:
        return Coerced(text, as_text("{t}"))
    if kind is FieldType.EMAIL:
        t = as_text("{t}")
        error = (
            f"CASE WHEN {t} IS NOT NULL AND NOT regexp_matches({t}, "
            f"{sql_string(EMAIL_PATTERN)}) THEN {_message('an e-mail address', t)} END"
        )
        return Coerced(text, f"lower({t})", "{v}", error)
    if kind in (FieldType.INTEGER, FieldType.NUMBER):
        if category in ("integer", "float"):
            parsed = "CAST({t} AS DOUBLE)"
        elif category == "boolean":
            parsed = "CAST(CAST({t} AS INTEGER) AS DOUBLE)"
        else:
            parsed = _number(as_text("{t}"), opts)
            if (opts.decimal or ".") == "." and (opts.thousands or ",") != ".":
                # fast path for plain numbers; the full parser handles separators and symbols
                parsed = f"COALESCE(TRY_CAST({{t}} AS DOUBLE), {parsed})"
        if kind is FieldType.NUMBER:
            error = (
                "CASE WHEN {t} IS NOT NULL AND ({v} IS NULL OR NOT isfinite({v})) "
                f"THEN {_message('a number')} END"
            )
            return Coerced(text, parsed, "CASE WHEN isfinite({v}) THEN {v} END", error)
        whole = "({v} = trunc({v}) AND abs({v}) < 9e15)"
        error = (
            f"CASE WHEN {{t}} IS NOT NULL AND ({{v}} IS NULL OR NOT {whole}) "
            f"THEN {_message('a whole number')} END"
        )
        return Coerced(text, parsed, f"CASE WHEN {whole} THEN CAST({{v}} AS BIGINT) END", error)
    if kind is FieldType.BOOLEAN:
        if category == "boolean":
            return Coerced(text, "{t}")
        trues = tuple(v.lower() for v in (opts.true_values or TRUE_VALUES))
        falses = tuple(v.lower() for v in (opts.false_values or FALSE_VALUES))
        low = f"lower({as_text('{t}')})"
        parsed = (
            f"CASE WHEN {low} IN ({', '.join(map(sql_string, trues))}) THEN TRUE "
            f"WHEN {low} IN ({', '.join(map(sql_string, falses))}) THEN FALSE END"
        )
        error = (
            "CASE WHEN {t} IS NOT NULL AND {v} IS NULL "
            f"THEN {_message('yes/no (true, false, 1, 0, sí, 是…)')} END"
        )
        return Coerced(text, parsed, "{v}", error)
    if kind in (FieldType.DATE, FieldType.TIMESTAMP):
        if category == "timestamptz":
            ts = "CAST({t} AS TIMESTAMPTZ)"
        elif category == "timestamp":
            ts = f"timezone({sql_string(tz)}, {{t}})"
        elif category == "date":
            ts = f"timezone({sql_string(tz)}, CAST({{t}} AS TIMESTAMP))"
        elif category in ("integer", "float"):
            ts = "to_timestamp(CASE WHEN abs({t}) > 1e11 THEN {t} / 1000.0 ELSE {t} END)"
        else:
            ts = _timestamp_from_text(as_text("{t}"), opts, tz)
        if kind is FieldType.DATE:
            if category == "date":
                parsed = "{t}"
            elif category in ("timestamp", "timestamptz"):
                parsed = "CAST({t} AS DATE)"
            elif category == "string":
                parsed = f"COALESCE(TRY_CAST({{t}} AS DATE), CAST(timezone('UTC', {ts}) AS DATE))"
            else:
                parsed = f"CAST(timezone('UTC', {ts}) AS DATE)"
            expected = "a date like 2025-11-23"
        else:
            parsed = ts
            expected = "a date and time like 2025-11-23T14:05:00+01:00"
        plausible = _plausible_years(kind is FieldType.DATE)
        error = (
            "CASE WHEN {t} IS NOT NULL AND {v} IS NULL "
            f"THEN {_message(expected)} "
            f"WHEN {{v}} IS NOT NULL AND NOT ({plausible}) "
            f"THEN 'implausible date' || {_got('{t}')} END"
        )
        return Coerced(text, parsed, f"CASE WHEN {plausible} THEN {{v}} END", error)
    if kind is FieldType.JSON:
        if category == "string":
            error = (
                "CASE WHEN {t} IS NOT NULL AND NOT json_valid({t}) "
                f"THEN {_message('a JSON document')} END"
            )
            return Coerced(text, "CASE WHEN json_valid({t}) THEN {t} END", "{v}", error)
        return Coerced(text, "CAST(to_json({t}) AS VARCHAR)")
    raise AssertionError(f"unhandled field type {kind}")


def _plausible_years(is_date: bool) -> str:
    """SQL that is TRUE when ``{v}`` falls in the years 1900–2100 (in UTC for a timestamp).

    A range test on the value itself, not ``year({v})``: on a ``TIMESTAMPTZ`` DuckDB takes
    the year through its ICU calendar, about 2 CPU-seconds per 10M values (the range test
    takes 0.03), and the check runs for every row of an import.
    """
    if is_date:
        return "{v} >= DATE '1900-01-01' AND {v} < DATE '2101-01-01'"
    return (
        "{v} >= TIMESTAMPTZ '1900-01-01 00:00:00+00' AND {v} < TIMESTAMPTZ '2101-01-01 00:00:00+00'"
    )


def constraint_error(value_sql: str, spec: FieldSpec) -> str | None:
    """SQL for the first rule ``value_sql`` breaks (required, range, choices), or None."""
    parts = []
    if spec.required:
        parts.append(f"WHEN {value_sql} IS NULL THEN 'required value is missing'")
    if spec.min is not None and spec.max is not None:
        lo, hi = _num(spec.min), _num(spec.max)
        parts.append(
            f"WHEN {value_sql} < {lo} OR {value_sql} > {hi} "
            f"THEN 'must be between {lo} and {hi}, got ' || CAST({value_sql} AS VARCHAR)"
        )
    if spec.choices:
        parts.append(
            # list_contains, not NOT IN: DuckDB plans NOT IN over a file as a MARK join, and
            # list_contains runs once per dictionary entry of a dictionary-encoded column
            f"WHEN NOT list_contains([{', '.join(map(sql_string, spec.choices))}], {value_sql}) "
            f"THEN 'must be one of {', '.join(spec.choices)}, got ' "
            f"|| chr(39) || {value_sql} || chr(39)"
        )
    if not parts:
        return None
    return "CASE " + " ".join(parts) + " END"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)
