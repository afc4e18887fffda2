"""What identity resolution can be told: the match threshold, the sources to trust, the
attributes that hold personal identifiers. Built from the project's settings at the edge."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SETTINGS_PREFIX = "resolve_"


class ResolveOptions(BaseModel):
    """Options of :func:`cxloop.unify.resolve`.

    Each field is read from the setting of the same name prefixed with ``resolve_``
    (``resolve_match_threshold`` …) by :meth:`from_settings`.

    Examples
    --------
    >>> ResolveOptions(match_threshold=0.95, trusted_sources=["crm"]).match_threshold
    0.95
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    match_threshold: float = Field(
        default=0.9,
        gt=0,
        lt=1,
        description="Match probability at or above which two records are the same person.",
    )
    trusted_sources: list[str] = Field(
        default_factory=list,
        description="Sources whose values win in golden records, most trusted first; other "
        "sources follow, and within a rank the most recent non-empty value wins.",
    )
    id_attributes: list[str] = Field(
        default_factory=list,
        description="Attribute keys holding a personal identifier (national id, loyalty card) "
        "to compare between records.",
    )
    max_key_records: int = Field(
        default=20,
        ge=2,
        description="An e-mail or phone shared by more records than this is not used as a "
        "deterministic key (a shared mailbox or switchboard, a placeholder).",
    )
    email_provider_rules: bool = Field(
        default=False,
        description="Treat Gmail addresses with and without dots, and name+tag@ addresses at "
        "providers with plus addressing, as one mailbox (right where people type their own "
        "address; wrong where a system invented addresses).",
    )
    default_country: str | None = Field(
        default=None,
        description="Country (ISO alpha-2) for national phone numbers of records that name "
        "neither a country nor a language with a region.",
    )
    train: bool = Field(
        default=True,
        description="Estimate the model's m and u probabilities from the data (EM and random "
        "sampling); when false, or when there are too few records, built-in values are used.",
    )
    max_u_pairs: int = Field(
        default=2_000_000, gt=0, description="Random record pairs sampled to estimate u."
    )
    max_training_records: int = Field(
        default=250_000,
        ge=1_000,
        description="Above this many records, the model is trained on a random sample of "
        "this many (m, u and the match rate are proportions; the sample keeps them).",
    )
    seed: int = Field(default=1, description="Seed of the random sampling (reproducible runs).")
    splink_memory_mb: int | None = Field(
        default=None,
        ge=256,
        description="Memory limit (MB) of the private DuckDB that Splink scores pairs on; "
        "beyond it DuckDB spills to a temporary folder. Default: a quarter of the machine's "
        "memory, at least 1 GB (DuckDB's own default is 80 %).",
    )

    @classmethod
    def from_settings(cls, settings: Any) -> ResolveOptions:
        """The options a :class:`~cxloop.config.Settings` object sets (``resolve_*`` fields);
        those it does not have keep their defaults."""
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            value = getattr(settings, SETTINGS_PREFIX + name, None)
            if value is not None:
                values[name] = value
        return cls.model_validate(values)

    @classmethod
    def coerce(cls, value: Any) -> ResolveOptions:
        """Options from ``None`` (defaults), options, a mapping, or a settings object."""
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls.model_validate(value)
        return cls.from_settings(value)
