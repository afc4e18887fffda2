"""The canonical tables and the versioned migrations that create and grow them.

Table names are the contract with every other stage; columns may grow through new migrations,
never by editing an applied one. Types are Ibis types so that every backend can hold them.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa

STR, INT, FLOAT, BOOL, DATE, TS, JSON = (
    dt.string,
    dt.int64,
    dt.float64,
    dt.boolean,
    dt.date,
    dt.Timestamp(timezone="UTC"),
    dt.string,  # JSON documents are stored as text: every backend can hold and parse it
)


@dataclass(frozen=True)
class CreateTable:
    """Create a table with a schema; ``key`` names the column that identifies a row."""

    name: str
    columns: tuple[tuple[str, dt.DataType], ...]
    key: str

    @property
    def schema(self) -> ibis.Schema:
        return ibis.schema(dict(self.columns))


@dataclass(frozen=True)
class AddColumn:
    """Add a nullable column to an existing table."""

    table: str
    column: str
    type: dt.DataType


@dataclass(frozen=True)
class KeyPrefixIndex:
    """Index ``table``'s key for the importer's ``key LIKE 'prefix%'`` lookups, where the
    backend needs an index of its own for them (Postgres in a database that does not sort
    text byte by byte); nothing where it does not, or where the index is already there."""

    table: str


Operation = CreateTable | AddColumn | KeyPrefixIndex


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    operations: tuple[Operation, ...]


def _t(name: str, key: str, *columns: tuple[str, dt.DataType]) -> CreateTable:
    return CreateTable(name, columns, key)


_IMPORTED = ("imported_at", TS)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "canonical tables of the loop",
        (
            _t(
                "source_records",
                "record_id",
                ("record_id", STR),
                ("source", STR),
                ("source_id", STR),
                ("first_name", STR),
                ("last_name", STR),
                ("name", STR),
                ("email", STR),
                ("phone", STR),
                ("birth_date", DATE),
                ("address", STR),
                ("city", STR),
                ("postcode", STR),
                ("country", STR),
                ("language", STR),
                ("created_at", TS),
                ("attributes", JSON),
                _IMPORTED,
            ),
            _t(
                "identities",
                "record_id",
                ("record_id", STR),
                ("source", STR),
                ("source_id", STR),
                ("customer_id", STR),
                ("match_probability", FLOAT),
                ("method", STR),
                ("resolved_at", TS),
            ),
            _t(
                "customers",
                "customer_id",
                ("customer_id", STR),
                ("name", STR),
                ("email", STR),
                ("phone", STR),
                ("language", STR),
                ("country", STR),
                ("attributes", JSON),
                ("first_seen", TS),
                ("last_seen", TS),
                ("updated_at", TS),
            ),
            _t(
                "events",
                "event_id",
                ("event_id", STR),
                ("source", STR),
                ("source_customer_id", STR),
                ("customer_id", STR),
                ("anonymous_id", STR),
                ("type", STR),
                ("name", STR),
                ("touchpoint", STR),
                ("channel", STR),
                ("ts", TS),
                ("properties", JSON),
                _IMPORTED,
            ),
            _t(
                "orders",
                "order_id",
                ("order_id", STR),
                ("source", STR),
                ("source_customer_id", STR),
                ("customer_id", STR),
                ("ts", TS),
                ("amount", FLOAT),
                ("currency", STR),
                ("status", STR),
                ("channel", STR),
                _IMPORTED,
            ),
            _t(
                "surveys",
                "survey_id",
                ("survey_id", STR),
                ("name", STR),
                ("version", INT),
                ("definition", JSON),
                ("created_at", TS),
            ),
            _t(
                "survey_invitations",
                "invitation_event_id",
                ("invitation_event_id", STR),
                ("invitation_id", STR),
                ("survey_id", STR),
                ("customer_id", STR),
                ("channel", STR),
                ("status", STR),
                ("ts", TS),
                ("details", JSON),
            ),
            _t(
                "survey_responses",
                "response_id",
                ("response_id", STR),
                ("survey_id", STR),
                ("invitation_id", STR),
                ("customer_id", STR),
                ("ts", TS),
                ("language", STR),
                ("answers", JSON),
                ("duration_s", FLOAT),
                ("contact_snapshot", JSON),
            ),
            _t(
                "feedback",
                "feedback_id",
                ("feedback_id", STR),
                ("source", STR),
                ("source_customer_id", STR),
                ("customer_id", STR),
                ("ts", TS),
                ("kind", STR),
                ("channel", STR),
                ("touchpoint", STR),
                ("team_id", STR),
                ("survey_id", STR),
                ("nps", INT),
                ("csat", INT),
                ("ces", INT),
                ("rating", FLOAT),
                ("text", STR),
                ("language", STR),
                _IMPORTED,
            ),
            _t(
                "feedback_insights",
                "feedback_id",
                ("feedback_id", STR),
                ("language", STR),
                ("sentiment", FLOAT),
                ("sentiment_label", STR),
                ("themes", JSON),
                ("intent", STR),
                ("redacted_text", STR),
                ("analyser", STR),
                ("analysed_at", TS),
            ),
            _t(
                "teams",
                "team_id",
                ("team_id", STR),
                ("name", STR),
                ("function", STR),
                ("touchpoint", STR),
                ("parent_team_id", STR),
                ("manager_employee_id", STR),
                _IMPORTED,
            ),
            _t(
                "employees",
                "employee_id",
                ("employee_id", STR),
                ("team_id", STR),
                ("name", STR),
                ("email", STR),
                ("role", STR),
                ("is_manager", BOOL),
                ("hired_at", DATE),
                ("language", STR),
                _IMPORTED,
            ),
            _t(
                "employee_pulses",
                "pulse_id",
                ("pulse_id", STR),
                ("employee_id", STR),
                ("team_id", STR),
                ("ts", TS),
                ("enps", INT),
                ("engagement", FLOAT),
                ("wellbeing", FLOAT),
                ("customer_centricity", FLOAT),
                _IMPORTED,
            ),
            _t(
                "segments",
                "segment_id",
                ("segment_id", STR),
                ("name", STR),
                ("kind", STR),
                ("definition", JSON),
                ("created_at", TS),
            ),
            _t(
                "segment_members",
                "member_id",
                ("member_id", STR),
                ("segment_id", STR),
                ("customer_id", STR),
                ("computed_at", TS),
            ),
            _t(
                "kpi_goals",
                "goal_id",
                ("goal_id", STR),
                ("kpi", STR),
                ("target", FLOAT),
                ("direction", STR),
                ("scope", JSON),
                ("period", STR),
                ("valid_from", DATE),
                ("valid_to", DATE),
            ),
            _t(
                "cases",
                "case_id",
                ("case_id", STR),
                ("customer_id", STR),
                ("feedback_id", STR),
                ("rule_id", STR),
                ("team_id", STR),
                ("title", STR),
                ("priority", STR),
                ("opened_at", TS),
                ("due_at", TS),
            ),
            _t(
                "case_events",
                "case_event_id",
                ("case_event_id", STR),
                ("case_id", STR),
                ("ts", TS),
                ("kind", STR),
                ("actor", STR),
                ("status", STR),
                ("assignee", STR),
                ("note", STR),
                ("details", JSON),
            ),
            _t(
                "consents",
                "consent_event_id",
                ("consent_event_id", STR),
                ("customer_id", STR),
                ("channel", STR),
                ("purpose", STR),
                ("granted", BOOL),
                ("ts", TS),
                ("source", STR),
            ),
            _t(
                "audit_log",
                "audit_id",
                ("audit_id", STR),
                ("ts", TS),
                ("actor", STR),
                ("action", STR),
                ("target_table", STR),
                ("target_id", STR),
                ("details", JSON),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        2,
        "people who use cxloop, their keys and sessions; collector links and violations",
        (
            _t(
                "users",
                "user_id",
                ("user_id", STR),
                ("email", STR),
                ("name", STR),
                ("role", STR),
                ("password_hash", STR),
                ("language", STR),
                ("created_at", TS),
                ("disabled_at", TS),
            ),
            _t(
                "api_keys",
                "key_id",
                ("key_id", STR),
                ("kind", STR),
                ("role", STR),
                ("name", STR),
                ("source", STR),
                ("secret_hash", STR),
                ("created_at", TS),
                ("created_by", STR),
                ("revoked_at", TS),
            ),
            _t(
                "web_sessions",
                "session_hash",
                ("session_hash", STR),
                ("user_id", STR),
                ("created_at", TS),
                ("expires_at", TS),
            ),
            _t(
                "identity_links",
                "link_id",
                ("link_id", STR),
                ("source", STR),
                ("from_id", STR),
                ("from_kind", STR),
                ("to_id", STR),
                ("to_kind", STR),
                ("method", STR),
                ("ts", TS),
            ),
            _t(
                "tracking_violations",
                "violation_id",
                ("violation_id", STR),
                ("ts", TS),
                ("source", STR),
                ("event_id", STR),
                ("event_name", STR),
                ("problem", STR),
                ("rejected", BOOL),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        3,
        "golden record fields of customers",
        tuple(
            AddColumn("customers", column, type_)
            for column, type_ in (
                ("first_name", STR),
                ("last_name", STR),
                ("birth_date", DATE),
                ("address", STR),
                ("city", STR),
                ("postcode", STR),
            )
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        4,
        "the model of each resolve run; analysts' merges and splits of customers",
        (
            _t(
                "resolve_models",
                "model_id",
                ("model_id", STR),
                ("created_at", TS),
                ("mode", STR),
                ("records", INT),
                ("records_scored", INT),
                ("trained", BOOL),
                ("match_threshold", FLOAT),
                ("prior_match_probability", FLOAT),
                ("options", JSON),
                ("settings", JSON),
            ),
            _t(
                "identity_overrides",
                "override_event_id",
                ("override_event_id", STR),
                ("override_id", STR),
                ("ts", TS),
                ("actor", STR),
                ("action", STR),
                ("kind", STR),
                ("records", JSON),
                ("apart", JSON),
                ("reason", STR),
                ("details", JSON),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        5,
        "survey responses: employee, team, partial or complete, start; invitations to employees",
        (
            AddColumn("survey_responses", "employee_id", STR),
            AddColumn("survey_responses", "team_id", STR),
            AddColumn("survey_responses", "status", STR),
            AddColumn("survey_responses", "started_at", TS),
            AddColumn("survey_responses", "updated_at", TS),
            AddColumn("survey_invitations", "employee_id", STR),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        6,
        "customer lifetime value: each fitted CLV model and the latest scores per customer",
        (
            _t(
                "clv_models",
                "model_id",
                ("model_id", STR),
                ("fitted_at", TS),
                ("calibration_end", DATE),
                ("time_unit", STR),
                ("horizon_months", INT),
                ("discount_rate", FLOAT),
                ("customers", INT),
                ("repeat_customers", INT),
                ("bgnbd", JSON),
                ("gamma_gamma", JSON),
                ("fit_seconds", FLOAT),
            ),
            _t(
                "customer_clv",
                "customer_id",
                ("customer_id", STR),
                ("model_id", STR),
                ("scored_at", TS),
                ("frequency", INT),
                ("recency", FLOAT),
                ("T", FLOAT),
                ("monetary_value", FLOAT),
                ("currency", STR),
                ("expected_purchases", FLOAT),
                ("probability_alive", FLOAT),
                ("expected_spend", FLOAT),
                ("clv", FLOAT),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        7,
        "daily rollup of the survey KPIs' counts, and the watermark that says how fresh it is",
        (
            _t(
                "kpi_feedback_daily",
                "cell_id",
                ("cell_id", STR),
                ("day", DATE),
                ("dimension", STR),
                ("value", STR),
                ("nps_n", INT),
                ("nps_promoters", INT),
                ("nps_passives", INT),
                ("nps_detractors", INT),
                ("csat_n", INT),
                ("csat_top2", INT),
                ("csat_sum", INT),
                ("csat_sum_sq", INT),
                ("ces_n", INT),
                ("ces_sum", INT),
                ("ces_sum_sq", INT),
            ),
            _t(
                "kpi_rollup_state",
                "rollup",
                ("rollup", STR),
                ("version", INT),
                ("feedback_rows", INT),
                ("imported_through", TS),
                ("refreshed_at", TS),
                ("mode", STR),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        8,
        "segment membership as append-only events (entered / left); webhook deliveries",
        (
            # segment_members becomes a log: one row per customer entering or leaving a
            # segment at a refresh (member_id is the event's id, computed_at its time)
            AddColumn("segment_members", "change", STR),
            AddColumn("segment_members", "refresh_id", STR),
            _t(
                "webhook_deliveries",
                "delivery_id",
                ("delivery_id", STR),
                ("target", STR),
                ("event_id", STR),
                ("url", STR),
                ("ts", TS),
                ("attempt", INT),
                ("status_code", INT),
                ("ok", BOOL),
                ("error", STR),
                ("body_sha256", STR),
            ),
        ),
    ),
)


MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        9,
        "who owns a KPI goal, and its title",
        (AddColumn("kpi_goals", "owner", STR), AddColumn("kpi_goals", "title", STR)),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        10,
        "consents imported from files (cxloop import consents): when each row was imported",
        (AddColumn("consents", "imported_at", TS),),
    ),
)


MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        11,
        "a case's topic (one open case per customer and topic) and an event's resolution code",
        (AddColumn("cases", "topic", STR), AddColumn("case_events", "resolution", STR)),
    ),
)


MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        12,
        "churn risk: fitted models with their validation, and each customer's risk and reasons",
        (
            _t(
                "churn_models",
                "model_id",
                ("model_id", STR),
                ("fitted_at", TS),
                ("as_of", DATE),
                ("horizon_days", INT),
                ("active_days", INT),
                ("train_rows", INT),
                ("churn_rate", FLOAT),
                ("features", JSON),
                ("reference", JSON),
                ("validation", JSON),
                ("fit_seconds", FLOAT),
                ("model_file", STR),
                ("model_sha256", STR),
            ),
            _t(
                "customer_churn",
                "customer_id",
                ("customer_id", STR),
                ("model_id", STR),
                ("scored_at", TS),
                ("cutoff", DATE),
                ("risk", FLOAT),
                ("reasons", JSON),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        13,
        "the notification outbox: one row per message a case event causes, written with it",
        (
            _t(
                "notifications",
                "notification_id",
                ("notification_id", STR),
                ("created_at", TS),
                ("case_id", STR),
                ("case_event_id", STR),
                ("event_kind", STR),
                ("channel_id", STR),
                ("channel_type", STR),
                ("recipient", STR),
                ("team_id", STR),
                ("priority", STR),
                ("subject", STR),
                ("body", STR),
                ("not_before", TS),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        14,
        "delivery log: the channel of each try and its retry round (cxloop notify retry)",
        (
            AddColumn("webhook_deliveries", "channel", STR),
            AddColumn("webhook_deliveries", "round", INT),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        15,
        "digests: one row per digest sent (kind, recipient, period), so none is sent twice",
        (
            _t(
                "digests",
                "digest_id",
                ("digest_id", STR),
                ("kind", STR),
                ("period", STR),
                ("period_start", DATE),
                ("period_end", DATE),
                ("employee_id", STR),
                ("customer_id", STR),
                ("team_id", STR),
                ("language", STR),
                ("message_id", STR),
                ("sent_at", TS),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        16,
        "privacy erasure: salted hashes of erased people's e-mail and phone, never contacted",
        (
            _t(
                "erasure_suppressions",
                "suppression_id",
                # the key is the salted hash itself: erasing a person twice adds nothing
                ("suppression_id", STR),
                ("kind", STR),
                ("ts", TS),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        17,
        "case reassignment: the team a reassigned event hands the case (and its SLA) to",
        (AddColumn("case_events", "team_id", STR),),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        18,
        '"you said, we did": analysts\' actions on customer themes, one row per version',
        (
            _t(
                "public_actions",
                "action_version_id",
                ("action_version_id", STR),
                ("action_id", STR),
                ("ts", TS),
                ("theme", STR),
                ("titles", JSON),
                ("descriptions", JSON),
                ("action_date", DATE),
                ("status", STR),
                ("published", BOOL),
                ("author", STR),
            ),
        ),
    ),
)

MIGRATIONS = (
    *MIGRATIONS,
    Migration(
        19,
        "key-prefix indexes (Postgres): warehouses made before tables got them at creation",
        tuple(
            KeyPrefixIndex(op.name)
            for migration in MIGRATIONS
            for op in migration.operations
            if isinstance(op, CreateTable)
        ),
    ),
)

MIGRATIONS_TABLE = "schema_migrations"


def latest_version() -> int:
    """The schema version a fully migrated warehouse has."""
    return max(m.version for m in MIGRATIONS)


def canonical_tables() -> dict[str, CreateTable]:
    """Every canonical table as its migrations leave it, in creation order."""
    tables: dict[str, CreateTable] = {}
    for migration in MIGRATIONS:
        for op in migration.operations:
            if isinstance(op, CreateTable):
                tables[op.name] = op
            elif isinstance(op, AddColumn):
                old = tables[op.table]
                tables[op.table] = CreateTable(
                    old.name, (*old.columns, (op.column, op.type)), old.key
                )
    return tables


def arrow_schema(table: str, columns: list[str] | tuple[str, ...] | None = None) -> pa.Schema:
    """The Arrow schema of a canonical table (or of some of its columns, in that order)."""
    full = canonical_tables()[table].schema.to_pyarrow()
    if columns is None:
        return full
    return pa.schema([full.field(name) for name in columns])


def key_column(table: str) -> str:
    """The column that identifies a row of ``table``."""
    return canonical_tables()[table].key
