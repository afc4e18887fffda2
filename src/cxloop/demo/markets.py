"""The demo company's markets: countries, cities, currencies, time zones and e-mail domains.

Five countries in three languages: English (US, UK), Spanish (Spain, Mexico) and Chinese (China),
about 45 / 30 / 25 % of the customers. Each city belongs to a region (north or south) that
decides which store team serves its customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np


@dataclass(frozen=True)
class City:
    """A real city where the company has customers (and, for store customers, a store)."""

    name: str
    region: str
    timezone: str
    weight: float
    postcode_prefixes: tuple[str, ...]
    variants: tuple[str, ...] = ()
    phone_areas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Market:
    """One country the company sells in."""

    country: str
    language: str
    locale: str
    faker_locale: str
    currency: str
    share: float
    mean_order: float
    usd_rate: float
    cities: tuple[City, ...]
    email_domains: tuple[tuple[str, float], ...]


def _cities(*rows: tuple) -> tuple[City, ...]:
    """Cities from rows of (name, region, zone, weight, postcode prefixes, variants, areas)."""
    return tuple(City(*row) for row in rows)


US = Market(
    "US", "en", "en-US", "en_US", "USD", 0.30, 68.0, 1.0,
    _cities(
        ("New York", "north", "America/New_York", 5, ("100", "101", "102", "104", "112"),
         ("NYC", "New York City", "NEW YORK", "new york"), ("212", "646", "718", "917")),
        ("Boston", "north", "America/New_York", 2, ("021", "022"), ("boston", "Boston MA"),
         ("617", "857")),
        ("Chicago", "north", "America/Chicago", 3, ("606", "607"),
         ("chicago", "Chicago IL", "CHICAGO"), ("312", "773", "872")),
        ("Seattle", "north", "America/Los_Angeles", 2, ("981",), ("seattle", "Seattle WA"),
         ("206",)),
        ("Minneapolis", "north", "America/Chicago", 1, ("554",), ("minneapolis", "Mpls"),
         ("612",)),
        ("Houston", "south", "America/Chicago", 3, ("770", "772"), ("houston", "Houston TX"),
         ("713", "832", "281")),
        ("Miami", "south", "America/New_York", 2, ("331", "332"), ("miami", "Miami FL"),
         ("305", "786")),
        ("Atlanta", "south", "America/New_York", 2, ("303",), ("atlanta", "ATL"),
         ("404", "678", "470")),
        ("Phoenix", "south", "America/Phoenix", 2, ("850",), ("phoenix",), ("602", "480")),
        ("Los Angeles", "south", "America/Los_Angeles", 4, ("900", "902"),
         ("LA", "los angeles", "L.A."), ("213", "310", "323")),
        ("Dallas", "south", "America/Chicago", 2, ("752",), ("dallas", "Dallas TX"),
         ("214", "469", "972")),
    ),
    (("gmail.com", 40), ("yahoo.com", 14), ("outlook.com", 12), ("hotmail.com", 8),
     ("icloud.com", 10), ("aol.com", 4), ("comcast.net", 4)),
)  # fmt: skip

GB = Market(
    "GB", "en", "en-GB", "en_GB", "GBP", 0.15, 52.0, 1.27,
    _cities(
        ("London", "south", "Europe/London", 6,
         ("SW1A", "SW11", "E1", "E14", "N1", "N7", "SE1", "SE15", "W2", "NW3", "EC1V"),
         ("london", "LONDON", "Greater London")),
        ("Manchester", "north", "Europe/London", 2, ("M1", "M4", "M14", "M20"),
         ("manchester", "Gtr Manchester")),
        ("Leeds", "north", "Europe/London", 1.5, ("LS1", "LS6", "LS11"), ("leeds",)),
        ("Glasgow", "north", "Europe/London", 1.5, ("G1", "G3", "G12"), ("glasgow",)),
        ("Edinburgh", "north", "Europe/London", 1.2, ("EH1", "EH3", "EH10"), ("edinburgh",)),
        ("Newcastle upon Tyne", "north", "Europe/London", 1, ("NE1", "NE6"),
         ("Newcastle", "newcastle")),
        ("Bristol", "south", "Europe/London", 1.5, ("BS1", "BS6", "BS8"), ("bristol",)),
        ("Brighton", "south", "Europe/London", 1, ("BN1", "BN2"),
         ("Brighton and Hove", "Brighton & Hove")),
        ("Southampton", "south", "Europe/London", 1, ("SO14", "SO15"), ("southampton",)),
    ),
    (("gmail.com", 35), ("hotmail.co.uk", 15), ("yahoo.co.uk", 10), ("btinternet.com", 8),
     ("outlook.com", 10), ("icloud.com", 8), ("sky.com", 5)),
)  # fmt: skip

ES = Market(
    "ES", "es", "es-ES", "es_ES", "EUR", 0.18, 55.0, 1.08,
    _cities(
        ("Madrid", "north", "Europe/Madrid", 6, ("280",), ("madrid", "MADRID")),
        ("Barcelona", "north", "Europe/Madrid", 5, ("080",), ("barcelona", "BCN", "Barna")),
        ("Bilbao", "north", "Europe/Madrid", 1.5, ("480",), ("Bilbo", "bilbao")),
        ("Zaragoza", "north", "Europe/Madrid", 1.5, ("500",), ("zaragoza",)),
        ("Valladolid", "north", "Europe/Madrid", 1, ("470",), ("valladolid",)),
        ("Sevilla", "south", "Europe/Madrid", 2.5, ("410",), ("Seville", "sevilla")),
        ("Valencia", "south", "Europe/Madrid", 3, ("460",), ("València", "valencia")),
        ("Málaga", "south", "Europe/Madrid", 2, ("290",), ("Malaga", "malaga")),
        ("Granada", "south", "Europe/Madrid", 1, ("180",), ("granada",)),
        ("Murcia", "south", "Europe/Madrid", 1.2, ("300",), ("murcia",)),
    ),
    (("gmail.com", 40), ("hotmail.es", 15), ("hotmail.com", 10), ("yahoo.es", 8),
     ("outlook.es", 8), ("telefonica.net", 4), ("icloud.com", 5)),
)  # fmt: skip

MX = Market(
    "MX", "es", "es-MX", "es_MX", "MXN", 0.12, 950.0, 0.055,
    _cities(
        ("Ciudad de México", "south", "America/Mexico_City", 6, ("01", "03", "06", "11", "14"),
         ("CDMX", "Mexico City", "México D.F.", "Ciudad de Mexico"), ("55", "56")),
        ("Monterrey", "north", "America/Monterrey", 2.5, ("64",),
         ("Monterrey, N.L.", "monterrey"), ("81",)),
        ("Guadalajara", "north", "America/Mexico_City", 2.5, ("44",),
         ("Guadalajara, Jal.", "guadalajara", "GDL"), ("33",)),
        ("Tijuana", "north", "America/Tijuana", 1, ("22",), ("tijuana",), ("664",)),
        ("Puebla", "south", "America/Mexico_City", 1.2, ("72",), ("puebla",), ("222",)),
        ("Mérida", "south", "America/Merida", 1, ("97",), ("Merida", "merida"), ("999",)),
        ("Cancún", "south", "America/Cancun", 1, ("77",), ("Cancun", "cancun"), ("998",)),
    ),
    (("gmail.com", 40), ("hotmail.com", 25), ("outlook.com", 10), ("yahoo.com.mx", 10),
     ("prodigy.net.mx", 5), ("live.com.mx", 5)),
)  # fmt: skip

CN = Market(
    "CN", "zh", "zh-CN", "zh_CN", "CNY", 0.25, 420.0, 0.14,
    _cities(
        ("北京", "north", "Asia/Shanghai", 5, ("100", "101", "102"),
         ("北京市", "Beijing", "BEIJING")),
        ("天津", "north", "Asia/Shanghai", 2, ("300",), ("天津市", "Tianjin")),
        ("沈阳", "north", "Asia/Shanghai", 1.5, ("110",), ("沈阳市", "Shenyang")),
        ("哈尔滨", "north", "Asia/Shanghai", 1, ("150",), ("哈尔滨市", "Harbin")),
        ("济南", "north", "Asia/Shanghai", 1, ("250",), ("济南市", "Jinan")),
        ("上海", "south", "Asia/Shanghai", 5, ("200", "201"), ("上海市", "Shanghai", "SH")),
        ("广州", "south", "Asia/Shanghai", 3, ("510",), ("广州市", "Guangzhou")),
        ("深圳", "south", "Asia/Shanghai", 3, ("518",), ("深圳市", "Shenzhen")),
        ("杭州", "south", "Asia/Shanghai", 2, ("310",), ("杭州市", "Hangzhou")),
        ("成都", "south", "Asia/Shanghai", 2, ("610",), ("成都市", "Chengdu")),
    ),
    (("qq.com", 45), ("163.com", 25), ("126.com", 10), ("sina.com", 5), ("foxmail.com", 5),
     ("gmail.com", 6), ("hotmail.com", 4)),
)  # fmt: skip

MARKETS: tuple[Market, ...] = (US, GB, ES, MX, CN)

COUNTRY_NAMES: dict[str, dict[str, str]] = {
    "US": {"en": "United States", "es": "Estados Unidos", "zh": "美国"},
    "GB": {"en": "United Kingdom", "es": "Reino Unido", "zh": "英国"},
    "ES": {"en": "Spain", "es": "España", "zh": "西班牙"},
    "MX": {"en": "Mexico", "es": "México", "zh": "墨西哥"},
    "CN": {"en": "China", "es": "China", "zh": "中国"},
}


@dataclass(frozen=True)
class CityTable:
    """Every city of every market, flattened so that people can point at one by index."""

    cities: tuple[City, ...]
    market: np.ndarray
    north: np.ndarray
    timezones: tuple[str, ...]
    timezone: np.ndarray

    def utc_offsets(self, at: datetime) -> np.ndarray:
        """Each city's offset from UTC in seconds at the instant ``at``."""
        offsets = []
        for name in self.timezones:
            offset = at.astimezone(ZoneInfo(name)).utcoffset()
            offsets.append(int(offset.total_seconds()) if offset is not None else 0)
        return np.array(offsets)[self.timezone]

    def weights_in(self, market: int) -> tuple[np.ndarray, np.ndarray]:
        """The city indexes of ``market`` and their sampling probabilities."""
        index = np.flatnonzero(self.market == market)
        weights = np.array([self.cities[i].weight for i in index], dtype=float)
        return index, weights / weights.sum()


def city_table() -> CityTable:
    cities = tuple(city for market in MARKETS for city in market.cities)
    market = np.array([m for m, mk in enumerate(MARKETS) for _ in mk.cities], dtype=np.int8)
    zones = tuple(dict.fromkeys(city.timezone for city in cities))
    return CityTable(
        cities=cities,
        market=market,
        north=np.array([city.region == "north" for city in cities]),
        timezones=zones,
        timezone=np.array([zones.index(city.timezone) for city in cities], dtype=np.int8),
    )
