"""The plan of an import: which source column feeds which canonical column, as one SQL query.

Building the query is separate from running it (``cxloop.storage.scratch`` runs it), so a plan
can be inspected and tested without data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyarrow as pa

from cxloop.collect.coercion import (
    arrow_category,
    coerce,
    constraint_error,
    sql_identifier,
    sql_string,
)
from cxloop.collect.mapping import Coercion, Mapping
from cxloop.domain.records import FieldSpec, ImportKind
from cxloop.errors import DataError

LINE_COLUMN = "__line"
ERRORS_COLUMN = "__errors"
OK_COLUMN = "__ok"
# canonical import field → warehouse column, where they differ
_RENAMES = {
    "customers": {"customer_id": "source_id"},
    "events": {"customer_id": "source_customer_id"},
    "orders": {"customer_id": "source_customer_id"},
    "feedback": {"customer_id": "source_customer_id"},
}


def normalise_header(name: str) -> str:
    """``"E-Mail Address "`` → ``"e_mail_address"``: how headers are matched to fields."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


@dataclass
class ImportPlan:
    """A planned import of one file into one canonical table."""

    kind: ImportKind
    source: str
    sql: str
    field_sources: dict[str, str]  # canonical field → source column (or "=constant")
    extra_columns: list[str]
    ignored_columns: list[str]
    derived_ids: bool
    output_columns: list[str] = field(default_factory=list)
    #: source column → name of its trimmed copy, which the SQL reads instead (see
    #: :func:`cxloop.collect.text_trimming.add_trimmed_columns`); empty unless asked for
    trimmed_copies: dict[str, str] = field(default_factory=dict)
    #: the query's four layers (text, parsed, checked, output), without the errors column
    layers: tuple[list[str], ...] = field(default=(), repr=False)
    #: SQL over the output layer: the row's errors, as a list (empty when it is fine)
    errors_sql: str = field(default="", repr=False)
    #: SQL over the output layer: TRUE when the row has no error
    ok_sql: str = field(default="TRUE", repr=False)

    def query(self, relation: str = "batch", *, errors: bool = True) -> str:
        """The plan's SQL reading the source rows from ``relation`` (a table name or a
        parenthesised query with the source columns and :data:`LINE_COLUMN`).

        With ``errors`` the rows carry :data:`ERRORS_COLUMN` (the list of their problems, as
        :attr:`sql` does); without, a boolean :data:`OK_COLUMN`, which is far cheaper to
        compute for the rows that are fine.
        """
        texts, parsed, checked, outer = self.layers
        last = (
            f"{self.errors_sql} AS {ERRORS_COLUMN}" if errors else f"{self.ok_sql} AS {OK_COLUMN}"
        )

        def layer(items: list[str]) -> str:
            return "SELECT\n  " + ",\n  ".join(items)

        return (
            f"WITH texts AS ({layer(texts)}\nFROM {relation}),\n"
            f"parsed AS ({layer(parsed)}\nFROM texts),\n"
            f"checked AS ({layer(checked)}\nFROM parsed)\n"
            f"{layer([*outer, last])}\nFROM checked"
        )

    def describe(self) -> list[tuple[str, str]]:
        """(canonical field, where its values come from), for reports and ``--dry-run``."""
        return list(self.field_sources.items())


def _source_column_for(
    spec: FieldSpec,
    kind: ImportKind,
    mapping: Mapping,
    id_column: str | None,
    by_normal_name: dict[str, str],
) -> str | None:
    explicit = mapping.spec_for(spec.name)
    if explicit is not None:
        return explicit.column
    if spec.name == kind.source_key and (id_column or mapping.id_column):
        return id_column or mapping.id_column
    return by_normal_name.get(spec.name)


