"""The demo's source files, each in the format and dialect of the system it comes from.

====================  =========  ===========================================================
file                  kind       format
====================  =========  ===========================================================
hr/teams.csv          teams      CSV
hr/employees.csv      employees  CSV
hr/pulses.csv         pulses     CSV, UTC timestamps
crm/customers.csv     customers  CSV, local ISO 8601 with offsets, extra attribute columns
webshop/customers…    customers  JSON Lines
support/contacts.csv  customers  CSV, ``;``-delimited, UTF-8 with BOM, desk's column names
app/users.parquet     customers  Parquet, one ``name`` column
webshop/orders.jsonl  orders     JSON Lines
app/orders.parquet    orders     Parquet
crm/pos_orders.csv    orders     CSV, ``;``-delimited, amounts ``1.234,56``, POS column names
*/events.*            events     JSON Lines (webshop), Parquet (app), CSV (crm, support)
crm/surveys.csv       feedback   CSV, NPS / CSAT / CES and comments
support/tickets.csv   feedback   CSV encoded GB18030, desk's column names, local dates
app/reviews.parquet   feedback   Parquet, star ratings, no language column
====================  =========  ===========================================================
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cxloop.demo.causal import ValueChainModel
from cxloop.demo.customer_files import SUPPORT_COLUMNS, SUPPORT_TIME_FORMAT, SUPPORT_TIMEZONE
from cxloop.demo.manifest import DemoFile
from cxloop.demo.markets import CityTable
from cxloop.demo.organisation import Staff, employees_frame, pulses_frame, teams_frame
from cxloop.demo.people import People
from cxloop.demo.timeline import Timeline, iso_local, iso_utc, local_format
from cxloop.demo.writers import write_csv, write_jsonl, write_mapping, write_parquet

EVENT_COLUMNS = (
    "event_id", "customer_id", "anonymous_id", "type", "name", "touchpoint", "channel", "ts",
    "properties",
)  # fmt: skip
ORDER_COLUMNS = ("order_id", "customer_id", "ts", "amount", "currency", "status", "channel")
FEEDBACK_COLUMNS = (
    "feedback_id", "customer_id", "ts", "kind", "channel", "touchpoint", "team_id", "survey_id",
    "nps", "csat", "ces", "rating", "text", "language",
)  # fmt: skip
POS_COLUMNS = {
    "order_id": "Operación", "customer_id": "Socio", "ts": "Fecha", "amount": "Importe",
    "currency": "Divisa", "status": "Estado", "store": "Tienda",
}  # fmt: skip
TICKET_COLUMNS = {
    "feedback_id": "Ticket", "customer_id": "ID Contacto", "ts": "Fecha", "channel": "Canal",
    "touchpoint": "Punto de contacto", "team_id": "Equipo", "subject": "Asunto",
    "text": "Descripción", "csat": "Valoración", "language": "Idioma",
}  # fmt: skip
SUBJECTS = {
    "delivery": "Entrega", "billing": "Facturación", "product_quality": "Producto",
    "staff_friendliness": "Atención", "wait_time": "Espera", "app_usability": "Web/App",
    "price": "Precio", "returns": "Devolución",
}  # fmt: skip
TICKET_CHANNELS = {"phone": "teléfono", "chat": "chat", "email": "email"}


def _local(people: People, cities: CityTable, person: np.ndarray, ts: np.ndarray) -> np.ndarray:
    return iso_local(ts, cities.timezone[people.city[person]], cities.timezones)


def _utc_timestamps(ts: np.ndarray) -> pd.Series:
    return pd.Series(pd.to_datetime(ts, unit="s", utc=True)).dt.as_unit("ms")


def write_hr_files(
    root: Path,
    staff: Staff,
    engagement: np.ndarray,
    timeline: Timeline,
    model: ValueChainModel,
    rng: np.random.Generator,
) -> list[DemoFile]:
    """Teams, employees and their quarterly pulse answers, from the HR system."""
    hr = root / "hr"
    pulses = pulses_frame(staff, engagement, timeline, rng, model)
    return [
        DemoFile("teams", write_csv(teams_frame(staff), hr / "teams.csv"), "hr", None),
        DemoFile("employees", write_csv(employees_frame(staff), hr / "employees.csv"), "hr", None),
        DemoFile("employee_pulses", write_csv(pulses, hr / "pulses.csv"), "hr", None),
    ]


def write_customer_files(root: Path, frames: dict[str, pd.DataFrame]) -> list[DemoFile]:
    mapping = write_mapping(
        root / "mappings" / "support_contacts.yaml",
        kind="customers",
        source="support",
        id_column=SUPPORT_COLUMNS["customer_id"],
        columns={
            field: column
            for field, column in SUPPORT_COLUMNS.items()
            if field not in ("customer_id", "created_at")
        }
        | {
            "created_at": {
                "column": SUPPORT_COLUMNS["created_at"],
                "format": SUPPORT_TIME_FORMAT,
                "timezone": SUPPORT_TIMEZONE,
            }
        },
        comment="The support desk's contact export: its own (Spanish) column names,\n"
        "';'-delimited, UTF-8 with a byte-order mark, local Madrid times.",
    )
    return [
        DemoFile(
            "customers", write_csv(frames["crm"], root / "crm" / "customers.csv"), "crm", None
        ),
        DemoFile(
            "customers",
            write_jsonl(frames["webshop"], root / "webshop" / "customers.jsonl"),
            "webshop",
            None,
        ),
        DemoFile(
            "customers",
            write_csv(
                frames["support"], root / "support" / "contacts.csv", sep=";", encoding="utf-8-sig"
            ),
            "support",
            mapping,
            SUPPORT_COLUMNS["customer_id"],
        ),
        DemoFile(
            "customers", write_parquet(frames["app"], root / "app" / "users.parquet"), "app", None
        ),
    ]


def _amount_es(values: np.ndarray) -> list[str]:
    return [f"{v:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".") for v in values]


def write_order_files(
    root: Path, orders: pd.DataFrame, people: People, cities: CityTable
) -> list[DemoFile]:
    out = []
    web = orders[orders["source"] == "webshop"].copy()
    web["ts"] = _local(people, cities, web["person"].to_numpy(), web["ts"].to_numpy())
    path = write_jsonl(web[list(ORDER_COLUMNS)], root / "webshop" / "orders.jsonl")
    out.append(DemoFile("orders", path, "webshop", None))

    app = orders[orders["source"] == "app"].copy()
    app["ts"] = _utc_timestamps(app["ts"].to_numpy()).to_numpy()
    path = write_parquet(
        app[list(ORDER_COLUMNS)].reset_index(drop=True), root / "app" / "orders.parquet"
    )
    out.append(DemoFile("orders", path, "app", None))

    pos = orders[orders["source"] == "crm"].copy()
    pos["ts"] = _local(people, cities, pos["person"].to_numpy(), pos["ts"].to_numpy())
    pos["amount"] = _amount_es(pos["amount"].to_numpy())
    pos = pos[list(POS_COLUMNS)].rename(columns=POS_COLUMNS)
    path = write_csv(pos, root / "crm" / "pos_orders.csv", sep=";")
    mapping = write_mapping(
        root / "mappings" / "crm_pos_orders.yaml",
        kind="orders",
        source="crm",
        id_column=POS_COLUMNS["order_id"],
        columns={
            "customer_id": POS_COLUMNS["customer_id"],
            "ts": POS_COLUMNS["ts"],
            "amount": {"column": POS_COLUMNS["amount"], "decimal": ",", "thousands": "."},
            "currency": POS_COLUMNS["currency"],
            "status": POS_COLUMNS["status"],
            "channel": {"value": "store"},
        },
        comment="Store tills (POS): orders of loyalty members, filed under their CRM id.\n"
        "';'-delimited, amounts with a decimal comma; 'Tienda' (the store) is not mapped.",
    )
    out.append(DemoFile("orders", path, "crm", mapping, POS_COLUMNS["order_id"]))
    return out


def write_event_files(
    root: Path, events: pd.DataFrame, people: People, cities: CityTable
) -> list[DemoFile]:
    out = []
    for source, name, fmt in (
        ("webshop", "events.jsonl", "local-jsonl"),
        ("app", "events.parquet", "parquet"),
        ("crm", "store_events.csv", "local-csv"),
        ("support", "events.csv", "utc-csv"),
    ):
        part = events[events["source"] == source].copy()
        person, ts = part["person"].to_numpy(), part["ts"].to_numpy()
        if fmt == "parquet":
            part["ts"] = _utc_timestamps(ts).to_numpy()
        elif fmt == "utc-csv":
            part["ts"] = iso_utc(ts)
        else:
            part["ts"] = _local(people, cities, person, ts)
        part = part[list(EVENT_COLUMNS)].reset_index(drop=True)
        folder = root / source
        if fmt == "parquet":
            path = write_parquet(part, folder / name)
        elif fmt == "local-jsonl":
            path = write_jsonl(part, folder / name)
        else:
            path = write_csv(part, folder / name)
        out.append(DemoFile("events", path, source, None))
    return out


def write_feedback_files(
    root: Path, feedback: pd.DataFrame, people: People, cities: CityTable
) -> list[DemoFile]:
    out = []
    surveys = feedback[feedback["source"] == "crm"].copy()
    surveys["ts"] = iso_utc(surveys["ts"].to_numpy())
    columns = [c for c in FEEDBACK_COLUMNS if c != "rating"]
    out.append(
        DemoFile("feedback", write_csv(surveys[columns], root / "crm" / "surveys.csv"), "crm", None)
    )

    tickets = feedback[feedback["source"] == "support"].copy()
    tickets["ts"] = local_format(tickets["ts"].to_numpy(), SUPPORT_TIMEZONE, SUPPORT_TIME_FORMAT)
    tickets["channel"] = tickets["channel"].map(TICKET_CHANNELS)
    tickets["subject"] = [SUBJECTS[t.split(";")[0]] if t else "" for t in tickets["themes"]]
    tickets = tickets[list(TICKET_COLUMNS)].rename(columns=TICKET_COLUMNS)
    path = write_csv(tickets, root / "support" / "tickets.csv", encoding="gb18030")
    mapping = write_mapping(
        root / "mappings" / "support_tickets.yaml",
        kind="feedback",
        source="support",
        id_column=TICKET_COLUMNS["feedback_id"],
        columns={
            "customer_id": TICKET_COLUMNS["customer_id"],
            "ts": {
                "column": TICKET_COLUMNS["ts"],
                "format": SUPPORT_TIME_FORMAT,
                "timezone": SUPPORT_TIMEZONE,
            },
            "kind": {"value": "ticket"},
            "channel": TICKET_COLUMNS["channel"],
            "touchpoint": TICKET_COLUMNS["touchpoint"],
            "team_id": TICKET_COLUMNS["team_id"],
            "text": TICKET_COLUMNS["text"],
            "csat": TICKET_COLUMNS["csat"],
            "language": TICKET_COLUMNS["language"],
        },
        comment="The support desk's ticket export: encoded GB18030, the desk's column names,\n"
        "local Madrid times; 'Asunto' (the agent's subject line) is not mapped.",
    )
    out.append(DemoFile("feedback", path, "support", mapping, TICKET_COLUMNS["feedback_id"]))

    reviews = feedback[feedback["source"] == "app"].copy()
    reviews["ts"] = _utc_timestamps(reviews["ts"].to_numpy()).to_numpy()
    columns = [
        c for c in FEEDBACK_COLUMNS if c not in ("survey_id", "nps", "csat", "ces", "language")
    ]
    path = write_parquet(reviews[columns].reset_index(drop=True), root / "app" / "reviews.parquet")
    out.append(DemoFile("feedback", path, "app", None))
    return out
