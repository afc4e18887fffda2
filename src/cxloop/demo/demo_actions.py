"""The demo company's "you said, we did" actions, and its public page turned on.

Five actions answer the themes the demo's customers raise most (delivery, returns, product
quality, billing, the app: see ``ground_truth/`` and :mod:`cxloop.demo.comments`), each titled
and described in English, Spanish and Chinese. Dates are counted back from the demo's last day,
so a fresh demo shows recent work whatever day it is built; ids and times are fixed, so the
same window gives the same rows. Four are published, one is still a draft (what an analyst
sees before publishing it on the Actions page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from cxloop.config import PROJECT_FILE
from cxloop.share.public_actions import add_action, change_action, list_actions
from cxloop.storage import Warehouse

#: who the demo says entered the actions (never shown on the public page)
DEMO_ACTION_AUTHOR = "user:cx-team@demo.cxloop.dev"


@dataclass(frozen=True)
class DemoAction:
    """One action: its theme, status, days before the demo's last day, texts by language."""

    action_id: str
    theme: str
    status: str
    days_before_end: int
    published: bool
    titles: dict[str, str]
    descriptions: dict[str, str]


DEMO_ACTIONS = (
    DemoAction(
        "act_demo_delivery_slots", "delivery", "done", 40, True,
        {"en": "Two-hour delivery slots, and a text when the driver is 30 minutes away",
         "es": "Franjas de entrega de dos horas y un SMS cuando el repartidor está a 30 minutos",
         "zh": "两小时送货时段，司机到达前 30 分钟短信通知"},
        {"en": "You told us late deliveries meant waiting at home all day. Every order now "
               "gets a two-hour slot, and the driver's van is tracked live.",
         "es": "Nos dijeron que los retrasos les obligaban a esperar en casa todo el día. Cada "
               "pedido tiene ahora una franja de dos horas y el seguimiento del reparto en vivo.",
         "zh": "您说送货延误让您整天在家等待。"
               "现在每个订单都有两小时的送货时段，并可实时跟踪送货车辆。"},
    ),
    DemoAction(
        "act_demo_free_returns", "returns", "done", 75, True,
        {"en": "Free returns at any store, refunded within three days",
         "es": "Devoluciones gratis en cualquier tienda, con reembolso en tres días",
         "zh": "任何门店免费退货，三天内退款"},
        {"en": "Returns took too long and cost you postage. Bring an item to any store, or "
               "book a free pick-up; the refund follows within three working days.",
         "es": "Las devoluciones tardaban demasiado y costaban el envío. Lleve el artículo a "
               "cualquier tienda o pida una recogida gratuita; el reembolso llega en tres días "
               "hábiles.",
         "zh": "退货太慢，还要您付运费。"
               "现在可将商品送到任何门店，或预约免费上门取件；三个工作日内退款。"},
    ),
    DemoAction(
        "act_demo_quality_checks", "product_quality", "in_progress", 20, True,
        {"en": "A new quality check on furniture before it leaves the warehouse",
         "es": "Un nuevo control de calidad de los muebles antes de salir del almacén",
         "zh": "家具出库前新增质量检查"},
        {"en": "Several of you received furniture with scratches or missing parts. Every "
               "flat-pack item is now opened and checked; we are extending this to lamps.",
         "es": "Varios clientes recibieron muebles rayados o con piezas de menos. Ahora "
               "abrimos y revisamos cada mueble en kit; lo ampliaremos a las lámparas.",
         "zh": "不少顾客收到的家具有划痕或缺少零件。"
               "现在每件组装家具出库前都会开箱检查，灯具也将纳入。"},
    ),
    DemoAction(
        "act_demo_one_charge", "billing", "planned", -14, True,
        {"en": "One charge per order, and invoices that list each delivery",
         "es": "Un solo cargo por pedido y facturas que detallan cada entrega",
         "zh": "每个订单只扣一次款，发票列明每次送货"},
        {"en": "Orders sent in two parcels were charged twice. From next month you will be "
               "charged once, when the order is placed.",
         "es": "Los pedidos enviados en dos paquetes se cobraban dos veces. Desde el mes que "
               "viene se cobrará una sola vez, al hacer el pedido.",
         "zh": "分两个包裹寄出的订单曾被扣款两次。从下个月起，下单时只扣款一次。"},
    ),
    DemoAction(
        "act_demo_app_checkout", "app_usability", "in_progress", 10, False,
        {"en": "A shorter checkout in the app",
         "es": "Un pago más corto en la aplicación",
         "zh": "更简洁的应用结账流程"},
        {"en": "The app's checkout asked for your address twice. The new one takes three "
               "steps instead of six.",
         "es": "El pago en la aplicación pedía la dirección dos veces. El nuevo tiene tres "
               "pasos en vez de seis.",
         "zh": "应用结账时需要两次填写地址。新流程从六步减少到三步。"},
    ),
)  # fmt: skip


def add_demo_actions(wh: Warehouse, last_day: date) -> int:
    """Record :data:`DEMO_ACTIONS` dated back from ``last_day`` (the demo's last day), publish
    those marked so, and return how many were added: none when the project has actions."""
    if list_actions(wh):
        return 0
    noon = datetime.combine(last_day, time(12), tzinfo=UTC)
    for item in DEMO_ACTIONS:
        entered = noon - timedelta(days=max(item.days_before_end, 0) + 7)
        add_action(
            wh,
            theme=item.theme,
            titles=item.titles,
            descriptions=item.descriptions,
            action_date=last_day - timedelta(days=item.days_before_end),
            status=item.status,
            author=DEMO_ACTION_AUTHOR,
            now=entered,
            action_id=item.action_id,
        )
        if item.published:
            change_action(wh, item.action_id, DEMO_ACTION_AUTHOR, published=True,
                          now=entered + timedelta(hours=2))  # fmt: skip
    return len(DEMO_ACTIONS)


_SETTING = re.compile(r"^\s*you_said_we_did\s*=", re.MULTILINE)


def publish_demo_page(project: Path) -> bool:
    """Turn the public "you said, we did" page on in ``project``'s ``cxloop.toml`` unless the
    file already sets ``you_said_we_did`` (either way); True when the file was changed."""
    path = project / PROJECT_FILE
    text = path.read_text(encoding="utf-8")
    if _SETTING.search(text):
        return False
    line = '# The demo publishes its "you said, we did" page at /you-said-we-did.\n'
    ending = "" if text.endswith("\n") else "\n"
    path.write_text(text + ending + line + "you_said_we_did = true\n", encoding="utf-8")
    return True
