"""Settings: defaults, cxloop.toml, environment, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxloop.config import Settings
from cxloop.errors import ConfigError


def test_warehouse_defaults_to_the_project_duckdb_file(tmp_path: Path) -> None:
    s = Settings.load(project=tmp_path)
    assert s.warehouse_url == f"duckdb://{(tmp_path / 'cxloop.duckdb').resolve()}"


def test_toml_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cxloop.toml").write_text(
        '[cxloop]\ncompany_name = "Acme"\ntimezone = "Europe/Madrid"\n', encoding="utf-8"
    )
    assert Settings.load(project=tmp_path).company_name == "Acme"
    monkeypatch.setenv("CXLOOP_COMPANY_NAME", "Acme from env")
    monkeypatch.setenv("CXLOOP_WAREHOUSE", "duckdb:///:memory:")
    s = Settings.load(project=tmp_path)
    assert s.company_name == "Acme from env"
    assert s.timezone == "Europe/Madrid"
    assert s.warehouse_url == "duckdb:///:memory:"


def test_project_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cxloop.toml").write_text('[cxloop]\ncompany_name = "Env co"\n', encoding="utf-8")
    monkeypatch.setenv("CXLOOP_PROJECT", str(tmp_path))
    s = Settings.load()
    assert s.project == tmp_path and s.company_name == "Env co"


def test_bad_toml_and_bad_values_are_clear(tmp_path: Path) -> None:
    (tmp_path / "cxloop.toml").write_text("[cxloop\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cxloop.toml: cannot read settings"):
        Settings.load(project=tmp_path)
    (tmp_path / "cxloop.toml").write_text("[cxloop]\nimport_batch_rows = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="import_batch_rows"):
        Settings.load(project=tmp_path)


def test_warehouse_memory_settings_reach_the_warehouse(tmp_path: Path) -> None:
    from cxloop.project import open_project_warehouse

    (tmp_path / "cxloop.toml").write_text(
        '[cxloop]\nwarehouse_memory_limit = "256MB"\nwarehouse_temp_directory = "spill"\n',
        encoding="utf-8",
    )
    settings = Settings.load(project=tmp_path)
    with open_project_warehouse(settings) as wh:
        row = wh.backend.raw.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    assert row is not None and row[0] == "244.1 MiB"
    assert row[1] == str((tmp_path / "spill").resolve())
    (tmp_path / "cxloop.toml").write_text(
        '[cxloop]\nwarehouse_memory_limit = "lots"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="warehouse_memory_limit"):
        Settings.load(project=tmp_path)


def test_the_spark_grace_period_reaches_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cxloop.project

    assert Settings.load(project=tmp_path).spark_retired_kept_s is None  # the catalog's 600 s
    monkeypatch.setenv("CXLOOP_SPARK_RETIRED_KEPT_S", "1800")
    settings = Settings.load(project=tmp_path)
    assert settings.spark_retired_kept_s == 1800.0
    opened: dict = {}
    monkeypatch.setattr(cxloop.project, "open_warehouse", lambda url, **kw: opened.update(kw))
    cxloop.project.open_project_warehouse(settings)
    assert opened["retired_kept_s"] == 1800.0
    monkeypatch.setenv("CXLOOP_SPARK_RETIRED_KEPT_S", "0")
    with pytest.raises(ConfigError, match="spark_retired_kept_s"):
        Settings.load(project=tmp_path)
