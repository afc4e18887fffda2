"""The one settings class, built once at the edge (CLI, app factory) and passed down.

Values come, highest first, from keyword arguments, ``CXLOOP_*`` environment variables and the
project's ``cxloop.toml``. Library functions never read the environment themselves.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from cxloop.domain.retention import check_policies
from cxloop.errors import ConfigError

PROJECT_FILE = "cxloop.toml"
DEFAULT_WAREHOUSE_FILE = "cxloop.duckdb"
SECRET_FILE = ".cxloop_secret"


class _TomlSource(PydanticBaseSettingsSource):
    """Reads ``[cxloop]`` (or the top level) of the project's ``cxloop.toml``."""

    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        super().__init__(settings_cls)
        self.path = path

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        if not self.path.is_file():
            return {}
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{self.path}: cannot read settings: {exc}") from exc
        section = data.get("cxloop", data)
        return {k: v for k, v in section.items() if k in self.settings_cls.model_fields}


#: event names that mark a bad experience at their touchpoint, unless journey_bad_events says
DEFAULT_JOURNEY_BAD_EVENTS = (
    "Page Error", "App Crash", "Payment Failed", "Delivery Late", "Long Wait",
    "Issue Unresolved", "Refund Delayed",
)  # fmt: skip


class Settings(BaseSettings):
    """Settings of one cxloop project.

    Examples
    --------
    >>> s = Settings.load(project="/tmp/acme")
    >>> s.warehouse_url.endswith("cxloop.duckdb")
    True
    """

    model_config = SettingsConfigDict(env_prefix="CXLOOP_", extra="ignore")

    project: Path = Field(default=Path("."), description="Project directory.")
    warehouse: str | None = Field(
        default=None,
        description="Warehouse URL (duckdb:///path, postgres://…, pyspark). "
        "Default: duckdb:///<project>/cxloop.duckdb.",
    )
    spark_master: str = Field(
        default="local[2]",
        description="Where a spark:/// warehouse runs: local[N] (N cores of this machine) or "
        "a cluster master URL (spark://host:7077, yarn, k8s://…).",
    )
    spark_conf: dict[str, str] = Field(
        default_factory=dict,
        description="Extra Spark settings for a spark:/// warehouse (spark.driver.memory, …).",
    )
    company_name: str = Field(default="My company", description="Shown on pages and digests.")
    default_language: str = Field(default="en", description="UI and analysis default: en, es, zh.")
    timezone: str = Field(default="UTC", description="Time zone for dates without one.")
    import_batch_rows: int = Field(
        default=1_000_000, gt=0, description="Rows per batch when importing files."
    )
    warehouse_memory_limit: str | None = Field(
        default=None,
        pattern=r"^\s*\d+(\.\d+)?\s*([KMGT]i?B|B)\s*$",
        description="Most memory the DuckDB warehouse's buffers may hold, e.g. '2GB'; "
        "beyond it they spill to warehouse_temp_directory. Default: DuckDB's (80% of RAM).",
    )
    warehouse_temp_directory: Path | None = Field(
        default=None,
        description="Where the DuckDB warehouse spills what does not fit in "
        "warehouse_memory_limit. Default: DuckDB's (<warehouse file>.tmp).",
    )
    secret_key: str | None = Field(
        default=None,
        description="Signs session cookies and CSRF tokens. Default: a random key kept in "
        "<project>/.cxloop_secret (created on first use).",
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Send cookies only over HTTPS. Default: when the request came over HTTPS.",
    )
    collector_max_body_bytes: int = Field(
        default=512_000, gt=0, description="Largest collector request body, after gunzip."
    )
    collector_rate_limit: float = Field(
        default=2_000.0, gt=0, description="Collector requests per second per write key."
    )
    collector_dedup_window_hours: float = Field(
        default=24.0,
        gt=0,
        description="How long the collector remembers an event id: a retry (same messageId "
        "from the same source) within this time is skipped; a later one is stored again.",
    )
    resolve_match_threshold: float = Field(
        default=0.9,
        gt=0,
        lt=1,
        description="Match probability at or above which two customer records are one person.",
    )
    resolve_trusted_sources: list[str] = Field(
        default_factory=list,
        description="Sources whose values win in golden records, most trusted first.",
    )
    resolve_id_attributes: list[str] = Field(
        default_factory=list,
        description="Customer attribute keys holding a personal identifier to compare.",
    )
    resolve_max_key_records: int = Field(
        default=20,
        ge=2,
        description="An e-mail or phone shared by more records than this is no deterministic key.",
    )
    resolve_email_provider_rules: bool = Field(
        default=False, description="Ignore Gmail dots and +tags when comparing e-mail addresses."
    )
    resolve_default_country: str | None = Field(
        default=None,
        description="ISO country for national phone numbers of records with no country.",
    )
    kpi_small_n: int = Field(
        default=30,
        ge=1,
        description="A KPI value computed from fewer observations than this is flagged small-n.",
    )

    survey_token_max_age_days: int = Field(
        default=30, gt=0, description="Days a signed survey link stays valid."
    )
    survey_min_group_n: int = Field(
        default=5,
        ge=3,
        description="Employee survey results of a group with fewer respondents than this are "
        "never shown or exported (confidentiality).",
    )
    survey_rate_limit: float = Field(
        default=2.0,
        gt=0,
        description="Survey form requests per second per client address (bursts of 20).",
    )
    survey_max_body_bytes: int = Field(
        default=64_000, gt=0, description="Largest survey form POST body."
    )
    request_max_body_bytes: int = Field(
        default=1_000_000,
        gt=0,
        description="Largest request body for the API and dashboard forms (the collector and "
        "survey forms have their own limits).",
    )
    survey_throttle_days: int = Field(
        default=30,
        ge=0,
        description="Nobody is surveyed more than once in this many days, across all surveys "
        "(0: no throttling).",
    )
    survey_consent: Literal["opt-out", "opt-in"] = Field(
        default="opt-out",
        description="Survey invitations by e-mail: opt-out invites everybody who has not "
        "refused; opt-in only those who granted consent.",
    )
    smtp_host: str | None = Field(default=None, description="SMTP server that sends e-mail.")
    smtp_port: int | None = Field(
        default=None,
        gt=0,
        lt=65536,
        description="SMTP port. Default: 587 with starttls, 465 with ssl, 25 with none.",
    )
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls",
        description="How the SMTP connection is encrypted: starttls, ssl (implicit TLS) or none.",
    )
    smtp_user: str | None = Field(default=None, description="SMTP user name, if it needs one.")
    smtp_password: SecretStr | None = Field(
        default=None, description="SMTP password (secret: never printed or logged)."
    )
    smtp_timeout_s: float = Field(
        default=30.0, gt=0, description="Seconds to wait for the SMTP server."
    )
    mail_from: str | None = Field(
        default=None, description="Sender of e-mail, e.g. 'Acme <cx@acme.example>'."
    )
    public_base_url: str | None = Field(
        default=None,
        description="The address people reach this server at, for links in e-mail "
        "(e.g. https://cx.acme.example).",
    )
    segments_as_of: date | None = Field(
        default=None,
        description="Day whose end segment rules, RFM, lifecycle and ladder are computed "
        "for. Default: just after the newest order, event or feedback in the warehouse.",
    )
    lifecycle_new_days: int = Field(
        default=30, ge=1, description="A customer whose first order is younger is new."
    )
    lifecycle_active_days: int = Field(
        default=90, ge=1, description="A customer whose last order is at most this old is active."
    )
    lifecycle_lapsed_days: int = Field(
        default=180,
        ge=1,
        description="A last order older than this is lapsed (younger, beyond the active "
        "window: at risk); an order after a gap this long reactivates.",
    )
    ladder_window_days: int = Field(
        default=365, ge=1, description="Days of scores, orders and referrals the ladder reads."
    )
    ladder_repeat_orders: int = Field(
        default=2, ge=2, description="Orders in the ladder window that make a repeat buyer."
    )
    referral_events: list[str] = Field(
        default_factory=lambda: ["Referral Sent"],
        description="Event names (any case) that count as a referral on the loyalty ladder.",
    )
    segment_webhook_secrets: dict[str, str] = Field(
        default_factory=dict,
        description="Segment id → secret that signs its membership webhook.",
    )
    segment_webhook_attempts: int = Field(
        default=3, ge=1, le=10, description="Tries of a segment webhook delivery."
    )
    segment_webhook_timeout_s: float = Field(
        default=5.0, gt=0, le=60, description="Seconds to wait for a webhook's answer."
    )
    journey_gap_days: float = Field(
        default=7.0,
        gt=0,
        description="A customer's journey ends after this many days without a touchpoint; "
        "the next touchpoint starts a new journey.",
    )
    journey_lookback_days: int = Field(
        default=30,
        ge=1,
        description="Moments of truth: days before an NPS answer whose bad experiences count.",
    )
    journey_bad_events: list[str] = Field(
        default_factory=lambda: list(DEFAULT_JOURNEY_BAD_EVENTS),
        description="Event names (any case) that mark a bad experience at their touchpoint, "
        "for the moments of truth.",
    )

    loop_max_feedback_age_days: int = Field(
        default=30,
        ge=1,
        description="Case rules read feedback at most this old when a loop run is not given "
        "--since (so a first run on years of history does not open stale cases).",
    )
    loop_interval_s: float = Field(
        default=300.0,
        ge=0,
        description="Seconds between the server's loop runs (rules on new feedback, SLA "
        "escalation, closing resolved cases); 0 turns them off.",
    )
    case_close_after_days: int = Field(
        default=14,
        ge=0,
        description="A resolved case is closed this many days after resolution by the loop "
        "(0: never closed automatically).",
    )
    case_followup_survey: str | None = Field(
        default=None,
        description="Survey id whose invitation is e-mailed to the customer when a case is "
        "resolved (throttling and consent apply); unset: no follow-up.",
    )
    you_said_we_did: bool = Field(
        default=False,
        description='Publish the public "you said, we did" page at /you-said-we-did (themes '
        "customers raised, resolved cases, published actions); off: that address is a 404.",
    )
    you_said_we_did_days: int = Field(
        default=90,
        ge=7,
        le=730,
        description='Days of feedback and resolved cases the "you said, we did" page counts '
        "by default (a visitor may pick 30, 90 or 365).",
    )

    notify_interval_s: float = Field(
        default=30.0,
        ge=0,
        description="Seconds between the server's passes over the notification outbox "
        "(sending due notifications, retrying failed tries); 0 turns them off.",
    )
    notify_timeout_s: float = Field(
        default=10.0, gt=0, le=120, description="Seconds to wait for a notification webhook."
    )
    case_acknowledgement_email: bool = Field(
        default=False,
        description='E-mail the customer a short acknowledgement ("we are on it") in their '
        "language when a case opens on their feedback; consent applies.",
    )
    case_acknowledgement_consent: Literal["opt-in", "opt-out"] = Field(
        default="opt-in",
        description="The acknowledgement e-mail: opt-in sends it only to customers who granted "
        "e-mail consent for purpose 'cases' (or 'all'); opt-out to all who have not refused.",
    )
    digest_schedule: Literal["all", "team", "customer", "off"] = Field(
        default="all",
        description="Which digests the server sends on its schedule (when SMTP is set): "
        "all, team (the weekly team digest), customer (progress e-mails) or off.",
    )
    digest_weekday: Literal[
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    ] = Field(
        default="monday",
        description="Day the digests go out; a digest's week is the seven days before it.",
    )
    digest_hour: int = Field(
        default=8, ge=0, le=23, description="Hour (0-23, digest time zone) the digests go out."
    )
    digest_timezone: str | None = Field(
        default=None,
        description="Time zone of the digest day and hour (e.g. Europe/Madrid). Default: the "
        "timezone setting.",
    )

    text_backend: Literal["shipped", "transformers"] = Field(
        default="shipped",
        description="Sentiment model of text analysis: the shipped model, or a local "
        "Hugging Face model (transformers, with text_model).",
    )
    text_model: Path | None = Field(
        default=None,
        description="Directory of a local Hugging Face sequence-classification model, for "
        "text_backend = transformers.",
    )
    text_batch_size: int = Field(
        default=2_000, gt=0, description="Texts handed to each text analysis part at once."
    )

    retention: dict[str, str] = Field(
        default_factory=dict,
        description="Retention policy per table: rows older than this are deleted by "
        "`cxloop retention apply` and daily by `cxloop serve`, e.g. "
        '{events = "24 months", webhook_deliveries = "90 days"}. Empty: keep everything.',
    )
    retention_interval_s: float = Field(
        default=86_400.0,
        ge=0,
        description="Seconds between the server's retention runs (daily); 0 turns them off.",
    )

    @field_validator("retention")
    @classmethod
    def _retention(cls, value: dict[str, str]) -> dict[str, str]:
        return check_policies(value)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        project = Path(
            init_settings.init_kwargs.get("project")  # type: ignore[attr-defined]
            or os.environ.get("CXLOOP_PROJECT")
            or "."
        )
        return (init_settings, env_settings, _TomlSource(settings_cls, project / PROJECT_FILE))

    @classmethod
    def load(cls, project: str | Path | None = None, **overrides: Any) -> Settings:
        """Build settings for a project directory (default ``$CXLOOP_PROJECT`` or ``.``)."""
        kwargs = {k: v for k, v in overrides.items() if v is not None}
        if project is not None:
            kwargs["project"] = Path(project)
        try:
            return cls(**kwargs)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"setting {where!r}: {first['msg']}") from exc

    def signing_key(self) -> str:
        """The secret key, created in the project directory on first use if none is set."""
        if self.secret_key:
            return self.secret_key
        path = self.project / SECRET_FILE
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
        key = secrets.token_urlsafe(48)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key + "\n")
        return key

    def engine_options(self) -> dict[str, str]:
        """Engine settings for the warehouse (used by a spark:/// warehouse only)."""
        return {"spark.master": self.spark_master, **self.spark_conf}

    @property
    def warehouse_url(self) -> str:
        """The warehouse URL, defaulting to the project's DuckDB file."""
        if self.warehouse:
            return self.warehouse
        return f"duckdb://{(self.project / DEFAULT_WAREHOUSE_FILE).resolve()}"
