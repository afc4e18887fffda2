"""Splink's private DuckDB: a memory limit, a folder to spill to, closed after scoring."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cxloop.unify.options import ResolveOptions
from cxloop.unify.probabilistic import memory_limit_mb, private_duckdb


def test_the_limit_is_the_option_else_a_quarter_of_the_machine() -> None:
    assert memory_limit_mb(ResolveOptions(splink_memory_mb=2048)) == 2048
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    assert memory_limit_mb(ResolveOptions()) == max(1024, total // 4)


def test_a_limit_below_256_mb_is_refused() -> None:
    with pytest.raises(ValueError, match="splink_memory_mb"):
        ResolveOptions(splink_memory_mb=100)


def test_the_connection_is_limited_spills_to_a_temporary_folder_and_is_closed() -> None:
    with private_duckdb(ResolveOptions(splink_memory_mb=512)) as api:
        con = api._con
        limit, folder = con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
        assert limit == "488.2 MiB"  # 512 MB, shown in MiB
        assert Path(folder).name.startswith("cxloop-splink-") and Path(folder).is_dir()
    assert not Path(folder).exists()
    with pytest.raises(Exception, match="(?i)closed"):
        con.execute("SELECT 1")
