"""Where a Spark warehouse lives and the Spark session that runs it.

One SparkContext per process (Spark allows no more); each open warehouse gets a session of
its own on it (``SparkSession.newSession``), so its table views and settings are its own.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cxloop.errors import ConfigError, WarehouseError

#: what a Spark warehouse gets unless the settings say otherwise
DEFAULT_MASTER = "local[2]"
DEFAULT_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    # AQE coalesces these after a shuffle; 200 (Spark's default) is slow on small tables
    "spark.sql.shuffle.partitions": "16",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}
_started = threading.Lock()


def folder_from_url(url: str) -> Path:
    """``spark:///abs/folder`` → ``/abs/folder``; ``spark://rel/folder`` → ``rel/folder``."""
    rest = url[len("spark:") :]
    rest = rest[2:] if rest.startswith("//") else rest
    if not rest.strip("/"):
        raise ConfigError(
            f"warehouse URL {url!r}: a Spark warehouse needs a folder (spark:///PATH)"
        )
    return Path("/" + rest.lstrip("/") if rest.startswith("/") else rest)


def spark_session(folder: Path, options: Mapping[str, str] | None = None) -> Any:
    """A new session for the warehouse in ``folder`` on this process's SparkContext,
    started on first use with ``options`` (``spark.master`` and any other Spark setting).

    Spark settings fixed at start (the master, jars, memory) apply only to the first
    warehouse a process opens; later ones share its context.
    """
    if shutil.which("java") is None:
        raise WarehouseError(
            "a Spark warehouse needs Java 17 or later on PATH (Debian: openjdk-17-jre-headless)"
        )
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise WarehouseError(
            "a Spark warehouse needs pyspark: pip install 'cxloop[spark]'"
        ) from exc
    conf = dict(DEFAULT_CONF)
    conf["spark.sql.warehouse.dir"] = str(folder.resolve() / "spark-warehouse")
    jar = _similarity_jar()
    if jar:
        conf["spark.jars"] = jar
    conf.update(options or {})
    master = conf.pop("spark.master", DEFAULT_MASTER)
    with _started:
        builder = SparkSession.builder.master(master).appName("cxloop")
        for key, value in conf.items():
            builder = builder.config(key, value)
        try:
            root = builder.getOrCreate()
        except Exception as exc:  # the JVM's errors come as many kinds
            raise WarehouseError(f"cannot start Spark on {master!r}: {exc}") from exc
        root.sparkContext.setLogLevel("ERROR")
    session = root.newSession()  # starts from the context's settings: DEFAULT_CONF and more
    for key, value in (options or {}).items():
        if not _fixed_at_start(key):
            try:
                session.conf.set(key, value)
            except Exception:  # a static setting: it took effect at start, or cannot now
                continue
    return session


def _fixed_at_start(key: str) -> bool:
    """Settings a running SparkContext cannot change (``session.conf.set`` refuses them)."""
    return key.startswith(("spark.driver.", "spark.executor.", "spark.ui.")) or key in {
        "spark.jars",
        "spark.sql.warehouse.dir",
        "spark.master",
        "spark.app.name",
    }


def _similarity_jar() -> str | None:
    """Splink's string-similarity functions for Spark (shipped inside splink)."""
    try:
        from splink.backends.spark import similarity_jar_location
    except ImportError:
        return None
    return str(similarity_jar_location())
