"""What each import kind carries: canonical fields, their types and their rules.

A file whose columns carry these names needs no mapping. ``source_key`` says which field holds
the source's own id of a record; the warehouse stores it as ``<source>:<id>`` in ``key_column``
so that two sources may use the same ids and a re-import adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    """Canonical value types a source column is coerced to."""

    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"
    EMAIL = "email"
    JSON = "json"


@dataclass(frozen=True)
class FieldSpec:
    """One canonical field of an import kind."""

    name: str
    type: FieldType = FieldType.STRING
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    description: str = ""


@dataclass(frozen=True)
class ImportKind:
    """An import kind: the table it fills and the fields it accepts."""

    name: str
    table: str
    key_column: str
    source_key: str
    fields: tuple[FieldSpec, ...]
    source_scoped: bool = True
    keeps_extra_columns: bool = False
    required_any: tuple[str, ...] = field(default_factory=tuple)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.fields)


S, INT, N, B, D, T, E, J = (
    FieldType.STRING,
    FieldType.INTEGER,
    FieldType.NUMBER,
    FieldType.BOOLEAN,
    FieldType.DATE,
    FieldType.TIMESTAMP,
    FieldType.EMAIL,
    FieldType.JSON,
)

LANGUAGES = ("en", "es", "zh")
TOUCHPOINTS = ("web", "app", "store", "call_centre", "delivery", "billing", "email", "chat")

CUSTOMERS = ImportKind(
    name="customers",
    table="source_records",
    key_column="record_id",
    source_key="customer_id",
    keeps_extra_columns=True,
    fields=(
        FieldSpec("customer_id", S, True, description="The source's own id of the person."),
        FieldSpec("first_name", S),
        FieldSpec("last_name", S),
        FieldSpec("name", S, description="Full name, when the source has no parts."),
        FieldSpec("email", E),
        FieldSpec("phone", S),
        FieldSpec("birth_date", D),
        FieldSpec("address", S),
        FieldSpec("city", S),
        FieldSpec("postcode", S),
        FieldSpec("country", S, description="ISO 3166 alpha-2 code or name."),
        FieldSpec("language", S, description="Preferred language (BCP 47, e.g. en, es, zh)."),
        FieldSpec("created_at", T, description="When the source first saw the person."),
    ),
)

EVENTS = ImportKind(
    name="events",
    table="events",
    key_column="event_id",
    source_key="event_id",
    required_any=("customer_id", "anonymous_id"),
    fields=(
        FieldSpec("event_id", S, True),
        FieldSpec("customer_id", S, description="The source's id of the customer."),
        FieldSpec("anonymous_id", S),
        FieldSpec("type", S, choices=("track", "page", "screen", "identify", "group", "alias")),
        FieldSpec("name", S, True, description="What happened, e.g. 'Order Delivered'."),
        FieldSpec("touchpoint", S),
        FieldSpec("channel", S),
        FieldSpec("ts", T, True),
        FieldSpec("properties", J),
    ),
)

ORDERS = ImportKind(
    name="orders",
    table="orders",
    key_column="order_id",
    source_key="order_id",
    fields=(
        FieldSpec("order_id", S, True),
        FieldSpec("customer_id", S, True, description="The source's id of the customer."),
        FieldSpec("ts", T, True),
        FieldSpec("amount", N, True),
        FieldSpec("currency", S, description="ISO 4217 code, e.g. USD, EUR, CNY."),
        FieldSpec("status", S),
        FieldSpec("channel", S),
    ),
)

FEEDBACK = ImportKind(
    name="feedback",
    table="feedback",
    key_column="feedback_id",
    source_key="feedback_id",
    fields=(
        FieldSpec("feedback_id", S, True),
        FieldSpec("customer_id", S, description="The source's id of the customer."),
        FieldSpec("ts", T, True),
        FieldSpec("kind", S, description="survey, ticket, review, chat, social…"),
        FieldSpec("channel", S),
        FieldSpec("touchpoint", S),
        FieldSpec("team_id", S),
        FieldSpec("survey_id", S),
        FieldSpec("nps", INT, min=0, max=10, description="Likelihood to recommend, 0–10."),
        FieldSpec("csat", INT, min=1, max=5, description="Satisfaction, 1–5."),
        FieldSpec("ces", INT, min=1, max=7, description="Customer effort, 1–7."),
        FieldSpec("rating", N),
        FieldSpec("text", S),
        FieldSpec("language", S),
    ),
)

TEAMS = ImportKind(
    name="teams",
    table="teams",
    key_column="team_id",
    source_key="team_id",
    source_scoped=False,
    fields=(
        FieldSpec("team_id", S, True),
        FieldSpec("name", S, True),
        FieldSpec("function", S, description="e.g. support, delivery, stores, billing."),
        FieldSpec("touchpoint", S, description="The touchpoint the team owns."),
        FieldSpec("parent_team_id", S),
        FieldSpec("manager_employee_id", S),
    ),
)

EMPLOYEES = ImportKind(
    name="employees",
    table="employees",
    key_column="employee_id",
    source_key="employee_id",
    source_scoped=False,
    fields=(
        FieldSpec("employee_id", S, True),
        FieldSpec("team_id", S, True),
        FieldSpec("name", S),
        FieldSpec("email", E),
        FieldSpec("role", S),
        FieldSpec("is_manager", B),
        FieldSpec("hired_at", D),
        FieldSpec("language", S),
    ),
)

EMPLOYEE_PULSES = ImportKind(
    name="employee_pulses",
    table="employee_pulses",
    key_column="pulse_id",
    source_key="pulse_id",
    source_scoped=False,
    fields=(
        FieldSpec("pulse_id", S, True),
        FieldSpec("employee_id", S, True),
        FieldSpec("team_id", S),
        FieldSpec("ts", T, True),
        FieldSpec("enps", INT, min=0, max=10, description="Employee NPS answer, 0–10."),
        FieldSpec("engagement", N, min=1, max=5, description="Engagement index, 1–5."),
        FieldSpec("wellbeing", N, min=1, max=5, description="Wellbeing index, 1–5."),
        FieldSpec(
            "customer_centricity",
            N,
            min=1,
            max=5,
            description="Self-assessed customer-centricity, 1–5.",
        ),
    ),
)

CONSENTS = ImportKind(
    name="consents",
    table="consents",
    key_column="consent_event_id",
    source_key="consent_event_id",
    fields=(
        FieldSpec(
            "consent_event_id", S, True,
            description="The source's id of this consent event (--id-column names another).",
        ),
        FieldSpec("customer_id", S, True, description="The cxloop customer id."),
        FieldSpec("channel", S, True, description="email, sms, phone, post, push…"),
        FieldSpec("purpose", S, True, description="surveys, marketing, service… or all."),
        FieldSpec("granted", B, True, description="Yes for a grant, no for a refusal."),
        FieldSpec("ts", T, True, description="When the person gave or refused consent."),
    ),
)  # fmt: skip

IMPORT_KINDS: dict[str, ImportKind] = {
    k.name: k
    for k in (CUSTOMERS, EVENTS, ORDERS, FEEDBACK, TEAMS, EMPLOYEES, EMPLOYEE_PULSES, CONSENTS)
}
