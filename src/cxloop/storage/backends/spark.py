"""Spark: a warehouse folder of Parquet files, run by a local or cluster Spark session.

``spark:///path/to/folder`` names the folder; the ``spark_master`` and ``spark_conf``
settings say where Spark runs. Tables are Parquet *parts* listed in a catalog file
(:mod:`cxloop.storage.backends.spark_catalog`); each open warehouse shows every table to
Spark (and to Ibis) as a temporary view over its parts.

What a transaction means here: writes are staged in new parts and the catalog changes only
in memory until commit, which replaces the catalog file atomically. So a failed import or
resolve leaves every table as it was, a retried batch adds nothing (keys are checked against
the table by an anti-join), and a reader in another process takes the latest committed
catalog before each query, so it sees every table as one commit left it. Deletes and
updates rewrite the table's surviving rows into a new part (a full rewrite of that table:
costly on a large table, cheap on a small one). What does not hold:
the catalog file must sit on a file system where ``rename`` is atomic and every Spark worker
reads the same paths (a local disk for ``local[N]``, a shared mount such as NFS for a
cluster; object stores like S3 are not supported); one process writes at a time (a lock
file, as with a DuckDB file). Parts a commit stops naming stay on disk for a grace period
(:data:`~cxloop.storage.backends.spark_catalog.RETIRED_KEPT_S`) for readers mid-query; a
query that outlasts it and finds a part gone is run once more on the latest catalog.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cxloop.errors import WarehouseError
from cxloop.storage.backends import parquet_rows as rows
from cxloop.storage.backends import spark_ibis
from cxloop.storage.backends.base import Backend
from cxloop.storage.backends.spark_catalog import Catalog, TableEntry
from cxloop.storage.backends.spark_session import folder_from_url, spark_session

#: a table of more parts than this is rewritten into one part when it next grows
MAX_PARTS = 32
#: value lists up to this length are matched with IN; longer ones are joined as a table
INLINE_VALUES = 1_000


class SparkBackend(Backend):
    """A Spark warehouse folder, opened on this process's Spark context."""

    def __init__(self, url: str, catalog: Catalog, session: Any) -> None:
        from pyspark.sql import functions

        self.url = url
        self.catalog = catalog
        self.session = session
        self._functions = functions
        self._in_transaction = False
        #: tables whose view must be (re)pointed at their parts before the next query
        self._stale: set[str] = set(catalog.tables)
        self._shown: set[str] = set()
        self.ibis = spark_ibis.connect(
            session, self._schema_of, self._show_stale, self._reload_after_missing_file
        )

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        read_only: bool = False,
        options: Mapping[str, str] | None = None,
        retired_kept_s: float | None = None,
    ) -> SparkBackend:
        folder = folder_from_url(url)
        if not folder.parent.is_dir():
            raise WarehouseError(f"warehouse {url!r}: folder {folder.parent} does not exist")
        catalog = Catalog(folder, read_only=read_only, retired_kept_s=retired_kept_s)
        try:
            session = spark_session(folder, options)
        except BaseException:
            catalog.close()
            raise
        return cls(url, catalog, session)

    # -- tables as Spark sees them -------------------------------------------------------------
    def _spark_schema(self, entry: TableEntry) -> Any:
        from ibis.backends.pyspark.datatypes import PySparkSchema

        return PySparkSchema.from_ibis(entry.ibis_schema())

    def _frame(self, table: str) -> Any:
        """The rows of ``table`` as the working catalog has them (a lazy DataFrame)."""
        entry = self._entry(table)
        schema = self._spark_schema(entry)
        if not entry.parts:  # an SQL literal: far cheaper than createDataFrame([], schema)
            columns = ", ".join(
                f"CAST(NULL AS {field.dataType.simpleString()}) AS {_quote(field.name)}"
                for field in schema.fields
            )
            return self.session.sql(f"SELECT {columns} WHERE false")
        paths = [self.catalog.path(rel) for rel in entry.parts]
        return self.session.read.schema(schema).parquet(*paths)

    def _refresh(self) -> None:
        """A reader (read-only) takes the catalog a writer has committed since its last
        query: each query reads one committed generation of every table."""
        if self.catalog.read_only:
            self._stale |= self.catalog.refresh()

    def _reload_after_missing_file(self) -> None:
        """A query found a part gone (it outlasted the grace period of retired parts):
        point every view at the parts the catalog names now."""
        self._refresh()
        self._stale |= set(self.catalog.tables) | self._shown

    def _show_stale(self) -> None:
        """(Re)point the views of changed tables at their current parts: run before every
        Ibis query, so that writes cost no Spark call until something reads. A reader takes
        the latest committed catalog first."""
        self._refresh()
        for table in sorted(self._stale):
            if table in self.catalog.tables:
                self._frame(table).createOrReplaceTempView(table)
                self._shown.add(table)
            elif table in self._shown:
                self.session.catalog.dropTempView(table)
                self._shown.discard(table)
        self._stale.clear()

    def _schema_of(self, table: str) -> ibis.Schema | None:
        entry = self.catalog.tables.get(table)
        return entry.ibis_schema() if entry is not None else None

    def _entry(self, table: str) -> TableEntry:
        entry = self.catalog.tables.get(table)
        if entry is None:
            raise WarehouseError(f"Spark warehouse {self.catalog.root}: no table {table!r}")
        return entry

    def _changed(self, table: str) -> None:
        self._stale.add(table)
        if not self._in_transaction:
            self.catalog.commit()

    def _writable(self) -> None:
        if self.catalog.read_only:
            raise WarehouseError(f"Spark warehouse {self.catalog.root} is open read-only")

    # -- schema --------------------------------------------------------------------------------
    def list_tables(self) -> list[str]:
        return list(self.catalog.tables)

    def create_table(self, name: str, schema: ibis.Schema) -> None:
        self._writable()
        if name in self.catalog.tables:
            raise WarehouseError(f"Spark warehouse: table {name!r} already exists")
        self.catalog.tables[name] = TableEntry({c: str(t) for c, t in schema.items()})
        self._changed(name)

    def add_column(self, table: str, column: str, type: dt.DataType) -> None:
        """Only the catalog changes: older parts lack the column and read it as null."""
        self._writable()
        entry = self._entry(table)
        if column in entry.schema:
            raise WarehouseError(f"Spark warehouse: {table!r} already has column {column!r}")
        entry.schema[column] = str(type)
        self._changed(table)

    # -- transactions --------------------------------------------------------------------------
    def begin(self) -> None:
        self._writable()
        self._in_transaction = True

    def commit(self) -> None:
        self._in_transaction = False
        self.catalog.commit()

    def rollback(self) -> None:
        self._in_transaction = False
        self.catalog.rollback()
        self._stale |= set(self.catalog.tables) | self._shown

    # -- writing -------------------------------------------------------------------------------
    def _conform(self, table: str, data: pa.Table) -> pa.Table:
        """``data`` with every column of ``table``, in order and of the table's types."""
        target = self._entry(table).ibis_schema().to_pyarrow()
        columns = []
        for field in target:
            if field.name in data.column_names:
                column = data.column(field.name)
                columns.append(column if column.type == field.type else column.cast(field.type))
            else:
                columns.append(pa.nulls(data.num_rows, field.type))
        return pa.Table.from_arrays(columns, schema=target)

    def _small(self, table: str) -> bool:
        """Whether ``table`` is changed on Arrow in the driver (see :mod:`.parquet_rows`)."""
        return self.count(table) <= rows.SMALL_TABLE_ROWS

    def _arrow(self, table: str, columns: list[str] | None = None) -> pa.Table:
        """The table's rows read by PyArrow (only ``columns``, when given)."""
        entry = self._entry(table)
        schema = entry.ibis_schema().to_pyarrow()
        if columns is not None:
            schema = pa.schema([schema.field(name) for name in columns])
        return rows.read_parts([self.catalog.path(rel) for rel in entry.parts], schema)

    def _write_arrow_part(self, table: str, data: pa.Table) -> str | None:
        """Write ``data`` (conformed) as a new part of ``table`` (not yet listed), no Spark."""
        if data.num_rows == 0:
            return None
        rel = self.catalog.new_part(table)
        folder = Path(self.catalog.path(rel))
        folder.mkdir(parents=True)
        pq.write_table(data, folder / "part-00000.parquet")
        return rel

    def _write_frame_part(self, table: str, frame: Any) -> str | None:
        """Write ``frame`` as a new part of ``table`` (not yet listed); none if it is empty."""
        rel = self.catalog.new_part(table)
        path = self.catalog.path(rel)
        frame.write.mode("errorifexists").parquet(path)
        if _rows_in(Path(path)) == 0:
            shutil.rmtree(path, ignore_errors=True)
            return None
        return rel

    def _add_part(self, table: str, rel: str | None) -> None:
        if rel is not None:
            self._entry(table).parts.append(rel)
            if len(self._entry(table).parts) > MAX_PARTS:  # compact
                self._entry(table).parts = _listed(self._rewrite_part(table, None))
        self._changed(table)

    def _rewrite_part(self, table: str, new: pa.Table | Any | None) -> str | None:
        """The part that holds ``new`` (Arrow or a Spark DataFrame; None: the current rows),
        which is to become the whole table."""
        if new is None:
            if self._small(table):
                return self._write_arrow_part(table, self._arrow(table))
            return self._write_frame_part(table, self._frame(table).coalesce(1))
        if isinstance(new, pa.Table):
            return self._write_arrow_part(table, new)
        return self._write_frame_part(table, new)

    def _replace_all(self, table: str, new: pa.Table | Any) -> None:
        self._entry(table).parts = _listed(self._rewrite_part(table, new))
        self._changed(table)

    def _staged(self, data: pa.Table) -> tuple[Any, Path]:
        """``data`` as a Spark DataFrame read from a staging folder (removed by the caller)."""
        folder = self.catalog.staging_path()
        pq.write_table(data, folder / "batch.parquet")
        return self.session.read.parquet(str(folder)), folder

    def append_new(self, table: str, data: pa.Table, key: str) -> int:
        self._writable()
        if data.num_rows == 0:
            return 0
        batch = _first_of_each_key(self._conform(table, data), key)
        if not self._entry(table).parts:
            new = batch
        elif self._small(table):
            new = rows.new_keys(self._arrow(table, [key]), batch, key)
        else:
            staged, folder = self._staged(batch)
            try:
                frame = staged.join(self._frame(table).select(key), on=key, how="left_anti")
                rel = self._write_frame_part(table, frame.select(*batch.column_names))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            inserted = _rows_in(Path(self.catalog.path(rel))) if rel else 0
            self._add_part(table, rel)
            return inserted
        self._add_part(table, self._write_arrow_part(table, new))
        return new.num_rows

    def insert(self, table: str, data: pa.Table) -> int:
        self._writable()
        self._add_part(table, self._write_arrow_part(table, self._conform(table, data)))
        return data.num_rows

    def replace_rows(self, table: str, data: pa.Table, key: str) -> int:
        """One rewrite of the table: its rows whose key is not in ``data``, then ``data``."""
        self._writable()
        if data.num_rows == 0:
            return 0
        batch = _first_of_each_key(self._conform(table, data), key)
        if not self._entry(table).parts:
            return self.append_new(table, batch, key)
        if self._small(table):
            self._replace_all(table, rows.replaced(self._arrow(table), batch, key))
            return batch.num_rows
        staged, folder = self._staged(batch)
        try:
            kept = self._frame(table).join(staged.select(key), on=key, how="left_anti")
            self._replace_all(table, kept.unionByName(staged))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return batch.num_rows

    def _matching(self, frame: Any, column: str, values: list[Any]) -> tuple[Any, Any]:
        """(rows of ``frame`` whose ``column`` is in ``values``, the rest): the rest keeps
        rows whose ``column`` is null, as SQL's ``NOT IN`` would not."""
        f = self._functions
        if len(values) <= INLINE_VALUES:
            hit = f.col(column).isin(values)
            return frame.where(hit), frame.where(~hit | f.col(column).isNull())
        wanted = self.session.createDataFrame(pa.table({column: values}).to_pandas()).distinct()
        return (
            frame.join(wanted, on=column, how="left_semi"),
            frame.join(wanted, on=column, how="left_anti"),
        )

    def delete_where_in(self, table: str, column: str, values: list[str]) -> int:
        self._writable()
        if not values or not self._entry(table).parts:
            return 0
        if self._small(table):
            kept, deleted = rows.without_values(self._arrow(table), column, list(values))
        else:
            hit, kept = self._matching(self._frame(table), column, values)
            deleted = int(hit.count())
        if deleted:
            self._replace_all(table, kept)
        return deleted

    def delete_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        self._writable()
        if not self._entry(table).parts:
            return 0
        if self._small(table):
            current = self._arrow(table)
            old = rows.older_than(current, column, cutoff)
            deleted = int(pc.sum(old).as_py() or 0)
            kept: pa.Table | Any = current.filter(pc.invert(old))
        else:
            f = self._functions
            frame = self._frame(table)
            before = f.col(column) < f.lit(cutoff)
            deleted = int(frame.where(before).count())
            kept = frame.where(~before | f.col(column).isNull())
        if deleted:
            self._replace_all(table, kept)
        return deleted

    def count_older_than(self, table: str, column: str, cutoff: datetime) -> int:
        self._refresh()
        if self._small(table):
            current = self._arrow(table, [column])
            return int(pc.sum(rows.older_than(current, column, cutoff)).as_py() or 0)
        f = self._functions
        return int(self._frame(table).where(f.col(column) < f.lit(cutoff)).count())

    def update_where_in(
        self, table: str, column: str, values: list[str], changes: dict[str, object]
    ) -> int:
        self._writable()
        if not values or not changes or not self._entry(table).parts:
            return 0
        if self._small(table):
            new, updated = rows.with_changes(self._arrow(table), column, list(values), changes)
            if updated:
                self._replace_all(table, new)
            return updated
        from ibis.backends.pyspark.datatypes import PySparkType

        f = self._functions
        types = self._entry(table).ibis_schema()
        frame = self._frame(table)
        hit, rest = self._matching(frame, column, values)
        updated = int(hit.count())
        if updated:
            changed = hit.select(
                *[
                    f.lit(changes[name]).cast(PySparkType.from_ibis(types[name])).alias(name)
                    if name in changes
                    else f.col(name)
                    for name in frame.columns
                ]
            )
            self._replace_all(table, rest.unionByName(changed))
        return updated

    # -- reading -------------------------------------------------------------------------------
    def repeated_keys(self, table: str, key: str, prefix: str) -> int:
        """Rows beyond the first of each key, plus rows with none."""
        self._refresh()
        f = self._functions
        frame = self._frame(table)
        if prefix:
            frame = frame.where(f.col(key).startswith(prefix))
        row = frame.agg(f.count(f.lit(1)).alias("n"), f.countDistinct(key).alias("d")).first()
        return int(row["n"]) - int(row["d"])

    def holds_key_prefix(self, table: str, key: str, prefix: str) -> bool:
        self._refresh()
        if not prefix:
            return self.count(table) > 0
        if self._small(table):
            keys = self._arrow(table, [key]).column(key)
            return bool(pc.any(pc.starts_with(keys, prefix)).as_py())
        f = self._functions
        frame = self._frame(table).where(f.col(key).startswith(prefix))
        return len(frame.select(key).limit(1).collect()) > 0

    def count(self, table: str) -> int:
        """From the Parquet footers: no Spark job."""
        self._refresh()
        return sum(_rows_in(Path(self.catalog.path(rel))) for rel in self._entry(table).parts)

    def splink_api(self) -> Any:
        """Splink's Spark backend on this warehouse's Spark context (intermediate tables kept
        in Spark's memory and spilled to local disk, not written into the warehouse folder)."""
        from splink.backends.spark import SparkAPI

        # a session of its own: Splink names its input tables as ours (source_records)
        return SparkAPI(spark_session=self.session.newSession(), break_lineage_method="persist")

    def close(self) -> None:
        if self._in_transaction:
            self.rollback()
        for name in self._shown:
            self.session.catalog.dropTempView(name)
        self.catalog.close()


def _listed(rel: str | None) -> list[str]:
    return [rel] if rel else []


def _rows_in(folder: Path) -> int:
    """Rows of the Parquet files in a part folder, read from their footers."""
    return sum(pq.read_metadata(file).num_rows for file in folder.glob("*.parquet"))


def _first_of_each_key(rows: pa.Table, key: str) -> pa.Table:
    """``rows`` less every row whose key an earlier row already has."""
    if pc.count_distinct(rows.column(key), mode="all").as_py() == rows.num_rows:
        return rows
    numbered = rows.append_column("__row", pa.array(range(rows.num_rows), pa.int64()))
    first = numbered.group_by(key, use_threads=False).aggregate([("__row", "min")])
    return rows.take(pc.sort_indices(first.column("__row_min")))


def _quote(identifier: str) -> str:
    """Quote an identifier for Spark SQL."""
    return "`" + identifier.replace("`", "``") + "`"
