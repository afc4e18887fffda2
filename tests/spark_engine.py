"""A Spark warehouse for tests: a fresh folder on this process's one local Spark context.

The first use starts the context (several seconds on an idle machine, far more under load)
and migrates a template warehouse; every later warehouse in the process is a copy of the
template (plain files: a catalog and Parquet parts), opened on a session of its own. Without
Java or pyspark the calling test FAILS, saying which is missing: a Spark test is never
silently skipped.

Every Spark test carries :data:`SPARK_MARKS`, so ``--dist loadgroup`` runs them all on one
worker and only one JVM starts.
"""

from __future__ import annotations

import atexit
import importlib.util
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cxloop.storage import open_warehouse

#: what tests run Spark with (two cores, like the machines CI runs on)
TEST_OPTIONS = {
    "spark.master": "local[2]",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    # tiny tables: compiling whole-stage code costs more than it saves
    "spark.sql.codegen.wholeStage": "false",
}
#: the marks of every Spark test: the ``spark`` marker and the one xdist group
SPARK_MARKS = [pytest.mark.spark, pytest.mark.xdist_group("spark")]
_template: list[Path] = []


def require_spark() -> None:
    """Fail the calling test when this machine cannot run a local Spark."""
    if shutil.which("java") is None:
        pytest.fail("Spark tests need Java 17+ on PATH (make install adds openjdk-17-jre-headless)")
    if importlib.util.find_spec("pyspark") is None:
        pytest.fail("Spark tests need pyspark (make install adds it: pip install -e '.[dev]')")


def _migrated_template() -> Path:
    """An empty, migrated Spark warehouse folder, made once per process."""
    if not _template:
        root = Path(tempfile.mkdtemp(prefix="cxloop-spark-"))
        atexit.register(shutil.rmtree, root, True)
        folder = root / "template"
        with open_warehouse(f"spark://{folder}", options=TEST_OPTIONS):
            pass
        _template.append(folder)
    return _template[0]


def copy_spark_warehouse(source: Path, destination: Path) -> str:
    """Copy the Spark warehouse folder ``source`` to ``destination``; return its URL."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".cxloop_write.lock"))
    return f"spark://{destination.resolve()}"


@contextmanager
def spark_warehouse(tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty, migrated Spark warehouse folder under ``tmp_path``.

    Open it with ``open_warehouse(url)``; the folder is left to ``tmp_path``'s clean-up.
    """
    require_spark()
    yield copy_spark_warehouse(_migrated_template(), tmp_path / "spark-warehouse")