def build_plan(
    kind: ImportKind,
    schema: pa.Schema,
    *,
    source: str,
    mapping: Mapping | None = None,
    id_column: str | None = None,
    timezone: str = "UTC",
    imported_at_sql: str = "now()",
    mapping_name: str = "mapping",
    file_name: str = "file",
    trim_in_arrow: bool = False,
) -> ImportPlan:
    """Plan the SQL that turns a batch with ``schema`` into rows of ``kind.table``.

    With ``trim_in_arrow`` the SQL reads a trimmed copy of each text column that feeds a field
    (:attr:`ImportPlan.trimmed_copies`; add them to each batch with
    :func:`~cxloop.collect.text_trimming.add_trimmed_columns`) instead of trimming every value
    itself, which is faster and gives the same rows.
    """
    mapping = mapping or Mapping()
    columns = [n for n in schema.names if n != LINE_COLUMN]
    types = {n: schema.field(n).type for n in columns}
    by_normal_name: dict[str, str] = {}
    for name in columns:
        by_normal_name.setdefault(normalise_header(name), name)

    for fld, col_spec in mapping.columns.items():
        if fld not in kind.field_names:
            raise DataError(
                f"{mapping_name}: columns.{fld}: {kind.name} have no field {fld!r} "
                f"(fields: {', '.join(kind.field_names)})"
            )
        if col_spec.column is not None and col_spec.column not in types:
            raise DataError(
                f"{mapping_name}: columns.{fld}: column {col_spec.column!r} is not in {file_name} "
                f"(its columns: {', '.join(columns)})"
            )
    chosen_id = id_column or mapping.id_column
    if chosen_id is not None and chosen_id not in types:
        raise DataError(
            f"id column {chosen_id!r} is not in {file_name} (its columns: {', '.join(columns)})"
        )

    renames = _RENAMES.get(kind.name, {})
    defaults = mapping.defaults
    # four layers: source text → parsed values → checked values → output rows with errors
    texts: list[str] = [sql_identifier(LINE_COLUMN)]
    parsed: list[str] = [sql_identifier(LINE_COLUMN)]
    checked: list[str] = [sql_identifier(LINE_COLUMN)]
    outer: list[str] = [sql_identifier(LINE_COLUMN)]
    error_items: list[str] = []
    field_sources: dict[str, str] = {}
    output: list[str] = []
    used: set[str] = set()
    derived_ids = False
    trimmed_copies: dict[str, str] = {}

    error_conditions: list[str] = []

    def add_error(field_name: str, label: str, message_sql: str) -> None:
        error_conditions.append(f"({message_sql}) IS NOT NULL")
        error_items.append(
            "{'field': "
            + sql_string(field_name)
            + ", 'column': "
            + sql_string(label)
            + ", 'message': "
            + message_sql
            + "}"
        )

    def carry(name: str, sql: str) -> None:
        q = sql_identifier(name)
        texts.append(f"{sql} AS {q}")
        parsed.append(q)
        checked.append(q)

    for i, spec in enumerate(kind.fields):
        out = renames.get(spec.name, spec.name)
        explicit = mapping.spec_for(spec.name)
        src = _source_column_for(spec, kind, mapping, id_column, by_normal_name)
        opts = (explicit or Coercion()).merged(defaults)
        tz = _tz(explicit, defaults, timezone)
        if explicit is not None and explicit.value is not None:
            field_sources[spec.name] = f"={explicit.value}"
            label = spec.name
            c = coerce(_constant(explicit.value), "string", spec, opts, tz)
        elif src is not None:
            used.add(src)
            field_sources[spec.name] = src
            label = src
            category = arrow_category(types[src])
            if trim_in_arrow and category == "string":
                copy = trimmed_copies.setdefault(src, f"__trimmed{len(trimmed_copies)}")
                c = coerce(sql_identifier(copy), category, spec, opts, tz, text_is_trimmed=True)
            else:
                c = coerce(sql_identifier(src), category, spec, opts, tz)
        elif spec.name == kind.source_key:
            derived_ids = True
            field_sources[spec.name] = "(hash of the row)"
            label = spec.name
            c = coerce(_content_hash(columns), "string", spec, opts, tz)
        else:
            continue
        t, v, e = f"__t{i}", f"__v{i}", f"__e{i}"
        p_sql, value_sql, error_sql = c.bind(sql_identifier(t), sql_identifier(v))
        texts.append(f"{c.text} AS {sql_identifier(t)}")
        parsed.append(f"{sql_identifier(t)}, {p_sql} AS {sql_identifier(v)}")
        checked.append(f"{value_sql} AS {sql_identifier(out)}")
        rule = constraint_error(sql_identifier(out), spec)
        if error_sql is not None:
            checked.append(f"{error_sql} AS {sql_identifier(e)}")
            add_error(spec.name, label, sql_identifier(e))
            if rule is not None:
                add_error(
                    spec.name, label, f"CASE WHEN {sql_identifier(e)} IS NULL THEN {rule} END"
                )
        elif rule is not None:
            add_error(spec.name, label, rule)
        output.append(out)

    if kind.required_any and not any(f in field_sources for f in kind.required_any):
        raise DataError(
            f"{file_name}: {kind.name} need a column for one of: {', '.join(kind.required_any)}"
        )

    excluded = set(mapping.exclude)
    leftovers = [c for c in columns if c not in used and c not in excluded]
    extra: list[str] = []
    ignored: list[str] = []
    free_properties = kind.name == "events" and "properties" not in field_sources
    if kind.keeps_extra_columns or (free_properties and leftovers):
        extra = leftovers
    else:
        ignored = leftovers
    if extra:
        target = "attributes" if kind.keeps_extra_columns else "properties"
        carry(target, _json_object(extra))
        output.append(target)

    key_out = renames.get(kind.source_key, kind.source_key)
    prefix = sql_string(source + ":")
    for name in output:
        if kind.source_scoped and name == kind.key_column:
            outer.append(f"{prefix} || {sql_identifier(name)} AS {sql_identifier(name)}")
        else:
            outer.append(sql_identifier(name))
    if kind.source_scoped:
        outer.append(f"{sql_string(source)} AS source")
        output.append("source")
        if kind.key_column != key_out:
            outer.append(
                f"{prefix} || {sql_identifier(key_out)} AS {sql_identifier(kind.key_column)}"
            )
            output.append(kind.key_column)
    outer.append(f"{imported_at_sql} AS imported_at")
    output.append("imported_at")

    no_errors = '[]::STRUCT(field VARCHAR, "column" VARCHAR, message VARCHAR)[]'
    # the list is built only for bad rows: building it for every row is the slow part
    error_list = (
        f"CASE WHEN {' OR '.join(error_conditions)} THEN "
        f"list_filter([{', '.join(error_items)}], e -> e.message IS NOT NULL) "
        f"ELSE {no_errors} END"
        if error_items
        else no_errors
    )
    ok = f"NOT ({' OR '.join(error_conditions)})" if error_conditions else "TRUE"
    plan = ImportPlan(
        kind,
        source,
        "",
        field_sources,
        extra,
        ignored,
        derived_ids,
        output,
        trimmed_copies,
        layers=(texts, parsed, checked, outer),
        errors_sql=error_list,
        ok_sql=ok,
    )
    plan.sql = plan.query("batch")
    return plan


def _tz(explicit: Coercion | None, defaults: Coercion, fallback: str) -> str:
    return (explicit.timezone if explicit else None) or defaults.timezone or fallback


def _constant(value: object) -> str:
    return sql_string(str(value).lower() if isinstance(value, bool) else str(value))


def _content_hash(columns: list[str]) -> str:
    parts = ", ".join(f"coalesce(CAST({sql_identifier(c)} AS VARCHAR), chr(0))" for c in columns)
    return f"'h' || left(md5(concat_ws(chr(31), {parts})), 24)"


def _json_object(columns: list[str]) -> str:
    if not columns:
        return "NULL::VARCHAR"
    args = ", ".join(f"{sql_string(c)}, {sql_identifier(c)}" for c in columns)
    return f"CAST(json_object({args}) AS VARCHAR)"
