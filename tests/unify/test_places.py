from __future__ import annotations

import pytest

from cxloop.unify.places import city_key


@pytest.mark.parametrize(
    ("variants", "key"),
    [
        (("Chicago", "CHICAGO", "Chicago IL", "chicago"), "chicago"),
        (("New York", "NYC", "New York City"), "new york"),
        (("Los Angeles", "LA", "L.A."), "los angeles"),
        (("Ciudad de México", "CDMX", "México D.F.", "Mexico City"), "ciudad de mexico"),
        (("Monterrey", "Monterrey, N.L."), "monterrey"),
        (("Barcelona", "BCN"), "barcelona"),
        (("Málaga", "Malaga"), "malaga"),
        (("成都", "成都市", "Chengdu"), "chengdu"),
        (("上海", "Shanghai"), "shanghai"),
    ],
)
def test_ways_of_writing_a_city_share_a_key(variants, key) -> None:
    assert {city_key(v) for v in variants} == {key}


def test_empty_cities_have_no_key() -> None:
    assert city_key("  ") is None
    assert city_key(None) is None
