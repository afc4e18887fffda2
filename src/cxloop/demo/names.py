"""Name pools per market, and the nicknames that make one person look like two.

English pools come from Faker's frequency tables; Spanish and Mexican pools are common names
(weighted) topped up with Faker's longer lists; Chinese names are built from surnames and
given names whose characters :mod:`cxloop.demo.pinyin` can transliterate. Reading Faker's tables
costs nothing per name, which keeps 20,000 people fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from faker.providers.person.en_GB import Provider as FakerGB
from faker.providers.person.en_US import Provider as FakerUS
from faker.providers.person.es_ES import Provider as FakerES
from faker.providers.person.es_MX import Provider as FakerMX
from faker.providers.person.zh_CN import Provider as FakerCN


@dataclass(frozen=True)
class NamePool:
    """First and last names of one market, each with sampling probabilities."""

    male: tuple[str, ...]
    male_p: np.ndarray
    female: tuple[str, ...]
    female_p: np.ndarray
    last: tuple[str, ...]
    last_p: np.ndarray
    two_surnames: bool = False

    def sample(self, rng: np.random.Generator, female: np.ndarray) -> tuple[list[str], list[str]]:
        """First and last names for people whose sex is given by ``female``."""
        n = len(female)
        males = rng.choice(len(self.male), size=n, p=self.male_p)
        females = rng.choice(len(self.female), size=n, p=self.female_p)
        first = [
            self.female[f] if is_f else self.male[m]
            for m, f, is_f in zip(males, females, female, strict=True)
        ]
        lasts = rng.choice(len(self.last), size=(n, 2), p=self.last_p)
        if self.two_surnames:
            last = [f"{self.last[a]} {self.last[b]}" for a, b in lasts]
        else:
            last = [self.last[a] for a in lasts[:, 0]]
        return first, last


def _weighted(names: dict[str, float]) -> tuple[tuple[str, ...], np.ndarray]:
    keys = tuple(names)
    weights = np.array([names[k] for k in keys], dtype=float)
    return keys, weights / weights.sum()


def _blend(common: tuple[str, ...], extra: tuple[str, ...], share: float = 0.85) -> dict:
    """Common names (Zipf-weighted, ``share`` of the mass) plus a long tail of ``extra``."""
    ranks = 1.0 / (np.arange(len(common)) + 3.0)
    names = {n: share * w / ranks.sum() for n, w in zip(common, ranks, strict=True)}
    tail = [n for n in extra if n not in names]
    for n in tail:
        names[n] = (1 - share) / len(tail)
    return names


def _ranked(names: tuple[str, ...]) -> dict[str, float]:
    return {n: 1.0 / (i + 8.0) for i, n in enumerate(dict.fromkeys(names))}


ES_MALE = (
    "Antonio", "José", "Manuel", "Francisco", "David", "Juan", "Javier", "José Antonio",
    "Daniel", "José Luis", "Francisco Javier", "Carlos", "Jesús", "Alejandro", "Miguel",
    "José Manuel", "Rafael", "Pedro", "Pablo", "Ángel", "Sergio", "Fernando", "Jorge",
    "Luis", "Alberto", "Álvaro", "Juan Carlos", "Adrián", "Diego", "Ignacio", "Enrique",
    "Ramón", "Vicente", "Andrés", "Joaquín", "Santiago", "Eduardo", "Guillermo", "Roberto",
    "Federico", "Gregorio", "Sebastián", "Hugo", "Mario", "Rubén", "Iván", "Óscar",
)  # fmt: skip
ES_FEMALE = (
    "María", "Carmen", "Ana", "Isabel", "María Pilar", "Laura", "Cristina", "María Dolores",
    "Marta", "María José", "Lucía", "Pilar", "Dolores", "Teresa", "Rosa", "Paula", "Elena",
    "Sara", "Raquel", "Mercedes", "Concepción", "Rosario", "Josefa", "Margarita", "Manuela",
    "Beatriz", "Silvia", "Patricia", "Alicia", "Sofía", "Natalia", "Andrea", "Irene",
    "Nuria", "Consuelo", "Inmaculada", "Montserrat", "Rocío", "Eva", "Julia", "Guadalupe",
)  # fmt: skip
MX_MALE = (
    "José", "Juan", "Luis", "Carlos", "Jesús", "Miguel", "Francisco", "Alejandro",
    "José Luis", "Juan Carlos", "Jorge", "Roberto", "Fernando", "Ricardo", "Eduardo",
    "Manuel", "Antonio", "Daniel", "Arturo", "Sergio", "Javier", "Rafael", "Alberto",
    "Guillermo", "Santiago", "Sebastián", "Diego", "Emiliano", "Mateo", "Leonardo",
    "Enrique", "Ignacio", "Gregorio", "Ramón", "Raúl", "Héctor", "Óscar",
)  # fmt: skip
MX_FEMALE = (
    "María", "Guadalupe", "María Guadalupe", "Juana", "Margarita", "Verónica", "Patricia",
    "Alejandra", "Gabriela", "Rosa", "Ana", "Leticia", "Elizabeth", "Adriana", "Fernanda",
    "Ximena", "Daniela", "Valeria", "Mariana", "Sofía", "Camila", "Regina", "Andrea",
    "Dolores", "Rosario", "Teresa", "Isabel", "Concepción", "Josefina", "Consuelo", "Lucía",
)  # fmt: skip
ES_SURNAMES = (
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
    "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos",
    "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega",
    "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Núñez", "Iglesias", "Medina",
    "Garrido", "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto",
    "Méndez", "Cruz", "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña",
    "Flores", "Cabrera", "Campos", "Vega", "Fuentes", "Carrasco", "Díez", "Caballero",
)  # fmt: skip
MX_SURNAMES = (
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
    "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez", "Torres",
    "Díaz", "Gutiérrez", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Moreno", "Castillo",
    "Romero", "Álvarez", "Méndez", "Chávez", "Rivera", "Juárez", "Ramos", "Domínguez",
    "Herrera", "Medina", "Castro", "Vargas", "Guzmán", "Velázquez", "Rojas", "Contreras",
    "Salazar", "Luna", "Ortega", "Santiago", "Guerrero", "Estrada", "Bautista", "Cortés",
    "Soto", "Alvarado", "Espinoza", "Lara", "Ávila", "Ríos", "Cervantes", "Silva",
    "Delgado", "Vega", "Márquez", "Sandoval", "Carrillo", "Mejía", "Solís", "Núñez",
)  # fmt: skip
CN_MALE_MODERN = (
    "子轩", "浩然", "宇航", "俊杰", "思源", "睿", "铭泽", "宸", "昊然", "家豪", "天宇", "泽宇",
    "晓明", "志强", "建国", "永强", "德华", "嘉豪", "一帆", "子豪",
)  # fmt: skip
CN_FEMALE_MODERN = (
    "梓涵", "欣怡", "雨涵", "一诺", "嘉怡", "佳琪", "梓萱", "雨彤", "思妍", "悦", "可馨",
    "子涵", "婉清", "晓雪", "思琪", "雨萱", "佳怡", "诗涵",
)  # fmt: skip


def _chinese_pool() -> NamePool:
    from cxloop.demo.pinyin import PINYIN

    surnames = {s: w for s, w in FakerCN.last_names.items() if s in PINYIN}
    male = _blend(tuple(FakerCN.first_names_male), CN_MALE_MODERN, share=0.7)
    female_modern = tuple(n for n in CN_FEMALE_MODERN if all(ch in PINYIN for ch in n))
    female = _blend(tuple(FakerCN.first_names_female), female_modern, share=0.7)
    return NamePool(*_weighted(male), *_weighted(female), *_weighted(surnames))


def name_pools() -> dict[str, NamePool]:
    """One :class:`NamePool` per market code (US, GB, ES, MX, CN)."""
    us = NamePool(
        *_weighted(dict(FakerUS.first_names_male)),
        *_weighted(dict(FakerUS.first_names_female)),
        *_weighted(dict(FakerUS.last_names)),
    )
    gb = NamePool(
        *_weighted(_ranked(FakerGB.first_names_male)),
        *_weighted(_ranked(FakerGB.first_names_female)),
        *_weighted(dict(FakerGB.last_names)),
    )
    es = NamePool(
        *_weighted(_blend(ES_MALE, FakerES.first_names_male)),
        *_weighted(_blend(ES_FEMALE, FakerES.first_names_female)),
        *_weighted(_blend(ES_SURNAMES, FakerES.last_names, share=0.8)),
        two_surnames=True,
    )
    mx = NamePool(
        *_weighted(_blend(MX_MALE, FakerMX.first_names_male)),
        *_weighted(_blend(MX_FEMALE, FakerMX.first_names_female)),
        *_weighted(_blend(MX_SURNAMES, FakerMX.last_names, share=0.8)),
        two_surnames=True,
    )
    return {"US": us, "GB": gb, "ES": es, "MX": mx, "CN": _chinese_pool()}


NICKNAMES: dict[str, tuple[str, ...]] = {
    # English
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Billy"),
    "Richard": ("Rick", "Dick", "Rich"), "James": ("Jim", "Jimmy", "Jamie"),
    "Michael": ("Mike", "Mick"), "Thomas": ("Tom", "Tommy"), "Joseph": ("Joe", "Joey"),
    "Christopher": ("Chris",), "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",),
    "Anthony": ("Tony",), "Andrew": ("Andy", "Drew"), "Edward": ("Ed", "Eddie", "Ted"),
    "Steven": ("Steve",), "Stephen": ("Steve",), "Timothy": ("Tim",),
    "Charles": ("Charlie", "Chuck"),
    "Kenneth": ("Ken", "Kenny"), "Ronald": ("Ron",), "Donald": ("Don",), "Gregory": ("Greg",),
    "Jeffrey": ("Jeff",), "Joshua": ("Josh",), "Zachary": ("Zach",), "Jonathan": ("Jon",),
    "Nicholas": ("Nick",), "Samuel": ("Sam",), "Benjamin": ("Ben",), "Alexander": ("Alex",),
    "Patrick": ("Pat",), "Peter": ("Pete",), "David": ("Dave",), "Lawrence": ("Larry",),
    "Raymond": ("Ray",), "Douglas": ("Doug",), "Philip": ("Phil",), "Frederick": ("Fred",),
    "Theodore": ("Ted", "Teddy"), "Jacob": ("Jake",), "Nathaniel": ("Nate",), "Walter": ("Walt",),
    "Elizabeth": ("Liz", "Beth", "Lizzie"), "Katherine": ("Kate", "Katie"),
    "Catherine": ("Cathy", "Kate"), "Margaret": ("Maggie", "Peggy"), "Patricia": ("Pat", "Trish"),
    "Jennifer": ("Jen", "Jenny"), "Jessica": ("Jess",), "Rebecca": ("Becky",),
    "Victoria": ("Vicky", "Tori"), "Susan": ("Sue",), "Deborah": ("Debbie", "Deb"),
    "Samantha": ("Sam",), "Alexandra": ("Alex",), "Christine": ("Chris",),
    "Kimberly": ("Kim",), "Pamela": ("Pam",), "Cynthia": ("Cindy",), "Abigail": ("Abby",),
    "Jacqueline": ("Jackie",), "Rachel": ("Rach",), "Amanda": ("Mandy",), "Barbara": ("Barb",),
    # Spanish
    "José": ("Pepe",), "Francisco": ("Paco", "Pancho", "Curro"), "Manuel": ("Manolo",),
    "Jesús": ("Chucho", "Chuy"), "Dolores": ("Lola",), "María Dolores": ("Lola",),
    "Concepción": ("Concha", "Conchi"), "Guadalupe": ("Lupe", "Lupita"),
    "María Guadalupe": ("Lupita",), "Ignacio": ("Nacho",), "Enrique": ("Quique",),
    "Antonio": ("Toño", "Toni"), "Alejandro": ("Álex",), "Guillermo": ("Memo", "Guille"),
    "Eduardo": ("Lalo", "Edu"), "Rosario": ("Charo",), "Mercedes": ("Merche",),
    "Consuelo": ("Chelo",), "Josefa": ("Pepa",), "María José": ("Majo",),
    "Roberto": ("Beto",), "Alberto": ("Beto",), "Fernando": ("Nando",), "Gregorio": ("Goyo",),
    "Ramón": ("Moncho",), "Santiago": ("Santi",), "Sebastián": ("Sebas",), "Cristina": ("Cris",),
    "Isabel": ("Isa", "Chabela"), "Teresa": ("Tere",), "Rafael": ("Rafa",), "Javier": ("Javi",),
    "Francisco Javier": ("Javi", "Fran"), "Federico": ("Fede",), "Pilar": ("Pili",),
    "María Pilar": ("Pili",), "Margarita": ("Marga",), "José Antonio": ("Pepe", "Josean"),
    "José Luis": ("Pepe", "Joselu"), "Inmaculada": ("Inma",), "Montserrat": ("Montse",),
    "Josefina": ("Pepita", "Josefa"), "Juan Carlos": ("Juanca",), "Natalia": ("Nati",),
}  # fmt: skip
"""Full first name → the short forms people also go by (in another system, or to an agent)."""
