"""Resolution: "St." / "Mt." / "Ft." written out match a place's name as exactly as the
abbreviated spelling does ("St. Petersburg" is an exact name of Saint Petersburg, Russia, as
much as of St. Petersburg, Florida)."""

from __future__ import annotations

from mapper.resolve import Geoparser, _same_name
from tests.geoparse.conftest import spans_of


def test_abbreviated_title_word_is_an_exact_name() -> None:
    assert _same_name("Saint Petersburg", "st petersburg")
    assert _same_name("Mount Pleasant", "mt pleasant")
    assert not _same_name("Saint Petersburg", "petersburg")


def test_russian_consulate_city(geoparser: Geoparser) -> None:
    text = ("Russia will close the US consulate in St. Petersburg, the Russian foreign minister "
            "said. Russia expels as many diplomats as Russian embassies lost.")
    *_, city = geoparser.resolve(text, spans_of(text, "Russia", "US", "Russian", "St. Petersburg"))
    assert city.country_code == "RU" and city.name == "Saint Petersburg"
